//! The event bus: FDC3 2.2 user channels, app channels and intents between
//! the panels of every window of the app. A plain state machine: each call
//! returns the messages to send, so it is tested without a window.
//!
//! ```
//! use serde_json::json;
//! use tessera_shell::core::bus::{Bus, protocol::Op};
//!
//! let mut bus = Bus::default();
//! bus.register_panel("a", "acme.table", "main", Some("red".into()));
//! bus.register_panel("b", "acme.chart", "main", Some("red".into()));
//! for p in ["a", "b"] {
//!     bus.call(p, 0, Op::Hello);
//! }
//! bus.call("b", 1, Op::AddContextListener { listener: "l1".into(), context_type: None, channel: None });
//! let out = bus.call("a", 2, Op::Broadcast { channel: None, context: json!({"type": "fdc3.instrument"}) });
//! assert!(out.iter().any(|m| matches!(m, tessera_shell::core::bus::protocol::Outgoing::Panel { panel, .. } if panel == "b")));
//! ```

pub mod channels;
pub mod context;
pub mod intents;
pub mod open;
pub mod outbox;
pub mod private;
pub mod protocol;
pub mod service;

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde_json::{json, Value};

use self::channels::{app_channel, is_user_channel, user_channel, user_channels};
use self::context::{validate, Fdc3Error};
use self::outbox::Outbox;
use self::protocol::{Metadata, Op, Outgoing, PanelId, Source, ToPanel, ToShell};

/// An intent a widget handles, as its manifest declares it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntentHandler {
    pub intent: String,
    /// Context types it takes; empty: any.
    pub contexts: Vec<String>,
    /// The name people see (FDC3 `displayName`); the intent's name if absent.
    pub display_name: Option<String>,
    /// What it returns: a context type, `channel` or `channel<type>`.
    pub result_type: Option<String>,
}

/// What the bus knows of a widget from the catalogue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogueEntry {
    pub id: String,
    /// Its FDC3 `appId` (empty: the widget id).
    pub app_id: String,
    pub title: String,
    pub description: String,
    pub version: String,
    pub intents: Vec<IntentHandler>,
}

impl CatalogueEntry {
    /// The FDC3 `appId` other apps know it by.
    pub fn app_id(&self) -> &str {
        if self.app_id.is_empty() {
            &self.id
        } else {
            &self.app_id
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    /// Follows the panel's current user channel.
    Current,
    /// A named channel (an app channel, or a user channel by id).
    Named(String),
}

#[derive(Debug)]
struct Listener {
    context_type: Option<String>,
    scope: Scope,
}

#[derive(Debug)]
struct Panel {
    widget: String,
    window: String,
    channel: Option<String>,
    listeners: HashMap<String, Listener>,
    intents: HashSet<String>,
    outbox: Outbox<ToPanel>,
}

#[derive(Debug, Default)]
struct ChannelState {
    by_type: HashMap<String, Value>,
    last: Option<Value>,
}

#[derive(Debug, Clone)]
struct PendingIntent {
    source: PanelId,
    request: u64,
    intent: String,
    context: Value,
    /// Set once the user (or the bus) picked a widget to open.
    open: Option<String>,
    /// Raised at this running instance, which does not listen yet.
    instance: Option<PanelId>,
    /// When it started waiting for its target (ms since the epoch).
    since_ms: f64,
}

/// One broadcast, as the bus inspector lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inspected {
    pub seq: u64,
    pub timestamp: f64,
    pub channel: String,
    pub source_widget: String,
    pub source_panel: String,
    pub context_type: String,
    pub context: Value,
    pub delivered: usize,
    pub trace_id: String,
}

/// Counters the inspector shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BusStats {
    pub broadcasts: u64,
    pub deliveries: u64,
    /// Deliveries dropped because a receiver's queue was full, by panel.
    pub overflow: HashMap<PanelId, u64>,
}

const INSPECTOR_KEEP: usize = 500;

#[derive(Debug, Default)]
pub struct Bus {
    panels: HashMap<PanelId, Panel>,
    user: HashMap<String, ChannelState>,
    app: HashMap<String, ChannelState>,
    catalogue: Vec<CatalogueEntry>,
    pending: HashMap<u64, PendingIntent>,
    /// `open` requests waiting for their new panel.
    opens: HashMap<u64, open::PendingOpen>,
    /// Private channels by id (each also an entry of `app`).
    private: HashMap<String, private::PrivateChannel>,
    /// Intent result id → (raising panel, its raiseIntent request id).
    results: HashMap<u64, (PanelId, u64)>,
    next_id: u64,
    inspected: VecDeque<Inspected>,
    stats: BusStats,
    /// Panels with deliveries to send.
    dirty: HashSet<PanelId>,
}

/// Milliseconds since the Unix epoch (the bus's clock).
pub fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

fn respond(
    out: &mut Vec<Outgoing>,
    panel: &str,
    window: &str,
    id: u64,
    r: Result<Value, Fdc3Error>,
) {
    let msg = match r {
        Ok(result) => ToPanel::Response {
            id,
            result: Some(result),
            error: None,
        },
        Err(e) => ToPanel::Response {
            id,
            result: None,
            error: Some(e.as_str()),
        },
    };
    out.push(Outgoing::Panel {
        window: window.to_owned(),
        panel: panel.to_owned(),
        msg,
    });
}

impl Bus {
    fn next(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Replaces what the bus knows of the catalogue (for intents).
    pub fn set_catalogue(&mut self, entries: Vec<CatalogueEntry>) {
        self.catalogue = entries;
    }

    /// A panel exists (its frame may not have loaded yet).
    pub fn register_panel(
        &mut self,
        panel: &str,
        widget: &str,
        window: &str,
        channel: Option<String>,
    ) {
        let channel = channel.filter(|c| is_user_channel(c));
        if !self.panels.contains_key(panel) {
            self.claim_open(panel, widget);
        }
        let entry = self
            .panels
            .entry(panel.to_owned())
            .or_insert_with(|| Panel {
                widget: widget.to_owned(),
                window: window.to_owned(),
                channel: None,
                listeners: HashMap::new(),
                intents: HashSet::new(),
                outbox: Outbox::default(),
            });
        entry.widget = widget.to_owned();
        entry.window = window.to_owned();
        entry.channel = channel;
    }

    /// The panel moved to another window (popped out or docked back); it
    /// keeps its channel, and its frame will say hello again from there.
    pub fn move_panel(&mut self, panel: &str, window: &str) -> bool {
        match self.panels.get_mut(panel) {
            Some(p) => {
                p.window = window.to_owned();
                p.outbox.attached = false;
                true
            }
            None => false,
        }
    }

    /// The panel closed: it leaves its private channels (the other side
    /// hears `disconnect`); returns what to send.
    pub fn unregister_panel(&mut self, panel: &str) -> Vec<Outgoing> {
        self.disconnect_all_private(panel);
        self.panels.remove(panel);
        self.dirty.remove(panel);
        self.pending.retain(|_, p| p.source != panel);
        self.results.retain(|_, (p, _)| p != panel);
        self.take_queued()
    }

    /// Panels of a window that closed.
    pub fn unregister_window(&mut self, window: &str) -> Vec<Outgoing> {
        let gone: Vec<PanelId> = self
            .panels
            .iter()
            .filter(|(_, p)| p.window == window)
            .map(|(id, _)| id.clone())
            .collect();
        let mut out = Vec::new();
        for p in gone {
            out.extend(self.unregister_panel(&p));
        }
        out
    }

    pub fn window_of(&self, panel: &str) -> Option<String> {
        self.panels.get(panel).map(|p| p.window.clone())
    }

    pub fn panel_channel(&self, panel: &str) -> Option<String> {
        self.panels.get(panel).and_then(|p| p.channel.clone())
    }

    pub fn stats(&self) -> BusStats {
        let mut s = self.stats.clone();
        s.overflow = self
            .panels
            .iter()
            .filter(|(_, p)| p.outbox.overflow > 0)
            .map(|(id, p)| (id.clone(), p.outbox.overflow))
            .collect();
        s
    }

    /// Broadcasts after `seq`, oldest first.
    pub fn inspected_after(&self, seq: u64) -> Vec<Inspected> {
        self.inspected
            .iter()
            .filter(|i| i.seq > seq)
            .cloned()
            .collect()
    }

    /// The FDC3 `appId` of a widget (its catalogue entry's, else its id).
    fn app_id_of(&self, widget: &str) -> String {
        self.catalogue
            .iter()
            .find(|w| w.id == widget)
            .map(|w| w.app_id().to_owned())
            .unwrap_or_else(|| widget.to_owned())
    }

    /// The catalogue entry an FDC3 `appId` names (or, failing that, a widget id).
    fn app_named(&self, app: &str) -> Option<&CatalogueEntry> {
        self.catalogue
            .iter()
            .find(|w| w.app_id() == app)
            .or_else(|| self.catalogue.iter().find(|w| w.id == app))
    }

    /// The FDC3 `appId` of the app running in `panel`.
    fn panel_app_id(&self, panel: &str) -> String {
        self.panels
            .get(panel)
            .map(|p| self.app_id_of(&p.widget))
            .unwrap_or_default()
    }

    fn metadata(&self, panel: &str, channel: Option<String>) -> Metadata {
        Metadata {
            source: Source {
                app_id: self.panel_app_id(panel),
                instance_id: panel.to_owned(),
            },
            timestamp: now_ms(),
            trace_id: String::new(),
            channel,
        }
    }

    fn enqueue(&mut self, panel: &str, msg: ToPanel) -> bool {
        match self.panels.get_mut(panel) {
            Some(p) => {
                let ok = p.outbox.push(msg);
                self.dirty.insert(panel.to_owned());
                ok
            }
            None => false,
        }
    }

    /// Moves what may be sent from the dirty panels' queues into `out`.
    fn flush(&mut self, out: &mut Vec<Outgoing>) {
        for id in std::mem::take(&mut self.dirty) {
            if let Some(p) = self.panels.get_mut(&id) {
                for msg in p.outbox.drain() {
                    out.push(Outgoing::Panel {
                        window: p.window.clone(),
                        panel: id.clone(),
                        msg,
                    });
                }
            }
        }
    }

    fn channel_state(&mut self, id: &str) -> Option<&mut ChannelState> {
        if is_user_channel(id) {
            Some(self.user.entry(id.to_owned()).or_default())
        } else {
            self.app.get_mut(id)
        }
    }

    /// Sends `context` on `channel` from `sender`: kept as the channel's
    /// current context of its type, delivered to every matching listener of
    /// every other panel.
    fn publish(
        &mut self,
        sender: &str,
        channel: &str,
        context: Value,
        context_type: &str,
    ) -> usize {
        let mut meta = self.metadata(sender, Some(channel.to_owned()));
        let seq = self.next();
        meta.trace_id = format!("{:x}-{seq:x}", meta.timestamp as u64);
        if let Some(state) = self.channel_state(channel) {
            state
                .by_type
                .insert(context_type.to_owned(), context.clone());
            state.last = Some(context.clone());
        }
        let mut targets = Vec::new();
        for (id, p) in &self.panels {
            if id == sender {
                continue;
            }
            for (lid, l) in &p.listeners {
                let on = match &l.scope {
                    Scope::Current => {
                        p.channel.as_deref() == Some(channel) && is_user_channel(channel)
                    }
                    Scope::Named(c) => c == channel,
                };
                if on && l.context_type.as_deref().is_none_or(|t| t == context_type) {
                    targets.push((id.clone(), lid.clone()));
                }
            }
        }
        let delivered = targets.len();
        for (panel, listener) in targets {
            let msg = ToPanel::Context {
                listener,
                context: context.clone(),
                metadata: meta.clone(),
            };
            self.enqueue(&panel, msg);
        }
        self.stats.broadcasts += 1;
        self.stats.deliveries += delivered as u64;
        let source_widget = meta.source.app_id.clone();
        self.inspected.push_back(Inspected {
            seq,
            timestamp: meta.timestamp,
            channel: channel.to_owned(),
            source_widget,
            source_panel: sender.to_owned(),
            context_type: context_type.to_owned(),
            context,
            delivered,
            trace_id: meta.trace_id,
        });
        while self.inspected.len() > INSPECTOR_KEEP {
            self.inspected.pop_front();
        }
        delivered
    }

    /// The current context of `channel` for one listener: of its type, or the latest of any type.
    fn current_for(&self, channel: &str, context_type: Option<&str>) -> Option<Value> {
        let state = if is_user_channel(channel) {
            self.user.get(channel)
        } else {
            self.app.get(channel)
        }?;
        match context_type {
            Some(t) => state.by_type.get(t).cloned(),
            None => state.last.clone(),
        }
    }

    /// Delivers the current context of the panel's user channel to its
    /// listeners that follow it (after joining, or adding a listener).
    fn replay_current(&mut self, panel: &str, only: Option<&str>) {
        let Some(p) = self.panels.get(panel) else {
            return;
        };
        let Some(channel) = p.channel.clone() else {
            return;
        };
        let wanted: Vec<(String, Option<String>)> = p
            .listeners
            .iter()
            .filter(|(id, l)| l.scope == Scope::Current && only.is_none_or(|o| o == id.as_str()))
            .map(|(id, l)| (id.clone(), l.context_type.clone()))
            .collect();
        for (listener, ty) in wanted {
            if let Some(context) = self.current_for(&channel, ty.as_deref()) {
                let metadata = self.metadata(panel, Some(channel.clone()));
                self.enqueue(
                    panel,
                    ToPanel::Context {
                        listener,
                        context,
                        metadata,
                    },
                );
            }
        }
    }

    fn set_channel(&mut self, panel: &str, channel: Option<String>, out: &mut Vec<Outgoing>) {
        let Some(p) = self.panels.get_mut(panel) else {
            return;
        };
        p.channel = channel.clone();
        let window = p.window.clone();
        let info = channel.as_deref().and_then(user_channel);
        self.enqueue(panel, ToPanel::ChannelChanged { channel: info });
        out.push(Outgoing::Shell {
            window,
            msg: ToShell::PanelChannel {
                panel: panel.to_owned(),
                channel,
            },
        });
        self.replay_current(panel, None);
    }

    /// The user picked a channel for the panel in the shell (the tab's colour menu).
    pub fn shell_set_channel(
        &mut self,
        panel: &str,
        channel: Option<String>,
    ) -> Result<Vec<Outgoing>, Fdc3Error> {
        if channel.as_deref().is_some_and(|c| !is_user_channel(c)) {
            return Err(Fdc3Error::NoChannelFound);
        }
        let mut out = Vec::new();
        self.set_channel(panel, channel, &mut out);
        self.flush(&mut out);
        Ok(out)
    }

    /// Handles one request from panel `panel`'s SDK; returns what to send.
    pub fn call(&mut self, panel: &str, id: u64, op: Op) -> Vec<Outgoing> {
        let mut out = Vec::new();
        let Some(window) = self.panels.get(panel).map(|p| p.window.clone()) else {
            return out;
        };
        let result: Result<Option<Value>, Fdc3Error> = match op {
            Op::Hello => {
                let p = self.panels.get_mut(panel).expect("checked above");
                p.listeners.clear();
                p.intents.clear();
                p.outbox.restart();
                let channel = p.channel.as_deref().and_then(user_channel);
                // A reloaded frame is a new start: it left its private channels.
                self.disconnect_all_private(panel);
                self.opened_hello(panel, &mut out);
                Ok(Some(
                    json!({ "channel": channel, "appId": self.panel_app_id(panel), "instanceId": panel }),
                ))
            }
            Op::Ack { n } => {
                if let Some(p) = self.panels.get_mut(panel) {
                    p.outbox.ack(n);
                    self.dirty.insert(panel.to_owned());
                }
                Ok(None)
            }
            Op::Broadcast { channel, context } => (|| {
                let ty = validate(&context)?.to_owned();
                let target = match channel {
                    Some(c) if is_user_channel(&c) || self.app.contains_key(&c) => {
                        self.may_use(panel, &c)?;
                        Some(c)
                    }
                    Some(_) => return Err(Fdc3Error::NoChannelFound),
                    // Not on a user channel: FDC3 says the broadcast goes nowhere.
                    None => self.panel_channel(panel),
                };
                if let Some(c) = target {
                    self.publish(panel, &c, context, &ty);
                }
                Ok(Some(Value::Null))
            })(),
            Op::AddContextListener {
                listener,
                context_type,
                channel,
            } => (|| {
                let scope = match channel {
                    None => Scope::Current,
                    Some(c) if is_user_channel(&c) || self.app.contains_key(&c) => {
                        self.may_use(panel, &c)?;
                        Scope::Named(c)
                    }
                    Some(_) => return Err(Fdc3Error::NoChannelFound),
                };
                let private = match &scope {
                    Scope::Named(c) if self.is_private(c) => Some(c.clone()),
                    _ => None,
                };
                let current = scope == Scope::Current;
                let p = self.panels.get_mut(panel).expect("checked above");
                p.listeners.insert(
                    listener.clone(),
                    Listener {
                        context_type: context_type.clone(),
                        scope,
                    },
                );
                if current {
                    self.replay_current(panel, Some(&listener));
                }
                if let Some(c) = private {
                    self.notify_private(&c, panel, "addContextListener", context_type.clone());
                }
                self.opened_listener(panel, &listener, context_type.as_deref(), &mut out);
                Ok(Some(Value::Null))
            })(),
            Op::RemoveListener { listener } => {
                let removed = self
                    .panels
                    .get_mut(panel)
                    .and_then(|p| p.listeners.remove(&listener));
                if let Some(Listener {
                    scope: Scope::Named(c),
                    context_type,
                }) = removed
                {
                    self.notify_private(&c, panel, "unsubscribe", context_type);
                }
                Ok(Some(Value::Null))
            }
            Op::CreatePrivateChannel => Ok(Some(self.create_private_channel(panel))),
            Op::AddPrivateEventListener {
                channel,
                event,
                listener,
            } => self
                .add_private_event_listener(panel, &channel, &event, listener)
                .map(|()| Some(Value::Null)),
            Op::RemovePrivateEventListener { listener } => {
                self.remove_private_event_listener(panel, &listener);
                Ok(Some(Value::Null))
            }
            Op::Disconnect { channel } => {
                self.disconnect_private(panel, &channel);
                Ok(Some(Value::Null))
            }
            Op::GetUserChannels => Ok(Some(json!(user_channels()))),
            Op::JoinUserChannel { channel } => {
                if is_user_channel(&channel) {
                    self.set_channel(panel, Some(channel), &mut out);
                    Ok(Some(Value::Null))
                } else {
                    Err(Fdc3Error::NoChannelFound)
                }
            }
            Op::LeaveCurrentChannel => {
                self.set_channel(panel, None, &mut out);
                Ok(Some(Value::Null))
            }
            Op::GetCurrentChannel => Ok(Some(json!(self
                .panel_channel(panel)
                .as_deref()
                .and_then(user_channel)))),
            Op::GetOrCreateChannel { channel } => {
                if channel.trim().is_empty() {
                    Err(Fdc3Error::CreationFailed)
                } else if is_user_channel(&channel) || self.is_private(&channel) {
                    Err(Fdc3Error::AccessDenied)
                } else {
                    self.app.entry(channel.clone()).or_default();
                    Ok(Some(json!(app_channel(&channel))))
                }
            }
            Op::GetCurrentContext {
                channel,
                context_type,
            } => {
                if is_user_channel(&channel) || self.app.contains_key(&channel) {
                    self.may_use(panel, &channel).map(|()| {
                        Some(
                            self.current_for(&channel, context_type.as_deref())
                                .unwrap_or(Value::Null),
                        )
                    })
                } else {
                    Err(Fdc3Error::NoChannelFound)
                }
            }
            Op::GetInfo => {
                let widget = self.panel_app_id(panel);
                Ok(Some(json!({
                    "fdc3Version": "2.2",
                    "provider": "Tessera",
                    "providerVersion": env!("CARGO_PKG_VERSION"),
                    "optionalFeatures": {
                        "OriginatingAppMetadata": true,
                        "UserChannelMembershipAPIs": true,
                        "DesktopAgentBridging": false,
                    },
                    "appMetadata": { "appId": widget, "instanceId": panel },
                })))
            }
            Op::AddIntentListener { intent } => {
                let widget = {
                    let p = self.panels.get_mut(panel).expect("checked above");
                    p.intents.insert(intent.clone());
                    p.widget.clone()
                };
                // An intent may be waiting for this widget to open, or for this instance.
                self.deliver_waiting(panel, &widget, &intent, &mut out);
                Ok(Some(Value::Null))
            }
            Op::RemoveIntentListener { intent } => {
                if let Some(p) = self.panels.get_mut(panel) {
                    p.intents.remove(&intent);
                }
                Ok(Some(Value::Null))
            }
            Op::RaiseIntent {
                intent,
                context,
                app,
                instance,
            } => {
                let target = intents::Target { app, instance };
                // Answered when delivered (or cancelled).
                self.raise_intent(panel, id, Some(intent), context, target, &mut out)
                    .map(|()| None)
            }
            Op::RaiseIntentForContext {
                context,
                app,
                instance,
            } => {
                let target = intents::Target { app, instance };
                self.raise_intent(panel, id, None, context, target, &mut out)
                    .map(|()| None)
            }
            Op::FindIntent {
                intent,
                context,
                result_type,
            } => self
                .find_intent(&intent, context.as_ref(), result_type.as_deref())
                .map(Some),
            Op::FindIntentsByContext {
                context,
                result_type,
            } => self
                .find_intents_by_context(&context, result_type.as_deref())
                .map(Some),
            Op::Open { app, context } => {
                self.open(panel, id, app, context, &mut out).map(|()| None)
            }
            Op::FindInstances { app } => self.find_instances(&app).map(Some),
            Op::GetAppMetadata { app, instance } => {
                self.get_app_metadata(&app, instance.as_deref()).map(Some)
            }
            Op::IntentResult {
                result_id,
                result,
                error,
            } => {
                if let Some((source, request)) = self.results.remove(&result_id) {
                    if let Some(r) = &result {
                        // A private channel as the result: the raiser may use it now.
                        self.share_private_result(r, &source);
                    }
                    if let Some(src) = self.panels.get(&source) {
                        let msg = match (result, error) {
                            (_, Some(_)) => ToPanel::IntentResult {
                                id: request,
                                result: None,
                                error: Some(Fdc3Error::IntentHandlerRejected.as_str()),
                            },
                            (Some(r), None) if !r.is_null() => ToPanel::IntentResult {
                                id: request,
                                result: Some(r),
                                error: None,
                            },
                            _ => ToPanel::IntentResult {
                                id: request,
                                result: None,
                                error: None,
                            },
                        };
                        out.push(Outgoing::Panel {
                            window: src.window.clone(),
                            panel: source,
                            msg,
                        });
                    }
                }
                Ok(None)
            }
        };
        match result {
            Ok(Some(v)) => respond(&mut out, panel, &window, id, Ok(v)),
            Ok(None) => {}
            Err(e) => respond(&mut out, panel, &window, id, Err(e)),
        }
        self.flush(&mut out);
        out
    }
}

#[cfg(test)]
mod intents_tests;
#[cfg(test)]
mod tests;
