//! `widget.toml`: parsing and the rules a widget folder must keep.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use tessera_registry::api::{self, FieldError, Interop};

pub const MANIFEST_FILE: &str = "widget.toml";

/// What a widget author writes in `widget.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WidgetManifest {
    pub id: String,
    pub title: String,
    pub version: String,
    pub tag: String,
    pub entry: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub icon: Option<String>,
    #[serde(default)]
    pub interop: Interop,
    /// The widget's own service on loopback, e.g. `http://127.0.0.1:8080`:
    /// the sidecar forwards `/api/*` to it.
    #[serde(default)]
    pub backend: Option<String>,
    /// The FDC3 `appId` other apps target it by (default: the widget id).
    #[serde(default)]
    pub app_id: Option<String>,
}

/// A manifest problem: the file, the field (when one is to blame) and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Syntax { path: PathBuf, message: String },
    #[error("{}: {field}: {message}", path.display())]
    Field {
        path: PathBuf,
        field: String,
        message: String,
    },
}

impl ManifestError {
    /// The field at fault, when the error is about one.
    pub fn field(&self) -> Option<&str> {
        match self {
            ManifestError::Field { field, .. } => Some(field),
            _ => None,
        }
    }
}

/// Reads `dir/widget.toml` and checks it against the folder.
pub fn load(dir: &Path) -> Result<WidgetManifest, ManifestError> {
    let path = dir.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&path).map_err(|source| ManifestError::Read {
        path: path.clone(),
        source,
    })?;
    let manifest = parse(&path, &text)?;
    manifest.check_folder(&path, dir)?;
    Ok(manifest)
}

/// Parses manifest text; `path` is only used in messages.
pub fn parse(path: &Path, text: &str) -> Result<WidgetManifest, ManifestError> {
    let manifest: WidgetManifest = toml::from_str(text).map_err(|e| {
        let message = e.message().to_owned();
        // toml's messages say "missing field `id`": lift the field out so
        // callers can switch on it like on any other field error.
        match missing_field(&message) {
            Some(field) => ManifestError::Field {
                path: path.to_owned(),
                field,
                message: "is missing".to_owned(),
            },
            None => ManifestError::Syntax {
                path: path.to_owned(),
                message: match e.span() {
                    Some(span) => format!("line {}: {message}", line_of(text, span.start)),
                    None => message,
                },
            },
        }
    })?;
    manifest.check_rules(path)?;
    Ok(manifest)
}

/// A backend must be plain HTTP on loopback: the sidecar never becomes a
/// proxy to anywhere else.
pub fn backend_url(raw: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(raw).map_err(|e| format!("{raw:?} is not a URL: {e}"))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if url.scheme() != "http" || !loopback || url.port().is_none() {
        return Err(format!(
            "{raw:?} must be http://127.0.0.1:PORT (or localhost): a service of the widget's own on this machine"
        ));
    }
    Ok(url)
}

fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    Some(rest.split('`').next()?.to_owned())
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl WidgetManifest {
    fn field_err(path: &Path, e: FieldError) -> ManifestError {
        ManifestError::Field {
            path: path.to_owned(),
            field: e.field,
            message: e.message,
        }
    }

    /// Rules that need only the manifest itself.
    fn check_rules(&self, path: &Path) -> Result<(), ManifestError> {
        let f = |e| Self::field_err(path, e);
        // The server refuses U+0000 in any string (Postgres cannot store it).
        for (field, value) in [
            ("id", &self.id),
            ("title", &self.title),
            ("version", &self.version),
            ("tag", &self.tag),
            ("entry", &self.entry),
            ("description", &self.description),
        ] {
            if value.contains('\0') {
                return Err(f(FieldError::new(
                    field,
                    "contains the character U+0000 (NUL)",
                )));
            }
        }
        api::validate_widget_id(&self.id).map_err(f)?;
        if self.title.trim().is_empty() {
            return Err(f(FieldError::new("title", "is empty")));
        }
        semver::Version::parse(&self.version).map_err(|e| {
            f(FieldError::new(
                "version",
                format!(
                    "{:?} is not a semantic version (e.g. \"1.2.0\"): {e}",
                    self.version
                ),
            ))
        })?;
        api::validate_tag(&self.tag).map_err(f)?;
        if let Some(app_id) = &self.app_id {
            api::validate_app_id(app_id).map_err(f)?;
        }
        api::validate_relative_path("entry", &self.entry).map_err(f)?;
        if let Some(icon) = &self.icon {
            api::validate_relative_path("icon", icon).map_err(f)?;
        }
        for (i, ty) in self.interop.listens.iter().enumerate() {
            api::validate_context_type(&format!("interop.listens[{i}]"), ty).map_err(f)?;
        }
        for (i, ty) in self.interop.broadcasts.iter().enumerate() {
            api::validate_context_type(&format!("interop.broadcasts[{i}]"), ty).map_err(f)?;
        }
        api::validate_intents(&self.interop.intents).map_err(f)?;
        if let Some(b) = &self.backend {
            backend_url(b).map_err(|m| f(FieldError::new("backend", m)))?;
        }
        Ok(())
    }

    /// The backend's URL, when the manifest names one.
    pub fn backend_url(&self) -> Option<url::Url> {
        self.backend.as_deref().and_then(|b| backend_url(b).ok())
    }

    /// Rules about the folder: the entry module and icon are files the
    /// sidecar will serve and register (the same rule as every request).
    fn check_folder(&self, path: &Path, dir: &Path) -> Result<(), ManifestError> {
        let must_exist = |field: &str, rel: &str| {
            crate::files::servable(dir, rel)
                .map(|_| ())
                .map_err(|e| ManifestError::Field {
                    path: path.to_owned(),
                    field: field.to_owned(),
                    message: match e {
                        crate::files::NotServable::Missing(_) => {
                            format!("{} does not exist", dir.join(rel).display())
                        }
                        other => other.to_string(),
                    },
                })
        };
        must_exist("entry", &self.entry)?;
        if let Some(icon) = &self.icon {
            must_exist("icon", icon)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
id = "acme.clock"
title = "Clock"
version = "1.0.0"
tag = "acme-clock"
entry = "clock.js"
[interop]
listens = ["fdc3.instrument"]
"#;

    fn parse_str(text: &str) -> Result<WidgetManifest, ManifestError> {
        parse(Path::new("w/widget.toml"), text)
    }

    #[test]
    fn a_good_manifest_parses() {
        let m = parse_str(GOOD).unwrap();
        assert_eq!(m.id, "acme.clock");
        assert_eq!(m.interop.listens, ["fdc3.instrument"]);
    }

    #[test]
    fn missing_id_names_the_field() {
        let e = parse_str(&GOOD.replace("id = \"acme.clock\"\n", "")).unwrap_err();
        assert_eq!(e.field(), Some("id"), "{e}");
        assert!(e.to_string().starts_with("w/widget.toml: id"), "{e}");
    }

    #[test]
    fn a_tag_without_hyphen_names_the_field() {
        let e = parse_str(&GOOD.replace("acme-clock", "clock")).unwrap_err();
        assert_eq!(e.field(), Some("tag"));
        assert!(e.to_string().contains("hyphen"), "{e}");
    }

    #[test]
    fn bad_version_and_unknown_keys() {
        let e = parse_str(&GOOD.replace("1.0.0", "v1")).unwrap_err();
        assert_eq!(e.field(), Some("version"));
        let e = parse_str(&format!("colour = \"red\"\n{GOOD}")).unwrap_err();
        assert!(e.to_string().contains("colour"), "{e}");
        assert!(e.to_string().contains("line 1"), "{e}");
    }

    #[test]
    fn backends_stay_on_loopback() {
        let with = |b: &str| {
            parse_str(
                &format!("{GOOD}backend = \"{b}\"\n")
                    .replace("[interop]\nlistens = [\"fdc3.instrument\"]\n", ""),
            )
        };
        assert!(with("http://127.0.0.1:8080").is_ok());
        assert!(with("http://localhost:9000").is_ok());
        for bad in [
            "http://example.com:80",
            "https://127.0.0.1:8080",
            "http://10.0.0.1:80",
            "http://127.0.0.1",
        ] {
            let e = with(bad).unwrap_err();
            assert_eq!(e.field(), Some("backend"), "{bad}: {e}");
        }
    }

    #[test]
    fn an_absent_entry_file_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(MANIFEST_FILE), GOOD).unwrap();
        let e = load(dir.path()).unwrap_err();
        assert_eq!(e.field(), Some("entry"));
        assert!(
            e.to_string()
                .contains(&dir.path().join("clock.js").display().to_string()),
            "{e}"
        );
        std::fs::write(dir.path().join("clock.js"), "export {}").unwrap();
        load(dir.path()).unwrap();
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn toml_string(s: &str) -> String {
            toml::Value::String(s.to_owned()).to_string()
        }

        proptest! {
            #![proptest_config(proptest::test_runner::Config::with_cases(512))]

            /// Any text at all: an error, never a panic.
            #[test]
            fn any_text_parses_or_is_an_error(text in any::<String>()) {
                let _ = parse_str(&text);
            }

            /// Any title and description: kept exactly, or refused naming the field.
            #[test]
            fn any_title_and_description_are_kept_or_named(title in any::<String>(), desc in any::<String>()) {
                let text = GOOD.replace("title = \"Clock\"", &format!("title = {}\ndescription = {}", toml_string(&title), toml_string(&desc)));
                match parse_str(&text) {
                    Ok(m) => {
                        prop_assert_eq!(&m.title, &title);
                        prop_assert_eq!(&m.description, &desc);
                        prop_assert!(!title.contains('\0') && !desc.contains('\0'));
                    }
                    Err(e) => {
                        let field = e.field().unwrap_or_default().to_owned();
                        prop_assert!(field == "title" || field == "description", "{e}");
                    }
                }
            }
        }
    }
}
