//! The wire types of the accounts' routes (`/v1/users…`,
//! `/v1/invitations…`). Always compiled (serde only), so clients share them.
//!
//! ```
//! use tessera_accounts::api::NewUser;
//! let body: NewUser = serde_json::from_str(r#"{"name": "alice"}"#).unwrap();
//! assert!(!body.admin);
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `GET /v1/users/me`, and entries of `GET /v1/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct UserInfo {
    pub name: String,
    pub admin: bool,
    /// Groups the user belongs to.
    #[serde(default)]
    pub groups: Vec<String>,
}

/// `GET /v1/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct UserList {
    pub users: Vec<UserInfo>,
}

/// `POST /v1/users` (admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewUser {
    #[cfg_attr(feature = "server", schema(pattern = "^[a-z0-9][a-z0-9._-]{0,63}$"))]
    pub name: String,
    #[serde(default)]
    pub admin: bool,
}

/// The answer to `POST /v1/users`: the token is shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewUserToken {
    pub name: String,
    pub token: String,
}

/// A group and its members (`GET /v1/users/groups`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct GroupInfo {
    pub name: String,
    pub members: Vec<String>,
}

/// `GET /v1/users/groups`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct GroupList {
    pub groups: Vec<GroupInfo>,
}

/// `POST /v1/users/groups` (admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewGroup {
    #[cfg_attr(feature = "server", schema(pattern = "^[a-z0-9][a-z0-9._-]{0,63}$"))]
    pub name: String,
}

/// One of a user's tokens (`GET /v1/users/{name}/tokens`): never the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TokenInfo {
    /// Names the token for relabelling and revoking (the first 16 hex
    /// digits of its sha256; it does not reveal the token).
    pub id: String,
    /// What the owner calls it, e.g. "work laptop".
    pub label: String,
    pub created_at: DateTime<Utc>,
    /// When a request last brought it (to within about 30 s); never used: null.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Whether this is the token the request was made with.
    pub current: bool,
}

/// `GET /v1/users/{name}/tokens`, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TokenList {
    pub tokens: Vec<TokenInfo>,
}

/// `POST /v1/users/{name}/tokens` and `PATCH /v1/users/{name}/tokens/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TokenLabel {
    /// Up to 100 characters, no control characters.
    #[cfg_attr(
        feature = "server",
        schema(max_length = 100, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$")
    )]
    pub label: String,
}

/// The answer to `POST /v1/users/{name}/tokens`: the token is shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewToken {
    pub id: String,
    pub label: String,
    pub token: String,
}
