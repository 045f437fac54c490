//! `tessera-sidecar init NAME`: a widget folder that `run` serves straight away.

use std::path::{Path, PathBuf};

use tessera_registry::api::validate_publisher;

/// Creates `parent/NAME` with a manifest, a module defining `<local-NAME>`,
/// an icon and a README; returns the folder.
pub fn init(parent: &Path, name: &str, publisher: &str) -> anyhow::Result<PathBuf> {
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
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24"><rect x="3" y="3" width="18" height="18" rx="4" fill="#6366f1"/></svg>
"##
            .to_owned(),
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
        let dir = init(parent.path(), "price-board", "local").unwrap();
        let m = crate::manifest::load(&dir).unwrap();
        assert_eq!(m.id, "local.price-board");
        assert_eq!(m.tag, "local-price-board");
        let js = std::fs::read_to_string(dir.join("price-board.js")).unwrap();
        assert!(
            js.contains("customElements.define('local-price-board', PriceBoard)"),
            "{js}"
        );
        let again = init(parent.path(), "price-board", "local").unwrap_err();
        assert!(again.to_string().contains("not empty"), "{again}");
        assert!(init(parent.path(), "Bad Name", "local").is_err());
    }
}
