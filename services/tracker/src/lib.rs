//! The tracker: the analytics example the original platform asked for, as
//! a widget's own backend. A page loads a 1×1 pixel (`/pixel.gif?page=…`);
//! each load is a hit, stored with its time, page, referrer, user agent and,
//! when it came through Tessera's server, the signed-in user. The tracker
//! widget asks for hits per time bucket over a range (`/hits/histogram`),
//! the top pages (`/hits/pages`) and new hits as they come (`/hits/live`, a
//! long poll, since widget frames get whole responses; `/hits/stream` is
//! the same as Server-Sent Events for other clients).
//!
//! Storage is SQLite by default and Postgres when given a `postgres://` URL,
//! as the server picks its engine. Hits are written by one task in batches
//! (group commit): a pixel is answered once its hit is committed, and many
//! hits arriving together cost one statement.

pub mod hit;
pub mod http;
pub mod params;
pub mod range;
pub mod recorder;
pub mod seed;
pub mod store;
