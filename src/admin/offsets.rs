//! Per-queue offsets of a topic (GET_TOPIC_STATS_INFO) and, with a consumer group, its committed
//! offsets (GET_CONSUME_STATS), lag and how long the oldest unconsumed message has waited.

use super::messages::TOOLS_CONSUMER_GROUP;
use super::{decode_body, Admin, AdminError};
use crate::calendar::now_millis;
use crate::protocol::consumer::{ConsumeStats, MessageQueue};
use crate::remoting::headers::GetConsumeStatsRequestHeader;
use crate::remoting::{RemotingCommand, RequestCode};
use serde::Serialize;
use std::collections::BTreeMap;

/// One queue of `rmqctl offsets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueOffsets {
    pub broker_name: String,
    pub queue_id: i32,
    pub min_offset: i64,
    pub max_offset: i64,
    /// Store time of the newest message (ms), 0 when the queue is empty.
    pub last_store_timestamp: i64,
    /// With a group: its committed offset.
    pub consumer_offset: Option<i64>,
    /// With a group: `max_offset - consumer_offset`.
    pub lag: Option<i64>,
    /// With a group and lag: store time (ms) of the oldest unconsumed message.
    pub oldest_unconsumed_timestamp: Option<i64>,
    /// With a group and lag: how long (ms) the oldest unconsumed message has waited.
    pub oldest_unconsumed_age_ms: Option<i64>,
}

/// `rmqctl offsets` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicOffsets {
    pub topic: String,
    pub group: Option<String>,
    pub queues: Vec<QueueOffsets>,
    /// With a group: sum of the per-queue lag.
    pub total_lag: Option<i64>,
}

impl Admin {
    /// GET_CONSUME_STATS of a group on one broker, optionally for one topic.
    pub async fn consume_stats(
        &self,
        addr: &str,
        group: &str,
        topic: Option<&str>,
    ) -> Result<ConsumeStats, AdminError> {
        let request = RemotingCommand::request(RequestCode::GET_CONSUME_STATS).with_header(
            &GetConsumeStatsRequestHeader {
                consumer_group: group.into(),
                topic: topic.map(str::to_string),
                topic_list: None,
            },
        );
        let response = self.call(addr, request).await?;
        decode_body(addr, RequestCode::GET_CONSUME_STATS.code(), &response)
    }

    /// Offsets of every queue of `topic`, with a group's progress when given.
    pub async fn topic_offsets(
        &self,
        topic: &str,
        group: Option<&str>,
    ) -> Result<TopicOffsets, AdminError> {
        let route = self.route_data(topic).await?;
        let mut queues: Vec<QueueOffsets> = self
            .topic_status(topic)
            .await?
            .into_iter()
            .map(|q| QueueOffsets {
                broker_name: q.broker_name,
                queue_id: q.queue_id,
                min_offset: q.min_offset,
                max_offset: q.max_offset,
                last_store_timestamp: q.last_store_timestamp,
                consumer_offset: None,
                lag: None,
                oldest_unconsumed_timestamp: None,
                oldest_unconsumed_age_ms: None,
            })
            .collect();
        let Some(group) = group else {
            return Ok(TopicOffsets {
                topic: topic.into(),
                group: None,
                queues,
                total_lag: None,
            });
        };
        self.require_group(group).await?;
        let addr_of: BTreeMap<String, String> = route
            .broker_datas
            .iter()
            .filter_map(|b| Some((b.broker_name.clone(), b.select_addr()?.to_string())))
            .collect();
        let stats = futures::future::join_all(
            addr_of
                .values()
                .map(|addr| self.consume_stats(addr, group, Some(topic))),
        )
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
        let consumer_offsets: BTreeMap<MessageQueue, i64> = stats
            .into_iter()
            .flat_map(|s| s.offset_table.into_iter())
            .map(|(mq, o)| (mq, o.consumer_offset))
            .collect();
        for q in &mut queues {
            let mq = MessageQueue {
                broker_name: q.broker_name.clone(),
                queue_id: q.queue_id,
                topic: topic.into(),
            };
            let consumer = consumer_offsets.get(&mq).copied().unwrap_or(0).max(0);
            q.consumer_offset = Some(consumer);
            q.lag = Some((q.max_offset - consumer).max(0));
        }
        self.fill_oldest_unconsumed(topic, &addr_of, &mut queues)
            .await;
        let total_lag = queues.iter().filter_map(|q| q.lag).sum();
        Ok(TopicOffsets {
            topic: topic.into(),
            group: Some(group.into()),
            queues,
            total_lag: Some(total_lag),
        })
    }

    /// For lagging queues, pull the message at the consumer offset to learn its store time. The
    /// pull is made as TOOLS_CONSUMER: a broker that auto-creates subscription groups would
    /// otherwise create `group` (a mistyped name included) on this read-only command.
    async fn fill_oldest_unconsumed(
        &self,
        topic: &str,
        addr_of: &BTreeMap<String, String>,
        queues: &mut [QueueOffsets],
    ) {
        let now = now_millis();
        let pulls = queues.iter().map(|q| {
            let addr = addr_of.get(&q.broker_name).cloned();
            let start = q.consumer_offset.unwrap_or(0).max(q.min_offset);
            let lagging = q.lag.unwrap_or(0) > 0;
            async move {
                match (addr, lagging) {
                    (Some(addr), true) => self
                        .pull(&addr, TOOLS_CONSUMER_GROUP, topic, q.queue_id, start, 1)
                        .await
                        .ok()
                        .and_then(|p| p.messages.first().map(|m| m.store_timestamp)),
                    _ => None,
                }
            }
        });
        let times = futures::future::join_all(pulls).await;
        for (q, time) in queues.iter_mut().zip(times) {
            q.oldest_unconsumed_timestamp = time;
            q.oldest_unconsumed_age_ms = time.map(|t| (now - t).max(0));
        }
    }
}
