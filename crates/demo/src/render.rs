//! An outlet's article pages and feed, rendered from the fixture.

use chrono::{DateTime, Utc};

use crate::fixture::{Fixture, FixtureArticle, FixtureOutlet};

pub(crate) fn template(slug: &str) -> &'static str {
    match slug {
        "meridian" => include_str!("../data/templates/meridian.html"),
        "courier" => include_str!("../data/templates/courier.html"),
        "ledger" => include_str!("../data/templates/ledger.html"),
        "dominion" => include_str!("../data/templates/dominion.html"),
        "southern" => include_str!("../data/templates/southern.html"),
        "kestrel" => include_str!("../data/templates/kestrel.html"),
        _ => include_str!("../data/templates/highveld.html"),
    }
}

pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn json(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

pub(crate) fn slugify(s: &str) -> String {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

pub(crate) fn article_path(a: &FixtureArticle) -> String {
    format!("/news/{}/{}", a.published.format("%Y/%m/%d"), a.slug)
}

fn human(t: DateTime<Utc>) -> String {
    t.format("%-d %B %Y, %H:%M UTC").to_string()
}

fn paragraphs_html(paras: &[&str]) -> String {
    paras
        .iter()
        .map(|p| format!("<p>{}</p>", escape(p)))
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) fn render_page(
    fixture: &Fixture,
    outlet: &FixtureOutlet,
    a: &FixtureArticle,
    base: &str,
) -> String {
    let paras = a.paragraphs();
    let split = if a.is_paywalled() {
        1
    } else {
        paras.len().min(2)
    };
    let related: String = fixture
        .articles_of(&outlet.slug)
        .filter(|o| o.slug != a.slug)
        .take(4)
        .map(|o| {
            format!(
                r#"<li><a href="{}">{}</a></li>"#,
                article_path(o),
                escape(&o.title)
            )
        })
        .collect();
    let author = a.author.clone().unwrap_or_else(|| outlet.name.clone());
    let byline = match (&a.copy_of, &a.author) {
        (Some(_), Some(name)) => format!("By {} (Meridian Wire)", escape(name)),
        (_, Some(name)) => format!("By {}", escape(name)),
        (_, None) => escape(&outlet.name),
    };
    let description = paras.first().copied().unwrap_or("");
    let url = format!("{base}{}", article_path(a));
    let published = a.published.to_rfc3339();
    let body_rest = if a.is_paywalled() {
        r#"<div class="paywall"><h3>This article is for subscribers</h3><p>Subscribe from 1 dollar a week to read on, and to support local journalism.</p><p><a href="/subscribe">Subscribe</a> or <a href="/login">log in</a></p></div>"#.to_string()
    } else {
        paragraphs_html(&paras[split..])
    };
    let page = [
        ("{{title_json}}", json(&a.title)),
        ("{{author_json}}", json(&author)),
        ("{{category_json}}", json(&a.category)),
        ("{{description_json}}", json(description)),
        ("{{title}}", escape(&a.title)),
        ("{{author}}", escape(&author)),
        ("{{byline}}", byline),
        ("{{description}}", escape(description)),
        ("{{published_human}}", human(a.published)),
        ("{{published}}", published),
        ("{{category_slug}}", slugify(&a.category)),
        ("{{category}}", escape(&a.category)),
        ("{{slug}}", a.slug.clone()),
        ("{{url}}", url),
        ("{{related}}", related),
        ("{{body_first}}", paragraphs_html(&paras[..split])),
        ("{{body_rest}}", body_rest),
    ]
    .iter()
    .fold(template(&outlet.slug).to_string(), |page, (key, value)| {
        page.replace(key, value)
    });
    if a.is_paywalled() {
        // Google's markup for subscriber-only articles, as paywalled outlets write it.
        let marking = format!(
            r#"<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":{},"isAccessibleForFree":false,"hasPart":{{"@type":"WebPageElement","isAccessibleForFree":false,"cssSelector":".paywall"}}}}</script>"#,
            json(&a.title)
        );
        page.replacen("</head>", &format!("{marking}\n</head>"), 1)
    } else {
        page
    }
}

/// The feed's entry content: the first paragraph, or the whole article.
fn entry_html(outlet: &FixtureOutlet, a: &FixtureArticle) -> String {
    let paras = a.paragraphs();
    if outlet.feed_content == "full" {
        paragraphs_html(&paras)
    } else {
        paragraphs_html(&paras[..1])
    }
}

/// The outlet's feed over `articles`, newest first; `link_suffix` is appended to article
/// links (section feeds add tracking parameters, as real ones do).
pub(crate) fn render_feed(
    outlet: &FixtureOutlet,
    articles: &[&FixtureArticle],
    base: &str,
    self_path: &str,
    link_suffix: &str,
) -> String {
    let mut items: Vec<&&FixtureArticle> = articles.iter().collect();
    items.sort_by_key(|a| std::cmp::Reverse(a.published));
    let link = |a: &FixtureArticle| format!("{base}{}{link_suffix}", article_path(a));
    let updated = items.first().map(|a| a.published).unwrap_or_default();
    match outlet.feed.as_str() {
        "atom" => {
            let mut out = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n<id>{base}/</id>\n<link href=\"{base}/\"/>\n<link rel=\"self\" href=\"{base}{self_path}\"/>\n<updated>{}</updated>\n",
                outlet.language, escape(&outlet.name), updated.to_rfc3339()
            );
            for a in items {
                let content_kind = if outlet.feed_content == "full" {
                    "content"
                } else {
                    "summary"
                };
                out.push_str(&format!(
                    "<entry>\n<id>tag:{},2026:{}</id>\n<title>{}</title>\n<link rel=\"alternate\" href=\"{}\"/>\n<published>{}</published>\n<updated>{}</updated>\n<author><name>{}</name></author>\n<category term=\"{}\"/>\n<{content_kind} type=\"html\">{}</{content_kind}>\n</entry>\n",
                    outlet.slug, a.slug, escape(&a.title), escape(&link(a)), a.published.to_rfc3339(), a.published.to_rfc3339(),
                    escape(a.author.as_deref().unwrap_or(&outlet.name)), escape(&a.category), escape(&entry_html(outlet, a))
                ));
            }
            out.push_str("</feed>\n");
            out
        }
        "jsonfeed" => {
            let items: Vec<serde_json::Value> = items
                .iter()
                .map(|a| {
                    let mut item = serde_json::json!({
                        "id": format!("{}-{}", outlet.slug, a.slug),
                        "url": link(a),
                        "title": a.title,
                        "date_published": a.published.to_rfc3339(),
                        "authors": [{"name": a.author.as_deref().unwrap_or(&outlet.name)}],
                        "tags": [a.category],
                    });
                    let key = if outlet.feed_content == "full" {
                        "content_html"
                    } else {
                        "summary"
                    };
                    let value = if outlet.feed_content == "full" {
                        entry_html(outlet, a)
                    } else {
                        a.paragraphs()[0].to_string()
                    };
                    item[key] = serde_json::Value::String(value);
                    if outlet.feed_content != "full" {
                        item["content_text"] =
                            serde_json::Value::String(a.paragraphs()[0].to_string());
                    }
                    item
                })
                .collect();
            serde_json::to_string_pretty(&serde_json::json!({
                "version": "https://jsonfeed.org/version/1.1",
                "title": outlet.name,
                "home_page_url": format!("{base}/"),
                "feed_url": format!("{base}{self_path}"),
                "language": outlet.language,
                "items": items,
            }))
            .unwrap_or_default()
        }
        "rss1" => {
            let mut out = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel rdf:about=\"{base}{self_path}\">\n<title>{}</title>\n<link>{base}/</link>\n<description>News from {}</description>\n<dc:language>{}</dc:language>\n<items><rdf:Seq>\n",
                escape(&outlet.name), escape(&outlet.name), outlet.language
            );
            for a in &items {
                out.push_str(&format!(
                    "<rdf:li rdf:resource=\"{}\"/>\n",
                    escape(&link(a))
                ));
            }
            out.push_str("</rdf:Seq></items>\n</channel>\n");
            for a in items {
                out.push_str(&format!(
                    "<item rdf:about=\"{0}\">\n<title>{1}</title>\n<link>{0}</link>\n<description>{2}</description>\n<dc:date>{3}</dc:date>\n<dc:creator>{4}</dc:creator>\n<dc:subject>{5}</dc:subject>\n</item>\n",
                    escape(&link(a)), escape(&a.title), escape(a.paragraphs()[0]), a.published.to_rfc3339(),
                    escape(a.author.as_deref().unwrap_or(&outlet.name)), escape(&a.category)
                ));
            }
            out.push_str("</rdf:RDF>\n");
            out
        }
        _ => {
            let mut out = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n<title>{}</title>\n<link>{base}/</link>\n<atom:link rel=\"self\" href=\"{base}{self_path}\"/>\n<description>Latest from {}</description>\n<language>{}</language>\n<lastBuildDate>{}</lastBuildDate>\n",
                escape(&outlet.name), escape(&outlet.name), outlet.language, updated.to_rfc2822()
            );
            for a in items {
                out.push_str(&format!(
                    "<item>\n<title>{}</title>\n<link>{}</link>\n<guid isPermaLink=\"false\">{}-{}</guid>\n<pubDate>{}</pubDate>\n<dc:creator>{}</dc:creator>\n<category>{}</category>\n<description>{}</description>\n</item>\n",
                    escape(&a.title), escape(&link(a)), outlet.slug, a.slug, a.published.to_rfc2822(),
                    escape(a.author.as_deref().unwrap_or(&outlet.name)), escape(&a.category), escape(&entry_html(outlet, a))
                ));
            }
            out.push_str("</channel>\n</rss>\n");
            out
        }
    }
}

pub(crate) fn feed_path(outlet: &FixtureOutlet) -> &'static str {
    match outlet.feed.as_str() {
        "atom" => "/feeds/atom.xml",
        "jsonfeed" => "/feed.json",
        "rss1" => "/index.rdf",
        _ => "/rss.xml",
    }
}

pub(crate) fn content_type(outlet: &FixtureOutlet) -> &'static str {
    match outlet.feed.as_str() {
        "atom" => "application/atom+xml; charset=utf-8",
        "jsonfeed" => "application/feed+json; charset=utf-8",
        "rss1" => "application/rdf+xml; charset=utf-8",
        _ => "application/rss+xml; charset=utf-8",
    }
}
