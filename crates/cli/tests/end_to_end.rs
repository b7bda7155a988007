//! End to end: the demo's outlets served on loopback, ingested by the real fetcher into a real
//! SQLite store and tantivy index, grouped into stories, and served by the real site.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use parallax_cli::app::{open_site, subscribe_demo_outlets, Site};
use parallax_cli::config::Config;
use parallax_demo::{DemoOptions, DemoWeb};
use parallax_ingest::{FeedStatus, Pipeline, Quiet};
use parallax_model::url_norm::canonicalize_url;
use parallax_model::{ContentOrigin, SourceProfile, StoryId};
use parallax_store::{Store, StoryQuery};
use parallax_web::{AppState, Metrics};

fn test_config(data_dir: &Path) -> Config {
    let mut config = Config::load(None, std::iter::empty()).unwrap();
    config.data_dir = data_dir.to_path_buf();
    config.fetch.timeout_secs = 2;
    config.fetch.host_min_gap_ms = 0;
    // The demo's outlets and the test servers are on loopback.
    config.fetch.allow_private_addresses = true;
    config
}

fn pipeline(config: &Config, site: &Site) -> Pipeline {
    let fetcher = parallax_fetch::Fetcher::new(config.fetch_config()).unwrap();
    Pipeline::new(
        Arc::clone(&site.store),
        Arc::clone(&site.index),
        fetcher,
        config.ingest_config().unwrap(),
    )
    .unwrap()
}

/// The story each fixture article ended in, by event; checks that every event is one story
/// and that no two events share one.
fn check_stories(web: &DemoWeb, site: &Site) -> HashMap<String, StoryId> {
    let mut by_event: HashMap<String, HashSet<StoryId>> = HashMap::new();
    for a in &web.fixture.articles {
        let url = web.article_url(a).unwrap();
        let id = site
            .store
            .article_by_canonical_url(&canonicalize_url(&url))
            .unwrap()
            .unwrap_or_else(|| panic!("article {url} was not stored"));
        let article = site.store.article(id).unwrap().unwrap();
        by_event
            .entry(a.event.clone())
            .or_default()
            .insert(article.story_id);
    }
    let mut story_of = HashMap::new();
    for (event, stories) in &by_event {
        assert_eq!(
            stories.len(),
            1,
            "event {event} was split into stories {stories:?}"
        );
        story_of.insert(event.clone(), *stories.iter().next().unwrap());
    }
    let distinct: HashSet<_> = story_of.values().collect();
    assert_eq!(
        distinct.len(),
        story_of.len(),
        "two events were merged into one story: {story_of:?}"
    );
    story_of
}

/// A GET, whose answer (found or not) carries the security headers.
async fn get(client: &reqwest::Client, url: &str) -> (u16, String) {
    let r = client.get(url).send().await.unwrap();
    let status = r.status().as_u16();
    let header = |name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let policy = header("content-security-policy");
    assert!(
        policy.contains("script-src 'self'")
            && policy.contains("frame-ancestors 'none'")
            && !policy.contains("unsafe"),
        "{url}: {policy:?}"
    );
    assert_eq!(header("x-content-type-options"), "nosniff", "{url}");
    assert!(!header("referrer-policy").is_empty(), "{url}");
    (status, r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_outlets_become_the_designed_stories_and_every_route_answers() {
    let web = DemoWeb::start(DemoOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = test_config(dir.path());
    let site = open_site(&test_config(dir.path())).unwrap();
    subscribe_demo_outlets(&web, site.store.as_ref()).unwrap();
    let broken = site
        .store
        .upsert_source(&SourceProfile {
            name: "Broken Example".into(),
            domain: "127.0.0.1".into(),
            ..Default::default()
        })
        .unwrap();
    for path in ["/missing.xml", "/garbage.xml", "/slow.xml"] {
        site.store
            .add_feed(broken, &format!("{}{path}", web.broken_base_url))
            .unwrap();
    }

    let pipeline = pipeline(&config, &site);
    let report = pipeline
        .ingest_feeds(site.store.feeds().unwrap(), Utc::now(), &Quiet)
        .await
        .unwrap();

    // Broken feeds are recorded with their reason; every other feed is ingested.
    let failures: HashMap<String, String> = report
        .feeds
        .iter()
        .filter_map(|f| match &f.status {
            FeedStatus::Failed { reason, .. } => Some((
                f.url.rsplit('/').next().unwrap().to_string(),
                reason.clone(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(failures.len(), 3, "{failures:?}");
    let kinds: Vec<(&str, usize)> = report.failures_by_kind().into_iter().collect();
    assert_eq!(
        kinds,
        [("http_status", 1), ("not_a_feed", 1), ("timeout", 1)]
    );
    assert!(failures["missing.xml"].contains("404"), "{failures:?}");
    assert!(
        failures["garbage.xml"].contains("not a feed"),
        "{failures:?}"
    );
    assert!(failures["slow.xml"].contains("timed out"), "{failures:?}");
    for feed in site.store.feeds().unwrap() {
        let is_broken = feed.url.starts_with(&web.broken_base_url);
        assert_eq!(feed.last_error.is_some(), is_broken, "{feed:?}");
        assert_eq!(feed.last_success.is_some(), !is_broken, "{feed:?}");
    }
    assert_eq!(report.new_articles(), web.fixture.articles.len());
    assert_eq!(
        report.duplicates(),
        1,
        "the section feed repeats one article of the main feed"
    );

    // Stories come out as designed: wire copy merged, look-alike storms apart.
    let story_of = check_stories(&web, &site);
    // Wire copies are marked as copies within their group, and nothing else is.
    let stored = |a: &parallax_demo::FixtureArticle| {
        let url = web.article_url(a).unwrap();
        let id = site
            .store
            .article_by_canonical_url(&canonicalize_url(&url))
            .unwrap()
            .unwrap();
        site.store.article(id).unwrap().unwrap()
    };
    let mut groups: HashMap<String, Vec<parallax_model::Article>> = HashMap::new();
    for a in &web.fixture.articles {
        let key = a
            .copy_of
            .clone()
            .unwrap_or_else(|| format!("{}/{}", a.outlet, a.slug));
        groups.entry(key).or_default().push(stored(a));
    }
    for (key, group) in &groups {
        let ids: HashSet<_> = group.iter().map(|a| a.id).collect();
        let marked: Vec<_> = group.iter().filter_map(|a| a.copy_of).collect();
        assert_eq!(marked.len(), group.len() - 1, "{key}: {group:#?}");
        assert!(
            marked.iter().all(|of| ids.contains(of)),
            "{key}: {marked:?}"
        );
    }
    assert_eq!(site.store.stats().unwrap().stories as usize, story_of.len());
    assert_ne!(story_of["storm-hollis"], story_of["storm-marisol"]);
    let wire = site
        .store
        .story(story_of["veloria-rates"])
        .unwrap()
        .unwrap();
    assert_eq!(wire.source_count, 4);
    assert_eq!(
        site.store
            .story(story_of["wattle-bay-museum"])
            .unwrap()
            .unwrap()
            .source_count,
        1
    );

    // Each page's main text is the article, with no boilerplate; a failed page keeps the feed's.
    for a in &web.fixture.articles {
        let url = web.article_url(a).unwrap();
        let stored = stored(a).draft;
        let paras = a.paragraphs();
        assert!(
            stored.text.starts_with(paras[0]),
            "{url}: text starts {:?}",
            &stored.text[..80.min(stored.text.len())]
        );
        if a.page_fails() {
            assert_eq!(stored.origin, ContentOrigin::Feed, "{url}");
            assert!(!stored.partial, "{url}");
            continue;
        }
        if a.is_paywalled() {
            // The teaser is shorter than the feed's whole text: the feed's is kept, marked.
            assert_eq!(stored.origin, ContentOrigin::Feed, "{url}");
            assert!(stored.partial, "{url}");
            assert!(stored.text.ends_with(paras[paras.len() - 1]), "{url}");
            assert!(!stored.text.contains("subscribers"), "{url}");
            continue;
        }
        assert_eq!(stored.origin, ContentOrigin::Page, "{url}");
        assert!(!stored.partial, "{url}");
        assert!(
            stored.text.ends_with(paras[paras.len() - 1]),
            "{url}: text ends {:?}",
            stored.text
        );
        assert_eq!(
            stored.text.split("\n\n").count(),
            paras.len(),
            "{url}: {}",
            stored.text
        );
        assert_eq!(stored.title, a.title, "{url}");
        assert_eq!(stored.published, Some(a.published), "{url}");
        assert!(!stored.categories.is_empty(), "{url} has no category");
        if let Some(author) = &a.author {
            assert_eq!(stored.authors, std::slice::from_ref(author), "{url}");
        }
        for junk in [
            "Sign up",
            "Read also",
            "Comments",
            "rights reserved",
            "Most read",
            "Share this",
            "Share on",
            "Tweet",
            "ADVERTISEMENT",
            "cookies",
            "Republish",
            "Related:",
            "Spotted an error",
            "become a member",
            "Photo:",
        ] {
            assert!(
                !stored.text.to_lowercase().contains(&junk.to_lowercase()),
                "{url}: {junk:?} leaked into the text"
            );
        }
    }

    // A second cycle finds nothing new: unchanged feeds answer 304.
    let again = pipeline
        .ingest_feeds(site.store.feeds().unwrap(), Utc::now(), &Quiet)
        .await
        .unwrap();
    assert_eq!(
        again.new_articles() + again.updated_articles() + again.duplicates(),
        0
    );
    assert!(
        again
            .feeds
            .iter()
            .filter(|f| f.status == FeedStatus::NotModified)
            .count()
            >= web.outlets.len()
    );
    assert_eq!(site.index.doc_count(), web.fixture.articles.len() as u64);

    // Every route answers.
    let base = serve_site(&config, &site).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();

    let (status, front) = get(&client, &format!("{base}/")).await;
    assert_eq!(status, 200);
    assert!(
        front.contains("Calderon Accord"),
        "front page lacks a top story"
    );
    let hollis = story_of["storm-hollis"];
    let (status, page) = get(&client, &format!("{base}/story/{hollis}")).await;
    assert_eq!(status, 200);
    for outlet in [
        "Meridian Wire",
        "The Northgate Courier",
        "Harbor Ledger",
        "Southern Cross Herald",
    ] {
        assert!(
            page.contains(&format!(">{outlet}</a>")),
            "story page lacks {outlet}"
        );
    }
    assert!(page.contains("Published at"));
    assert!(page.contains("Read also"));
    // How the versions differ: what they share, what only one reports, when each came.
    assert!(page.contains("Common ground"), "{page}");
    assert!(page.contains("Timeline"));
    let (status, api) = get(&client, &format!("{base}/api/v1/stories/{hollis}/analysis")).await;
    assert_eq!(status, 200);
    let analysis: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(analysis["versions"].as_array().unwrap().len(), 4, "{api}");
    assert_eq!(analysis["timeline"].as_array().unwrap().len(), 4, "{api}");
    let common = analysis["common_ground"].as_array().unwrap();
    assert!(!common.is_empty(), "{api}");
    assert!(common
        .iter()
        .all(|c| c["outlets"].as_array().unwrap().len() >= 2));
    let shared_sentences = analysis["versions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["sentences"].as_array().unwrap())
        .filter(|s| !s["shared_with"].as_array().unwrap().is_empty())
        .count();
    assert!(shared_sentences >= 2 * common.len(), "{api}");
    // Who is quoted: each quote once, with its speaker; who and where.
    assert!(page.contains("Who is quoted"));
    assert!(page.contains("Who and where"));
    assert!(
        analysis["entities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "Ines Carvalho" && e["kind"] == "person"),
        "{api}"
    );
    let quotes = analysis["quotes"].as_array().unwrap();
    assert!(
        quotes
            .iter()
            .any(|q| q["speaker"] == "Carvalho" || q["speaker"] == "Ines Carvalho"),
        "{api}"
    );
    assert!(page.contains("Editorial policy"));
    assert!(!page.contains("Partial text"));
    // The paywalled version says that its text may not be whole, on the page and in the API.
    let breach = story_of["lumatek-breach"];
    let (status, page) = get(&client, &format!("{base}/story/{breach}")).await;
    assert_eq!(status, 200);
    assert_eq!(page.matches("Partial text").count(), 1, "{page}");
    let (_, api) = get(&client, &format!("{base}/api/v1/stories/{breach}")).await;
    let detail: serde_json::Value = serde_json::from_str(&api).unwrap();
    let partial: Vec<bool> = detail["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["article"]["partial"].as_bool().unwrap())
        .collect();
    assert_eq!(partial.iter().filter(|p| **p).count(), 1, "{api}");
    let source = wire.id; // any story id works to find a source through the API below
    let (status, api) = get(&client, &format!("{base}/api/v1/stories/{source}")).await;
    assert_eq!(status, 200);
    let detail: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(detail["versions"].as_array().unwrap().len(), 4);
    // The wire story's copies say so, on the page and in the API.
    let copies = detail["versions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["article"]["copy_of"].is_i64())
        .count();
    assert!(copies > 0, "{api}");
    let (_, page) = get(&client, &format!("{base}/story/{}", wire.id)).await;
    assert_eq!(page.matches("A copy of ").count(), copies, "{page}");
    let source_id = detail["versions"][0]["source"]["id"].as_i64().unwrap();
    let (status, source_page) = get(&client, &format!("{base}/source/{source_id}")).await;
    assert_eq!(status, 200);
    assert!(source_page.contains("Recent articles"));
    let (status, category) = get(&client, &format!("{base}/category/weather")).await;
    assert_eq!(status, 200);
    assert!(category.contains("Storm Hollis") && category.contains("Storm Marisol"));
    let (status, search) = get(&client, &format!("{base}/search?q=Brennick+Valley")).await;
    assert_eq!(status, 200);
    assert!(
        search.contains("<b>Brennick</b>"),
        "search results lack a highlighted hit"
    );
    let (status, list) = get(&client, &format!("{base}/api/v1/stories?limit=5")).await;
    assert_eq!(status, 200);
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list["stories"].as_array().unwrap().len(), 5);
    let cursor = list["next_before"].as_str().unwrap();
    let (status, next) = get(
        &client,
        &format!("{base}/api/v1/stories?limit=50&before={cursor}"),
    )
    .await;
    assert_eq!(status, 200);
    let next: serde_json::Value = serde_json::from_str(&next).unwrap();
    assert_eq!(
        next["stories"].as_array().unwrap().len(),
        story_of.len() - 5
    );
    for (path, format) in [
        ("stories.atom", "atom1.0"),
        ("stories.rss", "rss2.0"),
        ("stories.json", "jsonfeed1.1"),
    ] {
        let (status, body) = get(&client, &format!("{base}/feeds/{path}")).await;
        assert_eq!(status, 200);
        let parsed = parallax_feed::parse_feed(body.as_bytes(), None, None)
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(parsed.format, format);
        assert_eq!(parsed.entries.len(), story_of.len(), "{path}");
        assert!(
            parsed
                .entries
                .iter()
                .all(|e| e.link.as_deref().is_some_and(|l| l.starts_with(&base))),
            "{path}"
        );
    }
    // Scoped feeds, each format parsed back: a category's stories, an outlet's, a story's
    // versions, a search's articles.
    let hollis_versions = site.store.story_versions(hollis).unwrap();
    let meridian = hollis_versions[0].source.id;
    let meridian_stories = site
        .store
        .stories(&StoryQuery {
            source: Some(meridian),
            limit: 100,
            ..StoryQuery::default()
        })
        .unwrap()
        .len();
    for format in ["atom", "rss", "json"] {
        let scoped = [
            (format!("/feeds/category/weather/{format}"), 2),
            (
                format!("/feeds/source/{meridian}/{format}"),
                meridian_stories,
            ),
            (
                format!("/feeds/story/{hollis}/{format}"),
                hollis_versions.len(),
            ),
        ];
        for (path, expected) in scoped {
            let (status, body) = get(&client, &format!("{base}{path}")).await;
            assert_eq!(status, 200, "{path}");
            let parsed = parallax_feed::parse_feed(body.as_bytes(), None, None)
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(parsed.entries.len(), expected, "{path}");
        }
        let (status, body) =
            get(&client, &format!("{base}/feeds/search/{format}?q=Brennick")).await;
        assert_eq!(status, 200);
        let parsed = parallax_feed::parse_feed(body.as_bytes(), None, None).unwrap();
        assert!(!parsed.entries.is_empty(), "search feed {format}");
        assert!(parsed
            .entries
            .iter()
            .all(|e| e.link.as_deref().is_some_and(|l| l.contains("/story/"))));
        // The story's feed links each version to its outlet's own page.
        let (_, body) = get(&client, &format!("{base}/feeds/story/{hollis}/{format}")).await;
        let parsed = parallax_feed::parse_feed(body.as_bytes(), None, None).unwrap();
        let links: std::collections::HashSet<String> = parsed
            .entries
            .iter()
            .filter_map(|e| e.link.clone())
            .collect();
        for v in &hollis_versions {
            assert!(
                links.contains(&v.article.draft.url),
                "{format}: {}",
                v.article.draft.url
            );
        }
    }
    for missing in [
        "/feeds/category/none/atom",
        "/feeds/story/999999/rss",
        "/feeds/story/1/pdf",
        "/feeds/stories.pdf",
    ] {
        assert_eq!(
            get(&client, &format!("{base}{missing}")).await.0,
            404,
            "{missing}"
        );
    }

    // The OpenAPI document, and every public GET answering as it says.
    let (status, doc) = get(&client, &format!("{base}/api/v1/openapi.json")).await;
    assert_eq!(status, 200);
    let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for route in [
        "/api/v1/stories",
        "/api/v1/stories/{id}",
        "/api/v1/stories/{id}/analysis",
        "/api/v1/stories/merge",
        "/api/v1/stories/{id}/split",
        "/api/v1/sources",
        "/api/v1/sources/{id}",
        "/api/v1/articles/{id}",
        "/api/v1/categories",
        "/api/v1/search",
    ] {
        assert!(paths.contains_key(route), "{route} is not documented");
    }
    let mut checked = 0;
    for (path, methods) in paths {
        for (method, op) in methods.as_object().unwrap() {
            // Each path with an id of what it names, and a search its words.
            let id = match path.as_str() {
                "/api/v1/articles/{id}" => hollis_versions[0].article.id.0,
                "/api/v1/sources/{id}" => meridian.0,
                _ => hollis.0,
            };
            let mut url = format!("{base}{}", path.replace("{id}", &id.to_string()));
            if path == "/api/v1/search" {
                url.push_str("?q=Brennick");
            }
            if method == "get" {
                let (status, body) = get(&client, &url).await;
                assert_eq!(status, 200, "{url}");
                let schema = &op["responses"]["200"]["content"]["application/json"]["schema"];
                let body: serde_json::Value = serde_json::from_str(&body).unwrap();
                conforms(&doc, schema, &body, path).unwrap_or_else(|e| panic!("GET {path}: {e}"));
                checked += 1;
            } else {
                // A write without a token is refused as documented.
                let r = client
                    .request(method.to_uppercase().parse().unwrap(), &url)
                    .header("content-type", "application/json")
                    .body("{}")
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status().as_u16(), 401, "{method} {path}");
                assert!(
                    op["responses"]["401"].is_object(),
                    "{method} {path} lacks its 401"
                );
                assert!(
                    op["security"].is_array(),
                    "{method} {path} names no security"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 12);
    let (_, found) = get(&client, &format!("{base}/api/v1/search?q=Brennick")).await;
    let found: serde_json::Value = serde_json::from_str(&found).unwrap();
    assert!(found["total"].as_u64().unwrap() > 0, "{found}");
    assert_eq!(
        get(&client, &format!("{base}/api/v1/search")).await.0,
        400,
        "no words"
    );

    // Validators: an unchanged page or feed is answered 304 without its body.
    for (path, policy) in [
        (format!("/story/{hollis}"), "public, no-cache"),
        ("/feeds/stories.atom".to_string(), "public, max-age=300"),
        ("/static/style.css".to_string(), "public, max-age=3600"),
    ] {
        let first = client.get(format!("{base}{path}")).send().await.unwrap();
        let etag = first.headers()["etag"].clone();
        assert_eq!(first.headers()["cache-control"], policy, "{path}");
        let again = client
            .get(format!("{base}{path}"))
            .header("if-none-match", etag.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(again.status().as_u16(), 304, "{path}");
        assert_eq!(again.headers()["etag"], etag);
        assert!(again.bytes().await.unwrap().is_empty());
        let stale = client
            .get(format!("{base}{path}"))
            .header("if-none-match", "\"something-else\"")
            .send()
            .await
            .unwrap();
        assert_eq!(stale.status().as_u16(), 200, "{path}");
    }
    let (status, health) = get(&client, &format!("{base}/healthz")).await;
    assert_eq!((status, health.contains("\"ok\"")), (200, true));
    let (status, metrics) = get(&client, &format!("{base}/metrics")).await;
    assert_eq!(status, 200);
    assert!(
        metrics.contains(&format!("parallax_articles {}", web.fixture.articles.len())),
        "{metrics}"
    );
    // Every request so far is in the latency histogram, and in no bucket twice.
    let count: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("parallax_http_request_duration_seconds_count "))
        .and_then(|n| n.parse().ok())
        .expect("a request count");
    assert!(count > 20, "{count}");
    assert!(metrics.contains(&format!(
        "parallax_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
    )));
    assert_eq!(get(&client, &format!("{base}/story/999999")).await.0, 404);
    assert_eq!(get(&client, &format!("{base}/no/such/page")).await.0, 404);
    assert_eq!(
        get(&client, &format!("{base}/api/v1/stories?before=yesterday"))
            .await
            .0,
        400
    );
}

/// The demo's outlets, serving article pages only against permits of the returned gate.
async fn gated_demo() -> (Arc<tokio::sync::Semaphore>, DemoWeb) {
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let web = DemoWeb::start(DemoOptions {
        page_gate: Some(Arc::clone(&gate)),
        ..Default::default()
    })
    .await
    .unwrap();
    (gate, web)
}

/// Counts what a killed run left in the database, opened read-only beside the writer.
/// The articles the store holds; an error while a run still writes to it (a busy database)
/// is for the caller to wait out or to report.
fn stored_articles(db: &Path) -> Result<u64, String> {
    let store = parallax_store::SqliteStore::open(db).map_err(|e| e.to_string())?;
    store.stats().map(|s| s.articles).map_err(|e| e.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_fetch_resumes_without_losing_or_duplicating() {
    // Article pages are served only against permits the test hands out, so each run is
    // interrupted at a known point however fast or slow the machine is.
    let (gate, web) = gated_demo().await;
    let dir = tempfile::tempdir().unwrap();
    {
        let site = open_site(&test_config(dir.path())).unwrap();
        subscribe_demo_outlets(&web, site.store.as_ref()).unwrap();
    }
    let db = dir.path().join("parallax.db");
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_parallax"))
            .args(["--data-dir", dir.path().to_str().unwrap(), "fetch"])
            .env("PARALLAX_INGEST__PAGE_CONCURRENCY", "2")
            .env("PARALLAX_FETCH__HOST_MIN_GAP_MS", "0")
            .env("PARALLAX_FETCH__ALLOW_PRIVATE_ADDRESSES", "true")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let total = web.fixture.articles.len() as u64;
    // Each run is killed at a random point: a random few pages are let through, and once
    // their articles are stored, one more page and a random moment, so that the kill lands
    // while that page is read, extracted, clustered, stored or indexed. A run is never let
    // through more pages than it can store before its kill, so none finishes.
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("kill points drawn from seed {seed}");
    let mut rng = seed;
    let mut draw = |below: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % below
    };
    let mut left = 0;
    let mut cut_short = 0;
    for round in 0..10 {
        if total - left < 8 {
            break;
        }
        // A few pages go through, then the run lingers a random moment with one more.
        let pages = 1 + draw(3);
        let linger = Duration::from_millis(draw(60));
        let mut child = run();
        // Pages are stored in the feed's order, so the first permits may go to pages that
        // wait for a later one: more are handed out, one at a time, but never all the run
        // needs to finish.
        let most = total - left - 1;
        let mut handed = 0;
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while std::time::Instant::now() < deadline {
            match stored_articles(&db) {
                Ok(stored) if stored >= left + pages => break,
                Ok(_) if gate.available_permits() == 0 && handed < most => {
                    gate.add_permits(1);
                    handed += 1;
                }
                _ => {}
            }
            tokio::time::sleep(Duration::from_millis(15)).await;
        }
        if handed < most {
            gate.add_permits(1);
        }
        tokio::time::sleep(linger).await;
        child.kill().unwrap();
        child.wait().unwrap();
        let now = stored_articles(&db).expect("the store opens once the run is killed");
        assert!(
            now > left && now <= total,
            "round {round} (seed {seed}): killed with {now} articles stored, {left} before, of {total}"
        );
        // A run that stalls at the gate until its page requests time out stores their
        // articles from the feeds' text, every one left: its kill then cut nothing short,
        // and no round is left to run. (Pages took their slots in any order once, so the
        // permits went to later pages while the first waited, and runs stalled so.)
        let finished = now == total;
        if !finished {
            cut_short += 1;
        }
        eprintln!("round {round}: killed with {now} of {total} articles stored");
        left = now;
        // Nothing half-written, and the index never ahead of the store.
        let store = parallax_store::SqliteStore::open(&db).unwrap();
        assert_eq!(store.integrity_problems().unwrap(), Vec::<String>::new());
        drop(store);
        let site = open_site(&test_config(dir.path())).unwrap();
        assert!(
            site.index.doc_count() <= left,
            "round {round} (seed {seed})"
        );
        // The killed run's requests still wait at the gate (the server answers a closed
        // connection only once it writes to it) and would take the next run's permits
        // first, stalling it: they are let through now.
        gate.add_permits(1024);
        tokio::time::sleep(Duration::from_millis(100)).await;
        // A permit left over would let the next run past its kill point unseen.
        while gate.try_acquire().is_ok_and(|p| {
            p.forget();
            true
        }) {}
        if finished {
            break;
        }
    }
    assert!(
        cut_short >= 3,
        "only {cut_short} runs were killed before they finished (seed {seed})"
    );
    gate.add_permits(tokio::sync::Semaphore::MAX_PERMITS / 2);
    let status = run().wait().unwrap();
    assert!(status.success());

    let site = open_site(&test_config(dir.path())).unwrap();
    let stats = site.store.stats().unwrap();
    assert_eq!(stats.articles, total, "articles lost or duplicated");
    let position = site.index.position().unwrap();
    let behind = site.store.index_changes(position.as_deref(), 10).unwrap();
    assert!(behind.articles.is_empty(), "the index is behind the store");
    assert_eq!(
        site.index.doc_count(),
        total,
        "search index out of step with the store"
    );
    let story_of = check_stories(&web, &site);
    assert_eq!(stats.stories as usize, story_of.len());
}

// ---------------------------------------------------------------- the contract commands

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary and returns its stdout as JSON lines.
fn run_json_lines(args: &[&str]) -> Vec<serde_json::Value> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_parallax"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn extract_prints_the_article_and_its_metadata() {
    let lines = run_json_lines(&[
        "extract",
        &fixture("page.html"),
        "--url",
        "https://fenwick.example/town/bridge",
    ]);
    assert_eq!(lines.len(), 1);
    let a = &lines[0];
    assert_eq!(a["title"], "Bridge reopens after repairs");
    assert_eq!(
        a["authors"],
        serde_json::json!(["Ruth Ellison", "Kofi Asante"])
    );
    assert_eq!(a["published"], "2026-10-12T06:30:00Z");
    assert_eq!(a["site_name"], "The Fenwick Gazette");
    assert_eq!(a["language"], "en");
    assert_eq!(a["image"], "https://fenwick.example/img/bridge.jpg");
    assert_eq!(a["error"], serde_json::Value::Null);
    let text = a["text"].as_str().unwrap();
    assert_eq!(text.split("\n\n").count(), 3, "{text}");
    assert!(
        text.starts_with("The Old Mill bridge") && text.ends_with("walked across it first."),
        "{text}"
    );
    let html = a["html"].as_str().unwrap();
    assert!(
        html.contains(r#"href="https://fenwick.example/topics/bridges""#),
        "{html}"
    );
    assert!(
        !html.contains("script") && !html.contains("Read also"),
        "{html}"
    );
}

#[test]
fn extract_manifest_keeps_order_and_reports_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("m.jsonl");
    std::fs::write(
        &manifest,
        format!(
            "{{\"file\": \"{}\", \"url\": \"https://fenwick.example/a\"}}\n{{\"file\": \"/no/such/file.html\", \"url\": null}}\nnot json\n{{\"file\": \"{}\"}}\n",
            fixture("page.html"),
            fixture("not-a-feed.txt")
        ),
    )
    .unwrap();
    let lines = run_json_lines(&["extract", "--manifest", manifest.to_str().unwrap()]);
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["error"], serde_json::Value::Null);
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .contains("/no/such/file.html"));
    assert!(lines[2]["error"]
        .as_str()
        .unwrap()
        .contains("manifest line 3"));
    assert_eq!(lines[3]["error"], "the page has no readable article text");
}

#[test]
fn feed_parse_reads_every_format_and_reports_garbage() {
    let lines = run_json_lines(&[
        "feed",
        "parse",
        &fixture("rdf.xml"),
        &fixture("not-a-feed.txt"),
        &fixture("feed.json"),
    ]);
    assert_eq!(lines.len(), 3);
    let rdf = &lines[0];
    assert_eq!(rdf["format"], "rss1.0");
    assert_eq!(
        rdf["entries"][0]["link"],
        "https://fenwick.example/town/bridge"
    );
    assert_eq!(rdf["entries"][0]["published"], "2026-10-12T06:30:00Z");
    assert!(
        !rdf["entries"][0]["summary"]
            .as_str()
            .unwrap()
            .contains("<script"),
        "{rdf}"
    );
    assert!(lines[1]["error"].as_str().unwrap().contains("not a feed"));
    assert_eq!(lines[1]["entries"], serde_json::json!([]));
    let json = &lines[2];
    assert_eq!(json["format"], "jsonfeed1.1");
    assert_eq!(json["entries"][0]["content"], "<p>Open until 9 p.m.</p>");
    assert_eq!(
        json["entries"][0]["categories"],
        serde_json::json!(["Town"])
    );
    assert_eq!(json["entries"][0]["enclosures"][0]["type"], "audio/mpeg");
}

#[test]
fn cluster_groups_in_input_order_and_merges_the_same_url() {
    let lines = run_json_lines(&["cluster", "--input", &fixture("articles.jsonl")]);
    let stories: Vec<&serde_json::Value> = lines.iter().map(|l| &l["story"]).collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["id"], "a1");
    assert_eq!(
        stories[0], stories[1],
        "the two bridge reports are one story"
    );
    assert_ne!(stories[0], stories[2], "the library is another story");
    assert_eq!(
        stories[0], stories[3],
        "the same page with a tracking parameter"
    );
    assert!(lines[4]["error"].as_str().unwrap().contains("line 5"));
}

#[test]
fn add_feed_and_import_opml_subscribe() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_parallax"))
            .arg("--data-dir")
            .arg(data)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    assert!(
        run(&[
            "add-feed",
            "https://www.kestrel.example/rss",
            "--source",
            "Kestrel"
        ])
        .0
    );
    assert!(
        run(&["add-feed", "https://www.kestrel.example/rss"]).0,
        "subscribing twice is fine"
    );
    let (ok, msg) = run(&["add-feed", "javascript:alert(1)"]);
    assert!(!ok && msg.contains("not"), "{msg}");
    let (ok, msg) = run(&["import-opml", &fixture("subscriptions.opml")]);
    assert!(ok, "{msg}");
    assert!(
        msg.contains("Imported 2 feeds") && msg.contains("1 skipped"),
        "{msg}"
    );
    let site = open_site(&test_config(dir.path())).unwrap();
    let feeds = site.store.feeds().unwrap();
    assert_eq!(feeds.len(), 3);
    let names: HashSet<String> = site
        .store
        .sources()
        .unwrap()
        .into_iter()
        .map(|s| s.profile.name)
        .collect();
    assert_eq!(
        names,
        HashSet::from([
            "Kestrel".to_string(),
            "The Fenwick Gazette".to_string(),
            "Fenwick Briefs".to_string()
        ])
    );
}

#[test]
fn serve_reads_its_config_file_and_answers() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("parallax.toml");
    std::fs::write(
        &config,
        format!(
            "data_dir = {:?}\n[server]\nlisten = \"127.0.0.1:0\"\n[site]\nname = \"Test Desk\"\n",
            dir.path().join("data")
        ),
    )
    .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_parallax"))
        .args(["serve", "--config", config.to_str().unwrap()])
        .env("PARALLAX_INGEST__TICK_SECS", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let addr = first.trim().rsplit(' ').next().unwrap().to_string();
    let body = blocking_get(&format!("{addr}/"));
    child.kill().unwrap();
    child.wait().unwrap();
    let body = body.unwrap();
    assert!(body.contains("<title>Test Desk</title>"), "{body}");
    assert!(body.contains("No stories yet"), "{body}");
}

/// One GET from synchronous test code.
fn blocking_get(url: &str) -> reqwest::Result<String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async { reqwest::get(url).await?.text().await })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_feed_finds_a_sites_feed_and_opml_export_keeps_folders() {
    let web = DemoWeb::start(DemoOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_string();
    let run = move |args: Vec<String>| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_parallax"))
            .arg("--data-dir")
            .arg(&data)
            .args(args)
            .env("PARALLAX_FETCH__HOST_MIN_GAP_MS", "0")
            .env("PARALLAX_FETCH__ALLOW_PRIVATE_ADDRESSES", "true")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // A homepage, not a feed: the feed it announces is subscribed.
    let outlet = &web.outlets[0];
    let home = format!("{}/", outlet.base_url);
    let said = tokio::task::spawn_blocking({
        let run = run.clone();
        move || run(vec!["add-feed".into(), home])
    })
    .await
    .unwrap();
    assert!(
        said.contains(&format!("Found the feed {}", outlet.feed_urls[0])),
        "{said}"
    );
    let opml = tokio::task::spawn_blocking(move || {
        run(vec!["import-opml".into(), fixture("subscriptions.opml")]);
        run(vec!["export-opml".into()])
    })
    .await
    .unwrap();
    let feeds = parallax_feed::opml::parse_opml(opml.as_bytes()).unwrap();
    assert_eq!(feeds.len(), 3, "{opml}");
    let gazette = feeds
        .iter()
        .find(|f| f.xml_url == "https://fenwick.example/index.rdf")
        .unwrap();
    assert_eq!(gazette.folders, ["Local"]);
    assert!(feeds.iter().any(|f| f.xml_url == outlet.feed_urls[0]));
}

/// The value of a Set-Cookie header's cookie `name`, and the whole header.
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<(String, String)> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| {
            let value = v[name.len() + 1..].split(';').next().unwrap_or("");
            (value.to_string(), v.to_string())
        })
}

/// The sign-in form's cookie and its CSRF token, as a browser gets them.
async fn sign_in_form(client: &reqwest::Client, base: &str) -> (String, String) {
    let page = client
        .get(format!("{base}/admin/login"))
        .send()
        .await
        .unwrap();
    let (cookie, _) = set_cookie(&page, "parallax_login").unwrap();
    (cookie, csrf_field(&page.text().await.unwrap()))
}

/// The value of the hidden `csrf` field of a page's first form.
fn csrf_field(page: &str) -> String {
    let at = page
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token")
        + 19;
    page[at..].split('"').next().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editors_sign_in_and_correct_stories_and_no_one_else_changes_anything() {
    let (web, _dir, config, site) = ingested_demo().await;
    let story_of = check_stories(&web, &site);
    let (hollis, marisol) = (story_of["storm-hollis"], story_of["storm-marisol"]);
    let base = serve_site(&config, &site).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let stories = || site.store.stories(&StoryQuery::default()).unwrap().len();
    let before = stories();

    // The sign-in form: its token in a cookie of its own.
    let login_page = client
        .get(format!("{base}/admin/login"))
        .send()
        .await
        .unwrap();
    let (login_cookie, header) = set_cookie(&login_page, "parallax_login").unwrap();
    assert!(
        header.contains("HttpOnly") && header.contains("SameSite=Strict"),
        "{header}"
    );
    assert!(!header.contains("Secure"), "plain HTTP: {header}");
    let login_csrf = csrf_field(&login_page.text().await.unwrap());
    assert_eq!(login_cookie, login_csrf);
    let sign_in = |password: &'static str, csrf: String, cookie: String| {
        client
            .post(format!("{base}/admin/login"))
            .header("cookie", format!("parallax_login={cookie}"))
            .form(&[("password", password), ("csrf", csrf.as_str())])
            .send()
    };
    // No password set yet: no one signs in.
    let r = sign_in(
        "correct horse battery",
        login_csrf.clone(),
        login_cookie.clone(),
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 503);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("parallax admin set-password"));
    parallax_web::admin::set_password(site.store.as_ref(), "correct horse battery", "test")
        .unwrap();

    // Strangers: no session, a forged session, a sign-in form from another site.
    let merge_form = |csrf: &str| {
        vec![
            ("csrf".to_string(), csrf.to_string()),
            ("from".to_string(), marisol.to_string()),
            ("into".to_string(), hollis.to_string()),
        ]
    };
    let r = client
        .post(format!("{base}/admin/stories/merge"))
        .form(&merge_form("anything"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303, "no session: sent to sign in");
    assert_eq!(r.headers()["location"], "/admin/login");
    let r = client
        .post(format!("{base}/admin/stories/merge"))
        .header("cookie", "parallax_session=forged")
        .form(&merge_form("anything"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303, "a forged session is none");
    let r = sign_in(
        "correct horse battery",
        "forged".into(),
        login_cookie.clone(),
    )
    .await
    .unwrap();
    assert_eq!(
        r.status().as_u16(),
        403,
        "a sign-in without its form's token"
    );
    assert_eq!(stories(), before, "nothing changed");

    // The editor signs in: a session cookie, HttpOnly and SameSite=Strict.
    let r = sign_in(
        "correct horse battery",
        login_csrf.clone(),
        login_cookie.clone(),
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let (session, header) = set_cookie(&r, "parallax_session").unwrap();
    assert!(
        header.contains("HttpOnly") && header.contains("SameSite=Strict"),
        "{header}"
    );
    let as_editor = |url: String| {
        client
            .get(url)
            .header("cookie", format!("parallax_session={session}"))
            .send()
    };
    let dashboard = as_editor(format!("{base}/admin")).await.unwrap();
    assert_eq!(dashboard.status().as_u16(), 200);
    let dashboard = dashboard.text().await.unwrap();
    assert!(
        dashboard.contains("signed in"),
        "the audit log shows the sign-in"
    );
    let csrf = csrf_field(&dashboard);

    // A cross-site form: the session's cookie, but not its token.
    let r = client
        .post(format!("{base}/admin/stories/merge"))
        .header("cookie", format!("parallax_session={session}"))
        .form(&merge_form("not-the-token"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(stories(), before, "a CSRF attempt changed nothing");

    // Bad input is named, and changes nothing.
    for (from, into, says) in [
        ("x", "1", "must be a story number"),
        ("999999", &*hollis.to_string(), "There is no story 999999"),
        (&*hollis.to_string(), &*hollis.to_string(), "into itself"),
    ] {
        let r = client
            .post(format!("{base}/admin/stories/merge"))
            .header("cookie", format!("parallax_session={session}"))
            .form(&[("csrf", csrf.as_str()), ("from", from), ("into", into)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 400);
        assert!(r.text().await.unwrap().contains(says));
    }
    assert_eq!(stories(), before);

    // The merge, as the editor asked: recorded, and kept by the clusterer.
    let r = client
        .post(format!("{base}/admin/stories/merge"))
        .header("cookie", format!("parallax_session={session}"))
        .form(&merge_form(&csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], format!("/story/{hollis}").as_str());
    assert_eq!(stories(), before - 1);
    assert!(site.store.story(marisol).unwrap().is_none());
    let overrides = site.store.story_overrides().unwrap();
    assert!(overrides.version > 0);
    let log = site.store.audit_log(10).unwrap();
    assert_eq!(
        log[0].action,
        format!("merged story {marisol} into {hollis}")
    );
    assert_eq!(log[0].actor, "admin");

    // A split of one article back out.
    let versions = site.store.story_versions(hollis).unwrap();
    let moved = versions.last().unwrap().article.id;
    let r = client
        .post(format!("{base}/admin/stories/split"))
        .header("cookie", format!("parallax_session={session}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("story", &hollis.to_string()),
            ("articles", &moved.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(stories(), before);
    assert_ne!(site.store.article(moved).unwrap().unwrap().story_id, hollis);

    // A story's own choices: title, pin, hide; an article hidden. Public pages are fetched
    // under a new query each time: the site serves an answer again for two seconds.
    let calderon = story_of["calderon-summit"];
    let edit_url = format!("{base}/admin/stories/{calderon}");
    let edit_page = as_editor(edit_url.clone())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(edit_page.contains("Articles hidden from the story page"));
    let hidden_article = site.store.story_versions(calderon).unwrap()[0].article.id;
    let save = |fields: Vec<(&'static str, String)>| {
        client
            .post(edit_url.clone())
            .header("cookie", format!("parallax_session={session}"))
            .form(&fields)
            .send()
    };
    let r = save(vec![
        ("csrf", csrf.clone()),
        ("title", "Twelve nations halve farm tariffs".into()),
        ("category", "politics".into()),
        ("pinned", "on".into()),
        ("hide", hidden_article.to_string()),
    ])
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let front = client
        .get(format!("{base}/?after=pin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let first_card = front.split("class=\"story-card\"").nth(1).unwrap();
    assert!(
        first_card.contains("Twelve nations halve farm tariffs"),
        "pinned first"
    );
    let page = client
        .get(format!("{base}/story/{calderon}?after=hide-article"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains(&format!("id=\"version-{hidden_article}\"")));
    let r = client
        .get(format!("{base}/api/v1/articles/{hidden_article}"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status().as_u16(),
        404,
        "a hidden article is not in the API either"
    );
    assert!(page.contains("/category/politics"));
    let r = save(vec![
        ("csrf", csrf.clone()),
        ("title", "x".into()),
        ("hidden", "on".into()),
        ("hide", "999999".into()),
    ])
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 400, "an article of another story");
    let r = save(vec![("csrf", "forged".into()), ("hidden", "on".into())])
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert!(!site.store.story(calderon).unwrap().unwrap().hidden);
    let r = save(vec![
        ("csrf", csrf.clone()),
        ("title", "Twelve nations halve farm tariffs".into()),
        ("category", "politics".into()),
        ("hidden", "on".into()),
    ])
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let r = client
        .get(format!("{base}/story/{calderon}?after=hide"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404, "a hidden story is not shown");
    let r = client
        .get(format!("{base}/api/v1/stories/{calderon}?after=hide"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let front = client
        .get(format!("{base}/?after=hide"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!front.contains("Twelve nations halve farm tariffs"));
    let actions: Vec<String> = site
        .store
        .audit_log(20)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for done in [
        format!("titled story {calderon} “Twelve nations halve farm tariffs”"),
        format!("pinned story {calderon}"),
        format!("hid article {hidden_article} of story {calderon}"),
        format!("hid story {calderon}"),
    ] {
        assert!(actions.contains(&done), "{done} not in {actions:?}");
    }

    // Outlets: a CSV import with one bad row, an edit, a rename onto another's name, a
    // retired feed, the exports.
    let csv_file = "name,domain,country,leaning,language,notes,feeds\n\
        Lakeside Tribune,lakeside.example,CA,centre-left,en,Owned by a cooperative,https://lakeside.example/rss\n\
        Broken Row,b.example,Atlantis,,,,\n";
    let r = client
        .post(format!("{base}/admin/sources/import"))
        .header("cookie", format!("parallax_session={session}"))
        .form(&[("csrf", csrf.as_str()), ("file", csv_file)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let report = r.text().await.unwrap();
    assert!(
        report.contains("1 outlets added") && report.contains("line 3"),
        "{report}"
    );
    let lakeside = site
        .store
        .sources()
        .unwrap()
        .into_iter()
        .find(|s| s.profile.name == "Lakeside Tribune")
        .expect("imported");
    assert_eq!(
        lakeside.profile.leaning,
        Some(parallax_model::Leaning::CenterLeft)
    );
    assert!(!site
        .store
        .sources()
        .unwrap()
        .iter()
        .any(|s| s.profile.name == "Broken Row"));
    let edit_source = |fields: Vec<(&'static str, &'static str)>| {
        let mut form: Vec<(&str, String)> = vec![("csrf", csrf.clone())];
        form.extend(fields.into_iter().map(|(k, v)| (k, v.to_string())));
        client
            .post(format!("{base}/admin/sources/{}", lakeside.id))
            .header("cookie", format!("parallax_session={session}"))
            .form(&form)
            .send()
    };
    let r = edit_source(vec![
        ("name", "Lakeside Tribune"),
        ("domain", "lakeside.example"),
        ("country", "Canada"),
    ])
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.text().await.unwrap().contains("country code"));
    let r = edit_source(vec![
        ("name", "Meridian Wire"),
        ("domain", "lakeside.example"),
    ])
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.text().await.unwrap().contains("already"));
    let r = edit_source(vec![
        ("name", "The Lakeside Tribune"),
        ("domain", "lakeside.example"),
        ("country", "ca"),
        ("leaning", "center"),
        ("notes", "A cooperative since 1921"),
    ])
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let edited = site.store.source(lakeside.id).unwrap().unwrap().profile;
    assert_eq!(
        (
            edited.name.as_str(),
            edited.country.as_deref(),
            edited.leaning
        ),
        (
            "The Lakeside Tribune",
            Some("CA"),
            Some(parallax_model::Leaning::Center)
        )
    );
    let feed = site.store.source_feeds(lakeside.id).unwrap()[0].id;
    let r = client
        .post(format!("{base}/admin/feeds/{feed}"))
        .header("cookie", format!("parallax_session={session}"))
        .form(&[("csrf", csrf.as_str()), ("retired", "on")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(
        site.store.feed(feed).unwrap().unwrap().status,
        parallax_model::FeedStatus::Retired
    );
    // The whole outlet retired: every feed stops, the outlet and its articles stay.
    let retiring = last_version_source(&site, hollis);
    let r = post_path(
        &client,
        &base,
        &session,
        &format!("/admin/sources/{retiring}/retire"),
        &csrf,
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(site
        .store
        .source_feeds(retiring)
        .unwrap()
        .iter()
        .all(|f| f.status == parallax_model::FeedStatus::Retired));
    assert!(site.store.source(retiring).unwrap().is_some());
    let exported = as_editor(format!("{base}/admin/sources.csv"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(exported.starts_with("name,domain,country,leaning,language,notes,feeds"));
    assert!(
        exported.contains(
            "The Lakeside Tribune,lakeside.example,CA,center,,A cooperative since 1921,\n"
        ),
        "{exported}"
    );
    let r = client
        .get(format!("{base}/admin/sources.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303, "the export is for editors");
    let opml = client
        .get(format!("{base}/sources.opml"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        opml.contains("Meridian Wire") && !opml.contains("lakeside.example/rss"),
        "retired feeds are not listed"
    );

    // The site's name and policy, and categories.
    let post = |path: &'static str, fields: Vec<(&'static str, &'static str)>| {
        let mut form: Vec<(&str, String)> = vec![("csrf", csrf.clone())];
        form.extend(fields.into_iter().map(|(k, v)| (k, v.to_string())));
        client
            .post(format!("{base}{path}"))
            .header("cookie", format!("parallax_session={session}"))
            .form(&form)
            .send()
    };
    let r = post("/admin/site", vec![("name", " "), ("policy", "x")])
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let r = post(
        "/admin/site",
        vec![
            ("name", "The Whole Picture"),
            (
                "policy",
                "We show every version.\r\n\r\nWe correct mistakes in the open.",
            ),
        ],
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let front = client
        .get(format!("{base}/?after=site"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(front.contains("<title>The Whole Picture</title>"));
    let page = client
        .get(format!("{base}/story/{hollis}?after=site"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("<p>We correct mistakes in the open.</p>"),
        "the policy's second paragraph"
    );
    let r = post("/admin/categories", vec![("name", "Fact checks")])
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let r = post("/admin/categories", vec![("name", "Fact-checks")])
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400, "the same slug twice");
    let r = post("/admin/categories/fact-checks", vec![("name", "Checked")])
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(
        site.store.category("fact-checks").unwrap().unwrap().name,
        "Checked"
    );
    let r = post("/admin/categories/nowhere", vec![("name", "X")])
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    // A rule files the chess story under the new category; bad rules are named.
    let chess_title = story_of["chess-title"];
    let r = post(
        "/admin/categories/rules",
        vec![
            ("kind", "entity"),
            ("value", "Nika Saric"),
            ("category", "fact-checks"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(
        site.store
            .story(chess_title)
            .unwrap()
            .unwrap()
            .category
            .unwrap()
            .slug,
        "fact-checks"
    );
    for (kind, value, category, says) in [
        ("colour", "x", "fact-checks", "not a kind of rule"),
        ("source", "Meridian", "fact-checks", "by its number"),
        ("keyword", "x", "nowhere", "no category"),
    ] {
        let r = post(
            "/admin/categories/rules",
            vec![("kind", kind), ("value", value), ("category", category)],
        )
        .await
        .unwrap();
        assert_eq!(r.status().as_u16(), 400, "{kind}");
        assert!(r.text().await.unwrap().contains(says), "{kind}");
    }
    let rule = site.store.category_rules().unwrap()[0].id;
    let r = post_path(
        &client,
        &base,
        &session,
        &format!("/admin/categories/rules/{rule}/delete"),
        &csrf,
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(
        site.store
            .story(chess_title)
            .unwrap()
            .unwrap()
            .category
            .unwrap()
            .slug,
        "sport"
    );
    let front = client
        .get(format!("{base}/?after=category"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(front.contains("href=\"/category/fact-checks\">Checked</a>"));

    // API tokens: made by an editor and shown once; writes need one; revoked, it is refused.
    let r = post("/admin/tokens", vec![("name", "newsroom dashboard")])
        .await
        .unwrap();
    let tokens_page = r.text().await.unwrap();
    let at = tokens_page
        .find("<code class=\"secret\">")
        .expect("the secret, once")
        + 21;
    let secret = tokens_page[at..].split('<').next().unwrap().to_string();
    assert_eq!(secret.len(), 64);
    let api = |method: reqwest::Method, path: String, token: Option<&str>, body: &str| {
        let mut r = client
            .request(method, format!("{base}{path}"))
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(t) = token {
            r = r.header("authorization", format!("Bearer {t}"));
        }
        r.send()
    };
    let chess = story_of["chess-title"];
    let patch = reqwest::Method::PATCH;
    let r = api(
        patch.clone(),
        format!("/api/v1/stories/{chess}"),
        None,
        r#"{"pinned": true}"#,
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    let r = api(
        patch.clone(),
        format!("/api/v1/stories/{chess}"),
        Some("made-up"),
        r#"{"pinned": true}"#,
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let r = api(
        patch.clone(),
        format!("/api/v1/stories/{chess}"),
        Some(&secret),
        r#"{"pinned": tru"#,
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let error: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert!(error["error"].as_str().unwrap().contains("JSON"), "{error}");
    let r = api(
        patch.clone(),
        format!("/api/v1/stories/{chess}"),
        Some(&secret),
        r#"{"pined": true}"#,
    )
    .await
    .unwrap();
    assert_eq!(
        r.status().as_u16(),
        400,
        "an unknown field is named, not ignored"
    );
    assert!(!site.store.story(chess).unwrap().unwrap().pinned);
    let r = api(
        patch.clone(),
        format!("/api/v1/stories/{chess}"),
        Some(&secret),
        r#"{"pinned": true, "title": "Saric is world champion"}"#,
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let done: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(done["changes"].as_array().unwrap().len(), 2, "{done}");
    let chess_story = site.store.story(chess).unwrap().unwrap();
    assert!(chess_story.pinned && chess_story.title == "Saric is world champion");
    let r = api(
        patch.clone(),
        "/api/v1/stories/999999".into(),
        Some(&secret),
        "{}",
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let r = api(
        reqwest::Method::POST,
        "/api/v1/stories/merge".into(),
        Some(&secret),
        &format!(r#"{{"from": {chess}, "into": {chess}}}"#),
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let r = api(
        reqwest::Method::POST,
        "/api/v1/sources".into(),
        Some(&secret),
        r#"{"sources": [{"name": "Harbour Radio", "country": "NZ", "feeds": ["https://radio.example/rss"]}, {"name": "", "feeds": []}]}"#,
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let done: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(
        (done["added"].as_u64(), done["feeds"].as_u64()),
        (Some(1), Some(1)),
        "{done}"
    );
    assert_eq!(done["refused"][0]["index"], 1);
    let log = site.store.audit_log(5).unwrap();
    assert!(
        log.iter()
            .any(|e| e.actor == "API token newsroom dashboard"),
        "{log:?}"
    );
    let token_id = site.store.api_tokens().unwrap()[0].id;
    let r = post_path(
        &client,
        &base,
        &session,
        &format!("/admin/tokens/{token_id}/revoke"),
        &csrf,
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = api(
        patch,
        format!("/api/v1/stories/{chess}"),
        Some(&secret),
        r#"{"pinned": false}"#,
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 401, "a revoked token writes nothing");

    // An oversized form is refused before it is read. The server then drops the
    // connection with the unread body, so this request has one of its own: a pooled one
    // would be reused half-closed by the next request.
    let once = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let r = once
        .post(format!("{base}/admin/stories/merge"))
        .header("cookie", format!("parallax_session={session}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![b'a'; 3 << 20])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 413);

    // Signing out ends the session.
    let r = client
        .post(format!("{base}/admin/logout"))
        .header("cookie", format!("parallax_session={session}"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let r = as_editor(format!("{base}/admin")).await.unwrap();
    assert_eq!(r.status().as_u16(), 303, "the old cookie signs no one in");

    // Behind HTTPS the cookies are Secure.
    let r = client
        .get(format!("{base}/admin/login"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(set_cookie(&r, "parallax_login")
        .unwrap()
        .1
        .contains("; Secure"));

    // A brute force: five wrong passwords, then the address waits, right password or not.
    for _ in 0..5 {
        let r = sign_in(
            "wrong horse battery",
            login_csrf.clone(),
            login_cookie.clone(),
        )
        .await
        .unwrap();
        assert_eq!(r.status().as_u16(), 401);
    }
    let r = sign_in(
        "correct horse battery",
        login_csrf.clone(),
        login_cookie.clone(),
    )
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let refused = site
        .store
        .audit_log(50)
        .unwrap()
        .iter()
        .filter(|e| e.action == "sign-in refused")
        .count();
    assert_eq!(refused, 5);
}

/// `parallax admin set-password` on a data directory, the password on standard input.
fn set_admin_password(data: &Path, password: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_parallax"))
        .arg("--data-dir")
        .arg(data)
        .args(["admin", "set-password"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn admin_set_password_reads_standard_input_and_refuses_a_short_one() {
    let dir = tempfile::tempdir().unwrap();
    let set = |password: &str| set_admin_password(dir.path(), password);
    let short = set("short");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));
    let ok = set("correct horse battery");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let store = parallax_store::SqliteStore::open(&dir.path().join("parallax.db")).unwrap();
    let hash = store.setting("admin_password").unwrap().unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert_eq!(
        store.audit_log(1).unwrap()[0].action,
        "set the admin password"
    );
}

#[test]
fn import_sources_reports_bad_rows_and_export_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("outlets.csv");
    std::fs::write(
        &csv,
        "name,domain,country,leaning,language,notes,feeds\n\
         Alpha Post,alpha.example,GB,right,en,,https://alpha.example/rss https://alpha.example/world.xml\n\
         ,nameless.example,,,,,\n\
         Beta Daily,,US,,en,Family-owned,https://www.beta.example/feed\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_parallax"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["import-sources", csv.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 3: the name is empty"));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("2 outlets added, 0 updated, 3 feeds subscribed; 1 rows refused"));
    // Again: the same outlets are updated, no feed is added twice.
    let out = run(&["import-sources", csv.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 outlets added, 2 updated, 0 feeds"));
    let out = run(&["export-sources"]);
    let exported = String::from_utf8(out.stdout).unwrap();
    let (rows, errors) = parallax_feed::sources_csv::parse_sources_csv(exported.as_bytes());
    assert!(errors.is_empty(), "{errors:?}");
    let names: Vec<&str> = rows.iter().map(|r| r.profile.name.as_str()).collect();
    assert_eq!(names, ["Alpha Post", "Beta Daily"]);
    assert_eq!(rows[0].feeds.len(), 2);
    assert_eq!(rows[1].profile.domain, "beta.example");
}

/// Posts a form of only the CSRF token, as an editor.
async fn post_path(
    client: &reqwest::Client,
    base: &str,
    session: &str,
    path: &str,
    csrf: &str,
) -> reqwest::Response {
    client
        .post(format!("{base}{path}"))
        .header("cookie", format!("parallax_session={session}"))
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap()
}

/// Checks a value against an OpenAPI schema: the parts utoipa writes ($ref, allOf, oneOf,
/// anyOf, type (one or a list), enum, properties with required, items).
fn conforms(
    doc: &serde_json::Value,
    schema: &serde_json::Value,
    value: &serde_json::Value,
    at: &str,
) -> Result<(), String> {
    use serde_json::Value;
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        let target = &doc["components"]["schemas"][name];
        if target.is_null() {
            return Err(format!("{at}: dangling {r}"));
        }
        return conforms(doc, target, value, at);
    }
    if let Some(all) = schema["allOf"].as_array() {
        for s in all {
            conforms(doc, s, value, at)?;
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(any) = schema[key].as_array() {
            if !any.iter().any(|s| conforms(doc, s, value, at).is_ok()) {
                return Err(format!("{at}: {value} matches none of {key}"));
            }
        }
    }
    if let Some(options) = schema["enum"].as_array() {
        if !options.contains(value) {
            return Err(format!("{at}: {value} is not one of {options:?}"));
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() {
        let fits = types.iter().any(|t| match *t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => false,
        });
        if !fits {
            return Err(format!("{at}: {value} is not {types:?}"));
        }
    }
    if let (Some(object), Some(properties)) = (value.as_object(), schema["properties"].as_object())
    {
        for name in schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(name) {
                return Err(format!("{at}: required {name} is missing"));
            }
        }
        for (name, s) in properties {
            if let Some(v) = object.get(name) {
                conforms(doc, s, v, &format!("{at}.{name}"))?;
            }
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
        for (i, v) in list.iter().enumerate() {
            conforms(doc, items, v, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

#[test]
fn the_schema_check_refuses_what_does_not_fit() {
    let doc = serde_json::json!({"components": {"schemas": {
        "Story": {"type": "object", "required": ["id", "title"], "properties": {
            "id": {"type": "integer"}, "title": {"type": "string"},
            "category": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Category"}]}}},
        "Category": {"type": "object", "required": ["slug"], "properties": {"slug": {"type": "string"}}}
    }}});
    let story = serde_json::json!({"$ref": "#/components/schemas/Story"});
    let check = |v: serde_json::Value| conforms(&doc, &story, &v, "story");
    assert!(check(serde_json::json!({"id": 1, "title": "t", "category": null})).is_ok());
    assert!(
        check(serde_json::json!({"id": 1, "title": "t", "category": {"slug": "world"}})).is_ok()
    );
    assert!(
        check(serde_json::json!({"id": "1", "title": "t"})).is_err(),
        "a string id"
    );
    assert!(check(serde_json::json!({"id": 1})).is_err(), "no title");
    assert!(check(serde_json::json!({"id": 1, "title": "t", "category": {"name": "x"}})).is_err());
    assert!(conforms(
        &doc,
        &serde_json::json!({"$ref": "#/components/schemas/Nope"}),
        &serde_json::json!(1),
        "x"
    )
    .is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_site_answers_only_editors_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.site.private = true;
    let site = open_site(&test_config(dir.path())).unwrap();
    parallax_web::admin::set_password(site.store.as_ref(), "correct horse battery", "test")
        .unwrap();
    let secret = "a".repeat(64);
    let hash = sha256_hex(&secret);
    site.store
        .create_api_token("reader", &hash, Utc::now())
        .unwrap();
    let base = serve_site(&config, &site).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let status = |path: &'static str, token: Option<&str>| {
        let mut r = client.get(format!("{base}{path}"));
        if let Some(t) = token {
            r = r.header("authorization", format!("Bearer {t}"));
        }
        async move { r.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(
        status("/", None).await,
        303,
        "pages send strangers to sign in"
    );
    assert_eq!(status("/search?q=x", None).await, 303);
    assert_eq!(status("/api/v1/stories", None).await, 401);
    assert_eq!(status("/feeds/stories.atom", None).await, 401);
    assert_eq!(status("/sources.opml", None).await, 303);
    assert_eq!(status("/api/v1/stories", Some("made-up")).await, 401);
    for open in [
        "/admin/login",
        "/healthz",
        "/static/style.css",
        "/static/site.js",
    ] {
        assert_eq!(status(open, None).await, 200, "{open}");
    }
    assert_eq!(status("/api/v1/stories", Some(&secret)).await, 200);
    assert_eq!(status("/", Some(&secret)).await, 200);
}

#[test]
fn logs_can_be_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_parallax"))
        .arg("--data-dir")
        .arg(dir.path())
        .arg("fetch")
        .env("PARALLAX_LOG_FORMAT", "json")
        .env("PARALLAX_LOG", "trace")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let logs: Vec<serde_json::Value> = stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert!(!logs.is_empty(), "{stderr}");
    assert!(logs
        .iter()
        .all(|l| l["level"].is_string() && l["timestamp"].is_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_reader_follows_categories_through_the_google_reader_api() {
    let (_web, _dir, config, site) = ingested_demo().await;
    let secret = "b".repeat(64);
    let hash = sha256_hex(&secret);
    site.store
        .create_api_token("phone", &hash, Utc::now())
        .unwrap();
    let base = serve_site(&config, &site).await;
    let client = reqwest::Client::new();
    let auth = format!("GoogleLogin auth={secret}");

    // Signing in: the API token is the password.
    let r = client
        .post(format!("{base}/accounts/ClientLogin"))
        .form(&[("Email", "me"), ("Passwd", "wrong")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let r = client
        .post(format!("{base}/accounts/ClientLogin"))
        .form(&[("Email", "me"), ("Passwd", secret.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.text().await.unwrap().contains(&format!("Auth={secret}")));

    let get_json = |path: String| {
        let request = client
            .get(format!("{base}{path}"))
            .header("authorization", auth.clone());
        async move {
            let r = request.send().await.unwrap();
            assert_eq!(r.status().as_u16(), 200, "{path}");
            serde_json::from_str::<serde_json::Value>(&r.text().await.unwrap()).unwrap()
        }
    };
    let r = client
        .get(format!("{base}/reader/api/0/subscription/list?output=json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401, "no sign-in, no subscriptions");
    let subs = get_json("/reader/api/0/subscription/list?output=json".into()).await;
    let ids: Vec<&str> = subs["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert!(ids.contains(&"feed/weather"), "{ids:?}");
    let weather = get_json("/reader/api/0/stream/contents/feed/weather?n=10".into()).await;
    let items = weather["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "the two storms");
    assert!(items.iter().all(|i| i["id"]
        .as_str()
        .unwrap()
        .starts_with("tag:google.com,2005:reader/item/")));
    let first = items[0]["id"].as_str().unwrap().to_string();
    let unread = |counts: &serde_json::Value| {
        counts["unreadcounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "feed/weather")
            .map_or(0, |c| c["count"].as_u64().unwrap())
    };
    assert_eq!(
        unread(&get_json("/reader/api/0/unread-count?output=json".into()).await),
        2
    );

    // Marking read, with the write token.
    let t = client
        .get(format!("{base}/reader/api/0/token"))
        .header("authorization", auth.clone())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let edit = |fields: Vec<(&'static str, String)>| {
        client
            .post(format!("{base}/reader/api/0/edit-tag"))
            .header("authorization", auth.clone())
            .form(&fields)
            .send()
    };
    let r = edit(vec![
        ("i", first.clone()),
        ("a", "user/-/state/com.google/read".into()),
        ("T", "wrong".into()),
    ])
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let r = edit(vec![
        ("i", first.clone()),
        ("a", "user/-/state/com.google/read".into()),
        ("T", t.clone()),
    ])
    .await
    .unwrap();
    assert_eq!(r.text().await.unwrap(), "OK");
    assert_eq!(
        unread(&get_json("/reader/api/0/unread-count?output=json".into()).await),
        1
    );
    let unread_ids = get_json(
        "/reader/api/0/stream/items/ids?s=feed/weather&xt=user/-/state/com.google/read".into(),
    )
    .await;
    assert_eq!(unread_ids["itemRefs"].as_array().unwrap().len(), 1);
    let short = i64::from_str_radix(first.rsplit('/').next().unwrap(), 16).unwrap();
    let r = client
        .post(format!("{base}/reader/api/0/stream/items/contents"))
        .header("authorization", auth.clone())
        .form(&[("i", short.to_string())])
        .send()
        .await
        .unwrap();
    let contents: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert!(contents["items"][0]["categories"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("user/-/state/com.google/read")));
    let r = edit(vec![
        ("i", "not-an-id".into()),
        ("a", "user/-/state/com.google/read".into()),
    ])
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 400);

    // All of a category read at once.
    let r = client
        .post(format!("{base}/reader/api/0/mark-all-as-read"))
        .header("authorization", auth.clone())
        .form(&[("s", "feed/weather"), ("T", t.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.text().await.unwrap(), "OK");
    assert_eq!(
        unread(&get_json("/reader/api/0/unread-count?output=json".into()).await),
        0
    );
}

/// The outlet of a story's last version.
fn last_version_source(site: &parallax_cli::app::Site, story: StoryId) -> parallax_model::SourceId {
    site.store
        .story_versions(story)
        .unwrap()
        .last()
        .unwrap()
        .source
        .id
}

/// The site of `site`'s store and index, served on loopback as `parallax serve` serves it
/// (with the peer's address); its base URL.
async fn serve_site(config: &Config, site: &Site) -> String {
    let state = AppState::new(
        Arc::clone(&site.store),
        Arc::clone(&site.index),
        config.site_config(),
        Arc::new(Metrics::default()),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let service = parallax_web::router(state)
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(listener, service).await.unwrap()
    });
    base
}

/// An API token's secret as the store keeps it.
fn sha256_hex(secret: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The demo's outlets served, subscribed and ingested once into a new site: the outlets,
/// the site's folder (kept while the test runs), its config and the site.
async fn ingested_demo() -> (DemoWeb, tempfile::TempDir, Config, Site) {
    let web = DemoWeb::start(DemoOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = test_config(dir.path());
    let site = open_site(&test_config(dir.path())).unwrap();
    subscribe_demo_outlets(&web, site.store.as_ref()).unwrap();
    pipeline(&config, &site)
        .ingest_feeds(site.store.feeds().unwrap(), Utc::now(), &Quiet)
        .await
        .unwrap();
    (web, dir, config, site)
}

/// The demo site, ingested into SQLite, copied by `parallax migrate-store` into PostgreSQL,
/// and served from there: its pages are the same as the original's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_copied_to_postgres_serves_the_same_pages() {
    let Some(schema) = parallax_store::testing::ScratchSchema::create("site") else {
        return;
    };
    let (_web, dir, config, site) = ingested_demo().await;
    let from = format!("sqlite://{}", dir.path().join("parallax.db").display());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_parallax"))
        .args(["migrate-store", "--from", &from, "--to", &schema.url()])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("matches row by row"), "{said}");

    let copy_dir = tempfile::tempdir().unwrap();
    let mut copy_config = test_config(copy_dir.path());
    copy_config.database_url = Some(schema.url());
    let copy = open_site(&copy_config).unwrap();
    let total = site.store.stats().unwrap().articles;
    assert_eq!(copy.store.stats().unwrap().articles, total);
    // Each process that serves the copy builds its own search index from the store, and
    // keeps it up to date on its own: two such processes here.
    let other_dir = tempfile::tempdir().unwrap();
    let mut other_config = test_config(other_dir.path());
    other_config.database_url = Some(schema.url());
    let other = open_site(&other_config).unwrap();
    let caught_up = |config: &Config, site: &Site| {
        // A write reaches indexes once every older transaction on the server has ended.
        let indexer = pipeline(config, site);
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while site.index.doc_count() < total && std::time::Instant::now() < deadline {
            indexer.catch_up_index().unwrap();
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(site.index.doc_count(), total);
    };
    caught_up(&copy_config, &copy);
    caught_up(&other_config, &other);

    let original = serve_site(&config, &site).await;
    let copied = serve_site(&copy_config, &copy).await;
    let client = reqwest::Client::new();
    let story = site.store.stories(&StoryQuery::default()).unwrap()[0].id;
    for path in [
        "/".to_string(),
        format!("/story/{}", story.0),
        "/search?q=harbour".to_string(),
        "/api/v1/stories".to_string(),
    ] {
        let (status, want) = get(&client, &format!("{original}{path}")).await;
        let (copy_status, got) = get(&client, &format!("{copied}{path}")).await;
        assert_eq!((status, copy_status), (200, 200), "{path}");
        assert_eq!(got, want, "{path} differs when served from PostgreSQL");
    }
    let second = serve_site(&other_config, &other).await;
    let (_, here) = get(&client, &format!("{copied}/search?q=harbour")).await;
    let (_, there) = get(&client, &format!("{second}/search?q=harbour")).await;
    assert_eq!(here, there, "two processes' indexes answer alike");
}

/// A `parallax worker` killed (SIGKILL) mid-batch on a PostgreSQL store: its hosts' leases
/// run out, a second worker takes them and finishes, and no article is lost or stored twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_workers_hosts_go_to_another_and_nothing_is_lost_or_stored_twice() {
    let Some(schema) = parallax_store::testing::ScratchSchema::create("kill") else {
        return;
    };
    // Pages are served only against permits the test hands out, so the first worker is
    // killed at a known point.
    let (gate, web) = gated_demo().await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.database_url = Some(schema.url());
    let store = parallax_cli::app::open_store(&config).unwrap();
    subscribe_demo_outlets(&web, store.as_ref()).unwrap();
    let worker = |name: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_parallax"))
            .args(["--data-dir", dir.path().to_str().unwrap(), "worker"])
            .env("PARALLAX_DATABASE_URL", schema.url())
            .env("PARALLAX_INGEST__WORKER_NAME", name)
            .env("PARALLAX_INGEST__LEASE_SECS", "10")
            .env("PARALLAX_INGEST__TICK_SECS", "1")
            .env("PARALLAX_INGEST__PAGE_CONCURRENCY", "2")
            .env("PARALLAX_FETCH__HOST_MIN_GAP_MS", "0")
            .env("PARALLAX_FETCH__ALLOW_PRIVATE_ADDRESSES", "true")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let stored = || store.stats().unwrap().articles;
    let total = web.fixture.articles.len() as u64;

    let mut first = worker("w1");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while stored() < 3 && std::time::Instant::now() < deadline {
        if gate.available_permits() == 0 {
            gate.add_permits(1);
        }
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
    first.kill().unwrap();
    first.wait().unwrap();
    let left = stored();
    assert!(
        left >= 3 && left < total,
        "killed with {left} of {total} stored"
    );
    // The killed worker still holds every host until its lease runs out.
    let held = store
        .claim_due_feeds("probe", Utc::now(), Utc::now(), 100)
        .unwrap();
    assert!(
        held.is_empty(),
        "hosts free before the lease ran out: {held:?}"
    );

    gate.add_permits(tokio::sync::Semaphore::MAX_PERMITS / 2);
    let mut second = worker("w2");
    let deadline = std::time::Instant::now() + Duration::from_secs(90);
    let done = || {
        stored() == total
            && store
                .feeds()
                .unwrap()
                .iter()
                .all(|f| f.last_success.is_some())
    };
    while !done() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    second.kill().unwrap();
    second.wait().unwrap();
    assert!(
        done(),
        "the second worker did not finish: {} of {total}",
        stored()
    );

    let site = Site {
        store,
        index: Arc::new(parallax_search::SearchIndex::open_in_ram().unwrap()),
    };
    let stats = site.store.stats().unwrap();
    assert_eq!(stats.articles, total, "articles lost or duplicated");
    let story_of = check_stories(&web, &site);
    assert_eq!(stats.stories as usize, story_of.len());
}

/// Retention: old articles lose their text, and keep their titles, links and stories; the
/// story page says why the text is missing, and search still finds them by title.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_drops_old_texts_and_the_story_page_says_so() {
    let (_web, _dir, mut config, site) = ingested_demo().await;
    config.retention.body_days = 3650;
    let story = site.store.stories(&StoryQuery::default()).unwrap()[0].clone();
    let versions = site.store.story_versions(story.id).unwrap();
    let title = versions[0].article.draft.title.clone();
    let p = pipeline(&config, &site);
    // Nothing is ten years old yet; everything is, seen from eleven years ahead.
    assert_eq!(
        p.drop_old_texts(Utc::now() - chrono::Duration::days(3650))
            .unwrap(),
        0
    );
    let dropped = p
        .drop_old_texts(Utc::now() + chrono::Duration::days(1))
        .unwrap();
    assert_eq!(dropped, site.store.stats().unwrap().articles);
    p.catch_up_index().unwrap();

    let base = serve_site(&config, &site).await;
    let client = reqwest::Client::new();
    let (status, page) = get(&client, &format!("{base}/story/{}", story.id)).await;
    assert_eq!(status, 200);
    assert!(page.contains("no longer keeps the text"), "{page}");
    let escaped = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    assert!(page.contains(&escaped), "the title stays");
    assert_eq!(
        site.store.story(story.id).unwrap().unwrap().article_count,
        story.article_count
    );
    let first_word = title.split_whitespace().last().unwrap().to_string();
    let (_, results) = get(
        &client,
        &format!("{base}/search?q={}", urlencode(&first_word)),
    )
    .await;
    assert!(
        results.contains(&format!("/story/{}", story.id)),
        "{results}"
    );
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Every route the router declares, with its methods, read from the router's own source: a
/// route added later is walked too, without this list being kept by hand.
fn declared_routes() -> Vec<(String, Vec<&'static str>)> {
    let source = include_str!("../../web/src/lib.rs");
    let mut routes = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find(".route(") {
        rest = &rest[at + ".route(".len()..];
        let mut depth = 1;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map(|(i, _)| i)
            .expect("a closed route call");
        let args = &rest[..end];
        let path = args.split('"').nth(1).expect("a quoted path").to_string();
        // A method is a call: `get(` at the start or after `.`, not inside a handler's name.
        let methods = ["get", "post", "put", "patch", "delete"]
            .into_iter()
            .filter(|m| {
                args.match_indices(&format!("{m}(")).any(|(i, _)| {
                    i == 0
                        || !args[..i]
                            .ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':')
                })
            })
            .collect();
        routes.push((path, methods));
    }
    routes
}

/// Every route of the router, asked without credentials, with a made-up session and token,
/// and with an editor's real session but a forged CSRF token: every route that would change
/// something refuses, and the store is the same row for row afterwards (the audit log aside,
/// which records the refused sign-ins).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_route_changes_anything_without_an_editor_or_a_token() {
    let (web, dir, config, site) = ingested_demo().await;
    let story = check_stories(&web, &site)["storm-hollis"];
    parallax_web::admin::set_password(site.store.as_ref(), "correct horse battery", "test")
        .unwrap();
    let token = site
        .store
        .create_api_token("tool", &sha256_hex(&"b".repeat(64)), Utc::now())
        .unwrap();
    let source = site.store.sources().unwrap()[0].id;
    let feed = site.store.feeds().unwrap()[0].id;
    let base = serve_site(&config, &site).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // An editor signs in: a real session, whose CSRF token the walk does not know.
    let (login_cookie, login_csrf) = sign_in_form(&client, &base).await;
    let signed_in = client
        .post(format!("{base}/admin/login"))
        .header("cookie", format!("parallax_login={login_cookie}"))
        .form(&[
            ("password", "correct horse battery"),
            ("csrf", login_csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let (session, _) = set_cookie(&signed_in, "parallax_session").expect("signed in");

    let routes = declared_routes();
    assert!(
        routes.len() > 50,
        "the router's routes were read: {routes:?}"
    );
    let writes: usize = routes
        .iter()
        .map(|(_, m)| m.iter().filter(|m| **m != "get").count())
        .sum();
    assert!(writes > 20, "its writing routes were read: {routes:?}");
    let url = |path: &str| {
        let id = if path.contains("/tokens/") {
            token
        } else if path.contains("/feeds/{id}") && path.starts_with("/admin") {
            feed.0
        } else if path.contains("source") {
            source.0
        } else {
            story.0
        };
        let path = path
            .replace("{id}", &id.to_string())
            .replace("{slug}", "weather")
            .replace("{file}", "stories.atom")
            .replace("{format}", "atom");
        format!("{base}{path}")
    };
    let db = format!("sqlite://{}", dir.path().join("parallax.db").display());
    let dump = || {
        let mut tables = parallax_store::dump_tables(&db).unwrap();
        tables.retain(|(name, _)| *name != "audit_log");
        tables
    };
    let before = dump();
    let audited = site.store.audit_log(1000).unwrap().len();

    // A sign-in form is open to everyone; it refuses a wrong password.
    let sign_ins = ["/admin/login", "/accounts/ClientLogin"];
    let attempts: [(&str, Vec<(&str, String)>); 4] = [
        ("nothing", vec![]),
        (
            "a made-up session and token",
            vec![
                ("cookie", format!("parallax_session={}", "c".repeat(64))),
                ("authorization", format!("Bearer {}", "d".repeat(64))),
            ],
        ),
        (
            "a GoogleLogin made-up token",
            vec![(
                "authorization",
                format!("GoogleLogin auth={}", "e".repeat(64)),
            )],
        ),
        (
            "a real session and a forged CSRF token",
            vec![("cookie", format!("parallax_session={session}"))],
        ),
    ];
    for (path, methods) in &routes {
        for method in methods {
            for (what, headers) in &attempts {
                let mut request = client.request(method.to_uppercase().parse().unwrap(), url(path));
                for (name, value) in headers {
                    request = request.header(*name, value);
                }
                if *method != "get" {
                    request = request.form(&[
                        ("csrf", "forged"),
                        ("password", "wrong horse battery"),
                        ("Email", "editor"),
                        ("Passwd", "wrong horse battery"),
                        ("from", &story.0.to_string()),
                        ("into", &story.0.to_string()),
                    ]);
                }
                let r = request.send().await.unwrap();
                let status = r.status().as_u16();
                let to_login = r
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .is_some_and(|l| l.starts_with("/admin/login"));
                if *method == "get" {
                    assert!(status < 500, "GET {path} with {what}: {status}");
                } else if sign_ins.contains(&path.as_str()) {
                    assert!(
                        (400..500).contains(&status),
                        "{method} {path} with {what}: {status}"
                    );
                } else {
                    assert!(
                        status == 401 || status == 403 || (status == 303 && to_login),
                        "{method} {path} with {what}: {status}"
                    );
                }
            }
        }
    }
    let after = dump();
    for ((table, rows), (_, rows_after)) in before.iter().zip(&after) {
        assert!(rows == rows_after, "the walk changed the table {table}");
    }
    let log = site.store.audit_log(1000).unwrap();
    assert!(
        log[..log.len() - audited]
            .iter()
            .all(|e| e.action == "sign-in refused"),
        "only refusals were logged: {:?}",
        &log[..log.len() - audited]
    );
}

// ---------------------------------------------------------------- disks that fill or lock

/// A tmpfs of the test's own: a disk that fills at a size the test chooses, and that can be
/// made read-only. Unmounted when dropped, a failed test's included.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// `None` where this process may not mount (not root, or without CAP_SYS_ADMIN).
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(SmallDisk { dir })
    }

    fn remount(&self, options: &str) {
        let status = std::process::Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(self.dir.path())
            .status()
            .unwrap();
        assert!(status.success(), "remount,{options}");
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn used_bytes(&self) -> u64 {
        fn walk(dir: &Path) -> u64 {
            std::fs::read_dir(dir)
                .unwrap()
                .map(|e| {
                    let e = e.unwrap();
                    let meta = e.metadata().unwrap();
                    if meta.is_dir() {
                        walk(&e.path())
                    } else {
                        meta.len()
                    }
                })
                .sum()
        }
        walk(self.dir.path())
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// `parallax fetch` on a data directory, as a process: its success and everything it said.
fn fetch_into(data: &Path) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_parallax"))
        .args(["--data-dir", data.to_str().unwrap(), "fetch"])
        .env("PARALLAX_FETCH__HOST_MIN_GAP_MS", "0")
        .env("PARALLAX_FETCH__ALLOW_PRIVATE_ADDRESSES", "true")
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), said)
}

/// Checks the store file is sound and the search index holds what the store does.
fn assert_sound(data: &Path) -> u64 {
    let store = parallax_store::SqliteStore::open(&data.join("parallax.db")).unwrap();
    assert_eq!(store.integrity_problems().unwrap(), Vec::<String>::new());
    drop(store);
    let site = open_site(&test_config(data)).unwrap();
    let position = site.index.position().unwrap();
    let behind = site.store.index_changes(position.as_deref(), 10).unwrap();
    let articles = site.store.stats().unwrap().articles;
    if behind.articles.is_empty() {
        assert_eq!(site.index.doc_count(), articles, "index out of step");
    }
    articles
}

/// The disk fills in the middle of a run: the run says so and stops short, the database is
/// sound, and once there is room the next run stores every article exactly once. A
/// read-only disk: a clear refusal, and nothing changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_and_a_read_only_one_fail_clearly_and_lose_nothing() {
    let Some(disk) = SmallDisk::mount("64m") else {
        assert!(
            std::env::var_os("REQUIRE_MOUNT_TESTS").is_none(),
            "REQUIRE_MOUNT_TESTS is set but this process cannot mount a tmpfs"
        );
        eprintln!("skipped: mounting a tmpfs needs root (set REQUIRE_MOUNT_TESTS to insist)");
        return;
    };
    let web = DemoWeb::start(DemoOptions::default()).await.unwrap();
    let data = disk.path();
    {
        let site = open_site(&test_config(data)).unwrap();
        subscribe_demo_outlets(&web, site.store.as_ref()).unwrap();
    }
    let total = web.fixture.articles.len() as u64;
    // Room for a few articles beyond the subscriptions.
    disk.remount(&format!("size={}k", disk.used_bytes() / 1024 + 96));

    let (ok, said) = fetch_into(data);
    eprintln!("on a full disk (ok: {ok}):\n{said}");
    let stored = assert_sound(data);
    assert!(stored < total, "everything fit: make the disk smaller");
    let error = said.lines().find(|l| l.starts_with("error:")).unwrap_or("");
    assert!(
        error.matches("disk is full").count() + error.matches("No space left").count() == 1,
        "the run does not say once that the disk is full (ok: {ok}):\n{said}"
    );

    disk.remount("size=256m");
    let (ok, said) = fetch_into(data);
    assert!(ok, "{said}");
    assert_eq!(assert_sound(data), total, "articles lost or stored twice");
    let site = open_site(&test_config(data)).unwrap();
    let story_of = check_stories(&web, &site);
    assert_eq!(site.store.stats().unwrap().stories as usize, story_of.len());
    drop(site);

    disk.remount("ro");
    let (ok, said) = fetch_into(data);
    assert!(!ok, "a run on a read-only disk succeeded:\n{said}");
    assert_eq!(
        said.matches("Read-only file system").count(),
        1,
        "said once: {said}"
    );
    disk.remount("rw");
    assert_eq!(assert_sound(data), total);
}

// ---------------------------------------------------------------- a hostile outlet

/// XSS vectors of every kind, each carrying `alert(` so that any survivor can be found.
const VECTORS: &str = r#"<p>Officials <script>alert(1)</script>said the bridge <img src=x onerror="alert(2)"> would reopen.</p>
<p><a href="javascript:alert(3)">Read the statement</a> or <a href=" jav&#x09;ascript:alert(4)">the summary</a>.</p>
<p style="background:url(javascript:alert(5))">The council <svg onload="alert(6)"><circle r="1"/></svg>met on Tuesday.</p>
<iframe src="javascript:alert(7)"></iframe><iframe src="https://evil.example/alert(8)"></iframe>
<object data="https://evil.example/alert(9).swf"></object><embed src="data:text/html,alert(10)">
<form action="https://evil.example/alert(11)"><input name="q" onfocus="alert(12)"></form>
<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(13)">
<math><mtext><table><mglyph><style><img src=x onerror=alert(14)></style></mglyph></table></mtext></math>
<p><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxNSk8L3NjcmlwdD4=">x</a><details open ontoggle="alert(16)">d</details></p>"#;

/// What on a whole page of the site could run a stranger's code: an inline or foreign
/// script, a handler, a script URL, a style attribute, an object or an unsandboxed frame.
/// The site's own script file, forms and drawings are its own.
fn foreign_active_markup(page: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(page);
    let mut found = Vec::new();
    for node in doc.tree.nodes() {
        let scraper::Node::Element(e) = node.value() else {
            continue;
        };
        let name = e.name();
        if name == "script" {
            let own = e.attr("src").is_some_and(|s| s.starts_with("/static/"));
            let text: String = scraper::ElementRef::wrap(node)
                .map(|r| r.text().collect())
                .unwrap_or_default();
            if !own || !text.trim().is_empty() {
                found.push(format!("<script> {:?}", e.attr("src")));
            }
        }
        if ["object", "embed", "applet", "base", "frame"].contains(&name) {
            found.push(format!("<{name}>"));
        }
        if name == "meta" && e.attr("http-equiv").is_some() {
            found.push("<meta http-equiv>".into());
        }
        if name == "iframe" && e.attr("sandbox").is_none() {
            found.push("<iframe> unsandboxed".into());
        }
        for (attr, value) in e.attrs() {
            let squeezed: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .flat_map(char::to_lowercase)
                .collect();
            if attr.starts_with("on") || attr == "style" {
                found.push(format!("<{name} {attr}>"));
            } else if ["javascript:", "vbscript:", "data:"]
                .iter()
                .any(|s| squeezed.starts_with(s))
            {
                found.push(format!("<{name} {attr}={value:?}>"));
            }
        }
    }
    found
}

/// A fictional outlet whose feed and page carry script in every place a feed or page can:
/// after ingestion, no page, output feed or API answer of the site carries any of it, by
/// the standard's parser.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_outlets_script_reaches_no_page_feed_or_answer() {
    use axum::routing::get as route_get;
    let page = format!(
        "<!doctype html><html><head><title>Bridge to reopen &lt;script&gt;alert(20)&lt;/script&gt;</title>\
         <script>alert(21)</script><meta property=\"og:title\" content=\"Bridge to reopen\">\
         <meta name=\"author\" content=\"&lt;img src=x onerror=alert(22)&gt;\"></head>\
         <body onload=\"alert(23)\"><nav><a href=\"/\">Home</a></nav><article><h1>Bridge to reopen</h1>\
         <p class=\"byline\">By <a href=\"javascript:alert(24)\">Ines Varga</a></p>{VECTORS}\
         <p>The Varga bridge, closed since the spring floods, will carry traffic again from Monday, \
         the Lakeshore transport office said, after engineers finished repairs to its central span.</p>\
         <p>Repairs cost 4.2 million, the office said, and the toll will stay at two coins a crossing.</p>\
         </article></body></html>"
    );
    let feed = format!(
        "<rss version=\"2.0\"><channel><title>The Lakeshore Ledger</title><link>http://ledger.invalid/</link>\
         <item><guid>bridge-1</guid><title>Bridge to reopen &lt;script&gt;alert(25)&lt;/script&gt;</title>\
         <link>/news/bridge</link><author>x@ledger.invalid (&lt;img src=x onerror=alert(26)&gt;)</author>\
         <pubDate>{}</pubDate><description>{}</description></item></channel></rss>",
        Utc::now().to_rfc2822(),
        VECTORS
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let outlet = format!("http://{}", listener.local_addr().unwrap());
    let router = axum::Router::new()
        .route(
            "/rss.xml",
            route_get(move || {
                let feed = feed.clone();
                async move { ([("content-type", "application/rss+xml")], feed) }
            }),
        )
        .route(
            "/news/bridge",
            route_get(move || {
                let page = page.clone();
                async move { axum::response::Html(page) }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let dir = tempfile::tempdir().unwrap();
    let config = test_config(dir.path());
    let site = open_site(&config).unwrap();
    let source = site
        .store
        .upsert_source(&SourceProfile {
            name: "The Lakeshore Ledger".into(),
            domain: "ledger.invalid".into(),
            ..SourceProfile::default()
        })
        .unwrap();
    site.store
        .add_feed(source, &format!("{outlet}/rss.xml"))
        .unwrap();
    let report = pipeline(&config, &site)
        .ingest_feeds(site.store.feeds().unwrap(), Utc::now(), &Quiet)
        .await
        .unwrap();
    assert_eq!(report.new_articles(), 1, "{report:?}");
    let story = site.store.stories(&StoryQuery::default()).unwrap()[0].id;
    let article = site.store.story_versions(story).unwrap()[0].article.id;
    assert!(
        site.store
            .article(article)
            .unwrap()
            .unwrap()
            .draft
            .text
            .contains("central span"),
        "the page's own text was read"
    );

    let base = serve_site(&config, &site).await;
    let client = reqwest::Client::new();
    for path in [
        "/".to_string(),
        format!("/story/{story}"),
        format!("/source/{source}"),
        "/search?q=bridge".into(),
        "/timeline".into(),
    ] {
        let (status, body) = get(&client, &format!("{base}{path}")).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(foreign_active_markup(&body), Vec::<String>::new(), "{path}");
        // The versions' and the snippets' markup, by the strict audit.
        let doc = scraper::Html::parse_document(&body);
        let fragments = scraper::Selector::parse("div.text, p.snippet").unwrap();
        for fragment in doc.select(&fragments) {
            let found = parallax_extract::unsafe_markup(&fragment.inner_html());
            assert_eq!(found, Vec::<String>::new(), "{path}");
        }
    }
    assert!(
        get(&client, &format!("{base}/story/{story}"))
            .await
            .1
            .contains("central span"),
        "the story page shows the version"
    );
    for format in ["atom", "rss", "json"] {
        for path in [
            format!(
                "/feeds/stories.{}",
                if format == "json" { "json" } else { format }
            ),
            format!("/feeds/story/{story}/{format}"),
            format!("/feeds/source/{source}/{format}"),
            format!("/feeds/search/{format}?q=bridge"),
        ] {
            let (status, body) = get(&client, &format!("{base}{path}")).await;
            assert_eq!(status, 200, "{path}");
            let parsed = parallax_feed::parse_document(body.as_bytes(), &Default::default())
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            // The values as the feed wrote them, before any reader's sanitizer: those the
            // feed declares HTML, and in RSS every title and description, which readers
            // take as HTML whatever they hold.
            let mut objects = parsed.raw.entries;
            objects.push(parsed.raw.feed);
            for object in &objects {
                for (key, value) in object {
                    let Some(text) = value.as_str() else { continue };
                    let declared = object
                        .get(&format!("{key}_detail"))
                        .and_then(|d| d["type"].as_str())
                        .is_some_and(|t| t.contains("html"));
                    let rss_html = format == "rss" && ["title", "summary"].contains(&key.as_str());
                    if declared || rss_html {
                        let found = parallax_extract::unsafe_markup(text);
                        assert_eq!(found, Vec::<String>::new(), "{path}: {key} {text:?}");
                    }
                }
                for content in object
                    .get("content")
                    .and_then(|c| c.as_array())
                    .into_iter()
                    .flatten()
                {
                    if content["type"].as_str().is_some_and(|t| t.contains("html")) {
                        let html = content["value"].as_str().unwrap_or_default();
                        let found = parallax_extract::unsafe_markup(html);
                        assert_eq!(found, Vec::<String>::new(), "{path}: {html:?}");
                    }
                }
            }
        }
    }
    for path in [
        "/api/v1/stories".to_string(),
        format!("/api/v1/stories/{story}"),
        format!("/api/v1/articles/{article}"),
        "/api/v1/search?q=bridge".into(),
    ] {
        let (status, body) = get(&client, &format!("{base}{path}")).await;
        assert_eq!(status, 200, "{path}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        // The answer's HTML: an article's sanitized markup and search snippets. Every other
        // string is text, for the caller to escape.
        let mut html = Vec::new();
        collect_html(&json, &mut html);
        if path.starts_with("/api/v1/articles") || path.starts_with("/api/v1/search") {
            assert!(!html.is_empty(), "{path} has no HTML to check");
        }
        for s in html {
            let found = parallax_extract::unsafe_markup(&s);
            assert_eq!(found, Vec::<String>::new(), "{path}: {s:?}");
        }
    }
}

/// The values of a JSON answer's `html` and `snippet` keys, however deep.
fn collect_html(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_html(x, out)),
        serde_json::Value::Object(o) => {
            for (key, value) in o {
                match value.as_str() {
                    Some(s) if key == "html" || key == "snippet" => out.push(s.to_string()),
                    _ => collect_html(value, out),
                }
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------- secrets

/// `parallax serve` logging everything (trace level) while an editor signs in (once with a
/// wrong password), makes an API token, and a reader and a feed reader use it: no password,
/// hash, token, session or CSRF value reaches the log, and no page or answer shows one
/// (the token's own page shows it once, and the feed reader's sign-in hands it back, by
/// design: those two are not checked for it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_reach_no_log_and_no_answer() {
    let (_web, dir, _config, _site) = ingested_demo().await;
    let password = "sesame-lantern-orchard-42";
    let wrong = "guessed-wrongly-hunter2-xyz";
    assert!(set_admin_password(dir.path(), password).status.success());

    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let log_path = dir.path().join("serve.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut serve = std::process::Command::new(env!("CARGO_BIN_EXE_parallax"))
        .arg("--data-dir")
        .arg(dir.path())
        .arg("serve")
        .env("PARALLAX_SERVER__LISTEN", format!("127.0.0.1:{port}"))
        .env("PARALLAX_SERVER__INGEST", "false")
        .env("PARALLAX_LOG", "debug")
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for _ in 0..200 {
        if client.get(format!("{base}/healthz")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Every answer's body, but for the two that hand a token out by design.
    let mut answers: Vec<(String, String)> = Vec::new();

    let (login_cookie, login_csrf) = sign_in_form(&client, &base).await;
    let sign_in = |password: &str| {
        client
            .post(format!("{base}/admin/login"))
            .header("cookie", format!("parallax_login={login_cookie}"))
            .form(&[("password", password), ("csrf", login_csrf.as_str())])
            .send()
    };
    let refused = sign_in(wrong).await.unwrap();
    assert_ne!(refused.status().as_u16(), 303, "a wrong password let in");
    answers.push(("refused sign-in".into(), refused.text().await.unwrap()));
    let r = sign_in(password).await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let (session, _) = set_cookie(&r, "parallax_session").unwrap();
    let as_editor = |method: reqwest::Method, path: &str| {
        client
            .request(method, format!("{base}{path}"))
            .header("cookie", format!("parallax_session={session}"))
    };
    let dashboard = as_editor(reqwest::Method::GET, "/admin")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_field(&dashboard);
    answers.push(("/admin".into(), dashboard));
    let tokens_page = as_editor(reqwest::Method::POST, "/admin/tokens")
        .form(&[("name", "wall screen"), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = tokens_page
        .find("<code class=\"secret\">")
        .expect("the secret")
        + 21;
    let token = tokens_page[at..].split('<').next().unwrap().to_string();
    for path in ["/admin/tokens", "/admin/site", "/admin/sources"] {
        let page = as_editor(reqwest::Method::GET, path)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        answers.push((path.into(), page));
    }
    for path in ["/api/v1/stories", "/api/v1/sources", "/api/v1/categories"] {
        let r = client
            .get(format!("{base}{path}"))
            .header("authorization", format!("Bearer {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}");
        answers.push((path.into(), r.text().await.unwrap()));
    }
    let r = client
        .post(format!("{base}/accounts/ClientLogin"))
        .form(&[("Email", "me"), ("Passwd", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    for path in [
        "/reader/api/0/user-info?output=json",
        "/reader/api/0/subscription/list?output=json",
        "/reader/api/0/stream/contents/user/-/state/com.google/reading-list?output=json",
    ] {
        let r = client
            .get(format!("{base}{path}"))
            .header("authorization", format!("GoogleLogin auth={token}"))
            .send()
            .await
            .unwrap();
        answers.push((path.into(), r.text().await.unwrap()));
    }
    let r = as_editor(reqwest::Method::POST, "/admin/logout")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    serve.kill().unwrap();
    serve.wait().unwrap();

    let store = parallax_store::SqliteStore::open(&dir.path().join("parallax.db")).unwrap();
    let password_hash = store.setting("admin_password").unwrap().unwrap();
    let secrets = [
        ("the password", password.to_string()),
        ("a wrong password", wrong.to_string()),
        ("the password's hash", password_hash.clone()),
        (
            "the hash's salt",
            password_hash.split('$').nth(4).unwrap().to_string(),
        ),
        ("the API token", token.clone()),
        ("the API token's hash", sha256_hex(&token)),
        ("the session", session.clone()),
        ("the session's hash", sha256_hex(&session)),
        ("the CSRF token", csrf.clone()),
    ];
    let log = std::fs::read_to_string(&log_path).unwrap();
    // Requests themselves are not logged today; this guards whatever logging comes.
    assert!(log.contains("DEBUG"), "the server logged nothing: {log}");
    for (what, secret) in &secrets {
        assert!(!log.contains(secret.as_str()), "{what} is in the log");
        for (path, body) in &answers {
            if *what == "the CSRF token" && body.contains("name=\"csrf\"") {
                continue; // forms carry it, for the editor's own browser
            }
            assert!(!body.contains(secret.as_str()), "{what} is in {path}");
        }
    }
}
