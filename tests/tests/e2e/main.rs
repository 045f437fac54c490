//! End-to-end: the whole product as real processes, the app in a real window.

mod bus;
mod colleague;
mod docking;
mod keyboard;
mod offline;
mod recovery;
mod shell;
mod viewer;
