//! The file manifest: every file of the widget folder with its sha256.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};
use tessera_registry::api::FileManifest;

/// Names never hashed nor served: the sidecar's own configuration may hold a token.
pub const PRIVATE_NAMES: [&str; 2] = ["node_modules", "sidecar.toml"];

/// Whether a path segment is kept out of the manifest and never served.
pub fn is_private(segment: &str) -> bool {
    segment.starts_with('.') || PRIVATE_NAMES.contains(&segment)
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
        let m = hash_folder(dir.path()).unwrap();
        assert_eq!(m.keys().collect::<Vec<_>>(), ["dist/a.js"]);
        // sha256("abc")
        assert_eq!(
            m["dist/a.js"],
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
