//! Facts a sentence states that versions can disagree on: counts (a number and what it
//! counts: "182 passengers", "15 million crowns", "9 percent") and days ("on Wednesday",
//! "yesterday", "Jan 19"), the days resolved against the article's publication date.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// A number with what it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Count {
    pub value: f64,
    /// What is counted, lower-cased and without a plural "s" ("passenger", "percent").
    pub unit: String,
    /// The words as written ("182 passengers").
    pub text: String,
}

/// A day, or a span of days, a sentence puts something on.
#[derive(Debug, Clone, PartialEq)]
pub struct DayRef {
    pub date: NaiveDate,
    /// The span's last day ("last week": its Sunday); `date` itself for one day.
    pub last: NaiveDate,
    /// The words as written ("on Wednesday").
    pub text: String,
    /// The text also named a weekday that the date does not fall on ("Tuesday, Nov. 4"
    /// when Nov. 4 is a Wednesday), or a past-tense weekday after the publication date.
    pub weekday_mismatch: Option<Weekday>,
    /// The sentence speaks of the future ("will vote on Thursday"): a plan, not an event.
    pub future: bool,
}

const SMALL: &[(&str, f64)] = &[
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("hundred", 100.0),
    ("dozen", 12.0),
];

const SCALES: &[(&str, f64)] = &[
    ("hundred", 100.0),
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
    ("bn", 1e9),
    ("m", 1e6),
];

/// Words after a number that say nothing of what is counted.
const SKIP_AFTER: &[&str] = &[
    "more",
    "than",
    "about",
    "some",
    "of",
    "the",
    "new",
    "other",
    "extra",
    "additional",
    "more",
    "people's",
    "a",
    "an",
];

/// Words that end the search for what is counted (a number used as a date, a rank or a
/// time is not a count).
fn is_not_countable(unit: &str) -> bool {
    #[rustfmt::skip]
    const NOT: &[&str] = &[
        "am", "pm", "a.m", "p.m", "o'clock", "and", "or", "to", "in", "on", "at", "for", "from",
        "by", "with", "was", "were", "is", "are", "had", "has", "have", "said", "says",
        "against", "after", "before", "last", "this", "over", "under", "per", "across", "into",
        "through", "about", "during", "since", "until", "between", "who", "that", "which",
        "than", "a", "an", "the", "of", "times", "more", "less", "would", "will", "could",
    ];
    NOT.contains(&unit) || month_of(unit).is_some()
}

fn word_value(w: &str) -> Option<f64> {
    let lower = w.to_lowercase();
    SMALL.iter().find(|(s, _)| *s == lower).map(|(_, v)| *v)
}

fn numeral(w: &str) -> Option<f64> {
    let t = w.trim_matches(|c: char| !c.is_ascii_digit() && c != '.' && c != ',');
    if t.is_empty() || !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // "3,000" and "1,200,000" group thousands; "5.8" is a decimal.
    let cleaned: String = t.chars().filter(|c| *c != ',').collect();
    cleaned.trim_end_matches('.').parse::<f64>().ok()
}

fn singular(word: &str) -> String {
    let w = word.to_lowercase();
    let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '%');
    if w == "%" {
        return "percent".into();
    }
    if let Some(stem) = w.strip_suffix("ies").filter(|s| s.len() > 2) {
        return format!("{stem}y");
    }
    if w.ends_with("ss") || w.len() <= 3 {
        return w.to_string();
    }
    w.strip_suffix('s').unwrap_or(w).to_string()
}

/// The counts of a sentence.
pub fn find_counts(sentence: &str) -> Vec<Count> {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        // Ordinals ("114th") rank, they do not count.
        let bare = w.trim_end_matches(|c: char| !c.is_alphanumeric());
        if bare.starts_with(|c: char| c.is_ascii_digit())
            && ["st", "nd", "rd", "th"].iter().any(|s| bare.ends_with(s))
        {
            i += 1;
            continue;
        }
        let (mut value, first) = match (numeral(w), word_value(w)) {
            (Some(v), _) => (v, i),
            (None, Some(v)) if v > 1.0 || w.eq_ignore_ascii_case("one") => (v, i),
            _ => {
                i += 1;
                continue;
            }
        };
        // "$2.3 billion", "€40m", "US$5": money, named by its sign.
        if let Some(currency) = currency_of(w) {
            let mut j = i + 1;
            value *= attached_scale(w);
            while let Some(scale) = words.get(j).and_then(|s| scale_of(s)) {
                value *= scale;
                j += 1;
            }
            out.push(Count {
                value,
                unit: currency.into(),
                text: words[i..j]
                    .join(" ")
                    .trim_end_matches(['.', ',', ';', ':'])
                    .to_string(),
            });
            i = j;
            continue;
        }
        // "9%" and "9 percent" count percent.
        if w.ends_with('%') {
            out.push(Count {
                value,
                unit: "percent".into(),
                text: w.trim_end_matches(['.', ',']).to_string(),
            });
            i += 1;
            continue;
        }
        // A measure named before its number: "magnitude 5.8", "aged 24".
        let measure = i
            .checked_sub(1)
            .map(|p| words[p].to_lowercase())
            .filter(|p| matches!(p.as_str(), "magnitude" | "aged" | "age"));
        if let Some(measure) = measure {
            out.push(Count {
                value,
                unit: if measure == "magnitude" {
                    measure
                } else {
                    "age".into()
                },
                text: format!("{} {}", words[i - 1], w.trim_end_matches(['.', ','])),
            });
            i += 1;
            continue;
        }
        let mut j = i + 1;
        // Scales: "15 million", "two hundred".
        while let Some(scale) = words.get(j).and_then(|s| scale_of(s)) {
            value *= scale;
            j += 1;
        }
        let is_year = (1900.0..=2100.0).contains(&value) && w.len() == 4 && j == i + 1;
        if is_year {
            i = j;
            continue;
        }
        // A bare number counts what a noun before it names: "the crowd at 35,000".
        let number_end = j;
        let counted_here = |out: &mut Vec<Count>| match counted_before(&words, first) {
            Some((start, unit)) => {
                out.push(Count {
                    value,
                    unit: unit.into(),
                    text: words[start..number_end]
                        .join(" ")
                        .trim_end_matches(['.', ',', ';', ':', ')'])
                        .to_string(),
                });
                true
            }
            None => false,
        };
        // Otherwise a number ending its clause, like a time or a date, counts nothing.
        if words[j - 1].ends_with(['.', ',', ';', ':', ')']) {
            counted_here(&mut out);
            i = j;
            continue;
        }
        // "six of the bank's nine board members": past the words that say nothing, the
        // owner and the whole, to what is counted.
        while j < words.len() {
            let lower = words[j].to_lowercase();
            let skip = SKIP_AFTER.contains(&lower.as_str())
                || lower.ends_with("'s")
                || lower.ends_with("’s")
                || (j > i + 1 && (numeral(&lower).is_some() || word_value(&lower).is_some()));
            if !skip {
                break;
            }
            j += 1;
        }
        let Some(next) = words.get(j) else {
            break;
        };
        let unit = if next.eq_ignore_ascii_case("per")
            && words
                .get(j + 1)
                .is_some_and(|w| w.to_lowercase().starts_with("cent"))
        {
            "percent".to_string()
        } else {
            singular(next)
        };
        if unit.is_empty()
            || is_not_countable(&unit)
            || unit.chars().next().is_some_and(|c| c.is_ascii_digit())
        {
            counted_here(&mut out);
            i = j;
            continue;
        }
        // Compound counts: "six water-bombing planes", "forty fishing boats": the noun
        // is the last of up to three words before a break.
        let mut last = j;
        for k in (j + 1..(j + 3).min(words.len())).filter(|_| unit != "percent") {
            let prev = words[k - 1];
            if prev.ends_with([',', '.', ';', ':']) {
                break;
            }
            let lower = words[k].to_lowercase();
            let lower = lower.trim_matches(|c: char| !c.is_alphanumeric());
            if is_not_countable(lower)
                || !words[k]
                    .chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == ',' || c == '.')
                || !(prev.contains('-')
                    || prev.ends_with("ing")
                    || is_adjective_like(prev)
                    || is_capitalised_modifier(prev)
                    // A noun naming the kind: "nine border crossings".
                    || (!prev.ends_with('s') && lower.ends_with('s') && lower.len() > 3))
            {
                break;
            }
            last = k;
        }
        out.push(Count {
            value,
            unit: unit_class(if last == j {
                unit
            } else {
                singular(words[last])
            }),
            text: words[first..=last]
                .join(" ")
                .trim_end_matches(['.', ',', ';', ':'])
                .to_string(),
        });
        i = last + 1;
    }
    out
}

fn scale_of(word: &str) -> Option<f64> {
    let w = word.to_lowercase();
    let w = w.trim_end_matches([',', '.', ';', ':']);
    SCALES.iter().find(|(n, _)| *n == w).map(|(_, v)| *v)
}

/// The money a sign before a number counts: "$5", "US$5", "€40m".
fn currency_of(word: &str) -> Option<&'static str> {
    let sign = word.trim_start_matches(|c: char| c.is_ascii_uppercase());
    Some(match sign.chars().next()? {
        '$' => "dollar",
        '€' => "euro",
        '£' => "pound",
        '¥' => "yen",
        '₹' => "rupee",
        _ => return None,
    })
}

/// A scale written onto the number: "€40m", "$2.3bn".
fn attached_scale(word: &str) -> f64 {
    let w = word
        .trim_end_matches(['.', ',', ';', ':', ')'])
        .to_lowercase();
    if w.ends_with("bn") {
        1e9
    } else if w.ends_with('m') {
        1e6
    } else if w.ends_with('k') {
        1e3
    } else {
        1.0
    }
}

/// Words that name one thing in different ways, named the way reports most often do: jobs
/// cut are "jobs", "employees" or "positions"; a crowd and the dead are people.
fn unit_class(unit: String) -> String {
    let class = match unit.as_str() {
        "employee" | "staffer" | "position" => "job",
        "person" | "protester" | "protestor" | "demonstrator" | "marcher" | "participant"
        | "supporter" | "attendee" | "dead" | "death" | "fatality" | "fatalitie" => "people",
        _ => return unit,
    };
    class.to_string()
}

/// For a bare number at `at`: the start of the words before it that name what it counts,
/// and the unit ("the crowd at about 35,000", "the death toll rose to 21"), within its
/// clause.
fn counted_before(words: &[&str], at: usize) -> Option<(usize, &'static str)> {
    let lower = |k: usize| {
        words[k]
            .trim_matches(|c: char| !c.is_alphabetic())
            .to_lowercase()
    };
    let mut k = at;
    // Past "about", "at least", "more than".
    loop {
        match k.checked_sub(1).map(lower).as_deref() {
            Some("about" | "some" | "nearly" | "around" | "roughly" | "almost" | "over")
            | Some("approximately") => k -= 1,
            Some("least" | "than") if k >= 2 => k -= 2,
            _ => break,
        }
    }
    let link = lower(k.checked_sub(1)?);
    if !matches!(
        link.as_str(),
        "at" | "to" | "of" | "was" | "is" | "stood" | "reached" | "hit" | "topped" | "passed"
    ) {
        return None;
    }
    for p in (k.saturating_sub(9)..k - 1).rev() {
        // Not past another number, a clause or a second verb's "and".
        if words[p].ends_with([',', ';', ':', '.'])
            || numeral(words[p]).is_some()
            || lower(p) == "and"
        {
            break;
        }
        if matches!(
            lower(p).as_str(),
            "crowd" | "crowds" | "toll" | "attendance"
        ) {
            let start = if p > 0 && lower(p - 1) == "death" {
                p - 1
            } else {
                p
            };
            return Some((start, "people"));
        }
    }
    None
}

/// "five GOP senators", "two Republican senators": a capitalised word before a noun.
fn is_capitalised_modifier(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(|c| c.is_alphabetic())
}

fn is_adjective_like(w: &str) -> bool {
    let w = w.to_lowercase();
    [
        "al", "ic", "ive", "ous", "ful", "less", "ed", "ish", "ary", "ese", "ian",
    ]
    .iter()
    .any(|s| w.ends_with(s))
}

fn weekday_of(word: &str) -> Option<Weekday> {
    let w = word
        .trim_matches(|c: char| !c.is_alphabetic())
        .to_lowercase();
    Some(match w.as_str() {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// Whether a line is a date or a time, not a headline ("Saturday, August 24, 2013", "March
/// 14, 2013 - UNITED STATES -", "PUBLISHED FRIDAY, MARCH 8, 2013 AT 12:46 PM"): documents
/// whose first line is their dateline have no headline to compare.
pub fn is_dateline(line: &str) -> bool {
    // Words a dateline holds around its date.
    const FILLERS: &[&str] = &[
        "published",
        "updated",
        "posted",
        "at",
        "on",
        "am",
        "pm",
        "a.m",
        "p.m",
        "gmt",
        "utc",
        "est",
        "edt",
        "pst",
        "pdt",
        "cet",
        "cest",
        "et",
        "bst",
    ];
    // A dateline's place after its date, in capitals ("- UNITED STATES -"): at most this
    // many words. Words in lower case make a headline ("September 2018 open thread").
    const MAX_OTHER_WORDS: usize = 2;
    let written: Vec<&str> = line
        .split(|c: char| !c.is_alphanumeric() && c != '.')
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
        .collect();
    let words: Vec<String> = written.iter().map(|w| w.to_lowercase()).collect();
    let is_year =
        |w: &str| w.len() == 4 && w.parse::<u32>().is_ok_and(|y| (1900..=2099).contains(&y));
    let is_date_word =
        |w: &str| month_of(w).is_some() && w.len() > 2 || weekday_of(w).is_some() || is_year(w);
    let is_filler = |w: &str| {
        FILLERS.contains(&w)
            || w.chars().all(|c| c.is_ascii_digit())
            // "19pm", "1st", "24th"
            || w.chars().next().is_some_and(|c| c.is_ascii_digit()) && w.len() <= 6
    };
    let Some(first) = words.iter().find(|w| !FILLERS.contains(&w.as_str())) else {
        return false;
    };
    let others: Vec<&str> = written
        .iter()
        .zip(&words)
        .filter(|(_, w)| !is_date_word(w) && !is_filler(w))
        .map(|(written, _)| *written)
        .collect();
    // A date has its day or year in figures: "MAY DAY RALLY" is a headline.
    words.iter().any(|w| is_date_word(w))
        && words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()))
        && (is_date_word(first) || first.chars().all(|c| c.is_ascii_digit()))
        && others.len() <= MAX_OTHER_WORDS
        && others.iter().all(|w| !w.chars().any(char::is_lowercase))
}

fn month_of(word: &str) -> Option<u32> {
    let w = word
        .trim_matches(|c: char| !c.is_alphabetic())
        .to_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let m = months.iter().position(|m| w.starts_with(m))? as u32 + 1;
    // "may" is a month only as "May"; "march" also a verb: callers see the case.
    (w.len() == 3 || FULL_MONTHS.contains(&w.as_str()) || w == "sept").then_some(m)
}

const FULL_MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Whether a sentence speaks of the future ("will strike on Monday").
fn is_future(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    [
        " will ",
        " shall ",
        " is to ",
        " are to ",
        " plans to ",
        " next ",
        " from monday",
        " starting ",
    ]
    .iter()
    .any(|m| lower.contains(m))
}

/// The days a sentence names, resolved against `published` (the article's date).
pub fn find_days(sentence: &str, published: NaiveDate) -> Vec<DayRef> {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    let future = is_future(sentence);
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let lower = w.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase();
        // "Jan. 19", "January 19", "19 January", with a weekday before it or not.
        let month_first = w
            .starts_with(|c: char| c.is_uppercase())
            .then(|| month_of(w))
            .flatten()
            .and_then(|m| {
                let d = words.get(i + 1).and_then(|d| day_number(d))?;
                Some((m, d, i + 1))
            });
        let day_first = day_number(w).and_then(|d| {
            let next = words.get(i + 1)?;
            next.starts_with(|c: char| c.is_uppercase())
                .then(|| month_of(next))
                .flatten()
                .map(|m| (m, d, i + 1))
        });
        // "from December 1", "until Friday": a deadline or a start, not the day something
        // happened.
        let bounds = i > 0
            && matches!(
                words[i - 1].to_lowercase().as_str(),
                "from" | "until" | "till" | "by" | "before" | "after" | "since" | "through"
            );
        if bounds {
            i += 1;
            continue;
        }
        if let Some((month, day, end)) = month_first.or(day_first) {
            let year = words
                .get(end + 1)
                .and_then(|y| {
                    y.trim_matches(|c: char| !c.is_ascii_digit())
                        .parse::<i32>()
                        .ok()
                })
                .filter(|y| (1900..=2100).contains(y));
            let date = year
                .and_then(|y| NaiveDate::from_ymd_opt(y, month, day))
                .or_else(|| nearest_date(published, month, day));
            if let Some(date) = date {
                let named = i
                    .checked_sub(1)
                    .and_then(|p| weekday_of(words[p]))
                    .or_else(|| i.checked_sub(2).and_then(|p| weekday_of(words[p])));
                let start = i.saturating_sub(usize::from(named.is_some()));
                out.push(DayRef {
                    date,
                    last: date,
                    text: words[start..=end.min(words.len() - 1)]
                        .join(" ")
                        .trim_end_matches(['.', ','])
                        .to_string(),
                    weekday_mismatch: named.filter(|n| *n != date.weekday()),
                    future,
                });
                i = end + 1;
                continue;
            }
        }
        let date_follows = |k: usize| {
            let is_month =
                |x: &&str| x.starts_with(|c: char| c.is_uppercase()) && month_of(x).is_some();
            words.get(k).is_some_and(is_month)
                && words.get(k + 1).is_some_and(|d| day_number(d).is_some())
                || words.get(k).is_some_and(|d| day_number(d).is_some())
                    && words.get(k + 1).is_some_and(is_month)
        };
        if let Some(weekday) = weekday_of(w).filter(|_| !date_follows(i + 1)) {
            // A weekday followed by a date is read with the date.
            let date = if future {
                next_on_or_after(published, weekday)
            } else {
                last_on_or_before(published, weekday)
            };
            let with_on = i > 0 && words[i - 1].eq_ignore_ascii_case("on");
            out.push(DayRef {
                date,
                last: date,
                text: if with_on {
                    format!("on {}", w.trim_end_matches(['.', ',']))
                } else {
                    w.trim_end_matches(['.', ',']).to_string()
                },
                weekday_mismatch: None,
                future,
            });
        } else if lower == "yesterday" {
            out.push(DayRef::span(
                published - Duration::days(1),
                1,
                "yesterday",
                future,
            ));
        } else if lower == "today" || lower == "tonight" {
            out.push(DayRef::span(published, 1, &lower, future));
        } else if let Some(part) = words
            .get(i + 1)
            .filter(|_| matches!(lower.as_str(), "last" | "this"))
        {
            // "last night" is the evening before; "this morning" is the day itself.
            let part = part
                .trim_matches(|c: char| !c.is_alphabetic())
                .to_lowercase();
            // Weeks run Monday to Sunday; a weekend is the Saturday and Sunday before.
            let monday = last_on_or_before(published, Weekday::Mon);
            let month_start = published.with_day(1).unwrap_or(published);
            let span = match (lower.as_str(), part.as_str()) {
                ("last", "night") => Some((published - Duration::days(1), 1)),
                ("this", "morning" | "afternoon" | "evening") => Some((published, 1)),
                ("last", "week") => Some((monday - Duration::days(7), 7)),
                ("this", "week") if future => Some((monday, 7)),
                ("this", "week") => Some((monday, (published - monday).num_days() + 1)),
                ("last", "weekend") => Some((monday - Duration::days(2), 2)),
                ("last", "month") => {
                    let last = month_start - Duration::days(1);
                    let first = last.with_day(1).unwrap_or(last);
                    Some((first, (last - first).num_days() + 1))
                }
                _ => None,
            };
            if let Some((date, days)) = span {
                out.push(DayRef::span(date, days, &format!("{lower} {part}"), future));
                i += 1;
            }
        }
        i += 1;
    }
    out
}

impl DayRef {
    fn span(date: NaiveDate, days: i64, text: &str, future: bool) -> Self {
        DayRef {
            date,
            last: date + Duration::days(days - 1),
            text: text.to_string(),
            weekday_mismatch: None,
            future,
        }
    }

    /// Whether the two can be the same day: their spans meet.
    pub fn can_be_same_day(&self, other: &DayRef) -> bool {
        self.date <= other.last && other.date <= self.last
    }
}

fn day_number(w: &str) -> Option<u32> {
    let t = w.trim_end_matches([',', '.']);
    let t = t
        .trim_end_matches("st")
        .trim_end_matches("nd")
        .trim_end_matches("rd")
        .trim_end_matches("th");
    let d: u32 = t.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

/// The date with this month and day nearest to `published` (a story's dates are within
/// months of it, either side of a new year).
fn nearest_date(published: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    [published.year() - 1, published.year(), published.year() + 1]
        .iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(*y, month, day))
        .min_by_key(|d| (*d - published).num_days().abs())
}

fn last_on_or_before(day: NaiveDate, weekday: Weekday) -> NaiveDate {
    let back = (day.weekday().num_days_from_monday() + 7 - weekday.num_days_from_monday()) % 7;
    day - Duration::days(i64::from(back))
}

fn next_on_or_after(day: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (weekday.num_days_from_monday() + 7 - day.weekday().num_days_from_monday()) % 7;
    day + Duration::days(i64::from(ahead))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_line_is_no_headline() {
        for line in [
            "Saturday, August 24, 2013",
            "March 14, 2013 - UNITED STATES -",
            "PUBLISHED FRIDAY, MARCH 8, 2013 AT 12: 46 PM / UPDATED AT 12: 48 PM",
            "9 / 10 / 2010 @ 1: 19PM",
            "NOVEMBER 15, 2007, 7: 40 AM",
            "27 NOVEMBER, 2005",
        ] {
            assert!(is_dateline(line), "{line}");
        }
        for line in [
            "4. 6 earthquake shakes Northern California",
            "Obama wins Iowa on January 3, 2008",
            "Esther Williams, who swam to stardom in the 1940's, dies at 91",
            "May Day rally draws thousands",
            "September 2018 open thread",
            "March 2020 Jobs Report",
            "MAY DAY RALLY",
            "Friday Night Lights",
            "",
        ] {
            assert!(!is_dateline(line), "{line}");
        }
    }

    fn counts(s: &str) -> Vec<(f64, String)> {
        find_counts(s)
            .into_iter()
            .map(|c| (c.value, c.unit))
            .collect()
    }

    #[test]
    fn numbers_with_what_they_count() {
        assert_eq!(
            counts("All 182 passengers and six crew left the plane safely."),
            [(182.0, "passenger".into()), (6.0, "crew".into())]
        );
        assert_eq!(
            counts("The stolen pieces were worth about 15 million crowns."),
            [(15e6, "crown".into())]
        );
        assert_eq!(
            counts("It wants a pay rise of 9 percent, or 9% at least."),
            [(9.0, "percent".into()), (9.0, "percent".into())]
        );
        assert_eq!(
            counts("More than 3,000 hectares of forest burned."),
            [(3000.0, "hectare".into())]
        );
        assert_eq!(counts("Forty boats were damaged."), [(40.0, "boat".into())]);
        assert_eq!(
            counts("Six water-bombing planes are fighting the blaze."),
            [(6.0, "plane".into())]
        );
        assert_eq!(
            counts("The magnitude 5.8 earthquake struck."),
            [(5.8, "magnitude".into())]
        );
    }

    #[test]
    fn a_measure_before_its_number() {
        assert_eq!(
            counts("An earthquake of magnitude 5.9 hit the coast."),
            [(5.9, "magnitude".into())]
        );
        assert_eq!(
            counts("The striker, aged 24, signed."),
            [(24.0, "age".into())]
        );
    }

    #[test]
    fn capitalised_modifiers_and_prepositions() {
        assert_eq!(
            counts("Five GOP senators met on Tuesday."),
            [(5.0, "senator".into())]
        );
        assert_eq!(
            counts("It would cost $52 trillion over a decade."),
            [(52e12, "dollar".into())]
        );
        assert_eq!(counts("Prices rose 4 per cent."), [(4.0, "percent".into())]);
    }

    #[test]
    fn years_times_and_ranks_count_nothing() {
        assert!(counts("The market was built in 1902 and rebuilt in 1950.").is_empty());
        assert!(counts("Talks resumed at 9 am on Monday.").is_empty());
        assert!(counts("The index closed at 35,000.").is_empty());
        assert!(counts("The score stood at 35,000 points to 3.").len() == 1);
        assert_eq!(
            counts("Six of the bank's nine board members voted for it."),
            [(6.0, "member".into())]
        );
    }

    #[test]
    fn money_by_its_sign() {
        assert_eq!(
            counts("Parliament approved $2.3 billion for farmers."),
            [(2.3e9, "dollar".into())]
        );
        assert_eq!(
            counts("The club paid €40m and US$5 million more."),
            [(40e6, "euro".into()), (5e6, "dollar".into())]
        );
        assert_eq!(counts("It cost £12."), [(12.0, "pound".into())]);
    }

    #[test]
    fn a_bare_number_counts_what_a_noun_before_it_names() {
        assert_eq!(
            counts("The crowd reached 35,000."),
            [(35e3, "people".into())]
        );
        assert_eq!(
            counts("Police put the crowd at about 25,000, well short of the 70,000 seats."),
            [(25e3, "people".into()), (70e3, "seat".into())]
        );
        let toll = find_counts("The death toll from the ferry disaster rose to 21 on Wednesday.");
        assert_eq!(toll.len(), 1);
        assert_eq!((toll[0].value, toll[0].unit.as_str()), (21.0, "people"));
        assert_eq!(
            toll[0].text,
            "death toll from the ferry disaster rose to 21"
        );
        // Not across a clause, and not without a word that links noun and number.
        assert!(counts("After the crowd left, it rose to 21 on Monday.").is_empty());
        assert!(counts("The crowd sang 21 songs and left at 9.").len() == 1);
    }

    #[test]
    fn one_thing_named_differently_is_one_unit() {
        assert_eq!(
            counts("Norlight plans to lay off 1,800 employees."),
            [(1800.0, "job".into())]
        );
        assert_eq!(
            counts("Some 60,000 supporters filled the stadium."),
            [(60e3, "people".into())]
        );
        assert_eq!(
            counts("At least 14 people died."),
            [(14.0, "people".into())]
        );
        assert_eq!(
            counts("Police arrested 12 protesters."),
            [(12.0, "people".into())]
        );
    }

    fn days(s: &str, published: (i32, u32, u32)) -> Vec<(NaiveDate, Option<Weekday>)> {
        let p = NaiveDate::from_ymd_opt(published.0, published.1, published.2).unwrap();
        find_days(s, p)
            .into_iter()
            .map(|d| (d.date, d.weekday_mismatch))
            .collect()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn days_are_resolved_against_publication() {
        // 2026-11-05 is a Thursday.
        assert_eq!(
            days("The minister resigned on Wednesday.", (2026, 11, 5)),
            [(date(2026, 11, 4), None)]
        );
        assert_eq!(
            days("The minister resigned on Thursday.", (2026, 11, 5)),
            [(date(2026, 11, 5), None)]
        );
        assert_eq!(
            days("Workers will strike on Monday.", (2026, 11, 5)),
            [(date(2026, 11, 9), None)]
        );
        assert_eq!(
            days("It happened yesterday.", (2026, 11, 5)),
            [(date(2026, 11, 4), None)]
        );
        assert_eq!(
            days("The vote on Jan. 19 was close.", (2027, 1, 21)),
            [(date(2027, 1, 19), None)]
        );
        assert_eq!(
            days("The vote on 19 January 2026 was close.", (2027, 1, 21)),
            [(date(2026, 1, 19), None)]
        );
        assert_eq!(days("He left in December.", (2027, 1, 2)), []);
        assert_eq!(
            days("Fighting resumed last night.", (2026, 11, 5)),
            [(date(2026, 11, 4), None)]
        );
        assert_eq!(
            days("He spoke this morning.", (2026, 11, 5)),
            [(date(2026, 11, 5), None)]
        );
        assert_eq!(
            days("Lenders will pass it on from December 1.", (2026, 11, 5)),
            []
        );
    }

    #[test]
    fn weeks_weekends_and_months_are_spans() {
        // 2026-11-05 is a Thursday; its week began on Monday 2 November.
        let p = date(2026, 11, 5);
        let span = |s: &str| {
            find_days(s, p)
                .into_iter()
                .map(|d| (d.date, d.last))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            span("Prices rose last week."),
            [(date(2026, 10, 26), date(2026, 11, 1))]
        );
        assert_eq!(
            span("The talks broke down earlier this week."),
            [(date(2026, 11, 2), date(2026, 11, 5))]
        );
        assert_eq!(
            span("Fans gathered last weekend."),
            [(date(2026, 10, 31), date(2026, 11, 1))]
        );
        assert_eq!(
            span("Sales fell last month."),
            [(date(2026, 10, 1), date(2026, 10, 31))]
        );
        let days = find_days("It began on Wednesday, not last week.", p);
        assert!(!days[0].can_be_same_day(&days[1]));
        let later = find_days("It began last week.", date(2026, 11, 9));
        assert!(later[0].can_be_same_day(&find_days("It began on Wednesday.", p)[0]));
    }

    #[test]
    fn a_weekday_the_date_does_not_fall_on_is_flagged() {
        // 2026-11-04 is a Wednesday.
        assert_eq!(
            days(
                "The court met on Tuesday, Nov. 4, to hear the case.",
                (2026, 11, 5)
            ),
            [(date(2026, 11, 4), Some(Weekday::Tue))]
        );
        assert_eq!(
            days("The court met on Wednesday, Nov. 4.", (2026, 11, 5)),
            [(date(2026, 11, 4), None)]
        );
    }

    #[test]
    fn odd_text_does_not_panic() {
        let p = date(2026, 1, 1);
        for s in [
            "",
            "1",
            "one",
            "Jan",
            "31 February",
            "9%",
            "99999999999999999999999 boats",
            "May 0",
        ] {
            let _ = find_counts(s);
            let _ = find_days(s, p);
        }
    }
}
