//! The HTML pages. Server-rendered with maud, which escapes every interpolated value; the only
//! raw HTML inserted is article HTML, sanitized when it was ingested, and search snippets,
//! escaped by tantivy.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use parallax_model::{ArticleId, Category, ContentOrigin, Leaning, SourceId, StoryId};
use parallax_store::StoryQuery;
use serde::Deserialize;

use crate::analysis::StoryAnalysis;
use crate::view::{self, human_time, StoryCard};
use crate::{AppState, SiteConfig, WebError};
use parallax_cluster::analysis::Wording;
use parallax_text::entities::EntityKind;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("site.js");

pub(crate) async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

pub(crate) async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        SCRIPT,
    )
        .into_response()
}

pub(crate) fn layout(
    site: &SiteConfig,
    title: &str,
    categories: &[Category],
    body: Markup,
) -> Html<String> {
    layout_with_feeds(site, title, categories, None, body)
}

/// A page's own feeds: what it follows, and the path its three formats share
/// (`/feeds/category/weather/` + `atom`).
struct PageFeeds<'a> {
    what: &'a str,
    prefix: String,
    /// After the format: a search's query.
    suffix: String,
}

impl PageFeeds<'_> {
    fn href(&self, format: &str) -> String {
        format!("{}{format}{}", self.prefix, self.suffix)
    }
}

/// "Follow …: Atom · RSS · JSON Feed", for the foot of a page with its own feeds.
fn follow(feeds: &PageFeeds<'_>) -> Markup {
    html! {
        p.meta.follow {
            "Follow " (feeds.what) ": "
            a href=(feeds.href("atom")) { "Atom" } " · "
            a href=(feeds.href("rss")) { "RSS" } " · "
            a href=(feeds.href("json")) { "JSON Feed" }
        }
    }
}

fn layout_with_feeds(
    site: &SiteConfig,
    title: &str,
    categories: &[Category],
    feeds: Option<&PageFeeds<'_>>,
    body: Markup,
) -> Html<String> {
    let page_title = if title.is_empty() {
        site.name.clone()
    } else {
        format!("{title} · {}", site.name)
    };
    Html(
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (page_title) }
                    link rel="stylesheet" href="/static/style.css";
                    // In the head, not deferred: the reader's theme is applied before the
                    // page is drawn.
                    script src="/static/site.js" {}
                    link rel="alternate" type="application/atom+xml" title=(format!("{} stories (Atom)", site.name)) href="/feeds/stories.atom";
                    link rel="alternate" type="application/rss+xml" title=(format!("{} stories (RSS)", site.name)) href="/feeds/stories.rss";
                    link rel="alternate" type="application/feed+json" title=(format!("{} stories (JSON Feed)", site.name)) href="/feeds/stories.json";
                    @if let Some(f) = feeds {
                        link rel="alternate" type="application/atom+xml" title=(format!("{} (Atom)", f.what)) href=(f.href("atom"));
                        link rel="alternate" type="application/rss+xml" title=(format!("{} (RSS)", f.what)) href=(f.href("rss"));
                        link rel="alternate" type="application/feed+json" title=(format!("{} (JSON Feed)", f.what)) href=(f.href("json"));
                    }
                }
                body {
                    a.skip href="#main" { "Skip to content" }
                    header.site {
                        a.brand href="/" { (site.name) }
                        form.search role="search" action="/search" method="get" {
                            label for="q" class="visually-hidden" { "Search stories" }
                            input #q type="search" name="q" placeholder="Search stories";
                            button type="submit" { "Search" }
                        }
                        // Shown by the script, which is what makes it work.
                        button #theme-toggle type="button" hidden { "Dark theme" }
                        nav.sections aria-label="Sections" {
                            ul {
                                li { a href="/" { "Top stories" } }
                                li { a href="/blindspots" { "Blindspots" } }
                                li { a href="/timeline" { "Timeline" } }
                                @for c in categories { li { a href=(format!("/category/{}", c.slug)) { (c.name) } } }
                            }
                        }
                    }
                    main #main { (body) }
                    footer.site {
                        p { "Feeds: " a href="/feeds/stories.atom" { "Atom" } " · " a href="/feeds/stories.rss" { "RSS" } " · " a href="/feeds/stories.json" { "JSON Feed" } " · " a href="/api/v1/stories" { "API" } }
                    }
                }
            }
        }
        .into_string(),
    )
}

/// Where each count's bar starts: the sum of the counts before it.
fn offsets(counts: &[u32]) -> Vec<u32> {
    counts
        .iter()
        .scan(0, |at, n| {
            let start = *at;
            *at += n;
            Some(start)
        })
        .collect()
}

fn coverage_bar(card: &StoryCard) -> Markup {
    let counts = card.leanings();
    let total: u32 = counts.iter().sum();
    html! {
        @if total > 0 {
            // Drawn, not styled: the policy allows no inline style.
            svg.coverage viewBox=(format!("0 0 {total} 1")) preserveAspectRatio="none" role="img" aria-label=(coverage_label(&counts)) {
                @for (i, (n, x)) in counts.iter().zip(offsets(&counts)).enumerate() {
                    @if *n > 0 {
                        rect class=(format!("lean lean-{}", Leaning::ALL[i].as_str())) x=(x) y="0" width=(n) height="1" {}
                    }
                }
            }
        }
    }
}

fn coverage_label(counts: &[u32; 5]) -> String {
    let parts: Vec<String> = counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| format!("{n} {}", Leaning::ALL[i].label().to_lowercase()))
        .collect();
    format!("Coverage by leaning: {}", parts.join(", "))
}

fn story_list(cards: &[StoryCard]) -> Markup {
    html! {
        ol.stories {
            @for c in cards {
                li.story-card {
                    h2 { a href=(format!("/story/{}", c.story.id)) { (c.story.title) } }
                    @if !c.lead.is_empty() { p.lead { (c.lead) } }
                    p.meta {
                        span.count { (c.story.source_count) @if c.story.source_count == 1 { " outlet" } @else { " outlets" } }
                        " " (coverage_bar(c)) " "
                        @if let Some(cat) = &c.story.category { a.category href=(format!("/category/{}", cat.slug)) { (cat.name) } " · " }
                        time datetime=(c.story.last_published.to_rfc3339()) { "Latest " (human_time(c.story.last_published)) }
                    }
                }
            }
        }
    }
}

/// Stories on the front page's main list; the rest are reached through the sections.
const TOP_STORIES: usize = 15;
/// Headlines per category section.
const SECTION_STORIES: usize = 4;

pub(crate) async fn front(State(state): State<AppState>) -> Result<Html<String>, WebError> {
    let (cards, categories) = state
        .blocking(|store, _| Ok((view::front_page(store, 200)?, store.categories()?)))
        .await?;
    let top = &cards[..cards.len().min(TOP_STORIES)];
    // Each category's best-ranked stories, in the front page's order.
    let sections: Vec<(&Category, Vec<&StoryCard>)> = categories
        .iter()
        .map(|c| {
            let of: Vec<&StoryCard> = cards
                .iter()
                .filter(|card| card.story.category.as_ref().is_some_and(|x| x.id == c.id))
                .take(SECTION_STORIES)
                .collect();
            (c, of)
        })
        .filter(|(_, of)| !of.is_empty())
        .collect();
    Ok(layout(
        &state.site(),
        "",
        &categories,
        html! {
            @if cards.is_empty() {
                h1 { "Top stories" }
                p.empty { "No stories yet. Add feeds with " code { "parallax add-feed URL" } " and run " code { "parallax fetch" } "." }
            } @else {
                div.front {
                    section aria-labelledby="top" {
                        h1 #top { "Top stories" }
                        (story_list(top))
                    }
                    @if !sections.is_empty() {
                        div.sections {
                            @for (c, of) in &sections {
                                section aria-labelledby=(format!("section-{}", c.slug)) {
                                    h2 #(format!("section-{}", c.slug)) { a href=(format!("/category/{}", c.slug)) { (c.name) } }
                                    ol.stories {
                                        @for card in of {
                                            li.story-card {
                                                h3 { a href=(format!("/story/{}", card.story.id)) { (card.story.title) } }
                                                p.meta { (card.story.source_count) @if card.story.source_count == 1 { " outlet " } @else { " outlets " } (coverage_bar(card)) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

pub(crate) async fn story(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let cache = std::sync::Arc::clone(&state.analyses);
    let (story, versions, related, categories, analysis) = state
        .blocking(move |store, index| {
            let (story, versions) = view::public_story(store, StoryId(id))?;
            let probe = format!(
                "{} {}",
                story.title,
                versions
                    .first()
                    .map(|v| view::lead_of(&v.article.draft.text))
                    .unwrap_or_default()
            );
            let related_ids = index.related_stories(&probe, story.id, 5)?;
            let mut related = Vec::new();
            for rid in related_ids {
                if let Some(s) = store.story(rid)?.filter(|s| !s.hidden) {
                    related.push(s);
                }
            }
            // Analysed on the blocking thread too: a long story takes milliseconds.
            let analysis = cache.get_or_analyse(story.id, &versions);
            Ok((story, versions, related, store.categories()?, analysis))
        })
        .await?;
    let card = view::card_from_versions(story.clone(), &versions);
    // The lead is what most outlets say alike, where they share a sentence.
    let lead = analysis
        .common_ground
        .first()
        .map(|c| view::lead_of(&c.text))
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| card.lead.clone());
    let outlet_of: std::collections::HashMap<ArticleId, &str> = versions
        .iter()
        .map(|v| (v.article.id, v.source.profile.name.as_str()))
        .collect();
    let story_feeds = PageFeeds {
        what: "this story's versions as they arrive",
        prefix: format!("/feeds/story/{}/", story.id),
        suffix: String::new(),
    };
    Ok(layout_with_feeds(
        &state.site(),
        &story.title,
        &categories,
        Some(&story_feeds),
        html! {
            article.story-page {
                header.story-head {
                    div {
                        @if let Some(cat) = &story.category { p.kicker { a href=(format!("/category/{}", cat.slug)) { (cat.name) } } }
                        h1 { (story.title) }
                        @if !lead.is_empty() { p.lead { (lead) } }
                        p.meta {
                            (story.source_count) @if story.source_count == 1 { " outlet, " } @else { " outlets, " }
                            (story.article_count) @if story.article_count == 1 { " version" } @else { " versions" }
                            " · " time datetime=(story.first_published.to_rfc3339()) { (human_time(story.first_published)) }
                            @if story.last_published != story.first_published {
                                " – " time datetime=(story.last_published.to_rfc3339()) { (human_time(story.last_published)) }
                            }
                        }
                    }
                    (coverage_chart(&card))
                }
                (story_contents(&analysis, versions.len()))
                h2 #versions { "The versions" }
                div.versions {
                    @for v in &versions {
                        @let a = &v.article.draft;
                        section.version id=(format!("version-{}", v.article.id)) lang=[a.language.as_deref()] aria-labelledby=(format!("v{}", v.article.id)) {
                            p.outlet {
                                a href=(format!("/source/{}", v.source.id)) { (v.source.profile.name) }
                                @if let Some(l) = v.source.profile.leaning { " " span class=(format!("badge lean-{}", l.as_str())) { (l.label()) } }
                                @if let Some(c) = &v.source.profile.country { " " span.badge { (c) } }
                            }
                            h2 #(format!("v{}", v.article.id)) { (a.title) }
                            @if !a.authors.is_empty() { p.byline { "By " (a.authors.join(", ")) } }
                            p.published {
                                "Published at " a href=(a.url) rel="noopener noreferrer nofollow" { (v.source.profile.name) }
                                @if let Some(p) = a.published { ", " time datetime=(p.to_rfc3339()) { (human_time(p)) } }
                            }
                            @match (a.origin, a.partial) {
                                (ContentOrigin::Feed, false) => p.notice { "The outlet's page could not be read; this is the text its feed carries." },
                                (ContentOrigin::Feed, true) => p.notice.partial { "Partial text: the outlet's page shows less than its feed (a paywall, or a page built by script), so this is what the feed carries, which may not be the whole article." },
                                (ContentOrigin::Page, true) => p.notice.partial { "Partial text: the outlet marks this article for subscribers, so this may be only the part its page shows." },
                                (ContentOrigin::Page, false) => {},
                            }
                            @if let Some((of, outlet)) = v.article.copy_of.and_then(|of| outlet_of.get(&of).map(|o| (of, o))) {
                                p.notice.copy { "A copy of " a href=(format!("#v{of}")) { (outlet) "'s version" } " (wire copy or reprint): the same text, perhaps lightly edited." }
                            }
                            @if let Some(dropped) = v.article.text_dropped_at {
                                p.notice { "This site no longer keeps the text of versions this old (since " time datetime=(dropped.to_rfc3339()) { (human_time(dropped)) } "); read it at " a href=(a.url) rel="noopener noreferrer nofollow" { (v.source.profile.name) } "." }
                            }
                            div.text { (PreEscaped(&a.html)) }
                        }
                    }
                }
                (differences(&analysis, versions.len()))
                @if !related.is_empty() {
                    aside.related aria-labelledby="read-also" {
                        h2 #read-also { "Read also" }
                        ul { @for r in &related { li { a href=(format!("/story/{}", r.id)) { (r.title) } " " span.meta { "(" (r.source_count) " outlets)" } } } }
                    }
                }
                (follow(&story_feeds))
                (policy(&state.site()))
            }
        },
    ))
}

/// Links to the parts of a long story page.
fn story_contents(analysis: &StoryAnalysis, versions: usize) -> Markup {
    let outlets: std::collections::BTreeSet<i64> =
        analysis.versions.iter().map(|v| v.outlet.id).collect();
    let compared = outlets.len() >= 2;
    let parts = [
        (true, "versions", "Versions"),
        (
            compared && !analysis.common_ground.is_empty(),
            "common-ground",
            "Common ground",
        ),
        (
            compared && !analysis.disagreements.is_empty(),
            "disagreements",
            "Disagreements",
        ),
        (compared && !analysis.quotes.is_empty(), "quotes", "Quotes"),
        (
            compared && analysis.versions.iter().any(|v| !v.only_here.is_empty()),
            "only-here",
            "Only one outlet",
        ),
        (
            compared && !analysis.entities.is_empty(),
            "entities",
            "Who and where",
        ),
        (compared && versions > 1, "timeline", "Timeline"),
    ];
    html! {
        nav.contents aria-label="On this page" {
            ul { @for (shown, id, label) in parts { @if shown { li { a href=(format!("#{id}")) { (label) } } } } }
        }
    }
}

/// Outlets by leaning (all five, so a missing side shows) and by country, drawn as inline
/// SVG: no script, no image to fetch.
fn coverage_chart(card: &StoryCard) -> Markup {
    let leanings = card.leanings();
    let mut countries: std::collections::BTreeMap<&str, u32> = Default::default();
    for s in &card.sources {
        *countries
            .entry(s.profile.country.as_deref().unwrap_or("Unrated"))
            .or_default() += 1;
    }
    let mut countries: Vec<(&str, u32)> = countries.into_iter().collect();
    countries.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let rows: Vec<(String, u32, String)> = Leaning::ALL
        .iter()
        .zip(leanings)
        .map(|(l, n)| (l.label().to_string(), n, format!("lean-{}", l.as_str())))
        .chain(
            countries
                .iter()
                .map(|(c, n)| (c.to_string(), *n, "country".to_string())),
        )
        .collect();
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    const ROW: u32 = 22;
    const LABEL: u32 = 96;
    const BAR: u32 = 170;
    // A gap and a heading between the two groups.
    let y_of = |i: usize| {
        let i = i as u32;
        if i < 5 {
            ROW + i * ROW
        } else {
            2 * ROW + 5 * ROW + 8 + (i - 5) * ROW
        }
    };
    let height = y_of(rows.len().saturating_sub(1)) + ROW;
    let summary = format!(
        "{}; by country: {}",
        coverage_label(&leanings),
        countries
            .iter()
            .map(|(c, n)| format!("{n} {c}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    html! {
        figure.coverage-chart {
            svg viewBox=(format!("0 0 {} {height}", LABEL + BAR + 30)) role="img" aria-labelledby="coverage-title" {
                title #coverage-title { (summary) }
                text.group x="0" y="14" { "By leaning" }
                text.group x="0" y=(y_of(5) - 8) { "By country" }
                @for (i, (label, n, class)) in rows.iter().enumerate() {
                    @let y = y_of(i);
                    text x="0" y=(y + 14) { (label) }
                    rect.track x=(LABEL) y=(y + 3) width=(BAR) height="14" rx="2" {}
                    @if *n > 0 {
                        rect class=(class) x=(LABEL) y=(y + 3) width=(BAR * n / max) height="14" rx="2" {}
                    }
                    text.count x=(LABEL + BAR + 6) y=(y + 14) { (n) }
                }
            }
            figcaption { "Who covers this story" }
        }
    }
}

/// What the outlets share, what only one reports, and when each published: shown where a
/// story has versions from more than one outlet.
fn differences(analysis: &StoryAnalysis, versions: usize) -> Markup {
    let outlets: std::collections::BTreeSet<i64> =
        analysis.versions.iter().map(|v| v.outlet.id).collect();
    if outlets.len() < 2 {
        return html! {};
    }
    html! {
        @if !analysis.common_ground.is_empty() {
            section.common-ground aria-labelledby="common-ground" {
                h2 #common-ground { "Common ground" }
                p.note { "What most of the " (outlets.len()) " outlets report alike." }
                ul {
                    @for c in &analysis.common_ground {
                        li {
                            q { (c.text) }
                            " " span.meta { "(" (c.outlets.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ")) ")" }
                        }
                    }
                }
            }
        }
        @if !analysis.quotes.is_empty() {
            section.quotes aria-labelledby="quotes" {
                h2 #quotes { "Who is quoted" }
                table {
                    thead { tr { th scope="col" { "Quote" } th scope="col" { "Speaker" } th scope="col" { "Carried by" } } }
                    tbody {
                        @for q in &analysis.quotes {
                            tr {
                                td {
                                    q { (q.text) }
                                    @if q.wording != Wording::Same {
                                        details.wording {
                                            summary { @if q.wording == Wording::Trimmed { "Trimmed by some outlets" } @else { "Worded differently" } }
                                            ul { @for v in &q.variants { li { (v.outlet.name) ": " q { (v.text) } } } }
                                        }
                                    }
                                }
                                td { (q.speaker.as_deref().unwrap_or("—")) }
                                td { (q.outlets.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ")) }
                            }
                        }
                    }
                }
            }
        }
        @if !analysis.disagreements.is_empty() {
            section.disagreements aria-labelledby="disagreements" {
                h2 #disagreements { "Where the versions disagree" }
                @for d in &analysis.disagreements {
                    div.disagreement {
                        h3 { (disagreement_title(d)) }
                        div.sides {
                            @for p in &d.passages {
                                figure {
                                    figcaption { a href=(format!("#v{}", p.article)) { (p.outlet.name) } ": " strong { (p.value) } }
                                    @if !p.sentence.is_empty() { blockquote { (p.sentence) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !analysis.entities.is_empty() {
            section.entities aria-labelledby="entities" {
                h2 #entities { "Who and where" }
                @for (kind, label) in [(EntityKind::Person, "People"), (EntityKind::Organisation, "Organisations"), (EntityKind::Place, "Places")] {
                    @let of_kind: Vec<_> = analysis.entities.iter().filter(|e| e.kind == kind).collect();
                    @if !of_kind.is_empty() {
                        h3 { (label) }
                        ul {
                            @for e in of_kind {
                                li {
                                    strong { (e.name) } " "
                                    span.meta { "(" (e.mentions.iter().map(|(o, n)| format!("{} ×{}", o.name, n)).collect::<Vec<_>>().join(", ")) ")" }
                                }
                            }
                        }
                    }
                }
            }
        }
        @let only: Vec<_> = analysis.versions.iter().filter(|v| !v.only_here.is_empty()).collect();
        @if !only.is_empty() {
            section.only-here aria-labelledby="only-here" {
                h2 #only-here { "What only one outlet reports" }
                @for v in only {
                    h3 { "What only " a href=(format!("#v{}", v.article)) { (v.outlet.name) } " reports" }
                    ul { @for passage in &v.only_here { li { (passage) } } }
                }
            }
        }
        @if versions > 1 {
            section.timeline aria-labelledby="timeline" {
                h2 #timeline { "Timeline" }
                ol {
                    @for t in &analysis.timeline {
                        li {
                            @match t.published {
                                Some(p) => { time datetime=(p.to_rfc3339()) { (human_time(p)) } },
                                None => { "First seen " time datetime=(t.fetched_at.to_rfc3339()) { (human_time(t.fetched_at)) } },
                            }
                            " · " a href=(format!("#v{}", t.article)) { (t.outlet.name) }
                            @if let Some(m) = t.modified { " · updated " time datetime=(m.to_rfc3339()) { (human_time(m)) } }
                        }
                    }
                }
            }
        }
    }
}

fn disagreement_title(d: &crate::analysis::DisagreementView) -> String {
    use parallax_cluster::analysis::DisagreementKind;
    match d.kind {
        DisagreementKind::Count => format!(
            "Different counts{}",
            d.about
                .as_deref()
                .map(|a| format!(" ({a})"))
                .unwrap_or_default()
        ),
        DisagreementKind::Day => "Different days for the same event".into(),
        DisagreementKind::Weekday => "A weekday its own date does not fall on".into(),
        DisagreementKind::FarDate => "Published days apart from the rest of the story".into(),
    }
}

fn policy(site: &SiteConfig) -> Markup {
    html! {
        section.policy aria-labelledby="policy" {
            h2 #policy { "Editorial policy" }
            @for para in site.policy.split("\n\n").filter(|p| !p.trim().is_empty()) { p { (para.trim()) } }
        }
    }
}

pub(crate) async fn source(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let (source, feeds, articles, categories) = state
        .blocking(move |store, _| {
            let source = store.source(SourceId(id))?.ok_or(WebError::NotFound)?;
            let articles = store.source_articles(source.id, 50)?;
            // The stories no other outlet covers, among its recent ones.
            let mut alone = Vec::new();
            for a in &articles {
                if alone
                    .iter()
                    .any(|s: &parallax_model::Story| s.id == a.story_id)
                {
                    continue;
                }
                if let Some(s) = store
                    .story(a.story_id)?
                    .filter(|s| s.source_count == 1 && !s.hidden)
                {
                    alone.push(s);
                }
            }
            Ok((
                source.clone(),
                store.source_feeds(source.id)?,
                (articles, alone),
                store.categories()?,
            ))
        })
        .await?;
    let (articles, alone) = articles;
    let p = &source.profile;
    let what = format!("the stories {} covers", p.name);
    let own_feeds = PageFeeds {
        what: &what,
        prefix: format!("/feeds/source/{}/", source.id),
        suffix: String::new(),
    };
    Ok(layout_with_feeds(
        &state.site(),
        &p.name,
        &categories,
        Some(&own_feeds),
        html! {
            h1 { (p.name) }
            (follow(&own_feeds))
            dl.profile {
                dt { "Website" } dd { (p.domain) }
                @if let Some(c) = &p.country { dt { "Country" } dd { (c) } }
                @if let Some(l) = p.leaning { dt { "Leaning" } dd { (l.label()) } }
                @if let Some(l) = &p.language { dt { "Language" } dd { (l) } }
                @if let Some(n) = &p.notes { dt { "Notes" } dd { (n) } }
            }
            h2 { "Feeds" }
            table.feeds {
                thead { tr { th scope="col" { "Feed" } th scope="col" { "Last success" } th scope="col" { "Last error" } th scope="col" { "Next poll" } } }
                tbody {
                    @for f in &feeds {
                        tr {
                            td { (f.title.as_deref().unwrap_or(&f.url)) br; small { (f.url) } }
                            td { (f.last_success.map(human_time).unwrap_or_else(|| "never".into())) }
                            td { @if let Some(e) = &f.last_error { span.error { (e) } " (" (f.error_count) "×)" } @else { "—" } }
                            td {
                                @if f.status == parallax_model::FeedStatus::Gone { strong.error { "gone (410): no longer polled" } }
                                @else if f.status == parallax_model::FeedStatus::Retired { "retired by an editor: no longer polled" }
                                @else {
                                    (human_time(f.next_fetch))
                                    @if f.is_failing() { " " strong.error { "needs attention" } }
                                }
                            }
                        }
                    }
                }
            }
            h2 { "Stories only " (p.name) " covers" }
            @if alone.is_empty() {
                p.empty { "Every recent story of " (p.name) " is covered by other outlets too." }
            } @else {
                ul.articles { @for st in &alone { li { a href=(format!("/story/{}", st.id)) { (st.title) } " " time.meta datetime=(st.first_published.to_rfc3339()) { (human_time(st.first_published)) } } } }
            }
            h2 { "Recent articles" }
            ul.articles {
                @for a in &articles {
                    li {
                        a href=(format!("/story/{}", a.story_id)) { (a.draft.title) }
                        @if let Some(p) = a.draft.published { " " time.meta datetime=(p.to_rfc3339()) { (human_time(p)) } }
                    }
                }
            }
        },
    ))
}

pub(crate) async fn blindspots(State(state): State<AppState>) -> Result<Html<String>, WebError> {
    let (cards, categories) = state
        .blocking(|store, _| Ok((view::front_page(store, 200)?, store.categories()?)))
        .await?;
    let mut by_side: Vec<(&StoryCard, view::Blindspot)> = Vec::new();
    let mut by_country: Vec<(&StoryCard, view::Blindspot)> = Vec::new();
    for card in &cards {
        match view::blindspot(card) {
            Some(b @ view::Blindspot::Side(_)) => by_side.push((card, b)),
            Some(b @ view::Blindspot::Country(_)) => by_country.push((card, b)),
            None => {}
        }
    }
    let list = |items: &[(&StoryCard, view::Blindspot)]| {
        html! {
            ol.stories {
                @for (c, why) in items {
                    li.story-card {
                        h2 { a href=(format!("/story/{}", c.story.id)) { (c.story.title) } }
                        p.meta {
                            @match why {
                                view::Blindspot::Side(side) => { "Only outlets of " (side) },
                                view::Blindspot::Country(country) => { "Only outlets of one country: " (country) },
                            }
                            " · " (c.story.source_count) " outlets " (coverage_bar(c))
                        }
                    }
                }
            }
        }
    };
    Ok(layout(
        &state.site(),
        "Blindspots",
        &categories,
        html! {
            h1 { "Blindspots" }
            p.lead { "Stories that only one side of the spectrum, or only one country's outlets, are covering: what the others are not telling their readers." }
            section aria-labelledby="one-side" {
                h2 #one-side { "Covered by one side" }
                @if by_side.is_empty() { p.empty { "No story of the last " (cards.len()) " is covered by one side alone." } } @else { (list(&by_side)) }
            }
            section aria-labelledby="one-country" {
                h2 #one-country { "Covered in one country" }
                @if by_country.is_empty() { p.empty { "No story of the last " (cards.len()) " is covered in one country alone." } } @else { (list(&by_country)) }
            }
        },
    ))
}

/// Stories by the day they broke, newest day first.
pub(crate) async fn timeline(State(state): State<AppState>) -> Result<Html<String>, WebError> {
    let (stories, categories) = state
        .blocking(|store, _| {
            let cards = view::cards(
                store,
                &StoryQuery {
                    limit: 300,
                    ..StoryQuery::default()
                },
            )?;
            Ok((cards, store.categories()?))
        })
        .await?;
    let mut days: std::collections::BTreeMap<chrono::NaiveDate, Vec<&StoryCard>> =
        Default::default();
    for c in &stories {
        days.entry(c.story.first_published.date_naive())
            .or_default()
            .push(c);
    }
    for list in days.values_mut() {
        list.sort_by_key(|c| std::cmp::Reverse(c.story.first_published));
    }
    Ok(layout(
        &state.site(),
        "Timeline",
        &categories,
        html! {
            h1 { "Timeline" }
            @if days.is_empty() { p.empty { "No stories yet." } }
            @for (day, list) in days.iter().rev() {
                section.days aria-labelledby=(format!("day-{day}")) {
                    h2 #(format!("day-{day}")) { time datetime=(day.to_string()) { (day.format("%A %-d %B %Y")) } }
                    ol.stories {
                        @for c in list {
                            li.story-card {
                                h3 { a href=(format!("/story/{}", c.story.id)) { (c.story.title) } }
                                p.meta {
                                    (c.story.source_count) @if c.story.source_count == 1 { " outlet " } @else { " outlets " } (coverage_bar(c))
                                    @if let Some(cat) = &c.story.category { " · " a href=(format!("/category/{}", cat.slug)) { (cat.name) } }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

pub(crate) async fn category(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Html<String>, WebError> {
    let (category, cards, categories) = state
        .blocking(move |store, _| {
            let category = store.category(&slug)?.ok_or(WebError::NotFound)?;
            let mut cards = view::cards(
                store,
                &StoryQuery {
                    category: Some(category.slug.clone()),
                    limit: 100,
                    ..StoryQuery::default()
                },
            )?;
            view::rank(&mut cards);
            Ok((category, cards, store.categories()?))
        })
        .await?;
    let what = format!("{} stories", category.name);
    let feeds = PageFeeds {
        what: &what,
        prefix: format!("/feeds/category/{}/", category.slug),
        suffix: String::new(),
    };
    Ok(layout_with_feeds(
        &state.site(),
        &category.name,
        &categories,
        Some(&feeds),
        html! { h1 { (category.name) } (story_list(&cards)) (follow(&feeds)) },
    ))
}

#[derive(Deserialize, Default)]
pub(crate) struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<usize>,
    #[serde(default)]
    outlet: String,
    #[serde(default)]
    leaning: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

impl SearchParams {
    /// The filters as a query string, for the pager's links.
    fn filter_query(&self) -> String {
        [
            ("outlet", &self.outlet),
            ("leaning", &self.leaning),
            ("country", &self.country),
            ("category", &self.category),
            ("language", &self.language),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("&{k}={}", urlencode(v)))
        .collect()
    }
}

const SEARCH_PAGE: usize = 20;

/// A date from the search form (YYYY-MM-DD), as the start of that day in UTC.
fn form_date(value: &str, notes: &mut Vec<String>, what: &str) -> Option<DateTime<Utc>> {
    if value.is_empty() {
        return None;
    }
    match chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(d) => d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()),
        Err(_) => {
            notes.push(format!(
                "“{value}” is not a date like 2026-11-30, so the {what} date was left out."
            ));
            None
        }
    }
}

pub(crate) async fn search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Html<String>, WebError> {
    let q = params.q.chars().take(500).collect::<String>();
    let page = params.page.unwrap_or(1).clamp(1, 500);
    let mut notes = Vec::new();
    let from = form_date(&params.from, &mut notes, "from");
    // "To" names the last day wanted: up to the start of the next.
    let until = form_date(&params.to, &mut notes, "to").map(|t| t + chrono::Duration::days(1));
    let leaning: Option<Leaning> = match params.leaning.as_str() {
        "" => None,
        l => match l.parse() {
            Ok(l) => Some(l),
            Err(_) => {
                notes.push(format!("“{l}” is not a leaning, so it was left out."));
                None
            }
        },
    };
    let outlet: Option<i64> = match params.outlet.as_str() {
        "" => None,
        o => match o.parse() {
            Ok(id) => Some(id),
            Err(_) => {
                notes.push(format!("“{o}” is not an outlet, so it was left out."));
                None
            }
        },
    };
    let query = q.clone();
    let (country, category, language) = (
        params.country.clone(),
        params.category.clone(),
        params.language.clone(),
    );
    let (results, stories, categories, sources) = state
        .blocking(move |store, index| {
            let sources = store.sources()?;
            let mut filter = parallax_search::SearchFilter {
                language: Some(language).filter(|l| !l.is_empty()),
                from,
                until,
                ..Default::default()
            };
            if outlet.is_some() || leaning.is_some() || !country.is_empty() {
                filter.sources = Some(
                    sources
                        .iter()
                        .filter(|s| outlet.is_none_or(|id| s.id.0 == id))
                        .filter(|s| leaning.is_none_or(|l| s.profile.leaning == Some(l)))
                        .filter(|s| {
                            country.is_empty()
                                || s.profile.country.as_deref() == Some(country.as_str())
                        })
                        .map(|s| s.id)
                        .collect(),
                );
            }
            if !category.is_empty() {
                let of = store.stories(&StoryQuery {
                    category: Some(category.clone()),
                    limit: 5000,
                    ..StoryQuery::default()
                })?;
                filter.stories = Some(of.into_iter().map(|s| s.id).collect());
            }
            let mut results =
                index.search(&query, &filter, SEARCH_PAGE, (page - 1) * SEARCH_PAGE)?;
            let mut stories = HashMap::new();
            let mut hidden = Vec::new();
            for hit in &results.hits {
                if let std::collections::hash_map::Entry::Vacant(e) = stories.entry(hit.story_id) {
                    if let Some(s) = store.story(hit.story_id)? {
                        hidden.extend(store.hidden_articles(s.id)?);
                        e.insert(s);
                    }
                }
            }
            // What editors hid is not found either.
            results.hits.retain(|h| {
                stories.get(&h.story_id).is_some_and(|s| !s.hidden)
                    && !hidden.contains(&h.article_id)
            });
            Ok((results, stories, store.categories()?, sources))
        })
        .await?;
    let source_of: HashMap<i64, &parallax_model::Source> =
        sources.iter().map(|s| (s.id.0, s)).collect();
    let countries: std::collections::BTreeSet<&str> = sources
        .iter()
        .filter_map(|s| s.profile.country.as_deref())
        .collect();
    let languages: std::collections::BTreeSet<&str> = sources
        .iter()
        .filter_map(|s| s.profile.language.as_deref())
        .collect();
    let pages = results.total.div_ceil(SEARCH_PAGE);
    let filters = params.filter_query();
    let filtered = !filters.is_empty();
    let option = |value: &str, label: &str, chosen: &str| {
        html! { option value=(value) selected[value == chosen] { (label) } }
    };
    let what = format!("the search “{q}”");
    let search_feeds = PageFeeds {
        what: &what,
        prefix: "/feeds/search/".into(),
        suffix: format!("?q={}", urlencode(&q)),
    };
    let has_feed = !q.trim().is_empty() && !filtered;
    Ok(layout_with_feeds(
        &state.site(),
        if q.is_empty() { "Search" } else { &q },
        &categories,
        has_feed.then_some(&search_feeds),
        html! {
            h1 { "Search" }
            form.search-page role="search" action="/search" method="get" {
                label.words { "Words to find" input #q2 type="search" name="q" value=(q); }
                label { "Outlet"
                    select name="outlet" {
                        (option("", "Any outlet", &params.outlet))
                        @for s in &sources { (option(&s.id.0.to_string(), &s.profile.name, &params.outlet)) }
                    }
                }
                label { "Leaning"
                    select name="leaning" {
                        (option("", "Any leaning", &params.leaning))
                        @for l in Leaning::ALL { (option(l.as_str(), l.label(), &params.leaning)) }
                    }
                }
                label { "Country"
                    select name="country" {
                        (option("", "Any country", &params.country))
                        @for c in &countries { (option(c, c, &params.country)) }
                    }
                }
                label { "Category"
                    select name="category" {
                        (option("", "Any category", &params.category))
                        @for c in &categories { (option(&c.slug, &c.name, &params.category)) }
                    }
                }
                label { "Language"
                    select name="language" {
                        (option("", "Any language", &params.language))
                        @for l in &languages { (option(l, l, &params.language)) }
                    }
                }
                label { "From" input type="date" name="from" value=(params.from); }
                label { "To" input type="date" name="to" value=(params.to); }
                button type="submit" { "Search" }
            }
            @for note in &notes { p.notice { (note) } }
            @if q.trim().is_empty() {
                p.empty { "Type words to find in headlines and articles, e.g. a place, a person or an event. Use quotes for an exact phrase; narrow by outlet, leaning, country, category, language or dates." }
            } @else if results.total == 0 {
                p.empty {
                    "No article matches “" (q) "”"
                    @if filtered { " with these filters. Try " a href=(format!("/search?q={}", urlencode(&q))) { "without them" } ", or fewer words." }
                    @else { ". Try fewer or different words, or check the spelling." }
                }
            } @else {
                p.meta { (results.total) @if results.total == 1 { " article matches" } @else { " articles match" } }
                ol.results {
                    @for hit in &results.hits {
                        li {
                            h2 { a href=(format!("/story/{}#v{}", hit.story_id, hit.article_id)) { (hit.title) } }
                            @if let Some(src) = source_of.get(&hit.source_id.0) {
                                p.outlet {
                                    (src.profile.name)
                                    @if let Some(l) = src.profile.leaning { " " span class=(format!("badge lean-{}", l.as_str())) { (l.label()) } }
                                    @if let Some(c) = &src.profile.country { " " span.badge { (c) } }
                                }
                            }
                            p.snippet { (PreEscaped(&hit.snippet)) }
                            @if let Some(s) = stories.get(&hit.story_id) {
                                p.meta { "In the story “" (s.title) "” · " (s.source_count) " outlets" }
                            }
                        }
                    }
                }
                @if has_feed { (follow(&search_feeds)) }
                @if pages > 1 {
                    nav.pager aria-label="Result pages" {
                        @if page > 1 { a rel="prev" href=(format!("/search?q={}{filters}&page={}", urlencode(&q), page - 1)) { "← Previous" } " " }
                        span { "Page " (page) " of " (pages) }
                        @if page < pages { " " a rel="next" href=(format!("/search?q={}{filters}&page={}", urlencode(&q), page + 1)) { "Next →" } }
                    }
                }
            }
        },
    ))
}

fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(crate) async fn not_found(State(state): State<AppState>) -> Response {
    let page = layout(
        &state.site(),
        "Not found",
        &[],
        html! { h1 { "Not found" } p { "There is no page here. " a href="/" { "Back to the top stories" } } },
    );
    (StatusCode::NOT_FOUND, page).into_response()
}
