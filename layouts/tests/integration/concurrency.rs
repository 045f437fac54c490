//! Optimistic concurrency: many writers racing on one layout never lose an
//! edit. Each accepted save gets its own consecutive version and exactly one
//! history row; each refused one is a 409 naming the current version.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::support::{doc, on_both_engines, App, TestStore};

on_both_engines!(
    eight_writers_a_thousand_saves_no_lost_edit,
    a_stale_save_changes_nothing
);

const WRITERS: usize = 8;
const ATTEMPTS: usize = 1000;

async fn eight_writers_a_thousand_saves_no_lost_edit(t: TestStore) {
    let app = Arc::new(App::new(t));
    let owner = app.user("owner", false).await;
    let id = app.create(&owner, doc("Race", "start")).await;

    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let (app, owner, id) = (app.clone(), owner.clone(), id.clone());
        tasks.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            for j in 0..ATTEMPTS / WRITERS {
                let current = app
                    .get(&format!("/v1/layouts/{id}"), &owner)
                    .await
                    .expect(200, "read current");
                let base = current["version"].as_i64().unwrap();
                let marker = format!("w{w}-{j}");
                let r = app.save(&owner, &id, base, doc("Race", &marker)).await;
                outcomes.push((marker, base, r.status.as_u16(), r.body));
            }
            outcomes
        }));
    }
    let mut accepted: BTreeMap<i64, String> = BTreeMap::new();
    let mut refused = 0;
    for task in tasks {
        for (marker, base, status, body) in task.await.unwrap() {
            match status {
                200 => {
                    let v = body["version"].as_i64().unwrap();
                    assert_eq!(
                        v,
                        base + 1,
                        "an accepted save is the version right after the one it edited"
                    );
                    assert!(
                        accepted.insert(v, marker).is_none(),
                        "version {v} was handed out twice: two saves were both accepted on the same base"
                    );
                }
                409 => {
                    refused += 1;
                    assert_eq!(body["code"], "stale_version", "{body}");
                    let current = body["current_version"].as_i64().unwrap();
                    assert!(
                        current > base,
                        "a refused save names a newer current version ({current} > {base})"
                    );
                }
                other => panic!("a save either wins or gets 409, never {other}: {body}"),
            }
        }
    }
    assert_eq!(
        accepted.len() + refused,
        ATTEMPTS,
        "every attempt was answered"
    );
    assert!(!accepted.is_empty(), "some saves must succeed");
    let n = accepted.len() as i64;
    assert_eq!(
        accepted.keys().copied().collect::<Vec<_>>(),
        (2..=n + 1).collect::<Vec<_>>(),
        "accepted saves have distinct, consecutive versions after version 1"
    );

    // The history holds exactly version 1 and the accepted saves, each with the document that won it.
    let mut history = Vec::new();
    let mut before: Option<i64> = None;
    loop {
        let q = before.map(|b| format!("&before={b}")).unwrap_or_default();
        let page = app
            .get(&format!("/v1/layouts/{id}/versions?limit=500{q}"), &owner)
            .await
            .expect(200, "history");
        let versions = page["versions"].as_array().unwrap().clone();
        if versions.is_empty() {
            break;
        }
        before = versions.last().and_then(|v| v["version"].as_i64());
        history.extend(versions.into_iter().map(|v| v["version"].as_i64().unwrap()));
    }
    history.reverse();
    assert_eq!(
        history,
        (1..=n + 1).collect::<Vec<_>>(),
        "one history row per accepted save, none for refused ones"
    );
    for (v, marker) in &accepted {
        let stored = app
            .get(&format!("/v1/layouts/{id}/versions/{v}"), &owner)
            .await
            .expect(200, "version");
        assert_eq!(
            stored["document"]["root"]["content"][0]["content"][0]["state"]["marker"],
            marker.as_str(),
            "version {v} holds the document of the save that was told it got version {v}"
        );
    }
    let last = app
        .get(&format!("/v1/layouts/{id}"), &owner)
        .await
        .expect(200, "read");
    assert_eq!(last["version"], n + 1);
    assert_eq!(
        last["document"]["root"]["content"][0]["content"][0]["state"]["marker"],
        accepted[&(n + 1)].as_str(),
        "the current document is the last accepted save"
    );
}

async fn a_stale_save_changes_nothing(t: TestStore) {
    let app = App::new(t);
    let owner = app.user("owner", false).await;
    let id = app.create(&owner, doc("Desk", "one")).await;
    app.save(&owner, &id, 1, doc("Desk", "two"))
        .await
        .expect(200, "a save on the current version");
    let before = app
        .get(&format!("/v1/layouts/{id}"), &owner)
        .await
        .expect(200, "read");

    let body = app
        .save(&owner, &id, 1, doc("Desk", "stale"))
        .await
        .expect(409, "a save on version 1 when the layout is at 2");
    assert_eq!(body["code"], "stale_version");
    assert_eq!(
        body["current_version"], 2,
        "the 409 says which version to reload"
    );

    let after = app
        .get(&format!("/v1/layouts/{id}"), &owner)
        .await
        .expect(200, "read");
    assert_eq!(after, before, "nothing was overwritten by the stale save");
    let versions = app
        .get(&format!("/v1/layouts/{id}/versions"), &owner)
        .await
        .expect(200, "history");
    assert_eq!(
        versions["versions"].as_array().unwrap().len(),
        2,
        "no history row for the refused save"
    );
}
