//! Serving the widget folder over HTTP on loopback, and its backend under `/api`.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::files;

/// `/healthz`, the folder's files, and (with a backend) `/api/*` forwarded to it.
/// Only what [`files::servable`] allows is served: regular files inside the
/// folder, reached through no symbolic link; hidden paths (`.git`, `.env`),
/// `node_modules` and `sidecar.toml` never.
pub fn router(dir: PathBuf, backend: Option<url::Url>) -> Router {
    let mut router = Router::new().route("/healthz", get(|| async { "ok" }));
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
    router.fallback(serve_file).with_state(Arc::new(dir))
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

/// Headers that describe one connection, not the message (RFC 9110 §7.6.1).
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

fn end_to_end(
    headers: &HeaderMap,
) -> impl Iterator<Item = (&HeaderName, &axum::http::HeaderValue)> {
    // Headers named in `Connection` are hop-by-hop too.
    let named: Vec<String> = headers
        .get_all("connection")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(',').map(|s| s.trim().to_ascii_lowercase()))
        .collect();
    headers.iter().filter(move |(name, _)| {
        let n = name.as_str();
        !HOP_BY_HOP.contains(&n) && n != "host" && !named.iter().any(|x| x == n)
    })
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
