//! Keeping the registry's entry true: register, heartbeat on the registry's
//! schedule, register again when told (404) or when the files change, and
//! ride out registry outages with jittered exponential backoff, logging once
//! per change of state and never giving up.

use std::future::Future;
use std::time::Duration;

use tessera_registry::api::{Registered, WidgetRegistration};
use tessera_registry::client::{ClientError, RegistryClient};
use tokio::sync::watch;

/// Exponential backoff from 100 ms to a cap, with ±25 % jitter so a fleet of
/// sidecars does not stampede a registry that comes back.
pub struct Backoff {
    next: Duration,
    cap: Duration,
}

impl Backoff {
    const START: Duration = Duration::from_millis(100);

    pub fn new(cap: Duration) -> Self {
        Backoff {
            next: Self::START,
            cap,
        }
    }

    pub fn reset(&mut self) {
        self.next = Self::START;
    }

    pub fn next_delay(&mut self) -> Duration {
        let base = self.next;
        self.next = (self.next * 2).min(self.cap);
        let mut b = [0u8; 2];
        let _ = getrandom::fill(&mut b);
        let unit = u16::from_le_bytes(b) as f64 / u16::MAX as f64; // 0..=1
        base.mul_f64(0.75 + unit * 0.5)
    }
}

/// Why the agent stopped before it was asked to.
#[derive(Debug, thiserror::Error)]
#[error("the registry refused {id}: {source}")]
pub struct Refused {
    pub id: String,
    #[source]
    pub source: ClientError,
}

fn is_refusal(e: &ClientError) -> bool {
    e.status()
        .is_some_and(|s| s.is_client_error() && s.as_u16() != 404 && s.as_u16() != 429)
}

/// Runs until `shutdown` resolves; returns the instance that holds the entry
/// then (to deregister), or `Refused` when the first registration is refused
/// (bad token, another publisher's id, a tag in use): retrying cannot help.
pub async fn run(
    client: &RegistryClient,
    mut regs: watch::Receiver<WidgetRegistration>,
    mut on_registered: impl FnMut(&Registered),
    shutdown: impl Future<Output = ()>,
) -> Result<Option<String>, Refused> {
    tokio::pin!(shutdown);
    let mut held: Option<(String, Duration)> = None;
    let mut dirty = true;
    let mut ever_registered = false;
    let mut reachable = true;
    let mut backoff = Backoff::new(Duration::from_secs(5));
    let mut interval = Duration::from_secs(5);

    let went_down = |reachable: &mut bool, e: &ClientError| {
        if std::mem::replace(reachable, false) {
            tracing::warn!(error = %e, "registry unreachable; retrying with backoff");
        }
    };
    let came_back = |reachable: &mut bool| {
        if !std::mem::replace(reachable, true) {
            tracing::info!("registry reachable again");
        }
    };

    loop {
        if dirty || held.is_none() {
            let reg = regs.borrow_and_update().clone();
            // A registry that hangs must not hold up shutdown.
            let answer = tokio::select! {
                a = client.register(&reg) => a,
                () = &mut shutdown => return Ok(held.map(|(i, _)| i)),
            };
            match answer {
                Ok(r) => {
                    came_back(&mut reachable);
                    backoff.reset();
                    interval = Duration::from_millis(r.heartbeat.interval_ms.max(10));
                    held = Some((r.instance.clone(), interval));
                    dirty = false;
                    ever_registered = true;
                    on_registered(&r);
                    continue;
                }
                Err(e) if is_refusal(&e) => {
                    if !ever_registered {
                        return Err(Refused {
                            id: reg.id,
                            source: e,
                        });
                    }
                    // Keep the entry we have; wait for the next change.
                    tracing::error!(error = %e, "the registry refused the new revision; keeping the current one");
                    dirty = false;
                    if held.is_none() {
                        tokio::select! {
                            _ = regs.changed() => dirty = true,
                            () = &mut shutdown => return Ok(None),
                        }
                    }
                    continue;
                }
                Err(e) => {
                    went_down(&mut reachable, &e);
                    tokio::select! {
                        () = tokio::time::sleep(backoff.next_delay()) => {}
                        () = &mut shutdown => return Ok(held.map(|(i, _)| i)),
                    }
                    continue;
                }
            }
        }

        let (instance, _) = held.clone().expect("registered above");
        let wait = if reachable {
            interval
        } else {
            backoff.next_delay().min(interval)
        };
        tokio::select! {
            () = tokio::time::sleep(wait) => {
                let id = reg_id(&regs);
                let answer = tokio::select! {
                    a = client.heartbeat(&id, &instance) => a,
                    () = &mut shutdown => return Ok(Some(instance)),
                };
                match answer {
                    Ok(s) => {
                        came_back(&mut reachable);
                        backoff.reset();
                        interval = Duration::from_millis(s.interval_ms.max(10));
                    }
                    Err(e) if e.status().is_some_and(|s| s.as_u16() == 404) => {
                        came_back(&mut reachable);
                        tracing::info!("the registry no longer knows this instance; registering again");
                        held = None;
                    }
                    Err(e) => went_down(&mut reachable, &e),
                }
            }
            changed = regs.changed() => {
                if changed.is_ok() {
                    dirty = true;
                }
            }
            () = &mut shutdown => return Ok(Some(instance)),
        }
    }
}

fn reg_id(regs: &watch::Receiver<WidgetRegistration>) -> String {
    regs.borrow().id.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_its_cap_with_jitter() {
        let mut b = Backoff::new(Duration::from_secs(1));
        let delays: Vec<Duration> = (0..8).map(|_| b.next_delay()).collect();
        assert!(delays[0] >= Duration::from_millis(75) && delays[0] <= Duration::from_millis(125));
        assert!(
            delays[7] >= Duration::from_millis(750) && delays[7] <= Duration::from_millis(1250)
        );
        b.reset();
        assert!(b.next_delay() <= Duration::from_millis(125));
    }
}
