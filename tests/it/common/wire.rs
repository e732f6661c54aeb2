//! Raw broker requests for integration tests: SEND_MESSAGE_V2 and PULL_MESSAGE built by hand
//! and sent with our `RemotingClient`, so tests see every response field a client would.

use rmqctl::protocol::message::{decode_all, MessageRecord};
use rmqctl::remoting::client::RemotingClient;
use rmqctl::remoting::headers::{
    PullMessageRequestHeader, SendMessageRequestHeader, SendMessageRequestHeaderV2,
};
use rmqctl::remoting::{RemotingCommand, RequestCode};
use std::time::Duration;

pub const TIMEOUT: Duration = Duration::from_secs(10);

/// A SEND_MESSAGE_V2 request for one message with these encoded properties.
pub fn send_v2(topic: &str, queue_id: i32, body: Vec<u8>, properties: &str) -> RemotingCommand {
    let header = SendMessageRequestHeader {
        producer_group: "test_pg".into(),
        topic: topic.into(),
        default_topic: "TBW102".into(),
        default_topic_queue_nums: 4,
        queue_id,
        sys_flag: 0,
        born_timestamp: now_ms(),
        flag: 0,
        properties: Some(properties.to_string()),
        reconsume_times: Some(0),
        unit_mode: false,
        batch: false,
        max_reconsume_times: None,
        broker_name: None,
    };
    RemotingCommand::request(RequestCode::SEND_MESSAGE_V2)
        .with_header(&SendMessageRequestHeaderV2::from_v1(header))
        .with_body(body)
}

/// A PULL_MESSAGE request with an explicit subscription (sysFlag SUBSCRIPTION, plus SUSPEND when
/// `suspend_ms` > 0).
pub fn pull(
    group: &str,
    topic: &str,
    queue_id: i32,
    offset: i64,
    subscription: &str,
    suspend_ms: i64,
) -> RemotingCommand {
    let suspend = if suspend_ms > 0 { 0x2 } else { 0 };
    RemotingCommand::request(RequestCode::PULL_MESSAGE).with_header(&PullMessageRequestHeader {
        consumer_group: group.into(),
        topic: topic.into(),
        queue_id,
        queue_offset: offset,
        max_msg_nums: 32,
        sys_flag: 0x4 | suspend,
        commit_offset: 0,
        suspend_timeout_millis: suspend_ms,
        subscription: Some(subscription.into()),
        sub_version: 0,
        expression_type: Some("TAG".into()),
        max_msg_bytes: None,
    })
}

/// Every record of one queue from `offset` to its end.
pub async fn pull_all(
    client: &RemotingClient,
    addr: &str,
    topic: &str,
    queue_id: i32,
) -> Vec<MessageRecord> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let r = client
            .invoke(
                addr,
                pull("test_cg", topic, queue_id, offset, "*", 0),
                TIMEOUT,
            )
            .await
            .expect("pull");
        if r.code != 0 {
            return out;
        }
        out.extend(decode_all(r.body_bytes()).expect("pulled records decode"));
        offset = ext_i64(&r, "nextBeginOffset");
    }
}

/// An extFields value parsed as a number; panics with the response if it is missing.
pub fn ext_i64(r: &RemotingCommand, key: &str) -> i64 {
    r.ext_fields
        .get(key)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("response without numeric {key}: {r:?}"))
}

pub use rmqctl::calendar::now_millis as now_ms;
