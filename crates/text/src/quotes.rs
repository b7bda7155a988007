//! Direct quotations in an article's text and who said them.
//!
//! Quotes are found between straight or curly double quotes, British single quotes,
//! «guillemets» (either way round) and German „…“ marks; a quote left open at the end of a
//! paragraph goes on when the next paragraph opens with a quote mark, as the convention is.
//! The speaker is read from the sentence around the quote: after it ("…," X said; "…," said
//! X; "…," X told reporters), before it (X said: "…"; according to X, "…"), a pronoun taken
//! to mean the last person named as a speaker, and a quote with no speaker of its own that
//! follows one in the same or the next paragraph continues it. A title ("the president")
//! is kept as written. Short quoted phrases with no speaker (a scare quote, a slogan, a
//! title) are left out.

/// One quotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The words quoted, without the marks (paragraphs joined by a space).
    pub text: String,
    /// Byte range of the quote in the text, marks included.
    pub start: usize,
    pub end: usize,
    pub speaker: Option<String>,
    /// Quoted words inside a sentence of the writer's (`called the claims "false"`), not a
    /// sentence or more of speech.
    pub partial: bool,
}

/// Quotes longer than this are a misread (a mark left open), not speech.
const MAX_QUOTE_BYTES: usize = 3000;
/// A quote with no speaker has at least this many words, else it is a scare quote or a
/// title.
const MIN_UNATTRIBUTED_WORDS: usize = 5;

/// Every quotation of `text`, in order.
pub fn find_quotes(text: &str) -> Vec<Quote> {
    let spans = quote_spans(text);
    let mut out: Vec<Quote> = Vec::new();
    let mut last_speaker: Option<(String, usize)> = None;
    for (start, end, inner) in spans {
        let inner_text = inner.trim();
        let words = inner_text.split_whitespace().count();
        if words == 0 {
            continue;
        }
        let sentence_start = sentence_start(text, start);
        let sentence_end = sentence_end(text, end);
        let before = &text[sentence_start..start];
        // A quote that ends its sentence ("…expected.” She added…") has nothing after it.
        let ended_inside = inner.trim_end().ends_with(['.', '!', '?'])
            && text[end..]
                .trim_start()
                .chars()
                .next()
                .is_none_or(char::is_uppercase);
        let after = if ended_inside {
            ""
        } else {
            &text[end..sentence_end]
        };
        let mut speaker = speaker_after(after)
            .or_else(|| speaker_before(before))
            .map(|s| resolve(s, last_speaker.as_ref().map(|(n, _)| n.as_str())));
        let partial = is_partial(before, inner_text, after);
        let paragraph = paragraph_of(text, start);
        if speaker.is_none() && !partial {
            // A quote that is a sentence of its own goes on with the last speaker, within
            // the paragraph or the next.
            if let Some((name, p)) = &last_speaker {
                if paragraph <= p + 1 && !mentions_another_name(before, after) {
                    speaker = Some(name.clone());
                }
            }
        }
        if speaker.is_none() && words < MIN_UNATTRIBUTED_WORDS {
            continue;
        }
        if let Some(s) = speaker.as_ref().filter(|s| !is_pronoun(s)) {
            last_speaker = Some((s.clone(), paragraph));
        }
        out.push(Quote {
            text: inner_text
                .trim_end_matches([',', ' '])
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            start,
            end,
            speaker,
            partial,
        });
    }
    out
}

/// (start, end, inner) of each balanced quote, marks included in start..end.
fn quote_spans(text: &str) -> Vec<(usize, usize, String)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let prev = i.checked_sub(1).map(|p| chars[p].1);
        let closer = match c {
            '“' => Some(&['”', '“'][..]),
            '"' if opens(prev) => Some(&['"'][..]),
            '«' => Some(&['»'][..]),
            '»' if opens(prev) => Some(&['«'][..]),
            '„' => Some(&['“', '”'][..]),
            '‘' if opens(prev) => Some(&['’'][..]),
            _ => None,
        };
        let Some(closers) = closer else {
            i += 1;
            continue;
        };
        // The closing mark: for ’ one not inside a word (an apostrophe is).
        let mut inner = String::new();
        let mut j = i + 1;
        let mut found = None;
        while j < chars.len() && chars[j].0 - at <= MAX_QUOTE_BYTES {
            let (_, d) = chars[j];
            if closers.contains(&d) && !(d == '’' && is_letter_at(&chars, j + 1)) {
                found = Some(j);
                break;
            }
            if d == '\n' {
                // A paragraph break: the quote goes on only if the next paragraph opens
                // with a quote mark.
                let mut k = j;
                while k < chars.len() && chars[k].1.is_whitespace() {
                    k += 1;
                }
                if k < chars.len() && chars[k].1 == c && k > j + 1 {
                    inner.push(' ');
                    j = k + 1;
                    continue;
                }
                break;
            }
            inner.push(d);
            j += 1;
        }
        match found {
            Some(j) => {
                let end = chars[j].0 + chars[j].1.len_utf8();
                out.push((at, end, inner));
                i = j + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// Whether a straight or single quote mark after `prev` opens a quote (it follows a space,
/// the start, or an opening bracket or dash).
fn opens(prev: Option<char>) -> bool {
    prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | '—' | '–' | ':' | '-'))
}

fn is_letter_at(chars: &[(usize, char)], i: usize) -> bool {
    chars.get(i).is_some_and(|(_, c)| c.is_alphabetic())
}

fn sentence_start(text: &str, at: usize) -> usize {
    // The sentence a quote sits in began after the last sentence end before it; a
    // paragraph break ends a sentence too, a title's full stop ("Sen.") does not.
    let mut before = &text[..at];
    loop {
        match before.rfind(['.', '!', '?', '\n']) {
            Some(p) if text.as_bytes()[p] == b'.' && is_abbreviation_dot(&text[..p]) => {
                before = &text[..p];
            }
            Some(p) => return p + 1,
            None => return 0,
        }
    }
}

fn sentence_end(text: &str, at: usize) -> usize {
    let mut from = at;
    loop {
        match text[from..].find(['.', '!', '?', '\n', '“', '"', '«', '„']) {
            Some(p)
                if text.as_bytes()[from + p] == b'.' && is_abbreviation_dot(&text[..from + p]) =>
            {
                from += p + 1;
            }
            Some(p) => return from + p,
            None => return text.len(),
        }
    }
}

/// Whether a full stop after `before` belongs to an abbreviation: a title ("Sen"), an
/// initial ("J") or a dotted one ("U.S").
fn is_abbreviation_dot(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    is_title_abbreviation(before)
        || (word.chars().count() == 1 && word.chars().all(char::is_uppercase))
        || (word.contains('.') && word.chars().any(char::is_uppercase))
}

fn paragraph_of(text: &str, at: usize) -> usize {
    text[..at].matches("\n\n").count()
}

/// Verbs of saying, in the languages whose quotes are most often read here.
#[rustfmt::skip]
const SAYING: &[&str] = &[
    "said", "says", "told", "tells", "added", "adds", "asked", "explained", "wrote", "writes",
    "stated", "warned", "insisted", "argued", "noted", "replied", "declared", "announced",
    "tweeted", "posted", "commented", "continued", "urged", "claimed", "admitted", "recalled",
    "acknowledged", "suggested", "conceded", "shouted", "cried", "remarked", "testified",
    // Verbs that bring in a partial quote: X called the offer "an insult".
    "called", "described", "branded",
    "sagte", "sagt", "erklärte", "betonte", "dijo", "afirmó", "declaró", "explicó", "dit",
    "déclaré", "affirmé", "expliqué", "ajouté",
];

fn is_saying(word: &str) -> bool {
    let w = word
        .trim_matches(|c: char| !c.is_alphabetic())
        .to_lowercase();
    SAYING.contains(&w.as_str())
}

fn is_pronoun(s: &str) -> bool {
    matches!(
        s.to_lowercase().as_str(),
        "he" | "she" | "they" | "i" | "we" | "er" | "sie"
    )
}

/// A pronoun speaker becomes the last named speaker.
fn resolve(speaker: String, last: Option<&str>) -> String {
    match last {
        Some(name) if is_pronoun(&speaker) => name.to_string(),
        _ => speaker,
    }
}

/// The words of a span.
fn words_of(s: &str) -> Vec<&str> {
    s.split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == ':')
        .filter(|w| !w.is_empty())
        .collect()
}

/// A phrase up to the first break: a comma, a full stop, a bracket, a dash, or a relative
/// clause ("…, who runs a café").
fn phrase_until_break(s: &str) -> &str {
    let s = s.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | ';'));
    let mut end = s.len();
    for (i, c) in s.char_indices() {
        let stops = match c {
            ',' | ';' | ':' | '(' | '—' | '–' | '!' | '?' => true,
            // "Sen. Mitch McConnell": a title's full stop ends nothing.
            '.' => !is_title_abbreviation(&s[..i]),
            _ => false,
        };
        if stops {
            end = i;
            break;
        }
    }
    for clause in [
        " who ", " which ", " whose ", " when ", " as ", " after ", " before ",
    ] {
        if let Some(p) = s[..end].find(clause) {
            end = p;
        }
    }
    s[..end].trim()
}

/// Whether text ends with a title written with a full stop ("Sen", "Dr").
fn is_title_abbreviation(before: &str) -> bool {
    let word = before.rsplit(char::is_whitespace).next().unwrap_or("");
    matches!(
        word,
        "Sen"
            | "Rep"
            | "Gov"
            | "Gen"
            | "Lt"
            | "Col"
            | "Sgt"
            | "Capt"
            | "Mr"
            | "Mrs"
            | "Ms"
            | "Dr"
            | "Prof"
            | "St"
            | "Jr"
            | "Sr"
            | "Rev"
            | "Adm"
            | "Maj"
            | "Cmdr"
            | "Pres"
    )
}

/// Words that open a sentence or set a time without naming anyone: "Later Monday Trump"
/// names Trump.
fn is_time_or_opener(w: &str) -> bool {
    matches!(
        w.trim_matches(|c: char| !c.is_alphanumeric()),
        "Monday"
            | "Tuesday"
            | "Wednesday"
            | "Thursday"
            | "Friday"
            | "Saturday"
            | "Sunday"
            | "January"
            | "February"
            | "March"
            | "April"
            | "May"
            | "June"
            | "July"
            | "August"
            | "September"
            | "October"
            | "November"
            | "December"
            | "Later"
            | "Late"
            | "Earlier"
            | "Early"
            | "Still"
            | "Meanwhile"
            | "Also"
            | "But"
            | "And"
            | "On"
            | "In"
            | "At"
            | "Then"
            | "Now"
            | "Yesterday"
            | "Today"
            | "Tonight"
            | "Last"
            | "This"
            | "Separately"
            | "However"
    )
}

fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

const PARTICLES: &[&str] = &[
    "de", "van", "von", "der", "al", "bin", "da", "del", "di", "le",
];

/// The last run of capitalised words of a phrase, as a name: leading times and sentence
/// openers, articles and particles dropped; a lone capitalised first word is not a name.
fn name_run(phrase: &str) -> Option<String> {
    let words: Vec<&str> = phrase
        .split_whitespace()
        .map(|w| w.trim_end_matches(','))
        .collect();
    if words.is_empty() || words.len() > 8 {
        return None;
    }
    let mut end = words.len();
    while end > 0 && !is_capitalised(words[end - 1]) {
        end -= 1;
    }
    if end == 0 {
        return None;
    }
    let mut start = end - 1;
    while start > 0 && (is_capitalised(words[start - 1]) || PARTICLES.contains(&words[start - 1])) {
        start -= 1;
    }
    let run: Vec<&str> = words[start..end]
        .iter()
        .copied()
        .skip_while(|w| {
            is_time_or_opener(w)
                || PARTICLES.contains(w)
                || matches!(*w, "The" | "A" | "An" | "Le" | "La" | "Der" | "Die" | "El")
        })
        .collect();
    // A sentence's first word is capitalised without being a name.
    let skipped = end - start - run.len();
    let sentence_opener = run.len() == 1 && start + skipped == 0 && words.len() > 1;
    if run.is_empty() || sentence_opener {
        return None;
    }
    Some(clean(&run.join(" ")))
}

/// The speaker a phrase names: its last run of capitalised words ("RTU leader Hanne Brix"
/// gives "Hanne Brix"; "Mayor Ines Carvalho" stays whole), else a pronoun, else the phrase
/// as written, a title ("the harbour master").
fn speaker_in(phrase: &str) -> Option<String> {
    // An appositive ("Rudy Giuliani, Trump's lawyer," / "the agency's director, Paul
    // Whitcombe,"): the first part that holds a name is the speaker.
    let parts: Vec<&str> = phrase
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1 {
        for part in &parts {
            if let Some(name) = name_run(part) {
                return Some(name);
            }
        }
    }
    let words: Vec<&str> = phrase.split_whitespace().collect();
    if words.is_empty() || words.len() > 8 {
        return None;
    }
    if let Some(name) = name_run(phrase) {
        return Some(name);
    }
    if is_pronoun(words[0]) && words.len() == 1 {
        return Some(clean(words[0]));
    }
    // "His agency also said": the adverb is not part of the title.
    let mut words = words;
    while words.len() > 1
        && matches!(
            *words.last().unwrap_or(&""),
            "also"
                | "further"
                | "later"
                | "then"
                | "again"
                | "previously"
                | "separately"
                | "had"
                | "has"
                | "have"
                | "once"
                | "recently"
        )
    {
        words.pop();
    }
    let lower = words[0].to_lowercase();
    let titled = matches!(
        lower.as_str(),
        "the"
            | "a"
            | "an"
            | "his"
            | "her"
            | "their"
            | "its"
            | "le"
            | "la"
            | "les"
            | "der"
            | "die"
            | "el"
    );
    (titled && words.len() >= 2).then(|| clean(&words.join(" ")))
}

/// "…," X said / said X / X told reporters / she added / a dit X.
fn speaker_after(after: &str) -> Option<String> {
    let phrase = phrase_until_break(after);
    let words: Vec<&str> = phrase.split_whitespace().collect();
    let first = *words.first()?;
    if is_saying(first) {
        // Past the verb's letters (the word as split may carry marks before it).
        let rest = after.trim_start_matches(|c: char| !c.is_alphabetic());
        let verb_end = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        return speaker_in(phrase_until_break(&rest[verb_end..]));
    }
    if words.len() > 2 && matches!(first, "a" | "ont") && is_saying(words[1]) {
        return speaker_in(&words[2..].join(" "));
    }
    // X said, where X may run over commas: "the agency's director, Paul Whitcombe, said".
    let words: Vec<&str> = after.split_whitespace().take(9).collect();
    let verb = words.iter().position(|w| is_saying(w))?;
    speaker_in(&words[..verb].join(" "))
}

/// X said: "…" / according to X, "…".
fn speaker_before(before: &str) -> Option<String> {
    for opener in ["according to ", "selon ", "según ", "laut "] {
        // Found in the text itself: lower-casing may change lengths ("İ"), so an offset
        // into a lower-cased copy is not one into the text.
        let found = before.char_indices().rev().map(|(p, _)| p).find(|&p| {
            before
                .get(p..p + opener.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(opener))
        });
        if let Some(p) = found {
            return speaker_in(phrase_until_break(&before[p + opener.len()..]));
        }
    }
    let words = words_of(before);
    let verb = words.iter().rposition(|w| is_saying(w))?;
    // The subject ends at the verb and starts after a clause opener.
    let mut first = verb;
    while first > 0 && verb - first < 6 {
        let w = words[first - 1];
        if w.ends_with('.')
            || matches!(
                w.to_lowercase().as_str(),
                "and" | "but" | "as" | "while" | "when" | "who" | "that"
            )
        {
            break;
        }
        first -= 1;
    }
    speaker_in(&words[first..verb].join(" "))
}

fn clean(s: &str) -> String {
    s.trim_matches(|c: char| !c.is_alphanumeric()).to_string()
}

/// Whether a quote is words inside the writer's sentence: the sentence has words of its own
/// on both sides, or the quote is short and follows running text with no colon.
fn is_partial(before: &str, inner: &str, after: &str) -> bool {
    let before = before.trim();
    let after_words = words_of(after);
    let starts_sentence = before.is_empty() || before.ends_with(':');
    if starts_sentence {
        return false;
    }
    // X said "…". with nothing after the quote is a full quote introduced by its speaker.
    let introduced = words_of(before).last().is_some_and(|w| is_saying(w));
    if introduced && inner.split_whitespace().count() >= 4 {
        return false;
    }
    !after_words.is_empty() || !inner.ends_with(['.', '!', '?'])
}

/// Whether the sentence around a quote names someone (a capitalised word mid-sentence):
/// then the quote is not simply the last speaker's.
fn mentions_another_name(before: &str, after: &str) -> bool {
    let mentions = |s: &str| {
        words_of(s)
            .iter()
            .skip(1)
            .any(|w| w.chars().next().is_some_and(char::is_uppercase))
    };
    mentions(before) || mentions(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[(&str, Option<&str>)]) {
        let got: Vec<(String, Option<String>)> = find_quotes(text)
            .into_iter()
            .map(|q| (q.text, q.speaker))
            .collect();
        let expected: Vec<(String, Option<String>)> = expected
            .iter()
            .map(|(t, s)| (t.to_string(), s.map(str::to_string)))
            .collect();
        assert_eq!(got, expected, "{text}");
    }

    #[test]
    fn speakers_after_the_quote() {
        check(
            "“The surge came faster than any of us expected,” Carvalho told reporters.",
            &[(
                "The surge came faster than any of us expected",
                Some("Carvalho"),
            )],
        );
        check(
            "\"We warned about that wall for years,\" said Joana Reis, who runs a café.",
            &[("We warned about that wall for years", Some("Joana Reis"))],
        );
        check(
            "“We did not want this strike,” said RTU leader Hanne Brix (pictured).",
            &[("We did not want this strike", Some("Hanne Brix"))],
        );
        check(
            "“This government is falling apart,” Homeland leader Rafe Dorn said on Friday.",
            &[("This government is falling apart", Some("Rafe Dorn"))],
        );
        check(
            "“We will vote next week,” said Sen. Mitch McConnell, R-Ky.",
            &[("We will vote next week", Some("Sen. Mitch McConnell"))],
        );
        check(
            "“The case is closed,” Rudy Giuliani, Trump’s lawyer, said late on Sunday.",
            &[("The case is closed", Some("Rudy Giuliani"))],
        );
        check(
            "“It’s a good deal for both sides,” Later Monday Trump told reporters.",
            &[("It’s a good deal for both sides", Some("Trump"))],
        );
        check(
            "‘It will be rebuilt within a year,’ the harbour master said.",
            &[(
                "It will be rebuilt within a year",
                Some("the harbour master"),
            )],
        );
    }

    #[test]
    fn speakers_before_the_quote_and_according_to() {
        check(
            "Mayor Ines Carvalho said: “Nobody should go near the quay tonight.”",
            &[(
                "Nobody should go near the quay tonight.",
                Some("Mayor Ines Carvalho"),
            )],
        );
        check(
            "According to Tomas Vell, “forty boats are damaged beyond repair.”",
            &[("forty boats are damaged beyond repair.", Some("Tomas Vell"))],
        );
    }

    #[test]
    fn pronouns_and_following_quotes_keep_the_last_speaker() {
        check(
            "“We did not want this strike,” said Hanne Brix. “Management left us no choice.”\n\n“We will be back on Monday,” she added.",
            &[
                ("We did not want this strike", Some("Hanne Brix")),
                ("Management left us no choice.", Some("Hanne Brix")),
                ("We will be back on Monday", Some("Hanne Brix")),
            ],
        );
    }

    #[test]
    fn guillemets_german_marks_and_quotes_over_paragraphs() {
        check(
            "« Nous reconstruirons le port », a dit le maire. „Wir bauen den Hafen wieder auf“, sagte Bürgermeisterin Carvalho.",
            &[
                ("Nous reconstruirons le port", Some("le maire")),
                ("Wir bauen den Hafen wieder auf", Some("Bürgermeisterin Carvalho")),
            ],
        );
        check(
            "“The sea came in at dawn,” said Joana Reis. “We had no warning.\n\n“By noon the market was under water.”",
            &[
                ("The sea came in at dawn", Some("Joana Reis")),
                ("We had no warning. By noon the market was under water.", Some("Joana Reis")),
            ],
        );
    }

    #[test]
    fn partial_quotes_and_scare_quotes() {
        let q = find_quotes(
            "Hale called the reports “completely false and malicious”, his spokesman said.",
        );
        assert_eq!(q.len(), 1);
        assert!(q[0].partial);
        // A two-word scare quote with no speaker is not a quotation.
        assert!(find_quotes("The so-called “reform plan” was shelved.").is_empty());
        // Apostrophes do not close single quotes.
        check(
            "‘We don’t know yet,’ she said.",
            &[("We don’t know yet", Some("she"))],
        );
    }

    #[test]
    fn a_mark_glued_to_the_verb_is_not_cut_through() {
        // Found by fuzzing: a replacement character between the quote and "said".
        check(
            "“We warned about that wall for years,”\u{fffd}said \u{fffd}acf\u{fffd} owner Joana Reis.",
            &[("We warned about that wall for years", Some("Joana Reis"))],
        );
    }

    #[test]
    fn odd_text_does_not_panic() {
        for text in [
            // Lower-casing "İ" makes it longer: offsets must come from the text itself.
            "İİİ According to İ, “the wall fell down in the night.”",
            "“",
            "”",
            "\"\"\"",
            "«»«",
            "„",
            "‘’",
            "said “",
            "“a” said",
            "\n\n“x\n\n“",
        ] {
            let _ = find_quotes(text);
        }
    }
}
