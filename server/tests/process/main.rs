//! The server as a process: its binary started over real sockets, several
//! replicas on one Postgres, killed while people save.

mod accounts;
mod crash;
mod names;
mod replicas;

// The registry's test builders (registrations, the watch stream's next event).
#[allow(dead_code)]
#[path = "../../../registry/tests/integration/support.rs"]
mod support;
