//! The request extractors every route of the server uses, so that every way
//! a request can be wrong answers the one envelope alike: a JSON body (too
//! big 413, too slow 408, not JSON 400, U+0000 in a string or an array where
//! an object is expected 422 naming where), query parameters (422 naming
//! the parameter) and the bearer token.

use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::ApiError;
use crate::json_shape;

/// What a part of the server says about the bodies its routes take; its
/// router's state implements it.
pub trait BodyRules {
    /// The body limit of the part's routes (its `DefaultBodyLimit`), named
    /// in the 413.
    fn max_body_bytes(&self) -> usize;
    /// The answer to JSON nested beyond what the parser reads.
    fn too_deep(&self) -> ApiError {
        ApiError::MalformedJson("the JSON nests too deeply".into())
    }
}

/// What is wrong with a body.
#[derive(Debug)]
pub enum BodyProblem {
    TooLarge,
    TimedOut,
    /// Not the JSON expected (the parser's words).
    Malformed(String),
    /// Nested beyond what the parser reads.
    TooDeep,
    /// Readable, but wrong at this JSON path.
    At {
        path: String,
        message: &'static str,
    },
}

const ARRAY_MESSAGE: &str = "is an array, but a JSON object with named fields is expected here";

/// Reads a JSON body by the server's one set of rules.
pub async fn read_json<T, S>(req: Request, state: &S) -> Result<T, BodyProblem>
where
    T: DeserializeOwned + Serialize,
    S: Send + Sync,
{
    let bytes = axum::body::Bytes::from_request(req, state)
        .await
        .map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                BodyProblem::TooLarge
            } else if body_timed_out(&e) {
                BodyProblem::TimedOut
            } else {
                BodyProblem::Malformed(e.body_text())
            }
        })?;
    let typed: T = serde_json::from_slice(&bytes).map_err(|e| {
        if e.to_string().starts_with("recursion limit exceeded") {
            BodyProblem::TooDeep
        } else {
            BodyProblem::Malformed(format!("the body is not the JSON expected: {e}"))
        }
    })?;
    if let Some(path) = json_shape::nul_character(&bytes) {
        return Err(BodyProblem::At {
            path,
            message: json_shape::NUL_MESSAGE,
        });
    }
    if let Some(path) = json_shape::array_for_object(&bytes, &typed) {
        return Err(BodyProblem::At {
            path,
            message: ARRAY_MESSAGE,
        });
    }
    Ok(typed)
}

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

/// The bearer token a request carries (`Authorization: Bearer <token>`),
/// if any: publisher, admin and user tokens alike.
pub fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// A request field (or JSON path) that is wrong: 422 `invalid_field`.
pub fn invalid(field: impl Into<String>, message: impl std::fmt::Display) -> ApiError {
    let field = field.into();
    ApiError::Invalid {
        message: format!("{field}: {message}"),
        field,
    }
}

/// A JSON request body, whatever its `Content-Type` says, read by
/// [`read_json`]; the state's [`BodyRules`] name the limit and what too
/// deep means.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: BodyRules + Send + Sync,
    T: DeserializeOwned + Serialize,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        read_json(req, state)
            .await
            .map(JsonBody)
            .map_err(|p| match p {
                BodyProblem::TooLarge => ApiError::PayloadTooLarge {
                    limit: state.max_body_bytes(),
                },
                BodyProblem::TimedOut => ApiError::RequestTimeout,
                BodyProblem::Malformed(m) => ApiError::MalformedJson(m),
                BodyProblem::TooDeep => state.too_deep(),
                BodyProblem::At { path, message } => invalid(path, message),
            })
    }
}

/// Query parameters; problems are a 422 naming the parameter.
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        if let Some(param) = parts.uri.query().and_then(json_shape::nul_in_query) {
            return Err(invalid(format!("query.{param}"), json_shape::NUL_MESSAGE));
        }
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| QueryParams(v))
            .map_err(|e| invalid("query", e.body_text()))
    }
}
