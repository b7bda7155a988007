//! Domain types shared by every Parallax crate: sources, feeds, articles, stories, and their ids.
//!
//! No IO and no async here: this crate is the vocabulary, nothing more.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub mod url_norm;

macro_rules! id_newtype {
    ($($name:ident),*) => {$(
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_newtype!(SourceId, FeedId, ArticleId, StoryId, CategoryId);

/// Political leaning of an outlet on a five-point scale, as editors rate it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Leaning {
    Left,
    CenterLeft,
    Center,
    CenterRight,
    Right,
}

impl Leaning {
    pub const ALL: [Leaning; 5] = [
        Leaning::Left,
        Leaning::CenterLeft,
        Leaning::Center,
        Leaning::CenterRight,
        Leaning::Right,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Leaning::Left => "left",
            Leaning::CenterLeft => "center-left",
            Leaning::Center => "center",
            Leaning::CenterRight => "center-right",
            Leaning::Right => "right",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Leaning::Left => "Left",
            Leaning::CenterLeft => "Centre-left",
            Leaning::Center => "Centre",
            Leaning::CenterRight => "Centre-right",
            Leaning::Right => "Right",
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown leaning {0:?}: expected left, center-left, center, center-right or right")]
pub struct UnknownLeaning(pub String);

impl FromStr for Leaning {
    type Err = UnknownLeaning;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Ok(match norm.as_str() {
            "left" => Leaning::Left,
            "center-left" | "centre-left" | "lean-left" => Leaning::CenterLeft,
            "center" | "centre" => Leaning::Center,
            "center-right" | "centre-right" | "lean-right" => Leaning::CenterRight,
            "right" => Leaning::Right,
            _ => return Err(UnknownLeaning(s.to_string())),
        })
    }
}

/// What an operator tells Parallax about an outlet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SourceProfile {
    pub name: String,
    /// Registrable host of the outlet's site, e.g. `example.com`.
    pub domain: String,
    /// ISO 3166-1 alpha-2 code, upper case.
    pub country: Option<String>,
    pub leaning: Option<Leaning>,
    pub language: Option<String>,
    pub notes: Option<String>,
    /// Whether robots.txt is asked before this outlet's article pages are fetched.
    #[serde(default = "yes")]
    pub obey_robots: bool,
}

fn yes() -> bool {
    true
}

impl Default for SourceProfile {
    fn default() -> Self {
        SourceProfile {
            name: String::new(),
            domain: String::new(),
            country: None,
            leaning: None,
            language: None,
            notes: None,
            obey_robots: true,
        }
    }
}

/// An outlet: one publisher, possibly with several feeds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Source {
    pub id: SourceId,
    #[serde(flatten)]
    pub profile: SourceProfile,
}

/// A subscribed feed and what the last fetches left behind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feed {
    pub id: FeedId,
    pub source_id: SourceId,
    pub url: String,
    pub title: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_fetched: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub error_count: u32,
    pub next_fetch: DateTime<Utc>,
    /// `Gone` after a 410: no longer polled, kept for the record.
    pub status: FeedStatus,
    /// Time between polls, adapted to how often the feed posts; `None` until first learned.
    pub poll_interval_secs: Option<i64>,
    /// The folder (category) the feed was filed under, e.g. from an OPML import.
    pub folder: Option<String>,
    /// Hash of the last body fetched: an unchanged body is not parsed again.
    pub body_hash: Option<String>,
}

impl Feed {
    /// Failures in a row after which the operator is told the feed needs a look.
    pub const FAILING_AFTER: u32 = 5;

    pub fn is_failing(&self) -> bool {
        self.error_count >= Self::FAILING_AFTER
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedStatus {
    Active,
    Gone,
    /// An editor stopped following it (kept, with its articles, and no longer polled).
    Retired,
}

impl FeedStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FeedStatus::Active => "active",
            FeedStatus::Gone => "gone",
            FeedStatus::Retired => "retired",
        }
    }
}

/// Where an article's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ContentOrigin {
    /// Extracted from the article's own page.
    Page,
    /// The page could not be read; the feed's content is kept instead.
    Feed,
}

impl ContentOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            ContentOrigin::Page => "page",
            ContentOrigin::Feed => "feed",
        }
    }
}

impl FromStr for ContentOrigin {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "page" => Ok(ContentOrigin::Page),
            "feed" => Ok(ContentOrigin::Feed),
            other => Err(format!("unknown content origin {other:?}")),
        }
    }
}

/// An article as ingestion hands it to the store: an entry's page, extracted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ArticleDraft {
    pub source_id: SourceId,
    pub feed_id: FeedId,
    /// The entry's stable identity within its feed (GUID, else link, else content hash).
    pub guid: String,
    /// Hash of the entry as the feed served it; a change means the entry was edited.
    pub entry_hash: String,
    pub url: String,
    /// Normalised URL used to recognise the same article arriving twice.
    pub canonical_url: String,
    pub title: String,
    pub authors: Vec<String>,
    pub published: Option<DateTime<Utc>>,
    pub modified: Option<DateTime<Utc>>,
    pub site_name: Option<String>,
    pub language: Option<String>,
    pub image: Option<String>,
    pub description: Option<String>,
    pub text: String,
    pub html: String,
    pub origin: ContentOrigin,
    /// The text is not the whole article: the page is behind a paywall or built by script,
    /// and what is kept is the feed's excerpt or the page's teaser.
    #[serde(default)]
    pub partial: bool,
    pub categories: Vec<String>,
}

/// A stored article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Article {
    pub id: ArticleId,
    pub story_id: StoryId,
    pub fetched_at: DateTime<Utc>,
    /// The earlier article this one is a near-duplicate of (wire copy, a reprint, a
    /// truncated version), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_of: Option<ArticleId>,
    /// When retention dropped its text and HTML (the outlet keeps them); its title and
    /// metadata stay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_dropped_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub draft: ArticleDraft,
}

impl Article {
    /// The time to show and sort by: publication time, else when we first saw it.
    pub fn effective_time(&self) -> DateTime<Utc> {
        self.draft.published.unwrap_or(self.fetched_at)
    }
}

/// Articles about one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Story {
    pub id: StoryId,
    pub title: String,
    pub category: Option<Category>,
    pub first_published: DateTime<Utc>,
    pub last_published: DateTime<Utc>,
    pub article_count: u32,
    pub source_count: u32,
    /// Hidden by an editor: never shown to the public.
    pub hidden: bool,
    /// Pinned by an editor to the top of the front page.
    pub pinned: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Category {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
}

/// Turns a category name into its URL slug: lower-case ASCII words joined by dashes.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for ch in name.chars() {
        if ch.is_alphanumeric() {
            slug.extend(ch.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaning_round_trips_through_its_name() {
        for l in Leaning::ALL {
            assert_eq!(l.as_str().parse::<Leaning>().unwrap(), l);
        }
        assert_eq!(
            "Centre Right".parse::<Leaning>().unwrap(),
            Leaning::CenterRight
        );
        assert!("sideways".parse::<Leaning>().is_err());
    }

    #[test]
    fn slugify_keeps_words_and_drops_punctuation() {
        assert_eq!(slugify("  Science & Tech! "), "science-tech");
        assert_eq!(slugify("Économie"), "économie");
    }
}
