//! PULL_MESSAGE (11): permission and subscription checks, tag filtering by Java hash codes,
//! committing the consumer's offset, and long polling until a message arrives or the hold ends.

use super::{error_response, BrokerProcessor};
use crate::broker::store::{GetResult, GetStatus};
use crate::protocol::message::java_string_hash;
use crate::protocol::perm;
use crate::remoting::headers::{PullMessageRequestHeader, PullMessageResponseHeader};
use crate::remoting::{RemotingCommand, ResponseCode};
use bytes::BytesMut;
use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// `PullSysFlag` bits.
const FLAG_COMMIT_OFFSET: i32 = 0x1;
const FLAG_SUSPEND: i32 = 0x2;
const FLAG_SUBSCRIPTION: i32 = 0x4;

/// Bytes returned per pull at most (Apache's maxTransferBytesOnMessageInMemory).
const MAX_TRANSFER_BYTES: usize = 256 * 1024;
/// Longest hold a client may ask for.
const MAX_SUSPEND: Duration = Duration::from_secs(30);

/// Which tag hash codes a subscription accepts; `None` accepts everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFilter(Option<HashSet<i64>>);

impl TagFilter {
    /// Parse `TagA || TagB`; `*` or empty means every message.
    pub fn parse(expression: &str) -> Self {
        let tags: HashSet<i64> = expression
            .split("||")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| t.to_string())
            .collect::<HashSet<_>>()
            .into_iter()
            .filter(|t| t != "*")
            .map(|t| java_string_hash(&t) as i64)
            .collect();
        let all = expression.trim().is_empty() || expression.split("||").any(|t| t.trim() == "*");
        TagFilter(if all { None } else { Some(tags) })
    }

    pub fn accepts(&self, tags_code: i64) -> bool {
        self.0
            .as_ref()
            .is_none_or(|codes| codes.contains(&tags_code))
    }
}

impl BrokerProcessor {
    pub(super) async fn pull(&self, req: &RemotingCommand) -> RemotingCommand {
        let h: PullMessageRequestHeader = match req.header() {
            Ok(h) => h,
            Err(e) => return error_response(ResponseCode::INVALID_PARAMETER, e),
        };
        let filter = match self.check_pull(&h) {
            Ok(f) => f,
            Err(response) => return response,
        };
        if h.sys_flag & FLAG_COMMIT_OFFSET != 0
            && !self.ctx.identity.is_slave()
            && h.commit_offset >= 0
        {
            self.ctx
                .offsets
                .commit(&h.consumer_group, &h.topic, h.queue_id, h.commit_offset);
        }
        let suspend = h.sys_flag & FLAG_SUSPEND != 0;
        let hold = self.hold_time(h.suspend_timeout_millis);
        let deadline = Instant::now() + hold;
        loop {
            let notify = self.ctx.arrivals.notifier(&h.topic, h.queue_id);
            let notified = notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let result = self.read_queue(&h, &filter);
            let code = result.status.pull_response_code(h.queue_offset);
            let waitable = code == ResponseCode::PULL_NOT_FOUND.code();
            if !(suspend && waitable) || Instant::now() >= deadline {
                return self.pull_response(&h, result);
            }
            tokio::select! {
                _ = &mut notified => {}
                _ = tokio::time::sleep_until(deadline.into()) => {}
            }
        }
    }

    /// How long a pull that found nothing may wait: the client's hold with long polling,
    /// `shortPollingTimeMills` without. Reads two settings instead of cloning the whole config.
    fn hold_time(&self, suspend_timeout_millis: i64) -> Duration {
        let config = self.ctx.config.read().unwrap_or_else(|p| p.into_inner());
        if config.long_polling_enable {
            Duration::from_millis(suspend_timeout_millis.max(0) as u64).min(MAX_SUSPEND)
        } else {
            Duration::from_millis(config.short_polling_time_mills)
        }
    }

    fn check_pull(&self, h: &PullMessageRequestHeader) -> Result<TagFilter, RemotingCommand> {
        let addr = self.ctx.identity.addr;
        if self.ctx.permission() & perm::READ == 0 {
            return Err(error_response(
                ResponseCode::NO_PERMISSION,
                format!("the broker[{addr}] pulling message is forbidden"),
            ));
        }
        let group = self
            .ctx
            .groups
            .find_or_create(&h.consumer_group)
            .map_err(|e| error_response(ResponseCode::SYSTEM_ERROR, e))?;
        match group {
            None => {
                return Err(error_response(
                    ResponseCode::SUBSCRIPTION_GROUP_NOT_EXIST,
                    format!("subscription group [{}] does not exist", h.consumer_group),
                ))
            }
            Some(g) if !g.consume_enable => {
                return Err(error_response(
                    ResponseCode::NO_PERMISSION,
                    format!("subscription group no permission, {}", h.consumer_group),
                ))
            }
            Some(_) => {}
        }
        let Some(tc) = self.ctx.topics.get(&h.topic) else {
            return Err(error_response(
                ResponseCode::TOPIC_NOT_EXIST,
                format!("topic[{}] not exist, apply first please!", h.topic),
            ));
        };
        if tc.perm & perm::READ == 0 {
            return Err(error_response(
                ResponseCode::NO_PERMISSION,
                format!("the topic[{}] pulling message is forbidden", h.topic),
            ));
        }
        if h.queue_id < 0 || h.queue_id >= tc.read_queue_nums.max(tc.write_queue_nums) {
            return Err(error_response(
                ResponseCode::SYSTEM_ERROR,
                format!(
                    "queueId[{}] is illegal, topic:[{}] topicConfig.readQueueNums:[{}] consumer:[{}]",
                    h.queue_id, h.topic, tc.read_queue_nums, h.consumer_group
                ),
            ));
        }
        self.subscription_filter(h)
    }

    fn subscription_filter(
        &self,
        h: &PullMessageRequestHeader,
    ) -> Result<TagFilter, RemotingCommand> {
        if h.sys_flag & FLAG_SUBSCRIPTION != 0 {
            return Ok(TagFilter::parse(h.subscription.as_deref().unwrap_or("*")));
        }
        match self.ctx.clients.subscription(&h.consumer_group, &h.topic) {
            Some(sub) => Ok(TagFilter::parse(&sub.sub_string)),
            // Lenient where Java answers SUBSCRIPTION_NOT_EXIST: use the request's own expression.
            None => match &h.subscription {
                Some(expr) => Ok(TagFilter::parse(expr)),
                None => Err(error_response(
                    ResponseCode::SUBSCRIPTION_NOT_EXIST,
                    format!(
                        "the consumer's subscription not exist, group: {} topic: {}",
                        h.consumer_group, h.topic
                    ),
                )),
            },
        }
    }

    fn read_queue(&self, h: &PullMessageRequestHeader, filter: &TagFilter) -> GetResult {
        let max = if h.max_msg_nums <= 0 {
            32
        } else {
            h.max_msg_nums
        };
        let max_bytes = h
            .max_msg_bytes
            .filter(|b| *b > 0)
            .map_or(MAX_TRANSFER_BYTES, |b| b as usize);
        self.ctx.store.get_messages(
            &h.topic,
            h.queue_id,
            h.queue_offset,
            max,
            max_bytes,
            &|code| filter.accepts(code),
        )
    }

    fn pull_response(&self, h: &PullMessageRequestHeader, result: GetResult) -> RemotingCommand {
        let code = result.status.pull_response_code(h.queue_offset);
        let header = PullMessageResponseHeader {
            suggest_which_broker_id: 0,
            next_begin_offset: result.next_begin_offset,
            min_offset: result.min_offset,
            max_offset: result.max_offset,
            ..Default::default()
        };
        let stats = &self.ctx.stats;
        let mut response =
            RemotingCommand::response_code(code, Some(result.status.name().to_string()))
                .with_header(&header);
        if result.status == GetStatus::Found {
            stats
                .get_found
                .fetch_add(result.records.len() as u64, Ordering::Relaxed);
            stats
                .transferred
                .fetch_add(result.records.len() as u64, Ordering::Relaxed);
            let mut body = BytesMut::with_capacity(result.records.iter().map(|r| r.len()).sum());
            for r in &result.records {
                body.extend_from_slice(r);
            }
            response = response.with_body(body.freeze());
        } else {
            stats.get_miss.fetch_add(1, Ordering::Relaxed);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_filters_use_java_hash_codes() {
        let f = TagFilter::parse("TagA || TagB");
        assert!(f.accepts(java_string_hash("TagA") as i64));
        assert!(!f.accepts(java_string_hash("TagC") as i64));
        assert!(TagFilter::parse("*").accepts(12345));
        assert!(TagFilter::parse("").accepts(0));
    }
}
