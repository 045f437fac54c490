//! Configuration of the server: defaults < TOML file < `TESSERA_*`
//! environment < flags. `tessera-server default-config` prints the file.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::api::HeartbeatSchedule;

/// Port the registry listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 7410;

/// The commented example configuration, compiled in.
pub const DEFAULT_CONFIG: &str = include_str!("../registry.toml");

/// Everything the running server is tuned by.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    /// `None`: the embedded SQLite default under the user's data directory.
    pub database_url: Option<String>,
    pub heartbeat_interval: Duration,
    /// Heartbeats missed before an entry goes offline.
    pub missed_heartbeats: u32,
    /// How long an offline entry stays listed before it is removed.
    pub offline_grace: Duration,
    /// Authenticated requests per second per token (0: unlimited).
    pub rate_limit_per_sec: u32,
    /// Watch history kept for reconnecting clients.
    pub event_retention: Duration,
    pub event_retention_min: i64,
    /// Log lines as JSON (for collectors) instead of text.
    pub log_json: bool,
    /// Timeouts and the connection limit (slow and idle clients).
    pub connections: crate::conns::ConnLimits,
    /// Where widget files fetched from sidecars are kept by hash; `None`: a
    /// temporary directory of the process's own.
    pub file_cache_dir: Option<PathBuf>,
    /// The file cache's bound in bytes.
    pub file_cache_bytes: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT)),
            database_url: None,
            heartbeat_interval: Duration::from_secs(5),
            missed_heartbeats: 3,
            offline_grace: Duration::from_secs(300),
            rate_limit_per_sec: 200,
            event_retention: Duration::from_secs(3600),
            event_retention_min: 10_000,
            log_json: false,
            connections: crate::conns::ConnLimits::default(),
            file_cache_dir: None,
            file_cache_bytes: crate::gateway::DEFAULT_CACHE_BYTES,
        }
    }
}

impl ServerConfig {
    pub fn ttl(&self) -> Duration {
        self.heartbeat_interval * self.missed_heartbeats
    }

    pub fn schedule(&self) -> HeartbeatSchedule {
        HeartbeatSchedule {
            interval_ms: self.heartbeat_interval.as_millis() as u64,
            ttl_ms: self.ttl().as_millis() as u64,
        }
    }

    /// How often buffered heartbeats are written: well inside one interval.
    pub fn flush_every(&self) -> Duration {
        (self.heartbeat_interval / 4).clamp(Duration::from_millis(20), Duration::from_millis(500))
    }

    /// How often silent entries are looked for.
    pub fn sweep_every(&self) -> Duration {
        (self.heartbeat_interval / 4).clamp(Duration::from_millis(20), Duration::from_millis(250))
    }

    /// Applies a TOML file's settings over these.
    pub fn merge_file(&mut self, path: &Path) -> anyhow::Result<()> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", path.display()))?;
        let file: FileConfig = toml::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.message()))?;
        if let Some(v) = file.listen {
            self.listen = v;
        }
        if let Some(v) = file.database_url {
            self.database_url = Some(v);
        }
        if let Some(v) = file.heartbeat_interval_secs {
            self.heartbeat_interval = secs(path, "heartbeat_interval_secs", v)?;
        }
        if let Some(v) = file.missed_heartbeats {
            self.missed_heartbeats = v;
        }
        if let Some(v) = file.offline_grace_secs {
            self.offline_grace = secs(path, "offline_grace_secs", v)?;
        }
        if let Some(v) = file.rate_limit_per_sec {
            self.rate_limit_per_sec = v;
        }
        if let Some(v) = file.log_json {
            self.log_json = v;
        }
        if let Some(v) = file.header_timeout_secs {
            self.connections.header_timeout = secs(path, "header_timeout_secs", v)?;
        }
        if let Some(v) = file.body_timeout_secs {
            self.connections.body_timeout = secs(path, "body_timeout_secs", v)?;
        }
        if let Some(v) = file.file_cache_dir {
            self.file_cache_dir = Some(v);
        }
        if let Some(v) = file.file_cache_mb {
            if v == 0 {
                anyhow::bail!("{}: file_cache_mb: must be at least 1", path.display());
            }
            self.file_cache_bytes = v * 1024 * 1024;
        }
        if let Some(v) = file.max_connections {
            if v == 0 {
                anyhow::bail!("{}: max_connections: must be at least 1", path.display());
            }
            self.connections.max_connections = v;
        }
        Ok(())
    }
}

fn secs(path: &Path, field: &str, v: f64) -> anyhow::Result<Duration> {
    Duration::try_from_secs_f64(v)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "{}: {field}: {v} is not a positive number of seconds",
                path.display()
            )
        })
}

/// The TOML file's shape; every key optional.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<SocketAddr>,
    database_url: Option<String>,
    heartbeat_interval_secs: Option<f64>,
    missed_heartbeats: Option<u32>,
    offline_grace_secs: Option<f64>,
    rate_limit_per_sec: Option<u32>,
    log_json: Option<bool>,
    header_timeout_secs: Option<f64>,
    body_timeout_secs: Option<f64>,
    max_connections: Option<usize>,
    file_cache_dir: Option<PathBuf>,
    file_cache_mb: Option<u64>,
}

/// The user's Tessera data directory (`~/.local/share/tessera`).
pub fn data_dir() -> anyhow::Result<PathBuf> {
    dirs::data_dir().map(|d| d.join("tessera")).ok_or_else(|| {
        anyhow::anyhow!("no user data directory (is HOME set?); pass --database-url")
    })
}

/// The embedded default database: a SQLite file under the user's data directory.
pub fn default_database_url() -> anyhow::Result<String> {
    let dir = data_dir()?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| anyhow::anyhow!("cannot create data directory {}: {e}", dir.display()))?;
    Ok(format!("sqlite://{}", dir.join("registry.db").display()))
}

/// Where the server keeps widget files by default (`~/.cache/tessera/widget-files`).
pub fn default_file_cache_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("tessera").join("widget-files"))
}

/// Where the embedded default keeps the local publisher's token.
pub fn local_token_file() -> anyhow::Result<PathBuf> {
    Ok(data_dir()?.join("local-publisher.token"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_config_file_parses_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("registry.toml");
        std::fs::write(&path, DEFAULT_CONFIG).unwrap();
        let mut c = ServerConfig::default();
        c.merge_file(&path).unwrap();
        assert_eq!(
            c,
            ServerConfig::default(),
            "the example file states the defaults"
        );
    }

    #[test]
    fn file_errors_name_the_file_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.toml");
        std::fs::write(&path, "heartbeat_intervl_secs = 2\n").unwrap();
        let e = ServerConfig::default()
            .merge_file(&path)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("r.toml") && e.contains("heartbeat_intervl_secs"),
            "{e}"
        );
        std::fs::write(&path, "offline_grace_secs = -1\n").unwrap();
        let e = ServerConfig::default()
            .merge_file(&path)
            .unwrap_err()
            .to_string();
        assert!(e.contains("offline_grace_secs"), "{e}");
    }
}
