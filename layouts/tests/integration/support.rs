//! Builders shared by the tests: stores on both engines, an app driven through
//! `oneshot`, a server on a real loopback socket, documents, and an SSE reader.

use std::time::Duration;

use serde_json::{json, Value};
use tessera_accounts::{AccountStore, Accounts, DynAccountStore};
use tessera_layouts::{DynLayoutStore, LayoutsState, Settings};

/// Generates `sqlite` and `postgres` variants of each `async fn name(TestStore)`.
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        tessera_testkit::on_both_engines!(
            crate::support::sqlite_store, crate::support::postgres_store; $($name),*
        );
    };
}
pub(crate) use on_both_engines;

/// The layouts store and the accounts on one database, plus what must live
/// as long as they do (the SQLite file's folder).
pub struct TestStore {
    pub store: DynLayoutStore,
    pub accounts: DynAccountStore,
    pub _dir: Option<tempfile::TempDir>,
}

impl TestStore {
    pub async fn open(url: &str, dir: Option<tempfile::TempDir>) -> TestStore {
        let (accounts, store) = tessera_layouts::store::connect_with_accounts(url)
            .await
            .expect("open the store");
        TestStore {
            store,
            accounts,
            _dir: dir,
        }
    }
}

pub async fn sqlite_store() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("layouts.db").display());
    TestStore::open(&url, Some(dir)).await
}

pub async fn postgres_store() -> TestStore {
    TestStore::open(&tessera_testkit::pg::fresh_database().await, None).await
}

/// The router driven through `tower::ServiceExt::oneshot`: the layouts'
/// routes beside the accounts', as the server mounts them.
pub struct App {
    pub routes: InProcess,
    pub t: TestStore,
}

use tessera_testkit::http::InProcess;
pub use tessera_testkit::http::Resp;

impl App {
    pub fn new(t: TestStore) -> App {
        let settings = Settings::for_store(&t.store);
        App::with_settings(t, settings)
    }

    pub fn with_settings(t: TestStore, settings: Settings) -> App {
        let accounts = Accounts::new(t.accounts.clone());
        let state = LayoutsState::with_settings(t.store.clone(), accounts.clone(), settings);
        App {
            routes: InProcess {
                router: tessera_accounts::http::routes(accounts)
                    .merge(tessera_layouts::router(state)),
            },
            t,
        }
    }

    pub fn store(&self) -> &dyn tessera_layouts::LayoutStore {
        &*self.t.store
    }

    /// The accounts' store (users, groups, tokens).
    pub fn accounts(&self) -> &dyn AccountStore {
        &*self.t.accounts
    }

    /// Creates a user; returns their token.
    pub async fn user(&self, name: &str, admin: bool) -> String {
        tessera_accounts::add_user(self.accounts(), name, admin)
            .await
            .unwrap_or_else(|e| panic!("create user {name}: {e}"))
    }

    /// Creates a layout from `doc`; returns its id.
    pub async fn create(&self, token: &str, doc: Value) -> String {
        let body = self
            .call(
                "POST",
                "/v1/layouts",
                Some(token),
                Some(json!({ "document": doc })),
            )
            .await
            .expect(201, "creating a valid layout");
        body["id"]
            .as_str()
            .expect("the answer has an id")
            .to_owned()
    }

    pub async fn save(&self, token: &str, id: &str, base: i64, doc: Value) -> Resp {
        self.call(
            "PUT",
            &format!("/v1/layouts/{id}"),
            Some(token),
            Some(json!({"base_version": base, "document": doc})),
        )
        .await
    }

    pub async fn share(&self, token: &str, id: &str, sharing: Value) {
        self.call(
            "PUT",
            &format!("/v1/layouts/{id}/sharing"),
            Some(token),
            Some(sharing),
        )
        .await
        .expect(200, "the owner changes sharing");
    }
}

impl std::ops::Deref for App {
    type Target = InProcess;
    fn deref(&self) -> &InProcess {
        &self.routes
    }
}

pub fn panel(id: &str, widget: &str, title: &str) -> Value {
    json!({"type": "widget", "id": id, "widget": widget, "title": title, "state": {}, "channel": null})
}

/// A valid document in the canonical form the server stores and answers (every
/// field written out): a row of two stacks; `marker` goes into the first panel's state.
pub fn doc(title: &str, marker: &str) -> Value {
    json!({
        "schema": 1,
        "title": title,
        "root": {"type": "row", "content": [
            {"type": "stack", "size": "60%", "active": 0, "content": [
                {"type": "widget", "id": "chart", "widget": "acme.chart", "title": "Chart",
                 "state": {"marker": marker}, "channel": "red"},
                panel("news", "acme.news", "News"),
            ]},
            {"type": "stack", "size": "40%", "active": 0, "content": [panel("clock", "tessera.clock", "Clock")]},
        ]},
        "floating": [],
        "popouts": [],
    })
}

/// A server on a real loopback socket.
pub struct Server {
    pub url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn serve(router: axum::Router) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        axum::serve(listener, router).await.expect("serve");
    });
    Server { url, task }
}

/// One Server-Sent Event.
#[derive(Debug, Clone)]
pub struct SseEvent {
    pub event: String,
    pub data: Value,
}

/// Reads Server-Sent Events from a streaming response.
pub struct SseReader {
    stream: std::pin::Pin<
        Box<dyn futures_util::Stream<Item = reqwest::Result<axum::body::Bytes>> + Send>,
    >,
    buf: String,
}

impl SseReader {
    pub async fn open(url: &str, token: &str) -> SseReader {
        let resp = reqwest::Client::new()
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .expect("connect to the watch stream");
        assert_eq!(resp.status(), 200, "the watch stream opens");
        SseReader {
            stream: Box::pin(resp.bytes_stream()),
            buf: String::new(),
        }
    }

    /// The next event (comments and keep-alives skipped); `None` when the stream ends.
    /// Fails the test after ten seconds.
    pub async fn next(&mut self) -> Option<SseEvent> {
        use futures_util::StreamExt;
        tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                if let Some(end) = self.buf.find("\n\n") {
                    let frame: String = self.buf.drain(..end + 2).collect();
                    let mut event = String::from("message");
                    let mut data = String::new();
                    for line in frame.lines() {
                        if let Some(v) = line.strip_prefix("event:") {
                            event = v.trim().to_owned();
                        } else if let Some(v) = line.strip_prefix("data:") {
                            data.push_str(v.trim());
                        }
                    }
                    if data.is_empty() {
                        continue;
                    }
                    return Some(SseEvent {
                        event,
                        data: serde_json::from_str(&data).expect("event data is JSON"),
                    });
                }
                match self.stream.next().await {
                    Some(Ok(chunk)) => self.buf.push_str(&String::from_utf8_lossy(&chunk)),
                    Some(Err(_)) | None => return None,
                }
            }
        })
        .await
        .expect("a watch event within ten seconds")
    }
}
