//! The production store; several server replicas may share one database.
//! A trigger (see the migration) sends `pg_notify('tessera_layouts', id)`
//! whenever a layout row changes, so every replica's watchers wake up.

use sqlx::PgPool;
use tessera_server_common::db;

use super::sql::Queries;
use crate::error::Result;

/// The channel replicas LISTEN on; the payload is the layout id.
pub const LAYOUTS_CHANNEL: &str = "tessera_layouts";

pub struct PgStore {
    pool: PgPool,
    q: Queries,
    notify_url: Option<String>,
}

impl PgStore {
    /// The store on the server's pool, after applying this crate's
    /// migrations; `url` is for LISTEN connections.
    pub async fn open(pool: PgPool, url: &str) -> Result<Self> {
        db::migrate(sqlx::migrate!("./migrations/postgres"), &pool).await?;
        Ok(Self {
            pool,
            q: Queries::new(str::to_owned).with_single_statement_save(),
            notify_url: Some(url.to_owned()),
        })
    }

    /// Connects with a pool of its own of `max_connections` (the benchmark
    /// and tests; the server opens one pool for all its parts).
    pub async fn connect_with(url: &str, max_connections: u32) -> Result<Self> {
        let pool = db::pg_pool_options(max_connections).connect(url).await?;
        // Layouts refer to the accounts' tables.
        tessera_accounts::store::migrate(&db::Database::Postgres {
            pool: pool.clone(),
            url: url.to_owned(),
        })
        .await?;
        Self::open(pool, url).await
    }

    /// The statements of a load (`$1` id, `$2` user) and of a save (the
    /// guarded UPDATE and the history INSERT in one statement), for the
    /// benchmark to run through pgbench exactly as the service runs them.
    pub fn benchmark_statements(&self) -> [&str; 2] {
        [
            &self.q.layout_with_document,
            self.q
                .save_with_history
                .as_deref()
                .expect("Postgres saves in one statement"),
        ]
    }

    /// The pool, for bulk loading in the benchmark.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

sql_store!(PgStore, sqlx::Postgres);
