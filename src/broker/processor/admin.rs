//! Admin requests (Apache's `AdminBrokerProcessor`): topics, broker config and runtime info,
//! topic and consume stats, connections, subscription groups, offset resets and the tables a
//! slave copies from its master.

use super::{error_response, json_response, BrokerProcessor};
use crate::broker::config::SetOutcome;
use crate::broker::ha::{HaConfig, HaConnectionState};
use crate::broker::metadata::topics::{is_system_topic, validate_topic_name};
use crate::locks::{lock, write_lock};
use crate::protocol::consumer::*;
use crate::protocol::fastjson;
use crate::protocol::kv::KvTable;
use crate::protocol::topic::{DataVersion, TopicConfig, TopicList};
use crate::remoting::codes::version;
use crate::remoting::headers::*;
use crate::remoting::{RemotingCommand, RequestCode, ResponseCode};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Keys UPDATE_BROKER_CONFIG may not change.
const CONFIG_BLACKLIST: &[&str] = &[
    "brokerConfigPath",
    "rocketmqHome",
    "configBlackList",
    "storePathRootDir",
    "storePathCommitLog",
    "listenPort",
    "brokerName",
    "brokerClusterName",
    "brokerId",
    "brokerRole",
];

fn header_or_error<H: CommandHeader>(req: &RemotingCommand) -> Result<H, RemotingCommand> {
    req.header::<H>()
        .map_err(|e| error_response(ResponseCode::INVALID_PARAMETER, e))
}

macro_rules! header {
    ($req:expr) => {
        match header_or_error($req) {
            Ok(h) => h,
            Err(response) => return response,
        }
    };
}

impl BrokerProcessor {
    pub(super) fn create_topic(&self, req: &RemotingCommand) -> RemotingCommand {
        let h: CreateTopicRequestHeader = header!(req);
        if let Err(e) = validate_topic_name(&h.topic) {
            return error_response(ResponseCode::INVALID_PARAMETER, e);
        }
        if is_system_topic(&h.topic) {
            return error_response(
                ResponseCode::INVALID_PARAMETER,
                format!("the topic[{}] is conflict with system topic", h.topic),
            );
        }
        if h.read_queue_nums <= 0 || h.write_queue_nums <= 0 {
            return error_response(
                ResponseCode::INVALID_PARAMETER,
                format!(
                    "queue numbers must be positive (read {}, write {})",
                    h.read_queue_nums, h.write_queue_nums
                ),
            );
        }
        let mut config = self
            .ctx
            .topics
            .get(&h.topic)
            .unwrap_or_else(|| TopicConfig::new(&h.topic, 1));
        config.read_queue_nums = h.read_queue_nums;
        config.write_queue_nums = h.write_queue_nums;
        config.perm = h.perm;
        config.topic_filter_type = h.topic_filter_type.clone();
        config.topic_sys_flag = h.topic_sys_flag.unwrap_or(0);
        config.order = h.order;
        match self.ctx.topics.upsert(config) {
            Ok(changed) => {
                if changed {
                    tracing::info!(topic = %h.topic, read = h.read_queue_nums, write = h.write_queue_nums, perm = h.perm, "topic created or updated");
                    self.ctx.register_now.notify_one();
                }
                RemotingCommand::success()
            }
            Err(e) => error_response(ResponseCode::SYSTEM_ERROR, e),
        }
    }

    pub(super) fn delete_topic(&self, req: &RemotingCommand) -> RemotingCommand {
        let h: TopicRequestHeader = header!(req);
        if is_system_topic(&h.topic) {
            return error_response(
                ResponseCode::INVALID_PARAMETER,
                format!("the topic[{}] is a system topic", h.topic),
            );
        }
        if let Err(e) = self.ctx.topics.delete(&h.topic) {
            return error_response(ResponseCode::SYSTEM_ERROR, e);
        }
        self.ctx.offsets.remove_topic(&h.topic);
        if let Err(e) = self.ctx.store.delete_topic(&h.topic) {
            return error_response(ResponseCode::SYSTEM_ERROR, e);
        }
        tracing::info!(topic = %h.topic, "topic deleted");
        self.ctx.register_now.notify_one();
        RemotingCommand::success()
    }

    pub(super) fn all_topic_config(&self) -> RemotingCommand {
        json_response(&self.ctx.topics.wrapper())
    }

    pub(super) fn topic_config(&self, req: &RemotingCommand) -> RemotingCommand {
        let h: GetTopicConfigRequestHeader = header!(req);
        match self.ctx.topics.get(&h.topic) {
            Some(tc) => json_response(&tc),
            None => error_response(
                ResponseCode::TOPIC_NOT_EXIST,
                format!("No topic in this broker. topic: {}", h.topic),
            ),
        }
    }

    pub(super) fn system_topics(&self) -> RemotingCommand {
        let topic_list: BTreeSet<String> = self
            .ctx
            .topics
            .names()
            .into_iter()
            .filter(|t| is_system_topic(t))
            .collect();
        json_response(&TopicList {
            broker_addr: None,
            topic_list,
        })
    }

    pub(super) fn broker_config(&self) -> RemotingCommand {
        let text = self.ctx.config().to_properties_text();
        let version = fastjson::to_string(&*lock(&self.ctx.config_version)).ok();
        RemotingCommand::success()
            .with_header(&GetBrokerConfigResponseHeader { version })
            .with_body(text.into_bytes())
    }

    pub(super) fn update_broker_config(&self, req: &RemotingCommand) -> RemotingCommand {
        let text = String::from_utf8_lossy(req.body_bytes()).into_owned();
        let props = match crate::apache_config::properties::Properties::parse(
            &text,
            std::path::Path::new("<request body>"),
        ) {
            Ok(p) => p,
            Err(e) => return error_response(ResponseCode::INVALID_PARAMETER, e),
        };
        let mut updated = self.ctx.config();
        let before_perm = updated.broker_permission;
        for entry in props.entries() {
            if CONFIG_BLACKLIST.contains(&entry.key.as_str())
                || crate::remoting::tls::settings::is_tls_key(&entry.key)
            {
                return error_response(
                    ResponseCode::NO_PERMISSION,
                    format!("Can not update config in black list: {}", entry.key),
                );
            }
            match updated.set(&entry.key, entry.value.trim()) {
                Ok(SetOutcome::Applied) | Ok(SetOutcome::NotActedOn) => {}
                Err(problem) => {
                    return error_response(
                        ResponseCode::INVALID_PARAMETER,
                        format!("{}: {}", problem.key, problem.message),
                    )
                }
            }
        }
        let perm_changed = updated.broker_permission != before_perm;
        *write_lock(&self.ctx.config) = updated;
        lock(&self.ctx.config_version).next();
        tracing::info!(
            keys = props.entries().len(),
            "broker config updated at runtime"
        );
        if perm_changed {
            if let Err(e) = self.ctx.topics.bump_version() {
                tracing::error!(error = %e, "could not persist the topic config version");
            }
            self.ctx.register_now.notify_one();
        }
        let changed: Vec<(&str, &str)> = props
            .entries()
            .iter()
            .map(|e| (e.key.as_str(), e.value.trim()))
            .collect();
        match crate::broker::config::save_changes(&self.ctx.config_file, &changed) {
            Ok(()) => RemotingCommand::success(),
            Err(e) => {
                tracing::error!(file = %self.ctx.config_file.display(), error = %e,
                    "config updated at runtime but not saved; it is lost at the next restart");
                RemotingCommand::response(
                    ResponseCode::SUCCESS,
                    Some(format!(
                        "applied, but not saved to {}: {e}",
                        self.ctx.config_file.display()
                    )),
                )
            }
        }
    }

    pub(super) fn runtime_info(&self) -> RemotingCommand {
        json_response(&KvTable {
            table: self.runtime_table(),
        })
    }

    fn runtime_table(&self) -> BTreeMap<String, String> {
        let store = self.ctx.store.runtime_stats();
        let stats = &self.ctx.stats;
        let ((put_y, put_t, put_n), (get_y, get_t, get_n)) = stats.day_totals();
        let mut t = BTreeMap::new();
        let mut put = |k: &str, v: String| {
            t.insert(k.to_string(), v);
        };
        put("brokerVersionDesc", version::describe(version::CURRENT));
        put("brokerVersion", version::CURRENT.to_string());
        put("brokerActive", "true".into());
        put("msgPutTotalYesterdayMorning", put_y.to_string());
        put("msgPutTotalTodayMorning", put_t.to_string());
        put("msgPutTotalTodayNow", put_n.to_string());
        put("msgGetTotalYesterdayMorning", get_y.to_string());
        put("msgGetTotalTodayMorning", get_t.to_string());
        put("msgGetTotalTodayNow", get_n.to_string());
        put("putTps", stats.put_tps().to_java_text());
        put("getFoundTps", stats.get_found_tps().to_java_text());
        put("getMissTps", stats.get_miss_tps().to_java_text());
        put("getTotalTps", stats.get_total_tps().to_java_text());
        put("getTransferredTps", stats.transferred_tps().to_java_text());
        put("getTransferedTps", stats.transferred_tps().to_java_text());
        for pool in ["send", "pull", "query", "litePull", "ack"] {
            put(&format!("{pool}ThreadPoolQueueSize"), "0".into());
            put(&format!("{pool}ThreadPoolQueueCapacity"), "10000".into());
            put(
                &format!("{pool}ThreadPoolQueueHeadWaitTimeMills"),
                "0".into(),
            );
        }
        put("EndTransactionQueueSize", "0".into());
        put(
            "halfMessagesUnresolved",
            self.ctx.transactions.unresolved().to_string(),
        );
        put("EndTransactionThreadPoolQueueCapacity", "100000".into());
        put("pageCacheLockTimeMills", "0".into());
        put("dispatchBehindBytes", "0".into());
        put(
            "earliestMessageTimeStamp",
            self.earliest_message_time().to_string(),
        );
        put("startAcceptSendRequestTimeStamp", "0".into());
        put(
            "commitLogDiskRatio",
            crate::protocol::fastjson::java_double(store.commit_log_disk_ratio),
        );
        put(
            "commitLogMinOffset",
            store.commit_log_min_offset.to_string(),
        );
        put(
            "commitLogMaxOffset",
            store.commit_log_max_offset.to_string(),
        );
        put(
            "remainHowManyDataToFlush",
            format!(
                "{} B",
                store
                    .commit_log_max_offset
                    .saturating_sub(store.flushed_offset)
            ),
        );
        put("bootTimestamp", store.start_timestamp.to_string());
        put(
            "runtime",
            runtime_text(crate::calendar::now_millis() - store.start_timestamp),
        );
        put(
            "putMessageTimesTotal",
            store.put_message_times_total.to_string(),
        );
        put(
            "putMessageSizeTotal",
            store.put_message_size_total.to_string(),
        );
        put(
            "putMessageFailedTimes",
            store.put_message_failed_times.to_string(),
        );
        put("putMessageEntireTimeMax", "0".into());
        put("getMessageEntireTimeMax", "0".into());
        let avg = store
            .put_message_size_total
            .checked_div(store.put_message_times_total)
            .unwrap_or(0);
        put("putMessageAverageSize", avg.to_string());
        put("brokerRole", self.ctx.identity.role.as_str().into());
        let (producers, consumers) = self.ctx.clients.connection_counts();
        put("producerConnections", producers.to_string());
        put("consumerConnections", consumers.to_string());
        for (k, v) in self.replication_info() {
            put(&k, v);
        }
        t
    }

    /// Replication keys for runtime info (see `replication_info` in src/broker/ha/mod.rs docs):
    /// a master lists its slaves, a slave its master link.
    fn replication_info(&self) -> Vec<(String, String)> {
        let mut out = vec![(
            "haServerAddr".to_string(),
            self.ctx.identity.ha_addr.to_string(),
        )];
        if self.ctx.identity.is_slave() {
            out.extend(self.slave_replication_info());
        } else {
            out.extend(self.master_replication_info());
        }
        out
    }

    fn master_replication_info(&self) -> Vec<(String, String)> {
        let max = self.ctx.store.max_phys_offset();
        let gap = self.ctx.config().ha_max_gap_not_in_sync;
        let replica = self.ctx.store.replica();
        let acked = replica.acked();
        let slaves = self.ctx.ha.slaves();
        let in_sync = |ack: u64| max.saturating_sub(ack) <= gap;
        let in_sync_count = slaves
            .iter()
            .filter(|s| s.reported && in_sync(s.ack_offset))
            .count();
        let state = if slaves.iter().any(|s| s.reported) {
            HaConnectionState::Transfer
        } else {
            HaConnectionState::Ready
        };
        let mut out = vec![
            ("haConnectionState".into(), state.as_str().into()),
            ("slaveConnected".into(), replica.is_connected().to_string()),
            ("slaveNum".into(), slaves.len().to_string()),
            ("inSyncSlaveNums".into(), in_sync_count.to_string()),
            ("slaveAckOffset".into(), acked.to_string()),
            (
                "slaveFallBehindBytes".into(),
                max.saturating_sub(acked).to_string(),
            ),
            (
                "slaveInSync".into(),
                (replica.is_connected() && in_sync(acked)).to_string(),
            ),
        ];
        for (i, s) in slaves.iter().enumerate() {
            let key = |k: &str| format!("haSlave.{i}.{k}");
            out.push((key("addr"), s.addr.to_string()));
            out.push((key("ackOffset"), s.ack_offset.to_string()));
            out.push((
                key("fallBehindBytes"),
                max.saturating_sub(s.ack_offset).to_string(),
            ));
            out.push((
                key("inSync"),
                (s.reported && in_sync(s.ack_offset)).to_string(),
            ));
        }
        out
    }

    fn slave_replication_info(&self) -> Vec<(String, String)> {
        let link = self.ctx.ha.master_link();
        let own = self.ctx.store.max_phys_offset();
        let housekeeping = HaConfig::from_broker(&self.ctx.config()).housekeeping_interval;
        let seen = link.master_offset_seen;
        vec![
            ("haConnectionState".into(), link.state.as_str().into()),
            (
                "masterAddr".into(),
                self.ctx.master_addr().unwrap_or_default(),
            ),
            (
                "haMasterAddr".into(),
                link.master_ha_addr
                    .or_else(|| self.ctx.master_ha_addr())
                    .unwrap_or_default(),
            ),
            ("slaveAckOffset".into(), own.to_string()),
            ("haMasterOffsetSeen".into(), seen.to_string()),
            (
                "slaveFallBehindBytes".into(),
                seen.saturating_sub(own).to_string(),
            ),
            (
                "slaveInSync".into(),
                self.ctx.ha.master_online(housekeeping).to_string(),
            ),
            ("haLastReadTimestamp".into(), link.last_read_ms.to_string()),
            ("haLastError".into(), link.last_error.unwrap_or_default()),
        ]
    }

    fn earliest_message_time(&self) -> i64 {
        self.ctx
            .store
            .topics_and_queues()
            .iter()
            .filter_map(|q| self.ctx.store.earliest_message_time(&q.topic, q.queue_id))
            .min()
            .unwrap_or(-1)
    }

    pub(super) fn topic_stats(&self, req: &RemotingCommand) -> RemotingCommand {
        let h: TopicRequestHeader = header!(req);
        let Some(tc) = self.ctx.topics.get(&h.topic) else {
            return error_response(
                ResponseCode::TOPIC_NOT_EXIST,
                format!("topic[{}] not exist", h.topic),
            );
        };
        let mut table = TopicStatsTable::default();
        for queue_id in 0..tc.write_queue_nums.max(tc.read_queue_nums) {
            let min = self.ctx.store.min_offset(&h.topic, queue_id).max(0);
            let max = self.ctx.store.max_offset(&h.topic, queue_id).max(0);
            let last = if max > 0 {
                self.ctx
                    .store
                    .message_store_time(&h.topic, queue_id, max - 1)
                    .unwrap_or(0)
            } else {
                0
            };
            table.offset_table.insert(
                self.queue(&h.topic, queue_id),
                TopicOffset {
                    last_update_timestamp: last,
                    max_offset: max,
                    min_offset: min,
                },
            );
        }
        json_response(&table)
    }

    fn queue(&self, topic: &str, queue_id: i32) -> MessageQueue {
        MessageQueue {
            broker_name: self.ctx.identity.broker_name.clone(),
            queue_id,
            topic: topic.to_string(),
        }
    }

    pub(super) fn consume_stats(&self, req: &RemotingCommand) -> RemotingCommand {
        let h: GetConsumeStatsRequestHeader = header!(req);
        let topics: BTreeSet<String> = match (&h.topic, &h.topic_list) {
            (Some(t), _) if !t.is_empty() => [t.clone()].into(),
            (_, Some(list)) if !list.is_empty() => list.split(';').map(str::to_string).collect(),
            _ => self.consumed_topics(&h.consumer_group),
        };
        let mut stats = ConsumeStats::default();
        for topic in topics {
            let Some(tc) = self.ctx.topics.get(&topic) else {
                continue;
            };
            for queue_id in 0..tc.write_queue_nums {
                let broker_offset = self.ctx.store.max_offset(&topic, queue_id).max(0);
                let consumer_offset = self
                    .ctx
                    .offsets
                    .query(&h.consumer_group, &topic, queue_id)
                    .unwrap_or(0)
                    .max(0);
                let last_timestamp = if consumer_offset > 0 {
                    self.ctx
                        .store
                        .message_store_time(&topic, queue_id, consumer_offset - 1)
                        .unwrap_or(0)
                } else {
                    0
                };
                stats.offset_table.insert(
                    self.queue(&topic, queue_id),
                    OffsetWrapper {
                        broker_offset,
                        consumer_offset,
                        last_timestamp,
                        pull_offset: Some(consumer_offset),
                    },
                );
            }
        }
        json_response(&stats)
    }

    /// Topics a group consumes: those with offsets, restricted to its subscriptions when it is
    /// online, plus what it subscribes to.
    fn consumed_topics(&self, group: &str) -> BTreeSet<String> {
        let with_offsets = self.ctx.offsets.topics_of_group(group);
        if !self.ctx.clients.is_online(group) {
            return with_offsets;
        }
        self.ctx.clients.subscribed_topics(group)
    }

    pub(super) fn consumer_connections(&self, req: &RemotingCommand) -> RemotingCommand {
        let h: ConsumerGroupRequestHeader = header!(req);
        match self.ctx.clients.consumer_connection(&h.consumer_group) {
            Some(c) => json_response(&c),
            None => error_response(
                ResponseCode::CONSUMER_NOT_ONLINE,
                format!("the consumer group[{}] not online", h.consumer_group),
            ),
        }
    }

    pub(super) fn producer_connections(&self, req: &RemotingCommand) -> RemotingCommand {
        let h: ProducerGroupRequestHeader = header!(req);
        match self.ctx.clients.producer_connection(&h.producer_group) {
            Some(c) => json_response(&c),
            None => error_response(
                ResponseCode::SYSTEM_ERROR,
                format!("the producer group[{}] not exist", h.producer_group),
            ),
        }
    }

    pub(super) fn update_group(&self, req: &RemotingCommand) -> RemotingCommand {
        let config: SubscriptionGroupConfig = match fastjson::from_slice(req.body_bytes()) {
            Ok(c) => c,
            Err(e) => {
                return error_response(
                    ResponseCode::INVALID_PARAMETER,
                    format!("subscription group body: {e}"),
                )
            }
        };
        if let Err(e) = validate_topic_name(&config.group_name) {
            return error_response(ResponseCode::INVALID_PARAMETER, format!("group name: {e}"));
        }
        match self.ctx.groups.upsert(config) {
            Ok(()) => RemotingCommand::success(),
            Err(e) => error_response(ResponseCode::SYSTEM_ERROR, e),
        }
    }

    pub(super) fn all_groups(&self) -> RemotingCommand {
        json_response(&self.ctx.groups.wrapper())
    }

    pub(super) fn delete_group(&self, req: &RemotingCommand) -> RemotingCommand {
        let h: DeleteSubscriptionGroupRequestHeader = header!(req);
        if let Err(e) = self.ctx.groups.delete(&h.group_name) {
            return error_response(ResponseCode::SYSTEM_ERROR, e);
        }
        if h.clean_offset == Some(true) {
            self.ctx.offsets.remove_group(&h.group_name);
        }
        RemotingCommand::success()
    }

    pub(super) fn reset_offset(&self, req: &RemotingCommand) -> RemotingCommand {
        let h: ResetOffsetRequestHeader = header!(req);
        let Some(tc) = self.ctx.topics.get(&h.topic) else {
            return error_response(
                ResponseCode::TOPIC_NOT_EXIST,
                format!("topic[{}] not exist", h.topic),
            );
        };
        let mut body = ResetOffsetBody::default();
        for queue_id in 0..tc.write_queue_nums.max(tc.read_queue_nums) {
            if h.queue_id.is_some_and(|q| q >= 0 && q != queue_id) {
                continue;
            }
            let target = self.reset_target(&h, queue_id);
            let current = self.ctx.offsets.query(&h.group, &h.topic, queue_id);
            let new = match current {
                Some(c) if !h.is_force && target > c => c,
                _ => target,
            };
            self.ctx.offsets.commit(&h.group, &h.topic, queue_id, new);
            body.offset_table
                .insert(self.queue(&h.topic, queue_id), new);
        }
        self.push_reset_to_clients(&h, &body);
        tracing::info!(group = %h.group, topic = %h.topic, queues = body.offset_table.len(), "consumer offsets reset");
        json_response(&body)
    }

    fn reset_target(&self, h: &ResetOffsetRequestHeader, queue_id: i32) -> i64 {
        let store = &self.ctx.store;
        if let Some(offset) = h.offset.filter(|o| *o >= 0) {
            return offset.clamp(
                store.min_offset(&h.topic, queue_id),
                store.max_offset(&h.topic, queue_id),
            );
        }
        match h.timestamp {
            -1 => store.max_offset(&h.topic, queue_id),
            0 => store.min_offset(&h.topic, queue_id),
            ts => store.offset_by_timestamp(
                &h.topic,
                queue_id,
                ts,
                crate::broker::store::BoundaryType::Lower,
            ),
        }
    }

    /// Online consumers keep offsets in memory; tell them (RESET_CONSUMER_CLIENT_OFFSET).
    fn push_reset_to_clients(&self, h: &ResetOffsetRequestHeader, body: &ResetOffsetBody) {
        let Ok(bytes) = fastjson::to_vec(body) else {
            return;
        };
        for conn in self.ctx.clients.consumer_connections(&h.group) {
            let mut cmd = RemotingCommand::request(RequestCode::RESET_CONSUMER_CLIENT_OFFSET)
                .with_header(&ResetOffsetRequestHeader {
                    queue_id: None,
                    offset: None,
                    ..h.clone()
                })
                .with_body(bytes.clone())
                .oneway();
            cmd.opaque = crate::broker::clients::next_broker_opaque();
            conn.try_send(cmd);
        }
    }

    pub(super) fn consume_by_who(&self, req: &RemotingCommand) -> RemotingCommand {
        let h: TopicRequestHeader = header!(req);
        let mut group_list = self.ctx.offsets.groups_of_topic(&h.topic);
        group_list.extend(self.ctx.clients.groups_subscribing(&h.topic));
        json_response(&GroupList { group_list })
    }

    pub(super) fn all_consumer_offsets(&self) -> RemotingCommand {
        json_response(&self.ctx.offsets.wrapper())
    }

    pub(super) fn all_delay_offsets(&self) -> RemotingCommand {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct DelayOffsetSerializeWrapper {
            data_version: DataVersion,
            offset_table: BTreeMap<i32, i64>,
        }
        json_response(&DelayOffsetSerializeWrapper {
            data_version: self.ctx.topics.data_version(),
            offset_table: self.delay_offsets(),
        })
    }
}

/// Java's `[ 0 days, 1 hours, 2 minutes, 3 seconds ]`.
fn runtime_text(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    format!(
        "[ {} days, {} hours, {} minutes, {} seconds ]",
        s / 86400,
        (s % 86400) / 3600,
        (s % 3600) / 60,
        s % 60
    )
}
