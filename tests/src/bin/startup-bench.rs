//! `startup-bench`: how long the desktop app takes from its start to its
//! first screen (run a release build: `scripts/bench.sh startup`). Ten
//! starts each, every one a new process with a new profile (no WebKit cache,
//! no kept settings), under one Xvfb display, timed from the spawn to the
//! app's log line for each mark (`startup_mark`, logged after the screen is
//! painted):
//! - to the sign-in screen, with no token;
//! - to the first widget's frame loaded, and to all six panels' frames
//!   loaded, opening the demo layout (`tessera open ID`) as a signed-in
//!   user;
//! - to all fifty panels' frames loaded, opening a layout of five columns
//!   of two tab groups of five panels each (every tab's frame is kept
//!   alive, hidden or not, so all fifty load).

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tessera_e2e::desktop::start_xvfb;
use tessera_e2e::Stack;
use tessera_testkit::proc::bin;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

const STARTS: usize = 10;

/// Starts the app and returns the milliseconds from the spawn to each of `marks`.
async fn start(display: &str, env: &[(&str, &str)], args: &[&str], marks: &[&str]) -> Vec<f64> {
    let profile = tempfile::tempdir().unwrap();
    let began = Instant::now();
    let mut child = Command::new(bin("tessera"))
        .args(args)
        .env("DISPLAY", display)
        .env("NO_COLOR", "1")
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("XDG_CONFIG_HOME", profile.path().join("config"))
        .env("XDG_DATA_HOME", profile.path().join("data"))
        .env("XDG_CACHE_HOME", profile.path().join("cache"))
        .env_remove("TESSERA_USER_TOKEN")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the app starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut at = vec![f64::NAN; marks.len()];
    let waited = tokio::time::timeout(Duration::from_secs(60), async {
        while let Ok(Some(line)) = lines.next_line().await {
            if !line.contains("startup mark") {
                continue;
            }
            for (i, m) in marks.iter().enumerate() {
                if line.contains(&format!("mark={m}")) && at[i].is_nan() {
                    at[i] = began.elapsed().as_secs_f64() * 1000.0;
                }
            }
            if at.iter().all(|t| !t.is_nan()) {
                return;
            }
        }
    })
    .await;
    assert!(waited.is_ok(), "the app did not show {marks:?} within 60 s");
    let _ = child.kill().await;
    let _ = child.wait().await;
    at
}

/// Five columns, each of two tab groups of five panels: the demo's widgets in turn.
fn fifty_panels() -> Value {
    const WIDGETS: [(&str, &str); 5] = [
        ("tessera.greeting", "Greeting"),
        ("tessera.clock", "Clock"),
        ("tessera.watchlist", "Watchlist"),
        ("tessera.price-chart", "Price chart"),
        ("tessera.instrument-details", "Instrument details"),
    ];
    let mut n = 0;
    let mut panel = || {
        let (widget, title) = WIDGETS[n % WIDGETS.len()];
        n += 1;
        json!({"type": "widget", "id": format!("p{n}"), "widget": widget,
               "title": format!("{title} {n}"), "state": {}, "channel": null})
    };
    let columns: Vec<Value> = (0..5)
        .map(|_| {
            let stacks: Vec<Value> = (0..2)
                .map(|_| {
                    let tabs: Vec<Value> = (0..5).map(|_| panel()).collect();
                    json!({"type": "stack", "active": 0, "content": tabs})
                })
                .collect();
            json!({"type": "column", "content": stacks})
        })
        .collect();
    json!({"schema": 1, "title": "Fifty panels", "floating": [], "popouts": [],
           "root": {"type": "row", "content": columns}})
}

fn median(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let stack = Stack::demo().await;
    // The demo layout: six panels.
    let doc = serde_json::to_value(tessera_layouts::demo_layout()).unwrap();
    let id = stack.create_layout("Six panels", &doc).await;
    let fifty = stack.create_layout("Fifty panels", &fifty_panels()).await;

    let (_xvfb, display) = start_xvfb().await;

    // One start first, unmeasured, so every measured start finds the
    // binaries and libraries in the page cache alike.
    start(
        &display,
        &[("TESSERA_REGISTRY_URL", &stack.registry_url)],
        &[],
        &["sign-in"],
    )
    .await;
    let mut sign_in = Vec::new();
    let mut first = Vec::new();
    let mut layout = Vec::new();
    let mut large = Vec::new();
    for _ in 0..STARTS {
        let t = start(
            &display,
            &[("TESSERA_REGISTRY_URL", &stack.registry_url)],
            &[],
            &["sign-in"],
        )
        .await;
        sign_in.push(t[0]);
        let t = start(
            &display,
            &[
                ("TESSERA_REGISTRY_URL", &stack.registry_url),
                ("TESSERA_USER_TOKEN", &stack.user_token),
            ],
            &["open", &id],
            &["first-widget", "layout"],
        )
        .await;
        first.push(t[0]);
        layout.push(t[1]);
        let t = start(
            &display,
            &[
                ("TESSERA_REGISTRY_URL", &stack.registry_url),
                ("TESSERA_USER_TOKEN", &stack.user_token),
            ],
            &["open", &fifty],
            &["layout"],
        )
        .await;
        large.push(t[0]);
    }
    println!("Start-up of the desktop app: {STARTS} starts each, new process and profile each time, one Xvfb display.\n");
    println!("| to | median | min | max |");
    println!("|---|---|---|---|");
    for (what, v) in [
        ("sign-in screen painted (no token)", sign_in),
        ("first widget's frame loaded (6-panel demo layout)", first),
        ("all 6 panels' frames loaded", layout),
        ("all 50 panels' frames loaded (50-panel layout)", large),
    ] {
        let (m, lo, hi) = median(v);
        println!("| {what} | {m:.0} ms | {lo:.0} ms | {hi:.0} ms |");
    }
}
