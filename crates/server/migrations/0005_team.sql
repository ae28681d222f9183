-- Team work: operators can leave a chat without closing it. A participant with `left_at` set
-- no longer takes part (but may still read the history of the chat).
ALTER TABLE participants ADD COLUMN left_at INTEGER;
