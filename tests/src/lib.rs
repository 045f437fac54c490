//! Harness for Tessera's end-to-end tests: the whole product as real
//! processes on loopback (registry, sidecars) and the real desktop app in a
//! real X display (Xvfb), driven over WebDriver through tauri-driver and
//! WebKitWebDriver.
//!
//! ```no_run
//! # async fn demo() {
//! let stack = tessera_e2e::Stack::start(&["greeting"]).await;
//! let desktop = tessera_e2e::desktop::Desktop::start(&stack.registry_url).await;
//! # }
//! ```

pub mod desktop;
pub mod pointer;
pub mod webdriver;

use std::path::PathBuf;
use std::time::Duration;

use tessera_testkit::proc::{bin, Proc};
use tokio::process::Command;

/// The repository root (this crate lives in `tests/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Where tests put artifacts (screenshots): `<target>/e2e/`.
pub fn artifacts_dir() -> PathBuf {
    let dir = tessera_testkit::proc::profile_dir()
        .parent()
        .expect("profile dir has a parent")
        .join("e2e");
    std::fs::create_dir_all(&dir).expect("create artifacts dir");
    dir
}

/// A registry on SQLite in a temporary folder, plus one sidecar per example widget.
pub struct Stack {
    pub registry_url: String,
    pub registry: Proc,
    pub sidecars: Vec<Proc>,
    /// The example market-data backend, when a widget of the stack uses it.
    pub market: Option<Backend>,
    /// The tracker's backend (on SQLite in the stack's folder), when the tracker widget is started.
    pub tracker: Option<Backend>,
    /// The "tessera" publisher's token, for more sidecars.
    pub token_file: PathBuf,
    /// A user's token (user "tester"), for layouts.
    pub user_token: String,
    /// The registry's database URL (for the operator's commands).
    pub db: String,
    _data: tempfile::TempDir,
}

impl Stack {
    /// Example widgets by folder name under `widgets/`.
    pub async fn start(widgets: &[&str]) -> Stack {
        let dirs: Vec<PathBuf> = widgets
            .iter()
            .map(|w| repo_root().join("widgets").join(w))
            .collect();
        Self::start_dirs(&dirs).await
    }

    /// Every example widget (`widgets/`), each beside its sidecar.
    pub async fn examples() -> Stack {
        Self::start(&EXAMPLE_WIDGETS).await
    }

    /// The widgets of the demo layout, each beside its sidecar (and the
    /// backends they use).
    pub async fn demo() -> Stack {
        // Every example but Top movers, which the demo layout does not show.
        let demo: Vec<&str> = EXAMPLE_WIDGETS
            .into_iter()
            .filter(|w| *w != "movers")
            .collect();
        Self::start(&demo).await
    }

    /// Widgets by folder.
    pub async fn start_dirs(widgets: &[PathBuf]) -> Stack {
        Self::start_at("127.0.0.1:0", widgets).await
    }

    /// The server listening on `listen` (another loopback address stands
    /// for another machine), widgets by folder.
    pub async fn start_at(listen: &str, widgets: &[PathBuf]) -> Stack {
        let data = tempfile::tempdir().expect("temp dir");
        let db = format!("sqlite://{}", data.path().join("registry.db").display());
        // The operator's step: a publisher for the bundled examples, its token in a file.
        let token_file = data.path().join("tessera.token");
        let token_file_arg = token_file.display().to_string();
        registry_cli(&[
            "publisher",
            "add",
            "tessera",
            "--database-url",
            &db,
            "--token-file",
            &token_file_arg,
        ])
        .await;
        let user_token = registry_cli(&["user", "add", "tester", "--database-url", &db]).await;
        let mut cmd = Command::new(bin("tessera-server"));
        let cache = data.path().join("widget-files").display().to_string();
        cmd.args([
            "serve",
            "--listen",
            listen,
            "--database-url",
            &db,
            "--file-cache-dir",
            &cache,
        ]);
        let mut registry = Proc::spawn("tessera-server", cmd);
        let line = registry
            .wait_for_line("listening on", Duration::from_secs(30))
            .await;
        let registry_url = line
            .rsplit(' ')
            .next()
            .expect("listening line ends with the URL")
            .to_owned();
        let wants = |kind| widgets.iter().any(|w| backend_of(w) == Some(kind));
        let market = if wants(BackendKind::Market) {
            Some(Backend::start("tessera-market-data", &[]).await)
        } else {
            None
        };
        let tracker = if wants(BackendKind::Tracker) {
            let db = format!("sqlite://{}", data.path().join("tracker.db").display());
            Some(Backend::start("tessera-tracker", &["--database-url", &db]).await)
        } else {
            None
        };
        let mut sidecars = Vec::new();
        for w in widgets {
            let dir = repo_root().join("widgets").join(w);
            let backend = match backend_of(&dir) {
                Some(BackendKind::Market) => market.as_ref(),
                Some(BackendKind::Tracker) => tracker.as_ref(),
                None => None,
            };
            let args: Vec<&str> = match backend {
                Some(b) => vec!["--backend", &b.url],
                None => vec![],
            };
            let mut p = sidecar_with(&registry_url, &token_file, &dir, &args);
            p.wait_for_line("registered", Duration::from_secs(30)).await;
            sidecars.push(p);
        }
        Stack {
            registry_url,
            registry,
            sidecars,
            market,
            tracker,
            token_file,
            user_token,
            db,
            _data: data,
        }
    }
}

impl Stack {
    /// The layout user "tester" saved (their first), as the server has it.
    pub async fn saved_layout(&self) -> serde_json::Value {
        let http = reqwest::Client::new();
        let get = |path: String| {
            let req = http
                .get(format!("{}{path}", self.registry_url))
                .bearer_auth(&self.user_token);
            async move {
                req.send()
                    .await
                    .unwrap()
                    .json::<serde_json::Value>()
                    .await
                    .unwrap()
            }
        };
        let list = get("/v1/layouts?scope=mine".into()).await;
        let id = list["layouts"][0]["id"]
            .as_str()
            .expect("a saved layout")
            .to_owned();
        get(format!("/v1/layouts/{id}")).await
    }

    /// Stores `document` as a new layout of user "tester"; returns its id.
    pub async fn create_layout(&self, title: &str, document: &serde_json::Value) -> String {
        let created: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/v1/layouts", self.registry_url))
            .bearer_auth(&self.user_token)
            .json(&serde_json::json!({"title": title, "document": document}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        created["id"].as_str().expect("a layout id").to_owned()
    }

    /// Creates a user with the operator's command; returns their token.
    pub async fn add_user(&self, name: &str) -> String {
        registry_cli(&["user", "add", name, "--database-url", &self.db]).await
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BackendKind {
    Market,
    Tracker,
}

/// Which example backend the widget in `dir` names in its manifest: the
/// tracker's port (7430) or the market data's.
fn backend_of(dir: &std::path::Path) -> Option<BackendKind> {
    let manifest = std::fs::read_to_string(dir.join("widget.toml")).ok()?;
    let line = manifest
        .lines()
        .find(|l| l.trim_start().starts_with("backend"))?;
    Some(if line.contains(":7430") {
        BackendKind::Tracker
    } else {
        BackendKind::Market
    })
}

/// An example widget backend on a free loopback port.
pub struct Backend {
    pub url: String,
    pub proc: Proc,
}

impl Backend {
    /// Starts the binary `name` listening on a free port, with `args`.
    pub async fn start(name: &str, args: &[&str]) -> Backend {
        let mut cmd = Command::new(bin(name));
        cmd.args(["--listen", "127.0.0.1:0"]).args(args);
        let mut proc = Proc::spawn(name, cmd);
        let line = proc
            .wait_for_line("listening on", Duration::from_secs(30))
            .await;
        let url = line
            .rsplit(' ')
            .next()
            .expect("the listening line ends with its URL")
            .to_owned();
        Backend { url, proc }
    }
}

/// Starts `tessera-sidecar run DIR` against the registry with the token in `token_file`.
pub fn sidecar(registry_url: &str, token_file: &std::path::Path, dir: &std::path::Path) -> Proc {
    sidecar_with(registry_url, token_file, dir, &[])
}

/// The same, with more arguments (`--listen ADDR`, say).
pub fn sidecar_with(
    registry_url: &str,
    token_file: &std::path::Path,
    dir: &std::path::Path,
    args: &[&str],
) -> Proc {
    let mut cmd = Command::new(bin("tessera-sidecar"));
    cmd.arg("run")
        .arg(dir)
        .args(["--registry", registry_url, "--token-file"])
        .arg(token_file)
        .args(args);
    Proc::spawn(&format!("tessera-sidecar ({})", dir.display()), cmd)
}

/// Every example widget, by folder name under `widgets/`.
pub const EXAMPLE_WIDGETS: [&str; 7] = [
    "greeting",
    "clock",
    "watchlist",
    "price-chart",
    "instrument-details",
    "movers",
    "tracker",
];

/// The test widgets' folder (`tests/widgets/NAME`).
pub fn test_widget(name: &str) -> PathBuf {
    repo_root().join("tests").join("widgets").join(name)
}

/// Runs an operator's `tessera-server` command; returns its stdout, trimmed.
pub async fn registry_cli(args: &[&str]) -> String {
    let out = Command::new(bin("tessera-server"))
        .args(args)
        .output()
        .await
        .unwrap_or_else(|e| panic!("run tessera-server {args:?}: {e}"));
    assert!(
        out.status.success(),
        "tessera-server {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The first line of `proc`'s stderr containing `needle`, waiting up to ten
/// seconds for it to arrive.
pub async fn eventually_line(proc: &Proc, needle: &str) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(line) = proc.stderr().lines().find(|l| l.contains(needle)) {
            return line.to_owned();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} did not write {needle:?}; stderr:\n{}",
            proc.name,
            proc.stderr()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
