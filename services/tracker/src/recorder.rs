//! The one writer: hits from every request are stored together (group
//! commit). A request waits until its hit is committed; whatever arrived
//! meanwhile goes into the next statement, so a burst of hits costs a few
//! statements instead of one each. Readers of the live feed are told the
//! highest committed id.

use std::time::Duration;

use tokio::sync::{mpsc, oneshot, watch};

use crate::hit::{Hit, NewHit};
use crate::store::{Store, StoreError};

/// The most hits in one statement.
pub const MAX_BATCH: usize = 500;
/// Hits waiting to be written before requests wait for room.
const QUEUE: usize = 8192;

type Reply = oneshot::Sender<Result<(), String>>;

#[derive(Clone)]
pub struct Recorder {
    store: Store,
    queue: mpsc::Sender<(NewHit, Reply)>,
    last: watch::Receiver<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("the hit was not stored: {0}")]
    Store(String),
    #[error("the tracker is shutting down")]
    Closed,
}

impl Recorder {
    /// Starts the writer task on `store`.
    pub async fn start(store: Store) -> Result<Recorder, StoreError> {
        let (queue, rx) = mpsc::channel(QUEUE);
        let (tell, last) = watch::channel(store.last_id().await?);
        tokio::spawn(write(store.clone(), rx, tell));
        Ok(Recorder { store, queue, last })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Stores one hit; returns once it is committed.
    pub async fn record(&self, hit: NewHit) -> Result<(), RecordError> {
        let (reply, done) = oneshot::channel();
        self.queue
            .send((hit, reply))
            .await
            .map_err(|_| RecordError::Closed)?;
        done.await
            .map_err(|_| RecordError::Closed)?
            .map_err(RecordError::Store)
    }

    /// The highest committed hit id.
    pub fn last(&self) -> i64 {
        *self.last.borrow()
    }

    /// Told each time hits are committed (the new highest id).
    pub fn watch(&self) -> watch::Receiver<i64> {
        self.last.clone()
    }

    /// Hits after `after` (at most `limit`), waiting up to `wait` for one
    /// when there is none yet.
    pub async fn after(
        &self,
        after: i64,
        limit: i64,
        wait: Duration,
    ) -> Result<Vec<Hit>, StoreError> {
        let mut rx = self.watch();
        if *rx.borrow_and_update() <= after && !wait.is_zero() {
            // Woken by a commit past `after`, or the wait ends with none.
            let _ = tokio::time::timeout(wait, rx.wait_for(|last| *last > after)).await;
        }
        self.store.after(after, limit).await
    }
}

async fn write(store: Store, mut rx: mpsc::Receiver<(NewHit, Reply)>, tell: watch::Sender<i64>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let hits: Vec<NewHit> = batch.iter().map(|(h, _)| h.clone()).collect();
        let outcome = store.insert(&hits).await;
        match &outcome {
            Ok(last) => {
                tell.send_if_modified(|l| {
                    let newer = *last > *l;
                    *l = (*l).max(*last);
                    newer
                });
            }
            Err(e) => tracing::error!(error = %e, hits = hits.len(), "cannot store hits"),
        }
        for (_, reply) in batch.drain(..) {
            let _ = reply.send(outcome.as_ref().map(|_| ()).map_err(|e| e.to_string()));
        }
    }
}
