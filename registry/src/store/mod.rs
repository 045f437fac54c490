//! Storage of widget entries behind one trait, one implementation per engine
//! (SQLite, the embedded default, and Postgres), picked from the URL scheme.

mod postgres;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;

use crate::api::{Widget, WidgetRegistration};

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("widget {0:?} is not registered")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// What the server needs of a database.
#[async_trait]
pub trait WidgetStore: Send + Sync + 'static {
    /// Inserts the widget, or updates it and bumps its revision when it is
    /// already registered. A tag held by another widget is a `Conflict`.
    async fn upsert(&self, reg: &WidgetRegistration) -> StoreResult<Widget>;
    async fn get(&self, id: &str) -> StoreResult<Widget>;
    /// All widgets, ordered by id.
    async fn list(&self) -> StoreResult<Vec<Widget>>;
    /// Removes the widget; `NotFound` when it was not there.
    async fn delete(&self, id: &str) -> StoreResult<()>;
    /// Cheap round trip for readiness checks.
    async fn ping(&self) -> StoreResult<()>;
}

pub type DynStore = Arc<dyn WidgetStore>;

/// Connects to the database the URL names and applies its migrations.
pub async fn connect(url: &str) -> StoreResult<DynStore> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(url).await?))
    } else {
        Err(StoreError::UnsupportedUrl(url.to_owned()))
    }
}

/// The row shape both engines read into, before JSON columns are decoded.
#[derive(sqlx::FromRow)]
struct WidgetRow {
    id: String,
    title: String,
    version: String,
    tag: String,
    entry: String,
    description: String,
    icon: Option<String>,
    base_url: String,
    files: sqlx::types::Json<crate::api::FileManifest>,
    interop: sqlx::types::Json<crate::api::Interop>,
    revision: i64,
    registered_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<WidgetRow> for Widget {
    fn from(r: WidgetRow) -> Self {
        Widget {
            id: r.id,
            title: r.title,
            version: r.version,
            tag: r.tag,
            entry: r.entry,
            description: r.description,
            icon: r.icon,
            base_url: r.base_url,
            files: r.files.0,
            interop: r.interop.0,
            revision: r.revision,
            registered_at: r.registered_at,
            updated_at: r.updated_at,
        }
    }
}

const COLUMNS: &str = "id, title, version, tag, entry, description, icon, base_url, files, interop, revision, registered_at, updated_at";

/// Maps a unique-constraint violation on the tag to a readable conflict.
fn tag_conflict(err: sqlx::Error, reg: &WidgetRegistration) -> StoreError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(format!(
            "tag {:?} already belongs to another widget",
            reg.tag
        )),
        _ => StoreError::Database(err),
    }
}
