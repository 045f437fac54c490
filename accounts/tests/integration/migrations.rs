//! The accounts' migrations: a fresh database gets every table, opening it
//! again changes nothing, and versions applied by the other parts (the
//! registry's, the layouts') in the shared `_sqlx_migrations` do not stop
//! them. (A database from before the accounts' split is adopted: the
//! layouts crate tests that, with its tables.)

use tessera_server_common::db::Database;

async fn applied_versions(db: &Database) -> Vec<i64> {
    let sql = "SELECT version FROM _sqlx_migrations ORDER BY version";
    let rows: Vec<(i64,)> = match db {
        Database::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await.unwrap(),
        Database::Postgres { pool, .. } => sqlx::query_as(sql).fetch_all(pool).await.unwrap(),
    };
    rows.into_iter().map(|r| r.0).collect()
}

async fn fresh_then_again_beside_a_foreign_migration(url: &str) {
    let db = Database::connect(url).await.unwrap();
    let store = tessera_accounts::store::open(&db)
        .await
        .expect("a fresh database");
    assert_eq!(
        applied_versions(&db).await,
        [20261122100000, 20261201100001, 20261201100002],
        "the accounts' three migrations, and nothing else"
    );
    let token = tessera_accounts::add_user(&*store, "alice", true)
        .await
        .unwrap();
    tessera_accounts::invite_user(&*store, "bob", chrono::Duration::hours(1))
        .await
        .unwrap();

    // What the registry's migrator leaves behind (its version, another checksum).
    let insert =
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                  VALUES (20261122000001, 'widgets', TRUE, X'00', 0)";
    match &db {
        Database::Sqlite(pool) => {
            sqlx::query(insert).execute(pool).await.unwrap();
        }
        Database::Postgres { pool, .. } => {
            sqlx::query(&insert.replace("X'00'", "'\\x00'::bytea"))
                .execute(pool)
                .await
                .unwrap();
        }
    }
    let again = tessera_accounts::store::open(&db)
        .await
        .expect("a migration of another part does not stop the accounts'");
    let alice = again
        .user_by_token(&tessera_accounts::tokens::hash_token(&token))
        .await
        .unwrap()
        .expect("alice is still there");
    assert!(alice.admin);
    assert_eq!(again.users().await.unwrap().len(), 2, "alice and bob");
}

#[tokio::test]
async fn sqlite_fresh_then_again_beside_a_foreign_migration() {
    let dir = tempfile::tempdir().unwrap();
    fresh_then_again_beside_a_foreign_migration(&format!(
        "sqlite://{}",
        dir.path().join("accounts.db").display()
    ))
    .await;
}

#[tokio::test]
async fn postgres_fresh_then_again_beside_a_foreign_migration() {
    fresh_then_again_beside_a_foreign_migration(&tessera_testkit::pg::fresh_database().await).await;
}
