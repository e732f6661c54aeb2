//! Master → slave replication at the store level: a slave fed raw bytes by `read_commit_log`
//! ends byte-identical (filler included) and builds the same consume queues.

use crate::common;

use std::path::Path;

use common::*;
use rmqctl::broker::store::{FlushMode, MessageStore, PutStatus, ReplicationRole, StoreError};
use rmqctl::protocol::message::decode_all;

fn slave(dir: &Path) -> MessageStore {
    let mut cfg = config(dir, FlushMode::Async);
    cfg.replication = ReplicationRole::Slave;
    MessageStore::open(cfg).unwrap()
}

/// Copies everything the master has, in chunks that split records.
fn replicate(master: &MessageStore, slave: &MessageStore, chunk: usize) {
    let mut from = slave.max_phys_offset();
    while let Some((at, data)) = master.read_commit_log(from, chunk).unwrap() {
        assert!(data.len() <= chunk);
        slave.append_replicated(at, &data).unwrap();
        from = at + data.len() as u64;
    }
    assert_eq!(slave.max_phys_offset(), master.max_phys_offset());
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn slave_fed_by_master_is_byte_identical_with_same_consume_queues() {
    let mdir = tempfile::tempdir().unwrap();
    let sdir = tempfile::tempdir().unwrap();
    let master = open(mdir.path(), FlushMode::Async);
    let slave = slave(sdir.path());
    for i in 0..150 {
        master
            .put_message(msg("R", (i % 3) as i32, body(i, 300 + i * 7), "t"))
            .await;
    }
    replicate(&master, &slave, 1000);
    for i in 150..260 {
        master
            .put_message(msg("R", (i % 3) as i32, body(i, 300 + i * 7), "t"))
            .await;
    }
    replicate(&master, &slave, 4096);
    assert!(
        master.max_phys_offset() > 2 * SEGMENT,
        "crosses segments (fillers)"
    );
    for q in 0..3 {
        assert_eq!(slave.max_offset("R", q), master.max_offset("R", q));
        let m = master.get_messages("R", q, 10, 5, 1 << 20, &all);
        let s = slave.get_messages("R", q, 10, 5, 1 << 20, &all);
        assert_eq!(m.records, s.records);
    }
    // Slaves refuse client puts and out-of-place data.
    assert_eq!(
        slave
            .put_message(msg("R", 0, b"x".to_vec(), ""))
            .await
            .status,
        PutStatus::ServiceNotAvailable
    );
    let err = slave
        .append_replicated(slave.max_phys_offset() + 1, b"zz")
        .unwrap_err();
    assert!(matches!(err, StoreError::ReplicaOffset { .. }));
    assert!(matches!(
        master.append_replicated(0, b"x"),
        Err(StoreError::NotSlave)
    ));
    master.shutdown().await;
    slave.shutdown().await;
    assert_eq!(
        files(&mdir.path().join("commitlog")),
        files(&sdir.path().join("commitlog"))
    );
    assert_eq!(
        files(&mdir.path().join("consumequeue")),
        files(&sdir.path().join("consumequeue"))
    );

    // The slave restarts where it was.
    let slave = self::slave(sdir.path());
    let master = open(mdir.path(), FlushMode::Async);
    assert_eq!(slave.max_phys_offset(), master.max_phys_offset());
    let g = slave.get_messages("R", 1, 0, 200, 1 << 22, &all);
    assert_eq!(
        decode_all(&g.records.concat()).unwrap().len() as i64,
        master.max_offset("R", 1)
    );
    master.shutdown().await;
    slave.shutdown().await;
}

#[tokio::test]
async fn new_slave_starts_at_the_masters_last_segment() {
    let mdir = tempfile::tempdir().unwrap();
    let sdir = tempfile::tempdir().unwrap();
    let master = open(mdir.path(), FlushMode::Async);
    for i in 0..150 {
        master.put_message(msg("R", 0, body(i, 1000), "")).await;
    }
    let start = master.ha_transfer_start(0);
    assert_eq!(
        start,
        master.max_phys_offset() - master.max_phys_offset() % SEGMENT
    );
    assert!(start > 0);
    let slave = slave(sdir.path());
    let (at, data) = master.read_commit_log(start, 1 << 20).unwrap().unwrap();
    slave.append_replicated(at, &data).unwrap();
    assert_eq!(slave.max_phys_offset(), master.max_phys_offset());
    assert_eq!(slave.min_phys_offset(), start);
    assert_eq!(slave.max_offset("R", 0), 150);
    assert!(master
        .read_commit_log(master.max_phys_offset(), 10)
        .unwrap()
        .is_none());
    master.shutdown().await;
    slave.shutdown().await;
}
