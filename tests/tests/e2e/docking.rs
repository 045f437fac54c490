//! Docking by hand: tabs dragged with the real pointer (X events from
//! xdotool on the app's display, not WebDriver's synthetic ones) split a
//! group at its edge and join a tab strip, and moving a panel never reloads
//! its widget.

use std::time::Duration;

use serde_json::{json, Value};
use tessera_e2e::desktop::Desktop;
use tessera_e2e::Stack;

const WAIT: Duration = Duration::from_secs(90);

/// Where each panel is: panel id → index of its group among `.dv-groupview`s,
/// plus the number of groups.
const ARRANGEMENT: &str = r#"
const groups = [...document.querySelectorAll('.dv-groupview')];
const where = {};
for (const tab of document.querySelectorAll('.tessera-tab[data-panel-id]')) {
  where[tab.dataset.panelId] = groups.indexOf(tab.closest('.dv-groupview'));
}
return { groups: groups.length, where };"#;

async fn arrangement(desktop: &Desktop) -> Value {
    desktop.session.enter_top().await.unwrap();
    desktop.session.execute(ARRANGEMENT, vec![]).await.unwrap()
}

fn tab(panel: &str) -> String {
    format!(".dv-tab:has(.tessera-tab[data-panel-id=\"{panel}\"])")
}

/// The content area of the group holding `panel`.
fn group_content_of(panel: &str) -> String {
    format!(".dv-groupview:has(.tessera-tab[data-panel-id=\"{panel}\"]) .dv-content-container")
}

fn strip_of(panel: &str) -> String {
    format!(".dv-groupview:has(.tessera-tab[data-panel-id=\"{panel}\"]) .dv-tabs-container")
}

/// Marks the document in the greeting's frame; a reload would lose the mark.
const MARK: &str = "window.__tesseraMark = 'kept'; return true";
const READ_MARK: &str = "return window.__tesseraMark || null";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tabs_dragged_with_the_pointer_split_and_join_groups_without_reloading() {
    let stack = Stack::start(&["greeting", "clock", "watchlist", "price-chart"]).await;
    let desktop = Desktop::signed_in(&stack, &[]).await;
    let s = &desktop.session;
    let greeting = r#"iframe[data-widget="tessera.greeting"]"#;
    s.until_in_frame(
        greeting,
        0,
        "the greeting to render",
        WAIT,
        "const e = document.querySelector('tessera-greeting'); return !!(e && e.shadowRoot && e.shadowRoot.querySelector('h1'))",
    )
    .await;
    assert_eq!(s.in_frame(greeting, 0, MARK).await.unwrap(), json!(true));

    // The demo: [watchlist, greeting, page hits] tabbed, then the chart over the
    // instrument details and the clock.
    let before = arrangement(&desktop).await;
    assert_eq!(before["groups"], 4, "{before}");
    assert_eq!(
        before["where"]["demo-greeting"], before["where"]["demo-watchlist"],
        "{before}"
    );

    // 1. The greeting's tab, dragged to the right edge of the clock's group,
    //    splits that group: a fifth group holding only the greeting.
    desktop
        .drag_tab_onto("demo-greeting", "demo-clock", 0.92, 0.5)
        .await;
    let split = s
        .wait_for("the greeting to get a group of its own", WAIT, || async {
            let a = arrangement(&desktop).await;
            Ok(
                (a["groups"] == 5 && a["where"]["demo-greeting"] != a["where"]["demo-watchlist"])
                    .then_some(a),
            )
        })
        .await;
    let greeting_tab = desktop.rect(&tab("demo-greeting")).await.unwrap();
    let clock_tab = desktop.rect(&tab("demo-clock")).await.unwrap();
    assert!(
        greeting_tab.left > clock_tab.left && (greeting_tab.top - clock_tab.top).abs() < 2.0,
        "the greeting sits right of the clock, on the same row: {greeting_tab:?} {clock_tab:?}; {split}"
    );
    desktop.screenshot("docking-split").await;

    // 2. The clock's tab, dropped on the watchlist's tab strip, joins it as a
    //    tab; the clock's old group, now empty, goes.
    let from = desktop.rect(&tab("demo-clock")).await.unwrap().centre();
    let strip = desktop.rect(&strip_of("demo-watchlist")).await.unwrap();
    desktop.drag(from, strip.at(0.8, 0.5)).await;
    let tabbed = s
        .wait_for("the clock to join the watchlist's tabs", WAIT, || async {
            let a = arrangement(&desktop).await;
            Ok(
                (a["groups"] == 4 && a["where"]["demo-clock"] == a["where"]["demo-watchlist"])
                    .then_some(a),
            )
        })
        .await;
    desktop.screenshot("docking-tabbed").await;

    // 3. The Clock, dragged from the marketplace to the right edge of the
    //    price chart's group, lands there as a panel of its own.
    let from = desktop
        .rect(r#"li[data-widget-id="tessera.clock"] .mi-icon"#)
        .await
        .unwrap()
        .centre();
    let chart_area = desktop.rect(&group_content_of("demo-chart")).await.unwrap();
    desktop.drag(from, chart_area.at(0.93, 0.5)).await;
    let dropped = s
        .wait_for("the dropped clock to get a group", WAIT, || async {
            let a = arrangement(&desktop).await;
            Ok((a["groups"] == 5 && a["where"].as_object().unwrap().len() == 7).then_some(a))
        })
        .await;
    let new_panel = dropped["where"]
        .as_object()
        .unwrap()
        .keys()
        .find(|k| !k.starts_with("demo-"))
        .unwrap()
        .clone();
    let new_tab = desktop.rect(&tab(&new_panel)).await.unwrap();
    let chart_tab = desktop.rect(&tab("demo-chart")).await.unwrap();
    assert!(
        new_tab.left > chart_tab.left + chart_area.width / 3.0
            && (new_tab.top - chart_tab.top).abs() < 2.0,
        "dropped right of the chart, on its row: {new_tab:?} {chart_tab:?}; {dropped}"
    );
    assert_eq!(
        s.find_all(r#"iframe[data-widget="tessera.clock"]"#)
            .await
            .unwrap()
            .len(),
        2,
        "a second clock frame"
    );
    desktop.screenshot("docking-marketplace-drop").await;

    // Moving a panel keeps its widget's document: the mark is still there.
    assert_eq!(
        s.in_frame(greeting, 0, READ_MARK).await.unwrap(),
        json!("kept"),
        "the greeting's frame was reloaded by the move; {tabbed}"
    );
}

/// Ten clicks on Add in an empty workspace: every panel keeps a readable
/// width and its title (issue 16: they were ten 100-pixel slivers).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_adds_keep_every_panel_readable() {
    let stack = Stack::start(&["greeting"]).await;
    let desktop = Desktop::signed_in(&stack, &["--empty"]).await;
    let s = &desktop.session;
    let add = r#"li[data-widget-id="tessera.greeting"] .mi-add"#;
    s.wait_for_element("the marketplace to list the greeting", WAIT, add)
        .await;
    for _ in 0..10 {
        let at = desktop.rect(add).await.unwrap().centre();
        desktop.click_at(at).await;
    }
    let shown = s
        .wait_for("ten panels", WAIT, || async {
            s.enter_top().await?;
            let v = s
                .execute(
                    "const g = [...document.querySelectorAll('.dv-groupview')].map(e => e.getBoundingClientRect()); \
                     const t = [...document.querySelectorAll('.tessera-tab')]; \
                     return t.length === 10 ? { groups: g.map(r => [r.width, r.height]), \
                       titles: t.filter(e => e.querySelector('.tab-title').getBoundingClientRect().width > 0).map(e => e.textContent) } : null",
                    vec![],
                )
                .await?;
            Ok((!v.is_null()).then_some(v))
        })
        .await;
    desktop.screenshot("ten-adds").await;
    // The page still answers after all that.
    assert_eq!(
        s.execute("return document.body.dataset.ready", vec![])
            .await
            .unwrap(),
        json!("true")
    );
    for g in shown["groups"].as_array().unwrap() {
        let (w, h) = (g[0].as_f64().unwrap(), g[1].as_f64().unwrap());
        assert!(
            w >= 300.0 && h >= 200.0,
            "a group of {w}×{h} is too small to read: {shown}"
        );
    }
    let titles = shown["titles"].as_array().unwrap();
    assert!(
        titles
            .iter()
            .filter(|t| t.as_str().unwrap().contains("Greeting"))
            .count()
            >= 4,
        "the visible tabs show their titles: {shown}"
    );
}

/// What scrolled, if anything: the document and the shell's boxes.
const SCROLLED: &str = "return [document.scrollingElement, document.body, document.querySelector('.shell'), document.getElementById('workspace')] \
    .map(e => e ? e.scrollTop + e.scrollLeft : 0)";

/// A tab picked from a group's overflow list ("∨ 1": the demo's Watchlist
/// group has three tabs) with the mouse is shown, and the shell stays where
/// it is: dockview scrolls the chosen tab into view, which scrolled the
/// whole shell up by its top bar.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tab_picked_from_the_overflow_list_shows_without_scrolling_the_shell() {
    let stack = Stack::start(&["greeting", "clock", "watchlist", "tracker"]).await;
    let desktop = Desktop::signed_in(&stack, &[]).await;
    let s = &desktop.session;
    let handle = ".dv-groupview:has(.tessera-tab[data-panel-id=\"demo-watchlist\"]) .dv-tabs-overflow-dropdown-root";
    s.wait_for_element("the overflow list's button", WAIT, handle)
        .await;
    let at = desktop.rect(handle).await.unwrap().centre();
    desktop.click_at(at).await;
    let item = ".dv-tabs-overflow-container .tessera-tab[data-panel-id=\"demo-hits\"]";
    s.wait_for_element("Page hits in the overflow list", WAIT, item)
        .await;
    let at = desktop.rect(item).await.unwrap().centre();
    desktop.click_at(at).await;
    s.wait_for_element(
        "Page hits shown",
        WAIT,
        ".dv-active-tab .tessera-tab[data-panel-id=\"demo-hits\"]",
    )
    .await;
    s.enter_top().await.unwrap();
    let scrolled = s.execute(SCROLLED, vec![]).await.unwrap();
    assert_eq!(
        scrolled,
        json!([0, 0, 0, 0]),
        "nothing of the shell scrolled"
    );
    let bar = desktop.rect(".topbar").await.unwrap();
    assert_eq!(bar.top, 0.0, "the top bar is still at the top");
    desktop.screenshot("overflow-picked").await;
}
