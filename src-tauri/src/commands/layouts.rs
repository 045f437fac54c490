//! Layout commands: the signed-in user's layouts on the server through the
//! typed client (list, open, create, save, clone, rename, the bin, sharing,
//! history, following). Refusals reach the page as [`ShellError`]s that keep
//! the server's code and envelope (a stale save carries `current_version`).

use std::sync::Arc;

use tauri::{State, Webview};
use tessera_layouts::api::{
    Layout, LayoutList, LayoutSummary, Saved, Sharing, VersionDiff, VersionList,
};
use tessera_layouts::LayoutDocument;

use crate::core::layouts::Directory;
use crate::core::ShellError;
use crate::Shell;

type Answer<T> = Result<T, ShellError>;

#[tauri::command]
pub async fn layouts_list(
    shell: State<'_, Arc<Shell>>,
    scope: String,
    search: Option<String>,
) -> Answer<LayoutList> {
    let search = search.unwrap_or_default();
    Ok(shell.layouts.list(&scope, &search).await?)
}

#[tauri::command]
pub async fn layout_get(shell: State<'_, Arc<Shell>>, id: String) -> Answer<Layout> {
    Ok(shell.layouts.get(&id).await?)
}

#[tauri::command]
pub async fn layout_create(
    shell: State<'_, Arc<Shell>>,
    title: String,
    document: LayoutDocument,
) -> Answer<Layout> {
    Ok(shell.layouts.create(&title, &document).await?)
}

#[tauri::command]
pub async fn layout_save(
    shell: State<'_, Arc<Shell>>,
    id: String,
    base_version: i64,
    document: LayoutDocument,
    message: Option<String>,
) -> Answer<Saved> {
    let message = message.as_deref();
    Ok(shell
        .layouts
        .save(&id, base_version, &document, message)
        .await?)
}

#[tauri::command]
pub async fn layout_clone(
    shell: State<'_, Arc<Shell>>,
    id: String,
    title: Option<String>,
) -> Answer<Layout> {
    Ok(shell.layouts.clone_layout(&id, title.as_deref()).await?)
}

#[tauri::command]
pub async fn layout_rename(
    shell: State<'_, Arc<Shell>>,
    id: String,
    base_version: i64,
    title: String,
) -> Answer<Saved> {
    Ok(shell.layouts.rename(&id, base_version, &title).await?)
}

#[tauri::command]
pub async fn layout_delete(shell: State<'_, Arc<Shell>>, id: String) -> Answer<()> {
    Ok(shell.layouts.delete(&id).await?)
}

#[tauri::command]
pub async fn layout_undelete(shell: State<'_, Arc<Shell>>, id: String) -> Answer<LayoutSummary> {
    Ok(shell.layouts.undelete(&id).await?)
}

#[tauri::command]
pub async fn layout_sharing(shell: State<'_, Arc<Shell>>, id: String) -> Answer<Sharing> {
    Ok(shell.layouts.sharing(&id).await?)
}

#[tauri::command]
pub async fn layout_set_sharing(
    shell: State<'_, Arc<Shell>>,
    id: String,
    sharing: Sharing,
) -> Answer<Sharing> {
    Ok(shell.layouts.set_sharing(&id, &sharing).await?)
}

#[tauri::command]
pub async fn layout_versions(shell: State<'_, Arc<Shell>>, id: String) -> Answer<VersionList> {
    Ok(shell.layouts.versions(&id).await?)
}

#[tauri::command]
pub async fn layout_diff(
    shell: State<'_, Arc<Shell>>,
    id: String,
    from: i64,
    to: i64,
) -> Answer<VersionDiff> {
    Ok(shell.layouts.diff(&id, from, to).await?)
}

#[tauri::command]
pub async fn layout_restore_version(
    shell: State<'_, Arc<Shell>>,
    id: String,
    version: i64,
    base_version: i64,
) -> Answer<Saved> {
    Ok(shell
        .layouts
        .restore_version(&id, version, base_version)
        .await?)
}

/// Who a layout can be shared with: the user, every user and every group.
#[tauri::command]
pub async fn layouts_directory(shell: State<'_, Arc<Shell>>) -> Answer<Directory> {
    Ok(crate::core::layouts::directory(&shell.layouts).await?)
}

/// Follows a layout: every new version, and its end, reach the calling window.
#[tauri::command]
pub fn layout_follow(
    app: tauri::AppHandle,
    shell: State<'_, Arc<Shell>>,
    webview: Webview,
    id: String,
) {
    use tauri::Emitter;
    let shell = shell.inner().clone();
    let label = webview.label().to_owned();
    tauri::async_runtime::spawn(async move {
        shell
            .layouts
            .follow(&id, |event| {
                if let Err(e) = app.emit_to(label.as_str(), "layout-follow", &event) {
                    tracing::warn!(error = %e, "cannot tell the page about the layout");
                }
            })
            .await;
    });
}
