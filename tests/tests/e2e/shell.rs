//! The walking skeleton, as a user meets it: the demo layout renders its
//! widgets, and a widget added from the marketplace renders in its panel.

use std::time::Duration;

use serde_json::{json, Value};
use tessera_e2e::desktop::Desktop;
use tessera_e2e::webdriver::Session;
use tessera_e2e::Stack;

const WAIT: Duration = Duration::from_secs(90);

/// The greeting element's heading, read inside its (shadow) DOM in the frame.
const READ_GREETING: &str = r#"
const el = document.querySelector('tessera-greeting');
const h1 = el && el.shadowRoot && el.shadowRoot.querySelector('h1');
return h1 ? h1.textContent : null;"#;

async fn greeting_text_in(session: &Session, frame_index: usize) -> String {
    session
        .wait_for(
            "the greeting widget to render its message",
            WAIT,
            || async {
                session.enter_top().await?;
                let frames = session
                    .find_all(r#"iframe[data-widget="tessera.greeting"]"#)
                    .await?;
                let Some(frame) = frames.get(frame_index) else {
                    return Ok(None);
                };
                session.enter_frame(frame).await?;
                let v = session.execute(READ_GREETING, vec![]).await?;
                Ok(match v {
                    Value::String(s) if s != "…" => Some(s),
                    _ => None,
                })
            },
        )
        .await
}

/// The instrument the demo's price chart shows, once it shows one.
async fn chart_title(s: &Session, what: &str) -> String {
    let title = s
        .until_in_frame(
            r#"iframe[data-widget="tessera.price-chart"]"#,
            0,
            what,
            WAIT,
            "const h = document.querySelector('tessera-price-chart').shadowRoot.querySelector('h2'); return h && h.textContent",
        )
        .await;
    title.as_str().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_layout_renders_and_marketplace_adds_a_widget() {
    let stack = Stack::start(&["greeting", "clock", "watchlist", "price-chart"]).await;
    let desktop = Desktop::start_full(
        &stack.registry_url,
        &[],
        &[("TESSERA_USER_TOKEN", stack.user_token.as_str())],
    )
    .await;
    let s = &desktop.session;

    s.wait_for_element(
        "the shell to finish starting",
        WAIT,
        "body[data-ready=true]",
    )
    .await;

    // The demo layout: watchlist, greeting and page hits (tabs), price chart, instrument details, clock.
    s.enter_top().await.unwrap();
    let demo_frames = s.find_all(".widget-frame").await.unwrap();
    assert_eq!(demo_frames.len(), 6, "the demo layout has six panels");
    assert_eq!(
        greeting_text_in(s, 0).await,
        "Hello from Tessera",
        "the text comes from the widget's message.json, fetched through widget://"
    );

    // The marketplace lists what the sidecars registered.
    let item = s
        .wait_for("the marketplace to list the greeting", WAIT, || async {
            s.enter_top().await?;
            Ok(s.find(r#"li[data-widget-id="tessera.greeting"] .mi-add"#)
                .await
                .ok())
        })
        .await;
    let listed: Vec<String> = s
        .execute(
            "return [...document.querySelectorAll('.marketplace-item')].map(li => li.dataset.widgetId)",
            vec![],
        )
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        listed,
        [
            "tessera.clock",
            "tessera.greeting",
            "tessera.price-chart",
            "tessera.watchlist"
        ]
    );

    // Linking: selecting a row in the watchlist (red) updates the chart (red).
    let watchlist = s
        .find(r#"iframe[data-widget="tessera.watchlist"]"#)
        .await
        .unwrap();
    s.wait_for("the watchlist rows", WAIT, || async {
        s.enter_top().await?;
        s.enter_frame(&watchlist).await?;
        let n = s
            .execute("const r = document.querySelector('tessera-watchlist').shadowRoot; return r.querySelectorAll('tr[data-ticker]').length", vec![])
            .await?;
        Ok((n.as_u64() == Some(8)).then_some(()))
    })
    .await;
    s.execute(
        "document.querySelector('tessera-watchlist').shadowRoot.querySelector('tr[data-ticker=NVDA] td').click(); return true",
        vec![],
    )
    .await
    .unwrap();
    let chart = chart_title(s, "the chart to follow the selection").await;
    assert_eq!(chart, "NVDA");
    s.enter_top().await.unwrap();

    // Adding from the marketplace makes a new panel whose widget renders.
    s.click(&item).await.unwrap();
    s.wait_for("a second greeting panel", WAIT, || async {
        s.enter_top().await?;
        let n = s
            .find_all(r#"iframe[data-widget="tessera.greeting"]"#)
            .await?
            .len();
        Ok((n == 2).then_some(()))
    })
    .await;
    assert_eq!(greeting_text_in(s, 1).await, "Hello from Tessera");

    // The frame is sandboxed: no Tauri IPC and no way into the shell's page.
    s.enter_top().await.unwrap();
    let frames = s
        .find_all(r#"iframe[data-widget="tessera.greeting"]"#)
        .await
        .unwrap();
    s.enter_frame(&frames[1]).await.unwrap();
    let reach = s
        .execute(
            r#"let parentDoc = 'blocked';
               try { parentDoc = window.parent.document ? 'reachable' : 'blocked'; } catch (e) {}
               return { ipc: typeof window.__TAURI_INTERNALS__, parentDoc, origin: window.origin };"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        reach,
        json!({"ipc": "undefined", "parentDoc": "blocked", "origin": "null"})
    );

    // The marketplace is live: a widget published now appears without a
    // refresh, and disappears when its sidecar stops.
    s.enter_top().await.unwrap();
    let folder = tempfile::tempdir().unwrap();
    let init = tokio::process::Command::new(tessera_testkit::proc::bin("tessera-sidecar"))
        .args(["init", "live-card", "--publisher", "tessera"])
        .current_dir(folder.path())
        .output()
        .await
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let mut live = tessera_e2e::sidecar(
        &stack.registry_url,
        &stack.token_file,
        &folder.path().join("live-card"),
    );
    live.wait_for_line("registered", WAIT).await;
    s.wait_for_element(
        "the new widget in the marketplace",
        Duration::from_secs(5),
        r#"li[data-widget-id="tessera.live-card"]"#,
    )
    .await;
    live.signal("TERM").await;
    s.wait_for(
        "the stopped widget to leave the marketplace",
        Duration::from_secs(5),
        || async {
            Ok(s.find_all(r#"li[data-widget-id="tessera.live-card"]"#)
                .await?
                .is_empty()
                .then_some(()))
        },
    )
    .await;

    s.enter_top().await.unwrap();
    // Save the arrangement as a layout on the server, then open it again.
    s.click(&s.find("#save-layout").await.unwrap())
        .await
        .unwrap();
    let saved = s
        .wait_for("the save to be confirmed", WAIT, || async {
            let t = s
                .execute(
                    "return document.getElementById('layout-status').textContent",
                    vec![],
                )
                .await?;
            Ok(t.as_str()
                .filter(|t| t.starts_with("Saved"))
                .map(str::to_owned))
        })
        .await;
    assert_eq!(saved, "Saved “Demo” (version 1)");
    let stored = stack.saved_layout().await;
    let id = stored["id"].as_str().unwrap().to_owned();
    let doc: tessera_layouts::LayoutDocument =
        serde_json::from_value(stored["document"].clone()).unwrap();
    doc.validate()
        .expect("what the shell saves is a valid document");
    let mut widgets: Vec<&str> = doc.panels().map(|p| p.widget.as_str()).collect();
    widgets.sort();
    assert_eq!(
        widgets,
        [
            "tessera.clock",
            "tessera.greeting",
            "tessera.greeting",
            "tessera.instrument-details",
            "tessera.price-chart",
            "tessera.tracker",
            "tessera.watchlist"
        ],
        "every panel, including the one added from the marketplace"
    );
    let chart = doc
        .panels()
        .find(|p| p.widget == "tessera.price-chart")
        .unwrap();
    assert_eq!(chart.channel.as_deref(), Some("red"), "channels are saved");
    assert_eq!(
        chart.state["instrument"]["id"]["ticker"], "NVDA",
        "widget state is saved"
    );

    s.click(&s.find("#open-layout").await.unwrap())
        .await
        .unwrap();
    let choice = s
        .wait_for_element(
            "the layouts dialog",
            WAIT,
            &format!(r#".layout-choice[data-layout-id="{id}"]"#),
        )
        .await;
    s.click(&choice).await.unwrap();
    s.wait_for("the layout to open", WAIT, || async {
        let t = s
            .execute(
                "return document.getElementById('layout-status').textContent",
                vec![],
            )
            .await?;
        Ok(t.as_str().filter(|t| t.starts_with("Opened")).map(|_| ()))
    })
    .await;
    assert_eq!(
        s.find_all(".widget-frame").await.unwrap().len(),
        7,
        "the saved arrangement, reopened"
    );
    // The reopened layout renders its widgets with their saved state.
    let chart = chart_title(s, "the reopened chart").await;
    assert_eq!(chart, "NVDA", "the chart's saved state came back");
    s.enter_top().await.unwrap();
    let shot = desktop.screenshot("shell").await;
    eprintln!("screenshot: {}", shot.display());
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "a real picture, not an empty file"
    );
}
