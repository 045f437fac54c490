//! `tessera-sidecar init NAME [--template vanilla|lit|svelte]`: a widget
//! folder. The vanilla one `run` serves straight away; the Lit and Svelte
//! ones are npm projects (`templates/`, embedded in the binary) whose build
//! output is what `run` serves.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use tessera_registry::api::validate_publisher;

/// What a new widget is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Template {
    /// A custom element in one ES module, no build step.
    #[default]
    Vanilla,
    /// Lit, built with vite into one ES module.
    Lit,
    /// Svelte compiled to a custom element, built with vite into one ES module.
    Svelte,
}

static LIT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates/lit");
static SVELTE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates/svelte");
/// What every framework starter has alike (the build check, the dev page,
/// the icon, `.gitignore`).
static COMMON: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates/common");
/// The SDK's declarations for authors, as `sdk-types/` publishes them.
const SDK_TYPES: &str = include_str!("../../sdk-types/tessera-widget.d.ts");
/// The icon every new widget starts with.
const ICON: &str = include_str!("../templates/common/icon.svg");

/// Every file of an embedded template, below `dir`.
fn files_of<'a>(dir: &'a Dir<'a>, out: &mut Vec<&'a include_dir::File<'a>>) {
    out.extend(dir.files());
    for sub in dir.dirs() {
        files_of(sub, out);
    }
}

/// Writes the template into `dir`, its `{{placeholders}}` replaced.
fn write_template(
    template: &Dir<'static>,
    dir: &Path,
    vars: &[(&str, &str)],
) -> anyhow::Result<()> {
    let mut files = Vec::new();
    files_of(template, &mut files);
    for f in files {
        let path = dir.join(f.path());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        match f.contents_utf8() {
            Some(text) => {
                let text = vars.iter().fold(text.to_owned(), |t, (k, v)| {
                    t.replace(&format!("{{{{{k}}}}}"), v)
                });
                std::fs::write(path, text)?;
            }
            None => std::fs::write(path, f.contents())?,
        }
    }
    Ok(())
}

/// Creates `parent/NAME` from `template`; the vanilla one: a manifest, a
/// module defining `<PUBLISHER-NAME>`, an icon and a README. Returns the folder.
pub fn init(
    parent: &Path,
    name: &str,
    publisher: &str,
    template: Template,
) -> anyhow::Result<PathBuf> {
    validate_publisher(name).map_err(|_| {
        anyhow::anyhow!("{name:?} is not a widget name: use lowercase letters, digits and '-', starting with a letter")
    })?;
    validate_publisher(publisher)?;
    let dir = parent.join(name);
    if dir.exists() && std::fs::read_dir(&dir)?.next().is_some() {
        anyhow::bail!("{} already exists and is not empty", dir.display());
    }
    std::fs::create_dir_all(&dir)?;
    let tag = format!("{publisher}-{name}");
    let class = name
        .split('-')
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect::<String>();
    let title = name.replace('-', " ");
    // The framework, and the module its dev page loads.
    let framework = match template {
        Template::Vanilla => None,
        Template::Lit => Some((&LIT, "widget.ts")),
        Template::Svelte => Some((&SVELTE, "main.ts")),
    };
    if let Some((t, dev_entry)) = framework {
        let vars = [
            ("name", name),
            ("publisher", publisher),
            ("tag", tag.as_str()),
            ("title", title.as_str()),
            ("class", class.as_str()),
            ("dev_entry", dev_entry),
        ];
        write_template(&COMMON, &dir, &vars)?;
        write_template(t, &dir, &vars)?;
        std::fs::write(dir.join("src").join("tessera-widget.d.ts"), SDK_TYPES)?;
        return Ok(dir);
    }
    let files: [(&str, String); 4] = [
        (
            "widget.toml",
            format!(
                r#"# A Tessera widget. Check it with `tessera-sidecar check`, publish it with `tessera-sidecar run`.
id = "{publisher}.{name}"
title = "{title}"
version = "0.1.0"
tag = "{tag}"
entry = "{name}.js"
description = "A new widget."
icon = "icon.svg"

[interop]
listens = []      # context types this widget reacts to, e.g. "fdc3.instrument"
broadcasts = []   # context types it sends
"#
            ),
        ),
        (
            &format!("{name}.js"),
            format!(
                r#"// <{tag}>: a vanilla custom element. The shell loads this module in a
// sandboxed frame and places the element; relative URLs load this folder's files.
class {class} extends HTMLElement {{
  connectedCallback() {{
    const root = this.attachShadow({{ mode: 'open' }});
    root.innerHTML = `
      <style>
        :host {{ display: block; height: 100%; font-family: system-ui, sans-serif; }}
        .card {{ box-sizing: border-box; height: 100%; padding: 1rem; }}
      </style>
      <div class="card"><h2>{title}</h2><p>Edit {name}.js and save: open shells reload this widget.</p></div>`;
  }}
}}

customElements.define('{tag}', {class});
"#
            ),
        ),
        (
            "icon.svg",
            ICON.to_owned(),
        ),
        (
            "README.md",
            format!("# {title}\n\nRun `tessera-sidecar run` here to publish this widget to the registry.\n"),
        ),
    ];
    for (file, text) in files {
        std::fs::write(dir.join(file), text)?;
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scaffold_passes_its_own_checks() {
        let parent = tempfile::tempdir().unwrap();
        let dir = init(parent.path(), "price-board", "local", Template::Vanilla).unwrap();
        let m = crate::manifest::load(&dir).unwrap();
        assert_eq!(m.id, "local.price-board");
        assert_eq!(m.tag, "local-price-board");
        let js = std::fs::read_to_string(dir.join("price-board.js")).unwrap();
        assert!(
            js.contains("customElements.define('local-price-board', PriceBoard)"),
            "{js}"
        );
        let again = init(parent.path(), "price-board", "local", Template::Lit).unwrap_err();
        assert!(again.to_string().contains("not empty"), "{again}");
        assert!(init(parent.path(), "Bad Name", "local", Template::Vanilla).is_err());
    }

    #[test]
    fn the_framework_templates_are_filled_in_and_pass_check_once_built() {
        for template in [Template::Lit, Template::Svelte] {
            let parent = tempfile::tempdir().unwrap();
            let dir = init(parent.path(), "rate-card", "acme", template).unwrap();
            let manifest = std::fs::read_to_string(dir.join("widget.toml")).unwrap();
            assert!(manifest.contains("id = \"acme.rate-card\""), "{manifest}");
            assert!(manifest.contains("tag = \"acme-rate-card\""), "{manifest}");
            let mut files = Vec::new();
            files_of(&COMMON, &mut files);
            files_of(
                if template == Template::Lit {
                    &LIT
                } else {
                    &SVELTE
                },
                &mut files,
            );
            for f in files {
                let text = std::fs::read_to_string(dir.join(f.path())).unwrap_or_default();
                assert!(
                    !text.contains("{{"),
                    "{template:?} {}: a placeholder left",
                    f.path().display()
                );
            }
            let package: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(dir.join("package.json")).unwrap())
                    .unwrap();
            assert_eq!(package["name"], "rate-card", "{template:?}");
            // The starters declare the SDK as sdk-types/ does (which web/
            // checks against the SDK).
            let declared = std::fs::read_to_string(dir.join("src/tessera-widget.d.ts")).unwrap();
            assert!(declared == SDK_TYPES, "{template:?}");
            let dev = std::fs::read_to_string(dir.join("dev/index.html")).unwrap();
            let entry = if template == Template::Lit {
                "widget.ts"
            } else {
                "main.ts"
            };
            assert!(
                dev.contains(&format!("src=\"../src/{entry}\"")),
                "{template:?}: {dev}"
            );
            // The entry is the build's output: check says so until it is built.
            let m = crate::manifest::load(&dir).unwrap_err();
            assert!(m.to_string().contains("entry"), "{template:?}: {m}");
        }
    }
}
