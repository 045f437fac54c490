//! Authentication, behind one extractor: [`CurrentUser`] resolves
//! `Authorization: Bearer <token>` to a user (401 otherwise). Replacing it
//! (with SSO, say) changes no handler. Resolved tokens are cached briefly;
//! tokens themselves are never logged.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use super::error::ApiError;
use crate::ids::hash_token;
use crate::service::LayoutsState;
use crate::store::User;

/// Token hash → user, for `ttl`.
pub struct TokenCache {
    ttl: Duration,
    map: RwLock<HashMap<String, (User, Instant)>>,
}

impl TokenCache {
    pub fn new(ttl: Duration) -> TokenCache {
        TokenCache {
            ttl,
            map: RwLock::new(HashMap::new()),
        }
    }

    fn get(&self, hash: &str) -> Option<User> {
        let map = self.map.read().expect("token cache");
        map.get(hash)
            .filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(u, _)| u.clone())
    }

    fn put(&self, hash: String, user: User) {
        let mut map = self.map.write().expect("token cache");
        if map.len() > 10_000 {
            map.retain(|_, (_, at)| at.elapsed() < self.ttl);
        }
        map.insert(hash, (user, Instant::now()));
    }
}

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

/// Resolves the caller's bearer token to a user without charging their rate
/// budget (for reads that come in bursts, such as a widget's files); 401
/// when absent or unknown. [`CurrentUser`] is this plus the per-user limit.
pub async fn authenticate(parts: &Parts, state: &LayoutsState) -> Result<User, ApiError> {
    let token = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::Unauthorized(
            "send your user token as 'Authorization: Bearer <token>'",
        ))?;
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
        .ok_or(ApiError::Unauthorized("the token is not recognised"))?;
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
