//! One fixed-size store file named by its 20-digit start offset (commit-log segments and
//! consume-queue files alike).
//!
//! Plain positioned I/O (`pread`/`pwrite` through `FileExt`) instead of mmap: a write error
//! (ENOSPC, EIO) comes back as an `io::Error` we can turn into a clean refusal, where a
//! mapped-memory store would get SIGBUS; and readers and the flusher share one fd safely.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

use super::error::StoreError;

/// A fixed-size file covering offsets `[start, start + size)`.
#[derive(Debug)]
pub struct Segment {
    path: PathBuf,
    start: u64,
    size: u64,
    file: File,
}

impl Segment {
    /// `00000000001073741824` style name.
    pub fn file_name(start: u64) -> String {
        format!("{start:020}")
    }

    /// Parses a segment file name; `None` for anything that is not 20 digits.
    pub fn parse_name(name: &str) -> Option<u64> {
        (name.len() == 20 && name.bytes().all(|b| b.is_ascii_digit()))
            .then(|| name.parse().ok())
            .flatten()
    }

    /// Creates (or reuses) the file for `start` and reserves `size` bytes on disk, so a full
    /// disk is reported here rather than in the middle of a record.
    pub fn create(dir: &Path, start: u64, size: u64) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, 0, e))?;
        let path = dir.join(Self::file_name(start));
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| StoreError::io(&path, 0, e))?;
        file.set_len(size)
            .map_err(|e| StoreError::io(&path, size, e))?;
        if let Err(e) = reserve(&file, size) {
            drop(file);
            let _ = std::fs::remove_file(&path);
            return Err(StoreError::io(&path, 0, e));
        }
        Ok(Self {
            path,
            start,
            size,
            file,
        })
    }

    /// Opens an existing file. Its length must equal `size`; a shorter last file (crash while
    /// creating it) may be extended by the caller with [`Segment::extend_to`].
    pub fn open(path: &Path, start: u64, size: u64) -> Result<(Self, u64), StoreError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| StoreError::io(path, 0, e))?;
        let actual = file
            .metadata()
            .map_err(|e| StoreError::io(path, 0, e))?
            .len();
        Ok((
            Self {
                path: path.to_path_buf(),
                start,
                size,
                file,
            },
            actual,
        ))
    }

    pub fn extend_to(&self, size: u64) -> Result<(), StoreError> {
        self.file
            .set_len(size)
            .map_err(|e| StoreError::io(&self.path, size, e))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn start(&self) -> u64 {
        self.start
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn end(&self) -> u64 {
        self.start + self.size
    }

    pub fn contains(&self, offset: u64) -> bool {
        offset >= self.start && offset < self.end()
    }

    /// Writes `data` at absolute offset `offset` (must lie inside this segment).
    pub fn write_at(&self, offset: u64, data: &[u8]) -> Result<(), StoreError> {
        let pos = offset - self.start;
        self.file
            .write_all_at(data, pos)
            .map_err(|e| StoreError::io(&self.path, pos, e))
    }

    /// Reads `len` bytes at absolute offset `offset`.
    pub fn read_at(&self, offset: u64, len: usize) -> Result<Vec<u8>, StoreError> {
        let pos = offset - self.start;
        let mut buf = vec![0u8; len];
        self.file
            .read_exact_at(&mut buf, pos)
            .map_err(|e| StoreError::io(&self.path, pos, e))?;
        Ok(buf)
    }

    /// fdatasync.
    pub fn sync_data(&self) -> Result<(), StoreError> {
        self.file
            .sync_data()
            .map_err(|e| StoreError::io(&self.path, 0, e))
    }

    /// Zeroes everything from absolute offset `offset` to the end of the file.
    pub fn zero_from(&self, offset: u64) -> Result<(), StoreError> {
        let pos = offset - self.start;
        self.file
            .set_len(pos)
            .and_then(|_| self.file.set_len(self.size))
            .map_err(|e| StoreError::io(&self.path, pos, e))?;
        let _ = reserve(&self.file, self.size);
        Ok(())
    }

    /// Last modification time in ms since the epoch (0 if unknown).
    pub fn modified_ms(&self) -> i64 {
        self.file
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }

    /// Removes the file (open handles keep working until dropped).
    pub fn delete(&self) -> Result<(), StoreError> {
        std::fs::remove_file(&self.path).map_err(|e| StoreError::io(&self.path, 0, e))
    }
}

/// Reserves disk blocks for the whole file; file systems without fallocate keep a sparse file.
fn reserve(file: &File, size: u64) -> std::io::Result<()> {
    // SAFETY: fallocate on a valid, open fd with in-range arguments; no memory is touched.
    let rc = unsafe { libc::fallocate(file.as_raw_fd(), 0, 0, size as libc::off_t) };
    if rc == 0 {
        return Ok(());
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EOPNOTSUPP) | Some(libc::ENOSYS) | Some(libc::EINVAL) => Ok(()),
        _ => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_20_digits() {
        assert_eq!(Segment::file_name(1073741824), "00000000001073741824");
        assert_eq!(
            Segment::parse_name("00000000001073741824"),
            Some(1073741824)
        );
        assert_eq!(Segment::parse_name("abc"), None);
        assert_eq!(Segment::parse_name("0000000000107374182x"), None);
    }

    #[test]
    fn write_read_zero() {
        let dir = tempfile::tempdir().unwrap();
        let seg = Segment::create(dir.path(), 4096, 4096).unwrap();
        seg.write_at(4100, b"abcd").unwrap();
        assert_eq!(seg.read_at(4100, 4).unwrap(), b"abcd");
        seg.zero_from(4102).unwrap();
        assert_eq!(seg.read_at(4100, 4).unwrap(), b"ab\0\0");
        assert_eq!(std::fs::metadata(seg.path()).unwrap().len(), 4096);
        assert!(seg.read_at(8000, 200).is_err());
    }
}
