//! The registry's request extractors: every way a request can be wrong
//! answers the JSON error envelope (issue 14, item 8: a body over the limit,
//! `%ff` in an id, `?since=abc` and a heartbeat without `Content-Type` were
//! plain text or undocumented). The body and query extractors are the whole
//! server's ([`tessera_server_common::extract`]); the path id is the registry's.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use tessera_server_common::extract::BodyRules;
pub use tessera_server_common::extract::{JsonBody, QueryParams};

use crate::http::{ApiError, AppState, MAX_BODY_BYTES};

/// The registry's bodies: up to [`MAX_BODY_BYTES`].
impl BodyRules for AppState {
    fn max_body_bytes(&self) -> usize {
        MAX_BODY_BYTES
    }
}

/// The one path parameter of a route (an id); one that cannot be decoded
/// is not found.
pub struct PathId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(id)) if !id.contains('\0') => Ok(PathId(id)),
            _ => Err(ApiError::NotFound(format!(
                "nothing at {}: the id is not valid text",
                parts.uri.path()
            ))),
        }
    }
}
