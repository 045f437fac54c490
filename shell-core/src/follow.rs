//! Keeps the catalogue live: list, then follow the registry's watch stream
//! from the list's event id; on "relist", a broken stream or an unreachable
//! registry, back off and start over. Every change is handed to `on_change`
//! with the whole catalogue.

use std::time::Duration;

use tokio::time::Instant;

use futures_util::StreamExt;
use tessera_registry::api::Widget;
use tessera_registry::client::WatchItem;

use super::catalogue::Catalogue;

/// What the shell shows about the registry connection.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum Link {
    Live {
        #[cfg_attr(test, ts(type = "Array<Schemas['Widget']>"))]
        widgets: Vec<Widget>,
    },
    Down {
        error: String,
    },
}

/// Runs until the task is dropped.
pub async fn follow(catalogue: &Catalogue, mut on_change: impl FnMut(Link)) {
    let mut delay = Duration::from_millis(200);
    loop {
        match catalogue.refresh().await {
            Ok((widgets, since)) => {
                on_change(Link::Live { widgets });
                match catalogue.client().watch(Some(since)).await {
                    Ok(stream) => {
                        delay = Duration::from_millis(200);
                        // The whole catalogue goes to the page on a change:
                        // a burst of events (a thousand registrations at
                        // once) is one change, not a thousand.
                        in_bursts(
                            stream,
                            BURST_WINDOW,
                            |item| match item {
                                Ok(WatchItem::Event(e)) => {
                                    catalogue.apply(&e);
                                    true
                                }
                                Ok(WatchItem::Relist) => false,
                                Err(e) => {
                                    tracing::warn!(error = %e, "registry watch stream broke");
                                    false
                                }
                            },
                            || {
                                on_change(Link::Live {
                                    widgets: catalogue.snapshot(),
                                })
                            },
                        )
                        .await;
                    }
                    Err(e) => on_change(Link::Down {
                        error: e.to_string(),
                    }),
                }
            }
            Err(e) => on_change(Link::Down {
                error: e.to_string(),
            }),
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(5));
    }
}

/// How long a burst of catalogue events is gathered into one change.
pub const BURST_WINDOW: Duration = Duration::from_millis(100);

/// Feeds `stream`'s items to `apply` (which says whether to go on) and
/// calls `changed` after them: at once for the first item after a quiet
/// spell, then at most once per `window` while a burst lasts, and once more
/// when it is over. Returns when the stream ends or `apply` says stop.
pub async fn in_bursts<T>(
    stream: impl futures_util::Stream<Item = T>,
    window: Duration,
    mut apply: impl FnMut(T) -> bool,
    mut changed: impl FnMut(),
) {
    let mut stream = std::pin::pin!(stream);
    let mut last: Option<Instant> = None;
    let mut pending = false;
    loop {
        let next = if pending {
            match tokio::time::timeout(window, stream.next()).await {
                Ok(next) => next,
                Err(_) => {
                    changed();
                    last = Some(Instant::now());
                    pending = false;
                    continue;
                }
            }
        } else {
            stream.next().await
        };
        let Some(item) = next else { break };
        if !apply(item) {
            break;
        }
        if last.is_none_or(|t| t.elapsed() >= window) {
            changed();
            last = Some(Instant::now());
            pending = false;
        } else {
            pending = true;
        }
    }
    if pending {
        changed();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[tokio::test(start_paused = true)]
    async fn a_burst_is_one_change_and_a_lone_event_shows_at_once() {
        // A thousand events at once: the first shows, the rest make one more change.
        let applied = Cell::new(0);
        let changes = Cell::new(0);
        in_bursts(
            futures_util::stream::iter(0..1000),
            BURST_WINDOW,
            |_| {
                applied.set(applied.get() + 1);
                true
            },
            || changes.set(changes.get() + 1),
        )
        .await;
        assert_eq!((applied.get(), changes.get()), (1000, 2));

        // Events a second apart: each is its own change, none delayed.
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<u32>();
        let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let sender = async move {
            for i in 0..3 {
                tx.send(i).unwrap();
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        };
        let start = Instant::now();
        let last_item = Cell::new(0);
        let follower = in_bursts(
            tokio_stream_of(rx),
            BURST_WINDOW,
            |i| {
                last_item.set(i);
                true
            },
            || seen.borrow_mut().push((last_item.get(), start.elapsed())),
        );
        tokio::join!(sender, follower);
        let seen = seen.borrow();
        assert_eq!(seen.len(), 3, "{seen:?}");
        for (i, (item, at)) in seen.iter().enumerate() {
            assert_eq!(*item as usize, i);
            assert_eq!(at.as_secs(), i as u64, "shown when it came: {seen:?}");
        }
    }

    fn tokio_stream_of<T>(
        mut rx: tokio::sync::mpsc::UnboundedReceiver<T>,
    ) -> impl futures_util::Stream<Item = T> {
        futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
    }

    #[tokio::test]
    async fn apply_saying_stop_ends_it() {
        let changes = Cell::new(0);
        in_bursts(
            futures_util::stream::iter([1, 2, 3]),
            BURST_WINDOW,
            |i| i < 2,
            || changes.set(changes.get() + 1),
        )
        .await;
        assert_eq!(changes.get(), 1, "the first item only");
    }
}
