//! The same entries as FDC3 2.2 App Directory application records
//! (`GET /v2/apps`, `GET /v2/apps/{appId}`).
//!
//! Widgets are launched by Tessera's shell from `hostManifests.tessera`
//! (custom element tag, entry module, where the server serves the files:
//! never a sidecar's address, which only the server may use),
//! so records use `type: "other"` with empty `details`, as the standard
//! describes for apps defined by a host manifest. (`type: "web"` with a
//! `url` would not validate: the 2.2 schema's `LaunchDetails` is a `oneOf`
//! in which `{url}` matches both `WebAppDetails` and `OnlineNativeAppDetails`.)

use serde::Serialize;
use serde_json::{json, Value};

use crate::api::Widget;

/// `GET /v2/apps` answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AllApplicationsResponse {
    /// FDC3 `Application` records.
    #[schema(value_type = Vec<Object>)]
    pub applications: Vec<Value>,
    pub message: String,
}

/// One widget as an FDC3 `Application` record.
pub fn application(w: &Widget) -> Value {
    let mut app = json!({
        "appId": w.fdc3_app_id(),
        "title": w.title,
        "type": "other",
        "details": {},
        "version": w.version,
        "publisher": w.publisher,
        "interop": {
            "userChannels": {
                "broadcasts": w.interop.broadcasts,
                "listensFor": w.interop.listens,
            },
            "intents": {
                "listensFor": w.interop.intents.iter().map(|i| {
                    let mut v = json!({ "contexts": i.contexts });
                    if let Some(d) = &i.display_name {
                        v["displayName"] = json!(d);
                    }
                    if let Some(r) = &i.result_type {
                        v["resultType"] = json!(r);
                    }
                    (i.name.clone(), v)
                }).collect::<serde_json::Map<String, Value>>(),
            },
        },
        "hostManifests": {
            "tessera": {
                "widgetId": w.id,
                "tag": w.tag,
                "entry": w.entry,
                "filesUrl": files_url(w),
                "revision": w.revision,
                "api": w.api,
                "state": w.state.as_str(),
                "files": w.files,
            }
        }
    });
    if !w.description.is_empty() {
        app["description"] = json!(w.description);
    }
    if let Some(icon) = &w.icon {
        app["icons"] = json!([{ "src": format!("{}{icon}", files_url(w)) }]);
    }
    app
}

/// Where the server serves the widget's files (relative to the server).
fn files_url(w: &Widget) -> String {
    format!("/v1/widgets/{}/files/", w.id)
}

pub fn all(widgets: &[Widget]) -> AllApplicationsResponse {
    AllApplicationsResponse {
        applications: widgets.iter().map(application).collect(),
        message: "OK".to_owned(),
    }
}
