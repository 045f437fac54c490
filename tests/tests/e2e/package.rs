//! Issue 12, install: the `.deb` built by Tauri's bundler holds the app, its
//! menu entry (registered for `tessera://` links) and icon, and declares its
//! dependencies; unpacked, the app starts under Xvfb at its sign-in screen.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use tessera_e2e::desktop::Desktop;
use tessera_e2e::repo_root;
use tessera_testkit::proc::bin;

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Builds the package as the README says (the debug build, which the other
/// tests have compiled already); its path.
fn build_deb() -> PathBuf {
    run(Command::new(repo_root().join("scripts/package-deb.sh"))
        .arg("--debug")
        .env("TESSERA_WEB_BUILT", "1"));
    let dir = bin("tessera").parent().unwrap().join("bundle/deb");
    let version = env!("CARGO_PKG_VERSION");
    let deb = dir.join(format!("Tessera_{version}_amd64.deb"));
    assert!(deb.exists(), "no {}", deb.display());
    deb
}

fn field<'a>(control: &'a str, name: &str) -> &'a str {
    control
        .lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no {name} in\n{control}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deb_installs_the_app_its_menu_entry_and_link_handler() {
    let deb = build_deb();
    let control = run(Command::new("dpkg-deb").arg("--info").arg(&deb));
    assert_eq!(field(&control, "Package"), "tessera");
    assert_eq!(field(&control, "Version"), env!("CARGO_PKG_VERSION"));
    assert_eq!(field(&control, "Architecture"), "amd64");
    let depends = field(&control, "Depends");
    for dep in ["libwebkit2gtk-4.1-0", "libgtk-3-0"] {
        assert!(depends.contains(dep), "Depends: {depends}");
    }
    let contents = run(Command::new("dpkg-deb").arg("--contents").arg(&deb));
    for path in [
        "usr/bin/tessera",
        "usr/bin/tessera-server",
        // The server's former name, kept working for a while.
        "usr/bin/tessera-registry",
        "usr/bin/tessera-sidecar",
        "usr/share/applications/Tessera.desktop",
        "usr/share/icons/hicolor/128x128/apps/tessera.png",
        "usr/share/doc/tessera/README.md",
    ] {
        assert!(
            contents.lines().any(|l| l
                .split_whitespace()
                .last()
                .map(|p| p.trim_start_matches("./"))
                == Some(path)),
            "{path} missing from\n{contents}"
        );
    }

    let root = tempfile::tempdir().unwrap();
    run(Command::new("dpkg-deb")
        .arg("-x")
        .arg(&deb)
        .arg(root.path()));
    let desktop =
        std::fs::read_to_string(root.path().join("usr/share/applications/Tessera.desktop"))
            .unwrap();
    for line in [
        "Exec=tessera %u",
        "MimeType=x-scheme-handler/tessera;",
        "Icon=tessera",
        "Type=Application",
    ] {
        assert!(
            desktop.lines().any(|l| l == line),
            "{line:?} missing from\n{desktop}"
        );
    }
    // The former name runs the installed server.
    let alias = root.path().join("usr/bin/tessera-registry");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&alias).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o111,
            0o111,
            "tessera-registry is executable: {mode:o}"
        );
    }
    let forwards = std::fs::read_to_string(&alias).unwrap();
    assert!(
        forwards.contains("exec /usr/bin/tessera-server \"$@\""),
        "tessera-registry runs tessera-server:\n{forwards}"
    );
    let app = root.path().join("usr/bin/tessera");
    let version = run(Command::new(&app).arg("--version"));
    assert_eq!(
        version.trim(),
        format!("tessera {}", env!("CARGO_PKG_VERSION"))
    );

    // Unpacked and started with no settings: the sign-in screen, drawn from
    // the front end inside the binary; "Just this computer" starts the
    // server the package holds and signs in as its local user.
    started_at_sign_in_then_just_this_computer(&app).await;
}

async fn started_at_sign_in_then_just_this_computer(app: &Path) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port()
        .to_string();
    struct StopServer(String);
    impl Drop for StopServer {
        fn drop(&mut self) {
            let _ = Command::new("pkill")
                .args(["-f", &format!("serve --listen 127.0.0.1:{}$", self.0)])
                .status();
        }
    }
    let _stop = StopServer(port.clone());
    let profile = Arc::new(tempfile::tempdir().unwrap());
    let token = profile.path().join("config/tessera/user.token");
    let env = [("TESSERA_LOCAL_PORT", port.as_str())];
    let desktop = Desktop::start_app(app, "", &[], &env, profile.clone()).await;
    let s = &desktop.session;
    s.wait_for_element(
        "the sign-in screen",
        Duration::from_secs(90),
        "#signin-screen #local-submit",
    )
    .await;
    let shot = desktop.screenshot("deb-sign-in").await;
    eprintln!("screenshot: {}", shot.display());
    desktop.focus_window().await;
    let at = desktop.rect("#local-submit").await.unwrap().centre();
    desktop.click_at(at).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !token.exists() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "Just this computer did not sign in"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let running =
        run(Command::new("pgrep").args(["-af", &format!("serve --listen 127.0.0.1:{port}$")]));
    let packaged = app.with_file_name("tessera-server");
    assert!(
        running.contains(&packaged.display().to_string()),
        "the server started is the packaged one: {running}"
    );
}
