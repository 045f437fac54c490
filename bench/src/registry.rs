//! The registry under load, on SQLite and on Postgres.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use tessera_registry::api::{EventKind, Interop, WidgetRegistration};
use tessera_registry::client::{RegistryClient, WatchItem};
use tessera_testkit::proc::Proc;
use tokio::process::Command;

use crate::stats::{ms, summarize};

pub struct Server {
    /// Kept alive (and killed on drop) with the server.
    pub _proc: Proc,
    pub url: String,
    pub token_file: PathBuf,
}

/// A release registry process on `db`, with publisher "bench" and its token file.
pub async fn start_server(
    bin_dir: &Path,
    db: &str,
    work: &Path,
    extra: &[&str],
) -> anyhow::Result<Server> {
    let token_file = work.join(format!("bench-{}.token", std::process::id()));
    let out = Command::new(bin_dir.join("tessera-server"))
        .args([
            "publisher",
            "add",
            "bench",
            "--if-missing",
            "--database-url",
            db,
            "--token-file",
        ])
        .arg(&token_file)
        .output()
        .await?;
    anyhow::ensure!(
        out.status.success(),
        "publisher add: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut cmd = Command::new(bin_dir.join("tessera-server"));
    cmd.args([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--rate-limit",
        "0",
        "--database-url",
        db,
    ])
    .args(extra)
    .env("TESSERA_LOG", "warn");
    let mut proc = Proc::spawn("tessera-server", cmd);
    let line = proc
        .wait_for_line("listening on", Duration::from_secs(30))
        .await;
    let url = line.rsplit(' ').next().unwrap_or_default().to_owned();
    Ok(Server {
        _proc: proc,
        url,
        token_file,
    })
}

fn token(server: &Server) -> anyhow::Result<String> {
    Ok(std::fs::read_to_string(&server.token_file)?
        .trim()
        .to_owned())
}

fn registration(i: usize) -> WidgetRegistration {
    let mut files = std::collections::BTreeMap::new();
    files.insert("w.js".to_owned(), "0".repeat(64));
    WidgetRegistration {
        id: format!("bench.w{i}"),
        title: format!("Bench widget {i}"),
        version: "1.0.0".into(),
        tag: format!("bench-w{i}"),
        entry: "w.js".into(),
        description: "A widget of realistic size for the benchmark: a sentence of description."
            .into(),
        icon: None,
        base_url: format!("http://127.0.0.1:{}/", 20000 + i % 20000),
        files,
        interop: Interop {
            listens: vec!["fdc3.instrument".into()],
            broadcasts: vec!["fdc3.instrument".into()],
            intents: vec![],
        },
        api: false,
        key: None,
        app_id: None,
    }
}

async fn register_all(client: &RegistryClient, n: usize) -> anyhow::Result<Vec<(String, String)>> {
    let out = futures_util::stream::iter(0..n)
        .map(|i| async move {
            let r = client.register(&registration(i)).await?;
            Ok::<_, anyhow::Error>((r.widget.id, r.instance))
        })
        .buffer_unordered(32)
        .collect::<Vec<_>>()
        .await;
    out.into_iter().collect()
}

struct Heartbeats {
    rate: f64,
    errors: u64,
    latency: crate::stats::Summary,
}

async fn heartbeat_load(
    client: &RegistryClient,
    live: Arc<Vec<(String, String)>>,
    seconds: u64,
    concurrency: usize,
) -> Heartbeats {
    let ok = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..concurrency)
        .map(|t| {
            let (client, live, ok, errors) =
                (client.clone(), live.clone(), ok.clone(), errors.clone());
            tokio::spawn(async move {
                let mut samples = Vec::new();
                let mut k = t;
                while Instant::now() < deadline {
                    let (id, instance) = &live[k % live.len()];
                    k += concurrency;
                    let t0 = Instant::now();
                    match client.heartbeat(id, instance).await {
                        Ok(_) => {
                            ok.fetch_add(1, Ordering::Relaxed);
                            samples.push(t0.elapsed());
                        }
                        Err(_) => {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                samples
            })
        })
        .collect();
    let mut samples = Vec::new();
    for t in tasks {
        samples.extend(t.await.expect("heartbeat task"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    Heartbeats {
        rate: ok.load(Ordering::Relaxed) as f64 / elapsed,
        errors: errors.load(Ordering::Relaxed),
        latency: summarize(samples),
    }
}

/// Time to receive the whole `GET /v1/widgets` body (the client's JSON
/// parsing is not the server's latency). Heartbeats keep flowing meanwhile,
/// as they do in production, so the list keeps changing.
async fn list_latency(
    url: &str,
    client: &RegistryClient,
    live: Arc<Vec<(String, String)>>,
    rounds: usize,
) -> anyhow::Result<crate::stats::Summary> {
    let expected = live.len();
    let http = reqwest::Client::new();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let beats = {
        let (client, stop) = (client.clone(), stop.clone());
        tokio::spawn(async move {
            // 1,000 widgets heartbeating every 5 s: 200 heartbeats/s.
            let mut k = 0;
            while !stop.load(Ordering::Relaxed) {
                let (id, instance) = &live[k % live.len()];
                let _ = client.heartbeat(id, instance).await;
                k += 1;
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };
    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t0 = Instant::now();
        let body = http
            .get(format!("{url}/v1/widgets"))
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        samples.push(t0.elapsed());
        anyhow::ensure!(body.len() > 1000, "a suspiciously small list");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop.store(true, Ordering::Relaxed);
    let _ = beats.await;
    let sample: tessera_registry::api::WidgetList = client.list().await?;
    anyhow::ensure!(
        sample.widgets.len() == expected,
        "the list holds every widget"
    );
    Ok(summarize(samples))
}

fn widget_folder(root: &Path, i: usize) -> anyhow::Result<PathBuf> {
    let dir = root.join(format!("w{i}"));
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join("widget.toml"),
        format!("id = \"bench.disc{i}\"\ntitle = \"Discovery {i}\"\nversion = \"1.0.0\"\ntag = \"bench-disc{i}\"\nentry = \"w.js\"\n"),
    )?;
    std::fs::write(
        dir.join("w.js"),
        format!("customElements.define('bench-disc{i}', class extends HTMLElement {{}});"),
    )?;
    Ok(dir)
}

async fn wait_for(
    events: &mut (impl futures_util::Stream<Item = Result<WatchItem, tessera_registry::client::ClientError>>
              + Unpin),
    kind: EventKind,
    id: &str,
) -> anyhow::Result<Instant> {
    loop {
        let item = tokio::time::timeout(Duration::from_secs(60), events.next())
            .await
            .map_err(|_| anyhow::anyhow!("no {} event for {id} within 60 s", kind.as_str()))?
            .ok_or_else(|| anyhow::anyhow!("watch stream ended"))??;
        if let WatchItem::Event(e) = item {
            if e.kind == kind && e.widget_id == id {
                return Ok(Instant::now());
            }
        }
    }
}

fn sidecar_cmd(bin_dir: &Path, dir: &Path, server: &Server) -> Command {
    let mut cmd = Command::new(bin_dir.join("tessera-sidecar"));
    cmd.arg("run")
        .arg(dir)
        .args(["--registry", &server.url, "--token-file"])
        .arg(&server.token_file)
        .env("TESSERA_LOG", "warn");
    cmd
}

/// Sidecar start → `added` at a watcher.
async fn discovery(
    bin_dir: &Path,
    server: &Server,
    work: &Path,
    rounds: usize,
) -> anyhow::Result<crate::stats::Summary> {
    let watcher = RegistryClient::new(&server.url)?;
    let mut events = Box::pin(watcher.watch(None).await?);
    let mut samples = Vec::new();
    for i in 0..rounds {
        let dir = widget_folder(work, i)?;
        let id = format!("bench.disc{i}");
        let t0 = Instant::now();
        let side = Proc::spawn("tessera-sidecar", sidecar_cmd(bin_dir, &dir, server));
        let seen = wait_for(&mut events, EventKind::Added, &id).await?;
        samples.push(seen - t0);
        side.signal("TERM").await;
        wait_for(&mut events, EventKind::Removed, &id).await?;
    }
    Ok(summarize(samples))
}

/// Sidecar SIGKILLed → `offline` at a watcher, on a server with a 1 s heartbeat (TTL 3 s).
async fn expiry(
    bin_dir: &Path,
    db: &str,
    work: &Path,
    rounds: usize,
) -> anyhow::Result<(crate::stats::Summary, Duration)> {
    let server = start_server(bin_dir, db, work, &["--heartbeat-interval", "1"]).await?;
    let ttl = Duration::from_secs(3);
    let watcher = RegistryClient::new(&server.url)?;
    let mut events = Box::pin(watcher.watch(None).await?);
    let mut samples = Vec::new();
    for i in 0..rounds {
        let dir = widget_folder(work, 1000 + i)?;
        let id = format!("bench.disc{}", 1000 + i);
        let mut side = Proc::spawn("tessera-sidecar", sidecar_cmd(bin_dir, &dir, &server));
        side.wait_for_line("registered", Duration::from_secs(30))
            .await;
        // Let a heartbeat or two land first.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let killed = Instant::now();
        side.signal("KILL").await;
        let seen = wait_for(&mut events, EventKind::Offline, &id).await?;
        samples.push(seen - killed);
    }
    Ok((summarize(samples), ttl))
}

fn pgbench(db: &str, widgets: usize, seconds: u64, work: &Path) -> anyhow::Result<f64> {
    let script = work.join("heartbeat.sql");
    std::fs::write(
        &script,
        format!(
            "\\set i random(0, {})\nUPDATE widgets SET last_seen = now() WHERE id = 'bench.w' || :i AND state = 'online';\n",
            widgets - 1
        ),
    )?;
    let bin = Path::new("/usr/lib/postgresql")
        .read_dir()?
        .flatten()
        .map(|e| e.path().join("bin/pgbench"))
        .find(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from("pgbench"));
    let out = std::process::Command::new(bin)
        .args([
            "-n",
            "-c",
            "16",
            "-j",
            "2",
            "-T",
            &seconds.to_string(),
            "-f",
        ])
        .arg(&script)
        .arg(db)
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    anyhow::ensure!(
        out.status.success(),
        "pgbench failed: {}{}",
        text,
        String::from_utf8_lossy(&out.stderr)
    );
    text.lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("tps = ")
                .and_then(|r| r.split_whitespace().next()?.parse().ok())
        })
        .ok_or_else(|| anyhow::anyhow!("no tps in pgbench output:\n{text}"))
}

pub async fn run(
    bin_dir: &Path,
    widgets: usize,
    seconds: u64,
    concurrency: usize,
) -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    println!("Registry benchmark: {widgets} live widgets, {seconds} s of heartbeats with {concurrency} concurrent senders,");
    println!(
        "server and load generator on this machine ({} cores).\n",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    let pg_db = tessera_testkit::pg::fresh_database().await;
    let engines = [
        (
            "sqlite",
            format!("sqlite://{}", work.path().join("bench.db").display()),
        ),
        ("postgres", pg_db.clone()),
    ];
    let mut pg_heartbeat_rate = 0.0;
    println!("| engine | heartbeats/s | heartbeat p50 | heartbeat p99 | errors | list p50 | list p99 | discovery p50 | discovery p99 | SIGKILL→offline p50 | max | TTL |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (engine, db) in &engines {
        let server = start_server(bin_dir, db, work.path(), &[]).await?;
        let client = RegistryClient::new(&server.url)?.with_token(token(&server)?);
        let live = Arc::new(register_all(&client, widgets).await?);
        let hb = heartbeat_load(&client, live.clone(), seconds, concurrency).await;
        if *engine == "postgres" {
            pg_heartbeat_rate = hb.rate;
        }
        let list = list_latency(&server.url, &client, live.clone(), 300).await?;
        let disc = discovery(bin_dir, &server, work.path(), 30).await?;
        drop(server);
        let expiry_db = match *engine {
            "sqlite" => format!("sqlite://{}", work.path().join("expiry.db").display()),
            _ => tessera_testkit::pg::fresh_database().await,
        };
        let (exp, ttl) = expiry(bin_dir, &expiry_db, work.path(), 5).await?;
        println!(
            "| {engine} | {:.0} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} s |",
            hb.rate,
            ms(hb.latency.p50),
            ms(hb.latency.p99),
            hb.errors,
            ms(list.p50),
            ms(list.p99),
            ms(disc.p50),
            ms(disc.p99),
            ms(exp.p50),
            ms(exp.max),
            ttl.as_secs()
        );
    }
    let tps = pgbench(&pg_db, widgets, seconds, work.path())?;
    println!(
        "\npgbench, the same heartbeat as one UPDATE per heartbeat (16 clients): {tps:.0} tps; \
         server/pgbench = {:.2}",
        pg_heartbeat_rate / tps
    );
    println!(
        "(The server answers heartbeats from memory and writes them in one batch per flush, \
         so its rate is bounded by HTTP handling, not by one UPDATE per heartbeat.)"
    );
    Ok(())
}
