//! Builders shared by the tests: the accounts on both engines, and their
//! routes driven through `oneshot`.

use tessera_accounts::{AccountStore, Accounts, DynAccountStore};
use tessera_testkit::http::InProcess;

/// Generates `sqlite` and `postgres` variants of each `async fn name(TestStore)`.
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        tessera_testkit::on_both_engines!(
            crate::support::sqlite_store, crate::support::postgres_store; $($name),*
        );
    };
}
pub(crate) use on_both_engines;

/// The accounts' store plus what must live as long as it (the SQLite file's folder).
pub struct TestStore {
    pub store: DynAccountStore,
    pub _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite_store() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("accounts.db").display());
    TestStore {
        store: tessera_accounts::store::connect(&url)
            .await
            .expect("open SQLite store"),
        _dir: Some(dir),
    }
}

pub async fn postgres_store() -> TestStore {
    let url = tessera_testkit::pg::fresh_database().await;
    TestStore {
        store: tessera_accounts::store::connect(&url)
            .await
            .expect("open Postgres store"),
        _dir: None,
    }
}

/// The accounts' routes driven through `tower::ServiceExt::oneshot`.
pub struct App {
    pub routes: InProcess,
    pub accounts: Accounts,
    pub t: TestStore,
}

impl App {
    pub fn new(t: TestStore) -> App {
        let accounts = Accounts::new(t.store.clone());
        App {
            routes: InProcess {
                router: tessera_accounts::http::routes(accounts.clone()),
            },
            accounts,
            t,
        }
    }

    pub fn store(&self) -> &dyn AccountStore {
        &*self.t.store
    }

    /// Creates a user; returns their token.
    pub async fn user(&self, name: &str, admin: bool) -> String {
        tessera_accounts::add_user(self.store(), name, admin)
            .await
            .unwrap_or_else(|e| panic!("create user {name}: {e}"))
    }
}

impl std::ops::Deref for App {
    type Target = InProcess;
    fn deref(&self) -> &InProcess {
        &self.routes
    }
}
