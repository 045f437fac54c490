//! The sidecar that runs beside one widget: it reads and checks the widget's
//! `widget.toml`, hashes its files, serves the folder on 127.0.0.1 (and the
//! widget's own backend under `/api`), registers the widget with the
//! registry, heartbeats, re-registers when files change, and deregisters on
//! shutdown.
//!
//! ```no_run
//! let dir = std::path::Path::new("widgets/greeting");
//! let manifest = tessera_sidecar::manifest::load(dir).unwrap();
//! let files = tessera_sidecar::files::hash_folder(dir).unwrap();
//! assert!(files.contains_key(&manifest.entry));
//! ```

pub mod agent;
pub mod config;
pub mod files;
pub mod manifest;
pub mod scaffold;
pub mod serve;
pub mod watch;

use std::path::Path;

use tessera_registry::api::WidgetRegistration;

/// Everything `run` registers for DIR except the base URL (known once serving).
pub fn registration(dir: &Path, base_url: &str) -> anyhow::Result<WidgetRegistration> {
    let m = manifest::load(dir)?;
    let files = files::hash_folder(dir)
        .map_err(|e| anyhow::anyhow!("hashing the files of {}: {e}", dir.display()))?;
    Ok(WidgetRegistration {
        api: m.backend.is_some(),
        id: m.id,
        title: m.title,
        version: m.version,
        tag: m.tag,
        entry: m.entry,
        description: m.description,
        icon: m.icon,
        base_url: base_url.to_owned(),
        files,
        interop: m.interop,
        key: None,
        app_id: m.app_id,
    })
}
