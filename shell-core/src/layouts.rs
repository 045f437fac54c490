//! The signed-in user's layouts on the server, through the typed client of
//! the layouts crate ([`tessera_layouts::client`]), and where the user's
//! token comes from.

use serde::Serialize;
use tessera_layouts::api::{GroupInfo, UserInfo};
pub use tessera_layouts::client::{ClientError, Follow, LayoutsClient};

/// Who a layout can be shared with: the user, every user and every group.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Directory {
    #[cfg_attr(test, ts(type = "Schemas['UserInfo']"))]
    pub me: UserInfo,
    #[cfg_attr(test, ts(type = "Array<Schemas['UserInfo']>"))]
    pub users: Vec<UserInfo>,
    #[cfg_attr(test, ts(type = "Array<Schemas['GroupInfo']>"))]
    pub groups: Vec<GroupInfo>,
}

/// The sharing dialog's directory, asked of the server in parallel.
pub async fn directory(client: &LayoutsClient) -> Result<Directory, ClientError> {
    let (me, users, groups) = tokio::join!(client.me(), client.users(), client.groups());
    Ok(Directory {
        me: me?,
        users: users?.users,
        groups: groups?.groups,
    })
}

/// The user token: `TESSERA_USER_TOKEN`, else the file named by
/// `TESSERA_USER_TOKEN_FILE`, else the embedded registry's local user file.
pub fn resolve_token(env: impl Fn(&str) -> Option<String>) -> Option<String> {
    if let Some(t) = env("TESSERA_USER_TOKEN").filter(|t| !t.trim().is_empty()) {
        return Some(t.trim().to_owned());
    }
    // Then the token kept at sign-in, then the embedded server's local user.
    let file = env("TESSERA_USER_TOKEN_FILE")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            crate::signin::config_dir(&env)
                .map(|d| d.join(crate::signin::TOKEN_FILE))
                .filter(|p| p.exists())
        })
        .or_else(|| dirs_local_user_token().filter(|p| p.exists()))?;
    std::fs::read_to_string(file)
        .ok()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

fn dirs_local_user_token() -> Option<std::path::PathBuf> {
    let home = std::env::var_os("XDG_DATA_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".local/share"))
        })?;
    Some(home.join("tessera").join("local-user.token"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_comes_from_the_environment_first_then_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t");
        std::fs::write(&file, "tsu_from_file\n").unwrap();
        let path = file.display().to_string();
        let env = |k: &str| match k {
            "TESSERA_USER_TOKEN_FILE" => Some(path.clone()),
            _ => None,
        };
        assert_eq!(resolve_token(env).as_deref(), Some("tsu_from_file"));
        let both = |k: &str| match k {
            "TESSERA_USER_TOKEN" => Some("tsu_env".to_owned()),
            "TESSERA_USER_TOKEN_FILE" => Some(path.clone()),
            _ => None,
        };
        assert_eq!(resolve_token(both).as_deref(), Some("tsu_env"));
    }

    #[test]
    fn the_token_kept_at_sign_in_is_used_when_the_environment_names_none() {
        let dir = tempfile::tempdir().unwrap();
        crate::signin::store_token(&dir.path().join("tessera"), "tsu_signed_in").unwrap();
        let config = dir.path().display().to_string();
        let env = |k: &str| (k == "XDG_CONFIG_HOME").then(|| config.clone());
        assert_eq!(resolve_token(env).as_deref(), Some("tsu_signed_in"));
    }
}
