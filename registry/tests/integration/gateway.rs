//! Issue 11: the server is the one door. Widget files come through it,
//! checked and cached by hash; a widget's `/api` is forwarded with the
//! user's name; sidecars answer only the server's key.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tessera_registry::api::WidgetRegistration;

use crate::support::{fast_config, layouts_beside, registration, sqlite_store, TestServer};

const KEY: &str = "gateway-test-key-0123456789abcdef0123";

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A sidecar as the server sees one: files from memory, `/api` echoing what
/// the backend would learn; everything needs the key; requests counted by path.
#[derive(Default)]
struct FakeSidecar {
    files: Mutex<HashMap<String, Vec<u8>>>,
    hits: Mutex<HashMap<String, usize>>,
    without_key: Mutex<usize>,
}

impl FakeSidecar {
    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

async fn sidecar_handler(State(s): State<Arc<FakeSidecar>>, req: Request) -> Response {
    let path = percent_encoding::percent_decode_str(req.uri().path().trim_start_matches('/'))
        .decode_utf8()
        .unwrap()
        .into_owned();
    if req
        .headers()
        .get("tessera-sidecar-key")
        .map(|v| v.as_bytes())
        != Some(KEY.as_bytes())
    {
        *s.without_key.lock().unwrap() += 1;
        return StatusCode::UNAUTHORIZED.into_response();
    }
    *s.hits.lock().unwrap().entry(path.clone()).or_default() += 1;
    if path == "__tessera/ping" {
        return axum::Json(serde_json::json!({"widget": "acme.board"})).into_response();
    }
    if path == "api/stream" {
        let events = futures_util::stream::iter(
            ["data: one\n\n", "data: two\n\n"].map(|e| Ok::<_, std::io::Error>(e.to_owned())),
        );
        return (
            [("content-type", "text/event-stream")],
            axum::body::Body::from_stream(events),
        )
            .into_response();
    }
    if let Some(rest) = path.strip_prefix("api/") {
        let seen = {
            let h = |name: &str| {
                req.headers()
                    .get(name)
                    .map(|v| v.to_str().unwrap().to_owned())
            };
            serde_json::json!({
                "path": rest,
                "query": req.uri().query(),
                "method": req.method().as_str(),
                "user": h("x-tessera-user"),
                "groups": h("x-tessera-groups"),
                "authorization": h("authorization"),
                "custom": h("x-custom"),
            })
        };
        let body = axum::body::to_bytes(req.into_body(), 1 << 20)
            .await
            .unwrap();
        let mut seen = seen;
        seen["body"] = Value::String(String::from_utf8_lossy(&body).into_owned());
        return axum::Json(seen).into_response();
    }
    match s.files.lock().unwrap().get(&path) {
        Some(bytes) => bytes.clone().into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

struct World {
    server: TestServer,
    sidecar: Arc<FakeSidecar>,
    sidecar_url: String,
    alice: String,
    bob: String,
    http: reqwest::Client,
}

async fn world() -> World {
    world_with(fast_config()).await
}

async fn world_with(config: tessera_registry::config::ServerConfig) -> World {
    let sidecar = Arc::new(FakeSidecar::default());
    sidecar.files.lock().unwrap().insert(
        "board.js".into(),
        b"customElements.define('acme-board', class extends HTMLElement {})".to_vec(),
    );
    sidecar.files.lock().unwrap().insert(
        "lib/chart one.js".into(),
        b"export const chart = 1;".to_vec(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sidecar_url = format!("http://{}/", listener.local_addr().unwrap());
    let app = axum::Router::new()
        .fallback(sidecar_handler)
        .with_state(sidecar.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let t = sqlite_store().await;
    let layouts = layouts_beside(&t).await;
    let alice = layouts.user("alice").await;
    let bob = layouts.user("bob").await;
    let accounts = &*layouts.accounts;
    tessera_accounts::add_group(accounts, "trading")
        .await
        .unwrap();
    tessera_accounts::add_group(accounts, "risk").await.unwrap();
    tessera_accounts::add_member(accounts, "trading", "alice")
        .await
        .unwrap();
    tessera_accounts::add_member(accounts, "risk", "alice")
        .await
        .unwrap();
    let server = TestServer::start_with(t, config, |s| {
        tessera_server::ServerState::from(s).with_layouts(layouts.layouts)
    })
    .await;
    World {
        server,
        sidecar,
        sidecar_url,
        alice,
        bob,
        http: reqwest::Client::new(),
    }
}

impl World {
    fn registration(&self) -> WidgetRegistration {
        let mut reg = registration("acme.board");
        reg.entry = "board.js".into();
        reg.base_url = self.sidecar_url.clone();
        reg.files = self
            .sidecar
            .files
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), sha(v)))
            .collect::<BTreeMap<_, _>>();
        reg.api = true;
        reg.key = Some(KEY.into());
        reg
    }

    async fn register(&self) {
        let client = self.server.publisher_client("acme").await;
        client.register(&self.registration()).await.unwrap();
    }

    async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut req = self.http.get(format!("{}{path}", self.server.url));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }
}

async fn error_of(resp: reqwest::Response) -> (u16, String, String) {
    let status = resp.status().as_u16();
    let body: Value = resp.json().await.unwrap();
    (
        status,
        body["code"].as_str().unwrap_or_default().to_owned(),
        body["message"].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test]
async fn files_come_through_the_server_once_per_replica_and_checked() {
    let w = world().await;
    w.register().await;
    assert_eq!(
        w.sidecar.hits("__tessera/ping"),
        1,
        "probed at registration"
    );

    let first = w
        .get("/v1/widgets/acme.board/files/board.js", Some(&w.alice))
        .await;
    assert_eq!(first.status().as_u16(), 200);
    assert_eq!(
        first.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    let expected = sha(b"customElements.define('acme-board', class extends HTMLElement {})");
    assert_eq!(first.headers()["etag"], format!("\"{expected}\"").as_str());
    assert!(first.text().await.unwrap().contains("acme-board"));
    // The next user: from the cache, not the sidecar.
    let second = w
        .get("/v1/widgets/acme.board/files/board.js", Some(&w.bob))
        .await;
    assert_eq!(second.status().as_u16(), 200);
    assert!(second.text().await.unwrap().contains("acme-board"));
    assert_eq!(
        w.sidecar.hits("board.js"),
        1,
        "fetched from the sidecar once"
    );

    // A path with a space and a folder, percent-encoded on both hops.
    let nested = w
        .get(
            "/v1/widgets/acme.board/files/lib/chart%20one.js",
            Some(&w.bob),
        )
        .await;
    assert_eq!(nested.status().as_u16(), 200);
    assert_eq!(nested.text().await.unwrap(), "export const chart = 1;");

    let metrics = w.get("/metrics", None).await.text().await.unwrap();
    assert!(
        metrics.contains(r#"tessera_gateway_files_total{result="cached"} 1"#)
            && metrics.contains(r#"tessera_gateway_files_total{result="fetched"} 2"#),
        "{metrics}"
    );
    assert_eq!(
        *w.sidecar.without_key.lock().unwrap(),
        0,
        "the server always sends the key"
    );
}

#[tokio::test]
async fn bad_file_requests_get_clear_errors_and_change_nothing() {
    let w = world().await;
    w.register().await;
    let (status, code, message) =
        error_of(w.get("/v1/widgets/acme.board/files/board.js", None).await).await;
    assert_eq!((status, code.as_str()), (401, "unauthorized"), "{message}");
    let (status, ..) = error_of(
        w.get(
            "/v1/widgets/acme.board/files/board.js",
            Some("tsu_not_a_token"),
        )
        .await,
    )
    .await;
    assert_eq!(status, 401);
    for path in [
        "%2e%2e/widget.toml",
        "..%2fwidget.toml",
        "lib/..%2f..%2fetc/passwd",
        "widget.toml",
        "extra.js",
    ] {
        let (status, code, message) = error_of(
            w.get(
                &format!("/v1/widgets/acme.board/files/{path}"),
                Some(&w.alice),
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, code.as_str()),
            (404, "not_found"),
            "{path}: {message}"
        );
        // A `..` the URL itself resolves matches no route; the rest are
        // not in the manifest. Either way, nothing is asked of the sidecar.
        assert!(
            message.contains("not among the files") || message.contains("no such route"),
            "{path}: {message}"
        );
    }
    let (status, _, message) = error_of(
        w.get("/v1/widgets/acme.nope/files/x.js", Some(&w.alice))
            .await,
    )
    .await;
    assert_eq!(status, 404, "{message}");
    assert_eq!(
        w.sidecar.hits("widget.toml") + w.sidecar.hits("extra.js"),
        0
    );

    // The sidecar now serves different bytes than it registered.
    w.sidecar
        .files
        .lock()
        .unwrap()
        .insert("board.js".into(), b"alert('tampered')".to_vec());
    for _ in 0..2 {
        let (status, code, message) = error_of(
            w.get("/v1/widgets/acme.board/files/board.js", Some(&w.alice))
                .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (502, "bad_gateway"));
        assert!(
            message.contains(&sha(b"alert('tampered')"))
                && message.contains(&sha(
                    b"customElements.define('acme-board', class extends HTMLElement {})"
                )),
            "names both hashes: {message}"
        );
    }
    assert_eq!(w.sidecar.hits("board.js"), 2, "nothing was cached");
    assert_eq!(w.server.state.gateway.cache.size(), 0);
}

#[tokio::test]
async fn an_unreachable_or_wrong_advertised_url_refuses_the_registration() {
    let w = world().await;
    let client = w.server.publisher_client("acme").await;
    let mut reg = w.registration();
    reg.base_url = "http://127.0.0.1:9/".into();
    let err = client.register(&reg).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    let msg = err.to_string();
    assert!(
        msg.contains("http://127.0.0.1:9/") && msg.contains("base_url"),
        "{msg}"
    );

    let mut reg = w.registration();
    reg.key = Some("x".repeat(40));
    let msg = client.register(&reg).await.unwrap_err().to_string();
    assert!(msg.contains("refused this registration's key"), "{msg}");

    let mut reg = w.registration();
    reg.key = Some("short".into());
    let msg = client.register(&reg).await.unwrap_err().to_string();
    assert!(msg.contains("key"), "{msg}");
    assert!(
        client.list().await.unwrap().widgets.is_empty(),
        "nothing stored"
    );
}

#[tokio::test]
async fn api_calls_carry_the_user_and_never_a_forged_identity_or_token() {
    let w = world().await;
    w.register().await;
    let resp = w
        .http
        .post(format!(
            "{}/v1/widgets/acme.board/api/prices/AAPL?days=5",
            w.server.url
        ))
        .bearer_auth(&w.alice)
        .header("x-tessera-user", "ceo")
        .header("x-tessera-groups", "admins")
        .header("tessera-sidecar-key", "guess")
        .header("x-custom", "kept")
        .body("payload")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let seen: Value = resp.json().await.unwrap();
    assert_eq!(seen["path"], "prices/AAPL");
    assert_eq!(seen["query"], "days=5");
    assert_eq!(seen["method"], "POST");
    assert_eq!(
        seen["user"], "alice",
        "the server names the user, not the client"
    );
    assert_eq!(seen["groups"], "risk,trading");
    assert_eq!(
        seen["authorization"],
        Value::Null,
        "the user's token stays at the server"
    );
    assert_eq!(seen["custom"], "kept");
    assert_eq!(seen["body"], "payload");

    let resp = w
        .http
        .get(format!("{}/v1/widgets/acme.board/api/x", w.server.url))
        .header("x-tessera-user", "alice")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401, "no token, no call");
    assert_eq!(w.sidecar.hits("api/x"), 0);
}

#[tokio::test]
async fn server_sent_events_stream_through() {
    let w = world().await;
    w.register().await;
    let resp = w
        .get("/v1/widgets/acme.board/api/stream", Some(&w.bob))
        .await;
    assert_eq!(resp.headers()["content-type"], "text/event-stream");
    assert_eq!(resp.text().await.unwrap(), "data: one\n\ndata: two\n\n");
}

#[tokio::test]
async fn api_calls_are_rate_limited_per_user_and_need_a_backend() {
    let mut config = fast_config();
    config.rate_limit_per_sec = 2;
    let w = world_with(config).await;
    let client = w.server.publisher_client("acme").await;
    let mut reg = w.registration();
    reg.api = false;
    client.register(&reg).await.unwrap();
    let (status, _, message) =
        error_of(w.get("/v1/widgets/acme.board/api/x", Some(&w.alice)).await).await;
    assert_eq!(status, 404);
    assert!(message.contains("no backend"), "{message}");

    client.register(&w.registration()).await.unwrap();
    let mut statuses = Vec::new();
    for _ in 0..20 {
        statuses.push(
            w.get("/v1/widgets/acme.board/api/x", Some(&w.alice))
                .await
                .status()
                .as_u16(),
        );
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    // Files are not charged: a widget's 50 files come at once.
    for _ in 0..20 {
        assert_eq!(
            w.get("/v1/widgets/acme.board/files/board.js", Some(&w.bob))
                .await
                .status()
                .as_u16(),
            200
        );
    }
}

#[tokio::test]
async fn the_openapi_document_describes_the_gateway() {
    let w = world().await;
    let doc: Value = w.get("/openapi.json", None).await.json().await.unwrap();
    assert!(doc["paths"]["/v1/widgets/{id}/files/{path}"]["get"].is_object());
    assert!(doc["paths"]["/v1/widgets/{id}/api/{rest}"].is_object());
}

/// The headers a client sent never decide who the backend thinks is calling.
#[test]
fn forged_identity_headers_are_listed_as_never_forwarded() {
    let mut h = HeaderMap::new();
    h.insert("x-tessera-user", "ceo".parse().unwrap());
    h.insert("authorization", "Bearer x".parse().unwrap());
    h.insert("accept", "text/plain".parse().unwrap());
    let kept: Vec<String> = tessera_registry::gateway::end_to_end(&h)
        .into_iter()
        .map(|(n, _)| n.to_string())
        .collect();
    assert_eq!(kept, vec!["accept".to_owned()]);
}
