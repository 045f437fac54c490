//! What every part of Tessera's server shares, so that the widget registry
//! and the layouts service answer alike:
//!
//! - [`error`]: the one error envelope ([`ErrorBody`]) every failing request
//!   answers with, and (feature `http`) [`ApiError`], the one error type of
//!   every route, as an axum response.
//! - [`secrets`]: tokens and one-time codes (made here, shown once, stored
//!   as their sha256), and file digests.
//! - [`extract`] (feature `http`): the request extractors every route uses
//!   (a JSON body, query parameters), with [`json_shape`]'s checks.
//! - [`html`] (feature `http`): text in the server's HTML pages.
//! - [`ratelimit`] (feature `http`): the rate limits every route shares.
//! - [`trace`] (feature `http`): one span per request, named by its route.
//! - [`capped`] (feature `client`): reading an answer with a size bound;
//!   [`client`]: what the typed clients share (one `ClientError`).
//! - [`db`] (feature `db`): the one database and its one pool, which the
//!   registry and the layouts service each migrate and build a store on.
//! - [`notify`] (feature `db`): following a Postgres NOTIFY channel, how
//!   every replica hears what the others changed; [`changes`]: the event
//!   hub built on it (the catalogue's pump and the layouts' watchers).
//! - [`token_cache`] (feature `db`): resolved tokens, cached briefly and
//!   forgotten when revoked; [`task`]: background tasks owned by a value.
//!
//! ```
//! use tessera_server_common::secrets;
//! let token = secrets::new_secret("tsu_");
//! assert!(token.starts_with("tsu_") && token.len() == 4 + 43);
//! assert_eq!(secrets::hash(&token).len(), 64);
//! ```

#[cfg(feature = "client")]
pub mod capped;
#[cfg(feature = "db")]
pub mod changes;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "db")]
pub mod db;
pub mod error;
#[cfg(feature = "http")]
pub mod extract;
#[cfg(feature = "http")]
pub mod html;
#[cfg(feature = "http")]
pub mod json_shape;
#[cfg(feature = "db")]
pub mod notify;
#[cfg(feature = "http")]
pub mod ratelimit;
pub mod secrets;
#[cfg(feature = "db")]
pub mod task;
#[cfg(feature = "db")]
pub mod token_cache;
#[cfg(feature = "http")]
pub mod trace;

#[cfg(feature = "http")]
pub use error::ApiError;
pub use error::ErrorBody;
