//! The one database: opened once per process, each part's store built on
//! the same pool.

use anyhow::Context;
use tessera_registry::config;
use tessera_registry::store::DynStore;
use tessera_server_common::db::Database;

/// The database `url` names, or the embedded SQLite file when `None`;
/// says which it was (`true`: embedded).
pub async fn open(url: Option<&str>) -> anyhow::Result<(Database, bool)> {
    let embedded = url.is_none();
    let url = match url {
        Some(u) => u.to_owned(),
        None => config::default_database_url()?,
    };
    let db = Database::connect(&url)
        .await
        .context("opening the database")?;
    Ok((db, embedded))
}

/// The registry's store (publishers, widgets, events) on `db`.
pub async fn registry(db: &Database) -> anyhow::Result<DynStore> {
    tessera_registry::store::open(db)
        .await
        .context("opening the registry's tables")
}

/// The accounts' store (users, their tokens, invitations, groups) on `db`.
pub async fn accounts(db: &Database) -> anyhow::Result<tessera_accounts::DynAccountStore> {
    tessera_accounts::store::open(db)
        .await
        .context("opening the accounts' tables")
}

/// The layouts service's store on `db` (after the accounts' tables, which
/// layouts refer to).
pub async fn layouts(db: &Database) -> anyhow::Result<tessera_layouts::DynLayoutStore> {
    tessera_layouts::store::open(db)
        .await
        .context("opening the layouts' tables")
}
