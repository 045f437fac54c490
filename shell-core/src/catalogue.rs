//! The shell's view of the registry: a cached copy of the widget entries.

use std::collections::HashMap;
use std::sync::RwLock;

use tessera_registry::api::{Widget, WidgetEvent};
use tessera_registry::client::{ClientError, RegistryClient};

pub struct Catalogue {
    client: RegistryClient,
    cache: RwLock<HashMap<String, Widget>>,
}

impl Catalogue {
    pub fn new(client: RegistryClient) -> Self {
        Self {
            client,
            cache: RwLock::new(HashMap::new()),
        }
    }

    pub fn registry_url(&self) -> String {
        self.client.base_url().to_string()
    }

    /// Lists the registry afresh and replaces the cache; returns the list
    /// and the event id to watch from.
    pub async fn refresh(&self) -> Result<(Vec<Widget>, i64), ClientError> {
        let list = self.client.list().await?;
        let mut cache = self.cache.write().expect("catalogue lock");
        cache.clear();
        cache.extend(list.widgets.iter().map(|w| (w.id.clone(), w.clone())));
        Ok((list.widgets, list.last_event_id))
    }

    /// Applies one change from the watch stream to the cache.
    pub fn apply(&self, event: &WidgetEvent) {
        let mut cache = self.cache.write().expect("catalogue lock");
        match &event.widget {
            Some(w) => {
                cache.insert(w.id.clone(), w.clone());
            }
            None => {
                cache.remove(&event.widget_id);
            }
        }
    }

    /// The cached widgets, by id.
    pub fn snapshot(&self) -> Vec<Widget> {
        let mut all: Vec<Widget> = self
            .cache
            .read()
            .expect("catalogue lock")
            .values()
            .cloned()
            .collect();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        all
    }

    pub fn client(&self) -> &RegistryClient {
        &self.client
    }

    /// The cached entry, fetched from the registry when absent (or when `fresh`).
    pub async fn widget(&self, id: &str, fresh: bool) -> Result<Widget, ClientError> {
        if !fresh {
            if let Some(w) = self.cache.read().expect("catalogue lock").get(id) {
                return Ok(w.clone());
            }
        }
        let w = self.client.get(id).await?;
        self.cache
            .write()
            .expect("catalogue lock")
            .insert(w.id.clone(), w.clone());
        Ok(w)
    }
}
