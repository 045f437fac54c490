//! Synthetic prices: a pure function of the instrument and the time, so
//! every replica, every restart and every test sees the same numbers.
//!
//! A day's close swings slowly around the instrument's base level; during a
//! day the price moves around the previous close. Nothing is random: the
//! "noise" is a hash of the instrument and the day or second.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use crate::instruments::Instrument;

const DAY: i64 = 86_400;

/// A well-mixed 64-bit hash (SplitMix64's finaliser).
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A value in [-1, 1) from a seed.
fn noise(seed: u64) -> f64 {
    (mix(seed) >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

/// A stable seed per instrument (FNV-1a of the symbol).
fn seed(i: &Instrument) -> u64 {
    i.symbol.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Rounded to cents.
fn cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Days since 1970-01-01 of `date`.
fn day_number(date: NaiveDate) -> i64 {
    date.signed_duration_since(NaiveDate::default()).num_days()
}

/// The close of day `day` (days since the epoch).
pub fn close(i: &Instrument, day: i64) -> f64 {
    let s = seed(i);
    let phase = (s % 628) as f64 / 100.0;
    let d = day as f64;
    let level = 1.0 + 0.12 * (d / 23.0 + phase).sin() + 0.05 * (d / 7.3 + phase * 2.0).sin();
    cents(i.base * level * (1.0 + 0.015 * noise(s ^ day as u64)))
}

/// One day's bar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    pub date: NaiveDate,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub volume: u64,
}

/// The bar of `date`: it opens near the previous close.
pub fn bar(i: &Instrument, date: NaiveDate) -> Bar {
    let day = day_number(date);
    let s = seed(i) ^ (day as u64).rotate_left(17);
    let close = close(i, day);
    let open = cents(close_before(i, day) * (1.0 + 0.004 * noise(s)));
    let high = cents(open.max(close) * (1.0 + 0.006 * noise(s ^ 1).abs()));
    let low = cents(open.min(close) * (1.0 - 0.006 * noise(s ^ 2).abs()));
    let volume = (i.shares * 0.004 * (1.0 + 0.5 * noise(s ^ 3))) as u64;
    Bar {
        date,
        open,
        high,
        low,
        close,
        volume,
    }
}

fn is_weekday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The close of the last trading day before `day`.
fn close_before(i: &Instrument, day: i64) -> f64 {
    close(i, last_trading_day_before(day))
}

/// The last weekday before `day`.
pub fn last_trading_day_before(day: i64) -> i64 {
    let mut d = day - 1;
    while !is_weekday(date_of(d)) {
        d -= 1;
    }
    d
}

fn date_of(day: i64) -> NaiveDate {
    NaiveDate::default() + chrono::Days::new(day as u64)
}

/// The last `days` trading days' bars before the day of `now` (seconds since
/// the epoch), oldest first.
pub fn history(i: &Instrument, now: i64, days: usize) -> Vec<Bar> {
    let mut bars = Vec::with_capacity(days);
    let mut day = now.div_euclid(DAY);
    while bars.len() < days {
        day = last_trading_day_before(day);
        bars.push(bar(i, date_of(day)));
    }
    bars.reverse();
    bars
}

/// The previous close as of `now`: the last trading day's before today.
pub fn previous_close(i: &Instrument, now: i64) -> f64 {
    close_before(i, now.div_euclid(DAY))
}

/// The price at second `t` (since the epoch): around the previous close,
/// drifting through the day.
pub fn price_at(i: &Instrument, t: i64) -> f64 {
    let s = seed(i);
    let prev = previous_close(i, t);
    let in_day = t.rem_euclid(DAY) as f64;
    // Over a whole turn, so that at any hour some instruments are up and some down.
    let phase = (s % 628) as f64 / 100.0;
    let drift = 0.012 * (in_day / 2_400.0 + phase).sin() + 0.004 * (in_day / 300.0 + phase).sin();
    cents(prev * (1.0 + drift + 0.0015 * noise(s ^ (t as u64).rotate_left(7))))
}

/// Today's open, high and low up to second `now`, sampled each minute (and at `now`).
pub fn session(i: &Instrument, now: i64) -> (f64, f64, f64) {
    let start = now - now.rem_euclid(DAY);
    let open = price_at(i, start);
    let (mut high, mut low) = (open, open);
    for t in (start..now).step_by(60).chain([now]) {
        let p = price_at(i, t);
        high = high.max(p);
        low = low.min(p);
    }
    (open, high, low)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instruments::find;

    #[test]
    fn prices_are_a_pure_function_of_instrument_and_time() {
        let aapl = find("AAPL").unwrap();
        let t = 1_764_590_400; // 2025-12-01T12:00:00Z, a Monday
        assert_eq!(price_at(aapl, t), price_at(aapl, t));
        assert_ne!(price_at(aapl, t), price_at(find("MSFT").unwrap(), t));
        let p = price_at(aapl, t);
        let prev = previous_close(aapl, t);
        assert!((p / prev - 1.0).abs() < 0.02, "{p} near {prev}");
        assert!(
            (prev / aapl.base - 1.0).abs() < 0.2,
            "{prev} near {}",
            aapl.base
        );
    }

    #[test]
    fn history_is_weekdays_oldest_first_ending_with_the_previous_close() {
        let aapl = find("AAPL").unwrap();
        let monday_noon = 1_764_590_400;
        let bars = history(aapl, monday_noon, 10);
        assert_eq!(bars.len(), 10);
        assert!(bars.windows(2).all(|w| w[0].date < w[1].date));
        assert!(bars.iter().all(|b| is_weekday(b.date)));
        let last = bars.last().unwrap();
        assert_eq!(last.date.to_string(), "2025-11-28", "Friday, before Monday");
        assert_eq!(last.close, previous_close(aapl, monday_noon));
        assert!(bars
            .iter()
            .all(|b| b.low <= b.open.min(b.close) && b.high >= b.open.max(b.close)));
    }

    #[test]
    fn the_session_spans_every_price_of_the_day_so_far() {
        let nvda = find("NVDA").unwrap();
        let t = 1_764_590_400;
        let (open, high, low) = session(nvda, t);
        assert_eq!(open, price_at(nvda, t - t.rem_euclid(DAY)));
        assert!(low <= price_at(nvda, t) && price_at(nvda, t) <= high);
        assert!(low <= open && open <= high);
    }
}
