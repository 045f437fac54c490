//! Tokens: made here, shown once, stored as sha256 hashes; checked on every
//! authenticated request (with a short in-memory cache) and rate limited
//! per token.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use base64::Engine;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sha2::{Digest, Sha256};

use crate::store::{DynStore, StoreError, TokenGrant};

const TOKEN_PREFIX: &str = "tsr_";
const CACHE_TTL: Duration = Duration::from_secs(30);

/// A new random token: `tsr_` and 43 URL-safe characters (256 bits).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS random source works");
    format!(
        "{TOKEN_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// What is stored and looked up: the hex sha256 of the token.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

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
    cache: RwLock<HashMap<String, (TokenGrant, Instant)>>,
    limiter: Option<DefaultKeyedRateLimiter<String>>,
}

impl Authenticator {
    pub fn new(store: DynStore, per_second: u32) -> Self {
        let limiter = NonZeroU32::new(per_second).map(|n| {
            let burst = n.saturating_mul(NonZeroU32::new(2).expect("2 is not zero"));
            RateLimiter::keyed(Quota::per_second(n).allow_burst(burst))
        });
        Authenticator {
            store,
            cache: RwLock::new(HashMap::new()),
            limiter,
        }
    }

    /// Resolves an `Authorization` header value to what the token grants.
    pub async fn check(&self, header: Option<&str>) -> Result<TokenGrant, AuthError> {
        let token = header
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AuthError::Missing)?;
        let hash = hash_token(token);
        if let Some(limiter) = &self.limiter {
            if let Err(not_until) = limiter.check_key(&hash) {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                return Err(AuthError::RateLimited { retry_after: wait });
            }
        }
        if let Some((grant, at)) = self.cache.read().expect("auth cache").get(&hash) {
            if at.elapsed() < CACHE_TTL {
                return Ok(grant.clone());
            }
        }
        let grant = self
            .store
            .token(&hash)
            .await
            .map_err(AuthError::Store)?
            .ok_or(AuthError::Unknown)?;
        self.cache
            .write()
            .expect("auth cache")
            .insert(hash, (grant.clone(), Instant::now()));
        Ok(grant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hash_stably() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert!(a.starts_with("tsr_") && a.len() == 4 + 43, "{a}");
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_eq!(hash_token(&a).len(), 64);
        assert!(
            !hash_token(&a).contains(&a[4..]),
            "the hash does not contain the token"
        );
    }
}
