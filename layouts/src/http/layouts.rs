//! Handlers for layouts as documents: list, create, import, read, save,
//! rename, delete, restore, clone, export.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use serde_json::value::RawValue;

use super::{layout_id, ApiError, CurrentUser, JsonBody, QueryParams};
use crate::api::{
    CloneLayout, CreateLayout, ImportGoldenLayout, Layout, LayoutList, LayoutSummary, RenameLayout,
    Saved,
};
use crate::service::{LayoutsState, ListParams};

pub(super) async fn list(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    QueryParams(params): QueryParams<ListParams>,
) -> Result<Json<LayoutList>, ApiError> {
    Ok(Json(state.list(&user, &params).await?))
}

pub(super) async fn create(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    JsonBody(req): JsonBody<CreateLayout>,
) -> Result<(StatusCode, Json<Layout>), ApiError> {
    Ok((StatusCode::CREATED, Json(state.create(&user, req).await?)))
}

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
#[derive(serde::Deserialize)]
pub(super) struct SaveBody {
    base_version: i64,
    document: Box<RawValue>,
    #[serde(default)]
    message: Option<String>,
}

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

pub(super) async fn rename(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<RenameLayout>,
) -> Result<Json<Saved>, ApiError> {
    Ok(Json(state.rename(&user, &layout_id(id)?, req).await?))
}

pub(super) async fn delete(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.delete(&user, &layout_id(id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn restore(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<LayoutSummary>, ApiError> {
    Ok(Json(state.restore_deleted(&user, &layout_id(id)?).await?))
}

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

pub(super) async fn export_golden_layout(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(
        state.export_golden_layout(&user, &layout_id(id)?).await?,
    ))
}
