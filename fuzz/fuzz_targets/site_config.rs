//! Site configs and their XPath on any text: rules or reasons, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = parallax_extract::SiteConfig::parse(&text);
});
