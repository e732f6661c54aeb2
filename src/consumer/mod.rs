//! A clustering push consumer (the part of Apache's `DefaultMQPushConsumer` a service needs):
//! members of a group heartbeat to the brokers, split the queues of the topic and of the group's
//! `%RETRY%` topic with Apache's average allocation (rebalanced as soon as a broker says the
//! group's members changed, and every 20 s besides), long-poll them, hand messages to a
//! [`MessageHandler`] concurrently, send failed ones back (CONSUMER_SEND_MSG_BACK, delay level
//! chosen by the broker, `%DLQ%` after `maxReconsumeTimes`) and commit per queue the lowest
//! offset not yet acked or sent back (at-least-once: a crash redelivers, never skips).
//!
//! Files: `allocate` (queue shares), `offset_tracker` (commit point under out-of-order
//! completion), `broker_api` (the requests), `queue_worker` (one queue's pull loop), `group`
//! (heartbeats, rebalancing, commits, shutdown).

pub mod allocate;
pub mod broker_api;
mod group;
pub mod offset_tracker;
mod queue_worker;

pub use queue_worker::QueueKey;

use crate::admin::{Admin, AdminError};
use crate::protocol::message::{MessageConst, MessageRecord};
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Why a consumer request failed.
#[derive(Debug, thiserror::Error)]
pub enum ConsumerError {
    #[error(transparent)]
    Remote(#[from] AdminError),
    #[error("cannot encode a request body: {0}")]
    Encode(String),
    #[error("{0}")]
    Decode(String),
}

/// Where a group with no committed offset on a queue starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsumeFrom {
    /// The oldest message still stored (`CONSUME_FROM_FIRST_OFFSET`).
    First,
    /// Only messages stored from now on (`CONSUME_FROM_LAST_OFFSET`).
    Last,
}

impl ConsumeFrom {
    fn apache_name(self) -> &'static str {
        match self {
            ConsumeFrom::First => "CONSUME_FROM_FIRST_OFFSET",
            ConsumeFrom::Last => "CONSUME_FROM_LAST_OFFSET",
        }
    }
}

/// One consumer group's settings.
#[derive(Debug, Clone)]
pub struct ConsumerConfig {
    pub group: String,
    pub topic: String,
    /// Tag expression (`*`, `TagA || TagB`).
    pub expression: String,
    pub consume_from: ConsumeFrom,
    /// Failed deliveries before the broker moves a message to `%DLQ%<group>`.
    pub max_reconsume_times: i32,
    /// Messages asked for per pull.
    pub pull_batch: i32,
    /// Messages of one queue in the handler at once (more are not pulled until some finish).
    pub max_in_flight_per_queue: usize,
    /// Body bytes of one queue in the handler at once.
    pub max_in_flight_bytes_per_queue: usize,
    /// How long the broker holds a pull that finds nothing.
    pub pull_hold: Duration,
    /// The periodic rebalance, besides the one on each NOTIFY_CONSUMER_IDS_CHANGED (it catches
    /// route changes and lost notices).
    pub rebalance_interval: Duration,
    pub heartbeat_interval: Duration,
    pub commit_interval: Duration,
    /// At shutdown or queue release: how long in-flight messages may finish before they are
    /// abandoned (not committed: redelivered later).
    pub drain_timeout: Duration,
    /// Pause before a message whose send-back failed is handled again locally.
    pub local_retry_delay: Duration,
}

impl ConsumerConfig {
    /// Defaults close to the Java push consumer's (commit more often: a crash redelivers at
    /// most ~1 s of acks).
    pub fn new(group: &str, topic: &str, expression: &str) -> Self {
        ConsumerConfig {
            group: group.to_owned(),
            topic: topic.to_owned(),
            expression: expression.to_owned(),
            consume_from: ConsumeFrom::Last,
            max_reconsume_times: 16,
            pull_batch: 32,
            max_in_flight_per_queue: 512,
            max_in_flight_bytes_per_queue: 64 * 1024 * 1024,
            pull_hold: Duration::from_secs(15),
            rebalance_interval: Duration::from_secs(20),
            heartbeat_interval: Duration::from_secs(10),
            commit_interval: Duration::from_secs(1),
            drain_timeout: Duration::from_secs(10),
            local_retry_delay: Duration::from_secs(1),
        }
    }
}

/// A message handed to the handler.
#[derive(Debug, Clone)]
pub struct ReceivedMessage {
    /// The record as pulled (on `%RETRY%<group>` for redeliveries).
    pub record: MessageRecord,
    /// The topic it was sent to (a redelivery's `RETRY_TOPIC`).
    pub topic: String,
    /// UNIQ_KEY (the producer's id, the same on every redelivery), else the offset id.
    pub msg_id: String,
    /// Earlier failed deliveries.
    pub reconsume_times: i32,
}

impl ReceivedMessage {
    fn of(record: MessageRecord) -> Self {
        let topic = if record
            .topic
            .starts_with(crate::protocol::consumer::RETRY_GROUP_TOPIC_PREFIX)
        {
            record
                .property(MessageConst::RETRY_TOPIC)
                .unwrap_or(&record.topic)
                .to_owned()
        } else {
            record.topic.clone()
        };
        let msg_id = record
            .uniq_key()
            .map_or_else(|| record.offset_msg_id(), str::to_owned);
        ReceivedMessage {
            reconsume_times: record.reconsume_times,
            topic,
            msg_id,
            record,
        }
    }

    pub fn property(&self, key: &str) -> Option<&str> {
        self.record.property(key)
    }
}

/// What the handler made of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsumeOutcome {
    /// Done: counts towards the committed offset.
    Ack,
    /// Failed: send it back for redelivery with the next delay level.
    Retry,
    /// Cannot ever succeed: send it straight to `%DLQ%<group>` (delay level -1).
    DeadLetter,
}

/// What the consumer does with each message; called concurrently.
#[async_trait::async_trait]
pub trait MessageHandler: Send + Sync + 'static {
    async fn handle(&self, msg: &ReceivedMessage) -> ConsumeOutcome;

    /// A failed message was taken back by the broker: for another try (`dead_letter` false) or
    /// into `%DLQ%<group>` (its tries are used up).
    fn sent_back(&self, _msg: &ReceivedMessage, _dead_letter: bool) {}

    /// A rebalance changed the queues this member owns: all it owns now, of the topic and of
    /// `%RETRY%<group>`.
    fn queues_owned(&self, _queues: &[QueueKey]) {}
}

/// Start consuming; the task ends after `shutdown` is cancelled, in-flight messages finished
/// (up to `drain_timeout`), offsets committed and the member unregistered.
pub fn start(
    admin: Admin,
    config: ConsumerConfig,
    handler: Arc<dyn MessageHandler>,
    shutdown: CancellationToken,
) -> JoinHandle<()> {
    tokio::spawn(group::run(admin, config, handler, shutdown))
}
