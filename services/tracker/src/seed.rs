//! Synthetic hits for the demo and the benchmark: `tessera-tracker seed`.
//! Deterministic for a given seed and end time: more hits in the working
//! day than at night, a few pages taking most of them.

use crate::hit::NewHit;
use crate::range::{DAY, HOUR};
use crate::store::{Result, Store};

/// Pages of a small intranet, most visited first.
pub const PAGES: [&str; 12] = [
    "home",
    "greeting",
    "markets/overview",
    "markets/watchlist",
    "research/daily",
    "research/equities",
    "people/directory",
    "hr/holidays",
    "it/status",
    "news/2026-11",
    "compliance/policies",
    "help",
];
const USERS: [&str; 6] = ["alice", "bob", "carol", "dan", "erin", "frank"];
const AGENTS: [&str; 3] = [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Tessera",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Version/18.1 Safari/605.1.15",
];
/// Rows per insert statement (five values each: well under both engines'
/// bound-parameter limits).
const CHUNK: usize = 2000;

/// splitmix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// How busy the hour of the day is, relative to the busiest (0.1 at night,
/// 1.0 at midday).
fn busyness(at: i64) -> f64 {
    let hour = at.rem_euclid(DAY) as f64 / HOUR as f64;
    0.1 + 0.9 * (-((hour - 12.5) / 3.5).powi(2)).exp()
}

/// `count` hits between `end - days` and `end`, oldest first.
pub fn hits(count: usize, days: i64, end: i64, seed: u64) -> Vec<NewHit> {
    let mut rng = Rng(seed);
    let span = days.max(1) * DAY;
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let at = end - 1 - rng.below(span as u64) as i64;
        // Rejection sampling: keep a time as often as the hour is busy.
        if rng.unit() > busyness(at) {
            continue;
        }
        // Zipf-like: page i with weight 1/(i+1).
        let total: f64 = (1..=PAGES.len()).map(|i| 1.0 / i as f64).sum();
        let mut pick = rng.unit() * total;
        let mut page = PAGES[PAGES.len() - 1];
        for (i, p) in PAGES.iter().enumerate() {
            pick -= 1.0 / (i + 1) as f64;
            if pick <= 0.0 {
                page = p;
                break;
            }
        }
        let user = rng.below(4);
        out.push(NewHit {
            at,
            page: page.to_owned(),
            referrer: (rng.below(3) == 0).then(|| "https://intranet.example/home".to_owned()),
            user_agent: Some(AGENTS[rng.below(AGENTS.len() as u64) as usize].to_owned()),
            // One hit in four came from outside Tessera, with no user.
            user: (user != 0).then(|| USERS[rng.below(USERS.len() as u64) as usize].to_owned()),
        });
    }
    out.sort_by_key(|h| h.at);
    out
}

/// Stores `count` synthetic hits, then refreshes the planner's statistics.
pub async fn seed(store: &Store, count: usize, days: i64, end: i64, seed: u64) -> Result<()> {
    for chunk in hits(count, days, end, seed).chunks(CHUNK) {
        store.insert(chunk).await?;
    }
    store.analyze().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_hits_are_deterministic_in_range_and_shaped_like_a_day() {
        let end = 1_780_000_000_000;
        let a = hits(5000, 7, end, 42);
        assert_eq!(a, hits(5000, 7, end, 42));
        assert_ne!(a, hits(5000, 7, end, 43));
        assert!(a.iter().all(|h| h.at >= end - 7 * DAY && h.at < end));
        assert!(a.windows(2).all(|w| w[0].at <= w[1].at));
        let hour = |h: &NewHit| h.at.rem_euclid(DAY) / HOUR;
        let midday = a.iter().filter(|h| (11..14).contains(&hour(h))).count();
        let night = a.iter().filter(|h| (1..4).contains(&hour(h))).count();
        assert!(midday > 4 * night, "midday {midday}, night {night}");
        let home = a.iter().filter(|h| h.page == "home").count();
        let help = a.iter().filter(|h| h.page == "help").count();
        assert!(home > 5 * help, "home {home}, help {help}");
    }
}
