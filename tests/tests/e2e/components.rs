//! Issue 15: components render as they would on a plain page. A published
//! third-party component used unchanged (vanilla-colorful's
//! `<hex-color-picker>`, whose `:host` is a 200 x 200 flex column) drew as a
//! 12-pixel strip, because the frame page forced `display: block; height:
//! 100%` on the widget's element, overriding the component's own `:host`.

use std::time::Duration;

use serde_json::json;
use tessera_e2e::desktop::Desktop;
use tessera_e2e::{test_widget, Stack};

const WAIT: Duration = Duration::from_secs(90);
const FRAME: &str = r#"iframe[data-widget="tessera.colour-picker"]"#;
const ADD: &str = r#"li[data-widget-id="tessera.colour-picker"] .mi-add"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_third_party_component_keeps_the_size_its_host_declares() {
    let dir = test_widget("colour-picker");
    assert!(
        dir.join("dist/picker.js").exists(),
        "build the test widget first: npm run build in web/"
    );
    let stack = Stack::start_dirs(&[dir]).await;
    let desktop = Desktop::signed_in(&stack, &["--empty"]).await;
    let s = &desktop.session;
    s.wait_for_element("the picker in the marketplace", WAIT, ADD)
        .await;
    let at = desktop.rect(ADD).await.unwrap().centre();
    desktop.click_at(at).await;
    let drawn = s
        .until_in_frame(
            FRAME,
            0,
            "the picker to be drawn",
            WAIT,
            "const e = document.querySelector('hex-color-picker'); \
             if (!e || !customElements.get('hex-color-picker') || !e.shadowRoot) return null; \
             const r = e.getBoundingClientRect(); \
             const parts = [...e.shadowRoot.querySelectorAll('[part]')].map((p) => { \
               const b = p.getBoundingClientRect(); return [p.getAttribute('part'), Math.round(b.width), Math.round(b.height)]; }); \
             return { width: r.width, height: r.height, display: getComputedStyle(e).display, parts, \
                      page: [document.documentElement.clientWidth, document.documentElement.clientHeight] }",
        )
        .await;
    desktop.screenshot("third-party-colour-picker").await;
    assert_eq!(drawn["width"], json!(200), "{drawn}");
    assert_eq!(drawn["height"], json!(200), "{drawn}");
    assert_eq!(drawn["display"], json!("flex"), "its own :host display");
    // Its saturation area and hue slider are drawn inside it, not squashed.
    let parts = drawn["parts"].as_array().unwrap();
    let saturation = parts
        .iter()
        .find(|p| p[0] == "saturation")
        .expect("a saturation part");
    assert!(saturation[2].as_i64().unwrap() > 100, "{drawn}");
    // The panel is larger than the picker: the page did not stretch it.
    assert!(drawn["page"][1].as_i64().unwrap() > 200, "{drawn}");

    // An element with no size of its own still fills its panel.
    let probe = s
        .in_frame(
            FRAME,
            0,
            "const d = document.createElement('plain-element-probe'); document.body.replaceChildren(d); \
             const r = d.getBoundingClientRect(); \
             return [Math.round(r.width), Math.round(r.height), document.documentElement.clientWidth, document.documentElement.clientHeight]",
        )
        .await
        .unwrap();
    assert_eq!(probe[0], probe[2], "fills the width: {probe}");
    assert_eq!(probe[1], probe[3], "fills the height: {probe}");
}
