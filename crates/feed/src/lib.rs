//! Bytes of a feed -> parsed feed (RSS 0.9x/1.0/2.0, Atom, JSON Feed), and OPML subscription
//! lists. Pure: no IO.
//!
//! Parsing itself is feedparser-rs's, a port of Python's Universal Feed Parser and as
//! tolerant; this crate decides the encoding, and fixes what Parallax promises on top: entry
//! identity (GUID, else link, else a content hash), absolute links, HTML sanitized by
//! Parallax's one sanitizer, and warnings for what had to be guessed.

use chrono::{DateTime, Utc};
use feedparser_rs as fp;
use serde::Serialize;
use sha2::{Digest, Sha256};
use url::Url;

mod compat;
mod dates;
mod mask;
pub mod opml;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not a feed: {0}")]
    NotAFeed(String),
    #[error("empty document")]
    Empty,
}

pub type Result<T> = std::result::Result<T, Error>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParsedFeed {
    /// `rss0.90`, `rss0.91`, `rss0.92`, `rss1.0`, `rss2.0`, `atom0.3`, `atom1.0`,
    /// `jsonfeed1.0` or `jsonfeed1.1`.
    pub format: &'static str,
    pub title: Option<String>,
    pub link: Option<String>,
    pub description: Option<String>,
    pub language: Option<String>,
    pub updated: Option<DateTime<Utc>>,
    pub image: Option<String>,
    /// RSS `<ttl>`: minutes the publisher asks readers to wait between polls.
    pub ttl_minutes: Option<u32>,
    pub entries: Vec<Entry>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// Stable identity: the GUID, else the link, else a hash of the content.
    pub id: String,
    pub title: Option<String>,
    pub link: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    pub authors: Vec<Person>,
    /// Sanitized HTML.
    pub summary: Option<String>,
    /// Sanitized HTML.
    pub content: Option<String>,
    pub categories: Vec<String>,
    pub enclosures: Vec<Enclosure>,
    #[serde(skip)]
    raw_hash: String,
}

impl Entry {
    /// Hash of what the feed says about the entry, as the feed wrote it (before Parallax
    /// sanitized it, so a change of sanitizer does not make every entry look edited); a
    /// change means the entry was edited.
    pub fn content_hash(&self) -> &str {
        &self.raw_hash
    }
}

/// The raw hash of an entry: its title, link, summary and content as the feed wrote them
/// (with masked hosts restored: their placeholders depend on the rest of the document).
fn raw_hash(e: &fp::Entry, masks: &mask::Masks) -> String {
    let mut h = Sha256::new();
    let content = e.content.first().map(|c| c.value.as_str());
    for part in [
        e.title.as_deref(),
        e.link.as_deref(),
        e.summary.as_deref(),
        content,
    ] {
        h.update(masks.restore(part.unwrap_or("")).as_bytes());
        h.update([0u8]);
    }
    hex(&h.finalize()[..16])
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub name: Option<String>,
    pub email: Option<String>,
    pub uri: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Enclosure {
    pub url: String,
    #[serde(rename = "type")]
    pub media_type: Option<String>,
    pub length: Option<u64>,
}

/// A feed document as the underlying parser read it, before Parallax's normalisation: for
/// evaluation against other parsers' expectations.
pub struct Document {
    pub raw: fp::ParsedFeed,
    /// The encoding the bytes were read in.
    pub encoding: &'static str,
    /// The charset label that chose it, as written.
    pub encoding_label: String,
    /// `<rss>` of a version no specification defines, read as RSS 2.0.
    pub generic_rss: bool,
    pub warnings: Vec<String>,
    masks: mask::Masks,
}

impl Document {
    /// A string of the raw parse with any masked private host restored.
    pub fn restore(&self, s: &str) -> String {
        self.masks.restore(s)
    }
}

pub use feedparser_rs as raw;

/// Decodes and parses a feed document; `content_type` is the HTTP header, whose charset
/// outranks the document's own declaration.
pub fn parse_document(bytes: &[u8], content_type: Option<&str>) -> Result<Document> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty);
    }
    let decoded = parallax_text::charset::decode(
        bytes,
        content_type.and_then(parallax_text::charset::http_charset),
    );
    let mut doc = parse_document_str(&decoded.text)?;
    doc.encoding = decoded.encoding;
    doc.encoding_label = decoded.label;
    doc.warnings.splice(0..0, decoded.warnings);
    Ok(doc)
}

/// Parses a feed document already decoded to text; its declared encoding is ignored.
pub fn parse_document_str(text: &str) -> Result<Document> {
    if text.trim().is_empty() {
        return Err(Error::Empty);
    }
    let text = declare_utf8(text);
    let (text, masks) = mask::mask_unsafe_hosts(&text);
    let options = fp::ParseOptions {
        // Parallax's own sanitizer is the one policy for every outside HTML.
        sanitize_html: false,
        ..fp::ParseOptions::default()
    };
    let mut feed = fp::parse_with_options(text.as_bytes(), &options)
        .map_err(|e| Error::NotAFeed(e.to_string()))?;
    let mut generic_rss = false;
    if feed.version == fp::FeedVersion::Unknown {
        // `<rss version="0.94">`, "2.1" and other versions no specification defines are still
        // RSS, as Universal Feed Parser reads them.
        if let Some(patched) = as_rss20(&text) {
            if let Ok(reparsed) = fp::parse_with_options(patched.as_bytes(), &options) {
                if reparsed.version != fp::FeedVersion::Unknown {
                    feed = reparsed;
                    generic_rss = true;
                }
            }
        }
    }
    if feed.version == fp::FeedVersion::Unknown {
        let reason = feed
            .bozo_exception
            .unwrap_or_else(|| "format not recognised".into());
        return Err(Error::NotAFeed(reason));
    }
    compat::fix(&mut feed);
    Ok(Document {
        raw: feed,
        encoding: "UTF-8",
        encoding_label: "utf-8".into(),
        generic_rss,
        warnings: Vec::new(),
        masks,
    })
}

/// Whether a charset label can be decoded.
pub fn supports_charset(label: &str) -> bool {
    parallax_text::charset::lookup(label).is_some()
}

/// Decodes by byte-order mark, else as UTF-8 with invalid bytes replaced.
pub fn decode_bom_or_utf8(bytes: &[u8]) -> String {
    parallax_text::charset::decode_bom_or_utf8(bytes)
}

/// Parses a feed date the way entries' dates are parsed: feedparser-rs's parser, then
/// Parallax's own for the shapes it misses (zone names, no time, asctime).
pub fn parse_feed_date(raw: &str) -> Option<DateTime<Utc>> {
    fp::util::date::parse_date(raw).or_else(|| dates::parse_loose(raw))
}

/// Parses a feed document. `base` is the URL it was fetched from (relative links resolve
/// against it after the feed's own `xml:base`); `content_type` is the HTTP header, whose
/// charset outranks the document's own declaration.
pub fn parse_feed(
    bytes: &[u8],
    base: Option<&Url>,
    content_type: Option<&str>,
) -> Result<ParsedFeed> {
    let Document {
        raw: feed,
        generic_rss,
        mut warnings,
        masks,
        ..
    } = parse_document(bytes, content_type)?;
    let format = format_name(feed.version, generic_rss);
    // A recognised format is a feed, however broken: what could be read is kept.
    if feed.bozo {
        let reason = feed
            .bozo_exception
            .as_deref()
            .unwrap_or("ill-formed document");
        warnings.push(format!("recovered from an ill-formed document: {reason}"));
    }

    let meta = &feed.feed;
    let feed_link = meta
        .link
        .clone()
        .or_else(|| pick_link(&meta.links))
        .map(|href| absolutize(&href, base));
    let link_base = feed_link
        .as_deref()
        .and_then(|l| Url::parse(l).ok())
        .or_else(|| base.cloned());

    let mut entries = Vec::with_capacity(feed.entries.len());
    for (index, raw) in feed.entries.iter().enumerate() {
        let link = raw
            .link
            .clone()
            .or_else(|| pick_link(&raw.links))
            .map(|href| absolutize(&href, link_base.as_ref()));
        let entry_base = link
            .as_deref()
            .and_then(|l| Url::parse(l).ok())
            .or_else(|| link_base.clone());
        let summary = raw
            .summary
            .as_deref()
            .map(|s| {
                text_to_html(
                    s,
                    raw.summary_detail.as_ref().map(|d| d.content_type),
                    entry_base.as_ref(),
                )
            })
            .filter(|s| !s.is_empty());
        let content = best_content(&raw.content)
            .map(|c| {
                let kind = c.content_type.as_deref().map(text_type_of);
                text_to_html(&c.value, kind, entry_base.as_ref())
            })
            .filter(|s| !s.is_empty());
        let title = raw
            .title
            .as_deref()
            .map(
                |t| match raw.title_detail.as_ref().map(|d| d.content_type) {
                    Some(fp::TextType::Text) => collapse(t),
                    _ => parallax_extract::html_to_text(t),
                },
            )
            .filter(|t| !t.is_empty());
        let mut enclosures: Vec<Enclosure> = raw
            .enclosures
            .iter()
            .map(|e| Enclosure {
                url: absolutize(&e.url, entry_base.as_ref()),
                media_type: e.enclosure_type.as_deref().map(str::to_string),
                length: e.length.as_deref().and_then(|l| l.trim().parse().ok()),
            })
            .collect();
        for m in &raw.media_content {
            let url = absolutize(&m.url, entry_base.as_ref());
            if !enclosures.iter().any(|e| e.url == url) {
                enclosures.push(Enclosure {
                    url,
                    media_type: m.content_type.as_deref().map(str::to_string),
                    length: None,
                });
            }
        }
        let mut authors: Vec<Person> = raw
            .authors
            .iter()
            .map(|p| Person {
                name: p.name.as_deref().map(collapse).filter(|n| !n.is_empty()),
                email: p.email.as_deref().map(str::to_string),
                uri: p.uri.clone(),
            })
            .filter(|p| p.name.is_some() || p.email.is_some() || p.uri.is_some())
            .collect();
        if authors.is_empty() {
            if let Some(name) = raw
                .author
                .as_deref()
                .or(raw.dc_creator.as_deref())
                .map(collapse)
                .filter(|n| !n.is_empty())
            {
                authors.push(Person {
                    name: Some(name),
                    email: None,
                    uri: None,
                });
            }
        }
        let mut categories: Vec<String> = raw
            .tags
            .iter()
            .map(|t| t.label.as_deref().unwrap_or(&t.term).trim().to_string())
            .chain(raw.dc_subject.iter().map(|s| s.trim().to_string()))
            .filter(|c| !c.is_empty())
            .collect();
        dedup(&mut categories);
        // Where the parser could not read a date, Parallax's own reading is tried, and said.
        let mut reread =
            |date: Option<DateTime<Utc>>, raw_str: Option<&str>| -> Option<DateTime<Utc>> {
                let s = raw_str?;
                match date {
                    Some(d) => {
                        if !has_zone(s) {
                            warnings.push(format!(
                                "entry {index}: date {s:?} has no time zone; taken as UTC"
                            ));
                        }
                        Some(d)
                    }
                    None => {
                        let guessed = dates::parse_loose(s);
                        warnings.push(match guessed {
                            Some(d) => {
                                format!("entry {index}: date {s:?} guessed as {}", d.to_rfc3339())
                            }
                            None => format!("entry {index}: unreadable date {s:?}"),
                        });
                        guessed
                    }
                }
            };
        let published = reread(raw.published, raw.published_str.as_deref())
            .or(raw.published)
            .or(raw.dc_date);
        let updated = reread(raw.updated, raw.updated_str.as_deref()).or(raw.updated);
        let mut entry = Entry {
            id: String::new(),
            title,
            link,
            published,
            updated,
            authors,
            summary,
            content,
            categories,
            enclosures,
            raw_hash: raw_hash(raw, &masks),
        };
        restore_entry(&mut entry, &masks);
        entry.id = match raw.id.as_deref().map(str::trim).filter(|id| !id.is_empty()) {
            Some(id) => masks.restore(id),
            None => match &entry.link {
                Some(link) => link.clone(),
                None => {
                    warnings.push(format!(
                        "entry {index} has neither id nor link; identified by a hash of its content"
                    ));
                    format!("sha256:{}", entry.content_hash())
                }
            },
        };
        if entry.published.is_none() && entry.updated.is_none() {
            warnings.push(format!("entry {:?} has no date", entry.id));
        }
        entries.push(entry);
    }

    let mut parsed = ParsedFeed {
        format,
        title: meta
            .title
            .as_deref()
            .map(parallax_extract::html_to_text)
            .filter(|t| !t.is_empty()),
        link: feed_link,
        description: meta
            .subtitle
            .as_deref()
            .or(meta.summary.as_deref())
            .map(parallax_extract::html_to_text)
            .filter(|t| !t.is_empty()),
        language: meta.language.as_deref().map(str::to_string),
        updated: meta.updated.or(meta.published),
        image: meta
            .image
            .as_ref()
            .map(|i| i.url.to_string())
            .or_else(|| meta.logo.clone())
            .or_else(|| meta.icon.clone())
            .map(|u| absolutize(&u, link_base.as_ref())),
        ttl_minutes: meta.ttl.as_deref().and_then(|t| t.trim().parse().ok()),
        entries,
        warnings,
    };
    restore_hosts(&mut parsed, &masks);
    Ok(parsed)
}

fn restore_hosts(feed: &mut ParsedFeed, masks: &mask::Masks) {
    masks.restore_opt(&mut feed.link);
    masks.restore_opt(&mut feed.image);
    masks.restore_opt(&mut feed.title);
    masks.restore_opt(&mut feed.description);
}

fn restore_entry(e: &mut Entry, masks: &mask::Masks) {
    masks.restore_opt(&mut e.title);
    masks.restore_opt(&mut e.link);
    masks.restore_opt(&mut e.summary);
    masks.restore_opt(&mut e.content);
    for a in &mut e.authors {
        masks.restore_opt(&mut a.uri);
    }
    for enc in &mut e.enclosures {
        masks.restore_in_place(&mut enc.url);
    }
}

/// The `format` Parallax reports for a parsed version.
pub fn format_name(version: fp::FeedVersion, generic_rss: bool) -> &'static str {
    match version {
        _ if generic_rss => "rss",
        fp::FeedVersion::Rss090 => "rss0.90",
        fp::FeedVersion::Rss091Netscape | fp::FeedVersion::Rss091Userland => "rss0.91",
        fp::FeedVersion::Rss092 => "rss0.92",
        fp::FeedVersion::Rss10 => "rss1.0",
        fp::FeedVersion::Rss20 => "rss2.0",
        fp::FeedVersion::Atom03 => "atom0.3",
        fp::FeedVersion::Atom10 => "atom1.0",
        fp::FeedVersion::JsonFeed10 => "jsonfeed1.0",
        fp::FeedVersion::JsonFeed11 => "jsonfeed1.1",
        fp::FeedVersion::Unknown => "unknown",
    }
}

/// The document with its `<rss>` root declared as version 2.0, if its root is `<rss>`.
fn as_rss20(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<rss")?;
    // Only a root element: nothing but a prolog, comments and a doctype before it.
    let prefix = &lower[..start];
    if prefix.matches('<').count() > prefix.matches("<!").count() + prefix.matches("<?").count() {
        return None;
    }
    let end = start + lower[start..].find('>')?;
    let tag = &text[start..end];
    let cleaned: String = tag
        .split_whitespace()
        .filter(|part| !part.to_ascii_lowercase().starts_with("version="))
        .collect::<Vec<_>>()
        .join(" ");
    Some(format!(
        "{}{} version=\"2.0\"{}",
        &text[..start],
        cleaned,
        &text[end..]
    ))
}

/// The parser reads the XML declaration's encoding; the text is UTF-8 by now, so it must say so.
fn declare_utf8(text: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = text.trim_start_matches('\u{feff}');
    let Some(rest) = trimmed.strip_prefix("<?xml") else {
        return std::borrow::Cow::Borrowed(trimmed);
    };
    let Some(end) = rest.find("?>") else {
        return std::borrow::Cow::Borrowed(trimmed);
    };
    let decl = &rest[..end];
    match decl.find("encoding") {
        Some(_) => {
            let cleaned: String = decl
                .split_whitespace()
                .filter(|part| !part.starts_with("encoding"))
                .collect::<Vec<_>>()
                .join(" ");
            std::borrow::Cow::Owned(format!(
                "<?xml {cleaned} encoding=\"utf-8\"?>{}",
                &rest[end + 2..]
            ))
        }
        None => std::borrow::Cow::Borrowed(trimmed),
    }
}

/// The richest content block: HTML over plain text, the first of each.
fn best_content(content: &[fp::Content]) -> Option<&fp::Content> {
    content
        .iter()
        .find(|c| {
            c.content_type
                .as_deref()
                .is_some_and(|t| t.contains("html"))
        })
        .or_else(|| content.first())
}

fn text_type_of(mime: &str) -> fp::TextType {
    if mime.contains("xhtml") {
        fp::TextType::Xhtml
    } else if mime.contains("html") {
        fp::TextType::Html
    } else if mime.starts_with("text/") || mime == "text" {
        fp::TextType::Text
    } else {
        fp::TextType::Html
    }
}

fn pick_link(links: &[fp::Link]) -> Option<String> {
    links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| {
            links
                .iter()
                .find(|l| !matches!(l.rel.as_deref(), Some("self" | "enclosure")))
        })
        .map(|l| l.href.trim().to_string())
}

fn absolutize(href: &str, base: Option<&Url>) -> String {
    match base {
        Some(base) => base
            .join(href.trim())
            .map(String::from)
            .unwrap_or_else(|_| href.trim().to_string()),
        None => href.trim().to_string(),
    }
}

/// Feed text may be plain text or HTML; either way the result is safe HTML.
fn text_to_html(value: &str, kind: Option<fp::TextType>, base: Option<&Url>) -> String {
    match kind {
        Some(fp::TextType::Text) if !looks_like_html(value) => {
            parallax_extract::escape_text(value.trim())
        }
        _ => parallax_extract::sanitize_html(value, base),
    }
}

/// RSS says nothing of a description's type; feeds put HTML in it all the time.
fn looks_like_html(value: &str) -> bool {
    value.contains("</") || value.contains("/>") || value.contains("<p") || value.contains("<br")
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a date string names its time zone (an offset, `Z`, or a zone name).
fn has_zone(raw: &str) -> bool {
    let s = raw.trim();
    let tail: String = s
        .chars()
        .rev()
        .take(6)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    s.ends_with('Z')
        || s.ends_with('z')
        || tail.contains('+')
        || tail
            .rsplit_once('-')
            .is_some_and(|(_, after)| after.len() == 4 || after.len() == 5 && after.contains(':'))
        || s.rsplit(' ').next().is_some_and(|w| {
            w.len() >= 2 && w.len() <= 5 && w.chars().all(|c| c.is_ascii_uppercase())
        })
}

fn dedup(items: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|i| seen.insert(i.to_lowercase()));
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://outlet.example/feeds/main.xml").unwrap()
    }

    #[test]
    fn rss2_entries_get_absolute_links_and_clean_html() {
        let xml = br#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>Outlet</title><link>/</link>
<item><title>Storm &amp; flood</title><link>/news/storm</link>
<description>&lt;p onclick="x()"&gt;Hi&lt;script&gt;bad()&lt;/script&gt; &lt;a href="/a"&gt;a&lt;/a&gt;&lt;/p&gt;</description>
<pubDate>Tue, 03 Nov 2026 10:00:00 +0100</pubDate><category>World</category></item>
</channel></rss>"#;
        let feed = parse_feed(xml, Some(&base()), None).unwrap();
        assert_eq!(feed.format, "rss2.0");
        let e = &feed.entries[0];
        assert_eq!(e.title.as_deref(), Some("Storm & flood"));
        assert_eq!(e.link.as_deref(), Some("https://outlet.example/news/storm"));
        assert_eq!(e.id, "https://outlet.example/news/storm");
        let summary = e.summary.as_deref().unwrap();
        assert!(
            !summary.contains("script") && !summary.contains("onclick"),
            "{summary}"
        );
        assert!(summary.contains("https://outlet.example/a"), "{summary}");
        assert_eq!(
            e.published.unwrap().to_rfc3339(),
            "2026-11-03T09:00:00+00:00"
        );
        assert_eq!(e.categories, ["World"]);
    }

    #[test]
    fn entry_without_id_or_link_is_identified_by_content() {
        let xml = br#"<rss version="2.0"><channel><title>T</title>
<item><title>Only a title</title><description>Body</description></item></channel></rss>"#;
        let feed = parse_feed(xml, None, None).unwrap();
        assert!(feed.entries[0].id.starts_with("sha256:"));
        assert!(!feed.warnings.is_empty());
        let again = parse_feed(xml, None, None).unwrap();
        assert_eq!(feed.entries[0].id, again.entries[0].id);
    }

    #[test]
    fn rss_of_an_undefined_version_is_still_read() {
        let xml = b"<!-- c --><rss version=\"0.94\"><channel><title>T</title><item><title>A</title><link>https://x.example/a</link></item></channel></rss>";
        let feed = parse_feed(xml, None, None).unwrap();
        assert_eq!(feed.format, "rss");
        assert_eq!(feed.entries[0].link.as_deref(), Some("https://x.example/a"));
        assert!(parse_feed(b"<html><rss version=\"9\"></rss></html>", None, None).is_err());
    }

    #[test]
    fn links_to_private_hosts_survive_parsing() {
        let xml = b"<rss version=\"2.0\"><channel><title>T</title><link>http://10.0.0.7/</link><item><title>A</title><link>http://127.0.0.1:8080/a</link><description>&lt;a href=\"http://192.168.1.2/x\"&gt;x&lt;/a&gt;</description></item></channel></rss>";
        let feed = parse_feed(xml, None, None).unwrap();
        assert_eq!(feed.link.as_deref(), Some("http://10.0.0.7/"));
        let e = &feed.entries[0];
        assert_eq!(e.link.as_deref(), Some("http://127.0.0.1:8080/a"));
        assert!(
            e.summary
                .as_deref()
                .unwrap()
                .contains("http://192.168.1.2/x"),
            "{:?}",
            e.summary
        );
    }

    #[test]
    fn encodings_are_decided_before_parsing() {
        let latin1 = b"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss version=\"2.0\"><channel><title>Caf\xe9</title></channel></rss>";
        assert_eq!(
            parse_feed(latin1, None, None).unwrap().title.as_deref(),
            Some("Café")
        );
        let koi8 = b"<rss version=\"2.0\"><channel><title>\xf0\xd2\xc1\xd7\xc4\xc1</title></channel></rss>";
        assert_eq!(
            parse_feed(koi8, None, Some("text/xml; charset=koi8-r"))
                .unwrap()
                .title
                .as_deref(),
            Some("Правда")
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(parse_feed(b"<html><body>Not a feed</body></html>", None, None).is_err());
        assert!(parse_feed(b"   ", None, None).is_err());
        assert!(parse_feed(&[0xff, 0xfe, 0x00, 0x3c], None, None).is_err());
    }

    #[test]
    fn json_feed_and_atom_are_read() {
        let json = br#"{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","url":"https://j.example/1","title":"One","content_html":"<p>x</p>","date_published":"2026-11-02T08:00:00Z"}]}"#;
        let feed = parse_feed(json, None, None).unwrap();
        assert_eq!(feed.format, "jsonfeed1.1");
        assert_eq!(feed.entries[0].id, "1");
        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id><updated>2026-11-02T08:00:00Z</updated>
<entry><id>urn:e1</id><title type="html">&lt;b&gt;Bold&lt;/b&gt; news</title><link href="https://a.example/e1"/><updated>2026-11-02T08:00:00Z</updated><author><name>Ana Ruiz</name></author><content type="html">&lt;p&gt;Text&lt;/p&gt;</content></entry></feed>"#;
        let feed = parse_feed(atom, None, None).unwrap();
        assert_eq!(feed.format, "atom1.0");
        let e = &feed.entries[0];
        assert_eq!(e.title.as_deref(), Some("Bold news"));
        assert_eq!(e.authors[0].name.as_deref(), Some("Ana Ruiz"));
        assert_eq!(e.content.as_deref(), Some("<p>Text</p>"));
    }
}
