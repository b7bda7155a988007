//! Feed discovery: the feeds a web page announces (`<link rel="alternate">` with a feed type),
//! and, failing that, links in the page whose address or text says "feed" or "RSS".

use scraper::Selector;
use url::Url;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLink {
    pub url: String,
    pub title: Option<String>,
    /// The announced media type, when the page gave one.
    pub media_type: Option<String>,
}

const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
];

/// Paths where sites commonly serve their feed, for when a page announces none.
pub const COMMON_FEED_PATHS: &[&str] = &[
    "/feed",
    "/rss",
    "/rss.xml",
    "/feed.xml",
    "/atom.xml",
    "/index.xml",
    "/feed.json",
    "/index.rdf",
    "/feeds/posts/default",
];

pub fn discover_feeds(html: &str, page: &Url) -> Vec<FeedLink> {
    // A page nested too deep to parse announces nothing we can read.
    let Ok(doc) = crate::parse::parse_page(html) else {
        return Vec::new();
    };
    let base = doc
        .select(&Selector::parse("base[href]").unwrap_or_else(|_| unreachable!("valid selector")))
        .next()
        .and_then(|b| b.attr("href"))
        .and_then(|h| page.join(h).ok())
        .unwrap_or_else(|| page.clone());
    let mut found: Vec<FeedLink> = Vec::new();
    let links = Selector::parse("link[href]").unwrap_or_else(|_| unreachable!("valid selector"));
    for link in doc.select(&links) {
        let rel = link.attr("rel").unwrap_or("").to_ascii_lowercase();
        let kind = link.attr("type").unwrap_or("").trim().to_ascii_lowercase();
        let is_feed_type = FEED_TYPES.iter().any(|t| kind.starts_with(t));
        // `rel="alternate"` with a feed type; `rel="feed"` (HTML's own) whatever the type.
        let announced = (rel.split_whitespace().any(|r| r == "alternate") && is_feed_type)
            || rel.split_whitespace().any(|r| r == "feed");
        if announced && !rel.contains("stylesheet") {
            if let Some(href) = link.attr("href") {
                push(
                    &mut found,
                    &base,
                    href,
                    link.attr("title").map(str::to_string),
                    (!kind.is_empty()).then_some(kind),
                );
            }
        }
    }
    if found.is_empty() {
        let anchors = Selector::parse("a[href]").unwrap_or_else(|_| unreachable!("valid selector"));
        for a in doc.select(&anchors) {
            let Some(href) = a.attr("href") else { continue };
            let lower = href.to_ascii_lowercase();
            let text: String = a.text().collect::<String>().trim().to_ascii_lowercase();
            let looks_like_feed = lower.ends_with(".rss")
                || lower.ends_with(".atom")
                || lower.ends_with("/feed")
                || lower.ends_with("/rss")
                || lower.contains("rss.xml")
                || lower.contains("atom.xml")
                || lower.contains("feed.xml")
                || lower.ends_with("feed.json")
                || text == "rss"
                || text == "atom"
                || text.contains("rss feed");
            if looks_like_feed {
                push(&mut found, &base, href, None, None);
            }
        }
    }
    found
}

fn push(
    found: &mut Vec<FeedLink>,
    base: &Url,
    href: &str,
    title: Option<String>,
    media_type: Option<String>,
) {
    if let Ok(url) = base.join(href.trim()) {
        if matches!(url.scheme(), "http" | "https") && !found.iter().any(|f| f.url == url.as_str())
        {
            found.push(FeedLink {
                url: url.to_string(),
                title,
                media_type,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announced_feeds_are_found_in_order_and_resolved() {
        let page = Url::parse("https://news.example/world/").unwrap();
        let html = r#"<html><head>
            <link rel="stylesheet" href="/s.css">
            <link rel="alternate" type="application/rss+xml" title="World" href="/world/rss.xml">
            <link rel="alternate" type="application/atom+xml" href="https://news.example/atom.xml">
            <link rel="alternate" hreflang="fr" href="/fr/">
            <link rel="alternate" type="application/rss+xml" href="/world/rss.xml">
        </head><body><a href="/feed">RSS</a></body></html>"#;
        let found = discover_feeds(html, &page);
        assert_eq!(
            found.iter().map(|f| f.url.as_str()).collect::<Vec<_>>(),
            [
                "https://news.example/world/rss.xml",
                "https://news.example/atom.xml"
            ]
        );
        assert_eq!(found[0].title.as_deref(), Some("World"));
    }

    #[test]
    fn links_in_the_page_are_the_fallback() {
        let page = Url::parse("https://blog.example/").unwrap();
        let html = r#"<body><a href="/about">About</a><a href="/index.xml">RSS</a><a href="javascript:x">rss</a></body>"#;
        let found = discover_feeds(html, &page);
        assert_eq!(
            found.iter().map(|f| f.url.as_str()).collect::<Vec<_>>(),
            ["https://blog.example/index.xml"]
        );
    }
}
