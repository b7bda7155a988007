//! A fast HTML parser for article pages: a tree with the same text as the one scraper's
//! html5ever driver builds (`examples/compare_parsers` checks it on every benchmark page), at
//! a fraction of its cost, in scraper's own types. Tags and text are found by memchr over the
//! bytes (html5ever steps through every character), and the tree follows the HTML standard's rules
//! where they shape an article's text: implied ends (`<p>`, `<li>`, cells), void and raw-text
//! elements, the head/body split, character references, scopes for end tags. Rare repairs that
//! only move boilerplate around (foster parenting out of tables, re-opened formatting elements)
//! are simplified: a misnested formatting element closes when the block it was left open in
//! closes; no `<tbody>` is implied. Comments are dropped; `<template>` content is inert and
//! skipped. Text and attribute values are slices of one shared copy of the page. Depth is
//! bounded: a page that keeps more than `MAX_DEPTH` elements open is refused.

use ego_tree::{NodeId, Tree};
use markup5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};
use markup5ever::interface::QuirksMode;
use markup5ever::tendril::StrTendril;
use markup5ever::{local_name, ns, Attribute, LocalName, QualName};
use memchr::{memchr, memchr3};
use rustc_hash::FxHashMap;
use scraper::node::{Element, Text};
use scraper::{Html, Node};

/// Deeper than any real page, even one that leaves a thousand `<span>`s unclosed; the tree
/// walks themselves stop much earlier.
pub const MAX_DEPTH: usize = 5000;

/// Parses a whole page into the tree the extractor reads; a page that nests deeper than
/// `MAX_DEPTH` is refused.
pub fn parse_page(html: &str) -> crate::Result<Html> {
    let mut b = Builder::new(html);
    b.run(html).map_err(crate::Error::TooDeep)?;
    b.flush_text();
    b.ensure_body();
    Ok(Html {
        errors: Vec::new(),
        quirks_mode: QuirksMode::NoQuirks,
        tree: b.tree,
    })
}

struct Open {
    id: NodeId,
    name: LocalName,
    kind: u16,
    /// Its end tag came while a block opened inside it was still open: it closes with that
    /// block (a simplified adoption agency).
    ended: bool,
}

struct Builder {
    tree: Tree<Node>,
    html: NodeId,
    head: Option<NodeId>,
    body: Option<NodeId>,
    /// Open elements below `<html>`, innermost last.
    stack: Vec<Open>,
    /// The page, shared: text and attribute values that need no decoding are slices of it
    /// in the tree, not copies.
    source: StrTendril,
    /// Text not yet in the tree: a stretch of the page as it stands, or (once something in
    /// it needed decoding) written out.
    pending: Option<(usize, usize)>,
    text: String,
    /// Open `<svg>` and `<math>` elements: inside them `<x/>` closes itself.
    foreign: usize,
    /// After `<pre>`, `<listing>` and `<textarea>` a leading newline is not content.
    skip_newline: bool,
    names: Names,
}

const SPECIAL: u16 = 1 << 0;
const SCOPE: u16 = 1 << 1;
const TABLE_SCOPE: u16 = 1 << 2;
const BUTTON: u16 = 1 << 3;
const LIST: u16 = 1 << 4;
const FORMATTING: u16 = 1 << 5;
const CLOSES_P: u16 = 1 << 6;
const VOID: u16 = 1 << 7;
const HEAD_ELEMENT: u16 = 1 << 8;
const BREAKS_FOREIGN: u16 = 1 << 9;
const HEADING: u16 = 1 << 10;
const FOREIGN: u16 = 1 << 11;

/// What the standard's rules say of an element, as bits of the constants above.
fn kind_of(name: &str) -> u16 {
    match name {
        "a" => FORMATTING,
        "address" => SPECIAL | CLOSES_P,
        "applet" => SPECIAL | SCOPE,
        "area" => SPECIAL | VOID,
        "article" => SPECIAL | CLOSES_P,
        "aside" => SPECIAL | CLOSES_P,
        "b" => FORMATTING | BREAKS_FOREIGN,
        "base" => SPECIAL | VOID | HEAD_ELEMENT,
        "basefont" => SPECIAL | VOID | HEAD_ELEMENT,
        "bgsound" => SPECIAL | VOID | HEAD_ELEMENT,
        "big" => FORMATTING | BREAKS_FOREIGN,
        "blockquote" => SPECIAL | CLOSES_P | BREAKS_FOREIGN,
        "body" => SPECIAL | BREAKS_FOREIGN,
        "br" => SPECIAL | VOID | BREAKS_FOREIGN,
        "button" => SPECIAL | BUTTON,
        "caption" => SPECIAL | SCOPE,
        "center" => SPECIAL | CLOSES_P | BREAKS_FOREIGN,
        "code" => FORMATTING | BREAKS_FOREIGN,
        "col" => SPECIAL | VOID,
        "colgroup" => SPECIAL,
        "dd" => SPECIAL | CLOSES_P | BREAKS_FOREIGN,
        "desc" => SCOPE,
        "details" => SPECIAL | CLOSES_P,
        "dialog" => CLOSES_P,
        "dir" => SPECIAL | CLOSES_P,
        "div" => SPECIAL | CLOSES_P | BREAKS_FOREIGN,
        "dl" => SPECIAL | CLOSES_P | BREAKS_FOREIGN,
        "dt" => SPECIAL | CLOSES_P | BREAKS_FOREIGN,
        "em" => FORMATTING | BREAKS_FOREIGN,
        "embed" => SPECIAL | VOID | BREAKS_FOREIGN,
        "fieldset" => SPECIAL | CLOSES_P,
        "figcaption" => SPECIAL | CLOSES_P,
        "figure" => SPECIAL | CLOSES_P,
        "font" => FORMATTING,
        "footer" => SPECIAL | CLOSES_P,
        "foreignObject" => SCOPE,
        "form" => SPECIAL | CLOSES_P,
        "frame" => SPECIAL | VOID,
        "frameset" => SPECIAL,
        "h1" => SPECIAL | CLOSES_P | BREAKS_FOREIGN | HEADING,
        "h2" => SPECIAL | CLOSES_P | BREAKS_FOREIGN | HEADING,
        "h3" => SPECIAL | CLOSES_P | BREAKS_FOREIGN | HEADING,
        "h4" => SPECIAL | CLOSES_P | BREAKS_FOREIGN | HEADING,
        "h5" => SPECIAL | CLOSES_P | BREAKS_FOREIGN | HEADING,
        "h6" => SPECIAL | CLOSES_P | BREAKS_FOREIGN | HEADING,
        "head" => SPECIAL | BREAKS_FOREIGN,
        "header" => SPECIAL | CLOSES_P,
        "hgroup" => SPECIAL | CLOSES_P,
        "hr" => SPECIAL | CLOSES_P | VOID | BREAKS_FOREIGN,
        "html" => SPECIAL | SCOPE | TABLE_SCOPE,
        "i" => FORMATTING | BREAKS_FOREIGN,
        "iframe" => SPECIAL,
        "img" => SPECIAL | VOID | BREAKS_FOREIGN,
        "input" => SPECIAL | VOID,
        "keygen" => SPECIAL | VOID,
        "li" => SPECIAL | CLOSES_P | BREAKS_FOREIGN,
        "link" => SPECIAL | VOID | HEAD_ELEMENT,
        "listing" => SPECIAL | CLOSES_P | BREAKS_FOREIGN,
        "main" => SPECIAL | CLOSES_P,
        "marquee" => SPECIAL | SCOPE,
        "math" => FOREIGN,
        "menu" => SPECIAL | CLOSES_P | BREAKS_FOREIGN,
        "meta" => SPECIAL | VOID | HEAD_ELEMENT | BREAKS_FOREIGN,
        "nav" => SPECIAL | CLOSES_P,
        "nobr" => FORMATTING | BREAKS_FOREIGN,
        "noembed" => SPECIAL,
        "noframes" => SPECIAL | HEAD_ELEMENT,
        "noscript" => SPECIAL | HEAD_ELEMENT,
        "object" => SPECIAL | SCOPE,
        "ol" => SPECIAL | LIST | CLOSES_P | BREAKS_FOREIGN,
        "p" => SPECIAL | CLOSES_P | BREAKS_FOREIGN,
        "param" => SPECIAL | VOID,
        "plaintext" => SPECIAL | CLOSES_P,
        "pre" => SPECIAL | CLOSES_P | BREAKS_FOREIGN,
        "ruby" => BREAKS_FOREIGN,
        "s" => FORMATTING | BREAKS_FOREIGN,
        "script" => SPECIAL | HEAD_ELEMENT,
        "search" => SPECIAL | CLOSES_P,
        "section" => SPECIAL | CLOSES_P,
        "select" => SPECIAL,
        "small" => FORMATTING | BREAKS_FOREIGN,
        "source" => SPECIAL | VOID,
        "span" => BREAKS_FOREIGN,
        "strike" => FORMATTING | BREAKS_FOREIGN,
        "strong" => FORMATTING | BREAKS_FOREIGN,
        "style" => SPECIAL | HEAD_ELEMENT,
        "sub" => BREAKS_FOREIGN,
        "summary" => SPECIAL | CLOSES_P,
        "sup" => BREAKS_FOREIGN,
        "svg" => FOREIGN,
        "table" => SPECIAL | SCOPE | TABLE_SCOPE | CLOSES_P | BREAKS_FOREIGN,
        "tbody" => SPECIAL,
        "td" => SPECIAL | SCOPE,
        "template" => SPECIAL | SCOPE | TABLE_SCOPE,
        "textarea" => SPECIAL,
        "tfoot" => SPECIAL,
        "th" => SPECIAL | SCOPE,
        "thead" => SPECIAL,
        "title" => SPECIAL | HEAD_ELEMENT,
        "tr" => SPECIAL,
        "track" => SPECIAL | VOID,
        "tt" => FORMATTING | BREAKS_FOREIGN,
        "u" => FORMATTING | BREAKS_FOREIGN,
        "ul" => SPECIAL | LIST | CLOSES_P | BREAKS_FOREIGN,
        "var" => BREAKS_FOREIGN,
        "wbr" => SPECIAL | VOID,
        "xmp" => SPECIAL | CLOSES_P,
        _ => 0,
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Whether the text of an element is read raw (no tags inside), and whether references in
/// it are decoded.
fn raw_text(name: &LocalName) -> Option<bool> {
    match *name {
        local_name!("script")
        | local_name!("style")
        | local_name!("xmp")
        | local_name!("iframe")
        | local_name!("noembed")
        | local_name!("noframes")
        | local_name!("noscript") => Some(false),
        local_name!("title") | local_name!("textarea") => Some(true),
        _ => None,
    }
}

/// A tag as read from the page.
struct Tag {
    name: LocalName,
    kind: u16,
    attrs: Vec<Attribute>,
    self_closing: bool,
}

impl Builder {
    fn new(page: &str) -> Self {
        // About one node per tag and one per text between tags: room for them from the
        // start spares copying the whole tree each time it grows. Capped, as a page of `<`s
        // must not reserve gigabytes; past the cap the tree grows as it needs.
        let tags = memchr::memchr_iter(b'<', page.as_bytes()).count();
        let mut tree = Tree::with_capacity(Node::Document, (2 * tags + 8).min(1 << 16));
        let html = tree
            .root_mut()
            .append(element(local_name!("html"), Vec::new()))
            .id();
        Builder {
            tree,
            html,
            head: None,
            body: None,
            stack: Vec::new(),
            source: StrTendril::from_slice(page),
            pending: None,
            text: String::new(),
            foreign: 0,
            skip_newline: false,
            names: Names::default(),
        }
    }

    fn run(&mut self, html: &str) -> Result<(), usize> {
        let bytes = html.as_bytes();
        let mut pos = 0;
        while pos < bytes.len() {
            let lt = memchr(b'<', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
            if lt > pos {
                self.push_text(html, pos, lt, true);
            }
            if lt >= bytes.len() {
                break;
            }
            pos = self.markup(html, lt)?;
        }
        Ok(())
    }

    /// Reads the markup at `lt` (a `<`) and returns where reading goes on.
    fn markup(&mut self, html: &str, lt: usize) -> Result<usize, usize> {
        let bytes = html.as_bytes();
        let rest = &bytes[lt..];
        let next = rest.get(1).copied().unwrap_or(0);
        if next.is_ascii_alphabetic() {
            let Some((tag, end)) = read_tag(html, &self.source, &mut self.names, lt + 1, true)
            else {
                return Ok(bytes.len());
            };
            return self.start_tag(tag, html, end);
        }
        if next == b'/' {
            let after = rest.get(2).copied().unwrap_or(0);
            if after.is_ascii_alphabetic() {
                let Some((tag, end)) = read_tag(html, &self.source, &mut self.names, lt + 2, false)
                else {
                    return Ok(bytes.len());
                };
                self.end_tag(&tag);
                return Ok(end);
            }
            return Ok(past_byte(bytes, lt + 2, b'>'));
        }
        if rest.starts_with(b"<!--") {
            if rest.starts_with(b"<!-->") {
                return Ok(lt + 5);
            }
            if rest.starts_with(b"<!--->") {
                return Ok(lt + 6);
            }
            return Ok(memchr::memmem::find(&bytes[lt + 4..], b"-->")
                .map_or(bytes.len(), |i| lt + 4 + i + 3));
        }
        if next == b'!' || next == b'?' {
            return Ok(past_byte(bytes, lt + 2, b'>'));
        }
        self.push_text(html, lt, lt + 1, false);
        Ok(lt + 1)
    }

    /// The page's text from `start` to `end`; `decode` resolves character references.
    fn push_text(&mut self, html: &str, mut start: usize, end: usize, decode: bool) {
        if self.skip_newline {
            self.skip_newline = false;
            let raw = &html[start..end];
            start += if raw.starts_with("\r\n") {
                2
            } else {
                usize::from(raw.starts_with('\n'))
            };
        }
        let raw = &html[start..end];
        let clean = if decode {
            memchr3(b'&', b'\r', b'\0', raw.as_bytes()).is_none()
        } else {
            memchr::memchr2(b'\r', b'\0', raw.as_bytes()).is_none()
        };
        if clean && self.text.is_empty() {
            match self.pending {
                None => {
                    self.pending = Some((start, end));
                    return;
                }
                Some((from, to)) if to == start => {
                    self.pending = Some((from, end));
                    return;
                }
                Some(_) => {}
            }
        }
        if let Some((from, to)) = self.pending.take() {
            self.text.push_str(&html[from..to]);
        }
        push_decoded(&mut self.text, raw, decode, false);
    }

    fn flush_text(&mut self) {
        let range = self.pending.take();
        let pending: &str = match range {
            Some((from, to)) => &self.source[from..to],
            None => &self.text,
        };
        if pending.is_empty() || self.body.is_none() && pending.bytes().all(is_space) {
            self.text.clear();
            return;
        }
        self.ensure_body();
        let parent = self.current();
        match range {
            Some((from, to)) => {
                let shared = share(&self.source, from, to);
                append_shared(&mut self.tree, parent, shared);
            }
            None => append_text(&mut self.tree, parent, &self.text),
        }
        self.text.clear();
    }

    fn current(&self) -> NodeId {
        self.stack
            .last()
            .map(|o| o.id)
            .or(self.body)
            .unwrap_or(self.html)
    }

    fn top_is(&self, name: &LocalName) -> bool {
        self.stack.last().is_some_and(|o| o.name == *name)
    }

    fn ensure_head(&mut self) -> NodeId {
        match self.head {
            Some(id) => id,
            None => {
                let id = self.append_to(self.html, element(local_name!("head"), Vec::new()));
                self.head = Some(id);
                id
            }
        }
    }

    fn ensure_body(&mut self) {
        if self.body.is_none() {
            self.ensure_head();
            let id = self.append_to(self.html, element(local_name!("body"), Vec::new()));
            self.body = Some(id);
        }
    }

    fn append_to(&mut self, parent: NodeId, node: Node) -> NodeId {
        match self.tree.get_mut(parent) {
            Some(mut p) => p.append(node).id(),
            None => self.tree.root_mut().append(node).id(),
        }
    }

    /// Adds the attributes that `target` lacks (from a second `<body>` or `<html>`).
    fn merge_attrs(&mut self, target: NodeId, attrs: Vec<Attribute>) {
        if let Some(mut node) = self.tree.get_mut(target) {
            if let Node::Element(el) = node.value() {
                let mut merged: Vec<Attribute> = el
                    .attrs
                    .iter()
                    .map(|(name, value)| Attribute {
                        name: name.clone(),
                        value: value.clone(),
                    })
                    .collect();
                let before = merged.len();
                for a in attrs {
                    if !merged.iter().any(|m| m.name == a.name) {
                        merged.push(a);
                    }
                }
                if merged.len() > before {
                    *el = Element::new(el.name.clone(), merged);
                }
            }
        }
    }

    /// Index in the stack of the innermost open element that is `wanted`, searching no
    /// further than an element of a kind in `bounds`.
    fn find_in_scope(&self, wanted: impl Fn(&Open) -> bool, bounds: u16) -> Option<usize> {
        for (i, open) in self.stack.iter().enumerate().rev() {
            if wanted(open) {
                return Some(i);
            }
            if open.kind & bounds != 0 {
                return None;
            }
        }
        None
    }

    fn in_scope(&self, name: &LocalName, bounds: u16) -> Option<usize> {
        self.find_in_scope(|o| o.name == *name, bounds)
    }

    /// Closes the element at `index` and everything opened inside it.
    fn pop_to(&mut self, index: usize) {
        let mut index = index;
        loop {
            for open in self.stack.drain(index..) {
                if open.kind & FOREIGN != 0 {
                    self.foreign = self.foreign.saturating_sub(1);
                }
            }
            // Formatting elements whose end tag came early close with what they held.
            match self.stack.last() {
                Some(open) if open.ended => index = self.stack.len() - 1,
                _ => break,
            }
        }
    }

    fn pop_top(&mut self) {
        if !self.stack.is_empty() {
            self.pop_to(self.stack.len() - 1);
        }
    }

    fn close_p(&mut self) {
        if let Some(i) = self.in_scope(&local_name!("p"), SCOPE | BUTTON) {
            self.pop_to(i);
        }
    }

    fn insert(&mut self, tag: Tag, push: bool) -> Result<NodeId, usize> {
        let id = self.append_to(self.current(), element(tag.name.clone(), tag.attrs));
        if push {
            if self.stack.len() >= MAX_DEPTH {
                return Err(MAX_DEPTH);
            }
            if tag.kind & FOREIGN != 0 {
                self.foreign += 1;
            }
            self.stack.push(Open {
                id,
                name: tag.name,
                kind: tag.kind,
                ended: false,
            });
        }
        Ok(id)
    }

    /// Handles a start tag read up to `end`; returns where reading goes on (past the raw text
    /// of a `<script>`, say).
    fn start_tag(&mut self, mut tag: Tag, html: &str, end: usize) -> Result<usize, usize> {
        self.flush_text();
        self.skip_newline = false;
        if self.foreign > 0 {
            let breaks = tag.kind & BREAKS_FOREIGN != 0
                || tag.name == local_name!("font")
                    && tag.attrs.iter().any(|a| {
                        matches!(
                            a.name.local,
                            local_name!("color") | local_name!("face") | local_name!("size")
                        )
                    });
            if !breaks {
                let push = !tag.self_closing;
                self.insert(tag, push)?;
                return Ok(end);
            }
            while self.foreign > 0 {
                match self.stack.iter().rposition(|o| o.kind & FOREIGN != 0) {
                    Some(i) => self.pop_to(i),
                    None => self.foreign = 0,
                }
            }
        }
        match tag.name {
            local_name!("html") => {
                self.merge_attrs(self.html, tag.attrs);
                return Ok(end);
            }
            local_name!("head") => {
                if self.body.is_none() {
                    let head = self.ensure_head();
                    self.merge_attrs(head, tag.attrs);
                }
                return Ok(end);
            }
            local_name!("body") => {
                match self.body {
                    Some(body) => self.merge_attrs(body, tag.attrs),
                    None => {
                        self.ensure_head();
                        let id = self.append_to(self.html, element(local_name!("body"), tag.attrs));
                        self.body = Some(id);
                    }
                }
                return Ok(end);
            }
            local_name!("frameset") | local_name!("frame") if self.body.is_none() => {
                return Ok(end)
            }
            local_name!("template") => {
                // Inert until a script clones it: nothing a reader sees.
                return Ok(template_end(html.as_bytes(), end));
            }
            _ => {}
        }
        if self.body.is_none() && tag.kind & HEAD_ELEMENT != 0 {
            let head = self.ensure_head();
            return Ok(self.raw_or_void(tag, head, html, end));
        }
        self.ensure_body();
        if raw_text(&tag.name).is_some() {
            if tag.name == local_name!("xmp") {
                self.close_p();
            }
            let parent = self.current();
            return Ok(self.raw_or_void(tag, parent, html, end));
        }
        if tag.kind & CLOSES_P != 0 {
            match tag.name {
                local_name!("li") => self.close_list_item(|n| *n == local_name!("li")),
                local_name!("dd") | local_name!("dt") => {
                    self.close_list_item(|n| matches!(*n, local_name!("dd") | local_name!("dt")))
                }
                _ => {}
            }
            self.close_p();
        }
        match tag.name {
            // A heading opened inside a heading ends it.
            _ if tag.kind & HEADING != 0
                && self.stack.last().is_some_and(|o| o.kind & HEADING != 0) =>
            {
                self.pop_top()
            }
            local_name!("pre") | local_name!("listing") | local_name!("textarea") => {
                self.skip_newline = true
            }
            local_name!("form") if self.stack.iter().any(|o| o.name == local_name!("form")) => {
                return Ok(end)
            }
            local_name!("a")
            | local_name!("nobr")
            | local_name!("button")
            | local_name!("select") => {
                if let Some(i) = self.in_scope(&tag.name, SCOPE) {
                    if tag.kind & FORMATTING != 0 {
                        self.close_formatting(i);
                    } else {
                        self.pop_to(i);
                    }
                }
            }
            local_name!("option") | local_name!("optgroup") => {
                if self.top_is(&local_name!("option")) {
                    self.pop_top();
                }
                if tag.name == local_name!("optgroup") && self.top_is(&local_name!("optgroup")) {
                    self.pop_top();
                }
            }
            local_name!("table") => {
                // A table opened straight inside a table's rows ends the first one.
                if self.stack.last().is_some_and(|o| {
                    matches!(
                        o.name,
                        local_name!("table")
                            | local_name!("tbody")
                            | local_name!("thead")
                            | local_name!("tfoot")
                            | local_name!("tr")
                    )
                }) {
                    if let Some(i) = self.in_scope(&local_name!("table"), TABLE_SCOPE) {
                        self.pop_to(i);
                    }
                }
            }
            local_name!("td")
            | local_name!("th")
            | local_name!("tr")
            | local_name!("tbody")
            | local_name!("thead")
            | local_name!("tfoot")
            | local_name!("caption")
            | local_name!("colgroup")
            | local_name!("col") => {
                let Some(table) = self.in_scope(&local_name!("table"), TABLE_SCOPE) else {
                    // Outside a table these tags mean nothing; their content stays.
                    return Ok(end);
                };
                let open = match tag.name {
                    local_name!("tr") => self.in_scope(&local_name!("tr"), TABLE_SCOPE),
                    local_name!("td") | local_name!("th") => self.find_in_scope(
                        |o| matches!(o.name, local_name!("td") | local_name!("th")),
                        TABLE_SCOPE,
                    ),
                    // A new section (or caption, columns) ends whatever the table had open.
                    _ => Some(table + 1).filter(|&i| i < self.stack.len()),
                };
                if let Some(i) = open {
                    self.pop_to(i);
                }
            }
            _ => {}
        }
        if tag.name == local_name!("image") {
            tag.name = local_name!("img");
            tag.kind = VOID | SPECIAL;
        }
        let plaintext = tag.name == local_name!("plaintext");
        let void = tag.kind & VOID != 0;
        self.insert(tag, !void)?;
        if plaintext {
            self.push_text(html, end, html.len(), false);
            return Ok(html.len());
        }
        Ok(end)
    }

    /// Inserts an element under `parent` that is void or holds raw text, reading that text;
    /// returns where reading goes on.
    fn raw_or_void(&mut self, tag: Tag, parent: NodeId, html: &str, end: usize) -> usize {
        let raw = raw_text(&tag.name);
        let name = tag.name.clone();
        let id = self.append_to(parent, element(tag.name, tag.attrs));
        let Some(decode) = raw else {
            return end;
        };
        let (content, next) = raw_end(html, end, &name);
        let mut start = end;
        let content = if name == local_name!("textarea") {
            let trimmed = content
                .strip_prefix("\r\n")
                .or_else(|| content.strip_prefix('\n'))
                .unwrap_or(content);
            start += content.len() - trimmed.len();
            trimmed
        } else {
            content
        };
        // Scripts and styles are often most of a page: in the tree as slices of it.
        if !decode && memchr::memchr2(b'\r', b'\0', content.as_bytes()).is_none() {
            if !content.is_empty() {
                let shared = share(&self.source, start, start + content.len());
                append_shared(&mut self.tree, id, shared);
            }
            return next;
        }
        let mut text = std::mem::take(&mut self.text);
        push_decoded(&mut text, content, decode, false);
        if !text.is_empty() {
            append_text(&mut self.tree, id, &text);
        }
        text.clear();
        self.text = text;
        next
    }

    /// Before a new `<li>` (or `<dd>`, `<dt>`): the open one ends, unless a block other than
    /// a `<div>`, `<p>` or `<address>` lies between.
    fn close_list_item(&mut self, is_item: impl Fn(&LocalName) -> bool) {
        for i in (0..self.stack.len()).rev() {
            let open = &self.stack[i];
            if is_item(&open.name) {
                self.pop_to(i);
                return;
            }
            if open.kind & SPECIAL != 0
                && !matches!(
                    open.name,
                    local_name!("address") | local_name!("div") | local_name!("p")
                )
            {
                return;
            }
        }
    }

    /// Ends the formatting element at `index`: at once when only inline elements were opened
    /// inside it, else when the block opened inside it ends.
    fn close_formatting(&mut self, index: usize) {
        if self.stack[index + 1..]
            .iter()
            .any(|o| o.kind & SPECIAL != 0)
        {
            self.stack[index].ended = true;
        } else {
            self.pop_to(index);
        }
    }

    fn end_tag(&mut self, tag: &Tag) {
        self.flush_text();
        self.skip_newline = false;
        let name = &tag.name;
        if self.foreign > 0 {
            // Foreign elements close by name, whatever their case.
            if let Some(i) = self
                .stack
                .iter()
                .rposition(|o| o.name.eq_ignore_ascii_case(name))
            {
                if self.stack[i..].iter().all(|o| o.kind & SPECIAL == 0) {
                    self.pop_to(i);
                    return;
                }
            }
        }
        let kind = tag.kind;
        let found = match *name {
            local_name!("html") | local_name!("body") | local_name!("head") => None,
            local_name!("br") => {
                if self.body.is_some() {
                    let id = self.current();
                    self.append_to(id, element(local_name!("br"), Vec::new()));
                }
                None
            }
            local_name!("p") => self.in_scope(name, SCOPE | BUTTON),
            local_name!("li") => self.in_scope(name, SCOPE | LIST),
            _ if kind & HEADING != 0 => self.find_in_scope(|o| o.kind & HEADING != 0, SCOPE),
            local_name!("table")
            | local_name!("tbody")
            | local_name!("thead")
            | local_name!("tfoot")
            | local_name!("tr")
            | local_name!("td")
            | local_name!("th")
            | local_name!("caption")
            | local_name!("colgroup") => self.in_scope(name, TABLE_SCOPE),
            _ if kind & FORMATTING != 0 => {
                if let Some(i) = self.in_scope(name, SCOPE) {
                    self.close_formatting(i);
                }
                None
            }
            _ if kind & SPECIAL != 0 => self.in_scope(name, SCOPE),
            // An ordinary end tag does not reach past a block.
            _ => self.find_in_scope(|o| o.name == *name, SPECIAL),
        };
        if let Some(i) = found {
            self.pop_to(i);
        }
    }
}

fn element(name: LocalName, attrs: Vec<Attribute>) -> Node {
    Node::Element(Element::new(QualName::new(None, ns!(html), name), attrs))
}

/// `source[from..to]` as a slice of the shared page, without copying it (short ones are
/// stored inline by the tendril anyway).
fn share(source: &StrTendril, from: usize, to: usize) -> StrTendril {
    match (u32::try_from(from), u32::try_from(to - from)) {
        (Ok(offset), Ok(len)) => source
            .try_subtendril(offset, len)
            .unwrap_or_else(|_| StrTendril::from_slice(&source[from..to])),
        _ => StrTendril::from_slice(&source[from..to]),
    }
}

/// Appends a shared stretch of text to `parent`, as `append_text` does.
fn append_shared(tree: &mut Tree<Node>, parent: NodeId, text: StrTendril) {
    let Some(mut p) = tree.get_mut(parent) else {
        return;
    };
    if let Some(mut last) = p.last_child() {
        if let Node::Text(t) = last.value() {
            t.text.push_tendril(&text);
            return;
        }
    }
    p.append(Node::Text(Text { text }));
}

/// Appends `text` to `parent`, joining it to a text node that ends the parent already.
fn append_text(tree: &mut Tree<Node>, parent: NodeId, text: &str) {
    let Some(mut p) = tree.get_mut(parent) else {
        return;
    };
    if let Some(mut last) = p.last_child() {
        if let Node::Text(t) = last.value() {
            t.text.push_slice(text);
            return;
        }
    }
    p.append(Node::Text(Text {
        text: StrTendril::from_slice(text),
    }));
}

/// Just past the next `byte` at or after `from`, or the end.
fn past_byte(bytes: &[u8], from: usize, byte: u8) -> usize {
    match bytes.get(from..) {
        Some(rest) => memchr(byte, rest).map_or(bytes.len(), |i| from + i + 1),
        None => bytes.len(),
    }
}

/// The raw text of a `name` element that starts at `from`, and where its end tag ends: the
/// first `</name` followed by a space, `/` or `>`, in any case.
///
/// In a script, `<!--` starts an escaped stretch in which a `<script>` opens a nested one
/// whose `</script>` does not end the outer script, as browsers read old pages that hid
/// scripts in comments.
fn raw_end<'a>(html: &'a str, from: usize, name: &str) -> (&'a str, usize) {
    let bytes = html.as_bytes();
    let script = name == "script";
    let names = |at: usize, word: &[u8]| {
        bytes
            .get(at..at + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
            && bytes
                .get(at + word.len())
                .is_none_or(|&b| is_space(b) || b == b'/' || b == b'>')
    };
    // 0: plain, 1: inside `<!--`, 2: inside a `<script>` within `<!--`.
    let mut escape = 0u8;
    let mut at = from;
    // `-` matters only inside `<!--`: outside it, only `<` is looked for.
    let next = |at: usize, escape: u8| {
        if escape == 0 {
            memchr(b'<', &bytes[at..])
        } else {
            memchr::memchr2(b'<', b'-', &bytes[at..])
        }
    };
    while let Some(i) = next(at, escape) {
        let start = at + i;
        at = start + 1;
        if bytes[start] == b'-' {
            if script && escape > 0 && bytes[start..].starts_with(b"-->") {
                escape = 0;
                at = start + 3;
            }
            continue;
        }
        if bytes.get(start + 1) == Some(&b'/') && names(start + 2, name.as_bytes()) {
            if escape == 2 {
                escape = 1;
                continue;
            }
            return (
                &html[from..start],
                past_byte(bytes, start + 2 + name.len(), b'>'),
            );
        }
        if script && escape == 0 && bytes[start..].starts_with(b"<!--") {
            escape = 1;
            at = start + 4;
        } else if script && escape == 1 && names(start + 1, b"script") {
            escape = 2;
        }
    }
    (&html[from..], html.len())
}

/// Where the `<template>` whose content starts at `from` ends, counting templates nested in
/// it.
fn template_end(bytes: &[u8], from: usize) -> usize {
    let mut depth = 1usize;
    let mut at = from;
    while let Some(i) = memchr::memmem::find(&bytes[at..], b"template") {
        let start = at + i;
        at = start + 8;
        let boundary = bytes
            .get(at)
            .is_none_or(|&b| is_space(b) || b == b'/' || b == b'>');
        if !boundary || start == 0 {
            continue;
        }
        if bytes[start - 1] == b'<' {
            depth += 1;
        } else if start >= 2 && &bytes[start - 2..start] == b"</" {
            depth -= 1;
            if depth == 0 {
                return past_byte(bytes, at, b'>');
            }
        }
    }
    bytes.len()
}

/// Reads a tag's name and (with `want_attrs`) attributes from `from`, just past `<` or `</`;
/// `None` when the page ends inside the tag, which then is no tag.
fn read_tag(
    html: &str,
    source: &StrTendril,
    names: &mut Names,
    from: usize,
    want_attrs: bool,
) -> Option<(Tag, usize)> {
    let bytes = html.as_bytes();
    let mut i = from;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name = names.atom(&html[from..i]);
    let kind = kind_of(&name);
    let mut attrs: Vec<Attribute> = Vec::new();
    let mut self_closing = false;
    loop {
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => {
                let tag = Tag {
                    name,
                    kind,
                    attrs,
                    self_closing,
                };
                return Some((tag, i + 1));
            }
            b'/' => {
                i += 1;
                self_closing = bytes.get(i) == Some(&b'>');
                continue;
            }
            _ => {}
        }
        self_closing = false;
        let start = i;
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let key = &html[start..i];
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let mut raw = "";
        let mut raw_at = i;
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            raw = match bytes.get(i)? {
                &q @ (b'"' | b'\'') => {
                    let len = memchr(q, &bytes[i + 1..])?;
                    raw_at = i + 1;
                    let raw = &html[i + 1..i + 1 + len];
                    i += len + 2;
                    raw
                }
                _ => {
                    raw_at = i;
                    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                        i += 1;
                    }
                    &html[raw_at..i]
                }
            };
        }
        if !want_attrs {
            continue;
        }
        let key = names.atom(key);
        // The first of two same-named attributes is the one a browser reads.
        if attrs.iter().any(|a| a.name.local == key) {
            continue;
        }
        let value = if memchr3(b'&', b'\r', b'\0', raw.as_bytes()).is_some() {
            let mut decoded = String::with_capacity(raw.len());
            push_decoded(&mut decoded, raw, true, true);
            StrTendril::from(decoded)
        } else {
            share(source, raw_at, raw_at + raw.len())
        };
        attrs.push(Attribute {
            name: QualName::new(None, ns!(), key),
            value,
        });
    }
}

/// Names of tags and attributes met on this page, as written, with their atoms: a page
/// repeats a few dozen names thousands of times, and making an atom hashes the name into the
/// shared table each time.
#[derive(Default)]
struct Names(FxHashMap<Box<str>, LocalName>);

/// Past this many distinct names, or names this long (a hostile page), names are not
/// remembered.
const MAX_NAMES: usize = 4096;
const MAX_NAME_LEN: usize = 64;

impl Names {
    /// The name as an atom, in lower case as HTML names are compared.
    fn atom(&mut self, name: &str) -> LocalName {
        if let Some(atom) = common_atom(name) {
            return atom;
        }
        if let Some(atom) = self.0.get(name) {
            return atom.clone();
        }
        let atom = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            LocalName::from(name.to_ascii_lowercase())
        } else {
            LocalName::from(name)
        };
        if self.0.len() < MAX_NAMES && name.len() <= MAX_NAME_LEN {
            self.0.insert(name.into(), atom.clone());
        }
        atom
    }
}

/// The names most tags and attributes have, without a lookup.
fn common_atom(name: &str) -> Option<LocalName> {
    Some(match name {
        "a" => local_name!("a"),
        "p" => local_name!("p"),
        "div" => local_name!("div"),
        "span" => local_name!("span"),
        "li" => local_name!("li"),
        "img" => local_name!("img"),
        "meta" => local_name!("meta"),
        "link" => local_name!("link"),
        "script" => local_name!("script"),
        "br" => local_name!("br"),
        "class" => local_name!("class"),
        "id" => local_name!("id"),
        "href" => local_name!("href"),
        "src" => local_name!("src"),
        "style" => local_name!("style"),
        "rel" => local_name!("rel"),
        "type" => local_name!("type"),
        "name" => local_name!("name"),
        "content" => local_name!("content"),
        "property" => local_name!("property"),
        "title" => local_name!("title"),
        "alt" => local_name!("alt"),
        "width" => local_name!("width"),
        "height" => local_name!("height"),
        "target" => local_name!("target"),
        "ul" => local_name!("ul"),
        "path" => local_name!("path"),
        "svg" => local_name!("svg"),
        "strong" => local_name!("strong"),
        "input" => local_name!("input"),
        "h4" => local_name!("h4"),
        "h3" => local_name!("h3"),
        "h2" => local_name!("h2"),
        "h1" => local_name!("h1"),
        "option" => local_name!("option"),
        "i" => local_name!("i"),
        "use" => local_name!("use"),
        "button" => local_name!("button"),
        "section" => local_name!("section"),
        "article" => local_name!("article"),
        "td" => local_name!("td"),
        "label" => local_name!("label"),
        "em" => local_name!("em"),
        "noscript" => local_name!("noscript"),
        "nav" => local_name!("nav"),
        "header" => local_name!("header"),
        "figure" => local_name!("figure"),
        "source" => local_name!("source"),
        "aside" => local_name!("aside"),
        "form" => local_name!("form"),
        "footer" => local_name!("footer"),
        "picture" => local_name!("picture"),
        "time" => local_name!("time"),
        "tr" => local_name!("tr"),
        "role" => local_name!("role"),
        "d" => local_name!("d"),
        "itemprop" => local_name!("itemprop"),
        "value" => local_name!("value"),
        "aria-label" => local_name!("aria-label"),
        "sizes" => local_name!("sizes"),
        "aria-hidden" => local_name!("aria-hidden"),
        "media" => local_name!("media"),
        "tabindex" => local_name!("tabindex"),
        "srcset" => local_name!("srcset"),
        "xmlns" => local_name!("xmlns"),
        "itemtype" => local_name!("itemtype"),
        "itemscope" => local_name!("itemscope"),
        "async" => local_name!("async"),
        "fill" => local_name!("fill"),
        _ => return None,
    })
}

/// Appends `raw` to `out` as a browser reads it: line ends as `\n`, NULs dropped, and with
/// `decode` character references resolved (in an attribute, `&copy=` stays as written).
fn push_decoded(out: &mut String, raw: &str, decode: bool, attribute: bool) {
    let bytes = raw.as_bytes();
    let amp = if decode { b'&' } else { b'\r' };
    let mut from = 0;
    while let Some(i) = memchr3(amp, b'\r', b'\0', &bytes[from..]) {
        let at = from + i;
        out.push_str(&raw[from..at]);
        from = at + 1;
        match bytes[at] {
            b'\r' => {
                out.push('\n');
                if bytes.get(from) == Some(&b'\n') {
                    from += 1;
                }
            }
            b'\0' => {}
            _ => {
                if let Some(used) = push_reference(out, &raw[from..], attribute) {
                    from += used;
                } else {
                    out.push('&');
                }
            }
        }
    }
    out.push_str(&raw[from..]);
}

/// Resolves the character reference that `rest` (the text after an `&`) starts with; returns
/// how many bytes it used, or `None` when it starts none.
fn push_reference(out: &mut String, rest: &str, attribute: bool) -> Option<usize> {
    let bytes = rest.as_bytes();
    if bytes.first() == Some(&b'#') {
        let hex = matches!(bytes.get(1), Some(b'x' | b'X'));
        let start = if hex { 2 } else { 1 };
        let mut value: u32 = 0;
        let mut i = start;
        while let Some(&b) = bytes.get(i) {
            let digit = match (hex, b) {
                (_, b'0'..=b'9') => u32::from(b - b'0'),
                (true, b'a'..=b'f') => u32::from(b - b'a' + 10),
                (true, b'A'..=b'F') => u32::from(b - b'A' + 10),
                _ => break,
            };
            value = value
                .saturating_mul(if hex { 16 } else { 10 })
                .saturating_add(digit);
            i += 1;
        }
        if i == start {
            return None;
        }
        if bytes.get(i) == Some(&b';') {
            i += 1;
        }
        let c = match value {
            0 => '\u{FFFD}',
            0x80..=0x9F => C1_REPLACEMENTS[(value - 0x80) as usize]
                .unwrap_or_else(|| char::from_u32(value).unwrap_or('\u{FFFD}')),
            v => char::from_u32(v).unwrap_or('\u{FFFD}'),
        };
        out.push(c);
        return Some(i);
    }
    let len = bytes
        .iter()
        .take(40)
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(bytes.len().min(40));
    if len == 0 {
        return None;
    }
    if bytes.get(len) == Some(&b';') {
        // The map also holds every prefix of a name, as (0, 0).
        if let Some(&(a, b)) = NAMED_ENTITIES.get(&rest[..=len]).filter(|v| v.0 != 0) {
            push_code_points(out, a, b);
            return Some(len + 1);
        }
    }
    // The legacy names a browser reads without their `;`: the longest one that fits.
    for n in (2..=len.min(6)).rev() {
        if let Some(&(a, b)) = NAMED_ENTITIES.get(&rest[..n]).filter(|v| v.0 != 0) {
            let next = bytes.get(n).copied();
            if attribute && next.is_some_and(|c| c == b'=' || c.is_ascii_alphanumeric()) {
                return None;
            }
            push_code_points(out, a, b);
            return Some(n);
        }
    }
    None
}

fn push_code_points(out: &mut String, a: u32, b: u32) {
    for cp in [a, b] {
        if let Some(c) = char::from_u32(cp).filter(|_| cp != 0) {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree as nested tags with text, to compare against what a browser builds.
    fn outline(html: &str) -> String {
        let doc = parse_page(html).expect("parses");
        let mut out = String::new();
        fn walk(node: ego_tree::NodeRef<'_, Node>, out: &mut String) {
            for child in node.children() {
                match child.value() {
                    Node::Element(el) => {
                        out.push('<');
                        out.push_str(el.name());
                        let mut attrs: Vec<_> = el.attrs().collect();
                        attrs.sort();
                        for (k, v) in attrs {
                            out.push_str(&format!(" {k}={v:?}"));
                        }
                        out.push('>');
                        walk(child, out);
                        out.push_str("</");
                        out.push_str(el.name());
                        out.push('>');
                    }
                    Node::Text(t) => out.push_str(t),
                    _ => {}
                }
            }
        }
        walk(doc.tree.root(), &mut out);
        out
    }

    fn check(html: &str, expected: &str) {
        assert_eq!(outline(html), expected, "for {html}");
    }

    #[test]
    fn head_and_body_are_split_as_a_browser_splits_them() {
        check(
            "<!DOCTYPE html><title>A &amp; B</title><meta charset=utf-8><p>Hi",
            "<html><head><title>A & B</title><meta charset=\"utf-8\"></meta></head><body><p>Hi</p></body></html>",
        );
        check(
            "<html lang=en><head><script>if (a < b) x = '</p>';</script></head>\n<body class=x>text</body></html><body id=y>",
            "<html lang=\"en\"><head><script>if (a < b) x = '</p>';</script></head><body class=\"x\" id=\"y\">text</body></html>",
        );
    }

    #[test]
    fn implied_ends_close_paragraphs_items_and_cells() {
        check(
            "<body><p>one<p>two<div>three</div><ul><li>a<li>b</ul><h2>T<h3>U</h3>",
            "<html><head></head><body><p>one</p><p>two</p><div>three</div><ul><li>a</li><li>b</li></ul><h2>T</h2><h3>U</h3></body></html>",
        );
        check(
            "<body><table><tr><td>a<td>b<tr><td>c</table>after",
            "<html><head></head><body><table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>after</body></html>",
        );
        check(
            "<body><ul><li>a<ul><li>b</ul><li>c</ul>",
            "<html><head></head><body><ul><li>a<ul><li>b</li></ul></li><li>c</li></ul></body></html>",
        );
    }

    #[test]
    fn stray_and_misnested_end_tags_keep_the_blocks() {
        check(
            "<body><div><span>a</div>b</span>c</p>d",
            "<html><head></head><body><div><span>a</span></div>bcd</body></html>",
        );
        // A link left open across a block closes when that block does.
        check(
            "<body><a href=/x><div>in</a>still</div>out",
            "<html><head></head><body><a href=\"/x\"><div>instill</div></a>out</body></html>",
        );
        check(
            "<body><p><b>bold</p>plain",
            "<html><head></head><body><p><b>bold</b></p>plain</body></html>",
        );
    }

    #[test]
    fn void_raw_and_foreign_elements() {
        check(
            "<body>a<br>b<img src=x.jpg alt='A &quot;B&quot;'/><div/>c</div><svg><path d=\"M0\"/><text>t</text></svg>d<textarea>\n&lt;x&gt;</textarea>",
            "<html><head></head><body>a<br></br>b<img alt=\"A \\\"B\\\"\" src=\"x.jpg\"></img><div>c</div><svg><path d=\"M0\"></path><text>t</text></svg>d<textarea><x></textarea></body></html>",
        );
        check(
            "<body><script><!-- document.write('<script src=a.js></script>'); --></script>x<script>a = '<!--';</script>y",
            "<html><head></head><body><script><!-- document.write('<script src=a.js></script>'); --></script>x<script>a = '<!--';</script>y</body></html>",
        );
        check(
            "<body><template><p>a<template>b</template>c</template>d",
            "<html><head></head><body>d</body></html>",
        );
        check(
            "<body><!-- a <p> comment --><template><p>inert</p></template><noscript><img src=a></noscript>x<pre>\nline</pre>",
            "<html><head></head><body><noscript><img src=a></noscript>x<pre>line</pre></body></html>",
        );
    }

    #[test]
    fn references_are_read_as_a_browser_reads_them() {
        check(
            "<body>&eacute;&#233;&#xE9;&#150;&notit; &amp &copy2026 AT&T &#0;\r\nx",
            "<html><head></head><body>\u{e9}\u{e9}\u{e9}\u{2013}\u{ac}it; & \u{a9}2026 AT&T \u{FFFD}\nx</body></html>",
        );
        check(
            "<body><a href='/?a=1&copy=2&amp;b=3&lt'>x</a>",
            "<html><head></head><body><a href=\"/?a=1&copy=2&b=3<\">x</a></body></html>",
        );
    }

    #[test]
    fn markup_soup_always_parses() {
        // A deterministic stand-in for the fuzz target: pieces of tags, references, comments
        // and raw text in random order, every one of which must give a tree.
        const PIECES: &[&str] = &[
            "<",
            ">",
            "</",
            "/>",
            "<!--",
            "-->",
            "<!",
            "<?",
            "&",
            "&amp",
            "&#x",
            ";",
            "\"",
            "'",
            "=",
            " ",
            "\n",
            "\r",
            "\0",
            "a",
            "p",
            "div",
            "table",
            "td",
            "tr",
            "li",
            "ul",
            "b",
            "svg",
            "math",
            "script",
            "style",
            "template",
            "textarea",
            "title",
            "plaintext",
            "select",
            "option",
            "form",
            "h1",
            "head",
            "body",
            "html",
            "é",
            "中",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..3000 {
            let len = (next() % 200) as usize;
            let doc: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let html = parse_page(&doc).unwrap_or_else(|e| panic!("{e}: {doc:?}"));
            assert!(html.tree.root().first_child().is_some(), "{doc:?}");
        }
    }

    #[test]
    fn broken_and_hostile_pages_end_cleanly() {
        check("", "<html><head></head><body></body></html>");
        check(
            "<body><p>cut <a href=\"/x",
            "<html><head></head><body><p>cut </p></body></html>",
        );
        check(
            "a < b <3 <",
            "<html><head></head><body>a < b <3 <</body></html>",
        );
        assert!(matches!(
            parse_page(&"<div>".repeat(MAX_DEPTH + 1)),
            Err(crate::Error::TooDeep(MAX_DEPTH))
        ));
        assert!(parse_page(&"<p>x".repeat(50_000)).is_ok());
    }
}
