//! The registry's request extractors: every way a request can be wrong
//! answers the JSON error envelope (issue 14, item 8: a body over the limit,
//! `%ff` in an id, `?since=abc` and a heartbeat without `Content-Type` were
//! plain text or undocumented).

use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tessera_layouts::json_shape;

use crate::api::FieldError;
use crate::http::ApiError;

const NUL: &str = "contains the character U+0000 (NUL), which cannot be stored; remove it";

/// A JSON body, whatever its `Content-Type` says: bad JSON is 400, too big
/// 413, too slow 408; U+0000 in a string, or an array where an object is
/// expected, is a 422 naming where.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Serialize> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge
                } else if tessera_layouts::http::body_timed_out(&e) {
                    ApiError::RequestTimeout
                } else {
                    ApiError::MalformedJson(e.body_text())
                }
            })?;
        let typed: T = serde_json::from_slice(&bytes).map_err(|e| {
            ApiError::MalformedJson(format!("the body is not the JSON expected: {e}"))
        })?;
        if let Some(at) = json_shape::nul_character(&bytes) {
            return Err(ApiError::Invalid(FieldError::new(at, NUL)));
        }
        if let Some(at) = json_shape::array_for_object(&bytes, &typed) {
            return Err(ApiError::Invalid(FieldError::new(
                at,
                "is an array, but a JSON object with named fields is expected here",
            )));
        }
        Ok(JsonBody(typed))
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

/// Query parameters; problems are a 422 naming the parameter.
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        if let Some(param) = parts.uri.query().and_then(json_shape::nul_in_query) {
            return Err(ApiError::Invalid(FieldError::new(
                format!("query.{param}"),
                NUL,
            )));
        }
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| QueryParams(v))
            .map_err(|e| ApiError::Invalid(FieldError::new("query", e.body_text())))
    }
}
