//! Handlers for sharing and the audit log.

use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;

use super::{layout_id, ApiError, CurrentUser, JsonBody, QueryParams};
use crate::api::{AuditLog, Sharing};
use crate::service::LayoutsState;

#[derive(Deserialize)]
pub(super) struct Page {
    before: Option<i64>,
    limit: Option<i64>,
}

pub(super) async fn get(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Sharing>, ApiError> {
    Ok(Json(state.sharing(&user, &layout_id(id)?).await?))
}

pub(super) async fn put(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<Sharing>,
) -> Result<Json<Sharing>, ApiError> {
    Ok(Json(state.set_sharing(&user, &layout_id(id)?, req).await?))
}

pub(super) async fn audit(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    QueryParams(page): QueryParams<Page>,
) -> Result<Json<AuditLog>, ApiError> {
    Ok(Json(
        state
            .layout_audit(&user, &layout_id(id)?, page.before, page.limit)
            .await?,
    ))
}

pub(super) async fn audit_all(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    QueryParams(page): QueryParams<Page>,
) -> Result<Json<AuditLog>, ApiError> {
    Ok(Json(state.audit(&user, page.before, page.limit).await?))
}
