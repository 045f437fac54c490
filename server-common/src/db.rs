//! The one database the whole server keeps its state in, and its one pool.
//!
//! The server opens it once ([`Database::connect`]); the registry and the
//! layouts service each build their store on a clone of the same pool and
//! apply their own migrations to it ([`migrate`]). Both sets of
//! migrations share the database's one migration table, so each ignores
//! the other's entries.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

/// Connections in the one pool on Postgres (the registry and the layouts
/// service had 16 each when they had a pool each).
pub const PG_MAX_CONNECTIONS: u32 = 32;
/// Connections in the one pool on SQLite (one writer at a time; readers
/// run beside it in WAL mode).
pub const SQLITE_MAX_CONNECTIONS: u32 = 16;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// An open pool on one engine.
#[derive(Clone, Debug)]
pub enum Database {
    /// The embedded default: one file, WAL journal, no server to run.
    Sqlite(SqlitePool),
    /// The production database; `url` is kept for LISTEN connections.
    Postgres { pool: PgPool, url: String },
}

impl Database {
    /// Opens the database the URL names (`sqlite:…`, created if missing,
    /// or `postgres://…`).
    pub async fn connect(url: &str) -> Result<Database, DbError> {
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(SQLITE_MAX_CONNECTIONS)
                .connect_with(opts)
                .await?;
            Ok(Database::Sqlite(pool))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = pg_pool_options(PG_MAX_CONNECTIONS).connect(url).await?;
            Ok(Database::Postgres {
                pool,
                url: url.to_owned(),
            })
        } else {
            Err(DbError::UnsupportedUrl(url.to_owned()))
        }
    }

    /// `"sqlite"` or `"postgres"`, for log lines.
    pub fn engine(&self) -> &'static str {
        match self {
            Database::Sqlite(_) => "sqlite",
            Database::Postgres { .. } => "postgres",
        }
    }
}

/// A unique-constraint violation (a name taken) becomes `conflict()`, the
/// caller's readable error; any other failure stays a database error.
pub fn unique_or<E: From<sqlx::Error>>(err: sqlx::Error, conflict: impl FnOnce() -> E) -> E {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => conflict(),
        _ => E::from(err),
    }
}

/// Applies one part's migrations (`sqlx::migrate!` of the engine's folder)
/// on `pool`, leaving the other parts' entries in the shared table alone.
pub async fn migrate<'a, A>(mut migrator: sqlx::migrate::Migrator, pool: A) -> Result<(), DbError>
where
    A: sqlx::Acquire<'a>,
    <A::Connection as std::ops::Deref>::Target: sqlx::migrate::Migrate,
{
    migrator.set_ignore_missing(true);
    migrator.run(pool).await?;
    Ok(())
}

/// Pool settings for Tessera's Postgres pool.
///
/// sqlx pings a connection before lending it by default: one extra round
/// trip per query, which cost the layouts server about a third of its load
/// throughput. Here only a connection idle for over a second is pinged, so a
/// busy server skips the ping while a connection left over from before a
/// database restart is still found out before it is used.
pub fn pg_pool_options(max_connections: u32) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > Duration::from_secs(1) {
                    use sqlx::Connection;
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_unknown_scheme_is_refused_by_name() {
        let err = Database::connect("mysql://localhost/db").await.unwrap_err();
        assert!(matches!(err, DbError::UnsupportedUrl(ref u) if u == "mysql://localhost/db"));
        assert!(
            err.to_string().contains("use sqlite://PATH or postgres://"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn a_sqlite_file_is_created_and_says_what_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let db = Database::connect(&url).await.unwrap();
        assert_eq!(db.engine(), "sqlite");
        assert!(dir.path().join("t.db").exists());
    }
}
