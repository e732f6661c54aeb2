//! Delivery of the gateway's messages to callbacks: the gateway topic is consumed as a clustering
//! group (several gateways share its queues; a restarted one resumes from the committed offsets)
//! and each message is POSTed to its `BACKURL` property; every `[[subscription]]` consumes an
//! existing topic in its own group and POSTs to its fixed URL. A failed callback is sent back to
//! the broker for redelivery with RocketMQ's delay levels and lands in `%DLQ%<group>` after
//! `max_reconsume_times` (see `consumer`). A backurl that the allow-list refuses, or a message
//! without one, goes to the dead-letter topic at once.

use super::allow_list::{AllowList, AllowListError};
use super::callback_client::{Callback, CallbackClient, CallbackFailure};
use super::config::{GatewayConfig, Subscription, SubscriptionStart};
use crate::admin::namesrv_set::NamesrvSet;
use crate::admin::{Admin, AdminError};
use crate::consumer::{
    self, ConsumeFrom, ConsumeOutcome, ConsumerConfig, MessageHandler, ReceivedMessage,
};
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// The message property holding a `/send` message's callback URL (the send side sets it).
pub const BACKURL_PROPERTY: &str = "BACKURL";

/// Timeout of the consumer's broker and name-server requests.
const BROKER_TIMEOUT: Duration = Duration::from_secs(5);

/// What happened to deliveries, for metrics (the HTTP side connects these to /metrics).
pub trait DeliveryEvents: Send + Sync + 'static {
    /// A callback answered `success` after `latency` (the request alone, without the wait for
    /// a free slot of its host).
    fn on_success(&self, latency: Duration);
    /// One attempt failed (the message is then sent back or dead-lettered).
    fn on_failure(&self, failure: &CallbackFailure);
    /// A failed message was taken back by the broker for another try.
    fn on_retry(&self);
    /// A message went to `%DLQ%<group>`: tries used up, or its backurl cannot be called.
    fn on_dead_letter(&self);
}

/// Events nobody listens to.
pub struct NoEvents;

impl DeliveryEvents for NoEvents {
    fn on_success(&self, _latency: Duration) {}
    fn on_failure(&self, _failure: &CallbackFailure) {}
    fn on_retry(&self) {}
    fn on_dead_letter(&self) {}
}

/// Why delivery could not start.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error(transparent)]
    AllowList(#[from] AllowListError),
    #[error(transparent)]
    Namesrv(#[from] AdminError),
    #[error("[[subscription]] of topic {topic:?}: url {url:?} is refused: {reason}; add a matching prefix to allow_callbacks")]
    SubscriptionUrl {
        topic: String,
        url: String,
        reason: String,
    },
    #[error("[[subscription]] of topic {topic:?}: group {group:?} is the gateway's own delivery group; give it a group of its own")]
    SharedGroup { topic: String, group: String },
    #[error(transparent)]
    HttpClient(#[from] super::callback_client::CallbackClientError),
}

/// Where a consumer's messages go.
enum Destination {
    /// Each message's `BACKURL` property.
    Backurl,
    /// A `[[subscription]]`'s fixed URL.
    Fixed(String),
}

struct DeliveryHandler {
    client: Arc<CallbackClient>,
    destination: Destination,
    events: Arc<dyn DeliveryEvents>,
}

#[async_trait::async_trait]
impl MessageHandler for DeliveryHandler {
    async fn handle(&self, msg: &ReceivedMessage) -> ConsumeOutcome {
        let url = match &self.destination {
            Destination::Fixed(url) => url.as_str(),
            Destination::Backurl => match msg.property(BACKURL_PROPERTY) {
                Some(url) => url,
                None => {
                    tracing::warn!(msg_id = %msg.msg_id, topic = %msg.topic, "message has no BACKURL property; dead-lettered");
                    self.events
                        .on_failure(&CallbackFailure::Refused("no BACKURL property".into()));
                    return ConsumeOutcome::DeadLetter;
                }
            },
        };
        let body = msg
            .record
            .uncompressed_body()
            .unwrap_or_else(|_| msg.record.body.clone());
        let result = self
            .client
            .post(Callback {
                url,
                msg_id: &msg.msg_id,
                reconsume_times: msg.reconsume_times,
                body,
            })
            .await;
        match result {
            Ok(latency) => {
                self.events.on_success(latency);
                ConsumeOutcome::Ack
            }
            Err(failure) => {
                tracing::debug!(msg_id = %msg.msg_id, %url, reconsume = msg.reconsume_times, error = %failure, "callback failed");
                self.events.on_failure(&failure);
                if matches!(failure, CallbackFailure::Refused(_)) {
                    tracing::warn!(msg_id = %msg.msg_id, error = %failure, "backurl refused; dead-lettered");
                    ConsumeOutcome::DeadLetter
                } else {
                    ConsumeOutcome::Retry
                }
            }
        }
    }

    fn sent_back(&self, _msg: &ReceivedMessage, dead_letter: bool) {
        if dead_letter {
            self.events.on_dead_letter();
        } else {
            self.events.on_retry();
        }
    }
}

/// Start delivering: the gateway topic to backurls, and each `[[subscription]]` to its URL, with
/// a plain, unsigned cluster session to `namesrv` (see [`start_delivery`] for TLS and ACL). The
/// returned task ends once `shutdown` is cancelled and every consumer has stopped (pulls ended,
/// callbacks in flight finished within `drain_timeout_ms`, offsets committed).
pub fn run_delivery(
    config: &GatewayConfig,
    namesrv: &str,
    events: Arc<dyn DeliveryEvents>,
    shutdown: CancellationToken,
) -> Result<JoinHandle<()>, DeliveryError> {
    let admin = Admin::new(NamesrvSet::parse(namesrv)?, BROKER_TIMEOUT);
    start_delivery(config, admin, events, shutdown)
}

/// The checks of gateway.toml that delivery needs (allow-list entries, subscriptions), so a
/// mistake stops the gateway before it serves.
pub fn check_delivery_config(config: &GatewayConfig) -> Result<(), DeliveryError> {
    super::callback_client::extra_roots(&config.delivery)?;
    let allow = AllowList::parse(&config.allow_callbacks)?;
    config
        .subscriptions
        .iter()
        .try_for_each(|sub| check_subscription(config, &allow, sub))
}

/// [`run_delivery`] over a given cluster session: the gateway's own, which carries its TLS and
/// ACL account towards the brokers.
pub fn start_delivery(
    config: &GatewayConfig,
    admin: Admin,
    events: Arc<dyn DeliveryEvents>,
    shutdown: CancellationToken,
) -> Result<JoinHandle<()>, DeliveryError> {
    check_delivery_config(config)?;
    let allow = Arc::new(AllowList::parse(&config.allow_callbacks)?);
    if allow.is_empty() {
        tracing::warn!("allow_callbacks is empty: every backurl is refused and its message dead-lettered; list the callback URL prefixes in gateway.toml");
    }
    let client = CallbackClient::new(allow, &config.delivery)?;
    let client = Arc::new(client);
    let mut consumers = Vec::new();
    let gateway = consumer_config(
        config,
        &config.group,
        &config.topic,
        "*",
        ConsumeFrom::First,
    );
    consumers.push(consumer::start(
        admin.clone(),
        gateway,
        Arc::new(DeliveryHandler {
            client: client.clone(),
            destination: Destination::Backurl,
            events: events.clone(),
        }),
        shutdown.clone(),
    ));
    for sub in &config.subscriptions {
        let from = match sub.consume_from {
            SubscriptionStart::First => ConsumeFrom::First,
            SubscriptionStart::Last => ConsumeFrom::Last,
        };
        let cfg = consumer_config(config, &sub.group, &sub.topic, &sub.tags, from);
        consumers.push(consumer::start(
            admin.clone(),
            cfg,
            Arc::new(DeliveryHandler {
                client: client.clone(),
                destination: Destination::Fixed(sub.url.clone()),
                events: events.clone(),
            }),
            shutdown.clone(),
        ));
    }
    Ok(tokio::spawn(async move {
        for c in consumers {
            let _ = c.await;
        }
    }))
}

fn check_subscription(
    config: &GatewayConfig,
    allow: &AllowList,
    sub: &Subscription,
) -> Result<(), DeliveryError> {
    if sub.group == config.group {
        return Err(DeliveryError::SharedGroup {
            topic: sub.topic.clone(),
            group: sub.group.clone(),
        });
    }
    allow
        .check(&sub.url)
        .map(drop)
        .map_err(|e| DeliveryError::SubscriptionUrl {
            topic: sub.topic.clone(),
            url: sub.url.clone(),
            reason: e.to_string(),
        })
}

/// A group that starts at the topic's first message (the gateway topic) or at its end.
///
/// The gateway's own group starts at the first offset: `/send` stores messages before any
/// delivery group may have existed (first start, or a gateway that only sent so far), and
/// starting at the last offset would silently skip them. Subscriptions of existing topics start
/// at the end unless `consume_from = "first"` says otherwise, so a new subscription does not
/// push a topic's whole history.
fn consumer_config(
    config: &GatewayConfig,
    group: &str,
    topic: &str,
    tags: &str,
    from: ConsumeFrom,
) -> ConsumerConfig {
    let d = &config.delivery;
    let mut c = ConsumerConfig::new(group, topic, tags);
    c.consume_from = from;
    c.max_reconsume_times = d.max_reconsume_times.min(i32::MAX as u32) as i32;
    c.drain_timeout = Duration::from_millis(d.drain_timeout_ms);
    c
}
