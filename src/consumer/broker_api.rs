//! The requests a push consumer sends to brokers: HEART_BEAT, GET_CONSUMER_LIST_BY_GROUP,
//! PULL_MESSAGE (long polling), QUERY/UPDATE_CONSUMER_OFFSET, GET_MAX_OFFSET,
//! CONSUMER_SEND_MSG_BACK and UNREGISTER_CLIENT. Records are decoded by
//! `protocol::message::decode_all`, the decoder every other reader uses.

use super::ConsumerError;
use crate::admin::Admin;
use crate::protocol::consumer::{ConsumerIdList, HeartbeatData};
use crate::protocol::fastjson;
use crate::protocol::message::{decode_all, MessageRecord};
use crate::remoting::client::ClientError;
use crate::remoting::headers::{
    ConsumerGroupRequestHeader, ConsumerSendMsgBackRequestHeader, GetMaxOffsetRequestHeader,
    OffsetResponseHeader, PullMessageRequestHeader, PullMessageResponseHeader,
    QueryConsumerOffsetRequestHeader, UnregisterClientRequestHeader,
    UpdateConsumerOffsetRequestHeader,
};
use crate::remoting::{RemotingCommand, RequestCode, ResponseCode};
use std::time::Duration;

/// `PullSysFlag`: SUSPEND (long poll) | SUBSCRIPTION (the expression travels with the pull, so a
/// pull never depends on the broker having seen this member's heartbeat yet).
const PULL_FLAGS: i32 = 0x2 | 0x4;

/// One PULL_MESSAGE answer, as the queue loop needs it.
#[derive(Debug)]
pub enum PullResult {
    Found {
        messages: Vec<MessageRecord>,
        next: i64,
    },
    /// Nothing new (after the hold) or only filtered-out messages up to `next`.
    NoNew { next: i64 },
    /// The offset was outside the queue; start again at `next`.
    OffsetIllegal { next: i64 },
}

/// What one pull asks for.
pub struct PullSpec<'a> {
    pub topic: &'a str,
    pub queue_id: i32,
    pub offset: i64,
    pub max: i32,
    pub expression: &'a str,
    pub sub_version: i64,
    pub hold: Duration,
}

/// A consumer group's view of the brokers.
#[derive(Clone)]
pub struct BrokerApi {
    pub admin: Admin,
    pub group: String,
    pub client_id: String,
}

impl BrokerApi {
    fn remote(addr: &str, code: RequestCode, response: &RemotingCommand) -> ConsumerError {
        ConsumerError::Remote(ClientError::remote(addr, code.code(), response).into())
    }

    pub async fn heartbeat(&self, addr: &str, data: &HeartbeatData) -> Result<(), ConsumerError> {
        let body = fastjson::to_vec(data).map_err(|e| ConsumerError::Encode(e.to_string()))?;
        let request = RemotingCommand::request(RequestCode::HEART_BEAT).with_body(body);
        self.admin.call(addr, request).await?;
        Ok(())
    }

    pub async fn unregister(&self, addr: &str) -> Result<(), ConsumerError> {
        let request = RemotingCommand::request(RequestCode::UNREGISTER_CLIENT).with_header(
            &UnregisterClientRequestHeader {
                client_id: self.client_id.clone(),
                producer_group: None,
                consumer_group: Some(self.group.clone()),
            },
        );
        self.admin.call(addr, request).await?;
        Ok(())
    }

    /// The group's member ids as the broker at `addr` knows them, sorted.
    pub async fn consumer_ids(&self, addr: &str) -> Result<Vec<String>, ConsumerError> {
        let request = RemotingCommand::request(RequestCode::GET_CONSUMER_LIST_BY_GROUP)
            .with_header(&ConsumerGroupRequestHeader {
                consumer_group: self.group.clone(),
            });
        let response = self.admin.call_any(addr, request).await?;
        if !response.is_success() {
            // "no consumer for this group": this member's heartbeat has not arrived yet.
            return Ok(Vec::new());
        }
        let list: ConsumerIdList = crate::admin::decode_body(
            addr,
            RequestCode::GET_CONSUMER_LIST_BY_GROUP.code(),
            &response,
        )?;
        let mut ids = list.consumer_id_list;
        ids.sort();
        ids.dedup();
        Ok(ids)
    }

    pub async fn pull(&self, addr: &str, spec: &PullSpec<'_>) -> Result<PullResult, ConsumerError> {
        let header = PullMessageRequestHeader {
            consumer_group: self.group.clone(),
            topic: spec.topic.to_owned(),
            queue_id: spec.queue_id,
            queue_offset: spec.offset,
            max_msg_nums: spec.max,
            sys_flag: PULL_FLAGS,
            commit_offset: 0,
            suspend_timeout_millis: spec.hold.as_millis() as i64,
            subscription: Some(spec.expression.to_owned()),
            sub_version: spec.sub_version,
            expression_type: Some("TAG".into()),
            max_msg_bytes: None,
        };
        let request = RemotingCommand::request(RequestCode::PULL_MESSAGE).with_header(&header);
        let wait = spec.hold + self.admin.timeout;
        let response = self
            .admin
            .client
            .invoke(addr, request, wait)
            .await
            .map_err(|e| ConsumerError::Remote(e.into()))?;
        let code = response.code;
        if ![0, 19, 20, 21].contains(&code) {
            return Err(Self::remote(addr, RequestCode::PULL_MESSAGE, &response));
        }
        let answer: PullMessageResponseHeader = response
            .header()
            .map_err(|e| ConsumerError::Decode(format!("PULL_MESSAGE answer from {addr}: {e}")))?;
        let next = answer.next_begin_offset;
        Ok(match code {
            0 => PullResult::Found {
                messages: decode_all(response.body_bytes()).map_err(|e| {
                    ConsumerError::Decode(format!("messages pulled from {addr}: {e}"))
                })?,
                next,
            },
            21 => PullResult::OffsetIllegal { next },
            _ => PullResult::NoNew { next },
        })
    }

    /// The group's committed offset of a queue; `None` when the broker has none.
    pub async fn query_offset(
        &self,
        addr: &str,
        topic: &str,
        queue_id: i32,
    ) -> Result<Option<i64>, ConsumerError> {
        let request = RemotingCommand::request(RequestCode::QUERY_CONSUMER_OFFSET).with_header(
            &QueryConsumerOffsetRequestHeader {
                consumer_group: self.group.clone(),
                topic: topic.to_owned(),
                queue_id,
                set_zero_if_not_found: Some(false),
            },
        );
        let response = self.admin.call_any(addr, request).await?;
        if response.code == ResponseCode::QUERY_NOT_FOUND.code() {
            return Ok(None);
        }
        if !response.is_success() {
            return Err(Self::remote(
                addr,
                RequestCode::QUERY_CONSUMER_OFFSET,
                &response,
            ));
        }
        let h: OffsetResponseHeader = response
            .header()
            .map_err(|e| ConsumerError::Decode(format!("offset from {addr}: {e}")))?;
        Ok(Some(h.offset))
    }

    pub async fn max_offset(
        &self,
        addr: &str,
        topic: &str,
        queue_id: i32,
    ) -> Result<i64, ConsumerError> {
        let request = RemotingCommand::request(RequestCode::GET_MAX_OFFSET).with_header(
            &GetMaxOffsetRequestHeader {
                topic: topic.to_owned(),
                queue_id,
                committed: None,
            },
        );
        let response = self.admin.call(addr, request).await?;
        let h: OffsetResponseHeader = response
            .header()
            .map_err(|e| ConsumerError::Decode(format!("max offset from {addr}: {e}")))?;
        Ok(h.offset)
    }

    pub async fn update_offset(
        &self,
        addr: &str,
        topic: &str,
        queue_id: i32,
        offset: i64,
    ) -> Result<(), ConsumerError> {
        let request = RemotingCommand::request(RequestCode::UPDATE_CONSUMER_OFFSET).with_header(
            &UpdateConsumerOffsetRequestHeader {
                consumer_group: self.group.clone(),
                topic: topic.to_owned(),
                queue_id,
                commit_offset: offset,
            },
        );
        self.admin.call(addr, request).await?;
        Ok(())
    }

    /// CONSUMER_SEND_MSG_BACK of a failed message to the broker it was pulled from; delay level
    /// 0 lets the broker pick `3 + reconsumeTimes` (as the Java push consumer does), -1 sends
    /// it straight to the dead-letter topic.
    pub async fn send_back(
        &self,
        addr: &str,
        msg: &MessageRecord,
        origin_topic: &str,
        delay_level: i32,
        max_reconsume_times: i32,
    ) -> Result<(), ConsumerError> {
        let request = RemotingCommand::request(RequestCode::CONSUMER_SEND_MSG_BACK).with_header(
            &ConsumerSendMsgBackRequestHeader {
                offset: msg.commit_log_offset,
                group: self.group.clone(),
                delay_level,
                origin_msg_id: Some(
                    msg.uniq_key()
                        .map_or_else(|| msg.offset_msg_id(), str::to_owned),
                ),
                origin_topic: Some(origin_topic.to_owned()),
                unit_mode: false,
                max_reconsume_times: Some(max_reconsume_times),
            },
        );
        self.admin.call(addr, request).await?;
        Ok(())
    }
}

/// A client id as Java builds one: `ip@pid#nanos` (unique per consumer instance, so two
/// consumers of one group in one process are two members).
pub fn new_client_id(towards: &str) -> String {
    let ip = crate::remoting::client::local_ip_towards(towards);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{ip}@{}#{nanos}", std::process::id())
}
