//! Per-receiver flow control: each panel has a bounded queue and a window
//! of deliveries in flight (sent, not yet acknowledged by its SDK). A slow or
//! hung widget fills only its own queue; what does not fit is dropped and
//! counted, never silently, and never delays anyone else.

use std::collections::VecDeque;

/// Deliveries a panel may hold unacknowledged.
pub const WINDOW: usize = 1024;
/// Deliveries waiting behind the window before new ones are dropped.
pub const CAPACITY: usize = 16384;

#[derive(Debug)]
pub struct Outbox<T> {
    queue: VecDeque<T>,
    in_flight: usize,
    /// Deliveries dropped because the queue was full.
    pub overflow: u64,
    /// Whether the panel's SDK is connected (nothing is sent before).
    pub attached: bool,
}

impl<T> Default for Outbox<T> {
    fn default() -> Self {
        Outbox {
            queue: VecDeque::new(),
            in_flight: 0,
            overflow: 0,
            attached: false,
        }
    }
}

impl<T> Outbox<T> {
    /// Queues a delivery; `false` (and counted) when the queue is full.
    pub fn push(&mut self, item: T) -> bool {
        if self.queue.len() >= CAPACITY {
            self.overflow += 1;
            return false;
        }
        self.queue.push_back(item);
        true
    }

    /// What may be sent now, in order.
    pub fn drain(&mut self) -> Vec<T> {
        if !self.attached {
            return Vec::new();
        }
        let n = (WINDOW - self.in_flight).min(self.queue.len());
        self.in_flight += n;
        self.queue.drain(..n).collect()
    }

    /// The SDK processed `n` deliveries.
    pub fn ack(&mut self, n: usize) {
        self.in_flight = self.in_flight.saturating_sub(n);
    }

    /// A (re)loaded frame: nothing in flight, nothing queued for the old one;
    /// the overflow count stays.
    pub fn restart(&mut self) {
        self.queue.clear();
        self.in_flight = 0;
        self.attached = true;
    }

    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receiver_that_never_acks_fills_its_window_then_its_queue_then_overflows() {
        let mut o = Outbox {
            attached: true,
            ..Outbox::default()
        };
        for i in 0..(WINDOW + CAPACITY + 10) {
            o.push(i);
            o.drain();
        }
        assert_eq!(o.in_flight(), WINDOW, "sent up to the window");
        assert_eq!(o.queued(), CAPACITY, "then queued up to the capacity");
        assert_eq!(o.overflow, 10, "the rest dropped, and counted");
        o.ack(WINDOW);
        let next = o.drain();
        assert_eq!(next.first(), Some(&WINDOW), "order kept across the window");
        assert_eq!(next.len(), WINDOW);
    }

    #[test]
    fn nothing_is_sent_before_the_panel_attaches() {
        let mut o = Outbox::default();
        o.push(1);
        assert!(o.drain().is_empty());
        o.attached = true;
        assert_eq!(o.drain(), vec![1]);
    }
}
