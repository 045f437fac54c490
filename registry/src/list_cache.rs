//! The catalogue as served by `GET /v1/widgets`, serialised once and reused.
//!
//! Two kinds of change: a *content* change (an entry added, updated,
//! offline, removed) makes the next request rebuild before answering, so a
//! client reads its own writes; a *heartbeat* change (only `last_seen`
//! moved) and age (a second: changes through other replicas' heartbeats)
//! are served from the old copy while one rebuild runs in the background,
//! so heartbeat traffic never puts a rebuild on a request's path.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;

const MAX_AGE: Duration = Duration::from_secs(1);

#[derive(Clone)]
struct Entry {
    content: u64,
    beats: u64,
    built: Instant,
    body: Bytes,
}

#[derive(Default)]
pub struct ListCache {
    content: AtomicU64,
    beats: AtomicU64,
    slot: RwLock<Option<Entry>>,
    build_lock: tokio::sync::Mutex<()>,
    refreshing: AtomicBool,
}

impl ListCache {
    /// An entry was added, changed or removed: rebuild before the next answer.
    pub fn invalidate(&self) {
        self.content.fetch_add(1, Ordering::AcqRel);
    }

    /// Counts content changes: anything derived from entries is stale once it moves.
    pub fn generation(&self) -> u64 {
        self.content.load(Ordering::Acquire)
    }

    /// Only heartbeat times moved: a slightly old copy may still be served.
    pub fn touch(&self) {
        self.beats.fetch_add(1, Ordering::AcqRel);
    }

    fn current(&self) -> Option<Entry> {
        self.slot.read().expect("list cache lock").clone()
    }

    async fn rebuild<E, F, Fut>(&self, build: &F) -> Result<Bytes, E>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Bytes, E>>,
    {
        let _one_at_a_time = self.build_lock.lock().await;
        let content = self.content.load(Ordering::Acquire);
        let beats = self.beats.load(Ordering::Acquire);
        if let Some(e) = self.current() {
            if e.content == content && e.beats == beats && e.built.elapsed() < MAX_AGE {
                return Ok(e.body);
            }
        }
        let body = build().await?;
        *self.slot.write().expect("list cache lock") = Some(Entry {
            content,
            beats,
            built: Instant::now(),
            body: body.clone(),
        });
        Ok(body)
    }

    /// The body to answer with, built by `build` when needed.
    pub async fn get_or_build<E, F, Fut>(self: &Arc<Self>, build: F) -> Result<Bytes, E>
    where
        E: Send + 'static,
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Bytes, E>> + Send + 'static,
    {
        if let Some(e) = self.current() {
            if e.content == self.content.load(Ordering::Acquire) {
                let fresh =
                    e.beats == self.beats.load(Ordering::Acquire) && e.built.elapsed() < MAX_AGE;
                if !fresh && !self.refreshing.swap(true, Ordering::AcqRel) {
                    let me = self.clone();
                    tokio::spawn(async move {
                        let _ = me.rebuild(&build).await;
                        me.refreshing.store(false, Ordering::Release);
                    });
                }
                return Ok(e.body);
            }
        }
        self.rebuild(&build).await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;

    use super::*;

    fn counting(
        n: Arc<AtomicUsize>,
    ) -> impl Fn() -> std::future::Ready<Result<Bytes, ()>> + Send + Sync + 'static {
        move || {
            let i = n.fetch_add(1, Ordering::SeqCst);
            std::future::ready(Ok(Bytes::from(format!("v{i}"))))
        }
    }

    #[tokio::test]
    async fn content_changes_rebuild_at_once_heartbeats_in_the_background() {
        let cache = Arc::new(ListCache::default());
        let n = Arc::new(AtomicUsize::new(0));
        assert_eq!(cache.get_or_build(counting(n.clone())).await.unwrap(), "v0");
        assert_eq!(
            cache.get_or_build(counting(n.clone())).await.unwrap(),
            "v0",
            "cached"
        );

        cache.invalidate();
        assert_eq!(
            cache.get_or_build(counting(n.clone())).await.unwrap(),
            "v1",
            "a content change is seen at once"
        );

        cache.touch();
        assert_eq!(
            cache.get_or_build(counting(n.clone())).await.unwrap(),
            "v1",
            "heartbeats: old copy served"
        );
        for _ in 0..100 {
            if n.load(Ordering::SeqCst) == 3 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert_eq!(
            cache.get_or_build(counting(n.clone())).await.unwrap(),
            "v2",
            "rebuilt in the background"
        );
    }
}
