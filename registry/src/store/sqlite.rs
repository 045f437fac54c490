use std::borrow::Cow;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use super::StoreResult;

/// The embedded default: one file, WAL journal, no server to run.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    notify_url: Option<String>,
}

impl SqliteStore {
    /// SQLite has a single writer: event ids are in commit order already.
    const LOCK_EVENTS: &'static str = "";
    /// One process owns the file: the local hub is poked directly.
    const NOTIFY_EVENTS: &'static str = "";

    pub async fn connect(url: &str) -> StoreResult<Self> {
        let opts = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(opts)
            .await?;
        // The layouts crate's migrations share this database's migration table.
        let mut migrator = sqlx::migrate!("./migrations/sqlite");
        migrator.set_ignore_missing(true);
        migrator.run(&pool).await?;
        Ok(Self {
            pool,
            notify_url: None,
        })
    }

    /// `$N` placeholders become SQLite's numbered `?N`.
    fn sql(sql: &str) -> Cow<'_, str> {
        if sql.contains('$') {
            Cow::Owned(sql.replace('$', "?"))
        } else {
            Cow::Borrowed(sql)
        }
    }
}

sql_store!(SqliteStore, sqlx::Sqlite);
