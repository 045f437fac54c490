//! The bus behind a lock, with one sink per window: every call's messages
//! are handed to the windows they are for, in order, while the lock is held
//! (so two calls can never overtake each other on the way out).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use serde_json::Value;

use super::context::Fdc3Error;
use super::protocol::{Op, Outgoing, ToPanel};
use super::Bus;

/// Where a window's messages go (a Tauri channel to its page, in the app).
pub type Sink = Box<dyn Fn(Vec<Outgoing>) + Send + Sync>;

/// One SDK request as the shell page relays it.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Call {
    pub panel: String,
    #[serde(default)]
    pub id: u64,
    pub op: String,
    #[serde(default)]
    pub args: Value,
}

#[derive(Default)]
struct Inner {
    bus: Bus,
    sinks: HashMap<String, Sink>,
}

#[derive(Default)]
pub struct BusService {
    inner: Mutex<Inner>,
}

/// Sends each window its messages, except `keep`'s, which are returned.
fn dispatch_except(
    sinks: &HashMap<String, Sink>,
    out: Vec<Outgoing>,
    keep: Option<&str>,
) -> Vec<Outgoing> {
    if keep.is_none() {
        dispatch(sinks, out);
        return Vec::new();
    }
    let (mine, others): (Vec<Outgoing>, Vec<Outgoing>) =
        out.into_iter().partition(|m| Some(m.window()) == keep);
    dispatch(sinks, others);
    mine
}

fn dispatch(sinks: &HashMap<String, Sink>, out: Vec<Outgoing>) {
    if out.is_empty() {
        return;
    }
    // Group by window, keeping each window's order.
    let mut by_window: Vec<(String, Vec<Outgoing>)> = Vec::new();
    for m in out {
        match by_window.iter_mut().find(|(w, _)| w == m.window()) {
            Some((_, v)) => v.push(m),
            None => by_window.push((m.window().to_owned(), vec![m])),
        }
    }
    for (window, msgs) in by_window {
        match sinks.get(&window) {
            Some(sink) => sink(msgs),
            None => tracing::debug!(%window, n = msgs.len(), "no page attached; messages dropped"),
        }
    }
}

impl BusService {
    /// Runs `f` on the bus and sends what it returns.
    pub fn with<R>(&self, f: impl FnOnce(&mut Bus) -> (R, Vec<Outgoing>)) -> R {
        let mut inner = self.inner.lock().expect("bus lock");
        let (r, out) = f(&mut inner.bus);
        dispatch(&inner.sinks, out);
        r
    }

    /// A window's page is ready to receive.
    pub fn attach_window(&self, window: &str, sink: Sink) {
        self.inner
            .lock()
            .expect("bus lock")
            .sinks
            .insert(window.to_owned(), sink);
    }

    pub fn detach_window(&self, window: &str) {
        self.inner.lock().expect("bus lock").sinks.remove(window);
    }

    /// Handles a batch of SDK requests in order; every window gets its messages.
    pub fn calls(&self, calls: Vec<Call>) {
        let _ = self.calls_from(None, calls);
    }

    /// Handles a batch from the page of `window`: its own messages are
    /// returned (they ride back on the same IPC call, one hop fewer), the
    /// other windows' go to their sinks.
    pub fn calls_from(&self, window: Option<&str>, calls: Vec<Call>) -> Vec<Outgoing> {
        let mut inner = self.inner.lock().expect("bus lock");
        let out = Self::run_calls(&mut inner.bus, calls);
        dispatch_except(&inner.sinks, out, window)
    }

    fn run_calls(bus: &mut Bus, calls: Vec<Call>) -> Vec<Outgoing> {
        {
            let mut out = Vec::new();
            for c in calls {
                let parsed = if c.args.is_null() {
                    serde_json::from_value::<Op>(serde_json::json!({ "op": c.op }))
                } else {
                    serde_json::from_value::<Op>(serde_json::json!({ "op": c.op, "args": c.args }))
                };
                match parsed {
                    Ok(op) => out.extend(bus.call(&c.panel, c.id, op)),
                    Err(e) => {
                        tracing::debug!(op = %c.op, error = %e, "refused SDK request");
                        if let Some(window) = bus.window_of(&c.panel) {
                            let error = if c.op == "broadcast" {
                                Fdc3Error::MalformedContext
                            } else {
                                Fdc3Error::UnknownOperation
                            };
                            out.push(Outgoing::Panel {
                                window,
                                panel: c.panel.clone(),
                                msg: ToPanel::Response {
                                    id: c.id,
                                    result: None,
                                    error: Some(error.as_str()),
                                },
                            });
                        }
                    }
                }
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn messages_reach_the_window_their_panel_lives_in() {
        let svc = BusService::default();
        let seen: Arc<Mutex<Vec<(String, usize)>>> = Arc::default();
        for w in ["main", "popout-b"] {
            let seen = seen.clone();
            let name = w.to_owned();
            svc.attach_window(
                w,
                Box::new(move |msgs| seen.lock().unwrap().push((name.clone(), msgs.len()))),
            );
        }
        svc.with(|bus| {
            bus.register_panel("a", "w.a", "main", Some("red".into()));
            bus.register_panel("b", "w.b", "popout-b", Some("red".into()));
            ((), Vec::new())
        });
        let call = |panel: &str, id, op: &str, args| Call {
            panel: panel.into(),
            id,
            op: op.into(),
            args,
        };
        svc.calls(vec![
            call("a", 1, "hello", Value::Null),
            call("b", 1, "hello", Value::Null),
        ]);
        seen.lock().unwrap().clear();
        svc.calls(vec![call(
            "b",
            2,
            "addContextListener",
            json!({"listener": "l"}),
        )]);
        svc.calls(vec![call(
            "a",
            3,
            "broadcast",
            json!({"context": {"type": "fdc3.instrument"}}),
        )]);
        let seen = seen.lock().unwrap().clone();
        assert!(
            seen.contains(&("popout-b".to_owned(), 1)),
            "the delivery went to the pop-out's page: {seen:?}"
        );
        assert!(
            seen.contains(&("main".to_owned(), 1)),
            "the sender's answer went to the main page: {seen:?}"
        );
    }

    #[test]
    fn the_calling_windows_messages_come_back_with_the_call() {
        let svc = BusService::default();
        let via_sink: Arc<Mutex<Vec<String>>> = Arc::default();
        for w in ["main", "popout-b"] {
            let seen = via_sink.clone();
            let name = w.to_owned();
            svc.attach_window(
                w,
                Box::new(move |_| seen.lock().unwrap().push(name.clone())),
            );
        }
        svc.with(|bus| {
            for (p, w) in [("a", "main"), ("b", "main"), ("c", "popout-b")] {
                bus.register_panel(p, "w", w, Some("red".into()));
            }
            ((), Vec::new())
        });
        let call = |panel: &str, id, op: &str, args| Call {
            panel: panel.into(),
            id,
            op: op.into(),
            args,
        };
        for p in ["a", "b", "c"] {
            svc.calls(vec![call(p, 1, "hello", Value::Null)]);
            svc.calls(vec![call(
                p,
                2,
                "addContextListener",
                json!({"listener": "l"}),
            )]);
        }
        via_sink.lock().unwrap().clear();
        let back = svc.calls_from(
            Some("main"),
            vec![call("a", 3, "broadcast", json!({"context": {"type": "t"}}))],
        );
        let to: Vec<&str> = back
            .iter()
            .map(|m| match m {
                Outgoing::Panel { panel, .. } => panel.as_str(),
                Outgoing::Shell { .. } => "shell",
            })
            .collect();
        assert_eq!(
            to,
            ["a", "b"],
            "a's answer and b's delivery return with the call"
        );
        assert_eq!(
            *via_sink.lock().unwrap(),
            ["popout-b"],
            "the other window's delivery went to its sink"
        );
    }

    #[test]
    fn unknown_operations_are_refused_by_name() {
        let svc = BusService::default();
        let got: Arc<Mutex<Vec<Outgoing>>> = Arc::default();
        let g = got.clone();
        svc.attach_window("main", Box::new(move |m| g.lock().unwrap().extend(m)));
        svc.with(|bus| {
            bus.register_panel("a", "w.a", "main", None);
            ((), Vec::new())
        });
        svc.calls(vec![Call {
            panel: "a".into(),
            id: 9,
            op: "invokeTauriCommand".into(),
            args: json!({"cmd": "list_widgets"}),
        }]);
        let got = got.lock().unwrap();
        assert!(
            matches!(
                &got[..],
                [Outgoing::Panel {
                    msg: ToPanel::Response {
                        id: 9,
                        error: Some("UnknownOperation"),
                        ..
                    },
                    ..
                }]
            ),
            "{got:?}"
        );
    }
}

/// Work to run off the caller's thread.
pub type Job = Box<dyn FnOnce() + Send>;

/// Coalesces a window's messages: whatever arrives while a send is under
/// way goes out as one batch after it, in order. A burst then costs a few
/// sends to the page instead of one per call.
pub struct Coalescer<T: Send + 'static> {
    state: Arc<Mutex<(Vec<T>, bool)>>,
    send: Arc<dyn Fn(Vec<T>) + Send + Sync>,
}

impl<T: Send + 'static> Coalescer<T> {
    pub fn new(send: impl Fn(Vec<T>) + Send + Sync + 'static) -> Self {
        Coalescer {
            state: Arc::new(Mutex::new((Vec::new(), false))),
            send: Arc::new(send),
        }
    }

    /// Queues `items`; `spawn` runs the sender when none is running.
    pub fn push(&self, items: Vec<T>, spawn: impl FnOnce(Job)) {
        let mut st = self.state.lock().expect("coalescer lock");
        st.0.extend(items);
        if st.1 {
            return;
        }
        st.1 = true;
        drop(st);
        let (state, send) = (self.state.clone(), self.send.clone());
        spawn(Box::new(move || loop {
            let batch = {
                let mut st = state.lock().expect("coalescer lock");
                if st.0.is_empty() {
                    st.1 = false;
                    return;
                }
                std::mem::take(&mut st.0)
            };
            send(batch);
        }));
    }
}

#[cfg(test)]
mod coalescer_tests {
    use super::*;

    #[test]
    fn keeps_order_and_batches_while_a_send_is_pending() {
        let sent: Arc<Mutex<Vec<Vec<u32>>>> = Arc::default();
        let s = sent.clone();
        let c = Coalescer::new(move |b| s.lock().unwrap().push(b));
        let parked: Arc<Mutex<Vec<Job>>> = Arc::default();
        let park = |p: &Arc<Mutex<Vec<Job>>>| {
            let p = p.clone();
            move |f| p.lock().unwrap().push(f)
        };
        c.push(vec![1], park(&parked));
        c.push(vec![2, 3], park(&parked));
        c.push(vec![4], park(&parked));
        assert_eq!(parked.lock().unwrap().len(), 1, "one sender at a time");
        let f = parked.lock().unwrap().pop().unwrap();
        f();
        assert_eq!(
            *sent.lock().unwrap(),
            vec![vec![1, 2, 3, 4]],
            "one batch, in order"
        );
    }
}
