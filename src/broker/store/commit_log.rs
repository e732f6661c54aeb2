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
//!
//! A write that fails (a full or failing disk) loses nothing: the bytes are kept and written
//! again with backoff ([`super::write_failure`]) until the disk takes them; meanwhile the store
//! refuses appends and no answer acknowledges a record that is not in its file.

use crate::locks::{lock, read_lock, write_lock};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use bytes::Bytes;

use super::error::StoreError;
use super::segment::Segment;
use super::write_failure::{Unwritten, WriteFailure};
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
    /// Serializes writers of staged bytes (so they reach the files in order).
    writer: Mutex<Writer>,
    /// Set while a write failed and its bytes wait for a retry: appends are refused.
    failing: AtomicBool,
    /// Why, while failing (the remark of refused sends).
    failure_reason: Mutex<Option<String>>,
}

/// Appended bytes not yet written, all in one segment, starting at `start`.
#[derive(Debug, Default)]
struct Staged {
    start: u64,
    bytes: Vec<u8>,
    segment: Option<Arc<Segment>>,
    /// Where the written position lands once these bytes are written: their end, or the
    /// segment's end after an end-of-file filler.
    end: u64,
}

/// The writer's state: the buffer the next staged bytes are swapped into, and the bytes of a
/// failed write, which go before anything staged later.
#[derive(Debug, Default)]
struct Writer {
    buffer: Vec<u8>,
    failure: Option<WriteFailure>,
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
            writer: Mutex::new(Writer::default()),
            failing: AtomicBool::new(false),
            failure_reason: Mutex::new(None),
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
            // The rest of the segment stays blank: the write position moves to its end now,
            // and the filler reaches the file before anything of the next segment.
            self.stage_to(&seg, pos, &filler, seg.end())?;
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
        self.stage_to(seg, offset, data, offset + data.len() as u64)
    }

    /// [`CommitLog::stage`], moving the write position to `end` (past `data` for a filler).
    fn stage_to(
        &self,
        seg: &Arc<Segment>,
        offset: u64,
        data: &[u8],
        end: u64,
    ) -> Result<(), StoreError> {
        debug_assert_eq!(offset, self.max_offset());
        let mut staged = lock(&self.staged);
        let other_segment = staged
            .segment
            .as_ref()
            .is_some_and(|s| !Arc::ptr_eq(s, seg));
        if other_segment && !staged.bytes.is_empty() {
            drop(staged);
            // Staged bytes stay in one segment: the earlier segment's go first. If that
            // fails, nothing of this append is staged (the caller refuses it).
            self.write_staged()?;
            staged = lock(&self.staged);
        }
        if staged.bytes.is_empty() {
            staged.start = offset;
            staged.segment = Some(seg.clone());
        }
        staged.bytes.extend_from_slice(data);
        staged.end = end;
        // Moved while the staged bytes are locked: a writer that takes them afterwards then
        // never sets `written` past `max_offset`.
        self.max_offset.store(end, Ordering::Release);
        let full = staged.bytes.len() >= MAX_STAGED;
        drop(staged);
        if full {
            // The bytes are staged either way; a failed write keeps them for a retry.
            let _ = self.write_staged();
        }
        Ok(())
    }

    /// Writes every staged byte to its segment (one `pwrite`). A failed write keeps the bytes
    /// and marks the log failing ([`CommitLog::write_failing`]): later calls write them again
    /// (first, before anything staged since) once the backoff allows, and the error is returned
    /// until one succeeds. Nothing staged is ever dropped or written twice.
    pub fn write_staged(&self) -> Result<(), StoreError> {
        if self.written_offset() == self.max_offset() {
            return Ok(());
        }
        let mut writer = lock(&self.writer);
        self.write_kept(&mut writer)?;
        let Writer { buffer, failure } = &mut *writer;
        let (start, segment, end) = {
            let mut staged = lock(&self.staged);
            buffer.clear();
            std::mem::swap(&mut staged.bytes, buffer);
            let start = staged.start;
            staged.start += buffer.len() as u64;
            (start, staged.segment.clone(), staged.end)
        };
        let Some(segment) = segment.filter(|_| !buffer.is_empty()) else {
            return Ok(());
        };
        if let Err(e) = segment.write_at(start, buffer) {
            let kept = Unwritten {
                start,
                bytes: std::mem::take(buffer),
                segment,
                end,
            };
            let state = WriteFailure::new(kept, &e);
            *lock(&self.failure_reason) = Some(state.reason().to_string());
            *failure = Some(state);
            self.failing.store(true, Ordering::Release);
            return Err(e);
        }
        self.written.store(end, Ordering::Release);
        Ok(())
    }

    /// Writes the bytes of an earlier failed write, if the backoff allows an attempt now.
    fn write_kept(&self, writer: &mut Writer) -> Result<(), StoreError> {
        let Some(failure) = writer.failure.as_mut() else {
            return Ok(());
        };
        if !failure.attempt_due() {
            return Err(StoreError::WriteFailing {
                offset: failure.kept.start,
                reason: failure.reason().to_string(),
            });
        }
        let kept = &failure.kept;
        if let Err(e) = kept.segment.write_at(kept.start, &kept.bytes) {
            failure.retry_failed(&e);
            *lock(&self.failure_reason) = Some(failure.reason().to_string());
            return Err(e);
        }
        self.written.store(kept.end, Ordering::Release);
        if let Some(failure) = writer.failure.take() {
            failure.recovered();
        }
        *lock(&self.failure_reason) = None;
        self.failing.store(false, Ordering::Release);
        Ok(())
    }

    /// Whether a write of staged bytes failed and its bytes wait for a retry (the store
    /// refuses appends meanwhile).
    pub fn write_failing(&self) -> bool {
        self.failing.load(Ordering::Acquire)
    }

    /// The error of the failing write, while writes fail.
    pub fn write_failure_reason(&self) -> Option<String> {
        lock(&self.failure_reason).clone()
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
        // While writes fail, what is in the files is served; the rest follows once written.
        let _ = self.write_staged();
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

    /// Fdatasyncs every segment overlapping `[from, to)` (written data: see
    /// [`CommitLog::write_staged`]).
    pub fn sync_range(&self, from: u64, to: u64) -> Result<(), StoreError> {
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
