//! Consume queues: per (topic, queue id) index files of 20-byte entries
//! `int64 commitLogOffset, int32 size, int64 tagsCode` at byte `queueOffset * 20`, in files
//! `consumequeue/<topic>/<queueId>/<20-digit start byte offset>` (section 6.2).
//!
//! New entries collect in a small per-queue tail buffer ([`CqTail`]) and reach the file in one
//! write per 4 KiB, at the checkpoint flush, before any non-contiguous write and on drop (one
//! 20-byte pwrite per message was a tenth of the put path). Reads overlay the buffer. What a
//! crash loses of it, recovery rebuilds from the commit log.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use super::error::StoreError;
use super::segment::Segment;
use crate::locks::{lock, read_lock, write_lock};

/// Bytes per entry (`CQ_STORE_UNIT_SIZE`).
pub const CQ_ENTRY_SIZE: u64 = 20;
/// Tail bytes that trigger a write.
const TAIL_WRITE_BYTES: usize = 4096;

/// Entries written to a queue but not yet to its file: contiguous from queue offset `start`,
/// all in one file.
#[derive(Debug, Default)]
struct CqTail {
    start: i64,
    bytes: Vec<u8>,
}

impl CqTail {
    fn end(&self) -> i64 {
        self.start + (self.bytes.len() as u64 / CQ_ENTRY_SIZE) as i64
    }
}

/// One consume-queue entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CqEntry {
    pub phys_offset: i64,
    pub size: i32,
    pub tags_code: i64,
}

impl CqEntry {
    pub fn encode(&self) -> [u8; 20] {
        let mut b = [0u8; 20];
        b[0..8].copy_from_slice(&self.phys_offset.to_be_bytes());
        b[8..12].copy_from_slice(&self.size.to_be_bytes());
        b[12..20].copy_from_slice(&self.tags_code.to_be_bytes());
        b
    }

    /// `None` for an unwritten (all-zero size) slot, as Java's `offset >= 0 && size > 0` test.
    pub fn decode(b: &[u8]) -> Option<Self> {
        let b: &[u8; 20] = b.get(..20)?.try_into().ok()?;
        let e = Self {
            phys_offset: i64::from_be_bytes(b[0..8].try_into().ok()?),
            size: i32::from_be_bytes(b[8..12].try_into().ok()?),
            tags_code: i64::from_be_bytes(b[12..20].try_into().ok()?),
        };
        (e.phys_offset >= 0 && e.size > 0).then_some(e)
    }

    pub fn end(&self) -> u64 {
        self.phys_offset as u64 + self.size as u64
    }
}

/// One queue's files and its logical bounds.
#[derive(Debug)]
pub struct ConsumeQueue {
    topic: String,
    queue_id: i32,
    dir: PathBuf,
    file_size: u64,
    files: RwLock<Vec<Arc<Segment>>>,
    /// Entries written (next queue offset).
    max_offset: AtomicI64,
    /// First entry still backed by the commit log.
    min_offset: AtomicI64,
    /// Entries up to here are fdatasync'ed.
    flushed_offset: AtomicI64,
    tail: Mutex<CqTail>,
}

impl ConsumeQueue {
    /// Opens the queue directory (which may not exist) and finds the max offset by scanning the
    /// last file for its first empty slot.
    pub fn open(
        root: &Path,
        topic: &str,
        queue_id: i32,
        file_size: u64,
    ) -> Result<Self, StoreError> {
        let dir = root.join(topic).join(queue_id.to_string());
        let mut starts: Vec<u64> = match std::fs::read_dir(&dir) {
            Ok(rd) => rd
                .filter_map(|e| e.ok())
                .filter_map(|e| Segment::parse_name(&e.file_name().to_string_lossy()))
                .collect(),
            Err(_) => Vec::new(),
        };
        starts.sort_unstable();
        let mut files = Vec::new();
        for start in starts {
            let path = dir.join(Segment::file_name(start));
            let (seg, actual) = Segment::open(&path, start, file_size)?;
            if actual != file_size {
                seg.extend_to(file_size)?;
            }
            files.push(Arc::new(seg));
        }
        // The last non-empty file decides (trailing files may hold only zeroed entries).
        let mut max = files
            .first()
            .map(|f| f.start() / CQ_ENTRY_SIZE)
            .unwrap_or(0);
        for f in files.iter().rev() {
            let n = count_leading_entries(f)?;
            if n > 0 {
                max = f.start() / CQ_ENTRY_SIZE + n;
                break;
            }
        }
        let min = files
            .first()
            .map(|f| f.start() / CQ_ENTRY_SIZE)
            .unwrap_or(0);
        Ok(Self {
            topic: topic.to_string(),
            queue_id,
            dir,
            file_size,
            files: RwLock::new(files),
            max_offset: AtomicI64::new(max as i64),
            min_offset: AtomicI64::new(min as i64),
            flushed_offset: AtomicI64::new(max as i64),
            tail: Mutex::new(CqTail::default()),
        })
    }

    pub fn topic(&self) -> &str {
        &self.topic
    }

    pub fn queue_id(&self) -> i32 {
        self.queue_id
    }

    pub fn max_offset(&self) -> i64 {
        self.max_offset.load(Ordering::Acquire)
    }

    pub fn min_offset(&self) -> i64 {
        self.min_offset.load(Ordering::Acquire)
    }

    fn file_for(&self, queue_offset: i64) -> Option<Arc<Segment>> {
        let pos = queue_offset as u64 * CQ_ENTRY_SIZE;
        let files = read_lock(&self.files);
        let idx = files.partition_point(|f| f.end() <= pos);
        files.get(idx).filter(|f| f.contains(pos)).cloned()
    }

    /// True if the file that holds `queue_offset` exists.
    pub fn has_file_for(&self, queue_offset: i64) -> bool {
        self.file_for(queue_offset).is_some()
    }

    /// Writes the entry for `queue_offset` (into the tail buffer), creating its file if needed.
    pub fn put(&self, queue_offset: i64, entry: CqEntry) -> Result<(), StoreError> {
        let pos = queue_offset as u64 * CQ_ENTRY_SIZE;
        let file = match self.file_for(queue_offset) {
            Some(f) => f,
            None => self.create_file(pos - pos % self.file_size)?,
        };
        let mut tail = self.lock_tail();
        let same_file =
            |t: &CqTail| (t.start as u64 * CQ_ENTRY_SIZE) / self.file_size == pos / self.file_size;
        if !tail.bytes.is_empty() && (tail.end() != queue_offset || !same_file(&tail)) {
            self.write_tail(&mut tail)?;
        }
        if tail.bytes.is_empty() {
            tail.start = queue_offset;
        }
        tail.bytes.extend_from_slice(&entry.encode());
        if tail.bytes.len() >= TAIL_WRITE_BYTES {
            self.write_tail_to(&mut tail, &file)?;
        }
        let empty = self.max_offset() == self.min_offset();
        if empty && queue_offset > self.min_offset() {
            // The first entry of a queue that starts past 0 (a slave that joined a master with
            // data receives it from the master's last commit-log segment on): nothing below it
            // will ever be here, so that is the queue's min offset.
            self.min_offset.store(queue_offset, Ordering::Release);
        }
        self.max_offset
            .fetch_max(queue_offset + 1, Ordering::AcqRel);
        Ok(())
    }

    fn lock_tail(&self) -> MutexGuard<'_, CqTail> {
        lock(&self.tail)
    }

    /// Writes the tail buffer to its file and empties it.
    fn write_tail(&self, tail: &mut CqTail) -> Result<(), StoreError> {
        if tail.bytes.is_empty() {
            return Ok(());
        }
        match self.file_for(tail.start) {
            Some(file) => self.write_tail_to(tail, &file),
            None => {
                // The file was deleted (retention, topic deletion): nothing to keep.
                tail.bytes.clear();
                Ok(())
            }
        }
    }

    fn write_tail_to(&self, tail: &mut CqTail, file: &Segment) -> Result<(), StoreError> {
        file.write_at(tail.start as u64 * CQ_ENTRY_SIZE, &tail.bytes)?;
        tail.bytes.clear();
        Ok(())
    }

    /// `n` entries from `from` in `file`: the file's bytes with buffered entries copied over.
    /// The tail lock is held across the read, so an entry is never missed while it moves from
    /// the buffer to the file.
    fn read_raw(&self, file: &Segment, from: i64, n: usize) -> Result<Vec<u8>, StoreError> {
        let tail = self.lock_tail();
        let mut raw = file.read_at(from as u64 * CQ_ENTRY_SIZE, n * CQ_ENTRY_SIZE as usize)?;
        let (a, b) = (from.max(tail.start), tail.end().min(from + n as i64));
        if a < b {
            let len = (b - a) as usize * CQ_ENTRY_SIZE as usize;
            let dst = (a - from) as usize * CQ_ENTRY_SIZE as usize;
            let src = (a - tail.start) as usize * CQ_ENTRY_SIZE as usize;
            raw[dst..dst + len].copy_from_slice(&tail.bytes[src..src + len]);
        }
        Ok(raw)
    }

    fn create_file(&self, start: u64) -> Result<Arc<Segment>, StoreError> {
        let seg = Arc::new(Segment::create(&self.dir, start, self.file_size)?);
        let mut files = write_lock(&self.files);
        let idx = files.partition_point(|f| f.start() < start);
        files.insert(idx, seg.clone());
        Ok(seg)
    }

    /// The entry at `queue_offset`, if written and its file still exists.
    pub fn get(&self, queue_offset: i64) -> Option<CqEntry> {
        if queue_offset < 0 || queue_offset >= self.max_offset() {
            return None;
        }
        let file = self.file_for(queue_offset)?;
        let raw = self.read_raw(&file, queue_offset, 1).ok()?;
        CqEntry::decode(&raw)
    }

    /// Up to `max` slots from `from`, all from one file (like Java's `getIndexBuffer`);
    /// unwritten slots come back as `None`. Empty if `from`'s file is gone.
    pub fn read_entries(&self, from: i64, max: usize) -> Vec<Option<CqEntry>> {
        let end = self.max_offset();
        if from < 0 || from >= end {
            return Vec::new();
        }
        let Some(file) = self.file_for(from) else {
            return Vec::new();
        };
        let pos = from as u64 * CQ_ENTRY_SIZE;
        let in_file = (file.end() - pos) / CQ_ENTRY_SIZE;
        let n = (max as u64).min(in_file).min((end - from) as u64);
        match self.read_raw(&file, from, n as usize) {
            Ok(raw) => raw
                .chunks(CQ_ENTRY_SIZE as usize)
                .map(CqEntry::decode)
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    /// First queue offset of the file after the one holding `queue_offset`.
    pub fn roll_next_file(&self, queue_offset: i64) -> i64 {
        let per_file = (self.file_size / CQ_ENTRY_SIZE) as i64;
        queue_offset - queue_offset % per_file + per_file
    }

    /// Drops entries whose record ends past `commit_log_end` (after a commit-log truncation)
    /// and zeroes them on disk so they can not come back at the next start.
    pub fn truncate_past(&self, commit_log_end: u64) -> Result<(), StoreError> {
        self.write_tail(&mut self.lock_tail())?;
        let mut new_max = self.max_offset();
        while new_max > self.min_offset() {
            match self.get(new_max - 1) {
                Some(e) if e.end() <= commit_log_end => break,
                _ => new_max -= 1,
            }
        }
        let old_max = self.max_offset();
        if new_max == old_max {
            return Ok(());
        }
        for qo in new_max..old_max {
            if let Some(f) = self.file_for(qo) {
                f.write_at(qo as u64 * CQ_ENTRY_SIZE, &[0u8; 20])?;
            }
        }
        tracing::warn!(topic = %self.topic, queue_id = self.queue_id, from = old_max, to = new_max,
            "consume queue truncated to match the commit log");
        self.max_offset.store(new_max, Ordering::Release);
        self.flushed_offset.fetch_min(new_max, Ordering::AcqRel);
        Ok(())
    }

    /// Recomputes the min offset: the first entry whose record is at or after
    /// `commit_log_min`; deletes files whose entries all point below it (never the last file).
    pub fn correct_min_offset(&self, commit_log_min: u64) -> Result<(), StoreError> {
        self.delete_files_below(commit_log_min)?;
        let first_start = read_lock(&self.files)
            .first()
            .map_or(0, |s| (s.start() / CQ_ENTRY_SIZE) as i64);
        let mut min = first_start;
        'scan: while min < self.max_offset() {
            let batch = self.read_entries(min, 1024);
            if batch.is_empty() {
                break;
            }
            for entry in batch {
                match entry {
                    Some(e) if e.phys_offset as u64 >= commit_log_min => break 'scan,
                    _ => min += 1,
                }
            }
        }
        self.min_offset.store(min, Ordering::Release);
        Ok(())
    }

    fn delete_files_below(&self, commit_log_min: u64) -> Result<(), StoreError> {
        loop {
            let Some(first) = ({
                let files = read_lock(&self.files);
                (files.len() > 1).then(|| files[0].clone())
            }) else {
                return Ok(());
            };
            let last_qo = (first.end() / CQ_ENTRY_SIZE) as i64 - 1;
            match self.get(last_qo) {
                Some(e) if e.end() <= commit_log_min => {}
                _ => return Ok(()),
            }
            write_lock(&self.files).retain(|f| f.start() != first.start());
            first.delete()?;
        }
    }

    /// fdatasyncs files holding entries written since the last flush.
    pub fn flush(&self) -> Result<(), StoreError> {
        let max = self.max_offset();
        let flushed = self.flushed_offset.load(Ordering::Acquire);
        if max == flushed {
            return Ok(());
        }
        self.write_tail(&mut self.lock_tail())?;
        let from = flushed.min(max) as u64 * CQ_ENTRY_SIZE;
        let to = max as u64 * CQ_ENTRY_SIZE;
        let files = read_lock(&self.files).clone();
        for f in files.iter().filter(|f| f.end() > from && f.start() <= to) {
            f.sync_data()?;
        }
        self.flushed_offset.store(max, Ordering::Release);
        Ok(())
    }

    /// Deletes the queue's directory.
    pub fn destroy(&self) -> Result<(), StoreError> {
        self.lock_tail().bytes.clear();
        write_lock(&self.files).clear();
        match std::fs::remove_dir_all(&self.dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::io(&self.dir, 0, e)),
        }
    }
}

impl Drop for ConsumeQueue {
    /// Best effort: what is not written here is rebuilt from the commit log at the next start.
    fn drop(&mut self) {
        if let Err(e) = self.write_tail(&mut self.lock_tail()) {
            tracing::warn!(topic = %self.topic, queue_id = self.queue_id, error = %e,
                "could not write buffered consume-queue entries");
        }
    }
}

/// Number of valid entries at the start of `file` (stops at the first empty slot).
fn count_leading_entries(file: &Segment) -> Result<u64, StoreError> {
    let raw = file.read_at(file.start(), file.size() as usize)?;
    Ok(raw
        .chunks(CQ_ENTRY_SIZE as usize)
        .take_while(|c| CqEntry::decode(c).is_some())
        .count() as u64)
}

/// All consume queues, by topic then queue id.
#[derive(Debug, Default)]
pub struct ConsumeQueueTable {
    root: PathBuf,
    file_size: u64,
    queues: RwLock<HashMap<String, HashMap<i32, Arc<ConsumeQueue>>>>,
}

impl ConsumeQueueTable {
    /// Opens every `<topic>/<queueId>` directory under `root`.
    pub fn load(root: &Path, file_size: u64) -> Result<Self, StoreError> {
        std::fs::create_dir_all(root).map_err(|e| StoreError::io(root, 0, e))?;
        let mut queues: HashMap<String, HashMap<i32, Arc<ConsumeQueue>>> = HashMap::new();
        for topic_dir in std::fs::read_dir(root)
            .map_err(|e| StoreError::io(root, 0, e))?
            .flatten()
        {
            let topic = topic_dir.file_name().to_string_lossy().to_string();
            let Ok(qdirs) = std::fs::read_dir(topic_dir.path()) else {
                continue;
            };
            for qdir in qdirs.flatten() {
                let Ok(qid) = qdir.file_name().to_string_lossy().parse::<i32>() else {
                    continue;
                };
                let cq = ConsumeQueue::open(root, &topic, qid, file_size)?;
                queues
                    .entry(topic.clone())
                    .or_default()
                    .insert(qid, Arc::new(cq));
            }
        }
        Ok(Self {
            root: root.to_path_buf(),
            file_size,
            queues: RwLock::new(queues),
        })
    }

    pub fn get(&self, topic: &str, queue_id: i32) -> Option<Arc<ConsumeQueue>> {
        read_lock(&self.queues).get(topic)?.get(&queue_id).cloned()
    }

    /// The queue, created empty (no file yet) if it does not exist.
    pub fn get_or_create(
        &self,
        topic: &str,
        queue_id: i32,
    ) -> Result<Arc<ConsumeQueue>, StoreError> {
        if let Some(q) = self.get(topic, queue_id) {
            return Ok(q);
        }
        let mut map = write_lock(&self.queues);
        let per_topic = map.entry(topic.to_string()).or_default();
        if let Some(q) = per_topic.get(&queue_id) {
            return Ok(q.clone());
        }
        let q = Arc::new(ConsumeQueue::open(
            &self.root,
            topic,
            queue_id,
            self.file_size,
        )?);
        per_topic.insert(queue_id, q.clone());
        Ok(q)
    }

    /// Every queue.
    pub fn all(&self) -> Vec<Arc<ConsumeQueue>> {
        read_lock(&self.queues)
            .values()
            .flat_map(|q| q.values().cloned())
            .collect()
    }

    /// Removes a topic's queues from the table and from disk.
    pub fn remove_topic(&self, topic: &str) -> Result<(), StoreError> {
        let removed = write_lock(&self.queues).remove(topic);
        if let Some(queues) = removed {
            for q in queues.values() {
                q.destroy()?;
            }
        }
        let dir = self.root.join(topic);
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::io(dir, 0, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(phys: i64) -> CqEntry {
        CqEntry {
            phys_offset: phys,
            size: 100,
            tags_code: 7,
        }
    }

    #[test]
    fn tail_buffer_is_read_through_and_written_at_flush() {
        let dir = tempfile::tempdir().unwrap();
        let cq = ConsumeQueue::open(dir.path(), "T", 0, 20 * 1000).unwrap();
        let file = dir.path().join("T/0/00000000000000000000");
        for i in 0..10 {
            cq.put(i, e(i * 100)).unwrap();
        }
        // Buffered, not yet in the file, but every read sees it.
        assert_eq!(&std::fs::read(&file).unwrap()[..20], &[0u8; 20]);
        assert_eq!(cq.get(3), Some(e(300)));
        let all: Vec<_> = cq.read_entries(0, 100).into_iter().flatten().collect();
        assert_eq!(all.len(), 10);
        assert_eq!(all[9], e(900));
        cq.flush().unwrap();
        let raw = std::fs::read(&file).unwrap();
        assert_eq!(&raw[9 * 20..9 * 20 + 8], &900i64.to_be_bytes());
        // A full buffer goes to the file without a flush; reads straddle file and buffer.
        for i in 10..220 {
            cq.put(i, e(i * 100)).unwrap();
        }
        let raw = std::fs::read(&file).unwrap();
        assert_eq!(&raw[204 * 20..204 * 20 + 8], &20_400i64.to_be_bytes());
        let straddle = cq.read_entries(200, 20);
        assert_eq!(straddle.len(), 20);
        assert!(straddle
            .iter()
            .enumerate()
            .all(|(k, x)| *x == Some(e((200 + k as i64) * 100))));
        // Dropping the queue writes what is buffered.
        drop(cq);
        let cq = ConsumeQueue::open(dir.path(), "T", 0, 20 * 1000).unwrap();
        assert_eq!(cq.max_offset(), 220);
        assert_eq!(cq.get(219), Some(e(21_900)));
    }

    #[test]
    fn entries_span_files_and_reload() {
        let dir = tempfile::tempdir().unwrap();
        let cq = ConsumeQueue::open(dir.path(), "T", 0, 100).unwrap(); // 5 entries per file
        for i in 0..12 {
            cq.put(i, e(i * 100)).unwrap();
        }
        assert_eq!(cq.max_offset(), 12);
        assert_eq!(cq.get(7), Some(e(700)));
        assert_eq!(cq.read_entries(3, 10).len(), 2); // stops at the file end
        let files: Vec<_> = std::fs::read_dir(dir.path().join("T/0")).unwrap().collect();
        assert_eq!(files.len(), 3);
        assert!(dir.path().join("T/0/00000000000000000100").exists());
        let raw = std::fs::read(dir.path().join("T/0/00000000000000000000")).unwrap();
        assert_eq!(&raw[20..28], &100i64.to_be_bytes());
        drop(cq);
        let cq = ConsumeQueue::open(dir.path(), "T", 0, 100).unwrap();
        assert_eq!(cq.max_offset(), 12);
        cq.truncate_past(900).unwrap();
        assert_eq!(cq.max_offset(), 9);
        let cq = ConsumeQueue::open(dir.path(), "T", 0, 100).unwrap();
        assert_eq!(cq.max_offset(), 9);
        cq.correct_min_offset(550).unwrap();
        assert_eq!(cq.min_offset(), 6);
        assert!(!dir.path().join("T/0/00000000000000000000").exists());
        assert_eq!(cq.get(2), None);
    }
}
