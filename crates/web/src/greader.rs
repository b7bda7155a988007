//! The Google Reader API, as FreshRSS and Miniflux offer it, so that mobile feed readers
//! (Reeder, NetNewsWire, FeedMe, Read You) follow the site's stories as one feed per
//! category. A reader signs in with an API token an editor made (as the password; any user
//! name) and keeps its own read and starred marks. Items are stories.
//!
//! Streams: `feed/<category slug>` and `user/-/label/<category name>` (one category),
//! `user/-/state/com.google/reading-list` (all), `.../starred` and `.../read`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use parallax_model::{Category, StoryId};
use parallax_store::{ReaderFlag, Store, StoryQuery};
use serde_json::{json, Value};

use crate::view::{self, StoryCard};
use crate::{AppState, WebError};

const READING_LIST: &str = "user/-/state/com.google/reading-list";
const READ: &str = "user/-/state/com.google/read";
const STARRED: &str = "user/-/state/com.google/starred";
/// Stories a stream offers at most, newest first.
const WINDOW: u32 = 1000;

/// A reader signed in with an API token.
pub(crate) struct Reader {
    token: i64,
    name: String,
    secret_hash: String,
}

fn unauthorized() -> Response {
    (StatusCode::UNAUTHORIZED, "Unauthorized").into_response()
}

impl axum::extract::FromRequestParts<AppState> for Reader {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Response> {
        let Some(secret) = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("GoogleLogin auth="))
            .map(|s| s.trim().to_string())
        else {
            return Err(unauthorized());
        };
        let hash = crate::admin::sha256_hex(&secret);
        let h = hash.clone();
        let token = state
            .blocking(move |store, _| Ok(store.api_token(&h)?))
            .await
            .map_err(IntoResponse::into_response)?;
        token
            .map(|t| Reader {
                token: t.id,
                name: t.name,
                secret_hash: hash,
            })
            .ok_or_else(unauthorized)
    }
}

/// Form fields, repeated ones kept (`i=1&i=2`), from a query string or a body.
fn fields(raw: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw).into_owned().collect()
}

fn all<'a>(fields: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> {
    fields
        .iter()
        .filter(move |(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn one<'a>(fields: &'a [(String, String)], name: &'a str) -> Option<&'a str> {
    all(fields, name).next()
}

/// `POST /accounts/ClientLogin`: `Email` (any) and `Passwd` (an API token).
pub(crate) async fn client_login(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, WebError> {
    let mut form = fields(&body);
    form.extend(fields(query.unwrap_or_default().as_bytes()));
    let secret = one(&form, "Passwd").unwrap_or("").to_string();
    let hash = crate::admin::sha256_hex(&secret);
    let known = state
        .blocking(move |store, _| Ok(store.api_token(&hash)?.is_some()))
        .await?;
    if secret.is_empty() || !known {
        return Ok((StatusCode::UNAUTHORIZED, "Error=BadAuthentication\n").into_response());
    }
    Ok(format!("SID={secret}\nLSID={secret}\nAuth={secret}\n").into_response())
}

/// `GET /reader/api/0/token`: the token writes must send back as `T`.
pub(crate) async fn token(reader: Reader) -> Response {
    write_token(&reader).into_response()
}

fn write_token(reader: &Reader) -> String {
    reader.secret_hash[..57].to_string()
}

pub(crate) async fn user_info(reader: Reader) -> Json<Value> {
    Json(json!({
        "userId": reader.token.to_string(),
        "userName": reader.name,
        "userProfileId": reader.token.to_string(),
        "userEmail": "",
    }))
}

fn feed_id(c: &Category) -> String {
    format!("feed/{}", c.slug)
}

fn label_id(c: &Category) -> String {
    format!("user/-/label/{}", c.name)
}

pub(crate) async fn subscriptions(
    State(state): State<AppState>,
    _reader: Reader,
    headers: HeaderMap,
) -> Result<Json<Value>, WebError> {
    let categories = state.blocking(|store, _| Ok(store.categories()?)).await?;
    let base = view::base_url(&state.site(), &headers);
    let subscriptions: Vec<Value> = categories
        .iter()
        .map(|c| {
            json!({
                "id": feed_id(c),
                "title": c.name,
                "categories": [{"id": label_id(c), "label": c.name}],
                "url": format!("{base}/feeds/category/{}/atom", c.slug),
                "htmlUrl": format!("{base}/category/{}", c.slug),
                "iconUrl": "",
            })
        })
        .collect();
    Ok(Json(json!({ "subscriptions": subscriptions })))
}

pub(crate) async fn tags(
    State(state): State<AppState>,
    _reader: Reader,
) -> Result<Json<Value>, WebError> {
    let categories = state.blocking(|store, _| Ok(store.categories()?)).await?;
    let mut tags = vec![json!({"id": STARRED}), json!({"id": READ})];
    tags.extend(
        categories
            .iter()
            .map(|c| json!({"id": label_id(c), "type": "folder"})),
    );
    Ok(Json(json!({ "tags": tags })))
}

/// The stories of a stream, newest first, without those `exclude` names (the read ones,
/// for `xt=user/-/state/com.google/read`) and none older than `since` (seconds).
fn stream(
    store: &dyn Store,
    reader: i64,
    id: &str,
    exclude: Option<&str>,
    since: Option<i64>,
) -> Result<Vec<StoryCard>, WebError> {
    let category = if let Some(slug) = id.strip_prefix("feed/") {
        Some(store.category(slug)?.ok_or(WebError::NotFound)?.slug)
    } else if let Some(name) = id.strip_prefix("user/-/label/") {
        let found = store.categories()?.into_iter().find(|c| c.name == name);
        Some(found.ok_or(WebError::NotFound)?.slug)
    } else {
        None
    };
    let mut cards = view::cards(
        store,
        &StoryQuery {
            category,
            limit: WINDOW,
            ..StoryQuery::default()
        },
    )?;
    let marked = |flag| store.reader_stories(reader, flag);
    match id {
        STARRED => {
            let starred = marked(ReaderFlag::Starred)?;
            cards.retain(|c| starred.contains(&c.story.id));
        }
        READ => {
            let read = marked(ReaderFlag::Read)?;
            cards.retain(|c| read.contains(&c.story.id));
        }
        _ => {}
    }
    if exclude == Some(READ) {
        let read = marked(ReaderFlag::Read)?;
        cards.retain(|c| !read.contains(&c.story.id));
    }
    if let Some(since) = since {
        cards.retain(|c| c.story.last_published.timestamp() >= since);
    }
    Ok(cards)
}

/// A page of a stream: `n` items after the continuation `c` (an offset).
fn page(cards: Vec<StoryCard>, fields: &[(String, String)]) -> (Vec<StoryCard>, Option<String>) {
    let n = one(fields, "n")
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(20)
        .clamp(1, 1000);
    let from = one(fields, "c")
        .and_then(|c| c.parse::<usize>().ok())
        .unwrap_or(0);
    let more = cards.len() > from + n;
    let page: Vec<StoryCard> = cards.into_iter().skip(from).take(n).collect();
    (page, more.then(|| (from + n).to_string()))
}

/// An item id, long ("tag:google.com,2005:reader/item/000000000000000c", hexadecimal) or
/// short ("12", decimal).
fn item_id(s: &str) -> Option<StoryId> {
    match s.strip_prefix("tag:google.com,2005:reader/item/") {
        Some(hex) => i64::from_str_radix(hex, 16).ok().map(StoryId),
        None => s.parse().ok().map(StoryId),
    }
}

fn long_id(id: StoryId) -> String {
    format!("tag:google.com,2005:reader/item/{:016x}", id.0)
}

fn item(base: &str, card: &StoryCard, read: &[StoryId], starred: &[StoryId]) -> Value {
    let s = &card.story;
    let link = format!("{base}/story/{}", s.id);
    let mut categories = vec![READING_LIST.to_string()];
    if let Some(c) = &s.category {
        categories.push(label_id(c));
    }
    if read.contains(&s.id) {
        categories.push(READ.into());
    }
    if starred.contains(&s.id) {
        categories.push(STARRED.into());
    }
    let outlets: Vec<&str> = card
        .sources
        .iter()
        .map(|x| x.profile.name.as_str())
        .collect();
    let summary = format!(
        "<p>{}</p><p>Covered by {}.</p>",
        escape(&card.lead),
        escape(&outlets.join(", "))
    );
    json!({
        "id": long_id(s.id),
        "crawlTimeMsec": (s.last_published.timestamp_millis()).to_string(),
        "timestampUsec": (s.last_published.timestamp_micros()).to_string(),
        "published": s.first_published.timestamp(),
        "updated": s.last_published.timestamp(),
        "title": s.title,
        "canonical": [{"href": link}],
        "alternate": [{"href": link, "type": "text/html"}],
        "summary": {"direction": "ltr", "content": summary},
        "categories": categories,
        "origin": s.category.as_ref().map(|c| json!({
            "streamId": feed_id(c),
            "title": c.name,
            "htmlUrl": format!("{base}/category/{}", c.slug),
        })),
        "author": outlets.join(", "),
    })
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `GET /reader/api/0/stream/contents/<stream>`.
pub(crate) async fn stream_contents(
    State(state): State<AppState>,
    reader: Reader,
    axum::extract::Path(id): axum::extract::Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Json<Value>, WebError> {
    let form = fields(query.unwrap_or_default().as_bytes());
    let base = view::base_url(&state.site(), &headers);
    let exclude = one(&form, "xt").map(str::to_string);
    let since = one(&form, "ot").and_then(|t| t.parse().ok());
    let token = reader.token;
    let sid = id.clone();
    let (cards, read, starred) = state
        .blocking(move |store, _| {
            Ok((
                stream(store, token, &sid, exclude.as_deref(), since)?,
                store.reader_stories(token, ReaderFlag::Read)?,
                store.reader_stories(token, ReaderFlag::Starred)?,
            ))
        })
        .await?;
    let (page, continuation) = page(cards, &form);
    let items: Vec<Value> = page
        .iter()
        .map(|c| item(&base, c, &read, &starred))
        .collect();
    Ok(Json(json!({
        "id": id,
        "updated": chrono::Utc::now().timestamp(),
        "items": items,
        "continuation": continuation,
    })))
}

/// `GET /reader/api/0/stream/items/ids?s=<stream>`.
pub(crate) async fn item_ids(
    State(state): State<AppState>,
    reader: Reader,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, WebError> {
    let form = fields(query.unwrap_or_default().as_bytes());
    let id = one(&form, "s").unwrap_or(READING_LIST).to_string();
    let exclude = one(&form, "xt").map(str::to_string);
    let since = one(&form, "ot").and_then(|t| t.parse().ok());
    let token = reader.token;
    let cards = state
        .blocking(move |store, _| stream(store, token, &id, exclude.as_deref(), since))
        .await?;
    let (page, continuation) = page(cards, &form);
    let refs: Vec<Value> = page
        .iter()
        .map(|c| json!({"id": c.story.id.0.to_string(), "timestampUsec": c.story.last_published.timestamp_micros().to_string()}))
        .collect();
    Ok(Json(
        json!({ "itemRefs": refs, "continuation": continuation }),
    ))
}

/// `POST /reader/api/0/stream/items/contents` with `i=<id>` repeated.
pub(crate) async fn item_contents(
    State(state): State<AppState>,
    reader: Reader,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let mut form = fields(&body);
    form.extend(fields(query.unwrap_or_default().as_bytes()));
    let mut ids = Vec::new();
    for i in all(&form, "i") {
        match item_id(i) {
            Some(id) => ids.push(id),
            None => {
                return Ok(
                    (StatusCode::BAD_REQUEST, format!("{i:?} is not an item id")).into_response(),
                )
            }
        }
    }
    let base = view::base_url(&state.site(), &headers);
    let token = reader.token;
    let (cards, read, starred) = state
        .blocking(move |store, _| {
            let mut cards = Vec::new();
            for id in ids {
                if let Some(s) = store.story(id)?.filter(|s| !s.hidden) {
                    cards.push(view::card(store, s)?);
                }
            }
            Ok((
                cards,
                store.reader_stories(token, ReaderFlag::Read)?,
                store.reader_stories(token, ReaderFlag::Starred)?,
            ))
        })
        .await?;
    let items: Vec<Value> = cards
        .iter()
        .map(|c| item(&base, c, &read, &starred))
        .collect();
    Ok(Json(json!({ "id": READING_LIST, "items": items })).into_response())
}

/// Whether a write's `T` is the reader's token (when the client sends one).
fn t_matches(reader: &Reader, form: &[(String, String)]) -> bool {
    one(form, "T").is_none_or(|t| t == write_token(reader))
}

/// `POST /reader/api/0/edit-tag`: `i` items, `a` a state to add, `r` one to remove.
pub(crate) async fn edit_tag(
    State(state): State<AppState>,
    reader: Reader,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = fields(&body);
    if !t_matches(&reader, &form) {
        return Ok((StatusCode::UNAUTHORIZED, "Unauthorized").into_response());
    }
    let mut ids = Vec::new();
    for i in all(&form, "i") {
        match item_id(i) {
            Some(id) => ids.push(id),
            None => {
                return Ok(
                    (StatusCode::BAD_REQUEST, format!("{i:?} is not an item id")).into_response(),
                )
            }
        }
    }
    let flag_of = |tag: &str| match tag {
        READ => Some(ReaderFlag::Read),
        STARRED => Some(ReaderFlag::Starred),
        _ => None,
    };
    let mut changes: Vec<(ReaderFlag, bool)> = Vec::new();
    for (name, on) in [("a", true), ("r", false)] {
        for tag in all(&form, name) {
            match flag_of(tag) {
                Some(flag) => changes.push((flag, on)),
                // Labels are categories, which editors set: nothing to change here.
                None if tag.starts_with("user/-/label/") || tag.ends_with("kept-unread") => {}
                None => {
                    return Ok((StatusCode::BAD_REQUEST, format!("{tag:?} is not a state"))
                        .into_response())
                }
            }
        }
    }
    let token = reader.token;
    state
        .blocking(move |store, _| {
            for (flag, on) in changes {
                store.set_reader_state(token, &ids, flag, on)?;
            }
            Ok(())
        })
        .await?;
    Ok("OK".into_response())
}

/// `POST /reader/api/0/mark-all-as-read`: `s` a stream, `ts` (µs) the newest to mark.
pub(crate) async fn mark_all_read(
    State(state): State<AppState>,
    reader: Reader,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = fields(&body);
    if !t_matches(&reader, &form) {
        return Ok((StatusCode::UNAUTHORIZED, "Unauthorized").into_response());
    }
    let id = one(&form, "s").unwrap_or(READING_LIST).to_string();
    let until = one(&form, "ts").and_then(|t| t.parse::<i64>().ok());
    let token = reader.token;
    state
        .blocking(move |store, _| {
            let ids: Vec<StoryId> = stream(store, token, &id, None, None)?
                .into_iter()
                .filter(|c| until.is_none_or(|u| c.story.last_published.timestamp_micros() <= u))
                .map(|c| c.story.id)
                .collect();
            Ok(store.set_reader_state(token, &ids, ReaderFlag::Read, true)?)
        })
        .await?;
    Ok("OK".into_response())
}

/// `GET /reader/api/0/unread-count`: unread stories per category.
pub(crate) async fn unread_count(
    State(state): State<AppState>,
    reader: Reader,
) -> Result<Json<Value>, WebError> {
    let token = reader.token;
    let counts = state
        .blocking(move |store, _| {
            let read = store.reader_stories(token, ReaderFlag::Read)?;
            let mut counts: HashMap<String, (usize, i64)> = HashMap::new();
            for s in store.stories(&StoryQuery {
                limit: WINDOW,
                ..StoryQuery::default()
            })? {
                if read.contains(&s.id) {
                    continue;
                }
                if let Some(c) = &s.category {
                    let e = counts.entry(feed_id(c)).or_default();
                    e.0 += 1;
                    e.1 = e.1.max(s.last_published.timestamp_micros());
                }
            }
            Ok(counts)
        })
        .await?;
    let mut list: Vec<Value> = counts
        .into_iter()
        .map(|(id, (count, newest))| json!({"id": id, "count": count, "newestItemTimestampUsec": newest.to_string()}))
        .collect();
    list.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    Ok(Json(json!({ "max": WINDOW, "unreadcounts": list })))
}
