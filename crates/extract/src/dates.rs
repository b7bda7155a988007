//! Dates as pages and feeds write them, parsed to UTC.

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use rustc_hash::FxHashMap;

/// Parses the date shapes pages commonly carry: RFC 3339 / ISO 8601 (with or without zone,
/// seconds or time), RFC 2822. A date without a zone is taken as UTC.
pub fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    parse_date_zoned(raw).map(|(at, _)| at)
}

/// As `parse_date`, with the offset from UTC the date was written in (minutes east), if it
/// gave one.
pub fn parse_date_zoned(raw: &str) -> Option<(DateTime<Utc>, Option<i32>)> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    let zoned = |dt: DateTime<FixedOffset>| {
        Some((
            dt.with_timezone(&Utc),
            Some(dt.offset().local_minus_utc() / 60),
        ))
    };
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return zoned(dt);
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return zoned(dt);
    }
    // `%z` takes no "Z", which RFC 3339 allows only after seconds: "2021-11-04T23:00Z".
    let utc_written;
    let with_offset = match s.strip_suffix(['Z', 'z']) {
        Some(rest) => {
            utc_written = format!("{rest}+00:00");
            utc_written.as_str()
        }
        None => s,
    };
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d %H:%M%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(with_offset, fmt) {
            return zoned(dt);
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
            return Some((Utc.from_utc_datetime(&dt), None));
        }
    }
    let date_part = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(date_part, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| (Utc.from_utc_datetime(&dt), None))
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
            ("2026-11-03T23:00Z", "2026-11-03T23:00:00+00:00"),
            ("2026-11-03 23:00:00Z", "2026-11-03T23:00:00+00:00"),
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

    #[test]
    fn the_zone_a_date_was_written_in_is_kept() {
        let zone = |raw: &str| super::parse_date_zoned(raw).and_then(|(_, z)| z);
        assert_eq!(zone("2022-05-03T23:37:37-04:00"), Some(-240));
        assert_eq!(zone("Tue, 03 Nov 2026 10:15:00 +0100"), Some(60));
        assert_eq!(zone("2026-11-03T10:15"), None);
        assert_eq!(zone("2026-11-03T23:00Z"), Some(0));
    }
}

/// Month names in the languages Parallax meets most, with their number.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("maerz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    ("okt", 10),
    ("dez", 12),
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
    // Russian, Ukrainian, Polish and Czech write a date's month in the genitive.
    ("января", 1),
    ("февраля", 2),
    ("марта", 3),
    ("апреля", 4),
    ("мая", 5),
    ("июня", 6),
    ("июля", 7),
    ("августа", 8),
    ("сентября", 9),
    ("октября", 10),
    ("ноября", 11),
    ("декабря", 12),
    ("січня", 1),
    ("лютого", 2),
    ("березня", 3),
    ("квітня", 4),
    ("травня", 5),
    ("червня", 6),
    ("липня", 7),
    ("серпня", 8),
    ("вересня", 9),
    ("жовтня", 10),
    ("листопада", 11),
    ("грудня", 12),
    ("stycznia", 1),
    ("lutego", 2),
    ("marca", 3),
    ("kwietnia", 4),
    ("maja", 5),
    ("czerwca", 6),
    ("lipca", 7),
    ("sierpnia", 8),
    ("września", 9),
    ("października", 10),
    ("listopada", 11),
    ("grudnia", 12),
    ("ledna", 1),
    ("února", 2),
    ("března", 3),
    ("dubna", 4),
    ("května", 5),
    ("června", 6),
    ("července", 7),
    ("srpna", 8),
    ("září", 9),
    ("října", 10),
    ("listopadu", 11),
    ("prosince", 12),
];

fn month_number(word: &str) -> Option<u32> {
    // Most words of a text are no month: those that cannot be are let go before lowering.
    if !word.chars().next().is_some_and(char::is_alphabetic) || word.len() > 24 {
        return None;
    }
    let w = word.trim_end_matches('.');
    // Nearly every word of a page comes here: ASCII ones are lowered without an allocation.
    let mut buf = [0u8; 24];
    let lowered;
    let w = if w.is_ascii() {
        let buf = &mut buf[..w.len()];
        buf.copy_from_slice(w.as_bytes());
        buf.make_ascii_lowercase();
        std::str::from_utf8(buf).ok()?
    } else {
        lowered = w.to_lowercase();
        lowered.as_str()
    };
    MONTH_NUMBERS.get(w).copied()
}

/// `MONTHS` by name; where a name is listed twice, its first number.
static MONTH_NUMBERS: LazyLock<FxHashMap<&'static str, u32>> = LazyLock::new(|| {
    let mut numbers = FxHashMap::default();
    for &(name, n) in MONTHS {
        numbers.entry(name).or_insert(n);
    }
    numbers
});

fn plausible(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let this_year = Utc::now().year();
    if !(1995..=this_year + 1).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A date written into an article's URL: `/2019/10/21/`, `/2019-10-21`, `/20191021/`,
/// `/2020-02/19/`.
pub fn date_from_url(url: &str) -> Option<NaiveDate> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    // Each run of digits with where it starts and ends in the path.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, c) in path.char_indices() {
        match (c.is_ascii_digit(), runs.last_mut()) {
            (true, Some(last)) if last.1 == i => last.1 = i + 1,
            (true, _) => runs.push((i, i + 1)),
            _ => {}
        }
    }
    // Year, month and day each set apart by one separator: in "/2021/10/meldung_01" the
    // 01 belongs to a word, not to the date.
    let joined = |a: (usize, usize), b: (usize, usize)| {
        matches!(path.get(a.1..b.0), Some("/" | "-" | "_" | "."))
    };
    for w in runs.windows(3) {
        let [y, m, d] = [w[0], w[1], w[2]].map(|(a, b)| &path[a..b]);
        if y.len() == 4 && m.len() <= 2 && d.len() <= 2 && joined(w[0], w[1]) && joined(w[1], w[2])
        {
            if let (Ok(y), Ok(m), Ok(d)) = (y.parse(), m.parse(), d.parse()) {
                if let Some(date) = plausible(y, m, d) {
                    return Some(date);
                }
            }
        }
    }
    if let Some(date) = day_first_in_path(path) {
        return Some(date);
    }
    runs.iter()
        .map(|&(a, b)| &path[a..b])
        .filter(|n| n.len() == 8)
        .find_map(|n| {
            plausible(
                n[..4].parse().ok()?,
                n[4..6].parse().ok()?,
                n[6..].parse().ok()?,
            )
        })
}

/// `29-10-2021` or `29.10.2021` in a path, the three numbers joined by one kind of
/// separator: day first, as nearly everywhere but the United States.
fn day_first_in_path(path: &str) -> Option<NaiveDate> {
    let b = path.as_bytes();
    let digits_at = |i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let number = |i: usize, n: usize| path.get(i..i + n)?.parse::<u32>().ok();
    (0..b.len()).find_map(|i| {
        if i > 0 && b[i - 1].is_ascii_digit() {
            return None;
        }
        let d = digits_at(i);
        let sep = *b.get(i + d)?;
        if !(1..=2).contains(&d) || !matches!(sep, b'-' | b'.') {
            return None;
        }
        let j = i + d + 1;
        let m = digits_at(j);
        if !(1..=2).contains(&m) || b.get(j + m) != Some(&sep) {
            return None;
        }
        let k = j + m + 1;
        if digits_at(k) != 4 {
            return None;
        }
        let (day, month, year) = (number(i, d)?, number(j, m)?, number(k, 4)?);
        plausible(year as i32, month, day).or_else(|| plausible(year as i32, day, month))
    })
}

/// The first date written out in a text: `2019-10-21`, `21.10.2019`, `21 October 2019`,
/// `October 21, 2019`, `21. Oktober 2019`, `21 de octubre de 2019`.
pub fn date_from_text(text: &str) -> Option<NaiveDate> {
    first_date(text, false)
}

/// As `date_from_text`, for the text of a dateline, where `31.10.23` (a day, a month and two
/// digits of the year, as German and Swiss sites abbreviate) is a date too. In running text
/// such a token is as often a version or a score.
pub fn date_from_dateline(text: &str) -> Option<NaiveDate> {
    first_date(text, true)
}

/// "Registriert:", "Joined:": the label of the day a forum's member signed up.
fn is_member_label(token: &str) -> bool {
    const LABELS: &[&str] = &[
        "registriert",
        "registered",
        "joined",
        "inscrit",
        "registrado",
    ];
    let token = token.trim_end_matches(':').to_lowercase();
    LABELS.contains(&token.as_str())
}

/// The first "YYYY年M月D日" in a run of Chinese or Japanese text.
fn cjk_date(run: &str) -> Option<NaiveDate> {
    let mut rest = run;
    while let Some(at) = rest.find('年') {
        let year_digits = rest[..at]
            .bytes()
            .rev()
            .take_while(u8::is_ascii_digit)
            .count();
        let after = &rest[at + '年'.len_utf8()..];
        let number = |s: &str, unit: char| -> Option<(u32, usize)> {
            let digits = s.bytes().take_while(u8::is_ascii_digit).count();
            let n = s[..digits].parse().ok()?;
            s[digits..]
                .starts_with(unit)
                .then_some((n, digits + unit.len_utf8()))
        };
        if year_digits == 4 {
            let year = rest[at - 4..at].parse().ok();
            if let (Some(year), Some((month, used))) = (year, number(after, '月')) {
                if let Some((day, _)) = number(&after[used..], '日') {
                    if let Some(date) = plausible(year, month, day) {
                        return Some(date);
                    }
                }
            }
        }
        rest = after;
    }
    None
}

fn first_date(text: &str, short_years: bool) -> Option<NaiveDate> {
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '|' || c == '(' || c == ')')
        .filter(|t| !t.is_empty() && *t != "de" && *t != "del")
        .take(4000)
        .collect();
    for (i, t) in tokens.iter().enumerate() {
        // Numeric forms in one token.
        let numeric = t.bytes().any(|b| b.is_ascii_digit())
            && t.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'/'));
        let parts: Vec<&str> = if numeric {
            t.split(['-', '.', '/']).filter(|p| !p.is_empty()).collect()
        } else {
            Vec::new()
        };
        if parts.len() == 3 {
            let n: Vec<i32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
            if n.len() == 3 {
                let date = if parts[0].len() == 4 {
                    plausible(n[0], n[1] as u32, n[2] as u32)
                } else if parts[2].len() == 4 {
                    // Day first, as nearly everywhere but the United States.
                    plausible(n[2], n[1] as u32, n[0] as u32)
                        .or_else(|| plausible(n[2], n[0] as u32, n[1] as u32))
                } else if short_years
                    && t.bytes().filter(|&b| b == b'.').count() == 2
                    && parts[2].len() == 2
                    && parts[0].len() <= 2
                    && parts[1].len() <= 2
                {
                    plausible(2000 + n[2], n[1] as u32, n[0] as u32)
                } else {
                    None
                };
                // A member's join date in a forum post's header dates the member.
                let joined = i > 0 && is_member_label(tokens[i - 1]);
                if date.is_some() && !joined {
                    return date;
                }
            }
        }
        // "2019年6月24日" (Chinese, Japanese), inside a run of text without spaces.
        if let Some(date) = t.contains('年').then(|| cjk_date(t)).flatten() {
            return Some(date);
        }
        // "2019년 6월 24일" (Korean).
        let korean = |t: Option<&&str>, unit: char| {
            t?.strip_suffix(unit)
                .filter(|n| n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit()))?
                .parse::<u32>()
                .ok()
        };
        if let (Some(y), Some(m), Some(d)) = (
            korean(Some(t), '년'),
            korean(tokens.get(i + 1), '월'),
            korean(tokens.get(i + 2), '일'),
        ) {
            if let Some(date) = plausible(y as i32, m, d) {
                return Some(date);
            }
        }
        // "4. 2. 2022", as Czech, Slovak and some German pages space a date.
        let number = |t: Option<&&str>, digits: std::ops::RangeInclusive<usize>| {
            let t = t?.strip_suffix('.')?;
            (digits.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse::<u32>().ok())
                .flatten()
        };
        if let (Some(d), Some(m)) = (number(Some(t), 1..=2), number(tokens.get(i + 1), 1..=2)) {
            let year = tokens.get(i + 2).map(|y| y.trim_end_matches('.'));
            if let Some(y) = year.filter(|y| y.len() == 4).and_then(|y| y.parse().ok()) {
                if let Some(date) = plausible(y, m, d) {
                    return Some(date);
                }
            }
        }
        // "21 October 2019", "21. Oktober 2019".
        if let Some(month) = month_number(t) {
            let year =
                |s: Option<&&str>| s.and_then(|s| s.trim_end_matches('.').parse::<i32>().ok());
            let day = |s: Option<&&str>| {
                s.and_then(|s| {
                    s.trim_end_matches(['.', ','])
                        .trim_end_matches("st")
                        .trim_end_matches("nd")
                        .trim_end_matches("rd")
                        .trim_end_matches("th")
                        .parse::<u32>()
                        .ok()
                })
            };
            if i > 0 {
                if let (Some(d), Some(y)) = (day(tokens.get(i - 1)), year(tokens.get(i + 1))) {
                    if let Some(date) = plausible(y, month, d) {
                        return Some(date);
                    }
                }
            }
            // "October 21, 2019".
            if let (Some(d), Some(y)) = (day(tokens.get(i + 1)), year(tokens.get(i + 2))) {
                if let Some(date) = plausible(y, month, d) {
                    return Some(date);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod found_tests {
    use super::*;

    #[test]
    fn dates_in_urls() {
        let d = |s: &str| date_from_url(s).map(|d| d.to_string());
        assert_eq!(
            d("http://fouryears.eu/2019/10/21/interning-of-small-integers").as_deref(),
            Some("2019-10-21")
        );
        assert_eq!(
            d("http://www.xinhuanet.com/local/2020-02/19/c_1125597921.htm").as_deref(),
            Some("2020-02-19")
        );
        assert_eq!(
            d("https://x.example/news/20191021/story").as_deref(),
            Some("2019-10-21")
        );
        assert_eq!(d("https://x.example/item/12345/678"), None);
        assert_eq!(
            d("https://x.example/meldungen/29-10-2021").as_deref(),
            Some("2021-10-29")
        );
        assert_eq!(d("https://x.example/buch-der-woche-30-11"), None);
        assert_eq!(
            d("https://x.example/04News/01Meldungen/2021/lage.html"),
            None
        );
        assert_eq!(
            d("https://x.example/Meldungen/2021/10/meldung_01_miniserie.html"),
            None
        );
    }

    #[test]
    fn dates_in_text() {
        let d = |s: &str| date_from_text(s).map(|d| d.to_string());
        assert_eq!(
            d("Posted on 18. Mai 2014 by Anna").as_deref(),
            Some("2014-05-18")
        );
        assert_eq!(
            d("Published October 21, 2019 at 5 pm").as_deref(),
            Some("2019-10-21")
        );
        assert_eq!(
            d("Veröffentlicht am 05.04.2017").as_deref(),
            Some("2017-04-05")
        );
        assert_eq!(
            d("el 3 de octubre de 2018 en Madrid").as_deref(),
            Some("2018-10-03")
        );
        assert_eq!(
            d("Updated: 2023-11-01 10:00").as_deref(),
            Some("2023-11-01")
        );
        assert_eq!(d("15 августа 2016, 13:43").as_deref(), Some("2016-08-15"));
        assert_eq!(
            d("发布时间：2020年2月19日，在武汉").as_deref(),
            Some("2020-02-19")
        );
        assert_eq!(d("2019年6月24日 17時00分").as_deref(), Some("2019-06-24"));
        assert_eq!(d("2014年和2015年作为导师"), None);
        assert_eq!(
            d("입력 2019년 6월 24일 오후").as_deref(),
            Some("2019-06-24")
        );
        assert_eq!(d("3 października 2019 r.").as_deref(), Some("2019-10-03"));
        assert_eq!(
            d("Von Deutscher Tennis Bund 4.\u{2009}2.\u{2009}2022. Teamchef").as_deref(),
            Some("2022-02-04")
        );
        assert_eq!(d("Kapitel 4. 2. Absatz 2022"), None);
        assert_eq!(
            d("r23 Beiträge: 1626 Registriert: 18.09.2008, 05:56 Beitrag von r23 » 21.01.2009")
                .as_deref(),
            Some("2009-01-21")
        );
        assert_eq!(d("No date, just 12 apples and 2000 pears"), None);
        assert_eq!(d("Von: Anna | 31.10.23"), None);
        let dateline = |s: &str| date_from_dateline(s).map(|d| d.to_string());
        assert_eq!(
            dateline("Von: Anna | 31.10.23").as_deref(),
            Some("2023-10-31")
        );
        assert_eq!(dateline("Version 1.2.3"), None);
        assert_eq!(dateline("Stand 12/10/23"), None);
    }
}
