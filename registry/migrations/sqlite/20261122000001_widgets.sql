-- Publishers own widget ids (<publisher>.<name>); tokens are stored as sha256 hashes.
CREATE TABLE publishers (
    name       TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE tokens (
    hash       TEXT PRIMARY KEY NOT NULL,          -- hex sha256 of the token
    publisher  TEXT REFERENCES publishers (name) ON DELETE CASCADE,
    admin      INTEGER NOT NULL DEFAULT 0,
    label      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

-- Registered widgets. JSON columns hold the file manifest and the interop contract.
CREATE TABLE widgets (
    id             TEXT PRIMARY KEY NOT NULL,
    publisher      TEXT NOT NULL REFERENCES publishers (name),
    title          TEXT NOT NULL,
    version        TEXT NOT NULL,
    tag            TEXT NOT NULL UNIQUE,
    entry          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    icon           TEXT,
    base_url       TEXT NOT NULL,
    files          TEXT NOT NULL DEFAULT '{}',
    interop        TEXT NOT NULL DEFAULT '{}',
    api            INTEGER NOT NULL DEFAULT 0,
    revision       INTEGER NOT NULL DEFAULT 1,
    instance       TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'online' CHECK (state IN ('online', 'offline')),
    registered_at  TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    last_seen      TEXT NOT NULL,
    offline_since  TEXT
);
CREATE INDEX widgets_state_last_seen ON widgets (state, last_seen);

-- Every change of the catalogue, in order; the watch stream replays from here.
CREATE TABLE widget_events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind      TEXT NOT NULL,
    widget_id TEXT NOT NULL,
    widget    TEXT,                                 -- JSON of the entry after the change
    at        TEXT NOT NULL
);
