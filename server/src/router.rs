//! The server's one router: the registry's routes, the accounts' and the
//! layouts' side by side, the server-wide layers around them (metrics, the
//! request span, 405 in the envelope), and the OpenAPI document of the
//! whole; served on one listener with the connection limits.

use std::future::Future;
use std::time::Duration;

use axum::routing::get;
use axum::{middleware, Json, Router};
use tessera_layouts::LayoutsState;
use tessera_registry::http::{ApiError, AppState};
use tokio::net::TcpListener;

/// What the server's routes share: the registry's state and, when the
/// server has users, the layouts service with the accounts it signs them
/// in with (the registry's gateway signs in with the same accounts).
#[derive(Clone)]
pub struct ServerState {
    pub registry: AppState,
    pub layouts: Option<LayoutsState>,
}

impl ServerState {
    /// The layouts service, and its accounts, beside the registry: their
    /// users sign in to the gateway too, and every route is charged to the
    /// registry's rate limits.
    pub fn with_layouts(mut self, layouts: LayoutsState) -> ServerState {
        self.registry = self.registry.with_accounts(layouts.accounts().clone());
        self.layouts = Some(layouts);
        self
    }
}

/// A registry alone: no users, so no layouts, and a gateway that refuses.
impl From<AppState> for ServerState {
    fn from(registry: AppState) -> ServerState {
        ServerState {
            registry,
            layouts: None,
        }
    }
}

/// Every route of the server: the registry's and, when it has users, the
/// accounts' and the layouts service's.
pub fn router(state: impl Into<ServerState>) -> Router {
    let ServerState { registry, layouts } = state.into();
    let metrics = registry.metrics.clone();
    let mut app = tessera_registry::http::routes(registry)
        .route("/openapi.json", get(|| async { Json(openapi()) }));
    if let Some(layouts) = layouts {
        // Each part carries its own body limit (documents up to 1 MiB).
        app = app
            .merge(tessera_accounts::http::routes(layouts.accounts().clone()))
            .merge(tessera_layouts::router(layouts));
    }
    app.method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(middleware::from_fn_with_state(
            metrics,
            tessera_registry::metrics::track,
        ))
        .layer(tessera_server_common::trace::layer())
}

/// The server's OpenAPI document: the registry's routes and, merged in,
/// the layouts' (tag `layouts`) and the accounts' (tag `users`, security
/// scheme `user_token`). Names already in the document would be kept,
/// the newcomer's dropped: a test checks there are no such clashes.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = tessera_registry::openapi::document();
    doc.merge(tessera_layouts::openapi());
    doc.merge(tessera_accounts::http::openapi());
    doc.info.title = "Tessera server".to_owned();
    // The crate version, not the build's, so the snapshot is stable.
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc
}

/// Serves the router on an already bound listener until `shutdown`
/// resolves, with the registry's background tasks (event pump, liveness)
/// running. Tests bind port 0 and pass the listener in.
pub async fn serve_on(
    listener: TcpListener,
    state: impl Into<ServerState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = state.into();
    let _background = state.registry.spawn_background();
    let limits = state.registry.config.connections.clone();
    tessera_registry::conns::serve(
        listener,
        router(state),
        limits,
        shutdown,
        Duration::from_secs(5),
    )
    .await
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
