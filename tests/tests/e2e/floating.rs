//! Issue 16: floating panels. A group floated over the workspace with the
//! mouse (its ❐ button), moved by its tab strip, is saved in the layout's
//! `floating` with its place and size and comes back there when the layout
//! is opened again; ⊞ docks it back. Its widget is never reloaded on the way.

use std::time::Duration;

use serde_json::{json, Value};
use tessera_e2e::desktop::Desktop;
use tessera_e2e::pointer::{Point, Rect};
use tessera_e2e::Stack;

const WAIT: Duration = Duration::from_secs(90);
const CLOCK_FRAME: &str = r#"iframe[data-panel-id="demo-clock"]"#;
/// The clock's group, wherever it is.
const CLOCK_GROUP: &str = r#".dv-groupview:has(.tessera-tab[data-panel-id="demo-clock"])"#;
/// Where the clock's group is: "floating", "grid", or null.
const WHERE: &str = "const g = document.querySelector('.dv-groupview:has(.tessera-tab[data-panel-id=\"demo-clock\"])'); \
    return g ? (g.closest('.dv-resize-container') ? 'floating' : 'grid') : null";
/// Marks the clock's document; a reload would lose the mark.
const MARK: &str = "window.__tesseraMark = 'kept'; return true";
const READ_MARK: &str = "return window.__tesseraMark || null";

/// The floating box around the clock's group (page coordinates), if it floats.
async fn clock_box(d: &Desktop) -> Option<Rect> {
    d.rect_of(
        "document.querySelector('.tessera-tab[data-panel-id=\"demo-clock\"]')?.closest('.dv-resize-container')",
        vec![],
    )
    .await
}

async fn clock_is(d: &Desktop, what: &str, place: &str) {
    let s = &d.session;
    s.wait_for(what, WAIT, || async {
        s.enter_top().await?;
        let at = s.execute(WHERE, vec![]).await?;
        if at == json!(place) {
            Ok(Some(()))
        } else {
            Err(format!("the clock's group is {at}"))
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_floated_panel_moves_is_saved_where_it_is_and_docks_back_without_reloading() {
    let stack = Stack::start(&["greeting", "clock", "watchlist", "price-chart"]).await;
    let desktop = Desktop::signed_in(&stack, &[]).await;
    let s = &desktop.session;
    s.until_in_frame(
        CLOCK_FRAME,
        0,
        "the clock to tick",
        WAIT,
        "const c = document.querySelector('tessera-clock'); return !!(c && c.shadowRoot && c.shadowRoot.querySelector('time'))",
    )
    .await;
    assert_eq!(s.in_frame(CLOCK_FRAME, 0, MARK).await.unwrap(), json!(true));

    // ❐ on the clock's group, with the mouse: it floats.
    let float = format!("{CLOCK_GROUP} .act-float");
    let at = desktop
        .rect(&float)
        .await
        .expect("the float button")
        .centre();
    desktop.click_at(at).await;
    clock_is(&desktop, "the clock's group to float", "floating").await;
    let label = s
        .execute(
            &format!(
                "return document.querySelector('{}').getAttribute('aria-label')",
                float.replace('\'', "\\'")
            ),
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(label, "Dock back into the workspace");

    // Moved by the empty part of its tab strip, as a person drags it.
    let box_before = clock_box(&desktop).await.expect("the floating box");
    let strip = desktop
        .rect(&format!("{CLOCK_GROUP} .dv-void-container"))
        .await
        .expect("the floating group's tab strip");
    let from = strip.at(0.3, 0.5);
    desktop
        .drag(
            from,
            Point {
                x: from.x - 150.0,
                y: from.y + 120.0,
            },
        )
        .await;
    let box_after = s
        .wait_for("the floating box to move", WAIT, || async {
            let b = clock_box(&desktop).await.ok_or("no floating box")?;
            let moved = (b.left - box_before.left + 150.0).abs() < 20.0
                && (b.top - box_before.top - 120.0).abs() < 20.0;
            if moved {
                Ok(Some(b))
            } else {
                Err(format!("the box is at {b:?}, was {box_before:?}"))
            }
        })
        .await;
    let shot = desktop.screenshot("floating").await;
    eprintln!("screenshot: {}", shot.display());

    // Saved with the keyboard: the clock is in `floating`, where it was put.
    desktop.focus_window().await;
    desktop.key("ctrl+s").await;
    s.wait_for("the save", WAIT, || async {
        let t = desktop.status_line().await;
        Ok(t.starts_with("Saved").then_some(()))
    })
    .await;
    let saved = stack.saved_layout().await;
    let id = saved["id"].as_str().unwrap().to_owned();
    let floating = saved["document"]["floating"].as_array().unwrap().clone();
    assert_eq!(floating.len(), 1, "{}", saved["document"]);
    let f = &floating[0];
    assert_eq!(f["panel"]["id"], "demo-clock");
    assert_eq!(f["panel"]["widget"], "tessera.clock");
    let dock = desktop.rect("#workspace").await.expect("the workspace");
    let near = |v: &Value, want: f64| (v.as_f64().unwrap() - want).abs() <= 24.0;
    assert!(
        near(&f["x"], box_after.left - dock.left)
            && near(&f["y"], box_after.top - dock.top)
            && near(&f["width"], box_after.width)
            && near(&f["height"], box_after.height),
        "saved at {f}, shown at {box_after:?} in {dock:?}"
    );
    assert!(
        !saved["document"]["root"].to_string().contains("demo-clock"),
        "the clock floats, it is not in the tree"
    );

    // ⊞ docks it back, with the mouse; the clock was never reloaded.
    let at = desktop
        .rect(&float)
        .await
        .expect("the dock button")
        .centre();
    desktop.click_at(at).await;
    clock_is(&desktop, "the clock back in the grid", "grid").await;
    assert_eq!(
        s.in_frame(CLOCK_FRAME, 0, READ_MARK).await.unwrap(),
        json!("kept"),
        "floating and docking kept the clock's document"
    );

    // Opening the saved layout again floats the clock where it was saved.
    let open = desktop
        .rect("#open-layout")
        .await
        .expect("Layouts…")
        .centre();
    desktop.click_at(open).await;
    let choice = format!(r#".layout-choice[data-layout-id="{id}"]"#);
    s.wait_for_element("the layouts dialog", WAIT, &choice)
        .await;
    let at = desktop.rect(&choice).await.unwrap().centre();
    desktop.click_at(at).await;
    clock_is(&desktop, "the saved layout's clock floating", "floating").await;
    let again = clock_box(&desktop).await.expect("the floating box again");
    assert!(
        (again.left - box_after.left).abs() <= 24.0
            && (again.top - box_after.top).abs() <= 24.0
            && (again.width - box_after.width).abs() <= 24.0
            && (again.height - box_after.height).abs() <= 24.0,
        "back at {again:?}, saved at {box_after:?}"
    );
    let shot = desktop.screenshot("floating-reopened").await;
    eprintln!("screenshot: {}", shot.display());
}
