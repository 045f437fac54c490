//! Users, their tokens, and groups: the functions the `tessera-server` CLI
//! calls, and what `/v1/users…` serves.
//!
//! ```no_run
//! # async fn demo() -> Result<(), tessera_accounts::AccountsError> {
//! let store = tessera_accounts::store::connect("sqlite://tessera.db").await?;
//! let token = tessera_accounts::add_user(&*store, "alice", false).await?;
//! println!("{token}"); // shown once; only its sha256 is stored
//! tessera_accounts::add_group(&*store, "trading").await?;
//! tessera_accounts::add_member(&*store, "trading", "alice").await?;
//! # Ok(()) }
//! ```

use std::path::Path;

use crate::api::{GroupInfo, UserInfo};
use crate::error::{AccountsError, Result};
use crate::service::{now, Accounts};
use crate::store::{AccountStore, User};
use crate::tokens::{hash_token, new_token};

/// The user the embedded default creates, so a newcomer needs no set-up.
pub const LOCAL_USER: &str = "local";

/// User and group names: 1 to 64 of `a-z 0-9 . _ -`, starting with a letter or digit.
pub fn check_name(kind: &str, name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        });
    if ok {
        Ok(())
    } else {
        Err(AccountsError::field(
            "name",
            format!("{kind} name {name:?} must be 1 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit"),
        ))
    }
}

/// Creates a user and a first token; returns the token (shown once, stored as its sha256).
pub async fn add_user(store: &dyn AccountStore, name: &str, admin: bool) -> Result<String> {
    check_name("user", name)?;
    let user = store.create_user(name, admin, now()).await?;
    issue_token(store, &user, "created with the user").await
}

/// A further token for an existing user (e.g. a second machine); returns it.
pub async fn add_user_token(store: &dyn AccountStore, name: &str, label: &str) -> Result<String> {
    let user = store
        .user_named(name)
        .await?
        .ok_or_else(|| AccountsError::NotFound(format!("user {name:?}")))?;
    issue_token(store, &user, label).await
}

pub(crate) async fn issue_token(
    store: &dyn AccountStore,
    user: &User,
    label: &str,
) -> Result<String> {
    let token = new_token();
    store
        .add_token(user.id, &hash_token(&token), label, now())
        .await?;
    Ok(token)
}

/// Prefix of invitation codes (tokens are `tsu_`).
const INVITATION_PREFIX: &str = "tsi_";

/// Invites `name` (created if new, as a non-admin): a one-time code good
/// for `valid_for`, stored as its sha256. Returns the code.
pub async fn invite_user(
    store: &dyn AccountStore,
    name: &str,
    valid_for: chrono::Duration,
) -> Result<String> {
    check_name("user", name)?;
    let user = match store.user_named(name).await? {
        Some(u) => u,
        None => store.create_user(name, false, now()).await?,
    };
    let code = tessera_server_common::secrets::new_secret(INVITATION_PREFIX);
    let at = now();
    store
        .add_invitation(user.id, &hash_token(&code), at, at + valid_for)
        .await?;
    Ok(code)
}

/// Exchanges an invitation code for a new token of its user: once, and
/// only before it expires (410 saying which, otherwise).
pub async fn accept_invitation(store: &dyn AccountStore, code: &str) -> Result<(User, String)> {
    use crate::store::Invitation;
    match store
        .take_invitation(&hash_token(code.trim()), now())
        .await?
    {
        Invitation::Accepted(user) => {
            let token = issue_token(store, &user, "from an invitation").await?;
            Ok((user, token))
        }
        Invitation::Used(at) => Err(AccountsError::Gone(format!(
            "this invitation was used at {}; ask for a new one",
            at.format("%Y-%m-%d %H:%M UTC")
        ))),
        Invitation::Expired(at) => Err(AccountsError::Gone(format!(
            "this invitation expired at {}; ask for a new one",
            at.format("%Y-%m-%d %H:%M UTC")
        ))),
        Invitation::Unknown => Err(AccountsError::NotFound("invitation".into())),
    }
}

/// Creates a group (a department or team).
pub async fn add_group(store: &dyn AccountStore, name: &str) -> Result<()> {
    check_name("group", name)?;
    store.create_group(name, now()).await.map(|_| ())
}

/// Adds a user to a group; `false` when they were a member already.
pub async fn add_member(store: &dyn AccountStore, group: &str, user: &str) -> Result<bool> {
    let gid = store
        .group_named(group)
        .await?
        .ok_or_else(|| AccountsError::NotFound(format!("group {group:?}")))?;
    let u = store
        .user_named(user)
        .await?
        .ok_or_else(|| AccountsError::NotFound(format!("user {user:?}")))?;
    store.add_member(gid, u.id).await
}

/// Makes `token_file` hold a working token of the user [`LOCAL_USER`],
/// creating the user and the token as needed (the file is written 0600).
/// A file that already holds a working token of that user is left alone.
pub async fn ensure_local_user(store: &dyn AccountStore, token_file: &Path) -> Result<()> {
    if let Ok(existing) = std::fs::read_to_string(token_file) {
        if let Some(u) = store.user_by_token(&hash_token(existing.trim())).await? {
            if u.name == LOCAL_USER {
                return Ok(());
            }
        }
    }
    let user = match store.create_user(LOCAL_USER, false, now()).await {
        Ok(u) => u,
        Err(AccountsError::Conflict(_)) => store
            .user_named(LOCAL_USER)
            .await?
            .ok_or_else(|| AccountsError::NotFound(format!("user {LOCAL_USER:?}")))?,
        Err(e) => return Err(e),
    };
    let token = issue_token(
        store,
        &user,
        &format!("token file {}", token_file.display()),
    )
    .await?;
    write_secret(token_file, &token)
}

fn write_secret(path: &Path, secret: &str) -> Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let io = |source| AccountsError::Io {
        path: path.to_owned(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| AccountsError::Io {
            path: dir.to_owned(),
            source,
        })?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    opts.mode(0o600);
    let mut f = opts.open(path).map_err(io)?;
    writeln!(f, "{secret}").map_err(io)
}

impl Accounts {
    /// The caller, with their groups.
    pub async fn me(&self, user: &User) -> Result<UserInfo> {
        Ok(UserInfo {
            name: user.name.clone(),
            admin: user.admin,
            groups: self.store().groups_of(user.id).await?,
        })
    }

    /// Everyone (for share dialogs), with their groups.
    pub async fn users(&self) -> Result<Vec<UserInfo>> {
        let groups = self.store().groups().await?;
        Ok(self
            .store()
            .users()
            .await?
            .into_iter()
            .map(|u| UserInfo {
                groups: groups
                    .iter()
                    .filter(|g| g.members.contains(&u.name))
                    .map(|g| g.name.clone())
                    .collect(),
                name: u.name,
                admin: u.admin,
            })
            .collect())
    }

    pub async fn groups(&self) -> Result<Vec<GroupInfo>> {
        self.store().groups().await
    }

    fn must_be_admin(user: &User, what: &str) -> Result<()> {
        if user.admin {
            Ok(())
        } else {
            Err(AccountsError::Forbidden(format!("only admins may {what}")))
        }
    }

    /// An admin creates a user; returns their first token.
    pub async fn create_user(&self, by: &User, name: &str, admin: bool) -> Result<String> {
        Self::must_be_admin(by, "create users")?;
        let token = add_user(&**self.store(), name, admin).await?;
        tracing::info!(user = name, admin, by = %by.name, "user created");
        Ok(token)
    }

    /// An admin creates a group.
    pub async fn create_group(&self, by: &User, name: &str) -> Result<()> {
        Self::must_be_admin(by, "create groups")?;
        add_group(&**self.store(), name).await?;
        tracing::info!(group = name, by = %by.name, "group created");
        Ok(())
    }

    /// An admin adds a member; `true` when they were not one yet.
    pub async fn add_member(&self, by: &User, group: &str, user: &str) -> Result<bool> {
        Self::must_be_admin(by, "change groups")?;
        add_member(&**self.store(), group, user).await
    }
}
