//! `TransactionTable`: the unresolved transactions of a master, kept in memory and rebuilt
//! from the half and op queues at start, plus the check progress saved as the offsets of group
//! CID_RMQ_SYS_TRANS. A transaction is known by its first half message's queue offset (its
//! origin); each check appends a copy, and the newest copy is the one checked next.

use std::collections::{BTreeMap, BTreeSet};

/// One half message (or copy) on the half queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HalfCopy {
    pub queue_offset: i64,
    pub phys_offset: i64,
}

/// An unresolved transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingTransaction {
    /// Half-queue offset of the first half message.
    pub origin: i64,
    /// The newest copy: what the next check is about.
    pub latest: HalfCopy,
    /// The producer's timestamp of the message (copies keep it).
    pub born_timestamp: i64,
    /// Checks sent so far.
    pub check_times: u32,
    /// The producer's `CHECK_IMMUNITY_TIME_IN_SECONDS`, if any.
    pub immunity_secs: Option<i64>,
}

/// Offsets of the half and op queues below which nothing needs reading after a restart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub half: i64,
    pub op: i64,
}

/// A write between "about to append" and "recorded it": a half message of a send, or an op
/// message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SendTicket(u64);

/// Why a transaction cannot be claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimError {
    /// Not unresolved here: committed, rolled back, given up, or never known.
    NotPending,
    /// Another task is committing, rolling back, checking or giving it up right now.
    Busy,
}

/// The in-memory transaction state of one broker.
#[derive(Debug, Default)]
pub struct TransactionTable {
    pending: BTreeMap<i64, PendingTransaction>,
    /// Op messages a restart must still read: op queue offset -> the newest half copy of the
    /// transaction it resolved. Dropped once the half progress passes that copy.
    resolved_ops: BTreeMap<i64, i64>,
    /// Half-queue max offsets seen by sends that have not registered their half message yet.
    sends: BTreeMap<SendTicket, i64>,
    /// Op-queue max offsets seen by op writes not recorded yet.
    op_writes: BTreeMap<SendTicket, i64>,
    next_ticket: u64,
    /// Transactions a task is resolving, renewing or giving up: nobody else touches them.
    claimed: BTreeSet<i64>,
    /// One past the newest half message registered or read back.
    half_next: i64,
    /// One past the newest op message written or read back.
    op_next: i64,
}

impl TransactionTable {
    /// A table whose queues were read up to `progress` (nothing pending yet).
    pub fn starting_at(progress: Progress) -> Self {
        TransactionTable {
            half_next: progress.half,
            op_next: progress.op,
            ..Default::default()
        }
    }

    /// A send is about to append a half message; the half queue's max offset is `floor` now,
    /// so its message lands at or above it.
    pub fn send_started(&mut self, floor: i64) -> SendTicket {
        self.next_ticket += 1;
        let ticket = SendTicket(self.next_ticket);
        self.sends.insert(ticket, floor);
        ticket
    }

    /// The send registered its message (or failed); its floor no longer holds progress back.
    pub fn send_finished(&mut self, ticket: SendTicket) {
        self.sends.remove(&ticket);
    }

    /// An op message is about to be appended to an op queue whose max offset is `floor`.
    pub fn op_started(&mut self, floor: i64) -> SendTicket {
        self.next_ticket += 1;
        let ticket = SendTicket(self.next_ticket);
        self.op_writes.insert(ticket, floor);
        ticket
    }

    /// The op message was recorded with its resolution (or not written at all).
    pub fn op_finished(&mut self, ticket: SendTicket) {
        self.op_writes.remove(&ticket);
    }

    /// Takes a pending transaction for one task (an answer, a check, a give-up).
    pub fn claim(&mut self, origin: i64) -> Result<PendingTransaction, ClaimError> {
        let tx = self.pending.get(&origin).ok_or(ClaimError::NotPending)?;
        if !self.claimed.insert(origin) {
            return Err(ClaimError::Busy);
        }
        Ok(tx.clone())
    }

    /// Gives a claimed transaction back unchanged (its task failed).
    pub fn release(&mut self, origin: i64) {
        self.claimed.remove(&origin);
    }

    /// A claimed transaction got a new copy (a check): it is what the next check is about.
    pub fn renewed(&mut self, origin: i64, copy: HalfCopy, check_times: u32) {
        self.half_next = self.half_next.max(copy.queue_offset + 1);
        if let Some(tx) = self.pending.get_mut(&origin) {
            tx.latest = copy;
            tx.check_times = check_times;
        }
    }

    /// A new transaction, or a new copy of a pending one (replaces its newest copy).
    pub fn register(&mut self, tx: PendingTransaction) {
        self.half_next = self.half_next.max(tx.latest.queue_offset + 1);
        self.pending.insert(tx.origin, tx);
    }

    /// A half message read back at start: a newer copy of a pending transaction replaces the
    /// older one; an older copy never replaces a newer one.
    pub fn register_read_back(&mut self, tx: PendingTransaction) {
        self.half_next = self.half_next.max(tx.latest.queue_offset + 1);
        match self.pending.get(&tx.origin) {
            Some(known) if known.latest.queue_offset >= tx.latest.queue_offset => {}
            _ => {
                self.pending.insert(tx.origin, tx);
            }
        }
    }

    pub fn pending(&self, origin: i64) -> Option<&PendingTransaction> {
        self.pending.get(&origin)
    }

    /// Every pending transaction, oldest first.
    pub fn all_pending(&self) -> Vec<PendingTransaction> {
        self.pending.values().cloned().collect()
    }

    pub fn unresolved(&self) -> usize {
        self.pending.len()
    }

    /// The transaction is over (committed, rolled back or given up); `op_offset` is where its
    /// op message went, `None` when writing it failed or when it was read back at start.
    pub fn resolve(&mut self, origin: i64, op_offset: Option<i64>) -> Option<PendingTransaction> {
        self.claimed.remove(&origin);
        let tx = self.pending.remove(&origin)?;
        if let Some(op) = op_offset {
            self.resolved_ops.insert(op, tx.latest.queue_offset);
            self.op_next = self.op_next.max(op + 1);
        }
        Some(tx)
    }

    /// An op message read back at start (its transaction may be unknown here).
    pub fn op_read_back(&mut self, op_offset: i64, newest_copy: Option<i64>) {
        self.op_next = self.op_next.max(op_offset + 1);
        if let Some(copy) = newest_copy {
            self.resolved_ops.insert(op_offset, copy);
        }
    }

    /// Where reading must start after a restart. Half: the oldest newest-copy still pending,
    /// or the oldest half message a running send may be appending, else one past the newest
    /// known. Op: the oldest op message that resolved a transaction with a copy at or above
    /// the half progress (reading from the half progress would find that copy), or the oldest
    /// one being written, else one past the newest op message.
    pub fn progress(&mut self) -> Progress {
        let half = self
            .pending
            .values()
            .map(|t| t.latest.queue_offset)
            .chain(self.sends.values().copied())
            .min()
            .unwrap_or(self.half_next)
            .min(self.half_next);
        self.resolved_ops
            .retain(|_, newest_copy| *newest_copy >= half);
        let op = self
            .resolved_ops
            .keys()
            .chain(self.op_writes.values())
            .min()
            .copied()
            .unwrap_or(self.op_next)
            .min(self.op_next);
        Progress { half, op }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tx(origin: i64, latest: i64) -> PendingTransaction {
        PendingTransaction {
            origin,
            latest: HalfCopy {
                queue_offset: latest,
                phys_offset: latest * 100,
            },
            born_timestamp: 0,
            check_times: 0,
            immunity_secs: None,
        }
    }

    #[test]
    fn progress_stops_at_the_oldest_pending_copy_and_moves_past_resolved_ones() {
        let mut t = TransactionTable::starting_at(Progress { half: 0, op: 0 });
        t.register(tx(0, 0));
        t.register(tx(1, 1));
        assert_eq!(t.progress(), Progress { half: 0, op: 0 });
        t.resolve(0, Some(0));
        assert_eq!(t.progress(), Progress { half: 1, op: 1 });
        t.resolve(1, Some(1));
        assert_eq!(t.progress(), Progress { half: 2, op: 2 });
        assert_eq!(t.unresolved(), 0);
    }

    #[test]
    fn an_op_is_kept_while_a_copy_of_its_transaction_is_above_the_half_progress() {
        let mut t = TransactionTable::starting_at(Progress::default());
        t.register(tx(0, 0));
        t.register(tx(1, 1));
        // Transaction 1 is checked: its copy lands at 2, then it is rolled back (op 0).
        t.register(tx(1, 2));
        t.resolve(1, Some(0));
        // Transaction 0 still pending at 0: a restart reads copy 2, so op 0 must be read too.
        assert_eq!(t.progress(), Progress { half: 0, op: 0 });
        t.register(tx(0, 3));
        assert_eq!(t.progress(), Progress { half: 3, op: 1 });
    }

    #[test]
    fn a_running_send_holds_the_half_progress_back() {
        let mut t = TransactionTable::starting_at(Progress { half: 5, op: 0 });
        let ticket = t.send_started(5);
        let other = t.send_started(5);
        t.register(tx(6, 6));
        t.resolve(6, Some(0));
        assert_eq!(
            t.progress().half,
            5,
            "the first send's message (5) is not registered"
        );
        t.register(tx(5, 5));
        t.send_finished(ticket);
        t.send_finished(other);
        assert_eq!(t.progress().half, 5);
        t.resolve(5, Some(1));
        assert_eq!(t.progress(), Progress { half: 7, op: 2 });
    }

    #[test]
    fn a_claimed_transaction_is_not_claimed_twice_and_is_gone_once_resolved() {
        let mut t = TransactionTable::starting_at(Progress::default());
        t.register(tx(0, 0));
        assert!(t.claim(0).is_ok());
        assert_eq!(t.claim(0), Err(ClaimError::Busy));
        t.release(0);
        let claimed = t.claim(0).unwrap();
        assert_eq!(claimed.latest.queue_offset, 0);
        t.renewed(
            0,
            HalfCopy {
                queue_offset: 4,
                phys_offset: 400,
            },
            1,
        );
        assert_eq!(t.pending(0).unwrap().check_times, 1);
        t.resolve(0, Some(0));
        assert_eq!(t.claim(0), Err(ClaimError::NotPending));
        assert_eq!(t.claim(9), Err(ClaimError::NotPending));
        assert_eq!(t.progress(), Progress { half: 5, op: 1 });
    }

    #[test]
    fn an_op_being_written_holds_the_op_progress_back() {
        let mut t = TransactionTable::starting_at(Progress::default());
        t.register(tx(0, 0));
        t.register(tx(1, 1));
        let first = t.op_started(0);
        let second = t.op_started(0);
        // The second op (at 1) is recorded first; the first (at 0) is still being written.
        t.resolve(1, Some(1));
        t.op_finished(second);
        assert_eq!(t.progress().op, 0);
        t.resolve(0, Some(0));
        t.op_finished(first);
        assert_eq!(t.progress(), Progress { half: 2, op: 2 });
    }

    #[test]
    fn read_back_keeps_the_newest_copy() {
        let mut t = TransactionTable::starting_at(Progress::default());
        t.register_read_back(tx(3, 9));
        t.register_read_back(tx(3, 4));
        assert_eq!(t.pending(3).unwrap().latest.queue_offset, 9);
        assert_eq!(t.progress().half, 9);
    }
}
