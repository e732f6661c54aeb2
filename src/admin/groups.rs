//! Consumer groups: list (subscription groups of every master), describe (lag per queue and
//! topic, totals, connected clients) and offset resets with a before/after preview.

use super::cluster::masters;
use super::{decode_body, Admin, AdminError};
use crate::calendar::now_millis;
use crate::protocol::consumer::{ClientConnection, ConsumerConnection, SubscriptionGroupWrapper};
use crate::remoting::client::ClientError;
use crate::remoting::headers::{
    ConsumerGroupRequestHeader, GetMaxOffsetRequestHeader, OffsetResponseHeader,
    QueueRequestHeader, ResetOffsetRequestHeader, SearchOffsetRequestHeader,
    UpdateConsumerOffsetRequestHeader,
};
use crate::remoting::{RemotingCommand, RequestCode, ResponseCode};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Groups every Apache broker creates for itself.
const SYSTEM_GROUP_PREFIXES: &[&str] = &["CID_RMQ_SYS_", "CID_ONSAPI_", "CID_SYS_RMQ_"];
const SYSTEM_GROUPS: &[&str] = &[
    "TOOLS_CONSUMER",
    "FILTERSRV_CONSUMER",
    "__MONITOR_CONSUMER",
    "CID_ONS-HTTP-PROXY",
    "SELF_TEST_C_GROUP",
    "CID_DefaultHeartBeatSyncerTopic",
];

/// Whether a group is one the broker makes for itself.
pub fn is_system_group(group: &str) -> bool {
    SYSTEM_GROUPS.contains(&group) || SYSTEM_GROUP_PREFIXES.iter().any(|p| group.starts_with(p))
}

/// One row of `group list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupSummary {
    pub group: String,
    /// Broker names holding this group's subscription config.
    pub brokers: Vec<String>,
    pub consume_enable: bool,
    pub consume_broadcast_enable: bool,
    pub consume_message_orderly: bool,
    pub retry_max_times: i32,
    pub system: bool,
}

/// One queue of `group describe`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupQueue {
    pub topic: String,
    pub broker_name: String,
    pub queue_id: i32,
    pub broker_offset: i64,
    pub consumer_offset: i64,
    pub lag: i64,
    /// Store time (ms) of the last consumed message, 0 if unknown.
    pub last_consumed_timestamp: i64,
}

/// Per-topic totals of `group describe`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupTopic {
    pub topic: String,
    pub queues: usize,
    pub lag: i64,
}

/// `group describe` result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupDescription {
    pub group: String,
    pub topics: Vec<GroupTopic>,
    pub queues: Vec<GroupQueue>,
    pub total_lag: i64,
    pub consume_tps: f64,
    /// `CONSUME_PASSIVELY` (push) / `CONSUME_ACTIVELY` (pull) when clients are online.
    pub consume_type: Option<String>,
    /// `CLUSTERING` / `BROADCASTING` when clients are online.
    pub message_model: Option<String>,
    pub clients: Vec<ClientConnection>,
}

/// Where `group reset` moves offsets to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetTarget {
    /// The first message stored at or after this time (ms).
    Time(i64),
    Earliest,
    Latest,
}

impl ResetTarget {
    /// The `timestamp` INVOKE_BROKER_TO_RESET_OFFSET takes: 0 finds the first message, -1 means
    /// the max offset (`Broker2Client.resetOffset`).
    fn broker_timestamp(self) -> i64 {
        match self {
            ResetTarget::Time(t) => t,
            ResetTarget::Earliest => 0,
            ResetTarget::Latest => -1,
        }
    }
}

/// One queue of a reset preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResetQueue {
    pub broker_name: String,
    pub queue_id: i32,
    /// Committed offset now; `None` when the group has none stored.
    pub before: Option<i64>,
    pub after: i64,
}

/// `group reset` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResetPlan {
    pub group: String,
    pub topic: String,
    pub queues: Vec<ResetQueue>,
    /// Whether the offsets were changed (`--execute`).
    pub executed: bool,
    /// How they were changed: `broker` (online clients told by the broker) or `offline`
    /// (stored offsets rewritten; the group had no online client).
    pub method: Option<String>,
}

impl Admin {
    /// Subscription groups of every master, merged by name.
    pub async fn group_list(&self, include_system: bool) -> Result<Vec<GroupSummary>, AdminError> {
        let info = self.cluster_info().await?;
        let brokers = masters(&info, None)?;
        let wrappers =
            futures::future::join_all(brokers.iter().map(|b| self.subscription_groups(&b.addr)))
                .await
                .into_iter()
                .collect::<Result<Vec<_>, _>>()?;
        let mut groups: BTreeMap<String, GroupSummary> = BTreeMap::new();
        for (broker, wrapper) in brokers.iter().zip(wrappers) {
            for (name, config) in wrapper.subscription_group_table {
                let entry = groups.entry(name.clone()).or_insert_with(|| GroupSummary {
                    system: is_system_group(&name),
                    group: name,
                    brokers: Vec::new(),
                    consume_enable: config.consume_enable,
                    consume_broadcast_enable: config.consume_broadcast_enable,
                    consume_message_orderly: config.consume_message_orderly,
                    retry_max_times: config.retry_max_times,
                });
                entry.brokers.push(broker.broker_name.clone());
            }
        }
        Ok(groups
            .into_values()
            .filter(|g| include_system || !g.system)
            .collect())
    }

    /// GET_ALL_SUBSCRIPTIONGROUP_CONFIG of one broker.
    pub async fn subscription_groups(
        &self,
        addr: &str,
    ) -> Result<SubscriptionGroupWrapper, AdminError> {
        let request = RemotingCommand::request(RequestCode::GET_ALL_SUBSCRIPTIONGROUP_CONFIG);
        let response = self.call(addr, request).await?;
        decode_body(
            addr,
            RequestCode::GET_ALL_SUBSCRIPTIONGROUP_CONFIG.code(),
            &response,
        )
    }

    /// `GroupNotFound` (an input error, exit 2) unless some master holds a subscription config
    /// for `group`.
    pub async fn require_group(&self, group: &str) -> Result<(), AdminError> {
        let groups = self.group_list(true).await?;
        if groups.iter().any(|g| g.group == group) {
            Ok(())
        } else {
            Err(AdminError::GroupNotFound(group.into()))
        }
    }

    /// Lag of every queue the group consumes, totals and connected clients.
    pub async fn group_describe(&self, group: &str) -> Result<GroupDescription, AdminError> {
        let info = self.cluster_info().await?;
        let brokers = masters(&info, None)?;
        let stats = futures::future::join_all(
            brokers
                .iter()
                .map(|b| self.consume_stats(&b.addr, group, None)),
        )
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
        let consume_tps = stats.iter().map(|s| s.consume_tps).sum();
        let mut queues: Vec<GroupQueue> = stats
            .into_iter()
            .flat_map(|s| s.offset_table.into_iter())
            .map(|(mq, o)| GroupQueue {
                lag: (o.broker_offset - o.consumer_offset).max(0),
                topic: mq.topic,
                broker_name: mq.broker_name,
                queue_id: mq.queue_id,
                broker_offset: o.broker_offset,
                consumer_offset: o.consumer_offset,
                last_consumed_timestamp: o.last_timestamp,
            })
            .collect();
        queues.sort_by(|a, b| {
            (&a.topic, &a.broker_name, a.queue_id).cmp(&(&b.topic, &b.broker_name, b.queue_id))
        });
        let connection = match brokers.first() {
            Some(b) => self.consumer_connection(&b.addr, group).await?,
            None => None,
        };
        if queues.is_empty() && connection.is_none() {
            self.require_group(group).await?;
        }
        let mut topics: BTreeMap<String, GroupTopic> = BTreeMap::new();
        for q in &queues {
            let t = topics.entry(q.topic.clone()).or_insert_with(|| GroupTopic {
                topic: q.topic.clone(),
                queues: 0,
                lag: 0,
            });
            t.queues += 1;
            t.lag += q.lag;
        }
        let (clients, consume_type, message_model) = match connection {
            Some(c) => (
                c.connection_set.into_iter().collect(),
                c.consume_type,
                c.message_model,
            ),
            None => (Vec::new(), None, None),
        };
        Ok(GroupDescription {
            group: group.into(),
            total_lag: queues.iter().map(|q| q.lag).sum(),
            topics: topics.into_values().collect(),
            queues,
            consume_tps,
            consume_type,
            message_model,
            clients,
        })
    }

    /// GET_CONSUMER_CONNECTION_LIST; `None` when no client is online.
    pub async fn consumer_connection(
        &self,
        addr: &str,
        group: &str,
    ) -> Result<Option<ConsumerConnection>, AdminError> {
        let request = RemotingCommand::request(RequestCode::GET_CONSUMER_CONNECTION_LIST)
            .with_header(&ConsumerGroupRequestHeader {
                consumer_group: group.into(),
            });
        let response = self.call_any(addr, request).await?;
        if response.code == ResponseCode::CONSUMER_NOT_ONLINE.code() {
            return Ok(None);
        }
        if !response.is_success() {
            return Err(ClientError::remote(
                addr,
                RequestCode::GET_CONSUMER_CONNECTION_LIST.code(),
                &response,
            )
            .into());
        }
        decode_body(
            addr,
            RequestCode::GET_CONSUMER_CONNECTION_LIST.code(),
            &response,
        )
        .map(Some)
    }

    /// Preview (and with `execute`, apply) moving a group's offsets on a topic.
    pub async fn group_reset(
        &self,
        group: &str,
        topic: &str,
        target: ResetTarget,
        execute: bool,
    ) -> Result<ResetPlan, AdminError> {
        if let ResetTarget::Time(t) = target {
            if t < 0 || t > now_millis() + 86_400_000 {
                return Err(AdminError::InvalidInput(format!(
                    "reset time {t} is not a sensible point in time"
                )));
            }
        }
        let route = self.route_data(topic).await?;
        self.require_group(group).await?;
        let mut queues = Vec::new();
        let mut addr_of = BTreeMap::new();
        for b in &route.broker_datas {
            let Some(addr) = b.master_addr() else {
                continue;
            };
            addr_of.insert(b.broker_name.clone(), addr.to_string());
            let read_queues = route
                .queue_datas
                .iter()
                .find(|q| q.broker_name == b.broker_name)
                .map_or(0, |q| q.read_queue_nums);
            for queue_id in 0..read_queues {
                let before = self
                    .query_consumer_offset(addr, group, topic, queue_id)
                    .await?;
                let after = self.target_offset(addr, topic, queue_id, target).await?;
                queues.push(ResetQueue {
                    broker_name: b.broker_name.clone(),
                    queue_id,
                    before,
                    after,
                });
            }
        }
        let mut plan = ResetPlan {
            group: group.into(),
            topic: topic.into(),
            queues,
            executed: false,
            method: None,
        };
        if execute {
            plan.method = Some(self.apply_reset(&plan, &addr_of, target).await?);
            plan.executed = true;
        }
        Ok(plan)
    }

    async fn target_offset(
        &self,
        addr: &str,
        topic: &str,
        queue_id: i32,
        target: ResetTarget,
    ) -> Result<i64, AdminError> {
        let request = match target {
            ResetTarget::Earliest => RemotingCommand::request(RequestCode::GET_MIN_OFFSET)
                .with_header(&QueueRequestHeader {
                    topic: topic.into(),
                    queue_id,
                }),
            ResetTarget::Latest => RemotingCommand::request(RequestCode::GET_MAX_OFFSET)
                .with_header(&GetMaxOffsetRequestHeader {
                    topic: topic.into(),
                    queue_id,
                    committed: None,
                }),
            ResetTarget::Time(timestamp) => RemotingCommand::request(
                RequestCode::SEARCH_OFFSET_BY_TIMESTAMP,
            )
            .with_header(&SearchOffsetRequestHeader {
                topic: topic.into(),
                queue_id,
                timestamp,
                boundary_type: None,
            }),
        };
        let response = self.call(addr, request).await?;
        let h: OffsetResponseHeader = response.header().map_err(|e| AdminError::Decode {
            addr: addr.to_string(),
            reason: e.to_string(),
        })?;
        Ok(h.offset)
    }

    /// Ask each broker to reset (it tells online clients); when the group has no online client,
    /// write the previewed offsets directly.
    async fn apply_reset(
        &self,
        plan: &ResetPlan,
        addr_of: &BTreeMap<String, String>,
        target: ResetTarget,
    ) -> Result<String, AdminError> {
        let mut offline_brokers: BTreeSet<String> = BTreeSet::new();
        for (broker_name, addr) in addr_of {
            let request = RemotingCommand::request(RequestCode::INVOKE_BROKER_TO_RESET_OFFSET)
                .with_header(&ResetOffsetRequestHeader {
                    group: plan.group.clone(),
                    topic: plan.topic.clone(),
                    timestamp: target.broker_timestamp(),
                    is_force: true,
                    queue_id: None,
                    offset: None,
                });
            let response = self.call_any(addr, request).await?;
            if response.code == ResponseCode::CONSUMER_NOT_ONLINE.code() {
                offline_brokers.insert(broker_name.clone());
            } else if !response.is_success() {
                return Err(ClientError::remote(
                    addr,
                    RequestCode::INVOKE_BROKER_TO_RESET_OFFSET.code(),
                    &response,
                )
                .into());
            }
        }
        for q in plan
            .queues
            .iter()
            .filter(|q| offline_brokers.contains(&q.broker_name))
        {
            let addr = &addr_of[&q.broker_name];
            let request = RemotingCommand::request(RequestCode::UPDATE_CONSUMER_OFFSET)
                .with_header(&UpdateConsumerOffsetRequestHeader {
                    consumer_group: plan.group.clone(),
                    topic: plan.topic.clone(),
                    queue_id: q.queue_id,
                    commit_offset: q.after,
                });
            self.call(addr, request).await?;
        }
        Ok(if offline_brokers.is_empty() {
            "broker"
        } else {
            "offline"
        }
        .to_string())
    }
}
