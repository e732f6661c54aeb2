//! Route bodies: `TopicRouteData`, `QueueData`, `BrokerData` (GET_ROUTEINFO_BY_TOPIC) and
//! `ClusterInfo` (GET_BROKER_CLUSTER_INFO), remoting-protocol.md 5.2-5.3.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Broker id of a master.
pub const MASTER_ID: i64 = 0;

/// One broker group (master and slaves sharing a brokerName).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BrokerData {
    /// brokerId -> "ip:port"; written with raw numeric keys in fastjson style.
    pub broker_addrs: BTreeMap<i64, String>,
    pub broker_name: String,
    pub cluster: String,
    pub enable_acting_master: bool,
    pub zone_name: Option<String>,
}

impl BrokerData {
    /// The master's address, if a master is registered.
    pub fn master_addr(&self) -> Option<&str> {
        self.broker_addrs.get(&MASTER_ID).map(String::as_str)
    }

    /// Java's `selectBrokerAddr`: the master, else the lowest-id slave.
    pub fn select_addr(&self) -> Option<&str> {
        self.master_addr()
            .or_else(|| self.broker_addrs.values().next().map(String::as_str))
    }
}

/// A topic's queues on one broker group.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct QueueData {
    pub broker_name: String,
    pub perm: i32,
    pub read_queue_nums: i32,
    pub topic_sys_flag: i32,
    pub write_queue_nums: i32,
}

/// The route of one topic.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TopicRouteData {
    pub broker_datas: Vec<BrokerData>,
    pub filter_server_table: BTreeMap<String, Vec<String>>,
    pub order_topic_conf: Option<String>,
    pub queue_datas: Vec<QueueData>,
    /// 5.x static topics; passed through untouched.
    pub topic_queue_mapping_by_broker: Option<serde_json::Value>,
}

impl TopicRouteData {
    /// The broker group named `broker_name` (a queue data's `brokerName`).
    pub fn broker(&self, broker_name: &str) -> Option<&BrokerData> {
        self.broker_datas
            .iter()
            .find(|b| b.broker_name == broker_name)
    }

    /// The master address of the broker group named `broker_name`, if one is registered.
    pub fn master_addr_of(&self, broker_name: &str) -> Option<&str> {
        self.broker(broker_name).and_then(BrokerData::master_addr)
    }
}

/// Every broker group and cluster a name server knows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClusterInfo {
    pub broker_addr_table: BTreeMap<String, BrokerData>,
    pub cluster_addr_table: BTreeMap<String, BTreeSet<String>>,
}

/// GET_BROKER_MEMBER_GROUP body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BrokerMemberGroup {
    pub broker_addrs: BTreeMap<i64, String>,
    pub broker_name: String,
    pub cluster: String,
}

/// GET_BROKER_MEMBER_GROUP response wrapper.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GetBrokerMemberGroupResponseBody {
    pub broker_member_group: Option<BrokerMemberGroup>,
}
