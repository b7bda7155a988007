//! The `Store` trait: everything Parallax keeps, behind one interface, so the SQLite store
//! of a single machine and a PostgreSQL store can serve the same callers.
//!
//! The trait is synchronous: SQLite calls are short, and async callers run them on a
//! blocking thread. Writes that must stay together (an article, its entry and its story)
//! happen in one call, so one transaction, so a killed process leaves nothing half-written.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use parallax_model::{
    Article, ArticleDraft, ArticleId, Category, Feed, FeedId, Source, SourceId, SourceProfile,
    Story, StoryId,
};
use serde::Serialize;

mod copy;
mod postgres;
mod sqlite;
mod summary;
#[doc(hidden)]
pub mod testing;

pub use copy::{dump_tables, migrate_store, Cell, CopyReport, NOT_COPIED, TABLES};
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Not the error's source: SQLite's message already says all, and a chain printed in
    /// full said it three times ("disk is full: disk is full: Error code 13: disk is full").
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("database error: {0}")]
    Postgres(#[from] ::postgres::Error),
    #[error("cannot connect to {target}: {reason}")]
    Connect { target: String, reason: String },
    #[error("cannot copy the site: {0}")]
    Copy(String),
    #[error("{0:?} names no store: give postgres://… or sqlite://PATH")]
    UnknownUrl(String),
    #[error("cannot open the database at {path}: {reason}")]
    Open {
        path: String,
        reason: rusqlite::Error,
    },
    #[error("cannot open the database at {path}: it cannot be written ({reason})")]
    Unwritable {
        path: String,
        reason: std::io::Error,
    },
    #[error("corrupt row in {table}: {reason}")]
    Corrupt { table: &'static str, reason: String },
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: i64 },
    #[error("there is already {0}")]
    Duplicate(String),
    #[error("there is no category {0:?}")]
    UnknownCategory(String),
    #[error("cannot split story {story}: {reason}")]
    BadSplit { story: i64, reason: String },
}

pub type Result<T> = std::result::Result<T, Error>;

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Sqlite(e)
    }
}

/// Opens the store a database URL names: `postgres://…` (or `postgresql://…`) for
/// PostgreSQL, `sqlite://PATH` for a SQLite file.
pub fn open_url(url: &str) -> Result<Box<dyn Store>> {
    Ok(match StoreUrl::parse(url)? {
        StoreUrl::Postgres(url) => Box::new(PostgresStore::open(url)?),
        StoreUrl::Sqlite(path) => Box::new(SqliteStore::open(path)?),
    })
}

/// The store a database URL names.
pub(crate) enum StoreUrl<'a> {
    Postgres(&'a str),
    Sqlite(&'a std::path::Path),
}

impl<'a> StoreUrl<'a> {
    pub(crate) fn parse(url: &'a str) -> Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(StoreUrl::Postgres(url))
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            Ok(StoreUrl::Sqlite(std::path::Path::new(path)))
        } else {
            Err(Error::UnknownUrl(without_credentials(url)))
        }
    }
}

/// `url` with its user and password hidden, for messages and logs.
fn without_credentials(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    match authority.rfind('@') {
        Some(at) => format!("{scheme}://…@{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// The columns of `articles` a `ClusterRecord` is read from, in its fields' order, for both
/// backends' queries.
pub(crate) const CLUSTER_RECORD_COLS: &str =
    "id, story_id, title, text, COALESCE(published, fetched_at), language";

/// A list column's JSON text, read back.
pub(crate) fn json_list(table: &'static str, s: &str) -> Result<Vec<String>> {
    serde_json::from_str(s).map_err(|e| Error::Corrupt {
        table,
        reason: format!("bad list {s:?}: {e}"),
    })
}

pub(crate) fn to_json(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

/// The `story_changes.articles` of a split: its article ids as JSON.
pub(crate) fn article_list(articles: &[ArticleId]) -> String {
    let ids: Vec<i64> = articles.iter().map(|a| a.0).collect();
    serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into())
}

/// A `story_changes` row, read back.
pub(crate) fn story_change(
    kind: &str,
    from: i64,
    into: i64,
    articles: &str,
) -> Result<StoryChange> {
    let (from, into) = (StoryId(from), StoryId(into));
    match kind {
        "merged" => Ok(StoryChange::Merged { from, into }),
        "split" => {
            let ids: Vec<i64> = serde_json::from_str(articles).map_err(|e| Error::Corrupt {
                table: "story_changes",
                reason: format!("bad article list {articles:?}: {e}"),
            })?;
            Ok(StoryChange::Split {
                from,
                into,
                articles: ids.into_iter().map(ArticleId).collect(),
            })
        }
        _ => Err(Error::Corrupt {
            table: "story_changes",
            reason: format!("unknown kind {kind:?}"),
        }),
    }
}

/// The `reader_state` column of a reader's flag.
pub(crate) fn reader_column(flag: ReaderFlag) -> &'static str {
    match flag {
        ReaderFlag::Read => "read",
        ReaderFlag::Starred => "starred",
    }
}

/// Editors' corrections of the clusterer, as they stand after later merges.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryOverrides {
    /// Grows with every correction: a reader that saw this version has seen them all.
    pub version: i64,
    /// Stories an editor made or confirmed: the clusterer never splits them.
    pub locked: BTreeSet<StoryId>,
    /// Pairs of stories an editor split apart: the clusterer never merges them.
    pub apart: BTreeSet<(StoryId, StoryId)>,
}

impl StoryOverrides {
    /// What the `story_overrides` rows (id, kind, story, other) add up to.
    pub(crate) fn from_rows(rows: impl IntoIterator<Item = (i64, String, i64, i64)>) -> Self {
        let mut overrides = StoryOverrides::default();
        for (id, kind, story, other) in rows {
            overrides.version = overrides.version.max(id);
            overrides.locked.insert(StoryId(story));
            if kind == "parted" {
                overrides.locked.insert(StoryId(other));
                overrides.apart.insert((StoryId(story), StoryId(other)));
            }
        }
        overrides
    }
}

/// Which story a new article goes to.
#[derive(Debug, Clone, PartialEq)]
pub enum StoryChoice {
    Existing(StoryId),
    /// Start a story; its title starts as the article's.
    New,
}

/// Fetches in a row that must show the same permanent redirect before a feed's URL moves.
pub const MOVE_CONFIRMATIONS: i64 = 3;

/// What a feed's fetch left behind, when it succeeded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedSuccess {
    pub title: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Hash of the body, when one was read.
    pub body_hash: Option<String>,
    pub fetched_at: DateTime<Utc>,
    pub next_fetch: DateTime<Utc>,
    /// The interval the feed's posting rate suggests, when it could be learned.
    pub poll_interval_secs: Option<i64>,
    /// Where every redirect of this fetch said the feed moved for good.
    pub moved_to: Option<String>,
}

/// Filters and paging for story lists; the newest stories come first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryQuery {
    pub category: Option<String>,
    pub source: Option<SourceId>,
    /// Only stories whose latest article is older than this (for paging by time).
    pub before: Option<DateTime<Utc>>,
    pub limit: u32,
    /// Also the stories editors hid (their tools list them; the public never sees them).
    pub include_hidden: bool,
}

/// An article with the outlet that published it, as a story page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Version {
    pub article: Article,
    pub source: Source,
}

/// An article's fields the clusterer needs to rebuild its state after a restart.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterRecord {
    pub article: ArticleId,
    pub story: StoryId,
    pub title: String,
    pub text: String,
    pub published: DateTime<Utc>,
    pub language: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub sources: u64,
    pub feeds: u64,
    pub failing_feeds: u64,
    pub articles: u64,
    pub stories: u64,
}

/// A batch of article writes for a search index; see `Store::index_changes`.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexChanges {
    pub articles: Vec<Article>,
    pub position: String,
}

/// A position `tag:changed:article` of the store tagged `tag`, read back; the start for any
/// other.
pub(crate) fn read_position(tag: &str, position: Option<&str>) -> (i64, i64) {
    let parsed = position.and_then(|p| {
        let mut parts = p.split(':');
        (parts.next()? == tag).then_some(())?;
        let changed = parts.next()?.parse().ok()?;
        let article = parts.next()?.parse().ok()?;
        Some((changed, article))
    });
    parsed.unwrap_or((0, 0))
}

pub trait Store: Send + Sync {
    // Sources and feeds.
    /// Adds an outlet, or updates the profile of the outlet with the same name.
    fn upsert_source(&self, profile: &SourceProfile) -> Result<SourceId>;
    /// An editor's change of an outlet's profile, its name included.
    fn update_source(&self, id: SourceId, profile: &SourceProfile) -> Result<()>;
    /// Stops polling a feed (its articles stay), or follows it again; a gone feed stays
    /// gone.
    fn set_feed_retired(&self, id: FeedId, retired: bool) -> Result<()>;
    fn source(&self, id: SourceId) -> Result<Option<Source>>;
    fn sources(&self) -> Result<Vec<Source>>;
    /// Subscribes to a feed; subscribing twice to one URL returns the same feed.
    fn add_feed(&self, source: SourceId, url: &str) -> Result<FeedId>;
    fn feed(&self, id: FeedId) -> Result<Option<Feed>>;
    fn feeds(&self) -> Result<Vec<Feed>>;
    fn source_feeds(&self, source: SourceId) -> Result<Vec<Feed>>;
    /// Feeds whose next fetch is due at `now`, the longest-waiting first.
    fn due_feeds(&self, now: DateTime<Utc>) -> Result<Vec<Feed>>;
    /// Records a successful fetch; a permanent redirect seen often enough moves the feed.
    fn record_feed_success(&self, feed: FeedId, success: &FeedSuccess) -> Result<()>;
    /// The feed answered 410 Gone: it is no longer polled, and stays listed for the operator.
    fn record_feed_gone(&self, feed: FeedId, at: DateTime<Utc>) -> Result<()>;
    fn set_feed_folder(&self, feed: FeedId, folder: Option<&str>) -> Result<()>;
    /// Records a failed fetch with its reason; the error count goes up.
    fn record_feed_failure(
        &self,
        feed: FeedId,
        reason: &str,
        at: DateTime<Utc>,
        next_fetch: DateTime<Utc>,
    ) -> Result<()>;

    // Entries and articles.
    /// The article an entry became, and the entry's hash when it was stored.
    fn entry(&self, feed: FeedId, guid: &str) -> Result<Option<(ArticleId, String)>>;
    fn article_by_canonical_url(&self, canonical_url: &str) -> Result<Option<ArticleId>>;
    /// Stores a new article, its entry and its story membership in one transaction.
    fn insert_article(
        &self,
        draft: &ArticleDraft,
        story: StoryChoice,
    ) -> Result<(ArticleId, StoryId)>;
    /// Records that an entry of another feed is an article already stored (same canonical
    /// URL): the exact duplicate is merged, not stored twice.
    fn link_entry(
        &self,
        feed: FeedId,
        guid: &str,
        entry_hash: &str,
        article: ArticleId,
    ) -> Result<()>;
    /// Replaces an article's content after its entry was edited; it stays in its story.
    fn update_article(&self, id: ArticleId, draft: &ArticleDraft) -> Result<()>;
    fn article(&self, id: ArticleId) -> Result<Option<Article>>;
    fn source_articles(&self, source: SourceId, limit: u32) -> Result<Vec<Article>>;
    /// The clustering fields of the articles of every story whose last article is within
    /// `window` of the latest story's (stories dated more than a day ahead of the clock
    /// aside), in the order they were stored: what a clusterer restores, whose older
    /// stories no new article can join.
    fn cluster_records(&self, window: chrono::Duration) -> Result<Vec<ClusterRecord>>;
    /// Records that `article` is a near-duplicate of the earlier article `of` (wire copy, a
    /// reprint, a truncated version).
    fn mark_copy(&self, article: ArticleId, of: ArticleId) -> Result<()>;
    /// Moves every article of story `from` into story `into` (fragments of one story that
    /// the clusterer's merge pass joined), and drops `from`. The moved articles are indexed
    /// again, under their new story.
    fn merge_stories(&self, from: StoryId, into: StoryId) -> Result<()>;
    /// Moves `articles` of story `from` into a new story (two events the clusterer's split
    /// pass told apart) and returns it. Every article must be of `from`, and at least one
    /// must stay. A copy link that would cross the two stories is dropped. The moved
    /// articles are indexed again, under their new story.
    fn split_story(&self, from: StoryId, articles: &[ArticleId]) -> Result<StoryId>;
    /// An editor's merge: as `merge_stories`, and the clusterer never splits the story.
    fn merge_stories_as_editor(&self, from: StoryId, into: StoryId) -> Result<()>;
    /// An editor's split: as `split_story`, and the clusterer never merges the two stories
    /// again and splits neither.
    fn split_story_as_editor(&self, from: StoryId, articles: &[ArticleId]) -> Result<StoryId>;
    /// The editors' corrections the clusterer must respect.
    fn story_overrides(&self) -> Result<StoryOverrides>;
    /// Articles written (stored, edited, moved to another story) after `position` (`None`:
    /// from the first), in the order of their writes, at most `limit`, and the position
    /// after them. A search index that commits each batch with its position misses none,
    /// and resumes after a crash from what it committed; any number of indexes follow one
    /// store, each at its own pace. A position another kind of store gave starts over.
    fn index_changes(&self, position: Option<&str>, limit: u32) -> Result<IndexChanges>;
    /// Retention: drops the text and HTML of at most `limit` articles published (else
    /// fetched) before `before`, keeping their titles, metadata, entries and stories; returns
    /// how many. Each is written again, so indexes drop its words too.
    fn drop_old_texts(&self, before: DateTime<Utc>, limit: u32) -> Result<u64>;

    // Stories and categories.
    fn story(&self, id: StoryId) -> Result<Option<Story>>;
    fn stories(&self, query: &StoryQuery) -> Result<Vec<Story>>;
    /// A story's versions, oldest first.
    fn story_versions(&self, id: StoryId) -> Result<Vec<Version>>;
    fn categories(&self) -> Result<Vec<Category>>;
    /// An editors' rule filing stories under `category` (a slug); the latest stories are
    /// filed again at once.
    fn add_category_rule(&self, kind: RuleKind, value: &str, category: &str) -> Result<i64>;
    /// The rules, in the order they are tried.
    fn category_rules(&self) -> Result<Vec<CategoryRule>>;
    fn delete_category_rule(&self, id: i64) -> Result<()>;
    /// A new category; its slug is made from its name and must be new.
    fn create_category(&self, name: &str) -> Result<Category>;
    /// A category's new name; its slug, and so its address, stays.
    fn rename_category(&self, slug: &str, name: &str) -> Result<()>;
    fn category(&self, slug: &str) -> Result<Option<Category>>;

    fn stats(&self) -> Result<Stats>;

    // Editors.
    /// Hides a story from every public list and page, or shows it again.
    fn set_story_hidden(&self, id: StoryId, hidden: bool) -> Result<()>;
    /// Pins a story to the top of the front page, or unpins it.
    fn set_story_pinned(&self, id: StoryId, pinned: bool) -> Result<()>;
    /// An editor's title, kept as articles join; `None` gives the choice back to the
    /// clusterer.
    fn set_story_title(&self, id: StoryId, title: Option<&str>) -> Result<()>;
    /// An editor's category (by slug, which must exist), kept as articles join; `None`
    /// gives the choice back.
    fn set_story_category(&self, id: StoryId, slug: Option<&str>) -> Result<()>;
    /// Hides an article from its story's page, or shows it again.
    fn set_article_hidden(&self, id: ArticleId, hidden: bool) -> Result<()>;
    /// The hidden articles of a story.
    fn hidden_articles(&self, story: StoryId) -> Result<Vec<ArticleId>>;
    /// A site setting ("admin_password": the argon2 hash of the admin's password).
    fn setting(&self, key: &str) -> Result<Option<String>>;
    fn set_setting(&self, key: &str, value: &str, at: DateTime<Utc>) -> Result<()>;
    /// Stores a signed-in session; expired ones are dropped.
    fn create_session(&self, session: &Session) -> Result<()>;
    /// The session whose token hashes to `token_hash`, if it has not expired at `now`.
    fn session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Session>>;
    fn delete_session(&self, token_hash: &str) -> Result<()>;
    /// Signs everyone out (a new password).
    fn delete_sessions(&self) -> Result<()>;
    /// A new API token, by the SHA-256 of its secret; returns its id.
    fn create_api_token(&self, name: &str, token_hash: &str, at: DateTime<Utc>) -> Result<i64>;
    /// Every token, revoked ones too, oldest first.
    fn api_tokens(&self) -> Result<Vec<ApiToken>>;
    /// The live (not revoked) token whose secret hashes to `token_hash`.
    fn api_token(&self, token_hash: &str) -> Result<Option<ApiToken>>;
    fn revoke_api_token(&self, id: i64, at: DateTime<Utc>) -> Result<()>;
    /// Marks stories read (or starred) for a reader, or not.
    fn set_reader_state(
        &self,
        token: i64,
        stories: &[StoryId],
        flag: ReaderFlag,
        on: bool,
    ) -> Result<()>;
    /// The stories a reader has marked read (or starred).
    fn reader_stories(&self, token: i64, flag: ReaderFlag) -> Result<Vec<StoryId>>;
    fn record_audit(&self, entry: &AuditEntry) -> Result<()>;
    /// The newest entries first.
    fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>>;

    // Workers: many processes ingesting into one store.
    /// Leases to `owner` until `until` the hosts (at most `max_hosts`, the longest-waiting
    /// first) with feeds due at `now` that no other owner holds a live lease on, and returns
    /// those hosts' due feeds, the longest-waiting first. A host is one owner's at a time, so
    /// no feed is fetched twice at once and each host is paced by one process.
    fn claim_due_feeds(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        max_hosts: u32,
    ) -> Result<Vec<Feed>>;
    /// Extends every lease `owner` holds to `until` (a long cycle keeps its hosts).
    fn renew_leases(&self, owner: &str, until: DateTime<Utc>) -> Result<()>;
    /// Gives up every lease `owner` holds.
    fn release_leases(&self, owner: &str) -> Result<()>;
    /// Holds every other process's clustering off until the lock is dropped: decisions and
    /// the stories they write are made one process at a time. A killed holder's lock goes
    /// with its connection.
    fn lock_clustering(&self) -> Result<ClusteringLock<'_>>;
    /// Where the clusterers' journal stands: the last article stored, the last merge or split.
    fn clustering_mark(&self) -> Result<ClusteringMark>;
    /// The clustering fields of the articles stored after `after`, in the order they were
    /// stored.
    fn cluster_records_after(&self, after: ArticleId) -> Result<Vec<ClusterRecord>>;
    /// The clusterers' merges and splits (`merge_stories`, `split_story`) journaled after
    /// `seq`, in order, with their sequence numbers.
    fn story_changes_after(&self, seq: i64) -> Result<Vec<(i64, StoryChange)>>;
}

/// Held while a process clusters; see `Store::lock_clustering`.
pub struct ClusteringLock<'a> {
    _held: Box<dyn Held + 'a>,
}

impl<'a> ClusteringLock<'a> {
    pub(crate) fn new(held: impl Held + 'a) -> Self {
        ClusteringLock {
            _held: Box::new(held),
        }
    }
}

/// Anything whose drop releases a lock.
pub(crate) trait Held {}
impl<T> Held for T {}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClusteringMark {
    /// The highest article id (0 when there is none).
    pub article: ArticleId,
    /// The highest `story_changes` sequence number (0 when there is none).
    pub change: i64,
}

/// A clusterer's change of stories, as journaled for the other processes' clusterers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoryChange {
    Merged {
        from: StoryId,
        into: StoryId,
    },
    Split {
        from: StoryId,
        into: StoryId,
        articles: Vec<ArticleId>,
    },
}

/// A signed-in editor's session. The cookie holds a random token; the store keeps only its
/// SHA-256, so a copy of the database signs no one in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token_hash: String,
    /// The token every form of the session must send back.
    pub csrf: String,
    pub actor: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// What an editors' category rule looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// Words in an article's title or lead, in any case.
    Keyword,
    /// An outlet, by its id.
    Source,
    /// A name (a person, place or organisation) as written.
    Entity,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Keyword => "keyword",
            RuleKind::Source => "source",
            RuleKind::Entity => "entity",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "keyword" => RuleKind::Keyword,
            "source" => RuleKind::Source,
            "entity" => RuleKind::Entity,
            _ => return None,
        })
    }
}

/// One rule: stories whose articles show `value` go under `category`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryRule {
    pub id: i64,
    pub kind: RuleKind,
    pub value: String,
    pub category: Category,
}

/// What a feed reader marks a story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReaderFlag {
    Read,
    Starred,
}

/// A token other tools write with. Its secret is shown once, when it is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// One change: who made it, what it was, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_database_url_is_named_without_its_password() {
        let refused = open_url("mysql://editor:hunter2@db.internal:3306/site").err();
        let message = refused.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("db.internal:3306/site"), "{message}");
        assert!(
            !message.contains("hunter2") && !message.contains("editor"),
            "{message}"
        );
        assert_eq!(
            without_credentials("sqlite:///tmp/a@b.db"),
            "sqlite:///tmp/a@b.db"
        );
        assert_eq!(without_credentials("no scheme"), "no scheme");
    }
}
