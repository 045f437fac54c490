//! The registry's integration tests: one binary, split by area.

mod routes;
mod storage;
mod support;
