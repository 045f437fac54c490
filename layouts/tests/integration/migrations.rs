//! This crate's migrations share `_sqlx_migrations` with the registry's:
//! each set ignores versions it does not know.

async fn reconnect_with_a_foreign_migration(url: &str) {
    tessera_layouts::connect(url)
        .await
        .expect("first connect migrates");
    // What the registry's migrator leaves behind (its version, another checksum).
    let insert =
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                  VALUES (20261122000001, 'widgets', TRUE, X'00', 0)";
    if url.starts_with("sqlite:") {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query(insert).execute(&mut c).await.unwrap();
    } else {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query(&insert.replace("X'00'", "'\\x00'::bytea"))
            .execute(&mut c)
            .await
            .unwrap();
    }
    tessera_layouts::connect(url)
        .await
        .expect("a migration applied by the registry does not stop this crate's migrator");
}

#[tokio::test]
async fn sqlite_migrations_coexist_with_the_registrys() {
    let dir = tempfile::tempdir().unwrap();
    reconnect_with_a_foreign_migration(&format!(
        "sqlite://{}",
        dir.path().join("shared.db").display()
    ))
    .await;
}

#[tokio::test]
async fn postgres_migrations_coexist_with_the_registrys() {
    reconnect_with_a_foreign_migration(&tessera_testkit::pg::fresh_database().await).await;
}
