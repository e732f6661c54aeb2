//! The commit log: a run of contiguous fixed-size [`Segment`]s holding every record in Apache's
//! layout. Appends are serialized by the caller (the store's append lock); reads are lock-free
//! positioned reads that never go past `max_offset`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use bytes::Bytes;

use super::error::StoreError;
use super::segment::Segment;
use crate::protocol::message::{BLANK_MAGIC, MAGIC_V1, MAGIC_V2};

/// Bytes a record must leave free at the end of a segment for the end-of-file filler.
pub const END_FILE_MIN_BLANK_LENGTH: u64 = 8;
/// Smallest possible record (IPv4 hosts, V1, empty body/topic/properties).
pub const MIN_RECORD_SIZE: u64 = 91;

/// The segments and the write position.
#[derive(Debug)]
pub struct CommitLog {
    dir: PathBuf,
    segment_size: u64,
    segments: RwLock<Vec<Arc<Segment>>>,
    max_offset: AtomicU64,
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
        })
    }

    pub fn segment_size(&self) -> u64 {
        self.segment_size
    }

    /// A snapshot of the segment list, oldest first.
    pub fn segments(&self) -> Vec<Arc<Segment>> {
        self.segments.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// End of the written data (next append position).
    pub fn max_offset(&self) -> u64 {
        self.max_offset.load(Ordering::Acquire)
    }

    pub fn set_max_offset(&self, offset: u64) {
        self.max_offset.store(offset, Ordering::Release);
    }

    /// Start of the oldest segment (or the write position if there is none).
    pub fn min_offset(&self) -> u64 {
        self.segments
            .read()
            .ok()
            .and_then(|s| s.first().map(|f| f.start()))
            .unwrap_or_else(|| self.max_offset())
    }

    /// The segment holding `offset`.
    pub fn segment_for(&self, offset: u64) -> Option<Arc<Segment>> {
        let segs = self.segments.read().ok()?;
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
            seg.write_at(pos, &filler)?;
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
        if let Ok(mut segs) = self.segments.write() {
            segs.push(seg.clone());
        }
        Ok(seg)
    }

    /// Writes at `offset` inside `seg` and advances the write position past it.
    pub fn write(&self, seg: &Segment, offset: u64, data: &[u8]) -> Result<(), StoreError> {
        seg.write_at(offset, data)?;
        self.set_max_offset(offset + data.len() as u64);
        Ok(())
    }

    /// Reads `len` bytes at `offset` if they were written and lie in one segment.
    pub fn read(&self, offset: u64, len: usize) -> Option<Bytes> {
        if offset + len as u64 > self.max_offset() {
            return None;
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
        let max = self.max_offset();
        let min = self.min_offset();
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
        let Some(seg) = self.segment_for(from) else {
            return Ok(None);
        };
        let end = max.min(seg.end()).min(from + max_bytes as u64);
        let data = seg.read_at(from, (end - from) as usize)?;
        Ok(Some((from, Bytes::from(data))))
    }

    /// fdatasyncs every segment overlapping `[from, to)`.
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
        let removed: Vec<Arc<Segment>> = match self.segments.write() {
            Ok(mut segs) => {
                let keep = segs.partition_point(|s| s.start() < offset);
                segs.split_off(keep)
            }
            Err(_) => Vec::new(),
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
            let Ok(mut segs) = self.segments.write() else {
                return Ok(None);
            };
            if segs.len() < 2 {
                return Ok(None);
            }
            segs.remove(0)
        };
        seg.delete()?;
        Ok(Some(seg))
    }
}
