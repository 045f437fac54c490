//! The shell's behaviour, free of any window: tested with plain `cargo test`.
//!
//! - [`bus`]: FDC3 channels and intents between panels, with per-receiver flow control.
//! - [`catalogue`]: what the registry says exists, cached for the widget scheme.
//! - [`layouts`]: the signed-in user's layouts on the server (list, open, save,
//!   clone, sharing, history).
//! - [`follow`]: keeps the catalogue live from the registry's watch stream.
//! - [`widget_scheme`]: `widget://<id>/<path>`: files fetched from the widget's
//!   sidecar, checked against the registered sha256, served to sandboxed frames.
//! - [`settings`]: where the registry is.
//! - [`drafts`]: the unsaved workspace and the last layout, kept on disk.
//! - [`error`]: [`ShellError`], what every command of the shell fails with.

pub mod bus;
pub mod catalogue;
pub mod drafts;
pub mod error;
pub mod follow;
pub mod layouts;
pub mod local_server;
pub mod page;
pub mod settings;
pub mod signin;
pub mod single_instance;
mod typescript;
pub mod widget_scheme;

pub use error::ShellError;
