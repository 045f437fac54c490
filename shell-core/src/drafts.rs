//! Never losing work: the workspace as it is now, kept on disk while the
//! person works (a draft), and which layout was open, so that after a crash,
//! a kill or a plain restart the app offers the work back and reopens the
//! layout. Files are written whole (temporary file, fsync, rename), so a
//! kill at any moment leaves the previous draft or the new one, never half.
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let drafts = tessera_shell_core::drafts::Drafts::new(dir.path());
//! assert!(drafts.load().is_none());
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The workspace not yet saved as a version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Draft {
    /// The layout it was opened from (None: never saved).
    pub layout: Option<String>,
    /// The version it was based on; saving it later is checked against this.
    pub version: Option<i64>,
    pub title: String,
    /// The layout document (the server's format), kept as the page wrote
    /// it rather than as a `LayoutDocument`: a draft is work not to lose, so
    /// one the document model would refuse (written by a newer app, or not
    /// yet valid) is still offered back, and the server judges it on save.
    #[cfg_attr(test, ts(type = "Schemas['LayoutDocument']"))]
    pub document: Value,
    /// When it was written (RFC 3339, from the app's clock).
    pub saved_at: String,
}

/// What the app remembers between runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Session {
    last_layout: Option<String>,
}

pub struct Drafts {
    dir: PathBuf,
}

const DRAFT: &str = "draft.json";
const SESSION: &str = "session.json";

impl Drafts {
    pub fn new(dir: impl Into<PathBuf>) -> Drafts {
        Drafts { dir: dir.into() }
    }

    /// `$XDG_DATA_HOME/tessera/desktop` (usually `~/.local/share/tessera/desktop`).
    pub fn default_dir() -> Option<PathBuf> {
        dirs::data_dir().map(|d| d.join("tessera").join("desktop"))
    }

    pub fn save(&self, draft: &Draft) -> std::io::Result<()> {
        self.write(DRAFT, &serde_json::to_vec(draft)?)
    }

    /// The draft, if one was left. An unreadable one is set aside (kept as
    /// `draft.json.unreadable` for a person to look at), not offered.
    pub fn load(&self) -> Option<Draft> {
        let path = self.dir.join(DRAFT);
        let bytes = std::fs::read(&path).ok()?;
        match serde_json::from_slice(&bytes) {
            Ok(d) => Some(d),
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "draft unreadable; set aside");
                let _ = std::fs::rename(&path, self.dir.join("draft.json.unreadable"));
                None
            }
        }
    }

    pub fn clear(&self) -> std::io::Result<()> {
        match std::fs::remove_file(self.dir.join(DRAFT)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    pub fn set_last_layout(&self, id: Option<&str>) -> std::io::Result<()> {
        let s = Session {
            last_layout: id.map(str::to_owned),
        };
        self.write(SESSION, &serde_json::to_vec(&s)?)
    }

    pub fn last_layout(&self) -> Option<String> {
        let bytes = std::fs::read(self.dir.join(SESSION)).ok()?;
        serde_json::from_slice::<Session>(&bytes).ok()?.last_layout
    }

    /// Writes `name` whole: a temporary file, flushed to disk, renamed over.
    fn write(&self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let tmp = self.dir.join(format!(".{name}.tmp"));
        {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, self.dir.join(name))?;
        sync_dir(&self.dir);
        Ok(())
    }
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(marker: &str) -> Draft {
        Draft {
            layout: Some("lay_1".into()),
            version: Some(3),
            title: "Desk".into(),
            document: serde_json::json!({"schema": 1, "marker": marker}),
            saved_at: "2026-11-30T22:00:00Z".into(),
        }
    }

    #[test]
    fn a_draft_is_kept_until_cleared_and_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let d = Drafts::new(dir.path().join("desktop"));
        assert_eq!(d.load(), None);
        d.save(&draft("a")).unwrap();
        d.save(&draft("b")).unwrap();
        assert_eq!(d.load(), Some(draft("b")));
        let names: Vec<_> = std::fs::read_dir(dir.path().join("desktop"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["draft.json"], "no temporary file left behind");
        d.clear().unwrap();
        d.clear().unwrap();
        assert_eq!(d.load(), None);
    }

    #[test]
    fn an_unreadable_draft_is_set_aside_not_offered() {
        let dir = tempfile::tempdir().unwrap();
        let d = Drafts::new(dir.path());
        std::fs::write(dir.path().join(DRAFT), "{ half a dra").unwrap();
        assert_eq!(d.load(), None);
        assert!(dir.path().join("draft.json.unreadable").exists());
    }

    #[test]
    fn the_last_layout_is_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let d = Drafts::new(dir.path());
        assert_eq!(d.last_layout(), None);
        d.set_last_layout(Some("lay_9")).unwrap();
        assert_eq!(d.last_layout().as_deref(), Some("lay_9"));
        d.set_last_layout(None).unwrap();
        assert_eq!(d.last_layout(), None);
    }
}
