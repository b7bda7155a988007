//! The bundled outlets and articles, read from `data/`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::{Error, Result};

const OUTLETS: &str = include_str!("../data/outlets.toml");
const STORIES: &str = include_str!("../data/stories.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct FixtureOutlet {
    pub slug: String,
    pub name: String,
    pub country: String,
    pub leaning: String,
    pub language: String,
    pub notes: String,
    /// `rss2`, `rss1`, `atom` or `jsonfeed`.
    pub feed: String,
    /// `summary` (first paragraph) or `full` (the whole article) in the feed.
    pub feed_content: String,
    /// Section feeds, each listing the articles of one category again.
    #[serde(default)]
    pub sections: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FixtureArticle {
    /// The story this article must end up in.
    pub event: String,
    pub outlet: String,
    pub slug: String,
    pub published: DateTime<Utc>,
    #[serde(default)]
    pub author: Option<String>,
    pub category: String,
    pub title: String,
    #[serde(default)]
    pub body: String,
    /// `outlet/slug` of the wire article this one republishes.
    #[serde(default)]
    pub copy_of: Option<String>,
    /// A paragraph the republisher adds at the end.
    #[serde(default)]
    pub extra: Option<String>,
    /// `error` makes the page answer 500; `paywall` shows a teaser (see `is_paywalled`).
    #[serde(default)]
    pub page: Option<String>,
}

impl FixtureArticle {
    pub fn paragraphs(&self) -> Vec<&str> {
        self.body
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect()
    }

    pub fn page_fails(&self) -> bool {
        self.page.as_deref() == Some("error")
    }

    /// The page shows its first paragraph and a subscription box, and says the article is
    /// for subscribers; the outlet's feed carries the whole text.
    pub fn is_paywalled(&self) -> bool {
        self.page.as_deref() == Some("paywall")
    }
}

#[derive(Debug, Clone)]
pub struct Fixture {
    pub outlets: Vec<FixtureOutlet>,
    /// In file order, wire copies resolved to their full text.
    pub articles: Vec<FixtureArticle>,
}

impl Fixture {
    pub fn outlet(&self, slug: &str) -> Option<&FixtureOutlet> {
        self.outlets.iter().find(|o| o.slug == slug)
    }

    pub fn articles_of<'a>(
        &'a self,
        outlet: &'a str,
    ) -> impl Iterator<Item = &'a FixtureArticle> + 'a {
        self.articles.iter().filter(move |a| a.outlet == outlet)
    }
}

#[derive(Deserialize)]
struct OutletsFile {
    outlet: Vec<FixtureOutlet>,
}

#[derive(Deserialize)]
struct StoriesFile {
    article: Vec<FixtureArticle>,
}

pub fn load_fixture() -> Result<Fixture> {
    let outlets: OutletsFile =
        toml::from_str(OUTLETS).map_err(|e| Error::Data(format!("outlets.toml: {e}")))?;
    let stories: StoriesFile =
        toml::from_str(STORIES).map_err(|e| Error::Data(format!("stories.toml: {e}")))?;
    let mut articles = stories.article;
    let originals: HashMap<String, FixtureArticle> = articles
        .iter()
        .filter(|a| a.copy_of.is_none())
        .map(|a| (format!("{}/{}", a.outlet, a.slug), a.clone()))
        .collect();
    for a in &mut articles {
        if !outlets.outlet.iter().any(|o| o.slug == a.outlet) {
            return Err(Error::Data(format!(
                "article {} names unknown outlet {}",
                a.slug, a.outlet
            )));
        }
        if let Some(key) = &a.copy_of {
            let original = originals
                .get(key)
                .ok_or_else(|| Error::Data(format!("{} copies unknown article {key}", a.slug)))?;
            a.body = original.body.clone();
            if let Some(extra) = &a.extra {
                a.body = format!("{}\n\n{extra}", a.body.trim_end());
            }
            if a.author.is_none() {
                a.author = original.author.clone();
            }
        }
        if a.paragraphs().is_empty() {
            return Err(Error::Data(format!("article {} has no body", a.slug)));
        }
    }
    Ok(Fixture {
        outlets: outlets.outlet,
        articles,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn bundled_fixture_has_the_promised_shape() {
        let f = load_fixture().unwrap();
        assert!(f.outlets.len() >= 6);
        assert!(f.articles.len() >= 40);
        let events: HashSet<_> = f.articles.iter().map(|a| a.event.as_str()).collect();
        assert!(events.len() >= 10);
        let formats: HashSet<_> = f.outlets.iter().map(|o| o.feed.as_str()).collect();
        assert_eq!(formats.len(), 4);
        assert!(f.articles.iter().any(|a| a.copy_of.is_some()));
    }
}
