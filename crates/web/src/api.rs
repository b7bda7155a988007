//! The JSON API, version 1: stories and their versions, read by anyone; editors' corrections
//! and outlets written with an API token an editor made.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use parallax_model::{SourceId, Story, StoryId};
use parallax_store::{StoryQuery, Version};
use serde::{Deserialize, Serialize};

use crate::{AppState, WebError};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListParams {
    /// Stories per page, 1 to 100 (default 20).
    limit: Option<u32>,
    category: Option<String>,
    source: Option<i64>,
    /// Cursor: the `next_before` of the previous page.
    before: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct StoryList {
    stories: Vec<Story>,
    /// Pass as `before` to get the next page; absent on the last page.
    next_before: Option<DateTime<Utc>>,
}

/// Stories, newest first, with filters and cursor paging.
#[utoipa::path(get, path = "/api/v1/stories", params(ListParams),
    responses((status = 200, body = StoryList), (status = 400, body = ErrorBody)))]
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

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct StoryDetail {
    #[serde(flatten)]
    story: Story,
    versions: Vec<Version>,
}

/// One story with its versions.
#[utoipa::path(get, path = "/api/v1/stories/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = StoryDetail), (status = 404)))]
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

/// One article (a version) with its outlet; one hidden by editors, or of a hidden story, is
/// not found.
#[utoipa::path(get, path = "/api/v1/articles/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = Version), (status = 404)))]
pub(crate) async fn article(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Version>, WebError> {
    let version = state
        .blocking(move |store, _| {
            let article = store
                .article(parallax_model::ArticleId(id))?
                .ok_or(WebError::NotFound)?;
            let (_, versions) = crate::view::public_story(store, article.story_id)?;
            versions
                .into_iter()
                .find(|v| v.article.id == article.id)
                .ok_or(WebError::NotFound)
        })
        .await?;
    Ok(Json(version))
}

/// Every outlet with its profile (country, leaning, language, notes).
#[utoipa::path(get, path = "/api/v1/sources", responses((status = 200, body = SourceList)))]
pub(crate) async fn sources(State(state): State<AppState>) -> Result<Json<SourceList>, WebError> {
    let sources = state.blocking(|store, _| Ok(store.sources()?)).await?;
    Ok(Json(SourceList { sources }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct SourceList {
    sources: Vec<parallax_model::Source>,
}

/// One outlet.
#[utoipa::path(get, path = "/api/v1/sources/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = parallax_model::Source), (status = 404)))]
pub(crate) async fn source(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<parallax_model::Source>, WebError> {
    let source = state
        .blocking(move |store, _| store.source(SourceId(id))?.ok_or(WebError::NotFound))
        .await?;
    Ok(Json(source))
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct CategoryList {
    categories: Vec<parallax_model::Category>,
}

/// The categories stories are filed under.
#[utoipa::path(get, path = "/api/v1/categories", responses((status = 200, body = CategoryList)))]
pub(crate) async fn categories(
    State(state): State<AppState>,
) -> Result<Json<CategoryList>, WebError> {
    let categories = state.blocking(|store, _| Ok(store.categories()?)).await?;
    Ok(Json(CategoryList { categories }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SearchParams {
    /// Words to find; quotes for a phrase.
    q: String,
    /// Results per page, 1 to 100 (default 20).
    limit: Option<usize>,
    /// Results to skip (paging).
    offset: Option<usize>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct SearchAnswer {
    /// Articles that match in all.
    total: usize,
    hits: Vec<SearchHit>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct SearchHit {
    article: i64,
    story: i64,
    source: i64,
    title: String,
    /// Escaped text with the matched words in `<b>`.
    snippet: String,
}

/// Full-text search over articles, best first.
#[utoipa::path(get, path = "/api/v1/search", params(SearchParams),
    responses((status = 200, body = SearchAnswer)))]
pub(crate) async fn search(
    State(state): State<AppState>,
    Query(p): Query<SearchParams>,
) -> Result<Json<SearchAnswer>, WebError> {
    let limit = p.limit.unwrap_or(20).clamp(1, 100);
    let offset = p.offset.unwrap_or(0).min(10_000);
    let q: String = p.q.chars().take(500).collect();
    let answer = state
        .blocking(move |store, index| {
            let results =
                index.search(&q, &parallax_search::SearchFilter::default(), limit, offset)?;
            let mut hits = Vec::new();
            for h in results.hits {
                // What editors hid is not found.
                let Some(story) = store.story(h.story_id)?.filter(|s| !s.hidden) else {
                    continue;
                };
                if store.hidden_articles(story.id)?.contains(&h.article_id) {
                    continue;
                }
                hits.push(SearchHit {
                    article: h.article_id.0,
                    story: h.story_id.0,
                    source: h.source_id.0,
                    title: h.title,
                    snippet: h.snippet,
                });
            }
            Ok(SearchAnswer {
                total: results.total,
                hits,
            })
        })
        .await?;
    Ok(Json(answer))
}

/// How the story's versions differ: common ground, each sentence shared or unique, what
/// only each outlet reports, and the timeline.
#[utoipa::path(get, path = "/api/v1/stories/{id}/analysis", params(("id" = i64, Path)),
    responses((status = 200, body = Object, description = "Common ground, each version's sentences, what only each outlet reports, quotes, disagreements, entities, the timeline"), (status = 404)))]
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

/// A tool with a live API token: the only way to write through the API.
pub(crate) struct ApiWriter {
    name: String,
}

fn json_error(status: axum::http::StatusCode, message: impl Into<String>) -> Response {
    (status, Json(serde_json::json!({ "error": message.into() }))).into_response()
}

impl axum::extract::FromRequestParts<AppState> for ApiWriter {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let unauthorized = |message: &str| {
            let mut r = json_error(axum::http::StatusCode::UNAUTHORIZED, message);
            r.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
            r
        };
        let Some(secret) = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|s| s.trim().to_string())
        else {
            return Err(unauthorized(
                "writing needs an API token: Authorization: Bearer <token>",
            ));
        };
        let token = state
            .blocking(move |store, _| Ok(store.api_token(&crate::admin::sha256_hex(&secret))?))
            .await
            .map_err(IntoResponse::into_response)?;
        match token {
            Some(t) => Ok(ApiWriter { name: t.name }),
            None => Err(unauthorized("the API token is unknown or revoked")),
        }
    }
}

/// A JSON body, or what is wrong with it (for a 400).
fn body<T>(parsed: Result<Json<T>, axum::extract::rejection::JsonRejection>) -> Result<T, String> {
    parsed.map(|Json(v)| v).map_err(|e| {
        format!(
            "the body is not the JSON this endpoint takes: {}",
            e.body_text()
        )
    })
}

async fn audit_all(state: &AppState, actor: &str, changes: &[String]) -> Result<(), WebError> {
    for change in changes {
        crate::admin::audit(state, actor, change.clone(), "through the API".into()).await?;
    }
    Ok(())
}

fn refused(message: String) -> Response {
    json_error(axum::http::StatusCode::BAD_REQUEST, message)
}

/// `PATCH /api/v1/stories/{id}`: title, category, hidden, pinned, hidden_articles; a field
/// left out is left as it is.
#[utoipa::path(patch, path = "/api/v1/stories/{id}", params(("id" = i64, Path)),
    request_body = crate::corrections::StoryEdit, security(("token" = [])),
    responses((status = 200, body = Changes), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404)))]
pub(crate) async fn edit_story(
    State(state): State<AppState>,
    writer: ApiWriter,
    Path(id): Path<i64>,
    edit: Result<Json<crate::corrections::StoryEdit>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, WebError> {
    let edit = match body(edit) {
        Ok(e) => e,
        Err(message) => return Ok(refused(message)),
    };
    let story = StoryId(id);
    let done = state
        .blocking(move |store, _| crate::corrections::edit_story(store, story, &edit))
        .await?;
    match done {
        Ok(changes) => {
            let actor = format!("API token {}", writer.name);
            audit_all(&state, &actor, &changes).await?;
            Ok(Json(Changes { story: id, changes }).into_response())
        }
        Err(message) => Ok(refused(message)),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MergeBody {
    from: i64,
    into: i64,
}

/// `POST /api/v1/stories/merge`: `{"from": id, "into": id}`.
#[utoipa::path(post, path = "/api/v1/stories/merge", request_body = MergeBody,
    security(("token" = [])),
    responses((status = 200, body = Changes), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub(crate) async fn merge_stories(
    State(state): State<AppState>,
    writer: ApiWriter,
    merge: Result<Json<MergeBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, WebError> {
    let m = match body(merge) {
        Ok(m) => m,
        Err(message) => return Ok(refused(message)),
    };
    let (from, into) = (StoryId(m.from), StoryId(m.into));
    let done = state
        .blocking(move |store, _| crate::corrections::merge(store, from, into))
        .await?;
    match done {
        Ok(change) => {
            audit_all(
                &state,
                &format!("API token {}", writer.name),
                std::slice::from_ref(&change),
            )
            .await?;
            Ok(Json(Changes {
                story: m.into,
                changes: vec![change],
            })
            .into_response())
        }
        Err(message) => Ok(refused(message)),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SplitBody {
    articles: Vec<i64>,
}

/// `POST /api/v1/stories/{id}/split`: `{"articles": [ids]}` move to a new story.
#[utoipa::path(post, path = "/api/v1/stories/{id}/split", params(("id" = i64, Path)),
    request_body = SplitBody, security(("token" = [])),
    responses((status = 201, body = Changes), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub(crate) async fn split_story(
    State(state): State<AppState>,
    writer: ApiWriter,
    Path(id): Path<i64>,
    split: Result<Json<SplitBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, WebError> {
    let s = match body(split) {
        Ok(s) => s,
        Err(message) => return Ok(refused(message)),
    };
    let articles: Vec<parallax_model::ArticleId> = s
        .articles
        .into_iter()
        .map(parallax_model::ArticleId)
        .collect();
    let done = state
        .blocking(move |store, _| crate::corrections::split(store, StoryId(id), &articles))
        .await?;
    match done {
        Ok((new, change)) => {
            audit_all(
                &state,
                &format!("API token {}", writer.name),
                std::slice::from_ref(&change),
            )
            .await?;
            Ok((
                axum::http::StatusCode::CREATED,
                Json(Changes {
                    story: new.0,
                    changes: vec![change],
                }),
            )
                .into_response())
        }
        Err(message) => Ok(refused(message)),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceBody {
    name: String,
    #[serde(default)]
    domain: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    leaning: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    feeds: Vec<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourcesBody {
    sources: Vec<SourceBody>,
}

/// `POST /api/v1/sources`: outlets to add or update (by name) with their feeds, by the rules
/// of the CSV import; each refused one is named by its place in the list.
#[utoipa::path(post, path = "/api/v1/sources", request_body = SourcesBody,
    security(("token" = [])),
    responses((status = 200, body = Imported), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub(crate) async fn import_sources(
    State(state): State<AppState>,
    writer: ApiWriter,
    sources: Result<Json<SourcesBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, WebError> {
    let sources = match body(sources) {
        Ok(s) => s.sources,
        Err(message) => return Ok(refused(message)),
    };
    let mut rows = Vec::new();
    let mut refused = Vec::new();
    for (i, s) in sources.iter().enumerate() {
        let feeds = s.feeds.join(" ");
        let fields = [
            s.name.as_str(),
            s.domain.as_str(),
            s.country.as_str(),
            s.leaning.as_str(),
            s.language.as_str(),
            s.notes.as_str(),
            feeds.as_str(),
        ];
        match parallax_feed::sources_csv::read_row(|k| fields[k].trim()) {
            Ok(row) => rows.push(row),
            Err(reason) => refused.push(Refused { index: i, reason }),
        }
    }
    let done = state
        .blocking(move |store, _| Ok(crate::admin::import_sources(store, &rows)?))
        .await?;
    let change = format!(
        "imported outlets: {} added, {} updated, {} feeds",
        done.added, done.updated, done.feeds
    );
    audit_all(&state, &format!("API token {}", writer.name), &[change]).await?;
    Ok(Json(Imported {
        added: done.added,
        updated: done.updated,
        feeds: done.feeds,
        refused,
    })
    .into_response())
}

/// What an error answer says.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ErrorBody {
    error: String,
}

/// What a correction changed, one audit line each.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Changes {
    story: i64,
    changes: Vec<String>,
}

/// What an outlet import did, and the entries it refused by their place in the list.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Imported {
    added: usize,
    updated: usize,
    feeds: usize,
    refused: Vec<Refused>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Refused {
    index: usize,
    reason: String,
}

/// The API as OpenAPI 3.1, made from the handlers and types above.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "Parallax API", version = "1", description = "Stories as every outlet tells them. Reading is public; writing needs an API token an editor makes at /admin/tokens."),
    paths(
        stories,
        story,
        story_analysis,
        article,
        sources,
        source,
        categories,
        search,
        edit_story,
        merge_stories,
        split_story,
        import_sources
    ),
    modifiers(&BearerToken)
)]
pub(crate) struct ApiDoc;

struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// `GET /api/v1/openapi.json`.
pub(crate) async fn openapi() -> Response {
    use utoipa::OpenApi;
    match ApiDoc::openapi().to_json() {
        Ok(json) => (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            json,
        )
            .into_response(),
        Err(e) => WebError::Internal(format!("openapi: {e}")).into_response(),
    }
}
