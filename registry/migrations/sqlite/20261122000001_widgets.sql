-- Registered widgets. JSON columns hold the file manifest and the interop contract.
CREATE TABLE widgets (
    id            TEXT PRIMARY KEY NOT NULL,
    title         TEXT NOT NULL,
    version       TEXT NOT NULL,
    tag           TEXT NOT NULL UNIQUE,
    entry         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    icon          TEXT,
    base_url      TEXT NOT NULL,
    files         TEXT NOT NULL DEFAULT '{}',
    interop       TEXT NOT NULL DEFAULT '{}',
    revision      INTEGER NOT NULL DEFAULT 1,
    registered_at TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
