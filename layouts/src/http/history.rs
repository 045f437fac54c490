//! Handlers for history: list versions, fetch one, diff two, restore one.

use super::docs::{
    BAD_DOCUMENT, BAD_JSON, BAD_QUERY, IN_THE_BIN, NOT_FOUND, STALE, TOO_LARGE, UNAUTHORIZED,
    VERSION_NOT_FOUND, VIEW_ONLY,
};
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;

use super::{layout_id, ApiError, CurrentUser, JsonBody, QueryParams};
use crate::api::{ErrorBody, LayoutVersion, RestoreVersion, Saved, VersionDiff, VersionList};
use crate::service::LayoutsState;
use crate::LayoutsError;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct Page {
    /// Only versions below this one (the last `version` of the previous page).
    before: Option<i64>,
    /// 1 to 500; 100 by default.
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct DiffQuery {
    /// The older version.
    from: i64,
    /// The newer version.
    to: i64,
}

/// A version number from the path; anything else names no version.
fn version_number(id: &str, v: &str) -> Result<i64, ApiError> {
    v.parse::<i64>()
        .ok()
        .filter(|v| *v >= 1)
        .ok_or_else(|| LayoutsError::NotFound(format!("version {v:?} of layout {id:?}")).into())
}

#[utoipa::path(get, path = "/v1/layouts/{id}/versions", operation_id = "list_versions", tag = "layouts",
    security(("user_token" = [])), params(("id" = String, Path, description = "Layout id"), Page),
    responses(
        (status = 200, description = "The history, newest first", body = VersionList),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 404, description = NOT_FOUND, body = ErrorBody),
        (status = 410, description = IN_THE_BIN, body = ErrorBody),
        (status = 422, description = BAD_QUERY, body = ErrorBody)))]
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

#[utoipa::path(get, path = "/v1/layouts/{id}/versions/{version}", operation_id = "get_version", tag = "layouts",
    security(("user_token" = [])),
    params(("id" = String, Path, description = "Layout id"), ("version" = i64, Path, description = "Version number, from 1")),
    responses(
        (status = 200, description = "One version and its document", body = LayoutVersion),
        (status = 404, description = VERSION_NOT_FOUND, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 410, description = IN_THE_BIN, body = ErrorBody)))]
pub(super) async fn get(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path((id, version)): Path<(String, String)>,
) -> Result<Json<LayoutVersion>, ApiError> {
    let id = layout_id(id)?;
    let v = version_number(&id, &version)?;
    Ok(Json(state.version(&user, &id, v).await?))
}

#[utoipa::path(get, path = "/v1/layouts/{id}/diff", operation_id = "diff_versions", tag = "layouts",
    security(("user_token" = [])), params(("id" = String, Path, description = "Layout id"), DiffQuery),
    responses(
        (status = 200, description = "Panels added, removed, moved, retitled, relinked and restated from `from` to `to`", body = VersionDiff),
        (status = 404, description = VERSION_NOT_FOUND, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 410, description = IN_THE_BIN, body = ErrorBody),
        (status = 422, description = BAD_QUERY, body = ErrorBody)))]
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

#[utoipa::path(post, path = "/v1/layouts/{id}/versions/{version}/restore", operation_id = "restore_version", tag = "layouts",
    security(("user_token" = [])),
    params(("id" = String, Path, description = "Layout id"), ("version" = i64, Path, description = "The version whose document to restore")),
    request_body = RestoreVersion,
    responses(
        (status = 200, description = "A new version holding the old one's document", body = Saved),
        (status = 404, description = VERSION_NOT_FOUND, body = ErrorBody),
        (status = 400, description = BAD_JSON, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = VIEW_ONLY, body = ErrorBody),
        (status = 409, description = STALE, body = ErrorBody),
        (status = 410, description = IN_THE_BIN, body = ErrorBody),
        (status = 413, description = TOO_LARGE, body = ErrorBody),
        (status = 422, description = BAD_DOCUMENT, body = ErrorBody)))]
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
