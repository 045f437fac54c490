//! Issue 16: the shell for people on the keyboard and with screen readers,
//! in the real window. Tab walks every control of the workspace (real key
//! presses): each is named and shows where the focus is; axe-core's WCAG 2
//! A and AA rules find nothing on the shell page, the layouts dialog
//! (Ctrl+O) or the command palette (Ctrl+K).

use std::time::Duration;

use serde_json::Value;
use tessera_e2e::desktop::Desktop;
use tessera_e2e::Stack;

const WAIT: Duration = Duration::from_secs(90);

/// Loads axe-core (from the front end's dev dependencies) into the page once.
async fn load_axe(desktop: &Desktop) {
    let path = tessera_e2e::repo_root().join("web/node_modules/axe-core/axe.min.js");
    let source = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (npm ci in web/)", path.display()));
    let s = &desktop.session;
    s.enter_top().await.unwrap();
    s.execute(&format!("{source}\n;return typeof window.axe"), vec![])
        .await
        .expect("axe-core loads");
}

/// axe-core's WCAG 2.0/2.1 A and AA violations on the shell's page (widget
/// frames are the widgets' own documents and are left out).
async fn violations(desktop: &Desktop) -> Vec<Value> {
    let s = &desktop.session;
    s.enter_top().await.unwrap();
    s.execute(
        "window.__axe = null; \
         axe.run(document, { iframes: false, runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }) \
           .then((r) => { window.__axe = r.violations.map((v) => ({ id: v.id, help: v.help, \
              nodes: v.nodes.slice(0, 6).map((n) => n.target.join(' ') + ' — ' + n.failureSummary) })); }, \
                 (e) => { window.__axe = [{ id: 'axe-error', help: String(e), nodes: [] }]; }); \
         return true",
        vec![],
    )
    .await
    .unwrap();
    let found = s
        .wait_for("axe-core's report", WAIT, || async {
            let v = s.execute("return window.__axe", vec![]).await?;
            Ok(v.as_array().cloned())
        })
        .await;
    found
}

fn report(where_: &str, found: &[Value]) {
    assert!(
        found.is_empty(),
        "{where_}: {} axe-core violation(s):\n{}",
        found.len(),
        serde_json::to_string_pretty(found).unwrap()
    );
}

/// What has the focus in the shell's page: its accessible name (axe-core's
/// computation), whether the focus shows, and a short description.
const FOCUSED: &str = "const e = document.activeElement; if (!e || e === document.body) return null; \
    const cs = getComputedStyle(e); \
    const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none'; \
    axe.teardown(); axe.setup(document); \
    const name = e.tagName === 'IFRAME' ? e.title : axe.commons.text.accessibleText(e); axe.teardown(); \
    return { what: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : ''), \
             name: (name || '').trim(), ring, frame: e.tagName === 'IFRAME' }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_control_is_named_reachable_by_tab_and_shows_its_focus() {
    let stack = Stack::demo().await;
    let desktop = Desktop::signed_in(&stack, &[]).await;
    let s = &desktop.session;
    s.wait_for_element("the shell", WAIT, "body[data-ready=true]")
        .await;
    s.wait_for_element(
        "the marketplace",
        WAIT,
        r#"li[data-widget-id="tessera.clock"]"#,
    )
    .await;
    load_axe(&desktop).await;
    report("the shell", &violations(&desktop).await);

    // Tab from the top of the page: every stop in the shell's own page is
    // named and shows its focus. Stops inside a widget's frame are the
    // widget's; the frame itself must be named. Until the walk comes round.
    desktop.focus_window().await;
    s.execute(
        "document.activeElement && document.activeElement.blur(); return true",
        vec![],
    )
    .await
    .unwrap();
    let mut stops: Vec<Value> = Vec::new();
    let mut problems = Vec::new();
    for _ in 0..120 {
        desktop.key("Tab").await;
        tokio::time::sleep(Duration::from_millis(60)).await;
        s.enter_top().await.unwrap();
        let Some(f) = s
            .execute(FOCUSED, vec![])
            .await
            .unwrap()
            .as_object()
            .cloned()
        else {
            continue;
        };
        let f = Value::Object(f);
        if stops.first() == Some(&f) {
            break;
        }
        if f["name"].as_str().unwrap_or_default().is_empty() {
            problems.push(format!("no name: {}", f["what"]));
        }
        if f["frame"] != true && f["ring"] != true {
            problems.push(format!("no visible focus: {} ({})", f["what"], f["name"]));
        }
        if !stops.contains(&f) {
            stops.push(f);
        }
    }
    let names: Vec<String> = stops
        .iter()
        .map(|f| format!("{} “{}”", f["what"], f["name"].as_str().unwrap_or_default()))
        .collect();
    eprintln!("Tab stops ({}):\n  {}", names.len(), names.join("\n  "));
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The walk reached the top bar, the marketplace, the tabs and the
    // groups' buttons, and came round.
    for want in ["Save", "Search widgets", "Pop out", "Clock"] {
        assert!(
            names.iter().any(|n| n.contains(want)),
            "no Tab stop named like {want:?} in:\n{}",
            names.join("\n")
        );
    }

    // The layouts dialog and the palette, opened from the keyboard.
    desktop.key("ctrl+o").await;
    s.wait_for_element("the layouts dialog", WAIT, ".modal[role=dialog]")
        .await;
    report("the layouts dialog", &violations(&desktop).await);
    desktop.screenshot("a11y-layouts-dialog").await;
    desktop.key("Escape").await;
    desktop.key("ctrl+k").await;
    s.wait_for_element("the palette", WAIT, ".palette input")
        .await;
    report("the command palette", &violations(&desktop).await);

    // The same in the dark theme, chosen from the palette.
    desktop.type_text("theme dark").await;
    desktop.key("Return").await;
    s.wait_for("the dark theme", WAIT, || async {
        let t = s
            .execute("return document.documentElement.dataset.theme", vec![])
            .await?;
        Ok((t == "dark").then_some(()))
    })
    .await;
    report("the shell, dark", &violations(&desktop).await);
    desktop.key("ctrl+k").await;
    s.wait_for_element("the palette", WAIT, ".palette input")
        .await;
    report("the command palette, dark", &violations(&desktop).await);
    desktop.key("Escape").await;
}
