//! The OpenAPI description names exactly the routes the router serves: a new
//! route without `#[utoipa::path]` (or a documented route that is gone) fails
//! here. The routes are read from the router's source, `src/http/mod.rs`.

use std::collections::BTreeSet;

use tessera_testkit::openapi::{documented_routes, routes_in_source};

const ROUTER_SOURCE: &str = include_str!("../../src/http/mod.rs");

/// `(method, path)` of every route of `router()`.
fn routes_in_router() -> BTreeSet<(String, String)> {
    let routes = routes_in_source(ROUTER_SOURCE, "pub fn router(");
    assert!(
        routes.len() >= 18,
        "read only {} operations from router(): has its shape changed?",
        routes.len()
    );
    routes
}

#[test]
fn every_route_is_in_the_openapi_document() {
    let doc = serde_json::to_value(tessera_layouts::openapi()).unwrap();
    let served = routes_in_router();
    let documented = documented_routes(&doc);
    let undocumented: Vec<_> = served.difference(&documented).collect();
    assert!(
        undocumented.is_empty(),
        "routes without #[utoipa::path] (or missing from `paths(...)` of the OpenApi derive in src/http/mod.rs): {undocumented:?}"
    );
    let stale: Vec<_> = documented.difference(&served).collect();
    assert!(
        stale.is_empty(),
        "documented routes the router does not serve: {stale:?}"
    );
}

#[test]
fn every_operation_is_named_takes_the_user_token_and_documents_its_errors() {
    let doc = serde_json::to_value(tessera_layouts::openapi()).unwrap();
    let scheme = tessera_accounts::http::USER_TOKEN_SCHEME;
    assert_eq!(
        doc["components"]["securitySchemes"][scheme]["scheme"], "bearer",
        "the user token is a bearer scheme"
    );
    let error_ref = "#/components/schemas/ErrorBody";
    assert!(doc["components"]["schemas"]["ErrorBody"]["properties"]["current_version"].is_object());
    let mut operation_ids = BTreeSet::new();
    for (method, path) in documented_routes(&doc) {
        let op = &doc["paths"][&path][&method];
        let what = format!("{} {path}", method.to_uppercase());
        let id = op["operationId"].as_str().expect("an operationId");
        assert!(
            operation_ids.insert(id.to_owned()),
            "{what}: operationId {id:?} is used twice"
        );
        // The link page is for browsers (no token) and names the layout to a token that may see it.
        let page = id == "layout_link_page";
        if page {
            assert_eq!(
                op["security"],
                serde_json::json!([{}, { scheme: [] }]),
                "{what} takes the user token if given"
            );
        } else {
            assert_eq!(
                op["security"],
                serde_json::json!([{ scheme: [] }]),
                "{what} names the user token"
            );
        }
        let tags = op["tags"].as_array().expect("tags");
        assert!(
            tags.iter().any(|t| t == "layouts"),
            "{what} is tagged layouts"
        );
        let responses = op["responses"].as_object().expect("responses");
        assert!(
            page || responses.contains_key("401"),
            "{what} documents 401"
        );
        for (status, response) in responses {
            if status.starts_with('4') && !page {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"], error_ref,
                    "{what} answers {status} with the error body"
                );
            }
            assert!(
                !response["description"].as_str().unwrap_or("").is_empty(),
                "{what} describes its {status}"
            );
        }
    }
    assert_eq!(
        doc["paths"]["/v1/layouts/{id}/watch"]["get"]["responses"]["200"]["content"]
            .as_object()
            .map(|c| c.keys().cloned().collect::<Vec<_>>()),
        Some(vec!["text/event-stream".to_owned()]),
        "the watch route is a Server-Sent Events stream"
    );
}

/// Issue 14, item 8: the document states the limits the server enforces,
/// so generated requests within the schema are not refused with 422.
#[test]
fn regression_14_8_the_schema_states_the_limits() {
    let doc = serde_json::to_value(tessera_layouts::openapi()).unwrap();
    let schema =
        |name: &str, field: &str| doc["components"]["schemas"][name]["properties"][field].clone();
    let title = schema("RenameLayout", "title");
    assert_eq!(
        title["maxLength"],
        tessera_layouts::service::MAX_TITLE_CHARS
    );
    assert_eq!(title["minLength"], 1);
    let message = schema("SaveLayout", "message");
    assert_eq!(
        message["maxLength"],
        tessera_layouts::service::MAX_MESSAGE_CHARS
    );
    assert_eq!(schema("SaveLayout", "base_version")["minimum"], 1);
    assert_eq!(schema("RestoreVersion", "base_version")["minimum"], 1);
    // The list's parameters, and the document's own version and non-empty containers.
    let params = doc["paths"]["/v1/layouts"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .clone();
    let param = |name: &str| {
        params
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("no parameter {name}"))["schema"]
            .clone()
    };
    assert_eq!(param("limit")["minimum"], 1);
    assert_eq!(param("limit")["maximum"], 200);
    assert_eq!(
        param("scope")["pattern"],
        "^(all|mine|shared|organisation|deleted|everything)$"
    );
    let document = &doc["components"]["schemas"]["LayoutDocument"]["properties"]["schema"];
    assert_eq!(document["minimum"], tessera_layouts::SCHEMA_VERSION);
    assert_eq!(document["maximum"], tessera_layouts::SCHEMA_VERSION);
    // Row, column and stack (written inline in `Node`) each need a child.
    let node = doc["components"]["schemas"]["Node"].to_string();
    assert_eq!(node.matches("\"minItems\":1").count(), 3, "{node}");
}
