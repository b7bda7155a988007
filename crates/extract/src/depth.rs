//! A guard against hostile nesting. HTML parsers check scopes against the stack of open
//! elements (time grows with depth squared) and tree walkers recurse (a hundred thousand
//! levels overflow the stack and abort the process), so pages nested deeper than any real
//! page are refused before they are parsed. (The sanitizer needs no such guard: it keeps at
//! most a bounded stack of its own.)

/// Deeper than any real page, even one that leaves a thousand `<span>`s unclosed; the tree
/// walks themselves stop much earlier.
pub const MAX_DEPTH: usize = 5000;

/// Elements that are void, or so often left unclosed that they cannot count as nesting.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "option", "tr", "td", "th", "!doctype",
];

/// Whether the tags of `html` open more than `limit` levels at some point. A scan of tags
/// only: no parser, linear time.
pub fn nests_deeper_than(html: &str, limit: usize) -> bool {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        i += off + 1;
        if i >= bytes.len() {
            break;
        }
        let closing = bytes[i] == b'/';
        let start = if closing { i + 1 } else { i };
        let end = bytes[start..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'!'))
            .map_or(bytes.len(), |p| start + p);
        if end == start {
            continue;
        }
        let name = &html[start..end];
        if name.starts_with("!--") || NOT_NESTING.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            let tag_end = memchr::memchr(b'>', &bytes[end..]).map_or(bytes.len(), |p| end + p);
            if tag_end > 0 && bytes.get(tag_end - 1) == Some(&b'/') {
                continue;
            }
            depth += 1;
            if depth > limit {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_pages_pass_and_hostile_nesting_is_caught() {
        assert!(!nests_deeper_than(
            "<html><body><div><p>a<p>b<br><img src=x><div/></div></body></html>",
            3
        ));
        let hostile = "<div>".repeat(100_000);
        assert!(nests_deeper_than(&hostile, MAX_DEPTH));
        let many_paragraphs = "<p>unclosed".repeat(50_000);
        assert!(!nests_deeper_than(&many_paragraphs, MAX_DEPTH));
    }
}
