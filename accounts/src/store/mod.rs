//! What the accounts need of a database: users, their tokens and
//! invitations, and groups ([`AccountStore`]), one implementation per
//! engine (SQLite, the embedded default, and Postgres) over the same SQL
//! ([`sql`]), and the accounts' migrations ([`migrate`]).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use std::sync::Arc;

use tessera_server_common::db::Database;

use crate::api::GroupInfo;
use crate::error::{AccountsError, Result};

mod postgres;
mod sql;
mod sqlite;

pub use postgres::PgAccounts;
pub use sqlite::SqliteAccounts;

/// A user as authentication resolves them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub admin: bool,
}

/// One of a user's tokens, as its owner may see it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenRow {
    /// Public id: the first 16 hex digits of the token's sha256.
    pub id: String,
    pub hash: String,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// The public id of a token with this hash.
pub fn token_id(hash: &str) -> &str {
    &hash[..hash.len().min(16)]
}

/// What became of an invitation code at its use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invitation {
    /// It was good: now used, by this user.
    Accepted(User),
    /// Used before, at this time.
    Used(DateTime<Utc>),
    /// Expired at this time, unused.
    Expired(DateTime<Utc>),
    Unknown,
}

/// Users, tokens, invitations and groups.
#[async_trait]
pub trait AccountStore: Send + Sync + 'static {
    /// Creates a user; `Conflict` when the name is taken.
    async fn create_user(&self, name: &str, admin: bool, now: DateTime<Utc>) -> Result<User>;
    async fn user_named(&self, name: &str) -> Result<Option<User>>;
    async fn users(&self) -> Result<Vec<User>>;
    /// Stores a token's hash for the user.
    async fn add_token(
        &self,
        user_id: i64,
        hash: &str,
        label: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn user_by_token(&self, hash: &str) -> Result<Option<User>>;
    /// Notes that the token was used now.
    async fn touch_token(&self, hash: &str, now: DateTime<Utc>) -> Result<()>;
    /// The user's tokens, newest first.
    async fn tokens_of(&self, user_id: i64) -> Result<Vec<TokenRow>>;
    /// Relabels the user's token `id`; `false` when they have no such token.
    async fn label_token(&self, user_id: i64, id: &str, label: &str) -> Result<bool>;
    /// Deletes the user's token `id`; its hash (to forget it in caches), or
    /// `None` when they have no such token.
    async fn revoke_token(&self, user_id: i64, id: &str) -> Result<Option<String>>;
    /// Stores an invitation code's hash for the user, good until `expires`.
    async fn add_invitation(
        &self,
        user_id: i64,
        code_hash: &str,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<()>;
    /// Uses the invitation if it is unused and unexpired (atomically: a
    /// code works once); otherwise says why not.
    async fn take_invitation(&self, code_hash: &str, now: DateTime<Utc>) -> Result<Invitation>;
    /// Creates a group; `Conflict` when the name is taken.
    async fn create_group(&self, name: &str, now: DateTime<Utc>) -> Result<i64>;
    async fn group_named(&self, name: &str) -> Result<Option<i64>>;
    /// Adds a member; `false` when they already were one.
    async fn add_member(&self, group_id: i64, user_id: i64) -> Result<bool>;
    /// Every group with its members, by name.
    async fn groups(&self) -> Result<Vec<GroupInfo>>;
    /// Names of the groups a user belongs to.
    async fn groups_of(&self, user_id: i64) -> Result<Vec<String>>;
    /// Postgres URL for LISTEN (token revocations reach every replica);
    /// `None` on SQLite.
    fn notify_url(&self) -> Option<&str>;
}

pub type DynAccountStore = Arc<dyn AccountStore>;

/// Applies the accounts' migrations to `db` (the other parts' share its
/// migration table: each set ignores the others' versions). The layouts'
/// tables refer to users and groups, so the layouts store applies these
/// before its own.
pub async fn migrate(db: &Database) -> Result<()> {
    use tessera_server_common::db;
    match db {
        Database::Sqlite(pool) => db::migrate(sqlx::migrate!("./migrations/sqlite"), pool).await?,
        Database::Postgres { pool, .. } => {
            db::migrate(sqlx::migrate!("./migrations/postgres"), pool).await?
        }
    }
    Ok(())
}

/// The accounts store on the server's one pool, after applying the
/// accounts' migrations to it.
pub async fn open(db: &Database) -> Result<DynAccountStore> {
    migrate(db).await?;
    Ok(match db {
        Database::Sqlite(pool) => Arc::new(SqliteAccounts::new(pool.clone())),
        Database::Postgres { pool, url } => Arc::new(PgAccounts::new(pool.clone(), url)),
    })
}

/// Opens the database the URL names (`sqlite:…` or `postgres://…`, a pool
/// of its own) and the accounts store on it: for tools and tests.
pub async fn connect(url: &str) -> Result<DynAccountStore> {
    open(&Database::connect(url).await?).await
}

/// A unique-constraint violation becomes a readable conflict saying `what()`.
fn unique_or(err: sqlx::Error, what: impl FnOnce() -> String) -> AccountsError {
    tessera_server_common::db::unique_or(err, || AccountsError::Conflict(what()))
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    name: String,
    admin: bool,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        User {
            id: r.id,
            name: r.name,
            admin: r.admin,
        }
    }
}
