//! The messages between a widget's SDK, the shell page and the bus.
//!
//! Frame → shell page → bus: `{ id, op, args }` (see [`Op`]). Bus → shell
//! page: [`Outgoing`], either for a panel's frame ([`ToPanel`]) or for the
//! shell page itself ([`ToShell`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::channels::ChannelInfo;

pub type PanelId = String;

/// A request from a widget's SDK. `channel: None` means the panel's current
/// user channel.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
// What the SDK may leave out, it may also send as null.
#[cfg_attr(test, ts(optional_fields = nullable))]
#[serde(tag = "op", content = "args", rename_all = "camelCase")]
pub enum Op {
    /// The SDK in a (re)loaded frame is ready: listeners start afresh.
    Hello,
    /// The SDK processed `n` deliveries.
    Ack {
        n: usize,
    },
    Broadcast {
        #[serde(default)]
        channel: Option<String>,
        context: Value,
    },
    #[serde(rename_all = "camelCase")]
    AddContextListener {
        listener: String,
        #[serde(default)]
        context_type: Option<String>,
        #[serde(default)]
        channel: Option<String>,
    },
    RemoveListener {
        listener: String,
    },
    GetUserChannels,
    JoinUserChannel {
        channel: String,
    },
    LeaveCurrentChannel,
    GetCurrentChannel,
    GetOrCreateChannel {
        channel: String,
    },
    #[serde(rename_all = "camelCase")]
    GetCurrentContext {
        channel: String,
        #[serde(default)]
        context_type: Option<String>,
    },
    GetInfo,
    AddIntentListener {
        intent: String,
    },
    RemoveIntentListener {
        intent: String,
    },
    /// At an app (`app`), one of its instances (`instance`), or whatever handles it.
    RaiseIntent {
        intent: String,
        context: Value,
        #[serde(default)]
        app: Option<String>,
        #[serde(default)]
        instance: Option<String>,
    },
    /// Any intent for the context (the user picks the intent and the app).
    RaiseIntentForContext {
        context: Value,
        #[serde(default)]
        app: Option<String>,
        #[serde(default)]
        instance: Option<String>,
    },
    #[serde(rename_all = "camelCase")]
    FindIntent {
        intent: String,
        #[serde(default)]
        context: Option<Value>,
        #[serde(default)]
        result_type: Option<String>,
    },
    #[serde(rename_all = "camelCase")]
    FindIntentsByContext {
        context: Value,
        #[serde(default)]
        result_type: Option<String>,
    },
    FindInstances {
        app: String,
    },
    CreatePrivateChannel,
    /// `onAddContextListener`, `onUnsubscribe`, `onDisconnect` (or
    /// `addEventListener`) of a private channel.
    AddPrivateEventListener {
        channel: String,
        event: String,
        listener: String,
    },
    RemovePrivateEventListener {
        listener: String,
    },
    Disconnect {
        channel: String,
    },
    /// A new panel of `app`, with `context` for its first matching listener.
    Open {
        app: String,
        #[serde(default)]
        context: Option<Value>,
    },
    GetAppMetadata {
        app: String,
        #[serde(default)]
        instance: Option<String>,
    },
    #[serde(rename_all = "camelCase")]
    IntentResult {
        result_id: u64,
        #[serde(default)]
        result: Option<Value>,
        #[serde(default)]
        error: Option<String>,
    },
}

/// Who sent a context or an intent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Source {
    pub app_id: String,
    pub instance_id: String,
}

/// FDC3 `ContextMetadata`, plus the trace id and the channel.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub source: Source,
    /// Milliseconds since the Unix epoch, when the bus accepted the context.
    pub timestamp: f64,
    pub trace_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub channel: Option<String>,
}

/// To a panel's frame.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ToPanel {
    /// The answer to request `id`: `result` or an FDC3 `error` name.
    Response {
        id: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        result: Option<Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        error: Option<&'static str>,
    },
    Context {
        listener: String,
        context: Value,
        metadata: Metadata,
    },
    #[serde(rename_all = "camelCase")]
    Intent {
        intent: String,
        context: Value,
        metadata: Metadata,
        result_id: u64,
    },
    /// The later result of `raiseIntent` request `id` (IntentResolution.getResult).
    IntentResult {
        id: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        result: Option<Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        error: Option<&'static str>,
    },
    ChannelChanged {
        channel: Option<ChannelInfo>,
    },
    /// The other side of a private channel added a context listener,
    /// unsubscribed one, or disconnected.
    #[serde(rename_all = "camelCase")]
    PrivateChannelEvent {
        listener: String,
        event: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        context_type: Option<String>,
    },
}

/// An option in the intent resolver: a running panel, or a new one of a widget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub app_id: String,
    pub title: String,
    /// `None`: open a new panel of the widget.
    pub instance_id: Option<String>,
    /// For `raiseIntentForContext`: the intent this choice raises.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub intent: Option<String>,
}

/// To the shell page of a window.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ToShell {
    /// Open a new panel of `widget` (an intent waits for it).
    OpenWidget { widget: String, request: u64 },
    /// Ask the user which handler should get the intent.
    ResolveIntent {
        request: u64,
        intent: String,
        candidates: Vec<Candidate>,
    },
    /// Show the panel's channel colour.
    PanelChannel {
        panel: PanelId,
        channel: Option<String>,
    },
}

/// One message on its way to a window.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "to", rename_all = "camelCase")]
pub enum Outgoing {
    Panel {
        #[serde(skip)]
        window: String,
        panel: PanelId,
        msg: ToPanel,
    },
    Shell {
        #[serde(skip)]
        window: String,
        msg: ToShell,
    },
}

impl Outgoing {
    pub fn window(&self) -> &str {
        match self {
            Outgoing::Panel { window, .. } | Outgoing::Shell { window, .. } => window,
        }
    }
}
