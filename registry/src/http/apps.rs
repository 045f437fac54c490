//! The FDC3 App Directory (`/v2/apps`): the catalogue as FDC3 application records.

use axum::extract::State;
use axum::Json;

use super::{ApiError, AppState};
use crate::api::ErrorBody;
use crate::appd;
use crate::extract::PathId;

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
