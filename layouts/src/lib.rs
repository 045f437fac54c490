//! Tessera's layout documents: a tree in golden-layout's vocabulary (`row`,
//! `column`, `stack`, `widget`) plus floating and pop-out panels, with the
//! validation every stored document passes.
//!
//! ```
//! let doc = tessera_layouts::demo_layout();
//! doc.validate().unwrap();
//! assert!(doc.panels().any(|p| p.widget == "tessera.greeting"));
//! ```

mod model;
mod validate;

pub use model::*;
pub use validate::{Limits, ValidationError};

/// The layout a newcomer sees on first start: the example widgets, arranged.
pub fn demo_layout() -> LayoutDocument {
    serde_json::from_str(include_str!("../demo/demo-layout.json"))
        .expect("the bundled demo layout parses")
}
