//! Dates as pages and feeds write them, parsed to UTC.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Parses the date shapes pages commonly carry: RFC 3339 / ISO 8601 (with or without zone,
/// seconds or time), RFC 2822. A date without a zone is taken as UTC.
pub fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.with_timezone(&Utc));
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
            return Some(dt.with_timezone(&Utc));
        }
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(Utc.from_utc_datetime(&dt));
        }
    }
    let date_part = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(date_part, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| Utc.from_utc_datetime(&dt))
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn common_shapes_parse_to_utc() {
        let cases = [
            ("2026-11-03T10:15:00+01:00", "2026-11-03T09:15:00+00:00"),
            ("2026-11-03T10:15:00Z", "2026-11-03T10:15:00+00:00"),
            (
                "2026-11-03T10:15:00.250+0000",
                "2026-11-03T10:15:00.250+00:00",
            ),
            ("2026-11-03T10:15", "2026-11-03T10:15:00+00:00"),
            ("Tue, 03 Nov 2026 10:15:00 GMT", "2026-11-03T10:15:00+00:00"),
            ("2026-11-03", "2026-11-03T00:00:00+00:00"),
        ];
        for (raw, want) in cases {
            assert_eq!(
                parse_date(raw).map(|d| d.to_rfc3339()).as_deref(),
                Some(want),
                "{raw}"
            );
        }
        assert_eq!(parse_date("yesterday"), None);
    }
}
