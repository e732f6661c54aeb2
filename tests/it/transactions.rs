//! Transactional messages through real `rmqctl namesrv` + `rmqctl broker` processes: half
//! messages, END_TRANSACTION commit and rollback, the check-back and its limit, restarts (clean
//! and SIGKILL), a slave holding the transaction records, and bad END_TRANSACTION requests.
//!
//! The protocol tests speak the remoting protocol directly; the interop tests drive the Apache
//! C++ client 2.1's transaction producer (tests/interop/cpp21_tx.py through its C API) and count
//! what its pull consumer sees. Brokers run with short `transactionTimeOut` and
//! `transactionCheckInterval` so checks come within a second or two.

use crate::common;

use common::wire::{self, ext_i64};
use common::{BrokerSpec, ServerProcess};
use rmqctl::protocol::fastjson;
use rmqctl::protocol::kv::KvTable;
use rmqctl::protocol::message::{
    encode_batch, BatchMessage, MessageRecord, MessageVersion, OffsetMsgId, Properties,
};
use rmqctl::remoting::client::RemotingClient;
use rmqctl::remoting::headers::{
    EndTransactionRequestHeader, SendMessageRequestHeader, SendMessageRequestHeaderV2,
};
use rmqctl::remoting::{RemotingCommand, RequestCode, ResponseCode};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SYSTEM_ERROR: i32 = ResponseCode::SYSTEM_ERROR.code();
const COMMIT: i32 = 8;
const ROLLBACK: i32 = 12;
/// Checks come within about a second (interop tests).
const FAST_CHECKS: &str = "transactionTimeOut=1000\ntransactionCheckInterval=500\n";
/// No check during a protocol test (its client is no registered producer anyway).
const NO_CHECKS: &str = "transactionCheckInterval=600000\n";

struct Cluster {
    dir: tempfile::TempDir,
    ns: ServerProcess,
    broker: ServerProcess,
    client: RemotingClient,
}

impl Cluster {
    fn start(extra: &str) -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        let ns = common::start_namesrv(dir.path(), 120_000);
        let spec = BrokerSpec {
            extra,
            ..BrokerSpec::default()
        };
        let broker = common::start_broker(dir.path(), ns.addr, &spec);
        Cluster {
            dir,
            ns,
            broker,
            client: RemotingClient::default(),
        }
    }

    fn ns(&self) -> String {
        self.ns.addr.to_string()
    }

    fn addr(&self) -> String {
        self.broker.addr.to_string()
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("broker-a-0")
    }

    async fn call(&self, req: RemotingCommand) -> RemotingCommand {
        self.client
            .invoke(&self.addr(), req, wire::TIMEOUT)
            .await
            .unwrap_or_else(|e| panic!("no answer: {e}\n{}", tail(&self.broker.log_text())))
    }

    /// SIGKILL the broker and start it again on the same port and files.
    fn kill_and_restart(&mut self) {
        let _ = self.broker.child.kill();
        let _ = self.broker.child.wait();
        self.broker = common::restart_broker(&self.home(), self.broker.addr.port());
        self.client = RemotingClient::default();
    }

    /// SIGTERM the broker (a clean stop) and start it again.
    fn stop_and_restart(&mut self) {
        let status = self.broker.terminate();
        assert!(status.success(), "broker exit: {status}");
        self.broker = common::restart_broker(&self.home(), self.broker.addr.port());
        self.client = RemotingClient::default();
    }

    async fn runtime(&self) -> std::collections::BTreeMap<String, String> {
        let r = self
            .call(RemotingCommand::request(
                RequestCode::GET_BROKER_RUNTIME_INFO,
            ))
            .await;
        fastjson::from_slice::<KvTable>(r.body_bytes())
            .expect("runtime info")
            .table
    }

    async fn unresolved(&self) -> i64 {
        self.runtime().await["halfMessagesUnresolved"]
            .parse()
            .expect("halfMessagesUnresolved is a number")
    }

    /// `unresolved` from a plain test thread (its own runtime and connection).
    fn unresolved_now(&self) -> i64 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async {
                let req = RemotingCommand::request(RequestCode::GET_BROKER_RUNTIME_INFO);
                let r = RemotingClient::default()
                    .invoke(&self.addr(), req, wire::TIMEOUT)
                    .await
                    .expect("runtime info");
                let table = fastjson::from_slice::<KvTable>(r.body_bytes())
                    .expect("kv")
                    .table;
                table["halfMessagesUnresolved"].parse().expect("a number")
            })
    }

    /// Bodies stored on queue 0 of `topic` (what a consumer would get), sorted.
    async fn bodies(&self, topic: &str, queue_id: i32) -> Vec<String> {
        let mut out: Vec<String> = wire::pull_all(&self.client, &self.addr(), topic, queue_id)
            .await
            .iter()
            .map(|r| String::from_utf8_lossy(&r.body).into_owned())
            .collect();
        out.sort();
        out
    }
}

fn tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

/// A prepared send (sysFlag TRANSACTION_PREPARED, TRAN_MSG and PGROUP set as clients do).
fn half_send(topic: &str, body: &str, group: &str, uniq: &str) -> RemotingCommand {
    let mut props = Properties::new();
    props.insert("UNIQ_KEY", uniq);
    props.insert("TRAN_MSG", "true");
    props.insert("PGROUP", group);
    props.insert("WAIT", "true");
    let header = SendMessageRequestHeader {
        producer_group: group.into(),
        topic: topic.into(),
        default_topic: "TBW102".into(),
        default_topic_queue_nums: 4,
        queue_id: 0,
        sys_flag: 0x4,
        born_timestamp: wire::now_ms(),
        properties: Some(props.encode()),
        reconsume_times: Some(0),
        ..Default::default()
    };
    RemotingCommand::request(RequestCode::SEND_MESSAGE_V2)
        .with_header(&SendMessageRequestHeaderV2::from_v1(header))
        .with_body(body.as_bytes().to_vec())
}

/// Where a send landed: (queue offset, commit-log offset, offset msg id).
fn landed(r: &RemotingCommand) -> (i64, i64, String) {
    assert_eq!(r.code, 0, "{r:?}");
    let id = r.ext_fields.get("msgId").expect("msgId").to_string();
    let offset = OffsetMsgId::decode(&id).expect("offset msg id");
    (ext_i64(r, "queueOffset"), offset.commit_log_offset, id)
}

fn end(group: &str, queue_offset: i64, commit_log_offset: i64, decision: i32) -> RemotingCommand {
    RemotingCommand::request(RequestCode::END_TRANSACTION).with_header(
        &EndTransactionRequestHeader {
            producer_group: group.into(),
            tran_state_table_offset: queue_offset,
            commit_log_offset,
            commit_or_rollback: decision,
            from_transaction_check: Some("false".into()),
            msg_id: "M".into(),
            transaction_id: None,
            topic: None,
        },
    )
}

fn assert_refused(r: &RemotingCommand, code: i32, remark: &str) {
    assert_eq!(r.code, code, "{r:?}");
    let got = r.remark.as_deref().unwrap_or_default();
    assert!(got.contains(remark), "remark {got:?} lacks {remark:?}");
}

#[tokio::test]
async fn a_half_message_is_invisible_until_committed_and_then_seen_once() {
    let c = Cluster::start(NO_CHECKS);
    let r = c.call(half_send("TxOrders", "order-1", "pg", "U-1")).await;
    let (queue_offset, phys, offset_id) = landed(&r);
    assert_eq!(
        r.ext_fields.get("queueId"),
        Some("0"),
        "the real queue: {r:?}"
    );
    assert_eq!(r.ext_fields.get("transactionId"), Some("U-1"), "{r:?}");
    assert!(
        c.bodies("TxOrders", 0).await.is_empty(),
        "half message visible"
    );
    assert_eq!(c.bodies("RMQ_SYS_TRANS_HALF_TOPIC", 0).await, ["order-1"]);
    assert_eq!(c.unresolved().await, 1);

    // `rmqctl message get` of the half message says what it is.
    let out = common::rmqctl(&["message", "get", &offset_id, "-n", &c.ns(), "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let view: Value = serde_json::from_slice(&out.stdout).unwrap();
    let note = view["transaction"].as_str().unwrap_or_default();
    assert!(
        note.contains("half message") && note.contains("TxOrders"),
        "{view}"
    );

    let r = c.call(end("pg", queue_offset, phys, COMMIT)).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(c.bodies("TxOrders", 0).await, ["order-1"]);
    assert_eq!(c.unresolved().await, 0);
    let ops = wire::pull_all(&c.client, &c.addr(), "RMQ_SYS_TRANS_OP_HALF_TOPIC", 0).await;
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].tags(), Some("d"));
    assert_eq!(ops[0].body.as_ref(), format!("{queue_offset},").as_bytes());
    let committed = &wire::pull_all(&c.client, &c.addr(), "TxOrders", 0).await[0];
    assert_eq!(
        committed.sys_flag & 0xC,
        COMMIT,
        "sysFlag TRANSACTION_COMMIT"
    );
    assert_eq!(committed.prepared_transaction_offset, phys);
    assert_eq!(committed.uniq_key(), Some("U-1"));
    assert_eq!(committed.property("REAL_TOPIC"), None);

    // Answering again, either way, changes nothing.
    for decision in [COMMIT, ROLLBACK] {
        let again = c.call(end("pg", queue_offset, phys, decision)).await;
        assert_refused(&again, SYSTEM_ERROR, "already");
    }
    assert_eq!(c.bodies("TxOrders", 0).await, ["order-1"]);
    assert_eq!(
        wire::pull_all(&c.client, &c.addr(), "RMQ_SYS_TRANS_OP_HALF_TOPIC", 0)
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn concurrent_answers_for_one_transaction_store_it_once() {
    let c = Cluster::start(NO_CHECKS);
    let (queue_offset, phys, _) = landed(&c.call(half_send("TxRace", "once", "pg", "U-r")).await);
    let answers = futures::future::join_all((0..16).map(|i| {
        let decision = if i % 3 == 0 { ROLLBACK } else { COMMIT };
        c.call(end("pg", queue_offset, phys, decision))
    }))
    .await;
    let applied: Vec<&RemotingCommand> = answers.iter().filter(|r| r.code == 0).collect();
    assert_eq!(applied.len(), 1, "{answers:?}");
    assert!(
        answers
            .iter()
            .all(|r| r.code == 0 || r.code == SYSTEM_ERROR),
        "{answers:?}"
    );
    let stored = c.bodies("TxRace", 0).await;
    assert!(stored.is_empty() || stored == ["once"], "{stored:?}");
    assert_eq!(
        wire::pull_all(&c.client, &c.addr(), "RMQ_SYS_TRANS_OP_HALF_TOPIC", 0)
            .await
            .len(),
        1,
        "one op message"
    );
}

#[tokio::test]
async fn a_rolled_back_half_message_is_never_seen() {
    let c = Cluster::start(NO_CHECKS);
    let (queue_offset, phys, _) = landed(&c.call(half_send("TxRb", "gone", "pg", "U-2")).await);
    let r = c.call(end("pg", queue_offset, phys, ROLLBACK)).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_refused(
        &c.call(end("pg", queue_offset, phys, COMMIT)).await,
        SYSTEM_ERROR,
        "already",
    );
    assert!(c.bodies("TxRb", 0).await.is_empty());
    assert_eq!(c.unresolved().await, 0);
}

#[tokio::test]
async fn bad_end_transactions_are_refused_and_write_nothing() {
    let c = Cluster::start(NO_CHECKS);
    let (queue_offset, phys, _) = landed(&c.call(half_send("TxBad", "real", "pg", "U-3")).await);
    let plain = c
        .call(wire::send_v2(
            "Plain",
            0,
            b"plain".to_vec(),
            &common::props("", "", "P-1"),
        ))
        .await;
    let (plain_queue_offset, plain_phys, _) = landed(&plain);

    let not_half = "Find prepared transaction message failed";
    for (what, req, remark) in [
        (
            "a plain message",
            end("pg", plain_queue_offset, plain_phys, COMMIT),
            not_half,
        ),
        ("no record there", end("pg", 0, phys + 3, COMMIT), not_half),
        ("past the end", end("pg", 0, 1 << 40, COMMIT), not_half),
        ("negative", end("pg", 0, -1, COMMIT), not_half),
        (
            "another producer group",
            end("other", queue_offset, phys, COMMIT),
            "The producer group wrong",
        ),
        (
            "another queue offset",
            end("pg", queue_offset + 7, phys, COMMIT),
            "The transaction state table offset wrong",
        ),
    ] {
        let r = c.call(req).await;
        assert_eq!(r.code, SYSTEM_ERROR, "{what}: {r:?}");
        assert!(
            r.remark.as_deref().unwrap_or_default().contains(remark),
            "{what}: {r:?}"
        );
    }

    // A record that only looks like a half message, inside another message's body.
    let forged_at = forge_half_inside_a_body(&c).await;
    let r = c.call(end("pg", 0, forged_at, COMMIT)).await;
    assert_refused(&r, SYSTEM_ERROR, not_half);
    assert!(
        c.bodies("Forged", 0).await.is_empty(),
        "forged commit stored"
    );

    // A state that is neither commit nor rollback gets no answer (as in Apache).
    let unknown = end("pg", queue_offset, phys, 0);
    let silent = c
        .client
        .invoke(&c.addr(), unknown, Duration::from_millis(800))
        .await;
    assert!(silent.is_err(), "answered: {silent:?}");

    assert!(c.bodies("TxBad", 0).await.is_empty(), "nothing committed");
    assert_eq!(c.unresolved().await, 1);
    let r = c.call(end("pg", queue_offset, phys, COMMIT)).await;
    assert_eq!(r.code, 0, "the real commit still works: {r:?}");
    assert_eq!(c.bodies("TxBad", 0).await, ["real"]);
    assert_eq!(c.bodies("Plain", 0).await, ["plain"]);
    let log = c.broker.log_text();
    assert!(log.contains("END_TRANSACTION refused"), "no log line");
}

/// Sends a message whose body is a stored half record of topic "Forged"; returns the
/// commit-log offset of that inner record.
async fn forge_half_inside_a_body(c: &Cluster) -> i64 {
    let carrier_props = common::props("", "", "F-1");
    let probe = c
        .call(wire::send_v2("Carrier", 0, vec![b'x'; 8], &carrier_props))
        .await;
    let (_, probe_phys, _) = landed(&probe);
    // The next record starts right after the probe; its body starts 88 bytes in (IPv4 hosts).
    let probe_len = MessageRecord::decode(
        &wire::pull_all(&c.client, &c.addr(), "Carrier", 0).await[0]
            .encode()
            .unwrap(),
    )
    .unwrap()
    .encoded_len() as i64;
    let body_at = probe_phys + probe_len + 88;
    let mut props = Properties::new();
    props.insert("REAL_TOPIC", "Forged");
    props.insert("REAL_QID", "0");
    props.insert("PGROUP", "pg");
    let fake = MessageRecord {
        version: MessageVersion::V1,
        body_crc: 0,
        queue_id: 0,
        flag: 0,
        queue_offset: 0,
        commit_log_offset: body_at,
        sys_flag: 0,
        born_timestamp: wire::now_ms(),
        born_host: "127.0.0.1:1".parse().unwrap(),
        store_timestamp: wire::now_ms(),
        store_host: c.broker.addr,
        reconsume_times: 0,
        prepared_transaction_offset: 0,
        body: bytes::Bytes::from_static(b"forged"),
        topic: "RMQ_SYS_TRANS_HALF_TOPIC".into(),
        properties: props.encode(),
    };
    let r = c
        .call(wire::send_v2(
            "Carrier",
            0,
            fake.encode().unwrap(),
            &common::props("", "", "F-2"),
        ))
        .await;
    let (_, carrier_phys, _) = landed(&r);
    assert_eq!(
        carrier_phys,
        probe_phys + probe_len,
        "records are contiguous"
    );
    body_at
}

#[tokio::test]
async fn producers_cannot_send_to_the_transaction_and_other_broker_written_topics() {
    let c = Cluster::start(NO_CHECKS);
    // Apache's NOT_ALLOWED_SEND_TOPIC_SET: delayed messages wait on SCHEDULE_TOPIC_XXXX and
    // the schedule service would deliver a forged one to the topic its properties name.
    for topic in [
        "RMQ_SYS_TRANS_HALF_TOPIC",
        "RMQ_SYS_TRANS_OP_HALF_TOPIC",
        "TRANS_CHECK_MAX_TIME_TOPIC",
        "SCHEDULE_TOPIC_XXXX",
        "SELF_TEST_TOPIC",
        "OFFSET_MOVED_EVENT",
    ] {
        let r = c
            .call(wire::send_v2(
                topic,
                0,
                b"x".to_vec(),
                &common::props("", "", "S"),
            ))
            .await;
        assert_eq!(r.code, ResponseCode::NO_PERMISSION.code(), "{topic}: {r:?}");
        let remark = r.remark.clone().unwrap_or_default();
        assert!(
            remark.contains(&format!("topic[{topic}] is forbidden")),
            "{remark}"
        );
    }
    // A prepared batch is refused (Apache's commit log refuses it too).
    let body = encode_batch(&[BatchMessage {
        flag: 0,
        body: b"b".to_vec().into(),
        properties: common::props("", "", "B-1"),
    }]);
    let mut batch = wire::send_v2("TxBatch", 0, body, "");
    batch.code = RequestCode::SEND_BATCH_MESSAGE.code();
    batch.ext_fields.insert("f", "4");
    let r = c.call(batch).await;
    assert_eq!(r.code, ResponseCode::MESSAGE_ILLEGAL.code(), "{r:?}");
    assert!(c.bodies("TxBatch", 0).await.is_empty());
}

#[tokio::test]
async fn unresolved_half_messages_survive_sigkill_and_clean_restarts() {
    let mut c = Cluster::start(NO_CHECKS);
    let mut sent = Vec::new();
    for i in 0..3 {
        let r = c
            .call(half_send(
                "TxDurable",
                &format!("d-{i}"),
                "pg",
                &format!("U-d{i}"),
            ))
            .await;
        sent.push(landed(&r));
    }
    let (q0, p0, _) = sent[0].clone();
    assert_eq!(c.call(end("pg", q0, p0, COMMIT)).await.code, 0);

    c.kill_and_restart();
    assert_eq!(c.unresolved().await, 2, "after SIGKILL");
    assert_refused(
        &c.call(end("pg", q0, p0, COMMIT)).await,
        SYSTEM_ERROR,
        "already",
    );
    let (q1, p1, _) = sent[1].clone();
    assert_eq!(c.call(end("pg", q1, p1, ROLLBACK)).await.code, 0);

    c.stop_and_restart();
    assert_eq!(c.unresolved().await, 1, "after a clean restart");
    let (q2, p2, _) = sent[2].clone();
    assert_eq!(c.call(end("pg", q2, p2, COMMIT)).await.code, 0);

    c.kill_and_restart();
    assert_eq!(c.unresolved().await, 0);
    for (q, p, _) in &sent {
        assert_refused(
            &c.call(end("pg", *q, *p, COMMIT)).await,
            SYSTEM_ERROR,
            "already",
        );
    }
    assert_eq!(c.bodies("TxDurable", 0).await, ["d-0", "d-2"]);
}

#[tokio::test]
async fn check_counting_resumes_after_a_sigkill_and_gives_up_once() {
    // No producer is online: every pass counts a check (as Apache does) without anyone to ask.
    let mut c = Cluster::start(
        "transactionTimeOut=300\ntransactionCheckInterval=300\ntransactionCheckMax=4\n",
    );
    landed(&c.call(half_send("TxCount", "counted", "pg", "U-c")).await);
    let checks_so_far = |records: &[MessageRecord]| -> Vec<u32> {
        records
            .iter()
            .filter_map(|r| r.property("TRANSACTION_CHECK_TIMES")?.parse().ok())
            .collect()
    };
    let start = Instant::now();
    loop {
        let half = wire::pull_all(&c.client, &c.addr(), "RMQ_SYS_TRANS_HALF_TOPIC", 0).await;
        if checks_so_far(&half).contains(&2) {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no second check");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    c.kill_and_restart();
    let start = Instant::now();
    while c.unresolved().await != 0 {
        assert!(start.elapsed() < Duration::from_secs(20), "never given up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let half = wire::pull_all(&c.client, &c.addr(), "RMQ_SYS_TRANS_HALF_TOPIC", 0).await;
    assert_eq!(half.len(), 5, "the message and one copy per check");
    assert_eq!(
        checks_so_far(&half),
        [1, 2, 3, 4],
        "counting went on where it was"
    );
    assert_eq!(c.bodies("TRANS_CHECK_MAX_TIME_TOPIC", 0).await, ["counted"]);
    assert!(c.bodies("TxCount", 0).await.is_empty());
    c.kill_and_restart();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(c.unresolved().await, 0, "given up for good");
    assert_eq!(c.bodies("TRANS_CHECK_MAX_TIME_TOPIC", 0).await, ["counted"]);
}

#[tokio::test]
async fn a_slave_holds_the_half_and_op_messages_and_refuses_end_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let ns = common::start_namesrv(dir.path(), 120_000);
    let spec = |id: i64, role: &'static str| BrokerSpec {
        name: "broker-tx",
        id,
        role,
        extra: NO_CHECKS,
        ..BrokerSpec::default()
    };
    let master = common::start_broker(dir.path(), ns.addr, &spec(0, "SYNC_MASTER"));
    let slave = common::start_broker(dir.path(), ns.addr, &spec(1, "SLAVE"));
    let client = RemotingClient::default();
    let maddr = master.addr.to_string();
    let saddr = slave.addr.to_string();
    let call = |addr: String, req: RemotingCommand| {
        let client = client.clone();
        async move {
            client
                .invoke(&addr, req, wire::TIMEOUT)
                .await
                .expect("answer")
        }
    };
    // SYNC_MASTER answers SLAVE_NOT_AVAILABLE until the slave is connected.
    let start = Instant::now();
    loop {
        let props = common::props("", "", "W");
        let r = call(
            maddr.clone(),
            wire::send_v2("Warmup", 0, b"w".to_vec(), &props),
        )
        .await;
        if r.code == 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "slave never in sync: {r:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (queue_offset, phys, _) =
        landed(&call(maddr.clone(), half_send("TxHa", "ha-1", "pg", "U-ha")).await);
    let r = call(saddr.clone(), end("pg", queue_offset, phys, COMMIT)).await;
    assert_eq!(r.code, ResponseCode::SLAVE_NOT_AVAILABLE.code(), "{r:?}");
    let r = call(maddr.clone(), end("pg", queue_offset, phys, COMMIT)).await;
    assert_eq!(r.code, 0, "{r:?}");

    let on = |addr: String, topic: &'static str| {
        let client = client.clone();
        async move {
            wire::pull_all(&client, &addr, topic, 0)
                .await
                .iter()
                .map(|r| {
                    (
                        r.commit_log_offset,
                        String::from_utf8_lossy(&r.body).into_owned(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let start = Instant::now();
    for topic in [
        "RMQ_SYS_TRANS_HALF_TOPIC",
        "RMQ_SYS_TRANS_OP_HALF_TOPIC",
        "TxHa",
    ] {
        let want = on(maddr.clone(), topic).await;
        assert_eq!(want.len(), 1, "{topic} on the master");
        while on(saddr.clone(), topic).await != want {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{topic} not on the slave:\n{}",
                tail(&slave.log_text())
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    drop((master, slave, ns));
}

// ---- the Apache C++ client 2.1 ----

/// The Python of the venv holding the Apache C++ client 2.1 (PyPI `rocketmq-python-cvs`).
/// `tests/run.sh` installs it and sets `RMQCTL_CPP21_PYTHON`; without it these tests skip,
/// unless `RMQCTL_REQUIRE_INTEROP=1`.
fn cpp21_python() -> Option<PathBuf> {
    let candidate = std::env::var_os("RMQCTL_CPP21_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-cpp21/bin/python"));
    if candidate.exists() {
        return Some(candidate);
    }
    if std::env::var("RMQCTL_REQUIRE_INTEROP").as_deref() == Ok("1") {
        panic!(
            "the C++ 2.1 client venv is missing at {}; run tests/run.sh",
            candidate.display()
        );
    }
    eprintln!(
        "skipping: no C++ 2.1 client venv at {}",
        candidate.display()
    );
    None
}

/// What one run of tests/interop/cpp21_tx.py reported.
#[derive(Debug)]
struct TxRun {
    sent_ok: u64,
    checks: Vec<String>,
    events: Vec<Value>,
}

/// Runs the transactional producer to its end.
fn producer(c: &Cluster, py: &Path, group: &str, topic: &str, args: &[&str]) -> TxRun {
    let mut all = vec![c.ns(), group.to_string(), topic.to_string()];
    all.extend(args.iter().map(|s| s.to_string()));
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    let out = common::run_cpp_script(py, "cpp21_tx.py", &all, c.dir.path());
    parse_run(&String::from_utf8_lossy(&out.stdout), &out, c)
}

fn parse_run(stdout: &str, out: &std::process::Output, c: &Cluster) -> TxRun {
    let events: Vec<Value> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let Some(last) = events.iter().rev().find(|e| e.get("sent_ok").is_some()) else {
        panic!(
            "producer printed no result ({}):\n{stdout}\n{}\nbroker:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr),
            tail(&c.broker.log_text())
        );
    };
    TxRun {
        sent_ok: last["sent_ok"].as_u64().unwrap_or(0),
        checks: last["checked_keys"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|k| k.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        events,
    }
}

/// Bodies the C++ pull consumer reads from every queue of `topic`, sorted.
fn pulled(c: &Cluster, py: &Path, topic: &str) -> Vec<String> {
    let v = common::run_cpp_json(
        py,
        "cpp21_pull_bodies.py",
        &[&c.ns(), topic, "tx_reader"],
        c.dir.path(),
    );
    serde_json::from_value(v["bodies"].clone()).expect("bodies")
}

fn bodies(numbers: &[usize]) -> Vec<String> {
    let mut v: Vec<String> = numbers.iter().map(|i| format!("tx-body-{i}")).collect();
    v.sort();
    v
}

fn create_topic(c: &Cluster, topic: &str) {
    common::wait_registered(&c.ns(), 1);
    let out = common::rmqctl(&[
        "topic",
        "create",
        "-t",
        topic,
        "-n",
        &c.ns(),
        "-r",
        "2",
        "-w",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    common::wait_for_route(c.ns.addr, topic);
}

#[test]
fn cpp_commit_and_rollback_without_checks() {
    let Some(py) = cpp21_python() else { return };
    let c = Cluster::start(FAST_CHECKS);
    create_topic(&c, "CppTx");
    // Commit the even ones, roll back the odd ones; stay 3 s (several check intervals).
    let run = producer(
        &c,
        &py,
        "cpp_tx_pg",
        "CppTx",
        &["20", "split", "commit", "3"],
    );
    assert_eq!(run.sent_ok, 20, "{:?}", run.events);
    assert!(
        run.checks.is_empty(),
        "answered transactions were checked: {:?}",
        run.checks
    );
    let even: Vec<usize> = (0..20).step_by(2).collect();
    assert_eq!(pulled(&c, &py, "CppTx"), bodies(&even));
    assert_eq!(c.unresolved_now(), 0);

    // Admin views of the system topics and the real topic stay sane.
    for args in [
        vec!["cluster", "status"],
        vec!["topic", "status", "-t", "RMQ_SYS_TRANS_HALF_TOPIC"],
        vec!["topic", "status", "-t", "RMQ_SYS_TRANS_OP_HALF_TOPIC"],
    ] {
        let mut args = args.clone();
        let ns = c.ns();
        args.extend(["-n", &ns]);
        let out = common::rmqctl(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            common::stderr(&out)
        );
    }
    let ns = c.ns();
    let out = common::rmqctl(&["topic", "status", "-t", "CppTx", "-n", &ns, "-o", "json"]);
    let status: Value = serde_json::from_slice(&out.stdout).expect("topic status json");
    let stored: i64 = status
        .as_array()
        .or_else(|| status["queues"].as_array())
        .expect("queues")
        .iter()
        .map(|q| q["max_offset"].as_i64().unwrap_or(0) - q["min_offset"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(
        stored, 10,
        "the real topic counts committed messages only: {status}"
    );
}

#[test]
fn cpp_unknown_transactions_are_checked_back_and_resolved_by_the_answer() {
    let Some(py) = cpp21_python() else { return };
    let c = Cluster::start(FAST_CHECKS);
    create_topic(&c, "CppTxCheck");
    let run = producer(
        &c,
        &py,
        "cpp_check_pg",
        "CppTxCheck",
        &["10", "unknown", "split", "30", "--until-checks", "10"],
    );
    assert_eq!(run.sent_ok, 10);
    let mut checked = run.checks.clone();
    checked.dedup();
    assert_eq!(
        checked.len(),
        10,
        "each transaction checked: {:?}",
        run.checks
    );
    assert_eq!(run.checks.len(), 10, "and only once: {:?}", run.checks);
    wait_unresolved(&c, 0);
    let even: Vec<usize> = (0..10).step_by(2).collect();
    assert_eq!(pulled(&c, &py, "CppTxCheck"), bodies(&even));
}

#[test]
fn cpp_a_dead_producers_transactions_are_answered_by_another_of_its_group_after_a_restart() {
    let Some(py) = cpp21_python() else { return };
    let mut c = Cluster::start(
        "transactionTimeOut=1000\ntransactionCheckInterval=500\ntransactionCheckMax=40\n",
    );
    create_topic(&c, "CppTxDead");
    let run = producer(
        &c,
        &py,
        "cpp_dead_pg",
        "CppTxDead",
        &["3", "unknown", "commit", "0", "--die-after-send"],
    );
    assert_eq!(run.sent_ok, 3);
    assert_eq!(c.unresolved_now(), 3);
    // The state survives a clean restart; then a second producer of the group (which sends
    // one message of its own, so it knows the broker and heartbeats to it) answers the checks.
    c.stop_and_restart();
    common::wait_for_route(c.ns.addr, "CppTxDead");
    let second = producer(
        &c,
        &py,
        "cpp_dead_pg",
        "CppTxDead",
        &[
            "1",
            "commit",
            "commit",
            "30",
            "--start",
            "100",
            "--until-checks",
            "3",
        ],
    );
    assert_eq!(
        second.checks,
        ["tx-0", "tx-1", "tx-2"],
        "{:?}",
        second.events
    );
    wait_unresolved(&c, 0);
    assert_eq!(pulled(&c, &py, "CppTxDead"), bodies(&[0, 1, 2, 100]));
}

#[test]
fn cpp_unanswered_transactions_are_given_up_after_the_check_limit() {
    let Some(py) = cpp21_python() else { return };
    let c = Cluster::start(
        "transactionTimeOut=1000\ntransactionCheckInterval=500\ntransactionCheckMax=2\n",
    );
    create_topic(&c, "CppTxMax");
    // Checks come at about 1.0, 1.5 s; the give-up at 2.0 s. Stay 6 s to see any extra check.
    let run = producer(
        &c,
        &py,
        "cpp_max_pg",
        "CppTxMax",
        &["2", "unknown", "unknown", "6"],
    );
    assert_eq!(run.sent_ok, 2);
    assert_eq!(
        run.checks,
        ["tx-0", "tx-0", "tx-1", "tx-1"],
        "two checks each"
    );
    wait_unresolved(&c, 0);
    assert!(
        pulled(&c, &py, "CppTxMax").is_empty(),
        "an unanswered transaction was delivered"
    );
    assert_eq!(
        pulled(&c, &py, "TRANS_CHECK_MAX_TIME_TOPIC"),
        bodies(&[0, 1])
    );
    let log = c.broker.log_text();
    assert!(
        log.contains("half message discarded"),
        "no log line for the give-up"
    );
}

#[test]
fn cpp_broker_sigkill_between_the_half_send_and_the_commit_loses_and_duplicates_nothing() {
    let Some(py) = cpp21_python() else { return };
    let mut c = Cluster::start("transactionTimeOut=3000\ntransactionCheckInterval=500\n");
    create_topic(&c, "CppTxKill");
    let hold = c.dir.path().join("hold");
    let ns = c.ns();
    let hold_arg = hold.to_string_lossy().into_owned();
    let mut child = Command::new(&py)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/cpp21_tx.py"))
        .args([
            &ns,
            "cpp_kill_pg",
            "CppTxKill",
            "1",
            "commit",
            "commit",
            "20",
        ])
        .args(["--hold", &hold_arg, "--until-checks", "1"])
        .env("HOME", c.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the producer");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut stdout = String::new();
    // The half message is stored and the local transaction runs: kill the broker now.
    for line in lines.by_ref() {
        let line = line.expect("producer output");
        stdout.push_str(&line);
        stdout.push('\n');
        if line.contains("\"executing\"") {
            break;
        }
    }
    assert!(
        stdout.contains("executing"),
        "producer never ran its transaction: {stdout}"
    );
    c.kill_and_restart();
    assert_eq!(c.unresolved_now(), 1, "the half message survived SIGKILL");
    std::fs::write(&hold, b"").unwrap();
    for line in lines {
        stdout.push_str(&line.expect("producer output"));
        stdout.push('\n');
    }
    let status = child.wait().expect("producer exit");
    let out = std::process::Output {
        status,
        stdout: Vec::new(),
        stderr: Vec::new(),
    };
    let run = parse_run(&stdout, &out, &c);
    assert_eq!(run.sent_ok, 1, "{stdout}");
    // The producer's commit went to the restarted broker, or got lost with the old connection
    // and the check-back asked again: either way the message is there exactly once.
    wait_unresolved(&c, 0);
    assert_eq!(pulled(&c, &py, "CppTxKill"), bodies(&[0]));
    // And a SIGKILL after the commit neither loses it nor delivers it twice.
    c.kill_and_restart();
    assert_eq!(c.unresolved_now(), 0);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(pulled(&c, &py, "CppTxKill"), bodies(&[0]));
}

/// Waits (up to 60 s) until the broker reports `n` unresolved half messages.
fn wait_unresolved(c: &Cluster, n: i64) {
    let start = Instant::now();
    loop {
        let now = c.unresolved_now();
        if now == n {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{now} unresolved half messages, want {n}:\n{}",
            tail(&c.broker.log_text())
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
