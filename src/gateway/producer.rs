//! The gateway's long-lived producer: every HTTP send goes through one of these. It keeps each
//! topic's publish route from the name servers (refreshed every 30 s and after a failure), one
//! multiplexed remoting connection per broker (the shared [`RemotingClient`]: many sends in flight
//! on one socket, matched by opaque), picks queues round-robin and retries a failed send once per
//! other broker, as a Java producer does with `retryTimesWhenSendFailed`.

use crate::admin::{Admin, AdminError};
use crate::gateway::metrics::SendStatus;
use crate::protocol::message::{new_unique_id, push_property, MessageConst};
use crate::protocol::perm;
use crate::protocol::route::TopicRouteData;
use crate::remoting::client::ClientError;
use crate::remoting::headers::SendMessageResponseHeader;
use crate::remoting::SendStatus as Stored;
use crate::remoting::{RemotingCommand, RequestCode, ResponseCode};
use bytes::Bytes;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Producer group of the gateway's messages (shows in `PGROUP`-less sends as the header's group).
pub const PRODUCER_GROUP: &str = "RMQCTL_GATEWAY_PRODUCER";
/// How long one send may wait for its broker (Java's `sendMsgTimeout`).
pub const SEND_TIMEOUT: Duration = Duration::from_secs(3);
/// How often cached routes are fetched again (Java's `pollNameServerInterval`).
pub const ROUTE_REFRESH: Duration = Duration::from_secs(30);
/// A route is fetched again after a failed send at most this often.
const REFRESH_AFTER_FAILURE: Duration = Duration::from_secs(1);
/// Brokers tried for one message at most (the first and two others, like Java's default).
const MAX_ATTEMPTS: usize = 3;

/// One message to send: topic, body and its user properties (tags, keys, backurl...), already
/// checked; the producer adds the unique id and `WAIT`.
#[derive(Debug, Clone)]
pub struct GatewayMessage {
    pub topic: String,
    pub body: Bytes,
    /// `(name, value)` pairs; names and values hold no 0x01/0x02 separator.
    pub properties: Vec<(String, String)>,
}

/// What the broker said about a stored message.
#[derive(Debug, Clone)]
pub struct SendReceipt {
    /// The unique id (UNIQ_KEY), what Java's `SendResult.getMsgId()` returns.
    pub msg_id: String,
    pub status: SendStatus,
    pub broker_name: Arc<str>,
    pub queue_id: i32,
    pub queue_offset: i64,
}

/// Why a message was not (acceptably) stored. [`SendError::http_status`] maps it for the client.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("topic {0:?} does not exist on the cluster; create it with `rmqctl topic create`")]
    TopicNotFound(String),
    #[error("no live broker has topic {0:?}: its brokers are down or not registered with the name servers")]
    NoBroker(String),
    #[error("topic {0:?} has no writable queue on a master broker")]
    NoWritableQueue(String),
    #[error("cannot look up the route of topic {topic:?}: {source}")]
    NameServer { topic: String, source: AdminError },
    #[error("no broker stored the message: {}", .0.join("; "))]
    Unavailable(Vec<String>),
    #[error("broker refused the message: {0}")]
    Refused(String),
    #[error("the message is not acceptable to the broker: {0}")]
    Illegal(String),
    #[error("the broker stored the message with status {status:?} (msg_id {msg_id}), which the gateway is not configured to accept (accept_degraded)")]
    Degraded { status: SendStatus, msg_id: String },
}

impl SendError {
    /// The HTTP status: 404 unknown topic, 400 illegal message, 502 broker refusal, 503 nothing
    /// reachable.
    pub fn http_status(&self) -> u16 {
        match self {
            SendError::TopicNotFound(_) => 404,
            SendError::Illegal(_) => 400,
            SendError::Refused(_) | SendError::Degraded { .. } => 502,
            SendError::NoWritableQueue(_)
            | SendError::NoBroker(_)
            | SendError::NameServer { .. }
            | SendError::Unavailable(_) => 503,
        }
    }

    /// The status counted in the metrics.
    pub fn metric_status(&self) -> SendStatus {
        match self {
            SendError::Degraded { status, .. } => *status,
            SendError::Refused(_) | SendError::Illegal(_) | SendError::TopicNotFound(_) => {
                SendStatus::refused
            }
            _ => SendStatus::unavailable,
        }
    }
}

/// One writable queue of a topic's route.
#[derive(Debug, Clone)]
struct QueueTarget {
    broker_name: Arc<str>,
    addr: Arc<str>,
    queue_id: i32,
}

/// A topic's writable queues (masters only), in route order.
#[derive(Debug)]
struct PublishRoute {
    queues: Vec<QueueTarget>,
    fetched: Instant,
}

impl PublishRoute {
    fn of(route: &TopicRouteData) -> Self {
        let mut queues = Vec::new();
        let mut datas: Vec<_> = route.queue_datas.iter().collect();
        datas.sort_by(|a, b| a.broker_name.cmp(&b.broker_name));
        for q in datas {
            if q.perm & perm::WRITE == 0 || q.write_queue_nums <= 0 {
                continue;
            }
            let Some(addr) = route.master_addr_of(&q.broker_name) else {
                continue;
            };
            let broker_name: Arc<str> = Arc::from(q.broker_name.as_str());
            let addr: Arc<str> = Arc::from(addr);
            queues.extend((0..q.write_queue_nums).map(|queue_id| QueueTarget {
                broker_name: broker_name.clone(),
                addr: addr.clone(),
                queue_id,
            }));
        }
        PublishRoute {
            queues,
            fetched: Instant::now(),
        }
    }
}

/// Which degraded send statuses count as success (`accept_degraded` in gateway.toml).
#[derive(Debug, Clone, Copy, Default)]
pub struct DegradedAccepted {
    pub flush_disk_timeout: bool,
    pub flush_slave_timeout: bool,
    pub slave_not_available: bool,
}

impl DegradedAccepted {
    /// Every degraded status: the master stored the message (Java's `SendResult` treats them so).
    pub fn all() -> Self {
        DegradedAccepted {
            flush_disk_timeout: true,
            flush_slave_timeout: true,
            slave_not_available: true,
        }
    }

    /// From the configured names; an unknown name is returned as the error.
    pub fn parse(names: &[String]) -> Result<Self, String> {
        let mut accepted = DegradedAccepted::default();
        for name in names {
            match Stored::from_name(name) {
                Some(Stored::FLUSH_DISK_TIMEOUT) => accepted.flush_disk_timeout = true,
                Some(Stored::FLUSH_SLAVE_TIMEOUT) => accepted.flush_slave_timeout = true,
                Some(Stored::SLAVE_NOT_AVAILABLE) => accepted.slave_not_available = true,
                Some(Stored::SEND_OK) | None => return Err(name.clone()),
            }
        }
        Ok(accepted)
    }

    fn accepts(&self, status: Stored) -> bool {
        match status {
            Stored::SEND_OK => true,
            Stored::FLUSH_DISK_TIMEOUT => self.flush_disk_timeout,
            Stored::FLUSH_SLAVE_TIMEOUT => self.flush_slave_timeout,
            Stored::SLAVE_NOT_AVAILABLE => self.slave_not_available,
        }
    }
}

/// The metrics label of a stored message's status.
fn metric_status(status: Stored) -> SendStatus {
    match status {
        Stored::SEND_OK => SendStatus::SEND_OK,
        Stored::FLUSH_DISK_TIMEOUT => SendStatus::FLUSH_DISK_TIMEOUT,
        Stored::FLUSH_SLAVE_TIMEOUT => SendStatus::FLUSH_SLAVE_TIMEOUT,
        Stored::SLAVE_NOT_AVAILABLE => SendStatus::SLAVE_NOT_AVAILABLE,
    }
}

/// How one attempt on one broker ended.
enum Attempt {
    Stored(SendReceipt),
    /// Worth trying another broker; the reason names the broker.
    TryOther(String),
    Failed(SendError),
}

/// The shared producer (cheap to clone).
#[derive(Clone)]
pub struct Producer {
    inner: Arc<Inner>,
}

struct Inner {
    admin: Admin,
    /// The gateway's own topic: known to exist, so a missing route means its brokers are down.
    home_topic: String,
    routes: RwLock<HashMap<String, Arc<PublishRoute>>>,
    /// Topics whose route is being fetched after a failure (one fetch at a time per topic).
    refreshing: std::sync::Mutex<std::collections::HashSet<String>>,
    next_queue: AtomicUsize,
    /// The address put into unique ids (the interface towards the first name server).
    client_ip: IpAddr,
    accepted: DegradedAccepted,
}

impl Producer {
    /// A producer sending through `admin`'s client to the brokers its name servers name;
    /// `home_topic` is the topic the gateway made sure exists.
    pub fn new(admin: Admin, home_topic: &str, accepted: DegradedAccepted) -> Self {
        let client_ip = admin
            .namesrvs
            .addrs()
            .first()
            .map(|a| crate::remoting::client::local_ip_towards(a))
            .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
        Producer {
            inner: Arc::new(Inner {
                admin,
                home_topic: home_topic.to_string(),
                routes: RwLock::new(HashMap::new()),
                refreshing: Default::default(),
                next_queue: AtomicUsize::new(0),
                client_ip,
                accepted,
            }),
        }
    }

    /// The admin session (name servers and client) the producer uses.
    pub fn admin(&self) -> &Admin {
        &self.inner.admin
    }

    /// Send one message; retried on other brokers when one fails.
    pub async fn send(&self, message: &GatewayMessage) -> Result<SendReceipt, SendError> {
        let route = self.route(&message.topic).await?;
        if route.queues.is_empty() {
            self.spawn_refresh(&message.topic, &route);
            return Err(SendError::NoWritableQueue(message.topic.clone()));
        }
        let msg_id = new_unique_id(self.inner.client_ip);
        let properties = encode_properties(message, &msg_id);
        let start = self.inner.next_queue.fetch_add(1, Ordering::Relaxed);
        let mut failed_brokers: Vec<Arc<str>> = Vec::new();
        let mut reasons = Vec::new();
        for n in 0..route.queues.len() {
            if failed_brokers.len() >= MAX_ATTEMPTS {
                break;
            }
            let queue = &route.queues[(start + n) % route.queues.len()];
            if failed_brokers.contains(&queue.broker_name) {
                continue;
            }
            match self
                .attempt(message, queue, properties.clone(), &msg_id)
                .await
            {
                Attempt::Stored(receipt) => return Ok(receipt),
                Attempt::Failed(e) => return Err(e),
                Attempt::TryOther(reason) => {
                    reasons.push(reason);
                    failed_brokers.push(queue.broker_name.clone());
                    self.spawn_refresh(&message.topic, &route);
                }
            }
        }
        Err(SendError::Unavailable(reasons))
    }

    async fn attempt(
        &self,
        message: &GatewayMessage,
        queue: &QueueTarget,
        properties: String,
        msg_id: &str,
    ) -> Attempt {
        let request = crate::admin::messages::send_message_v2(
            PRODUCER_GROUP,
            &message.topic,
            queue.queue_id,
            &queue.broker_name,
            properties,
            message.body.clone(),
        );
        let client = &self.inner.admin.client;
        let response = match client.invoke(&queue.addr, request, SEND_TIMEOUT).await {
            Ok(response) => response,
            Err(e) => return Attempt::TryOther(transport_reason(&queue.broker_name, &e)),
        };
        let Some(stored) = Stored::from_code(response.code) else {
            return self.refusal(queue, &response);
        };
        let status = metric_status(stored);
        if !self.inner.accepted.accepts(stored) {
            return Attempt::Failed(SendError::Degraded {
                status,
                msg_id: msg_id.to_string(),
            });
        }
        let answer: SendMessageResponseHeader = match response.header() {
            Ok(h) => h,
            Err(e) => {
                return Attempt::Failed(SendError::Refused(format!(
                    "{} ({}) answered a send with an unreadable header: {e}",
                    queue.broker_name, queue.addr
                )))
            }
        };
        Attempt::Stored(SendReceipt {
            msg_id: msg_id.to_string(),
            status,
            broker_name: queue.broker_name.clone(),
            queue_id: answer.queue_id,
            queue_offset: answer.queue_offset,
        })
    }

    /// A broker's non-success answer: busy or unable brokers are worth another try elsewhere.
    fn refusal(&self, queue: &QueueTarget, response: &RemotingCommand) -> Attempt {
        let what = ClientError::remote(&queue.addr, RequestCode::SEND_MESSAGE_V2.code(), response)
            .to_string();
        let what = format!("{} {what}", queue.broker_name);
        match ResponseCode::from_code(response.code) {
            Some(
                ResponseCode::SYSTEM_ERROR
                | ResponseCode::SYSTEM_BUSY
                | ResponseCode::SERVICE_NOT_AVAILABLE
                | ResponseCode::TOPIC_NOT_EXIST
                | ResponseCode::NO_PERMISSION,
            ) => Attempt::TryOther(what),
            Some(ResponseCode::MESSAGE_ILLEGAL) => Attempt::Failed(SendError::Illegal(what)),
            _ => Attempt::Failed(SendError::Refused(what)),
        }
    }

    /// The cached route of `topic`, fetched from the name servers when there is none.
    async fn route(&self, topic: &str) -> Result<Arc<PublishRoute>, SendError> {
        if let Some(route) = crate::locks::read_lock(&self.inner.routes).get(topic) {
            return Ok(route.clone());
        }
        self.fetch_route(topic).await
    }

    /// Ask the name servers for `topic`'s route and cache it. When they know no broker with a
    /// topic that had a route (or the gateway's own), its brokers are down: the last route is
    /// kept, so sends keep trying them (503) until they are back.
    async fn fetch_route(&self, topic: &str) -> Result<Arc<PublishRoute>, SendError> {
        let data = match self.inner.admin.route_data(topic).await {
            Ok(data) => data,
            Err(AdminError::TopicNotFound(_)) => {
                let known = topic == self.inner.home_topic
                    || crate::locks::read_lock(&self.inner.routes).contains_key(topic);
                return Err(if known {
                    SendError::NoBroker(topic.to_string())
                } else {
                    SendError::TopicNotFound(topic.to_string())
                });
            }
            Err(source) => {
                return Err(SendError::NameServer {
                    topic: topic.to_string(),
                    source,
                })
            }
        };
        let route = Arc::new(PublishRoute::of(&data));
        crate::locks::write_lock(&self.inner.routes).insert(topic.to_string(), route.clone());
        Ok(route)
    }

    /// Fetch `topic`'s route again in the background unless `seen` is very fresh or a fetch
    /// is already under way.
    fn spawn_refresh(&self, topic: &str, seen: &PublishRoute) {
        if seen.fetched.elapsed() < REFRESH_AFTER_FAILURE
            || !crate::locks::lock(&self.inner.refreshing).insert(topic.to_string())
        {
            return;
        }
        let producer = self.clone();
        let topic = topic.to_string();
        tokio::spawn(async move {
            if let Err(e) = producer.fetch_route(&topic).await {
                tracing::debug!(%topic, error = %e, "route refresh after a failed send");
            }
            crate::locks::lock(&producer.inner.refreshing).remove(&topic);
        });
    }

    /// Fetch `topic`'s route now (at start, so the first send does not wait for it).
    pub async fn load_route(&self, topic: &str) -> Result<(), SendError> {
        self.fetch_route(topic).await.map(|_| ())
    }

    /// Fetch every cached route again; failures keep the last route.
    pub async fn refresh_routes(&self) {
        let topics: Vec<String> = crate::locks::read_lock(&self.inner.routes)
            .keys()
            .cloned()
            .collect();
        for topic in topics {
            if let Err(e) = self.fetch_route(&topic).await {
                tracing::debug!(%topic, error = %e, "periodic route refresh");
            }
        }
    }

    /// Refresh the cached routes every [`ROUTE_REFRESH`] until `shutdown` is cancelled.
    pub fn spawn_route_refresh(
        &self,
        shutdown: tokio_util::sync::CancellationToken,
    ) -> tokio::task::JoinHandle<()> {
        let producer = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(ROUTE_REFRESH);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            tick.tick().await;
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = tick.tick() => producer.refresh_routes().await,
                }
            }
        })
    }
}

/// Why a send could not reach a broker, naming it.
fn transport_reason(broker_name: &str, e: &ClientError) -> String {
    format!("{broker_name}: {e}")
}

/// The encoded properties of `message`: its own, then the unique id and `WAIT=true`.
fn encode_properties(message: &GatewayMessage, msg_id: &str) -> String {
    let mut encoded = String::with_capacity(96);
    for (name, value) in &message.properties {
        push_property(&mut encoded, name, value);
    }
    push_property(
        &mut encoded,
        MessageConst::UNIQ_CLIENT_MESSAGE_ID_KEYIDX,
        msg_id,
    );
    push_property(&mut encoded, MessageConst::WAIT_STORE_MSG_OK, "true");
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::route::{BrokerData, QueueData};

    fn route() -> TopicRouteData {
        let broker = |name: &str, port: u16| BrokerData {
            cluster: "c".into(),
            broker_name: name.into(),
            broker_addrs: [(0, format!("127.0.0.1:{port}"))].into_iter().collect(),
            ..Default::default()
        };
        let queues = |name: &str, n: i32, perm: i32| QueueData {
            broker_name: name.into(),
            read_queue_nums: n,
            write_queue_nums: n,
            perm,
            ..Default::default()
        };
        TopicRouteData {
            broker_datas: vec![broker("b", 2), broker("a", 1), broker("ro", 3)],
            queue_datas: vec![queues("b", 2, 6), queues("a", 3, 6), queues("ro", 4, 4)],
            ..Default::default()
        }
    }

    #[test]
    fn publish_route_lists_the_writable_queues_of_masters_in_broker_order() {
        let r = PublishRoute::of(&route());
        let seen: Vec<(String, i32)> = r
            .queues
            .iter()
            .map(|q| (q.broker_name.to_string(), q.queue_id))
            .collect();
        assert_eq!(
            seen,
            [("a", 0), ("a", 1), ("a", 2), ("b", 0), ("b", 1)]
                .map(|(b, q)| (b.to_string(), q))
                .to_vec()
        );
    }

    #[test]
    fn degraded_statuses_are_parsed_and_checked() {
        let d = DegradedAccepted::parse(&["FLUSH_DISK_TIMEOUT".into()]).unwrap();
        assert!(d.accepts(Stored::SEND_OK));
        assert!(d.accepts(Stored::FLUSH_DISK_TIMEOUT));
        assert!(!d.accepts(Stored::SLAVE_NOT_AVAILABLE));
        assert_eq!(
            DegradedAccepted::parse(&["SEND_OK!".into()]).unwrap_err(),
            "SEND_OK!"
        );
    }

    #[test]
    fn properties_end_with_the_unique_id_and_wait() {
        let m = GatewayMessage {
            topic: "T".into(),
            body: Bytes::from_static(b"{}"),
            properties: vec![("TAGS".into(), "t".into())],
        };
        assert_eq!(
            encode_properties(&m, "ID"),
            "TAGS\u{1}t\u{2}UNIQ_KEY\u{1}ID\u{2}WAIT\u{1}true\u{2}"
        );
    }
}
