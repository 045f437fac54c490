//! Who may do what: every role against every operation, with the exact status
//! of each cell, and a `denied` audit record for every refusal.

use serde_json::{json, Value};

use crate::support::{doc, on_both_engines, App, TestStore};

on_both_engines!(
    every_role_gets_the_status_the_rules_say_for_every_operation,
    requests_without_a_valid_token_are_401,
    sharing_changes_take_effect_at_once,
);

const ROLES: [&str; 6] = ["owner", "editor", "viewer", "member", "stranger", "admin"];

/// One operation: method, path after `/v1/layouts/{id}`, body, whether it
/// runs on a layout the owner has already moved to the bin, and the expected
/// status for each of `ROLES`.
struct Op {
    name: &'static str,
    method: &'static str,
    path: &'static str,
    body: Option<fn() -> Value>,
    on_deleted: bool,
    want: [u16; 6],
}

fn ops() -> Vec<Op> {
    fn save() -> Value {
        json!({"base_version": 1, "document": doc("Desk", "changed")})
    }
    fn rename() -> Value {
        json!({"base_version": 1, "title": "Renamed"})
    }
    fn base() -> Value {
        json!({"base_version": 1})
    }
    fn sharing() -> Value {
        json!({"organisation": false, "users": [{"name": "editor", "access": "edit"}, {"name": "viewer", "access": "view"}],
               "groups": [{"name": "team", "access": "edit"}]})
    }
    fn nothing() -> Value {
        json!({})
    }
    //                                                      owner editor viewer member stranger admin
    vec![
        Op {
            name: "read",
            method: "GET",
            path: "",
            body: None,
            on_deleted: false,
            want: [200, 200, 200, 200, 404, 200],
        },
        Op {
            name: "save",
            method: "PUT",
            path: "",
            body: Some(save),
            on_deleted: false,
            want: [200, 200, 403, 200, 404, 200],
        },
        Op {
            name: "rename",
            method: "PATCH",
            path: "",
            body: Some(rename),
            on_deleted: false,
            want: [200, 200, 403, 200, 404, 200],
        },
        Op {
            name: "list versions",
            method: "GET",
            path: "/versions",
            body: None,
            on_deleted: false,
            want: [200, 200, 200, 200, 404, 200],
        },
        Op {
            name: "fetch a version",
            method: "GET",
            path: "/versions/1",
            body: None,
            on_deleted: false,
            want: [200, 200, 200, 200, 404, 200],
        },
        Op {
            name: "diff",
            method: "GET",
            path: "/diff?from=1&to=1",
            body: None,
            on_deleted: false,
            want: [200, 200, 200, 200, 404, 200],
        },
        Op {
            name: "restore a version",
            method: "POST",
            path: "/versions/1/restore",
            body: Some(base),
            on_deleted: false,
            want: [200, 200, 403, 200, 404, 200],
        },
        Op {
            name: "read sharing",
            method: "GET",
            path: "/sharing",
            body: None,
            on_deleted: false,
            want: [200, 200, 200, 200, 404, 200],
        },
        Op {
            name: "change sharing",
            method: "PUT",
            path: "/sharing",
            body: Some(sharing),
            on_deleted: false,
            want: [200, 403, 403, 403, 404, 200],
        },
        Op {
            name: "clone",
            method: "POST",
            path: "/clone",
            body: Some(nothing),
            on_deleted: false,
            want: [201, 201, 201, 201, 404, 201],
        },
        Op {
            name: "export",
            method: "GET",
            path: "/export/golden-layout",
            body: None,
            on_deleted: false,
            want: [200, 200, 200, 200, 404, 200],
        },
        Op {
            name: "watch",
            method: "GET",
            path: "/watch",
            body: None,
            on_deleted: false,
            want: [200, 200, 200, 200, 404, 200],
        },
        Op {
            name: "read audit",
            method: "GET",
            path: "/audit",
            body: None,
            on_deleted: false,
            want: [200, 403, 403, 403, 404, 200],
        },
        Op {
            name: "delete",
            method: "DELETE",
            path: "",
            body: None,
            on_deleted: false,
            want: [204, 403, 403, 403, 404, 204],
        },
        Op {
            name: "restore from the bin",
            method: "POST",
            path: "/restore",
            body: None,
            on_deleted: true,
            want: [200, 404, 404, 404, 404, 200],
        },
        Op {
            name: "read a deleted layout",
            method: "GET",
            path: "",
            body: None,
            on_deleted: true,
            want: [410, 404, 404, 404, 404, 410],
        },
        Op {
            name: "save a deleted layout",
            method: "PUT",
            path: "",
            body: Some(save),
            on_deleted: true,
            want: [410, 404, 404, 404, 404, 410],
        },
    ]
}

struct Cast {
    tokens: Vec<String>,
}

async fn cast(app: &App) -> Cast {
    let mut tokens = Vec::new();
    for role in ROLES {
        tokens.push(app.user(role, role == "admin").await);
    }
    tessera_accounts::add_group(app.accounts(), "team")
        .await
        .unwrap();
    tessera_accounts::add_member(app.accounts(), "team", "member")
        .await
        .unwrap();
    Cast { tokens }
}

/// A fresh layout of the owner's: editor may edit, viewer view, group `team` (member) edit.
async fn fixture(app: &App, c: &Cast) -> String {
    let owner = &c.tokens[0];
    let id = app.create(owner, doc("Desk", "v1")).await;
    app.share(
        owner,
        &id,
        json!({"organisation": false,
               "users": [{"name": "editor", "access": "edit"}, {"name": "viewer", "access": "view"}],
               "groups": [{"name": "team", "access": "edit"}]}),
    )
    .await;
    id
}

async fn denied_count(app: &App, id: &str) -> usize {
    app.store()
        .audit(Some(id), i64::MAX, 500)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.action == "denied")
        .count()
}

async fn every_role_gets_the_status_the_rules_say_for_every_operation(t: TestStore) {
    let app = App::new(t);
    let c = cast(&app).await;
    let mut failures = Vec::new();
    for op in ops() {
        for (r, role) in ROLES.iter().enumerate() {
            let id = fixture(&app, &c).await;
            if op.on_deleted {
                app.call(
                    "DELETE",
                    &format!("/v1/layouts/{id}"),
                    Some(&c.tokens[0]),
                    None,
                )
                .await
                .expect(204, "the owner deletes");
            }
            let denied_before = denied_count(&app, &id).await;
            let uri = format!("/v1/layouts/{id}{}", op.path);
            let got = app
                .call(op.method, &uri, Some(&c.tokens[r]), op.body.map(|b| b()))
                .await;
            let want = op.want[r];
            if got.status.as_u16() != want {
                failures.push(format!(
                    "{} by {role}: got {}, want {want} ({})",
                    op.name, got.status, got.body
                ));
                continue;
            }
            if want >= 400 {
                assert!(
                    got.body["code"].is_string() && got.body["message"].is_string(),
                    "{} by {role}: every refusal carries the error envelope, got {}",
                    op.name,
                    got.body
                );
            }
            // Refusals of layouts that exist are audited (the owner's 410s are not refusals).
            if want == 403 || want == 404 {
                assert!(
                    denied_count(&app, &id).await > denied_before,
                    "{} by {role} was refused ({want}) so the audit log must record it",
                    op.name
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "cells that differ from the rules:\n{}",
        failures.join("\n")
    );

    // Listing follows the same rules: visible layouts are listed, others are not.
    let id = fixture(&app, &c).await;
    for (r, role) in ROLES.iter().enumerate() {
        let list = app
            .get("/v1/layouts?scope=all&limit=200", &c.tokens[r])
            .await
            .expect(200, "anyone may list");
        let listed = list["layouts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["id"] == id.as_str());
        let should = !matches!(*role, "stranger" | "admin");
        assert_eq!(
            listed, should,
            "{role} lists the layout only if it is shared with them"
        );
    }
    let everything = app
        .get("/v1/layouts?scope=everything&limit=200", &c.tokens[5])
        .await
        .expect(200, "admins may list everything");
    assert!(
        everything["layouts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["id"] == id.as_str()),
        "scope=everything shows an admin every layout"
    );
    app.get("/v1/layouts?scope=everything", &c.tokens[1])
        .await
        .expect(403, "scope=everything is for admins only");
}

async fn requests_without_a_valid_token_are_401(t: TestStore) {
    let app = App::new(t);
    let owner = app.user("owner", false).await;
    let id = app.create(&owner, doc("Desk", "v1")).await;
    for token in [None, Some("tsu_not-a-real-token"), Some("")] {
        let r = app
            .call("GET", &format!("/v1/layouts/{id}"), token, None)
            .await;
        let body = r.expect(401, "no token, no layout");
        assert_eq!(body["code"], "unauthorized");
    }
    app.call("GET", "/v1/layouts", None, None)
        .await
        .expect(401, "listing needs a token too");
}

async fn sharing_changes_take_effect_at_once(t: TestStore) {
    let app = App::new(t);
    let owner = app.user("owner", false).await;
    let colleague = app.user("colleague", false).await;
    let member = app.user("member", false).await;
    tessera_accounts::add_group(app.accounts(), "sales")
        .await
        .unwrap();
    tessera_accounts::add_member(app.accounts(), "sales", "member")
        .await
        .unwrap();
    let id = app.create(&owner, doc("Desk", "v1")).await;
    let read = |token: String| {
        let uri = format!("/v1/layouts/{id}");
        let app = &app;
        async move { app.get(&uri, &token).await.status.as_u16() }
    };
    assert_eq!(
        read(colleague.clone()).await,
        404,
        "a new layout is private"
    );

    app.share(&owner, &id, json!({"organisation": true})).await;
    assert_eq!(
        read(colleague.clone()).await,
        200,
        "organisation-wide: everyone may view"
    );
    let got = app
        .get(&format!("/v1/layouts/{id}"), &colleague)
        .await
        .expect(200, "view");
    assert_eq!(got["visibility"], "organisation");
    assert_eq!(got["access"], "view");
    app.save(&colleague, &id, 1, doc("Desk", "x"))
        .await
        .expect(403, "organisation visibility is view only");

    app.share(
        &owner,
        &id,
        json!({"groups": [{"name": "sales", "access": "view"}]}),
    )
    .await;
    assert_eq!(
        read(colleague.clone()).await,
        404,
        "back to named grants: the colleague lost access"
    );
    let got = app
        .get(&format!("/v1/layouts/{id}"), &member)
        .await
        .expect(200, "group view");
    assert_eq!(got["visibility"], "shared");
    assert_eq!(got["access"], "view");

    let sharing = app
        .get(&format!("/v1/layouts/{id}/sharing"), &member)
        .await
        .expect(200, "viewers see sharing");
    assert_eq!(
        sharing,
        json!({"organisation": false, "users": [], "groups": [{"name": "sales", "access": "view"}]})
    );

    let bad = app
        .call(
            "PUT",
            &format!("/v1/layouts/{id}/sharing"),
            Some(&owner),
            Some(json!({"users": [{"name": "nobody", "access": "view"}]})),
        )
        .await
        .expect(422, "sharing with an unknown user names the entry");
    assert_eq!(bad["field"], "users[0].name");

    let audit = app
        .get(&format!("/v1/layouts/{id}/audit"), &owner)
        .await
        .expect(200, "owner reads audit");
    let shared: Vec<&Value> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "shared")
        .collect();
    assert_eq!(
        shared.len(),
        2,
        "each sharing change is audited once: {audit}"
    );
    assert_eq!(shared[0]["actor"], "owner");
    assert_eq!(
        shared[0]["detail"]["after"]["groups"][0]["name"], "sales",
        "newest first, with before and after"
    );
    assert_eq!(shared[0]["detail"]["before"]["organisation"], true);
}
