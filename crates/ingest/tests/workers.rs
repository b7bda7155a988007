//! Many workers on one PostgreSQL store: each leases its own hosts, and their clusterers
//! follow one another, so one event becomes one story whichever worker reads it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration as StdDuration;

use axum::routing::get;
use axum::Router;
use chrono::Utc;
use parallax_fetch::{FetchConfig, Fetcher};
use parallax_ingest::{IngestConfig, Pipeline, Quiet};
use parallax_model::SourceProfile;
use parallax_search::SearchIndex;
use parallax_store::testing::ScratchSchema;
use parallax_store::{PostgresStore, Store, StoryQuery};

/// A feed of one item, whose text is in the feed (no page to fetch).
fn rss(outlet: &str, title: &str, text: &str) -> String {
    format!(
        "<rss version=\"2.0\"><channel><title>{outlet}</title><link>http://{outlet}.invalid/</link>\
         <item><guid>{outlet}-1</guid><title>{title}</title>\
         <pubDate>Tue, 03 Nov 2026 10:00:00 GMT</pubDate><description>{text}</description></item>\
         </channel></rss>"
    )
}

/// Serves `body` at /feed.xml on `host` (a loopback address), counting the requests.
async fn serve_feed(host: &str, body: String, hits: Arc<AtomicUsize>) -> String {
    let listener = tokio::net::TcpListener::bind((host, 0)).await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = Router::new().route(
        "/feed.xml",
        get(move || {
            hits.fetch_add(1, Ordering::SeqCst);
            let body = body.clone();
            async move { body }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    base
}

fn worker(store: &Arc<dyn Store>, name: &str) -> Pipeline {
    let fetcher = Fetcher::new(FetchConfig {
        allow_private_addresses: true,
        host_min_gap: StdDuration::ZERO,
        timeout: StdDuration::from_secs(5),
        ..FetchConfig::default()
    })
    .unwrap();
    Pipeline::new(
        Arc::clone(store),
        Arc::new(SearchIndex::open_in_ram().unwrap()),
        fetcher,
        IngestConfig {
            worker: name.into(),
            indexes: false,
            ..IngestConfig::default()
        },
    )
    .unwrap()
}

fn subscribe(store: &dyn Store, outlet: &str, url: &str) {
    let source = store
        .upsert_source(&SourceProfile {
            name: outlet.into(),
            domain: format!("{outlet}.invalid"),
            ..SourceProfile::default()
        })
        .unwrap();
    store.add_feed(source, url).unwrap();
}

const FIRST: &str = "Fire crews in Port Ellery fought a blaze at the Calder Street grain \
    terminal through the night. Mayor Ines Varga said the harbour would stay closed on \
    Wednesday while inspectors from the Ellery Port Authority checked the quay. Nobody was \
    hurt, the Ellery fire service said, but the terminal's two silos were lost.";
const SECOND: &str = "A fire destroyed two silos at the Calder Street grain terminal in Port \
    Ellery overnight, and the harbour stays closed on Wednesday, Mayor Ines Varga said. The \
    Ellery Port Authority sent inspectors to the quay; the Ellery fire service reported no \
    injuries after crews fought the blaze through the night.";

/// Two workers read two outlets' reports of one event at the same moment: the second to
/// store follows the first's article and joins its story.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_reading_one_event_at_once_make_one_story() {
    let Some(schema) = ScratchSchema::create("race") else {
        return;
    };
    let store: Arc<dyn Store> = Arc::new(PostgresStore::open(&schema.url()).unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let a = serve_feed(
        "127.0.0.1",
        rss("gazette", "Fire shuts Port Ellery harbour", FIRST),
        Arc::clone(&hits),
    )
    .await;
    let b = serve_feed(
        "127.0.0.1",
        rss(
            "courier",
            "Port Ellery grain terminal fire: harbour closed",
            SECOND,
        ),
        Arc::clone(&hits),
    )
    .await;
    subscribe(store.as_ref(), "gazette", &format!("{a}/feed.xml"));
    subscribe(store.as_ref(), "courier", &format!("{b}/feed.xml"));
    let feeds = store.feeds().unwrap();
    // Both clusterers start from the same empty store, then read at once.
    let (one, two) = (worker(&store, "w1"), worker(&store, "w2"));
    let now = Utc::now();
    let (r1, r2) = tokio::join!(
        one.ingest_feeds(vec![feeds[0].clone()], now, &Quiet),
        two.ingest_feeds(vec![feeds[1].clone()], now, &Quiet),
    );
    assert_eq!(r1.unwrap().new_articles() + r2.unwrap().new_articles(), 2);
    let stories = store.stories(&StoryQuery::default()).unwrap();
    assert_eq!(stories.len(), 1, "{stories:?}");
    assert_eq!(stories[0].article_count, 2);
}

/// Two workers polling at once fetch each feed once: each leases its hosts, and a host
/// another holds is left to it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_polling_at_once_fetch_each_feed_once() {
    let Some(schema) = ScratchSchema::create("lease") else {
        return;
    };
    let store: Arc<dyn Store> = Arc::new(PostgresStore::open(&schema.url()).unwrap());
    let mut counters = Vec::new();
    // Six hosts: loopback answers on every 127.x address.
    for i in 1..=6 {
        let hits = Arc::new(AtomicUsize::new(0));
        let host = format!("127.0.0.{i}");
        let base = serve_feed(
            &host,
            rss(&format!("outlet{i}"), &format!("Story {i}"), FIRST),
            Arc::clone(&hits),
        )
        .await;
        subscribe(
            store.as_ref(),
            &format!("outlet{i}"),
            &format!("{base}/feed.xml"),
        );
        counters.push(hits);
    }
    let (one, two) = (worker(&store, "w1"), worker(&store, "w2"));
    let now = Utc::now() + chrono::Duration::seconds(1);
    let (r1, r2) = tokio::join!(one.run_cycle(now, &Quiet), two.run_cycle(now, &Quiet));
    let (r1, r2) = (r1.unwrap(), r2.unwrap());
    assert_eq!(r1.feeds.len() + r2.feeds.len(), 6, "{r1:?} {r2:?}");
    for (i, hits) in counters.iter().enumerate() {
        assert_eq!(hits.load(Ordering::SeqCst), 1, "feed {}", i + 1);
    }
    // The leases were given back: the next due feeds can go to either.
    let later = now + chrono::Duration::days(2);
    assert_eq!(
        store
            .claim_due_feeds("w3", later, later + chrono::Duration::minutes(5), 100)
            .unwrap()
            .len(),
        6
    );
}
