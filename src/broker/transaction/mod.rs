//! Transactional messages, as Apache RocketMQ keeps them: a prepared send is stored as a half
//! message on RMQ_SYS_TRANS_HALF_TOPIC, END_TRANSACTION commits it to its real topic or rolls it
//! back, an op message on RMQ_SYS_TRANS_OP_HALF_TOPIC marks it resolved, and unresolved half
//! messages are checked back with the producer group (CHECK_TRANSACTION_STATE) until they are
//! resolved or given up. Everything lives in the commit log, so restarts and slaves see it.
//!
//! `message` builds and reads the records, `table` is the in-memory state, `recovery` rebuilds
//! it at start, `end` handles END_TRANSACTION and `check` runs the check-back.

pub mod check;
pub mod end;
pub mod message;
pub mod recovery;
pub mod table;

pub use message::{
    half_message, is_prepared, HalfFacts, CHECK_MAX_TIME_TOPIC, HALF_TOPIC, OP_TOPIC,
    PROGRESS_GROUP,
};
pub use table::{ClaimError, HalfCopy, PendingTransaction, Progress, SendTicket, TransactionTable};

use super::context::BrokerContext;
use crate::locks::lock;
use std::sync::Mutex;

/// The transaction state of a broker (used on masters; a slave only stores what it replicates).
#[derive(Debug, Default)]
pub struct TransactionService {
    /// The state; a task that commits, rolls back, checks or gives up a transaction claims it
    /// first, so two answers never both write and a check never renews one being resolved.
    table: Mutex<TransactionTable>,
    /// The progress last handed to the consumer-offset table.
    saved: Mutex<Option<Progress>>,
}

/// Holds the half progress back while a send appends its half message; registers it after.
pub struct HalfSend<'a> {
    service: &'a TransactionService,
    ticket: SendTicket,
}

impl HalfSend<'_> {
    /// The half message was appended at `copy`: it is now a pending transaction.
    pub fn register(&self, copy: HalfCopy, born_timestamp: i64, immunity_secs: Option<i64>) {
        lock(&self.service.table).register(PendingTransaction {
            origin: copy.queue_offset,
            latest: copy,
            born_timestamp,
            check_times: 0,
            immunity_secs,
        });
    }
}

impl Drop for HalfSend<'_> {
    fn drop(&mut self) {
        lock(&self.service.table).send_finished(self.ticket);
    }
}

impl TransactionService {
    /// Replace the state (recovery at start).
    pub fn install(&self, table: TransactionTable) {
        *lock(&self.table) = table;
    }

    /// A send is about to append a half message to a half queue whose max offset is `floor`.
    pub fn half_send(&self, floor: i64) -> HalfSend<'_> {
        let ticket = lock(&self.table).send_started(floor);
        HalfSend {
            service: self,
            ticket,
        }
    }

    /// Number of unresolved transactions (half messages not committed, rolled back or given up).
    pub fn unresolved(&self) -> usize {
        lock(&self.table).unresolved()
    }

    pub fn all_pending(&self) -> Vec<PendingTransaction> {
        lock(&self.table).all_pending()
    }

    fn claim(&self, origin: i64) -> Result<PendingTransaction, ClaimError> {
        lock(&self.table).claim(origin)
    }

    fn release(&self, origin: i64) {
        lock(&self.table).release(origin);
    }

    /// Drops a claimed transaction whose half message can no longer be read.
    fn forget(&self, origin: i64) {
        lock(&self.table).resolve(origin, None);
    }

    fn renewed(&self, origin: i64, copy: HalfCopy, check_times: u32) {
        lock(&self.table).renewed(origin, copy, check_times);
    }

    /// Writes the op message of a claimed transaction and resolves it.
    async fn finish(&self, ctx: &BrokerContext, origin: i64, copy_offset: i64) {
        let floor = ctx.store.max_offset(OP_TOPIC, message::QUEUE_ID);
        let ticket = lock(&self.table).op_started(floor);
        let op = write_op(ctx, copy_offset, origin).await;
        let mut table = lock(&self.table);
        table.resolve(origin, op);
        table.op_finished(ticket);
    }

    /// Claims a transaction for an answer, waiting a little while a check or another answer
    /// holds it.
    async fn claim_for_answer(&self, origin: i64) -> Result<PendingTransaction, ClaimError> {
        let start = std::time::Instant::now();
        loop {
            match self.claim(origin) {
                Err(ClaimError::Busy) if start.elapsed() < CLAIM_WAIT => {
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                }
                other => return other,
            }
        }
    }

    /// Hands the check progress to the consumer-offset table (group CID_RMQ_SYS_TRANS on the
    /// half and op queues, as Apache keeps it) when it moved; that table is saved every 5 s
    /// and at stop.
    pub fn save_progress(&self, ctx: &BrokerContext) {
        let progress = lock(&self.table).progress();
        let mut saved = lock(&self.saved);
        if *saved == Some(progress) {
            return;
        }
        ctx.offsets
            .commit(PROGRESS_GROUP, HALF_TOPIC, message::QUEUE_ID, progress.half);
        ctx.offsets
            .commit(PROGRESS_GROUP, OP_TOPIC, message::QUEUE_ID, progress.op);
        *saved = Some(progress);
    }
}

/// How long an answer waits for a check (or another answer) holding its transaction.
const CLAIM_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Appends the op message resolving the transaction `origin` through its copy at
/// `copy_offset`; returns the op's queue offset, `None` (logged) when the store refused it.
async fn write_op(ctx: &BrokerContext, copy_offset: i64, origin: i64) -> Option<i64> {
    let op = message::op_message(copy_offset, origin, ctx.identity.addr);
    let result = ctx.store.put_message(op).await;
    match result.appended {
        Some(info) if result.status.is_stored() => Some(info.queue_offset),
        Some(info) => {
            tracing::warn!(
                origin,
                status = result.status.name(),
                "transaction op message appended but not confirmed stored"
            );
            Some(info.queue_offset)
        }
        None => {
            tracing::error!(
                origin,
                status = result.status.name(),
                "transaction op message not stored; a restart may check this transaction again"
            );
            None
        }
    }
}
