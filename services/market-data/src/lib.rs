//! An example widget backend, as a business unit's team would write one: a
//! market-data service with deterministic synthetic prices (tests assert
//! values), serving instruments, each one's details, daily history, and
//! live ticks. The Watchlist, Price chart, Instrument details and Top
//! movers widgets name it as their `backend`; their sidecars forward
//! `api/*` to it, through the server, as the signed-in user.
//!
//! Widget frames reach it through the desktop's `widget://` scheme, which
//! answers whole responses, so they follow ticks by long poll
//! (`/ticks?after=SEQ&wait=10`); other clients may use `/stream` (SSE).

pub mod http;
pub mod instruments;
pub mod market;
pub mod prices;
