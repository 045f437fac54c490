//! The accept loop: HTTP/1 connections with limits, so that slow or idle
//! clients cannot hold the server (issue 14, item 4: 20,110 half-open
//! connections used every file descriptor and `/healthz` stopped answering).
//!
//! - A request's head must arrive within `header_timeout`; the same timer
//!   closes a keep-alive connection idle that long between requests.
//! - A request's body must arrive within `body_timeout` (else 408).
//! - At most `max_connections` are open (never more than the process's file
//!   descriptor limit allows, less a reserve for the database and logs).
//!   When full, a new connection evicts the connection idle the longest,
//!   so a flood of idle connections never locks out a real client; only
//!   when every connection is busy is the newcomer closed at once.
//! - A request head may have at most `MAX_HEADER_FIELDS` fields and
//!   `MAX_HEAD_BYTES` bytes; beyond that it is answered 431 with the error
//!   envelope naming the limit (item 8). hyper's own ceilings sit far above
//!   ours (it answers 431 with an empty body before any of our code runs),
//!   so only a head over `HYPER_MAX_BUF` bytes or `HYPER_MAX_HEADERS` fields
//!   still gets hyper's bare 431.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::response::IntoResponse;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use tessera_server_common::ApiError;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

/// File descriptors kept free for the database pool, logs and the like.
const FD_RESERVE: u64 = 256;

/// The most header fields a request may have.
pub const MAX_HEADER_FIELDS: usize = 100;
/// The most bytes a request's head (request line and fields) may have.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// hyper's ceilings, above ours so that our envelope answers first. The read
/// buffer only grows as bytes arrive, and the header timeout bounds how long
/// a connection may take to send them.
const HYPER_MAX_HEADERS: usize = 1024;
const HYPER_MAX_BUF: usize = 1024 * 1024;

/// Why a request's head is refused, if it is.
fn head_too_large<B>(req: &hyper::Request<B>) -> Option<String> {
    let fields = req.headers().len();
    if fields > MAX_HEADER_FIELDS {
        return Some(format!(
            "the request has {fields} header fields; at most {MAX_HEADER_FIELDS} are taken"
        ));
    }
    // As sent: "name: value\r\n" per field, and the request line (its
    // target measured in place: this runs for every request).
    let uri = req.uri();
    let target = uri.scheme_str().map_or(0, |s| s.len() + 3)
        + uri.authority().map_or(0, |a| a.as_str().len())
        + uri.path_and_query().map_or(1, |p| p.as_str().len());
    let bytes = req.method().as_str().len()
        + target
        + 12
        + req
            .headers()
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + 4)
            .sum::<usize>();
    (bytes > MAX_HEAD_BYTES)
        .then(|| format!("the request's head is {bytes} bytes; at most {MAX_HEAD_BYTES} are taken"))
}

/// How long connections are given, and how many there may be.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnLimits {
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub max_connections: usize,
}

impl Default for ConnLimits {
    fn default() -> Self {
        ConnLimits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            max_connections: 50_000,
        }
    }
}

/// Raises the soft limit on open files to the hard limit and answers how
/// many connections fit under it.
pub fn connection_capacity(wanted: usize) -> usize {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit/setrlimit write and read the struct we own.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 {
                if lim.rlim_cur < lim.rlim_max {
                    let raised = libc::rlimit {
                        rlim_cur: lim.rlim_max,
                        rlim_max: lim.rlim_max,
                    };
                    if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                        lim.rlim_cur = lim.rlim_max;
                    }
                }
                let fit = lim.rlim_cur.saturating_sub(FD_RESERVE).max(16);
                return wanted.min(usize::try_from(fit).unwrap_or(usize::MAX));
            }
        }
    }
    wanted
}

/// One open connection, as the eviction policy sees it.
struct Conn {
    in_flight: AtomicUsize,
    /// Milliseconds since the server started, when the last request ended
    /// (or the connection opened).
    idle_since: AtomicU64,
    close: watch::Sender<bool>,
}

#[derive(Default)]
struct Table {
    next: u64,
    open: HashMap<u64, Arc<Conn>>,
}

/// Serves `router` on `listener` until `shutdown`, then lets open requests
/// finish (in-flight requests get up to `drain` more).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
    drain: Duration,
) -> std::io::Result<()> {
    let capacity = connection_capacity(limits.max_connections);
    tracing::debug!(
        capacity,
        header_timeout_ms = limits.header_timeout.as_millis() as u64,
        "accepting connections"
    );
    let router = router.layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
        limits.body_timeout,
    ));
    let started = Instant::now();
    let table = Arc::new(Mutex::new(Table::default()));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_headers(HYPER_MAX_HEADERS)
        .max_buf_size(HYPER_MAX_BUF);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // EMFILE and friends: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let now_ms = started.elapsed().as_millis() as u64;
        let Some((id, conn, mut closed)) = admit(&table, capacity, now_ms) else {
            tracing::debug!(%peer, "connection refused: every connection is busy");
            drop(stream);
            continue;
        };
        let svc_conn = conn.clone();
        let svc_router = router.clone();
        let service =
            hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                let conn = svc_conn.clone();
                conn.in_flight.fetch_add(1, Ordering::SeqCst);
                let router = svc_router.clone();
                async move {
                    let resp = match head_too_large(&req) {
                        Some(why) => {
                            tracing::debug!(%peer, "{why}");
                            Ok(ApiError::HeadersTooLarge(why).into_response())
                        }
                        None => router.oneshot(req.map(axum::body::Body::new)).await,
                    };
                    conn.in_flight.fetch_sub(1, Ordering::SeqCst);
                    conn.idle_since
                        .store(started.elapsed().as_millis() as u64, Ordering::SeqCst);
                    resp
                }
            });
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let watched = graceful.watch(connection);
        let table = table.clone();
        tokio::spawn(async move {
            tokio::select! {
                r = watched => if let Err(e) = r {
                    tracing::debug!(%peer, error = %e, "connection ended with an error");
                },
                _ = closed.wait_for(|c| *c) => {
                    tracing::debug!(%peer, "idle connection evicted for a new one");
                }
            }
            table.lock().expect("connection table").open.remove(&id);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(drain) => {
            tracing::warn!("connections still open after {drain:?}; stopping anyway");
        }
    }
    Ok(())
}

/// Takes a place in the table for a new connection, evicting the connection
/// idle the longest when full; None when every connection is busy.
fn admit(
    table: &Mutex<Table>,
    capacity: usize,
    now_ms: u64,
) -> Option<(u64, Arc<Conn>, watch::Receiver<bool>)> {
    let mut t = table.lock().expect("connection table");
    if t.open.len() >= capacity {
        let victim = t
            .open
            .iter()
            .filter(|(_, c)| c.in_flight.load(Ordering::SeqCst) == 0)
            .min_by_key(|(_, c)| c.idle_since.load(Ordering::SeqCst))
            .map(|(id, _)| *id)?;
        if let Some(c) = t.open.remove(&victim) {
            let _ = c.close.send(true);
        }
    }
    let (close, closed) = watch::channel(false);
    let conn = Arc::new(Conn {
        in_flight: AtomicUsize::new(0),
        idle_since: AtomicU64::new(now_ms),
        close,
    });
    t.next += 1;
    let id = t.next;
    t.open.insert(id, conn.clone());
    Some((id, conn, closed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_table_evicts_the_longest_idle_and_never_a_busy_one() {
        let table = Mutex::new(Table::default());
        let (a, conn_a, mut closed_a) = admit(&table, 2, 10).unwrap();
        let (_b, conn_b, closed_b) = admit(&table, 2, 20).unwrap();
        // The third evicts a (idle since 10), not b (idle since 20).
        let (_c, _, _) = admit(&table, 2, 30).unwrap();
        assert!(
            *closed_a.borrow_and_update(),
            "the longest idle is told to close"
        );
        assert!(!*closed_b.borrow(), "the newer idle one stays");
        assert!(!table.lock().unwrap().open.contains_key(&a));
        drop(conn_a);
        // Busy connections are never evicted; all busy: the newcomer is refused.
        conn_b.in_flight.store(1, Ordering::SeqCst);
        let t = table.lock().unwrap();
        let c_id = *t
            .open
            .keys()
            .find(|k| t.open[*k].in_flight.load(Ordering::SeqCst) == 0)
            .unwrap();
        t.open[&c_id].in_flight.store(1, Ordering::SeqCst);
        drop(t);
        assert!(
            admit(&table, 2, 40).is_none(),
            "every connection busy: refused"
        );
    }

    #[test]
    fn capacity_stays_under_the_file_limit() {
        let cap = connection_capacity(usize::MAX);
        assert!((16..usize::MAX).contains(&cap), "{cap}");
    }
}
