//! The HTTP surface: one `router` function, one JSON error envelope.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use crate::api::{ErrorBody, FieldError, Widget, WidgetList, WidgetRegistration};
use crate::store::{DynStore, StoreError};

/// Largest request body the server reads (a registration with its file manifest).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub store: DynStore,
}

/// Every route of the server.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/v1/widgets", get(list_widgets).post(register_widget))
        .route(
            "/v1/widgets/{id}",
            get(get_widget).delete(deregister_widget),
        )
        .fallback(|| async { ApiError::NotFound("no such route".into()) })
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Errors as the client sees them: a status and `{code, message, field?}`.
#[derive(Debug)]
pub enum ApiError {
    Invalid(FieldError),
    MalformedJson(String),
    PayloadTooLarge,
    NotFound(String),
    Conflict(String),
    Internal,
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(id) => {
                ApiError::NotFound(format!("widget {id:?} is not registered"))
            }
            StoreError::Conflict(msg) => ApiError::Conflict(msg),
            other => {
                tracing::error!(error = %other, "storage failed");
                ApiError::Internal
            }
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rej: JsonRejection) -> Self {
        if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return ApiError::PayloadTooLarge;
        }
        ApiError::MalformedJson(rej.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, field) = match self {
            ApiError::Invalid(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_field",
                format!("{}: {}", e.field, e.message),
                Some(e.field),
            ),
            ApiError::MalformedJson(m) => (StatusCode::BAD_REQUEST, "malformed_json", m, None),
            ApiError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("request body is larger than {MAX_BODY_BYTES} bytes"),
                None,
            ),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, "not_found", m, None),
            ApiError::Conflict(m) => (StatusCode::CONFLICT, "conflict", m, None),
            ApiError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error; see the server log".to_owned(),
                None,
            ),
        };
        let body = ErrorBody {
            code: code.to_owned(),
            message,
            field,
        };
        (status, Json(body)).into_response()
    }
}

async fn readyz(State(state): State<AppState>) -> Result<&'static str, ApiError> {
    state.store.ping().await?;
    Ok("ready")
}

async fn list_widgets(State(state): State<AppState>) -> Result<Json<WidgetList>, ApiError> {
    let widgets = state.store.list().await?;
    Ok(Json(WidgetList { widgets }))
}

async fn get_widget(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Widget>, ApiError> {
    Ok(Json(state.store.get(&id).await?))
}

async fn register_widget(
    State(state): State<AppState>,
    body: Result<Json<WidgetRegistration>, JsonRejection>,
) -> Result<(StatusCode, Json<Widget>), ApiError> {
    let Json(reg) = body?;
    reg.validate().map_err(ApiError::Invalid)?;
    let widget = state.store.upsert(&reg).await?;
    tracing::info!(widget = %widget.id, revision = widget.revision, base_url = %widget.base_url, "widget registered");
    let status = if widget.revision == 1 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(widget)))
}

async fn deregister_widget(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    match state.store.delete(&id).await {
        // Deregistration is idempotent: gone is gone.
        Ok(()) | Err(StoreError::NotFound(_)) => {
            tracing::info!(widget = %id, "widget deregistered");
            Ok(StatusCode::NO_CONTENT)
        }
        Err(e) => Err(e.into()),
    }
}
