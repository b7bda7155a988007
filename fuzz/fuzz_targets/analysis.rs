//! The story analysis on any text: versions cut from the input at NUL bytes (a leading
//! byte picking the outlet, the language and the day), aligned, their quotes, counts, days
//! and entities read: no panic, in bounded time.
#![no_main]

use chrono::{Duration, TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use parallax_cluster::analysis::{align, VersionText};

const LANGUAGES: [Option<&str>; 4] = [None, Some("en"), Some("de"), Some("zh")];

fuzz_target!(|data: &[u8]| {
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
    let parts: Vec<(u8, String)> = data
        .split(|b| *b == 0)
        .take(24)
        .map(|part| {
            let (head, body) = part.split_first().unwrap_or((&0, &[]));
            (*head, String::from_utf8_lossy(body).into_owned())
        })
        .collect();
    let versions: Vec<VersionText<'_>> = parts
        .iter()
        .enumerate()
        .map(|(i, (head, text))| VersionText {
            article: i as i64,
            outlet: i64::from(head % 5),
            text,
            language: LANGUAGES[usize::from(*head) % LANGUAGES.len()],
            published: (head % 3 != 0).then(|| start + Duration::days(i64::from(*head % 16))),
        })
        .collect();
    let _ = align(&versions);
});
