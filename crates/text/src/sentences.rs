//! Sentences: an article's text cut into sentences, paragraph by paragraph, so that the
//! versions of a story can be aligned sentence by sentence.
//!
//! A sentence ends at `.`, `!`, `?` or `…` (with any closing quotes and brackets after it)
//! when what follows starts a sentence, and at `。`, `！` or `？` at once; a line break ends
//! one too (list items, datelines). A full stop after an abbreviation ("Mr.", "Jan.",
//! "U.S.") or an initial ("J. Smith") ends nothing.

/// One sentence of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence<'a> {
    pub text: &'a str,
    /// Which paragraph (blank-line separated block) it is in, from 0.
    pub paragraph: usize,
    /// Its byte offset in the text.
    pub start: usize,
}

/// The sentences of `text`, in order, trimmed; empty ones are skipped.
pub fn split_sentences(text: &str) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    let mut paragraph = 0;
    let mut in_paragraph = false;
    let mut blank_run = false;
    let mut line_start = 0;
    // Lines first: a blank line ends a paragraph, any line break a sentence.
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), '\n')))
    {
        if c != '\n' {
            continue;
        }
        let line = &text[line_start..i];
        if line.trim().is_empty() {
            if in_paragraph && !blank_run {
                paragraph += 1;
                in_paragraph = false;
            }
            blank_run = true;
        } else {
            blank_run = false;
            in_paragraph = true;
            split_line(text, line_start, line, paragraph, &mut out);
        }
        line_start = i + 1;
    }
    out
}

fn split_line<'a>(
    text: &'a str,
    offset: usize,
    line: &'a str,
    paragraph: usize,
    out: &mut Vec<Sentence<'a>>,
) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let ends = match c {
            '。' | '！' | '？' => true,
            '.' | '!' | '?' | '…' => {
                // Closing quotes and brackets belong to the sentence they close.
                let mut j = i + 1;
                while j < chars.len() && is_closer(chars[j].1) {
                    j += 1;
                }
                let followed_by_start = j < chars.len()
                    && chars[j].1.is_whitespace()
                    && chars[j..]
                        .iter()
                        .find(|(_, c)| !c.is_whitespace())
                        .is_some_and(|&(_, c)| starts_sentence(c));
                let at_end = j >= chars.len();
                if (followed_by_start || at_end) && !(c == '.' && is_abbreviation(&line[start..at]))
                {
                    i = j - 1;
                    true
                } else {
                    false
                }
            }
            _ => false,
        };
        if ends {
            let end = chars.get(i + 1).map_or(line.len(), |(p, _)| *p);
            push(text, offset, &line[start..end], start, paragraph, out);
            start = end;
        }
        i += 1;
    }
    push(text, offset, &line[start..], start, paragraph, out);
}

fn push<'a>(
    text: &'a str,
    offset: usize,
    piece: &'a str,
    start: usize,
    paragraph: usize,
    out: &mut Vec<Sentence<'a>>,
) {
    let trimmed = piece.trim();
    if trimmed.is_empty() {
        return;
    }
    let lead = piece.len() - piece.trim_start().len();
    let begin = offset + start + lead;
    out.push(Sentence {
        text: &text[begin..begin + trimmed.len()],
        paragraph,
        start: begin,
    });
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '»' | '«' | '“' | ')' | ']' | '」' | '』'
    )
}

/// Whether a sentence may start with `c`: a capital, a digit, an opening quote or bracket,
/// or a letter of a script without capitals.
fn starts_sentence(c: char) -> bool {
    c.is_uppercase()
        || c.is_ascii_digit()
        || matches!(
            c,
            '"' | '\'' | '“' | '‘' | '«' | '„' | '(' | '[' | '¿' | '¡' | '—' | '–'
        )
        || (c.is_alphabetic() && !c.is_lowercase())
}

/// Whether the text before a full stop ends in an abbreviation or an initial.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return false;
    }
    // An initial ("J.") or a dotted abbreviation ("U.S", "a.m").
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 1 && word.chars().next().is_some_and(char::is_uppercase) {
        return true;
    }
    if word.contains('.') {
        return true;
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// Words written with a full stop that ends no sentence (English, and the commonest in
/// French, German and Spanish text).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt",
    "cmdr", "adm", "maj", "jr", "sr", "inc", "corp", "ltd", "co", "vs", "etc", "no", "nos", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft",
    "ave", "blvd", "rd", "fig", "approx", "dept", "univ", "rev", "hon", "pres", "mme", "mlle", "m",
    "dr", "hr", "fr", "frau", "nr", "bzw", "ca", "sra", "sr", "srta", "vd", "dra", "av",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[&str]) {
        let got: Vec<&str> = split_sentences(text).iter().map(|s| s.text).collect();
        assert_eq!(got, expected, "{text:?}");
    }

    #[test]
    fn splits_at_terminators_that_start_a_sentence() {
        check(
            "The wall fell. Nobody was hurt! Was it the storm? Engineers think so…",
            &[
                "The wall fell.",
                "Nobody was hurt!",
                "Was it the storm?",
                "Engineers think so…",
            ],
        );
        check(
            "Prices rose 3.5 percent. Then fell.",
            &["Prices rose 3.5 percent.", "Then fell."],
        );
        check(
            "He said it was fine. he was wrong",
            &["He said it was fine. he was wrong"],
        );
    }

    #[test]
    fn abbreviations_and_initials_end_nothing() {
        check(
            "Mr. Brandvold met Dr. Keszler in the U.S. Capitol on Jan. 4. They spoke.",
            &[
                "Mr. Brandvold met Dr. Keszler in the U.S. Capitol on Jan. 4.",
                "They spoke.",
            ],
        );
        check(
            "The report by J. R. Ostrander came out. It was long.",
            &["The report by J. R. Ostrander came out.", "It was long."],
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        check(
            "“We will rebuild.” The mayor said so. She added: \"Soon!\" (It rained.) Then it stopped.",
            &[
                "“We will rebuild.”",
                "The mayor said so.",
                "She added: \"Soon!\"",
                "(It rained.)",
                "Then it stopped.",
            ],
        );
    }

    #[test]
    fn paragraphs_and_lines_are_counted() {
        let s = split_sentences("One. Two.\n\n\nThree\nFour.\n\nFive.");
        let got: Vec<(&str, usize)> = s.iter().map(|s| (s.text, s.paragraph)).collect();
        assert_eq!(
            got,
            [
                ("One.", 0),
                ("Two.", 0),
                ("Three", 1),
                ("Four.", 1),
                ("Five.", 2)
            ]
        );
        let text = "One. Two.";
        assert!(split_sentences(text)
            .iter()
            .all(|s| &text[s.start..s.start + s.text.len()] == s.text));
    }

    #[test]
    fn chinese_and_japanese_end_at_their_own_marks() {
        check(
            "港口的墙倒塌了。没有人受伤！",
            &["港口的墙倒塌了。", "没有人受伤！"],
        );
    }

    #[test]
    fn odd_text_does_not_panic() {
        for text in [
            "",
            ".",
            "...",
            "\n\n\n",
            "“”.",
            "a.b.c.d. E",
            "…!?。",
            "Mr.",
            " . . ",
        ] {
            let _ = split_sentences(text);
        }
    }
}
