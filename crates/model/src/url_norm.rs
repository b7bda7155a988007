//! URL normalisation: one canonical form per article, so the same page arriving from two
//! feeds (or with tracking parameters) is recognised as one.

use url::Url;

/// Query parameters that only track the reader, never select content.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "ref",
    "ref_src",
    "cmpid",
    "ito",
    "ns_mchannel",
    "ns_source",
    "ns_campaign",
    "ns_linkname",
    "ns_fee",
    "at_medium",
    "at_campaign",
    "share",
    "ocid",
    "spm",
];

/// Canonical form of an article URL: lower-case host without `www.`, no fragment, no
/// tracking parameters, remaining parameters sorted, no trailing slash on the path.
/// Returns the input unchanged when it is not an absolute http(s) URL.
pub fn canonicalize_url(raw: &str) -> String {
    let Ok(mut url) = Url::parse(raw.trim()) else {
        return raw.trim().to_string();
    };
    if !matches!(url.scheme(), "http" | "https") {
        // As the doc says: only web addresses are rewritten. (The url crate's form of some
        // file: URLs changes when parsed again, which the fuzz target found.)
        return raw.trim().to_string();
    }
    url.set_fragment(None);
    if let Some(host) = url.host_str() {
        // Every leading "www." goes, so that normalising again finds none (the fuzz target
        // found "www.www.…").
        let host = host.to_ascii_lowercase();
        let mut stripped = host.as_str();
        while let Some(rest) = stripped.strip_prefix("www.") {
            stripped = rest;
        }
        if stripped.len() < host.len() {
            let stripped = stripped.to_string();
            let _ = url.set_host(Some(&stripped));
        }
    }
    // http and https serve the same article; one scheme keeps them equal.
    let _ = url.set_scheme("https");
    if url.port() == Some(443) || url.port() == Some(80) {
        let _ = url.set_port(None);
    }
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !k.starts_with("utm_") && !TRACKING_PARAMS.contains(&k.as_str())
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    if pairs.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    let path = url.path().to_string();
    if path.len() > 1 && path.ends_with('/') {
        url.set_path(path.trim_end_matches('/'));
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::canonicalize_url;

    #[test]
    fn normalising_twice_changes_nothing() {
        // Found by the url_norm fuzz target.
        for raw in [
            "Http:WWW.WWW.WW.iW5../../fv\u{FFFD}\u{FFFD}",
            "https://www.www.example.com/a/",
        ] {
            let once = canonicalize_url(raw);
            assert_eq!(canonicalize_url(&once), once, "{raw:?}");
        }
        assert_eq!(
            canonicalize_url("https://www.www.example.com/a/"),
            "https://example.com/a"
        );
    }

    #[test]
    fn other_schemes_are_left_as_they_are() {
        let odd = "file://R/s:\n\0\0tp";
        assert_eq!(canonicalize_url(odd), odd);
        assert_eq!(
            canonicalize_url(&canonicalize_url(odd)),
            canonicalize_url(odd)
        );
        assert_eq!(
            canonicalize_url(" mailto:a@b.example "),
            "mailto:a@b.example"
        );
    }

    #[test]
    fn tracking_parameters_and_fragments_are_dropped() {
        assert_eq!(
            canonicalize_url("http://WWW.Example.com/news/a-story/?utm_source=rss&id=4&b=1#top"),
            "https://example.com/news/a-story?b=1&id=4"
        );
    }

    #[test]
    fn canonicalizing_is_idempotent() {
        for raw in [
            "https://example.com/",
            "http://example.com:8080/x/?ref=a",
            "not a url",
            "https://example.com/a?z=1&a=2",
        ] {
            let once = canonicalize_url(raw);
            assert_eq!(canonicalize_url(&once), once, "{raw}");
        }
    }

    #[test]
    fn loopback_ports_survive() {
        assert_eq!(
            canonicalize_url("http://127.0.0.1:4000/a/"),
            "https://127.0.0.1:4000/a"
        );
    }
}
