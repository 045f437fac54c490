//! `tessera-sidecar run` against a real registry process over loopback.

use std::time::Duration;

use tessera_registry::client::RegistryClient;
use tessera_testkit::proc::{bin, Proc};
use tokio::process::Command;

use crate::{sidecar, widget_folder, write};

const WAIT: Duration = Duration::from_secs(20);

/// The key every test sidecar is started with (`--key-file`): a sidecar
/// answers only requests that carry it (the server's).
const KEY: &str = "test-key-0123456789abcdef0123456789abcdef";

/// A GET to the sidecar as the server makes it: with the key.
async fn keyed_get(url: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(url)
        .header("tessera-sidecar-key", KEY)
        .send()
        .await
        .unwrap()
}

/// A registry process on a SQLite file, with publisher "acme" and its token.
struct Registry {
    proc: Proc,
    url: String,
    db: String,
    token_file: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Registry {
    async fn start() -> Registry {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}", dir.path().join("r.db").display());
        let token_file = dir.path().join("acme.token");
        let out = Command::new(bin("tessera-server"))
            .args([
                "publisher",
                "add",
                "acme",
                "--database-url",
                &db,
                "--token-file",
            ])
            .arg(&token_file)
            .output()
            .await
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (proc, url) = Self::serve(&db, "127.0.0.1:0").await;
        Registry {
            proc,
            url,
            db,
            token_file,
            _dir: dir,
        }
    }

    async fn serve(db: &str, listen: &str) -> (Proc, String) {
        let mut cmd = Command::new(bin("tessera-server"));
        // Heartbeat every 200 ms: two heartbeats fit in under half a second.
        cmd.args([
            "serve",
            "--listen",
            listen,
            "--database-url",
            db,
            "--heartbeat-interval",
            "0.2",
        ]);
        let mut p = Proc::spawn("tessera-server", cmd);
        let line = p.wait_for_line("listening on", WAIT).await;
        (p, line.rsplit(' ').next().unwrap().to_owned())
    }

    fn client(&self) -> RegistryClient {
        RegistryClient::new(&self.url).unwrap()
    }

    fn sidecar(&self, dir: &std::path::Path) -> Proc {
        self.sidecar_with(dir, &[])
    }

    fn sidecar_with(&self, dir: &std::path::Path, args: &[&str]) -> Proc {
        let key_file = self._dir.path().join("sidecar.key");
        std::fs::write(&key_file, KEY).unwrap();
        let mut cmd = Command::new(sidecar());
        cmd.arg("run")
            .arg(dir)
            .args(["--registry", &self.url, "--token-file"])
            .arg(&self.token_file)
            .arg("--key-file")
            .arg(&key_file)
            .args(args);
        Proc::spawn("tessera-sidecar", cmd)
    }
}

/// The first line of `proc`'s stderr containing `needle` (it may still be arriving).
async fn stderr_line(proc: &Proc, needle: &str) -> String {
    eventually(needle, || async move {
        proc.stderr()
            .lines()
            .find(|l| l.contains(needle))
            .map(str::to_owned)
    })
    .await
}

async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "waited {WAIT:?} for {what}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn registers_serves_and_deregisters_on_sigterm() {
    let registry = Registry::start().await;
    let dir = widget_folder();
    let mut proc = registry.sidecar(dir.path());
    proc.wait_for_line("registered (revision 1)", WAIT).await;

    let w = registry.client().get("acme.card").await.unwrap();
    assert_eq!(w.version, "0.3.1");
    assert_eq!(
        w.files.len(),
        3,
        "widget.toml, card.js and icon.svg: {:?}",
        w.files
    );

    // The registered base URL serves the files the manifest names.
    let body = keyed_get(&format!("{}card.js", w.base_url))
        .await
        .text()
        .await
        .unwrap();
    assert!(body.contains("acme-card"));
    let health = reqwest::get(format!("{}healthz", w.base_url))
        .await
        .unwrap();
    assert!(health.status().is_success());

    let asked = std::time::Instant::now();
    proc.signal("TERM").await;
    let status = proc.wait(Duration::from_secs(5)).await;
    assert!(status.success(), "exit 0 on SIGTERM, got {status}");
    assert!(
        asked.elapsed() < Duration::from_secs(1),
        "stopped within a second: {:?}",
        asked.elapsed()
    );
    let gone = registry.client().get("acme.card").await.unwrap_err();
    assert_eq!(
        gone.status().map(|s| s.as_u16()),
        Some(404),
        "deregistered on the way out"
    );
    assert!(
        reqwest::get(format!("{}healthz", w.base_url))
            .await
            .is_err(),
        "no longer serving"
    );
}

#[tokio::test]
async fn the_widget_comes_back_after_the_registry_is_killed_and_restarted() {
    let mut registry = Registry::start().await;
    let dir = widget_folder();
    let mut side = registry.sidecar(dir.path());
    side.wait_for_line("registered (revision 1)", WAIT).await;

    let listen = registry.url.trim_start_matches("http://").to_owned();
    registry.proc.signal("KILL").await;
    registry.proc.wait(WAIT).await;
    // The sidecar keeps going through the outage (backoff, no exit).
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(
        side.child.try_wait().unwrap().is_none(),
        "the sidecar must not exit while the registry is down"
    );

    let (proc, _) = Registry::serve(&registry.db, &listen).await;
    registry.proc = proc;
    let back_at = std::time::Instant::now();
    let w = eventually("the widget online again", || async {
        let w = registry.client().get("acme.card").await.ok()?;
        (w.state == tessera_registry::api::WidgetState::Online && w.revision >= 2).then_some(w)
    })
    .await;
    // Two heartbeats of 200 ms, plus backoff jitter and the first sweep.
    assert!(
        back_at.elapsed() < Duration::from_millis(1500),
        "back after {:?}",
        back_at.elapsed()
    );
    assert_eq!(w.id, "acme.card");
    assert!(
        side.stderr().contains("registry unreachable"),
        "the outage was logged: {}",
        side.stderr()
    );
    assert_eq!(
        side.stderr().matches("registry unreachable").count(),
        1,
        "logged once, not per retry:\n{}",
        side.stderr()
    );
}

#[tokio::test]
async fn an_edited_file_registers_a_new_revision_with_new_hashes() {
    let registry = Registry::start().await;
    let dir = widget_folder();
    let mut side = registry.sidecar(dir.path());
    side.wait_for_line("registered (revision 1)", WAIT).await;
    let before = registry.client().get("acme.card").await.unwrap();

    write(
        dir.path(),
        "card.js",
        "customElements.define('acme-card', class extends HTMLElement { /* v2 */ });",
    );
    side.wait_for_line("registered (revision 2)", WAIT).await;
    let after = registry.client().get("acme.card").await.unwrap();
    assert_eq!(after.revision, 2);
    assert_ne!(
        after.files["card.js"], before.files["card.js"],
        "the new hash is registered"
    );
    assert_eq!(after.files["icon.svg"], before.files["icon.svg"]);

    // A broken edit keeps the last good revision (and says why).
    write(dir.path(), "widget.toml", "id = \"acme.card\"\n");
    eventually("the refusal to be logged", || async {
        side.stderr().contains("not re-registering").then_some(())
    })
    .await;
    assert_eq!(
        registry.client().get("acme.card").await.unwrap().revision,
        2
    );
}

#[tokio::test]
async fn a_refused_token_exits_3_naming_the_problem() {
    let registry = Registry::start().await;
    let dir = widget_folder();
    let bad = dir.path().join("..").join("bad.token");
    std::fs::write(&bad, "tsr_not_a_real_token").unwrap();
    let out = Command::new(sidecar())
        .arg("run")
        .arg(dir.path())
        .args(["--registry", &registry.url, "--token-file"])
        .arg(&bad)
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("tessera-sidecar: the registry refused acme.card")
            && err.contains("not recognised"),
        "{err}"
    );
    assert!(
        !err.contains("tsr_not_a_real_token"),
        "the token is never printed"
    );
}

#[tokio::test]
async fn hidden_and_private_files_are_not_served() {
    let registry = Registry::start().await;
    let dir = widget_folder();
    write(dir.path(), ".env", "TOKEN=secret");
    write(dir.path(), "sidecar.toml", "token = \"secret\"");
    let mut side = registry.sidecar(dir.path());
    side.wait_for_line("registered", WAIT).await;
    let w = registry.client().get("acme.card").await.unwrap();
    assert!(!w.files.contains_key(".env") && !w.files.contains_key("sidecar.toml"));
    for path in [".env", "sidecar.toml", "%2eenv"] {
        let resp = keyed_get(&format!("{}{path}", w.base_url)).await;
        assert_eq!(resp.status().as_u16(), 404, "{path}");
    }
}

/// Issue 14, item 1: symbolic links in the widget folder never serve a file
/// outside it, nor a private one under another name.
#[tokio::test]
async fn regression_14_1_symlinks_never_serve_files_outside_or_private() {
    let registry = Registry::start().await;
    let root = tempfile::tempdir().unwrap();
    let outside = root.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    write(&outside, "secret.txt", "outside the folder");
    let dir = widget_folder();
    write(dir.path(), ".env", "TOKEN=secret");
    write(dir.path(), "sidecar.toml", "token = \"tsr_secret\"");
    let link = |target: &std::path::Path, name: &str| {
        std::os::unix::fs::symlink(target, dir.path().join(name)).unwrap()
    };
    link(std::path::Path::new("/etc/passwd"), "leak");
    link(std::path::Path::new("sidecar.toml"), "cfg.txt");
    link(std::path::Path::new(".env"), "env-alias");
    link(&outside, "outdir");
    let mut side = registry.sidecar(dir.path());
    side.wait_for_line("registered", WAIT).await;
    let w = registry.client().get("acme.card").await.unwrap();
    for path in [
        "leak",
        "cfg.txt",
        "env-alias",
        "outdir/secret.txt",
        "outdir%2fsecret.txt",
    ] {
        assert!(
            !w.files
                .keys()
                .any(|k| k.starts_with(path.split('%').next().unwrap())),
            "{path} registered"
        );
        let resp = keyed_get(&format!("{}{path}", w.base_url)).await;
        assert_eq!(resp.status().as_u16(), 404, "{path} must not be served");
        let body = resp.text().await.unwrap();
        assert!(
            !body.contains("root:") && !body.contains("secret"),
            "{path}: {body}"
        );
    }
    let ok = keyed_get(&format!("{}card.js", w.base_url)).await;
    assert_eq!(
        ok.status().as_u16(),
        200,
        "the widget's own files are still served"
    );
    assert_eq!(
        ok.headers()["content-type"].to_str().unwrap(),
        "text/javascript",
        "served with its type"
    );
}

#[tokio::test]
async fn api_calls_reach_the_backend_and_a_dead_backend_is_a_clear_502() {
    // The widget's own service: echoes what it got.
    let backend = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let backend_port = backend.local_addr().unwrap().port();
    let app = axum::Router::new().route(
        "/prices",
        axum::routing::post(|headers: axum::http::HeaderMap, body: String| async move {
            let custom = headers
                .get("x-custom")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default();
            let hop = headers.contains_key("x-hop");
            let key = headers.contains_key("tessera-sidecar-key");
            (
                [("x-from-backend", "yes")],
                format!("{body}|{custom}|hop-header-seen:{hop}|key-seen:{key}"),
            )
        }),
    );
    let server = tokio::spawn(async move { axum::serve(backend, app).await });

    let registry = Registry::start().await;
    let dir = widget_folder();
    std::fs::write(
        dir.path().join("widget.toml"),
        format!(
            "{}backend = \"http://127.0.0.1:{backend_port}\"\n",
            crate::GOOD_MANIFEST
        ),
    )
    .unwrap();
    let mut side = registry.sidecar(dir.path());
    side.wait_for_line("registered", WAIT).await;
    let w = registry.client().get("acme.card").await.unwrap();
    assert!(w.api, "the registry knows this widget has an api");

    let resp = reqwest::Client::new()
        .post(format!("{}api/prices?day=1", w.base_url))
        .header("tessera-sidecar-key", KEY)
        .header("x-custom", "kept")
        .header("connection", "x-hop")
        .header("x-hop", "dropped")
        .body("AAPL")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["x-from-backend"], "yes");
    assert_eq!(
        resp.text().await.unwrap(),
        "AAPL|kept|hop-header-seen:false|key-seen:false",
        "the sidecar's key never reaches the backend"
    );

    server.abort();
    let _ = server.await;
    let resp = reqwest::Client::new()
        .post(format!("{}api/prices", w.base_url))
        .header("tessera-sidecar-key", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 502);
    let msg = resp.text().await.unwrap();
    assert!(
        msg.contains("backend") && msg.contains(&backend_port.to_string()),
        "{msg}"
    );
}

/// Publisher "local" (the scaffold's default, as the embedded server has);
/// answers its token file.
async fn local_publisher(registry: &Registry) -> std::path::PathBuf {
    let token = registry._dir.path().join("local.token");
    let out = Command::new(bin("tessera-server"))
        .args([
            "publisher",
            "add",
            "local",
            "--database-url",
            &registry.db,
            "--token-file",
        ])
        .arg(&token)
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    token
}

#[tokio::test]
async fn init_makes_a_folder_that_runs_straight_away() {
    let registry = Registry::start().await;
    let local_token = local_publisher(&registry).await;
    let parent = tempfile::tempdir().unwrap();
    let out = Command::new(sidecar())
        .args(["init", "price-board"])
        .current_dir(parent.path())
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut cmd = Command::new(sidecar());
    cmd.arg("run")
        .arg(parent.path().join("price-board"))
        .args(["--registry", &registry.url, "--token-file"])
        .arg(&local_token);
    let mut side = Proc::spawn("tessera-sidecar", cmd);
    side.wait_for_line("local.price-board registered (revision 1)", WAIT)
        .await;
}

/// Issue 15: each framework starter builds with the commands its README
/// gives and registers. npm installs from its cache only (`--offline`):
/// tests touch no network; the cache holds these exact versions because the
/// test script builds the example widgets they are pinned to first
/// (`build_widgets` in scripts/lib.sh).
#[tokio::test]
async fn init_templates_build_with_npm_and_register() {
    let registry = Registry::start().await;
    let local_token = local_publisher(&registry).await;
    for (template, name) in [("lit", "lit-card"), ("svelte", "svelte-card")] {
        let parent = tempfile::tempdir().unwrap();
        let out = Command::new(sidecar())
            .args(["init", name, "--template", template])
            .current_dir(parent.path())
            .output()
            .await
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let dir = parent.path().join(name);
        assert!(
            dir.join(".gitignore").exists(),
            "{template}: dotfiles are part of the starter"
        );
        for step in [
            &["ci", "--offline", "--no-audit", "--no-fund"][..],
            &["run", "build"],
        ] {
            let out = Command::new("npm")
                .args(step)
                .current_dir(&dir)
                .output()
                .await
                .expect("npm runs");
            assert!(
                out.status.success(),
                "{template}: npm {step:?} failed (was the npm cache filled by building widgets/instrument-details and widgets/movers first?):\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let out = Command::new(sidecar())
            .arg("check")
            .arg(&dir)
            .output()
            .await
            .unwrap();
        assert!(
            out.status.success(),
            "{template}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut cmd = Command::new(sidecar());
        cmd.arg("run")
            .arg(&dir)
            .args(["--registry", &registry.url, "--token-file"])
            .arg(&local_token);
        let mut side = Proc::spawn("tessera-sidecar", cmd);
        side.wait_for_line(&format!("local.{name} registered (revision 1)"), WAIT)
            .await;
        let w = registry
            .client()
            .get(&format!("local.{name}"))
            .await
            .unwrap();
        assert_eq!(w.entry, "dist/widget.js", "{template}");
        assert_eq!(w.tag, format!("local-{name}"));
        assert!(
            w.files.contains_key("dist/widget.js"),
            "{template}: the build output is served"
        );
        assert!(!w.files.keys().any(|f| f.starts_with("node_modules")));
    }
}

/// Issue 11: a sidecar answers only the server. Without its key every
/// request but `/healthz` is refused, and it says so on the way out.
#[tokio::test]
async fn without_the_key_nothing_is_served_and_the_refusals_are_counted() {
    let registry = Registry::start().await;
    let dir = widget_folder();
    let mut proc = registry.sidecar(dir.path());
    proc.wait_for_line("registered (revision 1)", WAIT).await;
    let w = registry.client().get("acme.card").await.unwrap();
    for path in ["card.js", "__tessera/ping", "api/x", ""] {
        let resp = reqwest::get(format!("{}{path}", w.base_url)).await.unwrap();
        assert_eq!(resp.status().as_u16(), 401, "{path}");
        assert!(!resp.text().await.unwrap().contains("acme-card"));
    }
    let wrong = reqwest::Client::new()
        .get(format!("{}card.js", w.base_url))
        .header("tessera-sidecar-key", KEY.replace('0', "1"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 401, "a wrong key is no key");
    assert!(reqwest::get(format!("{}healthz", w.base_url))
        .await
        .unwrap()
        .status()
        .is_success());
    assert_eq!(
        keyed_get(&format!("{}card.js", w.base_url))
            .await
            .status()
            .as_u16(),
        200
    );
    proc.signal("TERM").await;
    proc.wait(Duration::from_secs(5)).await;
    // The server probed it once at registration (/__tessera/ping), and we
    // fetched one file: two with the key; five refused.
    let line = stderr_line(&proc, "requests with the key").await;
    assert!(
        line.contains("served 2 requests with the key, refused 5 without it"),
        "{line}"
    );
}

/// Issue 11: `--listen` and `--advertise`; an advertised address the server
/// cannot reach refuses the registration, naming it.
#[tokio::test]
async fn listens_where_told_and_an_unreachable_advertised_url_is_refused() {
    let registry = Registry::start().await;
    let dir = widget_folder();
    let mut proc = registry.sidecar_with(dir.path(), &["--listen", "127.0.0.3:0"]);
    proc.wait_for_line("registered (revision 1)", WAIT).await;
    let w = registry.client().get("acme.card").await.unwrap();
    assert!(
        w.base_url.starts_with("http://127.0.0.3:"),
        "{}",
        w.base_url
    );
    proc.signal("TERM").await;
    proc.wait(Duration::from_secs(5)).await;

    // Nothing listens on port 9 of 127.0.0.4.
    let mut proc = registry.sidecar_with(
        dir.path(),
        &[
            "--listen",
            "127.0.0.3:0",
            "--advertise",
            "http://127.0.0.4:9/",
        ],
    );
    let status = proc.wait(WAIT).await;
    assert_eq!(status.code(), Some(3), "a refused registration exits 3");
    let line = stderr_line(&proc, "cannot reach the sidecar").await;
    assert!(line.contains("http://127.0.0.4:9/"), "{line}");
}
