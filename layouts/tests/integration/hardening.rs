//! Regression tests for what an outside tester broke (issue 14), on both engines.

use serde_json::json;

use crate::support::{doc, on_both_engines, App, TestStore};

on_both_engines!(
    regression_14_3_arrays_are_not_objects,
    regression_14_2_nul_is_refused_the_same_on_both_engines,
);

/// Issue 14, item 3: a JSON array where an object is expected changed
/// sharing or saved a version; now it is a 422 naming where, and nothing
/// stored changes.
async fn regression_14_3_arrays_are_not_objects(t: TestStore) {
    let app = App::new(t);
    let ann = app.user("ann", false).await;
    app.user("bob", false).await;
    let id = app.create(&ann, doc("Desk", "v1")).await;
    let sharing = format!("/v1/layouts/{id}/sharing");

    for (body, at) in [
        (json!([true, [{"name": "bob", "access": "edit"}]]), "$"),
        (json!([]), "$"),
        (
            json!({"organisation": false, "users": [["bob", "edit"]]}),
            "$.users[0]",
        ),
    ] {
        let err = app
            .call("PUT", &sharing, Some(&ann), Some(body.clone()))
            .await
            .expect(422, "an array is not the sharing object");
        assert_eq!(err["field"], at, "{body} → {err}");
    }
    let now = app.get(&sharing, &ann).await.expect(200, "read sharing");
    assert_eq!(now["organisation"], false, "{now}");
    assert_eq!(now["users"], json!([]), "{now}");

    let err = app
        .call(
            "PUT",
            &format!("/v1/layouts/{id}"),
            Some(&ann),
            Some(json!([1, doc("Desk", "v2"), "msg"])),
        )
        .await
        .expect(422, "an array is not a save");
    assert_eq!(err["field"], "$", "{err}");
    let versions = app
        .get(&format!("/v1/layouts/{id}/versions"), &ann)
        .await
        .expect(200, "history");
    assert_eq!(
        versions["versions"].as_array().unwrap().len(),
        1,
        "{versions}"
    );
}

/// Issue 14, item 2: U+0000 in any string was a 500 on Postgres and stored
/// (and matched everything in search) on SQLite; both refuse it now, naming
/// where, and nothing stored changes.
async fn regression_14_2_nul_is_refused_the_same_on_both_engines(t: TestStore) {
    let app = App::new(t);
    let ann = app.user("ann", false).await;
    let id = app.create(&ann, doc("Desk", "v1")).await;
    let mut bad_panel = doc("Desk", "v2");
    bad_panel["root"]["content"][0]["content"][0]["widget"] = json!("acme.\u{0}chart");
    let err = app
        .call(
            "PUT",
            &format!("/v1/layouts/{id}"),
            Some(&ann),
            Some(json!({"base_version": 1, "document": bad_panel})),
        )
        .await
        .expect(422, "a NUL in a panel's widget");
    assert_eq!(
        err["field"], "$.document.root.content[0].content[0].widget",
        "{err}"
    );
    let err = app
        .call(
            "PUT",
            &format!("/v1/layouts/{id}"),
            Some(&ann),
            Some(json!({"base_version": 1, "document": doc("Desk", "v2"), "message": "a\u{0}b"})),
        )
        .await
        .expect(422, "a NUL in a save message");
    assert_eq!(err["field"], "$.message", "{err}");
    let err = app
        .call(
            "PUT",
            &format!("/v1/layouts/{id}/sharing"),
            Some(&ann),
            Some(json!({"users": [{"name": "b\u{0}ob", "access": "view"}]})),
        )
        .await
        .expect(422, "a NUL in a user's name");
    assert_eq!(err["field"], "$.users[0].name", "{err}");
    for q in ["q=%00", "widget=a%00"] {
        let err = app
            .get(&format!("/v1/layouts?{q}"), &ann)
            .await
            .expect(422, "a NUL in a search");
        assert!(
            err["field"].as_str().unwrap().starts_with("query."),
            "{err}"
        );
    }
    let now = app
        .get(&format!("/v1/layouts/{id}"), &ann)
        .await
        .expect(200, "read");
    assert_eq!(now["version"], 1, "nothing was saved: {now}");
}
