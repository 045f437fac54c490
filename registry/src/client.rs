//! A typed client for the registry's API, used by the sidecar and the shell.

use reqwest::StatusCode;

use crate::api::{ErrorBody, Widget, WidgetList, WidgetRegistration};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("registry URL {0:?} is not valid: {1}")]
    BadUrl(String, url::ParseError),
    #[error("could not reach the registry at {url}: {source}")]
    Unreachable {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("registry answered {status}: {} ({})", body.message, body.code)]
    Api { status: StatusCode, body: ErrorBody },
    #[error("registry answered {status} with an unreadable body: {detail}")]
    Protocol { status: StatusCode, detail: String },
}

impl ClientError {
    /// The HTTP status the registry answered with, if it answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ClientError::Api { status, .. } | ClientError::Protocol { status, .. } => Some(*status),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct RegistryClient {
    base: url::Url,
    http: reqwest::Client,
}

impl RegistryClient {
    /// `base` is the server's root, e.g. `http://127.0.0.1:7410`.
    pub fn new(base: &str) -> Result<Self, ClientError> {
        let mut base =
            url::Url::parse(base).map_err(|e| ClientError::BadUrl(base.to_owned(), e))?;
        if !base.path().ends_with('/') {
            let p = format!("{}/", base.path());
            base.set_path(&p);
        }
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .expect("a reqwest client with only a timeout set builds");
        Ok(Self { base, http })
    }

    pub fn base_url(&self) -> &url::Url {
        &self.base
    }

    fn url(&self, path: &str) -> url::Url {
        self.base.join(path).expect("static API paths join")
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<reqwest::Response, ClientError> {
        let resp = req
            .send()
            .await
            .map_err(|source| ClientError::Unreachable {
                url: self.base.to_string(),
                source,
            })?;
        let status = resp.status();
        if status.is_success() {
            return Ok(resp);
        }
        let text = resp.text().await.unwrap_or_default();
        Err(match serde_json::from_str::<ErrorBody>(&text) {
            Ok(body) => ClientError::Api { status, body },
            Err(_) => ClientError::Protocol {
                status,
                detail: text.chars().take(200).collect(),
            },
        })
    }

    async fn json<T: serde::de::DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, ClientError> {
        let resp = self.send(req).await?;
        let status = resp.status();
        resp.json().await.map_err(|e| ClientError::Protocol {
            status,
            detail: e.to_string(),
        })
    }

    pub async fn register(&self, reg: &WidgetRegistration) -> Result<Widget, ClientError> {
        self.json(self.http.post(self.url("v1/widgets")).json(reg))
            .await
    }

    pub async fn list(&self) -> Result<Vec<Widget>, ClientError> {
        let list: WidgetList = self.json(self.http.get(self.url("v1/widgets"))).await?;
        Ok(list.widgets)
    }

    pub async fn get(&self, id: &str) -> Result<Widget, ClientError> {
        self.json(self.http.get(self.url(&format!("v1/widgets/{id}"))))
            .await
    }

    pub async fn deregister(&self, id: &str) -> Result<(), ClientError> {
        self.send(self.http.delete(self.url(&format!("v1/widgets/{id}"))))
            .await
            .map(|_| ())
    }
}
