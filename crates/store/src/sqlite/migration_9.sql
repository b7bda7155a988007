-- Version 9: editors' rules that file stories under a category: a keyword in an article's
-- title or lead, an outlet, or a name (a person, place or organisation, written as named).
-- The first rule that matches, by id, wins over the feeds' own categories; an editor's
-- category for one story wins over every rule.
CREATE TABLE category_rules (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('keyword', 'source', 'entity')),
    value TEXT NOT NULL,
    category_id INTEGER NOT NULL REFERENCES categories(id)
);
