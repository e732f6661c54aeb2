//! The store's two background threads: the commit-log flusher (woken per put under
//! SYNC_FLUSH, by interval and page count under ASYNC_FLUSH) and the maintenance loop
//! (consume-queue flush, key-index write-back, checkpoint, retention).

use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use super::{MessageStore, StoreInner};
use crate::broker::store::config::FlushMode;
use crate::broker::store::error::StoreError;
use crate::broker::store::flush::AsyncFlushPolicy;
use crate::broker::store::retention::run_retention;
use crate::calendar::now_millis;
use crate::locks::lock;

/// How often the checkpoint fdatasyncs the key index (it writes it every checkpoint).
const INDEX_SYNC_INTERVAL: Duration = Duration::from_secs(10);

impl MessageStore {
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
            now_millis(),
        )
    }
}

impl StoreInner {
    /// Flushes consume queues, writes the key index cache (fdatasync'ed only with `sync_index`:
    /// the active index file's slots are rewritten all over, syncing them every second would
    /// cost tens of MB/s of disk writes) and writes the checkpoint.
    pub(super) fn flush_consume_queues_and_checkpoint(&self, sync_index: bool) {
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
}

pub(super) fn start_threads(inner: &Arc<StoreInner>) -> Result<(), StoreError> {
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
                now_millis(),
            ) {
                tracing::error!(error = %e, "retention pass failed");
            }
            last_retention = Instant::now();
        }
    }
}
