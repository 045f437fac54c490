//! What operators read: readiness, Prometheus metrics and the status page.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Response};
use tessera_server_common::extract::bearer;

use super::{ApiError, AppState};
use crate::api::WidgetState;

pub(super) async fn readyz(State(state): State<AppState>) -> Result<&'static str, ApiError> {
    state.store.ping().await?;
    Ok("ready")
}

pub(super) async fn metrics(State(state): State<AppState>) -> Result<Response, ApiError> {
    let widgets = state.store.list().await?;
    let online = widgets
        .iter()
        .filter(|w| w.state == WidgetState::Online)
        .count();
    state
        .metrics
        .widgets
        .with_label_values(&["online"])
        .set(online as i64);
    state
        .metrics
        .widgets
        .with_label_values(&["offline"])
        .set((widgets.len() - online) as i64);
    state.metrics.watchers.set(state.hub.watchers());
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response())
}

/// The status page: open on loopback, admin token elsewhere.
pub(super) async fn status_page(
    State(state): State<AppState>,
    connect: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
) -> Result<Html<String>, ApiError> {
    let loopback = connect
        .as_ref()
        .is_some_and(|axum::Extension(ConnectInfo(addr))| addr.ip().is_loopback());
    if !loopback {
        let addr = connect.map(|axum::Extension(ConnectInfo(a))| a.ip());
        let grant = state.auth.check(bearer(&headers), addr).await?;
        if !grant.admin {
            return Err(ApiError::Forbidden(
                "the status page needs an admin token off loopback".into(),
            ));
        }
    }
    let widgets = state.store.list().await?;
    let engine = if state.store.notify_url().is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    Ok(Html(crate::status_page::render(
        &widgets,
        state.hub.watchers(),
        engine,
    )))
}
