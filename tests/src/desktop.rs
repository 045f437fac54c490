//! The real desktop app in a real X display: Xvfb, tauri-driver (which
//! starts WebKitWebDriver) and a WebDriver session on the `tessera` binary.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use tessera_testkit::proc::{bin, Proc};
use tokio::process::Command;

use crate::webdriver::Session;

pub struct Desktop {
    pub session: Session,
    pub display: String,
    /// The app's own data, config and cache folders (`XDG_*_HOME`): its
    /// drafts, theme and WebKit storage, apart from other tests' and the
    /// user's. Shared with a restarted app through [`Desktop::start_in`].
    pub profile: Arc<tempfile::TempDir>,
    _driver: Proc,
    _xvfb: Proc,
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(p) = cargo_home
        .map(|h| h.join("bin/tauri-driver"))
        .filter(|p| p.exists())
    {
        return p;
    }
    PathBuf::from("tauri-driver")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

async fn wait_for_port(port: u16, within: Duration, driver: &Proc) {
    let deadline = tokio::time::Instant::now() + within;
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "tauri-driver did not listen on {port} within {within:?}; stderr:\n{}",
            driver.stderr()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A virtual X display of the app's size: the process and its name (`:N`).
pub async fn start_xvfb() -> (Proc, String) {
    let mut cmd = Command::new("Xvfb");
    cmd.args([
        "-displayfd",
        "1",
        "-screen",
        "0",
        "1280x800x24",
        "-nolisten",
        "tcp",
    ]);
    let mut xvfb = Proc::spawn("Xvfb", cmd);
    let number = xvfb.wait_for_line("", Duration::from_secs(30)).await;
    let display = format!(":{}", number.trim());
    (xvfb, display)
}

/// A failing test shows what the app logged (its stderr reaches
/// tauri-driver's): the last lines, which say what it did before the failure.
impl Drop for Desktop {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let log = self._driver.stderr();
            let lines: Vec<&str> = log.lines().collect();
            let tail = &lines[lines.len().saturating_sub(60)..];
            eprintln!("--- the app's last log lines ---\n{}\n---", tail.join("\n"));
            // And what the screen showed.
            let name = std::thread::current()
                .name()
                .unwrap_or("test")
                .replace("::", "-");
            let path = crate::artifacts_dir().join(format!("failed-{name}.png"));
            let shot = std::process::Command::new("import")
                .args(["-window", "root"])
                .arg(&path)
                .env("DISPLAY", &self.display)
                .status();
            if shot.is_ok_and(|s| s.success()) {
                eprintln!("the screen at the failure: {}", path.display());
            }
        }
    }
}

impl Desktop {
    /// Starts an X display, tauri-driver and the app, pointed at `registry_url`.
    pub async fn start(registry_url: &str) -> Desktop {
        Self::start_with(registry_url, &[]).await
    }

    pub async fn start_with(registry_url: &str, args: &[&str]) -> Desktop {
        Self::start_full(registry_url, args, &[]).await
    }

    /// With extra environment for the app (through tauri-driver and WebKitWebDriver).
    pub async fn start_full(registry_url: &str, args: &[&str], env: &[(&str, &str)]) -> Desktop {
        let profile = Arc::new(tempfile::tempdir().expect("a profile folder"));
        Self::start_in(registry_url, args, env, profile).await
    }

    /// The app as `stack`'s user ("tester"), once its page says it is ready.
    pub async fn signed_in(stack: &crate::Stack, args: &[&str]) -> Desktop {
        let desktop = Self::start_full(
            &stack.registry_url,
            args,
            &[("TESSERA_USER_TOKEN", stack.user_token.as_str())],
        )
        .await;
        desktop
            .session
            .wait_for_element(
                "the shell to start",
                Duration::from_secs(90),
                "body[data-ready=true]",
            )
            .await;
        desktop
    }

    /// In a given profile: the app started again after it was killed, say.
    pub async fn start_in(
        registry_url: &str,
        args: &[&str],
        env: &[(&str, &str)],
        profile: Arc<tempfile::TempDir>,
    ) -> Desktop {
        Self::start_app(&bin("tessera"), registry_url, args, env, profile).await
    }

    /// A given build of the app (say, one unpacked from its `.deb`).
    pub async fn start_app(
        application: &std::path::Path,
        registry_url: &str,
        args: &[&str],
        env: &[(&str, &str)],
        profile: Arc<tempfile::TempDir>,
    ) -> Desktop {
        let (xvfb, display) = start_xvfb().await;

        let port = free_port();
        let native_port = free_port();
        let mut cmd = Command::new(tauri_driver());
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .env("DISPLAY", &display)
        .env("TESSERA_REGISTRY_URL", registry_url)
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("XDG_DATA_HOME", profile.path().join("data"))
        .env("XDG_CONFIG_HOME", profile.path().join("config"))
        .env("XDG_CACHE_HOME", profile.path().join("cache"))
        .env_remove("WAYLAND_DISPLAY")
        .envs(env.iter().copied());
        let driver = Proc::spawn("tauri-driver", cmd);
        wait_for_port(port, Duration::from_secs(30), &driver).await;

        let caps = json!({
            "alwaysMatch": {
                "tauri:options": {
                    "application": application,
                    "args": args,
                }
            }
        });
        let url = format!("http://127.0.0.1:{port}");
        // tauri-driver now and then drops the very first request on a busy
        // machine (seen once in five runs of six back-to-back starts): one
        // more try, then the failure with what the driver said.
        let session = match Session::new(&url, caps.clone()).await {
            Ok(s) => s,
            Err(first) => {
                eprintln!("WebDriver session failed once ({first}); trying again");
                tokio::time::sleep(Duration::from_millis(500)).await;
                Session::new(&url, caps).await.unwrap_or_else(|e| {
                    panic!(
                        "WebDriver session on the app failed: {e}\ntauri-driver stderr:\n{}",
                        driver.stderr()
                    )
                })
            }
        };
        Desktop {
            session,
            display,
            profile,
            _driver: driver,
            _xvfb: xvfb,
        }
    }

    /// What the top bar's status line says now.
    pub async fn status_line(&self) -> String {
        self.session
            .execute(
                "return document.getElementById('layout-status').textContent",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Saves a PNG of the window under `<target>/e2e/NAME.png` and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // The X display as a person sees it (ImageMagick's import), rather
        // than WebKitWebDriver's snapshot, which was seen to stall for
        // minutes with ten widget frames open.
        let path = crate::artifacts_dir().join(format!("{name}.png"));
        let out = Command::new("import")
            .args(["-window", "root"])
            .arg(&path)
            .env("DISPLAY", &self.display)
            .output()
            .await
            .expect("ImageMagick's import runs");
        assert!(
            out.status.success(),
            "screenshot {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        path
    }
}
