//! `tessera-market-data`: the example market-data backend (see the crate docs).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use tessera_market_data::{http, market::Market};

/// Deterministic synthetic market data for the example widgets.
#[derive(Debug, Parser)]
#[command(name = "tessera-market-data", version)]
struct Args {
    /// Where to listen (loopback: its widgets' sidecars forward to it).
    #[arg(
        long,
        env = "TESSERA_MARKET_DATA_LISTEN",
        default_value = "127.0.0.1:7420"
    )]
    listen: SocketAddr,
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let market = Arc::new(Market::new(now()));
    let ticker = market.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(1));
        loop {
            every.tick().await;
            ticker.advance(now());
        }
    });
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| {
            anyhow::anyhow!("tessera-market-data: cannot listen on {}: {e}", args.listen)
        })?;
    // On stdout, for scripts and tests that start it on port 0; logs go to stderr.
    println!(
        "tessera-market-data listening on http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, http::router(market))
        .with_graceful_shutdown(async {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("SIGTERM handler");
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        })
        .await?;
    Ok(())
}
