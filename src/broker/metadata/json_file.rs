//! `JsonFile`: one metadata file under `<storePathRootDir>/config/`, read with the fastjson
//! reader and written atomically (temp file, fsync, rename) so a crash never leaves half a file.

use crate::protocol::fastjson;
use serde::{de::DeserializeOwned, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A metadata file that could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct MetadataError {
    pub path: PathBuf,
    pub reason: String,
}

/// Where a metadata document lives.
#[derive(Debug, Clone)]
pub struct JsonFile {
    path: PathBuf,
}

impl JsonFile {
    pub fn new(path: PathBuf) -> Self {
        JsonFile { path }
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
