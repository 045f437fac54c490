//! The Postgres pool skips sqlx's per-query ping but still finds out
//! connections the server dropped while they sat idle (a restart, a
//! failover, an administrator's `pg_terminate_backend`).

use sqlx::Connection;
use tessera_layouts::store::{LayoutStore, PgStore};

#[tokio::test]
async fn postgres_connections_dropped_while_idle_are_replaced_not_used() {
    let url = tessera_testkit::pg::fresh_database().await;
    let store = PgStore::connect_with(&url, 2).await.expect("connect");
    store.ping().await.expect("query");

    let mut admin = sqlx::PgConnection::connect(&url).await.expect("admin");
    let killed: Vec<(bool,)> = sqlx::query_as(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .fetch_all(&mut admin)
    .await
    .expect("terminate the pool's connections");
    assert!(!killed.is_empty(), "the pool had a connection to drop");

    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    store
        .ping()
        .await
        .expect("a dropped idle connection is replaced, not handed out");
}
