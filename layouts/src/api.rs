//! The HTTP API's wire types: what `/v1/layouts…` and `/v1/users…` read and
//! answer. Always compiled (no axum, no sqlx), so clients share them.
//!
//! ```
//! use tessera_layouts::api::SaveLayout;
//! let body: SaveLayout = serde_json::from_str(
//!     r#"{"base_version": 3, "document": {"schema": 1, "root": {"type": "row", "content": []}}}"#,
//! ).unwrap();
//! assert_eq!(body.base_version, 3);
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::LayoutDocument;

/// The one error envelope of every failing request (the whole server's).
pub use tessera_server_common::ErrorBody;

/// Who may see a layout besides its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// The owner only (and admins).
    Private,
    /// Named users and groups.
    Shared,
    /// Everyone in the organisation may view (named users and groups may have more).
    Organisation,
}

/// What the caller may do with a layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Access {
    /// Read, list, follow, clone, export, read history.
    View,
    /// And save, rename, restore an old version.
    Edit,
    /// And change sharing, delete, restore from the bin, read the audit log.
    Owner,
    /// An admin who is not the owner: may do all an owner may.
    Admin,
}

/// A grant to a user or a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ShareAccess {
    View,
    Edit,
}

/// Where a clone came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClonedFrom {
    pub layout: String,
    pub version: i64,
}

/// A layout without its document, as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LayoutSummary {
    pub id: String,
    pub title: String,
    /// The owner's user name.
    pub owner: String,
    pub version: i64,
    pub visibility: Visibility,
    /// What the caller may do.
    pub access: Access,
    /// Widget ids the document uses, sorted, without repeats.
    pub widgets: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloned_from: Option<ClonedFrom>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set in the owner's bin (`scope=deleted`): restorable until `deleted_at` + 30 days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A layout with its current document (`GET /v1/layouts/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Layout {
    #[serde(flatten)]
    pub summary: LayoutSummary,
    pub document: LayoutDocument,
    /// For a clone: the source's current version, when the caller may still see the source.
    #[serde(default)]
    pub source_version: Option<i64>,
    /// For a clone: the source has versions newer than the one cloned.
    #[serde(default)]
    pub source_has_newer_versions: bool,
}

/// `GET /v1/layouts` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LayoutList {
    pub layouts: Vec<LayoutSummary>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `POST /v1/layouts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CreateLayout {
    /// Overrides the document's `title`; one of the two must be non-empty.
    #[serde(default)]
    #[cfg_attr(
        feature = "server",
        schema(max_length = 200, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$")
    )]
    pub title: Option<String>,
    /// A layout document (see the crate's model); checked like a save.
    #[cfg_attr(feature = "server", schema(value_type = LayoutDocument))]
    pub document: serde_json::Value,
}

/// `PUT /v1/layouts/{id}`: a new version, accepted only if `base_version` is current.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SaveLayout {
    /// The version the edit started from.
    #[cfg_attr(feature = "server", schema(minimum = 1))]
    pub base_version: i64,
    #[cfg_attr(feature = "server", schema(value_type = LayoutDocument))]
    pub document: serde_json::Value,
    /// Shown in the history.
    #[serde(default)]
    #[cfg_attr(
        feature = "server",
        schema(max_length = 1000, pattern = "^[^\\u0000]*$")
    )]
    pub message: Option<String>,
}

/// `PATCH /v1/layouts/{id}`: a new version with another title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RenameLayout {
    #[cfg_attr(feature = "server", schema(minimum = 1))]
    pub base_version: i64,
    /// Trimmed; 1 to 200 characters, no control characters.
    #[cfg_attr(
        feature = "server",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
        )
    )]
    pub title: String,
}

/// `POST /v1/layouts/{id}/versions/{version}/restore`: a new version holding an old one's document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RestoreVersion {
    #[cfg_attr(feature = "server", schema(minimum = 1))]
    pub base_version: i64,
    #[serde(default)]
    #[cfg_attr(
        feature = "server",
        schema(max_length = 1000, pattern = "^[^\\u0000]*$")
    )]
    pub message: Option<String>,
}

/// Answer to a save, rename or version restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Saved {
    pub id: String,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// `POST /v1/layouts/{id}/clone`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CloneLayout {
    /// Defaults to "Copy of <title>".
    #[serde(default)]
    #[cfg_attr(
        feature = "server",
        schema(max_length = 200, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$")
    )]
    pub title: Option<String>,
}

/// The schema of [`ImportGoldenLayout::config`]: an object with any members.
#[cfg(feature = "server")]
fn golden_layout_config() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(
            "What golden-layout's `saveLayout()` returned (2.x), or an older `{content: [...]}` config.",
        ))
        .additional_properties(Some(AdditionalProperties::FreeForm(true)))
        .build()
}

/// `POST /v1/layouts/import/golden-layout`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ImportGoldenLayout {
    #[cfg_attr(
        feature = "server",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
        )
    )]
    pub title: String,
    /// What golden-layout's `saveLayout()` returned (2.x), or an older `{content: [...]}` config.
    #[cfg_attr(feature = "server", schema(schema_with = golden_layout_config))]
    pub config: serde_json::Value,
}

/// One version in a layout's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct VersionInfo {
    pub version: i64,
    pub title: String,
    /// User name; absent if that user was removed.
    pub author: Option<String>,
    pub message: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// `GET /v1/layouts/{id}/versions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct VersionList {
    /// Newest first.
    pub versions: Vec<VersionInfo>,
}

/// `GET /v1/layouts/{id}/versions/{version}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LayoutVersion {
    #[serde(flatten)]
    pub info: VersionInfo,
    pub layout: String,
    pub document: LayoutDocument,
}

/// `GET /v1/layouts/{id}/diff?from=&to=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct VersionDiff {
    pub layout: String,
    pub from: i64,
    pub to: i64,
    #[serde(flatten)]
    pub diff: crate::diff::LayoutDiff,
}

/// A user's or group's grant on a layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Grant {
    pub name: String,
    pub access: ShareAccess,
}

/// `GET` / `PUT /v1/layouts/{id}/sharing`: the whole sharing state (PUT replaces it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Sharing {
    /// Everyone in the organisation may view.
    #[serde(default)]
    pub organisation: bool,
    #[serde(default)]
    pub users: Vec<Grant>,
    #[serde(default)]
    pub groups: Vec<Grant>,
}

/// One audit record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    pub id: i64,
    pub layout: Option<String>,
    /// User name of who did it (or tried to).
    pub actor: Option<String>,
    /// `shared`, `deleted`, `restored`, `purged` or `denied`.
    pub action: String,
    /// What changed (sharing before and after) or was refused (operation, reason).
    pub detail: serde_json::Value,
    pub at: DateTime<Utc>,
}

/// `GET /v1/layouts/{id}/audit`, `GET /v1/layouts/audit`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AuditLog {
    /// Newest first.
    pub events: Vec<AuditEvent>,
}

/// What the watch stream (`GET /v1/layouts/{id}/watch`) sends as `event: version`:
/// first the current version, then each newer one as it is saved. Several quick
/// saves may arrive as one event naming the newest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WatchVersion {
    pub layout: String,
    pub version: i64,
    pub title: String,
    pub author: Option<String>,
    pub message: Option<String>,
    pub at: DateTime<Utc>,
}

/// `event: gone`: the layout was deleted, or the caller may no longer see it. The stream ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WatchGone {
    pub layout: String,
    /// `deleted` or `no_access`.
    pub reason: String,
}

/// The accounts' wire types (users, groups, tokens), which the layouts'
/// clients use beside their own.
pub use tessera_accounts::api::{
    GroupInfo, GroupList, NewGroup, NewToken, NewUser, NewUserToken, TokenInfo, TokenLabel,
    TokenList, UserInfo, UserList,
};
