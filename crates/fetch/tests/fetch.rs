//! The fetcher against real HTTP servers on loopback.

use std::io::Write;
use std::time::Duration;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use parallax_fetch::{Error, FetchConfig, Fetcher, Outcome, Validators};

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    base
}

fn fetcher(max_body_bytes: usize) -> Fetcher {
    Fetcher::new(FetchConfig {
        timeout: Duration::from_secs(1),
        max_body_bytes,
        max_redirects: 3,
        ..FetchConfig::default()
    })
    .unwrap()
}

async fn feed(headers: HeaderMap) -> impl IntoResponse {
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v == "\"v1\"")
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    (
        [
            (header::ETAG, "\"v1\""),
            (header::LAST_MODIFIED, "Tue, 03 Nov 2026 10:00:00 GMT"),
        ],
        "<rss/>",
    )
        .into_response()
}

fn gzipped(text: &str) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(text.as_bytes()).unwrap();
    enc.finish().unwrap()
}

fn app() -> Router {
    Router::new()
        .route("/feed", get(feed))
        .route("/big", get(|| async { "x".repeat(64 * 1024) }))
        .route(
            "/big-stream",
            get(|| async {
                // Streamed without a Content-Length: the cap must hold while reading.
                let chunks = (0..64).map(|_| Ok::<_, std::io::Error>(vec![b'y'; 1024]));
                axum::body::Body::from_stream(futures_util::stream::iter(chunks))
            }),
        )
        .route(
            "/gzip",
            get(|| async {
                (
                    [(header::CONTENT_ENCODING, "gzip")],
                    gzipped("compressed body"),
                )
            }),
        )
        .route("/hop1", get(|| async { Redirect::permanent("/hop2") }))
        .route("/hop2", get(|| async { Redirect::temporary("/feed") }))
        .route("/loop", get(|| async { Redirect::temporary("/loop") }))
        .route("/gone", get(|| async { StatusCode::GONE }))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                "late"
            }),
        )
}

#[tokio::test]
async fn unchanged_feed_answers_not_modified_with_its_validators() {
    let base = serve(app()).await;
    let f = fetcher(1 << 20);
    let Outcome::Fetched(first) = f
        .get(&format!("{base}/feed"), &Validators::default())
        .await
        .unwrap()
    else {
        panic!("first fetch must return the body");
    };
    assert_eq!(first.body, b"<rss/>");
    assert_eq!(first.validators.etag.as_deref(), Some("\"v1\""));
    assert!(first.validators.last_modified.is_some());
    assert_eq!(
        f.get(&format!("{base}/feed"), &first.validators)
            .await
            .unwrap(),
        Outcome::NotModified
    );
}

#[tokio::test]
async fn bodies_over_the_cap_are_refused_with_or_without_a_length() {
    let base = serve(app()).await;
    let f = fetcher(16 * 1024);
    for path in ["/big", "/big-stream"] {
        let err = f
            .get(&format!("{base}{path}"), &Validators::default())
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::TooLarge { limit: 16384 }),
            "{path}: {err}"
        );
    }
}

#[tokio::test]
async fn gzip_bodies_are_decompressed() {
    let base = serve(app()).await;
    let Outcome::Fetched(r) = fetcher(1 << 20)
        .get(&format!("{base}/gzip"), &Validators::default())
        .await
        .unwrap()
    else {
        panic!("expected a body");
    };
    assert_eq!(r.body, b"compressed body");
}

#[tokio::test]
async fn redirects_are_followed_within_the_limit_and_loops_fail() {
    let base = serve(app()).await;
    let f = fetcher(1 << 20);
    let Outcome::Fetched(r) = f
        .get(&format!("{base}/hop1"), &Validators::default())
        .await
        .unwrap()
    else {
        panic!("expected a body");
    };
    assert_eq!(r.final_url.path(), "/feed");
    let err = f
        .get(&format!("{base}/loop"), &Validators::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TooManyRedirects(3)), "{err}");
}

#[tokio::test]
async fn errors_name_their_cause() {
    let base = serve(app()).await;
    let f = fetcher(1 << 20);
    let err = f
        .get(&format!("{base}/gone"), &Validators::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Status { status: 410 }), "{err}");
    let err = f
        .get(&format!("{base}/slow"), &Validators::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err}");
    let err = f
        .get("ftp://example.invalid/feed", &Validators::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidUrl(_)), "{err}");
    // Nothing listens on port 9 of loopback.
    let err = f
        .get("http://127.0.0.1:9/feed", &Validators::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connect(_)), "{err}");
}
