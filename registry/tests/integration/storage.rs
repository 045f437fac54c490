//! The storage suite, written once and run against SQLite and a real Postgres.

use chrono::{Duration, Utc};
use tessera_registry::api::{EventKind, WidgetState};
use tessera_registry::store::{Beat, StoreError, TokenGrant, WidgetStore};

use crate::support::registration;

macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $name() {
                let t = crate::support::sqlite_store().await;
                super::$name(&*t.store).await;
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $name() {
                let t = crate::support::postgres_store().await;
                super::$name(&*t.store).await;
            })*
        }
    };
}

on_both_engines!(
    register_then_get_round_trips_every_field,
    reregistering_bumps_the_revision_and_says_updated,
    list_is_ordered_by_id,
    a_tag_belongs_to_one_widget,
    deregister_respects_the_instance,
    heartbeats_move_last_seen_of_the_live_instance_only,
    silent_widgets_go_offline_then_away,
    events_are_ordered_and_pruned_but_never_emptied,
    publishers_and_tokens,
    the_sidecar_key_is_kept_apart_from_the_widget,
    an_app_id_is_kept_defaults_to_the_widget_id_and_belongs_to_one_widget,
);

/// Issue 13: a widget's FDC3 appId, unique like tags.
async fn an_app_id_is_kept_defaults_to_the_widget_id_and_belongs_to_one_widget(
    store: &dyn WidgetStore,
) {
    setup(store, &["acme", "other"]).await;
    store
        .register(&registration("acme.plain"), "i0", Utc::now())
        .await
        .unwrap();
    let plain = store.get("acme.plain").await.unwrap();
    assert_eq!(plain.app_id, "acme.plain", "the widget id by default");
    let mut reg = registration("acme.intent-a");
    reg.app_id = Some("IntentAppA".into());
    store.register(&reg, "i1", Utc::now()).await.unwrap();
    assert_eq!(
        store.get("acme.intent-a").await.unwrap().app_id,
        "IntentAppA"
    );
    let mut thief = registration("other.copy");
    thief.app_id = Some("IntentAppA".into());
    match store.register(&thief, "i2", Utc::now()).await {
        Err(StoreError::Conflict(m)) => assert!(m.contains("app id \"IntentAppA\""), "{m}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(store.get("other.copy").await.is_err(), "nothing stored");
}

/// Issue 11: the key a sidecar expects is stored, replaced on
/// re-registration, and never part of the widget or its events.
async fn the_sidecar_key_is_kept_apart_from_the_widget(store: &dyn WidgetStore) {
    setup(store, &["acme"]).await;
    let mut reg = registration("acme.clock");
    let key = "k".repeat(40);
    reg.key = Some(key.clone());
    let event = store.register(&reg, "i1", Utc::now()).await.unwrap();
    assert_eq!(
        store.sidecar_key("acme.clock").await.unwrap(),
        Some(key.clone())
    );
    let json = serde_json::to_string(&event).unwrap();
    assert!(!json.contains(&key), "the key is not in the event: {json}");
    let listed = serde_json::to_string(&store.list().await.unwrap()).unwrap();
    assert!(!listed.contains(&key));
    reg.key = None;
    store.register(&reg, "i2", Utc::now()).await.unwrap();
    assert_eq!(store.sidecar_key("acme.clock").await.unwrap(), None);
    assert!(matches!(
        store.sidecar_key("acme.nope").await,
        Err(StoreError::NotFound(_))
    ));
}

async fn setup(store: &dyn WidgetStore, publishers: &[&str]) {
    for p in publishers {
        store.create_publisher(p).await.unwrap();
    }
}

async fn register_then_get_round_trips_every_field(store: &dyn WidgetStore) {
    setup(store, &["acme"]).await;
    let mut reg = registration("acme.clock");
    reg.icon = Some("icon.svg".into());
    reg.files.insert("icon.svg".into(), "b".repeat(64));
    reg.api = true;
    let event = store.register(&reg, "i1", Utc::now()).await.unwrap();
    assert_eq!(event.kind, EventKind::Added);
    let created = event.widget.unwrap();
    assert_eq!(created.revision, 1, "a first registration is revision 1");
    assert_eq!(created.publisher, "acme");
    assert_eq!(created.state, WidgetState::Online);
    let got = store.get("acme.clock").await.unwrap();
    assert_eq!(got, created, "get returns exactly what register stored");
    assert_eq!(got.files, reg.files);
    assert_eq!(got.interop, reg.interop);
    assert_eq!(got.instance, "i1");
    assert!(got.api);
}

async fn reregistering_bumps_the_revision_and_says_updated(store: &dyn WidgetStore) {
    setup(store, &["acme"]).await;
    let mut reg = registration("acme.clock");
    let first = store.register(&reg, "i1", Utc::now()).await.unwrap();
    reg.version = "1.1.0".into();
    let second = store.register(&reg, "i2", Utc::now()).await.unwrap();
    assert_eq!(second.kind, EventKind::Updated);
    assert!(second.id > first.id, "event ids increase");
    let (a, b) = (first.widget.unwrap(), second.widget.unwrap());
    assert_eq!(b.revision, a.revision + 1);
    assert_eq!(b.version, "1.1.0");
    assert_eq!(b.instance, "i2", "the newest sidecar holds the entry");
    assert_eq!(
        b.registered_at, a.registered_at,
        "re-registering keeps the first registration time"
    );
    assert_eq!(store.list().await.unwrap().len(), 1, "still one entry");
}

async fn list_is_ordered_by_id(store: &dyn WidgetStore) {
    setup(store, &["zeta", "acme", "mid"]).await;
    for id in ["zeta.one", "acme.two", "mid.three"] {
        store
            .register(&registration(id), "i", Utc::now())
            .await
            .unwrap();
    }
    let ids: Vec<String> = store
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|w| w.id)
        .collect();
    assert_eq!(ids, ["acme.two", "mid.three", "zeta.one"]);
}

async fn a_tag_belongs_to_one_widget(store: &dyn WidgetStore) {
    setup(store, &["acme", "other"]).await;
    store
        .register(&registration("acme.clock"), "i", Utc::now())
        .await
        .unwrap();
    let (_, events_before) = store.event_bounds().await.unwrap();
    let mut thief = registration("other.clock");
    thief.tag = "acme-clock".into();
    match store.register(&thief, "j", Utc::now()).await {
        Err(StoreError::Conflict(msg)) => assert!(msg.contains("acme-clock"), "{msg}"),
        other => panic!("a second widget claiming a tag must conflict, got {other:?}"),
    }
    let all = store.list().await.unwrap();
    assert_eq!(all.len(), 1, "the refused registration stored nothing");
    assert_eq!(
        store.event_bounds().await.unwrap().1,
        events_before,
        "and recorded no event"
    );
}

async fn deregister_respects_the_instance(store: &dyn WidgetStore) {
    setup(store, &["acme"]).await;
    store
        .register(&registration("acme.clock"), "new", Utc::now())
        .await
        .unwrap();
    let stale = store
        .deregister("acme.clock", Some("old"), Utc::now())
        .await
        .unwrap();
    assert!(
        stale.is_none(),
        "an old sidecar shutting down must not remove the new one's entry"
    );
    assert!(store.get("acme.clock").await.is_ok());
    let gone = store
        .deregister("acme.clock", Some("new"), Utc::now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(gone.kind, EventKind::Removed);
    assert!(gone.widget.is_none());
    assert!(matches!(
        store.get("acme.clock").await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        store
            .deregister("acme.clock", None, Utc::now())
            .await
            .unwrap()
            .is_none(),
        "idempotent"
    );
}

async fn heartbeats_move_last_seen_of_the_live_instance_only(store: &dyn WidgetStore) {
    setup(store, &["acme"]).await;
    let t0 = Utc::now() - Duration::seconds(60);
    store
        .register(&registration("acme.clock"), "live", t0)
        .await
        .unwrap();
    store
        .register(&registration("acme.other"), "live2", t0)
        .await
        .unwrap();
    let later = t0 + Duration::seconds(30);
    store
        .record_heartbeats(
            &[
                Beat {
                    widget_id: "acme.clock".into(),
                    instance: "live".into(),
                },
                Beat {
                    widget_id: "acme.other".into(),
                    instance: "impostor".into(),
                },
            ],
            later,
        )
        .await
        .unwrap();
    let clock = store.get("acme.clock").await.unwrap();
    let other = store.get("acme.other").await.unwrap();
    assert_eq!(clock.last_seen.timestamp_millis(), later.timestamp_millis());
    assert_eq!(
        other.last_seen.timestamp_millis(),
        t0.timestamp_millis(),
        "a wrong instance changes nothing"
    );
}

async fn silent_widgets_go_offline_then_away(store: &dyn WidgetStore) {
    setup(store, &["acme"]).await;
    let now = Utc::now();
    store
        .register(
            &registration("acme.silent"),
            "a",
            now - Duration::seconds(20),
        )
        .await
        .unwrap();
    store
        .register(&registration("acme.alive"), "b", now)
        .await
        .unwrap();
    let offline = store
        .expire(now - Duration::seconds(15), now)
        .await
        .unwrap();
    assert_eq!(offline.len(), 1);
    assert_eq!(offline[0].kind, EventKind::Offline);
    assert_eq!(offline[0].widget_id, "acme.silent");
    assert_eq!(
        offline[0].widget.as_ref().unwrap().state,
        WidgetState::Offline
    );
    assert!(
        store
            .expire(now - Duration::seconds(15), now)
            .await
            .unwrap()
            .is_empty(),
        "reported once"
    );
    // Heartbeats of an offline entry do not bring it back: the sidecar re-registers.
    store
        .record_heartbeats(
            &[Beat {
                widget_id: "acme.silent".into(),
                instance: "a".into(),
            }],
            now,
        )
        .await
        .unwrap();
    assert_eq!(
        store.get("acme.silent").await.unwrap().state,
        WidgetState::Offline
    );

    let later = now + Duration::seconds(400);
    let removed = store
        .purge(later - Duration::seconds(300), later)
        .await
        .unwrap();
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].kind, EventKind::Removed);
    let ids: Vec<_> = store
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|w| w.id)
        .collect();
    assert_eq!(ids, ["acme.alive"]);
}

async fn events_are_ordered_and_pruned_but_never_emptied(store: &dyn WidgetStore) {
    setup(store, &["acme"]).await;
    assert_eq!(store.event_bounds().await.unwrap(), (0, 0));
    let old = Utc::now() - Duration::hours(2);
    for i in 0..5 {
        store
            .register(&registration(&format!("acme.w{i}")), "i", old)
            .await
            .unwrap();
    }
    let all = store.events_after(0, 100).await.unwrap();
    assert_eq!(all.len(), 5);
    assert!(all.windows(2).all(|w| w[0].id < w[1].id), "ascending ids");
    assert_eq!(store.events_after(all[2].id, 100).await.unwrap().len(), 2);
    assert_eq!(
        store.events_after(0, 2).await.unwrap().len(),
        2,
        "limit holds"
    );

    let pruned = store
        .prune_events(Utc::now() - Duration::hours(1), 2)
        .await
        .unwrap();
    assert_eq!(pruned, 3, "old events go, the newest two stay");
    let (oldest, newest) = store.event_bounds().await.unwrap();
    assert_eq!((oldest, newest), (all[3].id, all[4].id));
}

async fn publishers_and_tokens(store: &dyn WidgetStore) {
    store.create_publisher("acme").await.unwrap();
    assert!(matches!(
        store.create_publisher("acme").await,
        Err(StoreError::Conflict(_))
    ));
    assert!(store.publisher_exists("acme").await.unwrap());
    assert!(!store.publisher_exists("nobody").await.unwrap());
    let grant = TokenGrant {
        publisher: Some("acme".into()),
        admin: false,
    };
    store.add_token("h1", &grant, "laptop").await.unwrap();
    assert_eq!(store.token("h1").await.unwrap(), Some(grant));
    assert_eq!(store.token("h2").await.unwrap(), None);
    let orphan = TokenGrant {
        publisher: Some("nobody".into()),
        admin: false,
    };
    assert!(matches!(
        store.add_token("h3", &orphan, "").await,
        Err(StoreError::NotFound(_))
    ));
    let admin = TokenGrant {
        publisher: None,
        admin: true,
    };
    store.add_token("h4", &admin, "ops").await.unwrap();
    assert_eq!(store.token("h4").await.unwrap(), Some(admin));
}
