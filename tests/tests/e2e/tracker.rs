//! Issue 15: the tracker in the real app. The Greeting loads the tracker's
//! pixel when it is shown; the hit goes through the desktop's widget scheme
//! and the server to the tracker's backend, which records it as the
//! signed-in user, and the Page hits widget shows it arriving. Brushing a
//! range on one Page hits panel with the mouse broadcasts `fdc3.timeRange`;
//! the other, on the same channel, follows it, and the bus inspector shows
//! the broadcast.

use std::time::Duration;

use serde_json::{json, Value};
use tessera_e2e::desktop::Desktop;
use tessera_e2e::pointer::{Point, Rect};
use tessera_e2e::Stack;

const WAIT: Duration = Duration::from_secs(90);
const A: &str = r#"iframe[data-panel-id="hits-a"]"#;
const B: &str = r#"iframe[data-panel-id="hits-b"]"#;

/// A script returning something from the tracker's shadow root (`r`).
fn in_tracker(body: &str) -> String {
    format!("const r = document.querySelector('tessera-tracker')?.shadowRoot; if (!r) return null; {body}")
}

/// Every hit the tracker has (its live feed from the start).
async fn every_hit(http: &reqwest::Client, tracker: &str) -> Result<Value, String> {
    http.get(format!("{tracker}/hits/live?after=0"))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())
}

fn layout() -> Value {
    let panel = |id: &str, widget: &str, title: &str, channel: Value| {
        json!({"type": "stack", "active": 0, "content": [
            {"type": "widget", "id": id, "widget": widget, "title": title, "state": {}, "channel": channel}]})
    };
    json!({"schema": 1, "title": "Traffic", "floating": [], "popouts": [],
    "root": {"type": "row", "content": [
        {"type": "column", "size": "62%", "content": [
            panel("hits-a", "tessera.tracker", "Page hits", json!("red")),
            panel("hits-b", "tessera.tracker", "Page hits (linked)", json!("red")),
        ]},
        panel("greet", "tessera.greeting", "Greeting", Value::Null),
    ]}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pixel_hit_arrives_live_and_a_brushed_range_reaches_the_linked_panel() {
    let stack = Stack::start(&["greeting", "tracker"]).await;
    let tracker = stack
        .tracker
        .as_ref()
        .expect("the tracker backend")
        .url
        .clone();
    let http = reqwest::Client::new();
    // Some traffic from outside Tessera first (no user).
    for i in 0..12 {
        let page = if i % 3 == 0 {
            "intranet/news"
        } else {
            "intranet/home"
        };
        let r = http
            .get(format!("{tracker}/pixel.gif?page={page}"))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
    }
    let id = stack.create_layout("Traffic", &layout()).await;
    let desktop = Desktop::signed_in(&stack, &["open", &id]).await;
    let s = &desktop.session;

    // The greeting's visit reaches the tracker, as the signed-in user...
    let feed = s
        .wait_for("the greeting's hit at the tracker", WAIT, || async {
            let feed = every_hit(&http, &tracker).await?;
            let arrived = feed["hits"]
                .as_array()
                .is_some_and(|h| h.iter().any(|h| h["page"] == "greeting"));
            if arrived {
                Ok(Some(feed))
            } else {
                Err(format!("the tracker has {feed}"))
            }
        })
        .await;
    // ... and shows in the latest hits.
    let latest = s
        .until_in_frame(
            A,
            0,
            "the greeting's hit in the latest hits",
            WAIT,
            &in_tracker(
                "const li = [...r.querySelectorAll('.hit-list li.hit')].find((l) => l.querySelector('.page')?.textContent === 'greeting'); \
                 return li ? li.querySelector('.user')?.textContent ?? '(no user)' : null",
            ),
        )
        .await;
    assert_eq!(
        latest, "tester",
        "the hit came through the server as the user"
    );
    let hits = feed["hits"].as_array().unwrap();
    // The demo layout shows a greeting too before the opened layout
    // replaces it: one hit or two, each the signed-in user's.
    let greeting: Vec<&Value> = hits.iter().filter(|h| h["page"] == "greeting").collect();
    assert!(!greeting.is_empty(), "{feed}");
    assert!(greeting.iter().all(|h| h["user"] == "tester"), "{feed}");
    assert!(hits
        .iter()
        .filter(|h| h["page"] != "greeting")
        .all(|h| h["user"].is_null()));

    // The total and the top pages count them all (the tracker's count read
    // each time: the greeting may be shown again meanwhile).
    let shown = in_tracker(
        "const n = r.querySelector('.total .n')?.textContent; \
         const pages = [...r.querySelectorAll('.page-list [data-page]')].map((b) => b.dataset.page); \
         return { n, pages }",
    );
    s.wait_for(
        "every hit in the last hour, with the top pages",
        WAIT,
        || async {
            let feed = every_hit(&http, &tracker).await?;
            let total = feed["hits"].as_array().map_or(0, Vec::len).to_string();
            let got = s.in_frame(A, 0, &shown).await?;
            let pages = got["pages"].as_array().cloned().unwrap_or_default();
            let ok = got["n"] == total.as_str()
                && pages.first() == Some(&json!("intranet/home"))
                && pages.contains(&json!("greeting"));
            if ok {
                Ok(Some(()))
            } else {
                Err(format!(
                    "the tracker has {total} hits; the widget shows {got}"
                ))
            }
        },
    )
    .await;

    // A person drags across the histogram, from its middle to the newest hits.
    let frame = desktop.rect(A).await.expect("panel A's frame");
    let chart = s
        .until_in_frame(
            A,
            0,
            "the histogram drawn",
            WAIT,
            &in_tracker(
                "const o = r.querySelector('.u-over'); if (!o) return null; const b = o.getBoundingClientRect(); \
                 return b.width > 100 ? { left: b.left, top: b.top, width: b.width, height: b.height } : null",
            ),
        )
        .await;
    let over = Rect {
        left: frame.left + chart["left"].as_f64().unwrap(),
        top: frame.top + chart["top"].as_f64().unwrap(),
        width: chart["width"].as_f64().unwrap(),
        height: chart["height"].as_f64().unwrap(),
    };
    let y = over.top + over.height / 2.0;
    desktop
        .drag(
            Point {
                x: over.left + over.width * 0.55,
                y,
            },
            Point {
                x: over.left + over.width * 0.995,
                y,
            },
        )
        .await;
    let selected = s
        .until_in_frame(
            A,
            0,
            "the selection chip",
            WAIT,
            &in_tracker("return r.querySelector('.chip.brush .v')?.textContent ?? null"),
        )
        .await;
    // The linked panel shows the same range, fixed, and says so.
    let linked = s
        .until_in_frame(
            B,
            0,
            "the linked panel to follow the range",
            WAIT,
            &in_tracker("return r.querySelector('.chip.fixed .v')?.textContent ?? null"),
        )
        .await;
    assert_eq!(linked, selected, "B shows the range A broadcast");
    // A did not take its own context back as a linked range.
    let echo = s
        .in_frame(A, 0, &in_tracker("return !!r.querySelector('.chip.fixed')"))
        .await
        .unwrap();
    assert_eq!(echo, false);
    let shot = desktop.screenshot("tracker").await;
    eprintln!("screenshot: {}", shot.display());

    // The bus inspector (opened with the mouse) shows the broadcast.
    let button = desktop
        .rect("#open-inspector")
        .await
        .expect("the inspector's button");
    desktop.click_at(button.centre()).await;
    s.wait_for("the time range in the inspector", WAIT, || async {
        s.enter_top().await?;
        let rows = s
            .execute(
                "return [...document.querySelectorAll('.inspector-row > button')].map(b => b.textContent)",
                vec![],
            )
            .await?;
        let rows: Vec<String> = serde_json::from_value(rows).map_err(|e| e.to_string())?;
        let found = rows.iter().any(|r| {
            r.contains("red") && r.contains("tessera.tracker") && r.contains("fdc3.timeRange")
        });
        if found {
            Ok(Some(()))
        } else {
            Err(format!("the inspector lists {rows:?}"))
        }
    })
    .await;
    let inspector = desktop.screenshot("tracker-inspector").await;
    eprintln!("screenshot: {}", inspector.display());
}
