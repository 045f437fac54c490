//! The sidecar that runs beside one widget: it reads and checks the widget's
//! `widget.toml`, hashes its files, serves the folder on 127.0.0.1 and
//! registers the widget with the registry.
//!
//! ```no_run
//! let dir = std::path::Path::new("widgets/greeting");
//! let manifest = tessera_sidecar::manifest::load(dir).unwrap();
//! let files = tessera_sidecar::files::hash_folder(dir).unwrap();
//! assert!(files.contains_key(&manifest.entry));
//! ```

pub mod files;
pub mod manifest;
pub mod serve;
