//! Tessera's registry: which widgets exist and where their sidecars serve them.
//!
//! The wire types and naming rules live in [`api`] and are always compiled.
//! The `server` feature (default) adds the axum router, storage on SQLite or
//! Postgres and the `tessera-registry` binary; the `client` feature adds a
//! typed reqwest client for sidecars and the shell:
//!
//! ```no_run
//! # #[cfg(feature = "client")]
//! # async fn demo() -> Result<(), tessera_registry::client::ClientError> {
//! let client = tessera_registry::client::RegistryClient::new("http://127.0.0.1:7410")?;
//! for widget in client.list().await? {
//!     println!("{} {} at {}", widget.id, widget.version, widget.base_url);
//! }
//! # Ok(()) }
//! ```

pub mod api;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "server")]
pub mod config;
#[cfg(feature = "server")]
pub mod http;
#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "server")]
pub mod store;
