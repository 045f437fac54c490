//! Liveness and the watch stream, over a real loopback socket.

use std::time::Duration;

use tessera_registry::api::{EventKind, WidgetState};
use tessera_registry::client::{RegistryClient, WatchItem};

use crate::support::{eventually, fast_config, next_event, registration, sqlite_store, TestServer};

const WAIT: Duration = Duration::from_secs(10);

fn kind_and_id(item: &WatchItem) -> (EventKind, String) {
    match item {
        WatchItem::Event(e) => (e.kind, e.widget_id.clone()),
        WatchItem::Relist => panic!("unexpected relist"),
    }
}

#[tokio::test]
async fn heartbeats_keep_an_entry_online_and_silence_takes_it_offline_then_away() {
    let server = TestServer::start(sqlite_store().await, fast_config()).await;
    let client = server.publisher_client("acme").await;
    let watcher = RegistryClient::new(&server.url).unwrap();
    let mut events = Box::pin(watcher.watch(None).await.unwrap());

    let reg = client.register(&registration("acme.clock")).await.unwrap();
    assert_eq!(
        kind_and_id(&next_event(&mut events).await),
        (EventKind::Added, "acme.clock".into())
    );

    // Heartbeating for three TTLs keeps it online.
    for _ in 0..9 {
        let schedule = client.heartbeat("acme.clock", &reg.instance).await.unwrap();
        assert_eq!(schedule.ttl_ms, 300);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        client.get("acme.clock").await.unwrap().state,
        WidgetState::Online
    );

    // Silence: offline, then removed after the grace period.
    let silent_at = std::time::Instant::now();
    let offline = next_event(&mut events).await;
    assert_eq!(
        kind_and_id(&offline),
        (EventKind::Offline, "acme.clock".into())
    );
    assert!(
        silent_at.elapsed() < Duration::from_millis(300 + 1000),
        "offline within TTL + 1 s"
    );
    let err = client
        .heartbeat("acme.clock", &reg.instance)
        .await
        .unwrap_err();
    assert_eq!(
        err.status().map(|s| s.as_u16()),
        Some(404),
        "an offline entry asks to re-register"
    );
    assert_eq!(
        kind_and_id(&next_event(&mut events).await),
        (EventKind::Removed, "acme.clock".into())
    );
    assert!(client.list().await.unwrap().widgets.is_empty());
}

#[tokio::test]
async fn a_reconnecting_watcher_misses_nothing_or_is_told_to_relist() {
    let server = TestServer::start(sqlite_store().await, fast_config()).await;
    let client = server.publisher_client("acme").await;
    let watcher = RegistryClient::new(&server.url).unwrap();

    let list = watcher.list().await.unwrap();
    client.register(&registration("acme.one")).await.unwrap();
    client.register(&registration("acme.two")).await.unwrap();
    client.deregister("acme.one", None).await.unwrap();

    // Watching from the list's id replays exactly what happened since.
    let mut replay = Box::pin(watcher.watch(Some(list.last_event_id)).await.unwrap());
    let mut seen = Vec::new();
    for _ in 0..3 {
        seen.push(kind_and_id(&next_event(&mut replay).await));
    }
    assert_eq!(
        seen,
        [
            (EventKind::Added, "acme.one".to_owned()),
            (EventKind::Added, "acme.two".to_owned()),
            (EventKind::Removed, "acme.one".to_owned()),
        ]
    );
    // And then continues live, in order.
    client.register(&registration("acme.three")).await.unwrap();
    let WatchItem::Event(live) = next_event(&mut replay).await else {
        panic!("relist")
    };
    assert_eq!(
        (live.kind, live.widget_id.as_str()),
        (EventKind::Added, "acme.three")
    );
    assert_eq!(live.widget.unwrap().state, WidgetState::Online);

    // Once history is pruned, an old id gets "relist".
    server
        .state
        .store
        .prune_events(chrono::Utc::now() + chrono::Duration::hours(1), 1)
        .await
        .unwrap();
    let mut stale = Box::pin(watcher.watch(Some(1)).await.unwrap());
    assert_eq!(next_event(&mut stale).await, WatchItem::Relist);
}

#[tokio::test]
async fn the_status_page_is_open_on_loopback() {
    let server = TestServer::start(sqlite_store().await, fast_config()).await;
    let client = server.publisher_client("acme").await;
    client.register(&registration("acme.clock")).await.unwrap();
    let page = reqwest::get(format!("{}/", server.url)).await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<title>Tessera registry</title>") && html.contains("acme.clock"));
    // It shows the watcher count too.
    let _w = RegistryClient::new(&server.url)
        .unwrap()
        .watch(None)
        .await
        .unwrap();
    eventually("the watcher to be counted", WAIT, || async {
        let html = reqwest::get(format!("{}/", server.url))
            .await
            .ok()?
            .text()
            .await
            .ok()?;
        html.contains("1 watchers").then_some(())
    })
    .await;
}
