//! The file manifest: every file of the widget folder with its sha256.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};
use tessera_registry::api::FileManifest;

/// Names never hashed nor served: the sidecar's own configuration may hold a token.
pub const PRIVATE_NAMES: [&str; 2] = ["node_modules", "sidecar.toml"];

/// Whether a path segment is kept out of the manifest and never served.
pub fn is_private(segment: &str) -> bool {
    segment.starts_with('.') || PRIVATE_NAMES.contains(&segment)
}

/// Why a path inside the widget folder is not one of the widget's files.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotServable {
    #[error("{0} is not a plain relative path inside the widget folder")]
    OutsideFolder(String),
    #[error("{0} is private (hidden files, node_modules and sidecar.toml are never served)")]
    Private(String),
    #[error("{0} is a symbolic link (only regular files inside the widget folder are served)")]
    Symlink(String),
    #[error("{0} does not exist or is not a regular file")]
    Missing(String),
}

/// The one rule for what the sidecar serves and registers: `rel` must name a
/// regular file inside `dir`, reached without following any symbolic link
/// and through no private segment. The same rule decides the manifest
/// ([`hash_folder`]), what `check` accepts as an entry or icon, and every
/// file request, so a link to `/etc/passwd` or to `sidecar.toml` is never
/// served whatever it is called. Answers the file's path on disk.
pub fn servable(dir: &Path, rel: &str) -> Result<PathBuf, NotServable> {
    let mut path = dir.to_path_buf();
    let mut any = false;
    for comp in Path::new(rel).components() {
        let Component::Normal(seg) = comp else {
            return Err(NotServable::OutsideFolder(rel.to_owned()));
        };
        if is_private(&seg.to_string_lossy()) {
            return Err(NotServable::Private(rel.to_owned()));
        }
        path.push(seg);
        any = true;
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(NotServable::Symlink(rel.to_owned()))
            }
            Ok(_) => {}
            Err(_) => return Err(NotServable::Missing(rel.to_owned())),
        }
    }
    if !any || !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return Err(NotServable::Missing(rel.to_owned()));
    }
    Ok(path)
}

/// Hashes every regular file under `dir`, skipping hidden entries (dotfiles,
/// `.git`), `node_modules` and `sidecar.toml`. Keys are `/`-separated relative paths.
pub fn hash_folder(dir: &Path) -> std::io::Result<FileManifest> {
    let mut out = FileManifest::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_private(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(std::io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .expect("walkdir yields paths under its root");
        let key = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        out.insert(key, sha256_file(entry.path())?);
    }
    Ok(out)
}

pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = [0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_nested_files_and_skips_hidden() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("dist")).unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join("dist/a.js"), "abc").unwrap();
        std::fs::write(dir.path().join(".git/HEAD"), "x").unwrap();
        std::fs::write(dir.path().join(".env"), "secret").unwrap();
        std::fs::write(dir.path().join("sidecar.toml"), "token = \"x\"").unwrap();
        std::os::unix::fs::symlink("dist/a.js", dir.path().join("alias.js")).unwrap();
        std::os::unix::fs::symlink("dist", dir.path().join("linked-dir")).unwrap();
        let m = hash_folder(dir.path()).unwrap();
        assert_eq!(m.keys().collect::<Vec<_>>(), ["dist/a.js"]);
        // sha256("abc")
        assert_eq!(
            m["dist/a.js"],
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    /// Issue 14, item 1: symbolic links never lead a request out of the
    /// folder or onto a private file, whatever their name.
    #[test]
    fn servable_refuses_links_private_files_and_escapes() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("w");
        std::fs::create_dir_all(dir.join("dist")).unwrap();
        std::fs::create_dir_all(root.path().join("outside")).unwrap();
        std::fs::write(root.path().join("outside/secret.txt"), "x").unwrap();
        std::fs::write(dir.join("dist/a.js"), "abc").unwrap();
        std::fs::write(dir.join("sidecar.toml"), "token = \"x\"").unwrap();
        std::fs::write(dir.join(".env"), "T=1").unwrap();
        let link =
            |target: &str, name: &str| std::os::unix::fs::symlink(target, dir.join(name)).unwrap();
        link("/etc/passwd", "leak");
        link("sidecar.toml", "cfg.txt");
        link(".env", "env-alias");
        link("../outside", "outdir");
        link("dist/a.js", "alias.js");

        assert_eq!(servable(&dir, "dist/a.js").unwrap(), dir.join("dist/a.js"));
        for rel in [
            "leak",
            "cfg.txt",
            "env-alias",
            "outdir/secret.txt",
            "alias.js",
        ] {
            assert_eq!(
                servable(&dir, rel),
                Err(NotServable::Symlink(rel.into())),
                "{rel} is reached through a symbolic link"
            );
        }
        for rel in ["sidecar.toml", ".env", "dist/.hidden", "node_modules/x.js"] {
            assert_eq!(
                servable(&dir, rel),
                Err(NotServable::Private(rel.into())),
                "{rel}"
            );
        }
        for rel in [
            "../outside/secret.txt",
            "/etc/passwd",
            "dist/../dist/a.js",
            "",
        ] {
            assert!(
                matches!(
                    servable(&dir, rel),
                    Err(NotServable::OutsideFolder(_) | NotServable::Missing(_))
                ),
                "{rel:?} leaves the folder or names nothing"
            );
        }
        assert_eq!(
            servable(&dir, "dist"),
            Err(NotServable::Missing("dist".into())),
            "a folder is not a file"
        );
        assert_eq!(
            servable(&dir, "nope.js"),
            Err(NotServable::Missing("nope.js".into()))
        );
    }
}
