//! Word shingles and MinHash signatures: how much of one text is another's, estimated from a
//! few hundred bytes per text (Broder 1997), for finding wire copy, reprints and truncated
//! versions among thousands of articles.

/// Words per shingle: five words in a row are rare enough that two texts sharing many of
/// them share the passage, not just the topic.
pub const SHINGLE_WORDS: usize = 5;

/// Hashes in a signature.
pub const SIGNATURE_LEN: usize = 128;

/// The distinct hashes of a text's `SHINGLE_WORDS`-word shingles, over lower-cased words of
/// letters and digits (punctuation and case do not make two copies differ). A text shorter
/// than one shingle is one shingle of all its words.
pub fn shingles(text: &str) -> Vec<u64> {
    let mut words: Vec<u64> = Vec::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if word.is_ascii() || !word.chars().any(crate::is_cjk) {
            words.push(word_hash(word));
            continue;
        }
        // Chinese and Japanese write no spaces: each character counts as a word, so that
        // a lightly edited copy still shares most of its shingles.
        let mut rest = word;
        while let Some(c) = rest.chars().next() {
            let end = if crate::is_cjk(c) {
                c.len_utf8()
            } else {
                rest.find(crate::is_cjk).unwrap_or(rest.len())
            };
            words.push(word_hash(&rest[..end]));
            rest = &rest[end..];
        }
    }
    if words.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<u64> = words
        .windows(SHINGLE_WORDS.min(words.len()))
        .map(|w| {
            w.iter()
                .fold(0xcbf2_9ce4_8422_2325u64, |h, &x| mix(h.rotate_left(17) ^ x))
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// FNV-1a over the word's lower-cased characters, then mixed: the same for "Said", "said".
fn word_hash(word: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    let mut step = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    if word.is_ascii() {
        word.bytes().for_each(|b| step(b.to_ascii_lowercase()));
    } else {
        for c in word.chars().flat_map(char::to_lowercase) {
            let mut buf = [0u8; 4];
            c.encode_utf8(&mut buf).bytes().for_each(&mut step);
        }
    }
    mix(h)
}

/// SplitMix64's finaliser: every input bit moves every output bit.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A text's MinHash signature, by one-permutation hashing with optimal densification (Li,
/// Owen and Zhang 2012; Shrivastava 2017): each shingle's hash picks one of `SIGNATURE_LEN`
/// bins and the bin keeps the least; an empty bin borrows the value of a bin chosen by a
/// fixed hash of its position. Two signatures agree at a position with probability equal to
/// the Jaccard similarity of the shingle sets, as with `SIGNATURE_LEN` separate hash
/// functions, for one hash per shingle instead of `SIGNATURE_LEN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub mins: [u32; SIGNATURE_LEN],
    /// How many distinct shingles the text has: with two sizes and the Jaccard estimate,
    /// how much of each text the other contains.
    pub shingles: u32,
}

impl Signature {
    /// `None` for a text without words.
    pub fn of(text: &str) -> Option<Signature> {
        let shingles = shingles(text);
        if shingles.is_empty() {
            return None;
        }
        let bits = SIGNATURE_LEN.trailing_zeros();
        let mut bins = [None::<u32>; SIGNATURE_LEN];
        for &h in &shingles {
            let bin = (h >> (64 - bits)) as usize;
            let value = h as u32;
            bins[bin] = Some(bins[bin].map_or(value, |v| v.min(value)));
        }
        let mut mins = [0u32; SIGNATURE_LEN];
        for (i, min) in mins.iter_mut().enumerate() {
            *min = match bins[i] {
                Some(v) => v,
                // At least one bin is full, so the search ends; the donor sequence depends
                // only on the position, so two texts borrow alike.
                None => (0u64..)
                    .find_map(|attempt| {
                        let j = mix((i as u64) << 32 | attempt) as usize % SIGNATURE_LEN;
                        bins[j]
                    })
                    .unwrap_or(0),
            };
        }
        Some(Signature {
            mins,
            shingles: shingles.len() as u32,
        })
    }

    /// Estimated Jaccard similarity of the two texts' shingle sets.
    pub fn jaccard(&self, other: &Signature) -> f64 {
        let same = self
            .mins
            .iter()
            .zip(&other.mins)
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / SIGNATURE_LEN as f64
    }

    /// Estimated share of this text's shingles that the other text has too: a truncated
    /// version is wholly contained in its full text though their Jaccard is low.
    pub fn contained_in(&self, other: &Signature) -> f64 {
        let j = self.jaccard(other);
        let (a, b) = (f64::from(self.shingles), f64::from(other.shingles));
        (j * (a + b) / ((1.0 + j) * a)).min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The harbour wall of Port Aldane collapsed overnight after a week of \
        storms, flooding the fish market and cutting the coast road, the town council said on \
        Tuesday. Engineers warned in March that the wall needed repairs the council could not \
        pay for. Nobody was hurt, but forty boats were damaged and the market will stay shut \
        for a month while the sea wall is rebuilt with money from the regional fund.";

    #[test]
    fn shingles_ignore_case_and_punctuation() {
        assert_eq!(
            shingles("The wall, of Port Aldane, collapsed today!"),
            shingles("the wall of port aldane collapsed today")
        );
        assert_eq!(shingles("one two three").len(), 1);
        assert!(shingles(" ,.; ").is_empty());
    }

    #[test]
    fn copies_are_near_and_other_texts_far() {
        let story = Signature::of(STORY).unwrap();
        let reprint = Signature::of(&STORY.replace("on Tuesday", "on Tuesday evening")).unwrap();
        assert!(story.jaccard(&reprint) > 0.7, "{}", story.jaccard(&reprint));
        assert_eq!(story.jaccard(&story), 1.0);
        let other = Signature::of(
            "Ash covered villages on Isla Verde as the volcano erupted for the first time in \
             forty years, forcing the evacuation of three thousand people from the slopes.",
        )
        .unwrap();
        assert!(story.jaccard(&other) < 0.05);
    }

    #[test]
    fn chinese_copies_with_an_edit_are_near() {
        let text = "港口城市昨夜发生强烈地震，多座房屋倒塌，当地政府正在组织救援，目前已有数百人被转移到安全地带。";
        let edited = text.replace("数百人", "三百多人");
        let (a, b) = (
            Signature::of(text).unwrap(),
            Signature::of(&edited).unwrap(),
        );
        assert!(a.jaccard(&b) > 0.5, "{}", a.jaccard(&b));
        assert_eq!(shingles("东京 地震"), shingles("东京地震"));
    }

    #[test]
    fn a_truncated_version_is_contained_in_the_full_one() {
        let cut = &STORY[..STORY.len() / 2];
        let (cut, full) = (Signature::of(cut).unwrap(), Signature::of(STORY).unwrap());
        assert!(cut.jaccard(&full) < 0.7);
        assert!(cut.contained_in(&full) > 0.8, "{}", cut.contained_in(&full));
        assert!(full.contained_in(&cut) < 0.7);
    }
}
