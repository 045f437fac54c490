//! The HTTP surface: [`router`] (routes under `/v1/layouts…` and
//! `/v1/users…`), one extractor for the caller, one JSON error envelope.
//! Handlers only convert: the work is in [`crate::service`].

mod docs;
mod error;
mod history;
mod layouts;
mod link_page;
mod sharing;
mod tokens;
mod users;
mod watch;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, patch, post, put};
use axum::Router;
use tessera_server_common::extract::BodyRules;
pub use tessera_server_common::extract::{JsonBody, QueryParams};

pub use crate::accounts::auth::{self, CurrentUser};
pub use error::{ApiError, MAX_BODY_BYTES};
pub use link_page::escape_html;

use crate::service::LayoutsState;

/// Every layouts and users route, ready to merge into the server's router.
pub fn router(state: LayoutsState) -> Router {
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
        .route("/l/{id}", get(link_page::page))
        .route("/v1/layouts", get(layouts::list).post(layouts::create))
        .route(
            "/v1/layouts/import/golden-layout",
            post(layouts::import_golden_layout),
        )
        .route("/v1/layouts/audit", get(sharing::audit_all))
        .route(
            "/v1/layouts/{id}",
            get(layouts::get)
                .put(layouts::save)
                .patch(layouts::rename)
                .delete(layouts::delete),
        )
        .route("/v1/layouts/{id}/restore", post(layouts::restore))
        .route("/v1/layouts/{id}/clone", post(layouts::clone))
        .route(
            "/v1/layouts/{id}/export/golden-layout",
            get(layouts::export_golden_layout),
        )
        .route(
            "/v1/layouts/{id}/sharing",
            get(sharing::get).put(sharing::put),
        )
        .route("/v1/layouts/{id}/audit", get(sharing::audit))
        .route("/v1/layouts/{id}/versions", get(history::list))
        .route("/v1/layouts/{id}/versions/{version}", get(history::get))
        .route(
            "/v1/layouts/{id}/versions/{version}/restore",
            post(history::restore),
        )
        .route("/v1/layouts/{id}/diff", get(history::diff))
        .route("/v1/layouts/{id}/watch", get(watch::watch))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(tessera_server_common::trace::layer())
        .with_state(state)
}

/// The name of the bearer security scheme for user tokens in [`openapi`].
pub const USER_TOKEN_SCHEME: &str = "user_token";

/// The OpenAPI description of every route of [`router`] (tags `layouts` and
/// `users`), for the host to merge into its own document. A test checks that
/// it names exactly the routes the router serves.
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
        link_page::page,
        layouts::list,
        layouts::create,
        layouts::import_golden_layout,
        layouts::get,
        layouts::save,
        layouts::rename,
        layouts::delete,
        layouts::restore,
        layouts::clone,
        layouts::export_golden_layout,
        sharing::get,
        sharing::put,
        sharing::audit,
        sharing::audit_all,
        history::list,
        history::get,
        history::diff,
        history::restore,
        watch::watch,
    ),
    components(schemas(
        // The clone route's body is optional, so its schema is named by reference.
        crate::api::CloneLayout,
        // Sent as Server-Sent Events data, so no route names them.
        crate::api::WatchVersion,
        crate::api::WatchGone,
    )),
    modifiers(&UserToken),
    tags(
        (name = "layouts", description = "Layouts (user token): save with `base_version`, share, clone, history, golden-layout import/export, live watch, audit log. A layout you may not see is 404."),
        (name = "users", description = "Users and groups (user token; creating them is for admins)."),
    ),
)]
struct ApiDoc;

struct UserToken;

impl utoipa::Modify for UserToken {
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

/// The layouts routes' bodies: up to [`MAX_BODY_BYTES`]; JSON nested too
/// deeply is a 422 naming `$` (a document's nesting is limited).
impl BodyRules for LayoutsState {
    fn max_body_bytes(&self) -> usize {
        MAX_BODY_BYTES
    }

    fn too_deep(&self) -> ApiError {
        crate::LayoutsError::field(
            "$",
            "the JSON nests too deeply (a layout may nest 32 levels of rows, columns and stacks)",
        )
        .into()
    }
}

/// Ids that cannot be layout ids are not found, without touching the database.
fn layout_id(id: String) -> Result<String, ApiError> {
    if crate::ids::plausible_layout_id(&id) {
        Ok(id)
    } else {
        Err(crate::LayoutsError::NotFound(format!("layout {id:?}")).into())
    }
}
