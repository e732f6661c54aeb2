//! Turning a stored record into its consume-queue entry and key-index entries. Used by puts, by
//! recovery and by the slave, so all three build identical consume queues from the same bytes.

use super::consume_queue::{ConsumeQueueTable, CqEntry};
use super::error::StoreError;
use super::index::{IndexHit, KeyIndex};
use crate::protocol::message::{
    find_property, java_string_hash, MessageConst, MessageRecord, MessageSysFlag,
};

/// Apache's default `messageDelayLevel`, in milliseconds.
const DELAY_LEVELS_MS: [i64; 18] = [
    1_000, 5_000, 10_000, 30_000, 60_000, 120_000, 180_000, 240_000, 300_000, 360_000, 420_000,
    480_000, 540_000, 600_000, 1_200_000, 1_800_000, 3_600_000, 7_200_000,
];

/// The facts about one stored record that dispatching needs.
#[derive(Debug, Clone, Copy)]
pub struct DispatchRecord<'a> {
    pub topic: &'a str,
    pub queue_id: i32,
    pub queue_offset: i64,
    pub phys_offset: u64,
    pub size: u32,
    pub sys_flag: i32,
    pub store_timestamp: i64,
    pub properties: &'a str,
}

impl<'a> DispatchRecord<'a> {
    /// The dispatch facts of a decoded record stored at `phys_offset` with `size` bytes.
    pub fn of_record(rec: &'a MessageRecord, phys_offset: u64, size: u64) -> Self {
        DispatchRecord {
            topic: &rec.topic,
            queue_id: rec.queue_id,
            queue_offset: rec.queue_offset,
            phys_offset,
            size: size as u32,
            sys_flag: rec.sys_flag,
            store_timestamp: rec.store_timestamp,
            properties: &rec.properties,
        }
    }
}

/// When to (re)write the consume-queue entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CqWrite {
    Always,
    /// Recovery: only if the queue does not already hold this offset.
    IfMissing,
}

/// `tagsCode`: Java hash of TAGS, or for SCHEDULE_TOPIC_XXXX the delivery timestamp.
pub fn tags_code(topic: &str, properties: &str, store_timestamp: i64) -> i64 {
    if topic == MessageConst::SCHEDULE_TOPIC {
        let level = find_property(properties, MessageConst::DELAY_TIME_LEVEL)
            .and_then(|l| l.parse::<usize>().ok())
            .unwrap_or(0);
        if level > 0 {
            let idx = level.min(DELAY_LEVELS_MS.len()) - 1;
            return store_timestamp + DELAY_LEVELS_MS[idx];
        }
        return store_timestamp;
    }
    find_property(properties, MessageConst::TAGS)
        .map(|t| java_string_hash(t) as i64)
        .unwrap_or(0)
}

/// Writes the CQ entry (not for prepared/rollback transaction records) and index entries
/// (`index` is `None` during recovery, which indexes the tail separately).
pub fn dispatch(
    queues: &ConsumeQueueTable,
    index: Option<&KeyIndex>,
    rec: &DispatchRecord<'_>,
    mode: CqWrite,
) -> Result<(), StoreError> {
    if !MessageSysFlag::is_prepared_or_rollback(rec.sys_flag) {
        let cq = queues.get_or_create(rec.topic, rec.queue_id)?;
        let needed = mode == CqWrite::Always
            || rec.queue_offset >= cq.max_offset()
            || !cq.has_file_for(rec.queue_offset);
        if needed {
            cq.put(
                rec.queue_offset,
                CqEntry {
                    phys_offset: rec.phys_offset as i64,
                    size: rec.size as i32,
                    tags_code: tags_code(rec.topic, rec.properties, rec.store_timestamp),
                },
            )?;
        }
    }
    if let Some(index) = index {
        index_record(index, rec)?;
    }
    Ok(())
}

/// Adds the record's KEYS and UNIQ_KEY to the index.
pub fn index_record(index: &KeyIndex, rec: &DispatchRecord<'_>) -> Result<(), StoreError> {
    index.add(
        rec.topic,
        find_property(rec.properties, MessageConst::KEYS),
        find_property(rec.properties, MessageConst::UNIQ_CLIENT_MESSAGE_ID_KEYIDX),
        IndexHit {
            phys_offset: rec.phys_offset,
            store_timestamp: rec.store_timestamp,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_code_rules() {
        assert_eq!(tags_code("T", "TAGS\u{1}TagA\u{2}", 5), 2598919);
        assert_eq!(tags_code("T", "", 5), 0);
        assert_eq!(
            tags_code("SCHEDULE_TOPIC_XXXX", "DELAY\u{1}3\u{2}", 1000),
            11_000
        );
        assert_eq!(
            tags_code("SCHEDULE_TOPIC_XXXX", "DELAY\u{1}99\u{2}", 0),
            7_200_000
        );
    }
}
