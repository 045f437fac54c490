//! This crate's migrations share `_sqlx_migrations` with the registry's
//! and the accounts': each set ignores versions it does not know. A
//! database made before the accounts' split is adopted with its data.

async fn reconnect_with_a_foreign_migration(url: &str) {
    tessera_layouts::store::connect_with_accounts(url)
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
    tessera_layouts::store::connect_with_accounts(url)
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

/// A database made before the accounts had a crate of their own: the
/// layouts' first migration created users, tokens and groups too, and the
/// two accounts migrations were recorded under the layouts' set. The
/// server of now adopts it: both sets apply without error, every user,
/// token, group and layout is still there, and the old token still signs in.
async fn a_database_from_before_the_accounts_split_is_adopted(url: &str) {
    use tessera_server_common::db::Database;

    let db = Database::connect(url).await.unwrap();
    let engine = match &db {
        Database::Sqlite(_) => "sqlite",
        Database::Postgres { .. } => "postgres",
    };
    let then = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/before-split")
        .join(engine);
    let old = sqlx::migrate::Migrator::new(then).await.unwrap();
    let token = "tsu_the-token-alice-had-before-the-split-0000000";
    let hash = tessera_accounts::tokens::hash_token(token);
    let now = tessera_accounts::now();
    let document = serde_json::to_string(&tessera_layouts::demo_layout()).unwrap();
    let statements: [(&str, Vec<String>); 6] = [
        (
            "INSERT INTO users (name, admin, created_at) VALUES ('alice', FALSE, $1)",
            vec![],
        ),
        (
            "INSERT INTO user_tokens (hash, user_id, label, created_at, id) \
             SELECT $2, id, 'laptop', $1, $3 FROM users WHERE name = 'alice'",
            vec![hash.clone(), hash[..16].to_owned()],
        ),
        (
            "INSERT INTO groups (name, created_at) VALUES ('trading', $1)",
            vec![],
        ),
        (
            "INSERT INTO group_members (group_id, user_id) \
             SELECT g.id, u.id FROM groups g, users u WHERE g.name = 'trading' AND u.name = 'alice' AND $1 IS NOT NULL",
            vec![],
        ),
        (
            "INSERT INTO layouts (id, owner_id, title, version, document, widgets, created_at, updated_at) \
             SELECT 'lay_beforethesplit', id, 'Kept', 1, $2, '|tessera.greeting|', $1, $1 FROM users WHERE name = 'alice'",
            vec![document.clone()],
        ),
        (
            "INSERT INTO layout_versions (layout_id, version, title, document, author_id, created_at) \
             SELECT 'lay_beforethesplit', 1, 'Kept', $2, id, $1 FROM users WHERE name = 'alice'",
            vec![document],
        ),
    ];
    match &db {
        Database::Sqlite(pool) => {
            old.run(pool).await.unwrap();
            for (sql, binds) in &statements {
                let sql = sql.replace('$', "?");
                let mut q = sqlx::query(&sql).bind(now);
                for b in binds {
                    q = q.bind(b);
                }
                q.execute(pool).await.unwrap();
            }
        }
        Database::Postgres { pool, .. } => {
            old.run(pool).await.unwrap();
            for (sql, binds) in &statements {
                let mut q = sqlx::query(sql).bind(now);
                for b in binds {
                    q = q.bind(b);
                }
                q.execute(pool).await.unwrap();
            }
        }
    }

    // Now: the accounts' set, then the layouts' (as the server opens them), twice.
    for _ in 0..2 {
        let accounts = tessera_accounts::store::open(&db)
            .await
            .expect("the accounts adopt their tables");
        let layouts = tessera_layouts::store::open(&db)
            .await
            .expect("the layouts' new first migration finds its tables in place");
        let alice = accounts
            .user_by_token(&hash)
            .await
            .unwrap()
            .expect("the token from before still signs alice in");
        assert_eq!(alice.name, "alice");
        assert_eq!(accounts.groups_of(alice.id).await.unwrap(), ["trading"]);
        let tokens = accounts.tokens_of(alice.id).await.unwrap();
        assert_eq!(tokens.len(), 1);
        assert_eq!(
            (tokens[0].id.as_str(), tokens[0].label.as_str()),
            (&hash[..16], "laptop")
        );
        let state = tessera_layouts::LayoutsState::new(
            layouts,
            tessera_accounts::Accounts::new(accounts.clone()),
        );
        let kept = state.get(&alice, "lay_beforethesplit").await.unwrap();
        assert_eq!(
            (kept.summary.title.as_str(), kept.summary.owner.as_str()),
            ("Kept", "alice")
        );
    }
    // New accounts go on from there.
    let accounts = tessera_accounts::store::open(&db).await.unwrap();
    tessera_accounts::add_user(&*accounts, "bob", false)
        .await
        .unwrap();
    assert!(matches!(
        tessera_accounts::add_user(&*accounts, "alice", false).await,
        Err(tessera_accounts::AccountsError::Conflict(_))
    ));
}

#[tokio::test]
async fn sqlite_database_from_before_the_accounts_split_is_adopted() {
    let dir = tempfile::tempdir().unwrap();
    a_database_from_before_the_accounts_split_is_adopted(&format!(
        "sqlite://{}",
        dir.path().join("old.db").display()
    ))
    .await;
}

#[tokio::test]
async fn postgres_database_from_before_the_accounts_split_is_adopted() {
    a_database_from_before_the_accounts_split_is_adopted(
        &tessera_testkit::pg::fresh_database().await,
    )
    .await;
}
