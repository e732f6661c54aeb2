//! The load generator behind `rmqctl bench produce|consume`: producers sending SEND_MESSAGE_V2 /
//! SEND_BATCH_MESSAGE and consumers pulling PULL_MESSAGE straight over `RemotingClient`, with a
//! latency histogram and a report of messages/s and p50/p99/p999 latency. Self-contained: it
//! needs only the remoting client and the route body, so it runs against any RocketMQ broker.

pub mod consumer;
pub mod histogram;
pub mod pipeline;
pub mod producer;

use crate::protocol::fastjson;
use crate::protocol::route::TopicRouteData;
use crate::remoting::client::{ClientError, RemotingClient};
use crate::remoting::headers::GetRouteInfoRequestHeader;
use crate::remoting::{RemotingCommand, RequestCode};
use histogram::LatencyHistogram;
use serde::Serialize;
use std::time::Duration;

pub use consumer::{run_consume, ConsumeOptions};
pub use producer::{run_produce, ProduceOptions};

/// Time allowed for one request.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Topic the broker auto-creates new topics from.
const AUTO_CREATE_KEY_TOPIC: &str = "TBW102";

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("route lookup of {topic} at name server {namesrv} failed: {source}")]
    Route {
        topic: String,
        namesrv: String,
        source: Box<ClientError>,
    },
    #[error("the route of {topic} names no master broker (name server {namesrv})")]
    NoMaster { topic: String, namesrv: String },
    #[error(
        "name server {namesrv} has no route for {topic} nor for TBW102: is a broker registered?"
    )]
    NoRoute { topic: String, namesrv: String },
    #[error("the route of {topic} from {namesrv} could not be read: {reason}")]
    BadRoute {
        topic: String,
        namesrv: String,
        reason: String,
    },
    #[error("invalid option: {0}")]
    Option(String),
}

/// Where the load goes: a broker address, directly or looked up through name servers.
#[derive(Debug, Clone)]
pub enum Endpoint {
    Namesrv(String),
    Broker(String),
}

/// The broker to load and how many queues the topic has there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub broker: String,
    pub queues: i32,
}

/// Resolve the broker for `topic`. Through a name server an unknown topic falls back to the
/// TBW102 route (the broker then auto-creates the topic with `default_queues` queues).
pub async fn resolve_target(
    client: &RemotingClient,
    endpoint: &Endpoint,
    topic: &str,
    default_queues: i32,
) -> Result<Target, BenchError> {
    let namesrv = match endpoint {
        Endpoint::Broker(addr) => {
            return Ok(Target {
                broker: addr.clone(),
                queues: default_queues,
            })
        }
        Endpoint::Namesrv(list) => first_namesrv(list)?,
    };
    let (route, found) = match route_of(client, &namesrv, topic).await? {
        Some(route) => (route, true),
        None => match route_of(client, &namesrv, AUTO_CREATE_KEY_TOPIC).await? {
            Some(route) => (route, false),
            None => {
                return Err(BenchError::NoRoute {
                    topic: topic.into(),
                    namesrv,
                })
            }
        },
    };
    let broker = route
        .broker_datas
        .iter()
        .find_map(|b| b.master_addr().map(str::to_string))
        .ok_or_else(|| BenchError::NoMaster {
            topic: topic.into(),
            namesrv: namesrv.clone(),
        })?;
    let queues = if found {
        route
            .queue_datas
            .iter()
            .map(|q| q.write_queue_nums)
            .max()
            .unwrap_or(default_queues)
    } else {
        default_queues
    };
    Ok(Target { broker, queues })
}

fn first_namesrv(list: &str) -> Result<String, BenchError> {
    list.split(';')
        .map(str::trim)
        .find(|a| !a.is_empty())
        .map(str::to_string)
        .ok_or_else(|| BenchError::Option(format!("no name-server address in `{list}`")))
}

/// The route of `topic`, or `None` if the name server does not know it.
async fn route_of(
    client: &RemotingClient,
    namesrv: &str,
    topic: &str,
) -> Result<Option<TopicRouteData>, BenchError> {
    let req = RemotingCommand::request(RequestCode::GET_ROUTEINFO_BY_TOPIC).with_header(
        &GetRouteInfoRequestHeader {
            topic: topic.into(),
            accept_standard_json_only: None,
        },
    );
    let response = client
        .invoke(namesrv, req, REQUEST_TIMEOUT)
        .await
        .map_err(|source| BenchError::Route {
            topic: topic.into(),
            namesrv: namesrv.into(),
            source: Box::new(source),
        })?;
    if !response.is_success() {
        return Ok(None);
    }
    fastjson::from_slice(response.body_bytes())
        .map(Some)
        .map_err(|e| BenchError::BadRoute {
            topic: topic.into(),
            namesrv: namesrv.into(),
            reason: e.to_string(),
        })
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatencyMs {
    pub p50: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
}

impl LatencyMs {
    pub fn of(h: &LatencyHistogram) -> Self {
        let ms = |us: u64| us as f64 / 1000.0;
        LatencyMs {
            p50: ms(h.percentile(0.50)),
            p99: ms(h.percentile(0.99)),
            p999: ms(h.percentile(0.999)),
            max: ms(h.max()),
        }
    }
}

/// What one run measured; `-o json` prints it as is (snake_case fields, like every command).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchReport {
    /// "produce" or "consume".
    pub mode: &'static str,
    pub broker: String,
    pub topic: String,
    pub connections: usize,
    /// Concurrent producers, or queues pulled in parallel.
    pub workers: usize,
    pub message_size: usize,
    pub batch: usize,
    pub seconds: f64,
    pub messages: u64,
    /// Of `messages`, those stored on the master but answered FLUSH_DISK_TIMEOUT,
    /// FLUSH_SLAVE_TIMEOUT or SLAVE_NOT_AVAILABLE instead of SEND_OK (produce).
    pub degraded: u64,
    pub requests: u64,
    pub errors: u64,
    pub msgs_per_sec: f64,
    pub mib_per_sec: f64,
    /// Send latency (produce) or pull round-trip latency (consume).
    pub latency_ms: LatencyMs,
    /// The first failure seen, if any.
    pub first_error: Option<String>,
}

/// Counters of one worker, merged at the end of a run.
#[derive(Debug, Default, Clone)]
pub struct WorkerStats {
    pub latency: LatencyHistogram,
    pub messages: u64,
    pub degraded: u64,
    pub bytes: u64,
    pub requests: u64,
    pub errors: u64,
    pub first_error: Option<String>,
}

impl WorkerStats {
    pub fn failed(&mut self, error: String) {
        self.errors += 1;
        self.first_error.get_or_insert(error);
    }

    pub fn merge(&mut self, other: &WorkerStats) {
        self.latency.merge(&other.latency);
        self.messages += other.messages;
        self.degraded += other.degraded;
        self.bytes += other.bytes;
        self.requests += other.requests;
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error.clone_from(&other.first_error);
        }
    }
}

/// Open `n` separate clients (one TCP connection each to the broker).
pub fn clients(
    n: usize,
    tls: &Option<crate::remoting::tls::TlsConnect>,
    hook: Option<&Hook>,
) -> Vec<RemotingClient> {
    (0..n.max(1))
        .map(|_| match hook {
            Some(h) => client_with(tls).with_hook(h.clone()),
            None => client_with(tls),
        })
        .collect()
}

/// What signs the requests of a run (an ACL account), if anything.
pub type Hook = std::sync::Arc<dyn crate::remoting::request_hook::RequestHook>;

/// A client connecting with TLS when `tls` is set.
pub fn client_with(tls: &Option<crate::remoting::tls::TlsConnect>) -> RemotingClient {
    RemotingClient::new(crate::remoting::client::ClientConfig {
        tls: tls.clone(),
        ..Default::default()
    })
}
