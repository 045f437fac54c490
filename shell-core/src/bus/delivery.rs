//! Flow control: each panel's messages wait in its queue ([`Outbox`]) and
//! are sent only as fast as the panel acknowledges them; a full queue drops
//! (and counts) what does not fit.
//!
//! [`Outbox`]: super::outbox::Outbox

use super::protocol::{Outgoing, ToPanel};
use super::{Answer, Bus};

impl Bus {
    /// Queues `msg` for `panel`; false if it has no panel or a full queue.
    pub(super) fn enqueue(&mut self, panel: &str, msg: ToPanel) -> bool {
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
    pub(super) fn flush(&mut self, out: &mut Vec<Outgoing>) {
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

    /// The panel handled `n` more messages: more may be sent (no answer).
    pub(super) fn ack(&mut self, panel: &str, n: usize) -> Answer {
        if let Some(p) = self.panels.get_mut(panel) {
            p.outbox.ack(n);
            self.dirty.insert(panel.to_owned());
        }
        Ok(None)
    }
}
