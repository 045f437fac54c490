//! Commands about the app itself: the widgets the catalogue lists, what the
//! page needs to know of the shell, the demo layout and start-up marks.

use std::sync::Arc;

use tauri::{State, Webview};
use tessera_layouts::LayoutDocument;
use tessera_registry::api::Widget;

use crate::core::page::ShellInfo;
use crate::core::ShellError;
use crate::Shell;

#[tauri::command]
pub async fn list_widgets(shell: State<'_, Arc<Shell>>) -> Result<Vec<Widget>, ShellError> {
    shell
        .catalogue
        .refresh()
        .await
        .map(|(widgets, _)| widgets)
        .map_err(|e| ShellError::new("unavailable", e.to_string()))
}

#[tauri::command]
pub fn shell_info(shell: State<'_, Arc<Shell>>, webview: Webview) -> ShellInfo {
    ShellInfo {
        registry_url: shell.catalogue.registry_url(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        window: webview.label().to_owned(),
        view: shell.settings.view.clone(),
        opening: (webview.label() == "main")
            .then(|| shell.settings.opening.as_ref().map(Into::into))
            .flatten(),
    }
}

/// The layout to open on start: the bundled demo, or none when turned off.
#[tauri::command]
pub fn demo_layout(shell: State<'_, Arc<Shell>>) -> Option<LayoutDocument> {
    shell
        .settings
        .demo_layout
        .then(tessera_layouts::demo_layout)
}

/// A first screen drawn (`sign-in`, `first-widget`, `layout`): logged once
/// for the start-up benchmark, which times the line from the app's start.
#[tauri::command]
pub fn startup_mark(webview: Webview, what: String) {
    if webview.label() == "main" && matches!(what.as_str(), "sign-in" | "first-widget" | "layout") {
        tracing::info!(mark = %what, "startup mark");
    }
}
