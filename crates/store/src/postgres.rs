//! The PostgreSQL store: one database shared by many processes (`parallax worker`, `parallax
//! serve`), migrations applied on open under a lock, a small pool of connections.
//!
//! The `postgres` client blocks on a runtime of its own, which tokio forbids inside an async
//! task; a call made from one runs on a short-lived thread of its own instead.

use std::str::FromStr;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use parallax_model::{
    Article, ArticleDraft, ArticleId, Category, CategoryId, ContentOrigin, Feed, FeedId,
    FeedStatus, Source, SourceId, SourceProfile, Story, StoryId,
};
use postgres::error::SqlState;
use postgres::{NoTls, Row};

use cached::{Conn, Sql, Tx};

use crate::summary::{summarize, Filing, Member, Rule, Totals, MEMBERS_WEIGHED};
use crate::{
    article_list, json_list, read_position, reader_column, story_change, to_json, ApiToken,
    AuditEntry, CategoryRule, ClusterRecord, ClusteringLock, ClusteringMark, Error, FeedSuccess,
    IndexChanges, ReaderFlag, Result, RuleKind, Session, Stats, Store, StoryChange, StoryChoice,
    StoryOverrides, StoryQuery, Version, CLUSTER_RECORD_COLS,
};

/// Schema versions in order; each is applied once, in a transaction.
mod cached;

const MIGRATIONS: &[&str] = &[
    include_str!("postgres/migration_1.sql"),
    include_str!("postgres/migration_2.sql"),
    include_str!("postgres/migration_3.sql"),
    include_str!("postgres/migration_4.sql"),
    include_str!("postgres/migration_5.sql"),
];

/// The advisory lock key under which one process at a time migrates.
const MIGRATION_LOCK: i64 = 0x7061_7261_6c6c_6178; // "parallax"

/// The advisory lock key under which one process at a time clusters.
const CLUSTERING_LOCK: i64 = 0x7061_7261_6c6c_6179;

/// Connections kept open between calls.
const MAX_IDLE: usize = 8;

/// Tries of a call that failed on a dropped connection, a deadlock or a serialization
/// failure: the transaction was rolled back, so trying again writes nothing twice. The
/// waits between them grow (`RETRY_WAIT` times the attempt), giving a restarting server or
/// a flapping network a moment.
const ATTEMPTS: usize = 5;
const RETRY_WAIT: std::time::Duration = std::time::Duration::from_millis(25);

pub struct PostgresStore {
    config: postgres::Config,
    /// What error messages name: host and database, never the password.
    target: String,
    idle: Mutex<Vec<Conn>>,
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user@host:port/db`, libpq's keywords also work) and
    /// brings the schema up to date.
    pub fn open(url: &str) -> Result<Self> {
        let config = postgres::Config::from_str(url).map_err(|e| Error::Connect {
            target: "the database URL".into(),
            reason: e.to_string(),
        })?;
        let target = describe(&config);
        let store = PostgresStore {
            config,
            target,
            idle: Mutex::new(Vec::new()),
        };
        store.with(migrate)?;
        Ok(store)
    }

    fn connect(&self) -> Result<Conn> {
        self.config
            .connect(NoTls)
            .map(Conn::new)
            .map_err(|e| Error::Connect {
                target: self.target.clone(),
                reason: e.to_string(),
            })
    }

    fn idle(&self) -> MutexGuard<'_, Vec<Conn>> {
        // A pooled client is whole or closed; a panic elsewhere leaves nothing to repair.
        self.idle.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on a pooled connection, again on a fresh one if the connection dropped or the
    /// database asked for a retry.
    pub(crate) fn with<T: Send>(&self, f: impl Fn(&mut Conn) -> Result<T> + Sync) -> Result<T> {
        self.with_retry(|c, _| f(c))
    }

    /// As `with`, telling `f` whether this is a retry: the call before may have been done
    /// by the server with its answer lost on the way.
    fn with_retry<T: Send>(&self, f: impl Fn(&mut Conn, bool) -> Result<T> + Sync) -> Result<T> {
        off_runtime(|| {
            let mut attempt = 0;
            loop {
                attempt += 1;
                // A retry takes a new connection: the idle ones may have broken as this one did.
                let client = if attempt == 1 {
                    self.take()
                } else {
                    std::thread::sleep(RETRY_WAIT * (attempt as u32 - 1));
                    self.connect()
                };
                let mut client = match client {
                    Ok(client) => client,
                    // A connection that broke while being made: one more attempt.
                    Err(e @ Error::Connect { .. }) if attempt < ATTEMPTS => {
                        tracing::warn!(error = %e, attempt, "connecting failed; trying again");
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                match f(&mut client, attempt > 1) {
                    Err(Error::Postgres(e)) if attempt < ATTEMPTS && is_transient(&e) => {
                        tracing::warn!(error = %e, attempt, "database call failed; trying again");
                    }
                    result => {
                        self.give_back(client);
                        return result;
                    }
                }
            }
        })
    }

    /// Runs `f` once on a pooled connection (a call that streams rows to its caller, which
    /// cannot be taken back and tried again).
    pub(crate) fn with_once<T: Send>(
        &self,
        f: impl FnOnce(&mut Conn) -> Result<T> + Send,
    ) -> Result<T> {
        off_runtime(|| {
            let mut client = self.take()?;
            let result = f(&mut client);
            self.give_back(client);
            result
        })
    }

    fn take(&self) -> Result<Conn> {
        match self.idle().pop().filter(|c| !c.is_closed()) {
            Some(client) => Ok(client),
            None => self.connect(),
        }
    }

    fn give_back(&self, client: Conn) {
        let mut idle = self.idle();
        if !client.is_closed() && idle.len() < MAX_IDLE {
            idle.push(client);
        }
    }

    fn with_tx<T: Send>(&self, f: impl Fn(&mut Tx<'_>) -> Result<T> + Sync) -> Result<T> {
        self.transact(true, |tx, _| f(tx))
    }

    /// A transaction of ingestion's article writes, committed without waiting for the disk
    /// (`synchronous_commit = off`). A server crash may lose the last moments of them, each
    /// whole or not at all, and what it loses is fetched again: a feed's validators are saved
    /// after its articles by a durable commit, which flushes every commit before it. SQLite's
    /// `synchronous = NORMAL` makes the same trade.
    /// `f` is told whether this is a retry (see `with_retry`).
    fn with_ingest_tx<T: Send>(
        &self,
        f: impl Fn(&mut Tx<'_>, bool) -> Result<T> + Sync,
    ) -> Result<T> {
        self.transact(false, f)
    }

    /// Articles after `after` for the clusterer, a page at a time. The limit keeps the
    /// statement's cached, generic plan an index scan: without one, PostgreSQL plans a
    /// prepared `id > $1` for a third of the table, and scanned and sorted it on every call.
    fn cluster_records_page(&self, after: i64) -> Result<Vec<ClusterRecord>> {
        self.with(|c| {
            rows(
                c.query(
                    &format!(
                        "SELECT {CLUSTER_RECORD_COLS} FROM articles WHERE id > $1 \
                         ORDER BY id LIMIT $2"
                    ),
                    &[&after, &RECORDS_PAGE],
                )?,
                cluster_record,
            )
        })
    }

    fn transact<T: Send>(
        &self,
        durable: bool,
        f: impl Fn(&mut Tx<'_>, bool) -> Result<T> + Sync,
    ) -> Result<T> {
        self.with_retry(|client, retry| {
            let mut tx = client.transaction()?;
            if !durable {
                tx.batch_execute("SET LOCAL synchronous_commit = off")?;
            }
            let value = f(&mut tx, retry)?;
            tx.commit()?;
            Ok(value)
        })
    }
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        // A client closes its connection on its own runtime as it drops.
        let idle = std::mem::take(&mut *self.idle());
        off_runtime(move || drop(idle));
    }
}

/// Runs `run` where the client's own runtime may block: here, outside tokio; on a worker
/// of a multi-threaded tokio runtime, here too, once the worker's other tasks are handed
/// off (`block_in_place`); else (a single-threaded runtime) on a thread of its own.
pub(crate) fn off_runtime<T: Send>(run: impl FnOnce() -> T + Send) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current().map(|h| h.runtime_flavor()) {
        Err(_) => run(),
        Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(run),
        Ok(_) => std::thread::scope(|s| s.spawn(run).join())
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
    }
}

/// A cluster record from its columns (id, story, title, text, time, language).
fn cluster_record(r: &postgres::Row) -> Result<ClusterRecord> {
    Ok(ClusterRecord {
        article: ArticleId(r.try_get(0)?),
        story: StoryId(r.try_get(1)?),
        title: r.try_get(2)?,
        text: r.try_get(3)?,
        published: r.try_get(4)?,
        language: r.try_get(5)?,
    })
}

/// Host, port and database of a connection, for messages.
fn describe(config: &postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config.get_dbname().unwrap_or("(default)");
    format!("PostgreSQL at {host}:{port}/{db}")
}

fn is_transient(e: &postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    match e.code() {
        Some(code) => [
            SqlState::T_R_SERIALIZATION_FAILURE,
            SqlState::T_R_DEADLOCK_DETECTED,
            SqlState::ADMIN_SHUTDOWN,
        ]
        .contains(code),
        // No answer from the server at all: the connection broke.
        None => std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>()),
    }
}

fn migrate(client: &mut Conn) -> Result<()> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")?;
    let current: i64 = tx
        .query_one("SELECT COALESCE(MAX(version), 0) FROM schema_version", &[])?
        .try_get(0)?;
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        let version = i as i64 + 1;
        if version <= current {
            continue;
        }
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[&version],
        )?;
    }
    // Names the host of every feed that has none yet (feeds of a schema before version 2).
    let feeds: Vec<(i64, String)> = tx
        .query("SELECT id, url FROM feeds WHERE host IS NULL", &[])?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<_>>()?;
    for (id, url) in feeds {
        set_host(&mut tx, FeedId(id), &url)?;
    }
    tx.commit()?;
    Ok(())
}

/// Records the host of a feed's URL, and the host itself for leases.
fn set_host(client: &mut impl Sql, feed: FeedId, url: &str) -> Result<()> {
    let host = parallax_model::url_norm::url_host(url);
    client.execute(
        "INSERT INTO hosts (name) VALUES ($1) ON CONFLICT (name) DO NOTHING",
        &[&host],
    )?;
    client.execute(
        "UPDATE feeds SET host = $2 WHERE id = $1",
        &[&feed.0, &host],
    )?;
    Ok(())
}

/// Journals a clusterer's merge or split for the other processes' clusterers.
fn journal(
    tx: &mut Tx<'_>,
    kind: &str,
    from: StoryId,
    into: StoryId,
    articles: &[ArticleId],
) -> Result<()> {
    let list = article_list(articles);
    tx.execute(
        "INSERT INTO story_changes (kind, from_story, into_story, articles) VALUES ($1, $2, $3, $4)",
        &[&kind, &from.0, &into.0, &list],
    )?;
    Ok(())
}

/// The clustering lock's connection; dropping it unlocks.
struct HeldClustering<'a> {
    store: &'a PostgresStore,
    client: Option<Conn>,
}

impl Drop for HeldClustering<'_> {
    fn drop(&mut self) {
        let Some(mut client) = self.client.take() else {
            return;
        };
        off_runtime(|| {
            match client.execute("SELECT pg_advisory_unlock($1)", &[&CLUSTERING_LOCK]) {
                Ok(_) => self.store.give_back(client),
                // Closing the connection unlocks too.
                Err(e) => {
                    tracing::warn!(error = %e, "could not unlock clustering; connection closed")
                }
            }
        });
    }
}

const SOURCE_COLS: &str = "id, name, domain, country, leaning, language, notes, obey_robots";

/// A source from `SOURCE_COLS` starting at column `at`.
fn source_from_row(row: &Row, at: usize) -> Result<Source> {
    let leaning: Option<String> = row.try_get(at + 4)?;
    Ok(Source {
        id: SourceId(row.try_get(at)?),
        profile: SourceProfile {
            name: row.try_get(at + 1)?,
            domain: row.try_get(at + 2)?,
            country: row.try_get(at + 3)?,
            leaning: leaning.and_then(|l| l.parse().ok()),
            language: row.try_get(at + 5)?,
            notes: row.try_get(at + 6)?,
            obey_robots: row.try_get(at + 7)?,
        },
    })
}

const FEED_COLS: &str = "id, source_id, url, title, etag, last_modified, last_fetched, \
    last_success, last_error, error_count, next_fetch, status, poll_interval_secs, folder, body_hash";

fn feed_from_row(row: &Row) -> Result<Feed> {
    let error_count: i64 = row.try_get(9)?;
    Ok(Feed {
        id: FeedId(row.try_get(0)?),
        source_id: SourceId(row.try_get(1)?),
        url: row.try_get(2)?,
        title: row.try_get(3)?,
        etag: row.try_get(4)?,
        last_modified: row.try_get(5)?,
        last_fetched: row.try_get(6)?,
        last_success: row.try_get(7)?,
        last_error: row.try_get(8)?,
        error_count: u32::try_from(error_count).unwrap_or(u32::MAX),
        next_fetch: row.try_get(10)?,
        status: match row.try_get::<_, &str>(11)? {
            "gone" => FeedStatus::Gone,
            "retired" => FeedStatus::Retired,
            _ => FeedStatus::Active,
        },
        poll_interval_secs: row.try_get(12)?,
        folder: row.try_get(13)?,
        body_hash: row.try_get(14)?,
    })
}

const ARTICLE_COLS: &str = "a.id, a.story_id, a.source_id, a.feed_id, a.guid, a.entry_hash, \
    a.url, a.canonical_url, a.title, a.authors, a.published, a.modified, a.site_name, \
    a.language, a.image, a.description, a.text, a.html, a.origin, a.categories, a.fetched_at, \
    a.partial, a.copy_of, a.text_dropped_at";

/// Articles read per statement by `cluster_records_after`.
const RECORDS_PAGE: i64 = 1000;

/// How many columns `ARTICLE_COLS` names.
const ARTICLE_COL_COUNT: usize = 24;

fn article_from_row(row: &Row) -> Result<Article> {
    let origin: &str = row.try_get(18)?;
    Ok(Article {
        id: ArticleId(row.try_get(0)?),
        story_id: StoryId(row.try_get(1)?),
        fetched_at: row.try_get(20)?,
        copy_of: row.try_get::<_, Option<i64>>(22)?.map(ArticleId),
        text_dropped_at: row.try_get(23)?,
        draft: ArticleDraft {
            source_id: SourceId(row.try_get(2)?),
            feed_id: FeedId(row.try_get(3)?),
            guid: row.try_get(4)?,
            entry_hash: row.try_get(5)?,
            url: row.try_get(6)?,
            canonical_url: row.try_get(7)?,
            title: row.try_get(8)?,
            authors: json_list("articles", row.try_get(9)?)?,
            published: row.try_get(10)?,
            modified: row.try_get(11)?,
            site_name: row.try_get(12)?,
            language: row.try_get(13)?,
            image: row.try_get(14)?,
            description: row.try_get(15)?,
            text: row.try_get(16)?,
            html: row.try_get(17)?,
            origin: origin
                .parse::<ContentOrigin>()
                .map_err(|reason| Error::Corrupt {
                    table: "articles",
                    reason,
                })?,
            partial: row.try_get(21)?,
            categories: json_list("articles", row.try_get(19)?)?,
        },
    })
}

const STORY_COLS: &str = "s.id, s.title, s.first_published, s.last_published, s.article_count, \
    s.source_count, c.id, c.slug, c.name, s.hidden, s.pinned";

fn story_from_row(row: &Row) -> Result<Story> {
    let count = |i: usize| -> Result<u32> {
        Ok(u32::try_from(row.try_get::<_, i64>(i)?).unwrap_or(u32::MAX))
    };
    let category = match row.try_get::<_, Option<i64>>(6)? {
        Some(id) => Some(Category {
            id: CategoryId(id),
            slug: row.try_get(7)?,
            name: row.try_get(8)?,
        }),
        None => None,
    };
    Ok(Story {
        id: StoryId(row.try_get(0)?),
        title: row.try_get(1)?,
        category,
        first_published: row.try_get(2)?,
        last_published: row.try_get(3)?,
        article_count: count(4)?,
        source_count: count(5)?,
        hidden: row.try_get(9)?,
        pinned: row.try_get(10)?,
    })
}

fn category_from_row(row: &Row) -> Result<Category> {
    Ok(Category {
        id: CategoryId(row.try_get(0)?),
        slug: row.try_get(1)?,
        name: row.try_get(2)?,
    })
}

fn rows<T>(rows: Vec<Row>, finish: impl Fn(&Row) -> Result<T>) -> Result<Vec<T>> {
    rows.iter().map(finish).collect()
}

fn not_found(what: &'static str, id: i64) -> Error {
    Error::NotFound { what, id }
}

/// A feed moves to the target of its permanent redirects only once they were seen on
/// `MOVE_CONFIRMATIONS` fetches in a row, and only if no other feed is already at that URL.
fn record_move(tx: &mut Tx<'_>, feed: FeedId, moved_to: Option<&str>) -> Result<()> {
    let Some(target) = moved_to else {
        tx.execute(
            "UPDATE feeds SET moved_to = NULL, moved_count = 0 WHERE id = $1",
            &[&feed.0],
        )?;
        return Ok(());
    };
    let row = tx.query_one(
        "SELECT moved_to, moved_count, EXISTS(SELECT 1 FROM feeds WHERE url = $2) \
         FROM feeds WHERE id = $1",
        &[&feed.0, &target],
    )?;
    let seen: Option<&str> = row.try_get(0)?;
    let count: i64 = row.try_get(1)?;
    let taken: bool = row.try_get(2)?;
    let count = if seen == Some(target) { count + 1 } else { 1 };
    if count >= crate::MOVE_CONFIRMATIONS && !taken {
        tx.execute(
            "UPDATE feeds SET url = $2, moved_to = NULL, moved_count = 0 WHERE id = $1",
            &[&feed.0, &target],
        )?;
        set_host(tx, feed, target)?;
        tracing::info!(feed = feed.0, url = target, "feed moved permanently");
    } else {
        tx.execute(
            "UPDATE feeds SET moved_to = $2, moved_count = $3 WHERE id = $1",
            &[&feed.0, &target, &count],
        )?;
    }
    Ok(())
}

/// Points a feed's entry at the article it became.
fn upsert_entry(
    client: &mut impl Sql,
    feed: FeedId,
    guid: &str,
    entry_hash: &str,
    article: ArticleId,
) -> Result<()> {
    client.execute(
        "INSERT INTO entries (feed_id, guid, article_id, entry_hash, seen_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (feed_id, guid) DO UPDATE \
         SET article_id = excluded.article_id, entry_hash = excluded.entry_hash",
        &[&feed.0, &guid, &article.0, &entry_hash, &Utc::now()],
    )?;
    Ok(())
}

/// Locks a story's row for the rest of the transaction, so that concurrent writers of one
/// story (two workers adding articles) recompute it one after the other.
fn lock_story(tx: &mut Tx<'_>, id: StoryId) -> Result<()> {
    tx.query_opt("SELECT id FROM stories WHERE id = $1 FOR UPDATE", &[&id.0])?
        .map(|_| ())
        .ok_or(not_found("story", id.0))
}

/// Moves every article of `from` into `into` and drops `from`; editors' overrides follow.
fn merge_in(tx: &mut Tx<'_>, from: StoryId, into: StoryId) -> Result<()> {
    if from == into {
        return Ok(());
    }
    // Locked in id order, so two merges of the same pair cannot deadlock.
    let (low, high) = if from.0 < into.0 {
        (from, into)
    } else {
        (into, from)
    };
    lock_story(tx, low)?;
    lock_story(tx, high)?;
    tx.execute(
        "UPDATE articles SET story_id = $2 WHERE story_id = $1",
        &[&from.0, &into.0],
    )?;
    tx.execute(
        "UPDATE story_overrides SET story = $2 WHERE story = $1",
        &[&from.0, &into.0],
    )?;
    tx.execute(
        "UPDATE story_overrides SET other = $2 WHERE other = $1",
        &[&from.0, &into.0],
    )?;
    // Two stories once kept apart are one now: the latest word wins.
    tx.execute(
        "DELETE FROM story_overrides WHERE kind = 'parted' AND story = other",
        &[],
    )?;
    refresh_story(tx, from)?;
    refresh_story(tx, into)?;
    Ok(())
}

fn add_override(tx: &mut Tx<'_>, kind: &str, story: StoryId, other: StoryId) -> Result<()> {
    tx.execute(
        "INSERT INTO story_overrides (kind, story, other, created_at) VALUES ($1, $2, $3, $4)",
        &[&kind, &story.0, &other.0, &Utc::now()],
    )?;
    Ok(())
}

/// Moves `articles` of `from` into a new story, which it returns.
fn split_in(tx: &mut Tx<'_>, from: StoryId, articles: &[ArticleId]) -> Result<StoryId> {
    let bad = |reason: String| Error::BadSplit {
        story: from.0,
        reason,
    };
    lock_story(tx, from)?;
    let mut moving: Vec<i64> = articles.iter().map(|a| a.0).collect();
    moving.sort_unstable();
    moving.dedup();
    if moving.is_empty() {
        return Err(bad("no articles to move".into()));
    }
    let held: Vec<i64> = tx
        .query("SELECT id FROM articles WHERE story_id = $1", &[&from.0])?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<std::result::Result<_, _>>()?;
    if moving.len() >= held.len() {
        return Err(bad("every article would leave it".into()));
    }
    if let Some(id) = moving.iter().find(|id| !held.contains(id)) {
        return Err(bad(format!("article {id} is not in it")));
    }
    let into: i64 = tx
        .query_one(
            "INSERT INTO stories (title, first_published, last_published, created_at) \
             SELECT title, COALESCE(published, fetched_at), COALESCE(published, fetched_at), $2 \
             FROM articles WHERE id = $1 RETURNING id",
            &[&moving[0], &Utc::now()],
        )?
        .try_get(0)?;
    tx.execute(
        "UPDATE articles SET story_id = $2 WHERE id = ANY($1)",
        &[&moving, &into],
    )?;
    // A copy belongs to its original's story; a link the split cut is dropped.
    tx.execute(
        "UPDATE articles SET copy_of = NULL WHERE story_id IN ($1, $2) AND copy_of IS NOT NULL \
         AND story_id <> (SELECT o.story_id FROM articles o WHERE o.id = articles.copy_of)",
        &[&from.0, &into],
    )?;
    refresh_story(tx, from)?;
    refresh_story(tx, StoryId(into))?;
    Ok(StoryId(into))
}

/// Recomputes a story's counts, dates, title and category from its articles; a story left
/// without articles is deleted. The caller holds the story's lock.
fn refresh_story(tx: &mut Tx<'_>, story: StoryId) -> Result<()> {
    let row = tx.query_one(
        "SELECT COUNT(*), COUNT(DISTINCT source_id), MIN(COALESCE(published, fetched_at)), \
         MAX(COALESCE(published, fetched_at)) FROM articles WHERE story_id = $1",
        &[&story.0],
    )?;
    let totals = match row.try_get::<_, Option<DateTime<Utc>>>(2)? {
        Some(first) => Some(Totals {
            articles: row.try_get(0)?,
            sources: row.try_get(1)?,
            first,
            last: row.try_get(3)?,
        }),
        None => None,
    };
    let members = tx
        .query(
            "SELECT title, source_id, categories, substr(text, 1, 600) FROM articles \
             WHERE story_id = $1 ORDER BY COALESCE(published, fetched_at), id LIMIT $2",
            &[&story.0, &MEMBERS_WEIGHED],
        )?
        .iter()
        .map(|r| {
            Ok(Member {
                title: r.try_get(0)?,
                source: r.try_get(1)?,
                categories: json_list("articles", r.try_get(2)?)?,
                lead: r.try_get(3)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let rules = tx
        .query(
            "SELECT kind, value, category_id FROM category_rules ORDER BY id",
            &[],
        )?
        .iter()
        .map(|r| {
            Ok(Rule {
                kind: r.try_get(0)?,
                value: r.try_get(1)?,
                category: r.try_get(2)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let Some(summary) = summarize(&members, totals, &rules) else {
        tx.execute("DELETE FROM stories WHERE id = $1", &[&story.0])?;
        return Ok(());
    };
    let category_id: Option<i64> = match summary.filing {
        Some(Filing::Rule(id)) => Some(id),
        Some(Filing::Named { slug, name }) => {
            tx.execute(
                "INSERT INTO categories (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING",
                &[&slug, &name],
            )?;
            Some(
                tx.query_one("SELECT id FROM categories WHERE slug = $1", &[&slug])?
                    .try_get(0)?,
            )
        }
        None => None,
    };
    tx.execute(
        // An editor's title and category stay as articles join.
        "UPDATE stories SET title = COALESCE(title_override, $2), first_published = $3, \
         last_published = $4, article_count = $5, source_count = $6, \
         category_id = COALESCE(category_override, $7) WHERE id = $1",
        &[
            &story.0,
            &summary.title,
            &summary.first,
            &summary.last,
            &summary.articles,
            &summary.sources,
            &category_id,
        ],
    )?;
    Ok(())
}

/// Stories a changed rule may refile: the latest thousand (older ones keep their category
/// until an article joins them).
fn refresh_recent_stories(tx: &mut Tx<'_>) -> Result<()> {
    let ids: Vec<i64> = tx
        .query(
            "SELECT id FROM stories ORDER BY last_published DESC, id DESC LIMIT 1000 FOR UPDATE",
            &[],
        )?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<std::result::Result<_, _>>()?;
    for id in ids {
        refresh_story(tx, StoryId(id))?;
    }
    Ok(())
}

impl PostgresStore {
    /// Sets an editor's override column of a story and refreshes the story so that it shows
    /// at once.
    fn story_override<T: postgres::types::ToSql + Sync>(
        &self,
        id: StoryId,
        column: &'static str,
        value: impl Fn(&mut Tx<'_>) -> Result<Option<T>> + Sync,
    ) -> Result<()> {
        self.with_tx(|tx| {
            lock_story(tx, id)?;
            let value = value(tx)?;
            tx.execute(
                &format!("UPDATE stories SET {column} = $2 WHERE id = $1"),
                &[&id.0, &value],
            )?;
            refresh_story(tx, id)
        })
    }

    fn story_flag(&self, id: StoryId, column: &'static str, on: bool) -> Result<()> {
        let changed = self.with(|c| {
            Ok(c.execute(
                &format!("UPDATE stories SET {column} = $2 WHERE id = $1"),
                &[&id.0, &on],
            )?)
        })?;
        if changed == 0 {
            return Err(not_found("story", id.0));
        }
        Ok(())
    }
}

impl Store for PostgresStore {
    fn upsert_source(&self, p: &SourceProfile) -> Result<SourceId> {
        let leaning = p.leaning.map(|l| l.as_str());
        self.with(|c| {
            Ok(SourceId(
                c.query_one(
                    "INSERT INTO sources (name, domain, country, leaning, language, notes, \
                     obey_robots, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                     ON CONFLICT (name) DO UPDATE SET domain = excluded.domain, \
                     country = COALESCE(excluded.country, sources.country), \
                     leaning = COALESCE(excluded.leaning, sources.leaning), \
                     language = COALESCE(excluded.language, sources.language), \
                     notes = COALESCE(excluded.notes, sources.notes), \
                     obey_robots = excluded.obey_robots RETURNING id",
                    &[
                        &p.name,
                        &p.domain,
                        &p.country,
                        &leaning,
                        &p.language,
                        &p.notes,
                        &p.obey_robots,
                        &Utc::now(),
                    ],
                )?
                .try_get(0)?,
            ))
        })
    }

    fn update_source(&self, id: SourceId, p: &SourceProfile) -> Result<()> {
        let leaning = p.leaning.map(|l| l.as_str());
        let changed = self.with(|c| {
            c.execute(
                "UPDATE sources SET name = $2, domain = $3, country = $4, leaning = $5, \
                 language = $6, notes = $7, obey_robots = $8 WHERE id = $1",
                &[
                    &id.0,
                    &p.name,
                    &p.domain,
                    &p.country,
                    &leaning,
                    &p.language,
                    &p.notes,
                    &p.obey_robots,
                ],
            )
            .map_err(|e| {
                if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
                    Error::Duplicate(format!("an outlet named {:?}", p.name))
                } else {
                    e.into()
                }
            })
        })?;
        if changed == 0 {
            return Err(not_found("source", id.0));
        }
        Ok(())
    }

    fn set_feed_retired(&self, id: FeedId, retired: bool) -> Result<()> {
        // A gone feed stays gone; only a retired one comes back.
        let sql = if retired {
            "UPDATE feeds SET status = 'retired' WHERE id = $1 AND status = 'active'"
        } else {
            "UPDATE feeds SET status = 'active' WHERE id = $1 AND status = 'retired'"
        };
        let exists = self.with(|c| {
            c.execute(sql, &[&id.0])?;
            Ok(c.query_opt("SELECT id FROM feeds WHERE id = $1", &[&id.0])?
                .is_some())
        })?;
        if !exists {
            return Err(not_found("feed", id.0));
        }
        Ok(())
    }

    fn source(&self, id: SourceId) -> Result<Option<Source>> {
        self.with(|c| {
            c.query_opt(
                &format!("SELECT {SOURCE_COLS} FROM sources WHERE id = $1"),
                &[&id.0],
            )?
            .map(|r| source_from_row(&r, 0))
            .transpose()
        })
    }

    fn sources(&self) -> Result<Vec<Source>> {
        self.with(|c| {
            // Byte order, as SQLite sorts, whatever the database's collation.
            rows(
                c.query(
                    &format!("SELECT {SOURCE_COLS} FROM sources ORDER BY name COLLATE \"C\""),
                    &[],
                )?,
                |r| source_from_row(r, 0),
            )
        })
    }

    fn add_feed(&self, source: SourceId, url: &str) -> Result<FeedId> {
        self.with(|c| {
            let now = Utc::now();
            let inserted = c.execute(
                "INSERT INTO feeds (source_id, url, next_fetch, created_at) VALUES ($1, $2, $3, $3) \
                 ON CONFLICT (url) DO NOTHING",
                &[&source.0, &url, &now],
            )?;
            let id = FeedId(
                c.query_one("SELECT id FROM feeds WHERE url = $1", &[&url])?
                    .try_get(0)?,
            );
            if inserted > 0 {
                set_host(c, id, url)?;
            }
            Ok(id)
        })
    }

    fn feed(&self, id: FeedId) -> Result<Option<Feed>> {
        self.with(|c| {
            c.query_opt(
                &format!("SELECT {FEED_COLS} FROM feeds WHERE id = $1"),
                &[&id.0],
            )?
            .map(|r| feed_from_row(&r))
            .transpose()
        })
    }

    fn feeds(&self) -> Result<Vec<Feed>> {
        self.with(|c| {
            rows(
                c.query(&format!("SELECT {FEED_COLS} FROM feeds ORDER BY id"), &[])?,
                feed_from_row,
            )
        })
    }

    fn source_feeds(&self, source: SourceId) -> Result<Vec<Feed>> {
        self.with(|c| {
            rows(
                c.query(
                    &format!("SELECT {FEED_COLS} FROM feeds WHERE source_id = $1 ORDER BY id"),
                    &[&source.0],
                )?,
                feed_from_row,
            )
        })
    }

    fn due_feeds(&self, now: DateTime<Utc>) -> Result<Vec<Feed>> {
        self.with(|c| {
            rows(
                c.query(
                    &format!(
                        "SELECT {FEED_COLS} FROM feeds WHERE status = 'active' AND next_fetch <= $1 \
                         ORDER BY next_fetch, id"
                    ),
                    &[&now],
                )?,
                feed_from_row,
            )
        })
    }

    fn record_feed_success(&self, feed: FeedId, s: &FeedSuccess) -> Result<()> {
        self.with_tx(|tx| {
            tx.execute(
                "UPDATE feeds SET title = COALESCE($2, title), etag = $3, last_modified = $4, \
                 last_fetched = $5, last_success = $5, last_error = NULL, error_count = 0, \
                 next_fetch = $6, body_hash = COALESCE($7, body_hash), \
                 poll_interval_secs = COALESCE($8, poll_interval_secs) WHERE id = $1",
                &[
                    &feed.0,
                    &s.title,
                    &s.etag,
                    &s.last_modified,
                    &s.fetched_at,
                    &s.next_fetch,
                    &s.body_hash,
                    &s.poll_interval_secs,
                ],
            )?;
            record_move(tx, feed, s.moved_to.as_deref())
        })
    }

    fn record_feed_gone(&self, feed: FeedId, at: DateTime<Utc>) -> Result<()> {
        self.with(|c| {
            c.execute(
                "UPDATE feeds SET status = 'gone', last_fetched = $2, \
                 last_error = 'HTTP 410 Gone: no longer polled', error_count = error_count + 1 \
                 WHERE id = $1",
                &[&feed.0, &at],
            )?;
            Ok(())
        })
    }

    fn set_feed_folder(&self, feed: FeedId, folder: Option<&str>) -> Result<()> {
        self.with(|c| {
            c.execute(
                "UPDATE feeds SET folder = $2 WHERE id = $1",
                &[&feed.0, &folder],
            )?;
            Ok(())
        })
    }

    fn record_feed_failure(
        &self,
        feed: FeedId,
        reason: &str,
        at: DateTime<Utc>,
        next: DateTime<Utc>,
    ) -> Result<()> {
        self.with(|c| {
            c.execute(
                "UPDATE feeds SET last_fetched = $2, last_error = $3, \
                 error_count = error_count + 1, next_fetch = $4 WHERE id = $1",
                &[&feed.0, &at, &reason, &next],
            )?;
            Ok(())
        })
    }

    fn entry(&self, feed: FeedId, guid: &str) -> Result<Option<(ArticleId, String)>> {
        self.with(|c| {
            c.query_opt(
                "SELECT article_id, entry_hash FROM entries WHERE feed_id = $1 AND guid = $2",
                &[&feed.0, &guid],
            )?
            .map(|r| Ok((ArticleId(r.try_get(0)?), r.try_get(1)?)))
            .transpose()
        })
    }

    fn article_by_canonical_url(&self, canonical_url: &str) -> Result<Option<ArticleId>> {
        self.with(|c| {
            c.query_opt(
                "SELECT id FROM articles WHERE canonical_url = $1",
                &[&canonical_url],
            )?
            .map(|r| Ok(ArticleId(r.try_get(0)?)))
            .transpose()
        })
    }

    fn insert_article(&self, d: &ArticleDraft, story: StoryChoice) -> Result<(ArticleId, StoryId)> {
        self.with_ingest_tx(|tx, retry| {
            // The attempt before may have committed with its answer lost: this entry's
            // article is then stored already, and is the answer.
            if retry {
                if let Some(row) = tx.query_opt(
                    "SELECT a.id, a.story_id FROM articles a JOIN entries e ON e.article_id = a.id \
                     WHERE a.canonical_url = $1 AND e.feed_id = $2 AND e.guid = $3",
                    &[&d.canonical_url, &d.feed_id.0, &d.guid],
                )? {
                    return Ok((ArticleId(row.try_get(0)?), StoryId(row.try_get(1)?)));
                }
            }
            let now = Utc::now();
            let when = d.published.unwrap_or(now);
            let story_id = match story {
                StoryChoice::Existing(id) => {
                    lock_story(tx, id)?;
                    id
                }
                StoryChoice::New => StoryId(
                    tx.query_one(
                        "INSERT INTO stories (title, first_published, last_published, created_at) \
                         VALUES ($1, $2, $2, $3) RETURNING id",
                        &[&d.title, &when, &now],
                    )?
                    .try_get(0)?,
                ),
            };
            let article = ArticleId(
                tx.query_one(
                    "INSERT INTO articles (story_id, source_id, feed_id, guid, entry_hash, url, \
                     canonical_url, title, authors, published, modified, site_name, language, \
                     image, description, text, html, origin, categories, fetched_at, partial) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
                     $16, $17, $18, $19, $20, $21) RETURNING id",
                    &[
                        &story_id.0,
                        &d.source_id.0,
                        &d.feed_id.0,
                        &d.guid,
                        &d.entry_hash,
                        &d.url,
                        &d.canonical_url,
                        &d.title,
                        &to_json(&d.authors),
                        &d.published,
                        &d.modified,
                        &d.site_name,
                        &d.language,
                        &d.image,
                        &d.description,
                        &d.text,
                        &d.html,
                        &d.origin.as_str(),
                        &to_json(&d.categories),
                        &now,
                        &d.partial,
                    ],
                )?
                .try_get(0)?,
            );
            upsert_entry(tx, d.feed_id, &d.guid, &d.entry_hash, article)?;
            refresh_story(tx, story_id)?;
            Ok((article, story_id))
        })
    }

    fn link_entry(
        &self,
        feed: FeedId,
        guid: &str,
        entry_hash: &str,
        article: ArticleId,
    ) -> Result<()> {
        self.with(|c| upsert_entry(c, feed, guid, entry_hash, article))
    }

    fn update_article(&self, id: ArticleId, d: &ArticleDraft) -> Result<()> {
        // Writing the same content again is harmless: a retry needs no care.
        self.with_ingest_tx(|tx, _| {
            let story: i64 = tx
                .query_opt("SELECT story_id FROM articles WHERE id = $1", &[&id.0])?
                .ok_or(not_found("article", id.0))?
                .try_get(0)?;
            lock_story(tx, StoryId(story))?;
            tx.execute(
                "UPDATE articles SET title = $2, authors = $3, published = $4, modified = $5, \
                 site_name = $6, language = $7, image = $8, description = $9, text = $10, \
                 html = $11, origin = $12, categories = $13, entry_hash = $14, partial = $15 \
                 WHERE id = $1",
                &[
                    &id.0,
                    &d.title,
                    &to_json(&d.authors),
                    &d.published,
                    &d.modified,
                    &d.site_name,
                    &d.language,
                    &d.image,
                    &d.description,
                    &d.text,
                    &d.html,
                    &d.origin.as_str(),
                    &to_json(&d.categories),
                    &d.entry_hash,
                    &d.partial,
                ],
            )?;
            tx.execute(
                "UPDATE entries SET entry_hash = $3 WHERE feed_id = $1 AND guid = $2",
                &[&d.feed_id.0, &d.guid, &d.entry_hash],
            )?;
            refresh_story(tx, StoryId(story))
        })
    }

    fn article(&self, id: ArticleId) -> Result<Option<Article>> {
        self.with(|c| {
            c.query_opt(
                &format!("SELECT {ARTICLE_COLS} FROM articles a WHERE a.id = $1"),
                &[&id.0],
            )?
            .map(|r| article_from_row(&r))
            .transpose()
        })
    }

    fn source_articles(&self, source: SourceId, limit: u32) -> Result<Vec<Article>> {
        self.with(|c| {
            rows(
                c.query(
                    &format!(
                        "SELECT {ARTICLE_COLS} FROM articles a WHERE a.source_id = $1 \
                         ORDER BY COALESCE(a.published, a.fetched_at) DESC, a.id DESC LIMIT $2"
                    ),
                    &[&source.0, &i64::from(limit)],
                )?,
                article_from_row,
            )
        })
    }

    fn cluster_records(&self, window: chrono::Duration) -> Result<Vec<ClusterRecord>> {
        let latest: Option<DateTime<Utc>> = self.with(|c| {
            Ok(c.query_one(
                "SELECT MAX(last_published) FROM stories WHERE last_published <= $1",
                &[&(Utc::now() + chrono::Duration::days(1))],
            )?
            .try_get(0)?)
        })?;
        let Some(latest) = latest else {
            return Ok(Vec::new());
        };
        let since = latest - window;
        self.with(|c| {
            rows(
                c.query(
                    &format!(
                        "SELECT {CLUSTER_RECORD_COLS} FROM articles WHERE story_id IN \
                         (SELECT id FROM stories WHERE last_published >= $1) ORDER BY id"
                    ),
                    &[&since],
                )?,
                cluster_record,
            )
        })
    }

    fn cluster_records_after(&self, after: ArticleId) -> Result<Vec<ClusterRecord>> {
        let mut records = Vec::new();
        let mut last = after.0;
        loop {
            let page = self.cluster_records_page(last)?;
            let full = page.len() as i64 == RECORDS_PAGE;
            last = page.last().map_or(last, |r| r.article.0);
            records.extend(page);
            if !full {
                return Ok(records);
            }
        }
    }

    fn mark_copy(&self, article: ArticleId, of: ArticleId) -> Result<()> {
        if article == of {
            return Ok(());
        }
        self.with(|c| {
            if c.query_opt("SELECT id FROM articles WHERE id = $1", &[&of.0])?
                .is_none()
            {
                return Err(not_found("article", of.0));
            }
            let changed = c.execute(
                "UPDATE articles SET copy_of = $2 WHERE id = $1",
                &[&article.0, &of.0],
            )?;
            if changed == 0 {
                return Err(not_found("article", article.0));
            }
            Ok(())
        })
    }

    fn merge_stories(&self, from: StoryId, into: StoryId) -> Result<()> {
        self.with_tx(|tx| {
            merge_in(tx, from, into)?;
            journal(tx, "merged", from, into, &[])
        })
    }

    fn split_story(&self, from: StoryId, articles: &[ArticleId]) -> Result<StoryId> {
        self.with_tx(|tx| {
            let into = split_in(tx, from, articles)?;
            journal(tx, "split", from, into, articles)?;
            Ok(into)
        })
    }

    fn merge_stories_as_editor(&self, from: StoryId, into: StoryId) -> Result<()> {
        self.with_tx(|tx| {
            merge_in(tx, from, into)?;
            add_override(tx, "joined", into, from)
        })
    }

    fn split_story_as_editor(&self, from: StoryId, articles: &[ArticleId]) -> Result<StoryId> {
        self.with_tx(|tx| {
            let into = split_in(tx, from, articles)?;
            add_override(tx, "parted", from, into)?;
            Ok(into)
        })
    }

    fn story_overrides(&self) -> Result<StoryOverrides> {
        let found = self.with(|c| {
            rows(
                c.query(
                    "SELECT id, kind, story, other FROM story_overrides ORDER BY id",
                    &[],
                )?,
                |r| {
                    Ok((
                        r.try_get::<_, i64>(0)?,
                        r.try_get::<_, String>(1)?,
                        r.try_get::<_, i64>(2)?,
                        r.try_get::<_, i64>(3)?,
                    ))
                },
            )
        })?;
        Ok(StoryOverrides::from_rows(found))
    }

    fn drop_old_texts(&self, before: DateTime<Utc>, limit: u32) -> Result<u64> {
        self.with(|c| {
            Ok(c.execute(
                "UPDATE articles SET text = '', html = '', text_dropped_at = now() WHERE id IN \
                 (SELECT id FROM articles WHERE text_dropped_at IS NULL \
                  AND COALESCE(published, fetched_at) < $1 LIMIT $2)",
                &[&before, &i64::from(limit)],
            )?)
        })
    }

    fn index_changes(&self, position: Option<&str>, limit: u32) -> Result<IndexChanges> {
        let (changed, article) = read_position("postgres", position);
        let found = self.with(|c| {
            // Only writes of transactions older than every running one: a transaction
            // still running may yet commit below a later one's number.
            rows(
                c.query(
                    &format!(
                        "SELECT {ARTICLE_COLS}, a.changed FROM articles a \
                         WHERE (a.changed, a.id) > ($1, $2) \
                         AND a.changed < pg_snapshot_xmin(pg_current_snapshot())::text::bigint \
                         ORDER BY a.changed, a.id LIMIT $3"
                    ),
                    &[&changed, &article, &i64::from(limit)],
                )?,
                |r| {
                    Ok((
                        article_from_row(r)?,
                        r.try_get::<_, i64>(ARTICLE_COL_COUNT)?,
                    ))
                },
            )
        })?;
        let last = found
            .last()
            .map(|(a, changed)| (*changed, a.id.0))
            .unwrap_or((changed, article));
        Ok(IndexChanges {
            articles: found.into_iter().map(|(a, _)| a).collect(),
            position: format!("postgres:{}:{}", last.0, last.1),
        })
    }

    fn story(&self, id: StoryId) -> Result<Option<Story>> {
        self.with(|c| {
            c.query_opt(
                &format!(
                    "SELECT {STORY_COLS} FROM stories s \
                     LEFT JOIN categories c ON c.id = s.category_id WHERE s.id = $1"
                ),
                &[&id.0],
            )?
            .map(|r| story_from_row(&r))
            .transpose()
        })
    }

    fn stories(&self, q: &StoryQuery) -> Result<Vec<Story>> {
        let limit = i64::from(if q.limit == 0 { 50 } else { q.limit.min(1000) });
        let source = q.source.map(|s| s.0);
        self.with(|c| {
            rows(
                c.query(
                    &format!(
                        "SELECT {STORY_COLS} FROM stories s \
                         LEFT JOIN categories c ON c.id = s.category_id \
                         WHERE ($1::text IS NULL OR c.slug = $1) AND ($5 OR NOT s.hidden) \
                         AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM articles a \
                         WHERE a.story_id = s.id AND a.source_id = $2)) \
                         AND ($3::timestamptz IS NULL OR s.last_published < $3) \
                         ORDER BY s.last_published DESC, s.id DESC LIMIT $4"
                    ),
                    &[&q.category, &source, &q.before, &limit, &q.include_hidden],
                )?,
                story_from_row,
            )
        })
    }

    fn story_versions(&self, id: StoryId) -> Result<Vec<Version>> {
        self.with(|c| {
            rows(
                c.query(
                    &format!(
                        "SELECT {ARTICLE_COLS}, s.id, s.name, s.domain, s.country, s.leaning, \
                         s.language, s.notes, s.obey_robots \
                         FROM articles a JOIN sources s ON s.id = a.source_id \
                         WHERE a.story_id = $1 ORDER BY COALESCE(a.published, a.fetched_at), a.id"
                    ),
                    &[&id.0],
                )?,
                |r| {
                    Ok(Version {
                        article: article_from_row(r)?,
                        // The source's columns follow the article's.
                        source: source_from_row(r, ARTICLE_COL_COUNT)?,
                    })
                },
            )
        })
    }

    fn categories(&self) -> Result<Vec<Category>> {
        self.with(|c| {
            rows(
                c.query(
                    "SELECT id, slug, name FROM categories ORDER BY name COLLATE \"C\"",
                    &[],
                )?,
                category_from_row,
            )
        })
    }

    fn add_category_rule(&self, kind: RuleKind, value: &str, category: &str) -> Result<i64> {
        self.with_tx(|tx| {
            let category_id: i64 = tx
                .query_opt("SELECT id FROM categories WHERE slug = $1", &[&category])?
                .ok_or_else(|| Error::UnknownCategory(category.to_string()))?
                .try_get(0)?;
            let id: i64 = tx
                .query_one(
                    "INSERT INTO category_rules (kind, value, category_id) VALUES ($1, $2, $3) \
                     RETURNING id",
                    &[&kind.as_str(), &value, &category_id],
                )?
                .try_get(0)?;
            refresh_recent_stories(tx)?;
            Ok(id)
        })
    }

    fn category_rules(&self) -> Result<Vec<CategoryRule>> {
        self.with(|c| {
            rows(
                c.query(
                    "SELECT r.id, r.kind, r.value, c.id, c.slug, c.name FROM category_rules r \
                     JOIN categories c ON c.id = r.category_id ORDER BY r.id",
                    &[],
                )?,
                |r| {
                    let kind: &str = r.try_get(1)?;
                    Ok(CategoryRule {
                        id: r.try_get(0)?,
                        kind: RuleKind::parse(kind).ok_or(Error::Corrupt {
                            table: "category_rules",
                            reason: format!("unknown kind {kind:?}"),
                        })?,
                        value: r.try_get(2)?,
                        category: Category {
                            id: CategoryId(r.try_get(3)?),
                            slug: r.try_get(4)?,
                            name: r.try_get(5)?,
                        },
                    })
                },
            )
        })
    }

    fn delete_category_rule(&self, id: i64) -> Result<()> {
        self.with_tx(|tx| {
            if tx.execute("DELETE FROM category_rules WHERE id = $1", &[&id])? == 0 {
                return Err(not_found("category rule", id));
            }
            refresh_recent_stories(tx)
        })
    }

    fn create_category(&self, name: &str) -> Result<Category> {
        let slug = parallax_model::slugify(name);
        let id = self.with(|c| {
            c.query_opt(
                "INSERT INTO categories (slug, name) VALUES ($1, $2) \
                 ON CONFLICT (slug) DO NOTHING RETURNING id",
                &[&slug, &name],
            )?
            .map(|r| r.try_get::<_, i64>(0))
            .transpose()
            .map_err(Error::from)
        })?;
        match id {
            Some(id) => Ok(Category {
                id: CategoryId(id),
                slug,
                name: name.to_string(),
            }),
            None => Err(Error::Duplicate(format!("a category {slug:?}"))),
        }
    }

    fn rename_category(&self, slug: &str, name: &str) -> Result<()> {
        let changed = self.with(|c| {
            Ok(c.execute(
                "UPDATE categories SET name = $2 WHERE slug = $1",
                &[&slug, &name],
            )?)
        })?;
        if changed == 0 {
            return Err(Error::UnknownCategory(slug.to_string()));
        }
        Ok(())
    }

    fn category(&self, slug: &str) -> Result<Option<Category>> {
        self.with(|c| {
            c.query_opt(
                "SELECT id, slug, name FROM categories WHERE slug = $1",
                &[&slug],
            )?
            .map(|r| category_from_row(&r))
            .transpose()
        })
    }

    fn stats(&self) -> Result<Stats> {
        self.with(|c| {
            let r = c.query_one(
                "SELECT (SELECT COUNT(*) FROM sources), (SELECT COUNT(*) FROM feeds), \
                 (SELECT COUNT(*) FROM feeds WHERE last_error IS NOT NULL), \
                 (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM stories)",
                &[],
            )?;
            let n = |i: usize| -> Result<u64> { Ok(r.try_get::<_, i64>(i)?.max(0) as u64) };
            Ok(Stats {
                sources: n(0)?,
                feeds: n(1)?,
                failing_feeds: n(2)?,
                articles: n(3)?,
                stories: n(4)?,
            })
        })
    }

    fn set_story_hidden(&self, id: StoryId, hidden: bool) -> Result<()> {
        self.story_flag(id, "hidden", hidden)
    }

    fn set_story_pinned(&self, id: StoryId, pinned: bool) -> Result<()> {
        self.story_flag(id, "pinned", pinned)
    }

    fn set_story_title(&self, id: StoryId, title: Option<&str>) -> Result<()> {
        self.story_override(id, "title_override", |_| Ok(title))
    }

    fn set_story_category(&self, id: StoryId, slug: Option<&str>) -> Result<()> {
        self.story_override(id, "category_override", |tx| {
            slug.map(|slug| {
                let row = tx
                    .query_opt("SELECT id FROM categories WHERE slug = $1", &[&slug])?
                    .ok_or_else(|| Error::UnknownCategory(slug.to_string()))?;
                Ok(row.try_get::<_, i64>(0)?)
            })
            .transpose()
        })
    }

    fn set_article_hidden(&self, id: ArticleId, hidden: bool) -> Result<()> {
        self.with(|c| {
            if hidden {
                c.execute(
                    "INSERT INTO hidden_articles (article_id, hidden_at) VALUES ($1, $2) \
                     ON CONFLICT (article_id) DO NOTHING",
                    &[&id.0, &Utc::now()],
                )?;
            } else {
                c.execute(
                    "DELETE FROM hidden_articles WHERE article_id = $1",
                    &[&id.0],
                )?;
            }
            Ok(())
        })
    }

    fn hidden_articles(&self, story: StoryId) -> Result<Vec<ArticleId>> {
        self.with(|c| {
            rows(
                c.query(
                    "SELECT h.article_id FROM hidden_articles h \
                     JOIN articles a ON a.id = h.article_id \
                     WHERE a.story_id = $1 ORDER BY h.article_id",
                    &[&story.0],
                )?,
                |r| Ok(ArticleId(r.try_get(0)?)),
            )
        })
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        self.with(|c| {
            c.query_opt("SELECT value FROM settings WHERE key = $1", &[&key])?
                .map(|r| r.try_get(0).map_err(Error::from))
                .transpose()
        })
    }

    fn set_setting(&self, key: &str, value: &str, at: DateTime<Utc>) -> Result<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, \
                 updated_at = excluded.updated_at",
                &[&key, &value, &at],
            )?;
            Ok(())
        })
    }

    fn create_session(&self, s: &Session) -> Result<()> {
        self.with_tx(|tx| {
            // Expired sessions go as new ones come.
            tx.execute(
                "DELETE FROM sessions WHERE expires_at <= $1",
                &[&s.created_at],
            )?;
            tx.execute(
                "INSERT INTO sessions (token_hash, csrf, actor, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    &s.token_hash,
                    &s.csrf,
                    &s.actor,
                    &s.created_at,
                    &s.expires_at,
                ],
            )?;
            Ok(())
        })
    }

    fn session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Session>> {
        self.with(|c| {
            c.query_opt(
                "SELECT token_hash, csrf, actor, created_at, expires_at FROM sessions \
                 WHERE token_hash = $1 AND expires_at > $2",
                &[&token_hash, &now],
            )?
            .map(|r| {
                Ok(Session {
                    token_hash: r.try_get(0)?,
                    csrf: r.try_get(1)?,
                    actor: r.try_get(2)?,
                    created_at: r.try_get(3)?,
                    expires_at: r.try_get(4)?,
                })
            })
            .transpose()
        })
    }

    fn delete_session(&self, token_hash: &str) -> Result<()> {
        self.with(|c| {
            c.execute("DELETE FROM sessions WHERE token_hash = $1", &[&token_hash])?;
            Ok(())
        })
    }

    fn delete_sessions(&self) -> Result<()> {
        self.with(|c| {
            c.execute("DELETE FROM sessions", &[])?;
            Ok(())
        })
    }

    fn create_api_token(&self, name: &str, token_hash: &str, at: DateTime<Utc>) -> Result<i64> {
        self.with(|c| {
            Ok(c.query_one(
                "INSERT INTO api_tokens (name, token_hash, created_at) VALUES ($1, $2, $3) \
                 RETURNING id",
                &[&name, &token_hash, &at],
            )?
            .try_get(0)?)
        })
    }

    fn api_tokens(&self) -> Result<Vec<ApiToken>> {
        self.with(|c| {
            rows(
                c.query(
                    "SELECT id, name, created_at, revoked_at FROM api_tokens ORDER BY id",
                    &[],
                )?,
                |r| {
                    Ok(ApiToken {
                        id: r.try_get(0)?,
                        name: r.try_get(1)?,
                        created_at: r.try_get(2)?,
                        revoked_at: r.try_get(3)?,
                    })
                },
            )
        })
    }

    fn api_token(&self, token_hash: &str) -> Result<Option<ApiToken>> {
        self.with(|c| {
            c.query_opt(
                "SELECT id, name, created_at FROM api_tokens \
                 WHERE token_hash = $1 AND revoked_at IS NULL",
                &[&token_hash],
            )?
            .map(|r| {
                Ok(ApiToken {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    created_at: r.try_get(2)?,
                    revoked_at: None,
                })
            })
            .transpose()
        })
    }

    fn revoke_api_token(&self, id: i64, at: DateTime<Utc>) -> Result<()> {
        let changed = self.with(|c| {
            Ok(c.execute(
                "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1",
                &[&id, &at],
            )?)
        })?;
        if changed == 0 {
            return Err(not_found("API token", id));
        }
        Ok(())
    }

    fn set_reader_state(
        &self,
        token: i64,
        stories: &[StoryId],
        flag: ReaderFlag,
        on: bool,
    ) -> Result<()> {
        let column = reader_column(flag);
        // One row per story: ON CONFLICT may not touch a row twice in one statement.
        let mut ids: Vec<i64> = stories.iter().map(|s| s.0).collect();
        ids.sort_unstable();
        ids.dedup();
        self.with(|c| {
            c.execute(
                &format!(
                    "INSERT INTO reader_state (token_id, story_id, {column}) \
                     SELECT $1, s, $3 FROM unnest($2::bigint[]) AS s \
                     ON CONFLICT (token_id, story_id) DO UPDATE SET {column} = excluded.{column}"
                ),
                &[&token, &ids, &on],
            )?;
            Ok(())
        })
    }

    fn reader_stories(&self, token: i64, flag: ReaderFlag) -> Result<Vec<StoryId>> {
        let column = reader_column(flag);
        self.with(|c| {
            rows(
                c.query(
                    &format!(
                        "SELECT story_id FROM reader_state WHERE token_id = $1 AND {column} \
                         ORDER BY story_id"
                    ),
                    &[&token],
                )?,
                |r| Ok(StoryId(r.try_get(0)?)),
            )
        })
    }

    fn record_audit(&self, e: &AuditEntry) -> Result<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO audit_log (at, actor, action, detail) VALUES ($1, $2, $3, $4)",
                &[&e.at, &e.actor, &e.action, &e.detail],
            )?;
            Ok(())
        })
    }

    fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        self.with(|c| {
            rows(
                c.query(
                    "SELECT at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT $1",
                    &[&i64::from(limit)],
                )?,
                |r| {
                    Ok(AuditEntry {
                        at: r.try_get(0)?,
                        actor: r.try_get(1)?,
                        action: r.try_get(2)?,
                        detail: r.try_get(3)?,
                    })
                },
            )
        })
    }

    fn claim_due_feeds(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        max_hosts: u32,
    ) -> Result<Vec<Feed>> {
        self.with_tx(|tx| {
            // Hosts another worker is claiming right now are skipped, not waited for.
            let hosts: Vec<String> = tx
                .query(
                    "SELECT h.name FROM hosts h \
                     JOIN (SELECT host, MIN(next_fetch) AS due FROM feeds \
                           WHERE status = 'active' AND next_fetch <= $1 GROUP BY host) d \
                       ON d.host = h.name \
                     WHERE h.lease_until IS NULL OR h.lease_until <= $1 OR h.lease_owner = $2 \
                     ORDER BY d.due, h.name LIMIT $3 \
                     FOR UPDATE OF h SKIP LOCKED",
                    &[&now, &owner, &i64::from(max_hosts)],
                )?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<std::result::Result<_, _>>()?;
            tx.execute(
                "UPDATE hosts SET lease_owner = $2, lease_until = $3 WHERE name = ANY($1)",
                &[&hosts, &owner, &until],
            )?;
            rows(
                tx.query(
                    &format!(
                        "SELECT {FEED_COLS} FROM feeds WHERE status = 'active' AND next_fetch <= $1 \
                         AND host IN (SELECT name FROM hosts WHERE lease_owner = $2) \
                         ORDER BY next_fetch, id"
                    ),
                    &[&now, &owner],
                )?,
                feed_from_row,
            )
        })
    }

    fn renew_leases(&self, owner: &str, until: DateTime<Utc>) -> Result<()> {
        self.with(|c| {
            c.execute(
                "UPDATE hosts SET lease_until = $2 WHERE lease_owner = $1",
                &[&owner, &until],
            )?;
            Ok(())
        })
    }

    fn release_leases(&self, owner: &str) -> Result<()> {
        self.with(|c| {
            c.execute(
                "UPDATE hosts SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1",
                &[&owner],
            )?;
            Ok(())
        })
    }

    fn lock_clustering(&self) -> Result<ClusteringLock<'_>> {
        let client = off_runtime(|| {
            let mut client = self.take()?;
            client.execute("SELECT pg_advisory_lock($1)", &[&CLUSTERING_LOCK])?;
            Ok::<_, Error>(client)
        })?;
        Ok(ClusteringLock::new(HeldClustering {
            store: self,
            client: Some(client),
        }))
    }

    fn clustering_mark(&self) -> Result<ClusteringMark> {
        self.with(|c| {
            let r = c.query_one(
                "SELECT (SELECT COALESCE(MAX(id), 0) FROM articles), \
                 (SELECT COALESCE(MAX(seq), 0) FROM story_changes)",
                &[],
            )?;
            Ok(ClusteringMark {
                article: ArticleId(r.try_get(0)?),
                change: r.try_get(1)?,
            })
        })
    }

    fn story_changes_after(&self, seq: i64) -> Result<Vec<(i64, StoryChange)>> {
        self.with(|c| {
            rows(
                c.query(
                    "SELECT seq, kind, from_story, into_story, articles FROM story_changes \
                     WHERE seq > $1 ORDER BY seq",
                    &[&seq],
                )?,
                |r| {
                    Ok((
                        r.try_get(0)?,
                        story_change(r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?)?,
                    ))
                },
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_columns_are_counted_right() {
        assert_eq!(ARTICLE_COLS.split(',').count(), ARTICLE_COL_COUNT);
    }

    #[test]
    fn an_ingest_write_waits_for_no_disk_and_leaves_the_connection_durable() {
        let Some(schema) = crate::testing::ScratchSchema::create("async_commit") else {
            return;
        };
        let store = PostgresStore::open(&schema.url()).unwrap();
        let setting = |tx: &mut Tx<'_>| -> Result<String> {
            Ok(tx.query_one("SHOW synchronous_commit", &[])?.try_get(0)?)
        };
        assert_eq!(store.with_ingest_tx(|tx, _| setting(tx)).unwrap(), "off");
        // One connection in turn: the setting went with its transaction.
        assert_eq!(store.with_tx(setting).unwrap(), "on");
    }

    #[test]
    fn article_texts_are_compressed_with_lz4_where_the_server_has_it() {
        let Some(schema) = crate::testing::ScratchSchema::create("lz4") else {
            return;
        };
        let store = PostgresStore::open(&schema.url()).unwrap();
        let (has_lz4, methods) = store
            .with_tx(|tx| {
                let has_lz4 = tx
                    .batch_execute("CREATE TEMP TABLE probe (x text COMPRESSION lz4)")
                    .is_ok();
                if !has_lz4 {
                    return Ok((false, Vec::new()));
                }
                let methods: Vec<String> = rows(
                    tx.query(
                        "SELECT attcompression::text FROM pg_attribute \
                         WHERE attrelid = 'articles'::regclass AND attname IN ('text', 'html')",
                        &[],
                    )?,
                    |r| Ok(r.try_get(0)?),
                )?;
                Ok((true, methods))
            })
            .unwrap();
        if has_lz4 {
            assert_eq!(methods, ["l", "l"]);
        }
    }

    #[test]
    fn messages_name_the_server_but_never_the_password() {
        let config =
            postgres::Config::from_str("postgres://ed:hunter2@db.internal:6543/news").unwrap();
        let said = describe(&config);
        assert_eq!(said, "PostgreSQL at db.internal:6543/news");
        assert!(!said.contains("hunter2"));
    }
}
