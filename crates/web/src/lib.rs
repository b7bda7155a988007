//! The site: server-rendered HTML pages (readable without JavaScript), the JSON API under
//! `/api/v1`, output feeds, `/healthz` and `/metrics`. The only crate that knows HTTP shapes.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use parallax_search::SearchIndex;
use parallax_store::Store;

pub mod admin;
pub mod analysis;
mod api;
mod caching;
mod corrections;
mod feeds;
mod greader;
mod metrics;
mod pages;
mod view;

pub use feeds::subscriptions_opml;
pub use metrics::{CycleCounts, Metrics};

/// What the operator says about the site.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub name: String,
    /// The editorial policy shown at the foot of every story page (plain text, paragraphs
    /// separated by blank lines).
    pub policy: String,
    /// The site's public address, for absolute links in feeds; when absent it is taken from
    /// the request's Host header.
    pub base_url: Option<String>,
    /// Only signed-in editors and API tokens may read the site.
    pub private: bool,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            name: "Parallax".into(),
            policy: "Parallax groups reports of the same event from outlets across countries and \
                     political leanings, and shows every version side by side, each attributed to \
                     its publisher with a link to the original. We do not edit the outlets' text; \
                     grouping is automatic and may err.\n\nEach outlet's country and leaning are \
                     shown as rated by this site's editors."
                .into(),
            base_url: None,
            private: false,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub index: Arc<SearchIndex>,
    /// The site's name and policy: the configuration's, replaced by what editors saved.
    site: Arc<std::sync::RwLock<Arc<SiteConfig>>>,
    pub metrics: Arc<Metrics>,
    pub analyses: Arc<analysis::AnalysisCache>,
    pub(crate) answers: Arc<caching::AnswerCache>,
    pub(crate) logins: Arc<admin::LoginLimiter>,
}

impl AppState {
    pub fn new(
        store: Arc<dyn Store>,
        index: Arc<SearchIndex>,
        site: SiteConfig,
        metrics: Arc<Metrics>,
    ) -> Self {
        // What editors saved wins over the configuration file.
        let mut site = site;
        if let Ok(Some(name)) = store.setting(admin::SITE_NAME) {
            site.name = name;
        }
        if let Ok(Some(policy)) = store.setting(admin::SITE_POLICY) {
            site.policy = policy;
        }
        AppState {
            store,
            index,
            site: Arc::new(std::sync::RwLock::new(Arc::new(site))),
            metrics,
            analyses: Arc::new(analysis::AnalysisCache::default()),
            answers: Arc::new(caching::AnswerCache::default()),
            logins: Arc::new(admin::LoginLimiter::default()),
        }
    }

    pub fn site(&self) -> Arc<SiteConfig> {
        Arc::clone(&self.site.read().unwrap_or_else(|p| p.into_inner()))
    }

    pub(crate) fn set_site(&self, site: SiteConfig) {
        *self.site.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(site);
    }

    /// Runs store and index calls on a blocking thread: SQLite calls block.
    pub(crate) async fn blocking<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store, &SearchIndex) -> Result<T, WebError> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        let index = Arc::clone(&self.index);
        tokio::task::spawn_blocking(move || f(store.as_ref(), &index))
            .await
            .map_err(|e| WebError::Internal(format!("task failed: {e}")))?
    }
}

/// Every error a handler can return; mapped to a response in one place, `into_response`.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("store: {0}")]
    Store(#[from] parallax_store::Error),
    #[error("search: {0}")]
    Search(#[from] parallax_search::Error),
    #[error("{0}")]
    Internal(String),
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            WebError::NotFound | WebError::Store(parallax_store::Error::NotFound { .. }) => {
                (StatusCode::NOT_FOUND, "Not found".to_string())
            }
            WebError::BadRequest(m) => (StatusCode::BAD_REQUEST, m.clone()),
            // Internals are logged, never shown.
            other => {
                tracing::error!(error = %other, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on our side".to_string(),
                )
            }
        };
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            message,
        )
            .into_response()
    }
}

async fn count_requests(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    state
        .metrics
        .record_response(response.status().as_u16(), started.elapsed());
    response
}

/// What every answer may load and who may frame it. Scripts and styles come only from the
/// site's own files (no inline script anywhere); an article's images, video players and
/// media come from its outlet, so those may come from anywhere on the web.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' https: http: data:; media-src https: http:; \
     frame-src https:; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// Sets the security headers on every answer, the kept ones and the errors included.
async fn secure_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, header::HeaderValue::from_static(value));
    }
    response
}

/// The whole site.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::front))
        .route("/story/{id}", get(pages::story))
        .route("/source/{id}", get(pages::source))
        .route("/category/{slug}", get(pages::category))
        .route("/blindspots", get(pages::blindspots))
        .route("/timeline", get(pages::timeline))
        .route("/search", get(pages::search))
        .route("/static/style.css", get(pages::stylesheet))
        .route("/static/site.js", get(pages::script))
        .route("/feeds/{file}", get(feeds::stories))
        .route("/feeds/category/{slug}/{format}", get(feeds::category))
        .route("/feeds/source/{id}/{format}", get(feeds::source))
        .route("/feeds/story/{id}/{format}", get(feeds::story))
        .route("/feeds/search/{format}", get(feeds::search))
        .route("/api/v1/stories", get(api::stories))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/stories/merge", post(api::merge_stories))
        .route(
            "/api/v1/stories/{id}",
            get(api::story).patch(api::edit_story),
        )
        .route("/api/v1/stories/{id}/split", post(api::split_story))
        .route(
            "/api/v1/sources",
            get(api::sources).post(api::import_sources),
        )
        .route("/api/v1/sources/{id}", get(api::source))
        .route("/api/v1/articles/{id}", get(api::article))
        .route("/api/v1/categories", get(api::categories))
        .route("/api/v1/search", get(api::search))
        .route("/api/v1/stories/{id}/analysis", get(api::story_analysis))
        .route("/admin", get(admin::dashboard))
        .route("/admin/login", get(admin::login_page).post(admin::login))
        .route("/admin/logout", post(admin::logout))
        .route("/admin/stories/merge", post(admin::merge))
        .route("/admin/stories/split", post(admin::split))
        .route("/admin/site", get(admin::site_page).post(admin::save_site))
        .route(
            "/admin/tokens",
            get(admin::tokens_page).post(admin::create_token),
        )
        .route("/admin/tokens/{id}/revoke", post(admin::revoke_token))
        .route("/admin/categories", post(admin::create_category))
        .route("/admin/categories/rules", post(admin::add_rule))
        .route(
            "/admin/categories/rules/{id}/delete",
            post(admin::delete_rule),
        )
        .route("/admin/categories/{slug}", post(admin::rename_category))
        .route("/admin/sources", get(admin::sources_page))
        .route("/admin/sources.csv", get(admin::export_csv))
        .route("/admin/sources/import", post(admin::import_page))
        .route(
            "/admin/sources/{id}",
            get(admin::edit_source_page).post(admin::edit_source),
        )
        .route("/admin/sources/{id}/feeds", post(admin::add_feed))
        .route("/admin/sources/{id}/retire", post(admin::retire_source))
        .route("/admin/feeds/{id}", post(admin::retire_feed))
        .route("/sources.opml", get(feeds::opml))
        .route(
            "/admin/stories/{id}",
            get(admin::edit_story_page).post(admin::edit_story),
        )
        // The Google Reader API, for mobile feed readers.
        .route(
            "/accounts/ClientLogin",
            get(greader::client_login).post(greader::client_login),
        )
        .route("/reader/api/0/token", get(greader::token))
        .route("/reader/api/0/user-info", get(greader::user_info))
        .route(
            "/reader/api/0/subscription/list",
            get(greader::subscriptions),
        )
        .route("/reader/api/0/tag/list", get(greader::tags))
        .route("/reader/api/0/unread-count", get(greader::unread_count))
        .route("/reader/api/0/stream/items/ids", get(greader::item_ids))
        .route(
            "/reader/api/0/stream/items/contents",
            get(greader::item_contents).post(greader::item_contents),
        )
        .route(
            "/reader/api/0/stream/contents/{*stream}",
            get(greader::stream_contents),
        )
        .route("/reader/api/0/edit-tag", post(greader::edit_tag))
        .route(
            "/reader/api/0/mark-all-as-read",
            post(greader::mark_all_read),
        )
        .route("/healthz", get(metrics::healthz))
        .route("/metrics", get(metrics::metrics))
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            caching::validate,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_requests,
        ))
        .layer(middleware::from_fn(secure_headers))
        .with_state(state)
}
