//! The shell's behaviour, free of any window: tested with plain `cargo test`.
//!
//! - [`catalogue`]: what the registry says exists, cached for the widget scheme.
//! - [`follow`]: keeps the catalogue live from the registry's watch stream.
//! - [`widget_scheme`]: `widget://<id>/<path>`: files fetched from the widget's
//!   sidecar, checked against the registered sha256, served to sandboxed frames.
//! - [`settings`]: where the registry is.

pub mod catalogue;
pub mod follow;
pub mod settings;
pub mod widget_scheme;
