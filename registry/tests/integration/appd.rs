//! `/v2/apps` validates against the FDC3 2.2 App Directory schema (shared/specs, kept in tests/fixtures).

use serde_json::{json, Value};

use crate::support::{fast_config, registration, sqlite_store, TestServer};

fn spec() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/fdc3-appd-2.2.schema.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// A JSON Schema for one component of the OpenAPI document, with every
/// `#/components/schemas/...` reference resolvable inside it.
fn validator(component: &str) -> jsonschema::Validator {
    let spec = spec();
    let schema = json!({
        "$ref": format!("#/components/schemas/{component}"),
        "components": spec["components"],
    });
    jsonschema::validator_for(&schema).expect("the FDC3 schema compiles")
}

fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

#[tokio::test]
async fn app_directory_records_validate_against_fdc3_2_2() {
    let server = TestServer::start(sqlite_store().await, fast_config()).await;
    let client = server.publisher_client("acme").await;
    let mut reg = registration("acme.price-chart");
    reg.icon = Some("icon.svg".into());
    reg.files.insert("icon.svg".into(), "b".repeat(64));
    reg.interop.broadcasts = vec!["fdc3.instrument".into()];
    client.register(&reg).await.unwrap();
    client.register(&registration("acme.clock")).await.unwrap();
    let mut named = registration("acme.intent-a");
    named.app_id = Some("IntentAppA".into());
    client.register(&named).await.unwrap();

    let all: Value = reqwest::get(format!("{}/v2/apps", server.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let v = validator("AllApplicationsResponse");
    assert_eq!(errors(&v, &all), Vec::<String>::new());
    assert_eq!(all["applications"].as_array().unwrap().len(), 3);
    // Known by its FDC3 appId, which the widget named (issue 13).
    let by_app_id: Value = reqwest::get(format!("{}/v2/apps/IntentAppA", server.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_app_id["appId"], "IntentAppA");
    assert_eq!(
        by_app_id["hostManifests"]["tessera"]["widgetId"],
        "acme.intent-a"
    );

    let one: Value = reqwest::get(format!("{}/v2/apps/acme.price-chart", server.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        errors(&validator("Application"), &one),
        Vec::<String>::new()
    );
    assert_eq!(one["appId"], "acme.price-chart");
    assert_eq!(one["publisher"], "acme");
    assert_eq!(
        one["interop"]["userChannels"]["listensFor"],
        json!(["fdc3.instrument"])
    );
    assert_eq!(
        one["interop"]["userChannels"]["broadcasts"],
        json!(["fdc3.instrument"])
    );
    // Through the server, never the sidecar's own address (issue 11).
    assert_eq!(
        one["icons"][0]["src"],
        "/v1/widgets/acme.price-chart/files/icon.svg"
    );
    assert!(
        !one.to_string().contains("45678"),
        "the sidecar's address is not in the record: {one}"
    );
    assert_eq!(one["hostManifests"]["tessera"]["tag"], "acme-price-chart");
    assert_eq!(one["hostManifests"]["tessera"]["entry"], "widget.js");

    // The validator is not vacuous: a record without its required fields fails.
    assert!(!errors(&validator("Application"), &json!({"appId": "x"})).is_empty());

    let missing = reqwest::get(format!("{}/v2/apps/acme.none", server.url))
        .await
        .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
}
