-- Version 10: what each reader (an API token, through the Google Reader API) has read or
-- starred, by story.
CREATE TABLE reader_state (
    token_id INTEGER NOT NULL REFERENCES api_tokens(id),
    story_id INTEGER NOT NULL,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (token_id, story_id)
);
