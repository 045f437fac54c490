//! Tauri commands, by area: each converts arguments and results over the
//! window-free core, and fails with a [`ShellError`](crate::core::ShellError).

pub mod app;
pub mod bus;
pub mod drafts;
pub mod layouts;
pub mod signin;
pub mod tokens;
