//! The shell's client for the server's layout routes (`/v1/layouts`): list,
//! open, create and save, as the signed-in user.

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

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, LayoutsError> {
        let token = self.token.as_deref().ok_or(LayoutsError::NoToken)?;
        let url = self.base.join(path).expect("static layout paths join");
        let mut req = self.http.request(method, url.clone()).bearer_auth(token);
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

    /// Layouts the user may open: `scope` is `all`, `mine`, `shared` or `organisation`.
    pub async fn list(&self, scope: &str) -> Result<Value, LayoutsError> {
        self.call(
            reqwest::Method::GET,
            &format!("v1/layouts?scope={scope}&limit=100"),
            None,
        )
        .await
    }

    pub async fn get(&self, id: &str) -> Result<Value, LayoutsError> {
        self.call(reqwest::Method::GET, &format!("v1/layouts/{id}"), None)
            .await
    }

    pub async fn create(&self, title: &str, document: Value) -> Result<Value, LayoutsError> {
        self.call(
            reqwest::Method::POST,
            "v1/layouts",
            Some(json!({ "title": title, "document": document })),
        )
        .await
    }

    /// Saves a new version on top of `base_version`; a stale base is refused (409).
    pub async fn save(
        &self,
        id: &str,
        base_version: i64,
        document: Value,
    ) -> Result<Value, LayoutsError> {
        self.call(
            reqwest::Method::PUT,
            &format!("v1/layouts/{id}"),
            Some(json!({ "base_version": base_version, "document": document })),
        )
        .await
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
        let url = self
            .base
            .join(&format!("v1/layouts/{id}/watch"))
            .expect("static layout paths join");
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
    let file = env("TESSERA_USER_TOKEN_FILE")
        .map(std::path::PathBuf::from)
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
}
