//! The story analysis (how versions differ) on Parallax's own labelled fixtures
//! (`fixtures/analysis/`, fictional stories written for it): sentence splitting, and each
//! sentence's label, shared (with which outlets) or unique, against the gold.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::time::{Duration, Instant};

use parallax_cluster::analysis::{align, Alignment, VersionText};

macro_rules! fixture {
    ($name:literal) => {
        ($name, include_str!(concat!("../fixtures/analysis/", $name)))
    };
}

/// The fixtures, compiled in: the evaluation runs the same from any checkout.
const FIXTURES: &[(&str, &str)] = &[
    fixture!("01-harbour-wall.txt"),
    fixture!("02-rate-decision.txt"),
    fixture!("03-airport-landing.txt"),
    fixture!("04-court-ruling.txt"),
    fixture!("05-rail-strike.txt"),
    fixture!("06-wildfire.txt"),
    fixture!("07-museum-theft.txt"),
    fixture!("08-election-result.txt"),
    fixture!("09-mine-rescue.txt"),
    fixture!("10-tech-layoffs.txt"),
    fixture!("11-bridge-closure.txt"),
    fixture!("12-vaccine-rollout.txt"),
    fixture!("13-protest.txt"),
    fixture!("14-earthquake.txt"),
    fixture!("15-football-transfer.txt"),
    fixture!("16-oil-spill.txt"),
    fixture!("17-hospital-cyberattack.txt"),
    fixture!("18-festival-cancelled.txt"),
    fixture!("19-species-discovery.txt"),
    fixture!("20-minister-resigns.txt"),
    fixture!("21-chinese-versions.txt"),
    fixture!("22-german-versions.txt"),
    fixture!("23-harbour-mayor.txt"),
    fixture!("24-strike-talks.txt"),
    fixture!("25-summit-guillemets.txt"),
    fixture!("26-hospital-chief.txt"),
    fixture!("27-flood-british.txt"),
    fixture!("28-trial-verdict.txt"),
    fixture!("29-space-launch.txt"),
    fixture!("30-transfer-denial.txt"),
    fixture!("31-ferry-capsize.txt"),
    fixture!("32-aid-package.txt"),
    fixture!("33-stadium-rally.txt"),
    fixture!("34-factory-fire.txt"),
    fixture!("35-drought-report.txt"),
    fixture!("36-hostages-freed.txt"),
];

/// What a gold sentence is.
#[derive(Debug, Clone, PartialEq)]
enum Gold {
    /// Facts, by tag: shared with the other outlets that carry any of the tags.
    Facts(Vec<String>),
    Unique,
    Boilerplate,
}

#[derive(Debug, Clone)]
struct GoldSentence {
    start: usize,
    text: String,
    gold: Gold,
}

#[derive(Debug, Clone)]
struct GoldQuote {
    speaker: Option<String>,
    text: String,
}

#[derive(Debug, Clone)]
struct GoldVersion {
    outlet: String,
    published: Option<chrono::DateTime<chrono::Utc>>,
    text: String,
    sentences: Vec<GoldSentence>,
    quotes: Vec<GoldQuote>,
}

#[derive(Debug, Clone)]
pub struct GoldStory {
    pub name: String,
    versions: Vec<GoldVersion>,
    /// Planted disagreements: (kind, what): ("count", unit), ("day", ""), ("weekday",
    /// outlet), ("far", outlet).
    disagreements: BTreeSet<(String, String)>,
}

/// Reads one fixture (the format is in `fixtures/analysis/README.md`).
pub fn parse_fixture(name: &str, source: &str) -> Result<GoldStory, String> {
    let mut versions: Vec<GoldVersion> = Vec::new();
    let mut disagreements = BTreeSet::new();
    let mut paragraph: Vec<(String, Gold)> = Vec::new();
    let close = |version: &mut GoldVersion, paragraph: &mut Vec<(String, Gold)>| {
        if paragraph.is_empty() {
            return;
        }
        if !version.text.is_empty() {
            version.text.push_str("\n\n");
        }
        for (i, (text, gold)) in paragraph.drain(..).enumerate() {
            if i > 0 {
                version.text.push(' ');
            }
            version.sentences.push(GoldSentence {
                start: version.text.len(),
                text: text.clone(),
                gold,
            });
            version.text.push_str(&text);
        }
    };
    for (n, line) in source.lines().enumerate() {
        let line = line.trim_end();
        if line.starts_with('#') {
            continue;
        }
        if let Some(planted) = line.strip_prefix("! ") {
            let (kind, what) = planted.split_once(' ').unwrap_or((planted, ""));
            if !matches!(kind, "count" | "day" | "weekday" | "far") {
                return Err(format!("{name}:{}: unknown disagreement {kind:?}", n + 1));
            }
            disagreements.insert((kind.to_string(), what.trim().to_string()));
            continue;
        }
        if let Some(heading) = line.strip_prefix("== ") {
            if let Some(v) = versions.last_mut() {
                close(v, &mut paragraph);
            }
            let (outlet, published) = match heading.split_once(" | ") {
                Some((outlet, when)) => (
                    outlet,
                    Some(
                        chrono::DateTime::parse_from_rfc3339(when.trim())
                            .map_err(|e| format!("{name}:{}: {e}", n + 1))?
                            .with_timezone(&chrono::Utc),
                    ),
                ),
                None => (heading, None),
            };
            versions.push(GoldVersion {
                published,
                outlet: outlet.trim().to_string(),
                text: String::new(),
                sentences: Vec::new(),
                quotes: Vec::new(),
            });
            continue;
        }
        if let Some(quote) = line.strip_prefix("@ ") {
            let Some(version) = versions.last_mut() else {
                return Err(format!(
                    "{name}:{}: a quote before any \"== outlet\"",
                    n + 1
                ));
            };
            let (speaker, text) = quote
                .split_once(" | ")
                .ok_or_else(|| format!("{name}:{}: expected \"@ speaker | quote\"", n + 1))?;
            version.quotes.push(GoldQuote {
                speaker: (speaker.trim() != "-").then(|| speaker.trim().to_string()),
                text: text.trim().to_string(),
            });
            continue;
        }
        let Some(version) = versions.last_mut() else {
            if line.is_empty() {
                continue;
            }
            return Err(format!(
                "{name}:{}: a sentence before any \"== outlet\"",
                n + 1
            ));
        };
        if line.is_empty() {
            close(version, &mut paragraph);
            continue;
        }
        let (tag, text) = line
            .strip_prefix('[')
            .and_then(|rest| rest.split_once("] "))
            .ok_or_else(|| format!("{name}:{}: expected \"[tag] sentence\"", n + 1))?;
        let gold = match tag {
            "-" => Gold::Unique,
            "b" => Gold::Boilerplate,
            tags => Gold::Facts(tags.split(',').map(|t| t.trim().to_string()).collect()),
        };
        paragraph.push((text.trim().to_string(), gold));
    }
    if let Some(v) = versions.last_mut() {
        close(v, &mut paragraph);
    }
    if versions.len() < 2 {
        return Err(format!("{name}: a story needs at least two versions"));
    }
    Ok(GoldStory {
        name: name.to_string(),
        versions,
        disagreements,
    })
}

/// Precision, recall and F1 from counts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub true_pos: u32,
    pub false_pos: u32,
    pub false_neg: u32,
}

impl Counts {
    fn add(&mut self, predicted: bool, gold: bool) {
        match (predicted, gold) {
            (true, true) => self.true_pos += 1,
            (true, false) => self.false_pos += 1,
            (false, true) => self.false_neg += 1,
            (false, false) => {}
        }
    }

    pub fn precision(&self) -> f64 {
        ratio(self.true_pos, self.true_pos + self.false_pos)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.true_pos, self.true_pos + self.false_neg)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        1.0
    } else {
        f64::from(a) / f64::from(b)
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "P {:.3} R {:.3} F1 {:.3} ({} right, {} wrong, {} missed)",
            self.precision(),
            self.recall(),
            self.f1(),
            self.true_pos,
            self.false_pos,
            self.false_neg
        )
    }
}

/// The scores over a set of stories.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    pub stories: usize,
    pub versions: usize,
    pub sentences: usize,
    /// Gold sentences the splitter cut exactly.
    pub split_exact: usize,
    /// Sentences labelled shared.
    pub shared: Counts,
    /// Sentences labelled unique.
    pub unique: Counts,
    /// (sentence, other outlet) pairs: which outlets carry each sentence.
    pub outlets: Counts,
    pub boilerplate: Counts,
    /// Quotations found, by their words.
    pub quotes: Counts,
    /// (quotation, speaker): right only if the quotation is found with its speaker.
    pub speakers: Counts,
    /// Planted disagreements found; a wrong one is a false alarm.
    pub disagreements: Counts,
}

impl Scores {
    /// Macro F1 of the two labels, shared and unique.
    pub fn label_f1(&self) -> f64 {
        (self.shared.f1() + self.unique.f1()) / 2.0
    }

    fn absorb(&mut self, other: &Scores) {
        self.stories += other.stories;
        self.versions += other.versions;
        self.sentences += other.sentences;
        self.split_exact += other.split_exact;
        for (mine, theirs) in [
            (&mut self.quotes, &other.quotes),
            (&mut self.disagreements, &other.disagreements),
            (&mut self.speakers, &other.speakers),
            (&mut self.shared, &other.shared),
            (&mut self.unique, &other.unique),
            (&mut self.outlets, &other.outlets),
            (&mut self.boilerplate, &other.boilerplate),
        ] {
            mine.true_pos += theirs.true_pos;
            mine.false_pos += theirs.false_pos;
            mine.false_neg += theirs.false_neg;
        }
    }
}

impl fmt::Display for Scores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "  sentences split exactly  {} of {} ({:.1}%)",
            self.split_exact,
            self.sentences,
            100.0 * self.split_exact as f64 / self.sentences.max(1) as f64
        )?;
        writeln!(f, "  shared                   {}", self.shared)?;
        writeln!(f, "  unique                   {}", self.unique)?;
        writeln!(
            f,
            "  shared/unique labels     macro F1 {:.3}",
            self.label_f1()
        )?;
        writeln!(f, "  outlets per sentence     {}", self.outlets)?;
        writeln!(f, "  boilerplate              {}", self.boilerplate)?;
        writeln!(f, "  quotes                   {}", self.quotes)?;
        writeln!(f, "  quotes with speakers     {}", self.speakers)?;
        writeln!(
            f,
            "  disagreements            {} planted found of {}; {} false alarms ({:.1} per ten stories)",
            self.disagreements.true_pos,
            self.disagreements.true_pos + self.disagreements.false_neg,
            self.disagreements.false_pos,
            10.0 * f64::from(self.disagreements.false_pos) / self.stories.max(1) as f64
        )
    }
}

/// The analysis's thresholds were chosen on the odd-numbered fixtures; the even-numbered
/// ones were only scored.
#[derive(Debug, Default)]
pub struct AnalysisReport {
    pub tuning: Scores,
    pub held_out: Scores,
    pub slowest: Duration,
    pub total_time: Duration,
    /// With `verbose`: each mislabelled sentence.
    pub mistakes: Vec<String>,
}

impl AnalysisReport {
    pub fn all(&self) -> Scores {
        let mut all = self.tuning.clone();
        all.absorb(&self.held_out);
        all
    }
}

impl fmt::Display for AnalysisReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let all = self.all();
        for (name, scores) in [
            ("all", &all),
            ("tuning (odd-numbered)", &self.tuning),
            ("held out (even-numbered)", &self.held_out),
        ] {
            writeln!(
                f,
                "Story analysis fixtures, {name}: {} stories, {} versions, {} gold sentences",
                scores.stories, scores.versions, scores.sentences
            )?;
            write!(f, "{scores}")?;
        }
        writeln!(
            f,
            "time: {:.2} ms a story on average, slowest {:.2} ms",
            self.total_time.as_secs_f64() * 1000.0 / all.stories.max(1) as f64,
            self.slowest.as_secs_f64() * 1000.0
        )?;
        for m in &self.mistakes {
            writeln!(f, "    {m}")?;
        }
        Ok(())
    }
}

/// The stories, parsed.
pub fn fixtures() -> Result<Vec<GoldStory>, String> {
    FIXTURES
        .iter()
        .map(|(name, source)| parse_fixture(name, source))
        .collect()
}

/// The analysis of a gold story, as Parallax would run it.
pub fn analyse(story: &GoldStory) -> Alignment {
    let outlet_ids: BTreeMap<&str, i64> = story
        .versions
        .iter()
        .map(|v| v.outlet.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .zip(1..)
        .collect();
    let inputs: Vec<VersionText<'_>> = story
        .versions
        .iter()
        .enumerate()
        .map(|(i, v)| VersionText {
            article: i as i64,
            outlet: outlet_ids[v.outlet.as_str()],
            text: &v.text,
            language: parallax_text::detect_language(&v.text),
            published: v.published,
        })
        .collect();
    align(&inputs)
}

pub fn run(verbose: bool) -> Result<AnalysisReport, String> {
    let stories = fixtures()?;
    let mut report = AnalysisReport::default();
    for story in &stories {
        let started = Instant::now();
        let result = analyse(story);
        let took = started.elapsed();
        report.total_time += took;
        report.slowest = report.slowest.max(took);
        let number: u32 = story
            .name
            .split('-')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let scores = if number % 2 == 1 {
            &mut report.tuning
        } else {
            &mut report.held_out
        };
        scores.stories += 1;
        score_story(
            story,
            &result,
            scores,
            verbose.then_some(&mut report.mistakes),
        );
    }
    Ok(report)
}

fn score_story(
    story: &GoldStory,
    result: &Alignment,
    report: &mut Scores,
    mut mistakes: Option<&mut Vec<String>>,
) {
    // Which outlets carry each tag.
    let mut carriers: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for v in &story.versions {
        for s in &v.sentences {
            if let Gold::Facts(tags) = &s.gold {
                for tag in tags {
                    carriers.entry(tag).or_default().insert(&v.outlet);
                }
            }
        }
    }
    let outlets: BTreeSet<&str> = story.versions.iter().map(|v| v.outlet.as_str()).collect();
    let outlet_id = |name: &str| {
        outlets
            .iter()
            .position(|o| *o == name)
            .map_or(0, |p| p as i64 + 1)
    };
    report.versions += story.versions.len();
    score_disagreements(story, result, report, mistakes.as_deref_mut());
    for (v, version) in story.versions.iter().enumerate() {
        score_quotes(story, v, result, report, mistakes.as_deref_mut());
        let predicted = &result.versions[v].sentences;
        for gold in &version.sentences {
            report.sentences += 1;
            if predicted
                .iter()
                .any(|p| p.start == gold.start && p.text == gold.text)
            {
                report.split_exact += 1;
            }
            // The predicted sentence holding the gold one's start.
            let Some(p) = predicted.iter().rev().find(|p| p.start <= gold.start) else {
                continue;
            };
            let is_boilerplate = gold.gold == Gold::Boilerplate;
            report.boilerplate.add(p.boilerplate, is_boilerplate);
            if is_boilerplate {
                continue;
            }
            let gold_others: BTreeSet<i64> = match &gold.gold {
                Gold::Facts(tags) => tags
                    .iter()
                    .flat_map(|t| &carriers[t.as_str()])
                    .filter(|o| **o != version.outlet)
                    .map(|o| outlet_id(o))
                    .collect(),
                _ => BTreeSet::new(),
            };
            let predicted_others: BTreeSet<i64> = p.shared_with.iter().copied().collect();
            let (gold_shared, predicted_shared) =
                (!gold_others.is_empty(), !predicted_others.is_empty());
            report.shared.add(predicted_shared, gold_shared);
            report.unique.add(!predicted_shared, !gold_shared);
            for o in gold_others.union(&predicted_others) {
                report
                    .outlets
                    .add(predicted_others.contains(o), gold_others.contains(o));
            }
            if let Some(mistakes) = mistakes
                .as_deref_mut()
                .filter(|_| gold_others != predicted_others)
            {
                mistakes.push(format!(
                    "{} / {}: {:?} carried by {:?}, found {:?}",
                    story.name, version.outlet, gold.text, gold_others, predicted_others
                ));
            }
        }
    }
}

fn score_disagreements(
    story: &GoldStory,
    result: &Alignment,
    report: &mut Scores,
    mistakes: Option<&mut Vec<String>>,
) {
    use parallax_cluster::analysis::DisagreementKind;
    let outlet_of = |article: i64| {
        story
            .versions
            .get(article as usize)
            .map_or(String::new(), |v| v.outlet.clone())
    };
    let found: BTreeSet<(String, String)> = result
        .disagreements
        .iter()
        .map(|d| match d.kind {
            DisagreementKind::Count => ("count".into(), d.about.clone().unwrap_or_default()),
            DisagreementKind::Day => ("day".into(), String::new()),
            DisagreementKind::Weekday => ("weekday".into(), outlet_of(d.passages[0].article)),
            DisagreementKind::FarDate => ("far".into(), outlet_of(d.passages[0].article)),
        })
        .collect();
    for key in found.union(&story.disagreements) {
        report
            .disagreements
            .add(found.contains(key), story.disagreements.contains(key));
    }
    if let Some(m) = mistakes {
        for key in found.symmetric_difference(&story.disagreements) {
            let what = if found.contains(key) {
                "false alarm"
            } else {
                "missed"
            };
            m.push(format!("{}: {what}: {} {}", story.name, key.0, key.1));
        }
    }
}

fn quote_words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether a found quotation is the gold one: the same words, give or take a fifth.
fn same_quote(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    let both = a.intersection(b).count() as f64;
    let either = a.union(b).count() as f64;
    either > 0.0 && both / either >= 0.8
}

/// Whether a found speaker is the gold one: the same last word ("Carvalho" names "Mayor Ines
/// Carvalho"), or the same title.
fn same_speaker(found: &str, gold: &str) -> bool {
    let last = |s: &str| s.split_whitespace().last().unwrap_or("").to_lowercase();
    last(found) == last(gold)
}

fn score_quotes(
    story: &GoldStory,
    v: usize,
    result: &Alignment,
    report: &mut Scores,
    mut mistakes: Option<&mut Vec<String>>,
) {
    let version = &story.versions[v];
    let found: Vec<(&str, Option<&str>)> = result
        .quotes
        .iter()
        .flat_map(|q| &q.carriers)
        .filter(|c| c.article == v as i64)
        .map(|c| (c.text.as_str(), c.speaker.as_deref()))
        .collect();
    let gold: Vec<(BTreeSet<String>, &GoldQuote)> = version
        .quotes
        .iter()
        .map(|q| (quote_words(&q.text), q))
        .collect();
    let mut matched = vec![false; gold.len()];
    for (text, speaker) in &found {
        let words = quote_words(text);
        let hit = gold
            .iter()
            .enumerate()
            .find(|(i, (g, _))| !matched[*i] && same_quote(&words, g));
        match hit {
            Some((i, (_, g))) => {
                matched[i] = true;
                report.quotes.add(true, true);
                let right = match (speaker, &g.speaker) {
                    (Some(s), Some(gs)) => same_speaker(s, gs),
                    (None, None) => true,
                    _ => false,
                };
                if right {
                    report.speakers.true_pos += 1;
                } else {
                    // A wrong speaker is one wrong and one missed; none found is missed.
                    report.speakers.false_pos += u32::from(speaker.is_some());
                    report.speakers.false_neg += u32::from(g.speaker.is_some());
                    if let Some(m) = mistakes.as_deref_mut() {
                        m.push(format!(
                            "{} / {}: quote {:?} said by {:?}, found {:?}",
                            story.name, version.outlet, g.text, g.speaker, speaker
                        ));
                    }
                }
            }
            None => {
                report.quotes.add(true, false);
                report.speakers.add(true, false);
                if let Some(m) = mistakes.as_deref_mut() {
                    m.push(format!(
                        "{} / {}: found a quote that is none: {:?} ({:?})",
                        story.name, version.outlet, text, speaker
                    ));
                }
            }
        }
    }
    for (i, (_, g)) in gold.iter().enumerate() {
        if !matched[i] {
            report.quotes.add(false, true);
            report.speakers.add(false, true);
            if let Some(m) = mistakes.as_deref_mut() {
                m.push(format!(
                    "{} / {}: missed the quote {:?} ({:?})",
                    story.name, version.outlet, g.text, g.speaker
                ));
            }
        }
    }
}

#[derive(serde::Deserialize)]
struct NewsRoundup {
    cluster_id: String,
    members: Vec<NewsMember>,
}

#[derive(serde::Deserialize)]
struct NewsMember {
    source: Option<String>,
    title: String,
    text: Option<String>,
    date: Option<String>,
}

/// The analysis of a sample of the AllSides roundups (one story told by a left, a centre
/// and a right outlet), printed for an editor to read: common ground, what only each outlet
/// reports, who is quoted. Every `step`th roundup with at least two full texts, up to
/// `sample` of them.
pub fn sample_news(data: &std::path::Path, sample: usize) -> Result<String, String> {
    use std::fmt::Write;
    let path = data.join("news/allsides-neus/triples_joined.jsonl.gz");
    let roundups: Vec<NewsRoundup> = crate::clustering::read_jsonl_gz(&path)?;
    let usable: Vec<&NewsRoundup> = roundups
        .iter()
        .filter(|r| {
            r.members
                .iter()
                .filter(|m| m.text.as_deref().is_some_and(|t| !t.is_empty()))
                .count()
                >= 2
        })
        .collect();
    let step = (usable.len() / sample.max(1)).max(1);
    let mut out = String::new();
    let mut total = Duration::ZERO;
    for r in usable.iter().step_by(step).take(sample) {
        let members: Vec<&NewsMember> = r.members.iter().filter(|m| m.text.is_some()).collect();
        // Outlets by name: two versions of one outlet share nothing with each other.
        let outlet_of = |m: &NewsMember| {
            members
                .iter()
                .position(|o| o.source == m.source)
                .unwrap_or(0) as i64
        };
        let inputs: Vec<VersionText<'_>> = members
            .iter()
            .enumerate()
            .map(|(i, m)| VersionText {
                article: i as i64,
                outlet: outlet_of(m),
                text: m.text.as_deref().unwrap_or(""),
                language: Some("en"),
                // The corpus dates articles by the day.
                published: m
                    .date
                    .as_deref()
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok())
                    .and_then(|d| d.and_hms_opt(12, 0, 0))
                    .map(|t| t.and_utc()),
            })
            .collect();
        let started = Instant::now();
        let result = align(&inputs);
        total += started.elapsed();
        let name = |i: i64| members[i as usize].source.as_deref().unwrap_or("?");
        let _ = writeln!(out, "== {} ({} versions)", r.cluster_id, members.len());
        for (i, m) in members.iter().enumerate() {
            let shared = result.versions[i]
                .sentences
                .iter()
                .filter(|s| !s.shared_with.is_empty())
                .count();
            let _ = writeln!(
                out,
                "  [{}] {} — {} of {} sentences shared",
                name(i as i64),
                m.title,
                shared,
                result.versions[i].sentences.len()
            );
        }
        for c in &result.common_ground {
            let outlets: Vec<&str> = c.outlets.iter().map(|o| name(*o)).collect();
            let _ = writeln!(out, "  common ({}): {}", outlets.join(", "), c.text);
        }
        for (i, v) in result.versions.iter().enumerate() {
            for p in v.only_here.iter().take(2) {
                let _ = writeln!(out, "  only {}: {}", name(i as i64), p);
            }
        }
        for q in &result.quotes {
            let mut outlets: Vec<&str> = q.carriers.iter().map(|c| name(c.outlet)).collect();
            outlets.dedup();
            let _ = writeln!(
                out,
                "  quote [{}] ({:?}, {}): {}",
                q.speaker.as_deref().unwrap_or("—"),
                q.wording,
                outlets.join(", "),
                q.text
            );
        }
        let entities: Vec<String> = result
            .entities
            .iter()
            .take(12)
            .map(|e| format!("{:?}:{}", e.kind, e.name))
            .collect();
        let _ = writeln!(out, "  entities: {}", entities.join("; "));
        for d in &result.disagreements {
            let sides: Vec<String> = d
                .passages
                .iter()
                .map(|p| format!("{:?} ({}) in: {}", p.value, name(p.outlet), p.sentence))
                .collect();
            let _ = writeln!(
                out,
                "  disagree {:?} {}: {}",
                d.kind,
                d.about.as_deref().unwrap_or(""),
                sides.join("  VS  ")
            );
        }
    }
    let _ = writeln!(
        out,
        "analysed in {:.2} ms in all",
        total.as_secs_f64() * 1000.0
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixture_reads() {
        let stories = fixtures().unwrap();
        assert!(stories.len() >= 20);
        for s in &stories {
            for v in &s.versions {
                for g in &v.sentences {
                    assert_eq!(
                        &v.text[g.start..g.start + g.text.len()],
                        g.text,
                        "{}",
                        s.name
                    );
                }
            }
        }
    }

    #[test]
    fn a_fixture_without_versions_or_tags_is_an_error() {
        assert!(parse_fixture("x", "[a] No outlet yet.").is_err());
        assert!(parse_fixture("x", "== A\nNo tag.").is_err());
        assert!(parse_fixture("x", "== A\n[a] Only one version.").is_err());
    }

    #[test]
    fn scores_count_what_they_should() {
        let mut c = Counts::default();
        c.add(true, true);
        c.add(true, false);
        c.add(false, true);
        c.add(false, false);
        assert_eq!((c.precision(), c.recall()), (0.5, 0.5));
    }
}
