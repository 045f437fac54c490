//! `bus-bench`: the bus in the real app under Xvfb (run a release build:
//! `scripts/bench.sh bus`). Two probe widgets on the red channel; widget A
//! broadcasts, widget B records when each context arrives. Measured in one
//! window and across windows (B popped out):
//! - latency from `broadcast` in A to B's handler, paced (one context per ms);
//! - a burst of 10,000 contexts: rate, loss, order.

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

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let stack = Stack::start_dirs(&[test_widget("probe")]).await;
    let desktop = Desktop::start_with(&stack.registry_url, &["--empty"]).await;
    let s = &desktop.session;
    s.wait_for_element("the shell", WAIT, "body[data-ready=true]")
        .await;
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
}
