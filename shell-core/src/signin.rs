//! Signing in: which Tessera server this desktop uses and the user's token
//! there. Settings (the server, recent servers) live in
//! `~/.config/tessera/desktop.toml`; the token in `~/.config/tessera/user.token`
//! (mode 0600, never logged). A sign-in is checked against the server
//! (`GET /v1/users/me`) with a message for each way it can fail.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tessera_layouts::api::UserInfo;
use tessera_registry::report::error_chain;

pub const CONFIG_FILE: &str = "desktop.toml";
pub const TOKEN_FILE: &str = "user.token";
/// Recent servers remembered for the sign-in screen.
const RECENT: usize = 5;

/// `~/.config/tessera` (or `$XDG_CONFIG_HOME/tessera`).
pub fn config_dir(env: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let base = env("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("tessera"))
}

/// The desktop's own settings file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesktopConfig {
    /// The server signed in to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// Servers used before, most recent first.
    #[serde(default)]
    pub recent: Vec<String>,
    /// "Just this computer": `server` is the one this desktop starts
    /// itself ([`crate::local_server`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub local: bool,
}

impl DesktopConfig {
    /// The settings in `dir`; none yet is the default. A broken file is an
    /// error naming it (and is left alone).
    pub fn load(dir: &Path) -> Result<DesktopConfig, String> {
        let path = dir.join(CONFIG_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(DesktopConfig::default()),
            Err(e) => Err(format!("{}: cannot read: {e}", path.display())),
        }
    }

    pub fn save(&self, dir: &Path) -> Result<(), String> {
        let text = toml::to_string(self).map_err(|e| e.to_string())?;
        write_private(&dir.join(CONFIG_FILE), &text, 0o644)
    }

    /// Uses `server` from now on, first among the recent ones.
    pub fn remember(&mut self, server: &str) {
        self.server = Some(server.to_owned());
        self.recent.retain(|s| s != server);
        self.recent.insert(0, server.to_owned());
        self.recent.truncate(RECENT);
    }
}

/// Writes `text` to `path` through a temporary file renamed into place,
/// with permissions `mode` from the start.
fn write_private(path: &Path, text: &str, mode: u32) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let dir = path.parent().ok_or("no folder")?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    let tmp = path.with_extension("tmp");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(&tmp)
        .map_err(|e| format!("{}: cannot write: {e}", tmp.display()))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| format!("{}: cannot write: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: cannot write: {e}", path.display()))
}

/// Keeps the user's token (0600).
pub fn store_token(dir: &Path, token: &str) -> Result<(), String> {
    write_private(&dir.join(TOKEN_FILE), token.trim(), 0o600)
}

/// Forgets the stored token (signing out); none stored is fine.
pub fn forget_token(dir: &Path) -> Result<(), String> {
    match std::fs::remove_file(dir.join(TOKEN_FILE)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove the stored token: {e}")),
    }
}

/// Why a sign-in did not work, in words for the person signing in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    #[error("{0:?} is not a server address: give one like https://tessera.example.com")]
    BadUrl(String),
    #[error("paste your token (an administrator gives you one)")]
    EmptyToken,
    #[error("cannot reach {url}: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("{url} does not look like a Tessera server ({detail})")]
    NotTessera { url: String, detail: String },
    #[error("{url} did not accept this token: check it, or ask an administrator for a new one")]
    WrongToken { url: String },
    #[error(
        "{0:?} is not an invitation link: it looks like tessera://invite/tsi_…?server=https://…"
    )]
    BadInvitation(String),
    #[error("{url} does not know this invitation: check the link, or ask for a new one")]
    UnknownInvitation { url: String },
    #[error("{0}")]
    InvitationGone(String),
}

/// The server and the one-time code an invitation link holds
/// (`tessera://invite/<code>?server=<url>`, as `tessera-server user invite` prints).
pub fn parse_invitation(link: &str) -> Result<(String, String), SignInError> {
    let bad = || SignInError::BadInvitation(link.trim().to_owned());
    let url = url::Url::parse(link.trim()).map_err(|_| bad())?;
    if url.scheme() != "tessera" || url.host_str() != Some("invite") {
        return Err(bad());
    }
    let code = url
        .path_segments()
        .and_then(|mut s| s.next())
        .filter(|c| c.starts_with("tsi_") && c.len() > 10)
        .ok_or_else(bad)?
        .to_owned();
    let server = url
        .query_pairs()
        .find(|(k, _)| k == "server")
        .map(|(_, v)| v.into_owned())
        .ok_or_else(bad)?;
    Ok((normalise_server(&server)?, code))
}

/// Exchanges an invitation's code for a token of the invited user
/// (`POST /v1/invitations/{code}/accept`); returns the token.
pub async fn accept_invitation(
    http: &reqwest::Client,
    server: &str,
    code: &str,
) -> Result<String, SignInError> {
    let mut url = url::Url::parse(server).map_err(|_| SignInError::BadUrl(server.to_owned()))?;
    url.path_segments_mut()
        .map_err(|_| SignInError::BadUrl(server.to_owned()))?
        .pop_if_empty()
        .extend(["v1", "invitations", code, "accept"]);
    let resp = send(http.post(url), server).await?;
    #[derive(Deserialize)]
    struct Answer {
        token: Option<String>,
        message: Option<String>,
    }
    let status = resp.status().as_u16();
    let answer: Option<Answer> = resp.json().await.ok();
    match (status, answer) {
        (200, Some(Answer { token: Some(t), .. })) => Ok(t),
        (404, _) => Err(SignInError::UnknownInvitation {
            url: server.to_owned(),
        }),
        (
            410,
            Some(Answer {
                message: Some(m), ..
            }),
        ) => Err(SignInError::InvitationGone(m)),
        (s, _) => Err(SignInError::NotTessera {
            url: server.to_owned(),
            detail: format!("it answered {s} to the invitation"),
        }),
    }
}

/// A server address as typed: a scheme is added when missing; it must be
/// http(s) with a host. Returned without a trailing slash.
pub fn normalise_server(raw: &str) -> Result<String, SignInError> {
    let raw = raw.trim();
    let with_scheme = if raw.contains("://") {
        raw.to_owned()
    } else {
        format!("https://{raw}")
    };
    let url = url::Url::parse(&with_scheme).map_err(|_| SignInError::BadUrl(raw.to_owned()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(SignInError::BadUrl(raw.to_owned()));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Sends `req` to `server` with the sign-in timeout; no answer is `Unreachable`.
async fn send(
    req: reqwest::RequestBuilder,
    server: &str,
) -> Result<reqwest::Response, SignInError> {
    req.timeout(Duration::from_secs(10))
        .send()
        .await
        .map_err(|e| SignInError::Unreachable {
            url: server.to_owned(),
            detail: error_chain(&e),
        })
}

/// Who `token` is on `server`.
pub async fn check(
    http: &reqwest::Client,
    server: &str,
    token: &str,
) -> Result<UserInfo, SignInError> {
    let token = token.trim();
    if token.is_empty() {
        return Err(SignInError::EmptyToken);
    }
    let server = normalise_server(server)?;
    let url = format!("{server}/v1/users/me");
    let resp = send(http.get(&url).bearer_auth(token), &server).await?;
    let status = resp.status();
    if status.as_u16() == 401 {
        return Err(SignInError::WrongToken { url: server });
    }
    let not_tessera = |detail: String| SignInError::NotTessera {
        url: server.clone(),
        detail,
    };
    if !status.is_success() {
        return Err(not_tessera(format!("it answered {status} to /v1/users/me")));
    }
    resp.json::<UserInfo>()
        .await
        .map_err(|_| not_tessera("its answer to /v1/users/me is not a Tessera user".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_addresses_are_normalised_or_refused() {
        assert_eq!(
            normalise_server("tessera.example.com").unwrap(),
            "https://tessera.example.com"
        );
        assert_eq!(
            normalise_server(" http://127.0.0.1:7410/ ").unwrap(),
            "http://127.0.0.1:7410"
        );
        assert!(matches!(
            normalise_server("ftp://x"),
            Err(SignInError::BadUrl(_))
        ));
        assert!(matches!(
            normalise_server("http://"),
            Err(SignInError::BadUrl(_))
        ));
    }

    #[test]
    fn settings_and_the_token_are_kept_and_the_token_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            DesktopConfig::load(dir.path()).unwrap(),
            DesktopConfig::default()
        );
        let mut c = DesktopConfig::default();
        for s in ["https://a", "https://b", "https://a"] {
            c.remember(s);
        }
        assert_eq!(c.recent, ["https://a", "https://b"]);
        c.save(dir.path()).unwrap();
        assert_eq!(DesktopConfig::load(dir.path()).unwrap(), c);
        store_token(dir.path(), "tsu_secret\n").unwrap();
        let path = dir.path().join(TOKEN_FILE);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "tsu_secret");
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        forget_token(dir.path()).unwrap();
        assert!(!path.exists());
        forget_token(dir.path()).unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "servr = 1").unwrap();
        let e = DesktopConfig::load(dir.path()).unwrap_err();
        assert!(e.contains(CONFIG_FILE) && e.contains("servr"), "{e}");
    }

    #[test]
    fn invitation_links_name_the_server_and_the_code() {
        let (server, code) = parse_invitation(
            "tessera://invite/tsi_abcdefghijkl?server=https%3A%2F%2Ftessera.example.com",
        )
        .unwrap();
        assert_eq!(
            (server.as_str(), code.as_str()),
            ("https://tessera.example.com", "tsi_abcdefghijkl")
        );
        for bad in [
            "https://x/invite/tsi_abcdefghijkl?server=https://x",
            "tessera://invite/tsu_abcdefghijkl?server=https://x",
            "tessera://invite/tsi_abcdefghijkl",
            "nonsense",
        ] {
            assert!(
                matches!(parse_invitation(bad), Err(SignInError::BadInvitation(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_config_dir_follows_xdg() {
        let env = |k: &str| match k {
            "XDG_CONFIG_HOME" => Some("/x".to_owned()),
            "HOME" => Some("/home/u".to_owned()),
            _ => None,
        };
        assert_eq!(config_dir(env).unwrap(), PathBuf::from("/x/tessera"));
        let env = |k: &str| (k == "HOME").then(|| "/home/u".to_owned());
        assert_eq!(
            config_dir(env).unwrap(),
            PathBuf::from("/home/u/.config/tessera")
        );
    }

    /// Against a real server on loopback: each way a sign-in fails says so.
    #[tokio::test]
    async fn each_failure_says_what_went_wrong() {
        let http = reqwest::Client::new();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new()
            .route(
                "/v1/users/me",
                axum::routing::get(|h: axum::http::HeaderMap| async move {
                    if h.get("authorization").and_then(|v| v.to_str().ok())
                        == Some("Bearer tsu_good")
                    {
                        (
                            axum::http::StatusCode::OK,
                            r#"{"name":"alice","admin":false,"groups":["risk"]}"#,
                        )
                    } else {
                        (
                            axum::http::StatusCode::UNAUTHORIZED,
                            r#"{"code":"unauthorized","message":"no"}"#,
                        )
                    }
                }),
            )
            .route(
                "/other/v1/users/me",
                axum::routing::get(|| async { "<html>hello</html>" }),
            );
        tokio::spawn(async move { axum::serve(listener, app).await });

        let me = check(&http, &base, "tsu_good").await.unwrap();
        assert_eq!(
            (me.name.as_str(), me.groups.clone()),
            ("alice", vec!["risk".to_owned()])
        );
        assert!(matches!(
            check(&http, &base, "tsu_bad").await,
            Err(SignInError::WrongToken { .. })
        ));
        assert!(matches!(
            check(&http, &base, "  ").await,
            Err(SignInError::EmptyToken)
        ));
        let e = check(&http, &format!("{base}/other"), "tsu_good")
            .await
            .unwrap_err();
        assert!(matches!(e, SignInError::NotTessera { .. }), "{e}");
        let e = check(&http, &format!("{base}/nothing-here"), "tsu_good")
            .await
            .unwrap_err();
        assert!(e.to_string().contains("404"), "{e}");
        let e = check(&http, "http://127.0.0.1:9", "tsu_good")
            .await
            .unwrap_err();
        assert!(
            e.to_string().starts_with("cannot reach http://127.0.0.1:9"),
            "{e}"
        );
    }
}
