//! Widget files by their sha256, on disk, bounded in size.
//!
//! Content-addressed: a file's name is its hash, so an entry never goes
//! stale (a changed file has a new hash) and every widget, revision and user
//! shares one copy. The most recently used files are also kept in memory
//! (up to an eighth of the bound, at most 128 MiB), so a warm load reads no
//! disk. Writes go to a temporary file renamed into place, so a
//! reader never sees half a file and several replicas (or processes) may
//! share the directory. Past the size bound, the least recently used entries
//! go. Several requests for the same missing file make one fetch
//! ([`FileCache::fetch_once`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;

struct Entry {
    size: u64,
    used: u64,
    /// The bytes, when kept in memory too.
    hot: Option<Bytes>,
}

#[derive(Default)]
struct Index {
    entries: HashMap<String, Entry>,
    total: u64,
    /// Bytes held in memory.
    hot_total: u64,
    clock: u64,
}

impl Index {
    /// Keeps `bytes` in memory for `sha`, dropping the least recently used
    /// in-memory copies to stay within `limit`.
    fn keep_hot(&mut self, sha: &str, bytes: &Bytes, limit: u64) {
        let size = bytes.len() as u64;
        if size > limit || self.entries.get(sha).is_none_or(|e| e.hot.is_some()) {
            return;
        }
        if self.hot_total + size > limit {
            let mut hot: Vec<(u64, String)> = self
                .entries
                .iter()
                .filter(|(_, e)| e.hot.is_some())
                .map(|(k, e)| (e.used, k.clone()))
                .collect();
            hot.sort();
            for (_, k) in hot {
                if self.hot_total + size <= limit {
                    break;
                }
                if let Some(e) = self.entries.get_mut(&k) {
                    if e.hot.take().is_some() {
                        self.hot_total -= e.size;
                    }
                }
            }
        }
        if let Some(e) = self.entries.get_mut(sha) {
            e.hot = Some(bytes.clone());
            self.hot_total += size;
        }
    }

    fn remove(&mut self, sha: &str) -> Option<Entry> {
        let e = self.entries.remove(sha)?;
        self.total -= e.size;
        if e.hot.is_some() {
            self.hot_total -= e.size;
        }
        Some(e)
    }
}

pub struct FileCache {
    dir: PathBuf,
    limit: u64,
    hot_limit: u64,
    index: Mutex<Index>,
    inflight: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// A directory of our own when none was given, removed on drop.
    _temp: Option<tempfile::TempDir>,
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl FileCache {
    /// A cache in `dir` (created if missing; files already there are kept
    /// and counted), or in a temporary directory of its own when `None`.
    pub fn open(dir: Option<&Path>, limit: u64) -> std::io::Result<FileCache> {
        let (dir, temp) = match dir {
            Some(d) => (d.to_owned(), None),
            None => {
                let t = tempfile::Builder::new()
                    .prefix("tessera-widget-files-")
                    .tempdir()?;
                (t.path().to_owned(), Some(t))
            }
        };
        std::fs::create_dir_all(&dir)?;
        let mut index = Index::default();
        for entry in std::fs::read_dir(&dir)?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            match entry.metadata() {
                Ok(m) if m.is_file() && is_sha256(&name) => {
                    index.total += m.len();
                    index.entries.insert(
                        name,
                        Entry {
                            size: m.len(),
                            used: 0,
                            hot: None,
                        },
                    );
                }
                // Leftovers of an interrupted write.
                Ok(m) if m.is_file() && name.starts_with(".tmp") => {
                    let _ = std::fs::remove_file(entry.path());
                }
                _ => {}
            }
        }
        let cache = FileCache {
            dir,
            limit,
            hot_limit: (limit / 8).min(128 * 1024 * 1024),
            index: Mutex::new(index),
            inflight: Mutex::new(HashMap::new()),
            _temp: temp,
        };
        cache.evict();
        Ok(cache)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Bytes held now.
    pub fn size(&self) -> u64 {
        self.index.lock().expect("file cache").total
    }

    fn path(&self, sha: &str) -> PathBuf {
        self.dir.join(sha)
    }

    /// The file with this hash, if cached.
    pub async fn get(&self, sha: &str) -> Option<Bytes> {
        {
            let mut index = self.index.lock().expect("file cache");
            index.clock += 1;
            let now = index.clock;
            let entry = index.entries.get_mut(sha)?;
            entry.used = now;
            if let Some(bytes) = &entry.hot {
                return Some(bytes.clone());
            }
        }
        match tokio::fs::read(self.path(sha)).await {
            Ok(bytes) => {
                let bytes = Bytes::from(bytes);
                let mut index = self.index.lock().expect("file cache");
                index.keep_hot(sha, &bytes, self.hot_limit);
                Some(bytes)
            }
            Err(_) => {
                // Removed behind our back (another process evicted it).
                self.index.lock().expect("file cache").remove(sha);
                None
            }
        }
    }

    /// Keeps `bytes` under `sha` (which the caller has checked), then evicts
    /// down to the bound. A file larger than the bound is not kept.
    pub async fn put(&self, sha: &str, bytes: &Bytes) -> std::io::Result<()> {
        let size = bytes.len() as u64;
        if size > self.limit || !is_sha256(sha) {
            return Ok(());
        }
        let tmp = self.dir.join(format!(".tmp-{sha}-{}", std::process::id()));
        tokio::fs::write(&tmp, bytes.as_ref()).await?;
        tokio::fs::rename(&tmp, self.path(sha)).await?;
        {
            let mut index = self.index.lock().expect("file cache");
            index.clock += 1;
            let used = index.clock;
            index.remove(sha);
            index.entries.insert(
                sha.to_owned(),
                Entry {
                    size,
                    used,
                    hot: None,
                },
            );
            index.total += size;
            index.keep_hot(sha, bytes, self.hot_limit);
        }
        self.evict();
        Ok(())
    }

    /// Drops least recently used entries until the total fits the bound.
    fn evict(&self) {
        let mut gone = Vec::new();
        {
            let mut index = self.index.lock().expect("file cache");
            if index.total <= self.limit {
                return;
            }
            let mut by_age: Vec<(u64, String)> = index
                .entries
                .iter()
                .map(|(k, e)| (e.used, k.clone()))
                .collect();
            by_age.sort();
            for (_, sha) in by_age {
                if index.total <= self.limit {
                    break;
                }
                if index.remove(&sha).is_some() {
                    gone.push(sha);
                }
            }
        }
        for sha in gone {
            let _ = std::fs::remove_file(self.path(&sha));
        }
    }

    /// Runs `fetch` for `sha` unless another request is fetching it: then
    /// waits for that one and reads its result from the cache. `fetch` is
    /// expected to [`put`](Self::put) what it got.
    pub async fn fetch_once<F, Fut, E>(&self, sha: &str, fetch: F) -> Result<Bytes, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Bytes, E>>,
    {
        let lock = self
            .inflight
            .lock()
            .expect("file cache")
            .entry(sha.to_owned())
            .or_default()
            .clone();
        let guard = lock.lock().await;
        let result = match self.get(sha).await {
            Some(bytes) => Ok(bytes),
            None => fetch().await,
        };
        drop(guard);
        let mut inflight = self.inflight.lock().expect("file cache");
        // Two references: the map's and ours; nobody else is waiting.
        if Arc::strong_count(&lock) <= 2 {
            inflight.remove(sha);
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(n: u8) -> String {
        format!("{n:02x}").repeat(32)
    }

    #[tokio::test]
    async fn keeps_files_by_hash_and_evicts_the_least_recently_used() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FileCache::open(Some(dir.path()), 25).unwrap();
        cache
            .put(&sha(1), &Bytes::from_static(&[1; 10]))
            .await
            .unwrap();
        cache
            .put(&sha(2), &Bytes::from_static(&[2; 10]))
            .await
            .unwrap();
        assert_eq!(cache.get(&sha(1)).await.unwrap().as_ref(), &[1; 10]);
        // 30 bytes > 25: the least recently used (2) goes.
        cache
            .put(&sha(3), &Bytes::from_static(&[3; 10]))
            .await
            .unwrap();
        assert!(cache.get(&sha(2)).await.is_none());
        assert!(cache.get(&sha(1)).await.is_some());
        assert!(cache.get(&sha(3)).await.is_some());
        assert_eq!(cache.size(), 20);
        assert!(!dir.path().join(sha(2)).exists(), "its file is removed");
        // Larger than the whole bound: not kept.
        cache
            .put(&sha(4), &Bytes::from_static(&[4; 26]))
            .await
            .unwrap();
        assert!(cache.get(&sha(4)).await.is_none());
    }

    #[tokio::test]
    async fn a_reopened_cache_finds_its_files_and_forgets_removed_ones() {
        let dir = tempfile::tempdir().unwrap();
        {
            let cache = FileCache::open(Some(dir.path()), 1000).unwrap();
            cache
                .put(&sha(1), &Bytes::from_static(b"one"))
                .await
                .unwrap();
            cache
                .put(&sha(2), &Bytes::from_static(b"two"))
                .await
                .unwrap();
        }
        std::fs::write(dir.path().join(".tmp-x"), b"half").unwrap();
        let cache = FileCache::open(Some(dir.path()), 1000).unwrap();
        assert_eq!(cache.size(), 6);
        assert!(!dir.path().join(".tmp-x").exists());
        std::fs::remove_file(dir.path().join(sha(1))).unwrap();
        assert!(cache.get(&sha(1)).await.is_none());
        assert_eq!(cache.size(), 3);
    }

    #[tokio::test]
    async fn concurrent_misses_fetch_once() {
        let cache = Arc::new(FileCache::open(None, 1000).unwrap());
        let fetches = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (cache, fetches) = (cache.clone(), fetches.clone());
            tasks.push(tokio::spawn(async move {
                let c = cache.clone();
                cache
                    .fetch_once(&sha(7), || async move {
                        fetches.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        c.put(&sha(7), &Bytes::from_static(b"seven")).await.unwrap();
                        Ok::<_, ()>(Bytes::from_static(b"seven"))
                    })
                    .await
                    .unwrap()
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().as_ref(), b"seven");
        }
        assert_eq!(fetches.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert!(cache.inflight.lock().unwrap().is_empty());
    }
}
