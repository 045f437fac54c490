//! Tessera's desktop shell. The Tauri part is glue: windows, the `widget://`
//! scheme handler and commands that convert arguments and results.
//! Behaviour lives in [`core`] (the `tessera-shell-core` crate), which has
//! no window and no Tauri or WebKit dependency and is unit-tested.

mod commands;
pub mod links;

/// The shell's behaviour without a window (the `tessera-shell-core` crate).
pub use tessera_shell_core as core;
mod windows;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use tauri::http::Response;
use tauri::{Emitter, Manager};
use tessera_registry::api::Widget;

use crate::core::bus::service::BusService;
use crate::core::bus::{CatalogueEntry, IntentHandler};
use crate::core::catalogue::Catalogue;
use crate::core::settings::Settings;
use crate::core::widget_scheme;

/// What the commands and the scheme handler share.
pub struct Shell {
    pub settings: Settings,
    pub catalogue: Catalogue,
    pub http: reqwest::Client,
    pub bus: BusService,
    /// The widget SDK script, read from the app's assets at start.
    pub sdk: OnceLock<Vec<u8>>,
    /// Pop-out windows: label → the panel they hold.
    pub popouts: Mutex<HashMap<String, windows::PopoutPanel>>,
    pub layouts: crate::core::layouts::LayoutsClient,
    /// The user's token on the server (never logged), if there is one.
    pub user_token: Option<String>,
    /// The unsaved workspace and the last layout, on disk.
    pub drafts: crate::core::drafts::Drafts,
    /// Where this app listens for links from later starts (removed before
    /// the app restarts itself, so the new process takes over).
    pub instance_socket: Option<std::path::PathBuf>,
}

/// What the bus needs of the catalogue: each widget's intents.
fn bus_catalogue(widgets: &[Widget]) -> Vec<CatalogueEntry> {
    widgets
        .iter()
        .map(|w| CatalogueEntry {
            id: w.id.clone(),
            app_id: w.fdc3_app_id().to_owned(),
            title: w.title.clone(),
            description: w.description.clone(),
            version: w.version.clone(),
            intents: w
                .interop
                .intents
                .iter()
                .map(|i| IntentHandler {
                    intent: i.name.clone(),
                    contexts: i.contexts.clone(),
                    display_name: i.display_name.clone(),
                    result_type: i.result_type.clone(),
                })
                .collect(),
        })
        .collect()
}

/// "Just this computer" chosen at sign-in: makes sure the server this
/// desktop runs is up before the window asks it anything (a no-op when it
/// already answers, or when another server is in use).
pub fn start_local_server_if_chosen(settings: &Settings) {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let chosen = crate::core::signin::config_dir(env)
        .and_then(|d| crate::core::signin::DesktopConfig::load(&d).ok())
        .is_some_and(|c| {
            c.local && c.server.as_deref() == Some(settings.registry_url.trim_end_matches('/'))
        });
    let Some(data_home) = dirs::data_dir().filter(|_| chosen) else {
        return;
    };
    use crate::core::local_server;
    let program = local_server::program(std::env::current_exe().ok().as_deref());
    let started = tauri::async_runtime::block_on(local_server::ensure_running(
        &reqwest::Client::new(),
        &settings.registry_url,
        &program,
        &data_home.join("tessera").join("server.log"),
        std::time::Duration::from_secs(30),
    ));
    if let Err(e) = started {
        tracing::error!(error = %e, "the server for this computer is not running");
    }
}

/// Runs the app; `instance` (from [`links::claim`]) hears later starts' links.
pub fn run(
    settings: Settings,
    instance: Option<crate::core::single_instance::Instance>,
) -> anyhow::Result<()> {
    let user_token = crate::core::layouts::resolve_token(|k| std::env::var(k).ok());
    // The server is the one address the desktop knows: the catalogue, the
    // widgets' files and their APIs all go through it, as the signed-in user.
    let mut client = tessera_registry::client::RegistryClient::new(&settings.registry_url)?;
    if let Some(token) = &user_token {
        client = client.with_token(token.clone());
    }
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(15))
        .build()?;
    let layouts = crate::core::layouts::LayoutsClient::new(
        url::Url::parse(&settings.registry_url)?,
        http.clone(),
        user_token.clone(),
    );
    let shell = Arc::new(Shell {
        settings,
        catalogue: Catalogue::new(client),
        http,
        layouts,
        user_token,
        bus: BusService::default(),
        sdk: OnceLock::new(),
        popouts: Mutex::new(HashMap::new()),
        instance_socket: instance.as_ref().map(|i| i.path().to_owned()),
        drafts: crate::core::drafts::Drafts::new(
            crate::core::drafts::Drafts::default_dir()
                .unwrap_or_else(|| std::env::temp_dir().join("tessera-desktop")),
        ),
    });
    // Raised intents whose target never listens fail after a while
    // (IntentDeliveryFailed) instead of waiting for ever.
    let for_timer = shell.clone();
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        loop {
            tick.tick().await;
            for_timer
                .bus
                .with(|bus| ((), bus.expire_pending(crate::core::bus::now_ms())));
        }
    });
    let for_scheme = shell.clone();
    tauri::Builder::default()
        .manage(shell)
        .register_asynchronous_uri_scheme_protocol("widget", move |_ctx, request, responder| {
            let shell = for_scheme.clone();
            let req = widget_scheme::SchemeRequest {
                method: request.method().to_string(),
                uri: request.uri().to_string(),
                content_type: request
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
                body: request.body().clone(),
            };
            tauri::async_runtime::spawn(async move {
                let sdk = shell.sdk.get().map(Vec::as_slice).unwrap_or_default();
                let r = widget_scheme::respond(&shell.catalogue, &shell.http, &req, sdk).await;
                let mut response = Response::builder()
                    .status(r.status)
                    .header("Content-Type", r.content_type.as_str())
                    .header("Cache-Control", "no-store");
                for (name, value) in widget_scheme::CORS_HEADERS {
                    response = response.header(name, value);
                }
                let response = response.body(r.body).expect("static headers are valid");
                responder.respond(response);
            });
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::list_widgets,
            commands::app::shell_info,
            commands::app::startup_mark,
            commands::app::demo_layout,
            commands::bus::user_channels,
            commands::bus::bus_attach,
            commands::bus::bus_calls,
            commands::bus::bus_register_panel,
            commands::bus::bus_unregister_panel,
            commands::bus::bus_set_channel,
            commands::bus::bus_resolve_intent,
            commands::bus::bus_inspect,
            commands::layouts::layouts_list,
            commands::layouts::layout_get,
            commands::layouts::layout_create,
            commands::layouts::layout_save,
            commands::layouts::layout_follow,
            commands::layouts::layout_clone,
            commands::layouts::layout_rename,
            commands::layouts::layout_delete,
            commands::layouts::layout_undelete,
            commands::layouts::layout_sharing,
            commands::layouts::layout_set_sharing,
            commands::layouts::layout_versions,
            commands::layouts::layout_diff,
            commands::layouts::layout_restore_version,
            commands::layouts::layouts_directory,
            windows::close_popout,
            links::open_link,
            commands::signin::signin_status,
            commands::signin::sign_in,
            commands::signin::sign_in_local,
            commands::signin::accept_invitation,
            commands::signin::sign_out,
            commands::tokens::my_tokens,
            commands::tokens::create_token,
            commands::tokens::label_token,
            commands::tokens::revoke_token,
            commands::drafts::draft_save,
            commands::drafts::draft_load,
            commands::drafts::draft_clear,
            commands::drafts::last_layout_set,
            commands::drafts::last_layout_get,
            windows::popout_panel,
            windows::close_popouts,
            windows::popout_info,
            windows::dock_panel,
            windows::popout_state,
        ])
        .on_window_event(windows::on_window_event)
        .setup(move |app| {
            if let Some(instance) = instance {
                let handle = app.handle().clone();
                instance.serve(move |m| links::open(&handle, m));
            }
            let shell = app.state::<Arc<Shell>>().inner().clone();
            tracing::info!(registry = %shell.settings.registry_url, "shell started");
            let sdk = app
                .asset_resolver()
                .get("/sdk.js".to_owned())
                .map(|a| a.bytes)
                .unwrap_or_else(|| {
                    tracing::error!("the widget SDK (sdk.js) is missing from the app's assets: widgets get no window.fdc3");
                    Vec::new()
                });
            let _ = shell.sdk.set(sdk);
            // Keep the marketplace and the bus's intent table live.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                crate::core::follow::follow(&shell.catalogue, |link| {
                    if let crate::core::follow::Link::Live { widgets } = &link {
                        let entries = bus_catalogue(widgets);
                        shell.bus.with(|bus| {
                            bus.set_catalogue(entries);
                            ((), Vec::new())
                        });
                    }
                    if let Err(e) = handle.emit("catalogue", &link) {
                        tracing::warn!(error = %e, "cannot send the catalogue to the page");
                    }
                })
                .await;
            });
            Ok(())
        })
        .run(tauri::generate_context!())?;
    Ok(())
}
