//! Validators and freshness for what the site serves: a successful GET of a page, a feed,
//! an API answer or an asset gets an ETag (a hash of its bytes) and a Cache-Control; a
//! request whose If-None-Match names the current ETag gets 304 Not Modified, without the
//! body. Pages change whenever an article arrives, so they are revalidated every time
//! (cheap with the ETag); feeds may be kept five minutes, assets an hour.

use std::hash::{Hash, Hasher};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest answer given an ETag; the site's own pages are far smaller.
const MAX_BODY: usize = 32 << 20;

pub(crate) async fn validate(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if !(method == Method::GET || method == Method::HEAD)
        || response.status() != StatusCode::OK
        || matches!(path.as_str(), "/metrics" | "/healthz")
    {
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
    parts.headers.insert(header::ETAG, etag.clone());
    if if_none_match.is_some_and(|v| names(&v, &etag)) {
        let mut headers = HeaderMap::new();
        for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
            if let Some(v) = parts.headers.get(&name) {
                headers.insert(name, v.clone());
            }
        }
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    Response::from_parts(parts, Body::from(bytes))
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
    use super::names;
    use axum::http::HeaderValue;

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
}
