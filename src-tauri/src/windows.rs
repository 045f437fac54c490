//! Pop-out windows: a panel moves into a window of its own and back, keeping
//! its panel id (so its channel) and its state.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tauri::{
    AppHandle, Emitter, Manager, State, Webview, WebviewUrl, WebviewWindowBuilder, Window,
    WindowEvent,
};

use crate::Shell;

/// The panel a pop-out window holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PopoutPanel {
    pub panel: String,
    pub widget: String,
    pub title: String,
    pub state: Value,
    pub channel: Option<String>,
}

fn label_for(panel: &str) -> String {
    let safe: String = panel
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("popout-{safe}")
}

/// Moves a panel into a window of its own.
#[tauri::command]
pub async fn popout_panel(
    app: AppHandle,
    shell: State<'_, Arc<Shell>>,
    panel: String,
    widget: String,
    title: String,
    state: Value,
) -> Result<String, String> {
    let label = label_for(&panel);
    let channel = shell.bus.with(|bus| {
        let ch = bus.panel_channel(&panel);
        bus.move_panel(&panel, &label);
        (ch, Vec::new())
    });
    shell.popouts.lock().expect("popouts lock").insert(
        label.clone(),
        PopoutPanel {
            panel,
            widget,
            title: title.clone(),
            state,
            channel,
        },
    );
    WebviewWindowBuilder::new(&app, &label, WebviewUrl::App("index.html?popout=1".into()))
        .title(format!("{title} — Tessera"))
        .inner_size(640.0, 480.0)
        // Tauri's file-drop handler would swallow the page's own drag and drop.
        .disable_drag_drop_handler()
        .build()
        .map_err(|e| format!("cannot open a window for the panel: {e}"))?;
    Ok(label)
}

/// What the calling pop-out window holds.
#[tauri::command]
pub fn popout_info(shell: State<'_, Arc<Shell>>, webview: Webview) -> Option<PopoutPanel> {
    shell
        .popouts
        .lock()
        .expect("popouts lock")
        .get(webview.label())
        .cloned()
}

fn dock(app: &AppHandle, shell: &Shell, label: &str, state: Option<Value>) {
    let Some(mut p) = shell.popouts.lock().expect("popouts lock").remove(label) else {
        return;
    };
    if let Some(s) = state {
        p.state = s;
    }
    p.channel = shell.bus.with(|bus| {
        let ch = bus.panel_channel(&p.panel);
        bus.move_panel(&p.panel, "main");
        (ch, Vec::new())
    });
    if let Err(e) = app.emit_to("main", "dock-panel", &p) {
        tracing::warn!(error = %e, "cannot dock the panel back");
    }
}

/// Puts the calling pop-out's panel back into the main window and closes it.
#[tauri::command]
pub fn dock_panel(
    app: AppHandle,
    shell: State<'_, Arc<Shell>>,
    webview: Webview,
    state: Option<Value>,
) {
    let label = webview.label().to_owned();
    dock(&app, &shell, &label, state);
    if let Some(w) = app.get_webview_window(&label) {
        let _ = w.close();
    }
}

/// Closes the calling pop-out and its panel for good (its widget called
/// `window.close()`): nothing is docked back.
#[tauri::command]
pub fn close_popout(app: AppHandle, shell: State<'_, Arc<Shell>>, webview: Webview) {
    let label = webview.label().to_owned();
    let gone = shell.popouts.lock().expect("popouts lock").remove(&label);
    if let Some(p) = gone {
        shell.bus.with(|bus| ((), bus.unregister_panel(&p.panel)));
    }
    if let Some(w) = app.get_webview_window(&label) {
        let _ = w.close();
    }
}

/// A pop-out closed by the window manager docks its panel back too.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    if let WindowEvent::Destroyed = event {
        let app = window.app_handle();
        let shell = app.state::<Arc<Shell>>();
        if window.label().starts_with("popout-") {
            dock(app, &shell, window.label(), None);
        }
        shell.bus.detach_window(window.label());
    }
}
