-- Version 8: API tokens an editor creates for other tools' writes. Only the SHA-256 of a
-- token is kept; a revoked token stays listed with when it was revoked.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
