//! `tessera-sidecar run` against a real registry over loopback.

use std::time::Duration;

use tessera_registry::client::RegistryClient;
use tessera_registry::http::AppState;
use tessera_testkit::proc::Proc;
use tokio::process::Command;

use crate::{sidecar, widget_folder};

async fn registry() -> (String, tempfile::TempDir) {
    let db = tempfile::tempdir().unwrap();
    let store =
        tessera_registry::store::connect(&format!("sqlite://{}", db.path().join("r.db").display()))
            .await
            .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(tessera_registry::server::serve(
        listener,
        AppState { store },
        std::future::pending(),
    ));
    (url, db)
}

#[tokio::test]
async fn registers_serves_and_deregisters_on_sigterm() {
    let (url, _db) = registry().await;
    let dir = widget_folder();
    let mut cmd = Command::new(sidecar());
    cmd.arg("run").arg(dir.path()).args(["--registry", &url]);
    let mut proc = Proc::spawn("tessera-sidecar", cmd);
    proc.wait_for_line("registered", Duration::from_secs(20))
        .await;

    let client = RegistryClient::new(&url).unwrap();
    let w = client.get("acme.card").await.unwrap();
    assert_eq!(w.version, "0.3.1");
    assert_eq!(
        w.files.len(),
        3,
        "widget.toml, card.js and icon.svg: {:?}",
        w.files
    );

    // The registered base URL serves the files the manifest names.
    let body = reqwest::get(format!("{}card.js", w.base_url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("acme-card"));
    let health = reqwest::get(format!("{}healthz", w.base_url))
        .await
        .unwrap();
    assert!(health.status().is_success());

    proc.signal("TERM").await;
    let status = proc.wait(Duration::from_secs(5)).await;
    assert!(status.success(), "exit 0 on SIGTERM, got {status}");
    let gone = client.get("acme.card").await.unwrap_err();
    assert_eq!(
        gone.status().map(|s| s.as_u16()),
        Some(404),
        "deregistered on the way out"
    );
}

#[tokio::test]
async fn hidden_files_are_not_served() {
    let (url, _db) = registry().await;
    let dir = widget_folder();
    crate::write(dir.path(), ".env", "TOKEN=secret");
    let mut cmd = Command::new(sidecar());
    cmd.arg("run").arg(dir.path()).args(["--registry", &url]);
    let mut proc = Proc::spawn("tessera-sidecar", cmd);
    proc.wait_for_line("registered", Duration::from_secs(20))
        .await;
    let w = RegistryClient::new(&url)
        .unwrap()
        .get("acme.card")
        .await
        .unwrap();
    assert!(!w.files.contains_key(".env"));
    let resp = reqwest::get(format!("{}.env", w.base_url)).await.unwrap();
    assert_eq!(resp.status().as_u16(), 404);
}
