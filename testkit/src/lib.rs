//! Test support shared by Tessera's crates.
//!
//! - [`pg`]: a real Postgres server for storage tests: `DATABASE_URL` when it
//!   is set, otherwise a throwaway cluster started with initdb + pg_ctl in a
//!   temporary directory on a free port, stopped and removed when the test
//!   process exits. Each test gets a database of its own.
//! - [`http`]: requests to a router driven in-process, and their JSON bodies.
//! - [`proc`]: child processes killed on drop, waiting on a line of output
//!   (readiness) rather than on sleeps, and the paths of the workspace binaries.
//!
//! ```no_run
//! # async fn demo() {
//! let url = tessera_testkit::pg::fresh_database().await;
//! assert!(url.starts_with("postgres://"));
//! # }
//! ```

pub mod http;
pub mod pg;
pub mod proc;
