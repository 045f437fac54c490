//! Wire types of the registry's HTTP API; the naming rules every party
//! checks the same way (the sidecar before registering, the server on
//! receipt, the shell before showing a widget) are in `rules`, and the
//! OpenAPI schemas of the strings those rules take in `schemas`.

mod rules;
#[cfg(feature = "server")]
mod schemas;

pub use rules::*;
#[cfg(feature = "server")]
pub use schemas::*;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Path (relative to the widget folder, `/`-separated) → lowercase hex sha256.
pub type FileManifest = BTreeMap<String, String>;

/// The context types a widget listens to and broadcasts (its contract).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Interop {
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(value_type = Vec<ContextTypeName>))]
    pub listens: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(value_type = Vec<ContextTypeName>))]
    pub broadcasts: Vec<String>,
    /// Intents the widget handles (`addIntentListener`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intents: Vec<IntentDecl>,
}

/// An intent a widget handles, e.g. `ViewChart` for `fdc3.instrument`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IntentDecl {
    #[cfg_attr(feature = "server", schema(pattern = "^[A-Za-z0-9_.-]{1,128}$"))]
    pub name: String,
    /// Context types it takes; empty: any.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(value_type = Vec<ContextTypeName>))]
    pub contexts: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// What raising it returns: a context type, `channel` or `channel<type>`
    /// (FDC3 `resultType`, for `findIntent` and `findIntentsByContext`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_type: Option<String>,
}

/// What a sidecar sends to register (or re-register) a widget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WidgetRegistration {
    /// `<publisher>.<name>`: two lowercase parts of letters, digits and `-`,
    /// each starting with a letter and not ending with `-`.
    #[cfg_attr(
        feature = "server",
        schema(
            max_length = 128,
            pattern = "^[a-z](?:[a-z0-9-]*[a-z0-9])?\\.[a-z](?:[a-z0-9-]*[a-z0-9])?$"
        )
    )]
    pub id: String,
    /// Not blank.
    #[cfg_attr(
        feature = "server",
        schema(pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$")
    )]
    pub title: String,
    /// A semantic version (`1.2.0`, `2.0.0-beta.1`).
    #[cfg_attr(
        feature = "server",
        schema(
            pattern = "^(?:0|[1-9][0-9]{0,15})\\.(?:0|[1-9][0-9]{0,15})\\.(?:0|[1-9][0-9]{0,15})(?:-(?:0|[1-9][0-9]{0,15}|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9][0-9]{0,15}|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*)?(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?$"
        )
    )]
    pub version: String,
    /// A custom element name: lowercase, starting with a letter, with a
    /// hyphen (not one of the eight names HTML reserves, e.g. `font-face`).
    #[cfg_attr(
        feature = "server",
        schema(pattern = "^[a-z][a-z0-9_.-]*-[a-z0-9_.-]*$")
    )]
    pub tag: String,
    /// A relative path inside the widget folder; among `files` when they are listed.
    #[cfg_attr(feature = "server", schema(value_type = RelativePath))]
    pub entry: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(pattern = "^[^\\u0000]*$"))]
    pub description: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(value_type = Option<RelativePath>))]
    pub icon: Option<String>,
    /// Where the sidecar serves the widget's folder, e.g. `http://127.0.0.1:41234/`.
    /// The server must reach it there (with `key`) before it accepts the registration.
    #[cfg_attr(feature = "server", schema(pattern = "^https?://[^\\s\\u0000]+$"))]
    pub base_url: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(value_type = FileManifestSchema))]
    pub files: FileManifest,
    #[serde(default)]
    pub interop: Interop,
    /// The sidecar forwards `api/*` to the widget's own backend service.
    #[serde(default)]
    pub api: bool,
    /// The FDC3 `appId` (default: the widget id). Unique in the registry: the
    /// first widget to register one keeps it, as with tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(pattern = "^[A-Za-z0-9._@:-]{1,128}$"))]
    pub app_id: Option<String>,
    /// The sidecar's per-instance key: it refuses every request that does not
    /// carry it in [`SIDECAR_KEY_HEADER`], so only the server reaches it. The
    /// server checks it can reach `base_url` with this key before accepting
    /// the registration; it is never shown in any answer or event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(pattern = "^[A-Za-z0-9_-]{32,128}$"))]
    pub key: Option<String>,
}

/// The header the server sends a sidecar its key in.
pub const SIDECAR_KEY_HEADER: &str = "tessera-sidecar-key";
/// Headers the server sets on what it forwards to a widget's backend (and
/// removes from what a client sent): the signed-in user's name, and the
/// groups they belong to, comma-separated.
pub const USER_HEADER: &str = "x-tessera-user";
pub const GROUPS_HEADER: &str = "x-tessera-groups";

/// Whether a widget's sidecar is keeping it alive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum WidgetState {
    /// Heartbeats arrive on schedule.
    Online,
    /// Heartbeats stopped; the entry is removed after a grace period.
    Offline,
}

impl WidgetState {
    pub fn as_str(self) -> &'static str {
        match self {
            WidgetState::Online => "online",
            WidgetState::Offline => "offline",
        }
    }
}

/// A registered widget as the registry stores and lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Widget {
    pub id: String,
    /// The FDC3 `appId` other apps know this widget by (its `app_id` in
    /// `widget.toml`; the widget id unless it names one). Empty only in
    /// events recorded before it existed: see [`Widget::fdc3_app_id`].
    #[serde(default)]
    pub app_id: String,
    /// The publisher that owns the id (`<publisher>.<name>`).
    pub publisher: String,
    pub title: String,
    pub version: String,
    pub tag: String,
    pub entry: String,
    pub description: String,
    pub icon: Option<String>,
    pub base_url: String,
    #[cfg_attr(feature = "server", schema(value_type = FileManifestSchema))]
    pub files: FileManifest,
    pub interop: Interop,
    /// The sidecar forwards `api/*` to the widget's own backend service.
    pub api: bool,
    /// Increases by one on every change of the entry.
    pub revision: i64,
    /// The sidecar process currently keeping the entry alive.
    pub instance: String,
    pub state: WidgetState,
    pub registered_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
}

impl Widget {
    /// The FDC3 `appId`: `app_id`, or the widget id where none was recorded.
    pub fn fdc3_app_id(&self) -> &str {
        if self.app_id.is_empty() {
            &self.id
        } else {
            &self.app_id
        }
    }
}

/// `GET /v1/widgets` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WidgetList {
    pub widgets: Vec<Widget>,
    /// Watch from here (`Last-Event-ID`) to miss no change after this list.
    pub last_event_id: i64,
}

/// How often a sidecar must heartbeat, and when a silent entry goes offline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct HeartbeatSchedule {
    pub interval_ms: u64,
    pub ttl_ms: u64,
}

/// Answer to a registration: the entry, the instance id to heartbeat with, the schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Registered {
    pub widget: Widget,
    pub instance: String,
    pub heartbeat: HeartbeatSchedule,
}

/// `POST /v1/widgets/{id}/heartbeat` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Heartbeat {
    pub instance: String,
}

/// What happened to an entry, as the watch stream tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Added,
    Updated,
    Offline,
    Removed,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Added => "added",
            EventKind::Updated => "updated",
            EventKind::Offline => "offline",
            EventKind::Removed => "removed",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        Some(match s {
            "added" => EventKind::Added,
            "updated" => EventKind::Updated,
            "offline" => EventKind::Offline,
            "removed" => EventKind::Removed,
            _ => return None,
        })
    }
}

/// One change of the catalogue. `id` increases monotonically across the
/// whole registry (all replicas).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WidgetEvent {
    pub id: i64,
    pub kind: EventKind,
    pub widget_id: String,
    /// The entry after the change; absent for `removed`.
    pub widget: Option<Widget>,
    pub at: DateTime<Utc>,
}

/// The one error envelope of every failing request (the whole server's).
pub use tessera_server_common::ErrorBody;
