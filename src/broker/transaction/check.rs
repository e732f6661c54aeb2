//! The check-back (Apache's `TransactionalMessageCheckService`): every
//! `transactionCheckInterval`, each unresolved transaction older than its immunity time
//! (`transactionTimeOut`, or the producer's `CHECK_IMMUNITY_TIME_IN_SECONDS`) gets a new copy on
//! the half queue and a CHECK_TRANSACTION_STATE to a live producer of its group; the producer
//! answers with END_TRANSACTION. After `transactionCheckMax` checks (or once older than
//! `fileReservedTime`) it is given up: kept in TRANS_CHECK_MAX_TIME_TOPIC and logged.

use super::message::{
    check_body, discarded_message, immunity_ms, renewed_copy, HalfFacts, CHECK_MAX_TIME_TOPIC,
};
use super::{HalfCopy, PendingTransaction};
use crate::broker::clients::next_broker_opaque;
use crate::broker::context::BrokerContext;
use crate::protocol::message::MessageRecord;
use crate::remoting::headers::CheckTransactionStateRequestHeader;
use crate::remoting::{RemotingCommand, RequestCode};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Shortest pause between passes, whatever `transactionCheckInterval` says.
const MIN_INTERVAL: Duration = Duration::from_millis(100);
/// How often the progress is handed to the offset table between passes.
const PROGRESS_TICK: Duration = Duration::from_secs(1);

/// Checks until shutdown (masters only).
pub async fn run(ctx: Arc<BrokerContext>, mut shutdown: watch::Receiver<bool>) {
    if ctx.identity.is_slave() {
        return;
    }
    let mut last_pass = Instant::now();
    loop {
        let interval =
            Duration::from_millis(ctx.config().transaction_check_interval).max(MIN_INTERVAL);
        let wait = interval
            .saturating_sub(last_pass.elapsed())
            .min(PROGRESS_TICK);
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = shutdown.changed() => break,
        }
        if last_pass.elapsed() >= interval {
            last_pass = Instant::now();
            check_pass(&ctx).await;
        }
        ctx.transactions.save_progress(&ctx);
    }
    ctx.transactions.save_progress(&ctx);
}

/// What a pass does with one transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Still within its immunity time.
    Wait,
    Check,
    GiveUp,
}

/// The settings a pass works with.
#[derive(Debug, Clone, Copy)]
struct Limits {
    now: i64,
    timeout_ms: u64,
    check_max: u32,
    reserved_ms: i64,
}

fn step(tx: &PendingTransaction, limits: &Limits) -> Step {
    let age = limits.now - tx.born_timestamp;
    if tx.check_times >= limits.check_max || age > limits.reserved_ms {
        return Step::GiveUp;
    }
    let immunity = immunity_ms(tx.immunity_secs, limits.timeout_ms) as i64;
    // A message born in the future (clock skew) is checked at once, as in Apache.
    if (0..=immunity).contains(&age) {
        return Step::Wait;
    }
    Step::Check
}

/// One pass over every unresolved transaction.
pub async fn check_pass(ctx: &BrokerContext) {
    let config = ctx.config();
    let limits = Limits {
        now: crate::calendar::now_millis(),
        timeout_ms: config.transaction_time_out,
        check_max: config.transaction_check_max,
        reserved_ms: i64::from(config.file_reserved_time) * 3_600_000,
    };
    for tx in ctx.transactions.all_pending() {
        let what = step(&tx, &limits);
        if what == Step::Wait {
            continue;
        }
        // Answered meanwhile, or being answered: leave it.
        let Ok(tx) = ctx.transactions.claim(tx.origin) else {
            continue;
        };
        let Some(latest) = read_copy(ctx, tx.latest) else {
            tracing::error!(
                origin = tx.origin,
                commit_log_offset = tx.latest.phys_offset,
                "half message no longer readable (deleted by retention?); transaction dropped"
            );
            ctx.transactions.forget(tx.origin);
            continue;
        };
        match what {
            Step::GiveUp => give_up(ctx, &tx, &latest).await,
            _ => renew_and_check(ctx, &tx, &latest).await,
        }
    }
}

fn read_copy(ctx: &BrokerContext, copy: HalfCopy) -> Option<(MessageRecord, HalfFacts)> {
    let raw = ctx
        .store
        .look_message(u64::try_from(copy.phys_offset).ok()?)?;
    let record = MessageRecord::decode(&raw).ok()?;
    let facts = HalfFacts::of(&record).ok()?;
    Some((record, facts))
}

/// Appends the next copy and asks a producer of the group about it.
async fn renew_and_check(
    ctx: &BrokerContext,
    tx: &PendingTransaction,
    (record, facts): &(MessageRecord, HalfFacts),
) {
    let times = tx.check_times + 1;
    let result = ctx
        .store
        .put_message(renewed_copy(record, tx.origin, times))
        .await;
    let Some(info) = result.appended else {
        ctx.transactions.release(tx.origin);
        tracing::warn!(
            origin = tx.origin,
            status = result.status.name(),
            "half message copy not stored; check postponed to the next pass"
        );
        return;
    };
    let copy = HalfCopy {
        queue_offset: info.queue_offset,
        phys_offset: info.phys_offset as i64,
    };
    ctx.transactions.renewed(tx.origin, copy, times);
    ctx.transactions.release(tx.origin);
    let Some((copy_record, _)) = read_copy(ctx, copy) else {
        tracing::error!(
            origin = tx.origin,
            "half message copy appended but not readable"
        );
        return;
    };
    let Some(conn) = ctx.clients.producer_channel(&facts.producer_group) else {
        tracing::warn!(group = %facts.producer_group, msg_id = %facts.uniq_key, check = times,
            "no live producer of the group to check the transaction with; will try again");
        return;
    };
    let Some(body) = check_body(&copy_record, facts) else {
        tracing::error!(
            origin = tx.origin,
            "half message copy cannot be encoded for a check"
        );
        return;
    };
    let header = CheckTransactionStateRequestHeader {
        tran_state_table_offset: copy.queue_offset,
        commit_log_offset: copy.phys_offset,
        msg_id: Some(facts.uniq_key.clone()),
        transaction_id: Some(facts.uniq_key.clone()),
        offset_msg_id: Some(copy_record.offset_msg_id()),
        topic: Some(copy_record.topic.clone()),
        broker_name: Some(ctx.identity.broker_name.clone()),
    };
    let mut request = RemotingCommand::request(RequestCode::CHECK_TRANSACTION_STATE)
        .with_header(&header)
        .with_body(body)
        .oneway();
    request.opaque = next_broker_opaque();
    let sent = conn.try_send(request);
    tracing::info!(group = %facts.producer_group, producer = %conn.peer, msg_id = %facts.uniq_key,
        topic = %facts.real_topic, check = times, sent, "transaction checked back");
}

/// Keeps the message in TRANS_CHECK_MAX_TIME_TOPIC and resolves the transaction.
async fn give_up(
    ctx: &BrokerContext,
    tx: &PendingTransaction,
    (record, facts): &(MessageRecord, HalfFacts),
) {
    match ctx.topics.ensure_retry_topic(CHECK_MAX_TIME_TOPIC, 1) {
        Ok(_) => ctx.register_now.notify_one(),
        Err(e) => tracing::warn!(error = %e, "cannot create {CHECK_MAX_TIME_TOPIC}"),
    }
    let result = ctx.store.put_message(discarded_message(record)).await;
    if result.appended.is_none() {
        ctx.transactions.release(tx.origin);
        tracing::error!(
            origin = tx.origin,
            status = result.status.name(),
            "given-up half message not stored in {CHECK_MAX_TIME_TOPIC}; will try again"
        );
        return;
    }
    ctx.transactions
        .finish(ctx, tx.origin, tx.latest.queue_offset)
        .await;
    tracing::error!(group = %facts.producer_group, msg_id = %facts.uniq_key,
        topic = %facts.real_topic, checks = tx.check_times,
        "transaction unresolved after the last check; half message discarded (kept in {CHECK_MAX_TIME_TOPIC})");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tx(born: i64, checks: u32) -> PendingTransaction {
        PendingTransaction {
            origin: 0,
            latest: HalfCopy {
                queue_offset: 0,
                phys_offset: 0,
            },
            born_timestamp: born,
            check_times: checks,
            immunity_secs: None,
        }
    }

    fn at(now: i64) -> Limits {
        Limits {
            now,
            timeout_ms: 6000,
            check_max: 15,
            reserved_ms: 86_400_000,
        }
    }

    #[test]
    fn young_messages_wait_old_ones_are_checked_until_the_limit() {
        assert_eq!(step(&tx(10_000, 0), &at(15_000)), Step::Wait);
        assert_eq!(step(&tx(10_000, 0), &at(16_001)), Step::Check);
        assert_eq!(step(&tx(10_000, 14), &at(99_000)), Step::Check);
        assert_eq!(step(&tx(10_000, 15), &at(99_000)), Step::GiveUp);
        assert_eq!(
            step(&tx(20_000, 0), &at(10_000)),
            Step::Check,
            "born in the future"
        );
        assert_eq!(
            step(&tx(0, 0), &at(86_400_001)),
            Step::GiveUp,
            "older than the files"
        );
    }

    #[test]
    fn a_producer_immunity_time_delays_the_first_check() {
        let mut young = tx(10_000, 0);
        young.immunity_secs = Some(20);
        assert_eq!(step(&young, &at(29_000)), Step::Wait);
        assert_eq!(step(&young, &at(30_001)), Step::Check);
    }
}
