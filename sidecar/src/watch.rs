//! Watching the widget folder: notify → debounce → a tokio channel. The
//! watcher lives as long as the returned value.

use std::path::Path;
use std::time::Duration;

use notify_debouncer_mini::{new_debouncer, DebounceEventResult, Debouncer};
use tokio::sync::mpsc;

use crate::files::is_private;

pub struct FolderWatcher {
    _debouncer: Debouncer<notify::RecommendedWatcher>,
}

/// Sends `()` on `tx` after each burst of changes to files the widget serves.
pub fn watch(
    dir: &Path,
    debounce: Duration,
    tx: mpsc::UnboundedSender<()>,
) -> notify::Result<FolderWatcher> {
    let root = dir.canonicalize()?;
    let base = root.clone();
    let mut debouncer = new_debouncer(debounce, move |res: DebounceEventResult| match res {
        Ok(events) => {
            let relevant = events.iter().any(|e| {
                let rel = e.path.strip_prefix(&base).unwrap_or(&e.path);
                !rel.components()
                    .any(|c| is_private(&c.as_os_str().to_string_lossy()))
            });
            if relevant {
                let _ = tx.send(());
            }
        }
        Err(e) => tracing::warn!(error = %e, "watching the widget folder failed"),
    })?;
    debouncer
        .watcher()
        .watch(&root, notify::RecursiveMode::Recursive)?;
    Ok(FolderWatcher {
        _debouncer: debouncer,
    })
}
