//! Tokens: made here, shown once, stored as sha256 hashes; checked on every
//! authenticated request (with a short in-memory cache) and rate limited
//! per token.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use tessera_server_common::ratelimit::RateLimits;
use tessera_server_common::secrets;
use tessera_server_common::token_cache::TokenCache;

use crate::store::{DynStore, StoreError, TokenGrant};

const TOKEN_PREFIX: &str = "tsr_";
const CACHE_TTL: Duration = Duration::from_secs(30);

/// A new random token: `tsr_` and 43 URL-safe characters (256 bits).
pub fn new_token() -> String {
    secrets::new_secret(TOKEN_PREFIX)
}

/// What is stored and looked up: the hex sha256 of the token.
pub use tessera_server_common::secrets::hash as hash_token;
/// The lowercase hex sha256 of `bytes` (tokens, widget files).
pub use tessera_server_common::secrets::sha256_hex;

/// Creates a publisher and a first token for it; returns the token (shown once).
pub async fn add_publisher(
    store: &DynStore,
    name: &str,
    label: &str,
) -> Result<String, StoreError> {
    store.create_publisher(name).await?;
    add_token(store, Some(name), false, label).await
}

/// Creates a token; returns it (shown once).
pub async fn add_token(
    store: &DynStore,
    publisher: Option<&str>,
    admin: bool,
    label: &str,
) -> Result<String, StoreError> {
    let token = new_token();
    let grant = TokenGrant {
        publisher: publisher.map(str::to_owned),
        admin,
    };
    store.add_token(&hash_token(&token), &grant, label).await?;
    Ok(token)
}

/// Why a request was refused before reaching its handler.
#[derive(Debug)]
pub enum AuthError {
    Missing,
    Unknown,
    RateLimited { retry_after: Duration },
    Store(StoreError),
}

pub struct Authenticator {
    store: DynStore,
    /// Publisher and admin tokens are never revoked: entries only expire.
    cache: Arc<TokenCache<TokenGrant>>,
    limits: Arc<RateLimits>,
}

impl Authenticator {
    pub fn new(store: DynStore, limits: Arc<RateLimits>) -> Self {
        Authenticator {
            store,
            cache: TokenCache::new(CACHE_TTL),
            limits,
        }
    }

    /// Resolves a bearer token ([`bearer`](tessera_server_common::extract::bearer)
    /// of the request) to what it grants.
    /// Only a token that resolves gets a rate budget of its own; look-ups
    /// that miss the cache are limited per client address (`addr`), so
    /// bogus tokens neither pile up in memory nor escape the limit.
    pub async fn check(
        &self,
        token: Option<&str>,
        addr: Option<IpAddr>,
    ) -> Result<TokenGrant, AuthError> {
        let token = token.ok_or(AuthError::Missing)?;
        let hash = hash_token(token);
        let grant = match self.cache.get(&hash) {
            Some(grant) => grant,
            None => {
                self.limits
                    .lookup(addr)
                    .map_err(|retry_after| AuthError::RateLimited { retry_after })?;
                let grant = self
                    .store
                    .token(&hash)
                    .await
                    .map_err(AuthError::Store)?
                    .ok_or(AuthError::Unknown)?;
                self.cache.put(hash.clone(), grant.clone());
                grant
            }
        };
        self.limits
            .caller(&format!("token:{hash}"))
            .map_err(|retry_after| AuthError::RateLimited { retry_after })?;
        Ok(grant)
    }

    /// How many tokens are cached (for tests: bogus ones never are).
    pub fn cached(&self) -> usize {
        self.cache.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Making and hashing are tested in tessera-server-common; here, that
    /// publisher tokens say what they are.
    #[test]
    fn publisher_tokens_start_tsr() {
        let a = new_token();
        assert!(a.starts_with("tsr_") && a.len() == 4 + 43, "{a}");
        assert_ne!(a, new_token());
    }
}
