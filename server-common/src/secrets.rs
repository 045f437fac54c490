//! Secrets: publisher and user tokens, invitation codes and instance ids are
//! a prefix naming what they are and 43 URL-safe characters (256 random
//! bits); tokens and codes are shown once and stored as their hex sha256.

use base64::Engine;
use sha2::{Digest, Sha256};

/// `bytes` random bytes from the OS, URL-safe base64 without padding.
pub fn random_b64(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the OS random source works");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// A new secret: `prefix` and 256 random bits.
pub fn new_secret(prefix: &str) -> String {
    format!("{prefix}{}", random_b64(32))
}

/// What is stored and looked up for a secret: its hex sha256.
pub fn hash(secret: &str) -> String {
    sha256_hex(secret.as_bytes())
}

/// The lowercase hex sha256 of `bytes` (secrets, widget files).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_hash_stably() {
        let a = new_secret("tsr_");
        assert_ne!(a, new_secret("tsr_"));
        assert!(a.starts_with("tsr_") && a.len() == 4 + 43, "{a}");
        assert_eq!(hash(&a), hash(&a));
        assert_eq!(hash(&a).len(), 64);
        assert!(
            !hash(&a).contains(&a[4..]),
            "the hash does not contain the secret"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
