//! On-disk key index for QUERY_MESSAGE in Apache's `IndexFile` layout, under
//! `<storePathRootDir>/index/<yyyyMMddHHmmssSSS>`.
//!
//! Each file: a 40-byte header (int64 beginTimestamp, endTimestamp, beginPhyOffset, endPhyOffset,
//! int32 hashSlotCount, indexCount), `hashSlotNum` int32 slots, then `maxIndexNum` 20-byte
//! entries (int32 keyHash, int64 phyOffset, int32 timeDiff in seconds since beginTimestamp,
//! int32 prevIndex). Entry 0 is never used (`indexCount` starts at 1); a slot holds the newest
//! entry number for its hash, entries chain to older ones through prevIndex. Keys are
//! `topic#key` for every KEYS entry and `topic#UNIQ_KEY`, hashed with Java's
//! `String.hashCode` made non-negative. Files are sparse and accessed with pread/pwrite.
//!
//! The file being filled has a write-back cache ([`WriteBack`]): its slot pages are read once
//! into an anonymous mapping and changed there, new entries and the header are buffered, and
//! everything is written at [`KeyIndex::flush`] (the store's checkpoint, every second), when the
//! entry buffer fills, at roll-over and on drop. Without it every key cost a slot read and three
//! positioned writes on the put path. A crash loses only what the checkpoint did not cover, and
//! recovery re-indexes that from the commit log. Apache maps the whole file instead; a write to
//! a hole of a mapped sparse file on a full disk is SIGBUS, here it is an error.
//!
//! Memory: one small struct per index file, plus the cache of the last file while keys arrive
//! (at most the slot area, 20 MB with the default 5,000,000 slots, released once the index is
//! idle for a checkpoint). Hash matches are candidates only: callers check the record.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use super::error::StoreError;
use crate::calendar::{local_time, now_millis};
use crate::locks::{read_lock, write_lock};
use crate::protocol::message::{java_string_hash, java_string_hash_continue};

/// Header bytes.
pub const HEADER_SIZE: u64 = 40;
const SLOT_SIZE: u64 = 4;
/// Entry bytes.
pub const ENTRY_SIZE: u64 = 20;
const INVALID_INDEX: i32 = 0;
const PAGE: u64 = 4096;
/// Buffered entry bytes that trigger a write (about 52,000 entries).
const ENTRY_BUFFER_LIMIT: usize = 1 << 20;

/// Where a keyed record is and when it was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexHit {
    pub phys_offset: u64,
    pub store_timestamp: i64,
}

/// The 40-byte header of an index file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexHeader {
    pub begin_timestamp: i64,
    pub end_timestamp: i64,
    pub begin_phy_offset: i64,
    pub end_phy_offset: i64,
    pub hash_slot_count: i32,
    pub index_count: i32,
}

impl IndexHeader {
    pub fn encode(&self) -> [u8; HEADER_SIZE as usize] {
        let mut b = [0u8; HEADER_SIZE as usize];
        b[0..8].copy_from_slice(&self.begin_timestamp.to_be_bytes());
        b[8..16].copy_from_slice(&self.end_timestamp.to_be_bytes());
        b[16..24].copy_from_slice(&self.begin_phy_offset.to_be_bytes());
        b[24..32].copy_from_slice(&self.end_phy_offset.to_be_bytes());
        b[32..36].copy_from_slice(&self.hash_slot_count.to_be_bytes());
        b[36..40].copy_from_slice(&self.index_count.to_be_bytes());
        b
    }

    pub fn decode(b: &[u8; HEADER_SIZE as usize]) -> Self {
        let l = |i: usize| {
            i64::from_be_bytes([
                b[i],
                b[i + 1],
                b[i + 2],
                b[i + 3],
                b[i + 4],
                b[i + 5],
                b[i + 6],
                b[i + 7],
            ])
        };
        let n = |i: usize| i32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        Self {
            begin_timestamp: l(0),
            end_timestamp: l(8),
            begin_phy_offset: l(16),
            end_phy_offset: l(24),
            hash_slot_count: n(32),
            index_count: n(36),
        }
    }
}

/// Apache's `indexKeyHashMethod`: `abs(String.hashCode())`, 0 for `Integer.MIN_VALUE` (the
/// store hashes `topic#key` with [`topic_key_hash`]; tests check the two agree).
#[cfg(test)]
fn key_hash(key: &str) -> i32 {
    non_negative(java_string_hash(key))
}

/// `abs`, with `Integer.MIN_VALUE` (which has none) as 0.
fn non_negative(hash: i32) -> i32 {
    hash.checked_abs().unwrap_or(0)
}

/// [`key_hash`] of the indexed key `topic#key`, without building it.
pub fn topic_key_hash(topic: &str, key: &str) -> i32 {
    let hash = java_string_hash_continue(java_string_hash(topic), "#");
    non_negative(java_string_hash_continue(hash, key))
}

/// One index file, accessed with positioned reads and writes.
#[derive(Debug)]
struct IndexFile {
    path: PathBuf,
    /// Shared so the checkpoint can fdatasync without holding the index lock.
    file: Arc<File>,
    slots: u32,
    max_entries: u32,
    header: IndexHeader,
    /// The file's slots are all zero on disk (created by this process, nothing flushed yet).
    fresh: bool,
    write_back: Option<WriteBack>,
}

/// Unwritten changes of the file being filled.
#[derive(Debug)]
struct WriteBack {
    /// The slot area; pages are valid where `loaded` says so.
    slots: memmap2::MmapMut,
    loaded: Vec<bool>,
    dirty: Vec<bool>,
    /// Entries from number `entries_first` on.
    entries: Vec<u8>,
    entries_first: i32,
    /// Something changed since the last flush.
    changed: bool,
}

impl WriteBack {
    fn new(slot_bytes: u64, fresh: bool) -> std::io::Result<Self> {
        let pages = slot_bytes.div_ceil(PAGE) as usize;
        Ok(Self {
            // Populated (writable zero pages) up front: otherwise a slot's first read maps the
            // shared zero page and the write after it takes a copy-on-write fault whose TLB
            // shootdown interrupts every CPU running the broker (measured: a quarter of the
            // broker's CPU under load in a VM while a fresh file's slots were first touched).
            slots: memmap2::MmapOptions::new()
                .len(slot_bytes.max(1) as usize)
                .populate()
                .map_anon()?,
            loaded: vec![fresh; pages],
            dirty: vec![false; pages],
            entries: Vec::new(),
            entries_first: 0,
            changed: false,
        })
    }

    fn entry(&self, index: i32) -> Option<&[u8]> {
        let n = usize::try_from(index.checked_sub(self.entries_first)?).ok()?;
        let at = n.checked_mul(ENTRY_SIZE as usize)?;
        self.entries.get(at..at + ENTRY_SIZE as usize)
    }
}

impl IndexFile {
    fn size(slots: u32, max_entries: u32) -> u64 {
        HEADER_SIZE + slots as u64 * SLOT_SIZE + max_entries as u64 * ENTRY_SIZE
    }

    fn create(
        path: &Path,
        slots: u32,
        max_entries: u32,
        prev_end_phy: i64,
        prev_end_ts: i64,
    ) -> Result<Self, StoreError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| StoreError::io(path, 0, e))?;
        let size = Self::size(slots, max_entries);
        file.set_len(size)
            .map_err(|e| StoreError::io(path, size, e))?;
        let f = Self {
            path: path.to_path_buf(),
            file: Arc::new(file),
            slots,
            max_entries,
            header: IndexHeader {
                begin_timestamp: prev_end_ts,
                end_timestamp: prev_end_ts,
                begin_phy_offset: prev_end_phy,
                end_phy_offset: prev_end_phy,
                hash_slot_count: 0,
                index_count: 1,
            },
            fresh: true,
            write_back: None,
        };
        f.write_header()?;
        Ok(f)
    }

    /// Opens and checks an existing file; a bad size or header is `CorruptIndex`.
    fn open(path: &Path, slots: u32, max_entries: u32) -> Result<Self, StoreError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| StoreError::io(path, 0, e))?;
        let len = file
            .metadata()
            .map_err(|e| StoreError::io(path, 0, e))?
            .len();
        let corrupt = |offset: u64, reason: String| StoreError::CorruptIndex {
            path: path.to_path_buf(),
            offset,
            reason,
        };
        let expected = Self::size(slots, max_entries);
        if len != expected {
            return Err(corrupt(
                0,
                format!("size {len}, expected {expected} for hashSlotNum {slots} and maxIndexNum {max_entries}"),
            ));
        }
        let mut b = [0u8; HEADER_SIZE as usize];
        file.read_exact_at(&mut b, 0)
            .map_err(|e| StoreError::io(path, 0, e))?;
        let mut header = IndexHeader::decode(&b);
        if header.index_count <= 0 {
            header.index_count = 1;
        }
        if header.index_count as u32 > max_entries {
            return Err(corrupt(
                36,
                format!(
                    "indexCount {} exceeds maxIndexNum {max_entries}",
                    header.index_count
                ),
            ));
        }
        if header.hash_slot_count < 0 || header.hash_slot_count as u32 > slots {
            return Err(corrupt(
                32,
                format!(
                    "hashSlotCount {} is outside 0..={slots}",
                    header.hash_slot_count
                ),
            ));
        }
        if header.begin_phy_offset < 0 || header.end_phy_offset < header.begin_phy_offset {
            return Err(corrupt(
                16,
                format!(
                    "phy offsets {}..{} are not a range",
                    header.begin_phy_offset, header.end_phy_offset
                ),
            ));
        }
        Ok(Self {
            path: path.to_path_buf(),
            file: Arc::new(file),
            slots,
            max_entries,
            header,
            fresh: false,
            write_back: None,
        })
    }

    fn is_full(&self) -> bool {
        self.header.index_count as u32 >= self.max_entries
    }

    fn has_entries(&self) -> bool {
        self.header.index_count > 1
    }

    fn write_header(&self) -> Result<(), StoreError> {
        self.file
            .write_all_at(&self.header.encode(), 0)
            .map_err(|e| StoreError::io(&self.path, 0, e))
    }

    fn slot_pos(&self, hash: i32) -> u64 {
        HEADER_SIZE + self.slot_rel(hash) as u64
    }

    fn entry_pos(&self, index: i32) -> u64 {
        HEADER_SIZE + self.slots as u64 * SLOT_SIZE + index as u64 * ENTRY_SIZE
    }

    fn read_i32(&self, pos: u64) -> Result<i32, StoreError> {
        let mut b = [0u8; 4];
        self.file
            .read_exact_at(&mut b, pos)
            .map_err(|e| StoreError::io(&self.path, pos, e))?;
        Ok(i32::from_be_bytes(b))
    }

    /// Byte offset of `hash`'s slot inside the slot area.
    fn slot_rel(&self, hash: i32) -> usize {
        (hash as u32 % self.slots) as usize * SLOT_SIZE as usize
    }

    /// The slot's value from the cache when its page is there, else from the file.
    fn read_slot(&self, hash: i32) -> Result<i32, StoreError> {
        let rel = self.slot_rel(hash);
        match &self.write_back {
            Some(wb) if wb.loaded[rel / PAGE as usize] => Ok(i32::from_be_bytes(
                wb.slots[rel..rel + 4].try_into().unwrap_or_default(),
            )),
            _ => self.read_i32(self.slot_pos(hash)),
        }
    }

    /// The cache, created on first use.
    fn write_back(&mut self) -> Result<&mut WriteBack, StoreError> {
        let wb = match self.write_back.take() {
            Some(wb) => wb,
            None => WriteBack::new(self.slots as u64 * SLOT_SIZE, self.fresh)
                .map_err(|e| StoreError::io(&self.path, 0, e))?,
        };
        Ok(self.write_back.insert(wb))
    }

    /// Loads the slot page holding byte `rel` of the slot area into the cache.
    fn load_slot_page(&mut self, rel: usize) -> Result<(), StoreError> {
        let page = rel / PAGE as usize;
        if self.write_back()?.loaded[page] {
            return Ok(());
        }
        let slot_bytes = self.slots as usize * SLOT_SIZE as usize;
        let from = page * PAGE as usize;
        let to = (from + PAGE as usize).min(slot_bytes);
        let pos = HEADER_SIZE + from as u64;
        let mut buf = [0u8; PAGE as usize];
        self.file
            .read_exact_at(&mut buf[..to - from], pos)
            .map_err(|e| StoreError::io(&self.path, pos, e))?;
        let wb = self.write_back()?;
        wb.slots[from..to].copy_from_slice(&buf[..to - from]);
        wb.loaded[page] = true;
        Ok(())
    }

    /// Appends one entry to the cache (the caller checked `is_full`).
    fn put(&mut self, hash: i32, phy: i64, ts: i64) -> Result<(), StoreError> {
        let rel = self.slot_rel(hash);
        self.load_slot_page(rel)?;
        let mut prev = self.read_slot(hash)?;
        let index = self.header.index_count;
        if prev <= INVALID_INDEX || prev >= index {
            prev = INVALID_INDEX;
        }
        if !self.has_entries() {
            self.header.begin_phy_offset = phy;
            self.header.begin_timestamp = ts;
        }
        let diff = if self.header.begin_timestamp <= 0 {
            0
        } else {
            ((ts - self.header.begin_timestamp) / 1000).clamp(0, i32::MAX as i64) as i32
        };
        let wb = self.write_back()?;
        if wb.entries.is_empty() {
            wb.entries_first = index;
        }
        wb.entries.extend_from_slice(&hash.to_be_bytes());
        wb.entries.extend_from_slice(&phy.to_be_bytes());
        wb.entries.extend_from_slice(&diff.to_be_bytes());
        wb.entries.extend_from_slice(&prev.to_be_bytes());
        wb.slots[rel..rel + 4].copy_from_slice(&index.to_be_bytes());
        wb.dirty[rel / PAGE as usize] = true;
        wb.changed = true;
        if prev == INVALID_INDEX {
            self.header.hash_slot_count += 1;
        }
        self.header.index_count += 1;
        self.header.end_phy_offset = phy;
        self.header.end_timestamp = ts;
        Ok(())
    }

    /// Writes buffered entries, then changed slot pages (runs of pages in one write each),
    /// then the header: a header never counts an entry that is not on disk.
    fn write_pending(&mut self) -> Result<(), StoreError> {
        let Some(first) = self.write_back.as_ref().map(|wb| wb.entries_first) else {
            return Ok(());
        };
        let pos = self.entry_pos(first);
        let Some(wb) = self.write_back.as_mut() else {
            return Ok(());
        };
        if !wb.entries.is_empty() {
            self.file
                .write_all_at(&wb.entries, pos)
                .map_err(|e| StoreError::io(&self.path, pos, e))?;
            wb.entries.clear();
        }
        let slot_bytes = self.slots as usize * SLOT_SIZE as usize;
        let mut page = 0;
        while page < wb.dirty.len() {
            if !wb.dirty[page] {
                page += 1;
                continue;
            }
            let first = page;
            while page < wb.dirty.len() && wb.dirty[page] {
                wb.dirty[page] = false;
                page += 1;
            }
            let from = first * PAGE as usize;
            let to = (page * PAGE as usize).min(slot_bytes);
            let pos = HEADER_SIZE + from as u64;
            self.file
                .write_all_at(&wb.slots[from..to], pos)
                .map_err(|e| StoreError::io(&self.path, pos, e))?;
        }
        self.fresh = false;
        self.write_header()
    }

    /// Writes what is pending and, if nothing changed since the previous call, releases the
    /// cache (the index went idle).
    fn write_back_and_trim(&mut self) -> Result<(), StoreError> {
        let idle = self.write_back.as_ref().is_some_and(|wb| !wb.changed);
        self.write_pending()?;
        if idle {
            self.write_back = None;
        } else if let Some(wb) = self.write_back.as_mut() {
            wb.changed = false;
        }
        Ok(())
    }

    fn time_matched(&self, begin_ms: i64, end_ms: i64) -> bool {
        self.has_entries()
            && begin_ms <= self.header.end_timestamp
            && end_ms >= self.header.begin_timestamp
    }

    /// Walks the chain for `hash`, newest first, calling `f` with each entry whose hash matches
    /// and whose (second-precision) time may fall in `[begin_ms, end_ms]`. Stops when `f`
    /// returns false (and then returns false).
    fn search(
        &self,
        hash: i32,
        begin_ms: i64,
        end_ms: i64,
        f: &mut dyn FnMut(u64) -> bool,
    ) -> Result<bool, StoreError> {
        let count = self.header.index_count;
        let mut next = self.read_slot(hash)?;
        while next > INVALID_INDEX && next < count {
            let mut e = [0u8; ENTRY_SIZE as usize];
            match self.write_back.as_ref().and_then(|wb| wb.entry(next)) {
                Some(cached) => e.copy_from_slice(cached),
                None => {
                    let pos = self.entry_pos(next);
                    self.file
                        .read_exact_at(&mut e, pos)
                        .map_err(|err| StoreError::io(&self.path, pos, err))?;
                }
            }
            let h = i32::from_be_bytes([e[0], e[1], e[2], e[3]]);
            let phy = i64::from_be_bytes([e[4], e[5], e[6], e[7], e[8], e[9], e[10], e[11]]);
            let diff = i32::from_be_bytes([e[12], e[13], e[14], e[15]]);
            let prev = i32::from_be_bytes([e[16], e[17], e[18], e[19]]);
            let t = self.header.begin_timestamp + diff as i64 * 1000;
            if h == hash && phy >= 0 && t <= end_ms && t + 999 >= begin_ms && !f(phy as u64) {
                return Ok(false);
            }
            if t + 999 < begin_ms || prev >= next {
                break;
            }
            next = prev;
        }
        Ok(true)
    }

    fn remove(mut self) {
        self.write_back = None;
        if let Err(e) = std::fs::remove_file(&self.path) {
            tracing::warn!(path = %self.path.display(), error = %e, "could not delete index file");
        }
    }
}

impl Drop for IndexFile {
    /// Best effort: what is not written here is re-indexed from the commit log at the next start.
    fn drop(&mut self) {
        if let Err(e) = self.write_pending() {
            tracing::warn!(error = %e, "could not write the key index cache");
        }
    }
}

#[derive(Debug, Default)]
struct State {
    files: Vec<IndexFile>,
    /// Deleted topics: entries at or below this commit-log offset are hidden.
    deleted_topics: HashMap<String, u64>,
    /// Files older than the last are fully synced.
    last_synced: bool,
}

/// The key index: a directory of index files.
#[derive(Debug)]
pub struct KeyIndex {
    dir: PathBuf,
    slots: u32,
    max_entries: u32,
    state: RwLock<State>,
}

impl KeyIndex {
    /// An index over `dir` with `maxHashSlotNum` slots and `maxIndexNum` entries per file.
    /// Nothing is read until [`KeyIndex::load`].
    pub fn new(dir: PathBuf, slots: u32, max_entries: u32) -> Self {
        Self {
            dir,
            slots: slots.max(1),
            max_entries: max_entries.max(2),
            state: RwLock::default(),
        }
    }

    /// Opens the index files. A corrupt file is reported (path, offset, reason) and deleted
    /// with every later file; so are files holding entries at or past `log_end` (the commit
    /// log was truncated) and, after an unclean stop, files newer than `keep_until_ts` (the
    /// checkpoint's indexMsgTimestamp). The caller re-indexes from [`KeyIndex::indexed_through`].
    pub fn load(
        &self,
        log_end: u64,
        keep_until_ts: Option<i64>,
    ) -> Result<Vec<StoreError>, StoreError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| StoreError::io(&self.dir, 0, e))?;
        let mut names = Vec::new();
        for entry in std::fs::read_dir(&self.dir).map_err(|e| StoreError::io(&self.dir, 0, e))? {
            let entry = entry.map_err(|e| StoreError::io(&self.dir, 0, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.len() == 17 && name.bytes().all(|b| b.is_ascii_digit()) {
                names.push(name);
            } else {
                tracing::warn!(path = %entry.path().display(), "ignoring unexpected file in the index directory");
            }
        }
        names.sort();
        let mut problems = Vec::new();
        let mut files: Vec<IndexFile> = Vec::new();
        let mut drop_rest = false;
        for name in names {
            let path = self.dir.join(&name);
            if drop_rest {
                remove_path(&path);
                continue;
            }
            match IndexFile::open(&path, self.slots, self.max_entries) {
                Ok(f) => {
                    let past_log = f.has_entries() && f.header.end_phy_offset as u64 >= log_end;
                    let unsynced = keep_until_ts.is_some_and(|ts| f.header.end_timestamp > ts);
                    if past_log || unsynced {
                        tracing::warn!(path = %path.display(), end_phy_offset = f.header.end_phy_offset,
                            past_log, unsynced, "dropping index file; its records will be re-indexed");
                        drop_rest = true;
                        f.remove();
                    } else {
                        files.push(f);
                    }
                }
                Err(e @ StoreError::CorruptIndex { .. }) => {
                    tracing::error!(error = %e, "corrupt index file: deleting it and rebuilding from the commit log");
                    remove_path(&path);
                    problems.push(e);
                    drop_rest = true;
                }
                Err(e) => return Err(e),
            }
        }
        let mut st = write_lock(&self.state);
        st.files = files;
        st.last_synced = false;
        Ok(problems)
    }

    /// Commit-log offset of the last indexed record, if any record is indexed.
    pub fn indexed_through(&self) -> Option<u64> {
        let st = read_lock(&self.state);
        let last = st.files.last()?;
        (last.has_entries() || last.header.end_phy_offset > 0)
            .then_some(last.header.end_phy_offset as u64)
    }

    /// Indexes a stored record's keys (space-separated KEYS) and UNIQ_KEY. Records at or below
    /// the last indexed offset are skipped (already indexed).
    pub fn add(
        &self,
        topic: &str,
        keys: Option<&str>,
        uniq_key: Option<&str>,
        hit: IndexHit,
    ) -> Result<(), StoreError> {
        let uniq = uniq_key.filter(|u| !u.is_empty());
        let keys = keys
            .into_iter()
            .flat_map(|k| k.split(' '))
            .filter(|k| !k.is_empty());
        let mut all = uniq.into_iter().chain(keys).peekable();
        if all.peek().is_none() {
            return Ok(());
        }
        let mut st = write_lock(&self.state);
        if let Some(last) = st.files.last() {
            if (last.has_entries() || last.header.end_phy_offset > 0)
                && hit.phys_offset <= last.header.end_phy_offset as u64
            {
                return Ok(());
            }
        }
        let phy = hit.phys_offset as i64;
        for key in all {
            let hash = topic_key_hash(topic, key);
            let full = st.files.last().is_none_or(|f| f.is_full());
            if full {
                self.roll(&mut st)?;
            }
            let Some(f) = st.files.last_mut() else {
                return Ok(());
            };
            f.put(hash, phy, hit.store_timestamp)?;
            let buffered = f.write_back.as_ref().map_or(0, |wb| wb.entries.len());
            if f.is_full() || buffered >= ENTRY_BUFFER_LIMIT {
                f.write_pending()?;
            }
        }
        Ok(())
    }

    /// Starts a new file (syncing the full one) named by the current local time, later than
    /// every existing name.
    fn roll(&self, st: &mut State) -> Result<(), StoreError> {
        let (prev_phy, prev_ts, last_name) = match st.files.last_mut() {
            Some(f) => {
                f.write_pending()?;
                f.write_back = None;
                f.file
                    .sync_data()
                    .map_err(|e| StoreError::io(&f.path, 0, e))?;
                let name = f
                    .path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.parse::<u64>().ok())
                    .unwrap_or(0);
                (f.header.end_phy_offset, f.header.end_timestamp, name)
            }
            None => (0, 0, 0),
        };
        let now = file_name_for(now_millis()).parse::<u64>().unwrap_or(0);
        let name = format!("{:017}", now.max(last_name + 1));
        let f = IndexFile::create(
            &self.dir.join(name),
            self.slots,
            self.max_entries,
            prev_phy,
            prev_ts,
        )?;
        st.files.push(f);
        st.last_synced = false;
        Ok(())
    }

    /// Calls `f` with the commit-log offset of each candidate for `topic#key`, newest first,
    /// stored (to the second) within `[begin_ms, end_ms]`, until `f` returns false. Candidates
    /// share the key's hash: the caller checks the record.
    pub fn search(
        &self,
        topic: &str,
        key: &str,
        begin_ms: i64,
        end_ms: i64,
        f: &mut dyn FnMut(u64) -> bool,
    ) -> Result<(), StoreError> {
        let st = read_lock(&self.state);
        let hidden = st.deleted_topics.get(topic).copied();
        let hash = topic_key_hash(topic, key);
        let mut visit = |phy: u64| {
            if hidden.is_some_and(|h| phy <= h) {
                true
            } else {
                f(phy)
            }
        };
        for file in st.files.iter().rev() {
            if file.time_matched(begin_ms, end_ms)
                && !file.search(hash, begin_ms, end_ms, &mut visit)?
            {
                break;
            }
        }
        Ok(())
    }

    /// Candidate offsets (see [`KeyIndex::search`]), at most `max`.
    #[cfg(test)]
    pub fn query(
        &self,
        topic: &str,
        key: &str,
        max: usize,
        begin_ms: i64,
        end_ms: i64,
    ) -> Vec<u64> {
        let mut out = Vec::new();
        let _ = self.search(topic, key, begin_ms, end_ms, &mut |p| {
            if out.len() < max {
                out.push(p);
            }
            out.len() < max
        });
        out
    }

    /// (endTimestamp, endPhyOffset) of the last index file, for QUERY_MESSAGE responses.
    pub fn last_update(&self) -> (i64, u64) {
        read_lock(&self.state).files.last().map_or((0, 0), |f| {
            (f.header.end_timestamp, f.header.end_phy_offset as u64)
        })
    }

    /// Writes the last file's cache (into the page cache, under the index lock) and, with
    /// `sync`, fdatasyncs it after releasing the lock so puts never wait for the disk. Returns
    /// the end timestamp now durable, `None` without `sync`.
    pub fn flush(&self, sync: bool) -> Result<Option<i64>, StoreError> {
        let (file, path, ts) = {
            let mut st = write_lock(&self.state);
            let Some(f) = st.files.last_mut() else {
                return Ok(sync.then_some(0));
            };
            f.write_back_and_trim()?;
            (f.file.clone(), f.path.clone(), f.header.end_timestamp)
        };
        if !sync {
            return Ok(None);
        }
        file.sync_data().map_err(|e| StoreError::io(&path, 0, e))?;
        Ok(Some(ts))
    }

    /// Deletes index files (never the last) whose endPhyOffset is below the commit log's min.
    pub fn remove_below(&self, min_phys: u64) -> Result<(), StoreError> {
        let mut st = write_lock(&self.state);
        while st.files.len() > 1 && (st.files[0].header.end_phy_offset as u64) < min_phys {
            let f = st.files.remove(0);
            tracing::info!(path = %f.path.display(), end_phy_offset = f.header.end_phy_offset, "deleted index file");
            f.remove();
        }
        Ok(())
    }

    /// Hides the topic's entries indexed so far (its records stay until retention).
    pub fn remove_topic(&self, topic: &str) {
        let through = self.indexed_through();
        if let Some(t) = through {
            write_lock(&self.state)
                .deleted_topics
                .insert(topic.to_string(), t);
        }
    }

    /// Whether the last file holds a write-back cache (tests).
    #[cfg(test)]
    fn cache_held(&self) -> bool {
        read_lock(&self.state)
            .files
            .last()
            .is_some_and(|f| f.write_back.is_some())
    }

    /// Number of index files (tests, diagnostics).
    pub fn file_count(&self) -> usize {
        read_lock(&self.state).files.len()
    }
}

fn remove_path(path: &Path) {
    if let Err(e) = std::fs::remove_file(path) {
        tracing::warn!(path = %path.display(), error = %e, "could not delete index file");
    }
}

/// `yyyyMMddHHmmssSSS` in local time (Apache's `UtilAll.timeMillisToHumanString`).
pub fn file_name_for(ms: i64) -> String {
    let Some(t) = local_time(ms) else {
        return format!("{:017}", 0);
    };
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}{:03}",
        t.year, t.month, t.day, t.hour, t.minute, t.second, t.millis
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(p: u64, t: i64) -> IndexHit {
        IndexHit {
            phys_offset: p,
            store_timestamp: t,
        }
    }

    #[test]
    fn query_keys_uniq_time_and_retention() {
        let dir = tempfile::tempdir().unwrap();
        let idx = KeyIndex::new(dir.path().join("index"), 7, 1000);
        idx.load(0, None).unwrap();
        let base = 1_700_000_000_000;
        idx.add("T", Some("a b"), Some("U1"), hit(0, base)).unwrap();
        idx.add("T", Some("a"), Some("U2"), hit(100, base + 20_000))
            .unwrap();
        idx.add("X", Some("a"), None, hit(200, base + 30_000))
            .unwrap();
        assert_eq!(idx.query("T", "a", 10, 0, i64::MAX), vec![100, 0]);
        assert_eq!(idx.query("T", "a", 1, 0, i64::MAX), vec![100]);
        assert_eq!(
            idx.query("T", "a", 10, base + 15_000, base + 25_000),
            vec![100]
        );
        assert_eq!(idx.query("T", "U1", 10, 0, i64::MAX), vec![0]);
        assert_eq!(idx.last_update(), (base + 30_000, 200));
        // Already indexed: ignored.
        idx.add("T", Some("a"), None, hit(100, base)).unwrap();
        assert_eq!(idx.query("T", "a", 10, 0, i64::MAX), vec![100, 0]);
        idx.remove_topic("T");
        assert!(idx.query("T", "a", 10, 0, i64::MAX).is_empty());
        assert_eq!(idx.query("X", "a", 10, 0, i64::MAX), vec![200]);
    }

    #[test]
    fn rollover_and_reload() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("index");
        let idx = KeyIndex::new(d.clone(), 4, 4);
        idx.load(0, None).unwrap();
        for i in 0..10u64 {
            idx.add("T", Some("k"), None, hit(i * 100, 1_000 + i as i64))
                .unwrap();
        }
        // 3 entries per file (entry 0 unused).
        assert_eq!(idx.file_count(), 4);
        let all: Vec<u64> = (0..10).rev().map(|i| i * 100).collect();
        assert_eq!(idx.query("T", "k", 100, 0, i64::MAX), all);
        drop(idx);
        let idx = KeyIndex::new(d.clone(), 4, 4);
        assert!(idx.load(10_000, None).unwrap().is_empty());
        assert_eq!(idx.query("T", "k", 100, 0, i64::MAX), all);
        assert_eq!(idx.indexed_through(), Some(900));
        idx.remove_below(650).unwrap();
        assert_eq!(idx.file_count(), 2);
        assert_eq!(
            idx.query("T", "k", 100, 0, i64::MAX),
            vec![900, 800, 700, 600]
        );
        drop(idx);
        // Commit log cut at 850: the file holding 900 goes.
        let idx = KeyIndex::new(d.clone(), 4, 4);
        idx.load(850, None).unwrap();
        assert_eq!(idx.indexed_through(), Some(800));
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
    }

    #[test]
    fn corrupt_file_is_reported_and_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("index");
        let idx = KeyIndex::new(d.clone(), 4, 4);
        idx.load(0, None).unwrap();
        for i in 0..5u64 {
            idx.add("T", Some("k"), None, hit(i * 100, 1_000)).unwrap();
        }
        drop(idx);
        let mut names: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        let f = OpenOptions::new().write(true).open(&names[1]).unwrap();
        f.write_all_at(&99i32.to_be_bytes(), 36).unwrap();
        let idx = KeyIndex::new(d.clone(), 4, 4);
        let problems = idx.load(10_000, None).unwrap();
        assert_eq!(problems.len(), 1);
        let msg = problems[0].to_string();
        assert!(msg.contains(&names[1].display().to_string()), "{msg}");
        assert!(msg.contains("indexCount 99"), "{msg}");
        assert_eq!(idx.indexed_through(), Some(200));
        assert!(!names[1].exists());
    }

    #[test]
    fn write_back_cache_flushes_releases_and_reloads() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("index");
        // 2,000 slots: two slot pages, so a chain crosses cached and uncached pages.
        let idx = KeyIndex::new(d.clone(), 2_000, 1_000);
        idx.load(0, None).unwrap();
        let expected = |n: u64| (0..n).rev().map(|i| i * 100).collect::<Vec<u64>>();
        for i in 0..50u64 {
            let uniq = format!("U{i}");
            idx.add("T", Some("a"), Some(&uniq), hit(i * 100, 1_000 + i as i64))
                .unwrap();
        }
        assert_eq!(idx.query("T", "a", 100, 0, i64::MAX), expected(50));
        assert_eq!(idx.query("T", "U7", 10, 0, i64::MAX), vec![700]);
        assert!(idx.cache_held());
        idx.flush(true).unwrap();
        assert!(idx.cache_held(), "keys arrived since the previous flush");
        idx.flush(true).unwrap();
        assert!(!idx.cache_held(), "idle for a checkpoint: cache released");
        assert_eq!(idx.query("T", "a", 100, 0, i64::MAX), expected(50));
        for i in 50..60u64 {
            idx.add("T", Some("a"), None, hit(i * 100, 1_000 + i as i64))
                .unwrap();
        }
        assert_eq!(idx.query("T", "a", 100, 0, i64::MAX), expected(60));
        drop(idx);
        let idx = KeyIndex::new(d, 2_000, 1_000);
        idx.load(10_000, None).unwrap();
        assert_eq!(idx.query("T", "a", 100, 0, i64::MAX), expected(60));
        assert_eq!(idx.query("T", "U49", 10, 0, i64::MAX), vec![4_900]);
        assert_eq!(idx.indexed_through(), Some(5_900));
    }

    #[test]
    fn golden_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("index");
        let idx = KeyIndex::new(d.clone(), 3, 5);
        idx.load(0, None).unwrap();
        let ts = 1_700_000_000_123;
        idx.add("T", Some("k"), None, hit(64, ts)).unwrap();
        idx.add("T", Some("k"), None, hit(128, ts + 2_500)).unwrap();
        idx.flush(true).unwrap();
        let name = std::fs::read_dir(&d)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let raw = std::fs::read(&name).unwrap();
        assert_eq!(raw.len(), 40 + 3 * 4 + 5 * 20);
        let h = topic_key_hash("T", "k");
        assert_eq!(h, key_hash("T#k"));
        assert_eq!(h, java_string_hash("T#k").abs());
        let mut expected = Vec::new();
        expected.extend_from_slice(&ts.to_be_bytes());
        expected.extend_from_slice(&(ts + 2_500).to_be_bytes());
        expected.extend_from_slice(&64i64.to_be_bytes());
        expected.extend_from_slice(&128i64.to_be_bytes());
        expected.extend_from_slice(&1i32.to_be_bytes());
        expected.extend_from_slice(&3i32.to_be_bytes());
        let mut slots = [0u8; 12];
        let s = (h as u32 % 3) as usize * 4;
        slots[s..s + 4].copy_from_slice(&2i32.to_be_bytes());
        expected.extend_from_slice(&slots);
        expected.extend_from_slice(&[0u8; 20]);
        for (phy, diff, prev) in [(64i64, 0i32, 0i32), (128, 2, 1)] {
            expected.extend_from_slice(&h.to_be_bytes());
            expected.extend_from_slice(&phy.to_be_bytes());
            expected.extend_from_slice(&diff.to_be_bytes());
            expected.extend_from_slice(&prev.to_be_bytes());
        }
        expected.extend_from_slice(&[0u8; 40]);
        assert_eq!(raw, expected);
        assert_eq!(key_hash("polygenelubricants"), 0);
        assert_eq!(
            java_string_hash("polygenelubricants"),
            i32::MIN,
            "Integer.MIN_VALUE hash maps to 0"
        );
        assert_eq!(file_name_for(ts).len(), 17);
    }
}
