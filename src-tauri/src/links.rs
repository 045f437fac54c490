//! Links opened in the running app: from its command line at start, or
//! handed over by a second start (the OS opening a `tessera://` link). The
//! glue over [`crate::core::settings::Opening`] and
//! [`crate::core::single_instance`].

use std::sync::Arc;

use tauri::{AppHandle, Emitter, Manager, WebviewUrl, WebviewWindowBuilder};
use tessera_layouts::links::LayoutLink;

use crate::core::page::OpenRequest;
use crate::core::settings::{Opening, Settings};
use crate::core::single_instance::{self, Claim, Instance, Message};
use crate::Shell;

/// The message a second start sends: its link, if it was given one.
fn message(settings: &Settings) -> Message {
    let open = match (&settings.opening, &settings.view) {
        (Some(Opening::Layout(l)), _) => Some(l.to_string()),
        (Some(Opening::Invitation(link)), _) => Some(link.clone()),
        (None, Some(id)) => Some(LayoutLink::new(id, true, None).to_string()),
        (None, None) => None,
    };
    Message { open }
}

/// Becomes the running app for this person, server and user, or hands the
/// link to the one that is (then `None`: this start should end).
pub fn claim(settings: &Settings) -> Option<Option<Instance>> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let Some(config) = crate::core::signin::config_dir(env) else {
        return Some(None);
    };
    let runtime = dirs::runtime_dir().unwrap_or_else(|| config.clone());
    let path = single_instance::socket_path(
        &runtime,
        &config,
        &settings.registry_url,
        env("TESSERA_USER_TOKEN").as_deref(),
    );
    match single_instance::claim(&path, &message(settings)) {
        Ok(Claim::HandedOff) => None,
        Ok(Claim::First(instance)) => Some(Some(instance)),
        Err(e) => {
            // Better two windows than none.
            tracing::warn!(error = %e, path = %path.display(), "cannot listen for links from other starts");
            Some(None)
        }
    }
}

/// Opens what a second start sent: brings the main window forward, then the
/// layout (a locked one in a viewer window of its own) or the invitation.
pub fn open(app: &AppHandle, message: Message) {
    if let Some(main) = app.get_webview_window("main") {
        let _ = main.unminimize();
        let _ = main.set_focus();
    }
    let Some(raw) = message.open else { return };
    let request = match Opening::parse(&raw) {
        Ok(o) => OpenRequest::from(&o),
        Err(e) => OpenRequest::Error {
            message: e.to_string(),
        },
    };
    let shell = app.state::<Arc<Shell>>();
    match &request {
        OpenRequest::Layout {
            id, view, server, ..
        } if *view || shell.settings.view.is_some() => {
            if let Err(e) = viewer_window(app, id, server.as_deref()) {
                tracing::warn!(error = %e, "cannot open a viewer window");
            }
        }
        _ => {
            if let Err(e) = app.emit_to("main", "open-link", &request) {
                tracing::warn!(error = %e, "cannot pass the link to the page");
            }
        }
    }
}

/// A window of its own showing layout `id` locked (focused if already open).
fn viewer_window(app: &AppHandle, id: &str, server: Option<&str>) -> tauri::Result<()> {
    let label: String = format!(
        "view-{}",
        id.chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            })
            .collect::<String>()
    );
    if let Some(w) = app.get_webview_window(&label) {
        return w.set_focus();
    }
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("view", id);
    if let Some(s) = server {
        query.append_pair("server", s);
    }
    WebviewWindowBuilder::new(
        app,
        &label,
        WebviewUrl::App(format!("index.html?{}", query.finish()).into()),
    )
    .title("Tessera — shared layout")
    .inner_size(1100.0, 720.0)
    .disable_drag_drop_handler()
    .build()?;
    Ok(())
}

/// Opens a link from the page (a view link pasted into the Layouts dialog
/// of a workspace window opens a viewer window, as one from the OS does).
#[tauri::command]
pub fn open_link(app: AppHandle, link: String) {
    open(&app, Message { open: Some(link) });
}
