//! The get path: reads of consume queues and the commit log, which never take the append lock
//! (pulls with tag filtering, offset lookups by time, lookups by key and by commit-log offset).

use std::sync::atomic::Ordering;

use bytes::Bytes;

use super::{MessageStore, StoreInner};
use crate::broker::store::config::ReplicationRole;
use crate::broker::store::types::{BoundaryType, GetResult, GetStatus, QueueInfo};
use crate::protocol::message::{MessageRecord, MessageSysFlag};

/// CQ entries a single get may look at while filtering (Apache's `maxFilterMessageCount`).
const MAX_FILTER_ENTRIES: usize = 16_000;

impl MessageStore {
    /// Reads up to `max_msgs` records (and about `max_bytes`) from a queue starting at
    /// `offset`, skipping entries whose tagsCode `filter` rejects (Apache's `getMessage`).
    pub fn get_messages(
        &self,
        topic: &str,
        queue_id: i32,
        offset: i64,
        max_msgs: i32,
        max_bytes: usize,
        filter: &dyn Fn(i64) -> bool,
    ) -> GetResult {
        self.inner
            .counters
            .get_times
            .fetch_add(1, Ordering::Relaxed);
        let result = self
            .inner
            .get_messages(topic, queue_id, offset, max_msgs, max_bytes, filter);
        if result.status == GetStatus::Found {
            self.inner
                .counters
                .get_found
                .fetch_add(result.records.len() as u64, Ordering::Relaxed);
        }
        result
    }

    pub fn min_offset(&self, topic: &str, queue_id: i32) -> i64 {
        self.inner
            .queues
            .get(topic, queue_id)
            .map(|q| q.min_offset())
            .unwrap_or(0)
    }

    pub fn max_offset(&self, topic: &str, queue_id: i32) -> i64 {
        self.inner
            .queues
            .get(topic, queue_id)
            .map(|q| q.max_offset())
            .unwrap_or(0)
    }

    /// Lower: first offset stored at or after `timestamp_ms` (max offset if none).
    /// Upper: last offset stored at or before it (min offset if none). 0 for an unknown queue.
    pub fn offset_by_timestamp(
        &self,
        topic: &str,
        queue_id: i32,
        timestamp_ms: i64,
        boundary: BoundaryType,
    ) -> i64 {
        let Some(cq) = self.inner.queues.get(topic, queue_id) else {
            return 0;
        };
        let (min, max) = (cq.min_offset(), cq.max_offset());
        let ts = |qo: i64| {
            self.message_store_time(topic, queue_id, qo)
                .unwrap_or(i64::MIN)
        };
        let (mut lo, mut hi) = (min, max);
        match boundary {
            BoundaryType::Lower => {
                while lo < hi {
                    let mid = lo + (hi - lo) / 2;
                    if ts(mid) < timestamp_ms {
                        lo = mid + 1
                    } else {
                        hi = mid
                    }
                }
                lo
            }
            BoundaryType::Upper => {
                while lo < hi {
                    let mid = lo + (hi - lo) / 2;
                    if ts(mid) <= timestamp_ms {
                        lo = mid + 1
                    } else {
                        hi = mid
                    }
                }
                (lo - 1).max(min)
            }
        }
    }

    /// Store time of the queue's first available message.
    pub fn earliest_message_time(&self, topic: &str, queue_id: i32) -> Option<i64> {
        self.message_store_time(topic, queue_id, self.min_offset(topic, queue_id))
    }

    /// Store time of the message at `offset` in the queue.
    pub fn message_store_time(&self, topic: &str, queue_id: i32, offset: i64) -> Option<i64> {
        let entry = self.inner.queues.get(topic, queue_id)?.get(offset)?;
        let head = self
            .inner
            .commit_log
            .read(entry.phys_offset as u64, 76.min(entry.size as usize))?;
        let sys_flag = i32::from_be_bytes(head.get(36..40)?.try_into().ok()?);
        let at = if sys_flag & MessageSysFlag::BORNHOST_V6 != 0 {
            68
        } else {
            56
        };
        Some(i64::from_be_bytes(head.get(at..at + 8)?.try_into().ok()?))
    }

    /// The record at a commit-log offset (VIEW_MESSAGE_BY_ID).
    pub fn look_message(&self, phys_offset: u64) -> Option<Bytes> {
        self.inner.commit_log.read_record(phys_offset)
    }

    /// Records of `topic` whose KEYS (or, with `unique`, UNIQ_KEY) contain `key`, newest first.
    pub fn query_by_key(
        &self,
        topic: &str,
        key: &str,
        max: usize,
        begin_ms: i64,
        end_ms: i64,
        unique: bool,
    ) -> Vec<Bytes> {
        let mut out = Vec::new();
        if max == 0 {
            return out;
        }
        let mut seen = Vec::new();
        let result = self
            .inner
            .index
            .search(topic, key, begin_ms, end_ms, &mut |p| {
                if seen.contains(&p) {
                    return true;
                }
                seen.push(p);
                if let Some(b) = self.look_message(p) {
                    if record_matches(&b, topic, key, begin_ms, end_ms, unique) {
                        out.push(b);
                    }
                }
                out.len() < max
            });
        if let Err(e) = result {
            tracing::error!(error = %e, "key index read failed");
        }
        out
    }

    /// (indexLastUpdateTimestamp, indexLastUpdatePhyoffset) for QUERY_MESSAGE.
    pub fn index_last_update(&self) -> (i64, u64) {
        self.inner.index.last_update()
    }

    /// Every queue with its bounds.
    pub fn topics_and_queues(&self) -> Vec<QueueInfo> {
        let mut out: Vec<QueueInfo> = self
            .inner
            .queues
            .all()
            .iter()
            .map(|q| QueueInfo {
                topic: q.topic().to_string(),
                queue_id: q.queue_id(),
                min_offset: q.min_offset(),
                max_offset: q.max_offset(),
            })
            .collect();
        out.sort_by(|a, b| (&a.topic, a.queue_id).cmp(&(&b.topic, b.queue_id)));
        out
    }
}

impl StoreInner {
    fn get_messages(
        &self,
        topic: &str,
        queue_id: i32,
        offset: i64,
        max_msgs: i32,
        max_bytes: usize,
        filter: &dyn Fn(i64) -> bool,
    ) -> GetResult {
        let is_slave = self.cfg.replication == ReplicationRole::Slave;
        let correct = |new: i64| if is_slave { offset } else { new };
        let mut r = GetResult {
            status: GetStatus::NoMatchedLogicQueue,
            next_begin_offset: correct(0),
            min_offset: 0,
            max_offset: 0,
            records: Vec::new(),
            queue_offsets: Vec::new(),
        };
        let Some(cq) = self.queues.get(topic, queue_id) else {
            return r;
        };
        let (min, max) = (cq.min_offset(), cq.max_offset());
        r.min_offset = min;
        r.max_offset = max;
        if max == 0 {
            r.status = GetStatus::NoMessageInQueue;
            r.next_begin_offset = correct(0);
            return r;
        }
        if offset < min {
            r.status = GetStatus::OffsetTooSmall;
            r.next_begin_offset = correct(min);
            return r;
        }
        if offset == max {
            r.status = GetStatus::OffsetOverflowOne;
            r.next_begin_offset = offset;
            return r;
        }
        if offset > max {
            r.status = GetStatus::OffsetOverflowBadly;
            r.next_begin_offset = correct(if min == 0 { min } else { max });
            return r;
        }
        let max_msgs = max_msgs.max(1) as usize;
        let scan_limit = MAX_FILTER_ENTRIES.max(max_msgs * 20);
        let entries = cq.read_entries(offset, scan_limit);
        if entries.is_empty() {
            r.status = GetStatus::OffsetFoundNull;
            r.next_begin_offset = correct(cq.roll_next_file(offset));
            return r;
        }
        r.status = GetStatus::NoMatchedMessage;
        let mut bytes = 0usize;
        let mut i = 0usize;
        let cl_min = self.commit_log.min_offset();
        let mut skip_below = 0u64;
        while i < entries.len() {
            let Some(e) = entries[i] else {
                i += 1;
                continue;
            };
            let size = e.size as usize;
            if !r.records.is_empty() && (r.records.len() >= max_msgs || bytes + size > max_bytes) {
                break;
            }
            if self.not_written_yet(e.phys_offset as u64 + size as u64) {
                // Its write failed and waits for a retry: stop before it, so that the reader
                // asks for it again instead of skipping it.
                if r.records.is_empty() {
                    r.status = GetStatus::OffsetFoundNull;
                }
                break;
            }
            i += 1;
            if !filter(e.tags_code) {
                continue;
            }
            let phys = e.phys_offset as u64;
            let record = if phys < cl_min || phys < skip_below {
                None
            } else {
                self.commit_log.read(phys, size)
            };
            match record {
                Some(rec) => {
                    bytes += rec.len();
                    r.records.push(rec);
                    r.queue_offsets.push(offset + i as i64 - 1);
                    r.status = GetStatus::Found;
                }
                None => {
                    if r.records.is_empty() {
                        r.status = GetStatus::MessageWasRemoving;
                    }
                    skip_below =
                        self.commit_log.segment_start_of(phys) + self.commit_log.segment_size();
                }
            }
        }
        r.next_begin_offset = offset + i as i64;
        r
    }

    /// Whether the commit log up to `end` is appended but not in its file, and cannot be written
    /// now (a failed write waiting for its retry).
    fn not_written_yet(&self, end: u64) -> bool {
        end > self.commit_log.written_offset()
            && end <= self.commit_log.max_offset()
            && self.commit_log.write_staged().is_err()
            && end > self.commit_log.written_offset()
    }
}

/// Whether a record found through the key index really is `topic`'s, stored in
/// `[begin_ms, end_ms]`, with `key` as UNIQ_KEY or (unless `unique`) among its KEYS.
fn record_matches(
    raw: &[u8],
    topic: &str,
    key: &str,
    begin_ms: i64,
    end_ms: i64,
    unique: bool,
) -> bool {
    let Ok(rec) = MessageRecord::decode(raw) else {
        return false;
    };
    rec.topic == topic
        && rec.store_timestamp >= begin_ms
        && rec.store_timestamp <= end_ms
        && (rec.uniq_key() == Some(key) || (!unique && rec.keys().contains(&key)))
}
