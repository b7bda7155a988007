//! Finds the main text of a page: scores blocks of text by length, punctuation and link
//! density, credits their containers, picks the best container and its like siblings, and
//! leaves out navigation, share and newsletter boxes, "read also" lists and comments.

use std::cell::{OnceCell, RefCell};
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use ego_tree::{NodeId, NodeRef};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use scraper::{Html, Node};
use url::Url;

use crate::page::Page;
use crate::sanitize::{collapse_whitespace, escape_text, sanitize_html};

pub(crate) struct MainContent {
    pub text: String,
    pub html: String,
    /// The first block the text was read from, to place what comes before it.
    pub first_block: Option<NodeId>,
}

/// Tree walks stop this deep: no article is nested so far, and recursion must stay within a
/// thread's stack whatever the page.
const MAX_WALK_DEPTH: usize = 512;

/// Elements that never hold article text.
const SKIP_TAGS: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "iframe", "svg", "button",
    "template", "select", "textarea", "input", "label", "object", "embed", "canvas", "dialog",
    "menu", "head", "rt", "rp",
];

/// A box of a picture and at most this much text holds a caption, not article text, unless
/// it holds two paragraphs of a sentence's length.
const MAX_PICTURE_BOX_CHARS: usize = 250;
const MIN_SENTENCE_CHARS: usize = 60;

/// Class or id words that mark boilerplate.
const NEGATIVE_WORDS: &[&str] = &[
    "comment",
    "comments",
    "share",
    "sharing",
    "social",
    "newsletter",
    "subscribe",
    "subscription",
    "related",
    "readalso",
    "read-also",
    "recommended",
    "recommend",
    "promo",
    "advert",
    "advertisement",
    "ad",
    "ads",
    "sponsor",
    "sponsored",
    "cookie",
    "consent",
    "footer",
    "nav",
    "navbar",
    "menu",
    "sidebar",
    "breadcrumb",
    "breadcrumbs",
    "disclaimer",
    "republish",
    "republishing",
    "popup",
    "modal",
    "banner",
    "widget",
    "outbrain",
    "taboola",
    "masthead",
    "toolbar",
    "signup",
    "paywall",
    "most-read",
    "mostread",
    "trending",
    "tags",
    "author-bio",
    "more-stories",
    "next-article",
    "caption",
    "byline",
    "dateline",
    "meta",
    "corrections",
    "correction",
    "feedback",
    "licensing",
    "support",
    "donate",
    "donation",
    "membership",
    "pagination",
    "pager",
    "supplemental",
    "gdpr",
    "forum",
];

/// The class name of a box that holds the rest of a paywalled article.
const GATED_TEXT: &str = "paywall";

/// Class or id names that mark boilerplate only when they are the whole name: a box named
/// "dialog" is one, but Drupal wraps every page in "dialog-off-canvas-main-canvas".
const NEGATIVE_NAMES: &[&str] = &["dialog"];

/// Parts of class or id names that mark boilerplate wherever they occur ("commentlist",
/// "sharebar", "relatedposts").
const NEGATIVE_STEMS: &[&str] = &[
    "comment",
    "sidebar",
    "footer",
    "sharing",
    "social",
    "related",
    "newsletter",
    "promo",
    "cookie",
    "sponsor",
    "disqus",
    "outbrain",
    "taboola",
    "breadcrumb",
    "advert",
    "subscribe",
];

/// All the stems in one pass over a name: class names are read for every element.
static NEGATIVE_STEM_FINDER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::new(NEGATIVE_STEMS).unwrap_or_else(|_| unreachable!("plain stems"))
});

/// Every word and stem either list looks for, in any case: most class names hold none, and
/// one pass over the attribute says so before any splitting.
static SIGNAL_FINDER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(
            NEGATIVE_WORDS
                .iter()
                .chain(NEGATIVE_NAMES)
                .chain(NEGATIVE_STEMS)
                .chain(POSITIVE_WORDS),
        )
        .unwrap_or_else(|_| unreachable!("plain words"))
});

/// `NEGATIVE_WORDS` and `POSITIVE_WORDS` as sets: every part of every class name of every
/// element is looked up in them.
static NEGATIVE_WORD_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| NEGATIVE_WORDS.iter().copied().collect());
static POSITIVE_WORD_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| POSITIVE_WORDS.iter().copied().collect());

/// Class or id words that mark the article body; they outweigh a negative word.
const POSITIVE_WORDS: &[&str] = &[
    "article",
    "article-body",
    "articlebody",
    "story",
    "story-body",
    "entry-content",
    "content",
    "post",
    "main",
    "body",
    "text",
    "prose",
];

const BLOCK_CONTENT_TAGS: &[&str] = &[
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "table",
    "dl",
];

/// Below this many characters an extraction may have missed the article, and the
/// page is read again without trusting class names (some sites wrap whole articles in
/// containers named "paywall" or "ad-margins").
const MIN_TEXT_CHARS: usize = 500;

/// The main text of a page. `lead` is the page's own summary (its meta description), when
/// it has one: the article is where that is written.
pub(crate) fn main_content(
    doc: &Html,
    base: Option<&Url>,
    lead: Option<&str>,
    headline: Option<NodeId>,
) -> MainContent {
    // One strict reading's judgements of boilerplate serve every later look at the page.
    let main_ancestors = main_ancestors(doc);
    let strict = Pass::new(Trust::ClassNames, &main_ancestors);
    let found = read_main_content(doc, base, &strict);
    let found = headline
        .and_then(|h| in_the_headlines_article(doc, base, h, &found, &strict))
        .unwrap_or(found);
    // Both checks below are for a reading that lacks the page's own lead.
    let Some(probe) = lead.and_then(lead_probe) else {
        return found;
    };
    if collapse_whitespace(&found.text).contains(&probe) {
        return found;
    }
    match around_lead(doc, base, &probe, &found, &strict) {
        Some(better) => better,
        None => with_lead(doc, base, &probe, found, &strict),
    }
}

/// Pages that load the next article as the reader scrolls hold several `<article>`s; the
/// text found in another article than the one that holds the headline (the `<h1>` that is
/// the page's title) is that article's own reading, if it finds enough.
fn in_the_headlines_article(
    doc: &Html,
    base: Option<&Url>,
    headline: NodeId,
    found: &MainContent,
    pass: &Pass,
) -> Option<MainContent> {
    fn article_of(node: NodeRef<'_, Node>) -> Option<NodeRef<'_, Node>> {
        node.ancestors()
            .find(|a| element_name(*a) == Some("article"))
    }
    let found_in = article_of(doc.tree.get(found.first_block?)?)?;
    let own = article_of(doc.tree.get(headline)?)?;
    let disjoint = own.id() != found_in.id()
        && !own.ancestors().any(|a| a.id() == found_in.id())
        && !found_in.ancestors().any(|a| a.id() == own.id());
    if !disjoint {
        return None;
    }
    let better = pass.run_from(own, base);
    (better.text.chars().count() >= MIN_TEXT_CHARS).then_some(better)
}

/// The first 40 characters of the page's lead, whitespace collapsed: enough to know the
/// lead where it is written. `None` for a lead too short to tell.
fn lead_probe(lead: &str) -> Option<String> {
    let probe: String = collapse_whitespace(lead).chars().take(40).collect();
    (probe.chars().count() == 40).then_some(probe)
}

/// The first paragraph, not boilerplate, that opens with `probe` (and comes before the
/// node `before`, when given: node ids follow the page's order, as the parser creates nodes
/// as it reads).
fn lead_paragraph<'a>(
    doc: &'a Html,
    pass: &Pass,
    probe: &str,
    before: Option<NodeId>,
) -> Option<NodeRef<'a, Node>> {
    doc.tree
        .nodes()
        .take_while(|n| before.is_none_or(|b| n.id() < b))
        .find(|n| {
            matches!(
                element_name(*n),
                Some("p" | "div" | "section" | "td" | "li")
            ) && has_direct_text(*n)
                && leading_text(*n, 2 * probe.len()).starts_with(probe)
                && !pass.is_skipped(*n)
        })
}

/// Longer than this, a paragraph that opens with the lead is a container, not the lead.
const MAX_LEAD_CHARS: usize = 1000;

/// Many sites print the article's lead (its standfirst) above the body, outside the
/// container that holds the rest: where the page's own summary is written there, before
/// the text that was found, it opens the text.
fn with_lead(
    doc: &Html,
    base: Option<&Url>,
    probe: &str,
    found: MainContent,
    pass: &Pass,
) -> MainContent {
    let Some(first) = found.first_block else {
        return found;
    };
    let Some(paragraph) = lead_paragraph(doc, pass, probe, Some(first)) else {
        return found;
    };
    let text = pass.block_text(paragraph);
    if text.chars().count() > MAX_LEAD_CHARS {
        return found;
    }
    let html = sanitize_html(&format!("<p>{}</p>\n", inner_html(paragraph)), base);
    MainContent {
        text: format!("{text}\n\n{}", found.text),
        html: html + &found.html,
        first_block: Some(paragraph.id()),
    }
}

fn read_main_content(doc: &Html, base: Option<&Url>, strict_pass: &Pass) -> MainContent {
    let strict = strict_pass.run(doc, base);
    if strict.text.chars().count() >= MIN_TEXT_CHARS {
        return strict;
    }
    let lenient = Pass::new(Trust::SureMarks, strict_pass.main_ancestors).run(doc, base);
    // A short article read strictly stays as it is; the lenient reading wins only when it
    // finds far more, as when the strict one missed the article altogether.
    let found = if lenient.text.chars().count() > 2 * strict.text.chars().count() {
        lenient
    } else {
        strict
    };
    if !found.text.is_empty() {
        return found;
    }
    // Nothing but comments: a forum's thread is its page.
    Pass::new(Trust::Nothing, strict_pass.main_ancestors).run(doc, base)
}

/// The first `max` bytes or so of the text under a node, whitespace collapsed: enough to
/// compare openings without reading whole subtrees.
fn leading_text(node: NodeRef<'_, Node>, max: usize) -> String {
    let mut out = String::new();
    // Bounded in nodes too: a hostile page may hide its text behind endless empty elements.
    for d in node.descendants().take(4 * max) {
        if let Node::Text(t) = d.value() {
            out.push_str(t);
            if out.len() > max {
                break;
            }
        }
    }
    collapse_whitespace(&out)
}

/// A `<header>` or `<footer>` with this much prose, in more paragraphs than this, holds more
/// than a page's header or footer.
const UNCLOSED_SECTION_CHARS: usize = 2500;
const UNCLOSED_SECTION_PARAGRAPHS: usize = 8;

/// Below this many characters a reading that lacks the page's own lead is doubted.
const DOUBTFUL_TEXT_CHARS: usize = 2500;

/// When a short reading does not hold the page's lead but some paragraph opens with it (a
/// cookie box, an author's biography or an advertiser's disclosure outscored a short
/// article), the container of that paragraph, if it holds more.
fn around_lead(
    doc: &Html,
    base: Option<&Url>,
    probe: &str,
    found: &MainContent,
    pass: &Pass,
) -> Option<MainContent> {
    if found.text.chars().count() >= DOUBTFUL_TEXT_CHARS {
        return None;
    }
    let paragraph = lead_paragraph(doc, pass, probe, None)?;
    let container = paragraph.parent()?;
    let better = pass.render(vec![container], base);
    (better.text.chars().count() > found.text.chars().count()).then_some(better)
}

/// The text of the elements a site's own rules name as its body. `prune` leaves out
/// what looks like boilerplate inside them, as the default reading does.
pub(crate) fn content_of(
    doc: &Html,
    containers: &[NodeId],
    base: Option<&Url>,
    prune: bool,
) -> MainContent {
    let nodes = containers
        .iter()
        .filter_map(|id| doc.tree.get(*id))
        .collect();
    let trust = if prune {
        Trust::ClassNames
    } else {
        Trust::Nothing
    };
    Pass::new(trust, &main_ancestors(doc)).render(nodes, base)
}

/// How many of the best-scoring containers are weighed together, and how many of them
/// (scoring close to the best) make their shared ancestor the article.
const TOP_CANDIDATES: usize = 5;

/// How far above the article's container its sibling modules are looked for, how much
/// prose (paragraph scores) a module holds, and how few links.
const MAX_MODULE_CLIMB: usize = 8;
const MIN_MODULE_PROSE: f64 = 3.0;
const MAX_MODULE_LINK_DENSITY: f64 = 0.25;

/// Class words that name a lead, how far above the container one is looked for, and how
/// short a lead can be (its links are held to a module's share).
const LEAD_WORDS: &[&str] = &[
    "lead",
    "leader",
    "intro",
    "standfirst",
    "chapo",
    "summary",
    "abstract",
    "deck",
];
const MAX_LEAD_CLIMB: usize = 4;
const MIN_LEAD_CHARS: usize = 40;
/// How many elements inside each earlier sibling are looked at for the lead.
const MAX_LEAD_SEARCH: usize = 64;
const MIN_CLOSE_CANDIDATES: usize = 3;

/// The elements that hold a `<main>`: whatever their class names say, they hold the
/// article ("content-sidebar-wrap" holds the article and the sidebar beside it).
fn main_ancestors(doc: &Html) -> HashSet<NodeId> {
    doc.tree
        .nodes()
        .filter(|n| matches!(n.value(), Node::Element(e) if e.name() == "main"))
        .flat_map(|m| m.ancestors())
        .map(|a| a.id())
        .collect()
}

/// Which class and id names a reading believes when it leaves boilerplate out.
#[derive(Clone, Copy)]
enum Trust {
    /// All of them: "sidebar", "related", "comments" are left out.
    ClassNames,
    /// Only those no article is marked with: readers' comments, pop-up dialogs, cookie
    /// notices.
    SureMarks,
    /// None (tags, roles and hidden elements still count).
    Nothing,
}

/// One reading of the page; the strict one leaves out elements whose class names say
/// boilerplate.
struct Pass<'m> {
    trust: Trust,
    /// Whether each element is boilerplate: asked for the same node by every walk.
    skipped: RefCell<HashMap<NodeId, bool>>,
    /// The length of each element's text, asked for containers inside containers.
    lengths: RefCell<HashMap<NodeId, TextLen>>,
    /// The elements that hold the page's `<main>`.
    main_ancestors: &'m HashSet<NodeId>,
    /// Whether the page's captions hold most of its prose, as galleries of slides do.
    captions_are_text: OnceCell<bool>,
}

impl<'m> Pass<'m> {
    fn new(trust: Trust, main_ancestors: &'m HashSet<NodeId>) -> Self {
        Pass {
            trust,
            skipped: RefCell::default(),
            lengths: RefCell::default(),
            main_ancestors,
            captions_are_text: OnceCell::new(),
        }
    }
}

/// How long a stretch of text is once its whitespace is collapsed, kept so that stretches
/// join without being written out: `block_text(n).chars().count()` for every node of a page
/// in one walk instead of one walk per node.
#[derive(Clone, Copy, Default, PartialEq, Debug)]
struct Span {
    /// Characters other than whitespace.
    chars: usize,
    /// Single spaces between words.
    gaps: usize,
    /// Commas, in the scripts that score paragraphs by them.
    commas: usize,
    words: bool,
    space_first: bool,
    space_last: bool,
}

const SPACE: Span = Span {
    chars: 0,
    gaps: 0,
    commas: 0,
    words: false,
    space_first: true,
    space_last: true,
};

impl Span {
    fn of(text: &str) -> Span {
        // Most text is ASCII: read a byte at a time, with no decoding.
        if text.is_ascii() {
            Span::of_units(
                text.bytes()
                    .map(|b| (matches!(b, b'\t'..=b'\r' | b' '), b == b',')),
            )
        } else {
            Span::of_units(text.chars().map(|c| (c.is_whitespace(), is_comma(c))))
        }
    }

    /// A span of characters, each given as (is it a space, is it a comma).
    fn of_units(units: impl Iterator<Item = (bool, bool)>) -> Span {
        let mut span = Span::default();
        let mut in_space = false;
        for (space, comma) in units {
            if space {
                if !span.words {
                    span.space_first = true;
                }
                in_space = true;
            } else {
                if span.words && in_space {
                    span.gaps += 1;
                }
                span.words = true;
                span.chars += 1;
                span.commas += usize::from(comma);
                in_space = false;
            }
        }
        span.space_last = in_space;
        span
    }

    fn then(self, next: Span) -> Span {
        match (self.words, next.words) {
            (false, _) => Span {
                space_first: self.space_first || next.space_first,
                space_last: if next.words {
                    next.space_last
                } else {
                    self.space_last || next.space_last
                },
                ..next
            },
            (true, false) => Span {
                space_last: self.space_last || next.space_last,
                ..self
            },
            (true, true) => Span {
                chars: self.chars + next.chars,
                gaps: self.gaps + next.gaps + usize::from(self.space_last || next.space_first),
                commas: self.commas + next.commas,
                words: true,
                space_first: self.space_first,
                space_last: next.space_last,
            },
        }
    }

    fn len(self) -> usize {
        self.chars + self.gaps
    }
}

/// An element's text, and the text of the links in it (boilerplate inside included, as
/// link density has always counted it).
#[derive(Clone, Copy, Default)]
struct TextLen {
    text: Span,
    linked: usize,
}

impl Pass<'_> {
    fn run(&self, doc: &Html, base: Option<&Url>) -> MainContent {
        self.run_from(doc.tree.root(), base)
    }

    /// A reading of the part of the page under `root`.
    fn run_from(&self, root: NodeRef<'_, Node>, base: Option<&Url>) -> MainContent {
        let tree = root.tree();
        let mut scores: HashMap<NodeId, f64> = HashMap::default();
        let mut paragraphs: HashMap<NodeId, f64> = HashMap::default();
        self.score_paragraphs(root, &mut scores, &mut paragraphs, 0);

        let mut ranked: Vec<(NodeId, f64)> = scores
            .iter()
            .map(|(id, score)| {
                let node = tree.get(*id);
                let density = node.map(|n| self.link_density(n)).unwrap_or(1.0);
                (*id, score * (1.0 - density) + class_weight(node))
            })
            .collect();
        ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(TOP_CANDIDATES);
        let best = ranked.first().copied();

        let Some((best_id, best_score)) = best else {
            return MainContent {
                text: String::new(),
                html: String::new(),
                first_block: None,
            };
        };
        let Some(best_node) = tree.get(best_id) else {
            return MainContent {
                text: String::new(),
                html: String::new(),
                first_block: None,
            };
        };

        // When several of the next best score nearly as well and share an ancestor with the
        // best, that ancestor is the article and they are its parts (Readability's rule): an
        // article split into blocks is not outscored by one long teaser of itself.
        let close: Vec<NodeRef<'_, Node>> = ranked[1..]
            .iter()
            .filter(|(_, score)| *score >= 0.75 * best_score)
            .filter_map(|(id, _)| tree.get(*id))
            .collect();
        // Climbs stay within `root`: a reading of one article does not spill into the next.
        let above_root: Vec<NodeId> = root.ancestors().map(|a| a.id()).collect();
        let mut best_node = best_node;
        if close.len() >= MIN_CLOSE_CANDIDATES {
            if let Some(shared) = best_node
                .ancestors()
                .take_while(|a| {
                    !matches!(element_name(*a), Some("body" | "html") | None)
                        && !above_root.contains(&a.id())
                })
                .find(|a| {
                    close
                        .iter()
                        .filter(|c| c.ancestors().any(|x| x.id() == a.id()))
                        .count()
                        >= MIN_CLOSE_CANDIDATES
                })
            {
                best_node = shared;
            }
        }

        // A wrapper that holds nothing but the best container (and boilerplate) is the
        // article too: its siblings are where the rest of a split article sits (NYT's story
        // columns, each with an empty aside).
        while let Some(parent) = best_node.parent().filter(|p| {
            !matches!(element_name(*p), Some("body" | "html") | None)
                && !above_root.contains(&p.id())
                && p.children()
                    .filter(|c| matches!(c.value(), Node::Element(_)) && !self.is_skipped(*c))
                    .count()
                    == 1
        }) {
            best_node = parent;
        }
        let best_id = best_node.id();
        let best_len = self.text_len(best_node).text.len();

        // Articles split over several sibling containers keep the siblings that score alike,
        // or that hold a like amount of text with few links.
        let threshold = (best_score * 0.2).max(10.0);
        // Parts of one article are often marked alike: a sibling with the best container's
        // own class gets a head start, as in Readability.
        let best_class = class_of(best_node);
        let mut containers = Vec::new();
        // The root's siblings (the other articles of the page) are no part of its reading.
        match best_node.parent().filter(|_| best_node.id() != root.id()) {
            Some(parent) => {
                for sibling in parent.children() {
                    let keep = sibling.id() == best_id
                        || (matches!(sibling.value(), Node::Element(_))
                            && !self.is_skipped(sibling)
                            && {
                                let density = self.link_density(sibling);
                                let bonus =
                                    if best_class.is_some() && class_of(sibling) == best_class {
                                        best_score * 0.2
                                    } else {
                                        0.0
                                    };
                                scores.get(&sibling.id()).copied().unwrap_or(0.0) * (1.0 - density)
                                    + bonus
                                    >= threshold
                                    || (density < 0.25
                                        && self.text_len(sibling).text.len() * 4 >= best_len
                                        && best_len > 0)
                                    || self.is_loose_paragraph(sibling, density)
                            });
                    if keep {
                        containers.push(sibling);
                    }
                }
            }
            None => containers.push(best_node),
        }
        if best_node.id() != root.id() {
            if let Some(parent) = best_node.parent() {
                containers.extend(self.sibling_modules(parent, &paragraphs, &above_root));
            }
            if let Some(lead) = self.lead_before(best_node, &above_root) {
                if !containers
                    .iter()
                    .any(|c| c.id() == lead.id() || lead.ancestors().any(|a| a.id() == c.id()))
                {
                    containers.push(lead);
                }
            }
            containers.sort_by_key(|c| c.id());
        }
        self.render(containers, base)
    }

    /// A lead (standfirst) the page sets above the article's container, outside it: an
    /// element named for it among (or inside) the nearest earlier siblings of the container
    /// or of its nearest ancestors.
    fn lead_before<'a>(
        &self,
        container: NodeRef<'a, Node>,
        above_root: &[NodeId],
    ) -> Option<NodeRef<'a, Node>> {
        let mut node = container;
        for _ in 0..MAX_LEAD_CLIMB {
            // The lead may sit inside a sibling: a header holding the headline and the lead.
            let lead = node
                .prev_siblings()
                .filter(|s| s.value().is_element() && !self.is_skipped(*s))
                .take(3)
                .flat_map(|s| s.descendants().take(MAX_LEAD_SEARCH))
                .find(|s| {
                    is_named_lead(*s) && !self.is_skipped(*s) && {
                        let len = self.text_len(*s).text.len();
                        (MIN_LEAD_CHARS..=MAX_LEAD_CHARS).contains(&len)
                            && self.link_density(*s) < MAX_MODULE_LINK_DENSITY
                    }
                });
            if lead.is_some() {
                return lead;
            }
            node = node.parent()?;
            if matches!(element_name(node), Some("body" | "html") | None)
                || above_root.contains(&node.id())
                || element_name(node) == Some("article")
            {
                return None;
            }
        }
        None
    }

    /// Page builders (WordPress's rows, TYPO3's content elements) cut one article into
    /// modules, each a container of the same kind and class holding a few paragraphs: the
    /// nearest ancestor of the article's container (`from`) that has such siblings holding
    /// prose with few links, those siblings.
    fn sibling_modules<'a>(
        &self,
        from: NodeRef<'a, Node>,
        paragraphs: &HashMap<NodeId, f64>,
        above_root: &[NodeId],
    ) -> Vec<NodeRef<'a, Node>> {
        let mut child = from;
        for _ in 0..MAX_MODULE_CLIMB {
            let Some(parent) = child.parent() else {
                break;
            };
            // Beside an <article> are other articles (the next one loaded as the reader
            // scrolls), not more of this one.
            if element_name(child) == Some("article")
                || matches!(element_name(parent), Some("body" | "html") | None)
                || above_root.contains(&parent.id())
                || self.main_ancestors.contains(&parent.id())
            {
                break;
            }
            let Some(kind) = module_kind(child) else {
                child = parent;
                continue;
            };
            let modules: Vec<_> = parent
                .children()
                .filter(|s| {
                    s.id() != child.id()
                        && module_kind(*s) == Some(kind)
                        && !self.is_skipped(*s)
                        && self.link_density(*s) < MAX_MODULE_LINK_DENSITY
                        && s.descendants()
                            .filter_map(|d| paragraphs.get(&d.id()))
                            .sum::<f64>()
                            >= MIN_MODULE_PROSE
                })
                .collect();
            if !modules.is_empty() {
                return modules;
            }
            child = parent;
        }
        Vec::new()
    }

    /// A paragraph beside the article's container, or a box holding just one, long and with
    /// few links (Readability's rule): a lead or a closing paragraph the site set apart.
    fn is_loose_paragraph(&self, node: NodeRef<'_, Node>, density: f64) -> bool {
        let mut p = node;
        while element_name(p) != Some("p") {
            // A paragraph written as a `<div>` of text (CNN's "zn-body__paragraph").
            if element_name(p) == Some("div") && is_text_block(p) {
                break;
            }
            let mut kids = p
                .children()
                .filter(|c| c.value().is_element() && !self.is_skipped(*c));
            match (kids.next(), kids.next()) {
                (Some(only), None) if matches!(element_name(only), Some("p" | "div")) => p = only,
                _ => return false,
            }
        }
        // (Readability also keeps short linkless sentences; beside an article those are
        // mostly the site's own lines: "Our Standards: The … Trust Principles.")
        self.text_len(p).text.len() > 80 && density < 0.25
    }

    /// The blocks of text inside `containers`, as text and as sanitized HTML.
    fn render(&self, containers: Vec<NodeRef<'_, Node>>, base: Option<&Url>) -> MainContent {
        let mut blocks = Vec::new();
        for container in containers {
            self.collect_blocks(container, &mut blocks, 0);
        }
        let mut kept = Vec::new();
        for block in blocks {
            let (content, name, link_density) = match block {
                Block::Element(node) => (
                    self.block_text(node),
                    element_name(node).unwrap_or("p"),
                    self.link_density(node),
                ),
                Block::Run(first, last) => {
                    let (content, linked) = self.run_text(first, last);
                    let total = content.chars().count().max(1);
                    (content, "p", linked as f64 / total as f64)
                }
            };
            if content.is_empty() || is_boilerplate_line(&content) {
                continue;
            }
            if !name.starts_with('h') && link_density > 0.5 {
                continue;
            }
            kept.push((block, name, content));
        }
        // What follows an article's last paragraph is often the site talking: "If you
        // enjoyed this post", "Download our app", "Written permission is required".
        // And a closing heading or label ("Weitere Artikel", "Mehr Themen:") heads what
        // follows it, which is not the article's: it is left with what it heads.
        while kept.len() > 1
            && kept.last().is_some_and(|(_, name, content)| {
                is_trailing_call(content) || is_dangling_label(name, content)
            })
        {
            kept.pop();
        }
        // Before its first paragraph, a blog often says what it is paid for ("*Werbung.
        // Dieser Beitrag enthält Werbung für …", "Anzeige, enthält Affiliate Links").
        while kept.len() > 1
            && kept
                .first()
                .is_some_and(|(_, _, content)| is_disclosure(content))
        {
            kept.remove(0);
        }
        let mut text = Vec::new();
        let mut html = String::new();
        let first_block = kept.first().map(|(block, _, _)| block.first().id());
        for (block, name, content) in kept {
            let inner = match block {
                Block::Element(node) => inner_html(node),
                Block::Run(first, last) => run_html(first, last),
            };
            html.push_str(&match name {
                "ul" | "ol" | "table" | "dl" | "pre" | "blockquote" => {
                    format!("<{name}>{inner}</{name}>")
                }
                "h2" | "h3" | "h4" | "h5" | "h6" => {
                    format!("<{name}>{}</{name}>", escape_text(&content))
                }
                _ => format!("<p>{inner}</p>"),
            });
            html.push('\n');
            text.push(content);
        }
        MainContent {
            text: text.join("\n\n"),
            html: sanitize_html(&html, base),
            first_block,
        }
    }

    fn is_skipped(&self, node: NodeRef<'_, Node>) -> bool {
        // Only elements are ever skipped: text and comments need no entry in the map.
        if !node.value().is_element() {
            return false;
        }
        if let Some(known) = self.skipped.borrow().get(&node.id()) {
            return *known;
        }
        let skipped = self.decide_skipped(node);
        self.skipped.borrow_mut().insert(node.id(), skipped);
        skipped
    }

    fn decide_skipped(&self, node: NodeRef<'_, Node>) -> bool {
        let Node::Element(e) = node.value() else {
            return false;
        };
        if SKIP_TAGS.contains(&e.name()) {
            // A page that never closes its <header> (or opens a <footer> too early) holds
            // its article there: one that holds the page's <main>, or long prose, is no
            // page header.
            let unclosed = matches!(e.name(), "header" | "footer")
                && (self.holds_main(node) || self.holds_long_prose(node));
            if !unclosed {
                return true;
            }
        }
        // A picture's caption, unless captions are where the page writes (a gallery).
        if e.name() == "figcaption" && !self.captions_are_text(node) {
            return true;
        }
        // Pictures with their captions, however the page marks them up; a caption is one
        // sentence or so (with a credit, a name), where a short part of an article beside
        // its picture is more.
        if matches!(e.name(), "div" | "span" | "figure")
            && holds_a_picture(node)
            && self.text_len(node).text.len() <= MAX_PICTURE_BOX_CHARS
            && node
                .descendants()
                .filter(|d| {
                    element_name(*d) == Some("p")
                        && self.text_len(*d).text.len() >= MIN_SENTENCE_CHARS
                })
                .nth(1)
                .is_none()
            && !self.captions_are_text(node)
        {
            return true;
        }
        self.decide_skipped_by_attributes(node, e)
    }

    fn captions_are_text(&self, node: NodeRef<'_, Node>) -> bool {
        *self.captions_are_text.get_or_init(|| {
            // Raw lengths, in one walk: judging what is skipped here would ask this again.
            let (mut captions, mut paragraphs) = (0, 0);
            for n in node.tree().nodes() {
                let total = match element_name(n) {
                    Some("figcaption") => &mut captions,
                    Some("p") => &mut paragraphs,
                    _ => continue,
                };
                *total += n
                    .descendants()
                    .filter_map(|d| d.value().as_text())
                    .map(|t| Span::of(t).chars)
                    .sum::<usize>();
            }
            2 * captions >= paragraphs
        })
    }

    /// Whether a `<header>` or `<footer>` holds more prose than a page's header or footer.
    fn holds_long_prose(&self, node: NodeRef<'_, Node>) -> bool {
        // Paragraphs first, a cheap walk: a page header holds few, if any.
        node.descendants()
            .filter(|d| element_name(*d) == Some("p"))
            .nth(UNCLOSED_SECTION_PARAGRAPHS)
            .is_some()
            && {
                let len = self.text_len(node);
                len.text.len() >= UNCLOSED_SECTION_CHARS
                    && (len.linked as f64) < 0.5 * len.text.len() as f64
            }
    }

    fn decide_skipped_by_attributes(
        &self,
        node: NodeRef<'_, Node>,
        e: &scraper::node::Element,
    ) -> bool {
        let attrs = Attrs::of(e);
        if attrs.hidden
            || attrs.aria_hidden == Some("true")
            || attrs.style.is_some_and(is_invisible)
        {
            return true;
        }
        // A newsletter or search box is a form; so is a whole ASP.NET page.
        if e.name() == "form" {
            return self.text_len(node).text.len() < MIN_TEXT_CHARS;
        }
        // A banner that holds the page's <main> is a header left open, not a banner.
        if matches!(
            attrs.role,
            Some("navigation" | "complementary" | "banner" | "contentinfo")
        ) {
            return !self.holds_main(node);
        }
        if attrs.itemprop == Some("articleBody")
            || matches!(e.name(), "article" | "main" | "body" | "html")
        {
            return false;
        }
        match self.trust {
            Trust::ClassNames => {}
            // Readers' comments and pop-ups are not the article, whatever else the class
            // names got wrong: a short post above a long thread must not become the thread.
            Trust::SureMarks => return names_sure_boilerplate(&attrs),
            Trust::Nothing => return false,
        }
        let signals = class_signals(&attrs);
        // A wrapper of the article and the sidebar beside it ("content-sidebar-wrap") is
        // no sidebar; a "social" box around a post the article quotes is the article's.
        signals.negative
            && !signals.positive
            && !self.holds_main(node)
            && !holds_embedded_post(node)
    }

    /// Whether the page's `<main>` is inside an element.
    fn holds_main(&self, node: NodeRef<'_, Node>) -> bool {
        self.main_ancestors.contains(&node.id())
    }

    /// Credits each paragraph's score to its parent, and half to its grandparent.
    /// Credits each paragraph's score to its parent and grandparent in `scores`, and keeps
    /// it in `paragraphs` under the paragraph (or the container whose own text it is).
    fn score_paragraphs(
        &self,
        node: NodeRef<'_, Node>,
        scores: &mut HashMap<NodeId, f64>,
        paragraphs: &mut HashMap<NodeId, f64>,
        depth: usize,
    ) {
        if depth > MAX_WALK_DEPTH {
            return;
        }
        for child in node.children() {
            if self.is_skipped(child) {
                continue;
            }
            let Some(name) = element_name(child) else {
                continue;
            };
            // Sites that write paragraphs as <div>s of text (CNN's "zn-body__paragraph").
            let is_paragraph = matches!(name, "p" | "pre" | "blockquote" | "li" | "td")
                || (matches!(name, "div" | "section") && is_text_leaf(child));
            if is_paragraph {
                // Lengths and commas are known without writing the text out.
                let span = self.text_len(child).text;
                let len = span.len();
                if len < 25 {
                    continue;
                }
                let commas = span.commas as f64;
                let score = 1.0 + commas + (len as f64 / 100.0).min(3.0);
                paragraphs.insert(child.id(), score);
                if let Some(parent) = child.parent() {
                    *scores.entry(parent.id()).or_default() += score;
                    if let Some(grand) = parent.parent() {
                        *scores.entry(grand.id()).or_default() += score / 2.0;
                    }
                }
                if name == "blockquote" {
                    self.score_paragraphs(child, scores, paragraphs, depth + 1);
                }
            } else {
                // A container that also holds text of its own between its blocks, as blogs
                // and small sites write a whole article into one <div> with <br>s: that text
                // is a paragraph whose parent is the container itself.
                if matches!(name, "div" | "section") && has_direct_text(child) {
                    let text = direct_text(child);
                    let len = text.chars().count();
                    if len >= 25 {
                        let commas = text.chars().filter(|c| is_comma(*c)).count() as f64;
                        let score = 1.0 + commas + (len as f64 / 100.0).min(3.0);
                        *scores.entry(child.id()).or_default() += score;
                        paragraphs.insert(child.id(), score);
                        if let Some(parent) = child.parent() {
                            *scores.entry(parent.id()).or_default() += score / 2.0;
                        }
                    }
                }
                self.score_paragraphs(child, scores, paragraphs, depth + 1);
            }
        }
    }

    /// Content blocks inside a container, in document order, skipping boilerplate subtrees.
    fn collect_blocks<'a>(&self, node: NodeRef<'a, Node>, out: &mut Vec<Block<'a>>, depth: usize) {
        if depth > MAX_WALK_DEPTH {
            return;
        }
        if self.is_skipped(node) {
            return;
        }
        match element_name(node) {
            // Paragraphs parted by blank lines (`<br><br>`) inside one `<p>`, as old blogs
            // and some news systems write them, are paragraphs of their own.
            Some("p") if has_paragraph_breaks(node) => self.collect_runs(node, out, depth),
            // A table that lays out the page (the article in one of its cells) is read for
            // the blocks in its cells; a table of data is one block.
            Some("table") if is_layout_table(node) => self.collect_cells(node, out, depth),
            Some(name) if BLOCK_CONTENT_TAGS.contains(&name) => out.push(Block::Element(node)),
            Some("div" | "section") if has_direct_text(node) => {
                if has_block_children(node) || has_paragraph_breaks(node) {
                    self.collect_runs(node, out, depth);
                } else {
                    out.push(Block::Element(node));
                }
            }
            Some(_) => {
                for child in node.children() {
                    self.collect_blocks(child, out, depth + 1);
                }
            }
            None => {}
        }
    }

    /// The blocks of a layout table's cells: a cell of text is a block (or its runs, as a
    /// `<div>`'s), any other cell is read as any element.
    fn collect_cells<'a>(&self, node: NodeRef<'a, Node>, out: &mut Vec<Block<'a>>, depth: usize) {
        if depth > MAX_WALK_DEPTH {
            return;
        }
        for child in node.children() {
            match element_name(child) {
                Some("tbody" | "thead" | "tfoot" | "tr") if !self.is_skipped(child) => {
                    self.collect_cells(child, out, depth + 1)
                }
                Some("td" | "th") if !self.is_skipped(child) && has_direct_text(child) => {
                    if has_block_children(child) || has_paragraph_breaks(child) {
                        self.collect_runs(child, out, depth + 1);
                    } else {
                        out.push(Block::Element(child));
                    }
                }
                _ => self.collect_blocks(child, out, depth + 1),
            }
        }
    }

    /// The blocks of a container that holds text of its own between its paragraphs: each
    /// stretch of text and inline elements one block, each other child read as any element
    /// (a teaser box or a list of links there is judged on its own, not kept with the text).
    fn collect_runs<'a>(&self, node: NodeRef<'a, Node>, out: &mut Vec<Block<'a>>, depth: usize) {
        let mut run: Option<(NodeRef<'a, Node>, NodeRef<'a, Node>)> = None;
        let mut after_br = false;
        for child in node.children() {
            let inline = match child.value() {
                Node::Text(_) => true,
                Node::Element(e) => e.name() == "br" || INLINE_TAGS.contains(&e.name()),
                _ => continue,
            };
            if inline {
                let is_br = element_name(child) == Some("br");
                // A blank line (a second `<br>`) ends the paragraph, and so does a line
                // break between two long passages, the first ending a sentence.
                if is_br && (after_br || is_paragraph_break(child)) {
                    if let Some((first, last)) = run.take() {
                        out.push(Block::Run(first, last));
                    }
                    after_br = false;
                    continue;
                }
                if !is_blank_text(child) {
                    after_br = is_br;
                }
                run = Some((run.map_or(child, |(first, _)| first), child));
                continue;
            }
            after_br = false;
            if let Some((first, last)) = run.take() {
                out.push(Block::Run(first, last));
            }
            // A short line kept in a `<div>` of its own ("We hope you enjoy it!") is as
            // much the text as the runs around it.
            if element_name(child) == Some("div")
                && !has_block_children(child)
                && !self.is_skipped(child)
            {
                out.push(Block::Element(child));
            } else {
                self.collect_blocks(child, out, depth + 1);
            }
        }
        if let Some((first, last)) = run {
            out.push(Block::Run(first, last));
        }
    }

    /// The visible text of a run of siblings, whitespace collapsed, and how many of its
    /// characters are in links.
    fn run_text(&self, first: NodeRef<'_, Node>, last: NodeRef<'_, Node>) -> (String, usize) {
        let mut s = String::new();
        self.push_nodes(run_nodes(first, last), &mut s, 0);
        let linked = run_nodes(first, last)
            .filter(|n| n.value().is_element() && !self.is_skipped(*n))
            .map(|n| self.text_len(n).linked)
            .sum();
        (collapse_whitespace(&s), linked)
    }

    /// Visible text under a node, whitespace collapsed, boilerplate subtrees left out.
    fn block_text(&self, node: NodeRef<'_, Node>) -> String {
        let mut s = String::new();
        self.push_text(node, &mut s, 0);
        collapse_whitespace(&s)
    }

    fn push_text(&self, node: NodeRef<'_, Node>, out: &mut String, depth: usize) {
        if depth > MAX_WALK_DEPTH {
            return;
        }
        self.push_nodes(node.children(), out, depth);
    }

    /// `push_text` of a row of sibling nodes.
    fn push_nodes<'a>(
        &self,
        nodes: impl Iterator<Item = NodeRef<'a, Node>>,
        out: &mut String,
        depth: usize,
    ) {
        for child in nodes {
            match child.value() {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => {
                    if self.is_skipped(child) {
                        continue;
                    }
                    let block = matches!(e.name(), "br" | "li" | "p" | "div" | "tr" | "td" | "th");
                    if block {
                        out.push(' ');
                    }
                    self.push_text(child, out, depth + 1);
                    if block {
                        out.push(' ');
                    }
                }
                _ => {}
            }
        }
    }

    fn link_density(&self, node: NodeRef<'_, Node>) -> f64 {
        let len = self.text_len(node);
        let total = len.text.len();
        if total == 0 {
            return 0.0;
        }
        (len.linked as f64 / total as f64).min(1.0)
    }

    /// The length of `block_text(node)` and of the links under it, from the lengths of its
    /// children: a walk of the subtree that stops at nodes already measured, kept on the heap
    /// so that no nesting can exhaust the stack.
    fn text_len(&self, node: NodeRef<'_, Node>) -> TextLen {
        if let Some(known) = self.lengths.borrow().get(&node.id()) {
            return *known;
        }
        let mut stack = vec![(node, TextLen::default(), node.first_child())];
        while let Some(top) = stack.last_mut() {
            let Some(child) = top.2 else {
                let Some((done, mut len, _)) = stack.pop() else {
                    break;
                };
                if element_name(done) == Some("a") {
                    len.linked += len.text.len();
                }
                self.lengths.borrow_mut().insert(done.id(), len);
                match stack.last_mut() {
                    Some(parent) => self.add_child_len(&mut parent.1, done, len),
                    None => return len,
                }
                continue;
            };
            top.2 = child.next_sibling();
            match child.value() {
                Node::Text(t) => top.1.text = top.1.text.then(Span::of(t)),
                // A skipped element adds nothing (see `add_child_len`): its subtree (a
                // script, a menu, a comment thread) is not walked.
                Node::Element(_) if self.is_skipped(child) => {}
                Node::Element(_) => {
                    let known = self.lengths.borrow().get(&child.id()).copied();
                    match known {
                        Some(len) => self.add_child_len(&mut top.1, child, len),
                        None => stack.push((child, TextLen::default(), child.first_child())),
                    }
                }
                _ => {}
            }
        }
        TextLen::default()
    }

    /// Adds a child element's lengths to its parent's, as `push_text` adds its text.
    fn add_child_len(&self, parent: &mut TextLen, child: NodeRef<'_, Node>, len: TextLen) {
        // The links of a skipped box (a list of related stories) are no more part of the
        // text than its words are.
        if self.is_skipped(child) {
            return;
        }
        parent.linked += len.linked;
        if matches!(
            element_name(child),
            Some("br" | "li" | "p" | "div" | "tr" | "td" | "th")
        ) {
            parent.text = parent.text.then(SPACE).then(len.text).then(SPACE);
        } else {
            parent.text = parent.text.then(len.text);
        }
    }
}

/// Whether a table lays out a page rather than holding data: tables inside it, a
/// headline or a few paragraphs in its cells.
fn is_layout_table(table: NodeRef<'_, Node>) -> bool {
    let mut paragraphs = 0;
    for d in table.descendants().skip(1).take(LAYOUT_TABLE_SEARCH) {
        match element_name(d) {
            Some("table" | "h1" | "h2") => return true,
            Some("p") => {
                paragraphs += 1;
                if paragraphs >= 3 {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// How many nodes of a table are looked at to tell a layout from data.
const LAYOUT_TABLE_SEARCH: usize = 2_000;

/// Whether a node is text of nothing but white space.
fn is_blank_text(node: NodeRef<'_, Node>) -> bool {
    matches!(node.value(), Node::Text(t) if t.trim().is_empty())
}

/// Whether an element parts its own text into paragraphs with `<br>`s: a blank line, or
/// a line break between two long passages (`is_paragraph_break`).
fn has_paragraph_breaks(node: NodeRef<'_, Node>) -> bool {
    has_blank_line(node)
        || node
            .children()
            .any(|c| element_name(c) == Some("br") && is_paragraph_break(c))
}

/// Whether a `<br>` stands between two passages of text long enough to be paragraphs,
/// the first ending a sentence: sites that write each paragraph as one long line.
fn is_paragraph_break(br: NodeRef<'_, Node>) -> bool {
    const ENDS: &[char] = &[
        '.', '!', '?', '"', '”', '“', '»', '«', ')', '。', '！', '？',
    ];
    /// The first sibling that way that is not blank, if it is text: its text, trimmed.
    fn text_beside<'a>(mut node: Option<NodeRef<'a, Node>>, forward: bool) -> Option<&'a str> {
        while let Some(n) = node.filter(|n| is_blank_text(*n)) {
            node = if forward {
                n.next_sibling()
            } else {
                n.prev_sibling()
            };
        }
        match node?.value() {
            Node::Text(t) => Some(t.trim()),
            _ => None,
        }
    }
    let before = text_beside(br.prev_sibling(), false);
    let after = text_beside(br.next_sibling(), true);
    match (before, after) {
        (Some(before), Some(after)) => {
            before.chars().count() >= PARAGRAPH_LINE_CHARS
                && after.chars().count() >= PARAGRAPH_LINE_CHARS
                && before.ends_with(ENDS)
        }
        _ => false,
    }
}

/// A line this long, ending a sentence before a `<br>`, is a paragraph of its own.
const PARAGRAPH_LINE_CHARS: usize = 150;

/// Whether an element parts its own text with a blank line: two `<br>`s with nothing but
/// white space between them.
fn has_blank_line(node: NodeRef<'_, Node>) -> bool {
    let mut after_br = false;
    for child in node.children() {
        if is_blank_text(child) {
            continue;
        }
        let is_br = element_name(child) == Some("br");
        if is_br && after_br {
            return true;
        }
        after_br = is_br;
    }
    false
}

/// A `div` that is a paragraph in all but name: text (directly or in inline elements, as
/// blogs write it with `<span>`s and `<br>`s) and no block inside.
fn is_text_leaf(node: NodeRef<'_, Node>) -> bool {
    if has_block_children(node) {
        return false;
    }
    if has_direct_text(node) {
        return true;
    }
    let mut len = 0;
    for d in node.descendants() {
        if let Node::Text(t) = d.value() {
            len += t.trim().len();
            if len >= 80 {
                return true;
            }
        }
    }
    false
}

/// Whether a node holds block-level elements (then it is a container, not a paragraph).
fn has_block_children(node: NodeRef<'_, Node>) -> bool {
    node.children().any(|c| {
        matches!(
            element_name(c),
            Some(
                "p" | "div"
                    | "section"
                    | "article"
                    | "ul"
                    | "ol"
                    | "table"
                    | "h1"
                    | "h2"
                    | "h3"
                    | "h4"
                    | "h5"
                    | "h6"
                    | "blockquote"
                    | "pre"
                    | "figure"
                    | "header"
                    | "footer"
                    | "aside"
                    | "nav"
                    | "form"
                    | "main"
            )
        )
    })
}

/// Whether a picture is among an element's children, or inside a wrapper among them (a
/// link or a `<picture>` around the image; not a quote or a paragraph with a smiley in it).
fn holds_a_picture(node: NodeRef<'_, Node>) -> bool {
    let is_picture = |n: NodeRef<'_, Node>| matches!(element_name(n), Some("img" | "picture"));
    node.children().any(|c| {
        is_picture(c)
            || (c.value().is_element()
                && c.children().any(is_picture)
                && !(matches!(element_name(c), Some("blockquote" | "p")) && has_direct_text(c)))
    })
}

fn is_comma(c: char) -> bool {
    matches!(c, ',' | '，' | '、' | '،')
}

/// An element's class attribute, when it says anything.
fn class_of<'a>(node: NodeRef<'a, Node>) -> Option<&'a str> {
    node.value()
        .as_element()
        .and_then(|e| e.attr("class"))
        .map(str::trim)
        .filter(|c| !c.is_empty())
}

/// The first word of an element's class: what a page builder names the kind of a module
/// ("vc_row", "et_pb_section"), before the words that set it apart.
fn first_class<'a>(node: NodeRef<'a, Node>) -> Option<&'a str> {
    class_of(node).and_then(|c| c.split_ascii_whitespace().next())
}

/// What makes two containers modules of one kind: their tag and class's first word. An
/// element with an id and no class is a part of the page's layout ("sidebar-wrapper"
/// beside "main-wrapper"), never a module.
fn module_kind<'a>(node: NodeRef<'a, Node>) -> Option<(&'a str, Option<&'a str>)> {
    let e = node.value().as_element()?;
    let class = first_class(node);
    (class.is_some() || e.attr("id").is_none()).then_some((e.name(), class))
}

/// Whether a class word names the element as the article's lead.
fn is_named_lead(node: NodeRef<'_, Node>) -> bool {
    class_of(node).is_some_and(|c| {
        c.split(|ch: char| ch.is_ascii_whitespace() || ch == '-' || ch == '_')
            .any(|w| LEAD_WORDS.iter().any(|l| w.eq_ignore_ascii_case(l)))
    })
}

fn element_name(node: NodeRef<'_, Node>) -> Option<&str> {
    match node.value() {
        Node::Element(e) => Some(e.name()),
        _ => None,
    }
}

/// Whether an inline style hides the element (`display: none`, `visibility: hidden`), as
/// the copies of an article that sites keep for search engines are hidden.
fn is_invisible(style: &str) -> bool {
    let mut compact = String::with_capacity(style.len());
    compact.extend(
        style
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_lowercase()),
    );
    compact.split(';').any(|d| {
        matches!(
            d.trim_end_matches("!important"),
            "display:none" | "visibility:hidden"
        )
    })
}

/// What an element's class, id and role say of it. Boilerplate: any part of any name is a
/// negative word, or a name holds a negative stem. Article: a whole name, or its last part, is
/// a positive word (in BEM's `article__byline` the `article` only names the block the byline
/// sits in).
struct ClassSignals {
    negative: bool,
    positive: bool,
}

/// The attributes the reading of a page asks of every element, found in one pass over its
/// attributes (asking for each by name makes an atom of the name every time).
#[derive(Default)]
struct Attrs<'a> {
    class: Option<&'a str>,
    id: Option<&'a str>,
    role: Option<&'a str>,
    itemprop: Option<&'a str>,
    aria_hidden: Option<&'a str>,
    style: Option<&'a str>,
    hidden: bool,
}

impl<'a> Attrs<'a> {
    fn of(e: &'a scraper::node::Element) -> Self {
        let mut out = Attrs::default();
        for (name, value) in e.attrs() {
            // The first of two same-named attributes is the one a browser reads.
            let slot = match name {
                "class" => &mut out.class,
                "id" => &mut out.id,
                "role" => &mut out.role,
                "itemprop" => &mut out.itemprop,
                "aria-hidden" => &mut out.aria_hidden,
                "style" => &mut out.style,
                "hidden" => {
                    out.hidden = true;
                    continue;
                }
                _ => continue,
            };
            slot.get_or_insert(value);
        }
        out
    }
}

/// Parts of class or id names that no article is marked with, besides readers' comments.
const SURE_BOILERPLATE_STEMS: &[&str] = &["disqus", "modal", "popup", "cookie"];

/// Whether an element's class or id names what no article is: readers' comments
/// ("comment-list", "disqus_thread", but not "commentary"), a pop-up dialog or a cookie
/// notice.
fn names_sure_boilerplate(attrs: &Attrs<'_>) -> bool {
    [attrs.class, attrs.id].into_iter().flatten().any(|value| {
        value.split_whitespace().any(|name| {
            let has = |word: &[u8]| {
                name.as_bytes()
                    .windows(word.len())
                    .any(|w| w.eq_ignore_ascii_case(word))
            };
            (has(b"comment") && !has(b"commentar"))
                || SURE_BOILERPLATE_STEMS.iter().any(|w| has(w.as_bytes()))
                || NEGATIVE_NAMES.iter().any(|n| name.eq_ignore_ascii_case(n))
        })
    })
}

fn class_signals(attrs: &Attrs<'_>) -> ClassSignals {
    let mut out = ClassSignals {
        negative: false,
        positive: false,
    };
    let mut lower = String::new();
    for value in [attrs.class, attrs.id, attrs.role] {
        let Some(value) = value.filter(|v| SIGNAL_FINDER.is_match(v)) else {
            continue;
        };
        for name in value.split_whitespace() {
            let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
                lower.clear();
                lower.push_str(name);
                lower.make_ascii_lowercase();
                lower.as_str()
            } else {
                name
            };
            let mut last = None;
            let mut negative_part = false;
            for part in name.split(['-', '_']).filter(|p| !p.is_empty()) {
                negative_part |= NEGATIVE_WORD_SET.contains(part);
                last = Some(part);
            }
            // A box named "paywall" alone holds the gated rest of the article, served to
            // subscribers and crawlers (Barron's, the Los Angeles Times); the paywall's own
            // parts ("paywall-modal", "paywall_content") are its prompt.
            let gated_text = name == GATED_TEXT;
            let negative = !gated_text
                && (negative_part
                    || NEGATIVE_WORD_SET.contains(name)
                    || NEGATIVE_NAMES.contains(&name)
                    || NEGATIVE_STEM_FINDER.is_match(name));
            out.negative |= negative;
            // "entry-content" marks the article by its last word; "widget_text" and
            // "sidebar-content" do not, their first word says what they are.
            out.positive |= POSITIVE_WORD_SET.contains(name)
                || (!negative && last.is_some_and(|l| POSITIVE_WORD_SET.contains(l)));
        }
    }
    out
}

fn class_weight(node: Option<NodeRef<'_, Node>>) -> f64 {
    let Some(node) = node else { return 0.0 };
    let Node::Element(e) = node.value() else {
        return 0.0;
    };
    let mut w = 0.0;
    let attrs = Attrs::of(e);
    if attrs.itemprop == Some("articleBody") {
        w += 30.0;
    }
    if matches!(e.name(), "article" | "main") {
        w += 10.0;
    }
    if class_signals(&attrs).positive {
        w += 10.0;
    }
    w
}

/// Whether an element wraps a social-media post the article embeds (the quoted post
/// itself, as a `<blockquote>` the platform's script would dress up), near its top.
fn holds_embedded_post(node: NodeRef<'_, Node>) -> bool {
    const EMBEDS: &[&str] = &[
        "twitter-tweet",
        "instagram-media",
        "tiktok-embed",
        "bluesky-embed",
        "mastodon-embed",
        "fb-xfbml-parse-ignore",
    ];
    node.descendants().take(8).any(|d| match d.value() {
        Node::Element(e) if e.name() == "blockquote" => e
            .attr("class")
            .is_some_and(|c| c.split_whitespace().any(|c| EMBEDS.contains(&c))),
        _ => false,
    })
}

/// An element of text alone: its text held directly, and no element in it but inline ones.
fn is_text_block(node: NodeRef<'_, Node>) -> bool {
    node.children().all(|c| match c.value() {
        Node::Element(e) => INLINE_TAGS.contains(&e.name()),
        _ => true,
    }) && has_direct_text(node)
}

/// A `div` that holds its text directly (without `<p>`), as some sites write paragraphs.
fn has_direct_text(node: NodeRef<'_, Node>) -> bool {
    inline_text_len(node, 0) >= 40
}

/// Length of the text a node holds outside its block children: text nodes and inline
/// elements (`<span>`, `<a>`, `<b>`…), as blogs write paragraphs between `<br>`s.
fn inline_text_len(node: NodeRef<'_, Node>, depth: usize) -> usize {
    node.children()
        .map(|c| match c.value() {
            Node::Text(t) => t.trim().len(),
            Node::Element(e) if depth < 8 && INLINE_TAGS.contains(&e.name()) => {
                inline_text_len(c, depth + 1)
            }
            _ => 0,
        })
        .sum()
}

/// The text a node holds outside its block children, whitespace collapsed.
fn direct_text(node: NodeRef<'_, Node>) -> String {
    fn push(node: NodeRef<'_, Node>, out: &mut String, depth: usize) {
        for c in node.children() {
            match c.value() {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) if depth < 8 && INLINE_TAGS.contains(&e.name()) => {
                    push(c, out, depth + 1)
                }
                Node::Element(e) if e.name() == "br" => out.push(' '),
                _ => {}
            }
        }
    }
    let mut out = String::new();
    push(node, &mut out, 0);
    collapse_whitespace(&out)
}

const INLINE_TAGS: &[&str] = &[
    "span", "a", "b", "strong", "i", "em", "u", "font", "small", "sup", "sub", "mark", "q", "cite",
    "abbr", "time", "code", "s", "del", "ins",
];

/// `<script>` types that hold markup for a script to show later: no browser renders it.
const TEMPLATE_TYPES: &[&str] = &["text/template", "text/x-template"];

/// Template scripts larger than this, or past the first few, are not read.
const MAX_TEMPLATE_BYTES: usize = 512 * 1024;
const MAX_TEMPLATES: usize = 8;

/// The longest reading of the markup a page holds in its template scripts, as if it were a
/// page of its own.
pub(crate) fn template_content(page: &Page<'_>, base: Option<&Url>) -> Option<MainContent> {
    page.named(&["script"])
        .filter(|e| {
            e.value().attr("type").is_some_and(|t| {
                TEMPLATE_TYPES
                    .iter()
                    .any(|k| t.trim().eq_ignore_ascii_case(k))
            })
        })
        .take(MAX_TEMPLATES)
        .filter(|e| e.text().map(str::len).sum::<usize>() <= MAX_TEMPLATE_BYTES)
        .map(|e| e.text().collect::<String>())
        .filter_map(|markup| crate::parse::parse_page(&markup).ok())
        .map(|held| main_content(&held, base, None, None))
        .max_by_key(|m| m.text.len())
}

/// A block of an article: an element read whole, or a run of text and inline elements
/// (first and last sibling) that a container holds between its paragraphs.
#[derive(Clone, Copy)]
enum Block<'a> {
    Element(NodeRef<'a, Node>),
    Run(NodeRef<'a, Node>, NodeRef<'a, Node>),
}

impl<'a> Block<'a> {
    fn first(self) -> NodeRef<'a, Node> {
        match self {
            Block::Element(node) | Block::Run(node, _) => node,
        }
    }
}

/// `first` and its next siblings up to `last`.
fn run_nodes<'a>(
    first: NodeRef<'a, Node>,
    last: NodeRef<'a, Node>,
) -> impl Iterator<Item = NodeRef<'a, Node>> {
    let end = last.id();
    let mut done = false;
    std::iter::successors(Some(first), |n| n.next_sibling()).take_while(move |n| {
        let take = !done;
        done |= n.id() == end;
        take
    })
}

/// The HTML of a run of siblings, as `inner_html` gives an element's.
fn run_html(first: NodeRef<'_, Node>, last: NodeRef<'_, Node>) -> String {
    run_nodes(first, last)
        .map(|node| match node.value() {
            Node::Text(t) => escape_text(t),
            _ => scraper::ElementRef::wrap(node)
                .map(|e| e.html())
                .unwrap_or_default(),
        })
        .collect()
}

fn inner_html(node: NodeRef<'_, Node>) -> String {
    scraper::ElementRef::wrap(node)
        .map(|e| e.inner_html())
        .unwrap_or_default()
}

/// Short lines that widgets leave inside article bodies.
fn is_boilerplate_line(text: &str) -> bool {
    if text.chars().count() >= 80 {
        return false;
    }
    let lower = text.to_lowercase();
    let bare = lower.trim_matches(|c: char| !c.is_alphanumeric());
    BOILERPLATE_LINES.contains(&bare) || BOILERPLATE_PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// Whole short lines that widgets leave inside article bodies.
const BOILERPLATE_LINES: &[&str] = &[
    "advertisement",
    "caption",
    "close",
    "comment",
    "comments",
    "share",
    "share this",
    "print",
    "email",
    "more",
    "trending",
    "trending news",
    "our staff",
    "don't miss",
    "popular",
    "related",
    "related posts",
    "related articles",
    "sharing is caring",
    "you may also like",
    "tell us what you think",
    "this slideshow requires javascript",
    "loading",
    "see also",
    "further reading",
    "read next",
    "also read",
    "more on this story",
    "permalink",
    "werbung",
    "anzeige",
    "lesen sie auch",
    "lesen sie mehr",
    "zum weiterlesen",
    "weiterlesen",
    "mehr zum thema",
    "auch interessant",
    "das könnte sie auch interessieren",
    "das könnte dich auch interessieren",
    "zurück zur übersicht",
    "zurück zur listenansicht",
    "noch keine bewertungen",
    "lire aussi",
    "à lire aussi",
    "permalien",
    "lee también",
    "leer más",
    "leggi anche",
    "publicidade",
    "publicité",
    "pubblicità",
    "reklama",
    // Labels of a table of contents, a lead image, counters and sharing widgets.
    "inhaltsverzeichnis",
    "table of contents",
    "sommaire",
    "beitragsbild",
    "titelbild",
    "kommentieren",
    "teilen",
    "sharen mit",
    "aufrufe",
    "kommentare insgesamt",
    "schon gelesen",
    "weitere artikel",
    "empfohlene beiträge",
];

/// Beginnings of short lines that invite, promote or navigate rather than report.
const BOILERPLATE_PREFIXES: &[&str] = &[
    "share this",
    "advertisement",
    "sign up",
    "subscribe",
    "read also",
    "read more",
    "related:",
    "related post",
    "follow us",
    "click here",
    "all rights reserved",
    "newsletter",
    "you may also like",
    "popular on ",
    "get the latest",
    "copyright",
    "©",
    "lesen sie auch",
    "mehr zum thema",
    "war der artikel",
    "möchten sie den artikel",
    "den artikel mit anderen teilen",
    "teilen sie diesen",
    "lire aussi",
    "à lire aussi",
    "lee también",
    "leggi anche",
];

/// A short line that discloses advertising or affiliate links, in the words of the laws
/// and customs that ask for it.
fn is_disclosure(text: &str) -> bool {
    const DISCLOSURES: &[&str] = &[
        "enthält werbung",
        "unbezahlte werbung",
        "bezahlte werbung",
        "affiliate link",
        "affiliate-link",
        "contains affiliate",
        "sponsored post",
        "advertorial",
        "in freundlicher zusammenarbeit mit",
    ];
    if text.chars().count() > 200 {
        return false;
    }
    let lower = text.to_lowercase();
    DISCLOSURES.iter().any(|d| lower.contains(d))
}

/// Whether a block is a heading, or a short label that ends in a colon: what it introduces
/// comes after it, and at an article's end that is a list of other articles, a contact box
/// or a form, which the article leaves out.
fn is_dangling_label(name: &str, content: &str) -> bool {
    let heading = matches!(name, "h2" | "h3" | "h4" | "h5" | "h6");
    let label = content.chars().count() <= 60 && content.trim_end().ends_with([':', '：']);
    heading || label
}

/// A short closing line in which the site, not the article, speaks to the reader.
fn is_trailing_call(text: &str) -> bool {
    let lower = without_homoglyphs(&text.to_lowercase());
    // A copyright notice is the site's, however long its warnings run.
    let notice = lower.starts_with('©') || lower.starts_with("copyright");
    let limit = if notice { 600 } else { 250 };
    // A quotation is someone in the story speaking ("…to join our celebration," she said).
    let quotes = text.contains(['"', '“', '”', '„', '«', '»']);
    text.chars().count() <= limit
        && (notice || (!quotes && TRAILING_CALLS.iter().any(|c| lower.contains(c))))
}

/// `text` with the Cyrillic letters that look like Latin ones written as those: some sites
/// set their promotional lines in look-alikes ("Соntасt uѕ аt"), to keep them from being
/// matched.
fn without_homoglyphs(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'а' => 'a',
            'с' => 'c',
            'е' => 'e',
            'һ' => 'h',
            'і' => 'i',
            'ј' => 'j',
            'о' => 'o',
            'р' => 'p',
            'ѕ' => 's',
            'у' => 'y',
            'х' => 'x',
            c => c,
        })
        .collect()
}

/// Phrases of the lines sites append to articles: invitations, app and newsletter
/// pitches, reprint and contact notices, in the languages Parallax reads most.
const TRAILING_CALLS: &[&str] = &[
    "if you enjoyed",
    "if you liked this",
    "keep up with me",
    "follow me on",
    "follow us on",
    "download the",
    "download our",
    "sign up for",
    "subscribe to",
    "letter to the editor",
    "written permission",
    "reprinted with permission",
    "all rights reserved",
    "contact us at",
    "share this article",
    "was this article helpful",
    "war der artikel",
    "hat ihnen der artikel",
    "hat ihnen dieser beitrag",
    "diskutieren sie mit",
    "mehr zum thema",
    "folgen sie uns",
    "abonnieren sie",
    "melden sie sich",
    "jetzt anmelden",
    "zum newsletter",
    "alle rechte vorbehalten",
    "suivez-nous",
    "abonnez-vous",
    "tous droits réservés",
    "síguenos",
    "suscríbete",
    "todos los derechos reservados",
    "already a subscriber",
    "subscribers also receive",
    "join our",
    "is not responsible for the opinions",
    "hazte miembro",
    "hazte socio",
    "únete",
    "nuestro canal",
    "rejoignez-nous",
    "unterstützen sie",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lengths_add_up_as_the_text_itself() {
        let page = "<html><body> <div class=main>\u{a0}Lead <b>bold</b>text <i>word</i> next q<span><b> </b>r</span><p>One, two，three</p>  <nav>menu <a href=/>home</a></nav>\n<ul><li> a <a href=/x>link <i>text</i></a><li></ul>x<br>y<span> </span><span>z </span>\u{3000}end <a href=/y></a><form><p>Search</p></form></div>
            <div><a href=/1>only</a> <a href=/2>links</a></div><p>  </p><td>cell</td></body></html>";
        let doc = crate::parse_page(page).unwrap();
        for trust in [Trust::ClassNames, Trust::SureMarks, Trust::Nothing] {
            let mains = main_ancestors(&doc);
            let pass = Pass::new(trust, &mains);
            // Asked out of order, so that some lengths come from lengths already known.
            let mut nodes: Vec<_> = doc
                .tree
                .nodes()
                .filter(|n| n.value().is_element())
                .collect();
            nodes.reverse();
            let half = nodes.len() / 2;
            nodes.rotate_left(half);
            for node in nodes {
                let text = pass.block_text(node);
                // Links inside a skipped element below the node are not in its text.
                let linked: usize = node
                    .descendants()
                    .filter(|d| element_name(*d) == Some("a"))
                    .filter(|d| {
                        d.id() == node.id()
                            || !std::iter::once(*d)
                                .chain(d.ancestors())
                                .take_while(|a| a.id() != node.id())
                                .any(|a| pass.is_skipped(a))
                    })
                    .map(|d| pass.block_text(d).chars().count())
                    .sum();
                let len = pass.text_len(node);
                assert_eq!(len.text.len(), text.chars().count(), "{text:?}");
                assert_eq!(
                    len.text.commas,
                    text.matches([',', '，']).count(),
                    "{text:?}"
                );
                assert_eq!(len.linked, linked, "{text:?}");
            }
        }
    }

    #[test]
    fn a_table_that_lays_out_the_page_is_read_cell_by_cell_and_a_data_table_whole() {
        let body: String = (0..4)
            .map(|i| format!("<p>Paragraph {i} reports what the human rights group found about the protests and the deaths in the cities.</p>"))
            .collect();
        let teasers: String = (0..6)
            .map(|i| format!("<tr><td><a href=\"/news/{i}\">Another story number {i} of the day</a></td></tr>"))
            .collect();
        let page = format!(
            r#"<html><body><table><tr><td class="single_content"><h1>Protesters killed</h1>
            <div class="article_date">November 20, 2019</div>{body}
            <table class="data"><tr><th>City</th><th>Deaths</th></tr><tr><td>Tehran</td><td>12</td></tr></table>
            </td><td class="side"><div class="sidebar">Top stories</div><table>{teasers}</table></td></tr></table></body></html>"#
        );
        let main = main_content(&Html::parse_document(&page), None, None, None);
        let paragraphs: Vec<&str> = main.text.split("\n\n").collect();
        assert!(
            paragraphs
                .iter()
                .any(|p| p.starts_with("Paragraph 0") && p.ends_with("cities.")),
            "{}",
            main.text
        );
        assert!(!main.text.contains("Another story"), "{}", main.text);
        assert!(main.html.contains("<table"), "{}", main.html);
        assert!(main.text.contains("Tehran"), "{}", main.text);
    }

    #[test]
    fn long_lines_parted_by_a_line_break_are_paragraphs_and_short_ones_are_not() {
        let long = |i: usize| {
            format!("Line {i} is a whole paragraph written on one line, as some sites do, telling what the battery stores, how much it costs and for how long it holds its charge in the winter months.")
        };
        let page = format!(
            "<html><body><div class=\"entry\">{}<br />{}<br />Short line one<br>short line two.</div></body></html>",
            long(1),
            long(2)
        );
        let main = main_content(&Html::parse_document(&page), None, None, None);
        let paragraphs: Vec<&str> = main.text.split("\n\n").collect();
        assert_eq!(paragraphs.len(), 2, "{}", main.text);
        assert!(
            paragraphs[1].ends_with("Short line one short line two."),
            "{}",
            main.text
        );
    }

    #[test]
    fn paragraphs_parted_by_blank_lines_are_paragraphs() {
        let para = |i: usize| {
            format!("Paragraph {i} says what the court decided on Tuesday and what the lawyers of both sides said about it.")
        };
        let in_p = format!(
            "<html><body><article><p>{}<br><br>\n{}<br> <br>{}</p></article></body></html>",
            para(1),
            para(2),
            para(3)
        );
        let in_div = format!(
            "<html><body><div class=\"entry\">{}<br /><br />{}<br /><br />{}<br>and a line of it.</div></body></html>",
            para(1),
            para(2),
            para(3)
        );
        // A single <br> stays inside its paragraph.
        for (page, end) in [(in_p, "about it."), (in_div, "about it. and a line of it.")] {
            let main = main_content(&Html::parse_document(&page), None, None, None);
            let paragraphs: Vec<&str> = main.text.split("\n\n").collect();
            assert_eq!(paragraphs.len(), 3, "{}", main.text);
            assert!(paragraphs[0].starts_with("Paragraph 1"), "{}", main.text);
            assert!(paragraphs[2].starts_with("Paragraph 3"), "{}", main.text);
            assert!(paragraphs[2].ends_with(end), "{}", main.text);
        }
    }

    #[test]
    fn a_post_the_article_embeds_is_read_and_the_share_buttons_are_not() {
        let body: String = (0..6)
            .map(|i| format!("<p>Paragraph {i} tells how the state spent half a million dollars on an advertising campaign that people laughed at.</p>"))
            .collect();
        let page = format!(
            r#"<html><body><article>{body}
            <div class="social-media-embed"><blockquote class="twitter-tweet"><p>Yes this is real and yes the state spent nearly half a million dollars on it</p>— A Reader (@reader) <a href="https://twitter.com/reader/status/1">November 18, 2019</a></blockquote></div>
            <p>The governor defended the campaign and said it was working, since everyone was talking about it now.</p>
            <div class="social-share"><a href="/share/fb">Share on Facebook</a> <a href="/share/x">Share on X</a></div>
            </article></body></html>"#
        );
        let main = main_content(&Html::parse_document(&page), None, None, None);
        assert!(main.text.contains("Yes this is real"), "{}", main.text);
        assert!(!main.text.contains("Share on Facebook"), "{}", main.text);
    }

    #[test]
    fn paragraphs_written_as_divs_beside_the_article_body_are_read() {
        // CNN: the first paragraphs are <div>s of text beside ads and a promo, the rest
        // in a "read all" box.
        let rest: String = (0..20)
            .map(|i| format!("<div class=\"zn-body__paragraph\">Paragraph {i} of the rest tells what the doctors said about the visit and what the press office would not say about it.</div>"))
            .collect();
        let page = format!(
            r#"<html><body><div class="body" itemprop="articleBody"><div class="l-container">
            <div class="leafmedia"><p class="zn-body__paragraph">The President made an unscheduled trip to the hospital on Saturday for what aides called a quick exam.</p></div>
            <div class="zn-body__paragraph">You should not just believe them.</div>
            <div class="embedded"><a href="/promo"><p>THE POINT, NOW ON VIDEO</p></a></div>
            <div class="zn-body__paragraph">Which is not to say that whatever happened on Saturday was not minor or even routine, as the White House says it was.</div>
            <ul class="ad-container"></ul>
            <div class="zn-body__read-all">{rest}</div>
            </div></div></body></html>"#
        );
        let main = main_content(&Html::parse_document(&page), None, None, None);
        assert!(main.text.contains("Which is not to say"), "{}", main.text);
        assert!(
            main.text.contains("Paragraph 7 of the rest"),
            "{}",
            main.text
        );
    }

    #[test]
    fn the_gated_rest_of_an_article_is_read_and_the_paywalls_prompt_is_not() {
        let page = r#"<html><body><article class="article-body">
            <p>Shares of the retailer fell in early trading after the company cut its forecast for the full year on Tuesday.</p>
            <p>The company now expects sales at stores open for a year to grow by three and a half percent, down from four.</p>
            <p>Its earnings for the quarter were in line with what analysts had predicted, at two dollars and fifty cents a share.</p>
            <p>The shares had risen by about forty percent since January, far ahead of the wider market over the same time.</p>
            <p>A rival chain reports its own results on Wednesday, and its shares were also down by almost two percent.</p>
            <div class="paywall">
            <p>The chief executive said sales were below expectations because some investments would take longer to pay off.</p>
            <p>Analysts said the market was misreading the results and that the shares could recover within weeks.</p>
            </div>
            <div class="paywall-modal"><h2>Want to keep reading?</h2><p>Subscribe now and get the first month of unlimited access to all our stories for one euro.</p></div>
            </article></body></html>"#;
        let main = main_content(&Html::parse_document(page), None, None, None);
        assert!(
            main.text.contains("could recover within weeks"),
            "{}",
            main.text
        );
        assert!(!main.text.contains("Subscribe now"), "{}", main.text);
    }

    #[test]
    fn a_closing_quotation_is_the_story_not_a_call() {
        let page = r#"<html><body><article>
            <p>The council approved the new budget after a long debate on Tuesday, with eleven votes in favour.</p>
            <p>The mayor said work on the harbour wall would start in spring and last for about a year and a half.</p>
            <p>"We want every family in the town to join our celebration when the wall is finished," she said.</p>
            </article></body></html>"#;
        let main = main_content(&Html::parse_document(page), None, None, None);
        assert!(main.text.ends_with("she said."), "{}", main.text);
    }

    #[test]
    fn closing_calls_of_the_site_are_trimmed_from_the_end_only() {
        let page = r#"<html><body><article>
            <p>*Werbung. Dieser Beitrag enthält Werbung für Beispiel.</p>
            <p>The council approved the new budget after a long debate on Tuesday, with eleven votes in favour.</p>
            <p>If you enjoyed this, sign up for our newsletter and we will tell you more about it every week.</p>
            <p>The mayor said work on the harbour wall would start in spring and last for about a year and a half.</p>
            <p>Was this article helpful? Follow us on social media for more.</p>
            <p>Written permission must be obtained before reprint in online or print media.</p>
            <p>If you’re seeing this message but you’re already a subscriber, you can log in for immediate access.</p>
            <p>¿Ya sabías que tenemos canal de Telegram? Únete desde tu celular.</p>
            <p>Аdvеrtіѕе wіth uѕ ~ Соntасt uѕ аt ads@example.org оr саll uѕ.</p>
            <p>© 2022, Example News. This article is the copyrighted property of Example News. Written permission must be obtained before reprint in online or print media. REPRINTING CONTENT WITHOUT PERMISSION AND/OR PAYMENT IS THEFT AND PUNISHABLE BY LAW, AND WE WILL PURSUE IT.</p>
            <h3>More from the council</h3>
            <p>Weitere Informationen:</p>
            </article></body></html>"#;
        let main = main_content(&Html::parse_document(page), None, None, None);
        assert!(
            main.text.ends_with("about a year and a half."),
            "{}",
            main.text
        );
        assert!(main.text.contains("If you enjoyed this"), "{}", main.text);
        assert!(
            main.text.starts_with("The council approved"),
            "{}",
            main.text
        );
    }

    #[test]
    fn a_short_article_is_found_where_its_lead_is_written() {
        let disclosure: String = (0..2)
            .map(|_| "<p>Many of the offers on this site come from partners, from whom we receive compensation, which may affect how and where products appear, including the order in which they appear, and we say so, again and again.</p>")
            .collect();
        let page = format!(
            r#"<html><body><div class="top"><div class="wrap-x">{disclosure}</div><p>Offers</p></div>
            <div class="main"><h2>Alaska</h2><div class="entry"><p>Alaska Airlines has a new date for joining the alliance, the carrier said on Friday in a statement to its members and to the travel press in Seattle.</p>
            <p>Flights booked from now on will earn points with all members of the alliance from the last day of March onwards according to the statement of the airline.</p>
            <p>It had planned to join the alliance in the summer but the move was brought forward by three months after talks with the other members of the group.</p></div></div></body></html>"#
        );
        let doc = Html::parse_document(&page);
        assert!(main_content(&doc, None, None, None)
            .text
            .starts_with("Many of the offers"));
        let lead = "Alaska Airlines has a new date for joining the alliance, the carrier said.";
        let main = main_content(&doc, None, Some(lead), None);
        assert!(
            main.text.starts_with("Alaska Airlines has a new date"),
            "{}",
            main.text
        );
        assert!(
            main.text.ends_with("members of the group."),
            "{}",
            main.text
        );
    }

    #[test]
    fn an_article_written_as_text_between_blocks_is_found() {
        // A blog's post body: text and <br>s straight in the <div>, an image block inside,
        // a hidden copy for search engines, and the site's footer.
        let page = r#"<html><body><div class="wrap">
            <div class="post-body">The harbour wall will be raised by one metre, the council decided on Tuesday, after a winter of floods.<br>
            <div class="separator"><a href="/i.jpg"><img src="/i.jpg"></a></div><br>
            Work starts in spring and lasts a year, the mayor said, at a cost of four million.<br></div>
            <div class="comments-hidden" style="display: none">The harbour wall will be raised by one metre, the council decided on Tuesday, after a winter of floods. Work starts in spring.</div>
            </div>
            <div class="site-footer"><p>The Gazette, 12 Quay Street, Harbourtown. Telephone 555-0100, fax 555-0101, open Monday to Friday, 9 to 5, closed on holidays.</p></div>
            </body></html>"#;
        let main = main_content(&crate::parse_page(page).unwrap(), None, None, None);
        assert!(main.text.starts_with("The harbour wall"), "{}", main.text);
        assert!(main.text.contains("four million"), "{}", main.text);
        assert_eq!(
            main.text.matches("The harbour wall").count(),
            1,
            "{}",
            main.text
        );
        assert!(!main.text.contains("Quay Street"), "{}", main.text);
    }

    #[test]
    fn text_between_paragraphs_is_kept_and_a_teaser_box_among_them_is_not() {
        // A body that holds paragraphs, a line of its own text with a link, a short line in a
        // <div>, a teaser card linking to another story and a list of video links.
        let page = r#"<html><body><main><div class="story">
            <p>The ferry to the islands will run twice a day from June, the operator said on Monday, after a year of single sailings.</p>
            See also <a href="/timetable">the new timetable</a> for the summer, which adds a late boat on Fridays and Saturdays.
            <div>Tickets go on sale in May.</div>
            <div class="card"><a href="/other"><h2>Harbour fees rise again</h2><p>The port authority raised its fees for the third year running.</p></a></div>
            <p>Passenger numbers fell by a third during the year of single sailings, the operator said, and the new timetable is meant to win them back.</p>
            <div class="playlist"><h2>More videos</h2><ul><li><a href="/v1">Island festival opens</a></li><li><a href="/v2">Lighthouse restored after storm damage</a></li></ul></div>
            </div></main></body></html>"#;
        let main = main_content(&crate::parse_page(page).unwrap(), None, None, None);
        for kept in [
            "The ferry to the islands",
            "See also the new timetable for the summer",
            "Tickets go on sale in May.",
            "Passenger numbers fell",
        ] {
            assert!(main.text.contains(kept), "{kept:?} in {}", main.text);
        }
        for left in [
            "Harbour fees",
            "port authority",
            "Island festival",
            "Lighthouse",
        ] {
            assert!(!main.text.contains(left), "{left:?} in {}", main.text);
        }
    }

    #[test]
    fn an_article_split_into_columns_with_empty_asides_is_read_whole() {
        let column = |n: usize| {
            format!(
                r#"<div class="StoryBodyCompanionColumn"><div class="c"><p>Part {n} of the story goes on, with a quote, a number, and a place, as parts do.</p>
                <p>Part {n} says more, then ends where an advertisement sits between the columns.</p></div><aside aria-hidden="true"></aside></div>
                <div class="ad"></div>"#
            )
        };
        let page = format!(
            r#"<html><body><section name="articleBody">{}{}{}</section></body></html>"#,
            column(1),
            column(2),
            column(3)
        );
        let main = main_content(&crate::parse_page(&page).unwrap(), None, None, None);
        for n in 1..=3 {
            assert!(
                main.text.contains(&format!("Part {n} says")),
                "{}",
                main.text
            );
        }
    }

    #[test]
    fn an_article_in_nested_sections_is_read_whole() {
        // Each section's paragraphs sit two levels below it, beside a picture: no one
        // container scores for more than one section, so the best alone would be a quarter
        // of the article.
        let section = |i: usize| {
            let paragraphs: String = (0..3)
                .map(|j| format!("<p>Section {i}, paragraph {j}: a sentence, with clauses, and commas, as reports have them.</p>"))
                .collect();
            format!(
                r#"<div class="part"><div class="inner">{paragraphs}</div><figure><img src="{i}.jpg"><figcaption>Picture {i}</figcaption></figure></div>"#
            )
        };
        let sections: String = (0..4).map(section).collect();
        let page = format!(
            r#"<html><body><div class="layout"><h1>Headline</h1>{sections}</div>
            <div class="listing"><p>Another story, teased in a line or two, and a link.</p></div>
            </body></html>"#
        );
        let main = main_content(&crate::parse_page(&page).unwrap(), None, None, None);
        for i in 0..4 {
            assert!(
                main.text.contains(&format!("Section {i}, paragraph 2")),
                "{}",
                main.text
            );
        }
        assert!(!main.text.contains("Another story"), "{}", main.text);
    }

    #[test]
    fn an_article_cut_into_a_page_builders_rows_is_read_whole() {
        // Each row wraps its text five levels deep, beside a picture; the first holds most
        // of it, so neither the close-candidates rule nor the siblings of the best container
        // reach the rest.
        let row = |i: usize, paragraphs: usize| {
            let text: String = (0..paragraphs)
                .map(|j| format!("<p>Row {i}, paragraph {j}: a sentence, with clauses, and commas, as reports have them.</p>"))
                .collect();
            format!(
                r#"<div class="vc_row wpb_row row-{i}"><div class="vc_column"><div class="vc_column-inner"><div class="wpb_wrapper"><div class="wpb_text_column"><div class="wpb_wrapper">{text}</div></div><div class="vc_single_image"><img src="/{i}.jpg"></div></div></div></div></div>"#
            )
        };
        let links: String = (0..4)
            .map(|i| {
                format!(
                    r#"<li><a href="/story/{i}">Another story of the week, number {i}</a></li>"#
                )
            })
            .collect();
        let page = format!(
            r#"<html><body><div id="main-wrapper"><div class="entry"><h1>Headline</h1>{}{}<div class="vc_row wpb_row"><ul>{links}</ul></div>{}</div></div>
            <div id="sidebar-wrapper"><div><p>About this blog: a sentence, with clauses, and commas, to read as prose.</p><p>Its author writes here, weekly, and more, about it all.</p></div></div>
            </body></html>"#,
            row(1, 6),
            row(2, 2),
            row(3, 2),
        );
        let main = main_content(&crate::parse_page(&page).unwrap(), None, None, None);
        let at = |needle: &str| main.text.find(needle);
        assert!(at("Row 1, paragraph 0").is_some(), "{}", main.text);
        assert!(
            at("Row 1, paragraph 5") < at("Row 2, paragraph 0"),
            "{}",
            main.text
        );
        assert!(
            at("Row 2, paragraph 1") < at("Row 3, paragraph 1"),
            "{}",
            main.text
        );
        assert!(!main.text.contains("Another story"), "{}", main.text);
        assert!(!main.text.contains("About this blog"), "{}", main.text);
    }

    #[test]
    fn a_wrapper_around_main_is_read_into_not_taken_as_a_paragraph() {
        let article: String = (0..6)
            .map(|i| format!("<p>Paragraph {i} of the article, with a clause, another clause, and an end.</p>"))
            .collect();
        let page = format!(
            r#"<html><body><div id="container"><main><div class="body">{article}</div></main></div>
            <div class="teaser"><p>A teaser of another story, long enough to be read as a paragraph, and then some.</p></div></body></html>"#
        );
        let main = main_content(&crate::parse_page(&page).unwrap(), None, None, None);
        assert!(main.text.starts_with("Paragraph 0"), "{}", main.text);
        assert!(main.text.contains("Paragraph 5"), "{}", main.text);
        assert!(!main.text.contains("teaser"), "{}", main.text);
    }

    #[test]
    fn a_short_post_above_a_long_comment_thread_stays_the_post() {
        let comments: String = (0..12)
            .map(|i| format!(r#"<li class="comment"><div class="comment-body"><p>Reader {i} wrote a long reply, with views, asides, and questions, as readers do, at length.</p></div></li>"#))
            .collect();
        let page = format!(
            r#"<html><body><div class="post"><h1>Open thread</h1><div class="entry"><p>Our open thread: ask us anything about our work, below, and we will answer as we can.</p></div></div>
            <div id="comments" class="comments-area post-comments"><ul class="comment-list">{comments}</ul></div></body></html>"#
        );
        let main = main_content(&crate::parse_page(&page).unwrap(), None, None, None);
        assert!(main.text.contains("Our open thread"), "{}", main.text);
        assert!(!main.text.contains("Reader"), "{}", main.text);
    }

    #[test]
    fn readers_replies_in_a_forum_under_a_review_stay_out() {
        // SPIP's blogs name their comment threads "forum".
        let replies: String = (0..20)
            .map(|i| format!(r#"<li class="forum-fil"><div class="forum-message"><div class="forum-texte"><p>Reader {i} answers at length, with views, asides and questions, as readers do, again and again.</p></div></div></li>"#))
            .collect();
        let page = format!(
            r#"<html><body><div id="contenu"><div class="texte"><p>A novel of the city's poor quarters, told through three lives over forty years of rebuilding, from the first tower blocks to the last of the hillside shacks.</p><p>The architect looks back on the homes his firm tore down, and on the people who lived in them, with a lucidity that does not spare his own part in it.</p><p>A young woman of the new century, who works nights in a corner shop to pay for a room that floods, ties his story to that of the girl he loved at twenty.</p><p>A dark book, in which friendship and mutual help still hold a large place.</p></div>
            <div class="divforum"><ul class="forum">{replies}</ul></div></div></body></html>"#
        );
        let main = main_content(&crate::parse_page(&page).unwrap(), None, None, None);
        assert!(main.text.contains("A novel of the city"), "{}", main.text);
        assert!(!main.text.contains("Reader"), "{}", main.text);
    }

    #[test]
    fn a_forum_thread_marked_as_comments_is_read_when_there_is_nothing_else() {
        let posts: String = (0..5)
            .map(|i| format!(r#"<div class="ForumComment"><div class="CommentText">Post {i}: since the update the store will not load over mobile data, on any of my devices.</div></div>"#))
            .collect();
        let page =
            format!(r#"<html><body><main><h1>Store not loading</h1>{posts}</main></body></html>"#);
        let main = main_content(&crate::parse_page(&page).unwrap(), None, None, None);
        assert!(main.text.contains("Post 0:"), "{}", main.text);
        assert!(main.text.contains("Post 4:"), "{}", main.text);
    }

    #[test]
    fn a_wrapper_named_for_the_sidebar_beside_the_article_still_holds_the_article() {
        let article: String = (0..6)
            .map(|i| format!("<p>Step {i} of the recipe: mix, stir, and bake, then wait, as the oven does its work.</p>"))
            .collect();
        let mail = "Someone wants to share this post with you, and wrote a note, which you will find at the end of this mail, with the link. ".repeat(5);
        let page = format!(
            r#"<html><body><div class="site-inner"><div class="content-sidebar-wrap">
            <main class="content"><article class="post"><div class="entry-content">{article}</div></article></main>
            <aside class="sidebar"><p>About me: I bake, and write about it, every week, for years now.</p></aside>
            </div></div>
            <div class="mailform"><div class="mailform-preview"><p>{mail}</p></div></div></body></html>"#
        );
        let main = main_content(&crate::parse_page(&page).unwrap(), None, None, None);
        assert!(main.text.starts_with("Step 0"), "{}", main.text);
        assert!(main.text.contains("Step 5"), "{}", main.text);
        assert!(!main.text.contains("About me"), "{}", main.text);
    }

    #[test]
    fn soft_hyphens_and_ruby_readings_stay_out_of_the_text() {
        let paragraph = "<p>Im Mit&shy;tel&shy;al&shy;ter war der Wein das Aus&shy;hänge&shy;schild, und <ruby>子<rp>(</rp><rt>こ</rt><rp>)</rp></ruby>どもの<ruby>法律<rt>ほうりつ</rt></ruby>, as the report said at length.</p>";
        let page = format!(
            "<html><body><article>{}</article></body></html>",
            paragraph.repeat(5)
        );
        let main = main_content(&crate::parse_page(&page).unwrap(), None, None, None);
        assert!(
            main.text
                .starts_with("Im Mittelalter war der Wein das Aushängeschild, und 子どもの法律,"),
            "{}",
            main.text
        );
    }

    #[test]
    fn a_banner_left_open_around_main_is_read() {
        // The site header is never closed: everything after it, <main> too, is inside it.
        let page = r#"<html><body><div class="dialog-off-canvas-main-canvas"><header class="header" role="banner"><a href="/">Logo</a>
            <main role="main"><article><h1>Trademark filed</h1>
            <p>The accordionist filed his stage name as a trademark on Thursday, his lawyer said.</p>
            <p>"My name is what represents me," he said, and asked for the exclusive right to its use.</p></article></main>
            <footer><p>Contact us</p></footer></body></html>"#;
        let main = main_content(&crate::parse_page(page).unwrap(), None, None, None);
        assert!(main.text.starts_with("The accordionist"), "{}", main.text);
        assert!(main.text.contains("exclusive right"), "{}", main.text);
        assert!(!main.text.contains("Contact us"), "{}", main.text);
    }

    #[test]
    fn of_several_articles_the_one_under_the_titles_headline_is_read() {
        // Scrolling loads the next article into the page; it is longer than this one.
        let article = |title: &str, paragraphs: usize| {
            let body: String = (0..paragraphs)
                .map(|i| format!("<p>{title}, paragraph {i}: what happened, where, and to whom, told at some length, as reports go.</p>"))
                .collect();
            format!(
                r#"<article class="post"><h1>{title}</h1><div class="entry-text">{body}</div></article>"#
            )
        };
        let page = format!(
            "<html><body><main>{}{}</main></body></html>",
            article("Blessing of the cars", 6),
            article("Talks on terrorism", 12)
        );
        let doc = crate::parse_page(&page).unwrap();
        let headline = doc
            .tree
            .nodes()
            .find(|n| element_name(*n) == Some("h1"))
            .map(|h| h.id());
        let main = main_content(&doc, None, None, headline);
        assert!(
            main.text.starts_with("Blessing of the cars, paragraph 0"),
            "{}",
            main.text
        );
        assert!(!main.text.contains("Talks on terrorism"), "{}", main.text);
        // Without the title, the longer one is read, as before.
        let main = main_content(&doc, None, None, None);
        assert!(main.text.contains("Talks on terrorism"), "{}", main.text);

        // Paragraphs straight inside each article: the reading of the headline's article
        // stops at it, however alike the next one is.
        let flat = |title: &str| {
            let body: String = (0..6)
                .map(|i| format!("<p>{title}, paragraph {i}: what happened, where, and to whom, told at some length, as reports go.</p>"))
                .collect();
            format!("<article><h1>{title}</h1>{body}</article>")
        };
        let page = format!(
            r#"<html><body><div class="stream">{}{}{}</div></body></html>"#,
            flat("A first story"),
            flat("Blessing of the cars"),
            flat("Talks on terrorism")
        );
        let doc = crate::parse_page(&page).unwrap();
        let headline = doc
            .tree
            .nodes()
            .filter(|n| element_name(*n) == Some("h1"))
            .nth(1)
            .map(|h| h.id());
        let main = main_content(&doc, None, None, headline);
        assert!(
            main.text.contains("Blessing of the cars, paragraph 5"),
            "{}",
            main.text
        );
        assert!(!main.text.contains("Talks on terrorism"), "{}", main.text);
        assert!(!main.text.contains("A first story"), "{}", main.text);
    }

    #[test]
    fn a_widget_named_for_its_text_is_still_a_widget() {
        let post: String = (0..8)
            .map(|i| format!("<p>Line {i} of the post: the town is black against the sky, the light behind it.</p>"))
            .collect();
        let notice = "<p>Copyright notice: the texts and photos of this blog are mine, and whoever wants to use them elsewhere, in print or online, should ask me first, in writing, please.</p>".repeat(4);
        let page = format!(
            r#"<html><body><div class="content"><div class="post-1 post hentry"><h2>Silhouette</h2>{post}</div></div>
            <div class="col2"><div class="widget block widget_text sidebar-box"><div class="textwidget">{notice}</div></div></div></body></html>"#
        );
        let main = main_content(&crate::parse_page(&page).unwrap(), None, None, None);
        assert!(main.text.contains("Line 0 of the post"), "{}", main.text);
        assert!(!main.text.contains("Copyright notice"), "{}", main.text);
    }

    #[test]
    fn parts_of_an_article_marked_alike_are_kept_together() {
        // A long article in rows of one class, ads between them: the short first part is
        // kept beside the long one that scored best.
        let long: String = (0..30)
            .map(|i| format!("<p>Paragraph {i} of the main part, with a clause, another clause, and an end.</p>"))
            .collect();
        let page = format!(
            r#"<html><body><article class="content">
            <div class="row part"><div class="col"><p>The opening part, short: a lead and one line.</p><p>It sets the scene, briefly, as leads do.</p></div></div>
            <div class="row ad-slot"></div>
            <div class="row part"><div class="col">{long}</div></div>
            </article></body></html>"#
        );
        let main = main_content(&crate::parse_page(&page).unwrap(), None, None, None);
        assert!(main.text.starts_with("The opening part"), "{}", main.text);
        assert!(main.text.contains("Paragraph 29"), "{}", main.text);
    }

    #[test]
    fn a_lead_printed_above_the_body_opens_the_text() {
        let body: String = (0..6)
            .map(|i| format!("<p>Body paragraph {i} tells more of the story, with detail, names and numbers.</p>"))
            .collect();
        let lead = "Snow on solar panels costs power and weighs on their frames. Experts warn against clearing them yourself.";
        let page = format!(
            r#"<html><body><header><h2>Solar</h2><p class="text-xl">{lead}</p></header>
            <div class="grid"><div class="body">{body}</div></div>
            <aside class="teasers"><p>{lead}</p></aside></body></html>"#
        );
        let doc = crate::parse_page(&page).unwrap();
        let main = main_content(&doc, None, Some(lead), None);
        assert!(
            main.text.starts_with("Snow on solar panels"),
            "{}",
            main.text
        );
        assert_eq!(
            main.text.matches("Snow on solar").count(),
            1,
            "{}",
            main.text
        );
        assert!(main.html.starts_with("<p>Snow on solar"), "{}", main.html);
        // Without the page's summary nothing says which paragraph is the lead.
        let plain = main_content(&doc, None, None, None);
        assert!(plain.text.starts_with("Body paragraph 0"), "{}", plain.text);
    }

    #[test]
    fn an_intro_set_apart_beside_the_body_is_kept() {
        let body: String = (0..8)
            .map(|i| {
                format!("<p>Body paragraph {i} explains, step by step, how the oil formed.</p>")
            })
            .collect();
        let page = format!(
            r#"<html><body><div class="article"><h1>How oil forms</h1>
            <div class="intro block"><p>Oil forms over millions of years from tiny dead organisms that sink to the sea floor.</p></div>
            <div class="share"><a href="/s">Share</a></div>
            <div class="text block">{body}</div></div></body></html>"#
        );
        let main = main_content(&crate::parse_page(&page).unwrap(), None, None, None);
        assert!(main.text.starts_with("Oil forms over"), "{}", main.text);
        assert!(!main.text.contains("Share"), "{}", main.text);
    }

    #[test]
    fn an_article_left_inside_an_unclosed_header_is_read() {
        let body: String = (0..30)
            .map(|i| format!("<p>Paragraph {i} of the city guide, with sights, history, and where to eat near the harbour.</p>"))
            .collect();
        let page = format!(
            r#"<html><body><header id="branding"><a href="/">Travel site</a> <a href="/europe">Europe</a>
            <article><h1>Emden</h1>{body}</article></body></html>"#
        );
        let main = main_content(&crate::parse_page(&page).unwrap(), None, None, None);
        assert!(main.text.starts_with("Paragraph 0"), "{}", main.text);
        // A real page header stays out.
        let page = format!(
            r#"<html><body><header><p>Travel site: guides to cities, coasts and islands, since 2004.</p></header><article>{body}</article></body></html>"#
        );
        let main = main_content(&crate::parse_page(&page).unwrap(), None, None, None);
        assert!(!main.text.contains("since 2004"), "{}", main.text);
    }

    #[test]
    fn inline_styles_that_hide_an_element_hide_it() {
        for (style, hidden) in [
            ("display:none", true),
            ("color: red; DISPLAY : none !important", true),
            ("visibility: hidden", true),
            ("display: block", false),
            ("", false),
        ] {
            assert_eq!(is_invisible(style), hidden, "{style}");
        }
    }

    #[test]
    fn a_lead_named_so_above_the_bodys_container_opens_the_text() {
        let body: String = (0..5)
            .map(|i| format!("<p>Paragraph {i} of the body: what happened, where, and to whom, told at length.</p>"))
            .collect();
        let page = format!(
            r#"<html><body><main><article>
            <div class="o-article-header"><h1>Headline</h1><div class="article-intro"><p>The lead says it all in one sentence, and more, for the hurried reader.</p></div></div>
            <div class="teaser-box"><p>Another story teased here, with a sentence of its own, for the curious.</p></div>
            <div class="article-content"><div class="rtf">{body}</div></div>
            </article></main></body></html>"#
        );
        let main = main_content(&crate::parse_page(&page).unwrap(), None, None, None);
        assert!(main.text.starts_with("The lead says"), "{}", main.text);
        assert_eq!(main.text.matches("The lead says").count(), 1);
        assert!(main.text.contains("Paragraph 4"), "{}", main.text);
        assert!(!main.text.contains("Another story"), "{}", main.text);
    }

    #[test]
    fn captions_are_left_out_however_marked_and_kept_where_they_are_the_text() {
        let paragraphs: String = (0..4)
            .map(|i| format!("<p>Paragraph {i} of the report: what happened, where, and to whom, told at length.</p>"))
            .collect();
        let page = format!(
            r#"<html><body><div class="story">{paragraphs}
            <figure><img src="/a.jpg"><figcaption><p>The harbour at dawn. Photo: The Outlet</p></figcaption></figure>
            <div class="pic-right"><a href="/b.jpg"><img src="/b.jpg"></a><div class="legend"><div class="text">The mayor, left, with the new ferry, at its launch on Monday</div></div></div>
            <div class="inline-image"><img src="/c.jpg"><span>Schneehöhen im Vergleich, farblich dargestellt</span></div>
            <p>A last paragraph, with a smiley <img src="/smile.gif"> in it, and words, and more words.</p>
            </div></body></html>"#
        );
        let main = main_content(&crate::parse_page(&page).unwrap(), None, None, None);
        assert!(main.text.contains("Paragraph 3"), "{}", main.text);
        assert!(main.text.contains("A last paragraph"), "{}", main.text);
        for caption in ["harbour at dawn", "The mayor", "Schneehöhen"] {
            assert!(!main.text.contains(caption), "{caption}: {}", main.text);
        }

        // A gallery: each slide's caption is the article.
        let slides: String = (0..6)
            .map(|i| format!(r#"<figure><img src="/{i}.jpg"><figcaption><p>Costume {i}: a grey sweatsuit, boots, and a dance move, all you need.</p></figcaption></figure>"#))
            .collect();
        let page = format!(
            r#"<html><body><div class="gallery"><p>Six costumes for the night.</p>{slides}</div></body></html>"#
        );
        let main = main_content(&crate::parse_page(&page).unwrap(), None, None, None);
        assert!(main.text.contains("Costume 0"), "{}", main.text);
        assert!(main.text.contains("Costume 5"), "{}", main.text);
    }

    #[test]
    fn boilerplate_boxes_are_left_out() {
        let page = r##"<html><body>
<nav><a href="/">Home</a><a href="/world">World</a></nav>
<div class="layout"><article class="story">
<h1>Headline</h1>
<div class="share-bar"><a href="#">Share on X</a></div>
<p>The first paragraph of the story tells what happened, where, and to whom, in detail.</p>
<p>The second paragraph adds context, numbers, and a quote from an official, as stories do.</p>
<p><strong>Lesen Sie auch:</strong></p>
<aside class="read-also"><h3>Read also</h3><ul><li><a href="/x">Another story entirely about something</a></li></ul></aside>
<div class="newsletter-box"><p>Sign up for our newsletter to get the morning briefing every day.</p></div>
<h2>What comes next</h2>
<p>The third paragraph looks ahead, with the date of the next hearing and its stakes.</p>
<h3>Das könnte Sie auch interessieren!</h3>
</article></div>
<section class="comments"><p>Great article, thanks for writing such a thing for all of us!</p></section>
<div class="dialog"><div class="dialog__content"><p>Privacy policy: this policy outlines what we gather, how, and why, and for how long, and whom we tell, and what you can do about it, in detail, at length, with clauses, commas, and more clauses, as policies do.</p><p>We use cookies, pixels, logs, and forms, and we keep what they gather, as the law allows, for as long as it allows, and then some more, as policies say.</p><p>You may ask us, write to us, call us, or complain, as you like, and we will answer, in time, as the law says, and as we promise here, again.</p></div></div>
<footer><p>© 2026 The Outlet. All rights reserved. Republishing is prohibited without consent.</p></footer>
</body></html>"##;
        let doc = Html::parse_document(page);
        let main = main_content(&doc, None, None, None);
        assert!(
            main.text.starts_with("The first paragraph"),
            "{}",
            main.text
        );
        assert!(main.text.contains("What comes next"));
        assert!(main.text.ends_with("its stakes."), "{}", main.text);
        for bad in [
            "Read also",
            "newsletter",
            "Great article",
            "rights reserved",
            "Share on",
            "Home",
            "Lesen Sie",
            "interessieren",
            "Privacy policy",
        ] {
            assert!(!main.text.contains(bad), "{bad} leaked into {}", main.text);
        }
        assert!(
            main.html.contains("<h2>What comes next</h2>"),
            "{}",
            main.html
        );
    }
}
