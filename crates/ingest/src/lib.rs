//! The pipeline: due feeds -> fetch -> feed -> extract -> cluster -> store -> search.
//!
//! One cycle fetches every due feed and the pages of its new entries concurrently, then stores
//! the new articles one at a time in publication order, so clustering sees a deterministic
//! arrival order. A feed's validators (ETag, Last-Modified) are saved only after its articles
//! are: a process killed mid-cycle fetches the feed in full again and loses nothing, and the
//! entries table makes sure it stores nothing twice.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use parallax_cluster::{ClusterConfig, Clusterer, Decision, Doc, Move};
use parallax_extract::{extract_with, html_to_text, SiteConfigs};
use parallax_feed::{parse_feed, Entry, ParsedFeed};
use parallax_fetch::{Fetcher, Outcome, Validators};
use parallax_model::url_norm::canonicalize_url;
use parallax_model::{ArticleDraft, ArticleId, ContentOrigin, Feed, FeedId};
use parallax_search::SearchIndex;
use parallax_store::{ClusteringMark, FeedSuccess, Store, StoryChange, StoryChoice};

mod discovery;
mod schedule;

pub use discovery::{discover, Discovered, DiscoveryError};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;
use tracing::{info, info_span, warn, Instrument};
use url::Url;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] parallax_store::Error),
    #[error(transparent)]
    Search(#[from] parallax_search::Error),
    #[error("a background task failed: {0}")]
    Task(String),
}

pub type Result<T> = std::result::Result<T, Error>;

#[derive(Debug, Clone)]
pub struct IngestConfig {
    /// Feeds fetched at once.
    pub feed_concurrency: usize,
    /// Article pages fetched at once.
    pub page_concurrency: usize,
    /// Time between two polls of a healthy feed until its posting rate is known.
    pub poll_interval: Duration,
    /// Bounds of the interval learned from a feed's posting rate, TTL and Cache-Control.
    pub min_interval: Duration,
    pub max_interval: Duration,
    /// First retry delay after a failure; doubles with each further failure.
    pub retry_base: Duration,
    pub retry_max: Duration,
    pub cluster: ClusterConfig,
    /// Per-site extraction rules (FiveFilters site configs) the operator keeps; none by
    /// default.
    pub site_rules: Arc<SiteConfigs>,
    /// This process's name on the hosts it leases (unique among the workers of one store).
    pub worker: String,
    /// How long a cycle's hosts stay leased without renewal (a killed worker's run out).
    pub lease: Duration,
    /// Hosts one cycle takes at most (the rest wait for the next cycle or another worker).
    pub max_hosts: u32,
    /// Keep the search index up to date. Off in a `parallax worker`: the site's processes
    /// index what workers store.
    pub indexes: bool,
    /// Retention: articles older than this lose their text and HTML after each cycle;
    /// `None` keeps every text.
    pub keep_texts: Option<Duration>,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            feed_concurrency: 8,
            page_concurrency: 8,
            poll_interval: Duration::minutes(15),
            min_interval: Duration::minutes(10),
            max_interval: Duration::hours(24),
            retry_base: Duration::minutes(5),
            retry_max: Duration::hours(6),
            cluster: ClusterConfig::default(),
            site_rules: Arc::default(),
            worker: default_worker_name(),
            lease: Duration::minutes(10),
            max_hosts: 10_000,
            indexes: true,
            keep_texts: None,
        }
    }
}

/// `parallax-PID-NANOS`: unique among processes that run at once.
pub fn default_worker_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("parallax-{}-{nanos}", std::process::id())
}

/// What happened to one feed in a cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedReport {
    pub feed: FeedId,
    pub url: String,
    pub status: FeedStatus,
    pub new_articles: usize,
    pub updated_articles: usize,
    /// Entries that turned out to be an article already stored (same canonical URL).
    pub duplicates: usize,
    /// Entries whose page could not be read; the feed's own content was kept.
    pub page_failures: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FeedStatus {
    /// Fetched and parsed; `changed` is false when nothing new or edited was in it.
    Fetched {
        changed: bool,
    },
    NotModified,
    Failed {
        reason: String,
        /// A stable name for counting: the fetch error's kind, "not_a_feed" or "store".
        kind: &'static str,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CycleReport {
    pub feeds: Vec<FeedReport>,
}

impl CycleReport {
    pub fn new_articles(&self) -> usize {
        self.feeds.iter().map(|f| f.new_articles).sum()
    }
    pub fn updated_articles(&self) -> usize {
        self.feeds.iter().map(|f| f.updated_articles).sum()
    }
    pub fn duplicates(&self) -> usize {
        self.feeds.iter().map(|f| f.duplicates).sum()
    }
    pub fn failed_feeds(&self) -> usize {
        self.feeds
            .iter()
            .filter(|f| matches!(f.status, FeedStatus::Failed { .. }))
            .count()
    }
    pub fn changed_feeds(&self) -> usize {
        self.feeds
            .iter()
            .filter(|f| f.status == FeedStatus::Fetched { changed: true })
            .count()
    }
    pub fn unchanged_feeds(&self) -> usize {
        self.feeds.len() - self.failed_feeds() - self.changed_feeds()
    }
    pub fn page_failures(&self) -> usize {
        self.feeds.iter().map(|f| f.page_failures).sum()
    }
    /// Failed feeds by the kind of failure.
    pub fn failures_by_kind(&self) -> std::collections::BTreeMap<&'static str, usize> {
        let mut kinds = std::collections::BTreeMap::new();
        for f in &self.feeds {
            if let FeedStatus::Failed { kind, .. } = f.status {
                *kinds.entry(kind).or_default() += 1;
            }
        }
        kinds
    }
}

/// Told about a cycle's progress (the CLI draws a progress bar with it).
pub trait Progress: Send + Sync {
    fn start(&self, _feeds: usize) {}
    fn feed_fetched(&self, _url: &str) {}
    fn finish(&self) {}
}

/// Reports nothing.
pub struct Quiet;
impl Progress for Quiet {}

/// A new or edited entry, read and ready to store.
struct Pending {
    draft: ArticleDraft,
    /// The stored article it edits, if any.
    edits: Option<ArticleId>,
    page_failed: bool,
}

/// What fetching one feed produced, before any page is read or anything stored.
struct FeedWork {
    feed: Feed,
    obey_robots: bool,
    result: std::result::Result<FetchedFeed, FeedFailure>,
}

// One value per feed per cycle, moved once: boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
enum FetchedFeed {
    /// A 304, or a body identical to the last one.
    NotModified { moved_to: Option<String> },
    Parsed {
        meta: FeedMeta,
        validators: Validators,
        body_hash: String,
        /// The interval the feed's posting rate, TTL and Cache-Control suggest.
        interval: schedule::Hints,
        moved_to: Option<String>,
        todo: Vec<Todo>,
        warnings: Vec<String>,
    },
}

/// Why a feed could not be read, and what it means for its schedule.
struct FeedFailure {
    reason: String,
    kind: &'static str,
    gone: bool,
    retry_after: Option<std::time::Duration>,
}

pub struct Pipeline {
    store: Arc<dyn Store>,
    index: Arc<SearchIndex>,
    fetcher: Fetcher,
    clusterer: Mutex<Clusterer>,
    /// The version of the editors' corrections the clusterer was built with.
    overrides_seen: AtomicI64,
    /// How far into the store's clustering journal the clusterer has followed: other
    /// workers' articles and merges and splits after it are not in it yet.
    synced: Mutex<ClusteringMark>,
    config: IngestConfig,
}

/// The clusterer as the store holds it: every stored article in its story, and the editors'
/// corrections; with the corrections' version and the journal's mark. The caller holds the
/// clustering lock, so no other worker changes stories meanwhile.
fn restore_clusterer(
    store: &dyn Store,
    config: &ClusterConfig,
) -> Result<(Clusterer, i64, ClusteringMark)> {
    // Read first: a correction made while the articles are read is seen on the next check.
    let overrides = store.story_overrides()?;
    let mark = store.clustering_mark()?;
    let mut clusterer = Clusterer::new(config.clone());
    // Stories further back than the clusterer keeps (two windows behind the stream) are
    // left in the store: a restart reads the active window, not the archive.
    let reach = chrono::Duration::hours(config.window_hours) * 3;
    for record in store.cluster_records(reach)? {
        learn_record(&mut clusterer, record);
    }
    clusterer.respect(
        overrides.locked.iter().map(|s| s.0),
        overrides.apart.iter().map(|(a, b)| (a.0, b.0)),
    );
    Ok((clusterer, overrides.version, mark))
}

/// Adds a stored article to the clusterer in the story the store has it in.
fn learn_record(clusterer: &mut Clusterer, record: parallax_store::ClusterRecord) {
    let doc = Doc {
        title: record.title,
        text: record.text,
        published: record.published,
        language: record.language,
    };
    let vector = clusterer.vectorize(&doc);
    clusterer.insert(record.article.0, record.story.0, &doc, &vector);
}

impl Pipeline {
    /// Builds the pipeline and restores the clusterer's state from the stored articles.
    pub fn new(
        store: Arc<dyn Store>,
        index: Arc<SearchIndex>,
        fetcher: Fetcher,
        config: IngestConfig,
    ) -> Result<Self> {
        let (clusterer, overrides_seen, mark) = {
            let _lock = store.lock_clustering()?;
            restore_clusterer(store.as_ref(), &config.cluster)?
        };
        Ok(Pipeline {
            store,
            index,
            fetcher,
            clusterer: Mutex::new(clusterer),
            overrides_seen: AtomicI64::new(overrides_seen),
            synced: Mutex::new(mark),
            config,
        })
    }

    /// Rebuilds the clusterer from the store if an editor corrected a story since it was
    /// built (from this process or another), so that later assignments respect it. The
    /// caller holds the clustering lock.
    fn follow_editors_locked(&self, clusterer: &mut Clusterer) -> Result<()> {
        let version = self.store.story_overrides()?.version;
        if version == self.overrides_seen.load(Ordering::Acquire) {
            return Ok(());
        }
        self.rebuild(clusterer)
    }

    /// The caller holds the clustering lock.
    fn rebuild(&self, clusterer: &mut Clusterer) -> Result<()> {
        let (rebuilt, seen, mark) = restore_clusterer(self.store.as_ref(), &self.config.cluster)?;
        *clusterer = rebuilt;
        self.overrides_seen.store(seen, Ordering::Release);
        *self.synced.lock().unwrap_or_else(|p| p.into_inner()) = mark;
        info!(version = seen, "clusterer rebuilt from the store");
        Ok(())
    }

    /// Brings the clusterer up to what other workers stored since it last looked: their
    /// merges and splits first, then their articles in the stories they are in now (so an
    /// article a later split moved lands where it is). The caller holds the clustering lock.
    fn follow_other_workers(&self, clusterer: &mut Clusterer) -> Result<()> {
        let mark = *self.synced.lock().unwrap_or_else(|p| p.into_inner());
        // Nothing written since this worker last looked (always so for a lone worker): two
        // index lookups instead of two reads.
        if self.store.clustering_mark()? == mark {
            return Ok(());
        }
        let changes = self.store.story_changes_after(mark.change)?;
        let records = self.store.cluster_records_after(mark.article)?;
        if changes.is_empty() && records.is_empty() {
            return Ok(());
        }
        for (_, change) in &changes {
            match change {
                StoryChange::Merged { from, into } => clusterer.merge(from.0, into.0),
                StoryChange::Split {
                    from,
                    into,
                    articles,
                } => {
                    let ids: Vec<i64> = articles.iter().map(|a| a.0).collect();
                    clusterer.split_off(from.0, &ids, into.0);
                }
            }
        }
        let learned = records.len();
        for record in records {
            learn_record(clusterer, record);
        }
        info!(
            articles = learned,
            changes = changes.len(),
            "followed other workers' clustering"
        );
        Ok(())
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Fetches the feeds due at `now` on the hosts this worker can lease, and stores what
    /// is new. The leases are renewed while the cycle runs and given up after it.
    pub async fn run_cycle(
        &self,
        now: DateTime<Utc>,
        progress: &dyn Progress,
    ) -> Result<CycleReport> {
        let owner = self.config.worker.as_str();
        let lease = self.config.lease;
        let feeds = self
            .store
            .claim_due_feeds(owner, now, now + lease, self.config.max_hosts)?;
        let renewing = {
            let store = Arc::clone(&self.store);
            let owner = owner.to_string();
            let every = lease.to_std().unwrap_or_default() / 3;
            tokio::spawn(async move {
                let started = std::time::Instant::now();
                loop {
                    tokio::time::sleep(every.max(std::time::Duration::from_secs(1))).await;
                    let ran = Duration::from_std(started.elapsed()).unwrap_or_default();
                    let until = now + ran + lease;
                    let store = Arc::clone(&store);
                    let owner = owner.clone();
                    let renewed =
                        tokio::task::spawn_blocking(move || store.renew_leases(&owner, until))
                            .await;
                    if let Ok(Err(e)) = renewed {
                        warn!(error = %e, "could not renew the hosts' leases");
                    }
                }
            })
        };
        let report = self.ingest_feeds(feeds, now, progress).await;
        renewing.abort();
        if let Some(keep) = self.config.keep_texts {
            match self.drop_old_texts(now - keep) {
                Ok(0) => {}
                Ok(dropped) => info!(dropped, "retention: old articles' texts dropped"),
                Err(e) => warn!(error = %e, "retention failed"),
            }
        }
        if let Err(e) = self.store.release_leases(owner) {
            // They run out by themselves.
            warn!(error = %e, "could not give up the hosts' leases");
        }
        report
    }

    /// Fetches the given feeds now, due or not.
    pub async fn ingest_feeds(
        &self,
        feeds: Vec<Feed>,
        now: DateTime<Utc>,
        progress: &dyn Progress,
    ) -> Result<CycleReport> {
        // Whatever an earlier, interrupted run stored but did not index comes first.
        self.catch_up_index()?;
        progress.start(feeds.len());
        let feed_slots = Arc::new(Semaphore::new(self.config.feed_concurrency.max(1)));
        let mut tasks = tokio::task::JoinSet::new();
        for feed in feeds {
            let fetcher = self.fetcher.clone();
            let store = Arc::clone(&self.store);
            let feed_slots = Arc::clone(&feed_slots);
            let span = info_span!("feed", id = feed.id.0, url = %feed.url);
            tasks.spawn(
                async move {
                    let _slot = feed_slots.acquire_owned().await;
                    // An outlet that cannot be looked up is asked robots.txt: the polite default.
                    let obey_robots = store
                        .source(feed.source_id)
                        .ok()
                        .flatten()
                        .is_none_or(|s| s.profile.obey_robots);
                    let result = fetch_feed(&fetcher, store.as_ref(), &feed).await;
                    FeedWork {
                        feed,
                        obey_robots,
                        result,
                    }
                }
                .instrument(span),
            );
        }
        let mut works = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            let work = joined.map_err(|e| Error::Task(e.to_string()))?;
            progress.feed_fetched(&work.feed.url);
            works.push(work);
        }
        works.sort_by_key(|w| w.feed.id);
        let report = self.store_works(works, now).await?;
        self.catch_up_index()?;
        progress.finish();
        Ok(report)
    }

    async fn store_works(&self, works: Vec<FeedWork>, now: DateTime<Utc>) -> Result<CycleReport> {
        let mut reports: Vec<FeedReport> = works
            .iter()
            .map(|w| FeedReport {
                feed: w.feed.id,
                url: w.feed.url.clone(),
                status: match &w.result {
                    Ok(FetchedFeed::NotModified { .. }) => FeedStatus::NotModified,
                    Ok(FetchedFeed::Parsed { todo, .. }) => FeedStatus::Fetched {
                        changed: !todo.is_empty(),
                    },
                    Err(failure) => FeedStatus::Failed {
                        reason: failure.reason.clone(),
                        kind: failure.kind,
                    },
                },
                new_articles: 0,
                updated_articles: 0,
                duplicates: 0,
                page_failures: 0,
            })
            .collect();

        // Every new or edited entry of the cycle, in publication order, whichever feed it
        // came from: that order is what the clusterer sees.
        let mut todo: Vec<(usize, Feed, bool, FeedMeta, Todo)> = Vec::new();
        let mut successes = Vec::new();
        for (i, work) in works.into_iter().enumerate() {
            let feed = &work.feed;
            match work.result {
                Ok(FetchedFeed::Parsed {
                    meta,
                    validators,
                    body_hash,
                    interval,
                    moved_to,
                    todo: items,
                    warnings,
                }) => {
                    for w in warnings {
                        warn!(feed = %feed.url, "{w}");
                    }
                    let learned = schedule::learn_interval(&interval, &self.config);
                    successes.push((
                        feed.id,
                        FeedSuccess {
                            title: meta.title.clone(),
                            etag: validators.etag,
                            last_modified: validators.last_modified,
                            body_hash: Some(body_hash),
                            fetched_at: now,
                            next_fetch: now + schedule::jittered(learned, feed.id),
                            poll_interval_secs: Some(learned.num_seconds()),
                            moved_to,
                        },
                    ));
                    todo.extend(
                        items
                            .into_iter()
                            .map(|t| (i, feed.clone(), work.obey_robots, meta.clone(), t)),
                    );
                }
                Ok(FetchedFeed::NotModified { moved_to }) => {
                    let interval = feed
                        .poll_interval_secs
                        .map(Duration::seconds)
                        .unwrap_or(self.config.poll_interval);
                    successes.push((
                        feed.id,
                        FeedSuccess {
                            title: None,
                            etag: feed.etag.clone(),
                            last_modified: feed.last_modified.clone(),
                            body_hash: None,
                            fetched_at: now,
                            next_fetch: now + schedule::jittered(interval, feed.id),
                            poll_interval_secs: None,
                            moved_to,
                        },
                    ));
                }
                Err(failure) if failure.gone => {
                    warn!(feed = %feed.url, "feed is gone (410); no longer polled");
                    self.store.record_feed_gone(feed.id, now)?;
                }
                Err(failure) => {
                    warn!(feed = %feed.url, reason = %failure.reason, "feed failed");
                    let delay = schedule::retry_delay(&self.config, feed, failure.retry_after);
                    self.store
                        .record_feed_failure(feed.id, &failure.reason, now, now + delay)?;
                }
            }
        }
        todo.sort_by(|a, b| {
            let key = |t: &Todo| {
                (
                    t.entry.published.or(t.entry.updated).unwrap_or(now),
                    t.entry.link.clone(),
                )
            };
            key(&a.4).cmp(&key(&b.4))
        });

        // Pages are fetched concurrently but stored strictly in the order above, each as soon
        // as it and all before it are read, together with those after it that are read
        // already: one turn of the clustering lock per run of them. Reading runs at most a
        // window ahead of storing, so a cycle with a long backlog holds a window of pages in
        // memory, not the backlog.
        let page_slots = Arc::new(Semaphore::new(self.config.page_concurrency.max(1)));
        let window = self.config.page_concurrency.max(1) * READ_AHEAD_PER_SLOT;
        // Pages take their slots in the order they are stored: spawned tasks start in any
        // order, and a page that takes its slot late holds up storing every page after it.
        // Each waits until the one before it has its slot (or is gone) before asking.
        let mut previous_slotted: Option<tokio::sync::oneshot::Receiver<()>> = None;
        let mut read = |(i, feed, obey_robots, meta, item): (usize, Feed, bool, FeedMeta, Todo)| {
            let fetcher = self.fetcher.clone();
            let slots = Arc::clone(&page_slots);
            let rules = Arc::clone(&self.config.site_rules);
            let (slotted, next) = tokio::sync::oneshot::channel();
            let before = previous_slotted.replace(next);
            let handle = tokio::spawn(async move {
                if let Some(before) = before {
                    // An error is a task that ended before its turn: the turn passes on.
                    let _ = before.await;
                }
                let _slot = slots.acquire_owned().await;
                let _ = slotted.send(());
                read_entry(&fetcher, &feed, obey_robots, &meta, &rules, item).await
            });
            (i, handle)
        };
        let mut todo = todo.into_iter();
        let mut reading = VecDeque::with_capacity(window);
        let mut unindexed = 0;
        loop {
            reading.extend(todo.by_ref().take(window - reading.len()).map(&mut read));
            let Some((i, handle)) = reading.pop_front() else {
                break;
            };
            let mut ready = vec![(i, joined(handle).await?)];
            while reading.front().is_some_and(|(_, h)| h.is_finished()) {
                if let Some((i, handle)) = reading.pop_front() {
                    ready.push((i, joined(handle).await?));
                }
            }
            unindexed += ready.len();
            self.store_items(ready, &mut reports, now)?;
            // A long cycle (a first run, a backlog) is searchable as it goes, not at its end.
            if unindexed >= INDEX_EVERY {
                self.catch_up_index()?;
                unindexed = 0;
            }
        }
        // Stories change only when articles join them: a cycle that stored none has nothing
        // new to merge.
        if reports.iter().any(|r| r.new_articles > 0) {
            self.run_passes()?;
        }
        // Validators are saved last: a run killed before this point fetches the feeds in full
        // again, and the entries already stored are skipped.
        for (feed, success) in successes {
            self.store.record_feed_success(feed, &success)?;
        }
        Ok(CycleReport { feeds: reports })
    }

    /// Stores articles in order with the clustering lock held, so that the clusterer decides
    /// with every other worker's articles and changes in it, and no other worker decides
    /// meanwhile.
    fn store_items(
        &self,
        items: Vec<(usize, Pending)>,
        reports: &mut [FeedReport],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let _lock = self.follow_store()?;
        for (i, item) in items {
            let report = &mut reports[i];
            if item.page_failed {
                report.page_failures += 1;
            }
            match self.store_article(item, now)? {
                Stored::New => report.new_articles += 1,
                Stored::Updated => report.updated_articles += 1,
                Stored::Duplicate => report.duplicates += 1,
            }
        }
        self.mark_followed()
    }

    /// The merge, split and move passes, with the clustering lock held.
    fn run_passes(&self) -> Result<()> {
        let _lock = self.follow_store()?;
        self.merge_fragments();
        self.split_mixed_stories();
        self.move_strays();
        self.mark_followed()
    }

    /// Takes the clustering lock and brings the clusterer up to the store: the editors'
    /// corrections, the other workers' articles and changes.
    fn follow_store(&self) -> Result<parallax_store::ClusteringLock<'_>> {
        let lock = self.store.lock_clustering()?;
        let mut clusterer = self.clusterer.lock().unwrap_or_else(|p| p.into_inner());
        self.follow_editors_locked(&mut clusterer)?;
        self.follow_other_workers(&mut clusterer)?;
        Ok(lock)
    }

    /// Everything in the journal so far is in the clusterer now (this worker's own writes,
    /// made under the lock). The caller holds the lock.
    fn mark_followed(&self) -> Result<()> {
        *self.synced.lock().unwrap_or_else(|p| p.into_inner()) = self.store.clustering_mark()?;
        Ok(())
    }

    fn store_article(&self, item: Pending, now: DateTime<Utc>) -> Result<Stored> {
        let draft = &item.draft;
        if let Some(id) = item.edits {
            self.store.update_article(id, draft)?;
            return Ok(Stored::Updated);
        }
        // Another feed (or an earlier run) may have stored the same page.
        if let Some(existing) = self.store.article_by_canonical_url(&draft.canonical_url)? {
            self.store
                .link_entry(draft.feed_id, &draft.guid, &draft.entry_hash, existing)?;
            return Ok(Stored::Duplicate);
        }
        let doc = Doc {
            title: draft.title.clone(),
            text: draft.text.clone(),
            // A date ahead of the clock is a typo or a lie; the article arrives now.
            published: draft
                .published
                .filter(|p| *p <= now + chrono::Duration::days(1))
                .unwrap_or(now),
            language: draft.language.clone(),
        };
        let mut clusterer = self.clusterer.lock().unwrap_or_else(|p| p.into_inner());
        let mut vector = clusterer.vectorize(&doc);
        let mut decision = clusterer.decide(&doc, &vector);
        let choice = |decision: &Decision| match decision.story() {
            Some(story) => StoryChoice::Existing(parallax_model::StoryId(story)),
            None => StoryChoice::New,
        };
        let (article, story) = match self.store.insert_article(draft, choice(&decision)) {
            // An editor merged the story away since the clusterer last looked: it learns the
            // store's stories again and decides once more.
            Err(parallax_store::Error::NotFound { what: "story", .. }) => {
                self.rebuild(&mut clusterer)?;
                vector = clusterer.vectorize(&doc);
                decision = clusterer.decide(&doc, &vector);
                self.store.insert_article(draft, choice(&decision))?
            }
            stored => stored?,
        };
        clusterer.insert(article.0, story.0, &doc, &vector);
        if let Decision::Copy(copy) = decision {
            self.store.mark_copy(article, ArticleId(copy.article))?;
        }
        Ok(Stored::New)
    }

    /// Joins stories that turned out to be fragments of one (the clusterer's merge pass),
    /// in the store too. A merge the store refuses is logged and left: the clusterer is
    /// rebuilt from the store on the next start.
    fn merge_fragments(&self) {
        let merges = self
            .clusterer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .merge_pass();
        for (from, into) in merges {
            let (from, into) = (parallax_model::StoryId(from), parallax_model::StoryId(into));
            match self.store.merge_stories(from, into) {
                Ok(()) => info!(from = from.0, into = into.0, "merged stories"),
                Err(e) => {
                    warn!(from = from.0, into = into.0, error = %e, "could not merge stories")
                }
            }
        }
    }

    /// Parts stories that turned out to hold two events (the clusterer's split pass), in
    /// the store first: a split the store refuses is logged and left out of the clusterer
    /// too, so the two never disagree.
    fn split_mixed_stories(&self) {
        let mut clusterer = self.clusterer.lock().unwrap_or_else(|p| p.into_inner());
        for (from, leaving) in clusterer.split_pass() {
            let articles: Vec<ArticleId> = leaving.iter().copied().map(ArticleId).collect();
            match self
                .store
                .split_story(parallax_model::StoryId(from), &articles)
            {
                Ok(into) => {
                    info!(
                        from,
                        into = into.0,
                        articles = articles.len(),
                        "split story"
                    );
                    clusterer.split_off(from, &leaving, into.0);
                }
                Err(e) => warn!(from, error = %e, "could not split story"),
            }
        }
    }

    /// Moves articles that fit another story better than their own (the clusterer's move
    /// pass) with their copies, in the store first: they are split off into a story of their
    /// own, which then joins the other (a story they are all of just joins it). A step the store refuses
    /// is logged and left out of the clusterer too; a move cut short after its split leaves
    /// the article in a story of its own, in both.
    fn move_strays(&self) {
        let mut clusterer = self.clusterer.lock().unwrap_or_else(|p| p.into_inner());
        for Move {
            articles,
            from,
            into,
            alone,
        } in clusterer.move_pass()
        {
            let article = articles[0];
            let moving = if alone {
                parallax_model::StoryId(from)
            } else {
                let ids: Vec<ArticleId> = articles.iter().copied().map(ArticleId).collect();
                match self.store.split_story(parallax_model::StoryId(from), &ids) {
                    Ok(moving) => {
                        clusterer.split_off(from, &articles, moving.0);
                        moving
                    }
                    Err(e) => {
                        warn!(article, from, error = %e, "could not move article");
                        continue;
                    }
                }
            };
            match self
                .store
                .merge_stories(moving, parallax_model::StoryId(into))
            {
                Ok(()) => {
                    info!(
                        article,
                        copies = articles.len() - 1,
                        from,
                        into,
                        "moved article"
                    );
                    clusterer.merge(moving.0, into);
                }
                Err(e) => warn!(article, from, into, error = %e, "could not move article"),
            }
        }
    }

    /// Drops the texts of articles published before `before`, a thousand per transaction.
    pub fn drop_old_texts(&self, before: DateTime<Utc>) -> Result<u64> {
        let mut total = 0;
        loop {
            let dropped = self.store.drop_old_texts(before, 1000)?;
            total += dropped;
            if dropped < 1000 {
                return Ok(total);
            }
        }
    }

    /// Indexes every article the store wrote since the search index last committed, batch
    /// by batch, each committed with the store's position after it.
    pub fn catch_up_index(&self) -> Result<usize> {
        if !self.config.indexes {
            return Ok(0);
        }
        let mut total = 0;
        let mut position = self.index.position()?;
        loop {
            let changes = self.store.index_changes(position.as_deref(), 500)?;
            if changes.articles.is_empty() {
                return Ok(total);
            }
            self.index
                .index_articles_at(&changes.articles, &changes.position)?;
            total += changes.articles.len();
            info!(count = changes.articles.len(), "indexed articles");
            position = Some(changes.position);
        }
    }
}

/// Pages read ahead of storing, per page slot: enough that a slow page does not idle the
/// others, few enough that a long backlog is not held in memory.
const READ_AHEAD_PER_SLOT: usize = 8;

/// Articles stored between two catch-ups of the search index within a cycle.
const INDEX_EVERY: usize = 1000;

async fn joined(handle: tokio::task::JoinHandle<Pending>) -> Result<Pending> {
    handle.await.map_err(|e| Error::Task(e.to_string()))
}

enum Stored {
    New,
    Updated,
    Duplicate,
}

async fn fetch_feed(
    fetcher: &Fetcher,
    store: &dyn Store,
    feed: &Feed,
) -> std::result::Result<FetchedFeed, FeedFailure> {
    let validators = Validators {
        etag: feed.etag.clone(),
        last_modified: feed.last_modified.clone(),
    };
    let fetched = match fetcher.get(&feed.url, &validators).await {
        Ok(Outcome::NotModified { redirects }) => {
            let moved_to = parallax_fetch::permanent_target(&redirects).map(|u| u.to_string());
            return Ok(FetchedFeed::NotModified { moved_to });
        }
        Ok(Outcome::Fetched(f)) => f,
        Err(e) => {
            return Err(FeedFailure {
                gone: matches!(e, parallax_fetch::Error::Gone),
                retry_after: e.retry_after(),
                reason: e.to_string(),
                kind: e.kind(),
            });
        }
    };
    let moved_to = fetched.permanent_location().map(|u| u.to_string());
    let body_hash = format!("{:x}", Sha256::digest(&fetched.body));
    if feed.body_hash.as_deref() == Some(body_hash.as_str()) {
        // Servers without validators still often send the same bytes: nothing to parse.
        return Ok(FetchedFeed::NotModified { moved_to });
    }
    let failure = |kind: &'static str, reason: String| FeedFailure {
        reason,
        kind,
        gone: false,
        retry_after: None,
    };
    let parsed = parse_feed(
        &fetched.body,
        Some(&fetched.final_url),
        fetched.content_type.as_deref(),
    )
    .map_err(|e| failure("not_a_feed", e.to_string()))?;
    let interval = schedule::Hints {
        entry_times: parsed
            .entries
            .iter()
            .filter_map(|e| e.published.or(e.updated))
            .collect(),
        ttl_minutes: parsed.ttl_minutes,
        max_age: fetched.max_age,
    };
    let mut todo = Vec::new();
    for entry in &parsed.entries {
        let hash = entry.content_hash().to_string();
        let known = store
            .entry(feed.id, &entry.id)
            .map_err(|e| failure("store", format!("store: {e}")))?;
        match known {
            Some((_, stored_hash)) if stored_hash == hash => continue,
            Some((article, _)) => todo.push(Todo {
                entry: entry.clone(),
                hash,
                edits: Some(article),
            }),
            None => todo.push(Todo {
                entry: entry.clone(),
                hash,
                edits: None,
            }),
        }
    }
    Ok(FetchedFeed::Parsed {
        meta: FeedMeta::of(&parsed),
        validators: fetched.validators.clone(),
        body_hash,
        interval,
        moved_to,
        todo,
        warnings: parsed.warnings,
    })
}

/// An entry that is new, or edited since it was stored.
struct Todo {
    entry: Entry,
    hash: String,
    edits: Option<ArticleId>,
}

/// The feed-level facts an entry's article falls back on.
#[derive(Clone)]
struct FeedMeta {
    title: Option<String>,
    language: Option<String>,
}

impl FeedMeta {
    fn of(feed: &ParsedFeed) -> Self {
        FeedMeta {
            title: feed.title.clone(),
            language: feed.language.clone(),
        }
    }
}

/// Fetches and extracts an entry's page; where that fails, the feed's own content is kept.
async fn read_entry(
    fetcher: &Fetcher,
    feed: &Feed,
    obey_robots: bool,
    meta: &FeedMeta,
    rules: &Arc<SiteConfigs>,
    todo: Todo,
) -> Pending {
    let Todo { entry, hash, edits } = todo;
    let feed_html = entry
        .content
        .clone()
        .or_else(|| entry.summary.clone())
        .unwrap_or_default();
    let feed_text = html_to_text(&feed_html);
    let page = match &entry.link {
        Some(link) => match fetcher.get_page(link, obey_robots).await {
            Ok(f) => {
                let final_url = f.final_url.clone();
                let rules = Arc::clone(rules);
                // Decoded where it is read, off the async threads: a page of many megabytes
                // is neither decoded on them nor copied to cross over.
                let extracted = tokio::task::spawn_blocking(move || {
                    let charset = f
                        .content_type
                        .as_deref()
                        .and_then(parallax_text::charset::http_charset);
                    let html = parallax_text::charset::decode(&f.body, charset).text;
                    let site = f.final_url.host_str().and_then(|h| rules.for_host(h));
                    extract_with(&html, Some(&f.final_url), site)
                });
                match extracted.await {
                    Ok(Ok(extracted)) => Ok((extracted, final_url)),
                    Ok(Err(e)) => Err(e.to_string()),
                    Err(e) => Err(format!("extraction crashed: {e}")),
                }
            }
            Err(e) => Err(e.to_string()),
        },
        None => Err("entry has no link".into()),
    };
    let link = entry
        .link
        .clone()
        .unwrap_or_else(|| format!("{}#{}", feed.url, entry.id));
    let mut draft = ArticleDraft {
        source_id: feed.source_id,
        feed_id: feed.id,
        guid: entry.id.clone(),
        entry_hash: hash,
        url: link.clone(),
        canonical_url: canonicalize_url(&link),
        title: entry.title.clone().unwrap_or_default(),
        authors: entry
            .authors
            .iter()
            .filter_map(|a| a.name.clone())
            .collect(),
        published: entry.published.or(entry.updated),
        modified: entry
            .updated
            .filter(|u| entry.published.is_some_and(|p| p != *u)),
        site_name: meta.title.clone(),
        language: meta
            .language
            .as_deref()
            .map(|l| l.split(['-', '_']).next().unwrap_or(l).to_ascii_lowercase()),
        image: entry
            .enclosures
            .iter()
            .find(|e| {
                e.media_type
                    .as_deref()
                    .is_some_and(|t| t.starts_with("image/"))
            })
            .map(|e| e.url.clone()),
        description: entry
            .summary
            .as_deref()
            .map(html_to_text)
            .filter(|s| !s.is_empty()),
        text: feed_text.clone(),
        html: feed_html,
        origin: ContentOrigin::Feed,
        partial: false,
        categories: entry.categories.clone(),
    };
    let page_failed = match page {
        Ok((x, final_url)) => {
            // A page shorter than the feed's own text is a paywall or a script-built page:
            // the feed's text is kept, and neither is known to be the whole article. A page
            // that marks itself for subscribers may show only a teaser.
            if x.text.chars().count() >= feed_text.chars().count() {
                draft.text = x.text;
                draft.html = x.html;
                draft.origin = ContentOrigin::Page;
                draft.partial = x.paywalled;
            } else {
                draft.partial = true;
            }
            if let Some(title) = x.title {
                if draft.title.is_empty() {
                    draft.title = title;
                }
            }
            if !x.authors.is_empty() {
                draft.authors = x.authors;
            }
            draft.published = draft.published.or(x.published);
            draft.modified = x.modified.or(draft.modified);
            draft.site_name = x.site_name.or(draft.site_name);
            draft.language = x.language.or(draft.language);
            draft.image = x.image.or(draft.image);
            draft.description = x.description.or(draft.description);
            if draft.categories.is_empty() {
                draft
                    .categories
                    .extend(x.section.or_else(|| x.keywords.first().cloned()));
            }
            // The page's own canonical URL counts only on the page's own host: a republisher
            // pointing at the original must not be merged into it as the same article.
            if let Some(canonical) = x.canonical_url.and_then(|c| Url::parse(&c).ok()) {
                if canonical.host_str() == final_url.host_str() {
                    draft.canonical_url = canonicalize_url(canonical.as_str());
                }
            }
            false
        }
        Err(reason) => {
            warn!(url = %link, %reason, "page unreadable; keeping the feed's content");
            true
        }
    };
    if draft.title.is_empty() {
        draft.title = draft
            .text
            .split_whitespace()
            .take(12)
            .collect::<Vec<_>>()
            .join(" ");
    }
    Pending {
        draft,
        edits,
        page_failed,
    }
}
