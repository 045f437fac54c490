//! The production store; several server replicas may share one database.
//! A trigger (see the migration) sends `pg_notify('tessera_layouts', id)`
//! whenever a layout row changes, so every replica's watchers wake up.

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

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
    /// Connects and applies the migrations.
    pub async fn connect(url: &str) -> Result<Self> {
        Self::connect_with(url, 16).await
    }

    /// Connects with a pool of `max_connections`.
    pub async fn connect_with(url: &str, max_connections: u32) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(std::time::Duration::from_secs(10))
            .connect(url)
            .await?;
        super::migrator(sqlx::migrate!("./migrations/postgres"))
            .run(&pool)
            .await?;
        Ok(Self {
            pool,
            q: Queries::new(str::to_owned),
            notify_url: Some(url.to_owned()),
        })
    }

    /// The statements of a load (`$1` id, `$2` user) and of a save (the
    /// guarded UPDATE and the history INSERT), for the benchmark to run
    /// through pgbench exactly as the service runs them.
    pub fn benchmark_statements(&self) -> [&str; 3] {
        [
            &self.q.layout_with_document,
            &self.q.save,
            &self.q.insert_version,
        ]
    }

    /// The pool, for bulk loading in the benchmark.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

sql_store!(PgStore, sqlx::Postgres);
