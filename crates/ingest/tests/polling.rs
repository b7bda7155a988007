//! The pipeline against feeds that move, vanish, push back or repeat themselves, served on
//! loopback; and with a site's own extraction rules.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use chrono::{Duration, Utc};
use parallax_fetch::{FetchConfig, Fetcher};
use parallax_ingest::{FeedStatus, IngestConfig, Pipeline, Quiet};
use parallax_model::{FeedStatus as Status, SourceProfile};
use parallax_search::SearchIndex;
use parallax_store::{SqliteStore, Store};

fn rss(items: &[(&str, &str)]) -> String {
    let mut out = String::from(
        "<rss version=\"2.0\"><channel><title>Test Wire</title><link>http://test.invalid/</link>",
    );
    for (id, date) in items {
        out.push_str(&format!("<item><guid>{id}</guid><title>Item {id}</title><pubDate>{date}</pubDate><description>Text of item {id}.</description></item>"));
    }
    out.push_str("</channel></rss>");
    out
}

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    base
}

/// Serves `body` at `path` as `content_type`; the server's base URL.
async fn serve_body(path: &'static str, content_type: &'static str, body: String) -> String {
    serve(Router::new().route(
        path,
        get(move || {
            let body = body.clone();
            async move { ([(header::CONTENT_TYPE, content_type)], body) }
        }),
    ))
    .await
}

/// One cycle over every subscribed feed, run as a task the test can watch.
fn spawn_cycle(
    p: &Arc<Pipeline>,
    store: &Arc<dyn Store>,
) -> tokio::task::JoinHandle<parallax_ingest::CycleReport> {
    let (p, store) = (Arc::clone(p), Arc::clone(store));
    tokio::spawn(async move {
        p.ingest_feeds(store.feeds().unwrap(), Utc::now(), &Quiet)
            .await
            .unwrap()
    })
}

fn pipeline(store: Arc<dyn Store>) -> Pipeline {
    pipeline_with(store, IngestConfig::default())
}

fn pipeline_with(store: Arc<dyn Store>, config: IngestConfig) -> Pipeline {
    let fetcher = Fetcher::new(FetchConfig {
        allow_private_addresses: true,
        host_min_gap: StdDuration::ZERO,
        timeout: StdDuration::from_secs(5),
        ..FetchConfig::default()
    })
    .unwrap();
    Pipeline::new(
        store,
        Arc::new(SearchIndex::open_in_ram().unwrap()),
        fetcher,
        config,
    )
    .unwrap()
}

fn subscribe(store: &dyn Store, url: &str) -> parallax_model::FeedId {
    let source = store
        .upsert_source(&SourceProfile {
            name: "Test Wire".into(),
            domain: "test.invalid".into(),
            ..SourceProfile::default()
        })
        .unwrap();
    store.add_feed(source, url).unwrap()
}

#[tokio::test]
async fn permanent_redirects_move_the_feed_after_three_confirmations() {
    let body = rss(&[("a", "Tue, 03 Nov 2026 10:00:00 GMT")]);
    let base = serve(
        Router::new()
            .route(
                "/old.xml",
                get(|| async {
                    (
                        StatusCode::MOVED_PERMANENTLY,
                        [(header::LOCATION, "/new.xml")],
                    )
                }),
            )
            .route(
                "/new.xml",
                get(move || {
                    let body = body.clone();
                    async move { body }
                }),
            ),
    )
    .await;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().unwrap());
    let feed = subscribe(store.as_ref(), &format!("{base}/old.xml"));
    let p = pipeline(Arc::clone(&store));
    for round in 1..=3 {
        let report = p
            .ingest_feeds(store.feeds().unwrap(), Utc::now(), &Quiet)
            .await
            .unwrap();
        assert!(
            !matches!(report.feeds[0].status, FeedStatus::Failed { .. }),
            "{report:?}"
        );
        let url = store.feed(feed).unwrap().unwrap().url;
        let expected = if round < 3 { "old.xml" } else { "new.xml" };
        assert!(url.ends_with(expected), "round {round}: {url}");
    }
    assert_eq!(
        store.stats().unwrap().articles,
        1,
        "the move duplicated nothing"
    );
}

#[tokio::test]
async fn gone_feeds_stop_and_busy_feeds_wait_as_asked() {
    let base = serve(
        Router::new()
            .route("/gone.xml", get(|| async { StatusCode::GONE }))
            .route(
                "/busy.xml",
                get(|| async {
                    (
                        StatusCode::TOO_MANY_REQUESTS,
                        [(header::RETRY_AFTER, "3600")],
                    )
                        .into_response()
                }),
            ),
    )
    .await;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().unwrap());
    let gone = subscribe(store.as_ref(), &format!("{base}/gone.xml"));
    let busy = subscribe(store.as_ref(), &format!("{base}/busy.xml"));
    let p = pipeline(Arc::clone(&store));
    let now = Utc::now();
    p.run_cycle(now, &Quiet).await.unwrap();
    assert_eq!(store.feed(gone).unwrap().unwrap().status, Status::Gone);
    let busy_feed = store.feed(busy).unwrap().unwrap();
    let wait = busy_feed.next_fetch - now;
    assert!(
        wait >= Duration::minutes(59) && wait <= Duration::minutes(61),
        "waits {wait}"
    );
    assert!(busy_feed
        .last_error
        .as_deref()
        .unwrap_or("")
        .contains("429"));
    // A year on, the gone feed is still not polled; the busy one is.
    let later = p
        .run_cycle(now + Duration::days(365), &Quiet)
        .await
        .unwrap();
    assert_eq!(
        later.feeds.iter().map(|f| f.feed).collect::<Vec<_>>(),
        [busy]
    );
}

#[tokio::test]
async fn an_identical_body_is_not_parsed_again_and_the_interval_follows_the_posting_rate() {
    let hits = Arc::new(AtomicUsize::new(0));
    // Hourly posts, and a server that sends no validators.
    let body = rss(&[
        ("1", "Tue, 03 Nov 2026 10:00:00 GMT"),
        ("2", "Tue, 03 Nov 2026 09:00:00 GMT"),
        ("3", "Tue, 03 Nov 2026 08:00:00 GMT"),
        ("4", "Tue, 03 Nov 2026 07:00:00 GMT"),
    ]);
    let counter = Arc::clone(&hits);
    let base = serve(Router::new().route(
        "/feed.xml",
        get(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            let body = body.clone();
            async move { ([(header::CONTENT_TYPE, "text/html")], body) }
        }),
    ))
    .await;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().unwrap());
    let feed = subscribe(store.as_ref(), &format!("{base}/feed.xml"));
    let p = pipeline(Arc::clone(&store));
    let first = p
        .ingest_feeds(store.feeds().unwrap(), Utc::now(), &Quiet)
        .await
        .unwrap();
    assert_eq!(
        first.new_articles(),
        4,
        "a feed served as text/html is still read"
    );
    let stored = store.feed(feed).unwrap().unwrap();
    assert_eq!(
        stored.poll_interval_secs,
        Some(30 * 60),
        "hourly posts: polled every half hour"
    );
    let second = p
        .ingest_feeds(store.feeds().unwrap(), Utc::now(), &Quiet)
        .await
        .unwrap();
    assert_eq!(second.feeds[0].status, FeedStatus::NotModified);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_sites_rules_choose_the_text_the_default_reading_would_miss() {
    let junk: String = (0..6)
        .map(|i| format!("<p>Archive item {i}: the longest read of the week, with plenty of words in it, and more words again.</p>"))
        .collect();
    let page = format!(
        r#"<html><head><title>Quay | Test Wire</title></head><body><h1 class="hed">Quay reopens</h1>
        <div class="txt"><p>The quay reopened on Monday after a month of repairs to its north wall.</p></div>
        <div class="zone-b">{junk}</div></body></html>"#
    );
    let base = serve_body("/a1", "text/html", page).await;
    let feed = format!(
        "<rss version=\"2.0\"><channel><title>Test Wire</title><link>{base}/</link><item><guid>a1</guid><title>Quay</title><link>{base}/a1</link><description>Quay news.</description></item></channel></rss>"
    );
    let feed_base = serve_body("/feed.xml", "application/rss+xml", feed).await;
    let (rules, warnings) = parallax_extract::SiteConfigs::from_files([(
        "127.0.0.1.txt",
        "title: //h1[@class='hed']\nbody: //div[@class='txt']\n",
    )]);
    assert!(warnings.is_empty());
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().unwrap());
    subscribe(store.as_ref(), &format!("{feed_base}/feed.xml"));
    let p = pipeline_with(
        Arc::clone(&store),
        IngestConfig {
            site_rules: Arc::new(rules),
            ..IngestConfig::default()
        },
    );
    let report = p
        .ingest_feeds(store.feeds().unwrap(), Utc::now(), &Quiet)
        .await
        .unwrap();
    assert_eq!(report.new_articles(), 1);
    let id = store
        .article_by_canonical_url(&parallax_model::url_norm::canonicalize_url(&format!(
            "{base}/a1"
        )))
        .unwrap()
        .unwrap();
    let article = store.article(id).unwrap().unwrap().draft;
    assert_eq!(
        article.text,
        "The quay reopened on Monday after a month of repairs to its north wall."
    );
}

/// Three versions of one event, served one more at each fetch from the second on.
async fn harbour_feed() -> String {
    let fetches = Arc::new(AtomicUsize::new(0));
    let items = [
        ("h1", "Harbour wall collapses in Port Aldane", "The harbour wall of Port Aldane collapsed overnight after the storm, flooding the fish market, officials said."),
        ("h2", "Port Aldane harbour wall collapses after storm", "Officials in Port Aldane said the harbour wall collapsed overnight after the storm and flooded the fish market."),
        ("h3", "Port Aldane fish market flooded as harbour wall fails", "The fish market of Port Aldane flooded when the harbour wall collapsed overnight in the storm, officials said."),
    ];
    let base = serve(Router::new().route(
        "/feed.xml",
        get(move || {
            let n = fetches.fetch_add(1, Ordering::SeqCst);
            let shown = (n + 2).min(items.len());
            let mut body = String::from("<rss version=\"2.0\"><channel><title>Test Wire</title><link>http://test.invalid/</link>");
            for (i, (guid, title, text)) in items[..shown].iter().enumerate() {
                let date = (Utc::now() - Duration::hours(3 - i as i64)).to_rfc2822();
                body.push_str(&format!("<item><guid>{guid}</guid><title>{title}</title><pubDate>{date}</pubDate><description>{text}</description></item>"));
            }
            body.push_str("</channel></rss>");
            async move { ([(header::CONTENT_TYPE, "application/rss+xml")], body) }
        }),
    ))
    .await;
    format!("{base}/feed.xml")
}

/// Stories and their sizes, largest first.
fn story_sizes(store: &dyn Store) -> Vec<u32> {
    let mut sizes: Vec<u32> = store
        .stories(&parallax_store::StoryQuery::default())
        .unwrap()
        .iter()
        .map(|s| s.article_count)
        .collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes
}

#[tokio::test]
async fn an_editors_split_is_respected_by_the_next_cycles_merge_pass() {
    for as_editor in [false, true] {
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().unwrap());
        subscribe(store.as_ref(), &harbour_feed().await);
        let p = pipeline(Arc::clone(&store));
        p.ingest_feeds(store.feeds().unwrap(), Utc::now(), &Quiet)
            .await
            .unwrap();
        let stories = store
            .stories(&parallax_store::StoryQuery::default())
            .unwrap();
        assert_eq!(
            story_sizes(store.as_ref()),
            [2],
            "two versions of one event"
        );
        let story = stories[0].id;
        let second = store.story_versions(story).unwrap()[1].article.id;
        let p = if as_editor {
            store.split_story_as_editor(story, &[second]).unwrap();
            // The running pipeline learns of it at its next cycle.
            p
        } else {
            store.split_story(story, &[second]).unwrap();
            // Without the editor's word, a pipeline restored from the store merges the
            // fragments again.
            pipeline(Arc::clone(&store))
        };
        assert_eq!(story_sizes(store.as_ref()), [1, 1]);
        p.ingest_feeds(store.feeds().unwrap(), Utc::now(), &Quiet)
            .await
            .unwrap();
        let expected: &[u32] = if as_editor { &[2, 1] } else { &[3] };
        assert_eq!(
            story_sizes(store.as_ref()),
            expected,
            "as editor: {as_editor}"
        );
    }
}

/// Each story's version titles, sorted, the stories sorted.
fn story_titles(store: &dyn Store) -> Vec<Vec<String>> {
    let mut stories: Vec<Vec<String>> = store
        .stories(&parallax_store::StoryQuery::default())
        .unwrap()
        .iter()
        .map(|s| {
            let mut titles: Vec<String> = store
                .story_versions(s.id)
                .unwrap()
                .into_iter()
                .map(|v| v.article.draft.title)
                .collect();
            titles.sort();
            titles
        })
        .collect();
    stories.sort();
    stories
}

#[tokio::test]
async fn an_article_in_the_wrong_story_moves_to_its_own_events_story() {
    for moves in [true, false] {
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().unwrap());
        subscribe(store.as_ref(), &harbour_feed().await);
        let quarry = [
            ("q1", "Quarry blast shakes Ravelin village", "A blast at the Ravelin quarry shook houses in the village on Tuesday, mayor Otto Brenn said, and cracked the school's windows."),
            ("q2", "Ravelin quarry blast cracks school windows", "Mayor Otto Brenn said Tuesday's blast at the Ravelin quarry cracked windows at the village school and shook houses."),
        ];
        let date = (Utc::now() - Duration::hours(2)).to_rfc2822();
        let mut feed = String::from("<rss version=\"2.0\"><channel><title>Test Wire</title><link>http://test.invalid/</link>");
        for (guid, title, text) in quarry {
            feed.push_str(&format!("<item><guid>{guid}</guid><title>{title}</title><pubDate>{date}</pubDate><description>{text}</description></item>"));
        }
        feed.push_str("</channel></rss>");
        let base = serve_body("/quarry.xml", "application/rss+xml", feed).await;
        subscribe(store.as_ref(), &format!("{base}/quarry.xml"));
        let config = IngestConfig {
            cluster: parallax_cluster::ClusterConfig {
                moves,
                ..Default::default()
            },
            ..IngestConfig::default()
        };
        let p = pipeline_with(Arc::clone(&store), config.clone());
        p.ingest_feeds(store.feeds().unwrap(), Utc::now(), &Quiet)
            .await
            .unwrap();
        assert_eq!(story_sizes(store.as_ref()), [2, 2]);
        // As if the harbour's second version had joined the quarry's story.
        let stories = store
            .stories(&parallax_store::StoryQuery::default())
            .unwrap();
        let titled = |word: &str| stories.iter().find(|s| s.title.contains(word)).unwrap().id;
        let (harbour, blast) = (titled("Aldane"), titled("Ravelin"));
        let second = store.story_versions(harbour).unwrap()[1].article.id;
        let stray = store.split_story(harbour, &[second]).unwrap();
        store.merge_stories(stray, blast).unwrap();
        assert_eq!(story_sizes(store.as_ref()), [3, 1]);
        // Restored from the store, the pipeline meets the harbour's third version.
        let p = pipeline_with(Arc::clone(&store), config);
        p.ingest_feeds(store.feeds().unwrap(), Utc::now(), &Quiet)
            .await
            .unwrap();
        let titles = story_titles(store.as_ref());
        let apart = titles.iter().all(|t| {
            t.iter().all(|t| t.contains("Aldane")) || t.iter().all(|t| t.contains("Ravelin"))
        });
        assert_eq!(apart, moves, "moves: {moves}, stories: {titles:?}");
        if moves {
            assert_eq!(story_sizes(store.as_ref()), [3, 2]);
        }
    }
}

/// A feed of `items` entries whose pages are served at `/a/{n}`; the page `held` is not
/// answered until the test adds a permit. Lists the pages asked for, in order.
async fn backlog(
    items: usize,
    held: usize,
) -> (String, Arc<Mutex<Vec<usize>>>, Arc<tokio::sync::Semaphore>) {
    let requested = Arc::new(Mutex::new(Vec::new()));
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let page = {
        let (requested, gate) = (Arc::clone(&requested), Arc::clone(&gate));
        get(move |axum::extract::Path(n): axum::extract::Path<usize>| {
            let (requested, gate) = (Arc::clone(&requested), Arc::clone(&gate));
            async move {
                requested.lock().unwrap().push(n);
                if n == held {
                    let _ = gate.acquire().await;
                }
                let body = format!(
                    "<html><body><article><h1>Item {n}</h1><p>The council of Item {n} met on \
                     Monday and agreed the harbour budget for the coming year.</p></article></body></html>"
                );
                ([(header::CONTENT_TYPE, "text/html")], body)
            }
        })
    };
    let base = serve(Router::new().route("/a/{n}", page)).await;
    let mut feed = String::from(
        "<rss version=\"2.0\"><channel><title>Test Wire</title><link>http://test.invalid/</link>",
    );
    for n in 0..items {
        let date = (Utc::now() - Duration::minutes((items - n) as i64)).to_rfc2822();
        feed.push_str(&format!("<item><guid>{n}</guid><title>Item {n}</title><link>{base}/a/{n}</link><pubDate>{date}</pubDate></item>"));
    }
    feed.push_str("</channel></rss>");
    let feed_base = serve_body("/feed.xml", "application/rss+xml", feed).await;
    (format!("{feed_base}/feed.xml"), requested, gate)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_cycle_is_searchable_as_it_goes() {
    const ITEMS: usize = 1010;
    // The last page waits: the cycle cannot end before the test lets it.
    let (feed, _, last_page) = backlog(ITEMS, ITEMS - 1).await;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().unwrap());
    subscribe(store.as_ref(), &feed);
    let index = Arc::new(SearchIndex::open_in_ram().unwrap());
    let fetcher = Fetcher::new(FetchConfig {
        allow_private_addresses: true,
        host_min_gap: StdDuration::ZERO,
        ..FetchConfig::default()
    })
    .unwrap();
    let p = Arc::new(
        Pipeline::new(
            Arc::clone(&store),
            Arc::clone(&index),
            fetcher,
            IngestConfig::default(),
        )
        .unwrap(),
    );
    let cycle = spawn_cycle(&p, &store);
    while index.doc_count() < 1000 {
        assert!(
            !cycle.is_finished(),
            "the cycle ended before it was searchable"
        );
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
    assert!(!cycle.is_finished());
    last_page.add_permits(1);
    assert_eq!(cycle.await.unwrap().new_articles(), ITEMS);
    assert_eq!(index.doc_count(), ITEMS as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_backlog_is_read_only_a_window_ahead_of_storing() {
    const ITEMS: usize = 100;
    // The backlog's earliest page is slow: nothing after it can be stored.
    let (feed, requested, first_page) = backlog(ITEMS, 0).await;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().unwrap());
    subscribe(store.as_ref(), &feed);
    let p = Arc::new(pipeline_with(
        Arc::clone(&store),
        IngestConfig {
            page_concurrency: 2,
            ..IngestConfig::default()
        },
    ));
    let cycle = spawn_cycle(&p, &store);
    // Two slots, eight pages ahead per slot: the first page and fifteen after it are asked
    // for, then reading waits for storing.
    let window = 16;
    let asked = || requested.lock().unwrap().len();
    while asked() < window {
        tokio::time::sleep(StdDuration::from_millis(5)).await;
    }
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(asked(), window);
    first_page.add_permits(1);
    let report = cycle.await.unwrap();
    assert_eq!(report.new_articles(), ITEMS);
    assert_eq!(asked(), ITEMS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_asked_for_in_the_order_they_are_stored() {
    const ITEMS: usize = 60;
    // One slot: a page asked for out of turn would hold up storing the ones before it.
    let (feed, requested, _) = backlog(ITEMS, ITEMS).await;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().unwrap());
    subscribe(store.as_ref(), &feed);
    let p = Arc::new(pipeline_with(
        Arc::clone(&store),
        IngestConfig {
            page_concurrency: 1,
            ..IngestConfig::default()
        },
    ));
    let report = spawn_cycle(&p, &store).await.unwrap();
    assert_eq!(report.new_articles(), ITEMS);
    let order = requested.lock().unwrap().clone();
    assert_eq!(order, (0..ITEMS).collect::<Vec<_>>());
}

// ---------------------------------------------------------------- a hostile web

/// A server that answers each connection with `answer` on the raw socket: for what no
/// well-behaved HTTP server would send. Its base URL.
async fn serve_raw<F, Fut>(answer: F) -> String
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(answer(socket));
        }
    });
    base
}

/// Reads a request's head, so that what follows is an answer to it.
async fn read_request(socket: &mut tokio::net::TcpStream) {
    use tokio::io::AsyncReadExt;
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
}

fn gzipped(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// Feeds whose servers drip, stall, redirect without end, bomb, lie about lengths, reset,
/// or send entity bombs, each on its own host beside one honest outlet whose pages are
/// hostile too: every hostile feed fails for its own reason within the fetch deadline,
/// nothing grows past the caps, and the honest outlet's articles are all stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_web_fails_feed_by_feed_and_the_honest_outlet_goes_on() {
    use tokio::io::AsyncWriteExt;
    const HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n";

    // One byte every 200 ms: each read comes in time, only the whole deadline stops it.
    let drip = serve_raw(|mut s| async move {
        read_request(&mut s).await;
        let _ = s
            .write_all(format!("{HEAD}Transfer-Encoding: chunked\r\n\r\n").as_bytes())
            .await;
        loop {
            if s.write_all(b"1\r\n<\r\n").await.is_err() {
                return;
            }
            tokio::time::sleep(StdDuration::from_millis(200)).await;
        }
    })
    .await;
    // Takes the request and never answers.
    let silent = serve_raw(|mut s| async move {
        read_request(&mut s).await;
        tokio::time::sleep(StdDuration::from_secs(600)).await;
        drop(s);
    })
    .await;
    // Promises more than it sends, then hangs up.
    let short = serve_raw(|mut s| async move {
        read_request(&mut s).await;
        let _ = s
            .write_all(format!("{HEAD}Content-Length: 100000\r\n\r\n<rss><channel>").as_bytes())
            .await;
    })
    .await;
    // Resets the connection instead of answering.
    let reset = serve_raw(|mut s| async move {
        read_request(&mut s).await;
        let _ = s.set_zero_linger();
        drop(s);
    })
    .await;
    // Every answer a redirect to one more hop.
    let redirects = serve(Router::new().route(
        "/r/{n}",
        get(
            |axum::extract::Path(n): axum::extract::Path<u64>| async move {
                axum::response::Redirect::temporary(&format!("/r/{}", n + 1))
            },
        ),
    ))
    .await;
    // 64 MiB of zeros in some 64 KiB of gzip.
    let bomb_body = gzipped(&vec![b'0'; 64 << 20]);
    let bomb = serve(Router::new().route(
        "/feed.xml",
        get(move || {
            let body = bomb_body.clone();
            async move { ([(header::CONTENT_ENCODING, "gzip")], body) }
        }),
    ))
    .await;
    // Entities of entities (the billion laughs), and one long entity used many times.
    let mut doctype = String::from("<!DOCTYPE rss [<!ENTITY lol0 \"lol\">");
    for i in 1..10 {
        let refs = format!("&lol{};", i - 1).repeat(10);
        doctype.push_str(&format!("<!ENTITY lol{i} \"{refs}\">"));
    }
    doctype.push_str(&format!("<!ENTITY big \"{}\">]>", "ha ".repeat(30_000)));
    let laughs = serve_body(
        "/feed.xml",
        "application/rss+xml",
        format!(
            "{doctype}<rss version=\"2.0\"><channel><title>&lol9;</title><item><guid>laugh</guid>\
             <title>Laughs &lol9;</title><description>{}</description></item></channel></rss>",
            "&big;".repeat(5_000)
        ),
    )
    .await;
    let not_a_feed = serve_body(
        "/feed.xml",
        "text/html",
        "<html><body>Pay up</body></html>".into(),
    )
    .await;

    // The honest outlet: its feed is fine, one of its pages is a bomb and one drips.
    let page_bomb = gzipped(&vec![b' '; 64 << 20]);
    let honest = serve(
        Router::new()
            .route(
                "/feed.xml",
                get(|| async {
                    let items: String = ["calm", "bombed", "dripping"]
                        .iter()
                        .map(|slug| {
                            format!(
                                "<item><guid>{slug}</guid><link>/{slug}</link>\
                                 <title>Harbour story {slug}</title>\
                                 <description>The harbour board met on Tuesday about the {slug} pier.</description></item>"
                            )
                        })
                        .collect();
                    (
                        [(header::CONTENT_TYPE, "application/rss+xml")],
                        format!("<rss version=\"2.0\"><channel><title>Honest</title>{items}</channel></rss>"),
                    )
                }),
            )
            .route(
                "/calm",
                get(|| async {
                    axum::response::Html(
                        "<html><head><title>Harbour story calm</title></head><body><article>\
                         <h1>Harbour story calm</h1><p>The harbour board met on Tuesday and \
                         voted to repair the calm pier before the winter storms arrive.</p>\
                         <p>Members said the work would take six weeks.</p></article></body></html>",
                    )
                }),
            )
            .route(
                "/bombed",
                get(move || {
                    let body = page_bomb.clone();
                    async move {
                        (
                            [
                                (header::CONTENT_ENCODING, "gzip"),
                                (header::CONTENT_TYPE, "text/html"),
                            ],
                            body,
                        )
                    }
                }),
            )
            .route(
                "/dripping",
                get(|| async {
                    let stream = futures_util::stream::unfold((), |()| async {
                        tokio::time::sleep(StdDuration::from_millis(200)).await;
                        Some((Ok::<_, std::io::Error>(b"<p>".to_vec()), ()))
                    });
                    axum::body::Body::from_stream(stream)
                }),
            ),
    )
    .await;

    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().unwrap());
    let feeds = [
        ("drip", format!("{drip}/feed.xml")),
        ("silent", format!("{silent}/feed.xml")),
        ("short", format!("{short}/feed.xml")),
        ("reset", format!("{reset}/feed.xml")),
        ("redirects", format!("{redirects}/r/0")),
        ("bomb", format!("{bomb}/feed.xml")),
        ("laughs", format!("{laughs}/feed.xml")),
        ("not_a_feed", format!("{not_a_feed}/feed.xml")),
        ("honest", format!("{honest}/feed.xml")),
    ];
    for (_, url) in &feeds {
        subscribe(store.as_ref(), url);
    }
    let deadline = StdDuration::from_secs(2);
    let fetcher = Fetcher::new(FetchConfig {
        allow_private_addresses: true,
        host_min_gap: StdDuration::ZERO,
        timeout: deadline,
        read_timeout: StdDuration::from_secs(1),
        max_body_bytes: 1 << 20,
        ..FetchConfig::default()
    })
    .unwrap();
    let index = Arc::new(SearchIndex::open_in_ram().unwrap());
    let p = Pipeline::new(
        Arc::clone(&store),
        Arc::clone(&index),
        fetcher,
        IngestConfig {
            feed_concurrency: feeds.len(),
            ..IngestConfig::default()
        },
    )
    .unwrap();
    let started = std::time::Instant::now();
    let report = p
        .ingest_feeds(store.feeds().unwrap(), Utc::now(), &Quiet)
        .await
        .unwrap();
    // Feeds run side by side, then the honest outlet's pages: two deadlines and slack.
    let took = started.elapsed();
    assert!(took < deadline * 4, "the cycle took {took:?}");

    let status_of = |name: &str| {
        let url = &feeds.iter().find(|(n, _)| *n == name).unwrap().1;
        report.feeds.iter().find(|f| &f.url == url).unwrap()
    };
    for (name, kind) in [
        ("drip", "timeout"),
        ("silent", "timeout"),
        ("redirects", "redirect"),
        ("bomb", "too_large"),
        ("not_a_feed", "not_a_feed"),
    ] {
        match &status_of(name).status {
            FeedStatus::Failed { kind: k, reason } => {
                assert_eq!(*k, kind, "{name}: {reason}");
                assert!(!reason.is_empty());
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    for name in ["short", "reset"] {
        assert!(
            matches!(
                &status_of(name).status,
                FeedStatus::Failed {
                    kind: "request" | "connect",
                    ..
                }
            ),
            "{name}: {:?}",
            status_of(name).status
        );
    }
    // Every failure is kept with its reason on the feed itself.
    let stored = store.feeds().unwrap();
    assert_eq!(
        stored.iter().filter(|f| f.last_error.is_some()).count(),
        7,
        "{stored:#?}"
    );

    // The entity bombs were read, and stayed small.
    assert!(matches!(
        status_of("laughs").status,
        FeedStatus::Fetched { changed: true }
    ));
    let source = store.sources().unwrap()[0].id;
    let laugh = store
        .source_articles(source, 100)
        .unwrap()
        .into_iter()
        .find(|a| a.draft.title.starts_with("Laughs"))
        .expect("the entity feed's entry is stored");
    assert!(
        laugh.draft.title.len() < 1000,
        "{} bytes of title",
        laugh.draft.title.len()
    );
    assert!(
        laugh.draft.text.len() < 3 << 20,
        "{} bytes of text",
        laugh.draft.text.len()
    );

    // The honest outlet: all three stored, the two hostile pages from the feed's text.
    let honest = status_of("honest");
    assert_eq!(honest.status, FeedStatus::Fetched { changed: true });
    assert_eq!(honest.new_articles, 3);
    assert_eq!(honest.page_failures, 2);
    assert_eq!(index.doc_count(), 4);
}
