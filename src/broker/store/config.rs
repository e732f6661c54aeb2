//! Store configuration: paths, segment sizes, flush and replication modes, retention, limits.
//! Field names follow Apache's `MessageStoreConfig` keys (noted on each field).

use std::net::SocketAddr;
use std::path::PathBuf;

/// `flushDiskType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlushMode {
    /// SYNC_FLUSH: a put is acked only after fdatasync covers it (group commit).
    Sync,
    /// ASYNC_FLUSH: a background thread flushes every `flush_interval_ms`.
    Async,
}

/// `brokerRole`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplicationRole {
    AsyncMaster,
    /// Puts wait for the slave's ack (`slave_timeout_ms`).
    SyncMaster,
    /// Refuses puts; receives bytes through `MessageStore::append_replicated`.
    Slave,
}

/// Everything the store needs to know. `StoreConfig::new(root)` gives Apache's defaults.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// `storePathRootDir`: holds `lock`, `abort`, `checkpoint`, `consumequeue/`.
    pub root_dir: PathBuf,
    /// `storePathCommitLog` (default `<root>/commitlog`).
    pub commit_log_dir: PathBuf,
    /// `mappedFileSizeCommitLog` (1 GiB).
    pub commit_log_file_size: u64,
    /// `mappedFileSizeConsumeQueue` (300 000 entries × 20 bytes); must be a multiple of 20.
    pub consume_queue_file_size: u64,
    /// `flushDiskType`.
    pub flush_mode: FlushMode,
    /// `flushIntervalCommitLog` (500 ms), ASYNC_FLUSH only.
    pub flush_interval_ms: u64,
    /// `flushCommitLogLeastPages` (4 pages of 4 KiB), ASYNC_FLUSH only.
    pub flush_least_pages: u32,
    /// `flushCommitLogThoroughInterval` (10 s): flush whatever is dirty at least this often.
    pub flush_thorough_interval_ms: u64,
    /// `syncFlushTimeout` (5 s) → FLUSH_DISK_TIMEOUT.
    pub sync_flush_timeout_ms: u64,
    /// `flushIntervalConsumeQueue` (1 s); also how often the checkpoint is written.
    pub flush_consume_queue_interval_ms: u64,
    /// `brokerRole`.
    pub replication: ReplicationRole,
    /// `slaveTimeout` (3 s) → FLUSH_SLAVE_TIMEOUT.
    pub slave_timeout_ms: u64,
    /// `haMaxGapNotInSync` / `haSlaveFallbehindMax` (256 MiB) → SLAVE_NOT_AVAILABLE.
    pub ha_max_gap_not_in_sync: u64,
    /// `maxMessageSize` (4 MiB): the whole stored record must not exceed it.
    pub max_message_size: usize,
    /// `deleteWhen` ("04"): local hours at which expired segments are deleted.
    pub delete_when: Vec<u8>,
    /// `fileReservedTime` (72 h).
    pub file_reserved_hours: u64,
    /// `diskMaxUsedSpaceRatio` (75 %): above it puts are refused and segments reclaimed at once.
    pub disk_max_used_space_ratio: u8,
    /// How often retention looks at the disk (Apache: `cleanResourceInterval` 10 s).
    pub retention_check_interval_ms: u64,
    /// `maxHashSlotNum` (5 000 000): hash slots per index file.
    pub max_hash_slot_num: u32,
    /// `maxIndexNum` (20 000 000): entries per index file.
    pub max_index_num: u32,
    /// brokerIP1:listenPort, written into every record and every offset message id.
    pub store_host: SocketAddr,
}

impl StoreConfig {
    pub fn new(root_dir: impl Into<PathBuf>, store_host: SocketAddr) -> Self {
        let root_dir = root_dir.into();
        Self {
            commit_log_dir: root_dir.join("commitlog"),
            root_dir,
            commit_log_file_size: 1024 * 1024 * 1024,
            consume_queue_file_size: 300_000 * 20,
            flush_mode: FlushMode::Async,
            flush_interval_ms: 500,
            flush_least_pages: 4,
            flush_thorough_interval_ms: 10_000,
            sync_flush_timeout_ms: 5_000,
            flush_consume_queue_interval_ms: 1_000,
            replication: ReplicationRole::AsyncMaster,
            slave_timeout_ms: 3_000,
            ha_max_gap_not_in_sync: 256 * 1024 * 1024,
            max_message_size: 4 * 1024 * 1024,
            delete_when: vec![4],
            file_reserved_hours: 72,
            disk_max_used_space_ratio: 75,
            retention_check_interval_ms: 10_000,
            max_hash_slot_num: 5_000_000,
            max_index_num: 20_000_000,
            store_host,
        }
    }

    /// `<root>/index`.
    pub fn index_dir(&self) -> PathBuf {
        self.root_dir.join("index")
    }

    pub fn consume_queue_dir(&self) -> PathBuf {
        self.root_dir.join("consumequeue")
    }

    /// Checks sizes that would make the layout impossible.
    pub fn validate(&self) -> Result<(), String> {
        if self.commit_log_file_size < 4096 {
            return Err(format!(
                "mappedFileSizeCommitLog {} is below 4096",
                self.commit_log_file_size
            ));
        }
        if self.consume_queue_file_size < 20 || self.consume_queue_file_size % 20 != 0 {
            return Err(format!(
                "mappedFileSizeConsumeQueue {} must be a positive multiple of 20",
                self.consume_queue_file_size
            ));
        }
        if self.max_hash_slot_num == 0 || self.max_index_num < 2 {
            return Err(format!(
                "maxHashSlotNum {} must be positive and maxIndexNum {} at least 2",
                self.max_hash_slot_num, self.max_index_num
            ));
        }
        if self.max_index_num > i32::MAX as u32 {
            return Err(format!("maxIndexNum {} exceeds 2^31-1", self.max_index_num));
        }
        if self.disk_max_used_space_ratio == 0 || self.disk_max_used_space_ratio > 100 {
            return Err(format!(
                "diskMaxUsedSpaceRatio {} must be 1..=100",
                self.disk_max_used_space_ratio
            ));
        }
        if self.delete_when.iter().any(|h| *h > 23) {
            return Err(format!(
                "deleteWhen {:?} has an hour above 23",
                self.delete_when
            ));
        }
        Ok(())
    }
}

/// Parses Apache's `deleteWhen` value: hours separated by `;` (e.g. `"04"` or `"04;16"`).
pub fn parse_delete_when(value: &str) -> Result<Vec<u8>, String> {
    value
        .split(';')
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim()
                .parse::<u8>()
                .ok()
                .filter(|h| *h < 24)
                .ok_or_else(|| format!("deleteWhen: {s:?} is not an hour 0-23"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delete_when_parses_hours() {
        assert_eq!(parse_delete_when("04").unwrap(), vec![4]);
        assert_eq!(parse_delete_when("04;16").unwrap(), vec![4, 16]);
        assert!(parse_delete_when("25").is_err());
        assert!(parse_delete_when("x").is_err());
    }

    #[test]
    fn validate_rejects_bad_sizes() {
        let mut c = StoreConfig::new("/tmp/x", "127.0.0.1:10911".parse().unwrap());
        assert!(c.validate().is_ok());
        c.consume_queue_file_size = 30;
        assert!(c.validate().is_err());
    }
}
