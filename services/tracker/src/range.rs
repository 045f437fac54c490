//! Time ranges and their buckets.

use serde::Serialize;
use tessera_server_common::ApiError;

use crate::params::Params;

pub const SECOND: i64 = 1000;
pub const MINUTE: i64 = 60 * SECOND;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;

/// The longest range one request covers.
pub const MAX_SPAN: i64 = 400 * DAY;
/// The most buckets one histogram has.
pub const MAX_BUCKETS: i64 = 2000;
/// Without `bucket=`, the round size giving at most this many.
pub const TARGET_BUCKETS: i64 = 120;
/// Round bucket sizes, smallest first.
const ROUND: [i64; 16] = [
    SECOND,
    5 * SECOND,
    10 * SECOND,
    30 * SECOND,
    MINUTE,
    5 * MINUTE,
    10 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
    DAY,
    7 * DAY,
    30 * DAY,
];

/// `from` inclusive to `to` exclusive, Unix milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub from: i64,
    pub to: i64,
}

/// `a / b` rounded up, for `a >= 0`, `b > 0`.
fn ceil_div(a: i64, b: i64) -> i64 {
    a / b + i64::from(a % b != 0)
}

fn invalid(field: &str, message: String) -> ApiError {
    ApiError::Invalid {
        field: field.into(),
        message,
    }
}

impl Range {
    /// `from=` and `to=` of a request: both required, `from < to`, at most
    /// [`MAX_SPAN`] apart.
    pub fn of(p: &Params) -> Result<Range, ApiError> {
        // Year 0 to year 9999: any real time, no overflow in arithmetic.
        let (lo, hi) = (-62_167_219_200_000, 253_402_300_799_999);
        let need = |f: &str| {
            p.int(f, lo, hi)?
                .ok_or_else(|| invalid(f, format!("{f}: required (Unix time in milliseconds)")))
        };
        let (from, to) = (need("from")?, need("to")?);
        if from >= to {
            return Err(invalid(
                "to",
                format!("to: must be after from ({to} is not after {from})"),
            ));
        }
        if to - from > MAX_SPAN {
            return Err(invalid(
                "to",
                format!("to: the range may cover at most {} days", MAX_SPAN / DAY),
            ));
        }
        Ok(Range { from, to })
    }

    pub fn span(&self) -> i64 {
        self.to - self.from
    }
}

/// The histogram's buckets: `start` is `from` rounded down to a multiple
/// of `size`, so the same instant falls in the same bucket whoever asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Buckets {
    pub start: i64,
    pub size: i64,
    pub count: i64,
}

impl Buckets {
    /// `bucket=` if given (at least a second, at most [`MAX_BUCKETS`] over
    /// the range), else the smallest round size giving at most
    /// [`TARGET_BUCKETS`].
    pub fn of(range: Range, asked: Option<i64>) -> Result<Buckets, ApiError> {
        let size = match asked {
            Some(s) => {
                if ceil_div(range.span(), s) > MAX_BUCKETS {
                    return Err(invalid(
                        "bucket",
                        format!(
                            "bucket: {s} ms makes more than {MAX_BUCKETS} buckets over {} ms",
                            range.span()
                        ),
                    ));
                }
                s
            }
            None => ROUND
                .into_iter()
                .find(|s| ceil_div(range.span(), *s) <= TARGET_BUCKETS)
                .unwrap_or(ROUND[ROUND.len() - 1]),
        };
        let start = range.from.div_euclid(size) * size;
        Ok(Buckets {
            start,
            size,
            count: ceil_div(range.to - start, size),
        })
    }

    /// Where the counted hits end (exclusive): the last bucket's end.
    pub fn end(&self) -> i64 {
        self.start + self.size * self.count
    }

    /// Every bucket with its count, zeros included, from sparse
    /// `(bucket index, count)` rows.
    pub fn fill(&self, rows: &[(i64, i64)]) -> Vec<Bucket> {
        let mut out: Vec<Bucket> = (0..self.count)
            .map(|i| Bucket {
                start: self.start + i * self.size,
                count: 0,
            })
            .collect();
        for &(i, n) in rows {
            if let Some(b) = usize::try_from(i).ok().and_then(|i| out.get_mut(i)) {
                b.count = n;
            }
        }
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Bucket {
    pub start: i64,
    pub count: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(q: &str) -> Result<Range, ApiError> {
        Range::of(&Params::parse(Some(q)).unwrap())
    }

    #[test]
    fn a_range_needs_both_ends_in_order() {
        assert_eq!(
            range("from=1000&to=2000").unwrap(),
            Range {
                from: 1000,
                to: 2000
            }
        );
        for bad in [
            "to=5",
            "from=5",
            "from=5&to=5",
            "from=6&to=5",
            "from=0&to=99999999999999",
        ] {
            assert!(range(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn buckets_are_round_aligned_and_cover_the_range() {
        // An hour: 30-second buckets (120 of them), aligned to 30 s.
        let r = Range {
            from: 10 * HOUR + 7 * SECOND,
            to: 11 * HOUR + 7 * SECOND,
        };
        let b = Buckets::of(r, None).unwrap();
        assert_eq!(b.size, 30 * SECOND);
        assert_eq!(b.start, 10 * HOUR);
        assert_eq!(b.count, 121);
        assert!(b.end() >= r.to);
        // A day: 15-minute buckets; a week: 3-hour buckets.
        assert_eq!(
            Buckets::of(Range { from: 0, to: DAY }, None).unwrap().size,
            15 * MINUTE
        );
        assert_eq!(
            Buckets::of(
                Range {
                    from: 0,
                    to: 7 * DAY
                },
                None
            )
            .unwrap()
            .size,
            3 * HOUR
        );
        // Asked for, within limits.
        assert_eq!(
            Buckets::of(Range { from: 0, to: HOUR }, Some(MINUTE))
                .unwrap()
                .count,
            60
        );
        assert!(Buckets::of(Range { from: 0, to: DAY }, Some(SECOND)).is_err());
    }

    #[test]
    fn fill_puts_counts_in_place_and_zeros_between() {
        let b = Buckets {
            start: 100,
            size: 10,
            count: 4,
        };
        let filled = b.fill(&[(1, 5), (3, 2), (9, 1)]);
        let counts: Vec<i64> = filled.iter().map(|b| b.count).collect();
        assert_eq!(counts, [0, 5, 0, 2]);
        assert_eq!(filled[3].start, 130);
    }
}
