//! Errors as a client sees them: a status and the one envelope,
//! `{code, message, field?, current_version?}`. Internal details are logged
//! once, where they happen, and never sent.

use serde::{Deserialize, Serialize};

/// The one error envelope of every failing request, on every route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "http", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// Stable, machine-readable: `invalid_field`, `malformed_json`,
    /// `payload_too_large`, `unauthorized`, `forbidden`, `not_found`,
    /// `deleted`, `gone`, `stale_version`, `conflict`, `rate_limited`,
    /// `request_timeout`, `headers_too_large`, `method_not_allowed`,
    /// `bad_gateway`, `internal`.
    pub code: String,
    pub message: String,
    /// The field that was wrong: a JSON path (`$.root.content[1].type`) for
    /// document problems, the request field's name otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// With `stale_version` (409): the layout's version now; reload it, reapply, save again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
}

#[cfg(feature = "http")]
pub use self::http::ApiError;

#[cfg(feature = "http")]
mod http {
    use std::time::Duration;

    use axum::http::{header, HeaderValue, StatusCode};
    use axum::response::{IntoResponse, Response};
    use axum::Json;

    use super::ErrorBody;

    /// The one error type of every route. Each part of the server converts
    /// its own errors into it (`From<StoreError>`, `From<LayoutsError>`…).
    #[derive(Debug)]
    pub enum ApiError {
        /// A request field (or a document's JSON path) is wrong; `message`
        /// says what, in full.
        Invalid {
            field: String,
            message: String,
        },
        MalformedJson(String),
        /// The body is larger than `limit` bytes.
        PayloadTooLarge {
            limit: usize,
        },
        Unauthorized(String),
        Forbidden(String),
        NotFound(String),
        /// 410: `deleted` (in the bin) or `gone`.
        Gone {
            code: &'static str,
            message: String,
        },
        Conflict(String),
        /// 409 `stale_version`: the base version is not `current`.
        Stale {
            current: i64,
            message: String,
        },
        /// Over the rate limit: wait this long.
        RateLimited(Duration),
        /// The request's body did not arrive in time.
        RequestTimeout,
        /// 431: the request's header fields are too many or too large; the
        /// message says which limit.
        HeadersTooLarge(String),
        MethodNotAllowed,
        /// Something behind the server (a widget's sidecar) failed; the message says what.
        BadGateway(String),
        /// Logged where it happened; the client learns nothing more.
        Internal,
    }

    impl ApiError {
        /// The status and the envelope this error answers with.
        pub fn parts(&self) -> (StatusCode, ErrorBody) {
            let body = |code: &str, message: String| ErrorBody {
                code: code.to_owned(),
                message,
                field: None,
                current_version: None,
            };
            match self {
                ApiError::Invalid { field, message } => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorBody {
                        field: Some(field.clone()),
                        ..body("invalid_field", message.clone())
                    },
                ),
                ApiError::MalformedJson(m) => {
                    (StatusCode::BAD_REQUEST, body("malformed_json", m.clone()))
                }
                ApiError::PayloadTooLarge { limit } => (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    body(
                        "payload_too_large",
                        format!("the request body is larger than {limit} bytes"),
                    ),
                ),
                ApiError::Unauthorized(m) => {
                    (StatusCode::UNAUTHORIZED, body("unauthorized", m.clone()))
                }
                ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, body("forbidden", m.clone())),
                ApiError::NotFound(m) => (StatusCode::NOT_FOUND, body("not_found", m.clone())),
                ApiError::Gone { code, message } => (StatusCode::GONE, body(code, message.clone())),
                ApiError::Conflict(m) => (StatusCode::CONFLICT, body("conflict", m.clone())),
                ApiError::Stale { current, message } => (
                    StatusCode::CONFLICT,
                    ErrorBody {
                        current_version: Some(*current),
                        ..body("stale_version", message.clone())
                    },
                ),
                ApiError::RateLimited(wait) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    body(
                        "rate_limited",
                        format!("too many requests; retry in {} s", retry_secs(*wait)),
                    ),
                ),
                ApiError::RequestTimeout => (
                    StatusCode::REQUEST_TIMEOUT,
                    body(
                        "request_timeout",
                        "the request body did not arrive in time".to_owned(),
                    ),
                ),
                ApiError::HeadersTooLarge(m) => (
                    StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                    body("headers_too_large", m.clone()),
                ),
                ApiError::MethodNotAllowed => (
                    StatusCode::METHOD_NOT_ALLOWED,
                    body(
                        "method_not_allowed",
                        "this route does not take that method; see /openapi.json".to_owned(),
                    ),
                ),
                ApiError::BadGateway(m) => {
                    (StatusCode::BAD_GATEWAY, body("bad_gateway", m.clone()))
                }
                ApiError::Internal => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    body("internal", "internal error; see the server log".to_owned()),
                ),
            }
        }
    }

    /// Whole seconds to wait, at least one.
    fn retry_secs(wait: Duration) -> u64 {
        wait.as_secs_f64().ceil().max(1.0) as u64
    }

    impl IntoResponse for ApiError {
        fn into_response(self) -> Response {
            let (status, body) = self.parts();
            let mut resp = (status, Json(body)).into_response();
            if let ApiError::RateLimited(wait) = self {
                resp.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_secs(wait)));
            }
            resp
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn every_error_answers_with_the_envelope() {
            let (status, body) = ApiError::Stale {
                current: 5,
                message: "version 5 was saved since".into(),
            }
            .parts();
            assert_eq!(status, StatusCode::CONFLICT);
            assert_eq!(
                serde_json::to_value(&body).unwrap(),
                serde_json::json!({"code": "stale_version", "message": "version 5 was saved since", "current_version": 5})
            );
            let (status, body) = ApiError::Invalid {
                field: "title".into(),
                message: "title: too long".into(),
            }
            .parts();
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(body.field.as_deref(), Some("title"));
            let resp = ApiError::RateLimited(Duration::from_millis(1200)).into_response();
            assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(resp.headers()[header::RETRY_AFTER], "2");
        }
    }
}
