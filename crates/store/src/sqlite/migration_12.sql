-- Version 12: every write of an article (stored, edited, moved to another story) takes the
-- next number in `changed`, so that any number of search indexes catch up on their own,
-- each from where it stopped (`Store::index_changes`); the one `indexed` flag goes. SQLite
-- has one writer at a time, so numbers are committed in order.
ALTER TABLE articles ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
UPDATE articles SET changed = id;
CREATE INDEX articles_changed ON articles(changed, id);
CREATE TRIGGER articles_changed_on_insert AFTER INSERT ON articles BEGIN
    UPDATE articles SET changed = (SELECT MAX(changed) FROM articles) + 1 WHERE id = NEW.id;
END;
CREATE TRIGGER articles_changed_on_update AFTER UPDATE OF story_id, title, authors, published,
    modified, site_name, language, image, description, text, html, origin, categories,
    partial, source_id ON articles BEGIN
    UPDATE articles SET changed = (SELECT MAX(changed) FROM articles) + 1 WHERE id = NEW.id;
END;
DROP INDEX articles_unindexed;
ALTER TABLE articles DROP COLUMN indexed;
