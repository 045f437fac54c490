-- Tokens people manage (issue 12): each token gets a public id (the first
-- 16 hex digits of its hash: it names the token without revealing it) and
-- the time it was last used, so a user can list, label and revoke them.
ALTER TABLE user_tokens ADD COLUMN id TEXT;
ALTER TABLE user_tokens ADD COLUMN last_used_at TEXT;
UPDATE user_tokens SET id = substr(hash, 1, 16);
CREATE UNIQUE INDEX user_tokens_id ON user_tokens (id);
CREATE INDEX user_tokens_user ON user_tokens (user_id);
