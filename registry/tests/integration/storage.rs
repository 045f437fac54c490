//! The storage suite, written once and run against SQLite and a real Postgres.

use tessera_registry::store::{StoreError, WidgetStore};

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
    insert_then_get_round_trips_every_field,
    reregistering_bumps_the_revision,
    list_is_ordered_by_id,
    a_tag_belongs_to_one_widget,
    delete_removes_and_reports_missing,
);

async fn insert_then_get_round_trips_every_field(store: &dyn WidgetStore) {
    let mut reg = registration("acme.clock");
    reg.icon = Some("icon.svg".into());
    reg.files.insert("icon.svg".into(), "b".repeat(64));
    let created = store.upsert(&reg).await.unwrap();
    assert_eq!(created.revision, 1, "a first registration is revision 1");
    let got = store.get("acme.clock").await.unwrap();
    assert_eq!(got, created, "get returns exactly what upsert stored");
    assert_eq!(got.files, reg.files);
    assert_eq!(got.interop, reg.interop);
    assert_eq!(got.icon.as_deref(), Some("icon.svg"));
}

async fn reregistering_bumps_the_revision(store: &dyn WidgetStore) {
    let mut reg = registration("acme.clock");
    let first = store.upsert(&reg).await.unwrap();
    reg.version = "1.1.0".into();
    reg.base_url = "http://127.0.0.1:5000/".into();
    let second = store.upsert(&reg).await.unwrap();
    assert_eq!(second.revision, first.revision + 1);
    assert_eq!(second.version, "1.1.0");
    assert_eq!(second.base_url, "http://127.0.0.1:5000/");
    assert_eq!(
        second.registered_at, first.registered_at,
        "re-registering keeps the first registration time"
    );
    assert!(second.updated_at >= first.updated_at);
    assert_eq!(store.list().await.unwrap().len(), 1, "still one entry");
}

async fn list_is_ordered_by_id(store: &dyn WidgetStore) {
    for id in ["zeta.one", "acme.two", "mid.three"] {
        store.upsert(&registration(id)).await.unwrap();
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
    store.upsert(&registration("acme.clock")).await.unwrap();
    let mut thief = registration("other.clock");
    thief.tag = "acme-clock".into();
    match store.upsert(&thief).await {
        Err(StoreError::Conflict(msg)) => assert!(msg.contains("acme-clock"), "{msg}"),
        other => panic!("a second widget claiming a tag must conflict, got {other:?}"),
    }
    let all = store.list().await.unwrap();
    assert_eq!(all.len(), 1, "the refused registration stored nothing");
    assert_eq!(all[0].id, "acme.clock");
}

async fn delete_removes_and_reports_missing(store: &dyn WidgetStore) {
    store.upsert(&registration("acme.clock")).await.unwrap();
    store.delete("acme.clock").await.unwrap();
    assert!(matches!(
        store.get("acme.clock").await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.delete("acme.clock").await,
        Err(StoreError::NotFound(_))
    ));
}
