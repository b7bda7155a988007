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

/// Query parameters that ask for the AMP or mobile rendering of the same article.
const VARIANT_PARAMS: &[&str] = &["amp", "outputtype", "output", "mobile", "m"];

/// Host labels that name a site's AMP or mobile edition of the same pages.
const VARIANT_HOST_LABELS: &[&str] = &["m", "mobile", "amp"];

/// Canonical form of an article URL: lower-case host without `www.` (nor the `m.`,
/// `mobile.` and `amp.` of mobile and AMP editions), no fragment, no tracking parameters, no
/// AMP path markers (`/amp`, `/amp/…`, `.amp`, `.amp.html`), remaining parameters sorted, no
/// trailing slash on the path. Returns the input unchanged when it is not an absolute
/// http(s) URL.
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
        // "www.", "m.", "amp." in any order and number, but never down to a bare suffix.
        while let Some((label, rest)) = stripped.split_once('.') {
            let variant = label == "www" || VARIANT_HOST_LABELS.contains(&label);
            if !variant || !rest.contains('.') {
                break;
            }
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
        .filter(|(k, v)| {
            let k = k.to_ascii_lowercase();
            let tracking = k.starts_with("utm_") || TRACKING_PARAMS.contains(&k.as_str());
            let variant = VARIANT_PARAMS.contains(&k.as_str()) && is_variant_value(v);
            !tracking && !variant
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    if pairs.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    // Setting a path resolves its dot segments, which can leave a marker or a trailing slash
    // behind ("/x/..amp.html" is "/x/." without its marker, then "/x/"): again until stable.
    for _ in 0..8 {
        let path = without_amp(url.path());
        if path == url.path() {
            break;
        }
        url.set_path(&path);
    }
    url.to_string()
}

/// Whether a parameter's value asks for the AMP or mobile rendering (`amp=1`, `amp`,
/// `outputType=amp`, `m=1`).
fn is_variant_value(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "" | "1" | "true" | "yes" | "amp" | "mobile"
    )
}

/// A path without the markers of its AMP rendering (a last segment `amp`, as WordPress's
/// `/post/amp/`; a first segment `amp`, as `/amp/news/post`; `.amp` or `.amp.html` ending the
/// last segment) and without trailing slashes. Markers are taken off until none is left,
/// so that normalising again finds nothing more to do.
fn without_amp(path: &str) -> String {
    let mut path = path.to_string();
    loop {
        let next = without_one_amp_marker(&path);
        if next == path {
            return path;
        }
        path = next;
    }
}

fn without_one_amp_marker(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".to_string();
    }
    if trimmed.len() < path.len() {
        return trimmed.to_string();
    }
    if let Some(stem) = path.strip_suffix("/amp").filter(|s| !s.is_empty()) {
        return stem.to_string();
    }
    if let Some(rest) = path.strip_prefix("/amp/").filter(|r| !r.is_empty()) {
        return format!("/{rest}");
    }
    for suffix in [".amp.html", ".amp"] {
        if let Some(stem) = path.strip_suffix(suffix) {
            if !stem.ends_with('/') && !stem.is_empty() {
                return stem.to_string();
            }
        }
    }
    path.to_string()
}

/// The server a URL names: its host lower-cased, with its port when it is not the scheme's
/// own (`""` when it names none). What workers lease hosts by.
pub fn url_host(raw: &str) -> String {
    let Ok(url) = Url::parse(raw) else {
        return String::new();
    };
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }
}

#[cfg(test)]
mod tests {
    use super::{canonicalize_url, url_host};

    #[test]
    fn a_url_host_keeps_a_port_of_its_own() {
        assert_eq!(url_host("https://WWW.Example.com/rss"), "www.example.com");
        assert_eq!(url_host("https://example.com:443/rss"), "example.com");
        assert_eq!(url_host("http://127.0.0.1:8081/feed.xml"), "127.0.0.1:8081");
        assert_eq!(url_host("not a url"), "");
    }

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
    fn amp_and_mobile_editions_are_the_article() {
        let article = "https://example.com/news/storm-hits-coast";
        for variant in [
            "https://example.com/news/storm-hits-coast/amp/",
            "https://example.com/news/storm-hits-coast/amp",
            "https://example.com/amp/news/storm-hits-coast",
            "https://example.com/news/storm-hits-coast.amp",
            "https://example.com/news/storm-hits-coast.amp.html",
            "https://example.com/news/storm-hits-coast?amp",
            "https://example.com/news/storm-hits-coast?amp=1",
            "https://example.com/news/storm-hits-coast?outputType=amp",
            "https://m.example.com/news/storm-hits-coast",
            "https://amp.example.com/news/storm-hits-coast",
            "https://mobile.example.com/news/storm-hits-coast/",
            "https://www.m.example.com/news/storm-hits-coast",
        ] {
            assert_eq!(canonicalize_url(variant), article, "{variant}");
        }
        // Not variants: a story about amps, a parameter that selects content, a site on m.
        assert_eq!(
            canonicalize_url("https://example.com/news/amp-prices"),
            "https://example.com/news/amp-prices"
        );
        assert_eq!(
            canonicalize_url("https://example.com/item?m=2024"),
            "https://example.com/item?m=2024"
        );
        assert_eq!(
            canonicalize_url("https://m.example/a"),
            "https://m.example/a"
        );
        assert_eq!(
            canonicalize_url("https://example.com/amp"),
            "https://example.com/amp"
        );
    }

    #[test]
    fn loopback_ports_survive() {
        assert_eq!(
            canonicalize_url("http://127.0.0.1:4000/a/"),
            "https://127.0.0.1:4000/a"
        );
    }
}
