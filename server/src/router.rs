//! The server's one router: the registry's routes and the layouts' side by
//! side, the server-wide layers around them (metrics, the request span,
//! 405 in the envelope), and the OpenAPI document of the whole; served on
//! one listener with the connection limits.

use std::future::Future;
use std::time::Duration;

use axum::routing::get;
use axum::{middleware, Json, Router};
use tessera_registry::http::{ApiError, AppState};
use tokio::net::TcpListener;

/// Every route of the server: the registry's, and the layouts service's
/// when the state has one (`AppState::with_layouts`).
pub fn router(state: AppState) -> Router {
    let registry = tessera_registry::http::routes(state.clone())
        .route("/openapi.json", get(|| async { Json(openapi()) }));
    // The layouts routes carry their own body limit (documents up to 1 MiB).
    let app = match &state.layouts {
        Some(layouts) => tessera_layouts::router(layouts.clone()).merge(registry),
        None => registry,
    };
    app.method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(middleware::from_fn_with_state(
            state.metrics.clone(),
            tessera_registry::metrics::track,
        ))
        .layer(tessera_server_common::trace::layer())
}

/// The server's OpenAPI document: the registry's routes and, merged in,
/// the layouts and users routes (tags `layouts`, `users`; security scheme
/// `user_token`). Names already in the registry's would be kept, theirs
/// dropped: a test checks there are no such clashes.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = tessera_registry::openapi::document();
    doc.merge(tessera_layouts::openapi());
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
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let _background = state.spawn_background();
    let limits = state.config.connections.clone();
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
