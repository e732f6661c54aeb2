//! Replication at the commit-log level: the master reads raw bytes for its slaves, the slave
//! appends what it receives at the same offsets and dispatches complete records to consume
//! queues and the index (a partial trailing record waits for the next chunk).

use std::sync::atomic::Ordering;

use bytes::Bytes;

use super::{MessageStore, StoreInner};
use crate::broker::store::config::ReplicationRole;
use crate::broker::store::dispatch::{dispatch, CqWrite, DispatchRecord};
use crate::broker::store::error::StoreError;
use crate::broker::store::recovery::{parse_at, Parsed};
use crate::broker::store::replica::ReplicaProgress;
use crate::broker::store::types::MessageArrival;
use crate::locks::lock;

/// Slave-side state of `append_replicated`: bytes of a record not yet complete.
#[derive(Debug, Default)]
pub(super) struct ReplicaTail {
    dispatched: u64,
    pending: Vec<u8>,
}

impl ReplicaTail {
    /// Nothing pending; records before `offset` are dispatched.
    pub(super) fn at(offset: u64) -> Self {
        ReplicaTail {
            dispatched: offset,
            pending: Vec::new(),
        }
    }
}

impl MessageStore {
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
}

impl StoreInner {
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
}
