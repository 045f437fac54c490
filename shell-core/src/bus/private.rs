//! Private channels (FDC3 2.2 `PrivateChannel`): made by one panel, shared
//! with another by returning it as an intent result, and usable only by
//! those two. Each side may hear when the other adds a context listener,
//! unsubscribes one, or disconnects; a closed panel disconnects.
//!
//! A private channel is also an entry among the app channels (so broadcast,
//! current contexts and listeners work as on any channel); `Bus::may_use`
//! keeps everyone else out.

use std::collections::HashSet;

use serde_json::{json, Value};

use super::context::Fdc3Error;
use super::protocol::{Outgoing, PanelId, ToPanel};
use super::{Bus, Scope};

/// Marks an intent result that is a channel (a `Channel` object cannot
/// cross `postMessage`; the SDKs send and rebuild this instead).
pub const CHANNEL_RESULT_KEY: &str = "__tesseraChannel";

/// Events a member may listen for.
const EVENTS: [&str; 3] = ["addContextListener", "unsubscribe", "disconnect"];

#[derive(Debug, Default)]
pub(super) struct PrivateChannel {
    members: HashSet<PanelId>,
    disconnected: HashSet<PanelId>,
    /// (panel, listener id, event)
    listeners: Vec<(PanelId, String, &'static str)>,
}

impl Bus {
    /// Whether `panel` may use channel `id` (any channel but someone else's private one).
    pub(super) fn may_use(&self, panel: &str, id: &str) -> Result<(), Fdc3Error> {
        match self.private.get(id) {
            Some(p) if !p.members.contains(panel) || p.disconnected.contains(panel) => {
                Err(Fdc3Error::AccessDenied)
            }
            _ => Ok(()),
        }
    }

    pub(super) fn is_private(&self, id: &str) -> bool {
        self.private.contains_key(id)
    }

    pub(super) fn create_private_channel(&mut self, panel: &str) -> Value {
        let id = format!("private-{}", self.next());
        self.app.entry(id.clone()).or_default();
        self.private.insert(
            id.clone(),
            PrivateChannel {
                members: HashSet::from([panel.to_owned()]),
                ..Default::default()
            },
        );
        json!({ "id": id, "type": "private" })
    }

    /// An intent result that is a private channel: the raiser becomes its
    /// other member.
    pub(super) fn share_private_result(&mut self, result: &Value, with: &str) {
        let Some(id) = result
            .get(CHANNEL_RESULT_KEY)
            .and_then(|c| c.get("id"))
            .and_then(Value::as_str)
        else {
            return;
        };
        if let Some(p) = self.private.get_mut(id) {
            p.members.insert(with.to_owned());
        }
    }

    pub(super) fn add_private_event_listener(
        &mut self,
        panel: &str,
        channel: &str,
        event: &str,
        listener: String,
    ) -> Result<(), Fdc3Error> {
        self.may_use(panel, channel)?;
        let event = EVENTS
            .iter()
            .find(|e| **e == event)
            .ok_or(Fdc3Error::UnknownEventType)?;
        let p = self
            .private
            .get_mut(channel)
            .ok_or(Fdc3Error::NoChannelFound)?;
        p.listeners.push((panel.to_owned(), listener, event));
        Ok(())
    }

    pub(super) fn remove_private_event_listener(&mut self, panel: &str, listener: &str) {
        for p in self.private.values_mut() {
            p.listeners
                .retain(|(who, l, _)| !(who == panel && l == listener));
        }
    }

    /// Tells the other members of `channel` that `panel` did `event`.
    pub(super) fn notify_private(
        &mut self,
        channel: &str,
        panel: &str,
        event: &'static str,
        context_type: Option<String>,
    ) {
        let Some(p) = self.private.get(channel) else {
            return;
        };
        let targets: Vec<(PanelId, String)> = p
            .listeners
            .iter()
            .filter(|(who, _, e)| who != panel && *e == event && !p.disconnected.contains(who))
            .map(|(who, l, _)| (who.clone(), l.clone()))
            .collect();
        for (who, listener) in targets {
            self.enqueue(
                &who,
                ToPanel::PrivateChannelEvent {
                    listener,
                    event,
                    context_type: context_type.clone(),
                },
            );
        }
    }

    /// `panel` leaves `channel`: its listeners there go (the other side
    /// hears `unsubscribe` for each, then `disconnect`).
    pub(super) fn disconnect_private(&mut self, panel: &str, channel: &str) {
        if !self
            .private
            .get(channel)
            .is_some_and(|p| p.members.contains(panel) && !p.disconnected.contains(panel))
        {
            return;
        }
        let gone: Vec<(String, Option<String>)> = self
            .panels
            .get(panel)
            .map(|p| {
                p.listeners
                    .iter()
                    .filter(|(_, l)| matches!(&l.scope, Scope::Named(c) if c == channel))
                    .map(|(id, l)| (id.clone(), l.context_type.clone()))
                    .collect()
            })
            .unwrap_or_default();
        for (id, ty) in gone {
            if let Some(p) = self.panels.get_mut(panel) {
                p.listeners.remove(&id);
            }
            self.notify_private(channel, panel, "unsubscribe", ty);
        }
        self.notify_private(channel, panel, "disconnect", None);
        if let Some(p) = self.private.get_mut(channel) {
            p.disconnected.insert(panel.to_owned());
            p.listeners.retain(|(who, _, _)| who != panel);
        }
    }

    /// A panel that closes disconnects from every private channel it had.
    pub(super) fn disconnect_all_private(&mut self, panel: &str) {
        let channels: Vec<String> = self
            .private
            .iter()
            .filter(|(_, p)| p.members.contains(panel))
            .map(|(id, _)| id.clone())
            .collect();
        for c in channels {
            self.disconnect_private(panel, &c);
        }
    }

    /// Messages queued for panels by [`Bus::disconnect_all_private`] and the like.
    pub(super) fn take_queued(&mut self) -> Vec<Outgoing> {
        let mut out = Vec::new();
        self.flush(&mut out);
        out
    }
}
