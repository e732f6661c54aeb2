//! A master and a slave `MessageStore` replicating over a real loopback HA socket: byte-identical
//! commit logs and consume queues, SYNC_MASTER acks only what the slave holds, and bad peers
//! (unknown offsets, diverged data, half-written chunks) are cut off without a misplaced byte.

use crate::common;

use bytes::BytesMut;
use common::*;
use rmqctl::broker::ha::frame::{decode_chunk, encode_chunk, encode_report};
use rmqctl::broker::ha::{HaConfig, HaMasterService, HaSlaveClient, HaStatus};
use rmqctl::broker::store::{FlushMode, GetStatus, MessageStore, PutStatus, ReplicationRole};
use rmqctl::protocol::message::decode_all;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

fn ha_config() -> HaConfig {
    HaConfig {
        transfer_batch_size: 4096,
        heartbeat_interval: Duration::from_millis(200),
        housekeeping_interval: Duration::from_secs(2),
        reconnect_interval: Duration::from_millis(200),
        ..HaConfig::default()
    }
}

fn store(dir: &Path, role: ReplicationRole) -> MessageStore {
    let mut cfg = config(dir, FlushMode::Async);
    cfg.replication = role;
    cfg.slave_timeout_ms = 1000;
    MessageStore::open(cfg).unwrap()
}

/// A running HA service on a loopback port; stops when dropped.
struct Master {
    store: MessageStore,
    status: Arc<HaStatus>,
    addr: SocketAddr,
    _stop: watch::Sender<bool>,
}

async fn serve_master(store: MessageStore) -> Master {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let status = Arc::new(HaStatus::default());
    let (stop, rx) = watch::channel(false);
    let service = HaMasterService::new(store.clone(), ha_config(), status.clone());
    tokio::spawn(service.run(listener, rx));
    Master {
        store,
        status,
        addr,
        _stop: stop,
    }
}

struct Slave {
    store: MessageStore,
    status: Arc<HaStatus>,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Slave {
    async fn stop(self) -> MessageStore {
        let _ = self.stop.send(true);
        let _ = self.task.await;
        self.store
    }
}

fn start_slave(store: MessageStore, master: SocketAddr) -> Slave {
    let status = Arc::new(HaStatus::default());
    let (stop, rx) = watch::channel(false);
    let addr = master.to_string();
    let client = HaSlaveClient::new(
        store.clone(),
        ha_config(),
        status.clone(),
        Arc::new(move || Some(addr.clone())),
    );
    let task = tokio::spawn(client.run(rx));
    Slave {
        store,
        status,
        stop,
        task,
    }
}

async fn wait_until(what: &str, limit: Duration, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn commit_log_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir.join("commitlog"))
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn slave_replicates_byte_identical_over_the_ha_socket() {
    let mdir = tempfile::tempdir().unwrap();
    let sdir = tempfile::tempdir().unwrap();
    let master = serve_master(store(mdir.path(), ReplicationRole::AsyncMaster)).await;
    // An empty slave of an empty master starts at offset 0 (a new slave of a master with data
    // would start at the master's last segment).
    let slave = start_slave(store(sdir.path(), ReplicationRole::Slave), master.addr);
    wait_until("slave connected", Duration::from_secs(60), || {
        master.store.replica().is_connected()
    })
    .await;
    for i in 0..100 {
        let r = master
            .store
            .put_message(msg("HA", (i % 4) as i32, body(i, 200 + i * 13), "t"))
            .await;
        assert_eq!(r.status, PutStatus::PutOk);
    }
    wait_until("catch-up", Duration::from_secs(60), || {
        slave.store.max_phys_offset() == master.store.max_phys_offset()
    })
    .await;
    for i in 100..300 {
        master
            .store
            .put_message(msg("HA", (i % 4) as i32, body(i, 200 + i * 13), "t"))
            .await;
    }
    assert!(
        master.store.max_phys_offset() > 2 * SEGMENT,
        "rolls segments"
    );
    wait_until("streaming", Duration::from_secs(60), || {
        slave.store.max_phys_offset() == master.store.max_phys_offset()
    })
    .await;
    wait_until("ack", Duration::from_secs(60), || {
        master.store.replica().acked() == master.store.max_phys_offset()
    })
    .await;
    assert!(master.store.replica().is_connected());
    assert_eq!(master.status.slaves().len(), 1);
    assert!(slave.status.master_online(Duration::from_secs(2)));
    for q in 0..4 {
        assert_eq!(
            slave.store.max_offset("HA", q),
            master.store.max_offset("HA", q)
        );
        let m = master.store.get_messages("HA", q, 0, 100, 1 << 22, &all);
        let s = slave.store.get_messages("HA", q, 0, 100, 1 << 22, &all);
        assert_eq!(
            (m.status, m.records.len(), m.next_begin_offset, m.min_offset),
            (s.status, s.records.len(), s.next_begin_offset, s.min_offset),
            "{:?}",
            s.queue_offsets
        );
        for (i, (a, b)) in m.records.iter().zip(&s.records).enumerate() {
            assert!(
                a == b,
                "queue {q} record {i} differs: {} vs {} bytes",
                a.len(),
                b.len()
            );
        }
    }
    let slave_store = slave.stop().await;
    slave_store.shutdown().await;
    master.store.shutdown().await;
    assert!(
        commit_log_bytes(mdir.path()) == commit_log_bytes(sdir.path()),
        "commit logs differ"
    );
}

/// A new slave of a master that already has data gets the master's last segment on: its queues
/// start at the first queue offset it holds (min offset), and pulls from there succeed.
#[tokio::test]
async fn new_slave_of_a_master_with_data_starts_at_its_last_segment() {
    let mdir = tempfile::tempdir().unwrap();
    let sdir = tempfile::tempdir().unwrap();
    let master = serve_master(store(mdir.path(), ReplicationRole::AsyncMaster)).await;
    for i in 0..400 {
        master
            .store
            .put_message(msg("Mid", 0, body(i, 400), "t"))
            .await;
    }
    let last_segment = master.store.max_phys_offset() / SEGMENT * SEGMENT;
    assert!(last_segment >= 2 * SEGMENT);
    let slave = start_slave(store(sdir.path(), ReplicationRole::Slave), master.addr);
    wait_until("catch-up", Duration::from_secs(60), || {
        slave.store.max_phys_offset() == master.store.max_phys_offset()
    })
    .await;
    assert_eq!(slave.store.min_phys_offset(), last_segment);
    let min = slave.store.min_offset("Mid", 0);
    assert!(min > 0, "the slave does not hold queue offset 0");
    assert_eq!(slave.store.max_offset("Mid", 0), 400);
    let got = slave.store.get_messages("Mid", 0, min, 1, 1 << 20, &all);
    assert_eq!(got.status, GetStatus::Found);
    let rec = &decode_all(&got.records[0]).unwrap()[0];
    assert_eq!(rec.queue_offset, min);
    assert!(rec.commit_log_offset as u64 >= last_segment);
    assert_eq!(rec.body.as_ref(), body(min as usize, 400).as_slice());
    let below = slave
        .store
        .get_messages("Mid", 0, min - 1, 1, 1 << 20, &all);
    assert_eq!(below.status, GetStatus::OffsetTooSmall);
    assert_eq!(below.min_offset, min);
    // A slave leaves the consumer's offset alone (Apache's offsetCheckInSlave=false).
    assert_eq!(below.next_begin_offset, min - 1);
    slave.stop().await.shutdown().await;
    master.store.shutdown().await;
}

#[tokio::test]
async fn sync_master_acks_only_what_the_slave_holds() {
    let mdir = tempfile::tempdir().unwrap();
    let sdir = tempfile::tempdir().unwrap();
    let master = serve_master(store(mdir.path(), ReplicationRole::SyncMaster)).await;
    let r = master
        .store
        .put_message(msg("S", 0, body(0, 100), ""))
        .await;
    assert_eq!(r.status, PutStatus::SlaveNotAvailable, "no slave yet");

    let slave = start_slave(store(sdir.path(), ReplicationRole::Slave), master.addr);
    wait_until("slave connected", Duration::from_secs(60), || {
        master.store.replica().is_connected()
    })
    .await;
    // Concurrent sends: each SEND_OK implies the slave already has the record.
    let mut tasks = Vec::new();
    for p in 0..8 {
        let (m, s) = (master.store.clone(), slave.store.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0..40 {
                let r = m.put_message(msg("S", p, body(i, 500), "")).await;
                assert_eq!(r.status, PutStatus::PutOk);
                let info = r.appended.unwrap();
                assert!(s.max_phys_offset() >= info.phys_offset + info.wrote_bytes);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }

    // Slave stopped: nothing is acked that is not on both.
    let slave_store = slave.stop().await;
    wait_until("slave gone", Duration::from_secs(60), || {
        !master.store.replica().is_connected()
    })
    .await;
    let held = slave_store.max_phys_offset();
    let r = master
        .store
        .put_message(msg("S", 0, body(1, 100), ""))
        .await;
    assert_eq!(r.status, PutStatus::SlaveNotAvailable);
    assert_eq!(slave_store.max_phys_offset(), held);

    // Slave back: it catches up from its own offset and SYNC sends succeed again.
    let slave = start_slave(slave_store, master.addr);
    wait_until("caught up", Duration::from_secs(60), || {
        slave.store.max_phys_offset() == master.store.max_phys_offset()
    })
    .await;
    let r = master
        .store
        .put_message(msg("S", 1, body(2, 100), ""))
        .await;
    assert_eq!(r.status, PutStatus::PutOk);
    assert_eq!(
        slave.store.max_offset("S", 0),
        master.store.max_offset("S", 0)
    );
    slave.stop().await.shutdown().await;
    master.store.shutdown().await;
}

#[tokio::test]
async fn silent_slave_makes_sync_puts_time_out() {
    let mdir = tempfile::tempdir().unwrap();
    let master = serve_master(store(mdir.path(), ReplicationRole::SyncMaster)).await;
    let mut fake = TcpStream::connect(master.addr).await.unwrap();
    fake.write_all(&encode_report(0)).await.unwrap();
    wait_until("connected", Duration::from_secs(60), || {
        master.store.replica().is_connected()
    })
    .await;
    let started = Instant::now();
    let r = master
        .store
        .put_message(msg("T", 0, body(0, 100), ""))
        .await;
    assert_eq!(r.status, PutStatus::FlushSlaveTimeout);
    assert!(started.elapsed() >= Duration::from_millis(900));
    // The fake slave does receive the bytes.
    let mut buf = BytesMut::new();
    while decode_chunk(&mut buf, 1 << 20).unwrap().is_none() {
        fake.read_buf(&mut buf).await.unwrap();
    }
    drop(fake);
    master.store.shutdown().await;
}

#[tokio::test]
async fn master_closes_a_slave_reporting_an_offset_it_does_not_have() {
    let mdir = tempfile::tempdir().unwrap();
    let master = serve_master(store(mdir.path(), ReplicationRole::AsyncMaster)).await;
    master
        .store
        .put_message(msg("B", 0, body(0, 100), ""))
        .await;
    let beyond = master.store.max_phys_offset() + 1000;
    let mut fake = TcpStream::connect(master.addr).await.unwrap();
    fake.write_all(&encode_report(beyond)).await.unwrap();
    let mut buf = [0u8; 64];
    let n = tokio::time::timeout(Duration::from_secs(60), fake.read(&mut buf))
        .await
        .expect("master closes the connection")
        .unwrap_or(0);
    assert_eq!(
        n, 0,
        "no data is streamed to a slave the master cannot serve"
    );
    assert!(!master.store.replica().is_connected());
    master.store.shutdown().await;
}

/// A fake master that answers the slave's report with `chunks` (then says so on the returned
/// receiver) and keeps the socket open until the slave hangs up; its task returns the offset the
/// slave reported.
async fn fake_master(
    chunks: Vec<Vec<u8>>,
) -> (
    SocketAddr,
    tokio::task::JoinHandle<u64>,
    tokio::sync::oneshot::Receiver<()>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (sent, sent_rx) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(async move {
        let (mut s, _) = listener.accept().await.unwrap();
        let mut report = [0u8; 8];
        s.read_exact(&mut report).await.unwrap();
        for c in chunks {
            if s.write_all(&c).await.is_err() {
                break;
            }
        }
        let _ = sent.send(());
        // Wait until the slave hangs up (or give up after a while).
        let mut sink = [0u8; 64];
        let _ = tokio::time::timeout(Duration::from_secs(60), async {
            while matches!(s.read(&mut sink).await, Ok(n) if n > 0) {}
        })
        .await;
        i64::from_be_bytes(report) as u64
    });
    (addr, task, sent_rx)
}

#[tokio::test]
async fn slave_rejects_diverged_and_half_written_chunks() {
    // Real data for the slave's first segment.
    let mdir = tempfile::tempdir().unwrap();
    let real = store(mdir.path(), ReplicationRole::AsyncMaster);
    for i in 0..5 {
        real.put_message(msg("D", 0, body(i, 300), "")).await;
    }
    let (at, data) = real.read_commit_log(0, 1 << 20).unwrap().unwrap();
    let sdir = tempfile::tempdir().unwrap();
    let slave_store = store(sdir.path(), ReplicationRole::Slave);

    // 1. A good chunk, then one at a diverged offset: the first is applied, the second refused.
    let wrong = at + data.len() as u64 + 17;
    let (addr, fake, _) = fake_master(vec![
        encode_chunk(at, &data).to_vec(),
        encode_chunk(wrong, b"garbage!").to_vec(),
    ])
    .await;
    let slave = start_slave(slave_store, addr);
    assert_eq!(fake.await.unwrap(), 0, "an empty slave reports 0");
    let status = slave.status.clone();
    wait_until("error recorded", Duration::from_secs(60), || {
        status.master_link().last_error.is_some()
    })
    .await;
    let error = status.master_link().last_error.unwrap();
    assert!(
        error.contains(&wrong.to_string()) && error.contains(&data.len().to_string()),
        "the error names both offsets: {error}"
    );
    let slave_store = slave.stop().await;
    assert_eq!(slave_store.max_phys_offset(), data.len() as u64);
    assert_eq!(slave_store.max_offset("D", 0), 5);

    // 2. A half-written chunk followed by a hang-up: nothing of it is written.
    let end = slave_store.max_phys_offset();
    real.put_message(msg("D", 0, body(9, 300), "")).await;
    let (at2, more) = real.read_commit_log(end, 1 << 20).unwrap().unwrap();
    let full = encode_chunk(at2, &more);
    let (addr, fake, sent) = fake_master(vec![full
        [..rmqctl::broker::ha::frame::TRANSFER_HEADER_LEN + 10]
        .to_vec()])
    .await;
    let slave = start_slave(slave_store, addr);
    // Once the partial chunk is out, give the slave a moment with it (it waits for the rest:
    // the fake keeps the socket open); a longer moment on a busy machine changes nothing.
    tokio::time::timeout(Duration::from_secs(60), sent)
        .await
        .expect("the slave connected to the fake master")
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let slave_store = slave.stop().await;
    assert_eq!(fake.await.unwrap(), end, "the slave reports its own max");
    assert_eq!(
        slave_store.max_phys_offset(),
        end,
        "no partial chunk applied"
    );
    assert_eq!(slave_store.max_offset("D", 0), 5);
    slave_store.shutdown().await;
    real.shutdown().await;
}
