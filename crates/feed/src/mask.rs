//! feedparser-rs blanks every link to a loopback, private or intranet host (its own guard
//! against server-side request forgery). Whether Parallax may fetch such a host is the
//! fetcher's decision, made by the operator's settings, and an intranet's own feeds link to
//! intranet hosts; so before parsing, such hosts are replaced by reserved placeholder names
//! (`.invalid` never resolves) and restored in everything the parse returns.

use std::borrow::Cow;

use feedparser_rs::util::base_url::is_safe_url;

const MASK_SUFFIX: &str = ".parallax-mask.invalid";

#[derive(Debug, Default)]
pub(crate) struct Masks {
    /// (placeholder host, original host)
    pairs: Vec<(String, String)>,
}

impl Masks {
    pub(crate) fn restore(&self, s: &str) -> String {
        let mut out = s.to_string();
        for (mask, original) in &self.pairs {
            if out.contains(mask.as_str()) {
                out = out.replace(mask.as_str(), original);
            }
        }
        out
    }

    pub(crate) fn restore_in_place(&self, s: &mut String) {
        if !self.pairs.is_empty() && s.contains(MASK_SUFFIX) {
            *s = self.restore(s);
        }
    }

    pub(crate) fn restore_opt(&self, s: &mut Option<String>) {
        if let Some(s) = s {
            self.restore_in_place(s);
        }
    }
}

/// Ends a host in a URL written inside XML, HTML or JSON text.
fn ends_host(c: char) -> bool {
    matches!(
        c,
        '/' | '?' | '#' | '"' | '\'' | '<' | '>' | '&' | ':' | '\\' | ')' | ',' | ';' | ']'
    ) || c.is_whitespace()
}

pub(crate) fn mask_unsafe_hosts(text: &str) -> (Cow<'_, str>, Masks) {
    let mut masks = Masks::default();
    if !text.contains("://") {
        return (Cow::Borrowed(text), masks);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(idx) = rest.find("://") {
        let before = &rest[..idx];
        let is_http = before.len() >= 4 && {
            let tail = before[before.len().saturating_sub(5)..].to_ascii_lowercase();
            tail.ends_with("http") || tail.ends_with("https")
        };
        out.push_str(&rest[..idx + 3]);
        rest = &rest[idx + 3..];
        if !is_http {
            continue;
        }
        let host_len = if rest.starts_with('[') {
            rest.find(']').map(|i| i + 1).unwrap_or(0)
        } else {
            rest.find(ends_host).unwrap_or(rest.len())
        };
        let host = &rest[..host_len];
        if host.is_empty() || is_safe_url(&format!("http://{host}/")) {
            continue;
        }
        let mask = match masks.pairs.iter().find(|(_, h)| h == host) {
            Some((m, _)) => m.clone(),
            None => {
                let m = format!("h{}{MASK_SUFFIX}", masks.pairs.len());
                masks.pairs.push((m.clone(), host.to_string()));
                m
            }
        };
        out.push_str(&mask);
        rest = &rest[host_len..];
    }
    out.push_str(rest);
    if masks.pairs.is_empty() {
        return (Cow::Borrowed(text), masks);
    }
    (Cow::Owned(out), masks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_hosts_are_masked_and_restored() {
        let doc = r#"<link href="http://127.0.0.1:4000/a"/><a href=&quot;https://10.1.2.3/x&quot;> http://[::1]/y https://example.com/z http://127.0.0.1:4000/b"#;
        let (masked, masks) = mask_unsafe_hosts(doc);
        assert!(
            !masked.contains("127.0.0.1")
                && !masked.contains("10.1.2.3")
                && !masked.contains("[::1]"),
            "{masked}"
        );
        assert!(masked.contains("https://example.com/z"));
        assert_eq!(masks.pairs.len(), 3, "one mask per host");
        assert_eq!(masks.restore(&masked), doc);
    }

    #[test]
    fn text_without_private_hosts_is_untouched() {
        let doc = "<rss><link>https://news.example.org/</link></rss>";
        assert!(matches!(mask_unsafe_hosts(doc).0, Cow::Borrowed(_)));
    }
}
