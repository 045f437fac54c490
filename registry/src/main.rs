//! `tessera-registry`: the server binary. Glue only; behaviour is in the library.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use tessera_registry::config::{self, ServerConfig};
use tessera_registry::store::{self, DynStore, StoreError};
use tessera_registry::{auth, http::AppState, server};
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
    ///   tessera-registry serve --config /etc/tessera/registry.toml
    Serve(ServeArgs),
    /// Manage publishers (the owners of widget ids).
    Publisher {
        #[command(subcommand)]
        command: PublisherCommand,
    },
    /// Create an admin token (status page off loopback, deregistering any widget).
    AdminToken {
        #[command(flatten)]
        db: DbArgs,
        /// A note stored with the token, e.g. who holds it.
        #[arg(long, default_value = "")]
        label: String,
    },
    /// Manage users (layout owners, editors and viewers).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage groups (departments, teams) that layouts can be shared with.
    Group {
        #[command(subcommand)]
        command: GroupCommand,
    },
    /// Print the commented example configuration file.
    DefaultConfig,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user and print their API token (shown once; only its hash is stored).
    ///
    /// Example: tessera-registry user add alice --admin
    Add {
        name: String,
        /// May do what owners do on every layout.
        #[arg(long)]
        admin: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Invite a person (created if new): prints a one-time link that signs
    /// them in on their computer when opened in Tessera.
    ///
    /// Example: tessera-registry user invite bob --server https://tessera.example.com
    Invite {
        name: String,
        /// Hours the invitation stays good.
        #[arg(long, default_value_t = 72)]
        hours: u32,
        /// The server's address as people reach it (put in the link).
        #[arg(
            long,
            env = "TESSERA_PUBLIC_URL",
            default_value = "http://127.0.0.1:7410"
        )]
        server: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List a user's tokens: id, label, when made and when last used
    /// (never the tokens themselves).
    ///
    /// Example: tessera-registry user tokens alice
    Tokens {
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Make a further token for a user (say, for a second computer) and print
    /// it (shown once).
    ///
    /// Example: tessera-registry user new-token alice --label "build server"
    NewToken {
        name: String,
        /// What the token is for, shown in token lists.
        #[arg(long, default_value = "")]
        label: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Revoke one of a user's tokens by its id (from `user tokens`): refused
    /// from the next request on.
    ///
    /// Example: tessera-registry user revoke alice 3f9a0c1d2e4b5a67
    Revoke {
        name: String,
        id: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum GroupCommand {
    /// Create a group. Example: tessera-registry group add research
    Add {
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Add a user to a group. Example: tessera-registry group member research alice
    Member {
        group: String,
        user: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum PublisherCommand {
    /// Create a publisher and print its token (shown once; only its hash is stored).
    ///
    /// Example: tessera-registry publisher add acme
    Add {
        /// Lowercase name: the first part of the widget ids it owns (acme.price-chart).
        name: String,
        #[command(flatten)]
        db: DbArgs,
        /// Write the token to this file (mode 0600) instead of printing it.
        #[arg(long)]
        token_file: Option<PathBuf>,
        /// With --token-file: keep a token file that still works; otherwise
        /// create the publisher if needed and write a new token.
        #[arg(long, requires = "token_file")]
        if_missing: bool,
    },
}

#[derive(Args)]
struct DbArgs {
    /// sqlite://PATH or postgres://…; default: the embedded SQLite file.
    #[arg(long, env = "TESSERA_DATABASE_URL")]
    database_url: Option<String>,
}

#[derive(Args)]
struct ServeArgs {
    /// TOML configuration file (see `default-config`).
    #[arg(long, env = "TESSERA_CONFIG")]
    config: Option<PathBuf>,
    /// Address to listen on; port 0 picks a free port (printed on start).
    #[arg(long, env = "TESSERA_LISTEN")]
    listen: Option<SocketAddr>,
    #[command(flatten)]
    db: DbArgs,
    /// Seconds between a sidecar's heartbeats.
    #[arg(long, env = "TESSERA_HEARTBEAT_INTERVAL")]
    heartbeat_interval: Option<f64>,
    /// Heartbeats missed before an entry goes offline.
    #[arg(long, env = "TESSERA_MISSED_HEARTBEATS")]
    missed_heartbeats: Option<u32>,
    /// Seconds an offline entry stays listed before removal.
    #[arg(long, env = "TESSERA_OFFLINE_GRACE")]
    offline_grace: Option<f64>,
    /// Authenticated requests per second per token (0: unlimited).
    #[arg(long, env = "TESSERA_RATE_LIMIT")]
    rate_limit: Option<u32>,
    /// Log lines as JSON.
    #[arg(long, env = "TESSERA_LOG_JSON")]
    log_json: bool,
    /// Seconds a request's head may take to arrive; also the longest idle keep-alive.
    #[arg(long, env = "TESSERA_HEADER_TIMEOUT")]
    header_timeout: Option<f64>,
    /// Seconds a request's body may take to arrive.
    #[arg(long, env = "TESSERA_BODY_TIMEOUT")]
    body_timeout: Option<f64>,
    /// Open connections at most; when full, the longest idle one makes room.
    #[arg(long, env = "TESSERA_MAX_CONNECTIONS")]
    max_connections: Option<usize>,
    /// Directory that keeps widget files by sha256 [default: ~/.cache/tessera/widget-files].
    #[arg(long, env = "TESSERA_FILE_CACHE_DIR")]
    file_cache_dir: Option<PathBuf>,
    /// Bound of the widget file cache, in MiB [default: 1024].
    #[arg(long, env = "TESSERA_FILE_CACHE_MB")]
    file_cache_mb: Option<u64>,
}

impl ServeArgs {
    /// defaults < file < environment < flags (clap merges the last two).
    fn resolve(&self) -> anyhow::Result<ServerConfig> {
        let mut c = ServerConfig::default();
        if let Some(path) = &self.config {
            c.merge_file(path)?;
        }
        let positive = |flag: &str, v: f64| {
            Duration::try_from_secs_f64(v)
                .ok()
                .filter(|d| !d.is_zero())
                .with_context(|| format!("--{flag}: {v} is not a positive number of seconds"))
        };
        if let Some(v) = self.listen {
            c.listen = v;
        }
        if let Some(v) = &self.db.database_url {
            c.database_url = Some(v.clone());
        }
        if let Some(v) = self.heartbeat_interval {
            c.heartbeat_interval = positive("heartbeat-interval", v)?;
        }
        if let Some(v) = self.missed_heartbeats {
            anyhow::ensure!(v > 0, "--missed-heartbeats must be at least 1");
            c.missed_heartbeats = v;
        }
        if let Some(v) = self.offline_grace {
            c.offline_grace = positive("offline-grace", v)?;
        }
        if let Some(v) = self.rate_limit {
            c.rate_limit_per_sec = v;
        }
        c.log_json |= self.log_json;
        if let Some(v) = self.header_timeout {
            c.connections.header_timeout = positive("header-timeout", v)?;
        }
        if let Some(v) = self.body_timeout {
            c.connections.body_timeout = positive("body-timeout", v)?;
        }
        if let Some(v) = self.max_connections {
            anyhow::ensure!(v > 0, "--max-connections must be at least 1");
            c.connections.max_connections = v;
        }
        if let Some(v) = &self.file_cache_dir {
            c.file_cache_dir = Some(v.clone());
        }
        if let Some(v) = self.file_cache_mb {
            anyhow::ensure!(v > 0, "--file-cache-mb must be at least 1");
            c.file_cache_bytes = v * 1024 * 1024;
        }
        if c.file_cache_dir.is_none() {
            c.file_cache_dir = config::default_file_cache_dir();
        }
        Ok(c)
    }
}

fn init_logs(json: bool) {
    let filter = EnvFilter::try_from_env("TESSERA_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let fmt = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        fmt.json().init();
    } else {
        fmt.init();
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let serve_config = match &cli.command {
        Command::Serve(args) => match args.resolve() {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("tessera-registry: {e:#}");
                return ExitCode::from(2);
            }
        },
        _ => None,
    };
    init_logs(serve_config.as_ref().is_some_and(|c| c.log_json));
    let rt = tokio::runtime::Runtime::new().expect("tokio runtime starts");
    match rt.block_on(run(cli.command, serve_config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tessera-registry: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn open(url: Option<&str>) -> anyhow::Result<(DynStore, bool)> {
    let embedded = url.is_none();
    let url = match url {
        Some(u) => u.to_owned(),
        None => config::default_database_url()?,
    };
    let store = store::connect(&url).await.context("opening the database")?;
    Ok((store, embedded))
}

/// The layouts store on the same database as the registry.
async fn open_layouts(url: Option<&str>) -> anyhow::Result<tessera_layouts::DynLayoutStore> {
    let url = match url {
        Some(u) => u.to_owned(),
        None => config::default_database_url()?,
    };
    tessera_layouts::connect(&url)
        .await
        .context("opening the layouts store")
}

async fn run(command: Command, serve_config: Option<ServerConfig>) -> anyhow::Result<()> {
    match command {
        Command::DefaultConfig => {
            print!("{}", config::DEFAULT_CONFIG);
            Ok(())
        }
        Command::Publisher {
            command:
                PublisherCommand::Add {
                    name,
                    db,
                    token_file,
                    if_missing,
                },
        } => {
            tessera_registry::api::validate_publisher(&name)?;
            let (store, _) = open(db.database_url.as_deref()).await?;
            match token_file {
                Some(path) => {
                    ensure_token_file(&store, &name, &path, if_missing).await?;
                    println!("token for publisher {name} is in {}", path.display());
                }
                None => {
                    let token =
                        auth::add_publisher(&store, &name, "created by publisher add").await?;
                    println!("{token}");
                    eprintln!(
                        "publisher {name} created; keep the token above: it is not shown again"
                    );
                }
            }
            Ok(())
        }
        Command::User {
            command: UserCommand::Add { name, admin, db },
        } => {
            let store = open_layouts(db.database_url.as_deref()).await?;
            println!(
                "{}",
                tessera_layouts::add_user(&*store, &name, admin).await?
            );
            eprintln!("user {name} created; keep the token above: it is not shown again");
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Invite {
                    name,
                    hours,
                    server,
                    db,
                },
        } => {
            anyhow::ensure!(hours > 0, "--hours must be at least 1");
            let server = url::Url::parse(&server)
                .with_context(|| format!("--server {server:?} is not a URL"))?;
            let store = open_layouts(db.database_url.as_deref()).await?;
            let code = tessera_layouts::invite_user(
                &*store,
                &name,
                chrono::Duration::hours(i64::from(hours)),
            )
            .await?;
            let mut link = url::Url::parse("tessera://invite/").expect("a valid base");
            link.path_segments_mut()
                .expect("tessera: URLs have paths")
                .pop_if_empty()
                .push(&code);
            link.query_pairs_mut()
                .append_pair("server", server.as_str().trim_end_matches('/'));
            println!("{link}");
            eprintln!(
                "invitation for {name}, good once within {hours} h: send them the link above \
                 (paste it on Tessera's sign-in screen); it is not shown again"
            );
            Ok(())
        }
        Command::User {
            command: UserCommand::Tokens { name, db },
        } => {
            let store = open_layouts(db.database_url.as_deref()).await?;
            let tokens = tessera_layouts::user_tokens(&*store, &name).await?;
            println!(
                "{:<16}  {:<20}  {:<20}  LABEL",
                "ID", "CREATED", "LAST USED"
            );
            let time =
                |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
            for t in tokens {
                let used = t.last_used_at.map(time).unwrap_or_else(|| "never".into());
                println!(
                    "{:<16}  {:<20}  {:<20}  {}",
                    t.id,
                    time(t.created_at),
                    used,
                    t.label
                );
            }
            Ok(())
        }
        Command::User {
            command: UserCommand::NewToken { name, label, db },
        } => {
            let store = open_layouts(db.database_url.as_deref()).await?;
            let label = tessera_layouts::check_token_label(&label)?;
            println!(
                "{}",
                tessera_layouts::add_user_token(&*store, &name, &label).await?
            );
            eprintln!("token for {name} created; keep it: it is not shown again");
            Ok(())
        }
        Command::User {
            command: UserCommand::Revoke { name, id, db },
        } => {
            let store = open_layouts(db.database_url.as_deref()).await?;
            tessera_layouts::revoke_user_token(&*store, &name, &id).await?;
            eprintln!("token {id} of {name} revoked");
            Ok(())
        }
        Command::Group {
            command: GroupCommand::Add { name, db },
        } => {
            let store = open_layouts(db.database_url.as_deref()).await?;
            tessera_layouts::add_group(&*store, &name).await?;
            eprintln!("group {name} created");
            Ok(())
        }
        Command::Group {
            command: GroupCommand::Member { group, user, db },
        } => {
            let store = open_layouts(db.database_url.as_deref()).await?;
            let added = tessera_layouts::add_member(&*store, &group, &user).await?;
            eprintln!(
                "{user} {} {group}",
                if added {
                    "is now a member of"
                } else {
                    "was already a member of"
                }
            );
            Ok(())
        }
        Command::AdminToken { db, label } => {
            let (store, _) = open(db.database_url.as_deref()).await?;
            println!("{}", auth::add_token(&store, None, true, &label).await?);
            eprintln!("admin token created; keep it: it is not shown again");
            Ok(())
        }
        Command::Serve(_) => serve(serve_config.expect("resolved above")).await,
    }
}

/// Makes `path` hold a working token of `publisher`, creating either as needed.
async fn ensure_token_file(
    store: &DynStore,
    publisher: &str,
    path: &Path,
    keep_working: bool,
) -> anyhow::Result<()> {
    if keep_working {
        if let Ok(existing) = std::fs::read_to_string(path) {
            let grant = store.token(&auth::hash_token(existing.trim())).await?;
            if grant.is_some_and(|g| g.publisher.as_deref() == Some(publisher)) {
                return Ok(());
            }
        }
    }
    match store.create_publisher(publisher).await {
        Ok(()) | Err(StoreError::Conflict(_)) => {}
        Err(e) => return Err(e.into()),
    }
    let token = auth::add_token(
        store,
        Some(publisher),
        false,
        &format!("token file {}", path.display()),
    )
    .await?;
    write_secret(path, &token)
}

fn write_secret(path: &Path, secret: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    writeln!(f, "{secret}").with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

async fn serve(config: ServerConfig) -> anyhow::Result<()> {
    let (store, embedded) = open(config.database_url.as_deref()).await?;
    let layouts = open_layouts(config.database_url.as_deref()).await?;
    if embedded {
        // A newcomer needs no set-up: a local publisher whose token the
        // sidecar finds on its own, and a local user for layouts.
        let path = config::local_token_file()?;
        ensure_token_file(&store, "local", &path, true).await?;
        let user_token = config::data_dir()?.join("local-user.token");
        tessera_layouts::ensure_local_user(&*layouts, &user_token).await?;
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
    let engine = if store.notify_url().is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    let state = AppState::new(store, config.clone())
        .await?
        .with_layouts(tessera_layouts::LayoutsState::new(layouts));
    // One line on stdout that scripts and tests wait for.
    println!("tessera-registry listening on http://{addr}");
    tracing::info!(%addr, engine, ttl_ms = config.ttl().as_millis() as u64, "registry serving");
    server::serve(listener, state, server::shutdown_signal()).await?;
    tracing::info!("registry stopped");
    Ok(())
}
