//! The embedded default: one SQLite file (WAL), no server to run.

use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

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
    /// Opens (creating if needed) the database and applies the migrations.
    pub async fn connect(url: &str) -> Result<Self> {
        let opts = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(opts)
            .await?;
        super::migrator(sqlx::migrate!("./migrations/sqlite"))
            .run(&pool)
            .await?;
        Ok(Self {
            pool,
            // `$N` placeholders become SQLite's numbered `?N`.
            q: Queries::new(|s| s.replace('$', "?")),
            notify_url: None,
        })
    }
}

sql_store!(SqliteStore, sqlx::Sqlite);
