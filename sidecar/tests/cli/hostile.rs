//! The sidecar against a registry that misbehaves: a fake registry on a
//! loopback socket that answers too much, hangs, or is slow to deregister
//! (issue 14, items 6 and 9).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::routing::{delete, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use tessera_testkit::proc::Proc;
use tokio::process::Command;
use tokio::sync::Notify;

use crate::{sidecar, widget_folder};

const WAIT: Duration = Duration::from_secs(20);

/// What the fake registry does, and what it saw.
#[derive(Default)]
struct Fake {
    registrations: AtomicUsize,
    deregistered: AtomicUsize,
    seen_register: Notify,
    /// Answer registrations with this many bytes of nonsense.
    huge_answer: Option<usize>,
    /// Never answer registrations.
    hang: bool,
    /// Answer DELETE after this long.
    slow_delete: Duration,
}

/// The answer a real registry would give to `reg`.
fn registered(reg: Value) -> Value {
    let mut w = reg;
    let now = "2026-11-30T00:00:00Z";
    let id = w["id"].as_str().unwrap().to_owned();
    w["publisher"] = json!(id.split('.').next().unwrap());
    w["revision"] = json!(1);
    w["instance"] = json!("i_fake");
    w["state"] = json!("online");
    w["registered_at"] = json!(now);
    w["updated_at"] = json!(now);
    w["last_seen"] = json!(now);
    json!({"widget": w, "instance": "i_fake", "heartbeat": {"interval_ms": 200, "ttl_ms": 600}})
}

async fn register(State(f): State<Arc<Fake>>, Json(reg): Json<Value>) -> axum::response::Response {
    use axum::response::IntoResponse;
    f.registrations.fetch_add(1, Ordering::SeqCst);
    f.seen_register.notify_waiters();
    if f.hang {
        std::future::pending::<()>().await;
    }
    if let Some(n) = f.huge_answer {
        // Streamed without a length, so only reading it tells its size.
        let chunk = bytes_of(1024 * 1024);
        let stream = futures_util::stream::iter(
            (0..n / chunk.len()).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
        );
        return Body::from_stream(stream).into_response();
    }
    (axum::http::StatusCode::CREATED, Json(registered(reg))).into_response()
}

fn bytes_of(n: usize) -> axum::body::Bytes {
    axum::body::Bytes::from(vec![b' '; n])
}

async fn heartbeat() -> Json<Value> {
    Json(json!({"interval_ms": 200, "ttl_ms": 600}))
}

async fn deregister(State(f): State<Arc<Fake>>) -> axum::http::StatusCode {
    tokio::time::sleep(f.slow_delete).await;
    f.deregistered.fetch_add(1, Ordering::SeqCst);
    axum::http::StatusCode::NO_CONTENT
}

async fn start(fake: Fake) -> (Arc<Fake>, String) {
    let fake = Arc::new(fake);
    let app = Router::new()
        .route("/v1/widgets", post(register))
        .route("/v1/widgets/{id}/heartbeat", post(heartbeat))
        .route("/v1/widgets/{id}", delete(deregister))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (fake, url)
}

fn run_against(url: &str, dir: &std::path::Path) -> Proc {
    let mut cmd = Command::new(sidecar());
    cmd.arg("run")
        .arg(dir)
        .args(["--registry", url, "--token", "tsr_fake"]);
    Proc::spawn("tessera-sidecar", cmd)
}

/// The peak resident memory of a process, from /proc (kB).
fn peak_rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_14_6_a_huge_answer_is_refused_without_filling_memory() {
    let (fake, url) = start(Fake {
        huge_answer: Some(64 * 1024 * 1024),
        ..Fake::default()
    })
    .await;
    let dir = widget_folder();
    let mut side = run_against(&url, dir.path());
    // Two attempts, each answered with 64 MiB.
    let deadline = tokio::time::Instant::now() + WAIT;
    while fake.registrations.load(Ordering::SeqCst) < 2 {
        assert!(tokio::time::Instant::now() < deadline, "{}", side.stderr());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let peak = peak_rss_kb(side.child.id().unwrap());
    assert!(
        peak < 64 * 1024,
        "the sidecar's peak RSS was {peak} kB after two 64 MiB answers"
    );
    assert!(side.stderr().contains("larger than"), "{}", side.stderr());
    side.signal("TERM").await;
    assert_eq!(side.wait(WAIT).await.code(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_14_6_sigterm_during_a_hanging_first_registration_exits_0() {
    let (fake, url) = start(Fake {
        hang: true,
        ..Fake::default()
    })
    .await;
    let dir = widget_folder();
    let seen = fake.seen_register.notified();
    let mut side = run_against(&url, dir.path());
    tokio::time::timeout(WAIT, seen)
        .await
        .expect("the sidecar tries to register");
    side.signal("TERM").await;
    let status = side.wait(WAIT).await;
    assert_eq!(
        status.code(),
        Some(0),
        "exits 0, not killed by the signal: {status:?}; {}",
        side.stderr()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_14_9_a_slow_registry_still_gets_the_deregistration() {
    let (fake, url) = start(Fake {
        slow_delete: Duration::from_millis(1500),
        ..Fake::default()
    })
    .await;
    let dir = widget_folder();
    let mut side = run_against(&url, dir.path());
    side.wait_for_line("registered", WAIT).await;
    side.signal("TERM").await;
    assert_eq!(side.wait(WAIT).await.code(), Some(0), "{}", side.stderr());
    assert_eq!(
        fake.deregistered.load(Ordering::SeqCst),
        1,
        "the DELETE was waited for: {}",
        side.stderr()
    );
}
