-- Team work: operators can leave a chat without closing it. A participant with `left_at` set
-- no longer takes part (but may still read the history of the chat).
ALTER TABLE participants ADD COLUMN left_at INTEGER;

-- Operator-to-operator (internal) chats: no visitor ever sees them. Their `visitor_id` names a
-- placeholder visitor row that no widget can ever connect as.
ALTER TABLE conversations ADD COLUMN internal INTEGER NOT NULL DEFAULT 0;
