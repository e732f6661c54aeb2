//! `MessageStore`: the facade the broker uses. Puts append under one lock (queue offsets and
//! consume-queue entries in append order), then wait outside it for the flush (SYNC_FLUSH) and
//! the slave (SYNC_MASTER). Gets read consume queues and the commit log without that lock.
//!
//! Background work runs on two std threads per store: the commit-log flusher and a maintenance
//! loop (consume-queue flush, checkpoint, retention). Both hold only a `Weak` reference, so
//! dropping every `MessageStore` handle stops them; `shutdown` stops them deterministically.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::sync::broadcast;

use super::checkpoint::Checkpoint;
use super::commit_log::{CommitLog, END_FILE_MIN_BLANK_LENGTH};
use super::config::{FlushMode, ReplicationRole, StoreConfig};
use super::consume_queue::ConsumeQueueTable;
use super::dispatch::{dispatch, CqWrite, DispatchRecord};
use super::error::StoreError;
use super::flush::{AsyncFlushPolicy, FlushService};
use super::index::KeyIndex;
use super::lock::StoreLock;
use super::recovery::{
    parse_at, recover, recover_index, scan_start, IndexRecovery, Parsed, RecoveryReport,
};
use super::replica::ReplicaProgress;
use super::retention::{run_retention, DiskState};
use super::types::*;
use crate::locks::lock;
use crate::protocol::message::{
    find_property, MessageConst, MessageRecord, MessageSysFlag, MessageVersion, OffsetMsgId,
};

/// CQ entries a single get may look at while filtering (Apache's `maxFilterMessageCount`).
const MAX_FILTER_ENTRIES: usize = 16_000;
const ARRIVAL_CHANNEL_CAPACITY: usize = 4096;
/// How often the checkpoint fdatasyncs the key index (it writes it every checkpoint).
const INDEX_SYNC_INTERVAL: Duration = Duration::from_secs(10);

/// A handle to an open store; cheap to clone, `Send + Sync`.
#[derive(Clone)]
pub struct MessageStore {
    inner: Arc<StoreInner>,
}

/// Slave-side state of `append_replicated`: bytes of a record not yet complete.
#[derive(Debug, Default)]
struct ReplicaTail {
    dispatched: u64,
    pending: Vec<u8>,
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
            append_lock: Mutex::new(ReplicaTail {
                dispatched: max,
                pending: Vec::new(),
            }),
            threads: Mutex::new(Vec::new()),
            start_timestamp: now_ms(),
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

    /// Appends one message and waits for flush/replication as configured.
    pub async fn put_message(&self, msg: MessageToStore) -> PutResult {
        self.put_messages(vec![msg]).await
    }

    /// Appends a batch (one topic and queue) contiguously with consecutive queue offsets; one
    /// flush/replica wait covers it.
    pub async fn put_messages(&self, batch: Vec<MessageToStore>) -> PutResult {
        let wait = batch.iter().all(|m| {
            find_property(&m.properties, MessageConst::WAIT_STORE_MSG_OK) != Some("false")
        });
        let result = self.inner.append(batch);
        let Some(info) = result.appended.clone() else {
            self.inner
                .counters
                .put_failed
                .fetch_add(1, Ordering::Relaxed);
            return result;
        };
        let status = if wait {
            self.wait_stored(info.phys_offset + info.wrote_bytes).await
        } else {
            PutStatus::PutOk
        };
        PutResult {
            status,
            appended: Some(info),
        }
    }

    /// Waits for the disk flush and the slave ack; the replica status wins (as in Apache).
    async fn wait_stored(&self, end: u64) -> PutStatus {
        let (flush, replica) = tokio::join!(self.wait_flushed(end), self.wait_replicated(end));
        if replica != PutStatus::PutOk {
            replica
        } else {
            flush
        }
    }

    async fn wait_flushed(&self, end: u64) -> PutStatus {
        if self.inner.cfg.flush_mode != FlushMode::Sync {
            return PutStatus::PutOk;
        }
        let timeout = Duration::from_millis(self.inner.cfg.sync_flush_timeout_ms);
        if self.inner.flush.wait_flushed(end, timeout).await {
            PutStatus::PutOk
        } else {
            PutStatus::FlushDiskTimeout
        }
    }

    async fn wait_replicated(&self, end: u64) -> PutStatus {
        let cfg = &self.inner.cfg;
        if cfg.replication != ReplicationRole::SyncMaster {
            return PutStatus::PutOk;
        }
        let replica = &self.inner.replica;
        let behind = self.max_phys_offset().saturating_sub(replica.acked());
        if !replica.is_connected() || behind > cfg.ha_max_gap_not_in_sync {
            return PutStatus::SlaveNotAvailable;
        }
        let timeout = Duration::from_millis(cfg.slave_timeout_ms);
        if replica.wait_acked(end, timeout).await {
            PutStatus::PutOk
        } else {
            PutStatus::FlushSlaveTimeout
        }
    }

    /// Slave: appends bytes received from the master at `phys_offset`, which must equal the
    /// local max offset (or start an empty log at a segment boundary). Complete records are
    /// dispatched to consume queues and the index; a partial trailing record waits for more.
    pub fn append_replicated(&self, phys_offset: u64, data: &[u8]) -> Result<(), StoreError> {
        self.append_replicated_deferred(phys_offset, data)?;
        self.dispatch_replicated()
    }

    /// Like [`MessageStore::append_replicated`] but leaves the new records for
    /// [`MessageStore::dispatch_replicated`]: the slave writes a chunk, reports its new offset to
    /// the master at once (the SYNC_MASTER send waiting for it is answered sooner), then builds
    /// consume queues and the index. A crash in between is covered by recovery.
    pub fn append_replicated_deferred(
        &self,
        phys_offset: u64,
        data: &[u8],
    ) -> Result<(), StoreError> {
        self.inner.append_replicated(phys_offset, data)
    }

    /// Dispatches records appended by [`MessageStore::append_replicated_deferred`].
    pub fn dispatch_replicated(&self) -> Result<(), StoreError> {
        let mut tail = lock(&self.inner.append_lock);
        self.inner.dispatch_replicated(&mut tail)
    }

    /// Writes the records appended since the last call to the commit-log files. The broker calls
    /// it before any answer leaves a connection, so an acknowledged message is in the page
    /// cache (safe from a killed process) first. An error means appended records were lost
    /// before anyone was told they were stored: no answer may claim so, and the store refuses
    /// sends until a restart recovers it.
    pub fn write_staged(&self) -> Result<(), StoreError> {
        self.inner.commit_log.write_staged()
    }

    /// Master HA: raw commit-log bytes from `from` (at most `max_bytes`, never crossing a
    /// segment end); `None` when the slave is up to date.
    pub fn read_commit_log(
        &self,
        from: u64,
        max_bytes: usize,
    ) -> Result<Option<(u64, Bytes)>, StoreError> {
        self.inner.commit_log.read_chunk(from, max_bytes)
    }

    /// Where the master starts sending to a slave that reported `slave_offset`: that offset,
    /// or for a new slave (0) the start of the master's last segment.
    pub fn ha_transfer_start(&self, slave_offset: u64) -> u64 {
        if slave_offset != 0 {
            return slave_offset;
        }
        let max = self.max_phys_offset();
        max - max % self.inner.cfg.commit_log_file_size
    }

    pub fn replica(&self) -> &ReplicaProgress {
        &self.inner.replica
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

    /// Deletes a topic's consume queues and index entries (its records stay in the commit log
    /// until retention removes their segments, as in Apache).
    pub fn delete_topic(&self, topic: &str) -> Result<(), StoreError> {
        let _guard = lock(&self.inner.append_lock);
        self.inner.index.remove_topic(topic);
        self.inner.queues.remove_topic(topic)
    }

    /// Arrival notifications (topic, queue, new max offset) for long-polling pulls. A lagging
    /// receiver gets `RecvError::Lagged` and should re-check its queues. Arrivals are only sent
    /// while an [`ArrivalInterest`] lives: take one before checking what is there already.
    pub fn subscribe_arrivals(&self) -> broadcast::Receiver<MessageArrival> {
        self.inner.arrivals.subscribe()
    }

    /// Asks for arrivals to be sent for as long as the guard lives (a suspended pull, a slave
    /// being streamed to). Without one an append skips the feed and the wake-up of its reader:
    /// a broker nobody long-polls does no arrival work per message. An append that lands after
    /// the guard is taken is sent; one that landed before is visible to a read made after it.
    pub fn arrival_interest(&self) -> ArrivalInterest {
        ArrivalInterest::new(self.inner.arrival_interest.clone())
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

    /// Runs one retention pass now (normally every `retention_check_interval_ms`); returns the
    /// number of commit-log segments deleted.
    pub fn run_retention_now(&self) -> Result<usize, StoreError> {
        let i = &self.inner;
        run_retention(
            &i.cfg,
            &i.disk,
            &i.commit_log,
            &i.queues,
            &i.index,
            now_ms(),
        )
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
    fn refuse_reason(&self) -> Option<PutStatus> {
        if self.stopping.load(Ordering::Acquire)
            || self.commit_log.write_failed()
            || self.cfg.replication == ReplicationRole::Slave
            || self.disk.is_full()
        {
            return Some(PutStatus::ServiceNotAvailable);
        }
        None
    }

    fn validate(&self, batch: &[MessageToStore]) -> Result<u64, PutStatus> {
        let first = batch.first().ok_or(PutStatus::MessageIllegal)?;
        let mut total = 0u64;
        for m in batch {
            if m.topic.is_empty()
                || m.topic.len() > i16::MAX as usize
                || m.topic != first.topic
                || m.queue_id != first.queue_id
                || m.queue_id < 0
            {
                return Err(PutStatus::MessageIllegal);
            }
            if m.properties.len() > i16::MAX as usize {
                return Err(PutStatus::PropertiesSizeExceeded);
            }
            let len = MessageRecord::encoded_len_of(
                MessageVersion::for_topic(&m.topic),
                &m.born_host,
                &self.cfg.store_host,
                m.body.len(),
                m.topic.len(),
                m.properties.len(),
            );
            if len > self.cfg.max_message_size {
                return Err(PutStatus::MessageIllegal);
            }
            total += len as u64;
        }
        if total + END_FILE_MIN_BLANK_LENGTH > self.cfg.commit_log_file_size {
            return Err(PutStatus::MessageIllegal);
        }
        Ok(total)
    }

    fn append(&self, batch: Vec<MessageToStore>) -> PutResult {
        let total = match self.validate(&batch) {
            Ok(t) => t,
            Err(status) => return PutResult::refused(status),
        };
        let guard = lock(&self.append_lock);
        if let Some(status) = self.refuse_reason() {
            return PutResult::refused(status);
        }
        let result = self.append_locked(&batch, total);
        drop(guard);
        match result {
            Ok((info, queue_max)) => {
                self.counters
                    .put_times
                    .fetch_add(info.msg_count as u64, Ordering::Relaxed);
                self.counters
                    .put_bytes
                    .fetch_add(info.wrote_bytes, Ordering::Relaxed);
                if self.cfg.flush_mode == FlushMode::Sync {
                    self.flush.wake();
                }
                if let Some(max_offset) = queue_max.filter(|_| self.wants_arrivals()) {
                    let _ = self.arrivals.send(MessageArrival {
                        topic: batch[0].topic.clone(),
                        queue_id: batch[0].queue_id,
                        max_offset,
                    });
                }
                PutResult {
                    status: PutStatus::PutOk,
                    appended: Some(info),
                }
            }
            Err(e) if e.is_disk_full() => {
                tracing::error!(error = %e, "disk full: put refused");
                PutResult::refused(PutStatus::ServiceNotAvailable)
            }
            Err(e) => {
                tracing::error!(error = %e, "put failed");
                PutResult::refused(PutStatus::UnknownError)
            }
        }
    }

    /// Whether an [`ArrivalInterest`] lives, read after the appended entries are visible (the
    /// fence pairs with the one in `ArrivalInterest::new`: either the interested reader sees
    /// the entries or this sees the interest).
    fn wants_arrivals(&self) -> bool {
        std::sync::atomic::fence(Ordering::SeqCst);
        self.arrival_interest.load(Ordering::Relaxed) > 0
    }

    /// Encodes and writes the batch; caller holds the append lock. Also returns the queue's
    /// new max offset when the batch went into it (not for prepared/rolled-back transactions).
    fn append_locked(
        &self,
        batch: &[MessageToStore],
        total: u64,
    ) -> Result<(AppendInfo, Option<i64>), StoreError> {
        let first = &batch[0];
        let cq = self.queues.get_or_create(&first.topic, first.queue_id)?;
        let (phys, seg) = self.commit_log.prepare_append(total)?;
        let store_ts = now_ms();
        let mut buf = Vec::with_capacity(total as usize);
        let mut next_qo = cq.max_offset();
        let mut first_qo = None;
        let mut ids = Vec::with_capacity(batch.len());
        let mut dispatches = Vec::with_capacity(batch.len());
        for m in batch {
            let offset = phys + buf.len() as u64;
            let tx_skip = MessageSysFlag::is_prepared_or_rollback(m.sys_flag);
            let qo = if tx_skip { 0 } else { next_qo };
            if !tx_skip {
                next_qo += 1;
            }
            first_qo.get_or_insert(qo);
            let rec = MessageRecord {
                version: MessageVersion::for_topic(&m.topic),
                body_crc: 0,
                queue_id: m.queue_id,
                flag: m.flag,
                queue_offset: qo,
                commit_log_offset: offset as i64,
                sys_flag: m.sys_flag,
                born_timestamp: m.born_timestamp,
                born_host: m.born_host,
                store_timestamp: store_ts,
                store_host: self.cfg.store_host,
                reconsume_times: m.reconsume_times,
                prepared_transaction_offset: m.prepared_tx_offset,
                body: m.body.clone(),
                topic: m.topic.clone(),
                properties: m.properties.clone(),
            };
            let sys_flag = rec.effective_sys_flag();
            rec.encode_into(&mut buf)
                .map_err(|e| StoreError::Config(e.to_string()))?;
            ids.push(OffsetMsgId::new(self.cfg.store_host, offset as i64).to_string());
            dispatches.push((
                offset,
                (buf.len() as u64 + phys - offset) as u32,
                qo,
                sys_flag,
            ));
        }
        self.commit_log.stage(&seg, phys, &buf)?;
        self.last_store_timestamp.store(store_ts, Ordering::Release);
        for ((offset, size, qo, sys_flag), m) in dispatches.into_iter().zip(batch) {
            let d = DispatchRecord {
                topic: &m.topic,
                queue_id: m.queue_id,
                queue_offset: qo,
                phys_offset: offset,
                size,
                sys_flag,
                store_timestamp: store_ts,
                properties: &m.properties,
            };
            if let Err(e) = dispatch(&self.queues, Some(&self.index), &d, CqWrite::Always) {
                tracing::error!(error = %e, phys_offset = offset, "consume-queue or index write failed");
            }
        }
        let queued = batch
            .iter()
            .any(|m| !MessageSysFlag::is_prepared_or_rollback(m.sys_flag));
        let queue_max = queued.then(|| cq.max_offset());
        let info = AppendInfo {
            phys_offset: phys,
            wrote_bytes: total,
            queue_offset: first_qo.unwrap_or(0),
            msg_id: ids.join(","),
            store_timestamp: store_ts,
            msg_count: batch.len() as u32,
        };
        Ok((info, queue_max))
    }

    /// Writes replicated bytes and queues them for `dispatch_replicated`.
    fn append_replicated(&self, phys_offset: u64, data: &[u8]) -> Result<(), StoreError> {
        if self.cfg.replication != ReplicationRole::Slave {
            return Err(StoreError::NotSlave);
        }
        let mut tail = lock(&self.append_lock);
        let cl = &self.commit_log;
        let expected = cl.max_offset();
        let empty = cl.segments().is_empty();
        let aligned = phys_offset % cl.segment_size() == 0;
        if !(phys_offset == expected || (empty && aligned)) {
            return Err(StoreError::ReplicaOffset {
                offset: phys_offset,
                expected,
            });
        }
        if data.is_empty() {
            return Ok(());
        }
        if empty {
            cl.set_max_offset(phys_offset);
            tail.dispatched = phys_offset;
            tail.pending.clear();
        }
        let seg = match cl.segment_for(phys_offset) {
            Some(s) => s,
            None => cl.create_segment(phys_offset)?,
        };
        if phys_offset + data.len() as u64 > seg.end() {
            return Err(StoreError::ReplicaCrossesSegment {
                offset: phys_offset,
                len: data.len(),
                segment_end: seg.end(),
            });
        }
        cl.write(&seg, phys_offset, data)?;
        tail.pending.extend_from_slice(data);
        Ok(())
    }

    fn dispatch_replicated(&self, tail: &mut ReplicaTail) -> Result<(), StoreError> {
        let mut used = 0usize;
        let mut result = Ok(());
        let mut arrivals = Vec::new();
        while used < tail.pending.len() {
            let pos = tail.dispatched + used as u64;
            let seg_end = self.commit_log.segment_start_of(pos) + self.commit_log.segment_size();
            match parse_at(&tail.pending[used..], pos, seg_end) {
                Parsed::NeedMore => break,
                Parsed::Filler(len) => {
                    if ((tail.pending.len() - used) as u64) < len {
                        break;
                    }
                    used += len as usize;
                }
                Parsed::Record(rec, len) => {
                    let d = DispatchRecord::of_record(&rec, pos, len);
                    if let Err(e) = dispatch(&self.queues, Some(&self.index), &d, CqWrite::Always) {
                        result = Err(e);
                        break;
                    }
                    self.last_store_timestamp
                        .store(rec.store_timestamp, Ordering::Release);
                    arrivals.push(MessageArrival {
                        topic: rec.topic.clone(),
                        queue_id: rec.queue_id,
                        max_offset: rec.queue_offset + 1,
                    });
                    used += len as usize;
                }
                Parsed::Empty => {
                    result = Err(StoreError::ReplicaCorrupt {
                        offset: pos,
                        reason: "zeros where a record should start".into(),
                    });
                    break;
                }
                Parsed::Corrupt(reason) => {
                    result = Err(StoreError::ReplicaCorrupt {
                        offset: pos,
                        reason,
                    });
                    break;
                }
            }
        }
        tail.pending.drain(..used);
        tail.dispatched += used as u64;
        self.flush.wake();
        if self.wants_arrivals() {
            for a in arrivals {
                let _ = self.arrivals.send(a);
            }
        }
        result
    }

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

    /// Flushes consume queues, writes the key index cache (fdatasync'ed only with `sync_index`:
    /// the active index file's slots are rewritten all over, syncing them every second would
    /// cost tens of MB/s of disk writes) and writes the checkpoint.
    fn flush_consume_queues_and_checkpoint(&self, sync_index: bool) {
        let logics_ts = self.last_store_timestamp.load(Ordering::Acquire);
        let mut ok = true;
        for cq in self.queues.all() {
            if let Err(e) = cq.flush() {
                tracing::error!(error = %e, "consume-queue flush failed");
                ok = false;
            }
        }
        let index_ts = match self.index.flush(sync_index) {
            Ok(ts) => ts,
            Err(e) => {
                tracing::error!(error = %e, "index flush failed");
                None
            }
        };
        let mut cp = lock(&self.checkpoint);
        cp.physic_msg_timestamp = self.flush.flushed_store_timestamp();
        if ok {
            cp.logics_msg_timestamp = logics_ts.min(cp.physic_msg_timestamp);
        }
        if let Some(ts) = index_ts {
            cp.index_msg_timestamp = ts;
        }
        if let Err(e) = cp.flush() {
            tracing::error!(error = %e, "checkpoint write failed");
        }
    }

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
        self.flush_consume_queues_and_checkpoint(true);
        let abort = self.cfg.root_dir.join("abort");
        if let Err(e) = std::fs::remove_file(&abort) {
            tracing::warn!(path = %abort.display(), error = %e, "could not remove abort marker");
        }
        lock(&self.lock).take();
    }
}

/// Keeps arrivals flowing while it lives ([`MessageStore::arrival_interest`]).
#[derive(Debug)]
pub struct ArrivalInterest {
    count: Arc<AtomicUsize>,
}

impl ArrivalInterest {
    fn new(count: Arc<AtomicUsize>) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        // Pairs with `StoreInner::wants_arrivals`: a queue read after this sees every append
        // that did not see the interest.
        std::sync::atomic::fence(Ordering::SeqCst);
        ArrivalInterest { count }
    }
}

impl Drop for ArrivalInterest {
    fn drop(&mut self) {
        self.count.fetch_sub(1, Ordering::Relaxed);
    }
}

fn start_threads(inner: &Arc<StoreInner>) -> Result<(), StoreError> {
    let weak = Arc::downgrade(inner);
    let flusher = std::thread::Builder::new()
        .name("store-flush".into())
        .spawn(move || flusher_loop(weak))
        .map_err(|e| StoreError::io(&inner.cfg.root_dir, 0, e))?;
    let weak = Arc::downgrade(inner);
    let maintenance = std::thread::Builder::new()
        .name("store-maintenance".into())
        .spawn(move || maintenance_loop(weak))
        .map_err(|e| StoreError::io(&inner.cfg.root_dir, 0, e))?;
    lock(&inner.threads).extend([flusher, maintenance]);
    Ok(())
}

fn flusher_loop(weak: Weak<StoreInner>) {
    let mut policy = None;
    loop {
        let Some(inner) = weak.upgrade() else { return };
        if inner.stopping.load(Ordering::Acquire) {
            return;
        }
        let cfg = &inner.cfg;
        let policy = policy.get_or_insert_with(|| AsyncFlushPolicy {
            least_bytes: cfg.flush_least_pages as u64 * 4096,
            thorough_interval: Duration::from_millis(cfg.flush_thorough_interval_ms),
            last_thorough: Instant::now(),
        });
        let should = match cfg.flush_mode {
            FlushMode::Sync => {
                inner.flush.wait_for_wake(Duration::from_millis(100));
                true
            }
            FlushMode::Async => {
                inner
                    .flush
                    .wait_for_wake(Duration::from_millis(cfg.flush_interval_ms.max(1)));
                // Sends nobody is answered for (oneway, WAIT=false) reach the file here.
                let _ = inner.commit_log.write_staged();
                let dirty = inner
                    .commit_log
                    .max_offset()
                    .saturating_sub(inner.flush.flushed());
                policy.should_flush(dirty)
            }
        };
        if should && !inner.stopping.load(Ordering::Acquire) {
            let ts = inner.last_store_timestamp.load(Ordering::Acquire);
            if let Err(e) = inner.flush.flush_commit_log(&inner.commit_log, ts) {
                tracing::error!(error = %e, "commit-log flush failed");
                drop(inner);
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

fn maintenance_loop(weak: Weak<StoreInner>) {
    let mut last_cq_flush = Instant::now();
    let mut last_index_sync = Instant::now();
    let mut last_retention = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(50));
        let Some(inner) = weak.upgrade() else { return };
        if inner.stopping.load(Ordering::Acquire) {
            return;
        }
        let cfg = &inner.cfg;
        if last_cq_flush.elapsed() >= Duration::from_millis(cfg.flush_consume_queue_interval_ms) {
            let sync_index = last_index_sync.elapsed() >= INDEX_SYNC_INTERVAL;
            inner.flush_consume_queues_and_checkpoint(sync_index);
            if sync_index {
                last_index_sync = Instant::now();
            }
            last_cq_flush = Instant::now();
        }
        if last_retention.elapsed() >= Duration::from_millis(cfg.retention_check_interval_ms) {
            if let Err(e) = run_retention(
                cfg,
                &inner.disk,
                &inner.commit_log,
                &inner.queues,
                &inner.index,
                now_ms(),
            ) {
                tracing::error!(error = %e, "retention pass failed");
            }
            last_retention = Instant::now();
        }
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

/// Born host used when a caller has none (tests, internal messages).
pub fn unspecified_host() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}
