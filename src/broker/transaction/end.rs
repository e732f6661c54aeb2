//! END_TRANSACTION (37), from the producer after its local transaction or in answer to a
//! check: find the half message it names, check it is the one the half queue holds and that it
//! belongs to the producer's group, then commit (store it on its real topic and queue) or roll
//! back, and write the op message. An answer for a transaction already resolved changes nothing.

use super::message::{committed_message, HalfFacts, HALF_TOPIC, QUEUE_ID};
use super::ClaimError;
use crate::broker::context::BrokerContext;
use crate::broker::store::GetStatus;
use crate::protocol::message::{MessageRecord, MessageSysFlag};
use crate::remoting::headers::EndTransactionRequestHeader;
use crate::remoting::ResponseCode;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;

/// What the producer decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Commit,
    Rollback,
}

impl Decision {
    fn as_str(self) -> &'static str {
        match self {
            Decision::Commit => "commit",
            Decision::Rollback => "rollback",
        }
    }
}

/// The outcome of an END_TRANSACTION.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndOutcome {
    /// The producer does not know the outcome yet (or sent a value that is neither commit nor
    /// rollback): nothing changes and, as in Apache, nothing is answered.
    NoAnswer,
    /// Refused with an Apache response code and remark; nothing changed.
    Refused {
        code: i32,
        remark: String,
    },
    Committed,
    RolledBack,
}

fn refused(code: ResponseCode, remark: impl Into<String>) -> EndOutcome {
    EndOutcome::Refused {
        code: code.code(),
        remark: remark.into(),
    }
}

/// Handles one END_TRANSACTION from `peer`.
pub async fn end_transaction(
    ctx: &BrokerContext,
    h: &EndTransactionRequestHeader,
    peer: SocketAddr,
) -> EndOutcome {
    if ctx.identity.is_slave() {
        tracing::warn!(%peer, "END_TRANSACTION sent to a slave; send it to the master");
        return refused(
            ResponseCode::SLAVE_NOT_AVAILABLE,
            "the broker is a slave; end transactions on its master",
        );
    }
    let decision = match h.commit_or_rollback {
        MessageSysFlag::TRANSACTION_COMMIT_TYPE => Decision::Commit,
        MessageSysFlag::TRANSACTION_ROLLBACK_TYPE => Decision::Rollback,
        MessageSysFlag::TRANSACTION_NOT_TYPE => {
            tracing::info!(%peer, group = %h.producer_group, msg_id = %h.msg_id,
                from_check = h.is_from_check(),
                "producer does not know the transaction state yet; it will be checked back");
            return EndOutcome::NoAnswer;
        }
        other => {
            tracing::warn!(%peer, group = %h.producer_group, value = other,
                "END_TRANSACTION with commitOrRollback neither 8 (commit) nor 12 (rollback) ignored");
            return EndOutcome::NoAnswer;
        }
    };
    let (half, facts) = match find_half(ctx, h) {
        Ok(found) => found,
        Err(refusal) => {
            if let EndOutcome::Refused { remark, .. } = &refusal {
                tracing::warn!(%peer, group = %h.producer_group,
                    commit_log_offset = h.commit_log_offset,
                    tran_state_table_offset = h.tran_state_table_offset,
                    decision = decision.as_str(), reason = %remark, "END_TRANSACTION refused");
            }
            return refusal;
        }
    };
    let timeout = ctx.config().transaction_time_out;
    let age = crate::calendar::now_millis() - half.born_timestamp;
    if !h.is_from_check()
        && facts.immunity_secs.is_some()
        && age > facts.immunity_ms(timeout) as i64
    {
        tracing::warn!(%peer, msg_id = %h.msg_id, decision = decision.as_str(),
            "END_TRANSACTION after the producer's check immunity time refused; waiting for the check");
        return refused(
            ResponseCode::ILLEGAL_OPERATION,
            "the check immunity time of this message has passed; answer the broker's check instead",
        );
    }
    match ctx.transactions.claim_for_answer(facts.origin).await {
        Ok(_) => {}
        Err(ClaimError::NotPending) => {
            tracing::warn!(%peer, group = %h.producer_group, msg_id = %h.msg_id,
                commit_log_offset = h.commit_log_offset, decision = decision.as_str(),
                "END_TRANSACTION for a transaction already committed, rolled back or given up ignored");
            return refused(
                ResponseCode::SYSTEM_ERROR,
                "the transaction of this half message was already committed, rolled back or given up",
            );
        }
        Err(ClaimError::Busy) => {
            tracing::warn!(%peer, msg_id = %h.msg_id,
                "END_TRANSACTION while the transaction stays busy; not applied, it will be checked");
            return refused(
                ResponseCode::SYSTEM_BUSY,
                "the transaction is being checked or answered; try again",
            );
        }
    }
    if decision == Decision::Commit {
        let result = ctx
            .store
            .put_message(committed_message(&half, &facts))
            .await;
        if result.appended.is_none() || !result.status.is_stored() {
            ctx.transactions.release(facts.origin);
            tracing::warn!(msg_id = %h.msg_id, status = result.status.name(),
                "committed message not stored; the transaction stays unresolved");
            return EndOutcome::Refused {
                code: result.status.response_code(),
                remark: format!(
                    "the committed message was not stored: {}",
                    result.status.name()
                ),
            };
        }
        ctx.stats.put_messages.fetch_add(1, Ordering::Relaxed);
    }
    ctx.transactions
        .finish(ctx, facts.origin, half.queue_offset)
        .await;
    tracing::info!(%peer, topic = %facts.real_topic, msg_id = %facts.uniq_key,
        decision = decision.as_str(), from_check = h.is_from_check(), "transaction ended");
    match decision {
        Decision::Commit => EndOutcome::Committed,
        Decision::Rollback => EndOutcome::RolledBack,
    }
}

/// The half message an END_TRANSACTION names, with Apache's refusals: not a half message,
/// another producer group, another queue offset or commit-log offset.
fn find_half(
    ctx: &BrokerContext,
    h: &EndTransactionRequestHeader,
) -> Result<(MessageRecord, HalfFacts), EndOutcome> {
    let not_found = || {
        refused(
            ResponseCode::SYSTEM_ERROR,
            "Find prepared transaction message failed",
        )
    };
    let raw = u64::try_from(h.commit_log_offset)
        .ok()
        .and_then(|offset| ctx.store.look_message(offset))
        .ok_or_else(not_found)?;
    let half = MessageRecord::decode(&raw).map_err(|_| not_found())?;
    let facts = HalfFacts::of(&half).map_err(|_| not_found())?;
    if facts.producer_group != h.producer_group {
        return Err(refused(
            ResponseCode::SYSTEM_ERROR,
            "The producer group wrong",
        ));
    }
    if half.queue_offset != h.tran_state_table_offset {
        return Err(refused(
            ResponseCode::SYSTEM_ERROR,
            "The transaction state table offset wrong",
        ));
    }
    if half.commit_log_offset != h.commit_log_offset {
        return Err(refused(
            ResponseCode::SYSTEM_ERROR,
            "The commit log offset wrong",
        ));
    }
    // A record that only looks like a half message (bytes inside some message body) is not
    // what the half queue holds at that offset.
    if !half_queue_holds(ctx, half.queue_offset, h.commit_log_offset) {
        return Err(not_found());
    }
    Ok((half, facts))
}

/// Whether the half queue's entry `queue_offset` is the record at `commit_log_offset`.
pub(super) fn half_queue_holds(
    ctx: &BrokerContext,
    queue_offset: i64,
    commit_log_offset: i64,
) -> bool {
    let got = ctx
        .store
        .get_messages(HALF_TOPIC, QUEUE_ID, queue_offset, 1, usize::MAX, &|_| true);
    got.status == GetStatus::Found
        && got.queue_offsets.first() == Some(&queue_offset)
        && got
            .records
            .first()
            .and_then(|r| MessageRecord::decode(r).ok())
            .is_some_and(|r| r.commit_log_offset == commit_log_offset)
}
