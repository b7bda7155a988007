-- Version 5: articles' texts and HTML are compressed with LZ4 rather than pglz. Every stored
-- article's text is compressed once on its way in; pglz took a fifth of the server's time
-- on ingestion. A server built without LZ4 (or older than PostgreSQL 14) keeps pglz.
DO $$
BEGIN
    ALTER TABLE articles ALTER COLUMN text SET COMPRESSION lz4,
        ALTER COLUMN html SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR syntax_error THEN
    RAISE NOTICE 'LZ4 compression is not available here: articles keep pglz';
END $$;
