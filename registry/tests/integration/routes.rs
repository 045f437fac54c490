//! The HTTP contract, exercised through the router without a socket.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tessera_registry::http::{router, AppState, MAX_BODY_BYTES};
use tower::ServiceExt;

use crate::support::{registration, sqlite_store, TestStore};

async fn app() -> (axum::Router, TestStore) {
    let t = sqlite_store().await;
    (
        router(AppState {
            store: t.store.clone(),
        }),
        t,
    )
}

async fn call(
    app: &axum::Router,
    method: &str,
    uri: &str,
    body: Option<String>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    if body.is_some() {
        req = req.header("content-type", "application/json");
    }
    let req = req
        .body(body.map(Body::from).unwrap_or_else(Body::empty))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
    };
    (status, value)
}

#[tokio::test]
async fn register_list_get_deregister() {
    let (app, _t) = app().await;
    let body = serde_json::to_string(&registration("acme.clock")).unwrap();
    let (status, created) = call(&app, "POST", "/v1/widgets", Some(body.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["revision"], 1);

    let (status, again) = call(&app, "POST", "/v1/widgets", Some(body)).await;
    assert_eq!(status, StatusCode::OK, "re-registration updates: {again}");
    assert_eq!(again["revision"], 2);

    let (status, list) = call(&app, "GET", "/v1/widgets", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["widgets"].as_array().unwrap().len(), 1);
    assert_eq!(list["widgets"][0]["tag"], "acme-clock");

    let (status, one) = call(&app, "GET", "/v1/widgets/acme.clock", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["id"], "acme.clock");

    let (status, _) = call(&app, "DELETE", "/v1/widgets/acme.clock", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(&app, "DELETE", "/v1/widgets/acme.clock", None).await;
    assert_eq!(
        status,
        StatusCode::NO_CONTENT,
        "deregistration is idempotent"
    );
    let (status, err) = call(&app, "GET", "/v1/widgets/acme.clock", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(err["code"], "not_found");
}

/// Each bad registration answers 4xx naming the field, and stores nothing.
#[tokio::test]
async fn bad_registrations_name_the_field_and_store_nothing() {
    let (app, _t) = app().await;
    let good = serde_json::to_value(registration("acme.clock")).unwrap();
    let cases: Vec<(&str, Value, &str)> = vec![
        ("id", json!("no-dot"), "id"),
        ("tag", json!("clock"), "tag"),
        ("version", json!("one"), "version"),
        ("entry", json!("../etc/passwd"), "entry"),
        ("entry", json!("missing.js"), "entry"),
        ("base_url", json!("not a url"), "base_url"),
    ];
    for (key, value, field) in cases {
        let mut body = good.clone();
        body[key] = value.clone();
        let (status, err) = call(&app, "POST", "/v1/widgets", Some(body.to_string())).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{key}={value}: {err}"
        );
        assert_eq!(err["code"], "invalid_field");
        assert_eq!(err["field"], field, "{key}={value}: {err}");
    }
    let (_, list) = call(&app, "GET", "/v1/widgets", None).await;
    assert_eq!(list["widgets"], json!([]), "nothing was stored");
}

#[tokio::test]
async fn malformed_and_unknown_fields_are_400() {
    let (app, _t) = app().await;
    let (status, err) = call(&app, "POST", "/v1/widgets", Some("{not json".into())).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["code"], "malformed_json");

    let mut body = serde_json::to_value(registration("acme.clock")).unwrap();
    body["colour"] = json!("red");
    let (status, err) = call(&app, "POST", "/v1/widgets", Some(body.to_string())).await;
    assert_eq!(status.as_u16() / 100, 4, "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("colour"),
        "the message names the unknown field: {err}"
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let (app, _t) = app().await;
    let mut reg = registration("acme.clock");
    for i in 0..(MAX_BODY_BYTES / 64) {
        reg.files.insert(format!("f{i}.js"), "c".repeat(64));
    }
    let (status, err) = call(
        &app,
        "POST",
        "/v1/widgets",
        Some(serde_json::to_string(&reg).unwrap()),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{err}");
    assert_eq!(err["code"], "payload_too_large");
}

#[tokio::test]
async fn a_claimed_tag_is_409() {
    let (app, _t) = app().await;
    let body = serde_json::to_string(&registration("acme.clock")).unwrap();
    assert_eq!(
        call(&app, "POST", "/v1/widgets", Some(body)).await.0,
        StatusCode::CREATED
    );
    let mut thief = registration("other.clock");
    thief.tag = "acme-clock".into();
    let (status, err) = call(
        &app,
        "POST",
        "/v1/widgets",
        Some(serde_json::to_string(&thief).unwrap()),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["code"], "conflict");
}

#[tokio::test]
async fn health_and_readiness() {
    let (app, _t) = app().await;
    assert_eq!(call(&app, "GET", "/healthz", None).await.0, StatusCode::OK);
    assert_eq!(call(&app, "GET", "/readyz", None).await.0, StatusCode::OK);
    let (status, err) = call(&app, "GET", "/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(err["code"], "not_found");
}
