//! `parallax eval feeds`: the feed stage against the conformance material in
//! `data/feeds` (README there): Universal Feed Parser's test suite with its expectations
//! translated to JSON clauses, its date vectors and gofeed's, and a sweep that every file of
//! every corpus gets an answer.

mod adapter;
mod golden;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::Value;

/// Categories left out, and why; everything else is scored.
const SKIPPED_CATEGORIES: &[(&str, &str)] = &[
    ("wellformed/cdf", "Microsoft CDF, a dead format"),
    ("wellformed/psc", "Podlove chapters: podcast-only"),
    ("wellformed/geo", "GeoRSS: no use to a news aggregator"),
    ("illformed/geo", "GeoRSS: no use to a news aggregator"),
    ("wellformed/sgml", "Python sgmllib behaviour"),
    (
        "legacy/http",
        "HTTP scenarios: played by the fetch tests on loopback",
    ),
];

/// Top-level names that describe the HTTP response, not the document.
const HTTP_NAMES: &[&str] = &[
    "headers",
    "etag",
    "modified",
    "modified_parsed",
    "href",
    "status",
];

#[derive(Debug, Deserialize)]
struct Manifest {
    tests: Vec<Record>,
}

#[derive(Debug, Deserialize)]
struct Record {
    file: String,
    category: String,
    #[serde(default)]
    expect: Option<String>,
    #[serde(default)]
    skip_unless: Option<String>,
    #[serde(default)]
    http_headers: Vec<(String, String)>,
    #[serde(default)]
    harness: Option<Harness>,
    #[serde(default)]
    clauses: Option<Vec<Clause>>,
    #[serde(default)]
    translatable: bool,
}

#[derive(Debug, Deserialize)]
struct Harness {
    input: String,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Clause {
    Bozo {
        value: bool,
    },
    Cmp {
        path: Vec<Value>,
        op: String,
        value: Value,
        #[serde(default)]
        missing_is_none: bool,
    },
    Len {
        path: Vec<Value>,
        op: String,
        value: i64,
    },
    HasKey {
        path: Vec<Value>,
        key: String,
        present: bool,
    },
    Truthy {
        path: Vec<Value>,
        value: bool,
    },
    Const {
        value: Value,
    },
}

#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub skipped: BTreeMap<String, usize>,
    /// A few failures to look at: file and the expectation that did not hold.
    pub examples: Vec<(String, String)>,
}

impl Tally {
    fn skip(&mut self, reason: impl Into<String>) {
        *self.skipped.entry(reason.into()).or_default() += 1;
    }

    fn record(&mut self, ok: bool, file: &str, expect: &str) {
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
            if self.examples.len() < 400 {
                self.examples.push((file.to_string(), expect.to_string()));
            }
        }
    }

    fn rate(&self) -> f64 {
        let scored = self.passed + self.failed;
        if scored == 0 {
            0.0
        } else {
            self.passed as f64 / scored as f64
        }
    }
}

#[derive(Debug, Default)]
pub struct Sweep {
    pub files: usize,
    pub parsed: usize,
    pub rejected: usize,
    pub panicked: Vec<String>,
    pub total_time: Duration,
    pub slowest: (Duration, String),
}

#[derive(Debug, Default)]
pub struct FeedsReport {
    pub categories: BTreeMap<String, Tally>,
    pub dates: BTreeMap<String, Tally>,
    pub sweep: Sweep,
    pub gofeed: golden::GoldenReport,
    pub safety: Safety,
    pub verbose: bool,
}

/// The sanitizing cases read as ingestion reads them (`parse_feed`), every HTML value it
/// keeps checked by the standard's parser for anything that would run or restyle a page.
#[derive(Debug, Default)]
pub struct Safety {
    pub files: usize,
    pub values: usize,
    /// Values that were unsafe as the feeds wrote them, before sanitizing.
    pub unsafe_as_written: usize,
    /// File, and what was found in one of its values.
    pub unsafe_values: Vec<(String, Vec<String>)>,
}

impl FeedsReport {
    /// Pass rate over every scored test of every category but the sanitizer's (whose expected
    /// strings follow Universal Feed Parser's own allow-list, not a standard).
    pub fn applicable_rate(&self) -> (usize, usize) {
        self.categories
            .iter()
            .filter(|(name, _)| name.as_str() != "wellformed/sanitize")
            .fold((0, 0), |(p, t), (_, c)| {
                (p + c.passed, t + c.passed + c.failed)
            })
    }
}

impl fmt::Display for FeedsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Universal Feed Parser test suite (feedparser-tests/manifest.json)"
        )?;
        writeln!(
            f,
            "{:<28} {:>6} {:>6} {:>7} {:>8}",
            "category", "pass", "fail", "skip", "rate"
        )?;
        for (name, t) in &self.categories {
            let skipped: usize = t.skipped.values().sum();
            writeln!(
                f,
                "{:<28} {:>6} {:>6} {:>7} {:>7.1}%",
                name,
                t.passed,
                t.failed,
                skipped,
                100.0 * t.rate()
            )?;
            if self.verbose {
                for (file, expect) in &t.examples {
                    writeln!(f, "    fails: {file}: {expect}")?;
                }
            }
        }
        let (p, t) = self.applicable_rate();
        writeln!(
            f,
            "applicable (all scored, sanitizer aside): {p}/{t} = {:.1}%",
            100.0 * p as f64 / t.max(1) as f64
        )?;
        let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
        for t in self.categories.values() {
            for (r, n) in &t.skipped {
                *reasons.entry(r.as_str()).or_default() += n;
            }
        }
        writeln!(f, "skipped, and why:")?;
        for (r, n) in reasons {
            writeln!(f, "  {n:>5}  {r}")?;
        }
        writeln!(f, "\nDate vectors")?;
        for (name, t) in &self.dates {
            writeln!(
                f,
                "{:<28} {:>6} {:>6} {:>7.1}%",
                name,
                t.passed,
                t.failed,
                100.0 * t.rate()
            )?;
            if self.verbose {
                for (input, expect) in &t.examples {
                    writeln!(f, "    fails: {input:?}: {expect}")?;
                }
            }
        }
        let a = &self.safety;
        writeln!(
            f,
            "\nSanitizer safety (wellformed/sanitize read as ingestion reads it, checked by html5ever): \
             {} files, {} HTML values, {} unsafe ({} unsafe as the feeds wrote them)",
            a.files,
            a.values,
            a.unsafe_values.len(),
            a.unsafe_as_written
        )?;
        for (file, found) in &a.unsafe_values {
            writeln!(f, "    unsafe: {file}: {}", found.join(", "))?;
        }
        let g = &self.gofeed;
        writeln!(
            f,
            "\ngofeed translator goldens (gofeed-testdata/translator): {}/{} files = {:.1}%",
            g.files.passed,
            g.files.passed + g.files.failed,
            100.0 * g.files.rate()
        )?;
        for (field, t) in &g.fields {
            writeln!(
                f,
                "  {:<26} {:>4}/{:<4} {:>6.1}%",
                field,
                t.equal,
                t.compared,
                100.0 * t.equal as f64 / t.compared.max(1) as f64
            )?;
        }
        if self.verbose {
            for (file, fields) in &g.files.examples {
                writeln!(f, "    fails: {file}: {fields}")?;
            }
        }
        let not_kept: Vec<String> = g.not_kept.iter().map(|(k, n)| format!("{k} {n}")).collect();
        writeln!(f, "  not kept by Parallax: {}", not_kept.join(", "))?;
        let s = &self.sweep;
        writeln!(
            f,
            "\nEvery file of every corpus (data/feeds): {} files",
            s.files
        )?;
        writeln!(
            f,
            "  parsed {}, rejected with a reason {}, panicked {}",
            s.parsed,
            s.rejected,
            s.panicked.len()
        )?;
        for p in &s.panicked {
            writeln!(f, "  PANIC {p}")?;
        }
        writeln!(
            f,
            "  total parse time {:.1} ms, slowest {:.2} ms ({})",
            s.total_time.as_secs_f64() * 1e3,
            s.slowest.0.as_secs_f64() * 1e3,
            s.slowest.1
        )
    }
}

/// A feed file as the evaluation sees it, in Universal Feed Parser's shape, for debugging.
pub fn dump(file: &Path, content_type: Option<&str>) -> Result<Value, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let origin = parallax_feed::Origin {
        content_type,
        ..Default::default()
    };
    let doc = parallax_feed::parse_document(&bytes, &origin).map_err(|e| e.to_string())?;
    Ok(adapter::to_feedparser(&doc))
}

pub fn run(data: &Path, verbose: bool) -> Result<FeedsReport, String> {
    let root = data.join("feeds");
    if !root.is_dir() {
        return Err(format!("{} not found", root.display()));
    }
    let mut report = FeedsReport {
        verbose,
        ..FeedsReport::default()
    };
    run_feedparser_suite(&root.join("feedparser-tests"), &mut report)?;
    run_date_vectors(&root, &mut report)?;
    report.gofeed = golden::run(&root.join("gofeed-testdata/translator"));
    report.sweep = sweep(&root);
    report.safety = audit_sanitizing_cases(&root.join("feedparser-tests/wellformed/sanitize"));
    Ok(report)
}

fn audit_sanitizing_cases(dir: &Path) -> Safety {
    let mut safety = Safety::default();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|read| read.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        safety.files += 1;
        if let Ok(doc) = parallax_feed::parse_document(&bytes, &parallax_feed::Origin::default()) {
            let raw = adapter::to_feedparser(&doc);
            for entry in raw["entries"].as_array().into_iter().flatten() {
                let content = entry["content"].as_array().into_iter().flatten();
                let values = content.map(|c| &c["value"]).chain([&entry["summary"]]);
                safety.unsafe_as_written += values
                    .filter_map(Value::as_str)
                    .filter(|html| !parallax_extract::unsafe_markup(html).is_empty())
                    .count();
            }
        }
        let Ok(feed) = parallax_feed::parse_feed(&bytes, None, None) else {
            continue;
        };
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        for entry in &feed.entries {
            for html in [&entry.summary, &entry.content].into_iter().flatten() {
                safety.values += 1;
                let found = parallax_extract::unsafe_markup(html);
                if !found.is_empty() {
                    safety.unsafe_values.push((name.to_string(), found));
                }
            }
        }
    }
    safety
}

fn run_feedparser_suite(dir: &Path, report: &mut FeedsReport) -> Result<(), String> {
    let manifest_path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let manifest: Manifest =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    for record in &manifest.tests {
        let tally = report
            .categories
            .entry(record.category.clone())
            .or_default();
        if let Some((_, why)) = SKIPPED_CATEGORIES
            .iter()
            .find(|(c, _)| *c == record.category)
        {
            tally.skip(*why);
            continue;
        }
        let Some(clauses) = record.clauses.as_ref().filter(|_| record.translatable) else {
            tally.skip("expectation not translatable from Python");
            continue;
        };
        if let Some(reason) = skip_unless(record.skip_unless.as_deref()) {
            tally.skip(reason);
            continue;
        }
        if clauses.iter().any(names_http_metadata) {
            tally.skip("HTTP response metadata: played by the fetch tests");
            continue;
        }
        let bytes = match std::fs::read(dir.join(&record.file)) {
            Ok(b) => b,
            Err(e) => return Err(format!("{}: {e}", record.file)),
        };
        let input = record
            .harness
            .as_ref()
            .map(|h| h.input.as_str())
            .unwrap_or("text");
        let header = |name: &str| {
            record
                .http_headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim().to_string())
        };
        let content_type =
            header("content-type").or_else(|| (input == "http").then(|| "text/xml".to_string()));
        // As the upstream harness serves them: files named for HTTP from its mock server.
        let href = record
            .file
            .contains("http")
            .then(|| format!("http://127.0.0.1:8097/{}", record.file));
        let content_location = header("content-location");
        let content_language = header("content-language");
        // RFC 3023 read text/* without a charset as US-ASCII whatever the document declared;
        // RFC 7303, which replaced it in 2014, defers to the document, as Parallax does.
        let rfc3023_default = content_type
            .as_deref()
            .is_some_and(|ct| ct.trim_start().starts_with("text/") && !ct.contains("charset"))
            && record
                .expect
                .as_deref()
                .is_some_and(|e| e.contains("encoding"));
        if rfc3023_default {
            tally.skip("RFC 3023 text/* charset default, superseded by RFC 7303");
            continue;
        }
        let sanitize = record.category == "wellformed/sanitize";
        let origin = parallax_feed::Origin {
            content_type: content_type.as_deref(),
            location: href.as_deref(),
            content_location: content_location.as_deref(),
            language: content_language.as_deref(),
        };
        let parsed = if input == "text" {
            // As the Python harness does: decoded by BOM, else UTF-8, then parsed as text.
            parallax_feed::parse_document_str(&parallax_feed::decode_bom_or_utf8(&bytes), &origin)
        } else {
            parallax_feed::parse_document(&bytes, &origin)
        };
        let result = match parsed {
            Ok(doc) => {
                let mut v = adapter::to_feedparser(&doc);
                if sanitize {
                    sanitize_html_values(&mut v);
                }
                v
            }
            Err(_) => serde_json::json!({"bozo": true, "feed": {}, "entries": [], "encoding": ""}),
        };
        // Entities: the loose parser must not flag the document; the strict one must. Only
        // the values are Parallax's business.
        let skip_bozo = record.category == "entities";
        let ok = clauses
            .iter()
            .all(|c| check(c, &result, skip_bozo, sanitize));
        tally.record(ok, &record.file, record.expect.as_deref().unwrap_or(""));
    }
    Ok(())
}

/// `SkipUnless` probes a Python codec or module; the Rust side has the codec or it has not.
fn skip_unless(probe: Option<&str>) -> Option<String> {
    let probe = probe?;
    if probe.contains("chardet") {
        return Some("needs statistical charset detection (chardet)".into());
    }
    let label = probe.split(['\'', '"']).nth(1)?;
    if parallax_feed::supports_charset(label) {
        None
    } else {
        Some("codec unknown to the WHATWG encodings (encoding_rs)".into())
    }
}

fn names_http_metadata(c: &Clause) -> bool {
    let path = match c {
        Clause::Cmp { path, .. } | Clause::Len { path, .. } | Clause::Truthy { path, .. } => path,
        Clause::HasKey { path, key, .. } => {
            if path.is_empty() {
                return HTTP_NAMES.contains(&key.as_str());
            }
            path
        }
        _ => return false,
    };
    path.first()
        .and_then(Value::as_str)
        .is_some_and(|p| HTTP_NAMES.contains(&p))
}

/// What Parallax shows of HTML-typed values: its own sanitizer's output.
fn sanitize_html_values(v: &mut Value) {
    fn fix_detail(obj: &mut serde_json::Map<String, Value>, key: &str) {
        let is_html = obj
            .get(&format!("{key}_detail"))
            .and_then(|d| d.get("type"))
            .and_then(Value::as_str)
            .is_some_and(|t| t.contains("html"));
        if is_html {
            if let Some(Value::String(s)) = obj.get_mut(key) {
                *s = parallax_extract::sanitize_html(s, None);
            }
            if let Some(Value::String(s)) = obj
                .get_mut(&format!("{key}_detail"))
                .and_then(|d| d.get_mut("value"))
            {
                *s = parallax_extract::sanitize_html(s, None);
            }
        }
    }
    let fix = |obj: &mut serde_json::Map<String, Value>| {
        for key in ["title", "summary", "subtitle", "rights"] {
            fix_detail(obj, key);
        }
        if let Some(Value::Array(content)) = obj.get_mut("content") {
            for c in content {
                let is_html = c
                    .get("type")
                    .and_then(Value::as_str)
                    .is_none_or(|t| t.contains("html"));
                if is_html {
                    if let Some(Value::String(s)) = c.get_mut("value") {
                        *s = parallax_extract::sanitize_html(s, None);
                    }
                }
            }
        }
    };
    if let Some(Value::Object(feed)) = v.get_mut("feed") {
        fix(feed);
    }
    if let Some(Value::Array(entries)) = v.get_mut("entries") {
        for e in entries {
            if let Value::Object(o) = e {
                fix(o);
            }
        }
    }
}

/// Feedparser's old names for the same fields (`FeedParserDict.keymap`).
fn alias(key: &str, in_feed: bool) -> Option<&'static str> {
    Some(match key {
        "channel" => "feed",
        "items" => "entries",
        "guid" => "id",
        "date" | "modified" => "updated",
        "date_parsed" | "modified_parsed" => "updated_parsed",
        "issued" => "published",
        "issued_parsed" => "published_parsed",
        "tagline" => "subtitle",
        "tagline_detail" => "subtitle_detail",
        "copyright" => "rights",
        "copyright_detail" => "rights_detail",
        "url" => "href",
        // `summary` first, then `subtitle`, as `FeedParserDict` looks them up.
        "description" if in_feed => "subtitle",
        "description" => "summary",
        "description_detail" if in_feed => "subtitle_detail",
        "description_detail" => "summary_detail",
        _ => return None,
    })
}

enum Found<'a> {
    Value(&'a Value),
    Missing,
}

fn resolve<'a>(root: &'a Value, path: &[Value]) -> Found<'a> {
    let mut cur = root;
    let mut in_feed = false;
    for (i, seg) in path.iter().enumerate() {
        match seg {
            Value::Number(n) => {
                let Some(idx) = n.as_i64() else {
                    return Found::Missing;
                };
                let Some(arr) = cur.as_array() else {
                    return Found::Missing;
                };
                let idx = if idx < 0 { arr.len() as i64 + idx } else { idx };
                match usize::try_from(idx).ok().and_then(|i| arr.get(i)) {
                    Some(v) => cur = v,
                    None => return Found::Missing,
                }
            }
            Value::String(key) => {
                let Some(obj) = cur.as_object() else {
                    return Found::Missing;
                };
                if i == 0 {
                    in_feed = matches!(key.as_str(), "feed" | "channel");
                }
                if let Some(v) = obj.get(key) {
                    cur = v;
                } else if key == "category" {
                    // `category` reads the first tag's term.
                    return match obj
                        .get("tags")
                        .and_then(|t| t.get(0))
                        .and_then(|t| t.get("term"))
                    {
                        Some(v) if i == path.len() - 1 => Found::Value(v),
                        _ => Found::Missing,
                    };
                } else if let Some(v) = key
                    .starts_with("description")
                    .then(|| obj.get(&key.replacen("description", "summary", 1)))
                    .flatten()
                {
                    cur = v;
                } else if let Some(v) = alias(key, in_feed).and_then(|a| obj.get(a)) {
                    cur = v;
                } else {
                    return Found::Missing;
                }
                if i == 0 && in_feed {
                    in_feed = true;
                }
            }
            _ => return Found::Missing,
        }
    }
    Found::Value(cur)
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|x| x != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Whitespace and the `rel` Parallax adds to links do not make a sanitizer decision differ.
/// A sanitizer's decisions, not its strings: the same text kept, and nothing that can run
/// left behind. Universal Feed Parser's expected strings follow its own allow-list and
/// serialisation (`<img />`, attributes it keeps and Parallax drops); what matters is that
/// no content is lost and no script survives.
fn same_sanitizer_decision(ours: &str, expected: &str) -> bool {
    let text = |s: &str| {
        parallax_extract::html_to_text(s)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    text(ours) == text(expected) && !is_dangerous(ours)
}

fn is_dangerous(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    [
        "<script",
        "javascript:",
        "vbscript:",
        "<iframe",
        "<object",
        "<embed",
        "expression(",
        "data:text",
        "<style",
        "<form",
        "<meta",
        "<link",
    ]
    .iter()
    .any(|d| lower.contains(d))
        || lower.match_indices(" on").any(|(i, _)| {
            lower[i + 3..]
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .count()
                > 0
                && lower[i + 3..]
                    .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                    .starts_with('=')
        })
}

fn equal(a: &Value, b: &Value, sanitize: bool) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        // Python's `True == 1`.
        (Value::Bool(t), Value::Number(n)) | (Value::Number(n), Value::Bool(t)) => {
            n.as_f64() == Some(f64::from(u8::from(*t)))
        }
        (Value::String(x), Value::String(y)) if sanitize => same_sanitizer_decision(x, y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q, sanitize))
        }
        _ => a == b,
    }
}

fn check(clause: &Clause, result: &Value, skip_bozo: bool, sanitize: bool) -> bool {
    match clause {
        Clause::Bozo { value } => {
            skip_bozo || result.get("bozo").and_then(Value::as_bool) == Some(*value)
        }
        Clause::Const { value } => truthy(value),
        Clause::Cmp {
            path,
            op,
            value,
            missing_is_none,
        } => {
            let found = match resolve(result, path) {
                Found::Value(v) => v.clone(),
                Found::Missing if *missing_is_none => Value::Null,
                Found::Missing => return op == "!=" || op == "is not",
            };
            let same = equal(&found, value, sanitize);
            match op.as_str() {
                "==" | "is" => same,
                "!=" | "is not" => !same,
                _ => false,
            }
        }
        Clause::Len { path, op, value } => {
            let len = match resolve(result, path) {
                Found::Value(Value::Array(a)) => a.len() as i64,
                Found::Value(Value::Object(o)) => o.len() as i64,
                Found::Value(Value::String(s)) => s.chars().count() as i64,
                _ => return false,
            };
            match op.as_str() {
                "==" => len == *value,
                "!=" => len != *value,
                ">" => len > *value,
                ">=" => len >= *value,
                "<" => len < *value,
                "<=" => len <= *value,
                _ => false,
            }
        }
        Clause::HasKey { path, key, present } => {
            let has = match resolve(result, path) {
                Found::Value(Value::Object(o)) => {
                    o.contains_key(key) || alias(key, false).is_some_and(|a| o.contains_key(a))
                }
                _ => false,
            };
            has == *present
        }
        Clause::Truthy { path, value } => {
            let t = match resolve(result, path) {
                Found::Value(v) => truthy(v),
                Found::Missing => false,
            };
            t == *value
        }
    }
}

#[derive(Deserialize)]
struct FeedparserDates {
    cases: Vec<DateCase>,
}

#[derive(Deserialize)]
struct DateCase {
    parser: String,
    input: Option<String>,
    expected_utc: Option<Vec<i64>>,
}

#[derive(Deserialize)]
struct GofeedDates {
    cases: Vec<GofeedCase>,
}

#[derive(Deserialize)]
struct GofeedCase {
    input: String,
    expected_utc: Option<String>,
}

fn run_date_vectors(root: &Path, report: &mut FeedsReport) -> Result<(), String> {
    use chrono::{Datelike, Timelike};
    let read =
        |p: PathBuf| std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()));
    let fp: FeedparserDates =
        serde_json::from_str(&read(root.join("feedparser-tests/date-vectors.json"))?)
            .map_err(|e| e.to_string())?;
    for case in fp.cases {
        let tally = report
            .dates
            .entry(format!("feedparser {}", case.parser))
            .or_default();
        let got = case
            .input
            .as_deref()
            .and_then(parallax_feed::parse_feed_date);
        let ok = match (&case.expected_utc, got) {
            (None, None) => true,
            (Some(e), Some(g)) => {
                e.len() >= 6
                    && e[..6]
                        == [
                            g.year() as i64,
                            g.month() as i64,
                            g.day() as i64,
                            g.hour() as i64,
                            g.minute() as i64,
                            g.second() as i64,
                        ]
            }
            _ => false,
        };
        tally.record(
            ok,
            case.input.as_deref().unwrap_or(""),
            &format!("{:?}", case.expected_utc),
        );
    }
    let go: GofeedDates =
        serde_json::from_str(&read(root.join("gofeed-testdata/date-vectors.json"))?)
            .map_err(|e| e.to_string())?;
    let tally = report.dates.entry("gofeed".into()).or_default();
    for case in go.cases {
        let got = parallax_feed::parse_feed_date(&case.input)
            .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string());
        let ok = got == case.expected_utc;
        tally.record(ok, &case.input, &format!("{:?}", case.expected_utc));
    }
    Ok(())
}

/// Parses every file under `root` (OPML through the OPML reader), catching panics.
fn sweep(root: &Path) -> Sweep {
    let mut s = Sweep::default();
    let mut stack = vec![root.to_path_buf()];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in read.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if !matches!(
                p.file_name().and_then(|n| n.to_str()),
                Some("README.md" | "LICENSE" | "manifest.json" | "date-vectors.json")
            ) {
                files.push(p);
            }
        }
    }
    files.sort();
    for p in files {
        let Ok(bytes) = std::fs::read(&p) else {
            continue;
        };
        s.files += 1;
        let is_opml = p.extension().is_some_and(|e| e == "opml");
        let started = Instant::now();
        let outcome = std::panic::catch_unwind(|| {
            if is_opml {
                parallax_feed::opml::parse_opml(&bytes).is_ok()
            } else {
                parallax_feed::parse_feed(&bytes, None, None).is_ok()
            }
        });
        let took = started.elapsed();
        s.total_time += took;
        let name = p.strip_prefix(root).unwrap_or(&p).display().to_string();
        if took > s.slowest.0 {
            s.slowest = (took, name.clone());
        }
        match outcome {
            Ok(true) => s.parsed += 1,
            Ok(false) => s.rejected += 1,
            Err(_) => s.panicked.push(name),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizer_decisions_compare_text_and_danger_not_strings() {
        assert!(same_sanitizer_decision(
            r#"<img src="http://x.example/a.jpg">"#,
            r#"<img src="http://x.example/a.jpg" />"#
        ));
        assert!(same_sanitizer_decision(
            "<p>safe <b>text</b></p>",
            "<p>safe <b>text</b></p>"
        ));
        assert!(
            !same_sanitizer_decision(r#"<p onclick="x()">safe</p>"#, "<p>safe</p>"),
            "a handler survived"
        );
        assert!(
            !same_sanitizer_decision("<p>safe</p>", "<p>safe text</p>"),
            "text was lost"
        );
        assert!(!is_dangerous("<p>Turn on the lights; one = two</p>"));
    }

    #[test]
    fn paths_follow_feedparser_aliases() {
        let v = serde_json::json!({"feed": {"subtitle": "S", "tags": [{"term": "t"}]}, "entries": [{"summary": "E"}]});
        let get = |path: serde_json::Value| match resolve(&v, path.as_array().unwrap()) {
            Found::Value(x) => Some(x.clone()),
            Found::Missing => None,
        };
        assert_eq!(
            get(serde_json::json!(["channel", "tagline"])),
            Some(serde_json::json!("S"))
        );
        assert_eq!(
            get(serde_json::json!(["feed", "description"])),
            Some(serde_json::json!("S"))
        );
        assert_eq!(
            get(serde_json::json!(["items", 0, "description"])),
            Some(serde_json::json!("E"))
        );
        assert_eq!(
            get(serde_json::json!(["feed", "category"])),
            Some(serde_json::json!("t"))
        );
        assert_eq!(get(serde_json::json!(["feed", "nothing"])), None);
    }
}
