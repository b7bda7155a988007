//! Validators and freshness for what the site serves: a successful GET of a page, a feed,
//! an API answer or an asset gets an ETag (a hash of its bytes) and a Cache-Control; a
//! request whose If-None-Match names the current ETag gets 304 Not Modified, without the
//! body. Pages change whenever an article arrives, so they are revalidated every time
//! (cheap with the ETag); feeds may be kept five minutes, assets an hour.
//!
//! Each answer is also kept for a moment (`FRESH`) and served again as it is: under load a
//! page is rendered once a moment instead of once a request, and a reader sees an article
//! at most that much later. One request at a time renders a given answer: when a kept answer
//! goes stale, the first request renders it anew while the others are served the stale one
//! (for at most `STALE`), and requests for an answer not kept at all wait for the one that
//! renders it. So a popular page going stale costs one rendering, not one per waiting reader.

use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rustc_hash::FxHashMap;

use crate::AppState;

/// The largest answer given an ETag; the site's own pages are far smaller.
const MAX_BODY: usize = 32 << 20;
/// How long an answer is served again without being made anew.
const FRESH: Duration = Duration::from_secs(2);
/// How long past `FRESH` a kept answer is served while another request renders it anew.
const STALE: Duration = Duration::from_secs(10);
/// Answers larger than this are not kept.
const MAX_KEPT_BODY: usize = 1 << 20;
/// What the kept answers may weigh in all.
const MAX_KEPT_BYTES: usize = 64 << 20;

struct Kept {
    at: Instant,
    headers: HeaderMap,
    body: Bytes,
}

/// Recent answers by path and query, and the renderings under way.
#[derive(Default)]
pub struct AnswerCache {
    kept: Mutex<(FxHashMap<String, Kept>, usize)>,
    /// One lock per answer being rendered: its holder renders, the others wait or are
    /// served the stale answer.
    rendering: Mutex<FxHashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// A kept answer, as fresh as it is.
enum Found {
    Fresh(HeaderMap, Bytes),
    Stale(HeaderMap, Bytes),
    Missing,
}

impl AnswerCache {
    #[cfg(test)]
    fn get(&self, key: &str, now: Instant) -> Option<(HeaderMap, Bytes)> {
        match self.find(key, now) {
            Found::Fresh(headers, body) => Some((headers, body)),
            Found::Stale(..) | Found::Missing => None,
        }
    }

    fn find(&self, key: &str, now: Instant) -> Found {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        match kept.0.get(key) {
            Some(k) => {
                let age = now.saturating_duration_since(k.at);
                if age < FRESH {
                    Found::Fresh(k.headers.clone(), k.body.clone())
                } else if age < FRESH + STALE {
                    Found::Stale(k.headers.clone(), k.body.clone())
                } else {
                    Found::Missing
                }
            }
            None => Found::Missing,
        }
    }

    /// The lock whose holder renders the answer for `key`.
    fn rendering(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut rendering = self.rendering.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(rendering.entry(key.to_string()).or_default())
    }

    fn keep(&self, key: String, headers: &HeaderMap, body: &Bytes, now: Instant) {
        if body.len() > MAX_KEPT_BODY {
            return;
        }
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        let (map, bytes) = &mut *kept;
        if *bytes + body.len() > MAX_KEPT_BYTES {
            map.retain(|_, k| now.saturating_duration_since(k.at) < FRESH);
            *bytes = map.values().map(|k| k.body.len()).sum();
            if *bytes + body.len() > MAX_KEPT_BYTES {
                return;
            }
        }
        *bytes += body.len();
        if let Some(old) = map.insert(
            key,
            Kept {
                at: now,
                headers: headers.clone(),
                body: body.clone(),
            },
        ) {
            *bytes -= old.body.len();
        }
    }
}

/// The right to render an answer. Let go (rendered, failed, or the request dropped), the
/// next rendering of that answer takes a lock of its own.
struct Rendering {
    cache: Arc<AnswerCache>,
    key: String,
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

impl Drop for Rendering {
    fn drop(&mut self) {
        self.cache
            .rendering
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.key);
    }
}

pub(crate) async fn validate(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    // A private site's strangers first: nothing kept is served to them.
    let path = request.uri().path().to_string();
    if let Some(refused) = crate::admin::refuse_stranger(&state, &path, request.headers()).await {
        return refused;
    }
    let method = request.method().clone();
    let key = request
        .uri()
        .path_and_query()
        .map_or_else(|| path.clone(), |p| p.as_str().to_string());
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let cacheable = (method == Method::GET || method == Method::HEAD)
        && !matches!(path.as_str(), "/metrics" | "/healthz")
        && !request.headers().contains_key(header::AUTHORIZATION)
        && !request.headers().contains_key(header::COOKIE);
    let head = method == Method::HEAD;
    if !cacheable {
        return next.run(request).await;
    }
    let rendering = |guard| Rendering {
        cache: Arc::clone(&state.answers),
        key: key.clone(),
        _guard: guard,
    };
    let _rendering = match state.answers.find(&key, Instant::now()) {
        Found::Fresh(headers, body) => {
            return answer(headers, body, if_none_match.as_ref(), head);
        }
        Found::Stale(headers, body) => match state.answers.rendering(&key).try_lock_owned() {
            Ok(guard) => rendering(guard),
            // Another request is rendering it anew.
            Err(_) => return answer(headers, body, if_none_match.as_ref(), head),
        },
        Found::Missing => {
            let rendering = rendering(state.answers.rendering(&key).lock_owned().await);
            // Rendered by the request this one waited for.
            if let Found::Fresh(headers, body) = state.answers.find(&key, Instant::now()) {
                return answer(headers, body, if_none_match.as_ref(), head);
            }
            rendering
        }
    };
    let response = next.run(request).await;
    match keep_answer(&state, &path, key, response).await {
        Ok((headers, body)) => answer(headers, body, if_none_match.as_ref(), head),
        Err(response) => response,
    }
}

/// Gives an answer its ETag and Cache-Control and keeps it; an answer that is not a success
/// comes back as it is.
async fn keep_answer(
    state: &AppState,
    path: &str,
    key: String,
    response: Response,
) -> Result<(HeaderMap, Bytes), Response> {
    if response.status() != StatusCode::OK {
        return Err(response);
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, %path, "answer too large to validate");
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
    };
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    let etag = format!("\"{:016x}-{:x}\"", hasher.finish(), bytes.len());
    let Ok(etag) = HeaderValue::from_str(&etag) else {
        return Err(Response::from_parts(parts, Body::from(bytes)));
    };
    if !parts.headers.contains_key(header::CACHE_CONTROL) {
        let policy = if path.starts_with("/feeds/") {
            "public, max-age=300"
        } else {
            "public, no-cache"
        };
        parts
            .headers
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    parts.headers.insert(header::ETAG, etag);
    if !parts.headers.contains_key(header::SET_COOKIE) {
        state
            .answers
            .keep(key, &parts.headers, &bytes, Instant::now());
    }
    Ok((parts.headers, bytes))
}

/// The answer, or 304 when the request names its ETag.
fn answer(
    headers: HeaderMap,
    body: Bytes,
    if_none_match: Option<&HeaderValue>,
    head: bool,
) -> Response {
    let etag = headers.get(header::ETAG);
    if let (Some(asked), Some(etag)) = (if_none_match, etag) {
        if names(asked, etag) {
            let mut short = HeaderMap::new();
            for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
                if let Some(v) = headers.get(&name) {
                    short.insert(name, v.clone());
                }
            }
            return (StatusCode::NOT_MODIFIED, short).into_response();
        }
    }
    let mut response = Response::new(if head {
        Body::empty()
    } else {
        Body::from(body)
    });
    *response.headers_mut() = headers;
    response
}

/// Whether an If-None-Match value names `etag` ("*", or a list, weak tags compared weakly).
fn names(value: &HeaderValue, etag: &HeaderValue) -> bool {
    let (Ok(value), Ok(etag)) = (value.to_str(), etag.to_str()) else {
        return false;
    };
    value
        .split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site of one slow page that counts its renderings, behind the answer cache.
    async fn slow_page() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let rendered = Arc::new(AtomicUsize::new(0));
        let state = AppState::new(
            Arc::new(parallax_store::SqliteStore::open_in_memory().unwrap()),
            Arc::new(parallax_search::SearchIndex::open_in_ram().unwrap()),
            crate::SiteConfig::default(),
            Arc::new(crate::Metrics::default()),
        );
        let counter = Arc::clone(&rendered);
        let router = axum::Router::new()
            .route(
                "/page",
                axum::routing::get(move || {
                    let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                    async move {
                        tokio::time::sleep(Duration::from_millis(300)).await;
                        format!("rendering {n}")
                    }
                }),
            )
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                validate,
            ))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        (format!("{base}/page"), rendered)
    }

    async fn many_at_once(url: &str, n: usize) -> Vec<String> {
        let client = reqwest::Client::new();
        let asks = (0..n).map(|_| {
            let client = client.clone();
            let url = url.to_string();
            tokio::spawn(async move { client.get(url).send().await.unwrap().text().await.unwrap() })
        });
        let mut bodies = Vec::new();
        for ask in asks.collect::<Vec<_>>() {
            bodies.push(ask.await.unwrap());
        }
        bodies
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_page_wanted_by_many_at_once_is_rendered_once() {
        use std::sync::atomic::Ordering;
        let (url, rendered) = slow_page().await;
        // Not kept yet: one renders, the others wait for its answer.
        let bodies = many_at_once(&url, 20).await;
        assert_eq!(rendered.load(Ordering::SeqCst), 1);
        assert!(bodies.iter().all(|b| b == "rendering 1"), "{bodies:?}");
        // Gone stale: one renders it anew, the others get the stale answer meanwhile.
        tokio::time::sleep(FRESH).await;
        let bodies = many_at_once(&url, 20).await;
        assert_eq!(rendered.load(Ordering::SeqCst), 2);
        assert!(bodies.iter().any(|b| b == "rendering 2"), "{bodies:?}");
        assert!(bodies
            .iter()
            .all(|b| b == "rendering 1" || b == "rendering 2"));
    }

    #[test]
    fn if_none_match_lists_and_weak_tags() {
        let etag = HeaderValue::from_static("\"ab-1\"");
        let check = |v: &'static str| names(&HeaderValue::from_static(v), &etag);
        assert!(check("\"ab-1\""));
        assert!(check("\"x\", W/\"ab-1\""));
        assert!(check("*"));
        assert!(!check("\"ab-2\""));
        assert!(!check(""));
    }

    #[test]
    fn answers_are_kept_a_moment_and_within_their_weight() {
        let cache = AnswerCache::default();
        let t = Instant::now();
        let body = Bytes::from_static(b"<p>page</p>");
        cache.keep("/story/1".into(), &HeaderMap::new(), &body, t);
        assert_eq!(
            cache.get("/story/1", t + FRESH / 2).map(|a| a.1),
            Some(body)
        );
        assert!(cache.get("/story/1", t + FRESH).is_none());
        assert!(cache.get("/story/2", t).is_none());
        let big = Bytes::from(vec![b'x'; MAX_KEPT_BODY + 1]);
        cache.keep("/big".into(), &HeaderMap::new(), &big, t);
        assert!(cache.get("/big", t).is_none());
        // Full of fresh answers: a new one is not kept; once they are stale, it is.
        let chunk = Bytes::from(vec![b'x'; MAX_KEPT_BODY]);
        for i in 0..MAX_KEPT_BYTES / MAX_KEPT_BODY {
            cache.keep(format!("/{i}"), &HeaderMap::new(), &chunk, t);
        }
        cache.keep("/late".into(), &HeaderMap::new(), &chunk, t);
        assert!(cache.get("/late", t).is_none());
        cache.keep("/late".into(), &HeaderMap::new(), &chunk, t + FRESH);
        assert!(cache.get("/late", t + FRESH).is_some());
    }
}
