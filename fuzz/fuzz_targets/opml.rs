//! The OPML reader on any bytes: feeds or a reason, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parallax_feed::opml::parse_opml(data);
});
