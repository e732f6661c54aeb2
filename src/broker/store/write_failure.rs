//! What the commit log keeps while writing its staged bytes fails (ENOSPC where preallocation
//! did not hold, EDQUOT, EIO): the bytes themselves, to be written again at the same offset, the
//! time of the next attempt (exponential backoff, so a failing disk is not hammered by every
//! answer of every connection), and the log lines: one when writes start failing, one when they
//! work again. Nothing is dropped: the bytes were appended (consume-queue entries point at them),
//! they are written exactly once, when the disk takes them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::error::StoreError;
use super::segment::Segment;

/// First wait before a failed write is tried again; doubled after each failure.
const FIRST_RETRY: Duration = Duration::from_millis(50);
/// Longest wait between two attempts: how long sends may stay refused after the disk recovered.
const MAX_RETRY: Duration = Duration::from_secs(2);
/// While writes keep failing, a reminder is logged this often.
const REMINDER_INTERVAL: Duration = Duration::from_secs(60);

/// Bytes appended to one segment but not in its file yet.
#[derive(Debug)]
pub(super) struct Unwritten {
    pub start: u64,
    pub bytes: Vec<u8>,
    pub segment: Arc<Segment>,
    /// Where the written position lands once they are (past them when an end-of-file filler
    /// leaves the rest of the segment blank).
    pub end: u64,
}

/// The state of a failing commit log: what is kept and when to try again.
#[derive(Debug)]
pub(super) struct WriteFailure {
    pub kept: Unwritten,
    since: Instant,
    attempts: u32,
    next_attempt: Instant,
    last_reminder: Instant,
    reason: String,
}

impl WriteFailure {
    /// A first failure: logged as an error.
    pub fn new(kept: Unwritten, error: &StoreError) -> Self {
        let now = Instant::now();
        tracing::error!(offset = kept.start, bytes = kept.bytes.len(), error = %error,
            "commit-log write failed: the records appended since the last write stay in memory and are written again (with backoff) once the disk takes writes; their senders get no answer, and sends are refused with SERVICE_NOT_AVAILABLE until then. Free disk space or fix the disk");
        WriteFailure {
            kept,
            since: now,
            attempts: 1,
            next_attempt: now + FIRST_RETRY,
            last_reminder: now,
            reason: describe(error),
        }
    }

    /// Whether the backoff allows another attempt now.
    pub fn attempt_due(&self) -> bool {
        Instant::now() >= self.next_attempt
    }

    /// Another attempt failed: wait longer before the next; remind the log now and then.
    pub fn retry_failed(&mut self, error: &StoreError) {
        self.attempts += 1;
        let wait = FIRST_RETRY
            .saturating_mul(1 << self.attempts.min(16))
            .min(MAX_RETRY);
        let now = Instant::now();
        self.next_attempt = now + wait;
        self.reason = describe(error);
        if now.duration_since(self.last_reminder) >= REMINDER_INTERVAL {
            self.last_reminder = now;
            tracing::error!(offset = self.kept.start, bytes = self.kept.bytes.len(),
                failing_for_s = self.since.elapsed().as_secs(), attempts = self.attempts,
                error = %error, "commit-log writes still fail; sends are still refused");
        } else {
            tracing::debug!(attempts = self.attempts, error = %error, "commit-log write retry failed");
        }
    }

    /// The kept bytes were written: log the recovery.
    pub fn recovered(self) {
        tracing::warn!(offset = self.kept.start, bytes = self.kept.bytes.len(),
            failed_for_ms = self.since.elapsed().as_millis() as u64, attempts = self.attempts,
            "commit-log writes work again: the records kept in memory are written; sends are accepted");
    }

    /// The cause, for the remark of refused sends.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// The I/O error in operator words (the file and offset are in the log line).
fn describe(error: &StoreError) -> String {
    match error {
        StoreError::Io { source, .. } => source.to_string(),
        other => other.to_string(),
    }
}
