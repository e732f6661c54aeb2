//! Store errors. Each names the file and offset involved so an operator can find the problem.

use std::io;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "store is in use by another broker: cannot lock {lock}; stop that broker or use another storePathRootDir"
    )]
    Locked { lock: PathBuf },
    #[error("I/O error on {path} at offset {offset}: {source}")]
    Io {
        path: PathBuf,
        offset: u64,
        #[source]
        source: io::Error,
    },
    #[error("{path}: size {actual} does not match the configured file size {expected}")]
    FileSize {
        path: PathBuf,
        expected: u64,
        actual: u64,
    },
    #[error("{path}: commit-log files are not contiguous, expected one starting at {expected}")]
    Gap { path: PathBuf, expected: u64 },
    #[error("corrupt index file {path} at offset {offset}: {reason}")]
    CorruptIndex {
        path: PathBuf,
        offset: u64,
        reason: String,
    },
    #[error("invalid store configuration: {0}")]
    Config(String),
    #[error("replicated data at offset {offset} does not continue the local commit log ending at {expected}")]
    ReplicaOffset { offset: u64, expected: u64 },
    #[error(
        "replicated data at offset {offset} ({len} bytes) crosses the segment end {segment_end}"
    )]
    ReplicaCrossesSegment {
        offset: u64,
        len: usize,
        segment_end: u64,
    },
    #[error("corrupt replicated record at commit-log offset {offset}: {reason}")]
    ReplicaCorrupt { offset: u64, reason: String },
    #[error("this store is not a slave; replicated appends are refused")]
    NotSlave,
    #[error("offset {offset} is outside the commit log [{min}, {max})")]
    OffsetOutOfRange { offset: u64, min: u64, max: u64 },
    #[error("the commit log cannot be written at offset {offset} ({reason}); the records appended since are kept and written again once the disk takes writes")]
    WriteFailing { offset: u64, reason: String },
}

impl StoreError {
    pub(crate) fn io(path: impl Into<PathBuf>, offset: u64, source: io::Error) -> Self {
        Self::Io {
            path: path.into(),
            offset,
            source,
        }
    }

    /// True when the disk is full (ENOSPC / EDQUOT).
    pub fn is_disk_full(&self) -> bool {
        matches!(self, Self::Io { source, .. }
            if matches!(source.raw_os_error(), Some(libc::ENOSPC) | Some(libc::EDQUOT)))
    }
}
