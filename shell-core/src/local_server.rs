//! "Just this computer": the desktop runs Tessera's server itself, on
//! loopback, with its embedded SQLite database under the user's data folder
//! and the local user, so one person can use Tessera with no organisation
//! server (what `scripts/demo.sh` does from a checkout).
//!
//! The server is the `tessera-server` program installed beside the app
//! (the `.deb` ships both). A server already answering at the address is
//! used as it is; otherwise one is started and the app waits until it is
//! ready. It writes the local user's token to `local-user.token` in its
//! data folder, which the app then keeps like any sign-in.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the server for this computer listens, unless
/// `TESSERA_LOCAL_PORT` names another port.
pub const DEFAULT_PORT: u16 = 7410;

#[derive(Debug, thiserror::Error)]
pub enum LocalServerError {
    #[error("cannot start Tessera's server ({program}): {source}")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error("Tessera's server did not become ready at {url} within {secs} s{log}")]
    NotReady { url: String, secs: u64, log: String },
    #[error("the server for this computer wrote no local user token at {0}")]
    NoToken(PathBuf),
}

/// The address of the server for this computer.
pub fn url(env: impl Fn(&str) -> Option<String>) -> String {
    let port = env("TESSERA_LOCAL_PORT")
        .and_then(|p| p.parse::<u16>().ok())
        .unwrap_or(DEFAULT_PORT);
    format!("http://127.0.0.1:{port}")
}

/// The server program: beside the app's own executable, else on `PATH`.
pub fn program(app_exe: Option<&Path>) -> PathBuf {
    app_exe
        .and_then(Path::parent)
        .map(|d| d.join("tessera-server"))
        .filter(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from("tessera-server"))
}

/// The local user's token file the embedded server writes (under `data_home`, i.e. `XDG_DATA_HOME`).
pub fn token_file(data_home: &Path) -> PathBuf {
    data_home.join("tessera").join("local-user.token")
}

async fn ready(http: &reqwest::Client, url: &str) -> bool {
    http.get(format!("{url}/readyz"))
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
}

/// Makes sure a server answers at `url`, starting `program` there when
/// none does; its output goes to `log` (appended). Waits up to `within`.
pub async fn ensure_running(
    http: &reqwest::Client,
    url: &str,
    program: &Path,
    log: &Path,
    within: Duration,
) -> Result<(), LocalServerError> {
    if ready(http, url).await {
        return Ok(());
    }
    let listen = url.trim_start_matches("http://").to_owned();
    if let Some(dir) = log.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|source| LocalServerError::Spawn {
            program: program.display().to_string(),
            source,
        })?;
    let err = out.try_clone().map_err(|source| LocalServerError::Spawn {
        program: program.display().to_string(),
        source,
    })?;
    // Its own process group: it outlives a restart of the app (which finds
    // it ready) and is not stopped by a signal meant for the app's terminal.
    let mut child = std::process::Command::new(program);
    child
        .args(["serve", "--listen", &listen])
        .stdin(std::process::Stdio::null())
        .stdout(out)
        .stderr(err);
    std::os::unix::process::CommandExt::process_group(&mut child, 0);
    child.spawn().map_err(|source| LocalServerError::Spawn {
        program: program.display().to_string(),
        source,
    })?;
    let deadline = tokio::time::Instant::now() + within;
    while tokio::time::Instant::now() < deadline {
        if ready(http, url).await {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let tail: String = std::fs::read_to_string(log)
        .map(|t| {
            t.lines()
                .rev()
                .take(5)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    Err(LocalServerError::NotReady {
        url: url.to_owned(),
        secs: within.as_secs(),
        log: if tail.is_empty() {
            String::new()
        } else {
            format!("; its log ({}) ends:\n{tail}", log.display())
        },
    })
}

/// The local user's token, once the server has written it.
pub fn read_token(data_home: &Path) -> Result<String, LocalServerError> {
    let file = token_file(data_home);
    std::fs::read_to_string(&file)
        .ok()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .ok_or(LocalServerError::NoToken(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_and_the_program() {
        assert_eq!(url(|_| None), "http://127.0.0.1:7410");
        assert_eq!(
            url(|k| (k == "TESSERA_LOCAL_PORT").then(|| "7499".into())),
            "http://127.0.0.1:7499"
        );
        assert_eq!(url(|_| Some("nonsense".into())), "http://127.0.0.1:7410");
        let dir = tempfile::tempdir().unwrap();
        let app = dir.path().join("tessera");
        assert_eq!(program(Some(&app)), PathBuf::from("tessera-server"));
        std::fs::write(dir.path().join("tessera-server"), "").unwrap();
        assert_eq!(program(Some(&app)), dir.path().join("tessera-server"));
    }

    #[tokio::test]
    async fn a_program_that_never_gets_ready_is_reported_with_its_log() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("server.log");
        // `false` exits at once: nothing ever answers on this port.
        let e = ensure_running(
            &reqwest::Client::new(),
            "http://127.0.0.1:9",
            Path::new("false"),
            &log,
            Duration::from_millis(300),
        )
        .await
        .unwrap_err();
        assert!(matches!(e, LocalServerError::NotReady { .. }), "{e}");
        let missing = ensure_running(
            &reqwest::Client::new(),
            "http://127.0.0.1:9",
            Path::new("/nonexistent/tessera-server"),
            &log,
            Duration::from_millis(300),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(missing, LocalServerError::Spawn { .. }),
            "{missing}"
        );
        assert!(matches!(
            read_token(dir.path()),
            Err(LocalServerError::NoToken(_))
        ));
    }
}
