//! Per-site extraction rules in the FiveFilters site-config format (the public-domain
//! `ftr-site-config` files): where a site keeps its body, title, authors and date, what to
//! strip, and strings to replace before parsing. The operator names a folder of them; the
//! default extractor needs none. Reading the folder is the caller's job: this is pure.

use std::collections::{BTreeSet, HashMap};

use scraper::{ElementRef, Html, Node};
use url::Url;

use crate::content::{content_of, MainContent};
use crate::xpath::{compile, Reads, XPath};
use crate::Extracted;

/// The rules for one site.
#[derive(Debug, Clone, Default)]
pub struct SiteConfig {
    pub title: Vec<XPath>,
    pub body: Vec<XPath>,
    pub author: Vec<XPath>,
    pub date: Vec<XPath>,
    pub strip: Vec<XPath>,
    /// Elements whose id or class contains one of these are removed.
    pub strip_id_or_class: Vec<String>,
    /// Images whose `src` contains one of these are removed.
    pub strip_image_src: Vec<String>,
    /// Replacements made in the page's HTML before it is parsed, in order.
    pub replace: Vec<(String, String)>,
    /// Whether the body is cleaned of boilerplate as the default extractor would (`prune`).
    pub prune: bool,
    /// Whether the default extractor runs when the body rules find nothing.
    pub autodetect_on_failure: bool,
}

/// At most this many replacements per site: each one copies the page.
const MAX_REPLACEMENTS: usize = 64;

impl SiteConfig {
    /// Reads a config file's text. Lines it cannot use (XPath with no CSS equivalent,
    /// directives Parallax does not act on) are listed, one reason each, and skipped.
    pub fn parse(text: &str) -> (SiteConfig, Vec<String>) {
        let mut config = SiteConfig {
            prune: true,
            autodetect_on_failure: true,
            ..SiteConfig::default()
        };
        let mut warnings = Vec::new();
        let mut ignored = BTreeSet::new();
        let mut find: Vec<String> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once(':') else {
                warnings.push(format!("line {}: no directive", n + 1));
                continue;
            };
            let (key, value) = (key.trim(), value.trim());
            let list = match key {
                "title" => Some(&mut config.title),
                "body" => Some(&mut config.body),
                "author" => Some(&mut config.author),
                "date" => Some(&mut config.date),
                "strip" => Some(&mut config.strip),
                _ => None,
            };
            if let Some(list) = list {
                match compile(value) {
                    Ok(x) => list.push(x),
                    Err(e) => warnings.push(format!("line {}: {key}: {e}", n + 1)),
                }
                continue;
            }
            match key {
                "strip_id_or_class" => config
                    .strip_id_or_class
                    .push(value.trim_matches(['"', '\'']).to_string()),
                "strip_image_src" => config.strip_image_src.push(value.to_string()),
                "prune" => config.prune = value != "no",
                "autodetect_on_failure" => config.autodetect_on_failure = value != "no",
                "find_string" => find.push(value.to_string()),
                "replace_string" => match find.pop() {
                    Some(f) => config.replace.push((f, value.to_string())),
                    None => warnings.push(format!(
                        "line {}: replace_string without find_string",
                        n + 1
                    )),
                },
                _ if key.starts_with("replace_string(") && key.ends_with(')') => {
                    let f = &key["replace_string(".len()..key.len() - 1];
                    config.replace.push((f.to_string(), value.to_string()));
                }
                _ => {
                    // Paging, login, HTTP headers, tests: not what extraction from one page
                    // can act on.
                    let name = key.split('(').next().unwrap_or(key);
                    ignored.insert(name.to_string());
                }
            }
        }
        config.replace.retain(|(f, _)| !f.is_empty());
        if config.replace.len() > MAX_REPLACEMENTS {
            warnings.push(format!(
                "{} replacements; only the first {MAX_REPLACEMENTS} are made",
                config.replace.len()
            ));
            config.replace.truncate(MAX_REPLACEMENTS);
        }
        if !ignored.is_empty() {
            warnings.push(format!(
                "directives not acted on: {}",
                ignored.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        (config, warnings)
    }
}

/// The page's HTML with the site's replacements made, in order.
/// A replacement that would grow the page past this many bytes is not made: the page's
/// author decides how often the string occurs.
const MAX_REPLACED_BYTES: usize = 2 * crate::MAX_HTML_BYTES;

pub(crate) fn replace_strings(rules: &SiteConfig, html: &str) -> String {
    let mut out = html.to_string();
    for (find, replace) in &rules.replace {
        let found = out.matches(find.as_str()).count();
        let grown = out.len() + found * replace.len().saturating_sub(find.len());
        if found > 0 && grown <= MAX_REPLACED_BYTES {
            out = out.replace(find.as_str(), replace);
        }
    }
    out
}

/// Removes what the site's rules strip: elements by XPath, by id or class, images by source.
pub(crate) fn strip(rules: &SiteConfig, doc: &mut Html) {
    let mut doomed = Vec::new();
    for x in &rules.strip {
        doomed.extend(doc.select(&x.selector).map(|e| e.id()));
    }
    if !rules.strip_id_or_class.is_empty() || !rules.strip_image_src.is_empty() {
        for node in doc.tree.nodes() {
            let Node::Element(e) = node.value() else {
                continue;
            };
            let named = |attr: &str| {
                e.attr(attr).is_some_and(|v| {
                    rules
                        .strip_id_or_class
                        .iter()
                        .any(|s| v.contains(s.as_str()))
                })
            };
            let image = e.name() == "img"
                && e.attr("src").is_some_and(|src| {
                    rules
                        .strip_image_src
                        .iter()
                        .any(|s| src.contains(s.as_str()))
                });
            if named("id") || named("class") || image {
                doomed.push(node.id());
            }
        }
    }
    for id in doomed {
        if let Some(mut node) = doc.tree.get_mut(id) {
            node.detach();
        }
    }
}

/// What the first expression of `list` that finds anything reads: texts or attribute values,
/// whitespace collapsed, empty ones left out.
fn read_first(list: &[XPath], doc: &Html) -> Vec<String> {
    for x in list {
        let values: Vec<String> = doc
            .select(&x.selector)
            .map(|e| match &x.reads {
                Reads::Attribute(a) => e.attr(a).unwrap_or_default().to_string(),
                Reads::Elements | Reads::Text => text_of(&e),
            })
            .map(|v| crate::sanitize::collapse_whitespace(&v))
            .filter(|v| !v.is_empty())
            .collect();
        if !values.is_empty() {
            return values;
        }
    }
    Vec::new()
}

fn text_of(e: &ElementRef<'_>) -> String {
    e.text().collect()
}

/// Applies the site's title, author and date rules to `out`, and returns the body its body
/// rules find: `None` when it has none or they find nothing and the default reading should
/// run.
pub(crate) fn apply(
    rules: &SiteConfig,
    doc: &Html,
    base: Option<&Url>,
    out: &mut Extracted,
) -> Option<MainContent> {
    if let Some(title) = read_first(&rules.title, doc).into_iter().next() {
        out.title = Some(title);
    }
    let authors: Vec<String> = read_first(&rules.author, doc)
        .iter()
        .flat_map(|a| crate::metadata::split_names(a))
        .collect();
    if !authors.is_empty() {
        out.authors = authors;
        crate::metadata::dedup(&mut out.authors);
    }
    if let Some((at, offset)) = read_first(&rules.date, doc)
        .iter()
        .find_map(|d| crate::dates::parse_date_zoned(d))
    {
        out.published = Some(at);
        out.published_offset_minutes = offset;
    }
    if rules.body.is_empty() {
        return None;
    }
    for x in &rules.body {
        let containers: Vec<_> = doc.select(&x.selector).map(|e| e.id()).collect();
        if containers.is_empty() {
            continue;
        }
        let body = content_of(doc, &containers, base, rules.prune);
        if !body.text.trim().is_empty() {
            return Some(body);
        }
    }
    (!rules.autodetect_on_failure).then(|| MainContent {
        text: String::new(),
        html: String::new(),
        first_block: None,
    })
}

/// The rules of many sites, by the host names their files are named for.
#[derive(Debug, Clone, Default)]
pub struct SiteConfigs {
    by_host: HashMap<String, SiteConfig>,
}

impl SiteConfigs {
    /// Builds the set from `(file name, text)` pairs: `example.com.txt` holds the rules of
    /// example.com (and www.example.com); `.example.com.txt` those of every subdomain too.
    /// Files not ending in `.txt` are skipped. Warnings name their file.
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (SiteConfigs, Vec<String>) {
        let mut by_host = HashMap::new();
        let mut warnings = Vec::new();
        for (name, text) in files {
            let Some(host) = name.strip_suffix(".txt") else {
                continue;
            };
            let (config, file_warnings) = SiteConfig::parse(text);
            warnings.extend(file_warnings.into_iter().map(|w| format!("{name}: {w}")));
            by_host.insert(host.to_ascii_lowercase(), config);
        }
        (SiteConfigs { by_host }, warnings)
    }

    pub fn len(&self) -> usize {
        self.by_host.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_host.is_empty()
    }

    /// The rules for a page's host: its own file, else the nearest `.parent` file.
    pub fn for_host(&self, host: &str) -> Option<&SiteConfig> {
        let host = host.to_ascii_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host);
        if let Some(c) = self.by_host.get(host) {
            return Some(c);
        }
        let mut rest = host;
        loop {
            if let Some(c) = self.by_host.get(&format!(".{rest}")) {
                return Some(c);
            }
            rest = rest.split_once('.')?.1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_file_is_read_and_what_cannot_be_used_is_named() {
        let (c, warnings) = SiteConfig::parse(
            "# The Gazette\n\
             title: //h1[@class='headline']\n\
             body: //div[@itemprop='articleBody']\n\
             body: //article\n\
             author: //a[@rel='author']\n\
             date: //time/@datetime\n\
             strip: //div[contains(@class, 'promo')]\n\
             strip_id_or_class: share-tools\n\
             strip_image_src: /pixel.gif\n\
             find_string: <br><br>\n\
             replace_string: </p><p>\n\
             replace_string(<span class=\"drop\">): <span>\n\
             prune: no\n\
             next_page_link: //a[@rel='next']\n\
             test_url: https://gazette.example/a\n\
             body: //p[contains(text(), 'x')]\n\
             nonsense line\n",
        );
        assert_eq!(
            (c.title.len(), c.body.len(), c.author.len(), c.date.len()),
            (1, 2, 1, 1)
        );
        assert_eq!(c.strip.len(), 1);
        assert_eq!(c.strip_id_or_class, ["share-tools"]);
        assert_eq!(c.strip_image_src, ["/pixel.gif"]);
        assert_eq!(
            c.replace,
            [
                ("<br><br>".to_string(), "</p><p>".to_string()),
                ("<span class=\"drop\">".to_string(), "<span>".to_string())
            ]
        );
        assert!(!c.prune && c.autodetect_on_failure);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].starts_with("line 16: body:"), "{warnings:?}");
        assert_eq!(warnings[1], "line 17: no directive");
        assert_eq!(
            warnings[2],
            "directives not acted on: next_page_link, test_url"
        );
    }

    #[test]
    fn a_replacement_cannot_blow_the_page_up() {
        let (rules, _) = SiteConfig::parse(&format!(
            "replace_string(a): {}\nreplace_string(b): c",
            "x".repeat(1000)
        ));
        let page = "a".repeat(1 << 20) + "b";
        let out = replace_strings(&rules, &page);
        assert_eq!(out.len(), page.len(), "the thousandfold growth is skipped");
        assert!(out.ends_with('c'), "the harmless one is made");
    }

    #[test]
    fn hosts_find_their_own_file_or_their_parents_wildcard() {
        let (configs, warnings) = SiteConfigs::from_files([
            ("gazette.example.txt", "body: //article"),
            (".wiki.example.txt", "body: //main"),
            ("README.md", "not a config"),
        ]);
        assert!(warnings.is_empty());
        assert_eq!(configs.len(), 2);
        assert!(configs.for_host("gazette.example").is_some());
        assert!(configs.for_host("WWW.Gazette.example").is_some());
        assert!(configs.for_host("news.gazette.example").is_none());
        assert!(configs.for_host("de.wiki.example").is_some());
        assert!(configs.for_host("wiki.example").is_some());
        assert!(configs.for_host("other.example").is_none());
    }
}
