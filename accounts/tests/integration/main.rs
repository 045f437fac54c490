//! The accounts crate's integration tests: one binary, split by area. Tests
//! that touch storage run against SQLite and a real Postgres (`DATABASE_URL`,
//! or a throwaway cluster the harness starts).

mod support;

mod migrations;
mod openapi;
mod tokens;
mod users;
