//! The panels the bus knows: each a running instance of an app (its panel
//! id is its FDC3 `instanceId`) in one window, its identity (`appId`,
//! metadata, `getInfo`) and its start (`hello`).

use std::collections::{HashMap, HashSet};

use serde_json::json;

use super::channels::{is_user_channel, user_channel};
use super::outbox::Outbox;
use super::protocol::{Metadata, Outgoing, PanelId, Source};
use super::{now_ms, Answer, Bus, CatalogueEntry, Panel};

impl Bus {
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

    /// The FDC3 `appId` of a widget (its catalogue entry's, else its id).
    pub(super) fn app_id_of(&self, widget: &str) -> String {
        self.catalogue
            .iter()
            .find(|w| w.id == widget)
            .map(|w| w.app_id().to_owned())
            .unwrap_or_else(|| widget.to_owned())
    }

    /// The catalogue entry an FDC3 `appId` names (or, failing that, a widget id).
    pub(super) fn app_named(&self, app: &str) -> Option<&CatalogueEntry> {
        self.catalogue
            .iter()
            .find(|w| w.app_id() == app)
            .or_else(|| self.catalogue.iter().find(|w| w.id == app))
    }

    /// The FDC3 `appId` of the app running in `panel`.
    pub(super) fn panel_app_id(&self, panel: &str) -> String {
        self.panels
            .get(panel)
            .map(|p| self.app_id_of(&p.widget))
            .unwrap_or_default()
    }

    pub(super) fn metadata(&self, panel: &str, channel: Option<String>) -> Metadata {
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

    /// The SDK in a (re)loaded frame is ready: its listeners start afresh,
    /// it left its private channels, and an `open` may be waiting for it.
    pub(super) fn hello(&mut self, panel: &str, out: &mut Vec<Outgoing>) -> Answer {
        let Some(p) = self.panels.get_mut(panel) else {
            return Ok(None);
        };
        p.listeners.clear();
        p.intents.clear();
        p.outbox.restart();
        let channel = p.channel.as_deref().and_then(user_channel);
        self.disconnect_all_private(panel);
        self.opened_hello(panel, out);
        Ok(Some(
            json!({ "channel": channel, "appId": self.panel_app_id(panel), "instanceId": panel }),
        ))
    }

    /// FDC3 `getInfo`: the agent, what it supports, and who is asking.
    pub(super) fn get_info(&self, panel: &str) -> Answer {
        Ok(Some(json!({
            "fdc3Version": "2.2",
            "provider": "Tessera",
            "providerVersion": env!("CARGO_PKG_VERSION"),
            "optionalFeatures": {
                "OriginatingAppMetadata": true,
                "UserChannelMembershipAPIs": true,
                "DesktopAgentBridging": false,
            },
            "appMetadata": { "appId": self.panel_app_id(panel), "instanceId": panel },
        })))
    }
}
