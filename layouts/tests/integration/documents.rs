//! Documents: every validation rule refused with a 422 naming its JSON path
//! (and nothing stored), create / read / rename, listing and search, the bin.

use serde_json::{json, Value};

use crate::support::{doc, on_both_engines, panel, App, TestStore};

on_both_engines!(
    unknown_node_type_names_its_path,
    sizes_that_do_not_add_up_name_the_container,
    a_size_that_is_not_a_percentage_names_itself,
    duplicate_panel_ids_name_the_second,
    nesting_deeper_than_32_names_the_node,
    json_nested_beyond_the_parser_is_422_not_400,
    more_than_500_panels_names_the_501st,
    documents_over_1_mib_are_refused_at_the_root,
    a_stack_tab_that_does_not_exist_names_active,
    a_stack_holding_a_row_names_the_child_type,
    an_empty_row_names_its_content,
    an_unsupported_schema_names_schema,
    a_wrong_field_type_names_the_field,
    an_unknown_field_names_itself,
    a_layout_needs_a_title,
    malformed_json_is_400_and_huge_bodies_413,
    create_read_rename_and_round_trip_every_field,
    list_scopes_search_and_stable_pages,
    the_bin_restore_and_purge,
);

/// Saves `bad` over a stored layout and checks the 422 names `path`, then that
/// the stored layout (document, version, history) did not change.
async fn refused_at(t: TestStore, bad: Value, path: &str) {
    let app = App::new(t);
    let owner = app.user("owner", false).await;
    let id = app.create(&owner, doc("Desk", "kept")).await;
    let before = app
        .get(&format!("/v1/layouts/{id}"), &owner)
        .await
        .expect(200, "read");

    let err = app
        .save(&owner, &id, 1, bad.clone())
        .await
        .expect(422, "an invalid document");
    assert_eq!(err["code"], "invalid_field", "{err}");
    assert_eq!(
        err["field"], path,
        "the error names where the document is wrong: {err}"
    );
    assert!(
        err["message"].as_str().unwrap().contains(path),
        "the message names the path too: {err}"
    );

    let after = app
        .get(&format!("/v1/layouts/{id}"), &owner)
        .await
        .expect(200, "read");
    assert_eq!(
        after, before,
        "a refused save leaves the stored layout as it was"
    );
    let history = app
        .get(&format!("/v1/layouts/{id}/versions"), &owner)
        .await
        .expect(200, "history");
    assert_eq!(
        history["versions"].as_array().unwrap().len(),
        1,
        "and writes no history"
    );

    // Creating a layout from the same document is refused the same way.
    let err = app
        .call(
            "POST",
            "/v1/layouts",
            Some(&owner),
            Some(json!({"document": bad})),
        )
        .await
        .expect(422, "creating from an invalid document");
    assert_eq!(err["field"], path);
}

fn with_root(root: Value) -> Value {
    json!({"schema": 1, "title": "Bad", "root": root})
}

async fn unknown_node_type_names_its_path(t: TestStore) {
    let bad = with_root(
        json!({"type": "row", "content": [panel("a", "x.y", "A"), {"type": "grid", "content": []}]}),
    );
    refused_at(t, bad, "$.root.content[1].type").await;
}

async fn sizes_that_do_not_add_up_name_the_container(t: TestStore) {
    let mut a = panel("a", "x.y", "A");
    a["size"] = json!("30%");
    let mut b = panel("b", "x.y", "B");
    b["size"] = json!("30%");
    refused_at(
        t,
        with_root(json!({"type": "column", "content": [a, b]})),
        "$.root.content",
    )
    .await;
}

async fn a_size_that_is_not_a_percentage_names_itself(t: TestStore) {
    let mut a = panel("a", "x.y", "A");
    a["size"] = json!("300px");
    refused_at(
        t,
        with_root(json!({"type": "row", "content": [a]})),
        "$.root.content[0].size",
    )
    .await;
}

async fn duplicate_panel_ids_name_the_second(t: TestStore) {
    let bad = with_root(
        json!({"type": "row", "content": [panel("a", "x.y", "A"), panel("a", "x.y", "B")]}),
    );
    refused_at(t, bad, "$.root.content[1].id").await;
}

async fn nesting_deeper_than_32_names_the_node(t: TestStore) {
    let mut node = panel("leaf", "x.y", "Leaf");
    for _ in 0..33 {
        node = json!({"type": "row", "content": [node]});
    }
    // The root is level 1; level 33 is the 32nd `content[0]`.
    let path = format!("$.root{}", ".content[0]".repeat(32));
    refused_at(t, with_root(node), &path).await;
}

async fn json_nested_beyond_the_parser_is_422_not_400(t: TestStore) {
    let app = App::new(t);
    let owner = app.user("owner", false).await;
    let mut node = panel("leaf", "x.y", "Leaf").to_string();
    for _ in 0..100 {
        node = format!(r#"{{"type": "row", "content": [{node}]}}"#);
    }
    let body = format!(r#"{{"document": {{"schema": 1, "title": "Deep", "root": {node}}}}}"#);
    let err = app
        .call_raw("POST", "/v1/layouts", Some(&owner), Some(body))
        .await
        .expect(422, "too deep");
    assert_eq!(err["field"], "$", "{err}");
}

async fn more_than_500_panels_names_the_501st(t: TestStore) {
    let many: Vec<Value> = (0..501)
        .map(|i| panel(&format!("p{i}"), "x.y", "P"))
        .collect();
    refused_at(
        t,
        with_root(json!({"type": "row", "content": many})),
        "$.root.content[500]",
    )
    .await;
}

async fn documents_over_1_mib_are_refused_at_the_root(t: TestStore) {
    let mut big = panel("a", "x.y", "A");
    big["state"] = json!({"blob": "x".repeat(1024 * 1024)});
    refused_at(t, with_root(json!({"type": "row", "content": [big]})), "$").await;
}

async fn a_stack_tab_that_does_not_exist_names_active(t: TestStore) {
    let bad = with_root(json!({"type": "stack", "active": 2, "content": [panel("a", "x.y", "A")]}));
    refused_at(t, bad, "$.root.active").await;
}

async fn a_stack_holding_a_row_names_the_child_type(t: TestStore) {
    let bad = with_root(
        json!({"type": "stack", "content": [{"type": "row", "content": [panel("a", "x.y", "A")]}]}),
    );
    refused_at(t, bad, "$.root.content[0].type").await;
}

async fn an_empty_row_names_its_content(t: TestStore) {
    refused_at(
        t,
        with_root(json!({"type": "row", "content": []})),
        "$.root.content",
    )
    .await;
}

async fn an_unsupported_schema_names_schema(t: TestStore) {
    let mut bad = doc("Desk", "x");
    bad["schema"] = json!(2);
    refused_at(t, bad, "$.schema").await;
}

async fn a_wrong_field_type_names_the_field(t: TestStore) {
    let mut bad = doc("Desk", "x");
    bad["root"]["content"][1]["content"][0]["title"] = json!(42);
    refused_at(t, bad, "$.root.content[1].content[0].title").await;
}

async fn an_unknown_field_names_itself(t: TestStore) {
    let mut bad = doc("Desk", "x");
    bad["root"]["content"][0]["colour"] = json!("blue");
    refused_at(t, bad, "$.root.content[0].colour").await;
}

async fn a_layout_needs_a_title(t: TestStore) {
    let mut bad = doc("Desk", "x");
    bad["title"] = json!("   ");
    refused_at(t, bad, "$.title").await;
}

async fn malformed_json_is_400_and_huge_bodies_413(t: TestStore) {
    let app = App::new(t);
    let owner = app.user("owner", false).await;
    let err = app
        .call_raw(
            "POST",
            "/v1/layouts",
            Some(&owner),
            Some("{\"document\": ".into()),
        )
        .await
        .expect(400, "truncated JSON");
    assert_eq!(err["code"], "malformed_json");
    let huge = format!(
        r#"{{"document": {{"blob": "{}"}}}}"#,
        "x".repeat(3 * 1024 * 1024)
    );
    let err = app
        .call_raw("POST", "/v1/layouts", Some(&owner), Some(huge))
        .await
        .expect(413, "3 MiB body");
    assert_eq!(err["code"], "payload_too_large");
}

async fn create_read_rename_and_round_trip_every_field(t: TestStore) {
    let app = App::new(t);
    let owner = app.user("owner", false).await;
    let mut d = doc("Trading desk", "m");
    let detached = |id: &str, widget: &str, title: &str| {
        let mut p = panel(id, widget, title);
        p.as_object_mut().unwrap().remove("type");
        p
    };
    d["floating"] = json!([{"panel": detached("f", "acme.notes", "Notes"), "x": 10, "y": -20, "width": 300, "height": 200}]);
    d["popouts"] = json!([{"panel": detached("p", "acme.chart", "Big chart"), "x": 1280, "y": 0, "width": 800, "height": 600}]);
    let created = app
        .call(
            "POST",
            "/v1/layouts",
            Some(&owner),
            Some(json!({"document": d})),
        )
        .await
        .expect(201, "create");
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("lay_"), "{id}");
    assert_eq!(created["version"], 1);
    assert_eq!(created["owner"], "owner");
    assert_eq!(created["visibility"], "private", "new layouts are private");
    assert_eq!(created["access"], "owner");
    assert_eq!(
        created["widgets"],
        json!(["acme.chart", "acme.news", "acme.notes", "tessera.clock"])
    );
    assert_eq!(
        created["document"], d,
        "the document reads back exactly as sent"
    );

    let got = app
        .get(&format!("/v1/layouts/{id}"), &owner)
        .await
        .expect(200, "read");
    assert_eq!(got["document"], d);
    assert_eq!(got["title"], "Trading desk");

    let renamed = app
        .call(
            "PATCH",
            &format!("/v1/layouts/{id}"),
            Some(&owner),
            Some(json!({"base_version": 1, "title": "Desk 2"})),
        )
        .await
        .expect(200, "rename");
    assert_eq!(renamed["version"], 2, "a rename is a new version");
    let got = app
        .get(&format!("/v1/layouts/{id}"), &owner)
        .await
        .expect(200, "read");
    assert_eq!(got["title"], "Desk 2");
    assert_eq!(
        got["document"]["title"], "Desk 2",
        "the document carries the title"
    );
    let history = app
        .get(&format!("/v1/layouts/{id}/versions"), &owner)
        .await
        .expect(200, "history");
    assert_eq!(history["versions"][0]["author"], "owner");
    assert!(
        history["versions"][0]["message"]
            .as_str()
            .unwrap()
            .contains("renamed"),
        "{history}"
    );

    app.call(
        "PATCH",
        &format!("/v1/layouts/{id}"),
        Some(&owner),
        Some(json!({"base_version": 1, "title": "Late"})),
    )
    .await
    .expect(409, "renames are guarded by the version too");

    // Create with an explicit title overriding the document's.
    let other = app
        .call(
            "POST",
            "/v1/layouts",
            Some(&owner),
            Some(json!({"title": "Named", "document": doc("", "x")})),
        )
        .await
        .expect(
            201,
            "a title in the request stands in for an empty document title",
        );
    assert_eq!(other["document"]["title"], "Named");
}

async fn list_scopes_search_and_stable_pages(t: TestStore) {
    let app = App::new(t);
    let alice = app.user("alice", false).await;
    let bob = app.user("bob", false).await;
    let mut mine = Vec::new();
    for i in 0..7 {
        let title = if i % 2 == 0 {
            format!("Equities {i}")
        } else {
            format!("Rates {i}")
        };
        mine.push(app.create(&alice, doc(&title, "x")).await);
    }
    let mut fx = doc("FX blotter", "x");
    fx["root"]["content"][1]["content"][0]["widget"] = json!("acme.fx_blotter");
    let fx_id = app.create(&alice, fx).await;
    let bobs = app.create(&bob, doc("Bob's desk", "x")).await;
    app.share(
        &bob,
        &bobs,
        json!({"users": [{"name": "alice", "access": "view"}]}),
    )
    .await;
    let org = app.create(&bob, doc("Bob's public desk", "x")).await;
    app.share(&bob, &org, json!({"organisation": true})).await;

    let ids = |v: &Value| -> Vec<String> {
        v["layouts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = app
        .get("/v1/layouts?limit=200", &alice)
        .await
        .expect(200, "list");
    assert_eq!(ids(&all).len(), 10, "all: 8 own, 1 shared, 1 organisation");
    let shared = app
        .get("/v1/layouts?scope=shared", &alice)
        .await
        .expect(200, "shared");
    assert_eq!(ids(&shared), [bobs.as_str()]);
    let orgs = app
        .get("/v1/layouts?scope=organisation", &alice)
        .await
        .expect(200, "org");
    assert_eq!(ids(&orgs), [org.as_str()]);
    assert_eq!(
        ids(&app
            .get("/v1/layouts?scope=mine", &alice)
            .await
            .expect(200, "mine"))
        .len(),
        8
    );

    let eq = app
        .get("/v1/layouts?scope=mine&q=EQUIT", &alice)
        .await
        .expect(200, "search");
    assert_eq!(ids(&eq).len(), 4, "title search is case-insensitive: {eq}");
    let none = app
        .get("/v1/layouts?q=%25", &alice)
        .await
        .expect(200, "search %");
    assert!(
        ids(&none).is_empty(),
        "a % in the search is literal, not a wildcard"
    );
    let by_widget = app
        .get("/v1/layouts?widget=acme.fx_blotter", &alice)
        .await
        .expect(200, "by widget");
    assert_eq!(
        ids(&by_widget),
        [fx_id.as_str()],
        "search by widget matches whole widget ids"
    );
    let by_widget = app
        .get("/v1/layouts?widget=acme.fx", &alice)
        .await
        .expect(200, "by widget");
    assert!(
        ids(&by_widget).is_empty(),
        "a prefix of a widget id is not that widget"
    );

    // Pages of 3 walk the same order as one big page, with no repeats or gaps.
    let whole = ids(&app
        .get("/v1/layouts?scope=mine&limit=200", &alice)
        .await
        .expect(200, "list"));
    let mut paged = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let c = cursor
            .as_ref()
            .map(|c| format!("&cursor={c}"))
            .unwrap_or_default();
        let page = app
            .get(&format!("/v1/layouts?scope=mine&limit=3{c}"), &alice)
            .await
            .expect(200, "page");
        paged.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(paged, whole, "cursor pages are stable");
    let updated: Vec<String> = app
        .get("/v1/layouts?scope=mine&limit=200", &alice)
        .await
        .expect(200, "l")["layouts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["updated_at"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        updated.windows(2).all(|w| w[0] >= w[1]),
        "most recently saved first"
    );

    let err = app
        .get("/v1/layouts?scope=everyone", &alice)
        .await
        .expect(422, "unknown scope");
    assert_eq!(err["field"], "scope");
    let err = app
        .get("/v1/layouts?limit=0", &alice)
        .await
        .expect(422, "limit 0");
    assert_eq!(err["field"], "limit");
    let err = app
        .get("/v1/layouts?cursor=garbage!", &alice)
        .await
        .expect(422, "bad cursor");
    assert_eq!(err["field"], "cursor");
}

async fn the_bin_restore_and_purge(t: TestStore) {
    let app = App::new(t);
    let owner = app.user("owner", false).await;
    let colleague = app.user("colleague", false).await;
    let id = app.create(&owner, doc("Desk", "x")).await;
    app.share(&owner, &id, json!({"organisation": true})).await;
    app.call("DELETE", &format!("/v1/layouts/{id}"), Some(&owner), None)
        .await
        .expect(204, "delete");

    app.get(&format!("/v1/layouts/{id}"), &colleague)
        .await
        .expect(404, "deleted layouts are invisible to others");
    let gone = app
        .get(&format!("/v1/layouts/{id}"), &owner)
        .await
        .expect(410, "the owner is told it is in the bin");
    assert_eq!(gone["code"], "deleted");
    let all = app.get("/v1/layouts", &owner).await.expect(200, "list");
    assert!(
        all["layouts"].as_array().unwrap().is_empty(),
        "deleted layouts leave the lists"
    );
    let bin = app
        .get("/v1/layouts?scope=deleted", &owner)
        .await
        .expect(200, "bin");
    assert_eq!(bin["layouts"][0]["id"], id.as_str());
    assert!(bin["layouts"][0]["deleted_at"].is_string());

    let restored = app
        .call(
            "POST",
            &format!("/v1/layouts/{id}/restore"),
            Some(&owner),
            None,
        )
        .await
        .expect(200, "restore");
    assert_eq!(
        restored["visibility"], "organisation",
        "restoring brings sharing back"
    );
    app.get(&format!("/v1/layouts/{id}"), &colleague)
        .await
        .expect(200, "visible again");
    app.call(
        "POST",
        &format!("/v1/layouts/{id}/restore"),
        Some(&owner),
        None,
    )
    .await
    .expect(409, "not in the bin");

    // Purge removes only what has been in the bin for 30 days.
    app.call("DELETE", &format!("/v1/layouts/{id}"), Some(&owner), None)
        .await
        .expect(204, "delete again");
    let now = chrono::Utc::now();
    let purged = tessera_layouts::purge_expired(app.store(), now)
        .await
        .unwrap();
    assert!(
        purged.is_empty(),
        "a layout deleted just now stays restorable"
    );
    let purged = tessera_layouts::purge_expired(app.store(), now + chrono::Duration::days(31))
        .await
        .unwrap();
    assert_eq!(purged, [id.as_str()], "31 days later it is purged");
    app.get(&format!("/v1/layouts/{id}"), &owner)
        .await
        .expect(404, "purged layouts are gone for good");
    let audit = app.store().audit(Some(&id), i64::MAX, 100).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["purged", "deleted", "restored", "denied", "deleted", "shared"],
        "the audit log outlives the layout and tells its story, newest first \
         (the colleague's read of the deleted layout was refused)"
    );
}
