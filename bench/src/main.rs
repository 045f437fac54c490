//! `tessera-bench`: measures the registry and the sidecar as users meet
//! them — real release binaries, real sockets on 127.0.0.1, real SQLite and
//! Postgres — and prints medians and p99s from one run. See `scripts/bench.sh`.

mod gateway;
mod registry;
mod sidecar;
mod stats;
mod tracker;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "tessera-bench",
    about = "Benchmarks of Tessera's registry and sidecar"
)]
struct Cli {
    /// Folder holding the release binaries (tessera-server, tessera-sidecar).
    #[arg(long)]
    bin_dir: PathBuf,
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand)]
enum What {
    /// Heartbeat throughput, list latency, discovery and expiry latency, on
    /// SQLite and Postgres, and the same heartbeat workload through pgbench.
    Registry {
        /// Live widgets during the heartbeat and list runs.
        #[arg(long, default_value_t = 1000)]
        widgets: usize,
        /// Seconds of heartbeat load per engine.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Concurrent heartbeat senders.
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
    },
    /// A widget's files through the server (cold and warm cache) vs. straight from its sidecar.
    Gateway {
        /// Loads of the 50-file widget per case.
        #[arg(long, default_value_t = 30)]
        loads: usize,
    },
    /// Time from `run` to registered, idle RSS and CPU of one sidecar.
    Sidecar {
        #[arg(long, default_value_t = 20)]
        starts: usize,
        /// Seconds of idling measured.
        #[arg(long, default_value_t = 20)]
        idle_seconds: u64,
    },
    /// The tracker at a million hits: histogram and top-pages latency, pixel
    /// hits recorded per second, on SQLite and Postgres.
    Tracker {
        #[arg(long, default_value_t = 1_000_000)]
        hits: usize,
        /// Sequential requests per query case.
        #[arg(long, default_value_t = 200)]
        queries: usize,
        /// Concurrent pixel clients.
        #[arg(long, default_value_t = 32)]
        clients: usize,
        /// Seconds of pixel load per engine.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.what {
        What::Registry {
            widgets,
            seconds,
            concurrency,
        } => registry::run(&cli.bin_dir, widgets, seconds, concurrency).await,
        What::Sidecar {
            starts,
            idle_seconds,
        } => sidecar::run(&cli.bin_dir, starts, idle_seconds).await,
        What::Gateway { loads } => gateway::run(&cli.bin_dir, loads).await,
        What::Tracker {
            hits,
            queries,
            clients,
            seconds,
        } => tracker::run(&cli.bin_dir, hits, queries, clients, seconds).await,
    }
}
