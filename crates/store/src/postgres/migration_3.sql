-- Version 3 (SQLite's 12): every write of an article (stored, edited, moved to another
-- story) records its transaction's id in `changed`, so that any number of search indexes,
-- one per `serve` process, catch up on their own, each from where it stopped
-- (`Store::index_changes`: only transactions older than every running one are read, so
-- none is skipped while it commits); the one `indexed` flag goes.
ALTER TABLE articles ADD COLUMN changed BIGINT NOT NULL DEFAULT 0;
CREATE INDEX articles_changed ON articles(changed, id);
CREATE FUNCTION articles_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed := pg_current_xact_id()::text::bigint;
    RETURN NEW;
END;
$$;
CREATE TRIGGER articles_changed_on_insert BEFORE INSERT ON articles
    FOR EACH ROW EXECUTE FUNCTION articles_changed();
CREATE TRIGGER articles_changed_on_update BEFORE UPDATE OF story_id, title, authors,
    published, modified, site_name, language, image, description, text, html, origin,
    categories, partial, source_id ON articles
    FOR EACH ROW EXECUTE FUNCTION articles_changed();
DROP INDEX articles_unindexed;
ALTER TABLE articles DROP COLUMN indexed;
