-- Visitor tracking: visits, the navigation history with time on page, and blocking rules.
ALTER TABLE visitors ADD COLUMN visits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE visitors ADD COLUMN ip TEXT;
ALTER TABLE visitors ADD COLUMN user_agent TEXT;

CREATE TABLE page_views (
    id         INTEGER PRIMARY KEY,
    visitor_id TEXT NOT NULL REFERENCES visitors(id),
    visit      INTEGER NOT NULL,
    url        TEXT NOT NULL,
    title      TEXT NOT NULL,
    referrer   TEXT,
    entered_at INTEGER NOT NULL,
    left_at    INTEGER
);
CREATE INDEX page_views_visitor ON page_views(visitor_id, visit, entered_at);

CREATE TABLE blocks (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    value         TEXT NOT NULL,
    operator_id   TEXT NOT NULL,
    operator_name TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    UNIQUE (kind, value)
);
