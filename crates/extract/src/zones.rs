//! The clock a page's readers live by, from the country the page names (its locale, its
//! domain): a time written in UTC falls on their day, not Greenwich's.
//!
//! Only countries with one zone for nearly all their readers are listed; the United States,
//! Canada, Australia and the like are left out rather than guessed. A crate of the whole tz
//! database would be exact everywhere, but daylight saving here follows two rules, and the
//! table is small enough to read.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc, Weekday};

/// How a country shifts its clocks in summer.
#[derive(Clone, Copy)]
enum Summer {
    /// The European Union's rule: from 01:00 UTC on the last Sunday of March to 01:00 UTC
    /// on the last Sunday of October, one hour ahead.
    European,
    None,
}

/// Two-letter country code (as in locales and country domains) -> standard offset in
/// minutes east of UTC and the summer rule.
const COUNTRIES: &[(&str, i32, Summer)] = &[
    ("ae", 240, Summer::None),
    ("ar", -180, Summer::None),
    ("at", 60, Summer::European),
    ("bd", 360, Summer::None),
    ("be", 60, Summer::European),
    ("bg", 120, Summer::European),
    ("bo", -240, Summer::None),
    ("br", -180, Summer::None),
    ("ch", 60, Summer::European),
    ("cn", 480, Summer::None),
    ("co", -300, Summer::None),
    ("cy", 120, Summer::European),
    ("cz", 60, Summer::European),
    ("de", 60, Summer::European),
    ("dk", 60, Summer::European),
    ("ec", -300, Summer::None),
    ("ee", 120, Summer::European),
    ("es", 60, Summer::European),
    ("fi", 120, Summer::European),
    ("fr", 60, Summer::European),
    ("gb", 0, Summer::European),
    ("gr", 120, Summer::European),
    ("hk", 480, Summer::None),
    ("hr", 60, Summer::European),
    ("hu", 60, Summer::European),
    ("ie", 0, Summer::European),
    ("in", 330, Summer::None),
    ("it", 60, Summer::European),
    ("jp", 540, Summer::None),
    ("ke", 180, Summer::None),
    ("kr", 540, Summer::None),
    ("li", 60, Summer::European),
    ("lt", 120, Summer::European),
    ("lu", 60, Summer::European),
    ("lv", 120, Summer::European),
    ("ng", 60, Summer::None),
    ("nl", 60, Summer::European),
    ("no", 60, Summer::European),
    ("pe", -300, Summer::None),
    ("ph", 480, Summer::None),
    ("pk", 300, Summer::None),
    ("pl", 60, Summer::European),
    ("pt", 0, Summer::European),
    ("ro", 120, Summer::European),
    ("rs", 60, Summer::European),
    ("sa", 180, Summer::None),
    ("se", 60, Summer::European),
    ("sg", 480, Summer::None),
    ("si", 60, Summer::European),
    ("sk", 60, Summer::European),
    ("th", 420, Summer::None),
    ("tr", 180, Summer::None),
    ("tw", 480, Summer::None),
    ("ua", 120, Summer::European),
    ("uk", 0, Summer::European),
    ("uy", -180, Summer::None),
    ("ve", -240, Summer::None),
    ("vn", 420, Summer::None),
    ("za", 120, Summer::None),
];

/// Languages read almost only in one of the countries above (or in several that share its
/// clock): German in Germany, Austria and Switzerland alike. Spanish, Portuguese, English,
/// French and Arabic span oceans and are not here.
const LANGUAGES: &[(&str, &str)] = &[
    ("bg", "bg"),
    ("cs", "cz"),
    ("da", "dk"),
    ("de", "de"),
    ("el", "gr"),
    ("et", "ee"),
    ("fi", "fi"),
    ("hr", "hr"),
    ("hu", "hu"),
    ("it", "it"),
    ("ja", "jp"),
    ("ko", "kr"),
    ("lt", "lt"),
    ("lv", "lv"),
    ("nb", "no"),
    ("nl", "nl"),
    ("nn", "no"),
    ("pl", "pl"),
    ("ro", "ro"),
    ("sk", "sk"),
    ("sl", "si"),
    ("sv", "se"),
    ("uk", "ua"),
    ("zh", "cn"),
];

/// The offset of a country's clocks at a moment, in minutes east of UTC.
pub(crate) fn country_offset_minutes(country: &str, at: DateTime<Utc>) -> Option<i32> {
    let country = country.to_ascii_lowercase();
    let &(_, standard, summer) = COUNTRIES.iter().find(|(c, _, _)| *c == country)?;
    Some(match summer {
        Summer::European if in_european_summer(at) => standard + 60,
        _ => standard,
    })
}

/// The country whose clock a page's readers keep: the region of its locale (`de_AT`,
/// `pt-BR`), else its country domain (`.com.ar`, `.de`), else its language where that
/// language is one country's.
pub(crate) fn page_country(locale: Option<&str>, host: Option<&str>) -> Option<String> {
    let mut parts = locale.unwrap_or("").split(['-', '_']);
    let language = parts.next().unwrap_or("").to_ascii_lowercase();
    let region = parts
        .next()
        .filter(|r| r.len() == 2 && r.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_ascii_lowercase);
    let domain = host
        .and_then(|h| h.rsplit('.').next())
        .filter(|tld| tld.len() == 2)
        .map(str::to_ascii_lowercase);
    let known = |c: &String| COUNTRIES.iter().any(|(k, _, _)| k == c);
    region
        .filter(known)
        .or_else(|| domain.filter(known))
        .or_else(|| {
            LANGUAGES
                .iter()
                .find(|(l, _)| *l == language)
                .map(|(_, c)| c.to_string())
        })
}

fn in_european_summer(at: DateTime<Utc>) -> bool {
    let year = at.year();
    let change = |month| {
        last_sunday(year, month)
            .and_then(|d| d.and_hms_opt(1, 0, 0))
            .map(|t| Utc.from_utc_datetime(&t))
    };
    match (change(3), change(10)) {
        (Some(start), Some(end)) => at >= start && at < end,
        _ => false,
    }
}

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = first_of_next.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    last.checked_sub_days(chrono::Days::new(back.into()))
        .filter(|d| d.weekday() == Weekday::Sun)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn european_clocks_change_on_the_last_sundays_of_march_and_october() {
        // 2022: 27 March and 30 October.
        assert_eq!(
            country_offset_minutes("de", utc("2022-03-27T00:59:00Z")),
            Some(60)
        );
        assert_eq!(
            country_offset_minutes("de", utc("2022-03-27T01:00:00Z")),
            Some(120)
        );
        assert_eq!(
            country_offset_minutes("DE", utc("2022-10-30T00:59:00Z")),
            Some(120)
        );
        assert_eq!(
            country_offset_minutes("de", utc("2022-10-30T01:00:00Z")),
            Some(60)
        );
        assert_eq!(
            country_offset_minutes("fi", utc("2022-07-01T12:00:00Z")),
            Some(180)
        );
        assert_eq!(
            country_offset_minutes("ar", utc("2022-07-01T12:00:00Z")),
            Some(-180)
        );
        assert_eq!(
            country_offset_minutes("us", utc("2022-07-01T12:00:00Z")),
            None
        );
    }

    #[test]
    fn the_country_comes_from_the_locale_then_the_domain_then_the_language() {
        assert_eq!(
            page_country(Some("es_AR"), Some("example.com")).as_deref(),
            Some("ar")
        );
        assert_eq!(
            page_country(Some("es"), Some("www.lanacion.com.ar")).as_deref(),
            Some("ar")
        );
        assert_eq!(
            page_country(Some("de-DE"), Some("blog.example.com")).as_deref(),
            Some("de")
        );
        assert_eq!(
            page_country(Some("de"), Some("blog.example.com")).as_deref(),
            Some("de")
        );
        // Spanish is read from Madrid to Lima: the language alone names no clock.
        assert_eq!(page_country(Some("es"), Some("example.com")), None);
        assert_eq!(page_country(Some("en-US"), Some("example.com")), None);
        assert_eq!(page_country(None, None), None);
    }
}
