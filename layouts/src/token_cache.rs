//! Resolved tokens, cached briefly so a busy client costs no database round
//! trip per request, and forgotten at once when revoked.
//!
//! A revocation through this server evicts the entry directly. On Postgres,
//! where several replicas share one database, a trigger sends the revoked
//! token's hash on channel [`TOKENS_CHANNEL`] and every replica's listener
//! evicts it; while a replica's listener is not connected (starting, or
//! reconnecting after the database went away) it trusts no cached entry, so
//! a revocation it could have missed cannot be honoured late. A SQLite file
//! has one server; a revocation made by another process (the CLI) on the
//! file of a running server takes effect when the entry expires (`ttl`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

use crate::store::User;

/// The Postgres channel revoked token hashes are sent on.
pub const TOKENS_CHANNEL: &str = "tessera_tokens";

/// Token hash → user, for `ttl`.
pub struct TokenCache {
    ttl: Duration,
    map: RwLock<HashMap<String, (User, Instant)>>,
    /// Whether cached entries may be used: always without a listener to
    /// wait for; on Postgres only while the listener is connected.
    trusted: AtomicBool,
    notify_url: Option<String>,
    listener: OnceCell<AbortOnDrop>,
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl TokenCache {
    /// A cache; `notify_url` is the Postgres URL to LISTEN for revocations on.
    pub fn new(ttl: Duration, notify_url: Option<String>) -> Arc<TokenCache> {
        Arc::new(TokenCache {
            ttl,
            map: RwLock::new(HashMap::new()),
            trusted: AtomicBool::new(notify_url.is_none()),
            notify_url,
            listener: OnceCell::new(),
        })
    }

    /// The user of a recently resolved token, if it may be trusted.
    pub fn get(self: &Arc<Self>, hash: &str) -> Option<User> {
        self.start_listening();
        if !self.trusted.load(Ordering::Acquire) {
            return None;
        }
        let map = self.map.read().expect("token cache");
        map.get(hash)
            .filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(u, _)| u.clone())
    }

    pub fn put(&self, hash: String, user: User) {
        let mut map = self.map.write().expect("token cache");
        if map.len() > 10_000 {
            map.retain(|_, (_, at)| at.elapsed() < self.ttl);
        }
        map.insert(hash, (user, Instant::now()));
    }

    /// Whether cached entries are used (see the module's notes).
    pub fn trusted(&self) -> bool {
        self.trusted.load(Ordering::Acquire)
    }

    /// Forgets a revoked token.
    pub fn evict(&self, hash: &str) {
        self.map.write().expect("token cache").remove(hash);
    }

    fn set_trusted(&self, trusted: bool) {
        if !trusted {
            self.map.write().expect("token cache").clear();
        }
        self.trusted.store(trusted, Ordering::Release);
    }

    /// Starts the revocation listener once (Postgres only).
    fn start_listening(self: &Arc<Self>) {
        if self.notify_url.is_none() || self.listener.initialized() {
            return;
        }
        let weak = Arc::downgrade(self);
        let url = self.notify_url.clone().expect("checked above");
        let _ = self
            .listener
            .set(AbortOnDrop(tokio::spawn(listen(url, weak))));
    }
}

async fn listen(url: String, cache: std::sync::Weak<TokenCache>) {
    use sqlx::postgres::PgListener;
    loop {
        let listener = async {
            let mut l = PgListener::connect(&url).await?;
            l.listen(TOKENS_CHANNEL).await?;
            Ok::<_, sqlx::Error>(l)
        }
        .await;
        match listener {
            Ok(mut l) => {
                let Some(c) = cache.upgrade() else { return };
                // Revocations missed while not listening: forget everything.
                c.set_trusted(false);
                c.set_trusted(true);
                drop(c);
                tracing::info!("listening for token revocations from every replica");
                while let Ok(n) = l.recv().await {
                    let Some(c) = cache.upgrade() else { return };
                    c.evict(n.payload());
                }
                if let Some(c) = cache.upgrade() {
                    c.set_trusted(false);
                }
                tracing::warn!("token revocation listener lost its connection; reconnecting");
            }
            Err(e) => tracing::warn!(error = %e, "cannot LISTEN for token revocations; retrying"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alice() -> User {
        User {
            id: 1,
            name: "alice".into(),
            admin: false,
        }
    }

    #[tokio::test]
    async fn evicted_and_expired_entries_are_not_served() {
        let cache = TokenCache::new(Duration::from_secs(60), None);
        cache.put("h".into(), alice());
        assert_eq!(cache.get("h"), Some(alice()));
        cache.evict("h");
        assert_eq!(cache.get("h"), None);

        let short = TokenCache::new(Duration::from_millis(1), None);
        short.put("h".into(), alice());
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(short.get("h"), None);
    }

    #[tokio::test]
    async fn nothing_is_trusted_until_the_revocation_listener_is_connected() {
        // Nothing listens on port 9: the listener keeps retrying.
        let cache = TokenCache::new(
            Duration::from_secs(60),
            Some("postgres://nobody@127.0.0.1:9/none".into()),
        );
        cache.put("h".into(), alice());
        assert_eq!(cache.get("h"), None);
    }
}
