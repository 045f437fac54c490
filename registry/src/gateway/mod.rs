//! The server as the one door (issue 11): a desktop asks the server for a
//! widget's files and calls its `/api`; the server reaches the widget's
//! sidecar over the cluster network with the sidecar's key. No desktop needs
//! a sidecar's address, and a sidecar answers nobody but the server.
//!
//! Files are checked against the registered sha256 and kept by hash
//! ([`cache::FileCache`]), so an unchanged file is fetched from its sidecar
//! once per replica, not once per user. `/api` calls pass through, streamed
//! both ways, with the signed-in user's name and groups in headers that only
//! the server sets.

pub mod cache;
pub(crate) mod forward;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::auth::sha256_hex;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path as UrlPath, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::api::{self, Widget, SIDECAR_KEY_HEADER};
use crate::http::{ApiError, AppState};
use crate::report::error_chain;

pub use forward::{end_to_end, forward_api};

/// Largest widget file the server fetches (a big wasm bundle fits).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// Default bound of the file cache.
pub const DEFAULT_CACHE_BYTES: u64 = 1024 * 1024 * 1024;

/// What the gateway needs to reach a widget: its entry and its sidecar's key.
pub(crate) struct Route {
    pub widget: Widget,
    pub key: Option<String>,
}

/// The HTTP client, the file cache and the widgets' routes the gateway
/// routes share.
pub struct Gateway {
    pub(crate) http: reqwest::Client,
    pub cache: cache::FileCache,
    /// Routes by widget id, valid for one generation of the catalogue (any
    /// registration, expiry or removal, on any replica, starts a new one).
    routes: RwLock<(u64, HashMap<String, Arc<Route>>)>,
}

impl Gateway {
    pub fn new(cache_dir: Option<&Path>, cache_bytes: u64) -> std::io::Result<Gateway> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(std::io::Error::other)?;
        Ok(Gateway {
            http,
            cache: cache::FileCache::open(cache_dir, cache_bytes)?,
            routes: RwLock::new((0, HashMap::new())),
        })
    }

    /// The widget's entry and key, from memory unless the catalogue changed.
    pub(crate) async fn route(&self, state: &AppState, id: &str) -> Result<Arc<Route>, ApiError> {
        let generation = state.hub.list_cache.generation();
        {
            let routes = self.routes.read().expect("gateway routes");
            if routes.0 == generation {
                if let Some(r) = routes.1.get(id) {
                    return Ok(r.clone());
                }
            }
        }
        let route = Arc::new(Route {
            widget: state.store.get(id).await?,
            key: state.store.sidecar_key(id).await?,
        });
        let mut routes = self.routes.write().expect("gateway routes");
        if routes.0 < generation {
            *routes = (generation, HashMap::new());
        }
        if routes.0 == generation {
            routes.1.insert(id.to_owned(), route.clone());
        }
        Ok(route)
    }

    /// Checks, at registration, that the server can reach the sidecar at
    /// `base_url` with `key` and that it serves `widget_id`.
    pub async fn probe(&self, base_url: &str, key: &str, widget_id: &str) -> Result<(), String> {
        let url = url::Url::parse(base_url)
            .and_then(|b| b.join("__tessera/ping"))
            .map_err(|e| e.to_string())?;
        let resp = self
            .http
            .get(url)
            .header(SIDECAR_KEY_HEADER, key)
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .map_err(|e| error_chain(&e))?;
        match resp.status().as_u16() {
            200 => {}
            401 | 403 => {
                return Err("the sidecar there refused this registration's key (is another sidecar at that address?)".into())
            }
            s => return Err(format!("it answered {s} to /__tessera/ping")),
        }
        let body: serde_json::Value = resp
            .json()
            .await
            .map_err(|e| format!("its /__tessera/ping answer is not JSON: {e}"))?;
        match body.get("widget").and_then(|w| w.as_str()) {
            Some(id) if id == widget_id => Ok(()),
            Some(other) => Err(format!(
                "the sidecar there serves {other:?}, not {widget_id:?}"
            )),
            None => Err("its /__tessera/ping answer names no widget".into()),
        }
    }
}

/// A signed-in user (a user token, as the layouts routes take), without
/// charging the per-user rate budget: a widget's files come in bursts.
pub struct SignedIn(pub tessera_accounts::User);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(accounts) = &state.accounts else {
            return Err(ApiError::Unauthorized("this server has no users".into()).into_response());
        };
        tessera_accounts::auth::authenticate(parts, accounts)
            .await
            .map(SignedIn)
            .map_err(IntoResponse::into_response)
    }
}

/// Why a file could not be fetched from its sidecar.
enum FetchError {
    Api(ApiError),
    Mismatch { expected: String, actual: String },
}

/// `GET /v1/widgets/{id}/files/{path}`: one of a widget's registered files,
/// checked against its sha256, from the cache or the widget's sidecar.
#[utoipa::path(get, path = "/v1/widgets/{id}/files/{path}", tag = "gateway",
    params(("id" = String, Path, description = "Widget id"),
        ("path" = String, Path, description = "A path the widget registered in its file manifest")),
    security(("user_token" = [])),
    responses(
        (status = 200, description = "The file; its sha256 is the ETag", content_type = "application/octet-stream"),
        (status = 401, body = api::ErrorBody),
        (status = 404, description = "No such widget, or the path is not in its manifest", body = api::ErrorBody),
        (status = 502, description = "The sidecar is unreachable, failed, or served a file whose sha256 differs from the registered one (both named; nothing cached)", body = api::ErrorBody)))]
pub(crate) async fn widget_file(
    State(state): State<AppState>,
    _user: SignedIn,
    UrlPath((id, path)): UrlPath<(String, String)>,
) -> Result<Response, ApiError> {
    let route = state.gateway.route(&state, &id).await?;
    let widget = &route.widget;
    let Some(expected) = widget.files.get(&path).cloned() else {
        return Err(ApiError::NotFound(format!(
            "{path:?} is not among the files {id} registered"
        )));
    };
    // A hit needs no fetch bookkeeping; a miss fetches once per hash.
    let mut from_sidecar = false;
    let fetched = match state.gateway.cache.get(&expected).await {
        Some(bytes) => Ok(bytes),
        None => {
            state
                .gateway
                .cache
                .fetch_once(&expected, || {
                    from_sidecar = true;
                    fetch_from_sidecar(&state, &route, &path, &expected)
                })
                .await
        }
    };
    let bytes = match fetched {
        Ok(b) => b,
        Err(FetchError::Api(e)) => return Err(e),
        Err(FetchError::Mismatch { expected, actual }) => {
            tracing::warn!(widget = %id, %path, %expected, %actual, "sidecar served a file that fails its integrity check");
            state
                .metrics
                .gateway_files
                .with_label_values(&["refused"])
                .inc();
            return Err(ApiError::BadGateway(format!(
                "{path} of {id} failed its integrity check: the sidecar served sha256 {actual}, registered {expected}; not cached"
            )));
        }
    };
    state
        .metrics
        .gateway_files
        .with_label_values(&[if from_sidecar { "fetched" } else { "cached" }])
        .inc();
    let mut resp = ([(header::CONTENT_TYPE, api::content_type(&path))], bytes).into_response();
    let headers = resp.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{expected}\"")) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    Ok(resp)
}

async fn fetch_from_sidecar(
    state: &AppState,
    route: &Route,
    path: &str,
    expected: &str,
) -> Result<Bytes, FetchError> {
    let widget = &route.widget;
    let bad = |m: String| FetchError::Api(ApiError::BadGateway(m));
    let mut url = url::Url::parse(&widget.base_url).map_err(|e| {
        bad(format!(
            "the registered address of {} is not a URL: {e}",
            widget.id
        ))
    })?;
    url.path_segments_mut()
        .map_err(|_| {
            bad(format!(
                "the registered address of {} takes no path",
                widget.id
            ))
        })?
        .pop_if_empty()
        .extend(path.split('/'));
    let key = &route.key;
    let mut req = state
        .gateway
        .http
        .get(url.clone())
        .timeout(Duration::from_secs(60));
    if let Some(key) = key {
        req = req.header(SIDECAR_KEY_HEADER, key);
    }
    let resp = req.send().await.map_err(|e| {
        bad(format!(
            "the sidecar of {} is unreachable at {}: {}",
            widget.id,
            widget.base_url,
            error_chain(&e)
        ))
    })?;
    if resp.status() != StatusCode::OK {
        return Err(bad(format!(
            "the sidecar of {} answered {} for {path}",
            widget.id,
            resp.status()
        )));
    }
    let bytes = tessera_server_common::capped::read_capped(resp, MAX_FILE_BYTES)
        .await
        .map_err(|e| {
            bad(format!(
                "reading {path} from the sidecar of {}: {e}",
                widget.id
            ))
        })?;
    state
        .metrics
        .gateway_sidecar_bytes
        .inc_by(bytes.len() as u64);
    let actual = sha256_hex(&bytes);
    if actual != expected {
        return Err(FetchError::Mismatch {
            expected: expected.to_owned(),
            actual,
        });
    }
    let bytes = Bytes::from(bytes);
    if let Err(e) = state.gateway.cache.put(expected, &bytes).await {
        tracing::warn!(error = %e, dir = %state.gateway.cache.dir().display(), "could not keep a widget file in the cache");
    }
    Ok(bytes)
}
