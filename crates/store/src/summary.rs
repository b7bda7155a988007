//! What a story shows of its articles (headline, span, counts, category), decided here once
//! so that every backend files and titles a story the same way.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use parallax_model::slugify;

/// An article of a story, as the story's summary weighs it.
pub(crate) struct Member {
    pub title: String,
    pub source: i64,
    /// Published, else fetched.
    pub when: DateTime<Utc>,
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

pub(crate) struct Summary<'a> {
    pub title: &'a str,
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
    pub articles: i64,
    pub sources: i64,
    pub filing: Option<Filing>,
}

/// The story of `members` (oldest first); `None` when it has none left. `rules` in the order
/// they are tried.
pub(crate) fn summarize<'a>(members: &'a [Member], rules: &[Rule]) -> Option<Summary<'a>> {
    let first = members.first()?;
    let sources: HashSet<i64> = members.iter().map(|m| m.source).collect();
    let titles: Vec<&str> = members.iter().map(|m| m.title.as_str()).collect();
    let filing = match ruled_category(members, rules) {
        Some(id) => Some(Filing::Rule(id)),
        None => most_named_category(members),
    };
    Some(Summary {
        title: representative_title(&titles),
        first: first.when,
        last: members.iter().map(|m| m.when).max().unwrap_or(first.when),
        articles: members.len() as i64,
        sources: sources.len() as i64,
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
/// versions agree with); ties to the earliest. Only the first `MAX_TITLES_WEIGHED` are
/// weighed: a story of thousands of articles picked its headline long before.
fn representative_title<'a>(titles: &[&'a str]) -> &'a str {
    const MAX_TITLES_WEIGHED: usize = 50;
    let words: Vec<HashSet<String>> = titles
        .iter()
        .take(MAX_TITLES_WEIGHED)
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

    fn member(title: &str, source: i64, hour: u32, categories: &[&str]) -> Member {
        Member {
            title: title.into(),
            source,
            when: Utc.with_ymd_and_hms(2026, 11, 3, hour, 0, 0).unwrap(),
            categories: categories.iter().map(|c| c.to_string()).collect(),
            lead: String::new(),
        }
    }

    #[test]
    fn the_headline_most_versions_agree_with_wins() {
        let members = [
            member("Storm closes harbour", 1, 9, &[]),
            member("Harbour closes as storm nears coast", 2, 10, &[]),
            member("Storm nears coast, harbour closes", 3, 8, &[]),
        ];
        let s = summarize(&members, &[]).unwrap();
        assert_eq!(s.title, "Harbour closes as storm nears coast");
        assert_eq!((s.articles, s.sources), (3, 3));
        assert_eq!(s.last, members[1].when);
    }

    #[test]
    fn a_rule_files_before_the_feeds_categories() {
        let members = [
            member("Storm closes harbour", 1, 9, &["Weather"]),
            member("Harbour shut", 2, 10, &["Weather", "Local"]),
        ];
        assert_eq!(
            summarize(&members, &[]).unwrap().filing,
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
            summarize(&members, &rules).unwrap().filing,
            Some(Filing::Rule(7))
        );
        assert!(summarize(&[], &rules).is_none());
    }
}
