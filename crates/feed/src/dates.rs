//! Dates as feeds write them, when feedparser-rs's parser gives up: RFC 822 with the zone
//! names and sloppiness found in the wild, asctime, dates without a time.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

/// Zone abbreviations feeds use, with their offset from UTC in minutes.
const ZONES: &[(&str, i32)] = &[
    ("UT", 0),
    ("UTC", 0),
    ("GMT", 0),
    ("Z", 0),
    ("WET", 0),
    ("WEST", 60),
    ("BST", 60),
    ("CET", 60),
    ("MET", 60),
    ("CEST", 120),
    ("MEST", 120),
    ("EET", 120),
    ("EEST", 180),
    ("MSK", 180),
    ("IST", 330),
    ("JST", 540),
    ("KST", 540),
    ("AEST", 600),
    ("AEDT", 660),
    ("NZST", 720),
    ("NZDT", 780),
    ("EST", -300),
    ("EDT", -240),
    ("CST", -360),
    ("CDT", -300),
    ("MST", -420),
    ("MDT", -360),
    ("PST", -480),
    ("PDT", -420),
    ("AKST", -540),
    ("AKDT", -480),
    ("HST", -600),
    ("AT", -240),
    ("ET", -300),
    ("CT", -360),
    ("MT", -420),
    ("PT", -480),
];

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month(token: &str) -> Option<u32> {
    let t = token.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| t.starts_with(m) && t.len() <= 9)
        .map(|i| i as u32 + 1)
}

/// `+0200`, `-01:01`, `GMT-01:01`, `Etc/GMT`, or a named zone.
fn zone(token: &str) -> Option<i32> {
    let t = token.trim_start_matches("Etc/");
    let t = t
        .strip_prefix("GMT")
        .or_else(|| t.strip_prefix("UTC"))
        .filter(|r| !r.is_empty())
        .unwrap_or(t);
    if let Some(sign) = t.chars().next().filter(|c| *c == '+' || *c == '-') {
        let digits: String = t[1..].chars().filter(char::is_ascii_digit).collect();
        let (h, m) = match digits.len() {
            4 => (
                digits[..2].parse::<i32>().ok()?,
                digits[2..].parse::<i32>().ok()?,
            ),
            1 | 2 => (digits.parse::<i32>().ok()?, 0),
            _ => return None,
        };
        let minutes = h * 60 + m;
        return Some(if sign == '-' { -minutes } else { minutes });
    }
    ZONES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(t))
        .map(|(_, m)| *m)
}

fn time(token: &str) -> Option<NaiveTime> {
    let parts: Vec<u32> = token
        .split(':')
        .map(|p| p.split('.').next().unwrap_or(p).parse().ok())
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [h, m] => NaiveTime::from_hms_opt(*h, *m, 0),
        [h, m, s] => NaiveTime::from_hms_opt(*h, *m, *s),
        _ => None,
    }
}

/// Reads the pieces of a date in any order feeds write them: weekday, day, month name,
/// year, time, zone. The time defaults to midnight and the zone to UTC.
pub(crate) fn parse_loose(raw: &str) -> Option<DateTime<Utc>> {
    let cleaned = raw.replace([',', '/'], " ");
    let tokens: Vec<&str> = cleaned.split_whitespace().collect();
    let (mut year, mut mon, mut day, mut at, mut offset) = (None, None, None, None, None);
    // "2006/09/15": a numeric year, month and day in a row.
    let mut skip = 0..0;
    for (i, w) in tokens.windows(3).enumerate() {
        let nums: Option<Vec<u32>> = w.iter().map(|t| t.parse().ok()).collect();
        if let (Some(n), true) = (nums, w[0].len() == 4 && w[1].len() <= 2 && w[2].len() <= 2) {
            (year, mon, day) = (Some(n[0] as i32), Some(n[1]), Some(n[2]));
            skip = i..i + 3;
            break;
        }
    }
    for (i, token) in tokens.iter().copied().enumerate() {
        if skip.contains(&i) {
            continue;
        }
        if at.is_none() && token.contains(':') && !token.starts_with(['+', '-']) {
            at = time(token);
            if at.is_some() {
                continue;
            }
        }
        if let Some(m) = month(token) {
            mon = mon.or(Some(m));
            continue;
        }
        if let Some(z) = zone(token) {
            offset = offset.or(Some(z));
            continue;
        }
        if let Ok(n) = token.parse::<u32>() {
            match (token.len(), day, year) {
                (4, _, None) => year = Some(n as i32),
                (1 | 2, None, _) => day = Some(n),
                _ => {}
            }
        }
    }
    let date = NaiveDate::from_ymd_opt(year?, mon?, day?)?;
    let local = date.and_time(at.unwrap_or(NaiveTime::MIN)).and_utc();
    Some(local - Duration::minutes(i64::from(offset.unwrap_or(0))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sloppy_dates_of_the_wild() {
        let cases = [
            (
                "Thu, 30 Apr 2015 08:57:00 MEST",
                "2015-04-30T06:57:00+00:00",
            ),
            (
                "Wed, 19 Aug 2009 18:28:00 Etc/GMT",
                "2009-08-19T18:28:00+00:00",
            ),
            (
                "Wed, 19 Feb 2012 22:40:00 GMT-01:01",
                "2012-02-19T23:41:00+00:00",
            ),
            (
                "Mon, 13 Feb, 2012 06:28:00 UTC",
                "2012-02-13T06:28:00+00:00",
            ),
            ("Thu, 01 Jan 2004", "2004-01-01T00:00:00+00:00"),
            (
                "Mon, 26 January 2004 16:31:00 PT",
                "2004-01-27T00:31:00+00:00",
            ),
            (
                "Sun Jul 15 01:16:00 +0000 2012",
                "2012-07-15T01:16:00+00:00",
            ),
            (
                "Thu Aug 30 2012 17:26:16 +0200",
                "2012-08-30T15:26:16+00:00",
            ),
            ("Fri, 2006/09/15 08:19:53 EDT", "2006-09-15T12:19:53+00:00"),
        ];
        for (raw, want) in cases {
            assert_eq!(
                parse_loose(raw).map(|d| d.to_rfc3339()).as_deref(),
                Some(want),
                "{raw}"
            );
        }
        assert_eq!(parse_loose("soon"), None);
    }
}
