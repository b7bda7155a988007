//! The analysis of how a story's versions differ (`cluster::analysis`), with outlets named,
//! and the timeline of its versions; computed when a story is first shown and kept until a
//! version joins, leaves or changes.

use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use parallax_cluster::analysis::{align, DisagreementKind, LabelledSentence, VersionText, Wording};
use parallax_model::StoryId;
use parallax_store::Version;
use serde::Serialize;

/// An outlet, as the analysis names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutletRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommonSentence {
    pub text: String,
    /// The version whose wording is shown (the earliest that carries it).
    pub article: i64,
    pub outlets: Vec<OutletRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionAnalysis {
    pub article: i64,
    pub outlet: OutletRef,
    /// Each sentence, with the other outlets (by id) that carry it.
    pub sentences: Vec<LabelledSentence>,
    /// "What only <outlet> reports": its unique passages, in order.
    pub only_here: Vec<String>,
}

/// A quotation, once, with who said it and the outlets that carry it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuoteView {
    /// The fullest wording.
    pub text: String,
    pub speaker: Option<String>,
    pub outlets: Vec<OutletRef>,
    pub wording: Wording,
    /// Each version's wording, where they differ.
    pub variants: Vec<QuoteVariant>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuoteVariant {
    pub article: i64,
    pub outlet: OutletRef,
    pub text: String,
    pub speaker: Option<String>,
}

/// Where versions disagree, with the passages side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisagreementView {
    pub kind: DisagreementKind,
    pub about: Option<String>,
    pub passages: Vec<PassageView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PassageView {
    pub article: i64,
    pub outlet: OutletRef,
    pub sentence: String,
    pub value: String,
}

/// A person, organisation or place, with how often each outlet names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityView {
    pub kind: parallax_text::entities::EntityKind,
    pub name: String,
    pub mentions: Vec<(OutletRef, usize)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEntry {
    pub article: i64,
    pub outlet: OutletRef,
    pub published: Option<DateTime<Utc>>,
    pub modified: Option<DateTime<Utc>>,
    /// When Parallax first read it.
    pub fetched_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryAnalysis {
    pub story: i64,
    /// Sentences most outlets carry, most widely carried first.
    pub common_ground: Vec<CommonSentence>,
    /// Each quotation once, most widely carried first.
    pub quotes: Vec<QuoteView>,
    /// Counts and days the versions give differently, weekdays a text's dates do not fall
    /// on, versions published far from the rest.
    pub disagreements: Vec<DisagreementView>,
    /// People, organisations and places, named by most outlets first.
    pub entities: Vec<EntityView>,
    /// In the story's order of versions (oldest first); the first 60 of a larger story.
    pub versions: Vec<VersionAnalysis>,
    /// Versions by the time they were first published.
    pub timeline: Vec<TimelineEntry>,
}

fn outlet_of(v: &Version) -> OutletRef {
    OutletRef {
        id: v.source.id.0,
        name: v.source.profile.name.clone(),
    }
}

/// Analyses a story's versions (oldest first).
pub fn analyse(story: StoryId, versions: &[Version]) -> StoryAnalysis {
    // The analysis compares sentences pairwise: a story grown to hundreds of versions is
    // read through its first ones, which carry what the rest repeat.
    let analysed = &versions[..versions.len().min(ANALYSED_VERSIONS)];
    let inputs: Vec<VersionText<'_>> = analysed
        .iter()
        .map(|v| VersionText {
            article: v.article.id.0,
            outlet: v.source.id.0,
            text: &v.article.draft.text,
            language: v.article.draft.language.as_deref(),
            published: Some(v.article.effective_time()),
        })
        .collect();
    let alignment = align(&inputs);
    let names: HashMap<i64, OutletRef> = versions
        .iter()
        .map(|v| (v.source.id.0, outlet_of(v)))
        .collect();
    let common_ground = alignment
        .common_ground
        .into_iter()
        .map(|c| CommonSentence {
            text: c.text,
            article: c.article,
            outlets: c
                .outlets
                .iter()
                .filter_map(|o| names.get(o).cloned())
                .collect(),
        })
        .collect();
    let quotes = alignment
        .quotes
        .into_iter()
        .map(|q| {
            let mut outlets: Vec<OutletRef> = Vec::new();
            for c in &q.carriers {
                if let Some(o) = names.get(&c.outlet) {
                    if !outlets.contains(o) {
                        outlets.push(o.clone());
                    }
                }
            }
            let variants = if q.wording == Wording::Same {
                Vec::new()
            } else {
                q.carriers
                    .iter()
                    .filter_map(|c| {
                        Some(QuoteVariant {
                            article: c.article,
                            outlet: names.get(&c.outlet)?.clone(),
                            text: c.text.clone(),
                            speaker: c.speaker.clone(),
                        })
                    })
                    .collect()
            };
            QuoteView {
                text: q.text,
                speaker: q.speaker,
                outlets,
                wording: q.wording,
                variants,
            }
        })
        .collect();
    let disagreements = alignment
        .disagreements
        .into_iter()
        .map(|d| DisagreementView {
            kind: d.kind,
            about: d.about,
            passages: d
                .passages
                .into_iter()
                .filter_map(|p| {
                    Some(PassageView {
                        article: p.article,
                        outlet: names.get(&p.outlet)?.clone(),
                        sentence: p.sentence,
                        value: p.value,
                    })
                })
                .collect(),
        })
        .collect();
    let entities = alignment
        .entities
        .into_iter()
        .map(|e| EntityView {
            kind: e.kind,
            name: e.name,
            mentions: e
                .mentions
                .into_iter()
                .filter_map(|(o, n)| Some((names.get(&o)?.clone(), n)))
                .collect(),
        })
        .collect();
    let analysed = analysed
        .iter()
        .zip(alignment.versions)
        .map(|(v, a)| VersionAnalysis {
            article: a.article,
            outlet: outlet_of(v),
            sentences: a.sentences,
            only_here: a.only_here,
        })
        .collect();
    let mut timeline: Vec<TimelineEntry> = versions
        .iter()
        .map(|v| TimelineEntry {
            article: v.article.id.0,
            outlet: outlet_of(v),
            published: v.article.draft.published,
            modified: v
                .article
                .draft
                .modified
                .filter(|m| Some(*m) != v.article.draft.published),
            fetched_at: v.article.fetched_at,
        })
        .collect();
    timeline.sort_by_key(|t| (t.published.unwrap_or(t.fetched_at), t.article));
    StoryAnalysis {
        story: story.0,
        common_ground,
        quotes,
        disagreements,
        entities,
        versions: analysed,
        timeline,
    }
}

/// Versions of one story analysed at most (the timeline lists them all).
const ANALYSED_VERSIONS: usize = 60;

/// What the analysis depends on: the versions, their outlets and their text.
fn fingerprint(versions: &[Version]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for v in versions {
        v.article.id.0.hash(&mut h);
        v.source.id.0.hash(&mut h);
        v.source.profile.name.hash(&mut h);
        v.article.draft.text.hash(&mut h);
        v.article.draft.published.hash(&mut h);
        v.article.draft.modified.hash(&mut h);
    }
    h.finish()
}

/// Analyses kept per story, each with the fingerprint of the versions it was made from.
#[derive(Default)]
pub struct AnalysisCache {
    inner: Mutex<CacheInner>,
}

#[derive(Default)]
struct CacheInner {
    entries: HashMap<StoryId, (u64, Arc<StoryAnalysis>)>,
    /// Insertion order, for forgetting the oldest first.
    order: VecDeque<StoryId>,
}

/// Stories whose analysis is kept; a story page shown again after that is analysed again.
const CACHED_STORIES: usize = 2048;

impl AnalysisCache {
    /// The analysis of `story`, from the cache if its versions have not changed since.
    pub fn get_or_analyse(&self, story: StoryId, versions: &[Version]) -> Arc<StoryAnalysis> {
        let key = fingerprint(versions);
        {
            let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((k, analysis)) = inner.entries.get(&story) {
                if *k == key {
                    return Arc::clone(analysis);
                }
            }
        }
        // Computed outside the lock: two requests may both compute it, and that is fine.
        let analysis = Arc::new(analyse(story, versions));
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner
            .entries
            .insert(story, (key, Arc::clone(&analysis)))
            .is_none()
        {
            inner.order.push_back(story);
        }
        while inner.entries.len() > CACHED_STORIES {
            match inner.order.pop_front() {
                Some(old) => {
                    inner.entries.remove(&old);
                }
                None => break,
            }
        }
        analysis
    }

    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entries
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use parallax_model::{
        Article, ArticleDraft, ArticleId, ContentOrigin, FeedId, Source, SourceId, SourceProfile,
    };

    fn version(article: i64, source: i64, outlet: &str, hour: u32, text: &str) -> Version {
        let at = Utc.with_ymd_and_hms(2026, 11, 3, hour, 0, 0).unwrap();
        Version {
            article: Article {
                text_dropped_at: None,
                id: ArticleId(article),
                story_id: StoryId(1),
                fetched_at: at,
                copy_of: None,
                draft: ArticleDraft {
                    source_id: SourceId(source),
                    feed_id: FeedId(source),
                    guid: article.to_string(),
                    entry_hash: String::new(),
                    url: format!("https://example.com/{article}"),
                    canonical_url: format!("https://example.com/{article}"),
                    title: "Harbour wall collapses".into(),
                    authors: Vec::new(),
                    published: Some(at),
                    modified: None,
                    site_name: None,
                    language: Some("en".into()),
                    image: None,
                    description: None,
                    text: text.into(),
                    html: String::new(),
                    origin: ContentOrigin::Page,
                    partial: false,
                    categories: Vec::new(),
                },
            },
            source: Source {
                id: SourceId(source),
                profile: SourceProfile {
                    name: outlet.into(),
                    ..SourceProfile::default()
                },
            },
        }
    }

    #[test]
    fn outlets_are_named_and_the_timeline_follows_publication() {
        let versions = [
            version(7, 2, "Meridan Post", 11, "The harbour wall of Port Aldane collapsed overnight. Fishermen said they could not work for a month."),
            version(5, 1, "Aldane Gazette", 9, "The harbour wall of Port Aldane collapsed overnight. The mayor was on holiday in Corvallo."),
        ];
        let a = analyse(StoryId(1), &versions);
        assert_eq!(a.common_ground.len(), 1);
        let names: Vec<&str> = a.common_ground[0]
            .outlets
            .iter()
            .map(|o| o.name.as_str())
            .collect();
        assert_eq!(names, ["Aldane Gazette", "Meridan Post"]);
        assert_eq!(a.versions[0].outlet.name, "Meridan Post");
        assert_eq!(
            a.versions[0].only_here,
            ["Fishermen said they could not work for a month."]
        );
        let order: Vec<i64> = a.timeline.iter().map(|t| t.article).collect();
        assert_eq!(order, [5, 7]);
    }

    #[test]
    fn disagreements_name_their_outlets() {
        let versions = [
            version(
                1,
                1,
                "Aldane Gazette",
                9,
                "Forty boats were damaged overnight in Port Aldane.",
            ),
            version(
                2,
                2,
                "Meridan Post",
                10,
                "Twelve boats were damaged overnight in Port Aldane.",
            ),
        ];
        let a = analyse(StoryId(1), &versions);
        assert_eq!(a.disagreements.len(), 1);
        let d = &a.disagreements[0];
        assert_eq!(
            (d.kind, d.about.as_deref()),
            (DisagreementKind::Count, Some("boat"))
        );
        let sides: Vec<(&str, &str)> = d
            .passages
            .iter()
            .map(|p| (p.outlet.name.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(
            sides,
            [
                ("Aldane Gazette", "Forty boats"),
                ("Meridan Post", "Twelve boats")
            ]
        );
    }

    #[test]
    fn a_very_large_story_is_read_through_its_first_versions() {
        let versions: Vec<Version> = (0..70)
            .map(|i| {
                version(
                    i,
                    i,
                    &format!("Outlet {i}"),
                    9,
                    "The harbour wall collapsed overnight.",
                )
            })
            .collect();
        let a = analyse(StoryId(1), &versions);
        assert_eq!(a.versions.len(), ANALYSED_VERSIONS);
        assert_eq!(a.timeline.len(), 70);
    }

    #[test]
    fn the_cache_recomputes_only_when_a_version_changes() {
        let cache = AnalysisCache::default();
        let mut versions = vec![
            version(
                1,
                1,
                "Aldane Gazette",
                9,
                "The harbour wall collapsed overnight.",
            ),
            version(
                2,
                2,
                "Meridan Post",
                10,
                "The harbour wall collapsed overnight, officials said.",
            ),
        ];
        let first = cache.get_or_analyse(StoryId(1), &versions);
        assert!(Arc::ptr_eq(
            &first,
            &cache.get_or_analyse(StoryId(1), &versions)
        ));
        versions[1].article.draft.text.push_str(" Nobody was hurt.");
        let edited = cache.get_or_analyse(StoryId(1), &versions);
        assert!(!Arc::ptr_eq(&first, &edited));
        versions.push(version(
            3,
            3,
            "Coastal Wire",
            11,
            "The harbour wall collapsed.",
        ));
        assert_eq!(
            cache.get_or_analyse(StoryId(1), &versions).versions.len(),
            3
        );
        assert_eq!(cache.len(), 1);
    }
}
