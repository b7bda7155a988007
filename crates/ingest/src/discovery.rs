//! From whatever address an operator gives (a feed, or a site's page) to the feed to follow.

use parallax_fetch::{Fetcher, Outcome, Validators};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovered {
    pub feed_url: String,
    /// The feed's own title.
    pub title: Option<String>,
    /// Other feeds the page announced.
    pub others: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    #[error("could not fetch {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("{0} is neither a feed nor a page that names one")]
    NoFeed(String),
}

async fn fetch(fetcher: &Fetcher, url: &str) -> Result<parallax_fetch::Fetched, String> {
    match fetcher.get(url, &Validators::default()).await {
        Ok(Outcome::Fetched(f)) => Ok(*f),
        Ok(Outcome::NotModified { .. }) => Err("304 to an unconditional request".into()),
        Err(e) => Err(e.to_string()),
    }
}

fn as_feed(f: &parallax_fetch::Fetched) -> Option<parallax_feed::ParsedFeed> {
    parallax_feed::parse_feed(&f.body, Some(&f.final_url), f.content_type.as_deref()).ok()
}

/// The feed at `url`: the URL itself when it serves a feed, else the first feed its page
/// announces, else the first common feed path of its site that serves one.
pub async fn discover(fetcher: &Fetcher, url: &str) -> Result<Discovered, DiscoveryError> {
    let page = fetch(fetcher, url)
        .await
        .map_err(|reason| DiscoveryError::Unreachable {
            url: url.to_string(),
            reason,
        })?;
    if let Some(feed) = as_feed(&page) {
        return Ok(Discovered {
            feed_url: page.final_url.to_string(),
            title: feed.title,
            others: Vec::new(),
        });
    }
    let charset = page
        .content_type
        .as_deref()
        .and_then(parallax_text::charset::http_charset);
    let html = parallax_text::charset::decode(&page.body, charset).text;
    let announced: Vec<String> = parallax_extract::discover_feeds(&html, &page.final_url)
        .into_iter()
        .map(|l| l.url)
        .collect();
    let site = page.final_url.clone();
    let common = parallax_extract::COMMON_FEED_PATHS
        .iter()
        .filter_map(|p| site.join(p).ok())
        .map(String::from);
    let candidates: Vec<String> = announced.iter().cloned().chain(common).collect();
    for candidate in &candidates {
        if let Ok(f) = fetch(fetcher, candidate).await {
            if let Some(feed) = as_feed(&f) {
                let others = announced
                    .iter()
                    .filter(|u| *u != candidate)
                    .cloned()
                    .collect();
                return Ok(Discovered {
                    feed_url: f.final_url.to_string(),
                    title: feed.title,
                    others,
                });
            }
        }
    }
    Err(DiscoveryError::NoFeed(url.to_string()))
}
