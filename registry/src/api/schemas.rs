//! The OpenAPI schemas of the strings the rules take (a file manifest, a
//! relative path, a context type name), so the document states the rules.

use super::{
    CONTEXT_TYPE_PATTERN, MAX_CONTEXT_TYPE_CHARS, MAX_MANIFEST_FILES, RELATIVE_PATH_PATTERN,
};

/// The OpenAPI schema of [`super::FileManifest`], named after it (utoipa would name
/// the alias after `BTreeMap`).
pub struct FileManifestSchema;

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

impl utoipa::ToSchema for FileManifestSchema {
    fn name() -> std::borrow::Cow<'static, str> {
        "FileManifest".into()
    }
}

/// A path as [`super::validate_relative_path`] takes it.
pub struct RelativePath;

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

impl utoipa::ToSchema for RelativePath {}

/// A context type name as [`super::validate_context_type`] takes it.
pub struct ContextTypeName;

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

impl utoipa::ToSchema for ContextTypeName {}
