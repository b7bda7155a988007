//! `/healthz` and `/metrics` (Prometheus text format).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Upper bounds of the request latency histogram's buckets, in seconds.
const LATENCY_BUCKETS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// What one ingest cycle did, as the metrics count it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct CycleCounts {
    /// Feeds that answered (with something new or not).
    pub feeds_fetched: u64,
    pub feeds_not_modified: u64,
    pub new_articles: u64,
    pub updated_articles: u64,
    /// Articles whose page could not be read (the feed's content was kept).
    pub page_failures: u64,
    /// Failed feeds by kind ("timeout", "http_status", "not_a_feed").
    pub failures: Vec<(&'static str, u64)>,
}

/// Counters the site and the ingest loop update, exported at `/metrics`.
#[derive(Default)]
pub struct Metrics {
    /// Responses by status class: 1xx..5xx.
    responses: [AtomicU64; 5],
    /// Request latencies: a count per bucket (and one past the last), the sum in µs.
    latency_buckets: [AtomicU64; 12],
    latency_sum_micros: AtomicU64,
    ingest_cycles: AtomicU64,
    feeds_fetched: AtomicU64,
    feeds_not_modified: AtomicU64,
    ingested_articles: AtomicU64,
    updated_articles: AtomicU64,
    page_failures: AtomicU64,
    feed_errors: Mutex<BTreeMap<&'static str, u64>>,
}

impl Metrics {
    pub fn record_response(&self, status: u16, took: Duration) {
        let class = (status / 100).clamp(1, 5) as usize - 1;
        self.responses[class].fetch_add(1, Ordering::Relaxed);
        let secs = took.as_secs_f64();
        let bucket = LATENCY_BUCKETS
            .iter()
            .position(|b| secs <= *b)
            .unwrap_or(LATENCY_BUCKETS.len());
        self.latency_buckets[bucket].fetch_add(1, Ordering::Relaxed);
        self.latency_sum_micros
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
    }

    pub fn record_ingest_cycle(&self, cycle: &CycleCounts) {
        let add = |c: &AtomicU64, n: u64| {
            c.fetch_add(n, Ordering::Relaxed);
        };
        add(&self.ingest_cycles, 1);
        add(&self.feeds_fetched, cycle.feeds_fetched);
        add(&self.feeds_not_modified, cycle.feeds_not_modified);
        add(&self.ingested_articles, cycle.new_articles);
        add(&self.updated_articles, cycle.updated_articles);
        add(&self.page_failures, cycle.page_failures);
        let mut errors = self.feed_errors.lock().unwrap_or_else(|p| p.into_inner());
        for (kind, n) in &cycle.failures {
            *errors.entry(kind).or_default() += n;
        }
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
    let figures = state
        .blocking(|store, index| Ok((store.stats()?, index.doc_count())))
        .await;
    let (stats, documents) = match figures {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        render(&state.metrics, &stats, documents),
    )
        .into_response()
}

/// The Prometheus text of the store's figures and the process's counters.
fn render(m: &Metrics, stats: &parallax_store::Stats, documents: u64) -> String {
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
        "parallax_search_documents",
        "Articles in this process's search index (behind parallax_articles while it catches up).",
        "gauge",
        documents,
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
        "parallax_feeds_fetched_total",
        "Feed fetches answered (new content or not) in this process.",
        "counter",
        m.feeds_fetched.load(Ordering::Relaxed),
    );
    gauge(
        "parallax_feeds_not_modified_total",
        "Feed fetches answered 304 or with the same bytes, in this process.",
        "counter",
        m.feeds_not_modified.load(Ordering::Relaxed),
    );
    gauge(
        "parallax_updated_articles_total",
        "Articles whose entry was edited, stored again by this process.",
        "counter",
        m.updated_articles.load(Ordering::Relaxed),
    );
    gauge(
        "parallax_page_failures_total",
        "Article pages that could not be read (the feed's content kept), in this process.",
        "counter",
        m.page_failures.load(Ordering::Relaxed),
    );
    let _ = writeln!(out, "# HELP parallax_feed_failures_total Failed feed fetches in this process, by kind.\n# TYPE parallax_feed_failures_total counter");
    for (kind, n) in m
        .feed_errors
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
    {
        let _ = writeln!(out, "parallax_feed_failures_total{{kind=\"{kind}\"}} {n}");
    }
    let _ = writeln!(out, "# HELP parallax_http_request_duration_seconds Time to answer a request.\n# TYPE parallax_http_request_duration_seconds histogram");
    let mut cumulative = 0;
    for (i, bound) in LATENCY_BUCKETS.iter().enumerate() {
        cumulative += m.latency_buckets[i].load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "parallax_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
        );
    }
    cumulative += m.latency_buckets[LATENCY_BUCKETS.len()].load(Ordering::Relaxed);
    let _ = writeln!(
        out,
        "parallax_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}\nparallax_http_request_duration_seconds_sum {}\nparallax_http_request_duration_seconds_count {cumulative}",
        m.latency_sum_micros.load(Ordering::Relaxed) as f64 / 1e6
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
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_and_requests_are_counted_by_kind_and_bucket() {
        let m = Metrics::default();
        m.record_ingest_cycle(&CycleCounts {
            feeds_fetched: 5,
            feeds_not_modified: 2,
            new_articles: 7,
            updated_articles: 1,
            page_failures: 1,
            failures: vec![("timeout", 2), ("http_status", 1)],
        });
        m.record_ingest_cycle(&CycleCounts {
            failures: vec![("timeout", 1)],
            ..CycleCounts::default()
        });
        m.record_response(200, Duration::from_micros(800));
        m.record_response(404, Duration::from_millis(30));
        m.record_response(500, Duration::from_secs(9));
        let text = render(&m, &parallax_store::Stats::default(), 0);
        for line in [
            "parallax_ingest_cycles_total 2",
            "parallax_feeds_fetched_total 5",
            "parallax_ingested_articles_total 7",
            "parallax_feed_failures_total{kind=\"timeout\"} 3",
            "parallax_feed_failures_total{kind=\"http_status\"} 1",
            "parallax_http_responses_total{class=\"4xx\"} 1",
            "parallax_http_request_duration_seconds_bucket{le=\"0.001\"} 1",
            "parallax_http_request_duration_seconds_bucket{le=\"0.025\"} 1",
            "parallax_http_request_duration_seconds_bucket{le=\"0.05\"} 2",
            "parallax_http_request_duration_seconds_bucket{le=\"2.5\"} 2",
            "parallax_http_request_duration_seconds_bucket{le=\"+Inf\"} 3",
            "parallax_http_request_duration_seconds_count 3",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} not in\n{text}");
        }
    }
}
