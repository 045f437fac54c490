//! Sign-in commands: the glue over [`crate::core::signin`]. Signing in or
//! out saves the settings and starts the app afresh, so every part (the
//! catalogue, the widgets, the layouts) uses the new server and user.

use std::sync::Arc;

use tauri::{AppHandle, State};

use crate::core::local_server;
use crate::core::page::SignInStatus;
use crate::core::signin::{self, DesktopConfig};
use crate::core::ShellError;
use crate::Shell;

fn env(k: &str) -> Option<String> {
    std::env::var(k).ok()
}

fn config_dir() -> Result<std::path::PathBuf, ShellError> {
    signin::config_dir(env)
        .ok_or_else(|| ShellError::other("no configuration folder (is HOME set?)"))
}

/// Who is signed in where, checked against the server now.
#[tauri::command]
pub async fn signin_status(shell: State<'_, Arc<Shell>>) -> Result<SignInStatus, ShellError> {
    let server = shell.settings.registry_url.trim_end_matches('/').to_owned();
    let recent = config_dir()
        .ok()
        .and_then(|d| DesktopConfig::load(&d).ok())
        .map(|c| c.recent)
        .unwrap_or_default();
    let (user, problem, reachable) = match &shell.user_token {
        None => (None, None, true),
        Some(token) => match signin::check(&shell.http, &server, token).await {
            Ok(me) => (Some(me), None, true),
            Err(e) => {
                let reachable = !matches!(e, signin::SignInError::Unreachable { .. });
                (None, Some(e.to_string()), reachable)
            }
        },
    };
    Ok(SignInStatus {
        server,
        user,
        problem,
        has_token: shell.user_token.is_some(),
        reachable,
        recent,
    })
}

/// Checks `token` on `server`; when it works, keeps both and starts afresh.
#[tauri::command]
pub async fn sign_in(
    app: AppHandle,
    shell: State<'_, Arc<Shell>>,
    server: String,
    token: String,
) -> Result<(), ShellError> {
    let server = signin::normalise_server(&server)?;
    keep_and_restart(&app, &shell, &server, &token, false).await
}

/// "Just this computer": starts Tessera's server here (or uses the one
/// already running), signs in as its local user, and starts afresh.
#[tauri::command]
pub async fn sign_in_local(app: AppHandle, shell: State<'_, Arc<Shell>>) -> Result<(), ShellError> {
    let server = local_server::url(env);
    let data_home =
        dirs::data_dir().ok_or_else(|| ShellError::other("no data folder (is HOME set?)"))?;
    let program = local_server::program(std::env::current_exe().ok().as_deref());
    local_server::ensure_running(
        &shell.http,
        &server,
        &program,
        &data_home.join("tessera").join("server.log"),
        std::time::Duration::from_secs(30),
    )
    .await?;
    let token = local_server::read_token(&data_home)?;
    keep_and_restart(&app, &shell, &server, &token, true).await
}

/// Signs in with an invitation link: its one-time code becomes a token
/// this desktop keeps; then starts afresh.
#[tauri::command]
pub async fn accept_invitation(
    app: AppHandle,
    shell: State<'_, Arc<Shell>>,
    link: String,
) -> Result<(), ShellError> {
    let (server, code) = signin::parse_invitation(&link)?;
    let token = signin::accept_invitation(&shell.http, &server, &code).await?;
    keep_and_restart(&app, &shell, &server, &token, false).await
}

/// Checks `token` on `server`, keeps both (the server among the recent
/// ones, the token 0600) and starts the app afresh as that user.
async fn keep_and_restart(
    app: &AppHandle,
    shell: &Shell,
    server: &str,
    token: &str,
    local: bool,
) -> Result<(), ShellError> {
    let me = signin::check(&shell.http, server, token).await?;
    let dir = config_dir()?;
    let mut config = DesktopConfig::load(&dir).unwrap_or_default();
    config.remember(server);
    config.local = local;
    config.save(&dir).map_err(ShellError::other)?;
    signin::store_token(&dir, token).map_err(ShellError::other)?;
    tracing::info!(%server, user = %me.name, "signed in; starting afresh");
    restart(app, shell)
}

/// Forgets the stored token and starts afresh (at the sign-in screen).
#[tauri::command]
pub fn sign_out(app: AppHandle, shell: State<'_, Arc<Shell>>) -> Result<(), ShellError> {
    signin::forget_token(&config_dir()?).map_err(ShellError::other)?;
    tracing::info!("signed out; starting afresh");
    restart(&app, &shell)
}

/// Starts the app afresh (with the same arguments, so a link given at
/// start opens once signed in). The new process must not hand its link
/// back to this one: this one stops listening first.
fn restart(app: &AppHandle, shell: &Shell) -> ! {
    if let Some(path) = &shell.instance_socket {
        let _ = std::fs::remove_file(path);
    }
    app.restart()
}
