//! Channels (FDC3 2.2): the six colour user channels every panel can join,
//! app channels made by name, and what happens on them: broadcasts kept as
//! each channel's current context and delivered to every matching listener
//! of the other panels.

use serde::Serialize;
use serde_json::{json, Value};

use super::context::{validate, Fdc3Error};
use super::inspector::Inspected;
use super::protocol::{Outgoing, ToPanel, ToShell};
use super::{Answer, Bus, ChannelState, Listener, Scope};

/// FDC3 `DisplayMetadata` of a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DisplayMetadata {
    pub name: &'static str,
    pub color: &'static str,
    pub glyph: &'static str,
}

/// FDC3 `Channel` as the SDK describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ChannelInfo {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub display_metadata: Option<DisplayMetadata>,
}

/// The six default colour channels, in the order the UI shows them.
pub const USER_CHANNELS: [(&str, DisplayMetadata); 6] = [
    (
        "red",
        DisplayMetadata {
            name: "Red",
            color: "#ef4444",
            glyph: "1",
        },
    ),
    (
        "orange",
        DisplayMetadata {
            name: "Orange",
            color: "#f97316",
            glyph: "2",
        },
    ),
    (
        "yellow",
        DisplayMetadata {
            name: "Yellow",
            color: "#eab308",
            glyph: "3",
        },
    ),
    (
        "green",
        DisplayMetadata {
            name: "Green",
            color: "#22c55e",
            glyph: "4",
        },
    ),
    (
        "blue",
        DisplayMetadata {
            name: "Blue",
            color: "#3b82f6",
            glyph: "5",
        },
    ),
    (
        "purple",
        DisplayMetadata {
            name: "Purple",
            color: "#a855f7",
            glyph: "6",
        },
    ),
];

pub fn is_user_channel(id: &str) -> bool {
    USER_CHANNELS.iter().any(|(c, _)| *c == id)
}

pub fn user_channel(id: &str) -> Option<ChannelInfo> {
    USER_CHANNELS
        .iter()
        .find(|(c, _)| *c == id)
        .map(|(c, m)| ChannelInfo {
            id: (*c).to_owned(),
            kind: "user",
            display_metadata: Some(m.clone()),
        })
}

pub fn user_channels() -> Vec<ChannelInfo> {
    USER_CHANNELS
        .iter()
        .filter_map(|(c, _)| user_channel(c))
        .collect()
}

pub fn app_channel(id: &str) -> ChannelInfo {
    ChannelInfo {
        id: id.to_owned(),
        kind: "app",
        display_metadata: None,
    }
}

impl Bus {
    pub(super) fn channel_state(&mut self, id: &str) -> Option<&mut ChannelState> {
        if is_user_channel(id) {
            Some(self.user.entry(id.to_owned()).or_default())
        } else {
            self.app.get_mut(id)
        }
    }

    /// Sends `context` on `channel` from `sender`: kept as the channel's
    /// current context of its type, delivered to every matching listener of
    /// every other panel.
    pub(super) fn publish(
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
        self.record(Inspected {
            seq,
            timestamp: meta.timestamp,
            channel: channel.to_owned(),
            source_widget: meta.source.app_id,
            source_panel: sender.to_owned(),
            context_type: context_type.to_owned(),
            context,
            delivered,
            trace_id: meta.trace_id,
        });
        delivered
    }

    /// The current context of `channel` for one listener: of its type, or the latest of any type.
    pub(super) fn current_for(&self, channel: &str, context_type: Option<&str>) -> Option<Value> {
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
    pub(super) fn replay_current(&mut self, panel: &str, only: Option<&str>) {
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

    pub(super) fn set_channel(
        &mut self,
        panel: &str,
        channel: Option<String>,
        out: &mut Vec<Outgoing>,
    ) {
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

    /// FDC3 `broadcast` on the panel's current user channel, or on a
    /// channel it names (`Channel.broadcast`).
    pub(super) fn broadcast(
        &mut self,
        panel: &str,
        channel: Option<String>,
        context: Value,
    ) -> Answer {
        let ty = validate(&context)?.to_owned();
        let target = match channel {
            Some(c) if self.channel_exists(&c) => {
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
    }

    /// FDC3 `addContextListener`: on the panel's current user channel (it
    /// follows the panel as it changes channel) or on a named channel.
    pub(super) fn add_context_listener(
        &mut self,
        panel: &str,
        listener: String,
        context_type: Option<String>,
        channel: Option<String>,
        out: &mut Vec<Outgoing>,
    ) -> Answer {
        let scope = match channel {
            None => Scope::Current,
            Some(c) if self.channel_exists(&c) => {
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
        let Some(p) = self.panels.get_mut(panel) else {
            return Ok(None);
        };
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
        self.opened_listener(panel, &listener, context_type.as_deref(), out);
        Ok(Some(Value::Null))
    }

    /// `Listener.unsubscribe` of a context listener.
    pub(super) fn remove_context_listener(&mut self, panel: &str, listener: &str) -> Answer {
        let removed = self
            .panels
            .get_mut(panel)
            .and_then(|p| p.listeners.remove(listener));
        if let Some(Listener {
            scope: Scope::Named(c),
            context_type,
        }) = removed
        {
            self.notify_private(&c, panel, "unsubscribe", context_type);
        }
        Ok(Some(Value::Null))
    }

    pub(super) fn join_user_channel(
        &mut self,
        panel: &str,
        channel: String,
        out: &mut Vec<Outgoing>,
    ) -> Answer {
        if !is_user_channel(&channel) {
            return Err(Fdc3Error::NoChannelFound);
        }
        self.set_channel(panel, Some(channel), out);
        Ok(Some(Value::Null))
    }

    pub(super) fn leave_current_channel(&mut self, panel: &str, out: &mut Vec<Outgoing>) -> Answer {
        self.set_channel(panel, None, out);
        Ok(Some(Value::Null))
    }

    /// FDC3 `getCurrentChannel`: the panel's user channel, or `null`.
    pub(super) fn current_channel(&self, panel: &str) -> Value {
        json!(self.panel_channel(panel).as_deref().and_then(user_channel))
    }

    /// FDC3 `getOrCreateChannel`: an app channel (never a user or private one).
    pub(super) fn get_or_create_channel(&mut self, channel: String) -> Answer {
        if channel.trim().is_empty() {
            Err(Fdc3Error::CreationFailed)
        } else if is_user_channel(&channel) || self.is_private(&channel) {
            Err(Fdc3Error::AccessDenied)
        } else {
            self.app.entry(channel.clone()).or_default();
            Ok(Some(json!(app_channel(&channel))))
        }
    }

    /// `Channel.getCurrentContext`: of a type, or the latest of any.
    pub(super) fn get_current_context(
        &self,
        panel: &str,
        channel: &str,
        context_type: Option<&str>,
    ) -> Answer {
        if !self.channel_exists(channel) {
            return Err(Fdc3Error::NoChannelFound);
        }
        self.may_use(panel, channel)?;
        Ok(Some(
            self.current_for(channel, context_type)
                .unwrap_or(Value::Null),
        ))
    }

    /// A user channel, or an app (or private) channel someone made.
    fn channel_exists(&self, id: &str) -> bool {
        is_user_channel(id) || self.app.contains_key(id)
    }
}
