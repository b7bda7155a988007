//! Soak: a local web of 2,000 feeds on 200 hosts, polled through simulated hours on a clock
//! the test turns. Every entry is stored exactly once, every host's pacing holds, and
//! polls that bring nothing new leave memory where it was. Its own test binary, so that the
//! memory it reads is this test's alone. `SOAK_FEEDS`, `SOAK_HOSTS` and `SOAK_POSTING` size it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration as StdDuration, Instant};

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, TimeZone, Utc};
use parallax_fetch::{FetchConfig, Fetcher};
use parallax_ingest::{IngestConfig, Pipeline, Quiet};
use parallax_model::SourceProfile;
use parallax_search::SearchIndex;
use parallax_store::{SqliteStore, Store};

/// The simulated web's state, shared by its hosts and the test.
struct Web {
    /// The simulated time, in seconds since the epoch.
    now: AtomicI64,
    /// When the soak began, in simulated time: a minute after the feeds were added (new
    /// feeds are due at once, by the real clock).
    start: i64,
    posting: Posting,
    /// Entries are published up to this simulated time and no further.
    posting_ends: AtomicI64,
    /// When each request arrived, by host, in real time: for the pacing check.
    arrivals: Mutex<HashMap<u16, Vec<Instant>>>,
    requests: AtomicUsize,
}

/// How often the feeds post: each feed every `shortest` to `longest` simulated minutes,
/// from an offset of its own, with `backlog` entries from before the soak began.
#[derive(Clone, Copy)]
struct Posting {
    shortest: i64,
    longest: i64,
    backlog: i64,
}

impl Posting {
    fn period_minutes(&self, f: usize) -> i64 {
        self.shortest + (f as i64 * 7) % (self.longest - self.shortest + 1)
    }

    /// The publication times of feed `f`'s entries up to `until`: (entry number, time).
    fn entries_of(&self, f: usize, start: i64, until: i64) -> Vec<(i64, i64)> {
        let period = self.period_minutes(f) * 60;
        let first = start + ((f as i64 * 13) % self.period_minutes(f)) * 60 - self.backlog * period;
        (0..)
            .map(|k| (k, first + k * period))
            .take_while(|(_, at)| *at <= until)
            .collect()
    }
}

/// Words enough that no two entries tell the same story.
fn words(f: usize, k: i64) -> String {
    const SYLLABLES: [&str; 16] = [
        "ka", "lo", "mer", "vin", "tas", "ru", "pel", "dor", "qui", "zan", "bo", "fen", "hal",
        "sy", "tro", "wem",
    ];
    let mut seed = (f as u64 + 1) * 1_000_003 + k as u64 * 7_919;
    (0..24)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let a = SYLLABLES[(seed & 15) as usize];
            let b = SYLLABLES[((seed >> 4) & 15) as usize];
            let c = SYLLABLES[((seed >> 8) & 15) as usize];
            format!("{a}{b}{c}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Web {
    fn arrived(&self, port: u16) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.arrivals
            .lock()
            .unwrap()
            .entry(port)
            .or_default()
            .push(Instant::now());
    }

    fn feed(&self, f: usize, port: u16) -> String {
        let until = self
            .now
            .load(Ordering::SeqCst)
            .min(self.posting_ends.load(Ordering::SeqCst));
        let entries = self.posting.entries_of(f, self.start, until);
        let mut items = String::new();
        for (k, at) in entries.iter().rev().take(10) {
            let date = Utc.timestamp_opt(*at, 0).unwrap().to_rfc2822();
            items.push_str(&format!(
                "<item><guid isPermaLink=\"false\">f{f}-{k}</guid><title>Report {f}-{k}: {}</title>\
                 <link>http://127.0.0.1:{port}/a/{f}/{k}</link><pubDate>{date}</pubDate>\
                 <description>{}</description></item>",
                words(f, *k * 31 + 1),
                words(f, *k),
            ));
        }
        format!(
            "<rss version=\"2.0\"><channel><title>Outlet {f}</title>\
             <link>http://127.0.0.1:{port}/</link>{items}</channel></rss>"
        )
    }
}

async fn feed(
    State((web, port, first)): State<(Arc<Web>, u16, usize)>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    web.arrived(port);
    let Some(i) = name
        .strip_suffix(".xml")
        .and_then(|n| n.parse::<usize>().ok())
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let body = web.feed(first + i, port);
    let etag = format!("\"{:x}\"", fxhash(&body));
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "application/rss+xml".to_string()),
            (header::ETAG, etag),
        ],
        body,
    )
        .into_response()
}

async fn page(
    State((web, port, _)): State<(Arc<Web>, u16, usize)>,
    Path((f, k)): Path<(usize, i64)>,
) -> Response {
    web.arrived(port);
    let body = format!(
        "<!doctype html><html><head><title>Report {f}-{k}</title></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><article>\
         <h1>Report {f}-{k}: {}</h1><p>{}</p><p>{}</p><p>{}</p></article>\
         <footer>Outlet {f}. All rights reserved.</footer></body></html>",
        words(f, k * 31 + 1),
        words(f, k),
        words(f, k + 100_000),
        words(f, k + 200_000),
    );
    axum::response::Html(body).into_response()
}

fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h: u64, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

/// This process's resident memory, in bytes.
fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_web_of_two_thousand_feeds_is_polled_for_hours_exactly_once_and_politely() {
    let hosts = env_or("SOAK_HOSTS", 200);
    let feeds = env_or("SOAK_FEEDS", 2_000);
    let per_host = feeds.div_ceil(hosts);
    // By default each feed has one entry and posts every one to two hours: some 3,500
    // articles, for a debug build in CI. SOAK_POSTING=20,40,3 is the busier web of the notes.
    let posting = std::env::var("SOAK_POSTING")
        .ok()
        .and_then(|v| {
            let n: Vec<i64> = v.split(',').filter_map(|x| x.parse().ok()).collect();
            (n.len() == 3 && n[0] > 0 && n[1] >= n[0]).then(|| Posting {
                shortest: n[0],
                longest: n[1],
                backlog: n[2],
            })
        })
        .unwrap_or(Posting {
            shortest: 60,
            longest: 120,
            backlog: 1,
        });
    let start = Utc::now().timestamp() + 60;
    let web = Arc::new(Web {
        now: AtomicI64::new(start),
        start,
        posting,
        posting_ends: AtomicI64::new(start + 3600),
        arrivals: Mutex::new(HashMap::new()),
        requests: AtomicUsize::new(0),
    });

    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.path().join("soak.db")).unwrap());
    let mut ports = Vec::new();
    for h in 0..hosts {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let router = Router::new()
            .route("/feed/{name}", get(feed))
            .route("/a/{f}/{k}", get(page))
            .with_state((Arc::clone(&web), port, h * per_host));
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        ports.push(port);
        let source = store
            .upsert_source(&SourceProfile {
                name: format!("Host {h}"),
                domain: format!("host{h}.invalid"),
                ..SourceProfile::default()
            })
            .unwrap();
        for i in 0..per_host.min(feeds - h * per_host) {
            store
                .add_feed(source, &format!("http://127.0.0.1:{port}/feed/{i}.xml"))
                .unwrap();
        }
    }

    let gap = StdDuration::from_millis(200);
    let fetcher = Fetcher::new(FetchConfig {
        allow_private_addresses: true,
        host_min_gap: gap,
        obey_robots: false,
        timeout: StdDuration::from_secs(10),
        ..FetchConfig::default()
    })
    .unwrap();
    let pipeline = Pipeline::new(
        Arc::clone(&store),
        // On disk, as a site keeps it: an index in memory would grow with every article.
        Arc::new(SearchIndex::open(&dir.path().join("index")).unwrap()),
        fetcher,
        IngestConfig {
            feed_concurrency: 64,
            page_concurrency: 32,
            ..IngestConfig::default()
        },
    )
    .unwrap();

    // Two simulated hours, a minute a step: the first with posting, the second without.
    let mut memory = Vec::new();
    let started = Instant::now();
    for minute in 0..=120 {
        let now = start + minute * 60;
        web.now.store(now, Ordering::SeqCst);
        let at: DateTime<Utc> = Utc.timestamp_opt(now, 0).unwrap();
        let report = pipeline.run_cycle(at, &Quiet).await.unwrap();
        assert_eq!(
            report.failed_feeds(),
            0,
            "minute {minute}: {:?}",
            report
                .feeds
                .iter()
                .find(|f| matches!(f.status, parallax_ingest::FeedStatus::Failed { .. }))
        );
        if minute % 10 == 0 {
            let stats = store.stats().unwrap();
            memory.push((minute, resident_bytes(), stats.articles));
            eprintln!(
                "minute {minute:>3}: {:>6} articles, {:>6} requests, {:>5} MB resident, {:.0?} real",
                stats.articles,
                web.requests.load(Ordering::Relaxed),
                resident_bytes() >> 20,
                started.elapsed()
            );
        }
    }

    // Exactly once: every entry published in the first hour has its own article, and the
    // store holds no other.
    let mut articles = std::collections::HashSet::new();
    for feed in store.feeds().unwrap() {
        assert_eq!(feed.error_count, 0, "{}", feed.url);
        let (port, i) = feed
            .url
            .strip_prefix("http://127.0.0.1:")
            .and_then(|rest| rest.split_once("/feed/"))
            .unwrap();
        let port: u16 = port.parse().unwrap();
        let host = ports.iter().position(|p| *p == port).unwrap();
        let f = host * per_host + i.trim_end_matches(".xml").parse::<usize>().unwrap();
        for (k, _) in posting.entries_of(f, start, start + 3600) {
            let (article, _) = store
                .entry(feed.id, &format!("f{f}-{k}"))
                .unwrap()
                .unwrap_or_else(|| panic!("entry f{f}-{k} was not ingested"));
            assert!(articles.insert(article), "entry f{f}-{k} shares an article");
        }
    }
    assert_eq!(store.stats().unwrap().articles as usize, articles.len());

    // Pacing: the fetcher starts one host's requests `gap` apart; what a host sees also
    // carries each connection's own delay, so it is held to the rate, over any second.
    // Paced, a host sees at most 5 in a second, 6 or 7 when its connections' delays differ
    // by up to two gaps; unpaced, a host's ten feeds alone arrive at once.
    let most_per_second = (1000 / gap.as_millis()) as usize + 2;
    let mut busiest = (0, 0);
    let mut closest = StdDuration::MAX;
    for (port, arrivals) in web.arrivals.lock().unwrap().iter_mut() {
        arrivals.sort();
        let mut first = 0;
        for last in 0..arrivals.len() {
            while arrivals[last] - arrivals[first] >= StdDuration::from_secs(1) {
                first += 1;
            }
            if last + 1 - first > busiest.1 {
                busiest = (*port, last + 1 - first);
            }
        }
        if let Some(gap) = arrivals.windows(2).map(|w| w[1] - w[0]).min() {
            closest = closest.min(gap);
        }
    }
    eprintln!(
        "busiest host second: {} requests (at most {most_per_second}); closest two arrivals \
         at one host: {closest:?} (requests start {gap:?} apart)",
        busiest.1
    );
    assert!(
        busiest.1 <= most_per_second,
        "host {} was asked {} times in one second",
        busiest.0,
        busiest.1
    );

    // Memory: polls of the second hour bring nothing new and must not grow it.
    let at = |m: i64| memory.iter().find(|(minute, _, _)| *minute == m).unwrap().1;
    let (quiet_start, quiet_end) = (at(70), at(120));
    assert!(
        quiet_end <= quiet_start + quiet_start / 10,
        "memory grew from {} MB to {} MB over an hour of polls that brought nothing",
        quiet_start >> 20,
        quiet_end >> 20
    );
}
