//! The shell's behaviour, free of any window: tested with plain `cargo test`.
//!
//! - [`bus`]: FDC3 channels and intents between panels, with per-receiver flow control.
//! - [`catalogue`]: what the server's registry says exists, cached for the widget scheme.
//! - [`follow`]: keeps the catalogue live from the registry's watch stream.
//! - [`widget_scheme`]: `widget://<id>/<path>`: files fetched through the server,
//!   checked against the registered sha256, served to sandboxed frames.
//! - [`layouts`]: the signed-in user's layouts on the server (list, open, save,
//!   clone, sharing, history).
//! - [`signin`], [`local_server`]: signing in to a server (token or invitation),
//!   or starting one on this computer.
//! - [`settings`]: the command line and settings: which server, which layout to open.
//! - [`single_instance`]: one app per user; a second start hands its link over.
//! - [`drafts`]: the unsaved workspace and the last layout, kept on disk.
//! - [`page`]: what the core answers the page that no server type describes;
//!   `typescript` generates its TypeScript with the bus protocol's.
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
