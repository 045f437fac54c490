//! The server's name is `tessera-server`; `tessera-registry`, its former
//! name, keeps working for a while and says its own name.

use std::time::Duration;

use tessera_testkit::proc::Proc;
use tokio::process::Command;

async fn serves_as(program: &str, path: &str) {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("server.db").display());
    let mut cmd = Command::new(path);
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--database-url", &db]);
    let mut p = Proc::spawn(program, cmd);
    let line = p
        .wait_for_line("listening on", Duration::from_secs(30))
        .await;
    assert!(
        line.starts_with(&format!("{program} listening on http://127.0.0.1:")),
        "{line}"
    );
    let base = line.rsplit(' ').next().unwrap();
    // Both parts answer on the one listener: the registry's and the layouts'.
    let http = reqwest::Client::new();
    let widgets = http.get(format!("{base}/v1/widgets")).send().await.unwrap();
    assert_eq!(widgets.status(), 200);
    let layouts = http.get(format!("{base}/v1/layouts")).send().await.unwrap();
    assert_eq!(layouts.status(), 401, "the layouts routes want a user");

    let refused = std::process::Command::new(path)
        .args(["serve", "--heartbeat-interval", "0"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr).trim(),
        format!("{program}: --heartbeat-interval: 0 is not a positive number of seconds")
    );
}

#[tokio::test]
async fn tessera_server_serves_every_part() {
    serves_as("tessera-server", env!("CARGO_BIN_EXE_tessera-server")).await;
}

#[tokio::test]
async fn the_former_name_tessera_registry_still_serves() {
    serves_as("tessera-registry", env!("CARGO_BIN_EXE_tessera-registry")).await;
}
