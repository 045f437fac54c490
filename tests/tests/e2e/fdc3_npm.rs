//! Issue 13, item 1: an app built on the `@finos/fdc3` npm package finds
//! Tessera's agent with `getAgent()` inside a sandboxed widget frame (it
//! threw "The operation is insecure" reading sessionStorage), and the
//! sandbox is no weaker for it.

use std::time::Duration;

use serde_json::json;
use tessera_e2e::desktop::Desktop;
use tessera_e2e::{test_widget, Stack};

const WAIT: Duration = Duration::from_secs(90);
const FRAME: &str = r#"iframe[data-widget="tessera.fdc3-npm"]"#;
const ADD: &str = r#"li[data-widget-id="tessera.fdc3-npm"] .mi-add"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_agent_from_the_npm_package_finds_tessera_in_a_sandboxed_frame() {
    let dir = test_widget("fdc3-npm");
    assert!(
        dir.join("dist/app.js").exists(),
        "build the test widget first: npm run build in web/"
    );
    let stack = Stack::start_dirs(&[dir]).await;
    let desktop = Desktop::signed_in(&stack, &["--empty"]).await;
    let s = &desktop.session;
    s.wait_for_element("the app in the marketplace", WAIT, ADD)
        .await;
    let at = desktop.rect(ADD).await.unwrap().centre();
    desktop.click_at(at).await;
    let result = s
        .until_in_frame(
            FRAME,
            0,
            "getAgent() to settle",
            WAIT,
            "const e = document.querySelector('tessera-fdc3-npm'); \
             return e && e.dataset.result ? { result: e.dataset.result, text: e.textContent, appId: e.dataset.appId || null } : null",
        )
        .await;
    desktop.screenshot("fdc3-npm-get-agent").await;
    assert_eq!(result["result"], json!("ok"), "{result}");
    assert_eq!(
        result["appId"],
        json!("Fdc3NpmApp"),
        "its own appId, not the widget id"
    );
    let text = result["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("found Tessera (FDC3 2.2) for Fdc3NpmApp"),
        "{text}"
    );
    assert!(text.contains("6 user channels"), "{text}");
    let checks: serde_json::Value = serde_json::from_str(
        s.in_frame(
            FRAME,
            0,
            "return document.querySelector('tessera-fdc3-npm').dataset.checks",
        )
        .await
        .unwrap()
        .as_str()
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        checks["errors"],
        json!({
            "raiseAtUnknownApp": "TargetAppUnavailable",
            "raiseAtGoneInstance": "TargetInstanceUnavailable",
            "findUnknownIntent": "NoAppsFound",
        }),
        "{checks}"
    );
    assert_eq!(checks["title"], json!("FDC3 npm app"));
    assert_eq!(checks["instances"], json!([checks["self"].clone()]));

    // The frame is as sandboxed as ever: scripts only, an opaque origin.
    s.enter_top().await.unwrap();
    let sandbox = s
        .execute(
            &format!(
                "return document.querySelector('{}').getAttribute('sandbox')",
                FRAME.replace('\'', "\\'")
            ),
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(sandbox, json!("allow-scripts"));
    let origin = s.in_frame(FRAME, 0, "return window.origin").await.unwrap();
    assert_eq!(origin, json!("null"), "an opaque origin");

    // window.close() in the widget closes its panel.
    // (a moment later, so the script answers before its frame goes)
    s.in_frame(
        FRAME,
        0,
        "setTimeout(() => window.close(), 100); return true",
    )
    .await
    .unwrap();
    s.wait_for("the panel to close", WAIT, || async {
        s.enter_top().await?;
        let n = s
            .execute(
                &format!("return document.querySelectorAll('{FRAME}').length"),
                vec![],
            )
            .await?;
        Ok((n == json!(0)).then_some(()))
    })
    .await;
}
