//! The server mounts the layouts crate's routes beside its own, on the same
//! database: a user saves a layout, a stranger cannot see it, and the
//! registry's own routes and errors are unchanged.

use serde_json::{json, Value};

use crate::support::{fast_config, layouts_beside, registration, sqlite_store, TestServer};

#[tokio::test]
async fn layouts_are_served_beside_the_registry() {
    let t = sqlite_store().await;
    let layouts = layouts_beside(&t).await;
    let alice = layouts.user("alice").await;
    let bob = layouts.user("bob").await;
    let server = TestServer::start_with(t, fast_config(), |s| {
        tessera_server::ServerState::from(s).with_layouts(layouts.layouts)
    })
    .await;
    let http = reqwest::Client::new();

    let doc = serde_json::to_value(tessera_layouts::demo_layout()).unwrap();
    let created: Value = http
        .post(format!("{}/v1/layouts", server.url))
        .bearer_auth(&alice)
        .json(&json!({"title": "Desk", "document": doc}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_owned();
    let mine = http
        .get(format!("{}/v1/layouts/{id}", server.url))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    assert_eq!(mine.status().as_u16(), 200);
    let theirs = http
        .get(format!("{}/v1/layouts/{id}", server.url))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_eq!(
        theirs.status().as_u16(),
        404,
        "a private layout is invisible to others"
    );

    // The registry is untouched by the merge.
    let client = server.publisher_client("acme").await;
    client.register(&registration("acme.clock")).await.unwrap();
    assert_eq!(client.list().await.unwrap().widgets.len(), 1);
    let missing = http
        .get(format!("{}/nope", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["code"], "not_found");
    // Requests to layout routes are counted like the registry's.
    let metrics = http
        .get(format!("{}/metrics", server.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains(r#"route="/v1/layouts""#), "{metrics}");
}
