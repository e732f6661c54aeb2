//! Replication progress as seen by the master's store: is a slave connected, and up to which
//! commit-log offset has it acknowledged. The HA service updates it; SYNC_MASTER puts wait on it.

use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::watch;

/// Shared between the HA connection handler (writer) and waiting puts (readers).
#[derive(Debug)]
pub struct ReplicaProgress {
    connected: AtomicBool,
    acked: watch::Sender<u64>,
}

impl Default for ReplicaProgress {
    fn default() -> Self {
        Self {
            connected: AtomicBool::new(false),
            acked: watch::Sender::new(0),
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
        self.acked.send_if_modified(|cur| {
            if offset > *cur {
                *cur = offset;
                true
            } else {
                false
            }
        });
    }

    /// Sets the acked offset unconditionally (a new slave connection reports where it is).
    pub fn reset_acked(&self, offset: u64) {
        self.acked.send_replace(offset);
    }

    pub fn acked(&self) -> u64 {
        *self.acked.borrow()
    }

    /// Receiver that changes whenever the acked offset grows.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.acked.subscribe()
    }
}
