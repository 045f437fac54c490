//! Handlers for the tokens people manage (`/v1/users/{name}/tokens…`).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;

use super::docs::{BAD_JSON, TOO_LARGE, UNAUTHORIZED};
use super::{ApiError, CurrentUser, ErrorBody, JsonBody};
use crate::api::{NewToken, TokenLabel, TokenList};
use crate::service::Accounts;
use crate::tokens::hash_token;

const WHOSE: &str = "A user name, or `me` for the caller. Only admins name someone else";
const NOT_YOURS: &str = "Someone else's tokens, and the caller is not an admin";

#[utoipa::path(get, path = "/v1/users/{name}/tokens", operation_id = "list_tokens", tag = "users",
    security(("user_token" = [])),
    params(("name" = String, Path, description = WHOSE)),
    responses(
        (status = 200, description = "The user's tokens, newest first (never the tokens themselves)", body = TokenList),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = NOT_YOURS, body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody)))]
pub(super) async fn list(
    State(state): State<Accounts>,
    CurrentUser(user): CurrentUser,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Result<Json<TokenList>, ApiError> {
    let current = crate::auth::bearer(&headers).map(hash_token);
    Ok(Json(TokenList {
        tokens: state.list_tokens(&user, &name, current.as_deref()).await?,
    }))
}

#[utoipa::path(post, path = "/v1/users/{name}/tokens", operation_id = "create_token", tag = "users",
    security(("user_token" = [])), request_body = TokenLabel,
    params(("name" = String, Path, description = WHOSE)),
    responses(
        (status = 201, description = "Created; the token (`tsu_…`) is shown this once", body = NewToken),
        (status = 400, description = BAD_JSON, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = NOT_YOURS, body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 413, description = TOO_LARGE, body = ErrorBody),
        (status = 422, description = "The label is too long or has control characters", body = ErrorBody)))]
pub(super) async fn create(
    State(state): State<Accounts>,
    CurrentUser(user): CurrentUser,
    Path(name): Path<String>,
    JsonBody(req): JsonBody<TokenLabel>,
) -> Result<(StatusCode, Json<NewToken>), ApiError> {
    let made = state.create_token(&user, &name, &req.label).await?;
    Ok((StatusCode::CREATED, Json(made)))
}

#[utoipa::path(patch, path = "/v1/users/{name}/tokens/{id}", operation_id = "label_token", tag = "users",
    security(("user_token" = [])), request_body = TokenLabel,
    params(("name" = String, Path, description = WHOSE), ("id" = String, Path, description = "The token's id")),
    responses(
        (status = 204, description = "Relabelled"),
        (status = 400, description = BAD_JSON, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = NOT_YOURS, body = ErrorBody),
        (status = 404, description = "No such user, or no such token of theirs", body = ErrorBody),
        (status = 413, description = TOO_LARGE, body = ErrorBody),
        (status = 422, description = "The label is too long or has control characters", body = ErrorBody)))]
pub(super) async fn label(
    State(state): State<Accounts>,
    CurrentUser(user): CurrentUser,
    Path((name, id)): Path<(String, String)>,
    JsonBody(req): JsonBody<TokenLabel>,
) -> Result<StatusCode, ApiError> {
    state.label_token(&user, &name, &id, &req.label).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/v1/users/{name}/tokens/{id}", operation_id = "revoke_token", tag = "users",
    security(("user_token" = [])),
    params(("name" = String, Path, description = WHOSE), ("id" = String, Path, description = "The token's id")),
    responses(
        (status = 204, description = "Revoked: refused from the next request on, by every replica"),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = NOT_YOURS, body = ErrorBody),
        (status = 404, description = "No such user, or no such token of theirs", body = ErrorBody)))]
pub(super) async fn revoke(
    State(state): State<Accounts>,
    CurrentUser(user): CurrentUser,
    Path((name, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    state.revoke_token(&user, &name, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
