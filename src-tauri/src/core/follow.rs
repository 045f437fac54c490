//! Keeps the catalogue live: list, then follow the registry's watch stream
//! from the list's event id; on "relist", a broken stream or an unreachable
//! registry, back off and start over. Every change is handed to `on_change`
//! with the whole catalogue.

use std::time::Duration;

use futures_util::StreamExt;
use tessera_registry::api::Widget;
use tessera_registry::client::WatchItem;

use super::catalogue::Catalogue;

/// What the shell shows about the registry connection.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum Link {
    Live { widgets: Vec<Widget> },
    Down { error: String },
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
                        let mut stream = Box::pin(stream);
                        while let Some(item) = stream.next().await {
                            match item {
                                Ok(WatchItem::Event(e)) => {
                                    catalogue.apply(&e);
                                    on_change(Link::Live {
                                        widgets: catalogue.snapshot(),
                                    });
                                }
                                Ok(WatchItem::Relist) => break,
                                Err(e) => {
                                    tracing::warn!(error = %e, "registry watch stream broke");
                                    break;
                                }
                            }
                        }
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
