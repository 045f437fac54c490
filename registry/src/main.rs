//! `tessera-registry`: the server binary. Glue only; behaviour is in the library.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tessera_registry::{config, http::AppState, server, store};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "tessera-registry",
    version,
    about = "Tessera's widget registry server"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the registry API.
    ///
    /// Examples:
    ///   tessera-registry serve
    ///   tessera-registry serve --listen 127.0.0.1:0 --database-url postgres://localhost/tessera
    Serve {
        /// Address to listen on; port 0 picks a free port (printed on start).
        #[arg(long, env = "TESSERA_LISTEN", default_value_t = config::default_listen())]
        listen: SocketAddr,
        /// sqlite://PATH or postgres://…; default: a SQLite file under the user's data directory.
        #[arg(long, env = "TESSERA_DATABASE_URL")]
        database_url: Option<String>,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("TESSERA_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let rt = tokio::runtime::Runtime::new().expect("tokio runtime starts");
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tessera-registry: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve {
            listen,
            database_url,
        } => {
            let url = match database_url {
                Some(u) => u,
                None => config::default_database_url()?,
            };
            let store = store::connect(&url)
                .await
                .map_err(|e| anyhow::anyhow!("opening the database: {e}"))?;
            let listener = tokio::net::TcpListener::bind(listen)
                .await
                .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
            let addr = listener.local_addr()?;
            // One line on stdout that scripts and tests wait for.
            println!("tessera-registry listening on http://{addr}");
            tracing::info!(%addr, engine = engine(&url), "registry serving");
            server::serve(listener, AppState { store }, server::shutdown_signal()).await?;
            tracing::info!("registry stopped");
            Ok(())
        }
    }
}

fn engine(url: &str) -> &'static str {
    if url.starts_with("sqlite:") {
        "sqlite"
    } else {
        "postgres"
    }
}
