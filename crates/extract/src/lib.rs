//! HTML + URL -> an article's main text and metadata; and the sanitizer every piece of outside
//! HTML passes through before it is stored or shown. Pure: no IO.

mod audit;
mod content;
mod dates;
mod discover;
mod metadata;
mod page;
mod parse;
mod sanitize;
mod site_config;
mod xpath;
mod zones;

use chrono::{DateTime, Utc};
use serde::Serialize;
use url::Url;

pub use audit::unsafe_markup;
pub use dates::{parse_date, parse_date_zoned};
pub use discover::{discover_feeds, FeedLink, COMMON_FEED_PATHS};
pub use parse::parse_page;
pub use sanitize::{escape_text, html_to_text, sanitize_html};
pub use site_config::{SiteConfig, SiteConfigs};

/// Pages larger than this are cut before parsing; no real article needs more.
pub const MAX_HTML_BYTES: usize = 8 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the page has no readable article text")]
    NoContent,
    #[error("the page nests elements deeper than {0} levels")]
    TooDeep(usize),
}

pub type Result<T> = std::result::Result<T, Error>;

/// What Parallax reads from an article page.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Extracted {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<DateTime<Utc>>,
    /// The offset from UTC (minutes east) the page wrote its publication time in, if any:
    /// the day and hour its readers saw.
    pub published_offset_minutes: Option<i32>,
    pub modified: Option<DateTime<Utc>>,
    pub site_name: Option<String>,
    pub language: Option<String>,
    pub image: Option<String>,
    pub description: Option<String>,
    pub canonical_url: Option<String>,
    pub section: Option<String>,
    pub keywords: Vec<String>,
    /// The page says its text is for subscribers only: what it shows may be a teaser.
    pub paywalled: bool,
    /// Main text, paragraphs separated by a blank line.
    pub text: String,
    /// The same content as sanitized HTML.
    pub html: String,
}

/// Readings shorter than this are compared with the markup the page holds in template
/// scripts.
const TEMPLATE_FALLBACK_CHARS: usize = 200;

/// Extracts the article of a page. `url` is where the page was found; relative links and
/// images resolve against it (or against the page's `<base>`).
pub fn extract(html: &str, url: Option<&Url>) -> Result<Extracted> {
    extract_with(html, url, None)
}

/// Extracts the article of a page with its site's own rules, where it has some: they name
/// the body, title, authors and date, and what to strip; whatever they leave unsaid is read
/// as `extract` reads it.
pub fn extract_with(
    html: &str,
    url: Option<&Url>,
    rules: Option<&SiteConfig>,
) -> Result<Extracted> {
    let html = truncate_at_char_boundary(html, MAX_HTML_BYTES);
    let replaced;
    let html = match rules.filter(|r| !r.replace.is_empty()) {
        Some(r) => {
            replaced = site_config::replace_strings(r, html);
            truncate_at_char_boundary(&replaced, MAX_HTML_BYTES)
        }
        None => html,
    };
    let mut doc = parse::parse_page(html)?;
    if let Some(r) = rules {
        site_config::strip(r, &mut doc);
    }
    let page = page::Page::new(&doc);
    let base = metadata::base_url(&page, url);
    let mut out = metadata::read_page(&page, base.as_ref(), url);
    let mut body = match rules {
        Some(r) => site_config::apply(r, &doc, base.as_ref(), &mut out),
        None => None,
    }
    .unwrap_or_else(|| {
        let headline = out
            .title
            .as_deref()
            .and_then(|t| metadata::headline_element(&page, t));
        content::main_content(&doc, base.as_ref(), out.description.as_deref(), headline)
    });
    if let Some(ld) = metadata::json_ld_body(&page) {
        // The page's own text is preferred; its JSON-LD copy only when the page shows much less.
        if ld.chars().count() > 2 * body.text.chars().count() {
            body.html = ld
                .split("\n\n")
                .map(|p| format!("<p>{}</p>", escape_text(p)))
                .collect::<Vec<_>>()
                .join("\n");
            body.text = ld;
        }
    }
    if body.text.chars().count() < TEMPLATE_FALLBACK_CHARS {
        // A page that shows (almost) nothing may hold its article as markup for a script
        // to show (Blogger's post bodies).
        if let Some(held) = content::template_content(&page, base.as_ref()) {
            if held.text.chars().count() > 2 * body.text.chars().count() {
                body = held;
            }
        }
    }
    if body.text.trim().is_empty() {
        return Err(Error::NoContent);
    }
    out.text = parallax_text::to_nfc(body.text);
    out.html = body.html;
    out.title = out.title.map(parallax_text::to_nfc);
    if out.language.is_none() {
        out.language = parallax_text::detect_language(&out.text).map(str::to_string);
    }
    Ok(out)
}

fn truncate_at_char_boundary(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_held_as_markup_for_a_script_is_read() {
        // Blogger's layout: the post body is a template that a script puts on the page.
        let page = r#"<html><head><title>Safer lanes in the old town</title></head><body>
            <h2 class="post-title">Safer lanes in the old town</h2>
            <div class="post-body"><div class="post-content" itemprop="articleBody">
            <script type='text/template'>
              <span class="byline-author">Posted by the Roads Team</span>
              <p>The council will close three lanes of the old town to cars from June, after a year in which cyclists were hurt twice a month on them.</p>
              <p>Deliveries stay allowed before ten in the morning, and residents keep their permits, the roads office said on Tuesday.</p>
            </script></div></div>
            <noscript>Turn on JavaScript to read this blog.</noscript></body></html>"#;
        let x = extract(page, None).unwrap();
        assert!(x.text.starts_with("The council will close"), "{}", x.text);
        assert!(
            x.text.contains("residents keep their permits"),
            "{}",
            x.text
        );
        assert!(!x.text.contains("<p>"), "{}", x.text);
    }

    #[test]
    fn a_sites_rules_name_its_body_and_metadata_and_what_to_strip() {
        let long_box: String = (0..6)
            .map(|i| format!("<p>Archive item {i}: the longest read of the week, with plenty of words in it, and then some more words to make it long.</p>"))
            .collect();
        let page = format!(
            r#"<html><head><title>Harbour | The Gazette</title></head><body>
            <h1 class="hed">Harbour wall to be raised</h1>
            <span class="who">By Ann Lee and Tom Ng</span><span class="when" data-ts="2026-11-02T09:30:00+01:00">Monday</span>
            <div class="txt"><p>The council voted to raise the harbour wall by one metre.<br><br>Work starts in spring and lasts a year.</p>
            <div class="promo-inline">Read our harbour special, every week in print.</div></div>
            <div class="zone-b">{long_box}</div></body></html>"#
        );
        let url = Url::parse("https://gazette.example/harbour").unwrap();
        let default = extract(&page, Some(&url)).unwrap();
        assert!(default.text.contains("Archive item"), "{}", default.text);

        let (rules, warnings) = SiteConfig::parse(
            "title: //h1[@class='hed']\n\
             body: //div[@class='txt']\n\
             author: //span[@class='who']\n\
             date: //span[@class='when']/@data-ts\n\
             strip_id_or_class: promo-inline\n\
             replace_string(<br><br>): </p><p>\n",
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        let x = extract_with(&page, Some(&url), Some(&rules)).unwrap();
        assert_eq!(x.title.as_deref(), Some("Harbour wall to be raised"));
        assert_eq!(x.authors, ["Ann Lee", "Tom Ng"]);
        assert_eq!(
            x.published.unwrap().to_rfc3339(),
            "2026-11-02T08:30:00+00:00"
        );
        assert_eq!(x.published_offset_minutes, Some(60));
        assert_eq!(
            x.text,
            "The council voted to raise the harbour wall by one metre.\n\nWork starts in spring and lasts a year."
        );

        // Body rules that find nothing leave the page to the default reading, unless the
        // site says not to.
        let (missing, _) = SiteConfig::parse("body: //div[@class='gone']");
        let x = extract_with(&page, Some(&url), Some(&missing)).unwrap();
        assert_eq!(x.text, default.text);
        let (strict, _) =
            SiteConfig::parse("body: //div[@class='gone']\nautodetect_on_failure: no");
        assert!(matches!(
            extract_with(&page, Some(&url), Some(&strict)),
            Err(Error::NoContent)
        ));
    }

    #[test]
    fn hostile_and_broken_pages_give_an_answer() {
        let deep = format!(
            "<html><body>{}<p>text</p></body></html>",
            "<div>".repeat(100_000)
        );
        assert!(matches!(extract(&deep, None), Err(Error::TooDeep(_))));
        let spans = format!("<body>{}text", "<span>".repeat(100_000));
        assert!(extract(&spans, None).is_err());
        // Nested byline and tag containers around a large page are each read once.
        let nested = format!(
            "<body>{}{}<p>The council approved the budget on Tuesday, after a long debate, by eleven votes to two.</p></body>",
            r#"<div class="vcard tags" data-testid="byline">"#.repeat(4000),
            "<a href=/x>x</a>".repeat(20_000)
        );
        assert!(matches!(extract(&nested, None), Err(Error::NoContent)));
        // Thousands of empty elements under thousands of ancestors: each ancestor's short
        // text is read within a bound, not over the whole page.
        let empty = format!(
            "<body>{}{}",
            "<div>".repeat(4000),
            "<span></span>".repeat(20_000)
        );
        assert!(matches!(extract(&empty, None), Err(Error::NoContent)));
        // Endless dated lines away from the headline, and signed paragraphs: the fallback
        // byline readers weigh a bounded number of them, each without walking the page
        // (unbounded, this page took 14 s in a release build).
        let bylines = format!(
            "<body><div><h1>Budget</h1></div><section><div>{}</div></section>",
            "<p>12.03.2024 - Ann Lee</p><span>x</span><p><b>Ann Lee</b></p>".repeat(20_000)
        );
        let answer = extract(&bylines, None);
        assert!(answer.is_ok() || matches!(answer, Err(Error::NoContent)));
        // Thousands of empty bylines thousands of levels deep, endless copyright notices,
        // dateline-like paragraphs and a post author's reply without a name: each byline
        // looks at its nearest ancestors only, each reader at a bounded number of elements.
        let hostile = format!(
            "<body><h1>Budget</h1>{}{}{}<li class=\"bypostauthor\"><cite class=\"fn\"></cite></li><footer>{}</footer>",
            "<div>".repeat(4000),
            r#"<span class="author"></span>"#.repeat(20_000),
            "<p>Hamburg (x) - y</p>".repeat(2000),
            "<p>(c) </p>".repeat(20_000)
        );
        let answer = extract(&hostile, None);
        assert!(answer.is_ok() || matches!(answer, Err(Error::NoContent)));
        assert!(matches!(extract("", None), Err(Error::NoContent)));
        let truncated = "<html><body><article><p>The council approved the new budget after a long debate, with eleven votes in favour and two against, on Tuesday.</p><p>It will take eff";
        let x = extract(truncated, None).unwrap();
        assert!(x.text.starts_with("The council approved"), "{}", x.text);
        // The sanitizer keeps the outermost 256 levels, balanced; deeper tags are dropped.
        let bold = sanitize_html(&"<b>".repeat(50_000), None);
        assert_eq!(bold, format!("{}{}", "<b>".repeat(256), "</b>".repeat(256)));
    }
}
