-- Version 5: editors' corrections of the clusterer, which later assignments respect.
-- 'joined': an editor merged a story into `story`; the clusterer never splits `story`.
-- 'parted': an editor split `other` out of `story`; the clusterer never merges the two and
-- splits neither. Merges rewrite the ids, so a row follows its stories.
CREATE TABLE story_overrides (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('joined', 'parted')),
    story INTEGER NOT NULL,
    other INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX story_overrides_story ON story_overrides(story);
CREATE INDEX story_overrides_other ON story_overrides(other);
