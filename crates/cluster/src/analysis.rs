//! How the versions of a story differ: each version cut into sentences, sentences aligned
//! across versions (the same sentence lightly edited, or the same fact in other words), each
//! sentence marked shared (with the outlets that carry it) or unique to its outlet; then the
//! common ground most outlets share and, per version, what only its outlet reports.
//!
//! Two sentences of different outlets are aligned when half of the shorter one's word
//! trigrams are in the other (a copy, lightly edited or trimmed), or half of its content
//! words and numbers (the same fact reworded or reordered); or, at 0.3, when each is the
//! other's closest in the other's version. Words most of the story's sentences hold (its
//! topic) are left out of the count. Aligned sentences form groups (joined transitively),
//! so a sentence carried by five outlets is one group. The thresholds were chosen on the
//! odd-numbered fixtures of `parallax eval analysis`.

use chrono::{DateTime, NaiveDate, Utc};
use parallax_text::facts::{find_counts, find_days};
use parallax_text::sentences::split_sentences;
use parallax_text::Analyzer;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

/// One version of a story, as the analysis reads it.
#[derive(Debug, Clone)]
pub struct VersionText<'a> {
    /// The caller's key of the article.
    pub article: i64,
    /// The caller's key of the outlet: sentences are shared only across outlets.
    pub outlet: i64,
    pub text: &'a str,
    pub language: Option<&'a str>,
    /// When it was published: days it names ("on Wednesday") are read against it.
    pub published: Option<DateTime<Utc>>,
}

/// The sentence-level analysis of a story.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Alignment {
    /// Per version, in the order given.
    pub versions: Vec<VersionSentences>,
    /// Sentences most outlets carry, most widely carried first: the common ground.
    pub common_ground: Vec<SharedSentence>,
    /// Each quotation once, with who said it and every version that carries it; most
    /// widely carried first.
    pub quotes: Vec<StoryQuote>,
    /// Where the versions' facts disagree, or a version disagrees with itself.
    pub disagreements: Vec<Disagreement>,
    /// People, organisations and places, most mentioned first, with the outlets that name
    /// them.
    pub entities: Vec<StoryEntity>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryEntity {
    pub kind: parallax_text::entities::EntityKind,
    pub name: String,
    /// (outlet, mentions), by outlet.
    pub mentions: Vec<(i64, usize)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    pub kind: DisagreementKind,
    /// What is counted, for `Count` ("passenger").
    pub about: Option<String>,
    /// The passages that disagree, one per version.
    pub passages: Vec<Passage>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DisagreementKind {
    /// Outlets give different numbers for one count.
    Count,
    /// Outlets put one event on different days.
    Day,
    /// A text names a weekday its own date does not fall on.
    Weekday,
    /// A version was published days apart from the rest of the story.
    FarDate,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Passage {
    pub article: i64,
    pub outlet: i64,
    pub sentence: String,
    /// The words that disagree ("182 passengers", "on Wednesday").
    pub value: String,
}

/// A quotation as the story carries it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryQuote {
    /// The fullest wording.
    pub text: String,
    /// The speaker most versions give (as written: a name, or a title).
    pub speaker: Option<String>,
    pub carriers: Vec<QuoteCarrier>,
    pub wording: Wording,
}

/// How the versions' wordings of one quote compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Wording {
    Same,
    /// Some versions quote less of it.
    Trimmed,
    /// Some versions quote words the fullest wording lacks.
    Reworded,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuoteCarrier {
    pub article: i64,
    pub outlet: i64,
    pub text: String,
    pub speaker: Option<String>,
    /// Quoted words inside the writer's sentence.
    pub partial: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VersionSentences {
    pub article: i64,
    pub sentences: Vec<LabelledSentence>,
    /// Runs of consecutive sentences only this outlet carries (boilerplate and bylines
    /// left out), in order: "What only <outlet> reports".
    pub only_here: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelledSentence {
    pub text: String,
    /// Its byte offset in the version's text.
    pub start: usize,
    pub paragraph: usize,
    /// The other outlets that carry this sentence, by key, ascending; empty if unique.
    pub shared_with: Vec<i64>,
    /// A byline, credit line, or a site's call to subscribe or share: neither shared
    /// nor unique news.
    pub boilerplate: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedSentence {
    /// The wording of the earliest version that carries it.
    pub text: String,
    pub article: i64,
    /// Every outlet that carries it, ascending.
    pub outlets: Vec<i64>,
}

/// Two sentences this alike (see `similarity`) are one sentence, edited or reworded…
const SURE: f64 = 0.5;
/// …and so are two this alike that are each other's closest in the other's version.
const LIKELY: f64 = 0.3;
/// A word held by more than this share of a story's sentences is the story's topic, not a
/// fact's.
const TOPIC_SHARE: f64 = 0.5;
/// Content words two sentences share at least for their words to count.
const MIN_SHARED_WORDS: usize = 2;
/// Two quotes are one when this share of the shorter one's words are in the longer…
const QUOTE_CONTAINMENT: f64 = 0.7;
/// …and the shorter has at least this many words (or the two are the same).
const QUOTE_MIN_WORDS: usize = 3;
/// A version published this many days from the story's middle is flagged.
const FAR_DAYS: i64 = 3;
/// A day further than this from its version's publication is background, not the day of
/// the story's event, for telling outlets' days apart.
const BACKGROUND_DAYS: i64 = 31;
/// Common ground lists at most this many sentences.
const COMMON_GROUND: usize = 5;
/// A passage only one outlet reports has at least this many words.
const MIN_PASSAGE_WORDS: usize = 5;

/// A sentence of a version, and whether it is a byline, a caption or a call to act.
struct Cut<'a> {
    sentence: parallax_text::sentences::Sentence<'a>,
    boilerplate: bool,
}

struct Features {
    version: usize,
    index: usize,
    /// Content-word stems, deduplicated, by id, the story's topic words left out.
    words: Vec<u32>,
    /// All its content-word stems, sorted.
    all_words: Vec<u32>,
    /// Hashes of its word trigrams, sorted, deduplicated.
    trigrams: Vec<u64>,
}

/// Aligns the sentences of `versions` (oldest first, so common ground is worded as it was
/// first published).
pub fn align(versions: &[VersionText<'_>]) -> Alignment {
    let mut analyzers: FxHashMap<Option<&str>, Analyzer> = FxHashMap::default();
    let mut stem_ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut all: Vec<Features> = Vec::new();
    let mut per_version: Vec<Vec<Cut<'_>>> = Vec::with_capacity(versions.len());
    for (v, version) in versions.iter().enumerate() {
        let stemming = parallax_text::stemming(version.language);
        let analyzer = analyzers
            .entry(stemming)
            .or_insert_with(|| Analyzer::for_stemming(stemming));
        let mut sentences = Vec::new();
        for (i, s) in split_sentences(version.text).into_iter().enumerate() {
            let mut words = Vec::new();
            analyzer.content_words(s.text, |w, _| {
                let stem = analyzer.stem(w).into_owned();
                let next = stem_ids.len() as u32;
                words.push(*stem_ids.entry(stem).or_insert(next));
            });
            // Short numbers ("71 percent", "24-year-old") tell facts apart; the tokenizer
            // keeps only the long ones.
            for number in s
                .text
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty() && n.len() < 3)
            {
                let next = stem_ids.len() as u32;
                words.push(*stem_ids.entry(format!("#{number}")).or_insert(next));
            }
            words.sort_unstable();
            words.dedup();
            all.push(Features {
                version: v,
                index: i,
                all_words: words.clone(),
                words,
                trigrams: trigrams(s.text),
            });
            sentences.push(Cut {
                boilerplate: is_boilerplate(s.text),
                sentence: s,
            });
        }
        per_version.push(sentences);
    }

    // Words most of the story's sentences hold ("quake" in a quake story) say nothing about
    // which fact a sentence states.
    let mut sentence_freq: FxHashMap<u32, usize> = FxHashMap::default();
    for f in &all {
        for w in &f.words {
            *sentence_freq.entry(*w).or_default() += 1;
        }
    }
    // In a small story every shared word is in a few sentences: a topic word is in three.
    let topic_bar = (TOPIC_SHARE * all.len() as f64).max(3.0);
    for f in &mut all {
        f.words.retain(|w| (sentence_freq[w] as f64) < topic_bar);
    }

    // Candidate pairs through the words or the word trigrams they share (a copied sentence
    // may hold only topic words); only across outlets.
    let keys = |f: &Features| -> Vec<u64> {
        f.words
            .iter()
            .map(|w| u64::from(*w))
            .chain(f.trigrams.iter().map(|t| t | (1 << 63)))
            .collect()
    };
    let mut postings: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    for (i, f) in all.iter().enumerate() {
        for key in keys(f) {
            postings.entry(key).or_default().push(i);
        }
    }
    let mut pairs: Vec<(usize, usize, f64)> = Vec::new();
    // Per candidate of sentence i: the words and the trigrams it shares with i, counted
    // while walking i's postings, so that a pair's score needs no second look at either.
    let mut shared: Vec<(usize, usize)> = vec![(0, 0); all.len()];
    let mut candidates: Vec<usize> = Vec::new();
    // The best score of each sentence against each other version.
    let mut best: FxHashMap<(usize, usize), f64> = FxHashMap::default();
    for (i, f) in all.iter().enumerate() {
        candidates.clear();
        for key in keys(f) {
            let is_trigram = key >> 63 == 1;
            for &j in &postings[&key] {
                if j > i && versions[all[j].version].outlet != versions[f.version].outlet {
                    let hits = &mut shared[j];
                    if *hits == (0, 0) {
                        candidates.push(j);
                    }
                    if is_trigram {
                        hits.1 += 1;
                    } else {
                        hits.0 += 1;
                    }
                }
            }
        }
        candidates.sort_unstable();
        for &j in &candidates {
            let (words, trigrams) = std::mem::take(&mut shared[j]);
            let score = score_of(f, &all[j], words, trigrams);
            // A pair below LIKELY joins nothing, nor can it be anyone's best that matters.
            if score < LIKELY {
                continue;
            }
            pairs.push((i, j, score));
            for (x, other) in [(i, all[j].version), (j, f.version)] {
                let b = best.entry((x, other)).or_default();
                *b = b.max(score);
            }
        }
    }
    let mut groups = UnionFind::new(all.len());
    for (i, j, score) in pairs {
        let mutual_best =
            best[&(i, all[j].version)] == score && best[&(j, all[i].version)] == score;
        if score >= SURE || (score >= LIKELY && mutual_best) {
            groups.union(i, j);
        }
    }

    // Outlets of each group.
    let mut outlets_of: FxHashMap<usize, Vec<i64>> = FxHashMap::default();
    for (i, f) in all.iter().enumerate() {
        let list = outlets_of.entry(groups.find(i)).or_default();
        let outlet = versions[f.version].outlet;
        if !list.contains(&outlet) {
            list.push(outlet);
        }
    }
    for list in outlets_of.values_mut() {
        list.sort_unstable();
    }

    let mut out = Alignment {
        quotes: Vec::new(),
        disagreements: Vec::new(),
        entities: Vec::new(),
        versions: versions
            .iter()
            .map(|v| VersionSentences {
                article: v.article,
                ..VersionSentences::default()
            })
            .collect(),
        common_ground: Vec::new(),
    };
    let mut first_member: FxHashMap<usize, usize> = FxHashMap::default();
    for (i, f) in all.iter().enumerate() {
        first_member.entry(groups.find(i)).or_insert(i);
        let cut = &per_version[f.version][f.index];
        let own = versions[f.version].outlet;
        let shared_with: Vec<i64> = outlets_of[&groups.find(i)]
            .iter()
            .copied()
            .filter(|o| *o != own)
            .collect();
        out.versions[f.version].sentences.push(LabelledSentence {
            text: cut.sentence.text.to_string(),
            start: cut.sentence.start,
            paragraph: cut.sentence.paragraph,
            shared_with,
            boilerplate: cut.boilerplate,
        });
    }
    for version in &mut out.versions {
        version.only_here = unique_passages(&version.sentences);
    }

    let outlet_count = {
        let mut o: Vec<i64> = versions.iter().map(|v| v.outlet).collect();
        o.sort_unstable();
        o.dedup();
        o.len()
    };
    let needed = outlet_count.div_ceil(2).max(2);
    let mut common: Vec<(usize, usize)> = first_member
        .iter()
        .filter(|(root, first)| {
            outlets_of[root].len() >= needed
                && !per_version[all[**first].version][all[**first].index].boilerplate
        })
        .map(|(root, first)| (outlets_of[root].len(), *first))
        .collect();
    common.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    out.common_ground = common
        .into_iter()
        .take(COMMON_GROUND)
        .map(|(_, first)| {
            let f = &all[first];
            SharedSentence {
                text: per_version[f.version][f.index].sentence.text.to_string(),
                article: versions[f.version].article,
                outlets: outlets_of[&groups.find(first)].clone(),
            }
        })
        .collect();
    out.quotes = story_quotes(versions);
    // Bylines, captions and credits state no facts of the story.
    let members: Vec<(usize, usize, usize, &str)> = all
        .iter()
        .enumerate()
        .filter(|(_, f)| !per_version[f.version][f.index].boilerplate)
        .map(|(i, f)| {
            (
                groups.find(i),
                f.version,
                i,
                per_version[f.version][f.index].sentence.text,
            )
        })
        .collect();
    out.disagreements = disagreements(versions, &members, &all);
    out.entities = story_entities(versions, &per_version);
    out
}

/// Entities shown per story at most.
const STORY_ENTITIES: usize = 30;

/// Each version's entities, summed per outlet; a person named by surname alone in one
/// version is the fuller name another version gives ("Carvalho", "Ines Carvalho").
/// `sentences`: each version's sentences, as `align` cut them.
fn story_entities(versions: &[VersionText<'_>], sentences: &[Vec<Cut<'_>>]) -> Vec<StoryEntity> {
    use parallax_text::entities::{find_entities, EntityKind, Names};
    let mut per: std::collections::BTreeMap<
        (EntityKind, String),
        std::collections::BTreeMap<i64, usize>,
    > = Default::default();
    for (v, sentences) in versions.iter().zip(sentences) {
        // Bylines, captions and calls to subscribe name no one of the story.
        let text: Vec<&str> = sentences
            .iter()
            .filter(|c| !c.boilerplate)
            .map(|c| c.sentence.text)
            .collect();
        for e in find_entities(&text.join("\n")) {
            *per.entry((e.kind, e.name))
                .or_default()
                .entry(v.outlet)
                .or_default() += e.mentions;
        }
    }
    let names = Names::of(per.keys());
    let mut merged: std::collections::BTreeMap<
        (EntityKind, String),
        std::collections::BTreeMap<i64, usize>,
    > = Default::default();
    for ((kind, name), outlets) in per {
        let into = merged.entry(names.canonical(kind, name)).or_default();
        for (outlet, n) in outlets {
            *into.entry(outlet).or_default() += n;
        }
    }
    let mut out: Vec<StoryEntity> = merged
        .into_iter()
        .map(|((kind, name), outlets)| StoryEntity {
            kind,
            name,
            mentions: outlets.into_iter().collect(),
        })
        .collect();
    let total = |e: &StoryEntity| e.mentions.iter().map(|(_, n)| n).sum::<usize>();
    // Most outlets first, then most mentions; stable, so ties keep name order.
    out.sort_by(|a, b| {
        b.mentions
            .len()
            .cmp(&a.mentions.len())
            .then(total(b).cmp(&total(a)))
    });
    out.truncate(STORY_ENTITIES);
    out
}

/// Counts and days that aligned sentences of different outlets give differently, counts of
/// one thing each outlet gives once in like sentences, weekdays a text's own dates do not
/// fall on, and versions published far from the rest. `members`: (group, version, sentence
/// index in `all`, text) of every sentence.
fn disagreements(
    versions: &[VersionText<'_>],
    members: &[(usize, usize, usize, &str)],
    all: &[Features],
) -> Vec<Disagreement> {
    let mut out = Vec::new();
    let day_of = |v: usize| versions[v].published.map(|p| p.date_naive());
    let passage = |v: usize, sentence: &str, value: String| Passage {
        article: versions[v].article,
        outlet: versions[v].outlet,
        sentence: sentence.to_string(),
        value,
    };
    let counts: Vec<Vec<parallax_text::facts::Count>> =
        members.iter().map(|m| find_counts(m.3)).collect();
    // Counts of one thing, once in its sentence, with their place in the sentence's counts.
    let single = |i: usize, unit: &str| {
        let mut of_unit = counts[i].iter().enumerate().filter(|(_, c)| c.unit == unit);
        match (of_unit.next(), of_unit.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        }
    };
    // Each count's context, worked out when first needed: a long story compares many pairs.
    let mut contexts: Vec<Vec<Option<FxHashSet<String>>>> =
        counts.iter().map(|c| vec![None; c.len()]).collect();
    let days: Vec<Vec<parallax_text::facts::DayRef>> = members
        .iter()
        .map(|m| {
            day_of(m.1)
                .map(|p| find_days(&outside_quotes(m.3), p))
                .unwrap_or_default()
        })
        .collect();
    // How many times each version counts each thing, in all its text.
    let mut unit_totals: FxHashMap<(usize, &str), usize> = FxHashMap::default();
    for (m, c) in members.iter().zip(&counts) {
        for x in c {
            *unit_totals.entry((m.1, x.unit.as_str())).or_default() += 1;
        }
    }
    let mut flagged: FxHashSet<(usize, usize, String)> = FxHashSet::default();
    let counted: Vec<usize> = (0..members.len())
        .filter(|i| !counts[*i].is_empty())
        .collect();
    for (k, &i) in counted.iter().enumerate() {
        for &j in &counted[k + 1..] {
            let (gi, vi, fi, ti) = members[i];
            let (gj, vj, fj, tj) = members[j];
            if versions[vi].outlet == versions[vj].outlet {
                continue;
            }
            // Aligned, and alike on their own (a group joins sentences through others);
            // worked out only when a count could disagree.
            let mut aligned: Option<bool> = None;
            for c in &counts[i] {
                // Not aligned: like sentences (two content words shared, the count's own
                // among them) where each outlet counts the thing once in all its text.
                let once = |v: usize| unit_totals.get(&(v, c.unit.as_str())) == Some(&1);
                if gi != gj && !(once(vi) && once(vj)) {
                    continue;
                }
                let (Some((ka, a)), Some((kb, b))) = (single(i, &c.unit), single(j, &c.unit))
                else {
                    continue;
                };
                if (a.value - b.value).abs() <= 1e-9 * a.value.abs().max(b.value.abs()) {
                    continue;
                }
                let aligned = *aligned
                    .get_or_insert_with(|| gi == gj && similarity(&all[fi], &all[fj]) >= LIKELY);
                for (m, k, sentence, count) in [(i, ka, ti, a), (j, kb, tj, b)] {
                    if contexts[m][k].is_none() {
                        contexts[m][k] = Some(context(sentence, &count.text));
                    }
                }
                let (Some(around_a), Some(around_b)) = (&contexts[i][ka], &contexts[j][kb]) else {
                    continue;
                };
                // Both counts of the crowd, of the dead, of jobs cut.
                let same_event = around_a
                    .iter()
                    .any(|w| w.starts_with('#') && around_b.contains(w));
                let like = aligned
                    || (once(vi)
                        && once(vj)
                        && (same_event || shared_words(&all[fi], &all[fj]) >= 2));
                // People, days, percentages and money count many things in one story ("two
                // people were hurt", "1,200 people were evacuated"): those need a word
                // around them in common too, or to be the figure each version leads with.
                let leads = is_money(&c.unit) && all[fi].index == 0 && all[fj].index == 0;
                let like =
                    like && (!is_generic_unit(&c.unit) || leads || !around_a.is_disjoint(around_b));
                if like && flagged.insert((gi.min(gj), gi.max(gj), c.unit.clone())) {
                    out.push(Disagreement {
                        kind: DisagreementKind::Count,
                        about: Some(c.unit.clone()),
                        passages: vec![
                            passage(vi, ti, a.text.clone()),
                            passage(vj, tj, b.text.clone()),
                        ],
                    });
                }
            }
        }
    }
    // One day each, outside quotes ("eleven years ago today," she wrote), in two sentences
    // of one group that say the same.
    let mut by_group: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, d) in days.iter().enumerate() {
        if d.len() == 1 {
            by_group.entry(members[i].0).or_default().push(i);
        }
    }
    for list in by_group.values() {
        for (k, &i) in list.iter().enumerate() {
            for &j in &list[k + 1..] {
                let (gi, vi, fi, ti) = members[i];
                let (_, vj, fj, tj) = members[j];
                let (a, b) = (&days[i][0], &days[j][0]);
                if versions[vi].outlet == versions[vj].outlet
                    || a.can_be_same_day(b)
                    // A plan and an event ("will vote Thursday", "voted last month").
                    || a.future != b.future
                    // Background ("met in Manhattan, April 22, 2016"), not the story's day.
                    || [(a, vi), (b, vj)].iter().any(|(d, v)| {
                        day_of(*v).is_some_and(|p| {
                            (d.date - p).num_days() > BACKGROUND_DAYS
                                || (p - d.last).num_days() > BACKGROUND_DAYS
                        })
                    })
                    || similarity(&all[fi], &all[fj]) < SURE
                    || !flagged.insert((gi, gi, "day".into()))
                {
                    continue;
                }
                out.push(Disagreement {
                    kind: DisagreementKind::Day,
                    about: None,
                    passages: vec![
                        passage(vi, ti, a.text.clone()),
                        passage(vj, tj, b.text.clone()),
                    ],
                });
            }
        }
    }
    for (m, d) in members.iter().zip(&days) {
        for day in d {
            if let Some(named) = day.weekday_mismatch {
                out.push(Disagreement {
                    kind: DisagreementKind::Weekday,
                    about: Some(format!("{named:?}")),
                    passages: vec![passage(m.1, m.3, day.text.clone())],
                });
            }
        }
    }
    // The story's middle: the median publication day.
    let mut days: Vec<NaiveDate> = (0..versions.len()).filter_map(day_of).collect();
    days.sort_unstable();
    if let Some(&middle) = days.get(days.len() / 2).filter(|_| days.len() >= 3) {
        for v in 0..versions.len() {
            if let Some(day) = day_of(v).filter(|d| (*d - middle).num_days().abs() > FAR_DAYS) {
                out.push(Disagreement {
                    kind: DisagreementKind::FarDate,
                    about: None,
                    passages: vec![passage(
                        v,
                        "",
                        format!(
                            "published {day}, {} days from the story",
                            (day - middle).num_days().abs()
                        ),
                    )],
                });
            }
        }
    }
    out
}

fn is_generic_unit(unit: &str) -> bool {
    matches!(
        unit,
        "people"
            | "person"
            | "year"
            | "day"
            | "week"
            | "month"
            | "hour"
            | "minute"
            | "time"
            | "percent"
            | "member"
            | "other"
            | "child"
            | "man"
            | "men"
            | "women"
            | "woman"
    ) || is_money(unit)
}

fn is_money(unit: &str) -> bool {
    matches!(unit, "dollar" | "euro" | "pound" | "yen" | "rupee")
}

/// What a count's clause says it counts: its content words, two before it and four after,
/// with the words of a few things stories count ("died", "toll"; "marched", "crowd") read
/// as one `#`-word each, also from the count's own words ("60,000 supporters").
fn context(sentence: &str, count: &str) -> FxHashSet<String> {
    let word = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
            .trim_end_matches('s')
            .to_string()
    };
    let Some(at) = sentence.find(count) else {
        return FxHashSet::default();
    };
    let ends_clause = |w: &&str| w.ends_with([',', ';', ':', '.']);
    let before: Vec<&str> = sentence[..at]
        .split_whitespace()
        .rev()
        .take_while(|w| !ends_clause(w))
        .take(2)
        .collect();
    let mut after: Vec<&str> = Vec::new();
    for w in sentence[at + count.len()..].split_whitespace().take(4) {
        // "infected 169,000 people and killed 6,500": the next clause counts its own.
        if matches!(w, "and" | "but" | "while" | "whereas") {
            break;
        }
        after.push(w);
        if ends_clause(&w) {
            break;
        }
    }
    let own = count
        .split_whitespace()
        .filter_map(|w| counted_thing(&word(w)));
    before
        .into_iter()
        .chain(after)
        .map(word)
        .filter_map(|w| match counted_thing(&w) {
            Some(thing) => Some(thing.to_string()),
            // "over 10 years": a span of time says nothing of what is counted.
            None => (w.len() > 3 && !parallax_text::is_stopword(&w) && !is_generic_unit(&w))
                .then_some(w),
        })
        .chain(own.map(str::to_string))
        .collect()
}

/// The thing a word around a count says is counted, for things stories count often and
/// name many ways (a word as `context` cuts it: lower case, no final "s").
fn counted_thing(word: &str) -> Option<&'static str> {
    Some(match word {
        "crowd" | "march" | "marched" | "marcher" | "marching" | "protest" | "protested"
        | "protester" | "protestor" | "demonstrated" | "demonstrator" | "demonstration"
        | "rally" | "rallied" | "gathered" | "attended" | "attendee" | "participant"
        | "supporter" | "part" | "turnout" | "filled" => "#crowd",
        "died" | "dead" | "death" | "killed" | "killing" | "toll" | "fatalitie" | "live"
        | "perished" => "#dead",
        "injured" | "wounded" | "hurt" | "injurie" => "#hurt",
        "arrested" | "arrest" | "detained" => "#arrested",
        "evacuated" | "evacuation" | "evacuee" | "fled" | "displaced" => "#evacuated",
        "cut" | "cutting" | "lay" | "laid" | "layoff" | "shed" | "shedding" | "axe" | "axing"
        | "slash" | "eliminate" => "#cut",
        "missing" => "#missing",
        _ => return None,
    })
}

/// The text with what is inside quotation marks blanked out.
fn outside_quotes(text: &str) -> String {
    let mut inside = false;
    text.chars()
        .map(|c| {
            let mark = matches!(c, '"' | '“' | '”' | '«' | '»' | '„');
            if mark {
                inside = match c {
                    '“' | '«' | '„' => true,
                    '”' | '»' => false,
                    _ => !inside,
                };
                return ' ';
            }
            if inside {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn shared_words(a: &Features, b: &Features) -> usize {
    a.all_words
        .iter()
        .filter(|w| b.all_words.binary_search(w).is_ok())
        .count()
}

/// The quotes of every version, grouped: the same quote carried by several versions (whole,
/// trimmed or lightly reworded) is one.
fn story_quotes(versions: &[VersionText<'_>]) -> Vec<StoryQuote> {
    type Found = (usize, parallax_text::quotes::Quote, Vec<String>);
    let mut found: Vec<Found> = Vec::new();
    for (v, version) in versions.iter().enumerate() {
        for q in parallax_text::quotes::find_quotes(version.text) {
            let words = quote_words(&q.text);
            if !words.is_empty() {
                found.push((v, q, words));
            }
        }
    }
    let sets: Vec<FxHashSet<&str>> = found
        .iter()
        .map(|(_, _, words)| words.iter().map(String::as_str).collect())
        .collect();
    let mut groups = UnionFind::new(found.len());
    for i in 0..found.len() {
        for j in i + 1..found.len() {
            if found[i].0 != found[j].0
                && is_same_quote((&found[i].2, &sets[i]), (&found[j].2, &sets[j]))
            {
                groups.union(i, j);
            }
        }
    }
    let mut members: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    let mut roots: Vec<usize> = Vec::new();
    for i in 0..found.len() {
        let root = groups.find(i);
        let list = members.entry(root).or_default();
        if list.is_empty() {
            roots.push(root);
        }
        list.push(i);
    }
    let mut quotes: Vec<StoryQuote> = roots
        .iter()
        .map(|root| {
            let list = &members[root];
            let fullest = *list
                .iter()
                .max_by_key(|&&i| (found[i].2.len(), std::cmp::Reverse(i)))
                .unwrap_or(root);
            let full: FxHashSet<&String> = found[fullest].2.iter().collect();
            let same = list.iter().all(|&i| found[i].2 == found[fullest].2);
            let contained = list
                .iter()
                .all(|&i| found[i].2.iter().all(|w| full.contains(w)));
            let mut votes: Vec<(String, usize)> = Vec::new();
            for &i in list {
                if let Some(s) = &found[i].1.speaker {
                    match votes
                        .iter_mut()
                        .find(|(name, _)| speaker_key(name) == speaker_key(s))
                    {
                        Some((_, n)) => *n += 1,
                        None => votes.push((s.clone(), 1)),
                    }
                }
            }
            // Most votes; among equals the first given.
            let speaker = votes
                .iter()
                .enumerate()
                .max_by_key(|(k, (_, n))| (*n, std::cmp::Reverse(*k)))
                .map(|(_, (name, _))| name.clone());
            StoryQuote {
                text: found[fullest].1.text.clone(),
                speaker,
                carriers: list
                    .iter()
                    .map(|&i| QuoteCarrier {
                        article: versions[found[i].0].article,
                        outlet: versions[found[i].0].outlet,
                        text: found[i].1.text.clone(),
                        speaker: found[i].1.speaker.clone(),
                        partial: found[i].1.partial,
                    })
                    .collect(),
                wording: if same {
                    Wording::Same
                } else if contained {
                    Wording::Trimmed
                } else {
                    Wording::Reworded
                },
            }
        })
        .collect();
    let outlets = |q: &StoryQuote| {
        let mut o: Vec<i64> = q.carriers.iter().map(|c| c.outlet).collect();
        o.sort_unstable();
        o.dedup();
        o.len()
    };
    // Stable: among equally carried quotes, the order they first appear in.
    quotes.sort_by_key(|q| std::cmp::Reverse(outlets(q)));
    quotes
}

/// A speaker's name for comparing: its last word, lower-cased ("Mayor Ines Carvalho" and
/// "Carvalho" are one speaker).
fn speaker_key(name: &str) -> String {
    name.split_whitespace().last().unwrap_or("").to_lowercase()
}

fn quote_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether two quotes (their words, and the set of them) are one quote.
fn is_same_quote(a: (&[String], &FxHashSet<&str>), b: (&[String], &FxHashSet<&str>)) -> bool {
    if a.0 == b.0 {
        return true;
    }
    let (short, long) = if a.0.len() <= b.0.len() {
        (a, b)
    } else {
        (b, a)
    };
    if short.0.len() < QUOTE_MIN_WORDS {
        return false;
    }
    let inside = short
        .0
        .iter()
        .filter(|w| long.1.contains(w.as_str()))
        .count();
    inside as f64 >= QUOTE_CONTAINMENT * short.0.len() as f64
}

/// How alike two sentences are: the share of the shorter one's word trigrams in the other,
/// or the share of the shorter one's content words in the other (when they share at least
/// `MIN_SHARED_WORDS`), whichever is higher.
fn similarity(a: &Features, b: &Features) -> f64 {
    score_of(
        a,
        b,
        in_both(&a.words, &b.words),
        in_both(&a.trigrams, &b.trigrams),
    )
}

/// The similarity of two sentences that share `words` words and `trigrams` trigrams.
fn score_of(a: &Features, b: &Features, words: usize, trigrams: usize) -> f64 {
    let fewest_trigrams = a.trigrams.len().min(b.trigrams.len());
    let trigrams = if fewest_trigrams >= 2 {
        trigrams as f64 / fewest_trigrams as f64
    } else {
        0.0
    };
    let words = if words >= MIN_SHARED_WORDS {
        words as f64 / a.words.len().min(b.words.len()) as f64
    } else {
        0.0
    };
    trigrams.max(words)
}

/// How many items two sorted, deduplicated lists share.
fn in_both<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut shared, mut i, mut j) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

/// Hashes of the lower-cased word trigrams of a sentence, sorted and deduplicated.
fn trigrams(text: &str) -> Vec<u64> {
    use std::hash::{BuildHasher, Hasher};
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut hashes = words
        .windows(3)
        .map(|w| {
            let mut h = rustc_hash::FxBuildHasher.build_hasher();
            for word in w {
                h.write(word.as_bytes());
                h.write_u8(0);
            }
            h.finish()
        })
        .collect::<Vec<u64>>();
    hashes.sort_unstable();
    hashes.dedup();
    hashes
}

/// Bylines, credit lines and a site's calls to act: not news, shared or not.
fn is_boilerplate(sentence: &str) -> bool {
    let lower = sentence.trim().to_lowercase();
    const STARTS: &[&str] = &[
        "by ",
        "reporting by",
        "additional reporting",
        "editing by",
        "writing by",
        "compiled by",
        "copyright",
        "©",
        "all rights reserved",
        "follow us",
        "follow our",
        "sign up",
        "subscribe",
        "read more",
        "read also",
        "related:",
        "click here",
        "advertisement",
        "share this",
        "this story has been updated",
        "updated on ",
        "updated at ",
        "last updated",
        "this article has been updated",
        "contact the author",
        "photo:",
        "image:",
        "credit:",
    ];
    // Caption and credit residue that pages leave in the text, and embedded posts'
    // signatures ("— Name (@handle) May 7, 2018").
    const CONTAINS: &[&str] = &[
        "newsletter",
        "toggle caption",
        "enlarge this image",
        "image caption",
        "image copyright",
        "media playback is unsupported",
        "/ap photo",
        "/getty images",
        "getty images/",
        "pic.twitter.com",
        "file photo",
    ];
    STARTS.iter().any(|s| lower.starts_with(s))
        || CONTAINS.iter().any(|s| lower.contains(s))
        || lower.ends_with("all rights reserved.")
        || (lower.starts_with(['—', '-', '–']) && lower.contains("(@"))
}

/// Runs of consecutive unique, non-boilerplate sentences of one paragraph.
fn unique_passages(sentences: &[LabelledSentence]) -> Vec<String> {
    let mut out = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut paragraph = usize::MAX;
    let mut flush = |run: &mut Vec<&str>| {
        let passage = run.join(" ");
        if passage.split_whitespace().count() >= MIN_PASSAGE_WORDS {
            out.push(passage);
        }
        run.clear();
    };
    for s in sentences {
        let unique = s.shared_with.is_empty() && !s.boilerplate;
        if !unique || s.paragraph != paragraph {
            flush(&mut run);
        }
        if unique {
            run.push(&s.text);
        }
        paragraph = s.paragraph;
    }
    flush(&mut run);
    out
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        // The lower index stays the root: groups are named by their first sentence.
        if ra != rb {
            let (low, high) = (ra.min(rb), ra.max(rb));
            self.parent[high] = low;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(article: i64, outlet: i64, text: &str) -> VersionText<'_> {
        VersionText {
            article,
            outlet,
            text,
            language: Some("en"),
            published: None,
        }
    }

    #[test]
    fn shared_and_unique_sentences_are_told_apart() {
        let a = "The harbour wall of Port Aldane collapsed overnight after the storm. \
                 Forty boats were damaged, the harbour master said.\n\n\
                 The mayor, Ilse Brandvold, was on holiday in Corvallo.";
        let b =
            "Forty boats were damaged when the harbour wall gave way, the harbour master said. \
                 The harbour wall of Port Aldane collapsed overnight after a storm.\n\n\
                 Engineers warned in March that the wall needed repairs. \
                 Reporting by Anton Keszler; editing by Mara Lind.";
        let c = "The storm brought down the harbour wall of Port Aldane overnight.";
        let result = align(&[version(1, 10, a), version(2, 20, b), version(3, 30, c)]);
        let labels = |v: usize| -> Vec<(&str, Vec<i64>)> {
            result.versions[v]
                .sentences
                .iter()
                .map(|s| (s.text.as_str(), s.shared_with.clone()))
                .collect()
        };
        assert_eq!(
            labels(0),
            [
                (
                    "The harbour wall of Port Aldane collapsed overnight after the storm.",
                    vec![20, 30]
                ),
                (
                    "Forty boats were damaged, the harbour master said.",
                    vec![20]
                ),
                (
                    "The mayor, Ilse Brandvold, was on holiday in Corvallo.",
                    vec![]
                ),
            ]
        );
        assert_eq!(
            result.versions[1].sentences[2].shared_with,
            Vec::<i64>::new()
        );
        assert!(result.versions[1].sentences[3].boilerplate);
        for residue in [
            "Enlarge this image toggle caption Alex Brandon/AP",
            "— Ana Ruiz (@anaruiz) May 7, 2018",
            "Updated on Friday at 2:44 p.m. ET.",
        ] {
            assert!(is_boilerplate(residue), "{residue}");
        }
        assert!(!is_boilerplate(
            "WASHINGTON (Reuters) - The senate voted on Friday."
        ));
        assert_eq!(
            result.versions[1].only_here,
            ["Engineers warned in March that the wall needed repairs."]
        );
        assert_eq!(
            result.versions[0].only_here,
            ["The mayor, Ilse Brandvold, was on holiday in Corvallo."]
        );
        assert_eq!(
            result.common_ground,
            [
                SharedSentence {
                    text: "The harbour wall of Port Aldane collapsed overnight after the storm."
                        .into(),
                    article: 1,
                    outlets: vec![10, 20, 30],
                },
                SharedSentence {
                    text: "Forty boats were damaged, the harbour master said.".into(),
                    article: 1,
                    outlets: vec![10, 20],
                },
            ]
        );
    }

    #[test]
    fn a_sentence_of_topic_words_only_is_still_found_copied() {
        // Every word here is in most of the story's sentences: only its trigrams find it.
        let a = "The harbour wall collapsed. The harbour wall collapsed, the harbour said.";
        let b = "The harbour wall collapsed.";
        let result = align(&[version(1, 10, a), version(2, 20, b)]);
        assert_eq!(result.versions[1].sentences[0].shared_with, [10]);
    }

    #[test]
    fn one_quote_carried_trimmed_or_reworded_is_one_quote() {
        let a = "“We warned about that wall for years, and nobody listened,” said Joana Reis. \
                 Mayor Ines Carvalho said: “The quay stays closed tonight.”";
        let b = "“We warned about that wall for years,” said Reis, who runs a café.";
        let c = "“We had warned about the wall for years and nobody listened,” Joana Reis said.";
        let result = align(&[version(1, 10, a), version(2, 20, b), version(3, 30, c)]);
        assert_eq!(result.quotes.len(), 2, "{:#?}", result.quotes);
        let wall = &result.quotes[0];
        assert_eq!(
            wall.text,
            "We had warned about the wall for years and nobody listened"
        );
        assert_eq!(wall.speaker.as_deref(), Some("Joana Reis"));
        assert_eq!(wall.carriers.len(), 3);
        assert_eq!(wall.wording, Wording::Reworded);
        let quay = &result.quotes[1];
        assert_eq!(quay.speaker.as_deref(), Some("Mayor Ines Carvalho"));
        assert_eq!(quay.wording, Wording::Same);
        let trimmed = align(&[version(1, 10, a), version(2, 20, b)]);
        assert_eq!(trimmed.quotes[0].wording, Wording::Trimmed);
    }

    #[test]
    fn counts_and_days_that_disagree_are_flagged() {
        use chrono::TimeZone;
        // 2026-11-05 is a Thursday.
        let at = |d: u32| Some(Utc.with_ymd_and_hms(2026, 11, d, 12, 0, 0).unwrap());
        let a =
            "All 182 passengers left the plane safely after it landed at Corvallo on Wednesday.";
        let b = "All 176 passengers left the plane safely after it landed at Corvallo on Thursday.";
        let c =
            "The plane landed at Corvallo on Tuesday, Nov. 4, and all passengers left it safely.";
        let mut versions = vec![version(1, 10, a), version(2, 20, b), version(3, 30, c)];
        for (v, day) in versions.iter_mut().zip([5, 5, 5]) {
            v.published = at(day);
        }
        let result = align(&versions);
        let kinds: Vec<(DisagreementKind, Option<&str>)> = result
            .disagreements
            .iter()
            .map(|d| (d.kind, d.about.as_deref()))
            .collect();
        assert!(
            kinds.contains(&(DisagreementKind::Count, Some("passenger"))),
            "{kinds:?}"
        );
        assert!(kinds.contains(&(DisagreementKind::Day, None)), "{kinds:?}");
        assert!(
            kinds.contains(&(DisagreementKind::Weekday, Some("Tue"))),
            "{kinds:?}"
        );
        let count = &result.disagreements[0];
        let values: Vec<&str> = count.passages.iter().map(|p| p.value.as_str()).collect();
        assert_eq!(values, ["182 passengers", "176 passengers"]);
        // One version published two weeks on is far from the story.
        versions.push(version(
            4,
            40,
            "The plane that landed at Corvallo flew again.",
        ));
        versions[3].published = at(19);
        let far: Vec<i64> = align(&versions)
            .disagreements
            .iter()
            .filter(|d| d.kind == DisagreementKind::FarDate)
            .map(|d| d.passages[0].article)
            .collect();
        assert_eq!(far, [4]);
    }

    #[test]
    fn like_counts_that_agree_or_count_other_things_are_not_flagged() {
        let a = "Forty boats were damaged and two people were hurt.";
        let b = "Forty boats were damaged, the harbour master said; 1,200 people were evacuated.";
        let result = align(&[version(1, 10, a), version(2, 20, b)]);
        assert!(
            result.disagreements.is_empty(),
            "{:?}",
            result.disagreements
        );
    }

    fn counts_flagged(texts: &[&str]) -> Vec<Option<String>> {
        let versions: Vec<VersionText<'_>> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| version(i as i64 + 1, 10 * (i as i64 + 1), t))
            .collect();
        align(&versions)
            .disagreements
            .into_iter()
            .filter(|d| d.kind == DisagreementKind::Count)
            .map(|d| d.about)
            .collect()
    }

    #[test]
    fn one_crowd_or_toll_told_in_other_words_is_one_count() {
        // Nothing in common but what is counted: the crowd, the dead.
        assert_eq!(
            counts_flagged(&[
                "Tens of thousands marched on Saturday. Organisers said 80,000 people took part.",
                "Thousands protested on Saturday. Police estimated the crowd at 35,000.",
            ]),
            [Some("people".to_string())]
        );
        assert_eq!(
            counts_flagged(&[
                "A ferry capsized off Varn. At least 14 people died, the coast guard said.",
                "The death toll from the Varn ferry disaster rose to 21 on Wednesday evening.",
            ]),
            [Some("people".to_string())]
        );
        // The dead and the crowd are not one count, nor the next clause's.
        assert!(counts_flagged(&[
            "A rally turned violent. Organisers said 80,000 people took part.",
            "A rally turned violent. At least 14 people died in the crush.",
        ])
        .is_empty());
        assert!(counts_flagged(&[
            "The virus has infected 169,000 people and killed 6,500 worldwide.",
            "The virus has killed 69 people in the country so far.",
        ])
        .is_empty());
    }

    #[test]
    fn plans_and_background_days_do_not_disagree_with_the_event() {
        use chrono::TimeZone;
        let day = |texts: [&str; 2]| {
            let mut versions = vec![version(1, 10, texts[0]), version(2, 20, texts[1])];
            for v in &mut versions {
                v.published = Some(Utc.with_ymd_and_hms(2026, 11, 5, 12, 0, 0).unwrap());
            }
            align(&versions)
                .disagreements
                .iter()
                .filter(|d| d.kind == DisagreementKind::Day)
                .count()
        };
        let said = "The Senate voted on the House resolution to block the emergency";
        assert_eq!(
            day([
                &format!("{said} on Tuesday."),
                &format!("{said} on Monday.")
            ]),
            1
        );
        // "last week" and Monday of this week cannot be one day.
        assert_eq!(
            day([&format!("{said} last week."), &format!("{said} on Monday.")]),
            1
        );
        assert_eq!(
            day([
                &format!("{said} last month."),
                "The Senate will vote on the House resolution to block the emergency on Thursday."
            ]),
            0
        );
        assert_eq!(
            day([
                &format!("{said} last week."),
                &format!("{said} on April 22, 2016.")
            ]),
            0
        );
    }

    #[test]
    fn money_disagrees_in_the_leads_or_around_one_thing() {
        // The figure each version leads with.
        assert_eq!(
            counts_flagged(&[
                "Parliament approved an aid package of $2.3 billion for farmers on Tuesday.",
                "Lawmakers on Tuesday passed a $2.8 billion relief bill for drought-stricken farms.",
            ]),
            [Some("dollar".to_string())]
        );
        // A story tells many sums: later ones need a word around them in common.
        assert!(counts_flagged(&[
            "Warren released her plan on Friday. It would cost just under $52 trillion over a decade.",
            "Warren released her plan on Friday. Banks would pay $800 billion over 10 years.",
        ])
        .is_empty());
    }

    #[test]
    fn entities_are_counted_per_outlet() {
        let a = "Mayor Ines Carvalho said the harbour of Port Aldane would reopen. Carvalho said so in Lisbon.";
        let b = "Carvalho said the port would reopen, according to the Central Bank of Veloria.";
        let result = align(&[version(1, 10, a), version(2, 20, b)]);
        let carvalho = result
            .entities
            .iter()
            .find(|e| e.name == "Ines Carvalho")
            .unwrap_or_else(|| panic!("{:?}", result.entities));
        assert_eq!(carvalho.mentions, [(10, 2), (20, 1)]);
        assert!(result
            .entities
            .iter()
            .any(|e| e.name == "Lisbon" && e.kind == parallax_text::entities::EntityKind::Place));
    }

    #[test]
    fn one_outlets_two_versions_share_nothing_with_each_other() {
        let text = "The harbour wall of Port Aldane collapsed overnight after the storm.";
        let result = align(&[version(1, 10, text), version(2, 10, text)]);
        assert!(result
            .versions
            .iter()
            .all(|v| v.sentences[0].shared_with.is_empty()));
        assert!(result.common_ground.is_empty());
    }

    #[test]
    fn empty_and_odd_versions_keep_their_place() {
        let result = align(&[
            version(1, 10, ""),
            version(2, 20, "…"),
            version(3, 30, "A short one."),
        ]);
        let articles: Vec<i64> = result.versions.iter().map(|v| v.article).collect();
        assert_eq!(articles, [1, 2, 3]);
    }
}
