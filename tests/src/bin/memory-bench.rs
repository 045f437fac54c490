//! `memory-bench`: the desktop app's memory through a long working session
//! (run a release build: `scripts/bench.sh memory [MINUTES]`, 30 by
//! default). The demo layout plus a widget that broadcasts on red every
//! second (the price chart follows it) and the ticking clock, in the real
//! app under Xvfb; meanwhile the server carries 1,000 heartbeating widgets
//! (all in the app's marketplace) and 50 layout writers saving once a
//! second. Each minute: PSS and RSS of the app and its WebKit processes,
//! and the p99 of the saves and heartbeats in that minute. "Flat" is judged
//! on the second half of the run: its growth in MB per minute.

use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tessera_e2e::desktop::start_xvfb;
use tessera_e2e::{registry_cli, repo_root, test_widget, Stack, EXAMPLE_WIDGETS};
use tessera_registry::api::{Interop, WidgetRegistration};
use tessera_registry::client::RegistryClient;
use tessera_testkit::proc::bin;
use tokio::process::{Child, Command};

/// Publishers the fake widgets are spread over (each token has its own rate budget).
const TEAMS: usize = 10;

fn fake_widget(i: usize) -> WidgetRegistration {
    let mut files = std::collections::BTreeMap::new();
    files.insert("w.js".to_owned(), "0".repeat(64));
    WidgetRegistration {
        id: format!("team{}.w{i}", i % TEAMS),
        title: format!("Bench widget {i}"),
        version: "1.0.0".into(),
        tag: format!("bench-w{i}"),
        entry: "w.js".into(),
        description: "A widget of realistic size for the benchmark: a sentence of description."
            .into(),
        icon: None,
        base_url: format!("http://127.0.0.1:{}/", 20000 + i),
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

/// Latencies of one kind of request in the current minute, in ms.
#[derive(Default, Clone)]
struct Minute(Arc<Mutex<Vec<f64>>>);

impl Minute {
    fn record(&self, since: Instant) {
        self.0
            .lock()
            .unwrap()
            .push(since.elapsed().as_secs_f64() * 1000.0);
    }
    /// The p99 and count so far, starting a new minute.
    fn take(&self) -> (f64, usize) {
        let mut v = std::mem::take(&mut *self.0.lock().unwrap());
        if v.is_empty() {
            return (f64::NAN, 0);
        }
        v.sort_by(f64::total_cmp);
        (v[((v.len() - 1) as f64 * 0.99).round() as usize], v.len())
    }
}

/// `pid` and all its descendants.
fn descendants(pid: u32) -> Vec<u32> {
    let mut pids = vec![pid];
    let mut i = 0;
    while i < pids.len() {
        let children = std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", pids[i]))
            .unwrap_or_default();
        pids.extend(
            children
                .split_whitespace()
                .filter_map(|c| c.parse::<u32>().ok()),
        );
        i += 1;
    }
    pids
}

/// PSS and RSS in MB of `pid` and all its descendants, and the PSS of
/// `pid` alone (the app's own process, without WebKit's).
fn memory(pid: u32) -> (f64, f64, f64) {
    let (mut pss, mut rss, mut own) = (0u64, 0u64, 0u64);
    for p in descendants(pid) {
        let rollup = std::fs::read_to_string(format!("/proc/{p}/smaps_rollup")).unwrap_or_default();
        for line in rollup.lines() {
            let kb = || {
                line.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0)
            };
            if line.starts_with("Pss:") {
                pss += kb();
                if p == pid {
                    own += kb();
                }
            } else if line.starts_with("Rss:") {
                rss += kb();
            }
        }
    }
    let mb = |kb: u64| kb as f64 / 1024.0;
    (mb(pss), mb(rss), mb(own))
}

/// The release app on `display`, in a fresh profile, opening layout `id`.
fn open_app(stack: &Stack, display: &str, profile: &Path, id: &str) -> Child {
    Command::new(bin("tessera"))
        .args(["open", id])
        .env("DISPLAY", display)
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("XDG_CONFIG_HOME", profile.join("config"))
        .env("XDG_DATA_HOME", profile.join("data"))
        .env("XDG_CACHE_HOME", profile.join("cache"))
        .env("TESSERA_REGISTRY_URL", &stack.registry_url)
        .env("TESSERA_USER_TOKEN", &stack.user_token)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the app starts")
}

/// `memory-bench widgets`: PSS and RSS of the app and all its WebKit
/// processes with one widget, the demo layout, and ten different
/// widgets open (each in a group of its own), each in a fresh app: read
/// five times, 2 s apart, after 30 s to settle; the medians.
async fn widgets_pss() {
    let examples = EXAMPLE_WIDGETS;
    let tests = ["pulse", "colour-picker", "probe"];
    let mut dirs: Vec<_> = examples
        .iter()
        .map(|w| repo_root().join("widgets").join(w))
        .collect();
    dirs.extend(tests.iter().map(|w| test_widget(w)));
    let stack = Stack::start_dirs(&dirs).await;
    let ten: Vec<Value> = examples
        .iter()
        .chain(tests.iter())
        .map(|w| json!({"type": "widget", "id": format!("p-{w}"), "widget": format!("tessera.{w}"), "title": w, "state": {}, "channel": "red"}))
        .collect();
    let column = |panels: &[Value]| json!({"type": "column", "content": panels.iter().map(|p| json!({"type": "stack", "content": [p]})).collect::<Vec<_>>()});
    let layouts = [
        (
            "1 widget (the clock)",
            json!({"schema": 1, "title": "One", "root": {"type": "row", "content": [column(&ten[1..2])]}}),
        ),
        (
            "demo layout (6 panels, 6 widgets)",
            serde_json::to_value(tessera_layouts::demo_layout()).unwrap(),
        ),
        (
            "10 different widgets, a group each",
            json!({"schema": 1, "title": "Ten", "root": {"type": "row", "content": [column(&ten[..5]), column(&ten[5..])]}}),
        ),
    ];
    let (_xvfb, display) = start_xvfb().await;
    println!("PSS and RSS of the app and all its WebKit processes (medians of 5 readings, 2 s apart, after 30 s):\n");
    println!("| layout | PSS | RSS | PSS of the app process | processes |");
    println!("|---|---|---|---|---|");
    for (name, doc) in layouts {
        let id = stack.create_layout(name, &doc).await;
        let profile = tempfile::tempdir().unwrap();
        let mut app = open_app(&stack, &display, profile.path(), &id);
        let pid = app.id().expect("the app's pid");
        tokio::time::sleep(Duration::from_secs(30)).await;
        let mut readings = Vec::new();
        for _ in 0..5 {
            readings.push(memory(pid));
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        let median = |f: fn(&(f64, f64, f64)) -> f64| {
            let mut v: Vec<f64> = readings.iter().map(f).collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        println!(
            "| {name} | {:.0} MB | {:.0} MB | {:.0} MB | {} |",
            median(|r| r.0),
            median(|r| r.1),
            median(|r| r.2),
            descendants(pid).len()
        );
        let _ = app.kill().await;
        let _ = app.wait().await;
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if std::env::args().nth(1).as_deref() == Some("widgets") {
        return widgets_pss().await;
    }
    let arg = |i: usize, default: usize| {
        std::env::args()
            .nth(i)
            .and_then(|a| a.parse().ok())
            .unwrap_or(default)
    };
    // memory-bench [MINUTES] [WIDGETS] [WRITERS]
    let (minutes, widgets, writers) = (arg(1, 30), arg(2, 1000), arg(3, 50));
    let mut dirs: Vec<_> = [
        "watchlist",
        "price-chart",
        "instrument-details",
        "greeting",
        "clock",
        "tracker",
    ]
    .iter()
    .map(|w| repo_root().join("widgets").join(w))
    .collect();
    dirs.push(test_widget("pulse"));
    let stack = Stack::start_dirs(&dirs).await;
    let http = reqwest::Client::new();

    // The layout: the demo and the pulse, on red.
    let mut doc = serde_json::to_value(tessera_layouts::demo_layout()).unwrap();
    doc["root"]["content"][1]["content"][1]["content"]
        .as_array_mut()
        .unwrap()
        .push(json!({"type": "widget", "id": "pulse", "widget": "tessera.pulse", "title": "Pulse", "state": {}, "channel": "red"}));
    let id = stack.create_layout("Working day", &doc).await;

    // 1,000 widgets, heartbeating on the server's schedule.
    // Ten teams publish them, as in an organisation.
    let mut teams = Vec::new();
    for t in 0..TEAMS {
        let name = format!("team{t}");
        let token = registry_cli(&["publisher", "add", &name, "--database-url", &stack.db]).await;
        teams.push(
            RegistryClient::new(&stack.registry_url)
                .unwrap()
                .with_token(token),
        );
    }
    let mut live = Vec::new();
    for chunk in (0..widgets).collect::<Vec<_>>().chunks(50) {
        let mut set = tokio::task::JoinSet::new();
        for &i in chunk {
            let c = teams[i % TEAMS].clone();
            set.spawn(async move {
                // Rate limited (429): wait as a sidecar does, then again.
                for _ in 0..30 {
                    match c.register(&fake_widget(i)).await {
                        Ok(r) => return (c, r),
                        Err(_) => tokio::time::sleep(Duration::from_secs(1)).await,
                    }
                }
                panic!("widget {i} could not register");
            });
        }
        while let Some(r) = set.join_next().await {
            let (c, r) = r.unwrap();
            live.push((c, r.widget.id, r.instance, r.heartbeat.interval_ms));
        }
    }
    let interval = Duration::from_millis(live.first().map_or(5000, |w| w.3));
    let beats = Minute::default();
    {
        let beats = beats.clone();
        let live = Arc::new(live);
        tokio::spawn(async move {
            loop {
                let round = Instant::now();
                for chunk in live.chunks(50) {
                    let mut set = tokio::task::JoinSet::new();
                    for (c, id, instance, _) in chunk {
                        let (c, beats) = (c.clone(), beats.clone());
                        let (id, instance) = (id.clone(), instance.clone());
                        set.spawn(async move {
                            let t = Instant::now();
                            if c.heartbeat(&id, &instance).await.is_ok() {
                                beats.record(t);
                            }
                        });
                    }
                    while set.join_next().await.is_some() {}
                }
                tokio::time::sleep(interval.saturating_sub(round.elapsed())).await;
            }
        });
    }

    // 50 people saving their own layouts once a second.
    let saves = Minute::default();
    for w in 0..writers {
        let (http, saves, base, token) = (
            http.clone(),
            saves.clone(),
            stack.registry_url.clone(),
            stack.user_token.clone(),
        );
        let doc = serde_json::to_value(tessera_layouts::demo_layout()).unwrap();
        tokio::spawn(async move {
            let made: Value = http
                .post(format!("{base}/v1/layouts"))
                .bearer_auth(&token)
                .json(&json!({"title": format!("Writer {w}"), "document": doc}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let lid = made["id"].as_str().unwrap().to_owned();
            let mut version = 1;
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                let t = Instant::now();
                let saved = http
                    .put(format!("{base}/v1/layouts/{lid}"))
                    .bearer_auth(&token)
                    .json(&json!({"base_version": version, "document": doc, "message": format!("save {version}")}))
                    .send()
                    .await;
                if saved.is_ok_and(|r| r.status().is_success()) {
                    saves.record(t);
                    version += 1;
                }
            }
        });
    }

    // The app, opening the layout.
    let (_xvfb, display) = start_xvfb().await;
    let profile = tempfile::tempdir().unwrap();
    let mut app = open_app(&stack, &display, profile.path(), &id);
    let pid = app.id().expect("the app's pid");

    println!(
        "Memory of the desktop app over {minutes} min: demo layout + a broadcast on red every second + the clock; \
         server: {widgets} heartbeating widgets, {writers} layout writers (1 save/s each).\n"
    );
    println!("| minute | PSS | RSS | PSS of the app process (rest: WebKit) | saves | save p99 | heartbeats | heartbeat p99 |");
    println!("|---|---|---|---|---|---|---|---|");
    tokio::time::sleep(Duration::from_secs(20)).await; // the layout opens
    let _ = (saves.take(), beats.take());
    let mut pss_series = Vec::new();
    for minute in 0..=minutes {
        let (pss, rss, own) = memory(pid);
        let (sp99, sn) = saves.take();
        let (hp99, hn) = beats.take();
        println!(
            "| {minute} | {pss:.0} MB | {rss:.0} MB | {own:.0} MB | {sn} | {sp99:.1} ms | {hn} | {hp99:.1} ms |"
        );
        pss_series.push(pss);
        if minute < minutes {
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
    }
    let half = &pss_series[pss_series.len() / 2..];
    let slope = (half[half.len() - 1] - half[0]) / (half.len() - 1).max(1) as f64;
    let peak = pss_series.iter().cloned().fold(f64::MIN, f64::max);
    println!(
        "\nPSS: start {:.0} MB, end {:.0} MB, peak {peak:.0} MB; second half {slope:+.2} MB/min.",
        pss_series[0],
        pss_series[pss_series.len() - 1]
    );
    let _ = app.kill().await;
}
