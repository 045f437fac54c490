//! A widget that goes away keeps its panel, which says so, and comes back by
//! itself when the widget returns.

use std::time::Duration;

use serde_json::json;
use tessera_e2e::desktop::Desktop;
use tessera_e2e::{repo_root, sidecar, Stack};

const WAIT: Duration = Duration::from_secs(90);
const CLOCK: &str = r#"iframe[data-widget="tessera.clock"]"#;
const PLACEHOLDER: &str =
    "const f = document.querySelector('iframe[data-widget=\"tessera.clock\"]'); \
     const p = f && f.parentElement.querySelector('.panel-offline'); return p ? p.textContent : null";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_widget_keeps_its_place_and_comes_back() {
    let mut stack = Stack::start(&["greeting", "clock", "watchlist", "price-chart"]).await;
    let desktop = Desktop::signed_in(&stack, &[]).await;
    let s = &desktop.session;
    s.until_in_frame(
        CLOCK,
        0,
        "the clock to tick",
        WAIT,
        "return !!document.querySelector('tessera-clock')",
    )
    .await;
    assert_eq!(
        s.in_frame(CLOCK, 0, "window.__tesseraMark = 1; return true")
            .await
            .unwrap(),
        json!(true)
    );

    // The clock's sidecar stops (its publisher took it down).
    let clock = stack.sidecars.remove(1);
    clock.signal("TERM").await;
    let note = s
        .wait_for("the placeholder", WAIT, || async {
            s.enter_top().await?;
            let v = s.execute(PLACEHOLDER, vec![]).await?;
            Ok(v.as_str().map(str::to_owned))
        })
        .await;
    assert!(note.contains("Clock is offline"), "{note}");
    let tab = s
        .execute(
            "return !!document.querySelector('.tessera-tab[data-panel-id=\"demo-clock\"]')",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(tab, json!(true), "the panel keeps its place");
    desktop.screenshot("offline").await;

    // It comes back: the placeholder goes and the frame is loaded afresh.
    let mut back = sidecar(
        &stack.registry_url,
        &stack.token_file,
        &repo_root().join("widgets/clock"),
    );
    back.wait_for_line("registered", WAIT).await;
    s.wait_for("the placeholder to go", WAIT, || async {
        s.enter_top().await?;
        Ok(s.execute(PLACEHOLDER, vec![])
            .await?
            .is_null()
            .then_some(()))
    })
    .await;
    s.until_in_frame(
        CLOCK,
        0,
        "the clock loaded afresh",
        WAIT,
        "return !window.__tesseraMark && !!document.querySelector('tessera-clock')",
    )
    .await;
    stack.sidecars.push(back);
}

/// A widget whose files no longer match what was registered shows why in
/// its panel (the server's words, with both hashes), not a bare failure.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_widget_failing_its_integrity_check_says_why() {
    // A copy of the greeting, to tamper with.
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().join("greeting");
    std::fs::create_dir_all(&dir).unwrap();
    for f in std::fs::read_dir(repo_root().join("widgets/greeting")).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), dir.join(f.file_name())).unwrap();
    }
    let stack = Stack::start_dirs(std::slice::from_ref(&dir)).await;
    let desktop = Desktop::signed_in(&stack, &["--empty"]).await;
    let s = &desktop.session;
    let add = r#"li[data-widget-id="tessera.greeting"] .mi-add"#;
    s.wait_for_element("the greeting listed", WAIT, add).await;

    // The code changes while the manifest is broken: the sidecar keeps the
    // registration it had (old hashes) and serves the new file.
    let manifest = std::fs::read_to_string(dir.join("widget.toml")).unwrap();
    std::fs::write(
        dir.join("widget.toml"),
        manifest.replace("version = \"1.0.0\"", "version = \"one\""),
    )
    .unwrap();
    let code = std::fs::read_to_string(dir.join("greeting.js")).unwrap();
    std::fs::write(dir.join("greeting.js"), format!("{code}\n// edited\n")).unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;

    let at = desktop.rect(add).await.unwrap().centre();
    desktop.click_at(at).await;
    let shown = s
        .until_in_frame(
            r#"iframe[data-widget="tessera.greeting"]"#,
            0,
            "the reason in the panel",
            WAIT,
            "const p = document.querySelector('.tessera-load-error'); \
             return p && p.textContent.includes('integrity') && p.textContent",
        )
        .await;
    let text = shown.as_str().unwrap();
    assert!(
        text.contains("greeting.js") && text.contains("registered"),
        "says which file and both hashes: {text}"
    );
    desktop.screenshot("integrity").await;
}
