//! RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 read the way Universal Feed Parser reads them: its
//! element handlers, context rules, text constructs (types, base64, inline XHTML), `xml:base`
//! and `xml:lang` scoping, ported from its Python (BSD-2-Clause, Kurt McKee and Mark
//! Pilgrim) so that a feed reads here as it reads in the most tolerant parser there is.
//!
//! The result keeps that parser's dictionary shape (`feed`, `entries`, `*_detail`, `links`),
//! which `parse_feed` turns into Parallax's types and `parallax eval feeds` checks against
//! feedparser's own expectations. Values are as the feed wrote them: sanitizing is the
//! caller's job, with Parallax's one sanitizer.

use serde_json::{Map, Value};
use std::borrow::Cow;
use std::rc::Rc;

pub(crate) mod json;
pub(crate) mod uris;

use parallax_text::markup::{self as tokens, Token, Tokens};
use uris::{make_safe_absolute_uri, resolve_relative_uris, urljoin};

/// A dictionary of the parse, as Universal Feed Parser builds it.
pub type Dict = Map<String, Value>;

/// A parsed document in Universal Feed Parser's shape.
#[derive(Debug, Clone, Default)]
pub struct Universal {
    pub feed: Dict,
    pub entries: Vec<Dict>,
    /// `rss090`, `rss091n`, `rss091u`, `rss092`, `rss093`, `rss094`, `rss20`, `rss10`,
    /// `rss` (a version no specification defines), `atom01`…`atom03`, `atom10`, `atom`,
    /// `json1`, `json11`; empty when the document is no feed.
    pub version: String,
    /// Why the document is not well formed, if it is not.
    pub bozo: Option<String>,
    /// Namespace prefixes in use, by their canonical name.
    pub namespaces: Dict,
    /// The root element's name, lower case, namespace prefix canonical.
    pub root: String,
}

/// Namespace URIs (lower case) and the prefix each is known by, whatever the feed calls it.
const NAMESPACES: &[(&str, &str)] = &[
    ("", ""),
    ("http://backend.userland.com/rss", ""),
    ("http://blogs.law.harvard.edu/tech/rss", ""),
    ("http://purl.org/rss/1.0/", ""),
    ("http://my.netscape.com/rdf/simple/0.9/", ""),
    ("http://example.com/newformat#", ""),
    ("http://example.com/necho", ""),
    ("http://purl.org/echo/", ""),
    ("uri/of/echo/namespace#", ""),
    ("http://purl.org/pie/", ""),
    ("http://purl.org/atom/ns#", ""),
    ("http://www.w3.org/2005/atom", ""),
    ("http://purl.org/rss/1.0/modules/rss091#", ""),
    ("http://webns.net/mvcb/", "admin"),
    ("http://purl.org/rss/1.0/modules/aggregation/", "ag"),
    ("http://purl.org/rss/1.0/modules/annotate/", "annotate"),
    ("http://media.tangent.org/rss/1.0/", "audio"),
    (
        "http://backend.userland.com/blogchannelmodule",
        "blogChannel",
    ),
    ("http://creativecommons.org/ns#license", "cc"),
    ("http://web.resource.org/cc/", "cc"),
    (
        "http://cyber.law.harvard.edu/rss/creativecommonsrssmodule.html",
        "creativeCommons",
    ),
    (
        "http://backend.userland.com/creativecommonsrssmodule",
        "creativeCommons",
    ),
    ("http://purl.org/rss/1.0/modules/company", "co"),
    ("http://purl.org/rss/1.0/modules/content/", "content"),
    ("http://my.theinfo.org/changed/1.0/rss/", "cp"),
    ("http://purl.org/dc/elements/1.1/", "dc"),
    ("http://purl.org/dc/terms/", "dcterms"),
    ("http://purl.org/rss/1.0/modules/email/", "email"),
    ("http://purl.org/rss/1.0/modules/event/", "ev"),
    ("http://rssnamespace.org/feedburner/ext/1.0", "feedburner"),
    ("http://freshmeat.net/rss/fm/", "fm"),
    ("http://xmlns.com/foaf/0.1/", "foaf"),
    ("http://www.w3.org/2003/01/geo/wgs84_pos#", "geo"),
    ("http://www.georss.org/georss", "georss"),
    ("http://www.opengis.net/gml", "gml"),
    ("http://postneo.com/icbm/", "icbm"),
    ("http://purl.org/rss/1.0/modules/image/", "image"),
    ("http://www.itunes.com/dtds/podcast-1.0.dtd", "itunes"),
    ("http://example.com/dtds/podcast-1.0.dtd", "itunes"),
    ("http://purl.org/rss/1.0/modules/link/", "l"),
    ("http://search.yahoo.com/mrss", "media"),
    ("http://search.yahoo.com/mrss/", "media"),
    (
        "http://madskills.com/public/xml/rss/module/pingback/",
        "pingback",
    ),
    ("http://prismstandard.org/namespaces/1.2/basic/", "prism"),
    ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf"),
    ("http://www.w3.org/2000/01/rdf-schema#", "rdfs"),
    ("http://purl.org/rss/1.0/modules/reference/", "ref"),
    ("http://purl.org/rss/1.0/modules/richequiv/", "reqv"),
    ("http://purl.org/rss/1.0/modules/search/", "search"),
    ("http://purl.org/rss/1.0/modules/slash/", "slash"),
    ("http://schemas.xmlsoap.org/soap/envelope/", "soap"),
    ("http://purl.org/rss/1.0/modules/servicestatus/", "ss"),
    ("http://hacks.benhammersley.com/rss/streaming/", "str"),
    ("http://purl.org/rss/1.0/modules/subscription/", "sub"),
    ("http://purl.org/rss/1.0/modules/syndication/", "sy"),
    ("http://schemas.pocketsoap.com/rss/mydescmodule/", "szf"),
    ("http://purl.org/rss/1.0/modules/taxonomy/", "taxo"),
    ("http://purl.org/rss/1.0/modules/threading/", "thr"),
    ("http://purl.org/rss/1.0/modules/textinput/", "ti"),
    (
        "http://madskills.com/public/xml/rss/module/trackback/",
        "trackback",
    ),
    ("http://wellformedweb.org/commentapi/", "wfw"),
    ("http://purl.org/rss/1.0/modules/wiki/", "wiki"),
    ("http://www.w3.org/1999/xhtml", "xhtml"),
    ("http://www.w3.org/1999/xlink", "xlink"),
    ("http://www.w3.org/xml/1998/namespace", "xml"),
    ("http://podlove.org/simple-chapters", "psc"),
];

const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

fn known_prefix(lower_uri: &str) -> Option<&'static str> {
    NAMESPACES
        .iter()
        .find(|(uri, _)| *uri == lower_uri)
        .map(|(_, p)| *p)
}

const CAN_BE_RELATIVE_URI: &[&str] = &[
    "comments",
    "docs",
    "href",
    "icon",
    "id",
    "link",
    "logo",
    "url",
    "wfw_comment",
    "wfw_commentrss",
];

/// Elements that hold text constructs: possibly HTML, with relative links and danger.
const TEXT_CONSTRUCTS: &[&str] = &[
    "content",
    "copyright",
    "description",
    "info",
    "rights",
    "subtitle",
    "summary",
    "tagline",
    "title",
];

const HTML_TYPES: &[&str] = &["application/xhtml+xml", "text/html"];

/// Universal Feed Parser's dictionary aliases: what a key is stored under.
fn canonical_key(key: &str) -> &str {
    match key {
        "channel" => "feed",
        "items" => "entries",
        "guid" => "id",
        "date" | "modified" => "updated",
        "date_parsed" | "modified_parsed" => "updated_parsed",
        "description" => "summary",
        "description_detail" => "summary_detail",
        "url" => "href",
        "issued" => "published",
        "issued_parsed" => "published_parsed",
        "copyright" => "rights",
        "copyright_detail" => "rights_detail",
        "tagline" => "subtitle",
        "tagline_detail" => "subtitle_detail",
        other => other,
    }
}

fn set(d: &mut Dict, key: &str, value: Value) {
    d.insert(canonical_key(key).to_string(), value);
}

fn setdefault(d: &mut Dict, key: &str, value: Value) {
    let key = canonical_key(key);
    if !d.contains_key(key) {
        d.insert(key.to_string(), value);
    }
}

/// The object under `key`, made one if it is missing or something else.
fn object_at<'a>(d: &'a mut Dict, key: &str) -> &'a mut Dict {
    let v = d
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Dict::new()));
    if !v.is_object() {
        *v = Value::Object(Dict::new());
    }
    match v {
        Value::Object(m) => m,
        _ => unreachable!("made an object above"),
    }
}

/// The list under `key`, made one if it is missing or something else.
fn list_at<'a>(d: &'a mut Dict, key: &str) -> &'a mut Vec<Value> {
    let v = d
        .entry(key.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if !v.is_array() {
        *v = Value::Array(Vec::new());
    }
    match v {
        Value::Array(a) => a,
        _ => unreachable!("made a list above"),
    }
}

fn last_object(list: &mut [Value]) -> Option<&mut Dict> {
    list.last_mut().and_then(Value::as_object_mut)
}

fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

fn opt_text(s: Option<&str>) -> Value {
    s.map(text).unwrap_or(Value::Null)
}

/// Element attributes, names lower case, in document order.
#[derive(Debug, Default, Clone)]
struct Attrs(Vec<(String, String)>);

impl Attrs {
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn set(&mut self, key: &str, value: String) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key.to_string(), value)),
        }
    }

    fn setdefault(&mut self, key: &str, value: &str) {
        if self.get(key).is_none() {
            self.0.push((key.to_string(), value.to_string()));
        }
    }

    fn remove(&mut self, key: &str) {
        self.0.retain(|(k, _)| k != key);
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn to_dict(&self) -> Dict {
        self.0.iter().map(|(k, v)| (k.clone(), text(v))).collect()
    }

    /// `url` or `uri` renamed `href`, as links of every format are read.
    fn enforce_href(&mut self) {
        let href = self
            .get("url")
            .or_else(|| self.get("uri"))
            .or_else(|| self.get("href"))
            .map(str::to_string);
        if let Some(href) = href.filter(|h| !h.is_empty()) {
            self.remove("url");
            self.remove("uri");
            self.set("href", href);
        }
    }
}

/// The type, language and base of the text construct being read.
#[derive(Debug, Clone, Default)]
struct ContentParams {
    kind: Option<Cow<'static, str>>,
    language: Option<String>,
    base: String,
    base64: bool,
    src: Option<String>,
}

impl ContentParams {
    fn kind_or<'a>(&'a self, default: &'a str) -> &'a str {
        self.kind.as_deref().unwrap_or(default)
    }

    fn detail(&self, value: &str) -> Value {
        let mut d = Dict::new();
        d.insert("type".into(), opt_text(self.kind.as_deref()));
        d.insert("language".into(), opt_text(self.language.as_deref()));
        d.insert("base".into(), text(&self.base));
        if let Some(src) = &self.src {
            d.insert("src".into(), text(src));
        }
        d.insert("value".into(), text(value));
        Value::Object(d)
    }
}

fn map_content_type(kind: &str) -> Cow<'static, str> {
    const NAMED: [(&str, &str); 6] = [
        ("text", "text/plain"),
        ("plain", "text/plain"),
        ("text/plain", "text/plain"),
        ("html", "text/html"),
        ("text/html", "text/html"),
        ("xhtml", "application/xhtml+xml"),
    ];
    match NAMED.iter().find(|(k, _)| k.eq_ignore_ascii_case(kind)) {
        Some((_, mime)) => Cow::Borrowed(mime),
        None => Cow::Owned(kind.to_lowercase()),
    }
}

struct Frame {
    element: Cow<'static, str>,
    expecting_text: bool,
    /// The text collected, and where each piece of it began (the envelope `<div>` of
    /// inline XHTML is recognised by its pieces).
    text: String,
    marks: Vec<usize>,
}

impl Frame {
    fn push_piece(&mut self, piece: &str) {
        self.marks.push(self.text.len());
        self.text.push_str(piece);
    }

    fn set_text(&mut self, value: &str) {
        self.text.clear();
        self.marks.clear();
        self.push_piece(value);
    }

    fn pieces(&self) -> Vec<&str> {
        let mut out = Vec::with_capacity(self.marks.len());
        for (i, &start) in self.marks.iter().enumerate() {
            let end = self.marks.get(i + 1).copied().unwrap_or(self.text.len());
            out.push(&self.text[start..end]);
        }
        out
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Context {
    Source,
    Image,
    TextInput,
    Entry,
    Feed,
}

/// The reader's state: Universal Feed Parser's `_FeedParserMixin`.
struct Reader {
    feed: Dict,
    entries: Vec<Dict>,
    /// Depth at which each entry's properties were set, so a nested element does not
    /// override its parent's.
    entry_depths: Vec<Vec<(Cow<'static, str>, usize)>>,
    version: String,
    namespaces_in_use: Dict,
    /// Prefixes as the document writes them -> canonical prefixes.
    namespace_map: std::collections::HashMap<String, String>,
    infeed: bool,
    inentry: bool,
    incontent: i32,
    intextinput: bool,
    inimage: bool,
    inauthor: bool,
    incontributor: bool,
    inpublisher: bool,
    insource: bool,
    source: Dict,
    params: ContentParams,
    summary_key: Option<&'static str>,
    stack: Vec<Frame>,
    base_stack: Vec<Rc<str>>,
    lang_stack: Vec<Option<Rc<str>>>,
    base: Rc<str>,
    lang: Option<Rc<str>>,
    svg_ok: i32,
    title_depth: Option<usize>,
    depth: usize,
    has_content: bool,
    guid_is_link: bool,
    entities: Vec<(String, String)>,
    /// Bytes declared entities may still expand to: a few references to one long value
    /// would otherwise multiply a small document (the "quadratic blowup").
    entity_budget: usize,
    bozo: Option<String>,
    /// Reading `<x/>`: inline XHTML writes it back as one tag.
    in_empty_element: bool,
    in_rdf: bool,
    resolve_html_links: bool,
}

impl Reader {
    fn new(base: &str, lang: Option<&str>) -> Self {
        let mut feed = Dict::new();
        if let Some(lang) = lang.filter(|l| !l.is_empty()) {
            feed.insert("language".into(), text(&lang.replace('_', "-")));
        }
        Reader {
            feed,
            entries: Vec::new(),
            entry_depths: Vec::new(),
            version: String::new(),
            namespaces_in_use: Dict::new(),
            namespace_map: Default::default(),
            infeed: false,
            inentry: false,
            incontent: 0,
            intextinput: false,
            inimage: false,
            inauthor: false,
            incontributor: false,
            inpublisher: false,
            insource: false,
            source: Dict::new(),
            params: ContentParams::default(),
            summary_key: None,
            stack: Vec::new(),
            base_stack: Vec::new(),
            lang_stack: Vec::new(),
            base: base.into(),
            lang: lang.filter(|l| !l.is_empty()).map(Into::into),
            svg_ok: 0,
            title_depth: None,
            depth: 0,
            has_content: false,
            guid_is_link: false,
            entities: Vec::new(),
            entity_budget: 0,
            bozo: None,
            in_empty_element: false,
            in_rdf: false,
            resolve_html_links: true,
        }
    }

    fn flag(&mut self, why: impl FnOnce() -> String) {
        if self.bozo.is_none() {
            self.bozo = Some(why());
        }
    }

    fn context_kind(&self) -> Context {
        if self.insource {
            Context::Source
        } else if self.inimage && self.feed.get("image").is_some_and(Value::is_object) {
            Context::Image
        } else if self.intextinput {
            Context::TextInput
        } else if self.inentry && !self.entries.is_empty() {
            Context::Entry
        } else {
            Context::Feed
        }
    }

    fn context(&mut self) -> &mut Dict {
        match self.context_kind() {
            Context::Source => &mut self.source,
            Context::Image => object_at(&mut self.feed, "image"),
            Context::TextInput => object_at(&mut self.feed, "textinput"),
            Context::Entry => match self.entries.last_mut() {
                Some(e) => e,
                None => &mut self.feed,
            },
            Context::Feed => &mut self.feed,
        }
    }

    // ---- the tokenizer's events, as a namespace-aware SAX parser would report them ----

    fn track_namespace(&mut self, prefix: Option<&str>, uri: &str) {
        let mut lower = uri.to_lowercase();
        if self.version.is_empty() {
            if prefix.is_none() && lower == "http://my.netscape.com/rdf/simple/0.9/" {
                self.version = "rss090".into();
            } else if lower == "http://purl.org/rss/1.0/" {
                self.version = "rss10".into();
            } else if lower == "http://www.w3.org/2005/atom" {
                self.version = "atom10".into();
            }
        }
        let mut uri = uri.to_string();
        if lower.contains("backend.userland.com/rss") {
            uri = "http://backend.userland.com/rss".into();
            lower = uri.clone();
        }
        match known_prefix(&lower) {
            Some(canonical) => {
                // The default namespace is filed under no prefix, which no lookup uses.
                if let Some(p) = prefix {
                    self.namespace_map
                        .insert(p.to_string(), canonical.to_string());
                }
                self.namespaces_in_use.insert(canonical.into(), text(&uri));
            }
            None => {
                self.namespaces_in_use
                    .insert(prefix.unwrap_or("").to_string(), text(&uri));
            }
        }
    }

    fn handle_data(&mut self, data: &str, escape: bool) {
        let xhtml = self.params.kind.as_deref() == Some("application/xhtml+xml");
        let Some(top) = self.stack.last_mut() else {
            return;
        };
        if escape && xhtml {
            top.push_piece(&html_escape::encode_text(data));
        } else {
            top.push_piece(data);
        }
    }

    fn reference(&mut self, name: &str) {
        if let Some(c) = char_reference(name) {
            let mut buf = [0u8; 4];
            self.handle_data(c.encode_utf8(&mut buf), true);
            return;
        }
        if let Some(c) = predefined_entity(name) {
            let mut buf = [0u8; 4];
            self.handle_data(c.encode_utf8(&mut buf), true);
            return;
        }
        let declared = self
            .entities
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| decode_references(v));
        if let Some(r) = declared {
            if r.len() > self.entity_budget {
                self.flag(|| format!("declared entities expand beyond {ENTITY_EXPANSION} bytes"));
                self.handle_data(&format!("&{name};"), false);
                return;
            }
            self.entity_budget -= r.len();
            self.handle_data(&r, true);
            return;
        }
        // An entity XML does not define: a strict parser stops here; what a reader sees is
        // the HTML character it names.
        self.flag(|| format!("undefined entity &{name};"));
        let entity = format!("&{name};");
        let decoded = html_entity(&entity);
        if decoded == entity {
            self.handle_data(&entity, false);
        } else {
            self.handle_data(&decoded, true);
        }
    }

    // ---- Universal Feed Parser's unknown_starttag / unknown_endtag ----

    fn unknown_starttag(&mut self, tag: &str, mut attrs: Attrs) {
        self.depth += 1;
        for (k, v) in &mut attrs.0 {
            if k == "rel" || k == "type" {
                *v = v.to_lowercase();
            }
        }
        let declared = attrs
            .get("xml:base")
            .or_else(|| attrs.get("base"))
            .filter(|b| !b.is_empty());
        // Without a base of its own, an element keeps its parent's.
        if let Some(declared) = declared {
            if !self.base.is_empty() {
                let joined = make_safe_absolute_uri(&self.base, declared);
                if !joined.is_empty() {
                    self.base = joined.into();
                }
            } else {
                self.base = urljoin(&self.base, declared).into();
            }
        }
        let lang = match attrs.get("xml:lang").or_else(|| attrs.get("lang")) {
            Some("") => None,
            Some(l) => Some(Rc::from(l)),
            None => self.lang.clone(),
        };
        if let Some(l) = &lang {
            if tag == "feed" || tag == "rss" || tag == "rdf:RDF" {
                self.feed
                    .insert("language".into(), text(&l.replace('_', "-")));
            }
        }
        self.lang = lang.clone();
        self.base_stack.push(self.base.clone());
        self.lang_stack.push(lang);

        if self.incontent > 0 && !self.params.kind_or("xml").ends_with("xml") {
            if tag == "xhtml:div" || tag == "div" {
                return;
            }
            self.params.kind = Some("application/xhtml+xml".into());
        }
        if self.incontent > 0 && self.params.kind.as_deref() == Some("application/xhtml+xml") {
            let local = tag.split_once(':').map_or(tag, |(_, l)| l);
            if local == "svg" {
                self.svg_ok += 1;
            }
            let close = if self.in_empty_element { " />" } else { ">" };
            let serialized = format!("<{local}{}{close}", strattrs(&attrs));
            self.handle_data(&serialized, false);
            return;
        }

        let (prefix, suffix) = split_tag(tag);
        let prefix = self
            .namespace_map
            .get(prefix)
            .map_or(prefix, String::as_str);
        if prefix.is_empty() && !matches!(suffix, "title" | "link" | "description" | "name") {
            self.intextinput = false;
        }
        if prefix.is_empty()
            && !matches!(
                suffix,
                "title" | "link" | "description" | "url" | "href" | "width" | "height"
            )
        {
            self.inimage = false;
        }
        let name: Cow<'_, str> = if prefix.is_empty() {
            suffix.into()
        } else {
            format!("{prefix}_{suffix}").into()
        };
        if !self.start(&name, &mut attrs) {
            if attrs.is_empty() {
                self.push(name.into_owned(), true);
            } else {
                let d = attrs.to_dict();
                set(self.context(), &name, Value::Object(d));
            }
        }
    }

    fn unknown_endtag(&mut self, tag: &str) {
        let (prefix, suffix) = split_tag(tag);
        let prefix = self
            .namespace_map
            .get(prefix)
            .map_or(prefix, String::as_str);
        if suffix == "svg" && self.svg_ok > 0 {
            self.svg_ok -= 1;
        }
        let name: Cow<'_, str> = if prefix.is_empty() {
            suffix.into()
        } else {
            format!("{prefix}_{suffix}").into()
        };
        if self.svg_ok > 0 || !self.end(&name) {
            self.pop(&name);
        }
        if self.incontent > 0 && !self.params.kind_or("xml").ends_with("xml") {
            if tag == "xhtml:div" || tag == "div" {
                return;
            }
            self.params.kind = Some("application/xhtml+xml".into());
        }
        if self.incontent > 0
            && self.params.kind.as_deref() == Some("application/xhtml+xml")
            && !self.in_empty_element
        {
            let local = tag.rsplit(':').next().unwrap_or(tag);
            self.handle_data(&format!("</{local}>"), false);
        }
        if self.base_stack.pop().is_some() {
            if let Some(b) = self.base_stack.last().filter(|b| !b.is_empty()) {
                self.base = b.clone();
            }
        }
        if self.lang_stack.pop().is_some() {
            if let Some(l) = self.lang_stack.last() {
                self.lang = l.clone();
            }
        }
        self.depth = self.depth.saturating_sub(1);
    }

    // ---- the element stack ----

    fn push(&mut self, element: impl Into<Cow<'static, str>>, expecting_text: bool) {
        self.stack.push(Frame {
            element: element.into(),
            expecting_text,
            text: String::new(),
            marks: Vec::new(),
        });
    }

    fn pop(&mut self, element: &str) -> Option<String> {
        self.pop_with(element, true)
    }

    fn pop_with(&mut self, element: &str, strip: bool) -> Option<String> {
        if self.stack.last()?.element != element {
            return None;
        }
        let frame = self.stack.pop()?;
        let mut output =
            if self.version == "atom10" && self.params.kind_or("text") == "application/xhtml+xml" {
                let mut pieces = frame.pieces();
                // The `<div>` that wraps inline XHTML is the envelope, not the content.
                while pieces.len() > 1 && pieces.last().is_some_and(|p| p.trim().is_empty()) {
                    pieces.pop();
                }
                while pieces.len() > 1 && pieces.first().is_some_and(|p| p.trim().is_empty()) {
                    pieces.remove(0);
                }
                let wrapped = pieces
                    .first()
                    .is_some_and(|p| *p == "<div>" || p.starts_with("<div "))
                    && pieces.last().is_some_and(|p| *p == "</div>");
                if wrapped && pieces.len() >= 2 {
                    let mut depth = 0i32;
                    let mut closes_early = false;
                    for piece in &pieces[..pieces.len() - 1] {
                        if piece.starts_with("</") {
                            depth -= 1;
                            if depth == 0 {
                                closes_early = true;
                                break;
                            }
                        } else if piece.starts_with('<') && !piece.ends_with("/>") {
                            depth += 1;
                        }
                    }
                    if !closes_early {
                        pieces.pop();
                        pieces.remove(0);
                    }
                }
                pieces.concat()
            } else {
                frame.text
            };
        let Frame {
            element,
            expecting_text,
            ..
        } = frame;
        if strip && output.trim().len() != output.len() {
            output = output.trim().to_string();
        }
        if !expecting_text {
            return Some(output);
        }
        if self.params.base64 {
            use base64::Engine as _;
            let compact: String = output.split_whitespace().collect();
            if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(compact) {
                if let Ok(s) = String::from_utf8(bytes) {
                    output = s;
                }
            }
        }
        if CAN_BE_RELATIVE_URI.contains(&element.as_ref())
            && !output.is_empty()
            && (element != "id" || self.guid_is_link)
        {
            output = urljoin(&self.base, &output);
        }
        if !self.version.starts_with("atom")
            && self.params.kind.as_deref() == Some("text/plain")
            && looks_like_html(&output)
        {
            self.params.kind = Some("text/html".into());
        }
        self.params.base64 = false;
        let kind = map_content_type(self.params.kind_or("text/html"));
        if self.resolve_html_links
            && HTML_TYPES.contains(&kind.as_ref())
            && TEXT_CONSTRUCTS.contains(&element.as_ref())
        {
            output = resolve_relative_uris(&output, &self.base);
        }
        output = undo_double_encoding(output);
        output = translate_cp1252(output);

        if matches!(element.as_ref(), "category" | "tags" | "itunes_keywords") {
            return Some(output);
        }
        if element == "title" && self.title_depth.is_some_and(|d| d <= self.depth) {
            return Some(output);
        }
        if self.inentry && !self.insource && !self.entries.is_empty() {
            let inimage = self.inimage;
            let incontent = self.incontent > 0;
            let depth = self.depth;
            let detail = incontent.then(|| self.params.detail(&output));
            let index = self.entries.len() - 1;
            let entry = &mut self.entries[index];
            if element == "content" {
                if let Some(detail) = detail {
                    list_at(entry, "content").push(detail);
                }
            } else if element == "link" {
                // An alternate link outranks any other written as text.
                let rel = last_object(list_at(entry, "links"))
                    .and_then(|l| l.get("rel"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                let outranked = entry.contains_key("link") && rel.as_deref() != Some("alternate");
                if !inimage && !outranked {
                    let link = unescape_link(&output.replace("&amp;", "&"));
                    entry.insert("link".into(), text(&link));
                    if !link.is_empty() {
                        if let Some(last) = last_object(list_at(entry, "links")) {
                            last.insert("href".into(), text(&link));
                        }
                    }
                }
            } else {
                let key: Cow<'static, str> = if element == "description" {
                    Cow::Borrowed("summary")
                } else {
                    element.clone()
                };
                let depths = &mut self.entry_depths[index];
                let slot = depths.iter_mut().find(|(k, _)| *k == key);
                let fresh = match slot {
                    Some((_, old)) if depth <= *old => {
                        *old = depth;
                        true
                    }
                    Some(_) => false,
                    None => {
                        depths.push((key.clone(), depth));
                        true
                    }
                };
                let key = key.as_ref();
                if fresh {
                    set(entry, key, text(&output));
                }
                if let Some(detail) = detail {
                    set(entry, &format!("{key}_detail"), detail);
                }
            }
        } else if self.infeed || self.insource {
            let incontent = self.incontent > 0;
            let detail = incontent.then(|| self.params.detail(&output));
            let key = if element == "description" {
                "subtitle"
            } else {
                element.as_ref()
            };
            let context = self.context();
            set(context, key, text(&output));
            if key == "link" {
                let link = unescape_link(&output);
                context.insert("link".into(), text(&link));
                if let Some(last) = last_object(list_at(context, "links")) {
                    last.insert("href".into(), text(&link));
                }
            } else if let Some(detail) = detail {
                set(context, &format!("{key}_detail"), detail);
            }
        }
        Some(output)
    }

    fn push_content(
        &mut self,
        tag: &'static str,
        attrs: &Attrs,
        default_type: &str,
        expecting: bool,
    ) {
        self.incontent += 1;
        if let Some(l) = self.lang.as_ref().filter(|l| l.contains('_')) {
            self.lang = Some(l.replace('_', "-").into());
        }
        let kind = map_content_type(attrs.get("type").unwrap_or(default_type));
        let base64 = attrs.get("mode") == Some("base64")
            || !(kind.starts_with("text/") || kind.ends_with("+xml") || kind.ends_with("/xml"));
        self.params = ContentParams {
            kind: Some(kind),
            language: self.lang.as_deref().map(str::to_string),
            base: self.base.to_string(),
            base64,
            src: None,
        };
        self.push(tag, expecting);
    }

    fn pop_content(&mut self, tag: &str) -> Option<String> {
        let value = self.pop(tag);
        self.incontent -= 1;
        self.params = ContentParams::default();
        value
    }

    // ---- saving into the current context ----

    fn save(&mut self, key: &str, value: Value, overwrite: bool) {
        let context = self.context();
        if overwrite {
            set(context, key, value);
        } else {
            setdefault(context, key, value);
        }
    }

    fn save_date(&mut self, key: &str, raw: Option<&str>) {
        let parsed = raw
            .and_then(crate::parse_feed_date)
            .map(|d| Value::String(d.to_rfc3339()))
            .unwrap_or(Value::Null);
        self.save(key, parsed, true);
    }

    fn save_author(&mut self, key: &str, value: Option<String>, prefix: &str) {
        let value = value.map(Value::String).unwrap_or(Value::Null);
        let context = self.context();
        object_at(context, &format!("{prefix}_detail")).insert(key.into(), value.clone());
        self.sync_author_detail("author");
        let context = self.context();
        let authors = list_at(context, "authors");
        if authors.is_empty() {
            authors.push(Value::Object(Dict::new()));
        }
        if let Some(last) = last_object(authors) {
            last.insert(key.into(), value);
        }
    }

    fn save_contributor(&mut self, key: &str, value: Option<String>) {
        let context = self.context();
        let list = list_at(context, "contributors");
        if list.is_empty() {
            list.push(Value::Object(Dict::new()));
        }
        if let Some(last) = last_object(list) {
            last.insert(key.into(), value.map(Value::String).unwrap_or(Value::Null));
        }
    }

    /// `author` from `author_detail`, or the other way round: "Name (email)" split.
    fn sync_author_detail(&mut self, key: &str) {
        let context = self.context();
        let list_key = format!("{key}s");
        let listed = context
            .get(&list_key)
            .and_then(Value::as_array)
            .and_then(|l| l.last())
            .and_then(Value::as_object)
            .cloned();
        match listed.filter(|d| !d.is_empty()) {
            Some(detail) => {
                let name = detail
                    .get("name")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty());
                let email = detail
                    .get("email")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty());
                let joined = match (name, email) {
                    (Some(n), Some(e)) => Some(format!("{n} ({e})")),
                    (Some(n), None) => Some(n.to_string()),
                    (None, Some(e)) => Some(e.to_string()),
                    (None, None) => None,
                };
                if let Some(j) = joined {
                    context.insert(key.into(), text(&j));
                }
            }
            None => {
                let Some(author) = context
                    .get(key)
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                else {
                    return;
                };
                let (name, email) = split_author(&author);
                if name.is_none() && email.is_none() {
                    return;
                }
                let mut detail = Dict::new();
                if let Some(n) = &name {
                    detail.insert("name".into(), text(n));
                }
                if let Some(e) = &email {
                    detail.insert("email".into(), text(e));
                }
                let detail_key = format!("{key}_detail");
                if !context.contains_key(&detail_key) {
                    context.insert(detail_key, Value::Object(detail.clone()));
                }
                if let Some(last) = context
                    .get_mut(&list_key)
                    .and_then(Value::as_array_mut)
                    .and_then(|l| last_object(l))
                {
                    last.extend(detail);
                }
            }
        }
    }

    fn add_tag(&mut self, term: Option<&str>, scheme: Option<&str>, label: Option<&str>) {
        let context = self.context();
        let tags = list_at(context, "tags");
        if term.is_none() && scheme.is_none() && label.is_none() {
            return;
        }
        let mut tag = Dict::new();
        tag.insert("term".into(), opt_text(term));
        tag.insert("scheme".into(), opt_text(scheme));
        tag.insert("label".into(), opt_text(label));
        let tag = Value::Object(tag);
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }

    // ---- element handlers: `_start_*` ----

    /// Runs the start handler for `name`; false if there is none.
    fn start(&mut self, name: &str, a: &mut Attrs) -> bool {
        let in_any = self.infeed || self.inentry || self.insource;
        match name {
            "rss" => {
                if !self.version.starts_with("rss") {
                    let v = a.get("version").unwrap_or("");
                    self.version = match v {
                        "0.91" => "rss091u".into(),
                        "0.92" => "rss092".into(),
                        "0.93" => "rss093".into(),
                        "0.94" => "rss094".into(),
                        v if v.starts_with("2.") => "rss20".into(),
                        _ => "rss".into(),
                    };
                }
            }
            "channel" => {
                self.infeed = true;
                self.cdf_common(a);
            }
            // RSS 1.0 puts the feed's image and text input beside its channel.
            "rdf_rdf" => {
                self.in_rdf = true;
                self.infeed = true;
            }
            "feed" => {
                self.infeed = true;
                if self.version.is_empty() {
                    self.version = match a.get("version") {
                        Some("0.1") => "atom01".into(),
                        Some("0.2") => "atom02".into(),
                        Some("0.3") => "atom03".into(),
                        _ => "atom".into(),
                    };
                }
            }
            "image" => {
                if !self.inentry {
                    object_at(self.context(), "image");
                }
                self.inimage = true;
                self.title_depth = None;
                self.push("image", false);
            }
            "textinput" => {
                object_at(self.context(), "textinput");
                self.intextinput = true;
                self.title_depth = None;
                self.push("textinput", false);
            }
            "author" | "managingeditor" | "dc_author" | "dc_creator" | "itunes_author" => {
                self.inauthor = true;
                self.push("author", true);
                list_at(self.context(), "authors").push(Value::Object(Dict::new()));
            }
            "contributor" => {
                self.incontributor = true;
                list_at(self.context(), "contributors").push(Value::Object(Dict::new()));
                self.push("contributor", false);
            }
            "dc_contributor" => {
                self.incontributor = true;
                list_at(self.context(), "contributors").push(Value::Object(Dict::new()));
                self.push("name", false);
            }
            "name" | "itunes_name" => self.push("name", false),
            "width" => self.push("width", false),
            "height" => self.push("height", false),
            "url" | "homepage" | "uri" => self.push("href", true),
            "email" | "itunes_email" => self.push("email", false),
            "subtitle" | "tagline" | "itunes_subtitle" => {
                self.push_content("subtitle", a, "text/plain", true)
            }
            "rights" | "copyright" | "dc_rights" => {
                self.push_content("rights", a, "text/plain", true)
            }
            "item" | "entry" => {
                self.entries.push(Dict::new());
                self.entry_depths.push(Default::default());
                self.push("item", false);
                self.inentry = true;
                self.guid_is_link = false;
                self.title_depth = None;
                if let Some(id) = a.get("rdf:about").filter(|s| !s.is_empty()) {
                    let id = text(id);
                    self.context().insert("id".into(), id);
                }
                self.cdf_common(a);
            }
            "language" | "dc_language" => self.push("language", true),
            "webmaster" | "dc_publisher" => self.push("publisher", true),
            "published" | "issued" | "pubdate" | "dcterms_issued" => self.push("published", true),
            "updated" | "modified" | "lastbuilddate" | "dc_date" | "dcterms_modified" => {
                self.push("updated", true)
            }
            "created" | "dcterms_created" => self.push("created", true),
            "expirationdate" => self.push("expired", true),
            "category" | "keywords" | "dc_subject" => self.start_category(a),
            "media_category" => {
                a.setdefault("scheme", "http://search.yahoo.com/mrss/category_schema");
                self.start_category(a);
            }
            "itunes_category" => {
                let term = a.get("text").map(str::to_string);
                self.add_tag(term.as_deref(), Some("http://www.itunes.com/"), None);
                self.push("category", true);
            }
            "cloud" => {
                let d = a.to_dict();
                self.context().insert("cloud".into(), Value::Object(d));
            }
            "link" => self.start_link(a),
            "guid" | "id" => {
                self.guid_is_link = a.get("ispermalink").unwrap_or("true") == "true";
                self.push("id", true);
            }
            "title" | "dc_title" | "media_title" => {
                if self.svg_ok > 0 {
                    self.unknown_starttag("title", a.clone());
                } else {
                    self.push_content("title", a, "text/plain", in_any);
                }
            }
            "description" | "dc_description" | "media_description" => {
                if self.context().contains_key("summary") && !self.has_content {
                    self.summary_key = Some("content");
                    self.start_content(a);
                } else {
                    self.push_content("description", a, "text/html", in_any);
                }
            }
            "abstract" => self.push_content("description", a, "text/plain", in_any),
            "info" | "feedburner_browserfriendly" => {
                self.push_content("info", a, "text/plain", true)
            }
            "generator" => {
                if !a.is_empty() {
                    a.enforce_href();
                    if let Some(h) = a.get("href").map(str::to_string) {
                        a.set("href", urljoin(&self.base, &h));
                    }
                }
                let d = a.to_dict();
                self.context()
                    .insert("generator_detail".into(), Value::Object(d));
                self.push("generator", true);
            }
            "summary" | "itunes_summary" => {
                if self.context().contains_key("summary") && !self.has_content {
                    self.summary_key = Some("content");
                    self.start_content(a);
                } else {
                    self.summary_key = Some("summary");
                    self.push_content("summary", a, "text/plain", true);
                }
            }
            "enclosure" => {
                a.enforce_href();
                a.set("rel", "enclosure".into());
                let d = a.to_dict();
                list_at(self.context(), "links").push(Value::Object(d));
            }
            "source" => {
                if let Some(url) = a.get("url") {
                    self.source.insert("href".into(), text(url));
                }
                self.push("source", true);
                self.insource = true;
                self.title_depth = None;
            }
            "content" => self.start_content(a),
            "body" | "xhtml_body" => self.push_content("content", a, "application/xhtml+xml", true),
            "content_encoded" | "fullitem" => {
                self.has_content = true;
                self.push_content("content", a, "text/html", true);
            }
            "newlocation" => self.push("newlocation", true),
            "tags" => self.push("tags", true),
            "dcterms_valid" => self.push("validity", true),
            "itunes_owner" => {
                self.inpublisher = true;
                self.push("publisher", false);
            }
            "itunes_image" | "itunes_link" => {
                self.push("itunes_image", false);
                if let Some(href) = a
                    .get("href")
                    .or_else(|| a.get("url"))
                    .filter(|h| !h.is_empty())
                {
                    let mut d = Dict::new();
                    d.insert("href".into(), text(href));
                    self.context().insert("image".into(), Value::Object(d));
                }
            }
            "media_group" => {}
            "media_rating" => {
                let d = a.to_dict();
                setdefault(self.context(), "media_rating", Value::Object(d));
                self.push("rating", true);
            }
            "media_credit" => {
                let d = a.to_dict();
                list_at(self.context(), "media_credit").push(Value::Object(d));
                self.push("credit", true);
            }
            "media_restriction" => {
                let d = a.to_dict();
                setdefault(self.context(), "media_restriction", Value::Object(d));
                self.push("restriction", true);
            }
            "media_license" => {
                let d = a.to_dict();
                setdefault(self.context(), "media_license", Value::Object(d));
                self.push("license", true);
            }
            "media_content" => {
                let d = a.to_dict();
                list_at(self.context(), "media_content").push(Value::Object(d));
            }
            "media_thumbnail" => {
                let d = a.to_dict();
                list_at(self.context(), "media_thumbnail");
                self.push("url", true);
                list_at(self.context(), "media_thumbnail").push(Value::Object(d));
            }
            "media_player" => {
                self.push("media_player", false);
                let d = a.to_dict();
                self.context()
                    .insert("media_player".into(), Value::Object(d));
            }
            "cc_license" => {
                let mut d = Dict::new();
                d.insert("rel".into(), text("license"));
                if let Some(v) = a.get("rdf:resource").filter(|v| !v.is_empty()) {
                    d.insert("href".into(), text(v));
                }
                list_at(self.context(), "links").push(Value::Object(d));
            }
            "creativecommons_license" | "creativeCommons_license" => self.push("license", true),
            "admin_generatoragent" => {
                self.push("generator", true);
                let value = a.get("rdf:resource").map(str::to_string);
                if let (Some(v), Some(top)) = (&value, self.stack.last_mut()) {
                    top.push_piece(v);
                }
                self.pop("generator");
                let mut d = Dict::new();
                d.insert("href".into(), opt_text(value.as_deref()));
                self.context()
                    .insert("generator_detail".into(), Value::Object(d));
            }
            "admin_errorreportsto" => {
                self.push("errorreportsto", true);
                let value = a.get("rdf:resource").map(str::to_string);
                if let (Some(v), Some(top)) = (&value, self.stack.last_mut()) {
                    top.push_piece(v);
                }
                self.pop("errorreportsto");
            }
            _ => return false,
        }
        true
    }

    /// CDF's attributes on `<channel>` and `<item>`.
    fn cdf_common(&mut self, a: &Attrs) {
        if let Some(lastmod) = a.get("lastmod").map(str::to_string) {
            self.push("updated", true);
            self.stack_text(lastmod);
            self.end("updated");
        }
        if let Some(href) = a.get("href").map(str::to_string) {
            self.start_link(&mut Attrs::default());
            self.stack_text(href);
            self.pop("link");
        }
    }

    /// Replaces the text collected for the element on top of the stack.
    fn stack_text(&mut self, value: String) {
        if let Some(top) = self.stack.last_mut() {
            top.set_text(&value);
        }
    }

    fn start_category(&mut self, a: &Attrs) {
        let term = a.get("term").map(str::to_string);
        let scheme = a
            .get("scheme")
            .or_else(|| a.get("domain"))
            .map(str::to_string);
        let label = a.get("label").map(str::to_string);
        self.add_tag(term.as_deref(), scheme.as_deref(), label.as_deref());
        self.push("category", true);
    }

    fn start_link(&mut self, a: &mut Attrs) {
        a.setdefault("rel", "alternate");
        if a.get("rel") == Some("self") {
            a.setdefault("type", "application/atom+xml");
        } else {
            a.setdefault("type", "text/html");
        }
        a.enforce_href();
        if let Some(h) = a.get("href").map(str::to_string) {
            a.set("href", urljoin(&self.base, &h));
        }
        let expecting = self.infeed || self.inentry || self.insource;
        let skip = self.inentry && self.inimage;
        let href = a.get("href").map(str::to_string);
        let is_alternate_html = a.get("rel") == Some("alternate")
            && HTML_TYPES.contains(&map_content_type(a.get("type").unwrap_or("")).as_ref());
        let d = a.to_dict();
        let context = self.context();
        let links = list_at(context, "links");
        if !skip {
            links.push(Value::Object(d));
        }
        match href {
            Some(href) => {
                if is_alternate_html {
                    context.insert("link".into(), text(&href));
                }
            }
            None => self.push("link", expecting),
        }
    }

    fn start_content(&mut self, a: &Attrs) {
        self.has_content = true;
        self.push_content("content", a, "text/plain", true);
        if let Some(src) = a.get("src").filter(|s| !s.is_empty()) {
            self.params.src = Some(src.to_string());
        }
        self.push("content", true);
    }

    // ---- element handlers: `_end_*` ----

    /// Runs the end handler for `name`; false if there is none.
    fn end(&mut self, name: &str) -> bool {
        match name {
            "channel" | "feed" => self.infeed = self.in_rdf,
            "rdf_rdf" => {
                self.in_rdf = false;
                self.infeed = false;
            }
            "image" => {
                self.pop("image");
                self.inimage = false;
            }
            "textinput" => {
                self.pop("textinput");
                self.intextinput = false;
            }
            "author" | "managingeditor" | "dc_author" | "dc_creator" | "itunes_author" => {
                self.pop("author");
                self.inauthor = false;
                self.sync_author_detail("author");
            }
            "contributor" => {
                self.pop("contributor");
                self.incontributor = false;
            }
            "dc_contributor" => {
                self.end_name();
                self.incontributor = false;
            }
            "name" | "itunes_name" => self.end_name(),
            "width" | "height" => {
                let value = self.pop(name);
                let n = value
                    .and_then(|v| v.trim().parse::<i64>().ok())
                    .unwrap_or(0);
                if self.inimage {
                    self.context().insert(name.into(), Value::from(n));
                }
            }
            "url" | "homepage" | "uri" => {
                let value = self.pop("href");
                if self.inauthor {
                    self.save_author("href", value, "author");
                } else if self.incontributor {
                    self.save_contributor("href", value);
                }
            }
            "email" | "itunes_email" => {
                let value = self.pop("email");
                if self.inpublisher {
                    self.save_author("email", value, "publisher");
                } else if self.inauthor {
                    self.save_author("email", value, "author");
                } else if self.incontributor {
                    self.save_contributor("email", value);
                }
            }
            "subtitle" | "tagline" | "itunes_subtitle" => {
                self.pop_content("subtitle");
            }
            "rights" | "copyright" | "dc_rights" => {
                self.pop_content("rights");
            }
            "item" | "entry" => {
                self.pop("item");
                self.inentry = false;
                self.has_content = false;
            }
            "language" | "dc_language" => self.lang = self.pop("language").map(Into::into),
            "webmaster" | "dc_publisher" => {
                self.pop("publisher");
                self.sync_author_detail("publisher");
            }
            "published" | "issued" | "pubdate" | "dcterms_issued" => {
                let value = self.pop("published");
                self.save_date("published_parsed", value.as_deref());
            }
            "updated" | "modified" | "lastbuilddate" | "dc_date" | "dcterms_modified" => {
                let value = self.pop("updated");
                self.save_date("updated_parsed", value.as_deref());
            }
            "created" | "dcterms_created" => {
                let value = self.pop("created");
                self.save_date("created_parsed", value.as_deref());
            }
            "expirationdate" => {
                let value = self.pop("expired");
                self.save_date("expired_parsed", value.as_deref());
            }
            "category" | "keywords" | "dc_subject" | "media_category" | "itunes_category" => {
                self.end_category()
            }
            "link" => {
                self.pop("link");
            }
            "guid" | "id" => {
                let value = self.pop("id");
                let has_link = self.context().contains_key("link");
                let is_link = self.guid_is_link && !has_link;
                self.save("guidislink", Value::Bool(is_link), false);
                if self.guid_is_link {
                    self.save("link", opt_text(value.as_deref()), false);
                }
            }
            "title" | "dc_title" => {
                if self.svg_ok == 0 {
                    self.end_title();
                }
            }
            "media_title" => {
                let depth = self.title_depth;
                if self.svg_ok == 0 {
                    self.end_title();
                }
                self.title_depth = depth;
            }
            "description" | "abstract" | "dc_description" | "media_description" => {
                if self.summary_key == Some("content") {
                    self.end_content();
                } else {
                    self.pop_content("description");
                }
                self.summary_key = None;
            }
            "info" | "feedburner_browserfriendly" => {
                self.pop_content("info");
            }
            "generator" => {
                let value = self.pop("generator");
                if let Some(Value::Object(d)) = self.context().get_mut("generator_detail") {
                    d.insert("name".into(), opt_text(value.as_deref()));
                }
            }
            "summary" | "itunes_summary" => {
                if self.summary_key == Some("content") {
                    self.end_content();
                } else {
                    let key = self.summary_key.unwrap_or("summary");
                    self.pop_content(key);
                }
                self.summary_key = None;
            }
            "source" => {
                self.insource = false;
                let value = self.pop("source");
                if let Some(v) = value.filter(|v| !v.is_empty()) {
                    self.source.insert("title".into(), text(&v));
                }
                let source = std::mem::take(&mut self.source);
                self.context()
                    .insert("source".into(), Value::Object(source));
            }
            "content" | "body" | "xhtml_body" | "content_encoded" | "fullitem" => {
                self.end_content()
            }
            "newlocation" => {
                let url = self.pop("newlocation").unwrap_or_default();
                if self.context_kind() == Context::Feed {
                    let safe = make_safe_absolute_uri(&self.base, url.trim());
                    self.feed.insert("newlocation".into(), text(&safe));
                }
            }
            "tags" => {
                let value = self.pop("tags").unwrap_or_default();
                for term in value.split(',') {
                    self.add_tag(Some(term.trim()), None, None);
                }
            }
            "dcterms_valid" => {
                let value = self.pop("validity").unwrap_or_default();
                for part in value.split(';') {
                    if let Some((key, v)) = part.split_once('=') {
                        if key == "start" || key == "end" {
                            self.save(&format!("validity_{key}"), text(v), true);
                            self.save_date(&format!("validity_{key}_parsed"), Some(v));
                        }
                    }
                }
            }
            "itunes_owner" => {
                self.pop("publisher");
                self.inpublisher = false;
                self.sync_author_detail("publisher");
            }
            "itunes_keywords" => {
                let value = self.pop("itunes_keywords").unwrap_or_default();
                for term in value.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                    self.add_tag(Some(term), Some("http://www.itunes.com/"), None);
                }
            }
            "itunes_block" => {
                let value = self.pop_with("itunes_block", false);
                let blocked = matches!(value.as_deref(), Some("yes" | "Yes"));
                self.context()
                    .insert("itunes_block".into(), Value::from(i64::from(blocked)));
            }
            "itunes_explicit" => {
                let value = self.pop_with("itunes_explicit", false);
                let explicit = match value.as_deref() {
                    Some("yes" | "true") => Value::Bool(true),
                    Some("no" | "false" | "clean") => Value::Bool(false),
                    _ => Value::Null,
                };
                self.context().insert("itunes_explicit".into(), explicit);
            }
            "media_keywords" => {
                let value = self.pop("media_keywords").unwrap_or_default();
                for term in value.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                    self.add_tag(Some(term), None, None);
                }
            }
            "media_rating" => self.end_media_value("rating", "media_rating"),
            "media_credit" => {
                let credit = self.pop("credit");
                if let Some(c) = credit.filter(|c| !c.trim().is_empty()) {
                    if let Some(last) = self
                        .context()
                        .get_mut("media_credit")
                        .and_then(Value::as_array_mut)
                        .and_then(|l| last_object(l))
                    {
                        last.insert("content".into(), text(&c));
                    }
                }
            }
            "media_restriction" => {
                let value = self.pop("restriction");
                if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
                    let codes: Vec<Value> = v
                        .split(' ')
                        .map(|c| text(&c.trim().to_lowercase()))
                        .collect();
                    if let Some(Value::Object(d)) = self.context().get_mut("media_restriction") {
                        d.insert("content".into(), Value::Array(codes));
                    }
                }
            }
            "media_license" => self.end_media_value("license", "media_license"),
            "media_thumbnail" => {
                let url = self.pop("url");
                if let Some(u) = url.filter(|u| !u.trim().is_empty()) {
                    if let Some(last) = self
                        .context()
                        .get_mut("media_thumbnail")
                        .and_then(Value::as_array_mut)
                        .and_then(|l| last_object(l))
                    {
                        if !last.contains_key("url") {
                            last.insert("url".into(), text(&u));
                        }
                    }
                }
            }
            "media_player" => {
                let value = self.pop("media_player");
                if let Some(Value::Object(d)) = self.context().get_mut("media_player") {
                    d.insert("content".into(), opt_text(value.as_deref()));
                }
            }
            "creativecommons_license" | "creativeCommons_license" => {
                let value = self.pop("license");
                let context = self.context();
                let mut d = Dict::new();
                d.insert("rel".into(), text("license"));
                if let Some(v) = value.filter(|v| !v.is_empty()) {
                    d.insert("href".into(), text(&v));
                }
                list_at(context, "links").push(Value::Object(d));
                context.remove("license");
            }
            _ => return false,
        }
        true
    }

    fn end_media_value(&mut self, element: &str, key: &str) {
        let value = self.pop(element);
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            if let Some(Value::Object(d)) = self.context().get_mut(key) {
                d.insert("content".into(), text(&v));
            }
        }
    }

    fn end_name(&mut self) {
        let value = self.pop("name");
        if self.inpublisher {
            self.save_author("name", value, "publisher");
        } else if self.inauthor {
            self.save_author("name", value, "author");
        } else if self.incontributor {
            self.save_contributor("name", value);
        } else if self.intextinput {
            let v = opt_text(value.as_deref());
            self.context().insert("name".into(), v);
        }
    }

    fn end_category(&mut self) {
        let Some(value) = self.pop("category").filter(|v| !v.is_empty()) else {
            return;
        };
        let context = self.context();
        let tags = list_at(context, "tags");
        let last_has_no_term = last_object(tags).is_some_and(|t| {
            t.get("term")
                .is_none_or(|term| term.is_null() || term.as_str() == Some(""))
        });
        if last_has_no_term {
            if let Some(last) = last_object(tags) {
                last.insert("term".into(), text(&value));
            }
        } else {
            self.add_tag(Some(&value), None, None);
        }
    }

    fn end_title(&mut self) {
        let value = self.pop_content("title");
        if value.is_some_and(|v| !v.is_empty()) {
            self.title_depth = Some(self.depth);
        }
    }

    fn end_content(&mut self) {
        let kind = map_content_type(self.params.kind_or(""));
        let copy_to_summary = kind == "text/plain" || HTML_TYPES.contains(&kind.as_ref());
        let value = self.pop_content("content");
        if copy_to_summary {
            self.save("summary", opt_text(value.as_deref()), false);
        }
    }
}

fn split_tag(tag: &str) -> (&str, &str) {
    tag.split_once(':').unwrap_or(("", tag))
}

fn strattrs(attrs: &Attrs) -> String {
    attrs
        .0
        .iter()
        .map(|(k, v)| {
            format!(
                " {k}=\"{}\"",
                html_escape::encode_double_quoted_attribute(v)
            )
        })
        .collect()
}

/// Declared entities expand to at most this many bytes, or the document's own length where
/// that is more: a feed can at most double itself through them.
const ENTITY_EXPANSION: usize = 1 << 20;

/// The five entities XML itself defines.
fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

/// An HTML named entity as its character(s), by HTML 4's table where HTML 5 changed it.
fn html_entity(entity: &str) -> String {
    match entity {
        "&lang;" => "\u{2329}".into(),
        "&rang;" => "\u{232a}".into(),
        _ => html_escape::decode_html_entities(entity).into_owned(),
    }
}

/// `#38` or `#x26` as a character.
fn char_reference(name: &str) -> Option<char> {
    let num = name.strip_prefix('#')?;
    let code = match num.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => num.parse().ok()?,
    };
    char::from_u32(code).or(Some('\u{fffd}'))
}

/// A declared entity's value, its own character references resolved.
fn decode_references(value: &str) -> String {
    match value
        .strip_prefix("&")
        .and_then(|v| v.strip_suffix(';'))
        .and_then(char_reference)
    {
        Some(c) => c.to_string(),
        None => value.to_string(),
    }
}

/// `&amp;` and other references in a link's text, taken as the characters they are.
fn unescape_link(link: &str) -> String {
    if !link.contains('&') {
        return link.to_string();
    }
    static RE: std::sync::LazyLock<regex_lite::Regex> =
        std::sync::LazyLock::new(|| regex_lite::Regex::new(r"&([A-Za-z0-9_]+);").expect("valid"));
    RE.replace_all(link, "&$1").into_owned()
}

/// UTF-8 that was read as Latin-1 somewhere upstream ("CafÃ©"), read again as UTF-8.
fn undo_double_encoding(s: String) -> String {
    if s.is_ascii() || s.chars().any(|c| c as u32 > 0xff) {
        return s;
    }
    let bytes: Vec<u8> = s.chars().map(|c| c as u8).collect();
    String::from_utf8(bytes).unwrap_or(s)
}

/// C1 control characters, which Windows-1252 text read as Latin-1 leaves behind, as the
/// punctuation they were meant to be.
fn translate_cp1252(s: String) -> String {
    if !s.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)) {
        return s;
    }
    s.chars()
        .map(|c| match c as u32 {
            0x80 => '\u{20ac}',
            0x82 => '\u{201a}',
            0x83 => '\u{0192}',
            0x84 => '\u{201e}',
            0x85 => '\u{2026}',
            0x86 => '\u{2020}',
            0x87 => '\u{2021}',
            0x88 => '\u{02c6}',
            0x89 => '\u{2030}',
            0x8a => '\u{0160}',
            0x8b => '\u{2039}',
            0x8c => '\u{0152}',
            0x8e => '\u{017d}',
            0x91 => '\u{2018}',
            0x92 => '\u{2019}',
            0x93 => '\u{201c}',
            0x94 => '\u{201d}',
            0x95 => '\u{2022}',
            0x96 => '\u{2013}',
            0x97 => '\u{2014}',
            0x98 => '\u{02dc}',
            0x99 => '\u{2122}',
            0x9a => '\u{0161}',
            0x9b => '\u{203a}',
            0x9c => '\u{0153}',
            0x9e => '\u{017e}',
            0x9f => '\u{0178}',
            _ => c,
        })
        .collect()
}

/// Elements an HTML fragment may be made of.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "big",
    "blockquote",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "command",
    "datagrid",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "event-source",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "keygen",
    "label",
    "legend",
    "li",
    "m",
    "map",
    "menu",
    "meter",
    "multicol",
    "nav",
    "nextid",
    "noscript",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "pre",
    "progress",
    "q",
    "s",
    "samp",
    "section",
    "select",
    "small",
    "sound",
    "source",
    "spacer",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "video",
];

/// Whether text said to be plain is in fact HTML: it closes a tag or uses a reference, and
/// every tag and entity in it is HTML's.
fn looks_like_html(s: &str) -> bool {
    static CLOSE: std::sync::LazyLock<regex_lite::Regex> =
        std::sync::LazyLock::new(|| regex_lite::Regex::new(r"</(\w+)>|&#?\w+;").expect("valid"));
    static TAG: std::sync::LazyLock<regex_lite::Regex> =
        std::sync::LazyLock::new(|| regex_lite::Regex::new(r"</?(\w+)").expect("valid"));
    static ENTITY: std::sync::LazyLock<regex_lite::Regex> =
        std::sync::LazyLock::new(|| regex_lite::Regex::new(r"&(\w+);").expect("valid"));
    // The patterns only run where a closing tag or a whole reference could be.
    if !(s.contains("</") || s.contains('&') && s.contains(';')) || !CLOSE.is_match(s) {
        return false;
    }
    if TAG
        .captures_iter(s)
        .any(|c| !HTML_ELEMENTS.contains(&c[1].to_lowercase().as_str()))
    {
        return false;
    }
    !ENTITY.captures_iter(s).any(|c| {
        let e = format!("&{};", &c[1]);
        html_escape::decode_html_entities(&e) == e
    })
}

/// "Jane Doe (jane@example.com)", "jane@example.com (Jane Doe)", "<jane@example.com>":
/// name and address.
fn split_author(author: &str) -> (Option<String>, Option<String>) {
    static EMAIL: std::sync::LazyLock<regex_lite::Regex> = std::sync::LazyLock::new(|| {
        regex_lite::Regex::new(
            r"(([a-zA-Z0-9_\-.+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?",
        )
        .expect("valid")
    });
    let Some(m) = author.contains('@').then(|| EMAIL.find(author)).flatten() else {
        return (Some(author.to_string()), None);
    };
    let email = m.as_str().to_string();
    let mut name = author
        .replace(&email, "")
        .replace("()", "")
        .replace("<>", "")
        .replace("&lt;&gt;", "")
        .trim()
        .to_string();
    if name.starts_with('(') {
        name.remove(0);
    }
    if name.ends_with(')') {
        name.pop();
    }
    let name = name.trim().to_string();
    ((!name.is_empty()).then_some(name), Some(email))
}

/// A namespace declaration: prefix, URI, and the URI's canonical prefix if it is known.
struct Binding {
    prefix: String,
    uri: String,
    canonical: Option<&'static str>,
}

/// Namespace declarations in scope while reading.
#[derive(Default)]
struct Scopes {
    bindings: Vec<Binding>,
    sizes: Vec<usize>,
}

impl Scopes {
    fn bind(&mut self, prefix: &str, uri: String) {
        let mut lower = uri.to_lowercase();
        if lower.contains("backend.userland.com/rss") {
            lower = "http://backend.userland.com/rss".into();
        }
        self.bindings.push(Binding {
            prefix: prefix.to_string(),
            canonical: known_prefix(&lower),
            uri,
        });
    }

    fn lookup(&self, prefix: &str) -> Option<&Binding> {
        static XML: std::sync::LazyLock<Binding> = std::sync::LazyLock::new(|| Binding {
            prefix: "xml".into(),
            uri: XML_NAMESPACE.into(),
            canonical: Some("xml"),
        });
        if prefix == "xml" {
            return Some(&XML);
        }
        self.bindings.iter().rev().find(|b| b.prefix == prefix)
    }
}

/// Reads an XML feed document. `base` is where it came from (relative links resolve against
/// it), `lang` the HTTP `Content-Language`.
pub fn parse_xml(text: &str, base: &str, lang: Option<&str>) -> Universal {
    read_xml(text, base, lang, true)
}

/// Reads an XML feed document; links inside HTML values are resolved only if asked (a
/// caller that sanitizes with the values' base resolves them there, in the same pass).
pub(crate) fn read_xml(
    text: &str,
    base: &str,
    lang: Option<&str>,
    resolve_html_links: bool,
) -> Universal {
    let mut reader = Reader::new(base, lang);
    reader.resolve_html_links = resolve_html_links;
    let mut tokens = Tokens::new(text);
    let mut scopes = Scopes::default();
    // Elements open, as written: for the well-formedness the tokenizer cannot see.
    let mut open: Vec<&str> = Vec::new();
    let mut doctype_version = None;
    let mut root = None;
    for token in tokens.by_ref() {
        match token {
            Token::Start { name, attrs, empty } => {
                if open.is_empty() && root.is_some() {
                    reader.flag(|| "more than one root element".into());
                }
                reader.in_empty_element = empty;
                start_element(&mut reader, &mut scopes, name, &attrs);
                if root.is_none() {
                    root = Some(element_name(&mut reader, &scopes, name));
                }
                if empty {
                    end_element(&mut reader, &mut scopes, name);
                    reader.in_empty_element = false;
                } else {
                    open.push(name);
                }
                if open.len() > MAX_DEPTH {
                    reader.flag(|| "nested too deep".into());
                    break;
                }
            }
            Token::End(name) => match open.iter().rposition(|n| *n == name) {
                Some(at) => {
                    if at + 1 != open.len() {
                        reader.flag(|| format!("mismatched end tag </{name}>"));
                    }
                    while open.len() > at {
                        let inner = open.pop().unwrap_or(name);
                        end_element(&mut reader, &mut scopes, inner);
                    }
                }
                None => reader.flag(|| format!("end tag </{name}> closes nothing")),
            },
            Token::Text(t) => {
                if open.is_empty() {
                    if !t.trim().is_empty() {
                        reader.flag(|| "text outside the root element".into());
                    }
                } else {
                    reader.handle_data(t, true);
                }
            }
            Token::CData(t) => reader.handle_data(t, true),
            Token::Reference(r) => reader.reference(r),
            Token::BareAmpersand => reader.handle_data("&", true),
            Token::Doctype(d) => {
                if d.to_lowercase().contains("netscape") {
                    doctype_version = Some("rss091n");
                }
                reader.entities = tokens::declared_entities(d);
                reader.entity_budget = ENTITY_EXPANSION.max(text.len());
            }
        }
    }
    if let Some(problem) = tokens.problem.take() {
        reader.flag(|| problem);
    }
    if !open.is_empty() {
        reader.flag(|| format!("<{}> is never closed", open[open.len() - 1]));
        while let Some(name) = open.pop() {
            end_element(&mut reader, &mut scopes, name);
        }
    }
    Universal {
        feed: reader.feed,
        entries: reader.entries,
        version: doctype_version
            .map(str::to_string)
            .unwrap_or(reader.version),
        bozo: reader.bozo,
        namespaces: reader.namespaces_in_use,
        root: root.map(Cow::into_owned).unwrap_or_default(),
    }
}

/// Deeper than any feed nests; past it, a document is an attack.
const MAX_DEPTH: usize = 512;

/// An attribute value with its references resolved and whitespace normalised.
fn attribute_value(reader: &mut Reader, raw: &str) -> String {
    let raw = if raw.contains(['\n', '\t', '\r']) {
        raw.replace(['\n', '\t', '\r'], " ")
    } else {
        raw.to_string()
    };
    if !raw.contains('&') {
        return raw;
    }
    let mut out = String::with_capacity(raw.len());
    for token in Tokens::new(&raw) {
        match token {
            Token::Text(t) => out.push_str(t),
            Token::Reference(name) => {
                match char_reference(name).or_else(|| predefined_entity(name)) {
                    Some(c) => out.push(c),
                    None => {
                        reader.flag(|| format!("undefined entity &{name}; in an attribute"));
                        out.push_str(&html_entity(&format!("&{name};")));
                    }
                }
            }
            Token::BareAmpersand => {
                reader.flag(|| "a bare '&' in an attribute".into());
                out.push('&');
            }
            _ => {}
        }
    }
    out
}

/// The element's name with its namespace's canonical prefix, as a namespace-aware parser
/// reports it; a prefix never declared is kept as written (and the document is not well
/// formed).
fn element_name<'a>(reader: &mut Reader, scopes: &Scopes, qname: &'a str) -> Cow<'a, str> {
    let (given, local) = match qname.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, qname),
    };
    let binding = scopes.lookup(given.unwrap_or(""));
    let prefix = match (given, binding) {
        (Some(p), None) => {
            if !reader.namespaces_in_use.contains_key(p) {
                reader.flag(|| format!("prefix {p:?} is not bound to a namespace"));
            }
            // A prefix used without its declaration most likely means what it always means.
            let conventional = match p {
                "atom" => Some(""),
                "dc" | "content" | "media" | "itunes" | "dcterms" => Some(p),
                _ => None,
            };
            Some(
                reader
                    .namespace_map
                    .get(p)
                    .cloned()
                    .or_else(|| conventional.map(str::to_string))
                    .unwrap_or_else(|| p.to_string()),
            )
        }
        // No namespace at all is the same as RSS's.
        (None, None) => None,
        (_, Some(b)) => match b.canonical {
            Some(c) => Some(c.to_string()),
            None => given.map(str::to_string),
        },
    };
    let local: Cow<'a, str> = if local.bytes().any(|b| b.is_ascii_uppercase()) || !local.is_ascii()
    {
        local.to_lowercase().into()
    } else {
        local.into()
    };
    match prefix.filter(|p| !p.is_empty()) {
        // The usual case, `dc:creator` meaning `dc:creator`, costs no copy.
        Some(p)
            if matches!(local, Cow::Borrowed(_))
                && given == Some(p.as_str())
                && !p.bytes().any(|b| b.is_ascii_uppercase()) =>
        {
            qname.into()
        }
        Some(p) => format!("{}:{local}", p.to_lowercase()).into(),
        None => local,
    }
}

fn start_element(reader: &mut Reader, scopes: &mut Scopes, qname: &str, raw: &[(&str, &str)]) {
    let mut declared = 0;
    let mut attrs = Attrs::default();
    for (key, value) in raw {
        let (is_decl, prefix) = match key.strip_prefix("xmlns") {
            Some("") => (true, None),
            Some(p) if p.starts_with(':') => (true, Some(&p[1..])),
            _ => (false, None),
        };
        if !is_decl {
            continue;
        }
        let uri = attribute_value(reader, value);
        scopes.bind(prefix.unwrap_or(""), uri.clone());
        declared += 1;
        if !uri.is_empty() {
            reader.track_namespace(prefix, &uri);
            if let Some(p) = prefix.filter(|_| uri == "http://www.w3.org/1999/xlink") {
                attrs.set(&format!("xmlns:{p}"), uri.clone());
            }
        }
    }
    scopes.sizes.push(declared);

    let name = element_name(reader, scopes, qname);
    let (_, local) = split_tag(&name);
    let uri = scopes
        .lookup(qname.split_once(':').map_or("", |(p, _)| p))
        .map(|b| b.uri.as_str());
    match (local, uri) {
        ("math", Some(u @ "http://www.w3.org/1998/Math/MathML"))
        | ("svg", Some(u @ "http://www.w3.org/2000/svg")) => attrs.set("xmlns", u.to_string()),
        _ => {}
    }
    for (key, value) in raw {
        if *key == "xmlns" || key.starts_with("xmlns:") {
            continue;
        }
        let value = attribute_value(reader, value);
        let lower_key: Cow<'_, str> = if key.bytes().any(|b| b.is_ascii_uppercase()) {
            key.to_lowercase().into()
        } else {
            Cow::Borrowed(key)
        };
        if let Some((p, l)) = key.split_once(':') {
            let canonical = scopes
                .lookup(p)
                .and_then(|b| b.canonical)
                .filter(|c| !c.is_empty());
            let named = match canonical {
                Some(c) => format!("{c}:{}", l.to_lowercase()),
                None => l.to_lowercase(),
            };
            attrs.set(&named, value.clone());
        }
        attrs.set(&lower_key, value);
    }
    reader.unknown_starttag(&name, attrs);
}

fn end_element(reader: &mut Reader, scopes: &mut Scopes, qname: &str) {
    let name = element_name(reader, scopes, qname);
    reader.unknown_endtag(&name);
    let declared = scopes.sizes.pop().unwrap_or(0);
    let keep = scopes.bindings.len().saturating_sub(declared);
    scopes.bindings.truncate(keep);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s<'a>(d: &'a Dict, key: &str) -> Option<&'a str> {
        d.get(key).and_then(Value::as_str)
    }

    #[test]
    fn rss_reads_into_feedparsers_shape() {
        let u = parse_xml(
            r#"<rss version="2.0"><channel><title>T</title><link>http://e.example/</link>
<item><title>A &amp; B</title><guid isPermaLink="false">x1</guid><description>&lt;b&gt;hi&lt;/b&gt;</description>
<author>jane@example.com (Jane Doe)</author><category domain="d">World</category></item></channel></rss>"#,
            "",
            None,
        );
        assert_eq!(u.version, "rss20");
        assert_eq!(u.bozo, None);
        assert_eq!(s(&u.feed, "title"), Some("T"));
        let e = &u.entries[0];
        assert_eq!(s(e, "title"), Some("A & B"));
        assert_eq!(s(e, "id"), Some("x1"));
        assert_eq!(s(e, "summary"), Some("<b>hi</b>"));
        assert_eq!(e["summary_detail"]["type"], "text/html");
        assert_eq!(e["author_detail"]["name"], "Jane Doe");
        assert_eq!(e["author_detail"]["email"], "jane@example.com");
        assert_eq!(e["tags"][0]["term"], "World");
        assert_eq!(e["tags"][0]["scheme"], "d");
    }

    #[test]
    fn atom_inline_xhtml_loses_its_envelope_div() {
        let u = parse_xml(
            r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://e.example/a/"><entry>
<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Example <b>Atom</b></div></title>
<link href="p/1"/><author><name>N</name><uri>/n</uri></author>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><a href="x">1 &lt; 2</a></div></content>
</entry></feed>"#,
            "",
            None,
        );
        assert_eq!(u.version, "atom10");
        let e = &u.entries[0];
        assert_eq!(s(e, "title"), Some("Example <b>Atom</b>"));
        assert_eq!(s(e, "link"), Some("http://e.example/a/p/1"));
        assert_eq!(e["author_detail"]["href"], "http://e.example/n");
        assert_eq!(
            e["content"][0]["value"],
            "<a href=\"http://e.example/a/x\">1 &lt; 2</a>"
        );
    }

    #[test]
    fn declared_entities_cannot_blow_a_feed_up() {
        // The billion laughs: entities made of entities are not kept, so nothing nests.
        let mut laughs = String::from("<!DOCTYPE rss [<!ENTITY lol0 \"lol\">");
        for i in 1..10 {
            let refs = format!("&lol{};", i - 1).repeat(10);
            laughs.push_str(&format!("<!ENTITY lol{i} \"{refs}\">"));
        }
        laughs.push_str("]><rss><channel><title>&lol9;</title></channel></rss>");
        let u = parse_xml(&laughs, "", None);
        assert!(s(&u.feed, "title").unwrap_or("").len() < 1000);

        // Its quadratic cousin: one long plain value, referenced many times.
        let value = "x".repeat(100_000);
        let doc = format!(
            "<!DOCTYPE rss [<!ENTITY big \"{value}\">]><rss><channel><title>{}</title></channel></rss>",
            "&big;".repeat(20_000)
        );
        let u = parse_xml(&doc, "", None);
        let title = s(&u.feed, "title").unwrap_or("");
        assert!(
            title.len() <= ENTITY_EXPANSION + doc.len(),
            "expanded to {} bytes",
            title.len()
        );
        assert!(
            title.starts_with(&value),
            "the first references still expand"
        );
        assert!(
            u.bozo.as_deref().unwrap_or("").contains("expand beyond"),
            "{:?}",
            u.bozo
        );
    }

    #[test]
    fn ill_formed_documents_are_read_and_flagged() {
        let u = parse_xml(
            "<rss><channel><title>Caf&eacute; & co</title><item><title>x</title></channel>",
            "",
            None,
        );
        assert!(u.bozo.is_some());
        assert_eq!(u.version, "rss");
        assert_eq!(s(&u.feed, "title"), Some("Café & co"));
        assert_eq!(s(&u.entries[0], "title"), Some("x"));
    }

    #[test]
    fn base64_content_is_decoded() {
        let u = parse_xml(
            r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><summary type="text/html" mode="base64">RXhhbXBsZSA8Yj5BdG9tPC9iPg==</summary></entry></feed>"#,
            "",
            None,
        );
        assert_eq!(s(&u.entries[0], "summary"), Some("Example <b>Atom</b>"));
    }

    #[test]
    fn deep_nesting_is_cut_off() {
        let doc = "<rss>".to_string() + &"<a>".repeat(100_000);
        let u = parse_xml(&doc, "", None);
        assert!(u.bozo.is_some());
    }
}
