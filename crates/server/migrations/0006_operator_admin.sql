-- Administrators may disable an operator (no login, no sockets, no sessions; their chats go
-- back to the queue) and give one operator a cap on concurrent chats of their own (NULL: the
-- account-wide `max_chats`).
ALTER TABLE operators ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE operators ADD COLUMN max_chats INTEGER;
