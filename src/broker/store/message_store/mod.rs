//! `MessageStore`: the facade the broker uses, split by concern: [`put`] appends under one lock
//! (queue offsets and consume-queue entries in append order), then waits outside it for the flush
//! (SYNC_FLUSH) and the slave (SYNC_MASTER); [`get`] reads consume queues and the commit log
//! without that lock; [`replication`] is the master's read and the slave's append of raw
//! commit-log bytes; [`background`] runs the two std threads per store (the commit-log flusher
//! and a maintenance loop: consume-queue flush, checkpoint, retention). This file opens the
//! store, shuts it down and answers what it holds.
//!
//! The threads hold only a `Weak` reference, so dropping every `MessageStore` handle stops them;
//! `shutdown` stops them deterministically.

mod background;
mod get;
mod put;
mod replication;

pub use put::ArrivalInterest;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use tokio::sync::broadcast;

use self::background::start_threads;
use self::replication::ReplicaTail;
use super::checkpoint::Checkpoint;
use super::commit_log::CommitLog;
use super::config::StoreConfig;
use super::consume_queue::ConsumeQueueTable;
use super::error::StoreError;
use super::flush::FlushService;
use super::index::KeyIndex;
use super::lock::StoreLock;
use super::recovery::{recover, recover_index, scan_start, IndexRecovery, RecoveryReport};
use super::replica::ReplicaProgress;
use super::retention::DiskState;
use super::types::{MessageArrival, StoreStats};
use crate::calendar::now_millis;
use crate::locks::lock;

const ARRIVAL_CHANNEL_CAPACITY: usize = 4096;

/// A handle to an open store; cheap to clone, `Send + Sync`.
#[derive(Clone)]
pub struct MessageStore {
    inner: Arc<StoreInner>,
}

#[derive(Debug, Default)]
struct Counters {
    put_times: AtomicU64,
    put_bytes: AtomicU64,
    put_failed: AtomicU64,
    get_times: AtomicU64,
    get_found: AtomicU64,
}

struct StoreInner {
    cfg: StoreConfig,
    commit_log: CommitLog,
    queues: ConsumeQueueTable,
    index: KeyIndex,
    append_lock: Mutex<ReplicaTail>,
    flush: FlushService,
    replica: ReplicaProgress,
    checkpoint: Mutex<Checkpoint>,
    lock: Mutex<Option<StoreLock>>,
    disk: DiskState,
    counters: Counters,
    arrivals: broadcast::Sender<MessageArrival>,
    /// How many [`ArrivalInterest`] guards live: appends feed `arrivals` only while some do.
    arrival_interest: Arc<AtomicUsize>,
    last_store_timestamp: AtomicI64,
    stopping: AtomicBool,
    recovery: RecoveryReport,
    index_recovery: IndexRecovery,
    threads: Mutex<Vec<JoinHandle<()>>>,
    start_timestamp: i64,
}

impl MessageStore {
    /// Locks the directory (a clear error naming the lock file if another store holds it),
    /// recovers, creates the `abort` marker and starts the flusher and maintenance threads.
    pub fn open(cfg: StoreConfig) -> Result<Self, StoreError> {
        cfg.validate().map_err(StoreError::Config)?;
        let lock = StoreLock::acquire(&cfg.root_dir)?;
        let abort_path = cfg.root_dir.join("abort");
        let abnormal = abort_path.exists();
        let commit_log = CommitLog::open(&cfg.commit_log_dir, cfg.commit_log_file_size)?;
        let queues =
            ConsumeQueueTable::load(&cfg.consume_queue_dir(), cfg.consume_queue_file_size)?;
        let checkpoint = Checkpoint::open(&cfg.root_dir.join("checkpoint"))?;
        let checkpoint_min_ts = checkpoint
            .physic_msg_timestamp
            .min(checkpoint.logics_msg_timestamp);
        let scan_from = scan_start(&commit_log, &queues, abnormal, checkpoint_min_ts);
        let recovery = recover(&commit_log, &queues, abnormal, scan_from)?;
        let index = KeyIndex::new(cfg.index_dir(), cfg.max_hash_slot_num, cfg.max_index_num);
        let keep_until = abnormal.then_some(checkpoint.index_msg_timestamp);
        let index_recovery = recover_index(&commit_log, &index, keep_until)?;
        std::fs::write(&abort_path, b"").map_err(|e| StoreError::io(&abort_path, 0, e))?;
        let max = commit_log.max_offset();
        let disk = DiskState::default();
        disk.measure(&cfg.commit_log_dir, cfg.disk_max_used_space_ratio);
        let inner = Arc::new(StoreInner {
            flush: FlushService::new(max, recovery.last_store_timestamp),
            replica: ReplicaProgress::default(),
            checkpoint: Mutex::new(checkpoint),
            lock: Mutex::new(Some(lock)),
            disk,
            counters: Counters::default(),
            arrivals: broadcast::channel(ARRIVAL_CHANNEL_CAPACITY).0,
            arrival_interest: Arc::default(),
            last_store_timestamp: AtomicI64::new(recovery.last_store_timestamp),
            stopping: AtomicBool::new(false),
            append_lock: Mutex::new(ReplicaTail::at(max)),
            threads: Mutex::new(Vec::new()),
            start_timestamp: now_millis(),
            recovery,
            index_recovery,
            cfg,
            commit_log,
            queues,
            index,
        });
        start_threads(&inner)?;
        Ok(Self { inner })
    }

    pub fn config(&self) -> &StoreConfig {
        &self.inner.cfg
    }

    /// What recovery found at open (corruptions with file path and offset, truncation point).
    pub fn recovery_report(&self) -> &RecoveryReport {
        &self.inner.recovery
    }

    /// What index recovery did at open: corrupt index files and how much of the commit log
    /// was re-indexed.
    pub fn index_recovery(&self) -> &IndexRecovery {
        &self.inner.index_recovery
    }

    /// Number of index files (diagnostics, tests).
    pub fn index_file_count(&self) -> usize {
        self.inner.index.file_count()
    }

    pub fn max_phys_offset(&self) -> u64 {
        self.inner.commit_log.max_offset()
    }

    pub fn min_phys_offset(&self) -> u64 {
        self.inner.commit_log.min_offset()
    }

    pub fn flushed_offset(&self) -> u64 {
        self.inner.flush.flushed()
    }

    /// Deletes a topic's consume queues and index entries (its records stay in the commit log
    /// until retention removes their segments, as in Apache).
    pub fn delete_topic(&self, topic: &str) -> Result<(), StoreError> {
        let _guard = lock(&self.inner.append_lock);
        self.inner.index.remove_topic(topic);
        self.inner.queues.remove_topic(topic)
    }

    pub fn runtime_stats(&self) -> StoreStats {
        let i = &self.inner;
        StoreStats {
            put_message_times_total: i.counters.put_times.load(Ordering::Relaxed),
            put_message_size_total: i.counters.put_bytes.load(Ordering::Relaxed),
            put_message_failed_times: i.counters.put_failed.load(Ordering::Relaxed),
            get_message_times_total: i.counters.get_times.load(Ordering::Relaxed),
            get_message_found_total: i.counters.get_found.load(Ordering::Relaxed),
            flush_count: i.flush.flush_count(),
            commit_log_min_offset: self.min_phys_offset(),
            commit_log_max_offset: self.max_phys_offset(),
            flushed_offset: self.flushed_offset(),
            commit_log_disk_ratio: i.disk.ratio(),
            disk_full: i.disk.is_full(),
            start_timestamp: i.start_timestamp,
        }
    }

    /// Final flush, checkpoint, removes `abort`, releases the lock. Idempotent.
    pub async fn shutdown(&self) {
        let inner = self.inner.clone();
        let _ = tokio::task::spawn_blocking(move || inner.shutdown_blocking()).await;
    }

    /// Same as [`MessageStore::shutdown`] for callers outside a tokio runtime.
    pub fn shutdown_blocking(&self) {
        self.inner.shutdown_blocking();
    }
}

impl StoreInner {
    fn shutdown_blocking(&self) {
        if self.stopping.swap(true, Ordering::AcqRel) {
            return;
        }
        self.flush.wake();
        let threads: Vec<_> = lock(&self.threads).drain(..).collect();
        for t in threads {
            let _ = t.join();
        }
        let _guard = lock(&self.append_lock);
        let ts = self.last_store_timestamp.load(Ordering::Acquire);
        if let Err(e) = self.flush.flush_commit_log(&self.commit_log, ts) {
            tracing::error!(error = %e, "final commit-log flush failed; the next start will recover");
            return;
        }
        if self.commit_log.written_offset() < self.commit_log.max_offset() {
            // Records no answer acknowledged (their write failed): the next start recovers
            // the log up to what is in the files.
            tracing::error!(written = self.commit_log.written_offset(), appended = self.commit_log.max_offset(),
                "stopping while commit-log writes fail: records nobody was told are stored are dropped; the next start will recover");
            return;
        }
        self.flush_consume_queues_and_checkpoint(true);
        let abort = self.cfg.root_dir.join("abort");
        if let Err(e) = std::fs::remove_file(&abort) {
            tracing::warn!(path = %abort.display(), error = %e, "could not remove abort marker");
        }
        lock(&self.lock).take();
    }
}

impl std::fmt::Debug for MessageStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageStore")
            .field("root_dir", &self.inner.cfg.root_dir)
            .field("max_phys_offset", &self.max_phys_offset())
            .finish()
    }
}

/// Born host used when a caller has none (tests, internal messages).
pub fn unspecified_host() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}
