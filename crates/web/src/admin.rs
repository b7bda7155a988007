//! Editors: signing in with the admin password (argon2), a session cookie (HttpOnly,
//! SameSite=Strict, Secure behind HTTPS), a CSRF token on every form, sign-in attempts
//! limited per address, and every change written to the audit log. Nothing here changes
//! anything for a request without a live session and its form's token.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{ConnectInfo, Form, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use maud::html;
use parallax_model::{ArticleId, StoryId};
use parallax_store::{AuditEntry, Session, Store};
use rand_core::{OsRng, RngCore};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::{AppState, WebError};

const SESSION_COOKIE: &str = "parallax_session";
/// Holds the sign-in form's own CSRF token until the form comes back.
const LOGIN_COOKIE: &str = "parallax_login";
/// The setting that holds the admin password's hash.
const PASSWORD_SETTING: &str = "admin_password";
/// The settings that hold the site's name and editorial policy, as editors last saved them.
pub(crate) const SITE_NAME: &str = "site_name";
pub(crate) const SITE_POLICY: &str = "site_policy";
/// How long a session lasts.
const SESSION_HOURS: i64 = 12;
/// Failed sign-ins one address may make in `FAILURE_WINDOW` before it must wait.
const MAX_FAILURES: usize = 5;
const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Addresses the limiter remembers at most; the oldest are forgotten first.
const MAX_TRACKED: usize = 10_000;
pub const MIN_PASSWORD_CHARS: usize = 12;

/// The argon2id hash of a password, as a PHC string for the store.
pub fn hash_password(password: &str) -> Result<String, String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "the password must be at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("hashing the password: {e}"))
}

/// Sets the admin password: stores its hash, signs every session out, and records it.
pub fn set_password(store: &dyn Store, password: &str, actor: &str) -> Result<(), String> {
    let hash = hash_password(password)?;
    let now = Utc::now();
    let stored = store
        .set_setting(PASSWORD_SETTING, &hash, now)
        .and_then(|()| store.delete_sessions())
        .and_then(|()| {
            store.record_audit(&AuditEntry {
                at: now,
                actor: actor.into(),
                action: "set the admin password".into(),
                detail: "every session signed out".into(),
            })
        });
    stored.map_err(|e| e.to_string())
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn sha256_hex(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Equal strings, compared in a time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Whether the site is reached over HTTPS (directly by its configured address, or behind a
/// proxy that says so): then cookies are sent only over HTTPS.
fn is_https(state: &AppState, headers: &HeaderMap) -> bool {
    state
        .site()
        .base_url
        .as_deref()
        .is_some_and(|b| b.starts_with("https://"))
        || headers
            .get("x-forwarded-proto")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Failed sign-ins per address.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<IpAddr, Vec<Instant>>>,
}

impl LoginLimiter {
    /// How long `ip` must wait before another try, if it must.
    fn wait(&self, ip: IpAddr, now: Instant) -> Option<Duration> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let list = map.get_mut(&ip)?;
        list.retain(|t| now.duration_since(*t) < FAILURE_WINDOW);
        (list.len() >= MAX_FAILURES)
            .then(|| {
                list.first()
                    .map(|t| FAILURE_WINDOW - now.duration_since(*t))
            })
            .flatten()
    }

    fn fail(&self, ip: IpAddr, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_TRACKED && !map.contains_key(&ip) {
            map.retain(|_, l| {
                l.last()
                    .is_some_and(|t| now.duration_since(*t) < FAILURE_WINDOW)
            });
            if map.len() >= MAX_TRACKED {
                return;
            }
        }
        map.entry(ip).or_default().push(now);
    }

    fn succeed(&self, ip: IpAddr) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&ip);
    }
}

/// A signed-in editor, from the session cookie. Handlers that take it refuse everyone else.
pub(crate) struct Editor {
    session: Session,
}

/// What a request without a live session gets.
pub(crate) enum NotSignedIn {
    /// A page: go and sign in.
    ToLogin,
    Failed(WebError),
}

impl IntoResponse for NotSignedIn {
    fn into_response(self) -> Response {
        match self {
            NotSignedIn::ToLogin => Redirect::to("/admin/login").into_response(),
            NotSignedIn::Failed(e) => e.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for Editor {
    type Rejection = NotSignedIn;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE).map(str::to_string) else {
            return Err(NotSignedIn::ToLogin);
        };
        let session = state
            .blocking(move |store, _| Ok(store.session(&sha256_hex(&token), Utc::now())?))
            .await
            .map_err(NotSignedIn::Failed)?;
        session
            .map(|session| Editor { session })
            .ok_or(NotSignedIn::ToLogin)
    }
}

/// A form an editor posted, its CSRF token checked: a handler that takes one refuses a
/// stranger (sent to sign in) and a forged form (403) before it runs.
pub(crate) struct EditorForm<T> {
    pub editor: Editor,
    pub form: T,
}

/// A form that carries the session's CSRF token.
pub(crate) trait HasCsrf {
    fn csrf(&self) -> &str;
}

/// The edit form's fields as pairs (its `hide` boxes repeat).
impl HasCsrf for Vec<(String, String)> {
    fn csrf(&self) -> &str {
        self.iter()
            .find(|(k, _)| k == "csrf")
            .map_or("", |(_, v)| v.as_str())
    }
}

macro_rules! has_csrf {
    ($($form:ty),*) => {$(
        impl HasCsrf for $form {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        }
    )*};
}

has_csrf!(
    CsrfForm,
    MergeForm,
    SplitForm,
    ImportForm,
    SourceForm,
    FeedForm,
    SiteForm,
    CategoryForm,
    RuleForm
);

impl<T> axum::extract::FromRequest<AppState> for EditorForm<T>
where
    T: serde::de::DeserializeOwned + HasCsrf + Send,
{
    type Rejection = Response;

    async fn from_request(
        request: axum::extract::Request,
        state: &AppState,
    ) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let editor = Editor::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let request = axum::extract::Request::from_parts(parts, body);
        let Form(form) = Form::<T>::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        editor
            .check(form.csrf())
            .map_err(IntoResponse::into_response)?;
        Ok(EditorForm { editor, form })
    }
}

impl Editor {
    /// Records a change as this editor's.
    async fn audit(
        &self,
        state: &AppState,
        action: String,
        detail: String,
    ) -> Result<(), WebError> {
        audit(state, &self.session.actor, action, detail).await
    }

    /// The form's token must be the session's: a form posted from another site has none.
    fn check(&self, csrf: &str) -> Result<(), Refusal> {
        if same(csrf, &self.session.csrf) {
            Ok(())
        } else {
            Err(Refusal::Forged)
        }
    }
}

/// Why a form was turned away.
pub(crate) enum Refusal {
    /// Without its token: expired, or posted from another site.
    Forged,
    /// Its fields do not make sense; the message says why.
    Bad(String),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Forged => (
                StatusCode::FORBIDDEN,
                "The form has expired or came from another site. Reload the page and try again.",
            )
                .into_response(),
            Refusal::Bad(message) => (StatusCode::BAD_REQUEST, message).into_response(),
        }
    }
}

/// The address a request came from (0.0.0.0 where the server was not told: tests that
/// call the router directly).
pub(crate) struct Peer(IpAddr);

impl FromRequestParts<AppState> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip()),
        ))
    }
}

pub(crate) async fn audit(
    state: &AppState,
    actor: &str,
    action: String,
    detail: String,
) -> Result<(), WebError> {
    let entry = AuditEntry {
        at: Utc::now(),
        actor: actor.into(),
        action,
        detail,
    };
    state
        .blocking(move |store, _| Ok(store.record_audit(&entry)?))
        .await
}

fn page(state: &AppState, title: &str, body: maud::Markup) -> Html<String> {
    crate::pages::layout(&state.site(), title, &[], body)
}

fn login_form(state: &AppState, csrf: &str, message: Option<&str>) -> Html<String> {
    page(
        state,
        "Sign in",
        html! {
            h1 { "Sign in" }
            @if let Some(m) = message { p.notice role="alert" { (m) } }
            form.admin method="post" action="/admin/login" {
                input type="hidden" name="csrf" value=(csrf);
                label { "Admin password" input type="password" name="password" autocomplete="current-password" required; }
                button type="submit" { "Sign in" }
            }
        },
    )
}

pub(crate) async fn login_page(
    State(state): State<AppState>,
    editor: Result<Editor, NotSignedIn>,
    headers: HeaderMap,
) -> Response {
    if editor.is_ok() {
        return Redirect::to("/admin").into_response();
    }
    let csrf = random_token();
    let mut response = login_form(&state, &csrf, None).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(LOGIN_COOKIE, &csrf, 3600, is_https(&state, &headers)),
    );
    response
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn login(
    State(state): State<AppState>,
    Peer(ip): Peer,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let now = Instant::now();
    if let Some(wait) = state.logins.wait(ip, now) {
        let mut response = (
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Too many wrong passwords from this address. Try again in {} minutes.",
                wait.as_secs().div_ceil(60)
            ),
        )
            .into_response();
        if let Ok(v) = HeaderValue::from_str(&wait.as_secs().to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(response);
    }
    if !cookie(&headers, LOGIN_COOKIE).is_some_and(|c| !form.csrf.is_empty() && same(c, &form.csrf))
    {
        return Ok(Refusal::Forged.into_response());
    }
    let stored = state
        .blocking(|store, _| Ok(store.setting(PASSWORD_SETTING)?))
        .await?;
    let Some(stored) = stored else {
        return Ok((
            StatusCode::SERVICE_UNAVAILABLE,
            login_form(
                &state,
                &form.csrf,
                Some("No admin password is set yet: run `parallax admin set-password` on the server."),
            ),
        )
            .into_response());
    };
    let password = form.password.clone();
    // Argon2 takes tens of milliseconds on purpose: off the async threads.
    let right = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(|e| WebError::Internal(format!("task failed: {e}")))?;
    if !right {
        state.logins.fail(ip, now);
        audit(
            &state,
            "anonymous",
            "sign-in refused".into(),
            format!("from {ip}"),
        )
        .await?;
        return Ok((
            StatusCode::UNAUTHORIZED,
            login_form(&state, &form.csrf, Some("That is not the admin password.")),
        )
            .into_response());
    }
    state.logins.succeed(ip);
    let token = random_token();
    let created = Utc::now();
    let session = Session {
        token_hash: sha256_hex(&token),
        csrf: random_token(),
        actor: "admin".into(),
        created_at: created,
        expires_at: created + chrono::Duration::hours(SESSION_HOURS),
    };
    state
        .blocking(move |store, _| Ok(store.create_session(&session)?))
        .await?;
    audit(&state, "admin", "signed in".into(), format!("from {ip}")).await?;
    let secure = is_https(&state, &headers);
    let mut response = Redirect::to("/admin").into_response();
    let cookies = response.headers_mut();
    cookies.append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, &token, SESSION_HOURS * 3600, secure),
    );
    cookies.append(header::SET_COOKIE, set_cookie(LOGIN_COOKIE, "", 0, secure));
    Ok(response)
}

#[derive(Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    EditorForm { editor, .. }: EditorForm<CsrfForm>,
) -> Result<Response, WebError> {
    let hash = editor.session.token_hash.clone();
    state
        .blocking(move |store, _| Ok(store.delete_session(&hash)?))
        .await?;
    editor
        .audit(&state, "signed out".into(), String::new())
        .await?;
    let mut response = Redirect::to("/").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, is_https(&state, &headers)),
    );
    Ok(response)
}

pub(crate) async fn dashboard(
    State(state): State<AppState>,
    editor: Editor,
) -> Result<Html<String>, WebError> {
    let (sources, feeds, log, stories) = state
        .blocking(|store, _| {
            let stories = store.stories(&parallax_store::StoryQuery {
                limit: 100,
                include_hidden: true,
                ..Default::default()
            })?;
            Ok((
                store.sources()?,
                store.feeds()?,
                store.audit_log(50)?,
                stories,
            ))
        })
        .await?;
    let csrf = &editor.session.csrf;
    Ok(page(
        &state,
        "Editors",
        html! {
            h1 { "Editors" }
            nav.contents aria-label="Editors' pages" {
                ul {
                    li { a href="/admin/sources" { "Outlets and feeds" } }
                    li { a href="/admin/site" { "Site, categories and rules" } }
                    li { a href="/admin/tokens" { "API tokens" } }
                }
            }
            form.admin method="post" action="/admin/logout" {
                input type="hidden" name="csrf" value=(csrf);
                button type="submit" { "Sign out" }
            }
            h2 { "Correct a story" }
            form.admin method="post" action="/admin/stories/merge" {
                input type="hidden" name="csrf" value=(csrf);
                label { "Merge story" input type="number" name="from" min="1" required; }
                label { "into story" input type="number" name="into" min="1" required; }
                button type="submit" { "Merge" }
            }
            form.admin method="post" action="/admin/stories/split" {
                input type="hidden" name="csrf" value=(csrf);
                label { "Split out of story" input type="number" name="story" min="1" required; }
                label { "the articles (ids, separated by spaces)" input type="text" name="articles" required; }
                button type="submit" { "Split" }
            }
            p.meta { "The clusterer keeps these corrections from then on: a merged story is never split, split stories are never merged again." }
            h2 { "Stories" }
            table.feeds {
                thead { tr { th scope="col" { "Story" } th scope="col" { "Outlets" } th scope="col" { "State" } th scope="col" { "" } } }
                tbody {
                    @for s in &stories {
                        tr {
                            td { (s.id) ". " @if s.hidden { (s.title) } @else { a href=(format!("/story/{}", s.id)) { (s.title) } } }
                            td { (s.source_count) }
                            td { @if s.hidden { "hidden " } @if s.pinned { "pinned" } }
                            td { a href=(format!("/admin/stories/{}", s.id)) { "Edit" } }
                        }
                    }
                }
            }
            h2 { "Sources" }
            p { a href="/admin/sources" { "Edit, import and export the outlets" } " · " a href="/admin/site" { "The site's name, policy and categories" } " · " a href="/admin/tokens" { "API tokens" } }
            table.feeds {
                thead { tr { th scope="col" { "Outlet" } th scope="col" { "Feeds" } th scope="col" { "Failing" } } }
                tbody {
                    @for s in &sources {
                        @let of: Vec<_> = feeds.iter().filter(|f| f.source_id == s.id).collect();
                        tr {
                            td { a href=(format!("/admin/sources/{}", s.id)) { (s.profile.name) } }
                            td { (of.len()) }
                            td { (of.iter().filter(|f| f.is_failing()).count()) }
                        }
                    }
                }
            }
            h2 { "Audit log" }
            table.feeds {
                thead { tr { th scope="col" { "When" } th scope="col" { "Who" } th scope="col" { "What" } th scope="col" { "Detail" } } }
                tbody {
                    @for e in &log {
                        tr {
                            td { time datetime=(e.at.to_rfc3339()) { (crate::view::human_time(e.at)) } }
                            td { (e.actor) } td { (e.action) } td { (e.detail) }
                        }
                    }
                }
            }
        },
    ))
}

#[derive(Deserialize)]
pub(crate) struct MergeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    into: String,
}

fn bad(message: String) -> Response {
    Refusal::Bad(message).into_response()
}

fn story_id(value: &str, what: &str) -> Result<StoryId, Refusal> {
    value
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(StoryId)
        .ok_or_else(|| Refusal::Bad(format!("The {what} must be a story number, not “{value}”.")))
}

pub(crate) async fn merge(
    State(state): State<AppState>,
    EditorForm { editor, form }: EditorForm<MergeForm>,
) -> Result<Response, WebError> {
    let (from, into) = match (
        story_id(&form.from, "story to merge"),
        story_id(&form.into, "story to merge into"),
    ) {
        (Ok(f), Ok(i)) => (f, i),
        (Err(r), _) | (_, Err(r)) => return Ok(r.into_response()),
    };
    let merged = state
        .blocking(move |store, _| crate::corrections::merge(store, from, into))
        .await?;
    match merged {
        Ok(change) => editor.audit(&state, change, String::new()).await?,
        Err(message) => return Ok(bad(message)),
    }
    Ok(Redirect::to(&format!("/story/{into}")).into_response())
}

#[derive(Deserialize)]
pub(crate) struct SplitForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    story: String,
    #[serde(default)]
    articles: String,
}

pub(crate) async fn split(
    State(state): State<AppState>,
    EditorForm { editor, form }: EditorForm<SplitForm>,
) -> Result<Response, WebError> {
    let story = match story_id(&form.story, "story to split") {
        Ok(s) => s,
        Err(r) => return Ok(r.into_response()),
    };
    let mut articles = Vec::new();
    for word in form
        .articles
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
    {
        match word.parse::<i64>() {
            Ok(id) if id > 0 => articles.push(ArticleId(id)),
            _ => return Ok(bad(format!("“{word}” is not an article number."))),
        }
    }
    let split = state
        .blocking(move |store, _| crate::corrections::split(store, story, &articles))
        .await?;
    let new = match split {
        Ok((new, change)) => {
            editor.audit(&state, change, String::new()).await?;
            new
        }
        Err(message) => return Ok(bad(message)),
    };
    Ok(Redirect::to(&format!("/story/{new}")).into_response())
}

pub(crate) async fn edit_story_page(
    State(state): State<AppState>,
    editor: Editor,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Html<String>, WebError> {
    let (story, versions, hidden, categories) = state
        .blocking(move |store, _| {
            let story = store.story(StoryId(id))?.ok_or(WebError::NotFound)?;
            Ok((
                story.clone(),
                store.story_versions(story.id)?,
                store.hidden_articles(story.id)?,
                store.categories()?,
            ))
        })
        .await?;
    let current = story.category.as_ref().map(|c| c.slug.as_str());
    Ok(page(
        &state,
        &format!("Edit story {id}"),
        html! {
            h1 { "Edit story " (id) }
            form.admin method="post" action=(format!("/admin/stories/{id}")) {
                input type="hidden" name="csrf" value=(editor.session.csrf);
                label { "Title (empty: the clusterer's)" input type="text" name="title" value=(story.title) maxlength="300"; }
                label { "Category"
                    select name="category" {
                        option value="" { "— the clusterer's —" }
                        @for c in &categories { option value=(c.slug) selected[Some(c.slug.as_str()) == current] { (c.name) } }
                    }
                }
                label { input type="checkbox" name="hidden" value="on" checked[story.hidden]; " Hidden from the public" }
                label { input type="checkbox" name="pinned" value="on" checked[story.pinned]; " Pinned to the top of the front page" }
                fieldset {
                    legend { "Articles hidden from the story page" }
                    @for v in &versions {
                        label {
                            input type="checkbox" name="hide" value=(v.article.id) checked[hidden.contains(&v.article.id)];
                            " " (v.article.id) ". " (v.source.profile.name) ": " (v.article.draft.title)
                        }
                    }
                }
                button type="submit" { "Save" }
            }
        },
    ))
}

/// The edit form as it comes back: repeated `hide` fields, so read as pairs.
pub(crate) async fn edit_story(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    EditorForm {
        editor,
        form: fields,
    }: EditorForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let mut hide = Vec::new();
    for (k, v) in &fields {
        if k == "hide" {
            match v.parse::<i64>() {
                Ok(a) if a > 0 => hide.push(ArticleId(a)),
                _ => return Ok(bad(format!("“{v}” is not an article number."))),
            }
        }
    }
    // A form sends every field: unchecked boxes are off.
    let edit = crate::corrections::StoryEdit {
        title: Some(field("title").to_string()),
        category: Some(field("category").to_string()),
        hidden: Some(field("hidden") == "on"),
        pinned: Some(field("pinned") == "on"),
        hidden_articles: Some(hide),
    };
    let story = StoryId(id);
    let changes = state
        .blocking(move |store, _| crate::corrections::edit_story(store, story, &edit))
        .await?;
    let changes = match changes {
        Ok(c) => c,
        Err(message) => return Ok(bad(message)),
    };
    for change in changes {
        editor.audit(&state, change, String::new()).await?;
    }
    Ok(Redirect::to(&format!("/admin/stories/{id}")).into_response())
}

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Imported {
    pub added: usize,
    pub updated: usize,
    pub feeds: usize,
}

/// Adds or updates (by name) each outlet of the rows, and subscribes to its feeds.
pub fn import_sources(
    store: &dyn Store,
    rows: &[parallax_feed::sources_csv::SourceRow],
) -> Result<Imported, parallax_store::Error> {
    let mut done = Imported::default();
    let existing = store.sources()?;
    for row in rows {
        let known = existing.iter().find(|s| s.profile.name == row.profile.name);
        let id = match known {
            Some(s) => {
                let profile = parallax_model::SourceProfile {
                    obey_robots: s.profile.obey_robots,
                    ..row.profile.clone()
                };
                store.update_source(s.id, &profile)?;
                done.updated += 1;
                s.id
            }
            None => {
                done.added += 1;
                store.upsert_source(&row.profile)?
            }
        };
        let had = store.source_feeds(id)?;
        for url in &row.feeds {
            if !had.iter().any(|f| &f.url == url) {
                store.add_feed(id, url)?;
                done.feeds += 1;
            }
        }
    }
    Ok(done)
}

/// Every outlet with the feeds it follows, as CSV rows.
pub fn export_sources(
    store: &dyn Store,
) -> Result<Vec<parallax_feed::sources_csv::SourceRow>, parallax_store::Error> {
    let feeds = store.feeds()?;
    Ok(store
        .sources()?
        .into_iter()
        .map(|s| parallax_feed::sources_csv::SourceRow {
            feeds: feeds
                .iter()
                .filter(|f| f.source_id == s.id && f.status != parallax_model::FeedStatus::Retired)
                .map(|f| f.url.clone())
                .collect(),
            profile: s.profile,
        })
        .collect())
}

pub(crate) async fn sources_page(
    State(state): State<AppState>,
    editor: Editor,
) -> Result<Html<String>, WebError> {
    let (sources, feeds) = state
        .blocking(|store, _| Ok((store.sources()?, store.feeds()?)))
        .await?;
    Ok(page(
        &state,
        "Sources",
        html! {
            h1 { "Sources" }
            p { a href="/admin/sources.csv" { "Export as CSV" } " · " a href="/sources.opml" { "Export as OPML" } }
            table.feeds {
                thead { tr { th scope="col" { "Outlet" } th scope="col" { "Country" } th scope="col" { "Leaning" } th scope="col" { "Feeds" } th scope="col" { "Last success" } th scope="col" { "Failing" } th scope="col" { "" } } }
                tbody {
                    @for s in &sources {
                        @let of: Vec<_> = feeds.iter().filter(|f| f.source_id == s.id).collect();
                        tr {
                            td { a href=(format!("/source/{}", s.id)) { (s.profile.name) } }
                            td { (s.profile.country.as_deref().unwrap_or("—")) }
                            td { (s.profile.leaning.map(|l| l.label()).unwrap_or("—")) }
                            td { (of.iter().filter(|f| f.status == parallax_model::FeedStatus::Active).count()) " of " (of.len()) }
                            td { (of.iter().filter_map(|f| f.last_success).max().map(crate::view::human_time).unwrap_or_else(|| "never".into())) }
                            td { @let failing = of.iter().filter(|f| f.is_failing()).count(); @if failing > 0 { strong.error { (failing) } } @else { "0" } }
                            td { a href=(format!("/admin/sources/{}", s.id)) { "Edit" } }
                        }
                    }
                }
            }
            h2 { "Import outlets" }
            p.meta { "Paste CSV with the columns " code { (parallax_feed::sources_csv::COLUMNS.join(",")) } " (feeds separated by spaces; an outlet of the same name is updated), or an OPML file." }
            form.admin method="post" action="/admin/sources/import" {
                input type="hidden" name="csrf" value=(editor.session.csrf);
                label { "CSV or OPML" textarea name="file" rows="8" cols="80" required {} }
                button type="submit" { "Import" }
            }
        },
    ))
}

#[derive(Deserialize)]
pub(crate) struct ImportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    file: String,
}

pub(crate) async fn import_page(
    State(state): State<AppState>,
    EditorForm { editor, form }: EditorForm<ImportForm>,
) -> Result<Response, WebError> {
    let text = form.file.trim_start_matches('\u{feff}').trim_start();
    let (rows, errors) = if text.starts_with('<') {
        match parallax_feed::opml::parse_opml(text.as_bytes()) {
            Ok(feeds) => opml_rows(feeds),
            Err(e) => (Vec::new(), vec![format!("not OPML: {e}")]),
        }
    } else {
        let (rows, errors) = parallax_feed::sources_csv::parse_sources_csv(text.as_bytes());
        (
            rows,
            errors
                .into_iter()
                .map(|e| format!("line {}: {}", e.line, e.reason))
                .collect(),
        )
    };
    let imported = state
        .blocking(move |store, _| Ok(import_sources(store, &rows)?))
        .await?;
    editor
        .audit(
            &state,
            format!(
                "imported outlets: {} added, {} updated, {} feeds",
                imported.added, imported.updated, imported.feeds
            ),
            format!("{} rows refused", errors.len()),
        )
        .await?;
    Ok(page(
        &state,
        "Imported",
        html! {
            h1 { "Imported" }
            p { (imported.added) " outlets added, " (imported.updated) " updated, " (imported.feeds) " feeds subscribed." }
            @if !errors.is_empty() {
                h2 { "Not imported" }
                ul { @for e in &errors { li.error { (e) } } }
            }
            p { a href="/admin/sources" { "Back to the sources" } }
        },
    )
    .into_response())
}

/// OPML outlines as rows: an outlet per feed title (or host), its folder kept aside.
fn opml_rows(
    feeds: Vec<parallax_feed::opml::OpmlFeed>,
) -> (Vec<parallax_feed::sources_csv::SourceRow>, Vec<String>) {
    let mut rows: Vec<parallax_feed::sources_csv::SourceRow> = Vec::new();
    let mut errors = Vec::new();
    for f in feeds {
        let Some(host) = url::Url::parse(&f.xml_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .and_then(|u| {
                u.host_str()
                    .map(|h| h.trim_start_matches("www.").to_string())
            })
        else {
            errors.push(format!("{:?} is not an http or https URL", f.xml_url));
            continue;
        };
        let name = f.title.clone().unwrap_or_else(|| host.clone());
        match rows.iter_mut().find(|r| r.profile.name == name) {
            Some(r) => r.feeds.push(f.xml_url),
            None => rows.push(parallax_feed::sources_csv::SourceRow {
                profile: parallax_model::SourceProfile {
                    name,
                    domain: host,
                    ..Default::default()
                },
                feeds: vec![f.xml_url],
            }),
        }
    }
    (rows, errors)
}

pub(crate) async fn export_csv(
    State(state): State<AppState>,
    _editor: Editor,
) -> Result<Response, WebError> {
    let rows = state
        .blocking(|store, _| Ok(export_sources(store)?))
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"parallax-sources.csv\"",
            ),
        ],
        parallax_feed::sources_csv::write_sources_csv(&rows),
    )
        .into_response())
}

pub(crate) async fn edit_source_page(
    State(state): State<AppState>,
    editor: Editor,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Html<String>, WebError> {
    let (source, feeds) = state
        .blocking(move |store, _| {
            let source = store
                .source(parallax_model::SourceId(id))?
                .ok_or(WebError::NotFound)?;
            let feeds = store.source_feeds(source.id)?;
            Ok((source, feeds))
        })
        .await?;
    let p = &source.profile;
    let csrf = &editor.session.csrf;
    let chosen = p.leaning.map(|l| l.as_str()).unwrap_or("");
    Ok(page(
        &state,
        &format!("Edit {}", p.name),
        html! {
            h1 { "Edit " (p.name) }
            form.admin method="post" action=(format!("/admin/sources/{id}")) {
                input type="hidden" name="csrf" value=(csrf);
                label { "Name" input type="text" name="name" value=(p.name) required maxlength="200"; }
                label { "Website (host)" input type="text" name="domain" value=(p.domain) required; }
                label { "Country (two letters)" input type="text" name="country" value=(p.country.as_deref().unwrap_or("")) maxlength="2"; }
                label { "Leaning"
                    select name="leaning" {
                        option value="" selected[chosen.is_empty()] { "Not rated" }
                        @for l in parallax_model::Leaning::ALL { option value=(l.as_str()) selected[chosen == l.as_str()] { (l.label()) } }
                    }
                }
                label { "Language" input type="text" name="language" value=(p.language.as_deref().unwrap_or("")) maxlength="12"; }
                label { "Notes (ownership, funding)" textarea name="notes" rows="3" cols="60" { (p.notes.as_deref().unwrap_or("")) } }
                button type="submit" { "Save" }
            }
            h2 { "Feeds" }
            table.feeds {
                thead { tr { th scope="col" { "Feed" } th scope="col" { "State" } th scope="col" { "Last success" } th scope="col" { "Last error" } th scope="col" { "Next poll" } th scope="col" { "" } } }
                tbody {
                    @for f in &feeds {
                        tr {
                            td { (f.url) }
                            td { (f.status.as_str()) }
                            td { (f.last_success.map(crate::view::human_time).unwrap_or_else(|| "never".into())) }
                            td { (f.last_error.as_deref().unwrap_or("—")) }
                            td { @if f.status == parallax_model::FeedStatus::Active { (crate::view::human_time(f.next_fetch)) } @else { "—" } }
                            td {
                                @if f.status != parallax_model::FeedStatus::Gone {
                                    form method="post" action=(format!("/admin/feeds/{}", f.id)) {
                                        input type="hidden" name="csrf" value=(csrf);
                                        @let retire = f.status == parallax_model::FeedStatus::Active;
                                        input type="hidden" name="retired" value=(if retire { "on" } else { "off" });
                                        button type="submit" { @if retire { "Retire" } @else { "Follow again" } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            form.admin method="post" action=(format!("/admin/sources/{id}/retire")) {
                input type="hidden" name="csrf" value=(csrf);
                button type="submit" { "Retire the outlet (stop polling all its feeds)" }
            }
            form.admin method="post" action=(format!("/admin/sources/{id}/feeds")) {
                input type="hidden" name="csrf" value=(csrf);
                label { "Add a feed" input type="url" name="url" required placeholder="https://example.com/rss.xml"; }
                button type="submit" { "Add" }
            }
        },
    ))
}

#[derive(Deserialize)]
pub(crate) struct SourceForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
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
}

pub(crate) async fn edit_source(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    EditorForm { editor, form }: EditorForm<SourceForm>,
) -> Result<Response, WebError> {
    // The same rules as an imported row.
    let fields = [
        form.name.as_str(),
        form.domain.as_str(),
        form.country.as_str(),
        form.leaning.as_str(),
        form.language.as_str(),
        form.notes.as_str(),
        "",
    ];
    let mut csv = parallax_feed::sources_csv::COLUMNS.join(",");
    csv.push('\n');
    let mut writer_row = Vec::new();
    for f in fields {
        writer_row.push(format!("\"{}\"", f.trim().replace('"', "\"\"")));
    }
    csv.push_str(&writer_row.join(","));
    let (rows, errors) = parallax_feed::sources_csv::parse_sources_csv(csv.as_bytes());
    let Some(row) = rows.into_iter().next() else {
        let reason = errors
            .first()
            .map(|e| e.reason.clone())
            .unwrap_or_else(|| "the form is empty".into());
        return Ok(bad(format!("Not saved: {reason}.")));
    };
    let source = parallax_model::SourceId(id);
    let saved = state
        .blocking(move |store, _| {
            let before = store.source(source)?.ok_or(WebError::NotFound)?;
            let profile = parallax_model::SourceProfile {
                obey_robots: before.profile.obey_robots,
                ..row.profile
            };
            match store.update_source(source, &profile) {
                Ok(()) => Ok(Ok(profile.name)),
                Err(parallax_store::Error::Duplicate(what)) => {
                    Ok(Err(format!("Not saved: there is already {what}.")))
                }
                Err(e) => Err(e.into()),
            }
        })
        .await?;
    match saved {
        Ok(name) => {
            editor
                .audit(
                    &state,
                    format!("edited outlet {id} ({name})"),
                    String::new(),
                )
                .await?;
            Ok(Redirect::to(&format!("/admin/sources/{id}")).into_response())
        }
        Err(message) => Ok(bad(message)),
    }
}

#[derive(Deserialize)]
pub(crate) struct FeedForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    retired: String,
}

pub(crate) async fn add_feed(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    EditorForm { editor, form }: EditorForm<FeedForm>,
) -> Result<Response, WebError> {
    let url = match url::Url::parse(form.url.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => u.to_string(),
        _ => {
            return Ok(bad(format!(
                "“{}” is not an http or https URL.",
                form.url.trim()
            )))
        }
    };
    let source = parallax_model::SourceId(id);
    let added = url.clone();
    state
        .blocking(move |store, _| {
            store.source(source)?.ok_or(WebError::NotFound)?;
            Ok(store.add_feed(source, &added)?)
        })
        .await?;
    editor
        .audit(
            &state,
            format!("subscribed outlet {id} to {url}"),
            String::new(),
        )
        .await?;
    Ok(Redirect::to(&format!("/admin/sources/{id}")).into_response())
}

/// Retires every feed of an outlet: it stays, with its articles, and is no longer polled.
pub(crate) async fn retire_source(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    EditorForm { editor, .. }: EditorForm<CsrfForm>,
) -> Result<Response, WebError> {
    let source = parallax_model::SourceId(id);
    let retired = state
        .blocking(move |store, _| {
            store.source(source)?.ok_or(WebError::NotFound)?;
            let mut retired = 0;
            for f in store.source_feeds(source)? {
                if f.status == parallax_model::FeedStatus::Active {
                    store.set_feed_retired(f.id, true)?;
                    retired += 1;
                }
            }
            Ok(retired)
        })
        .await?;
    editor
        .audit(
            &state,
            format!("retired outlet {id} ({retired} feeds)"),
            String::new(),
        )
        .await?;
    Ok(Redirect::to(&format!("/admin/sources/{id}")).into_response())
}

pub(crate) async fn retire_feed(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    EditorForm { editor, form }: EditorForm<FeedForm>,
) -> Result<Response, WebError> {
    let retired = match form.retired.as_str() {
        "on" => true,
        "off" => false,
        other => return Ok(bad(format!("“{other}” is neither on nor off."))),
    };
    let feed = parallax_model::FeedId(id);
    let source = state
        .blocking(move |store, _| {
            let f = store.feed(feed)?.ok_or(WebError::NotFound)?;
            store.set_feed_retired(feed, retired)?;
            Ok(f.source_id)
        })
        .await?;
    editor
        .audit(
            &state,
            format!(
                "{} feed {id}",
                if retired { "retired" } else { "followed again" }
            ),
            String::new(),
        )
        .await?;
    Ok(Redirect::to(&format!("/admin/sources/{source}")).into_response())
}

pub(crate) async fn site_page(
    State(state): State<AppState>,
    editor: Editor,
) -> Result<Html<String>, WebError> {
    let site = state.site();
    let (categories, rules) = state
        .blocking(|store, _| Ok((store.categories()?, store.category_rules()?)))
        .await?;
    let csrf = &editor.session.csrf;
    Ok(page(
        &state,
        "Site",
        html! {
            h1 { "The site" }
            form.admin method="post" action="/admin/site" {
                input type="hidden" name="csrf" value=(csrf);
                label { "Name" input type="text" name="name" value=(site.name) required maxlength="100"; }
                label { "Editorial policy (paragraphs separated by a blank line)" textarea name="policy" rows="8" cols="80" required { (site.policy) } }
                button type="submit" { "Save" }
            }
            h2 { "Categories" }
            ul {
                @for c in &categories {
                    li {
                        form method="post" action=(format!("/admin/categories/{}", c.slug)) {
                            input type="hidden" name="csrf" value=(csrf);
                            label { (c.slug) ": " input type="text" name="name" value=(c.name) required maxlength="60"; }
                            button type="submit" { "Rename" }
                        }
                    }
                }
            }
            form.admin method="post" action="/admin/categories" {
                input type="hidden" name="csrf" value=(csrf);
                label { "New category" input type="text" name="name" required maxlength="60"; }
                button type="submit" { "Create" }
            }
            h2 { "Rules" }
            p.meta { "The first rule a story's articles match files it under its category, before the feeds' own categories; an editor's category for one story wins over every rule. A keyword is looked for in titles and leads in any case, a name as written, an outlet by its number." }
            ul {
                @for r in &rules {
                    li {
                        form method="post" action=(format!("/admin/categories/rules/{}/delete", r.id)) {
                            input type="hidden" name="csrf" value=(csrf);
                            (r.kind.as_str()) " “" (r.value) "” → " (r.category.name) " "
                            button type="submit" { "Delete" }
                        }
                    }
                }
            }
            form.admin method="post" action="/admin/categories/rules" {
                input type="hidden" name="csrf" value=(csrf);
                label { "Look for"
                    select name="kind" {
                        option value="keyword" { "a keyword" }
                        option value="entity" { "a name" }
                        option value="source" { "an outlet (its number)" }
                    }
                }
                label { "What" input type="text" name="value" required maxlength="100"; }
                label { "File under"
                    select name="category" { @for c in &categories { option value=(c.slug) { (c.name) } } }
                }
                button type="submit" { "Add the rule" }
            }
        },
    ))
}

#[derive(Deserialize)]
pub(crate) struct SiteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    policy: String,
}

pub(crate) async fn save_site(
    State(state): State<AppState>,
    EditorForm { editor, form }: EditorForm<SiteForm>,
) -> Result<Response, WebError> {
    let name = form.name.trim().to_string();
    let policy = form.policy.trim().replace("\r\n", "\n");
    if name.is_empty() || name.chars().count() > 100 {
        return Ok(bad("The site's name must be 1 to 100 characters.".into()));
    }
    if policy.is_empty() || policy.chars().count() > 20_000 {
        return Ok(bad("The policy must be 1 to 20,000 characters.".into()));
    }
    let (n, p) = (name.clone(), policy.clone());
    state
        .blocking(move |store, _| {
            let now = Utc::now();
            store.set_setting(SITE_NAME, &n, now)?;
            Ok(store.set_setting(SITE_POLICY, &p, now)?)
        })
        .await?;
    let mut site = (*state.site()).clone();
    site.name = name.clone();
    site.policy = policy;
    state.set_site(site);
    editor
        .audit(
            &state,
            format!("saved the site's name ({name}) and policy"),
            String::new(),
        )
        .await?;
    Ok(Redirect::to("/admin/site").into_response())
}

#[derive(Deserialize)]
pub(crate) struct CategoryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
}

fn category_name(name: &str) -> Result<String, Refusal> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(Refusal::Bad(
            "A category's name must be 1 to 60 characters.".into(),
        ));
    }
    if parallax_model::slugify(name).is_empty() {
        return Err(Refusal::Bad(format!(
            "“{name}” has no letters or digits to make an address of."
        )));
    }
    Ok(name.to_string())
}

pub(crate) async fn create_category(
    State(state): State<AppState>,
    EditorForm { editor, form }: EditorForm<CategoryForm>,
) -> Result<Response, WebError> {
    let name = match category_name(&form.name) {
        Ok(n) => n,
        Err(r) => return Ok(r.into_response()),
    };
    let n = name.clone();
    let created = state
        .blocking(move |store, _| match store.create_category(&n) {
            Ok(c) => Ok(Ok(c)),
            Err(parallax_store::Error::Duplicate(what)) => {
                Ok(Err(format!("There is already {what}.")))
            }
            Err(e) => Err(e.into()),
        })
        .await?;
    match created {
        Ok(c) => {
            editor
                .audit(
                    &state,
                    format!("created category {} ({})", c.name, c.slug),
                    String::new(),
                )
                .await?;
            Ok(Redirect::to("/admin/site").into_response())
        }
        Err(m) => Ok(bad(m)),
    }
}

pub(crate) async fn rename_category(
    State(state): State<AppState>,
    axum::extract::Path(slug): axum::extract::Path<String>,
    EditorForm { editor, form }: EditorForm<CategoryForm>,
) -> Result<Response, WebError> {
    let name = match category_name(&form.name) {
        Ok(n) => n,
        Err(r) => return Ok(r.into_response()),
    };
    let (s, n) = (slug.clone(), name.clone());
    let renamed = state
        .blocking(move |store, _| match store.rename_category(&s, &n) {
            Ok(()) => Ok(Ok(())),
            Err(parallax_store::Error::UnknownCategory(c)) => {
                Ok(Err(format!("There is no category “{c}”.")))
            }
            Err(e) => Err(e.into()),
        })
        .await?;
    match renamed {
        Ok(()) => {
            editor
                .audit(
                    &state,
                    format!("renamed category {slug} to {name}"),
                    String::new(),
                )
                .await?;
            Ok(Redirect::to("/admin/site").into_response())
        }
        Err(m) => Ok(bad(m)),
    }
}

pub(crate) async fn tokens_page(
    State(state): State<AppState>,
    editor: Editor,
) -> Result<Html<String>, WebError> {
    let tokens = state.blocking(|store, _| Ok(store.api_tokens()?)).await?;
    Ok(tokens_view(&state, &editor, &tokens, None))
}

fn tokens_view(
    state: &AppState,
    editor: &Editor,
    tokens: &[parallax_store::ApiToken],
    new: Option<(&str, &str)>,
) -> Html<String> {
    let csrf = &editor.session.csrf;
    page(
        state,
        "API tokens",
        html! {
            h1 { "API tokens" }
            p.meta { "A token lets a tool write through the API (" code { "Authorization: Bearer <token>" } "): correct stories, add outlets. Reading needs none." }
            @if let Some((name, secret)) = new {
                div.notice role="status" {
                    p { "The token for " strong { (name) } ", shown this once (only its hash is kept):" }
                    p { code.secret { (secret) } }
                }
            }
            table.feeds {
                thead { tr { th scope="col" { "Name" } th scope="col" { "Made" } th scope="col" { "State" } th scope="col" { "" } } }
                tbody {
                    @for t in tokens {
                        tr {
                            td { (t.name) }
                            td { (crate::view::human_time(t.created_at)) }
                            td { @match t.revoked_at { Some(at) => { "revoked " (crate::view::human_time(at)) }, None => { "live" } } }
                            td {
                                @if t.revoked_at.is_none() {
                                    form method="post" action=(format!("/admin/tokens/{}/revoke", t.id)) {
                                        input type="hidden" name="csrf" value=(csrf);
                                        button type="submit" { "Revoke" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            form.admin method="post" action="/admin/tokens" {
                input type="hidden" name="csrf" value=(csrf);
                label { "A name for the tool" input type="text" name="name" required maxlength="100"; }
                button type="submit" { "Make a token" }
            }
        },
    )
}

pub(crate) async fn create_token(
    State(state): State<AppState>,
    EditorForm { editor, form }: EditorForm<CategoryForm>,
) -> Result<Response, WebError> {
    let name = form.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Ok(bad("A token's name must be 1 to 100 characters.".into()));
    }
    let secret = random_token();
    let (n, hash) = (name.clone(), sha256_hex(&secret));
    let tokens = state
        .blocking(move |store, _| {
            store.create_api_token(&n, &hash, Utc::now())?;
            Ok(store.api_tokens()?)
        })
        .await?;
    editor
        .audit(&state, format!("made API token {name}"), String::new())
        .await?;
    // Shown once, never kept by a cache: the request carries the session's cookie.
    Ok(tokens_view(&state, &editor, &tokens, Some((&name, &secret))).into_response())
}

pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    EditorForm { editor, .. }: EditorForm<CsrfForm>,
) -> Result<Response, WebError> {
    state
        .blocking(move |store, _| Ok(store.revoke_api_token(id, Utc::now())?))
        .await?;
    editor
        .audit(&state, format!("revoked API token {id}"), String::new())
        .await?;
    Ok(Redirect::to("/admin/tokens").into_response())
}

/// On a private site, everything but signing in, the stylesheet and script and the health
/// check needs a live session or API token: pages send strangers to sign in, the rest
/// answers 401. `None`: the request may go on.
pub(crate) async fn refuse_stranger(
    state: &AppState,
    path: &str,
    headers: &HeaderMap,
) -> Option<Response> {
    if !state.site().private
        || matches!(
            path,
            "/admin/login"
                | "/healthz"
                | "/static/style.css"
                | "/static/site.js"
                | "/accounts/ClientLogin"
        )
    {
        return None;
    }
    let session = cookie(headers, SESSION_COOKIE).map(sha256_hex);
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("GoogleLogin auth="))
        })
        .map(|t| sha256_hex(t.trim()));
    let allowed = state
        .blocking(move |store, _| {
            Ok(match (session, bearer) {
                (Some(s), _) if store.session(&s, Utc::now())?.is_some() => true,
                (_, Some(t)) => store.api_token(&t)?.is_some(),
                _ => false,
            })
        })
        .await;
    match allowed {
        Ok(true) => None,
        Ok(false)
            if path.starts_with("/api/")
                || path.starts_with("/feeds/")
                || path.starts_with("/reader/")
                || path == "/metrics" =>
        {
            Some(
                (
                    StatusCode::UNAUTHORIZED,
                    "This site is private: sign in, or send an API token.",
                )
                    .into_response(),
            )
        }
        Ok(false) => Some(Redirect::to("/admin/login").into_response()),
        Err(e) => Some(e.into_response()),
    }
}

#[derive(Deserialize)]
pub(crate) struct RuleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    category: String,
}

pub(crate) async fn add_rule(
    State(state): State<AppState>,
    EditorForm { editor, form }: EditorForm<RuleForm>,
) -> Result<Response, WebError> {
    let Some(kind) = parallax_store::RuleKind::parse(&form.kind) else {
        return Ok(bad(format!("“{}” is not a kind of rule.", form.kind)));
    };
    let value = form.value.trim().to_string();
    if value.is_empty() || value.chars().count() > 100 {
        return Ok(bad(
            "What a rule looks for must be 1 to 100 characters.".into()
        ));
    }
    if kind == parallax_store::RuleKind::Source && value.parse::<i64>().is_err() {
        return Ok(bad(format!(
            "An outlet is named by its number, not “{value}”."
        )));
    }
    let (v, category) = (value.clone(), form.category.clone());
    let added = state
        .blocking(
            move |store, _| match store.add_category_rule(kind, &v, &category) {
                Ok(id) => Ok(Ok(id)),
                Err(parallax_store::Error::UnknownCategory(c)) => {
                    Ok(Err(format!("There is no category “{c}”.")))
                }
                Err(e) => Err(e.into()),
            },
        )
        .await?;
    match added {
        Ok(id) => {
            let change = format!(
                "added category rule {id}: {} “{value}” → {}",
                kind.as_str(),
                form.category
            );
            editor.audit(&state, change, String::new()).await?;
            Ok(Redirect::to("/admin/site").into_response())
        }
        Err(m) => Ok(bad(m)),
    }
}

pub(crate) async fn delete_rule(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    EditorForm { editor, .. }: EditorForm<CsrfForm>,
) -> Result<Response, WebError> {
    state
        .blocking(move |store, _| Ok(store.delete_category_rule(id)?))
        .await?;
    editor
        .audit(&state, format!("deleted category rule {id}"), String::new())
        .await?;
    Ok(Redirect::to("/admin/site").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify_and_short_ones_are_refused() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(Argon2::default()
            .verify_password(b"correct horse battery", &parsed)
            .is_ok());
        assert!(Argon2::default()
            .verify_password(b"wrong horse battery", &parsed)
            .is_err());
        assert!(hash_password("short").is_err());
    }

    #[test]
    fn the_limiter_holds_an_address_after_five_failures() {
        let limiter = LoginLimiter::default();
        let ip: IpAddr = [192, 0, 2, 1].into();
        let other: IpAddr = [192, 0, 2, 2].into();
        let t = Instant::now();
        for i in 0..MAX_FAILURES {
            assert_eq!(limiter.wait(ip, t), None, "try {i}");
            limiter.fail(ip, t);
        }
        assert!(limiter.wait(ip, t).is_some());
        assert_eq!(limiter.wait(other, t), None);
        assert_eq!(limiter.wait(ip, t + FAILURE_WINDOW), None);
        limiter.fail(other, t);
        limiter.succeed(other);
        assert_eq!(limiter.wait(other, t), None);
    }

    #[test]
    fn cookies_are_read_by_name_and_compared_whole() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; parallax_session=abc; b=2"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, "missing"), None);
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }
}
