-- Tokens people manage (issue 12): each token gets a public id (the first
-- 16 hex digits of its hash: it names the token without revealing it) and
-- the time it was last used, so a user can list, label and revoke them.
ALTER TABLE user_tokens ADD COLUMN id TEXT;
ALTER TABLE user_tokens ADD COLUMN last_used_at TIMESTAMPTZ;
UPDATE user_tokens SET id = substr(hash, 1, 16);
CREATE UNIQUE INDEX user_tokens_id ON user_tokens (id);
CREATE INDEX user_tokens_user ON user_tokens (user_id);

-- A revoked token stops working at once on every replica: each replica
-- LISTENs on `tessera_tokens` and forgets the hash it is sent.
CREATE FUNCTION user_tokens_revoked() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('tessera_tokens', OLD.hash);
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER user_tokens_revoked AFTER DELETE ON user_tokens
    FOR EACH ROW EXECUTE FUNCTION user_tokens_revoked();
