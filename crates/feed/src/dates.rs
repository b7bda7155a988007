//! Dates as feeds write them, to UTC: Universal Feed Parser's date readers (W3C-DTF, RFC 822
//! and its variants, ISO 8601's many shapes, asctime, Perforce, and the Hungarian, Greek and
//! Korean formats it met in the wild), ported, then Parallax's own loose reading of the
//! pieces in any order, for what none of them accepts.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};

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
        if !t[1..].chars().all(|c| c.is_ascii_digit() || c == ':') {
            return None;
        }
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
    let mut named_month = false;
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
            // A time that is not one: the date is garbled, not guessable.
            return None;
        }
        if let Some(m) = month(token) {
            mon = mon.or(Some(m));
            named_month = true;
            continue;
        }
        if let Some(z) = zone(token) {
            offset = offset.or(Some(z));
            continue;
        }
        if token.starts_with(['+', '-']) && token.contains(':') {
            return None;
        }
        if let Ok(n) = token.parse::<u32>() {
            match (token.len(), day, year) {
                (4, _, None) => year = Some(n as i32),
                (1 | 2, None, _) => day = Some(n),
                _ => {}
            }
        }
    }
    // Numbers alone are not a date unless written as one (`2006/09/15`).
    if !named_month && skip.is_empty() {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year?, mon?, day?)?;
    let local = date.and_time(at.unwrap_or(NaiveTime::MIN)).and_utc();
    Some(local - Duration::minutes(i64::from(offset.unwrap_or(0))))
}

/// One way of writing dates, read.
type Reader = fn(&str) -> Option<DateTime<Utc>>;

/// A date of any shape feeds write, in UTC; the first reader that accepts it wins.
pub(crate) fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    // The national formats first: their patterns are strict, and ISO 8601's would read
    // only the year of `2004-július-13T9:15-05:00`. They all name something in letters
    // beyond ASCII.
    const NATIONAL: [Reader; 4] = [hungarian, greek, korean_nate, korean_onblog];
    const COMMON: [Reader; 6] = [w3dtf, rfc822, iso8601, asctime, perforce, parse_loose];
    let national: &[Reader] = if raw.is_ascii() { &[] } else { &NATIONAL };
    national.iter().chain(&COMMON).find_map(|read| read(raw))
}

/// Zone names of RFC 822 and W3C-DTF, in hours east of UTC.
fn zone_hours(name: &str) -> Option<i64> {
    Some(match name {
        "ut" | "gmt" | "z" => 0,
        "adt" => -3,
        "ast" | "at" | "edt" => -4,
        "est" | "et" | "cdt" => -5,
        "cst" | "ct" | "mdt" => -6,
        "mst" | "mt" | "pdt" => -7,
        "pst" | "pt" => -8,
        "a" => -1,
        "n" => 1,
        "m" => -12,
        "y" => 12,
        "met" => 1,
        "mest" => 2,
        _ => return None,
    })
}

/// `+01:00`, `-0500`, `+02` or a zone name, in minutes east of UTC; `None` for a numeric
/// offset that is not one.
fn offset_minutes(zone: &str) -> Option<i64> {
    let Some(digits) = zone.strip_prefix(['-', '+']) else {
        return Some(zone_minutes(zone));
    };
    let hours: i64 = int(digits.get(..2)?)?;
    let rest = digits.get(2..).unwrap_or("");
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    let minutes: i64 = if rest.is_empty() { 0 } else { int(rest)? };
    let total = hours * 60 + minutes;
    Some(if zone.starts_with('-') { -total } else { total })
}

/// A zone name's offset in minutes: RFC 822's names, then the ones feeds use; unknown
/// names are UTC.
fn zone_minutes(name: &str) -> i64 {
    zone_hours(name)
        .map(|h| h * 60)
        .or_else(|| zone(&name.to_uppercase()).map(i64::from))
        .unwrap_or(0)
}

fn utc(
    (year, month, day): (i32, u32, u32),
    (hour, minute, second): (u32, u32, u32),
    offset_minutes: i64,
) -> Option<DateTime<Utc>> {
    let local = NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(hour, minute, second)?;
    if offset_minutes.abs() >= 24 * 60 {
        return None;
    }
    let at = local.and_utc() - Duration::minutes(offset_minutes);
    // Years past 9999 are no date a feed means.
    (at.year() <= 9999).then_some(at)
}

fn int<T: std::str::FromStr>(s: &str) -> Option<T> {
    s.trim().parse().ok()
}

/// `2003-12-31T10:14:55-08:00`, `2003-12-31`, `2003-12`, and zone names.
fn w3dtf(raw: &str) -> Option<DateTime<Utc>> {
    let lower = raw.to_lowercase();
    let mut parts: Vec<String> = lower.split('t').map(str::to_string).collect();
    if parts.len() == 1 {
        parts = parts[0].split_whitespace().map(str::to_string).collect();
        if parts.len() == 1 {
            parts.push("00:00:00z".into());
        }
    } else if parts.len() > 2 {
        return None;
    }
    if parts.len() < 2 {
        return None;
    }
    let mut date: Vec<&str> = parts[0].splitn(3, '-').collect();
    if date.first().is_none_or(|y| y.len() != 4) {
        return None;
    }
    while date.len() < 3 {
        date.push("1");
    }
    let (year, month, day) = (int(date[0])?, int(date[1])?, int(date[2])?);
    let mut time = parts[1].clone();
    if let Some(t) = time.strip_suffix('z') {
        time = t.to_string();
        parts.push("z".into());
    }
    let at = time.find(['-', '+']).unwrap_or(time.len());
    parts.push(time[at..].to_string());
    time.truncate(at);
    // A zone written apart from the time comes first.
    let zone = parts[2].clone();
    let mut hms: Vec<&str> = time.splitn(3, ':').collect();
    while hms.len() < 3 {
        hms.push("0");
    }
    let offset = offset_minutes(&zone)?;
    let float = |s: &str| s.trim().parse::<f64>().ok().filter(|f| *f >= 0.0);
    let seconds = float(hms[2])?;
    let at = utc(
        (year, month, day),
        (float(hms[0])? as u32, float(hms[1])? as u32, seconds as u32),
        offset,
    )?;
    // Fractions of a second are kept (to the millisecond), not rounded away.
    let millis = ((seconds.fract() * 1000.0).round() as i64).min(999);
    Some(at + Duration::milliseconds(millis))
}

const MONTHS3: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month3(word: &str) -> Option<u32> {
    let head: String = word.chars().take(3).collect();
    MONTHS3
        .iter()
        .position(|m| *m == head)
        .map(|i| i as u32 + 1)
}

/// `Thu, 01 Jan 2004 19:48:21 GMT`, with two-digit years, month and day swapped, more zone
/// names, and a date without a time.
fn rfc822(raw: &str) -> Option<DateTime<Utc>> {
    let lower = raw.to_lowercase();
    let mut parts: Vec<String> = lower.split_whitespace().map(str::to_string).collect();
    if parts.len() < 5 {
        parts.extend(["00:00:00".to_string(), "0000".to_string()]);
    }
    let day_names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    if day_names.iter().any(|d| parts[0].starts_with(d)) {
        parts.remove(0);
    }
    if parts.len() < 5 {
        return None;
    }
    let (day, month) = match int::<u32>(&parts[0]) {
        Some(d) => (d, month3(&parts[1])?),
        None => (int(&parts[1])?, month3(&parts[0])?),
    };
    let mut year: i32 = int(&parts[2])?;
    if parts[2].trim().len() <= 2 {
        year += if year < 90 { 2000 } else { 1900 };
    }
    let mut hms: Vec<&str> = parts[3].split(':').collect();
    while hms.len() < 3 {
        hms.push("0");
    }
    if hms.len() > 3 {
        return None;
    }
    let (hour, minute, second) = (int(hms[0])?, int(hms[1])?, int(hms[2])?);
    let mut zone = parts[4].clone();
    if let Some(z) = zone.strip_prefix("etc/") {
        zone = z.to_string();
    }
    if let Some(z) = zone.strip_prefix("gmt") {
        let z = z.replace(':', "");
        zone = if z.is_empty() { "gmt".into() } else { z };
    }
    let offset = offset_minutes(&zone)?;
    utc((year, month, day), (hour, minute, second), offset)
}

/// ISO 8601 in the shapes feedparser reads: `20031231`, `2003-335`, `03-12-31`, `--12-31`,
/// with or without a time and zone. A missing year or month is the current one.
fn iso8601(raw: &str) -> Option<DateTime<Utc>> {
    static PATTERNS: std::sync::LazyLock<Vec<regex_lite::Regex>> = std::sync::LazyLock::new(|| {
        let templates = [
            "YYYY-?MM-?DD",
            "YYYY-0MM?-?DD",
            "YYYY-MM",
            "YYYY-?OOO",
            "YY-?MM-?DD",
            "YY-?OOO",
            "YYYY",
            "-YY-?MM",
            "-OOO",
            "-YY",
            "--MM-?DD",
            "--MM",
            "---DD",
            "CC",
            "",
        ];
        templates
            .iter()
            .map(|t| {
                let body = t
                    .replace("YYYY", r"(?P<year>[0-9]{4})")
                    .replace("YY", r"(?P<year>[0-9][0-9])")
                    .replace("MM", r"(?P<month>[01][0-9])")
                    .replace("DD", r"(?P<day>[0123][0-9])")
                    .replace("OOO", r"(?P<ordinal>[0123][0-9][0-9])")
                    .replace("CC", r"(?P<century>[0-9][0-9]$)");
                regex_lite::Regex::new(&format!(
                    r"^{body}(T?(?P<hour>[0-9]{{2}}):(?P<minute>[0-9]{{2}})(:(?P<second>[0-9]{{2}}))?(\.(?P<fracsecond>[0-9]+))?(?P<tz>[+-](?P<tzhour>[0-9]{{2}})(:(?P<tzmin>[0-9]{{2}}))?|Z)?)?"
                ))
                .expect("valid pattern")
            })
            .collect()
    });
    // Unlike feedparser, the whole string must be the date: trailing junk means garbage.
    let m = PATTERNS
        .iter()
        .filter_map(|p| p.captures(raw))
        .find(|m| m.get(0).is_some_and(|all| all.len() == raw.len()))?;
    if raw.is_empty() {
        return None;
    }
    let num = |name: &str| m.name(name).and_then(|v| v.as_str().parse::<i64>().ok());
    let now = Utc::now();
    let ordinal = num("ordinal").unwrap_or(0);
    let mut year = match m.name("year").map(|y| y.as_str()) {
        None => i64::from(now.year()),
        Some(y) if y.len() == 2 => 100 * (i64::from(now.year()) / 100) + num("year")?,
        Some(_) => num("year")?,
    };
    let month = match num("month") {
        Some(mo) => mo,
        None if ordinal > 0 => 1,
        None => i64::from(now.month()),
    };
    let day = match num("day") {
        Some(d) if d > 0 => d,
        _ if ordinal > 0 => ordinal,
        _ if m.name("century").is_some()
            || m.name("year").is_some()
            || m.name("month").is_some() =>
        {
            1
        }
        _ => i64::from(now.day()),
    };
    if let Some(c) = num("century") {
        year = (c - 1) * 100 + 1;
    }
    let in_range = |name: &str, max: i64| num(name).is_none_or(|v| v <= max);
    if !(in_range("hour", 24)
        && in_range("minute", 59)
        && in_range("second", 60)
        && in_range("tzhour", 14)
        && in_range("tzmin", 59))
    {
        return None;
    }
    let mut minutes_off = 0;
    if let Some(tz) = m.name("tz").map(|t| t.as_str()).filter(|t| *t != "Z") {
        let off = num("tzhour").unwrap_or(0) * 60 + num("tzmin").unwrap_or(0);
        minutes_off = if tz.starts_with('-') { -off } else { off };
    }
    // Day and month may overflow (an ordinal as the day), as Python's mktime lets them.
    let start = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, u32::try_from(month).ok()?, 1)?;
    let date = start.checked_add_signed(Duration::days(day - 1))?;
    let time = NaiveTime::from_hms_opt(0, 0, 0)?;
    let at = date.and_time(time).and_utc()
        + Duration::hours(num("hour").unwrap_or(0))
        + Duration::minutes(num("minute").unwrap_or(0))
        + Duration::seconds(num("second").unwrap_or(0));
    Some(at - Duration::minutes(minutes_off))
}

/// `Sun Jan  4 16:29:06 PST 2004` and `Sun Jan 4 16:29:06 2004`.
fn asctime(raw: &str) -> Option<DateTime<Utc>> {
    let mut parts: Vec<&str> = raw.split_whitespace().collect();
    if parts.len() == 5 {
        parts.insert(4, "+0000");
    }
    if parts.len() != 6 {
        return None;
    }
    rfc822(&[parts[0], parts[2], parts[1], parts[5], parts[3], parts[4]].join(" "))
}

/// Perforce's `Fri, 2006/09/15 08:19:53 EDT`.
fn perforce(raw: &str) -> Option<DateTime<Utc>> {
    static RE: std::sync::LazyLock<regex_lite::Regex> = std::sync::LazyLock::new(|| {
        regex_lite::Regex::new(r"(\w{0,3}), ([0-9]{0,4})/([0-9]{0,2})/([0-9]{2}) ([0-9]{0,2}):([0-9]{2}):([0-9]{2}) (\w{0,3})")
            .expect("valid pattern")
    });
    let c = RE.captures(raw)?;
    let month = MONTHS3.get(int::<usize>(&c[3])?.checked_sub(1)?)?;
    rfc822(&format!(
        "{}, {} {} {} {}:{}:{} {}",
        &c[1], &c[4], month, &c[2], &c[5], &c[6], &c[7], &c[8]
    ))
}

/// `2004-július-13T9:15-05:00`.
fn hungarian(raw: &str) -> Option<DateTime<Utc>> {
    static RE: std::sync::LazyLock<regex_lite::Regex> = std::sync::LazyLock::new(|| {
        regex_lite::Regex::new(
            r"^([0-9]{4})-([^-]+)-([0-9]{0,2})T([0-9]{0,2}):([0-9]{2})([+-]([0-9]{0,2}:[0-9]{2}))",
        )
        .expect("valid pattern")
    });
    const MONTHS: [&str; 12] = [
        "január",
        "februári",
        "március",
        "április",
        "máujus",
        "június",
        "július",
        "augusztus",
        "szeptember",
        "október",
        "november",
        "december",
    ];
    let c = RE.captures(raw)?;
    let month = MONTHS.iter().position(|m| *m == &c[2])? + 1;
    w3dtf(&format!(
        "{}-{:02}-{:0>2}T{:0>2}:{}{}",
        &c[1], month, &c[3], &c[4], &c[5], &c[6]
    ))
}

/// `Κυρ, 11 Ιούλ 2004 12:00:00 EST`.
fn greek(raw: &str) -> Option<DateTime<Utc>> {
    static RE: std::sync::LazyLock<regex_lite::Regex> = std::sync::LazyLock::new(|| {
        regex_lite::Regex::new(r"^([^,]+),\s+([0-9]{2})\s+([^\s]+)\s+([0-9]{4})\s+([0-9]{2}):([0-9]{2}):([0-9]{2})\s+([^\s]+)")
            .expect("valid pattern")
    });
    const MONTHS: [(&str, &str); 19] = [
        ("Ιαν", "Jan"),
        ("Φεβ", "Feb"),
        ("Μάώ", "Mar"),
        ("Μαώ", "Mar"),
        ("Απρ", "Apr"),
        ("Μάι", "May"),
        ("Μαϊ", "May"),
        ("Μαι", "May"),
        ("Ιούν", "Jun"),
        ("Ιον", "Jun"),
        ("Ιούλ", "Jul"),
        ("Ιολ", "Jul"),
        ("Αύγ", "Aug"),
        ("Αυγ", "Aug"),
        ("Σεπ", "Sep"),
        ("Οκτ", "Oct"),
        ("Νοέ", "Nov"),
        ("Νοε", "Nov"),
        ("Δεκ", "Dec"),
    ];
    const DAYS: [&str; 7] = ["Κυρ", "Δευ", "Τρι", "Τετ", "Πεμ", "Παρ", "Σαβ"];
    let c = RE.captures(raw)?;
    if !DAYS.contains(&&c[1]) {
        return None;
    }
    let month = MONTHS.iter().find(|(g, _)| *g == &c[3])?.1;
    rfc822(&format!(
        "{} {} {} {}:{}:{} {}",
        &c[2], month, &c[4], &c[5], &c[6], &c[7], &c[8]
    ))
}

/// `2004-05-25 오후 11:23:17` (Korean Standard Time).
fn korean_nate(raw: &str) -> Option<DateTime<Utc>> {
    static RE: std::sync::LazyLock<regex_lite::Regex> = std::sync::LazyLock::new(|| {
        regex_lite::Regex::new(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})\s+(오전|오후)\s+([0-9]{0,2}):([0-9]{0,2}):([0-9]{0,2})")
            .expect("valid pattern")
    });
    let c = RE.captures(raw)?;
    let mut hour: u32 = int(&c[5])?;
    if &c[4] == "오후" {
        hour += 12;
    }
    w3dtf(&format!(
        "{}-{}-{}T{:02}:{}:{}+09:00",
        &c[1], &c[2], &c[3], hour, &c[6], &c[7]
    ))
}

/// `2004년 05월 28일  01:31:15` (Korean Standard Time).
fn korean_onblog(raw: &str) -> Option<DateTime<Utc>> {
    static RE: std::sync::LazyLock<regex_lite::Regex> = std::sync::LazyLock::new(|| {
        regex_lite::Regex::new(
            r"^([0-9]{4})년\s+([0-9]{2})월\s+([0-9]{2})일\s+([0-9]{2}):([0-9]{2}):([0-9]{2})",
        )
        .expect("valid pattern")
    });
    let c = RE.captures(raw)?;
    w3dtf(&format!(
        "{}-{}-{}T{}:{}:{}+09:00",
        &c[1], &c[2], &c[3], &c[4], &c[5], &c[6]
    ))
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

    #[test]
    fn every_reader_of_the_chain() {
        let cases = [
            (
                "2003-12-31T10:14:55-08:00",
                Some("2003-12-31T18:14:55+00:00"),
            ),
            (
                "2004-07-08 23:56:58 -00:20",
                Some("2004-07-09T00:16:58+00:00"),
            ),
            (
                "Thu, 01 Jan 04 19:48:21 GMT",
                Some("2004-01-01T19:48:21+00:00"),
            ),
            (
                "Mon, 02 Jan 2006 15:04:05 CEST",
                Some("2006-01-02T13:04:05+00:00"),
            ),
            ("20031231T10:14:55Z", Some("2003-12-31T10:14:55+00:00")),
            ("2003-335", Some("2003-12-01T00:00:00+00:00")),
            (
                "Sun Jan  4 16:29:06 PST 2004",
                Some("2004-01-05T00:29:06+00:00"),
            ),
            (
                "Fri, 2006/09/15 08:19:53 EDT",
                Some("2006-09-15T12:19:53+00:00"),
            ),
            (
                "2004-július-13T9:15-05:00",
                Some("2004-07-13T14:15:00+00:00"),
            ),
            (
                "Κυρ, 11 Ιούλ 2004 12:00:00 EST",
                Some("2004-07-11T17:00:00+00:00"),
            ),
            (
                "2004-05-25 오후 11:23:17",
                Some("2004-05-25T14:23:17+00:00"),
            ),
            (
                "2004년 05월 28일  01:31:15",
                Some("2004-05-27T16:31:15+00:00"),
            ),
            ("2003-12-31T25:14:55Z", None),
            ("2013-01-28T11:30:00-06:00Textra", None),
            ("Sun, 16 Dec 2012 11:47:32 +zz:00", None),
            ("", None),
        ];
        for (raw, want) in cases {
            assert_eq!(
                parse_date(raw).map(|d| d.to_rfc3339()).as_deref(),
                want,
                "{raw}"
            );
        }
    }
}
