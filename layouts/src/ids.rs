//! Random identifiers: layout ids are `lay_` and 16 characters (96 bits),
//! unguessable so that a 404 tells nothing. (User tokens are the
//! accounts': `tessera_accounts::tokens`.)

use tessera_server_common::secrets::random_b64;

/// A new layout id.
pub fn new_layout_id() -> String {
    format!("lay_{}", random_b64(12))
}

/// A new panel id (clones get fresh ones).
pub fn new_panel_id() -> String {
    format!("p_{}", random_b64(9))
}

pub use crate::links::plausible_layout_id;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_ids_are_random_and_plausible() {
        assert_ne!(new_layout_id(), new_layout_id());
        let id = new_layout_id();
        assert!(plausible_layout_id(&id) && id.len() == 20, "{id}");
        assert!(!plausible_layout_id("../etc"));
    }
}
