//! The typed client (the desktop shell's) against the real layouts routes
//! (in this process, on 127.0.0.1, SQLite): what the Layouts, Share and
//! History dialogs ask of it.

use serde_json::json;
use tessera_layouts::api::{Access, ClonedFrom, Grant, ShareAccess, Sharing};
use tessera_layouts::client::{ClientError, LayoutsClient};
use tessera_layouts::LayoutDocument;

struct Server {
    base: reqwest::Url,
    accounts: tessera_accounts::DynAccountStore,
    _dir: tempfile::TempDir,
}

impl Server {
    async fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("layouts.db").display());
        let (accounts, store) = tessera_layouts::store::connect_with_accounts(&url)
            .await
            .unwrap();
        let signed_in = tessera_accounts::Accounts::new(accounts.clone());
        // The client speaks to the accounts' routes too (who am I, tokens).
        let router = tessera_accounts::http::routes(signed_in.clone()).merge(
            tessera_layouts::router(tessera_layouts::LayoutsState::new(store, signed_in)),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/", listener.local_addr().unwrap())
            .parse()
            .unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await });
        Server {
            base,
            accounts,
            _dir: dir,
        }
    }

    async fn user(&self, name: &str) -> LayoutsClient {
        let token = tessera_accounts::add_user(&*self.accounts, name, false)
            .await
            .unwrap();
        LayoutsClient::new(self.base.clone(), reqwest::Client::new(), Some(token))
    }
}

fn document(title: &str, panel_title: &str) -> LayoutDocument {
    serde_json::from_value(json!({"schema": 1, "title": title, "root": {"type": "row", "content": [
        {"type": "stack", "size": "100%", "active": 0, "content": [
            {"type": "widget", "id": "p1", "widget": "tessera.clock", "title": panel_title, "state": {}, "channel": null}
        ]}
    ]}, "floating": [], "popouts": []}))
    .unwrap()
}

fn refusal(e: ClientError) -> (u16, String) {
    match e {
        ClientError::Refused { status, body } => (status, body.code),
        other => panic!("expected a refusal, got {other}"),
    }
}

#[tokio::test]
async fn a_colleague_shares_a_layout_which_is_cloned_tweaked_and_followed() {
    let server = Server::start().await;
    let (alice, bob) = (server.user("alice").await, server.user("bob").await);

    let created = alice
        .create("Rates desk", &document("Rates desk", "Clock"))
        .await
        .unwrap();
    let id = created.summary.id.clone();
    assert_eq!(
        refusal(bob.get(&id).await.unwrap_err()).0,
        404,
        "private until shared"
    );

    alice
        .set_sharing(
            &id,
            &Sharing {
                organisation: false,
                users: vec![Grant {
                    name: "bob".into(),
                    access: ShareAccess::View,
                }],
                groups: vec![],
            },
        )
        .await
        .unwrap();
    let shared = bob.list("shared", "").await.unwrap();
    let titles: Vec<&str> = shared.layouts.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(titles, ["Rates desk"]);
    assert_eq!(bob.list("all", "rates").await.unwrap().layouts.len(), 1);
    assert_eq!(bob.list("all", "equities").await.unwrap().layouts.len(), 0);
    assert_eq!(bob.sharing(&id).await.unwrap().users[0].name, "bob");

    // A viewer may not save or share; they clone instead.
    let refused = bob
        .save(&id, 1, &document("Rates desk", "Mine now"), None)
        .await
        .unwrap_err();
    assert_eq!(refusal(refused), (403, "forbidden".to_owned()));
    let copy = bob.clone_layout(&id, Some("My rates desk")).await.unwrap();
    let copy_id = copy.summary.id.clone();
    let loaded = bob.get(&copy_id).await.unwrap();
    assert_eq!(loaded.summary.title, "My rates desk");
    assert_eq!(
        loaded.summary.cloned_from,
        Some(ClonedFrom {
            layout: id.clone(),
            version: 1
        })
    );
    assert!(!loaded.source_has_newer_versions);
    assert_eq!(loaded.summary.access, Access::Owner);

    // The source moves on: the clone says so.
    alice
        .save(
            &id,
            1,
            &document("Rates desk", "Desk clock"),
            Some("retitled the clock"),
        )
        .await
        .unwrap();
    assert!(bob.get(&copy_id).await.unwrap().source_has_newer_versions);

    // History: versions newest first, a diff naming the retitled panel, a restore.
    let versions = alice.versions(&id).await.unwrap();
    let listed: Vec<(i64, Option<&str>)> = versions
        .versions
        .iter()
        .map(|v| (v.version, v.message.as_deref()))
        .collect();
    assert_eq!(
        listed,
        [(2, Some("retitled the clock")), (1, Some("created"))]
    );
    let diff = alice.diff(&id, 1, 2).await.unwrap();
    assert_eq!(
        serde_json::to_value(&diff).unwrap()["retitled"][0],
        json!({"id": "p1", "from": "Clock", "to": "Desk clock"})
    );
    let stale = alice.restore_version(&id, 1, 1).await.unwrap_err();
    assert_eq!(refusal(stale), (409, "stale_version".to_owned()));
    let restored = alice.restore_version(&id, 1, 2).await.unwrap();
    assert_eq!(restored.version, 3);
    let now = alice.get(&id).await.unwrap();
    assert_eq!(
        serde_json::to_value(&now.document).unwrap()["root"]["content"][0]["content"][0]["title"],
        "Clock"
    );

    let renamed = alice.rename(&id, 3, "Rates desk (EU)").await.unwrap();
    assert_eq!(renamed.version, 4);
    assert_eq!(bob.me().await.unwrap().name, "bob");
    let users = bob.users().await.unwrap().users;
    let names: Vec<&str> = users.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["alice", "bob"]);

    // The bin: gone for everyone (410 for its owner), then back.
    alice.delete(&id).await.unwrap();
    assert_eq!(refusal(alice.get(&id).await.unwrap_err()).0, 410);
    assert_eq!(refusal(bob.get(&id).await.unwrap_err()).0, 404);
    let binned = alice.list("deleted", "").await.unwrap();
    assert_eq!(binned.layouts[0].id, id);
    alice.undelete(&id).await.unwrap();
    assert_eq!(bob.get(&id).await.unwrap().summary.version, 4);
}

#[tokio::test]
async fn ids_are_one_path_segment_whatever_they_contain() {
    let server = Server::start().await;
    let alice = server.user("alice").await;
    // Unencoded, "../users" would reach /v1/users (alice may list users).
    let (status, code) = refusal(alice.get("../users").await.unwrap_err());
    assert_eq!(status / 100, 4, "{code}");
    assert!(
        alice.users().await.is_ok(),
        "the users route itself answers"
    );
}

/// A server that answers every request with `status` and a body of `size`
/// bytes of `{`, streamed without a stated length.
async fn flooding_server(status: u16, size: usize) -> reqwest::Url {
    use axum::body::Body;
    use axum::http::StatusCode;
    let app = axum::Router::new().fallback(move || async move {
        let chunks = (0..size / 65_536 + 1).map(|_| Ok::<_, std::io::Error>(vec![b'{'; 65_536]));
        (
            StatusCode::from_u16(status).unwrap(),
            Body::from_stream(futures_util::stream::iter(chunks)),
        )
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/", listener.local_addr().unwrap())
        .parse()
        .unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

#[tokio::test]
async fn a_flood_from_the_server_is_refused_not_read_whole() {
    // An error body far past the envelope's size: the refusal says the status.
    let base = flooding_server(500, 8 * 1024 * 1024).await;
    let c = LayoutsClient::new(base, reqwest::Client::new(), Some("tsu_x".into()));
    match c.get("l1").await.unwrap_err() {
        ClientError::Refused { status, body } => {
            assert_eq!(status, 500);
            assert!(body.message.contains("HTTP 500"), "{}", body.message);
        }
        other => panic!("expected a refusal, got {other}"),
    }
    // An answer past the client's bound: refused by size, not parsed.
    let base = flooding_server(200, tessera_layouts::client::MAX_ANSWER_BYTES + 1).await;
    let c = LayoutsClient::new(base, reqwest::Client::new(), Some("tsu_x".into()));
    match c.get("l1").await.unwrap_err() {
        ClientError::Decode { message, .. } => {
            assert!(message.contains("larger than"), "{message}")
        }
        other => panic!("expected a size refusal, got {other}"),
    }
}
