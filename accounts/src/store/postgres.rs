//! The production store; several server replicas may share one database.
//! A trigger (see the token migration) sends `pg_notify('tessera_tokens',
//! hash)` when a token is revoked, so every replica forgets it at once.

use sqlx::PgPool;

use super::sql::{sql_store, Queries};

/// Accounts in Postgres.
pub struct PgAccounts {
    pool: PgPool,
    q: Queries,
    notify_url: Option<String>,
}

impl PgAccounts {
    /// The store on a pool the accounts' migrations were applied to; `url`
    /// is for LISTEN connections.
    pub(super) fn new(pool: PgPool, url: &str) -> Self {
        Self {
            pool,
            q: Queries::new(str::to_owned),
            notify_url: Some(url.to_owned()),
        }
    }
}

sql_store!(PgAccounts);
