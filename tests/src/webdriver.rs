//! A small W3C WebDriver client over HTTP: just the endpoints the tests use.

use std::time::Duration;

use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

#[derive(Debug, Clone)]
pub struct Element(pub String);

impl Element {
    fn reference(&self) -> Value {
        json!({ ELEMENT_KEY: self.0 })
    }
}

pub struct Session {
    http: reqwest::Client,
    base: String,
}

impl Session {
    /// Opens a session on the driver at `driver_url` with these capabilities.
    pub async fn new(driver_url: &str, capabilities: Value) -> Result<Session, String> {
        let http = reqwest::Client::builder()
            // Starting the app under a loaded machine can take a while.
            .timeout(Duration::from_secs(180))
            .build()
            .map_err(|e| e.to_string())?;
        let resp = post(
            &http,
            &format!("{driver_url}/session"),
            json!({ "capabilities": capabilities }),
        )
        .await?;
        let id = resp["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no sessionId in {resp}"))?;
        Ok(Session {
            http,
            base: format!("{driver_url}/session/{id}"),
        })
    }

    async fn cmd(&self, path: &str, body: Value) -> Result<Value, String> {
        post(&self.http, &format!("{}/{path}", self.base), body).await
    }

    async fn get(&self, path: &str) -> Result<Value, String> {
        let resp = self
            .http
            .get(format!("{}/{path}", self.base))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        value_of(resp).await
    }

    pub async fn find(&self, css: &str) -> Result<Element, String> {
        let v = self
            .cmd("element", json!({"using": "css selector", "value": css}))
            .await?;
        element_of(&v)
    }

    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>, String> {
        let v = self
            .cmd("elements", json!({"using": "css selector", "value": css}))
            .await?;
        v.as_array()
            .ok_or_else(|| format!("elements: not a list: {v}"))?
            .iter()
            .map(element_of)
            .collect()
    }

    /// The panel ids of the widget frames `frames` matches in the main page, in order.
    pub async fn panel_ids(&self, frames: &str) -> Result<Vec<String>, String> {
        self.enter_top().await?;
        let v = self
            .execute(
                "return [...document.querySelectorAll(arguments[0])].map(f => f.dataset.panelId)",
                vec![json!(frames)],
            )
            .await?;
        serde_json::from_value(v).map_err(|e| e.to_string())
    }

    pub async fn click(&self, el: &Element) -> Result<(), String> {
        self.cmd(&format!("element/{}/click", el.0), json!({}))
            .await
            .map(|_| ())
    }

    pub async fn text(&self, el: &Element) -> Result<String, String> {
        let v = self.get(&format!("element/{}/text", el.0)).await?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// Runs synchronous JavaScript in the current browsing context.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        self.cmd("execute/sync", json!({"script": script, "args": args}))
            .await
    }

    pub async fn enter_frame(&self, frame: &Element) -> Result<(), String> {
        self.cmd("frame", json!({"id": frame.reference()}))
            .await
            .map(|_| ())
    }

    pub async fn enter_top(&self) -> Result<(), String> {
        self.cmd("frame", json!({"id": null})).await.map(|_| ())
    }

    /// Handles of the app's windows.
    pub async fn windows(&self) -> Result<Vec<String>, String> {
        let v = self.get("window/handles").await?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|h| h.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    pub async fn current_window(&self) -> Result<String, String> {
        Ok(self
            .get("window")
            .await?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    pub async fn switch_window(&self, handle: &str) -> Result<(), String> {
        self.cmd("window", json!({"handle": handle}))
            .await
            .map(|_| ())
    }

    /// Runs `script` in the frame at `index` among the iframes matching `css` of the current window.
    pub async fn in_frame(&self, css: &str, index: usize, script: &str) -> Result<Value, String> {
        self.enter_top().await?;
        let frames = self.find_all(css).await?;
        let frame = frames
            .get(index)
            .ok_or_else(|| format!("no frame {index} for {css} ({} found)", frames.len()))?;
        self.enter_frame(frame).await?;
        let v = self.execute(script, vec![]).await;
        self.enter_top().await?;
        v
    }

    /// Runs `script` in frame `index` of `css` until it returns something
    /// other than `null` or `false`, and returns that.
    pub async fn until_in_frame(
        &self,
        css: &str,
        index: usize,
        what: &str,
        within: Duration,
        script: &str,
    ) -> Value {
        self.wait_for(what, within, || async {
            let v = self.in_frame(css, index, script).await?;
            Ok((!v.is_null() && v != Value::Bool(false)).then_some(v))
        })
        .await
    }

    /// A PNG of the window.
    pub async fn screenshot(&self) -> Result<Vec<u8>, String> {
        use base64::Engine;
        let v = self.get("screenshot").await?;
        let b64 = v.as_str().ok_or_else(|| format!("screenshot: {v}"))?;
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| e.to_string())
    }

    pub async fn close(self) -> Result<(), String> {
        self.http
            .delete(&self.base)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        Ok(())
    }

    /// Waits until an element matches `css`, or fails after `within`.
    pub async fn wait_for_element(&self, what: &str, within: Duration, css: &str) -> Element {
        self.wait_for(what, within, || async { Ok(self.find(css).await.ok()) })
            .await
    }

    /// Polls `probe` until it yields `Some`, or fails with the last error after `within`.
    pub async fn wait_for<T, F, Fut>(&self, what: &str, within: Duration, mut probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<Option<T>, String>>,
    {
        let deadline = tokio::time::Instant::now() + within;
        let mut last: String;
        loop {
            match probe().await {
                Ok(Some(v)) => return v,
                Ok(None) => last = "not yet".into(),
                Err(e) => last = e,
            }
            if tokio::time::Instant::now() >= deadline {
                panic!("waited {within:?} for {what}; last: {last}");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

fn element_of(v: &Value) -> Result<Element, String> {
    v[ELEMENT_KEY]
        .as_str()
        .map(|s| Element(s.to_owned()))
        .ok_or_else(|| format!("not an element: {v}"))
}

async fn post(http: &reqwest::Client, url: &str, body: Value) -> Result<Value, String> {
    let resp = http
        .post(url)
        .json(&body)
        .send()
        .await
        .map_err(|e| format!("POST {url}: {e}"))?;
    value_of(resp).await
}

async fn value_of(resp: reqwest::Response) -> Result<Value, String> {
    let status = resp.status();
    let v: Value = resp.json().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("{status}: {}", v["value"]));
    }
    Ok(v["value"].clone())
}
