//! Request codes, response codes and language codes of the remoting protocol
//! (remoting-protocol.md sections 1.4, 2 and 3). Codes travel as plain `i32`s in a
//! `RemotingCommand`; these enums name the known ones.

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident : $repr:ty { $($variant:ident = $value:expr),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        pub enum $name { $($variant),* }

        impl $name {
            /// Every known code, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The numeric code on the wire.
            pub const fn code(self) -> $repr {
                match self { $($name::$variant => $value),* }
            }

            /// The code's Java name.
            pub const fn name(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant)),* }
            }

            /// The known code with this number, if any.
            pub fn from_code(code: $repr) -> Option<Self> {
                match code { $(x if x == $value => Some($name::$variant),)* _ => None }
            }

            /// The known code with this Java name, if any.
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $(stringify!($variant) => Some($name::$variant),)* _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({})", self.name(), self.code())
            }
        }
    };
}

code_enum! {
    /// Request codes (`RequestCode.java`, 4.x and 5.x).
    RequestCode: i32 {
        SEND_MESSAGE = 10, PULL_MESSAGE = 11, QUERY_MESSAGE = 12, QUERY_BROKER_OFFSET = 13,
        QUERY_CONSUMER_OFFSET = 14, UPDATE_CONSUMER_OFFSET = 15, UPDATE_AND_CREATE_TOPIC = 17,
        UPDATE_AND_CREATE_TOPIC_LIST = 18, GET_ALL_TOPIC_CONFIG = 21, GET_TOPIC_CONFIG_LIST = 22,
        GET_TOPIC_NAME_LIST = 23, UPDATE_BROKER_CONFIG = 25, GET_BROKER_CONFIG = 26,
        TRIGGER_DELETE_FILES = 27, GET_BROKER_RUNTIME_INFO = 28, SEARCH_OFFSET_BY_TIMESTAMP = 29,
        GET_MAX_OFFSET = 30, GET_MIN_OFFSET = 31, GET_EARLIEST_MSG_STORETIME = 32,
        VIEW_MESSAGE_BY_ID = 33, HEART_BEAT = 34, UNREGISTER_CLIENT = 35,
        CONSUMER_SEND_MSG_BACK = 36, END_TRANSACTION = 37, GET_CONSUMER_LIST_BY_GROUP = 38,
        CHECK_TRANSACTION_STATE = 39, NOTIFY_CONSUMER_IDS_CHANGED = 40, LOCK_BATCH_MQ = 41,
        UNLOCK_BATCH_MQ = 42, GET_ALL_CONSUMER_OFFSET = 43, GET_ALL_DELAY_OFFSET = 45,
        CHECK_CLIENT_CONFIG = 46, GET_CLIENT_CONFIG = 47, UPDATE_AND_CREATE_ACL_CONFIG = 50,
        DELETE_ACL_CONFIG = 51, GET_BROKER_CLUSTER_ACL_INFO = 52,
        UPDATE_GLOBAL_WHITE_ADDRS_CONFIG = 53, GET_TIMER_CHECK_POINT = 60, GET_TIMER_METRICS = 61,
        PUT_KV_CONFIG = 100, GET_KV_CONFIG = 101, DELETE_KV_CONFIG = 102, REGISTER_BROKER = 103,
        UNREGISTER_BROKER = 104, GET_ROUTEINFO_BY_TOPIC = 105, GET_BROKER_CLUSTER_INFO = 106,
        UPDATE_AND_CREATE_SUBSCRIPTIONGROUP = 200, GET_ALL_SUBSCRIPTIONGROUP_CONFIG = 201,
        GET_TOPIC_STATS_INFO = 202, GET_CONSUMER_CONNECTION_LIST = 203,
        GET_PRODUCER_CONNECTION_LIST = 204, WIPE_WRITE_PERM_OF_BROKER = 205,
        GET_ALL_TOPIC_LIST_FROM_NAMESERVER = 206, DELETE_SUBSCRIPTIONGROUP = 207,
        GET_CONSUME_STATS = 208, SUSPEND_CONSUMER = 209, RESUME_CONSUMER = 210,
        RESET_CONSUMER_OFFSET_IN_CONSUMER = 211, RESET_CONSUMER_OFFSET_IN_BROKER = 212,
        ADJUST_CONSUMER_THREAD_POOL = 213, WHO_CONSUME_THE_MESSAGE = 214,
        DELETE_TOPIC_IN_BROKER = 215, DELETE_TOPIC_IN_NAMESRV = 216,
        REGISTER_TOPIC_IN_NAMESRV = 217, GET_KVLIST_BY_NAMESPACE = 219,
        RESET_CONSUMER_CLIENT_OFFSET = 220, GET_CONSUMER_STATUS_FROM_CLIENT = 221,
        INVOKE_BROKER_TO_RESET_OFFSET = 222, INVOKE_BROKER_TO_GET_CONSUMER_STATUS = 223,
        GET_TOPICS_BY_CLUSTER = 224, UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST = 225,
        QUERY_TOPIC_CONSUME_BY_WHO = 300, REGISTER_FILTER_SERVER = 301,
        REGISTER_MESSAGE_FILTER_CLASS = 302, QUERY_CONSUME_TIME_SPAN = 303,
        GET_SYSTEM_TOPIC_LIST_FROM_NS = 304, GET_SYSTEM_TOPIC_LIST_FROM_BROKER = 305,
        CLEAN_EXPIRED_CONSUMEQUEUE = 306, GET_CONSUMER_RUNNING_INFO = 307,
        QUERY_CORRECTION_OFFSET = 308, CONSUME_MESSAGE_DIRECTLY = 309, SEND_MESSAGE_V2 = 310,
        GET_UNIT_TOPIC_LIST = 311, GET_HAS_UNIT_SUB_TOPIC_LIST = 312,
        GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST = 313, CLONE_GROUP_OFFSET = 314,
        VIEW_BROKER_STATS_DATA = 315, CLEAN_UNUSED_TOPIC = 316, GET_BROKER_CONSUME_STATS = 317,
        UPDATE_NAMESRV_CONFIG = 318, GET_NAMESRV_CONFIG = 319, SEND_BATCH_MESSAGE = 320,
        QUERY_CONSUME_QUEUE = 321, QUERY_DATA_VERSION = 322, RESUME_CHECK_HALF_MESSAGE = 323,
        SEND_REPLY_MESSAGE = 324, SEND_REPLY_MESSAGE_V2 = 325, PUSH_REPLY_MESSAGE_TO_CLIENT = 326,
        ADD_WRITE_PERM_OF_BROKER = 327, GET_ALL_PRODUCER_INFO = 328,
        DELETE_EXPIRED_COMMITLOG = 329, QUERY_TOPICS_BY_CONSUMER = 343,
        QUERY_SUBSCRIPTION_BY_CONSUMER = 345, GET_TOPIC_CONFIG = 351,
        GET_SUBSCRIPTIONGROUP_CONFIG = 352, UPDATE_AND_GET_GROUP_FORBIDDEN = 353,
        CHECK_ROCKSDB_CQ_WRITE_PROGRESS = 354, EXPORT_ROCKSDB_CONFIG_TO_JSON = 355,
        LITE_PULL_MESSAGE = 361, RECALL_MESSAGE = 370, QUERY_ASSIGNMENT = 400,
        SET_MESSAGE_REQUEST_MODE = 401, GET_ALL_MESSAGE_REQUEST_MODE = 402,
        UPDATE_AND_CREATE_STATIC_TOPIC = 513, GET_BROKER_MEMBER_GROUP = 901, ADD_BROKER = 902,
        REMOVE_BROKER = 903, BROKER_HEARTBEAT = 904, NOTIFY_MIN_BROKER_ID_CHANGE = 905,
        EXCHANGE_BROKER_HA_INFO = 906, GET_BROKER_HA_STATUS = 907,
        RESET_MASTER_FLUSH_OFFSET = 908, POP_MESSAGE = 200050, ACK_MESSAGE = 200051,
        PEEK_MESSAGE = 200052, CHANGE_MESSAGE_INVISIBLETIME = 200053, NOTIFICATION = 200054,
        POLLING_INFO = 200055, POP_ROLLBACK = 200056, BATCH_ACK_MESSAGE = 200151,
    }
}

code_enum! {
    /// Response codes (`RemotingSysResponseCode.java` + `ResponseCode.java`). Where 4.x and 5.x
    /// disagree (209-211) the 5.x name is used.
    ResponseCode: i32 {
        SUCCESS = 0, SYSTEM_ERROR = 1, SYSTEM_BUSY = 2, REQUEST_CODE_NOT_SUPPORTED = 3,
        TRANSACTION_FAILED = 4, FLUSH_DISK_TIMEOUT = 10, SLAVE_NOT_AVAILABLE = 11,
        FLUSH_SLAVE_TIMEOUT = 12, MESSAGE_ILLEGAL = 13, SERVICE_NOT_AVAILABLE = 14,
        VERSION_NOT_SUPPORTED = 15, NO_PERMISSION = 16, TOPIC_NOT_EXIST = 17,
        TOPIC_EXIST_ALREADY = 18, PULL_NOT_FOUND = 19, PULL_RETRY_IMMEDIATELY = 20,
        PULL_OFFSET_MOVED = 21, QUERY_NOT_FOUND = 22, SUBSCRIPTION_PARSE_FAILED = 23,
        SUBSCRIPTION_NOT_EXIST = 24, SUBSCRIPTION_NOT_LATEST = 25,
        SUBSCRIPTION_GROUP_NOT_EXIST = 26, FILTER_DATA_NOT_EXIST = 27,
        FILTER_DATA_NOT_LATEST = 28, INVALID_PARAMETER = 29, TRANSACTION_SHOULD_COMMIT = 200,
        TRANSACTION_SHOULD_ROLLBACK = 201, TRANSACTION_STATE_UNKNOW = 202,
        TRANSACTION_STATE_GROUP_WRONG = 203, NO_BUYER_ID = 204, NOT_IN_CURRENT_UNIT = 205,
        CONSUMER_NOT_ONLINE = 206, CONSUME_MSG_TIMEOUT = 207, NO_MESSAGE = 208,
        POLLING_FULL = 209, POLLING_TIMEOUT = 210, BROKER_NOT_EXIST = 211,
        BROKER_DISPATCH_NOT_COMPLETE = 212, BROADCAST_CONSUMPTION = 213, FLOW_CONTROL = 215,
        NOT_LEADER_FOR_QUEUE = 501, ILLEGAL_OPERATION = 604, GO_AWAY = 1500,
        USER_NOT_EXIST = 3001, POLICY_NOT_EXIST = 3002,
    }
}

code_enum! {
    /// What the answer to a send (SEND_MESSAGE, SEND_MESSAGE_V2, SEND_BATCH_MESSAGE) says of a
    /// message the broker stored: Apache's `SendStatus`, each with the response code that
    /// `MQClientAPIImpl.processSendResponse` maps to it. Any other code means "not stored".
    /// The names are what `message send` prints, the gateway answers and `accept_degraded` lists.
    SendStatus: i32 {
        SEND_OK = ResponseCode::SUCCESS.code(),
        FLUSH_DISK_TIMEOUT = ResponseCode::FLUSH_DISK_TIMEOUT.code(),
        FLUSH_SLAVE_TIMEOUT = ResponseCode::FLUSH_SLAVE_TIMEOUT.code(),
        SLAVE_NOT_AVAILABLE = ResponseCode::SLAVE_NOT_AVAILABLE.code(),
    }
}

code_enum! {
    /// The sender's language (`LanguageCode.java`); the byte in a ROCKETMQ header.
    LanguageCode: u8 {
        JAVA = 0, CPP = 1, DOTNET = 2, PYTHON = 3, DELPHI = 4, ERLANG = 5, RUBY = 6, OTHER = 7,
        HTTP = 8, GO = 9, PHP = 10, OMS = 11, RUST = 12, NODE_JS = 13,
    }
}

/// A readable name for any code: `GET_ROUTEINFO_BY_TOPIC(105)` or `code 9999`.
pub fn describe_request(code: i32) -> String {
    RequestCode::from_code(code).map_or_else(|| format!("code {code}"), |c| c.to_string())
}

/// A readable name for any response code.
pub fn describe_response(code: i32) -> String {
    ResponseCode::from_code(code).map_or_else(|| format!("code {code}"), |c| c.to_string())
}

/// `MQVersion` ordinals that change behaviour (remoting-protocol.md 1.4).
pub mod version {
    /// RocketMQ 3.0.11: REGISTER_BROKER bodies are `RegisterBrokerBody` from here on.
    pub const V3_0_11: i32 = 37;
    /// RocketMQ 4.9.4: routes are answered in standard JSON from here on.
    pub const V4_9_4: i32 = 401;
    /// RocketMQ 4.9.8, what rmqctl sends: understood by every 4.x and 5.x server.
    pub const V4_9_8: i32 = 409;
    /// RocketMQ 5.0.0: compressed registrations carry a mapping section.
    pub const V5_0_0: i32 = 413;
    /// The version rmqctl's own servers report.
    pub const CURRENT: i32 = V4_9_8;

    /// `V4_9_8`-style name of an ordinal (`MQVersion.getVersionDesc`), for 4.x and 5.x releases.
    pub fn describe(ordinal: i32) -> String {
        let (major, base) = if ordinal >= 413 { (5, 413) } else { (4, 213) };
        if ordinal < 213 {
            return format!("V{ordinal}");
        }
        let step = ordinal - base;
        let snapshot = if step % 2 == 1 { "_SNAPSHOT" } else { "" };
        let n = (step + step % 2) / 2;
        format!("V{major}_{}_{}{snapshot}", n / 10, n % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_by_number_and_name() {
        for c in RequestCode::ALL {
            assert_eq!(RequestCode::from_code(c.code()), Some(*c));
            assert_eq!(RequestCode::from_name(c.name()), Some(*c));
        }
        assert_eq!(RequestCode::GET_ROUTEINFO_BY_TOPIC.code(), 105);
        assert_eq!(
            ResponseCode::from_code(17),
            Some(ResponseCode::TOPIC_NOT_EXIST)
        );
        assert_eq!(LanguageCode::from_code(12), Some(LanguageCode::RUST));
        assert_eq!(describe_request(9999), "code 9999");
    }

    #[test]
    fn send_statuses_are_the_stored_answers() {
        assert_eq!(SendStatus::from_code(0), Some(SendStatus::SEND_OK));
        assert_eq!(
            SendStatus::from_code(10),
            Some(SendStatus::FLUSH_DISK_TIMEOUT)
        );
        assert_eq!(
            SendStatus::from_code(11),
            Some(SendStatus::SLAVE_NOT_AVAILABLE)
        );
        assert_eq!(
            SendStatus::from_code(12),
            Some(SendStatus::FLUSH_SLAVE_TIMEOUT)
        );
        assert_eq!(SendStatus::from_code(2), None); // SYSTEM_BUSY: not stored
        assert_eq!(
            SendStatus::FLUSH_SLAVE_TIMEOUT.name(),
            "FLUSH_SLAVE_TIMEOUT"
        );
    }

    #[test]
    fn version_names_follow_mqversion() {
        assert_eq!(version::describe(409), "V4_9_8");
        assert_eq!(version::describe(479), "V5_3_3");
        assert_eq!(version::describe(474), "V5_3_1_SNAPSHOT");
        assert_eq!(version::describe(401), "V4_9_4");
    }
}
