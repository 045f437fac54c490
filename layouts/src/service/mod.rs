//! The operations on layouts and the one place that decides who may do what.
//! HTTP handlers only convert requests and answers; everything here takes the
//! acting [`User`] explicitly and returns a [`LayoutsError`] that says what
//! was wrong.
//!
//! Rules: the owner may do everything; admins may do what owners may;
//! editors (a user share, or a group share, with `edit`) may also save, rename
//! and restore old versions; viewers (`view` shares, or everyone when the
//! layout is visible to the organisation) may read, list, follow, clone,
//! export and read the history. Only the owner (or an admin) changes sharing,
//! deletes, restores from the bin and reads a layout's audit log. A caller
//! who may not see a layout gets "not found", never "forbidden", so ids do
//! not leak; refusals of an existing layout are written to the audit log.

mod access;
mod documents;
mod history;
mod sharing;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use tessera_accounts::Accounts;

use crate::error::{LayoutsError, Result};
use crate::model::LayoutDocument;
use crate::store::{DynLayoutStore, User};
use tessera_server_common::changes::Changes;

pub use documents::{purge_expired, ListParams, LoadedLayout};

/// How long a deleted layout stays restorable before [`purge_expired`] removes it.
pub const RESTORE_WINDOW_DAYS: i64 = 30;
/// Longest layout title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest version message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 1000;

/// Tunables of the layouts service.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How often a watch stream re-reads its layout without being poked: the
    /// fallback for a SQLite file shared with other processes, and a safety
    /// net on Postgres.
    pub watch_poll_interval: Duration,
}

impl Settings {
    /// Defaults for a store: polling every 2 s on SQLite, every 30 s on
    /// Postgres (where NOTIFY does the work).
    pub fn for_store(store: &DynLayoutStore) -> Settings {
        Settings {
            watch_poll_interval: if store.notify_url().is_some() {
                Duration::from_secs(30)
            } else {
                Duration::from_secs(2)
            },
        }
    }
}

/// Everything the layouts routes share, the accounts that sign callers in
/// among it; cheap to clone.
#[derive(Clone)]
pub struct LayoutsState {
    inner: Arc<Inner>,
}

struct Inner {
    store: DynLayoutStore,
    /// Which layout may have changed (trigger `tessera_layouts` on Postgres).
    hub: Changes,
    settings: Settings,
    accounts: Accounts,
}

impl LayoutsState {
    /// The state for a store opened with [`crate::store::open`] and the
    /// accounts on the same database, with default settings.
    pub fn new(store: DynLayoutStore, accounts: Accounts) -> LayoutsState {
        let settings = Settings::for_store(&store);
        LayoutsState::with_settings(store, accounts, settings)
    }

    pub fn with_settings(
        store: DynLayoutStore,
        accounts: Accounts,
        settings: Settings,
    ) -> LayoutsState {
        LayoutsState {
            inner: Arc::new(Inner {
                hub: Changes::new(
                    store.notify_url().map(str::to_owned),
                    crate::store::LAYOUTS_CHANNEL,
                    "layout changes",
                ),
                store,
                settings,
                accounts,
            }),
        }
    }

    pub fn store(&self) -> &DynLayoutStore {
        &self.inner.store
    }

    pub fn hub(&self) -> &Changes {
        &self.inner.hub
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The accounts that sign callers in (users and groups are theirs).
    pub fn accounts(&self) -> &Accounts {
        &self.inner.accounts
    }
}

/// The layouts routes sign callers in with the accounts
/// (`tessera_accounts::CurrentUser`).
impl FromRef<LayoutsState> for Accounts {
    fn from_ref(state: &LayoutsState) -> Accounts {
        state.inner.accounts.clone()
    }
}

pub use tessera_accounts::now;

/// Checks and trims a layout title; `field` names it in the error.
fn check_title(field: &str, title: &str) -> Result<String> {
    let t = title.trim();
    if t.is_empty() {
        return Err(LayoutsError::field(field, "a layout needs a title"));
    }
    if t.chars().count() > MAX_TITLE_CHARS {
        return Err(LayoutsError::field(
            field,
            format!("is longer than {MAX_TITLE_CHARS} characters"),
        ));
    }
    if t.chars().any(char::is_control) {
        return Err(LayoutsError::field(field, "contains control characters"));
    }
    Ok(t.to_owned())
}

/// Checks and trims a version message; empty is none.
fn check_message(message: Option<&str>) -> Result<Option<String>> {
    let Some(m) = message.map(str::trim).filter(|m| !m.is_empty()) else {
        return Ok(None);
    };
    if m.chars().count() > MAX_MESSAGE_CHARS {
        return Err(LayoutsError::field(
            "message",
            format!("is longer than {MAX_MESSAGE_CHARS} characters"),
        ));
    }
    Ok(Some(m.to_owned()))
}

fn check_base_version(v: i64) -> Result<()> {
    if v < 1 {
        return Err(LayoutsError::field(
            "base_version",
            "must be the version you edited (1 or more)",
        ));
    }
    Ok(())
}

/// `|a.b|c.d|`: the widget ids a document uses, sorted, without repeats.
fn widget_list(doc: &LayoutDocument) -> String {
    let mut ids: Vec<&str> = doc.panels().map(|p| p.widget.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    format!("|{}|", ids.join("|"))
}

/// A stored document read back.
fn stored_document(id: &str, json: &str) -> Result<LayoutDocument> {
    serde_json::from_str(json)
        .map_err(|e| LayoutsError::Corrupt(format!("stored document of layout {id:?}: {e}")))
}

/// What is stored: the compact JSON, if the document fits the size limit.
fn stored_json(doc: &LayoutDocument) -> Result<String> {
    Ok(crate::parse::to_checked_json(
        doc,
        crate::Limits::default(),
    )?)
}

/// Who acts, as the audit log names them.
fn actor(user: &User) -> Option<&str> {
    Some(user.name.as_str())
}
