//! The registry's request extractors: every way a request can be wrong
//! answers the JSON error envelope (issue 14, item 8: a body over the limit,
//! `%ff` in an id, `?since=abc` and a heartbeat without `Content-Type` were
//! plain text or undocumented).

use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tessera_layouts::http::BodyProblem;
use tessera_layouts::json_shape;

use crate::api::FieldError;
use crate::http::{ApiError, MAX_BODY_BYTES};

/// A JSON body, whatever its `Content-Type` says: bad JSON is 400, too big
/// 413, too slow 408; U+0000 in a string, or an array where an object is
/// expected, is a 422 naming where.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Serialize> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        tessera_layouts::http::read_json(req, state)
            .await
            .map(JsonBody)
            .map_err(|p| match p {
                BodyProblem::TooLarge => ApiError::PayloadTooLarge {
                    limit: MAX_BODY_BYTES,
                },
                BodyProblem::TimedOut => ApiError::RequestTimeout,
                BodyProblem::Malformed(m) => ApiError::MalformedJson(m),
                BodyProblem::TooDeep => ApiError::MalformedJson("the JSON nests too deeply".into()),
                BodyProblem::At { path, message } => ApiError::from(FieldError::new(path, message)),
            })
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
            return Err(ApiError::from(FieldError::new(
                format!("query.{param}"),
                json_shape::NUL_MESSAGE,
            )));
        }
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| QueryParams(v))
            .map_err(|e| ApiError::from(FieldError::new("query", e.body_text())))
    }
}
