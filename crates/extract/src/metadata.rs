//! Article metadata from JSON-LD, meta tags, `<time>` and the document itself, in that order
//! of trust.

use std::cell::LazyCell;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use scraper::{ElementRef, Selector};
use serde_json::Value;
use url::Url;

use crate::dates::{
    date_from_dateline, date_from_text, date_from_url, parse_date, parse_date_zoned,
};
use crate::page::Page;
use crate::sanitize::{collapse_whitespace, html_to_text};
use crate::zones::{country_offset_minutes, page_country};
use crate::Extracted;

const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "BlogPosting",
    "OpinionNewsArticle",
    "ReviewNewsArticle",
    "BackgroundNewsArticle",
    "LiveBlogPosting",
    "TechArticle",
    "ScholarlyArticle",
    "MedicalScholarlyArticle",
    "Report",
    "SatiricalArticle",
    "AskPublicNewsArticle",
    "AdvertiserContentArticle",
    // A forum's first post or a social post, as forum software and blogs mark them up.
    "DiscussionForumPosting",
    "SocialMediaPosting",
];

/// Whether a JSON-LD `@type` names an article, however it is spelled: "NewsArticle",
/// "newsArticle", "https://schema.org/NewsArticle".
fn is_article_type(t: &str) -> bool {
    let t = t
        .trim()
        .trim_start_matches("http://schema.org/")
        .trim_start_matches("https://schema.org/");
    ARTICLE_TYPES.iter().any(|a| a.eq_ignore_ascii_case(t))
}

fn selector(css: &str) -> Selector {
    // Only called with the literal selectors of this module, which are valid.
    Selector::parse(css).unwrap_or_else(|_| unreachable!("invalid built-in selector {css}"))
}

/// A literal selector, parsed once for every page: parsing it anew cost each page about a
/// hundredth of its extraction time.
macro_rules! static_selector {
    ($css:expr) => {{
        static SELECTOR: LazyLock<Selector> = LazyLock::new(|| selector($css));
        &*SELECTOR
    }};
}

/// The URL relative references resolve against: `<base href>` if valid, else the page URL.
pub(crate) fn base_url(doc: &Page<'_>, page: Option<&Url>) -> Option<Url> {
    let href = doc
        .select_named(&["base"], static_selector!("base[href]"))
        .next()
        .and_then(|b| b.attr("href"));
    match (href, page) {
        (Some(h), Some(p)) => p.join(h).ok().or_else(|| Some(p.clone())),
        (Some(h), None) => Url::parse(h).ok(),
        (None, p) => p.cloned(),
    }
}

/// Reads a page's metadata; `read_page` does it for a page already indexed.
#[cfg(test)]
pub(crate) fn read_metadata(
    doc: &scraper::Html,
    base: Option<&Url>,
    page: Option<&Url>,
) -> Extracted {
    read_page(&Page::new(doc), base, page)
}

pub(crate) fn read_page(doc: &Page<'_>, base: Option<&Url>, page: Option<&Url>) -> Extracted {
    // An archived copy is read as the page it keeps: its address, not the archive's, names
    // the site, the article and the day (links still resolve against the archive's).
    let original = page.and_then(archived_original);
    let page = original.as_ref().or(page);
    let ld = json_ld_article(doc);
    let metas = meta_tags(doc);
    let meta =
        |keys: &[&str]| -> Option<String> { keys.iter().find_map(|k| metas.get(*k).cloned()) };
    let absolute = |s: String| -> String {
        match base {
            Some(b) => b.join(&s).map(String::from).unwrap_or(s),
            None => s,
        }
    };

    let site_name = ld
        .as_ref()
        .and_then(|v| v.get("publisher"))
        .and_then(string_or_name)
        .or_else(|| meta(&["og:site_name", "application-name"]));

    let headline = ld
        .as_ref()
        .and_then(|v| v.get("headline"))
        .and_then(Value::as_str)
        .map(html_to_text);
    let social = meta(&["og:title", "twitter:title"]).map(|t| html_to_text(&t));
    let document = document_title(doc);
    let h1 = first_headline(doc, page, social.as_deref(), document.as_deref());
    let heading = h1.clone();
    let document_headline = document
        .as_deref()
        .map(|d| clean_title(d, site_name.as_deref(), page.and_then(Url::host_str)));
    let title = choose_title(headline, social, document, h1, site_name.as_deref(), page);
    let title = title.map(|t| without_kicker(&t, heading.as_deref()).unwrap_or(t));
    let title = title.map(|t| {
        completed_by_heading(&t, heading.as_deref())
            .or_else(|| completed_at_quote(&t, document_headline.as_deref()))
            .unwrap_or(t)
    });
    // The same headline as the page prints it: meta tags often flatten its typography
    // („…“ to "…", – to -), the heading keeps what the reader sees.
    // The <title> keeps it too where a social title dropped it ("Januar &ndash; Mai").
    let typographic = |s: &str| s.chars().filter(|c| "–—‘’“”„«»…".contains(*c)).count();
    let printed = heading.as_deref().map(collapse_whitespace);
    let title = title.map(|t| {
        [printed.clone(), document_headline.clone()]
            .into_iter()
            .flatten()
            .find(|h| *h != t && fold_typography(h) == fold_typography(&t))
            // The heading as printed wins whatever its marks; the <title> only with more.
            .filter(|h| typographic(h) > typographic(&t) || printed.as_ref() == Some(h))
            .unwrap_or(t)
    });
    let title = title.map(|t| {
        let headings = || {
            // Empty headings (icons, spacers) do not count against the bound.
            doc.select_named(&["h1", "h2", "h3"], static_selector!("h1, h2, h3"))
                .take(200)
                .filter_map(|h| short_text(&h, 300))
                .take(20)
                .collect()
        };
        headline_among_headings(&t, headings, site_name.as_deref(), page).unwrap_or(t)
    });

    let ld_author = ld.as_ref().and_then(|v| v.get("author"));
    // An organisation named as the author (the publisher itself, often) gives way to a
    // person's byline on the page, if there is one.
    let (mut organisation, mut authors) = match ld_author {
        Some(a) if names_only_organisations(a) => (organisation_names(a), Vec::new()),
        Some(a) => (Vec::new(), names_of(a)),
        None => (Vec::new(), Vec::new()),
    };
    // The publisher named as the author, as a person or in a meta tag, is the same fallback.
    let publishers = [
        site_name.clone(),
        meta(&["publisher", "og:site_name", "application-name"]),
        page.and_then(Url::host_str).map(site_label),
    ];
    let is_publisher = |name: &str| {
        let name = alphanumeric_lowercase(name);
        publishers.iter().flatten().any(|p| {
            alphanumeric_lowercase(p) == name
                // A site name that holds the page's title ("Achtsam durch die Krise | Die
                // FURCHE") names the publisher in its last part.
                || [" | ", " - ", " – ", " — "].iter().any(|sep| {
                    p.rsplit_once(sep)
                        .is_some_and(|(_, last)| alphanumeric_lowercase(last) == name)
                })
        })
    };
    if authors.is_empty() {
        for content in doc
            .select_named(&["meta"], static_selector!(r#"meta[name="author"], meta[property="article:author"], meta[name="article:author"], meta[property="og:article:author"], meta[name="parsely-author"], meta[name="sailthru.author"], meta[name="byl"], meta[name="dc.creator" i], meta[property~="dc:creator"], meta[property~="dcterm:creator"]"#))
            .filter_map(|m| m.attr("content"))
            .filter(|c| !c.starts_with("http"))
        {
            // "hessenschau.de, Frankfurt, Germany": the publisher and its address.
            match content.split(',').next().map(str::trim) {
                Some(first) if content.contains(',') && is_publisher(first) => {
                    organisation.push(first.to_string())
                }
                _ => match surname_first(content) {
                    Some(name) => authors.push(name),
                    None => authors.extend(split_names(content)),
                },
            }
        }
    }
    if organisation.is_empty() && !authors.is_empty() && authors.iter().all(|a| is_publisher(a)) {
        organisation = std::mem::take(&mut authors);
    }
    if authors.is_empty() {
        authors = first_byline(doc);
        // The publisher in the byline's markup ("The Planetary Press" as its Person) is
        // the same fallback as in the metadata.
        if !authors.is_empty() && authors.iter().all(|a| is_publisher(a)) {
            let publisher = std::mem::take(&mut authors);
            if organisation.is_empty() {
                organisation = publisher;
            }
        }
    } else if authors.len() < MAX_FULLER_BYLINE {
        // The metadata often names the first of several writers only: the page's byline
        // that names them all, the metadata's among them, names them as the page does.
        // So does the meta tag, where JSON-LD names one of the writers it lists.
        let meta_names = meta(&["author"])
            .filter(|m| !m.starts_with("http"))
            .map(|m| split_names(&m))
            .unwrap_or_default();
        for mut byline in [first_byline(doc), meta_names] {
            // "Bob Yirka, Phys.org": the outlet is no co-author.
            byline.retain(|b| !is_publisher(b));
            let same = |a: &String, b: &String| a.to_lowercase() == b.to_lowercase();
            if (authors.len() + 1..=MAX_FULLER_BYLINE).contains(&byline.len())
                && authors.iter().all(|a| byline.iter().any(|b| same(a, b)))
            {
                authors = byline;
                break;
            }
        }
    }
    if authors.is_empty() {
        authors = twitter_byline(doc);
    }
    if authors.is_empty() {
        authors = written_byline(doc);
    }
    if authors.is_empty() {
        authors = labelled_byline(doc);
    }
    if authors.is_empty() {
        authors = dated_byline(doc);
    }
    if authors.is_empty() {
        // A link to a writer's page, wherever it is.
        authors = doc
            .select_named(&["a"], static_selector!("a[href]"))
            .filter(|a| a.value().attr("href").is_some_and(is_author_page))
            .filter(|a| !in_comments(a) && !is_translator_credit(a))
            .find_map(|a| author_link_name(&a))
            .into_iter()
            .collect();
    }
    if authors.is_empty() {
        authors = signed_byline(doc);
    }
    if authors.is_empty() {
        authors = post_authors_reply(doc).into_iter().collect();
    }
    if authors.is_empty() && organisation.is_empty() {
        authors = agency_credit(doc).into_iter().collect();
    }
    if authors.is_empty() && organisation.is_empty() {
        authors = copyright_holder(doc)
            .into_iter()
            .filter(|a| !is_publisher(a))
            .collect();
    }
    if authors.is_empty() {
        authors = organisation;
    }
    // Each completion reads the page again: a list of more writers than a byline holds is
    // not completed.
    let mut authors: Vec<String> = if authors.len() <= MAX_FULLER_BYLINE {
        authors
            .into_iter()
            .map(|a| completed_from_page(doc, completed_from_json_ld(doc, a)))
            .collect()
    } else {
        authors
    };
    dedup(&mut authors);

    // The article's own dates, else those of the page that holds it (Yoast's `@graph`
    // dates its WebPage, not always its Article).
    let ld_date = |key: &str| {
        ld.as_ref()
            .and_then(|v| v.get(key))
            .and_then(Value::as_str)
            .and_then(parse_date_zoned)
            .or_else(|| {
                json_ld_value(doc, key)
                    .as_deref()
                    .and_then(parse_date_zoned)
            })
    };
    // The page's first `<time>` and the date it prints, each looked for once: both walk the
    // whole page, and several of the rules below ask for them.
    let time_element = LazyCell::new(|| {
        doc.select_named(&["time"], static_selector!("time[datetime]"))
            .filter(|t| !in_comments(t) && !in_related(t))
            .filter_map(|t| t.attr("datetime"))
            .find_map(parse_date_zoned)
    });
    let printed_day = LazyCell::new(|| dateline(doc, title.as_deref()));
    let unzoned = |d: chrono::DateTime<chrono::Utc>| (d, None);
    let published_meta = || {
        meta(&[
            "article:published_time",
            "og:published_time",
            "pubdate",
            "publishdate",
            "dc.date",
            "dcterms.created",
            "sailthru.date",
            "parsely-pub-date",
            "datepublished",
            "dc.date.issued",
            "dcterms.issued",
            "citation_publication_date",
        ])
        .as_deref()
        .and_then(parse_date_zoned)
    };
    // When the structured dates disagree on the day (one of them is a first version's, or an
    // update's), the one the page shows its readers is the one it stands by.
    let ld_published = ld_date("datePublished").or_else(|| ld_date("dateCreated"));
    let structured = match (ld_published, published_meta()) {
        (Some(ld), Some(meta)) if local_day(ld) != local_day(meta) => {
            let printed = time_element.map(local_day).or(*printed_day);
            Some(if printed == Some(local_day(meta)) {
                meta
            } else {
                ld
            })
        }
        (ld, meta) => ld.or(meta),
    };
    // `<meta name="date">` says of no date what it is, and many CMSs fill it with the last
    // edit's or the day the page was built: a `<time>` the page shows wins over it, and so
    // does an earlier date it prints (a later one is more often a header's "today").
    let structured = structured.or_else(|| {
        let generic = meta(&["date"]).as_deref().and_then(parse_date_zoned)?;
        if let Some(shown) = *time_element {
            return Some(shown);
        }
        Some(match *printed_day {
            Some(printed) if printed < local_day(generic) => unzoned(midnight(printed)),
            _ => generic,
        })
    });
    let url_date = page.and_then(|u| date_from_url(u.as_str()));
    // A page's first `<time>` weeks away from the date its address gives belongs to
    // another article (a sidebar's, a list's): the address was written when this one was
    // published.
    let page_time = || {
        time_element.filter(|t| {
            url_date.is_none_or(|d| (local_day(*t) - d).num_days().abs() <= MAX_TIME_FROM_URL_DAYS)
        })
    };
    let published_zoned = structured
        .or_else(page_time)
        .or_else(|| url_date.map(midnight).map(unzoned))
        .or_else(|| printed_day.map(midnight).map(unzoned));
    let published = published_zoned.map(|(at, _)| at);
    // A time given in UTC is the same moment in the site's own zone, which its other
    // timestamps write ("2022-05-04T03:37Z" is the evening of the 3rd in La Paz): the day
    // its readers saw is the one in that zone.
    let published_offset_minutes = match published_zoned {
        Some((at, Some(0))) => {
            // Unless the date the page prints is the day in UTC (its site keeps UTC, or
            // shows UTC to its readers) and the time is not a local midnight (a bare date,
            // stored as the start of the local day).
            let keeps_printed_day = |offset: i32| {
                let local = at + chrono::Duration::minutes(offset.into());
                let local_midnight = local.time() == chrono::NaiveTime::MIN;
                let same_day = local.date_naive() == at.date_naive();
                (same_day || local_midnight || *printed_day != Some(at.date_naive()))
                    .then_some(offset)
            };
            // The same moment on a local clock (a `<time>` without a zone, a script's
            // timestamp) is what the page shows; the zone of its other timestamps and the
            // clock of its country are guesses, and yield to a date it prints.
            let offset = match site_offset_minutes(doc) {
                Some(offset) => keeps_printed_day(offset),
                None => local_offset_of(doc, at).or_else(|| {
                    let lang = doc.root_element().attr("lang");
                    let og = metas.get("og:locale").map(String::as_str);
                    let has_region = |l: &&str| l.contains(['-', '_']);
                    let locale = lang
                        .filter(has_region)
                        .or(og.filter(has_region))
                        .or(lang)
                        .or(og);
                    let host = page.and_then(Url::host_str);
                    page_country(locale, host)
                        .and_then(|c| country_offset_minutes(&c, at))
                        .and_then(keeps_printed_day)
                }),
            };
            Some(offset.unwrap_or(0))
        }
        other => other.and_then(|(_, offset)| offset),
    };
    let modified = ld_date("dateModified").map(|(at, _)| at).or_else(|| {
        meta(&[
            "article:modified_time",
            "og:updated_time",
            "dcterms.modified",
            "lastmod",
        ])
        .as_deref()
        .and_then(parse_date)
    });

    let language = doc
        .root_element()
        .attr("lang")
        .or_else(|| doc.root_element().attr("xml:lang"))
        .map(str::to_string)
        .or_else(|| meta(&["og:locale", "content-language", "language"]))
        .or_else(|| {
            ld.as_ref()
                .and_then(|v| v.get("inLanguage"))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .map(|l| normalize_language(&l))
        .filter(|l| !l.is_empty());

    let image = ld
        .as_ref()
        .and_then(|v| v.get("image"))
        .and_then(url_of)
        .or_else(|| meta(&["og:image", "og:image:url", "twitter:image"]))
        .map(absolute);

    let description = meta(&["description", "og:description", "twitter:description"])
        .or_else(|| {
            ld.as_ref()
                .and_then(|v| v.get("description"))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .map(|d| html_to_text(&d))
        .filter(|d| !d.is_empty());

    let canonical_url = doc
        .select_named(&["link"], static_selector!(r#"link[rel="canonical"]"#))
        .find_map(|l| l.attr("href"))
        .map(|h| absolute(h.trim().to_string()))
        .or_else(|| meta(&["og:url"]).map(absolute));

    let section = ld
        .as_ref()
        .and_then(|v| v.get("articleSection"))
        .and_then(|s| {
            s.as_str()
                .map(str::to_string)
                .or_else(|| s.get(0).and_then(Value::as_str).map(str::to_string))
        })
        .or_else(|| meta(&["article:section"]));

    let mut keywords: Vec<String> = ld
        .as_ref()
        .and_then(|v| v.get("keywords"))
        .map(|k| match k {
            Value::String(s) => s.split(',').map(|s| s.trim().to_string()).collect(),
            Value::Array(a) => a
                .iter()
                .filter_map(Value::as_str)
                .map(|s| s.trim().to_string())
                .collect(),
            _ => Vec::new(),
        })
        .or_else(|| {
            meta(&["keywords", "news_keywords"])
                .map(|k| k.split(',').map(|s| s.trim().to_string()).collect())
        })
        .unwrap_or_default();
    if keywords.is_empty() {
        // Topic links ("tags") under the article, as many sites print them.
        keywords = topic_links(doc)
            .map(|a| collapse_whitespace(&a.text().collect::<String>()))
            .filter(|t| t.chars().count() <= 40)
            .collect();
    }
    keywords.retain(|k| !k.is_empty());
    dedup(&mut keywords);

    // Google's markup for subscriber-only text: `"isAccessibleForFree": false`.
    let paywalled = ld
        .as_ref()
        .and_then(|v| v.get("isAccessibleForFree"))
        .is_some_and(|free| match free {
            Value::Bool(b) => !b,
            Value::String(s) => s.trim().eq_ignore_ascii_case("false"),
            _ => false,
        });

    Extracted {
        title,
        authors,
        published,
        published_offset_minutes,
        modified,
        site_name,
        language,
        image,
        description,
        canonical_url,
        section,
        keywords,
        paywalled,
        text: String::new(),
        html: String::new(),
    }
}

/// `[rel~="author"], [itemprop="author"], byline, .byline, [class*="byline" i],
/// [data-testid*="byline" i] a, [class*="author" i], .vcard .fn`, in document order: one
/// pass over the elements' attributes, and the two kinds that depend on an ancestor read
/// down from that ancestor, instead of the selector engine on every element.
fn byline_elements<'a>(doc: &Page<'a>) -> impl Iterator<Item = ElementRef<'a>> {
    let tree = &doc.html().tree;
    let has_token = |value: &str, token: &str| value.split_ascii_whitespace().any(|t| t == token);
    let mut ids: Vec<ego_tree::NodeId> = Vec::new();
    let (mut testids, mut vcards) = (Vec::new(), Vec::new());
    for e in tree.nodes().filter_map(ElementRef::wrap) {
        let el = e.value();
        let mut own = el.name() == "byline";
        let (mut testid, mut vcard) = (false, false);
        for (name, value) in el.attrs() {
            match name {
                "rel" => {
                    own |= value
                        .split_ascii_whitespace()
                        .any(|t| t.eq_ignore_ascii_case("author"))
                }
                "itemprop" => own |= value == "author",
                "class" => {
                    // "authority-control" (a wiki's navigation box) names no author.
                    own |= BYLINE_CLASS_WORDS.find_iter(value).any(|m| {
                        !value
                            .get(m.end()..m.end() + 2)
                            .is_some_and(|rest| rest.eq_ignore_ascii_case("it"))
                    });
                    vcard = has_token(value, "vcard");
                }
                "data-testid" => testid = value.to_ascii_lowercase().contains("byline"),
                _ => {}
            }
        }
        if own {
            ids.push(e.id());
        }
        if testid {
            testids.push(e);
        }
        if vcard {
            vcards.push(e);
        }
    }
    below_each(testids, |d| d.value().name() == "a", &mut ids);
    // An hCard's name, unless the card is an organisation's ("fn org": an infobox's
    // country, a footer's company).
    below_each(
        vcards,
        |d| {
            d.value()
                .attr("class")
                .is_some_and(|c| has_token(c, "fn") && !has_token(c, "org"))
        },
        &mut ids,
    );
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter_map(move |id| tree.get(id).and_then(ElementRef::wrap))
}

/// The elements below each of `containers` that `wanted` picks. A container inside one
/// already read adds nothing, and is not read again: nested containers must not make the
/// walk quadratic in the page.
fn below_each<'a>(
    containers: Vec<ElementRef<'a>>,
    wanted: impl Fn(&ElementRef<'a>) -> bool,
    out: &mut Vec<ego_tree::NodeId>,
) {
    let mut read: rustc_hash::FxHashSet<ego_tree::NodeId> = Default::default();
    for container in containers {
        if container.ancestors().any(|a| read.contains(&a.id())) {
            continue;
        }
        read.insert(container.id());
        out.extend(
            container
                .descendants()
                .skip(1)
                .filter_map(ElementRef::wrap)
                .filter(|e| wanted(e))
                .map(|e| e.id()),
        );
    }
}

static BYLINE_CLASS_WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(["byline", "author", "auteur", "autor"])
        .unwrap_or_else(|_| unreachable!("plain words"))
});

/// `a[rel~="tag"], .tags a, .tag-list a, .article-tags a, .topics a`, in document order:
/// the lists are found first and their links read, instead of the selector engine walking
/// up from every link of the page four times.
fn topic_links<'a>(doc: &Page<'a>) -> impl Iterator<Item = ElementRef<'a>> {
    let is_list = |e: &ElementRef<'_>| {
        e.value().attrs().any(|(name, value)| {
            name == "class"
                && value
                    .split_ascii_whitespace()
                    .any(|c| matches!(c, "tags" | "tag-list" | "article-tags" | "topics"))
        })
    };
    let mut ids: Vec<ego_tree::NodeId> = doc
        .named(&["a"])
        .filter(|a| {
            a.value().attr("rel").is_some_and(|r| {
                r.split_ascii_whitespace()
                    .any(|t| t.eq_ignore_ascii_case("tag"))
            })
        })
        .map(|a| a.id())
        .collect();
    let lists: Vec<ElementRef<'a>> = doc
        .html()
        .tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .filter(is_list)
        .collect();
    below_each(lists, |e| e.value().name() == "a", &mut ids);
    ids.sort_unstable();
    ids.dedup();
    let tree = &doc.html().tree;
    ids.into_iter()
        .filter_map(move |id| tree.get(id).and_then(ElementRef::wrap))
}

/// Every `<meta>` of the page by its lower-cased name (`property`, `name`, `itemprop` or
/// `http-equiv`), the first non-empty content of each: one pass instead of one per key.
fn meta_tags(doc: &Page<'_>) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    for m in doc.named(&["meta"]) {
        // The attributes in one pass: looking each up by name hashes the name every time.
        let (mut content, mut keys) = (None, [None; 4]);
        for (name, value) in m.value().attrs() {
            match name {
                "content" => content = Some(value),
                "property" => keys[0] = Some(value),
                "name" => keys[1] = Some(value),
                "itemprop" => keys[2] = Some(value),
                "http-equiv" => keys[3] = Some(value),
                _ => {}
            }
        }
        let Some(content) = content.map(collapse_whitespace).filter(|c| !c.is_empty()) else {
            continue;
        };
        for key in keys.into_iter().flatten() {
            out.entry(key.trim().to_ascii_lowercase())
                .or_insert_with(|| content.clone());
        }
    }
    out
}

/// The first non-empty `<title>`.
fn document_title(doc: &Page<'_>) -> Option<String> {
    doc.named(&["title"])
        .map(|e: ElementRef<'_>| collapse_whitespace(&e.text().collect::<String>()))
        .find(|t| !t.is_empty())
}

/// Class words of the line news sites print over a headline, inside its `<h1>`.
const KICKER_CLASSES: &[&str] = &[
    "kicker",
    "dachzeile",
    "overline",
    "topline",
    "roofline",
    "eyebrow",
    "spitzmarke",
    "supertitle",
    "overhead",
    "titleheader",
    "topic-label",
    // A subtitle set inside the heading is the next line, not the headline.
    "subtitle",
    "subline",
];

/// Whether a heading is a site's logo: its class says so, or its text is a link to a home
/// page (`<h1><a href="/">Blog Name</a></h1>`), as blog themes print the blog's name above
/// every post.
fn is_logo(h: &ElementRef<'_>, page: Option<&Url>) -> bool {
    let named_logo = h.value().attr("class").is_some_and(|c| {
        c.split_whitespace().any(|w| {
            let w = w.to_ascii_lowercase();
            w.split(['-', '_']).any(|part| part == "logo") || w == "site-title" || w == "site-name"
        })
    });
    if named_logo {
        return true;
    }
    let text_len = |e: &ElementRef<'_>| short_text(e, 300).map_or(0, |t| t.chars().count());
    let whole = text_len(h);
    whole > 0
        && h.descendants().filter_map(ElementRef::wrap).any(|a| {
            a.value().name() == "a"
                && a.attr("href").is_some_and(|href| is_home_link(href, page))
                && 5 * text_len(&a) >= 4 * whole
        })
}

/// Whether a link leads to a site's home page: a path of `/` and nothing after it.
fn is_home_link(href: &str, page: Option<&Url>) -> bool {
    let href = href.trim();
    let url = match page {
        Some(page) => page.join(href).ok(),
        None => Url::parse(href).ok(),
    };
    match url {
        Some(url) => url.path() == "/" && url.query().is_none(),
        None => href == "/",
    }
}

/// The page's headline among its `<h1>`s (logos and hidden headings aside): the one the
/// social title (else the document's title) repeats, else the first.
fn first_headline(
    doc: &Page<'_>,
    page: Option<&Url>,
    social: Option<&str>,
    document: Option<&str>,
) -> Option<String> {
    let mut headings = doc
        .named(&["h1"])
        .take(MAX_HEADLINE_CANDIDATES)
        .filter_map(|h1| headline_text(&h1, page));
    // Without a title there is nothing to choose by: the rest are not even read.
    if social.is_none() && document.is_none() {
        return headings.next();
    }
    let headings: Vec<String> = headings.collect();
    // Of several, the one the social title repeats: the others are section labels ("News",
    // "Thema – Corona") set in an <h1> above the article's own. The longest such: a label
    // may be a word of the social title too ("Opinion"). The document's title, which often
    // ends in a section's word ("… 10 кг. Отзывы"), chooses only an <h1> that is one of its
    // parts between separators ("Zoll online - Fachmeldungen - <headline>") or a headline's
    // length of it.
    const MIN_HEADLINE_WORDS: usize = 3;
    let repeats = |h: &String| {
        let h = fold_title(h);
        match social {
            Some(social) => fold_title(social).contains(&h),
            None => document.map(fold_title).is_some_and(|document| {
                document.contains(&h)
                    && (h.split_whitespace().count() >= MIN_HEADLINE_WORDS
                        || is_title_segment(&document, &h))
            }),
        }
    };
    headings
        .iter()
        .filter(|h| repeats(h))
        .max_by_key(|h| h.len())
        .or(headings.first())
        .cloned()
}

/// The `<h1>` whose text is the page's title, if there is one.
pub(crate) fn headline_element(doc: &Page<'_>, title: &str) -> Option<ego_tree::NodeId> {
    let title = fold_title(title);
    doc.named(&["h1"])
        .take(MAX_HEADLINE_CANDIDATES)
        .find(|h| short_text(h, 400).is_some_and(|t| fold_title(&t) == title))
        .map(|h| h.id())
}

/// How many `<h1>`s are weighed as the headline.
const MAX_HEADLINE_CANDIDATES: usize = 8;

/// Class names of text kept for screen readers only.
const HIDDEN_CLASSES: &[&str] = &[
    "hidden",
    "sr-only",
    "visually-hidden",
    "visuallyhidden",
    "screen-reader-text",
    "element-invisible",
];

/// The page's heading, where the title is that heading after a kicker
/// ("Chronik: Lotte Tobisch ist tot" over an `<h1>` of "Lotte Tobisch ist tot"): JSON-LD and
/// social titles often join the kicker line to the headline the page prints under it.
fn without_kicker(title: &str, heading: Option<&str>) -> Option<String> {
    const MAX_KICKER_WORDS: usize = 5;
    const MIN_HEADLINE_WORDS: usize = 3;
    let heading = collapse_whitespace(heading?);
    let title = collapse_whitespace(title);
    let (h, t) = (fold_title(&heading), fold_title(&title));
    // Folding must keep one char for one, so that the kicker can be cut from the title.
    if h.split_whitespace().count() < MIN_HEADLINE_WORDS
        || t.chars().count() != title.chars().count()
    {
        return None;
    }
    let rest = t.strip_suffix(h.as_str())?;
    let kicker: String = title.chars().take(rest.chars().count()).collect();
    // The kicker ends at a separator or a space, not inside a word.
    const ENDS: [char; 7] = [' ', ':', '-', '–', '—', '|', '·'];
    if !kicker.ends_with(ENDS) {
        return None;
    }
    let words = kicker.trim_end_matches(ENDS).split_whitespace().count();
    (1..=MAX_KICKER_WORDS).contains(&words).then_some(heading)
}

/// The text of a heading that can be the headline (not a logo, not hidden), without the
/// kicker line some sites set inside it
/// (`<h1><span class="dachzeile">Nach Corona</span> <span class="headline">…</span></h1>`).
fn headline_text(h1: &ElementRef<'_>, page: Option<&Url>) -> Option<String> {
    let hidden = h1.value().attr("hidden").is_some()
        || h1.value().attr("class").is_some_and(|c| {
            c.split_whitespace()
                .any(|w| HIDDEN_CLASSES.iter().any(|h| w.eq_ignore_ascii_case(h)))
        });
    if hidden || is_logo(h1, page) {
        return None;
    }
    let is_kicker = |e: &ElementRef<'_>| {
        e.value().attr("class").is_some_and(|c| {
            let c = c.to_ascii_lowercase();
            KICKER_CLASSES.iter().any(|k| c.contains(k))
        })
    };
    let mut text = String::new();
    let mut had_kicker = false;
    let mut skip_under: Option<ego_tree::NodeId> = None;
    for node in h1.descendants() {
        if let Some(k) = skip_under {
            if node.ancestors().any(|a| a.id() == k) {
                continue;
            }
            skip_under = None;
        }
        match node.value() {
            // CSS-in-JS writes its rules inside the heading (`<style>.css-umyvef{…}</style>`).
            scraper::Node::Element(e)
                if matches!(e.name(), "style" | "script" | "noscript" | "template") =>
            {
                skip_under = Some(node.id());
            }
            scraper::Node::Element(_) if ElementRef::wrap(node).is_some_and(|e| is_kicker(&e)) => {
                skip_under = Some(node.id());
                had_kicker = true;
                text.push(' ');
            }
            scraper::Node::Text(t) => text.push_str(t),
            _ => {}
        }
    }
    let mut text = collapse_whitespace(&text);
    if had_kicker {
        // The kicker's separator ("Kicker: Headline") went with it.
        let separators = [':', '-', '–', '—', '|', '·', ' '];
        text = text
            .trim_start_matches(separators)
            .trim_end_matches(separators)
            .to_string();
    }
    (!text.is_empty()).then_some(text)
}

/// The article's text as its JSON-LD carries it (`articleBody`): pages built by scripts
/// often have no other copy of it.
pub(crate) fn json_ld_body(doc: &Page<'_>) -> Option<String> {
    let body = json_ld_article(doc)?
        .get("articleBody")?
        .as_str()?
        .to_string();
    let paragraphs: Vec<String> = html_to_text(&body)
        .split(['\n', '\r'])
        .map(collapse_whitespace)
        .filter(|p| !p.is_empty())
        .collect();
    (!paragraphs.is_empty()).then(|| paragraphs.join("\n\n"))
}

/// The first JSON-LD object on the page that describes an article.
fn json_ld_article(doc: &Page<'_>) -> Option<Value> {
    for value in doc.json_ld() {
        let nodes = identified_nodes(value);
        let mut stack = vec![value];
        while let Some(v) = stack.pop() {
            match v {
                Value::Array(items) => stack.extend(items.iter().rev()),
                Value::Object(map) => {
                    if let Some(graph) = map.get("@graph") {
                        stack.push(graph);
                    }
                    let is_article = match map.get("@type") {
                        Some(Value::String(t)) => is_article_type(t),
                        Some(Value::Array(ts)) => {
                            ts.iter().filter_map(Value::as_str).any(is_article_type)
                        }
                        _ => false,
                    };
                    if is_article {
                        return Some(with_references_resolved(v.clone(), &nodes));
                    }
                }
                _ => {}
            }
        }
    }
    None
}

/// A first name alone (a meta tag's "Nils") completed from the description of a JSON-LD
/// person of that name anywhere on the page (Yoast's graph keeps one even where it has no
/// article): `completed_from_description`, for authors found outside the article's object.
fn completed_from_json_ld(doc: &Page<'_>, name: String) -> String {
    if name.contains(' ') {
        return name;
    }
    let person = json_ld_objects(doc).find(|(map, _)| {
        map.get("@type").and_then(Value::as_str) == Some("Person")
            && map.get("name").and_then(Value::as_str) == Some(name.as_str())
    });
    match person {
        Some((_, v)) => completed_from_description(name, v),
        None => name,
    }
}

/// A first name alone (JSON-LD's "Todd") completed by the page's own byline, an element
/// marked as a name that holds nothing but that first name and a surname
/// (`<p class="full-name">Todd Bates</p>`).
fn completed_from_page(doc: &Page<'_>, name: String) -> String {
    if name.contains(' ') || !is_plausible_name(&name) {
        return name;
    }
    const CANDIDATES: &[&str] = &[
        "p", "span", "div", "a", "strong", "b", "h2", "h3", "h4", "h5", "h6",
    ];
    // Marked as a name: a forum's handle runs on into the member's title, a site's name
    // into its menu ("Solarserver Stellenmarkt").
    let marked = |e: &ElementRef<'_>| {
        e.value().attr("class").is_some_and(|c| {
            let c = c.to_ascii_lowercase();
            ["name", "author", "byline"].iter().any(|w| c.contains(w))
        })
    };
    doc.named(CANDIDATES)
        .filter(marked)
        .filter_map(|e| short_text(&e, 40))
        .find(|text| {
            text.strip_prefix(name.as_str())
                .and_then(|rest| rest.strip_prefix(' '))
                .is_some_and(|surname| {
                    (1..=2).contains(&surname.split_whitespace().count())
                        && is_plausible_name(text)
                        && !is_label(text)
                })
        })
        .unwrap_or(name)
}

/// The first string any JSON-LD object of the page gives under `key`.
fn json_ld_value(doc: &Page<'_>, key: &str) -> Option<String> {
    json_ld_objects(doc)
        .find_map(|(map, _)| map.get(key).and_then(Value::as_str).map(str::to_string))
}

/// Every object of the page's JSON-LD, each with the value that holds it, outer ones first.
fn json_ld_objects<'p>(
    doc: &'p Page<'_>,
) -> impl Iterator<Item = (&'p serde_json::Map<String, Value>, &'p Value)> + 'p {
    doc.json_ld().iter().flat_map(|value| {
        let mut stack = vec![value];
        std::iter::from_fn(move || {
            while let Some(v) = stack.pop() {
                match v {
                    Value::Array(items) => stack.extend(items.iter().rev()),
                    Value::Object(map) => {
                        stack.extend(map.values());
                        return Some((map, v));
                    }
                    _ => {}
                }
            }
            None
        })
    })
}

/// The objects of a JSON-LD document that have an `@id`, by id.
fn identified_nodes(value: &Value) -> std::collections::HashMap<String, Value> {
    let mut nodes = std::collections::HashMap::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => {
                if let Some(id) = map.get("@id").and_then(Value::as_str) {
                    if map.len() > 1 {
                        nodes.entry(id.to_string()).or_insert_with(|| v.clone());
                    }
                }
                stack.extend(map.values());
            }
            _ => {}
        }
    }
    nodes
}

/// The article with its `author` and `publisher` given as bare `{"@id": …}` references
/// (as Yoast's `@graph` writes them) replaced by the nodes they point to.
fn with_references_resolved(
    mut article: Value,
    nodes: &std::collections::HashMap<String, Value>,
) -> Value {
    let resolve = |v: &mut Value| {
        let target = v
            .as_object()
            .filter(|m| !m.contains_key("name"))
            .and_then(|m| m.get("@id"))
            .and_then(Value::as_str)
            .and_then(|id| nodes.get(id));
        if let Some(node) = target {
            *v = node.clone();
        }
    };
    for key in ["author", "publisher"] {
        match article.get_mut(key) {
            Some(Value::Array(items)) => items.iter_mut().for_each(resolve),
            Some(v) => resolve(v),
            None => {}
        }
    }
    article
}

fn string_or_name(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Object(m) => m
            .get("name")
            .and_then(Value::as_str)
            .map(|s| s.trim().to_string()),
        Value::Array(a) => a.iter().find_map(string_or_name),
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

/// Whether a JSON-LD author is one or more organisations and no person.
fn names_only_organisations(v: &Value) -> bool {
    let is_organisation = |item: &Value| {
        item.get("@type")
            .and_then(Value::as_str)
            .is_some_and(|t| matches!(t, "Organization" | "NewsMediaOrganization" | "Corporation"))
    };
    match v {
        Value::Array(items) => !items.is_empty() && items.iter().all(is_organisation),
        other => is_organisation(other),
    }
}

/// The names of organisations given as an author, as written: unlike a person's, an
/// organisation's name has small words ("Contributors to Wikimedia projects").
fn organisation_names(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().flat_map(organisation_names).collect(),
        other => string_or_name(other)
            .map(|s| collapse_whitespace(&html_escape::decode_html_entities(&s)))
            .filter(|s| s.chars().count() <= 100 && !s.contains("://") && !is_label(s))
            .into_iter()
            .collect(),
    }
}

fn names_of(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().flat_map(names_of).collect(),
        other => {
            let Some(name) = string_or_name(other).map(|s| completed_from_description(s, other))
            else {
                return Vec::new();
            };
            let names = split_names(&name);
            if names.is_empty() && is_typed_person(other) && is_person_as_typed(&name) {
                // A Person the markup types as one, written as its owner writes it ("Mobasir
                // hassan"): a name, whatever its capitals.
                return vec![collapse_whitespace(&name)];
            }
            names
        }
    }
}

/// Whether JSON-LD types this object as a Person.
fn is_typed_person(v: &Value) -> bool {
    match v.get("@type") {
        Some(Value::String(t)) => t == "Person",
        Some(Value::Array(types)) => types.iter().any(|t| t.as_str() == Some("Person")),
        _ => false,
    }
}

/// Whether a Person's name, as typed, reads as a person's: two or three words, the first
/// capitalised, no digits, no label.
fn is_person_as_typed(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    (2..=3).contains(&words.len())
        && words[0].chars().next().is_some_and(char::is_uppercase)
        && words
            .iter()
            .all(|w| w.chars().all(|c| c.is_alphabetic() || "-'.".contains(c)))
        && !is_label(name)
        && !parallax_text::entities::is_known_place(name)
}

/// A person named by a first name alone (a blog's display name, "Nils") with the surname
/// their own description opens with ("Nils Pickert ist freier Autor …"), as Yoast writes
/// a writer's profile into the page.
fn completed_from_description(name: String, person: &Value) -> String {
    let is_surname = |w: &str| {
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_uppercase)
            && w.chars().count() >= 2
            && chars.all(|c| c.is_lowercase() || c == '-' || c == '\'')
    };
    let surname = (!name.contains(' '))
        .then(|| person.get("description")?.as_str())
        .flatten()
        .and_then(|d| d.strip_prefix(name.as_str())?.strip_prefix(' '))
        .and_then(|rest| {
            let mut words = rest.split_whitespace();
            let first = words.next()?.trim_end_matches([',', '.', ':', ';']);
            if is_surname(first) {
                return Some(first.to_string());
            }
            let second = words.next()?.trim_end_matches([',', '.', ':', ';']);
            (NAME_PARTICLES.contains(&first) && is_surname(second))
                .then(|| format!("{first} {second}"))
        });
    match surname {
        Some(surname) => format!("{name} {surname}"),
        None => name,
    }
}

fn url_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(m) => m
            .get("url")
            .or_else(|| m.get("contentUrl"))
            .and_then(Value::as_str)
            .map(str::to_string),
        Value::Array(a) => a.iter().find_map(url_of),
        _ => None,
    }
}

/// The name an element marked as the author's own name gives as written, where it is
/// no name by the usual rules: the handle or nickname a blog signs with ("oz", "der
/// Michel"), as `author_link_name` takes one from a link to the writer's page.
fn explicit_handle(e: &ElementRef<'_>, blocks: &[String]) -> Option<String> {
    let v = e.value();
    let tokens = |attr: &str| -> Vec<String> {
        v.attr(attr)
            .map(|c| c.split_whitespace().map(str::to_lowercase).collect())
            .unwrap_or_default()
    };
    let class = tokens("class");
    let marked = tokens("itemprop").iter().any(|t| t == "author")
        || tokens("rel").iter().any(|t| t == "author")
        || class.iter().any(|t| t == "fn" || t == "author");
    let [text] = blocks else { return None };
    let text = without_by(text.trim_start_matches('@'));
    // Initials alone ("DT") stand for a name the page does not give, as in a link.
    let initials = text.chars().count() <= 3 && text.chars().all(char::is_uppercase);
    let plausible = marked
        && !initials
        && (2..=30).contains(&text.chars().count())
        && text.split_whitespace().count() <= 2
        && text.chars().any(char::is_alphabetic)
        && !text.contains(['@', '/', ':', '(', ')', ',', '|', '©'])
        && !text.to_lowercase().contains("admin")
        && !is_label(text)
        && split_names(text).is_empty();
    plausible.then(|| text.to_string())
}

/// `text` without the "By" that opens it ("by oz", "Veröffentlicht von HansG", "par
/// Didier") and the arrow or bar that may close it ("mywakenews →").
fn without_by(text: &str) -> &str {
    after_opening(
        text,
        &[
            "by ",
            "von ",
            "par ",
            "posted by ",
            "veröffentlicht von ",
            "publié par ",
        ],
    )
    .unwrap_or(text)
    .trim_end_matches(['→', '»', '›', '|', '·', '•', '–', '—', ' '])
}

/// What follows the first of `openings` that `text` opens with, in any case.
fn after_opening<'a>(text: &'a str, openings: &[&str]) -> Option<&'a str> {
    openings
        .iter()
        .find(|o| {
            text.get(..o.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(o))
        })
        .map(|o| &text[o.len()..])
}

/// A byline that names more writers than this is a list of other articles' authors.
const MAX_FULLER_BYLINE: usize = 6;

/// The names of the first byline element that names someone: bylines repeat (top and foot
/// of the article), and the later ones are often a list of other articles' authors.
fn first_byline(doc: &Page<'_>) -> Vec<String> {
    let headline = doc.named(&["h1"]).next().map(|h| h.id());
    let (after, before): (Vec<ElementRef<'_>>, Vec<ElementRef<'_>>) =
        byline_elements(doc).partition(|e| headline.is_none_or(|h| e.id() > h));
    after
        .into_iter()
        .chain(before)
        // Commenters are authors too, of something else, and so are the writers of the
        // other articles a teaser or a related list shows.
        .filter(|e| !in_comments(e) && !has_marked_ancestor(e, &["teaser", "related"]))
        // A menu's item ("menu-item-object-autor") lists writers, of other pages.
        .filter(|e| !is_marked(e, &["menu"]))
        // A byline inside a link is a teaser's: the whole box links to the other article.
        // Its nearest ancestors only: a hostile page nests thousands of levels.
        .filter(|e| {
            !e.ancestors()
                .take(12)
                .filter_map(ElementRef::wrap)
                .any(|a| a.value().name() == "a")
        })
        // A picture's credit names its photographer ("license-author"), not the writer.
        .filter(|e| !is_marked(e, &["license"]) && !has_marked_ancestor(e, &["license"]))
        .filter(|e| !is_translator_credit(e))
        .map(|e| {
            // A box that marks its author within (microdata, `rel`) also holds other
            // names: the publisher's logo and link beside the writer's.
            author_marked_within(&e)
                .map(|inner| byline_names(&inner))
                .filter(|names| !names.is_empty())
                .unwrap_or_else(|| byline_names(&e))
        })
        .find(|names| !names.is_empty())
        .unwrap_or_default()
}

/// The first element below `e` (not `e` itself) that names itself the author, among its
/// first descendants.
fn author_marked_within<'a>(e: &ElementRef<'a>) -> Option<ElementRef<'a>> {
    const MAX_DESCENDANTS: usize = 400;
    e.descendants()
        .skip(1)
        .take(MAX_DESCENDANTS)
        .filter_map(ElementRef::wrap)
        .find(|d| {
            d.attr("itemprop") == Some("author")
                || d.attr("rel").is_some_and(|r| {
                    r.split_ascii_whitespace()
                        .any(|t| t.eq_ignore_ascii_case("author"))
                })
        })
}

/// The names one byline element gives.
fn byline_names(e: &ElementRef<'_>) -> Vec<String> {
    let blocks = byline_blocks(e);
    let link = author_link_name(e);
    let names = if blocks.iter().map(String::len).sum::<usize>() >= 120 {
        Vec::new()
    } else if blocks.len() <= 3 {
        names_in_blocks(&blocks, link.as_deref())
    } else {
        // More blocks than a byline has: a box about the writer or a list of them, named
        // only as a whole.
        names_in_byline(&blocks.join(" "))
    };
    if names.is_empty() {
        return link
            .or_else(|| explicit_handle(e, &blocks))
            .into_iter()
            .collect();
    }
    bounded_by_link(names, link.as_deref())
}

/// The names a byline's text gives: "By Ann Lee and Tom Field", else what follows its
/// last "by" ("Posted on May 2 by Ann Lee").
fn names_in_byline(text: &str) -> Vec<String> {
    let names = split_names(text);
    if names.is_empty() {
        names_after_by(text)
    } else {
        names
    }
}

/// The names of a byline read block by block, so that the date, a section or a button in
/// the next block does not run into them: the block that opens with "By", else the one
/// that holds the name of the writer's link, else the first that names anyone; with the
/// blocks after it while the list goes on ("Ann Lee, PhD," / "Tom Field").
fn names_in_blocks(blocks: &[String], link: Option<&str>) -> Vec<String> {
    const BY: &[&str] = &["by ", "von ", "par ", "por ", "door ", "di "];
    let opens_with_by = |block: &str| after_opening(block, BY).is_some();
    let named: Vec<(usize, Vec<String>)> = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| (i, names_in_byline(b)))
        .filter(|(_, names)| !names.is_empty())
        .collect();
    let chosen = named
        .iter()
        .find(|(i, _)| opens_with_by(&blocks[*i]))
        .or_else(|| {
            let link = link?;
            named
                .iter()
                .find(|(_, names)| names.iter().any(|n| n.contains(link)))
        })
        .or_else(|| named.first());
    let Some((first, names)) = chosen else {
        return Vec::new();
    };
    let mut names = names.clone();
    let mut last = &blocks[*first];
    for next in &blocks[first + 1..] {
        let goes_on = [",", ";", "&", " and", " und"]
            .iter()
            .any(|sep| last.ends_with(sep));
        if !goes_on {
            break;
        }
        names.extend(names_in_byline(next));
        last = next;
    }
    names
}

/// The text of a byline element in its blocks (`<p>`, `<div>`, `<br>` …), whitespace
/// collapsed and empty blocks left out.
fn byline_blocks(e: &ElementRef<'_>) -> Vec<String> {
    const BLOCKS: &[&str] = &[
        "p", "div", "br", "li", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "section", "ul",
        "ol", "figure", "footer", "header", "time",
    ];
    let mut blocks = vec![String::new()];
    let mut length = 0;
    for edge in e.traverse().take(4000) {
        let (ego_tree::iter::Edge::Open(node) | ego_tree::iter::Edge::Close(node)) = edge;
        match node.value() {
            scraper::Node::Text(t) if matches!(edge, ego_tree::iter::Edge::Open(_)) => {
                length += t.len();
                if let Some(block) = blocks.last_mut() {
                    block.push_str(t);
                }
            }
            scraper::Node::Element(el) if node.id() != e.id() && BLOCKS.contains(&el.name()) => {
                blocks.push(String::new())
            }
            _ => {}
        }
        // Past any byline's length: the caller drops it, however it ends.
        if length > 1000 {
            break;
        }
    }
    blocks
        .iter()
        .map(|b| collapse_whitespace(b))
        .filter(|b| !b.is_empty())
        .collect()
}

/// The byline's names with the one that holds the writer's linked name cut down to it: the
/// link bounds the name where the text runs on into a button or a hidden label ("Martin
/// Junker Kontakt", "AuthorAndreas Kalt").
fn bounded_by_link(mut names: Vec<String>, link: Option<&str>) -> Vec<String> {
    let Some(link) = link.filter(|l| l.contains(' ') && is_plausible_name(l)) else {
        return names;
    };
    if names.iter().any(|n| n == link) {
        return names;
    }
    for name in &mut names {
        if name.contains(link) {
            *name = link.to_string();
        }
    }
    names
}

/// "By Ana Ruiz and Tom Field, Staff Reporters" -> ["Ana Ruiz", "Tom Field"].
pub(crate) fn split_names(raw: &str) -> Vec<String> {
    // Entities escaped twice ("Redacci&oacute;n") would split at their semicolon.
    let mut s = collapse_whitespace(&html_escape::decode_html_entities(raw));
    // A label before a colon ("Von:Moritz", "Auteur : Anna") goes first.
    if let Some((label, rest)) = s.split_once([':', '：']) {
        let label = label.trim().to_lowercase();
        if [
            "interview",
            "verfasser",
            "verfasserin",
            "责任编辑",
            "作者",
            "记者",
            "von",
            "by",
            "autor",
            "autorin",
            "author",
            "auteur",
            "autore",
            "text",
            "texte",
            "written by",
            "geschrieben von",
        ]
        .contains(&label.as_str())
        {
            s = rest.trim().to_string();
        }
    }
    // "By", in the languages of the pages Parallax reads most.
    for prefix in [
        "all posts by ",
        "more posts by ",
        "posts by ",
        "articles by ",
        "alle beiträge von ",
        "alle artikel von ",
        "alles von ",
        "mehr von ",
        "written by ",
        "reporting by ",
        "posted by ",
        "eingestellt von ",
        "veröffentlicht von ",
        "erstellt von ",
        "gepostet von ",
        "pressemitteilung von ",
        "gastbeitrag von ",
        "ein beitrag von ",
        "beitrag von ",
        "kommentar von ",
        "publié par ",
        "escrito por ",
        "scritto da ",
        "a cura di ",
        "geschrieben von ",
        "verfasst von ",
        "by ",
        "von ",
        "par ",
        "por ",
        "di ",
        "door ",
        "av ",
        "autor: ",
        "author: ",
        "auteur : ",
        "autore: ",
    ] {
        if s.len() > prefix.len()
            && s.get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        {
            s = s[prefix.len()..].to_string();
            break;
        }
    }
    // "Landesanstalt für Wald und Forstwirtschaft" and "Mac & i" are one name each, not
    // two: a part with a lower-case word that is no particle, or of two letters at most, is
    // no name, and the whole is kept from splitting (and from being a person's name).
    let is_phrase = |part: &str| {
        let words: Vec<&str> = part.split_whitespace().collect();
        (words.len() >= 2
            && words.iter().any(|w| {
                w.chars().next().is_some_and(char::is_lowercase) && !NAME_PARTICLES.contains(w)
            }))
            || (words.len() == 1 && part.trim().chars().count() <= 2)
    };
    // "Glen Owen And Brendan Carlin For The Mail On Sunday": the outlet they wrote for
    // goes. Not from one part of a list ("Amy Lee | NJ Advance Media for NJ.com"): that
    // part names a company.
    if let Some((names, outlet)) = s.rsplit_once(" for ").or_else(|| s.rsplit_once(" For ")) {
        if !s.contains([',', ';', '|'])
            && outlet.chars().next().is_some_and(char::is_uppercase)
            && names.split_whitespace().count() >= 2
        {
            s = names.to_string();
        }
    }
    // "Eidgenössisches Departement für Wirtschaft, Bildung und Forschung": an institution's
    // name with a list in it, not a list of names.
    let institution = |first: &str| {
        let words: Vec<&str> = first.split_whitespace().collect();
        words.len() >= 3
            && words.iter().any(|w| {
                w.chars().next().is_some_and(char::is_lowercase)
                    && !NAME_PARTICLES.contains(w)
                    && !["and", "und", "et", "y", "by", "von", "par", "por"].contains(w)
            })
    };
    if s.contains(',') && s.split(',').next().is_some_and(institution) {
        return Vec::new();
    }
    s.replace([';', '|'], ",")
        .split(',')
        .flat_map(|segment| {
            let parts: Vec<&str> = segment
                .split(" and ")
                .flat_map(|p| p.split(" And "))
                .flat_map(|p| p.split(" und "))
                .flat_map(|p| p.split(" et "))
                .flat_map(|p| p.split(" y "))
                .flat_map(|p| p.split(" & "))
                .collect();
            if parts.len() > 1 && parts.iter().any(|p| is_phrase(p)) {
                Vec::new()
            } else {
                parts
            }
        })
        .map(|n| {
            without_role(without_handle(
                n.trim()
                    .trim_matches(['\'', '"', '‘', '’', '“', '”'])
                    .trim_end_matches(['-', '–', '—', '|', '/', '·', '•'])
                    .trim(),
            ))
        })
        .filter(|n| is_plausible_name(n))
        .map(str::to_string)
        .collect()
}

/// The names after the last "by" of a byline that opens with something else ("Posted on
/// September 21, 2020 by Adi Tzlil", "21 juin 2018, par Didier Roy").
fn names_after_by(text: &str) -> Vec<String> {
    [" by ", " von ", " par ", " por "]
        .iter()
        .filter_map(|by| text.rfind(by).map(|i| &text[i + by.len()..]))
        .map(split_names)
        .find(|names| !names.is_empty())
        .unwrap_or_default()
}

/// A name without the social-media handle written after it ("Williams Perdomo @wperdomod").
fn without_handle(name: &str) -> &str {
    match name.rsplit_once(' ') {
        Some((head, last)) if last.starts_with('@') && last.len() > 1 => head.trim(),
        _ => name,
    }
}

/// A name without the job title written after or before it ("Christoph Hein
/// Chefredakteur", "FOCUS-Online-Experte Robin Tschöpe").
fn without_role(name: &str) -> &str {
    const ROLES: &[&str] = &[
        "chefredakteur",
        "chefredakteurin",
        "redakteur",
        "redakteurin",
        "editor",
        "reporter",
        "korrespondent",
        "korrespondentin",
        "journalist",
        "journalistin",
        "autor",
        "autorin",
    ];
    // A compound role ("FOCUS-Online-Experte") ends in one of these.
    const ROLE_ENDINGS: &[&str] = &[
        "-experte",
        "-expertin",
        "-korrespondent",
        "-korrespondentin",
    ];
    let is_role = |word: &str| {
        let word = word.to_lowercase();
        ROLES.contains(&word.as_str()) || ROLE_ENDINGS.iter().any(|e| word.ends_with(e))
    };
    let name = match name.rsplit_once(' ') {
        Some((head, last)) if is_role(last) => head.trim(),
        _ => name,
    };
    // Before the name ("Redakteurin Anna Lenz"), a role goes if a name of two words stays.
    match name.split_once(' ') {
        Some((first, rest)) if is_role(first) && rest.contains(' ') => rest.trim(),
        _ => name,
    }
}

/// Labels of comment forms and of the byline itself, days and degrees ("Ann Lee, PhD"):
/// never a name.
const LABELS: &[&str] = &[
    // An author box's links and labels ("Bio", "Full Bio", "Senior Contributor").
    "bio",
    "full bio",
    "autor/in",
    "contributor",
    "senior contributor",
    "posted",
    "por",
    "par",
    "door",
    "text",
    "follow",
    "no author",
    "unknown",
    "phd",
    "ph.d.",
    "md",
    "m.d.",
    "more",
    "mehr",
    "mba",
    "msc",
    "rd",
    "rn",
    "name",
    "by",
    "von",
    "autor",
    "autoren",
    "author",
    "authors",
    "auteur",
    "auteurs",
    "hire",
    "email",
    "e-mail",
    "website",
    "kommentar",
    "comment",
    "admin",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Words that make a byline's text a role or a link's label, not a name.
const NOT_NAMES: &[&str] = &[
    "staff",
    "reporter",
    "correspondent",
    "editor",
    "updated",
    "published",
    "news desk",
    "artikel",
    "article",
    "profil",
    "profile",
    "jobs",
    "posts",
    // Advertisements in an author's slot ("Gesponserte Inhalte", a forum's ad post).
    "gesponsert",
    "sponsored",
    "advertis",
    "werbung",
    // An author box's labels and links ("Biography", "Weitere Beiträge").
    "biograph",
    "beiträge",
];

/// Whether `n` is a label, a day or a role rather than somebody's name.
fn is_label(n: &str) -> bool {
    let lower = n.to_lowercase();
    LABELS.contains(&lower.as_str()) || NOT_NAMES.iter().any(|w| lower.contains(w))
}

/// The small words inside names ("de la Cruz", "van Gogh").
const NAME_PARTICLES: &[&str] = &[
    "de", "da", "del", "der", "den", "van", "von", "la", "le", "di", "du", "dos", "das", "bin",
    "al", "y", "e", "zu",
];

fn is_plausible_name(n: &str) -> bool {
    let words = n.split_whitespace().count();
    // Every word of a name is capitalised, but for the particles of names ("de la Cruz").
    let words_ok = n.split_whitespace().all(|w| {
        w.chars().next().is_some_and(|c| !c.is_lowercase()) || NAME_PARTICLES.contains(&w)
    });
    // Initials are no name; a news agency's are ("PTI", "AFP").
    let acronym = words == 1
        && n.len() <= 4
        && n.chars().all(|c| c.is_ascii_uppercase())
        && !NEWS_AGENCIES.contains(&n.to_ascii_lowercase().as_str());
    // "Mi" and "Fr" are days before a date (two Chinese characters are a name);
    // "Rezept von" is a label without its name.
    let fragment = (words == 1 && n.chars().count() < 3 && n.chars().any(char::is_uppercase))
        || n.split_whitespace()
            .last()
            .is_some_and(|w| NAME_PARTICLES.contains(&w));
    (1..=4).contains(&words)
        && !acronym
        && !fragment
        && !n.contains(['*', '(', ')', ':', '©'])
        && words_ok
        && !n.contains("http")
        && !n.contains('@')
        // Capitalised, or in a script without letter case (Chinese, Arabic, Hebrew…).
        && n.chars().next().is_some_and(|c| c.is_uppercase() || (c.is_alphabetic() && !c.is_lowercase()))
        && !n.chars().any(|c| c.is_ascii_digit())
        && !is_label(n)
        // "Süddeutsche.de GmbH, Munich, Germany": the publisher's address is no writer.
        && !parallax_text::entities::is_known_place(n)
}

/// The name a link to an author's page shows (`rel="author"`, `…/author/<slug>/`), in or at
/// `e`: the site chose it, so a handle written in lower case ("gnaddrig") counts too.
fn author_link_name(e: &scraper::ElementRef<'_>) -> Option<String> {
    let is_author_link = |a: &scraper::ElementRef<'_>| {
        let v = a.value();
        v.name() == "a"
            && (v.attr("rel").is_some_and(|r| {
                r.split_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("author"))
            }) || v.attr("href").is_some_and(is_author_page))
    };
    let link = std::iter::once(*e)
        .chain(e.descendants().filter_map(scraper::ElementRef::wrap))
        .find(is_author_link)?;
    // The name its microdata marks, where the link also holds a picture and its credit.
    let marked = link
        .descendants()
        .take(64)
        .filter_map(scraper::ElementRef::wrap)
        .find(|d| d.value().attr("itemprop") == Some("name"));
    let text = collapse_whitespace(&marked.unwrap_or(link).text().collect::<String>());
    let mut text = text.trim_start_matches('@');
    // "All posts by X", "Alles von X".
    let starts_with = |t: &str, by: &str| {
        t.get(..by.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(by))
    };
    for by in [" by ", " von ", " par ", " de "] {
        let found = text
            .char_indices()
            .take_while(|(i, _)| *i < 24)
            .find(|(i, _)| starts_with(&text[*i..], by));
        if let Some((i, _)) = found {
            text = &text[i + by.len()..];
        }
    }
    // "PTI, " before the dateline's place.
    let text = without_by(text).trim_end_matches([',', ';', '|', '·', ' ']);
    let initials = text.chars().count() <= 3 && text.chars().all(|c| c.is_uppercase());
    let plausible = !text.is_empty()
        && !initials
        && text.chars().count() <= 40
        && text.split_whitespace().count() <= 4
        && text.chars().any(char::is_alphabetic)
        && !text.contains(['@', '/', ':', '(', ')'])
        && !text.to_lowercase().contains("admin")
        && !is_label(text);
    plausible.then(|| text.to_string())
}

/// The byline of Twitter's labelled data (`twitter:label1` "Written by", `twitter:data1` the
/// names), which SEO plugins write on millions of pages.
fn twitter_byline(doc: &Page<'_>) -> Vec<String> {
    const LABELS: &[&str] = &[
        "written by",
        "verfasst von",
        "geschrieben von",
        "von",
        "écrit par",
        "escrito por",
        "scritto da",
    ];
    for n in 1..=4 {
        let content = |key: &str| {
            let name = format!(r#"meta[name="twitter:{key}{n}"]"#);
            doc.select_named(&["meta"], &selector(&name))
                .find_map(|m| m.attr("content").map(str::to_string))
        };
        let is_byline =
            content("label").is_some_and(|l| LABELS.contains(&l.trim().to_lowercase().as_str()));
        if let Some(data) = content("data").filter(|_| is_byline) {
            return split_names(&data);
        }
    }
    Vec::new()
}

/// A byline written as text without any markup that names it ("Von Leonora Holling",
/// "Ein Artikel von Pamela Sladky | 27.01.2022"): a short element that starts with "By" and
/// goes on with nothing but names of two words or more.
fn written_byline(doc: &Page<'_>) -> Vec<String> {
    const OPENINGS: &[&str] = &[
        "By ",
        "by ",
        "Von ",
        "von ",
        "责任编辑：",
        "作者：",
        "Text von ",
        "Beitrag von ",
        "Blog Beitrag von ",
        "Autoren ",
        "Autor ",
        "Autorin ",
        "Written by ",
        "Written by: ",
        "Posted by ",
        "Veröffentlicht von ",
        "Gespeichert von ",
        "Eingestellt von ",
        "Geschrieben von ",
        "Verfasst von ",
        "Ein Artikel von ",
        "Ein Beitrag von ",
        "Text: ",
        "Text und Fotos: ",
        "Texte : ",
        "Auteur : ",
        "Auteur: ",
        "Autor: ",
        "Autorin: ",
        "Autoren: ",
        "Redaktion: ",
        "Author: ",
        "Par ",
        "Por ",
        "Door ",
        "Di ",
    ];
    const CANDIDATES: &[&str] = &[
        "p", "span", "em", "strong", "b", "i", "h4", "h5", "h6", "small", "address", "div", "li",
    ];
    // What sets a byline off from a date or a section before it ("05.02.2020 - Redaktion:").
    let unled = |text: &str| {
        text.trim_start_matches(['-', '–', '—', '|', '·', '•', ' '])
            .to_string()
    };
    for e in doc.named(CANDIDATES) {
        let Some(text) = short_text(&e, 100).map(|t| unled(&t)) else {
            continue;
        };
        if !OPENINGS.iter().any(|o| text.starts_with(o)) {
            continue;
        }
        // The byline's own block: the date or the section may follow in the next.
        let first = unled(&byline_blocks(&e).into_iter().next().unwrap_or_default());
        let Some(rest) = OPENINGS.iter().find_map(|o| first.strip_prefix(o)) else {
            continue;
        };
        if in_comments(&e) {
            continue;
        }
        // The names end where a date, a place or a role begins.
        let end = [
            " am ",
            " on ",
            " le ",
            " | ",
            " - ",
            " – ",
            " (",
            " • ",
            " · ",
            ", ",
            " /",
            " Foto",
            " Illustration",
            " Bild",
        ]
        .iter()
        .filter_map(|d| rest.find(d))
        .chain(rest.find(|c: char| c.is_ascii_digit()))
        .min()
        .unwrap_or(rest.len());
        let names = split_names(&rest[..end]);
        if !names.is_empty()
            && names
                .iter()
                .all(|n| n.split_whitespace().count() >= 2 || is_uncased_name(n))
        {
            return names;
        }
        // A blog's or a forum's handle, after words that can only open a byline ("Posted
        // by Konstantin", "Gespeichert von rasos"); a plain "By" may open anything.
        let handle = rest[..end].trim();
        let explicit = HANDLE_OPENINGS.iter().any(|o| first.starts_with(o));
        if explicit && is_handle(handle) {
            return vec![handle.to_string()];
        }
    }
    Vec::new()
}

/// A catalogue's "Surname, Given" (Dublin Core's `DC.creator` "Harm, Robert") as the name
/// is written: one word on each side of a single comma, which two writers' names never are.
fn surname_first(content: &str) -> Option<String> {
    let (surname, given) = content.split_once(',')?;
    let (surname, given) = (surname.trim(), given.trim());
    let is_word = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().all(|c| c.is_alphabetic() || c == '-')
    };
    // Given names with their initials and the surname's particle ("Michiel de", "F.").
    let given_ok = !given.is_empty()
        && given.split_whitespace().count() <= 3
        && given
            .split_whitespace()
            .all(|w| is_word(w.trim_end_matches('.')) || NAME_PARTICLES.contains(&w));
    (is_word(surname) && given_ok && !given.contains(','))
        .then(|| format!("{given} {surname}"))
        .filter(|name| is_plausible_name(name))
}

/// Openings after which a single word is a writer's handle.
const HANDLE_OPENINGS: &[&str] = &[
    "Posted by ",
    "Written by ",
    "Geschrieben von ",
    "Verfasst von ",
    "Veröffentlicht von ",
    "Gespeichert von ",
    "Eingestellt von ",
];

/// One word a site could show as a member's name: letters, digits, dots, dashes and
/// underscores, not a label ("admin", "Redaktion") nor initials.
fn is_handle(word: &str) -> bool {
    let initials = word.chars().count() <= 3 && word.chars().all(char::is_uppercase);
    (2..=30).contains(&word.chars().count())
        && word.chars().any(char::is_alphabetic)
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && !initials
        && !word.to_lowercase().contains("admin")
        && !is_label(word)
}

/// The candidates a fallback byline reader weighs at most: past them a page is a list, or
/// hostile, and each costs a walk around the candidate.
const MAX_BYLINE_CANDIDATES: usize = 64;

/// A byline after the date it was written, beside the headline ("11.12.2019 - Amelie
/// Loevenich", "04.02.2022 | 13:10 Uhr | Uta Helkenberg"): a short element of parts set
/// apart by dashes or bars, each but the last a date or a time, the last a name of two words
/// or more. Menus and lists of articles read the same ("2020 | Célina Bapst"), so the
/// element links nowhere, is in no list, and shares its parent or grandparent with the `<h1>`.
fn dated_byline(doc: &Page<'_>) -> Vec<String> {
    const CANDIDATES: &[&str] = &["p", "span", "small", "div"];
    const SEPARATORS: &[&str] = &[" - ", " – ", " | ", " · ", " • "];
    // A date or a time: digits, with a word or two ("13:10 Uhr", "3. März 2022").
    let is_date =
        |p: &str| p.chars().any(|c| c.is_ascii_digit()) && p.split_whitespace().count() <= 3;
    // The elements that hold a headline, found once: asking each candidate's parent for its
    // descendants would walk the page once per candidate.
    let holding_headline: rustc_hash::FxHashSet<ego_tree::NodeId> = doc
        .named(&["h1"])
        .take(MAX_HEADLINE_CANDIDATES)
        .flat_map(|h| h.ancestors().map(|a| a.id()))
        .collect();
    let near_headline = |e: &ElementRef<'_>| {
        e.ancestors()
            .take(2)
            .any(|a| holding_headline.contains(&a.id()))
    };
    let in_list_or_link = |e: &ElementRef<'_>| {
        e.ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| matches!(a.value().name(), "a" | "li" | "nav"))
            || e.descendants()
                .filter_map(ElementRef::wrap)
                .any(|d| d.value().name() == "a")
    };
    // A block inside would join its text to the byline's ("Uta HelmbergStellungnahme").
    let holds_blocks = |e: &ElementRef<'_>| {
        e.descendants()
            .skip(1)
            .filter_map(ElementRef::wrap)
            .any(|d| {
                matches!(
                    d.value().name(),
                    "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "table"
                )
            })
    };
    let mut looked_at = 0;
    // Beside the headline first: the cheapest test, and the one most elements fail.
    for e in doc.named(CANDIDATES).filter(near_headline) {
        // Bounded first: `holds_blocks` walks only what `short_text` read.
        let Some(text) = short_text(&e, 80).filter(|_| !holds_blocks(&e)) else {
            continue;
        };
        let mut parts = vec![text.as_str()];
        for sep in SEPARATORS {
            parts = parts.into_iter().flat_map(|p| p.split(sep)).collect();
        }
        let Some((name, dates)) = parts.split_last() else {
            continue;
        };
        let name = name.trim();
        if dates.is_empty() || !dates.iter().all(|d| is_date(d)) {
            continue;
        }
        // A page of endless dated lines is a list, and no byline is read from it.
        looked_at += 1;
        if looked_at > MAX_BYLINE_CANDIDATES {
            break;
        }
        if name.split_whitespace().count() < 2
            || !is_plausible_name(name)
            // "Naturschutz, BUND": a section and its outlet.
            || name.contains(',')
            // "PAID CONTENT": a label, not a name.
            || !name.chars().any(char::is_lowercase)
            || in_list_or_link(&e)
        {
            continue;
        }
        return vec![name.to_string()];
    }
    Vec::new()
}

/// News agencies, by the codes their copy is credited with ("dpa/lno", "(AP)").
const NEWS_AGENCIES: &[&str] = &[
    "dpa",
    "afp",
    "ap",
    "reuters",
    "apa",
    "kna",
    "epd",
    "sda",
    "ats",
    "ansa",
    "efe",
    "upi",
    "aap",
    "kyodo",
    "xinhua",
    "tass",
    "ria",
    "anp",
    "belga",
    "ctk",
    "pap",
    "mti",
    "dts",
    "ddp",
    "sid",
    "jiji",
    "europa press",
    "bloomberg",
    "cp",
    "pti",
    "ians",
    "ani",
    "yonhap",
];

/// The agency copy is credited to where no writer is named: in the dateline ("Hamburg
/// (dpa/lno) – …"), at the text's end ("… (FR mit dpa)") or on a line of its own
/// ("Von: det/dpa"), as printed.
fn agency_credit(doc: &Page<'_>) -> Option<String> {
    const MAX_PARAGRAPHS: usize = 200;
    const MAX_CREDIT_CHARS: usize = 30;
    let is_agency = |credit: &str| {
        let lower = credit.to_lowercase();
        credit.chars().count() <= MAX_CREDIT_CHARS
            && credit.split_whitespace().count() <= 4
            && !credit.chars().any(|c| c.is_ascii_digit())
            // "(AP Photo/Evan Vucci)" credits a picture.
            && !["photo", "foto", "bild", "image", "video", "grafik", "file"]
                .iter()
                .any(|w| lower.contains(w))
            && (NEWS_AGENCIES.contains(&lower.trim())
                || lower
                    .split(['/', ',', ' ', '-'])
                    .any(|part| NEWS_AGENCIES.contains(&part)))
    };
    let dashes = ['-', '–', '—', ':'];
    for p in doc.named(&["p"]).take(MAX_PARAGRAPHS) {
        if in_comments(&p) || has_marked_ancestor(&p, &["teaser", "related"]) {
            continue;
        }
        let Some(text) = short_text(&p, 2000) else {
            continue;
        };
        // "Hamburg (dpa/lno) – …", "(AP) — …": a dateline's credit, within its first words.
        if let Some((before, rest)) = text.split_once('(') {
            if before.chars().count() <= 40 && !before.contains(['.', ')']) {
                if let Some((credit, after)) = rest.split_once(')') {
                    if after.trim_start().starts_with(dashes) && is_agency(credit.trim()) {
                        return Some(credit.trim().to_string());
                    }
                }
            }
        }
        // "… jederzeit neu bilden können. (FR mit dpa)"
        if let Some(credit) = text
            .strip_suffix(')')
            .and_then(|t| t.rsplit_once('('))
            .map(|(_, credit)| credit.trim())
        {
            if is_agency(credit) {
                return Some(credit.to_string());
            }
        }
        // "Von: det/dpa", "Quelle: dpa"
        if text.chars().count() <= 40 {
            let credit = ["Von:", "Von", "Quelle:", "Source:", "By", "Por:", "Fuente:"]
                .iter()
                .find_map(|label| text.strip_prefix(label))
                .map(str::trim);
            if let Some(credit) = credit.filter(|c| is_agency(c)) {
                return Some(credit.to_string());
            }
        }
    }
    None
}

/// The name under which the post's author answers a comment: WordPress marks that comment
/// `bypostauthor` and names its writer in the comment's `fn` (a display name, or the handle
/// the blog is written under).
fn post_authors_reply(doc: &Page<'_>) -> Option<String> {
    // How far into the comment its writer's name is looked for.
    const MAX_NODES: usize = 300;
    let reply = doc
        .select_named(&["li", "div", "article"], static_selector!(".bypostauthor"))
        .next()?;
    let named = |classes: &[&str]| {
        reply
            .descendants()
            .take(MAX_NODES)
            .filter(|n| {
                ElementRef::wrap(*n).is_some_and(|e| {
                    e.value()
                        .attr("class")
                        .is_some_and(|c| c.split_whitespace().any(|w| classes.contains(&w)))
                })
            })
            // Its first words: a role or the time may follow ("Martina Berg<br><span>Autor").
            .find_map(|e| {
                e.descendants()
                    .take(MAX_NODES)
                    .find_map(|n| match n.value() {
                        scraper::Node::Text(t) if !t.trim().is_empty() => {
                            Some(collapse_whitespace(t))
                        }
                        _ => None,
                    })
            })
    };
    // The hCard's name, else the element the theme names for the comment's author.
    let name =
        named(&["fn"]).or_else(|| named(&["author", "comment-author", "comment-author-name"]))?;
    (is_plausible_name(&name) || is_handle(&name)).then_some(name)
}

/// The person a personal site names as its copyright holder ("© 2012-2019 Jane Doe. All
/// rights reserved."), for a page that names its author nowhere else: a blog's writer is its
/// owner. A company or a publication holding the rights is no author.
fn copyright_holder(doc: &Page<'_>) -> Option<String> {
    const MARKS: &[&str] = &["©", "(c)", "copyright"];
    const MAX_NOTICES: usize = 8;
    const MAX_MARKED: usize = 64;
    #[rustfmt::skip]
    const ORGANISATION_WORDS: &[&str] = &[
        "gmbh", "ag", "kg", "inc", "ltd", "llc", "corp", "co", "plc", "sa", "srl", "spa", "e.v",
        "media", "medien", "verlag", "news", "press", "presse", "group", "gruppe", "zeitung",
        "times", "post", "journal", "magazin", "magazine", "verband", "stiftung", "institut",
        "institute", "university", "universität", "company", "network", "tv", "radio",
        "online", "gesellschaft", "foundation", "association", "society", "club", "team",
        "redaktion", "blog", "digital", "studio", "studios", "verein", "agentur", "agency",
        "publishing", "wordpress", "theme", "themes", "forum", "stadt", "the",
    ];
    // Words that begin or make up the names of institutions, not of people.
    const ORGANISATION_STEMS: &[&str] = &[
        "redaktion",
        "schule",
        "verband",
        "rundfunk",
        "kaufhaus",
        "deutsch",
        "schweiz",
        "landes",
        "bundes",
        "hauptstadt",
        "national",
        "internation",
    ];
    // A person's name as a notice writes it: capitalised words ("Kurt-Walter Wessolek"),
    // none in capitals or set in camel case as brands are, the last more than an initial.
    let is_person_shaped = |words: &[&str]| {
        words.last().is_some_and(|w| w.chars().count() >= 2)
            && words.iter().all(|w| {
                NAME_PARTICLES.contains(w)
                    || w.split(['-', '\'']).all(|part| {
                        let mut chars = part.chars();
                        chars.next().is_some_and(char::is_uppercase)
                            && chars.all(|c| c.is_lowercase())
                    })
            })
            && !words.iter().any(|w| {
                let w = w.to_lowercase();
                ORGANISATION_STEMS.iter().any(|s| w.contains(s))
                    || parallax_text::entities::is_known_place(&capitalised(&w))
            })
    };
    let notices = doc
        .tree
        .nodes()
        .filter(|n| match n.value() {
            // Read without lower-casing: most text nodes are looked at and passed over.
            scraper::Node::Text(t) => ["©", "(c)", "(C)", "opyright", "OPYRIGHT"]
                .iter()
                .any(|m| t.contains(m)),
            _ => false,
        })
        .filter_map(|n| n.parent().and_then(ElementRef::wrap))
        // Photographs' credits come first on many pages: more are looked at than read.
        .take(MAX_MARKED);
    // The site's own notice closes the page; a © elsewhere credits a photograph.
    const FOOTER_MARKS: &[&str] = &["footer", "copyright", "colophon", "credits", "site-info"];
    let in_footer = |e: &ElementRef<'_>| {
        is_marked(e, FOOTER_MARKS)
            || has_marked_ancestor(e, FOOTER_MARKS)
            || e.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| a.value().name() == "footer")
    };
    const IMAGE_MARKS: &[&str] = &["image", "img", "photo", "foto", "bild", "picture"];
    let in_caption = |e: &ElementRef<'_>| {
        has_marked_ancestor(e, IMAGE_MARKS)
            || e.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| matches!(a.value().name(), "figure" | "figcaption" | "caption"))
    };
    let notices = notices
        .filter(|n| !in_comments(n) && in_footer(n) && !in_caption(n))
        .take(MAX_NOTICES);
    for notice in notices {
        let Some(text) = short_text(&notice, 300) else {
            continue;
        };
        let lower = text.to_lowercase();
        let Some(at) = MARKS.iter().filter_map(|m| lower.find(m)).min() else {
            continue;
        };
        // Lower-casing keeps the byte offsets of these ASCII and Latin-1 marks' text only
        // where it kept every char's length: read the rest from the text itself, safely.
        let Some(mut rest) = text.get(at..) else {
            continue;
        };
        loop {
            let before = rest;
            rest = rest.trim_start_matches(|c: char| {
                c.is_whitespace() || c.is_ascii_digit() || "©-–—,:".contains(c)
            });
            for opening in [
                "(c)",
                "(C)",
                "Copyright",
                "copyright",
                "COPYRIGHT",
                "by ",
                "von ",
            ] {
                rest = rest.strip_prefix(opening).unwrap_or(rest);
            }
            if rest == before {
                break;
            }
        }
        const ENDS: &[&str] = &[
            ". ",
            "|",
            "•",
            "·",
            ",",
            " - ",
            " – ",
            ";",
            "(",
            "All rights",
            "all rights",
            "Alle Rechte",
            "alle Rechte",
            "Tous droits",
            "Todos los derechos",
        ];
        let end = ENDS
            .iter()
            .filter_map(|e| rest.find(e))
            .min()
            .unwrap_or(rest.len());
        let name = rest[..end].trim().trim_end_matches('.').trim();
        let words: Vec<&str> = name.split_whitespace().collect();
        // "Hearst Communications, Inc.": the legal form after the cut names a company.
        let after: String = rest[end..]
            .trim_start_matches([',', ' '])
            .chars()
            .take(8)
            .collect::<String>()
            .to_lowercase();
        let incorporated = ORGANISATION_WORDS.iter().any(|w| {
            after
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .is_some_and(|first| first == *w)
        });
        let organisation = incorporated
            || words.iter().any(|w| {
                let w = w
                    .trim_matches(|c: char| !c.is_alphanumeric() && c != '.')
                    .to_lowercase();
                ORGANISATION_WORDS.contains(&w.trim_end_matches('.'))
            });
        if (2..=3).contains(&words.len())
            && !organisation
            && is_person_shaped(&words)
            && !name.contains(['.', '/', '&', '"', '_'])
            && !name.to_lowercase().contains("rights")
            && is_plausible_name(name)
        {
            return Some(name.to_string());
        }
    }
    None
}

/// A word with its first letter in capitals and the rest as it is.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A byline signed at the article's end: its last paragraph, a name of two or three words
/// and nothing else, set in bold or italics (`<p><b><i>Stefan Wasmer</i></b></p>`), after
/// paragraphs of text.
fn signed_byline<'a>(doc: &Page<'a>) -> Vec<String> {
    const EMPHASIS: &[&str] = &["b", "strong", "i", "em", "font"];
    // Siblings looked at on either side: a signature ends its container, and the text it
    // signs is just before it.
    const NEAR: usize = 24;
    // Text nodes read within a bound: a hostile paragraph holds endless empty elements.
    let texts = |n: ego_tree::NodeRef<'a, scraper::Node>| {
        n.descendants().take(512).filter_map(|d| match d.value() {
            scraper::Node::Text(t) => Some(&**t),
            _ => None,
        })
    };
    let has_text = |n: ego_tree::NodeRef<'a, scraper::Node>| match n.value() {
        scraper::Node::Text(t) => !t.trim().is_empty(),
        scraper::Node::Element(e) => e.name() == "p" && texts(n).any(|t| !t.trim().is_empty()),
        _ => false,
    };
    let mut looked_at = 0;
    for p in doc.named(&["p"]) {
        // Nothing but emphasis around the name: the cheapest test, first.
        let mut inner = p;
        loop {
            let mut children = inner.children().filter(|n| match n.value() {
                scraper::Node::Text(t) => !t.trim().is_empty(),
                scraper::Node::Element(_) => true,
                _ => false,
            });
            match (children.next(), children.next()) {
                (Some(only), None) => match ElementRef::wrap(only) {
                    Some(e) if EMPHASIS.contains(&e.value().name()) => inner = e,
                    _ => break,
                },
                _ => break,
            }
        }
        if inner == p {
            continue;
        }
        let Some(text) = short_text(&p, 40) else {
            continue;
        };
        let words = text.split_whitespace().count();
        if !(2..=3).contains(&words) || !is_plausible_name(&text) {
            continue;
        }
        looked_at += 1;
        if looked_at > MAX_BYLINE_CANDIDATES {
            break;
        }
        let mut after = p.next_siblings();
        let last = !after.by_ref().take(NEAR).any(has_text) && after.next().is_none();
        // After paragraphs of text (or one long one, as a review is): an article's end, not
        // a box of contacts.
        let longer_than = |e: &ElementRef<'a>, min: usize| {
            let mut len = 0;
            texts(**e).any(|t| {
                len += t.len();
                len > min
            })
        };
        let paragraphs_before = || {
            p.prev_siblings()
                .take(NEAR)
                .filter_map(ElementRef::wrap)
                .filter(|e| e.value().name() == "p")
        };
        let text_before = paragraphs_before().filter(|e| longer_than(e, 150)).count() >= 2
            || paragraphs_before().any(|e| longer_than(&e, 600));
        if last && text_before && !in_comments(&p) {
            return vec![text];
        }
    }
    Vec::new()
}

/// A name written in a script without letter case ("焦鹏"), which has no spaces to count.
fn is_uncased_name(n: &str) -> bool {
    n.chars().count() >= 2
        && n.chars()
            .all(|c| c.is_alphabetic() && !c.is_uppercase() && !c.is_lowercase())
}

/// A byline given after a label element of its own: `<h5>Autor:</h5>Peter Maahn/SP-X`.
fn labelled_byline(doc: &Page<'_>) -> Vec<String> {
    const LABELS: &[&str] = &[
        "autor",
        "autorin",
        "autoren",
        "author",
        "authors",
        "verfasser",
        "von",
        "by",
        "text",
    ];
    const CANDIDATES: &[&str] = &[
        "span", "strong", "b", "em", "dt", "th", "label", "h4", "h5", "h6",
    ];
    for el in label_elements(doc, CANDIDATES, LABELS) {
        // Only a label with its colon stands apart from its name: "Marie Arana, <span>
        // author</span><br><b>Margaret Atwood</b>" is a list of signatories and their roles.
        let colon = el
            .text()
            .collect::<String>()
            .trim_end()
            .ends_with([':', '：']);
        // What follows up to the next line break or block: a text node, a link, a <span>.
        let mut after = String::new();
        for node in el.next_siblings() {
            match node.value() {
                scraper::Node::Text(t) => after.push_str(t),
                // Line breaks between the label and the name ("<b>Von:</b><br><br>Ann Lee").
                scraper::Node::Element(e)
                    if e.name() == "br" && colon && after.trim().is_empty() => {}
                scraper::Node::Element(e)
                    if matches!(e.name(), "a" | "span" | "strong" | "b" | "em" | "i" | "dd") =>
                {
                    after.extend(ElementRef::wrap(node).into_iter().flat_map(|e| e.text()));
                }
                scraper::Node::Element(_) => break,
                _ => {}
            }
            if after.len() > 120 {
                break;
            }
        }
        let after = collapse_whitespace(&after);
        let end = ['/', ',', '|', '(', '·', '•']
            .iter()
            .filter_map(|d| after.find(*d))
            .min()
            .unwrap_or(after.len());
        let names = split_names(&after[..end]);
        if !names.is_empty() {
            return names;
        }
    }
    Vec::new()
}

/// The text of an element, whitespace collapsed, if it is no longer than `max` bytes.
fn short_text(e: &ElementRef<'_>, max: usize) -> Option<String> {
    let mut text = String::new();
    // Bounded in nodes too: asked of every element, it must not walk a hostile page's
    // endless empty elements once for each of their ancestors.
    let mut nodes = e.descendants();
    for node in nodes.by_ref().take(max + 64) {
        if let scraper::Node::Text(t) = node.value() {
            text.push_str(t);
            if text.len() > 4 * max {
                return None;
            }
        }
    }
    if nodes.next().is_some() {
        return None;
    }
    let text = collapse_whitespace(&text);
    (!text.is_empty() && text.len() <= max).then_some(text)
}

/// Paths of the pages sites keep for each of their writers.
const AUTHOR_PATHS: &[&str] = &[
    "/author/",
    "/authors/",
    "/autor/",
    "/autoren/",
    "/auteur/",
    "/reporters/",
    "/journalist/",
    "/redaktion/",
    "/profil/",
    "/staff/",
    "/contributor/",
    "/contributors/",
    "/writers/",
    "/by/",
];

/// `AUTHOR_PATHS` in one pass over an address, in any case: every link near a byline is
/// asked.
static AUTHOR_PATH_FINDER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(AUTHOR_PATHS)
        .unwrap_or_else(|_| unreachable!("plain paths"))
});

fn is_author_page(href: &str) -> bool {
    // Creative Commons' licences are ".../licenses/by/4.0/": "by" there is no writer.
    AUTHOR_PATH_FINDER.is_match(href) && !href.contains("/licenses/")
}

/// Whether an element, or the line it stands in, credits a translator ("Übersetzung Sarah
/// Lee", "Translated by …"): the writer's byline is elsewhere.
fn is_translator_credit(e: &scraper::ElementRef<'_>) -> bool {
    const TRANSLATOR: &[&str] = &[
        "übersetzung",
        "übersetzt von",
        "aus dem englischen",
        "translation",
        "translated by",
        "traducción",
        "traduction",
        "traduit par",
        "traduzione",
        "tradotto da",
    ];
    std::iter::once(*e)
        .chain(e.parent().and_then(ElementRef::wrap))
        .filter_map(|x| short_text(&x, 120))
        .any(|t| {
            let t = t.to_lowercase();
            TRANSLATOR.iter().any(|l| t.starts_with(l))
        })
}

/// Whether an element is, or sits in, a page's comments (or their form).
fn in_comments(e: &scraper::ElementRef<'_>) -> bool {
    const COMMENTS: &[&str] = &["comment", "respond", "reply"];
    is_marked(e, COMMENTS) || has_marked_ancestor(e, COMMENTS)
}

/// A line that tells the reader the time now (forums print "It is currently …").
fn is_clock_line(text: &str) -> bool {
    const NOW: &[&str] = &[
        "it is currently",
        "current time",
        "aktuelle zeit",
        "es ist jetzt",
        "heute ist",
        "today is",
    ];
    // Only the line's start is lowered: a text node can be a whole article.
    let head: String = text.trim_start().chars().take(20).collect();
    let head = head.to_lowercase();
    NOW.iter().any(|n| head.starts_with(n))
}

/// Whether an element sits in a list of other articles ("related-posts").
fn in_related(e: &scraper::ElementRef<'_>) -> bool {
    has_marked_ancestor(e, &["related"])
}

/// Whether an element sits in the site's navigation (a menu's teasers carry their dates).
fn in_navigation(e: &scraper::ElementRef<'_>) -> bool {
    e.ancestors()
        .filter_map(scraper::ElementRef::wrap)
        .take(12)
        .any(|a| a.value().name() == "nav")
        || has_marked_ancestor(e, &["menu"])
}

/// Whether one of an element's nearest ancestors has a class or id containing one of
/// `words`; not `<body>` or `<html>`, whose classes say what the page allows
/// ("comments-enabled"), not what it is.
fn has_marked_ancestor(e: &scraper::ElementRef<'_>, words: &[&str]) -> bool {
    e.ancestors()
        .filter_map(scraper::ElementRef::wrap)
        .take(12)
        .filter(|a| !matches!(a.value().name(), "body" | "html"))
        .any(|a| is_marked(&a, words))
}

/// Whether an element's class or id contains one of `words`.
fn is_marked(e: &scraper::ElementRef<'_>, words: &[&str]) -> bool {
    let v = e.value();
    [v.attr("class"), v.attr("id")]
        .into_iter()
        .flatten()
        .any(|x| {
            let x = x.to_ascii_lowercase();
            words.iter().any(|w| x.contains(w))
        })
}

/// The calendar day of a moment where it was written (UTC if no zone was given).
fn local_day((at, offset): (chrono::DateTime<chrono::Utc>, Option<i32>)) -> chrono::NaiveDate {
    (at + chrono::Duration::minutes(i64::from(offset.unwrap_or(0)))).date_naive()
}

/// How far a page's `<time>` may be from the date in its address and still be its own.
const MAX_TIME_FROM_URL_DAYS: i64 = 7;

fn midnight(date: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    date.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// A date written on the page: first in the elements that hold datelines and bylines, then
/// beside the headline, then anywhere near the top of the text.
fn dateline(doc: &Page<'_>, title: Option<&str>) -> Option<chrono::NaiveDate> {
    let mut marked: Vec<ElementRef<'_>> = doc
        .tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .filter(|e| is_date_marked(e.value()))
        // A commenter's date is the comment's, a related article's or a menu's another
        // article's.
        .filter(|e| !in_comments(e) && !in_navigation(e) && !in_related(e))
        .collect();
    // The element the page itself names as the publication date before those whose class
    // merely mentions a date (a header's "today").
    marked.sort_by_key(|e| e.attr("itemprop") != Some("datePublished"));
    let text_of = |el: &ElementRef<'_>| {
        let text: String = el.text().take(50).collect::<Vec<_>>().join(" ");
        (text.len() < 300 && !is_clock_line(&text)).then_some(text)
    };
    for el in &marked {
        // `<meta itemprop="datePublished" content="…">` in the body.
        if let Some(d) = el.attr("content").and_then(parse_date) {
            return Some(d.date_naive());
        }
        if let Some(d) = text_of(el).and_then(|t| date_from_text(&t)) {
            return Some(d);
        }
    }
    // Abbreviated years only when no dateline has a full one: a list of other articles
    // abbreviates more often than the article's own dateline.
    if let Some(d) = marked
        .iter()
        .find_map(|el| text_of(el).and_then(|t| date_from_dateline(&t)))
    {
        return Some(d);
    }
    if let Some(d) = labelled_date(doc) {
        return Some(d);
    }
    if let Some(d) = beside_headline(doc, title) {
        return Some(d);
    }
    // The site's menus come first in many pages, with their teasers' dates.
    let body = static_selector!("body");
    let text: String = doc
        .select_named(&["body"], body)
        .next()?
        .descendants()
        .filter_map(|node| match node.value() {
            scraper::Node::Text(t) => Some((node, &**t)),
            _ => None,
        })
        .filter(|(node, _)| {
            node.parent()
                .and_then(ElementRef::wrap)
                .is_none_or(|e| !in_navigation(&e) && e.value().name() != "nav")
        })
        .map(|(_, t)| t)
        .filter(|t| !is_clock_line(t))
        .take(400)
        .collect::<Vec<_>>()
        .join(" ");
    date_from_text(&text)
}

/// A date printed just after the headline (the dateline under it, or inside it), else just
/// before it (a kicker line with the date): the headline is the `<h1>` that the title names,
/// not a logo's.
fn beside_headline(doc: &Page<'_>, title: Option<&str>) -> Option<chrono::NaiveDate> {
    let title = title.map(str::to_lowercase);
    let h1s: Vec<ElementRef<'_>> = doc.named(&["h1"]).take(MAX_HEADLINE_CANDIDATES).collect();
    // The heading that shares the most of the title ("Liga" in "Neuer Trainer | Liga" is
    // the logo's).
    let shared = |h: &ElementRef<'_>| {
        let (Some(t), Some(text)) = (&title, short_text(h, 400)) else {
            return 0;
        };
        let text = text.to_lowercase();
        if t.contains(&text) || text.contains(t.as_str()) {
            text.len().min(t.len())
        } else {
            0
        }
    };
    let headline = h1s
        .iter()
        .map(|h| (shared(h), h))
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, _)| *n)
        .map(|(_, h)| h)
        .or(h1s.first())?;
    // After: the headline's own text, then what follows it in document order.
    const AFTER_TEXTS: usize = 30;
    const NODE_BUDGET: usize = 600;
    const MAX_DATELINE: usize = 80;
    const MAX_SUBTREES: usize = 200;
    // The first few texts after the headline are its dateline's; a date further down may be
    // a list's, and yields to one printed just before the headline.
    const NEAR_TEXTS: usize = 8;
    let mut near = None;
    let mut after = String::new();
    let mut texts = 0;
    let mut subtrees = vec![**headline];
    let mut at = Some(**headline);
    while let Some(node) = at {
        subtrees.extend(node.next_siblings().take(MAX_SUBTREES));
        at = node.parent();
        if subtrees.len() > MAX_SUBTREES {
            break;
        }
    }
    for node in subtrees
        .iter()
        .take(MAX_SUBTREES)
        .flat_map(|n| n.descendants())
        .take(NODE_BUDGET)
    {
        if let scraper::Node::Text(t) = node.value() {
            // A dateline is a short text of its own; the dates in the article's sentences
            // are those of the events it reports.
            let t = t.trim();
            let commenters = || {
                node.parent()
                    .and_then(ElementRef::wrap)
                    .is_some_and(|e| in_comments(&e))
            };
            if !t.is_empty() && t.len() <= MAX_DATELINE && !commenters() {
                after.push_str(t);
                after.push(' ');
                texts += 1;
                if texts == NEAR_TEXTS {
                    near = Some(after.len());
                }
                if texts >= AFTER_TEXTS {
                    break;
                }
            }
        }
    }
    let near = &after[..near.unwrap_or(after.len())];
    // Before: the nearest earlier siblings of the headline and of its parent.
    let before = || {
        [Some(**headline), headline.parent()]
            .into_iter()
            .flatten()
            .flat_map(|n| n.prev_siblings().take(3))
            .filter_map(ElementRef::wrap)
            .filter_map(|e| short_text(&e, MAX_DATELINE))
            .find_map(|t| date_from_dateline(&t))
    };
    date_from_dateline(near)
        .or_else(before)
        .or_else(|| date_from_dateline(&after))
}

/// Words in class names of the elements that hold datelines and bylines, in any case.
static DATE_CLASS_WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(["date", "time", "posted", "publish", "meta", "byline"])
        .unwrap_or_else(|_| unreachable!("plain words"))
});

/// `[class*="date" i], [class*="time" i], …, [id*="date" i], [itemprop="datePublished"]`,
/// read in one pass over the attributes (the selector engine costs more on every element).
fn is_date_marked(e: &scraper::node::Element) -> bool {
    e.attrs().any(|(name, value)| match name {
        "class" => DATE_CLASS_WORDS.is_match(value),
        "id" => value
            .as_bytes()
            .windows(4)
            .any(|w| w.eq_ignore_ascii_case(b"date")),
        "itemprop" => value == "datePublished",
        _ => false,
    })
}

/// A date given after a label of its own ("<span>Datum</span> <span>25.01.2022</span>",
/// "<dt>Published</dt><dd>…</dd>"), as official and press pages print them.
/// The elements among `candidates` whose whole text is one of `labels` (lower case), a colon after
/// it or not: "Datum", "Autor:".
fn label_elements<'p, 'a>(
    doc: &'p Page<'a>,
    candidates: &'static [&'static str],
    labels: &'static [&'static str],
) -> impl Iterator<Item = ElementRef<'a>> + 'p {
    doc.named(candidates).filter(move |el| {
        short_text(el, 30).is_some_and(|t| {
            // "| By ": a separator before the label, for readers of the screen.
            let t = t
                .trim_start_matches(['|', '·', '•', ' '])
                .trim_end_matches([':', ' ']);
            labels.contains(&t.to_lowercase().as_str())
        })
    })
}

fn labelled_date(doc: &Page<'_>) -> Option<chrono::NaiveDate> {
    const LABELS: &[&str] = &[
        "datum",
        "date",
        "published",
        "published on",
        "veröffentlicht",
        "veröffentlicht am",
        "erstellt",
        "erstellt am",
        "erschienen",
        "erschienen am",
        "publié le",
        "fecha",
        "data",
        "pubblicato",
    ];
    const CANDIDATES: &[&str] = &[
        "span", "strong", "b", "em", "dt", "th", "label", "td", "div", "p", "h4", "h5", "h6",
    ];
    for el in label_elements(doc, CANDIDATES, LABELS) {
        let next = el
            .next_siblings()
            .filter_map(ElementRef::wrap)
            .next()
            .and_then(|n| short_text(&n, 100));
        let parent = el
            .parent()
            .and_then(ElementRef::wrap)
            .and_then(|p| short_text(&p, 160));
        if let Some(d) = next
            .iter()
            .chain(parent.iter())
            .find_map(|t| date_from_text(t))
        {
            return Some(d);
        }
    }
    // A label and its date in one line of text, as a footer prints them under a line that
    // dates the last change ("Letzte Änderung: 31.10.2023<br>Erschienen am: 01.11.2023").
    const MAX_LINE: usize = 60;
    doc.tree
        .nodes()
        .filter_map(|n| match n.value() {
            scraper::Node::Text(t) if t.len() <= MAX_LINE => Some(&**t),
            _ => None,
        })
        .find_map(|line| {
            let (label, date) = line.split_once(':')?;
            let label = label.trim().to_lowercase();
            LABELS
                .contains(&label.as_str())
                .then(|| date_from_text(date))
                .flatten()
        })
}

/// The article's headline. JSON-LD's headline first; then the page's `<h1>` when the
/// `<title>` or social title contains it (it is the headline without the site's decorations);
/// then the social title, then the `<title>`, each cleaned of the site name.
fn choose_title(
    headline: Option<String>,
    social: Option<String>,
    document: Option<String>,
    h1: Option<String>,
    site_name: Option<&str>,
    page: Option<&Url>,
) -> Option<String> {
    let host = page.and_then(Url::host_str);
    let clean = |t: &str| clean_title(t, site_name, host);
    // JSON-LD's headline is the article's own (some sites append their name there too),
    // unless nothing else on the page says anything like it: Wikipedia puts a description
    // there.
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let agrees = |headline: &str| {
        let mine = words(headline);
        let others = [&social, &document, &h1];
        others.iter().all(|o| o.is_none())
            || others.iter().filter_map(|o| o.as_deref()).any(|o| {
                let theirs = words(o);
                let shared = mine.iter().filter(|w| theirs.contains(w)).count();
                shared * 2 >= mine.len()
            })
    };
    // The page's own heading over a title that words the same headline differently ("What
    // we learned from…" for "The royal split…: 11 things we learned from…"): titles are
    // often rewritten for search and sharing, the heading is what the outlet shows its
    // readers. Not where one holds the other (a kicker or the site's name added), nor for
    // a heading of two words.
    let reworded = |t: &str, h1: &str| {
        let (ft, fh) = (fold_title(t), fold_title(h1));
        if ft.contains(&fh) || fh.contains(&ft) || h1.split_whitespace().count() < 3 {
            return false;
        }
        let mine = words(t);
        let theirs = words(h1);
        let shared = mine.iter().filter(|w| theirs.contains(w)).count();
        // One word for word inside the other is one with a kicker added, or cut.
        let runs_inside =
            |a: &[String], b: &[String]| !a.is_empty() && b.windows(a.len()).any(|w| w == a);
        let only_theirs = theirs.iter().any(|w| !mine.contains(w));
        shared * 2 >= mine.len().max(theirs.len())
            && only_theirs
            && !runs_inside(&mine, &theirs)
            && !runs_inside(&theirs, &mine)
    };
    if let Some(h) = headline
        .as_deref()
        .map(clean)
        .filter(|h| !h.is_empty() && agrees(h))
    {
        let heading = h1
            .as_deref()
            .map(collapse_whitespace)
            .filter(|x| reworded(&h, x));
        return Some(heading.unwrap_or(h));
    }
    let fold = fold_title;
    if let Some(h1) = h1
        .as_deref()
        .map(collapse_whitespace)
        .filter(|h| h.chars().count() >= 3 && !is_placeholder_title(h))
    {
        let h = fold(&h1);
        let within = |t: &Option<String>| t.as_deref().is_some_and(|t| fold(t).contains(&h));
        // Blogs put the site's name in the page's `<h1>` and the post's in the title: an
        // h1 that is the title's site part is no headline.
        let label = host.map(site_label).filter(|l| l.len() >= 4);
        // A segment of the title is the site's name rather than the headline when the
        // page's address names the other part and not it.
        let slug = page.map(slug_words).unwrap_or_default();
        let names_site = site_name.is_some_and(|s| fold(s) == h)
            || label
                .as_deref()
                .is_some_and(|l| h.replace([' ', '-', '.'], "") == *l)
            || document.as_deref().is_some_and(|d| {
                let headline = fold(&clean(d));
                headline != h
                    && fold(d) != h
                    && is_title_segment(&fold(d), &h)
                    && slug_overlap(&h, &slug) < 0.5
                    && slug_overlap(&headline, &slug) >= 0.5
            });
        if !names_site && (within(&document) || within(&social)) {
            return Some(h1);
        }
        let social_title = social
            .as_deref()
            .map(clean)
            .filter(|t| !t.is_empty() && site_name.is_none_or(|s| !t.eq_ignore_ascii_case(s)));
        let document_title = document.as_deref().map(clean).filter(|t| !t.is_empty());
        // Of the two, the one the heading holds: a social title can be the section's
        // ("Press releases") where the document's is the headline the <h1> prints.
        let heading_words = words(&h1);
        let held = |t: &Option<String>| {
            t.as_deref().map(words).is_some_and(|w| {
                !w.is_empty()
                    && heading_words
                        .windows(w.len())
                        .any(|run| run == w.as_slice())
            })
        };
        let title = if !held(&social_title) && held(&document_title) {
            document_title
        } else {
            social_title.or(document_title)
        };
        // A title that is only the site's name (a blog's, a section's) says nothing of the
        // page, where the heading and the address agree on what it is about.
        let title_names_site = title.as_deref().is_some_and(|t| {
            let bare: String = fold(t).chars().filter(|c| c.is_alphanumeric()).collect();
            site_name.is_some_and(|s| fold(s) == fold(t))
                || label.as_deref().is_some_and(|l| bare.starts_with(l))
                || (slug.len() >= 2
                    && slug_overlap(t, &slug) == 0.0
                    && slug_overlap(&h1, &slug) >= 0.5)
        });
        if !names_site && (title_names_site || title.as_deref().is_some_and(is_placeholder_title)) {
            return Some(h1);
        }
        if !names_site && title.as_deref().is_some_and(|t| reworded(t, &h1)) {
            return Some(h1);
        }
        return title.or(Some(h1));
    }
    social
        .as_deref()
        .map(clean)
        .filter(|t| !t.is_empty() && site_name.is_none_or(|s| !t.eq_ignore_ascii_case(s)))
        .or_else(|| document.as_deref().map(clean).filter(|t| !t.is_empty()))
        .or(h1)
}

/// Whether a title or heading is a word every page of a site could carry ("Home",
/// "Sections", "Untitled"): a navigation label or a template's placeholder, no headline.
fn is_placeholder_title(t: &str) -> bool {
    const PLACEHOLDERS: &[&str] = &[
        "home",
        "homepage",
        "startseite",
        "accueil",
        "inicio",
        "sections",
        "menu",
        "menü",
        "navigation",
        "untitled",
        "untitled document",
        "index",
        "search",
        "suche",
    ];
    PLACEHOLDERS.contains(&t.trim().to_lowercase().as_str())
}

/// The page heading that is a whole leading or trailing part of a title that still holds
/// a site's name ("Headline | A Blog About Things", "Site » Blog » Headline"), unless that
/// heading is the site's name itself.
fn headline_among_headings(
    title: &str,
    headings: impl FnOnce() -> Vec<String>,
    site_name: Option<&str>,
    page: Option<&Url>,
) -> Option<String> {
    let folded = fold_title(title);
    // Most titles have no separator left: the page's headings are not even read then.
    if !TITLE_SEPARATORS.iter().any(|s| folded.contains(s)) {
        return None;
    }
    let headings = headings();
    let label = page
        .and_then(Url::host_str)
        .map(site_label)
        .filter(|l| l.len() >= 4);
    let slug = page.map(slug_words).unwrap_or_default();
    let names_site = |h: &str| {
        site_name.is_some_and(|s| fold_title(s) == h)
            || label
                .as_deref()
                .is_some_and(|l| h.replace([' ', '-', '.'], "").contains(l))
            || (!h.contains(' ') && h.contains('.'))
    };
    headings.iter().find_map(|heading| {
        let h = fold_title(heading);
        if h.chars().count() < 3 || h == folded || names_site(&h) {
            return None;
        }
        TITLE_SEPARATORS.iter().find_map(|sep| {
            let leading = folded
                .strip_prefix(h.as_str())
                .and_then(|rest| rest.strip_prefix(sep));
            let trailing = folded
                .strip_suffix(h.as_str())
                .and_then(|rest| rest.strip_suffix(sep));
            // The part that is the headline is the one the address names at least as much
            // as the rest: "Blog » Headline" and "Headline | Blog" alike. A trailing part
            // must be named at all ("Headline - Blog Name" is the usual order).
            let named = |rest: &str, floor: f64| {
                slug_overlap(&h, &slug) >= slug_overlap(rest, &slug).max(floor)
            };
            match (leading, trailing) {
                (Some(rest), _) if named(rest, 0.0) => Some(heading.clone()),
                (_, Some(rest)) if named(rest, 0.01) => Some(heading.clone()),
                _ => None,
            }
        })
    })
}

/// The page's heading, where it is the title in full and the chosen title a cut of it: meta
/// titles are shortened for search results ("…", or a clause dropped), an unescaped quote
/// ends an attribute early, and the heading is the headline as the reader sees it.
fn completed_by_heading(title: &str, heading: Option<&str>) -> Option<String> {
    const MAX_HEADING_CHARS: usize = 250;
    let heading = collapse_whitespace(heading?);
    let stem = title.trim_end_matches(['.', '…', ' ']);
    let (h, t) = (fold_title(&heading), fold_title(stem));
    if t.chars().count() < 10 || heading.chars().count() > MAX_HEADING_CHARS {
        return None;
    }
    h.strip_prefix(t.as_str())?;
    // Folding keeps one char for one: the heading's own rest keeps its capitals.
    let rest: String = heading.chars().skip(t.chars().count()).collect();
    let cut = stem.len() < title.len();
    // The sentence goes on ("… in Tennessee", "…: easy", "… \"quoted\""); a capital after a
    // space starts a subtitle set in the heading ("Headline Subtitle"), and a separator
    // the site's name.
    let mut next = rest.trim_start().chars();
    let goes_on = match (rest.chars().next(), next.next()) {
        (Some(':' | '"'), _) => true,
        (Some(c), Some(n)) if c.is_whitespace() => n.is_lowercase() || n == '"' || n == '(',
        _ => false,
    };
    let adds_words = rest.chars().any(char::is_alphanumeric);
    (adds_words && (cut || goes_on)).then_some(heading)
}

/// The page's `<title>`, where the chosen title is its cut at a quote mark: an unescaped
/// `"` inside a meta tag's `content` ends the attribute there, while `<title>` holds text,
/// not an attribute, and keeps the quoted words.
fn completed_at_quote(title: &str, document: Option<&str>) -> Option<String> {
    let document = collapse_whitespace(document?);
    let (d, t) = (fold_title(&document), fold_title(title));
    let rest = d.strip_prefix(t.as_str())?;
    let rest = rest.trim_start();
    let quoted = rest.strip_prefix('"').is_some_and(|r| r.contains('"'));
    (t.chars().count() >= 10 && quoted).then_some(document)
}

/// A title folded for comparison: dashes, quotes and ellipses of one kind, lower case.
fn fold_title(s: &str) -> String {
    fold_typography(s).to_lowercase()
}

/// Dashes, quotes and ellipses of one kind, whitespace collapsed.
fn fold_typography(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '–' | '—' | '‐' => '-',
            '’' | '‘' => '\'',
            '“' | '”' | '„' => '"',
            '…' => '.',
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The zone a page writes its timestamps in, when they name one other than UTC: the most
/// frequent offset among `<time datetime>`, `<meta content>` and JSON-LD dates.
fn site_offset_minutes(doc: &Page<'_>) -> Option<i32> {
    let mut counts: std::collections::HashMap<i32, usize> = std::collections::HashMap::new();
    let mut count = |value: &str| {
        // RFC 3339 or RFC 2822 ("Sat, 19 Oct 2019 00:04:00 +0200").
        let looks_like_time = value.len() <= 40
            && value.contains(':')
            && value
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphanumeric());
        if let Some((_, Some(offset))) = looks_like_time.then(|| parse_date_zoned(value)).flatten()
        {
            if offset != 0 {
                *counts.entry(offset).or_default() += 1;
            }
        }
    };
    for t in doc.select_named(&["time"], static_selector!("time[datetime]")) {
        count(t.attr("datetime").unwrap_or_default());
    }
    for m in doc.select_named(&["meta"], static_selector!("meta[content]")) {
        count(m.attr("content").unwrap_or_default());
    }
    for ld in doc.json_ld() {
        visit_strings(ld, &mut |s| count(s), 0);
    }
    counts
        .into_iter()
        .max_by_key(|(offset, n)| (*n, -offset.abs()))
        .map(|(offset, _)| offset)
}

/// The zone of a moment given in UTC, from the same moment written elsewhere on the page in
/// local time: in a script's data with its offset (`"2020-02-24T21:25:54-05:00"`), or as the
/// wall clock of a `<time datetime>` without one.
fn local_offset_of(doc: &Page<'_>, at: chrono::DateTime<chrono::Utc>) -> Option<i32> {
    let naive_offset = |value: &str| {
        let (wall, None) = parse_date_zoned(value)? else {
            return None;
        };
        let minutes = (wall - at).num_minutes();
        let whole = (wall - at).num_seconds() % 60 == 0 && minutes % 15 == 0;
        (whole && minutes != 0 && (-12 * 60..=14 * 60).contains(&minutes)).then_some(minutes as i32)
    };
    let written = doc
        .select_named(&["time"], static_selector!("time[datetime]"))
        .filter_map(|t| t.attr("datetime"))
        .filter(|v| v.contains(':'))
        .find_map(naive_offset);
    written.or_else(|| {
        doc.named(&["script"])
            .flat_map(|script| script.text())
            .find_map(|text| offset_in_script(text, at))
    })
}

/// The offset of the first timestamp in a script's text that names `at` in a zone other than
/// UTC.
fn offset_in_script(text: &str, at: chrono::DateTime<chrono::Utc>) -> Option<i32> {
    const SHAPE: &str = "0000-00-00T00:00:00";
    let bytes = text.as_bytes();
    // Each `T` after a date and before a time starts a candidate; the zone follows within a
    // few bytes (fractions of a second, then `+hh:mm`).
    memchr::memchr_iter(b'T', bytes).find_map(|t| {
        let start = t.checked_sub(10)?;
        let shape_ok = SHAPE
            .bytes()
            .zip(&bytes[start..])
            .all(|(want, &got)| match want {
                b'0' => got.is_ascii_digit(),
                other => other == got,
            });
        if !shape_ok {
            return None;
        }
        let rest = bytes.get(start..(start + 35).min(bytes.len()))?;
        let end = rest
            .iter()
            .position(|b| !(b.is_ascii_digit() || b"-:T.+Z".contains(b)))
            .unwrap_or(rest.len());
        let (when, offset) = parse_date_zoned(text.get(start..start + end)?)?;
        (when == at).then_some(offset?).filter(|&o| o != 0)
    })
}

/// Every string inside a JSON value, to a bounded depth.
fn visit_strings(v: &Value, f: &mut dyn FnMut(&str), depth: usize) {
    if depth > 16 {
        return;
    }
    match v {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter().for_each(|i| visit_strings(i, f, depth + 1)),
        Value::Object(map) => map.values().for_each(|i| visit_strings(i, f, depth + 1)),
        _ => {}
    }
}

/// The words of a page's address path, lower case and transliterated to ASCII.
fn slug_words(page: &Url) -> Vec<String> {
    ascii_fold(&page.path().to_lowercase())
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 2)
        .map(str::to_string)
        .collect()
}

/// How long a word of the address must be to name a longer word it begins.
const MIN_CUT_SLUG_WORD: usize = 5;

/// The share of a text's words (of three letters or more) that the address also has.
fn slug_overlap(text: &str, slug: &[String]) -> f64 {
    let folded = ascii_fold(text);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 3)
        .collect();
    if words.is_empty() {
        return 0.0;
    }
    // A slug may cut a word's ending ("…gesetz" for "…gesetzes", "flak" for "flake").
    let names = |s: &str, w: &str| s == w || (s.len() >= MIN_CUT_SLUG_WORD && w.starts_with(s));
    let found = words
        .iter()
        .filter(|w| slug.iter().any(|s| names(s, w)))
        .count();
    found as f64 / words.len() as f64
}

/// Lower case ASCII, the way addresses spell words: `Getränke` -> `getraenke`.
fn ascii_fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.to_lowercase().chars() {
        match c {
            'ä' | 'æ' => out.push_str("ae"),
            'ö' | 'ø' | 'œ' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            'à' | 'á' | 'â' | 'ã' | 'å' => out.push('a'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ò' | 'ó' | 'ô' | 'õ' => out.push('o'),
            'ù' | 'ú' | 'û' => out.push('u'),
            'ç' => out.push('c'),
            'ñ' => out.push('n'),
            c => out.push(c),
        }
    }
    out
}

/// Separators between a title's headline and its site's name.
const TITLE_SEPARATORS: &[&str] = &[
    " | ", " - ", " — ", " – ", " :: ", " · ", " // ", " » ", " « ",
];

/// Whether `part` is one whole segment of `title` (between its separators).
fn is_title_segment(title: &str, part: &str) -> bool {
    split_on_any(title, TITLE_SEPARATORS)
        .iter()
        .any(|p| p.trim() == part)
}

/// Splits at every occurrence of any of the separators.
fn split_on_any<'a>(text: &'a str, separators: &[&str]) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some((i, sep)) = separators
        .iter()
        .filter_map(|s| rest.find(s).map(|i| (i, *s)))
        .min_by_key(|(i, _)| *i)
    {
        parts.push(&rest[..i]);
        rest = &rest[i + sep.len()..];
    }
    parts.push(rest);
    parts
}

/// Letters and digits only, lower-cased: "Die FURCHE" and "die-furche" are one name.
fn alphanumeric_lowercase(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The address an Internet Archive copy keeps
/// (`https://web.archive.org/web/20120216182711/http://www.stol.it/…`).
fn archived_original(page: &Url) -> Option<Url> {
    if page.host_str()? != "web.archive.org" {
        return None;
    }
    let rest = page.path().strip_prefix("/web/")?;
    let (stamp, original) = rest.split_once('/')?;
    // The capture's time, with a flag for the kind of copy ("20120216182711im_").
    if !stamp.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let original = match page.query() {
        Some(query) => format!("{original}?{query}"),
        None => original.to_string(),
    };
    let original = if original.contains("://") {
        original
    } else {
        format!("http://{original}")
    };
    Url::parse(&original)
        .ok()
        .filter(|u| u.host_str().is_some())
}

/// The distinctive label of a host: `mediaarchitecture` for `www.mediaarchitecture.de`.
fn site_label(host: &str) -> String {
    let labels: Vec<&str> = host.trim_start_matches("www.").split('.').collect();
    let i = labels.len().saturating_sub(2);
    labels
        .get(i)
        .copied()
        .unwrap_or("")
        .replace('-', "")
        .to_lowercase()
}

/// Drops the site name that pages append or prepend to their `<title>`.
fn clean_title(title: &str, site_name: Option<&str>, host: Option<&str>) -> String {
    // Each round takes one layer of decoration: "Headline : Blog | Motto | Since 2005".
    const MAX_ROUNDS: usize = 3;
    let mut title = clean_title_once(title, site_name, host);
    for _ in 1..MAX_ROUNDS {
        let next = clean_title_once(&title, site_name, host);
        if next == title {
            break;
        }
        title = next;
    }
    title
}

fn clean_title_once(title: &str, site_name: Option<&str>, host: Option<&str>) -> String {
    let collapsed = collapse_whitespace(title);
    // A template whose headline part came out empty leaves its separator hanging
    // ("Rail Enquiries -", "| Headline").
    const DANGLING: &[&str] = &["-", "|", "–", "—", "·", "::", ":", "»"];
    let mut title = collapsed.as_str();
    while let Some(t) = DANGLING.iter().find_map(|d| {
        title
            .strip_suffix(d)
            .filter(|t| t.ends_with(' '))
            .or_else(|| title.strip_prefix(d).filter(|t| t.starts_with(' ')))
    }) {
        title = t.trim();
    }
    let title = title.to_string();
    // Parts that name the site (its name, its domain) go; one part left is the headline.
    let label = host.map(site_label).filter(|l| l.len() >= 4);
    let is_site_part = |part: &str| {
        let lower = part.trim().to_lowercase();
        site_name.is_some_and(|s| lower == s.to_lowercase())
            || label
                .as_deref()
                .is_some_and(|l| lower.replace([' ', '-', '.'], "").contains(l))
            || (!lower.contains(' ') && lower.contains('.') && lower.contains(char::is_alphabetic))
    };
    let parts: Vec<&str> = split_on_any(&title, TITLE_SEPARATORS)
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() >= 2 {
        // A part without a letter (a date) is no headline either.
        let kept: Vec<&&str> = parts
            .iter()
            .filter(|p| !is_site_part(p) && p.contains(char::is_alphabetic))
            .collect();
        if kept.len() == 1 && kept.len() < parts.len() {
            return kept[0].trim_start_matches(['»', '«', ' ']).to_string();
        }
    }
    for sep in [" | ", " - ", " — ", " – ", " :: ", " · "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let is_site = site_name.is_some_and(|s| tail.eq_ignore_ascii_case(s))
                || is_site_part(tail)
                || (site_name.is_none()
                    && tail.split_whitespace().count() <= 3
                    && head.split_whitespace().count() >= 4
                    // Not long compounds ("Verkündung des Tabaksteuermodernisierungsgesetzes").
                    && tail.chars().count() < head.chars().count());
            if is_site {
                return head.trim().to_string();
            }
        }
        if let (Some(site), Some((head, tail))) = (site_name, title.split_once(sep)) {
            if head.eq_ignore_ascii_case(site) {
                return tail.trim().to_string();
            }
        }
    }
    // Chinese and Japanese titles set the site's name off without spaces
    // ("标题-新华网", "标题_频道_网站"): a short last part after a long headline is the site's.
    const MAX_CJK_SITE_CHARS: usize = 8;
    if title.chars().filter(|c| parallax_text::is_cjk(*c)).count() * 2 > title.chars().count() {
        if let Some((head, tail)) = title.rsplit_once(['-', '_', '|', '｜']) {
            let (head, tail) = (head.trim(), tail.trim());
            let tail_chars = tail.chars().count();
            if (1..=MAX_CJK_SITE_CHARS).contains(&tail_chars)
                && !tail.contains(' ')
                && head.chars().count() >= 2 * tail_chars
            {
                return head.trim_end_matches(['-', '_', '—']).trim().to_string();
            }
        }
    }
    // Less common separators ("Headline : Blog", "SITE|Headline") count only where the part
    // they set off names the site.
    for sep in [" : ", "|", "｜", "•"] {
        if let Some((head, tail)) = title.split_once(sep) {
            if is_site_part(head) && !tail.trim().is_empty() {
                return tail.trim().to_string();
            }
            if is_site_part(tail) && !head.trim().is_empty() {
                return head.trim().to_string();
            }
        }
    }
    title
}

fn normalize_language(raw: &str) -> String {
    raw.trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

pub(crate) fn dedup(items: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|i| seen.insert(i.to_lowercase()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    #[test]
    fn parts_naming_the_site_are_dropped_from_titles() {
        assert_eq!(
            clean_title(
                "mediaarchitecture.de // » Jens Weber",
                None,
                Some("www.mediaarchitecture.de")
            ),
            "Jens Weber"
        );
        assert_eq!(
            clean_title("Reise-ABC Singapur | reiseblog.example", None, None),
            "Reise-ABC Singapur"
        );
        for (title, expected) in [
            // Three long words after a dash are a headline's second half, not a site's name.
            (
                "Landtag berät über Hochwasser - Katastrophenschutzgesetz einstimmig verabschiedet",
                "Landtag berät über Hochwasser - Katastrophenschutzgesetz einstimmig verabschiedet",
            ),
            (
                "How the council voted on the new budget - Town Crier",
                "How the council voted on the new budget",
            ),
            // Chinese titles set the site (and the channel) off without spaces.
            (
                "河水漫过堤坝，全镇居民连夜转移-江城日报网",
                "河水漫过堤坝，全镇居民连夜转移",
            ),
            (
                "新桥今日正式通车，市民排队体验_本地新闻_江城网",
                "新桥今日正式通车，市民排队体验",
            ),
            ("阿尔法-贝塔", "阿尔法-贝塔"),
        ] {
            assert_eq!(clean_title(title, None, None), expected, "{title}");
        }
    }

    #[test]
    fn an_author_links_handle_is_a_name_but_initials_and_admins_are_not() {
        let authors = |byline: &str| {
            let html = format!(
                "<html><body><article><p class=\"post-meta\">{byline}</p><p>Text.</p></article></body></html>"
            );
            read_metadata(&Html::parse_document(&html), None, None).authors
        };
        let link = |text: &str| {
            format!(
                r#"<span class="author-link">Autor: <a href="https://b.example/author/x/" rel="author">{text}</a></span>"#
            )
        };
        assert_eq!(authors(&link("gnaddrig")), ["gnaddrig"]);
        assert_eq!(authors(&link("Alles von Martin Junker")), ["Martin Junker"]);
        assert!(authors(&link("DT")).is_empty());
        assert!(authors(&link("wordpressadmin")).is_empty());
        assert!(authors(&link("Beiträge (12)")).is_empty());
        // Bylines in plain text, and links to writers' pages anywhere.
        assert_eq!(
            authors("Ein Artikel von <strong>Pamela Sladky</strong> | 27.01.2022 - 12:45"),
            ["Pamela Sladky"]
        );
        assert_eq!(authors("<em>Von Leonora Holling</em>"), ["Leonora Holling"]);
        assert_eq!(
            authors("<byline>Von David Hutzler, dpa</byline>"),
            ["David Hutzler"]
        );
        assert_eq!(split_names("Erstellt von Andri Bryner"), ["Andri Bryner"]);
        assert_eq!(split_names("Redacci&oacute;n Diario"), ["Redacción Diario"]);
        assert_eq!(split_names("'Raphael Felice'"), ["Raphael Felice"]);
        assert!(split_names("Posted").is_empty() && split_names("No Author").is_empty());
        assert_eq!(
            authors(r#"<a class="author-link" href="/suche">Interview: Julia Lauter</a>"#),
            ["Julia Lauter"]
        );
        assert_eq!(authors("<span>责任编辑： 焦鹏</span>"), ["焦鹏"]);
        assert_eq!(
            authors(r#"<h5 class="title-inline">Autor: </h5>Peter Maahn/SP-X <br>"#),
            ["Peter Maahn"]
        );
        assert_eq!(
            authors("<em>Text von Christian Seiler &nbsp; Illustration von Mara Lind</em>"),
            ["Christian Seiler"]
        );
        assert_eq!(
            authors(
                r#"<meta name="twitter:label1" content="Verfasst von"><meta name="twitter:data1" content="Karoline Herr">"#
            ),
            ["Karoline Herr"]
        );
        assert!(authors("Von Montag an gilt die neue Regel.").is_empty());
        assert!(authors("Von Anfang").is_empty());
        assert_eq!(
            authors(
                r#"<span class="wrote">By&nbsp;<a href="/reporters/jose-de-la-cruz">Jose de la Cruz</a></span>"#
            ),
            ["Jose de la Cruz"]
        );
        assert_eq!(
            authors(r#"<meta name="article:author" content="Grant Tinsley, PhD">"#),
            ["Grant Tinsley"]
        );
        assert_eq!(
            authors(
                r#"<div class="page-meta--author">Posted on September 21, 2020 by Adi Tzlil</div>"#
            ),
            ["Adi Tzlil"]
        );
        assert_eq!(
            authors(
                r#"<div class="dates_auteurs">par <span class="auteurs">Didier Roy</span>, 21 juin 2018</div>"#
            ),
            ["Didier Roy"]
        );
    }

    fn none_of() -> Vec<String> {
        Vec::new()
    }

    /// The authors read from a page of this head and body.
    fn page_authors(head: &str, body: &str) -> Vec<String> {
        let html = format!("<html><head>{head}</head><body>{body}</body></html>");
        read_metadata(&Html::parse_document(&html), None, None).authors
    }

    #[test]
    fn a_box_that_marks_its_author_within_is_read_through_the_mark() {
        // The publisher's logo and link come first in the box.
        let boxed = |author: &str| {
            format!(
                r#"<h1>Nintendo's phone game</h1><div class="authorinfo">
                <a href="https://chronicle.example"><img alt="Valley Chronicle"></a>
                <div class="source"><a href="https://chronicle.example">Valley Chronicle</a></div>
                <div class="authorinfo-txt">{author}<time>1 day ago</time></div>
                </div><p>Text.</p>"#
            )
        };
        let marked = r#"<span itemprop="author" itemscope itemtype="http://schema.org/Person">
            <span itemprop="name">Ilse Marten</span></span>"#;
        assert_eq!(page_authors("", &boxed(marked)), ["Ilse Marten"]);
        let linked = r#"<a rel="author" href="/staff/im">Ilse Marten</a>"#;
        assert_eq!(page_authors("", &boxed(linked)), ["Ilse Marten"]);
        // A mark without a name in it leaves the box to be read as a whole.
        let empty = r#"<meta itemprop="author" content=""><span>By Ilse Marten</span>"#;
        assert_eq!(page_authors("", &boxed(empty)), ["Ilse Marten"]);
    }

    #[test]
    fn an_author_boxs_links_and_labels_are_no_writers() {
        for byline in [
            r#"<div class="author-box"><a href="/author/jw/">Full Bio</a></div>"#,
            r#"<div class="author-box"><span>Senior Contributor</span></div>"#,
            r#"<div class="author-info"><a href="/author/hs/">Weitere Beiträge</a></div>"#,
            r#"<div class="author"><a href="/bio/sn">Biography</a></div>"#,
        ] {
            assert_eq!(
                page_authors("", &format!("<h1>Stadia</h1>{byline}<p>Text.</p>")),
                none_of(),
                "{byline}"
            );
        }
    }

    #[test]
    fn places_and_licences_are_no_writers() {
        let article = "<h1>Bahn</h1><p>Text.</p>";
        assert_eq!(
            page_authors(
                r#"<meta name="author" content="Sebastian Held, Munich, Germany">"#,
                article
            ),
            ["Sebastian Held"]
        );
        let licence = r#"<p>Lizenz: <a href="https://creativecommons.org/licenses/by/4.0/deed.de">CC-BY 4.0</a></p>"#;
        assert_eq!(page_authors("", &format!("{article}{licence}")), none_of());
    }

    #[test]
    fn an_agencys_credit_names_copy_without_a_writer() {
        let authors = |body: &str| page_authors("", &format!("<h1>Tumult im Hörsaal</h1>{body}"));
        let text =
            "<p>Die Versammlung beriet am Dienstag über den Haushalt des kommenden Jahres.</p>";
        assert_eq!(
            authors(&format!(
                "<p>Hamburg (dpa/lno) – Trotz eines Gesprächs blieb es laut.</p>{text}"
            )),
            ["dpa/lno"]
        );
        assert_eq!(
            authors(&format!(
                "{text}<p>Die Zyste könne sich jederzeit neu bilden. (FR mit dpa)</p>"
            )),
            ["FR mit dpa"]
        );
        assert_eq!(authors(&format!("<p>Von: det/dpa</p>{text}")), ["det/dpa"]);
        assert_eq!(
            authors(&format!("<p>WASHINGTON (AP) — The Senate voted.</p>{text}")),
            ["AP"]
        );
        // An agency named in the metadata, by its initials; a link to its page before the
        // dateline's place.
        let ld = |author: &str| {
            format!(
                r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","headline":"Trade","author":"{author}"}}</script></head><body><h1>Trade</h1><p>Text.</p></body></html>"#
            )
        };
        let read = |html: &str| read_metadata(&Html::parse_document(html), None, None).authors;
        assert_eq!(read(&ld("PTI")), ["PTI"]);
        assert_eq!(read(&ld("JD")), none_of());
        assert_eq!(
            authors(
                r#"<div class="article-author__time"><a href="/author/pti">PTI, </a><span>Washington, </span></div>"#
            ),
            ["PTI"]
        );
        // A picture's credit, a parenthesis of the text and a teaser's dateline credit nothing.
        let none: [&str; 0] = [];
        for body in [
            "<p>The president spoke on Monday. (AP Photo/Evan Vucci)</p>",
            "<p>Die Partei (SPD) – so heißt es – lehnt ab.</p>",
            r#"<div class="teaser"><p>Berlin (dpa) – Anderes Thema.</p></div>"#,
        ] {
            assert_eq!(authors(&format!("{text}{body}")), none, "{body}");
        }
    }

    #[test]
    fn the_post_authors_reply_to_a_comment_names_the_author() {
        let authors = |comments: &str| {
            page_authors(
                "",
                &format!(
                    r#"<h1>Ins neue Jahr</h1><p>Text of the post.</p><ol class="commentlist">{comments}</ol>"#
                ),
            )
        };
        let reader = r#"<li class="comment byuser comment-author-margit even"><div class="comment-author vcard"><cite class="fn">Margit Heumann</cite></div><p>Great post!</p></li>"#;
        let reply = |name: &str| {
            format!(
                r#"<li class="comment byuser comment-author-x bypostauthor odd alt depth-2"><div class="comment-author vcard"><img src="a.png"><cite class="fn"><a href="/" class="url">{name}</a><br><span class="role">Autor</span></cite></div><p>Thank you!</p></li>"#
            )
        };
        assert_eq!(authors(&format!("{reader}{}", reply("jancak"))), ["jancak"]);
        assert_eq!(
            authors(&format!("{reader}{}", reply("Martina Berg"))),
            ["Martina Berg"]
        );
        // A theme's own element for the writer, before the time.
        let themed = r#"<li class="comment byuser comment-author-tberg bypostauthor"><div class="comment-author vcard"><img src="a.png"></div><div class="comment-author Col3"> Tobias Berg <span><time datetime="2018-08-09">09.08.2018</time></span></div><p>Thanks!</p></li>"#;
        assert_eq!(authors(&format!("{reader}{themed}")), ["Tobias Berg"]);
        // The site's administrator account is no name; a reader's comment names nobody.
        let none: [&str; 0] = [];
        assert_eq!(authors(&format!("{reader}{}", reply("admin"))), none);
        assert_eq!(authors(reader), none);
    }

    #[test]
    fn a_personal_sites_copyright_holder_is_its_author_but_a_company_or_photographer_is_not() {
        let authors = |body: &str| {
            page_authors(
                "",
                &format!("<h1>Notes on caching</h1><p>Text of the post.</p>{body}"),
            )
        };
        assert_eq!(
            authors(
                r#"<div id="footer"><p>Copyright (c) 2012- Jane Holloway. All rights reserved. Design by Themes.</p></div>"#
            ),
            ["Jane Holloway"]
        );
        assert_eq!(
            authors(
                r#"<footer><p>&copy; 2004 - 2020&nbsp;Tomas Berg, Lakeside | <a href="/imprint">Imprint</a></p></footer>"#
            ),
            ["Tomas Berg"]
        );
        // A gallery's credits before the footer do not hide its notice.
        let gallery = r#"<figure><img src="a.jpg"><figcaption>© Marcel Vogt</figcaption></figure>"#
            .repeat(12);
        assert_eq!(
            authors(&format!(
                r#"{gallery}<footer><p>© 2019 Jane Holloway</p></footer>"#
            )),
            ["Jane Holloway"]
        );
        let none: [&str; 0] = [];
        for notice in [
            r#"<footer><p>© 2023 Harbour Media GmbH</p></footer>"#,
            r#"<footer><p>© 2019 Hearst Communications, Inc. All rights reserved.</p></footer>"#,
            r#"<footer><p>© Norddeutscher Rundfunk</p></footer>"#,
            r#"<footer><p>© 2023 All Rights Reserved</p></footer>"#,
            r#"<div class="header-image"><p class="copyright">© Marcel Vogt</p></div>"#,
            r#"<figure><img src="a.jpg"><figcaption>© Marcel Vogt</figcaption></figure>"#,
            r#"<p>© Jane Holloway, outside any footer</p>"#,
        ] {
            assert_eq!(authors(notice), none, "{notice}");
        }
    }

    #[test]
    fn a_byline_after_a_date_by_the_headline_or_signed_under_the_text_is_a_name() {
        let authors = |body: &str| {
            let html = format!("<html><body>{body}</body></html>");
            read_metadata(&Html::parse_document(&html), None, None).authors
        };
        let text = "<p>Die Versammlung beriet am Dienstag über den Haushalt des kommenden Jahres, über die Schulen der Stadt und über den Bau der neuen Brücke am Hafen, die seit zwei Jahren geplant wird.</p>";
        assert_eq!(
            authors(&format!(
                r#"<div><h1>Variablen</h1><p class="text-muted">11.12.2019 - Amelie Lorenz</p></div>{text}"#
            )),
            ["Amelie Lorenz"]
        );
        assert_eq!(
            authors(&format!(
                "<div><small>04.02.2022 | 13:10 Uhr | Uta Helmberg</small><h1>Stellungnahme</h1></div>{text}"
            )),
            ["Uta Helmberg"]
        );
        // A list of articles, a label and a section read the same, and are no bylines.
        assert!(authors(&format!(
            r#"<div><h1>Jägerinnen</h1><ul><li><a href="/c">2020 | Célina Barth</a></li></ul><span>04. November 2021 | PAID CONTENT</span><span>22.05.2014 - Naturschutz, BUND</span></div>{text}"#
        ))
        .is_empty());
        assert_eq!(
            authors(&format!(
                "<div>{text}{text}<p><b><i>Stefan Wassermann</i></b></p></div>"
            )),
            ["Stefan Wassermann"]
        );
        // A review: one long paragraph, the book's details, the reviewer.
        let review = text.repeat(4).replace("</p><p>", " ");
        assert_eq!(
            authors(&format!(
                "<div>{review}<p><strong>Ada Brenner (Hrsg.)<br>Die Brücke</strong><br>Hafen Verlag, 216 Seiten</p><p class=\"clearfix\"><strong>Stefan Wassermann</strong></p></div>"
            )),
            ["Stefan Wassermann"]
        );
        // A name in bold that text follows, or that follows no text, signs nothing.
        assert!(authors(&format!(
            "<div>{text}{text}<p><b>Stefan Wassermann</b></p>{text}</div>"
        ))
        .is_empty());
        assert!(authors("<div><p><b>Stefan Wassermann</b></p></div>").is_empty());
    }

    #[test]
    fn a_byline_is_read_block_by_block() {
        let authors = |head: &str, byline: &str| {
            let html = format!(
                "<html><head>{head}</head><body><article>{byline}<p>Text.</p></article></body></html>"
            );
            read_metadata(&Html::parse_document(&html), None, None).authors
        };
        // The date in the next block is not part of the name.
        assert_eq!(
            authors(
                "",
                r#"<div class="info"><p>Von <a href="/lisa-petrich">Lisa Petrich</a></p><p>Mi, 18. Oktober 2023</p></div>"#
            ),
            ["Lisa Petrich"]
        );
        // The block that says "by", not the section above it.
        assert_eq!(
            authors(
                "",
                r#"<div class="authorInfo"><div><a href="/topics/tech/">Tech Industry</a></div><div>by Steven Musil</div></div>"#
            ),
            ["Steven Musil"]
        );
        // A list goes on across blocks while a block ends in a comma.
        assert_eq!(
            authors(
                "",
                r#"<ul class="authors"><li>Ann Lee, PhD,</li><li>Tom Field, PhD</li></ul><div>Share</div>"#
            ),
            ["Ann Lee", "Tom Field"]
        );
        // The writer's link bounds the name.
        assert_eq!(
            authors(
                "",
                r#"<div class="author-bio">Von <a href="/autoren/tomas-spahn/">Tomas Spahn</a> Kontakt</div>"#
            ),
            ["Tomas Spahn"]
        );
        assert!(split_names("Rezept von").is_empty() && split_names("Mi").is_empty());
        assert_eq!(
            split_names("Williams Perdomo @wperdomod"),
            ["Williams Perdomo"]
        );
        assert_eq!(split_names("Nicolas Perriault —"), ["Nicolas Perriault"]);
        assert_eq!(
            split_names("FOCUS-Online-Experte Robin Tschöpe"),
            ["Robin Tschöpe"]
        );
        assert_eq!(split_names("Redakteurin Anna Lenz"), ["Anna Lenz"]);
        assert!(split_names("Reporter Lenz").is_empty());
        assert_eq!(
            authors(
                "",
                "<p>Auteur : Kossivi Tiassou </p><p>Edition : M-A. Pioerron</p>"
            ),
            ["Kossivi Tiassou"]
        );
        // A written byline after a date, and a label set off from the name by line breaks.
        assert_eq!(
            authors(
                "",
                "<div>05.02.2020 <span>-&nbsp;Redaktion: Eva Fuhr (Pressesprecherin)</span></div>"
            ),
            ["Eva Fuhr"]
        );
        assert_eq!(
            authors(
                "",
                "<p><strong>Autorin: Uta Berg, Projektleiterin in Tunis.</strong></p>"
            ),
            ["Uta Berg"]
        );
        assert_eq!(
            authors("", "<div><b>Von:</b> <br /> <br /> Götz Warnfeld</div>"),
            ["Götz Warnfeld"]
        );
        // A role after a name in a list of signatories is no label of the next name.
        assert!(authors(
            "",
            "<p><strong>Marie Arana</strong>, <span>author</span><br /> <strong>Margaret Atwell</strong><br /></p>"
        )
        .is_empty());
        // A label set off by a separator for screen readers.
        assert_eq!(
            authors(
                "",
                r#"<div><span class="screen-reader-text">| By </span> <span>Cara Stiles</span> | <time>May 2</time></div>"#
            ),
            ["Cara Stiles"]
        );
        // A handle after words that only open a byline.
        assert_eq!(
            authors("", r#"<span class="category">Posted by Konstantin</span>"#),
            ["Konstantin"]
        );
        assert_eq!(
            authors(
                "",
                r#"<div class="submitted">Gespeichert von <span class="username">rasos</span> am 24. Juli 2017</div>"#
            ),
            ["rasos"]
        );
        // The outlet named as the author gives way to the person the byline names.
        let outlet = r#"<meta name="author" content="Badische Zeitung"><meta property="og:site_name" content="Badische Zeitung">"#;
        assert_eq!(
            authors(outlet, r#"<p class="byline">Von Lisa Petrich</p>"#),
            ["Lisa Petrich"]
        );
        assert_eq!(authors(outlet, ""), ["Badische Zeitung"]);
        let outlet = r#"<meta name="author" content="hessenschau.de, Frankfurt, Germany"><meta property="og:site_name" content="hessenschau.de">"#;
        assert_eq!(authors(outlet, ""), ["hessenschau.de"]);
        // Boxes that only look like bylines: a wiki's authority control, an hCard of a
        // country; an organisation named as the author keeps its small words.
        assert!(authors(
            "",
            r#"<div class="navbox authority-control">Authority control: Q664</div><table class="infobox vcard"><tr><td class="fn org">New Zealand</td></tr></table>"#
        )
        .is_empty());
        let wiki = r#"<script type="application/ld+json">{"@type": "Article", "author": {"@type": "Organization", "name": "Contributors to Wikimedia projects"}}</script>"#;
        assert_eq!(authors(wiki, ""), ["Contributors to Wikimedia projects"]);
        // A blog's handle in the markup that names the author, as the blog signs.
        assert_eq!(
            authors(
                "",
                r#"<span class="post-author vcard">Eingestellt von <span class="fn">der Michel</span></span>"#
            ),
            ["der Michel"]
        );
        assert_eq!(
            authors("", r#"<span class="author vcard fn">oz</span>"#),
            ["oz"]
        );
        assert!(authors("", r#"<span class="author">DT</span>"#).is_empty());
        // The metadata's one writer gives way to the byline that names all of them (and
        // not to one that names somebody else, nor to the outlet).
        let one = r#"<meta name="author" content="Ann Lee"><meta property="og:site_name" content="News.example">"#;
        assert_eq!(
            authors(
                one,
                r#"<p class="byline">By Ann Lee and Tom Field, News.example</p>"#
            ),
            ["Ann Lee", "Tom Field"]
        );
        assert_eq!(
            authors(one, r#"<p class="byline">By Bob Ray</p>"#),
            ["Ann Lee"]
        );
        // A first name alone is completed by the person's own description.
        let person = r#"<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Nils", "description": "Nils Pickert ist freier Autor."}}</script>"#;
        assert_eq!(authors(person, ""), ["Nils Pickert"]);
        let person = r#"<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", "name": "David", "description": "Hi, ich bin David."}}</script>"#;
        assert_eq!(authors(person, ""), ["David"]);
    }

    #[test]
    fn a_time_given_in_utc_is_read_in_the_zone_the_site_writes() {
        let html = r#"<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"A","datePublished":"2022-05-04T03:37:37+00:00"}</script></head>
            <body><p>Text.</p><time datetime="2022-05-03T23:37:37-04:00">May 3</time><time datetime="2022-04-30T10:00:00-04:00">Apr 30</time></body></html>"#;
        let x = read_metadata(&Html::parse_document(html), None, None);
        assert_eq!(
            x.published.unwrap().to_rfc3339(),
            "2022-05-04T03:37:37+00:00"
        );
        assert_eq!(x.published_offset_minutes, Some(-240));
        // A date written without a zone stays as it is.
        let html = r#"<html><head><meta property="article:published_time" content="2022-05-04"></head><body><time datetime="2022-05-03T23:37:37-04:00">x</time></body></html>"#;
        let x = read_metadata(&Html::parse_document(html), None, None);
        assert_ne!(x.published_offset_minutes, Some(-240));
    }

    #[test]
    fn the_zone_of_a_utc_time_is_found_where_the_page_writes_it_locally() {
        let offset = |body: &str| {
            let html = format!(
                r#"<html><head><meta property="article:published_time" content="2020-02-25T02:25:54+00:00"></head><body><h1>A</h1>{body}<p>Text.</p></body></html>"#
            );
            read_metadata(&Html::parse_document(&html), None, None).published_offset_minutes
        };
        // The same moment in a script's data, with its zone.
        assert_eq!(
            offset(r#"<script>var d = {"date":"2020-02-24T21:25:54-05:00"};</script>"#),
            Some(-300)
        );
        // Another moment in a script says nothing of this one.
        assert_eq!(
            offset(r#"<script>var now = "2020-02-26T09:00:00+01:00";</script>"#),
            Some(0)
        );
        // The wall clock of a `<time>` without a zone.
        assert_eq!(
            offset(r#"<time datetime="2020-02-24 20:25:54">Feb 24, 8:25 pm</time>"#),
            Some(-360)
        );
        // The zone of the page's other timestamps yields to the day in UTC printed for its
        // readers...
        let zone_of_others = r#"<script type="application/ld+json">{"@type":"NewsArticle","dateModified":"2020-02-24T21:45:00-05:00"}</script>"#;
        assert_eq!(offset(zone_of_others), Some(-300));
        assert_eq!(
            offset(&format!(
                r#"<p class="date">25 Feb 2020 - 2:25 a. m.</p>{zone_of_others}"#
            )),
            Some(0)
        );
        // ...but the same moment on a local clock is what the page shows, whatever its
        // header says of today.
        assert_eq!(
            offset(
                r#"<p class="date">Tuesday, February 25, 2020</p><time datetime="2020-02-24 21:25:54">Feb 24, 9:25 pm</time>"#
            ),
            Some(-300)
        );
        // RFC 2822 in another meta tag.
        let html = r#"<html><head><meta name="dc.date" content="x"><script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2019-10-18T22:04:00Z"}</script><meta name="date" content="Sat, 19 Oct 2019 00:04:00 +0200"></head><body><p>Text.</p></body></html>"#;
        let x = read_metadata(&Html::parse_document(html), None, None);
        assert_eq!(x.published_offset_minutes, Some(120));
    }

    #[test]
    fn a_utc_time_without_other_clues_is_read_on_the_clock_of_the_page_country() {
        let offset = |lang: &str, url: &str, body: &str| {
            let html = format!(
                r#"<html lang="{lang}"><head><meta property="article:published_time" content="2022-05-04T00:25:56Z"></head><body><h1>Storm hits coast</h1>{body}<p>Text.</p></body></html>"#
            );
            let url = Url::parse(url).unwrap();
            read_metadata(&Html::parse_document(&html), None, Some(&url)).published_offset_minutes
        };
        assert_eq!(offset("es", "https://www.diario.com.ar/a", ""), Some(-180));
        // Summer time in Berlin.
        assert_eq!(offset("de-DE", "https://blog.example.com/a", ""), Some(120));
        assert_eq!(offset("en", "https://news.example.com/a", ""), Some(0));
        // The site prints the day in UTC beside its headline: it keeps UTC.
        assert_eq!(
            offset("es", "https://www.diario.com.ar/a", "<p>4/5/2022</p>"),
            Some(0)
        );
    }

    #[test]
    fn a_date_printed_beside_the_headline_dates_the_article() {
        let date = |page: &str| {
            let html = format!(
                r#"<html><head><title>Neuer Trainer | Liga</title><meta property="og:site_name" content="Liga"></head><body>{page}</body></html>"#
            );
            read_metadata(&Html::parse_document(&html), None, None)
                .published
                .map(|d| d.date_naive().to_string())
        };
        let nav = "<ul><li>Start</li><li>News</li></ul>".repeat(100);
        // Under the headline, with a two-digit year.
        assert_eq!(
            date(&format!("{nav}<h1>Neuer Trainer</h1><div>Von: Anna Berg | 31.10.23</div><p>Ab dem 1. Juli 2024 leitet er das Training, sagte der Verein am Montag, dem 30. Oktober 2023.</p>")).as_deref(),
            Some("2023-10-31")
        );
        // Above it, in the kicker line; not the date of an event in the text below.
        assert_eq!(
            date(&format!("{nav}<small>31.01.2022 Liga</small><h1>Neuer Trainer</h1><p>Der Vertrag läuft bis zum Sommer und wurde am 28.02.2022 in einer langen Sitzung unterschrieben.</p>")).as_deref(),
            Some("2022-01-31")
        );
        // A logo's `<h1>` is not the headline.
        assert_eq!(
            date(&format!("<h1>Liga</h1><span>Heute: 30.11.2026</span>{nav}<h1>Neuer Trainer</h1><p>Stand 02.02.2022</p>")).as_deref(),
            Some("2022-02-02")
        );
    }

    #[test]
    fn structured_dates_that_disagree_are_settled_by_the_date_shown() {
        let published = |shown: &str| {
            let html = format!(
                r#"<html><head><meta property="article:published_time" content="2022-12-15T09:13:00+01:00"><script type="application/ld+json">{{"@type":"NewsArticle","datePublished":"2021-12-06T14:36:00Z"}}</script></head><body><h1>A</h1><div class="date">{shown}</div><p>Text.</p></body></html>"#
            );
            read_metadata(&Html::parse_document(&html), None, None)
                .published
                .map(|d| d.date_naive().to_string())
        };
        assert_eq!(published("15.12.2022").as_deref(), Some("2022-12-15"));
        assert_eq!(published("06.12.2021").as_deref(), Some("2021-12-06"));
        assert_eq!(published("").as_deref(), Some("2021-12-06"));
    }

    #[test]
    fn a_time_weeks_from_the_addresss_date_is_another_articles() {
        let url = Url::parse("https://blog.example/2019/10/22/soldering-old-radios/").unwrap();
        let published = |time: &str| {
            let html = format!(
                r#"<html><body><h1>Soldering old radios</h1><p>Text.</p><aside><time datetime="{time}">then</time></aside></body></html>"#
            );
            read_metadata(&Html::parse_document(&html), None, Some(&url))
                .published
                .map(|d| d.date_naive().to_string())
        };
        assert_eq!(
            published("2009-04-11 18:06:36").as_deref(),
            Some("2019-10-22")
        );
        assert_eq!(
            published("2019-10-23T08:00:00Z").as_deref(),
            Some("2019-10-23")
        );
    }

    #[test]
    fn a_generic_meta_date_yields_to_the_date_the_page_shows() {
        let date = |head: &str, body: &str| {
            let html = format!(
                "<html><head>{head}</head><body><h1>Notice</h1>{body}<p>Text.</p></body></html>"
            );
            read_metadata(&Html::parse_document(&html), None, None)
                .published
                .map(|d| d.date_naive().to_string())
        };
        let generic = r#"<meta name="date" content="2020-04-30">"#;
        // The last edit's day in the meta tag; the publication's on the page.
        assert_eq!(
            date(generic, r#"<div class="date">29.04.2020, 12:01 Uhr</div>"#).as_deref(),
            Some("2020-04-29")
        );
        assert_eq!(
            date(generic, r#"<time datetime="2020-05-02">2. Mai</time>"#).as_deref(),
            Some("2020-05-02")
        );
        // A later day printed in a header is today's, not the article's.
        assert_eq!(
            date(generic, r#"<div class="date">Mittwoch, 26.02.2021</div>"#).as_deref(),
            Some("2020-04-30")
        );
        // A tag that says which date it gives is trusted over the page's text.
        assert_eq!(
            date(
                r#"<meta property="article:published_time" content="2020-04-30">"#,
                r#"<div class="date">29.04.2020</div>"#
            )
            .as_deref(),
            Some("2020-04-30")
        );
    }

    #[test]
    fn the_dateline_is_the_articles_own() {
        let date = |body: &str| {
            let html = format!("<html><body>{body}<p>Text.</p></body></html>");
            read_metadata(&Html::parse_document(&html), None, None)
                .published
                .map(|d| d.date_naive().to_string())
        };
        // Not a commenter's.
        assert_eq!(
            date(r#"<h1>Notice</h1><p>Dateline: 3 March 2021</p><div class="comments"><p class="date">9 March 2021</p></div>"#).as_deref(),
            Some("2021-03-03")
        );
        assert_eq!(
            date(r#"<h1>Notice</h1><p>Posted 3 March 2021</p><p class="commentDate">9 March 2021</p>"#).as_deref(),
            Some("2021-03-03")
        );
        assert_eq!(
            date(r#"<h1>Notice</h1><p>Veröffentlicht am 16.08.2019</p><ol class="comment-list"><li><time datetime="2019-08-24T03:36:11+02:00">24. August 2019</time></li></ol>"#).as_deref(),
            Some("2019-08-16")
        );
        let long = "Mehrfach und vehement hatte die Branche die Nachteile des Gesetzes dargelegt, leider ohne Erfolg.";
        assert_eq!(
            date(&format!(r#"<h1>Notice</h1><p>29.11.2022 – {long}</p><div id="comments"><p><span>Marth</span> <span>02.12.2022, 15:57</span></p></div>"#)).as_deref(),
            Some("2022-11-29")
        );
        // Nor a related article's.
        assert_eq!(
            date(r#"<h1>Notice</h1><p class="meta">von eseppelt · 31. Oktober 2023</p><ul class="related-posts"><li><time datetime="2020-12-03 07:32:49">3. Dezember 2020</time></li></ul>"#).as_deref(),
            Some("2023-10-31")
        );
        // Nor a menu's teaser's, marked or not.
        let menu = r#"<ul class="mega-menu"><li><a href="/n/2">Die Rückkehr des Preisprotestes</a> <span class="newsitem-time">29.11.2022</span></li></ul>"#;
        assert_eq!(
            date(&format!(r#"{menu}<div class="headline">Preiskrise</div><h5>Von Leonora Holling</h5><p>(21. November 2022) Energieverbraucher erhalten eine Preiserhöhung nach der nächsten.</p>"#)).as_deref(),
            Some("2022-11-21")
        );
        assert_eq!(
            date(r#"<nav><p>Heute 29.11.2022</p></nav><p>Stand 21.11.2022</p>"#).as_deref(),
            Some("2022-11-21")
        );
        // Nor the forum's clock.
        assert_eq!(
            date(r#"<p class="time">Aktuelle Zeit: 14.10.2020, 12:18</p><p>Beitrag von r23 » 21.01.2009, 05:42</p>"#).as_deref(),
            Some("2009-01-21")
        );
        // A page that allows comments is not one.
        let html = r#"<html><body class="single comments-enabled"><div><h1>Notice</h1><time datetime="2013-09-11T10:00:00-04:00">Sept 11</time></div><p>Text.</p></body></html>"#;
        let published = read_metadata(&Html::parse_document(html), None, None).published;
        assert_eq!(
            published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2013-09-11T14:00:00+00:00")
        );
        // The element that says it holds the publication date, before a header's today.
        assert_eq!(
            date(r#"<time class="nav-date">Wednesday, 8 July 2020</time><h1>Notice</h1><span itemprop="datePublished">27.04.2020 - 18:50</span>"#).as_deref(),
            Some("2020-04-27")
        );
        // A kicker just above the headline, before a list's date further down.
        let list: String = (0..12)
            .map(|i| format!("<p>Related story {i}</p>"))
            .collect();
        assert_eq!(
            date(&format!(r#"<div><p class="kicker">21. Jan 2022 // Dominik Ricker</p><h1>Notice</h1>{list}<p>06. Aug 2020 // Tips</p></div>"#)).as_deref(),
            Some("2022-01-21")
        );
    }

    #[test]
    fn a_date_after_its_label_is_the_publication_date() {
        let date = |body: &str| {
            let html = format!(
                "<html><body><h1>Notice</h1>{body}<p>Text of the notice.</p></body></html>"
            );
            read_metadata(&Html::parse_document(&html), None, None)
                .published
                .map(|d| d.date_naive().to_string())
        };
        assert_eq!(
            date(r#"<p>Aus dem Archiv: 01.01.2019</p><p><span class="label">Ort</span> <span class="value">Bonn</span><br><span class="label">Datum</span> <span class="value">25.01.2022</span></p>"#).as_deref(),
            Some("2022-01-25")
        );
        assert_eq!(
            date("<p>See also our report of June 1, 2019.</p><dl><dt>Published:</dt><dd>March 4, 2021</dd></dl>").as_deref(),
            Some("2021-03-04")
        );
        assert_eq!(
            date("<p>Letzte Änderung: 31.10.2023 - 14:49:39<br>Erschienen am: 01.11.2023</p>")
                .as_deref(),
            Some("2023-11-01")
        );
    }

    #[test]
    fn subscriber_only_articles_are_marked_paywalled() {
        let paywalled = |ld: &str| {
            let html = format!(
                r#"<html><head><script type="application/ld+json">{ld}</script></head><body><p>Teaser.</p></body></html>"#
            );
            read_metadata(&Html::parse_document(&html), None, None).paywalled
        };
        assert!(paywalled(
            r#"{"@type":"NewsArticle","headline":"A","isAccessibleForFree":false}"#
        ));
        assert!(paywalled(
            r#"{"@type":"NewsArticle","headline":"A","isAccessibleForFree":"False"}"#
        ));
        assert!(!paywalled(
            r#"{"@type":"NewsArticle","headline":"A","isAccessibleForFree":true}"#
        ));
        assert!(!paywalled(r#"{"@type":"NewsArticle","headline":"A"}"#));
    }

    #[test]
    fn a_heading_that_is_part_of_the_title_is_the_headline_unless_it_names_the_site() {
        let url = |u: &str| Url::parse(u).unwrap();
        let page = url("https://bib.example/2014/05/18/alles-neue-mach-der-mai/");
        let headings = [
            "Bibliothek 2.0 und mehr".to_string(),
            "Alles Neue mach der Mai…".to_string(),
        ];
        assert_eq!(
            headline_among_headings(
                "Alles Neue mach der Mai… | Bibliothek 2.0 und mehr",
                || headings.to_vec(),
                None,
                Some(&page)
            )
            .as_deref(),
            Some("Alles Neue mach der Mai…")
        );
        let page = url("https://disfunctions.example/tutorials/podcasts-in-plex-einbinden/");
        let headings = [
            "Disfunctions.de".to_string(),
            "Podcasts in Plex einbinden".to_string(),
        ];
        assert_eq!(
            headline_among_headings(
                "Disfunctions.de » Blog Archiv » Podcasts in Plex einbinden",
                || headings.to_vec(),
                None,
                Some(&page)
            )
            .as_deref(),
            Some("Podcasts in Plex einbinden")
        );
        // A blog's name in its heading, at either end of the title, is not the headline.
        let page =
            url("https://archive.example/web/2014/time4talks.example/weitere-digitalisierung/");
        let headings = ["Time 4 talks".to_string()];
        assert_eq!(
            headline_among_headings(
                "Time 4 talks » Blog Archiv » Weitere Digitalisierung",
                || headings.to_vec(),
                None,
                Some(&page)
            ),
            None
        );
        let page = url("https://fouryears.example/2019/10/21/interning-of-small-integers/");
        let headings = ["Four Years Remaining".to_string()];
        assert_eq!(
            headline_among_headings(
                "Interning of Small Integers | Four Years Remaining",
                || headings.to_vec(),
                None,
                Some(&page)
            ),
            None
        );
    }

    #[test]
    fn a_kicker_inside_the_h1_is_not_part_of_the_headline() {
        let title = |h1: &str| {
            let html = format!("<html><head><title>Interne Unterlagen im Netz: Daten von Rheinmetall gehackt | tagesschau.de</title></head><body><h1>{h1}</h1><p>Text.</p></body></html>");
            read_metadata(&Html::parse_document(&html), None, None).title
        };
        assert_eq!(
            title(r#"<span class="dachzeile">Interne Unterlagen im Netz</span>: <span class="headline">Daten von Rheinmetall gehackt</span>"#).as_deref(),
            Some("Daten von Rheinmetall gehackt")
        );
        // A CSS module's class ("ContentHead_titleheader__MSrlO"), a topic's label.
        assert_eq!(
            title(r#"<span class="ContentHead_titleheader__MSrlO">Interne Unterlagen im Netz</span><span aria-hidden="true"> – </span><span>Daten von Rheinmetall gehackt</span>"#).as_deref(),
            Some("Daten von Rheinmetall gehackt")
        );
        assert_eq!(
            title(r#"<div class="topic-label">Interne Unterlagen im Netz</div> Daten von Rheinmetall gehackt"#).as_deref(),
            Some("Daten von Rheinmetall gehackt")
        );
        assert_eq!(
            first_headline(
                &Page::new(&Html::parse_document("<h1>Plain <em>headline</em></h1>")),
                None,
                None,
                None
            )
            .as_deref(),
            Some("Plain headline")
        );
    }

    #[test]
    fn the_heading_wins_over_a_title_that_words_the_headline_differently() {
        let title = |head: &str, h1: &str| {
            let html =
                format!("<html><head>{head}</head><body><h1>{h1}</h1><p>Text.</p></body></html>");
            read_metadata(&Html::parse_document(&html), None, None).title
        };
        let og = r#"<meta property="og:title" content="What we learned from Harry and Meghan's interview">"#;
        let ld = r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"What we learned from Harry and Meghan's interview"}</script>"#;
        let h1 = "The royal split and family struggles: 11 things we learned from Harry and Meghan's interview";
        assert_eq!(title(og, h1).as_deref(), Some(h1));
        assert_eq!(title(ld, h1).as_deref(), Some(h1));
        // Words added inside the title's are a rewording too; words added before or after
        // it are a kicker, and a heading that says something else is another text: both
        // leave the title be.
        let og =
            r#"<meta property="og:title" content="Brexit: Nervenkrieg geht in nächste Runde">"#;
        assert_eq!(
            title(
                og,
                "Der Nervenkrieg um den Brexit geht in die nächste Runde"
            )
            .as_deref(),
            Some("Der Nervenkrieg um den Brexit geht in die nächste Runde")
        );
        let og = r#"<meta property="og:title" content="Regierung drosselt Bioenergie">"#;
        assert_eq!(
            title(og, "Strompreisbremse: Regierung drosselt Bioenergie").as_deref(),
            Some("Regierung drosselt Bioenergie")
        );
        assert_eq!(
            title(og, "Neue Windparks in Bayern genehmigt").as_deref(),
            Some("Regierung drosselt Bioenergie")
        );
    }

    #[test]
    fn style_rules_inside_the_headline_are_not_its_text() {
        let html = r#"<html><head></head><body><h1><style>.css-umyvef{font-size:16px}</style>Impfen ist bis Ende Februar möglich</h1><p>Text.</p></body></html>"#;
        let title = read_metadata(&Html::parse_document(html), None, None).title;
        assert_eq!(
            title.as_deref(),
            Some("Impfen ist bis Ende Februar möglich")
        );
    }

    #[test]
    fn a_kicker_the_metadata_joins_to_the_headline_is_left_out() {
        let title = |ld: &str, h1: &str| {
            let html = format!(
                r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","headline":"{ld}"}}</script></head><body><h1>{h1}</h1><p>Text.</p></body></html>"#
            );
            read_metadata(&Html::parse_document(&html), None, None).title
        };
        assert_eq!(
            title("Chronik: Lotte Tobisch ist tot", "Lotte Tobisch ist tot").as_deref(),
            Some("Lotte Tobisch ist tot")
        );
        assert_eq!(
            title("Kücknitz - So lief die Auktion", "So lief die Auktion").as_deref(),
            Some("So lief die Auktion")
        );
        // Not a word cut in two, nor a headline of two words.
        assert_eq!(
            title("Autobahn ist frei", "bahn ist frei").as_deref(),
            Some("Autobahn ist frei")
        );
        assert_eq!(
            title("Interview: Sharon Stone", "Sharon Stone").as_deref(),
            Some("Interview: Sharon Stone")
        );
    }

    #[test]
    fn an_archived_copy_is_read_at_the_address_it_keeps() {
        let original =
            |url: &str| archived_original(&Url::parse(url).unwrap()).map(|u| u.to_string());
        assert_eq!(
            original("https://web.archive.org/web/20120216182711/http://www.stol.it/Artikel/a"),
            Some("http://www.stol.it/Artikel/a".to_string())
        );
        assert_eq!(
            original("https://web.archive.org/web/20130307194448/the-pain.net/2008/05/x.html"),
            Some("http://the-pain.net/2008/05/x.html".to_string())
        );
        assert_eq!(
            original(
                "https://web.archive.org/web/20110106023242/http://a.example/index.php?site=news"
            ),
            Some("http://a.example/index.php?site=news".to_string())
        );
        assert_eq!(original("https://web.archive.org/about/"), None);
        assert_eq!(original("https://news.example/web/2012/a"), None);
        // The title is cut at the archived site's name, not the archive's.
        let page = Url::parse(
            "https://web.archive.org/web/20160330101229/http://muffinrezept.net/muffin-grundrezept",
        )
        .unwrap();
        let html = "<html><head><title>Muffin Grundrezept : Muffin Rezepte</title></head><body><p>Text.</p></body></html>";
        let meta = read_metadata(&Html::parse_document(html), Some(&page), Some(&page));
        assert_eq!(meta.title.as_deref(), Some("Muffin Grundrezept"));
    }

    #[test]
    fn an_article_type_is_known_however_it_is_spelled() {
        assert!(is_article_type("NewsArticle") && is_article_type("newsArticle"));
        assert!(is_article_type("https://schema.org/BlogPosting"));
        assert!(is_article_type("DiscussionForumPosting"));
        assert!(!is_article_type("WebSite") && !is_article_type("Person"));
    }

    #[test]
    fn a_navigation_label_is_no_title() {
        let page = Url::parse("https://blog.example/").unwrap();
        let title = |document: &str, h1: &str| {
            choose_title(
                None,
                None,
                Some(document.into()),
                Some(h1.into()),
                None,
                Some(&page),
            )
        };
        assert_eq!(
            title("Home", "Time to say goodbye.").as_deref(),
            Some("Time to say goodbye.")
        );
        assert_eq!(
            title("Axios Future", "Sections").as_deref(),
            Some("Axios Future")
        );
    }

    #[test]
    fn a_blogs_site_name_in_h1_is_not_the_headline() {
        let page = Url::parse("https://fouryears.example/2019/10/21/interning-of-small-integers/")
            .unwrap();
        let title = choose_title(
            None,
            None,
            Some("Interning of Small Integers in Python | Four Years Remaining".into()),
            Some("Four Years Remaining".into()),
            None,
            Some(&page),
        );
        assert_eq!(
            title.as_deref(),
            Some("Interning of Small Integers in Python")
        );
        // The h1 that is the headline (the address says so) stays.
        let page =
            Url::parse("https://news.example/olympische-spiele-getraenke-per-schiff").unwrap();
        let title = choose_title(
            None,
            None,
            Some("Olympische Spiele - Getränke per Schiff".into()),
            Some("Getränke per Schiff".into()),
            None,
            Some(&page),
        );
        assert_eq!(title.as_deref(), Some("Getränke per Schiff"));
    }

    #[test]
    fn a_logo_heading_is_passed_over_for_the_posts_own() {
        let title = |page: &str| {
            let html = format!(
                "<html><head><title>Notes from the Lab » Blog Archive » Nebelsuppe</title></head><body>{page}<p>Text.</p></body></html>"
            );
            let url = Url::parse("https://notes.example/2020/01/24/nebelsuppe/").unwrap();
            read_metadata(&Html::parse_document(&html), None, Some(&url)).title
        };
        assert_eq!(
            title(r#"<h1 id="site-title"><a href="https://notes.example/">Notes from the Lab</a></h1><h1 class="entry-title">Nebelsuppe</h1>"#).as_deref(),
            Some("Nebelsuppe")
        );
        assert_eq!(
            title(r#"<h1><a href="/">Notes from the Lab</a></h1><h2>Nebelsuppe</h2>"#).as_deref(),
            Some("Nebelsuppe")
        );
        // A headline that links to its own article is no logo.
        assert_eq!(
            title(r#"<h1><a href="/2020/01/24/nebelsuppe/">Nebelsuppe</a></h1>"#).as_deref(),
            Some("Nebelsuppe")
        );
    }

    #[test]
    fn empty_headings_do_not_hide_the_one_the_title_holds() {
        let spacers = "<h1><b></b></h1>".repeat(30);
        let html = format!(
            r#"<html><head><title>Villa Nova - Holiday villa in Florida</title></head><body>{spacers}<h2>Details</h2><h2 itemprop="name">Villa Nova </h2><p>Text.</p></body></html>"#
        );
        let url = Url::parse("https://villas.example/holiday-villa/119/villa-nova").unwrap();
        assert_eq!(
            read_metadata(&Html::parse_document(&html), None, Some(&url))
                .title
                .as_deref(),
            Some("Villa Nova")
        );
    }

    #[test]
    fn the_title_keeps_the_typography_the_social_title_flattened() {
        let html = r#"<html><head><title>Tastings January &ndash; May 2020 in Halle - whiskytasting.example</title>
            <meta property="og:title" content="Tastings January - May 2020 in Halle">
            <meta property="og:site_name" content="whiskytasting.example - Always one dram ahead"></head>
            <body><h1><a href="/">whiskytasting.example</a></h1><p>Text.</p></body></html>"#;
        let url =
            Url::parse("https://www.whiskytasting.example/tastings-january-may/5805").unwrap();
        assert_eq!(
            read_metadata(&Html::parse_document(html), None, Some(&url))
                .title
                .as_deref(),
            Some("Tastings January – May 2020 in Halle")
        );
    }

    #[test]
    fn section_labels_in_h1s_give_way_to_the_headline_the_social_title_repeats() {
        let title = |head: &str, body: &str| {
            let html = format!("<html><head>{head}</head><body>{body}<p>Text.</p></body></html>");
            let url = Url::parse("https://site.example/news/2022/item-718").unwrap();
            read_metadata(&Html::parse_document(&html), None, Some(&url)).title
        };
        // A hidden section label first, then the headline.
        assert_eq!(
            title(
                r#"<title>News - Institute</title><meta property="og:title" content="The first electron counts">"#,
                r#"<h1 class="header pagetitle hidden">News</h1><h1>The first electron counts</h1>"#
            )
            .as_deref(),
            Some("The first electron counts")
        );
        // A visible label linked to its section, then the headline.
        assert_eq!(
            title(
                r#"<title>Big data against the virus? An interview</title><meta property="og:title" content="A new age of data use begins">"#,
                r#"<h1><a href="/topics">Topic</a> – Virus</h1><h1><span>A new age of data use begins</span></h1>"#
            )
            .as_deref(),
            Some("A new age of data use begins")
        );
        // A logo's heading whose word is part of the site's name in the title.
        assert_eq!(
            title(
                r#"<title>Pensions are an archaism | AOC - Analysis Opinion Critique</title><meta property="og:title" content="Pensions are an archaism | AOC - Analysis Opinion Critique">"#,
                r#"<h1 class="logo logo-interne"><a href="javascript:void(0)">Opinion</a></h1><h2>Pensions are an archaism</h2>"#
            )
            .as_deref(),
            Some("Pensions are an archaism")
        );
        // A social title naming the section, where the heading prints the document's title
        // under its own kicker line.
        assert_eq!(
            title(
                r#"<title>Flood warnings lifted for the valley</title><meta property="og:title" content="Press releases">"#,
                r#"<h1><span class="c1">Press release of the interior ministry</span> Flood warnings lifted for the valley</h1>"#
            )
            .as_deref(),
            Some("Flood warnings lifted for the valley")
        );
        // No social title: the document's title chooses, and the address's cut word
        // ("…gesetz" of "…gesetzes") names the headline rather than the section it files
        // it under.
        let url = Url::parse(
            "https://customs.example/Shared/Notices/Current/2021/vst_verkuendung_kaffeesteuergesetz.html",
        )
        .unwrap();
        let html = r#"<html><head><title>Customs online - Notices - Verkündung des Kaffeesteuergesetzes</title></head><body>
            <h1 class="stage-headline">Notices <a href="/help">?</a></h1>
            <h1 class="first">Verkündung des Kaffeesteuergesetzes</h1><p>Text.</p></body></html>"#;
        assert_eq!(
            read_metadata(&Html::parse_document(html), None, Some(&url))
                .title
                .as_deref(),
            Some("Verkündung des Kaffeesteuergesetzes")
        );
        // A section's <h1> further down whose word ends the document's title ("… Отзывы",
        // reviews) is no headline: it is no part of the title between separators.
        let html = r#"<html><head><title>Диета Аткинса (14 дней) - потеря веса до 10 кг. Отзывы</title></head><body>
            <h1>Диета Аткинса - потеря веса до 10 килограмм за 14 дней</h1><p>Text.</p><h1>Отзывы</h1><p>Text.</p></body></html>"#;
        assert_eq!(
            read_metadata(&Html::parse_document(html), None, None)
                .title
                .as_deref(),
            Some("Диета Аткинса - потеря веса до 10 килограмм за 14 дней")
        );
        let slug = slug_words(&url);
        assert!(slug_overlap("Verkündung des Kaffeesteuergesetzes", &slug) > 0.6);
        assert_eq!(slug_overlap("Customs News", &slug), 0.0);
    }

    #[test]
    fn an_organisation_named_as_author_gives_way_to_a_persons_byline() {
        let authors = |byline: &str| {
            let html = format!(
                r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","headline":"Goats","author":{{"@type":"Organization","name":"Geographic"}}}}</script></head><body><h1>Goats</h1>{byline}<p>Text.</p></body></html>"#
            );
            read_metadata(&Html::parse_document(&html), None, None).authors
        };
        assert_eq!(
            authors(r#"<div class="contributors--author">By <span>Michael Hingston</span></div>"#),
            ["Michael Hingston"]
        );
        assert_eq!(authors(""), ["Geographic"]);
    }

    #[test]
    fn a_typed_person_is_a_name_whatever_its_capitals() {
        let author = |json: &str| {
            let ld = format!(
                r#"<script type="application/ld+json">{{"@type":"BlogPosting","headline":"Okra","author":{json}}}</script>"#
            );
            page_authors(&ld, "<h1>Okra</h1><p>Text.</p>")
        };
        assert_eq!(
            author(r#"{"@type":"Person","name":"Mobasir hassan"}"#),
            ["Mobasir hassan"]
        );
        for json in [
            r#"{"@type":"Person","name":"staff writer"}"#,
            r#"{"@type":"Person","name":"Team of 4"}"#,
            r#"{"@type":"Person","name":"admin"}"#,
        ] {
            assert_eq!(author(json), none_of(), "{json}");
        }
    }

    #[test]
    fn the_meta_tag_naming_more_writers_completes_json_ld_that_names_one() {
        let html = r#"<html><head><meta name="author" content="April Roach, Daniel O&#x27;Mahony"><script type="application/ld+json">{"@type":"NewsArticle","headline":"Quarantine","author":{"@type":"Person","name":"April Roach"}}</script></head><body><h1>Quarantine</h1><p>Text.</p></body></html>"#;
        assert_eq!(
            read_metadata(&Html::parse_document(html), None, None).authors,
            ["April Roach", "Daniel O'Mahony"]
        );
    }

    #[test]
    fn the_publisher_as_a_byline_gives_way_and_the_headlines_byline_comes_first() {
        let authors = |head: &str, body: &str| {
            let html = format!("<html><head>{head}</head><body>{body}</body></html>");
            read_metadata(&Html::parse_document(&html), None, None).authors
        };
        // The publisher as the byline, and the writer's byline under it.
        let head = r#"<meta property="og:site_name" content="The Lantern Press">"#;
        let body = r#"<h1>Forests</h1><div class="td-post-author-name"><div class="td-author-by">By</div> <a href="/author/lantern/">The Lantern Press</a></div><p><em>Written by: <a href="https://example.org/x">Julia Moll</a></em></p><p>Text.</p>"#;
        assert_eq!(authors(head, body), ["Julia Moll"]);
        // The publisher in the last part of a site name that holds the title.
        let head = r#"<meta name="author" content="Die Laterne"><meta property="og:site_name" content="Achtsam durch die Krise | Die Laterne">"#;
        assert_eq!(
            authors(
                head,
                r#"<h1>Achtsam</h1><div class="author">Ursula Bartl</div>"#
            ),
            ["Ursula Bartl"]
        );
        // A teaser's byline after the headline names another article's section or writer.
        let body = r#"<h1>Achtsam</h1><p>Text.</p><div class="c-teaser"><p class="c-teaser__byline">Kultur | <time>Okt 2019</time></p></div>"#;
        assert!(authors("", body).is_empty());
        // A teaser's author before the headline waits behind the headline's own byline.
        let body = r#"<aside><span class="teaser__author">Manfred Prinz</span></aside><h1>Achtsam</h1><div class="author">Ursula Bartl</div>"#;
        assert_eq!(authors("", body), ["Ursula Bartl"]);
        // Blog handles lose the words and arrows around them.
        let body = r#"<h1>Drei Jahre</h1><span class="byline">Veröffentlicht von <span class="author vcard"><a class="url fn n" href="/author/hansg/" rel="author">HansG</a></span></span>"#;
        assert_eq!(authors("", body), ["HansG"]);
        assert_eq!(without_by("mywakenews →"), "mywakenews");
        // Spanish and German classes say "autor"; a teaser's byline inside its link, a menu's
        // item for a column and a press release's label are not the article's byline.
        let body = r#"<h1>Buses</h1><ul><li class="menu-item menu-item-object-autor"><a href="/autor/fidel/">Reflexiones de Fidel</a></li></ul><div class="autor"><h6>Jacobo Betancur Peláez | Publicado hace 3 horas</h6></div><p>Text.</p>"#;
        assert_eq!(authors("", body), ["Jacobo Betancur Peláez"]);
        let body = r#"<h1>Wohnungssuche</h1><p>Text.</p><ul><li><a href="/blasmusik"><span>Warum Blasmusik?</span><span class="media-box__article__autor">Von Clara Moll</span></a></li></ul><p class="autorenzeile">Von Lisa Petrich</p>"#;
        assert_eq!(authors("", body), ["Lisa Petrich"]);
        assert_eq!(
            split_names("Pressemitteilung von Katja Kipping"),
            ["Katja Kipping"]
        );
        assert_eq!(
            split_names("By Glen Owen And Brendan Carlin For The Mail On Sunday"),
            ["Glen Owen", "Brendan Carlin"]
        );
        assert_eq!(split_names("Jane Doe for The Guardian"), ["Jane Doe"]);
        assert!(split_names(
            "Eidgenössisches Departement für Wirtschaft, Bildung und Forschung WBF"
        )
        .is_empty());
        assert_eq!(
            split_names("MEG KINNARD and ERRIN HAINES, Associated Press"),
            ["MEG KINNARD", "ERRIN HAINES", "Associated Press"]
        );
        assert_eq!(
            split_names("Amy Lee | NJ Advance Media for NJ.com"),
            ["Amy Lee"]
        );
        // An author link that holds the writer's picture and its credit: the name its
        // microdata marks.
        let body = r#"<h1>Waldwege gesperrt</h1><div><a href="/autoren/kathrin-berg-684124" class="text-body"><span class="profilbild"><img src="k.jpg" alt="Kathrin Berg"><span class="teaser-copyright">&copy; Kathrin Berg</span></span><div class="profil-nowrap"><span itemprop="name"> Kathrin Berg </span></div></a></div><p>Text.</p>"#;
        assert_eq!(authors("", body), ["Kathrin Berg"]);
        // A picture's licence credit and a translator's line name no writer of the article.
        let body = r#"<h1>Clickbait</h1><div class="license-info"><span class="author-name"><a class="license-author" href="https://commons.example/File:Mouse.jpg">Nenad Ilic</a></span></div><p class="first-p-author">Übersetzung <a href="/author/sarah/">Sarah Jung</a>, 12.12.22</p><p>Text.</p><div class="author"><p>Autor <span>Mark Newton</span></p></div>"#;
        assert_eq!(authors("", body), ["Mark Newton"]);
    }

    #[test]
    fn bylines_are_found_by_their_marks_and_their_containers() {
        let cases = [
            (r#"<p class="ArticleByline">By Ann Lee</p>"#, "Ann Lee"),
            (r#"<span rel="Author">Tom Ng</span>"#, "Tom Ng"),
            (r#"<span itemprop="author">Mia Roe</span>"#, "Mia Roe"),
            (r#"<byline>Jo Park</byline>"#, "Jo Park"),
            (
                r#"<div data-testid="story-Byline"><span>Words</span> <a href="/p/li">Li Wei</a></div>"#,
                "Li Wei",
            ),
            (
                r#"<div class="vcard"><span class="fn">Eva Holm</span> <span class="org">Gazette</span></div>"#,
                "Eva Holm",
            ),
        ];
        for (markup, name) in cases {
            let html = format!("<html><body><article><h1>Headline</h1>{markup}<p>Text of the article.</p></article></body></html>");
            let x = read_metadata(&Html::parse_document(&html), None, None);
            assert_eq!(x.authors, [name], "{markup}");
        }
    }

    #[test]
    fn topic_links_become_keywords_in_page_order() {
        let html = r#"<html><body><article><p>Text.</p>
            <ul class="meta tags"><li><a href="/t/harbour">Harbour</a></li><li><a href="/t/floods">Floods</a></li></ul>
            <p>See <a href="/t/council" rel="Tag">Council</a> and <a href="/other">other news</a>.</p>
            <div class="topics"><div class="tags"><a href="/t/harbour">Harbour</a></div><a href="/t/weather">Weather</a></div>
            <div class="tagsy"><a href="/t/no">Not a tag list</a></div></article></body></html>"#;
        let x = read_metadata(&Html::parse_document(html), None, None);
        assert_eq!(x.keywords, ["Harbour", "Floods", "Council", "Weather"]);
    }

    #[test]
    fn a_title_that_only_names_the_site_gives_way_to_the_heading() {
        let page = Url::parse("https://blog.example/2020/01/24/nebelsuppe/").unwrap();
        let title = choose_title(
            None,
            None,
            Some("Das Leben, der Meister und ich".into()),
            Some("Nebelsuppe.".into()),
            None,
            Some(&page),
        );
        assert_eq!(title.as_deref(), Some("Nebelsuppe."));
        // A title the address does not name either stays the title.
        let page = Url::parse("https://news.example/article/48213").unwrap();
        let title = choose_title(
            None,
            None,
            Some("Harbour wall to be raised".into()),
            Some("Latest news".into()),
            None,
            Some(&page),
        );
        assert_eq!(title.as_deref(), Some("Harbour wall to be raised"));
    }

    #[test]
    fn a_json_ld_headline_nothing_else_agrees_with_is_passed_over() {
        let title = choose_title(
            Some("Wikimedia list article".into()),
            None,
            Some("List of films featuring time loops - Wikipedia".into()),
            Some("List of films featuring time loops".into()),
            Some("Wikipedia"),
            None,
        );
        assert_eq!(title.as_deref(), Some("List of films featuring time loops"));
        let title = choose_title(
            Some("Storm hits coast | The Courier".into()),
            None,
            Some("Storm hits the coast".into()),
            None,
            Some("The Courier"),
            None,
        );
        assert_eq!(title.as_deref(), Some("Storm hits coast"));
    }

    #[test]
    fn bylines_become_names() {
        assert_eq!(
            split_names("By Ana Ruiz and Tom Field"),
            ["Ana Ruiz", "Tom Field"]
        );
        assert_eq!(split_names("Staff Reporter"), Vec::<String>::new());
        // An organisation with "und" in its name is neither split nor a person, nor is a
        // magazine named with "&".
        assert!(
            split_names("Bayerische Landesanstalt für Wald und Forstwirtschaft - LWF").is_empty()
        );
        assert!(split_names("Mac & i").is_empty());
        assert!(split_names("Gesponserte Inhalte").is_empty() && split_names("Werbung").is_empty());
        // A catalogue's "Surname, Given", and two writers, are told apart.
        assert_eq!(
            surname_first("Harm, Robert").as_deref(),
            Some("Robert Harm")
        );
        assert_eq!(
            surname_first("Jong, Michiel de").as_deref(),
            Some("Michiel de Jong")
        );
        assert_eq!(surname_first("Rudolf Fischer, Simon Kohler"), None);
        assert!(is_handle("rasos") && !is_handle("admin") && !is_handle("DT"));
        assert_eq!(
            split_names("Von:Moritz Pieczewski-Freimuth"),
            ["Moritz Pieczewski-Freimuth"]
        );
        assert_eq!(split_names("Auteur : Anna Kubišta"), ["Anna Kubišta"]);
        assert_eq!(
            split_names("Christoph Hein Chefredakteur"),
            ["Christoph Hein"]
        );
        assert_eq!(split_names("Rob Picheta; CNN"), ["Rob Picheta"]);
        assert_eq!(split_names("Eingestellt von Der Michel"), ["Der Michel"]);
        for label in [
            "Name *",
            "Name (erforderlich)",
            "NCWiensays:",
            "By",
            "Donnerstag",
        ] {
            assert_eq!(split_names(label), Vec::<String>::new(), "{label}");
        }
    }

    #[test]
    fn a_web_pages_json_ld_date_stands_in_for_its_articles() {
        let html = r#"<html><head><script type="application/ld+json">{"@graph":[
            {"@type":"WebPage","datePublished":"2020-07-07T12:59:16+00:00"},
            {"@type":"Article","headline":"A letter"}]}</script></head>
            <body><h1>A letter</h1><p>Text.</p></body></html>"#;
        let doc = Html::parse_document(html);
        assert_eq!(
            json_ld_value(&Page::new(&doc), "datePublished").as_deref(),
            Some("2020-07-07T12:59:16+00:00")
        );
    }

    #[test]
    fn a_first_name_alone_is_completed_from_a_json_ld_persons_description() {
        let html = r#"<html><head><meta name="author" content="Nils"><script type="application/ld+json">{"@graph":[{"@type":"WebPage","author":{"@id":"https://x.example/#p"}},{"@type":"Person","@id":"https://x.example/#p","name":"Nils","description":"Nils Pickelt ist freier Autor und Journalist."}]}</script></head><body><h1>Kolumne</h1><p>Text.</p></body></html>"#;
        let authors = read_metadata(&Html::parse_document(html), None, None).authors;
        assert_eq!(authors, ["Nils Pickelt"]);
        // Or from the page's byline, an element marked as a name; not from a forum
        // member's handle and title.
        let page = |body: &str| {
            let html = format!(
                r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","headline":"Robot","author":{{"@type":"Person","name":"Todd"}}}}</script></head><body><h1>Robot</h1>{body}<p>Text.</p></body></html>"#
            );
            read_metadata(&Html::parse_document(&html), None, None).authors
        };
        assert_eq!(
            page(r#"<p class="label"><strong>By</strong></p><p class="full-name">Todd Barnes</p>"#),
            ["Todd Barnes"]
        );
        assert_eq!(
            page(r#"<div><span>Todd</span> <span>Forenprofi</span></div>"#),
            ["Todd"]
        );
    }

    #[test]
    fn json_ld_authors_given_by_reference_are_found() {
        let html = r#"<html><head><script type="application/ld+json">{"@graph":[
            {"@type":"Article","headline":"Green deal","author":{"@id":"https://x.example/#p1"}},
            {"@type":"Person","@id":"https://x.example/#p1","name":"Giovanni Gaggero"}]}</script>
            </head><body><h1>Green deal</h1></body></html>"#;
        let doc = Html::parse_document(html);
        let article = json_ld_article(&Page::new(&doc)).unwrap();
        assert_eq!(names_of(&article["author"]), ["Giovanni Gaggero"]);
    }

    #[test]
    fn site_suffix_is_cleaned_from_titles() {
        assert_eq!(
            clean_title("Rail Enquiries -", None, None),
            "Rail Enquiries"
        );
        assert_eq!(
            clean_title("| Storm hits coast", None, None),
            "Storm hits coast"
        );
        assert_eq!(clean_title("Rock -n- Roll", None, None), "Rock -n- Roll");
        // Layer after layer: the section's name, then the site's.
        assert_eq!(
            clean_title(
                "Harbour Courier Online - Storm hits the coast at dawn - Local News",
                None,
                Some("www.harbour-courier.example")
            ),
            "Storm hits the coast at dawn"
        );
        assert_eq!(
            clean_title("Storm hits coast | The Courier", Some("The Courier"), None),
            "Storm hits coast"
        );
        assert_eq!(
            clean_title("The Courier - Storm hits coast", Some("The Courier"), None),
            "Storm hits coast"
        );
        assert_eq!(
            clean_title("Storm hits the coast at dawn - Courier", None, None),
            "Storm hits the coast at dawn"
        );
        assert_eq!(clean_title("Left - right", None, None), "Left - right");
        assert_eq!(
            clean_title("COURIER EASY|Storm hits coast", Some("Courier Easy"), None),
            "Storm hits coast"
        );
        assert_eq!(
            clean_title(
                "Storm hits coast : Harbourblog Archive",
                None,
                Some("harbourblog.example")
            ),
            "Storm hits coast"
        );
        // French typography puts a space before a colon inside the headline itself.
        assert_eq!(
            clean_title(
                "Tempête : la côte se prépare",
                None,
                Some("courrier.example")
            ),
            "Tempête : la côte se prépare"
        );
        assert_eq!(
            clean_title("23.01.2022 - Storm hits coast", None, None),
            "Storm hits coast"
        );
    }

    #[test]
    fn a_heading_completes_a_title_cut_short() {
        let check = |title: &str, heading: &str, want: Option<&str>| {
            assert_eq!(
                completed_by_heading(title, Some(heading)).as_deref(),
                want,
                "{title}"
            );
        };
        let full = "Storm cuts power to the harbour district for a week";
        check(
            "Storm cuts power to the harbour district...",
            full,
            Some(full),
        );
        check("Storm cuts power to the harbour", full, Some(full));
        check(
            "Battery plant grows",
            "Battery plant grows: a third line opens",
            Some("Battery plant grows: a third line opens"),
        );
        // A subtitle, a site's name or a date after the headline is not the headline.
        check(
            "Storm cuts power",
            "Storm cuts power Residents brace for a cold week",
            None,
        );
        check("Storm cuts power", "Storm cuts power | The Courier", None);
        check("Storm cuts power", "Storm cuts power 02.02.2022", None);
        check(full, full, None);
    }

    #[test]
    fn the_headline_keeps_the_typography_the_page_prints() {
        let page = r#"<html><head><title>Harbour plan - what's next | The Courier</title>
            <meta property="og:title" content="Harbour plan - what's next">
            <script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour plan - what's next"}</script>
            </head><body><h1>Harbour plan – what’s next</h1><p>Text.</p></body></html>"#;
        let doc = crate::parse_page(page).unwrap();
        let x = read_metadata(&doc, None, None);
        assert_eq!(x.title.as_deref(), Some("Harbour plan – what’s next"));
        // Other words, or other capitals, are another title and leave it be.
        let page = page.replace(
            "<h1>Harbour plan – what’s next",
            "<h1>HARBOUR PLAN – WHAT’S NEXT",
        );
        let doc = crate::parse_page(&page).unwrap();
        let x = read_metadata(&doc, None, None);
        assert_eq!(x.title.as_deref(), Some("Harbour plan - what's next"));
    }

    #[test]
    fn a_title_cut_at_an_unescaped_quote_is_completed_by_the_documents() {
        let full = r#"Senator calls the plan "unworkable" in a late vote"#;
        let cut = "Senator calls the plan";
        assert_eq!(completed_at_quote(cut, Some(full)).as_deref(), Some(full));
        // A title that goes on without a quote is another title, not a cut one.
        assert_eq!(
            completed_at_quote(cut, Some("Senator calls the plan unworkable")),
            None
        );
        assert_eq!(completed_at_quote(cut, Some(cut)), None);
    }
}
