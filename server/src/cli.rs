//! The command line: what each subcommand takes, and `serve`'s settings
//! resolved as defaults < file < environment < flags.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use tessera_registry::config::{self, ServerConfig};

#[derive(Parser)]
#[command(
    name = "tessera-server",
    version,
    about = "Tessera's server: the widget registry, users and layouts, on one database"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the API: the widget registry, users and layouts.
    ///
    /// Examples:
    ///   tessera-server serve
    ///   tessera-server serve --listen 127.0.0.1:0 --database-url postgres://localhost/tessera
    ///   tessera-server serve --config /etc/tessera/registry.toml
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
pub enum UserCommand {
    /// List the users: name, whether admin, and their groups (never tokens).
    ///
    /// Example: tessera-server user list
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Create a user and print their API token (shown once; only its hash is stored).
    ///
    /// Example: tessera-server user add alice --admin
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
    /// Example: tessera-server user invite bob --server https://tessera.example.com
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
    /// Example: tessera-server user tokens alice
    Tokens {
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Make a further token for a user (say, for a second computer) and print
    /// it (shown once).
    ///
    /// Example: tessera-server user new-token alice --label "build server"
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
    /// Example: tessera-server user revoke alice 3f9a0c1d2e4b5a67
    Revoke {
        name: String,
        id: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
pub enum GroupCommand {
    /// List the groups and their members. Example: tessera-server group list
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Create a group. Example: tessera-server group add research
    Add {
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Add a user to a group. Example: tessera-server group member research alice
    Member {
        group: String,
        user: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
pub enum PublisherCommand {
    /// Create a publisher and print its token (shown once; only its hash is stored).
    ///
    /// Example: tessera-server publisher add acme
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
pub struct DbArgs {
    /// sqlite://PATH or postgres://…; default: the embedded SQLite file.
    #[arg(long, env = "TESSERA_DATABASE_URL")]
    pub database_url: Option<String>,
}

#[derive(Args)]
pub struct ServeArgs {
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
    pub fn resolve(&self) -> anyhow::Result<ServerConfig> {
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
