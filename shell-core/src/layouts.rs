//! The shell's client for the server's layout routes (`/v1/layouts`) as the
//! signed-in user: list and search, open, create, save, rename, clone,
//! delete and undelete,
//! sharing, history (versions, diff, restore) and following a layout.

use serde_json::{json, Value};

#[derive(Debug, thiserror::Error)]
pub enum LayoutsError {
    #[error("no user token: set TESSERA_USER_TOKEN or TESSERA_USER_TOKEN_FILE (the embedded registry writes ~/.local/share/tessera/local-user.token)")]
    NoToken,
    #[error("could not reach the layouts service at {url}: {source}")]
    Unreachable {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    /// The server's answer: status, its stable code and message, and the body.
    #[error("{message} ({code}, HTTP {status})")]
    Refused {
        status: u16,
        code: String,
        message: String,
        body: Value,
    },
}

pub struct LayoutsClient {
    base: url::Url,
    http: reqwest::Client,
    token: Option<String>,
}

impl LayoutsClient {
    pub fn new(base: url::Url, http: reqwest::Client, token: Option<String>) -> Self {
        Self { base, http, token }
    }

    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// `base` + `segments` (each percent-encoded, so an id can never climb
    /// out of its path) + `query`.
    fn url(&self, segments: &[&str], query: &[(&str, &str)]) -> url::Url {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .expect("the registry URL is a base")
            .pop_if_empty()
            .extend(segments);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    async fn call(
        &self,
        method: reqwest::Method,
        url: url::Url,
        body: Option<Value>,
    ) -> Result<Value, LayoutsError> {
        let token = self.token.as_deref().ok_or(LayoutsError::NoToken)?;
        let mut req = self.http.request(method, url).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req
            .send()
            .await
            .map_err(|source| LayoutsError::Unreachable {
                url: self.base.to_string(),
                source,
            })?;
        let status = resp.status();
        let value: Value = resp.json().await.unwrap_or(Value::Null);
        if status.is_success() {
            Ok(value)
        } else {
            Err(LayoutsError::Refused {
                status: status.as_u16(),
                code: value["code"].as_str().unwrap_or("error").to_owned(),
                message: value["message"]
                    .as_str()
                    .unwrap_or("the layouts service refused the request")
                    .to_owned(),
                body: value,
            })
        }
    }

    async fn get_json(
        &self,
        segments: &[&str],
        query: &[(&str, &str)],
    ) -> Result<Value, LayoutsError> {
        self.call(reqwest::Method::GET, self.url(segments, query), None)
            .await
    }

    async fn send_json(
        &self,
        method: reqwest::Method,
        segments: &[&str],
        body: Value,
    ) -> Result<Value, LayoutsError> {
        self.call(method, self.url(segments, &[]), Some(body)).await
    }

    /// Layouts the user may open: `scope` is `all`, `mine`, `shared` or
    /// `organisation`; `search` filters by title.
    pub async fn list(&self, scope: &str, search: &str) -> Result<Value, LayoutsError> {
        let mut query = vec![("scope", scope), ("limit", "100")];
        if !search.trim().is_empty() {
            query.push(("q", search.trim()));
        }
        self.get_json(&["v1", "layouts"], &query).await
    }

    pub async fn get(&self, id: &str) -> Result<Value, LayoutsError> {
        self.get_json(&["v1", "layouts", id], &[]).await
    }

    pub async fn create(&self, title: &str, document: Value) -> Result<Value, LayoutsError> {
        self.send_json(
            reqwest::Method::POST,
            &["v1", "layouts"],
            json!({ "title": title, "document": document }),
        )
        .await
    }

    /// Saves a new version on top of `base_version`; a stale base is refused (409).
    pub async fn save(
        &self,
        id: &str,
        base_version: i64,
        document: Value,
        message: Option<&str>,
    ) -> Result<Value, LayoutsError> {
        self.send_json(
            reqwest::Method::PUT,
            &["v1", "layouts", id],
            json!({ "base_version": base_version, "document": document, "message": message }),
        )
        .await
    }

    /// A private copy owned by the user, with `cloned_from` = (id, its version).
    pub async fn clone_layout(&self, id: &str, title: Option<&str>) -> Result<Value, LayoutsError> {
        self.send_json(
            reqwest::Method::POST,
            &["v1", "layouts", id, "clone"],
            json!({ "title": title }),
        )
        .await
    }

    /// Renames as a new version on top of `base_version`.
    pub async fn rename(
        &self,
        id: &str,
        base_version: i64,
        title: &str,
    ) -> Result<Value, LayoutsError> {
        self.send_json(
            reqwest::Method::PATCH,
            &["v1", "layouts", id],
            json!({ "base_version": base_version, "title": title }),
        )
        .await
    }

    /// Moves the layout to the bin (its owner; restorable for 30 days).
    pub async fn delete(&self, id: &str) -> Result<Value, LayoutsError> {
        self.call(
            reqwest::Method::DELETE,
            self.url(&["v1", "layouts", id], &[]),
            None,
        )
        .await
    }

    /// Takes the layout back out of the bin.
    pub async fn undelete(&self, id: &str) -> Result<Value, LayoutsError> {
        let url = self.url(&["v1", "layouts", id, "restore"], &[]);
        self.call(reqwest::Method::POST, url, None).await
    }

    /// The signed-in user's tokens (never the tokens themselves).
    pub async fn tokens(&self) -> Result<Value, LayoutsError> {
        self.get_json(&["v1", "users", "me", "tokens"], &[]).await
    }

    /// A further token for the signed-in user, shown this once.
    pub async fn create_token(&self, label: &str) -> Result<Value, LayoutsError> {
        self.send_json(
            reqwest::Method::POST,
            &["v1", "users", "me", "tokens"],
            json!({ "label": label }),
        )
        .await
    }

    pub async fn label_token(&self, id: &str, label: &str) -> Result<Value, LayoutsError> {
        self.send_json(
            reqwest::Method::PATCH,
            &["v1", "users", "me", "tokens", id],
            json!({ "label": label }),
        )
        .await
    }

    /// Revokes one of the user's tokens: refused by the server from now on.
    pub async fn revoke_token(&self, id: &str) -> Result<Value, LayoutsError> {
        self.call(
            reqwest::Method::DELETE,
            self.url(&["v1", "users", "me", "tokens", id], &[]),
            None,
        )
        .await
    }

    pub async fn sharing(&self, id: &str) -> Result<Value, LayoutsError> {
        self.get_json(&["v1", "layouts", id, "sharing"], &[]).await
    }

    /// Replaces the layout's sharing (`{organisation, users, groups}`); owners only.
    pub async fn set_sharing(&self, id: &str, sharing: Value) -> Result<Value, LayoutsError> {
        self.send_json(
            reqwest::Method::PUT,
            &["v1", "layouts", id, "sharing"],
            sharing,
        )
        .await
    }

    /// The newest versions, newest first.
    pub async fn versions(&self, id: &str) -> Result<Value, LayoutsError> {
        self.get_json(&["v1", "layouts", id, "versions"], &[("limit", "50")])
            .await
    }

    /// Panels added, removed, moved, retitled… from version `from` to `to`.
    pub async fn diff(&self, id: &str, from: i64, to: i64) -> Result<Value, LayoutsError> {
        let (from, to) = (from.to_string(), to.to_string());
        self.get_json(
            &["v1", "layouts", id, "diff"],
            &[("from", &from), ("to", &to)],
        )
        .await
    }

    /// Writes old version `version` again as the version after `base_version`.
    pub async fn restore_version(
        &self,
        id: &str,
        version: i64,
        base_version: i64,
    ) -> Result<Value, LayoutsError> {
        let version = version.to_string();
        self.send_json(
            reqwest::Method::POST,
            &["v1", "layouts", id, "versions", &version, "restore"],
            json!({ "base_version": base_version }),
        )
        .await
    }

    /// Who a layout can be shared with: the user, every user and every group.
    pub async fn directory(&self) -> Result<Value, LayoutsError> {
        let (me, users, groups) = tokio::join!(
            self.get_json(&["v1", "users", "me"], &[]),
            self.get_json(&["v1", "users"], &[]),
            self.get_json(&["v1", "users", "groups"], &[]),
        );
        Ok(json!({ "me": me?, "users": users?["users"], "groups": groups?["groups"] }))
    }
}

/// What following a layout reports.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Follow {
    /// The layout's current version (first the one at connection, then each newer one).
    Version {
        version: i64,
        title: String,
        author: Option<String>,
    },
    /// Deleted, or no longer shared with the user: following stops.
    Gone { reason: String },
    /// The stream broke; reconnecting.
    Lost { error: String },
}

impl LayoutsClient {
    /// Follows a layout's watch stream until it is gone, reconnecting after
    /// errors (each reconnection reports the current version again).
    pub async fn follow(&self, id: &str, mut on: impl FnMut(Follow)) {
        use futures_util::StreamExt;
        let Some(token) = self.token.as_deref() else {
            on(Follow::Gone {
                reason: LayoutsError::NoToken.to_string(),
            });
            return;
        };
        let url = self.url(&["v1", "layouts", id, "watch"], &[]);
        let mut delay = std::time::Duration::from_millis(250);
        loop {
            let resp = self
                .http
                .get(url.clone())
                .bearer_auth(token)
                .timeout(std::time::Duration::from_secs(365 * 24 * 3600))
                .send()
                .await;
            match resp {
                Ok(r) if r.status().as_u16() == 404 => {
                    on(Follow::Gone {
                        reason: "no_access".into(),
                    });
                    return;
                }
                Ok(r) if r.status().is_success() => {
                    delay = std::time::Duration::from_millis(250);
                    let mut events = eventsource_stream::EventStream::new(r.bytes_stream());
                    while let Some(ev) = events.next().await {
                        let Ok(ev) = ev else { break };
                        let data: Value = serde_json::from_str(&ev.data).unwrap_or(Value::Null);
                        match ev.event.as_str() {
                            "version" => on(Follow::Version {
                                version: data["version"].as_i64().unwrap_or(0),
                                title: data["title"].as_str().unwrap_or_default().to_owned(),
                                author: data["author"].as_str().map(str::to_owned),
                            }),
                            "gone" => {
                                on(Follow::Gone {
                                    reason: data["reason"].as_str().unwrap_or("gone").to_owned(),
                                });
                                return;
                            }
                            _ => {}
                        }
                    }
                    on(Follow::Lost {
                        error: "the layout's stream ended".into(),
                    });
                }
                Ok(r) => on(Follow::Lost {
                    error: format!("HTTP {}", r.status()),
                }),
                Err(e) => on(Follow::Lost {
                    error: e.to_string(),
                }),
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(std::time::Duration::from_secs(5));
        }
    }
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
