//! The put path: validation, the append under the store's one lock (encode, stage into the
//! commit log, consume-queue and index entries in append order), then the waits for the disk
//! flush (SYNC_FLUSH) and the slave (SYNC_MASTER) outside it, and the arrival feed long-polling
//! pulls wait on.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast;

use super::{MessageStore, StoreInner};
use crate::broker::store::commit_log::END_FILE_MIN_BLANK_LENGTH;
use crate::broker::store::config::{FlushMode, ReplicationRole};
use crate::broker::store::dispatch::{dispatch, CqWrite, DispatchRecord};
use crate::broker::store::error::StoreError;
use crate::broker::store::types::{
    AppendInfo, MessageArrival, MessageToStore, PutResult, PutStatus,
};
use crate::calendar::now_millis;
use crate::locks::lock;
use crate::protocol::message::{
    find_property, MessageConst, MessageRecord, MessageSysFlag, MessageVersion, OffsetMsgId,
};

impl MessageStore {
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

    /// Writes the records appended since the last call to the commit-log files. The broker calls
    /// it before any answer leaves a connection, so an acknowledged message is in the page
    /// cache (safe from a killed process) first. An error means appended records are not in
    /// their file yet: no answer may claim they are stored (see [`MessageStore::written_offset`]).
    /// They are kept and written again with backoff; the store refuses sends until then.
    pub fn write_staged(&self) -> Result<(), StoreError> {
        self.inner.commit_log.write_staged()
    }

    /// End of the commit-log data in its files: a record below it may be acknowledged.
    pub fn written_offset(&self) -> u64 {
        self.inner.commit_log.written_offset()
    }

    /// While commit-log writes fail: the error, for the remark of refused sends.
    pub fn write_failure_reason(&self) -> Option<String> {
        self.inner.commit_log.write_failure_reason()
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
}

impl StoreInner {
    fn refuse_reason(&self) -> Option<PutStatus> {
        if self.stopping.load(Ordering::Acquire)
            || self.commit_log.write_failing()
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
    pub(super) fn wants_arrivals(&self) -> bool {
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
        let store_ts = now_millis();
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
