-- Version 11: many workers. Each feed names its host; a worker leases hosts (and so every
-- due feed of them) for a while, so no feed is fetched twice at once and one host is paced
-- by one worker; a killed worker's leases run out. The clusterers' merges and splits are
-- journaled, so every worker's clusterer can follow the others'.
ALTER TABLE feeds ADD COLUMN host TEXT;
CREATE INDEX feeds_host ON feeds(host);
CREATE TABLE hosts (
    name TEXT PRIMARY KEY,
    lease_owner TEXT,
    lease_until TEXT
);
CREATE TABLE story_changes (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('merged', 'split')),
    from_story INTEGER NOT NULL,
    into_story INTEGER NOT NULL,
    articles TEXT NOT NULL
);
