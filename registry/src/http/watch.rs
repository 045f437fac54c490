//! The catalogue's event stream (Server-Sent Events): history from the
//! database after `Last-Event-ID`, then the hub's live events, gaps filled
//! from the database, and "relist" when the history asked for is gone.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use serde::Deserialize;

use super::{ApiError, AppState};
use crate::api::WidgetEvent;
use crate::extract::QueryParams;

#[derive(Deserialize, utoipa::IntoParams)]
pub(crate) struct WatchQuery {
    /// Resume after this event id (same as the `Last-Event-ID` header).
    since: Option<i64>,
}

fn sse_event(e: &WidgetEvent) -> Event {
    Event::default()
        .id(e.id.to_string())
        .event(e.kind.as_str())
        .json_data(e)
        .expect("events serialise")
}

fn relist_event(at: i64) -> Event {
    Event::default()
        .id(at.to_string())
        .event("relist")
        .data(r#"{"reason":"the events after your Last-Event-ID are no longer kept; list again"}"#)
}

#[utoipa::path(get, path = "/v1/widgets/watch", tag = "widgets", params(WatchQuery,
        ("Last-Event-ID" = Option<i64>, Header, description = "Resume after this event id")),
    responses((status = 200, description = "Server-Sent Events: added, updated, offline, removed (data: WidgetEvent) and relist", content_type = "text/event-stream")))]
pub(crate) async fn watch(
    State(state): State<AppState>,
    QueryParams(q): QueryParams<WatchQuery>,
    headers: HeaderMap,
) -> Result<Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let since = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(q.since);
    // Subscribe before reading history, so nothing falls between the two.
    let mut rx = state.hub.subscribe();
    let (oldest, newest) = state.store.event_bounds().await?;
    let hub = state.hub.clone();
    let store = state.store.clone();
    let stream = async_stream::stream! {
        let _guard = hub.watcher_guard();
        let mut last = match since {
            // History is gone (or the id is from another database): start over.
            Some(s) if s > newest || (oldest > 0 && s < oldest - 1) => {
                yield Ok(relist_event(newest));
                newest
            }
            Some(s) => s,
            None => newest,
        };
        loop {
            // Catch up from the database (history, or after falling behind).
            loop {
                match store.events_after(last, 500).await {
                    Ok(page) if !page.is_empty() => {
                        for e in &page {
                            last = e.id;
                            yield Ok(sse_event(e));
                        }
                    }
                    Ok(_) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, "watch catch-up failed");
                        return;
                    }
                }
            }
            loop {
                match rx.recv().await {
                    Ok(e) if e.id <= last => continue,
                    Ok(e) if e.id == last + 1 || last == 0 => {
                        last = e.id;
                        yield Ok(sse_event(&e));
                    }
                    // A gap: fill it from the database.
                    Ok(_) => break,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => break,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                }
            }
        }
    };
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
