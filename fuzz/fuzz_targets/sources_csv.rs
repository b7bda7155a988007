//! The editors' CSV of outlets on any bytes: rows and reasons, never a panic; what it writes
//! reads back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parallax_feed::sources_csv::{parse_sources_csv, write_sources_csv};

fuzz_target!(|data: &[u8]| {
    let (rows, _errors) = parse_sources_csv(data);
    let (again, errors) = parse_sources_csv(write_sources_csv(&rows).as_bytes());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(again, rows);
});
