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

const BIN: &str = env!("CARGO_BIN_EXE_tessera-server");

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

/// Issue 12: a revoked user token is refused by every replica from the next
/// request on, whether revoked through the API or the CLI, although each
/// replica caches resolved tokens for 30 s.
#[tokio::test]
async fn a_revoked_token_is_refused_by_every_replica_at_once() {
    let db = tessera_testkit::pg::fresh_database().await;
    let cli = |args: &[&str]| {
        let out = std::process::Command::new(BIN)
            .args(args)
            .args(["--database-url", &db])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let first = cli(&["user", "add", "alice"]).trim().to_owned();
    let second = cli(&["user", "new-token", "alice", "--label", "build server"])
        .trim()
        .to_owned();
    let (_a, url_a) = replica(&db, "replica A").await;
    let (b, url_b) = replica(&db, "replica B").await;
    let http = reqwest::Client::new();
    let me = |base: &str, token: &str| {
        http.get(format!("{base}/v1/users/me"))
            .bearer_auth(token)
            .send()
    };
    assert_eq!(me(&url_b, &first).await.unwrap().status(), 200);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !b.stderr().contains("listening for token revocations") {
        assert!(
            tokio::time::Instant::now() < deadline,
            "replica B never listened for revocations:\n{}",
            b.stderr()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Both now answered from B's cache.
    assert_eq!(me(&url_b, &first).await.unwrap().status(), 200);
    assert_eq!(me(&url_b, &second).await.unwrap().status(), 200);

    let listed = cli(&["user", "tokens", "alice"]);
    let id_of = |label: &str| {
        listed
            .lines()
            .find(|l| l.ends_with(label))
            .and_then(|l| l.split_whitespace().next())
            .unwrap_or_else(|| panic!("no token labelled {label:?} in\n{listed}"))
            .to_owned()
    };
    let (first_id, second_id) = (id_of("created with the user"), id_of("build server"));
    assert!(!listed.contains(&first[4..]), "tokens are never listed");

    let refused_by_b = |token: String| {
        let me = &me;
        let url_b = url_b.clone();
        async move {
            let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
            loop {
                let status = me(&url_b, &token).await.unwrap().status();
                if status == 401 {
                    return;
                }
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "replica B still honours a revoked token"
                );
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    };
    // Through replica A's API, by the token itself...
    let gone = http
        .delete(format!("{url_a}/v1/users/me/tokens/{first_id}"))
        .bearer_auth(&first)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 204);
    refused_by_b(first).await;
    // ...and by an operator with the CLI.
    cli(&["user", "revoke", "alice", &second_id]);
    refused_by_b(second).await;
}
