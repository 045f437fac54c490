//! Issue 11: a widget's files through the server vs. straight from its
//! sidecar. A widget of 50 files / 2 MB; one "load" fetches all 50 with six
//! at a time (as a browser does per host). Cold: the first load of a new
//! version (new bytes, so nothing cached); warm: the next user's load;
//! direct: from the sidecar with its key (what the desktop did before). Bytes read from the
//! sidecar come from the server's own metric.

use std::path::Path;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use tessera_server_common::secrets::sha256_hex;
use tessera_testkit::proc::Proc;
use tokio::process::Command;

use crate::registry::start_server;
use crate::stats::{ms, summarize};

const FILES: usize = 50;
const FILE_BYTES: usize = 2 * 1024 * 1024 / FILES;
const KEY: &str = "bench-key-0123456789abcdef0123456789abcdef";

/// Deterministic, poorly compressible bytes.
fn content(i: usize) -> Vec<u8> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64 ^ (i as u64 + 1);
    let mut out = Vec::with_capacity(FILE_BYTES);
    out.extend_from_slice(format!("// file {i}\n").as_bytes());
    while out.len() < FILE_BYTES {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push(b'a' + (x % 26) as u8);
    }
    out
}

async fn load(
    http: &reqwest::Client,
    urls: &[String],
    header: (&str, &str),
) -> anyhow::Result<(Duration, usize)> {
    let t0 = Instant::now();
    let results: Vec<anyhow::Result<usize>> = futures_util::stream::iter(urls)
        .map(|u| async move {
            let resp = http.get(u).header(header.0, header.1).send().await?;
            anyhow::ensure!(resp.status().is_success(), "{u}: {}", resp.status());
            Ok(resp.bytes().await?.len())
        })
        .buffer_unordered(6)
        .collect()
        .await;
    let mut bytes = 0;
    for r in results {
        bytes += r?;
    }
    Ok((t0.elapsed(), bytes))
}

async fn sidecar_bytes(http: &reqwest::Client, server: &str) -> anyhow::Result<u64> {
    let text = http
        .get(format!("{server}/metrics"))
        .send()
        .await?
        .text()
        .await?;
    Ok(text
        .lines()
        .find_map(|l| l.strip_prefix("tessera_gateway_sidecar_bytes_total "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0))
}

/// Waits until the widget's registration lists exactly these hashes (the
/// sidecar re-registers after its files change, perhaps in several steps).
async fn wait_for_files(
    http: &reqwest::Client,
    server: &str,
    files: &[(String, String)],
) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let w: serde_json::Value = http
            .get(format!("{server}/v1/widgets/bench.big"))
            .send()
            .await?
            .json()
            .await?;
        if files
            .iter()
            .all(|(name, sha)| w["files"][name].as_str() == Some(sha))
        {
            return Ok(());
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the new files were never registered: {w}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn run(bin_dir: &Path, loads: usize) -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let db = format!("sqlite://{}", work.path().join("gateway.db").display());
    let cache_arg = work.path().join("cache").display().to_string();
    let server = start_server(bin_dir, &db, work.path(), &["--file-cache-dir", &cache_arg]).await?;
    let out = Command::new(bin_dir.join("tessera-server"))
        .args(["user", "add", "reader", "--database-url", &db])
        .output()
        .await?;
    anyhow::ensure!(
        out.status.success(),
        "user add: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let user = String::from_utf8(out.stdout)?.trim().to_owned();

    let dir = work.path().join("big");
    std::fs::create_dir_all(dir.join("lib"))?;
    std::fs::write(
        dir.join("widget.toml"),
        "id = \"bench.big\"\ntitle = \"Big\"\nversion = \"1.0.0\"\ntag = \"bench-big\"\nentry = \"lib/f00.js\"\n",
    )?;
    let names: Vec<String> = (0..FILES).map(|i| format!("lib/f{i:02}.js")).collect();
    for (i, n) in names.iter().enumerate() {
        std::fs::write(dir.join(n), content(i))?;
    }
    let key_file = work.path().join("sidecar.key");
    std::fs::write(&key_file, KEY)?;
    let mut cmd = Command::new(bin_dir.join("tessera-sidecar"));
    cmd.arg("run")
        .arg(&dir)
        .args(["--registry", &server.url, "--token-file"])
        .arg(&server.token_file)
        .arg("--key-file")
        .arg(&key_file)
        .env("TESSERA_LOG", "warn");
    let mut side = Proc::spawn("tessera-sidecar", cmd);
    let line = side
        .wait_for_line("registered", Duration::from_secs(30))
        .await;
    let base = line.rsplit(' ').next().unwrap_or_default().to_owned();

    let http = reqwest::Client::new();
    let through: Vec<String> = names
        .iter()
        .map(|n| format!("{}/v1/widgets/bench.big/files/{n}", server.url))
        .collect();
    let direct: Vec<String> = names.iter().map(|n| format!("{base}{n}")).collect();
    let bearer = format!("Bearer {user}");
    let auth = ("authorization", bearer.as_str());
    let keyed = ("tessera-sidecar-key", KEY);

    // Warm up connections and the page cache of the widget's files.
    load(&http, &direct, keyed).await?;

    // Cold: each load is of a new version (new bytes, new hashes), as the
    // first user after a publish meets it; the server has none of it.
    let mut cold = Vec::new();
    let mut cold_bytes = 0;
    for round in 1..=loads {
        let mut written = Vec::new();
        for (i, n) in names.iter().enumerate() {
            let bytes = content(i + 1000 * round);
            std::fs::write(dir.join(n), &bytes)?;
            written.push((n.clone(), sha256_hex(&bytes)));
        }
        wait_for_files(&http, &server.url, &written).await?;
        let before = sidecar_bytes(&http, &server.url).await?;
        let (t, bytes) = load(&http, &through, auth).await?;
        anyhow::ensure!(
            bytes >= 2 * 1024 * 1024 - FILES,
            "short load: {bytes} bytes"
        );
        cold_bytes += sidecar_bytes(&http, &server.url).await? - before;
        cold.push(t);
    }
    let before_warm = sidecar_bytes(&http, &server.url).await?;
    let mut warm = Vec::new();
    for _ in 0..loads {
        warm.push(load(&http, &through, auth).await?.0);
    }
    let warm_bytes = sidecar_bytes(&http, &server.url).await? - before_warm;
    let mut straight = Vec::new();
    for _ in 0..loads {
        straight.push(load(&http, &direct, keyed).await?.0);
    }

    let (c, w, d) = (summarize(cold), summarize(warm), summarize(straight));
    println!(
        "gateway: a widget of {FILES} files / 2 MiB, {loads} loads each, 6 requests at a time"
    );
    println!(
        "  through the server, cold cache: p50 {} p99 {}  ({} KiB read from the sidecar per load)",
        ms(c.p50),
        ms(c.p99),
        cold_bytes / loads as u64 / 1024
    );
    println!(
        "  through the server, warm cache: p50 {} p99 {}  ({} bytes read from the sidecar in all {loads} loads)",
        ms(w.p50),
        ms(w.p99),
        warm_bytes
    );
    println!(
        "  straight from the sidecar:      p50 {} p99 {}",
        ms(d.p50),
        ms(d.p99)
    );
    println!(
        "  warm / direct p50 ratio: {:.2}; cold / direct: {:.2}",
        w.p50.as_secs_f64() / d.p50.as_secs_f64(),
        c.p50.as_secs_f64() / d.p50.as_secs_f64()
    );
    side.signal("TERM").await;
    side.wait(Duration::from_secs(10)).await;
    Ok(())
}
