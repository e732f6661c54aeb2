//! Flushing and replica waits: group commit under SYNC_FLUSH, ASYNC_FLUSH catching up, and
//! SYNC_MASTER outcomes (SLAVE_NOT_AVAILABLE, FLUSH_SLAVE_TIMEOUT, success on ack).

use crate::common;

use std::time::{Duration, Instant};

use common::*;
use rmqctl::broker::store::{FlushMode, MessageStore, PutStatus, ReplicationRole};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sync_flush_puts_share_fdatasyncs() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), FlushMode::Sync);
    let producers = 64;
    let per = 10;
    let mut tasks = Vec::new();
    for p in 0..producers {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut ends = Vec::new();
            for i in 0..per {
                let r = store.put_message(msg("G", p % 4, body(i, 1024), "")).await;
                assert_eq!(r.status, PutStatus::PutOk);
                let a = r.appended.unwrap();
                ends.push(a.phys_offset + a.wrote_bytes);
            }
            ends
        }));
    }
    let mut max_end = 0;
    for t in tasks {
        max_end = max_end.max(t.await.unwrap().into_iter().max().unwrap());
    }
    let stats = store.runtime_stats();
    let puts = producers as u64 * per as u64;
    assert_eq!(stats.put_message_times_total, puts);
    assert!(store.flushed_offset() >= max_end);
    assert!(stats.flush_count > 0);
    assert!(
        stats.flush_count * 2 <= puts,
        "{} flushes for {} puts: no group commit",
        stats.flush_count,
        puts
    );
    store.shutdown().await;
}

#[tokio::test]
async fn async_flush_catches_up_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path(), FlushMode::Async);
    for i in 0..50 {
        assert_eq!(
            store
                .put_message(msg("A", 0, body(i, 1024), ""))
                .await
                .status,
            PutStatus::PutOk
        );
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while store.flushed_offset() < store.max_phys_offset() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(store.flushed_offset(), store.max_phys_offset());
    store.shutdown().await;
}

fn sync_master(dir: &std::path::Path, flush: FlushMode, slave_timeout_ms: u64) -> MessageStore {
    let mut cfg = config(dir, flush);
    cfg.replication = ReplicationRole::SyncMaster;
    cfg.slave_timeout_ms = slave_timeout_ms;
    cfg.ha_max_gap_not_in_sync = 1_000_000;
    MessageStore::open(cfg).unwrap()
}

#[tokio::test]
async fn sync_master_without_slave_answers_slave_not_available() {
    let dir = tempfile::tempdir().unwrap();
    let store = sync_master(dir.path(), FlushMode::Async, 200);
    let r = store.put_message(msg("S", 0, b"x".to_vec(), "")).await;
    assert_eq!(r.status, PutStatus::SlaveNotAvailable);
    assert_eq!(r.status.response_code(), 11);
    assert!(r.appended.is_some(), "the message is stored anyway");
    store.shutdown().await;
}

#[tokio::test]
async fn sync_master_times_out_when_acks_stop_and_succeeds_when_acked() {
    let dir = tempfile::tempdir().unwrap();
    let store = sync_master(dir.path(), FlushMode::Sync, 200);
    store.replica().set_connected(true);
    let started = Instant::now();
    let r = store.put_message(msg("S", 0, b"x".to_vec(), "")).await;
    assert_eq!(r.status, PutStatus::FlushSlaveTimeout);
    assert_eq!(r.status.response_code(), 12);
    assert!(started.elapsed() >= Duration::from_millis(190));
    store.shutdown().await;

    // Reopened with a minute's slave timeout (so a busy machine cannot time it out), and a
    // slave that acks everything shortly after it is written, for as long as the test runs.
    let store = sync_master(dir.path(), FlushMode::Sync, 60_000);
    store.replica().set_connected(true);
    let acker = {
        let store = store.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(10)).await;
                store.replica().update_acked(store.max_phys_offset());
            }
        })
    };
    let r = store.put_message(msg("S", 0, b"y".to_vec(), "")).await;
    assert_eq!(r.status, PutStatus::PutOk);
    let a = r.appended.unwrap();
    assert!(store.replica().acked() >= a.phys_offset + a.wrote_bytes);
    assert!(
        store.flushed_offset() >= a.phys_offset + a.wrote_bytes,
        "SYNC_FLUSH wait applies too"
    );
    acker.abort();
    store.shutdown().await;
}

#[tokio::test]
async fn slave_too_far_behind_is_not_available() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), FlushMode::Async);
    cfg.replication = ReplicationRole::SyncMaster;
    cfg.ha_max_gap_not_in_sync = 100;
    let store = MessageStore::open(cfg).unwrap();
    store.replica().set_connected(true);
    let r = store.put_message(msg("S", 0, vec![0; 500], "")).await;
    assert_eq!(r.status, PutStatus::SlaveNotAvailable);
    store.shutdown().await;
}

/// A send waiting for its slave does not hold up a send that does not wait (WAIT=false): the
/// slave timeout is a minute, so the first send cannot finish before the test acks it, and the
/// second must finish meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_sends_do_not_block_other_producers() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), FlushMode::Async);
    cfg.replication = ReplicationRole::SyncMaster;
    cfg.slave_timeout_ms = 60_000;
    let store = MessageStore::open(cfg).unwrap();
    store.replica().set_connected(true);
    let waiting = {
        let store = store.clone();
        tokio::spawn(async move { store.put_message(msg("S", 0, b"wait".to_vec(), "")).await })
    };
    // The first send is stored and now waits for the slave.
    let deadline = Instant::now() + Duration::from_secs(60);
    while store.max_phys_offset() == 0 {
        assert!(Instant::now() < deadline, "the first send was never stored");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut m = msg("S", 1, b"nowait".to_vec(), "");
    m.properties.push_str("WAIT\u{1}false\u{2}");
    let r = tokio::time::timeout(Duration::from_secs(30), store.put_message(m))
        .await
        .expect("a WAIT=false send finishes while another waits for the slave");
    assert_eq!(r.status, PutStatus::PutOk);
    assert!(
        !waiting.is_finished(),
        "first put is still waiting for the slave"
    );
    store.replica().update_acked(store.max_phys_offset());
    assert_eq!(waiting.await.unwrap().status, PutStatus::PutOk);
    store.shutdown().await;
}
