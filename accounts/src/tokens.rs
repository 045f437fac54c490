//! Tokens people manage: each user lists, labels and revokes their own
//! tokens and creates another (say, for a second computer); admins do it for
//! anyone. A token is shown once, when made; afterwards it is named by its
//! public id ([`crate::store::token_id`]). Revoking one forgets it in every
//! replica's cache at once ([`tessera_server_common::token_cache`]).

use tessera_server_common::secrets;

use crate::api::{NewToken, TokenInfo};
use crate::error::{AccountsError, Result};
use crate::service::Accounts;
use crate::store::{token_id, AccountStore, TokenRow, User};

/// Prefix of user tokens (the registry's publisher tokens start `tsr_`).
pub const TOKEN_PREFIX: &str = "tsu_";

/// A new user token: `tsu_` and 43 URL-safe characters (256 bits), shown
/// once and stored as its hex sha256.
pub fn new_token() -> String {
    secrets::new_secret(TOKEN_PREFIX)
}

/// What is stored and looked up: the hex sha256 of the token.
pub use tessera_server_common::secrets::hash as hash_token;

/// The Postgres channel revoked token hashes are sent on (by the trigger of
/// the token migration), which every replica's token cache LISTENs on.
pub const TOKENS_CHANNEL: &str = "tessera_tokens";

/// Longest token label, in characters.
pub const MAX_LABEL_CHARS: usize = 100;

/// How the routes name the caller instead of their user name.
pub const ME: &str = "me";

/// Checks and trims a token label.
pub fn check_label(label: &str) -> Result<String> {
    let l = label.trim();
    if l.chars().count() > MAX_LABEL_CHARS {
        return Err(AccountsError::field(
            "label",
            format!("is longer than {MAX_LABEL_CHARS} characters"),
        ));
    }
    if l.chars().any(char::is_control) {
        return Err(AccountsError::field("label", "contains control characters"));
    }
    Ok(l.to_owned())
}

async fn user(store: &dyn AccountStore, name: &str) -> Result<User> {
    store
        .user_named(name)
        .await?
        .ok_or_else(|| AccountsError::NotFound(format!("user {name:?}")))
}

/// The tokens of user `name`, newest first (for the CLI).
pub async fn user_tokens(store: &dyn AccountStore, name: &str) -> Result<Vec<TokenRow>> {
    let u = user(store, name).await?;
    store.tokens_of(u.id).await
}

/// Revokes token `id` of user `name` (for the CLI). A server on the same
/// Postgres database forgets it at once; see [`tessera_server_common::token_cache`] for SQLite.
pub async fn revoke_user_token(store: &dyn AccountStore, name: &str, id: &str) -> Result<()> {
    let u = user(store, name).await?;
    store
        .revoke_token(u.id, id)
        .await?
        .map(|_| ())
        .ok_or_else(|| AccountsError::NotFound(format!("token {id:?} of user {name:?}")))
}

impl Accounts {
    /// Whose tokens `name` means: `me` and one's own name are the caller;
    /// anyone else's only for admins.
    async fn token_owner(&self, by: &User, name: &str) -> Result<User> {
        if name == ME || name == by.name {
            return Ok(by.clone());
        }
        if !by.admin {
            return Err(AccountsError::Forbidden(
                "only admins may manage other people's tokens".into(),
            ));
        }
        user(&**self.store(), name).await
    }

    /// The tokens of `name`, marking the one whose hash is `current`.
    pub async fn list_tokens(
        &self,
        by: &User,
        name: &str,
        current: Option<&str>,
    ) -> Result<Vec<TokenInfo>> {
        let owner = self.token_owner(by, name).await?;
        Ok(self
            .store()
            .tokens_of(owner.id)
            .await?
            .into_iter()
            .map(|t| TokenInfo {
                current: current == Some(t.hash.as_str()),
                id: t.id,
                label: t.label,
                created_at: t.created_at,
                last_used_at: t.last_used_at,
            })
            .collect())
    }

    /// A new token for `name`, shown this once.
    pub async fn create_token(&self, by: &User, name: &str, label: &str) -> Result<NewToken> {
        let owner = self.token_owner(by, name).await?;
        let label = check_label(label)?;
        let token = crate::users::issue_token(&**self.store(), &owner, &label).await?;
        let id = token_id(&hash_token(&token)).to_owned();
        tracing::info!(user = %owner.name, token = %id, by = %by.name, "token created");
        Ok(NewToken { id, label, token })
    }

    /// Relabels token `id` of `name`.
    pub async fn label_token(&self, by: &User, name: &str, id: &str, label: &str) -> Result<()> {
        let owner = self.token_owner(by, name).await?;
        let label = check_label(label)?;
        if self.store().label_token(owner.id, id, &label).await? {
            Ok(())
        } else {
            Err(AccountsError::NotFound(format!("token {id:?}")))
        }
    }

    /// Revokes token `id` of `name`: refused from the next request on.
    pub async fn revoke_token(&self, by: &User, name: &str, id: &str) -> Result<()> {
        let owner = self.token_owner(by, name).await?;
        let hash = self
            .store()
            .revoke_token(owner.id, id)
            .await?
            .ok_or_else(|| AccountsError::NotFound(format!("token {id:?}")))?;
        self.tokens().evict(&hash);
        tracing::info!(user = %owner.name, token = %id, by = %by.name, "token revoked");
        Ok(())
    }
}

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
        assert_eq!(token_id(&hash_token(&a)).len(), 16);
    }

    #[test]
    fn labels_are_trimmed_and_bounded() {
        assert_eq!(check_label("  work laptop ").unwrap(), "work laptop");
        let long = "x".repeat(MAX_LABEL_CHARS + 1);
        let err = check_label(&long).unwrap_err().to_string();
        assert!(err.starts_with("label: is longer than 100"), "{err}");
        let err = check_label("a\u{7}b").unwrap_err().to_string();
        assert_eq!(err, "label: contains control characters");
    }
}
