//! Master/slave replication through real processes (`rmqctl namesrv` + master + slave on
//! loopback): SIGKILL of a SYNC_MASTER loses no acked message, ASYNC_MASTER's loss is measured
//! and is only its newest acked messages, a stopped slave turns SYNC sends into SLAVE_NOT_AVAILABLE and catches up when back, a restarted
//! master is rejoined, the slave copies metadata and a C++ consumer reads from the slave.
//!
//! The longer runs (ASYNC measurement, C++ consumer) need `RMQCTL_SLOW_TESTS=1` (tests/run.sh).

use crate::common;

use common::{BrokerSpec, ServerProcess};
use rmqctl::protocol::fastjson;
use rmqctl::protocol::kv::KvTable;
use rmqctl::protocol::message::{decode_all, MessageRecord, OffsetMsgId};
use rmqctl::remoting::client::{ClientError, RemotingClient};
use rmqctl::remoting::headers::{
    CreateTopicRequestHeader, OffsetResponseHeader, PullMessageRequestHeader,
    QueryConsumerOffsetRequestHeader, SendMessageRequestHeaderV2, SendMessageResponseHeader,
    UpdateConsumerOffsetRequestHeader,
};
use rmqctl::remoting::{RemotingCommand, RequestCode};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOPIC: &str = "HaTopic";
const QUEUES: i32 = 4;
const CALL: Duration = Duration::from_secs(30);

/// A name server, a master and its slave (brokerId 1) sharing `broker-ha`.
struct Pair {
    dir: tempfile::TempDir,
    _ns: ServerProcess,
    master: Option<ServerProcess>,
    slave: Option<ServerProcess>,
    master_port: u16,
    slave_port: u16,
}

impl Pair {
    async fn start(role: &str, flush: &str) -> Pair {
        let dir = tempfile::tempdir().unwrap();
        let ns = common::start_namesrv(dir.path(), 120_000);
        let master = common::start_broker(
            dir.path(),
            ns.addr,
            &BrokerSpec {
                name: "broker-ha",
                id: 0,
                role,
                flush,
                extra: "",
            },
        );
        create_topic(&master.addr.to_string()).await;
        let slave = common::start_broker(
            dir.path(),
            ns.addr,
            &BrokerSpec {
                name: "broker-ha",
                id: 1,
                role: "SLAVE",
                flush,
                extra: "",
            },
        );
        let pair = Pair {
            master_port: master.addr.port(),
            slave_port: slave.addr.port(),
            dir,
            _ns: ns,
            master: Some(master),
            slave: Some(slave),
        };
        pair.wait_replicating().await;
        pair
    }

    fn master_addr(&self) -> String {
        format!("127.0.0.1:{}", self.master_port)
    }

    fn slave_addr(&self) -> String {
        format!("127.0.0.1:{}", self.slave_port)
    }

    fn home(&self, id: i64) -> PathBuf {
        self.dir.path().join(format!("broker-ha-{id}"))
    }

    fn logs(&self) -> String {
        let mut out = String::new();
        for p in [&self.master, &self.slave].into_iter().flatten() {
            out += &p.log_text();
        }
        out
    }

    /// Until the master reports a connected slave and the slave knows the topic.
    async fn wait_replicating(&self) {
        let client = RemotingClient::default();
        let master = self.master_addr();
        let slave = self.slave_addr();
        let ready = poll_until(Duration::from_secs(60), || {
            let client = client.clone();
            let (master, slave) = (master.clone(), slave.clone());
            async move {
                let info = runtime_info(&client, &master).await;
                let connected = info.get("slaveConnected").map(String::as_str) == Some("true");
                connected && matches!(pull(&client, &slave, 0, 0).await, Ok(_) | Err(20))
            }
        })
        .await;
        if !ready {
            let m = runtime_info(&client, &master).await;
            let s = runtime_info(&client, &slave).await;
            let p = pull(&client, &slave, 0, 0).await.map(|v| v.len());
            panic!(
                "slave not replicating: master {m:?}\nslave {s:?}\npull {p:?}\n{}",
                self.logs()
            );
        }
    }
}

async fn wait_for<F, Fut>(what: &str, limit: Duration, f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    assert!(poll_until(limit, f).await, "timed out waiting for {what}");
}

async fn poll_until<F, Fut>(limit: Duration, mut f: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !f().await {
        if start.elapsed() > limit {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    true
}

async fn create_topic(addr: &str) {
    let header = CreateTopicRequestHeader {
        topic: TOPIC.into(),
        default_topic: "TBW102".into(),
        read_queue_nums: QUEUES,
        write_queue_nums: QUEUES,
        perm: 6,
        topic_filter_type: "SINGLE_TAG".into(),
        ..Default::default()
    };
    let req = RemotingCommand::request(RequestCode::UPDATE_AND_CREATE_TOPIC).with_header(&header);
    RemotingClient::default()
        .invoke_ok(addr, req, CALL)
        .await
        .expect("topic created on the master");
}

async fn runtime_info(client: &RemotingClient, addr: &str) -> BTreeMap<String, String> {
    let req = RemotingCommand::request(RequestCode::GET_BROKER_RUNTIME_INFO);
    match client.invoke_ok(addr, req, CALL).await {
        Ok(r) => fastjson::from_slice::<KvTable>(r.body_bytes())
            .map(|t| t.table)
            .unwrap_or_default(),
        Err(_) => BTreeMap::new(),
    }
}

/// One SEND_MESSAGE_V2; returns the response code and header.
async fn send(
    client: &RemotingClient,
    addr: &str,
    queue_id: i32,
    body: Vec<u8>,
) -> Result<(i32, Option<SendMessageResponseHeader>), ClientError> {
    let header = SendMessageRequestHeaderV2 {
        a: "ha-producer".into(),
        b: TOPIC.into(),
        c: "TBW102".into(),
        d: QUEUES,
        e: queue_id,
        g: rmqctl::calendar::now_millis(),
        i: Some(format!(
            "UNIQ_KEY\u{1}{}\u{2}WAIT\u{1}true\u{2}",
            String::from_utf8_lossy(&body[..body.len().min(24)])
        )),
        ..Default::default()
    };
    let req = RemotingCommand::request(RequestCode::SEND_MESSAGE_V2)
        .with_header(&header)
        .with_body(body);
    let r = client.invoke(addr, req, CALL).await?;
    Ok((r.code, r.header::<SendMessageResponseHeader>().ok()))
}

/// PULL one batch; Err(code) for anything but FOUND / NO_NEW_MSG.
async fn pull(
    client: &RemotingClient,
    addr: &str,
    queue_id: i32,
    offset: i64,
) -> Result<Vec<MessageRecord>, i32> {
    let header = PullMessageRequestHeader {
        consumer_group: "ha-checker".into(),
        topic: TOPIC.into(),
        queue_id,
        queue_offset: offset,
        max_msg_nums: 32,
        sys_flag: 0x4,
        subscription: Some("*".into()),
        ..Default::default()
    };
    let req = RemotingCommand::request(RequestCode::PULL_MESSAGE).with_header(&header);
    let r = client.invoke(addr, req, CALL).await.map_err(|_| -1)?;
    match r.code {
        0 => Ok(decode_all(r.body_bytes()).map_err(|_| -2)?),
        19 => Ok(Vec::new()),
        code => Err(code),
    }
}

async fn commit_offset(
    client: &RemotingClient,
    addr: &str,
    group: &str,
    queue_id: i32,
    offset: i64,
) {
    let header = UpdateConsumerOffsetRequestHeader {
        consumer_group: group.into(),
        topic: TOPIC.into(),
        queue_id,
        commit_offset: offset,
    };
    let req = RemotingCommand::request(RequestCode::UPDATE_CONSUMER_OFFSET).with_header(&header);
    client
        .invoke_ok(addr, req, CALL)
        .await
        .expect("offset committed");
}

async fn query_offset(
    client: &RemotingClient,
    addr: &str,
    group: &str,
    queue_id: i32,
) -> Option<i64> {
    let header = QueryConsumerOffsetRequestHeader {
        consumer_group: group.into(),
        topic: TOPIC.into(),
        queue_id,
        set_zero_if_not_found: Some(false),
    };
    let req = RemotingCommand::request(RequestCode::QUERY_CONSUMER_OFFSET).with_header(&header);
    let r = client.invoke_ok(addr, req, CALL).await.ok()?;
    r.header::<OffsetResponseHeader>().ok().map(|h| h.offset)
}

/// Every record of the topic on `addr`.
async fn pull_everything(client: &RemotingClient, addr: &str) -> Vec<MessageRecord> {
    let mut all = Vec::new();
    for q in 0..QUEUES {
        let mut offset = 0;
        loop {
            // 20: a slave whose master is online sends readers back once they are caught up.
            let batch = match pull(client, addr, q, offset).await {
                Err(20) => Vec::new(),
                Err(code) => panic!("pull from {addr} queue {q} at {offset}: code {code}"),
                Ok(batch) => batch,
            };
            if batch.is_empty() {
                break;
            }
            offset = batch.last().unwrap().queue_offset + 1;
            all.extend(batch);
        }
    }
    all
}

/// A message the broker answered SEND_OK (or another stored code) for.
#[derive(Debug, Clone)]
struct Acked {
    body: Vec<u8>,
    code: i32,
    header: SendMessageResponseHeader,
}

fn unique_body(producer: usize, seq: usize) -> Vec<u8> {
    let mut b = format!("p{producer:02}-m{seq:06}-").into_bytes();
    let salt = (producer * 7919 + seq * 104729) as u8;
    b.extend((0..240).map(|i| salt.wrapping_add(i as u8)));
    b
}

/// Producers send until `stop`, counting SEND_OKs in `ok`; returns every answered send.
fn spawn_producers(
    addr: String,
    producers: usize,
    stop: Arc<AtomicBool>,
    ok: Arc<AtomicUsize>,
) -> Vec<tokio::task::JoinHandle<Vec<Acked>>> {
    (0..producers)
        .map(|p| {
            let (addr, stop, ok) = (addr.clone(), stop.clone(), ok.clone());
            tokio::spawn(async move {
                let client = RemotingClient::default();
                let mut acked = Vec::new();
                let mut seq = 0;
                while !stop.load(Ordering::Relaxed) {
                    let body = unique_body(p, seq);
                    let queue = ((p + seq) % QUEUES as usize) as i32;
                    seq += 1;
                    match send(&client, &addr, queue, body.clone()).await {
                        Ok((code, Some(header))) => {
                            if code == 0 {
                                ok.fetch_add(1, Ordering::Relaxed);
                            }
                            acked.push(Acked { body, code, header })
                        }
                        Ok(_) => {}
                        Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                    }
                }
                acked
            })
        })
        .collect()
}

/// The messages acked with `code` that the slave lacks; panics on a mismatch or a duplicate.
fn missing_on_slave<'a>(acked: &'a [Acked], slave: &[MessageRecord], code: i32) -> Vec<&'a Acked> {
    let mut by_body: HashMap<&[u8], Vec<&MessageRecord>> = HashMap::new();
    for r in slave {
        by_body.entry(&r.body[..]).or_default().push(r);
    }
    for (body, copies) in &by_body {
        assert_eq!(
            copies.len(),
            1,
            "duplicated on the slave: {}",
            String::from_utf8_lossy(&body[..16])
        );
    }
    let mut missing = Vec::new();
    for a in acked.iter().filter(|a| a.code == code) {
        let Some(copies) = by_body.get(&a.body[..]) else {
            missing.push(a);
            continue;
        };
        let r = copies[0];
        let id = OffsetMsgId::decode(&a.header.msg_id).expect("offset msg id");
        assert_eq!(
            r.commit_log_offset, id.commit_log_offset,
            "same physical offset"
        );
        assert_eq!(
            (r.queue_id, r.queue_offset),
            (a.header.queue_id, a.header.queue_offset)
        );
        assert_eq!(&r.body[..], &a.body[..], "byte-identical body");
    }
    missing
}

/// Commit-log offset the master gave an acked message.
fn commit_log_offset(a: &Acked) -> i64 {
    OffsetMsgId::decode(&a.header.msg_id)
        .expect("offset msg id")
        .commit_log_offset
}

/// Acked sends before the master is killed: enough that a lost one would show.
const ACKED_BEFORE_KILL: usize = 300;

/// What a master kill left: every SEND_OK, and those of them the slave lacks.
struct KillOutcome {
    acked_ok: Vec<Acked>,
    missing: Vec<Acked>,
}

/// Sends until ACKED_BEFORE_KILL SEND_OKs (whatever the machine's speed), SIGKILLs the master
/// and deletes its store, then reads the slave.
async fn kill_master_while_sending(role: &str, flush: &str) -> KillOutcome {
    let mut pair = Pair::start(role, flush).await;
    let stop = Arc::new(AtomicBool::new(false));
    let ok = Arc::new(AtomicUsize::new(0));
    let producers = spawn_producers(pair.master_addr(), 8, stop.clone(), ok.clone());
    let enough = poll_until(Duration::from_secs(120), || {
        let ok = ok.clone();
        async move { ok.load(Ordering::Relaxed) >= ACKED_BEFORE_KILL }
    })
    .await;
    assert!(
        enough,
        "only {} SEND_OK in 120 s: {}",
        ok.load(Ordering::Relaxed),
        pair.logs()
    );
    let mut master = pair.master.take().unwrap();
    master.child.kill().unwrap();
    master.child.wait().unwrap();
    std::fs::remove_dir_all(pair.home(0).join("store")).unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    let mut acked = Vec::new();
    for p in producers {
        acked.extend(p.await.unwrap());
    }
    let client = RemotingClient::default();
    let on_slave = pull_everything(&client, &pair.slave_addr()).await;
    let missing: Vec<Acked> = missing_on_slave(&acked, &on_slave, 0)
        .into_iter()
        .cloned()
        .collect();
    let acked_ok: Vec<Acked> = acked.iter().filter(|a| a.code == 0).cloned().collect();
    eprintln!(
        "{role}+{flush}: {} answered, {} SEND_OK, slave holds {}, acked but missing on the slave: {}",
        acked.len(),
        acked_ok.len(),
        on_slave.len(),
        missing.len()
    );
    KillOutcome { acked_ok, missing }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_master_killed_loses_no_acked_message() {
    let outcome = kill_master_while_sending("SYNC_MASTER", "SYNC_FLUSH").await;
    assert_eq!(
        outcome.missing.len(),
        0,
        "SYNC_MASTER acked messages the slave lacks"
    );
}

/// An ASYNC_MASTER may ack what its slave never got, but only the newest: the slave holds a
/// prefix of the master's commit log, so every acked message it lacks lies after every acked
/// message it holds. The loss is printed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_master_killed_loss_is_measured() {
    if !common::slow_tests_enabled() {
        return;
    }
    let outcome = kill_master_while_sending("ASYNC_MASTER", "ASYNC_FLUSH").await;
    let missing: std::collections::HashSet<&[u8]> =
        outcome.missing.iter().map(|a| &a.body[..]).collect();
    let newest_held = outcome
        .acked_ok
        .iter()
        .filter(|a| !missing.contains(&a.body[..]))
        .map(commit_log_offset)
        .max();
    let oldest_lost = outcome.missing.iter().map(commit_log_offset).min();
    if let (Some(held), Some(lost)) = (newest_held, oldest_lost) {
        assert!(
            lost > held,
            "the slave lacks the acked message at {lost} but holds a later one at {held}"
        );
    }
    println!(
        "ASYNC_MASTER: {} acked, {} missing on the slave after SIGKILL",
        outcome.acked_ok.len(),
        outcome.missing.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slave_and_master_restarts_keep_sync_master_honest() {
    let mut pair = Pair::start("SYNC_MASTER", "ASYNC_FLUSH").await;
    let client = RemotingClient::default();
    let master = pair.master_addr();
    for i in 0..20 {
        let (code, _) = send(&client, &master, i % QUEUES, unique_body(90, i as usize))
            .await
            .unwrap();
        assert_eq!(code, 0, "SEND_OK with the slave up");
    }

    // Slave stopped: SLAVE_NOT_AVAILABLE, never SEND_OK.
    let mut slave = pair.slave.take().unwrap();
    slave.terminate();
    let mut outage = Vec::new();
    for i in 0..20 {
        let body = unique_body(91, i as usize);
        let (code, _) = send(&client, &master, i % QUEUES, body.clone())
            .await
            .unwrap();
        assert_eq!(code, 11, "SLAVE_NOT_AVAILABLE while the slave is down");
        outage.push(body);
    }
    drop(slave);
    // A consumer offset committed on the master reaches the slave (SlaveSynchronize).
    commit_offset(&client, &master, "ha-group", 2, 7).await;

    // Slave back: catches up from its own offset; SYNC sends succeed again.
    pair.slave = Some(common::restart_broker(&pair.home(1), pair.slave_port));
    let master_c = master.clone();
    wait_for("SEND_OK again", Duration::from_secs(60), || {
        let client = client.clone();
        let master = master_c.clone();
        async move {
            matches!(
                send(&client, &master, 0, unique_body(92, 0)).await,
                Ok((0, _))
            )
        }
    })
    .await;
    let on_slave = pull_everything(&client, &pair.slave_addr()).await;
    for body in &outage {
        assert!(
            on_slave.iter().any(|r| r.body[..] == body[..]),
            "outage message replicated"
        );
    }
    assert_offsets_agree(&client, &pair).await;
    let slave_addr = pair.slave_addr();
    wait_for(
        "consumer offset copied to the slave",
        Duration::from_secs(60),
        || {
            let (client, slave_addr) = (client.clone(), slave_addr.clone());
            async move { query_offset(&client, &slave_addr, "ha-group", 2).await == Some(7) }
        },
    )
    .await;

    // Master restarted with its store: the slave reconnects and continues.
    let mut m = pair.master.take().unwrap();
    m.terminate();
    drop(m);
    pair.master = Some(common::restart_broker(&pair.home(0), pair.master_port));
    wait_for(
        "slave rejoined the restarted master",
        Duration::from_secs(60),
        || {
            let client = client.clone();
            let master = master.clone();
            async move {
                matches!(
                    send(&client, &master, 1, unique_body(93, 0)).await,
                    Ok((0, _))
                )
            }
        },
    )
    .await;
    assert_offsets_agree(&client, &pair).await;
    let log = pair.slave.as_ref().unwrap().log_text();
    assert!(
        log.contains("connected to the master's HA service"),
        "{log}"
    );
}

async fn assert_offsets_agree(client: &RemotingClient, pair: &Pair) {
    let (master, slave) = (pair.master_addr(), pair.slave_addr());
    wait_for(
        "slave offset equals master offset",
        Duration::from_secs(60),
        || {
            let client = client.clone();
            let (master, slave) = (master.clone(), slave.clone());
            async move {
                let m = runtime_info(&client, &master).await;
                let s = runtime_info(&client, &slave).await;
                let max = m.get("commitLogMaxOffset");
                max.is_some()
                    && m.get("slaveAckOffset") == max
                    && s.get("slaveAckOffset") == max
                    && s.get("commitLogMaxOffset") == max
                    && m.get("slaveInSync").map(String::as_str) == Some("true")
                    && s.get("haConnectionState").map(String::as_str) == Some("TRANSFER")
            }
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cpp_consumer_reads_from_the_slave_while_the_master_is_down() {
    if !common::slow_tests_enabled() {
        return;
    }
    let Some(python) = common::cpp_client_python() else {
        return;
    };
    let mut pair = Pair::start("SYNC_MASTER", "SYNC_FLUSH").await;
    let client = RemotingClient::default();
    let master = pair.master_addr();
    let total = 40;
    for i in 0..total {
        let body = format!("body-{i}").into_bytes();
        let (code, _) = send(&client, &master, i % QUEUES, body).await.unwrap();
        assert_eq!(code, 0);
    }
    let mut m = pair.master.take().unwrap();
    m.child.kill().unwrap();
    m.child.wait().unwrap();
    let namesrv = pair._ns.addr.to_string();
    let consumed = tokio::task::spawn_blocking({
        let home = pair.dir.path().to_path_buf();
        move || {
            common::run_cpp_json(
                &python,
                "cpp_push_count.py",
                &[
                    &namesrv,
                    TOPIC,
                    "*",
                    "ha-cpp-group",
                    "120",
                    &total.to_string(),
                ],
                &home,
            )
        }
    })
    .await
    .unwrap();
    // 40 distinct bodies numbered 0..=39: exactly the messages sent, none missing.
    assert_eq!(
        (
            &consumed["distinct"],
            &consumed["bodies_min"],
            &consumed["bodies_max"]
        ),
        (
            &serde_json::Value::from(total),
            &serde_json::Value::from(0),
            &serde_json::Value::from(total - 1)
        ),
        "C++ consumer on the slave: {consumed}\n{}",
        pair.logs()
    );
}
