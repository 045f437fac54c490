//! Handlers for users and groups.

use super::docs::{ADMINS_ONLY, BAD_JSON, TOO_LARGE, UNAUTHORIZED};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

use super::{ApiError, CurrentUser, ErrorBody, JsonBody};
use crate::api::{GroupList, NewGroup, NewUser, NewUserToken, UserInfo, UserList};
use crate::service::Accounts;

#[utoipa::path(get, path = "/v1/users/me", operation_id = "current_user", tag = "users",
    security(("user_token" = [])),
    responses(
        (status = 200, description = "The caller, with their groups", body = UserInfo),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody)))]
pub(super) async fn me(
    State(state): State<Accounts>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<UserInfo>, ApiError> {
    Ok(Json(state.me(&user).await?))
}

#[utoipa::path(get, path = "/v1/users", operation_id = "list_users", tag = "users",
    security(("user_token" = [])),
    responses(
        (status = 200, description = "Every user (for sharing)", body = UserList),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody)))]
pub(super) async fn list(
    State(state): State<Accounts>,
    CurrentUser(_): CurrentUser,
) -> Result<Json<UserList>, ApiError> {
    Ok(Json(UserList {
        users: state.users().await?,
    }))
}

#[utoipa::path(post, path = "/v1/users", operation_id = "create_user", tag = "users",
    security(("user_token" = [])), request_body = NewUser,
    responses(
        (status = 201, description = "Created; the token (`tsu_…`) is shown this once", body = NewUserToken),
        (status = 400, description = BAD_JSON, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = ADMINS_ONLY, body = ErrorBody),
        (status = 409, description = "The name is taken", body = ErrorBody),
        (status = 413, description = TOO_LARGE, body = ErrorBody),
        (status = 422, description = "A field or document rule broken; `field` names it", body = ErrorBody)))]
pub(super) async fn create(
    State(state): State<Accounts>,
    CurrentUser(user): CurrentUser,
    JsonBody(req): JsonBody<NewUser>,
) -> Result<(StatusCode, Json<NewUserToken>), ApiError> {
    let token = state.create_user(&user, &req.name, req.admin).await?;
    Ok((
        StatusCode::CREATED,
        Json(NewUserToken {
            name: req.name,
            token,
        }),
    ))
}

#[utoipa::path(get, path = "/v1/users/groups", operation_id = "list_groups", tag = "users",
    security(("user_token" = [])),
    responses(
        (status = 200, description = "Every group and its members", body = GroupList),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody)))]
pub(super) async fn groups(
    State(state): State<Accounts>,
    CurrentUser(_): CurrentUser,
) -> Result<Json<GroupList>, ApiError> {
    Ok(Json(GroupList {
        groups: state.groups().await?,
    }))
}

#[utoipa::path(post, path = "/v1/users/groups", operation_id = "create_group", tag = "users",
    security(("user_token" = [])), request_body = NewGroup,
    responses(
        (status = 201, description = "Created"),
        (status = 400, description = BAD_JSON, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = ADMINS_ONLY, body = ErrorBody),
        (status = 409, description = "The name is taken", body = ErrorBody),
        (status = 413, description = TOO_LARGE, body = ErrorBody),
        (status = 422, description = "A field or document rule broken; `field` names it", body = ErrorBody)))]
pub(super) async fn create_group(
    State(state): State<Accounts>,
    CurrentUser(user): CurrentUser,
    JsonBody(req): JsonBody<NewGroup>,
) -> Result<StatusCode, ApiError> {
    state.create_group(&user, &req.name).await?;
    Ok(StatusCode::CREATED)
}

#[utoipa::path(put, path = "/v1/users/groups/{group}/members/{user}", operation_id = "add_group_member", tag = "users",
    security(("user_token" = [])),
    params(("group" = String, Path, description = "Group name"), ("user" = String, Path, description = "User name")),
    responses(
        (status = 201, description = "Added"),
        (status = 200, description = "Already a member"),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = ADMINS_ONLY, body = ErrorBody),
        (status = 404, description = "No such group or user", body = ErrorBody)))]
pub(super) async fn add_member(
    State(state): State<Accounts>,
    CurrentUser(user): CurrentUser,
    Path((group, member)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let added = state.add_member(&user, &group, &member).await?;
    Ok(if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    })
}

#[utoipa::path(post, path = "/v1/invitations/{code}/accept", operation_id = "accept_invitation", tag = "users",
    params(("code" = String, Path, description = "The one-time code from the invitation link (`tsi_…`)")),
    responses(
        (status = 200, description = "Signed in: a new token of the invited user, shown this once", body = NewUserToken),
        (status = 404, description = "No such invitation", body = ErrorBody),
        (status = 410, description = "Used already, or expired (the message says which, and when)", body = ErrorBody),
        (status = 429, description = "Too many attempts from this address", body = ErrorBody)))]
pub(super) async fn accept_invitation(
    State(state): State<Accounts>,
    connect: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    Path(code): Path<String>,
) -> Result<Json<NewUserToken>, ApiError> {
    // Guessing codes costs one budget per address, as unknown tokens do.
    state
        .limits()
        .lookup(connect.map(|axum::Extension(c)| c.0.ip()))
        .map_err(ApiError::RateLimited)?;
    let (user, token) = crate::users::accept_invitation(&**state.store(), &code).await?;
    tracing::info!(user = %user.name, "invitation accepted");
    Ok(Json(NewUserToken {
        name: user.name,
        token,
    }))
}
