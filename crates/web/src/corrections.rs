//! Editors' corrections of stories, checked and applied: what the site's forms and the API's
//! write endpoints both do. Each returns what changed, as audit lines, or why it refused
//! (a message for the editor); store failures are errors.

use parallax_model::{ArticleId, StoryId};
use parallax_store::Store;

use crate::WebError;

/// What changed, one audit line each; or why nothing did.
pub(crate) type Checked<T> = Result<Result<T, String>, WebError>;

pub(crate) fn merge(store: &dyn Store, from: StoryId, into: StoryId) -> Checked<String> {
    if from == into {
        return Ok(Err("A story cannot be merged into itself.".into()));
    }
    for id in [from, into] {
        if store.story(id)?.is_none() {
            return Ok(Err(format!("There is no story {id}.")));
        }
    }
    store.merge_stories_as_editor(from, into)?;
    Ok(Ok(format!("merged story {from} into {into}")))
}

/// Moves `articles` out of `story` into a new story.
pub(crate) fn split(
    store: &dyn Store,
    story: StoryId,
    articles: &[ArticleId],
) -> Checked<(StoryId, String)> {
    if articles.is_empty() {
        return Ok(Err("Name the articles to split out.".into()));
    }
    if store.story(story)?.is_none() {
        return Ok(Err(format!("There is no story {story}.")));
    }
    let members: Vec<ArticleId> = store
        .story_versions(story)?
        .into_iter()
        .map(|v| v.article.id)
        .collect();
    if let Some(a) = articles.iter().find(|a| !members.contains(a)) {
        return Ok(Err(format!("Article {a} is not in story {story}.")));
    }
    if articles.len() >= members.len() {
        return Ok(Err("At least one article must stay in the story.".into()));
    }
    let new = store.split_story_as_editor(story, articles)?;
    let list: Vec<String> = articles.iter().map(|a| a.to_string()).collect();
    Ok(Ok((
        new,
        format!(
            "split articles {} out of story {story} into story {new}",
            list.join(", ")
        ),
    )))
}

/// A story's editorial choices; `None` leaves one as it is. An empty title or category
/// gives the choice back to the clusterer.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StoryEdit {
    pub title: Option<String>,
    pub category: Option<String>,
    pub hidden: Option<bool>,
    pub pinned: Option<bool>,
    /// The story's articles to hide; the others are shown.
    pub hidden_articles: Option<Vec<ArticleId>>,
}

pub(crate) fn edit_story(
    store: &dyn Store,
    story: StoryId,
    edit: &StoryEdit,
) -> Checked<Vec<String>> {
    let before = store.story(story)?.ok_or(WebError::NotFound)?;
    let versions = store.story_versions(story)?;
    if let Some(hide) = &edit.hidden_articles {
        if let Some(a) = hide
            .iter()
            .find(|a| !versions.iter().any(|v| v.article.id == **a))
        {
            return Ok(Err(format!("Article {a} is not in story {story}.")));
        }
    }
    let title = edit.title.as_deref().map(str::trim);
    if title.is_some_and(|t| t.chars().count() > 300) {
        return Ok(Err("A title has at most 300 characters.".into()));
    }
    let category = edit.category.as_deref().map(str::trim);
    if let Some(c) = category.filter(|c| !c.is_empty()) {
        if store.category(c)?.is_none() {
            return Ok(Err(format!("There is no category “{c}”.")));
        }
    }
    let mut changes = Vec::new();
    match title {
        // An empty title gives the choice back; an unchanged one changes nothing.
        Some("") => store.set_story_title(story, None)?,
        Some(t) if t != before.title => {
            store.set_story_title(story, Some(t))?;
            changes.push(format!("titled story {story} “{t}”"));
        }
        _ => {}
    }
    let was = before
        .category
        .as_ref()
        .map(|c| c.slug.as_str())
        .unwrap_or("");
    if let Some(c) = category.filter(|c| *c != was) {
        store.set_story_category(story, Some(c).filter(|c| !c.is_empty()))?;
        changes.push(format!("put story {story} in category “{c}”"));
    }
    if let Some(hidden) = edit.hidden.filter(|h| *h != before.hidden) {
        store.set_story_hidden(story, hidden)?;
        changes.push(format!(
            "{} story {story}",
            if hidden { "hid" } else { "showed" }
        ));
    }
    if let Some(pinned) = edit.pinned.filter(|p| *p != before.pinned) {
        store.set_story_pinned(story, pinned)?;
        changes.push(format!(
            "{} story {story}",
            if pinned { "pinned" } else { "unpinned" }
        ));
    }
    if let Some(hide) = &edit.hidden_articles {
        let was_hidden = store.hidden_articles(story)?;
        for v in &versions {
            let (now, then) = (
                hide.contains(&v.article.id),
                was_hidden.contains(&v.article.id),
            );
            if now != then {
                store.set_article_hidden(v.article.id, now)?;
                changes.push(format!(
                    "{} article {} of story {story}",
                    if now { "hid" } else { "showed" },
                    v.article.id
                ));
            }
        }
    }
    Ok(Ok(changes))
}
