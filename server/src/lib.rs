//! Tessera's server as one program: one database and its one pool, the
//! widget registry (`tessera-registry`), the accounts (`tessera-accounts`:
//! users, tokens, invitations, groups) and the layouts service
//! (`tessera-layouts`) mounted side by side on one router, and the
//! operator's commands. Glue only: behaviour lives in those crates and
//! in `tessera-server-common`.
//!
//! - [`cli`]: the command line and `serve`'s settings.
//! - [`database`]: opening the one database and each part's store on it.
//! - [`admin`]: publishers, admin tokens, users, invitations and groups.
//! - [`router`]: the one router (every part's routes, the server-wide
//!   layers, the OpenAPI document of the whole) and serving it.
//! - [`serve`]: start-up (embedded defaults, the purge loop, bind, serve).

pub mod admin;
pub mod cli;
pub mod database;
pub mod router;
pub mod serve;

pub use router::{openapi, router, serve_on, ServerState};

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use tracing_subscriber::EnvFilter;

use crate::cli::{Cli, Command};

/// Runs the command line as `program` (its name in help and error lines:
/// `tessera-server`, or the former `tessera-registry`).
pub fn main(program: &'static str) -> ExitCode {
    let matches = Cli::command().name(program).bin_name(program).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let serve_config = match &cli.command {
        Command::Serve(args) => match args.resolve() {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("{program}: {e:#}");
                return ExitCode::from(2);
            }
        },
        _ => None,
    };
    init_logs(serve_config.as_ref().is_some_and(|c| c.log_json));
    let rt = tokio::runtime::Runtime::new().expect("tokio runtime starts");
    let done = rt.block_on(async {
        match cli.command {
            Command::Serve(_) => serve::serve(program, serve_config.expect("resolved above")).await,
            other => admin::run(other).await,
        }
    });
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{program}: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logs(json: bool) {
    let filter = EnvFilter::try_from_env("TESSERA_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let fmt = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        fmt.json().init();
    } else {
        fmt.init();
    }
}
