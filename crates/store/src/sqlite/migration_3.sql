-- Version 3: an article whose text is not the whole of it (paywall, script-built page) says so.
ALTER TABLE articles ADD COLUMN partial INTEGER NOT NULL DEFAULT 0;
