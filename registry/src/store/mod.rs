//! Storage behind one trait, one implementation per engine (SQLite, the
//! embedded default, and Postgres), picked from the URL scheme.
//!
//! Both engines run the same SQL (written with `$N` placeholders; SQLite
//! gets `?N`), generated into each store by [`sql_store!`]. What differs
//! lives in the engine's module: connecting, migrations, and how a writer
//! serialises event ids (an advisory lock on Postgres; SQLite has one writer).

#[macro_use]
mod sql;
mod postgres;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use tessera_server_common::db::{Database, DbError};

use crate::api::{EventKind, Widget, WidgetEvent, WidgetRegistration, WidgetState};

pub use postgres::{PgStore, EVENTS_CHANNEL};
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Opening or migrating the database.
    #[error(transparent)]
    Open(#[from] DbError),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// What a token may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenGrant {
    /// The publisher whose widgets the token may register; `None` for admin-only tokens.
    pub publisher: Option<String>,
    pub admin: bool,
}

/// A heartbeat to record: the widget and the instance that sent it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Beat {
    pub widget_id: String,
    pub instance: String,
}

/// What the server needs of a database.
#[async_trait]
pub trait WidgetStore: Send + Sync + 'static {
    /// Creates a publisher; `Conflict` when it exists.
    async fn create_publisher(&self, name: &str) -> StoreResult<()>;
    async fn publisher_exists(&self, name: &str) -> StoreResult<bool>;
    /// Stores a token's hash with what it grants.
    async fn add_token(&self, hash: &str, grant: &TokenGrant, label: &str) -> StoreResult<()>;
    async fn token(&self, hash: &str) -> StoreResult<Option<TokenGrant>>;

    /// Inserts the widget, or updates it (new revision, new instance, back
    /// online); records the `added`/`updated` event in the same transaction.
    /// A tag held by another widget is a `Conflict`.
    async fn register(
        &self,
        reg: &WidgetRegistration,
        instance: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<WidgetEvent>;
    /// Removes the widget (only if `instance` matches, when given) and records
    /// `removed`; `None` when there was nothing to remove.
    async fn deregister(
        &self,
        id: &str,
        instance: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<WidgetEvent>>;
    /// Moves `last_seen` of each online widget whose instance matches.
    async fn record_heartbeats(&self, beats: &[Beat], at: DateTime<Utc>) -> StoreResult<()>;
    /// Marks online widgets silent since before `cutoff` offline; returns the events.
    async fn expire(
        &self,
        cutoff: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<WidgetEvent>>;
    /// Removes widgets offline since before `cutoff`; returns the events.
    async fn purge(
        &self,
        cutoff: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<WidgetEvent>>;

    async fn get(&self, id: &str) -> StoreResult<Widget>;
    /// The key the widget's sidecar expects (`None` for a sidecar that asks
    /// for none); kept apart from [`Widget`], which events and answers carry.
    async fn sidecar_key(&self, id: &str) -> StoreResult<Option<String>>;
    /// All widgets, ordered by id.
    async fn list(&self) -> StoreResult<Vec<Widget>>;

    /// Events with an id above `after`, oldest first, at most `limit`.
    async fn events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<WidgetEvent>>;
    /// (oldest retained event id, newest event id); (0, 0) when there are none.
    async fn event_bounds(&self) -> StoreResult<(i64, i64)>;
    /// Drops events older than `before`, always keeping the newest `keep`.
    async fn prune_events(&self, before: DateTime<Utc>, keep: i64) -> StoreResult<u64>;

    /// Cheap round trip for readiness checks.
    async fn ping(&self) -> StoreResult<()>;

    /// Postgres URL for LISTEN/NOTIFY between replicas; `None` on SQLite.
    fn notify_url(&self) -> Option<&str> {
        None
    }
}

pub type DynStore = Arc<dyn WidgetStore>;

/// The registry's store on the server's one pool, after applying the
/// registry's migrations to it.
pub async fn open(db: &Database) -> StoreResult<DynStore> {
    Ok(match db {
        Database::Sqlite(pool) => Arc::new(SqliteStore::open(pool.clone()).await?),
        Database::Postgres { pool, url } => Arc::new(PgStore::open(pool.clone(), url).await?),
    })
}

/// Opens the database the URL names (a pool of its own) and the registry's
/// store on it: for tools and tests that need only the registry.
pub async fn connect(url: &str) -> StoreResult<DynStore> {
    open(&Database::connect(url).await?).await
}

/// The row shape both engines read into, before JSON columns are decoded.
#[derive(sqlx::FromRow)]
struct WidgetRow {
    id: String,
    app_id: String,
    publisher: String,
    title: String,
    version: String,
    tag: String,
    entry: String,
    description: String,
    icon: Option<String>,
    base_url: String,
    files: sqlx::types::Json<crate::api::FileManifest>,
    interop: sqlx::types::Json<crate::api::Interop>,
    api: bool,
    revision: i64,
    instance: String,
    state: String,
    registered_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    last_seen: DateTime<Utc>,
}

impl From<WidgetRow> for Widget {
    fn from(r: WidgetRow) -> Self {
        Widget {
            id: r.id,
            app_id: r.app_id,
            publisher: r.publisher,
            title: r.title,
            version: r.version,
            tag: r.tag,
            entry: r.entry,
            description: r.description,
            icon: r.icon,
            base_url: r.base_url,
            files: r.files.0,
            interop: r.interop.0,
            api: r.api,
            revision: r.revision,
            instance: r.instance,
            state: if r.state == "offline" {
                WidgetState::Offline
            } else {
                WidgetState::Online
            },
            registered_at: r.registered_at,
            updated_at: r.updated_at,
            last_seen: r.last_seen,
        }
    }
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    kind: String,
    widget_id: String,
    widget: Option<sqlx::types::Json<Widget>>,
    at: DateTime<Utc>,
}

impl From<EventRow> for WidgetEvent {
    fn from(r: EventRow) -> Self {
        WidgetEvent {
            id: r.id,
            kind: EventKind::parse(&r.kind).unwrap_or(EventKind::Updated),
            widget_id: r.widget_id,
            widget: r.widget.map(|j| j.0),
            at: r.at,
        }
    }
}

/// Maps a unique-constraint violation on the tag to a readable conflict.
/// A second widget claiming an app id (SQLite names the column, Postgres the index).
fn is_app_id_conflict(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            db.is_unique_violation()
                && (db.message().contains("app_id") || db.constraint() == Some("widgets_app_id"))
        }
        _ => false,
    }
}

fn tag_conflict(err: sqlx::Error, reg: &WidgetRegistration) -> StoreError {
    if is_app_id_conflict(&err) {
        return StoreError::Conflict(format!(
            "app id {:?} already belongs to another widget",
            reg.app_id.as_deref().unwrap_or(&reg.id)
        ));
    }
    tessera_server_common::db::unique_or(err, || {
        StoreError::Conflict(format!(
            "tag {:?} already belongs to another widget",
            reg.tag
        ))
    })
}
