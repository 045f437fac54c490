//! Issue 16: a popped-out panel is part of the layout: saving keeps it with
//! its window's place and size, and opening the layout again (here: the app
//! started again, reopening the layout that was open) puts the window back
//! there, with the panel in it.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tessera_e2e::desktop::Desktop;
use tessera_e2e::Stack;

const WAIT: Duration = Duration::from_secs(90);
const CLOCK: &str = "Clock — Tessera";
const CHART: &str = "Price chart — Tessera";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_popped_out_panel_is_saved_with_its_window_and_comes_back_there() {
    // Every widget of the demo is started. The reopened clock window was
    // missing about once in 20 full suites: the app had been killed before
    // it wrote down which layout to reopen (see below). A failure prints the
    // windows there are, the status line, the app's log and a screenshot.
    let stack = Stack::demo().await;
    let profile = Arc::new(tempfile::tempdir().unwrap());
    let env = [("TESSERA_USER_TOKEN", stack.user_token.as_str())];
    let desktop = Desktop::start_in(&stack.registry_url, &[], &env, profile.clone()).await;
    let s = &desktop.session;
    s.wait_for_element("the shell", WAIT, "body[data-ready=true]")
        .await;
    let main = s.current_window().await.unwrap();

    // The clock's ↗, with the mouse; its window, moved and resized.
    let popout =
        r#".dv-groupview:has(.dv-active-tab .tessera-tab[data-panel-id="demo-clock"]) .act-popout"#;
    s.wait_for_element("the clock's pop-out button", WAIT, popout)
        .await;
    let at = desktop.rect(popout).await.unwrap().centre();
    desktop.click_at(at).await;
    // Regression: the shell page never scrolls (a scrollbar at the right
    // edge took this click, meant for the ↗ beside it).
    let scrolled = s
        .execute("return document.scrollingElement.scrollTop", vec![])
        .await
        .unwrap();
    assert_eq!(scrolled, 0, "the shell scrolled");
    s.wait_for("the clock's window", WAIT, || async {
        Ok((s.windows().await?.len() == 2).then_some(()))
    })
    .await;
    s.wait_for("the clock's window to show", WAIT, || async {
        Ok(desktop.window_geometry(CLOCK).await)
    })
    .await;
    desktop.place_window(CLOCK, 700, 300, 500, 360).await;

    // Saved with the keyboard in the main window.
    s.switch_window(&main).await.unwrap();
    desktop.focus_window().await;
    desktop.key("ctrl+s").await;
    s.wait_for("the save", WAIT, || async {
        let t = desktop.status_line().await;
        if t.starts_with("Saved") {
            Ok(Some(t))
        } else {
            Err(format!("the status says {t:?}"))
        }
    })
    .await;
    let saved = stack.saved_layout().await;
    let popouts = saved["document"]["popouts"].as_array().unwrap();
    assert_eq!(popouts.len(), 1, "{}", saved["document"]);
    let p = &popouts[0];
    assert_eq!(p["panel"]["id"], "demo-clock");
    assert_eq!(p["panel"]["widget"], "tessera.clock");
    let near = |v: &Value, want: i64| (v.as_i64().unwrap() - want).abs() <= 40;
    assert!(
        near(&p["x"], 700)
            && near(&p["y"], 300)
            && near(&p["width"], 500)
            && near(&p["height"], 360),
        "the window's place and size: {p}"
    );
    let in_tree = saved["document"]["root"].to_string().contains("demo-clock");
    assert!(!in_tree, "the clock is in its window, not in the dock");
    // The app remembers which layout to reopen in a file it writes (and
    // flushes) after the save: the kill below waits for it, as a person
    // quitting a moment later would. (Killed before it was on disk, the app
    // came back with the demo layout and no clock window.)
    let session = profile.path().join("data/tessera/desktop/session.json");
    let id = saved["id"].as_str().expect("the layout's id");
    s.wait_for("the layout remembered to reopen", WAIT, || async {
        let text = std::fs::read_to_string(&session).unwrap_or_default();
        Ok(text.contains(id).then_some(()))
    })
    .await;
    drop(desktop);

    // The app again, in the same profile: the layout reopens, and the clock's
    // window is back where it was, showing the clock.
    let desktop = Desktop::start_in(&stack.registry_url, &[], &env, profile.clone()).await;
    let s = &desktop.session;
    s.wait_for_element("the shell", WAIT, "body[data-ready=true]")
        .await;
    let (x, y, w, h) = s
        .wait_for("the clock's window again", WAIT, || async {
            if let Some(g) = desktop.window_geometry(CLOCK).await {
                return Ok(Some(g));
            }
            // What there is instead, should it never come.
            Err(format!(
                "windows {:?}; the status says {:?}",
                desktop.window_names().await,
                desktop.status_line().await
            ))
        })
        .await;
    assert!(
        (x - 700).abs() <= 40
            && (y - 300).abs() <= 40
            && (w as i64 - 500).abs() <= 40
            && (h as i64 - 360).abs() <= 40,
        "back at ({x}, {y}) {w}×{h}"
    );
    let main = s.current_window().await.unwrap();
    let clock = s
        .wait_for("two windows", WAIT, || async {
            Ok(s.windows().await?.into_iter().find(|h| *h != main))
        })
        .await;
    s.switch_window(&clock).await.unwrap();
    s.wait_for("the clock ticking in it", WAIT, || async {
        let t = s
            .in_frame("iframe.widget-frame", 0, "const c = document.querySelector('tessera-clock'); return c && c.shadowRoot.querySelector('time').textContent")
            .await?;
        Ok(t.as_str().filter(|t| t.contains(':')).map(str::to_owned))
    })
    .await;
    s.switch_window(&main).await.unwrap();
    let shot = desktop.screenshot("popout-restored").await;
    eprintln!("screenshot: {}", shot.display());
}

/// Issue 16: a tab dragged out of the window with the mouse pops its panel
/// out where it was let go; what its widget saves while it is out reaches
/// the layout (saved here with Ctrl+S) before it ever docks back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tab_dragged_out_of_the_window_pops_out_there_and_its_state_is_saved() {
    let stack = Stack::demo().await;
    let desktop = Desktop::signed_in(&stack, &[]).await;
    let s = &desktop.session;
    s.wait_for_element("the shell", WAIT, "body[data-ready=true]")
        .await;
    let main = s.current_window().await.unwrap();
    // Room beside the window on the 1280×800 screen.
    desktop.place_window("Tessera", 0, 0, 900, 700).await;
    s.wait_for("the window at 900 px", WAIT, || async {
        let w = s.execute("return innerWidth", vec![]).await?;
        Ok((w == 900).then_some(()))
    })
    .await;
    // The price chart's tab: its group is the widest, so the tab shows.
    let tab = r#".dv-tab:has(.tessera-tab[data-panel-id="demo-chart"])"#;
    s.wait_for_element("the chart's tab", WAIT, tab).await;
    let from = desktop.rect(tab).await.unwrap().centre();
    let origin = desktop.page_origin().await;
    // Let go 100 px right of the window's edge.
    let to = tessera_e2e::pointer::Point {
        x: 1000.0,
        y: 200.0,
    };
    desktop.drag(from, to).await;

    let (x, y, _, _) = s
        .wait_for("the chart's own window", WAIT, || async {
            Ok(desktop.window_geometry(CHART).await)
        })
        .await;
    let (want_x, want_y) = (origin.x + to.x - 40.0, origin.y + to.y - 12.0);
    assert!(
        (f64::from(x) - want_x).abs() <= 24.0 && (f64::from(y) - want_y).abs() <= 24.0,
        "the window at ({x}, {y}), let go for ({want_x}, {want_y})"
    );
    s.wait_for("the chart gone from the dock", WAIT, || async {
        s.enter_top().await?;
        let n = s
            .execute(
                "return document.querySelectorAll('.tessera-tab[data-panel-id=\"demo-chart\"]').length",
                vec![],
            )
            .await?;
        Ok((n == 0).then_some(()))
    })
    .await;
    desktop.screenshot("popout-dragged-out").await;

    // The widget in its window saves its state.
    let chart = s
        .wait_for("two windows", WAIT, || async {
            Ok(s.windows().await?.into_iter().find(|h| *h != main))
        })
        .await;
    s.switch_window(&chart).await.unwrap();
    s.until_in_frame(
        "iframe.widget-frame",
        0,
        "the chart's frame to take its state",
        WAIT,
        "if (!window.tessera) return null; \
         window.tessera.setState({ mark: 'saved in the pop-out' }); return true",
    )
    .await;
    s.switch_window(&main).await.unwrap();
    desktop.focus_window().await;
    desktop.key("ctrl+s").await;
    let saved = s
        .wait_for("the save with the pop-out's state", WAIT, || async {
            let t = desktop.status_line().await;
            if !t.starts_with("Saved") {
                return Err(format!("the status says {t:?}"));
            }
            let saved = stack.saved_layout().await;
            let state = saved["document"]["popouts"][0]["panel"]["state"].clone();
            Ok((state["mark"] == "saved in the pop-out").then_some(saved))
        })
        .await;
    let p = &saved["document"]["popouts"][0];
    assert_eq!(p["panel"]["id"], "demo-chart", "{p}");
    assert!(
        (p["x"].as_f64().unwrap() - want_x).abs() <= 24.0,
        "saved where it was let go: {p}"
    );
}
