//! Storage behind one trait, one implementation per engine (SQLite, the
//! embedded default, and Postgres), picked from the URL scheme by [`connect`].
//!
//! Both engines run the same SQL text ([`sql`], written with `$N`
//! placeholders; SQLite gets `?N`), implemented for each store by one macro.
//! What differs lives in the engine's module: connecting, migrations, and
//! change notification (a trigger that `pg_notify`s on Postgres; on SQLite
//! one process owns the file and the hub is poked directly).
//!
//! Access rules that guard writes are part of the SQL predicates (`UPDATE …
//! WHERE id = $1 AND version = $2 AND <caller may edit>`), so a check and the
//! write it guards cannot be separated by another transaction.

#[macro_use]
mod sql;
mod postgres;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use tessera_server_common::db::Database;

use crate::api::{AuditEvent, ShareAccess, VersionInfo};
use crate::error::{LayoutsError, Result};

pub use postgres::{PgStore, LAYOUTS_CHANNEL};
pub use sqlite::SqliteStore;
pub use tessera_accounts::User;

/// A layout's current state as one caller sees it, without the document.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct LayoutRow {
    pub id: String,
    pub title: String,
    /// The owner's user name.
    pub owner: String,
    pub owner_id: i64,
    pub version: i64,
    pub organisation: bool,
    /// Shared with at least one user or group.
    pub shared: bool,
    /// `|a.b|c.d|`
    pub widgets: String,
    pub cloned_from_id: Option<String>,
    pub cloned_from_version: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
    /// The caller's own rights, admin aside: 0 none, 1 view, 2 edit, 3 owner.
    pub access: i32,
}

/// A layout row with its current document (compact JSON).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct LayoutWithDocument {
    #[sqlx(flatten)]
    pub row: LayoutRow,
    pub document: String,
}

/// A layout to insert, with its first version.
#[derive(Debug, Clone)]
pub struct NewLayout<'a> {
    pub id: &'a str,
    pub owner_id: i64,
    pub title: &'a str,
    /// Compact JSON of a validated document.
    pub document: &'a str,
    pub widgets: &'a str,
    pub cloned_from: Option<(&'a str, i64)>,
    pub message: Option<&'a str>,
    pub now: DateTime<Utc>,
}

/// A new version of an existing layout.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    pub id: &'a str,
    /// Written only if the layout is still at this version.
    pub base_version: i64,
    pub title: &'a str,
    pub document: &'a str,
    pub widgets: &'a str,
    pub message: Option<&'a str>,
    pub now: DateTime<Utc>,
}

/// Which layouts a list shows; all but the bins leave deleted layouts out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything the caller may see.
    All,
    /// Owned by the caller.
    Mine,
    /// Shared with the caller by name or through a group.
    Shared,
    /// Visible to the whole organisation, not owned by the caller.
    Organisation,
    /// The caller's bin.
    Deleted,
    /// Every bin (admins).
    DeletedAll,
    /// Every layout (admins).
    Any,
}

/// A page of a list.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub scope: Scope,
    /// A `LIKE` pattern over the lower-cased title.
    pub title_like: Option<String>,
    /// A `LIKE` pattern over the `|a.b|c.d|` widget list.
    pub widgets_like: Option<String>,
    /// Keyset: rows strictly after (updated_at, id) in (updated_at DESC, id DESC) order.
    pub after: Option<(DateTime<Utc>, String)>,
    pub limit: i64,
}

/// One share as stored, resolved to names.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ShareRow {
    pub user_name: Option<String>,
    pub group_name: Option<String>,
    pub access: String,
}

/// A share to store: exactly one of user and group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShareIds {
    pub user_id: Option<i64>,
    pub group_id: Option<i64>,
    pub access: ShareAccess,
}

/// An audit record to write.
#[derive(Debug, Clone)]
pub struct AuditRecord<'a> {
    pub layout_id: Option<&'a str>,
    pub actor: Option<&'a str>,
    pub action: &'a str,
    pub detail: serde_json::Value,
    pub at: DateTime<Utc>,
}

/// What the layouts service needs of a database. (Users and groups are
/// the accounts': layouts refer to their tables, and the layouts' SQL reads
/// the owner's name and group membership from them.)
#[async_trait]
pub trait LayoutStore: Send + Sync + 'static {
    /// Inserts a layout and its version 1 in one transaction.
    async fn insert_layout(&self, new: &NewLayout<'_>) -> Result<()>;
    /// The layout (deleted or not) as `user_id` sees it; `None` when there is no such id.
    async fn layout(&self, id: &str, user_id: i64) -> Result<Option<LayoutRow>>;
    /// The same with the current document.
    async fn layout_with_document(
        &self,
        id: &str,
        user_id: i64,
    ) -> Result<Option<LayoutWithDocument>>;
    /// Writes the new version and its history row in one transaction, if the
    /// layout is at `base_version`, not deleted, and `user` may edit it.
    /// `None` when that guard refused: nothing was written.
    async fn save(&self, v: &NewVersion<'_>, user: &User) -> Result<Option<i64>>;
    async fn list(&self, q: &ListQuery, user: &User) -> Result<Vec<LayoutRow>>;
    /// Versions below `before`, newest first.
    async fn versions(&self, id: &str, before: i64, limit: i64) -> Result<Vec<VersionInfo>>;
    async fn version(&self, id: &str, version: i64) -> Result<Option<(VersionInfo, String)>>;
    async fn shares(&self, id: &str) -> Result<Vec<ShareRow>>;
    /// Replaces the sharing and records `audit`, in one transaction, if the
    /// layout is not deleted and `user` owns it or is an admin. `false` when refused.
    async fn set_sharing(
        &self,
        id: &str,
        user: &User,
        organisation: bool,
        shares: &[ShareIds],
        audit: &AuditRecord<'_>,
    ) -> Result<bool>;
    /// Moves the layout to the bin (same guard as sharing), with its audit record.
    async fn soft_delete(&self, id: &str, user: &User, audit: &AuditRecord<'_>) -> Result<bool>;
    /// Takes it out of the bin if deleted at or after `deleted_since` (same guard).
    async fn restore(
        &self,
        id: &str,
        user: &User,
        deleted_since: DateTime<Utc>,
        audit: &AuditRecord<'_>,
    ) -> Result<bool>;
    /// Removes layouts deleted before `cutoff`, history and shares with them,
    /// recording one `purged` audit record each; returns their ids.
    async fn purge_deleted(&self, cutoff: DateTime<Utc>, now: DateTime<Utc>)
        -> Result<Vec<String>>;
    async fn record_audit(&self, audit: &AuditRecord<'_>) -> Result<()>;
    /// Audit records with an id below `before`, newest first; all layouts when `layout` is `None`.
    async fn audit(&self, layout: Option<&str>, before: i64, limit: i64)
        -> Result<Vec<AuditEvent>>;

    /// Cheap round trip for readiness checks.
    async fn ping(&self) -> Result<()>;
    /// Postgres URL for LISTEN/NOTIFY between replicas; `None` on SQLite.
    fn notify_url(&self) -> Option<&str>;
}

pub type DynLayoutStore = Arc<dyn LayoutStore>;

/// The layouts store on the server's one pool, after applying this crate's
/// migrations to it. Layouts refer to users and groups: open the accounts'
/// store on `db` first (`tessera_accounts::store::open`), as the server
/// does. The registry's and the accounts' migrations share the database and
/// its migration table: each set ignores the others' entries.
pub async fn open(db: &Database) -> Result<DynLayoutStore> {
    Ok(match db {
        Database::Sqlite(pool) => Arc::new(SqliteStore::open(pool.clone()).await?),
        Database::Postgres { pool, url } => Arc::new(PgStore::open(pool.clone(), url).await?),
    })
}

/// The accounts and the layouts store on one database the URL names (a
/// pool of their own): what a layouts service needs, for tools and tests.
pub async fn connect_with_accounts(
    url: &str,
) -> Result<(tessera_accounts::DynAccountStore, DynLayoutStore)> {
    let db = Database::connect(url).await?;
    let accounts = tessera_accounts::store::open(&db).await?;
    Ok((accounts, open(&db).await?))
}

/// A unique-constraint violation becomes a readable conflict saying `what()`.
fn unique_or(err: sqlx::Error, what: impl FnOnce() -> String) -> LayoutsError {
    tessera_server_common::db::unique_or(err, || LayoutsError::Conflict(what()))
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    version: i64,
    title: String,
    author: Option<String>,
    message: Option<String>,
    created_at: DateTime<Utc>,
}

impl From<VersionRow> for VersionInfo {
    fn from(r: VersionRow) -> Self {
        VersionInfo {
            version: r.version,
            title: r.title,
            author: r.author,
            message: r.message,
            created_at: r.created_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct VersionDocRow {
    #[sqlx(flatten)]
    info: VersionRow,
    document: String,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    layout_id: Option<String>,
    actor: Option<String>,
    action: String,
    detail: String,
    at: DateTime<Utc>,
}

impl From<AuditRow> for AuditEvent {
    fn from(r: AuditRow) -> Self {
        AuditEvent {
            id: r.id,
            layout: r.layout_id,
            actor: r.actor,
            action: r.action,
            detail: serde_json::from_str(&r.detail).unwrap_or(serde_json::Value::String(r.detail)),
            at: r.at,
        }
    }
}

fn share_access(a: ShareAccess) -> &'static str {
    match a {
        ShareAccess::View => "view",
        ShareAccess::Edit => "edit",
    }
}
