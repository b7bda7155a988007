//! The JSON API, version 1: stories and their versions.

use axum::extract::{Path, Query, State};
use axum::Json;
use chrono::{DateTime, Utc};
use parallax_model::{SourceId, Story, StoryId};
use parallax_store::{StoryQuery, Version};
use serde::{Deserialize, Serialize};

use crate::{AppState, WebError};

#[derive(Deserialize)]
pub(crate) struct ListParams {
    limit: Option<u32>,
    category: Option<String>,
    source: Option<i64>,
    /// Cursor: the `next_before` of the previous page.
    before: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct StoryList {
    stories: Vec<Story>,
    /// Pass as `before` to get the next page; absent on the last page.
    next_before: Option<DateTime<Utc>>,
}

pub(crate) async fn stories(
    State(state): State<AppState>,
    Query(p): Query<ListParams>,
) -> Result<Json<StoryList>, WebError> {
    let limit = p.limit.unwrap_or(20).clamp(1, 100);
    let before = match p.before.as_deref() {
        Some(raw) => Some(
            DateTime::parse_from_rfc3339(raw)
                .map_err(|_| {
                    WebError::BadRequest(format!("`before` must be an RFC 3339 time, got {raw:?}"))
                })?
                .with_timezone(&Utc),
        ),
        None => None,
    };
    let query = StoryQuery {
        category: p.category,
        source: p.source.map(SourceId),
        before,
        limit,
        include_hidden: false,
    };
    let stories = state
        .blocking(move |store, _| Ok(store.stories(&query)?))
        .await?;
    let next_before = if stories.len() as u32 == limit {
        stories.last().map(|s| s.last_published)
    } else {
        None
    };
    Ok(Json(StoryList {
        stories,
        next_before,
    }))
}

#[derive(Serialize)]
pub(crate) struct StoryDetail {
    #[serde(flatten)]
    story: Story,
    versions: Vec<Version>,
}

pub(crate) async fn story(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<StoryDetail>, WebError> {
    let detail = state
        .blocking(move |store, _| {
            let (story, versions) = crate::view::public_story(store, StoryId(id))?;
            Ok(StoryDetail { story, versions })
        })
        .await?;
    Ok(Json(detail))
}

/// How the story's versions differ: common ground, each sentence shared or unique, what
/// only each outlet reports, and the timeline.
pub(crate) async fn story_analysis(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<crate::analysis::StoryAnalysis>, WebError> {
    let cache = std::sync::Arc::clone(&state.analyses);
    let analysis = state
        .blocking(move |store, _| {
            let (story, versions) = crate::view::public_story(store, StoryId(id))?;
            Ok(cache.get_or_analyse(story.id, &versions))
        })
        .await?;
    Ok(Json(analysis.as_ref().clone()))
}
