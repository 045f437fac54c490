//! What the server's typed clients share (the registry's, used by the
//! sidecar and the shell, and the layouts service's, used by the shell):
//! one error, a refusal read as the server's error envelope, and answers
//! read with a size bound.

use reqwest::{RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;

use crate::capped::read_capped;
use crate::error::ErrorBody;

/// The largest error body read: an envelope is a few hundred bytes.
const MAX_ERROR_BYTES: usize = 64 * 1024;

/// Why a call to the server failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("the server URL {url:?} is not valid: {message}")]
    BadUrl { url: String, message: String },
    #[error("no user token: set TESSERA_USER_TOKEN or TESSERA_USER_TOKEN_FILE (the embedded server writes ~/.local/share/tessera/local-user.token)")]
    NoToken,
    #[error("could not reach the server at {url}: {source}")]
    Unreachable {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    /// The server refused: its status and its error envelope (one made up
    /// from the status when the body is not an envelope).
    #[error("{} ({}, HTTP {status})", body.message, body.code)]
    Refused { status: u16, body: ErrorBody },
    /// The server answered with something that is not what the route
    /// returns, or with more than the client reads.
    #[error("the server's answer to {what} was not understood: {message}")]
    Decode { what: String, message: String },
}

impl ClientError {
    /// The status the server refused with, if it answered and refused.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ClientError::Refused { status, .. } => StatusCode::from_u16(*status).ok(),
            _ => None,
        }
    }
}

/// Sends `req` to the server at `base` (named in errors); a status other
/// than 2xx becomes [`ClientError::Refused`].
pub async fn send(req: RequestBuilder, base: &str) -> Result<Response, ClientError> {
    let resp = req
        .send()
        .await
        .map_err(|source| ClientError::Unreachable {
            url: base.to_owned(),
            source,
        })?;
    let status = resp.status();
    if status.is_success() {
        return Ok(resp);
    }
    let bytes = read_capped(resp, MAX_ERROR_BYTES).await.unwrap_or_default();
    let body = serde_json::from_slice::<ErrorBody>(&bytes).unwrap_or_else(|_| {
        let text: String = String::from_utf8_lossy(&bytes).chars().take(200).collect();
        ErrorBody {
            code: "error".into(),
            message: if text.trim().is_empty() {
                format!("the server refused the request (HTTP {status})")
            } else {
                format!(
                    "the server refused the request (HTTP {status}): {}",
                    text.trim()
                )
            },
            field: None,
            current_version: None,
        }
    });
    Err(ClientError::Refused {
        status: status.as_u16(),
        body,
    })
}

/// Reads an answer of at most `limit` bytes; `what` names the request in errors.
pub async fn read_bytes(resp: Response, limit: usize, what: &str) -> Result<Vec<u8>, ClientError> {
    read_capped(resp, limit)
        .await
        .map_err(|message| ClientError::Decode {
            what: what.to_owned(),
            message,
        })
}

/// Reads a JSON answer of at most `limit` bytes as `T`.
pub async fn read_json<T: DeserializeOwned>(
    resp: Response,
    limit: usize,
    what: &str,
) -> Result<T, ClientError> {
    let bytes = read_bytes(resp, limit, what).await?;
    serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode {
        what: what.to_owned(),
        message: e.to_string(),
    })
}
