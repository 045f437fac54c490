//! Accounts: the users people sign in as, their tokens (made, shown once,
//! stored hashed, listed, relabelled, revoked), one-time invitations, and
//! the groups layouts are shared with — what the whole server signs
//! callers in with (the registry's gateway too, through [`auth`]).
//!
//! - [`store`]: what the accounts need of a database ([`AccountStore`];
//!   `LayoutStore` builds on it, and the layouts store implements both).
//! - [`users`]: users, invitations and groups (the operator's commands and
//!   the routes call these).
//! - [`tokens`]: the tokens people manage, and their revocation channel.
//! - [`auth`]: the caller extractor, [`CurrentUser`](auth::CurrentUser).
//!
//! Their routes are `http/users.rs` and `http/tokens.rs`; their tables were
//! created by the layouts' first migration (`migrations/*/…_layouts.sql`)
//! and the two after it (`…_invitations.sql`, `…_token_management.sql`).
//! They live in this crate until they move to one of their own: existing
//! databases have those migrations recorded under this crate's set.

pub mod auth;
pub mod store;
pub mod tokens;
pub mod users;

pub use store::AccountStore;
