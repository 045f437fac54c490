//! Serving the widget folder over HTTP on loopback.

use std::path::PathBuf;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::services::ServeDir;

/// `/healthz` plus the folder's files; hidden paths (`.git`, `.env`) are never served.
pub fn router(dir: PathBuf) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .fallback_service(ServeDir::new(dir).append_index_html_on_directories(false))
        .layer(middleware::from_fn(refuse_hidden))
}

async fn refuse_hidden(req: Request, next: Next) -> Response {
    let hidden = req
        .uri()
        .path()
        .split('/')
        .any(|seg| seg.starts_with('.') || seg.starts_with("%2e") || seg.starts_with("%2E"));
    if hidden {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    next.run(req).await
}
