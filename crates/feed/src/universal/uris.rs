//! Relative references in feeds, resolved as Universal Feed Parser resolves them: against the
//! element's `xml:base`, refusing schemes that have no business in a feed.

use url::Url;

const ACCEPTABLE_URI_SCHEMES: &[&str] = &[
    "file", "ftp", "gopher", "h323", "hdl", "http", "https", "imap", "magnet", "mailto", "mms",
    "news", "nntp", "prospero", "rsync", "rtsp", "rtspu", "sftp", "shttp", "sip", "sips", "snews",
    "svn", "svn+ssh", "telnet", "wais", "aim", "callto", "cvs", "facetime", "feed", "git", "gtalk",
    "irc", "ircs", "irc6", "itms", "msnim", "skype", "ssh", "smb", "ymsg",
];

/// `http:///x` -> `http://x`: slashes a careless template doubled.
fn fix_slashes(uri: &str) -> std::borrow::Cow<'_, str> {
    let scheme_len = uri
        .find("://")
        .filter(|&i| {
            i > 0
                && uri[..i].starts_with(|c: char| c.is_ascii_alphabetic())
                && uri[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
        .map(|i| i + 3);
    match scheme_len {
        Some(n) if uri[n..].starts_with('/') => {
            format!("{}{}", &uri[..n], uri[n..].trim_start_matches('/')).into()
        }
        _ => uri.into(),
    }
}

fn has_scheme(uri: &str) -> bool {
    uri.find(':').is_some_and(|i| {
        i > 0
            && uri[..i].starts_with(|c: char| c.is_ascii_alphabetic())
            && uri[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// `uri` resolved against `base`; an absolute `uri` is returned as written.
pub(crate) fn urljoin(base: &str, uri: &str) -> String {
    let uri = fix_slashes(uri);
    if base.is_empty() {
        return uri.into_owned();
    }
    if uri.is_empty() {
        return base.to_string();
    }
    if has_scheme(&uri) && !uri.starts_with("http:") && !uri.starts_with("https:")
        || uri.starts_with("http://")
        || uri.starts_with("https://")
    {
        return uri.into_owned();
    }
    match Url::parse(base).and_then(|b| b.join(&uri)) {
        Ok(joined) => joined.to_string(),
        Err(_) => uri.into_owned(),
    }
}

fn scheme_of(uri: &str) -> &str {
    uri.trim().split(':').next().unwrap_or("")
}

/// `rel` against `base`, or empty if the result's scheme is not one a feed may link to.
pub(crate) fn make_safe_absolute_uri(base: &str, rel: &str) -> String {
    if base.is_empty() {
        return rel.to_string();
    }
    if rel.is_empty() {
        let scheme = if has_scheme(base) {
            scheme_of(base)
        } else {
            ""
        };
        return if scheme.is_empty() || ACCEPTABLE_URI_SCHEMES.contains(&scheme) {
            base.to_string()
        } else {
            String::new()
        };
    }
    let uri = urljoin(base, rel);
    if ACCEPTABLE_URI_SCHEMES.contains(&scheme_of(&uri)) {
        uri
    } else {
        String::new()
    }
}

/// The attributes of HTML that hold a URI, per element.
const RELATIVE_URIS: &[(&str, &str)] = &[
    ("a", "href"),
    ("applet", "codebase"),
    ("area", "href"),
    ("audio", "src"),
    ("blockquote", "cite"),
    ("body", "background"),
    ("del", "cite"),
    ("form", "action"),
    ("frame", "longdesc"),
    ("frame", "src"),
    ("iframe", "longdesc"),
    ("iframe", "src"),
    ("head", "profile"),
    ("img", "longdesc"),
    ("img", "src"),
    ("img", "usemap"),
    ("input", "src"),
    ("input", "usemap"),
    ("ins", "cite"),
    ("link", "href"),
    ("object", "classid"),
    ("object", "codebase"),
    ("object", "data"),
    ("object", "usemap"),
    ("q", "cite"),
    ("script", "src"),
    ("source", "src"),
    ("video", "poster"),
    ("video", "src"),
];

fn holds_uri(tag: &str, attr: &str) -> bool {
    RELATIVE_URIS
        .iter()
        .any(|(t, a)| t.eq_ignore_ascii_case(tag) && a.eq_ignore_ascii_case(attr))
}

/// HTML with every URI-valued attribute resolved against `base`. Tags that hold none are
/// left exactly as written.
pub(crate) fn resolve_relative_uris(html: &str, base: &str) -> String {
    if base.is_empty() || !html.contains('<') {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 32);
    let mut tokens = parallax_text::markup::Tokens::new(html);
    let mut copied = 0;
    loop {
        let before = tokens.position();
        let Some(token) = tokens.next() else { break };
        let parallax_text::markup::Token::Start { name, attrs, empty } = token else {
            continue;
        };
        if !attrs.iter().any(|(k, _)| holds_uri(name, k)) {
            continue;
        }
        let after = tokens.position();
        out.push_str(&html[copied..before]);
        out.push('<');
        out.push_str(name);
        for (key, value) in attrs {
            let value = html_escape::decode_html_entities(value);
            let value = if holds_uri(name, key) {
                make_safe_absolute_uri(base, value.trim())
            } else {
                value.into_owned()
            };
            out.push(' ');
            out.push_str(key);
            out.push_str("=\"");
            out.push_str(&html_escape::encode_double_quoted_attribute(&value));
            out.push('"');
        }
        out.push_str(if empty { " />" } else { ">" });
        copied = after;
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_like_urllib() {
        assert_eq!(
            urljoin("http://example.com/a/b", "c"),
            "http://example.com/a/c"
        );
        assert_eq!(urljoin("", "c"), "c");
        assert_eq!(urljoin("http://example.com/", ""), "http://example.com/");
        assert_eq!(urljoin("http://a/b", "http:///c/d"), "http://c/d");
    }

    #[test]
    fn unsafe_schemes_are_refused() {
        assert_eq!(
            make_safe_absolute_uri("http://a/", "javascript:alert(1)"),
            ""
        );
        assert_eq!(make_safe_absolute_uri("http://a/", "/x"), "http://a/x");
        assert_eq!(make_safe_absolute_uri("", "/x"), "/x");
    }

    #[test]
    fn html_attributes_are_resolved() {
        assert_eq!(
            resolve_relative_uris(
                "<p>x <a href='/y' title=\"t\">y</a> <img src=z.png></p>",
                "http://example.com/test/"
            ),
            "<p>x <a href=\"http://example.com/y\" title=\"t\">y</a> <img src=\"http://example.com/test/z.png\"></p>"
        );
        assert_eq!(resolve_relative_uris("<b>x</b>", "http://e/"), "<b>x</b>");
    }
}
