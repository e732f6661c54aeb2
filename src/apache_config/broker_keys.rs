//! The keys the bundled broker acts on: one line per key gives the field, its Apache spelling,
//! its type and Apache's default. `broker::config` builds `BrokerConfig` (struct, defaults,
//! setter, dump) from this table; here the same table gives the key list and the typed check of
//! each value that the linter and the broker's loader share.

use std::path::PathBuf;

use super::values::{
    BrokerRole, ConfigValue, FlushDiskType, KeyKind, MessageDelayLevels, ValueError,
};

/// Calls `$generate!` with the table of keys the bundled broker acts on, one
/// `field: Type = "apacheKey", default;` line each (the defaults name `local_hostname`,
/// `cpu_count`, `expand_tilde` and the value types, which the caller brings into scope).
macro_rules! broker_key_table {
    ($generate:ident) => {
        $generate! {
            /// `brokerClusterName`
            broker_cluster_name: String = "brokerClusterName", "DefaultCluster".into();
            /// `brokerName` (default: the local hostname); a master and its slaves share it.
            broker_name: String = "brokerName", local_hostname();
            /// `brokerId`: 0 for the master, > 0 for slaves.
            broker_id: i64 = "brokerId", 0;
            /// `brokerRole`
            broker_role: BrokerRole = "brokerRole", BrokerRole::AsyncMaster;
            /// `flushDiskType`
            flush_disk_type: FlushDiskType = "flushDiskType", FlushDiskType::AsyncFlush;
            /// `namesrvAddr`: `host:port;host:port` (Apache falls back to `$NAMESRV_ADDR`).
            namesrv_addr: Option<String> = "namesrvAddr", None;
            /// `brokerIP1`: the address registered with the name server (auto-detected if unset).
            broker_ip1: Option<String> = "brokerIP1", None;
            /// `brokerIP2`: the HA address slaves use (defaults to brokerIP1).
            broker_ip2: Option<String> = "brokerIP2", None;
            /// `bindAddress` (NettyServerConfig)
            bind_address: String = "bindAddress", "0.0.0.0".into();
            /// `listenPort`: remoting port; the fast port is listenPort-2, HA listenPort+1.
            listen_port: u16 = "listenPort", 10911;
            /// `haListenPort` (default listenPort+1)
            ha_listen_port: Option<u16> = "haListenPort", None;
            /// `haMasterAddress`: fixed master HA address for a slave (normally learned from the name server).
            ha_master_address: Option<String> = "haMasterAddress", None;
            /// `storePathRootDir` (default `~/store`)
            store_path_root_dir: PathBuf = "storePathRootDir", expand_tilde("~/store");
            /// `storePathCommitLog` (default `<storePathRootDir>/commitlog`; comma-separated paths allowed)
            store_path_commit_log: Option<String> = "storePathCommitLog", None;
            /// `mappedFileSizeCommitLog`, bytes
            mapped_file_size_commit_log: u32 = "mappedFileSizeCommitLog", 1024 * 1024 * 1024;
            /// `mappedFileSizeConsumeQueue`, bytes (300 000 entries of 20 bytes)
            mapped_file_size_consume_queue: u32 = "mappedFileSizeConsumeQueue", 300_000 * 20;
            /// `deleteWhen`: hour(s) of day when expired files are deleted, e.g. `04` or `04;16`
            delete_when: String = "deleteWhen", "04".into();
            /// `fileReservedTime`, hours
            file_reserved_time: u32 = "fileReservedTime", 72;
            /// `diskMaxUsedSpaceRatio`, percent
            disk_max_used_space_ratio: u32 = "diskMaxUsedSpaceRatio", 75;
            /// `diskSpaceWarningLevelRatio`, percent
            disk_space_warning_level_ratio: u32 = "diskSpaceWarningLevelRatio", 90;
            /// `diskSpaceCleanForciblyRatio`, percent
            disk_space_clean_forcibly_ratio: u32 = "diskSpaceCleanForciblyRatio", 85;
            /// `maxMessageSize`, bytes
            max_message_size: u32 = "maxMessageSize", 4 * 1024 * 1024;
            /// `defaultTopicQueueNums`: queues of auto-created topics
            default_topic_queue_nums: u32 = "defaultTopicQueueNums", 8;
            /// `autoCreateTopicEnable`
            auto_create_topic_enable: bool = "autoCreateTopicEnable", true;
            /// `autoCreateSubscriptionGroup`
            auto_create_subscription_group: bool = "autoCreateSubscriptionGroup", true;
            /// `clusterTopicEnable`
            cluster_topic_enable: bool = "clusterTopicEnable", true;
            /// `brokerTopicEnable`
            broker_topic_enable: bool = "brokerTopicEnable", true;
            /// `flushCommitLogLeastPages`, 4 KiB pages
            flush_commit_log_least_pages: u32 = "flushCommitLogLeastPages", 4;
            /// `flushConsumeQueueLeastPages`, 4 KiB pages
            flush_consume_queue_least_pages: u32 = "flushConsumeQueueLeastPages", 2;
            /// `flushCommitLogThoroughInterval`, ms
            flush_commit_log_thorough_interval: u32 = "flushCommitLogThoroughInterval", 10_000;
            /// `flushConsumeQueueThoroughInterval`, ms
            flush_consume_queue_thorough_interval: u32 = "flushConsumeQueueThoroughInterval", 60_000;
            /// `flushIntervalCommitLog`, ms
            flush_interval_commit_log: u32 = "flushIntervalCommitLog", 500;
            /// `flushIntervalConsumeQueue`, ms
            flush_interval_consume_queue: u32 = "flushIntervalConsumeQueue", 1000;
            /// `syncFlushTimeout`, ms
            sync_flush_timeout: u64 = "syncFlushTimeout", 5000;
            /// `slaveTimeout`, ms
            slave_timeout: u64 = "slaveTimeout", 3000;
            /// `haMaxGapNotInSync`, bytes
            ha_max_gap_not_in_sync: u64 = "haMaxGapNotInSync", 256 * 1024 * 1024;
            /// `haSendHeartbeatInterval`, ms
            ha_send_heartbeat_interval: u64 = "haSendHeartbeatInterval", 5000;
            /// `haHousekeepingInterval`, ms
            ha_housekeeping_interval: u64 = "haHousekeepingInterval", 20_000;
            /// `haTransferBatchSize`, bytes
            ha_transfer_batch_size: u32 = "haTransferBatchSize", 32 * 1024;
            /// `sendMessageThreadPoolNums` (default min(cpus, 4))
            send_message_thread_pool_nums: u32 = "sendMessageThreadPoolNums", cpu_count().min(4);
            /// `pullMessageThreadPoolNums` (default 16 + 2 × cpus)
            pull_message_thread_pool_nums: u32 = "pullMessageThreadPoolNums", 16 + 2 * cpu_count();
            /// `adminBrokerThreadPoolNums`
            admin_broker_thread_pool_nums: u32 = "adminBrokerThreadPoolNums", 16;
            /// `brokerPermission`: 2 = write, 4 = read, 6 = read/write
            broker_permission: u32 = "brokerPermission", 6;
            /// `slaveReadEnable`
            slave_read_enable: bool = "slaveReadEnable", false;
            /// `registerNameServerPeriod`, ms
            register_name_server_period: u64 = "registerNameServerPeriod", 30_000;
            /// `brokerNotActiveTimeoutMillis`, ms
            broker_not_active_timeout_millis: u64 = "brokerNotActiveTimeoutMillis", 10_000;
            /// `serverChannelMaxIdleTimeSeconds`, s
            server_channel_max_idle_time_seconds: u32 = "serverChannelMaxIdleTimeSeconds", 120;
            /// `serverMaxConnections` (rmqctl only; Apache has no such cap): connections each
            /// listening port (listenPort, the fast port, the HA port) holds at once; 0: no cap.
            server_max_connections: u32 = "serverMaxConnections", 10_000;
            /// `serverMaxConnectionsPerAddress` (rmqctl only): connections from one remote IP
            /// address per listening port; 0: no cap. See `remoting::connection_limit`.
            server_max_connections_per_address: u32 = "serverMaxConnectionsPerAddress", 1_000;
            /// `serverWorkerThreads`
            server_worker_threads: u32 = "serverWorkerThreads", 8;
            /// `messageDelayLevel`: delay of each level, space-separated
            message_delay_level: MessageDelayLevels = "messageDelayLevel", MessageDelayLevels::default();
            /// `longPollingEnable`
            long_polling_enable: bool = "longPollingEnable", true;
            /// `notifyConsumerIdsChangedEnable` (5.x): false tells no group's members of joins
            /// and leaves by request, whatever the group's own flag says.
            notify_consumer_ids_changed_enable: bool = "notifyConsumerIdsChangedEnable", true;
            /// `shortPollingTimeMills`, ms
            short_polling_time_mills: u64 = "shortPollingTimeMills", 1000;
            /// `waitTimeMillsInSendQueue`, ms
            wait_time_mills_in_send_queue: u64 = "waitTimeMillsInSendQueue", 200;
            /// `traceTopicEnable`
            trace_topic_enable: bool = "traceTopicEnable", false;
            /// `msgTraceTopicName`
            msg_trace_topic_name: String = "msgTraceTopicName", "RMQ_SYS_TRACE_TOPIC".into();
            /// `messageIndexEnable`
            message_index_enable: bool = "messageIndexEnable", true;
            /// `maxHashSlotNum`
            max_hash_slot_num: u32 = "maxHashSlotNum", 5_000_000;
            /// `maxIndexNum`
            max_index_num: u32 = "maxIndexNum", 20_000_000;
            /// `defaultQueryMaxNum`
            default_query_max_num: u32 = "defaultQueryMaxNum", 32;
            /// `maxMsgsNumBatch`
            max_msgs_num_batch: u32 = "maxMsgsNumBatch", 64;
            /// `rejectTransactionMessage`: refuse prepared (transactional) sends
            reject_transaction_message: bool = "rejectTransactionMessage", false;
            /// `transactionTimeOut`, ms
            transaction_time_out: u64 = "transactionTimeOut", 6000;
            /// `transactionCheckMax`
            transaction_check_max: u32 = "transactionCheckMax", 15;
            /// `transactionCheckInterval`, ms
            transaction_check_interval: u64 = "transactionCheckInterval", 30_000;
            /// `isolateLogEnable`
            isolate_log_enable: bool = "isolateLogEnable", false;
            /// `aclEnable`
            acl_enable: bool = "aclEnable", false;
            /// `rocketmqHome`
            rocketmq_home: Option<String> = "rocketmqHome", None;
        }
    };
}
pub(crate) use broker_key_table;

/// Generates the key list and the typed checks from the table.
macro_rules! key_checks {
    ($( $(#[$doc:meta])* $field:ident : $ty:ty = $key:literal, $default:expr; )*) => {
        /// Apache spellings of every key the bundled broker acts on.
        pub static SUPPORTED_KEYS: &[&str] = &[ $( $key, )* ];

        /// The kind of value of `key`, if the bundled broker acts on it.
        pub fn typed_kind(key: &str) -> Option<KeyKind> {
            match key {
                $( $key => Some(<$ty as ConfigValue>::KIND), )*
                _ => None,
            }
        }

        /// Parses `value` as the bundled broker would; `None` if it does not act on `key`.
        pub fn check_typed(key: &str, value: &str) -> Option<Result<(), ValueError>> {
            match key {
                $( $key => Some(<$ty as ConfigValue>::parse_value(value).map(|_| ())), )*
                _ => None,
            }
        }
    };
}

broker_key_table!(key_checks);
