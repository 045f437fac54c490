-- One-time invitations (issue 12): an administrator invites a person and
-- sends them a link; opening it signs them in, exchanging the code for a
-- token. The code is stored as its sha256; each works once, until it expires.
CREATE TABLE user_invitations (
    code_hash  TEXT PRIMARY KEY NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
