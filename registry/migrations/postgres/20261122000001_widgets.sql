-- Registered widgets. JSON columns hold the file manifest and the interop contract.
CREATE TABLE widgets (
    id            TEXT PRIMARY KEY,
    title         TEXT NOT NULL,
    version       TEXT NOT NULL,
    tag           TEXT NOT NULL UNIQUE,
    entry         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    icon          TEXT,
    base_url      TEXT NOT NULL,
    files         JSONB NOT NULL DEFAULT '{}',
    interop       JSONB NOT NULL DEFAULT '{}',
    revision      BIGINT NOT NULL DEFAULT 1,
    registered_at TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
