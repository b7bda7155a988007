//! `parallax eval extraction`: the extractor on the three benchmarks in `data/extraction`
//! (README there), each scored by its own rules, plus metadata accuracy and time per page.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Deserialize;
use url::Url;

pub(crate) fn gunzip(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(file)
        .take(64 * 1024 * 1024)
        .read_to_end(&mut out)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(out)
}

/// What one page gave, and how long it took.
struct Run {
    extracted: Option<parallax_extract::Extracted>,
    took: Duration,
}

fn run_extractor(bytes: &[u8], url: Option<&str>) -> Run {
    let started = Instant::now();
    let html = parallax_text::charset::decode(bytes, None).text;
    let url = url.and_then(|u| Url::parse(u).ok());
    let extracted = parallax_extract::extract(&html, url.as_ref()).ok();
    Run {
        extracted,
        took: started.elapsed(),
    }
}

/// Python's `\w+` on text: runs of letters, digits and underscores.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect()
}

fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let tokens = words(text);
    let mut out = HashMap::new();
    if tokens.is_empty() {
        return out;
    }
    if tokens.len() < 4 {
        *out.entry(tokens).or_default() += 1;
        return out;
    }
    for w in tokens.windows(4) {
        *out.entry(w.to_vec()).or_default() += 1;
    }
    out
}

/// Per-document precision and recall on 4-word shingles, as the Scrapinghub benchmark
/// defines them: `None` where the document is left out of that mean.
fn shingle_scores(truth: &str, predicted: &str) -> (Option<f64>, Option<f64>) {
    let t = shingles(truth);
    let p = shingles(predicted);
    let (mut tp, mut fp, mut fnn) = (0usize, 0usize, 0usize);
    for (k, &tc) in &t {
        let pc = p.get(k).copied().unwrap_or(0);
        tp += tc.min(pc);
        fnn += tc.saturating_sub(pc);
    }
    for (k, &pc) in &p {
        fp += pc.saturating_sub(t.get(k).copied().unwrap_or(0));
    }
    let score = |tp: usize, other: usize| {
        if tp + other == 0 {
            None
        } else if other == 0 && fp == 0 && fnn == 0 {
            Some(1.0)
        } else if tp == 0 {
            Some(0.0)
        } else {
            Some(tp as f64 / (tp + other) as f64)
        }
    };
    (score(tp, fp), score(tp, fnn))
}

#[derive(Debug, Default, Clone)]
pub struct Scores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub accuracy: f64,
    pub documents: usize,
}

#[derive(Debug, Default)]
pub struct Metadata {
    pub title: (usize, usize),
    pub date: (usize, usize),
    pub author: (usize, usize),
    /// Authors whose names are the gold's in any letter case, order or list punctuation
    /// ("A und B" = "A; B"): what a reader would call right where the exact string is not.
    pub author_names: usize,
    /// Titles that are the gold's in any letter case: sites set headings in capitals, and a
    /// reader calls either right.
    pub title_any_case: usize,
}

#[derive(Debug, Default)]
pub struct ExtractionReport {
    pub scrapinghub: Option<Scores>,
    pub trafilatura: Option<(Scores, [usize; 4])>,
    pub readability: Option<(Scores, Metadata)>,
    pub trafilatura_meta: Metadata,
    /// Metadata that did not match, as "field: got … want … (page)", for `--verbose`.
    pub misses: Vec<String>,
    pub verbose: bool,
    pub times: Vec<Duration>,
    /// Median time per page on the Scrapinghub pages alone, for side-by-side comparisons.
    pub scrapinghub_median: Option<Duration>,
}

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().sum::<f64>() / xs.len() as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn ratio((ok, all): (usize, usize)) -> String {
    format!("{ok}/{all} = {:.1}%", 100.0 * ok as f64 / all.max(1) as f64)
}

impl fmt::Display for ExtractionReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = &self.scrapinghub {
            writeln!(
                f,
                "Scrapinghub article-extraction benchmark ({} pages; 4-word shingles)",
                s.documents
            )?;
            writeln!(
                f,
                "  F1 {:.4}  P {:.4}  R {:.4}  accuracy {:.3}",
                s.f1, s.precision, s.recall, s.accuracy
            )?;
            if let Some(m) = self.scrapinghub_median {
                writeln!(f, "  median {:.2} ms per page", m.as_secs_f64() * 1e3)?;
            }
        }
        if let Some((s, [tp, fp, fnn, tn])) = &self.trafilatura {
            writeln!(
                f,
                "trafilatura evaluation set ({} pages; must/must-not segments)",
                s.documents
            )?;
            writeln!(
                f,
                "  F1 {:.3}  P {:.3}  R {:.3}  accuracy {:.3}  (tp {tp} fp {fp} fn {fnn} tn {tn})",
                s.f1, s.precision, s.recall, s.accuracy
            )?;
            let m = &self.trafilatura_meta;
            writeln!(
                f,
                "  metadata: title exact {} (any case {}), date same day {}, author exact {} (same names {})",
                ratio(m.title),
                ratio((m.title_any_case, m.title.1)),
                ratio(m.date),
                ratio(m.author),
                ratio((m.author_names, m.author.1))
            )?;
        }
        if let Some((s, m)) = &self.readability {
            writeln!(f, "Mozilla Readability test pages ({} pages)", s.documents)?;
            writeln!(
                f,
                "  text against Readability.js's output, 4-word shingles (not the upstream DOM check): F1 {:.3}  P {:.3}  R {:.3}",
                s.f1, s.precision, s.recall
            )?;
            writeln!(
                f,
                "  metadata: title exact {} (any case {}), byline exact {} (same names {}), published same day {}",
                ratio(m.title),
                ratio((m.title_any_case, m.title.1)),
                ratio(m.author),
                ratio((m.author_names, m.author.1)),
                ratio(m.date)
            )?;
        }
        if self.verbose {
            for miss in &self.misses {
                writeln!(f, "    {miss}")?;
            }
        }
        let mut times = self.times.clone();
        times.sort();
        if !times.is_empty() {
            let pct = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
            writeln!(f, "time per page (decode + extract, one core): median {:.2} ms, p90 {:.2} ms, max {:.2} ms over {} pages", pct(0.5), pct(0.9), pct(1.0), times.len())?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct Truth {
    #[serde(rename = "articleBody")]
    article_body: String,
    url: Option<String>,
}

fn scrapinghub(dir: &Path, report: &mut ExtractionReport) -> Result<(), String> {
    let truth_path = dir.join("ground-truth.json");
    let truth: HashMap<String, Truth> = serde_json::from_str(
        &std::fs::read_to_string(&truth_path)
            .map_err(|e| format!("{}: {e}", truth_path.display()))?,
    )
    .map_err(|e| e.to_string())?;
    let mut ids: Vec<&String> = truth.keys().collect();
    ids.sort();
    let (mut ps, mut rs, mut exact) = (Vec::new(), Vec::new(), 0);
    let first = report.times.len();
    for id in &ids {
        let t = &truth[*id];
        let bytes = gunzip(&dir.join("html").join(format!("{id}.html.gz")))?;
        let run = run_extractor(&bytes, t.url.as_deref());
        report.times.push(run.took);
        let predicted = run.extracted.map(|x| x.text).unwrap_or_default();
        let (p, r) = shingle_scores(&t.article_body, &predicted);
        if p.unwrap_or(1.0).min(r.unwrap_or(1.0)) < 0.8 {
            report.misses.push(format!(
                "scrapinghub: P {:.2} R {:.2} ({})",
                p.unwrap_or(1.0),
                r.unwrap_or(1.0),
                t.url.as_deref().unwrap_or(id.as_str())
            ));
        }
        ps.extend(p);
        rs.extend(r);
        if words(&t.article_body) == words(&predicted) {
            exact += 1;
        }
    }
    let mut own: Vec<Duration> = report.times[first..].to_vec();
    own.sort();
    report.scrapinghub_median = own.get(own.len() / 2).copied();
    let (p, r) = (mean(&ps), mean(&rs));
    report.scrapinghub = Some(Scores {
        precision: p,
        recall: r,
        f1: f1(p, r),
        accuracy: exact as f64 / ids.len().max(1) as f64,
        documents: ids.len(),
    });
    Ok(())
}

#[derive(Deserialize)]
struct TrafilaturaCase {
    file: String,
    #[serde(default)]
    with: Vec<String>,
    #[serde(default)]
    without: Vec<String>,
    #[serde(default)]
    title: Option<serde_json::Value>,
    #[serde(default)]
    date: Option<serde_json::Value>,
    #[serde(default)]
    author: Option<serde_json::Value>,
}

/// Whether `ours` names the same people as the gold string, whatever its letter case, list
/// punctuation and order.
fn same_names(ours: &[String], gold: &str) -> bool {
    let names = |s: &str| -> Vec<String> {
        let mut v: Vec<String> = s
            .replace(" and ", ";")
            .replace(" und ", ";")
            .replace(" & ", ";")
            .replace(" et ", ";")
            .replace(" y ", ";")
            .split([';', ','])
            .map(|n| normalise(n).trim_end_matches('.').to_lowercase())
            .filter(|n| !n.is_empty())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let gold = names(gold);
    !gold.is_empty() && names(&ours.join("; ")) == gold
}

/// Gold metadata is a string, or a list of strings (several authors).
fn gold_text(v: Option<&serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(items) => Some(
            items
                .iter()
                .filter_map(|i| i.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        ),
        _ => None,
    }
    .filter(|s| !s.trim().is_empty())
}

/// The publication time in the zone the page wrote it in (UTC if it named none): the day
/// the page's readers saw, which is what the gold dates give.
fn published_as_written(
    x: &parallax_extract::Extracted,
) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let at = x.published?;
    let offset = x
        .published_offset_minutes
        .and_then(|m| chrono::FixedOffset::east_opt(m * 60))
        .unwrap_or(chrono::FixedOffset::east_opt(0)?);
    Some(at.with_timezone(&offset))
}

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn same_any_case(ours: &str, gold: &str) -> bool {
    normalise(ours).to_lowercase() == normalise(gold).to_lowercase()
}

fn trafilatura(dir: &Path, report: &mut ExtractionReport) -> Result<(), String> {
    let tests = dir.join("tests");
    let data_path = tests.join("evaldata.json");
    let cases: HashMap<String, TrafilaturaCase> = serde_json::from_str(
        &std::fs::read_to_string(&data_path)
            .map_err(|e| format!("{}: {e}", data_path.display()))?,
    )
    .map_err(|e| e.to_string())?;
    let mut urls: Vec<&String> = cases.keys().collect();
    urls.sort();
    let [mut tp, mut fp, mut fnn, mut tn] = [0usize; 4];
    let meta = &mut report.trafilatura_meta;
    for url in &urls {
        let case = &cases[*url];
        let gz = format!("{}.gz", case.file);
        let path = [tests.join("cache").join(&gz), tests.join("eval").join(&gz)]
            .into_iter()
            .find(|p| p.exists());
        let Some(path) = path else { continue };
        let bytes = gunzip(&path)?;
        let run = run_extractor(&bytes, Some(url));
        report.times.push(run.took);
        let text = run
            .extracted
            .as_ref()
            .map(|x| normalise(&x.text))
            .unwrap_or_default();
        let hits = |segments: &[String]| {
            segments
                .iter()
                .filter(|s| !text.is_empty() && text.contains(&normalise(s)))
                .count()
        };
        let (w, wo) = (hits(&case.with), hits(&case.without));
        let found = |s: &String| !text.is_empty() && text.contains(&normalise(s));
        for s in case.with.iter().filter(|s| !found(s)) {
            report.misses.push(format!("text missing: {s:?} ({url})"));
        }
        for s in case.without.iter().filter(|s| found(s)) {
            report.misses.push(format!("text unwanted: {s:?} ({url})"));
        }
        tp += w;
        fnn += case.with.len() - w;
        fp += wo;
        tn += case.without.len() - wo;
        let x = run.extracted.as_ref();
        if let Some(gold) = gold_text(case.title.as_ref()) {
            meta.title.1 += 1;
            let got = x.and_then(|x| x.title.as_deref());
            if got.is_some_and(|t| same_any_case(t, &gold)) {
                meta.title_any_case += 1;
            }
            if got.is_some_and(|t| normalise(t) == normalise(&gold)) {
                meta.title.0 += 1;
            } else {
                report
                    .misses
                    .push(format!("title: got {got:?} want {gold:?} ({url})"));
            }
        }
        if let Some(gold) = gold_text(case.date.as_ref()) {
            meta.date.1 += 1;
            let got = x.and_then(published_as_written);
            if got.is_some_and(|d| d.format("%Y-%m-%d").to_string() == gold) {
                meta.date.0 += 1;
            } else {
                report.misses.push(format!(
                    "date: got {:?} want {gold:?} ({url})",
                    got.map(|d| d.to_rfc3339())
                ));
            }
        }
        if let Some(gold) = gold_text(case.author.as_ref()) {
            meta.author.1 += 1;
            let ours = x.map(|x| x.authors.join("; ")).unwrap_or_default();
            if x.is_some_and(|x| same_names(&x.authors, &gold)) {
                meta.author_names += 1;
            }
            if normalise(&ours) == normalise(&gold) {
                meta.author.0 += 1;
            } else {
                report
                    .misses
                    .push(format!("author: got {ours:?} want {gold:?} ({url})"));
            }
        }
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fnn).max(1) as f64;
    let scores = Scores {
        precision: p,
        recall: r,
        f1: 2.0 * tp as f64 / (2 * tp + fp + fnn).max(1) as f64,
        accuracy: (tp + tn) as f64 / (tp + fp + fnn + tn).max(1) as f64,
        documents: urls.len(),
    };
    report.trafilatura = Some((scores, [tp, fp, fnn, tn]));
    Ok(())
}

#[derive(Deserialize)]
struct ReadabilityMeta {
    title: Option<String>,
    byline: Option<String>,
    #[serde(rename = "publishedTime")]
    published_time: Option<String>,
}

fn readability(dir: &Path, report: &mut ExtractionReport) -> Result<(), String> {
    let pages = dir.join("test-pages");
    let mut names: Vec<_> = std::fs::read_dir(&pages)
        .map_err(|e| format!("{}: {e}", pages.display()))?
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    let (mut ps, mut rs) = (Vec::new(), Vec::new());
    let mut meta = Metadata::default();
    for page in &names {
        let Ok(source) = gunzip(&page.join("source.html.gz")) else {
            continue;
        };
        let expected = gunzip(&page.join("expected.html.gz"))
            .map(|b| parallax_extract::html_to_text(&String::from_utf8_lossy(&b)))
            .unwrap_or_default();
        let gold: Option<ReadabilityMeta> =
            std::fs::read_to_string(page.join("expected-metadata.json"))
                .ok()
                .and_then(|s| serde_json::from_str(&s).ok());
        let run = run_extractor(&source, Some("http://fakehost/test/page.html"));
        report.times.push(run.took);
        let x = run.extracted.as_ref();
        let (p, r) = shingle_scores(&expected, x.map(|x| x.text.as_str()).unwrap_or(""));
        ps.extend(p);
        rs.extend(r);
        if let Some(gold) = gold {
            if let Some(t) = gold.title.filter(|t| !t.is_empty()) {
                meta.title.1 += 1;
                let got = x.and_then(|x| x.title.as_deref());
                if got.is_some_and(|ours| same_any_case(ours, &t)) {
                    meta.title_any_case += 1;
                }
                if got.is_some_and(|ours| normalise(ours) == normalise(&t)) {
                    meta.title.0 += 1;
                } else {
                    report.misses.push(format!(
                        "readability title: got {got:?} want {t:?} ({})",
                        page.display()
                    ));
                }
            }
            if let Some(b) = gold.byline.filter(|t| !t.is_empty()) {
                meta.author.1 += 1;
                if x.is_some_and(|x| same_names(&x.authors, &b)) {
                    meta.author_names += 1;
                }
                if x.is_some_and(|x| normalise(&x.authors.join(", ")) == normalise(&b)) {
                    meta.author.0 += 1;
                } else if report.verbose {
                    let got = x.map(|x| x.authors.join(", ")).unwrap_or_default();
                    report.misses.push(format!(
                        "readability byline: got {got:?} want {b:?} ({})",
                        page.display()
                    ));
                }
            }
            if let Some(d) = gold.published_time.filter(|t| !t.is_empty()) {
                meta.date.1 += 1;
                // The gold is the page's own string: its day as written, in its own zone.
                let gold_day = parallax_extract::parse_date_zoned(&d).and_then(|(at, offset)| {
                    let offset = chrono::FixedOffset::east_opt(offset.unwrap_or(0) * 60)?;
                    Some(at.with_timezone(&offset).date_naive())
                });
                if gold_day.is_some()
                    && x.and_then(published_as_written).map(|d| d.date_naive()) == gold_day
                {
                    meta.date.0 += 1;
                }
            }
        }
    }
    let (p, r) = (mean(&ps), mean(&rs));
    report.readability = Some((
        Scores {
            precision: p,
            recall: r,
            f1: f1(p, r),
            accuracy: 0.0,
            documents: names.len(),
        },
        meta,
    ));
    Ok(())
}

pub fn run(data: &Path, verbose: bool) -> Result<ExtractionReport, String> {
    let root = data.join("extraction");
    if !root.is_dir() {
        return Err(format!("{} not found", root.display()));
    }
    let mut report = ExtractionReport {
        verbose,
        ..ExtractionReport::default()
    };
    scrapinghub(&root.join("scrapinghub-aeb"), &mut report)?;
    trafilatura(&root.join("trafilatura-eval"), &mut report)?;
    readability(&root.join("mozilla-readability"), &mut report)?;
    Ok(report)
}

/// The Scrapinghub scorer on a published output, to check this reimplementation against the
/// figures the README gives.
pub fn score_published(data: &Path, tool: &str) -> Result<Scores, String> {
    let dir = data.join("extraction/scrapinghub-aeb");
    let truth: HashMap<String, Truth> = serde_json::from_str(
        &std::fs::read_to_string(dir.join("ground-truth.json")).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let raw: serde_json::Value = serde_json::from_slice(&gunzip(
        &dir.join("output").join(format!("{tool}.json.gz")),
    )?)
    .map_err(|e| e.to_string())?;
    let output = raw.get("output").cloned().unwrap_or(raw);
    let (mut ps, mut rs, mut exact) = (Vec::new(), Vec::new(), 0);
    for (id, t) in &truth {
        let predicted = output
            .get(id)
            .and_then(|o| o.get("articleBody"))
            .and_then(|b| b.as_str())
            .unwrap_or("");
        let (p, r) = shingle_scores(&t.article_body, predicted);
        ps.extend(p);
        rs.extend(r);
        if words(&t.article_body) == words(predicted) {
            exact += 1;
        }
    }
    let (p, r) = (mean(&ps), mean(&rs));
    Ok(Scores {
        precision: p,
        recall: r,
        f1: f1(p, r),
        accuracy: exact as f64 / truth.len().max(1) as f64,
        documents: truth.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_names_ignores_case_order_and_list_punctuation_only() {
        let ours = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert!(same_names(
            &ours(&["Lars Fischer", "Alina Schadwinkel"]),
            "Lars Fischer und Alina Schadwinkel"
        ));
        assert!(same_names(&ours(&["Bob Fischer"]), "BOB FISCHER"));
        assert!(same_names(&ours(&["Rodolfo Costa"]), "Rodolfo Costa."));
        assert!(!same_names(
            &ours(&["Rudolf Fischer"]),
            "Rudolf Fischer, Simon Kohler"
        ));
        assert!(!same_names(&ours(&["Nils"]), "Nils Pickert"));
        assert!(!same_names(&ours(&[]), ""));
    }

    #[test]
    fn shingle_scores_follow_the_benchmark_rules() {
        assert_eq!(
            shingle_scores("one two three four five", "one two three four five"),
            (Some(1.0), Some(1.0))
        );
        assert_eq!(
            shingle_scores("one two three four five", ""),
            (None, Some(0.0))
        );
        assert_eq!(
            shingle_scores("a b", "a b"),
            (Some(1.0), Some(1.0)),
            "short texts are one shingle"
        );
        let (p, r) = shingle_scores("a b c d e f", "a b c d e f g h");
        assert_eq!((p, r), (Some(3.0 / 5.0), Some(1.0)));
    }
}
