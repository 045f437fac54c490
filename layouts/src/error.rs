//! The crate's one error type for storage and operations. The HTTP edge turns
//! each variant into a status and the `{code, message, field?}` envelope.

use chrono::{DateTime, Utc};

use crate::validate::ValidationError;

#[derive(Debug, thiserror::Error)]
pub enum LayoutsError {
    /// A document rule or request field broken: 422 naming the path.
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    /// Absent, or present but not visible to the caller (404 either way, so ids do not leak).
    #[error("{0} not found")]
    NotFound(String),
    /// In its owner's bin: 410 for the owner and admins (others get `NotFound`).
    #[error("layout {id:?} was deleted at {at}; its owner can restore it until {until}")]
    Deleted {
        id: String,
        at: DateTime<Utc>,
        until: DateTime<Utc>,
    },
    /// Visible, but the caller's access does not allow this: 403.
    #[error("{0}")]
    Forbidden(String),
    /// The save named a version that is no longer current: 409, nothing written.
    #[error("layout {id:?} is at version {current}, not {base}: reload it, reapply your change and save again")]
    Stale { id: String, base: i64, current: i64 },
    /// A name already taken, and the like: 409.
    #[error("{0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Opening or migrating the database.
    #[error(transparent)]
    Open(#[from] tessera_server_common::db::DbError),
    /// A user or group that is not there, and the other accounts' failures
    /// met while sharing: answered as the accounts' routes answer them.
    #[error(transparent)]
    Accounts(#[from] tessera_accounts::AccountsError),
    /// A stored row that does not read back (e.g. a document edited by hand).
    #[error("corrupt data: {0}")]
    Corrupt(String),
}

pub type Result<T, E = LayoutsError> = std::result::Result<T, E>;

impl LayoutsError {
    /// A request field that was wrong (not a document path).
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        LayoutsError::Invalid(ValidationError {
            path: field.to_owned(),
            message: message.into(),
        })
    }
}
