//! Bytes of a feed -> parsed feed (RSS 0.9x/1.0/2.0, Atom, JSON Feed), and OPML subscription
//! lists. Pure: no IO.
//!
//! Parsing itself is feed-rs's; this crate fixes what Parallax promises on top of it: entry
//! identity (GUID, else link, else a content hash), absolute links, sanitized HTML, and
//! warnings for what had to be guessed.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use url::Url;

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
    /// `rss0.9`, `rss1.0`, `rss2.0`, `atom` or `jsonfeed`.
    pub format: &'static str,
    pub title: Option<String>,
    pub link: Option<String>,
    pub description: Option<String>,
    pub language: Option<String>,
    pub updated: Option<DateTime<Utc>>,
    pub image: Option<String>,
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
}

impl Entry {
    /// Hash of what the feed says about the entry; a change means the entry was edited.
    pub fn content_hash(&self) -> String {
        let mut h = Sha256::new();
        for part in [
            self.title.as_deref(),
            self.link.as_deref(),
            self.summary.as_deref(),
            self.content.as_deref(),
        ] {
            h.update(part.unwrap_or("").as_bytes());
            h.update([0u8]);
        }
        hex(&h.finalize()[..16])
    }
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

/// Marker feed-rs returns from our id generator when an entry has neither GUID nor link.
const NO_ID: &str = "parallax:no-id";

/// Parses a feed document. `base` is the URL it was fetched from; relative links resolve
/// against it.
pub fn parse_feed(bytes: &[u8], base: Option<&Url>) -> Result<ParsedFeed> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty);
    }
    let parser = feed_rs::parser::Builder::new()
        .base_uri(base.map(Url::as_str))
        .id_generator(|links, _title, _uri| {
            links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .map(|l| l.href.clone())
                .unwrap_or_else(|| NO_ID.to_string())
        })
        .build();
    let feed = parser
        .parse(bytes)
        .map_err(|e| Error::NotAFeed(e.to_string()))?;
    let mut warnings = Vec::new();

    let format = match feed.feed_type {
        feed_rs::model::FeedType::Atom => "atom",
        feed_rs::model::FeedType::JSON => "jsonfeed",
        feed_rs::model::FeedType::RSS0 => "rss0.9",
        feed_rs::model::FeedType::RSS1 => "rss1.0",
        feed_rs::model::FeedType::RSS2 => "rss2.0",
    };
    let feed_link = pick_link(&feed.links).map(|href| absolutize(&href, base));
    let link_base = feed_link
        .as_deref()
        .and_then(|l| Url::parse(l).ok())
        .or_else(|| base.cloned());

    let mut entries = Vec::with_capacity(feed.entries.len());
    for (index, raw) in feed.entries.into_iter().enumerate() {
        let link = pick_link(&raw.links).map(|href| absolutize(&href, link_base.as_ref()));
        let entry_base = link
            .as_deref()
            .and_then(|l| Url::parse(l).ok())
            .or_else(|| link_base.clone());
        let summary = raw
            .summary
            .as_ref()
            .map(|t| text_to_html(t, entry_base.as_ref()));
        let content = raw
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .map(|body| parallax_extract::sanitize_html(body, entry_base.as_ref()));
        let title = raw
            .title
            .as_ref()
            .map(|t| parallax_extract::html_to_text(&t.content))
            .filter(|t| !t.is_empty());
        let mut enclosures: Vec<Enclosure> = raw
            .links
            .iter()
            .filter(|l| is_enclosure(l))
            .map(|l| Enclosure {
                url: absolutize(&l.href, entry_base.as_ref()),
                media_type: l.media_type.clone(),
                length: l.length,
            })
            .collect();
        for media in &raw.media {
            for mc in &media.content {
                if let Some(url) = &mc.url {
                    if !enclosures.iter().any(|e| e.url == url.as_str()) {
                        enclosures.push(Enclosure {
                            url: url.to_string(),
                            media_type: mc.content_type.as_ref().map(|m| m.to_string()),
                            length: mc.size,
                        });
                    }
                }
            }
        }
        let mut entry = Entry {
            id: String::new(),
            title,
            link,
            published: raw.published,
            updated: raw.updated,
            authors: raw
                .authors
                .iter()
                .map(|p| Person {
                    name: p.name.clone().filter(|n| !n.trim().is_empty()),
                    email: p.email.clone(),
                    uri: p.uri.clone(),
                })
                .collect(),
            summary,
            content,
            categories: raw
                .categories
                .iter()
                .map(|c| c.label.clone().unwrap_or_else(|| c.term.clone()))
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect(),
            enclosures,
        };
        entry.id = if raw.id != NO_ID && !raw.id.trim().is_empty() {
            raw.id.trim().to_string()
        } else if let Some(link) = &entry.link {
            link.clone()
        } else {
            warnings.push(format!(
                "entry {index} has neither id nor link; identified by a hash of its content"
            ));
            format!("sha256:{}", entry.content_hash())
        };
        if entry.published.is_none() && entry.updated.is_none() {
            warnings.push(format!("entry {:?} has no date", entry.id));
        }
        entries.push(entry);
    }

    Ok(ParsedFeed {
        format,
        title: feed
            .title
            .map(|t| parallax_extract::html_to_text(&t.content)),
        link: feed_link,
        description: feed
            .description
            .map(|t| parallax_extract::html_to_text(&t.content)),
        language: feed.language,
        updated: feed.updated,
        image: feed
            .logo
            .or(feed.icon)
            .map(|i| absolutize(&i.uri, link_base.as_ref())),
        entries,
        warnings,
    })
}

/// A link to a media file: RSS enclosures, and JSON Feed attachments (links with a media type).
fn is_enclosure(link: &feed_rs::model::Link) -> bool {
    match link.rel.as_deref() {
        Some("enclosure") => true,
        None => link.media_type.as_deref().is_some_and(|t| !is_page_type(t)),
        _ => false,
    }
}

fn is_page_type(media_type: &str) -> bool {
    media_type.starts_with("text/html") || media_type.starts_with("application/xhtml")
}

fn pick_link(links: &[feed_rs::model::Link]) -> Option<String> {
    links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate") && !is_enclosure(l))
        .or_else(|| links.iter().find(|l| l.rel.as_deref() != Some("self")))
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

/// Feed text constructs may be plain text or HTML; either way the result is safe HTML.
fn text_to_html(text: &feed_rs::model::Text, base: Option<&Url>) -> String {
    if text.content_type.essence().to_string() == "text/plain" {
        parallax_extract::escape_text(&text.content)
    } else {
        parallax_extract::sanitize_html(&text.content, base)
    }
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
        let feed = parse_feed(xml, Some(&base())).unwrap();
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
        let feed = parse_feed(xml, None).unwrap();
        assert!(feed.entries[0].id.starts_with("sha256:"));
        assert!(!feed.warnings.is_empty());
        let again = parse_feed(xml, None).unwrap();
        assert_eq!(feed.entries[0].id, again.entries[0].id);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(parse_feed(b"<html><body>Not a feed</body></html>", None).is_err());
        assert!(parse_feed(b"   ", None).is_err());
        assert!(parse_feed(&[0xff, 0xfe, 0x00, 0x3c], None).is_err());
    }

    #[test]
    fn json_feed_and_atom_are_read() {
        let json = br#"{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","url":"https://j.example/1","title":"One","content_html":"<p>x</p>","date_published":"2026-11-02T08:00:00Z"}]}"#;
        let feed = parse_feed(json, None).unwrap();
        assert_eq!(feed.format, "jsonfeed");
        assert_eq!(feed.entries[0].id, "1");
        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id><updated>2026-11-02T08:00:00Z</updated>
<entry><id>urn:e1</id><title type="html">&lt;b&gt;Bold&lt;/b&gt; news</title><link href="https://a.example/e1"/><updated>2026-11-02T08:00:00Z</updated><author><name>Ana Ruiz</name></author><content type="html">&lt;p&gt;Text&lt;/p&gt;</content></entry></feed>"#;
        let feed = parse_feed(atom, None).unwrap();
        assert_eq!(feed.format, "atom");
        let e = &feed.entries[0];
        assert_eq!(e.title.as_deref(), Some("Bold news"));
        assert_eq!(e.authors[0].name.as_deref(), Some("Ana Ruiz"));
        assert_eq!(e.content.as_deref(), Some("<p>Text</p>"));
    }
}
