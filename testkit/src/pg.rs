//! A real Postgres server for tests.

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

use sqlx::Connection;

struct Server {
    /// `postgres://user@host:port` without a database name.
    base_url: String,
    /// Closing this pipe (at process exit) makes the guard stop the cluster.
    _guard: Option<Mutex<(Child, ChildStdin)>>,
}

static SERVER: OnceLock<Server> = OnceLock::new();
static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// Creates an empty database on the test server and returns its URL.
pub async fn fresh_database() -> String {
    let server = SERVER.get_or_init(start_or_reuse);
    let name = format!(
        "tessera_test_{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, Ordering::Relaxed)
    );
    let admin_url = format!("{}/postgres", server.base_url);
    let mut conn = sqlx::PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("connecting to the test Postgres at {admin_url}: {e}"));
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&mut conn)
        .await
        .expect("drop old test database");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("creating test database {name}: {e}"));
    format!("{}/{name}", server.base_url)
}

/// The server's URL without a database name, e.g. for a server process under test.
pub fn server_base_url() -> String {
    SERVER.get_or_init(start_or_reuse).base_url.clone()
}

fn start_or_reuse() -> Server {
    if let Ok(url) = std::env::var("DATABASE_URL") {
        if !url.is_empty() {
            let base = match url.rfind('/') {
                Some(i) if i > "postgres://".len() => url[..i].to_owned(),
                _ => url,
            };
            return Server {
                base_url: base,
                _guard: None,
            };
        }
    }
    start_throwaway_cluster()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn pg_bin_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("PG_BIN_DIR") {
        return PathBuf::from(dir);
    }
    let mut candidates: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    candidates.sort();
    if let Some((_, bin)) = candidates.pop() {
        return bin;
    }
    panic!(
        "no Postgres server binaries found: install Debian's `postgresql` package, \
         set PG_BIN_DIR to the folder holding initdb and pg_ctl, or set DATABASE_URL"
    )
}

/// Runs a Postgres tool, as the `postgres` user when we are root (initdb refuses root).
fn pg_command(root: bool, bin: &Path, tool: &str) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(tool));
        c
    } else {
        Command::new(bin.join(tool))
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind a free loopback port")
}

fn run_ok(mut cmd: Command, what: &str) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn start_throwaway_cluster() -> Server {
    let bin = pg_bin_dir();
    let root = is_root();
    let dir = tempfile::Builder::new()
        .prefix("tessera-pg-")
        .tempdir()
        .expect("temporary directory for the test cluster")
        .keep();
    if root {
        run_ok(
            {
                let mut c = Command::new("chown");
                c.arg("postgres:postgres").arg(&dir);
                c
            },
            "chown of the cluster directory to postgres",
        );
    }
    let data = dir.join("data");
    let mut initdb = pg_command(root, &bin, "initdb");
    initdb
        .arg("-D")
        .arg(&data)
        .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
    run_ok(initdb, "initdb of the throwaway test cluster");

    // A port taken between our probe and the server's bind: try a few.
    let mut last_err = String::new();
    for _ in 0..5 {
        let port = free_port();
        let opts = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            dir.display()
        );
        let mut start = pg_command(root, &bin, "pg_ctl");
        start
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("server.log"))
            .args(["-w", "-t", "60", "-o", &opts, "start"]);
        let out = start.output().expect("run pg_ctl start");
        if out.status.success() {
            let guard = spawn_guard(root, &bin, &data, &dir);
            return Server {
                base_url: format!("postgres://postgres@127.0.0.1:{port}"),
                _guard: Some(Mutex::new(guard)),
            };
        }
        last_err = format!(
            "{}{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(dir.join("server.log")).unwrap_or_default()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    panic!("pg_ctl could not start the throwaway cluster:\n{last_err}");
}

/// A shell that waits for its stdin to close (this process exiting, however
/// it exits), then stops the cluster and removes its directory.
fn spawn_guard(root: bool, bin: &Path, data: &Path, dir: &Path) -> (Child, ChildStdin) {
    let pg_ctl = bin.join("pg_ctl");
    let stop = if root {
        format!(
            "runuser -u postgres -- '{}' -D '{}' -m immediate stop",
            pg_ctl.display(),
            data.display()
        )
    } else {
        format!(
            "'{}' -D '{}' -m immediate stop",
            pg_ctl.display(),
            data.display()
        )
    };
    let script = format!(
        "cat >/dev/null; {stop} >/dev/null 2>&1; rm -rf '{}'",
        dir.display()
    );
    use std::os::unix::process::CommandExt;
    let mut child = Command::new("sh")
        // Its own process group: a Ctrl-C aimed at the test run must not
        // kill the guard before it has cleaned up.
        .process_group(0)
        .arg("-c")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the cluster clean-up guard");
    let mut stdin = child.stdin.take().expect("guard stdin is piped");
    // Nothing is ever written but this newline; EOF is the signal.
    let _ = stdin.write_all(b"\n");
    (child, stdin)
}
