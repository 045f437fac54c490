//! `widget://<id>/<path>`: how widget files reach the webview.
//!
//! The webview never loads widget code from the network. A request for a
//! widget file comes here; the file is fetched from the server (the one
//! address the desktop knows, which fetches it from the widget's sidecar),
//! its sha256 checked against the manifest the sidecar registered, and only
//! then handed to the (sandboxed) frame. `widget://<id>/` (the root) is the
//! page each frame opens: it loads the widget's entry module and places its
//! custom element. Being at the root, the widget's relative URLs
//! (`fetch("data.json")`) resolve to its own files.

use tessera_registry::api::Widget;
use tessera_registry::client::ClientError;
use tessera_server_common::secrets::sha256_hex;

use super::catalogue::Catalogue;

/// Path of the generated host page inside every widget's scheme space: the root.
pub const FRAME_PAGE: &str = "";
/// Path of the widget SDK (FDC3 `window.fdc3`) inside every widget's scheme space.
pub const SDK_PATH: &str = "__tessera/sdk.js";

/// A request, independent of the webview library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeRequest {
    pub method: String,
    pub uri: String,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl SchemeRequest {
    pub fn get(uri: &str) -> Self {
        SchemeRequest {
            method: "GET".into(),
            uri: uri.into(),
            content_type: None,
            body: Vec::new(),
        }
    }
}

/// A response, independent of the webview library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeResponse {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

impl SchemeResponse {
    fn ok(content_type: &str, body: Vec<u8>) -> Self {
        Self {
            status: 200,
            content_type: content_type.to_owned(),
            body,
        }
    }

    fn error(status: u16, message: impl Into<String>) -> Self {
        Self {
            status,
            content_type: "text/plain; charset=utf-8".to_owned(),
            body: message.into().into_bytes(),
        }
    }
}

/// Splits a scheme URI into (widget id, file path). Accepts `widget://<id>/<path>`
/// (Linux, macOS) and `http://widget.localhost/<id>/<path>` (Windows).
pub fn parse_uri(uri: &str) -> Result<(String, String), String> {
    let url = url::Url::parse(uri).map_err(|e| format!("{uri:?} is not a URL: {e}"))?;
    let host = url.host_str().unwrap_or_default();
    let mut segments: Vec<String> = url
        .path_segments()
        .map(|s| {
            s.map(|seg| {
                percent_encoding::percent_decode_str(seg)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .collect()
        })
        .unwrap_or_default();
    let id = if host == "localhost" || host == "widget.localhost" || host.is_empty() {
        if segments.is_empty() {
            return Err(format!("{uri:?} names no widget"));
        }
        segments.remove(0)
    } else {
        host.to_owned()
    };
    tessera_registry::api::validate_widget_id(&id).map_err(|e| e.to_string())?;
    Ok((id, segments.join("/")))
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The page a widget's frame opens: its entry module and its element.
pub fn frame_page(widget: &Widget) -> String {
    let tag = escape_html(&widget.tag);
    let entry = escape_html(&widget.entry);
    let title = escape_html(&widget.title);
    // A JavaScript string literal, safe inside <script>.
    let entry_js = serde_json::to_string(&widget.entry)
        .unwrap_or_else(|_| "\"\"".into())
        .replace('<', "\\u003c");
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
  html, body {{ margin: 0; height: 100%; }}
  /* The widget's element gets the panel's size without this page styling it
     (a page's rule on the element would beat the component's own :host): a
     grid cell stretches an element that sets no size of its own, and one
     that declares a size in its :host keeps it. */
  body {{ display: grid; grid-template: minmax(0, 1fr) / minmax(0, 1fr); overflow: auto;
    font-family: system-ui, sans-serif; color: var(--tessera-fg, #1f2937); background: var(--tessera-bg, #fff); }}
  .tessera-load-error {{ padding: 1rem; color: #b91c1c; }}
</style>
<script src="/{SDK_PATH}"></script>
<script>
  // The entry module did not load: say why, in the server's words (an
  // integrity failure names both hashes).
  function tesseraLoadFailed() {{
    const p = document.createElement('p');
    p.className = 'tessera-load-error';
    p.textContent = 'Could not load this widget\'s code (' + {entry_js} + ').';
    document.body.replaceChildren(p);
    fetch('/' + {entry_js}).then((r) => (r.ok ? null : r.text())).then((t) => {{
      if (t) p.textContent = 'This widget could not load: ' + t;
    }}).catch(() => {{}});
  }}
</script>
<script type="module" src="/{entry}" onerror="tesseraLoadFailed()"></script>
</head>
<body><{tag}></{tag}></body>
</html>
"#
    )
}

pub use tessera_registry::api::content_type;

enum Fetched {
    Ok(Vec<u8>),
    Mismatch { expected: String, actual: String },
}

async fn fetch_checked(
    catalogue: &Catalogue,
    widget: &Widget,
    path: &str,
) -> Result<Fetched, SchemeResponse> {
    let Some(expected) = widget.files.get(path) else {
        return Err(SchemeResponse::error(
            404,
            format!("{path:?} is not among the files {} registered", widget.id),
        ));
    };
    let body = catalogue
        .client()
        .widget_file(&widget.id, path)
        .await
        .map_err(|e| match &e {
            ClientError::Refused { status: 401, .. } => SchemeResponse::error(
                401,
                "the server loads widgets for signed-in users only; sign in (a user token) and reload",
            ),
            // The server's own words (an integrity failure names both hashes).
            ClientError::Refused { status, body } => SchemeResponse::error(*status, body.message.clone()),
            _ => SchemeResponse::error(502, format!("cannot fetch {path} of {}: {e}", widget.id)),
        })?;
    let actual = sha256_hex(&body);
    Ok(if &actual == expected {
        Fetched::Ok(body)
    } else {
        Fetched::Mismatch {
            expected: expected.clone(),
            actual,
        }
    })
}

fn catalogue_error(id: &str, e: ClientError) -> SchemeResponse {
    match e.status() {
        Some(s) if s.as_u16() == 404 => {
            SchemeResponse::error(404, format!("widget {id} is not registered"))
        }
        _ => SchemeResponse::error(502, format!("cannot look up widget {id}: {e}")),
    }
}

/// `api/*` of a widget with a backend: through the server, which forwards
/// it to the widget's sidecar with the user's name (live data, not files,
/// so no integrity check).
async fn forward_api(
    catalogue: &Catalogue,
    http: &reqwest::Client,
    widget: &Widget,
    path: &str,
    req: &SchemeRequest,
) -> SchemeResponse {
    let query = url::Url::parse(&req.uri)
        .ok()
        .and_then(|u| u.query().map(str::to_owned));
    let rest = path.strip_prefix("api").unwrap_or_default();
    let mut url = catalogue.client().widget_url(&widget.id, "api", rest);
    url.set_query(query.as_deref());
    let Ok(method) = reqwest::Method::from_bytes(req.method.as_bytes()) else {
        return SchemeResponse::error(400, format!("unknown method {:?}", req.method));
    };
    let mut out = catalogue
        .client()
        .authorize(http.request(method, url))
        .body(req.body.clone());
    if let Some(ct) = &req.content_type {
        out = out.header(reqwest::header::CONTENT_TYPE, ct);
    }
    match out.send().await {
        Ok(resp) => {
            let status = resp.status().as_u16();
            let content_type = resp
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("application/octet-stream")
                .to_owned();
            match resp.bytes().await {
                Ok(body) => SchemeResponse {
                    status,
                    content_type,
                    body: body.to_vec(),
                },
                Err(e) => {
                    SchemeResponse::error(502, format!("reading {path} of {}: {e}", widget.id))
                }
            }
        }
        Err(e) => SchemeResponse::error(
            502,
            format!(
                "the server is unreachable for {} of {}: {e}",
                path, widget.id
            ),
        ),
    }
}

/// What every answer of the scheme carries: frames are sandboxed (an opaque
/// origin), so their module scripts load in CORS mode and their `api/`
/// requests are cross-origin.
pub const CORS_HEADERS: [(&str, &str); 4] = [
    ("Access-Control-Allow-Origin", "*"),
    (
        "Access-Control-Allow-Methods",
        "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
    ),
    ("Access-Control-Allow-Headers", "*"),
    ("Access-Control-Max-Age", "600"),
];

/// Answers one scheme request; `sdk` is the widget SDK script.
pub async fn respond(
    catalogue: &Catalogue,
    http: &reqwest::Client,
    req: &SchemeRequest,
    sdk: &[u8],
) -> SchemeResponse {
    // A CORS preflight: frames have an opaque origin, so a widget's JSON
    // POST (or any request beyond a simple one) to its `api/` is asked
    // about first. It is answered here, with [`CORS_HEADERS`]; the
    // request itself goes through as usual.
    if req.method == "OPTIONS" {
        return SchemeResponse {
            status: 204,
            content_type: "text/plain".into(),
            body: Vec::new(),
        };
    }
    let uri = req.uri.as_str();
    let (id, path) = match parse_uri(uri) {
        Ok(x) => x,
        Err(e) => return SchemeResponse::error(400, e),
    };
    let widget = match catalogue.widget(&id, false).await {
        Ok(w) => w,
        Err(e) => return catalogue_error(&id, e),
    };
    if path == FRAME_PAGE {
        return SchemeResponse::ok("text/html; charset=utf-8", frame_page(&widget).into_bytes());
    }
    if path == SDK_PATH {
        return SchemeResponse::ok("text/javascript; charset=utf-8", sdk.to_vec());
    }
    if widget.api && (path == "api" || path.starts_with("api/")) {
        return forward_api(catalogue, http, &widget, &path, req).await;
    }
    if req.method != "GET" && req.method != "HEAD" {
        return SchemeResponse::error(405, format!("{} serves files only to GET", widget.id));
    }
    let result = match fetch_checked(catalogue, &widget, &path).await {
        // The widget may have been re-registered with new files since we
        // cached it: look again once before calling it tampered.
        Ok(Fetched::Mismatch { .. }) | Err(SchemeResponse { status: 404, .. }) => {
            match catalogue.widget(&id, true).await {
                Ok(fresh) => fetch_checked(catalogue, &fresh, &path).await,
                Err(e) => return catalogue_error(&id, e),
            }
        }
        other => other,
    };
    match result {
        Ok(Fetched::Ok(body)) => SchemeResponse::ok(content_type(&path), body),
        Ok(Fetched::Mismatch { expected, actual }) => {
            tracing::warn!(widget = %id, %path, %expected, %actual, "integrity check failed");
            SchemeResponse::error(
                502,
                format!("{path} of {id} failed its integrity check: sha256 {actual}, registered {expected}"),
            )
        }
        Err(resp) => resp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_name_widget_and_path() {
        assert_eq!(
            parse_uri("widget://tessera.greeting/dist/a.js").unwrap(),
            ("tessera.greeting".into(), "dist/a.js".into())
        );
        assert_eq!(
            parse_uri("http://widget.localhost/tessera.greeting/greeting.js").unwrap(),
            ("tessera.greeting".into(), "greeting.js".into())
        );
        assert_eq!(
            parse_uri("widget://tessera.greeting/").unwrap().1,
            FRAME_PAGE
        );
        assert!(parse_uri("widget://NotAnId/x.js").is_err());
    }

    #[test]
    fn frame_page_loads_entry_and_places_element() {
        let w = Widget {
            id: "acme.clock".into(),
            app_id: "acme.clock".into(),
            title: "Clock <b>".into(),
            version: "1.0.0".into(),
            tag: "acme-clock".into(),
            entry: "dist/clock.js".into(),
            description: String::new(),
            icon: None,
            base_url: "http://127.0.0.1:1/".into(),
            files: Default::default(),
            interop: Default::default(),
            api: false,
            revision: 1,
            publisher: "acme".into(),
            instance: "i".into(),
            state: tessera_registry::api::WidgetState::Online,
            last_seen: chrono::Utc::now(),
            registered_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        };
        let page = frame_page(&w);
        assert!(page.contains(r#"<script type="module" src="/dist/clock.js""#));
        assert!(page.contains("<acme-clock></acme-clock>"));
        assert!(page.contains("Clock &lt;b&gt;"), "titles are escaped");
        // Issue 15: a rule of the page on the element overrode the
        // component's own :host (a 200 x 200 picker drew as a 12 px strip).
        assert!(
            !page.contains("acme-clock {"),
            "the page never styles the element"
        );
    }
}

/// The scheme against a real registry and a real file server on loopback.
#[cfg(test)]
mod served {
    use std::collections::BTreeMap;

    use tessera_registry::api::{Interop, WidgetRegistration};
    use tessera_registry::client::RegistryClient;
    use tessera_registry::http::AppState;

    use super::*;

    const SDK: &[u8] = b"window.fdc3 = {};";

    struct World {
        catalogue: Catalogue,
        http: reqwest::Client,
        files: tempfile::TempDir,
        _db: tempfile::TempDir,
    }

    async fn serve_on_loopback(router: axum::Router) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await });
        format!("http://{addr}/")
    }

    async fn world() -> World {
        let db = tempfile::tempdir().unwrap();
        let store = tessera_registry::store::connect(&format!(
            "sqlite://{}",
            db.path().join("r.db").display()
        ))
        .await
        .unwrap();
        store.create_publisher("acme").await.unwrap();
        let token = tessera_registry::auth::add_token(&store, Some("acme"), false, "test")
            .await
            .unwrap();
        let accounts = tessera_accounts::store::connect(&format!(
            "sqlite://{}",
            db.path().join("r.db").display()
        ))
        .await
        .unwrap();
        let user_token_file = db.path().join("user.token");
        tessera_accounts::ensure_local_user(&*accounts, &user_token_file)
            .await
            .unwrap();
        let user_token = std::fs::read_to_string(&user_token_file)
            .unwrap()
            .trim()
            .to_owned();
        let state = AppState::new(store, tessera_registry::config::ServerConfig::default())
            .await
            .unwrap()
            .with_accounts(tessera_accounts::Accounts::new(accounts));
        let registry = serve_on_loopback(tessera_server::router(state)).await;

        let files = tempfile::tempdir().unwrap();
        std::fs::write(
            files.path().join("a.js"),
            "customElements.define('acme-a', class extends HTMLElement {})",
        )
        .unwrap();
        std::fs::write(files.path().join("extra.js"), "// not registered").unwrap();
        let sidecar = serve_on_loopback(
            axum::Router::new()
                .route(
                    "/api/echo",
                    axum::routing::post(
                        |headers: axum::http::HeaderMap, body: String| async move {
                            let user = headers
                                .get("x-tessera-user")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("nobody")
                                .to_owned();
                            format!("backend got {body} from {user}")
                        },
                    ),
                )
                .fallback_service(tower_http::services::ServeDir::new(files.path())),
        )
        .await;

        let client = RegistryClient::new(&registry).unwrap().with_token(token);
        let mut manifest = BTreeMap::new();
        manifest.insert(
            "a.js".to_owned(),
            sha256_hex(&std::fs::read(files.path().join("a.js")).unwrap()),
        );
        client
            .register(&WidgetRegistration {
                id: "acme.a".into(),
                title: "A".into(),
                version: "1.0.0".into(),
                tag: "acme-a".into(),
                entry: "a.js".into(),
                description: String::new(),
                icon: None,
                base_url: sidecar,
                files: manifest,
                interop: Interop::default(),
                api: true,
                key: None,
                app_id: None,
            })
            .await
            .unwrap();
        World {
            catalogue: Catalogue::new(
                RegistryClient::new(&registry)
                    .unwrap()
                    .with_token(user_token),
            ),
            http: reqwest::Client::new(),
            files,
            _db: db,
        }
    }

    #[tokio::test]
    async fn serves_the_frame_page_and_checked_files() {
        let w = world().await;
        let page = respond(
            &w.catalogue,
            &w.http,
            &SchemeRequest::get("widget://acme.a/"),
            SDK,
        )
        .await;
        assert_eq!(page.status, 200);
        assert!(String::from_utf8(page.body)
            .unwrap()
            .contains("<acme-a></acme-a>"));

        let file = respond(
            &w.catalogue,
            &w.http,
            &SchemeRequest::get("widget://acme.a/a.js"),
            SDK,
        )
        .await;
        assert_eq!(file.status, 200, "{}", String::from_utf8_lossy(&file.body));
        assert_eq!(file.content_type, "text/javascript; charset=utf-8");
        assert_eq!(
            file.body,
            std::fs::read(w.files.path().join("a.js")).unwrap()
        );
    }

    #[tokio::test]
    async fn a_changed_file_fails_its_integrity_check() {
        let w = world().await;
        std::fs::write(w.files.path().join("a.js"), "alert('tampered')").unwrap();
        let r = respond(
            &w.catalogue,
            &w.http,
            &SchemeRequest::get("widget://acme.a/a.js"),
            SDK,
        )
        .await;
        assert_eq!(r.status, 502);
        let msg = String::from_utf8(r.body).unwrap();
        assert!(msg.contains("integrity check"), "{msg}");
        assert!(
            !msg.contains("tampered"),
            "the refused content is not passed on"
        );
    }

    #[tokio::test]
    async fn api_calls_reach_the_widgets_own_sidecar() {
        let w = world().await;
        let req = SchemeRequest {
            method: "POST".into(),
            uri: "widget://acme.a/api/echo".into(),
            content_type: Some("text/plain".into()),
            body: b"42".to_vec(),
        };
        let r = respond(&w.catalogue, &w.http, &req, SDK).await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        assert_eq!(
            r.body, b"backend got 42 from local",
            "through the server, which names the signed-in user"
        );
        let mut post_file = req.clone();
        post_file.uri = "widget://acme.a/a.js".into();
        assert_eq!(
            respond(&w.catalogue, &w.http, &post_file, SDK).await.status,
            405,
            "files are GET only"
        );
    }

    /// A widget's JSON POST is preceded by a CORS preflight (the frame's
    /// origin is opaque): answered here, not forwarded to the backend, which
    /// would refuse an OPTIONS it does not route.
    #[tokio::test]
    async fn a_cors_preflight_is_answered_without_the_backend() {
        let w = world().await;
        let preflight = SchemeRequest {
            method: "OPTIONS".into(),
            uri: "widget://acme.a/api/echo".into(),
            content_type: None,
            body: Vec::new(),
        };
        let r = respond(&w.catalogue, &w.http, &preflight, SDK).await;
        assert_eq!(r.status, 204);
        assert!(r.body.is_empty());
        let allowed: Vec<&str> = CORS_HEADERS.iter().map(|(n, _)| *n).collect();
        assert!(allowed.contains(&"Access-Control-Allow-Methods"));
        assert!(CORS_HEADERS
            .iter()
            .any(|(n, v)| *n == "Access-Control-Allow-Methods" && v.contains("POST")));
    }

    #[tokio::test]
    async fn only_registered_files_and_widgets_are_served() {
        let w = world().await;
        let r = respond(
            &w.catalogue,
            &w.http,
            &SchemeRequest::get("widget://acme.a/extra.js"),
            SDK,
        )
        .await;
        assert_eq!(
            r.status, 404,
            "a file the sidecar serves but did not register"
        );
        let r = respond(
            &w.catalogue,
            &w.http,
            &SchemeRequest::get("widget://acme.nope/"),
            SDK,
        )
        .await;
        assert_eq!(r.status, 404);
        let r = respond(
            &w.catalogue,
            &w.http,
            &SchemeRequest::get("widget://Bad_Id/"),
            SDK,
        )
        .await;
        assert_eq!(r.status, 400);
    }
}
