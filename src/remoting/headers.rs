//! Typed custom headers: each struct maps to `extFields` with the Java field names as keys
//! (remoting-protocol.md 1.5 and section 4). Reading is lenient like Java's: unknown keys are
//! ignored, booleans are `Boolean.parseBoolean` ("0"/"1" are false), numbers may carry blanks.

use super::ext_fields::ExtFields;
use compact_str::{CompactString, ToCompactString};

/// A required header field is missing or a value does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error("request header field `{0}` is missing")]
    Missing(&'static str),
    #[error("request header field `{field}` has an invalid value {value:?}")]
    Invalid { field: &'static str, value: String },
}

/// A custom header that converts to and from `extFields`.
pub trait CommandHeader: Sized {
    fn write_ext(&self, ext: &mut ExtFields);
    fn read_ext(ext: &ExtFields) -> Result<Self, HeaderError>;
}

/// One header field's value type.
pub trait HeaderValue: Sized {
    /// The string sent on the wire; `None` leaves the key out (Java's null). Numbers and short
    /// strings are kept inline, without allocating.
    fn to_text(&self) -> Option<CompactString>;
    /// Read the value of `field`; `text` is `None` when the key is absent.
    fn from_text(field: &'static str, text: Option<&str>) -> Result<Self, HeaderError>;
}

impl HeaderValue for String {
    fn to_text(&self) -> Option<CompactString> {
        Some(CompactString::from(self.as_str()))
    }
    fn from_text(field: &'static str, text: Option<&str>) -> Result<Self, HeaderError> {
        text.map(str::to_string).ok_or(HeaderError::Missing(field))
    }
}

macro_rules! numeric_header_value {
    ($($ty:ty),*) => {$(
        impl HeaderValue for $ty {
            fn to_text(&self) -> Option<CompactString> {
                Some(self.to_compact_string())
            }
            fn from_text(field: &'static str, text: Option<&str>) -> Result<Self, HeaderError> {
                let text = text.ok_or(HeaderError::Missing(field))?;
                let trimmed = text.trim();
                trimmed
                    .parse::<$ty>()
                    .or_else(|_| {
                        // C++ clients may send JSON numbers such as 1.0; accept integral ones.
                        trimmed
                            .parse::<f64>()
                            .ok()
                            .filter(|f| f.fract() == 0.0)
                            .map(|f| f as $ty)
                            .ok_or(())
                    })
                    .map_err(|_| HeaderError::Invalid { field, value: text.to_string() })
            }
        }
    )*};
}
numeric_header_value!(i32, i64);

impl HeaderValue for bool {
    fn to_text(&self) -> Option<CompactString> {
        Some(CompactString::const_new(if *self {
            "true"
        } else {
            "false"
        }))
    }
    /// Java's `Boolean.parseBoolean`: only a case-insensitive "true" is true; absent is false.
    fn from_text(_field: &'static str, text: Option<&str>) -> Result<Self, HeaderError> {
        Ok(text.is_some_and(|t| t.trim().eq_ignore_ascii_case("true")))
    }
}

impl<T: HeaderValue> HeaderValue for Option<T> {
    fn to_text(&self) -> Option<CompactString> {
        self.as_ref().and_then(T::to_text)
    }
    fn from_text(field: &'static str, text: Option<&str>) -> Result<Self, HeaderError> {
        match text {
            None => Ok(None),
            Some(t) => T::from_text(field, Some(t)).map(Some),
        }
    }
}

/// Declare a header struct with its Java key names.
#[macro_export]
macro_rules! remoting_header {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty = $key:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $name { $($(#[$fmeta])* pub $field: $ty),* }

        impl $crate::remoting::headers::CommandHeader for $name {
            fn write_ext(&self, ext: &mut $crate::remoting::ext_fields::ExtFields) {
                const KEYS: &[&str] = &[$($key),*];
                ext.reserve(KEYS.len());
                $(
                    if let Some(v) = $crate::remoting::headers::HeaderValue::to_text(&self.$field) {
                        ext.insert($key, v);
                    }
                )*
                let _ = ext;
            }
            fn read_ext(ext: &$crate::remoting::ext_fields::ExtFields)
                -> Result<Self, $crate::remoting::headers::HeaderError> {
                let _ = ext;
                Ok($name {
                    $($field: $crate::remoting::headers::HeaderValue::from_text(
                        $key, ext.get($key))?,)*
                })
            }
        }
    };
}

// ---- name server ----

remoting_header!(
    /// REGISTER_BROKER (103).
    RegisterBrokerRequestHeader {
        broker_name: String = "brokerName",
        broker_addr: String = "brokerAddr",
        cluster_name: String = "clusterName",
        ha_server_addr: String = "haServerAddr",
        broker_id: i64 = "brokerId",
        heartbeat_timeout_millis: Option<i64> = "heartbeatTimeoutMillis",
        enable_acting_master: Option<bool> = "enableActingMaster",
        compressed: bool = "compressed",
        body_crc32: Option<i32> = "bodyCrc32",
    }
);

remoting_header!(
    /// REGISTER_BROKER response: how a slave learns its master.
    RegisterBrokerResponseHeader {
        ha_server_addr: Option<String> = "haServerAddr",
        master_addr: Option<String> = "masterAddr",
    }
);

remoting_header!(
    /// UNREGISTER_BROKER (104) and QUERY_DATA_VERSION (322) identify a broker the same way.
    BrokerIdentityHeader {
        broker_name: String = "brokerName",
        broker_addr: String = "brokerAddr",
        cluster_name: String = "clusterName",
        broker_id: i64 = "brokerId",
    }
);

remoting_header!(
    /// QUERY_DATA_VERSION response.
    QueryDataVersionResponseHeader { changed: Option<bool> = "changed" }
);

remoting_header!(
    /// BROKER_HEARTBEAT (904).
    BrokerHeartbeatRequestHeader {
        cluster_name: String = "clusterName",
        broker_addr: String = "brokerAddr",
        broker_name: String = "brokerName",
        broker_id: Option<i64> = "brokerId",
        epoch: Option<i32> = "epoch",
        max_offset: Option<i64> = "maxOffset",
        confirm_offset: Option<i64> = "confirmOffset",
        heartbeat_timeout_mills: Option<i64> = "heartbeatTimeoutMills",
        election_priority: Option<i32> = "electionPriority",
    }
);

remoting_header!(
    /// GET_ROUTEINFO_BY_TOPIC (105).
    GetRouteInfoRequestHeader {
        topic: String = "topic",
        accept_standard_json_only: Option<bool> = "acceptStandardJsonOnly",
    }
);

remoting_header!(
    /// GET_TOPICS_BY_CLUSTER (224).
    GetTopicsByClusterRequestHeader { cluster: String = "cluster" }
);

remoting_header!(
    /// DELETE_TOPIC_IN_NAMESRV (216).
    DeleteTopicFromNamesrvRequestHeader {
        topic: String = "topic",
        cluster_name: Option<String> = "clusterName",
    }
);

remoting_header!(
    /// Requests that name only a topic: DELETE_TOPIC_IN_BROKER, GET_TOPIC_STATS_INFO,
    /// QUERY_TOPIC_CONSUME_BY_WHO, REGISTER_TOPIC_IN_NAMESRV.
    TopicRequestHeader { topic: String = "topic" }
);

remoting_header!(
    /// PUT_KV_CONFIG (100).
    PutKvConfigRequestHeader {
        namespace: String = "namespace",
        key: String = "key",
        value: String = "value",
    }
);

remoting_header!(
    /// GET_KV_CONFIG (101) and DELETE_KV_CONFIG (102).
    KvConfigKeyHeader { namespace: String = "namespace", key: String = "key" }
);

remoting_header!(
    /// GET_KV_CONFIG response.
    GetKvConfigResponseHeader { value: Option<String> = "value" }
);

remoting_header!(
    /// GET_KVLIST_BY_NAMESPACE (219).
    GetKvListByNamespaceRequestHeader { namespace: String = "namespace" }
);

remoting_header!(
    /// WIPE_WRITE_PERM_OF_BROKER (205) and ADD_WRITE_PERM_OF_BROKER (327).
    BrokerNameRequestHeader { broker_name: String = "brokerName" }
);

remoting_header!(
    /// WIPE_WRITE_PERM_OF_BROKER response.
    WipeWritePermResponseHeader { wipe_topic_count: i32 = "wipeTopicCount" }
);

remoting_header!(
    /// ADD_WRITE_PERM_OF_BROKER response.
    AddWritePermResponseHeader { add_topic_count: i32 = "addTopicCount" }
);

remoting_header!(
    /// GET_BROKER_MEMBER_GROUP (901).
    GetBrokerMemberGroupRequestHeader {
        cluster_name: String = "clusterName",
        broker_name: String = "brokerName",
    }
);

// ---- broker admin ----

remoting_header!(
    /// UPDATE_AND_CREATE_TOPIC (17).
    CreateTopicRequestHeader {
        topic: String = "topic",
        default_topic: String = "defaultTopic",
        read_queue_nums: i32 = "readQueueNums",
        write_queue_nums: i32 = "writeQueueNums",
        perm: i32 = "perm",
        topic_filter_type: String = "topicFilterType",
        topic_sys_flag: Option<i32> = "topicSysFlag",
        order: bool = "order",
        attributes: Option<String> = "attributes",
        force: Option<bool> = "force",
    }
);

remoting_header!(
    /// GET_TOPIC_CONFIG (351).
    GetTopicConfigRequestHeader { topic: String = "topic", lo: Option<bool> = "lo" }
);

remoting_header!(
    /// GET_MAX_OFFSET (30).
    GetMaxOffsetRequestHeader {
        topic: String = "topic",
        queue_id: i32 = "queueId",
        committed: Option<bool> = "committed",
    }
);

remoting_header!(
    /// GET_MIN_OFFSET (31) and GET_EARLIEST_MSG_STORETIME (32).
    QueueRequestHeader { topic: String = "topic", queue_id: i32 = "queueId" }
);

remoting_header!(
    /// Responses that carry one offset: GET_MAX/MIN_OFFSET, SEARCH_OFFSET_BY_TIMESTAMP,
    /// QUERY_CONSUMER_OFFSET.
    OffsetResponseHeader { offset: i64 = "offset" }
);

remoting_header!(
    /// SEARCH_OFFSET_BY_TIMESTAMP (29).
    SearchOffsetRequestHeader {
        topic: String = "topic",
        queue_id: i32 = "queueId",
        timestamp: i64 = "timestamp",
        boundary_type: Option<String> = "boundaryType",
    }
);

remoting_header!(
    /// GET_EARLIEST_MSG_STORETIME response.
    EarliestMsgStoreTimeResponseHeader { timestamp: i64 = "timestamp" }
);

remoting_header!(
    /// QUERY_CONSUMER_OFFSET (14).
    QueryConsumerOffsetRequestHeader {
        consumer_group: String = "consumerGroup",
        topic: String = "topic",
        queue_id: i32 = "queueId",
        set_zero_if_not_found: Option<bool> = "setZeroIfNotFound",
    }
);

remoting_header!(
    /// UPDATE_CONSUMER_OFFSET (15).
    UpdateConsumerOffsetRequestHeader {
        consumer_group: String = "consumerGroup",
        topic: String = "topic",
        queue_id: i32 = "queueId",
        commit_offset: i64 = "commitOffset",
    }
);

remoting_header!(
    /// GET_CONSUME_STATS (208).
    GetConsumeStatsRequestHeader {
        consumer_group: String = "consumerGroup",
        topic: Option<String> = "topic",
        topic_list: Option<String> = "topicList",
    }
);

remoting_header!(
    /// Requests naming a consumer group: GET_CONSUMER_CONNECTION_LIST (203),
    /// GET_CONSUMER_LIST_BY_GROUP (38), NOTIFY_CONSUMER_IDS_CHANGED (40).
    ConsumerGroupRequestHeader { consumer_group: String = "consumerGroup" }
);

remoting_header!(
    /// GET_PRODUCER_CONNECTION_LIST (204).
    ProducerGroupRequestHeader { producer_group: String = "producerGroup" }
);

remoting_header!(
    /// DELETE_SUBSCRIPTIONGROUP (207).
    DeleteSubscriptionGroupRequestHeader {
        group_name: String = "groupName",
        clean_offset: Option<bool> = "cleanOffset",
    }
);

remoting_header!(
    /// INVOKE_BROKER_TO_RESET_OFFSET (222); `isForce` is the Java field name.
    ResetOffsetRequestHeader {
        group: String = "group",
        topic: String = "topic",
        timestamp: i64 = "timestamp",
        is_force: bool = "isForce",
        queue_id: Option<i32> = "queueId",
        offset: Option<i64> = "offset",
    }
);

remoting_header!(
    /// GET_BROKER_CONSUME_STATS (317).
    GetConsumeStatsInBrokerHeader { is_order: bool = "isOrder" }
);

remoting_header!(
    /// GET_BROKER_CONFIG response: the config DataVersion as JSON text.
    GetBrokerConfigResponseHeader { version: Option<String> = "version" }
);

// ---- messaging ----

remoting_header!(
    /// VIEW_MESSAGE_BY_ID (33).
    ViewMessageRequestHeader { offset: i64 = "offset", topic: Option<String> = "topic" }
);

remoting_header!(
    /// QUERY_MESSAGE (12).
    QueryMessageRequestHeader {
        topic: String = "topic",
        key: String = "key",
        max_num: i32 = "maxNum",
        begin_timestamp: i64 = "beginTimestamp",
        end_timestamp: i64 = "endTimestamp",
    }
);

remoting_header!(
    /// QUERY_MESSAGE response.
    QueryMessageResponseHeader {
        index_last_update_timestamp: i64 = "indexLastUpdateTimestamp",
        index_last_update_phyoffset: i64 = "indexLastUpdatePhyoffset",
    }
);

remoting_header!(
    /// SEND_MESSAGE (10) with Java's long field names.
    SendMessageRequestHeader {
        producer_group: String = "producerGroup",
        topic: String = "topic",
        default_topic: String = "defaultTopic",
        default_topic_queue_nums: i32 = "defaultTopicQueueNums",
        queue_id: i32 = "queueId",
        sys_flag: i32 = "sysFlag",
        born_timestamp: i64 = "bornTimestamp",
        flag: i32 = "flag",
        properties: Option<String> = "properties",
        reconsume_times: Option<i32> = "reconsumeTimes",
        unit_mode: bool = "unitMode",
        batch: bool = "batch",
        max_reconsume_times: Option<i32> = "maxReconsumeTimes",
        broker_name: Option<String> = "bname",
    }
);

remoting_header!(
    /// SEND_MESSAGE_V2 (310) / SEND_BATCH_MESSAGE (320): single-letter keys.
    SendMessageRequestHeaderV2 {
        a: String = "a",
        b: String = "b",
        c: String = "c",
        d: i32 = "d",
        e: i32 = "e",
        f: i32 = "f",
        g: i64 = "g",
        h: i32 = "h",
        i: Option<String> = "i",
        j: Option<i32> = "j",
        k: bool = "k",
        l: Option<i32> = "l",
        m: bool = "m",
        n: Option<String> = "n",
    }
);

impl SendMessageRequestHeaderV2 {
    /// The same request with Java's long names.
    pub fn into_v1(self) -> SendMessageRequestHeader {
        SendMessageRequestHeader {
            producer_group: self.a,
            topic: self.b,
            default_topic: self.c,
            default_topic_queue_nums: self.d,
            queue_id: self.e,
            sys_flag: self.f,
            born_timestamp: self.g,
            flag: self.h,
            properties: self.i,
            reconsume_times: self.j,
            unit_mode: self.k,
            max_reconsume_times: self.l,
            batch: self.m,
            broker_name: self.n,
        }
    }

    /// The V2 form of a long-named request.
    pub fn from_v1(h: SendMessageRequestHeader) -> Self {
        SendMessageRequestHeaderV2 {
            a: h.producer_group,
            b: h.topic,
            c: h.default_topic,
            d: h.default_topic_queue_nums,
            e: h.queue_id,
            f: h.sys_flag,
            g: h.born_timestamp,
            h: h.flag,
            i: h.properties,
            j: h.reconsume_times,
            k: h.unit_mode,
            l: h.max_reconsume_times,
            m: h.batch,
            n: h.broker_name,
        }
    }
}

remoting_header!(
    /// SEND response; Java clients also read ext `MSG_REGION` and `TRACE_ON`. Fields are in
    /// key order, so the map is built sorted and encoding it needs no sort (one per send).
    SendMessageResponseHeader {
        msg_region: Option<String> = "MSG_REGION",
        trace_on: Option<String> = "TRACE_ON",
        batch_uniq_id: Option<String> = "batchUniqId",
        msg_id: String = "msgId",
        queue_id: i32 = "queueId",
        queue_offset: i64 = "queueOffset",
        transaction_id: Option<String> = "transactionId",
    }
);

remoting_header!(
    /// PULL_MESSAGE (11).
    PullMessageRequestHeader {
        consumer_group: String = "consumerGroup",
        topic: String = "topic",
        queue_id: i32 = "queueId",
        queue_offset: i64 = "queueOffset",
        max_msg_nums: i32 = "maxMsgNums",
        sys_flag: i32 = "sysFlag",
        commit_offset: i64 = "commitOffset",
        suspend_timeout_millis: i64 = "suspendTimeoutMillis",
        subscription: Option<String> = "subscription",
        sub_version: i64 = "subVersion",
        expression_type: Option<String> = "expressionType",
        max_msg_bytes: Option<i32> = "maxMsgBytes",
    }
);

remoting_header!(
    /// PULL response: the four required fields must be on every accepted code.
    PullMessageResponseHeader {
        suggest_which_broker_id: i64 = "suggestWhichBrokerId",
        next_begin_offset: i64 = "nextBeginOffset",
        min_offset: i64 = "minOffset",
        max_offset: i64 = "maxOffset",
        offset_delta: Option<i64> = "offsetDelta",
        topic_sys_flag: Option<i32> = "topicSysFlag",
        group_sys_flag: Option<i32> = "groupSysFlag",
    }
);

remoting_header!(
    /// UNREGISTER_CLIENT (35).
    UnregisterClientRequestHeader {
        client_id: String = "clientID",
        producer_group: Option<String> = "producerGroup",
        consumer_group: Option<String> = "consumerGroup",
    }
);

remoting_header!(
    /// CONSUMER_SEND_MSG_BACK (36).
    ConsumerSendMsgBackRequestHeader {
        offset: i64 = "offset",
        group: String = "group",
        delay_level: i32 = "delayLevel",
        origin_msg_id: Option<String> = "originMsgId",
        origin_topic: Option<String> = "originTopic",
        unit_mode: bool = "unitMode",
        max_reconsume_times: Option<i32> = "maxReconsumeTimes",
    }
);

remoting_header!(
    /// END_TRANSACTION (37, oneway). `fromTransactionCheck` is kept as text: the C++ client
    /// sends "1", which `Boolean.parseBoolean` would read as false (see `is_from_check`).
    EndTransactionRequestHeader {
        producer_group: String = "producerGroup",
        tran_state_table_offset: i64 = "tranStateTableOffset",
        commit_log_offset: i64 = "commitLogOffset",
        commit_or_rollback: i32 = "commitOrRollback",
        from_transaction_check: Option<String> = "fromTransactionCheck",
        msg_id: String = "msgId",
        transaction_id: Option<String> = "transactionId",
        topic: Option<String> = "topic",
    }
);

impl EndTransactionRequestHeader {
    /// Whether the producer answers a CHECK_TRANSACTION_STATE: "true" (Java) or "1" (C++).
    pub fn is_from_check(&self) -> bool {
        self.from_transaction_check
            .as_deref()
            .map(str::trim)
            .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
    }
}

remoting_header!(
    /// CHECK_TRANSACTION_STATE (39, broker to producer, oneway); the body is the half message
    /// in stored format with its real topic and queue.
    CheckTransactionStateRequestHeader {
        tran_state_table_offset: i64 = "tranStateTableOffset",
        commit_log_offset: i64 = "commitLogOffset",
        msg_id: Option<String> = "msgId",
        transaction_id: Option<String> = "transactionId",
        offset_msg_id: Option<String> = "offsetMsgId",
        topic: Option<String> = "topic",
        broker_name: Option<String> = "bname",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_null_fields_left_out() {
        let h = GetRouteInfoRequestHeader {
            topic: "T".into(),
            accept_standard_json_only: None,
        };
        let mut ext = ExtFields::new();
        h.write_ext(&mut ext);
        assert_eq!(ext.len(), 1);
        assert_eq!(GetRouteInfoRequestHeader::read_ext(&ext).unwrap(), h);
    }

    #[test]
    fn lenient_values_as_java_reads_them() {
        let mut ext = ExtFields::new();
        for (k, v) in [
            ("a", "pg"),
            ("b", "T"),
            ("c", "TBW102"),
            ("d", "4"),
            ("e", " 1 "),
            ("f", "0"),
            ("g", "1700000000000"),
            ("h", "0"),
            ("k", "0"),
            ("m", "TRUE"),
            ("unknown", "x"),
        ] {
            ext.insert(k, v);
        }
        let h = SendMessageRequestHeaderV2::read_ext(&ext).unwrap();
        assert_eq!(h.e, 1);
        assert!(!h.k);
        assert!(h.m);
        assert_eq!(h.into_v1().queue_id, 1);
    }

    #[test]
    fn missing_and_invalid_fields_are_named() {
        let ext = ExtFields::new();
        assert_eq!(
            GetRouteInfoRequestHeader::read_ext(&ext),
            Err(HeaderError::Missing("topic"))
        );
        let mut ext = ExtFields::new();
        ext.insert("topic", "T");
        ext.insert("queueId", "abc");
        assert!(matches!(
            QueueRequestHeader::read_ext(&ext),
            Err(HeaderError::Invalid {
                field: "queueId",
                ..
            })
        ));
    }
}
