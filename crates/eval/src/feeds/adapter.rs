//! The parse result in Universal Feed Parser's shape (`feed`, `entries`, `*_detail`, 9-tuple
//! `*_parsed` dates), so feedparser's own expectations can be checked against it.

use chrono::{DateTime, Datelike, Timelike, Utc};
use parallax_feed::raw as fp;
use parallax_feed::Document;
use serde_json::{json, Map, Value};

fn opt(s: Option<&str>) -> Value {
    s.map(|s| Value::String(s.to_string()))
        .unwrap_or(Value::Null)
}

fn text_type(t: fp::TextType) -> &'static str {
    match t {
        fp::TextType::Text => "text/plain",
        fp::TextType::Html => "text/html",
        fp::TextType::Xhtml => "application/xhtml+xml",
    }
}

fn detail(d: &fp::TextConstruct) -> Value {
    json!({"type": text_type(d.content_type), "value": d.value, "language": opt(d.language.as_deref()), "base": opt(d.base.as_deref())})
}

fn person(p: &fp::Person) -> Value {
    let mut m = Map::new();
    if let Some(n) = &p.name {
        m.insert("name".into(), json!(n.as_str()));
    }
    if let Some(e) = &p.email {
        m.insert("email".into(), json!(e.to_string()));
    }
    if let Some(u) = &p.uri {
        m.insert("href".into(), json!(u));
    }
    Value::Object(m)
}

fn link(l: &fp::Link) -> Value {
    let mut m = Map::new();
    m.insert("href".into(), json!(l.href.to_string()));
    m.insert("rel".into(), json!(l.rel.as_deref().unwrap_or("alternate")));
    if let Some(t) = &l.link_type {
        m.insert("type".into(), json!(t.to_string()));
    }
    if let Some(t) = &l.title {
        m.insert("title".into(), json!(t));
    }
    if let Some(len) = &l.length {
        m.insert("length".into(), json!(len));
    }
    if let Some(h) = &l.hreflang {
        m.insert("hreflang".into(), json!(h.as_str()));
    }
    Value::Object(m)
}

fn tag(t: &fp::Tag) -> Value {
    json!({"term": t.term.as_str(), "scheme": opt(t.scheme.as_deref()), "label": opt(t.label.as_deref())})
}

/// Python's `time.struct_time` in UTC: [Y, M, D, h, m, s, weekday (Mon=0), yearday, 0].
fn parsed(t: DateTime<Utc>) -> Value {
    json!([
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.weekday().num_days_from_monday(),
        t.ordinal(),
        0
    ])
}

fn put(m: &mut Map<String, Value>, key: &str, value: Value) {
    if !value.is_null() {
        m.insert(key.into(), value);
    }
}

fn put_date(m: &mut Map<String, Value>, key: &str, raw: Option<&str>, date: Option<DateTime<Utc>>) {
    // What Parallax reads: the parser's date, else its own reading of the string.
    let date = date.or_else(|| raw.and_then(parallax_feed::parse_feed_date));
    if raw.is_some() || date.is_some() {
        m.insert(
            key.into(),
            raw.map(|s| json!(s))
                .unwrap_or_else(|| json!(date.map(|d| d.to_rfc3339()))),
        );
        m.insert(
            format!("{key}_parsed"),
            date.map(parsed).unwrap_or(Value::Null),
        );
    }
}

fn put_text(
    m: &mut Map<String, Value>,
    key: &str,
    value: Option<&str>,
    d: Option<&fp::TextConstruct>,
) {
    if let Some(v) = value {
        m.insert(key.into(), json!(v));
        m.insert(
            format!("{key}_detail"),
            d.map(detail).unwrap_or_else(
                || json!({"type": "text/plain", "value": v, "language": null, "base": null}),
            ),
        );
    }
}

fn itunes_explicit(e: Option<bool>) -> Value {
    e.map(Value::Bool).unwrap_or(Value::Null)
}

pub(crate) fn to_feedparser(doc: &Document) -> Value {
    let raw = &doc.raw;
    let f = &raw.feed;
    let mut feed = Map::new();
    put_text(
        &mut feed,
        "title",
        f.title.as_deref(),
        f.title_detail.as_ref(),
    );
    put_text(
        &mut feed,
        "subtitle",
        f.subtitle.as_deref(),
        f.subtitle_detail.as_ref(),
    );
    put_text(
        &mut feed,
        "rights",
        f.rights.as_deref(),
        f.rights_detail.as_ref(),
    );
    if let Some(s) = f.summary.as_deref() {
        put_text(&mut feed, "summary", Some(s), f.summary_detail.as_ref());
    }
    put(&mut feed, "link", opt(f.link.as_deref()));
    feed.insert(
        "links".into(),
        Value::Array(f.links.iter().map(link).collect()),
    );
    put(&mut feed, "language", opt(f.language.as_deref()));
    put(&mut feed, "author", opt(f.author.as_deref()));
    if let Some(a) = &f.author_detail {
        feed.insert("author_detail".into(), person(a));
    }
    feed.insert(
        "authors".into(),
        Value::Array(f.authors.iter().map(person).collect()),
    );
    feed.insert(
        "contributors".into(),
        Value::Array(f.contributors.iter().map(person).collect()),
    );
    put(&mut feed, "publisher", opt(f.publisher.as_deref()));
    if let Some(p) = &f.publisher_detail {
        feed.insert("publisher_detail".into(), person(p));
    }
    put(&mut feed, "generator", opt(f.generator.as_deref()));
    if let Some(g) = &f.generator_detail {
        feed.insert("generator_detail".into(), json!({"name": g.name, "href": opt(g.href.as_deref()), "version": opt(g.version.as_deref())}));
    }
    if let Some(i) = &f.image {
        feed.insert(
            "image".into(),
            json!({"href": i.url.to_string(), "title": opt(i.title.as_deref()), "link": opt(i.link.as_deref()), "width": i.width, "height": i.height, "description": opt(i.description.as_deref())}),
        );
    }
    put(&mut feed, "icon", opt(f.icon.as_deref()));
    put(&mut feed, "logo", opt(f.logo.as_deref()));
    feed.insert(
        "tags".into(),
        Value::Array(f.tags.iter().map(tag).collect()),
    );
    put(&mut feed, "id", opt(f.id.as_deref()));
    put_date(&mut feed, "updated", f.updated_str.as_deref(), f.updated);
    put_date(
        &mut feed,
        "published",
        f.published_str.as_deref(),
        f.published,
    );
    put(&mut feed, "ttl", opt(f.ttl.as_deref()));
    put(&mut feed, "docs", opt(f.docs.as_deref()));
    put(&mut feed, "license", opt(f.license.as_deref()));
    if let Some(t) = &f.textinput {
        feed.insert("textinput".into(), json!({"title": opt(t.title.as_deref()), "description": opt(t.description.as_deref()), "name": opt(t.name.as_deref()), "link": opt(t.link.as_deref())}));
    }
    if let Some(c) = &f.cloud {
        feed.insert("cloud".into(), json!({"domain": opt(c.domain.as_deref()), "port": opt(c.port.as_deref()), "path": opt(c.path.as_deref()), "registerprocedure": opt(c.register_procedure.as_deref()), "protocol": opt(c.protocol.as_deref())}));
    }
    if let Some(it) = &f.itunes {
        put(&mut feed, "itunes_explicit", itunes_explicit(it.explicit));
        put(&mut feed, "itunes_image", opt(it.image.as_deref()));
        put(&mut feed, "itunes_subtitle", opt(it.subtitle.as_deref()));
        put(&mut feed, "itunes_author", opt(it.author.as_deref()));
    }

    let entries: Vec<Value> = raw.entries.iter().map(entry).collect();
    let mut top = Map::new();
    top.insert("bozo".into(), json!(raw.bozo));
    top.insert("encoding".into(), json!(doc.encoding_label));
    top.insert(
        "version".into(),
        json!(if doc.generic_rss {
            "rss"
        } else {
            raw.version.as_str()
        }),
    );
    top.insert("feed".into(), Value::Object(feed));
    top.insert("entries".into(), Value::Array(entries));
    top.insert("namespaces".into(), json!(raw.namespaces));
    restore(Value::Object(top), doc)
}

fn entry(e: &fp::Entry) -> Value {
    let mut m = Map::new();
    put_text(&mut m, "title", e.title.as_deref(), e.title_detail.as_ref());
    put_text(
        &mut m,
        "summary",
        e.summary.as_deref(),
        e.summary_detail.as_ref(),
    );
    put_text(
        &mut m,
        "rights",
        e.rights.as_deref(),
        e.rights_detail.as_ref(),
    );
    if !e.content.is_empty() {
        m.insert(
            "content".into(),
            Value::Array(
                e.content
                    .iter()
                    .map(|c| json!({"type": opt(c.content_type.as_deref()), "value": c.value, "language": opt(c.language.as_deref()), "base": opt(c.base.as_deref())}))
                    .collect(),
            ),
        );
    }
    put(&mut m, "link", opt(e.link.as_deref()));
    m.insert(
        "links".into(),
        Value::Array(e.links.iter().map(link).collect()),
    );
    put(&mut m, "id", opt(e.id.as_deref()));
    m.insert(
        "tags".into(),
        Value::Array(e.tags.iter().map(tag).collect()),
    );
    put(&mut m, "author", opt(e.author.as_deref()));
    if let Some(a) = &e.author_detail {
        m.insert("author_detail".into(), person(a));
    }
    m.insert(
        "authors".into(),
        Value::Array(e.authors.iter().map(person).collect()),
    );
    m.insert(
        "contributors".into(),
        Value::Array(e.contributors.iter().map(person).collect()),
    );
    put(&mut m, "publisher", opt(e.publisher.as_deref()));
    if let Some(p) = &e.publisher_detail {
        m.insert("publisher_detail".into(), person(p));
    }
    put_date(&mut m, "published", e.published_str.as_deref(), e.published);
    put_date(&mut m, "updated", e.updated_str.as_deref(), e.updated);
    put_date(&mut m, "created", e.created_str.as_deref(), e.created);
    if let Some(x) = e.expired {
        m.insert(
            "expired".into(),
            json!(x.to_rfc2822().replace("+0000", "GMT")),
        );
        m.insert("expired_parsed".into(), parsed(x));
    }
    put(&mut m, "comments", opt(e.comments.as_deref()));
    m.insert(
        "enclosures".into(),
        Value::Array(
            e.enclosures
                .iter()
                .map(|x| json!({"href": x.url.to_string(), "type": opt(x.enclosure_type.as_deref()), "length": opt(x.length.as_deref())}))
                .collect(),
        ),
    );
    if let Some(s) = &e.source {
        m.insert(
            "source".into(),
            json!({"title": opt(s.title.as_deref()), "href": opt(s.href.as_deref()), "link": opt(s.link.as_deref()), "author": opt(s.author.as_deref()), "id": opt(s.id.as_deref()), "links": s.links.iter().map(link).collect::<Vec<_>>()}),
        );
    }
    if let Some(it) = &e.itunes {
        put(&mut m, "itunes_explicit", itunes_explicit(it.explicit));
    }
    put(&mut m, "license", opt(e.license.as_deref()));
    Value::Object(m)
}

/// Puts back any private host the parse had masked.
fn restore(v: Value, doc: &Document) -> Value {
    match v {
        Value::String(s) => Value::String(doc.restore(&s)),
        Value::Array(a) => Value::Array(a.into_iter().map(|x| restore(x, doc)).collect()),
        Value::Object(o) => {
            Value::Object(o.into_iter().map(|(k, x)| (k, restore(x, doc))).collect())
        }
        other => other,
    }
}
