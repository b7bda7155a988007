//! The contract commands other tools call: `extract`, `feed parse`, `cluster`. Each prints
//! one JSON object a line, in input order; a bad input gives its line with `error` set and
//! the batch goes on.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use parallax_cluster::{Clusterer, Doc};
use parallax_model::url_norm::canonicalize_url;
use serde::Deserialize;
use serde_json::{json, Value};
use url::Url;

use crate::app::read_bounded;
use crate::config::Config;

const MAX_FEED_BYTES: u64 = 50 * 1024 * 1024;

fn rfc3339(t: Option<DateTime<Utc>>) -> Value {
    t.map(|t| Value::String(t.to_rfc3339_opts(SecondsFormat::Secs, true)))
        .unwrap_or(Value::Null)
}

fn print_line(out: &mut impl Write, value: &Value) -> Result<()> {
    writeln!(out, "{value}").context("writing to stdout")
}

#[derive(Deserialize)]
struct ManifestLine {
    file: PathBuf,
    #[serde(default)]
    url: Option<String>,
}

pub fn extract(
    file: Option<PathBuf>,
    url: Option<String>,
    manifest: Option<PathBuf>,
) -> Result<()> {
    let jobs: Vec<(String, Option<String>, Result<PathBuf, String>)> = match (file, manifest) {
        (Some(f), None) => vec![(f.display().to_string(), url, Ok(f))],
        (None, Some(m)) => {
            let text = std::fs::read_to_string(&m)
                .with_context(|| format!("reading manifest {}", m.display()))?;
            let base = m.parent().map(Path::to_path_buf).unwrap_or_default();
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .enumerate()
                .map(
                    |(i, line)| match serde_json::from_str::<ManifestLine>(line) {
                        Ok(job) => {
                            let path = if job.file.is_absolute() || job.file.exists() {
                                job.file.clone()
                            } else {
                                base.join(&job.file)
                            };
                            (job.file.display().to_string(), job.url, Ok(path))
                        }
                        Err(e) => (
                            String::new(),
                            None,
                            Err(format!("manifest line {}: {e}", i + 1)),
                        ),
                    },
                )
                .collect()
        }
        _ => anyhow::bail!("give an HTML FILE or --manifest M.jsonl"),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (name, url, path) in jobs {
        let result = path.and_then(|p| extract_file(&p, url.as_deref()));
        let line = match result {
            Ok(x) => json!({
                "file": name, "url": url, "title": x.title, "authors": x.authors,
                "published": rfc3339(x.published), "modified": rfc3339(x.modified),
                "site_name": x.site_name, "language": x.language, "image": x.image,
                "description": x.description, "text": x.text, "html": x.html, "error": null,
            }),
            Err(error) => json!({
                "file": name, "url": url, "title": null, "authors": [], "published": null,
                "modified": null, "site_name": null, "language": null, "image": null,
                "description": null, "text": null, "html": null, "error": error,
            }),
        };
        print_line(&mut out, &line)?;
    }
    out.flush()?;
    Ok(())
}

fn extract_file(path: &Path, url: Option<&str>) -> Result<parallax_extract::Extracted, String> {
    let bytes = read_bounded(path, parallax_extract::MAX_HTML_BYTES as u64 * 4)
        .map_err(|e| format!("{e:#}"))?;
    let html = parallax_text::charset::decode(&bytes, None).text;
    let url = match url {
        Some(u) => Some(Url::parse(u).map_err(|e| format!("invalid url {u:?}: {e}"))?),
        None => None,
    };
    parallax_extract::extract(&html, url.as_ref()).map_err(|e| e.to_string())
}

pub fn parse_feeds(files: &[PathBuf]) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for file in files {
        let name = file.display().to_string();
        let parsed = read_bounded(file, MAX_FEED_BYTES)
            .map_err(|e| format!("{e:#}"))
            .and_then(|bytes| {
                parallax_feed::parse_feed(&bytes, None, None).map_err(|e| e.to_string())
            });
        let line = match parsed {
            Ok(f) => json!({
                "file": name, "format": f.format, "title": f.title, "link": f.link,
                "description": f.description, "language": f.language, "updated": rfc3339(f.updated),
                "image": f.image,
                "entries": f.entries.iter().map(|e| json!({
                    "id": e.id, "title": e.title, "link": e.link,
                    "published": rfc3339(e.published), "updated": rfc3339(e.updated),
                    "authors": e.authors, "summary": e.summary, "content": e.content,
                    "categories": e.categories, "enclosures": e.enclosures,
                })).collect::<Vec<_>>(),
                "warnings": f.warnings, "error": null,
            }),
            Err(error) => json!({
                "file": name, "format": null, "title": null, "link": null, "description": null,
                "language": null, "updated": null, "image": null, "entries": [], "warnings": [],
                "error": error,
            }),
        };
        print_line(&mut out, &line)?;
    }
    out.flush()?;
    Ok(())
}

#[derive(Deserialize)]
struct ClusterInput {
    id: Value,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
}

/// Clusters articles in arrival order with the clusterer ingestion uses, including its merge
/// of exact duplicates (same canonical URL).
pub fn cluster(input: &Path, config: &Config) -> Result<()> {
    let file =
        std::fs::File::open(input).with_context(|| format!("opening {}", input.display()))?;
    let reader = std::io::BufReader::new(file);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut clusterer = Clusterer::new(config.cluster.clone());
    let mut by_url: HashMap<String, i64> = HashMap::new();
    let mut next_story = 1i64;
    let mut last_time: Option<DateTime<Utc>> = None;
    for (n, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", input.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let article: ClusterInput = match serde_json::from_str(&line) {
            Ok(a) => a,
            Err(e) => {
                print_line(
                    &mut out,
                    &json!({"id": null, "story": null, "error": format!("line {}: {e}", n + 1)}),
                )?;
                continue;
            }
        };
        let canonical = article.url.as_deref().map(canonicalize_url);
        if let Some(story) = canonical.as_ref().and_then(|u| by_url.get(u)) {
            print_line(&mut out, &json!({"id": article.id, "story": story}))?;
            continue;
        }
        // An article without a readable date arrives "now" in the stream: after the last one.
        let published = article
            .published
            .as_deref()
            .and_then(parallax_extract::parse_date)
            .or(last_time)
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
        last_time = Some(last_time.map_or(published, |t| t.max(published)));
        let doc = Doc {
            title: article.title,
            text: article.text,
            published,
            language: None,
        };
        let vector = clusterer.vectorize(&doc);
        let story = clusterer.decide(&doc, &vector).story().unwrap_or_else(|| {
            next_story += 1;
            next_story - 1
        });
        clusterer.insert(n as i64, story, &doc, &vector);
        if let Some(u) = canonical {
            by_url.insert(u, story);
        }
        print_line(&mut out, &json!({"id": article.id, "story": story}))?;
    }
    out.flush()?;
    Ok(())
}

/// Runs the feed evaluation; without the corpora it says so and succeeds, so a clone without
/// `../shared` is not an error.
pub fn eval_feeds(data: &Path, verbose: bool) -> Result<()> {
    if !data.join("feeds").is_dir() {
        println!(
            "skipped: no feed corpora at {} (pass --data DIR, the folder holding feeds/)",
            data.join("feeds").display()
        );
        return Ok(());
    }
    let report = parallax_eval::feeds::run(data, verbose).map_err(anyhow::Error::msg)?;
    print_report(&report)
}

pub fn dump_feed(file: &Path) -> Result<()> {
    let value = parallax_eval::feeds::dump(file, None).map_err(anyhow::Error::msg)?;
    println!("{}", serde_json::to_string_pretty(&value)?);
    Ok(())
}

/// Runs the extraction evaluation; without the corpora it says so and succeeds.
pub fn eval_extraction(data: &Path, check_scorer: bool, verbose: bool) -> Result<()> {
    if !data.join("extraction").is_dir() {
        println!("skipped: no extraction benchmarks at {} (pass --data DIR, the folder holding extraction/)", data.join("extraction").display());
        return Ok(());
    }
    if check_scorer {
        for tool in [
            "AutoExtract",
            "rs_trafilatura",
            "trafilatura",
            "readability_js",
            "readability_rs",
            "dom_smoothie",
        ] {
            match parallax_eval::extraction::score_published(data, tool) {
                Ok(s) => println!(
                    "published {tool}: F1 {:.3} P {:.3} R {:.3} accuracy {:.3}",
                    s.f1, s.precision, s.recall, s.accuracy
                ),
                Err(e) => println!("published {tool}: {e}"),
            }
        }
    }
    let report = parallax_eval::extraction::run(data, verbose).map_err(anyhow::Error::msg)?;
    print_report(&report)
}

/// Runs the clustering evaluation with the configured clusterer; without the corpora it
/// says so and succeeds.
pub fn eval_clustering(data: &Path, config: &Config, verbose: bool) -> Result<()> {
    if !data.join("clustering").is_dir() && !data.join("news").is_dir() {
        println!(
            "skipped: no clustering data at {} (pass --data DIR, the folder holding clustering/ and news/)",
            data.display()
        );
        return Ok(());
    }
    let report = parallax_eval::clustering::run(data, &config.cluster, verbose)
        .map_err(anyhow::Error::msg)?;
    print_report(&report)
}

/// Runs the story analysis on the labelled fixtures compiled into the binary.
pub fn eval_analysis(verbose: bool) -> Result<()> {
    let report = parallax_eval::analysis::run(verbose).map_err(anyhow::Error::msg)?;
    print_report(&report)
}

/// Prints the analysis of a sample of AllSides roundups; without the corpus it says so and
/// succeeds.
pub fn sample_analysis(data: &Path, sample: usize) -> Result<()> {
    if !data.join("news").is_dir() {
        println!(
            "skipped: no news corpus at {} (pass --data DIR, the folder holding news/)",
            data.display()
        );
        return Ok(());
    }
    let text = parallax_eval::analysis::sample_news(data, sample).map_err(anyhow::Error::msg)?;
    print_report(&text)
}

/// Replays the AllSides period through one clusterer; without the corpus it says so and
/// succeeds.
pub fn replay_clustering(data: &Path, config: &Config, total: usize) -> Result<()> {
    if !data.join("news").is_dir() {
        println!(
            "skipped: no news corpus at {} (pass --data DIR, the folder holding news/)",
            data.display()
        );
        return Ok(());
    }
    let every = if total >= 1_000_000 {
        100_000
    } else {
        (total / 10).max(1)
    };
    println!("replaying {total} articles through one clusterer");
    parallax_eval::clustering::replay(data, &config.cluster, total, every, |point| {
        // A reader that stops early (`| head`) ends the output, not the run.
        let _ = write!(std::io::stdout(), "{point}");
    })
    .map_err(anyhow::Error::msg)
}

/// Prints a report; a reader that stops early (`| head`) is not an error.
fn print_report(report: &dyn std::fmt::Display) -> Result<()> {
    match write!(std::io::stdout(), "{report}") {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
