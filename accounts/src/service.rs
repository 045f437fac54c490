//! [`Accounts`]: what every signed-in route shares — the store, the cache of
//! resolved tokens (forgotten at once when revoked, on every replica), and
//! the server's rate limits. Cheap to clone; the layouts service and the
//! registry's gateway hold the same one.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use tessera_server_common::ratelimit::RateLimits;
use tessera_server_common::token_cache::TokenCache;

use crate::store::{DynAccountStore, User};

/// How long a resolved token is trusted before it is looked up again, by
/// default (revocations are honoured at once regardless: see
/// [`tessera_server_common::token_cache`]).
pub const TOKEN_CACHE_TTL: Duration = Duration::from_secs(30);

/// The accounts' store, token cache and rate limits.
#[derive(Clone)]
pub struct Accounts {
    inner: Arc<Inner>,
}

struct Inner {
    store: DynAccountStore,
    tokens: Arc<TokenCache<User>>,
    /// The server's limits once shared ([`Accounts::share_rate_limits`]);
    /// unlimited until then.
    limits: OnceLock<Arc<RateLimits>>,
    unlimited: RateLimits,
}

impl Accounts {
    /// The accounts of a store opened with [`crate::store::open`], caching
    /// resolved tokens for [`TOKEN_CACHE_TTL`].
    pub fn new(store: DynAccountStore) -> Accounts {
        Accounts::with_token_ttl(store, TOKEN_CACHE_TTL)
    }

    pub fn with_token_ttl(store: DynAccountStore, ttl: Duration) -> Accounts {
        Accounts {
            inner: Arc::new(Inner {
                tokens: TokenCache::with_revocations(
                    ttl,
                    store.notify_url().map(str::to_owned),
                    crate::tokens::TOKENS_CHANNEL,
                ),
                store,
                limits: OnceLock::new(),
                unlimited: RateLimits::new(0),
            }),
        }
    }

    /// Charges sign-ins and signed-in callers to the server's rate limits
    /// (unlimited until this is called). The first call wins: the server
    /// calls it once, as it starts, for every holder of these accounts.
    pub fn share_rate_limits(&self, limits: Arc<RateLimits>) {
        let _ = self.inner.limits.set(limits);
    }

    pub(crate) fn limits(&self) -> &RateLimits {
        self.inner.limits.get().map_or(&self.inner.unlimited, |l| l)
    }

    pub fn store(&self) -> &DynAccountStore {
        &self.inner.store
    }

    pub(crate) fn tokens(&self) -> &Arc<TokenCache<User>> {
        &self.inner.tokens
    }

    /// Whether resolved tokens are served from the cache (on Postgres only
    /// while the revocation listener is connected). For tests and status.
    pub fn trusts_cached_tokens(&self) -> bool {
        self.inner.tokens.trusted()
    }
}

/// Now, to the microsecond: what Postgres keeps, so both engines store the same instant.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
