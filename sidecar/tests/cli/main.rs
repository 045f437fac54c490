//! The sidecar binary as a widget author runs it.

mod check;
mod hostile;
mod run;

use std::path::{Path, PathBuf};

pub fn sidecar() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_tessera-sidecar"))
}

pub const GOOD_MANIFEST: &str = r#"id = "acme.card"
title = "Card"
version = "0.3.1"
tag = "acme-card"
entry = "card.js"
icon = "icon.svg"
"#;

/// A widget folder with a valid manifest, its entry module and its icon.
pub fn widget_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "widget.toml", GOOD_MANIFEST);
    write(
        dir.path(),
        "card.js",
        "customElements.define('acme-card', class extends HTMLElement {});",
    );
    write(
        dir.path(),
        "icon.svg",
        "<svg xmlns='http://www.w3.org/2000/svg'/>",
    );
    dir
}

pub fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}
