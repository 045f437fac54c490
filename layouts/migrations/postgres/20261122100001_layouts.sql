-- Layouts: users and groups, layout documents with every version, sharing and
-- an audit log. Shares the database (and `_sqlx_migrations`) with the registry,
-- whose tables are publishers, tokens, widgets and widget_events.

-- People who save layouts. Tokens are stored as hex sha256, never in clear.
CREATE TABLE users (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    admin      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE user_tokens (
    hash       TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);

-- Departments and teams.
CREATE TABLE groups (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE group_members (
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

-- The current version of each layout. `widgets` lists the widget ids the
-- document uses as '|a.b|c.d|', for search by widget. A deleted layout keeps
-- its row (and history) until it is purged, 30 days after `deleted_at`.
CREATE TABLE layouts (
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
CREATE INDEX layouts_owner_recent ON layouts (owner_id, updated_at DESC, id DESC);
CREATE INDEX layouts_recent ON layouts (updated_at DESC, id DESC);
CREATE INDEX layouts_deleted ON layouts (deleted_at) WHERE deleted_at IS NOT NULL;

-- Every version ever saved, the current one included.
CREATE TABLE layout_versions (
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
CREATE TABLE layout_shares (
    layout_id TEXT NOT NULL REFERENCES layouts (id) ON DELETE CASCADE,
    user_id   BIGINT REFERENCES users (id) ON DELETE CASCADE,
    group_id  BIGINT REFERENCES groups (id) ON DELETE CASCADE,
    access    TEXT NOT NULL CHECK (access IN ('view', 'edit')),
    CHECK ((user_id IS NULL) <> (group_id IS NULL))
);
CREATE UNIQUE INDEX layout_shares_layout_user ON layout_shares (layout_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX layout_shares_layout_group ON layout_shares (layout_id, group_id) WHERE group_id IS NOT NULL;
CREATE INDEX layout_shares_layout ON layout_shares (layout_id);
CREATE INDEX layout_shares_user ON layout_shares (user_id);
CREATE INDEX layout_shares_group ON layout_shares (group_id);

-- Sharing changes, deletions, restores, purges and refused requests. No
-- foreign key: the record outlives the layout.
CREATE TABLE layout_audit (
    id        BIGSERIAL PRIMARY KEY,
    layout_id TEXT,
    actor     TEXT,
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT '{}',
    at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX layout_audit_layout ON layout_audit (layout_id, id);

-- Every change of a layout row wakes the watchers on every replica: the
-- notification is sent at commit, whoever wrote the row.
CREATE FUNCTION layouts_notify() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('tessera_layouts', OLD.id);
    ELSE
        PERFORM pg_notify('tessera_layouts', NEW.id);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER layouts_notify AFTER UPDATE OR DELETE ON layouts
    FOR EACH ROW EXECUTE FUNCTION layouts_notify();
