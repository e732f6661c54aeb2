//! One owned queue: find where to start, long-poll it, run the handler on each message in its
//! own task (bounded by the queue's in-flight limits), send failures back, and keep the offset
//! tracker that the group's committer reads. On release or shutdown it stops pulling, lets
//! in-flight messages finish (bounded), and commits.

use super::broker_api::{BrokerApi, PullResult, PullSpec};
use super::offset_tracker::OffsetTracker;
use super::{ConsumeFrom, ConsumeOutcome, ConsumerConfig, MessageHandler, ReceivedMessage};
use crate::locks::lock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// Which queue, and the broker (master) serving it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QueueKey {
    pub topic: String,
    pub broker_name: String,
    pub queue_id: i32,
    pub addr: String,
}

/// What the worker shares with the committer.
#[derive(Debug, Default)]
pub struct QueueState {
    pub tracker: Mutex<Option<OffsetTracker>>,
    /// The offset last stored on the broker.
    pub committed: Mutex<Option<i64>>,
    bytes_in_flight: AtomicUsize,
    finished: Notify,
}

impl QueueState {
    /// Store the commit point when it moved; errors are logged (the next tick tries again).
    pub async fn commit(&self, api: &BrokerApi, key: &QueueKey) {
        let Some(offset) = lock(&self.tracker).as_ref().map(OffsetTracker::committable) else {
            return;
        };
        if *lock(&self.committed) == Some(offset) {
            return;
        }
        match api
            .update_offset(&key.addr, &key.topic, key.queue_id, offset)
            .await
        {
            Ok(()) => *lock(&self.committed) = Some(offset),
            Err(e) => {
                tracing::warn!(topic = %key.topic, queue = key.queue_id, error = %e, "offset not committed; will retry")
            }
        }
    }
}

pub struct QueueWorker {
    pub key: QueueKey,
    pub api: BrokerApi,
    pub config: Arc<ConsumerConfig>,
    pub handler: Arc<dyn MessageHandler>,
    pub state: Arc<QueueState>,
    pub sub_version: i64,
    /// Cancelled when the queue is released or the consumer stops.
    pub stop: CancellationToken,
}

/// Pause after a failed request before the next one.
const ERROR_PAUSE: Duration = Duration::from_secs(1);

impl QueueWorker {
    pub async fn run(self) {
        let Some(start) = self.start_offset().await else {
            return;
        };
        *lock(&self.state.tracker) = Some(OffsetTracker::starting_at(start));
        let mut tasks = JoinSet::new();
        while !self.stop.is_cancelled() {
            while tasks.try_join_next().is_some() {}
            if self.is_full() {
                tokio::select! {
                    _ = self.stop.cancelled() => break,
                    _ = self.state.finished.notified() => continue,
                }
            }
            let offset = self.next_pull();
            let expression = if self.key.topic == self.config.topic {
                self.config.expression.as_str()
            } else {
                "*"
            };
            let spec = PullSpec {
                topic: &self.key.topic,
                queue_id: self.key.queue_id,
                offset,
                max: self.config.pull_batch,
                expression,
                sub_version: self.sub_version,
                hold: self.config.pull_hold,
            };
            let pulled = tokio::select! {
                _ = self.stop.cancelled() => break,
                r = self.api.pull(&self.key.addr, &spec) => r,
            };
            match pulled {
                Ok(PullResult::Found { messages, next }) => {
                    self.dispatch(messages, next, &mut tasks);
                }
                Ok(PullResult::NoNew { next }) => {
                    self.with_tracker(|t| t.pulled([], next));
                }
                Ok(PullResult::OffsetIllegal { next }) => {
                    tracing::info!(topic = %self.key.topic, queue = self.key.queue_id, from = offset, to = next, "pull offset moved by the broker");
                    self.with_tracker(|t| {
                        if !t.reset(next) {
                            t.pulled([], next);
                        }
                    });
                }
                Err(e) => {
                    tracing::warn!(topic = %self.key.topic, queue = self.key.queue_id, broker = %self.key.addr, error = %e, "pull failed; retrying");
                    self.pause(ERROR_PAUSE).await;
                }
            }
        }
        self.drain(tasks).await;
        self.state.commit(&self.api, &self.key).await;
    }

    /// The committed offset, or where `consume_from` says a new group starts (retry queues
    /// always from their first message).
    async fn start_offset(&self) -> Option<i64> {
        let k = &self.key;
        loop {
            let found = self.api.query_offset(&k.addr, &k.topic, k.queue_id).await;
            let offset = match found {
                Ok(Some(o)) => Ok(o),
                Ok(None) if self.from() == ConsumeFrom::First => Ok(0),
                Ok(None) => self.api.max_offset(&k.addr, &k.topic, k.queue_id).await,
                Err(e) => Err(e),
            };
            match offset {
                Ok(o) => return Some(o),
                Err(e) => {
                    tracing::warn!(topic = %k.topic, queue = k.queue_id, error = %e, "cannot read the committed offset; retrying");
                    if !self.pause(ERROR_PAUSE).await {
                        return None;
                    }
                }
            }
        }
    }

    fn from(&self) -> ConsumeFrom {
        if self.key.topic == self.config.topic {
            self.config.consume_from
        } else {
            ConsumeFrom::First
        }
    }

    /// Sleep unless stopped first; false when stopped.
    async fn pause(&self, d: Duration) -> bool {
        tokio::select! {
            _ = self.stop.cancelled() => false,
            _ = tokio::time::sleep(d) => true,
        }
    }

    fn with_tracker<R>(&self, f: impl FnOnce(&mut OffsetTracker) -> R) -> Option<R> {
        lock(&self.state.tracker).as_mut().map(f)
    }

    fn next_pull(&self) -> i64 {
        self.with_tracker(|t| t.next_pull()).unwrap_or(0)
    }

    fn is_full(&self) -> bool {
        let count = self.with_tracker(|t| t.in_flight()).unwrap_or(0);
        count >= self.config.max_in_flight_per_queue
            || self.state.bytes_in_flight.load(Ordering::Relaxed)
                >= self.config.max_in_flight_bytes_per_queue
    }

    fn dispatch(
        &self,
        messages: Vec<crate::protocol::message::MessageRecord>,
        next: i64,
        tasks: &mut JoinSet<()>,
    ) {
        self.with_tracker(|t| t.pulled(messages.iter().map(|m| m.queue_offset), next));
        for record in messages {
            let size = record.body.len();
            self.state
                .bytes_in_flight
                .fetch_add(size, Ordering::Relaxed);
            let job = MessageJob {
                msg: ReceivedMessage::of(record),
                api: self.api.clone(),
                addr: self.key.addr.clone(),
                config: self.config.clone(),
                handler: self.handler.clone(),
                state: self.state.clone(),
                stop: self.stop.clone(),
            };
            tasks.spawn(job.run());
        }
    }

    /// Wait for in-flight messages up to `drain_timeout`; abandon the rest (uncommitted).
    async fn drain(&self, mut tasks: JoinSet<()>) {
        let all = async { while tasks.join_next().await.is_some() {} };
        if tokio::time::timeout(self.config.drain_timeout, all)
            .await
            .is_err()
        {
            tracing::warn!(topic = %self.key.topic, queue = self.key.queue_id, left = tasks.len(),
                "messages still in the handler after the drain timeout; they will be redelivered");
            tasks.abort_all();
        }
    }
}

/// One message through the handler, until acked or sent back.
struct MessageJob {
    msg: ReceivedMessage,
    api: BrokerApi,
    addr: String,
    config: Arc<ConsumerConfig>,
    handler: Arc<dyn MessageHandler>,
    state: Arc<QueueState>,
    stop: CancellationToken,
}

impl MessageJob {
    async fn run(self) {
        loop {
            let outcome = self.handler.handle(&self.msg).await;
            let delay_level = match outcome {
                ConsumeOutcome::Ack => break,
                ConsumeOutcome::Retry => 0,
                ConsumeOutcome::DeadLetter => -1,
            };
            let max = self.config.max_reconsume_times;
            let sent = self
                .api
                .send_back(
                    &self.addr,
                    &self.msg.record,
                    &self.msg.topic,
                    delay_level,
                    max,
                )
                .await;
            match sent {
                Ok(()) => {
                    let dead = delay_level < 0 || self.msg.reconsume_times >= max;
                    self.handler.sent_back(&self.msg, dead);
                    break;
                }
                Err(e) => {
                    // Not committed: handled again here after a pause (as Java's consumer does).
                    tracing::warn!(msg_id = %self.msg.msg_id, error = %e, "send-back failed; the message is handled again locally");
                    tokio::select! {
                        _ = self.stop.cancelled() => return self.release_bytes(),
                        _ = tokio::time::sleep(self.config.local_retry_delay) => {}
                    }
                }
            }
        }
        if let Some(t) = lock(&self.state.tracker).as_mut() {
            t.finished(self.msg.record.queue_offset);
        }
        self.release_bytes();
    }

    fn release_bytes(&self) {
        self.state
            .bytes_in_flight
            .fetch_sub(self.msg.record.body.len(), Ordering::Relaxed);
        self.state.finished.notify_one();
    }
}
