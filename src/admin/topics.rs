//! Topic operations: list (all or per cluster), route, create/update on every master (a no-op
//! when nothing changes), delete from brokers and name servers, per-queue status.

use super::cluster::{default_cluster, masters, resolve_broker, BrokerRef};
use super::{decode_body, is_topic_not_exist, Admin, AdminError};
use crate::protocol::consumer::TopicStatsTable;
use crate::protocol::perm;
use crate::protocol::route::TopicRouteData;
use crate::protocol::topic::{TopicConfig, TopicList, AUTO_CREATE_TOPIC_KEY, SINGLE_TAG};
use crate::remoting::headers::{
    CreateTopicRequestHeader, DeleteTopicFromNamesrvRequestHeader, GetRouteInfoRequestHeader,
    GetTopicConfigRequestHeader, GetTopicsByClusterRequestHeader, PutKvConfigRequestHeader,
    TopicRequestHeader,
};
use crate::remoting::{RemotingCommand, RequestCode, ResponseCode};
use serde::Serialize;

/// Longest topic name brokers accept (`TopicValidator.TOPIC_MAX_LENGTH`).
pub const TOPIC_MAX_LENGTH: usize = 127;
/// Queue counts accepted by `topic create`.
pub const MAX_QUEUES: i32 = 1024;
/// Name-server KV namespace of order-topic configs.
pub const ORDER_TOPIC_CONFIG: &str = "ORDER_TOPIC_CONFIG";

/// Check a topic name the way brokers do: `[%|a-zA-Z0-9_-]`, at most 127 characters.
pub fn validate_topic_name(topic: &str) -> Result<(), AdminError> {
    if topic.is_empty() || topic.len() > TOPIC_MAX_LENGTH {
        return Err(AdminError::InvalidInput(format!(
            "topic name {topic:?} must be 1 to {TOPIC_MAX_LENGTH} characters"
        )));
    }
    if let Some(c) = topic
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '%' | '|' | '_' | '-')))
    {
        return Err(AdminError::InvalidInput(format!(
            "topic name {topic:?} contains {c:?}; use letters, digits, '_', '-', '%' or '|'"
        )));
    }
    Ok(())
}

/// What `topic create` should make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicSpec {
    pub topic: String,
    pub read_queues: i32,
    pub write_queues: i32,
    /// 2 (W), 4 (R) or 6 (RW).
    pub perm: i32,
    pub order: bool,
}

impl TopicSpec {
    /// Validate names, queue counts and the permission.
    pub fn validate(&self) -> Result<(), AdminError> {
        validate_topic_name(&self.topic)?;
        for (what, n) in [("read", self.read_queues), ("write", self.write_queues)] {
            if !(1..=MAX_QUEUES).contains(&n) {
                return Err(AdminError::InvalidInput(format!(
                    "{what} queue count {n} is out of range; use 1 to {MAX_QUEUES}"
                )));
            }
        }
        if ![2, 4, 6].contains(&self.perm) {
            return Err(AdminError::InvalidInput(format!(
                "perm {} is not valid; use 2 (write), 4 (read) or 6 (read-write)",
                self.perm
            )));
        }
        Ok(())
    }

    fn header(&self) -> CreateTopicRequestHeader {
        CreateTopicRequestHeader {
            topic: self.topic.clone(),
            default_topic: AUTO_CREATE_TOPIC_KEY.into(),
            read_queue_nums: self.read_queues,
            write_queue_nums: self.write_queues,
            perm: self.perm,
            topic_filter_type: SINGLE_TAG.into(),
            topic_sys_flag: Some(0),
            order: self.order,
            attributes: None,
            force: None,
        }
    }

    fn matches(&self, config: &TopicConfig) -> bool {
        config.read_queue_nums == self.read_queues
            && config.write_queue_nums == self.write_queues
            && config.perm == self.perm
            && config.order == self.order
    }
}

/// Where `topic create` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateTarget {
    /// Every master of the cluster (the only cluster when `None`).
    Cluster(Option<String>),
    /// One broker, by address or name.
    Broker(String),
}

/// What happened on one broker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CreateStatus {
    Created,
    Updated,
    /// Already had exactly these values; nothing was sent.
    Unchanged,
    /// Sent without knowing the previous state (the broker cannot report topic configs).
    Applied,
}

/// One broker's outcome of `topic create`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateOutcome {
    pub broker_name: String,
    pub addr: String,
    pub status: CreateStatus,
}

/// One broker group of a topic's route.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteBroker {
    pub cluster: String,
    pub broker_name: String,
    /// broker id -> address (0 is the master).
    pub addrs: std::collections::BTreeMap<i64, String>,
    pub read_queues: i32,
    pub write_queues: i32,
    pub perm: i32,
    /// `RW-` style.
    pub perm_text: String,
}

/// `topic route` result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicRoute {
    pub topic: String,
    pub brokers: Vec<RouteBroker>,
    pub order_topic_conf: Option<String>,
}

/// One queue of `topic status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueStatus {
    pub broker_name: String,
    pub queue_id: i32,
    pub min_offset: i64,
    pub max_offset: i64,
    /// Store time of the last message (ms), 0 if the queue is empty.
    pub last_store_timestamp: i64,
}

/// `topic delete` result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeleteOutcome {
    pub topic: String,
    pub cluster: String,
    pub brokers: Vec<String>,
    pub namesrvs: Vec<String>,
}

impl Admin {
    /// Topic names: all (GET_ALL_TOPIC_LIST_FROM_NAMESERVER) or one cluster's (GET_TOPICS_BY_CLUSTER).
    pub async fn topic_list(&self, cluster: Option<&str>) -> Result<Vec<String>, AdminError> {
        let (code, request) = match cluster {
            None => (
                RequestCode::GET_ALL_TOPIC_LIST_FROM_NAMESERVER,
                RemotingCommand::request(RequestCode::GET_ALL_TOPIC_LIST_FROM_NAMESERVER),
            ),
            Some(c) => {
                // Say so when the cluster is unknown rather than listing nothing.
                super::cluster::broker_groups(&self.cluster_info().await?, Some(c))?;
                (
                    RequestCode::GET_TOPICS_BY_CLUSTER,
                    RemotingCommand::request(RequestCode::GET_TOPICS_BY_CLUSTER)
                        .with_header(&GetTopicsByClusterRequestHeader { cluster: c.into() }),
                )
            }
        };
        let (addr, response) = self.call_namesrv(request).await?;
        let list: TopicList = decode_body(&addr, code.code(), &response)?;
        let mut topics: Vec<String> = list.topic_list.into_iter().collect();
        topics.sort();
        Ok(topics)
    }

    /// GET_ROUTEINFO_BY_TOPIC; an unknown topic is [`AdminError::TopicNotFound`].
    pub async fn route_data(&self, topic: &str) -> Result<TopicRouteData, AdminError> {
        let request = RemotingCommand::request(RequestCode::GET_ROUTEINFO_BY_TOPIC).with_header(
            &GetRouteInfoRequestHeader {
                topic: topic.into(),
                accept_standard_json_only: Some(true),
            },
        );
        match self.call_namesrv(request).await {
            Ok((addr, response)) => {
                decode_body(&addr, RequestCode::GET_ROUTEINFO_BY_TOPIC.code(), &response)
            }
            Err(e) if is_topic_not_exist(&e) => Err(AdminError::TopicNotFound(topic.into())),
            Err(e) => Err(e),
        }
    }

    /// The route of a topic, one row per broker group.
    pub async fn topic_route(&self, topic: &str) -> Result<TopicRoute, AdminError> {
        let route = self.route_data(topic).await?;
        let mut brokers: Vec<RouteBroker> = route
            .queue_datas
            .iter()
            .map(|q| {
                let group = route.broker(&q.broker_name);
                RouteBroker {
                    cluster: group.map(|g| g.cluster.clone()).unwrap_or_default(),
                    broker_name: q.broker_name.clone(),
                    addrs: group.map(|g| g.broker_addrs.clone()).unwrap_or_default(),
                    read_queues: q.read_queue_nums,
                    write_queues: q.write_queue_nums,
                    perm: q.perm,
                    perm_text: perm::describe(q.perm),
                }
            })
            .collect();
        brokers.sort_by(|a, b| a.broker_name.cmp(&b.broker_name));
        Ok(TopicRoute {
            topic: topic.into(),
            brokers,
            order_topic_conf: route.order_topic_conf,
        })
    }

    /// Create or update a topic on every target broker; unchanged brokers are left alone.
    pub async fn topic_create(
        &self,
        spec: &TopicSpec,
        target: &CreateTarget,
    ) -> Result<Vec<CreateOutcome>, AdminError> {
        spec.validate()?;
        let info = self.cluster_info().await?;
        let targets: Vec<BrokerRef> = match target {
            CreateTarget::Broker(b) => vec![resolve_broker(&info, b)?],
            CreateTarget::Cluster(c) => {
                let cluster = default_cluster(&info, c.as_deref())?;
                masters(&info, Some(&cluster))?
            }
        };
        if targets.is_empty() {
            return Err(AdminError::InvalidInput(
                "the cluster has no master broker registered; start one first".into(),
            ));
        }
        let outcomes =
            futures::future::join_all(targets.iter().map(|b| self.create_on_broker(spec, b)))
                .await
                .into_iter()
                .collect::<Result<Vec<_>, _>>()?;
        if spec.order {
            self.put_order_conf(spec, &outcomes).await?;
        }
        self.wait_for_route(&spec.topic).await;
        Ok(outcomes)
    }

    /// Create a topic on every master (of every cluster) that does not have it; brokers that
    /// have it, whatever its queues and permission, are left alone (`Unchanged`). For services
    /// that need their topic to exist (the HTTP gateway at start).
    pub async fn topic_create_missing(
        &self,
        spec: &TopicSpec,
    ) -> Result<Vec<CreateOutcome>, AdminError> {
        spec.validate()?;
        let info = self.cluster_info().await?;
        let targets = masters(&info, None)?;
        if targets.is_empty() {
            return Err(AdminError::InvalidInput(
                "no master broker is registered with the name servers; start one first".into(),
            ));
        }
        let outcomes =
            futures::future::join_all(targets.iter().map(|b| self.create_if_missing(spec, b)))
                .await
                .into_iter()
                .collect::<Result<Vec<_>, _>>()?;
        if outcomes.iter().any(|o| o.status != CreateStatus::Unchanged) {
            self.wait_for_route(&spec.topic).await;
        }
        Ok(outcomes)
    }

    async fn create_if_missing(
        &self,
        spec: &TopicSpec,
        broker: &BrokerRef,
    ) -> Result<CreateOutcome, AdminError> {
        let status = match self.broker_topic_config(&broker.addr, &spec.topic).await? {
            Lookup::Found(_) => CreateStatus::Unchanged,
            Lookup::Missing => CreateStatus::Created,
            Lookup::Unsupported => CreateStatus::Applied,
        };
        if status != CreateStatus::Unchanged {
            let request = RemotingCommand::request(RequestCode::UPDATE_AND_CREATE_TOPIC)
                .with_header(&spec.header());
            self.call(&broker.addr, request).await?;
        }
        Ok(CreateOutcome {
            broker_name: broker.broker_name.clone(),
            addr: broker.addr.clone(),
            status,
        })
    }

    /// A broker tells the name servers about a new topic on its own, a moment after it answered
    /// the create: wait (up to 5 s) until the route is there, so that a `message send` or a
    /// client right after `topic create` finds the topic. Not finding it is not an error.
    async fn wait_for_route(&self, topic: &str) {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
        while self.route_data(topic).await.is_err() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    async fn create_on_broker(
        &self,
        spec: &TopicSpec,
        broker: &BrokerRef,
    ) -> Result<CreateOutcome, AdminError> {
        let existing = self.broker_topic_config(&broker.addr, &spec.topic).await?;
        let status = match &existing {
            Lookup::Found(config) if spec.matches(config) => CreateStatus::Unchanged,
            Lookup::Found(_) => CreateStatus::Updated,
            Lookup::Missing => CreateStatus::Created,
            Lookup::Unsupported => CreateStatus::Applied,
        };
        if status != CreateStatus::Unchanged {
            let request = RemotingCommand::request(RequestCode::UPDATE_AND_CREATE_TOPIC)
                .with_header(&spec.header());
            self.call(&broker.addr, request).await?;
        }
        Ok(CreateOutcome {
            broker_name: broker.broker_name.clone(),
            addr: broker.addr.clone(),
            status,
        })
    }

    /// GET_TOPIC_CONFIG on one broker.
    pub async fn broker_topic_config(&self, addr: &str, topic: &str) -> Result<Lookup, AdminError> {
        let request = RemotingCommand::request(RequestCode::GET_TOPIC_CONFIG).with_header(
            &GetTopicConfigRequestHeader {
                topic: topic.into(),
                lo: Some(true),
            },
        );
        let response = self.call_any(addr, request).await?;
        match ResponseCode::from_code(response.code) {
            Some(ResponseCode::SUCCESS) => Ok(Lookup::Found(decode_body(
                addr,
                RequestCode::GET_TOPIC_CONFIG.code(),
                &response,
            )?)),
            Some(ResponseCode::TOPIC_NOT_EXIST) => Ok(Lookup::Missing),
            Some(ResponseCode::REQUEST_CODE_NOT_SUPPORTED) => Ok(Lookup::Unsupported),
            _ => Err(crate::remoting::client::ClientError::remote(
                addr,
                RequestCode::GET_TOPIC_CONFIG.code(),
                &response,
            )
            .into()),
        }
    }

    async fn put_order_conf(
        &self,
        spec: &TopicSpec,
        outcomes: &[CreateOutcome],
    ) -> Result<(), AdminError> {
        let value = outcomes
            .iter()
            .map(|o| format!("{}:{}", o.broker_name, spec.write_queues))
            .collect::<Vec<_>>()
            .join(";");
        let request = RemotingCommand::request(RequestCode::PUT_KV_CONFIG).with_header(
            &PutKvConfigRequestHeader {
                namespace: ORDER_TOPIC_CONFIG.into(),
                key: spec.topic.clone(),
                value,
            },
        );
        self.call_every_namesrv(request).await.map(|_| ())
    }

    /// Delete a topic from every master of the cluster, then from every name server.
    pub async fn topic_delete(
        &self,
        topic: &str,
        cluster: Option<&str>,
    ) -> Result<DeleteOutcome, AdminError> {
        validate_topic_name(topic)?;
        self.route_data(topic).await?;
        let info = self.cluster_info().await?;
        let cluster = default_cluster(&info, cluster)?;
        let brokers = masters(&info, Some(&cluster))?;
        let header = TopicRequestHeader {
            topic: topic.into(),
        };
        futures::future::join_all(brokers.iter().map(|b| {
            self.call(
                &b.addr,
                RemotingCommand::request(RequestCode::DELETE_TOPIC_IN_BROKER).with_header(&header),
            )
        }))
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
        let namesrvs = self
            .call_every_namesrv(
                RemotingCommand::request(RequestCode::DELETE_TOPIC_IN_NAMESRV).with_header(
                    &DeleteTopicFromNamesrvRequestHeader {
                        topic: topic.into(),
                        cluster_name: Some(cluster.clone()),
                    },
                ),
            )
            .await?;
        Ok(DeleteOutcome {
            topic: topic.into(),
            cluster,
            brokers: brokers.into_iter().map(|b| b.addr).collect(),
            namesrvs,
        })
    }

    /// GET_TOPIC_STATS_INFO from one broker.
    pub async fn topic_stats(
        &self,
        addr: &str,
        topic: &str,
    ) -> Result<TopicStatsTable, AdminError> {
        let request = RemotingCommand::request(RequestCode::GET_TOPIC_STATS_INFO).with_header(
            &TopicRequestHeader {
                topic: topic.into(),
            },
        );
        let response = self.call(addr, request).await?;
        decode_body(addr, RequestCode::GET_TOPIC_STATS_INFO.code(), &response)
    }

    /// Min/max offset and last store time of every queue of a topic, on every broker of its route.
    pub async fn topic_status(&self, topic: &str) -> Result<Vec<QueueStatus>, AdminError> {
        let route = self.route_data(topic).await?;
        let addrs: Vec<&str> = route
            .broker_datas
            .iter()
            .filter_map(|b| b.select_addr())
            .collect();
        let tables = futures::future::join_all(addrs.iter().map(|a| self.topic_stats(a, topic)))
            .await
            .into_iter()
            .collect::<Result<Vec<_>, _>>()?;
        let mut rows: Vec<QueueStatus> = tables
            .into_iter()
            .flat_map(|t| t.offset_table.into_iter())
            .map(|(mq, off)| QueueStatus {
                broker_name: mq.broker_name,
                queue_id: mq.queue_id,
                min_offset: off.min_offset,
                max_offset: off.max_offset,
                last_store_timestamp: off.last_update_timestamp,
            })
            .collect();
        rows.sort_by(|a, b| (&a.broker_name, a.queue_id).cmp(&(&b.broker_name, b.queue_id)));
        Ok(rows)
    }
}

/// A broker's answer to GET_TOPIC_CONFIG.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Found(TopicConfig),
    Missing,
    /// The broker does not implement GET_TOPIC_CONFIG (4.x).
    Unsupported,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> TopicSpec {
        TopicSpec {
            topic: "T".into(),
            read_queues: 8,
            write_queues: 8,
            perm: 6,
            order: false,
        }
    }

    #[test]
    fn validation_names_the_problem() {
        assert!(spec().validate().is_ok());
        let bad_perm = TopicSpec { perm: 7, ..spec() };
        assert!(bad_perm
            .validate()
            .unwrap_err()
            .to_string()
            .contains("perm 7"));
        let bad_queues = TopicSpec {
            write_queues: 0,
            ..spec()
        };
        assert!(bad_queues.validate().unwrap_err().is_input());
        assert!(validate_topic_name("a b").is_err());
        assert!(validate_topic_name(&"x".repeat(128)).is_err());
        assert!(validate_topic_name("%RETRY%g-1_x").is_ok());
    }

    #[test]
    fn same_values_match_existing_config() {
        let mut config = TopicConfig::new("T", 8);
        assert!(spec().matches(&config));
        config.perm = 4;
        assert!(!spec().matches(&config));
    }
}
