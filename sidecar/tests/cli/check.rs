//! `tessera-sidecar check`: one test per manifest rule, each naming the problem.

use std::path::Path;
use std::process::Command;

use crate::{sidecar, widget_folder, write, GOOD_MANIFEST};

/// Runs `check` on a folder whose manifest is `manifest`; returns (exit code, stderr).
fn check_with(manifest: &str) -> (i32, String) {
    let dir = widget_folder();
    write(dir.path(), "widget.toml", manifest);
    let out = Command::new(sidecar())
        .arg("check")
        .arg(dir.path())
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_good_folder_passes() {
    let dir = widget_folder();
    let out = Command::new(sidecar())
        .arg("check")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("acme.card 0.3.1"), "{stdout}");
}

#[test]
fn missing_id() {
    let (code, err) = check_with(&GOOD_MANIFEST.replace("id = \"acme.card\"\n", ""));
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("tessera-sidecar: "), "{err}");
    assert!(err.contains("widget.toml: id: is missing"), "{err}");
}

#[test]
fn tag_without_hyphen() {
    let (code, err) = check_with(&GOOD_MANIFEST.replace("acme-card", "card"));
    assert_eq!(code, 2);
    assert!(
        err.contains("widget.toml: tag: \"card\" has no hyphen"),
        "{err}"
    );
}

#[test]
fn entry_file_absent() {
    let (code, err) = check_with(&GOOD_MANIFEST.replace("card.js", "dist/card.js"));
    assert_eq!(code, 2);
    assert!(
        err.contains("entry: ") && err.contains("dist/card.js does not exist"),
        "{err}"
    );
}

#[test]
fn icon_file_absent() {
    let (code, err) = check_with(&GOOD_MANIFEST.replace("icon.svg", "missing.svg"));
    assert_eq!(code, 2);
    assert!(
        err.contains("icon: ") && err.contains("missing.svg does not exist"),
        "{err}"
    );
}

#[test]
fn version_not_semver() {
    let (code, err) = check_with(&GOOD_MANIFEST.replace("0.3.1", "3"));
    assert_eq!(code, 2);
    assert!(
        err.contains("version: \"3\" is not a semantic version"),
        "{err}"
    );
}

#[test]
fn id_without_publisher() {
    let (code, err) = check_with(&GOOD_MANIFEST.replace("acme.card", "card"));
    assert_eq!(code, 2);
    assert!(
        err.contains("id: \"card\" must be <publisher>.<name>"),
        "{err}"
    );
}

#[test]
fn interop_type_malformed() {
    let (code, err) = check_with(&format!(
        "{GOOD_MANIFEST}[interop]\nlistens = [\"fdc3 instrument\"]\n"
    ));
    assert_eq!(code, 2);
    assert!(err.contains("interop.listens[0]"), "{err}");
}

#[test]
fn no_manifest_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(sidecar())
        .arg("check")
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("widget.toml: cannot read"), "{err}");
}

/// Issue 14, item 7: `check` refuses what `run` could not register: an entry
/// or icon that is a symbolic link, the sidecar's own configuration, or a
/// hidden file.
#[test]
fn regression_14_7_check_refuses_entries_run_would_not_serve() {
    type Case = (&'static str, &'static str, fn(&Path));
    let cases: [Case; 4] = [
        ("entry", "link.js", |d| {
            std::os::unix::fs::symlink("card.js", d.join("link.js")).unwrap()
        }),
        ("icon", "icon-link.svg", |d| {
            std::os::unix::fs::symlink("/etc/passwd", d.join("icon-link.svg")).unwrap()
        }),
        ("entry", "sidecar.toml", |d| {
            write(d, "sidecar.toml", "port = 1")
        }),
        ("entry", ".hidden.js", |d| write(d, ".hidden.js", "x")),
    ];
    for (field, file, make) in cases {
        let dir = widget_folder();
        make(dir.path());
        let original = if field == "entry" {
            "card.js"
        } else {
            "icon.svg"
        };
        let manifest = GOOD_MANIFEST.replace(&format!("\"{original}\""), &format!("\"{file}\""));
        write(dir.path(), "widget.toml", &manifest);
        let out = Command::new(sidecar())
            .arg("check")
            .arg(dir.path())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{field} = {file:?} must fail check: {err}"
        );
        assert!(
            err.contains(&format!("{field}: ")) && err.contains(file),
            "{err}"
        );
    }
}
