//! Issue 12: `GET /l/{id}`, the page a layout's link opens in a browser: it
//! offers the `tessera://` links and names the layout only to those who may
//! see it; to anyone else a hidden layout and a missing one look the same.

use axum::body::Body;
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use crate::support::{doc, on_both_engines, App, TestStore};

on_both_engines!(the_link_page_names_a_layout_only_to_those_who_may_see_it);

async fn page(
    app: &App,
    uri: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
) -> (u16, String) {
    let mut req = axum::http::Request::get(uri).header("host", "tessera.example.test:7410");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = app
        .router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status().as_u16();
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "an HTML page"
    );
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

async fn the_link_page_names_a_layout_only_to_those_who_may_see_it(t: TestStore) {
    let app = App::new(t);
    let alice = app.user("alice", false).await;
    let bob = app.user("bob", false).await;
    let mut d = doc("Rates <desk> & co", "m");
    d["title"] = json!("Rates <desk> & co");
    let id = app.create(&alice, d).await;
    app.call(
        "PATCH",
        &format!("/v1/layouts/{id}"),
        Some(&alice),
        Some(json!({"base_version": 1, "title": "Rates <desk> & co"})),
    )
    .await
    .expect(200, "rename");
    let uri = format!("/l/{id}");

    let (status, anonymous) = page(&app, &uri, None, &[]).await;
    assert_eq!(status, 200);
    let server = "server=http%3A%2F%2Ftessera.example.test%3A7410";
    assert!(
        anonymous.contains(&format!("href=\"tessera://layout/{id}?{server}\"")),
        "the app link, with this server: {anonymous}"
    );
    assert!(anonymous.contains(&format!("tessera://view/{id}?{server}")));
    assert!(!anonymous.contains("Rates"), "no title without a token");

    let (_, owner) = page(&app, &uri, Some(&alice), &[]).await;
    assert!(
        owner.contains("Rates &lt;desk&gt; &amp; co") && !owner.contains("<desk>"),
        "the title, escaped: {owner}"
    );
    assert!(owner.contains("by alice"));

    // Bob may not see it: the page is the one a missing layout gets.
    let (_, hidden) = page(&app, &uri, Some(&bob), &[]).await;
    let (_, missing) = page(&app, "/l/lay_doesnotexist", Some(&bob), &[]).await;
    assert!(!hidden.contains("Rates"));
    assert_eq!(
        hidden.replace(&id, "ID"),
        missing.replace("lay_doesnotexist", "ID")
    );
    app.share(
        &alice,
        &id,
        json!({"organisation": true, "users": [], "groups": []}),
    )
    .await;
    let (_, shared) = page(&app, &uri, Some(&bob), &[]).await;
    assert!(shared.contains("Rates &lt;desk&gt;"), "now bob may see it");

    // `?view=1` puts the locked viewer first; a TLS proxy's headers are honoured.
    let (_, view) = page(
        &app,
        &format!("{uri}?view=1"),
        None,
        &[
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "tessera.example.com"),
        ],
    )
    .await;
    assert!(
        view.contains(&format!(
            "id=\"open\" href=\"tessera://view/{id}?server=https%3A%2F%2Ftessera.example.com\""
        )),
        "{view}"
    );
    let (status, _) = page(&app, "/l/..%2Fetc", None, &[]).await;
    assert_eq!(status, 404, "not a layout id");
}
