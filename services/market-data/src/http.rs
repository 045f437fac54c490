//! The routes: instruments, one instrument's details, daily history, and
//! live ticks by long poll (`/ticks`) or Server-Sent Events (`/stream`).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use tessera_server_common::ApiError;

use crate::instruments::{find, Instrument, INSTRUMENTS};
use crate::market::{Market, Tick, Ticks};
use crate::prices::{self, Bar};

/// The longest a long poll waits (the desktop's HTTP client gives up at 15 s).
pub const MAX_WAIT: Duration = Duration::from_secs(10);
/// The most days of history one request gets.
pub const MAX_DAYS: usize = 1000;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    pub symbol: &'static str,
    pub name: &'static str,
    pub exchange: &'static str,
    pub currency: &'static str,
    pub sector: &'static str,
    pub last: f64,
    pub previous_close: f64,
    pub change: f64,
    /// In percent: 1.23 is +1.23 %.
    pub change_pct: f64,
    pub time: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Details {
    #[serde(flatten)]
    pub quote: Quote,
    pub description: &'static str,
    pub isin: &'static str,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    /// Shares traded today so far.
    pub volume: u64,
    pub market_cap: f64,
}

#[derive(Debug, Serialize)]
pub struct InstrumentList {
    pub instruments: Vec<Quote>,
}

#[derive(Debug, Serialize)]
pub struct History {
    pub symbol: &'static str,
    pub bars: Vec<Bar>,
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

fn quote(market: &Market, i: &'static Instrument) -> Quote {
    let (last, time) = market.last(i);
    let previous_close = prices::previous_close(i, time.timestamp());
    Quote {
        symbol: i.symbol,
        name: i.name,
        exchange: i.exchange,
        currency: i.currency,
        sector: i.sector,
        last,
        previous_close,
        change: round(last - previous_close, 2),
        change_pct: round((last / previous_close - 1.0) * 100.0, 2),
        time,
    }
}

fn instrument(symbol: &str) -> Result<&'static Instrument, ApiError> {
    find(symbol).ok_or_else(|| {
        let known: Vec<&str> = INSTRUMENTS.iter().map(|i| i.symbol).collect();
        ApiError::NotFound(format!(
            "no instrument {symbol:?}; known: {}",
            known.join(", ")
        ))
    })
}

async fn instruments(State(m): State<Arc<Market>>) -> Json<InstrumentList> {
    Json(InstrumentList {
        instruments: INSTRUMENTS.iter().map(|i| quote(&m, i)).collect(),
    })
}

async fn details(
    State(m): State<Arc<Market>>,
    Path(symbol): Path<String>,
) -> Result<Json<Details>, ApiError> {
    let i = instrument(&symbol)?;
    let quote = quote(&m, i);
    let now = quote.time.timestamp();
    let (open, high, low) = prices::session(i, now);
    let day_share = now.rem_euclid(86_400) as f64 / 86_400.0;
    Ok(Json(Details {
        description: i.description,
        isin: i.isin,
        open,
        high: high.max(quote.last),
        low: low.min(quote.last),
        volume: (i.shares * 0.004 * day_share) as u64,
        market_cap: round(quote.last * i.shares, 0),
        quote,
    }))
}

#[derive(Debug, Deserialize)]
struct HistoryQuery {
    days: Option<usize>,
}

async fn history(
    State(m): State<Arc<Market>>,
    Path(symbol): Path<String>,
    Query(q): Query<HistoryQuery>,
) -> Result<Json<History>, ApiError> {
    let i = instrument(&symbol)?;
    let days = q.days.unwrap_or(120);
    if days == 0 || days > MAX_DAYS {
        return Err(ApiError::Invalid {
            field: "days".into(),
            message: format!("days: must be 1 to {MAX_DAYS}, not {days}"),
        });
    }
    Ok(Json(History {
        symbol: i.symbol,
        bars: prices::history(i, m.now(), days),
    }))
}

#[derive(Debug, Deserialize)]
struct TicksQuery {
    after: Option<u64>,
    /// Seconds to wait for a tick when there is none after `after`.
    wait: Option<f64>,
}

async fn ticks(
    State(m): State<Arc<Market>>,
    Query(q): Query<TicksQuery>,
) -> Result<Json<Ticks>, ApiError> {
    let wait = q.wait.unwrap_or(0.0);
    if !(0.0..=MAX_WAIT.as_secs_f64()).contains(&wait) {
        return Err(ApiError::Invalid {
            field: "wait".into(),
            message: format!("wait: must be 0 to {} seconds", MAX_WAIT.as_secs()),
        });
    }
    Ok(Json(
        m.wait_after(q.after, Duration::from_secs_f64(wait)).await,
    ))
}

/// Every tick as an SSE event `tick` (its `id` the tick's seq), from now on.
async fn stream(
    State(m): State<Arc<Market>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut rx = m.watch();
    let seen = *rx.borrow_and_update();
    let start = (m, rx, seen, VecDeque::<Tick>::new());
    let events =
        futures_util::stream::unfold(start, |(m, mut rx, mut seen, mut pending)| async move {
            loop {
                if let Some(t) = pending.pop_front() {
                    let event = Event::default()
                        .event("tick")
                        .id(t.seq.to_string())
                        .json_data(&t)
                        .expect("a tick is plain JSON");
                    return Some((Ok(event), (m, rx, seen, pending)));
                }
                rx.changed().await.ok()?;
                let batch = m.ticks_after(Some(seen));
                seen = batch.seq;
                pending.extend(batch.ticks);
            }
        });
    Sse::new(events).keep_alive(KeepAlive::default())
}

/// The service's router.
pub fn router(market: Arc<Market>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/instruments", get(instruments))
        .route("/instruments/{symbol}", get(details))
        .route("/history/{symbol}", get(history))
        .route("/ticks", get(ticks))
        .route("/stream", get(stream))
        .fallback(|| async { ApiError::NotFound("no such route".into()) })
        .layer(tessera_server_common::trace::layer())
        .with_state(market)
}
