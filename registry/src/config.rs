//! Runtime configuration of the server, resolved from flags and defaults.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Port the registry listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 7410;

/// The embedded default database: a SQLite file under the user's data directory.
pub fn default_database_url() -> anyhow::Result<String> {
    let dir = data_dir()?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| anyhow::anyhow!("cannot create data directory {}: {e}", dir.display()))?;
    Ok(format!("sqlite://{}", dir.join("registry.db").display()))
}

fn data_dir() -> anyhow::Result<PathBuf> {
    dirs::data_dir().map(|d| d.join("tessera")).ok_or_else(|| {
        anyhow::anyhow!("no user data directory (is HOME set?); pass --database-url")
    })
}

/// Listen address: loopback only, unless an explicit address is given.
pub fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT))
}
