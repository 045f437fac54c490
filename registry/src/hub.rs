//! The catalogue's pump: follows the event table in id order and fans events
//! out to this process's watchers. It wakes on the server's event hub
//! ([`Changes`]: poked after local writes, and by Postgres NOTIFY when
//! another replica writes) and on a slow timer as a safety net.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tessera_server_common::changes::Changes;
use tokio::sync::broadcast;

use crate::api::WidgetEvent;
use crate::store::{DynStore, StoreResult};

/// How many events a slow watcher may fall behind before it must catch up
/// from the database.
const CHANNEL_CAPACITY: usize = 4096;
const PAGE: i64 = 500;

pub struct Hub {
    store: DynStore,
    tx: broadcast::Sender<Arc<WidgetEvent>>,
    /// Id of the last event fanned out.
    cursor: AtomicI64,
    /// Wakes the pump (channel `tessera_widget_events` on Postgres).
    changes: Changes,
    watchers: AtomicI64,
    /// The serialised catalogue; every fanned-out event invalidates it.
    pub list_cache: Arc<crate::list_cache::ListCache>,
}

impl Hub {
    /// A hub starting after the newest stored event.
    pub async fn new(store: DynStore) -> StoreResult<Arc<Hub>> {
        let (_, newest) = store.event_bounds().await?;
        let (tx, _) = broadcast::channel(CHANNEL_CAPACITY);
        let changes = Changes::new(
            store.notify_url().map(str::to_owned),
            crate::store::EVENTS_CHANNEL,
            "catalogue events",
        );
        Ok(Arc::new(Hub {
            store,
            tx,
            cursor: AtomicI64::new(newest),
            changes,
            watchers: AtomicI64::new(0),
            list_cache: Default::default(),
        }))
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<WidgetEvent>> {
        self.tx.subscribe()
    }

    /// Id of the last event fanned out.
    pub fn cursor(&self) -> i64 {
        self.cursor.load(Ordering::Acquire)
    }

    /// There may be new events: look now.
    pub fn poke(&self) {
        self.changes.poke("");
    }

    pub fn store(&self) -> &DynStore {
        &self.store
    }

    pub fn watchers(&self) -> i64 {
        self.watchers.load(Ordering::Relaxed)
    }

    /// Counts a watcher for as long as the guard lives.
    pub fn watcher_guard(self: &Arc<Self>) -> WatcherGuard {
        self.watchers.fetch_add(1, Ordering::Relaxed);
        WatcherGuard(self.clone())
    }

    /// Fans out every stored event after the cursor.
    pub async fn pump_once(&self) -> StoreResult<usize> {
        let mut sent = 0;
        loop {
            let after = self.cursor();
            let events = self.store.events_after(after, PAGE).await?;
            let n = events.len();
            if n > 0 {
                self.list_cache.invalidate();
            }
            for e in events {
                self.cursor.store(e.id, Ordering::Release);
                // No receivers is fine: nobody is watching.
                let _ = self.tx.send(Arc::new(e));
            }
            sent += n;
            if (n as i64) < PAGE {
                return Ok(sent);
            }
        }
    }

    /// Runs the pump until the task is dropped. On Postgres it LISTENs
    /// for other replicas' events from the start (and catches up whenever
    /// that connection comes back).
    pub async fn run(self: Arc<Self>) {
        let mut wake = self.changes.subscribe().await;
        loop {
            if let Err(e) = self.pump_once().await {
                tracing::warn!(error = %e, "reading catalogue events failed; retrying");
            }
            let _ = tokio::time::timeout(Duration::from_secs(1), wake.recv()).await;
            // One pump reads everything new: the pokes queued meanwhile are one.
            wake = wake.resubscribe();
        }
    }
}

pub struct WatcherGuard(Arc<Hub>);

impl Drop for WatcherGuard {
    fn drop(&mut self) {
        self.0.watchers.fetch_sub(1, Ordering::Relaxed);
    }
}
