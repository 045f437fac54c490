//! `tessera-sidecar`: glue between the widget folder, the HTTP server and the registry.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tessera_registry::api::WidgetRegistration;
use tessera_registry::client::RegistryClient;
use tessera_sidecar::{files, manifest, serve};
use tracing_subscriber::EnvFilter;

/// Exit codes (documented in --help).
const EXIT_MANIFEST: u8 = 2;
const EXIT_RUNTIME: u8 = 1;

#[derive(Parser)]
#[command(
    name = "tessera-sidecar",
    version,
    about = "Runs beside one Tessera widget: serves its folder and registers it",
    after_help = "Exit codes: 0 stopped cleanly, 1 runtime error, 2 invalid widget manifest.\n\n\
Examples:\n  tessera-sidecar run widgets/greeting\n  tessera-sidecar check .\n  \
tessera-sidecar run . --registry http://127.0.0.1:7410 --port 8081"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate, serve and register the widget in DIR until stopped.
    Run {
        /// The widget folder holding widget.toml.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The registry server's URL.
        #[arg(
            long,
            env = "TESSERA_REGISTRY_URL",
            default_value = "http://127.0.0.1:7410"
        )]
        registry: String,
        /// Port to serve the folder on (0 picks a free one).
        #[arg(long, env = "TESSERA_SIDECAR_PORT", default_value_t = 0)]
        port: u16,
    },
    /// Validate DIR's widget.toml and files without registering.
    Check {
        #[arg(default_value = ".")]
        dir: PathBuf,
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
    match cli.command {
        Command::Check { dir } => match load(&dir) {
            Ok((reg, _)) => {
                println!(
                    "{}: ok ({} {}, {} files)",
                    dir.display(),
                    reg.id,
                    reg.version,
                    reg.files.len()
                );
                ExitCode::SUCCESS
            }
            Err(code_and_err) => fail(code_and_err),
        },
        Command::Run {
            dir,
            registry,
            port,
        } => {
            let rt = tokio::runtime::Runtime::new().expect("tokio runtime starts");
            match rt.block_on(run(dir, registry, port)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            }
        }
    }
}

fn fail((code, err): (u8, anyhow::Error)) -> ExitCode {
    eprintln!("tessera-sidecar: {err:#}");
    ExitCode::from(code)
}

/// The registration for DIR, minus the base URL, which is known once serving.
fn load(dir: &std::path::Path) -> Result<(WidgetRegistration, PathBuf), (u8, anyhow::Error)> {
    let m = manifest::load(dir).map_err(|e| (EXIT_MANIFEST, e.into()))?;
    let files = files::hash_folder(dir)
        .with_context(|| format!("hashing the files of {}", dir.display()))
        .map_err(|e| (EXIT_RUNTIME, e))?;
    let reg = WidgetRegistration {
        id: m.id,
        title: m.title,
        version: m.version,
        tag: m.tag,
        entry: m.entry,
        description: m.description,
        icon: m.icon,
        base_url: String::new(),
        files,
        interop: m.interop,
    };
    Ok((reg, dir.to_path_buf()))
}

async fn run(dir: PathBuf, registry: String, port: u16) -> Result<(), (u8, anyhow::Error)> {
    let (mut reg, dir) = load(&dir)?;
    let runtime = |e: anyhow::Error| (EXIT_RUNTIME, e);
    let client = RegistryClient::new(&registry).map_err(|e| runtime(e.into()))?;
    let addr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))
        .map_err(runtime)?;
    let local = listener.local_addr().map_err(|e| runtime(e.into()))?;
    reg.base_url = format!("http://{local}/");

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut server_stop = stop_rx.clone();
    let server = tokio::spawn(async move {
        axum::serve(listener, serve::router(dir))
            .with_graceful_shutdown(async move {
                let _ = server_stop.wait_for(|s| *s).await;
            })
            .await
    });

    let registered = tokio::select! {
        r = register_until_accepted(&client, &reg) => Some(r.map_err(runtime)?),
        () = shutdown_signal() => None,
    };
    if let Some(revision) = registered {
        // One line on stdout that scripts and tests wait for.
        println!(
            "tessera-sidecar: {} registered (revision {revision}), serving {}",
            reg.id, reg.base_url
        );
        shutdown_signal().await;
        match client.deregister(&reg.id).await {
            Ok(()) => tracing::info!(widget = %reg.id, "deregistered"),
            Err(e) => tracing::warn!(widget = %reg.id, error = %e, "deregistration failed"),
        }
    }
    let _ = stop_tx.send(true);
    let _ = tokio::time::timeout(Duration::from_secs(1), server).await;
    Ok(())
}

/// Registers, retrying with backoff while the registry is unreachable. A
/// refusal (4xx) is final: retrying would only repeat it.
async fn register_until_accepted(
    client: &RegistryClient,
    reg: &WidgetRegistration,
) -> anyhow::Result<i64> {
    let mut delay = Duration::from_millis(100);
    let mut warned = false;
    loop {
        match client.register(reg).await {
            Ok(w) => return Ok(w.revision),
            Err(e) if e.status().is_some_and(|s| s.is_client_error()) => {
                return Err(anyhow::Error::new(e).context(format!("registering {}", reg.id)));
            }
            Err(e) => {
                if !warned {
                    tracing::warn!(error = %e, "registry unavailable; retrying");
                    warned = true;
                }
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(5));
            }
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
