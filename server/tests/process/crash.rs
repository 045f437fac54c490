//! kill -9 of the server process while people save, on Postgres: every
//! save the server acknowledged is in the history afterwards, with what was
//! sent (issue 14's suite).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use tessera_testkit::proc::Proc;
use tokio::process::Command;

const SAVERS: usize = 4;
const KILLS: usize = 3;

fn document(marker: &str) -> Value {
    json!({"schema": 1, "title": "Crash", "floating": [], "popouts": [],
        "root": {"type": "row", "content": [{"type": "stack", "active": 0, "content": [
            {"type": "widget", "id": "p1", "widget": "acme.w", "title": "W",
             "state": {"marker": marker}, "channel": null}]}]}})
}

async fn get_json(http: &reqwest::Client, url: &str, token: &str) -> Value {
    http.get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn serve(db: &str, port: u16) -> Proc {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tessera-server"));
    cmd.args([
        "serve",
        "--listen",
        &format!("127.0.0.1:{port}"),
        "--database-url",
        db,
        "--rate-limit",
        "0",
    ]);
    let mut p = Proc::spawn("tessera-server", cmd);
    p.wait_for_line("listening on", Duration::from_secs(30))
        .await;
    p
}

/// One person saving in a loop: on an acknowledgement the version is
/// recorded with its marker; on 409 they take the current version and go
/// on; while the server is down they retry.
async fn saver(
    http: reqwest::Client,
    url: String,
    token: String,
    who: usize,
    acked: Arc<Mutex<BTreeMap<i64, String>>>,
    stop: tokio::sync::watch::Receiver<bool>,
) -> usize {
    let mut base = 1;
    let mut n = 0;
    while !*stop.borrow() {
        n += 1;
        let marker = format!("saver{who}-{n}");
        let resp = http
            .put(&url)
            .bearer_auth(&token)
            .json(&json!({"base_version": base, "document": document(&marker), "message": marker}))
            .send()
            .await;
        let Ok(resp) = resp else {
            tokio::time::sleep(Duration::from_millis(30)).await;
            continue;
        };
        let status = resp.status().as_u16();
        let Ok(body) = resp.json::<Value>().await else {
            continue;
        };
        match status {
            200 => {
                let v = body["version"].as_i64().expect("a saved version");
                let before = acked.lock().unwrap().insert(v, marker.clone());
                assert!(before.is_none(), "version {v} acknowledged twice");
                base = v;
            }
            409 => {
                base = body["current_version"]
                    .as_i64()
                    .expect("409 names the current version")
            }
            other => panic!("saver {who}: unexpected {other}: {body}"),
        }
    }
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_saves_survive_kill_9_on_postgres() {
    let db = tessera_testkit::pg::fresh_database().await;
    let out = Command::new(env!("CARGO_BIN_EXE_tessera-server"))
        .args(["user", "add", "ann", "--database-url", &db])
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .find(|w| w.starts_with("tsu_"))
        .expect("the user's token is printed")
        .to_owned();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = serve(&db, port).await;
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let created: Value = http
        .post(format!("{base}/v1/layouts"))
        .bearer_auth(&token)
        .json(&json!({"document": document("start")}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().expect("created").to_owned();
    let url = format!("{base}/v1/layouts/{id}");

    let acked = Arc::new(Mutex::new(BTreeMap::new()));
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let savers: Vec<_> = (0..SAVERS)
        .map(|who| {
            tokio::spawn(saver(
                http.clone(),
                url.clone(),
                token.clone(),
                who,
                acked.clone(),
                stop.clone(),
            ))
        })
        .collect();
    for kill in 0..KILLS {
        // Let saves pile up, then kill the server mid-stream and restart it.
        let target = (kill + 1) * 60;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        while acked.lock().unwrap().len() < target {
            assert!(
                tokio::time::Instant::now() < deadline,
                "saves stalled at {}",
                acked.lock().unwrap().len()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        server.signal("KILL").await;
        let _ = server.wait(Duration::from_secs(10)).await;
        server = serve(&db, port).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop_tx.send(true).unwrap();
    for s in savers {
        s.await.unwrap();
    }

    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= KILLS * 60,
        "{} saves acknowledged",
        acked.len()
    );
    for (v, marker) in &acked {
        let got = get_json(&http, &format!("{url}/versions/{v}"), &token).await;
        let stored = &got["document"]["root"]["content"][0]["content"][0]["state"]["marker"];
        assert_eq!(stored, marker, "version {v} after {KILLS} kills: {got}");
    }
    // The history has no gaps: every version from 1 to the last is there.
    let mut numbers: Vec<i64> = Vec::new();
    let mut page = format!("{url}/versions?limit=500");
    loop {
        let versions = get_json(&http, &page, &token).await;
        let got: Vec<i64> = versions["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["version"].as_i64().unwrap())
            .collect();
        let Some(&oldest) = got.last() else { break };
        numbers.extend(&got);
        page = format!("{url}/versions?limit=500&before={oldest}");
    }
    numbers.sort();
    let last = *numbers.last().unwrap();
    assert_eq!(
        numbers,
        (1..=last).collect::<Vec<_>>(),
        "consecutive versions"
    );
    drop(server);
}
