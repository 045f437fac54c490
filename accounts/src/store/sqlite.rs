//! The embedded default: one SQLite file (WAL), no server to run.

use sqlx::SqlitePool;

use super::sql::{sql_store, Queries};

/// Accounts in a SQLite file; revocations are seen by the process that
/// made them (one process owns the file).
pub struct SqliteAccounts {
    pool: SqlitePool,
    q: Queries,
    notify_url: Option<String>,
}

impl SqliteAccounts {
    /// The store on a pool the accounts' migrations were applied to.
    pub(super) fn new(pool: SqlitePool) -> Self {
        Self {
            pool,
            // `$N` placeholders become SQLite's numbered `?N`.
            q: Queries::new(|s| s.replace('$', "?")),
            notify_url: None,
        }
    }
}

sql_store!(SqliteAccounts);
