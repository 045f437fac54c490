//! Watching the widget folder: notify → a quiet period → a tokio channel.
//! The watcher lives as long as the returned value.
//!
//! Only changes count: notify also reports files being opened and closed,
//! and hashing the folder opens every file, so counting those made each
//! re-hash trigger the next, four times a second, forever.

use std::path::Path;
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};
use tokio::sync::mpsc;

use crate::files::is_private;

pub struct FolderWatcher {
    _watcher: notify::RecommendedWatcher,
    quiet: tokio::task::JoinHandle<()>,
}

impl Drop for FolderWatcher {
    fn drop(&mut self) {
        self.quiet.abort();
    }
}

/// Whether `event` changes a file the widget serves: not a read (an open or
/// a close) and not under a private name.
fn changes_served_files(event: &notify::Event, base: &Path) -> bool {
    !matches!(event.kind, EventKind::Access(_))
        && event.paths.iter().any(|p| {
            let rel = p.strip_prefix(base).unwrap_or(p);
            !rel.components()
                .any(|c| is_private(&c.as_os_str().to_string_lossy()))
        })
}

/// Sends `()` on `tx` after each burst of changes to files the widget
/// serves, once the folder has been quiet for `debounce`.
pub fn watch(
    dir: &Path,
    debounce: Duration,
    tx: mpsc::UnboundedSender<()>,
) -> notify::Result<FolderWatcher> {
    let root = dir.canonicalize()?;
    let base = root.clone();
    let (changed_tx, mut changed) = mpsc::unbounded_channel::<()>();
    let mut watcher =
        notify::recommended_watcher(move |res: notify::Result<notify::Event>| match res {
            Ok(event) if changes_served_files(&event, &base) => {
                let _ = changed_tx.send(());
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "watching the widget folder failed"),
        })?;
    watcher.watch(&root, RecursiveMode::Recursive)?;
    let quiet = tokio::spawn(async move {
        while changed.recv().await.is_some() {
            loop {
                match tokio::time::timeout(debounce, changed.recv()).await {
                    Ok(Some(())) => continue,
                    Ok(None) => return,
                    Err(_quiet) => break,
                }
            }
            if tx.send(()).is_err() {
                return;
            }
        }
    });
    Ok(FolderWatcher {
        _watcher: watcher,
        quiet,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn burst_within(rx: &mut mpsc::UnboundedReceiver<()>, wait: Duration) -> bool {
        tokio::time::timeout(wait, rx.recv()).await.is_ok()
    }

    #[tokio::test]
    async fn reading_the_folder_is_not_a_change_and_writing_one_is() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.js"), "one").unwrap();
        let (tx, mut rx) = mpsc::unbounded_channel();
        let _w = watch(dir.path(), Duration::from_millis(100), tx).unwrap();

        // Hashing reads every file: opens and closes only.
        for _ in 0..5 {
            let _ = crate::files::hash_folder(dir.path()).unwrap();
        }
        assert!(
            !burst_within(&mut rx, Duration::from_millis(600)).await,
            "reads alone never count as a change"
        );

        std::fs::write(dir.path().join("a.js"), "two").unwrap();
        assert!(burst_within(&mut rx, Duration::from_secs(5)).await);
        // One burst, one signal; then quiet again.
        assert!(!burst_within(&mut rx, Duration::from_millis(600)).await);

        std::fs::write(dir.path().join("sidecar.toml"), "x").unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        assert!(
            !burst_within(&mut rx, Duration::from_millis(600)).await,
            "private names are not the widget's files"
        );
    }
}
