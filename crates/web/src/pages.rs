//! The HTML pages. Server-rendered with maud, which escapes every interpolated value; the only
//! raw HTML inserted is article HTML, sanitized when it was ingested, and search snippets,
//! escaped by tantivy.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
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

fn layout(site: &SiteConfig, title: &str, categories: &[Category], body: Markup) -> Html<String> {
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
                    link rel="alternate" type="application/atom+xml" title=(format!("{} stories (Atom)", site.name)) href="/feeds/stories.atom";
                    link rel="alternate" type="application/rss+xml" title=(format!("{} stories (RSS)", site.name)) href="/feeds/stories.rss";
                    link rel="alternate" type="application/feed+json" title=(format!("{} stories (JSON Feed)", site.name)) href="/feeds/stories.json";
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
                        @if !categories.is_empty() {
                            nav aria-label="Categories" {
                                ul { @for c in categories { li { a href=(format!("/category/{}", c.slug)) { (c.name) } } } }
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

fn coverage_bar(card: &StoryCard) -> Markup {
    let counts = card.leanings();
    let total: u32 = counts.iter().sum();
    html! {
        @if total > 0 {
            span.coverage role="img" aria-label=(coverage_label(&counts)) {
                @for (i, n) in counts.iter().enumerate() {
                    @if *n > 0 {
                        span class=(format!("lean lean-{}", Leaning::ALL[i].as_str())) style=(format!("flex-grow:{n}")) {}
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

pub(crate) async fn front(State(state): State<AppState>) -> Result<Html<String>, WebError> {
    let (cards, categories) = state
        .blocking(|store, _| Ok((view::front_page(store, 40)?, store.categories()?)))
        .await?;
    Ok(layout(
        &state.site,
        "",
        &categories,
        html! {
            h1 { "Top stories" }
            @if cards.is_empty() {
                p.empty { "No stories yet. Add feeds with " code { "parallax add-feed URL" } " and run " code { "parallax fetch" } "." }
            } @else {
                (story_list(&cards))
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
            let story = store.story(StoryId(id))?.ok_or(WebError::NotFound)?;
            let versions = store.story_versions(story.id)?;
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
                if let Some(s) = store.story(rid)? {
                    related.push(s);
                }
            }
            // Analysed on the blocking thread too: a long story takes milliseconds.
            let analysis = cache.get_or_analyse(story.id, &versions);
            Ok((story, versions, related, store.categories()?, analysis))
        })
        .await?;
    let card = view::card_from_versions(story.clone(), &versions);
    let outlet_of: std::collections::HashMap<ArticleId, &str> = versions
        .iter()
        .map(|v| (v.article.id, v.source.profile.name.as_str()))
        .collect();
    Ok(layout(
        &state.site,
        &story.title,
        &categories,
        html! {
            article.story-page {
                header {
                    @if let Some(cat) = &story.category { p.kicker { a href=(format!("/category/{}", cat.slug)) { (cat.name) } } }
                    h1 { (story.title) }
                    @if !card.lead.is_empty() { p.lead { (card.lead) } }
                    p.meta {
                        (story.source_count) @if story.source_count == 1 { " outlet, " } @else { " outlets, " }
                        (story.article_count) @if story.article_count == 1 { " version" } @else { " versions" }
                        " · " time datetime=(story.first_published.to_rfc3339()) { (human_time(story.first_published)) }
                        @if story.last_published != story.first_published {
                            " – " time datetime=(story.last_published.to_rfc3339()) { (human_time(story.last_published)) }
                        }
                        " " (coverage_bar(&card))
                    }
                }
                (differences(&analysis, versions.len()))
                div.versions {
                    @for v in &versions {
                        @let a = &v.article.draft;
                        section.version lang=[a.language.as_deref()] aria-labelledby=(format!("v{}", v.article.id)) {
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
                            div.text { (PreEscaped(&a.html)) }
                        }
                    }
                }
                @if !related.is_empty() {
                    aside.related aria-labelledby="read-also" {
                        h2 #read-also { "Read also" }
                        ul { @for r in &related { li { a href=(format!("/story/{}", r.id)) { (r.title) } " " span.meta { "(" (r.source_count) " outlets)" } } } }
                    }
                }
                (policy(&state.site))
            }
        },
    ))
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
            Ok((
                source.clone(),
                store.source_feeds(source.id)?,
                store.source_articles(source.id, 50)?,
                store.categories()?,
            ))
        })
        .await?;
    let p = &source.profile;
    Ok(layout(
        &state.site,
        &p.name,
        &categories,
        html! {
            h1 { (p.name) }
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
                                @else {
                                    (human_time(f.next_fetch))
                                    @if f.is_failing() { " " strong.error { "needs attention" } }
                                }
                            }
                        }
                    }
                }
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

pub(crate) async fn category(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Html<String>, WebError> {
    let (category, cards, categories) = state
        .blocking(move |store, _| {
            let category = store.category(&slug)?.ok_or(WebError::NotFound)?;
            let stories = store.stories(&StoryQuery {
                category: Some(category.slug.clone()),
                limit: 100,
                ..StoryQuery::default()
            })?;
            let mut cards = stories
                .into_iter()
                .map(|s| view::card(store, s))
                .collect::<Result<Vec<_>, _>>()?;
            view::rank(&mut cards);
            Ok((category, cards, store.categories()?))
        })
        .await?;
    Ok(layout(
        &state.site,
        &category.name,
        &categories,
        html! { h1 { (category.name) } (story_list(&cards)) },
    ))
}

#[derive(Deserialize)]
pub(crate) struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<usize>,
}

const SEARCH_PAGE: usize = 20;

pub(crate) async fn search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Html<String>, WebError> {
    let q = params.q.chars().take(500).collect::<String>();
    let page = params.page.unwrap_or(1).clamp(1, 500);
    let query = q.clone();
    let (results, stories, categories) = state
        .blocking(move |store, index| {
            let results = index.search(&query, SEARCH_PAGE, (page - 1) * SEARCH_PAGE)?;
            let mut stories = HashMap::new();
            for hit in &results.hits {
                if let std::collections::hash_map::Entry::Vacant(e) = stories.entry(hit.story_id) {
                    if let Some(s) = store.story(hit.story_id)? {
                        e.insert(s);
                    }
                }
            }
            Ok((results, stories, store.categories()?))
        })
        .await?;
    let pages = results.total.div_ceil(SEARCH_PAGE);
    Ok(layout(
        &state.site,
        if q.is_empty() { "Search" } else { &q },
        &categories,
        html! {
            h1 { "Search" }
            form.search-page role="search" action="/search" method="get" {
                label for="q2" { "Words to find" }
                input #q2 type="search" name="q" value=(q);
                button type="submit" { "Search" }
            }
            @if q.trim().is_empty() {
                p.empty { "Type words to find in headlines and articles, e.g. a place, a person or an event. Use quotes for an exact phrase." }
            } @else if results.total == 0 {
                p.empty { "No article matches “" (q) "”. Try fewer or different words, or check the spelling." }
            } @else {
                p.meta { (results.total) @if results.total == 1 { " article matches" } @else { " articles match" } }
                ol.results {
                    @for hit in &results.hits {
                        li {
                            h2 { a href=(format!("/story/{}", hit.story_id)) { (hit.title) } }
                            p.snippet { (PreEscaped(&hit.snippet)) }
                            @if let Some(s) = stories.get(&hit.story_id) {
                                p.meta { "In the story “" (s.title) "” · " (s.source_count) " outlets" }
                            }
                        }
                    }
                }
                @if pages > 1 {
                    nav.pager aria-label="Result pages" {
                        @if page > 1 { a rel="prev" href=(format!("/search?q={}&page={}", urlencode(&q), page - 1)) { "← Previous" } " " }
                        span { "Page " (page) " of " (pages) }
                        @if page < pages { " " a rel="next" href=(format!("/search?q={}&page={}", urlencode(&q), page + 1)) { "Next →" } }
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
        &state.site,
        "Not found",
        &[],
        html! { h1 { "Not found" } p { "There is no page here. " a href="/" { "Back to the top stories" } } },
    );
    (StatusCode::NOT_FOUND, page).into_response()
}
