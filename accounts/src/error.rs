//! The accounts' one error type. The HTTP edge turns each variant into a
//! status and the server's `{code, message, field?}` envelope; the layouts
//! service turns it into its own error, variant for variant.

use tessera_server_common::ApiError;

#[derive(Debug, thiserror::Error)]
pub enum AccountsError {
    /// A request field that was wrong (a name, a label): 422 naming it.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// No such user, group, token or invitation: 404.
    #[error("{0} not found")]
    NotFound(String),
    /// The caller may not do this (only admins create users, …): 403.
    #[error("{0}")]
    Forbidden(String),
    /// Used up or expired for good (an invitation): 410.
    #[error("{0}")]
    Gone(String),
    /// A name already taken: 409.
    #[error("{0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Opening or migrating the database.
    #[error(transparent)]
    Open(#[from] tessera_server_common::db::DbError),
    #[error("{path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

pub type Result<T, E = AccountsError> = std::result::Result<T, E>;

impl AccountsError {
    /// A request field that was wrong.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AccountsError::Invalid {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// An accounts failure as the client sees it; internal failures are logged
/// here, once, and answered `internal`.
impl From<AccountsError> for ApiError {
    fn from(e: AccountsError) -> Self {
        let message = e.to_string();
        match e {
            AccountsError::Invalid { field, .. } => ApiError::Invalid { field, message },
            AccountsError::NotFound(_) => ApiError::NotFound(message),
            AccountsError::Gone(_) => ApiError::Gone {
                code: "gone",
                message,
            },
            AccountsError::Forbidden(_) => ApiError::Forbidden(message),
            AccountsError::Conflict(_) => ApiError::Conflict(message),
            other => {
                tracing::error!(error = %other, "accounts request failed");
                ApiError::Internal
            }
        }
    }
}
