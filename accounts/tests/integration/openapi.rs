//! The accounts' OpenAPI description names exactly the routes they serve,
//! each named, taking the user token (but accepting an invitation, which is
//! how a person without a token gets one) and answering errors with the
//! server's envelope; and it states the limits the routes enforce.

use tessera_testkit::openapi::{documented_routes, routes_in_source};

const ROUTER_SOURCE: &str = include_str!("../../src/http/mod.rs");

fn doc() -> serde_json::Value {
    serde_json::to_value(tessera_accounts::http::openapi()).unwrap()
}

#[test]
fn every_route_is_in_the_openapi_document() {
    let served = routes_in_source(ROUTER_SOURCE, "pub fn routes(");
    assert!(
        served.len() >= 11,
        "read only {} operations from routes(): has its shape changed?",
        served.len()
    );
    let documented = documented_routes(&doc());
    assert_eq!(
        served, documented,
        "the routes served and those documented differ"
    );
}

#[test]
fn every_operation_is_named_takes_the_user_token_and_documents_its_errors() {
    let doc = doc();
    let scheme = tessera_accounts::http::USER_TOKEN_SCHEME;
    assert_eq!(
        doc["components"]["securitySchemes"][scheme]["scheme"],
        "bearer"
    );
    let mut ids = std::collections::BTreeSet::new();
    for (method, path) in documented_routes(&doc) {
        let op = &doc["paths"][&path][&method];
        let what = format!("{} {path}", method.to_uppercase());
        let id = op["operationId"].as_str().expect("an operationId");
        assert!(ids.insert(id.to_owned()), "{what}: {id:?} is used twice");
        let public = id == "accept_invitation";
        if public {
            assert!(op["security"].is_null(), "{what} needs no token");
        } else {
            assert_eq!(
                op["security"],
                serde_json::json!([{ scheme: [] }]),
                "{what} names the user token"
            );
        }
        assert_eq!(op["tags"], serde_json::json!(["users"]), "{what}");
        let responses = op["responses"].as_object().expect("responses");
        assert!(
            public || responses.contains_key("401"),
            "{what} documents 401"
        );
        for (status, response) in responses {
            if status.starts_with('4') {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{what} answers {status} with the error body"
                );
            }
        }
    }
}

/// Issue 14, item 8: the document states the limits the server enforces.
#[test]
fn regression_14_8_the_schema_states_the_limits() {
    let doc = doc();
    let schema =
        |name: &str, field: &str| doc["components"]["schemas"][name]["properties"][field].clone();
    assert_eq!(
        schema("TokenLabel", "label")["maxLength"],
        tessera_accounts::MAX_LABEL_CHARS
    );
    // check_name's rule: 1 to 64 of a-z 0-9 . _ -, starting with a letter or digit.
    let pattern = schema("NewUser", "name")["pattern"].clone();
    assert_eq!(pattern, schema("NewGroup", "name")["pattern"]);
    assert_eq!(pattern, "^[a-z0-9][a-z0-9._-]{0,63}$");
}
