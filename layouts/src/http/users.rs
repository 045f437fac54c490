//! Handlers for users and groups.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

use super::{ApiError, CurrentUser, JsonBody};
use crate::api::{GroupList, NewGroup, NewUser, NewUserToken, UserInfo, UserList};
use crate::service::LayoutsState;

pub(super) async fn me(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<UserInfo>, ApiError> {
    Ok(Json(state.me(&user).await?))
}

pub(super) async fn list(
    State(state): State<LayoutsState>,
    CurrentUser(_): CurrentUser,
) -> Result<Json<UserList>, ApiError> {
    Ok(Json(UserList {
        users: state.users().await?,
    }))
}

pub(super) async fn create(
    State(state): State<LayoutsState>,
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

pub(super) async fn groups(
    State(state): State<LayoutsState>,
    CurrentUser(_): CurrentUser,
) -> Result<Json<GroupList>, ApiError> {
    Ok(Json(GroupList {
        groups: state.groups().await?,
    }))
}

pub(super) async fn create_group(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    JsonBody(req): JsonBody<NewGroup>,
) -> Result<StatusCode, ApiError> {
    state.create_group(&user, &req.name).await?;
    Ok(StatusCode::CREATED)
}

pub(super) async fn add_member(
    State(state): State<LayoutsState>,
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
