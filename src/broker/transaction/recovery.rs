//! Rebuilding the transaction state at start: read the half queue from the saved progress
//! (group CID_RMQ_SYS_TRANS), drop what the op queue says is resolved, and look for a committed
//! message of each transaction still open (a commit whose op message a crash cut off), whose op
//! is then written. A clean stop and a SIGKILL recover the same way.

use super::message::{op_offsets, HalfFacts, HALF_TOPIC, OP_TOPIC, PROGRESS_GROUP, QUEUE_ID};
use super::{write_op, HalfCopy, PendingTransaction, Progress, TransactionTable};
use crate::broker::context::BrokerContext;
use crate::broker::store::{GetStatus, MessageStore};
use crate::protocol::message::{MessageRecord, MessageSysFlag};
use bytes::Bytes;
use std::collections::HashMap;

/// Records read per request while replaying a queue.
const BATCH: i32 = 256;

/// What reading the queues found.
#[derive(Debug, Default)]
pub struct ReadBack {
    pub table: TransactionTable,
    /// Open transactions by origin, with the facts needed to look for their commit.
    pub open: HashMap<i64, HalfFacts>,
    pub half_read: usize,
    pub ops_read: usize,
}

/// Rebuilds the state of a master; a slave keeps none.
pub async fn recover(ctx: &BrokerContext) {
    if ctx.identity.is_slave() {
        return;
    }
    let saved = Progress {
        half: ctx
            .offsets
            .query(PROGRESS_GROUP, HALF_TOPIC, QUEUE_ID)
            .unwrap_or(0),
        op: ctx
            .offsets
            .query(PROGRESS_GROUP, OP_TOPIC, QUEUE_ID)
            .unwrap_or(0),
    };
    let mut read = read_back(&ctx.store, saved);
    let mut committed = Vec::new();
    for (origin, facts) in &read.open {
        if let Some(copy) = committed_copy(&ctx.store, *origin, facts) {
            committed.push((*origin, copy));
        }
    }
    for (origin, copy) in &committed {
        let op = write_op(ctx, *copy, *origin).await;
        read.table.resolve(*origin, op);
        tracing::info!(
            origin,
            "transaction committed before the stop without its op message; op written"
        );
    }
    tracing::info!(
        half_from = saved.half,
        op_from = saved.op,
        half_read = read.half_read,
        ops_read = read.ops_read,
        unresolved = read.table.unresolved(),
        "transaction state recovered"
    );
    ctx.transactions.install(read.table);
    ctx.transactions.save_progress(ctx);
}

/// Reads the half queue from `saved.half` and the op queue from `saved.op`.
pub fn read_back(store: &MessageStore, saved: Progress) -> ReadBack {
    let half_from = clamp(store, HALF_TOPIC, saved.half);
    let op_from = clamp(store, OP_TOPIC, saved.op);
    let mut out = ReadBack {
        table: TransactionTable::starting_at(Progress {
            half: half_from,
            op: op_from,
        }),
        ..Default::default()
    };
    let mut origin_of_copy = HashMap::new();
    for_each_record(store, HALF_TOPIC, half_from, |queue_offset, raw| {
        out.half_read += 1;
        let Some((record, facts)) = MessageRecord::decode(raw)
            .ok()
            .and_then(|r| HalfFacts::of(&r).ok().map(|f| (r, f)))
        else {
            tracing::warn!(queue_offset, "unreadable half message skipped");
            return;
        };
        origin_of_copy.insert(queue_offset, facts.origin);
        out.table.register_read_back(PendingTransaction {
            origin: facts.origin,
            latest: HalfCopy {
                queue_offset,
                phys_offset: record.commit_log_offset,
            },
            born_timestamp: record.born_timestamp,
            check_times: facts.check_times,
            immunity_secs: facts.immunity_secs,
        });
        out.open.insert(facts.origin, facts);
    });
    for_each_record(store, OP_TOPIC, op_from, |op_offset, raw| {
        out.ops_read += 1;
        let body = MessageRecord::decode(raw)
            .map(|r| r.body)
            .unwrap_or_default();
        let mut newest = None;
        for removed in op_offsets(&body) {
            let origin = if out.table.pending(removed).is_some() {
                Some(removed)
            } else {
                origin_of_copy.get(&removed).copied()
            };
            if let Some(tx) = origin.and_then(|o| out.table.resolve(o, None)) {
                newest = newest.max(Some(tx.latest.queue_offset));
                out.open.remove(&tx.origin);
            }
        }
        out.table.op_read_back(op_offset, newest);
    });
    out
}

fn clamp(store: &MessageStore, topic: &str, offset: i64) -> i64 {
    offset.clamp(
        store.min_offset(topic, QUEUE_ID),
        store.max_offset(topic, QUEUE_ID),
    )
}

/// Calls `f(queue_offset, record)` for each record of queue 0 of `topic` from `from` on.
fn for_each_record(store: &MessageStore, topic: &str, from: i64, mut f: impl FnMut(i64, &Bytes)) {
    let mut offset = from;
    let max = store.max_offset(topic, QUEUE_ID);
    while offset < max {
        let got = store.get_messages(topic, QUEUE_ID, offset, BATCH, 16 << 20, &|_| true);
        if got.status != GetStatus::Found || got.next_begin_offset <= offset {
            if got.next_begin_offset > offset {
                offset = got.next_begin_offset;
                continue;
            }
            tracing::warn!(
                topic,
                offset,
                status = got.status.name(),
                "transaction queue not readable past this offset"
            );
            return;
        }
        for (queue_offset, raw) in got.queue_offsets.iter().zip(&got.records) {
            f(*queue_offset, raw);
        }
        offset = got.next_begin_offset;
    }
}

/// The half copy a committed message of this open transaction names, if the store holds one
/// (found through the key index by the unique key on the real topic).
fn committed_copy(store: &MessageStore, origin: i64, facts: &HalfFacts) -> Option<i64> {
    if facts.uniq_key.is_empty() {
        return None;
    }
    store
        .query_by_key(&facts.real_topic, &facts.uniq_key, 64, 0, i64::MAX, true)
        .iter()
        .filter_map(|raw| MessageRecord::decode(raw).ok())
        .filter(|r| {
            MessageSysFlag::transaction_type(r.sys_flag) == MessageSysFlag::TRANSACTION_COMMIT_TYPE
        })
        .find_map(|committed| {
            let half =
                store.look_message(u64::try_from(committed.prepared_transaction_offset).ok()?)?;
            let half = MessageRecord::decode(&half).ok()?;
            let facts = HalfFacts::of(&half).ok()?;
            (facts.origin == origin).then_some(half.queue_offset)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::store::{MessageToStore, StoreConfig};
    use crate::broker::transaction::message::{
        committed_message, half_message, op_message, renewed_copy,
    };
    use crate::protocol::message::Properties;

    fn store(dir: &std::path::Path) -> MessageStore {
        let mut c = StoreConfig::new(dir, "127.0.0.1:10911".parse().unwrap());
        c.commit_log_file_size = 1 << 20;
        c.consume_queue_file_size = 20 * 1000;
        c.disk_max_used_space_ratio = 100;
        c.max_hash_slot_num = 1000;
        c.max_index_num = 4000;
        c.retention_check_interval_ms = 3_600_000;
        MessageStore::open(c).unwrap()
    }

    fn prepared(uniq: &str) -> MessageToStore {
        let mut props = Properties::new();
        props.insert("UNIQ_KEY", uniq);
        props.insert("PGROUP", "pg");
        let mut m = MessageToStore::new(
            "Orders",
            1,
            uniq.to_string(),
            &props.encode(),
            "10.0.0.2:1".parse().unwrap(),
        );
        m.sys_flag = MessageSysFlag::TRANSACTION_PREPARED_TYPE;
        half_message(m, "pg")
    }

    async fn put(store: &MessageStore, m: MessageToStore) -> (i64, MessageRecord) {
        let info = store.put_message(m).await.appended.expect("stored");
        let raw = store.look_message(info.phys_offset).unwrap();
        (info.queue_offset, MessageRecord::decode(&raw).unwrap())
    }

    #[tokio::test]
    async fn the_half_and_op_queues_give_back_what_is_still_open() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        let host = s.config().store_host;
        let (a, a_rec) = put(&s, prepared("UA")).await; // 0
        let (b, _) = put(&s, prepared("UB")).await; // 1
        let (c, c_rec) = put(&s, prepared("UC")).await; // 2
        let (a1, a1_rec) = put(&s, renewed_copy(&a_rec, a, 1)).await; // 3: A checked once
        put(&s, op_message(b, b, host)).await; // B rolled back
                                               // C committed, its op message lost in a crash.
        let c_facts = HalfFacts::of(&c_rec).unwrap();
        put(&s, committed_message(&c_rec, &c_facts)).await;

        let read = read_back(&s, Progress::default());
        assert_eq!((read.half_read, read.ops_read), (4, 1));
        let open: Vec<i64> = read.table.all_pending().iter().map(|t| t.origin).collect();
        assert_eq!(open, [a, c]);
        let a_now = read.table.pending(a).unwrap();
        assert_eq!((a_now.latest.queue_offset, a_now.check_times), (a1, 1));
        assert_eq!(a_now.latest.phys_offset, a1_rec.commit_log_offset);
        assert_eq!(committed_copy(&s, a, &read.open[&a]), None);
        assert_eq!(committed_copy(&s, c, &read.open[&c]), Some(c));

        // An op naming only A's copy resolves A; reading from a later progress finds the rest.
        put(&s, op_message(a1, a1, host)).await;
        let read = read_back(&s, Progress { half: 2, op: 1 });
        let open: Vec<i64> = read.table.all_pending().iter().map(|t| t.origin).collect();
        assert_eq!(open, [c]);
        // C (at 2) is open, and A's copy at 3 is above it: A's op must be read again next time.
        let mut table = read.table;
        assert_eq!(table.progress(), Progress { half: 2, op: 1 });
        s.shutdown().await;
    }
}
