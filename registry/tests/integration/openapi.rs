//! The HTTP contract is snapshotted: a change to the API shows in review.
//! The layouts crate's routes are merged in whole, and the schemas describe
//! what the server really reads and answers.

use std::collections::BTreeSet;

use serde_json::{json, Value};
use tessera_registry::api::FieldError;

use crate::support::{fast_config, registration, sqlite_store, TestServer};

#[test]
fn openapi_document_is_unchanged() {
    let doc = serde_json::to_value(tessera_server::openapi()).unwrap();
    insta::assert_json_snapshot!("openapi", doc);
}

#[test]
fn the_layouts_routes_are_merged_in_whole() {
    let doc = serde_json::to_value(tessera_server::openapi()).unwrap();
    let layouts = serde_json::to_value(tessera_layouts::openapi()).unwrap();
    // A path, schema or security scheme whose name the registry already uses
    // would be dropped by the merge: each must be there, unchanged.
    for (path, item) in layouts["paths"].as_object().unwrap() {
        assert_eq!(&doc["paths"][path], item, "{path}");
    }
    for part in ["schemas", "securitySchemes"] {
        for (name, schema) in layouts["components"][part].as_object().unwrap() {
            assert_eq!(&doc["components"][part][name], schema, "{part}: {name}");
        }
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["publisher_token"],
        json!({"type": "http", "scheme": "bearer"}),
        "the publisher token scheme is as it was"
    );
    let tags: Vec<&Value> = doc["tags"].as_array().unwrap().iter().collect();
    assert!(
        tags.iter().any(|t| t["name"] == "layouts") && tags.iter().any(|t| t["name"] == "users")
    );

    let mut operation_ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has an operationId"));
            assert!(
                operation_ids.insert(id),
                "operationId {id:?} ({method} {path}) is used twice"
            );
        }
    }
    assert!(
        doc["components"]["schemas"].get("BTreeMap").is_none(),
        "the file manifest has its own name"
    );
}

/// A JSON Schema for one component of the server's OpenAPI document.
fn validator(component: &str) -> jsonschema::Validator {
    let doc = serde_json::to_value(tessera_server::openapi()).unwrap();
    let schema = json!({
        "$ref": format!("#/components/schemas/{component}"),
        "components": doc["components"],
    });
    jsonschema::validator_for(&schema)
        .unwrap_or_else(|e| panic!("the schema of {component} compiles: {e}"))
}

#[track_caller]
fn assert_valid(component: &str, instance: &Value) {
    let v = validator(component);
    let errors: Vec<String> = v
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{component}: {errors:#?}\n{instance:#}");
}

#[test]
fn layout_documents_validate_against_their_schema() {
    let demo = serde_json::to_value(tessera_layouts::demo_layout()).unwrap();
    assert_valid("LayoutDocument", &demo);
    assert_valid("CreateLayout", &json!({"title": "Desk", "document": demo}));
    // And the schema is not a blank cheque.
    let mut bad = demo.clone();
    bad["root"]["content"][0]["colour"] = json!("red");
    assert!(
        !validator("LayoutDocument").is_valid(&bad),
        "an unknown property of a node is refused"
    );
    let mut bad = demo;
    bad["root"]["type"] = json!("grid");
    assert!(
        !validator("LayoutDocument").is_valid(&bad),
        "an unknown node type is refused"
    );
}

#[tokio::test]
async fn answers_validate_against_the_document() {
    let t = sqlite_store().await;
    let layouts = crate::support::layouts_beside(&t).await;
    let alice = layouts.user("alice").await;
    let server = TestServer::start_with(t, fast_config(), |s| {
        tessera_server::ServerState::from(s).with_layouts(layouts.layouts)
    })
    .await;
    let http = reqwest::Client::new();
    let alice = &alice;
    let call = |req: reqwest::RequestBuilder| async move {
        let res = req.bearer_auth(alice).send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json::<Value>().await.unwrap())
    };

    let client = server.publisher_client("acme").await;
    client.register(&registration("acme.clock")).await.unwrap();
    let (status, widget) = call(http.get(format!("{}/v1/widgets/acme.clock", server.url))).await;
    assert_eq!(status, 200);
    assert_valid("Widget", &widget);

    let doc = serde_json::to_value(tessera_layouts::demo_layout()).unwrap();
    let (status, created) = call(
        http.post(format!("{}/v1/layouts", server.url))
            .json(&json!({"title": "Desk", "document": doc})),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_valid("Layout", &created);
    let id = created["id"].as_str().unwrap();
    let (status, read) = call(http.get(format!("{}/v1/layouts/{id}", server.url))).await;
    assert_eq!(status, 200);
    assert_valid("Layout", &read);
    // Version 2: retitled, a panel retitled and another relinked, for the diff.
    let mut doc2 = doc.clone();
    doc2["title"] = json!("Desk 2");
    let watchlist = &mut doc2["root"]["content"][0]["content"][0];
    assert_eq!(watchlist["id"], "demo-watchlist");
    watchlist["title"] = json!("Watch");
    watchlist["channel"] = Value::Null;
    let (status, saved) = call(
        http.put(format!("{}/v1/layouts/{id}", server.url))
            .json(&json!({"base_version": 1, "document": doc2, "message": "again"})),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_valid("Saved", &saved);
    let (status, stale) = call(
        http.put(format!("{}/v1/layouts/{id}", server.url))
            .json(&json!({"base_version": 1, "document": doc})),
    )
    .await;
    assert_eq!(status, 409);
    assert_valid("ErrorBody", &stale);
    let (status, list) = call(http.get(format!("{}/v1/layouts", server.url))).await;
    assert_eq!(status, 200);
    assert_valid("LayoutList", &list);
    let (status, diff) =
        call(http.get(format!("{}/v1/layouts/{id}/diff?from=1&to=2", server.url))).await;
    assert_eq!(status, 200, "{diff}");
    assert!(
        diff["title"].is_object()
            && diff["retitled"][0].is_object()
            && diff["relinked"][0].is_object(),
        "{diff}"
    );
    assert_valid("VersionDiff", &diff);
    let (status, me) = call(http.get(format!("{}/v1/users/me", server.url))).await;
    assert_eq!(status, 200);
    assert_valid("UserInfo", &me);
}

/// Issue 14, item 8: the registration's schema states the rules the server
/// checks, so a request the schema allows is not refused with 422 for a
/// rule it did not state (and the schema never allows what the server
/// refuses). Each sample is tried in its field of a valid registration,
/// against the schema and against the server's own check.
#[test]
fn regression_14_8_the_registration_schema_states_the_rules() {
    let schema = validator("WidgetRegistration");
    let base = registration("acme.clock");
    let samples: &[(&str, &[&str])] = &[
        (
            "id",
            &[
                "acme.clock",
                "a.b",
                "acme-corp.price-chart2",
                "",
                "acme",
                "Acme.clock",
                "acme.",
                ".clock",
                "acme.clock.x",
                "acme.1clock",
                "acme.clock-",
                "acme-.clock",
                "acme.cl ock",
                "acme.c\u{0}",
            ],
        ),
        ("title", &["Clock", " x ", "", "   ", "\t\n", "a\u{0}b"]),
        (
            "version",
            &[
                "1.0.0",
                "0.1.2-beta.1+build.7",
                "10.20.30-rc.1",
                "1.0",
                "01.0.0",
                "1.0.0-",
                "1.0.0-01",
                "v1.0.0",
                "1.0.0+",
                "1.0.0 ",
            ],
        ),
        (
            "tag",
            &[
                "acme-clock",
                "x-",
                "a.b-c_d",
                "clock",
                "Acme-clock",
                "1-clock",
                "-clock",
                "acme-clöck",
            ],
        ),
        (
            "entry",
            &[
                "clock.js",
                "dist/app.js",
                ".hidden/x.js",
                "...",
                "a..b/c",
                "./x.js",
                "",
                "/etc/passwd",
                "../x.js",
                "a/../x.js",
                "a//b.js",
                "a\\b.js",
                "c:x.js",
                "a/",
                "x\u{0}.js",
            ],
        ),
        ("description", &["", "A clock.", "a\u{0}b"]),
        (
            "app_id",
            &["clock", "Clock@acme:v1", "", "has space", "a/b"],
        ),
    ];
    for (field, values) in samples {
        for value in *values {
            let mut reg = base.clone();
            match *field {
                "id" => reg.id = (*value).into(),
                "title" => reg.title = (*value).into(),
                "version" => reg.version = (*value).into(),
                "tag" => reg.tag = (*value).into(),
                // The manifest lists the entry (files are checked on their own below).
                "entry" => {
                    reg.entry = (*value).into();
                    reg.files.clear();
                }
                "description" => reg.description = (*value).into(),
                "app_id" => reg.app_id = Some((*value).into()),
                _ => unreachable!(),
            }
            // NUL is refused in every string as the body is read (item 2).
            let server = reg.validate().and_then(|()| match value.contains('\u{0}') {
                true => Err(FieldError::new(*field, "holds U+0000")),
                false => Ok(()),
            });
            let json = serde_json::to_value(&reg).unwrap();
            assert_eq!(
                schema.is_valid(&json),
                server.is_ok(),
                "{field} = {value:?}: the server says {server:?}, the schema disagrees"
            );
        }
    }
    // Context types: 1 to 256 characters, no whitespace or control characters.
    for (ty, ok) in [
        ("fdc3.instrument", true),
        ("x", true),
        ("", false),
        ("fdc3 instrument", false),
        ("fdc3.\u{85}", false),
    ] {
        let mut reg = base.clone();
        reg.interop.listens = vec![ty.into()];
        assert_eq!(reg.validate().is_ok(), ok, "{ty:?}");
        let json = serde_json::to_value(&reg).unwrap();
        assert_eq!(schema.is_valid(&json), ok, "listens {ty:?}");
    }
    let long = "é".repeat(256);
    let mut reg = base.clone();
    reg.interop.broadcasts = vec![long.clone()];
    assert!(
        reg.validate().is_ok(),
        "256 characters (512 bytes) are taken"
    );
    assert!(schema.is_valid(&serde_json::to_value(&reg).unwrap()));
    reg.interop.broadcasts = vec![format!("{long}é")];
    assert!(reg.validate().is_err());
    assert!(!schema.is_valid(&serde_json::to_value(&reg).unwrap()));
    // File names follow the path rule.
    let mut reg = base.clone();
    let hash = reg.files.values().next().unwrap().clone();
    reg.files.insert("../up.js".into(), hash);
    assert!(reg.validate().is_err());
    assert!(!schema.is_valid(&serde_json::to_value(&reg).unwrap()));
}
