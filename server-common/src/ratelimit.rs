//! Rate limits the whole server shares (the registry's routes and the
//! layouts routes alike), keyed so that memory stays bounded:
//!
//! - an authenticated caller's requests, per caller (only tokens that
//!   resolved to someone get a budget of their own);
//! - token look-ups that miss the cache, per client address, so a stream of
//!   bogus tokens costs one budget (and bounded database work), not one
//!   budget each (issue 14, item 5: 40,000 bogus tokens took 7 MiB and each
//!   had its own budget).
//!
//! Keys unused for a while are dropped whenever a table grows past
//! [`PRUNE_ABOVE`] entries.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// A table of budgets is pruned of idle keys above this size.
pub const PRUNE_ABOVE: usize = 4096;

/// Requests per second per caller and per address (`0`: unlimited).
pub struct RateLimits {
    callers: Option<DefaultKeyedRateLimiter<String>>,
    lookups: Option<DefaultKeyedRateLimiter<Option<IpAddr>>>,
}

fn limiter<K: Hash + Eq + Clone>(per_second: u32) -> Option<DefaultKeyedRateLimiter<K>> {
    NonZeroU32::new(per_second).map(|n| {
        let burst = n.saturating_mul(NonZeroU32::new(2).expect("2 is not zero"));
        RateLimiter::keyed(Quota::per_second(n).allow_burst(burst))
    })
}

fn take<K: Hash + Eq + Clone>(
    limiter: &Option<DefaultKeyedRateLimiter<K>>,
    key: &K,
) -> Result<(), Duration> {
    let Some(l) = limiter else { return Ok(()) };
    if l.len() > PRUNE_ABOVE {
        l.retain_recent();
        l.shrink_to_fit();
    }
    l.check_key(key)
        .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
}

impl RateLimits {
    pub fn new(per_second: u32) -> RateLimits {
        RateLimits {
            callers: limiter(per_second),
            lookups: limiter(per_second),
        }
    }

    /// One request by an authenticated caller (`who`: a stable identity,
    /// such as the token's hash or the user's id). `Err` is how long to wait.
    pub fn caller(&self, who: &str) -> Result<(), Duration> {
        take(&self.callers, &who.to_owned())
    }

    /// One token look-up that missed the cache, from `addr` (unknown when
    /// the server was not given the peer's address).
    pub fn lookup(&self, addr: Option<IpAddr>) -> Result<(), Duration> {
        take(&self.lookups, &addr)
    }

    /// How many keys the tables hold (callers, addresses): for tests and metrics.
    pub fn tracked(&self) -> (usize, usize) {
        (
            self.callers.as_ref().map_or(0, |l| l.len()),
            self.lookups.as_ref().map_or(0, |l| l.len()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caller_gets_a_burst_then_waits() {
        let r = RateLimits::new(5);
        let ok = (0..30).filter(|_| r.caller("ann").is_ok()).count();
        assert!((10..=11).contains(&ok), "burst of 2×5, then refused: {ok}");
        assert!(r.caller("bob").is_ok(), "bob has his own budget");
        assert_eq!(r.tracked(), (2, 0));
    }

    #[test]
    fn lookups_share_one_budget_per_address() {
        let r = RateLimits::new(5);
        let ip = Some(IpAddr::from([10, 0, 0, 1]));
        let ok = (0..1000).filter(|_| r.lookup(ip).is_ok()).count();
        assert!(ok <= 11, "{ok}");
        assert_eq!(r.tracked(), (0, 1), "one key for one address");
    }

    #[test]
    fn unlimited_is_zero() {
        let r = RateLimits::new(0);
        assert!((0..1000).all(|_| r.caller("x").is_ok() && r.lookup(None).is_ok()));
    }
}
