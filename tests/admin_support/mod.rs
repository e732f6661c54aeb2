//! Test support for the admin commands: run the `rmqctl` binary and normalise its output, and an
//! in-process stand-in broker that registers with a real `rmqctl namesrv` and answers the admin
//! requests from fixed, known state (used until the bundled broker is on main).
#![allow(dead_code)]

use rmqctl::protocol::consumer::{
    ConsumeStats, MessageQueue, OffsetWrapper, SubscriptionGroupConfig, SubscriptionGroupWrapper,
    TopicOffset, TopicStatsTable,
};
use rmqctl::protocol::fastjson;
use rmqctl::protocol::kv::KvTable;
use rmqctl::protocol::topic::{DataVersion, RegisterBrokerBody, TopicConfig};
use rmqctl::remoting::client::RemotingClient;
use rmqctl::remoting::headers::*;
use rmqctl::remoting::server::{Connection, RemotingServer, RequestProcessor, ServerConfig};
use rmqctl::remoting::{RemotingCommand, RequestCode, ResponseCode};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Run `rmqctl ARGS` with a clean environment for name-server discovery.
pub fn rmqctl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rmqctl"))
        .args(args)
        .env_remove("NAMESRV_ADDR")
        .env(
            "XDG_CACHE_HOME",
            std::env::temp_dir().join("rmqctl-test-cache"),
        )
        .output()
        .expect("run rmqctl")
}

/// Stdout as text with the given addresses replaced by stable names.
pub fn normalised(out: &Output, names: &[(&str, &str)]) -> String {
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    for (addr, name) in names {
        text = text.replace(addr, name);
    }
    text
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Known state of the stand-in broker.
#[derive(Default)]
pub struct FakeState {
    pub topics: BTreeMap<String, TopicConfig>,
    /// (group, topic, queue) -> committed offset.
    pub consumer_offsets: BTreeMap<(String, String, i32), i64>,
    pub config: BTreeMap<String, String>,
    /// Number of UPDATE_AND_CREATE_TOPIC requests received.
    pub creates: usize,
}

/// Max offset of queue `q` of any topic: 5 + q.
pub fn max_offset(q: i32) -> i64 {
    5 + i64::from(q)
}

pub struct FakeBroker {
    pub addr: String,
    pub state: Arc<Mutex<FakeState>>,
    shutdown: tokio::sync::watch::Sender<bool>,
}

impl Drop for FakeBroker {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

struct Processor {
    state: Arc<Mutex<FakeState>>,
    namesrv: String,
    name: String,
    addr: String,
    client: RemotingClient,
}

/// Start a stand-in broker `broker-a` of `DefaultCluster` and register it with `namesrv`.
pub async fn start_fake_broker(namesrv: &str, topics: &[&str]) -> FakeBroker {
    let state = Arc::new(Mutex::new(FakeState::default()));
    {
        let mut s = state.lock().unwrap();
        for t in topics {
            s.topics.insert(t.to_string(), TopicConfig::new(t, 4));
        }
        s.consumer_offsets
            .insert(("cg1".into(), "TopicTest".into(), 0), 2);
        s.consumer_offsets
            .insert(("cg1".into(), "TopicTest".into(), 1), 6);
        s.config.insert("brokerName".into(), "broker-a".into());
        s.config.insert("brokerPermission".into(), "6".into());
    }
    let listen: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let std_listener = std::net::TcpListener::bind(listen).unwrap();
    let addr = std_listener.local_addr().unwrap();
    drop(std_listener);
    let processor = Arc::new(Processor {
        state: state.clone(),
        namesrv: namesrv.into(),
        name: "broker-a".into(),
        addr: addr.to_string(),
        client: RemotingClient::default(),
    });
    let server = RemotingServer::bind(ServerConfig::new(addr), processor.clone())
        .await
        .unwrap();
    let (tx, rx) = tokio::sync::watch::channel(false);
    tokio::spawn(server.run(rx));
    processor.register().await;
    FakeBroker {
        addr: addr.to_string(),
        state,
        shutdown: tx,
    }
}

impl Processor {
    async fn register(&self) {
        let mut body = RegisterBrokerBody::default();
        let wrapper = &mut body.topic_config_serialize_wrapper;
        wrapper.data_version = DataVersion::now();
        wrapper.topic_config_table = self.state.lock().unwrap().topics.clone();
        let bytes = fastjson::to_vec(&body).unwrap();
        let header = RegisterBrokerRequestHeader {
            broker_name: self.name.clone(),
            broker_addr: self.addr.clone(),
            cluster_name: "DefaultCluster".into(),
            ha_server_addr: self.addr.clone(),
            broker_id: 0,
            compressed: false,
            body_crc32: Some((crc32fast::hash(&bytes) & 0x7FFF_FFFF) as i32),
            ..Default::default()
        };
        let request = RemotingCommand::request(RequestCode::REGISTER_BROKER)
            .with_header(&header)
            .with_body(bytes);
        self.client
            .invoke_ok(&self.namesrv, request, Duration::from_secs(3))
            .await
            .expect("register the stand-in broker");
    }

    fn answer(&self, req: &RemotingCommand) -> (RemotingCommand, bool) {
        let mut s = self.state.lock().unwrap();
        let ok_json = |v: Vec<u8>| RemotingCommand::success().with_body(v);
        let code = RequestCode::from_code(req.code);
        let response = match code {
            Some(RequestCode::GET_BROKER_RUNTIME_INFO) => {
                let mut kv = KvTable::default();
                for (k, v) in [
                    ("brokerVersionDesc", "V5_3_3"),
                    ("putTps", "12.5 10.0 9.0"),
                    ("getTransferredTps", "3.0 2.0 1.0"),
                    ("msgPutTotalTodayMorning", "100"),
                    ("msgPutTotalTodayNow", "142"),
                    ("msgGetTotalTodayMorning", "10"),
                    ("msgGetTotalTodayNow", "17"),
                    ("commitLogMaxOffset", "4096"),
                ] {
                    kv.table.insert(k.into(), v.into());
                }
                ok_json(fastjson::to_vec(&kv).unwrap())
            }
            Some(RequestCode::GET_TOPIC_CONFIG) => {
                let h: GetTopicConfigRequestHeader = req.header().unwrap();
                match s.topics.get(&h.topic) {
                    Some(c) => ok_json(fastjson::to_vec(c).unwrap()),
                    None => RemotingCommand::response(ResponseCode::TOPIC_NOT_EXIST, None),
                }
            }
            Some(RequestCode::UPDATE_AND_CREATE_TOPIC) => {
                let h: CreateTopicRequestHeader = req.header().unwrap();
                let mut c = TopicConfig::new(&h.topic, h.read_queue_nums);
                c.write_queue_nums = h.write_queue_nums;
                c.perm = h.perm;
                c.order = h.order;
                s.topics.insert(h.topic, c);
                s.creates += 1;
                return (RemotingCommand::success(), true);
            }
            Some(RequestCode::DELETE_TOPIC_IN_BROKER) => {
                let h: TopicRequestHeader = req.header().unwrap();
                s.topics.remove(&h.topic);
                return (RemotingCommand::success(), true);
            }
            Some(RequestCode::GET_TOPIC_STATS_INFO) => {
                let h: TopicRequestHeader = req.header().unwrap();
                let Some(c) = s.topics.get(&h.topic) else {
                    return (
                        RemotingCommand::response(ResponseCode::TOPIC_NOT_EXIST, None),
                        false,
                    );
                };
                let mut t = TopicStatsTable::default();
                for q in 0..c.read_queue_nums.max(c.write_queue_nums) {
                    t.offset_table.insert(
                        mq(&h.topic, q),
                        TopicOffset {
                            last_update_timestamp: 1_700_000_000_000 + i64::from(q),
                            max_offset: max_offset(q),
                            min_offset: 0,
                        },
                    );
                }
                ok_json(fastjson::to_vec(&t).unwrap())
            }
            Some(RequestCode::GET_CONSUME_STATS) => {
                let h: GetConsumeStatsRequestHeader = req.header().unwrap();
                let mut stats = ConsumeStats::default();
                // Like Apache: every queue of every topic the group has an offset for.
                let topics: std::collections::BTreeSet<String> = s
                    .consumer_offsets
                    .keys()
                    .filter(|(g, t, _)| {
                        *g == h.consumer_group && h.topic.as_ref().is_none_or(|w| w == t)
                    })
                    .map(|(_, t, _)| t.clone())
                    .collect();
                for topic in topics {
                    let queues = s.topics.get(&topic).map_or(0, |c| c.read_queue_nums);
                    for q in 0..queues {
                        let key = (h.consumer_group.clone(), topic.clone(), q);
                        let off = s.consumer_offsets.get(&key).copied().unwrap_or(0);
                        stats.offset_table.insert(
                            mq(&topic, q),
                            OffsetWrapper {
                                broker_offset: max_offset(q),
                                consumer_offset: off,
                                last_timestamp: 1_700_000_000_000,
                                pull_offset: Some(off),
                            },
                        );
                    }
                }
                ok_json(fastjson::to_vec(&stats).unwrap())
            }
            Some(RequestCode::GET_CONSUMER_CONNECTION_LIST)
            | Some(RequestCode::INVOKE_BROKER_TO_RESET_OFFSET) => RemotingCommand::response(
                ResponseCode::CONSUMER_NOT_ONLINE,
                Some("not online".into()),
            ),
            Some(RequestCode::GET_ALL_SUBSCRIPTIONGROUP_CONFIG) => {
                let mut w = SubscriptionGroupWrapper::default();
                for g in ["cg1", "TOOLS_CONSUMER"] {
                    w.subscription_group_table
                        .insert(g.into(), SubscriptionGroupConfig::named(g));
                }
                ok_json(fastjson::to_vec(&w).unwrap())
            }
            Some(RequestCode::QUERY_CONSUMER_OFFSET) => {
                let h: QueryConsumerOffsetRequestHeader = req.header().unwrap();
                match s
                    .consumer_offsets
                    .get(&(h.consumer_group, h.topic, h.queue_id))
                {
                    Some(o) => {
                        RemotingCommand::success().with_header(&OffsetResponseHeader { offset: *o })
                    }
                    None => RemotingCommand::response(ResponseCode::QUERY_NOT_FOUND, None),
                }
            }
            Some(RequestCode::UPDATE_CONSUMER_OFFSET) => {
                let h: UpdateConsumerOffsetRequestHeader = req.header().unwrap();
                s.consumer_offsets
                    .insert((h.consumer_group, h.topic, h.queue_id), h.commit_offset);
                RemotingCommand::success()
            }
            Some(RequestCode::GET_MIN_OFFSET) => {
                RemotingCommand::success().with_header(&OffsetResponseHeader { offset: 0 })
            }
            Some(RequestCode::GET_MAX_OFFSET) => {
                let h: GetMaxOffsetRequestHeader = req.header().unwrap();
                RemotingCommand::success().with_header(&OffsetResponseHeader {
                    offset: max_offset(h.queue_id),
                })
            }
            Some(RequestCode::SEARCH_OFFSET_BY_TIMESTAMP) => {
                RemotingCommand::success().with_header(&OffsetResponseHeader { offset: 1 })
            }
            Some(RequestCode::PULL_MESSAGE) => {
                RemotingCommand::response(ResponseCode::PULL_NOT_FOUND, None)
                    .with_header(&PullMessageResponseHeader::default())
            }
            Some(RequestCode::GET_BROKER_CONFIG) => {
                let text: String = s.config.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
                RemotingCommand::success().with_body(text.into_bytes())
            }
            Some(RequestCode::UPDATE_BROKER_CONFIG) => {
                let text = String::from_utf8_lossy(req.body_bytes()).into_owned();
                for line in text.lines() {
                    if let Some((k, v)) = line.split_once('=') {
                        s.config.insert(k.into(), v.into());
                    }
                }
                RemotingCommand::success()
            }
            _ => RemotingCommand::response(
                ResponseCode::REQUEST_CODE_NOT_SUPPORTED,
                Some("fake".into()),
            ),
        };
        (response, false)
    }
}

fn mq(topic: &str, q: i32) -> MessageQueue {
    MessageQueue {
        broker_name: "broker-a".into(),
        queue_id: q,
        topic: topic.into(),
    }
}

#[async_trait::async_trait]
impl RequestProcessor for Processor {
    async fn process(
        &self,
        _conn: &Connection,
        request: RemotingCommand,
    ) -> Option<RemotingCommand> {
        let (mut response, reregister) = self.answer(&request);
        if reregister {
            self.register().await;
        }
        response.opaque = request.opaque;
        Some(response)
    }
}
