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
    // Inside tags (text may mention anything): no event handler, no script URL.
    for tag in lower.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        assert!(
            !tag.split_whitespace().skip(1).any(|a| a.starts_with("on") && a.contains('=')),
            "handler survived: {clean}"
        );
        // Attribute values are written double-quoted: a value may mention a scheme (in an
        // http URL's path), never begin with one.
        for scheme in ["javascript:", "vbscript:", "data:"] {
            assert!(
                !tag.contains(&format!("=\"{scheme}")),
                "{scheme} survived in a tag: {clean}"
            );
        }
    }
    // Sanitizing is idempotent: clean output stays as it is.
    assert_eq!(parallax_extract::sanitize_html(&clean, base.as_ref()), clean);
});
