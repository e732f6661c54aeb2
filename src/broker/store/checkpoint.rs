//! `<root>/checkpoint`, Apache's `StoreCheckpoint` layout: a 4 KiB file starting with int64
//! physicMsgTimestamp, logicsMsgTimestamp, indexMsgTimestamp (then 5.x's masterFlushedOffset and
//! confirmPhyOffset, written as 0). Each is the store time of the last record known flushed.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use super::error::StoreError;

const FILE_SIZE: u64 = 4096;

/// Flushed-up-to timestamps.
#[derive(Debug)]
pub struct Checkpoint {
    path: PathBuf,
    file: File,
    pub physic_msg_timestamp: i64,
    pub logics_msg_timestamp: i64,
    pub index_msg_timestamp: i64,
}

impl Checkpoint {
    /// Opens (or creates with zeros) the checkpoint file and reads it.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| StoreError::io(path, 0, e))?;
        let len = file
            .metadata()
            .map_err(|e| StoreError::io(path, 0, e))?
            .len();
        if len < FILE_SIZE {
            file.set_len(FILE_SIZE)
                .map_err(|e| StoreError::io(path, len, e))?;
        }
        let mut buf = [0u8; 24];
        file.read_exact_at(&mut buf, 0)
            .map_err(|e| StoreError::io(path, 0, e))?;
        let field =
            |i: usize| i64::from_be_bytes(buf[i * 8..i * 8 + 8].try_into().unwrap_or([0; 8]));
        Ok(Self {
            path: path.to_path_buf(),
            file,
            physic_msg_timestamp: field(0),
            logics_msg_timestamp: field(1),
            index_msg_timestamp: field(2),
        })
    }

    /// Writes the fields and fdatasyncs.
    pub fn flush(&self) -> Result<(), StoreError> {
        let mut buf = [0u8; 40];
        buf[0..8].copy_from_slice(&self.physic_msg_timestamp.to_be_bytes());
        buf[8..16].copy_from_slice(&self.logics_msg_timestamp.to_be_bytes());
        buf[16..24].copy_from_slice(&self.index_msg_timestamp.to_be_bytes());
        self.file
            .write_all_at(&buf, 0)
            .and_then(|_| self.file.sync_data())
            .map_err(|e| StoreError::io(&self.path, 0, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_layout() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("checkpoint");
        let mut cp = Checkpoint::open(&path).unwrap();
        assert_eq!(cp.physic_msg_timestamp, 0);
        cp.physic_msg_timestamp = 1_700_000_000_000;
        cp.logics_msg_timestamp = 1_600_000_000_000;
        cp.index_msg_timestamp = 5;
        cp.flush().unwrap();
        let raw = std::fs::read(&path).unwrap();
        assert_eq!(raw.len(), 4096);
        assert_eq!(&raw[0..8], &1_700_000_000_000i64.to_be_bytes());
        assert_eq!(&raw[16..24], &5i64.to_be_bytes());
        let cp2 = Checkpoint::open(&path).unwrap();
        assert_eq!(cp2.logics_msg_timestamp, 1_600_000_000_000);
    }
}
