//! The member's own loop: heartbeats to every broker of the subscribed topics, rebalancing
//! (route + member list + average allocation → start/stop queue workers) at once when a broker
//! says the group's members changed (NOTIFY_CONSUMER_IDS_CHANGED) and periodically besides,
//! periodic commits, and the orderly stop (workers drained and committed, then
//! UNREGISTER_CLIENT, on which the brokers tell the other members to take the queues over).

use super::allocate::allocate_averagely;
use super::broker_api::{new_client_id, BrokerApi};
use super::queue_worker::{QueueKey, QueueState, QueueWorker};
use super::{ConsumerConfig, MessageHandler};
use crate::admin::Admin;
use crate::calendar::now_millis;
use crate::protocol::consumer::{retry_topic, ConsumerData, HeartbeatData, SubscriptionData};
use crate::protocol::message::java_string_hash;
use crate::protocol::perm;
use crate::remoting::client::ServerRequest;
use crate::remoting::headers::ConsumerGroupRequestHeader;
use crate::remoting::RequestCode;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
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
}

/// How soon a rebalance that could not place every topic (no route yet, or this member's
/// heartbeat not yet in the broker's member list) is tried again, instead of waiting for the
/// periodic one.
const UNSETTLED_RETRY: Duration = Duration::from_secs(1);

/// Runs one member until `shutdown`. Membership changes reach it as NOTIFY_CONSUMER_IDS_CHANGED,
/// which brokers (Apache's and ours) send to every member when one joins, leaves, closes its
/// connection or expires, and which rebalances at once. The periodic rebalance only covers a
/// lost notice, a group that disabled them (`notifyConsumerIdsChangedEnable=false`) and route
/// changes, so it can be as slow as Apache's 20 s; no member list is polled in between.
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
    };
    // Subscribed before the first heartbeat, so no notice about this member's group is missed.
    let mut notices = member.api.admin.client.server_requests();
    let mut notices_open = true;
    let mut rebalance = tokio::time::interval(member.config.rebalance_interval);
    let mut heartbeat = tokio::time::interval(member.config.heartbeat_interval);
    let mut commit = tokio::time::interval(member.config.commit_interval);
    for t in [&mut rebalance, &mut heartbeat, &mut commit] {
        t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    }
    loop {
        let settled = tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = heartbeat.tick() => {
                member.heartbeat_all().await;
                continue;
            }
            _ = rebalance.tick() => {
                let before = member.brokers.clone();
                member.refresh_brokers().await;
                if member.brokers != before {
                    // New brokers must know this member before it asks who the members are.
                    member.heartbeat_all().await;
                }
                member.rebalance().await
            }
            _ = commit.tick() => {
                member.commit_all().await;
                continue;
            }
            notice = notices.recv(), if notices_open => {
                if matches!(notice, Err(RecvError::Closed)) {
                    notices_open = false;
                }
                if !member.is_told_to_rebalance(&notice) {
                    continue;
                }
                // Notices already queued came before this rebalance: it answers them too.
                while matches!(notices.try_recv(), Ok(_) | Err(TryRecvError::Lagged(_))) {}
                tracing::debug!(group = %member.config.group, "members changed: rebalancing");
                member.rebalance().await
            }
        };
        if settled {
            rebalance.reset();
        } else {
            rebalance.reset_after(UNSETTLED_RETRY);
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

    /// Take this member's share of each topic's queues; release the rest. Returns whether
    /// every topic was placed (its route known and this member in the group's member list).
    async fn rebalance(&mut self) -> bool {
        let mut wanted = BTreeSet::new();
        let mut known_topics = BTreeSet::new();
        let mut settled = true;
        for topic in self.topics() {
            let Some(queues) = self.queues_of(&topic).await else {
                settled = false;
                continue;
            };
            let Some(members) = self.members(&queues).await else {
                settled = false;
                continue;
            };
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
        for key in &released {
            if let Some(owned) = self.owned.remove(key) {
                tracing::info!(topic = %key.topic, broker = %key.broker_name, queue = key.queue_id, "queue released");
                owned.stop.cancel();
                // The worker drains and commits on its own; nothing waits for it here.
                drop(owned.join);
            }
        }
        let mut changed = !released.is_empty();
        for key in wanted {
            if !self.owned.contains_key(&key) {
                tracing::info!(topic = %key.topic, broker = %key.broker_name, queue = key.queue_id, client = %self.api.client_id, "queue taken");
                self.start_worker(key);
                changed = true;
            }
        }
        if changed {
            let owned: Vec<QueueKey> = self.owned.keys().cloned().collect();
            self.handler.queues_owned(&owned);
        }
        settled
    }

    /// Whether a server request says this member's group changed (NOTIFY_CONSUMER_IDS_CHANGED
    /// naming the group), or notices were missed (one of them may have).
    fn is_told_to_rebalance(&self, notice: &Result<ServerRequest, RecvError>) -> bool {
        match notice {
            Ok(ServerRequest { request, .. }) => {
                request.code == RequestCode::NOTIFY_CONSUMER_IDS_CHANGED.code()
                    && request
                        .header::<ConsumerGroupRequestHeader>()
                        .is_ok_and(|h| h.consumer_group == self.config.group)
            }
            Err(RecvError::Lagged(_)) => true,
            Err(RecvError::Closed) => false,
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
