-- Operators, sessions and account settings.
CREATE TABLE operators (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'offline',
    created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    operator_id TEXT NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Visitors and their conversations.
CREATE TABLE visitors (
    id           TEXT PRIMARY KEY,
    name         TEXT,
    email        TEXT,
    time_zone    TEXT,
    current_page TEXT,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);

CREATE TABLE conversations (
    id                 TEXT PRIMARY KEY,
    visitor_id         TEXT NOT NULL REFERENCES visitors(id),
    state              TEXT NOT NULL,
    last_seq           INTEGER NOT NULL DEFAULT 0,
    survey             TEXT NOT NULL,
    called_from        TEXT,
    first_message      TEXT,
    started_at         INTEGER NOT NULL,
    closed_at          INTEGER,
    visitor_delivered  INTEGER NOT NULL DEFAULT 0,
    visitor_seen       INTEGER NOT NULL DEFAULT 0,
    operator_delivered INTEGER NOT NULL DEFAULT 0,
    operator_seen      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX conversations_open ON conversations(state) WHERE state <> 'closed';
CREATE INDEX conversations_visitor ON conversations(visitor_id);

CREATE TABLE participants (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    operator_id     TEXT NOT NULL,
    operator_name   TEXT NOT NULL,
    joined_at       INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, operator_id)
);

-- Every sequenced event; seq is gap-free per conversation.
CREATE TABLE events (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    seq             INTEGER NOT NULL,
    at              INTEGER NOT NULL,
    client_msg_id   TEXT,
    body            TEXT NOT NULL,
    PRIMARY KEY (conversation_id, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX events_client_msg ON events(conversation_id, client_msg_id)
    WHERE client_msg_id IS NOT NULL;

CREATE TABLE offline_messages (
    id         INTEGER PRIMARY KEY,
    visitor_id TEXT NOT NULL,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
