//! A typed client for the server's layout and user routes (`/v1/layouts…`,
//! `/v1/users…`) as one signed-in user: list and search, open, create, save,
//! rename, clone, delete and undelete, sharing, history (versions, diff,
//! restore), the user's tokens, and following a layout's watch stream.
//! Requests and answers are the [`api`](crate::api) types the routes use.

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::api::{
    CloneLayout, CreateLayout, GroupList, Layout, LayoutList, LayoutSummary, NewToken,
    RenameLayout, RestoreVersion, SaveLayout, Saved, Sharing, TokenLabel, TokenList, UserInfo,
    UserList, VersionDiff, VersionList, WatchGone, WatchVersion,
};
use crate::LayoutDocument;
pub use tessera_server_common::client::ClientError;
use tessera_server_common::client::{read_json, send};

/// The largest answer read (a layout document is at most 1 MiB; a list of
/// 200 layouts' summaries far less).
pub const MAX_ANSWER_BYTES: usize = 16 * 1024 * 1024;

/// What following a layout reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

pub struct LayoutsClient {
    base: Url,
    http: reqwest::Client,
    token: Option<String>,
}

type Result<T> = std::result::Result<T, ClientError>;

impl LayoutsClient {
    /// A client for the server at `base` as the user whose token this is.
    pub fn new(base: Url, http: reqwest::Client, token: Option<String>) -> Self {
        Self { base, http, token }
    }

    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// `base` + `segments` (each percent-encoded, so an id can never climb
    /// out of its path) + `query`.
    fn url(&self, segments: &[&str], query: &[(&str, &str)]) -> Url {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .expect("the server URL is a base")
            .pop_if_empty()
            .extend(segments);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    /// Sends the request; a refusal becomes [`ClientError::Refused`].
    async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<&(dyn erased::Body + Sync)>,
    ) -> Result<reqwest::Response> {
        let token = self.token.as_deref().ok_or(ClientError::NoToken)?;
        let mut req = self.http.request(method, url).bearer_auth(token);
        if let Some(b) = body {
            req = b.attach(req);
        }
        send(req, self.base.as_str()).await
    }

    async fn answer<T: DeserializeOwned>(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, &str)],
        body: Option<&(dyn erased::Body + Sync)>,
    ) -> Result<T> {
        let what = format!("{method} /{}", segments.join("/"));
        let resp = self.send(method, self.url(segments, query), body).await?;
        read_json(resp, MAX_ANSWER_BYTES, &what).await
    }

    async fn no_answer(
        &self,
        method: Method,
        segments: &[&str],
        body: Option<&(dyn erased::Body + Sync)>,
    ) -> Result<()> {
        self.send(method, self.url(segments, &[]), body)
            .await
            .map(drop)
    }

    /// Layouts the user may open: `scope` is `all`, `mine`, `shared`,
    /// `organisation` or `deleted`; `search` filters by title.
    pub async fn list(&self, scope: &str, search: &str) -> Result<LayoutList> {
        let mut query = vec![("scope", scope), ("limit", "100")];
        if !search.trim().is_empty() {
            query.push(("q", search.trim()));
        }
        self.answer(Method::GET, &["v1", "layouts"], &query, None)
            .await
    }

    pub async fn get(&self, id: &str) -> Result<Layout> {
        self.answer(Method::GET, &["v1", "layouts", id], &[], None)
            .await
    }

    pub async fn create(&self, title: &str, document: &LayoutDocument) -> Result<Layout> {
        let body = CreateLayout {
            title: Some(title.to_owned()),
            document: to_value(document),
        };
        self.answer(Method::POST, &["v1", "layouts"], &[], Some(&body))
            .await
    }

    /// Saves a new version on top of `base_version`; a stale base is refused (409).
    pub async fn save(
        &self,
        id: &str,
        base_version: i64,
        document: &LayoutDocument,
        message: Option<&str>,
    ) -> Result<Saved> {
        let body = SaveLayout {
            base_version,
            document: to_value(document),
            message: message.map(str::to_owned),
        };
        self.answer(Method::PUT, &["v1", "layouts", id], &[], Some(&body))
            .await
    }

    /// A private copy owned by the user, with `cloned_from` = (id, its version).
    pub async fn clone_layout(&self, id: &str, title: Option<&str>) -> Result<Layout> {
        let body = CloneLayout {
            title: title.map(str::to_owned),
        };
        let path = ["v1", "layouts", id, "clone"];
        self.answer(Method::POST, &path, &[], Some(&body)).await
    }

    /// Renames as a new version on top of `base_version`.
    pub async fn rename(&self, id: &str, base_version: i64, title: &str) -> Result<Saved> {
        let body = RenameLayout {
            base_version,
            title: title.to_owned(),
        };
        self.answer(Method::PATCH, &["v1", "layouts", id], &[], Some(&body))
            .await
    }

    /// Moves the layout to the bin (its owner; restorable for 30 days).
    pub async fn delete(&self, id: &str) -> Result<()> {
        self.no_answer(Method::DELETE, &["v1", "layouts", id], None)
            .await
    }

    /// Takes the layout back out of the bin.
    pub async fn undelete(&self, id: &str) -> Result<LayoutSummary> {
        let path = ["v1", "layouts", id, "restore"];
        self.answer(Method::POST, &path, &[], None).await
    }

    pub async fn sharing(&self, id: &str) -> Result<Sharing> {
        let path = ["v1", "layouts", id, "sharing"];
        self.answer(Method::GET, &path, &[], None).await
    }

    /// Replaces the layout's sharing; owners only.
    pub async fn set_sharing(&self, id: &str, sharing: &Sharing) -> Result<Sharing> {
        let path = ["v1", "layouts", id, "sharing"];
        self.answer(Method::PUT, &path, &[], Some(sharing)).await
    }

    /// The newest versions, newest first.
    pub async fn versions(&self, id: &str) -> Result<VersionList> {
        let path = ["v1", "layouts", id, "versions"];
        self.answer(Method::GET, &path, &[("limit", "50")], None)
            .await
    }

    /// Panels added, removed, moved, retitled… from version `from` to `to`.
    pub async fn diff(&self, id: &str, from: i64, to: i64) -> Result<VersionDiff> {
        let (from, to) = (from.to_string(), to.to_string());
        let path = ["v1", "layouts", id, "diff"];
        self.answer(Method::GET, &path, &[("from", &from), ("to", &to)], None)
            .await
    }

    /// Writes old version `version` again as the version after `base_version`.
    pub async fn restore_version(
        &self,
        id: &str,
        version: i64,
        base_version: i64,
    ) -> Result<Saved> {
        let version = version.to_string();
        let body = RestoreVersion {
            base_version,
            message: None,
        };
        let path = ["v1", "layouts", id, "versions", &version, "restore"];
        self.answer(Method::POST, &path, &[], Some(&body)).await
    }

    /// The signed-in user.
    pub async fn me(&self) -> Result<UserInfo> {
        self.answer(Method::GET, &["v1", "users", "me"], &[], None)
            .await
    }

    /// Every user (to share with).
    pub async fn users(&self) -> Result<UserList> {
        self.answer(Method::GET, &["v1", "users"], &[], None).await
    }

    /// Every group (to share with).
    pub async fn groups(&self) -> Result<GroupList> {
        self.answer(Method::GET, &["v1", "users", "groups"], &[], None)
            .await
    }

    /// The signed-in user's tokens (never the tokens themselves).
    pub async fn tokens(&self) -> Result<TokenList> {
        let path = ["v1", "users", "me", "tokens"];
        self.answer(Method::GET, &path, &[], None).await
    }

    /// A further token for the signed-in user, shown this once.
    pub async fn create_token(&self, label: &str) -> Result<NewToken> {
        let body = TokenLabel {
            label: label.to_owned(),
        };
        let path = ["v1", "users", "me", "tokens"];
        self.answer(Method::POST, &path, &[], Some(&body)).await
    }

    pub async fn label_token(&self, id: &str, label: &str) -> Result<()> {
        let body = TokenLabel {
            label: label.to_owned(),
        };
        let path = ["v1", "users", "me", "tokens", id];
        self.no_answer(Method::PATCH, &path, Some(&body)).await
    }

    /// Revokes one of the user's tokens: refused by the server from now on.
    pub async fn revoke_token(&self, id: &str) -> Result<()> {
        let path = ["v1", "users", "me", "tokens", id];
        self.no_answer(Method::DELETE, &path, None).await
    }

    /// Follows a layout's watch stream until it is gone, reconnecting after
    /// errors (each reconnection reports the current version again).
    pub async fn follow(&self, id: &str, mut on: impl FnMut(Follow)) {
        let Some(token) = self.token.as_deref() else {
            on(Follow::Gone {
                reason: ClientError::NoToken.to_string(),
            });
            return;
        };
        let url = self.url(&["v1", "layouts", id, "watch"], &[]);
        let mut delay = Duration::from_millis(250);
        loop {
            let resp = self
                .http
                .get(url.clone())
                .bearer_auth(token)
                .timeout(Duration::from_secs(365 * 24 * 3600))
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
                    delay = Duration::from_millis(250);
                    let mut events = eventsource_stream::EventStream::new(r.bytes_stream());
                    while let Some(Ok(ev)) = events.next().await {
                        match ev.event.as_str() {
                            "version" => match serde_json::from_str::<WatchVersion>(&ev.data) {
                                Ok(v) => on(Follow::Version {
                                    version: v.version,
                                    title: v.title,
                                    author: v.author,
                                }),
                                Err(e) => unreadable(&mut on, &e),
                            },
                            "gone" => {
                                let reason = serde_json::from_str::<WatchGone>(&ev.data)
                                    .map(|g| g.reason)
                                    .unwrap_or_else(|_| "gone".into());
                                on(Follow::Gone { reason });
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
            delay = (delay * 2).min(Duration::from_secs(5));
        }
    }
}

/// A version event the client could not read: reported, and the stream
/// read on (the next version event brings the layout up to date).
fn unreadable(on: &mut impl FnMut(Follow), e: &serde_json::Error) {
    on(Follow::Lost {
        error: format!("a version event was not understood: {e}"),
    });
}

/// A document as the request bodies carry it (the server reads it raw, to
/// report problems by JSON path).
fn to_value(document: &LayoutDocument) -> serde_json::Value {
    serde_json::to_value(document).expect("a layout document is plain JSON")
}

/// Request bodies of different types behind one reference.
mod erased {
    pub trait Body {
        fn attach(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder;
    }

    impl<T: serde::Serialize> Body for T {
        fn attach(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
            req.json(self)
        }
    }
}
