//! What every registry handler shares, and the background tasks it runs.

use std::sync::Arc;

use chrono::Utc;
use tessera_server_common::ratelimit::RateLimits;
use tessera_server_common::task::AbortOnDrop;

use crate::api::{self, WidgetEvent};
use crate::auth::Authenticator;
use crate::config::ServerConfig;
use crate::hub::Hub;
use crate::liveness::Liveness;
use crate::metrics::Metrics;
use crate::store::DynStore;

/// Everything the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub store: DynStore,
    pub hub: Arc<Hub>,
    pub liveness: Arc<Liveness>,
    pub auth: Arc<Authenticator>,
    pub metrics: Arc<Metrics>,
    pub config: Arc<ServerConfig>,
    /// Rate limits shared by every route (the accounts' and layouts' too).
    pub limits: Arc<RateLimits>,
    /// The accounts, which sign users in to the gateway (`None`: a server
    /// without users, whose gateway refuses everyone).
    pub accounts: Option<tessera_accounts::Accounts>,
    /// Widget files and APIs through the server (the file cache, the client to sidecars).
    pub gateway: Arc<crate::gateway::Gateway>,
}

impl AppState {
    pub async fn new(store: DynStore, config: ServerConfig) -> anyhow::Result<AppState> {
        let hub = Hub::new(store.clone()).await?;
        // Start from what is online now; later changes arrive through the hub.
        let liveness = Liveness::new(store.clone(), config.clone());
        for w in store.list().await? {
            liveness.apply(&WidgetEvent {
                id: 0,
                kind: api::EventKind::Added,
                widget_id: w.id.clone(),
                widget: Some(w),
                at: Utc::now(),
            });
        }
        let limits = Arc::new(RateLimits::new(config.rate_limit_per_sec));
        let gateway =
            crate::gateway::Gateway::new(config.file_cache_dir.as_deref(), config.file_cache_bytes)
                .map_err(|e| anyhow::anyhow!("opening the widget file cache: {e}"))?;
        Ok(AppState {
            gateway: Arc::new(gateway),
            auth: Arc::new(Authenticator::new(store.clone(), limits.clone())),
            limits,
            store,
            hub,
            liveness,
            metrics: Arc::new(Metrics::new()),
            config: Arc::new(config),
            accounts: None,
        })
    }

    /// The accounts whose users sign in to the gateway; they are charged
    /// to this server's rate limits.
    pub fn with_accounts(mut self, accounts: tessera_accounts::Accounts) -> AppState {
        accounts.share_rate_limits(self.limits.clone());
        self.accounts = Some(accounts);
        self
    }

    /// Starts the event pump, the liveness loop and (on Postgres) the
    /// listener for other replicas; they stop when the guard is dropped.
    pub fn spawn_background(&self) -> Background {
        let tasks = vec![
            AbortOnDrop(tokio::spawn(self.hub.clone().run())),
            AbortOnDrop(tokio::spawn(self.liveness.clone().run(self.hub.clone()))),
        ];
        Background { _tasks: tasks }
    }
}

/// Background tasks of one server; aborted on drop.
pub struct Background {
    _tasks: Vec<AbortOnDrop>,
}
