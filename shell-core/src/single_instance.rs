//! One running app per person, server and user: a second start (the OS
//! opening a `tessera://` link, say) hands its link to the running app and
//! ends, instead of opening a second window on the same workspace.
//!
//! The running app listens on a Unix socket named for its configuration
//! folder, server and user token; a second start with the same three
//! connects and sends one JSON line, `{"open": "<link>"}` (or `{}` to just
//! bring the window forward), and the first answers `ok`. A socket left by
//! an app that crashed refuses connections; the next start takes its place.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What a second start asks of the running app.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// A link (or layout id) to open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<String>,
}

/// The socket for this configuration folder, server and token, under
/// `runtime_dir` (`$XDG_RUNTIME_DIR`; else the configuration folder).
pub fn socket_path(
    runtime_dir: &Path,
    config_dir: &Path,
    server: &str,
    token: Option<&str>,
) -> PathBuf {
    let mut h = Sha256::new();
    for part in [
        config_dir.to_string_lossy().as_bytes(),
        server.trim_end_matches('/').as_bytes(),
        token.unwrap_or("").trim().as_bytes(),
    ] {
        h.update(part);
        h.update([0]);
    }
    let key: String = h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    runtime_dir.join(format!("tessera-{key}.sock"))
}

/// The outcome of trying to be the one running app.
pub enum Claim {
    /// No app was running: this one is, and listens here.
    First(Instance),
    /// A running app took the message; this start should end.
    HandedOff,
}

/// The running app's end of the socket; removes it when dropped.
pub struct Instance {
    listener: UnixListener,
    path: PathBuf,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Hands `message` to the app listening at `path`, or becomes that app.
pub fn claim(path: &Path, message: &Message) -> std::io::Result<Claim> {
    match UnixStream::connect(path) {
        Ok(stream) => match hand_off(stream, message) {
            Ok(()) => return Ok(Claim::HandedOff),
            // Listening but not answering: treat it as gone.
            Err(e) => {
                tracing::warn!(error = %e, "the running Tessera did not answer; starting anew")
            }
        },
        Err(e) if path.exists() => {
            tracing::debug!(error = %e, "a socket left by an app that ended; replacing it")
        }
        Err(_) => {}
    }
    let _ = std::fs::remove_file(path);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let listener = UnixListener::bind(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(Claim::First(Instance {
        listener,
        path: path.to_owned(),
    }))
}

fn hand_off(mut stream: UnixStream, message: &Message) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.set_write_timeout(Some(Duration::from_secs(5)))?;
    let mut line = serde_json::to_string(message)?;
    line.push('\n');
    stream.write_all(line.as_bytes())?;
    let mut answer = String::new();
    BufReader::new(stream).read_line(&mut answer)?;
    if answer.trim() == "ok" {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "unexpected answer {answer:?}"
        )))
    }
}

impl Instance {
    /// The socket's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Serves second starts on a thread of its own for as long as the app
    /// runs, calling `on_message` with each one's message.
    pub fn serve(self, on_message: impl Fn(Message) + Send + 'static) {
        std::thread::Builder::new()
            .name("single-instance".into())
            .spawn(move || {
                for stream in self.listener.incoming() {
                    let Ok(mut stream) = stream else { continue };
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                    let mut line = String::new();
                    // At most one short line: a link, not a flood.
                    let read = BufReader::new((&stream).take(64 * 1024)).read_line(&mut line);
                    match read
                        .ok()
                        .and_then(|_| serde_json::from_str::<Message>(line.trim()).ok())
                    {
                        Some(m) => {
                            let _ = stream.write_all(b"ok\n");
                            on_message(m);
                        }
                        None => {
                            let _ = stream.write_all(b"error: expected one JSON line\n");
                        }
                    }
                }
            })
            .expect("a thread for second starts");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn a_second_start_hands_its_link_to_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = socket_path(
            dir.path(),
            Path::new("/home/a/.config/tessera"),
            "http://s",
            Some("t"),
        );
        let Claim::First(first) = claim(&path, &Message::default()).unwrap() else {
            panic!("nothing was running");
        };
        let (tx, rx) = mpsc::channel();
        first.serve(move |m| tx.send(m).unwrap());
        let link = Message {
            open: Some("tessera://layout/lay_1".into()),
        };
        assert!(matches!(claim(&path, &link).unwrap(), Claim::HandedOff));
        assert_eq!(rx.recv_timeout(Duration::from_secs(5)).unwrap(), link);
        assert!(matches!(
            claim(&path, &Message::default()).unwrap(),
            Claim::HandedOff
        ));
        assert_eq!(
            rx.recv_timeout(Duration::from_secs(5)).unwrap(),
            Message::default()
        );
    }

    #[test]
    fn a_socket_left_by_a_crashed_app_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tessera-x.sock");
        drop(UnixListener::bind(&path).unwrap()); // the file stays, nobody listens
        assert!(path.exists());
        assert!(matches!(
            claim(&path, &Message::default()).unwrap(),
            Claim::First(_)
        ));
    }

    #[test]
    fn other_servers_users_and_profiles_are_other_instances() {
        let r = Path::new("/run/user/1000");
        let c = Path::new("/home/a/.config/tessera");
        let base = socket_path(r, c, "http://s/", Some("t"));
        assert_eq!(base, socket_path(r, c, "http://s", Some("t")));
        assert_ne!(base, socket_path(r, c, "http://other", Some("t")));
        assert_ne!(base, socket_path(r, c, "http://s", Some("u")));
        assert_ne!(
            base,
            socket_path(r, Path::new("/tmp/p/config"), "http://s", Some("t"))
        );
        assert!(base.as_os_str().len() < 100, "fits a socket address");
    }
}
