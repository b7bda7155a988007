//! Serves each demo outlet on its own loopback port, plus a host of broken feeds for tests.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use sha2::{Digest, Sha256};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::fixture::{load_fixture, Fixture, FixtureOutlet};
use crate::render::{article_path, content_type, feed_path, render_feed, render_page, slugify};
use crate::Result;

#[derive(Debug, Clone, Default)]
pub struct DemoOptions {
    /// Address to bind; port 0 picks a free port for each outlet.
    pub host: Option<std::net::IpAddr>,
    /// When set, each article page waits for (and consumes) one permit, so a test decides
    /// exactly how far a run can get before it interrupts it.
    pub page_gate: Option<Arc<tokio::sync::Semaphore>>,
}

/// One outlet, running.
#[derive(Debug, Clone)]
pub struct RunningOutlet {
    pub outlet: FixtureOutlet,
    pub base_url: String,
    /// The main feed first, then section feeds.
    pub feed_urls: Vec<String>,
}

/// The demo web: every outlet's site, and a host of broken feeds.
pub struct DemoWeb {
    pub fixture: Fixture,
    pub outlets: Vec<RunningOutlet>,
    /// Base URL of a host whose feeds are broken: `/missing.xml` (404), `/garbage.xml` (not a
    /// feed) and `/slow.xml` (answers after a minute).
    pub broken_base_url: String,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for DemoWeb {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

struct Resource {
    status: StatusCode,
    content_type: &'static str,
    body: String,
    etag: String,
    /// Article pages pass the page gate, feeds never.
    is_page: bool,
}

struct Site {
    resources: HashMap<String, Resource>,
    page_gate: Option<Arc<tokio::sync::Semaphore>>,
}

fn resource(
    status: StatusCode,
    content_type: &'static str,
    body: String,
    is_page: bool,
) -> Resource {
    let digest = format!("{:x}", Sha256::digest(body.as_bytes()));
    let etag = format!("\"{}\"", &digest[..16]);
    Resource {
        status,
        content_type,
        body,
        etag,
        is_page,
    }
}

async fn serve_site(State(site): State<Arc<Site>>, uri: Uri, headers: HeaderMap) -> Response {
    let Some(res) = site.resources.get(uri.path()) else {
        return Response::builder()
            .status(StatusCode::NOT_FOUND)
            .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
            .body(Body::from(
                "<html><body><h1>Page not found</h1></body></html>",
            ))
            .unwrap_or_default();
    };
    if let (true, Some(gate)) = (res.is_page, &site.page_gate) {
        match gate.acquire().await {
            Ok(permit) => permit.forget(),
            Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        }
    }
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(res.etag.as_str())
    {
        return Response::builder()
            .status(StatusCode::NOT_MODIFIED)
            .header(header::ETAG, &res.etag)
            .body(Body::empty())
            .unwrap_or_default();
    }
    Response::builder()
        .status(res.status)
        .header(header::CONTENT_TYPE, res.content_type)
        .header(header::ETAG, &res.etag)
        .body(Body::from(res.body.clone()))
        .unwrap_or_default()
}

async fn bind(host: std::net::IpAddr) -> Result<(TcpListener, String)> {
    let listener = TcpListener::bind(SocketAddr::new(host, 0)).await?;
    let addr = listener.local_addr()?;
    Ok((listener, format!("http://{addr}")))
}

fn spawn(listener: TcpListener, router: Router) -> JoinHandle<()> {
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            tracing::warn!("demo outlet stopped: {e}");
        }
    })
}

impl DemoWeb {
    /// Starts every outlet on its own port. Must run inside a tokio runtime.
    pub async fn start(options: DemoOptions) -> Result<DemoWeb> {
        let fixture = load_fixture()?;
        let host = options
            .host
            .unwrap_or(std::net::IpAddr::from([127, 0, 0, 1]));
        let mut outlets = Vec::new();
        let mut tasks = Vec::new();
        for outlet in &fixture.outlets {
            let (listener, base) = bind(host).await?;
            let mut resources = HashMap::new();
            let articles: Vec<_> = fixture.articles_of(&outlet.slug).collect();
            for a in &articles {
                let (status, body) = if a.page_fails() {
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "<html><body><h1>Internal Server Error</h1></body></html>".to_string(),
                    )
                } else {
                    (StatusCode::OK, render_page(&fixture, outlet, a, &base))
                };
                resources.insert(
                    article_path(a),
                    resource(status, "text/html; charset=utf-8", body, true),
                );
            }
            let main_feed = feed_path(outlet);
            let mut feed_urls = vec![format!("{base}{main_feed}")];
            resources.insert(
                main_feed.to_string(),
                resource(
                    StatusCode::OK,
                    content_type(outlet),
                    render_feed(outlet, &articles, &base, main_feed, ""),
                    false,
                ),
            );
            for section in &outlet.sections {
                let path = format!("/section/{}{main_feed}", slugify(section));
                let in_section: Vec<_> = articles
                    .iter()
                    .copied()
                    .filter(|a| &a.category == section)
                    .collect();
                let suffix = format!("?utm_source=section-feed&utm_medium={}", slugify(section));
                resources.insert(
                    path.clone(),
                    resource(
                        StatusCode::OK,
                        content_type(outlet),
                        render_feed(outlet, &in_section, &base, &path, &suffix),
                        false,
                    ),
                );
                feed_urls.push(format!("{base}{path}"));
            }
            let home: String = articles
                .iter()
                .map(|a| {
                    format!(
                        "<li><a href=\"{}\">{}</a></li>",
                        article_path(a),
                        crate::render::escape(&a.title)
                    )
                })
                .collect();
            resources.insert(
                "/".into(),
                resource(
                    StatusCode::OK,
                    "text/html; charset=utf-8",
                    format!(
                        "<html><head><title>{}</title><link rel=\"alternate\" type=\"{}\" href=\"{main_feed}\"></head><body><ul>{home}</ul></body></html>",
                        crate::render::escape(&outlet.name),
                        content_type(outlet).split(';').next().unwrap_or("application/rss+xml")
                    ),
                    false,
                ),
            );
            let router = Router::new()
                .fallback(serve_site)
                .with_state(Arc::new(Site {
                    resources,
                    page_gate: options.page_gate.clone(),
                }));
            tasks.push(spawn(listener, router));
            outlets.push(RunningOutlet {
                outlet: outlet.clone(),
                base_url: base,
                feed_urls,
            });
        }

        let (listener, broken_base_url) = bind(host).await?;
        let router = Router::new()
            .route(
                "/garbage.xml",
                axum::routing::get(|| async {
                    (
                        [(header::CONTENT_TYPE, "application/rss+xml")],
                        "<html><body><p>Under maintenance <b>back soon</p></body>",
                    )
                }),
            )
            .route(
                "/slow.xml",
                axum::routing::get(|| async {
                    tokio::time::sleep(Duration::from_secs(60)).await;
                    "<rss version=\"2.0\"><channel><title>Too late</title></channel></rss>"
                }),
            );
        tasks.push(spawn(listener, router));
        Ok(DemoWeb {
            fixture,
            outlets,
            broken_base_url,
            tasks,
        })
    }

    /// Where an article's page is served.
    pub fn article_url(&self, article: &crate::FixtureArticle) -> Option<String> {
        let outlet = self
            .outlets
            .iter()
            .find(|o| o.outlet.slug == article.outlet)?;
        Some(format!("{}{}", outlet.base_url, article_path(article)))
    }

    /// The outlet an article URL belongs to, and the article, if it is one of the demo's.
    pub fn article_for_url(&self, url: &str) -> Option<(&RunningOutlet, &crate::FixtureArticle)> {
        let outlet = self.outlets.iter().find(|o| url.starts_with(&o.base_url))?;
        let path = url[outlet.base_url.len()..].split(['?', '#']).next()?;
        let article = self
            .fixture
            .articles_of(&outlet.outlet.slug)
            .find(|a| article_path(a) == path)?;
        Some((outlet, article))
    }
}
