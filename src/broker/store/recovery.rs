//! Start-up recovery: walk the commit-log segments that may hold unflushed or undispatched data
//! verifying each record (magic, size bounds, body CRC, PHYSICALOFFSET = its position), rebuild
//! missing consume-queue entries from them, truncate a torn tail in the last segment, and cut
//! consume queues back to match. Then recover the on-disk key index: load its files (dropping
//! corrupt ones and ones past the recovered end) and index only the commit-log tail after the
//! index's last endPhyOffset.
//!
//! Where the walk starts follows Apache ([`scan_start`]): after a clean stop the last three
//! segments, after a crash the last segment that begins before the checkpoint's min timestamp;
//! earlier if consume queues are missing, so start-up time does not grow with the commit log.
//! The `abort` marker decides which rule applies, whether the tail is zeroed defensively and
//! which index files are trusted. A corrupt record in a walked segment other than the last is
//! reported and the rest of that segment skipped; later segments are still recovered.

use std::path::PathBuf;

use super::commit_log::{CommitLog, MIN_RECORD_SIZE};
use super::consume_queue::ConsumeQueueTable;
use super::dispatch::{dispatch, index_record, CqWrite, DispatchRecord};
use super::error::StoreError;
use super::index::KeyIndex;
use super::segment::Segment;
use crate::protocol::message::{MessageRecord, BLANK_MAGIC, MAGIC_V1, MAGIC_V2};

const READ_CHUNK: usize = 4 * 1024 * 1024;

/// A damaged place found at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corruption {
    pub path: PathBuf,
    /// Offset inside the file.
    pub file_offset: u64,
    /// Commit-log offset.
    pub phys_offset: u64,
    pub reason: String,
    /// What recovery did: "truncated" or "skipped the rest of the file".
    pub action: &'static str,
}

/// What recovery found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecoveryReport {
    /// The `abort` marker was present: the previous run did not shut down cleanly.
    pub abnormal_shutdown: bool,
    /// Valid records seen.
    pub records: u64,
    pub corruptions: Vec<Corruption>,
    /// Commit-log offset where a torn or corrupt tail was cut.
    pub truncated_at: Option<u64>,
    pub max_phys_offset: u64,
    pub last_store_timestamp: i64,
}

/// What is at some position of a segment.
#[derive(Debug)]
pub enum Parsed {
    /// A verified record of this many bytes.
    Record(Box<MessageRecord>, u64),
    /// End-of-file filler covering this many bytes.
    Filler(u64),
    /// Zeros: nothing was written here.
    Empty,
    /// More bytes are needed to decide.
    NeedMore,
    Corrupt(String),
}

/// Classifies the bytes at commit-log offset `pos` (`buf` starts there; the segment ends at
/// `segment_end`).
pub fn parse_at(buf: &[u8], pos: u64, segment_end: u64) -> Parsed {
    let room = segment_end - pos;
    if room < 8 {
        return Parsed::Corrupt(format!("only {room} bytes left before the end of the file"));
    }
    let Some(head) = buf.get(..8) else {
        return Parsed::NeedMore;
    };
    let total = i32::from_be_bytes([head[0], head[1], head[2], head[3]]);
    let magic = i32::from_be_bytes([head[4], head[5], head[6], head[7]]);
    if total == 0 && magic == 0 {
        return Parsed::Empty;
    }
    if magic == BLANK_MAGIC {
        return if total as u64 == room {
            Parsed::Filler(room)
        } else {
            Parsed::Corrupt(format!(
                "end-of-file filler says {total} bytes, {room} remain"
            ))
        };
    }
    if magic != MAGIC_V1 && magic != MAGIC_V2 {
        return Parsed::Corrupt(format!("bad magic code {:#010x}", magic as u32));
    }
    if total < 0 || (total as u64) < MIN_RECORD_SIZE || total as u64 > room {
        return Parsed::Corrupt(format!(
            "bad record size {total} ({room} bytes left in the file)"
        ));
    }
    let Some(bytes) = buf.get(..total as usize) else {
        return Parsed::NeedMore;
    };
    match MessageRecord::decode_verified(bytes) {
        Ok(rec) if rec.commit_log_offset as u64 == pos => {
            Parsed::Record(Box::new(rec), total as u64)
        }
        Ok(rec) => Parsed::Corrupt(format!(
            "PHYSICALOFFSET field is {}, record is at {pos}",
            rec.commit_log_offset
        )),
        Err(e) => Parsed::Corrupt(e.to_string()),
    }
}

/// How a segment scan ended.
enum SegmentEnd {
    Filler,
    Empty(u64),
    Corrupt(u64, String),
}

/// Buffered positioned reads over one segment.
struct ChunkReader<'a> {
    seg: &'a Segment,
    buf: Vec<u8>,
    buf_start: u64,
}

impl<'a> ChunkReader<'a> {
    fn new(seg: &'a Segment) -> Self {
        Self {
            seg,
            buf: Vec::new(),
            buf_start: seg.start(),
        }
    }

    /// At least `min_len` bytes from `pos` (fewer only at the end of the file).
    fn window(&mut self, pos: u64, min_len: usize) -> Result<&[u8], StoreError> {
        let have_end = self.buf_start + self.buf.len() as u64;
        let want_end = (pos + min_len as u64).min(self.seg.end());
        if pos < self.buf_start || want_end > have_end {
            let len = (min_len.max(READ_CHUNK) as u64).min(self.seg.end() - pos) as usize;
            self.buf = self.seg.read_at(pos, len)?;
            self.buf_start = pos;
        }
        Ok(&self.buf[(pos - self.buf_start) as usize..])
    }
}

fn scan_segment(
    seg: &Segment,
    from: u64,
    on_record: &mut dyn FnMut(&MessageRecord, u64, u64) -> Result<(), StoreError>,
) -> Result<SegmentEnd, StoreError> {
    let mut reader = ChunkReader::new(seg);
    let mut pos = from.clamp(seg.start(), seg.end());
    let mut need = 8usize;
    loop {
        let buf = reader.window(pos, need)?;
        match parse_at(buf, pos, seg.end()) {
            Parsed::Record(rec, len) => {
                on_record(&rec, pos, len)?;
                pos += len;
                need = 8;
            }
            Parsed::Filler(_) => return Ok(SegmentEnd::Filler),
            Parsed::Empty => return Ok(SegmentEnd::Empty(pos)),
            Parsed::Corrupt(reason) => return Ok(SegmentEnd::Corrupt(pos, reason)),
            Parsed::NeedMore => {
                let total = i32::from_be_bytes([buf[0], buf[1], buf[2], buf[3]]);
                if need >= total as usize {
                    return Ok(SegmentEnd::Corrupt(pos, "short read".into()));
                }
                need = total as usize;
            }
        }
    }
}

/// Segments Apache re-reads after a clean stop (`recoverNormally` starts at the third-last).
const SEGMENTS_CHECKED_AFTER_CLEAN_STOP: usize = 3;
/// Apache's `StoreCheckpoint.getMinTimestamp` safety margin.
const CHECKPOINT_MARGIN_MS: i64 = 3_000;

/// Commit-log offset where recovery starts walking records.
///
/// After a clean stop every segment before the last three ended with its filler and every
/// consume-queue entry was flushed, so only the last three are walked. After a crash, the walk
/// starts at the last segment whose first record was stored before the checkpoint's
/// `min(physicMsgTimestamp, logicsMsgTimestamp)` less 3 s: everything older is on disk in both
/// the commit log and the consume queues. Either way it starts no later than where the consume
/// queues end (the end of the record their newest entry points to), and at the first segment
/// when there are no consume queues at all (a deleted `consumequeue` directory is rebuilt).
pub fn scan_start(
    commit_log: &CommitLog,
    queues: &ConsumeQueueTable,
    abnormal_shutdown: bool,
    checkpoint_min_ts: i64,
) -> u64 {
    let segments = commit_log.segments();
    let Some(first) = segments.first() else {
        return commit_log.min_offset();
    };
    let by_rule = if abnormal_shutdown {
        let safe_ts = checkpoint_min_ts - CHECKPOINT_MARGIN_MS;
        segments
            .iter()
            .rev()
            .find(|seg| first_store_timestamp(seg).is_some_and(|ts| ts <= safe_ts))
            .map_or(first.start(), |seg| seg.start())
    } else {
        let i = segments
            .len()
            .saturating_sub(SEGMENTS_CHECKED_AFTER_CLEAN_STOP);
        segments[i].start()
    };
    let queues_end = queues
        .all()
        .iter()
        .filter_map(|cq| cq.get(cq.max_offset() - 1))
        .map(|e| e.end())
        .max();
    let from = match queues_end {
        Some(end) => by_rule.min(commit_log.segment_start_of(end)),
        None => first.start(),
    };
    from.max(first.start())
}

/// Store timestamp of a segment's first record, if it starts with a valid record.
fn first_store_timestamp(seg: &Segment) -> Option<i64> {
    let head = seg.read_at(seg.start(), 8).ok()?;
    let total = i32::from_be_bytes([head[0], head[1], head[2], head[3]]);
    if total < MIN_RECORD_SIZE as i32 || total as u64 > seg.size() {
        return None;
    }
    let raw = seg.read_at(seg.start(), total as usize).ok()?;
    match parse_at(&raw, seg.start(), seg.end()) {
        Parsed::Record(rec, _) => Some(rec.store_timestamp),
        _ => None,
    }
}

/// Recovers the commit log and consume queues from `scan_from` (see [`scan_start`]). Sets the
/// commit log's write position.
pub fn recover(
    commit_log: &CommitLog,
    queues: &ConsumeQueueTable,
    abnormal_shutdown: bool,
    scan_from: u64,
) -> Result<RecoveryReport, StoreError> {
    let mut report = RecoveryReport {
        abnormal_shutdown,
        ..Default::default()
    };
    let segments: Vec<_> = commit_log
        .segments()
        .into_iter()
        .filter(|seg| seg.end() > scan_from)
        .collect();
    let mut end = scan_from.max(commit_log.min_offset());
    let mut on_record = |rec: &MessageRecord, pos: u64, len: u64| -> Result<(), StoreError> {
        let d = DispatchRecord::of_record(rec, pos, len);
        dispatch(queues, None, &d, CqWrite::IfMissing)?;
        report.records += 1;
        report.last_store_timestamp = rec.store_timestamp;
        Ok(())
    };
    let mut corruptions = Vec::new();
    let mut truncate_at = None;
    for (i, seg) in segments.iter().enumerate() {
        let is_last = i + 1 == segments.len();
        match scan_segment(seg, scan_from.max(seg.start()), &mut on_record)? {
            SegmentEnd::Filler => end = seg.end(),
            SegmentEnd::Empty(pos) => {
                end = pos;
                if !is_last {
                    corruptions.push(corruption(
                        seg,
                        pos,
                        "data ends without an end-of-file filler".into(),
                        "skipped the rest of the file",
                    ));
                }
            }
            SegmentEnd::Corrupt(pos, reason) if is_last => {
                corruptions.push(corruption(seg, pos, reason, "truncated"));
                truncate_at = Some(pos);
                end = pos;
            }
            SegmentEnd::Corrupt(pos, reason) => {
                corruptions.push(corruption(seg, pos, reason, "skipped the rest of the file"));
                end = seg.end();
            }
        }
    }
    for c in &corruptions {
        tracing::error!(path = %c.path.display(), file_offset = c.file_offset, phys_offset = c.phys_offset,
            reason = %c.reason, action = c.action, "corrupt commit-log data found at start");
    }
    report.corruptions = corruptions;
    if truncate_at.is_some() || abnormal_shutdown {
        commit_log.truncate_to(end)?;
    } else {
        commit_log.set_max_offset(end);
    }
    report.truncated_at = truncate_at;
    report.max_phys_offset = end;
    let min = commit_log.min_offset();
    for cq in queues.all() {
        cq.truncate_past(end)?;
        cq.correct_min_offset(min)?;
    }
    Ok(report)
}

/// What index recovery found and did.
#[derive(Debug, Default)]
pub struct IndexRecovery {
    /// Corrupt index files (deleted; their records re-indexed).
    pub problems: Vec<String>,
    /// Commit-log offset where re-indexing started.
    pub reindexed_from: u64,
    /// Records read to re-index the tail.
    pub records: u64,
}

/// Loads the index files and indexes the commit-log records after the index's last
/// endPhyOffset (up to the recovered max offset). After an unclean stop, index files newer than
/// `keep_until_ts` (the checkpoint's indexMsgTimestamp) are dropped and re-indexed.
pub fn recover_index(
    commit_log: &CommitLog,
    index: &KeyIndex,
    keep_until_ts: Option<i64>,
) -> Result<IndexRecovery, StoreError> {
    let end = commit_log.max_offset();
    let min = commit_log.min_offset();
    let problems = index.load(end, keep_until_ts)?;
    index.remove_below(min)?;
    let through = index.indexed_through();
    let from = match through {
        Some(t) if t >= min => t,
        _ => min,
    };
    let mut out = IndexRecovery {
        problems: problems.iter().map(|e| e.to_string()).collect(),
        reindexed_from: from,
        records: 0,
    };
    let mut on_record = |rec: &MessageRecord, pos: u64, len: u64| -> Result<(), StoreError> {
        out.records += 1;
        let d = DispatchRecord::of_record(rec, pos, len);
        index_record(index, &d)
    };
    for seg in commit_log.segments() {
        if seg.end() <= from || seg.start() >= end {
            continue;
        }
        if let SegmentEnd::Corrupt(pos, reason) = scan_segment(&seg, from, &mut on_record)? {
            if pos < end {
                tracing::warn!(path = %seg.path().display(), phys_offset = pos, reason = %reason,
                    "index recovery skipped the rest of a commit-log file");
            }
        }
    }
    if out.records > 0 || !out.problems.is_empty() {
        tracing::info!(
            from,
            records = out.records,
            "re-indexed the commit-log tail"
        );
    }
    Ok(out)
}

fn corruption(seg: &Segment, pos: u64, reason: String, action: &'static str) -> Corruption {
    Corruption {
        path: seg.path().to_path_buf(),
        file_offset: pos - seg.start(),
        phys_offset: pos,
        reason,
        action,
    }
}
