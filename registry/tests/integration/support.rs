//! Builders shared by the registry's tests.

use std::collections::BTreeMap;
use std::time::Duration;

use tessera_registry::api::{Interop, WidgetRegistration};
use tessera_registry::client::RegistryClient;
use tessera_registry::config::ServerConfig;
use tessera_registry::http::AppState;
use tessera_registry::store::{self, DynStore};

/// A store plus whatever must live as long as it (the SQLite file's folder).
pub struct TestStore {
    pub store: DynStore,
    _dir: Option<tempfile::TempDir>,
}

impl TestStore {
    /// The SQLite store's folder.
    pub fn path(&self) -> &std::path::Path {
        self._dir.as_ref().expect("a SQLite store").path()
    }
}

pub async fn sqlite_store() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("registry.db").display());
    TestStore {
        store: store::connect(&url).await.expect("open SQLite store"),
        _dir: Some(dir),
    }
}

/// The layouts store on the same SQLite file as `t` (both migration sets coexist).
/// The accounts and the layouts service on the registry's database.
pub struct Beside {
    pub accounts: tessera_accounts::DynAccountStore,
    pub layouts: tessera_layouts::LayoutsState,
}

pub async fn layouts_beside(t: &TestStore) -> Beside {
    let db = format!("sqlite://{}", t.path().join("registry.db").display());
    let (accounts, layouts) = tessera_layouts::store::connect_with_accounts(&db)
        .await
        .unwrap();
    Beside {
        layouts: tessera_layouts::LayoutsState::new(
            layouts,
            tessera_accounts::Accounts::new(accounts.clone()),
        ),
        accounts,
    }
}

impl Beside {
    /// Creates a user; returns their token.
    pub async fn user(&self, name: &str) -> String {
        tessera_accounts::add_user(&*self.accounts, name, false)
            .await
            .unwrap()
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
            intents: vec![],
        },
        api: false,
        key: None,
        app_id: None,
    }
}

/// Fast liveness for tests: heartbeat every 100 ms, offline after 300 ms,
/// removed 300 ms later.
pub fn fast_config() -> ServerConfig {
    ServerConfig {
        heartbeat_interval: Duration::from_millis(100),
        missed_heartbeats: 3,
        offline_grace: Duration::from_millis(300),
        ..ServerConfig::default()
    }
}

/// A server on a real loopback socket, with its background tasks.
pub struct TestServer {
    pub url: String,
    pub state: AppState,
    pub _store: TestStore,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    pub async fn start(t: TestStore, config: ServerConfig) -> TestServer {
        Self::start_with(t, config, |s| s).await
    }

    /// Like `start`, with a say in the state (e.g. mounting layouts).
    pub async fn start_with<S: Into<tessera_server::ServerState>>(
        t: TestStore,
        config: ServerConfig,
        f: impl FnOnce(AppState) -> S,
    ) -> TestServer {
        let state: tessera_server::ServerState =
            f(AppState::new(t.store.clone(), config).await.unwrap()).into();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(tessera_server::serve_on(
            listener,
            state.clone(),
            std::future::pending(),
        ));
        TestServer {
            url,
            state: state.registry,
            _store: t,
            task,
        }
    }

    /// A client holding a fresh token of `publisher` (created if needed).
    pub async fn publisher_client(&self, publisher: &str) -> RegistryClient {
        let token = publisher_token(&self.state.store, publisher).await;
        RegistryClient::new(&self.url).unwrap().with_token(token)
    }
}

/// A token of `publisher`, creating the publisher when it does not exist.
pub async fn publisher_token(store: &DynStore, publisher: &str) -> String {
    match store.create_publisher(publisher).await {
        Ok(()) | Err(tessera_registry::store::StoreError::Conflict(_)) => {}
        Err(e) => panic!("create publisher: {e}"),
    }
    tessera_registry::auth::add_token(store, Some(publisher), false, "test")
        .await
        .unwrap()
}

/// Polls `probe` every 20 ms until it returns `Some`, failing after `within`.
pub async fn eventually<T, F, Fut>(what: &str, within: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "waited {within:?} for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The next item of a watch stream, failing the test after ten seconds.
pub async fn next_event(
    stream: &mut (impl futures_util::Stream<
        Item = Result<tessera_registry::client::WatchItem, tessera_registry::client::ClientError>,
    > + Unpin),
) -> tessera_registry::client::WatchItem {
    use futures_util::StreamExt;
    tokio::time::timeout(Duration::from_secs(10), stream.next())
        .await
        .expect("a watch event in time")
        .expect("the stream stays open")
        .expect("a well-formed event")
}
