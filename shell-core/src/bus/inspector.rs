//! What the bus inspector shows: the last broadcasts, with where they came
//! from and how many listeners got them, and the bus's counters.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::protocol::PanelId;
use super::Bus;

/// One broadcast, as the bus inspector lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
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
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BusStats {
    pub broadcasts: u64,
    pub deliveries: u64,
    /// Deliveries dropped because a receiver's queue was full, by panel.
    pub overflow: HashMap<PanelId, u64>,
}

/// How many broadcasts the inspector keeps (the oldest go first).
const INSPECTOR_KEEP: usize = 500;

impl Bus {
    /// Counts one broadcast and keeps it for the inspector.
    pub(super) fn record(&mut self, broadcast: Inspected) {
        self.stats.broadcasts += 1;
        self.stats.deliveries += broadcast.delivered as u64;
        self.inspected.push_back(broadcast);
        while self.inspected.len() > INSPECTOR_KEEP {
            self.inspected.pop_front();
        }
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
}
