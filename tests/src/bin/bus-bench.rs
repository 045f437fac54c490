//! `bus-bench`: the bus in the real app under Xvfb (run a release build:
//! `scripts/bench.sh bus`). Two probe widgets on the red channel; widget A
//! broadcasts, widget B records when each context arrives. Measured in one
//! window and across windows (B popped out):
//! - latency from `broadcast` in A to B's handler, paced (one context per ms);
//! - a burst of 10,000 contexts: rate, loss, order;
//! - `fdc3.open` with a context → the new panel's listener has it (30 opens);
//! - round trips on a private channel (A pings, B pongs, 1,000 times), timed
//!   by the bus's own clock: the metadata timestamp of consecutive pings as
//!   the bus accepted them (microseconds; frames only see whole
//!   milliseconds), so one interval is one whole trip A → bus → B → bus → A.

use std::time::Duration;

use serde_json::Value;
use tessera_e2e::desktop::Desktop;
use tessera_e2e::webdriver::Session;
use tessera_e2e::{test_widget, Stack};

const PROBES: &str = r#"iframe[data-widget="tessera.probe"]"#;
const WAIT: Duration = Duration::from_secs(120);

async fn until(s: &Session, what: &str, index: usize, script: &str) -> Value {
    s.until_in_frame(PROBES, index, what, WAIT, script).await
}

struct Run {
    p50: f64,
    p99: f64,
    max: f64,
    rate: f64,
    lost: usize,
    reordered: usize,
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

/// Sends `n` contexts from A (frame `a` of window `wa`) to B (frame `b` of window `wb`).
async fn measure(
    s: &Session,
    wa: &str,
    a: usize,
    wb: &str,
    b: usize,
    n: usize,
    paced: bool,
) -> Run {
    s.switch_window(wb).await.unwrap();
    s.in_frame(PROBES, b, "window.received = []; return true")
        .await
        .unwrap();
    s.switch_window(wa).await.unwrap();
    let send = if paced {
        format!(
            "let i = 0; const t = setInterval(() => {{ \
               for (let k = 0; k < 2 && i < {n}; k++, i++) \
                 window.fdc3.broadcast({{type: 'fdc3.instrument', id: {{ticker: 'B'}}, seq: i, sentAt: performance.timeOrigin + performance.now()}}); \
               if (i >= {n}) clearInterval(t); }}, 2); return true"
        )
    } else {
        format!(
            "for (let i = 0; i < {n}; i++) \
               window.fdc3.broadcast({{type: 'fdc3.instrument', id: {{ticker: 'B'}}, seq: i, sentAt: performance.timeOrigin + performance.now()}}); \
             return true"
        )
    };
    s.in_frame(PROBES, a, &send).await.unwrap();
    s.switch_window(wb).await.unwrap();
    // Poll rarely: each WebDriver look runs script on the page's main thread,
    // which the widgets share, and would show up in the latencies.
    let script = format!(
        "return window.received.length >= {n} && window.received.map(r => [r.seq, r.sentAt, r.at])"
    );
    let deadline = std::time::Instant::now() + WAIT;
    let got = loop {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let v = s.in_frame(PROBES, b, &script).await.unwrap();
        if v != Value::Bool(false) {
            break v;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not every context arrived within {WAIT:?}"
        );
    };
    let rows: Vec<(u64, f64, f64)> = serde_json::from_value(got).unwrap();
    let mut lat: Vec<f64> = rows.iter().map(|(_, sent, at)| at - sent).collect();
    lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let reordered = rows.windows(2).filter(|w| w[1].0 < w[0].0).count();
    let first_sent = rows.iter().map(|r| r.1).fold(f64::MAX, f64::min);
    let last_at = rows.iter().map(|r| r.2).fold(0.0, f64::max);
    Run {
        p50: percentile(&lat, 0.5),
        p99: percentile(&lat, 0.99),
        max: *lat.last().unwrap(),
        rate: rows.len() as f64 / ((last_at - first_sent) / 1000.0),
        lost: n.saturating_sub(rows.len()),
        reordered,
    }
}

fn row(name: &str, r: &Run) {
    println!(
        "| {name} | {:.2} ms | {:.2} ms | {:.2} ms | {:.0}/s | {} | {} |",
        r.p50, r.p99, r.max, r.rate, r.lost, r.reordered
    );
}

fn stats(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (
        percentile(&v, 0.5),
        percentile(&v, 0.99),
        *v.last().unwrap(),
    )
}

/// `fdc3.open` from probe A with a context, `n` times: from the call to
/// the new probe's listener having the context (frame clocks: whole
/// milliseconds, against a few hundred), and to the bus accepting it for
/// the new panel. Each opened panel closes itself (`window.close()`).
async fn open_latency(s: &Session, n: usize) -> ((f64, f64, f64), (f64, f64, f64)) {
    let mut to_listener = Vec::new();
    let mut to_bus = Vec::new();
    for k in 0..n {
        s.in_frame(
            PROBES,
            0,
            &format!(
                "window.opened = null; window.openAt = performance.timeOrigin + performance.now(); \
                 window.fdc3.open({{appId: 'tessera.probe'}}, {{type: 'fdc3.instrument', id: {{ticker: 'OPEN-{k}'}}}}) \
                   .then(i => {{ window.opened = i.instanceId; }}, e => {{ window.opened = 'error ' + e.message; }}); \
                 return true"
            ),
        )
        .await
        .unwrap();
        let got = until(
            s,
            "open to answer",
            0,
            "return window.opened && [window.opened, window.openAt]",
        )
        .await;
        let (id, at): (String, f64) = serde_json::from_value(got).unwrap();
        assert!(!id.starts_with("error"), "{id}");
        s.enter_top().await.unwrap();
        let index = s
            .execute(
                &format!("return [...document.querySelectorAll('{PROBES}')].findIndex(f => f.dataset.panelId === '{id}')"),
                vec![],
            )
            .await
            .unwrap()
            .as_u64()
            .expect("the opened panel's frame") as usize;
        let first = until(
            s,
            "the opened probe's first context",
            index,
            "return window.received.length > 0 && [window.received[0].at, window.received[0].busAt]",
        )
        .await;
        let (arrived, accepted): (f64, f64) = serde_json::from_value(first).unwrap();
        to_listener.push(arrived - at);
        to_bus.push(accepted - at);
        // The frame goes with its panel before the script can answer.
        let _ = s
            .in_frame(PROBES, index, "window.close(); return true")
            .await;
        s.wait_for("the opened probe to close", WAIT, || async {
            s.enter_top().await?;
            Ok((s.find_all(PROBES).await?.len() == 2).then_some(()))
        })
        .await;
    }
    (stats(to_listener), stats(to_bus))
}

/// Ping-pong on a private channel: B (instance `b_id`, frame `b` of window
/// `wb`) returns one to A's `StreamPrices` and answers each ping with a
/// pong; A sends the next ping when the pong arrives. Returns the trips
/// by the bus's clock and by A's frame clock, the first 50 left out.
async fn round_trips(
    s: &Session,
    (wa, a): (&str, usize),
    (wb, b): (&str, usize),
    b_id: &str,
    n: usize,
) -> ((f64, f64, f64), (f64, f64, f64)) {
    s.switch_window(wb).await.unwrap();
    s.in_frame(
        PROBES,
        b,
        "window.pingAt = []; window.echoReady = false; \
         window.fdc3.addIntentListener('StreamPrices', async () => { \
           const ch = await window.fdc3.createPrivateChannel(); \
           await ch.addContextListener('bench.ping', (c, m) => { \
             window.pingAt.push(m.timestamp); ch.broadcast({type: 'bench.pong', seq: c.seq}); }); \
           return ch; }).then(() => { window.echoReady = true; }); \
         return true",
    )
    .await
    .unwrap();
    until(s, "B's echo", b, "return window.echoReady === true").await;
    s.switch_window(wa).await.unwrap();
    s.in_frame(
        PROBES,
        a,
        &format!(
            "window.trips = []; window.tripsDone = false; \
             const now = () => performance.timeOrigin + performance.now(); \
             window.fdc3.raiseIntent('StreamPrices', {{type: 'fdc3.instrument', id: {{ticker: 'RT'}}}}, \
                 {{appId: 'tessera.probe', instanceId: '{b_id}'}}) \
               .then(r => r.getResult()).then(async (ch) => {{ \
                 let last = 0; \
                 await ch.addContextListener('bench.pong', (c) => {{ \
                   const t = now(); window.trips.push(t - last); last = t; \
                   if (c.seq + 1 < {n}) ch.broadcast({{type: 'bench.ping', seq: c.seq + 1}}); \
                   else window.tripsDone = true; }}); \
                 last = now(); ch.broadcast({{type: 'bench.ping', seq: 0}}); \
               }}, e => {{ window.tripsDone = 'error ' + e.message; }}); \
             return true"
        ),
    )
    .await
    .unwrap();
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let done = s
            .in_frame(PROBES, a, "return window.tripsDone")
            .await
            .unwrap();
        if done == Value::Bool(true) {
            break;
        }
        assert!(done == Value::Bool(false), "the round trips failed: {done}");
        assert!(
            std::time::Instant::now() < deadline,
            "{n} round trips did not end within {WAIT:?}"
        );
    }
    let frame: Vec<f64> =
        serde_json::from_value(s.in_frame(PROBES, a, "return window.trips").await.unwrap())
            .unwrap();
    s.switch_window(wb).await.unwrap();
    let pings: Vec<f64> =
        serde_json::from_value(s.in_frame(PROBES, b, "return window.pingAt").await.unwrap())
            .unwrap();
    assert_eq!(pings.len(), n, "every ping reached B");
    let bus: Vec<f64> = pings.windows(2).map(|w| w[1] - w[0]).skip(50).collect();
    (stats(bus), stats(frame.into_iter().skip(50).collect()))
}

fn timing(name: &str, (p50, p99, max): (f64, f64, f64)) {
    println!("| {name} | {p50:.3} ms | {p99:.3} ms | {max:.3} ms |");
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let stack = Stack::start_dirs(&[test_widget("probe")]).await;
    // Signed in as the stack's user: the app shows its sign-in screen otherwise.
    let desktop = Desktop::signed_in(&stack, &["--empty"]).await;
    let s = &desktop.session;
    let add = s
        .wait_for_element(
            "the probe",
            WAIT,
            r#"li[data-widget-id="tessera.probe"] .mi-add"#,
        )
        .await;
    s.click(&add).await.unwrap();
    s.click(&add).await.unwrap();
    for i in 0..2 {
        until(s, "probe ready", i, "return window.probeReady === true").await;
        s.in_frame(PROBES, i, "window.fdc3.joinUserChannel('red'); return true")
            .await
            .unwrap();
    }
    // Let the joins land before measuring.
    until(s, "joined", 1, "window.fdc3.getCurrentChannel().then(c => window.ch = c && c.id); return window.ch === 'red'").await;
    let main = s.current_window().await.unwrap();

    println!(
        "Bus benchmark: two probe widgets on red, A broadcasts, B's handler records arrival.\n"
    );
    println!("| run | p50 | p99 | max | rate | lost | reordered |");
    println!("|---|---|---|---|---|---|---|");
    // Warm up.
    measure(s, &main, 0, &main, 1, 500, true).await;
    row(
        "one window, paced (2 per timer tick, 2,000)",
        &measure(s, &main, 0, &main, 1, 2000, true).await,
    );
    row(
        "one window, burst of 10,000",
        &measure(s, &main, 0, &main, 1, 10_000, false).await,
    );

    // Private channels and open, in one window.
    let ids = s.panel_ids(PROBES).await.unwrap();
    let (rt_bus, rt_frame) = round_trips(s, (&main, 0), (&main, 1), &ids[1], 1000).await;
    let (open_listener, open_bus) = open_latency(s, 30).await;

    s.enter_top().await.unwrap();
    let pop = s.find_all(".act-popout").await.unwrap();
    s.click(&pop[1]).await.unwrap();
    let popout = s
        .wait_for("the pop-out", WAIT, || async {
            Ok(s.windows().await?.into_iter().find(|h| *h != main))
        })
        .await;
    s.switch_window(&popout).await.unwrap();
    until(
        s,
        "popped-out probe ready",
        0,
        "return window.probeReady === true",
    )
    .await;
    measure(s, &main, 0, &popout, 0, 500, true).await;
    row(
        "across windows, paced (2 per timer tick, 2,000)",
        &measure(s, &main, 0, &popout, 0, 2000, true).await,
    );
    row(
        "across windows, burst of 10,000",
        &measure(s, &main, 0, &popout, 0, 10_000, false).await,
    );
    let (rt_bus_x, rt_frame_x) = round_trips(s, (&main, 0), (&popout, 0), &ids[1], 1000).await;

    println!("\nPrivate channel round trips (A pings, B pongs; 1,000, the first 50 left out) and fdc3.open (30 opens).\n");
    println!("| run | p50 | p99 | max |");
    println!("|---|---|---|---|");
    timing("private channel round trip, one window (bus clock)", rt_bus);
    timing(
        "private channel round trip, one window (A's frame clock, whole ms)",
        rt_frame,
    );
    timing(
        "private channel round trip, across windows (bus clock)",
        rt_bus_x,
    );
    timing(
        "private channel round trip, across windows (A's frame clock, whole ms)",
        rt_frame_x,
    );
    timing(
        "open → the new panel's listener has the context",
        open_listener,
    );
    timing(
        "open → the bus hands the context to the new panel",
        open_bus,
    );
}
