-- The whole schema for PostgreSQL, equal to SQLite's migrations 0001–0006 (see ../migrations).
-- Integers are BIGINT and flags are 0/1 BIGINTs, as in SQLite, so that every query is shared.
-- Emails are stored lower-cased by the server, so a plain unique index suffices.

CREATE TABLE operators (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'offline',
    created_at    BIGINT NOT NULL,
    disabled      BIGINT NOT NULL DEFAULT 0,
    max_chats     BIGINT
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    operator_id TEXT NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE visitors (
    id           TEXT PRIMARY KEY,
    name         TEXT,
    email        TEXT,
    time_zone    TEXT,
    current_page TEXT,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    visits       BIGINT NOT NULL DEFAULT 0,
    ip           TEXT,
    user_agent   TEXT
);

CREATE TABLE conversations (
    id                 TEXT PRIMARY KEY,
    visitor_id         TEXT NOT NULL REFERENCES visitors(id),
    state              TEXT NOT NULL,
    last_seq           BIGINT NOT NULL DEFAULT 0,
    survey             TEXT NOT NULL,
    called_from        TEXT,
    first_message      TEXT,
    started_at         BIGINT NOT NULL,
    closed_at          BIGINT,
    visitor_delivered  BIGINT NOT NULL DEFAULT 0,
    visitor_seen       BIGINT NOT NULL DEFAULT 0,
    operator_delivered BIGINT NOT NULL DEFAULT 0,
    operator_seen      BIGINT NOT NULL DEFAULT 0,
    internal           BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX conversations_open ON conversations(state) WHERE state <> 'closed';
CREATE INDEX conversations_visitor ON conversations(visitor_id);

CREATE TABLE participants (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    operator_id     TEXT NOT NULL,
    operator_name   TEXT NOT NULL,
    joined_at       BIGINT NOT NULL,
    left_at         BIGINT,
    PRIMARY KEY (conversation_id, operator_id)
);

CREATE TABLE events (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    seq             BIGINT NOT NULL,
    at              BIGINT NOT NULL,
    client_msg_id   TEXT,
    body            TEXT NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
CREATE UNIQUE INDEX events_client_msg ON events(conversation_id, client_msg_id)
    WHERE client_msg_id IS NOT NULL;

CREATE TABLE offline_messages (
    id         BIGSERIAL PRIMARY KEY,
    visitor_id TEXT NOT NULL,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE page_views (
    id         BIGSERIAL PRIMARY KEY,
    visitor_id TEXT NOT NULL REFERENCES visitors(id),
    visit      BIGINT NOT NULL,
    url        TEXT NOT NULL,
    title      TEXT NOT NULL,
    referrer   TEXT,
    entered_at BIGINT NOT NULL,
    left_at    BIGINT
);
CREATE INDEX page_views_visitor ON page_views(visitor_id, visit, entered_at);

CREATE TABLE blocks (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    value         TEXT NOT NULL,
    operator_id   TEXT NOT NULL,
    operator_name TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    UNIQUE (kind, value)
);

CREATE TABLE canned_responses (
    id         TEXT PRIMARY KEY,
    owner_id   TEXT REFERENCES operators(id) ON DELETE CASCADE,
    group_name TEXT NOT NULL,
    shortcut   TEXT,
    title      TEXT NOT NULL,
    text       TEXT NOT NULL,
    position   BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX canned_responses_owner ON canned_responses(owner_id, position);
CREATE UNIQUE INDEX canned_responses_shortcut
    ON canned_responses(COALESCE(owner_id, ''), lower(shortcut))
    WHERE shortcut IS NOT NULL;

CREATE TABLE files (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    uploader        TEXT NOT NULL,
    author          TEXT NOT NULL,
    name            TEXT NOT NULL,
    mime            TEXT NOT NULL,
    size            BIGINT NOT NULL,
    received        BIGINT NOT NULL DEFAULT 0,
    seq             BIGINT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX files_conversation ON files(conversation_id);
