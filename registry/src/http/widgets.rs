//! The catalogue and its writes: list, read, register, deregister, heartbeat.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use serde::Deserialize;

use super::{ApiError, AppState, Caller};
use crate::api::{
    self, ErrorBody, FieldError, Heartbeat, HeartbeatSchedule, Registered, Widget, WidgetList,
    WidgetRegistration,
};
use crate::extract::{JsonBody, PathId, QueryParams};

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
