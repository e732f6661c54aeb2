//! The commit log: a run of contiguous fixed-size [`Segment`]s holding every record in Apache's
//! layout. Appends are serialized by the caller (the store's append lock); reads are positioned
//! reads that never go past `max_offset`.
//!
//! Appended records are staged in memory and written to their segment (one `pwrite` for all
//! records staged since the last one) by [`CommitLog::write_staged`], which the broker calls
//! before any answer leaves a connection, so an acknowledged record is in the page cache (safe
//! from a killed process) before its producer hears of it, while the records of one socket read
//! of every connection share one system call. Apache gets the same from appending into a
//! mapped file; measured here, mapped appends cost more than they saved (page faults after each
//! flush write-protects the page being filled). Readers, the flusher and replication write the
//! staged bytes out first when they need them.

use crate::locks::{lock, read_lock, write_lock};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use bytes::Bytes;

use super::error::StoreError;
use super::segment::Segment;
use crate::protocol::message::{BLANK_MAGIC, MAGIC_V1, MAGIC_V2};

/// Bytes a record must leave free at the end of a segment for the end-of-file filler.
pub const END_FILE_MIN_BLANK_LENGTH: u64 = 8;
/// Smallest possible record (IPv4 hosts, V1, empty body/topic/properties).
pub const MIN_RECORD_SIZE: u64 = 91;

/// Staged bytes beyond this are written out at once (a reader or the flusher would do it soon
/// anyway; this bounds the memory a burst of oneway sends can hold).
const MAX_STAGED: usize = 1 << 20;

/// The segments and the write position.
#[derive(Debug)]
pub struct CommitLog {
    dir: PathBuf,
    segment_size: u64,
    segments: RwLock<Vec<Arc<Segment>>>,
    /// End of the appended data, staged bytes included (next append position).
    max_offset: AtomicU64,
    /// End of the data written to the segment files.
    written: AtomicU64,
    staged: Mutex<Staged>,
    /// Serializes writers of staged bytes (so they reach the files in order) and holds the
    /// buffer the next staged bytes are swapped into.
    writer: Mutex<Vec<u8>>,
    /// Set when writing staged bytes failed: they are lost, so nothing after them may be
    /// acknowledged or appended.
    failed: AtomicBool,
}

/// Appended bytes not yet written, all in one segment, starting at `start`.
#[derive(Debug, Default)]
struct Staged {
    start: u64,
    bytes: Vec<u8>,
    segment: Option<Arc<Segment>>,
}

impl CommitLog {
    /// Opens every `<20 digits>` file in `dir` (creating `dir`). The write position is set by
    /// recovery through [`CommitLog::set_max_offset`].
    pub fn open(dir: &Path, segment_size: u64) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, 0, e))?;
        let mut starts: Vec<u64> = std::fs::read_dir(dir)
            .map_err(|e| StoreError::io(dir, 0, e))?
            .filter_map(|e| e.ok())
            .filter_map(|e| Segment::parse_name(&e.file_name().to_string_lossy()))
            .collect();
        starts.sort_unstable();
        let mut segments = Vec::with_capacity(starts.len());
        for (i, start) in starts.iter().enumerate() {
            let path = dir.join(Segment::file_name(*start));
            let (seg, actual) = Segment::open(&path, *start, segment_size)?;
            let is_last = i + 1 == starts.len();
            if actual != segment_size {
                if is_last && actual < segment_size {
                    tracing::warn!(path = %path.display(), actual, "extending short last commit-log file");
                    seg.extend_to(segment_size)?;
                } else {
                    return Err(StoreError::FileSize {
                        path,
                        expected: segment_size,
                        actual,
                    });
                }
            }
            if let Some(prev) = segments.last().map(|s: &Arc<Segment>| s.end()) {
                if prev != *start {
                    return Err(StoreError::Gap {
                        path,
                        expected: prev,
                    });
                }
            }
            segments.push(Arc::new(seg));
        }
        let max = segments.first().map(|s| s.start()).unwrap_or(0);
        Ok(Self {
            dir: dir.to_path_buf(),
            segment_size,
            segments: RwLock::new(segments),
            max_offset: AtomicU64::new(max),
            written: AtomicU64::new(max),
            staged: Mutex::new(Staged::default()),
            writer: Mutex::new(Vec::new()),
            failed: AtomicBool::new(false),
        })
    }

    pub fn segment_size(&self) -> u64 {
        self.segment_size
    }

    /// A snapshot of the segment list, oldest first.
    pub fn segments(&self) -> Vec<Arc<Segment>> {
        read_lock(&self.segments).clone()
    }

    /// End of the written data (next append position).
    pub fn max_offset(&self) -> u64 {
        self.max_offset.load(Ordering::Acquire)
    }

    /// End of the data written to the files (staged bytes excluded).
    pub fn written_offset(&self) -> u64 {
        self.written.load(Ordering::Acquire)
    }

    /// Moves the write position (recovery, a slave starting an empty log); nothing may be
    /// staged. Caller holds the append lock.
    pub fn set_max_offset(&self, offset: u64) {
        debug_assert!(self.max_offset() == self.written_offset(), "bytes staged");
        self.max_offset.store(offset, Ordering::Release);
        self.written.store(offset, Ordering::Release);
    }

    /// Start of the oldest segment (or the write position if there is none).
    pub fn min_offset(&self) -> u64 {
        // The write position is read first: read after finding no segment, it could already
        // be past data appended in between.
        let max = self.max_offset();
        read_lock(&self.segments).first().map_or(max, |f| f.start())
    }

    /// The segment holding `offset`.
    pub fn segment_for(&self, offset: u64) -> Option<Arc<Segment>> {
        let segs = read_lock(&self.segments);
        let idx = segs.partition_point(|s| s.end() <= offset);
        segs.get(idx).filter(|s| s.contains(offset)).cloned()
    }

    /// Start of the segment that would hold `offset`.
    pub fn segment_start_of(&self, offset: u64) -> u64 {
        offset - offset % self.segment_size
    }

    /// Finds room for `len` bytes at the write position: if they do not fit in the current
    /// segment (with 8 bytes to spare) the end-of-file filler is written and a new segment is
    /// created. Returns the offset to write at and its segment. Caller holds the append lock.
    pub fn prepare_append(&self, len: u64) -> Result<(u64, Arc<Segment>), StoreError> {
        let pos = self.max_offset();
        if let Some(seg) = self.segment_for(pos) {
            let remaining = seg.end() - pos;
            if len + END_FILE_MIN_BLANK_LENGTH <= remaining {
                return Ok((pos, seg));
            }
            let mut filler = Vec::with_capacity(8);
            filler.extend_from_slice(&(remaining as i32).to_be_bytes());
            filler.extend_from_slice(&BLANK_MAGIC.to_be_bytes());
            self.write(&seg, pos, &filler)?;
            self.set_max_offset(seg.end());
        }
        let start = self.max_offset();
        let seg = self.create_segment(start)?;
        Ok((start, seg))
    }

    /// Creates the segment starting at `start` (which must be segment-aligned and follow the
    /// last one, or begin an empty log).
    pub fn create_segment(&self, start: u64) -> Result<Arc<Segment>, StoreError> {
        let seg = Arc::new(Segment::create(&self.dir, start, self.segment_size)?);
        write_lock(&self.segments).push(seg.clone());
        Ok(seg)
    }

    /// Writes at `offset` (the write position) inside `seg` at once and advances the write
    /// position past it (a slave writing what its master sent). Caller holds the append lock.
    pub fn write(&self, seg: &Arc<Segment>, offset: u64, data: &[u8]) -> Result<(), StoreError> {
        self.stage(seg, offset, data)?;
        self.write_staged()
    }

    /// Appends `data` at `offset` (the write position) inside `seg` and advances the write
    /// position; the bytes reach the file with the next [`CommitLog::write_staged`]. Caller
    /// holds the append lock.
    pub fn stage(&self, seg: &Arc<Segment>, offset: u64, data: &[u8]) -> Result<(), StoreError> {
        debug_assert_eq!(offset, self.max_offset());
        let mut staged = lock(&self.staged);
        let other_segment = staged
            .segment
            .as_ref()
            .is_some_and(|s| !Arc::ptr_eq(s, seg));
        if other_segment && !staged.bytes.is_empty() {
            drop(staged);
            self.write_staged()?;
            staged = lock(&self.staged);
        }
        if staged.bytes.is_empty() {
            staged.start = offset;
            staged.segment = Some(seg.clone());
        }
        staged.bytes.extend_from_slice(data);
        // Moved while the staged bytes are locked: a writer that takes them afterwards then
        // never sets `written` past `max_offset`.
        self.max_offset
            .store(offset + data.len() as u64, Ordering::Release);
        let full = staged.bytes.len() >= MAX_STAGED;
        drop(staged);
        if full {
            self.write_staged()?;
        }
        Ok(())
    }

    /// Writes every staged byte to its segment (one `pwrite`). On an error the bytes are lost:
    /// the caller must not acknowledge anything staged and must stop appending (the next start
    /// recovers the log up to the last whole record written).
    pub fn write_staged(&self) -> Result<(), StoreError> {
        if self.write_failed() {
            return Err(StoreError::WriteFailed {
                offset: self.written_offset(),
            });
        }
        if self.written_offset() == self.max_offset() {
            return Ok(());
        }
        let mut out = lock(&self.writer);
        let (start, segment) = {
            let mut staged = lock(&self.staged);
            out.clear();
            std::mem::swap(&mut staged.bytes, &mut *out);
            let start = staged.start;
            staged.start += out.len() as u64;
            (start, staged.segment.clone())
        };
        let Some(segment) = segment.filter(|_| !out.is_empty()) else {
            return Ok(());
        };
        if let Err(e) = segment.write_at(start, &out) {
            self.failed.store(true, Ordering::Release);
            tracing::error!(error = %e, offset = start, bytes = out.len(),
                "commit-log write failed: the records staged since the last write are lost and \
                 were not acknowledged; refusing sends until a restart recovers the store");
            return Err(e);
        }
        self.written
            .store(start + out.len() as u64, Ordering::Release);
        Ok(())
    }

    /// Whether a write of staged bytes failed (the store must refuse appends).
    pub fn write_failed(&self) -> bool {
        self.failed.load(Ordering::Acquire)
    }

    /// Reads `len` bytes at `offset` if they were appended and lie in one segment.
    pub fn read(&self, offset: u64, len: usize) -> Option<Bytes> {
        if offset + len as u64 > self.max_offset() {
            return None;
        }
        if offset + len as u64 > self.written_offset() {
            self.write_staged().ok()?;
        }
        let seg = self.segment_for(offset)?;
        if offset + len as u64 > seg.end() {
            return None;
        }
        seg.read_at(offset, len).ok().map(Bytes::from)
    }

    /// The whole record starting at `offset` (checks TOTALSIZE and magic, not the CRC).
    pub fn read_record(&self, offset: u64) -> Option<Bytes> {
        let head = self.read(offset, 8)?;
        let total = i32::from_be_bytes([head[0], head[1], head[2], head[3]]);
        let magic = i32::from_be_bytes([head[4], head[5], head[6], head[7]]);
        if !(magic == MAGIC_V1 || magic == MAGIC_V2) || (total as u64) < MIN_RECORD_SIZE {
            return None;
        }
        self.read(offset, total as usize)
    }

    /// Raw bytes from `from` for replication: at most `max_bytes`, never past the written data
    /// nor across a segment end. `None` when there is nothing new.
    pub fn read_chunk(
        &self,
        from: u64,
        max_bytes: usize,
    ) -> Result<Option<(u64, Bytes)>, StoreError> {
        // min first: on an empty log it is the write position, which only grows.
        let min = self.min_offset();
        let max = self.max_offset();
        if from < min || from > max {
            return Err(StoreError::OffsetOutOfRange {
                offset: from,
                min,
                max,
            });
        }
        if from == max {
            return Ok(None);
        }
        self.write_staged()?;
        let max = self.written_offset();
        if from >= max {
            return Ok(None);
        }
        let Some(seg) = self.segment_for(from) else {
            return Ok(None);
        };
        let end = max.min(seg.end()).min(from + max_bytes as u64);
        let data = seg.read_at(from, (end - from) as usize)?;
        Ok(Some((from, Bytes::from(data))))
    }

    /// Writes the staged bytes and fdatasyncs every segment overlapping `[from, to)`.
    pub fn sync_range(&self, from: u64, to: u64) -> Result<(), StoreError> {
        if to > self.written_offset() {
            self.write_staged()?;
        }
        for seg in self.segments() {
            if seg.end() > from && seg.start() < to {
                seg.sync_data()?;
            }
        }
        Ok(())
    }

    /// Cuts the log at `offset`: zeroes the rest of its segment, deletes later segments.
    pub fn truncate_to(&self, offset: u64) -> Result<(), StoreError> {
        let removed: Vec<Arc<Segment>> = {
            let mut segs = write_lock(&self.segments);
            let keep = segs.partition_point(|s| s.start() < offset);
            segs.split_off(keep)
        };
        for seg in removed {
            tracing::warn!(path = %seg.path().display(), "deleting commit-log file past the recovered end");
            seg.delete()?;
        }
        if let Some(seg) = self.segment_for(offset.saturating_sub(1)) {
            if offset < seg.end() {
                seg.zero_from(offset)?;
            }
        }
        self.set_max_offset(offset);
        Ok(())
    }

    /// Removes the oldest segment (retention). Refuses to remove the one being written.
    pub fn remove_oldest(&self) -> Result<Option<Arc<Segment>>, StoreError> {
        let seg = {
            let mut segs = write_lock(&self.segments);
            if segs.len() < 2 {
                return Ok(None);
            }
            segs.remove(0)
        };
        seg.delete()?;
        Ok(Some(seg))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Appends (staged) race with replication reads, which write the staged bytes themselves:
    /// every chunk continues the last, never passes `max_offset`, and holds what was appended.
    #[test]
    fn replication_reads_racing_staged_appends_see_contiguous_appended_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let log = Arc::new(CommitLog::open(dir.path(), 1 << 20).unwrap());
        let byte_at = |pos: u64| (pos % 251) as u8;
        let total: u64 = 3 << 20;
        let appender = {
            let log = log.clone();
            std::thread::spawn(move || {
                let mut n = 0u64;
                while log.max_offset() < total {
                    let len = 50 + (n * 37) % 900;
                    let (pos, seg) = log.prepare_append(len).unwrap();
                    let data: Vec<u8> = (pos..pos + len).map(byte_at).collect();
                    log.stage(&seg, pos, &data).unwrap();
                    n += 1;
                }
                log.write_staged().unwrap();
            })
        };
        let mut next = 0u64;
        let mut chunks = 0;
        while next < total {
            let max_before = log.max_offset();
            match log.read_chunk(next, 4096).unwrap() {
                Some((at, data)) => {
                    assert_eq!(at, next);
                    let end = at + data.len() as u64;
                    assert!(end <= log.max_offset(), "chunk past max_offset");
                    for (i, b) in data.iter().enumerate() {
                        let pos = at + i as u64;
                        // End-of-segment fillers (8-byte header, then zeros) are not ours.
                        if pos % (1 << 20) < (1 << 20) - 2048 {
                            assert_eq!(*b, byte_at(pos), "byte at {pos}");
                        }
                    }
                    next = end;
                    chunks += 1;
                }
                // Nothing new only when the reader has caught up with every append it saw.
                None => assert!(next >= max_before, "None at {next} below {max_before}"),
            }
        }
        appender.join().unwrap();
        assert!(chunks > 100);
        assert_eq!(log.written_offset(), log.max_offset());
    }
}
