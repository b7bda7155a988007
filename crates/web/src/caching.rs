//! Validators and freshness for what the site serves: a successful GET of a page, a feed,
//! an API answer or an asset gets an ETag (a hash of its bytes) and a Cache-Control; a
//! request whose If-None-Match names the current ETag gets 304 Not Modified, without the
//! body. Pages change whenever an article arrives, so they are revalidated every time
//! (cheap with the ETag); feeds may be kept five minutes, assets an hour.
//!
//! Each answer is also kept for a moment (`FRESH`) and served again as it is: under load a
//! page is rendered once a moment instead of once a request, and a reader sees an article
//! at most that much later.

use std::hash::{Hash, Hasher};
use std::sync::Mutex;
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
/// Answers larger than this are not kept.
const MAX_KEPT_BODY: usize = 1 << 20;
/// What the kept answers may weigh in all.
const MAX_KEPT_BYTES: usize = 64 << 20;

struct Kept {
    at: Instant,
    headers: HeaderMap,
    body: Bytes,
}

/// Recent answers by path and query.
#[derive(Default)]
pub struct AnswerCache {
    kept: Mutex<(FxHashMap<String, Kept>, usize)>,
}

impl AnswerCache {
    fn get(&self, key: &str, now: Instant) -> Option<(HeaderMap, Bytes)> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.0
            .get(key)
            .filter(|k| now.saturating_duration_since(k.at) < FRESH)
            .map(|k| (k.headers.clone(), k.body.clone()))
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
    if cacheable {
        if let Some((headers, body)) = state.answers.get(&key, Instant::now()) {
            return answer(
                headers,
                body,
                if_none_match.as_ref(),
                method == Method::HEAD,
            );
        }
    }
    let response = next.run(request).await;
    if !cacheable || response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, %path, "answer too large to validate");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    let etag = format!("\"{:016x}-{:x}\"", hasher.finish(), bytes.len());
    let Ok(etag) = HeaderValue::from_str(&etag) else {
        return Response::from_parts(parts, Body::from(bytes));
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
    answer(
        parts.headers,
        bytes,
        if_none_match.as_ref(),
        method == Method::HEAD,
    )
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
