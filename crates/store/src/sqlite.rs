//! The SQLite store: one file, WAL mode, migrations applied on open.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, SecondsFormat, Utc};
use parallax_model::{
    Article, ArticleDraft, ArticleId, Category, CategoryId, ContentOrigin, Feed, FeedId,
    FeedStatus, Source, SourceId, SourceProfile, Story, StoryId,
};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::summary::{summarize, Filing, Member, Rule, Totals, MEMBERS_WEIGHED};
use crate::{
    article_list, json_list, read_position, reader_column, story_change, to_json, ApiToken,
    AuditEntry, CategoryRule, ClusterRecord, ClusteringLock, ClusteringMark, Error, FeedSuccess,
    IndexChanges, ReaderFlag, Result, RuleKind, Session, Stats, Store, StoryChange, StoryChoice,
    StoryOverrides, StoryQuery, Version, CLUSTER_RECORD_COLS,
};

/// Schema versions in order; each is applied once, in a transaction.
const MIGRATIONS: &[&str] = &[
    include_str!("sqlite/migration_1.sql"),
    include_str!("sqlite/migration_2.sql"),
    include_str!("sqlite/migration_3.sql"),
    include_str!("sqlite/migration_4.sql"),
    include_str!("sqlite/migration_5.sql"),
    include_str!("sqlite/migration_6.sql"),
    include_str!("sqlite/migration_7.sql"),
    include_str!("sqlite/migration_8.sql"),
    include_str!("sqlite/migration_9.sql"),
    include_str!("sqlite/migration_10.sql"),
    include_str!("sqlite/migration_11.sql"),
    include_str!("sqlite/migration_12.sql"),
    include_str!("sqlite/migration_13.sql"),
];

pub struct SqliteStore {
    conn: Mutex<Connection>,
    /// Clustering is one caller's at a time (`Store::lock_clustering`).
    clustering: Mutex<()>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let opened = Connection::open(path)
            .map_err(|reason| Error::Open {
                path: path.display().to_string(),
                reason,
            })
            .and_then(Self::with_connection);
        // SQLite says only "unable to open database file" when the file, its folder or the
        // whole file system is read-only; the system's own answer names which.
        opened.map_err(|e| match writable(path) {
            Err(reason) => Error::Unwritable {
                path: path.display().to_string(),
                reason,
            },
            Ok(()) => e,
        })
    }

    /// A private database in memory, for tests.
    pub fn open_in_memory() -> Result<Self> {
        Self::with_connection(Connection::open_in_memory()?)
    }

    fn with_connection(mut conn: Connection) -> Result<Self> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            clustering: Mutex::new(()),
        })
    }

    /// What SQLite's own check finds wrong with the file: nothing, for a sound database.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        let found = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(found.into_iter().filter(|line| line != "ok").collect())
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll
        // back on drop), so a poisoned lock is safe to keep using.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Whether the database file (or, before it exists, its folder) takes writes.
fn writable(path: &Path) -> std::io::Result<()> {
    if path.exists() {
        std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map(drop)
    } else {
        let probe = path.with_extension("write-check");
        std::fs::File::create(&probe)?;
        std::fs::remove_file(probe)
    }
}

fn migrate(conn: &mut Connection) -> Result<()> {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")?;
    let current: i64 = conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_version",
        [],
        |r| r.get(0),
    )?;
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        let version = i as i64 + 1;
        if version <= current {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES (?1)",
            [version],
        )?;
        tx.commit()?;
    }
    fill_hosts(conn)
}

/// Names the host of every feed that has none yet (feeds of a schema before version 11).
fn fill_hosts(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction()?;
    let feeds: Vec<(i64, String)> = tx
        .prepare("SELECT id, url FROM feeds WHERE host IS NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, url) in feeds {
        set_host(&tx, FeedId(id), &url)?;
    }
    tx.commit()?;
    Ok(())
}

/// Records the host of a feed's URL, and the host itself for leases.
fn set_host(conn: &Connection, feed: FeedId, url: &str) -> Result<()> {
    let host = parallax_model::url_norm::url_host(url);
    conn.execute(
        "INSERT INTO hosts (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
        [&host],
    )?;
    conn.execute(
        "UPDATE feeds SET host = ?2 WHERE id = ?1",
        params![feed.0, host],
    )?;
    Ok(())
}

/// Journals a clusterer's merge or split for the other processes' clusterers.
fn journal(
    tx: &Transaction<'_>,
    kind: &str,
    from: StoryId,
    into: StoryId,
    articles: &[ArticleId],
) -> Result<()> {
    tx.execute(
        "INSERT INTO story_changes (kind, from_story, into_story, articles) VALUES (?1, ?2, ?3, ?4)",
        params![kind, from.0, into.0, article_list(articles)],
    )?;
    Ok(())
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn parse_ts(table: &'static str, s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| Error::Corrupt {
            table,
            reason: format!("bad timestamp {s:?}: {e}"),
        })
}

fn parse_opt_ts(table: &'static str, s: Option<String>) -> Result<Option<DateTime<Utc>>> {
    s.map(|s| parse_ts(table, &s)).transpose()
}

const SOURCE_COLS: &str = "id, name, domain, country, leaning, language, notes, obey_robots";

fn source_from_row(row: &Row<'_>) -> rusqlite::Result<Source> {
    let leaning: Option<String> = row.get(4)?;
    Ok(Source {
        id: SourceId(row.get(0)?),
        profile: SourceProfile {
            name: row.get(1)?,
            domain: row.get(2)?,
            country: row.get(3)?,
            leaning: leaning.and_then(|l| l.parse().ok()),
            language: row.get(5)?,
            notes: row.get(6)?,
            obey_robots: row.get(7)?,
        },
    })
}

const FEED_COLS: &str = "id, source_id, url, title, etag, last_modified, last_fetched, \
    last_success, last_error, error_count, next_fetch, status, poll_interval_secs, folder, body_hash";

struct FeedRow {
    feed: Feed,
    last_fetched: Option<String>,
    last_success: Option<String>,
    next_fetch: String,
}

fn feed_from_row(row: &Row<'_>) -> rusqlite::Result<FeedRow> {
    Ok(FeedRow {
        feed: Feed {
            id: FeedId(row.get(0)?),
            source_id: SourceId(row.get(1)?),
            url: row.get(2)?,
            title: row.get(3)?,
            etag: row.get(4)?,
            last_modified: row.get(5)?,
            last_fetched: None,
            last_success: None,
            last_error: row.get(8)?,
            error_count: row.get(9)?,
            next_fetch: DateTime::<Utc>::MIN_UTC,
            status: match row.get::<_, String>(11)?.as_str() {
                "gone" => FeedStatus::Gone,
                "retired" => FeedStatus::Retired,
                _ => FeedStatus::Active,
            },
            poll_interval_secs: row.get(12)?,
            folder: row.get(13)?,
            body_hash: row.get(14)?,
        },
        last_fetched: row.get(6)?,
        last_success: row.get(7)?,
        next_fetch: row.get(10)?,
    })
}

fn finish_feed(r: FeedRow) -> Result<Feed> {
    let mut feed = r.feed;
    feed.last_fetched = parse_opt_ts("feeds", r.last_fetched)?;
    feed.last_success = parse_opt_ts("feeds", r.last_success)?;
    feed.next_fetch = parse_ts("feeds", &r.next_fetch)?;
    Ok(feed)
}

const ARTICLE_COLS: &str = "a.id, a.story_id, a.source_id, a.feed_id, a.guid, a.entry_hash, \
    a.url, a.canonical_url, a.title, a.authors, a.published, a.modified, a.site_name, \
    a.language, a.image, a.description, a.text, a.html, a.origin, a.categories, a.fetched_at, \
    a.partial, a.copy_of, a.text_dropped_at";

/// How many columns `ARTICLE_COLS` names.
const ARTICLE_COL_COUNT: usize = 24;

/// Raw article columns; converted outside rusqlite's closure so bad rows give our error.
struct ArticleRow {
    id: i64,
    story_id: i64,
    source_id: i64,
    feed_id: i64,
    guid: String,
    entry_hash: String,
    url: String,
    canonical_url: String,
    title: String,
    authors: String,
    published: Option<String>,
    modified: Option<String>,
    site_name: Option<String>,
    language: Option<String>,
    image: Option<String>,
    description: Option<String>,
    text: String,
    html: String,
    origin: String,
    categories: String,
    fetched_at: String,
    partial: bool,
    copy_of: Option<i64>,
    text_dropped_at: Option<String>,
}

fn article_row(row: &Row<'_>) -> rusqlite::Result<ArticleRow> {
    Ok(ArticleRow {
        id: row.get(0)?,
        story_id: row.get(1)?,
        source_id: row.get(2)?,
        feed_id: row.get(3)?,
        guid: row.get(4)?,
        entry_hash: row.get(5)?,
        url: row.get(6)?,
        canonical_url: row.get(7)?,
        title: row.get(8)?,
        authors: row.get(9)?,
        published: row.get(10)?,
        modified: row.get(11)?,
        site_name: row.get(12)?,
        language: row.get(13)?,
        image: row.get(14)?,
        description: row.get(15)?,
        text: row.get(16)?,
        html: row.get(17)?,
        origin: row.get(18)?,
        categories: row.get(19)?,
        fetched_at: row.get(20)?,
        partial: row.get(21)?,
        copy_of: row.get(22)?,
        text_dropped_at: row.get(23)?,
    })
}

fn finish_article(r: ArticleRow) -> Result<Article> {
    Ok(Article {
        id: ArticleId(r.id),
        story_id: StoryId(r.story_id),
        fetched_at: parse_ts("articles", &r.fetched_at)?,
        copy_of: r.copy_of.map(ArticleId),
        text_dropped_at: parse_opt_ts("articles", r.text_dropped_at)?,
        draft: ArticleDraft {
            source_id: SourceId(r.source_id),
            feed_id: FeedId(r.feed_id),
            guid: r.guid,
            entry_hash: r.entry_hash,
            url: r.url,
            canonical_url: r.canonical_url,
            title: r.title,
            authors: json_list("articles", &r.authors)?,
            published: parse_opt_ts("articles", r.published)?,
            modified: parse_opt_ts("articles", r.modified)?,
            site_name: r.site_name,
            language: r.language,
            image: r.image,
            description: r.description,
            text: r.text,
            html: r.html,
            origin: r
                .origin
                .parse::<ContentOrigin>()
                .map_err(|reason| Error::Corrupt {
                    table: "articles",
                    reason,
                })?,
            partial: r.partial,
            categories: json_list("articles", &r.categories)?,
        },
    })
}

const STORY_COLS: &str = "s.id, s.title, s.first_published, s.last_published, s.article_count, \
    s.source_count, c.id, c.slug, c.name, s.hidden, s.pinned";

struct StoryRow {
    id: i64,
    title: String,
    first: String,
    last: String,
    articles: u32,
    sources: u32,
    category: Option<(i64, String, String)>,
    hidden: bool,
    pinned: bool,
}

fn story_row(row: &Row<'_>) -> rusqlite::Result<StoryRow> {
    let cat_id: Option<i64> = row.get(6)?;
    Ok(StoryRow {
        id: row.get(0)?,
        title: row.get(1)?,
        first: row.get(2)?,
        last: row.get(3)?,
        articles: row.get(4)?,
        sources: row.get(5)?,
        category: match cat_id {
            Some(id) => Some((id, row.get(7)?, row.get(8)?)),
            None => None,
        },
        hidden: row.get(9)?,
        pinned: row.get(10)?,
    })
}

fn finish_story(r: StoryRow) -> Result<Story> {
    Ok(Story {
        id: StoryId(r.id),
        title: r.title,
        category: r.category.map(|(id, slug, name)| Category {
            id: CategoryId(id),
            slug,
            name,
        }),
        first_published: parse_ts("stories", &r.first)?,
        last_published: parse_ts("stories", &r.last)?,
        article_count: r.articles,
        source_count: r.sources,
        hidden: r.hidden,
        pinned: r.pinned,
    })
}

fn collect<T, R>(
    rows: impl Iterator<Item = rusqlite::Result<R>>,
    finish: impl Fn(R) -> Result<T>,
) -> Result<Vec<T>> {
    rows.map(|r| finish(r?)).collect()
}

/// A feed moves to the target of its permanent redirects only once they were seen on
/// `MOVE_CONFIRMATIONS` fetches in a row (a misconfigured server must not lose a feed), and only
/// if no other feed is already at that URL.
fn record_move(tx: &Transaction<'_>, feed: FeedId, moved_to: Option<&str>) -> Result<()> {
    let Some(target) = moved_to else {
        tx.execute(
            "UPDATE feeds SET moved_to = NULL, moved_count = 0 WHERE id = ?1",
            [feed.0],
        )?;
        return Ok(());
    };
    let (seen, count): (Option<String>, i64) = tx.query_row(
        "SELECT moved_to, moved_count FROM feeds WHERE id = ?1",
        [feed.0],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let count = if seen.as_deref() == Some(target) {
        count + 1
    } else {
        1
    };
    let taken: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM feeds WHERE url = ?1)",
        [target],
        |r| r.get(0),
    )?;
    if count >= crate::MOVE_CONFIRMATIONS && !taken {
        tx.execute(
            "UPDATE feeds SET url = ?2, moved_to = NULL, moved_count = 0 WHERE id = ?1",
            params![feed.0, target],
        )?;
        set_host(tx, feed, target)?;
        tracing::info!(feed = feed.0, url = target, "feed moved permanently");
    } else {
        tx.execute(
            "UPDATE feeds SET moved_to = ?2, moved_count = ?3 WHERE id = ?1",
            params![feed.0, target, count],
        )?;
    }
    Ok(())
}

/// Points a feed's entry at the article it became.
fn upsert_entry(
    conn: &Connection,
    feed: FeedId,
    guid: &str,
    entry_hash: &str,
    article: ArticleId,
) -> Result<()> {
    conn.execute(
        "INSERT INTO entries (feed_id, guid, article_id, entry_hash, seen_at) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT(feed_id, guid) DO UPDATE SET article_id = excluded.article_id, entry_hash = excluded.entry_hash",
        params![feed.0, guid, article.0, entry_hash, ts(Utc::now())],
    )?;
    Ok(())
}

/// Moves every article of `from` into `into` and drops `from`; editors' overrides follow.
fn merge_in(tx: &Transaction<'_>, from: StoryId, into: StoryId) -> Result<()> {
    if from == into {
        return Ok(());
    }
    require_story(tx, from)?;
    require_story(tx, into)?;
    tx.execute(
        "UPDATE articles SET story_id = ?2 WHERE story_id = ?1",
        params![from.0, into.0],
    )?;
    tx.execute(
        "UPDATE story_overrides SET story = ?2 WHERE story = ?1",
        params![from.0, into.0],
    )?;
    tx.execute(
        "UPDATE story_overrides SET other = ?2 WHERE other = ?1",
        params![from.0, into.0],
    )?;
    // Two stories once kept apart are one now: the latest word wins.
    tx.execute(
        "DELETE FROM story_overrides WHERE kind = 'parted' AND story = other",
        [],
    )?;
    // With no articles left, `from` is deleted.
    refresh_story(tx, from)?;
    refresh_story(tx, into)?;
    Ok(())
}

fn add_override(tx: &Transaction<'_>, kind: &str, story: StoryId, other: StoryId) -> Result<()> {
    tx.execute(
        "INSERT INTO story_overrides (kind, story, other, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![kind, story.0, other.0, ts(Utc::now())],
    )?;
    Ok(())
}

/// Moves `articles` of `from` into a new story, which it returns.
fn split_in(tx: &Transaction<'_>, from: StoryId, articles: &[ArticleId]) -> Result<StoryId> {
    let bad = |reason: String| Error::BadSplit {
        story: from.0,
        reason,
    };
    require_story(tx, from)?;
    let mut moving: Vec<i64> = articles.iter().map(|a| a.0).collect();
    moving.sort_unstable();
    moving.dedup();
    if moving.is_empty() {
        return Err(bad("no articles to move".into()));
    }
    let held: i64 = tx.query_row(
        "SELECT COUNT(*) FROM articles WHERE story_id = ?1",
        [from.0],
        |r| r.get(0),
    )?;
    if moving.len() as i64 >= held {
        return Err(bad("every article would leave it".into()));
    }
    for id in &moving {
        let story: Option<i64> = tx
            .query_row("SELECT story_id FROM articles WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        if story != Some(from.0) {
            return Err(bad(format!("article {id} is not in it")));
        }
    }
    tx.execute(
        "INSERT INTO stories (title, first_published, last_published, created_at) \
         SELECT title, COALESCE(published, fetched_at), COALESCE(published, fetched_at), ?2 \
         FROM articles WHERE id = ?1",
        params![moving[0], ts(Utc::now())],
    )?;
    let into = StoryId(tx.last_insert_rowid());
    {
        let mut stmt = tx.prepare("UPDATE articles SET story_id = ?2 WHERE id = ?1")?;
        for id in &moving {
            stmt.execute(params![id, into.0])?;
        }
    }
    // A copy belongs to its original's story; a link the split cut is dropped.
    tx.execute(
        "UPDATE articles SET copy_of = NULL WHERE story_id IN (?1, ?2) AND copy_of IS NOT NULL \
         AND story_id <> (SELECT o.story_id FROM articles o WHERE o.id = articles.copy_of)",
        params![from.0, into.0],
    )?;
    refresh_story(tx, from)?;
    refresh_story(tx, into)?;
    Ok(into)
}

fn require_story(tx: &Transaction<'_>, id: StoryId) -> Result<()> {
    let exists: Option<i64> = tx
        .query_row("SELECT id FROM stories WHERE id = ?1", [id.0], |r| r.get(0))
        .optional()?;
    match exists {
        Some(_) => Ok(()),
        None => Err(Error::NotFound {
            what: "story",
            id: id.0,
        }),
    }
}

/// A cluster record's columns as read (id, story, title, text, time, language).
type ClusterRow = (i64, i64, String, String, String, Option<String>);

fn cluster_record_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ClusterRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn finish_cluster_record(
    (article, story, title, text, published, language): ClusterRow,
) -> Result<ClusterRecord> {
    Ok(ClusterRecord {
        article: ArticleId(article),
        story: StoryId(story),
        title,
        text,
        published: parse_ts("articles", &published)?,
        language,
    })
}

/// Recomputes a story's counts, dates, title and category from its articles; a story left
/// without articles is deleted.
fn refresh_story(tx: &Transaction<'_>, story: StoryId) -> Result<()> {
    let totals: Option<(i64, i64, String, String)> = tx
        .prepare_cached(
            "SELECT COUNT(*), COUNT(DISTINCT source_id), MIN(COALESCE(published, fetched_at)), \
             MAX(COALESCE(published, fetched_at)) FROM articles WHERE story_id = ?1",
        )?
        .query_row([story.0], |r| {
            Ok(match r.get::<_, Option<String>>(2)? {
                Some(first) => Some((r.get(0)?, r.get(1)?, first, r.get(3)?)),
                None => None,
            })
        })?;
    let totals = match totals {
        Some((articles, sources, first, last)) => Some(Totals {
            articles,
            sources,
            first: parse_ts("articles", &first)?,
            last: parse_ts("articles", &last)?,
        }),
        None => None,
    };
    let mut stmt = tx.prepare_cached(
        "SELECT title, source_id, categories, substr(text, 1, 600) FROM articles \
         WHERE story_id = ?1 ORDER BY COALESCE(published, fetched_at), id LIMIT ?2",
    )?;
    let rows: Vec<(String, i64, String, String)> = stmt
        .query_map(params![story.0, MEMBERS_WEIGHED], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let members = rows
        .into_iter()
        .map(|(title, source, categories, lead)| {
            Ok(Member {
                title,
                source,
                categories: json_list("articles", &categories)?,
                lead,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let rules = tx
        .prepare_cached("SELECT kind, value, category_id FROM category_rules ORDER BY id")?
        .query_map([], |r| {
            Ok(Rule {
                kind: r.get(0)?,
                value: r.get(1)?,
                category: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let Some(summary) = summarize(&members, totals, &rules) else {
        tx.execute("DELETE FROM stories WHERE id = ?1", [story.0])?;
        return Ok(());
    };
    let category_id: Option<i64> = match summary.filing {
        Some(Filing::Rule(id)) => Some(id),
        Some(Filing::Named { slug, name }) => {
            tx.execute(
                "INSERT INTO categories (slug, name) VALUES (?1, ?2) ON CONFLICT(slug) DO NOTHING",
                params![slug, name],
            )?;
            Some(
                tx.query_row("SELECT id FROM categories WHERE slug = ?1", [slug], |r| {
                    r.get(0)
                })?,
            )
        }
        None => None,
    };
    tx.execute(
        // An editor's title and category stay as articles join.
        "UPDATE stories SET title = COALESCE(title_override, ?2), first_published = ?3, \
         last_published = ?4, article_count = ?5, source_count = ?6, \
         category_id = COALESCE(category_override, ?7) WHERE id = ?1",
        params![
            story.0,
            summary.title,
            ts(summary.first),
            ts(summary.last),
            summary.articles,
            summary.sources,
            category_id
        ],
    )?;
    Ok(())
}

/// Stories a changed rule may refile: the latest thousand (older ones keep their category
/// until an article joins them).
fn refresh_recent_stories(tx: &Transaction<'_>) -> Result<()> {
    let ids: Vec<i64> = tx
        .prepare("SELECT id FROM stories ORDER BY last_published DESC, id DESC LIMIT 1000")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        refresh_story(tx, StoryId(id))?;
    }
    Ok(())
}

impl SqliteStore {
    /// Sets an editor's override column of a story to what `value` finds, and refreshes the
    /// story so that it shows at once.
    fn story_override<T: rusqlite::ToSql>(
        &self,
        id: StoryId,
        column: &'static str,
        value: impl FnOnce(&Transaction<'_>) -> Result<Option<T>>,
    ) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let value = value(&tx)?;
        let changed = tx.execute(
            &format!("UPDATE stories SET {column} = ?2 WHERE id = ?1"),
            params![id.0, value],
        )?;
        if changed == 0 {
            return Err(Error::NotFound {
                what: "story",
                id: id.0,
            });
        }
        refresh_story(&tx, id)?;
        tx.commit()?;
        Ok(())
    }

    fn story_flag(&self, id: StoryId, column: &'static str, on: bool) -> Result<()> {
        let changed = self.conn().execute(
            &format!("UPDATE stories SET {column} = ?2 WHERE id = ?1"),
            params![id.0, on],
        )?;
        if changed == 0 {
            return Err(Error::NotFound {
                what: "story",
                id: id.0,
            });
        }
        Ok(())
    }
}

impl Store for SqliteStore {
    fn upsert_source(&self, p: &SourceProfile) -> Result<SourceId> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO sources (name, domain, country, leaning, language, notes, obey_robots, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(name) DO UPDATE SET \
             domain = excluded.domain, country = COALESCE(excluded.country, country), \
             leaning = COALESCE(excluded.leaning, leaning), \
             language = COALESCE(excluded.language, language), \
             notes = COALESCE(excluded.notes, notes), obey_robots = excluded.obey_robots",
            params![
                p.name,
                p.domain,
                p.country,
                p.leaning.map(|l| l.as_str()),
                p.language,
                p.notes,
                p.obey_robots,
                ts(Utc::now())
            ],
        )?;
        Ok(SourceId(conn.query_row(
            "SELECT id FROM sources WHERE name = ?1",
            [&p.name],
            |r| r.get(0),
        )?))
    }

    fn update_source(&self, id: SourceId, p: &SourceProfile) -> Result<()> {
        let changed = self.conn().execute(
            "UPDATE sources SET name = ?2, domain = ?3, country = ?4, leaning = ?5, \
             language = ?6, notes = ?7, obey_robots = ?8 WHERE id = ?1",
            params![
                id.0,
                p.name,
                p.domain,
                p.country,
                p.leaning.map(|l| l.as_str()),
                p.language,
                p.notes,
                p.obey_robots
            ],
        );
        match changed {
            Ok(0) => Err(Error::NotFound {
                what: "source",
                id: id.0,
            }),
            Ok(_) => Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Err(Error::Duplicate(format!("an outlet named {:?}", p.name)))
            }
            Err(e) => Err(e.into()),
        }
    }

    fn set_feed_retired(&self, id: FeedId, retired: bool) -> Result<()> {
        // A gone feed stays gone; only a retired one comes back.
        let sql = if retired {
            "UPDATE feeds SET status = 'retired' WHERE id = ?1 AND status = 'active'"
        } else {
            "UPDATE feeds SET status = 'active' WHERE id = ?1 AND status = 'retired'"
        };
        let conn = self.conn();
        conn.execute(sql, [id.0])?;
        let exists: Option<i64> = conn
            .query_row("SELECT id FROM feeds WHERE id = ?1", [id.0], |r| r.get(0))
            .optional()?;
        exists.map(|_| ()).ok_or(Error::NotFound {
            what: "feed",
            id: id.0,
        })
    }

    fn source(&self, id: SourceId) -> Result<Option<Source>> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                &format!("SELECT {SOURCE_COLS} FROM sources WHERE id = ?1"),
                [id.0],
                source_from_row,
            )
            .optional()?)
    }

    fn sources(&self) -> Result<Vec<Source>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("SELECT {SOURCE_COLS} FROM sources ORDER BY name"))?;
        let rows = stmt.query_map([], source_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn add_feed(&self, source: SourceId, url: &str) -> Result<FeedId> {
        let conn = self.conn();
        let now = ts(Utc::now());
        let inserted = conn.execute(
            "INSERT INTO feeds (source_id, url, next_fetch, created_at) VALUES (?1, ?2, ?3, ?3) \
             ON CONFLICT(url) DO NOTHING",
            params![source.0, url, now],
        )?;
        let id =
            FeedId(conn.query_row("SELECT id FROM feeds WHERE url = ?1", [url], |r| r.get(0))?);
        if inserted > 0 {
            set_host(&conn, id, url)?;
        }
        Ok(id)
    }

    fn feed(&self, id: FeedId) -> Result<Option<Feed>> {
        let conn = self.conn();
        conn.query_row(
            &format!("SELECT {FEED_COLS} FROM feeds WHERE id = ?1"),
            [id.0],
            feed_from_row,
        )
        .optional()?
        .map(finish_feed)
        .transpose()
    }

    fn feeds(&self) -> Result<Vec<Feed>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("SELECT {FEED_COLS} FROM feeds ORDER BY id"))?;
        let rows = stmt.query_map([], feed_from_row)?;
        collect(rows, finish_feed)
    }

    fn source_feeds(&self, source: SourceId) -> Result<Vec<Feed>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {FEED_COLS} FROM feeds WHERE source_id = ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map([source.0], feed_from_row)?;
        collect(rows, finish_feed)
    }

    fn due_feeds(&self, now: DateTime<Utc>) -> Result<Vec<Feed>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {FEED_COLS} FROM feeds WHERE status = 'active' AND next_fetch <= ?1 ORDER BY next_fetch, id"
        ))?;
        let rows = stmt.query_map([ts(now)], feed_from_row)?;
        collect(rows, finish_feed)
    }

    fn record_feed_success(&self, feed: FeedId, s: &FeedSuccess) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE feeds SET title = COALESCE(?2, title), etag = ?3, last_modified = ?4, \
             last_fetched = ?5, last_success = ?5, last_error = NULL, error_count = 0, \
             next_fetch = ?6, body_hash = COALESCE(?7, body_hash), \
             poll_interval_secs = COALESCE(?8, poll_interval_secs) WHERE id = ?1",
            params![
                feed.0,
                s.title,
                s.etag,
                s.last_modified,
                ts(s.fetched_at),
                ts(s.next_fetch),
                s.body_hash,
                s.poll_interval_secs
            ],
        )?;
        record_move(&tx, feed, s.moved_to.as_deref())?;
        tx.commit()?;
        Ok(())
    }

    fn record_feed_gone(&self, feed: FeedId, at: DateTime<Utc>) -> Result<()> {
        self.conn().execute(
            "UPDATE feeds SET status = 'gone', last_fetched = ?2, \
             last_error = 'HTTP 410 Gone: no longer polled', error_count = error_count + 1 WHERE id = ?1",
            params![feed.0, ts(at)],
        )?;
        Ok(())
    }

    fn set_feed_folder(&self, feed: FeedId, folder: Option<&str>) -> Result<()> {
        self.conn().execute(
            "UPDATE feeds SET folder = ?2 WHERE id = ?1",
            params![feed.0, folder],
        )?;
        Ok(())
    }

    fn record_feed_failure(
        &self,
        feed: FeedId,
        reason: &str,
        at: DateTime<Utc>,
        next: DateTime<Utc>,
    ) -> Result<()> {
        let conn = self.conn();
        conn.execute(
            "UPDATE feeds SET last_fetched = ?2, last_error = ?3, error_count = error_count + 1, \
             next_fetch = ?4 WHERE id = ?1",
            params![feed.0, ts(at), reason, ts(next)],
        )?;
        Ok(())
    }

    fn entry(&self, feed: FeedId, guid: &str) -> Result<Option<(ArticleId, String)>> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                "SELECT article_id, entry_hash FROM entries WHERE feed_id = ?1 AND guid = ?2",
                params![feed.0, guid],
                |r| Ok((ArticleId(r.get(0)?), r.get(1)?)),
            )
            .optional()?)
    }

    fn article_by_canonical_url(&self, canonical_url: &str) -> Result<Option<ArticleId>> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                "SELECT id FROM articles WHERE canonical_url = ?1",
                [canonical_url],
                |r| Ok(ArticleId(r.get(0)?)),
            )
            .optional()?)
    }

    fn insert_article(&self, d: &ArticleDraft, story: StoryChoice) -> Result<(ArticleId, StoryId)> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let now = ts(Utc::now());
        let when = d.published.map(ts).unwrap_or_else(|| now.clone());
        let story_id = match story {
            StoryChoice::Existing(id) => {
                require_story(&tx, id)?;
                id
            }
            StoryChoice::New => {
                tx.execute(
                    "INSERT INTO stories (title, first_published, last_published, created_at) \
                     VALUES (?1, ?2, ?2, ?3)",
                    params![d.title, when, now],
                )?;
                StoryId(tx.last_insert_rowid())
            }
        };
        tx.execute(
            "INSERT INTO articles (story_id, source_id, feed_id, guid, entry_hash, url, \
             canonical_url, title, authors, published, modified, site_name, language, image, \
             description, text, html, origin, categories, fetched_at, partial) VALUES \
             (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
            params![
                story_id.0,
                d.source_id.0,
                d.feed_id.0,
                d.guid,
                d.entry_hash,
                d.url,
                d.canonical_url,
                d.title,
                to_json(&d.authors),
                d.published.map(ts),
                d.modified.map(ts),
                d.site_name,
                d.language,
                d.image,
                d.description,
                d.text,
                d.html,
                d.origin.as_str(),
                to_json(&d.categories),
                now,
                d.partial
            ],
        )?;
        let article = ArticleId(tx.last_insert_rowid());
        upsert_entry(&tx, d.feed_id, &d.guid, &d.entry_hash, article)?;
        refresh_story(&tx, story_id)?;
        tx.commit()?;
        Ok((article, story_id))
    }

    fn link_entry(
        &self,
        feed: FeedId,
        guid: &str,
        entry_hash: &str,
        article: ArticleId,
    ) -> Result<()> {
        upsert_entry(&self.conn(), feed, guid, entry_hash, article)
    }

    fn update_article(&self, id: ArticleId, d: &ArticleDraft) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let story: Option<i64> = tx
            .query_row("SELECT story_id FROM articles WHERE id = ?1", [id.0], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(story) = story else {
            return Err(Error::NotFound {
                what: "article",
                id: id.0,
            });
        };
        tx.execute(
            "UPDATE articles SET title = ?2, authors = ?3, published = ?4, modified = ?5, \
             site_name = ?6, language = ?7, image = ?8, description = ?9, text = ?10, html = ?11, \
             origin = ?12, categories = ?13, entry_hash = ?14, partial = ?15 \
             WHERE id = ?1",
            params![
                id.0,
                d.title,
                to_json(&d.authors),
                d.published.map(ts),
                d.modified.map(ts),
                d.site_name,
                d.language,
                d.image,
                d.description,
                d.text,
                d.html,
                d.origin.as_str(),
                to_json(&d.categories),
                d.entry_hash,
                d.partial
            ],
        )?;
        tx.execute(
            "UPDATE entries SET entry_hash = ?3 WHERE feed_id = ?1 AND guid = ?2",
            params![d.feed_id.0, d.guid, d.entry_hash],
        )?;
        refresh_story(&tx, StoryId(story))?;
        tx.commit()?;
        Ok(())
    }

    fn article(&self, id: ArticleId) -> Result<Option<Article>> {
        let conn = self.conn();
        conn.query_row(
            &format!("SELECT {ARTICLE_COLS} FROM articles a WHERE a.id = ?1"),
            [id.0],
            article_row,
        )
        .optional()?
        .map(finish_article)
        .transpose()
    }

    fn source_articles(&self, source: SourceId, limit: u32) -> Result<Vec<Article>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {ARTICLE_COLS} FROM articles a WHERE a.source_id = ?1 \
             ORDER BY COALESCE(a.published, a.fetched_at) DESC, a.id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![source.0, limit], article_row)?;
        collect(rows, finish_article)
    }

    fn cluster_records(&self, window: chrono::Duration) -> Result<Vec<ClusterRecord>> {
        let conn = self.conn();
        let latest: Option<String> = conn.query_row(
            "SELECT MAX(last_published) FROM stories WHERE last_published <= ?1",
            [ts(Utc::now() + chrono::Duration::days(1))],
            |r| r.get(0),
        )?;
        let Some(latest) = latest else {
            return Ok(Vec::new());
        };
        let since = ts(parse_ts("stories", &latest)? - window);
        let mut stmt = conn.prepare(&format!(
            "SELECT {CLUSTER_RECORD_COLS} FROM articles \
             WHERE story_id IN (SELECT id FROM stories WHERE last_published >= ?1) ORDER BY id"
        ))?;
        let rows = stmt.query_map([since], cluster_record_row)?;
        collect(rows, finish_cluster_record)
    }

    fn cluster_records_after(&self, after: ArticleId) -> Result<Vec<ClusterRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {CLUSTER_RECORD_COLS} FROM articles WHERE id > ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map([after.0], cluster_record_row)?;
        collect(rows, finish_cluster_record)
    }

    fn mark_copy(&self, article: ArticleId, of: ArticleId) -> Result<()> {
        if article == of {
            return Ok(());
        }
        let conn = self.conn();
        let exists: Option<i64> = conn
            .query_row("SELECT id FROM articles WHERE id = ?1", [of.0], |r| {
                r.get(0)
            })
            .optional()?;
        if exists.is_none() {
            return Err(Error::NotFound {
                what: "article",
                id: of.0,
            });
        }
        let changed = conn.execute(
            "UPDATE articles SET copy_of = ?2 WHERE id = ?1",
            params![article.0, of.0],
        )?;
        if changed == 0 {
            return Err(Error::NotFound {
                what: "article",
                id: article.0,
            });
        }
        Ok(())
    }

    fn merge_stories(&self, from: StoryId, into: StoryId) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        merge_in(&tx, from, into)?;
        journal(&tx, "merged", from, into, &[])?;
        tx.commit()?;
        Ok(())
    }

    fn merge_stories_as_editor(&self, from: StoryId, into: StoryId) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        merge_in(&tx, from, into)?;
        add_override(&tx, "joined", into, from)?;
        tx.commit()?;
        Ok(())
    }

    fn split_story_as_editor(&self, from: StoryId, articles: &[ArticleId]) -> Result<StoryId> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let into = split_in(&tx, from, articles)?;
        add_override(&tx, "parted", from, into)?;
        tx.commit()?;
        Ok(into)
    }

    fn set_story_hidden(&self, id: StoryId, hidden: bool) -> Result<()> {
        self.story_flag(id, "hidden", hidden)
    }

    fn set_story_pinned(&self, id: StoryId, pinned: bool) -> Result<()> {
        self.story_flag(id, "pinned", pinned)
    }

    fn set_story_title(&self, id: StoryId, title: Option<&str>) -> Result<()> {
        self.story_override(id, "title_override", |_| Ok(title.map(str::to_string)))
    }

    fn set_story_category(&self, id: StoryId, slug: Option<&str>) -> Result<()> {
        self.story_override(id, "category_override", |tx| {
            slug.map(|slug| {
                tx.query_row("SELECT id FROM categories WHERE slug = ?1", [slug], |r| {
                    r.get::<_, i64>(0)
                })
                .optional()?
                .ok_or_else(|| Error::UnknownCategory(slug.to_string()))
            })
            .transpose()
        })
    }

    fn set_article_hidden(&self, id: ArticleId, hidden: bool) -> Result<()> {
        let conn = self.conn();
        if hidden {
            conn.execute(
                "INSERT INTO hidden_articles (article_id, hidden_at) VALUES (?1, ?2)
                 ON CONFLICT (article_id) DO NOTHING",
                params![id.0, ts(Utc::now())],
            )?;
        } else {
            conn.execute("DELETE FROM hidden_articles WHERE article_id = ?1", [id.0])?;
        }
        Ok(())
    }

    fn hidden_articles(&self, story: StoryId) -> Result<Vec<ArticleId>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT h.article_id FROM hidden_articles h JOIN articles a ON a.id = h.article_id
             WHERE a.story_id = ?1 ORDER BY h.article_id",
        )?;
        let ids = stmt
            .query_map([story.0], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(ids.into_iter().map(ArticleId).collect())
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    fn set_setting(&self, key: &str, value: &str, at: DateTime<Utc>) -> Result<()> {
        self.conn().execute(
            "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            params![key, value, ts(at)],
        )?;
        Ok(())
    }

    fn create_session(&self, session: &Session) -> Result<()> {
        let conn = self.conn();
        // Expired sessions go as new ones come.
        conn.execute(
            "DELETE FROM sessions WHERE expires_at <= ?1",
            [ts(session.created_at)],
        )?;
        conn.execute(
            "INSERT INTO sessions (token_hash, csrf, actor, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                session.token_hash,
                session.csrf,
                session.actor,
                ts(session.created_at),
                ts(session.expires_at)
            ],
        )?;
        Ok(())
    }

    fn session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Session>> {
        let row: Option<(String, String, String, String, String)> = self
            .conn()
            .query_row(
                "SELECT token_hash, csrf, actor, created_at, expires_at FROM sessions
                 WHERE token_hash = ?1 AND expires_at > ?2",
                params![token_hash, ts(now)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        row.map(|(token_hash, csrf, actor, created, expires)| {
            Ok(Session {
                token_hash,
                csrf,
                actor,
                created_at: parse_ts("sessions", &created)?,
                expires_at: parse_ts("sessions", &expires)?,
            })
        })
        .transpose()
    }

    fn delete_session(&self, token_hash: &str) -> Result<()> {
        self.conn()
            .execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }

    fn delete_sessions(&self) -> Result<()> {
        self.conn().execute("DELETE FROM sessions", [])?;
        Ok(())
    }

    fn create_api_token(&self, name: &str, token_hash: &str, at: DateTime<Utc>) -> Result<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO api_tokens (name, token_hash, created_at) VALUES (?1, ?2, ?3)",
            params![name, token_hash, ts(at)],
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn api_tokens(&self) -> Result<Vec<ApiToken>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT id, name, created_at, revoked_at FROM api_tokens ORDER BY id")?;
        let rows: Vec<(i64, String, String, Option<String>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(id, name, created, revoked)| {
                Ok(ApiToken {
                    id,
                    name,
                    created_at: parse_ts("api_tokens", &created)?,
                    revoked_at: parse_opt_ts("api_tokens", revoked)?,
                })
            })
            .collect()
    }

    fn api_token(&self, token_hash: &str) -> Result<Option<ApiToken>> {
        let row: Option<(i64, String, String)> = self
            .conn()
            .query_row(
                "SELECT id, name, created_at FROM api_tokens
                 WHERE token_hash = ?1 AND revoked_at IS NULL",
                [token_hash],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        row.map(|(id, name, created)| {
            Ok(ApiToken {
                id,
                name,
                created_at: parse_ts("api_tokens", &created)?,
                revoked_at: None,
            })
        })
        .transpose()
    }

    fn revoke_api_token(&self, id: i64, at: DateTime<Utc>) -> Result<()> {
        let changed = self.conn().execute(
            "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
            params![id, ts(at)],
        )?;
        if changed == 0 {
            return Err(Error::NotFound {
                what: "API token",
                id,
            });
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
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare(&format!(
                "INSERT INTO reader_state (token_id, story_id, {column}) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (token_id, story_id) DO UPDATE SET {column} = excluded.{column}"
            ))?;
            for s in stories {
                stmt.execute(params![token, s.0, on])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn reader_stories(&self, token: i64, flag: ReaderFlag) -> Result<Vec<StoryId>> {
        let column = reader_column(flag);
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT story_id FROM reader_state WHERE token_id = ?1 AND {column} = 1 ORDER BY story_id"
        ))?;
        let ids = stmt
            .query_map([token], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(ids.into_iter().map(StoryId).collect())
    }

    fn record_audit(&self, entry: &AuditEntry) -> Result<()> {
        self.conn().execute(
            "INSERT INTO audit_log (at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)",
            params![ts(entry.at), entry.actor, entry.action, entry.detail],
        )?;
        Ok(())
    }

    fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?1")?;
        let rows: Vec<(String, String, String, String)> = stmt
            .query_map([limit], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(at, actor, action, detail)| {
                Ok(AuditEntry {
                    at: parse_ts("audit_log", &at)?,
                    actor,
                    action,
                    detail,
                })
            })
            .collect()
    }

    fn story_overrides(&self) -> Result<StoryOverrides> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT id, kind, story, other FROM story_overrides ORDER BY id")?;
        let rows: Vec<(i64, String, i64, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(StoryOverrides::from_rows(rows))
    }

    fn split_story(&self, from: StoryId, articles: &[ArticleId]) -> Result<StoryId> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let into = split_in(&tx, from, articles)?;
        journal(&tx, "split", from, into, articles)?;
        tx.commit()?;
        Ok(into)
    }

    fn drop_old_texts(&self, before: DateTime<Utc>, limit: u32) -> Result<u64> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let dropped = tx.execute(
            "UPDATE articles SET text = '', html = '', text_dropped_at = ?2 WHERE id IN \
             (SELECT id FROM articles WHERE text_dropped_at IS NULL \
              AND COALESCE(published, fetched_at) < ?1 LIMIT ?3)",
            params![ts(before), ts(Utc::now()), limit],
        )?;
        tx.commit()?;
        Ok(dropped as u64)
    }

    fn index_changes(&self, position: Option<&str>, limit: u32) -> Result<IndexChanges> {
        let (changed, article) = read_position("sqlite", position);
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {ARTICLE_COLS}, a.changed FROM articles a \
             WHERE (a.changed, a.id) > (?1, ?2) ORDER BY a.changed, a.id LIMIT ?3"
        ))?;
        let rows: Vec<(ArticleRow, i64)> = stmt
            .query_map(params![changed, article, limit], |r| {
                Ok((article_row(r)?, r.get(ARTICLE_COL_COUNT)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut last = (changed, article);
        let mut articles = Vec::with_capacity(rows.len());
        for (row, changed) in rows {
            last = (changed, row.id);
            articles.push(finish_article(row)?);
        }
        Ok(IndexChanges {
            articles,
            position: format!("sqlite:{}:{}", last.0, last.1),
        })
    }

    fn story(&self, id: StoryId) -> Result<Option<Story>> {
        let conn = self.conn();
        conn.query_row(
            &format!("SELECT {STORY_COLS} FROM stories s LEFT JOIN categories c ON c.id = s.category_id WHERE s.id = ?1"),
            [id.0],
            story_row,
        )
        .optional()?
        .map(finish_story)
        .transpose()
    }

    fn stories(&self, q: &StoryQuery) -> Result<Vec<Story>> {
        let conn = self.conn();
        let limit = if q.limit == 0 { 50 } else { q.limit.min(1000) };
        let mut stmt = conn.prepare(&format!(
            "SELECT {STORY_COLS} FROM stories s LEFT JOIN categories c ON c.id = s.category_id \
             WHERE (?1 IS NULL OR c.slug = ?1) AND (?5 OR s.hidden = 0) \
             AND (?2 IS NULL OR EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id AND a.source_id = ?2)) \
             AND (?3 IS NULL OR s.last_published < ?3) \
             ORDER BY s.last_published DESC, s.id DESC LIMIT ?4"
        ))?;
        let rows = stmt.query_map(
            params![
                q.category,
                q.source.map(|s| s.0),
                q.before.map(ts),
                limit,
                q.include_hidden
            ],
            story_row,
        )?;
        collect(rows, finish_story)
    }

    fn story_versions(&self, id: StoryId) -> Result<Vec<Version>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {ARTICLE_COLS}, s.id, s.name, s.domain, s.country, s.leaning, s.language, s.notes, s.obey_robots \
             FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.story_id = ?1 \
             ORDER BY COALESCE(a.published, a.fetched_at), a.id"
        ))?;
        let rows = stmt.query_map([id.0], |row| {
            let article = article_row(row)?;
            // The source's columns follow the article's.
            let at = ARTICLE_COL_COUNT;
            let leaning: Option<String> = row.get(at + 4)?;
            let source = Source {
                id: SourceId(row.get(at)?),
                profile: SourceProfile {
                    name: row.get(at + 1)?,
                    domain: row.get(at + 2)?,
                    country: row.get(at + 3)?,
                    leaning: leaning.and_then(|l| l.parse().ok()),
                    language: row.get(at + 5)?,
                    notes: row.get(at + 6)?,
                    obey_robots: row.get(at + 7)?,
                },
            };
            Ok((article, source))
        })?;
        collect(rows, |(article, source)| {
            Ok(Version {
                article: finish_article(article)?,
                source,
            })
        })
    }

    fn add_category_rule(&self, kind: RuleKind, value: &str, category: &str) -> Result<i64> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let category_id: i64 = tx
            .query_row(
                "SELECT id FROM categories WHERE slug = ?1",
                [category],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| Error::UnknownCategory(category.to_string()))?;
        tx.execute(
            "INSERT INTO category_rules (kind, value, category_id) VALUES (?1, ?2, ?3)",
            params![kind.as_str(), value, category_id],
        )?;
        let id = tx.last_insert_rowid();
        refresh_recent_stories(&tx)?;
        tx.commit()?;
        Ok(id)
    }

    fn category_rules(&self) -> Result<Vec<CategoryRule>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT r.id, r.kind, r.value, c.id, c.slug, c.name FROM category_rules r \
             JOIN categories c ON c.id = r.category_id ORDER BY r.id",
        )?;
        let rows: Vec<(i64, String, String, i64, String, String)> = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(id, kind, value, cid, slug, name)| {
                Ok(CategoryRule {
                    id,
                    kind: RuleKind::parse(&kind).ok_or(Error::Corrupt {
                        table: "category_rules",
                        reason: format!("unknown kind {kind:?}"),
                    })?,
                    value,
                    category: Category {
                        id: CategoryId(cid),
                        slug,
                        name,
                    },
                })
            })
            .collect()
    }

    fn delete_category_rule(&self, id: i64) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        if tx.execute("DELETE FROM category_rules WHERE id = ?1", [id])? == 0 {
            return Err(Error::NotFound {
                what: "category rule",
                id,
            });
        }
        refresh_recent_stories(&tx)?;
        tx.commit()?;
        Ok(())
    }

    fn create_category(&self, name: &str) -> Result<Category> {
        let slug = parallax_model::slugify(name);
        let conn = self.conn();
        let inserted = conn.execute(
            "INSERT INTO categories (slug, name) VALUES (?1, ?2) ON CONFLICT (slug) DO NOTHING",
            params![slug, name],
        )?;
        if inserted == 0 {
            return Err(Error::Duplicate(format!("a category {slug:?}")));
        }
        Ok(Category {
            id: CategoryId(conn.last_insert_rowid()),
            slug,
            name: name.to_string(),
        })
    }

    fn rename_category(&self, slug: &str, name: &str) -> Result<()> {
        let changed = self.conn().execute(
            "UPDATE categories SET name = ?2 WHERE slug = ?1",
            params![slug, name],
        )?;
        if changed == 0 {
            return Err(Error::UnknownCategory(slug.to_string()));
        }
        Ok(())
    }

    fn categories(&self) -> Result<Vec<Category>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT id, slug, name FROM categories ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok(Category {
                id: CategoryId(r.get(0)?),
                slug: r.get(1)?,
                name: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn category(&self, slug: &str) -> Result<Option<Category>> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                "SELECT id, slug, name FROM categories WHERE slug = ?1",
                [slug],
                |r| {
                    Ok(Category {
                        id: CategoryId(r.get(0)?),
                        slug: r.get(1)?,
                        name: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    fn stats(&self) -> Result<Stats> {
        let conn = self.conn();
        let count = |sql: &str| -> Result<u64> {
            Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(Stats {
            sources: count("SELECT COUNT(*) FROM sources")?,
            feeds: count("SELECT COUNT(*) FROM feeds")?,
            failing_feeds: count("SELECT COUNT(*) FROM feeds WHERE last_error IS NOT NULL")?,
            articles: count("SELECT COUNT(*) FROM articles")?,
            stories: count("SELECT COUNT(*) FROM stories")?,
        })
    }

    fn claim_due_feeds(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        max_hosts: u32,
    ) -> Result<Vec<Feed>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let hosts: Vec<String> = tx
            .prepare(
                "SELECT f.host FROM feeds f JOIN hosts h ON h.name = f.host \
                 WHERE f.status = 'active' AND f.next_fetch <= ?1 \
                 AND (h.lease_until IS NULL OR h.lease_until <= ?1 OR h.lease_owner = ?2) \
                 GROUP BY f.host ORDER BY MIN(f.next_fetch), f.host LIMIT ?3",
            )?
            .query_map(params![ts(now), owner, max_hosts], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for host in &hosts {
            tx.execute(
                "UPDATE hosts SET lease_owner = ?2, lease_until = ?3 WHERE name = ?1",
                params![host, owner, ts(until)],
            )?;
        }
        let feeds = {
            let mut stmt = tx.prepare(&format!(
                "SELECT {FEED_COLS} FROM feeds WHERE status = 'active' AND next_fetch <= ?1 \
                 AND host IN (SELECT name FROM hosts WHERE lease_owner = ?2) \
                 ORDER BY next_fetch, id"
            ))?;
            let rows = stmt.query_map(params![ts(now), owner], feed_from_row)?;
            collect(rows, finish_feed)?
        };
        tx.commit()?;
        Ok(feeds)
    }

    fn renew_leases(&self, owner: &str, until: DateTime<Utc>) -> Result<()> {
        self.conn().execute(
            "UPDATE hosts SET lease_until = ?2 WHERE lease_owner = ?1",
            params![owner, ts(until)],
        )?;
        Ok(())
    }

    fn release_leases(&self, owner: &str) -> Result<()> {
        self.conn().execute(
            "UPDATE hosts SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?1",
            [owner],
        )?;
        Ok(())
    }

    fn lock_clustering(&self) -> Result<ClusteringLock<'_>> {
        // One process clusters a SQLite store; its callers take turns here.
        Ok(ClusteringLock::new(
            self.clustering.lock().unwrap_or_else(|p| p.into_inner()),
        ))
    }

    fn clustering_mark(&self) -> Result<ClusteringMark> {
        let conn = self.conn();
        Ok(ClusteringMark {
            article: ArticleId(conn.query_row(
                "SELECT COALESCE(MAX(id), 0) FROM articles",
                [],
                |r| r.get(0),
            )?),
            change: conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM story_changes", [], |r| {
                r.get(0)
            })?,
        })
    }

    fn story_changes_after(&self, seq: i64) -> Result<Vec<(i64, StoryChange)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT seq, kind, from_story, into_story, articles FROM story_changes \
             WHERE seq > ?1 ORDER BY seq",
        )?;
        let rows: Vec<(i64, String, i64, i64, String)> = stmt
            .query_map([seq], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(seq, kind, from, into, articles)| {
                Ok((seq, story_change(&kind, from, into, &articles)?))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_columns_are_counted_right() {
        assert_eq!(ARTICLE_COLS.split(',').count(), ARTICLE_COL_COUNT);
    }
}
