//! One sidecar: time from `run` to registered, idle memory and CPU.

use std::path::Path;
use std::time::{Duration, Instant};

use tessera_testkit::proc::Proc;
use tokio::process::Command;

use crate::registry::start_server;
use crate::stats::{ms, summarize};

/// (resident set size in KiB, user+system CPU ticks) of a process.
fn usage(pid: u32) -> anyhow::Result<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let rss = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no VmRSS for {pid}"))?;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name (which may hold spaces) start after ')'.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = f.get(11).and_then(|u| u.parse::<u64>().ok()).unwrap_or(0)
        + f.get(12).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
    Ok((rss, ticks))
}

pub async fn run(bin_dir: &Path, starts: usize, idle_seconds: u64) -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let db = format!(
        "sqlite://{}",
        work.path().join("sidecar-bench.db").display()
    );
    let server = start_server(bin_dir, &db, work.path(), &[]).await?;
    let dir = work.path().join("card");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join("widget.toml"),
        "id = \"bench.card\"\ntitle = \"Card\"\nversion = \"1.0.0\"\ntag = \"bench-card\"\nentry = \"card.js\"\n",
    )?;
    std::fs::write(
        dir.join("card.js"),
        "customElements.define('bench-card', class extends HTMLElement {});",
    )?;
    let cmd = || {
        let mut c = Command::new(bin_dir.join("tessera-sidecar"));
        c.arg("run")
            .arg(&dir)
            .args(["--registry", &server.url, "--token-file"])
            .arg(&server.token_file)
            .env("TESSERA_LOG", "warn");
        c
    };

    let mut samples = Vec::new();
    for _ in 0..starts {
        let t0 = Instant::now();
        let mut p = Proc::spawn("tessera-sidecar", cmd());
        p.wait_for_line("registered", Duration::from_secs(30)).await;
        samples.push(t0.elapsed());
        p.signal("TERM").await;
        p.wait(Duration::from_secs(5)).await;
    }
    let start = summarize(samples);

    let mut p = Proc::spawn("tessera-sidecar", cmd());
    p.wait_for_line("registered", Duration::from_secs(30)).await;
    let pid = p
        .child
        .id()
        .ok_or_else(|| anyhow::anyhow!("sidecar exited"))?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (_, ticks_before) = usage(pid)?;
    let mut peak_rss = 0;
    for _ in 0..idle_seconds {
        tokio::time::sleep(Duration::from_secs(1)).await;
        peak_rss = peak_rss.max(usage(pid)?.0);
    }
    let (rss, ticks_after) = usage(pid)?;
    let hz = 100.0; // USER_HZ on Linux
    let cpu_pct = (ticks_after - ticks_before) as f64 / hz / idle_seconds as f64 * 100.0;
    println!("Sidecar benchmark ({starts} starts; then {idle_seconds} s idle with heartbeats every 5 s)\n");
    println!("| run → registered p50 | p99 | max | idle RSS | peak RSS | idle CPU |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| {} | {} | {} | {:.1} MB | {:.1} MB | {:.2} % of one core ({} ticks in {idle_seconds} s) |",
        ms(start.p50),
        ms(start.p99),
        ms(start.max),
        rss as f64 / 1024.0,
        peak_rss as f64 / 1024.0,
        cpu_pct,
        ticks_after - ticks_before
    );
    Ok(())
}
