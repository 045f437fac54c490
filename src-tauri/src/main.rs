// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

use tessera_shell::core::settings::{self, Settings};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("TESSERA_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().collect();
    // The server signed in to, unless the environment or a flag names one.
    let signed_in_to =
        tessera_shell::core::signin::config_dir(|k| std::env::var(k).ok()).and_then(|dir| {
            match tessera_shell::core::signin::DesktopConfig::load(&dir) {
                Ok(c) => c.server,
                Err(e) => {
                    eprintln!("tessera: {e} (ignored)");
                    None
                }
            }
        });
    // An empty variable is as good as unset.
    let env = |k: &str| {
        std::env::var(k).ok().filter(|v| !v.is_empty()).or_else(|| {
            (k == "TESSERA_REGISTRY_URL")
                .then(|| signed_in_to.clone())
                .flatten()
        })
    };
    // Help and version are answered here, before any window; a bad
    // argument is one message and status 2.
    let settings = Settings::resolve(env, args).unwrap_or_else(|e| e.exit());
    if let Some(problem) = settings::display_problem(|k| std::env::var(k).ok()) {
        eprintln!("tessera: {problem}");
        return ExitCode::FAILURE;
    }
    // A running Tessera (same person, server and user) takes the link instead.
    let Some(instance) = tessera_shell::links::claim(&settings) else {
        eprintln!("tessera: handed over to the Tessera already running");
        return ExitCode::SUCCESS;
    };
    tessera_shell::start_local_server_if_chosen(&settings);
    match tessera_shell::run(settings, instance) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tessera: {e:#}");
            ExitCode::FAILURE
        }
    }
}
