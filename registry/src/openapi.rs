//! The server's OpenAPI document, served at `/openapi.json` and kept in step
//! with the code by a snapshot test: the registry's routes and, merged in,
//! those of `tessera-layouts`.

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

pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    // The layouts and users routes the server mounts (tags `layouts`, `users`;
    // security scheme `user_token`). Names already in `doc` would be kept,
    // theirs dropped: a test checks there are no such clashes.
    doc.merge(tessera_layouts::openapi());
    // The crate version, not the build's, so the snapshot is stable.
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc
}
