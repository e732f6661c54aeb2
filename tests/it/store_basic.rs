//! Store basics: put/get round trips, statuses, segment roll with filler, reopen, illegal
//! messages, batches, lock, key queries, timestamps, disk ratio and retention.

use crate::common;

use common::*;
use rmqctl::broker::store::{
    BoundaryType, FlushMode, GetStatus, MessageStore, PutStatus, StoreError,
};
use rmqctl::protocol::message::{decode_all, MessageRecord, MessageSysFlag, OffsetMsgId};

#[tokio::test]
async fn put_then_get_round_trip_and_statuses() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), FlushMode::Async);
    let mut phys = Vec::new();
    for i in 0..10 {
        let r = store
            .put_message(msg(
                "T",
                1,
                body(i, 100),
                if i % 2 == 0 { "even" } else { "odd" },
            ))
            .await;
        assert_eq!(r.status, PutStatus::PutOk);
        let a = r.appended.unwrap();
        assert_eq!(a.queue_offset, i as i64);
        let id = OffsetMsgId::decode(&a.msg_id).unwrap();
        assert_eq!(id.store_host, store_host());
        assert_eq!(id.commit_log_offset as u64, a.phys_offset);
        phys.push(a.phys_offset);
    }
    assert_eq!(phys[0], 0);
    assert_eq!(store.max_offset("T", 1), 10);
    assert_eq!(store.min_offset("T", 1), 0);

    let g = store.get_messages("T", 1, 3, 4, 1 << 20, &all);
    assert_eq!(g.status, GetStatus::Found);
    assert_eq!(g.next_begin_offset, 7);
    assert_eq!((g.min_offset, g.max_offset), (0, 10));
    let body_bytes: Vec<u8> = g.records.concat();
    let recs = decode_all(&body_bytes).unwrap();
    assert_eq!(recs.len(), 4);
    for (k, r) in recs.iter().enumerate() {
        assert_eq!(r.queue_offset, 3 + k as i64);
        assert_eq!(r.body.as_ref(), body(3 + k, 100).as_slice());
        assert_eq!(r.commit_log_offset as u64, phys[3 + k]);
        assert_eq!(r.store_host, store_host());
        assert_eq!(r.born_host, born_host());
        assert_eq!(r.topic, "T");
    }
    assert_eq!(g.queue_offsets, vec![3, 4, 5, 6]);

    let even = rmqctl::protocol::message::java_string_hash("even") as i64;
    let g = store.get_messages("T", 1, 0, 32, 1 << 20, &|t| t == even);
    assert_eq!(g.records.len(), 5);
    assert_eq!(g.next_begin_offset, 10);
    let g = store.get_messages("T", 1, 0, 32, 1 << 20, &|_| false);
    assert_eq!(g.status, GetStatus::NoMatchedMessage);
    assert_eq!(g.next_begin_offset, 10);

    assert_eq!(
        store.get_messages("T", 1, 10, 32, 1 << 20, &all).status,
        GetStatus::OffsetOverflowOne
    );
    let bad = store.get_messages("T", 1, 50, 32, 1 << 20, &all);
    assert_eq!(bad.status, GetStatus::OffsetOverflowBadly);
    assert_eq!(bad.status.pull_response_code(50), 21);
    let none = store.get_messages("T", 2, 0, 32, 1 << 20, &all);
    assert_eq!(none.status, GetStatus::NoMatchedLogicQueue);
    assert_eq!(none.status.pull_response_code(0), 19);
    // max_bytes: first record always, then stop before exceeding
    let g = store.get_messages("T", 1, 0, 32, 250, &all);
    assert_eq!(g.records.len(), 1);
    store.shutdown().await;
}

#[tokio::test]
async fn segments_roll_with_apache_filler_and_reopen_continues() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), FlushMode::Async);
    let n = 200;
    for i in 0..n {
        let r = store.put_message(msg("Roll", 0, body(i, 1000), "")).await;
        assert_eq!(r.status, PutStatus::PutOk, "message {i}");
    }
    let max = store.max_phys_offset();
    assert!(max > 2 * SEGMENT, "should span 3+ segments, max {max}");
    store.shutdown().await;

    let cl = dir.path().join("commitlog");
    let mut names: Vec<String> = std::fs::read_dir(&cl)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names[0], "00000000000000000000");
    assert_eq!(names[1], format!("{:020}", SEGMENT));
    // The first file ends with [remaining, BLANK_MAGIC] right after its last record.
    let first = std::fs::read(cl.join(&names[0])).unwrap();
    assert_eq!(first.len() as u64, SEGMENT);
    let mut pos = 0usize;
    while MessageRecord::peek_total_size(&first[pos..]).unwrap() > 0
        && first[pos + 4..pos + 8] != [0xCB, 0xD4, 0x31, 0x94]
    {
        pos += MessageRecord::peek_total_size(&first[pos..]).unwrap() as usize;
    }
    let remaining = i32::from_be_bytes(first[pos..pos + 4].try_into().unwrap());
    assert_eq!(remaining as usize, first.len() - pos);
    assert!(remaining as usize >= 8);

    let store = open(dir.path(), FlushMode::Async);
    assert!(!store.recovery_report().abnormal_shutdown);
    assert!(store.recovery_report().corruptions.is_empty());
    assert_eq!(store.max_phys_offset(), max);
    assert_eq!(store.max_offset("Roll", 0), n as i64);
    let r = store.put_message(msg("Roll", 0, body(n, 1000), "")).await;
    assert_eq!(r.appended.unwrap().queue_offset, n as i64);
    let mut got = 0;
    let mut off = 0;
    while off < n as i64 + 1 {
        let g = store.get_messages("Roll", 0, off, 32, 1 << 20, &all);
        assert_eq!(g.status, GetStatus::Found);
        for (k, rec) in decode_all(&g.records.concat()).unwrap().iter().enumerate() {
            assert_eq!(rec.body.as_ref(), body(off as usize + k, 1000).as_slice());
            got += 1;
        }
        off = g.next_begin_offset;
    }
    assert_eq!(got, n + 1);
    store.shutdown().await;
}

#[tokio::test]
async fn illegal_messages_get_apache_codes() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), FlushMode::Async);
    cfg.max_message_size = 4096;
    let store = MessageStore::open(cfg).unwrap();
    let r = store.put_message(msg("T", 0, vec![0; 5000], "")).await;
    assert_eq!(r.status, PutStatus::MessageIllegal);
    assert_eq!(r.status.response_code(), 13);
    assert!(r.appended.is_none());
    let mut m = msg("T", 0, vec![1], "");
    m.properties = "k\u{1}".to_string() + &"v".repeat(40_000) + "\u{2}";
    let r = store.put_message(m).await;
    assert_eq!(r.status, PutStatus::PropertiesSizeExceeded);
    assert_eq!(r.status.response_code(), 13);
    assert_eq!(
        store.put_message(msg("", 0, vec![1], "")).await.status,
        PutStatus::MessageIllegal
    );
    let mixed = vec![msg("T", 0, vec![1], ""), msg("T", 1, vec![1], "")];
    assert_eq!(
        store.put_messages(mixed).await.status,
        PutStatus::MessageIllegal
    );
    assert_eq!(
        store.put_messages(vec![]).await.status,
        PutStatus::MessageIllegal
    );
    assert_eq!(store.max_phys_offset(), 0, "nothing written");
    store.shutdown().await;
}

#[tokio::test]
async fn batch_is_contiguous_with_consecutive_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), FlushMode::Sync);
    store.put_message(msg("B", 0, body(0, 10), "")).await;
    let batch: Vec<_> = (0..5).map(|i| msg("B", 0, body(i, 50), "")).collect();
    let r = store.put_messages(batch).await;
    assert_eq!(r.status, PutStatus::PutOk);
    let a = r.appended.unwrap();
    assert_eq!(a.queue_offset, 1);
    assert_eq!(a.msg_count, 5);
    let ids: Vec<_> = a.msg_id.split(',').collect();
    assert_eq!(ids.len(), 5);
    let g = store.get_messages("B", 0, 1, 32, 1 << 20, &all);
    let recs = decode_all(&g.records.concat()).unwrap();
    assert_eq!(recs.len(), 5);
    let mut expect = a.phys_offset as i64;
    for (k, rec) in recs.iter().enumerate() {
        assert_eq!(rec.commit_log_offset, expect);
        assert_eq!(rec.offset_msg_id(), ids[k]);
        assert_eq!(rec.queue_offset, 1 + k as i64);
        expect += rec.encoded_len() as i64;
    }
    assert_eq!(expect as u64, a.phys_offset + a.wrote_bytes);
    assert!(store.flushed_offset() >= expect as u64);
    store.shutdown().await;
}

#[tokio::test]
async fn second_store_on_same_dir_is_refused_with_lock_path() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), FlushMode::Async);
    let err = MessageStore::open(config(dir.path(), FlushMode::Async)).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }));
    assert!(err
        .to_string()
        .contains(&dir.path().join("lock").display().to_string()));
    store.shutdown().await;
    let again = MessageStore::open(config(dir.path(), FlushMode::Async)).unwrap();
    again.shutdown().await;
}

#[tokio::test]
async fn key_queries_look_message_and_timestamps() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), FlushMode::Async);
    let mut m = msg("K", 0, b"one".to_vec(), "");
    m.properties = props("", "order-1 order-2", "UNIQ1");
    let a1 = store.put_message(m).await.appended.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let mut m = msg("K", 0, b"two".to_vec(), "");
    m.properties = props("", "order-1", "UNIQ2");
    let a2 = store.put_message(m).await.appended.unwrap();

    let hits = store.query_by_key("K", "order-1", 10, 0, i64::MAX, false);
    let bodies: Vec<_> = hits
        .iter()
        .map(|h| MessageRecord::decode(h).unwrap().body)
        .collect();
    assert_eq!(bodies, vec![&b"two"[..], &b"one"[..]]);
    assert_eq!(
        store
            .query_by_key("K", "order-2", 10, 0, i64::MAX, false)
            .len(),
        1
    );
    assert_eq!(
        store
            .query_by_key("K", "UNIQ2", 10, 0, i64::MAX, true)
            .len(),
        1
    );
    assert!(store
        .query_by_key("Other", "order-1", 10, 0, i64::MAX, false)
        .is_empty());
    let rec = MessageRecord::decode(&store.look_message(a2.phys_offset).unwrap()).unwrap();
    assert_eq!(rec.body.as_ref(), b"two");
    assert!(store.look_message(a2.phys_offset + 1).is_none());
    assert!(store.look_message(1 << 40).is_none());

    assert_eq!(
        store.message_store_time("K", 0, 0),
        Some(a1.store_timestamp)
    );
    assert_eq!(
        store.earliest_message_time("K", 0),
        Some(a1.store_timestamp)
    );
    assert_eq!(
        store.offset_by_timestamp("K", 0, a2.store_timestamp, BoundaryType::Lower),
        1
    );
    assert_eq!(
        store.offset_by_timestamp("K", 0, a2.store_timestamp - 1, BoundaryType::Upper),
        0
    );
    assert_eq!(
        store.offset_by_timestamp("K", 0, a2.store_timestamp + 1, BoundaryType::Lower),
        2
    );
    assert_eq!(store.offset_by_timestamp("K", 0, 0, BoundaryType::Lower), 0);
    let qs = store.topics_and_queues();
    assert_eq!(qs.len(), 1);
    assert_eq!((qs[0].topic.as_str(), qs[0].max_offset), ("K", 2));
    store.delete_topic("K").unwrap();
    assert!(store.topics_and_queues().is_empty());
    assert!(!dir.path().join("consumequeue/K").exists());
    store.shutdown().await;
}

#[tokio::test]
async fn prepared_transaction_records_get_no_queue_entry() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), FlushMode::Async);
    let mut m = msg("TX", 0, b"half".to_vec(), "");
    m.sys_flag = MessageSysFlag::TRANSACTION_PREPARED_TYPE;
    let a = store.put_message(m).await.appended.unwrap();
    assert_eq!(a.queue_offset, 0);
    assert_eq!(store.max_offset("TX", 0), 0);
    let rec = MessageRecord::decode(&store.look_message(a.phys_offset).unwrap()).unwrap();
    assert_eq!(rec.sys_flag, MessageSysFlag::TRANSACTION_PREPARED_TYPE);
    store.shutdown().await;
}

#[tokio::test]
async fn disk_above_ratio_refuses_puts_with_service_not_available() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), FlushMode::Async);
    cfg.disk_max_used_space_ratio = 1; // any real disk is above 1 %
    let store = MessageStore::open(cfg).unwrap();
    let r = store.put_message(msg("T", 0, vec![1; 10], "")).await;
    assert_eq!(r.status, PutStatus::ServiceNotAvailable);
    assert_eq!(r.status.response_code(), 14);
    assert!(store.runtime_stats().disk_full);
    assert_eq!(store.max_phys_offset(), 0);
    store.shutdown().await;
}

#[tokio::test]
async fn retention_deletes_expired_segments_but_never_the_current_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), FlushMode::Async);
    cfg.file_reserved_hours = 0;
    cfg.delete_when = (0..24).collect();
    let store = MessageStore::open(cfg).unwrap();
    for i in 0..200 {
        store.put_message(msg("R", 0, body(i, 1000), "")).await;
    }
    let before = std::fs::read_dir(dir.path().join("commitlog"))
        .unwrap()
        .count();
    assert!(before >= 3);
    let deleted = store.run_retention_now().unwrap();
    assert_eq!(deleted, before - 1);
    let min_phys = store.min_phys_offset();
    assert_eq!(
        min_phys,
        store.max_phys_offset() - store.max_phys_offset() % SEGMENT
    );
    let min = store.min_offset("R", 0);
    assert!(min > 0);
    assert_eq!(
        store.get_messages("R", 0, 0, 32, 1 << 20, &all).status,
        GetStatus::OffsetTooSmall
    );
    let g = store.get_messages("R", 0, min, 32, 1 << 20, &all);
    assert_eq!(g.status, GetStatus::Found);
    assert!(decode_all(&g.records[0]).unwrap()[0].commit_log_offset as u64 >= min_phys);
    assert!(!dir
        .path()
        .join("consumequeue/R/0/00000000000000000000")
        .exists());
    // The current segment is never deleted.
    assert_eq!(store.run_retention_now().unwrap(), 0);
    let r = store.put_message(msg("R", 0, body(999, 100), "")).await;
    assert_eq!(r.status, PutStatus::PutOk);
    store.shutdown().await;
}

/// Arrivals are fed only while someone holds an interest (a suspended pull, a slave stream):
/// without one an append sends nothing; with one every append is announced with its queue's
/// new max offset; after the last guard is dropped the feed stops again.
#[tokio::test]
async fn arrivals_are_sent_only_while_an_interest_lives() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), FlushMode::Async);
    let mut rx = store.subscribe_arrivals();
    store.put_message(msg("T", 2, body(0, 10), "a")).await;
    assert!(
        rx.try_recv().is_err(),
        "an arrival was sent with no interest"
    );

    let interest = store.arrival_interest();
    let second = store.arrival_interest();
    store.put_message(msg("T", 2, body(1, 10), "a")).await;
    let a = rx.try_recv().expect("an arrival while interested");
    assert_eq!((a.topic.as_str(), a.queue_id, a.max_offset), ("T", 2, 2));
    drop(interest);
    store.put_message(msg("T", 2, body(2, 10), "a")).await;
    assert_eq!(rx.try_recv().expect("one guard still lives").max_offset, 3);

    drop(second);
    store.put_message(msg("T", 2, body(3, 10), "a")).await;
    assert!(
        rx.try_recv().is_err(),
        "an arrival was sent after every interest ended"
    );
}
