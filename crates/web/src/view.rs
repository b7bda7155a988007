//! What pages, feeds and the API show of a story, computed once from the store.

use std::collections::BTreeMap;

use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use parallax_model::{Leaning, Source, Story, StoryId};
use parallax_store::{Store, StoryQuery, Version};

use crate::{SiteConfig, WebError};

/// A story as lists show it: headline, lead, and who covers it.
#[derive(Debug, Clone)]
pub(crate) struct StoryCard {
    pub story: Story,
    pub lead: String,
    pub sources: Vec<Source>,
}

impl StoryCard {
    /// Outlets per leaning, left to right; outlets without a rating are not counted.
    pub fn leanings(&self) -> [u32; 5] {
        let mut counts = [0; 5];
        for s in &self.sources {
            if let Some(l) = s.profile.leaning {
                counts[Leaning::ALL.iter().position(|x| *x == l).unwrap_or(2)] += 1;
            }
        }
        counts
    }
}

pub(crate) fn card(store: &dyn Store, story: Story) -> Result<StoryCard, WebError> {
    let versions = visible_versions(store, story.id)?;
    Ok(card_from_versions(story, &versions))
}

/// The cards of the stories a query finds, in the store's order (newest first).
pub(crate) fn cards(store: &dyn Store, query: &StoryQuery) -> Result<Vec<StoryCard>, WebError> {
    store
        .stories(query)?
        .into_iter()
        .map(|s| card(store, s))
        .collect()
}

/// A story's versions the public may see: without the articles editors hid.
pub(crate) fn visible_versions(store: &dyn Store, id: StoryId) -> Result<Vec<Version>, WebError> {
    let hidden = store.hidden_articles(id)?;
    let mut versions = store.story_versions(id)?;
    versions.retain(|v| !hidden.contains(&v.article.id));
    Ok(versions)
}

/// A story and its visible versions, as the public sees it: a hidden story is not found.
pub(crate) fn public_story(
    store: &dyn Store,
    id: StoryId,
) -> Result<(Story, Vec<Version>), WebError> {
    let story = store
        .story(id)?
        .filter(|s| !s.hidden)
        .ok_or(WebError::NotFound)?;
    let versions = visible_versions(store, id)?;
    Ok((story, versions))
}

pub(crate) fn card_from_versions(story: Story, versions: &[Version]) -> StoryCard {
    let lead = versions
        .first()
        .map(|v| lead_of(&v.article.draft.text))
        .unwrap_or_default();
    let mut by_id = BTreeMap::new();
    for v in versions {
        by_id.entry(v.source.id).or_insert_with(|| v.source.clone());
    }
    StoryCard {
        story,
        lead,
        sources: by_id.into_values().collect(),
    }
}

/// The first sentence of a text (a dateline's "PLACE —" prefix dropped), at most ~300 chars.
pub(crate) fn lead_of(text: &str) -> String {
    let first_para = text.split("\n\n").next().unwrap_or("").trim();
    let body = match first_para.split_once(" — ") {
        Some((head, rest)) if is_dateline(head) => rest,
        _ => first_para,
    };
    let mut end = body.len();
    for (i, c) in body.char_indices() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let after = &body[i + c.len_utf8()..];
        let starts_sentence = after
            .strip_prefix(' ')
            .is_some_and(|a| a.starts_with(|n: char| n.is_uppercase() || n == '“' || n == '"'));
        // "Dr. Mensah", "St. Ives": a short capitalised word before a full stop is a title.
        let word_before = body[..i].rsplit(' ').next().unwrap_or("");
        let is_abbreviation = c == '.'
            && word_before.chars().count() <= 3
            && word_before.starts_with(char::is_uppercase);
        if starts_sentence && !is_abbreviation {
            end = i + c.len_utf8();
            break;
        }
    }
    let sentence = &body[..end];
    if sentence.chars().count() > 300 {
        let cut: String = sentence.chars().take(297).collect();
        format!("{}…", cut.trim_end())
    } else {
        sentence.to_string()
    }
}

/// "PORT ALDANE, Veloria": a place in capitals, perhaps followed by a region.
fn is_dateline(head: &str) -> bool {
    let place = head.split(',').next().unwrap_or("");
    head.chars().count() < 50
        && place.chars().any(char::is_alphabetic)
        && place == place.to_uppercase()
}

/// Front-page order: breadth of coverage (outlets, and how many leanings and countries they
/// span) decayed by age. Age is measured from the newest story, so an archive ranks the same
/// way whenever it is viewed.
pub(crate) fn rank(cards: &mut [StoryCard]) {
    let newest = cards
        .iter()
        .map(|c| c.story.last_published)
        .max()
        .unwrap_or_else(Utc::now);
    let score = |c: &StoryCard| {
        let leanings = c.leanings().iter().filter(|n| **n > 0).count() as f64;
        let countries = c
            .sources
            .iter()
            .filter_map(|s| s.profile.country.as_deref())
            .collect::<std::collections::HashSet<_>>()
            .len() as f64;
        let breadth = c.story.source_count as f64 + 0.5 * leanings + 0.5 * countries;
        let age_hours = (newest - c.story.last_published).num_minutes().max(0) as f64 / 60.0;
        breadth / (1.0 + age_hours / 24.0).powf(1.5)
    };
    // Editors' pins lead, in the same order among themselves.
    cards.sort_by(|a, b| {
        b.story
            .pinned
            .cmp(&a.story.pinned)
            .then(score(b).total_cmp(&score(a)))
            .then(b.story.id.cmp(&a.story.id))
    });
}

/// Why a story is a blindspot: the side of the spectrum, or the country, that alone covers it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Blindspot {
    Side(&'static str),
    Country(String),
}

/// A story covered by at least two outlets, all on one side of the spectrum (left and
/// centre-left, the centre, or centre-right and right) or all of one country. Outlets
/// without a rating do not count for the side.
pub(crate) fn blindspot(card: &StoryCard) -> Option<Blindspot> {
    if card.sources.len() < 2 {
        return None;
    }
    let side = |l: Leaning| match l {
        Leaning::Left | Leaning::CenterLeft => "the left",
        Leaning::Center => "the centre",
        Leaning::CenterRight | Leaning::Right => "the right",
    };
    let sides: std::collections::BTreeSet<&str> = card
        .sources
        .iter()
        .filter_map(|s| s.profile.leaning.map(side))
        .collect();
    let rated = card
        .sources
        .iter()
        .filter(|s| s.profile.leaning.is_some())
        .count();
    if sides.len() == 1 && rated >= 2 {
        return sides.into_iter().next().map(Blindspot::Side);
    }
    let countries: std::collections::BTreeSet<&str> = card
        .sources
        .iter()
        .filter_map(|s| s.profile.country.as_deref())
        .collect();
    match (countries.len(), countries.into_iter().next()) {
        (1, Some(c)) if card.sources.iter().all(|s| s.profile.country.is_some()) => {
            Some(Blindspot::Country(c.to_string()))
        }
        _ => None,
    }
}

/// The most recent stories, ranked for the front page.
pub(crate) fn front_page(store: &dyn Store, limit: usize) -> Result<Vec<StoryCard>, WebError> {
    let stories = store.stories(&StoryQuery {
        limit: 200,
        ..StoryQuery::default()
    })?;
    let mut cards = stories
        .into_iter()
        .map(|s| card(store, s))
        .collect::<Result<Vec<_>, _>>()?;
    rank(&mut cards);
    cards.truncate(limit);
    Ok(cards)
}

pub(crate) fn base_url(site: &SiteConfig, headers: &HeaderMap) -> String {
    if let Some(base) = &site.base_url {
        return base.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

pub(crate) fn human_time(t: DateTime<Utc>) -> String {
    t.format("%-d %b %Y, %H:%M UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::lead_of;

    #[test]
    fn lead_is_the_first_sentence_without_the_dateline() {
        assert_eq!(
            lead_of("PORT ALDANE, Veloria — Storm Hollis made landfall on Tuesday. It was strong.\n\nMore."),
            "Storm Hollis made landfall on Tuesday."
        );
        assert_eq!(
            lead_of("Dr. No said hi to everyone in the room today. Then left."),
            "Dr. No said hi to everyone in the room today."
        );
    }
}
