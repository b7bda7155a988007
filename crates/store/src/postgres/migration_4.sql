-- Version 4 (SQLite's 13): retention. An article older than `retention.body_days` loses its
-- text and HTML (the outlet keeps them); its title, metadata, entry and story stay. When it
-- lost them is kept, so the story page can say why the text is missing.
ALTER TABLE articles ADD COLUMN text_dropped_at TIMESTAMPTZ;
CREATE INDEX articles_kept_bodies ON articles((COALESCE(published, fetched_at)))
    WHERE text_dropped_at IS NULL;
