-- Version 1: the first schema. Dates are RFC 3339 UTC text with microseconds, so text order
-- is time order.
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    domain TEXT NOT NULL,
    country TEXT,
    leaning TEXT,
    language TEXT,
    notes TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    url TEXT NOT NULL UNIQUE,
    title TEXT,
    etag TEXT,
    last_modified TEXT,
    last_fetched TEXT,
    last_success TEXT,
    last_error TEXT,
    error_count INTEGER NOT NULL DEFAULT 0,
    next_fetch TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);
CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    category_id INTEGER REFERENCES categories(id),
    first_published TEXT NOT NULL,
    last_published TEXT NOT NULL,
    article_count INTEGER NOT NULL DEFAULT 0,
    source_count INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX stories_last_published ON stories(last_published);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    story_id INTEGER NOT NULL REFERENCES stories(id),
    source_id INTEGER NOT NULL REFERENCES sources(id),
    feed_id INTEGER NOT NULL REFERENCES feeds(id),
    guid TEXT NOT NULL,
    entry_hash TEXT NOT NULL,
    url TEXT NOT NULL,
    canonical_url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    authors TEXT NOT NULL,
    published TEXT,
    modified TEXT,
    site_name TEXT,
    language TEXT,
    image TEXT,
    description TEXT,
    text TEXT NOT NULL,
    html TEXT NOT NULL,
    origin TEXT NOT NULL,
    categories TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    indexed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_story ON articles(story_id);
CREATE INDEX articles_source ON articles(source_id, fetched_at);
CREATE INDEX articles_unindexed ON articles(indexed) WHERE indexed = 0;
CREATE TABLE entries (
    feed_id INTEGER NOT NULL REFERENCES feeds(id),
    guid TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    entry_hash TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (feed_id, guid)
);
