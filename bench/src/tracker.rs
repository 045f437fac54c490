//! Issue 15: the tracker at a million hits. For each engine: a million
//! synthetic hits over a week stored by `tessera-tracker seed`; then,
//! against the release service over loopback, the latency of the
//! histogram the widget asks for (sequential requests, p50 and p99) and of
//! top pages; then pixel loads per second from concurrent clients.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use futures_util::StreamExt;
use tessera_testkit::proc::Proc;
use tokio::process::Command;

use crate::stats::{ms, summarize};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

async fn seed(bin_dir: &Path, db: &str, hits: usize) -> anyhow::Result<Duration> {
    let t0 = Instant::now();
    let out = Command::new(bin_dir.join("tessera-tracker"))
        .args(["--database-url", db, "seed", "--days", "7", "--hits"])
        .arg(hits.to_string())
        .output()
        .await
        .context("running tessera-tracker seed")?;
    anyhow::ensure!(
        out.status.success(),
        "seed failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(t0.elapsed())
}

async fn start(bin_dir: &Path, db: &str) -> anyhow::Result<(Proc, String)> {
    let mut cmd = Command::new(bin_dir.join("tessera-tracker"));
    cmd.args(["--listen", "127.0.0.1:0", "--database-url", db])
        .env("RUST_LOG", "warn");
    let mut p = Proc::spawn("tessera-tracker", cmd);
    let line = p
        .wait_for_line("listening on", Duration::from_secs(60))
        .await;
    let url = line
        .rsplit(' ')
        .next()
        .context("no URL in the listening line")?
        .to_owned();
    Ok((p, url))
}

/// Sequential GETs of `path`: their latencies.
async fn latencies(http: &reqwest::Client, url: &str, n: usize) -> anyhow::Result<Vec<Duration>> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let t0 = Instant::now();
        let resp = http.get(url).send().await?;
        anyhow::ensure!(resp.status().is_success(), "{url}: {}", resp.status());
        resp.bytes().await?;
        out.push(t0.elapsed());
    }
    Ok(out)
}

/// Pixel loads from `clients` concurrent clients for `seconds`: loads per
/// second and each load's latency.
async fn pixels(
    http: &reqwest::Client,
    base: &str,
    clients: usize,
    seconds: u64,
) -> anyhow::Result<(f64, Vec<Duration>)> {
    let until = Instant::now() + Duration::from_secs(seconds);
    let t0 = Instant::now();
    let runs: Vec<anyhow::Result<Vec<Duration>>> = futures_util::stream::iter(0..clients)
        .map(|c| async move {
            let mut lat = Vec::new();
            let mut i = 0u64;
            while Instant::now() < until {
                let url = format!("{base}/pixel.gif?page=bench/{}", (c as u64 + i) % 40);
                let t = Instant::now();
                let resp = http
                    .get(&url)
                    .header("x-tessera-user", "bench")
                    .send()
                    .await?;
                anyhow::ensure!(resp.status().is_success(), "pixel: {}", resp.status());
                resp.bytes().await?;
                lat.push(t.elapsed());
                i += 1;
            }
            Ok(lat)
        })
        .buffer_unordered(clients)
        .collect()
        .await;
    let elapsed = t0.elapsed().as_secs_f64();
    let mut all = Vec::new();
    for r in runs {
        all.extend(r?);
    }
    Ok((all.len() as f64 / elapsed, all))
}

pub async fn run(
    bin_dir: &Path,
    hits: usize,
    queries: usize,
    clients: usize,
    seconds: u64,
) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let sqlite = format!("sqlite://{}", dir.path().join("tracker.db").display());
    let pg = tessera_testkit::pg::fresh_database().await;
    let http = reqwest::Client::new();
    println!("tracker: {hits} stored hits over 7 days; {queries} sequential queries per case; pixels from {clients} clients for {seconds} s");
    let mut rates = Vec::new();
    for (engine, db) in [("sqlite", sqlite), ("postgres", pg)] {
        let took = seed(bin_dir, &db, hits).await?;
        println!(
            "  {engine}: seeded in {:.1} s ({:.0} hits/s in batches of 2000)",
            took.as_secs_f64(),
            hits as f64 / took.as_secs_f64()
        );
        let (_proc, base) = start(bin_dir, &db).await?;
        let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis() as i64;
        let cases = [
            (
                "histogram, last hour (30 s buckets)",
                format!("hits/histogram?from={}&to={now}", now - HOUR),
            ),
            (
                "histogram, last 24 h (15 min buckets)",
                format!("hits/histogram?from={}&to={now}", now - DAY),
            ),
            (
                "histogram, 7 days (3 h buckets)",
                format!("hits/histogram?from={}&to={now}", now - 7 * DAY),
            ),
            (
                "histogram, one page, 24 h",
                format!(
                    "hits/histogram?from={}&to={now}&page=research%2Fdaily",
                    now - DAY
                ),
            ),
            (
                "top pages, last 24 h",
                format!("hits/pages?from={}&to={now}", now - DAY),
            ),
            (
                "top pages, 7 days",
                format!("hits/pages?from={}&to={now}", now - 7 * DAY),
            ),
        ];
        for (what, path) in cases {
            let url = format!("{base}/{path}");
            // Warm: the first request of a case is not a user's steady state.
            latencies(&http, &url, 3).await?;
            let s = summarize(latencies(&http, &url, queries).await?);
            println!("  {engine}: {what}: p50 {}, p99 {}", ms(s.p50), ms(s.p99));
        }
        let (rate, lat) = pixels(&http, &base, clients, seconds).await?;
        let s = summarize(lat);
        println!(
            "  {engine}: pixel: {rate:.0} hits/s recorded (p50 {}, p99 {} per load)",
            ms(s.p50),
            ms(s.p99)
        );
        rates.push(rate);
    }
    println!(
        "  pixel hits/s, SQLite vs Postgres: {:.2}×",
        rates[0] / rates[1]
    );
    Ok(())
}
