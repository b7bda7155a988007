//! The sanitizer on any text: nothing that can run survives, and the output is balanced.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let base = url::Url::parse("https://outlet.example/news/").ok();
    let clean = parallax_extract::sanitize_html(&html, base.as_ref());
    let lower = clean.to_ascii_lowercase();
    for bad in ["<script", "<style", "<form", "<object", "<embed"] {
        assert!(!lower.contains(bad), "{bad} survived: {clean}");
    }
    // No handler, script URL, style or active element, as the standard's parser reads the
    // output (a quoted attribute value may mention `onclick=` as text: a split on spaces
    // once took that for a handler).
    let found = parallax_extract::unsafe_markup(&clean);
    assert!(found.is_empty(), "{found:?} survived: {clean}");
    // Sanitizing is idempotent: clean output stays as it is.
    assert_eq!(parallax_extract::sanitize_html(&clean, base.as_ref()), clean);
});
