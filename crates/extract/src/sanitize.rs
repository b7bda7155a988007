//! The sanitizer: every piece of HTML that came from outside passes through here before it is
//! stored or shown. Scripts, event handlers, styles, forms, frames and `javascript:`/`data:`
//! URLs never survive; the article's structure (paragraphs, headings, lists, quotes, tables,
//! links, images) does.

use parallax_text::markup::{Token, Tokens};
use url::Url;

const ALLOWED_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
];

/// Elements that never have content or an end tag.
const VOID_TAGS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose content is raw text to a browser (or, for `template`, inert): it is
/// dropped whole, never read as markup.
const RAW_TEXT_TAGS: &[&str] = &[
    "script",
    "style",
    "iframe",
    "noembed",
    "noframes",
    "xmp",
    "textarea",
    "title",
    "template",
    "plaintext",
];

/// Attributes every allowed element may keep.
const GENERIC_ATTRIBUTES: &[&str] = &["lang", "title"];

fn allowed_attribute(tag: &str, attr: &str) -> bool {
    GENERIC_ATTRIBUTES.contains(&attr)
        || matches!(
            (tag, attr),
            ("a", "href" | "hreflang")
                | ("img", "src" | "alt" | "width" | "height")
                | ("time", "datetime")
                | ("td" | "th", "colspan" | "rowspan" | "headers")
                | ("th", "scope" | "abbr")
                | ("blockquote" | "q", "cite")
                | ("del" | "ins", "cite" | "datetime")
                | ("ol", "start")
        )
}

fn is_url_attribute(attr: &str) -> bool {
    matches!(attr, "href" | "src" | "cite")
}

/// A URL a page may link to: `http`, `https` or `mailto`; a relative one made absolute
/// against `base`, or refused without one (it would point into Parallax's own site).
fn safe_url(value: &str, base: Option<&Url>) -> Option<String> {
    let url = match Url::parse(value.trim()) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(value.trim()).ok()?,
        Err(_) => return None,
    };
    matches!(url.scheme(), "http" | "https" | "mailto").then(|| url.to_string())
}

/// The link relation every outside link gets.
const LINK_REL: &str = "noopener noreferrer nofollow ugc";

/// An embedded player's fixed attributes: it may run its own scripts, in its own origin.
const PLAYER_SANDBOX: &str = "allow-scripts allow-same-origin allow-presentation";

/// Nesting kept at most; deeper elements lose their tags, not their text. This bound also
/// keeps the pass linear on hostile nesting (closing a tag searches at most this many).
const MAX_OPEN: usize = 256;

/// Hosts whose embedded players a story page may show.
const VIDEO_HOSTS: &[&str] = &[
    "www.youtube.com",
    "youtube.com",
    "www.youtube-nocookie.com",
    "player.vimeo.com",
    "www.dailymotion.com",
    "geo.dailymotion.com",
    "player.twitch.tv",
    "w.soundcloud.com",
];

fn is_video_player(src: &str) -> bool {
    Url::parse(src.trim()).is_ok_and(|u| {
        u.scheme() == "https" && u.host_str().is_some_and(|h| VIDEO_HOSTS.contains(&h))
    })
}

/// Sanitizes an HTML fragment. Relative URLs become absolute against `base` when given, and
/// are dropped otherwise (a relative link would point into Parallax's own site).
///
/// One pass over the markup with an allow-list: allowed elements are written back with
/// their allowed attributes only, escaped; everything else loses its tags and keeps its
/// text, except scripts, styles and frames, whose content goes too. The output is always
/// balanced, so a fragment cannot close or open anything around it.
pub fn sanitize_html(html: &str, base: Option<&Url>) -> String {
    if !html.contains('<') {
        // Entities alone: what they name, escaped again where HTML needs it, as below.
        let mut out = String::with_capacity(html.len());
        push_escaped(&mut out, html_escape::decode_html_entities(html).trim());
        return out;
    }
    let mut out = String::with_capacity(html.len());
    let mut open: Vec<&'static str> = Vec::new();
    let mut tokens = Tokens::new(html);
    // Text, references and stray `&` are gathered into one run, decoded and escaped at once.
    let mut run = 0..0;
    while let Some(token) = tokens.next() {
        // Where a piece of text began: comments and declarations skipped before it are not
        // part of it.
        let len = match token {
            Token::Text(t) => Some(t.len()),
            Token::Reference(name) => Some(name.len() + 2),
            Token::BareAmpersand => Some(1),
            _ => None,
        };
        if let Some(len) = len {
            let end = tokens.position();
            if run.end != end - len {
                push_decoded(&mut out, &html[run]);
                run = end - len..end;
            }
            run.end = end;
            continue;
        }
        push_decoded(&mut out, &html[run]);
        run = 0..0;
        match token {
            // HTML has no CDATA: a browser reads one as a comment.
            Token::CData(_) | Token::Doctype(_) => {}
            Token::Text(_) | Token::Reference(_) | Token::BareAmpersand => {}
            Token::Start { name, attrs, empty } => {
                let tag = lower(name);
                if RAW_TEXT_TAGS.contains(&tag.as_ref()) {
                    if tag == "iframe" {
                        push_player(&mut out, &attrs);
                    }
                    // `<script/>` is no empty element to a browser: its text follows.
                    tokens.skip_raw_text(&tag);
                    continue;
                }
                let Ok(found) = ALLOWED_TAGS.binary_search(&tag.as_ref()) else {
                    continue;
                };
                let allowed = ALLOWED_TAGS[found];
                let void = VOID_TAGS.contains(&allowed);
                if !void && open.len() >= MAX_OPEN {
                    continue;
                }
                push_start_tag(&mut out, allowed, &attrs, base);
                if !void && !empty {
                    open.push(allowed);
                } else if !void {
                    out.push_str("</");
                    out.push_str(allowed);
                    out.push('>');
                }
            }
            Token::End(name) => {
                let tag = lower(name);
                if let Some(at) = open.iter().rposition(|t| *t == tag) {
                    for t in open.drain(at..).rev() {
                        out.push_str("</");
                        out.push_str(t);
                        out.push('>');
                    }
                }
            }
        }
    }
    push_decoded(&mut out, &html[run]);
    for t in open.into_iter().rev() {
        out.push_str("</");
        out.push_str(t);
        out.push('>');
    }
    let trimmed = out.trim();
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_string()
    }
}

/// A name in lower case, copied only if it was not.
fn lower(name: &str) -> std::borrow::Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        name.to_ascii_lowercase().into()
    } else {
        name.into()
    }
}

/// A run of text as written (references and all): what it says, escaped again.
fn push_decoded(out: &mut String, run: &str) {
    if !run.is_empty() {
        push_escaped(out, &html_escape::decode_html_entities(run));
    }
}

fn push_escaped(out: &mut String, text: &str) {
    html_escape::encode_text_to_string(text, out);
}

fn push_attribute(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    html_escape::encode_double_quoted_attribute_to_string(value, out);
    out.push('"');
}

fn push_start_tag(out: &mut String, tag: &str, attrs: &[(&str, &str)], base: Option<&Url>) {
    out.push('<');
    out.push_str(tag);
    let mut written: Vec<std::borrow::Cow<'_, str>> = Vec::new();
    for (name, raw) in attrs {
        let name = lower(name);
        // The first of two same-named attributes is the one a browser reads.
        if !allowed_attribute(tag, &name) || written.contains(&name) {
            continue;
        }
        let value = html_escape::decode_html_entities(raw);
        let value = if is_url_attribute(&name) {
            match safe_url(&value, base) {
                Some(url) => url.into(),
                None => continue,
            }
        } else {
            value
        };
        push_attribute(out, &name, &value);
        written.push(name);
    }
    if tag == "a" {
        push_attribute(out, "rel", LINK_REL);
    }
    out.push('>');
}

/// An `<iframe>` of an allow-listed video player, sandboxed; any other frame is dropped.
fn push_player(out: &mut String, attrs: &[(&str, &str)]) {
    let value = |key: &str| {
        attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| html_escape::decode_html_entities(v))
    };
    let Some(src) = value("src").filter(|s| is_video_player(s)) else {
        return;
    };
    out.push_str("<iframe");
    push_attribute(out, "src", src.trim());
    for key in ["width", "height", "title", "allowfullscreen"] {
        if let Some(v) = value(key) {
            push_attribute(out, key, &v);
        }
    }
    push_attribute(out, "sandbox", PLAYER_SANDBOX);
    push_attribute(out, "loading", "lazy");
    out.push_str("></iframe>");
}

/// Escapes plain text for use inside HTML.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "tr",
    "table",
    "ul",
    "ol",
    "section",
    "article",
    "figure",
    "figcaption",
    "header",
    "footer",
    "dd",
    "dt",
    "hr",
];

/// The readable text of an HTML fragment: blocks separated by a blank line, whitespace
/// collapsed inside them, scripts and styles dropped.
pub fn html_to_text(html: &str) -> String {
    if !html.contains('<') {
        return collapse_whitespace(&html_escape::decode_html_entities(html));
    }
    let mut blocks = Vec::new();
    let mut current = String::new();
    let mut tokens = Tokens::new(html);
    while let Some(token) = tokens.next() {
        match token {
            // References are decoded a block at a time, with HTML's legacy ones (`&amp` with
            // no semicolon) among them.
            Token::Text(t) => current.push_str(t),
            Token::Reference(name) => {
                current.push('&');
                current.push_str(name);
                current.push(';');
            }
            Token::BareAmpersand => current.push('&'),
            Token::CData(_) | Token::Doctype(_) => {}
            Token::Start { name, .. } => {
                let tag = lower(name);
                if matches!(
                    tag.as_ref(),
                    "script" | "style" | "noscript" | "template" | "iframe" | "xmp" | "noembed"
                ) {
                    tokens.skip_raw_text(&tag);
                } else if BLOCK_TAGS.contains(&tag.as_ref()) {
                    push_block(&mut blocks, &mut current);
                }
            }
            Token::End(name) => {
                if BLOCK_TAGS.contains(&lower(name).as_ref()) {
                    push_block(&mut blocks, &mut current);
                }
            }
        }
    }
    push_block(&mut blocks, &mut current);
    blocks.join("\n\n")
}

fn push_block(blocks: &mut Vec<String>, current: &mut String) {
    let text = collapse_whitespace(&html_escape::decode_html_entities(current));
    if !text.is_empty() {
        blocks.push(text);
    }
    current.clear();
}

/// `s` with each run of white space made one space and none at either end, as a browser shows
/// it; soft hyphens dropped, as they only say where a word may break and in plain text they
/// split the words that search and comparison look for ("Mit\u{ad}tel\u{ad}al\u{ad}ter").
pub(crate) fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let bytes = s.as_bytes();
    // Stretches already as they should be (words joined by single spaces) are copied whole;
    // only bytes past ASCII are decoded. Most text is ASCII with single spaces, and this
    // runs over every paragraph of every page.
    let mut stretch: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        if stretch.is_some() {
            while i < bytes.len() && bytes[i] < 0x80 {
                let b = bytes[i];
                let lone_space = b == b' '
                    && bytes
                        .get(i + 1)
                        .is_some_and(|&n| n < 0x80 && !is_ascii_space(n));
                if is_ascii_space(b) && !lone_space {
                    break;
                }
                i += 1;
            }
            if i == bytes.len() {
                break;
            }
        }
        let b = bytes[i];
        let (width, is_space, is_dropped) = if b < 0x80 {
            (1, is_ascii_space(b), false)
        } else {
            let c = s[i..].chars().next().unwrap_or(' ');
            (c.len_utf8(), c.is_whitespace(), c == SOFT_HYPHEN)
        };
        if is_space || is_dropped {
            if let Some(start) = stretch.take() {
                out.push_str(&s[start..i]);
                if is_dropped {
                    stretch = Some(i + width);
                }
            }
        } else if stretch.is_none() {
            if !out.is_empty() {
                out.push(' ');
            }
            stretch = Some(i);
        }
        i += width;
    }
    if let Some(start) = stretch {
        out.push_str(&s[start..]);
    }
    out
}

/// The ASCII characters `char::is_whitespace` takes (`u8::is_ascii_whitespace` leaves out the
/// vertical tab).
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

const SOFT_HYPHEN: char = '\u{ad}';

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_collapses_as_a_browser_shows_it() {
        for (raw, shown) in [
            ("", ""),
            (" \t\n ", ""),
            ("one", "one"),
            ("  one \r\n\t two\u{b}three\u{c} ", "one two three"),
            (
                "no\u{a0}break\u{3000}ideographic\u{2009}thin\u{85}next",
                "no break ideographic thin next",
            ),
            ("Mit\u{ad}tel\u{ad}al\u{ad}ter", "Mittelalter"),
            ("\u{ad}lead and trail\u{ad} ", "lead and trail"),
            ("a \u{ad} b", "a b"),
            ("one two  three four\n", "one two three four"),
            (
                "one \u{a0}two \u{e9}t\u{e9} three",
                "one two \u{e9}t\u{e9} three",
            ),
            ("Zürich  東京\u{200b}wide", "Zürich 東京\u{200b}wide"),
        ] {
            assert_eq!(collapse_whitespace(raw), shown, "{raw:?}");
        }
    }

    #[test]
    fn hostile_nesting_keeps_its_text_and_at_most_max_open_elements() {
        let depth = 100_000;
        let html = format!(
            "{}deep text{}",
            "<div><b>".repeat(depth),
            "</b></div>".repeat(depth)
        );
        let clean = sanitize_html(&html, None);
        assert!(clean.contains("deep text"));
        assert_eq!(
            clean.matches("<b>").count() + clean.matches("<div>").count(),
            MAX_OPEN
        );
        assert_eq!(clean.matches("<b>").count(), clean.matches("</b>").count());
        assert_eq!(
            clean.matches("<div>").count(),
            clean.matches("</div>").count()
        );
        assert_eq!(html_to_text(&html), "deep text");
    }

    #[test]
    fn comments_never_show_and_clean_output_stays_as_it_is() {
        // Found by the sanitize fuzz target: a comment before text came out as text.
        let dirty = "<!--\r\nNote: it's <q></q>\r\n-->\r\n<feed><entry>&lt;q&gt; it's \"so\"</entry></feed>";
        let clean = sanitize_html(dirty, None);
        assert_eq!(clean, "&lt;q&gt; it's \"so\"");
        assert_eq!(sanitize_html(&clean, None), clean);
        let clean = sanitize_html("a <!-- hidden --> b &amp; <b>c</b>", None);
        assert_eq!(clean, "a  b &amp; <b>c</b>");
        assert_eq!(sanitize_html(&clean, None), clean);
    }

    #[test]
    fn scripts_handlers_and_dangerous_urls_are_removed() {
        let dirty = r#"<p onclick="steal()">Hi <a href="javascript:alert(1)">x</a>
            <img src="data:image/png;base64,AAAA" onerror="x()"><script>bad()</script>
            <iframe src="https://evil.example"></iframe><form><input></form>
            <a href="/local">rel</a><span style="background:url(javascript:x)">s</span></p>"#;
        let base = Url::parse("https://outlet.example/news/").unwrap();
        let clean = sanitize_html(dirty, Some(&base));
        for bad in [
            "onclick",
            "javascript",
            "data:",
            "script",
            "iframe",
            "form",
            "input",
            "style",
            "onerror",
        ] {
            assert!(!clean.contains(bad), "{bad} survived in {clean}");
        }
        assert!(
            clean.contains(r#"href="https://outlet.example/local""#),
            "{clean}"
        );
    }

    #[test]
    fn video_players_stay_sandboxed_and_other_frames_go() {
        let html = r#"<p>Watch:</p><iframe src="https://www.youtube.com/embed/abc" width="560" onload="x()"></iframe><iframe src="https://evil.example/"></iframe><iframe src="javascript:alert(1)"></iframe>"#;
        let clean = sanitize_html(html, None);
        assert!(
            clean.contains(r#"src="https://www.youtube.com/embed/abc""#),
            "{clean}"
        );
        assert!(clean.contains("sandbox="), "{clean}");
        assert_eq!(clean.matches("<iframe").count(), 1, "{clean}");
        assert!(
            !clean.contains("evil") && !clean.contains("javascript") && !clean.contains("onload"),
            "{clean}"
        );
    }

    #[test]
    fn allowed_tags_are_sorted_for_binary_search() {
        assert!(ALLOWED_TAGS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn classic_xss_vectors_never_survive() {
        let vectors = [
            "<IMG SRC=\"javascript:alert('XSS');\">",
            "<img src=x onerror=alert(1)>",
            "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
            "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
            "<a href=\" javascript:alert(1)\">x</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<scr<script>ipt>alert(1)</script>",
            "<script/>alert(1)</script>",
            "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>",
            "<!--<script>--><script>alert(1)</script>",
            "<svg onload=alert(1)><script>alert(1)</script></svg>",
            "<math><a href=\"javascript:alert(1)\">x</a></math>",
            "<style>body{background:url(javascript:alert(1))}</style>",
            "<div style=\"width: expression(alert(1))\">x</div>",
            "<iframe src=\"data:text/html,<script>alert(1)</script>\"></iframe>",
            "<object data=\"javascript:alert(1)\"></object><embed src=\"javascript:alert(1)\">",
            "<form action=\"javascript:alert(1)\"><input type=submit></form>",
            "<a href='vbscript:msgbox(1)'>x</a><a href=\"data:text/html;base64,PHNjcmlwdD4=\">y</a>",
            "<p>unclosed <b>bold <i>italic",
            "</div></p><p>stray ends</span>",
            "<textarea><script>alert(1)</script></textarea>",
            "<img \"\"\"><script>alert(1)</script>\">",
            "<title><script>alert(1)</script></title>",
            "<<script>script>alert(1)<</script>/script>",
        ];
        for v in vectors {
            let clean = sanitize_html(v, None).to_lowercase();
            for bad in [
                "<script",
                "javascript:",
                "vbscript:",
                "data:",
                "onerror",
                "onload",
                "style",
                "expression",
                "<iframe",
                "<object",
                "<embed",
                "<form",
                "<input",
                "<svg",
                "<math",
                "<textarea",
                "<title",
            ] {
                assert!(!clean.contains(bad), "{bad} survived {v:?} as {clean:?}");
            }
            for tag in ["p", "b", "i", "a", "div", "span"] {
                assert_eq!(
                    clean.matches(&format!("<{tag}>")).count()
                        + clean.matches(&format!("<{tag} ")).count(),
                    clean.matches(&format!("</{tag}>")).count(),
                    "unbalanced <{tag}> from {v:?}: {clean:?}"
                );
            }
        }
        assert_eq!(
            sanitize_html("<p>unclosed <b>bold <i>italic", None),
            "<p>unclosed <b>bold <i>italic</i></b></p>"
        );
        assert_eq!(
            sanitize_html(
                "<P CLASS=x>Tom &amp; Jerry&nbsp;&lt;3 &copy; 1 < 2 &bogus;</P>",
                None
            ),
            "<p>Tom &amp; Jerry\u{a0}&lt;3 \u{a9} 1 &lt; 2 &amp;bogus;</p>"
        );
    }

    #[test]
    fn relative_links_without_a_base_are_dropped() {
        let clean = sanitize_html(r#"<a href="/x">x</a>"#, None);
        assert!(!clean.contains("href"), "{clean}");
    }

    #[test]
    fn text_of_html_keeps_paragraphs() {
        assert_eq!(
            html_to_text("<p>One  <b>bold</b>\n word.</p><p>Two &amp; three</p><script>x</script>"),
            "One bold word.\n\nTwo & three"
        );
    }
}
