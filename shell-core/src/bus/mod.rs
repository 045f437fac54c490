//! The event bus: FDC3 2.2 user channels, app channels and intents between
//! the panels of every window of the app. A plain state machine: each call
//! returns the messages to send, so it is tested without a window.
//!
//! [`Bus::call`] only dispatches an SDK request to the module that handles
//! it: [`channels`] (user and app channels: broadcast, listeners, joining),
//! [`private`] (private channels), [`intents`] (intents and app instances),
//! [`open`] (`fdc3.open`), `panels` (panels, their identity and `getInfo`),
//! [`inspector`] (what the inspector lists and counts) and `delivery` (each
//! panel's queue and acknowledgements: flow control, in [`outbox`]).
//!
//! ```
//! use serde_json::json;
//! use tessera_shell_core::bus::{Bus, protocol::Op};
//!
//! let mut bus = Bus::default();
//! bus.register_panel("a", "acme.table", "main", Some("red".into()));
//! bus.register_panel("b", "acme.chart", "main", Some("red".into()));
//! for p in ["a", "b"] {
//!     bus.call(p, 0, Op::Hello);
//! }
//! bus.call("b", 1, Op::AddContextListener { listener: "l1".into(), context_type: None, channel: None });
//! let out = bus.call("a", 2, Op::Broadcast { channel: None, context: json!({"type": "fdc3.instrument"}) });
//! assert!(out.iter().any(|m| matches!(m, tessera_shell_core::bus::protocol::Outgoing::Panel { panel, .. } if panel == "b")));
//! ```

pub mod channels;
pub mod context;
mod delivery;
pub mod inspector;
pub mod intents;
pub mod open;
pub mod outbox;
mod panels;
pub mod private;
pub mod protocol;
pub mod service;

pub use self::inspector::{BusStats, Inspected};

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use self::context::Fdc3Error;
use self::outbox::Outbox;
use self::protocol::{Op, Outgoing, PanelId, ToPanel};

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

/// What handling one request gives: `Ok(Some(v))` answers now with `v`;
/// `Ok(None)` answers later (an intent or `open` being delivered) or not at
/// all (an acknowledgement); `Err` answers with the FDC3 error.
type Answer = Result<Option<Value>, Fdc3Error>;

impl Bus {
    fn next(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Replaces what the bus knows of the catalogue (for intents).
    pub fn set_catalogue(&mut self, entries: Vec<CatalogueEntry>) {
        self.catalogue = entries;
    }

    /// Handles one request from panel `panel`'s SDK; returns what to send.
    pub fn call(&mut self, panel: &str, id: u64, op: Op) -> Vec<Outgoing> {
        let mut out = Vec::new();
        let Some(window) = self.window_of(panel) else {
            return out;
        };
        let o = &mut out;
        let answer: Answer = match op {
            Op::Hello => self.hello(panel, o),
            Op::Ack { n } => self.ack(panel, n),
            Op::GetInfo => self.get_info(panel),
            // Channels
            Op::Broadcast { channel, context } => self.broadcast(panel, channel, context),
            Op::AddContextListener {
                listener,
                context_type,
                channel,
            } => self.add_context_listener(panel, listener, context_type, channel, o),
            Op::RemoveListener { listener } => self.remove_context_listener(panel, &listener),
            Op::GetUserChannels => Ok(Some(json!(channels::user_channels()))),
            Op::JoinUserChannel { channel } => self.join_user_channel(panel, channel, o),
            Op::LeaveCurrentChannel => self.leave_current_channel(panel, o),
            Op::GetCurrentChannel => Ok(Some(self.current_channel(panel))),
            Op::GetOrCreateChannel { channel } => self.get_or_create_channel(channel),
            Op::GetCurrentContext {
                channel,
                context_type,
            } => self.get_current_context(panel, &channel, context_type.as_deref()),
            // Private channels
            Op::CreatePrivateChannel => Ok(Some(self.create_private_channel(panel))),
            Op::AddPrivateEventListener {
                channel,
                event,
                listener,
            } => self
                .add_private_event_listener(panel, &channel, &event, listener)
                .map(done),
            Op::RemovePrivateEventListener { listener } => {
                self.remove_private_event_listener(panel, &listener);
                Ok(done(()))
            }
            Op::Disconnect { channel } => {
                self.disconnect_private(panel, &channel);
                Ok(done(()))
            }
            // Intents and app instances
            Op::AddIntentListener { intent } => self.add_intent_listener(panel, intent, o),
            Op::RemoveIntentListener { intent } => self.remove_intent_listener(panel, &intent),
            Op::RaiseIntent {
                intent,
                context,
                app,
                instance,
            } => {
                let target = intents::Target { app, instance };
                // Answered when delivered (or cancelled).
                self.raise_intent(panel, id, Some(intent), context, target, o)
                    .map(|()| None)
            }
            Op::RaiseIntentForContext {
                context,
                app,
                instance,
            } => {
                let target = intents::Target { app, instance };
                self.raise_intent(panel, id, None, context, target, o)
                    .map(|()| None)
            }
            Op::IntentResult {
                result_id,
                result,
                error,
            } => self.intent_result(result_id, result, error, o),
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
            Op::FindInstances { app } => self.find_instances(&app).map(Some),
            Op::GetAppMetadata { app, instance } => {
                self.get_app_metadata(&app, instance.as_deref()).map(Some)
            }
            Op::Open { app, context } => self.open(panel, id, app, context, o).map(|()| None),
        };
        match answer {
            Ok(Some(v)) => respond(&mut out, panel, &window, id, Ok(v)),
            Ok(None) => {}
            Err(e) => respond(&mut out, panel, &window, id, Err(e)),
        }
        self.flush(&mut out);
        out
    }
}

/// The answer of a request that succeeded with nothing to return (FDC3's
/// `void`, sent as `null`).
fn done(_: ()) -> Option<Value> {
    Some(Value::Null)
}

#[cfg(test)]
mod intents_tests;
#[cfg(test)]
mod tests;
