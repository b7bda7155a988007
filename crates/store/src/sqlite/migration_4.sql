-- Version 4: an article that is a near-duplicate (wire copy, a reprint, a truncated version)
-- of an earlier one says which.
ALTER TABLE articles ADD COLUMN copy_of INTEGER REFERENCES articles(id);
