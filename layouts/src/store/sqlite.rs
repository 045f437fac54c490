//! The embedded default: one SQLite file (WAL), no server to run.

use sqlx::SqlitePool;
use tessera_server_common::db;

use super::sql::Queries;
use crate::error::Result;

/// One process owns the file; watchers are poked by that process directly
/// and poll as a fallback.
pub struct SqliteStore {
    pool: SqlitePool,
    q: Queries,
    notify_url: Option<String>,
}

impl SqliteStore {
    /// The store on the server's pool, after applying this crate's migrations.
    pub async fn open(pool: SqlitePool) -> Result<Self> {
        db::migrate(sqlx::migrate!("./migrations/sqlite"), &pool).await?;
        Ok(Self {
            pool,
            // `$N` placeholders become SQLite's numbered `?N`.
            q: Queries::new(|s| s.replace('$', "?")),
            notify_url: None,
        })
    }
}

sql_store!(SqliteStore, sqlx::Sqlite);
