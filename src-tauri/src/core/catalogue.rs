//! The shell's view of the registry: a cached copy of the widget entries.

use std::collections::HashMap;
use std::sync::RwLock;

use tessera_registry::api::Widget;
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

    /// Lists the registry afresh and replaces the cache.
    pub async fn refresh(&self) -> Result<Vec<Widget>, ClientError> {
        let widgets = self.client.list().await?;
        let mut cache = self.cache.write().expect("catalogue lock");
        cache.clear();
        cache.extend(widgets.iter().map(|w| (w.id.clone(), w.clone())));
        Ok(widgets)
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
