//! Live follow over a real loopback socket: a viewer's stream shows each new
//! version, and ends when the layout is deleted or access is withdrawn; on
//! Postgres it works across replicas through LISTEN/NOTIFY, on SQLite by polling.

use std::time::Duration;

use serde_json::json;
use tessera_layouts::Settings;

use crate::support::{doc, on_both_engines, serve, App, SseReader, TestStore};

on_both_engines!(a_viewer_follows_saves_until_access_ends);

async fn a_viewer_follows_saves_until_access_ends(t: TestStore) {
    let app = App::new(t);
    let owner = app.user("owner", false).await;
    let viewer = app.user("viewer", false).await;
    let id = app.create(&owner, doc("Desk", "v1")).await;
    app.share(
        &owner,
        &id,
        json!({"users": [{"name": "viewer", "access": "view"}]}),
    )
    .await;
    let server = serve(app.router.clone()).await;

    let mut events =
        SseReader::open(&format!("{}/v1/layouts/{id}/watch", server.url), &viewer).await;
    let first = events
        .next()
        .await
        .expect("the current version comes first");
    assert_eq!(first.event, "version");
    assert_eq!(first.data["version"], 1);

    // The first event proves the stream is subscribed: saves from now on are seen.
    app.call(
        "PUT",
        &format!("/v1/layouts/{id}"),
        Some(&owner),
        Some(json!({"base_version": 1, "document": doc("Desk", "v2"), "message": "added news"})),
    )
    .await
    .expect(200, "owner saves");
    let next = events.next().await.expect("a save reaches the follower");
    assert_eq!(next.event, "version");
    assert_eq!(next.data["version"], 2);
    assert_eq!(next.data["author"], "owner");
    assert_eq!(next.data["message"], "added news");

    app.share(&owner, &id, json!({})).await;
    let gone = events.next().await.expect("losing access is announced");
    assert_eq!(gone.event, "gone");
    assert_eq!(gone.data["reason"], "no_access");
    assert!(events.next().await.is_none(), "and the stream ends");

    // Deleting ends the owner's own stream too.
    let mut own = SseReader::open(&format!("{}/v1/layouts/{id}/watch", server.url), &owner).await;
    assert_eq!(own.next().await.unwrap().data["version"], 2);
    app.call("DELETE", &format!("/v1/layouts/{id}"), Some(&owner), None)
        .await
        .expect(204, "delete");
    let gone = own.next().await.expect("deletion is announced");
    assert_eq!(
        (gone.event.as_str(), gone.data["reason"].as_str()),
        ("gone", Some("deleted"))
    );
}

/// A replica that never polls: only Postgres NOTIFY can tell it about another replica's save.
fn no_polling() -> Settings {
    Settings {
        watch_poll_interval: Duration::from_secs(3600),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_replicas_tell_each_others_watchers() {
    let url = tessera_testkit::pg::fresh_database().await;
    let a = App::with_settings(
        crate::support::TestStore::open(&url, None).await,
        no_polling(),
    );
    let b = App::new(crate::support::TestStore::open(&url, None).await);
    let owner = a.user("owner", false).await;
    let id = a.create(&owner, doc("Desk", "v1")).await;
    let replica_a = serve(a.router.clone()).await;

    let mut events =
        SseReader::open(&format!("{}/v1/layouts/{id}/watch", replica_a.url), &owner).await;
    assert_eq!(events.next().await.unwrap().data["version"], 1);
    b.save(&owner, &id, 1, doc("Desk", "from b"))
        .await
        .expect(200, "replica b saves");
    let seen = events
        .next()
        .await
        .expect("replica a's watcher hears of replica b's save");
    assert_eq!(
        seen.data["version"], 2,
        "through NOTIFY: replica a does not poll"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_shared_by_two_processes_is_followed_by_polling() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("shared.db").display());
    let fast = Settings {
        watch_poll_interval: Duration::from_millis(100),
    };
    let a = App::with_settings(crate::support::TestStore::open(&url, None).await, fast);
    // Another pool on the same file stands for another process: it cannot poke a's hub.
    let b = App::new(crate::support::TestStore::open(&url, None).await);
    let owner = a.user("owner", false).await;
    let id = a.create(&owner, doc("Desk", "v1")).await;
    let server = serve(a.router.clone()).await;
    let mut events =
        SseReader::open(&format!("{}/v1/layouts/{id}/watch", server.url), &owner).await;
    assert_eq!(events.next().await.unwrap().data["version"], 1);
    b.save(&owner, &id, 1, doc("Desk", "from b"))
        .await
        .expect(200, "the other process saves");
    assert_eq!(
        events.next().await.unwrap().data["version"],
        2,
        "polling finds the new version"
    );
}
