//! Handlers for layouts as documents: list, create, import, read, save,
//! rename, delete, restore, clone, export.

use super::docs::{
    BAD_DOCUMENT, BAD_JSON, BAD_QUERY, IN_THE_BIN, NOT_FOUND, OWNER_ONLY, STALE, TOO_LARGE,
    UNAUTHORIZED, VIEW_ONLY,
};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use serde_json::value::RawValue;

use super::{layout_id, ApiError, CurrentUser, JsonBody, QueryParams};
use crate::api::{
    CloneLayout, CreateLayout, ErrorBody, ImportGoldenLayout, Layout, LayoutList, LayoutSummary,
    RenameLayout, SaveLayout, Saved,
};
use crate::service::{LayoutsState, ListParams};

#[utoipa::path(get, path = "/v1/layouts", operation_id = "list_layouts", tag = "layouts",
    security(("user_token" = [])), params(ListParams),
    responses(
        (status = 200, description = "Most recently saved first; `next_cursor` for the next page", body = LayoutList),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`scope=everything` is for admins", body = ErrorBody),
        (status = 422, description = BAD_QUERY, body = ErrorBody)))]
pub(super) async fn list(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    QueryParams(params): QueryParams<ListParams>,
) -> Result<Json<LayoutList>, ApiError> {
    Ok(Json(state.list(&user, &params).await?))
}

#[utoipa::path(post, path = "/v1/layouts", operation_id = "create_layout", tag = "layouts",
    security(("user_token" = [])), request_body = CreateLayout,
    responses(
        (status = 201, description = "Created: version 1, private", body = Layout),
        (status = 400, description = BAD_JSON, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 413, description = TOO_LARGE, body = ErrorBody),
        (status = 422, description = BAD_DOCUMENT, body = ErrorBody)))]
pub(super) async fn create(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    JsonBody(req): JsonBody<CreateLayout>,
) -> Result<(StatusCode, Json<Layout>), ApiError> {
    Ok((StatusCode::CREATED, Json(state.create(&user, req).await?)))
}

#[utoipa::path(post, path = "/v1/layouts/import/golden-layout", operation_id = "import_golden_layout", tag = "layouts",
    security(("user_token" = [])),
    request_body = ImportGoldenLayout,
    responses(
        (status = 201, description = "Imported as a new private layout", body = Layout),
        (status = 400, description = BAD_JSON, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 413, description = TOO_LARGE, body = ErrorBody),
        (status = 422, description = BAD_DOCUMENT, body = ErrorBody)))]
pub(super) async fn import_golden_layout(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    JsonBody(req): JsonBody<ImportGoldenLayout>,
) -> Result<(StatusCode, Json<Layout>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(state.import_golden_layout(&user, req).await?),
    ))
}

/// `api::Layout` with the stored document passed through as it is.
#[derive(Serialize)]
pub(super) struct RawLayout {
    #[serde(flatten)]
    summary: LayoutSummary,
    document: Box<RawValue>,
    source_version: Option<i64>,
    source_has_newer_versions: bool,
}

#[utoipa::path(get, path = "/v1/layouts/{id}", operation_id = "get_layout", tag = "layouts",
    security(("user_token" = [])), params(("id" = String, Path, description = "Layout id")),
    responses(
        (status = 200, description = "The layout and its current document", body = Layout),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 404, description = NOT_FOUND, body = ErrorBody),
        (status = 410, description = IN_THE_BIN, body = ErrorBody)))]
pub(super) async fn get(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<RawLayout>, ApiError> {
    let id = layout_id(id)?;
    let l = state.get(&user, &id).await?;
    let document = RawValue::from_string(l.document).map_err(|e| {
        crate::LayoutsError::Corrupt(format!("stored document of layout {id:?}: {e}"))
    })?;
    Ok(Json(RawLayout {
        summary: l.summary,
        document,
        source_version: l.source_version,
        source_has_newer_versions: l.source_has_newer_versions,
    }))
}

/// `api::SaveLayout` with the document left as text, read straight into the model.
#[derive(serde::Deserialize, serde::Serialize)]
pub(super) struct SaveBody {
    base_version: i64,
    document: Box<RawValue>,
    #[serde(default)]
    message: Option<String>,
}

#[utoipa::path(put, path = "/v1/layouts/{id}", operation_id = "save_layout", tag = "layouts",
    security(("user_token" = [])), params(("id" = String, Path, description = "Layout id")),
    request_body = SaveLayout,
    responses(
        (status = 200, description = "Saved as a new version", body = Saved),
        (status = 400, description = BAD_JSON, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = VIEW_ONLY, body = ErrorBody),
        (status = 404, description = NOT_FOUND, body = ErrorBody),
        (status = 409, description = STALE, body = ErrorBody),
        (status = 410, description = IN_THE_BIN, body = ErrorBody),
        (status = 413, description = TOO_LARGE, body = ErrorBody),
        (status = 422, description = BAD_DOCUMENT, body = ErrorBody)))]
pub(super) async fn save(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<SaveBody>,
) -> Result<Json<Saved>, ApiError> {
    let id = layout_id(id)?;
    let doc =
        crate::parse::read_document_str(req.document.get()).map_err(crate::LayoutsError::from)?;
    Ok(Json(
        state
            .save_document(&user, &id, req.base_version, doc, req.message.as_deref())
            .await?,
    ))
}

#[utoipa::path(patch, path = "/v1/layouts/{id}", operation_id = "rename_layout", tag = "layouts",
    security(("user_token" = [])), params(("id" = String, Path, description = "Layout id")),
    request_body = RenameLayout,
    responses(
        (status = 200, description = "Renamed: a new version", body = Saved),
        (status = 400, description = BAD_JSON, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = VIEW_ONLY, body = ErrorBody),
        (status = 404, description = NOT_FOUND, body = ErrorBody),
        (status = 409, description = STALE, body = ErrorBody),
        (status = 410, description = IN_THE_BIN, body = ErrorBody),
        (status = 422, description = BAD_DOCUMENT, body = ErrorBody)))]
pub(super) async fn rename(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<RenameLayout>,
) -> Result<Json<Saved>, ApiError> {
    Ok(Json(state.rename(&user, &layout_id(id)?, req).await?))
}

#[utoipa::path(delete, path = "/v1/layouts/{id}", operation_id = "delete_layout", tag = "layouts",
    security(("user_token" = [])), params(("id" = String, Path, description = "Layout id")),
    responses(
        (status = 204, description = "In the bin: restorable for 30 days"),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = OWNER_ONLY, body = ErrorBody),
        (status = 404, description = NOT_FOUND, body = ErrorBody),
        (status = 410, description = IN_THE_BIN, body = ErrorBody)))]
pub(super) async fn delete(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.delete(&user, &layout_id(id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/v1/layouts/{id}/restore", operation_id = "restore_layout", tag = "layouts",
    security(("user_token" = [])), params(("id" = String, Path, description = "Layout id")),
    responses(
        (status = 200, description = "Out of the bin", body = LayoutSummary),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = OWNER_ONLY, body = ErrorBody),
        (status = 404, description = "No such layout, not visible to you, or deleted more than 30 days ago", body = ErrorBody),
        (status = 409, description = "The layout is not in the bin", body = ErrorBody)))]
pub(super) async fn restore(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<LayoutSummary>, ApiError> {
    Ok(Json(state.restore_deleted(&user, &layout_id(id)?).await?))
}

#[utoipa::path(post, path = "/v1/layouts/{id}/clone", operation_id = "clone_layout", tag = "layouts",
    security(("user_token" = [])), params(("id" = String, Path, description = "Layout id")),
    request_body(content = ref("#/components/schemas/CloneLayout"), description = "Optional: no body clones with the default title"),
    responses(
        (status = 201, description = "A private copy with fresh panel ids, remembering its source", body = Layout),
        (status = 400, description = BAD_JSON, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 404, description = NOT_FOUND, body = ErrorBody),
        (status = 410, description = IN_THE_BIN, body = ErrorBody),
        (status = 422, description = BAD_DOCUMENT, body = ErrorBody)))]
pub(super) async fn clone(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Layout>), ApiError> {
    // The body is optional: no body clones with the default title.
    let req: CloneLayout = if body.iter().all(u8::is_ascii_whitespace) {
        CloneLayout::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::MalformedJson(format!("the body is not the JSON expected: {e}"))
        })?
    };
    Ok((
        StatusCode::CREATED,
        Json(state.clone_layout(&user, &layout_id(id)?, req).await?),
    ))
}

#[utoipa::path(get, path = "/v1/layouts/{id}/export/golden-layout", operation_id = "export_golden_layout", tag = "layouts",
    security(("user_token" = [])), params(("id" = String, Path, description = "Layout id")),
    responses(
        (status = 200, description = "A golden-layout 2.6 `LayoutConfig`", body = Object),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 404, description = NOT_FOUND, body = ErrorBody),
        (status = 410, description = IN_THE_BIN, body = ErrorBody)))]
pub(super) async fn export_golden_layout(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(
        state.export_golden_layout(&user, &layout_id(id)?).await?,
    ))
}
