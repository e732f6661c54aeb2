//! Headers built to be expensive, sent to real `rmqctl namesrv` and `rmqctl broker` processes
//! (issue 15): 100,000 extFields keys in a hostile order (JSON and ROCKETMQ headers) are refused
//! at once, a large header under the key cap and large bodies are answered, other connections
//! keep being served meanwhile, and SIGTERM stops the process while such requests arrive. Limits
//! here are generous caps (10 s), not speed goals: the elapsed times are printed for the record.

use crate::common;

use bytes::BufMut;
use common::{BrokerSpec, ServerProcess};
use rmqctl::protocol::fastjson;
use rmqctl::protocol::topic::{RegisterBrokerBody, TopicConfig};
use rmqctl::remoting::client::RemotingClient;
use rmqctl::remoting::headers::RegisterBrokerRequestHeader;
use rmqctl::remoting::{RemotingCommand, RequestCode};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Keys in each hostile header.
const FLOOD_KEYS: usize = 100_000;
/// Keys in the large header that is under the cap (4096) and must be answered.
const ALLOWED_KEYS: usize = 4_000;
/// Generous cap for anything that should take milliseconds.
const CAP: Duration = Duration::from_secs(10);

/// `n` keys in descending order (each one sorts before the previous: the worst order for a map
/// that scans on insert).
fn keys(n: usize) -> Vec<String> {
    (0..n).rev().map(|i| format!("key{i:06}")).collect()
}

fn frame(serialize_type: u8, header: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(header.len() + 8);
    out.put_u32(4 + header.len() as u32);
    out.put_u32((u32::from(serialize_type) << 24) | header.len() as u32);
    out.put_slice(header);
    out
}

/// A JSON header with `n` extFields keys and an optional long remark.
fn json_request(code: i32, n: usize, remark_len: usize) -> Vec<u8> {
    let fields: Vec<String> = keys(n).iter().map(|k| format!("\"{k}\":\"v\"")).collect();
    let header = format!(
        "{{\"code\":{code},\"extFields\":{{\"topic\":\"FloodTopic\",{}}},\"flag\":0,\"language\":\"JAVA\",\"opaque\":7,\"remark\":\"{}\",\"serializeTypeCurrentRPC\":\"JSON\",\"version\":401}}",
        fields.join(","),
        "r".repeat(remark_len)
    );
    frame(0, header.as_bytes())
}

/// A ROCKETMQ (binary) header with `n` extFields keys.
fn binary_request(code: i16, n: usize) -> Vec<u8> {
    let mut ext = Vec::new();
    for k in keys(n) {
        ext.put_i16(k.len() as i16);
        ext.put_slice(k.as_bytes());
        ext.put_i32(1);
        ext.put_slice(b"v");
    }
    let mut header = Vec::new();
    header.put_i16(code);
    header.put_u8(0); // JAVA
    header.put_i16(401);
    header.put_i32(7);
    header.put_i32(0);
    header.put_i32(0); // no remark
    header.put_i32(ext.len() as i32);
    header.put_slice(&ext);
    frame(1, &header)
}

/// What the server did with one request sent on a fresh connection.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// It answered (a whole response frame came back).
    Answered,
    /// It closed the connection without answering.
    Refused,
}

/// Send `request` on a new connection; wait (max [`CAP`]) for an answer or the close.
async fn send_one(addr: SocketAddr, request: &[u8]) -> (Outcome, Duration) {
    let start = Instant::now();
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let outcome = tokio::time::timeout(CAP, async {
        // The server may close while the request is still being written.
        if stream.write_all(request).await.is_err() {
            return Outcome::Refused;
        }
        let mut length = [0u8; 4];
        if stream.read_exact(&mut length).await.is_err() {
            return Outcome::Refused;
        }
        let mut rest = vec![0u8; u32::from_be_bytes(length) as usize];
        match stream.read_exact(&mut rest).await {
            Ok(_) => Outcome::Answered,
            Err(_) => Outcome::Refused,
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no answer and no close within {CAP:?}"));
    (outcome, start.elapsed())
}

/// A second connection that keeps asking `request` of the server and notes its slowest answer.
struct Probe {
    answered: Arc<AtomicU64>,
    slowest_ms: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Probe {
    async fn start(addr: SocketAddr, request: fn() -> RemotingCommand) -> Probe {
        let answered = Arc::new(AtomicU64::new(0));
        let slowest_ms = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (a, s, st) = (answered.clone(), slowest_ms.clone(), stop.clone());
        let task = tokio::spawn(async move {
            let client = RemotingClient::default();
            while !st.load(Ordering::Relaxed) {
                let start = Instant::now();
                client
                    .invoke(&addr.to_string(), request(), CAP)
                    .await
                    .expect("the probe connection is answered while the flood runs");
                s.fetch_max(start.elapsed().as_millis() as u64, Ordering::Relaxed);
                a.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        });
        let probe = Probe {
            answered,
            slowest_ms,
            stop,
            task,
        };
        probe.wait_answers(1).await;
        probe.slowest_ms.store(0, Ordering::Relaxed);
        probe
    }

    fn answered(&self) -> u64 {
        self.answered.load(Ordering::Relaxed)
    }

    /// Wait (max [`CAP`]) until the probe has `n` answers in all.
    async fn wait_answers(&self, n: u64) {
        let start = Instant::now();
        while self.answered() < n {
            assert!(
                start.elapsed() < CAP,
                "the probe stalled at {} answers",
                self.answered()
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    async fn stop(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.task.await.expect("probe task");
        self.slowest_ms.load(Ordering::Relaxed)
    }
}

fn route_request() -> RemotingCommand {
    RemotingCommand::request(RequestCode::GET_ROUTEINFO_BY_TOPIC).with_header(
        &rmqctl::remoting::headers::GetRouteInfoRequestHeader {
            topic: "TBW102".into(),
            accept_standard_json_only: None,
        },
    )
}

fn runtime_info_request() -> RemotingCommand {
    RemotingCommand::request(RequestCode::GET_BROKER_RUNTIME_INFO)
}

/// The floods against one server: each hostile header refused within the cap (and named in the
/// server's log), the large allowed one answered, and the probe connection answered throughout.
async fn flood_and_probe(
    server: &ServerProcess,
    code: i32,
    probe_request: fn() -> RemotingCommand,
    what: &str,
) {
    let probe = Probe::start(server.addr, probe_request).await;
    let shapes = [
        ("JSON", json_request(code, FLOOD_KEYS, 0)),
        ("ROCKETMQ", binary_request(code as i16, FLOOD_KEYS)),
    ];
    for (name, request) in &shapes {
        for _ in 0..3 {
            let before = probe.answered();
            let (outcome, took) = send_one(server.addr, request).await;
            assert_eq!(
                outcome,
                Outcome::Refused,
                "{what}: {name} header with {FLOOD_KEYS} keys"
            );
            eprintln!(
                "{what}: {name} header, {FLOOD_KEYS} keys, {} KiB: refused after {took:?}",
                request.len() / 1024
            );
            // Other connections are served right after (and during) it.
            probe.wait_answers(before + 2).await;
        }
    }
    let large = json_request(code, ALLOWED_KEYS, 4 * 1024 * 1024);
    let (outcome, took) = send_one(server.addr, &large).await;
    assert_eq!(
        outcome,
        Outcome::Answered,
        "{what}: a 4 MiB header with {ALLOWED_KEYS} keys"
    );
    eprintln!("{what}: JSON header, {ALLOWED_KEYS} keys + 4 MiB remark: answered after {took:?}");
    let before = probe.answered();
    probe.wait_answers(before + 2).await;
    let slowest = probe.stop().await;
    eprintln!("{what}: slowest probe answer meanwhile: {slowest} ms");
    assert!(
        slowest < CAP.as_millis() as u64,
        "{what}: the probe waited {slowest} ms"
    );
    let log = server.log_text();
    assert!(
        log.contains("more than 4096 entries") && log.contains("more than 4096 ext fields"),
        "{what}'s log names the cause:\n{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn namesrv_refuses_100000_extfields_keys_at_once_and_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let namesrv = common::start_namesrv(dir.path(), 120_000);
    flood_and_probe(&namesrv, 105, route_request, "namesrv").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broker_refuses_100000_extfields_keys_at_once_and_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let namesrv = common::start_namesrv(dir.path(), 120_000);
    let broker = common::start_broker(dir.path(), namesrv.addr, &BrokerSpec::default());
    flood_and_probe(&broker, 14, runtime_info_request, "broker").await;
}

/// Several connections keep sending costly headers (refused ones and large allowed ones); SIGTERM
/// in the middle stops the process cleanly within the cap `terminate` applies.
fn sigterm_while_flooded(mut server: ServerProcess, code: i32, what: &str) {
    let stop = Arc::new(AtomicBool::new(false));
    let addr = server.addr;
    let senders: Vec<_> = (0..3)
        .map(|i| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                use std::io::Write;
                let request = if i == 0 {
                    json_request(code, ALLOWED_KEYS, 8 * 1024 * 1024)
                } else {
                    json_request(code, FLOOD_KEYS, 0)
                };
                while !stop.load(Ordering::Relaxed) {
                    let Ok(mut stream) = std::net::TcpStream::connect(addr) else {
                        return;
                    };
                    let _ = stream.write_all(&request);
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let start = Instant::now();
    let status = server.terminate();
    let took = start.elapsed();
    stop.store(true, Ordering::Relaxed);
    for s in senders {
        s.join().unwrap();
    }
    eprintln!("{what}: stopped {took:?} after SIGTERM while flooded");
    assert!(
        status.success(),
        "{what} exit: {status}\n{}",
        server.log_text()
    );
}

#[test]
fn sigterm_stops_a_flooded_namesrv() {
    let dir = tempfile::tempdir().unwrap();
    let namesrv = common::start_namesrv(dir.path(), 120_000);
    sigterm_while_flooded(namesrv, 105, "namesrv");
}

#[test]
fn sigterm_stops_a_flooded_broker() {
    let dir = tempfile::tempdir().unwrap();
    let namesrv = common::start_namesrv(dir.path(), 120_000);
    let broker = common::start_broker(dir.path(), namesrv.addr, &BrokerSpec::default());
    sigterm_while_flooded(broker, 14, "broker");
}

/// A REGISTER_BROKER with `topics` topics: a body of about 100 bytes per topic.
fn registration(topics: usize) -> RemotingCommand {
    let mut body = RegisterBrokerBody::default();
    for i in 0..topics {
        let name = format!("BulkTopic{i:06}");
        body.topic_config_serialize_wrapper
            .topic_config_table
            .insert(name.clone(), TopicConfig::new(&name, 4));
    }
    let bytes = fastjson::to_vec(&body).unwrap();
    let header = RegisterBrokerRequestHeader {
        broker_name: "bulk-broker".into(),
        broker_addr: "127.0.0.1:10911".into(),
        cluster_name: "DefaultCluster".into(),
        ha_server_addr: "127.0.0.1:10912".into(),
        broker_id: 0,
        compressed: false,
        body_crc32: Some((crc32fast::hash(&bytes) & 0x7FFF_FFFF) as i32),
        ..Default::default()
    };
    RemotingCommand::request(RequestCode::REGISTER_BROKER)
        .with_header(&header)
        .with_body(bytes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_registration_body_is_served_beside_other_connections() {
    let dir = tempfile::tempdir().unwrap();
    let namesrv = common::start_namesrv(dir.path(), 120_000);
    let probe = Probe::start(namesrv.addr, route_request).await;
    let request = registration(50_000);
    let size = request.body_bytes().len();
    let client = RemotingClient::default();
    let start = Instant::now();
    client
        .invoke_ok(&namesrv.addr.to_string(), request, CAP)
        .await
        .expect("a 50,000-topic registration is accepted");
    eprintln!(
        "namesrv: REGISTER_BROKER with a {} KiB body answered after {:?}",
        size / 1024,
        start.elapsed()
    );
    let before = probe.answered();
    probe.wait_answers(before + 2).await;
    let slowest = probe.stop().await;
    eprintln!("namesrv: slowest probe answer meanwhile: {slowest} ms");
    let route = common::route_when_registered(namesrv.addr, "BulkTopic049999").await;
    assert_eq!(route.queue_datas[0].read_queue_nums, 4);
}
