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
                let jaccard = signature.jaccard(&entry.signature);
                let containment = signature
                    .contained_in(&entry.signature)
                    .max(entry.signature.contained_in(signature));
                (jaccard >= COPY_JACCARD || containment >= COPY_CONTAINMENT).then_some(Copy {
                    article: key,
                    story: entry.story,
                    jaccard,
                    containment,
                })
            })
            .collect()
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
            self.buckets.entry(band).or_default().push(article);
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
