//! The registry's integration tests: one binary, split by area.

mod appd;
mod connections;
mod gateway;
mod layouts;
mod live;
mod openapi;
mod routes;
mod storage;
mod support;
