use std::borrow::Cow;

use sqlx::PgPool;
use tessera_server_common::db;

use super::StoreResult;

/// The channel replicas LISTEN on for new catalogue events.
pub const EVENTS_CHANNEL: &str = "tessera_widget_events";

/// The production store; several server replicas may share one database.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    notify_url: Option<String>,
}

impl PgStore {
    /// Serialises event-writing transactions so event ids commit in order
    /// (a reader following `id > cursor` never skips a late commit); the
    /// notification tells every replica's LISTENer, at commit, that there are new events.
    const LOCK_EVENTS: &'static str = "SELECT pg_advisory_xact_lock(7410)";
    const NOTIFY_EVENTS: &'static str = "SELECT pg_notify('tessera_widget_events', '')";

    /// The store on the server's pool, after applying the registry's
    /// migrations; `url` is for LISTEN connections.
    pub async fn open(pool: PgPool, url: &str) -> StoreResult<Self> {
        db::migrate(sqlx::migrate!("./migrations/postgres"), &pool).await?;
        Ok(Self {
            pool,
            notify_url: Some(url.to_owned()),
        })
    }

    fn sql(sql: &str) -> Cow<'_, str> {
        Cow::Borrowed(sql)
    }
}

sql_store!(PgStore, sqlx::Postgres);
