//! The bus in the real app: three probe widgets, two on red and one on blue;
//! a broadcast reaches only the red one, a late joiner gets the current
//! context, a popped-out panel still hears its channel, and a widget can
//! reach nothing of the shell but the bus.

use std::time::Duration;

use serde_json::{json, Value};
use tessera_e2e::desktop::Desktop;
use tessera_e2e::webdriver::Session;
use tessera_e2e::{test_widget, Stack};

const WAIT: Duration = Duration::from_secs(90);
const PROBES: &str = r#"iframe[data-widget="tessera.probe"]"#;

/// Runs `script` in probe frame `i` until it returns something truthy.
async fn until(s: &Session, what: &str, i: usize, script: &str) -> Value {
    s.until_in_frame(PROBES, i, what, WAIT, script).await
}

fn tickers(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r["ticker"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Probe 0 raises `StreamPrices` at probe 1's instance and listens on the
/// private channel it returns (kept as `window.privateChannel`): the stream
/// arrives. Returns `[privateId, streamed tickers]`.
async fn stream_from(s: &Session, probe1: &str, ticker: &str, what: &str) -> Value {
    s.in_frame(
        PROBES,
        0,
        &format!(
            "window.streamed = [];
             window.fdc3.raiseIntent('StreamPrices', {{type: 'fdc3.instrument', id: {{ticker: '{ticker}'}}}},
                 {{appId: 'tessera.probe', instanceId: '{probe1}'}})
               .then(r => r.getResult())
               .then(async (ch) => {{
                 window.privateId = ch.type + ':' + ch.id;
                 window.privateChannel = ch;
                 await ch.addContextListener('fdc3.instrument', c => window.streamed.push(c.id.ticker));
               }}, e => {{ window.privateId = 'error ' + e.message; }});
             return true"
        ),
    )
    .await
    .unwrap();
    let streamed = until(
        s,
        what,
        0,
        "return window.streamed.length > 0 && [window.privateId, window.streamed]",
    )
    .await;
    assert!(
        streamed[0]
            .as_str()
            .unwrap_or_default()
            .starts_with("private:private-"),
        "{streamed}"
    );
    assert_eq!(streamed[1], json!([format!("STREAM-{ticker}")]));
    streamed
}

/// Adds `n` probes from the marketplace and waits until each listens.
async fn add_probes(s: &Session, n: usize) {
    let add = s
        .wait_for_element(
            "the probe in the marketplace",
            WAIT,
            r#"li[data-widget-id="tessera.probe"] .mi-add"#,
        )
        .await;
    for _ in 0..n {
        s.click(&add).await.unwrap();
    }
    for i in 0..n {
        until(
            s,
            "the probe's listener",
            i,
            "return window.probeReady === true",
        )
        .await;
    }
}

async fn received(s: &Session, i: usize) -> Value {
    s.in_frame(PROBES, i, "return window.received")
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channels_pop_outs_and_the_frame_boundary() {
    let stack = Stack::start_dirs(&[test_widget("probe")]).await;
    let desktop = Desktop::signed_in(&stack, &["--empty"]).await;
    let s = &desktop.session;
    add_probes(s, 3).await;

    // Two on red, one on blue, each joined from inside its frame.
    for (i, ch) in [(0, "red"), (1, "red"), (2, "blue")] {
        s.in_frame(
            PROBES,
            i,
            &format!("window.fdc3.joinUserChannel('{ch}'); return true"),
        )
        .await
        .unwrap();
    }
    s.wait_for("the tabs to show the channels", WAIT, || async {
        let chans = s
            .execute(
                "return [...document.querySelectorAll('.tessera-tab')].map(t => t.dataset.channel)",
                vec![],
            )
            .await?;
        let mut chans: Vec<String> = serde_json::from_value(chans).map_err(|e| e.to_string())?;
        chans.sort();
        Ok((chans == ["blue", "red", "red"]).then_some(()))
    })
    .await;

    // A broadcast on red reaches the other red probe only.
    s.in_frame(
        PROBES,
        0,
        "window.fdc3.broadcast({type: 'fdc3.instrument', id: {ticker: 'AAPL'}}); return true",
    )
    .await
    .unwrap();
    let got = until(
        s,
        "red probe 1 to receive",
        1,
        "return window.received.length > 0 && window.received",
    )
    .await;
    assert_eq!(tickers(&got), ["AAPL"]);
    assert_eq!(got[0]["channel"], "red");
    assert!(
        tickers(&received(s, 0).await).is_empty(),
        "the sender does not get its own broadcast"
    );

    // The blue probe got nothing; when it joins red it gets the current context at once.
    s.in_frame(PROBES, 2, "window.fdc3.joinUserChannel('red'); return true")
        .await
        .unwrap();
    let late = until(
        s,
        "the late joiner's current context",
        2,
        "return window.received.length > 0 && window.received",
    )
    .await;
    assert_eq!(
        tickers(&late),
        ["AAPL"],
        "exactly one: the current context, nothing from its blue days"
    );

    // The frame boundary: no Tauri IPC, no shell DOM, no other frame's DOM,
    // and a forged request for a Tauri command is refused by name.
    let probe = r#"
        const out = { ipc: typeof window.__TAURI_INTERNALS__, tauri: typeof window.__TAURI__ };
        try { out.parentDoc = window.parent.document ? 'reachable' : 'blocked'; } catch (e) { out.parentDoc = 'blocked'; }
        try { out.siblingDoc = window.parent.frames[1].document ? 'reachable' : 'blocked'; } catch (e) { out.siblingDoc = 'blocked'; }
        out.token = Object.keys(window).filter(k => /token/i.test(k));
        window.addEventListener('message', (e) => {
          for (const d of (e.data && e.data.deliveries) || []) if (d.id === 9999) window.forged = d.error;
        });
        window.parent.postMessage({ tessera: 1, id: 9999, op: 'list_widgets', args: {} }, '*');
        fetch('ipc://localhost/list_widgets', { method: 'POST', body: '{}' })
          .then(r => { window.ipcFetch = 'status ' + r.status; }, () => { window.ipcFetch = 'refused'; });
        return out;"#;
    let out = s.in_frame(PROBES, 0, probe).await.unwrap();
    assert_eq!(
        out,
        json!({"ipc": "undefined", "tauri": "undefined", "parentDoc": "blocked", "siblingDoc": "blocked", "token": []})
    );
    let forged = until(s, "the forged request's answer", 0, "return window.forged").await;
    assert_eq!(forged, "UnknownOperation");
    let ipc = until(
        s,
        "the direct IPC attempt to fail",
        0,
        "return window.ipcFetch",
    )
    .await;
    assert!(
        ipc == "refused" || ipc.as_str().is_some_and(|t| !t.starts_with("status 2")),
        "{ipc}"
    );

    // Intents: every probe handles ViewChart, so raising it asks the user;
    // the chosen panel gets it and its result comes back to the raiser.
    s.in_frame(
        PROBES,
        0,
        "window.fdc3.raiseIntent('ViewChart', {type: 'fdc3.instrument', id: {ticker: 'NVDA'}})
           .then(r => r.getResult())
           .then(res => { window.intentResult = res.id.ticker; }, e => { window.intentResult = 'error ' + e.message; });
         return true",
    )
    .await
    .unwrap();
    let target_panel = s
        .execute(
            &format!("return document.querySelectorAll('{PROBES}')[2].dataset.panelId"),
            vec![],
        )
        .await
        .unwrap();
    let target_panel = target_panel.as_str().unwrap().to_owned();
    let choice = s
        .wait_for_element(
            "the intent resolver",
            WAIT,
            &format!(r#".resolver-choice[data-instance-id="{target_panel}"]"#),
        )
        .await;
    let offered = s.find_all(".resolver-choice").await.unwrap().len();
    assert_eq!(
        offered, 3,
        "two running probes (not the raiser) and a new probe panel"
    );
    s.click(&choice).await.unwrap();
    let handled = until(
        s,
        "the chosen probe to get the intent",
        2,
        "return window.intents.length > 0 && window.intents",
    )
    .await;
    assert_eq!(handled, json!(["NVDA"]));
    let result = until(
        s,
        "the intent's result at the raiser",
        0,
        "return window.intentResult",
    )
    .await;
    assert_eq!(result, "HANDLED-NVDA");

    // raiseIntentForContext: any intent for the context, through the resolver.
    s.in_frame(
        PROBES,
        0,
        "window.fdc3.raiseIntentForContext({type: 'fdc3.instrument', id: {ticker: 'AMD'}})
           .then(r => { window.forContext = r.intent + '@' + r.source.instanceId; },
                 e => { window.forContext = 'error ' + e.message; });
         return true",
    )
    .await
    .unwrap();
    let choice = s
        .wait_for_element(
            "the resolver for the context",
            WAIT,
            &format!(
                r#".resolver-choice[data-instance-id="{target_panel}"][data-intent="ViewChart"]"#
            ),
        )
        .await;
    s.click(&choice).await.unwrap();
    let resolved = until(
        s,
        "raiseIntentForContext to resolve",
        0,
        "return window.forContext",
    )
    .await;
    assert_eq!(resolved, json!(format!("ViewChart@{target_panel}")));
    until(
        s,
        "the chosen probe to get AMD",
        2,
        "return window.intents.includes('AMD')",
    )
    .await;

    // Raised at one instance: it goes there, and nobody is asked.
    let probe1_panel = s
        .execute(
            &format!("return document.querySelectorAll('{PROBES}')[1].dataset.panelId"),
            vec![],
        )
        .await
        .unwrap();
    s.in_frame(
        PROBES,
        0,
        &format!(
            "window.fdc3.raiseIntent('ViewChart', {{type: 'fdc3.instrument', id: {{ticker: 'TSLA'}}}}, \
               {{appId: 'tessera.probe', instanceId: '{}'}}); return true",
            probe1_panel.as_str().unwrap()
        ),
    )
    .await
    .unwrap();
    until(
        s,
        "probe 1 to get the targeted intent",
        1,
        "return window.intents.includes('TSLA')",
    )
    .await;
    s.enter_top().await.unwrap();
    assert!(
        s.find_all(".resolver-choice").await.unwrap().is_empty(),
        "no resolver for an intent raised at an instance"
    );

    // Pop probe 1 out: it keeps its channel and still hears red.
    let main = s.current_window().await.unwrap();
    s.in_frame(
        PROBES,
        1,
        "window.tessera.setState({ note: 'kept' }); return true",
    )
    .await
    .unwrap();
    s.enter_top().await.unwrap();
    // The pop-out button of the group whose active panel is probe 1.
    let probe1 = s
        .execute(
            &format!("return document.querySelectorAll('{PROBES}')[1].dataset.panelId"),
            vec![],
        )
        .await
        .unwrap();
    let popout_button = s
        .find(&format!(
            ".dv-groupview:has(.dv-active-tab .tessera-tab[data-panel-id=\"{}\"]) .act-popout",
            probe1.as_str().unwrap()
        ))
        .await
        .unwrap();
    s.click(&popout_button).await.unwrap();
    let popout = s
        .wait_for("the pop-out window", WAIT, || async {
            Ok(s.windows().await?.into_iter().find(|h| *h != main))
        })
        .await;
    s.switch_window(&popout).await.unwrap();
    s.wait_for_element("the pop-out page", WAIT, "body[data-ready=true]")
        .await;
    assert_eq!(
        s.execute(
            "return document.querySelector('.popout-channel').dataset.channel",
            vec![]
        )
        .await
        .unwrap(),
        "red",
        "the channel came along"
    );
    until(
        s,
        "the popped-out probe to be ready",
        0,
        "return window.probeReady === true",
    )
    .await;
    let state = s
        .in_frame(PROBES, 0, "return window.tessera.getState()")
        .await
        .unwrap();
    assert_eq!(
        state,
        json!({"note": "kept"}),
        "the widget's state came along"
    );
    let shot = desktop.screenshot("popout").await;
    eprintln!("screenshot: {}", shot.display());

    s.switch_window(&main).await.unwrap();
    s.in_frame(
        PROBES,
        0,
        "window.fdc3.broadcast({type: 'fdc3.instrument', id: {ticker: 'MSFT'}}); return true",
    )
    .await
    .unwrap();
    s.switch_window(&popout).await.unwrap();
    let got = until(
        s,
        "the pop-out to receive MSFT",
        0,
        "return window.received.some(r => r.ticker === 'MSFT') && window.received",
    )
    .await;
    assert_eq!(
        tickers(&got).last().map(String::as_str),
        Some("MSFT"),
        "broadcast from the main window reached the pop-out"
    );

    // Dock it back: the panel returns to the main window, still on red.
    let dock_back = s.find(".dock-back").await.unwrap();
    // The click closes the window it was made in, so WebDriver may answer
    // "no such window" for it; the outcome is checked below instead.
    let _ = s.click(&dock_back).await;
    s.switch_window(&main).await.unwrap();
    s.wait_for("the panel back in the main window", WAIT, || async {
        let n = s.find_all(PROBES).await?.len();
        let windows = s.windows().await?.len();
        Ok((n == 3 && windows == 1).then_some(()))
    })
    .await;
    // The bus inspector lists what flowed: channel, source widget, type.
    s.click(&s.find("#open-inspector").await.unwrap())
        .await
        .unwrap();
    let rows = s
        .wait_for("the inspector's rows", WAIT, || async {
            let texts = s
                .execute("return [...document.querySelectorAll('.inspector-row > button')].map(b => b.textContent)", vec![])
                .await?;
            let texts: Vec<String> = serde_json::from_value(texts).map_err(|e| e.to_string())?;
            Ok((texts.len() >= 2).then_some(texts))
        })
        .await;
    assert!(
        rows.iter().any(|r| r.contains("red")
            && r.contains("tessera.probe")
            && r.contains("fdc3.instrument")),
        "{rows:?}"
    );
    let shot = desktop.screenshot("bus").await;
    eprintln!("screenshot: {}", shot.display());

    // fdc3.open: a new probe panel, whose first listener gets the context;
    // the opener learns the new instance.
    s.in_frame(
        PROBES,
        0,
        "window.fdc3.open({appId: 'tessera.probe'}, {type: 'fdc3.instrument', id: {ticker: 'OPENED'}})
           .then(i => { window.opened = i.instanceId; }, e => { window.opened = 'error ' + e.message; });
         return true",
    )
    .await
    .unwrap();
    let opened = until(s, "open to resolve", 0, "return window.opened").await;
    let opened = opened.as_str().unwrap_or_default().to_owned();
    assert!(!opened.starts_with("error"), "{opened}");
    s.enter_top().await.unwrap();
    let index = s
        .execute(
            &format!("return [...document.querySelectorAll('{PROBES}')].findIndex(f => f.dataset.panelId === '{opened}')"),
            vec![],
        )
        .await
        .unwrap();
    let index = index.as_u64().expect("the opened panel's frame") as usize;
    let got = until(
        s,
        "the opened probe to get its context",
        index,
        "return window.received.length > 0 && window.received",
    )
    .await;
    assert_eq!(tickers(&got), ["OPENED"]);
    assert_eq!(s.find_all(PROBES).await.unwrap().len(), 4);
    // Its metadata, as another app asks for it: AppMetadata's fields only
    // (the shell once added the frame's own state to every answer with an
    // instanceId, which FDC3's conformance suite caught).
    s.in_frame(
        PROBES,
        0,
        &format!(
            "window.fdc3.getAppMetadata({{appId: 'tessera.probe', instanceId: '{opened}'}})
               .then(m => {{ window.meta = m; }}, e => {{ window.meta = 'error ' + e.message; }});
             return true"
        ),
    )
    .await
    .unwrap();
    let meta = until(s, "getAppMetadata", 0, "return window.meta").await;
    assert_eq!(meta["appId"], "tessera.probe", "{meta}");
    assert_eq!(meta["instanceId"], opened.as_str(), "{meta}");
    let allowed = [
        "appId",
        "instanceId",
        "name",
        "version",
        "instanceMetadata",
        "title",
        "tooltip",
        "description",
        "icons",
        "screenshots",
        "resultType",
    ];
    let extra: Vec<&String> = meta
        .as_object()
        .expect("an object")
        .keys()
        .filter(|k| !allowed.contains(&k.as_str()))
        .collect();
    assert!(
        extra.is_empty(),
        "fields AppMetadata does not have: {extra:?} in {meta}"
    );
    desktop.screenshot("bus-open").await;

    // A private channel as an intent's result: probe 1 streams on it once
    // probe 0 listens; only they use it; probe 0 disconnects and probe 1 hears.
    let probe1 = probe1_panel.as_str().unwrap();
    let streamed = stream_from(s, probe1, "IBM", "the stream on the private channel").await;
    // Its frame's place among the probes may have moved (popped out and back).
    s.enter_top().await.unwrap();
    let probe1_index = s
        .execute(
            &format!("return [...document.querySelectorAll('{PROBES}')].findIndex(f => f.dataset.panelId === '{probe1}')"),
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .expect("probe 1's frame") as usize;
    // A third probe may not use it.
    let stranger = (1..4)
        .find(|i| *i != probe1_index)
        .expect("a probe that is neither");
    let private_id = streamed[0]
        .as_str()
        .unwrap()
        .trim_start_matches("private:")
        .to_owned();
    let denied = until(
        s,
        "a stranger refused",
        stranger,
        &format!(
            "if (!window.strangerTried) {{ window.strangerTried = true;
               window.fdc3.getOrCreateChannel('{private_id}').then(() => {{ window.stranger = 'allowed'; }}, e => {{ window.stranger = e.message; }}); }}
             return window.stranger || null"
        ),
    )
    .await;
    assert_eq!(denied, json!("AccessDenied"));
    s.in_frame(PROBES, 0, "window.privateChannel.disconnect(); return true")
        .await
        .unwrap();
    let events = until(
        s,
        "probe 1 to hear the disconnect",
        probe1_index,
        "return window.privateEvents.includes('disconnect') && window.privateEvents",
    )
    .await;
    assert_eq!(events, json!(["listener:fdc3.instrument", "disconnect"]));
}

/// Issue 13: a private channel between a panel in the main window and one
/// popped out into a window of its own: returned as an intent's result, it
/// carries contexts across, and a disconnect in one window reaches the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_channel_works_across_windows() {
    let stack = Stack::start_dirs(&[test_widget("probe")]).await;
    let desktop = Desktop::signed_in(&stack, &["--empty"]).await;
    let s = &desktop.session;
    add_probes(s, 2).await;
    let main = s.current_window().await.unwrap();
    let ids = s.panel_ids(PROBES).await.unwrap();
    let probe1 = ids[1].clone();
    // Probe 1 popped out with the mouse.
    let button = desktop
        .rect(&format!(
            r#".dv-groupview:has(.dv-active-tab .tessera-tab[data-panel-id="{probe1}"]) .act-popout"#
        ))
        .await
        .expect("probe 1's pop-out button");
    desktop.click_at(button.centre()).await;
    let popout = s
        .wait_for("the pop-out window", WAIT, || async {
            Ok(s.windows().await?.into_iter().find(|h| *h != main))
        })
        .await;
    s.switch_window(&popout).await.unwrap();
    until(
        s,
        "the popped-out probe",
        0,
        "return window.probeReady === true",
    )
    .await;

    // Probe 0, in the main window, asks probe 1 for a stream: a private channel.
    s.switch_window(&main).await.unwrap();
    stream_from(s, &probe1, "XW", "the stream from the other window").await;

    // Disconnecting in the main window reaches the pop-out.
    s.in_frame(PROBES, 0, "window.privateChannel.disconnect(); return true")
        .await
        .unwrap();
    s.switch_window(&popout).await.unwrap();
    let events = until(
        s,
        "the pop-out to hear the disconnect",
        0,
        "return window.privateEvents.includes('disconnect') && window.privateEvents",
    )
    .await;
    assert_eq!(events, json!(["listener:fdc3.instrument", "disconnect"]));
}
