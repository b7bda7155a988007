//! How text is cut into search terms: words split at punctuation and spaces, except that a
//! run of Chinese, Japanese or Korean characters (written without spaces) becomes its
//! overlapping pairs of characters, so that any word of two or more characters inside it
//! is found. Lower-casing, accent folding and stemming follow as tantivy filters.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};

/// The name the index's text fields give their analyzer.
pub(crate) const ANALYZER: &str = "parallax";

pub(crate) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordsAndPairs)
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Han, kana and hangul: scripts that do not put spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // hiragana, katakana
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xAC00..=0xD7AF // hangul syllables
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0x20000..=0x2FFFF)
}

#[derive(Clone, Default)]
pub(crate) struct WordsAndPairs;

pub(crate) struct Tokens {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for WordsAndPairs {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        let mut tokens = Vec::new();
        let mut push = |from: usize, to: usize| {
            tokens.push(Token {
                offset_from: from,
                offset_to: to,
                position: tokens.len(),
                text: text[from..to].to_string(),
                position_length: 1,
            });
        };
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let end_of = |k: usize| chars.get(k).map_or(text.len(), |(o, _)| *o);
        let mut k = 0;
        while k < chars.len() {
            let (start, c) = chars[k];
            if !c.is_alphanumeric() {
                k += 1;
                continue;
            }
            let cjk = is_cjk(c);
            let mut e = k + 1;
            while e < chars.len() && chars[e].1.is_alphanumeric() && is_cjk(chars[e].1) == cjk {
                e += 1;
            }
            if !cjk || e - k == 1 {
                push(start, end_of(e));
            } else {
                for (p, (from, _)) in chars.iter().enumerate().take(e - 1).skip(k) {
                    push(*from, end_of(p + 2));
                }
            }
            k = e;
        }
        Tokens { tokens, next: 0 }
    }
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut analyzer = analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn words_are_folded_and_stemmed() {
        assert_eq!(
            terms("Zürich's Mayors, voting!"),
            ["zurich", "s", "mayor", "vote"]
        );
        assert_eq!(terms("São Paulo"), ["sao", "paulo"]);
    }

    #[test]
    fn cjk_runs_become_pairs_and_latin_inside_stays_a_word() {
        assert_eq!(terms("东京都知事"), ["东京", "京都", "都知", "知事"]);
        assert_eq!(terms("在Tokyo举行"), ["在", "tokyo", "举行"]);
        assert_eq!(terms("한"), ["한"]);
        assert!(terms("").is_empty());
    }
}
