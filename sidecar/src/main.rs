//! `tessera-sidecar`: glue between the widget folder, the HTTP server and the registry.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use tessera_registry::client::RegistryClient;
use tessera_sidecar::config::{Overrides, SidecarConfig};
use tessera_sidecar::manifest::ManifestError;
use tessera_sidecar::{agent, manifest, registration, scaffold, serve, watch};
use tracing_subscriber::EnvFilter;

/// Exit codes (documented in --help).
const EXIT_RUNTIME: u8 = 1;
const EXIT_MANIFEST: u8 = 2;
const EXIT_REFUSED: u8 = 3;

#[derive(Parser)]
#[command(
    name = "tessera-sidecar",
    version,
    about = "Runs beside one Tessera widget: serves its folder and keeps its registry entry true",
    after_help = "Exit codes: 0 stopped cleanly (SIGINT/SIGTERM), 1 runtime error, 2 invalid widget \
manifest, 3 registration refused (token, publisher or tag).\n\n\
Settings: flags > TESSERA_* environment > sidecar.toml (--config, or ~/.config/tessera/sidecar.toml).\n\
Token: --token, --token-file, the config file, or the embedded registry's local publisher token.\n\n\
Examples:\n  tessera-sidecar init my-widget\n  tessera-sidecar init my-widget --template lit\n  tessera-sidecar check my-widget\n  \
tessera-sidecar run my-widget\n  TESSERA_TOKEN_FILE=acme.token tessera-sidecar run . --registry http://127.0.0.1:7410"
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
        #[command(flatten)]
        settings: Box<Settings>,
    },
    /// Validate DIR's widget.toml and files without registering (for CI).
    Check {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Create a widget folder NAME that `run` serves straight away.
    Init {
        /// Lowercase name, e.g. price-board.
        name: String,
        /// Publisher part of the id; "local" works with the embedded registry.
        #[arg(long, default_value = "local")]
        publisher: String,
        /// What the widget is written with: a plain module, or an npm project
        /// (Lit, or Svelte compiled to a custom element) built into one.
        #[arg(long, value_enum, default_value_t = scaffold::Template::Vanilla)]
        template: scaffold::Template,
    },
}

#[derive(Args)]
struct Settings {
    /// The registry server's URL [default: http://127.0.0.1:7410].
    #[arg(long, env = "TESSERA_REGISTRY_URL")]
    registry: Option<String>,
    /// The publisher token (prefer --token-file: command lines are visible to others).
    #[arg(long, env = "TESSERA_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// A file holding the publisher token.
    #[arg(long, env = "TESSERA_TOKEN_FILE")]
    token_file: Option<PathBuf>,
    /// Port to serve the folder on, on loopback [default: 0, a free one].
    #[arg(long, env = "TESSERA_SIDECAR_PORT", conflicts_with = "listen")]
    port: Option<u16>,
    /// Address to serve on, e.g. 0.0.0.0:8080 in a cluster [default: 127.0.0.1:0].
    /// Only the server can use it: every request needs this sidecar's key.
    #[arg(long, env = "TESSERA_SIDECAR_LISTEN")]
    listen: Option<SocketAddr>,
    /// The URL the server reaches this sidecar at, e.g.
    /// http://price-chart.widgets.svc:8080/ [default: http://<listen address>/].
    #[arg(long, env = "TESSERA_SIDECAR_ADVERTISE")]
    advertise: Option<url::Url>,
    /// A file holding the key the server must present [default: a new random key per start].
    #[arg(long, env = "TESSERA_SIDECAR_KEY_FILE")]
    key_file: Option<PathBuf>,
    /// Where the widget's backend runs on this machine, instead of the URL in
    /// its manifest's `backend` (the same rule: http://127.0.0.1:PORT).
    #[arg(long, env = "TESSERA_SIDECAR_BACKEND", value_parser = manifest::backend_url)]
    backend: Option<url::Url>,
    /// sidecar.toml to read [default: ~/.config/tessera/sidecar.toml if present].
    #[arg(long, env = "TESSERA_SIDECAR_CONFIG")]
    config: Option<PathBuf>,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("TESSERA_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { dir } => check(&dir),
        Command::Init {
            name,
            publisher,
            template,
        } => scaffold::init(
            &std::env::current_dir().unwrap_or_default(),
            &name,
            &publisher,
            template,
        )
        .map(|dir| match template {
            scaffold::Template::Vanilla => println!(
                "created {}: run `tessera-sidecar run {}` to publish it",
                dir.display(),
                dir.display()
            ),
            _ => println!(
                "created {}: build it with `cd {} && npm install && npm run build`, then \
                 `tessera-sidecar run .` to publish it (its README says more)",
                dir.display(),
                dir.display()
            ),
        })
        .map_err(|e| (EXIT_RUNTIME, e)),
        Command::Run { dir, settings } => {
            let settings = *settings;
            let network = Network {
                listen: settings.listen,
                advertise: settings.advertise,
                key_file: settings.key_file,
                backend: settings.backend,
            };
            let overrides = Overrides {
                registry: settings.registry,
                token: settings.token,
                token_file: settings.token_file,
                port: settings.port,
                config: settings.config,
            };
            tokio::runtime::Runtime::new()
                .expect("tokio runtime starts")
                .block_on(run(dir, overrides, network))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, err)) => {
            eprintln!("tessera-sidecar: {err:#}");
            ExitCode::from(code)
        }
    }
}

type Failure = (u8, anyhow::Error);

fn classify(e: anyhow::Error) -> Failure {
    if e.downcast_ref::<ManifestError>().is_some() {
        (EXIT_MANIFEST, e)
    } else {
        (EXIT_RUNTIME, e)
    }
}

fn check(dir: &std::path::Path) -> Result<(), Failure> {
    let reg = registration(dir, "http://127.0.0.1/").map_err(classify)?;
    println!(
        "{}: ok ({} {}, {} files)",
        dir.display(),
        reg.id,
        reg.version,
        reg.files.len()
    );
    Ok(())
}

/// How long a stopping sidecar keeps trying to deregister (well inside the
/// 30 s a container gets between SIGTERM and SIGKILL).
const DEREGISTER_BUDGET: Duration = Duration::from_secs(5);

/// Where the sidecar listens, what it advertises, and its key.
struct Network {
    listen: Option<SocketAddr>,
    advertise: Option<url::Url>,
    key_file: Option<PathBuf>,
    /// Where the backend runs, instead of the manifest's URL.
    backend: Option<url::Url>,
}

fn read_key(path: &std::path::Path) -> anyhow::Result<String> {
    let key = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("{}: cannot read the sidecar key: {e}", path.display()))?
        .trim()
        .to_owned();
    anyhow::ensure!(
        (32..=128).contains(&key.len())
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')),
        "{}: the sidecar key must be 32 to 128 characters of A-Z, a-z, 0-9, '-' and '_'",
        path.display()
    );
    Ok(key)
}

async fn run(dir: PathBuf, overrides: Overrides, network: Network) -> Result<(), Failure> {
    let runtime = |e: anyhow::Error| (EXIT_RUNTIME, e);
    let shutdown = shutdown_signal()
        .map_err(|e| runtime(anyhow::anyhow!("cannot handle SIGINT/SIGTERM: {e}")))?;
    let manifest = manifest::load(&dir).map_err(|e| (EXIT_MANIFEST, e.into()))?;
    let config = SidecarConfig::resolve(&overrides).map_err(runtime)?;
    let mut client = RegistryClient::new(&config.registry).map_err(|e| runtime(e.into()))?;
    match &config.token {
        Some(t) => client = client.with_token(t.clone()),
        None => {
            tracing::warn!("no publisher token found; the registry will refuse the registration")
        }
    }
    tracing::debug!(source = %config.token_source, "token source");

    let key = match &network.key_file {
        Some(p) => read_key(p).map_err(runtime)?,
        None => serve::new_key(),
    };
    let addr = network
        .listen
        .unwrap_or_else(|| SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), config.port));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| runtime(anyhow::anyhow!("cannot listen on {addr}: {e}")))?;
    let bound = listener.local_addr().map_err(|e| runtime(e.into()))?;
    let base_url = match &network.advertise {
        Some(u) => {
            let mut u = u.clone();
            if !u.path().ends_with('/') {
                let p = format!("{}/", u.path());
                u.set_path(&p);
            }
            u.to_string()
        }
        None if bound.ip().is_unspecified() => {
            return Err(runtime(anyhow::anyhow!(
                "listening on {bound}: give --advertise URL, the address the server reaches this sidecar at"
            )))
        }
        None => format!("http://{bound}/"),
    };
    let keyed = |reg: anyhow::Result<tessera_registry::api::WidgetRegistration>| {
        reg.map(|mut r| {
            r.key = Some(key.clone());
            r
        })
    };
    let first = keyed(registration(&dir, &base_url)).map_err(classify)?;
    let widget_id = first.id.clone();
    let access = serve::Access::new(key.clone(), widget_id.clone());
    let (regs_tx, regs_rx) = tokio::sync::watch::channel(first);

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut server_stop = stop_rx.clone();
    let backend = match (&network.backend, manifest.backend_url()) {
        (Some(given), Some(_)) => Some(given.clone()),
        (Some(_), None) => {
            return Err(runtime(anyhow::anyhow!(
                "--backend: {}/widget.toml names no backend, so the widget makes no api/ calls to forward",
                dir.display()
            )))
        }
        (None, declared) => declared,
    };
    let app = serve::router(dir.clone(), backend, access.clone());
    // Small answers go out at once: without TCP_NODELAY each response waited
    // for the peer's delayed ACK (~40 ms a file; 308 ms for a 50-file widget).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = server_stop.wait_for(|s| *s).await;
            })
            .await
    });

    // File changes: re-hash and offer a new revision; a broken edit keeps the old one.
    let (changed_tx, mut changed_rx) = tokio::sync::mpsc::unbounded_channel();
    let _watcher = watch::watch(&dir, Duration::from_millis(250), changed_tx)
        .map_err(|e| runtime(anyhow::anyhow!("cannot watch {}: {e}", dir.display())))?;
    let watch_dir = dir.clone();
    let watch_base = base_url.clone();
    let watch_key = key.clone();
    tokio::spawn(async move {
        while changed_rx.recv().await.is_some() {
            let reg = registration(&watch_dir, &watch_base).map(|mut r| {
                r.key = Some(watch_key.clone());
                r
            });
            match reg {
                Ok(reg) => {
                    regs_tx.send_if_modified(|cur| {
                        let changed = *cur != reg;
                        if changed {
                            tracing::info!("files changed; registering a new revision");
                            *cur = reg.clone();
                        }
                        changed
                    });
                }
                Err(e) => tracing::error!("not re-registering: {e:#}"),
            }
        }
    });

    let outcome = agent::run(
        &client,
        regs_rx,
        |r| {
            // One line on stdout per registration, for scripts and tests.
            println!(
                "tessera-sidecar: {} registered (revision {}), serving {}",
                r.widget.id, r.widget.revision, r.widget.base_url
            );
        },
        shutdown,
    )
    .await;
    let result = match outcome {
        Ok(Some(instance)) => {
            deregister(&client, &widget_id, &instance, DEREGISTER_BUDGET).await;
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(refused) => Err((EXIT_REFUSED, anyhow::Error::new(refused))),
    };
    let _ = stop_tx.send(true);
    let _ = tokio::time::timeout(Duration::from_millis(300), server).await;
    let (served, refused) = access.counts();
    // One line for operators and tests: did anyone but the server knock?
    eprintln!(
        "tessera-sidecar: served {served} requests with the key, refused {refused} without it"
    );
    result
}

/// Installs the SIGINT and SIGTERM handlers now (not when first awaited, so
/// a signal during the first registration is not fatal) and resolves on
/// either.
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut int = signal(SignalKind::interrupt())?;
    let mut term = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = int.recv() => {},
            _ = term.recv() => {},
        }
    })
}

/// Deregisters within `budget`, retrying while the registry is slow or
/// briefly unreachable (issue 14, item 9: 500 ms was lost under load and the
/// entry stayed until it expired).
async fn deregister(client: &RegistryClient, widget_id: &str, instance: &str, budget: Duration) {
    let deadline = tokio::time::Instant::now() + budget;
    let mut pause = Duration::from_millis(100);
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match tokio::time::timeout(left, client.deregister(widget_id, Some(instance))).await {
            Ok(Ok(())) => {
                tracing::info!(widget = %widget_id, "deregistered");
                return;
            }
            Ok(Err(e)) if e.status().is_some_and(|s| s.is_client_error()) => {
                tracing::warn!(widget = %widget_id, error = %e, "deregistration refused");
                return;
            }
            Ok(Err(e)) => {
                tracing::debug!(widget = %widget_id, error = %e, "deregistration failed; retrying")
            }
            Err(_) => {}
        }
        if tokio::time::Instant::now() + pause >= deadline {
            tracing::warn!(widget = %widget_id, "deregistration did not complete within {budget:?}; the entry will expire");
            return;
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(1));
    }
}
