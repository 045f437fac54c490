//! Child processes for tests that run the real binaries.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStderr, ChildStdout, Command};

/// The cargo target profile folder (`target/debug`) holding this test binary
/// and the workspace's binaries.
pub fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    // target/debug/deps/test-hash → target/debug
    let mut dir = exe.parent().expect("deps dir").to_path_buf();
    if dir.ends_with("deps") {
        dir.pop();
    }
    dir
}

/// Path of a workspace binary, built beforehand (`cargo build --workspace --bins`).
pub fn bin(name: &str) -> PathBuf {
    let path = profile_dir().join(name);
    assert!(
        path.exists(),
        "{} is missing: build the workspace binaries first (cargo build --workspace --bins)",
        path.display()
    );
    path
}

/// A running child: killed when dropped, its output readable line by line.
pub struct Proc {
    pub name: String,
    pub child: Child,
    stdout: Option<Lines<BufReader<ChildStdout>>>,
    stderr_log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Proc {
    /// Starts `cmd` with piped stdout and stderr; stderr is collected for failure messages.
    pub fn spawn(name: &str, mut cmd: Command) -> Proc {
        cmd.stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(Stdio::null())
            // Its own process group, so that dropping it also ends whatever
            // it started (tauri-driver starts WebKitWebDriver, which starts the app).
            .process_group(0)
            .kill_on_drop(true);
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        let stdout = child.stdout.take().map(|s| BufReader::new(s).lines());
        let stderr_log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        if let Some(err) = child.stderr.take() {
            tokio::spawn(collect(err, stderr_log.clone(), name.to_owned()));
        }
        Proc {
            name: name.to_owned(),
            child,
            stdout,
            stderr_log,
        }
    }

    /// Waits for a stdout line containing `needle` and returns it.
    pub async fn wait_for_line(&mut self, needle: &str, within: Duration) -> String {
        let lines = self.stdout.as_mut().expect("stdout already taken");
        let found = tokio::time::timeout(within, async {
            while let Ok(Some(line)) = lines.next_line().await {
                if line.contains(needle) {
                    return Some(line);
                }
            }
            None
        })
        .await;
        match found {
            Ok(Some(line)) => line,
            Ok(None) => panic!(
                "{} exited before printing {needle:?}; stderr:\n{}",
                self.name,
                self.stderr()
            ),
            Err(_) => panic!(
                "{} did not print {needle:?} within {within:?}; stderr:\n{}",
                self.name,
                self.stderr()
            ),
        }
    }

    /// What the child wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr_log.lock().unwrap().join("\n")
    }

    /// Sends a signal (e.g. `"TERM"`, `"INT"`) through kill(1).
    pub async fn signal(&self, sig: &str) {
        let pid = self.child.id().expect("child still running");
        let status = Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(pid.to_string())
            .status()
            .await
            .expect("run kill");
        assert!(status.success(), "kill -{sig} {pid} failed");
    }

    /// Waits for the child to exit.
    pub async fn wait(&mut self, within: Duration) -> std::process::ExitStatus {
        tokio::time::timeout(within, self.child.wait())
            .await
            .unwrap_or_else(|_| panic!("{} did not exit within {within:?}", self.name))
            .expect("wait on child")
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if let Some(pid) = self.child.id() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .stderr(Stdio::null())
                .status();
        }
    }
}

async fn collect(
    err: ChildStderr,
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    name: String,
) {
    let mut lines = BufReader::new(err).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if std::env::var_os("TESSERA_TEST_ECHO").is_some() {
            eprintln!("[{name}] {line}");
        }
        log.lock().unwrap().push(line);
    }
}
