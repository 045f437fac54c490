//! Clones: a private copy with fresh panel ids that remembers its source
//! (layout and version) and notices when the source moves on.

use std::collections::HashSet;

use serde_json::{json, Value};

use crate::support::{doc, on_both_engines, App, TestStore};

on_both_engines!(a_clone_is_private_fresh_and_remembers_its_source);

fn panel_ids(document: &Value) -> Vec<String> {
    let layout: tessera_layouts::LayoutDocument = serde_json::from_value(document.clone()).unwrap();
    layout.panels().map(|p| p.id.clone()).collect()
}

async fn a_clone_is_private_fresh_and_remembers_its_source(t: TestStore) {
    let app = App::new(t);
    let head = app.user("head", false).await;
    let staff = app.user("staff", false).await;
    let other = app.user("other", false).await;
    let source = app.create(&head, doc("Head of desk", "v1")).await;
    app.share(&head, &source, json!({"organisation": true}))
        .await;
    app.save(&head, &source, 1, doc("Head of desk", "v2"))
        .await
        .expect(200, "source at version 2");

    let clone = app
        .call(
            "POST",
            &format!("/v1/layouts/{source}/clone"),
            Some(&staff),
            None,
        )
        .await
        .expect(201, "a viewer may clone");
    let cid = clone["id"].as_str().unwrap().to_owned();
    assert_ne!(cid, source);
    assert_eq!(
        clone["cloned_from"],
        json!({"layout": source, "version": 2}),
        "it records the source and the version cloned"
    );
    assert_eq!(clone["owner"], "staff", "the cloner owns the copy");
    assert_eq!(
        clone["visibility"], "private",
        "a clone starts private, whatever the source's sharing"
    );
    assert_eq!(clone["version"], 1);
    assert_eq!(clone["title"], "Copy of Head of desk");
    assert_eq!(clone["source_version"], 2);
    assert_eq!(clone["source_has_newer_versions"], false);

    let src = app
        .get(&format!("/v1/layouts/{source}"), &head)
        .await
        .expect(200, "source");
    let (old_ids, new_ids) = (panel_ids(&src["document"]), panel_ids(&clone["document"]));
    assert_eq!(old_ids.len(), new_ids.len(), "same panels");
    assert_eq!(
        new_ids.iter().collect::<HashSet<_>>().len(),
        new_ids.len(),
        "fresh ids are unique"
    );
    assert!(
        new_ids.iter().all(|id| !old_ids.contains(id)),
        "no panel id is shared with the source: {old_ids:?} vs {new_ids:?}"
    );
    let mut same = clone["document"].clone();
    let mut orig = src["document"].clone();
    for d in [&mut same, &mut orig] {
        d["title"] = json!("");
        for stack in d["root"]["content"].as_array_mut().unwrap() {
            for p in stack["content"].as_array_mut().unwrap() {
                p["id"] = json!("");
            }
        }
    }
    assert_eq!(
        same, orig,
        "apart from ids and title, the clone is the source's document"
    );

    app.get(&format!("/v1/layouts/{cid}"), &other)
        .await
        .expect(404, "nobody else sees the clone");
    app.get(&format!("/v1/layouts/{cid}"), &head)
        .await
        .expect(404, "not even the source's owner");

    app.save(&head, &source, 2, doc("Head of desk", "v3"))
        .await
        .expect(200, "the source moves on");
    let c = app
        .get(&format!("/v1/layouts/{cid}"), &staff)
        .await
        .expect(200, "clone");
    assert_eq!(c["source_version"], 3);
    assert_eq!(
        c["source_has_newer_versions"], true,
        "the clone shows its source has newer versions"
    );
    assert_eq!(c["cloned_from"]["version"], 2, "provenance does not change");

    // Edits to the clone are the cloner's own.
    app.save(&staff, &cid, 1, doc("My desk", "mine"))
        .await
        .expect(200, "the owner of the clone saves");
    let s = app
        .get(&format!("/v1/layouts/{source}"), &head)
        .await
        .expect(200, "source");
    assert_eq!(
        s["version"], 3,
        "saving the clone does not touch the source"
    );

    // A source that is deleted (or no longer visible) is no longer reported.
    app.share(&head, &source, json!({"organisation": false}))
        .await;
    let c = app
        .get(&format!("/v1/layouts/{cid}"), &staff)
        .await
        .expect(200, "clone");
    assert_eq!(
        c["source_version"],
        Value::Null,
        "a source the cloner may not see is not described"
    );
    assert_eq!(c["source_has_newer_versions"], false);
    assert_eq!(
        c["cloned_from"]["layout"],
        source.as_str(),
        "but the provenance stays"
    );

    let named = app
        .call(
            "POST",
            &format!("/v1/layouts/{cid}/clone"),
            Some(&staff),
            Some(json!({"title": "Second copy"})),
        )
        .await
        .expect(201, "clone with a title");
    assert_eq!(named["title"], "Second copy");
    assert_eq!(named["cloned_from"], json!({"layout": cid, "version": 2}));
}
