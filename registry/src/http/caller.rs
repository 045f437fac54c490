//! The caller of a publisher route: their token, resolved to what it grants.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use tessera_server_common::extract::bearer;

use super::{ApiError, AppState};
use crate::api;
use crate::store::TokenGrant;

/// The caller's token, resolved to what it grants (401 when absent or unknown, 429 over the limit).
pub struct Caller(pub TokenGrant);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers);
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(Caller(state.auth.check(token, addr).await?))
    }
}

impl Caller {
    /// Only the publisher named in the id may change it.
    pub(super) fn must_own(&self, widget_id: &str) -> Result<(), ApiError> {
        let publisher = api::publisher_of(widget_id);
        match &self.0.publisher {
            Some(p) if p == publisher => Ok(()),
            Some(p) => Err(ApiError::Forbidden(format!(
                "the token of publisher {p:?} may not change {widget_id:?}, which belongs to {publisher:?}"
            ))),
            None => Err(ApiError::Forbidden("this token belongs to no publisher".into())),
        }
    }
}
