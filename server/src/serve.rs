//! `serve`: the one database, the embedded defaults a newcomer needs, the
//! purge loop of the layouts bin, and the router of both parts on one
//! listener.

use std::time::Duration;

use anyhow::Context;
use tessera_registry::config::{self, ServerConfig};
use tessera_registry::http::AppState;

use crate::router::ServerState;
use crate::{admin, database};

/// Serves until SIGINT or SIGTERM; `program` names the server in the line
/// scripts wait for.
pub async fn serve(program: &str, config: ServerConfig) -> anyhow::Result<()> {
    let (db, embedded) = database::open(config.database_url.as_deref()).await?;
    let store = database::registry(&db).await?;
    let accounts = database::accounts(&db).await?;
    let layouts = database::layouts(&db).await?;
    if embedded {
        // A newcomer needs no set-up: a local publisher whose token the
        // sidecar finds on its own, and a local user for layouts.
        let path = config::local_token_file()?;
        admin::ensure_token_file(&store, "local", &path, true).await?;
        let user_token = config::data_dir()?.join("local-user.token");
        tessera_accounts::ensure_local_user(&*accounts, &user_token).await?;
        tracing::info!(token_file = %path.display(), user_token_file = %user_token.display(), "embedded default: publisher and user \"local\" ready");
    }
    // Layouts in the bin for more than 30 days go for good.
    let purge_store = layouts.clone();
    tokio::spawn(async move {
        let mut hourly = tokio::time::interval(Duration::from_secs(3600));
        loop {
            hourly.tick().await;
            match tessera_layouts::purge_expired(&*purge_store, chrono::Utc::now()).await {
                Ok(gone) if !gone.is_empty() => {
                    tracing::info!(count = gone.len(), "purged deleted layouts")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "purging deleted layouts failed"),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let engine = db.engine();
    let accounts = tessera_accounts::Accounts::new(accounts);
    let state = ServerState::from(AppState::new(store, config.clone()).await?)
        .with_layouts(tessera_layouts::LayoutsState::new(layouts, accounts));
    // One line on stdout that scripts and tests wait for.
    println!("{program} listening on http://{addr}");
    tracing::info!(%addr, engine, ttl_ms = config.ttl().as_millis() as u64, "server serving");
    crate::router::serve_on(listener, state, crate::router::shutdown_signal()).await?;
    tracing::info!("server stopped");
    Ok(())
}
