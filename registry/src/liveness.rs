//! Liveness: heartbeats are answered from memory and written in batches;
//! a sweeper marks silent entries offline and removes them after the grace
//! period. Every replica sweeps; the database decides which one reports.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use chrono::Utc;

use crate::api::{EventKind, WidgetEvent, WidgetState};
use crate::config::ServerConfig;
use crate::hub::Hub;
use crate::store::{Beat, DynStore, StoreError};

pub struct Liveness {
    store: DynStore,
    config: ServerConfig,
    /// Online widgets and the instance keeping each alive.
    live: RwLock<HashMap<String, String>>,
    /// Heartbeats not yet written: widget id → instance.
    pending: Mutex<HashMap<String, String>>,
}

impl Liveness {
    pub fn new(store: DynStore, config: ServerConfig) -> Arc<Liveness> {
        Arc::new(Liveness {
            store,
            config,
            live: RwLock::new(HashMap::new()),
            pending: Mutex::new(HashMap::new()),
        })
    }

    /// Records a heartbeat. `false`: the widget or instance is not (or no
    /// longer) online, and the sidecar should register again.
    pub async fn beat(&self, widget_id: &str, instance: &str) -> Result<bool, StoreError> {
        let known = self
            .live
            .read()
            .expect("liveness lock")
            .get(widget_id)
            .map(|i| i == instance);
        let ok = match known {
            Some(ok) => ok,
            // Registered through another replica, or before this process started.
            None => match self.store.get(widget_id).await {
                Ok(w) if w.state == WidgetState::Online && w.instance == instance => {
                    self.live
                        .write()
                        .expect("liveness lock")
                        .insert(w.id, w.instance);
                    true
                }
                Ok(_) | Err(StoreError::NotFound(_)) => false,
                Err(e) => return Err(e),
            },
        };
        if ok {
            self.pending
                .lock()
                .expect("liveness lock")
                .insert(widget_id.to_owned(), instance.to_owned());
        }
        Ok(ok)
    }

    /// Keeps the in-memory view in step with the catalogue.
    pub fn apply(&self, event: &WidgetEvent) {
        let mut live = self.live.write().expect("liveness lock");
        match (event.kind, &event.widget) {
            (EventKind::Added | EventKind::Updated, Some(w)) if w.state == WidgetState::Online => {
                live.insert(w.id.clone(), w.instance.clone());
            }
            _ => {
                live.remove(&event.widget_id);
            }
        }
    }

    /// Writes buffered heartbeats.
    pub async fn flush(&self) -> Result<usize, StoreError> {
        let beats: Vec<Beat> = std::mem::take(&mut *self.pending.lock().expect("liveness lock"))
            .into_iter()
            .map(|(widget_id, instance)| Beat {
                widget_id,
                instance,
            })
            .collect();
        self.store.record_heartbeats(&beats, Utc::now()).await?;
        Ok(beats.len())
    }

    /// Marks silent entries offline and removes long-offline ones.
    pub async fn sweep(&self) -> Result<usize, StoreError> {
        let now = Utc::now();
        let ttl = chrono::Duration::from_std(self.config.ttl()).unwrap_or(chrono::Duration::MAX);
        let grace =
            chrono::Duration::from_std(self.config.offline_grace).unwrap_or(chrono::Duration::MAX);
        let mut events = self.store.expire(now - ttl, now).await?;
        events.extend(self.store.purge(now - grace, now).await?);
        for e in &events {
            tracing::info!(widget = %e.widget_id, kind = e.kind.as_str(), "liveness changed");
            self.apply(e);
        }
        Ok(events.len())
    }

    /// Flushes, sweeps and follows the hub until the task is dropped.
    pub async fn run(self: Arc<Self>, hub: Arc<Hub>) {
        let mut events = hub.subscribe();
        let mut flush = tokio::time::interval(self.config.flush_every());
        let mut sweep = tokio::time::interval(self.config.sweep_every());
        let mut prune = tokio::time::interval(Duration::from_secs(60));
        for t in [&mut flush, &mut sweep, &mut prune] {
            t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        }
        loop {
            tokio::select! {
                _ = flush.tick() => {
                    match self.flush().await {
                        Ok(0) => {}
                        Ok(_) => hub.list_cache.touch(),
                        Err(e) => tracing::warn!(error = %e, "writing heartbeats failed"),
                    }
                }
                _ = sweep.tick() => {
                    match self.sweep().await {
                        Ok(0) => {}
                        Ok(_) => hub.poke(),
                        Err(e) => tracing::warn!(error = %e, "liveness sweep failed"),
                    }
                }
                _ = prune.tick() => {
                    let before = Utc::now() - chrono::Duration::from_std(self.config.event_retention).unwrap_or(chrono::Duration::MAX);
                    if let Err(e) = self.store.prune_events(before, self.config.event_retention_min).await {
                        tracing::warn!(error = %e, "pruning old events failed");
                    }
                }
                ev = events.recv() => match ev {
                    Ok(e) => self.apply(&e),
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        // Rebuild from the database rather than guess.
                        if let Ok(all) = self.store.list().await {
                            let mut live = self.live.write().expect("liveness lock");
                            live.clear();
                            live.extend(all.into_iter().filter(|w| w.state == WidgetState::Online).map(|w| (w.id, w.instance)));
                        }
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                },
            }
        }
    }
}
