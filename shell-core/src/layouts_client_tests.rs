//! The shell's layouts client against the real layouts routes (in this
//! process, on 127.0.0.1, SQLite): what the Layouts, Share and History
//! dialogs ask of it.

use serde_json::{json, Value};

use super::layouts::{LayoutsClient, LayoutsError};

struct Server {
    base: url::Url,
    store: tessera_layouts::DynLayoutStore,
    _dir: tempfile::TempDir,
}

impl Server {
    async fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("layouts.db").display());
        let store = tessera_layouts::connect(&url).await.unwrap();
        let router = tessera_layouts::router(tessera_layouts::LayoutsState::new(store.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/", listener.local_addr().unwrap())
            .parse()
            .unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await });
        Server {
            base,
            store,
            _dir: dir,
        }
    }

    async fn user(&self, name: &str) -> LayoutsClient {
        let token = tessera_layouts::add_user(&*self.store, name, false)
            .await
            .unwrap();
        LayoutsClient::new(self.base.clone(), reqwest::Client::new(), Some(token))
    }
}

fn document(title: &str, panel_title: &str) -> Value {
    json!({"schema": 1, "title": title, "root": {"type": "row", "content": [
        {"type": "stack", "size": "100%", "active": 0, "content": [
            {"type": "widget", "id": "p1", "widget": "tessera.clock", "title": panel_title, "state": {}, "channel": null}
        ]}
    ]}, "floating": [], "popouts": []})
}

fn refusal(e: LayoutsError) -> (u16, String) {
    match e {
        LayoutsError::Refused { status, code, .. } => (status, code),
        other => panic!("expected a refusal, got {other}"),
    }
}

#[tokio::test]
async fn a_colleague_shares_a_layout_which_is_cloned_tweaked_and_followed() {
    let server = Server::start().await;
    let (alice, bob) = (server.user("alice").await, server.user("bob").await);

    let created = alice
        .create("Rates desk", document("Rates desk", "Clock"))
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(
        refusal(bob.get(&id).await.unwrap_err()).0,
        404,
        "private until shared"
    );

    alice
        .set_sharing(&id, json!({"organisation": false, "users": [{"name": "bob", "access": "view"}], "groups": []}))
        .await
        .unwrap();
    let shared = bob.list("shared", "").await.unwrap();
    let titles: Vec<&str> = shared["layouts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Rates desk"]);
    assert_eq!(
        bob.list("all", "rates").await.unwrap()["layouts"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        bob.list("all", "equities").await.unwrap()["layouts"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(bob.sharing(&id).await.unwrap()["users"][0]["name"], "bob");

    // A viewer may not save or share; they clone instead.
    let refused = bob
        .save(&id, 1, document("Rates desk", "Mine now"), None)
        .await
        .unwrap_err();
    assert_eq!(refusal(refused), (403, "forbidden".to_owned()));
    let copy = bob.clone_layout(&id, Some("My rates desk")).await.unwrap();
    let copy_id = copy["id"].as_str().unwrap().to_owned();
    let loaded = bob.get(&copy_id).await.unwrap();
    assert_eq!(loaded["title"], "My rates desk");
    assert_eq!(loaded["cloned_from"], json!({"layout": id, "version": 1}));
    assert_eq!(loaded["source_has_newer_versions"], false);
    assert_eq!(loaded["access"], "owner");

    // The source moves on: the clone says so.
    alice
        .save(
            &id,
            1,
            document("Rates desk", "Desk clock"),
            Some("retitled the clock"),
        )
        .await
        .unwrap();
    assert_eq!(
        bob.get(&copy_id).await.unwrap()["source_has_newer_versions"],
        true
    );

    // History: versions newest first, a diff naming the retitled panel, a restore.
    let versions = alice.versions(&id).await.unwrap();
    let listed: Vec<(i64, Option<&str>)> = versions["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["version"].as_i64().unwrap(), v["message"].as_str()))
        .collect();
    assert_eq!(
        listed,
        [(2, Some("retitled the clock")), (1, Some("created"))]
    );
    let diff = alice.diff(&id, 1, 2).await.unwrap();
    assert_eq!(
        diff["retitled"][0],
        json!({"id": "p1", "from": "Clock", "to": "Desk clock"})
    );
    let stale = alice.restore_version(&id, 1, 1).await.unwrap_err();
    assert_eq!(refusal(stale), (409, "stale_version".to_owned()));
    let restored = alice.restore_version(&id, 1, 2).await.unwrap();
    assert_eq!(restored["version"], 3);
    let now = alice.get(&id).await.unwrap();
    assert_eq!(
        now["document"]["root"]["content"][0]["content"][0]["title"],
        "Clock"
    );

    let renamed = alice.rename(&id, 3, "Rates desk (EU)").await.unwrap();
    assert_eq!(renamed["version"], 4);
    let directory = bob.directory().await.unwrap();
    assert_eq!(directory["me"]["name"], "bob");
    let names: Vec<&str> = directory["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alice", "bob"]);

    // The bin: gone for everyone (410 for its owner), then back.
    alice.delete(&id).await.unwrap();
    assert_eq!(refusal(alice.get(&id).await.unwrap_err()).0, 410);
    assert_eq!(refusal(bob.get(&id).await.unwrap_err()).0, 404);
    let binned = alice.list("deleted", "").await.unwrap();
    assert_eq!(binned["layouts"][0]["id"], id.as_str());
    alice.undelete(&id).await.unwrap();
    assert_eq!(bob.get(&id).await.unwrap()["version"], 4);
}

#[tokio::test]
async fn ids_are_one_path_segment_whatever_they_contain() {
    let server = Server::start().await;
    let alice = server.user("alice").await;
    // Unencoded, "../users" would reach /v1/users (alice may list users).
    let (status, code) = refusal(alice.get("../users").await.unwrap_err());
    assert_eq!(status / 100, 4, "{code}");
    assert!(
        alice.directory().await.is_ok(),
        "the users route itself answers"
    );
}
