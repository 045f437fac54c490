//! Errors as the client sees them: a status and `{code, message, field?}`
//! (plus `current_version` with `stale_version`). Internal details are logged
//! once here and never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::api::ErrorBody;
use crate::error::LayoutsError;

/// Largest request body read: a 1 MiB document with room for its envelope.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Whether reading a request body failed because its bytes did not come in
/// time (the server's body timeout): a 408, not a malformed request.
pub fn body_timed_out(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut at: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = at {
        if e.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        at = e.source();
    }
    false
}

#[derive(Debug)]
pub enum ApiError {
    Layouts(LayoutsError),
    MalformedJson(String),
    PayloadTooLarge,
    Unauthorized(&'static str),
    /// The request's body did not arrive in time.
    RequestTimeout,
    /// Over the rate limit: wait this long.
    RateLimited(std::time::Duration),
}

impl From<LayoutsError> for ApiError {
    fn from(e: LayoutsError) -> Self {
        ApiError::Layouts(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut retry_after = None;
        let (status, code, message, field, current_version) = match self {
            ApiError::RequestTimeout => (
                StatusCode::REQUEST_TIMEOUT,
                "request_timeout",
                "the request body did not arrive in time".to_owned(),
                None,
                None,
            ),
            ApiError::RateLimited(wait) => {
                let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
                retry_after = Some(secs);
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    format!("too many requests; retry in {secs} s"),
                    None,
                    None,
                )
            }
            ApiError::MalformedJson(m) => {
                (StatusCode::BAD_REQUEST, "malformed_json", m, None, None)
            }
            ApiError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
                None,
                None,
            ),
            ApiError::Unauthorized(m) => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                m.to_owned(),
                None,
                None,
            ),
            ApiError::Layouts(e) => {
                let message = e.to_string();
                match e {
                    LayoutsError::Invalid(v) => (
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "invalid_field",
                        message,
                        Some(v.path),
                        None,
                    ),
                    LayoutsError::NotFound(_) => {
                        (StatusCode::NOT_FOUND, "not_found", message, None, None)
                    }
                    LayoutsError::Deleted { .. } => {
                        (StatusCode::GONE, "deleted", message, None, None)
                    }
                    LayoutsError::Gone(_) => (StatusCode::GONE, "gone", message, None, None),
                    LayoutsError::Forbidden(_) => {
                        (StatusCode::FORBIDDEN, "forbidden", message, None, None)
                    }
                    LayoutsError::Stale { current, .. } => (
                        StatusCode::CONFLICT,
                        "stale_version",
                        message,
                        None,
                        Some(current),
                    ),
                    LayoutsError::Conflict(_) => {
                        (StatusCode::CONFLICT, "conflict", message, None, None)
                    }
                    other => {
                        tracing::error!(error = %other, "layouts request failed");
                        (
                            StatusCode::INTERNAL_SERVER_ERROR,
                            "internal",
                            "internal error; see the server log".to_owned(),
                            None,
                            None,
                        )
                    }
                }
            }
        };
        let mut resp = (
            status,
            Json(ErrorBody {
                code: code.to_owned(),
                message,
                field,
                current_version,
            }),
        )
            .into_response();
        if let Some(secs) = retry_after {
            resp.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        resp
    }
}
