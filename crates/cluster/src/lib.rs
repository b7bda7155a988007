//! Articles -> stories: an online clusterer that puts each arriving article into the story it
//! belongs to, or starts a new one. Pure and deterministic for a given arrival order.
//!
//! The algorithm (a first, honest one): each article becomes a TF-IDF vector over its title
//! (weighted up), lead and body, with words written as names (capitalised mid-sentence)
//! weighted up too, since two storms share "wind" and "flood" but not "Hollis" and "Aldane".
//! It joins the most similar story whose articles lie within a time window, if the cosine
//! similarity between it and the story's centroid passes a threshold. IDF comes from
//! every article seen so far, so it sharpens as the corpus grows.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use parallax_text::Analyzer;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterConfig {
    /// Minimum cosine similarity to join a story.
    pub threshold: f64,
    /// An article joins only stories with an article published within this many hours.
    pub window_hours: i64,
    /// How many times a title word counts against a body word.
    pub title_weight: f64,
    /// Extra weight of words written as names.
    pub name_weight: f64,
    /// Only the first this-many words of the body count: the lead says what the story is.
    pub body_words: usize,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            threshold: 0.25,
            window_hours: 96,
            title_weight: 3.0,
            name_weight: 2.0,
            body_words: 400,
        }
    }
}

/// An article as the clusterer sees it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Doc {
    pub title: String,
    pub text: String,
    pub published: DateTime<Utc>,
    pub language: Option<String>,
}

/// The story key the caller uses (a store's story id, or a counter).
pub type StoryKey = i64;

/// Weighted term frequencies of one article.
#[derive(Debug, Clone, Default)]
pub struct TermVector {
    weights: HashMap<String, f64>,
}

impl TermVector {
    pub fn terms(&self) -> impl Iterator<Item = (&str, f64)> {
        self.weights.iter().map(|(t, w)| (t.as_str(), *w))
    }
}

#[derive(Debug, Default)]
struct StoryState {
    /// Sum of member vectors' raw weights; IDF is applied at comparison time.
    sums: HashMap<String, f64>,
    first: Option<DateTime<Utc>>,
    last: Option<DateTime<Utc>>,
    size: u32,
}

/// The decision for one article.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    Join { story: StoryKey, similarity: f64 },
    New,
}

pub struct Clusterer {
    config: ClusterConfig,
    doc_freq: HashMap<String, u32>,
    docs: u32,
    stories: HashMap<StoryKey, StoryState>,
    /// Stories ordered by key, so ties break the same way on every run.
    order: Vec<StoryKey>,
}

impl Clusterer {
    pub fn new(config: ClusterConfig) -> Self {
        Clusterer {
            config,
            doc_freq: HashMap::new(),
            docs: 0,
            stories: HashMap::new(),
            order: Vec::new(),
        }
    }

    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    pub fn vectorize(&self, doc: &Doc) -> TermVector {
        let analyzer = Analyzer::new(doc.language.as_deref());
        let mut weights: HashMap<String, f64> = HashMap::new();
        for token in analyzer.tokens(&doc.title) {
            let w = self.config.title_weight
                * if token.is_name {
                    self.config.name_weight
                } else {
                    1.0
                };
            *weights.entry(token.term).or_default() += w;
        }
        let lead: String = doc
            .text
            .split_whitespace()
            .take(self.config.body_words)
            .collect::<Vec<_>>()
            .join(" ");
        for token in analyzer.tokens(&lead) {
            let w = if token.is_name {
                self.config.name_weight
            } else {
                1.0
            };
            *weights.entry(token.term).or_default() += w;
        }
        // Sub-linear term frequency: a word said ten times is not ten times the topic.
        for w in weights.values_mut() {
            *w = 1.0 + w.ln_1p();
        }
        TermVector { weights }
    }

    fn idf(&self, term: &str) -> f64 {
        let df = self.doc_freq.get(term).copied().unwrap_or(0) as f64;
        ((1.0 + self.docs as f64) / (1.0 + df)).ln() + 1.0
    }

    /// Which story `doc` belongs to, without changing any state.
    pub fn decide(&self, doc: &Doc, vector: &TermVector) -> Decision {
        let window = Duration::hours(self.config.window_hours);
        let doc_norm = self.norm(vector.weights.iter().map(|(t, w)| (t.as_str(), *w)));
        if doc_norm == 0.0 {
            return Decision::New;
        }
        let mut best: Option<(StoryKey, f64)> = None;
        for key in &self.order {
            let story = &self.stories[key];
            let (Some(first), Some(last)) = (story.first, story.last) else {
                continue;
            };
            if doc.published < first - window || doc.published > last + window {
                continue;
            }
            let mut dot = 0.0;
            for (term, w) in &vector.weights {
                if let Some(sw) = story.sums.get(term) {
                    let idf = self.idf(term);
                    dot += w * idf * sw * idf;
                }
            }
            if dot == 0.0 {
                continue;
            }
            let story_norm = self.norm(story.sums.iter().map(|(t, w)| (t.as_str(), *w)));
            let sim = dot / (doc_norm * story_norm);
            if best.is_none_or(|(_, b)| sim > b) {
                best = Some((*key, sim));
            }
        }
        match best {
            Some((story, similarity)) if similarity >= self.config.threshold => {
                Decision::Join { story, similarity }
            }
            _ => Decision::New,
        }
    }

    fn norm<'a>(&self, weights: impl Iterator<Item = (&'a str, f64)>) -> f64 {
        weights
            .map(|(t, w)| {
                let x = w * self.idf(t);
                x * x
            })
            .sum::<f64>()
            .sqrt()
    }

    /// Records that `doc` belongs to `story` (after a decision, or when restoring state).
    pub fn insert(&mut self, story: StoryKey, doc: &Doc, vector: &TermVector) {
        self.docs += 1;
        for term in vector.weights.keys() {
            *self.doc_freq.entry(term.clone()).or_default() += 1;
        }
        let state = self.stories.entry(story).or_default();
        if state.size == 0 {
            let pos = self.order.binary_search(&story).unwrap_or_else(|p| p);
            if self.order.get(pos) != Some(&story) {
                self.order.insert(pos, story);
            }
        }
        state.size += 1;
        for (term, w) in &vector.weights {
            *state.sums.entry(term.clone()).or_default() += w;
        }
        state.first = Some(state.first.map_or(doc.published, |f| f.min(doc.published)));
        state.last = Some(state.last.map_or(doc.published, |l| l.max(doc.published)));
    }

    /// Number of stories known.
    pub fn story_count(&self) -> usize {
        self.stories.len()
    }
}

/// Runs the clusterer over articles in arrival order, numbering new stories from 1.
/// The same code path ingestion uses, for `parallax cluster` and evaluation.
pub fn cluster_all(config: ClusterConfig, docs: &[Doc]) -> Vec<StoryKey> {
    let mut clusterer = Clusterer::new(config);
    let mut next: StoryKey = 1;
    docs.iter()
        .map(|doc| {
            let vector = clusterer.vectorize(doc);
            let story = match clusterer.decide(doc, &vector) {
                Decision::Join { story, .. } => story,
                Decision::New => {
                    next += 1;
                    next - 1
                }
            };
            clusterer.insert(story, doc, &vector);
            story
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn doc(day: u32, title: &str, text: &str) -> Doc {
        Doc {
            title: title.into(),
            text: text.into(),
            published: Utc.with_ymd_and_hms(2026, 11, day, 9, 0, 0).unwrap(),
            language: Some("en".into()),
        }
    }

    #[test]
    fn same_event_joins_and_different_events_stay_apart() {
        let docs = [
            doc(2, "Parliament of Veloria passes budget", "The Veloria parliament passed the annual budget after a long debate in Castellan on spending and taxes."),
            doc(2, "Budget passes in Veloria after marathon debate", "Lawmakers in Castellan approved the Veloria budget, ending a long debate over taxes and spending."),
            doc(3, "Volcano erupts on Isla Verde", "Ash covered villages on Isla Verde as the volcano erupted, forcing evacuations near the crater."),
        ];
        let stories = cluster_all(ClusterConfig::default(), &docs);
        assert_eq!(stories[0], stories[1]);
        assert_ne!(stories[0], stories[2]);
    }

    #[test]
    fn articles_far_apart_in_time_start_new_stories() {
        let a = doc(
            1,
            "Harbour wall collapses in Port Aldane",
            "The harbour wall of Port Aldane collapsed overnight.",
        );
        let mut b = a.clone();
        b.published += Duration::days(30);
        let stories = cluster_all(ClusterConfig::default(), &[a, b]);
        assert_ne!(stories[0], stories[1]);
    }

    #[test]
    fn clustering_is_deterministic() {
        let docs: Vec<Doc> = (1..8)
            .map(|i| {
                doc(
                    2,
                    &format!("Story number {i} about topic {}", i % 3),
                    &format!(
                        "Body text about topic {} and more words like harbour",
                        i % 3
                    ),
                )
            })
            .collect();
        assert_eq!(
            cluster_all(ClusterConfig::default(), &docs),
            cluster_all(ClusterConfig::default(), &docs)
        );
    }
}
