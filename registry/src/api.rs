//! Wire types of the registry's HTTP API and the naming rules every party
//! checks the same way (the sidecar before registering, the server on
//! receipt, the shell before showing a widget).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Path (relative to the widget folder, `/`-separated) → lowercase hex sha256.
pub type FileManifest = BTreeMap<String, String>;

/// The OpenAPI schema of [`FileManifest`], named after it (utoipa would name
/// the alias after `BTreeMap`).
#[cfg(feature = "server")]
pub struct FileManifestSchema;

#[cfg(feature = "server")]
impl utoipa::PartialSchema for FileManifestSchema {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "Path (relative to the widget folder, `/`-separated) → lowercase hex sha256.",
            ))
            .property_names(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(RELATIVE_PATH_PATTERN)),
            ))
            .max_properties(Some(MAX_MANIFEST_FILES))
            .additional_properties(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some("^[0-9a-f]{64}$")),
            ))
            .examples([serde_json::json!({
                "clock.js": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
            })])
            .into()
    }
}

#[cfg(feature = "server")]
impl utoipa::ToSchema for FileManifestSchema {
    fn name() -> std::borrow::Cow<'static, str> {
        "FileManifest".into()
    }
}

/// What [`validate_relative_path`] takes, as an ECMA-262 pattern: segments
/// joined by `/`, none empty or `..`, no `\\`, `:` or NUL.
pub const RELATIVE_PATH_PATTERN: &str = r"^(?:[^/\\:.\u0000][^/\\:\u0000]*|\.|\.[^/\\:.\u0000][^/\\:\u0000]*|\.\.[^/\\:\u0000]+)(?:/(?:[^/\\:.\u0000][^/\\:\u0000]*|\.|\.[^/\\:.\u0000][^/\\:\u0000]*|\.\.[^/\\:\u0000]+))*$";

/// A path as [`validate_relative_path`] takes it.
#[cfg(feature = "server")]
pub struct RelativePath;

#[cfg(feature = "server")]
impl utoipa::PartialSchema for RelativePath {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("A relative, `/`-separated path inside the widget folder: no empty or `..` segments, no `\\` or `:`."))
            .pattern(Some(RELATIVE_PATH_PATTERN))
            .into()
    }
}

#[cfg(feature = "server")]
impl utoipa::ToSchema for RelativePath {}

/// A context type name as [`validate_context_type`] takes it.
#[cfg(feature = "server")]
pub struct ContextTypeName;

#[cfg(feature = "server")]
impl utoipa::PartialSchema for ContextTypeName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("An FDC3 context type, e.g. `fdc3.instrument`: 1 to 256 characters, no whitespace or control characters."))
            .min_length(Some(1))
            .max_length(Some(MAX_CONTEXT_TYPE_CHARS))
            .pattern(Some(CONTEXT_TYPE_PATTERN))
            .into()
    }
}

#[cfg(feature = "server")]
impl utoipa::ToSchema for ContextTypeName {}

/// No whitespace or control characters (ECMA's `\s` is a little wider than
/// Rust's `is_whitespace`: the schema is never looser than the server).
pub const CONTEXT_TYPE_PATTERN: &str = r"^[^\s\u0000-\u001f\u007f-\u009f]+$";
/// The longest context type name, in characters.
pub const MAX_CONTEXT_TYPE_CHARS: usize = 256;

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

/// A rule broken by a registration: names the field and says what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

const MAX_ID_LEN: usize = 128;

fn is_name_part(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `<publisher>.<name>`: two lowercase parts of letters, digits and `-`,
/// each starting with a letter.
pub fn validate_widget_id(id: &str) -> Result<(), FieldError> {
    let bad = |why: &str| FieldError::new("id", format!("{id:?} {why}"));
    if id.is_empty() {
        return Err(FieldError::new("id", "is missing or empty"));
    }
    if id.len() > MAX_ID_LEN {
        return Err(bad(&format!("is longer than {MAX_ID_LEN} characters")));
    }
    match id.split_once('.') {
        Some((publisher, name)) if is_name_part(publisher) && is_name_part(name) => Ok(()),
        _ => Err(bad("must be <publisher>.<name>: two lowercase parts of letters, digits and '-', each starting with a letter, joined by one '.'")),
    }
}

/// A valid custom-element name: lowercase, starts with a letter, contains a hyphen.
pub fn validate_tag(tag: &str) -> Result<(), FieldError> {
    let bad = |why: &str| FieldError::new("tag", format!("{tag:?} {why}"));
    if tag.is_empty() {
        return Err(FieldError::new("tag", "is missing or empty"));
    }
    if !tag.contains('-') {
        return Err(bad(
            "has no hyphen: custom element names must contain one (e.g. \"acme-clock\")",
        ));
    }
    if !tag.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err(bad("must start with a lowercase letter"));
    }
    if !tag
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_' || c == '.')
    {
        return Err(bad(
            "may only hold lowercase letters, digits, '-', '_' and '.'",
        ));
    }
    const RESERVED: [&str; 8] = [
        "annotation-xml",
        "color-profile",
        "font-face",
        "font-face-src",
        "font-face-uri",
        "font-face-format",
        "font-face-name",
        "missing-glyph",
    ];
    if RESERVED.contains(&tag) {
        return Err(bad("is reserved by the HTML standard"));
    }
    Ok(())
}

/// A relative, `/`-separated path that stays inside the widget folder.
pub fn validate_relative_path(field: &str, path: &str) -> Result<(), FieldError> {
    let bad = |why: &str| FieldError::new(field, format!("{path:?} {why}"));
    if path.is_empty() {
        return Err(FieldError::new(field, "is missing or empty"));
    }
    if path.starts_with('/') || path.contains('\\') || path.contains(':') {
        return Err(bad(
            "must be a relative path with '/' separators inside the widget folder",
        ));
    }
    if path.split('/').any(|seg| seg.is_empty() || seg == "..") {
        return Err(bad("must not contain '..' or empty segments"));
    }
    Ok(())
}

/// An FDC3 context type name such as `fdc3.instrument`: no whitespace, not empty.
pub fn validate_context_type(field: &str, ty: &str) -> Result<(), FieldError> {
    if ty.is_empty()
        || ty.chars().count() > MAX_CONTEXT_TYPE_CHARS
        || ty.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(FieldError::new(
            field,
            format!("{ty:?} is not a context type name (e.g. \"fdc3.instrument\")"),
        ));
    }
    Ok(())
}

/// Intent names are FDC3 identifiers (`ViewChart`); each context type well-formed.
pub fn validate_intents(intents: &[IntentDecl]) -> Result<(), FieldError> {
    for (i, intent) in intents.iter().enumerate() {
        let ok = !intent.name.is_empty()
            && intent.name.len() <= 128
            && intent
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-');
        if !ok {
            return Err(FieldError::new(
                format!("interop.intents[{i}].name"),
                format!("{:?} is not an intent name (letters, digits, '.', '_', '-'; e.g. \"ViewChart\")", intent.name),
            ));
        }
        for (j, ty) in intent.contexts.iter().enumerate() {
            validate_context_type(&format!("interop.intents[{i}].contexts[{j}]"), ty)?;
        }
    }
    Ok(())
}

/// The publisher part of a (valid) widget id.
pub fn publisher_of(id: &str) -> &str {
    id.split_once('.').map_or(id, |(p, _)| p)
}

/// A publisher name: the first part of a widget id.
pub fn validate_publisher(name: &str) -> Result<(), FieldError> {
    if is_name_part(name) && name.len() <= 64 {
        Ok(())
    } else {
        Err(FieldError::new(
            "publisher",
            format!("{name:?} must be lowercase letters, digits and '-', starting with a letter"),
        ))
    }
}

/// A MIME type from the file extension; widget bundles are small and known.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("wasm") => "application/wasm",
        Some("txt" | "md" | "toml") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// An FDC3 `appId`: 1 to 128 characters of letters, digits, `.`, `-`, `_`,
/// `@` and `:` (the conformance suite's mixed-case ids included).
pub fn validate_app_id(app_id: &str) -> Result<(), FieldError> {
    let ok = !app_id.is_empty()
        && app_id.len() <= 128
        && app_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@' | ':'));
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            "app_id",
            format!("{app_id:?} must be 1 to 128 characters of letters, digits, '.', '-', '_', '@' and ':'"),
        ))
    }
}

/// Largest file manifest a registration may carry.
pub const MAX_MANIFEST_FILES: usize = 2_000;

impl WidgetRegistration {
    /// Checks every rule; the first broken one is returned, naming its field.
    pub fn validate(&self) -> Result<(), FieldError> {
        validate_widget_id(&self.id)?;
        if self.title.trim().is_empty() {
            return Err(FieldError::new("title", "is missing or empty"));
        }
        semver::Version::parse(&self.version).map_err(|e| {
            FieldError::new(
                "version",
                format!(
                    "{:?} is not a semantic version (e.g. \"1.2.0\"): {e}",
                    self.version
                ),
            )
        })?;
        validate_tag(&self.tag)?;
        validate_relative_path("entry", &self.entry)?;
        if let Some(icon) = &self.icon {
            validate_relative_path("icon", icon)?;
        }
        let base = url::Url::parse(&self.base_url).map_err(|e| {
            FieldError::new("base_url", format!("{:?} is not a URL: {e}", self.base_url))
        })?;
        if !matches!(base.scheme(), "http" | "https") || base.host().is_none() {
            return Err(FieldError::new(
                "base_url",
                format!("{:?} must be an http(s) URL with a host", self.base_url),
            ));
        }
        if self.files.len() > MAX_MANIFEST_FILES {
            return Err(FieldError::new(
                "files",
                format!(
                    "lists {} files; at most {MAX_MANIFEST_FILES} are allowed",
                    self.files.len()
                ),
            ));
        }
        for (path, hash) in &self.files {
            validate_relative_path(&format!("files[{path:?}]"), path)?;
            if hash.len() != 64 || !hash.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')) {
                return Err(FieldError::new(
                    format!("files[{path:?}]"),
                    "must be a lowercase hex sha256 (64 characters)",
                ));
            }
        }
        if !self.files.is_empty() && !self.files.contains_key(&self.entry) {
            return Err(FieldError::new(
                "entry",
                format!("{:?} is not among the registered files", self.entry),
            ));
        }
        for (i, ty) in self.interop.listens.iter().enumerate() {
            validate_context_type(&format!("interop.listens[{i}]"), ty)?;
        }
        for (i, ty) in self.interop.broadcasts.iter().enumerate() {
            validate_context_type(&format!("interop.broadcasts[{i}]"), ty)?;
        }
        validate_intents(&self.interop.intents)?;
        if let Some(app_id) = &self.app_id {
            validate_app_id(app_id)?;
        }
        if let Some(key) = &self.key {
            if key.len() < 32
                || key.len() > 128
                || !key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            {
                return Err(FieldError::new(
                    "key",
                    "must be 32 to 128 characters of A-Z, a-z, 0-9, '-' and '_'",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/b.JS"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("icon.svg"), "image/svg+xml");
        assert_eq!(content_type("blob"), "application/octet-stream");
    }

    #[test]
    fn widget_ids_need_publisher_and_name() {
        assert!(validate_widget_id("acme.price-chart").is_ok());
        assert!(validate_widget_id("tessera.greeting2").is_ok());
        for bad in [
            "",
            "acme",
            "Acme.chart",
            "acme.",
            ".chart",
            "acme.chart.x",
            "acme.1chart",
            "acme.chart-",
        ] {
            let err = validate_widget_id(bad).unwrap_err();
            assert_eq!(err.field, "id", "{bad:?} must be refused on the id field");
        }
    }

    #[test]
    fn tags_need_a_hyphen_and_lowercase() {
        assert!(validate_tag("acme-clock").is_ok());
        assert!(validate_tag("clock")
            .unwrap_err()
            .message
            .contains("no hyphen"));
        assert!(validate_tag("Acme-clock").is_err());
        assert!(validate_tag("1-clock").is_err());
        assert!(validate_tag("font-face").is_err());
    }

    #[test]
    fn paths_stay_inside_the_folder() {
        assert!(validate_relative_path("entry", "dist/app.js").is_ok());
        for bad in ["", "/etc/passwd", "../x.js", "a//b.js", "a\\b.js", "c:x.js"] {
            assert!(validate_relative_path("entry", bad).is_err(), "{bad:?}");
        }
    }
}
