//! URL normalisation on any text: no panic, and normalising twice changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    let once = parallax_model::url_norm::canonicalize_url(&raw);
    let twice = parallax_model::url_norm::canonicalize_url(&once);
    assert_eq!(once, twice, "not idempotent on {raw:?}");
});
