//! Replication progress as seen by the master's store: is a slave connected, and up to which
//! commit-log offset has it acknowledged. The HA service updates it; SYNC_MASTER puts wait on it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::offset_wait::OffsetWaiters;

/// Shared between the HA connection handler (writer) and waiting puts (readers).
#[derive(Debug)]
pub struct ReplicaProgress {
    connected: AtomicBool,
    acked: OffsetWaiters,
}

impl Default for ReplicaProgress {
    fn default() -> Self {
        Self {
            connected: AtomicBool::new(false),
            acked: OffsetWaiters::new(0),
        }
    }
}

impl ReplicaProgress {
    /// Called when the slave connects or its connection closes.
    pub fn set_connected(&self, connected: bool) {
        self.connected.store(connected, Ordering::Release);
    }

    pub fn is_connected(&self) -> bool {
        self.connected.load(Ordering::Acquire)
    }

    /// The slave reported it holds everything below `offset` (monotonic: lower reports from a
    /// reconnecting slave are kept as the new value only via [`ReplicaProgress::reset_acked`]).
    pub fn update_acked(&self, offset: u64) {
        self.acked.advance(offset);
    }

    /// Sets the acked offset unconditionally (a new slave connection reports where it is).
    pub fn reset_acked(&self, offset: u64) {
        self.acked.reset(offset);
    }

    pub fn acked(&self) -> u64 {
        self.acked.reached()
    }

    /// Waits until the slave has acknowledged everything below `end`; false after `timeout`.
    pub async fn wait_acked(&self, end: u64, timeout: Duration) -> bool {
        self.acked.wait(end, timeout).await
    }
}
