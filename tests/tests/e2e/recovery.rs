//! Never losing work: a layout arranged by hand, the app killed with
//! SIGKILL, started again: it reopens the layout and offers the unsaved
//! arrangement back, which Restore puts in place.

use std::time::Duration;

use serde_json::json;
use tessera_e2e::desktop::Desktop;
use tessera_e2e::Stack;

const WAIT: Duration = Duration::from_secs(90);

/// GET `url` as the stack's user, as JSON.
async fn get_json(http: &reqwest::Client, url: &str, token: &str) -> serde_json::Value {
    http.get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

const GROUPS: &str = "return document.querySelectorAll('.dv-groupview').length";
const GREETING_ALONE: &str = "const g = document.querySelector('.dv-groupview:has(.tessera-tab[data-panel-id=\"demo-greeting\"])'); \
     return !!g && g.querySelectorAll('.tessera-tab').length === 1";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_left_unsaved_by_a_kill_is_offered_back_and_restored() {
    let stack = Stack::start(&["greeting", "clock", "watchlist", "price-chart"]).await;
    let env = [("TESSERA_USER_TOKEN", stack.user_token.as_str())];
    let desktop = Desktop::start_full(&stack.registry_url, &[], &env).await;
    let s = &desktop.session;
    s.wait_for_element("the shell to start", WAIT, "body[data-ready=true]")
        .await;
    s.wait_for_element(
        "the greeting's tab",
        WAIT,
        r#".tessera-tab[data-panel-id="demo-greeting"]"#,
    )
    .await;

    // Saved once (Ctrl+S), so there is a layout to reopen.
    desktop.focus_window().await;
    desktop.key("ctrl+s").await;
    s.wait_for_element(
        "the save",
        WAIT,
        r#"#layout-access:not([data-access="unsaved"])"#,
    )
    .await;
    let title = s
        .execute(
            "return document.getElementById('layout-title').textContent",
            vec![],
        )
        .await
        .unwrap();

    // Then arranged by hand and not saved: the greeting to a group of its own.
    desktop
        .drag_tab_onto("demo-greeting", "demo-clock", 0.92, 0.5)
        .await;
    s.wait_for("the split", WAIT, || async {
        s.enter_top().await?;
        Ok((s.execute(GROUPS, vec![]).await? == json!(5)).then_some(()))
    })
    .await;
    let draft = desktop
        .profile
        .path()
        .join("data/tessera/desktop/draft.json");
    s.wait_for("the split kept as a draft on disk", WAIT, || async {
        Ok(std::fs::read_to_string(&draft)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .filter(greeting_alone_in)
            .map(|_| ()))
    })
    .await;

    // SIGKILL: the app, its driver and its display go at once.
    let profile = desktop.profile.clone();
    drop(desktop);

    let desktop = Desktop::start_in(&stack.registry_url, &[], &env, profile).await;
    let s = &desktop.session;
    s.wait_for_element(
        "the offer of the unsaved work",
        WAIT,
        ".draft-dialog .draft-restore",
    )
    .await;
    s.wait_for_element(
        "the saved layout reopened",
        WAIT,
        r#"#layout-access[data-access="owner"]"#,
    )
    .await;
    assert_eq!(
        s.execute(
            "return document.getElementById('layout-title').textContent",
            vec![]
        )
        .await
        .unwrap(),
        title,
        "the layout that was open is open again"
    );
    desktop.screenshot("recovery-offer").await;
    let restore = desktop.rect(".draft-dialog .draft-restore").await.unwrap();
    desktop.click_at(restore.centre()).await;
    s.wait_for("the arrangement restored", WAIT, || async {
        s.enter_top().await?;
        let alone = s.execute(GREETING_ALONE, vec![]).await?;
        let groups = s.execute(GROUPS, vec![]).await?;
        Ok((alone == json!(true) && groups == json!(5)).then_some(()))
    })
    .await;
    assert!(
        s.find_all(".draft-dialog").await.unwrap().is_empty(),
        "the offer is gone"
    );
    desktop.screenshot("recovery-restored").await;
}

/// Whether a draft's document has the greeting alone in its stack.
fn greeting_alone_in(draft: &serde_json::Value) -> bool {
    fn walk(n: &serde_json::Value) -> bool {
        let content = n["content"].as_array();
        if n["type"] == "stack" {
            let ids: Vec<_> = content.into_iter().flatten().map(|p| &p["id"]).collect();
            return ids == [&json!("demo-greeting")];
        }
        content.into_iter().flatten().any(walk)
    }
    walk(&draft["document"]["root"])
}

/// A save that meets a newer version (409) shows what the other version
/// changed and lets the person overwrite: theirs stays in the history, mine
/// becomes the next version.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_save_shows_their_changes_and_overwrites_as_a_new_version() {
    let stack = Stack::start(&["greeting", "clock", "watchlist", "price-chart"]).await;
    let desktop = Desktop::signed_in(&stack, &[]).await;
    let s = &desktop.session;
    desktop.focus_window().await;
    desktop.key("ctrl+s").await;
    s.wait_for_element(
        "the first save",
        WAIT,
        r#"#layout-access:not([data-access="unsaved"])"#,
    )
    .await;

    // Meanwhile, the same person on another computer renames the clock's tab.
    let http = reqwest::Client::new();
    let api = |path: &str| format!("{}{path}", stack.registry_url);
    let list = get_json(&http, &api("/v1/layouts"), &stack.user_token).await;
    let id = list["layouts"][0]["id"].as_str().unwrap().to_owned();
    let layout = get_json(&http, &api(&format!("/v1/layouts/{id}")), &stack.user_token).await;
    let theirs = layout["document"]
        .to_string()
        .replace("\"title\":\"Clock\"", "\"title\":\"World clock\"");
    let saved = http
        .put(api(&format!("/v1/layouts/{id}")))
        .bearer_auth(&stack.user_token)
        .header("content-type", "application/json")
        .body(format!(r#"{{"base_version":1,"document":{theirs}}}"#))
        .send()
        .await
        .unwrap();
    assert_eq!(
        saved.status().as_u16(),
        200,
        "{}",
        saved.text().await.unwrap()
    );

    // Here: a change by hand, then Ctrl+S on the stale version.
    desktop
        .drag_tab_onto("demo-greeting", "demo-clock", 0.92, 0.5)
        .await;
    desktop.focus_window().await;
    desktop.key("ctrl+s").await;
    s.wait_for_element("the choice", WAIT, ".conflict-dialog .conflict-overwrite")
        .await;
    let changes = s
        .execute(
            "return document.querySelector('.conflict-changes').textContent",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        changes.as_str().unwrap().contains("World clock"),
        "their change is shown: {changes}"
    );
    desktop.screenshot("conflict").await;
    let overwrite = desktop
        .rect(".conflict-dialog .conflict-overwrite")
        .await
        .unwrap();
    desktop.click_at(overwrite.centre()).await;

    let versions = s
        .wait_for("version 3", WAIT, || async {
            let v: serde_json::Value = http
                .get(api(&format!("/v1/layouts/{id}/versions")))
                .bearer_auth(&stack.user_token)
                .send()
                .await
                .map_err(|e| e.to_string())?
                .json()
                .await
                .map_err(|e| e.to_string())?;
            Ok((v["versions"].as_array().map(Vec::len) == Some(3)).then_some(v))
        })
        .await;
    let v3 = get_json(
        &http,
        &api(&format!("/v1/layouts/{id}/versions/3")),
        &stack.user_token,
    )
    .await;
    assert!(
        greeting_alone_in(&v3),
        "version 3 is mine (the greeting split off): {v3}; {versions}"
    );
}
