//! Outlets and their feeds as CSV, for editors' bulk import and export. The columns, with a
//! header row, in this order:
//!
//! | column   | what                                                             |
//! |----------|------------------------------------------------------------------|
//! | name     | the outlet's name (required; an existing outlet of that name is updated) |
//! | domain   | its site's host, e.g. `example.com` (default: the first feed's host)    |
//! | country  | ISO 3166-1 alpha-2 code, e.g. `GB` (may be empty)                |
//! | leaning  | left, centre-left, centre, centre-right or right (may be empty)  |
//! | language | a language code, e.g. `en` or `pt-BR` (may be empty)            |
//! | notes    | free text: ownership, funding, anything readers should know     |
//! | feeds    | the feeds' URLs, separated by spaces (http or https)             |
//!
//! A bad row is reported with its line and reason; the others are read.

use parallax_model::{Leaning, SourceProfile};

pub const COLUMNS: [&str; 7] = [
    "name", "domain", "country", "leaning", "language", "notes", "feeds",
];

/// One outlet of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRow {
    pub profile: SourceProfile,
    pub feeds: Vec<String>,
}

/// A row that could not be read, by its line in the file (the header is line 1).
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub line: u64,
    pub reason: String,
}

/// Reads the file: the rows that make sense, and why the others do not.
pub fn parse_sources_csv(bytes: &[u8]) -> (Vec<SourceRow>, Vec<RowError>) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.to_ascii_lowercase()).collect(),
        Err(e) => {
            errors.push(RowError {
                line: 1,
                reason: format!("not CSV: {e}"),
            });
            return (rows, errors);
        }
    };
    let at: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|c| header.iter().position(|h| h == c))
        .collect();
    if at[0].is_none() {
        errors.push(RowError {
            line: 1,
            reason: format!(
                "the header must name the columns ({}); it has no \"name\"",
                COLUMNS.join(",")
            ),
        });
        return (rows, errors);
    }
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(RowError {
                    line: e.position().map_or(0, |p| p.line()),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| at[i].and_then(|k| record.get(k)).unwrap_or("").trim();
        match read_row(|i| field(i)) {
            Ok(row) => rows.push(row),
            Err(reason) => errors.push(RowError { line, reason }),
        }
    }
    (rows, errors)
}

/// One row from its fields, in the order of `COLUMNS` (feeds separated by spaces).
pub fn read_row<'a>(field: impl Fn(usize) -> &'a str) -> Result<SourceRow, String> {
    let name = field(0);
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    if name.chars().count() > 200 {
        return Err("the name is longer than 200 characters".into());
    }
    let mut feeds = Vec::new();
    for url in field(6).split_whitespace() {
        match url::Url::parse(url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
                feeds.push(u.to_string())
            }
            _ => return Err(format!("{url:?} is not an http or https URL")),
        }
    }
    let domain = match field(1) {
        "" => feeds
            .first()
            .and_then(|f| url::Url::parse(f).ok())
            .and_then(|u| {
                u.host_str()
                    .map(|h| h.trim_start_matches("www.").to_string())
            })
            .ok_or("the domain is empty and there is no feed to take it from")?,
        d if d.contains(|c: char| c.is_whitespace() || c == '/') => {
            return Err(format!("{d:?} is not a host name (like example.com)"))
        }
        d => d.to_ascii_lowercase(),
    };
    let country = match field(2) {
        "" => None,
        c if c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => {
            Some(c.to_ascii_uppercase())
        }
        c => return Err(format!("{c:?} is not a two-letter country code")),
    };
    let leaning = match field(3) {
        "" => None,
        l => Some(l.parse::<Leaning>().map_err(|_| {
            format!("{l:?} is not a leaning (left, centre-left, centre, centre-right, right)")
        })?),
    };
    let language = match field(4) {
        "" => None,
        l if l.len() <= 12 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {
            Some(l.to_string())
        }
        l => return Err(format!("{l:?} is not a language code (like en or pt-BR)")),
    };
    let notes = Some(field(5).to_string()).filter(|n| !n.is_empty());
    Ok(SourceRow {
        profile: SourceProfile {
            name: name.to_string(),
            domain,
            country,
            leaning,
            language,
            notes,
            ..SourceProfile::default()
        },
        feeds,
    })
}

/// Writes the rows with the header, in the columns above.
pub fn write_sources_csv(rows: &[SourceRow]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(COLUMNS);
    for r in rows {
        let p = &r.profile;
        let _ = writer.write_record([
            p.name.as_str(),
            p.domain.as_str(),
            p.country.as_deref().unwrap_or(""),
            p.leaning.map(|l| l.as_str()).unwrap_or(""),
            p.language.as_deref().unwrap_or(""),
            p.notes.as_deref().unwrap_or(""),
            &r.feeds.join(" "),
        ]);
    }
    writer
        .into_inner()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_read_and_bad_ones_named_by_line() {
        let file = "name,domain,country,leaning,language,notes,feeds
Meridian Wire,meridian.example,gb,Centre,en,\"Wire service, owned by its staff\",https://meridian.example/rss https://meridian.example/world.xml
,x.example,,,,,
Harbor Ledger,,US,right,en,,https://www.ledger.example/feed
Bad Country,b.example,Britain,,,,
Bad Leaning,b.example,,far-out,,,
Bad Feed,b.example,,,,,ftp://b.example/feed
No Domain,,,,,,
";
        let (rows, errors) = parse_sources_csv(file.as_bytes());
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].profile.country.as_deref(), Some("GB"));
        assert_eq!(rows[0].profile.leaning, Some(Leaning::Center));
        assert_eq!(
            rows[0].profile.notes.as_deref(),
            Some("Wire service, owned by its staff")
        );
        assert_eq!(rows[0].feeds.len(), 2);
        assert_eq!(
            rows[1].profile.domain, "ledger.example",
            "taken from the feed"
        );
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 5, 6, 7, 8], "{errors:?}");
        assert!(errors[1].reason.contains("country"), "{errors:?}");
        assert!(errors[2].reason.contains("leaning"));
        assert!(errors[3].reason.contains("URL"));
    }

    #[test]
    fn written_rows_read_back_the_same() {
        let (rows, errors) = parse_sources_csv(
            "name,domain,country,leaning,language,notes,feeds\n\"A \"\"quoted\"\", name\",a.example,DE,left,de,\"notes, with comma\",https://a.example/rss\n"
                .as_bytes(),
        );
        assert!(errors.is_empty(), "{errors:?}");
        let again = parse_sources_csv(write_sources_csv(&rows).as_bytes());
        assert_eq!(again, (rows, vec![]));
    }

    #[test]
    fn a_file_without_a_name_column_or_not_csv_is_one_clear_error() {
        let (rows, errors) = parse_sources_csv(b"title,url\nx,y\n");
        assert!(rows.is_empty());
        assert!(errors[0].reason.contains("\"name\""), "{errors:?}");
        let (rows, errors) = parse_sources_csv(&[0xff, 0xfe, 0x00]);
        assert!(rows.is_empty() && errors.len() <= 1);
    }
}
