//! Handlers for sharing and the audit log.

use super::docs::{
    ADMINS_ONLY, BAD_JSON, BAD_QUERY, IN_THE_BIN, NOT_FOUND, OWNER_ONLY, TOO_LARGE, UNAUTHORIZED,
};
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;

use super::{layout_id, ApiError, CurrentUser, JsonBody, QueryParams};
use crate::api::{AuditLog, ErrorBody, Sharing};
use crate::service::LayoutsState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct Page {
    /// Only records below this id (the last `id` of the previous page).
    before: Option<i64>,
    /// 1 to 500; 100 by default.
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/v1/layouts/{id}/sharing", operation_id = "get_sharing", tag = "layouts",
    security(("user_token" = [])), params(("id" = String, Path, description = "Layout id")),
    responses(
        (status = 200, description = "Who the layout is shared with", body = Sharing),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 404, description = NOT_FOUND, body = ErrorBody),
        (status = 410, description = IN_THE_BIN, body = ErrorBody)))]
pub(super) async fn get(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Sharing>, ApiError> {
    Ok(Json(state.sharing(&user, &layout_id(id)?).await?))
}

#[utoipa::path(put, path = "/v1/layouts/{id}/sharing", operation_id = "set_sharing", tag = "layouts",
    security(("user_token" = [])), params(("id" = String, Path, description = "Layout id")),
    request_body(content = Sharing, description = "The whole sharing state: replaces the current one"),
    responses(
        (status = 200, description = "The sharing state now", body = Sharing),
        (status = 400, description = BAD_JSON, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = OWNER_ONLY, body = ErrorBody),
        (status = 404, description = NOT_FOUND, body = ErrorBody),
        (status = 410, description = IN_THE_BIN, body = ErrorBody),
        (status = 413, description = TOO_LARGE, body = ErrorBody),
        (status = 422, description = "An unknown user or group, or a grant not allowed; `field` names it", body = ErrorBody)))]
pub(super) async fn put(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<Sharing>,
) -> Result<Json<Sharing>, ApiError> {
    Ok(Json(state.set_sharing(&user, &layout_id(id)?, req).await?))
}

#[utoipa::path(get, path = "/v1/layouts/{id}/audit", operation_id = "layout_audit_log", tag = "layouts",
    security(("user_token" = [])), params(("id" = String, Path, description = "Layout id"), Page),
    responses(
        (status = 200, description = "The layout's audit log, newest first", body = AuditLog),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = OWNER_ONLY, body = ErrorBody),
        (status = 404, description = NOT_FOUND, body = ErrorBody),
        (status = 410, description = IN_THE_BIN, body = ErrorBody),
        (status = 422, description = BAD_QUERY, body = ErrorBody)))]
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

#[utoipa::path(get, path = "/v1/layouts/audit", operation_id = "audit_log", tag = "layouts",
    security(("user_token" = [])), params(Page),
    responses(
        (status = 200, description = "The whole audit log, newest first", body = AuditLog),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = ADMINS_ONLY, body = ErrorBody),
        (status = 422, description = BAD_QUERY, body = ErrorBody)))]
pub(super) async fn audit_all(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    QueryParams(page): QueryParams<Page>,
) -> Result<Json<AuditLog>, ApiError> {
    Ok(Json(state.audit(&user, page.before, page.limit).await?))
}
