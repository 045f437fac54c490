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

/// An answer: its status and JSON body (`Null` when empty or a stream; a
/// string when not JSON).
pub struct Resp {
    pub status: axum::http::StatusCode,
    pub body: Value,
}

impl Resp {
    /// The status must be `want`; the message shows the body. Returns the body.
    pub fn expect(self, want: u16, why: &str) -> Value {
        assert_eq!(self.status.as_u16(), want, "{why}: {}", self.body);
        self.body
    }
}

/// Sends one request through `router` in-process and reads the answer. A
/// Server-Sent Events stream never ends, so its status alone is the answer.
pub async fn call(
    router: &axum::Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<String>,
) -> Resp {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let resp = router
        .clone()
        .oneshot(request(method, uri, token, body))
        .await
        .expect("a router answers");
    let status = resp.status();
    let streaming = resp
        .headers()
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    if streaming {
        return Resp {
            status,
            body: Value::Null,
        };
    }
    let bytes = resp
        .into_body()
        .collect()
        .await
        .expect("a whole body")
        .to_bytes();
    Resp {
        status,
        body: json_of(&bytes),
    }
}

/// A router driven in-process with JSON bodies: what the route tests of
/// each crate wrap (their `App` derefs to it).
pub struct InProcess {
    pub router: axum::Router,
}

impl InProcess {
    pub async fn call(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        self.call_raw(method, uri, token, body.map(|b| b.to_string()))
            .await
    }

    /// As [`InProcess::call`], with the body as sent (malformed JSON, …).
    pub async fn call_raw(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<String>,
    ) -> Resp {
        call(&self.router, method, uri, token, body).await
    }

    pub async fn get(&self, uri: &str, token: &str) -> Resp {
        self.call("GET", uri, Some(token), None).await
    }
}
