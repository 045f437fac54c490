//! Commands for the draft and the last layout: argument and result
//! conversion over [`crate::core::drafts`].

use std::sync::Arc;

use tauri::State;

use crate::core::drafts::Draft;
use crate::Shell;

fn io(e: std::io::Error) -> String {
    format!("cannot keep the draft on disk: {e}")
}

#[tauri::command]
pub fn draft_save(shell: State<'_, Arc<Shell>>, draft: Draft) -> Result<(), String> {
    shell.drafts.save(&draft).map_err(io)
}

#[tauri::command]
pub fn draft_load(shell: State<'_, Arc<Shell>>) -> Option<Draft> {
    shell.drafts.load()
}

#[tauri::command]
pub fn draft_clear(shell: State<'_, Arc<Shell>>) -> Result<(), String> {
    shell.drafts.clear().map_err(io)
}

#[tauri::command]
pub fn last_layout_set(shell: State<'_, Arc<Shell>>, id: Option<String>) -> Result<(), String> {
    shell.drafts.set_last_layout(id.as_deref()).map_err(io)
}

#[tauri::command]
pub fn last_layout_get(shell: State<'_, Arc<Shell>>) -> Option<String> {
    shell.drafts.last_layout()
}
