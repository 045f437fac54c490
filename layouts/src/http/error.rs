//! The layouts routes' errors: the server's one [`ApiError`] (and its
//! envelope), made from [`LayoutsError`]s; the body limit.

use crate::error::LayoutsError;

/// Largest request body read: a 1 MiB document with room for its envelope.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

pub use tessera_server_common::ApiError;

/// A layouts failure as the client sees it; internal failures are logged
/// here, once, and answered `internal`.
impl From<LayoutsError> for ApiError {
    fn from(e: LayoutsError) -> Self {
        let message = e.to_string();
        match e {
            LayoutsError::Invalid(v) => ApiError::Invalid {
                field: v.path,
                message,
            },
            LayoutsError::NotFound(_) => ApiError::NotFound(message),
            LayoutsError::Deleted { .. } => ApiError::Gone {
                code: "deleted",
                message,
            },
            LayoutsError::Accounts(e) => ApiError::from(e),
            LayoutsError::Forbidden(_) => ApiError::Forbidden(message),
            LayoutsError::Stale { current, .. } => ApiError::Stale { current, message },
            LayoutsError::Conflict(_) => ApiError::Conflict(message),
            other => {
                tracing::error!(error = %other, "layouts request failed");
                ApiError::Internal
            }
        }
    }
}
