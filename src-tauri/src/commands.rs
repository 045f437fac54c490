//! Tauri commands: each converts arguments and results, nothing more.

use std::sync::Arc;

use serde::Serialize;
use tauri::State;
use tessera_layouts::LayoutDocument;
use tessera_registry::api::Widget;

use crate::Shell;

#[tauri::command]
pub async fn list_widgets(shell: State<'_, Arc<Shell>>) -> Result<Vec<Widget>, String> {
    shell
        .catalogue
        .refresh()
        .await
        .map(|(widgets, _)| widgets)
        .map_err(|e| e.to_string())
}

#[derive(Serialize)]
pub struct ShellInfo {
    pub registry_url: String,
    pub version: &'static str,
}

#[tauri::command]
pub fn shell_info(shell: State<'_, Arc<Shell>>) -> ShellInfo {
    ShellInfo {
        registry_url: shell.catalogue.registry_url(),
        version: env!("CARGO_PKG_VERSION"),
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
