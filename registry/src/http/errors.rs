//! The registry's failures as the server's one [`ApiError`]: a broken rule
//! names its field, storage and token failures keep their meaning.

use super::ApiError;
use crate::api::FieldError;
use crate::auth::AuthError;
use crate::store::StoreError;

/// A rule a request broke: 422 `invalid_field`, naming the field.
impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::Invalid {
            message: format!("{}: {}", e.field, e.message),
            field: e.field,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(what) => ApiError::NotFound(format!("{what} not found")),
            StoreError::Conflict(msg) => ApiError::Conflict(msg),
            other => {
                tracing::error!(error = %other, "storage failed");
                ApiError::Internal
            }
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::Missing => ApiError::Unauthorized(
                "send the publisher token as 'Authorization: Bearer <token>'".into(),
            ),
            AuthError::Unknown => ApiError::Unauthorized("the token is not recognised".into()),
            AuthError::RateLimited { retry_after } => ApiError::RateLimited(retry_after),
            AuthError::Store(e) => e.into(),
        }
    }
}
