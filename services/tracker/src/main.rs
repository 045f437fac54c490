//! `tessera-tracker`: the tracker widget's backend (see the crate docs).

use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context;
use clap::{Parser, Subcommand};
use tessera_tracker::{http, recorder::Recorder, seed, store::Store};

/// Records tracking-pixel hits and answers the tracker widget's queries.
#[derive(Debug, Parser)]
#[command(name = "tessera-tracker", version)]
struct Cli {
    /// sqlite://PATH or postgres://…; default: tracker.db in Tessera's data folder.
    #[arg(long, env = "TESSERA_TRACKER_DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// Where to listen (loopback: the tracker widget's sidecar forwards to it).
    #[arg(long, env = "TESSERA_TRACKER_LISTEN", default_value = "127.0.0.1:7430")]
    listen: SocketAddr,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Stores synthetic hits (a demo's history, a benchmark's million) and exits.
    Seed {
        #[arg(long, default_value_t = 100_000)]
        hits: usize,
        /// Spread over this many days up to now.
        #[arg(long, default_value_t = 7)]
        days: i64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

fn default_database_url() -> anyhow::Result<String> {
    let dir = dirs::data_dir()
        .context("no data folder (set HOME or XDG_DATA_HOME, or pass --database-url)")?
        .join("tessera");
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create data folder {}", dir.display()))?;
    Ok(format!("sqlite://{}", dir.join("tracker.db").display()))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let url = match cli.database_url {
        Some(u) => u,
        None => default_database_url()?,
    };
    let store = Store::connect(&url).await.context("opening the database")?;
    if let Some(Command::Seed { hits, days, seed }) = cli.command {
        let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis() as i64;
        seed::seed(&store, hits, days, now, seed).await?;
        println!("stored {hits} hits over {days} days ({})", store.engine());
        return Ok(());
    }
    let recorder = Recorder::start(store).await?;
    let listener = tokio::net::TcpListener::bind(cli.listen)
        .await
        .with_context(|| format!("tessera-tracker: cannot listen on {}", cli.listen))?;
    // On stdout, for scripts and tests that start it on port 0; logs go to stderr.
    println!(
        "tessera-tracker listening on http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, http::router(recorder))
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
