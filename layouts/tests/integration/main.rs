//! The layouts crate's integration tests: one binary, split by area. Tests
//! that touch storage run against SQLite and a real Postgres (`DATABASE_URL`,
//! or a throwaway cluster the harness starts).

mod support;

mod client;
mod clone;
mod concurrency;
mod documents;
mod golden;
mod hardening;
mod history;
mod links;
mod migrations;
mod openapi;
mod permissions;
mod pool;
mod properties;
mod watch;
