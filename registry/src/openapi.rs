//! The registry's part of the server's OpenAPI document (`tessera-server`
//! merges the layouts' into it and serves it at `/openapi.json`; a snapshot
//! test keeps the whole in step with the code).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api::{
    ErrorBody, EventKind, FileManifestSchema, Heartbeat, HeartbeatSchedule, IntentDecl, Interop,
    Registered, Widget, WidgetEvent, WidgetList, WidgetRegistration, WidgetState,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "Tessera registry", description = "Which widgets exist, where their sidecars serve them, and every change, live; widget files and APIs through the server (tag `gateway`); and the users' layouts (tags `layouts`, `users`)."),
    paths(
        crate::http::list_widgets,
        crate::http::get_widget,
        crate::http::register_widget,
        crate::http::deregister_widget,
        crate::http::heartbeat,
        crate::http::watch,
        crate::http::appd_all,
        crate::http::appd_one,
        crate::gateway::widget_file,
        crate::gateway::forward::forward_api,
    ),
    components(schemas(ErrorBody, EventKind, FileManifestSchema, Heartbeat, HeartbeatSchedule, IntentDecl, Interop, Registered, Widget, WidgetEvent, WidgetList, WidgetRegistration, WidgetState)),
    modifiers(&Tokens),
)]
struct ApiDoc;

struct Tokens;

impl Modify for Tokens {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "publisher_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The registry's routes, schemas and security scheme (`publisher_token`).
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
