-- Canned responses: company-wide (owner_id NULL, managed by admins) and each operator's own.
-- `position` orders each scope's list; a shortcut is unique within its scope.
CREATE TABLE canned_responses (
    id         TEXT PRIMARY KEY,
    owner_id   TEXT REFERENCES operators(id) ON DELETE CASCADE,
    group_name TEXT NOT NULL,
    shortcut   TEXT,
    title      TEXT NOT NULL,
    text       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX canned_responses_owner ON canned_responses(owner_id, position);
CREATE UNIQUE INDEX canned_responses_shortcut
    ON canned_responses(COALESCE(owner_id, ''), shortcut COLLATE NOCASE)
    WHERE shortcut IS NOT NULL;
