//! The live-follow stream: `GET /v1/layouts/{id}/watch`, Server-Sent Events.
//!
//! `event: version` (data: [`WatchVersion`], id: the version) is sent first
//! for the current version, then whenever a newer one is saved, on whichever
//! replica; `event: gone` (data: [`WatchGone`]) when the layout is deleted or
//! the caller loses access, and the stream ends.

use super::docs::{IN_THE_BIN, NOT_FOUND, UNAUTHORIZED};
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use super::{layout_id, ApiError, CurrentUser};
use crate::api::{ErrorBody, WatchGone, WatchVersion};
use crate::service::LayoutsState;
use crate::store::User;
use tessera_server_common::changes::EVERYTHING;

/// What a re-read found.
enum Seen {
    Version(WatchVersion),
    Gone(&'static str),
}

async fn look(state: &LayoutsState, user: &User, id: &str) -> crate::Result<Seen> {
    let Some(row) = state.store().layout(id, user.id).await? else {
        return Ok(Seen::Gone("deleted"));
    };
    if row.deleted_at.is_some() {
        return Ok(Seen::Gone("deleted"));
    }
    if row.access == 0 && !user.admin {
        return Ok(Seen::Gone("no_access"));
    }
    let info = state.store().versions(id, row.version + 1, 1).await?.pop();
    Ok(Seen::Version(WatchVersion {
        layout: id.to_owned(),
        version: row.version,
        title: row.title,
        author: info.as_ref().and_then(|i| i.author.clone()),
        message: info.as_ref().and_then(|i| i.message.clone()),
        at: row.updated_at,
    }))
}

fn version_event(v: &WatchVersion) -> Event {
    Event::default()
        .event("version")
        .id(v.version.to_string())
        .json_data(v)
        .expect("watch events serialise")
}

fn gone_event(id: &str, reason: &str) -> Event {
    Event::default()
        .event("gone")
        .json_data(WatchGone {
            layout: id.to_owned(),
            reason: reason.to_owned(),
        })
        .expect("watch events serialise")
}

#[utoipa::path(get, path = "/v1/layouts/{id}/watch", operation_id = "watch_layout", tag = "layouts",
    security(("user_token" = [])), params(("id" = String, Path, description = "Layout id")),
    responses(
        (status = 200, description = "Server-Sent Events: `version` (data: WatchVersion, id: the version), first the current one, then each newer one; `gone` (data: WatchGone) when the layout is deleted or access withdrawn, and the stream ends", content_type = "text/event-stream"),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 404, description = NOT_FOUND, body = ErrorBody),
        (status = 410, description = IN_THE_BIN, body = ErrorBody)))]
pub(super) async fn watch(
    State(state): State<LayoutsState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let id = layout_id(id)?;
    // The usual answer (404 / 410) when the caller may not follow it.
    state.get(&user, &id).await?;
    // Subscribe before the first read, so a save in between is not missed.
    let mut rx = state.hub().subscribe().await;
    let poll = state.settings().watch_poll_interval;
    let stream = async_stream::stream! {
        let mut last = 0_i64;
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + poll, poll);
        loop {
            match look(&state, &user, &id).await {
                Ok(Seen::Version(v)) if v.version > last => {
                    last = v.version;
                    yield Ok(version_event(&v));
                }
                Ok(Seen::Version(_)) => {}
                Ok(Seen::Gone(reason)) => {
                    yield Ok(gone_event(&id, reason));
                    return;
                }
                Err(e) => tracing::warn!(error = %e, layout = %id, "watch could not re-read the layout"),
            }
            // Wait for a poke about this layout, or the poll timer.
            loop {
                tokio::select! {
                    got = rx.recv() => match got {
                        Ok(changed) if &*changed == id.as_str() || &*changed == EVERYTHING => break,
                        Ok(_) => continue,
                        Err(RecvError::Lagged(_)) => break,
                        Err(RecvError::Closed) => return,
                    },
                    _ = tick.tick() => break,
                }
            }
        }
    };
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
