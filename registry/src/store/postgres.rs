use std::borrow::Cow;

use sqlx::PgPool;

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

    pub async fn connect(url: &str) -> StoreResult<Self> {
        let pool = tessera_layouts::store::pg_pool_options(16)
            .connect(url)
            .await?;
        // The layouts crate's migrations share this database's migration table.
        let mut migrator = sqlx::migrate!("./migrations/postgres");
        migrator.set_ignore_missing(true);
        migrator.run(&pool).await?;
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
