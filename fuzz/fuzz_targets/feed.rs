//! The feed reader on any bytes: a feed or a reason, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let base = url::Url::parse("https://outlet.example/feed.xml").ok();
    let _ = parallax_feed::parse_feed(data, base.as_ref(), None);
    let _ = parallax_feed::parse_feed(data, None, Some("application/xml; charset=windows-1252"));
});
