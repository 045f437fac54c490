//! The naming rules every party checks the same way, each failure naming
//! its field: widget ids, tags, paths, context types, intents, app ids, and
//! a whole registration.

use super::{IntentDecl, WidgetRegistration};

/// What [`validate_relative_path`] takes, as an ECMA-262 pattern: segments
/// joined by `/`, none empty or `..`, no `\\`, `:` or NUL.
pub const RELATIVE_PATH_PATTERN: &str = r"^(?:[^/\\:.\u0000][^/\\:\u0000]*|\.|\.[^/\\:.\u0000][^/\\:\u0000]*|\.\.[^/\\:\u0000]+)(?:/(?:[^/\\:.\u0000][^/\\:\u0000]*|\.|\.[^/\\:.\u0000][^/\\:\u0000]*|\.\.[^/\\:\u0000]+))*$";

/// No whitespace or control characters (ECMA's `\s` is a little wider than
/// Rust's `is_whitespace`: the schema is never looser than the server).
pub const CONTEXT_TYPE_PATTERN: &str = r"^[^\s\u0000-\u001f\u007f-\u009f]+$";
/// The longest context type name, in characters.
pub const MAX_CONTEXT_TYPE_CHARS: usize = 256;

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
