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
    let words = word_hashes(text);
    if words.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<u64> = shingle_hashes(&words).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The hash of each run of `SHINGLE_WORDS` words (of all of them, if fewer), repeats kept.
/// The word hashes are already uniform, so each is turned by its place in the run and the
/// run is mixed once: the same run always hashes alike, and a reordered one does not.
fn shingle_hashes(words: &[u64]) -> impl Iterator<Item = u64> + '_ {
    words
        .windows(SHINGLE_WORDS.min(words.len()).max(1))
        .map(|w| match *w {
            [a, b, c, d, e] => mix(FNV_OFFSET
                ^ a
                ^ b.rotate_left(13)
                ^ c.rotate_left(26)
                ^ d.rotate_left(39)
                ^ e.rotate_left(52)),
            _ => mix(w
                .iter()
                .zip((0..).step_by(13))
                .fold(FNV_OFFSET, |h, (&x, turn)| h ^ x.rotate_left(turn))),
        })
}

/// The hash of each word of `text` in order (of each character, in Chinese and Japanese).
fn word_hashes(text: &str) -> Vec<u64> {
    let mut words: Vec<u64> = Vec::with_capacity(text.len() / 5);
    // Words are the runs of letters and digits. A character is decoded only where a byte is
    // not ASCII: nearly every word of a Latin-script text is ASCII, and its bytes are read
    // one comparison each.
    let bytes = text.as_bytes();
    let decode = |i: usize| {
        let c = text[i..]
            .chars()
            .next()
            .unwrap_or(char::REPLACEMENT_CHARACTER);
        (c.is_alphanumeric(), c.len_utf8())
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if !b.is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
        } else {
            let (alphanumeric, len) = decode(i);
            if !alphanumeric {
                i += len;
                continue;
            }
        }
        let (start, mut ascii) = (i, true);
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_alphanumeric() {
                i += 1;
            } else if b.is_ascii() {
                break;
            } else {
                match decode(i) {
                    (true, len) => {
                        ascii = false;
                        i += len;
                    }
                    (false, _) => break,
                }
            }
        }
        if ascii {
            words.push(ascii_word_hash(&bytes[start..], i - start));
        } else {
            push_word(&mut words, &text[start..i], false);
        }
    }
    words
}

/// `word_hash` of the ASCII word made of the first `len` bytes of `from`, read eight bytes
/// at a time where the text goes on that far (a word is mostly shorter than eight).
fn ascii_word_hash(from: &[u8], len: usize) -> u64 {
    let mut h = FNV_OFFSET ^ len as u64;
    let mut k = 0;
    while k < len {
        let n = (len - k).min(8);
        let x = match from[k..].first_chunk::<8>() {
            Some(eight) => u64::from_le_bytes(*eight) & (u64::MAX >> (64 - 8 * n)),
            None => from[k..k + n]
                .iter()
                .rev()
                .fold(0u64, |x, &b| x << 8 | u64::from(b)),
        };
        h = mix(h ^ (x | LOWER_ASCII));
        k += 8;
    }
    h
}

/// Setting bit 5 of each byte lower-cases an ASCII letter and leaves a digit as it is.
const LOWER_ASCII: u64 = 0x2020_2020_2020_2020;

/// Pushes the hash of one word (`ascii`: all its characters are), or of each of its
/// characters where it is Chinese or Japanese.
fn push_word(words: &mut Vec<u64>, word: &str, ascii: bool) {
    if ascii || !word.chars().any(crate::is_cjk) {
        words.push(word_hash(word));
        return;
    }
    // Chinese and Japanese write no spaces: each character counts as a word, so that a
    // lightly edited copy still shares most of its shingles.
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

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv_step(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
}

/// A 64-bit hash of a string, for callers that key a large table by it: among a million
/// strings, two share a key with odds of about one in 2^25.
pub fn string_key(s: &str) -> u64 {
    chunk_hash(s.as_bytes(), 0)
}

/// The bytes eight at a time, each `or`ed with `mask`, each step a bijection seeded with the
/// length: no two strings of up to eight bytes collide.
fn chunk_hash(bytes: &[u8], mask: u64) -> u64 {
    let mut h = FNV_OFFSET ^ bytes.len() as u64;
    for chunk in bytes.chunks(8) {
        // Byte by byte rather than through a buffer: most words are shorter than eight
        // bytes, and a copy of a length known only at run time is a call to `memcpy`.
        let x = chunk.iter().rev().fold(0u64, |x, &b| x << 8 | u64::from(b));
        h = mix(h ^ (x | mask));
    }
    h
}

/// The hash of a word of letters and digits, the same for "Said" and "said". An ASCII word
/// is hashed eight bytes at a time, lower-cased by `LOWER_ASCII`; any other, by FNV-1a over
/// its lower-cased characters.
fn word_hash(word: &str) -> u64 {
    if word.is_ascii() {
        return chunk_hash(word.as_bytes(), LOWER_ASCII);
    }
    let mut h = FNV_OFFSET;
    for c in word.chars().flat_map(char::to_lowercase) {
        let mut buf = [0u8; 4];
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            h = fnv_step(h, b);
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
        let words = word_hashes(text);
        if words.is_empty() {
            return None;
        }
        let bits = SIGNATURE_LEN.trailing_zeros();
        let mut bins = [None::<u32>; SIGNATURE_LEN];
        // Repeated shingles leave the minima as they are, but the count is of distinct ones:
        // an open-addressed set of the hashes (already uniform) counts them without the
        // sort that `shingles` needs.
        let slots = (words.len() * 2).next_power_of_two();
        let mut seen = vec![0u64; slots];
        let mut distinct = 0u32;
        let mut zero_seen = false;
        for h in shingle_hashes(&words) {
            let bin = (h >> (64 - bits)) as usize;
            let value = h as u32;
            bins[bin] = Some(bins[bin].map_or(value, |v| v.min(value)));
            // 0 marks an empty slot, so the hash 0 is counted on its own.
            if h == 0 {
                distinct += u32::from(!zero_seen);
                zero_seen = true;
                continue;
            }
            let mut slot = h as usize & (slots - 1);
            loop {
                match seen[slot] {
                    0 => {
                        seen[slot] = h;
                        distinct += 1;
                        break;
                    }
                    x if x == h => break,
                    _ => slot = (slot + 1) & (slots - 1),
                }
            }
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
            shingles: distinct,
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
    fn words_read_in_one_pass_hash_as_each_word_alone() {
        for text in [
            "The wall, of Port Aldane, collapsed today!",
            "Café OLÉ naïve—Straße 1990s; İstanbul ǅemal ﬁne",
            "iPhone发布会在东京举行 and Ünïcödé: x²y ٣٤ Ⅻ",
            "  ",
            "a",
            "trailing word",
            "Extraordinarily long INTERNATIONALISATION",
            "eightchr eightchr9 sixteen-letters1234567890abcdefghij",
            "العربية עברית ελληνικά русский",
            "e\u{301}tude combining\u{308} marks",
        ] {
            let mut one_by_one = Vec::new();
            for word in text.split(|c: char| !c.is_alphanumeric()) {
                if !word.is_empty() {
                    push_word(&mut one_by_one, word, false);
                }
            }
            assert_eq!(word_hashes(text), one_by_one, "{text}");
        }
    }

    #[test]
    fn a_signature_counts_each_distinct_shingle_once() {
        let repeated = format!("{STORY} {STORY} {STORY}");
        for text in [STORY, &repeated, "one two three", "a b c d e f a b c d e f"] {
            let signature = Signature::of(text).unwrap();
            assert_eq!(signature.shingles as usize, shingles(text).len(), "{text}");
        }
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
