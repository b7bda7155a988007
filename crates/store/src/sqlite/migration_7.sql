-- Version 7: editors' choices for stories and articles. A hidden story is left out of every
-- public list and page; a pinned one leads the front page; a title or category an editor
-- gave replaces the clusterer's, and stays when articles join. A hidden article is left
-- out of its story's page.
ALTER TABLE stories ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN title_override TEXT;
ALTER TABLE stories ADD COLUMN category_override INTEGER REFERENCES categories(id);
CREATE TABLE hidden_articles (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    hidden_at TEXT NOT NULL
);
