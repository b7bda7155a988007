//! Copies a whole site into an empty PostgreSQL store (`parallax migrate-store`): every table,
//! every column, every id, in one transaction, then reads both stores back row by row to
//! prove the copy whole.

use ::postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use chrono::{DateTime, Utc};

use crate::{Error, PostgresStore, Result, SqliteStore, StoreUrl};

/// How a column's values are read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Bool,
    Text,
    Time,
}

/// A table as the copy sees it: its columns, and the key it is read in order of.
pub struct Table {
    pub name: &'static str,
    key: &'static str,
    columns: &'static [(&'static str, Kind)],
}

impl Table {
    pub fn column_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns.iter().map(|(name, _)| *name)
    }
}

use Kind::{Bool, Int, Text, Time};

/// Every table of a site, parents before the tables that refer to them. A migration that
/// adds a column adds it here too; a test checks both schemas against this list, less
/// `NOT_COPIED`.
pub const TABLES: &[Table] = &[
    Table {
        name: "sources",
        key: "id",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("domain", Text),
            ("country", Text),
            ("leaning", Text),
            ("language", Text),
            ("notes", Text),
            ("created_at", Time),
            ("obey_robots", Bool),
        ],
    },
    Table {
        name: "feeds",
        key: "id",
        columns: &[
            ("id", Int),
            ("source_id", Int),
            ("url", Text),
            ("title", Text),
            ("etag", Text),
            ("last_modified", Text),
            ("last_fetched", Time),
            ("last_success", Time),
            ("last_error", Text),
            ("error_count", Int),
            ("next_fetch", Time),
            ("created_at", Time),
            ("status", Text),
            ("moved_to", Text),
            ("moved_count", Int),
            ("poll_interval_secs", Int),
            ("body_hash", Text),
            ("folder", Text),
            ("host", Text),
        ],
    },
    Table {
        name: "categories",
        key: "id",
        columns: &[("id", Int), ("slug", Text), ("name", Text)],
    },
    Table {
        name: "stories",
        key: "id",
        columns: &[
            ("id", Int),
            ("title", Text),
            ("category_id", Int),
            ("first_published", Time),
            ("last_published", Time),
            ("article_count", Int),
            ("source_count", Int),
            ("created_at", Time),
            ("hidden", Bool),
            ("pinned", Bool),
            ("title_override", Text),
            ("category_override", Int),
        ],
    },
    Table {
        name: "articles",
        key: "id",
        columns: &[
            ("id", Int),
            ("story_id", Int),
            ("source_id", Int),
            ("feed_id", Int),
            ("guid", Text),
            ("entry_hash", Text),
            ("url", Text),
            ("canonical_url", Text),
            ("title", Text),
            ("authors", Text),
            ("published", Time),
            ("modified", Time),
            ("site_name", Text),
            ("language", Text),
            ("image", Text),
            ("description", Text),
            ("text", Text),
            ("html", Text),
            ("origin", Text),
            ("categories", Text),
            ("fetched_at", Time),
            ("partial", Bool),
            ("copy_of", Int),
            ("text_dropped_at", Time),
        ],
    },
    Table {
        name: "entries",
        key: "feed_id, guid",
        columns: &[
            ("feed_id", Int),
            ("guid", Text),
            ("article_id", Int),
            ("entry_hash", Text),
            ("seen_at", Time),
        ],
    },
    Table {
        name: "story_overrides",
        key: "id",
        columns: &[
            ("id", Int),
            ("kind", Text),
            ("story", Int),
            ("other", Int),
            ("created_at", Time),
        ],
    },
    Table {
        name: "settings",
        key: "key",
        columns: &[("key", Text), ("value", Text), ("updated_at", Time)],
    },
    Table {
        name: "sessions",
        key: "token_hash",
        columns: &[
            ("token_hash", Text),
            ("csrf", Text),
            ("actor", Text),
            ("created_at", Time),
            ("expires_at", Time),
        ],
    },
    Table {
        name: "audit_log",
        key: "id",
        columns: &[
            ("id", Int),
            ("at", Time),
            ("actor", Text),
            ("action", Text),
            ("detail", Text),
        ],
    },
    Table {
        name: "hidden_articles",
        key: "article_id",
        columns: &[("article_id", Int), ("hidden_at", Time)],
    },
    Table {
        name: "api_tokens",
        key: "id",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("token_hash", Text),
            ("created_at", Time),
            ("revoked_at", Time),
        ],
    },
    Table {
        name: "category_rules",
        key: "id",
        columns: &[
            ("id", Int),
            ("kind", Text),
            ("value", Text),
            ("category_id", Int),
        ],
    },
    Table {
        name: "hosts",
        key: "name",
        columns: &[("name", Text), ("lease_owner", Text), ("lease_until", Time)],
    },
    Table {
        name: "story_changes",
        key: "seq",
        columns: &[
            ("seq", Int),
            ("kind", Text),
            ("from_story", Int),
            ("into_story", Int),
            ("articles", Text),
        ],
    },
    Table {
        name: "reader_state",
        key: "token_id, story_id",
        columns: &[
            ("token_id", Int),
            ("story_id", Int),
            ("read", Bool),
            ("starred", Bool),
        ],
    },
];

/// Columns each store fills on its own: `articles.changed` numbers the store's own writes
/// for search indexes (the copy's are numbered as they are written; a copied site's
/// indexes catch up from the start).
pub const NOT_COPIED: &[(&str, &str)] = &[("articles", "changed")];

/// One value of a row, in the form both stores agree on.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Bool(bool),
    Text(String),
    Time(DateTime<Utc>),
}

impl ToSql for Cell {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Cell::Null => Ok(IsNull::Yes),
            Cell::Int(v) => v.to_sql(ty, out),
            Cell::Bool(v) => v.to_sql(ty, out),
            Cell::Text(v) => v.to_sql(ty, out),
            Cell::Time(v) => v.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        // Each variant checks its own type when written.
        true
    }

    to_sql_checked!();
}

/// Rows copied per table, in `TABLES` order.
#[derive(Debug, Clone, PartialEq)]
pub struct CopyReport {
    pub tables: Vec<(&'static str, u64)>,
}

impl CopyReport {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

/// A store whose tables can be read row by row.
enum Reader<'a> {
    Sqlite(&'a SqliteStore),
    Postgres(&'a PostgresStore),
}

impl Reader<'_> {
    /// Calls `each` with every row of `table` in key order (byte order for text keys).
    fn each_row(
        &self,
        table: &Table,
        each: &mut (dyn FnMut(Vec<Cell>) -> Result<()> + Send),
    ) -> Result<()> {
        let columns: Vec<&str> = table.column_names().collect();
        match self {
            Reader::Sqlite(store) => {
                let sql = format!(
                    "SELECT {} FROM {} ORDER BY {}",
                    columns.join(", "),
                    table.name,
                    table.key
                );
                let conn = store.conn();
                let mut stmt = conn.prepare(&sql)?;
                let mut rows = stmt.query([])?;
                while let Some(row) = rows.next()? {
                    let mut cells = Vec::with_capacity(columns.len());
                    for (i, (_, kind)) in table.columns.iter().enumerate() {
                        cells.push(match kind {
                            Int => row.get::<_, Option<i64>>(i)?.map_or(Cell::Null, Cell::Int),
                            Bool => row
                                .get::<_, Option<bool>>(i)?
                                .map_or(Cell::Null, Cell::Bool),
                            Text => row
                                .get::<_, Option<String>>(i)?
                                .map_or(Cell::Null, Cell::Text),
                            Time => match row.get::<_, Option<String>>(i)? {
                                Some(s) => Cell::Time(crate::sqlite::parse_ts(table.name, &s)?),
                                None => Cell::Null,
                            },
                        });
                    }
                    each(cells)?;
                }
                Ok(())
            }
            Reader::Postgres(store) => {
                let key: Vec<String> = table
                    .key
                    .split(", ")
                    .map(|k| match table.columns.iter().find(|(c, _)| *c == k) {
                        Some((_, Text)) => format!("{k} COLLATE \"C\""),
                        _ => k.to_string(),
                    })
                    .collect();
                let sql = format!(
                    "SELECT {} FROM {} ORDER BY {}",
                    columns.join(", "),
                    table.name,
                    key.join(", ")
                );
                store.with_once(|client| {
                    use ::postgres::fallible_iterator::FallibleIterator;
                    let mut rows = client
                        .client
                        .query_raw(sql.as_str(), std::iter::empty::<i64>())?;
                    while let Some(row) = rows.next()? {
                        let mut cells = Vec::with_capacity(columns.len());
                        for (i, (_, kind)) in table.columns.iter().enumerate() {
                            cells.push(match kind {
                                Int => row
                                    .try_get::<_, Option<i64>>(i)?
                                    .map_or(Cell::Null, Cell::Int),
                                Bool => row
                                    .try_get::<_, Option<bool>>(i)?
                                    .map_or(Cell::Null, Cell::Bool),
                                Text => row
                                    .try_get::<_, Option<String>>(i)?
                                    .map_or(Cell::Null, Cell::Text),
                                Time => row
                                    .try_get::<_, Option<DateTime<Utc>>>(i)?
                                    .map_or(Cell::Null, Cell::Time),
                            });
                        }
                        each(cells)?;
                    }
                    Ok(())
                })
            }
        }
    }
}

/// A store a URL names, opened for copying.
enum Opened {
    Sqlite(SqliteStore),
    Postgres(Box<PostgresStore>),
}

impl Opened {
    fn open(url: &str) -> Result<Opened> {
        match StoreUrl::parse(url)? {
            StoreUrl::Postgres(url) => Ok(Opened::Postgres(Box::new(PostgresStore::open(url)?))),
            // Copying from a file that is not there would make an empty one.
            StoreUrl::Sqlite(path) if !path.is_file() => {
                Err(Error::UnknownUrl(format!("{url} (no such file)")))
            }
            StoreUrl::Sqlite(path) => Ok(Opened::Sqlite(SqliteStore::open(path)?)),
        }
    }

    fn reader(&self) -> Reader<'_> {
        match self {
            Opened::Sqlite(s) => Reader::Sqlite(s),
            Opened::Postgres(s) => Reader::Postgres(s),
        }
    }
}

/// Copies the site at `from` (`sqlite://PATH` or `postgres://…`) into the empty PostgreSQL
/// store at `to`, then checks that both hold the same rows.
pub fn migrate_store(from: &str, to: &str) -> Result<CopyReport> {
    let source = Opened::open(from)?;
    let Opened::Postgres(target) = Opened::open(to)? else {
        return Err(Error::Copy(format!(
            "{to} is not a PostgreSQL URL: a site is copied into PostgreSQL"
        )));
    };
    let report = copy_into(&source.reader(), &target)?;
    verify(&source.reader(), &Reader::Postgres(&target))?;
    Ok(report)
}

/// Copies every table in one transaction: a copy that fails leaves the target empty.
fn copy_into(source: &Reader<'_>, target: &PostgresStore) -> Result<CopyReport> {
    target.with(|client| {
        let mut tx = client.client.transaction()?;
        for table in TABLES {
            let holds: bool = tx
                .query_one(
                    &format!("SELECT EXISTS (SELECT 1 FROM {})", table.name),
                    &[],
                )?
                .try_get(0)?;
            if holds {
                return Err(Error::Copy(format!(
                    "the target already holds {}: copy into an empty database",
                    table.name
                )));
            }
        }
        let mut report = CopyReport { tables: Vec::new() };
        for table in TABLES {
            let columns: Vec<&str> = table.column_names().collect();
            let marks: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
            let insert = tx.prepare(&format!(
                "INSERT INTO {} ({}) VALUES ({})",
                table.name,
                columns.join(", "),
                marks.join(", ")
            ))?;
            // An article may copy a later one: its link is set once all are in.
            let copy_of = table
                .column_names()
                .position(|c| c == "copy_of")
                .filter(|_| table.name == "articles");
            let mut links: Vec<(Cell, Cell)> = Vec::new();
            let mut rows = 0u64;
            source.each_row(table, &mut |mut cells| {
                if let Some(at) = copy_of {
                    let link = std::mem::replace(&mut cells[at], Cell::Null);
                    if link != Cell::Null {
                        links.push((cells[0].clone(), link));
                    }
                }
                let params: Vec<&(dyn ToSql + Sync)> =
                    cells.iter().map(|c| c as &(dyn ToSql + Sync)).collect();
                tx.execute(&insert, &params)?;
                rows += 1;
                Ok(())
            })?;
            for (id, of) in &links {
                tx.execute("UPDATE articles SET copy_of = $2 WHERE id = $1", &[id, of])?;
            }
            if matches!(table.key, "id" | "seq") {
                // New rows take ids after the copied ones.
                tx.execute(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence('{0}', '{1}'), \
                         COALESCE((SELECT MAX({1}) FROM {0}), 1), \
                         (SELECT MAX({1}) FROM {0}) IS NOT NULL)",
                        table.name, table.key
                    ),
                    &[],
                )?;
            }
            tracing::info!(table = table.name, rows, "copied");
            report.tables.push((table.name, rows));
        }
        tx.commit()?;
        Ok(report)
    })
}

/// Reads both stores table by table, row by row, side by side, and fails at the first
/// difference. Rows stream: memory stays flat however large the site.
fn verify(original: &Reader<'_>, copy: &Reader<'_>) -> Result<()> {
    for table in TABLES {
        let (send, rows) = std::sync::mpsc::sync_channel::<Vec<Cell>>(256);
        std::thread::scope(|s| {
            let reading = s.spawn(move || {
                original.each_row(table, &mut |cells| {
                    send.send(cells)
                        .map_err(|_| Error::Copy("the comparison stopped".into()))
                })
            });
            let (mut rows, mut at) = (rows, 0usize);
            let (rows_left, counted) = (&mut rows, &mut at);
            let compared = copy.each_row(table, &mut move |cells| {
                let Ok(expected) = rows_left.recv() else {
                    return Err(Error::Copy(format!(
                        "{} has more rows in the copy than in the original",
                        table.name
                    )));
                };
                let differs = cells.iter().zip(&expected).position(|(a, b)| a != b);
                if let Some(i) = differs {
                    return Err(Error::Copy(format!(
                        "{} row {counted} differs in {}: {:?} in the original, {:?} in the copy",
                        table.name, table.columns[i].0, expected[i], cells[i]
                    )));
                }
                *counted += 1;
                Ok(())
            });
            let more_in_original = compared.is_ok() && rows.recv().is_ok();
            drop(rows);
            let read = reading
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            compared?;
            if more_in_original {
                return Err(Error::Copy(format!(
                    "{} has more rows in the original than in the copy ({at})",
                    table.name
                )));
            }
            read
        })?;
    }
    Ok(())
}

/// A table's name and rows.
pub type TableDump = (&'static str, Vec<Vec<Cell>>);

/// Every row of every table of the store at `url`, for tests that compare two stores.
#[doc(hidden)]
pub fn dump_tables(url: &str) -> Result<Vec<TableDump>> {
    let store = Opened::open(url)?;
    TABLES
        .iter()
        .map(|table| {
            let mut rows = Vec::new();
            store.reader().each_row(table, &mut |cells| {
                rows.push(cells);
                Ok(())
            })?;
            Ok((table.name, rows))
        })
        .collect()
}
