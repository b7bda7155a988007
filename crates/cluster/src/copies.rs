//! Near-duplicates: wire copy republished by many outlets, lightly edited reprints and
//! truncated versions. Articles' MinHash signatures are banded into a locality-sensitive
//! hash index (Leskovec, Rajaraman and Ullman, ch. 3), so that an arriving article meets
//! only the articles likely to share much of its text, and each of those is then judged by
//! the estimated Jaccard similarity and containment of their shingle sets.

use chrono::{DateTime, Utc};
use parallax_text::minhash::{Signature, SIGNATURE_LEN};
use rustc_hash::FxHashMap;

use crate::StoryKey;

/// The caller's key of an article (a store's article id, or a position in a stream).
pub type ArticleKey = i64;

/// Rows per band: 42 bands of 3 rows find a pair of Jaccard 0.5 with probability 0.996 and
/// one of 0.3 with 0.68, while pairs of 0.1 rarely meet (0.04).
const ROWS: usize = 3;
const BANDS: usize = SIGNATURE_LEN / ROWS;

/// Two texts are copies when their shingle sets are this similar…
pub const COPY_JACCARD: f64 = 0.5;
/// …or when this much of one is in the other (a shortened reprint, a truncated feed text).
pub const COPY_CONTAINMENT: f64 = 0.8;

/// Articles kept per bucket, the latest: a text that many articles share (a template, a
/// boilerplate block extraction kept) would otherwise make each lookup read them all, and
/// the latest of a crowd of copies tells its story as well as all of them do.
const MAX_BUCKET: usize = 32;

/// Articles kept per band when grouping one story's copies.
const MAX_BUCKET_AMONG: usize = 8;

/// Whether two signatures are of copies.
fn are_copies(a: &Signature, b: &Signature) -> (bool, f64, f64) {
    let jaccard = a.jaccard(b);
    let containment = a.contained_in(b).max(b.contained_in(a));
    (
        jaccard >= COPY_JACCARD || containment >= COPY_CONTAINMENT,
        jaccard,
        containment,
    )
}

/// An earlier article that a new one copies, or is copied from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Copy {
    pub article: ArticleKey,
    pub story: StoryKey,
    pub jaccard: f64,
    /// The larger of the two containments.
    pub containment: f64,
}

#[derive(Debug)]
struct Entry {
    story: StoryKey,
    signature: Signature,
    published: DateTime<Utc>,
}

/// Articles' signatures, banded for finding copies.
#[derive(Debug, Default)]
pub struct CopyIndex {
    entries: FxHashMap<ArticleKey, Entry>,
    /// (band, hash of the band's rows) -> articles.
    buckets: FxHashMap<(u8, u64), Vec<ArticleKey>>,
}

fn band_hashes(signature: &Signature) -> impl Iterator<Item = (u8, u64)> + '_ {
    signature
        .mins
        .chunks_exact(ROWS)
        .take(BANDS)
        .enumerate()
        .map(|(band, rows)| {
            let h = rows.iter().fold(0x9e37_79b9_7f4a_7c15u64, |h, &r| {
                (h ^ u64::from(r)).wrapping_mul(0x0000_0100_0000_01b3)
            });
            (band as u8, h)
        })
}

impl CopyIndex {
    /// The earlier article that `signature`'s text copies or is a copy of: the most
    /// contained (ties to the earliest key).
    pub fn find(&self, signature: &Signature) -> Option<Copy> {
        self.find_all(signature).into_iter().max_by(|a, b| {
            a.containment
                .total_cmp(&b.containment)
                .then(b.article.cmp(&a.article))
        })
    }

    /// Every earlier article that `signature`'s text copies or is a copy of, by key.
    pub fn find_all(&self, signature: &Signature) -> Vec<Copy> {
        let mut candidates: Vec<ArticleKey> = band_hashes(signature)
            .filter_map(|b| self.buckets.get(&b))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .filter_map(|key| {
                let entry = self.entries.get(&key)?;
                let (copies, jaccard, containment) = are_copies(signature, &entry.signature);
                copies.then_some(Copy {
                    article: key,
                    story: entry.story,
                    jaccard,
                    containment,
                })
            })
            .collect()
    }

    /// For each of `articles`, the position of the first of them before it that it copies
    /// or is copied from. Only these articles' bands are met, so a story is grouped in time
    /// that grows with it, not with the index; and each band keeps its first few, so that a
    /// story of many look-alike texts is not compared pair by pair.
    pub(crate) fn first_copies_among(&self, articles: &[ArticleKey]) -> Vec<Option<usize>> {
        let mut seen: FxHashMap<(u8, u64), Vec<usize>> = FxHashMap::default();
        let mut first = vec![None; articles.len()];
        for (i, article) in articles.iter().enumerate() {
            let Some(entry) = self.entries.get(article) else {
                continue;
            };
            let mut candidates: Vec<usize> = band_hashes(&entry.signature)
                .filter_map(|b| seen.get(&b))
                .flatten()
                .copied()
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            first[i] = candidates.into_iter().find(|&j| {
                self.entries
                    .get(&articles[j])
                    .is_some_and(|other| are_copies(&entry.signature, &other.signature).0)
            });
            for band in band_hashes(&entry.signature) {
                let list = seen.entry(band).or_default();
                if list.len() < MAX_BUCKET_AMONG {
                    list.push(i);
                }
            }
        }
        first
    }

    pub fn add(
        &mut self,
        article: ArticleKey,
        story: StoryKey,
        signature: Signature,
        published: DateTime<Utc>,
    ) {
        if self.entries.contains_key(&article) {
            return;
        }
        for band in band_hashes(&signature) {
            let list = self.buckets.entry(band).or_default();
            if list.len() >= MAX_BUCKET {
                list.remove(0);
            }
            list.push(article);
        }
        self.entries.insert(
            article,
            Entry {
                story,
                signature,
                published,
            },
        );
    }

    /// The articles of story `from` now belong to `into`.
    pub(crate) fn restory(&mut self, from: StoryKey, into: StoryKey) {
        for entry in self.entries.values_mut() {
            if entry.story == from {
                entry.story = into;
            }
        }
    }

    pub(crate) fn signature_of(&self, article: ArticleKey) -> Option<&Signature> {
        self.entries.get(&article).map(|e| &e.signature)
    }

    /// Article `article` now belongs to `story`.
    pub(crate) fn move_article(&mut self, article: ArticleKey, story: StoryKey) {
        if let Some(entry) = self.entries.get_mut(&article) {
            entry.story = story;
        }
    }

    /// Forgets the articles published before `cutoff`.
    pub(crate) fn prune(&mut self, cutoff: DateTime<Utc>) {
        let old: Vec<ArticleKey> = self
            .entries
            .iter()
            .filter(|(_, e)| e.published < cutoff)
            .map(|(k, _)| *k)
            .collect();
        for key in old {
            let Some(entry) = self.entries.remove(&key) else {
                continue;
            };
            for band in band_hashes(&entry.signature) {
                if let Some(list) = self.buckets.get_mut(&band) {
                    list.retain(|k| *k != key);
                    if list.is_empty() {
                        self.buckets.remove(&band);
                    }
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn signature(text: &str) -> Signature {
        Signature::of(text).expect("enough words for a signature")
    }

    const WIRE: &str = "The harbour wall of Port Aldane collapsed overnight after the storm, \
        flooding the fish market and closing the coast road, officials said on Tuesday. \
        Rescue teams searched the flooded streets while the mayor asked residents to stay \
        indoors until the water receded and engineers could inspect the damaged quay.";
    const OTHER: &str = "Voters in Castellan chose a new parliament on Sunday in an election \
        that the governing coalition was expected to lose, after a year of strikes over \
        wages and a budget that cut spending on schools and roads across the country, \
        according to the first results published by the electoral commission late at night.";

    #[test]
    fn copies_among_a_storys_articles_point_to_the_first_of_them() {
        let at = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
        let mut index = CopyIndex::default();
        let reprint = format!("{WIRE} More follows.");
        for (key, text) in [(10, WIRE), (11, OTHER), (12, reprint.as_str())] {
            index.add(key, 1, signature(text), at);
        }
        assert_eq!(
            index.first_copies_among(&[10, 11, 12]),
            vec![None, None, Some(0)]
        );
        assert_eq!(
            index.first_copies_among(&[12, 11, 10]),
            vec![None, None, Some(0)],
            "the first in the order given"
        );
        assert_eq!(index.first_copies_among(&[11, 99]), vec![None, None]);
    }

    #[test]
    fn a_crowd_of_copies_keeps_buckets_bounded_and_is_still_found() {
        let at = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
        let mut index = CopyIndex::default();
        for key in 0..(3 * MAX_BUCKET as ArticleKey) {
            index.add(key, 7, signature(WIRE), at);
        }
        assert!(index.buckets.values().all(|list| list.len() <= MAX_BUCKET));
        let found = index.find(&signature(WIRE)).expect("a copy");
        assert_eq!(found.story, 7);
        assert!(
            found.article >= 2 * MAX_BUCKET as ArticleKey,
            "one of the latest"
        );
        assert!(index.find(&signature(OTHER)).is_none());
    }
}
