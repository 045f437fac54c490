//! Handlers for history: list versions, fetch one, diff two, restore one.

use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;

use super::{layout_id, ApiError, CurrentUser, JsonBody, QueryParams};
use crate::api::{LayoutVersion, RestoreVersion, Saved, VersionDiff, VersionList};
use crate::service::LayoutsState;
use crate::LayoutsError;

#[derive(Deserialize)]
pub(super) struct Page {
    before: Option<i64>,
    limit: Option<i64>,
}

#[derive(Deserialize)]
pub(super) struct DiffQuery {
    from: i64,
    to: i64,
}

/// A version number from the path; anything else names no version.
fn version_number(id: &str, v: &str) -> Result<i64, ApiError> {
    v.parse::<i64>()
        .ok()
        .filter(|v| *v >= 1)
        .ok_or_else(|| LayoutsError::NotFound(format!("version {v:?} of layout {id:?}")).into())
}

pub(super) async fn list(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    QueryParams(page): QueryParams<Page>,
) -> Result<Json<VersionList>, ApiError> {
    Ok(Json(
        state
            .versions(&user, &layout_id(id)?, page.before, page.limit)
            .await?,
    ))
}

pub(super) async fn get(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path((id, version)): Path<(String, String)>,
) -> Result<Json<LayoutVersion>, ApiError> {
    let id = layout_id(id)?;
    let v = version_number(&id, &version)?;
    Ok(Json(state.version(&user, &id, v).await?))
}

pub(super) async fn diff(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    QueryParams(q): QueryParams<DiffQuery>,
) -> Result<Json<VersionDiff>, ApiError> {
    Ok(Json(
        state.diff(&user, &layout_id(id)?, q.from, q.to).await?,
    ))
}

pub(super) async fn restore(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path((id, version)): Path<(String, String)>,
    JsonBody(req): JsonBody<RestoreVersion>,
) -> Result<Json<Saved>, ApiError> {
    let id = layout_id(id)?;
    let v = version_number(&id, &version)?;
    Ok(Json(state.restore_version(&user, &id, v, req).await?))
}
