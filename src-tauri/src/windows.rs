//! Pop-out windows: a panel moves into a window of its own and back, keeping
//! its panel id (so its channel) and its state.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;
use tauri::{
    AppHandle, Emitter, Manager, State, Webview, WebviewUrl, WebviewWindowBuilder, Window,
    WindowEvent,
};

pub use crate::core::page::{PopoutPanel, WindowRect};
use crate::core::ShellError;
use crate::Shell;

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

/// A label no window has had yet: a pop-out being closed keeps its label
/// until it is gone, and the same panel may open in a new window meanwhile
/// (a layout opened again); with one label per panel the new window was
/// taken for the closing one and never opened.
fn new_label(panel: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "{}-{}",
        label_for(panel),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A pop-out window moved or resized: the main window keeps its rect for
/// the layout document.
#[derive(Debug, Clone, Serialize)]
struct PopoutRect {
    panel: String,
    #[serde(flatten)]
    rect: WindowRect,
}

/// The widget in a pop-out saved its state: the main window keeps it for
/// the layout document (saved, or a draft) before the panel docks back.
#[derive(Debug, Clone, Serialize)]
struct PopoutState {
    panel: String,
    state: Value,
}

/// Moves a panel into a window of its own, at `rect` when given (a saved
/// layout's pop-out), with `channel` when the bus does not know the panel
/// yet (it was never in this window).
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn popout_panel(
    app: AppHandle,
    shell: State<'_, Arc<Shell>>,
    panel: String,
    widget: String,
    title: String,
    state: Value,
    channel: Option<String>,
    rect: Option<WindowRect>,
) -> Result<String, ShellError> {
    let open = shell
        .popouts
        .lock()
        .expect("popouts lock")
        .iter()
        .find(|(_, p)| p.panel == panel)
        .map(|(label, _)| label.clone());
    if let Some(label) = open.filter(|l| app.get_webview_window(l).is_some()) {
        return Ok(label);
    }
    let label = new_label(&panel);
    let known = shell.bus.with(|bus| {
        let ch = bus.panel_channel(&panel);
        bus.move_panel(&panel, &label);
        (ch, Vec::new())
    });
    let channel = known.or(channel);
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
    let mut window =
        WebviewWindowBuilder::new(&app, &label, WebviewUrl::App("index.html?popout=1".into()))
            .title(format!("{title} — Tessera"))
            // Tauri's file-drop handler would swallow the page's own drag and drop.
            .disable_drag_drop_handler();
    window = match rect {
        Some(r) => window
            .position(f64::from(r.x), f64::from(r.y))
            .inner_size(f64::from(r.width.max(200)), f64::from(r.height.max(150))),
        None => window.inner_size(640.0, 480.0),
    };
    window.build().map_err(|e| {
        tracing::warn!(error = %e, %label, "cannot open a pop-out window");
        ShellError::other(format!("cannot open a window for the panel: {e}"))
    })?;
    tracing::info!(%label, ?rect, "pop-out window opened");
    Ok(label)
}

/// Closes every pop-out without docking it back: another layout is opened,
/// and its pop-outs are its own.
#[tauri::command]
pub fn close_popouts(app: AppHandle, shell: State<'_, Arc<Shell>>) {
    let all: Vec<(String, PopoutPanel)> = shell
        .popouts
        .lock()
        .expect("popouts lock")
        .drain()
        .collect();
    for (label, p) in all {
        tracing::info!(%label, "pop-out window closed: another layout opens");
        shell.bus.with(|bus| ((), bus.unregister_panel(&p.panel)));
        if let Some(w) = app.get_webview_window(&label) {
            let _ = w.close();
        }
    }
}

/// The logical rect of a window.
fn rect_of(window: &Window) -> Option<WindowRect> {
    let scale = window.scale_factor().ok()?;
    let pos = window.outer_position().ok()?.to_logical::<f64>(scale);
    let size = window.inner_size().ok()?.to_logical::<f64>(scale);
    Some(WindowRect {
        x: pos.x.round() as i32,
        y: pos.y.round() as i32,
        width: size.width.round() as u32,
        height: size.height.round() as u32,
    })
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

/// The calling pop-out's widget saved its state: kept here (a window closed
/// by the window manager docks back with it) and told to the main window.
#[tauri::command]
pub fn popout_state(app: AppHandle, shell: State<'_, Arc<Shell>>, webview: Webview, state: Value) {
    let panel = {
        let mut popouts = shell.popouts.lock().expect("popouts lock");
        let Some(p) = popouts.get_mut(webview.label()) else {
            return;
        };
        p.state = state.clone();
        p.panel.clone()
    };
    let _ = app.emit_to("main", "popout-state", &PopoutState { panel, state });
}

fn dock(app: &AppHandle, shell: &Shell, label: &str, state: Option<Value>) {
    let Some(mut p) = shell.popouts.lock().expect("popouts lock").remove(label) else {
        return;
    };
    tracing::info!(%label, panel = %p.panel, "pop-out docked back");
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
        // The layout loses the panel.
        let _ = app.emit_to("main", "popout-closed", &p.panel);
    }
    if let Some(w) = app.get_webview_window(&label) {
        let _ = w.close();
    }
}

/// A pop-out closed by the window manager docks its panel back too; one
/// moved or resized tells the main window its new rect.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    if matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_))
        && window.label().starts_with("popout-")
    {
        let app = window.app_handle();
        let shell = app.state::<Arc<Shell>>();
        let panel = shell
            .popouts
            .lock()
            .expect("popouts lock")
            .get(window.label())
            .map(|p| p.panel.clone());
        if let (Some(panel), Some(rect)) = (panel, rect_of(window)) {
            let _ = app.emit_to("main", "popout-rect", &PopoutRect { panel, rect });
        }
    }
    if let WindowEvent::Destroyed = event {
        let app = window.app_handle();
        let shell = app.state::<Arc<Shell>>();
        if window.label().starts_with("popout-") {
            dock(app, &shell, window.label(), None);
        }
        shell.bus.detach_window(window.label());
    }
}
