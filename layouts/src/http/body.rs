//! Reading a JSON request body by one set of rules for every route of the
//! server (the layouts routes here, the registry's through its own error
//! type): too big, too slow, not JSON, nested too deeply, U+0000 in a
//! string, or an array where an object is expected.

use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::json_shape;

/// What is wrong with a body; each server maps it to its error envelope.
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
            } else if super::body_timed_out(&e) {
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
