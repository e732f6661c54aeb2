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
pub use table::{HalfCopy, PendingTransaction, Progress, SendTicket, TransactionTable};

use super::context::BrokerContext;
use crate::mutex::lock;
use std::sync::Mutex;

/// Whether producers may not send to `topic` themselves: the half, op and check-max topics
/// are written by the broker only (Apache's `TopicValidator.isNotAllowedSendTopic`).
pub fn is_broker_written_topic(topic: &str) -> bool {
    matches!(topic, HALF_TOPIC | OP_TOPIC | CHECK_MAX_TIME_TOPIC)
}

/// The transaction state of a broker (used on masters; a slave only stores what it replicates).
#[derive(Debug, Default)]
pub struct TransactionService {
    table: Mutex<TransactionTable>,
    /// Serialises the store writes that commit, roll back, renew or give up a transaction, so
    /// two answers for one transaction never both write, and a check never renews a
    /// transaction being resolved.
    writes: tokio::sync::Mutex<()>,
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

    pub fn pending(&self, origin: i64) -> Option<PendingTransaction> {
        lock(&self.table).pending(origin).cloned()
    }

    pub fn all_pending(&self) -> Vec<PendingTransaction> {
        lock(&self.table).all_pending()
    }

    fn register(&self, tx: PendingTransaction) {
        lock(&self.table).register(tx);
    }

    fn resolve(&self, origin: i64, op_offset: Option<i64>) -> Option<PendingTransaction> {
        lock(&self.table).resolve(origin, op_offset)
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
