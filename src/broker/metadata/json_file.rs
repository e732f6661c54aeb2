//! `JsonFile`: one metadata file under `<storePathRootDir>/config/`, read with the fastjson
//! reader and written atomically (temp file, fsync, rename) so a crash never leaves half a file.

use crate::locks::lock;
use crate::protocol::fastjson;
use serde::{de::DeserializeOwned, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A metadata file that could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct MetadataError {
    pub path: PathBuf,
    pub reason: String,
}

/// Where a metadata document lives. Writes are serialised: concurrent requests (two pulls
/// auto-creating a group, say) would otherwise share the temp file and one rename would fail.
#[derive(Debug, Clone)]
pub struct JsonFile {
    path: PathBuf,
    write_lock: Arc<Mutex<()>>,
}

impl JsonFile {
    pub fn new(path: PathBuf) -> Self {
        JsonFile {
            path,
            write_lock: Arc::new(Mutex::new(())),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Load the document; a missing file gives `None`. A corrupt file is an error that names it,
    /// unless the `.bak` copy from the previous write is intact, which is used instead.
    pub fn load<T: DeserializeOwned>(&self) -> Result<Option<T>, MetadataError> {
        match self.read(&self.path) {
            Ok(v) => Ok(v),
            Err(first) => match self.read(&self.backup()) {
                Ok(Some(v)) => {
                    tracing::warn!(path = %self.path.display(), error = %first.reason,
                        "metadata file is corrupt; using its .bak copy");
                    Ok(Some(v))
                }
                _ => Err(first),
            },
        }
    }

    fn read<T: DeserializeOwned>(&self, path: &Path) -> Result<Option<T>, MetadataError> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.error(e.to_string())),
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        fastjson::from_slice(&bytes)
            .map(Some)
            .map_err(|e| MetadataError {
                path: path.to_path_buf(),
                reason: format!("{e}; fix the file or move it away"),
            })
    }

    /// Write the document atomically, keeping the previous version as `.bak`.
    pub fn store<T: Serialize>(&self, value: &T) -> Result<(), MetadataError> {
        let text = fastjson::to_vec(value).map_err(|e| self.error(e.to_string()))?;
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| self.error(e.to_string()))?;
        }
        let _serialised = lock(&self.write_lock);
        let tmp = self.path.with_extension("tmp");
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&text)?;
            f.sync_data()?;
            if self.path.exists() {
                std::fs::copy(&self.path, self.backup())?;
            }
            std::fs::rename(&tmp, &self.path)
        };
        write().map_err(|e| self.error(e.to_string()))
    }

    fn backup(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".bak");
        self.path.with_file_name(name)
    }

    fn error(&self, reason: String) -> MetadataError {
        MetadataError {
            path: self.path.clone(),
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_writes_of_one_file_all_succeed() {
        let dir = tempfile::tempdir().unwrap();
        let file = JsonFile::new(dir.path().join("config").join("doc.json"));
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let f = file.clone();
                std::thread::spawn(move || {
                    for j in 0..50 {
                        f.store(&vec![i, j]).expect("every write succeeds");
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let last: Vec<i32> = file.load().unwrap().unwrap();
        assert_eq!(last.len(), 2);
        assert_eq!(last[1], 49);
    }
}
