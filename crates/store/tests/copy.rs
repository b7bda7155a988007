//! `migrate_store`: a SQLite site copied into PostgreSQL keeps every row of every table.

use chrono::{Duration, TimeZone, Utc};
use parallax_model::{ArticleDraft, ContentOrigin, FeedId, SourceId, SourceProfile};
use parallax_store::testing::ScratchSchema;
use parallax_store::{
    dump_tables, migrate_store, AuditEntry, FeedSuccess, PostgresStore, ReaderFlag, RuleKind,
    Session, SqliteStore, Store, StoryChoice, NOT_COPIED, TABLES,
};

fn draft(source: SourceId, feed: FeedId, slug: &str, hour: u32) -> ArticleDraft {
    ArticleDraft {
        source_id: source,
        feed_id: feed,
        guid: format!("urn:{slug}"),
        entry_hash: format!("h-{slug}"),
        url: format!("https://x.example/{slug}?utm=1"),
        canonical_url: format!("https://x.example/{slug}"),
        title: format!("Harbour {slug} — «quoted» 港"),
        authors: vec!["Ana Ruiz".into(), "Li Wei".into()],
        published: Some(Utc.with_ymd_and_hms(2026, 11, 3, hour, 0, 0).unwrap()),
        modified: None,
        site_name: Some("X".into()),
        language: Some("en".into()),
        image: None,
        description: Some("A description".into()),
        text: format!("Text of {slug}.\n\nA second paragraph."),
        html: format!("<p>Text of {slug}.</p>"),
        origin: ContentOrigin::Page,
        partial: hour % 2 == 0,
        categories: vec!["World".into()],
    }
}

/// A small site that touches every table.
fn fill(store: &dyn Store) {
    let now = Utc.with_ymd_and_hms(2026, 11, 3, 12, 0, 0).unwrap();
    let a = store
        .upsert_source(&SourceProfile {
            name: "Alpha".into(),
            domain: "alpha.example".into(),
            country: Some("GB".into()),
            leaning: None,
            language: Some("en".into()),
            notes: Some("notes".into()),
            obey_robots: false,
        })
        .unwrap();
    let fa = store.add_feed(a, "https://alpha.example/rss").unwrap();
    let fb = store.add_feed(a, "https://alpha.example/atom").unwrap();
    store
        .record_feed_success(
            fa,
            &FeedSuccess {
                title: Some("Alpha".into()),
                etag: Some("\"e1\"".into()),
                fetched_at: now,
                next_fetch: now + Duration::minutes(30),
                poll_interval_secs: Some(900),
                moved_to: Some("https://alpha.example/new".into()),
                ..FeedSuccess::default()
            },
        )
        .unwrap();
    store.record_feed_failure(fb, "timeout", now, now).unwrap();
    store.set_feed_folder(fb, Some("Wires")).unwrap();
    let (a1, s1) = store
        .insert_article(&draft(a, fa, "one", 9), StoryChoice::New)
        .unwrap();
    let (a2, _) = store
        .insert_article(&draft(a, fa, "two", 10), StoryChoice::Existing(s1))
        .unwrap();
    let (a3, _) = store
        .insert_article(&draft(a, fb, "three", 11), StoryChoice::Existing(s1))
        .unwrap();
    // An article copying a later one: the copy sets such links after every article is in.
    store.mark_copy(a1, a3).unwrap();
    store.link_entry(fb, "urn:dup", "h-dup", a2).unwrap();
    let s2 = store.split_story_as_editor(s1, &[a2]).unwrap();
    let (_, s3) = store
        .insert_article(&draft(a, fb, "four", 12), StoryChoice::New)
        .unwrap();
    store.merge_stories(s3, s1).unwrap();
    let half_past_nine = Utc.with_ymd_and_hms(2026, 11, 3, 9, 30, 0).unwrap();
    assert_eq!(store.drop_old_texts(half_past_nine, 10).unwrap(), 1);
    store
        .claim_due_feeds(
            "worker-1",
            now + Duration::days(1),
            now + Duration::days(2),
            5,
        )
        .unwrap();
    store.set_article_hidden(a2, true).unwrap();
    store.set_story_pinned(s2, true).unwrap();
    let cat = store.create_category("Harbours").unwrap();
    store.set_story_category(s1, Some(&cat.slug)).unwrap();
    store
        .set_story_title(s2, Some("An editor's title"))
        .unwrap();
    store
        .add_category_rule(RuleKind::Keyword, "harbour", &cat.slug)
        .unwrap();
    store
        .set_setting("site_name", "The Harbour Wire", now)
        .unwrap();
    store
        .create_session(&Session {
            token_hash: "abc".into(),
            csrf: "csrf".into(),
            actor: "admin".into(),
            created_at: now,
            expires_at: now + Duration::hours(8),
        })
        .unwrap();
    let token = store.create_api_token("reader", "hash", now).unwrap();
    store
        .set_reader_state(token, &[s1, s2], ReaderFlag::Read, true)
        .unwrap();
    store
        .set_reader_state(token, &[s2], ReaderFlag::Starred, true)
        .unwrap();
    store
        .record_audit(&AuditEntry {
            at: now,
            actor: "admin".into(),
            action: "pinned a story".into(),
            detail: String::new(),
        })
        .unwrap();
}

#[test]
fn a_sqlite_site_copied_to_postgres_keeps_every_row_of_every_table() {
    let Some(schema) = ScratchSchema::create("copy") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("parallax.db");
    fill(&SqliteStore::open(&path).unwrap());
    let from = format!("sqlite://{}", path.display());

    let report = migrate_store(&from, &schema.url()).unwrap();
    assert_eq!(report.tables.len(), TABLES.len());
    let original = dump_tables(&from).unwrap();
    let copy = dump_tables(&schema.url()).unwrap();
    for ((table, rows), (_, copied)) in original.iter().zip(&copy) {
        assert!(!rows.is_empty(), "the fixture leaves {table} empty");
        assert_eq!(rows, copied, "{table}");
    }

    // The copy is a working store, and new rows take new ids.
    let pg = PostgresStore::open(&schema.url()).unwrap();
    let linked = pg.article(parallax_model::ArticleId(1)).unwrap().unwrap();
    assert_eq!(linked.copy_of, Some(parallax_model::ArticleId(3)));
    let source = pg.sources().unwrap()[0].id;
    let feed = pg.source_feeds(source).unwrap()[0].id;
    let (article, _) = pg
        .insert_article(&draft(source, feed, "five", 13), StoryChoice::New)
        .unwrap();
    assert_eq!(article.0, 5);

    // A second copy into the same database is refused, and leaves it as it was.
    let err = migrate_store(&from, &schema.url()).unwrap_err();
    assert!(err.to_string().contains("already holds"), "{err}");
    assert_eq!(pg.stats().unwrap().articles, 5);
}

#[test]
fn the_copy_names_every_column_of_both_schemas() {
    let Some(schema) = ScratchSchema::create("columns") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    drop(SqliteStore::open(&path).unwrap());
    let sqlite = rusqlite::Connection::open(&path).unwrap();
    drop(PostgresStore::open(&schema.url()).unwrap());
    let mut pg = postgres::Client::connect(&schema.url(), postgres::NoTls).unwrap();

    let mut sqlite_tables: Vec<String> = sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_version'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut pg_tables: Vec<String> = pg
        .query(
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name <> 'schema_version'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut listed: Vec<String> = TABLES.iter().map(|t| t.name.to_string()).collect();
    for list in [&mut sqlite_tables, &mut pg_tables, &mut listed] {
        list.sort();
    }
    assert_eq!(sqlite_tables, listed);
    assert_eq!(pg_tables, listed);

    for table in TABLES {
        let mut named: Vec<String> = table.column_names().map(String::from).collect();
        named.extend(
            NOT_COPIED
                .iter()
                .filter(|(t, _)| *t == table.name)
                .map(|(_, c)| c.to_string()),
        );
        let mut in_sqlite: Vec<String> = sqlite
            .prepare(&format!(
                "SELECT name FROM pragma_table_info('{}')",
                table.name
            ))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut in_pg: Vec<String> = pg
            .query(
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1",
                &[&table.name],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        for list in [&mut named, &mut in_sqlite, &mut in_pg] {
            list.sort();
        }
        assert_eq!(in_sqlite, named, "{}", table.name);
        assert_eq!(in_pg, named, "{}", table.name);
    }
}
