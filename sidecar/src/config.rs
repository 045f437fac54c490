//! The sidecar's settings: flags > `TESSERA_*` environment > `sidecar.toml`
//! > defaults. The token is a secret: it is never logged or printed.

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub const DEFAULT_REGISTRY: &str = "http://127.0.0.1:7410";

/// What flags and the environment said (clap fills both); `None` = not given.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub registry: Option<String>,
    pub token: Option<String>,
    pub token_file: Option<PathBuf>,
    pub port: Option<u16>,
    pub config: Option<PathBuf>,
}

/// `sidecar.toml`: every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    registry: Option<String>,
    token: Option<String>,
    token_file: Option<PathBuf>,
    port: Option<u16>,
}

#[derive(Clone, PartialEq, Eq)]
pub struct SidecarConfig {
    pub registry: String,
    pub token: Option<String>,
    /// Where the token came from, for messages (never the token itself).
    pub token_source: String,
    pub port: u16,
}

impl std::fmt::Debug for SidecarConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SidecarConfig")
            .field("registry", &self.registry)
            .field("token_source", &self.token_source)
            .field("port", &self.port)
            .finish()
    }
}

/// The user's config file: `~/.config/tessera/sidecar.toml`.
pub fn default_config_file() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("tessera").join("sidecar.toml"))
}

/// The embedded registry's local publisher token (zero set-up on one machine).
pub fn local_token_file() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("tessera").join("local-publisher.token"))
}

fn read_token(path: &Path) -> anyhow::Result<String> {
    let t = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("{}: cannot read the token: {e}", path.display()))?;
    let t = t.trim().to_owned();
    anyhow::ensure!(!t.is_empty(), "{}: the token file is empty", path.display());
    Ok(t)
}

impl SidecarConfig {
    pub fn resolve(o: &Overrides) -> anyhow::Result<SidecarConfig> {
        let file_path = o
            .config
            .clone()
            .or_else(|| default_config_file().filter(|p| p.exists()));
        let file = match &file_path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", p.display()))?;
                toml::from_str::<FileConfig>(&text)
                    .map_err(|e| anyhow::anyhow!("{}: {}", p.display(), e.message()))?
            }
            None => FileConfig::default(),
        };
        let registry = o
            .registry
            .clone()
            .or(file.registry)
            .unwrap_or_else(|| DEFAULT_REGISTRY.to_owned());
        url::Url::parse(&registry)
            .map_err(|e| anyhow::anyhow!("registry URL {registry:?} is not valid: {e}"))?;
        let (token, token_source) = if let Some(t) = &o.token {
            (Some(t.clone()), "--token / TESSERA_TOKEN".to_owned())
        } else if let Some(p) = &o.token_file {
            (Some(read_token(p)?), p.display().to_string())
        } else if let Some(t) = file.token {
            (
                Some(t),
                format!(
                    "{} (token)",
                    file_path
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default()
                ),
            )
        } else if let Some(p) = file.token_file {
            (Some(read_token(&p)?), p.display().to_string())
        } else if let Some(p) = local_token_file().filter(|p| p.exists()) {
            (Some(read_token(&p)?), p.display().to_string())
        } else {
            (None, "no token".to_owned())
        };
        Ok(SidecarConfig {
            registry,
            token,
            token_source,
            port: o.port.or(file.port).unwrap_or(0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_file_beats_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("sidecar.toml");
        std::fs::write(
            &cfg,
            "registry = \"http://127.0.0.1:1\"\nport = 9000\ntoken = \"from-file\"\n",
        )
        .unwrap();
        let from_file = SidecarConfig::resolve(&Overrides {
            config: Some(cfg.clone()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(from_file.registry, "http://127.0.0.1:1");
        assert_eq!(from_file.port, 9000);
        assert_eq!(from_file.token.as_deref(), Some("from-file"));
        let flagged = SidecarConfig::resolve(&Overrides {
            config: Some(cfg),
            registry: Some("http://127.0.0.1:2".into()),
            token: Some("from-flag".into()),
            port: Some(0),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            (flagged.registry.as_str(), flagged.port),
            ("http://127.0.0.1:2", 0)
        );
        assert_eq!(flagged.token.as_deref(), Some("from-flag"));
        assert!(
            !format!("{flagged:?}").contains("from-flag"),
            "Debug never shows the token"
        );
    }

    #[test]
    fn file_errors_name_the_file_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("sidecar.toml");
        std::fs::write(&cfg, "registy = \"x\"\n").unwrap();
        let e = SidecarConfig::resolve(&Overrides {
            config: Some(cfg),
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("sidecar.toml") && e.contains("registy"), "{e}");
    }
}
