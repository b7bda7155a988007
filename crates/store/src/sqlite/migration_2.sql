-- Version 2: polite polling. Gone feeds stop being polled; permanent redirects are confirmed
-- before the stored URL moves; each feed learns its own interval; sources may opt out of
-- robots.txt.
ALTER TABLE feeds ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE feeds ADD COLUMN moved_to TEXT;
ALTER TABLE feeds ADD COLUMN moved_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feeds ADD COLUMN poll_interval_secs INTEGER;
ALTER TABLE feeds ADD COLUMN body_hash TEXT;
ALTER TABLE feeds ADD COLUMN folder TEXT;
ALTER TABLE sources ADD COLUMN obey_robots INTEGER NOT NULL DEFAULT 1;
