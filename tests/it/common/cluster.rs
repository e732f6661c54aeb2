//! The fixture most process tests share: a real `rmqctl namesrv` and N real `rmqctl broker`
//! processes in one temp directory, started and waited for until every broker is registered.

use super::{BrokerSpec, ServerProcess};
use rmqctl::protocol::fastjson;
use rmqctl::protocol::route::ClusterInfo;
use rmqctl::remoting::frame::{decode_frame, encode_frame};
use rmqctl::remoting::{RemotingCommand, RequestCode};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long brokers may take to register (debug builds on a busy 2-core machine).
const REGISTER_LIMIT: Duration = Duration::from_secs(60);

/// A name server and its brokers; every process is killed when this is dropped.
pub struct Cluster {
    pub dir: tempfile::TempDir,
    pub namesrv: ServerProcess,
    pub brokers: Vec<ServerProcess>,
    specs: Vec<(String, i64)>,
}

impl Cluster {
    /// A name server and one `BrokerSpec::default()` broker (`broker-a`, ASYNC_MASTER).
    pub fn single() -> Cluster {
        Cluster::start(&[BrokerSpec::default()])
    }

    /// A name server and one default broker with `extra` lines in its properties.
    pub fn single_with(extra: &str) -> Cluster {
        Cluster::start(&[BrokerSpec {
            extra,
            ..BrokerSpec::default()
        }])
    }

    /// A name server and the brokers of `specs`, started in order; returns once the name server
    /// lists each of them under its name and id.
    pub fn start(specs: &[BrokerSpec]) -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        let namesrv = super::start_namesrv(dir.path(), 120_000);
        let brokers = specs
            .iter()
            .map(|spec| super::start_broker(dir.path(), namesrv.addr, spec))
            .collect();
        let cluster = Cluster {
            dir,
            namesrv,
            brokers,
            specs: specs.iter().map(|s| (s.name.to_string(), s.id)).collect(),
        };
        cluster.wait_registered();
        cluster
    }

    /// The name server's address as `-n` takes it.
    pub fn ns(&self) -> String {
        self.namesrv.addr.to_string()
    }

    /// Create `topic` with `queues` read and write queues on every master (`admin`'s
    /// topic_create) and wait until the name server routes it.
    pub async fn create_topic(&self, topic: &str, queues: i32) {
        use rmqctl::admin::topics::{CreateTarget, TopicSpec};
        let set = rmqctl::admin::namesrv_set::NamesrvSet::parse(&self.ns()).unwrap();
        let admin = rmqctl::admin::Admin::new(set, Duration::from_secs(10));
        let spec = TopicSpec {
            topic: topic.into(),
            read_queues: queues,
            write_queues: queues,
            perm: 6,
            order: false,
        };
        admin
            .topic_create(&spec, &CreateTarget::Cluster(None))
            .await
            .unwrap();
        super::route_when_registered(self.namesrv.addr, topic).await;
    }

    /// The first broker.
    pub fn broker(&self) -> &ServerProcess {
        &self.brokers[0]
    }

    /// The directory of broker `i` (its properties, logs and store).
    pub fn broker_home(&self, i: usize) -> PathBuf {
        let (name, id) = &self.specs[i];
        self.dir.path().join(format!("{name}-{id}"))
    }

    pub fn home(&self) -> &Path {
        self.dir.path()
    }

    /// SIGTERM broker `i` (it must exit cleanly) and start it again on its port and files.
    pub fn restart_broker(&mut self, i: usize) {
        let status = self.brokers[i].terminate();
        assert!(
            status.success(),
            "broker exit {status}: {}",
            self.brokers[i].log_text()
        );
        self.start_again(i);
    }

    /// SIGKILL broker `i` and start it again on its port and files.
    pub fn kill_and_restart_broker(&mut self, i: usize) {
        let _ = self.brokers[i].child.kill();
        let _ = self.brokers[i].child.wait();
        self.start_again(i);
    }

    fn start_again(&mut self, i: usize) {
        let port = self.brokers[i].addr.port();
        self.brokers[i] = super::restart_broker(&self.broker_home(i), port);
    }

    /// Until the name server lists every broker of this cluster at its address.
    pub fn wait_registered(&self) {
        let start = Instant::now();
        loop {
            let info = cluster_info(self.namesrv.addr);
            let missing: Vec<String> = self
                .specs
                .iter()
                .zip(&self.brokers)
                .filter(|((name, id), broker)| {
                    info.as_ref()
                        .and_then(|i| i.broker_addr_table.get(name))
                        .and_then(|b| b.broker_addrs.get(id))
                        != Some(&broker.addr.to_string())
                })
                .map(|((name, id), _)| format!("{name}/{id}"))
                .collect();
            if missing.is_empty() {
                return;
            }
            assert!(
                start.elapsed() < REGISTER_LIMIT,
                "{missing:?} not registered with {} in {REGISTER_LIMIT:?}; broker logs:\n{}",
                self.namesrv.addr,
                self.brokers
                    .iter()
                    .map(ServerProcess::log_text)
                    .collect::<Vec<_>>()
                    .join("\n")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// GET_BROKER_CLUSTER_INFO from the name server at `addr` over a plain blocking socket (usable
/// from sync and async tests alike); `None` while it does not answer.
pub fn cluster_info(addr: SocketAddr) -> Option<ClusterInfo> {
    let r = invoke_blocking(
        addr,
        RemotingCommand::request(RequestCode::GET_BROKER_CLUSTER_INFO),
    )?;
    r.is_success()
        .then(|| fastjson::from_slice(r.body_bytes()).ok())
        .flatten()
}

/// One request on a fresh blocking connection; `None` on any I/O or decoding failure.
pub fn invoke_blocking(addr: SocketAddr, req: RemotingCommand) -> Option<RemotingCommand> {
    let timeout = Duration::from_secs(5);
    let mut stream = TcpStream::connect_timeout(&addr, timeout).ok()?;
    stream.set_read_timeout(Some(timeout)).ok()?;
    exchange(&mut stream, req)
}

/// Write `req` on `stream` and read one frame back.
fn exchange(stream: &mut TcpStream, mut req: RemotingCommand) -> Option<RemotingCommand> {
    req.opaque = 1;
    let mut buf = bytes::BytesMut::new();
    encode_frame(&req, &mut buf).ok()?;
    stream.write_all(&buf).ok()?;
    let mut len = [0u8; 4];
    stream.read_exact(&mut len).ok()?;
    let mut frame = vec![0u8; u32::from_be_bytes(len) as usize];
    stream.read_exact(&mut frame).ok()?;
    decode_frame(frame.into()).ok()
}

/// Register a broker `name` (master, DefaultCluster, topic TBW102) at `addr` with the name server
/// at `namesrv`, as a broker would. The returned connection must stay open: the name server
/// drops a broker whose connection closes.
pub fn register_fake_broker(namesrv: SocketAddr, name: &str, addr: &str) -> TcpStream {
    use rmqctl::protocol::topic::{RegisterBrokerBody, TopicConfig};
    use rmqctl::remoting::headers::RegisterBrokerRequestHeader;
    let mut body = RegisterBrokerBody::default();
    body.topic_config_serialize_wrapper
        .topic_config_table
        .insert("TBW102".into(), TopicConfig::new("TBW102", 4));
    let bytes = fastjson::to_vec(&body).unwrap();
    let header = RegisterBrokerRequestHeader {
        broker_name: name.into(),
        broker_addr: addr.into(),
        cluster_name: "DefaultCluster".into(),
        ha_server_addr: addr.into(),
        broker_id: 0,
        compressed: false,
        body_crc32: Some((crc32fast::hash(&bytes) & 0x7FFF_FFFF) as i32),
        ..Default::default()
    };
    let req = RemotingCommand::request(RequestCode::REGISTER_BROKER)
        .with_header(&header)
        .with_body(bytes);
    let mut stream = TcpStream::connect(namesrv).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let r = exchange(&mut stream, req).expect("REGISTER_BROKER answered");
    assert!(r.is_success(), "registration of {name} refused: {r:?}");
    stream
}
