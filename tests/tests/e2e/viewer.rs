//! A casual viewer: a colleague's shared layout in a clean, locked view that
//! follows the owner's saves.

use std::time::Duration;

use serde_json::json;
use tessera_e2e::desktop::Desktop;
use tessera_e2e::Stack;

const WAIT: Duration = Duration::from_secs(90);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_layout_opens_locked_and_follows_its_owner() {
    let stack = Stack::start(&["greeting", "clock", "watchlist", "price-chart"]).await;
    let viewer = stack.add_user("viewer").await;
    let http = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", stack.registry_url);

    // The owner (user "tester") saves a layout and shares it with everyone.
    let mut doc = serde_json::to_value(tessera_layouts::demo_layout()).unwrap();
    let id = stack
        .create_layout("Desk of the head of department", &doc)
        .await;
    let shared = http
        .put(url(&format!("/v1/layouts/{id}/sharing")))
        .bearer_auth(&stack.user_token)
        .json(&json!({"organisation": true, "users": [], "groups": []}))
        .send()
        .await
        .unwrap();
    assert!(shared.status().is_success(), "{:?}", shared.text().await);

    let desktop = Desktop::start_full(
        &stack.registry_url,
        &["--view", &id],
        &[("TESSERA_USER_TOKEN", viewer.as_str())],
    )
    .await;
    let s = &desktop.session;
    s.wait_for_element("the shell", WAIT, "body[data-ready=true]")
        .await;
    let status = || async {
        s.execute(
            "return document.getElementById('layout-status').textContent",
            vec![],
        )
        .await
    };
    s.wait_for("the layout to open", WAIT, || async {
        Ok(status()
            .await?
            .as_str()
            .filter(|t| t.contains("version 1"))
            .map(|_| ()))
    })
    .await;
    assert_eq!(s.find_all(".widget-frame").await.unwrap().len(), 6);
    let chrome = s
        .execute(
            "return { marketplace: getComputedStyle(document.querySelector('.marketplace')).display,
                      save: getComputedStyle(document.getElementById('save-layout')).display,
                      closers: document.querySelectorAll('.tab-close').length,
                      popouts: document.querySelectorAll('.act-popout').length,
                      channels: document.querySelectorAll('.act-channel').length }",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        chrome,
        json!({"marketplace": "none", "save": "none", "closers": 0, "popouts": 0, "channels": 0}),
        "locked"
    );

    // The owner adds a clock (beside the first) and saves: the viewer's shell follows.
    doc["root"]["content"][1]["content"][1]["content"][1]["content"]
        .as_array_mut()
        .unwrap()
        .push(json!({"type": "widget", "id": "second-clock", "widget": "tessera.clock", "title": "Second clock", "state": {}, "channel": null}));
    let saved = http
        .put(url(&format!("/v1/layouts/{id}")))
        .bearer_auth(&stack.user_token)
        .json(&json!({"base_version": 1, "document": doc}))
        .send()
        .await
        .unwrap();
    assert!(saved.status().is_success(), "{:?}", saved.text().await);
    s.wait_for("the viewer to follow version 2", WAIT, || async {
        let on_v2 = status()
            .await?
            .as_str()
            .is_some_and(|t| t.contains("version 2"));
        let frames = s.find_all(".widget-frame").await?.len();
        Ok((on_v2 && frames == 7).then_some(()))
    })
    .await;
    let shot = desktop.screenshot("viewer").await;
    eprintln!("screenshot: {}", shot.display());
}
