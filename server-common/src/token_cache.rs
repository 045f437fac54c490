//! Resolved tokens, cached briefly so a busy client costs no database round
//! trip per request, and (for revocable tokens) forgotten at once when
//! revoked. The one cache behind publisher tokens and user tokens.
//!
//! A revocation through this server evicts the entry directly. On Postgres,
//! where several replicas share one database, a trigger sends the revoked
//! token's hash on a channel and every replica's listener evicts it; while
//! a replica's listener is not connected (starting, or reconnecting after
//! the database went away) it trusts no cached entry, so a revocation it
//! could have missed cannot be honoured late. A SQLite file has one server;
//! a revocation made by another process (the CLI) on the file of a running
//! server takes effect when the entry expires (`ttl`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, RwLock, Weak};
use std::time::{Duration, Instant};

use crate::notify::{self, Heard, Keep};
use crate::task::AbortOnDrop;

/// Above this many entries, expired ones are dropped on the next insert.
const PRUNE_ABOVE: usize = 10_000;

/// Token hash → what the token resolves to (`V`), for `ttl`.
pub struct TokenCache<V> {
    ttl: Duration,
    map: RwLock<HashMap<String, (V, Instant)>>,
    /// Whether cached entries may be used: always without a listener to
    /// wait for; with one, only while it is connected.
    trusted: AtomicBool,
    /// The Postgres URL and channel revoked hashes arrive on.
    revocations: Option<(String, &'static str)>,
    listener: OnceLock<AbortOnDrop>,
}

impl<V: Clone + Send + Sync + 'static> TokenCache<V> {
    /// A cache whose entries only expire (tokens that are never revoked,
    /// or revoked only through this process).
    pub fn new(ttl: Duration) -> Arc<Self> {
        Self::with_revocations(ttl, None, "")
    }

    /// A cache that LISTENs on `channel` at `notify_url` (Postgres) for
    /// revoked token hashes; with `None` it behaves as [`TokenCache::new`].
    pub fn with_revocations(
        ttl: Duration,
        notify_url: Option<String>,
        channel: &'static str,
    ) -> Arc<Self> {
        Arc::new(TokenCache {
            ttl,
            map: RwLock::new(HashMap::new()),
            trusted: AtomicBool::new(notify_url.is_none()),
            revocations: notify_url.map(|url| (url, channel)),
            listener: OnceLock::new(),
        })
    }

    /// What a recently resolved token resolved to, if it may be trusted.
    /// The first call starts the revocation listener (inside a Tokio runtime).
    pub fn get(self: &Arc<Self>, hash: &str) -> Option<V> {
        self.start_listening();
        if !self.trusted() {
            return None;
        }
        let map = self.map.read().expect("token cache");
        map.get(hash)
            .filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(v, _)| v.clone())
    }

    pub fn put(&self, hash: String, value: V) {
        let mut map = self.map.write().expect("token cache");
        if map.len() > PRUNE_ABOVE {
            map.retain(|_, (_, at)| at.elapsed() < self.ttl);
        }
        map.insert(hash, (value, Instant::now()));
    }

    /// Whether cached entries are used (see the module's notes).
    pub fn trusted(&self) -> bool {
        self.trusted.load(Ordering::Acquire)
    }

    /// Forgets a revoked token.
    pub fn evict(&self, hash: &str) {
        self.map.write().expect("token cache").remove(hash);
    }

    /// How many entries are held (expired ones included until pruned).
    pub fn len(&self) -> usize {
        self.map.read().expect("token cache").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn set_trusted(&self, trusted: bool) {
        if !trusted {
            self.map.write().expect("token cache").clear();
        }
        self.trusted.store(trusted, Ordering::Release);
    }

    /// Starts the revocation listener once (Postgres only).
    fn start_listening(self: &Arc<Self>) {
        let Some((url, channel)) = &self.revocations else {
            return;
        };
        self.listener.get_or_init(|| {
            let cache = Arc::downgrade(self);
            let (url, channel) = (url.clone(), *channel);
            AbortOnDrop(tokio::spawn(async move {
                notify::listen(&url, channel, "token revocations", |heard| {
                    follow(&cache, heard)
                })
                .await
            }))
        });
    }
}

/// What the revocation listener does with what it hears.
fn follow<V: Clone + Send + Sync + 'static>(cache: &Weak<TokenCache<V>>, heard: Heard) -> Keep {
    let Some(c) = cache.upgrade() else {
        return Keep::Stop;
    };
    match heard {
        // Revocations missed while not listening: forget everything.
        Heard::Listening => {
            c.set_trusted(false);
            c.set_trusted(true);
        }
        Heard::Payload(hash) => c.evict(hash),
        Heard::Lost => c.set_trusted(false),
    }
    Keep::On
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn evicted_and_expired_entries_are_not_served() {
        let cache = TokenCache::new(Duration::from_secs(60));
        cache.put("h".into(), "alice");
        assert_eq!(cache.get("h"), Some("alice"));
        cache.evict("h");
        assert_eq!(cache.get("h"), None);

        let short = TokenCache::new(Duration::from_millis(1));
        short.put("h".into(), "alice");
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(short.get("h"), None);
    }

    #[tokio::test]
    async fn nothing_is_trusted_until_the_revocation_listener_is_connected() {
        // Nothing listens on port 9: the listener keeps retrying.
        let cache = TokenCache::with_revocations(
            Duration::from_secs(60),
            Some("postgres://nobody@127.0.0.1:9/none".into()),
            "tessera_tokens",
        );
        cache.put("h".into(), "alice");
        assert_eq!(cache.get("h"), None);
    }

    #[tokio::test]
    async fn what_the_listener_hears_evicts_and_distrusts() {
        let cache = TokenCache::with_revocations(
            Duration::from_secs(60),
            Some("postgres://unused".into()),
            "tessera_tokens",
        );
        let weak = Arc::downgrade(&cache);
        assert_eq!(follow(&weak, Heard::Listening), Keep::On);
        assert!(cache.trusted());
        cache.put("a".into(), 1);
        cache.put("b".into(), 2);
        follow(&weak, Heard::Payload("a"));
        assert_eq!(cache.len(), 1);
        follow(&weak, Heard::Lost);
        assert!(!cache.trusted() && cache.is_empty());
        drop(cache);
        assert_eq!(follow(&weak, Heard::Listening), Keep::Stop);
    }
}
