//! Bytes of a feed -> parsed feed (RSS 0.9x/1.0/2.0, Atom, JSON Feed), and OPML subscription
//! lists. Pure: no IO.
//!
//! Parsing is `universal`, a port of Python's Universal Feed Parser and as tolerant; this
//! crate decides the encoding first, and makes what Parallax promises on top: entry identity
//! (GUID, else link, else a content hash), absolute links, HTML sanitized by Parallax's one
//! sanitizer, and warnings for what had to be guessed.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use url::Url;

mod dates;
pub mod opml;
pub mod sources_csv;
pub mod universal;

pub use universal::{Dict, Universal};

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

/// The raw hash of an entry: its title, link, summary and content as the feed wrote them.
fn raw_hash(e: &Dict) -> String {
    let mut h = Sha256::new();
    let content = e
        .get("content")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .and_then(|c| c.get("value"))
        .and_then(Value::as_str);
    for part in [
        str_at(e, "title"),
        str_at(e, "link"),
        str_at(e, "summary"),
        content,
    ] {
        h.update(part.unwrap_or("").as_bytes());
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

/// A feed document as the parser read it, before Parallax's normalisation: for evaluation
/// against other parsers' expectations.
pub struct Document {
    pub raw: Universal,
    /// The encoding the bytes were read in.
    pub encoding: &'static str,
    /// The charset label that chose it, as written.
    pub encoding_label: String,
    /// Why the bytes, or the type the server gave them, are not what a feed's should be.
    pub encoding_problem: Option<String>,
    pub warnings: Vec<String>,
}

/// What the HTTP response said about a document.
#[derive(Debug, Clone, Copy, Default)]
pub struct Origin<'a> {
    /// `Content-Type`, whose charset outranks the document's own declaration.
    pub content_type: Option<&'a str>,
    /// Where the document came from: the base of relative links.
    pub location: Option<&'a str>,
    /// `Content-Location`, which outranks `location` as the base.
    pub content_location: Option<&'a str>,
    /// `Content-Language`: the language of a document that does not say.
    pub language: Option<&'a str>,
}

impl Origin<'_> {
    /// The base of the document's relative links, as Universal Feed Parser decides it.
    fn base(&self) -> String {
        use universal::uris::make_safe_absolute_uri;
        let href = self.location.unwrap_or("");
        let located = self.content_location.unwrap_or("");
        [
            make_safe_absolute_uri(href, located),
            make_safe_absolute_uri(located, ""),
        ]
        .into_iter()
        .find(|b| !b.is_empty())
        .unwrap_or_else(|| href.to_string())
    }
}

/// Decodes and parses a feed document.
pub fn parse_document(bytes: &[u8], origin: &Origin<'_>) -> Result<Document> {
    read_document(bytes, origin, true)
}

fn read_document(bytes: &[u8], origin: &Origin<'_>, resolve_html_links: bool) -> Result<Document> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty);
    }
    let decoded = parallax_text::charset::decode(
        bytes,
        origin
            .content_type
            .and_then(parallax_text::charset::http_charset),
    );
    let mut doc = read_document_str(&decoded.text, origin, resolve_html_links)?;
    doc.encoding = decoded.encoding;
    doc.encoding_label = decoded.label;
    let mime = origin
        .content_type
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .filter(|t| !t.is_empty());
    doc.encoding_problem = decoded.warnings.first().cloned().or_else(|| {
        mime.filter(|m| !m.contains("xml") && !m.contains("json"))
            .map(|m| format!("served as {m}, not as XML"))
    });
    doc.warnings.splice(0..0, decoded.warnings);
    Ok(doc)
}

/// Parses a feed document already decoded to text; its declared encoding is ignored.
pub fn parse_document_str(text: &str, origin: &Origin<'_>) -> Result<Document> {
    read_document_str(text, origin, true)
}

fn read_document_str(
    text: &str,
    origin: &Origin<'_>,
    resolve_html_links: bool,
) -> Result<Document> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(Error::Empty);
    }
    let raw = if text.trim_start().starts_with('{') {
        universal::json::parse_json(text)
            .ok_or_else(|| Error::NotAFeed("JSON, but not a JSON Feed".into()))?
    } else {
        universal::read_xml(text, &origin.base(), origin.language, resolve_html_links)
    };
    let root = raw.root.rsplit(':').next().unwrap_or("");
    if !raw.root.is_empty() && !matches!(root, "rss" | "feed" | "rdf" | "channel") {
        return Err(Error::NotAFeed(format!(
            "the document is <{}>, not a feed",
            raw.root
        )));
    }
    if raw.version.is_empty() {
        let reason = match &raw.bozo {
            Some(why) => format!("format not recognised ({why})"),
            None => "format not recognised".into(),
        };
        return Err(Error::NotAFeed(reason));
    }
    Ok(Document {
        raw,
        encoding: "UTF-8",
        encoding_label: "utf-8".into(),
        encoding_problem: None,
        warnings: Vec::new(),
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

/// Parses a feed date of any shape feeds write (RFC 822 and its variants, ISO 8601, asctime,
/// zone names, no time) to UTC.
pub fn parse_feed_date(raw: &str) -> Option<DateTime<Utc>> {
    dates::parse_date(raw)
}

fn str_at<'a>(d: &'a Dict, key: &str) -> Option<&'a str> {
    d.get(key).and_then(Value::as_str)
}

fn date_at(d: &Dict, key: &str) -> Option<DateTime<Utc>> {
    str_at(d, key)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn objects<'a>(d: &'a Dict, key: &str) -> impl Iterator<Item = &'a Dict> {
    d.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
}

/// The type of a text construct (`title`, `summary`…) from its `_detail` (`detail` names it).
fn detail_type<'a>(d: &'a Dict, detail: &str) -> Option<&'a str> {
    d.get(detail)
        .and_then(|v| v.get("type"))
        .and_then(Value::as_str)
}

fn detail_base(d: &Dict, detail: &str) -> Option<Url> {
    d.get(detail)
        .and_then(|v| v.get("base"))
        .and_then(Value::as_str)
        .and_then(|b| Url::parse(b).ok())
}

/// A text construct as plain text, whatever its type.
fn plain_text(d: &Dict, key: &str, detail: &str) -> Option<String> {
    let value = str_at(d, key)?;
    let text = match detail_type(d, detail) {
        Some("text/plain") => collapse(value),
        _ => parallax_extract::html_to_text(value),
    };
    (!text.is_empty()).then_some(text)
}

/// Parses a feed document. `base` is the URL it was fetched from (relative links resolve
/// against it after the feed's own `xml:base`); `content_type` is the HTTP header, whose
/// charset outranks the document's own declaration.
pub fn parse_feed(
    bytes: &[u8],
    base: Option<&Url>,
    content_type: Option<&str>,
) -> Result<ParsedFeed> {
    let origin = Origin {
        content_type,
        location: base.map(Url::as_str),
        ..Origin::default()
    };
    // The sanitizer resolves the links of HTML values against their base as it goes.
    let Document {
        raw, mut warnings, ..
    } = read_document(bytes, &origin, false)?;
    let format = format_name(&raw.version);
    // A recognised format is a feed, however broken: what could be read is kept.
    if let Some(reason) = &raw.bozo {
        warnings.push(format!("recovered from an ill-formed document: {reason}"));
    }

    let meta = &raw.feed;
    let feed_link = str_at(meta, "link")
        .map(str::to_string)
        .or_else(|| pick_link(meta))
        .map(|href| absolutize(&href, base));
    let link_base = feed_link
        .as_deref()
        .and_then(|l| Url::parse(l).ok())
        .or_else(|| base.cloned());

    let mut entries = Vec::with_capacity(raw.entries.len());
    for (index, e) in raw.entries.iter().enumerate() {
        let link = str_at(e, "link")
            .map(str::to_string)
            .or_else(|| pick_link(e))
            .filter(|l| !l.trim().is_empty())
            .map(|href| absolutize(&href, link_base.as_ref()));
        let entry_base = link
            .as_deref()
            .and_then(|l| Url::parse(l).ok())
            .or_else(|| link_base.clone());
        let content_block = best_content(e);
        let content = content_block
            .and_then(|c| {
                let value = str_at(c, "value")?;
                let base = str_at(c, "base")
                    .and_then(|b| Url::parse(b).ok())
                    .or_else(|| entry_base.clone());
                Some(text_to_html(value, str_at(c, "type"), base.as_ref()))
            })
            .filter(|s| !s.is_empty());
        let summary = str_at(e, "summary")
            .filter(|s| content_block.and_then(|c| str_at(c, "value")) != Some(*s))
            .map(|s| {
                let base = detail_base(e, "summary_detail").or_else(|| entry_base.clone());
                text_to_html(s, detail_type(e, "summary_detail"), base.as_ref())
            })
            .filter(|s| !s.is_empty());
        let mut enclosures: Vec<Enclosure> = Vec::new();
        for l in objects(e, "links").filter(|l| str_at(l, "rel") == Some("enclosure")) {
            let Some(href) = str_at(l, "href").filter(|h| !h.trim().is_empty()) else {
                continue;
            };
            enclosures.push(Enclosure {
                url: absolutize(href, entry_base.as_ref()),
                media_type: str_at(l, "type").map(str::to_string),
                length: str_at(l, "length").and_then(|n| n.trim().parse().ok()),
            });
        }
        for m in objects(e, "media_content") {
            let Some(url) = str_at(m, "url").filter(|u| !u.trim().is_empty()) else {
                continue;
            };
            let url = absolutize(url, entry_base.as_ref());
            if !enclosures.iter().any(|x| x.url == url) {
                enclosures.push(Enclosure {
                    url,
                    media_type: str_at(m, "type").map(str::to_string),
                    length: str_at(m, "filesize").and_then(|n| n.trim().parse().ok()),
                });
            }
        }
        let mut authors: Vec<Person> = objects(e, "authors")
            .map(|p| Person {
                name: str_at(p, "name").map(collapse).filter(|n| !n.is_empty()),
                email: str_at(p, "email").map(str::to_string),
                uri: str_at(p, "href").map(str::to_string),
            })
            .filter(|p| p.name.is_some() || p.email.is_some() || p.uri.is_some())
            .collect();
        if authors.is_empty() {
            if let Some(name) = str_at(e, "author").map(collapse).filter(|n| !n.is_empty()) {
                authors.push(Person {
                    name: Some(name),
                    email: None,
                    uri: None,
                });
            }
        }
        let mut categories: Vec<String> = objects(e, "tags")
            .filter_map(|t| str_at(t, "label").or_else(|| str_at(t, "term")))
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        dedup(&mut categories);
        let mut read_date = |key: &str, parsed: &str| -> Option<DateTime<Utc>> {
            let written = str_at(e, key)?;
            let date = date_at(e, parsed);
            match date {
                Some(_) if !has_zone(written) => warnings.push(format!(
                    "entry {index}: date {written:?} has no time zone; taken as UTC"
                )),
                Some(_) => {}
                None => warnings.push(format!("entry {index}: unreadable date {written:?}")),
            }
            date
        };
        let updated = read_date("updated", "updated_parsed");
        // An entry's only date (RSS's `dc:date`, Atom's lone `updated`) is the best word
        // there is on when it was published.
        let published = read_date("published", "published_parsed").or(updated);
        let mut entry = Entry {
            id: String::new(),
            title: plain_text(e, "title", "title_detail"),
            link,
            published,
            updated,
            authors,
            summary,
            content,
            categories,
            enclosures,
            raw_hash: raw_hash(e),
        };
        entry.id = match str_at(e, "id").map(str::trim).filter(|id| !id.is_empty()) {
            Some(id) => id.to_string(),
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

    let image = meta
        .get("image")
        .and_then(|i| i.get("href"))
        .and_then(Value::as_str)
        .or_else(|| str_at(meta, "logo"))
        .or_else(|| str_at(meta, "icon"))
        .or_else(|| {
            // A channel's own Media RSS picture.
            objects(meta, "media_thumbnail")
                .chain(objects(meta, "media_content").filter(|m| {
                    str_at(m, "medium") == Some("image")
                        || str_at(m, "type").is_some_and(|t| t.starts_with("image/"))
                }))
                .find_map(|m| str_at(m, "url"))
        })
        .filter(|i| !i.trim().is_empty())
        .map(|u| absolutize(u, link_base.as_ref()));
    Ok(ParsedFeed {
        format,
        title: plain_text(meta, "title", "title_detail"),
        link: feed_link,
        description: plain_text(meta, "subtitle", "subtitle_detail")
            .or_else(|| plain_text(meta, "summary", "summary_detail")),
        language: str_at(meta, "language")
            .filter(|l| !l.is_empty())
            .map(str::to_string),
        // A feed that does not say when it changed changed with its newest entry.
        updated: date_at(meta, "updated_parsed")
            .or_else(|| date_at(meta, "published_parsed"))
            .or_else(|| {
                entries
                    .iter()
                    .filter_map(|e| e.updated.or(e.published))
                    .max()
            }),
        image,
        ttl_minutes: str_at(meta, "ttl").and_then(|t| t.trim().parse().ok()),
        entries,
        warnings,
    })
}

/// The `format` Parallax reports for a parsed version.
pub fn format_name(version: &str) -> &'static str {
    match version {
        "rss090" => "rss0.90",
        "rss091n" | "rss091u" => "rss0.91",
        "rss092" => "rss0.92",
        "rss10" => "rss1.0",
        "rss20" => "rss2.0",
        "atom03" => "atom0.3",
        "atom10" => "atom1.0",
        "json1" => "jsonfeed1.0",
        "json11" => "jsonfeed1.1",
        v if v.starts_with("atom") => "atom",
        _ => "rss",
    }
}

/// The richest content block: HTML over plain text, the first of each.
fn best_content(e: &Dict) -> Option<&Dict> {
    objects(e, "content")
        .find(|c| str_at(c, "type").is_some_and(|t| t.contains("html")))
        .or_else(|| objects(e, "content").next())
}

fn pick_link(d: &Dict) -> Option<String> {
    let links: Vec<&Dict> = objects(d, "links")
        .filter(|l| str_at(l, "href").is_some_and(|h| !h.trim().is_empty()))
        .collect();
    links
        .iter()
        .find(|l| str_at(l, "rel").is_none_or(|r| r == "alternate"))
        .or_else(|| {
            links
                .iter()
                .find(|l| !matches!(str_at(l, "rel"), Some("self" | "enclosure" | "license")))
        })
        .and_then(|l| str_at(l, "href"))
        .map(|h| h.trim().to_string())
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
fn text_to_html(value: &str, kind: Option<&str>, base: Option<&Url>) -> String {
    match kind {
        Some("text/plain") => parallax_extract::escape_text(value.trim()),
        _ => parallax_extract::sanitize_html(value, base),
    }
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
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
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
