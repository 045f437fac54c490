//! Tauri commands: each converts arguments and results, nothing more.

use std::sync::Arc;

use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{State, Webview};
use tessera_layouts::LayoutDocument;
use tessera_registry::api::Widget;

use crate::core::bus::channels::{user_channels as all_user_channels, ChannelInfo};
use crate::core::bus::protocol::{Candidate, Outgoing};
use crate::core::bus::service::Call;
use crate::core::bus::{BusStats, Inspected};
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
    /// The label of the window asking.
    pub window: String,
    /// A layout to show locked and follow (`--view`).
    pub view: Option<String>,
    /// A link from the command line to open once the page is up.
    pub opening: Option<crate::links::OpenRequest>,
}

#[tauri::command]
pub fn shell_info(shell: State<'_, Arc<Shell>>, webview: Webview) -> ShellInfo {
    ShellInfo {
        registry_url: shell.catalogue.registry_url(),
        version: env!("CARGO_PKG_VERSION"),
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

#[tauri::command]
pub fn user_channels() -> Vec<ChannelInfo> {
    all_user_channels()
}

/// The calling window's page receives its bus messages on `channel`.
#[tauri::command]
pub fn bus_attach(shell: State<'_, Arc<Shell>>, webview: Webview, channel: Channel<Vec<Outgoing>>) {
    let label = webview.label().to_owned();
    let coalescer = crate::core::bus::service::Coalescer::new(move |msgs: Vec<Outgoing>| {
        if let Err(e) = channel.send(msgs) {
            tracing::warn!(error = %e, "bus message to a page failed");
        }
    });
    shell.bus.attach_window(
        &label,
        Box::new(move |msgs| {
            coalescer.push(msgs, |send| {
                tauri::async_runtime::spawn_blocking(send);
            })
        }),
    );
}

/// SDK requests relayed by a page; the messages for that page come back
/// with the answer (one IPC hop), the rest go to the other windows.
#[tauri::command]
pub fn bus_calls(
    shell: State<'_, Arc<Shell>>,
    webview: Webview,
    calls: Vec<Call>,
) -> Vec<Outgoing> {
    shell.bus.calls_from(Some(webview.label()), calls)
}

#[tauri::command]
pub fn bus_register_panel(
    shell: State<'_, Arc<Shell>>,
    webview: Webview,
    panel: String,
    widget: String,
    channel: Option<String>,
) {
    let window = webview.label().to_owned();
    shell.bus.with(|bus| {
        bus.register_panel(&panel, &widget, &window, channel);
        ((), Vec::new())
    });
}

#[tauri::command]
pub fn bus_unregister_panel(shell: State<'_, Arc<Shell>>, panel: String) {
    shell.bus.with(|bus| ((), bus.unregister_panel(&panel)));
}

/// The user picked a channel in the panel's tab.
#[tauri::command]
pub fn bus_set_channel(
    shell: State<'_, Arc<Shell>>,
    panel: String,
    channel: Option<String>,
) -> Result<(), String> {
    shell
        .bus
        .with(|bus| match bus.shell_set_channel(&panel, channel) {
            Ok(out) => (Ok(()), out),
            Err(e) => (Err(e.as_str().to_owned()), Vec::new()),
        })
}

/// The user's answer in the intent resolver (`None`: cancel).
#[tauri::command]
pub fn bus_resolve_intent(shell: State<'_, Arc<Shell>>, request: u64, choice: Option<Candidate>) {
    shell
        .bus
        .with(|bus| ((), bus.resolve_intent(request, choice)));
}

#[derive(Serialize)]
pub struct Inspection {
    pub records: Vec<Inspected>,
    pub stats: BusStats,
}

#[tauri::command]
pub fn bus_inspect(shell: State<'_, Arc<Shell>>, after: u64) -> Inspection {
    shell.bus.with(|bus| {
        (
            Inspection {
                records: bus.inspected_after(after),
                stats: bus.stats(),
            },
            Vec::new(),
        )
    })
}

/// A refusal as the page sees it: the server's body (code, message, current_version…).
fn layouts_error(e: crate::core::layouts::LayoutsError) -> serde_json::Value {
    match e {
        crate::core::layouts::LayoutsError::Refused {
            body,
            status,
            message,
            code,
        } => {
            serde_json::json!({ "status": status, "code": code, "message": message, "body": body })
        }
        other => {
            serde_json::json!({ "status": 0, "code": "unavailable", "message": other.to_string() })
        }
    }
}

type Answer = Result<serde_json::Value, serde_json::Value>;

#[tauri::command]
pub async fn layouts_list(
    shell: State<'_, Arc<Shell>>,
    scope: String,
    search: Option<String>,
) -> Answer {
    shell
        .layouts
        .list(&scope, search.as_deref().unwrap_or(""))
        .await
        .map_err(layouts_error)
}

#[tauri::command]
pub async fn layout_clone(
    shell: State<'_, Arc<Shell>>,
    id: String,
    title: Option<String>,
) -> Answer {
    shell
        .layouts
        .clone_layout(&id, title.as_deref())
        .await
        .map_err(layouts_error)
}

#[tauri::command]
pub async fn layout_rename(
    shell: State<'_, Arc<Shell>>,
    id: String,
    base_version: i64,
    title: String,
) -> Answer {
    shell
        .layouts
        .rename(&id, base_version, &title)
        .await
        .map_err(layouts_error)
}

#[tauri::command]
pub async fn layout_delete(shell: State<'_, Arc<Shell>>, id: String) -> Answer {
    shell.layouts.delete(&id).await.map_err(layouts_error)
}

#[tauri::command]
pub async fn layout_undelete(shell: State<'_, Arc<Shell>>, id: String) -> Answer {
    shell.layouts.undelete(&id).await.map_err(layouts_error)
}

#[tauri::command]
pub async fn layout_sharing(shell: State<'_, Arc<Shell>>, id: String) -> Answer {
    shell.layouts.sharing(&id).await.map_err(layouts_error)
}

#[tauri::command]
pub async fn layout_set_sharing(
    shell: State<'_, Arc<Shell>>,
    id: String,
    sharing: serde_json::Value,
) -> Answer {
    shell
        .layouts
        .set_sharing(&id, sharing)
        .await
        .map_err(layouts_error)
}

#[tauri::command]
pub async fn layout_versions(shell: State<'_, Arc<Shell>>, id: String) -> Answer {
    shell.layouts.versions(&id).await.map_err(layouts_error)
}

#[tauri::command]
pub async fn layout_diff(shell: State<'_, Arc<Shell>>, id: String, from: i64, to: i64) -> Answer {
    shell
        .layouts
        .diff(&id, from, to)
        .await
        .map_err(layouts_error)
}

#[tauri::command]
pub async fn layout_restore_version(
    shell: State<'_, Arc<Shell>>,
    id: String,
    version: i64,
    base_version: i64,
) -> Answer {
    shell
        .layouts
        .restore_version(&id, version, base_version)
        .await
        .map_err(layouts_error)
}

#[tauri::command]
pub async fn layouts_directory(shell: State<'_, Arc<Shell>>) -> Answer {
    shell.layouts.directory().await.map_err(layouts_error)
}

#[tauri::command]
pub async fn layout_get(
    shell: State<'_, Arc<Shell>>,
    id: String,
) -> Result<serde_json::Value, serde_json::Value> {
    shell.layouts.get(&id).await.map_err(layouts_error)
}

#[tauri::command]
pub async fn layout_create(
    shell: State<'_, Arc<Shell>>,
    title: String,
    document: serde_json::Value,
) -> Result<serde_json::Value, serde_json::Value> {
    shell
        .layouts
        .create(&title, document)
        .await
        .map_err(layouts_error)
}

#[tauri::command]
pub async fn layout_save(
    shell: State<'_, Arc<Shell>>,
    id: String,
    base_version: i64,
    document: serde_json::Value,
    message: Option<String>,
) -> Answer {
    shell
        .layouts
        .save(&id, base_version, document, message.as_deref())
        .await
        .map_err(layouts_error)
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

/// A first screen drawn (`sign-in`, `first-widget`, `layout`): logged once
/// for the start-up benchmark, which times the line from the app's start.
#[tauri::command]
pub fn startup_mark(webview: Webview, what: String) {
    if webview.label() == "main" && matches!(what.as_str(), "sign-in" | "first-widget" | "layout") {
        tracing::info!(mark = %what, "startup mark");
    }
}
