//! The parse result in Universal Feed Parser's shape, as its test expectations read it:
//! `*_parsed` dates as Python's 9-tuples, and the keys feedparser computes on access
//! (`enclosures`, `license`).

use chrono::{DateTime, Datelike, Timelike, Utc};
use parallax_feed::{Dict, Document};
use serde_json::{json, Map, Value};

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

/// A dictionary of the parse with its dates as tuples, recursively.
fn shape(d: &Dict) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in d {
        let v = if k.ends_with("_parsed") {
            v.as_str()
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .map(|t| parsed(t.with_timezone(&Utc)))
                .unwrap_or(Value::Null)
        } else {
            shape_value(v)
        };
        out.insert(k.clone(), v);
    }
    // What `FeedParserDict.__getitem__` computes from `links`.
    if let Some(Value::Array(links)) = d.get("links") {
        let enclosures: Vec<Value> = links
            .iter()
            .filter_map(Value::as_object)
            .filter(|l| l.get("rel").and_then(Value::as_str) == Some("enclosure"))
            .map(|l| {
                let mut e = l.clone();
                e.remove("rel");
                Value::Object(e)
            })
            .collect();
        out.insert("enclosures".into(), Value::Array(enclosures));
        let license = links.iter().filter_map(Value::as_object).find(|l| {
            l.get("rel").and_then(Value::as_str) == Some("license") && l.contains_key("href")
        });
        if let Some(l) = license {
            out.insert("license".into(), l["href"].clone());
        }
    }
    out
}

fn shape_value(v: &Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(shape(o)),
        Value::Array(a) => Value::Array(a.iter().map(shape_value).collect()),
        other => other.clone(),
    }
}

pub(crate) fn to_feedparser(doc: &Document) -> Value {
    let raw = &doc.raw;
    json!({
        "bozo": raw.bozo.is_some() || doc.encoding_problem.is_some(),
        "encoding": doc.encoding_label,
        "version": raw.version,
        "feed": Value::Object(shape(&raw.feed)),
        "entries": raw.entries.iter().map(|e| Value::Object(shape(e))).collect::<Vec<_>>(),
        "namespaces": Value::Object(raw.namespaces.clone()),
    })
}
