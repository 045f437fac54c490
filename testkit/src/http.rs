//! Requests to a router driven in-process (`tower::ServiceExt::oneshot`),
//! as the route tests of the registry and the layouts crate make them.

use axum::body::{Body, Bytes};
use axum::http::Request;
use serde_json::Value;

/// `method uri`, with `Authorization: Bearer token` and a JSON `body` when given.
pub fn request(
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<String>,
) -> Request<Body> {
    let mut req = Request::builder().method(method).uri(uri);
    if body.is_some() {
        req = req.header("content-type", "application/json");
    }
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    req.body(body.map(Body::from).unwrap_or_else(Body::empty))
        .expect("a well-formed test request")
}

/// A response body as JSON: `Null` when empty, a string when it is not JSON.
pub fn json_of(bytes: &Bytes) -> Value {
    if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into()))
    }
}
