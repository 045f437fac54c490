//! The production store; several server replicas may share one database.
//! A trigger (see the migration) sends `pg_notify('tessera_layouts', id)`
//! whenever a layout row changes, so every replica's watchers wake up.

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

use super::sql::Queries;
use crate::error::Result;

/// The channel replicas LISTEN on; the payload is the layout id.
pub const LAYOUTS_CHANNEL: &str = "tessera_layouts";

/// Pool settings for Tessera's Postgres stores (the registry's too).
///
/// sqlx pings a connection before lending it by default: one extra round
/// trip per query, which cost the layouts server about a third of its load
/// throughput. Here only a connection idle for over a second is pinged, so a
/// busy server skips the ping while a connection left over from before a
/// database restart is still found out before it is used.
pub fn pool_options(max_connections: u32) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(std::time::Duration::from_secs(10))
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > std::time::Duration::from_secs(1) {
                    use sqlx::Connection;
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
}

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
        let pool = pool_options(max_connections).connect(url).await?;
        super::migrator(sqlx::migrate!("./migrations/postgres"))
            .run(&pool)
            .await?;
        Ok(Self {
            pool,
            q: Queries::new(str::to_owned).with_single_statement_save(),
            notify_url: Some(url.to_owned()),
        })
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
