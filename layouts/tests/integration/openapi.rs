//! The OpenAPI description names exactly the routes the router serves: a new
//! route without `#[utoipa::path]` (or a documented route that is gone) fails
//! here. The routes are read from the router's source, `src/http/mod.rs`.

use std::collections::BTreeSet;

use serde_json::Value;

const ROUTER_SOURCE: &str = include_str!("../../src/http/mod.rs");

const METHODS: [&str; 8] = [
    "get", "post", "put", "patch", "delete", "head", "options", "trace",
];

/// `(method, path)` of every `.route(PATH, METHOD_ROUTER)` in `router()`.
fn routes_in_router() -> BTreeSet<(String, String)> {
    let start = ROUTER_SOURCE
        .find("pub fn router(")
        .expect("src/http/mod.rs defines `pub fn router(`");
    let body = &ROUTER_SOURCE[start..];
    let body = &body[..body
        .find("\n}\n")
        .expect("router() ends with `}` alone on a line")];
    for unsupported in [
        ".nest(",
        ".merge(",
        ".route_service(",
        ".nest_service(",
        "MethodFilter",
    ] {
        assert!(
            !body.contains(unsupported),
            "router() uses `{unsupported}`, which this test cannot read: teach it, so every route stays documented"
        );
    }
    let mut routes = BTreeSet::new();
    let chunks: Vec<&str> = body.split(".route(").skip(1).collect();
    for chunk in &chunks {
        let chunk = chunk.trim_start();
        let path = chunk
            .strip_prefix('"')
            .and_then(|rest| rest.split_once('"'))
            .map(|(path, _)| path)
            .unwrap_or_else(|| panic!("a route's path is not a string literal: {chunk:.60}"));
        // The method router: the rest of `.route(` up to its closing parenthesis.
        let args = &chunk[path.len() + 2..];
        let mut depth = 0_i32;
        let end = args
            .char_indices()
            .find_map(|(i, c)| {
                match c {
                    '(' => depth += 1,
                    ')' if depth == 0 => return Some(i),
                    ')' => depth -= 1,
                    _ => {}
                }
                None
            })
            .unwrap_or_else(|| panic!("unbalanced `.route(\"{path}\"`"));
        let method_router = &args[..end];
        let before_ok = |i: usize| {
            method_router[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'))
        };
        let mut found = 0;
        for method in METHODS {
            let call = format!("{method}(");
            for (i, _) in method_router.match_indices(&call) {
                if before_ok(i) {
                    routes.insert((method.to_owned(), path.to_owned()));
                    found += 1;
                }
            }
        }
        assert!(
            found > 0,
            "no method found for route {path:?}: {method_router}"
        );
    }
    assert!(
        chunks.len() >= 15 && routes.len() >= 20,
        "read only {} routes ({} operations) from router(): has its shape changed?",
        chunks.len(),
        routes.len()
    );
    routes
}

/// `(method, path)` of every operation in the OpenAPI description.
fn documented_routes(doc: &Value) -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            if item.get(method).is_some() {
                routes.insert((method.to_owned(), path.clone()));
            }
        }
    }
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
    let scheme = tessera_layouts::http::USER_TOKEN_SCHEME;
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
        // Accepting an invitation is how a person without a token gets one.
        let public = id == "accept_invitation";
        // The link page is for browsers (no token) and names the layout to a token that may see it.
        let page = id == "layout_link_page";
        if public {
            assert!(op["security"].is_null(), "{what} needs no token");
        } else if page {
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
            tags.iter().any(|t| t == "layouts" || t == "users"),
            "{what} is tagged layouts or users"
        );
        let responses = op["responses"].as_object().expect("responses");
        assert!(
            public || page || responses.contains_key("401"),
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
    assert_eq!(
        schema("TokenLabel", "label")["maxLength"],
        tessera_layouts::MAX_LABEL_CHARS
    );
    // check_name's rule: 1 to 64 of a-z 0-9 . _ -, starting with a letter or digit.
    let pattern = schema("NewUser", "name")["pattern"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        pattern,
        schema("NewGroup", "name")["pattern"].as_str().unwrap()
    );
    assert_eq!(pattern, "^[a-z0-9][a-z0-9._-]{0,63}$");
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
