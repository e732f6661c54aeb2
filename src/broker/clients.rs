//! `ClientRegistry`: producers and consumers known from HEART_BEAT, per group and connection,
//! with their subscriptions; expiry after 120 s without heartbeat and at connection close.

use crate::locks::lock;
use crate::protocol::consumer::{
    ClientConnection, ConsumerConnection, ConsumerData, ProducerConnection, SubscriptionData,
};
use crate::remoting::headers::ConsumerGroupRequestHeader;
use crate::remoting::server::Connection;
use crate::remoting::{RemotingCommand, RequestCode};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Mutex;

/// Requests the broker sends to clients use their own opaque counter.
static BROKER_OPAQUE: AtomicI32 = AtomicI32::new(1);

/// The opaque of the next broker-to-client request.
pub fn next_broker_opaque() -> i32 {
    BROKER_OPAQUE.fetch_add(1, Ordering::Relaxed)
}
use std::time::{Duration, Instant};

/// One client channel of a group.
#[derive(Debug, Clone)]
pub struct ClientChannel {
    pub client_id: String,
    pub conn: Connection,
    pub language: String,
    pub version: i32,
    pub last_update: Instant,
}

impl ClientChannel {
    fn connection(&self) -> ClientConnection {
        ClientConnection {
            client_addr: self.conn.peer.to_string(),
            client_id: self.client_id.clone(),
            language: self.language.clone(),
            version: self.version,
        }
    }
}

#[derive(Debug, Default)]
struct ConsumerGroup {
    channels: HashMap<u64, ClientChannel>,
    subscriptions: BTreeMap<String, SubscriptionData>,
    consume_type: String,
    message_model: String,
    consume_from_where: String,
}

/// Producer and consumer groups of one broker.
#[derive(Debug, Default)]
pub struct ClientRegistry {
    consumers: Mutex<BTreeMap<String, ConsumerGroup>>,
    producers: Mutex<BTreeMap<String, HashMap<u64, ClientChannel>>>,
}

impl ClientRegistry {
    /// Register a consumer's heartbeat; returns true when the group's membership changed
    /// (so the group's consumers must be told to rebalance).
    pub fn register_consumer(&self, data: &ConsumerData, channel: ClientChannel) -> bool {
        let mut groups = lock(&self.consumers);
        let group = groups.entry(data.group_name.clone()).or_default();
        group.consume_type = data.consume_type.clone();
        group.message_model = data.message_model.clone();
        group.consume_from_where = data.consume_from_where.clone();
        group.subscriptions = data
            .subscription_data_set
            .iter()
            .map(|s| (s.topic.clone(), s.clone()))
            .collect();
        let id = channel.conn.id;
        let is_new = !group.channels.contains_key(&id);
        group.channels.insert(id, channel);
        is_new
    }

    pub fn register_producer(&self, group: &str, channel: ClientChannel) {
        lock(&self.producers)
            .entry(group.to_string())
            .or_default()
            .insert(channel.conn.id, channel);
    }

    /// UNREGISTER_CLIENT; returns true when a consumer group lost a member.
    pub fn unregister(
        &self,
        conn_id: u64,
        producer_group: Option<&str>,
        consumer_group: Option<&str>,
    ) -> bool {
        if let Some(g) = producer_group {
            if let Some(chs) = lock(&self.producers).get_mut(g) {
                chs.remove(&conn_id);
            }
        }
        let Some(g) = consumer_group else {
            return false;
        };
        let mut groups = lock(&self.consumers);
        let removed = groups
            .get_mut(g)
            .is_some_and(|group| group.channels.remove(&conn_id).is_some());
        groups.retain(|_, group| !group.channels.is_empty());
        removed
    }

    /// Forget a closed connection; returns the consumer groups that lost a member.
    pub fn connection_closed(&self, conn_id: u64) -> Vec<String> {
        for chs in lock(&self.producers).values_mut() {
            chs.remove(&conn_id);
        }
        lock(&self.producers).retain(|_, chs| !chs.is_empty());
        let mut changed = Vec::new();
        let mut groups = lock(&self.consumers);
        for (name, group) in groups.iter_mut() {
            if group.channels.remove(&conn_id).is_some() {
                changed.push(name.clone());
            }
        }
        groups.retain(|_, g| !g.channels.is_empty());
        changed
    }

    /// Drop channels without a heartbeat for `timeout`; returns groups that lost members.
    pub fn expire(&self, now: Instant, timeout: Duration) -> Vec<String> {
        let alive = |c: &ClientChannel| now.duration_since(c.last_update) <= timeout;
        for chs in lock(&self.producers).values_mut() {
            chs.retain(|_, c| alive(c));
        }
        let mut changed = Vec::new();
        let mut groups = lock(&self.consumers);
        for (name, group) in groups.iter_mut() {
            let before = group.channels.len();
            group.channels.retain(|_, c| alive(c));
            if group.channels.len() != before {
                changed.push(name.clone());
            }
        }
        groups.retain(|_, g| !g.channels.is_empty());
        changed
    }

    /// Client ids of a group's online consumers (GET_CONSUMER_LIST_BY_GROUP).
    pub fn consumer_ids(&self, group: &str) -> Vec<String> {
        let groups = lock(&self.consumers);
        let mut ids: Vec<String> = groups
            .get(group)
            .map(|g| g.channels.values().map(|c| c.client_id.clone()).collect())
            .unwrap_or_default();
        ids.sort();
        ids.dedup();
        ids
    }

    /// Tell every consumer of `group` to rebalance (oneway NOTIFY_CONSUMER_IDS_CHANGED).
    pub fn notify_consumers_changed(&self, group: &str) {
        for conn in self.consumer_connections(group) {
            let mut cmd = RemotingCommand::request(RequestCode::NOTIFY_CONSUMER_IDS_CHANGED)
                .with_header(&ConsumerGroupRequestHeader {
                    consumer_group: group.to_string(),
                })
                .oneway();
            cmd.opaque = next_broker_opaque();
            conn.try_send(cmd);
        }
    }

    /// Connections to notify when a group changes.
    pub fn consumer_connections(&self, group: &str) -> Vec<Connection> {
        lock(&self.consumers)
            .get(group)
            .map(|g| g.channels.values().map(|c| c.conn.clone()).collect())
            .unwrap_or_default()
    }

    /// The subscription of an online group to a topic.
    pub fn subscription(&self, group: &str, topic: &str) -> Option<SubscriptionData> {
        lock(&self.consumers)
            .get(group)?
            .subscriptions
            .get(topic)
            .cloned()
    }

    /// Whether the group has online consumers.
    pub fn is_online(&self, group: &str) -> bool {
        lock(&self.consumers).contains_key(group)
    }

    /// Online groups subscribed to a topic.
    pub fn groups_subscribing(&self, topic: &str) -> BTreeSet<String> {
        lock(&self.consumers)
            .iter()
            .filter(|(_, g)| g.subscriptions.contains_key(topic))
            .map(|(n, _)| n.clone())
            .collect()
    }

    /// Topics an online group subscribes to.
    pub fn subscribed_topics(&self, group: &str) -> BTreeSet<String> {
        lock(&self.consumers)
            .get(group)
            .map(|g| g.subscriptions.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// GET_CONSUMER_CONNECTION_LIST body, `None` when the group is offline.
    pub fn consumer_connection(&self, group: &str) -> Option<ConsumerConnection> {
        let groups = lock(&self.consumers);
        let g = groups.get(group)?;
        Some(ConsumerConnection {
            connection_set: g.channels.values().map(ClientChannel::connection).collect(),
            consume_from_where: Some(g.consume_from_where.clone()),
            consume_type: Some(g.consume_type.clone()),
            message_model: Some(g.message_model.clone()),
            subscription_table: g.subscriptions.clone(),
        })
    }

    /// GET_PRODUCER_CONNECTION_LIST body, `None` when the group is unknown.
    pub fn producer_connection(&self, group: &str) -> Option<ProducerConnection> {
        let producers = lock(&self.producers);
        let chs = producers.get(group)?;
        Some(ProducerConnection {
            connection_set: chs.values().map(ClientChannel::connection).collect(),
        })
    }

    /// A live connection of a producer group, picked at random (for transaction checks).
    pub fn producer_channel(&self, group: &str) -> Option<Connection> {
        let producers = lock(&self.producers);
        let channels: Vec<&ClientChannel> = producers.get(group)?.values().collect();
        let pick = rand::random::<usize>() % channels.len().max(1);
        channels.get(pick).map(|c| c.conn.clone())
    }

    /// Online consumer groups.
    pub fn consumer_groups(&self) -> BTreeSet<String> {
        lock(&self.consumers).keys().cloned().collect()
    }

    /// Counts for runtime info.
    pub fn connection_counts(&self) -> (usize, usize) {
        let c = lock(&self.consumers)
            .values()
            .map(|g| g.channels.len())
            .sum();
        let p = lock(&self.producers).values().map(|c| c.len()).sum();
        (p, c)
    }
}
