//! The registry's HTTP surface: [`routes`] (with its body limit and the
//! "no such route" fallback), the state the handlers share ([`AppState`]),
//! the publisher's token as an extractor ([`Caller`]) and the registry's
//! failures as the server's one [`ApiError`]. The handlers are in the module
//! named for what they serve: `widgets` (the catalogue and its writes),
//! `watch` (the catalogue's event stream), `apps` (the FDC3 App Directory),
//! `ops` (health, metrics, the status page); the gateway's are in
//! [`crate::gateway`].

mod apps;
mod caller;
mod errors;
mod ops;
mod state;
mod watch;
mod widgets;

use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get, post};
use axum::Router;

pub use caller::Caller;
pub use state::{AppState, Background};
/// The server's one error type (and envelope), from `tessera-server-common`.
pub use tessera_server_common::ApiError;

// The handlers by name, for the OpenAPI document (`crate::openapi`).
pub(crate) use apps::*;
pub(crate) use watch::*;
pub(crate) use widgets::*;

/// Largest request body the server reads (a registration with its file manifest).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The registry's routes (widgets, their files and APIs through the
/// gateway, the App Directory, health, metrics, the status page), with its
/// body limit and the "no such route" fallback. The server
/// (`tessera-server`) mounts the layouts routes beside them and wraps the
/// whole in its layers.
pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/", get(ops::status_page))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/v1/widgets", get(list_widgets).post(register_widget))
        .route("/v1/widgets/watch", get(watch))
        .route(
            "/v1/widgets/{id}",
            get(get_widget).delete(deregister_widget),
        )
        .route("/v1/widgets/{id}/heartbeat", post(heartbeat))
        .route(
            "/v1/widgets/{id}/files/{*path}",
            get(crate::gateway::widget_file),
        )
        .route("/v1/widgets/{id}/api", any(crate::gateway::forward_api))
        .route(
            "/v1/widgets/{id}/api/{*rest}",
            any(crate::gateway::forward_api),
        )
        .route("/v2/apps", get(appd_all))
        .route("/v2/apps/{app_id}", get(appd_one))
        .fallback(|| async { ApiError::NotFound("no such route".into()) })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}
