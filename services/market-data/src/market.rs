//! The live market: every instrument ticks once a second; the last ticks are
//! kept (for long polls that come back) and watchers are woken on each.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::watch;

use crate::instruments::{Instrument, INSTRUMENTS};
use crate::prices::price_at;

/// How many ticks are kept for callers that come back (about two minutes).
pub const KEEP: usize = 1000;

/// One price change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tick {
    pub seq: u64,
    pub symbol: &'static str,
    pub price: f64,
    pub time: DateTime<Utc>,
}

/// Ticks since a caller's last, and where it is now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ticks {
    pub seq: u64,
    pub ticks: Vec<Tick>,
}

struct State {
    ticks: VecDeque<Tick>,
    seq: u64,
    /// The last second that ticked.
    second: i64,
}

pub struct Market {
    state: Mutex<State>,
    latest: watch::Sender<u64>,
}

impl Market {
    /// A market whose first ticks are those of second `now`.
    pub fn new(now: i64) -> Market {
        let market = Market {
            state: Mutex::new(State {
                ticks: VecDeque::with_capacity(KEEP),
                seq: 0,
                second: now - 1,
            }),
            latest: watch::channel(0).0,
        };
        market.advance(now);
        market
    }

    /// Ticks every instrument for each second after the last one up to
    /// `now` (a late timer catches up, at most one minute).
    pub fn advance(&self, now: i64) {
        let mut s = self.state.lock().expect("market state");
        let from = (s.second + 1).max(now - 59);
        for second in from..=now {
            for i in &INSTRUMENTS {
                s.seq += 1;
                let tick = Tick {
                    seq: s.seq,
                    symbol: i.symbol,
                    price: price_at(i, second),
                    time: DateTime::from_timestamp(second, 0).unwrap_or_default(),
                };
                if s.ticks.len() == KEEP {
                    s.ticks.pop_front();
                }
                s.ticks.push_back(tick);
            }
        }
        s.second = s.second.max(now);
        let seq = s.seq;
        drop(s);
        self.latest.send_replace(seq);
    }

    /// The latest price of `i` and its time.
    pub fn last(&self, i: &Instrument) -> (f64, DateTime<Utc>) {
        let s = self.state.lock().expect("market state");
        s.ticks
            .iter()
            .rev()
            .find(|t| t.symbol == i.symbol)
            .map(|t| (t.price, t.time))
            .unwrap_or_else(|| {
                let at = DateTime::from_timestamp(s.second, 0).unwrap_or_default();
                (price_at(i, s.second), at)
            })
    }

    /// The second the market is at.
    pub fn now(&self) -> i64 {
        self.state.lock().expect("market state").second
    }

    /// The ticks after `seq` (those still kept), or with no `seq`, the
    /// latest tick of every instrument.
    pub fn ticks_after(&self, seq: Option<u64>) -> Ticks {
        let s = self.state.lock().expect("market state");
        let ticks = match seq {
            Some(after) => s.ticks.iter().filter(|t| t.seq > after).cloned().collect(),
            None => {
                let mut latest: Vec<Tick> = INSTRUMENTS
                    .iter()
                    .filter_map(|i| s.ticks.iter().rev().find(|t| t.symbol == i.symbol).cloned())
                    .collect();
                latest.sort_by_key(|t| t.seq);
                latest
            }
        };
        Ticks { seq: s.seq, ticks }
    }

    /// Like [`ticks_after`](Self::ticks_after), but waits up to `wait` for a
    /// tick after `seq` when there is none yet.
    pub async fn wait_after(&self, seq: Option<u64>, wait: Duration) -> Ticks {
        let now = self.ticks_after(seq);
        let Some(after) = seq else { return now };
        if !now.ticks.is_empty() || wait.is_zero() {
            return now;
        }
        let mut rx = self.latest.subscribe();
        let _ = tokio::time::timeout(wait, rx.wait_for(|latest| *latest > after)).await;
        self.ticks_after(seq)
    }

    /// Woken with the latest seq on every tick.
    pub fn watch(&self) -> watch::Receiver<u64> {
        self.latest.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_764_590_400;

    #[test]
    fn every_instrument_ticks_each_second_at_its_price() {
        let m = Market::new(T);
        let first = m.ticks_after(None);
        assert_eq!(first.seq, 8);
        assert_eq!(first.ticks.len(), 8);
        m.advance(T + 2);
        let later = m.ticks_after(Some(first.seq));
        assert_eq!(later.seq, 24);
        assert_eq!(later.ticks.len(), 16);
        let aapl = crate::instruments::find("AAPL").unwrap();
        let last_aapl = later
            .ticks
            .iter()
            .rev()
            .find(|t| t.symbol == "AAPL")
            .unwrap();
        assert_eq!(last_aapl.price, price_at(aapl, T + 2));
        assert_eq!(m.last(aapl).0, price_at(aapl, T + 2));
        m.advance(T + 1);
        assert_eq!(m.ticks_after(None).seq, 24, "time does not go back");
    }

    #[test]
    fn only_the_last_ticks_are_kept() {
        let m = Market::new(T);
        m.advance(T + 600);
        assert_eq!(
            m.ticks_after(Some(0)).seq,
            8 + 60 * 8,
            "a late timer catches up one minute"
        );
        for second in T + 601..T + 800 {
            m.advance(second);
        }
        let all = m.ticks_after(Some(0));
        assert_eq!(all.ticks.len(), KEEP);
        assert_eq!(all.ticks.last().unwrap().seq, all.seq);
    }

    #[tokio::test]
    async fn a_long_poll_returns_at_the_next_tick_or_when_its_wait_is_over() {
        let m = std::sync::Arc::new(Market::new(T));
        let seq = m.ticks_after(None).seq;
        let empty = m.wait_after(Some(seq), Duration::from_millis(20)).await;
        assert!(empty.ticks.is_empty());
        let waiter = {
            let m = m.clone();
            tokio::spawn(async move { m.wait_after(Some(seq), Duration::from_secs(30)).await })
        };
        tokio::task::yield_now().await;
        m.advance(T + 1);
        let got = waiter.await.unwrap();
        assert_eq!(got.ticks.len(), 8);
        assert!(got.ticks.iter().all(|t| t.seq > seq));
    }
}
