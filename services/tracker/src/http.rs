//! The routes: the pixel, hits per bucket, top pages, and new hits by long
//! poll (`/hits/live`) or Server-Sent Events (`/hits/stream`).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use futures_util::Stream;
use serde::Serialize;
use tessera_server_common::ApiError;

use crate::hit::{header_text, Hit, NewHit, MAX_PAGE, MAX_REFERRER, MAX_USER, MAX_USER_AGENT};
use crate::params::Params;
use crate::range::{Bucket, Buckets, Range};
use crate::recorder::Recorder;
use crate::store::{PageHits, StoreError};

/// The longest a long poll waits (the desktop's HTTP client gives up at 15 s).
pub const MAX_WAIT: f64 = 10.0;
/// The most hits one live answer carries.
pub const MAX_LIVE: i64 = 500;
/// The most top pages one answer lists.
pub const MAX_PAGES: i64 = 100;
/// Who the hit came from when it came through Tessera's server, which sets
/// this header (and drops one a caller sent) on every request it forwards.
pub const USER_HEADER: &str = "x-tessera-user";

/// A transparent 1×1 GIF.
pub const PIXEL: [u8; 42] = [
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x01, 0x44, 0x00, 0x3b,
];

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "tracker store");
    ApiError::Internal
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        internal(e)
    }
}

/// `GET /pixel.gif?page=P[&ref=R]`: records a hit and answers the pixel.
async fn pixel(
    State(r): State<Recorder>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref())?;
    p.only(&["page", "ref"])?;
    let page = p
        .text("page", MAX_PAGE)?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::Invalid {
            field: "page".into(),
            message: "page: required (the page that loaded the pixel, e.g. page=home)".into(),
        })?;
    let header = |name: header::HeaderName, max| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| header_text(v, max))
    };
    let referrer = match p.text("ref", MAX_REFERRER)? {
        Some(r) if !r.is_empty() => Some(r),
        _ => header(header::REFERER, MAX_REFERRER),
    };
    let hit = NewHit {
        at: now_ms(),
        page,
        referrer,
        user_agent: header(header::USER_AGENT, MAX_USER_AGENT),
        user: header(header::HeaderName::from_static(USER_HEADER), MAX_USER),
    };
    r.record(hit).await.map_err(internal)?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "image/gif"),
            (header::CACHE_CONTROL, "no-store, max-age=0"),
        ],
        PIXEL.as_slice(),
    )
        .into_response())
}

#[derive(Debug, Serialize)]
pub struct Histogram {
    pub from: i64,
    pub to: i64,
    pub bucket_ms: i64,
    pub total: i64,
    pub buckets: Vec<Bucket>,
}

/// `GET /hits/histogram?from=&to=[&bucket=][&page=]`.
async fn histogram(
    State(r): State<Recorder>,
    RawQuery(q): RawQuery,
) -> Result<Json<Histogram>, ApiError> {
    let p = Params::parse(q.as_deref())?;
    p.only(&["from", "to", "bucket", "page"])?;
    let range = Range::of(&p)?;
    let b = Buckets::of(range, p.int("bucket", 1000, crate::range::MAX_SPAN)?)?;
    let page = p.text("page", MAX_PAGE)?;
    let rows = r.store().histogram(b, page.as_deref()).await?;
    let buckets = b.fill(&rows);
    Ok(Json(Histogram {
        from: range.from,
        to: range.to,
        bucket_ms: b.size,
        total: buckets.iter().map(|b| b.count).sum(),
        buckets,
    }))
}

#[derive(Debug, Serialize)]
pub struct Pages {
    pub pages: Vec<PageHits>,
}

/// `GET /hits/pages?from=&to=[&limit=]`.
async fn pages(State(r): State<Recorder>, RawQuery(q): RawQuery) -> Result<Json<Pages>, ApiError> {
    let p = Params::parse(q.as_deref())?;
    p.only(&["from", "to", "limit"])?;
    let range = Range::of(&p)?;
    let limit = p.int("limit", 1, MAX_PAGES)?.unwrap_or(10);
    Ok(Json(Pages {
        pages: r.store().top_pages(range, limit).await?,
    }))
}

#[derive(Debug, Serialize)]
pub struct Live {
    /// Ask for `after=last` next.
    pub last: i64,
    pub hits: Vec<Hit>,
}

/// `GET /hits/live[?after=ID&wait=S]`: without `after`, the id to follow
/// from; with it, the hits after it, waiting up to `wait` seconds for one.
async fn live(State(r): State<Recorder>, RawQuery(q): RawQuery) -> Result<Json<Live>, ApiError> {
    let p = Params::parse(q.as_deref())?;
    p.only(&["after", "wait"])?;
    let wait = p.seconds("wait", MAX_WAIT)?.unwrap_or(0.0);
    let Some(after) = p.int("after", 0, i64::MAX)? else {
        return Ok(Json(Live {
            last: r.last(),
            hits: Vec::new(),
        }));
    };
    let hits = r
        .after(after, MAX_LIVE, Duration::from_secs_f64(wait))
        .await?;
    Ok(Json(Live {
        last: hits.last().map_or(after.max(0), |h| h.id),
        hits,
    }))
}

/// `GET /hits/stream`: every new hit as an SSE event `hit` (its `id` the hit's).
async fn stream(State(r): State<Recorder>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut rx = r.watch();
    let seen = *rx.borrow_and_update();
    let start = (r, rx, seen, VecDeque::<Hit>::new());
    let events =
        futures_util::stream::unfold(start, |(r, mut rx, mut seen, mut pending)| async move {
            loop {
                if let Some(h) = pending.pop_front() {
                    let event = Event::default()
                        .event("hit")
                        .id(h.id.to_string())
                        .json_data(&h)
                        .expect("a hit is plain JSON");
                    return Some((Ok(event), (r, rx, seen, pending)));
                }
                rx.changed().await.ok()?;
                match r.store().after(seen, MAX_LIVE).await {
                    Ok(hits) => {
                        seen = hits.last().map_or(seen, |h| h.id);
                        pending.extend(hits);
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "the hit stream cannot read new hits");
                        return None;
                    }
                }
            }
        });
    Sse::new(events).keep_alive(KeepAlive::default())
}

/// The service's router.
pub fn router(recorder: Recorder) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/pixel.gif", get(pixel))
        .route("/hits/histogram", get(histogram))
        .route("/hits/pages", get(pages))
        .route("/hits/live", get(live))
        .route("/hits/stream", get(stream))
        .fallback(|| async { ApiError::NotFound("no such route".into()) })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(tessera_server_common::trace::layer())
        .with_state(recorder)
}
