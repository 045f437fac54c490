//! Test support shared by Tessera's crates.
//!
//! - [`pg`]: a real Postgres server for storage tests: `DATABASE_URL` when it
//!   is set, otherwise a throwaway cluster started with initdb + pg_ctl in a
//!   temporary directory on a free port, stopped and removed when the test
//!   process exits. Each test gets a database of its own.
//! - [`http`]: requests to a router driven in-process, and their JSON bodies.
//! - [`openapi`]: the routes a router serves against those its OpenAPI
//!   document names.
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
pub mod openapi;
pub mod pg;
pub mod proc;

/// Runs each `async fn name(store)` of a storage test module on SQLite and
/// on Postgres: `on_both_engines!(sqlite_builder, postgres_builder; a, b)`
/// generates `sqlite::a`, `postgres::a`, … calling `super::a(builder().await)`.
/// The builders are paths to `async fn`s (e.g. `crate::support::sqlite_store`).
#[macro_export]
macro_rules! on_both_engines {
    ($sqlite:path, $postgres:path; $($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$name($sqlite().await).await;
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$name($postgres().await).await;
            })*
        }
    };
}
