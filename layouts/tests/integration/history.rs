//! History: versions with author, time and message; fetch, diff, restore.

use serde_json::json;

use crate::support::{doc, on_both_engines, panel, App, TestStore};

on_both_engines!(every_version_is_kept_diffed_and_restorable);

async fn every_version_is_kept_diffed_and_restorable(t: TestStore) {
    let app = App::new(t);
    let owner = app.user("owner", false).await;
    let editor = app.user("editor", false).await;
    let id = app.create(&owner, doc("Desk", "v1")).await;
    app.share(
        &owner,
        &id,
        json!({"users": [{"name": "editor", "access": "edit"}]}),
    )
    .await;

    // Version 2 (by the editor): move "news" to the second stack, retitle the
    // chart, drop the clock, add a calendar.
    let mut v2 = doc("Desk", "v1");
    let news = v2["root"]["content"][0]["content"]
        .as_array_mut()
        .unwrap()
        .remove(1);
    v2["root"]["content"][0]["content"][0]["title"] = json!("Chart (AAPL)");
    v2["root"]["content"][1]["content"] = json!([news, panel("cal", "acme.calendar", "Calendar")]);
    let saved = app
        .call(
            "PUT",
            &format!("/v1/layouts/{id}"),
            Some(&editor),
            Some(json!({"base_version": 1, "document": v2, "message": "reorganised"})),
        )
        .await
        .expect(200, "an editor saves");
    assert_eq!(saved["version"], 2);

    let versions = app
        .get(&format!("/v1/layouts/{id}/versions"), &owner)
        .await
        .expect(200, "history");
    let list = versions["versions"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["version"], 2, "newest first");
    assert_eq!(list[0]["author"], "editor");
    assert_eq!(list[0]["message"], "reorganised");
    assert_eq!(list[1]["author"], "owner");
    assert!(list[0]["created_at"].as_str().unwrap() >= list[1]["created_at"].as_str().unwrap());

    let v1 = app
        .get(&format!("/v1/layouts/{id}/versions/1"), &editor)
        .await
        .expect(200, "version 1");
    assert_eq!(
        v1["document"],
        doc("Desk", "v1"),
        "old versions read back exactly"
    );
    app.get(&format!("/v1/layouts/{id}/versions/9"), &owner)
        .await
        .expect(404, "no such version");
    app.get(&format!("/v1/layouts/{id}/versions/x"), &owner)
        .await
        .expect(404, "not a version number");

    let d = app
        .get(&format!("/v1/layouts/{id}/diff?from=1&to=2"), &owner)
        .await
        .expect(200, "diff");
    let ids = |k: &str| -> Vec<String> {
        d[k].as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(ids("added"), ["cal"]);
    assert_eq!(ids("removed"), ["clock"]);
    assert_eq!(ids("moved"), ["news"]);
    assert_eq!(
        d["moved"][0]["from"],
        json!({"parent": "$.root.content[0]", "index": 1})
    );
    assert_eq!(
        d["moved"][0]["to"],
        json!({"parent": "$.root.content[1]", "index": 0})
    );
    assert_eq!(
        d["retitled"],
        json!([{"id": "chart", "from": "Chart", "to": "Chart (AAPL)"}])
    );

    let restored = app
        .call(
            "POST",
            &format!("/v1/layouts/{id}/versions/1/restore"),
            Some(&owner),
            Some(json!({"base_version": 2})),
        )
        .await
        .expect(200, "restore version 1");
    assert_eq!(
        restored["version"], 3,
        "restoring writes a new version; history is never rewritten"
    );
    let now = app
        .get(&format!("/v1/layouts/{id}"), &owner)
        .await
        .expect(200, "read");
    assert_eq!(now["document"], doc("Desk", "v1"));
    let versions = app
        .get(&format!("/v1/layouts/{id}/versions"), &owner)
        .await
        .expect(200, "history");
    assert_eq!(versions["versions"][0]["message"], "restored version 1");
    assert_eq!(versions["versions"].as_array().unwrap().len(), 3);
    app.call(
        "POST",
        &format!("/v1/layouts/{id}/versions/1/restore"),
        Some(&owner),
        Some(json!({"base_version": 2})),
    )
    .await
    .expect(409, "a restore on a stale version is refused like a save");
}
