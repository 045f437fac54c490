//! Following a Postgres NOTIFY channel, the one way every part of the
//! server hears what other replicas changed (catalogue events, layout
//! changes, token revocations).
//!
//! [`listen`] keeps one `LISTEN` connection up for as long as it runs:
//! it reconnects a second after losing it, and tells the caller each time
//! it (re)connects, because what was sent meanwhile was missed.

use std::time::Duration;

use sqlx::postgres::PgListener;

/// What a listener is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard<'a> {
    /// `LISTEN` is in place (first time, or again after a loss): whatever
    /// was sent while not listening was missed.
    Listening,
    /// A notification's payload.
    Payload(&'a str),
    /// The connection was lost; notifications are missed until `Listening`.
    Lost,
}

/// Whether to keep listening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    On,
    Stop,
}

/// LISTENs on `channel` at `url` until `heard` says [`Keep::Stop`] (or the
/// task is dropped); `what` names the stream in log lines.
pub async fn listen(
    url: &str,
    channel: &str,
    what: &str,
    mut heard: impl FnMut(Heard<'_>) -> Keep,
) {
    loop {
        match connect(url, channel).await {
            Ok(mut l) => {
                tracing::info!(channel, "listening for {what}");
                if heard(Heard::Listening) == Keep::Stop {
                    return;
                }
                while let Ok(n) = l.recv().await {
                    if heard(Heard::Payload(n.payload())) == Keep::Stop {
                        return;
                    }
                }
                tracing::warn!(
                    channel,
                    "the listener for {what} lost its connection; reconnecting"
                );
                if heard(Heard::Lost) == Keep::Stop {
                    return;
                }
            }
            Err(e) => tracing::warn!(channel, error = %e, "cannot LISTEN for {what}; retrying"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn connect(url: &str, channel: &str) -> Result<PgListener, sqlx::Error> {
    let mut l = PgListener::connect(url).await?;
    l.listen(channel).await?;
    Ok(l)
}
