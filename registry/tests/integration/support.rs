//! Builders shared by the registry's tests.

use std::collections::BTreeMap;

use tessera_registry::api::{Interop, WidgetRegistration};
use tessera_registry::store::{self, DynStore};

/// A store plus whatever must live as long as it (the SQLite file's folder).
pub struct TestStore {
    pub store: DynStore,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite_store() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("registry.db").display());
    TestStore {
        store: store::connect(&url).await.expect("open SQLite store"),
        _dir: Some(dir),
    }
}

pub async fn postgres_store() -> TestStore {
    let url = tessera_testkit::pg::fresh_database().await;
    TestStore {
        store: store::connect(&url).await.expect("open Postgres store"),
        _dir: None,
    }
}

/// A valid registration for `id` (`publisher.name`), tag derived from it.
pub fn registration(id: &str) -> WidgetRegistration {
    let tag = id.replace('.', "-");
    let entry = "widget.js".to_owned();
    let mut files = BTreeMap::new();
    files.insert(entry.clone(), "a".repeat(64));
    WidgetRegistration {
        id: id.to_owned(),
        title: format!("Widget {id}"),
        version: "1.0.0".to_owned(),
        tag,
        entry,
        description: "a test widget".to_owned(),
        icon: None,
        base_url: "http://127.0.0.1:45678/".to_owned(),
        files,
        interop: Interop {
            listens: vec!["fdc3.instrument".to_owned()],
            broadcasts: vec![],
        },
    }
}
