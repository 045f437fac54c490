//! Background tasks tied to the value that started them.

/// Aborts the task when dropped, so a listener or pump lives exactly as
/// long as the cache or hub that owns it.
#[derive(Debug)]
pub struct AbortOnDrop(pub tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_task_stops_when_its_guard_is_dropped() {
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let guard = AbortOnDrop(tokio::spawn(async move {
            let _keep = tx;
            std::future::pending::<()>().await;
        }));
        drop(guard);
        // The sender goes with the aborted task: the receiver sees it closed.
        assert!(rx.await.is_err());
    }
}
