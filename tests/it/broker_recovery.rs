//! Broker-process recovery: a `rmqctl broker` (SYNC_FLUSH, and ASYNC_FLUSH, whose acks promise
//! the page cache, which a killed process keeps) is killed with SIGKILL while 16 producers send;
//! after a restart every acknowledged message is there, byte-identical, at the queue offset and
//! commit-log offset its acknowledgement named.

use crate::common;

use common::wire::{self, ext_i64};
use common::{BrokerSpec, ServerProcess};
use rmqctl::protocol::message::{decode_all, MessageRecord, OffsetMsgId};
use rmqctl::remoting::client::RemotingClient;
use rmqctl::remoting::headers::{QueryMessageRequestHeader, ViewMessageRequestHeader};
use rmqctl::remoting::{RemotingCommand, RequestCode};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TOPIC: &str = "KillTopic";
const PRODUCERS: usize = 16;
const QUEUES: i32 = 4;

/// What a producer was told about one message it sent.
#[derive(Debug, Clone)]
struct Acked {
    body: Vec<u8>,
    uniq: String,
    queue_id: i32,
    queue_offset: i64,
    commit_log_offset: i64,
}

fn body_of(producer: usize, seq: usize) -> Vec<u8> {
    let mut b = format!("p{producer}-s{seq}-").into_bytes();
    let len = 100 + (producer * 31 + seq * 7) % 900;
    b.extend((0..len).map(|i| (i * 13 + seq) as u8));
    b
}

/// Send until the connection dies; return what was acknowledged.
async fn produce(
    client: RemotingClient,
    addr: String,
    round: usize,
    producer: usize,
    acked: Arc<Mutex<Vec<Acked>>>,
) {
    for seq in 0.. {
        let body = body_of(producer, seq);
        let uniq = format!("UNIQ{round:02}{producer:04}{seq:08}");
        let props = common::props("TagK", "", &uniq);
        let queue_id = (producer as i32) % QUEUES;
        let req = wire::send_v2(TOPIC, queue_id, body.clone(), &props);
        let Ok(r) = client.invoke(&addr, req, Duration::from_secs(5)).await else {
            return;
        };
        assert_eq!(r.code, 0, "send refused: {r:?}");
        let msg_id = r.ext_fields.get("msgId").expect("msgId");
        let id = OffsetMsgId::decode(msg_id).expect("offset msg id");
        acked.lock().unwrap().push(Acked {
            body,
            uniq,
            queue_id: ext_i64(&r, "queueId") as i32,
            queue_offset: ext_i64(&r, "queueOffset"),
            commit_log_offset: id.commit_log_offset,
        });
    }
}

/// Run PRODUCERS senders until `min_acks` sends were acknowledged, SIGKILL the broker mid-flight
/// and return what was acknowledged.
async fn storm_then_sigkill(
    broker: &mut ServerProcess,
    round: usize,
    min_acks: usize,
) -> Vec<Acked> {
    let addr = broker.addr.to_string();
    let acked = Arc::new(Mutex::new(Vec::new()));
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            // One connection per producer, as separate clients would have.
            let client = RemotingClient::default();
            tokio::spawn(produce(client, addr.clone(), round, p, acked.clone()))
        })
        .collect();
    let start = Instant::now();
    while acked.lock().unwrap().len() < min_acks && start.elapsed() < Duration::from_secs(120) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // SAFETY: kill takes plain integers and touches no memory; the pid is our own child, not
    // yet waited for, so it cannot name another process.
    unsafe {
        libc::kill(broker.child.id() as i32, libc::SIGKILL);
    }
    for p in producers {
        p.await.unwrap();
    }
    let _ = broker.child.wait();
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= min_acks / 4,
        "only {} sends acknowledged before the kill",
        acked.len()
    );
    acked
}

/// Every acked message is in its queue at its offset, byte-identical; returns what is stored.
async fn assert_all_stored(
    client: &RemotingClient,
    addr: &str,
    acked: &[Acked],
    broker: &ServerProcess,
) -> HashMap<(i32, i64), MessageRecord> {
    let mut stored = HashMap::new();
    for q in 0..QUEUES {
        for rec in wire::pull_all(client, addr, TOPIC, q).await {
            stored.insert((rec.queue_id, rec.queue_offset), rec);
        }
    }
    for a in acked {
        let rec = stored
            .get(&(a.queue_id, a.queue_offset))
            .unwrap_or_else(|| panic!("acked message lost: {a:?}\n{}", broker.log_text()));
        assert_eq!(rec.body.as_ref(), a.body.as_slice(), "body of {}", a.uniq);
        assert_eq!(rec.uniq_key(), Some(a.uniq.as_str()));
        assert_eq!(rec.commit_log_offset, a.commit_log_offset, "{}", a.uniq);
    }
    stored
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_sync_flush_sends_keeps_every_acked_message() {
    sigkill_during_sends_keeps_every_acked_message("SYNC_FLUSH").await;
}

/// The broker stages appended records in memory and writes them before the answers leave; an
/// answer that left before its record was written would be lost here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_async_flush_sends_keeps_every_acked_message() {
    sigkill_during_sends_keeps_every_acked_message("ASYNC_FLUSH").await;
}

async fn sigkill_during_sends_keeps_every_acked_message(flush: &'static str) {
    let dir = tempfile::tempdir().unwrap();
    let ns = common::start_namesrv(dir.path(), 120_000);
    let spec = BrokerSpec {
        flush,
        extra: "defaultTopicQueueNums=4",
        ..BrokerSpec::default()
    };
    let mut broker = common::start_broker(dir.path(), ns.addr, &spec);
    let addr = broker.addr.to_string();
    let client = RemotingClient::default();
    // Create the topic with one send before the storm.
    let first = wire::send_v2(
        TOPIC,
        0,
        b"warm-up".to_vec(),
        &common::props("", "", "WARM"),
    );
    let r = client.invoke(&addr, first, wire::TIMEOUT).await.unwrap();
    assert_eq!(r.code, 0, "{r:?}");

    let acked = storm_then_sigkill(&mut broker, 0, 2_000).await;
    let port = broker.addr.port();
    let home = dir.path().join("broker-a-0");
    let broker = common::restart_broker(&home, port);
    let client = RemotingClient::default();
    let stored = assert_all_stored(&client, &addr, &acked, &broker).await;
    // The offset msg ids the producers got still find the same records.
    for a in acked.iter().step_by(97) {
        let req = RemotingCommand::request(RequestCode::VIEW_MESSAGE_BY_ID).with_header(
            &ViewMessageRequestHeader {
                offset: a.commit_log_offset,
                topic: Some(TOPIC.into()),
            },
        );
        let r = client.invoke_ok(&addr, req, wire::TIMEOUT).await.unwrap();
        let recs = decode_all(r.body_bytes()).unwrap();
        assert_eq!(recs[0].body.as_ref(), a.body.as_slice());
    }
    // The key index finds them too, including the newest ones, which were only in the index's
    // write-back cache when the broker died (recovery re-indexes them from the commit log).
    let newest = acked.len().saturating_sub(10);
    for a in acked[newest..].iter().chain(acked.iter().step_by(211)) {
        let query = RemotingCommand::request(RequestCode::QUERY_MESSAGE).with_header(
            &QueryMessageRequestHeader {
                topic: TOPIC.into(),
                key: a.uniq.clone(),
                max_num: 4,
                begin_timestamp: 0,
                end_timestamp: i64::MAX,
            },
        );
        let r = client.invoke(&addr, query, wire::TIMEOUT).await.unwrap();
        assert_eq!(r.code, 0, "key {} not found after the kill: {r:?}", a.uniq);
        let recs = decode_all(r.body_bytes()).unwrap();
        assert_eq!(recs[0].body.as_ref(), a.body.as_slice(), "{}", a.uniq);
    }
    // Sends work again and continue each queue without a gap.
    let r = client
        .invoke(
            &addr,
            wire::send_v2(TOPIC, 1, b"after".to_vec(), &common::props("", "", "AFTER")),
            wire::TIMEOUT,
        )
        .await
        .unwrap();
    assert_eq!(r.code, 0, "{r:?}");
    let max_before = stored
        .keys()
        .filter(|(q, _)| *q == 1)
        .map(|(_, o)| *o)
        .max()
        .unwrap_or(-1);
    assert_eq!(ext_i64(&r, "queueOffset"), max_before + 1);
    eprintln!(
        "acked before SIGKILL: {}, stored after restart: {}",
        acked.len(),
        stored.len()
    );
}

/// Send `n` messages to queue 0 of `topic`; return their commit-log offsets.
async fn send_numbered(client: &RemotingClient, addr: &str, topic: &str, n: usize) -> Vec<i64> {
    let mut offsets = Vec::new();
    for i in 0..n {
        let props = common::props("T", &format!("key{i}"), &format!("U{i:06}"));
        let req = wire::send_v2(topic, 0, format!("numbered-{i}").into_bytes(), &props);
        let r = client.invoke(addr, req, wire::TIMEOUT).await.unwrap();
        assert_eq!(r.code, 0, "{r:?}");
        let id = OffsetMsgId::decode(r.ext_fields.get("msgId").unwrap()).unwrap();
        offsets.push(id.commit_log_offset);
    }
    offsets
}

fn first_commit_log_file(home: &std::path::Path) -> std::path::PathBuf {
    home.join("store/commitlog/00000000000000000000")
}

fn overwrite(path: &std::path::Path, at: u64, bytes: &[u8]) {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    f.seek(SeekFrom::Start(at)).unwrap();
    f.write_all(bytes).unwrap();
    f.sync_all().unwrap();
}

/// Start a broker, send 50 numbered messages, stop it cleanly, damage the file with `damage`
/// (given the commit-log file and the offsets of the records), restart and return what queue 0
/// holds and the new broker's log.
struct Damaged {
    /// Queue 0's bodies after the restart.
    bodies: Vec<String>,
    log: String,
    commit_log_file: std::path::PathBuf,
    offsets: Vec<i64>,
    broker: common::ServerProcess,
    _dir: tempfile::TempDir,
}

async fn damaged_restart(damage: impl FnOnce(&std::path::Path, &[i64])) -> Damaged {
    let dir = tempfile::tempdir().unwrap();
    let ns = common::start_namesrv(dir.path(), 120_000);
    let mut broker = common::start_broker(dir.path(), ns.addr, &BrokerSpec::default());
    let addr = broker.addr.to_string();
    let client = RemotingClient::default();
    let offsets = send_numbered(&client, &addr, "DamageTopic", 50).await;
    assert!(broker.terminate().success());
    let home = dir.path().join("broker-a-0");
    let commit_log_file = first_commit_log_file(&home);
    damage(&commit_log_file, &offsets);
    let broker = common::restart_broker(&home, broker.addr.port());
    let client = RemotingClient::default();
    let bodies = wire::pull_all(&client, &addr, "DamageTopic", 0)
        .await
        .iter()
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect();
    Damaged {
        bodies,
        log: broker.log_text(),
        commit_log_file,
        offsets,
        broker,
        _dir: dir,
    }
}

fn numbered(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("numbered-{i}")).collect()
}

#[tokio::test]
async fn corrupt_record_found_at_start_is_reported_with_path_and_offset_and_the_rest_recovered() {
    let d = damaged_restart(|file, offsets| {
        // Change record 40's body ("numbered-40" -> "numbeXXX-40"): its CRC no longer matches.
        let bytes = std::fs::read(file).unwrap();
        let record = &bytes[offsets[40] as usize..offsets[41] as usize];
        let at = record
            .windows(11)
            .position(|w| w == b"numbered-40")
            .expect("body of record 40");
        overwrite(file, offsets[40] as u64 + at as u64 + 5, b"XXX");
    })
    .await;
    assert_eq!(d.bodies, numbered(40), "{}", d.log);
    let line = d
        .log
        .lines()
        .find(|l| l.contains("corrupt commit-log data found at start"))
        .unwrap_or_else(|| panic!("no corruption report in:\n{}", d.log));
    assert!(
        line.contains(&d.commit_log_file.display().to_string()),
        "{line}"
    );
    assert!(
        line.contains(&format!("file_offset={}", d.offsets[40])),
        "{line}"
    );
    // The queue continues right after the intact part.
    let client = RemotingClient::default();
    let addr = d.broker.addr.to_string();
    let req = wire::send_v2(
        "DamageTopic",
        0,
        b"new".to_vec(),
        &common::props("", "", "NEW"),
    );
    let r = client.invoke(&addr, req, wire::TIMEOUT).await.unwrap();
    assert_eq!((r.code, ext_i64(&r, "queueOffset")), (0, 40), "{r:?}");
}

#[tokio::test]
async fn torn_tail_is_cut_at_the_last_whole_record() {
    let d = damaged_restart(|file, offsets| {
        // Half of record 49 was written: zero its second half, as a torn write leaves it.
        let start = offsets[49] as u64;
        overwrite(file, start + 30, &[0u8; 64]);
    })
    .await;
    assert_eq!(d.bodies, numbered(49), "{}", d.log);
}

/// Slow (RMQCTL_SLOW_TESTS=1): three rounds of send storm, SIGKILL and restart on the same files;
/// after each restart every message acked in any round is still there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_sigkills_lose_no_acked_message() {
    if !common::slow_tests_enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ns = common::start_namesrv(dir.path(), 120_000);
    let spec = BrokerSpec {
        flush: "SYNC_FLUSH",
        ..BrokerSpec::default()
    };
    let mut broker = common::start_broker(dir.path(), ns.addr, &spec);
    let addr = broker.addr.to_string();
    let home = dir.path().join("broker-a-0");
    let mut all_acked = Vec::new();
    for round in 0..3 {
        all_acked.extend(storm_then_sigkill(&mut broker, round, 1_500).await);
        broker = common::restart_broker(&home, broker.addr.port());
        let client = RemotingClient::default();
        assert_all_stored(&client, &addr, &all_acked, &broker).await;
    }
}
