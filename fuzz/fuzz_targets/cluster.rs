//! The clusterer on any text: articles cut from the input at NUL bytes (first line the
//! headline, a leading byte picking the language and the hour), streamed through
//! vectorize, decide and insert, then a merge pass: no panic, in bounded time.
#![no_main]

use chrono::{Duration, TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use parallax_cluster::{ClusterConfig, Clusterer, Doc};

const LANGUAGES: [Option<&str>; 5] = [None, Some("en"), Some("de"), Some("ar"), Some("zz")];

fuzz_target!(|data: &[u8]| {
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let mut clusterer = Clusterer::new(ClusterConfig::default());
    let mut next = 1;
    for (i, part) in data.split(|b| *b == 0).take(64).enumerate() {
        let (head, body) = part.split_first().unwrap_or((&0, &[]));
        let text = String::from_utf8_lossy(body);
        let (title, text) = text.split_once('\n').unwrap_or(("", &text));
        let doc = Doc {
            title: title.to_string(),
            text: text.to_string(),
            published: start + Duration::hours(i64::from(*head)) * (i as i32 + 1),
            language: LANGUAGES[usize::from(*head) % LANGUAGES.len()].map(str::to_string),
        };
        let vector = clusterer.vectorize(&doc);
        let story = clusterer.decide(&doc, &vector).story().unwrap_or_else(|| {
            next += 1;
            next - 1
        });
        clusterer.insert(i as i64, story, &doc, &vector);
    }
    clusterer.run_passes(&mut || {
        next += 1;
        next - 1
    });
});
