//! The commands that work on a site's data: subscribing, fetching, serving, the demo.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};
use parallax_demo::{DemoOptions, DemoWeb};
use parallax_ingest::{CycleReport, FeedStatus, Pipeline, Progress, Quiet};
use parallax_model::{ArticleId, SourceProfile, StoryId};
use parallax_search::SearchIndex;
use parallax_store::{SqliteStore, Store};
use parallax_web::{AppState, Metrics};
use tracing::{error, info};
use url::Url;

use crate::config::Config;

/// A site's data, opened.
pub struct Site {
    pub store: Arc<dyn Store>,
    pub index: Arc<SearchIndex>,
}

pub fn open_site(config: &Config) -> Result<Site> {
    let store = open_store(config)?;
    // A new (or deleted) index catches up from the store's first article.
    let index = SearchIndex::open(&config.data_dir.join("index"))?;
    Ok(Site {
        store,
        index: Arc::new(index),
    })
}

/// The store `database_url` names, else the SQLite file in the data directory (made if
/// need be).
pub fn open_store(config: &Config) -> Result<Arc<dyn Store>> {
    let data_dir = &config.data_dir;
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating data directory {}", data_dir.display()))?;
    Ok(match &config.database_url {
        Some(url) => Arc::from(parallax_store::open_url(url)?),
        None => Arc::new(SqliteStore::open(&data_dir.join("parallax.db"))?),
    })
}

/// An editor's correction of the clusterer.
#[derive(clap::Subcommand)]
pub enum StoryCommand {
    /// Merge story FROM into story INTO; the clusterer never splits INTO.
    Merge { from: i64, into: i64 },
    /// Move ARTICLES out of STORY into a new story; the clusterer never merges the two.
    Split {
        story: i64,
        #[arg(required = true)]
        articles: Vec<i64>,
    },
}

/// An editor's merge or split, in the store; a running ingestion sees it at its next cycle
/// and rebuilds its clusterer, and re-indexes the moved articles.
pub fn edit_story(config: &Config, command: StoryCommand) -> Result<()> {
    let store = open_store(config)?;
    match command {
        StoryCommand::Merge { from, into } => {
            anyhow::ensure!(from != into, "a story cannot be merged into itself");
            store.merge_stories_as_editor(StoryId(from), StoryId(into))?;
            audit(store.as_ref(), format!("merged story {from} into {into}"))?;
            println!("merged story {from} into story {into}");
        }
        StoryCommand::Split { story, articles } => {
            let ids: Vec<ArticleId> = articles.iter().copied().map(ArticleId).collect();
            let new = store.split_story_as_editor(StoryId(story), &ids)?;
            let list: Vec<String> = articles.iter().map(i64::to_string).collect();
            audit(
                store.as_ref(),
                format!(
                    "split articles {} out of story {story} into story {}",
                    list.join(", "),
                    new.0
                ),
            )?;
            println!(
                "moved {} article(s) out of story {story} into story {}",
                ids.len(),
                new.0
            );
        }
    }
    Ok(())
}

/// `parallax migrate-store`: the copy, then what it holds.
pub fn migrate_store(from: &str, to: &str) -> Result<()> {
    let started = Instant::now();
    let report = parallax_store::migrate_store(from, to)?;
    for (table, rows) in &report.tables {
        println!("{table:>16}  {rows} rows");
    }
    println!(
        "copied {} rows of {} tables in {:.1} s; the copy was read back and matches row by row",
        report.rows(),
        report.tables.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A change made from the command line, in the audit log beside the site's.
fn audit(store: &dyn Store, action: String) -> Result<()> {
    store.record_audit(&parallax_store::AuditEntry {
        at: Utc::now(),
        actor: "command line".into(),
        action,
        detail: String::new(),
    })?;
    Ok(())
}

/// Editors' access.
#[derive(clap::Subcommand)]
pub enum AdminCommand {
    /// Set the admin password: asked twice on a terminal, else read as one line from
    /// standard input. Every signed-in session is signed out.
    SetPassword,
}

pub fn admin(config: &Config, command: AdminCommand) -> Result<()> {
    let store = open_store(config)?;
    match command {
        AdminCommand::SetPassword => {
            use std::io::{BufRead, IsTerminal, Read};
            let password = if std::io::stdin().is_terminal() {
                let first = rpassword::prompt_password("New admin password: ")?;
                let second = rpassword::prompt_password("Again: ")?;
                anyhow::ensure!(
                    first == second,
                    "the two passwords differ; nothing was changed"
                );
                first
            } else {
                let mut line = String::new();
                std::io::stdin()
                    .lock()
                    .take(4096)
                    .read_line(&mut line)
                    .context("reading the password from standard input")?;
                line.trim_end_matches(['\n', '\r']).to_string()
            };
            parallax_web::admin::set_password(store.as_ref(), &password, "command line")
                .map_err(|e| anyhow::anyhow!(e))?;
            println!("The admin password is set; sign in at /admin/login.");
        }
    }
    Ok(())
}

fn pipeline(config: &Config, site: &Site) -> Result<Pipeline> {
    let fetcher = parallax_fetch::Fetcher::new(config.fetch_config())?;
    Ok(Pipeline::new(
        Arc::clone(&site.store),
        Arc::clone(&site.index),
        fetcher,
        config.ingest_config()?,
    )?)
}

fn host_of(url: &str) -> Result<String> {
    let parsed = Url::parse(url).with_context(|| format!("{url:?} is not an absolute URL"))?;
    anyhow::ensure!(
        matches!(parsed.scheme(), "http" | "https"),
        "{url:?} is not an http(s) URL"
    );
    let host = parsed
        .host_str()
        .context("URL has no host")?
        .trim_start_matches("www.")
        .to_string();
    Ok(match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

/// Subscribes to the feed at `url`, or to the feed a page at `url` names. When the address
/// cannot be reached now it is subscribed as given, and the scheduler will keep trying.
pub async fn add_feed(config: &Config, url: &str, source: Option<&str>) -> Result<()> {
    host_of(url)?;
    let fetcher = parallax_fetch::Fetcher::new(config.fetch_config())?;
    let (feed_url, title) = match parallax_ingest::discover(&fetcher, url).await {
        Ok(found) => {
            if found.feed_url != url {
                println!("Found the feed {} on {url}.", found.feed_url);
            }
            for other in &found.others {
                println!("  the page also names {other}");
            }
            (found.feed_url, found.title)
        }
        Err(parallax_ingest::DiscoveryError::Unreachable { reason, .. }) => {
            println!("Could not check {url} now ({reason}); subscribing to it as given.");
            (url.to_string(), None)
        }
        Err(e) => anyhow::bail!(e),
    };
    let site = open_site(config)?;
    if let Some(feed) = site.store.feeds()?.into_iter().find(|f| f.url == feed_url) {
        println!("Already subscribed to {feed_url} (feed {}).", feed.id);
        return Ok(());
    }
    let domain = host_of(&feed_url)?;
    let name = source
        .map(str::to_string)
        .or(title)
        .unwrap_or_else(|| domain.clone());
    let source_id = site.store.upsert_source(&SourceProfile {
        name: name.clone(),
        domain,
        ..SourceProfile::default()
    })?;
    let feed = site.store.add_feed(source_id, &feed_url)?;
    println!("Subscribed to {feed_url} (feed {feed}, source \"{name}\"). Run `parallax fetch` to ingest it.");
    Ok(())
}

pub fn import_opml(config: &Config, file: &Path) -> Result<()> {
    let bytes = read_bounded(file, 16 * 1024 * 1024)?;
    let feeds = parallax_feed::opml::parse_opml(&bytes)
        .with_context(|| format!("reading {}", file.display()))?;
    let site = open_site(config)?;
    let (mut added, mut skipped) = (0, 0);
    for f in feeds {
        let domain = match host_of(f.html_url.as_deref().unwrap_or(&f.xml_url))
            .or_else(|_| host_of(&f.xml_url))
        {
            Ok(d) => d,
            Err(e) => {
                eprintln!("skipped {}: {e:#}", f.xml_url);
                skipped += 1;
                continue;
            }
        };
        let name = f.title.clone().unwrap_or_else(|| domain.clone());
        let source = site.store.upsert_source(&SourceProfile {
            name,
            domain,
            ..SourceProfile::default()
        })?;
        let feed = site.store.add_feed(source, &f.xml_url)?;
        // The innermost folder is the feed's category.
        site.store
            .set_feed_folder(feed, f.folders.last().map(String::as_str))?;
        added += 1;
    }
    println!(
        "Imported {added} feeds from {} ({skipped} skipped).",
        file.display()
    );
    Ok(())
}

/// Writes the subscribed feeds as OPML 2.0, one outline per folder.
pub fn export_opml(config: &Config, out: &mut dyn std::io::Write) -> Result<()> {
    let site = open_site(config)?;
    out.write_all(parallax_web::subscriptions_opml(site.store.as_ref())?.as_bytes())?;
    Ok(())
}

pub fn import_sources(config: &Config, file: &Path) -> Result<()> {
    let bytes = read_bounded(file, 16 * 1024 * 1024)?;
    let (rows, errors) = parallax_feed::sources_csv::parse_sources_csv(&bytes);
    for e in &errors {
        eprintln!("{}: line {}: {}", file.display(), e.line, e.reason);
    }
    let site = open_site(config)?;
    let done = parallax_web::admin::import_sources(site.store.as_ref(), &rows)?;
    let summary = format!(
        "{} outlets added, {} updated, {} feeds subscribed; {} rows refused",
        done.added,
        done.updated,
        done.feeds,
        errors.len()
    );
    audit(site.store.as_ref(), format!("imported outlets: {summary}"))?;
    println!("{summary}");
    Ok(())
}

pub fn export_sources(config: &Config, out: &mut dyn std::io::Write) -> Result<()> {
    let site = open_site(config)?;
    let rows = parallax_web::admin::export_sources(site.store.as_ref())?;
    out.write_all(parallax_feed::sources_csv::write_sources_csv(&rows).as_bytes())?;
    Ok(())
}

/// Reads a file, refusing one larger than `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    anyhow::ensure!(
        bytes.len() as u64 <= limit,
        "{} is larger than {limit} bytes",
        path.display()
    );
    Ok(bytes)
}

struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, feeds: usize) {
        self.0.set_length(feeds as u64);
    }
    fn feed_fetched(&self, url: &str) {
        self.0.set_message(url.to_string());
        self.0.inc(1);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

fn progress_bar() -> Bar {
    let bar = ProgressBar::new(0);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} fetching feeds {pos}/{len} {wide_msg}")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    Bar(bar)
}

fn print_summary(report: &CycleReport, elapsed: Duration, store: &dyn Store) -> Result<()> {
    println!(
        "Fetched {} feeds in {:.1} s: {} with new or edited entries, {} unchanged, {} failed.",
        report.feeds.len(),
        elapsed.as_secs_f64(),
        report.changed_feeds(),
        report.unchanged_feeds(),
        report.failed_feeds()
    );
    let page_failures: usize = report.feeds.iter().map(|f| f.page_failures).sum();
    println!(
        "Articles: {} new, {} updated, {} duplicates merged; {} kept the feed's text because the page could not be read.",
        report.new_articles(),
        report.updated_articles(),
        report.duplicates(),
        page_failures
    );
    for f in &report.feeds {
        if let FeedStatus::Failed { reason, .. } = &f.status {
            println!("  failed: {} ({reason})", f.url);
        }
    }
    // Feeds are never dropped silently: the ones that need the operator are named every time.
    for feed in store.feeds()? {
        if feed.status == parallax_model::FeedStatus::Gone {
            println!("  gone: {} answers 410 and is no longer polled", feed.url);
        } else if feed.is_failing() {
            println!(
                "  needs attention: {} has failed {} times in a row ({})",
                feed.url,
                feed.error_count,
                feed.last_error.as_deref().unwrap_or("unknown error")
            );
        }
    }
    let stats = store.stats()?;
    println!(
        "The site now has {} stories from {} articles of {} outlets.",
        stats.stories, stats.articles, stats.sources
    );
    Ok(())
}

pub async fn fetch(config: &Config) -> Result<()> {
    let site = open_site(config)?;
    let pipeline = pipeline(config, &site)?;
    let feeds = site.store.feeds()?;
    if feeds.is_empty() {
        println!("No feeds yet: add one with `parallax add-feed URL`.");
        return Ok(());
    }
    let started = Instant::now();
    let report = pipeline
        .ingest_feeds(feeds, Utc::now(), &progress_bar())
        .await?;
    print_summary(&report, started.elapsed(), site.store.as_ref())
}

pub async fn serve(config: &Config) -> Result<()> {
    let site = open_site(config)?;
    let pipeline = Arc::new(pipeline(config, &site)?);
    let listener = tokio::net::TcpListener::bind(&config.server.listen)
        .await
        .with_context(|| format!("listening on {}", config.server.listen))?;
    println!("Parallax is serving http://{}", listener.local_addr()?);
    run_site(config, &site, pipeline, listener).await
}

/// Serves the site, and polls due feeds in the background, until Ctrl-C.
async fn run_site(
    config: &Config,
    site: &Site,
    pipeline: Arc<Pipeline>,
    listener: tokio::net::TcpListener,
) -> Result<()> {
    let metrics = Arc::new(Metrics::default());
    let tick = Duration::from_secs(config.ingest.tick_secs.max(1));
    let scheduler = if config.server.ingest {
        let metrics = Arc::clone(&metrics);
        tokio::spawn(async move {
            loop {
                match pipeline.run_cycle(Utc::now(), &Quiet).await {
                    Ok(report) => {
                        metrics.record_ingest_cycle(&parallax_web::CycleCounts {
                            feeds_fetched: (report.changed_feeds() + report.unchanged_feeds())
                                as u64,
                            feeds_not_modified: report
                                .feeds
                                .iter()
                                .filter(|f| f.status == FeedStatus::NotModified)
                                .count() as u64,
                            new_articles: report.new_articles() as u64,
                            updated_articles: report.updated_articles() as u64,
                            page_failures: report.page_failures() as u64,
                            failures: report
                                .failures_by_kind()
                                .into_iter()
                                .map(|(k, n)| (k, n as u64))
                                .collect(),
                        });
                        if !report.feeds.is_empty() {
                            info!(
                                feeds = report.feeds.len(),
                                new = report.new_articles(),
                                failed = report.failed_feeds(),
                                "ingest cycle"
                            );
                        }
                    }
                    Err(e) => error!(error = %e, "ingest cycle failed"),
                }
                tokio::time::sleep(tick).await;
            }
        })
    } else {
        // Workers store; this process indexes what they stored.
        tokio::spawn(async move {
            loop {
                let pipeline = Arc::clone(&pipeline);
                match tokio::task::spawn_blocking(move || pipeline.catch_up_index()).await {
                    Ok(Err(e)) => error!(error = %e, "indexing failed"),
                    Err(e) => error!(error = %e, "indexing stopped"),
                    Ok(Ok(_)) => {}
                }
                tokio::time::sleep(tick).await;
            }
        })
    };
    let state = AppState::new(
        Arc::clone(&site.store),
        Arc::clone(&site.index),
        config.site_config(),
        metrics,
    );
    // The peer's address reaches handlers: sign-in attempts are limited per address.
    let service =
        parallax_web::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let result = axum::serve(listener, service)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    scheduler.abort();
    result.context("serving the site")
}

/// `parallax worker`: polls the due feeds of the hosts it can lease and stores what is new,
/// cycle after cycle, until Ctrl-C. Many run at once against one PostgreSQL store; the
/// site's `serve` processes index what they store.
pub async fn worker(config: &Config) -> Result<()> {
    let store = open_store(config)?;
    let mut ingest = config.ingest_config()?;
    ingest.indexes = false;
    let name = ingest.worker.clone();
    let fetcher = parallax_fetch::Fetcher::new(config.fetch_config())?;
    let pipeline = Pipeline::new(
        Arc::clone(&store),
        Arc::new(SearchIndex::open_in_ram()?),
        fetcher,
        ingest,
    )?;
    let tick = Duration::from_secs(config.ingest.tick_secs.max(1));
    info!(worker = %name, "worker started");
    println!("Parallax worker {name} is polling (Ctrl-C to stop)");
    let polling = async {
        loop {
            match pipeline.run_cycle(Utc::now(), &Quiet).await {
                Ok(report) if !report.feeds.is_empty() => info!(
                    feeds = report.feeds.len(),
                    new = report.new_articles(),
                    failed = report.failed_feeds(),
                    "ingest cycle"
                ),
                Ok(_) => {}
                Err(e) => error!(error = %e, "ingest cycle failed"),
            }
            tokio::time::sleep(tick).await;
        }
    };
    tokio::select! {
        _ = polling => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    // Another worker may take the hosts at once instead of when the leases run out.
    store.release_leases(&name)?;
    Ok(())
}

pub async fn demo(mut config: Config, explicit_data_dir: bool, port: u16) -> Result<()> {
    // Without --data-dir the demo starts from nothing each time, and cleans up after itself.
    let _temp = if explicit_data_dir {
        None
    } else {
        let dir = tempfile::Builder::new()
            .prefix("parallax-demo-")
            .tempdir()?;
        config.data_dir = dir.path().to_path_buf();
        Some(dir)
    };
    // The demo's outlets run on this machine: no need to pace requests to them, and their
    // loopback addresses are allowed.
    config.fetch.host_min_gap_ms = 0;
    config.fetch.allow_private_addresses = true;
    let web = DemoWeb::start(DemoOptions::default()).await?;
    let site = open_site(&config)?;
    subscribe_demo_outlets(&web, site.store.as_ref())?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .with_context(|| format!("listening on 127.0.0.1:{port}"))?;
    println!(
        "Demo: {} fictional outlets started on loopback; ingesting their feeds…",
        web.outlets.len()
    );
    let pipeline = Arc::new(pipeline(&config, &site)?);
    let started = Instant::now();
    let report = pipeline
        .ingest_feeds(site.store.feeds()?, Utc::now(), &progress_bar())
        .await?;
    print_summary(&report, started.elapsed(), site.store.as_ref())?;
    println!(
        "\nParallax demo is serving http://{} (Ctrl-C to stop)",
        listener.local_addr()?
    );
    run_site(&config, &site, pipeline, listener).await
}

/// Registers the demo's outlets with their profiles and feeds.
pub fn subscribe_demo_outlets(web: &DemoWeb, store: &dyn Store) -> Result<()> {
    for running in &web.outlets {
        let outlet = &running.outlet;
        let source = store.upsert_source(&SourceProfile {
            name: outlet.name.clone(),
            domain: host_of(&running.base_url)?,
            country: Some(outlet.country.clone()),
            leaning: outlet.leaning.parse().ok(),
            language: Some(outlet.language.clone()),
            notes: Some(outlet.notes.clone()),
            obey_robots: true,
        })?;
        for url in &running.feed_urls {
            store.add_feed(source, url)?;
        }
    }
    Ok(())
}
