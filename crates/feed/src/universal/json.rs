//! JSON Feed 1.0 and 1.1 read into the same dictionary shape as RSS and Atom, with the
//! keys Universal Feed Parser's JSON reader uses.

use serde_json::Value;

use super::{list_at, text, Dict, Universal};

fn string<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn date(d: &mut Dict, key: &str, raw: Option<&str>) {
    let Some(raw) = raw else { return };
    d.insert(key.into(), text(raw));
    d.insert(
        format!("{key}_parsed"),
        crate::parse_feed_date(raw)
            .map(|t| Value::String(t.to_rfc3339()))
            .unwrap_or(Value::Null),
    );
}

fn link(href: &str, rel: &str, kind: &str) -> Value {
    let mut l = Dict::new();
    l.insert("href".into(), text(href));
    l.insert("rel".into(), text(rel));
    l.insert("type".into(), text(kind));
    Value::Object(l)
}

/// `author` (1.0) and `authors` (1.1) as feedparser's `author`, `author_detail`, `authors`.
fn authors(d: &mut Dict, v: &Value) {
    let mut people: Vec<&Value> = v
        .get("authors")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    if people.is_empty() {
        people.extend(v.get("author").filter(|a| a.is_object()));
    }
    let mut list = Vec::new();
    for p in people {
        let mut person = Dict::new();
        if let Some(n) = string(p, "name") {
            person.insert("name".into(), text(n));
        }
        if let Some(u) = string(p, "url") {
            person.insert("href".into(), text(u));
        }
        if let Some(a) = string(p, "avatar") {
            person.insert("avatar".into(), text(a));
        }
        list.push(Value::Object(person));
    }
    if let Some(Value::Object(first)) = list.first() {
        if let Some(n) = first.get("name") {
            d.insert("author".into(), n.clone());
        }
        d.insert("author_detail".into(), Value::Object(first.clone()));
    }
    if !list.is_empty() {
        d.insert("authors".into(), Value::Array(list));
    }
}

fn item(v: &Value) -> Dict {
    let mut e = Dict::new();
    if let Some(id) = v.get("id") {
        // Ids are strings in the specification and numbers in the wild.
        let id = match id {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        if !id.is_empty() {
            e.insert("id".into(), Value::String(id));
        }
    }
    if let Some(t) = string(v, "title") {
        e.insert("title".into(), text(t));
    }
    if let Some(u) = string(v, "url") {
        e.insert("link".into(), text(u));
        list_at(&mut e, "links").push(link(u, "alternate", "text/html"));
    }
    if let Some(u) = string(v, "external_url") {
        list_at(&mut e, "links").push(link(u, "related", "text/html"));
    }
    for (key, kind) in [
        ("content_html", "text/html"),
        ("content_text", "text/plain"),
    ] {
        if let Some(c) = string(v, key) {
            let mut detail = Dict::new();
            detail.insert("type".into(), text(kind));
            detail.insert("language".into(), Value::Null);
            detail.insert("base".into(), text(""));
            detail.insert("value".into(), text(c));
            list_at(&mut e, "content").push(Value::Object(detail));
        }
    }
    if let Some(s) = string(v, "summary") {
        e.insert("summary".into(), text(s));
    }
    if let Some(i) = string(v, "image").or_else(|| string(v, "banner_image")) {
        let mut image = Dict::new();
        image.insert("href".into(), text(i));
        e.insert("image".into(), Value::Object(image));
    }
    date(&mut e, "published", string(v, "date_published"));
    date(&mut e, "updated", string(v, "date_modified"));
    authors(&mut e, v);
    if let Some(tags) = v.get("tags").and_then(Value::as_array) {
        let list = list_at(&mut e, "tags");
        for t in tags.iter().filter_map(Value::as_str) {
            let mut tag = Dict::new();
            tag.insert("term".into(), text(t));
            tag.insert("scheme".into(), Value::Null);
            tag.insert("label".into(), Value::Null);
            list.push(Value::Object(tag));
        }
    }
    if let Some(attachments) = v.get("attachments").and_then(Value::as_array) {
        for a in attachments {
            let Some(url) = string(a, "url") else {
                continue;
            };
            let mut l = Dict::new();
            l.insert("href".into(), text(url));
            l.insert("rel".into(), text("enclosure"));
            if let Some(t) = string(a, "mime_type") {
                l.insert("type".into(), text(t));
            }
            if let Some(n) = a.get("size_in_bytes").filter(|n| n.is_number()) {
                l.insert("length".into(), Value::String(n.to_string()));
            }
            if let Some(t) = string(a, "title") {
                l.insert("title".into(), text(t));
            }
            list_at(&mut e, "links").push(Value::Object(l));
        }
    }
    e
}

/// Reads a JSON Feed; `None` if the document is not one.
pub(crate) fn parse_json(text_: &str) -> Option<Universal> {
    // Most JSON is not a feed; the version URL says so before the whole is read.
    if !text_.contains("jsonfeed.org") && !text_.contains("\"items\"") {
        return None;
    }
    let v: Value = serde_json::from_str(text_).ok()?;
    let version = string(&v, "version")?;
    // The specification's URL, or its bare number as some generators write it.
    let version = match version.trim_end_matches('/') {
        v if v.ends_with("jsonfeed.org/version/1.1") || v == "1.1" => "json11",
        v if v.ends_with("jsonfeed.org/version/1") || v == "1" || v == "1.0" => "json1",
        _ => return None,
    };
    let mut feed = Dict::new();
    if let Some(t) = string(&v, "title") {
        feed.insert("title".into(), text(t));
    }
    if let Some(u) = string(&v, "home_page_url") {
        feed.insert("link".into(), text(u));
        list_at(&mut feed, "links").push(link(u, "alternate", "text/html"));
    }
    if let Some(u) = string(&v, "feed_url") {
        list_at(&mut feed, "links").push(link(u, "self", "application/feed+json"));
    }
    if let Some(d) = string(&v, "description") {
        feed.insert("subtitle".into(), text(d));
    }
    if let Some(i) = string(&v, "icon") {
        let mut image = Dict::new();
        image.insert("href".into(), text(i));
        feed.insert("image".into(), Value::Object(image));
    }
    if let Some(i) = string(&v, "favicon") {
        feed.insert("icon".into(), text(i));
    }
    if let Some(l) = string(&v, "language") {
        feed.insert("language".into(), text(l));
    }
    authors(&mut feed, &v);
    let entries = v
        .get("items")
        .and_then(Value::as_array)
        .map(|items| items.iter().filter(|i| i.is_object()).map(item).collect())
        .unwrap_or_default();
    Some(Universal {
        feed,
        entries,
        version: version.into(),
        bozo: None,
        namespaces: Dict::new(),
        root: String::new(),
    })
}
