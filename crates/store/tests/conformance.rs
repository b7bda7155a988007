//! One suite every `Store` implementation must pass, run here against SQLite (in memory and on
//! disk) and PostgreSQL (a scratch schema per run; see `parallax_store::testing`).

use chrono::{DateTime, Duration, TimeZone, Utc};
use parallax_model::{
    ArticleDraft, ContentOrigin, FeedId, Leaning, SourceId, SourceProfile, StoryId,
};
use parallax_store::{
    testing::ScratchSchema, AuditEntry, ClusteringMark, Error, FeedSuccess, PostgresStore,
    ReaderFlag, RuleKind, Session, SqliteStore, Store, StoryChange, StoryChoice, StoryOverrides,
    StoryQuery,
};

fn t(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 3, hour, 0, 0).unwrap()
}

fn profile(name: &str) -> SourceProfile {
    SourceProfile {
        name: name.into(),
        domain: format!("{}.example", name.to_lowercase()),
        country: Some("GB".into()),
        leaning: Some(Leaning::Center),
        language: Some("en".into()),
        notes: None,
        obey_robots: true,
    }
}

fn draft(
    source: SourceId,
    feed: FeedId,
    slug: &str,
    published: DateTime<Utc>,
    category: &str,
) -> ArticleDraft {
    ArticleDraft {
        source_id: source,
        feed_id: feed,
        guid: slug.into(),
        entry_hash: "h1".into(),
        url: format!("https://x.example/{slug}"),
        canonical_url: format!("https://x.example/{slug}"),
        title: format!("Title {slug}"),
        authors: vec!["Ana Ruiz".into()],
        published: Some(published),
        modified: None,
        site_name: None,
        language: Some("en".into()),
        image: None,
        description: None,
        text: format!("Text of {slug}."),
        html: format!("<p>Text of {slug}.</p>"),
        origin: ContentOrigin::Page,
        partial: false,
        categories: vec![category.into()],
    }
}

/// The writes after `position` once `expected` of them show. PostgreSQL hands a write to
/// indexes only once every transaction older than it has ended, anywhere on the server
/// (other tests run beside this one), so a write shows a moment after it commits.
fn settled_changes(
    store: &dyn Store,
    position: Option<&str>,
    limit: u32,
    expected: usize,
) -> parallax_store::IndexChanges {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let changes = store.index_changes(position, limit).unwrap();
        if changes.articles.len() >= expected || std::time::Instant::now() > deadline {
            return changes;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn sources_and_feeds(store: &dyn Store) {
    let a = store.upsert_source(&profile("Alpha")).unwrap();
    let again = store
        .upsert_source(&SourceProfile {
            notes: Some("wire".into()),
            ..profile("Alpha")
        })
        .unwrap();
    assert_eq!(a, again);
    let stored = store.source(a).unwrap().unwrap();
    assert_eq!(stored.profile.notes.as_deref(), Some("wire"));
    assert_eq!(stored.profile.leaning, Some(Leaning::Center));
    assert_eq!(store.sources().unwrap().len(), 1);

    let f1 = store.add_feed(a, "https://alpha.example/rss").unwrap();
    assert_eq!(store.add_feed(a, "https://alpha.example/rss").unwrap(), f1);
    let f2 = store.add_feed(a, "https://alpha.example/atom").unwrap();
    assert_eq!(store.source_feeds(a).unwrap().len(), 2);

    let now = Utc::now();
    store
        .record_feed_success(
            f1,
            &FeedSuccess {
                title: Some("Alpha".into()),
                etag: Some("\"e\"".into()),
                last_modified: None,
                fetched_at: now,
                next_fetch: now + Duration::hours(1),
                body_hash: Some("b1".into()),
                poll_interval_secs: Some(1800),
                moved_to: None,
            },
        )
        .unwrap();
    store
        .record_feed_failure(f2, "HTTP 404", now, now + Duration::minutes(5))
        .unwrap();
    store
        .record_feed_failure(f2, "HTTP 404", now, now + Duration::minutes(10))
        .unwrap();
    let feed1 = store.feed(f1).unwrap().unwrap();
    assert_eq!(feed1.etag.as_deref(), Some("\"e\""));
    assert_eq!(feed1.last_error, None);
    assert_eq!(
        (feed1.body_hash.as_deref(), feed1.poll_interval_secs),
        (Some("b1"), Some(1800))
    );
    let feed2 = store.feed(f2).unwrap().unwrap();
    assert_eq!(
        (feed2.last_error.as_deref(), feed2.error_count),
        (Some("HTTP 404"), 2)
    );
    let due: Vec<FeedId> = store
        .due_feeds(now + Duration::minutes(30))
        .unwrap()
        .into_iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(due, [f2]);
    assert_eq!(store.stats().unwrap().failing_feeds, 1);
}

fn articles_and_stories(store: &dyn Store) {
    let a = store.upsert_source(&profile("Alpha")).unwrap();
    let b = store
        .upsert_source(&SourceProfile {
            leaning: Some(Leaning::Right),
            ..profile("Beta")
        })
        .unwrap();
    let fa = store.add_feed(a, "https://alpha.example/rss").unwrap();
    let fb = store.add_feed(b, "https://beta.example/rss").unwrap();

    let (a1, s1) = store
        .insert_article(&draft(a, fa, "one", t(9), "World"), StoryChoice::New)
        .unwrap();
    let (_, s1b) = store
        .insert_article(
            &draft(b, fb, "two", t(11), "World"),
            StoryChoice::Existing(s1),
        )
        .unwrap();
    assert_eq!(s1, s1b);
    let (_, s2) = store
        .insert_article(&draft(b, fb, "three", t(12), "Sport"), StoryChoice::New)
        .unwrap();
    assert_ne!(s1, s2);
    assert!(matches!(
        store.insert_article(
            &draft(a, fa, "four", t(12), "World"),
            StoryChoice::Existing(StoryId(9999))
        ),
        Err(Error::NotFound { .. })
    ));
    assert_eq!(
        store.stats().unwrap().articles,
        3,
        "a failed insert stores nothing"
    );

    let story = store.story(s1).unwrap().unwrap();
    assert_eq!((story.article_count, story.source_count), (2, 2));
    assert_eq!((story.first_published, story.last_published), (t(9), t(11)));
    assert_eq!(story.title, "Title one");
    assert_eq!(
        story.category.as_ref().map(|c| c.slug.as_str()),
        Some("world")
    );
    let versions = store.story_versions(s1).unwrap();
    assert_eq!(
        versions
            .iter()
            .map(|v| v.source.profile.name.as_str())
            .collect::<Vec<_>>(),
        ["Alpha", "Beta"]
    );
    assert_eq!(versions[0].article.draft.authors, ["Ana Ruiz"]);

    // Entry lookups, exact duplicates and edits.
    assert_eq!(
        store.entry(fa, "one").unwrap(),
        Some((a1, "h1".to_string()))
    );
    assert_eq!(store.entry(fb, "one").unwrap(), None);
    assert_eq!(
        store
            .article_by_canonical_url("https://x.example/one")
            .unwrap(),
        Some(a1)
    );
    store.link_entry(fb, "alpha-one-copy", "h9", a1).unwrap();
    assert_eq!(
        store.entry(fb, "alpha-one-copy").unwrap(),
        Some((a1, "h9".to_string()))
    );
    let mut edited = draft(a, fa, "one", t(9), "World");
    edited.title = "Title one, updated".into();
    edited.entry_hash = "h2".into();
    edited.partial = true;
    store.update_article(a1, &edited).unwrap();
    let stored = store.article(a1).unwrap().unwrap().draft;
    assert_eq!(stored.title, "Title one, updated");
    assert!(stored.partial, "the partial mark is kept");
    assert_eq!(
        store.entry(fa, "one").unwrap(),
        Some((a1, "h2".to_string()))
    );
    assert_eq!(
        store.story(s1).unwrap().unwrap().title,
        "Title one, updated"
    );

    // Lists and filters.
    let all = store
        .stories(&StoryQuery {
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        all.iter().map(|s| s.id).collect::<Vec<_>>(),
        [s2, s1],
        "newest first"
    );
    let sport = store
        .stories(&StoryQuery {
            category: Some("sport".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(sport.iter().map(|s| s.id).collect::<Vec<_>>(), [s2]);
    let by_alpha = store
        .stories(&StoryQuery {
            source: Some(a),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_alpha.iter().map(|s| s.id).collect::<Vec<_>>(), [s1]);
    let older = store
        .stories(&StoryQuery {
            before: Some(t(12)),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(older.iter().map(|s| s.id).collect::<Vec<_>>(), [s1]);
    assert_eq!(store.categories().unwrap().len(), 2);
    assert_eq!(store.category("sport").unwrap().unwrap().name, "Sport");
    assert_eq!(store.source_articles(b, 10).unwrap().len(), 2);

    // What search indexes follow: every write, in order, from any position.
    let all = settled_changes(store, None, 10, 3);
    assert_eq!(all.articles.len(), 3);
    let first = store.index_changes(None, 1).unwrap();
    assert_eq!(first.articles[0].id, all.articles[0].id);
    let rest = store.index_changes(Some(&first.position), 10).unwrap();
    assert_eq!(rest.articles.len(), 2);
    let caught_up = store.index_changes(Some(&all.position), 10).unwrap();
    assert!(caught_up.articles.is_empty());
    assert_eq!(
        caught_up.position, all.position,
        "nothing new, the same position"
    );
    store.update_article(a1, &edited).unwrap();
    let edits = settled_changes(store, Some(&all.position), 10, 1);
    assert_eq!(
        edits.articles.iter().map(|a| a.id).collect::<Vec<_>>(),
        [a1],
        "an edit needs indexing again"
    );
    assert_eq!(edits.articles[0].draft.title, edited.title);
    // A position another kind of store gave starts over.
    let foreign = store.index_changes(Some("elsewhere:99:99"), 10).unwrap();
    assert_eq!(foreign.articles.len(), 3);

    let stories_of = |window: Duration| {
        let records = store.cluster_records(window).unwrap();
        records.iter().map(|r| r.story).collect::<Vec<_>>()
    };
    assert_eq!(stories_of(Duration::days(30)), [s1, s1, s2]);
    // The latest story's last article is at 12:00, the other's at 11:00.
    assert_eq!(stories_of(Duration::minutes(30)), [s2]);
}

fn moved_and_gone_feeds(store: &dyn Store) {
    let a = store.upsert_source(&profile("Alpha")).unwrap();
    let feed = store.add_feed(a, "https://alpha.example/old.xml").unwrap();
    let taken = store
        .add_feed(a, "https://alpha.example/taken.xml")
        .unwrap();
    let now = Utc::now();
    let moved = |to: &str| FeedSuccess {
        fetched_at: now,
        next_fetch: now,
        moved_to: Some(to.into()),
        ..FeedSuccess::default()
    };
    store
        .record_feed_success(feed, &moved("https://alpha.example/new.xml"))
        .unwrap();
    store
        .record_feed_success(feed, &moved("https://alpha.example/new.xml"))
        .unwrap();
    assert_eq!(
        store.feed(feed).unwrap().unwrap().url,
        "https://alpha.example/old.xml",
        "two sightings are not enough"
    );
    store
        .record_feed_success(feed, &moved("https://alpha.example/new.xml"))
        .unwrap();
    assert_eq!(
        store.feed(feed).unwrap().unwrap().url,
        "https://alpha.example/new.xml"
    );
    // A redirect that stops resets the count; a target another feed holds never moves it.
    for _ in 0..3 {
        store
            .record_feed_success(feed, &moved("https://alpha.example/taken.xml"))
            .unwrap();
    }
    assert_eq!(
        store.feed(feed).unwrap().unwrap().url,
        "https://alpha.example/new.xml"
    );
    assert_eq!(
        store.feed(taken).unwrap().unwrap().url,
        "https://alpha.example/taken.xml"
    );

    store.set_feed_folder(feed, Some("World")).unwrap();
    assert_eq!(
        store.feed(feed).unwrap().unwrap().folder.as_deref(),
        Some("World")
    );

    store.record_feed_gone(taken, now).unwrap();
    let gone = store.feed(taken).unwrap().unwrap();
    assert_eq!(gone.status, parallax_model::FeedStatus::Gone);
    let due: Vec<FeedId> = store
        .due_feeds(now + Duration::days(365))
        .unwrap()
        .into_iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(due, [feed], "a gone feed is not polled");
    assert_eq!(store.feeds().unwrap().len(), 2, "nor is it dropped");
}

/// Two outlets, Alpha and Beta, with a feed each: (Alpha, its feed, Beta, its feed).
fn two_outlets(store: &dyn Store) -> (SourceId, FeedId, SourceId, FeedId) {
    let a = store.upsert_source(&profile("Alpha")).unwrap();
    let b = store.upsert_source(&profile("Beta")).unwrap();
    let fa = store.add_feed(a, "https://alpha.example/rss").unwrap();
    let fb = store.add_feed(b, "https://beta.example/rss").unwrap();
    (a, fa, b, fb)
}

fn titled(d: ArticleDraft, title: &str) -> ArticleDraft {
    ArticleDraft {
        title: title.into(),
        ..d
    }
}

fn merged_stories(store: &dyn Store) {
    let (a, fa, b, fb) = two_outlets(store);
    let (_, first) = store
        .insert_article(
            &titled(draft(a, fa, "one", t(9), "World"), "Storm in the north"),
            StoryChoice::New,
        )
        .unwrap();
    let (moved_1, second) = store
        .insert_article(
            &titled(
                draft(b, fb, "two", t(10), "World"),
                "Storm Hollis floods Port Aldane harbour",
            ),
            StoryChoice::New,
        )
        .unwrap();
    let (moved_2, _) = store
        .insert_article(
            &titled(
                draft(a, fa, "three", t(11), "World"),
                "Port Aldane harbour flooded as Storm Hollis hits",
            ),
            StoryChoice::Existing(second),
        )
        .unwrap();
    let indexed = settled_changes(store, None, 10, 3).position;

    store.merge_stories(second, first).unwrap();
    assert_eq!(store.story(second).unwrap(), None);
    let merged = store.story(first).unwrap().unwrap();
    assert_eq!((merged.article_count, merged.source_count), (3, 2));
    assert_eq!(
        (merged.first_published, merged.last_published),
        (t(9), t(11))
    );
    // The headline most versions agree with, not the first one's.
    assert_eq!(merged.title, "Storm Hollis floods Port Aldane harbour");
    let mut moved: Vec<_> = settled_changes(store, Some(&indexed), 10, 2).articles;
    moved.sort_by_key(|a| a.id);
    assert_eq!(
        moved.iter().map(|a| (a.id, a.story_id)).collect::<Vec<_>>(),
        [(moved_1, first), (moved_2, first)],
        "moved articles are indexed again, under their new story"
    );
    assert!(matches!(
        store.merge_stories(second, first),
        Err(Error::NotFound { what: "story", .. })
    ));
    store.merge_stories(first, first).unwrap();

    assert_eq!(store.article(moved_2).unwrap().unwrap().copy_of, None);
    store.mark_copy(moved_2, moved_1).unwrap();
    assert_eq!(
        store.article(moved_2).unwrap().unwrap().copy_of,
        Some(moved_1)
    );
    assert!(matches!(
        store.mark_copy(moved_2, parallax_model::ArticleId(999)),
        Err(Error::NotFound {
            what: "article",
            ..
        })
    ));
}

fn split_stories(store: &dyn Store) {
    let (a, fa, b, fb) = two_outlets(store);
    let (north, story) = store
        .insert_article(
            &titled(draft(a, fa, "n1", t(9), "World"), "Quake shakes Corvallo"),
            StoryChoice::New,
        )
        .unwrap();
    let add = |feed, source, guid, hour, title| {
        store
            .insert_article(
                &titled(draft(source, feed, guid, t(hour), "World"), title),
                StoryChoice::Existing(story),
            )
            .unwrap()
            .0
    };
    let north_copy = add(fb, b, "n2", 10, "Quake shakes Corvallo");
    let south = add(fa, a, "s1", 11, "Quake hits Port Meridan");
    let south_copy = add(fb, b, "s2", 12, "Quake hits Port Meridan");
    store.mark_copy(north_copy, north).unwrap();
    store.mark_copy(south_copy, south).unwrap();
    // A link the split will cut: the clusterer keeps copies together, the store must not
    // keep a link across stories if it is ever asked to.
    store.mark_copy(south, north).unwrap();
    let indexed = settled_changes(store, None, 10, 4).position;

    let parted = store.split_story(story, &[south, south_copy]).unwrap();
    assert_ne!(parted, story);
    let kept = store.story(story).unwrap().unwrap();
    let new = store.story(parted).unwrap().unwrap();
    assert_eq!(
        (kept.article_count, kept.title.as_str()),
        (2, "Quake shakes Corvallo")
    );
    assert_eq!(
        (new.article_count, new.title.as_str()),
        (2, "Quake hits Port Meridan")
    );
    assert_eq!((new.first_published, new.last_published), (t(11), t(12)));
    assert_eq!((kept.first_published, kept.last_published), (t(9), t(10)));
    let mut moved: Vec<_> = settled_changes(store, Some(&indexed), 10, 2).articles;
    moved.sort_by_key(|a| a.id);
    assert_eq!(
        moved.iter().map(|a| (a.id, a.story_id)).collect::<Vec<_>>(),
        [(south, parted), (south_copy, parted)],
        "moved articles are indexed again, under their new story"
    );
    let copy_of = |id| store.article(id).unwrap().unwrap().copy_of;
    assert_eq!(copy_of(south), None, "the link across stories is dropped");
    assert_eq!(copy_of(south_copy), Some(south));
    assert_eq!(copy_of(north_copy), Some(north));

    // Bad splits change nothing.
    for (from, articles) in [
        (story, vec![]),
        (story, vec![north, north_copy]),
        (story, vec![south]),
    ] {
        assert!(
            matches!(
                store.split_story(from, &articles),
                Err(Error::BadSplit { .. })
            ),
            "{articles:?}"
        );
    }
    assert!(matches!(
        store.split_story(parallax_model::StoryId(999), &[north]),
        Err(Error::NotFound { what: "story", .. })
    ));
    assert_eq!(store.story(story).unwrap().unwrap().article_count, 2);
    assert_eq!(store.story(parted).unwrap().unwrap().article_count, 2);
}

fn editors_overrides(store: &dyn Store) {
    let a = store.upsert_source(&profile("Alpha")).unwrap();
    let fa = store.add_feed(a, "https://alpha.example/rss").unwrap();
    let story_of = |guid: &str, hour| {
        store
            .insert_article(&draft(a, fa, guid, t(hour), "World"), StoryChoice::New)
            .unwrap()
    };
    let (_, one) = story_of("one", 9);
    let (_, two) = story_of("two", 10);
    let (_, three) = story_of("three", 11);
    let (moved, _) = store
        .insert_article(
            &draft(a, fa, "four", t(12), "World"),
            StoryChoice::Existing(three),
        )
        .unwrap();
    assert_eq!(store.story_overrides().unwrap(), StoryOverrides::default());

    store.merge_stories_as_editor(two, one).unwrap();
    let after_merge = store.story_overrides().unwrap();
    assert!(after_merge.version > 0);
    assert_eq!(after_merge.locked, [one].into());
    assert!(after_merge.apart.is_empty());

    let parted = store.split_story_as_editor(three, &[moved]).unwrap();
    let after_split = store.story_overrides().unwrap();
    assert!(after_split.version > after_merge.version);
    assert_eq!(after_split.locked, [one, three, parted].into());
    assert_eq!(after_split.apart, [(three, parted)].into());

    // The clusterer's own merge carries the correction to the story that absorbs one side.
    store.merge_stories(three, one).unwrap();
    let carried = store.story_overrides().unwrap();
    assert_eq!(carried.apart, [(one, parted)].into());
    assert_eq!(
        carried.version, after_split.version,
        "not an editor's change"
    );
    // An editor who merges the two after all has the last word.
    store.merge_stories_as_editor(parted, one).unwrap();
    let last = store.story_overrides().unwrap();
    assert!(last.apart.is_empty());
    assert_eq!(last.locked, [one].into());
    assert!(matches!(
        store.merge_stories_as_editor(parted, one),
        Err(Error::NotFound { what: "story", .. })
    ));
}

fn editors_sessions_and_audit(store: &dyn Store) {
    assert_eq!(store.setting("admin_password").unwrap(), None);
    store
        .set_setting("admin_password", "$argon2id$one", t(1))
        .unwrap();
    store
        .set_setting("admin_password", "$argon2id$two", t(2))
        .unwrap();
    assert_eq!(
        store.setting("admin_password").unwrap().as_deref(),
        Some("$argon2id$two")
    );

    let session = |hash: &str, from: u32, to: u32| Session {
        token_hash: hash.into(),
        csrf: format!("csrf-{hash}"),
        actor: "admin".into(),
        created_at: t(from),
        expires_at: t(to),
    };
    store.create_session(&session("a", 1, 5)).unwrap();
    assert_eq!(store.session("a", t(2)).unwrap(), Some(session("a", 1, 5)));
    assert_eq!(
        store.session("a", t(5)).unwrap(),
        None,
        "expired at its end"
    );
    assert_eq!(store.session("b", t(2)).unwrap(), None);
    store.create_session(&session("b", 2, 9)).unwrap();
    store.delete_session("b").unwrap();
    assert_eq!(store.session("b", t(3)).unwrap(), None);
    store.create_session(&session("c", 3, 9)).unwrap();
    store.delete_sessions().unwrap();
    assert_eq!(store.session("c", t(4)).unwrap(), None);

    let tool = store.create_api_token("dashboard", "hash-1", t(1)).unwrap();
    let other = store.create_api_token("script", "hash-2", t(2)).unwrap();
    assert_eq!(
        store.api_token("hash-1").unwrap().unwrap().name,
        "dashboard"
    );
    assert_eq!(store.api_token("nope").unwrap(), None);
    store.revoke_api_token(tool, t(3)).unwrap();
    store.revoke_api_token(tool, t(4)).unwrap();
    assert_eq!(store.api_token("hash-1").unwrap(), None, "revoked");
    let tokens = store.api_tokens().unwrap();
    assert_eq!(tokens.len(), 2);
    assert_eq!(
        tokens[0].revoked_at,
        Some(t(3)),
        "revoked once, when first revoked"
    );
    assert_eq!((tokens[1].id, tokens[1].revoked_at), (other, None));
    assert!(matches!(
        store.revoke_api_token(999, t(5)),
        Err(Error::NotFound { .. })
    ));

    // A reader's marks, per token.
    store
        .set_reader_state(other, &[StoryId(5), StoryId(3)], ReaderFlag::Read, true)
        .unwrap();
    store
        .set_reader_state(other, &[StoryId(3)], ReaderFlag::Starred, true)
        .unwrap();
    store
        .set_reader_state(other, &[StoryId(5)], ReaderFlag::Read, false)
        .unwrap();
    assert_eq!(
        store.reader_stories(other, ReaderFlag::Read).unwrap(),
        [StoryId(3)]
    );
    assert_eq!(
        store.reader_stories(other, ReaderFlag::Starred).unwrap(),
        [StoryId(3)]
    );
    assert!(store
        .reader_stories(tool, ReaderFlag::Read)
        .unwrap()
        .is_empty());

    for (hour, action) in [(1, "login"), (2, "merge story 3 into 1"), (3, "logout")] {
        store
            .record_audit(&AuditEntry {
                at: t(hour),
                actor: "admin".into(),
                action: action.into(),
                detail: String::new(),
            })
            .unwrap();
    }
    let log = store.audit_log(2).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["logout", "merge story 3 into 1"]);
    assert_eq!(log[0].at, t(3));
}

fn editors_story_choices(store: &dyn Store) {
    let (a, fa, b, fb) = two_outlets(store);
    let (first, story) = store
        .insert_article(
            &titled(draft(a, fa, "one", t(9), "World"), "Storm in the north"),
            StoryChoice::New,
        )
        .unwrap();
    let (other_article, other) = store
        .insert_article(&draft(b, fb, "two", t(10), "Sport"), StoryChoice::New)
        .unwrap();
    let public = || -> Vec<StoryId> {
        store
            .stories(&StoryQuery::default())
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect()
    };
    assert_eq!(public().len(), 2);

    // Hidden: out of the public lists, still there for editors.
    store.set_story_hidden(story, true).unwrap();
    assert_eq!(public(), [other]);
    let all = store
        .stories(&StoryQuery {
            include_hidden: true,
            ..StoryQuery::default()
        })
        .unwrap();
    assert_eq!(all.len(), 2);
    assert!(store.story(story).unwrap().unwrap().hidden);
    store.set_story_hidden(story, false).unwrap();
    assert_eq!(public().len(), 2);

    store.set_story_pinned(other, true).unwrap();
    assert!(store.story(other).unwrap().unwrap().pinned);

    // An editor's title and category stay when articles join.
    store
        .set_story_title(story, Some("The editors' title"))
        .unwrap();
    assert!(matches!(
        store.set_story_category(story, Some("no-such-category")),
        Err(Error::UnknownCategory(_))
    ));
    store.set_story_category(story, Some("sport")).unwrap();
    store
        .insert_article(
            &titled(
                draft(b, fb, "three", t(11), "World"),
                "Storm in the north again",
            ),
            StoryChoice::Existing(story),
        )
        .unwrap();
    let edited = store.story(story).unwrap().unwrap();
    assert_eq!(edited.title, "The editors' title");
    assert_eq!(edited.category.unwrap().slug, "sport");
    assert_eq!(edited.article_count, 2);
    store.set_story_title(story, None).unwrap();
    store.set_story_category(story, None).unwrap();
    let back = store.story(story).unwrap().unwrap();
    assert_ne!(back.title, "The editors' title");
    assert_eq!(back.category.unwrap().slug, "world");

    // Hidden articles, per story.
    store.set_article_hidden(first, true).unwrap();
    store.set_article_hidden(first, true).unwrap();
    assert_eq!(store.hidden_articles(story).unwrap(), [first]);
    assert!(store.hidden_articles(other).unwrap().is_empty());
    store.set_article_hidden(first, false).unwrap();
    assert!(store.hidden_articles(story).unwrap().is_empty());
    let _ = other_article;

    assert!(matches!(
        store.set_story_hidden(StoryId(999_999), true),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        store.set_story_title(StoryId(999_999), Some("x")),
        Err(Error::NotFound { .. })
    ));
}

fn editors_sources(store: &dyn Store) {
    let (a, fa, b, fb) = two_outlets(store);
    let mut renamed = profile("Alpha Times");
    renamed.leaning = Some(Leaning::Left);
    renamed.notes = Some("Owned by a trust".into());
    store.update_source(a, &renamed).unwrap();
    let got = store.source(a).unwrap().unwrap();
    assert_eq!(got.profile, renamed);
    assert!(matches!(
        store.update_source(b, &renamed),
        Err(Error::Duplicate(_))
    ));
    assert_eq!(store.source(b).unwrap().unwrap().profile.name, "Beta");
    assert!(matches!(
        store.update_source(SourceId(999), &profile("Nobody")),
        Err(Error::NotFound { .. })
    ));

    // Categories: made from a name, renamed without moving.
    let culture = store.create_category("Arts & Culture").unwrap();
    assert_eq!(culture.slug, "arts-culture");
    assert!(matches!(
        store.create_category("Arts  culture"),
        Err(Error::Duplicate(_))
    ));
    store.rename_category("arts-culture", "Culture").unwrap();
    assert_eq!(
        store.category("arts-culture").unwrap().unwrap().name,
        "Culture"
    );
    assert!(matches!(
        store.rename_category("nowhere", "X"),
        Err(Error::UnknownCategory(_))
    ));

    // A retired feed is not polled; following it again brings it back.
    let due = |at| -> Vec<FeedId> { store.due_feeds(at).unwrap().iter().map(|f| f.id).collect() };
    assert_eq!(due(Utc::now() + Duration::days(1)).len(), 2);
    store.set_feed_retired(fa, true).unwrap();
    assert_eq!(due(Utc::now() + Duration::days(1)), [fb]);
    assert_eq!(
        store.feed(fa).unwrap().unwrap().status,
        parallax_model::FeedStatus::Retired
    );
    store.set_feed_retired(fa, false).unwrap();
    assert_eq!(due(Utc::now() + Duration::days(1)).len(), 2);
    // A gone feed stays gone.
    store.record_feed_gone(fb, t(1)).unwrap();
    store.set_feed_retired(fb, false).unwrap();
    assert_eq!(
        store.feed(fb).unwrap().unwrap().status,
        parallax_model::FeedStatus::Gone
    );
    assert!(matches!(
        store.set_feed_retired(FeedId(999), true),
        Err(Error::NotFound { .. })
    ));
}

fn editors_category_rules(store: &dyn Store) {
    let (a, fa, b, fb) = two_outlets(store);
    let (_, vote) = store
        .insert_article(
            &titled(
                draft(a, fa, "one", t(9), "World"),
                "Sarnovia votes in a snap election",
            ),
            StoryChoice::New,
        )
        .unwrap();
    let (_, match_story) = store
        .insert_article(
            &titled(
                draft(b, fb, "two", t(10), "Sport"),
                "Holm loses the title to Saric",
            ),
            StoryChoice::New,
        )
        .unwrap();
    let category = |id| store.story(id).unwrap().unwrap().category.unwrap().slug;
    assert_eq!(category(vote), "world");
    store.create_category("Politics").unwrap();
    store.create_category("Chess").unwrap();
    assert!(matches!(
        store.add_category_rule(RuleKind::Keyword, "election", "nowhere"),
        Err(Error::UnknownCategory(_))
    ));
    // Whole words in any case; the rule files the latest stories at once.
    store
        .add_category_rule(RuleKind::Keyword, "ELECTION", "politics")
        .unwrap();
    assert_eq!(category(vote), "politics");
    store
        .add_category_rule(RuleKind::Keyword, "tit", "politics")
        .unwrap();
    assert_eq!(
        category(match_story),
        "sport",
        "'tit' is not a word of 'title'"
    );
    // A name as written, and an outlet.
    store
        .add_category_rule(RuleKind::Entity, "saric", "chess")
        .unwrap();
    assert_eq!(category(match_story), "sport", "names keep their case");
    let by_name = store
        .add_category_rule(RuleKind::Entity, "Saric", "chess")
        .unwrap();
    assert_eq!(category(match_story), "chess");
    store.delete_category_rule(by_name).unwrap();
    assert_eq!(category(match_story), "sport");
    store
        .add_category_rule(RuleKind::Source, &b.0.to_string(), "chess")
        .unwrap();
    assert_eq!(category(match_story), "chess");
    // An editor's category for one story beats every rule.
    store.set_story_category(vote, Some("chess")).unwrap();
    assert_eq!(category(vote), "chess");
    let rules = store.category_rules().unwrap();
    assert_eq!(rules.len(), 4);
    assert_eq!(
        (rules[0].kind, rules[0].category.slug.as_str()),
        (RuleKind::Keyword, "politics")
    );
    assert!(matches!(
        store.delete_category_rule(999),
        Err(Error::NotFound { .. })
    ));
}

fn workers_lease_hosts(store: &dyn Store) {
    let a = store.upsert_source(&profile("Alpha")).unwrap();
    let one = store.add_feed(a, "https://alpha.example/rss").unwrap();
    let two = store
        .add_feed(a, "https://ALPHA.example/world.rss")
        .unwrap();
    let other = store.add_feed(a, "https://beta.example/rss").unwrap();
    let now = Utc::now() + Duration::minutes(1);
    let until = now + Duration::minutes(10);
    let ids = |feeds: Vec<parallax_model::Feed>| feeds.iter().map(|f| f.id).collect::<Vec<_>>();

    // One host per claim: both of alpha's feeds, since a host is leased whole.
    let first = ids(store.claim_due_feeds("w1", now, until, 1).unwrap());
    assert_eq!(first, vec![one, two]);
    // Another worker gets the other host, never alpha's feeds.
    assert_eq!(
        ids(store.claim_due_feeds("w2", now, until, 5).unwrap()),
        vec![other]
    );
    assert!(store
        .claim_due_feeds("w3", now, until, 5)
        .unwrap()
        .is_empty());
    // The holder claiming again keeps what it holds.
    assert_eq!(
        ids(store.claim_due_feeds("w1", now, until, 5).unwrap()),
        vec![one, two]
    );
    // A worker that stopped renewing loses its hosts when the lease runs out.
    store
        .renew_leases("w2", until + Duration::minutes(10))
        .unwrap();
    let later = until + Duration::seconds(1);
    assert_eq!(
        ids(store
            .claim_due_feeds("w3", later, later + Duration::minutes(10), 5)
            .unwrap()),
        vec![one, two]
    );
    store.release_leases("w2").unwrap();
    let held = later + Duration::minutes(10);
    assert_eq!(
        ids(store.claim_due_feeds("w4", later, held, 5).unwrap()),
        vec![other]
    );
    // A feed that is not due is not handed out.
    store.release_leases("w3").unwrap();
    store
        .record_feed_failure(one, "timeout", now, later + Duration::hours(1))
        .unwrap();
    assert_eq!(
        ids(store.claim_due_feeds("w5", later, later, 5).unwrap()),
        vec![two]
    );
}

fn clusterers_journal_their_changes(store: &dyn Store) {
    assert_eq!(store.clustering_mark().unwrap(), ClusteringMark::default());
    let (a, fa, b, fb) = two_outlets(store);
    let (a1, s1) = store
        .insert_article(&draft(a, fa, "one", t(9), "World"), StoryChoice::New)
        .unwrap();
    let (_, s2) = store
        .insert_article(&draft(b, fb, "two", t(10), "World"), StoryChoice::New)
        .unwrap();
    let (a3, _) = store
        .insert_article(
            &draft(b, fb, "three", t(11), "World"),
            StoryChoice::Existing(s1),
        )
        .unwrap();
    let mark = store.clustering_mark().unwrap();
    assert_eq!((mark.article, mark.change), (a3, 0));
    let after_first: Vec<_> = store.cluster_records_after(a1).unwrap();
    assert_eq!(after_first.len(), 2);
    assert_eq!(after_first[1].story, s1);

    store.merge_stories(s2, s1).unwrap();
    let s4 = store.split_story(s1, &[a3]).unwrap();
    // Editors' changes reach the clusterers another way (`story_overrides`).
    store.merge_stories_as_editor(s4, s1).unwrap();
    let changes = store.story_changes_after(0).unwrap();
    assert_eq!(
        changes.iter().map(|(_, c)| c.clone()).collect::<Vec<_>>(),
        vec![
            StoryChange::Merged { from: s2, into: s1 },
            StoryChange::Split {
                from: s1,
                into: s4,
                articles: vec![a3]
            },
        ]
    );
    assert_eq!(store.clustering_mark().unwrap().change, changes[1].0);
    assert_eq!(store.story_changes_after(changes[0].0).unwrap().len(), 1);

    // More articles than a store reads in one statement: all of them, in order, once.
    let more: Vec<parallax_model::ArticleId> = (0..2_100)
        .map(|i| {
            store
                .insert_article(
                    &draft(a, fa, &format!("more-{i}"), t(12), "World"),
                    StoryChoice::Existing(s1),
                )
                .unwrap()
                .0
        })
        .collect();
    let read: Vec<parallax_model::ArticleId> = store
        .cluster_records_after(a3)
        .unwrap()
        .iter()
        .map(|r| r.article)
        .collect();
    assert_eq!(read, more);
}

/// One holder of the clustering lock at a time.
fn clustering_is_one_at_a_time(store: &dyn Store) {
    let held = store.lock_clustering().unwrap();
    let (taken, took) = std::sync::mpsc::channel();
    std::thread::scope(|s| {
        s.spawn(move || {
            let _second = store.lock_clustering().unwrap();
            taken.send(()).unwrap();
        });
        assert!(
            took.recv_timeout(std::time::Duration::from_millis(300))
                .is_err(),
            "a second holder got the lock while the first held it"
        );
        drop(held);
        took.recv_timeout(std::time::Duration::from_secs(10))
            .expect("the lock was not passed on when its holder let go");
    });
}

fn retention_drops_old_texts_and_keeps_the_rest(store: &dyn Store) {
    let (a, fa, b, fb) = two_outlets(store);
    let (old, story) = store
        .insert_article(&draft(a, fa, "old", t(9), "World"), StoryChoice::New)
        .unwrap();
    let (new, _) = store
        .insert_article(
            &draft(b, fb, "new", t(11), "World"),
            StoryChoice::Existing(story),
        )
        .unwrap();
    let before = settled_changes(store, None, 10, 2).position;
    assert_eq!(store.drop_old_texts(t(10), 100).unwrap(), 1);
    assert_eq!(
        store.drop_old_texts(t(10), 100).unwrap(),
        0,
        "once is enough"
    );
    let dropped = store.article(old).unwrap().unwrap();
    assert_eq!(
        (dropped.draft.text.as_str(), dropped.draft.html.as_str()),
        ("", "")
    );
    assert!(dropped.text_dropped_at.is_some());
    assert_eq!(dropped.draft.title, "Title old");
    assert_eq!(dropped.draft.authors, ["Ana Ruiz"]);
    let kept = store.article(new).unwrap().unwrap();
    assert_eq!(
        (kept.draft.text.as_str(), kept.text_dropped_at),
        ("Text of new.", None)
    );
    let story = store.story(story).unwrap().unwrap();
    assert_eq!((story.article_count, story.source_count), (2, 2));
    assert_eq!(store.entry(fa, "old").unwrap().map(|e| e.0), Some(old));
    // Indexes see it written again, and drop its words.
    let again = settled_changes(store, Some(&before), 10, 1);
    assert_eq!(
        again.articles.iter().map(|a| a.id).collect::<Vec<_>>(),
        [old]
    );
}

/// A part of the suite, run on an empty store.
type Part = fn(&dyn Store);

/// Every part of the suite, by name.
const SUITE: &[(&str, Part)] = &[
    ("sources_and_feeds", sources_and_feeds),
    ("moved_and_gone_feeds", moved_and_gone_feeds),
    ("articles_and_stories", articles_and_stories),
    ("merged_stories", merged_stories),
    ("split_stories", split_stories),
    ("editors_overrides", editors_overrides),
    ("editors_sessions_and_audit", editors_sessions_and_audit),
    ("editors_story_choices", editors_story_choices),
    ("editors_sources", editors_sources),
    ("editors_category_rules", editors_category_rules),
    ("workers_lease_hosts", workers_lease_hosts),
    (
        "clusterers_journal_their_changes",
        clusterers_journal_their_changes,
    ),
    ("clustering_is_one_at_a_time", clustering_is_one_at_a_time),
    (
        "retention_drops_old_texts_and_keeps_the_rest",
        retention_drops_old_texts_and_keeps_the_rest,
    ),
];

#[test]
fn sqlite_in_memory_passes_the_suite() {
    for (_, part) in SUITE {
        part(&SqliteStore::open_in_memory().unwrap());
    }
}

#[test]
fn postgres_passes_the_suite() {
    for (name, part) in SUITE {
        let Some(schema) = ScratchSchema::create("suite") else {
            return;
        };
        eprintln!("PostgreSQL: {name}");
        part(&PostgresStore::open(&schema.url()).unwrap());
    }
}

#[test]
fn postgres_reopened_keeps_its_data_and_schema_version() {
    let Some(schema) = ScratchSchema::create("reopen") else {
        return;
    };
    articles_and_stories(&PostgresStore::open(&schema.url()).unwrap());
    let reopened = PostgresStore::open(&schema.url()).unwrap();
    assert_eq!(reopened.stats().unwrap().articles, 3);
    assert_eq!(reopened.stories(&StoryQuery::default()).unwrap().len(), 2);
}

/// Two writers adding articles to one story at the same moment (two workers): every article
/// counts, because each write holds the story's row until it commits. Each round ends with
/// both writes, so a stale count would be the last word.
#[test]
fn postgres_concurrent_writers_of_one_story_lose_no_count() {
    let Some(schema) = ScratchSchema::create("race") else {
        return;
    };
    let store = PostgresStore::open(&schema.url()).unwrap();
    let (a, fa, b, fb) = two_outlets(&store);
    let (_, story) = store
        .insert_article(&draft(a, fa, "first", t(8), "World"), StoryChoice::New)
        .unwrap();
    let start = std::sync::Barrier::new(2);
    for round in 0..30 {
        std::thread::scope(|s| {
            for (source, feed, side) in [(a, fa, "a"), (b, fb, "b")] {
                let (store, start) = (&store, &start);
                s.spawn(move || {
                    let d = draft(source, feed, &format!("{side}{round}"), t(9), "World");
                    start.wait();
                    store
                        .insert_article(&d, StoryChoice::Existing(story))
                        .unwrap();
                });
            }
        });
        let count = store.story(story).unwrap().unwrap().article_count;
        assert_eq!(count, 3 + 2 * round, "round {round}");
    }
}

#[test]
fn a_database_url_of_no_known_kind_is_a_clear_error() {
    let err = parallax_store::open_url("mysql://db/news").err().unwrap();
    assert!(err.to_string().contains("postgres://"), "{err}");
    let err = PostgresStore::open("postgres://nobody@127.0.0.1:1/none")
        .err()
        .unwrap();
    assert!(
        err.to_string()
            .contains("cannot connect to PostgreSQL at 127.0.0.1:1/none"),
        "{err}"
    );
}

#[test]
fn sqlite_on_disk_passes_the_suite_and_keeps_data_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    articles_and_stories(&SqliteStore::open(&path).unwrap());
    let reopened = SqliteStore::open(&path).unwrap();
    assert_eq!(reopened.stats().unwrap().articles, 3);
    assert_eq!(reopened.stories(&StoryQuery::default()).unwrap().len(), 2);
}

#[test]
fn a_file_that_is_not_a_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    std::fs::write(
        &path,
        b"this is not sqlite, just text that is long enough to be read as a header",
    )
    .unwrap();
    let err = SqliteStore::open(&path)
        .err()
        .expect("opening garbage must fail");
    assert!(err.to_string().contains("database"), "{err}");
}

/// A TCP relay to the PostgreSQL server whose connections the test can cut at any moment.
struct CuttableLink {
    addr: std::net::SocketAddr,
    open: std::sync::Arc<std::sync::Mutex<Vec<std::net::TcpStream>>>,
    accepted: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl CuttableLink {
    fn to(upstream: String) -> CuttableLink {
        use std::net::{Shutdown, TcpListener, TcpStream};
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let open = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (streams, count) = (open.clone(), accepted.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let (Ok(client), Ok(server)) = (client, TcpStream::connect(&upstream)) else {
                    continue;
                };
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let (Ok(c), Ok(s)) = (client.try_clone(), server.try_clone()) else {
                    continue;
                };
                streams.lock().unwrap().extend([c, s]);
                for (mut from, mut to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(Shutdown::Both);
                    });
                }
            }
        });
        CuttableLink {
            addr,
            open,
            accepted,
        }
    }

    /// Resets every connection relayed so far, wherever its conversation is.
    fn cut(&self) {
        for stream in self.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// The server's connections cut again and again while articles are written: every write
/// is carried through (tried again), none is stored twice, and none is half-written (an
/// article without its entry, a story whose counts are not its articles', a story without
/// any).
#[test]
fn postgres_connections_cut_mid_write_lose_and_duplicate_nothing() {
    let Some(schema) = ScratchSchema::create("cut") else {
        return;
    };
    let url = schema.url();
    let config: ::postgres::Config = url.parse().unwrap();
    let host = match config.get_hosts().first() {
        Some(::postgres::config::Host::Tcp(h)) => h.clone(),
        _ => {
            eprintln!("skipping: the test server is not reached over TCP");
            return;
        }
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let upstream = format!("{host}:{port}");
    let Some(at) = url.find(&upstream) else {
        eprintln!("skipping: the test URL does not name {upstream}");
        return;
    };
    let link = CuttableLink::to(upstream.clone());
    let relayed = format!("{}{}{}", &url[..at], link.addr, &url[at + upstream.len()..]);
    let direct = PostgresStore::open(&url).unwrap();
    let (a, fa, _, _) = two_outlets(&direct);
    let store = PostgresStore::open(&relayed).unwrap();

    const WRITES: usize = 400;
    let done = std::sync::atomic::AtomicBool::new(false);
    let written = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<bool> = std::thread::scope(|s| {
        let writer = s.spawn(|| {
            let mut story = None;
            let results = (0..WRITES)
                .map(|i| {
                    let choice = match story {
                        Some(id) if i % 4 != 0 => StoryChoice::Existing(id),
                        _ => StoryChoice::New,
                    };
                    let stored = store
                        .insert_article(&draft(a, fa, &format!("cut-{i}"), t(9), "World"), choice);
                    written.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    match stored {
                        Ok((_, id)) => {
                            story = Some(id);
                            true
                        }
                        Err(e) => {
                            eprintln!("write {i} failed: {e:?}");
                            false
                        }
                    }
                })
                .collect();
            done.store(true, std::sync::atomic::Ordering::SeqCst);
            results
        });
        // A cut every 25 ms, once a write has ended since the last: each write meets cuts
        // at any point of its conversation, and its retry is not cut forever on a machine
        // slow enough that every attempt outlasts the period.
        let mut last = 0;
        while !done.load(std::sync::atomic::Ordering::SeqCst) {
            std::thread::sleep(std::time::Duration::from_millis(25));
            let now = written.load(std::sync::atomic::Ordering::SeqCst);
            if now != last {
                link.cut();
                last = now;
            }
        }
        writer.join().unwrap()
    });
    let accepted = link.accepted.load(std::sync::atomic::Ordering::SeqCst);
    eprintln!("{accepted} connections made through the link");
    assert!(
        accepted > 20,
        "connections were cut and made again: {accepted}"
    );
    for (i, ok) in results.iter().enumerate() {
        let stored = direct
            .article_by_canonical_url(&format!("https://x.example/cut-{i}"))
            .unwrap();
        if *ok {
            assert!(
                stored.is_some(),
                "write {i} was reported done but is not stored"
            );
        }
    }
    let mut check = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
    let mut count = |sql: &str| -> i64 { check.query_one(sql, &[]).unwrap().get(0) };
    assert_eq!(
        count("SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.article_id = a.id)"),
        0,
        "an article without its entry"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM stories s WHERE s.article_count <> (SELECT COUNT(*) FROM articles a WHERE a.story_id = s.id)"),
        0,
        "a story whose counts are not its articles'"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM stories s WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id)"),
        0,
        "a story without articles"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM articles"),
        count("SELECT COUNT(DISTINCT canonical_url) FROM articles")
    );
    // A write cut short is tried again on a new connection, to the end; one whose commit
    // was done but whose answer was lost finds its article stored.
    let reported = results.iter().filter(|ok| **ok).count();
    assert_eq!(reported, WRITES, "every write was carried through");
}
