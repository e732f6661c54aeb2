//! `<root>/lock`: an exclusive `flock` held while a store is open, so two brokers (or two stores
//! in one process) can never write the same directory. The kernel drops it if the process dies.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::io::AsRawFd;
use std::path::Path;

use super::error::StoreError;

/// Holds the lock until dropped.
#[derive(Debug)]
pub struct StoreLock {
    _file: File,
}

impl StoreLock {
    pub fn acquire(root: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(root).map_err(|e| StoreError::io(root, 0, e))?;
        let path = root.join("lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| StoreError::io(&path, 0, e))?;
        // SAFETY: flock on a valid open fd.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            let err = std::io::Error::last_os_error();
            return Err(match err.raw_os_error() {
                Some(libc::EWOULDBLOCK) => StoreError::Locked { lock: path },
                _ => StoreError::io(&path, 0, err),
            });
        }
        // The pid is informational only (helps an operator find the owner).
        let _ = file.set_len(0);
        let _ = writeln!(file, "{}", std::process::id());
        Ok(Self { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_fails_with_path_until_released() {
        let dir = tempfile::tempdir().unwrap();
        let first = StoreLock::acquire(dir.path()).unwrap();
        let err = StoreLock::acquire(dir.path()).unwrap_err();
        assert!(matches!(&err, StoreError::Locked { lock } if lock.ends_with("lock")));
        assert!(err.to_string().contains(&*dir.path().to_string_lossy()));
        drop(first);
        assert!(StoreLock::acquire(dir.path()).is_ok());
    }
}
