//! Start-up glue: bind, serve until shutdown.

use std::future::Future;
use std::time::Duration;

use tokio::net::TcpListener;

use crate::http::{router, AppState};

/// Serves the router on an already bound listener until `shutdown`
/// resolves, with the background tasks (event pump, liveness) running.
/// Tests bind port 0 and pass the listener in.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let _background = state.spawn_background();
    let limits = state.config.connections.clone();
    crate::conns::serve(
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
