//! The bus behind a lock, with one sink per window: every call's messages
//! are handed to the windows they are for, in order, while the lock is held
//! (so two calls can never overtake each other on the way out).

use std::collections::HashMap;
use std::sync::Mutex;

use serde::Deserialize;
use serde_json::Value;

use super::context::Fdc3Error;
use super::protocol::{Op, Outgoing, ToPanel};
use super::Bus;

/// Where a window's messages go (a Tauri channel to its page, in the app).
pub type Sink = Box<dyn Fn(Vec<Outgoing>) + Send + Sync>;

/// One SDK request as the shell page relays it.
#[derive(Debug, Clone, Deserialize)]
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

    /// Handles a batch of SDK requests in order.
    pub fn calls(&self, calls: Vec<Call>) {
        self.with(|bus| {
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
            ((), out)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

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
