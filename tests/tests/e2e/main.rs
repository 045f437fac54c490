//! End-to-end: the whole product as real processes, the app in a real window.

mod a11y;
mod bus;
mod colleague;
mod components;
mod docking;
mod fdc3_npm;
mod floating;
mod keyboard;
mod links;
mod machines;
mod market;
mod offline;
mod package;
mod popouts;
mod recovery;
mod shell;
mod signin;
mod tracker;
mod viewer;
