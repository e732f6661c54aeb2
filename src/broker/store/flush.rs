//! Commit-log flushing. SYNC_FLUSH: a flusher thread wakes on every append, fdatasyncs everything
//! written so far and publishes the new flushed offset; all puts waiting at or below it are
//! released together (group commit: concurrent producers share one fdatasync). ASYNC_FLUSH: the
//! same thread flushes every `flush_interval_ms` once `flush_least_pages` are dirty, and at least
//! every `flush_thorough_interval_ms`.
//!
//! The flusher and the maintenance loop are plain std threads (fdatasync blocks); waiting puts
//! wait on [`OffsetWaiters`], so they need a tokio runtime but never block one.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use super::commit_log::CommitLog;
use super::error::StoreError;
use super::offset_wait::OffsetWaiters;
use crate::locks::{lock, wait_timeout_while};

/// Flushed offset and the flusher's wake-up signal.
#[derive(Debug)]
pub struct FlushService {
    flushed: OffsetWaiters,
    /// Store timestamp of the newest record known to be flushed (for the checkpoint).
    flushed_store_timestamp: AtomicI64,
    flush_count: AtomicU64,
    signal: Mutex<FlusherSignal>,
    wake: Condvar,
}

#[derive(Debug, Default)]
struct FlusherSignal {
    dirty: bool,
    /// The flusher is blocked in `wait_for_wake` (only then does `wake` need a notify).
    sleeping: bool,
}

impl FlushService {
    pub fn new(flushed: u64, store_timestamp: i64) -> Self {
        Self {
            flushed: OffsetWaiters::new(flushed),
            flushed_store_timestamp: AtomicI64::new(store_timestamp),
            flush_count: AtomicU64::new(0),
            signal: Mutex::new(FlusherSignal::default()),
            wake: Condvar::new(),
        }
    }

    /// Everything below this offset is on disk.
    pub fn flushed(&self) -> u64 {
        self.flushed.reached()
    }

    /// Waits until everything below `end` is on disk; false after `timeout`.
    pub async fn wait_flushed(&self, end: u64, timeout: Duration) -> bool {
        self.flushed.wait(end, timeout).await
    }

    pub fn flush_count(&self) -> u64 {
        self.flush_count.load(Ordering::Relaxed)
    }

    pub fn flushed_store_timestamp(&self) -> i64 {
        self.flushed_store_timestamp.load(Ordering::Acquire)
    }

    /// Tells the flusher there is new data (SYNC_FLUSH) or that it should look at its flags.
    pub fn wake(&self) {
        let sleeping = {
            let mut s = lock(&self.signal);
            s.dirty = true;
            s.sleeping
        };
        if sleeping {
            self.wake.notify_one();
        }
    }

    /// Blocks up to `timeout` for a wake-up; returns whether one came.
    pub fn wait_for_wake(&self, timeout: Duration) -> bool {
        let mut guard = lock(&self.signal);
        guard.sleeping = true;
        let mut guard = wait_timeout_while(&self.wake, guard, timeout, |s| !s.dirty);
        guard.sleeping = false;
        std::mem::replace(&mut guard.dirty, false)
    }

    /// Writes the staged bytes, then fdatasyncs everything written so far; returns whether
    /// anything was flushed. While commit-log writes fail, what is in the files is flushed and
    /// the rest waits (its puts wait, up to their timeout). `last_store_timestamp` must be read
    /// before this call (it then covers only flushed data).
    pub fn flush_commit_log(
        &self,
        commit_log: &CommitLog,
        last_store_timestamp: i64,
    ) -> Result<bool, StoreError> {
        let appended = commit_log.max_offset();
        // A failure is logged and retried by the commit log itself.
        let _ = commit_log.write_staged();
        let target = commit_log.written_offset().min(appended);
        let from = self.flushed();
        if target <= from {
            return Ok(false);
        }
        commit_log.sync_range(from, target)?;
        self.flush_count.fetch_add(1, Ordering::Relaxed);
        if target == appended {
            // Only then is every record stored by the timestamp's time on disk.
            self.flushed_store_timestamp
                .fetch_max(last_store_timestamp, Ordering::AcqRel);
        }
        self.flushed.advance(target);
        Ok(true)
    }
}

/// When the ASYNC_FLUSH flusher should flush.
#[derive(Debug)]
pub struct AsyncFlushPolicy {
    pub least_bytes: u64,
    pub thorough_interval: Duration,
    pub last_thorough: Instant,
}

impl AsyncFlushPolicy {
    pub fn should_flush(&mut self, dirty_bytes: u64) -> bool {
        if dirty_bytes == 0 {
            return false;
        }
        if self.last_thorough.elapsed() >= self.thorough_interval {
            self.last_thorough = Instant::now();
            return true;
        }
        dirty_bytes >= self.least_bytes
    }
}
