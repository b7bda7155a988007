//! The sanitizer: every piece of HTML that came from outside passes through here before it is
//! stored or shown. Scripts, event handlers, styles, forms, frames and `javascript:`/`data:`
//! URLs never survive; the article's structure (paragraphs, headings, lists, quotes, tables,
//! links, images) does.

use std::cell::RefCell;
use std::collections::HashSet;

use ammonia::{Builder, UrlRelative};
use scraper::{Html, Node};
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

fn builder() -> Builder<'static> {
    let tags: HashSet<&str> = ALLOWED_TAGS.iter().copied().collect();
    let mut builder = Builder::default();
    builder
        .tags(tags)
        .add_tag_attributes("a", ["href", "title"])
        .add_tag_attributes("img", ["src", "alt", "title", "width", "height"])
        .add_tag_attributes("time", ["datetime"])
        .add_tag_attributes("td", ["colspan", "rowspan"])
        .add_tag_attributes("th", ["colspan", "rowspan", "scope"])
        .add_tag_attributes("blockquote", ["cite"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow ugc"))
        .strip_comments(true)
        // Embedded videos from the allow-listed players stay, sandboxed; other frames lose
        // their source (and are then dropped below).
        .add_tags(["iframe"])
        .add_tag_attributes(
            "iframe",
            ["src", "width", "height", "title", "allowfullscreen"],
        )
        .set_tag_attribute_value(
            "iframe",
            "sandbox",
            "allow-scripts allow-same-origin allow-presentation",
        )
        .set_tag_attribute_value("iframe", "loading", "lazy")
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("iframe", "src") => is_video_player(value).then(|| value.into()),
            _ => Some(value.into()),
        });
    builder
}

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

/// Frames left without a source (not an allow-listed player) are removed.
fn drop_empty_frames(html: String) -> String {
    if !html.contains("<iframe") {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(start) = rest.find("<iframe") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..]
            .find("</iframe>")
            .map(|e| start + e + "</iframe>".len())
        else {
            rest = &rest[start..];
            break;
        };
        let frame = &rest[start..end];
        let open_end = frame.find('>').unwrap_or(frame.len());
        if frame[..open_end].contains(" src=") {
            out.push_str(frame);
        } else {
            // What a frame holds is raw text, written out unescaped inside it: outside, it
            // must be escaped, or a "<script>" in it would come alive.
            let inner = frame
                .get(open_end + 1..frame.len() - "</iframe>".len())
                .unwrap_or("");
            out.push_str(&escape_text(inner));
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

thread_local! {
    // Building the policy allocates a dozen sets; a feed sanitizes hundreds of fragments.
    static BUILDER: RefCell<Builder<'static>> = RefCell::new(builder());
}

/// Sanitizes an HTML fragment. Relative URLs become absolute against `base` when given, and
/// are dropped otherwise (a relative link would point into Parallax's own site).
pub fn sanitize_html(html: &str, base: Option<&Url>) -> String {
    // Text without markup or entities needs no parser, only escaping of what is left; markup
    // nested beyond reason is not parsed at all.
    if !html.contains('<') {
        // Entities alone: what they name, escaped again where HTML needs it.
        return escape_text(html_escape::decode_html_entities(html).trim());
    }
    if crate::depth::nests_deeper_than(html, crate::depth::MAX_DEPTH) {
        return escape_text(&crate::depth::strip_tags(html));
    }
    BUILDER.with(|cell| {
        let mut builder = cell.borrow_mut();
        builder.url_relative(match base {
            Some(base) => UrlRelative::RewriteWithBase(base.clone()),
            None => UrlRelative::Deny,
        });
        drop_empty_frames(builder.clean(html).to_string().trim().to_string())
    })
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
    if crate::depth::nests_deeper_than(html, crate::depth::MAX_DEPTH) {
        return crate::depth::strip_tags(html);
    }
    let doc = Html::parse_fragment(html);
    let mut blocks = Vec::new();
    let mut current = String::new();
    collect_blocks(doc.tree.root(), &mut blocks, &mut current, 0);
    push_block(&mut blocks, &mut current);
    blocks.join("\n\n")
}

fn collect_blocks(
    node: ego_tree::NodeRef<'_, Node>,
    blocks: &mut Vec<String>,
    current: &mut String,
    depth: usize,
) {
    // Deeper than any real fragment: the walk stops rather than exhaust the stack.
    if depth > 512 {
        return;
    }
    for child in node.children() {
        match child.value() {
            Node::Text(t) => current.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if matches!(name, "script" | "style" | "noscript" | "template") {
                    continue;
                }
                let is_block = BLOCK_TAGS.contains(&name);
                if is_block {
                    push_block(blocks, current);
                }
                collect_blocks(child, blocks, current, depth + 1);
                if is_block {
                    push_block(blocks, current);
                }
            }
            _ => {}
        }
    }
}

fn push_block(blocks: &mut Vec<String>, current: &mut String) {
    let text = collapse_whitespace(current);
    if !text.is_empty() {
        blocks.push(text);
    }
    current.clear();
}

pub(crate) fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

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
