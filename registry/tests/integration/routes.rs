//! The HTTP contract, exercised through the router without a socket.

use axum::http::StatusCode;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tessera_registry::config::ServerConfig;
use tessera_registry::http::{AppState, MAX_BODY_BYTES};
use tessera_server::router;
use tower::ServiceExt;

use crate::support::{publisher_token, registration, sqlite_store, TestStore};

struct App {
    router: axum::Router,
    state: AppState,
    acme: String,
    _t: TestStore,
}

async fn app_with(config: ServerConfig) -> App {
    let t = sqlite_store().await;
    let state = AppState::new(t.store.clone(), config).await.unwrap();
    let acme = publisher_token(&t.store, "acme").await;
    App {
        router: router(state.clone()),
        state,
        acme,
        _t: t,
    }
}

async fn app() -> App {
    app_with(ServerConfig::default()).await
}

impl App {
    async fn call(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<String>,
    ) -> (StatusCode, Value, axum::http::HeaderMap) {
        let req = tessera_testkit::http::request(method, uri, token, body);
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        (status, tessera_testkit::http::json_of(&bytes), headers)
    }

    async fn register(&self, token: &str, body: String) -> (StatusCode, Value) {
        let (s, v, _) = self
            .call("POST", "/v1/widgets", Some(token), Some(body))
            .await;
        (s, v)
    }

    async fn widget_count(&self) -> usize {
        let (_, list, _) = self.call("GET", "/v1/widgets", None, None).await;
        list["widgets"].as_array().unwrap().len()
    }
}

fn body(id: &str) -> String {
    serde_json::to_string(&registration(id)).unwrap()
}

#[tokio::test]
async fn register_list_get_heartbeat_deregister() {
    let app = app().await;
    let (status, created) = app.register(&app.acme, body("acme.clock")).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["widget"]["revision"], 1);
    assert_eq!(
        created["heartbeat"],
        json!({"interval_ms": 5000, "ttl_ms": 15000})
    );
    let instance = created["instance"].as_str().unwrap().to_owned();

    let (status, again) = app.register(&app.acme, body("acme.clock")).await;
    assert_eq!(status, StatusCode::OK, "re-registration updates: {again}");
    assert_eq!(again["widget"]["revision"], 2);
    let instance2 = again["instance"].as_str().unwrap().to_owned();
    assert_ne!(instance, instance2, "each registration is a new instance");

    let (status, list, _) = app.call("GET", "/v1/widgets", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["widgets"][0]["tag"], "acme-clock");
    assert_eq!(list["widgets"][0]["state"], "online");
    assert_eq!(list["last_event_id"], 2, "two registrations, two events");

    let beat = |i: &str| json!({"instance": i}).to_string();
    let (status, _, _) = app
        .call(
            "POST",
            "/v1/widgets/acme.clock/heartbeat",
            Some(&app.acme),
            Some(beat(&instance2)),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, err, _) = app
        .call(
            "POST",
            "/v1/widgets/acme.clock/heartbeat",
            Some(&app.acme),
            Some(beat(&instance)),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a replaced instance must re-register: {err}"
    );
    let (status, _, _) = app
        .call(
            "POST",
            "/v1/widgets/acme.nope/heartbeat",
            Some(&app.acme),
            Some(beat("x")),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "unknown widget");

    let (status, _, _) = app
        .call("DELETE", "/v1/widgets/acme.clock", Some(&app.acme), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = app
        .call("DELETE", "/v1/widgets/acme.clock", Some(&app.acme), None)
        .await;
    assert_eq!(
        status,
        StatusCode::NO_CONTENT,
        "deregistration is idempotent"
    );
    let (status, err, _) = app.call("GET", "/v1/widgets/acme.clock", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(err["code"], "not_found");
}

#[tokio::test]
async fn only_the_owning_publisher_may_change_a_widget() {
    let app = app().await;
    let other = publisher_token(&app.state.store, "other").await;
    let (status, err) = app.register("tsr_made_up", body("acme.clock")).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    let (status, err, _) = app
        .call("POST", "/v1/widgets", None, Some(body("acme.clock")))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(err["message"].as_str().unwrap().contains("Bearer"), "{err}");
    let (status, err) = app.register(&other, body("acme.clock")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("\"other\""),
        "{err}"
    );
    assert_eq!(app.widget_count().await, 0, "nothing stored");

    assert_eq!(
        app.register(&app.acme, body("acme.clock")).await.0,
        StatusCode::CREATED
    );
    let (status, _, _) = app
        .call("DELETE", "/v1/widgets/acme.clock", Some(&other), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = app
        .call("DELETE", "/v1/widgets/acme.clock", None, None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.widget_count().await, 1, "still registered");

    let admin = tessera_registry::auth::add_token(&app.state.store, None, true, "ops")
        .await
        .unwrap();
    let (status, _, _) = app
        .call("DELETE", "/v1/widgets/acme.clock", Some(&admin), None)
        .await;
    assert_eq!(
        status,
        StatusCode::NO_CONTENT,
        "an admin may remove any entry"
    );
    assert_eq!(app.widget_count().await, 0);
}

/// Each bad registration answers 4xx naming the field, and stores nothing.
#[tokio::test]
async fn bad_registrations_name_the_field_and_store_nothing() {
    let app = app().await;
    let good = serde_json::to_value(registration("acme.clock")).unwrap();
    let cases: Vec<(&str, Value, &str)> = vec![
        ("id", json!("no-dot"), "id"),
        ("id", json!("Acme.clock"), "id"),
        ("tag", json!("clock"), "tag"),
        ("version", json!("one"), "version"),
        ("entry", json!("../etc/passwd"), "entry"),
        ("entry", json!("missing.js"), "entry"),
        ("base_url", json!("not a url"), "base_url"),
        ("app_id", json!("has space"), "app_id"),
        ("app_id", json!(""), "app_id"),
        ("key", json!("short"), "key"),
    ];
    for (key, value, field) in cases {
        let mut b = good.clone();
        b[key] = value.clone();
        let (status, err) = app.register(&app.acme, b.to_string()).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{key}={value}: {err}"
        );
        assert_eq!(err["code"], "invalid_field");
        assert_eq!(err["field"], field, "{key}={value}: {err}");
    }
    let mut b = good.clone();
    b["interop"]["listens"] = json!(["fdc3 instrument"]);
    let (status, err) = app.register(&app.acme, b.to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["field"], "interop.listens[0]");
    assert_eq!(app.widget_count().await, 0, "nothing was stored");
}

#[tokio::test]
async fn malformed_and_unknown_fields_are_400() {
    let app = app().await;
    let (status, err) = app.register(&app.acme, "{not json".into()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["code"], "malformed_json");

    let mut b = serde_json::to_value(registration("acme.clock")).unwrap();
    b["colour"] = json!("red");
    let (status, err) = app.register(&app.acme, b.to_string()).await;
    assert_eq!(status.as_u16() / 100, 4, "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("colour"),
        "the message names the unknown field: {err}"
    );
    assert_eq!(app.widget_count().await, 0);
}

#[tokio::test]
async fn oversized_manifests_are_refused() {
    let app = app().await;
    let mut reg = registration("acme.clock");
    for i in 0..(MAX_BODY_BYTES / 64) {
        reg.files.insert(format!("f{i}.js"), "c".repeat(64));
    }
    let (status, err) = app
        .register(&app.acme, serde_json::to_string(&reg).unwrap())
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{err}");
    assert_eq!(err["code"], "payload_too_large");

    let mut reg = registration("acme.clock");
    for i in 0..=tessera_registry::api::MAX_MANIFEST_FILES {
        reg.files.insert(format!("{i}.js"), "c".repeat(64));
    }
    let (status, err) = app
        .register(&app.acme, serde_json::to_string(&reg).unwrap())
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["field"], "files");
    assert_eq!(app.widget_count().await, 0);
}

#[tokio::test]
async fn a_claimed_tag_is_409() {
    let app = app().await;
    let other = publisher_token(&app.state.store, "other").await;
    assert_eq!(
        app.register(&app.acme, body("acme.clock")).await.0,
        StatusCode::CREATED
    );
    let mut thief = registration("other.clock");
    thief.tag = "acme-clock".into();
    let (status, err) = app
        .register(&other, serde_json::to_string(&thief).unwrap())
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["code"], "conflict");
}

#[tokio::test]
async fn tokens_are_rate_limited_with_retry_after() {
    let app = app_with(ServerConfig {
        rate_limit_per_sec: 1,
        ..ServerConfig::default()
    })
    .await;
    // Burst of two, then refused.
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(app.register(&app.acme, body("acme.clock")).await.0);
    }
    assert!(statuses[..2].iter().all(|s| s.is_success()), "{statuses:?}");
    let (status, err, headers) = app
        .call(
            "POST",
            "/v1/widgets",
            Some(&app.acme),
            Some(body("acme.clock")),
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{err}");
    assert_eq!(err["code"], "rate_limited");
    let retry: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=2).contains(&retry), "Retry-After {retry}");
    // Other tokens are not affected.
    let other = publisher_token(&app.state.store, "other").await;
    assert_eq!(
        app.register(&other, body("other.clock")).await.0,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn operations_endpoints() {
    let app = app().await;
    assert_eq!(
        app.call("GET", "/healthz", None, None).await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.call("GET", "/readyz", None, None).await.0,
        StatusCode::OK
    );
    let (status, err, _) = app.call("GET", "/nope", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(err["code"], "not_found");

    app.register(&app.acme, body("acme.clock")).await;
    let (status, text, headers) = app.call("GET", "/metrics", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = text.as_str().unwrap();
    assert!(
        text.contains(r#"tessera_widgets{state="online"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(
            r#"tessera_http_requests_total{method="POST",route="/v1/widgets",status="201"} 1"#
        ),
        "requests are counted by matched route: {text}"
    );
    assert!(text.contains("tessera_http_request_duration_seconds_bucket"));
    assert!(text.contains("tessera_watchers 0"));
}

#[tokio::test]
async fn the_status_page_needs_an_admin_token_off_loopback() {
    let app = app().await;
    app.register(&app.acme, body("acme.clock")).await;
    // Through `oneshot` there is no peer address: treated as off loopback.
    let (status, _, _) = app.call("GET", "/", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = app.call("GET", "/", Some(&app.acme), None).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a publisher token is not an admin token"
    );
    let admin = tessera_registry::auth::add_token(&app.state.store, None, true, "ops")
        .await
        .unwrap();
    let (status, page, _) = app.call("GET", "/", Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK);
    let page = page.as_str().unwrap();
    assert!(
        page.contains("acme.clock") && page.contains("online"),
        "{page}"
    );
}

/// Issue 14, item 5: bogus tokens were stored by the limiter forever, each
/// with a budget of its own. Now they share their address's budget, and
/// nothing of them stays behind.
#[tokio::test]
async fn regression_14_5_bogus_tokens_share_one_budget_and_leave_nothing_behind() {
    let app = app_with(ServerConfig {
        rate_limit_per_sec: 5,
        ..ServerConfig::default()
    })
    .await;
    let mut unauthorized = 0;
    let mut limited = 0;
    let started = std::time::Instant::now();
    for i in 0..2000 {
        let bogus = format!("tsr_bogus_{i}");
        match app.register(&bogus, body("acme.clock")).await.0 {
            StatusCode::UNAUTHORIZED => unauthorized += 1,
            StatusCode::TOO_MANY_REQUESTS => limited += 1,
            other => panic!("unexpected {other}"),
        }
    }
    // A burst of 10, refilled at 5 per second while the loop runs.
    let budget = 11 + (5.0 * started.elapsed().as_secs_f64()).ceil() as usize;
    assert!(
        unauthorized <= budget,
        "one budget for them all: {unauthorized} > {budget}"
    );
    assert_eq!(limited, 2000 - unauthorized);
    assert_eq!(
        app.state.limits.tracked(),
        (0, 1),
        "no per-token budgets, one address"
    );
    assert_eq!(app.state.auth.cached(), 0, "bogus tokens are not cached");
}

/// Issue 14, item 5: the layouts routes were not rate limited at all (300
/// requests at 646/s under `--rate-limit 5`, all 200).
#[tokio::test]
async fn regression_14_5_layouts_routes_are_rate_limited() {
    let t = sqlite_store().await;
    let layouts = crate::support::layouts_beside(&t).await;
    let ann = layouts.user("ann").await;
    let config = ServerConfig {
        rate_limit_per_sec: 5,
        ..ServerConfig::default()
    };
    let state =
        tessera_server::ServerState::from(AppState::new(t.store.clone(), config).await.unwrap())
            .with_layouts(layouts.layouts);
    let app = App {
        router: router(state.clone()),
        acme: String::new(),
        state: state.registry,
        _t: t,
    };
    let mut statuses = Vec::new();
    for _ in 0..30 {
        statuses.push(app.call("GET", "/v1/layouts", Some(&ann), None).await);
    }
    let ok = statuses
        .iter()
        .filter(|(s, _, _)| *s == StatusCode::OK)
        .count();
    assert!((10..=11).contains(&ok), "a burst of 10, then refused: {ok}");
    let (status, err, headers) = statuses.last().unwrap();
    assert_eq!(*status, StatusCode::TOO_MANY_REQUESTS, "{err}");
    assert_eq!(err["code"], "rate_limited");
    assert!(headers.contains_key("retry-after"));
}

/// Issue 14, item 8: every way a request can be wrong answers the envelope
/// `{code, message, field?}` with a documented status.
#[tokio::test]
async fn regression_14_8_errors_outside_the_envelope() {
    let app = app().await;
    let huge = format!("{{\"pad\":\"{}\"}}", "x".repeat(MAX_BODY_BYTES + 1));
    let (status, err, _) = app
        .call("POST", "/v1/widgets", Some(&app.acme), Some(huge))
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{err}");
    assert_eq!(err["code"], "payload_too_large", "{err}");

    let (status, err, _) = app.call("GET", "/v1/widgets/acme.%ff", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{err}");
    assert_eq!(err["code"], "not_found", "{err}");

    let (status, err, _) = app
        .call("GET", "/v1/widgets/watch?since=abc", None, None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["field"], "query", "{err}");

    let (status, err, _) = app.call("PATCH", "/v1/widgets", None, None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{err}");
    assert_eq!(err["code"], "method_not_allowed", "{err}");

    // A heartbeat with no Content-Type is read like any other.
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/v1/widgets/acme.clock/heartbeat")
        .header("authorization", format!("Bearer {}", app.acme))
        .body(axum::body::Body::from(r#"{"instance":"i_nope"}"#))
        .unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::NOT_FOUND,
        "read as JSON: an unknown instance is 404, not 400"
    );

    let mut reg = registration("acme.clock");
    reg.description = "a\u{0}b".into();
    let (status, err) = app
        .register(&app.acme, serde_json::to_string(&reg).unwrap())
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["field"], "$.description", "{err}");
    let (status, err) = app
        .register(&app.acme, format!("[{}]", body("acme.clock")))
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a list is not a registration: {err}"
    );
}
