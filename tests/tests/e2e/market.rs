//! Issue 15: the business case in the real app. The market widgets get
//! their data from a backend of their own (tessera-market-data, behind each
//! widget's sidecar, reached through the server): selecting a row in the
//! Watchlist with the mouse updates the Price chart and the Instrument
//! details card (Lit) with the backend's values; the Top movers list
//! (Svelte), linked on the same channel from its group's menu, drives them
//! too.

use std::time::Duration;

use serde_json::Value;
use tessera_e2e::desktop::Desktop;
use tessera_e2e::pointer::Point;
use tessera_e2e::Stack;

const WAIT: Duration = Duration::from_secs(90);
const WATCHLIST: &str = r#"iframe[data-widget="tessera.watchlist"]"#;
const CHART: &str = r#"iframe[data-widget="tessera.price-chart"]"#;
const DETAILS: &str = r#"iframe[data-widget="tessera.instrument-details"]"#;
const MOVERS: &str = r#"iframe[data-widget="tessera.movers"]"#;

fn rect_of(root: &str, css: &str) -> String {
    format!(
        "const r = document.querySelector('{root}').shadowRoot; const e = r && r.querySelector('{css}'); \
         if (!e) return null; const b = e.getBoundingClientRect(); \
         return b.width > 0 ? {{ left: b.left, top: b.top, width: b.width, height: b.height }} : null"
    )
}

/// What the details card shows: its symbol and its whole text.
const DETAILS_SHOWN: &str = "const r = document.querySelector('tessera-instrument-details').shadowRoot; \
    const s = r && r.querySelector('.symbol'); return s ? { symbol: s.textContent, text: r.textContent } : null";

async fn details_for(desktop: &Desktop, symbol: &str) -> Value {
    desktop
        .session
        .wait_for("the details card to follow", WAIT, || async {
            let v = desktop.session.in_frame(DETAILS, 0, DETAILS_SHOWN).await?;
            Ok((v["symbol"] == symbol).then_some(v))
        })
        .await
}

async fn chart_for(desktop: &Desktop, symbol: &str) -> String {
    desktop
        .session
        .wait_for("the chart to follow", WAIT, || async {
            let v = desktop
                .session
                .in_frame(
                    CHART,
                    0,
                    "const r = document.querySelector('tessera-price-chart').shadowRoot; \
                     const h = r && r.querySelector('h2'); const c = r && r.querySelector('.chart'); \
                     return h && c && !c.hidden ? h.parentElement.textContent : null",
                )
                .await?;
            Ok(v.as_str()
                .filter(|t| t.starts_with(symbol))
                .map(str::to_owned))
        })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn market_widgets_link_on_a_channel_with_their_backends_values() {
    let stack = Stack::examples().await;
    let market = stack
        .market
        .as_ref()
        .expect("the market backend started")
        .url
        .clone();
    let backend = |path: &str| {
        let url = format!("{market}{path}");
        async move {
            reqwest::get(url)
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let desktop = Desktop::signed_in(&stack, &[]).await;
    let s = &desktop.session;

    // The watchlist lists the backend's instruments.
    let listed = s
        .until_in_frame(
            WATCHLIST,
            0,
            "the watchlist's rows",
            WAIT,
            "const r = document.querySelector('tessera-watchlist').shadowRoot; \
             const rows = r ? [...r.querySelectorAll('tr[data-ticker]')].map((tr) => tr.dataset.ticker) : []; \
             return rows.length ? rows : null",
        )
        .await;
    let instruments = backend("/instruments").await;
    let symbols: Vec<&str> = instruments["instruments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["symbol"].as_str().unwrap())
        .collect();
    assert_eq!(listed, serde_json::json!(symbols));

    // A person clicks MSFT's row: the chart and the details card (all on red) follow.
    let row = desktop
        .rect_in_frame(
            WATCHLIST,
            &rect_of("tessera-watchlist", "tr[data-ticker=MSFT] td"),
        )
        .await;
    desktop.click_at(row.centre()).await;
    let msft = backend("/instruments/MSFT").await;
    let shown = details_for(&desktop, "MSFT").await;
    let text = shown["text"].as_str().unwrap();
    for field in ["name", "isin", "exchange", "sector", "description"] {
        let want = msft[field].as_str().unwrap();
        assert!(
            text.contains(want),
            "the card shows the backend's {field} {want:?}: {text}"
        );
    }
    let header = chart_for(&desktop, "MSFT").await;
    assert!(header.contains("Microsoft Corp."), "{header}");
    let bars = s
        .in_frame(
            CHART,
            0,
            "const c = document.querySelector('tessera-price-chart').shadowRoot.querySelector('.chart canvas'); \
             return c ? [c.width, c.height] : null",
        )
        .await
        .unwrap();
    assert!(
        bars[0].as_u64().unwrap() > 100 && bars[1].as_u64().unwrap() > 100,
        "the chart draws: {bars}"
    );

    // Live: the card's time moves on with the backend's ticks.
    let asof = |v: &Value| {
        let t = v["text"].as_str().unwrap_or_default().to_owned();
        t.split("Live").nth(1).map(str::to_owned)
    };
    let first = asof(&details_for(&desktop, "MSFT").await);
    s.wait_for("a live tick on the card", WAIT, || async {
        let now = asof(&s.in_frame(DETAILS, 0, DETAILS_SHOWN).await?);
        Ok((now.is_some() && now != first).then_some(()))
    })
    .await;
    desktop.screenshot("market-linked").await;

    // Top movers (Svelte), added from the marketplace and linked on red from
    // its group's channel menu, drives the same widgets.
    let add = desktop
        .rect(r#"li[data-widget-id="tessera.movers"] .mi-add"#)
        .await
        .expect("movers in the marketplace");
    desktop.click_at(add.centre()).await;
    s.wait_for_element("the movers panel", WAIT, MOVERS).await;
    s.enter_top().await.unwrap();
    let panel = s
        .execute(
            "const t = [...document.querySelectorAll('.tessera-tab')].find((t) => t.textContent.includes('Top movers')); \
             return t && t.dataset.panelId",
            vec![],
        )
        .await
        .unwrap();
    let panel = panel.as_str().expect("the movers tab").to_owned();
    let menu = desktop
        .rect(&format!(
            r#".dv-groupview:has(.dv-active-tab .tessera-tab[data-panel-id="{panel}"]) .act-channel"#
        ))
        .await
        .expect("the group's channel button");
    desktop.click_at(menu.centre()).await;
    let red = desktop
        .rect(r#".channel-menu button[data-channel="red"]"#)
        .await
        .expect("the channel menu");
    desktop.click_at(red.centre()).await;
    // The first mover that is not MSFT (what the others show now). The
    // pointer rests on the row first, as a hand does before it clicks: the
    // rows keep their places while it is over the lists, so the row under
    // it is the one clicked. (Re-ranked between reading a row's place and
    // the click, another row took the click: `click_at` first finds the
    // page's origin with the pointer over the top bar, which let go of the
    // lists. The click is made where the pointer rests.)
    let outer = desktop.rect(MOVERS).await.unwrap();
    let mut symbol = String::new();
    // MSFT is what the others show already: another row (again, should
    // MSFT have moved under the pointer on its way).
    for _ in 0..5 {
        let mover = s
            .until_in_frame(
                MOVERS,
                0,
                "the movers' rows",
                WAIT,
                "const r = document.querySelector('tessera-movers').shadowRoot; \
                 const b = r && [...r.querySelectorAll('button.row')].find((b) => b.querySelector('.sym').textContent.trim() !== 'MSFT'); \
                 if (!b) return null; const x = b.getBoundingClientRect(); \
                 return { left: x.left + 12, top: x.top + x.height / 2 }",
            )
            .await;
        let (fx, fy) = (
            mover["left"].as_f64().unwrap(),
            mover["top"].as_f64().unwrap(),
        );
        desktop
            .move_to(Point {
                x: outer.left + fx,
                y: outer.top + fy,
            })
            .await;
        // What is under the pointer now that the lists hold still.
        let under = s
            .until_in_frame(
                MOVERS,
                0,
                "the row under the pointer",
                WAIT,
                &format!(
                    "const r = document.querySelector('tessera-movers').shadowRoot; \
                     const e = r && r.elementFromPoint({fx}, {fy}); const b = e && e.closest('button.row'); \
                     return b && b.querySelector('.sym').textContent.trim()"
                ),
            )
            .await;
        symbol = under.as_str().unwrap().to_owned();
        if symbol != "MSFT" {
            break;
        }
    }
    assert_ne!(symbol, "MSFT", "a row other than MSFT under the pointer");
    desktop.click().await;
    details_for(&desktop, &symbol).await;
    chart_for(&desktop, &symbol).await;
    desktop.screenshot("market-movers").await;

    // The same in the dark theme (the README's picture): the theme button,
    // clicked with the mouse (System → Light → Dark), until the shell is
    // dark; the widgets follow.
    let toggle = desktop
        .rect("#theme-toggle")
        .await
        .expect("the theme button")
        .centre();
    let theme = "return [document.documentElement.dataset.theme, document.getElementById('theme-toggle').textContent]";
    for _ in 0..3 {
        s.enter_top().await.unwrap();
        let before = s.execute(theme, vec![]).await.unwrap();
        if before[1].as_str().is_some_and(|t| t.contains("Dark")) {
            break;
        }
        desktop.click_at(toggle).await;
        s.wait_for("the theme button to change", WAIT, || async {
            s.enter_top().await?;
            let now = s.execute(theme, vec![]).await?;
            Ok((now != before).then_some(()))
        })
        .await;
    }
    s.enter_top().await.unwrap();
    let now = s.execute(theme, vec![]).await.unwrap();
    assert_eq!(now[0], "dark", "{now}");
    s.until_in_frame(
        DETAILS,
        0,
        "the card to learn the dark theme",
        WAIT,
        "return window.tessera.getTheme().name === 'dark' || null",
    )
    .await;
    // The pointer off the button, so its tooltip is not in the picture.
    let title = desktop
        .rect("#layout-title")
        .await
        .expect("the title")
        .centre();
    desktop
        .move_to(Point {
            x: title.x,
            y: title.y + 400.0,
        })
        .await;
    s.wait_for("the theme button's tooltip to go", WAIT, || async {
        s.enter_top().await?;
        let hovered = s
            .execute(
                "return document.querySelector('#theme-toggle:hover') !== null",
                vec![],
            )
            .await?;
        Ok((hovered == Value::Bool(false)).then_some(()))
    })
    .await;
    let shot = desktop.screenshot("market-dark").await;
    eprintln!("screenshot: {}", shot.display());
}
