//! The HTTP surface: one `router` function, one JSON error envelope.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use chrono::Utc;
use serde::Deserialize;
use tessera_server_common::extract::bearer;
use tessera_server_common::task::AbortOnDrop;

use crate::api::{
    self, ErrorBody, FieldError, Heartbeat, HeartbeatSchedule, Registered, Widget, WidgetEvent,
    WidgetList, WidgetRegistration, WidgetState,
};
use crate::appd;
use crate::auth::{AuthError, Authenticator};
use crate::config::ServerConfig;
use crate::extract::{JsonBody, PathId, QueryParams};
use crate::hub::Hub;
use crate::liveness::Liveness;
use crate::metrics::Metrics;
use crate::store::{DynStore, StoreError, TokenGrant};
use tessera_server_common::ratelimit::RateLimits;

/// Largest request body the server reads (a registration with its file manifest).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Everything the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub store: DynStore,
    pub hub: Arc<Hub>,
    pub liveness: Arc<Liveness>,
    pub auth: Arc<Authenticator>,
    pub metrics: Arc<Metrics>,
    pub config: Arc<ServerConfig>,
    /// Rate limits shared by every route (the accounts' and layouts' too).
    pub limits: Arc<RateLimits>,
    /// The accounts, which sign users in to the gateway (`None`: a server
    /// without users, whose gateway refuses everyone).
    pub accounts: Option<tessera_accounts::Accounts>,
    /// Widget files and APIs through the server (the file cache, the client to sidecars).
    pub gateway: Arc<crate::gateway::Gateway>,
}

impl AppState {
    pub async fn new(store: DynStore, config: ServerConfig) -> anyhow::Result<AppState> {
        let hub = Hub::new(store.clone()).await?;
        // Start from what is online now; later changes arrive through the hub.
        let liveness = Liveness::new(store.clone(), config.clone());
        for w in store.list().await? {
            liveness.apply(&WidgetEvent {
                id: 0,
                kind: api::EventKind::Added,
                widget_id: w.id.clone(),
                widget: Some(w),
                at: Utc::now(),
            });
        }
        let limits = Arc::new(RateLimits::new(config.rate_limit_per_sec));
        let gateway =
            crate::gateway::Gateway::new(config.file_cache_dir.as_deref(), config.file_cache_bytes)
                .map_err(|e| anyhow::anyhow!("opening the widget file cache: {e}"))?;
        Ok(AppState {
            gateway: Arc::new(gateway),
            auth: Arc::new(Authenticator::new(store.clone(), limits.clone())),
            limits,
            store,
            hub,
            liveness,
            metrics: Arc::new(Metrics::new()),
            config: Arc::new(config),
            accounts: None,
        })
    }

    /// The accounts whose users sign in to the gateway; they are charged
    /// to this server's rate limits.
    pub fn with_accounts(mut self, accounts: tessera_accounts::Accounts) -> AppState {
        accounts.share_rate_limits(self.limits.clone());
        self.accounts = Some(accounts);
        self
    }

    /// Starts the event pump, the liveness loop and (on Postgres) the
    /// listener for other replicas; they stop when the guard is dropped.
    pub fn spawn_background(&self) -> Background {
        let tasks = vec![
            AbortOnDrop(tokio::spawn(self.hub.clone().run())),
            AbortOnDrop(tokio::spawn(self.liveness.clone().run(self.hub.clone()))),
        ];
        Background { _tasks: tasks }
    }
}

/// Background tasks of one server; aborted on drop.
pub struct Background {
    _tasks: Vec<AbortOnDrop>,
}

/// The registry's routes (widgets, their files and APIs through the
/// gateway, the App Directory, health, metrics, the status page), with its
/// body limit and the "no such route" fallback. The server
/// (`tessera-server`) mounts the layouts routes beside them and wraps the
/// whole in its layers.
pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/", get(status_page))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/v1/widgets", get(list_widgets).post(register_widget))
        .route("/v1/widgets/watch", get(watch))
        .route(
            "/v1/widgets/{id}",
            get(get_widget).delete(deregister_widget),
        )
        .route("/v1/widgets/{id}/heartbeat", post(heartbeat))
        .route(
            "/v1/widgets/{id}/files/{*path}",
            get(crate::gateway::widget_file),
        )
        .route("/v1/widgets/{id}/api", any(crate::gateway::forward_api))
        .route(
            "/v1/widgets/{id}/api/{*rest}",
            any(crate::gateway::forward_api),
        )
        .route("/v2/apps", get(appd_all))
        .route("/v2/apps/{app_id}", get(appd_one))
        .fallback(|| async { ApiError::NotFound("no such route".into()) })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// The server's one error type (and envelope), from `tessera-server-common`.
pub use tessera_server_common::ApiError;

/// A rule a request broke: 422 `invalid_field`, naming the field.
impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::Invalid {
            message: format!("{}: {}", e.field, e.message),
            field: e.field,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(what) => ApiError::NotFound(format!("{what} not found")),
            StoreError::Conflict(msg) => ApiError::Conflict(msg),
            other => {
                tracing::error!(error = %other, "storage failed");
                ApiError::Internal
            }
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::Missing => ApiError::Unauthorized(
                "send the publisher token as 'Authorization: Bearer <token>'".into(),
            ),
            AuthError::Unknown => ApiError::Unauthorized("the token is not recognised".into()),
            AuthError::RateLimited { retry_after } => ApiError::RateLimited(retry_after),
            AuthError::Store(e) => e.into(),
        }
    }
}

/// The caller's token, resolved to what it grants (401 when absent or unknown, 429 over the limit).
pub struct Caller(pub TokenGrant);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers);
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(Caller(state.auth.check(token, addr).await?))
    }
}

impl Caller {
    /// Only the publisher named in the id may change it.
    fn must_own(&self, widget_id: &str) -> Result<(), ApiError> {
        let publisher = api::publisher_of(widget_id);
        match &self.0.publisher {
            Some(p) if p == publisher => Ok(()),
            Some(p) => Err(ApiError::Forbidden(format!(
                "the token of publisher {p:?} may not change {widget_id:?}, which belongs to {publisher:?}"
            ))),
            None => Err(ApiError::Forbidden("this token belongs to no publisher".into())),
        }
    }
}

async fn readyz(State(state): State<AppState>) -> Result<&'static str, ApiError> {
    state.store.ping().await?;
    Ok("ready")
}

async fn metrics(State(state): State<AppState>) -> Result<Response, ApiError> {
    let widgets = state.store.list().await?;
    let online = widgets
        .iter()
        .filter(|w| w.state == WidgetState::Online)
        .count();
    state
        .metrics
        .widgets
        .with_label_values(&["online"])
        .set(online as i64);
    state
        .metrics
        .widgets
        .with_label_values(&["offline"])
        .set((widgets.len() - online) as i64);
    state.metrics.watchers.set(state.hub.watchers());
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response())
}

/// The status page: open on loopback, admin token elsewhere.
async fn status_page(
    State(state): State<AppState>,
    connect: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
) -> Result<Html<String>, ApiError> {
    let loopback = connect
        .as_ref()
        .is_some_and(|axum::Extension(ConnectInfo(addr))| addr.ip().is_loopback());
    if !loopback {
        let addr = connect.map(|axum::Extension(ConnectInfo(a))| a.ip());
        let grant = state.auth.check(bearer(&headers), addr).await?;
        if !grant.admin {
            return Err(ApiError::Forbidden(
                "the status page needs an admin token off loopback".into(),
            ));
        }
    }
    let widgets = state.store.list().await?;
    let engine = if state.store.notify_url().is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    Ok(Html(crate::status_page::render(
        &widgets,
        state.hub.watchers(),
        engine,
    )))
}

#[utoipa::path(get, path = "/v1/widgets", tag = "widgets",
    responses((status = 200, description = "Every registered widget, by id", body = WidgetList)))]
pub(crate) async fn list_widgets(State(state): State<AppState>) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let body = state
        .hub
        .list_cache
        .get_or_build(move || {
            let store = store.clone();
            async move {
                // The event id first: a change racing the list is then replayed, not lost.
                let (_, last_event_id) = store.event_bounds().await?;
                let widgets = store.list().await?;
                let json = serde_json::to_vec(&WidgetList {
                    widgets,
                    last_event_id,
                })
                .map_err(|e| {
                    tracing::error!(error = %e, "serialising the catalogue");
                    ApiError::Internal
                })?;
                Ok::<_, ApiError>(axum::body::Bytes::from(json))
            }
        })
        .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

#[utoipa::path(get, path = "/v1/widgets/{id}", tag = "widgets",
    params(("id" = String, Path, description = "Widget id, <publisher>.<name>")),
    responses((status = 200, body = Widget), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_widget(
    State(state): State<AppState>,
    PathId(id): PathId,
) -> Result<Json<Widget>, ApiError> {
    Ok(Json(state.store.get(&id).await?))
}

#[utoipa::path(post, path = "/v1/widgets", tag = "widgets", request_body = WidgetRegistration,
    security(("publisher_token" = [])),
    responses(
        (status = 201, description = "First registration", body = Registered),
        (status = 200, description = "Re-registration: a new revision", body = Registered),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "The tag belongs to another widget", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(crate) async fn register_widget(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(reg): JsonBody<WidgetRegistration>,
) -> Result<(StatusCode, Json<Registered>), ApiError> {
    reg.validate().map_err(ApiError::from)?;
    caller.must_own(&reg.id)?;
    if let Some(key) = &reg.key {
        // The server is the sidecar's only client: make sure it can be one.
        state
            .gateway
            .probe(&reg.base_url, key, &reg.id)
            .await
            .map_err(|e| {
                ApiError::from(FieldError::new(
                    "base_url",
                    format!(
                        "the server cannot reach the sidecar at {}: {e}",
                        reg.base_url
                    ),
                ))
            })?;
    }
    let instance = tessera_server_common::secrets::new_secret("i_");
    let event = state.store.register(&reg, &instance, Utc::now()).await?;
    // Read your writes: a list right after this sees the change.
    state.hub.list_cache.invalidate();
    state.liveness.apply(&event);
    state.hub.poke();
    let widget = event.widget.expect("register events carry the widget");
    tracing::info!(widget = %widget.id, revision = widget.revision, base_url = %widget.base_url, "widget registered");
    let status = if event.kind == api::EventKind::Added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(Registered {
            widget,
            instance,
            heartbeat: state.config.schedule(),
        }),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub(crate) struct DeregisterQuery {
    /// Only remove the entry if this instance still holds it.
    instance: Option<String>,
}

#[utoipa::path(delete, path = "/v1/widgets/{id}", tag = "widgets",
    params(("id" = String, Path), DeregisterQuery), security(("publisher_token" = [])),
    responses((status = 204, description = "Gone (also when it was not there)"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn deregister_widget(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    QueryParams(q): QueryParams<DeregisterQuery>,
) -> Result<StatusCode, ApiError> {
    if !caller.0.admin {
        caller.must_own(&id)?;
    }
    if let Some(event) = state
        .store
        .deregister(&id, q.instance.as_deref(), Utc::now())
        .await?
    {
        state.hub.list_cache.invalidate();
        state.liveness.apply(&event);
        state.hub.poke();
        tracing::info!(widget = %id, "widget deregistered");
    }
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/v1/widgets/{id}/heartbeat", tag = "widgets", request_body = Heartbeat,
    params(("id" = String, Path)), security(("publisher_token" = [])),
    responses((status = 200, description = "Alive; the schedule to keep", body = HeartbeatSchedule),
        (status = 400, description = "The body is not the JSON expected (or is not sent as application/json)", body = ErrorBody),
        (status = 404, description = "Unknown widget or instance: register again", body = ErrorBody),
        (status = 413, description = "The body is larger than the limit", body = ErrorBody),
        (status = 422, description = "The instance id cannot be stored (U+0000); `field` names it", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(crate) async fn heartbeat(
    State(state): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    JsonBody(beat): JsonBody<Heartbeat>,
) -> Result<Json<HeartbeatSchedule>, ApiError> {
    caller.must_own(&id)?;
    if state.liveness.beat(&id, &beat.instance).await? {
        state.metrics.heartbeats.inc();
        Ok(Json(state.config.schedule()))
    } else {
        Err(ApiError::NotFound(format!(
            "widget {id:?} has no live instance {:?}; register again",
            beat.instance
        )))
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub(crate) struct WatchQuery {
    /// Resume after this event id (same as the `Last-Event-ID` header).
    since: Option<i64>,
}

fn sse_event(e: &WidgetEvent) -> Event {
    Event::default()
        .id(e.id.to_string())
        .event(e.kind.as_str())
        .json_data(e)
        .expect("events serialise")
}

fn relist_event(at: i64) -> Event {
    Event::default()
        .id(at.to_string())
        .event("relist")
        .data(r#"{"reason":"the events after your Last-Event-ID are no longer kept; list again"}"#)
}

#[utoipa::path(get, path = "/v1/widgets/watch", tag = "widgets", params(WatchQuery,
        ("Last-Event-ID" = Option<i64>, Header, description = "Resume after this event id")),
    responses((status = 200, description = "Server-Sent Events: added, updated, offline, removed (data: WidgetEvent) and relist", content_type = "text/event-stream")))]
pub(crate) async fn watch(
    State(state): State<AppState>,
    QueryParams(q): QueryParams<WatchQuery>,
    headers: HeaderMap,
) -> Result<Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let since = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(q.since);
    // Subscribe before reading history, so nothing falls between the two.
    let mut rx = state.hub.subscribe();
    let (oldest, newest) = state.store.event_bounds().await?;
    let hub = state.hub.clone();
    let store = state.store.clone();
    let stream = async_stream::stream! {
        let _guard = hub.watcher_guard();
        let mut last = match since {
            // History is gone (or the id is from another database): start over.
            Some(s) if s > newest || (oldest > 0 && s < oldest - 1) => {
                yield Ok(relist_event(newest));
                newest
            }
            Some(s) => s,
            None => newest,
        };
        loop {
            // Catch up from the database (history, or after falling behind).
            loop {
                match store.events_after(last, 500).await {
                    Ok(page) if !page.is_empty() => {
                        for e in &page {
                            last = e.id;
                            yield Ok(sse_event(e));
                        }
                    }
                    Ok(_) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, "watch catch-up failed");
                        return;
                    }
                }
            }
            loop {
                match rx.recv().await {
                    Ok(e) if e.id <= last => continue,
                    Ok(e) if e.id == last + 1 || last == 0 => {
                        last = e.id;
                        yield Ok(sse_event(&e));
                    }
                    // A gap: fill it from the database.
                    Ok(_) => break,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => break,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                }
            }
        }
    };
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

#[utoipa::path(get, path = "/v2/apps", tag = "fdc3",
    responses((status = 200, description = "FDC3 2.2 App Directory: all applications", body = appd::AllApplicationsResponse)))]
pub(crate) async fn appd_all(
    State(state): State<AppState>,
) -> Result<Json<appd::AllApplicationsResponse>, ApiError> {
    Ok(Json(appd::all(&state.store.list().await?)))
}

#[utoipa::path(get, path = "/v2/apps/{appId}", tag = "fdc3",
    params(("appId" = String, Path)),
    responses((status = 200, description = "FDC3 2.2 Application record", body = Object), (status = 404, body = ErrorBody)))]
pub(crate) async fn appd_one(
    State(state): State<AppState>,
    PathId(app_id): PathId,
) -> Result<Json<serde_json::Value>, ApiError> {
    // By FDC3 appId (a widget's app_id, or its id when it names none).
    let widgets = state.store.list().await?;
    let w = widgets
        .iter()
        .find(|w| w.fdc3_app_id() == app_id)
        .or_else(|| widgets.iter().find(|w| w.id == app_id))
        .ok_or_else(|| ApiError::NotFound(format!("application {app_id:?} not found")))?;
    Ok(Json(appd::application(w)))
}
