//! Authentication, behind one extractor: [`CurrentUser`] resolves
//! `Authorization: Bearer <token>` to a user (401 otherwise), in any router
//! whose state holds the [`Accounts`] (`FromRef`). Replacing it (with SSO,
//! say) changes no handler. Resolved tokens are cached briefly; tokens
//! themselves are never logged.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use tessera_server_common::ApiError;

use crate::service::Accounts;
use crate::store::User;
use crate::tokens::hash_token;

pub use tessera_server_common::extract::bearer;

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

/// Resolves the caller's bearer token to a user without charging their rate
/// budget (for reads that come in bursts, such as a widget's files); 401
/// when absent or unknown. [`CurrentUser`] is this plus the per-user limit.
pub async fn authenticate(parts: &Parts, accounts: &Accounts) -> Result<User, ApiError> {
    let token = bearer(&parts.headers).ok_or_else(|| {
        ApiError::Unauthorized("send your user token as 'Authorization: Bearer <token>'".into())
    })?;
    let hash = hash_token(token);
    if let Some(user) = accounts.tokens().get(&hash) {
        return Ok(user);
    }
    // Look-ups that miss the cache are limited per address, so
    // bogus tokens cost one budget (and bounded database work).
    let addr = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    accounts
        .limits()
        .lookup(addr)
        .map_err(ApiError::RateLimited)?;
    let store = accounts.store();
    let user = store
        .user_by_token(&hash)
        .await?
        .ok_or_else(|| ApiError::Unauthorized("the token is not recognised".into()))?;
    store.touch_token(&hash, crate::service::now()).await?;
    accounts.tokens().put(hash, user.clone());
    Ok(user)
}

impl<S> FromRequestParts<S> for CurrentUser
where
    S: Send + Sync,
    Accounts: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let accounts = Accounts::from_ref(state);
        let user = authenticate(parts, &accounts).await?;
        accounts
            .limits()
            .caller(&format!("user:{}", user.id))
            .map_err(ApiError::RateLimited)?;
        Ok(CurrentUser(user))
    }
}
