//! `/healthz` and `/metrics` (Prometheus text format).

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Counters the site and the ingest loop update, exported at `/metrics`.
#[derive(Default)]
pub struct Metrics {
    /// Responses by status class: 1xx..5xx.
    responses: [AtomicU64; 5],
    ingest_cycles: AtomicU64,
    ingested_articles: AtomicU64,
    failed_feed_fetches: AtomicU64,
}

impl Metrics {
    pub fn record_response(&self, status: u16) {
        let class = (status / 100).clamp(1, 5) as usize - 1;
        self.responses[class].fetch_add(1, Ordering::Relaxed);
    }

    pub fn record_ingest_cycle(&self, new_articles: u64, failed_feeds: u64) {
        self.ingest_cycles.fetch_add(1, Ordering::Relaxed);
        self.ingested_articles
            .fetch_add(new_articles, Ordering::Relaxed);
        self.failed_feed_fetches
            .fetch_add(failed_feeds, Ordering::Relaxed);
    }
}

pub(crate) async fn healthz(State(state): State<AppState>) -> Response {
    match state.blocking(|store, _| Ok(store.stats()?)).await {
        Ok(stats) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::json!({"status": "ok", "articles": stats.articles, "stories": stats.stories}).to_string(),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, [(header::CONTENT_TYPE, "application/json")], r#"{"status":"unavailable"}"#).into_response()
        }
    }
}

pub(crate) async fn metrics(State(state): State<AppState>) -> Response {
    let stats = match state.blocking(|store, _| Ok(store.stats()?)).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let m = &state.metrics;
    let mut out = String::new();
    let mut gauge = |name: &str, help: &str, kind: &str, value: u64| {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
        );
    };
    gauge(
        "parallax_sources",
        "Outlets followed.",
        "gauge",
        stats.sources,
    );
    gauge("parallax_feeds", "Feeds subscribed.", "gauge", stats.feeds);
    gauge(
        "parallax_feeds_failing",
        "Feeds whose last fetch failed.",
        "gauge",
        stats.failing_feeds,
    );
    gauge(
        "parallax_articles",
        "Articles stored.",
        "gauge",
        stats.articles,
    );
    gauge("parallax_stories", "Stories.", "gauge", stats.stories);
    gauge(
        "parallax_articles_unindexed",
        "Articles not yet in the search index.",
        "gauge",
        stats.unindexed_articles,
    );
    gauge(
        "parallax_ingest_cycles_total",
        "Ingest cycles run by this process.",
        "counter",
        m.ingest_cycles.load(Ordering::Relaxed),
    );
    gauge(
        "parallax_ingested_articles_total",
        "Articles ingested by this process.",
        "counter",
        m.ingested_articles.load(Ordering::Relaxed),
    );
    gauge(
        "parallax_feed_failures_total",
        "Failed feed fetches in this process.",
        "counter",
        m.failed_feed_fetches.load(Ordering::Relaxed),
    );
    let _ = writeln!(out, "# HELP parallax_http_responses_total HTTP responses by status class.\n# TYPE parallax_http_responses_total counter");
    for (i, counter) in m.responses.iter().enumerate() {
        let _ = writeln!(
            out,
            "parallax_http_responses_total{{class=\"{}xx\"}} {}",
            i + 1,
            counter.load(Ordering::Relaxed)
        );
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response()
}
