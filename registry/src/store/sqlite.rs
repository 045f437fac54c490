use std::borrow::Cow;

use sqlx::SqlitePool;
use tessera_server_common::db;

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

    /// The store on the server's pool, after applying the registry's migrations.
    pub async fn open(pool: SqlitePool) -> StoreResult<Self> {
        db::migrate(sqlx::migrate!("./migrations/sqlite"), &pool).await?;
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
