//! What a story shows of its articles (headline, span, counts, category), decided here once
//! so that every backend files and titles a story the same way.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use parallax_model::slugify;

/// An article of a story, as the story's summary weighs it.
pub(crate) struct Member {
    pub title: String,
    pub source: i64,
    /// The categories its feed gave it.
    pub categories: Vec<String>,
    /// The start of its text, where category rules look for keywords and names.
    pub lead: String,
}

/// An editors' category rule: `kind` is `RuleKind::as_str`.
pub(crate) struct Rule {
    pub kind: String,
    pub value: String,
    pub category: i64,
}

/// Where a story is filed.
#[derive(Debug, PartialEq)]
pub(crate) enum Filing {
    /// By an editors' rule, under an existing category.
    Rule(i64),
    /// Under the category its articles name most often, made if it is new.
    Named { slug: String, name: String },
}

/// How many of a story's first articles decide its headline, category and rules: a story of
/// thousands decided them long before, and reading every member on every write would make
/// each write cost as much as the story is long.
pub(crate) const MEMBERS_WEIGHED: i64 = 50;

/// A story's counts and span, over all its articles.
pub(crate) struct Totals {
    pub articles: i64,
    pub sources: i64,
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
}

pub(crate) struct Summary<'a> {
    pub title: &'a str,
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
    pub articles: i64,
    pub sources: i64,
    pub filing: Option<Filing>,
}

/// The story of `members` (its first `MEMBERS_WEIGHED`, oldest first) and `totals` (over
/// all its articles; `None` when it has none left). `rules` in the order they are tried.
pub(crate) fn summarize<'a>(
    members: &'a [Member],
    totals: Option<Totals>,
    rules: &[Rule],
) -> Option<Summary<'a>> {
    let totals = totals.filter(|t| t.articles > 0)?;
    let titles: Vec<&str> = members.iter().map(|m| m.title.as_str()).collect();
    let filing = match ruled_category(members, rules) {
        Some(id) => Some(Filing::Rule(id)),
        None => most_named_category(members),
    };
    Some(Summary {
        title: representative_title(&titles),
        first: totals.first,
        last: totals.last,
        articles: totals.articles,
        sources: totals.sources,
        filing,
    })
}

/// The category its articles name most often (ties: the first named).
fn most_named_category(members: &[Member]) -> Option<Filing> {
    let mut counts: BTreeMap<String, (usize, usize, &str)> = BTreeMap::new();
    for (order, member) in members.iter().enumerate() {
        for name in &member.categories {
            let slug = slugify(name);
            if slug.is_empty() {
                continue;
            }
            counts.entry(slug).or_insert((0, order, name)).0 += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
        .map(|(slug, (_, _, name))| Filing::Named {
            slug,
            name: name.to_string(),
        })
}

/// The headline that shares most words with the others (the one most of the story's
/// versions agree with); ties to the earliest. A title that is only a dateline ("Saturday,
/// August 24, 2013", where a site's pages open with their date) is no headline while any
/// version has one, however many versions carry it.
fn representative_title<'a>(titles: &[&'a str]) -> &'a str {
    let headlines: Vec<&str> = titles
        .iter()
        .copied()
        .filter(|t| !parallax_text::facts::is_dateline(t))
        .collect();
    let titles = if headlines.is_empty() {
        titles
    } else {
        &headlines
    };
    let words: Vec<HashSet<String>> = titles
        .iter()
        .map(|t| {
            t.split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() > 2)
                .map(str::to_lowercase)
                .collect()
        })
        .collect();
    let agreement = |i: usize| -> f64 {
        words
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, other)| {
                let shared = words[i].intersection(other).count() as f64;
                let union = words[i].union(other).count().max(1) as f64;
                shared / union
            })
            .sum()
    };
    (0..words.len())
        .map(|i| (i, agreement(i)))
        .fold(None, |best: Option<(usize, f64)>, (i, a)| match best {
            Some((_, b)) if b >= a => best,
            _ => Some((i, a)),
        })
        .and_then(|(i, _)| titles.get(i).copied())
        .unwrap_or("")
}

/// The category of the first editors' rule (by id) that a story's articles match: a keyword
/// in a title or lead (any case, whole words), an outlet, or a name as written.
fn ruled_category(members: &[Member], rules: &[Rule]) -> Option<i64> {
    let has_words = |text: &str, words: &str, any_case: bool| {
        let (text, words) = if any_case {
            (text.to_lowercase(), words.to_lowercase())
        } else {
            (text.to_string(), words.to_string())
        };
        text.match_indices(words.as_str()).any(|(at, m)| {
            let before = text[..at].chars().next_back();
            let after = text[at + m.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    };
    rules
        .iter()
        .find(|rule| {
            members.iter().any(|m| match rule.kind.as_str() {
                "source" => rule.value.parse::<i64>().is_ok_and(|id| id == m.source),
                "keyword" => {
                    has_words(&m.title, &rule.value, true) || has_words(&m.lead, &rule.value, true)
                }
                _ => {
                    has_words(&m.title, &rule.value, false)
                        || has_words(&m.lead, &rule.value, false)
                }
            })
        })
        .map(|rule| rule.category)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn member(title: &str, source: i64, categories: &[&str]) -> Member {
        Member {
            title: title.into(),
            source,
            categories: categories.iter().map(|c| c.to_string()).collect(),
            lead: String::new(),
        }
    }

    fn totals(members: &[Member]) -> Option<Totals> {
        let at = Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap();
        Some(Totals {
            articles: members.len() as i64,
            sources: members.len() as i64,
            first: at,
            last: at,
        })
    }

    #[test]
    fn the_headline_most_versions_agree_with_wins() {
        let members = [
            member("Storm closes harbour", 1, &[]),
            member("Harbour closes as storm nears coast", 2, &[]),
            member("Storm nears coast, harbour closes", 3, &[]),
        ];
        let s = summarize(&members, totals(&members), &[]).unwrap();
        assert_eq!(s.title, "Harbour closes as storm nears coast");
        assert_eq!((s.articles, s.sources), (3, 3));
    }

    #[test]
    fn a_dateline_is_no_headline_however_many_versions_carry_it() {
        let members = [
            member("Saturday, August 24, 2013", 1, &[]),
            member("Saturday, August 24, 2013", 1, &[]),
            member("Church burns in Wasilla", 2, &[]),
        ];
        let s = summarize(&members, totals(&members), &[]).unwrap();
        assert_eq!(s.title, "Church burns in Wasilla");
        let datelines = &members[..2];
        let s = summarize(datelines, totals(datelines), &[]).unwrap();
        assert_eq!(s.title, "Saturday, August 24, 2013");
    }

    #[test]
    fn a_rule_files_before_the_feeds_categories() {
        let members = [
            member("Storm closes harbour", 1, &["Weather"]),
            member("Harbour shut", 2, &["Weather", "Local"]),
        ];
        assert_eq!(
            summarize(&members, totals(&members), &[]).unwrap().filing,
            Some(Filing::Named {
                slug: "weather".into(),
                name: "Weather".into()
            })
        );
        let rules = [Rule {
            kind: "keyword".into(),
            value: "HARBOUR".into(),
            category: 7,
        }];
        assert_eq!(
            summarize(&members, totals(&members), &rules)
                .unwrap()
                .filing,
            Some(Filing::Rule(7))
        );
        assert!(summarize(&[], None, &rules).is_none());
    }
}
