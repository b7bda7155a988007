//! Story clustering on ECB+ (look-alike events, no dates) and on the AllSides roundups (one
//! story told by a left, a centre and a right outlet, streamed among thousands of unlabelled
//! articles of the same days), scored by BCubed and pairwise precision, recall and F1 as the
//! data's README defines them (`clustering/README.md`, section 3).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::hash::Hash;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use parallax_cluster::{cluster_all, ClusterConfig, Doc, StoryKey};
use serde::Deserialize;

use crate::extraction::gunzip;

/// Precision, recall and F1 of one metric.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn new(precision: f64, recall: f64) -> Self {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

/// BCubed and pairwise scores of one clustering against gold labels.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    pub bcubed: Prf,
    pub pairwise: Prf,
    /// Predicted clusters among the scored items.
    pub clusters: usize,
    pub items: usize,
}

/// Scores `predicted` against `gold`, item by item (both in the same order). Pairwise
/// precision is 0 when no two items share a predicted cluster, as in Priberam's code.
pub fn score<G: Eq + Hash, P: Eq + Hash>(gold: &[G], predicted: &[P]) -> Scores {
    let n = gold.len().min(predicted.len());
    let mut joint: HashMap<(&G, &P), u64> = HashMap::new();
    let mut by_gold: HashMap<&G, u64> = HashMap::new();
    let mut by_pred: HashMap<&P, u64> = HashMap::new();
    for (g, p) in gold.iter().zip(predicted).take(n) {
        *joint.entry((g, p)).or_default() += 1;
        *by_gold.entry(g).or_default() += 1;
        *by_pred.entry(p).or_default() += 1;
    }
    let pairs = |x: u64| (x * x.saturating_sub(1) / 2) as f64;
    let tp: f64 = joint.values().copied().map(pairs).sum();
    let predicted_pairs: f64 = by_pred.values().copied().map(pairs).sum();
    let gold_pairs: f64 = by_gold.values().copied().map(pairs).sum();
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    // Each item of a (gold, predicted) cell sees `cell` items like it: summed over the cell's
    // items that is cell² / |its predicted cluster| for precision, / |its gold class| for
    // recall.
    let (mut p_sum, mut r_sum) = (0.0, 0.0);
    for ((g, p), &cell) in &joint {
        let cell = cell as f64;
        p_sum += cell * cell / by_pred[p] as f64;
        r_sum += cell * cell / by_gold[g] as f64;
    }
    let items = n as f64;
    Scores {
        bcubed: Prf::new(ratio(p_sum, items), ratio(r_sum, items)),
        pairwise: Prf::new(ratio(tp, predicted_pairs), ratio(tp, gold_pairs)),
        clusters: by_pred.len(),
        items: n,
    }
}

/// One labelled stream, clustered in one arrival order.
#[derive(Debug, Clone)]
pub struct Run {
    pub name: String,
    pub scores: Scores,
    /// All articles streamed, labelled or not, and the stories they formed.
    pub streamed: usize,
    pub stories: usize,
    pub took: Duration,
    /// With `verbose`: the stories that mix events, and the events split over stories.
    pub mistakes: Vec<String>,
}

/// Near-duplicates found in ECB+, against the silver pairs shipped with it (all pairs whose
/// word 5-shingle Jaccard is at least 0.30, computed exactly).
#[derive(Debug, Default, Clone)]
pub struct CopyCheck {
    /// Silver pairs that are copies by Parallax's rule (Jaccard or containment over the
    /// thresholds), and how many of them were found.
    pub expected: usize,
    pub found: usize,
    /// Pairs found in all, those across two events, and those the silver file does not list.
    pub reported: usize,
    pub across_events: usize,
    pub unlisted: usize,
}

#[derive(Debug, Default)]
pub struct ClusteringReport {
    pub copies: Option<CopyCheck>,
    pub ecbplus: Vec<Run>,
    pub allsides: Vec<Run>,
    pub skipped: Vec<String>,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (b, p) = (self.scores.bcubed, self.scores.pairwise);
        let rate = self.streamed as f64 / self.took.as_secs_f64().max(1e-9);
        writeln!(
            f,
            "  {:<22} BCubed P {:.3} R {:.3} F1 {:.3} | pairwise P {:.3} R {:.3} F1 {:.3} | {} stories for {} labelled ({} streamed, {} stories; {:.0} articles/s)",
            self.name,
            b.precision,
            b.recall,
            b.f1,
            p.precision,
            p.recall,
            p.f1,
            self.scores.clusters,
            self.scores.items,
            self.streamed,
            self.stories,
            rate
        )
    }
}

/// Mean and spread (max − min) of BCubed F1 over runs whose name starts with `prefix`.
fn summary(runs: &[Run], prefix: &str) -> Option<(f64, f64)> {
    let f1s: Vec<f64> = runs
        .iter()
        .filter(|r| r.name.starts_with(prefix))
        .map(|r| r.scores.bcubed.f1)
        .collect();
    if f1s.is_empty() {
        return None;
    }
    let mean = f1s.iter().sum::<f64>() / f1s.len() as f64;
    let max = f1s.iter().copied().fold(f64::MIN, f64::max);
    let min = f1s.iter().copied().fold(f64::MAX, f64::min);
    Some((mean, max - min))
}

impl fmt::Display for ClusteringReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.ecbplus.is_empty() {
            writeln!(
                f,
                "ECB+ (982 articles, 86 events; shuffled arrival orders, one shared date)"
            )?;
            for run in &self.ecbplus {
                write!(f, "{run}")?;
                for m in &run.mistakes {
                    writeln!(f, "    {m}")?;
                }
            }
            for (label, prefix) in [
                ("test split", "test,"),
                ("train+dev", "train+dev,"),
                ("all articles", "all,"),
            ] {
                if let Some((mean, spread)) = summary(&self.ecbplus, prefix) {
                    writeln!(
                        f,
                        "  {label}: BCubed F1 mean {mean:.3}, spread {spread:.3} across orders"
                    )?;
                }
            }
        }
        if let Some(c) = &self.copies {
            writeln!(
                f,
                "  copies (MinHash LSH): found {}/{} silver pairs over the copy thresholds; {} pairs reported, {} across events, {} not in the silver list",
                c.found, c.expected, c.reported, c.across_events, c.unlisted
            )?;
        }
        if !self.allsides.is_empty() {
            writeln!(
                f,
                "AllSides roundups (labelled members among the same days' articles, in publication order)"
            )?;
            for run in &self.allsides {
                write!(f, "{run}")?;
                for m in &run.mistakes {
                    writeln!(f, "    {m}")?;
                }
            }
        }
        for s in &self.skipped {
            writeln!(f, "skipped: {s}")?;
        }
        Ok(())
    }
}

/// Arrival orders for ECB+: fixed seeds, so every run of the evaluation sees the same ones.
/// Twelve, not three: the spread across orders is a goal, and three orders showed 0.039 on
/// the test split where twelve show 0.059.
pub const ECBPLUS_SEEDS: [u64; 12] = [13, 7, 42, 1, 2, 3, 4, 5, 6, 8, 9, 10];

/// The date every ECB+ article is given: the corpus has none, and a shared one leaves time
/// out of the decision.
fn shared_date() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2026, 1, 1)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .map(|t| t.and_utc())
        .unwrap_or_default()
}

#[derive(Deserialize)]
struct EcbDoc {
    doc_id: String,
    event_cluster: String,
    split: String,
    title_guess: Option<String>,
    text: String,
}

pub(crate) fn read_jsonl_gz<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>, String> {
    let bytes = gunzip(path)?;
    let text = String::from_utf8_lossy(&bytes);
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| format!("{} line {}: {e}", path.display(), i + 1))
        })
        .collect()
}

/// A Fisher-Yates shuffle driven by SplitMix64: the orders must be the same on every
/// machine and every version, which a crate's generator does not promise.
pub fn shuffled<T>(mut items: Vec<T>, seed: u64) -> Vec<T> {
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for i in (1..items.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
    items
}

/// A labelled article as scored: its label, the story it was put in, its headline.
type Placed<'a> = (&'a String, StoryKey, &'a str);

/// A named part of the labelled articles, picked by label.
type Subset<'a> = (&'a str, fn(&str) -> bool);

/// Clusters `docs` once, in the order given, and scores each subset of the labelled ones.
fn run_stream(
    name: &str,
    docs: &[Doc],
    labels: &[Option<String>],
    config: &ClusterConfig,
    subsets: &[Subset<'_>],
    verbose: bool,
) -> Vec<Run> {
    let started = Instant::now();
    let stories: Vec<StoryKey> = cluster_all(config.clone(), docs);
    let took = started.elapsed();
    let mut distinct = stories.clone();
    distinct.sort_unstable();
    distinct.dedup();
    subsets
        .iter()
        .map(|(subset, wanted)| {
            let picked: Vec<Placed<'_>> = labels
                .iter()
                .zip(&stories)
                .zip(docs)
                .filter_map(|((l, s), d)| {
                    l.as_ref()
                        .filter(|l| wanted(l))
                        .map(|l| (l, *s, headline(d)))
                })
                .collect();
            let gold: Vec<&String> = picked.iter().map(|p| p.0).collect();
            let predicted: Vec<StoryKey> = picked.iter().map(|p| p.1).collect();
            Run {
                name: if subset.is_empty() {
                    name.to_string()
                } else {
                    format!("{name}, {subset}")
                },
                scores: score(&gold, &predicted),
                streamed: docs.len(),
                stories: distinct.len(),
                took,
                mistakes: if verbose {
                    mistakes(&picked)
                } else {
                    Vec::new()
                },
            }
        })
        .collect()
}

/// A document's headline, or its opening words where it has none.
fn headline(doc: &Doc) -> &str {
    let text = if doc.title.is_empty() {
        &doc.text
    } else {
        &doc.title
    };
    let mut end = text.len().min(80);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].lines().next().unwrap_or("")
}

/// Each story that holds more than one event, and each event spread over several stories,
/// with a headline of each part.
fn mistakes(items: &[Placed<'_>]) -> Vec<String> {
    let mut by_story: BTreeMap<StoryKey, Vec<&Placed<'_>>> = Default::default();
    let mut by_event: BTreeMap<&String, Vec<&Placed<'_>>> = Default::default();
    for item in items {
        by_story.entry(item.1).or_default().push(item);
        by_event.entry(item.0).or_default().push(item);
    }
    let mut out = Vec::new();
    let parts = |members: &[&Placed<'_>], key: &dyn Fn(&Placed<'_>) -> String| {
        let mut groups: BTreeMap<String, (usize, &str)> = Default::default();
        for m in members {
            let e = groups.entry(key(m)).or_insert((0, m.2));
            e.0 += 1;
        }
        groups
            .iter()
            .map(|(k, (n, title))| format!("{k} x{n} \"{title}\""))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    for (story, members) in &by_story {
        let events: BTreeSet<&String> = members.iter().map(|m| m.0).collect();
        if events.len() > 1 {
            out.push(format!(
                "mixed story {story}: {}",
                parts(members, &|m| m.0.to_string())
            ));
        }
    }
    for (event, members) in &by_event {
        let stories: BTreeSet<StoryKey> = members.iter().map(|m| m.1).collect();
        if stories.len() > 1 {
            out.push(format!(
                "split event {event}: {}",
                parts(members, &|m| format!("story {}", m.1))
            ));
        }
    }
    out
}

fn ecbplus(
    data: &Path,
    config: &ClusterConfig,
    verbose: bool,
    report: &mut ClusteringReport,
) -> Result<(), String> {
    let path = data.join("clustering/ecbplus/ecbplus_docs.jsonl.gz");
    if !path.exists() {
        report.skipped.push(format!("ECB+: no {}", path.display()));
        return Ok(());
    }
    let mut docs: Vec<EcbDoc> = read_jsonl_gz(&path)?;
    // A fixed starting order, whatever the file's.
    docs.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));
    let date = shared_date();
    let as_doc = |d: &EcbDoc| Doc {
        title: d
            .title_guess
            .clone()
            .filter(|t| t != "None")
            .unwrap_or_default(),
        text: d.text.clone(),
        published: date,
        language: Some("en".into()),
    };
    let silver = data.join("clustering/ecbplus/ecbplus_neardup_pairs_5shingle.tsv");
    if silver.exists() {
        report.copies = Some(check_copies(
            &silver,
            &shuffled(docs.iter().collect(), ECBPLUS_SEEDS[0]),
            &as_doc,
        )?);
    } else {
        report
            .skipped
            .push(format!("ECB+ copies: no {}", silver.display()));
    }
    // The split most papers use: parameters are chosen on train and dev, and test is the
    // score to quote.
    let subsets: [Subset<'_>; 3] = [
        ("test", |s| s == "test"),
        ("train+dev", |s| s != "test"),
        ("all", |_| true),
    ];
    for (subset, wanted) in subsets {
        for seed in ECBPLUS_SEEDS {
            let chosen: Vec<&EcbDoc> = docs.iter().filter(|d| wanted(&d.split)).collect();
            let order = shuffled(chosen, seed);
            let stream: Vec<Doc> = order.iter().map(|d| as_doc(d)).collect();
            let labels: Vec<Option<String>> = order
                .iter()
                .map(|d| Some(d.event_cluster.clone()))
                .collect();
            report.ecbplus.extend(run_stream(
                &format!("{subset}, seed {seed}"),
                &stream,
                &labels,
                config,
                &[("", |_| true)],
                verbose && seed == ECBPLUS_SEEDS[0],
            ));
        }
    }
    Ok(())
}

/// Streams ECB+ through a copy index, as the clusterer does, and compares the pairs it
/// finds with the silver list.
fn check_copies(
    path: &Path,
    order: &[&EcbDoc],
    as_doc: &dyn Fn(&EcbDoc) -> Doc,
) -> Result<CopyCheck, String> {
    use parallax_cluster::{CopyIndex, COPY_CONTAINMENT, COPY_JACCARD};
    let silver = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let pair = |a: &str, b: &str| {
        if a < b {
            (a.to_string(), b.to_string())
        } else {
            (b.to_string(), a.to_string())
        }
    };
    let mut listed = HashSet::new();
    let mut expected = HashSet::new();
    for line in silver.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let [a, b, jaccard, containment, ..] = f[..] else {
            continue;
        };
        let (Ok(j), Ok(c)) = (jaccard.parse::<f64>(), containment.parse::<f64>()) else {
            continue;
        };
        listed.insert(pair(a, b));
        if j >= COPY_JACCARD || c >= COPY_CONTAINMENT {
            expected.insert(pair(a, b));
        }
    }
    let mut index = CopyIndex::default();
    let mut check = CopyCheck {
        expected: expected.len(),
        ..CopyCheck::default()
    };
    for (i, d) in order.iter().enumerate() {
        let doc = as_doc(d);
        let Some(signature) = parallax_cluster::copy_signature(&doc) else {
            continue;
        };
        for copy in index.find_all(&signature) {
            let other = order[copy.article as usize];
            let p = pair(&d.doc_id, &other.doc_id);
            check.reported += 1;
            check.found += usize::from(expected.contains(&p));
            check.unlisted += usize::from(!listed.contains(&p));
            check.across_events += usize::from(d.event_cluster != other.event_cluster);
        }
        index.add(i as i64, 0, signature, doc.published);
    }
    Ok(check)
}

#[derive(Deserialize)]
struct Roundup {
    cluster_id: String,
    members: Vec<Member>,
}

#[derive(Deserialize)]
struct Member {
    title: String,
    baly_id: Option<String>,
    date: Option<String>,
    text: Option<String>,
}

#[derive(Deserialize)]
struct BalyArticle {
    #[serde(rename = "ID")]
    id: String,
    date: Option<String>,
    title: String,
    text: String,
}

/// Noon of a `YYYY-MM-DD` day: the corpus dates articles by the day only.
fn noon(day: &str) -> Option<DateTime<Utc>> {
    NaiveDate::parse_from_str(day.get(..10)?, "%Y-%m-%d")
        .ok()?
        .and_hms_opt(12, 0, 0)
        .map(|t| t.and_utc())
}

/// One article of the AllSides stream; `label` is its roundup, if it is in one.
struct Streamed {
    id: String,
    label: Option<String>,
    published: DateTime<Utc>,
    title: String,
    text: String,
}

fn allsides(
    data: &Path,
    config: &ClusterConfig,
    verbose: bool,
    report: &mut ClusteringReport,
) -> Result<(), String> {
    let roundups = data.join("news/allsides-neus/triples_joined.jsonl.gz");
    let distractors =
        data.join("news/article-bias-prediction/articles_text_2019-01_2020-07.jsonl.gz");
    if !roundups.exists() {
        report
            .skipped
            .push(format!("AllSides: no {}", roundups.display()));
        return Ok(());
    }
    let roundups: Vec<Roundup> = read_jsonl_gz(&roundups)?;
    // Labelled: the members of a story with at least two of them in full text (a story of
    // one is no test of grouping). An article linked from two roundups keeps its first.
    let mut seen = HashSet::new();
    let mut articles: Vec<Streamed> = Vec::new();
    for r in &roundups {
        let full: Vec<(&String, &String, DateTime<Utc>, &String)> = r
            .members
            .iter()
            .filter_map(|m| {
                let date = m.date.as_deref().and_then(noon)?;
                Some((m.baly_id.as_ref()?, m.text.as_ref()?, date, &m.title))
            })
            .collect();
        if full.len() < 2 {
            continue;
        }
        for (id, text, published, title) in full {
            if seen.insert(id.clone()) {
                articles.push(Streamed {
                    id: id.clone(),
                    label: Some(r.cluster_id.clone()),
                    published,
                    title: title.clone(),
                    text: text.clone(),
                });
            }
        }
    }
    let with_distractors = distractors.exists();
    if with_distractors {
        for a in read_jsonl_gz::<BalyArticle>(&distractors)? {
            let Some(published) = a.date.as_deref().and_then(noon) else {
                continue;
            };
            if seen.insert(a.id.clone()) {
                articles.push(Streamed {
                    id: a.id,
                    label: None,
                    published,
                    title: a.title,
                    text: a.text,
                });
            }
        }
    } else {
        report.skipped.push(format!(
            "AllSides distractors: no {}",
            distractors.display()
        ));
    }
    // Publication order; within a day, a fixed order by id.
    articles.sort_by(|a, b| a.published.cmp(&b.published).then_with(|| a.id.cmp(&b.id)));
    let labels: Vec<Option<String>> = articles.iter().map(|a| a.label.clone()).collect();
    let docs: Vec<Doc> = articles
        .into_iter()
        .map(|a| Doc {
            title: a.title,
            text: a.text,
            published: a.published,
            language: Some("en".into()),
        })
        .collect();
    let name = if with_distractors {
        "with distractors"
    } else {
        "members only"
    };
    // The roundups come in the NeuS splits: parameters are chosen on train.
    let subsets: [Subset<'_>; 4] = [
        ("all", |_| true),
        ("train", |l| l.starts_with("train")),
        ("val", |l| l.starts_with("val")),
        ("test", |l| l.starts_with("test")),
    ];
    report
        .allsides
        .extend(run_stream(name, &docs, &labels, config, &subsets, verbose));
    Ok(())
}

/// One stretch of a replay: how fast it went and what the clusterer held at its end.
#[derive(Debug, Clone)]
pub struct ReplayPoint {
    /// Articles streamed so far.
    pub articles: usize,
    /// Articles a second over the stretch.
    pub rate: f64,
    pub stories_held: usize,
    pub articles_held: usize,
    /// Resident memory of the process, if the system says.
    pub resident_bytes: Option<u64>,
}

impl fmt::Display for ReplayPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "  {:>9} articles: {:>7.0} articles/s over the last stretch; holding {} stories, {} articles",
            self.articles, self.rate, self.stories_held, self.articles_held
        )?;
        if let Some(bytes) = self.resident_bytes {
            write!(f, "; resident {:.0} MiB", bytes as f64 / (1024.0 * 1024.0))?;
        }
        writeln!(f)
    }
}

fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// The AllSides period's full-text articles (`articles_text_*`) that have a date, oldest
/// first: publication time (noon of their day), title, text.
pub fn corpus_articles(data: &Path) -> Result<Vec<(DateTime<Utc>, String, String)>, String> {
    let path = data.join("news/article-bias-prediction/articles_text_2019-01_2020-07.jsonl.gz");
    let mut articles: Vec<(DateTime<Utc>, String, String)> = read_jsonl_gz::<BalyArticle>(&path)?
        .into_iter()
        .filter_map(|a| Some((a.date.as_deref().and_then(noon)?, a.title, a.text)))
        .collect();
    if articles.is_empty() {
        return Err(format!("{}: no dated articles", path.display()));
    }
    articles.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    Ok(articles)
}

/// Streams the AllSides period's articles (`articles_text_*`) again and again, each pass
/// shifted in time past the one before, until `total` articles went through one clusterer;
/// reports every `every` articles. Shows whether the cost per article stays flat as the
/// stream grows and whether memory follows the window rather than the stream.
pub fn replay(
    data: &Path,
    config: &ClusterConfig,
    total: usize,
    every: usize,
    mut report: impl FnMut(&ReplayPoint),
) -> Result<(), String> {
    let articles = corpus_articles(data)?;
    let span = articles[articles.len() - 1].0 - articles[0].0 + chrono::Duration::days(30);
    // Built once and re-dated on each pass: copying each text again would time the
    // harness, not the clusterer.
    let mut docs: Vec<(DateTime<Utc>, Doc)> = articles
        .into_iter()
        .map(|(date, title, text)| {
            let doc = Doc {
                title,
                text,
                published: date,
                language: Some("en".into()),
            };
            (date, doc)
        })
        .collect();
    let mut clusterer = parallax_cluster::Clusterer::new(config.clone());
    let mut next_story: StoryKey = 1;
    let mut started = Instant::now();
    let mut since = 0usize;
    for n in 0..total {
        let pass = n / docs.len();
        let count = docs.len();
        let (date, doc) = &mut docs[n % count];
        doc.published = *date + span * pass as i32;
        let vector = clusterer.vectorize(doc);
        let story = clusterer.decide(doc, &vector).story().unwrap_or_else(|| {
            next_story += 1;
            next_story - 1
        });
        clusterer.insert(n as i64, story, doc, &vector);
        let passes_every = clusterer.config().passes_every;
        if passes_every > 0 && (n + 1) % passes_every == 0 {
            clusterer.run_passes(&mut || {
                next_story += 1;
                next_story - 1
            });
        }
        since += 1;
        if (n + 1) % every == 0 || n + 1 == total {
            report(&ReplayPoint {
                articles: n + 1,
                rate: since as f64 / started.elapsed().as_secs_f64().max(1e-9),
                stories_held: clusterer.story_count(),
                articles_held: clusterer.article_count(),
                resident_bytes: resident_bytes(),
            });
            started = Instant::now();
            since = 0;
        }
    }
    Ok(())
}

/// Runs both sets that are present under `data`, with the clusterer configured as `config`.
pub fn run(data: &Path, config: &ClusterConfig, verbose: bool) -> Result<ClusteringReport, String> {
    let mut report = ClusteringReport::default();
    ecbplus(data, config, verbose, &mut report)?;
    allsides(data, config, verbose, &mut report)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn scores_follow_the_readme_definitions() {
        let gold = ["A", "A", "B", "B", "C"];
        let all_apart = score(&gold, &[1, 2, 3, 4, 5]);
        assert!(close(all_apart.bcubed.precision, 1.0));
        assert!(close(all_apart.bcubed.recall, 0.6));
        assert!(close(all_apart.pairwise.precision, 0.0));
        let together = score(&gold, &[1, 1, 1, 1, 1]);
        assert!(close(together.pairwise.precision, 0.2));
        assert!(close(together.bcubed.precision, 0.36));
        assert!(close(together.bcubed.recall, 1.0));
        assert_eq!(score(&gold, &[7, 7, 3, 3, 9]).bcubed.f1, 1.0);
    }

    /// The hand-checked vectors shipped with the shared data, where it is present.
    #[test]
    fn scores_match_the_shared_test_vectors() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data/clustering/metrics/metric_test_vectors.json");
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("skipped: no {}", path.display());
            return;
        };
        let vectors: serde_json::Value = serde_json::from_str(&text).unwrap();
        let cases = vectors["cases"].as_array().unwrap();
        assert!(!cases.is_empty());
        for case in cases {
            let gold: Vec<String> = serde_json::from_value(case["gold"].clone()).unwrap();
            let pred: Vec<i64> = serde_json::from_value(case["pred"].clone()).unwrap();
            let s = score(&gold, &pred);
            for (metric, got) in [("bcubed", s.bcubed), ("pairwise", s.pairwise)] {
                for (field, value) in [
                    ("precision", got.precision),
                    ("recall", got.recall),
                    ("f1", got.f1),
                ] {
                    let want = case[metric][field].as_f64().unwrap();
                    assert!(
                        (value - want).abs() < 1e-9,
                        "{} {metric} {field}: {value} != {want}",
                        case["name"]
                    );
                }
            }
        }
    }

    #[test]
    fn shuffles_are_fixed_by_their_seed() {
        let items: Vec<u32> = (0..50).collect();
        let a = shuffled(items.clone(), 13);
        assert_eq!(a, shuffled(items.clone(), 13));
        assert_ne!(a, shuffled(items.clone(), 7));
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, items);
    }
}
