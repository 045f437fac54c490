-- Publishers own widget ids (<publisher>.<name>); tokens are stored as sha256 hashes.
CREATE TABLE publishers (
    name       TEXT PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE tokens (
    hash       TEXT PRIMARY KEY,                    -- hex sha256 of the token
    publisher  TEXT REFERENCES publishers (name) ON DELETE CASCADE,
    admin      BOOLEAN NOT NULL DEFAULT FALSE,
    label      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);

-- Registered widgets. JSON columns hold the file manifest and the interop contract.
CREATE TABLE widgets (
    id             TEXT PRIMARY KEY,
    publisher      TEXT NOT NULL REFERENCES publishers (name),
    title          TEXT NOT NULL,
    version        TEXT NOT NULL,
    tag            TEXT NOT NULL UNIQUE,
    entry          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    icon           TEXT,
    base_url       TEXT NOT NULL,
    files          JSONB NOT NULL DEFAULT '{}',
    interop        JSONB NOT NULL DEFAULT '{}',
    api            BOOLEAN NOT NULL DEFAULT FALSE,
    revision       BIGINT NOT NULL DEFAULT 1,
    instance       TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'online' CHECK (state IN ('online', 'offline')),
    registered_at  TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    last_seen      TIMESTAMPTZ NOT NULL,
    offline_since  TIMESTAMPTZ
);
CREATE INDEX widgets_state_last_seen ON widgets (state, last_seen);

-- Every change of the catalogue, in order; the watch stream replays from here.
-- Writers take an advisory transaction lock before inserting, so ids commit
-- in order and a reader following `id > cursor` never skips one.
CREATE TABLE widget_events (
    id        BIGSERIAL PRIMARY KEY,
    kind      TEXT NOT NULL,
    widget_id TEXT NOT NULL,
    widget    JSONB,
    at        TIMESTAMPTZ NOT NULL
);
