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
        allow_private_addresses: true,
        timeout: Duration::from_secs(2),
        read_timeout: Duration::from_millis(500),
        max_body_bytes,
        max_redirects: 3,
        // Pacing has its own tests; here it would only slow things down.
        host_min_gap: Duration::ZERO,
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
        .route(
            "/moved",
            get(|| async {
                (
                    StatusCode::MOVED_PERMANENTLY,
                    [(header::LOCATION, "/moved-again")],
                )
            }),
        )
        .route(
            "/moved-again",
            get(|| async { Redirect::permanent("/feed") }),
        )
        .route("/loop", get(|| async { Redirect::temporary("/loop2") }))
        .route("/loop2", get(|| async { Redirect::temporary("/loop") }))
        .route("/gone", get(|| async { StatusCode::GONE }))
        .route(
            "/busy",
            get(|| async {
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(header::RETRY_AFTER, "120")],
                )
            }),
        )
        .route(
            "/down",
            get(|| async {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::RETRY_AFTER, "Wed, 21 Oct 2099 07:28:00 GMT")],
                )
            }),
        )
        .route(
            "/bomb",
            get(|| async {
                (
                    [(header::CONTENT_ENCODING, "gzip")],
                    gzipped(&"0".repeat(8 * 1024 * 1024)),
                )
            }),
        )
        .route(
            "/drip",
            get(|| async {
                // One byte, then silence longer than the read timeout.
                let stream = futures_util::stream::unfold(0u8, |n| async move {
                    if n > 0 {
                        tokio::time::sleep(Duration::from_secs(3)).await;
                    }
                    (n < 2).then(|| (Ok::<_, std::io::Error>(vec![b'<']), n + 1))
                });
                axum::body::Body::from_stream(stream)
            }),
        )
        .route(
            "/endless",
            get(|| async {
                let stream = futures_util::stream::repeat_with(|| {
                    Ok::<_, std::io::Error>(vec![b'x'; 64 * 1024])
                });
                axum::body::Body::from_stream(stream)
            }),
        )
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nDisallow: /private/\n" }),
        )
        .route("/private/page", get(|| async { "<p>secret</p>" }))
        .route("/public/page", get(|| async { "<p>open</p>" }))
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
        Outcome::NotModified { redirects: vec![] }
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
    assert_eq!(r.redirects.len(), 2);
    assert_eq!(
        r.permanent_location(),
        None,
        "a temporary hop means the feed has not moved"
    );
    let Outcome::Fetched(moved) = f
        .get(&format!("{base}/moved"), &Validators::default())
        .await
        .unwrap()
    else {
        panic!("expected a body");
    };
    assert_eq!(moved.permanent_location().map(|u| u.path()), Some("/feed"));
    let err = f
        .get(&format!("{base}/loop"), &Validators::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RedirectLoop(_)), "{err}");
}

#[tokio::test]
async fn errors_name_their_cause() {
    let base = serve(app()).await;
    let f = fetcher(1 << 20);
    let err = f
        .get(&format!("{base}/gone"), &Validators::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Gone), "{err}");
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

#[tokio::test]
async fn busy_servers_say_when_to_come_back() {
    let base = serve(app()).await;
    let f = fetcher(1 << 20);
    let err = f
        .get(&format!("{base}/busy"), &Validators::default())
        .await
        .unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    let err = f
        .get(&format!("{base}/down"), &Validators::default())
        .await
        .unwrap_err();
    assert!(
        err.retry_after()
            .is_some_and(|d| d > Duration::from_secs(3600)),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_gzip_bomb_is_refused_by_what_it_expands_to() {
    let base = serve(app()).await;
    let err = fetcher(1 << 20)
        .get(&format!("{base}/bomb"), &Validators::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TooLarge { .. }), "{err}");
}

#[tokio::test]
async fn a_dripping_server_times_out() {
    let base = serve(app()).await;
    let started = std::time::Instant::now();
    let err = fetcher(1 << 20)
        .get(&format!("{base}/drip"), &Validators::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout(_) | Error::Request(_)),
        "{err}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the read timeout did not hold"
    );
}

#[tokio::test]
async fn robots_txt_is_asked_before_article_pages() {
    let base = serve(app()).await;
    let f = fetcher(1 << 20);
    assert!(f
        .get_page(&format!("{base}/public/page"), true)
        .await
        .is_ok());
    let err = f
        .get_page(&format!("{base}/private/page"), true)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::DisallowedByRobots { .. }), "{err}");
    assert!(
        f.get_page(&format!("{base}/private/page"), false)
            .await
            .is_ok(),
        "a source may be exempted"
    );
}

#[tokio::test]
async fn requests_to_one_host_keep_their_distance() {
    let base = serve(app()).await;
    let gap = Duration::from_millis(300);
    let f = Fetcher::new(FetchConfig {
        allow_private_addresses: true,
        host_min_gap: gap,
        ..FetchConfig::default()
    })
    .unwrap();
    let started = std::time::Instant::now();
    for _ in 0..3 {
        f.get(&format!("{base}/feed"), &Validators::default())
            .await
            .unwrap();
    }
    assert!(
        started.elapsed() >= gap * 2,
        "three requests took only {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_endless_body_stops_at_the_cap() {
    let base = serve(app()).await;
    let err = fetcher(1 << 20)
        .get(&format!("{base}/endless"), &Validators::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TooLarge { limit: 1048576 }), "{err}");
}

#[tokio::test]
async fn private_addresses_are_refused_unless_allowed() {
    let base = serve(Router::new().route("/feed.xml", get(|| async { "<rss/>" }))).await;
    let port = base.rsplit(':').next().unwrap().to_string();
    let guarded = Fetcher::new(FetchConfig {
        host_min_gap: Duration::ZERO,
        ..FetchConfig::default()
    })
    .unwrap();
    // An address written in the URL.
    let err = guarded
        .get(&format!("{base}/feed.xml"), &Validators::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::PrivateAddress(_)), "{err}");
    assert_eq!(err.kind(), "private_address");
    // A name that resolves to loopback: refused after resolution, not before.
    let err = guarded
        .get(
            &format!("http://localhost:{port}/feed.xml"),
            &Validators::default(),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not a public address"), "{err}");
    // With private addresses allowed (the demo's and the tests' setting), both go through.
    // (Every redirect hop passes the same check as the first request; a test of a public
    // first hop would need a public server.)
    let allowed = fetcher(1 << 20);
    assert!(matches!(
        allowed
            .get(&format!("{base}/feed.xml"), &Validators::default())
            .await,
        Ok(Outcome::Fetched(_))
    ));
    assert!(matches!(
        allowed
            .get(
                &format!("http://localhost:{port}/feed.xml"),
                &Validators::default()
            )
            .await,
        Ok(Outcome::Fetched(_))
    ));
}

/// A server on 127.0.0.2, which the fetcher is told it may reach, redirects to places it
/// may not: each hop is checked, by the address in the URL or by what a name resolves to.
#[tokio::test]
async fn redirects_into_the_private_network_are_refused_at_the_hop() {
    let inside = serve(Router::new().route("/feed.xml", get(|| async { "<rss/>" }))).await;
    let inside_port = inside.rsplit(':').next().unwrap().to_string();
    let listener = tokio::net::TcpListener::bind("127.0.0.2:0").await.unwrap();
    let allowed = format!("http://{}", listener.local_addr().unwrap());
    let to_loopback = format!("{inside}/feed.xml");
    let to_name = format!("http://localhost:{inside_port}/feed.xml");
    let router = Router::new()
        .route("/feed.xml", get(|| async { "<rss/>" }))
        .route(
            "/to-loopback",
            get(move || async move { Redirect::temporary(&to_loopback) }),
        )
        .route(
            "/to-name",
            get(move || async move { Redirect::temporary(&to_name) }),
        )
        .route(
            "/to-metadata",
            get(|| async { Redirect::temporary("http://169.254.169.254/latest/meta-data/") }),
        );
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let f = Fetcher::new(FetchConfig {
        host_min_gap: Duration::ZERO,
        timeout: Duration::from_secs(5),
        allowed_networks: vec!["127.0.0.2".parse().unwrap()],
        ..FetchConfig::default()
    })
    .unwrap();
    assert!(matches!(
        f.get(&format!("{allowed}/feed.xml"), &Validators::default())
            .await,
        Ok(Outcome::Fetched(_))
    ));
    for (path, named) in [
        ("/to-loopback", "127.0.0.1"),
        ("/to-name", "localhost"),
        ("/to-metadata", "169.254.169.254"),
    ] {
        let err = f
            .get(&format!("{allowed}{path}"), &Validators::default())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), "private_address", "{path}: {err}");
        assert!(err.to_string().contains(named), "{path}: {err}");
    }
}

#[test]
fn networks_are_read_and_matched() {
    use parallax_fetch::Network;
    let net: Network = "10.1.0.0/16".parse().unwrap();
    assert!(net.contains("10.1.200.3".parse().unwrap()));
    assert!(!net.contains("10.2.0.1".parse().unwrap()));
    assert!(!net.contains("::1".parse().unwrap()));
    let one: Network = "192.168.1.5".parse().unwrap();
    assert!(one.contains("192.168.1.5".parse().unwrap()));
    assert!(!one.contains("192.168.1.6".parse().unwrap()));
    let v6: Network = "fd00::/8".parse().unwrap();
    assert!(v6.contains("fd12::1".parse().unwrap()));
    let everything: Network = "0.0.0.0/0".parse().unwrap();
    assert!(everything.contains("127.0.0.1".parse().unwrap()));
    for bad in ["10.1.0.0/33", "intranet", "10.1/16", ""] {
        assert!(bad.parse::<Network>().is_err(), "{bad}");
    }
}

#[test]
fn public_and_private_addresses_are_told_apart() {
    use parallax_fetch::is_public;
    for private in [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "100.64.0.1",
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fc00::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "ff02::1",
    ] {
        assert!(!is_public(private.parse().unwrap()), "{private}");
    }
    for public in [
        "93.184.216.34",
        "1.1.1.1",
        "2606:4700:4700::1111",
        "::ffff:8.8.8.8",
    ] {
        assert!(is_public(public.parse().unwrap()), "{public}");
    }
}
