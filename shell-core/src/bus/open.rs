//! `fdc3.open(app, context?)`: a new panel of the app, and the context
//! delivered to the first listener it adds for that context's type. The
//! shell places the panel (as Add does); the bus matches the next new panel
//! of that app to the oldest open waiting for one, and answers the opener
//! with the new instance once it said hello (without a context) or once the
//! context reached it.

use serde_json::{json, Value};

use super::context::{validate, Fdc3Error};
use super::protocol::{Outgoing, PanelId, ToPanel, ToShell};
use super::{now_ms, respond, Bus};

/// How long `open` waits for the new panel to start (and, with a context,
/// to add a matching listener) before `AppTimeout`.
pub const OPEN_TIMEOUT_MS: f64 = 15_000.0;

#[derive(Debug, Clone)]
pub(super) struct PendingOpen {
    source: PanelId,
    app: String,
    context: Option<Value>,
    since_ms: f64,
    /// The new panel, once the shell made it.
    panel: Option<PanelId>,
}

impl Bus {
    /// `open(app, context?)` from `panel`'s request `request`.
    pub(super) fn open(
        &mut self,
        panel: &str,
        request: u64,
        app: String,
        context: Option<Value>,
        out: &mut Vec<Outgoing>,
    ) -> Result<(), Fdc3Error> {
        // By its appId; the shell opens the widget behind it.
        let app = self
            .app_named(&app)
            .ok_or(Fdc3Error::AppNotFound)?
            .id
            .clone();
        if let Some(c) = &context {
            validate(c)?;
        }
        let window = self
            .panels
            .get(panel)
            .map(|p| p.window.clone())
            .unwrap_or_else(|| "main".into());
        self.opens.insert(
            request,
            PendingOpen {
                source: panel.to_owned(),
                app: app.clone(),
                context,
                since_ms: now_ms(),
                panel: None,
            },
        );
        out.push(Outgoing::Shell {
            window,
            msg: ToShell::OpenWidget {
                widget: app,
                request,
            },
        });
        Ok(())
    }

    /// A new panel of `widget` appeared: the oldest open waiting for one takes it.
    pub(super) fn claim_open(&mut self, panel: &str, widget: &str) {
        let oldest = self
            .opens
            .iter()
            .filter(|(_, o)| o.panel.is_none() && o.app == widget)
            .map(|(id, _)| *id)
            .min();
        if let Some(id) = oldest {
            if let Some(o) = self.opens.get_mut(&id) {
                o.panel = Some(panel.to_owned());
            }
        }
    }

    fn finish_open(&mut self, request: u64, out: &mut Vec<Outgoing>) {
        let Some(o) = self.opens.remove(&request) else {
            return;
        };
        let instance = o.panel.unwrap_or_default();
        if let Some(window) = self.panels.get(&o.source).map(|p| p.window.clone()) {
            respond(
                out,
                &o.source,
                &window,
                request,
                Ok(json!({ "appId": self.app_id_of(&o.app), "instanceId": instance })),
            );
        }
    }

    /// `panel` said hello: an open without a context is done.
    pub(super) fn opened_hello(&mut self, panel: &str, out: &mut Vec<Outgoing>) {
        let done: Vec<u64> = self
            .opens
            .iter()
            .filter(|(_, o)| o.panel.as_deref() == Some(panel) && o.context.is_none())
            .map(|(id, _)| *id)
            .collect();
        for id in done {
            self.finish_open(id, out);
        }
    }

    /// `panel` added `listener` for `context_type`: an open's context of that
    /// type goes to it, and the opener learns the new instance.
    pub(super) fn opened_listener(
        &mut self,
        panel: &str,
        listener: &str,
        context_type: Option<&str>,
        out: &mut Vec<Outgoing>,
    ) {
        let ready: Vec<u64> = self
            .opens
            .iter()
            .filter(|(_, o)| {
                o.panel.as_deref() == Some(panel)
                    && o.context.as_ref().is_some_and(|c| {
                        context_type.is_none() || c["type"].as_str() == context_type
                    })
            })
            .map(|(id, _)| *id)
            .collect();
        for id in ready {
            let Some(o) = self.opens.get(&id).cloned() else {
                continue;
            };
            let metadata = self.metadata(&o.source, None);
            self.enqueue(
                panel,
                ToPanel::Context {
                    listener: listener.to_owned(),
                    context: o.context.unwrap_or_default(),
                    metadata,
                },
            );
            self.finish_open(id, out);
        }
    }

    /// Opens that did not start (or did not listen) in time: `AppTimeout`.
    pub(super) fn expire_opens(&mut self, now: f64, out: &mut Vec<Outgoing>) {
        let expired: Vec<u64> = self
            .opens
            .iter()
            .filter(|(_, o)| now - o.since_ms > OPEN_TIMEOUT_MS)
            .map(|(id, _)| *id)
            .collect();
        for id in expired {
            if let Some(o) = self.opens.remove(&id) {
                if let Some(window) = self.panels.get(&o.source).map(|p| p.window.clone()) {
                    respond(out, &o.source, &window, id, Err(Fdc3Error::AppTimeout));
                }
            }
        }
    }
}
