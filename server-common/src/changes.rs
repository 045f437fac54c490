//! The event hub every part of the server shares: "this may have changed",
//! told to every watcher in this process, whichever replica made the change.
//!
//! Local writes poke it directly. On Postgres the part's trigger (or its
//! writer) notifies a channel at every commit; the hub LISTENs on it from
//! the first subscriber on and fans the payloads out, and after each
//! (re)connect sends [`EVERYTHING`]: what was sent meanwhile was missed.
//! Subscribers also poll on a timer of their own: the fallback for SQLite
//! files written by another process, and a safety net.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{broadcast, OnceCell};

use crate::notify::{self, Heard, Keep};
use crate::task::AbortOnDrop;

/// Sent to every subscriber after the Postgres listener (re)connects:
/// anything may have changed.
pub const EVERYTHING: &str = "*";

/// How long the first subscriber waits for LISTEN to be in place before
/// relying on polling.
const LISTEN_READY_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Changes {
    tx: broadcast::Sender<Arc<str>>,
    /// The Postgres URL and channel to LISTEN on, if any.
    notify: Option<(String, &'static str)>,
    /// What changes, for log lines ("layout changes").
    what: &'static str,
    listener: OnceCell<AbortOnDrop>,
}

impl Changes {
    /// A hub for `what`; with a Postgres `notify_url` it LISTENs on `channel`.
    pub fn new(notify_url: Option<String>, channel: &'static str, what: &'static str) -> Changes {
        let (tx, _) = broadcast::channel(1024);
        Changes {
            tx,
            notify: notify_url.map(|url| (url, channel)),
            what,
            listener: OnceCell::new(),
        }
    }

    /// `key` (a layout id, say; or [`EVERYTHING`]) may have changed.
    pub fn poke(&self, key: &str) {
        // No receivers is fine: nobody is watching.
        let _ = self.tx.send(Arc::from(key));
    }

    /// Subscribes to pokes, starting the Postgres listener first if there is
    /// one (and waiting until it LISTENs, so a change committed after this
    /// returns is not missed).
    pub async fn subscribe(&self) -> broadcast::Receiver<Arc<str>> {
        if let Some((url, channel)) = &self.notify {
            self.listener
                .get_or_init(|| async {
                    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
                    let task = tokio::spawn(listen(
                        url.clone(),
                        channel,
                        self.what,
                        self.tx.clone(),
                        ready_tx,
                    ));
                    if tokio::time::timeout(LISTEN_READY_TIMEOUT, ready_rx)
                        .await
                        .is_err()
                    {
                        tracing::warn!(
                            "LISTEN for {} is not ready yet; watchers poll meanwhile",
                            self.what
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
    channel: &'static str,
    what: &'static str,
    tx: broadcast::Sender<Arc<str>>,
    ready: tokio::sync::oneshot::Sender<()>,
) {
    let mut ready = Some(ready);
    notify::listen(&url, channel, what, |heard| {
        match heard {
            Heard::Listening => {
                if let Some(r) = ready.take() {
                    let _ = r.send(());
                }
                let _ = tx.send(Arc::from(EVERYTHING));
            }
            Heard::Payload(key) => {
                let _ = tx.send(Arc::from(key));
            }
            Heard::Lost => {}
        }
        Keep::On
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pokes_reach_every_subscriber() {
        let hub = Changes::new(None, "unused", "test changes");
        let mut a = hub.subscribe().await;
        let mut b = hub.subscribe().await;
        hub.poke("L1");
        assert_eq!(&*a.recv().await.unwrap(), "L1");
        assert_eq!(&*b.recv().await.unwrap(), "L1");
    }
}
