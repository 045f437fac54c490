// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

use tessera_shell::core::settings::{self, Early, Settings};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("TESSERA_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().collect();
    match settings::early(&args) {
        Some(Early::Help) => {
            print!("{}", settings::USAGE);
            return ExitCode::SUCCESS;
        }
        Some(Early::Version) => {
            println!("tessera {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        None => {}
    }
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
    let settings = match Settings::resolve(env, args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("tessera: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(problem) = settings::display_problem(|k| std::env::var(k).ok()) {
        eprintln!("tessera: {problem}");
        return ExitCode::FAILURE;
    }
    match tessera_shell::run(settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tessera: {e:#}");
            ExitCode::FAILURE
        }
    }
}
