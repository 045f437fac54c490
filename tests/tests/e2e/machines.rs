//! Issue 11: one server, many desktops. "Machines" on different loopback
//! addresses: the server on 127.0.0.2, a widget's sidecar listening on
//! 127.0.0.3 and advertising it, the widget's backend on 127.0.0.4, and the
//! desktop app knowing only the server's URL. The widget renders, its `/api`
//! call reaches its backend with the user's name, a second user is served
//! from the server's cache, and the sidecar answered nobody but the server.

use std::time::Duration;

use axum::http::HeaderMap;
use tessera_e2e::desktop::Desktop;
use tessera_e2e::{sidecar_with, Stack};

const WAIT: Duration = Duration::from_secs(90);
const FRAME: &str = r#"iframe[data-widget="tessera.whoami"]"#;
const ADD: &str = r#"li[data-widget-id="tessera.whoami"] .mi-add"#;

/// A widget whose element asks its backend who is calling.
fn whoami_widget(backend: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("widget.toml"),
        format!(
            "id = \"tessera.whoami\"\ntitle = \"Who am I\"\nversion = \"1.0.0\"\n\
             tag = \"tessera-whoami\"\nentry = \"whoami.js\"\nbackend = \"{backend}\"\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("whoami.js"),
        r#"customElements.define('tessera-whoami', class extends HTMLElement {
  async connectedCallback() {
    this.textContent = 'Asking the backend…';
    try {
      const r = await fetch('api/whoami');
      const who = await r.json();
      this.dataset.user = who.user;
      this.textContent = 'The backend sees ' + who.user + ' (' + who.groups + ')';
    } catch (e) {
      this.dataset.user = 'error';
      this.textContent = 'Failed: ' + e;
    }
    // A JSON POST: the frame's origin is opaque, so WebKit asks first (CORS preflight).
    try {
      const p = await fetch('api/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ note: 'posted from ' + this.dataset.user }) });
      this.dataset.posted = p.ok ? (await p.json()).note : 'HTTP ' + p.status;
    } catch (e) {
      this.dataset.posted = 'failed: ' + e;
    }
  }
});
"#,
    )
    .unwrap();
    dir
}

/// The widget's backend, on its own "machine": says who the server named.
async fn backend() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.4:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new()
        .route(
            "/echo",
            axum::routing::post(|body: axum::Json<serde_json::Value>| async move { body }),
        )
        .route(
            "/whoami",
            axum::routing::get(|h: HeaderMap| async move {
                let get = |n: &str| {
                    h.get(n)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned()
                };
                axum::Json(serde_json::json!({
                    "user": get("x-tessera-user"),
                    "groups": get("x-tessera-groups"),
                }))
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

/// Opens the widget from the marketplace with the mouse and waits until it
/// shows who the backend saw.
async fn open_whoami(desktop: &Desktop) -> String {
    let s = &desktop.session;
    s.wait_for_element("the marketplace to list the widget", WAIT, ADD)
        .await;
    let at = desktop.rect(ADD).await.unwrap().centre();
    desktop.click_at(at).await;
    s.until_in_frame(
        FRAME,
        0,
        "the widget to hear from its backend",
        WAIT,
        "const e = document.querySelector('tessera-whoami'); return e && e.dataset.user && e.dataset.posted ? e.textContent + ' | ' + e.dataset.posted : null",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

async fn metric(server: &str, line: &str) -> u64 {
    let text = reqwest::get(format!("{server}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(line))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_widget_on_one_machine_renders_on_another_through_the_server() {
    let stack = Stack::start_at("127.0.0.2:0", &[]).await;
    assert!(stack.registry_url.starts_with("http://127.0.0.2:"));
    let backend = backend().await;
    let widget = whoami_widget(&backend);
    let mut side = sidecar_with(
        &stack.registry_url,
        &stack.token_file,
        widget.path(),
        &["--listen", "127.0.0.3:0"],
    );
    let line = side.wait_for_line("registered", WAIT).await;
    assert!(line.contains("serving http://127.0.0.3:"), "{line}");

    // The first user, on their desktop.
    let desktop = Desktop::signed_in(&stack, &["--empty"]).await;
    let shown = open_whoami(&desktop).await;
    assert_eq!(
        shown, "The backend sees tester () | posted from tester",
        "rendered, and a JSON POST went through its CORS preflight: {shown}"
    );
    desktop.screenshot("machines-first-user").await;
    drop(desktop);
    let fetched = metric(
        &stack.registry_url,
        r#"tessera_gateway_files_total{result="fetched"}"#,
    )
    .await;
    assert_eq!(fetched, 1, "whoami.js, from the sidecar once");

    // A colleague, in a group, on another desktop.
    let colleague = stack.add_user("colleague").await;
    tessera_e2e::registry_cli(&["group", "add", "trading", "--database-url", &stack.db]).await;
    tessera_e2e::registry_cli(&[
        "group",
        "member",
        "trading",
        "colleague",
        "--database-url",
        &stack.db,
    ])
    .await;
    let desktop = Desktop::start_full(
        &stack.registry_url,
        &["--empty"],
        &[("TESSERA_USER_TOKEN", colleague.as_str())],
    )
    .await;
    let shown = open_whoami(&desktop).await;
    assert_eq!(
        shown,
        "The backend sees colleague (trading) | posted from colleague"
    );
    desktop.screenshot("machines-second-user").await;
    drop(desktop);
    assert_eq!(
        metric(
            &stack.registry_url,
            r#"tessera_gateway_files_total{result="fetched"}"#
        )
        .await,
        1,
        "the colleague's copy came from the server's cache"
    );
    assert!(
        metric(
            &stack.registry_url,
            r#"tessera_gateway_files_total{result="cached"}"#
        )
        .await
            >= 1
    );

    // The sidecar answered only the server: its probe at registration, one
    // file, and the two users' API calls (a GET and a POST each; the POSTs'
    // CORS preflights stop in the desktop); nobody came without the key.
    side.signal("TERM").await;
    side.wait(Duration::from_secs(10)).await;
    let counts = tessera_e2e::eventually_line(&side, "requests with the key").await;
    assert!(
        counts.contains("served 6 requests with the key, refused 0 without it"),
        "{counts}"
    );
}
