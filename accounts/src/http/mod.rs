//! The accounts' HTTP surface: [`routes`] (`/v1/users…`, `/v1/invitations…`)
//! and their OpenAPI description ([`openapi`]), with the `user_token`
//! security scheme every signed-in route of the server names. Handlers only
//! convert: the work is in [`crate::users`] and [`crate::tokens`].

pub mod docs;
mod tokens;
mod users;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, patch, post, put};
use axum::Router;
use tessera_server_common::extract::{BodyRules, JsonBody};
use tessera_server_common::{ApiError, ErrorBody};

use crate::auth::CurrentUser;
use crate::service::Accounts;

/// Largest request body read: the 2 MiB these routes accepted when they were
/// part of the layouts router (names and labels are far shorter).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Every accounts route, ready to merge into the server's router (which
/// wears the request span and the metrics for every part).
pub fn routes(accounts: Accounts) -> Router {
    Router::new()
        .route("/v1/users", get(users::list).post(users::create))
        .route("/v1/users/me", get(users::me))
        .route(
            "/v1/users/{name}/tokens",
            get(tokens::list).post(tokens::create),
        )
        .route(
            "/v1/users/{name}/tokens/{id}",
            patch(tokens::label).delete(tokens::revoke),
        )
        .route(
            "/v1/invitations/{code}/accept",
            post(users::accept_invitation),
        )
        .route(
            "/v1/users/groups",
            get(users::groups).post(users::create_group),
        )
        .route(
            "/v1/users/groups/{group}/members/{user}",
            put(users::add_member),
        )
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(accounts)
}

/// The name of the bearer security scheme for user tokens in [`openapi`];
/// every route that takes a user token names it.
pub const USER_TOKEN_SCHEME: &str = "user_token";

/// The OpenAPI description of every route of [`routes`] (tag `users`) and
/// the [`USER_TOKEN_SCHEME`], for the server to merge into its document. A
/// test checks that it names exactly the routes the router serves.
pub fn openapi() -> utoipa::openapi::OpenApi {
    <ApiDoc as utoipa::OpenApi>::openapi()
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        users::me,
        users::list,
        users::create,
        users::groups,
        users::create_group,
        users::add_member,
        users::accept_invitation,
        tokens::list,
        tokens::create,
        tokens::label,
        tokens::revoke,
    ),
    modifiers(&UserTokenScheme),
    tags(
        (name = "users", description = "Users and groups (user token; creating them is for admins)."),
    ),
)]
struct ApiDoc;

/// Adds the [`USER_TOKEN_SCHEME`] to a document (the layouts' names it too).
pub struct UserTokenScheme;

impl utoipa::Modify for UserTokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                USER_TOKEN_SCHEME,
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some(
                            "A user token, `tsu_` and 43 URL-safe characters (`tessera-server user add NAME`, or `POST /v1/users`)",
                        ))
                        .build(),
                ),
            );
    }
}

/// The accounts routes' bodies: up to [`MAX_BODY_BYTES`]; JSON nested too
/// deeply is a 422 naming `$`.
impl BodyRules for Accounts {
    fn max_body_bytes(&self) -> usize {
        MAX_BODY_BYTES
    }

    fn too_deep(&self) -> ApiError {
        crate::AccountsError::field("$", "the JSON nests too deeply").into()
    }
}
