//! Two server processes on one Postgres: a change made through one reaches
//! the other's watchers (LISTEN/NOTIFY), and expiry is reported once.

use std::time::Duration;

use futures_util::StreamExt;
use tessera_registry::api::EventKind;
use tessera_registry::client::{RegistryClient, WatchItem};
use tessera_testkit::proc::Proc;
use tokio::process::Command;

use crate::support::{next_event, registration};

fn parts(item: WatchItem) -> (i64, EventKind, String) {
    match item {
        WatchItem::Event(e) => (e.id, e.kind, e.widget_id),
        WatchItem::Relist => panic!("relist"),
    }
}

const BIN: &str = env!("CARGO_BIN_EXE_tessera-registry");

async fn replica(url: &str, name: &str) -> (Proc, String) {
    let mut cmd = Command::new(BIN);
    cmd.args([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--heartbeat-interval",
        "0.2",
        "--offline-grace",
        "60",
        "--database-url",
        url,
    ]);
    let mut p = Proc::spawn(name, cmd);
    let line = p
        .wait_for_line("listening on", Duration::from_secs(30))
        .await;
    let base = line.rsplit(' ').next().unwrap().to_owned();
    (p, base)
}

#[tokio::test]
async fn replicas_share_changes_through_postgres() {
    let db = tessera_testkit::pg::fresh_database().await;
    // The operator's command creates the publisher and prints its token once.
    let out = std::process::Command::new(BIN)
        .args(["publisher", "add", "acme", "--database-url", &db])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(token.starts_with("tsr_"), "{token}");

    let (_a, url_a) = replica(&db, "replica A").await;
    let (_b, url_b) = replica(&db, "replica B").await;
    let on_a = RegistryClient::new(&url_a).unwrap().with_token(&token);
    let mut watch_b = Box::pin(
        RegistryClient::new(&url_b)
            .unwrap()
            .watch(None)
            .await
            .unwrap(),
    );
    let mut watch_a = Box::pin(
        RegistryClient::new(&url_a)
            .unwrap()
            .watch(None)
            .await
            .unwrap(),
    );

    on_a.register(&registration("acme.clock")).await.unwrap();
    let added_b = parts(next_event(&mut watch_b).await);
    assert_eq!(
        (added_b.1, added_b.2.as_str()),
        (EventKind::Added, "acme.clock"),
        "B hears of A's registration"
    );
    let added_a = parts(next_event(&mut watch_a).await);
    assert_eq!(added_a.0, added_b.0, "both replicas number events alike");

    // No heartbeats: both replicas sweep, exactly one offline event results.
    let offline_b = parts(next_event(&mut watch_b).await);
    let offline_a = parts(next_event(&mut watch_a).await);
    assert_eq!(offline_b.1, EventKind::Offline);
    assert_eq!(offline_a, offline_b);
    let extra = tokio::time::timeout(Duration::from_millis(800), watch_b.next()).await;
    assert!(
        extra.is_err(),
        "no duplicate offline event: {:?}",
        extra.ok()
    );
}
