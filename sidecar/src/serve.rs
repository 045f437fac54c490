//! Serving the widget folder over HTTP, and its backend under `/api`, to
//! the Tessera server only: every request but `/healthz` must carry the
//! sidecar's key ([`Access`]), which only the server learns (at
//! registration). A sidecar listening beyond loopback is no open door.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use tessera_registry::api::SIDECAR_KEY_HEADER;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::files;

/// Who may ask this sidecar for anything: holders of its key.
pub struct Access {
    key: String,
    widget_id: String,
    served: AtomicU64,
    refused: AtomicU64,
}

impl Access {
    pub fn new(key: String, widget_id: String) -> Arc<Access> {
        Arc::new(Access {
            key,
            widget_id,
            served: AtomicU64::new(0),
            refused: AtomicU64::new(0),
        })
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    /// Requests answered with the key, and refused without it.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.served.load(Ordering::Relaxed),
            self.refused.load(Ordering::Relaxed),
        )
    }

    fn admits(&self, offered: Option<&[u8]>) -> bool {
        // Compared in constant time: the key is a secret.
        offered.is_some_and(|o| {
            o.len() == self.key.len()
                && o.iter()
                    .zip(self.key.as_bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
        })
    }
}

/// A fresh random key: 64 hex characters (256 bits).
pub fn new_key() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS random source works");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn require_key(State(access): State<Arc<Access>>, req: Request, next: Next) -> Response {
    if req.uri().path() == "/healthz" {
        return next.run(req).await;
    }
    if !access.admits(req.headers().get(SIDECAR_KEY_HEADER).map(|v| v.as_bytes())) {
        access.refused.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(path = %req.uri().path(), "request without the sidecar key refused");
        return (
            StatusCode::UNAUTHORIZED,
            "this sidecar answers only the Tessera server; ask the server for the widget's files\n",
        )
            .into_response();
    }
    access.served.fetch_add(1, Ordering::Relaxed);
    next.run(req).await
}

/// `/healthz` (open, for probes), `/__tessera/ping` (the server's check at
/// registration), the folder's files, and (with a backend) `/api/*`
/// forwarded to it; all but `/healthz` need the key.
/// Only what [`files::servable`] allows is served: regular files inside the
/// folder, reached through no symbolic link; hidden paths (`.git`, `.env`),
/// `node_modules` and `sidecar.toml` never.
pub fn router(dir: PathBuf, backend: Option<url::Url>, access: Arc<Access>) -> Router {
    let ping_access = access.clone();
    let mut router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/__tessera/ping",
            get(
                move || async move { Json(serde_json::json!({ "widget": ping_access.widget_id })) },
            ),
        );
    if let Some(backend) = backend {
        let proxy = Arc::new(Proxy {
            backend,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("a plain reqwest client builds"),
        });
        router = router
            .route("/api", any(forward).with_state(proxy.clone()))
            .route("/api/{*rest}", any(forward).with_state(proxy));
    }
    router
        .fallback(serve_file)
        .with_state(Arc::new(dir))
        .layer(axum::middleware::from_fn_with_state(access, require_key))
}

/// One of the widget's files, or 404 (the same answer whether the path is
/// absent, private or a link, so probing tells nothing).
async fn serve_file(State(dir): State<Arc<PathBuf>>, req: Request) -> Response {
    let raw = req.uri().path().trim_start_matches('/');
    let rel = percent_encoding::percent_decode_str(raw).decode_utf8();
    match rel.map(|rel| files::servable(&dir, &rel)) {
        Ok(Ok(path)) => match ServeFile::new(path).oneshot(req).await {
            Ok(resp) => resp.into_response(),
            Err(never) => match never {},
        },
        Ok(Err(refused)) => {
            tracing::debug!(reason = %refused, "file request refused");
            (StatusCode::NOT_FOUND, "not found").into_response()
        }
        Err(_) => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

struct Proxy {
    backend: url::Url,
    http: reqwest::Client,
}

/// The headers that go on to the backend (or back from it): never the key.
fn end_to_end(headers: &HeaderMap) -> Vec<(HeaderName, axum::http::HeaderValue)> {
    tessera_registry::hop::end_to_end(headers, &[SIDECAR_KEY_HEADER])
}

async fn forward(State(proxy): State<Arc<Proxy>>, req: Request) -> Response {
    let path = req.uri().path().strip_prefix("/api").unwrap_or_default();
    let mut target = proxy.backend.clone();
    target.set_path(&format!(
        "{}{}",
        proxy.backend.path().trim_end_matches('/'),
        if path.is_empty() { "/" } else { path }
    ));
    target.set_query(req.uri().query());
    let mut out = proxy.http.request(req.method().clone(), target.clone());
    for (name, value) in end_to_end(req.headers()) {
        out = out.header(name, value);
    }
    let body = reqwest::Body::wrap_stream(req.into_body().into_data_stream());
    match out.body(body).send().await {
        Ok(resp) => {
            let mut builder = Response::builder().status(resp.status());
            for (name, value) in end_to_end(resp.headers()) {
                builder = builder.header(name, value);
            }
            builder
                .body(Body::from_stream(resp.bytes_stream()))
                .unwrap_or_else(|_| StatusCode::BAD_GATEWAY.into_response())
        }
        Err(e) => {
            tracing::warn!(backend = %proxy.backend, error = %e, "backend unreachable");
            (
                StatusCode::BAD_GATEWAY,
                format!(
                    "the widget's backend at {} is not answering: {e}",
                    proxy.backend
                ),
            )
                .into_response()
        }
    }
}
