//! Authentication, behind one extractor: [`CurrentUser`] resolves
//! `Authorization: Bearer <token>` to a user (401 otherwise). Replacing it
//! (with SSO, say) changes no handler. Resolved tokens are cached briefly;
//! tokens themselves are never logged.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::http::ApiError;
use crate::ids::hash_token;
use crate::service::LayoutsState;
use crate::store::User;

pub use tessera_server_common::extract::bearer;

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

/// Resolves the caller's bearer token to a user without charging their rate
/// budget (for reads that come in bursts, such as a widget's files); 401
/// when absent or unknown. [`CurrentUser`] is this plus the per-user limit.
pub async fn authenticate(parts: &Parts, state: &LayoutsState) -> Result<User, ApiError> {
    let token = bearer(&parts.headers).ok_or_else(|| {
        ApiError::Unauthorized("send your user token as 'Authorization: Bearer <token>'".into())
    })?;
    let hash = hash_token(token);
    if let Some(user) = state.tokens().get(&hash) {
        return Ok(user);
    }
    // Look-ups that miss the cache are limited per address, so
    // bogus tokens cost one budget (and bounded database work).
    let addr = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    state.limits().lookup(addr).map_err(ApiError::RateLimited)?;
    let user = state
        .store()
        .user_by_token(&hash)
        .await?
        .ok_or_else(|| ApiError::Unauthorized("the token is not recognised".into()))?;
    state
        .store()
        .touch_token(&hash, crate::service::now())
        .await?;
    state.tokens().put(hash, user.clone());
    Ok(user)
}

impl FromRequestParts<LayoutsState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &LayoutsState) -> Result<Self, ApiError> {
        let user = authenticate(parts, state).await?;
        state
            .limits()
            .caller(&format!("user:{}", user.id))
            .map_err(ApiError::RateLimited)?;
        Ok(CurrentUser(user))
    }
}
