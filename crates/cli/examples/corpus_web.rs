//! A web of outlets on loopback serving the shared news corpus, replayed to any size (each
//! pass shifted in time, with its own URLs), for the ingest benchmark
//! (`scripts/bench-workers.sh`). Each of `--hosts` servers (one port each: one host to the
//! workers' leases) has two RSS feeds listing all of its articles, and an HTML page per
//! article with the boilerplate real pages carry. Writes an OPML of the feeds, prints
//! `ready`, and serves until killed.
//!
//! cargo run --release --example corpus_web -- --data ../shared/data --articles 20000 \
//!     --hosts 50 --opml /tmp/corpus.opml

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};
use clap::Parser;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    #[arg(long, default_value_t = 20_000)]
    articles: usize,
    #[arg(long, default_value_t = 50)]
    hosts: usize,
    #[arg(long)]
    opml: PathBuf,
}

struct Item {
    published: DateTime<Utc>,
    title: String,
    text: Arc<str>,
}

/// One host's articles (global numbers) and its two feeds, built once.
struct Host {
    feeds: [String; 2],
}

struct Web {
    corpus: Vec<Item>,
    /// The corpus's span plus a month: pass `k` is shifted `k` spans later.
    span: chrono::Duration,
    /// Moves the whole replay back so that its last article is an hour old: a date ahead
    /// of the clock is read as "now" by ingestion, which would pile every later pass onto
    /// one instant and measure that instead of a growing store.
    offset: chrono::Duration,
}

impl Web {
    fn item(&self, n: usize) -> (DateTime<Utc>, &str, &str) {
        let base = &self.corpus[n % self.corpus.len()];
        let pass = (n / self.corpus.len()) as i32;
        (
            base.published + self.span * pass + self.offset,
            &base.title,
            &base.text,
        )
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn rss(web: &Web, base: &str, host: usize, hosts: usize, feed: usize, total: usize) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>\
         <title>Outlet {host} feed {feed}</title><link>{base}/</link>"
    );
    // A host's articles are every `hosts`-th; its two feeds take turns.
    for n in (host..total).step_by(hosts).skip(feed).step_by(2) {
        let (published, title, text) = web.item(n);
        let lead: String = text.chars().take(200).collect();
        let _ = write!(
            out,
            "<item><guid>{base}/a/{n}</guid><link>{base}/a/{n}</link><title>{}</title>\
             <pubDate>{}</pubDate><description>{}</description></item>",
            escape(title),
            published.to_rfc2822(),
            escape(&lead)
        );
    }
    out.push_str("</channel></rss>");
    out
}

fn page(web: &Web, n: usize, host: usize) -> String {
    let (published, title, text) = web.item(n);
    let mut body = String::new();
    for para in text.split('\n').filter(|p| !p.trim().is_empty()) {
        let _ = write!(body, "<p>{}</p>", escape(para.trim()));
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} | Outlet {host}</title>\
         <meta property=\"og:title\" content=\"{t}\">\
         <meta property=\"article:published_time\" content=\"{p}\"></head><body>\
         <header><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/politics\">Politics</a></nav></header>\
         <main><article><h1>{t}</h1><p class=\"byline\">By Staff</p>{body}</article>\
         <aside><h2>Read also</h2><ul><li><a href=\"/a/1\">Another story</a></li></ul></aside></main>\
         <footer><p>Subscribe to our newsletter.</p><p>© Outlet {host}</p></footer></body></html>",
        t = escape(title),
        p = published.to_rfc3339(),
    )
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let corpus: Vec<Item> = parallax_eval::clustering::corpus_articles(&args.data)
        .map_err(anyhow::Error::msg)
        .context("reading the corpus")?
        .into_iter()
        .map(|(published, title, text)| Item {
            published,
            title,
            text: text.into(),
        })
        .collect();
    let first = corpus.first().map(|i| i.published).unwrap_or_default();
    let last = corpus.last().map(|i| i.published).unwrap_or_default();
    let span = last - first + chrono::Duration::days(30);
    let passes = args.articles.div_ceil(corpus.len().max(1)).max(1) as i32;
    let replay_end = last + span * (passes - 1);
    let web = Arc::new(Web {
        span,
        offset: (Utc::now() - chrono::Duration::hours(1)) - replay_end,
        corpus,
    });
    let hosts = args.hosts.max(1);
    let mut opml = String::from(
        "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>Corpus web</title></head><body>",
    );
    for host in 0..hosts {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let feeds = [0, 1].map(|f| rss(&web, &base, host, hosts, f, args.articles));
        for f in 0..2 {
            let _ = write!(
                opml,
                "<outline type=\"rss\" text=\"Outlet {host}\" title=\"Outlet {host}\" xmlUrl=\"{base}/feed{f}.xml\"/>"
            );
        }
        let state = (
            Arc::clone(&web),
            Arc::new(Host { feeds }),
            host,
            args.articles,
        );
        let feed = |f: usize| {
            get(
                move |State((_, h, _, _)): State<(Arc<Web>, Arc<Host>, usize, usize)>| async move {
                    (
                        [(header::CONTENT_TYPE, "application/rss+xml")],
                        h.feeds[f].clone(),
                    )
                },
            )
        };
        let router = Router::new()
            .route("/feed0.xml", feed(0))
            .route("/feed1.xml", feed(1))
            .route(
                "/a/{n}",
                get(
                    |State((web, _, host, total)): State<(Arc<Web>, Arc<Host>, usize, usize)>,
                     Path(n): Path<usize>| async move {
                        if n >= total {
                            return StatusCode::NOT_FOUND.into_response();
                        }
                        (
                            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                            page(&web, n, host),
                        )
                            .into_response()
                    },
                ),
            )
            .with_state(state);
        tokio::spawn(async move { axum::serve(listener, router).await });
    }
    opml.push_str("</body></opml>");
    std::fs::write(&args.opml, opml).with_context(|| format!("writing {}", args.opml.display()))?;
    println!("ready: {} articles on {hosts} hosts", args.articles);
    std::future::pending::<()>().await;
    Ok(())
}
