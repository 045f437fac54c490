//! Bus commands: the page relays its panels' SDK requests and receives
//! their messages; the shell's own controls (a tab's channel, the intent
//! resolver, the inspector) act on the bus too.

use std::sync::Arc;

use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{State, Webview};

use crate::core::bus::channels::{user_channels as all_user_channels, ChannelInfo};
use crate::core::bus::protocol::{Candidate, Outgoing};
use crate::core::bus::service::Call;
use crate::core::bus::{BusStats, Inspected};
use crate::core::ShellError;
use crate::Shell;

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
) -> Result<(), ShellError> {
    shell
        .bus
        .with(|bus| match bus.shell_set_channel(&panel, channel) {
            Ok(out) => (Ok(()), out),
            Err(e) => (Err(e.into()), Vec::new()),
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
