//! The workspace from the keyboard, with real key presses (xdotool on the
//! app's display): the command palette, the shortcuts (also while a widget
//! has the focus), and the theme reaching a widget.

use std::time::Duration;

use serde_json::{json, Value};
use tessera_e2e::desktop::Desktop;
use tessera_e2e::Stack;

const WAIT: Duration = Duration::from_secs(90);

async fn top(desktop: &Desktop, script: &str) -> Value {
    desktop.session.enter_top().await.unwrap();
    desktop.session.execute(script, vec![]).await.unwrap()
}

/// Waits until `script` (in the top document) returns `want`.
async fn until_top(desktop: &Desktop, what: &str, script: &str, want: Value) {
    desktop
        .session
        .wait_for(what, WAIT, || async {
            desktop.session.enter_top().await?;
            let v = desktop.session.execute(script, vec![]).await?;
            Ok((v == want).then_some(()))
        })
        .await
}

const TABS: &str = "return document.querySelectorAll('.tessera-tab').length";
const VISIBLE_GROUPS: &str =
    "return [...document.querySelectorAll('.dv-groupview')].filter(g => g.getBoundingClientRect().width > 0).length";
const ACTIVE_TAB_IN_WATCHLIST_GROUP: &str = "return document.querySelector(\
    '.dv-groupview:has(.tessera-tab[data-panel-id=\"demo-watchlist\"]) .dv-active-tab .tessera-tab').dataset.panelId";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_palette_shortcuts_and_theme_work_from_the_keyboard() {
    let stack = Stack::start(&["greeting", "clock", "watchlist", "price-chart"]).await;
    let desktop = Desktop::signed_in(&stack, &[]).await;
    let s = &desktop.session;
    s.wait_for_element(
        "the marketplace",
        WAIT,
        r#"li[data-widget-id="tessera.clock"]"#,
    )
    .await;
    desktop.focus_window().await;
    let tabs = top(&desktop, TABS).await.as_u64().unwrap();

    // The marketplace: search finds by intent; "Works with" keeps the
    // widgets that speak a context type (chosen with the keyboard).
    const LISTED: &str =
        "return [...document.querySelectorAll('.marketplace-item')].map(li => li.dataset.widgetId)";
    let search = desktop.rect("#marketplace-filter").await.unwrap();
    desktop.click_at(search.centre()).await;
    desktop.type_text("viewchart").await;
    until_top(
        &desktop,
        "a search by intent",
        LISTED,
        json!(["tessera.price-chart"]),
    )
    .await;
    desktop.key("ctrl+a").await;
    desktop.key("BackSpace").await;
    until_top(
        &desktop,
        "all four again",
        &format!("{LISTED}.length"),
        json!(4),
    )
    .await;
    desktop.key("Tab").await;
    desktop.key("Down").await;
    until_top(
        &desktop,
        "only what works with fdc3.instrument",
        LISTED,
        json!(["tessera.price-chart", "tessera.watchlist"]),
    )
    .await;
    desktop.screenshot("marketplace-works-with").await;
    desktop.key("Up").await;
    until_top(
        &desktop,
        "the filter off",
        &format!("{LISTED}.length"),
        json!(4),
    )
    .await;
    // Back to the workspace: a click on a tab.
    let chart_tab = desktop
        .rect(".tessera-tab[data-panel-id=\"demo-chart\"]")
        .await
        .unwrap();
    desktop.click_at(chart_tab.centre()).await;

    // Ctrl+K, "add clock", Enter: a second clock.
    desktop.key("ctrl+k").await;
    s.wait_for_element("the palette", WAIT, ".palette input")
        .await;
    desktop.type_text("add clock").await;
    desktop.key("Return").await;
    until_top(
        &desktop,
        "a panel added from the palette",
        TABS,
        json!(tabs + 1),
    )
    .await;
    assert_eq!(
        s.find_all(r#"iframe[data-widget="tessera.clock"]"#)
            .await
            .unwrap()
            .len(),
        2
    );

    // Ctrl+W closes the focused panel (the clock just added), also while a
    // control inside its widget has the keyboard: a list box, opened with
    // the mouse and closed with Escape, keeps the focus.
    const NEW_CLOCK: &str =
        r#"iframe[data-widget="tessera.clock"]:not([data-panel-id="demo-clock"])"#;
    s.in_frame(
        NEW_CLOCK,
        0,
        "const s = document.createElement('select'); s.id = 'probe-select'; \
         s.innerHTML = '<option>one</option><option>two</option>'; \
         s.style.cssText = 'position: fixed; left: 8px; top: 8px; z-index: 9'; \
         document.body.append(s); return true",
    )
    .await
    .unwrap();
    let list_box = desktop
        .rect_in_frame(
            NEW_CLOCK,
            "const b = document.querySelector('#probe-select').getBoundingClientRect(); \
             return { left: b.left, top: b.top, width: b.width, height: b.height }",
        )
        .await;
    desktop.click_at(list_box.centre()).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    desktop.key("Escape").await;
    s.wait_for("the list box to keep the focus", WAIT, || async {
        let v = s
            .in_frame(
                NEW_CLOCK,
                0,
                "return document.hasFocus() && document.activeElement.id",
            )
            .await?;
        Ok((v == "probe-select").then_some(()))
    })
    .await;
    desktop.key("ctrl+w").await;
    until_top(&desktop, "Ctrl+W to close the panel", TABS, json!(tabs)).await;

    // Ctrl+Tab and Ctrl+PageUp move between the watchlist's tabs.
    let watchlist_tab = desktop
        .rect(".tessera-tab[data-panel-id=\"demo-watchlist\"]")
        .await
        .unwrap();
    desktop.click_at(watchlist_tab.centre()).await;
    until_top(
        &desktop,
        "the watchlist's tab active",
        ACTIVE_TAB_IN_WATCHLIST_GROUP,
        json!("demo-watchlist"),
    )
    .await;
    desktop.key("ctrl+Tab").await;
    until_top(
        &desktop,
        "Ctrl+Tab to the greeting",
        ACTIVE_TAB_IN_WATCHLIST_GROUP,
        json!("demo-greeting"),
    )
    .await;
    desktop.key("ctrl+Prior").await;
    until_top(
        &desktop,
        "Ctrl+PageUp back to the watchlist",
        ACTIVE_TAB_IN_WATCHLIST_GROUP,
        json!("demo-watchlist"),
    )
    .await;

    // Ctrl+Shift+M maximises the focused group, and restores it.
    desktop.key("ctrl+shift+m").await;
    until_top(
        &desktop,
        "one group shown, maximised",
        VISIBLE_GROUPS,
        json!(1),
    )
    .await;
    desktop.key("ctrl+shift+m").await;
    until_top(&desktop, "all four groups again", VISIBLE_GROUPS, json!(4)).await;

    // Shortcuts work while a widget has the focus: click a row of the
    // watchlist (inside its frame), then Ctrl+K.
    let frame = desktop
        .rect(r#"iframe[data-widget="tessera.watchlist"]"#)
        .await
        .unwrap();
    desktop.click_at(frame.at(0.3, 0.2)).await;
    desktop.key("ctrl+k").await;
    s.wait_for_element("the palette, from inside a widget", WAIT, ".palette input")
        .await;
    desktop.type_text("theme dark").await;
    desktop.key("Return").await;
    until_top(
        &desktop,
        "the dark theme",
        "return document.documentElement.dataset.theme",
        json!("dark"),
    )
    .await;
    let widget_theme = s
        .until_in_frame(
            r#"iframe[data-widget="tessera.clock"]"#,
            0,
            "the clock widget to learn the theme",
            WAIT,
            "const r = document.documentElement; return r.dataset.tesseraTheme === 'dark' && \
             [window.tessera.getTheme().name, getComputedStyle(r).getPropertyValue('--tessera-bg').trim()]",
        )
        .await;
    assert_eq!(widget_theme, json!(["dark", "#111827"]));
    desktop.screenshot("keyboard-dark").await;

    // Ctrl+S saves the layout.
    desktop.key("ctrl+s").await;
    until_top(
        &desktop,
        "Ctrl+S to save",
        "return document.getElementById('layout-access').dataset.access !== 'unsaved'",
        json!(true),
    )
    .await;
}
