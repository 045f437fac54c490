//! Commands for the draft and the last layout: argument and result
//! conversion over [`crate::core::drafts`]. Writes (each one fsynced) run on
//! a blocking thread, never on the window's main thread.

use std::sync::Arc;

use tauri::State;

use crate::core::drafts::{Draft, Drafts};
use crate::core::ShellError;
use crate::Shell;

fn io(e: impl std::fmt::Display) -> ShellError {
    ShellError::new("io", format!("cannot keep the draft on disk: {e}"))
}

/// Runs a write to the drafts folder off the main thread.
async fn write(
    shell: &Arc<Shell>,
    f: impl FnOnce(&Drafts) -> std::io::Result<()> + Send + 'static,
) -> Result<(), ShellError> {
    let shell = shell.clone();
    tauri::async_runtime::spawn_blocking(move || f(&shell.drafts))
        .await
        .map_err(io)?
        .map_err(io)
}

#[tauri::command]
pub async fn draft_save(shell: State<'_, Arc<Shell>>, draft: Draft) -> Result<(), ShellError> {
    write(&shell, move |d| d.save(&draft)).await
}

#[tauri::command]
pub fn draft_load(shell: State<'_, Arc<Shell>>) -> Option<Draft> {
    shell.drafts.load()
}

#[tauri::command]
pub async fn draft_clear(shell: State<'_, Arc<Shell>>) -> Result<(), ShellError> {
    write(&shell, Drafts::clear).await
}

#[tauri::command]
pub async fn last_layout_set(
    shell: State<'_, Arc<Shell>>,
    id: Option<String>,
) -> Result<(), ShellError> {
    write(&shell, move |d| d.set_last_layout(id.as_deref())).await
}

#[tauri::command]
pub fn last_layout_get(shell: State<'_, Arc<Shell>>) -> Option<String> {
    shell.drafts.last_layout()
}
