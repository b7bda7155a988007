//! Output feeds of the front page's stories: Atom 1.0, RSS 2.0 and JSON Feed 1.1; and the
//! subscribed feeds as OPML, by folder.

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use crate::view::{self, StoryCard};
use crate::{AppState, WebError};

const FEED_LENGTH: usize = 50;

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped rather than producing an invalid feed.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// What a feed item says of a story: its lead, and who covers it.
fn summary(card: &StoryCard) -> String {
    let outlets: Vec<&str> = card
        .sources
        .iter()
        .map(|s| s.profile.name.as_str())
        .collect();
    format!("{} (Covered by {}.)", card.lead, outlets.join(", "))
}

/// What every output feed is made of: the site's address, the stories, the latest time.
struct FeedInput {
    base: String,
    cards: Vec<StoryCard>,
    updated: DateTime<Utc>,
}

async fn feed_input(state: &AppState, headers: &HeaderMap) -> Result<FeedInput, WebError> {
    let cards = cards(state).await?;
    let updated = cards
        .iter()
        .map(|c| c.story.last_published)
        .max()
        .unwrap_or_else(Utc::now);
    Ok(FeedInput {
        base: view::base_url(&state.site, headers),
        cards,
        updated,
    })
}

async fn cards(state: &AppState) -> Result<Vec<StoryCard>, WebError> {
    let mut cards = state
        .blocking(|store, _| view::front_page(store, FEED_LENGTH))
        .await?;
    // Feeds are read by machines that sort by date: newest first.
    cards.sort_by(|a, b| {
        b.story
            .last_published
            .cmp(&a.story.last_published)
            .then(b.story.id.cmp(&a.story.id))
    });
    Ok(cards)
}

pub(crate) async fn atom(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let FeedInput {
        base,
        cards,
        updated,
    } = feed_input(&state, &headers).await?;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{}</title>\n<id>{base}/</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{base}/\"/>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{base}/feeds/stories.atom\"/>\n<updated>{}</updated>\n<generator>Parallax</generator>\n",
        xml_escape(&state.site.name),
        updated.to_rfc3339()
    );
    for c in &cards {
        let link = format!("{base}/story/{}", c.story.id);
        out.push_str(&format!(
            "<entry>\n<id>{link}</id>\n<title>{}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n<published>{}</published>\n<updated>{}</updated>\n<author><name>{}</name></author>\n{}<summary type=\"text\">{}</summary>\n</entry>\n",
            xml_escape(&c.story.title),
            c.story.first_published.to_rfc3339(),
            c.story.last_published.to_rfc3339(),
            xml_escape(&state.site.name),
            c.story.category.as_ref().map(|cat| format!("<category term=\"{}\" label=\"{}\"/>\n", xml_escape(&cat.slug), xml_escape(&cat.name))).unwrap_or_default(),
            xml_escape(&summary(c)),
        ));
    }
    out.push_str("</feed>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        out,
    )
        .into_response())
}

pub(crate) async fn rss(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let FeedInput {
        base,
        cards,
        updated,
    } = feed_input(&state, &headers).await?;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n<title>{}</title>\n<link>{base}/</link>\n<description>Stories as every outlet tells them</description>\n<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"{base}/feeds/stories.rss\"/>\n<lastBuildDate>{}</lastBuildDate>\n",
        xml_escape(&state.site.name),
        updated.to_rfc2822()
    );
    for c in &cards {
        let link = format!("{base}/story/{}", c.story.id);
        out.push_str(&format!(
            "<item>\n<title>{}</title>\n<link>{link}</link>\n<guid isPermaLink=\"true\">{link}</guid>\n<pubDate>{}</pubDate>\n{}<description>{}</description>\n</item>\n",
            xml_escape(&c.story.title),
            c.story.last_published.to_rfc2822(),
            c.story.category.as_ref().map(|cat| format!("<category>{}</category>\n", xml_escape(&cat.name))).unwrap_or_default(),
            xml_escape(&summary(c)),
        ));
    }
    out.push_str("</channel>\n</rss>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
        out,
    )
        .into_response())
}

pub(crate) async fn json(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let FeedInput { base, cards, .. } = feed_input(&state, &headers).await?;
    let items: Vec<serde_json::Value> = cards
        .iter()
        .map(|c| {
            let link = format!("{base}/story/{}", c.story.id);
            serde_json::json!({
                "id": link,
                "url": link,
                "title": c.story.title,
                "content_text": summary(c),
                "date_published": c.story.first_published.to_rfc3339(),
                "date_modified": c.story.last_published.to_rfc3339(),
                "tags": c.story.category.as_ref().map(|cat| vec![cat.name.clone()]).unwrap_or_default(),
            })
        })
        .collect();
    let feed = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": state.site.name,
        "home_page_url": format!("{base}/"),
        "feed_url": format!("{base}/feeds/stories.json"),
        "items": items,
    });
    Ok((
        [(header::CONTENT_TYPE, "application/feed+json; charset=utf-8")],
        feed.to_string(),
    )
        .into_response())
}

/// The subscribed feeds (not those retired) as OPML, each in its folder (its category).
pub fn subscriptions_opml(
    store: &dyn parallax_store::Store,
) -> Result<String, parallax_store::Error> {
    let sources: std::collections::HashMap<_, _> =
        store.sources()?.into_iter().map(|s| (s.id, s)).collect();
    let mut folders: std::collections::BTreeMap<
        Option<String>,
        Vec<parallax_feed::opml::OpmlFeed>,
    > = Default::default();
    for feed in store.feeds()? {
        if feed.status == parallax_model::FeedStatus::Retired {
            continue;
        }
        let source = sources.get(&feed.source_id);
        folders
            .entry(feed.folder.clone())
            .or_default()
            .push(parallax_feed::opml::OpmlFeed {
                xml_url: feed.url.clone(),
                title: feed
                    .title
                    .clone()
                    .or_else(|| source.map(|s| s.profile.name.clone())),
                html_url: source.map(|s| format!("https://{}/", s.profile.domain)),
                folders: feed.folder.iter().cloned().collect(),
            });
    }
    let feeds: Vec<_> = folders.into_values().flatten().collect();
    Ok(parallax_feed::opml::write_opml(
        "Parallax subscriptions",
        &feeds,
    ))
}

pub(crate) async fn opml(State(state): State<AppState>) -> Result<Response, WebError> {
    let body = state
        .blocking(|store, _| Ok(subscriptions_opml(store)?))
        .await?;
    Ok(([(header::CONTENT_TYPE, "text/x-opml; charset=utf-8")], body).into_response())
}
