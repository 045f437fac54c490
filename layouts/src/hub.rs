//! Change notification for the watch streams: which layout may have changed.
//!
//! Local writes poke the hub directly. On Postgres a trigger notifies channel
//! `tessera_layouts` at every commit that touches a layout, whichever replica
//! wrote it; the hub LISTENs (from the first watcher on) and fans the ids out.
//! Watchers re-read the layout when poked, and also poll on a timer: the
//! fallback for SQLite files written by another process, and a safety net.

use std::sync::Arc;
use std::time::Duration;

use tessera_server_common::notify::{self, Heard, Keep};
use tessera_server_common::task::AbortOnDrop;
use tokio::sync::{broadcast, OnceCell};

/// Sent to every watcher after the Postgres listener (re)connects: anything may have changed.
pub const EVERYTHING: &str = "*";

/// How long the first watcher waits for LISTEN to be in place before relying on polling.
const LISTEN_READY_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Hub {
    tx: broadcast::Sender<Arc<str>>,
    notify_url: Option<String>,
    listener: OnceCell<AbortOnDrop>,
}

impl Hub {
    /// A hub; `notify_url` is the Postgres URL to LISTEN on, if any.
    pub fn new(notify_url: Option<String>) -> Hub {
        let (tx, _) = broadcast::channel(1024);
        Hub {
            tx,
            notify_url,
            listener: OnceCell::new(),
        }
    }

    /// The layout `id` may have changed.
    pub fn poke(&self, id: &str) {
        // No receivers is fine: nobody is watching.
        let _ = self.tx.send(Arc::from(id));
    }

    /// Subscribes to pokes, starting the Postgres listener first if there is
    /// one (and waiting until it LISTENs, so a change committed after this
    /// returns is not missed).
    pub async fn subscribe(&self) -> broadcast::Receiver<Arc<str>> {
        if let Some(url) = &self.notify_url {
            self.listener
                .get_or_init(|| async {
                    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
                    let task = tokio::spawn(listen(url.clone(), self.tx.clone(), ready_tx));
                    if tokio::time::timeout(LISTEN_READY_TIMEOUT, ready_rx)
                        .await
                        .is_err()
                    {
                        tracing::warn!(
                            "LISTEN for layout changes is not ready yet; watchers poll meanwhile"
                        );
                    }
                    AbortOnDrop(task)
                })
                .await;
        }
        self.tx.subscribe()
    }
}

async fn listen(
    url: String,
    tx: broadcast::Sender<Arc<str>>,
    ready: tokio::sync::oneshot::Sender<()>,
) {
    let mut ready = Some(ready);
    notify::listen(
        &url,
        crate::store::LAYOUTS_CHANNEL,
        "layout changes",
        |heard| {
            match heard {
                Heard::Listening => {
                    if let Some(r) = ready.take() {
                        let _ = r.send(());
                    }
                    // Whatever happened while we were not listening: everyone re-reads.
                    let _ = tx.send(Arc::from(EVERYTHING));
                }
                Heard::Payload(id) => {
                    let _ = tx.send(Arc::from(id));
                }
                Heard::Lost => {}
            }
            Keep::On
        },
    )
    .await
}
