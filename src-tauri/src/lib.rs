//! Tessera's desktop shell. The Tauri part is glue: windows, the `widget://`
//! scheme handler and a few commands that convert arguments and results.
//! Behaviour lives in [`core`], which has no window and is unit-tested.

mod commands;
pub mod core;

use std::sync::Arc;

use tauri::http::Response;
use tauri::{Emitter, Manager};

use crate::core::catalogue::Catalogue;
use crate::core::settings::Settings;
use crate::core::widget_scheme;

/// What the commands and the scheme handler share.
pub struct Shell {
    pub settings: Settings,
    pub catalogue: Catalogue,
    pub http: reqwest::Client,
}

pub fn run(settings: Settings) -> anyhow::Result<()> {
    let client = tessera_registry::client::RegistryClient::new(&settings.registry_url)?;
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(15))
        .build()?;
    let shell = Arc::new(Shell {
        settings,
        catalogue: Catalogue::new(client),
        http,
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
                let r = widget_scheme::respond(&shell.catalogue, &shell.http, &req).await;
                let response = Response::builder()
                    .status(r.status)
                    .header("Content-Type", r.content_type.as_str())
                    // Frames are sandboxed (opaque origin): module scripts
                    // load in CORS mode and need this to be readable.
                    .header("Access-Control-Allow-Origin", "*")
                    .header("Cache-Control", "no-store")
                    .body(r.body)
                    .expect("static headers are valid");
                responder.respond(response);
            });
        })
        .invoke_handler(tauri::generate_handler![
            commands::list_widgets,
            commands::shell_info,
            commands::demo_layout,
        ])
        .setup(|app| {
            let shell = app.state::<Arc<Shell>>().inner().clone();
            tracing::info!(registry = %shell.settings.registry_url, "shell started");
            // Keep the marketplace live: every catalogue change reaches the page.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                crate::core::follow::follow(&shell.catalogue, |link| {
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
