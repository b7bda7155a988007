//! A parsed page as metadata reads it: its elements indexed by name, so that looking up the
//! `<meta>`s or the `<h1>` costs as many steps as there are of them rather than one walk of
//! the whole tree each time; and its JSON-LD, parsed once.

use std::cell::OnceCell;
use std::ops::Deref;

use ego_tree::NodeId;
use rustc_hash::FxHashMap;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

/// JSON-LD scripts larger than this are not read: no article's metadata needs more.
const MAX_JSON_LD_BYTES: usize = 512 * 1024;

pub(crate) struct Page<'a> {
    doc: &'a Html,
    by_name: FxHashMap<&'a str, Vec<NodeId>>,
    json_ld: OnceCell<Vec<Value>>,
}

impl<'a> Page<'a> {
    pub fn new(doc: &'a Html) -> Self {
        let mut by_name: FxHashMap<&'a str, Vec<NodeId>> = FxHashMap::default();
        // In the order of the tree's nodes, as `Html::select` visits them.
        for node in doc.tree.nodes() {
            if let scraper::Node::Element(e) = node.value() {
                by_name.entry(e.name()).or_default().push(node.id());
            }
        }
        Page {
            doc,
            by_name,
            json_ld: OnceCell::new(),
        }
    }

    /// The tree, for as long as the page's own borrow lasts.
    pub fn html(&self) -> &'a Html {
        self.doc
    }

    /// The elements named in `names`, in the order `Html::select` gives them.
    pub fn named<'s>(
        &'s self,
        names: &'static [&'static str],
    ) -> Box<dyn Iterator<Item = ElementRef<'a>> + 's> {
        let doc = self.doc;
        if let [name] = names {
            let ids = self.by_name.get(name).map_or(&[][..], Vec::as_slice);
            return Box::new(
                ids.iter()
                    .filter_map(move |id| doc.tree.get(*id).and_then(ElementRef::wrap)),
            );
        }
        // Lists of common names (`p, span, div…`) cover most of a page: merging their indexes
        // back into document order costs more than one walk.
        Box::new(
            doc.tree
                .nodes()
                .filter_map(ElementRef::wrap)
                .filter(move |e| names.contains(&e.value().name())),
        )
    }

    /// The elements that `selector` matches, for a selector that only matches elements
    /// named in `names`, in the order `Html::select` gives them.
    pub fn select_named<'s>(
        &'s self,
        names: &'static [&'static str],
        selector: &'s Selector,
    ) -> impl Iterator<Item = ElementRef<'a>> + 's {
        self.named(names).filter(move |e| selector.matches(e))
    }

    /// The page's JSON-LD documents that parse, each within the size bound.
    pub fn json_ld(&self) -> &[Value] {
        self.json_ld.get_or_init(|| {
            let scripts = Selector::parse(r#"script[type="application/ld+json" i]"#)
                .unwrap_or_else(|_| unreachable!("valid selector"));
            self.select_named(&["script"], &scripts)
                .filter_map(|script| {
                    let raw: String = script.text().collect();
                    if raw.len() > MAX_JSON_LD_BYTES {
                        return None;
                    }
                    serde_json::from_str::<Value>(without_wrapping(&raw)).ok()
                })
                .collect()
        })
    }
}

/// A script's JSON without what some templates wrap it in to hide it from old parsers
/// (`<![CDATA[ … ]]>`, `<!-- … -->`), as MediaWiki does.
fn without_wrapping(raw: &str) -> &str {
    let mut s = raw.trim();
    for (open, close) in [("<![CDATA[", "]]>"), ("<!--", "-->")] {
        if let Some(inner) = s.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            s = inner.trim();
        }
    }
    s
}

/// Everything else reads the tree as it is.
impl Deref for Page<'_> {
    type Target = Html;

    fn deref(&self) -> &Html {
        self.doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_lookups_give_what_a_walk_gives_in_its_order() {
        let doc = crate::parse_page(
            r#"<html><head><meta name=a content=1><title>T</title></head><body>
            <h2>x</h2><h1 class=k>y</h1><div><h2>z</h2><meta itemprop=b content=2></div>
            <script type="application/LD+json">{"@type": "NewsArticle"}</script>
            <script type="application/ld+json">{broken</script>
            <script type="application/ld+json"><![CDATA[ {"@type": "Article"} ]]></script></body></html>"#,
        )
        .unwrap();
        let page = Page::new(&doc);
        for (names, css) in [
            (&["meta"][..], "meta[content]"),
            (&["h1", "h2"][..], "h1, h2"),
            (&["h1"][..], "h1.k"),
            (&["p"][..], "p"),
        ] {
            let selector = Selector::parse(css).unwrap();
            let walked: Vec<_> = doc.select(&selector).map(|e| e.id()).collect();
            let named: Vec<_> = page
                .select_named(names, &selector)
                .map(|e| e.id())
                .collect();
            assert_eq!(named, walked, "{css}");
        }
        // The broken one is left out; the one wrapped in CDATA is read.
        assert_eq!(page.json_ld().len(), 2);
    }
}
