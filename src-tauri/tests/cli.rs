//! The `tessera` binary before any window: help, version, and no display.

use std::process::Command;

fn tessera() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tessera"));
    cmd.env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY");
    cmd
}

/// Issue 14, item 11: `tessera --help` with no display printed a GTK
/// backtrace and exited 101.
#[test]
fn regression_14_11_help_needs_no_display() {
    let out = tessera().arg("--help").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("Usage: tessera")
            && stdout.contains("--server <URL>")
            && stdout.contains("tessera open"),
        "{stdout}"
    );
    let out = tessera().arg("--version").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("tessera {}", env!("CARGO_PKG_VERSION"))
    );
}

/// Issue 12: a real argument parser: a mistake is one message and status 2.
#[test]
fn a_bad_argument_is_refused_with_status_2() {
    let out = tessera().arg("--bogus").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--bogus"), "{stderr}");
    let out = tessera().args(["open", "../etc"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not a layout id"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn regression_14_11_no_display_is_one_clear_line() {
    let out = tessera().arg("--empty").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line, no backtrace: {stderr}");
    assert!(lines[0].starts_with("tessera: no display"), "{stderr}");
}
