//! Output feeds in Atom 1.0, RSS 2.0 and JSON Feed 1.1: the front page's stories, a
//! category's, an outlet's, a story's versions as they arrive, and a search's articles;
//! and the subscribed feeds as OPML, by folder. Every value is escaped text.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use parallax_store::StoryQuery;

use crate::view::{self, StoryCard};
use crate::{AppState, WebError};

const FEED_LENGTH: usize = 50;

/// Text as an RSS title or description: readers take those as HTML (RSS 2.0 never says
/// which), so a headline that mentions `<script>` must reach them as HTML that shows it.
fn rss_text(s: &str) -> String {
    xml_escape(&xml_escape(s))
}

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

/// One output feed, before it is written in a format.
struct FeedDoc {
    title: String,
    /// The page the feed follows, and the feed itself, as paths under the site.
    home: String,
    self_path: String,
    items: Vec<Item>,
}

struct Item {
    id: String,
    link: String,
    title: String,
    published: DateTime<Utc>,
    updated: DateTime<Utc>,
    author: String,
    category: Option<(String, String)>,
    summary: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Atom,
    Rss,
    Json,
}

impl Format {
    fn parse(s: &str) -> Result<Self, WebError> {
        match s {
            "atom" => Ok(Format::Atom),
            "rss" => Ok(Format::Rss),
            "json" => Ok(Format::Json),
            _ => Err(WebError::NotFound),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Atom => "atom",
            Format::Rss => "rss",
            Format::Json => "json",
        }
    }
}

fn story_items(base: &str, site: &str, mut cards: Vec<StoryCard>) -> Vec<Item> {
    // Feeds are read by machines that sort by date: newest first.
    cards.sort_by(|a, b| {
        b.story
            .last_published
            .cmp(&a.story.last_published)
            .then(b.story.id.cmp(&a.story.id))
    });
    cards
        .iter()
        .map(|c| {
            let link = format!("{base}/story/{}", c.story.id);
            Item {
                id: link.clone(),
                link,
                title: c.story.title.clone(),
                published: c.story.first_published,
                updated: c.story.last_published,
                author: site.to_string(),
                category: c
                    .story
                    .category
                    .as_ref()
                    .map(|cat| (cat.slug.clone(), cat.name.clone())),
                summary: summary(c),
            }
        })
        .collect()
}

fn write(doc: &FeedDoc, base: &str, format: Format) -> Response {
    let updated = doc
        .items
        .iter()
        .map(|i| i.updated)
        .max()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let home = format!("{base}{}", doc.home);
    let me = format!("{base}{}", doc.self_path);
    let (content_type, body) = match format {
        Format::Atom => {
            let mut out = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{}</title>\n<id>{me}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<updated>{}</updated>\n<generator>Parallax</generator>\n",
                xml_escape(&doc.title),
                xml_escape(&home),
                xml_escape(&me),
                updated.to_rfc3339()
            );
            for i in &doc.items {
                out.push_str(&format!(
                    "<entry>\n<id>{}</id>\n<title>{}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<published>{}</published>\n<updated>{}</updated>\n<author><name>{}</name></author>\n{}<summary type=\"text\">{}</summary>\n</entry>\n",
                    xml_escape(&i.id),
                    xml_escape(&i.title),
                    xml_escape(&i.link),
                    i.published.to_rfc3339(),
                    i.updated.to_rfc3339(),
                    xml_escape(&i.author),
                    i.category.as_ref().map(|(slug, name)| format!("<category term=\"{}\" label=\"{}\"/>\n", xml_escape(slug), xml_escape(name))).unwrap_or_default(),
                    xml_escape(&i.summary),
                ));
            }
            out.push_str("</feed>\n");
            ("application/atom+xml; charset=utf-8", out)
        }
        Format::Rss => {
            let mut out = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n<title>{}</title>\n<link>{}</link>\n<description>{}</description>\n<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"{}\"/>\n<lastBuildDate>{}</lastBuildDate>\n",
                rss_text(&doc.title),
                xml_escape(&home),
                rss_text(&doc.title),
                xml_escape(&me),
                updated.to_rfc2822()
            );
            for i in &doc.items {
                let permalink = i.id == i.link;
                out.push_str(&format!(
                    "<item>\n<title>{}</title>\n<link>{}</link>\n<guid isPermaLink=\"{permalink}\">{}</guid>\n<pubDate>{}</pubDate>\n{}<description>{}</description>\n</item>\n",
                    rss_text(&i.title),
                    xml_escape(&i.link),
                    xml_escape(&i.id),
                    i.updated.to_rfc2822(),
                    i.category.as_ref().map(|(_, name)| format!("<category>{}</category>\n", xml_escape(name))).unwrap_or_default(),
                    rss_text(&i.summary),
                ));
            }
            out.push_str("</channel>\n</rss>\n");
            ("application/rss+xml; charset=utf-8", out)
        }
        Format::Json => {
            let items: Vec<serde_json::Value> = doc
                .items
                .iter()
                .map(|i| {
                    serde_json::json!({
                        "id": i.id,
                        "url": i.link,
                        "title": i.title,
                        "content_text": i.summary,
                        "date_published": i.published.to_rfc3339(),
                        "date_modified": i.updated.to_rfc3339(),
                        "authors": [{"name": i.author}],
                        "tags": i.category.as_ref().map(|(_, name)| vec![name.clone()]).unwrap_or_default(),
                    })
                })
                .collect();
            let feed = serde_json::json!({
                "version": "https://jsonfeed.org/version/1.1",
                "title": doc.title,
                "home_page_url": home,
                "feed_url": me,
                "items": items,
            });
            ("application/feed+json; charset=utf-8", feed.to_string())
        }
    };
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// The front page's stories.
pub(crate) async fn stories(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let format = Format::parse(file.strip_prefix("stories.").ok_or(WebError::NotFound)?)?;
    let cards = state
        .blocking(|store, _| view::front_page(store, FEED_LENGTH))
        .await?;
    let base = view::base_url(&state.site(), &headers);
    let doc = FeedDoc {
        title: state.site().name.clone(),
        home: "/".into(),
        self_path: format!("/feeds/stories.{}", format.extension()),
        items: story_items(&base, &state.site().name, cards),
    };
    Ok(write(&doc, &base, format))
}

/// A category's stories.
pub(crate) async fn category(
    State(state): State<AppState>,
    Path((slug, format)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let format = Format::parse(&format)?;
    let (category, cards) = state
        .blocking(move |store, _| {
            let category = store.category(&slug)?.ok_or(WebError::NotFound)?;
            let cards = view::cards(
                store,
                &StoryQuery {
                    category: Some(category.slug.clone()),
                    limit: FEED_LENGTH as u32,
                    ..StoryQuery::default()
                },
            )?;
            Ok((category, cards))
        })
        .await?;
    let base = view::base_url(&state.site(), &headers);
    let doc = FeedDoc {
        title: format!("{}: {}", state.site().name, category.name),
        home: format!("/category/{}", category.slug),
        self_path: format!("/feeds/category/{}/{}", category.slug, format.extension()),
        items: story_items(&base, &state.site().name, cards),
    };
    Ok(write(&doc, &base, format))
}

/// The stories an outlet covers.
pub(crate) async fn source(
    State(state): State<AppState>,
    Path((id, format)): Path<(i64, String)>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let format = Format::parse(&format)?;
    let (source, cards) = state
        .blocking(move |store, _| {
            let source = store
                .source(parallax_model::SourceId(id))?
                .ok_or(WebError::NotFound)?;
            let cards = view::cards(
                store,
                &StoryQuery {
                    source: Some(source.id),
                    limit: FEED_LENGTH as u32,
                    ..StoryQuery::default()
                },
            )?;
            Ok((source, cards))
        })
        .await?;
    let base = view::base_url(&state.site(), &headers);
    let doc = FeedDoc {
        title: format!(
            "{}: stories covered by {}",
            state.site().name,
            source.profile.name
        ),
        home: format!("/source/{id}"),
        self_path: format!("/feeds/source/{id}/{}", format.extension()),
        items: story_items(&base, &state.site().name, cards),
    };
    Ok(write(&doc, &base, format))
}

/// A story's versions, as they arrive: one item per outlet's article.
pub(crate) async fn story(
    State(state): State<AppState>,
    Path((id, format)): Path<(i64, String)>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let format = Format::parse(&format)?;
    let (story, versions) = state
        .blocking(move |store, _| view::public_story(store, parallax_model::StoryId(id)))
        .await?;
    let base = view::base_url(&state.site(), &headers);
    let mut items: Vec<Item> = versions
        .iter()
        .map(|v| {
            let a = &v.article;
            let when = a.draft.published.unwrap_or(a.fetched_at);
            Item {
                id: format!("{base}/story/{id}#v{}", a.id),
                link: a.draft.url.clone(),
                title: format!("{}: {}", v.source.profile.name, a.draft.title),
                published: when,
                updated: a.draft.modified.unwrap_or(when).max(when),
                author: v.source.profile.name.clone(),
                category: None,
                summary: view::lead_of(&a.draft.text),
            }
        })
        .collect();
    items.sort_by(|a, b| b.published.cmp(&a.published).then(b.id.cmp(&a.id)));
    let doc = FeedDoc {
        title: format!("{}: {}", state.site().name, story.title),
        home: format!("/story/{id}"),
        self_path: format!("/feeds/story/{id}/{}", format.extension()),
        items,
    };
    Ok(write(&doc, &base, format))
}

#[derive(serde::Deserialize)]
pub(crate) struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// The articles a search finds, best first.
pub(crate) async fn search(
    State(state): State<AppState>,
    Path(format): Path<String>,
    Query(query): Query<SearchQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let format = Format::parse(&format)?;
    let q: String = query.q.chars().take(500).collect();
    let words = q.clone();
    let hits = state
        .blocking(move |store, index| {
            let results = index.search(
                &words,
                &parallax_search::SearchFilter::default(),
                FEED_LENGTH,
                0,
            )?;
            let mut shown = Vec::new();
            for hit in results.hits {
                let Some(story) = store.story(hit.story_id)?.filter(|s| !s.hidden) else {
                    continue;
                };
                if store.hidden_articles(story.id)?.contains(&hit.article_id) {
                    continue;
                }
                let Some(article) = store.article(hit.article_id)? else {
                    continue;
                };
                let source = store.source(article.draft.source_id)?;
                shown.push((hit, article, source));
            }
            Ok(shown)
        })
        .await?;
    let base = view::base_url(&state.site(), &headers);
    let items = hits
        .into_iter()
        .map(|(hit, a, source)| {
            let when = a.draft.published.unwrap_or(a.fetched_at);
            let outlet = source.map(|s| s.profile.name).unwrap_or_default();
            Item {
                id: format!("{base}/story/{}#v{}", hit.story_id, a.id),
                link: format!("{base}/story/{}#v{}", hit.story_id, a.id),
                title: format!("{outlet}: {}", a.draft.title),
                published: when,
                updated: a.draft.modified.unwrap_or(when).max(when),
                author: outlet,
                category: None,
                summary: view::lead_of(&a.draft.text),
            }
        })
        .collect();
    let encoded: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
    let doc = FeedDoc {
        title: format!("{}: search for “{q}”", state.site().name),
        home: format!("/search?q={encoded}"),
        self_path: format!("/feeds/search/{}?q={encoded}", format.extension()),
        items,
    };
    Ok(write(&doc, &base, format))
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
