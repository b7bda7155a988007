//! gofeed's translator goldens (`gofeed-testdata/translator/`): RSS, Atom and JSON Feed
//! normalised into one model, which is the mapping an aggregator has to decide. Each golden
//! names only the fields its case is about; every one that Parallax keeps is compared with
//! what `parse_feed` gives, and the ones it does not keep are counted apart.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use parallax_feed::{Entry, ParsedFeed};
use serde_json::Value;

use super::Tally;

/// Per golden field: how often it was compared, and how often it matched.
#[derive(Debug, Default)]
pub struct FieldTally {
    pub compared: usize,
    pub equal: usize,
}

#[derive(Debug, Default)]
pub struct GoldenReport {
    pub files: Tally,
    pub fields: BTreeMap<String, FieldTally>,
    /// Golden fields Parallax does not keep (generator, copyright, extensions…), by name.
    pub not_kept: BTreeMap<String, usize>,
}

/// The format Parallax reports for gofeed's type and version.
fn format_of(kind: &str, version: &str) -> &'static str {
    match (kind, version) {
        ("rss", "0.90") => "rss0.90",
        ("rss", "0.91") => "rss0.91",
        ("rss", "0.92") => "rss0.92",
        ("rss", "1.0") => "rss1.0",
        ("rss", "2.0") => "rss2.0",
        ("atom", "0.3") => "atom0.3",
        ("atom", "1.0") => "atom1.0",
        ("json", "1.0") => "jsonfeed1.0",
        ("json", "1.1") => "jsonfeed1.1",
        ("atom", _) => "atom",
        _ => "rss",
    }
}

/// What a reader sees of a value: its text, whitespace collapsed.
fn text(s: &str) -> String {
    parallax_extract::html_to_text(s)
}

fn same_text(expected: &Value, got: Option<&str>) -> bool {
    match (expected.as_str(), got) {
        (Some(e), Some(g)) => text(e) == text(g),
        (Some(e), None) => text(e).is_empty(),
        _ => false,
    }
}

fn same_instant(expected: &Value, got: Option<DateTime<Utc>>) -> bool {
    let expected = expected
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc));
    expected.is_some() && expected == got
}

fn same_people(expected: &Value, got: &[parallax_feed::Person]) -> bool {
    let Some(list) = expected.as_array() else {
        return false;
    };
    list.len() == got.len()
        && list.iter().zip(got).all(|(e, g)| {
            let name = e.get("name").and_then(Value::as_str);
            let email = e.get("email").and_then(Value::as_str);
            name == g.name.as_deref() && email == g.email.as_deref()
        })
}

fn same_strings(expected: &Value, got: &[String]) -> bool {
    expected.as_array().is_some_and(|list| {
        list.len() == got.len()
            && list
                .iter()
                .zip(got)
                .all(|(e, g)| e.as_str().map(str::trim) == Some(g.as_str()))
    })
}

fn same_enclosures(expected: &Value, got: &[parallax_feed::Enclosure]) -> bool {
    expected.as_array().is_some_and(|list| {
        list.len() == got.len()
            && list.iter().zip(got).all(|(e, g)| {
                e.get("url").and_then(Value::as_str) == Some(g.url.as_str())
                    && e.get("type")
                        .and_then(Value::as_str)
                        .is_none_or(|t| Some(t) == g.media_type.as_deref())
                    && e.get("length")
                        .and_then(Value::as_str)
                        .and_then(|l| l.parse::<u64>().ok())
                        .is_none_or(|l| Some(l) == g.length)
            })
    })
}

/// Compares one golden field of the feed; `None` if Parallax does not keep it.
fn compare_feed(key: &str, expected: &Value, feed: &ParsedFeed) -> Option<bool> {
    Some(match key {
        "title" => same_text(expected, feed.title.as_deref()),
        "description" => same_text(expected, feed.description.as_deref()),
        "link" => expected.as_str() == feed.link.as_deref(),
        "language" => expected.as_str() == feed.language.as_deref(),
        "updatedParsed" => same_instant(expected, feed.updated),
        "image" => expected.get("url").and_then(Value::as_str) == feed.image.as_deref(),
        _ => return None,
    })
}

/// Compares one golden field of an item; `None` if Parallax does not keep it.
fn compare_item(key: &str, expected: &Value, entry: &Entry) -> Option<bool> {
    Some(match key {
        "title" => same_text(expected, entry.title.as_deref()),
        "description" => same_text(
            expected,
            entry.summary.as_deref().or(entry.content.as_deref()),
        ),
        "content" => same_text(
            expected,
            entry.content.as_deref().or(entry.summary.as_deref()),
        ),
        "link" => expected.as_str() == entry.link.as_deref(),
        "guid" => expected.as_str() == Some(entry.id.as_str()),
        "publishedParsed" => same_instant(expected, entry.published),
        "updatedParsed" => same_instant(expected, entry.updated),
        "authors" => same_people(expected, &entry.authors),
        "categories" => same_strings(expected, &entry.categories),
        "enclosures" => same_enclosures(expected, &entry.enclosures),
        // The unparsed strings, the single author and the extension trees are covered by
        // the fields above or are not Parallax's.
        _ => return None,
    })
}

/// The golden files of gofeed's translator tests and the input each describes.
fn cases(dir: &Path) -> Vec<(std::path::PathBuf, std::path::PathBuf)> {
    let mut out = Vec::new();
    for kind in ["rss", "atom", "json"] {
        let Ok(entries) = std::fs::read_dir(dir.join(kind)) else {
            continue;
        };
        let mut names: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        names.sort();
        for path in names {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let input = if let Some(stem) = name.strip_suffix("_expected.json") {
                path.with_file_name(format!("{stem}.json"))
            } else if let Some(stem) = name.strip_suffix(".json").filter(|_| kind != "json") {
                path.with_file_name(format!("{stem}.xml"))
            } else {
                continue;
            };
            if input.is_file() {
                out.push((input, path));
            }
        }
    }
    out
}

pub fn run(dir: &Path) -> GoldenReport {
    let mut report = GoldenReport::default();
    for (input, golden) in cases(dir) {
        let name = golden
            .strip_prefix(dir)
            .unwrap_or(&golden)
            .display()
            .to_string();
        let (Ok(bytes), Ok(expected)) = (
            std::fs::read(&input),
            std::fs::read_to_string(&golden)
                .map_err(|e| e.to_string())
                .and_then(|t| serde_json::from_str::<Value>(&t).map_err(|e| e.to_string())),
        ) else {
            continue;
        };
        let Some(expected) = expected.as_object() else {
            continue;
        };
        let mut failed: Vec<String> = Vec::new();
        let parsed = parallax_feed::parse_feed(&bytes, None, None);
        let Ok(feed) = parsed else {
            report.files.record(false, &name, "not parsed");
            continue;
        };
        let mut note = |field: &str, ok: Option<bool>, report: &mut GoldenReport| match ok {
            Some(ok) => {
                let t = report.fields.entry(field.to_string()).or_default();
                t.compared += 1;
                t.equal += usize::from(ok);
                if !ok {
                    failed.push(field.to_string());
                }
            }
            None => *report.not_kept.entry(field.to_string()).or_default() += 1,
        };
        if let (Some(kind), Some(version)) = (
            expected.get("feedType").and_then(Value::as_str),
            expected.get("feedVersion").and_then(Value::as_str),
        ) {
            note(
                "format",
                Some(format_of(kind, version) == feed.format),
                &mut report,
            );
        }
        for (key, value) in expected {
            match key.as_str() {
                "feedType" | "feedVersion" => {}
                "items" => {
                    let items = value.as_array().map(Vec::as_slice).unwrap_or(&[]);
                    note(
                        "items (count)",
                        Some(items.len() == feed.entries.len()),
                        &mut report,
                    );
                    for (item, entry) in items.iter().zip(&feed.entries) {
                        for (k, v) in item.as_object().into_iter().flatten() {
                            note(&format!("item {k}"), compare_item(k, v, entry), &mut report);
                        }
                    }
                }
                _ => note(key, compare_feed(key, value, &feed), &mut report),
            }
        }
        report
            .files
            .record(failed.is_empty(), &name, &failed.join(", "));
    }
    report
}
