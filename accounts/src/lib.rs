//! Tessera's accounts: the users people sign in as, their tokens (made,
//! shown once, stored hashed, listed, relabelled, revoked), one-time
//! invitations, and the groups layouts are shared with. The whole server
//! signs callers in through this crate: the layouts routes and the
//! registry's gateway alike.
//!
//! - [`api`]: the wire types of `/v1/users…` and `/v1/invitations…`.
//!   Always compiled (serde only), so clients share them.
//!
//! With the `server` feature:
//! - [`store`]: what the accounts need of a database ([`AccountStore`]),
//!   one implementation per engine, and the accounts' migrations.
//! - [`users`] and [`tokens`]: the operations, for the operator's commands
//!   ([`add_user`], [`invite_user`], …) and, through [`Accounts`], the routes.
//! - [`service`]: [`Accounts`], what every signed-in route shares (the
//!   store, the token cache, the rate limits).
//! - [`auth`]: the caller extractor, [`CurrentUser`].
//! - [`http`]: the routes and their OpenAPI description.
//!
//! ```no_run
//! # #[cfg(feature = "server")]
//! # async fn demo() -> Result<(), tessera_accounts::AccountsError> {
//! let db = tessera_server_common::db::Database::connect("sqlite:///tmp/tessera.db").await?;
//! let store = tessera_accounts::store::open(&db).await?;
//! let token = tessera_accounts::add_user(&*store, "alice", false).await?;
//! println!("{token}"); // shown once; only its sha256 is stored
//! let routes: axum::Router = tessera_accounts::http::routes(tessera_accounts::Accounts::new(store));
//! # Ok(()) }
//! ```

pub mod api;

#[cfg(feature = "server")]
pub mod auth;
#[cfg(feature = "server")]
mod error;
#[cfg(feature = "server")]
pub mod http;
#[cfg(feature = "server")]
pub mod service;
#[cfg(feature = "server")]
pub mod store;
#[cfg(feature = "server")]
pub mod tokens;
#[cfg(feature = "server")]
pub mod users;

#[cfg(feature = "server")]
pub use auth::CurrentUser;
#[cfg(feature = "server")]
pub use error::{AccountsError, Result};
#[cfg(feature = "server")]
pub use service::{now, Accounts};
#[cfg(feature = "server")]
pub use store::{AccountStore, DynAccountStore, User};
#[cfg(feature = "server")]
pub use tokens::{check_label, revoke_user_token, user_tokens, MAX_LABEL_CHARS};
#[cfg(feature = "server")]
pub use users::{
    accept_invitation, add_group, add_member, add_user, add_user_token, check_name,
    ensure_local_user, invite_user, LOCAL_USER,
};
