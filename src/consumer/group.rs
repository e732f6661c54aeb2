//! The member's own loop: heartbeats to every broker of the subscribed topics, rebalancing
//! (route + member list + average allocation → start/stop queue workers), periodic commits, and
//! the orderly stop (workers drained and committed, then UNREGISTER_CLIENT so the other members
//! take the queues over at their next rebalance).

use super::allocate::allocate_averagely;
use super::broker_api::{new_client_id, BrokerApi};
use super::queue_worker::{QueueKey, QueueState, QueueWorker};
use super::{ConsumerConfig, MessageHandler};
use crate::admin::Admin;
use crate::calendar::now_millis;
use crate::protocol::consumer::{retry_topic, ConsumerData, HeartbeatData, SubscriptionData};
use crate::protocol::message::java_string_hash;
use crate::protocol::perm;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

struct Owned {
    state: Arc<QueueState>,
    stop: CancellationToken,
    join: JoinHandle<()>,
}

struct Member {
    api: BrokerApi,
    config: Arc<ConsumerConfig>,
    handler: Arc<dyn MessageHandler>,
    sub_version: i64,
    owned: BTreeMap<QueueKey, Owned>,
    /// Broker master addresses seen in the subscribed topics' routes (heartbeat targets).
    brokers: BTreeSet<String>,
    /// Topics whose route was missing at the last look, to warn once.
    missing_routes: BTreeSet<String>,
    /// The member list at the last rebalance (a change triggers one at once).
    last_members: Vec<String>,
}

/// How often the member list is looked at between rebalances (one cheap request): a member
/// that joins or leaves is seen within this, so queues overlap only briefly.
const MEMBERS_CHECK: std::time::Duration = std::time::Duration::from_secs(1);

pub async fn run(
    admin: Admin,
    config: ConsumerConfig,
    handler: Arc<dyn MessageHandler>,
    shutdown: CancellationToken,
) {
    let towards = admin.namesrvs.addrs().first().cloned().unwrap_or_default();
    let api = BrokerApi {
        admin,
        group: config.group.clone(),
        client_id: new_client_id(&towards),
    };
    tracing::info!(group = %config.group, topic = %config.topic, client = %api.client_id, "consumer starting");
    let mut member = Member {
        api,
        sub_version: now_millis(),
        config: Arc::new(config),
        handler,
        owned: BTreeMap::new(),
        brokers: BTreeSet::new(),
        missing_routes: BTreeSet::new(),
        last_members: Vec::new(),
    };
    let mut members_check = tokio::time::interval(MEMBERS_CHECK);
    let mut rebalance = tokio::time::interval(member.config.rebalance_interval);
    let mut heartbeat = tokio::time::interval(member.config.heartbeat_interval);
    let mut commit = tokio::time::interval(member.config.commit_interval);
    for t in [
        &mut rebalance,
        &mut heartbeat,
        &mut commit,
        &mut members_check,
    ] {
        t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    }
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = heartbeat.tick() => member.heartbeat_all().await,
            _ = rebalance.tick() => {
                let before = member.brokers.clone();
                member.refresh_brokers().await;
                if member.brokers != before {
                    // New brokers must know this member before it asks who the members are.
                    member.heartbeat_all().await;
                }
                member.rebalance().await;
            }
            _ = commit.tick() => member.commit_all().await,
            _ = members_check.tick() => {
                if member.members_changed().await {
                    member.rebalance().await;
                    rebalance.reset();
                }
            }
        }
    }
    member.stop().await;
}

impl Member {
    fn topics(&self) -> [String; 2] {
        [self.config.topic.clone(), retry_topic(&self.config.group)]
    }

    fn heartbeat_data(&self) -> HeartbeatData {
        let subscription = |topic: String, expression: &str| {
            let tags: BTreeSet<String> = expression
                .split("||")
                .map(str::trim)
                .filter(|t| !t.is_empty() && *t != "*")
                .map(str::to_owned)
                .collect();
            SubscriptionData {
                class_filter_mode: false,
                code_set: tags.iter().map(|t| java_string_hash(t)).collect(),
                expression_type: Some("TAG".into()),
                sub_string: expression.to_owned(),
                sub_version: self.sub_version,
                tags_set: tags,
                topic,
            }
        };
        let [topic, retry] = self.topics();
        HeartbeatData {
            client_id: self.api.client_id.clone(),
            consumer_data_set: vec![ConsumerData {
                consume_from_where: self.config.consume_from.apache_name().into(),
                consume_type: "CONSUME_PASSIVELY".into(),
                group_name: self.config.group.clone(),
                message_model: "CLUSTERING".into(),
                subscription_data_set: vec![
                    subscription(topic, &self.config.expression),
                    subscription(retry, "*"),
                ],
                unit_mode: false,
            }],
            producer_data_set: Vec::new(),
        }
    }

    async fn heartbeat_all(&mut self) {
        if self.brokers.is_empty() {
            self.refresh_brokers().await;
        }
        let data = self.heartbeat_data();
        for addr in &self.brokers {
            if let Err(e) = self.api.heartbeat(addr, &data).await {
                tracing::warn!(broker = %addr, group = %self.config.group, error = %e, "heartbeat failed");
            }
        }
    }

    /// The readable queues of `topic` with their master addresses, sorted (every member sorts
    /// the same way); `None` when the name servers have no route.
    async fn queues_of(&mut self, topic: &str) -> Option<Vec<QueueKey>> {
        let route = match self.api.admin.route_data(topic).await {
            Ok(r) => {
                self.missing_routes.remove(topic);
                r
            }
            Err(e) => {
                if self.missing_routes.insert(topic.to_owned()) {
                    tracing::warn!(%topic, group = %self.config.group, error = %e, "no route for the topic yet; will look again");
                }
                return None;
            }
        };
        let mut queues = Vec::new();
        for q in &route.queue_datas {
            if q.perm & perm::READ == 0 {
                continue;
            }
            let Some(addr) = route.master_addr_of(&q.broker_name) else {
                continue;
            };
            queues.extend((0..q.read_queue_nums).map(|queue_id| QueueKey {
                topic: topic.to_owned(),
                broker_name: q.broker_name.clone(),
                queue_id,
                addr: addr.to_owned(),
            }));
        }
        queues.sort_by(|a, b| (&a.broker_name, a.queue_id).cmp(&(&b.broker_name, b.queue_id)));
        Some(queues)
    }

    async fn refresh_brokers(&mut self) {
        let mut brokers = BTreeSet::new();
        for topic in self.topics() {
            if let Some(queues) = self.queues_of(&topic).await {
                brokers.extend(queues.into_iter().map(|q| q.addr));
            }
        }
        if !brokers.is_empty() {
            self.brokers = brokers;
        }
    }

    /// Take this member's share of each topic's queues; release the rest.
    async fn rebalance(&mut self) {
        let mut wanted = BTreeSet::new();
        let mut known_topics = BTreeSet::new();
        for topic in self.topics() {
            let Some(queues) = self.queues_of(&topic).await else {
                continue;
            };
            let Some(members) = self.members(&queues).await else {
                continue;
            };
            self.last_members.clone_from(&members);
            known_topics.insert(topic);
            wanted.extend(
                allocate_averagely(&queues, &members, &self.api.client_id)
                    .iter()
                    .cloned(),
            );
        }
        let released: Vec<QueueKey> = self
            .owned
            .keys()
            .filter(|k| known_topics.contains(&k.topic) && !wanted.contains(*k))
            .cloned()
            .collect();
        for key in released {
            if let Some(owned) = self.owned.remove(&key) {
                tracing::info!(topic = %key.topic, broker = %key.broker_name, queue = key.queue_id, "queue released");
                owned.stop.cancel();
                // The worker drains and commits on its own; nothing waits for it here.
                drop(owned.join);
            }
        }
        for key in wanted {
            if !self.owned.contains_key(&key) {
                tracing::info!(topic = %key.topic, broker = %key.broker_name, queue = key.queue_id, client = %self.api.client_id, "queue taken");
                self.start_worker(key);
            }
        }
    }

    /// Whether the group's member list (as the first broker knows it) differs from the one the
    /// last rebalance used.
    async fn members_changed(&self) -> bool {
        let Some(addr) = self.brokers.first() else {
            return false;
        };
        match self.api.consumer_ids(addr).await {
            Ok(ids) => !ids.is_empty() && ids != self.last_members,
            Err(_) => false,
        }
    }

    /// The group's members as a broker of `queues` knows them, sorted; `None` when no broker
    /// answered or this member is not in the list yet (its heartbeat has not arrived).
    async fn members(&self, queues: &[QueueKey]) -> Option<Vec<String>> {
        let addrs: BTreeSet<&str> = queues.iter().map(|q| q.addr.as_str()).collect();
        for addr in addrs {
            match self.api.consumer_ids(addr).await {
                Ok(ids) if ids.contains(&self.api.client_id) => return Some(ids),
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(broker = %addr, error = %e, "cannot list the group's members")
                }
            }
        }
        None
    }

    fn start_worker(&mut self, key: QueueKey) {
        let state = Arc::new(QueueState::default());
        let stop = CancellationToken::new();
        let worker = QueueWorker {
            key: key.clone(),
            api: self.api.clone(),
            config: self.config.clone(),
            handler: self.handler.clone(),
            state: state.clone(),
            sub_version: self.sub_version,
            stop: stop.clone(),
        };
        let join = tokio::spawn(worker.run());
        self.owned.insert(key, Owned { state, stop, join });
    }

    async fn commit_all(&self) {
        for (key, owned) in &self.owned {
            owned.state.commit(&self.api, key).await;
        }
    }

    /// Stop every worker (each drains and commits), then leave the group.
    async fn stop(mut self) {
        let owned = std::mem::take(&mut self.owned);
        for o in owned.values() {
            o.stop.cancel();
        }
        for (_, o) in owned {
            let _ = o.join.await;
        }
        for addr in &self.brokers {
            if let Err(e) = self.api.unregister(addr).await {
                tracing::debug!(broker = %addr, error = %e, "unregister failed");
            }
        }
        tracing::info!(group = %self.config.group, client = %self.api.client_id, "consumer stopped");
    }
}
