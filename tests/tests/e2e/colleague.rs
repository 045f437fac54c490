//! A new starter clones the head of department's layout in the app, tweaks
//! the copy, shares it, sees that the source moved on, and restores an old
//! version from the history, renames it, deletes it and brings it back from
//! the bin — every step through the shell's dialogs, every
//! outcome checked on the server.

use std::time::Duration;

use serde_json::{json, Value};
use tessera_e2e::desktop::Desktop;
use tessera_e2e::webdriver::{Element, Session};
use tessera_e2e::Stack;

const WAIT: Duration = Duration::from_secs(90);

struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Value {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let value: Value = resp.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "{path}: {status} {value}");
        value
    }
    async fn get(&self, path: &str, token: &str) -> Value {
        self.call(reqwest::Method::GET, path, token, None).await
    }
}

async fn status_line(s: &Session) -> String {
    s.execute(
        "return document.getElementById('layout-status').textContent",
        vec![],
    )
    .await
    .unwrap()
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

async fn wait_status(s: &Session, what: &str, starts: &str) -> String {
    s.wait_for(what, WAIT, || async {
        let t = status_line(s).await;
        Ok(t.starts_with(starts).then_some(t))
    })
    .await
}

async fn click(s: &Session, css: &str, what: &str) {
    let found = s.wait_for_element(what, WAIT, css).await;
    s.click(&found).await.unwrap();
}

/// Opens the Layouts dialog on `scope`; the `button` of layout `id` there.
async fn in_layouts_dialog(s: &Session, scope: &str, button: &str, id: &str) -> Element {
    click(s, "#open-layout", "the Layouts button").await;
    click(
        s,
        &format!(r#".scope-tab[data-scope="{scope}"]"#),
        "the scope tab",
    )
    .await;
    // The list is refreshed for the scope: wait for that list.
    let css = format!(r#".layouts-list[data-scope="{scope}"] .{button}[data-layout-id="{id}"]"#);
    s.wait_for_element("the layout in the list", WAIT, &css)
        .await
}

fn panel_count(doc: &Value) -> usize {
    let doc: tessera_layouts::LayoutDocument = serde_json::from_value(doc.clone()).unwrap();
    doc.panels().count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_colleagues_layout_is_cloned_tweaked_shared_and_restored_in_the_app() {
    let stack = Stack::start(&["greeting", "clock", "watchlist", "price-chart"]).await;
    let head = stack.add_user("head").await;
    let me = stack.user_token.clone();
    let api = Api {
        http: reqwest::Client::new(),
        base: stack.registry_url.clone(),
    };

    // The head of department's layout, visible to the whole organisation.
    let doc = serde_json::to_value(tessera_layouts::demo_layout()).unwrap();
    let source_panels = panel_count(&doc);
    let created = api
        .call(
            reqwest::Method::POST,
            "/v1/layouts",
            &head,
            Some(json!({"title": "Head of desk", "document": doc})),
        )
        .await;
    let source = created["id"].as_str().unwrap().to_owned();
    api.call(
        reqwest::Method::PUT,
        &format!("/v1/layouts/{source}/sharing"),
        &head,
        Some(json!({"organisation": true, "users": [], "groups": []})),
    )
    .await;

    let desktop = Desktop::start_full(
        &stack.registry_url,
        &[],
        &[("TESSERA_USER_TOKEN", me.as_str())],
    )
    .await;
    let s = &desktop.session;
    s.wait_for_element("the shell", WAIT, "body[data-ready=true]")
        .await;

    // Open it from the organisation's layouts: view only, so Save makes a copy.
    let entry = in_layouts_dialog(s, "organisation", "layout-choice", &source).await;
    desktop.screenshot("layouts-dialog").await;
    s.click(&entry).await.unwrap();
    let opened = wait_status(s, "the colleague's layout to open", "Opened").await;
    assert!(
        opened.contains("head’s") && opened.contains("view only"),
        "{opened}"
    );
    let bar = || async {
        s.execute(
            "return { save: document.getElementById('save-layout').textContent,
                      share: document.getElementById('share-layout').disabled,
                      access: document.getElementById('layout-access').textContent }",
            vec![],
        )
        .await
        .unwrap()
    };
    assert_eq!(
        bar().await,
        json!({"save": "Save a copy", "share": true, "access": "view only"})
    );

    // Tweak (add a clock from the marketplace), then save: a private clone with the tweak.
    click(
        s,
        r#"li[data-widget-id="tessera.clock"] .mi-add"#,
        "the clock in the marketplace",
    )
    .await;
    s.wait_for("the added clock", WAIT, || async {
        Ok((s.find_all(".widget-frame").await?.len() == source_panels + 1).then_some(()))
    })
    .await;
    click(s, "#save-layout", "Save a copy").await;
    let saved = wait_status(s, "the copy to be saved", "Saved as your own copy").await;
    assert_eq!(
        saved,
        "Saved as your own copy, “Copy of Head of desk” (version 2)"
    );
    let mine = api.get("/v1/layouts?scope=mine", &me).await;
    assert_eq!(mine["layouts"].as_array().unwrap().len(), 1, "{mine}");
    let copy = mine["layouts"][0]["id"].as_str().unwrap().to_owned();
    let stored = api.get(&format!("/v1/layouts/{copy}"), &me).await;
    assert_eq!(
        stored["cloned_from"],
        json!({"layout": source, "version": 1})
    );
    assert_eq!(stored["version"], 2);
    assert_eq!(
        panel_count(&stored["document"]),
        source_panels + 1,
        "the tweak is in the copy"
    );
    let untouched = api.get(&format!("/v1/layouts/{source}"), &head).await;
    assert_eq!(
        untouched["version"], 1,
        "the colleague's layout is untouched"
    );
    assert_eq!(
        bar().await,
        json!({"save": "Save", "share": false, "access": ""})
    );

    // Share the copy back with its source's owner, as an editor, and with everyone.
    click(s, "#share-layout", "Share").await;
    click(
        s,
        r#".share-level[data-kind="user"][data-name="head"]"#,
        "head in the Share dialog",
    )
    .await;
    s.execute(
        "const sel = document.querySelector('.share-level[data-kind=user][data-name=head]');
         sel.value = 'edit'; sel.dispatchEvent(new Event('change'));
         document.querySelector('.share-organisation').click(); return true",
        vec![],
    )
    .await
    .unwrap();
    desktop.screenshot("share-dialog").await;
    click(s, ".share-save", "Save sharing").await;
    wait_status(
        s,
        "sharing to be saved",
        "Shared “Copy of Head of desk” with the organisation",
    )
    .await;
    let sharing = api.get(&format!("/v1/layouts/{copy}/sharing"), &me).await;
    assert_eq!(
        sharing,
        json!({"organisation": true, "users": [{"name": "head", "access": "edit"}], "groups": []})
    );

    // The source moves on: reopening the copy says so.
    let mut newer = doc.clone();
    newer["title"] = json!("Head of desk");
    api.call(
        reqwest::Method::PUT,
        &format!("/v1/layouts/{source}"),
        &head,
        Some(json!({"base_version": 1, "document": newer, "message": "reviewed"})),
    )
    .await;
    let entry = in_layouts_dialog(s, "mine", "layout-choice", &copy).await;
    s.click(&entry).await.unwrap();
    s.wait_for("the note about the source", WAIT, || async {
        let t = status_line(s).await;
        Ok(t.contains("its source has a newer version (2)")
            .then_some(()))
    })
    .await;

    // History: restore version 1 (the clone as made) as version 3.
    click(s, "#layout-history", "History").await;
    click(
        s,
        r#".history-row[data-version="2"] .history-changes-button"#,
        "Changes of version 2",
    )
    .await;
    s.wait_for("the changes of version 2", WAIT, || async {
        let t = s
            .execute(
                "return document.querySelector('.history-changes').textContent",
                vec![],
            )
            .await?;
        Ok(t.as_str()
            .filter(|t| t.contains("added “Clock”"))
            .map(|_| ()))
    })
    .await;
    let shot = desktop.screenshot("history").await;
    eprintln!("screenshot: {}", shot.display());
    click(
        s,
        r#".history-restore[data-version="1"]"#,
        "Restore version 1",
    )
    .await;
    wait_status(s, "the restore", "Restored version 1 as version 3").await;
    let restored = api.get(&format!("/v1/layouts/{copy}"), &me).await;
    assert_eq!(restored["version"], 3);
    assert_eq!(
        panel_count(&restored["document"]),
        source_panels,
        "version 1's panels"
    );
    assert_eq!(
        s.find_all(".widget-frame").await.unwrap().len(),
        source_panels,
        "and in the workspace"
    );
    // Rename from the title in the top bar: a new version.
    click(s, "#layout-title", "the layout title").await;
    click(s, ".rename-input", "the title field").await;
    s.execute(
        "document.querySelector('.rename-input').value = 'My desk'; return true",
        vec![],
    )
    .await
    .unwrap();
    click(s, ".rename-save", "Rename").await;
    wait_status(s, "the rename", "Renamed to “My desk” (version 4)").await;
    let renamed = api.get(&format!("/v1/layouts/{copy}"), &me).await;
    assert_eq!(
        (renamed["title"].as_str(), renamed["version"].as_i64()),
        (Some("My desk"), Some(4))
    );

    // Delete (a second click confirms) moves it to the bin; the Bin brings it back.
    let delete = in_layouts_dialog(s, "mine", "layout-delete", &copy).await;
    s.click(&delete).await.unwrap();
    s.click(&delete).await.unwrap();
    wait_status(s, "the delete", "Moved “My desk” to the bin").await;
    let gone = api
        .http
        .get(format!("{}/v1/layouts/{copy}", api.base))
        .bearer_auth(&me)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(gone.as_u16(), 410, "in the bin");
    click(s, ".modal-buttons button", "Close").await;
    let back = in_layouts_dialog(s, "deleted", "layout-undelete", &copy).await;
    s.click(&back).await.unwrap();
    wait_status(
        s,
        "the restore from the bin",
        "Restored “My desk” from the bin",
    )
    .await;
    assert_eq!(
        api.get(&format!("/v1/layouts/{copy}"), &me).await["version"],
        4
    );
}
