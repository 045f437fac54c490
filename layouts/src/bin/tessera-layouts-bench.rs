//! Benchmark of the layouts service against Postgres: loads and saves through
//! the real HTTP server (in this process, on 127.0.0.1), then the same
//! transactions through pgbench, and the ratio between the two.
//!
//! ```text
//! cargo run --release -p tessera-layouts --features bench --bin tessera-layouts-bench
//! ```
//!
//! Postgres: `DATABASE_URL` when set (a fresh database is created on that
//! server), otherwise a throwaway cluster (initdb + pg_ctl) for the run.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{ensure, Context};
use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{header, Method, Request, StatusCode};
use tessera_layouts::store::PgStore;
use tessera_layouts::{DynLayoutStore, LayoutsState};

#[derive(Parser)]
#[command(
    name = "tessera-layouts-bench",
    about = "Benchmark layout loads and saves against Postgres"
)]
struct Args {
    /// Layouts stored before measuring.
    #[arg(long, default_value_t = 100_000)]
    layouts: usize,
    /// Seconds of each measured phase.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Concurrent HTTP clients (and pgbench clients).
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// Layouts each save client (and pgbench client) cycles through.
    #[arg(long, default_value_t = 1000)]
    partition: usize,
    /// The pgbench binary.
    #[arg(long, default_value = "/usr/lib/postgresql/15/bin/pgbench")]
    pgbench: PathBuf,
}

/// xorshift64*: enough randomness to pick layouts and vary documents.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WIDGETS: [&str; 12] = [
    "acme.price-chart",
    "acme.order-book",
    "acme.news",
    "acme.blotter",
    "acme.watchlist",
    "acme.heatmap",
    "acme.fundamentals",
    "acme.calendar",
    "acme.notes",
    "tessera.clock",
    "tessera.greeting",
    "acme.fx-blotter",
];
const CHANNELS: [&str; 6] = ["red", "green", "blue", "yellow", "orange", "purple"];
const TICKERS: [&str; 8] = [
    "AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "META", "TSLA", "BRK.B",
];

fn layout_id(n: usize) -> String {
    format!("bench_{n:06}")
}

/// A realistic document of 6 to 10 panels (about 2 KB of compact JSON).
fn document(rng: &mut Rng, title: &str, marker: u64) -> serde_json::Value {
    use serde_json::json;
    let panels = 6 + rng.below(5);
    let mut made = 0;
    let mut panel = |rng: &mut Rng| {
        made += 1;
        let widget = WIDGETS[rng.below(WIDGETS.len())];
        let ticker = TICKERS[rng.below(TICKERS.len())];
        let channel = if rng.below(2) == 0 {
            json!(CHANNELS[rng.below(CHANNELS.len())])
        } else {
            json!(null)
        };
        json!({"type": "widget", "id": format!("panel-{made}-{:x}", rng.next() & 0xffff),
               "widget": widget, "title": format!("{ticker} {}", widget.rsplit('.').next().unwrap_or(widget)),
               "state": {"instrument": {"type": "fdc3.instrument", "id": {"ticker": ticker}},
                         "range": "1Y", "columns": ["bid", "ask", "last", "volume"], "marker": marker},
               "channel": channel})
    };
    let stacks = (panels / 2).max(3);
    let mut tabs: Vec<Vec<serde_json::Value>> = vec![Vec::new(); stacks];
    for i in 0..panels {
        tabs[i % stacks].push(panel(rng));
    }
    let left: Vec<_> = tabs
        .drain(..stacks / 2)
        .map(|c| json!({"type": "stack", "active": 0, "content": c}))
        .collect();
    let right: Vec<_> = tabs
        .into_iter()
        .map(|c| json!({"type": "stack", "active": 0, "content": c}))
        .collect();
    let size = |n: usize, i: usize| {
        let base = 100 / n;
        format!(
            "{}%",
            if i + 1 == n {
                100 - base * (n - 1)
            } else {
                base
            }
        )
    };
    let column = |items: Vec<serde_json::Value>| {
        let n = items.len();
        let content: Vec<_> = items
            .into_iter()
            .enumerate()
            .map(|(i, mut s)| {
                s["size"] = json!(size(n, i));
                s
            })
            .collect();
        json!({"type": "column", "content": content})
    };
    let mut l = column(left);
    let mut r = column(right);
    l["size"] = json!("55%");
    r["size"] = json!("45%");
    json!({"schema": 1, "title": title, "root": {"type": "row", "content": [l, r]},
           "floating": [], "popouts": []})
}

fn widgets_of(doc: &serde_json::Value) -> String {
    let parsed: tessera_layouts::LayoutDocument =
        serde_json::from_value(doc.clone()).expect("bench documents parse");
    let mut ids: Vec<&str> = parsed.panels().map(|p| p.widget.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    format!("|{}|", ids.join("|"))
}

/// Stores `n` organisation-visible layouts of `owner`, each with its version 1.
async fn seed(pg: &PgStore, owner: i64, n: usize) -> anyhow::Result<usize> {
    let mut rng = Rng::new(0x5eed);
    let now = chrono::Utc::now();
    let mut bytes = 0;
    for start in (0..n).step_by(2000) {
        let (mut ids, mut titles, mut docs, mut widgets) = (vec![], vec![], vec![], vec![]);
        for i in start..(start + 2000).min(n) {
            let title = format!("Desk {i}");
            let doc = document(&mut rng, &title, 0);
            let json = serde_json::to_string(&doc)?;
            bytes += json.len();
            widgets.push(widgets_of(&doc));
            ids.push(layout_id(i));
            titles.push(title);
            docs.push(json);
        }
        let mut tx = pg.pool().begin().await?;
        sqlx::query(
            "INSERT INTO layouts (id, owner_id, title, version, document, widgets, organisation, created_at, updated_at)
             SELECT t.id, $2, t.title, 1, t.document, t.widgets, TRUE, $3, $3
             FROM UNNEST($1::text[], $4::text[], $5::text[], $6::text[]) AS t(id, title, document, widgets)",
        )
        .bind(&ids)
        .bind(owner)
        .bind(now)
        .bind(&titles)
        .bind(&docs)
        .bind(&widgets)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO layout_versions (layout_id, version, title, document, author_id, message, created_at)
             SELECT t.id, 1, t.title, t.document, $2, 'seeded', $3
             FROM UNNEST($1::text[], $4::text[], $5::text[]) AS t(id, title, document)",
        )
        .bind(&ids)
        .bind(owner)
        .bind(now)
        .bind(&titles)
        .bind(&docs)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
    sqlx::query("VACUUM ANALYZE layouts")
        .execute(pg.pool())
        .await?;
    sqlx::query("VACUUM ANALYZE layout_versions")
        .execute(pg.pool())
        .await?;
    Ok(bytes / n.max(1))
}

struct Phase {
    latencies: Vec<Duration>,
    errors: u64,
    elapsed: Duration,
}

impl Phase {
    fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }
    fn pct(&self, q: f64) -> Duration {
        let mut s = self.latencies.clone();
        s.sort();
        s[((s.len() as f64 - 1.0) * q).round() as usize]
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Runs `clients` loops of `one` for `seconds`, collecting latencies.
async fn measure<F, Fut>(clients: usize, seconds: u64, one: F) -> Phase
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let one = Arc::new(one);
    let errors = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (one, errors) = (one.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut k = 0_u64;
            while Instant::now() < deadline {
                let t = Instant::now();
                let ok = one(c, k).await;
                k += 1;
                if ok {
                    lat.push(t.elapsed());
                } else {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            }
            lat
        }));
    }
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.expect("client task"));
    }
    Phase {
        latencies,
        errors: errors.load(Ordering::Relaxed),
        elapsed: start.elapsed(),
    }
}

fn pgbench(
    bin: &Path,
    db: &str,
    script: &Path,
    clients: usize,
    seconds: u64,
    defines: &[String],
) -> anyhow::Result<(f64, String)> {
    let mut cmd = std::process::Command::new(bin);
    cmd.args([
        "-n",
        "-M",
        "prepared",
        "-c",
        &clients.to_string(),
        "-j",
        "2",
        "-T",
        &seconds.to_string(),
    ]);
    for d in defines {
        cmd.arg("-D").arg(d);
    }
    let out = cmd
        .arg("-f")
        .arg(script)
        .arg(db)
        .output()
        .with_context(|| format!("running {}", bin.display()))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    ensure!(
        out.status.success() && !text.contains("aborted"),
        "pgbench failed: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tps = text
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("tps = ")?
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .with_context(|| format!("no tps in pgbench output:\n{text}"))?;
    let failed = text
        .lines()
        .find(|l| l.contains("number of failed transactions"))
        .unwrap_or("")
        .trim()
        .to_owned();
    Ok((tps, failed))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    ensure!(
        args.clients * args.partition * 2 <= args.layouts,
        "--clients × --partition × 2 must fit in --layouts"
    );
    let url = tessera_testkit::pg::fresh_database().await;
    let pg = Arc::new(PgStore::connect_with(&url, 16).await?);
    let store: DynLayoutStore = pg.clone();
    // The accounts on the same pool (their migrations ran with the store's).
    let accounts = tessera_accounts::store::open(&tessera_server_common::db::Database::Postgres {
        pool: pg.pool().clone(),
        url: url.clone(),
    })
    .await?;
    let owner_token = tessera_accounts::add_user(&*accounts, "owner", false).await?;
    let reader_token = tessera_accounts::add_user(&*accounts, "reader", false).await?;
    let owner = accounts.user_named("owner").await?.context("owner")?;
    let reader = accounts.user_named("reader").await?.context("reader")?;

    let t = Instant::now();
    let avg = seed(&pg, owner.id, args.layouts).await?;
    println!(
        "Layouts benchmark: {} layouts stored (average document {avg} bytes) in {:.1} s; {} concurrent clients, {} s per phase;",
        args.layouts,
        t.elapsed().as_secs_f64(),
        args.clients,
        args.seconds
    );
    println!(
        "server, load generator and Postgres on this machine ({} cores); Postgres {}.\n",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        if std::env::var("DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
            "from DATABASE_URL"
        } else {
            "throwaway cluster (fsync off)"
        }
    );

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let listener_addr = listener.local_addr()?;
    // Beside the real routes, one that answers a stored layout's response
    // from memory: the cost of the HTTP hop alone, with no database.
    let sample = {
        let mut rng = Rng::new(7);
        let doc = document(&mut rng, "Desk", 0);
        format!(r#"{{"id": "bench_000000", "title": "Desk", "version": 1, "document": {doc}}}"#)
    };
    let sample_len = sample.len();
    let accounts = tessera_accounts::Accounts::new(accounts);
    let router = tessera_layouts::router(LayoutsState::new(store.clone(), accounts)).route(
        "/bench/no-database",
        axum::routing::get(move || {
            let body = sample.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], body) }
        }),
    );
    let server = tokio::spawn(async move { axum::serve(listener, router).await });

    // One HTTP/1.1 keep-alive connection per client (a browser's or the
    // shell's pattern), with requests prepared up front, so the load
    // generator spends its (shared) CPU on requests and little else.
    let addr = listener_addr;
    let mut conns = Vec::new();
    for _ in 0..args.clients {
        conns.push(tokio::sync::Mutex::new(Conn::open(addr).await?));
    }
    let conns = Arc::new(conns);
    let n = args.layouts;
    let (reader_auth, owner_auth) = (
        format!("Bearer {reader_token}"),
        format!("Bearer {owner_token}"),
    );

    // Loads: random layouts, read by a colleague (organisation visibility).
    let load = {
        let conns = conns.clone();
        move |c: usize, k: u64| {
            let mut rng = Rng::new((c as u64 + 1) * 7919 + k * 104_729);
            let request = Conn::request(
                Method::GET,
                &format!("/v1/layouts/{}", layout_id(rng.below(n))),
                &reader_auth,
                Bytes::new(),
            );
            let conns = conns.clone();
            async move { conns[c].lock().await.send(request).await }
        }
    };
    measure(args.clients, 2, load.clone()).await; // warm-up: connections, statements, caches
    let loads = measure(args.clients, args.seconds, load).await;
    let http_only = {
        let (conns, auth) = (conns.clone(), format!("Bearer {reader_token}"));
        move |c: usize, _: u64| {
            let request = Conn::request(Method::GET, "/bench/no-database", &auth, Bytes::new());
            let conns = conns.clone();
            async move { conns[c].lock().await.send(request).await }
        }
    };
    let http_only = measure(args.clients, args.seconds, http_only).await;
    // And the database half alone: the store's load (sqlx), in this process, no HTTP.
    let db_only = {
        let (store, reader_id) = (store.clone(), reader.id);
        move |c: usize, k: u64| {
            let mut rng = Rng::new((c as u64 + 1) * 7919 + k * 104_729);
            let id = layout_id(rng.below(n));
            let store = store.clone();
            async move {
                matches!(
                    store.layout_with_document(&id, reader_id).await,
                    Ok(Some(_))
                )
            }
        }
    };
    let db_only = measure(args.clients, args.seconds, db_only).await;

    // Saves: each client cycles through its own layouts, so every save names the current version.
    let mut rng = Rng::new(42);
    let bodies: Arc<Vec<String>> = Arc::new(
        (0..64)
            .map(|i| {
                serde_json::to_string(&document(&mut rng, "Desk (saved)", i)).expect("serialises")
            })
            .collect(),
    );
    let p = args.partition;
    let save = {
        let (conns, bodies) = (conns.clone(), bodies.clone());
        move |c: usize, k: u64| {
            let slot = c * p + (k as usize % p);
            let base_version = 1 + k / p as u64;
            let body = format!(
                r#"{{"base_version": {base_version}, "document": {}}}"#,
                bodies[(k as usize + c) % bodies.len()]
            );
            let request = Conn::request(
                Method::PUT,
                &format!("/v1/layouts/{}", layout_id(slot)),
                &owner_auth,
                Bytes::from(body),
            );
            let conns = conns.clone();
            async move { conns[c].lock().await.send(request).await }
        }
    };
    let saves = measure(args.clients, args.seconds, save).await;
    server.abort();

    // The same transactions through pgbench: the load statement the server
    // runs, and the save (guarded UPDATE + history INSERT in one statement).
    let work = tempfile_dir()?;
    let id_expr = "('bench_' || lpad(:n::text, 6, '0'))";
    let [load_sql, save_sql] = pg.benchmark_statements();
    let load_script = work.join("load.sql");
    std::fs::write(
        &load_script,
        format!(
            "\\set n random(0, {})\n{};\n",
            n - 1,
            bind(load_sql, &[id_expr, ":uid"])
        ),
    )?;
    let save_script = work.join("save.sql");
    let offset = args.clients * p;
    // Each pgbench client cycles through its own layouts, like the HTTP clients
    // (but others), so the version it names is always current.
    std::fs::write(
        &save_script,
        format!(
            "\\set k :k + 1\n\\set n {offset} + :client_id * {p} + (:k - 1) % {p}\n\\set base 1 + (:k - 1) / {p}\n\
             {};\n",
            bind(save_sql, &[id_expr, ":base", ":doc", "'Desk (saved)'", ":widgets", "now()", ":uid", "false", "NULL"]),
        ),
    )?;
    let doc0 = &bodies[0];
    let widgets0 = widgets_of(&serde_json::from_str(doc0)?);
    let (pg_load, _) = pgbench(
        &args.pgbench,
        &url,
        &load_script,
        args.clients,
        args.seconds,
        &[format!("uid={}", reader.id)],
    )?;
    let (pg_save, failed) = pgbench(
        &args.pgbench,
        &url,
        &save_script,
        args.clients,
        args.seconds,
        &[
            "k=0".into(),
            format!("uid={}", owner.id),
            format!("doc={doc0}"),
            format!("widgets={widgets0}"),
        ],
    )?;

    println!("| through the HTTP server | p50 | p99 | per second | errors | target |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| load (GET /v1/layouts/{{id}}) | {} | {} | {:.0} | {} | p99 < 5 ms, ≥ 10,000/s |",
        ms(loads.pct(0.5)),
        ms(loads.pct(0.99)),
        loads.rate(),
        loads.errors
    );
    println!(
        "| save (PUT /v1/layouts/{{id}}) | {} | {} | {:.0} | {} | p99 < 20 ms, ≥ 1,000/s |",
        ms(saves.pct(0.5)),
        ms(saves.pct(0.99)),
        saves.rate(),
        saves.errors
    );
    println!(
        "\npgbench -M prepared, {} clients, the same statements:",
        args.clients
    );
    println!("| transaction | pgbench tps | server/s | server/pgbench | target |");
    println!("|---|---|---|---|---|");
    println!(
        "| load | {pg_load:.0} | {:.0} | {:.2} | ≥ 0.7 |",
        loads.rate(),
        loads.rate() / pg_load
    );
    println!(
        "| save | {pg_save:.0} | {:.0} | {:.2} | ≥ 0.7 |",
        saves.rate(),
        saves.rate() / pg_save
    );
    // The server cannot beat doing both halves on the same two cores one
    // after the other: 1 / (1/http + 1/db) per second.
    let ceiling = 1.0 / (1.0 / http_only.rate() + 1.0 / pg_load);
    println!(
        "\nThe HTTP hop alone (same server and client, a {}-byte answer from memory, no database): \
         p50 {}, {:.0}/s.\nLoad ceiling on these cores, 1 / (1/HTTP + 1/pgbench) = {ceiling:.0}/s; \
         server/ceiling = {:.2}.",
        sample_len,
        ms(http_only.pct(0.5)),
        http_only.rate(),
        loads.rate() / ceiling
    );
    println!(
        "The load statement through sqlx alone (the store, in this process, no HTTP): p50 {}, {:.0}/s = {:.2} × pgbench.",
        ms(db_only.pct(0.5)),
        db_only.rate(),
        db_only.rate() / pg_load
    );
    if !failed.is_empty() {
        println!("\npgbench save: {failed}");
    }
    Ok(())
}

/// One HTTP/1.1 connection to the server under test.
struct Conn(hyper::client::conn::http1::SendRequest<Full<Bytes>>);

impl Conn {
    async fn open(addr: std::net::SocketAddr) -> anyhow::Result<Conn> {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (send, conn) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
        tokio::spawn(conn);
        Ok(Conn(send))
    }

    fn request(method: Method, path: &str, auth: &str, body: Bytes) -> Request<Full<Bytes>> {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "127.0.0.1")
            .header(header::AUTHORIZATION, auth)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Full::new(body))
            .expect("a well-formed request")
    }

    /// Sends `request`; true when it was answered 200 and the body read whole.
    async fn send(&mut self, request: Request<Full<Bytes>>) -> bool {
        if self.0.ready().await.is_err() {
            return false;
        }
        match self.0.send_request(request).await {
            Ok(r) if r.status() == StatusCode::OK => r.into_body().collect().await.is_ok(),
            _ => false,
        }
    }
}

/// Replaces `$1`, `$2`… with pgbench expressions (highest first, so `$1` does not eat `$10`).
fn bind(sql: &str, values: &[&str]) -> String {
    let mut out = sql.to_owned();
    for (i, v) in values.iter().enumerate().rev() {
        out = out.replace(&format!("${}", i + 1), v);
    }
    assert!(!out.contains('$'), "every placeholder is bound: {out}");
    out
}

fn tempfile_dir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("tessera-layouts-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
