//! Commands for the signed-in user's tokens: list, make another (shown
//! once), label, revoke (revoking this desktop's own signs it out).

use std::sync::Arc;

use tauri::{AppHandle, State};
use tessera_layouts::api::{NewToken, TokenList};

use crate::core::ShellError;
use crate::Shell;

/// The signed-in user's tokens: id, label, when made and last used, and
/// which one this desktop uses.
#[tauri::command]
pub async fn my_tokens(shell: State<'_, Arc<Shell>>) -> Result<TokenList, ShellError> {
    Ok(shell.layouts.tokens().await?)
}

/// A further token for the signed-in user (say, for another computer); the
/// answer holds it this once.
#[tauri::command]
pub async fn create_token(
    shell: State<'_, Arc<Shell>>,
    label: String,
) -> Result<NewToken, ShellError> {
    Ok(shell.layouts.create_token(&label).await?)
}

#[tauri::command]
pub async fn label_token(
    shell: State<'_, Arc<Shell>>,
    id: String,
    label: String,
) -> Result<(), ShellError> {
    Ok(shell.layouts.label_token(&id, &label).await?)
}

/// Revokes one of the user's tokens; revoking the one this desktop uses
/// signs it out.
#[tauri::command]
pub async fn revoke_token(
    app: AppHandle,
    shell: State<'_, Arc<Shell>>,
    id: String,
    current: bool,
) -> Result<(), ShellError> {
    shell.layouts.revoke_token(&id).await?;
    if current {
        super::signin::sign_out(app, shell)?;
    }
    Ok(())
}
