//! SEND_MESSAGE (10), SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320) and
//! CONSUMER_SEND_MSG_BACK (36): checks, topic auto-creation, delayed and retry routing, the put
//! into the store, and responses with every field Java producers dereference.

use super::{error_response, BrokerProcessor};
use crate::broker::metadata::topics::{
    is_not_allowed_send_topic, validate_topic_name, SCHEDULE_TOPIC,
};
use crate::broker::store::{MessageToStore, PutResult, PutStatus};
use crate::broker::transaction;
use crate::protocol::consumer::{dlq_topic, retry_topic, RETRY_GROUP_TOPIC_PREFIX};
use crate::protocol::message::{
    decode_batch, find_property, is_canonical, new_unique_id, push_property, MessageConst,
    MessageRecord, Properties,
};
use crate::protocol::perm;
use crate::protocol::topic::TopicConfig;
use crate::remoting::headers::{
    ConsumerSendMsgBackRequestHeader, SendMessageRequestHeader, SendMessageRequestHeaderV2,
    SendMessageResponseHeader,
};
use crate::remoting::server::Connection;
use crate::remoting::{RemotingCommand, RequestCode, ResponseCode};
use std::sync::atomic::Ordering;

/// Apache's `MixAll.DEFAULT_MSG_REGION`... the region every response names.
const REGION: &str = "DefaultRegion";
/// Delay levels Apache knows (`messageDelayLevel` has 18).
const MAX_DELAY_LEVEL: i32 = 18;
/// Bits 2-3 of sysFlag: the transaction type.
const TRANSACTION_TYPE_MASK: i32 = 0xC;

impl BrokerProcessor {
    /// SEND_MESSAGE, SEND_MESSAGE_V2 and SEND_BATCH_MESSAGE.
    pub(super) async fn send(&self, conn: &Connection, req: &RemotingCommand) -> RemotingCommand {
        let header = match read_send_header(req) {
            Ok(h) => h,
            Err(e) => return error_response(ResponseCode::INVALID_PARAMETER, e),
        };
        let topic_config = match self.check_send(&header) {
            Ok(tc) => tc,
            Err(response) => return response,
        };
        let queue_id = match choose_queue(&header, &topic_config) {
            Ok(q) => q,
            Err(response) => return response,
        };
        let batch = req.code == RequestCode::SEND_BATCH_MESSAGE.code() || header.batch;
        if transaction::is_prepared(header.sys_flag, header.properties.as_deref()) {
            if batch {
                // Apache's `CommitLog.asyncPutMessages` refuses them the same way.
                return error_response(
                    ResponseCode::MESSAGE_ILLEGAL,
                    "a batch can not be a transactional (prepared) send",
                );
            }
            return self.send_half(conn, &header, queue_id, req).await;
        }
        let result = if batch {
            match self.batch_messages(conn, &header, queue_id, req.body_bytes()) {
                Ok(msgs) => self.ctx.store.put_messages(msgs).await,
                Err(response) => return response,
            }
        } else {
            let msg = self.single_message(conn, &header, queue_id, req);
            self.ctx.store.put_message(msg).await
        };
        self.send_response(conn, &header.topic, queue_id, result)
    }

    /// Apache's `msgCheck`: broker role and permission, topic name, existence or auto-creation.
    fn check_send(&self, h: &SendMessageRequestHeader) -> Result<TopicConfig, RemotingCommand> {
        let id = &self.ctx.identity;
        if id.is_slave() {
            return Err(error_response(
                ResponseCode::SERVICE_NOT_AVAILABLE,
                format!(
                    "the broker[{}] role is SLAVE, sending is not allowed; send to its master",
                    id.addr
                ),
            ));
        }
        if self.ctx.permission() & perm::WRITE == 0 {
            return Err(error_response(
                ResponseCode::NO_PERMISSION,
                format!("the broker[{}] sending message is forbidden", id.addr),
            ));
        }
        if let Err(e) = validate_topic_name(&h.topic) {
            // Apache's `TopicValidator.validateTopic` answers SYSTEM_ERROR, not INVALID_PARAMETER.
            return Err(error_response(ResponseCode::SYSTEM_ERROR, e));
        }
        if is_not_allowed_send_topic(&h.topic) {
            return Err(error_response(
                ResponseCode::NO_PERMISSION,
                format!("Sending message to topic[{}] is forbidden.", h.topic),
            ));
        }
        if let Some(tc) = self.ctx.topics.get(&h.topic) {
            return check_topic_writable(tc, &id.addr);
        }
        let created = if h.topic.starts_with(RETRY_GROUP_TOPIC_PREFIX) {
            self.ctx.topics.ensure_retry_topic(&h.topic, 1).map(Some)
        } else if self.ctx.config().auto_create_topic_enable {
            self.ctx.topics.create_from_default(
                &h.topic,
                &h.default_topic,
                h.default_topic_queue_nums,
                0,
            )
        } else {
            Ok(None)
        };
        match created {
            Ok(Some(tc)) => {
                tracing::info!(topic = %h.topic, queues = tc.write_queue_nums, "topic auto-created");
                self.ctx.register_now.notify_one();
                Ok(tc)
            }
            Ok(None) => Err(error_response(
                ResponseCode::TOPIC_NOT_EXIST,
                format!("topic[{}] not exist, apply first please!", h.topic),
            )),
            Err(e) => Err(error_response(ResponseCode::SYSTEM_ERROR, e)),
        }
    }

    pub(super) fn single_message(
        &self,
        conn: &Connection,
        h: &SendMessageRequestHeader,
        queue_id: i32,
        req: &RemotingCommand,
    ) -> MessageToStore {
        let mut msg = MessageToStore {
            topic: h.topic.clone(),
            queue_id,
            flag: h.flag,
            body: req.body.clone().unwrap_or_default(),
            properties: String::new(),
            sys_flag: h.sys_flag,
            born_timestamp: h.born_timestamp,
            born_host: conn.peer,
            reconsume_times: h.reconsume_times.unwrap_or(0),
            prepared_tx_offset: 0,
        };
        let encoded = h.properties.as_deref().unwrap_or("");
        if let Some(properties) = self.plain_message_properties(&h.topic, encoded) {
            msg.properties = properties;
            return msg;
        }
        let mut props = Properties::parse(encoded);
        self.broker_properties(&mut props);
        route_retry_to_dlq(
            &mut msg,
            &mut props,
            h.max_reconsume_times,
            &self.ctx.topics,
        );
        route_delayed(&mut msg, &mut props);
        msg.properties = props.encode();
        msg
    }

    fn batch_messages(
        &self,
        conn: &Connection,
        h: &SendMessageRequestHeader,
        queue_id: i32,
        body: &[u8],
    ) -> Result<Vec<MessageToStore>, RemotingCommand> {
        let items = decode_batch(body).map_err(|e| {
            error_response(ResponseCode::MESSAGE_ILLEGAL, format!("batch body: {e}"))
        })?;
        if items.is_empty() {
            return Err(error_response(ResponseCode::MESSAGE_ILLEGAL, "empty batch"));
        }
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let mut props = Properties::parse(&item.properties);
            if props.get(MessageConst::DELAY_TIME_LEVEL).is_some() {
                return Err(error_response(
                    ResponseCode::MESSAGE_ILLEGAL,
                    "batch messages can not carry a delay level",
                ));
            }
            self.broker_properties(&mut props);
            out.push(MessageToStore {
                topic: h.topic.clone(),
                queue_id,
                flag: item.flag,
                body: item.body.clone(),
                properties: props.encode(),
                sys_flag: h.sys_flag,
                born_timestamp: h.born_timestamp,
                born_host: conn.peer,
                reconsume_times: h.reconsume_times.unwrap_or(0),
                prepared_tx_offset: 0,
            });
        }
        Ok(out)
    }

    /// The stored properties of a message the broker only adds its cluster to (not a retry, no
    /// delay level, a unique key, properties as clients encode them): `encoded` with the
    /// CLUSTER pair appended, the text `broker_properties` would give, without building a map.
    /// `None` for any other message.
    fn plain_message_properties(&self, topic: &str, encoded: &str) -> Option<String> {
        let plain = !topic.starts_with(RETRY_GROUP_TOPIC_PREFIX)
            && find_property(encoded, MessageConst::DELAY_TIME_LEVEL).is_none()
            && find_property(encoded, MessageConst::CLUSTER).is_none()
            && find_property(encoded, MessageConst::UNIQ_CLIENT_MESSAGE_ID_KEYIDX).is_some()
            && is_canonical(encoded);
        plain.then(|| {
            let mut properties = encoded.to_string();
            push_property(
                &mut properties,
                MessageConst::CLUSTER,
                &self.ctx.identity.cluster,
            );
            properties
        })
    }

    /// Properties the broker adds: the cluster name and a unique key if the client left it out.
    fn broker_properties(&self, props: &mut Properties) {
        props.insert(MessageConst::CLUSTER, &self.ctx.identity.cluster);
        if props
            .get(MessageConst::UNIQ_CLIENT_MESSAGE_ID_KEYIDX)
            .is_none()
        {
            let uniq = new_unique_id(self.ctx.identity.addr.ip());
            props.insert(MessageConst::UNIQ_CLIENT_MESSAGE_ID_KEYIDX, &uniq);
        }
    }

    pub(super) fn send_response(
        &self,
        conn: &Connection,
        topic: &str,
        queue_id: i32,
        result: PutResult,
    ) -> RemotingCommand {
        let status = result.status;
        let code = status.response_code();
        let accepted = matches!(
            status,
            PutStatus::PutOk
                | PutStatus::FlushDiskTimeout
                | PutStatus::FlushSlaveTimeout
                | PutStatus::SlaveNotAvailable
        );
        let Some(info) = result.appended.filter(|_| accepted) else {
            tracing::debug!(topic, status = status.name(), "send refused");
            let remark = match self.ctx.store.write_failure_reason() {
                Some(reason) if status == PutStatus::ServiceNotAvailable => {
                    disk_failing_remark(&reason)
                }
                _ => refusal_remark(status),
            };
            return error_response_code(code, remark);
        };
        conn.note_acknowledged(info.phys_offset + info.wrote_bytes);
        self.ctx
            .stats
            .put_messages
            .fetch_add(info.msg_count as u64, Ordering::Relaxed);
        let header = SendMessageResponseHeader {
            msg_id: info.msg_id,
            queue_id,
            queue_offset: info.queue_offset,
            transaction_id: None,
            batch_uniq_id: None,
            msg_region: Some(REGION.into()),
            trace_on: Some("true".into()),
        };
        let remark = (status != PutStatus::PutOk).then(|| status.name().to_string());
        RemotingCommand::response_code(code, remark).with_header(&header)
    }

    /// CONSUMER_SEND_MSG_BACK: a consumer failed a message; store it again on the group's retry
    /// topic with a delay level, or on its dead-letter topic once retries are used up.
    pub(super) async fn send_back(
        &self,
        conn: &Connection,
        req: &RemotingCommand,
    ) -> RemotingCommand {
        let h: ConsumerSendMsgBackRequestHeader = match req.header() {
            Ok(h) => h,
            Err(e) => return error_response(ResponseCode::INVALID_PARAMETER, e),
        };
        if self.ctx.identity.is_slave() {
            return error_response(
                ResponseCode::SERVICE_NOT_AVAILABLE,
                "slave can not take messages back",
            );
        }
        let group = match self.ctx.groups.find_or_create(&h.group) {
            Ok(Some(g)) => g,
            Ok(None) => {
                return error_response(
                    ResponseCode::SUBSCRIPTION_GROUP_NOT_EXIST,
                    format!("subscription group not exist, {}", h.group),
                )
            }
            Err(e) => return error_response(ResponseCode::SYSTEM_ERROR, e),
        };
        let Some(raw) = self.ctx.store.look_message(h.offset.max(0) as u64) else {
            return error_response(
                ResponseCode::SYSTEM_ERROR,
                format!("look message by offset failed, {}", h.offset),
            );
        };
        let original = match MessageRecord::decode(&raw) {
            Ok(r) => r,
            Err(e) => return error_response(ResponseCode::SYSTEM_ERROR, e),
        };
        let max_times = h.max_reconsume_times.unwrap_or(group.retry_max_times);
        let retry = retry_topic(&h.group);
        let mut props = Properties::parse(&original.properties);
        if props.get(MessageConst::RETRY_TOPIC).is_none() {
            props.insert(MessageConst::RETRY_TOPIC, &original.topic);
        }
        let origin_id = h
            .origin_msg_id
            .clone()
            .unwrap_or_else(|| original.offset_msg_id());
        props.insert(MessageConst::ORIGIN_MESSAGE_ID, &origin_id);
        let reconsume = original.reconsume_times + 1;
        let (topic, delay) = if original.reconsume_times >= max_times || h.delay_level < 0 {
            (dlq_topic(&h.group), 0)
        } else {
            let level = if h.delay_level == 0 {
                3 + original.reconsume_times
            } else {
                h.delay_level
            };
            (retry.clone(), level.min(MAX_DELAY_LEVEL))
        };
        let topic_config = match self
            .ctx
            .topics
            .ensure_retry_topic(&topic, group.retry_queue_nums)
        {
            Ok(tc) => tc,
            Err(e) => return error_response(ResponseCode::SYSTEM_ERROR, e),
        };
        self.ctx.register_now.notify_one();
        let mut msg = MessageToStore {
            topic: topic.clone(),
            queue_id: random_queue(topic_config.write_queue_nums),
            flag: original.flag,
            body: original.body.clone(),
            properties: String::new(),
            sys_flag: original.sys_flag & !TRANSACTION_TYPE_MASK,
            born_timestamp: original.born_timestamp,
            born_host: conn.peer,
            reconsume_times: reconsume,
            prepared_tx_offset: 0,
        };
        if delay > 0 {
            props.insert(MessageConst::DELAY_TIME_LEVEL, &delay.to_string());
        }
        route_delayed(&mut msg, &mut props);
        msg.properties = props.encode();
        let result = self.ctx.store.put_message(msg).await;
        match (result.status, result.appended) {
            (PutStatus::PutOk, Some(info)) => {
                tracing::debug!(group = %h.group, %topic, reconsume, "message sent back");
                conn.note_acknowledged(info.phys_offset + info.wrote_bytes);
                RemotingCommand::success()
            }
            (PutStatus::ServiceNotAvailable, _) => {
                let status = PutStatus::ServiceNotAvailable;
                let remark = match self.ctx.store.write_failure_reason() {
                    Some(reason) => disk_failing_remark(&reason),
                    None => status.name().to_string(),
                };
                error_response_code(status.response_code(), remark)
            }
            (other, _) => error_response_code(other.response_code(), other.name()),
        }
    }
}

/// The remark of a send refused while the commit log cannot be written.
fn disk_failing_remark(reason: &str) -> String {
    format!("service not available now: the broker cannot write its commit log ({reason}); the disk is full or failing. Sends are refused until it takes writes again (retried automatically); free disk space")
}

fn read_send_header(
    req: &RemotingCommand,
) -> Result<SendMessageRequestHeader, crate::remoting::headers::HeaderError> {
    if req.code == RequestCode::SEND_MESSAGE.code() {
        req.header::<SendMessageRequestHeader>()
    } else {
        req.header::<SendMessageRequestHeaderV2>()
            .map(SendMessageRequestHeaderV2::into_v1)
    }
}

fn check_topic_writable(
    tc: TopicConfig,
    addr: &impl std::fmt::Display,
) -> Result<TopicConfig, RemotingCommand> {
    if tc.perm & perm::WRITE == 0 {
        return Err(error_response(
            ResponseCode::NO_PERMISSION,
            format!(
                "the topic[{}] sending message is forbidden on broker[{addr}]",
                tc.topic_name
            ),
        ));
    }
    Ok(tc)
}

fn choose_queue(h: &SendMessageRequestHeader, tc: &TopicConfig) -> Result<i32, RemotingCommand> {
    let valid = tc.write_queue_nums.max(tc.read_queue_nums);
    if h.queue_id < 0 {
        return Ok(random_queue(tc.write_queue_nums));
    }
    if h.queue_id >= valid {
        return Err(error_response(
            ResponseCode::SYSTEM_ERROR,
            format!(
                "request queueId[{}] is illegal, topic {} has {valid} queues",
                h.queue_id, tc.topic_name
            ),
        ));
    }
    Ok(h.queue_id)
}

/// A queue id in `0..queues` (0 when the topic has none).
fn random_queue(queues: i32) -> i32 {
    (rand::random::<u32>() % queues.max(1) as u32) as i32
}

/// A retry send past its limit goes to the group's dead-letter topic (Apache `handleRetryAndDLQ`).
fn route_retry_to_dlq(
    msg: &mut MessageToStore,
    props: &mut Properties,
    max_reconsume: Option<i32>,
    topics: &crate::broker::metadata::topics::TopicConfigManager,
) {
    let Some(group) = msg
        .topic
        .strip_prefix(RETRY_GROUP_TOPIC_PREFIX)
        .map(str::to_string)
    else {
        return;
    };
    let max = max_reconsume.unwrap_or(16);
    if msg.reconsume_times < max {
        return;
    }
    let dlq = dlq_topic(&group);
    if topics.ensure_retry_topic(&dlq, 1).is_ok() {
        msg.topic = dlq;
        msg.queue_id = 0;
        props.remove(MessageConst::DELAY_TIME_LEVEL);
    }
}

/// A message with a DELAY level is stored on SCHEDULE_TOPIC_XXXX queue `level-1` and delivered
/// to its real topic when due (the schedule service).
fn route_delayed(msg: &mut MessageToStore, props: &mut Properties) {
    let level: i32 = props
        .get(MessageConst::DELAY_TIME_LEVEL)
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(0);
    if level <= 0 || msg.sys_flag & TRANSACTION_TYPE_MASK != 0 {
        return;
    }
    let level = level.min(MAX_DELAY_LEVEL);
    props.insert(MessageConst::DELAY_TIME_LEVEL, &level.to_string());
    props.insert(MessageConst::REAL_TOPIC, &msg.topic);
    props.insert(MessageConst::REAL_QUEUE_ID, &msg.queue_id.to_string());
    msg.topic = SCHEDULE_TOPIC.to_string();
    msg.queue_id = level - 1;
}

fn refusal_remark(status: PutStatus) -> String {
    match status {
        PutStatus::ServiceNotAvailable => {
            "service not available now: the disk is too full, the broker is a slave or it is shutting down".into()
        }
        PutStatus::MessageIllegal => "the message is illegal: too large, or an empty or bad topic".into(),
        PutStatus::PropertiesSizeExceeded => "the message properties are longer than 32767 bytes".into(),
        PutStatus::OsPageCacheBusy => "[PC_SYNCHRONIZED]broker busy, start flow control for a while".into(),
        other => other.name().into(),
    }
}

fn error_response_code(code: i32, remark: impl std::fmt::Display) -> RemotingCommand {
    RemotingCommand::response_code(code, Some(remark.to_string()))
}

#[cfg(test)]
mod tests {
    use super::random_queue;

    #[test]
    fn random_queues_are_never_negative() {
        for _ in 0..10_000 {
            let q = random_queue(4);
            assert!((0..4).contains(&q), "{q}");
        }
        assert_eq!(random_queue(0), 0);
    }
}
