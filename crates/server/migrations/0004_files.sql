-- Files shared in conversations. The bytes live in <data dir>/files/<id>; the row and the bytes
-- are deleted when the conversation closes.
CREATE TABLE files (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    -- who uploads it: 'operator:<id>' or 'visitor:<id>'
    uploader        TEXT NOT NULL,
    -- the event author, as JSON
    author          TEXT NOT NULL,
    name            TEXT NOT NULL,
    mime            TEXT NOT NULL,
    size            INTEGER NOT NULL,
    received        INTEGER NOT NULL DEFAULT 0,
    seq             INTEGER,
    created_at      INTEGER NOT NULL
);
CREATE INDEX files_conversation ON files(conversation_id);
