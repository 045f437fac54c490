//! Tessera's registry: which widgets exist, where their sidecars serve them,
//! and every change, live.
//!
//! The wire types and naming rules live in [`api`] and are always compiled.
//! The `server` feature (default) adds the axum router, storage on SQLite or
//! Postgres, liveness (heartbeats, expiry), the watch stream, the FDC3 App
//! Directory view (the `tessera-server` crate runs them, with the layouts
//! service beside them, on one database); the `client` feature adds a typed
//! reqwest client for sidecars and the shell:
//!
//! ```no_run
//! # #[cfg(feature = "client")]
//! # async fn demo() -> Result<(), tessera_registry::client::ClientError> {
//! let client = tessera_registry::client::RegistryClient::new("http://127.0.0.1:7410")?;
//! for widget in client.list().await?.widgets {
//!     println!("{} {} at {}", widget.id, widget.version, widget.base_url);
//! }
//! # Ok(()) }
//! ```

pub mod api;
#[cfg(feature = "server")]
pub mod appd;
#[cfg(feature = "server")]
pub mod auth;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "server")]
pub mod config;
#[cfg(feature = "server")]
pub mod conns;
#[cfg(feature = "server")]
pub mod extract;
#[cfg(feature = "server")]
pub mod gateway;
#[cfg(any(feature = "client", feature = "server"))]
pub mod hop;
#[cfg(feature = "server")]
pub mod http;
#[cfg(feature = "server")]
pub mod hub;
#[cfg(feature = "server")]
pub mod list_cache;
#[cfg(feature = "server")]
pub mod liveness;
#[cfg(feature = "server")]
pub mod metrics;
#[cfg(feature = "server")]
pub mod openapi;
#[cfg(any(feature = "client", feature = "server"))]
pub mod report;
#[cfg(feature = "server")]
mod status_page;
#[cfg(feature = "server")]
pub mod store;
