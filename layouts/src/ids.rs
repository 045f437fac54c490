//! Random identifiers and user tokens.
//!
//! Tokens are `tsu_` and 43 URL-safe characters (256 bits), shown once and
//! stored as their hex sha256; layout ids are `lay_` and 16 characters (96
//! bits), unguessable so that a 404 tells nothing.

use tessera_server_common::secrets::{self, random_b64};

/// Prefix of user tokens (the registry's publisher tokens start `tsr_`).
pub const TOKEN_PREFIX: &str = "tsu_";

/// A new user token.
pub fn new_token() -> String {
    secrets::new_secret(TOKEN_PREFIX)
}

/// What is stored and looked up: the hex sha256 of the token.
pub use tessera_server_common::secrets::hash as hash_token;

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
    fn tokens_are_long_random_and_hash_stably() {
        let a = new_token();
        assert_ne!(a, new_token());
        assert!(a.starts_with("tsu_") && a.len() == 4 + 43, "{a}");
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_eq!(hash_token(&a).len(), 64);
        let id = new_layout_id();
        assert!(plausible_layout_id(&id) && id.len() == 20, "{id}");
        assert!(!plausible_layout_id("../etc"));
    }
}
