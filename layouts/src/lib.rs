//! Tessera's layout documents: a tree in golden-layout's vocabulary (`row`,
//! `column`, `stack`, `widget`) plus floating and pop-out panels, with the
//! validation every stored document passes, golden-layout import and export,
//! and a panel-level diff. These are always compiled, with no server
//! dependencies, so the desktop shell can use them.
//!
//! ```
//! let doc = tessera_layouts::demo_layout();
//! doc.validate().unwrap();
//! assert!(doc.panels().any(|p| p.widget == "tessera.greeting"));
//! ```
//!
//! With the `server` feature the crate also stores layouts (SQLite or
//! Postgres, with every version, sharing, clones and an audit log) and serves
//! them over HTTP; the server mounts it in a few lines:
//!
//! ```no_run
//! # #[cfg(feature = "server")]
//! # async fn demo() -> Result<(), tessera_layouts::LayoutsError> {
//! let db = tessera_server_common::db::Database::connect("sqlite:///tmp/tessera.db").await?;
//! let accounts = tessera_accounts::Accounts::new(tessera_accounts::store::open(&db).await?);
//! let store = tessera_layouts::store::open(&db).await?;
//! let routes: axum::Router = tessera_layouts::router(tessera_layouts::LayoutsState::new(store.clone(), accounts));
//! // …merge `routes` into the server's router; now and then:
//! tessera_layouts::purge_expired(&*store, chrono::Utc::now()).await?;
//! # Ok(()) }
//! ```

pub mod api;
#[cfg(feature = "client")]
pub mod client;
mod diff;
mod golden;
pub mod links;
mod model;
mod parse;
mod validate;

#[cfg(feature = "server")]
mod error;
#[cfg(feature = "server")]
pub mod http;
#[cfg(feature = "server")]
pub mod ids;
#[cfg(feature = "server")]
pub mod service;
#[cfg(feature = "server")]
pub mod store;

pub use diff::{diff, Changed, LayoutDiff, Moved, PanelRef, Place};
pub use golden::{export_golden_layout, import_golden_layout};
pub use model::*;
pub use parse::{
    check_size, parse_document, parse_document_with, read_document, read_document_str,
    to_checked_json,
};
pub use validate::{Limits, ValidationError, MAX_DOCUMENT_BYTES};

#[cfg(feature = "server")]
pub use error::{LayoutsError, Result};
#[cfg(feature = "server")]
pub use http::{openapi, router};
#[cfg(feature = "server")]
pub use service::{purge_expired, LayoutsState, Settings, RESTORE_WINDOW_DAYS};
#[cfg(feature = "server")]
pub use store::{DynLayoutStore, LayoutStore};

/// The layout a newcomer sees on first start: the example widgets, arranged.
pub fn demo_layout() -> LayoutDocument {
    serde_json::from_str(include_str!("../demo/demo-layout.json"))
        .expect("the bundled demo layout parses")
}
