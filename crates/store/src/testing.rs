//! Scratch PostgreSQL schemas for tests: each test gets a schema of its own on the server
//! that `TEST_POSTGRES_URL` names (by default the local server's `test` database), dropped
//! when it ends. Without a server the tests skip, unless `REQUIRE_POSTGRES_TESTS` is set (as
//! CI does), when they fail.

use std::sync::atomic::{AtomicUsize, Ordering};

use ::postgres::{Client, NoTls};

use crate::postgres::off_runtime;

/// The server the tests use unless `TEST_POSTGRES_URL` names another.
pub const DEFAULT_TEST_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A schema that lives as long as this value.
pub struct ScratchSchema {
    base: String,
    name: String,
}

impl ScratchSchema {
    /// A new empty schema, or `None` (with the reason printed) when no server answers and
    /// none is required.
    pub fn create(tag: &str) -> Option<ScratchSchema> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let base = std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_TEST_URL.into());
        let name = format!(
            "px_{tag}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let made = off_runtime(|| {
            Client::connect(&base, NoTls)
                .and_then(|mut c| c.batch_execute(&format!("CREATE SCHEMA {name}")))
        });
        match made {
            Ok(()) => Some(ScratchSchema { base, name }),
            Err(e) if std::env::var_os("REQUIRE_POSTGRES_TESTS").is_some() => {
                panic!("REQUIRE_POSTGRES_TESTS is set but PostgreSQL at {base} is not usable: {e}")
            }
            Err(e) => {
                eprintln!("skipping a PostgreSQL test: no server at {base} ({e})");
                None
            }
        }
    }

    /// The database URL whose connections work in this schema.
    pub fn url(&self) -> String {
        let joint = if self.base.contains('?') { '&' } else { '?' };
        format!(
            "{}{joint}options=-c%20search_path%3D{}",
            self.base, self.name
        )
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for ScratchSchema {
    fn drop(&mut self) {
        off_runtime(|| {
            if let Ok(mut c) = Client::connect(&self.base, NoTls) {
                let _ = c.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name));
            }
        });
    }
}
