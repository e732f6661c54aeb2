//! Consumer-side bodies: `MessageQueue`, heartbeats (`HeartbeatData` and its parts), connection
//! lists, subscription groups, offsets tables, locks and stats (remoting-protocol.md 5.5-5.8).
//! Readers accept what real clients send (enum ordinals from C++, strings for numbers, missing
//! fields), see client-quirks.md item 4.

use super::fastjson::key_map;
use super::topic::DataVersion;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A queue of a topic on one broker group; used as an object map key by fastjson.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MessageQueue {
    pub broker_name: String,
    pub queue_id: i32,
    pub topic: String,
}

/// Read a Java enum sent by name or by ordinal (C++ sends ordinals).
fn enum_by_name_or_ordinal<'de, D: Deserializer<'de>>(
    d: D,
    names: &'static [&'static str],
) -> Result<String, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::String(s) => s,
        serde_json::Value::Number(n) => n
            .as_u64()
            .and_then(|i| names.get(i as usize))
            .map(|s| s.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    })
}

/// `ConsumeType` names in Java ordinal order.
pub const CONSUME_TYPES: &[&str] = &["CONSUME_ACTIVELY", "CONSUME_PASSIVELY", "CONSUME_POP"];
/// `MessageModel` names in Java ordinal order.
pub const MESSAGE_MODELS: &[&str] = &["BROADCASTING", "CLUSTERING"];
/// `ConsumeFromWhere` names in Java ordinal order.
pub const CONSUME_FROM_WHERE: &[&str] = &[
    "CONSUME_FROM_LAST_OFFSET",
    "CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST",
    "CONSUME_FROM_MIN_OFFSET",
    "CONSUME_FROM_MAX_OFFSET",
    "CONSUME_FROM_FIRST_OFFSET",
    "CONSUME_FROM_TIMESTAMP",
];

fn consume_type<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    enum_by_name_or_ordinal(d, CONSUME_TYPES)
}
fn message_model<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    enum_by_name_or_ordinal(d, MESSAGE_MODELS)
}
fn consume_from_where<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    enum_by_name_or_ordinal(d, CONSUME_FROM_WHERE)
}

/// An i64 sent as a number or as a numeric string (C++ sends `subVersion` as a string).
fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::Number(n) => n.as_i64().unwrap_or(0),
        serde_json::Value::String(s) => s.trim().parse().unwrap_or(0),
        _ => 0,
    })
}

/// One subscription of a consumer group.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SubscriptionData {
    pub class_filter_mode: bool,
    pub code_set: BTreeSet<i32>,
    pub expression_type: Option<String>,
    pub sub_string: String,
    #[serde(deserialize_with = "lenient_i64")]
    pub sub_version: i64,
    pub tags_set: BTreeSet<String>,
    pub topic: String,
}

/// A consumer group's part of a heartbeat.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConsumerData {
    #[serde(deserialize_with = "consume_from_where")]
    pub consume_from_where: String,
    #[serde(deserialize_with = "consume_type")]
    pub consume_type: String,
    pub group_name: String,
    #[serde(deserialize_with = "message_model")]
    pub message_model: String,
    pub subscription_data_set: Vec<SubscriptionData>,
    pub unit_mode: bool,
}

/// A producer group's part of a heartbeat.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProducerData {
    pub group_name: String,
}

/// HEART_BEAT body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HeartbeatData {
    #[serde(rename = "clientID")]
    pub client_id: String,
    pub consumer_data_set: Vec<ConsumerData>,
    pub producer_data_set: Vec<ProducerData>,
}

/// One client connection as admin tools see it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClientConnection {
    pub client_addr: String,
    pub client_id: String,
    pub language: String,
    pub version: i32,
}

/// GET_CONSUMER_CONNECTION_LIST body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConsumerConnection {
    pub connection_set: BTreeSet<ClientConnection>,
    pub consume_from_where: Option<String>,
    pub consume_type: Option<String>,
    pub message_model: Option<String>,
    pub subscription_table: BTreeMap<String, SubscriptionData>,
}

/// GET_PRODUCER_CONNECTION_LIST body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProducerConnection {
    pub connection_set: BTreeSet<ClientConnection>,
}

/// GET_CONSUMER_LIST_BY_GROUP body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConsumerIdList {
    pub consumer_id_list: Vec<String>,
}

/// QUERY_TOPIC_CONSUME_BY_WHO body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GroupList {
    pub group_list: BTreeSet<String>,
}

/// One queue's offsets (GET_TOPIC_STATS_INFO).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TopicOffset {
    pub last_update_timestamp: i64,
    pub max_offset: i64,
    pub min_offset: i64,
}

/// GET_TOPIC_STATS_INFO body.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TopicStatsTable {
    #[serde(with = "key_map")]
    pub offset_table: BTreeMap<MessageQueue, TopicOffset>,
    pub topic_put_tps: Option<f64>,
}

/// One queue's consume progress (GET_CONSUME_STATS).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OffsetWrapper {
    pub broker_offset: i64,
    pub consumer_offset: i64,
    pub last_timestamp: i64,
    pub pull_offset: Option<i64>,
}

/// GET_CONSUME_STATS body.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConsumeStats {
    pub consume_tps: f64,
    #[serde(with = "key_map")]
    pub offset_table: BTreeMap<MessageQueue, OffsetWrapper>,
}

impl ConsumeStats {
    /// Sum of `brokerOffset - consumerOffset` over every queue.
    pub fn total_diff(&self) -> i64 {
        self.offset_table
            .values()
            .map(|o| (o.broker_offset - o.consumer_offset).max(0))
            .sum()
    }
}

/// INVOKE_BROKER_TO_RESET_OFFSET body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResetOffsetBody {
    #[serde(with = "key_map")]
    pub offset_table: BTreeMap<MessageQueue, i64>,
}

/// LOCK_BATCH_MQ / UNLOCK_BATCH_MQ request body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LockBatchRequestBody {
    pub client_id: String,
    pub consumer_group: String,
    pub mq_set: BTreeSet<MessageQueue>,
    pub only_this_broker: bool,
}

/// LOCK_BATCH_MQ response body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LockBatchResponseBody {
    #[serde(rename = "lockOKMQSet")]
    pub lock_ok_mq_set: BTreeSet<MessageQueue>,
}

/// GET_ALL_CONSUMER_OFFSET body: `topic@group` -> queueId -> offset.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConsumerOffsetSerializeWrapper {
    pub data_version: DataVersion,
    pub offset_table: BTreeMap<String, BTreeMap<i32, i64>>,
}

/// A subscription group's settings (5.x shape; 4.x readers ignore the extra fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SubscriptionGroupConfig {
    pub attributes: BTreeMap<String, String>,
    pub broker_id: i64,
    pub consume_broadcast_enable: bool,
    pub consume_enable: bool,
    pub consume_from_min_enable: bool,
    pub consume_message_orderly: bool,
    pub consume_timeout_minute: i32,
    pub group_name: String,
    pub group_sys_flag: i32,
    pub notify_consumer_ids_changed_enable: bool,
    pub retry_max_times: i32,
    pub retry_queue_nums: i32,
    pub which_broker_when_consume_slowly: i64,
}

impl Default for SubscriptionGroupConfig {
    fn default() -> Self {
        SubscriptionGroupConfig {
            attributes: BTreeMap::new(),
            broker_id: 0,
            consume_broadcast_enable: true,
            consume_enable: true,
            consume_from_min_enable: true,
            consume_message_orderly: false,
            consume_timeout_minute: 15,
            group_name: String::new(),
            group_sys_flag: 0,
            notify_consumer_ids_changed_enable: true,
            retry_max_times: 16,
            retry_queue_nums: 1,
            which_broker_when_consume_slowly: 1,
        }
    }
}

impl SubscriptionGroupConfig {
    /// Defaults for a named group.
    pub fn named(group: &str) -> Self {
        SubscriptionGroupConfig {
            group_name: group.into(),
            ..Default::default()
        }
    }
}

/// GET_ALL_SUBSCRIPTIONGROUP_CONFIG body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SubscriptionGroupWrapper {
    pub data_version: DataVersion,
    pub subscription_group_table: BTreeMap<String, SubscriptionGroupConfig>,
}

/// Retry topic of a consumer group.
/// Apache's `MixAll.RETRY_GROUP_TOPIC_PREFIX`: the retry topic of group G is `%RETRY%G`.
pub const RETRY_GROUP_TOPIC_PREFIX: &str = "%RETRY%";

pub fn retry_topic(group: &str) -> String {
    format!("{RETRY_GROUP_TOPIC_PREFIX}{group}")
}

/// Dead-letter topic of a consumer group.
pub fn dlq_topic(group: &str) -> String {
    format!("%DLQ%{group}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::fastjson;

    #[test]
    fn cpp_heartbeat_with_ordinals_and_string_sub_version() {
        let text = br#"{"clientID":"127.0.0.1@123","consumerDataSet":[{"consumeFromWhere":0,"consumeType":1,"groupName":"g","messageModel":1,"subscriptionDataSet":[{"codeSet":[0],"subString":"*","subVersion":"1700000000789","tagsSet":[],"topic":"T"}]}]}"#;
        let hb: HeartbeatData = fastjson::from_slice(text).unwrap();
        let c = &hb.consumer_data_set[0];
        assert_eq!(c.consume_type, "CONSUME_PASSIVELY");
        assert_eq!(c.message_model, "CLUSTERING");
        assert_eq!(c.consume_from_where, "CONSUME_FROM_LAST_OFFSET");
        assert_eq!(c.subscription_data_set[0].sub_version, 1700000000789);
        assert!(hb.producer_data_set.is_empty());
    }

    #[test]
    fn java_heartbeat_fixture_parses() {
        let text = br#"{"clientID":"192.168.1.10@12345#98765432","consumerDataSet":[{"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","consumeType":"CONSUME_PASSIVELY","groupName":"cg1","messageModel":"CLUSTERING","subscriptionDataSet":[{"classFilterMode":false,"codeSet":[2598919,2598920],"expressionType":"TAG","subString":"TagA || TagB","subVersion":1700000000789,"tagsSet":["TagA","TagB"],"topic":"TopicTest"}],"unitMode":false}],"heartbeatFingerprint":0,"producerDataSet":[{"groupName":"pg1"}],"withoutSub":false}"#;
        let hb: HeartbeatData = fastjson::from_slice(text).unwrap();
        assert_eq!(hb.producer_data_set[0].group_name, "pg1");
        assert_eq!(
            hb.consumer_data_set[0].subscription_data_set[0]
                .code_set
                .len(),
            2
        );
    }
}
