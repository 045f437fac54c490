//! The HTTP surface: [`router`] (routes under `/v1/layouts…` and the link
//! page `/l/{id}`), the caller signed in by the accounts
//! ([`CurrentUser`]), one JSON error envelope. Handlers only convert: the
//! work is in [`crate::service`].

mod docs;
mod error;
mod history;
mod layouts;
mod link_page;
mod sharing;
mod watch;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use tessera_server_common::extract::BodyRules;
pub use tessera_server_common::extract::{JsonBody, QueryParams};

pub use error::{ApiError, MAX_BODY_BYTES};
pub use tessera_accounts::auth::{self, CurrentUser};

use crate::service::LayoutsState;
use tessera_accounts::http::UserTokenScheme;

/// Every layouts route, ready to merge into the server's router (beside
/// the accounts' `tessera_accounts::http::routes`; the server's router wears
/// the request span and the metrics for every part).
pub fn router(state: LayoutsState) -> Router {
    Router::new()
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
        .with_state(state)
}

/// The OpenAPI description of every route of [`router`] (tag `layouts`;
/// the routes name the accounts' `user_token` scheme), for the host to
/// merge into its own document. A test checks that
/// it names exactly the routes the router serves.
pub fn openapi() -> utoipa::openapi::OpenApi {
    <ApiDoc as utoipa::OpenApi>::openapi()
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
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
    modifiers(&UserTokenScheme),
    tags(
        (name = "layouts", description = "Layouts (user token): save with `base_version`, share, clone, history, golden-layout import/export, live watch, audit log. A layout you may not see is 404."),
    ),
)]
struct ApiDoc;

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
