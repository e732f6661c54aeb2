//! A minimal producer and pull consumer for smoke tests and debugging: SEND_MESSAGE_V2 with a
//! generated UNIQ_KEY, PULL_MESSAGE without committing, VIEW_MESSAGE_BY_ID for offset ids and
//! QUERY_MESSAGE by key or unique key. Pulled records are decoded from the stored format.

use super::{Admin, AdminError};
use crate::calendar::now_millis;
use crate::protocol::message::{
    decode_all, new_unique_id, MessageConst, MessageRecord, MessageSysFlag, OffsetMsgId, Properties,
};
use crate::protocol::perm;
use crate::protocol::route::TopicRouteData;
use crate::protocol::topic::AUTO_CREATE_TOPIC_KEY;
use crate::remoting::client::ClientError;
use crate::remoting::headers::{
    OffsetResponseHeader, PullMessageRequestHeader, PullMessageResponseHeader,
    QueryConsumerOffsetRequestHeader, QueryMessageRequestHeader, SendMessageRequestHeaderV2,
    SendMessageResponseHeader, ViewMessageRequestHeader,
};
use crate::remoting::{RemotingCommand, RequestCode, ResponseCode, SendStatus};
use serde::Serialize;
use std::collections::BTreeMap;

/// Producer group of messages sent by `rmqctl message send`.
pub const PRODUCER_GROUP: &str = "RMQCTL_PRODUCER";

/// A SEND_MESSAGE_V2 request as rmqctl's producers send it (`message send`, the gateway): to one
/// queue of `broker_name`, `properties` already encoded, no system flags, not a batch.
pub fn send_message_v2(
    group: &str,
    topic: &str,
    queue_id: i32,
    broker_name: &str,
    properties: String,
    body: impl Into<bytes::Bytes>,
) -> RemotingCommand {
    let header = SendMessageRequestHeaderV2 {
        a: group.into(),
        b: topic.into(),
        c: AUTO_CREATE_TOPIC_KEY.into(),
        d: 4,
        e: queue_id,
        f: 0,
        g: now_millis(),
        h: 0,
        i: Some(properties),
        j: Some(0),
        k: false,
        l: None,
        m: false,
        n: Some(broker_name.into()),
    };
    RemotingCommand::request(RequestCode::SEND_MESSAGE_V2)
        .with_header(&header)
        .with_body(body)
}
/// Apache's built-in group for tools; exists on every broker.
pub const TOOLS_CONSUMER_GROUP: &str = "TOOLS_CONSUMER";
/// PullSysFlag: use the subscription carried in this request.
const PULL_FLAG_SUBSCRIPTION: i32 = 0x4;
/// Largest body accepted by `message send` (the broker default `maxMessageSize`).
pub const MAX_BODY: usize = 4 * 1024 * 1024;

/// What to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    pub topic: String,
    pub tag: Option<String>,
    pub keys: Vec<String>,
    pub body: Vec<u8>,
}

/// `message send` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SendOutcome {
    /// `SEND_OK`, or the broker's partial-success status (e.g. `FLUSH_DISK_TIMEOUT`).
    pub status: String,
    pub topic: String,
    pub broker_name: String,
    pub broker_addr: String,
    pub queue_id: i32,
    pub queue_offset: i64,
    /// The client-generated unique id (UNIQ_KEY), what Java's `SendResult.getMsgId()` returns.
    pub msg_id: String,
    /// The broker's offset message id (store host + commit-log offset).
    pub offset_msg_id: String,
}

/// A decoded message for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageView {
    pub topic: String,
    /// UNIQ_KEY when present, else the offset id.
    pub msg_id: String,
    pub offset_msg_id: String,
    pub queue_id: i32,
    pub queue_offset: i64,
    pub commit_log_offset: i64,
    pub tags: Option<String>,
    pub keys: Vec<String>,
    /// The body as UTF-8 (invalid sequences replaced).
    pub body: String,
    pub body_size: usize,
    pub born_timestamp: i64,
    pub store_timestamp: i64,
    pub born_host: String,
    pub store_host: String,
    pub reconsume_times: i32,
    pub properties: BTreeMap<String, String>,
    /// What the message is to a transaction (half message, committed, given up), if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction: Option<String>,
}

impl From<&MessageRecord> for MessageView {
    fn from(r: &MessageRecord) -> Self {
        let body = r.uncompressed_body().unwrap_or_else(|_| r.body.clone());
        MessageView {
            topic: r.topic.clone(),
            msg_id: r
                .uniq_key()
                .map(str::to_string)
                .unwrap_or_else(|| r.offset_msg_id()),
            offset_msg_id: r.offset_msg_id(),
            queue_id: r.queue_id,
            queue_offset: r.queue_offset,
            commit_log_offset: r.commit_log_offset,
            tags: r.tags().map(str::to_string),
            keys: r.keys().into_iter().map(str::to_string).collect(),
            body: String::from_utf8_lossy(&body).into_owned(),
            body_size: body.len(),
            born_timestamp: r.born_timestamp,
            store_timestamp: r.store_timestamp,
            born_host: r.born_host.to_string(),
            store_host: r.store_host.to_string(),
            reconsume_times: r.reconsume_times,
            properties: r
                .properties_map()
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            transaction: transaction_note(r),
        }
    }
}

/// What a stored record is to a transaction, for `message get`.
fn transaction_note(r: &MessageRecord) -> Option<String> {
    let real = || {
        format!(
            "topic {} queue {}",
            r.property(MessageConst::REAL_TOPIC).unwrap_or("?"),
            r.property(MessageConst::REAL_QUEUE_ID).unwrap_or("?")
        )
    };
    let checks = r
        .property(MessageConst::TRANSACTION_CHECK_TIMES)
        .unwrap_or("0");
    match r.topic.as_str() {
        MessageConst::TRANS_HALF_TOPIC => {
            let which = match checks {
                "0" => "as the producer sent it".to_string(),
                n => format!("the copy written for check-back {n}"),
            };
            Some(format!(
                "half message (prepared transaction) for {}, {which}: consumers never see it; \
                 a commit stores a separate copy on that topic",
                real()
            ))
        }
        MessageConst::TRANS_OP_HALF_TOPIC => Some(format!(
            "transaction op message: the half messages at half-queue offsets {} are resolved",
            String::from_utf8_lossy(&r.body).trim_end_matches(',')
        )),
        MessageConst::TRANS_CHECK_MAX_TIME_TOPIC => Some(format!(
            "half message given up after {checks} checks without an answer (never committed) for {}",
            real()
        )),
        _ if MessageSysFlag::transaction_type(r.sys_flag)
            == MessageSysFlag::TRANSACTION_COMMIT_TYPE =>
        {
            Some(format!(
                "committed transaction message (its half message is at commit-log offset {})",
                r.prepared_transaction_offset
            ))
        }
        _ => None,
    }
}

/// One PULL_MESSAGE answer.
#[derive(Debug, Clone)]
pub struct PullOutcome {
    pub code: i32,
    pub next_begin_offset: i64,
    pub messages: Vec<MessageRecord>,
}

/// Writable (brokerName, addr, queueCount) of a route, masters only.
fn writable_queues(route: &TopicRouteData) -> Vec<(String, String, i32)> {
    route
        .queue_datas
        .iter()
        .filter(|q| q.perm & perm::WRITE != 0 && q.write_queue_nums > 0)
        .filter_map(|q| {
            let addr = route.master_addr_of(&q.broker_name)?;
            Some((q.broker_name.clone(), addr.to_string(), q.write_queue_nums))
        })
        .collect()
}

impl Admin {
    /// Send one message to a random writable queue of its topic.
    pub async fn send_message(&self, msg: &OutgoingMessage) -> Result<SendOutcome, AdminError> {
        super::topics::validate_topic_name(&msg.topic)?;
        if msg.body.is_empty() || msg.body.len() > MAX_BODY {
            return Err(AdminError::InvalidInput(format!(
                "message body must be 1 byte to {MAX_BODY} bytes, not {}",
                msg.body.len()
            )));
        }
        let route = self.route_data(&msg.topic).await?;
        let queues = writable_queues(&route);
        let total: i32 = queues.iter().map(|q| q.2).sum();
        if total == 0 {
            return Err(AdminError::InvalidInput(format!(
                "topic {:?} has no writable queue on a master",
                msg.topic
            )));
        }
        let mut pick = (rand::random::<u32>() % total as u32) as i32;
        let (broker_name, addr, queue_id) = queues
            .iter()
            .find_map(|(name, addr, n)| {
                if pick < *n {
                    Some((name.clone(), addr.clone(), pick))
                } else {
                    pick -= n;
                    None
                }
            })
            .unwrap_or_else(|| (queues[0].0.clone(), queues[0].1.clone(), 0));
        let uniq = new_unique_id(crate::remoting::client::local_ip_towards(&addr));
        let mut props = Properties::new();
        if let Some(tag) = &msg.tag {
            props.insert(MessageConst::TAGS, tag);
        }
        if !msg.keys.is_empty() {
            props.insert(MessageConst::KEYS, &msg.keys.join(" "));
        }
        props.insert(MessageConst::WAIT_STORE_MSG_OK, "true");
        props.insert(MessageConst::UNIQ_CLIENT_MESSAGE_ID_KEYIDX, &uniq);
        let request = send_message_v2(
            PRODUCER_GROUP,
            &msg.topic,
            queue_id,
            &broker_name,
            props.encode(),
            msg.body.clone(),
        );
        let response = self.call_any(&addr, request).await?;
        let Some(status) = SendStatus::from_code(response.code) else {
            return Err(
                ClientError::remote(&addr, RequestCode::SEND_MESSAGE_V2.code(), &response).into(),
            );
        };
        let answer: SendMessageResponseHeader =
            response.header().map_err(|e| AdminError::Decode {
                addr: addr.clone(),
                reason: e.to_string(),
            })?;
        Ok(SendOutcome {
            status: status.name().to_string(),
            topic: msg.topic.clone(),
            broker_name,
            broker_addr: addr,
            queue_id: answer.queue_id,
            queue_offset: answer.queue_offset,
            msg_id: uniq,
            offset_msg_id: answer.msg_id,
        })
    }

    /// PULL_MESSAGE from one queue without committing anything.
    pub async fn pull(
        &self,
        addr: &str,
        group: &str,
        topic: &str,
        queue_id: i32,
        offset: i64,
        max: i32,
    ) -> Result<PullOutcome, AdminError> {
        let header = PullMessageRequestHeader {
            consumer_group: group.into(),
            topic: topic.into(),
            queue_id,
            queue_offset: offset,
            max_msg_nums: max,
            sys_flag: PULL_FLAG_SUBSCRIPTION,
            commit_offset: 0,
            suspend_timeout_millis: 0,
            subscription: Some("*".into()),
            sub_version: now_millis(),
            expression_type: Some("TAG".into()),
            max_msg_bytes: None,
        };
        let request = RemotingCommand::request(RequestCode::PULL_MESSAGE).with_header(&header);
        let response = self.call_any(addr, request).await?;
        let code = response.code;
        let accepted = [0, 19, 20, 21].contains(&code);
        if !accepted {
            return Err(
                ClientError::remote(addr, RequestCode::PULL_MESSAGE.code(), &response).into(),
            );
        }
        let answer: PullMessageResponseHeader =
            response.header().map_err(|e| AdminError::Decode {
                addr: addr.to_string(),
                reason: e.to_string(),
            })?;
        let messages = if code == 0 {
            decode_all(response.body_bytes()).map_err(|e| AdminError::Decode {
                addr: addr.to_string(),
                reason: e.to_string(),
            })?
        } else {
            Vec::new()
        };
        Ok(PullOutcome {
            code,
            next_begin_offset: answer.next_begin_offset,
            messages,
        })
    }

    /// A group's committed offset of one queue; `None` when nothing is stored.
    pub async fn query_consumer_offset(
        &self,
        addr: &str,
        group: &str,
        topic: &str,
        queue_id: i32,
    ) -> Result<Option<i64>, AdminError> {
        let request = RemotingCommand::request(RequestCode::QUERY_CONSUMER_OFFSET).with_header(
            &QueryConsumerOffsetRequestHeader {
                consumer_group: group.into(),
                topic: topic.into(),
                queue_id,
                set_zero_if_not_found: Some(false),
            },
        );
        let response = self.call_any(addr, request).await?;
        if response.code == ResponseCode::QUERY_NOT_FOUND.code() {
            return Ok(None);
        }
        if !response.is_success() {
            return Err(ClientError::remote(
                addr,
                RequestCode::QUERY_CONSUMER_OFFSET.code(),
                &response,
            )
            .into());
        }
        let h: OffsetResponseHeader = response.header().map_err(|e| AdminError::Decode {
            addr: addr.to_string(),
            reason: e.to_string(),
        })?;
        Ok(Some(h.offset))
    }

    /// Read up to `max` messages of a topic, queue by queue, from the group's committed offsets
    /// (from the start of each queue without a group). Commits nothing.
    pub async fn consume(
        &self,
        topic: &str,
        group: Option<&str>,
        max: usize,
    ) -> Result<Vec<MessageView>, AdminError> {
        let route = self.route_data(topic).await?;
        let stats = self.topic_status(topic).await?;
        let mut out = Vec::new();
        for q in stats {
            if out.len() >= max {
                break;
            }
            let Some(addr) = route.broker(&q.broker_name).and_then(|b| b.select_addr()) else {
                continue;
            };
            let mut offset = match group {
                Some(g) => self
                    .query_consumer_offset(addr, g, topic, q.queue_id)
                    .await?
                    .unwrap_or(q.min_offset),
                None => q.min_offset,
            }
            .max(q.min_offset);
            // Pull as TOOLS_CONSUMER even with a group: a pull in the group's name would make a
            // broker that auto-creates subscription groups create it.
            while offset < q.max_offset && out.len() < max {
                let want = (max - out.len()).min(32) as i32;
                let pulled = self
                    .pull(addr, TOOLS_CONSUMER_GROUP, topic, q.queue_id, offset, want)
                    .await?;
                if pulled.messages.is_empty() || pulled.next_begin_offset <= offset {
                    break;
                }
                out.extend(pulled.messages.iter().map(MessageView::from));
                offset = pulled.next_begin_offset;
            }
        }
        out.truncate(max);
        Ok(out)
    }

    /// A message by id: a unique id (UNIQ_KEY) searched in `topic` when given, else (or when not
    /// found) an offset id read from the broker it names.
    pub async fn get_message(
        &self,
        msg_id: &str,
        topic: Option<&str>,
    ) -> Result<MessageView, AdminError> {
        if let Some(topic) = topic {
            let found = self.query_messages(topic, msg_id, true).await?;
            if let Some(first) = found.into_iter().next() {
                return Ok(first);
            }
        }
        let id = OffsetMsgId::decode(msg_id).map_err(|e| {
            AdminError::InvalidInput(format!(
                "{e}; for a unique id (what producers return) also pass -t TOPIC"
            ))
        })?;
        let addr = id.store_host.to_string();
        let request = RemotingCommand::request(RequestCode::VIEW_MESSAGE_BY_ID).with_header(
            &ViewMessageRequestHeader {
                offset: id.commit_log_offset,
                topic: topic.map(str::to_string),
            },
        );
        let response = self.call(&addr, request).await?;
        let record =
            MessageRecord::decode(response.body_bytes()).map_err(|e| AdminError::Decode {
                addr,
                reason: e.to_string(),
            })?;
        Ok(MessageView::from(&record))
    }

    /// QUERY_MESSAGE on every broker of a topic's route: by KEYS, or by UNIQ_KEY when `unique`.
    pub async fn query_messages(
        &self,
        topic: &str,
        key: &str,
        unique: bool,
    ) -> Result<Vec<MessageView>, AdminError> {
        let route = self.route_data(topic).await?;
        let addrs: Vec<String> = route
            .broker_datas
            .iter()
            .filter_map(|b| b.select_addr().map(str::to_string))
            .collect();
        let answers = futures::future::join_all(
            addrs
                .iter()
                .map(|addr| self.query_broker(addr, topic, key, unique)),
        )
        .await;
        let mut out = Vec::new();
        for answer in answers {
            out.extend(answer?);
        }
        out.retain(|m| {
            if unique {
                m.msg_id == key
            } else {
                m.keys.iter().any(|k| k == key)
            }
        });
        out.sort_by_key(|m| (m.store_timestamp, m.queue_id, m.queue_offset));
        Ok(out)
    }

    async fn query_broker(
        &self,
        addr: &str,
        topic: &str,
        key: &str,
        unique: bool,
    ) -> Result<Vec<MessageView>, AdminError> {
        let mut request = RemotingCommand::request(RequestCode::QUERY_MESSAGE).with_header(
            &QueryMessageRequestHeader {
                topic: topic.into(),
                key: key.into(),
                max_num: 64,
                begin_timestamp: 0,
                end_timestamp: i64::MAX,
            },
        );
        if unique {
            request.ext_fields.insert("_UNIQUE_KEY_QUERY", "true");
        }
        let response = self.call_any(addr, request).await?;
        if response.code == ResponseCode::QUERY_NOT_FOUND.code() {
            return Ok(Vec::new());
        }
        if !response.is_success() {
            return Err(
                ClientError::remote(addr, RequestCode::QUERY_MESSAGE.code(), &response).into(),
            );
        }
        let records = decode_all(response.body_bytes()).map_err(|e| AdminError::Decode {
            addr: addr.to_string(),
            reason: e.to_string(),
        })?;
        Ok(records.iter().map(MessageView::from).collect())
    }
}
