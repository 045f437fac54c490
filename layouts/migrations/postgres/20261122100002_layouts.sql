-- Layouts: documents with every version, sharing and an audit log. The
-- users and groups they refer to are the accounts' tables (the accounts'
-- migrations run first). Until the accounts had a crate of their own, one
-- migration (20261122100001) created both; a database made then has these
-- tables already, and this does nothing there (hence IF NOT EXISTS).
-- Shares the database (and `_sqlx_migrations`) with the registry and the
-- accounts: each set ignores the others' versions.

-- The current version of each layout. `widgets` lists the widget ids the
-- document uses as '|a.b|c.d|', for search by widget. A deleted layout keeps
-- its row (and history) until it is purged, 30 days after `deleted_at`.
CREATE TABLE IF NOT EXISTS layouts (
    id                  TEXT PRIMARY KEY,
    owner_id            BIGINT NOT NULL REFERENCES users (id),
    title               TEXT NOT NULL,
    version             BIGINT NOT NULL,
    document            TEXT NOT NULL,
    widgets             TEXT NOT NULL,
    organisation        BOOLEAN NOT NULL DEFAULT FALSE,
    cloned_from_id      TEXT,
    cloned_from_version BIGINT,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    deleted_at          TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS layouts_owner_recent ON layouts (owner_id, updated_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS layouts_recent ON layouts (updated_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS layouts_deleted ON layouts (deleted_at) WHERE deleted_at IS NOT NULL;

-- Every version ever saved, the current one included.
CREATE TABLE IF NOT EXISTS layout_versions (
    layout_id  TEXT NOT NULL REFERENCES layouts (id) ON DELETE CASCADE,
    version    BIGINT NOT NULL,
    title      TEXT NOT NULL,
    document   TEXT NOT NULL,
    author_id  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    message    TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (layout_id, version)
);

-- Who else may see (view) or save (edit) a layout: one user or one group per row.
CREATE TABLE IF NOT EXISTS layout_shares (
    layout_id TEXT NOT NULL REFERENCES layouts (id) ON DELETE CASCADE,
    user_id   BIGINT REFERENCES users (id) ON DELETE CASCADE,
    group_id  BIGINT REFERENCES groups (id) ON DELETE CASCADE,
    access    TEXT NOT NULL CHECK (access IN ('view', 'edit')),
    CHECK ((user_id IS NULL) <> (group_id IS NULL))
);
CREATE UNIQUE INDEX IF NOT EXISTS layout_shares_layout_user ON layout_shares (layout_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS layout_shares_layout_group ON layout_shares (layout_id, group_id) WHERE group_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS layout_shares_layout ON layout_shares (layout_id);
CREATE INDEX IF NOT EXISTS layout_shares_user ON layout_shares (user_id);
CREATE INDEX IF NOT EXISTS layout_shares_group ON layout_shares (group_id);

-- Sharing changes, deletions, restores, purges and refused requests. No
-- foreign key: the record outlives the layout.
CREATE TABLE IF NOT EXISTS layout_audit (
    id        BIGSERIAL PRIMARY KEY,
    layout_id TEXT,
    actor     TEXT,
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT '{}',
    at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS layout_audit_layout ON layout_audit (layout_id, id);

-- Every change of a layout row wakes the watchers on every replica: the
-- notification is sent at commit, whoever wrote the row.
CREATE OR REPLACE FUNCTION layouts_notify() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('tessera_layouts', OLD.id);
    ELSE
        PERFORM pg_notify('tessera_layouts', NEW.id);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS layouts_notify ON layouts;
CREATE TRIGGER layouts_notify AFTER UPDATE OR DELETE ON layouts
    FOR EACH ROW EXECUTE FUNCTION layouts_notify();
