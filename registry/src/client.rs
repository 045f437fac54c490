//! A typed client for the registry's API, used by the sidecar and the shell.

use futures_util::{Stream, StreamExt};

pub use tessera_server_common::client::ClientError;
use tessera_server_common::client::{read_bytes, read_json, send};

use crate::api::{
    EventKind, Heartbeat, HeartbeatSchedule, Registered, Widget, WidgetEvent, WidgetList,
    WidgetRegistration,
};

/// The largest answer read (a catalogue of 2,000 widgets with full file
/// manifests fits); a larger one is refused instead of filling memory
/// (issue 14, item 6: a 64 MiB answer took the sidecar to 205 MiB).
pub const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;

#[derive(Clone)]
pub struct RegistryClient {
    base: url::Url,
    http: reqwest::Client,
    token: Option<String>,
}

impl std::fmt::Debug for RegistryClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token.
        f.debug_struct("RegistryClient")
            .field("base", &self.base.as_str())
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// One item of the watch stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchItem {
    Event(Box<WidgetEvent>),
    /// History after the given id is gone: list again, then watch from the list's id.
    Relist,
}

impl RegistryClient {
    /// `base` is the server's root, e.g. `http://127.0.0.1:7410`.
    pub fn new(base: &str) -> Result<Self, ClientError> {
        let mut base = url::Url::parse(base).map_err(|e| ClientError::BadUrl {
            url: base.to_owned(),
            message: e.to_string(),
        })?;
        if !base.path().ends_with('/') {
            let p = format!("{}/", base.path());
            base.set_path(&p);
        }
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .expect("a reqwest client with only a timeout set builds");
        Ok(Self {
            base,
            http,
            token: None,
        })
    }

    /// The same client, sending `token` on calls that change entries.
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    fn authed(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(t) => req.bearer_auth(t),
            None => req,
        }
    }

    pub fn base_url(&self) -> &url::Url {
        &self.base
    }

    /// `req` with this client's token, if it has one.
    pub fn authorize(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        self.authed(req)
    }

    /// The server's URL for something of a widget: `v1/widgets/{id}/{kind}/{path}`
    /// (`kind` is `files` or `api`), each part percent-encoded.
    pub fn widget_url(&self, id: &str, kind: &str, path: &str) -> url::Url {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .expect("an http(s) base URL has a path")
            .pop_if_empty()
            .extend(["v1", "widgets", id, kind])
            .extend(path.split('/').filter(|s| !s.is_empty()));
        url
    }

    /// One of a widget's files, through the server (which checks it against
    /// the registered hash; check it again: integrity end to end).
    pub async fn widget_file(&self, id: &str, path: &str) -> Result<Vec<u8>, ClientError> {
        let req = self
            .http
            .get(self.widget_url(id, "files", path))
            .timeout(std::time::Duration::from_secs(60));
        let resp = self.send(self.authed(req)).await?;
        read_bytes(resp, MAX_ANSWER_BYTES, "GET /v1/widgets/{id}/files/{path}").await
    }

    fn url(&self, path: &str) -> url::Url {
        self.base.join(path).expect("static API paths join")
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<reqwest::Response, ClientError> {
        send(req, self.base.as_str()).await
    }

    /// The JSON answer to `req`; `what` names the request in errors.
    async fn json<T: serde::de::DeserializeOwned>(
        &self,
        what: &str,
        req: reqwest::RequestBuilder,
    ) -> Result<T, ClientError> {
        read_json(self.send(req).await?, MAX_ANSWER_BYTES, what).await
    }

    /// Registers (or re-registers) a widget under the client's token.
    pub async fn register(&self, reg: &WidgetRegistration) -> Result<Registered, ClientError> {
        self.json(
            "POST /v1/widgets",
            self.authed(self.http.post(self.url("v1/widgets")).json(reg)),
        )
        .await
    }

    /// Keeps `instance` of widget `id` alive; a 404 means: register again.
    pub async fn heartbeat(
        &self,
        id: &str,
        instance: &str,
    ) -> Result<HeartbeatSchedule, ClientError> {
        let body = Heartbeat {
            instance: instance.to_owned(),
        };
        self.json(
            "POST /v1/widgets/{id}/heartbeat",
            self.authed(
                self.http
                    .post(self.url(&format!("v1/widgets/{id}/heartbeat")))
                    .json(&body),
            ),
        )
        .await
    }

    pub async fn list(&self) -> Result<WidgetList, ClientError> {
        self.json("GET /v1/widgets", self.http.get(self.url("v1/widgets")))
            .await
    }

    pub async fn get(&self, id: &str) -> Result<Widget, ClientError> {
        self.json(
            "GET /v1/widgets/{id}",
            self.http.get(self.url(&format!("v1/widgets/{id}"))),
        )
        .await
    }

    /// Removes the entry (only while `instance` holds it, when given).
    pub async fn deregister(&self, id: &str, instance: Option<&str>) -> Result<(), ClientError> {
        let mut req = self.http.delete(self.url(&format!("v1/widgets/{id}")));
        if let Some(i) = instance {
            req = req.query(&[("instance", i)]);
        }
        self.send(self.authed(req)).await.map(|_| ())
    }

    /// Follows the catalogue's changes after event `since` (`None`: from now).
    /// The stream ends when the connection does; reconnect with the last id seen.
    pub async fn watch(
        &self,
        since: Option<i64>,
    ) -> Result<impl Stream<Item = Result<WatchItem, ClientError>> + use<>, ClientError> {
        let mut req = self
            .http
            .get(self.url("v1/widgets/watch"))
            .timeout(std::time::Duration::from_secs(365 * 24 * 3600));
        if let Some(id) = since {
            req = req.header("Last-Event-ID", id.to_string());
        }
        let resp = self.send(req).await?;
        let base = self.base.to_string();
        Ok(
            eventsource_stream::EventStream::new(resp.bytes_stream()).filter_map(move |item| {
                let base = base.clone();
                async move {
                    match item {
                        Err(e) => Some(Err(ClientError::Decode {
                            what: format!("the watch stream from {base}"),
                            message: format!("it broke: {e}"),
                        })),
                        Ok(ev) if ev.event == "relist" => Some(Ok(WatchItem::Relist)),
                        Ok(ev) if EventKind::parse(&ev.event).is_some() => Some(
                            serde_json::from_str::<WidgetEvent>(&ev.data)
                                .map(|e| WatchItem::Event(Box::new(e)))
                                .map_err(|e| ClientError::Decode {
                                    what: format!("the watch stream from {base}"),
                                    message: format!("bad event: {e}"),
                                }),
                        ),
                        Ok(_) => None,
                    }
                }
            }),
        )
    }
}
