//! PULL_MESSAGE (11): permission and subscription checks, tag filtering by Java hash codes,
//! committing the consumer's offset, and long polling until a message arrives or the hold ends.

use super::{error_response, BrokerProcessor};
use crate::broker::store::{GetResult, GetStatus};
use crate::locks::read_lock;
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
        // Taken before the first read: an arrival after it wakes this pull, one before it is read.
        let _interest = suspend.then(|| self.ctx.store.arrival_interest());
        loop {
            let notify = self.ctx.arrivals.notifier(&h.topic, h.queue_id);
            let notified = notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let result = self.read_queue(&h, &filter);
            let route = self.pull_route(&h, &result);
            let code = route.response_code(&result, h.queue_offset);
            let waitable = code == ResponseCode::PULL_NOT_FOUND.code();
            if !(suspend && waitable) || Instant::now() >= deadline {
                return self.pull_response(&h, result, route);
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
        let config = read_lock(&self.ctx.config);
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

    /// Which broker the consumer should read from next (`suggestWhichBrokerId`).
    fn pull_route(&self, h: &PullMessageRequestHeader, result: &GetResult) -> PullRoute {
        let group = self.ctx.groups.get(&h.consumer_group).unwrap_or_default();
        // Two settings read under the lock; no clone of the whole config per PULL.
        let (slave_read_enable, housekeeping_ms) = {
            let config = read_lock(&self.ctx.config);
            (config.slave_read_enable, config.ha_housekeeping_interval)
        };
        let master_online = self.ctx.identity.is_slave()
            && self
                .ctx
                .ha
                .master_online(Duration::from_millis(housekeeping_ms));
        PullRoute::decide(&RouteInput {
            is_slave: self.ctx.identity.is_slave(),
            slave_read_enable,
            reader_far_behind: reader_far_behind(self.ctx.store.max_phys_offset(), result),
            group_broker_id: group.broker_id,
            which_broker_when_consume_slowly: group.which_broker_when_consume_slowly,
            master_online,
        })
    }

    fn pull_response(
        &self,
        h: &PullMessageRequestHeader,
        result: GetResult,
        route: PullRoute,
    ) -> RemotingCommand {
        let code = route.response_code(&result, h.queue_offset);
        let header = PullMessageResponseHeader {
            suggest_which_broker_id: route.suggest_which_broker_id,
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

/// Apache's `accessMessageInMemoryMaxRatio`: a reader further behind the commit-log end than
/// this share of physical memory reads from disk and is sent to a slave.
const ACCESS_MESSAGE_IN_MEMORY_MAX_RATIO: u64 = 40;

/// Offset of `physicalOffset` in a stored record (6.1).
const RECORD_PHYS_OFFSET_AT: usize = 28;

fn physical_memory_bytes() -> u64 {
    static MEMORY: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *MEMORY.get_or_init(|| {
        // SAFETY: sysconf has no preconditions; it returns -1 when the value is unknown.
        let (pages, size) = unsafe {
            (
                libc::sysconf(libc::_SC_PHYS_PAGES),
                libc::sysconf(libc::_SC_PAGESIZE),
            )
        };
        if pages > 0 && size > 0 {
            pages as u64 * size as u64
        } else {
            8 << 30
        }
    })
}

/// Apache's `isSuggestPullingFromSlave`: the last record returned lies further behind the
/// commit-log end than the in-memory share of RAM.
fn reader_far_behind(commit_log_max: u64, result: &GetResult) -> bool {
    let threshold = physical_memory_bytes() / 100 * ACCESS_MESSAGE_IN_MEMORY_MAX_RATIO;
    far_behind(commit_log_max, result, threshold)
}

fn far_behind(commit_log_max: u64, result: &GetResult, threshold: u64) -> bool {
    let Some(last) = result.records.last() else {
        return false;
    };
    let Some(raw) = last.get(RECORD_PHYS_OFFSET_AT..RECORD_PHYS_OFFSET_AT + 8) else {
        return false;
    };
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(raw);
    let phys = i64::from_be_bytes(bytes).max(0) as u64;
    commit_log_max.saturating_sub(phys) > threshold
}

/// What `PullRoute::decide` looks at.
#[derive(Debug, Clone, Copy)]
struct RouteInput {
    is_slave: bool,
    slave_read_enable: bool,
    reader_far_behind: bool,
    group_broker_id: i64,
    which_broker_when_consume_slowly: i64,
    master_online: bool,
}

/// `suggestWhichBrokerId` and whether a slave turns a miss into PULL_RETRY_IMMEDIATELY
/// (`PullMessageProcessor`, 5.x): a slow reader with slaveReadEnable goes to the group's
/// `whichBrokerWhenConsumeSlowly`; a slave whose master is online sends other readers back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PullRoute {
    suggest_which_broker_id: i64,
    retry_unless_found: bool,
}

impl PullRoute {
    fn decide(i: &RouteInput) -> PullRoute {
        let mut suggest = match (i.slave_read_enable, i.reader_far_behind) {
            (true, true) => i.which_broker_when_consume_slowly,
            (true, false) => i.group_broker_id,
            (false, _) => 0,
        };
        let mut retry_unless_found = false;
        if i.is_slave && !i.reader_far_behind && i.master_online {
            suggest = 0;
            retry_unless_found = true;
        }
        PullRoute {
            suggest_which_broker_id: suggest,
            retry_unless_found,
        }
    }

    fn response_code(&self, result: &GetResult, queue_offset: i64) -> i32 {
        if self.retry_unless_found && result.status != GetStatus::Found {
            return ResponseCode::PULL_RETRY_IMMEDIATELY.code();
        }
        result.status.pull_response_code(queue_offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> RouteInput {
        RouteInput {
            is_slave: false,
            slave_read_enable: true,
            reader_far_behind: false,
            group_broker_id: 0,
            which_broker_when_consume_slowly: 1,
            master_online: false,
        }
    }

    #[test]
    fn slow_readers_are_sent_to_the_slave_only_with_slave_read_enable() {
        let far = RouteInput {
            reader_far_behind: true,
            ..input()
        };
        assert_eq!(PullRoute::decide(&far).suggest_which_broker_id, 1);
        assert_eq!(PullRoute::decide(&input()).suggest_which_broker_id, 0);
        let disabled = RouteInput {
            slave_read_enable: false,
            ..far
        };
        assert_eq!(PullRoute::decide(&disabled).suggest_which_broker_id, 0);
    }

    #[test]
    fn a_slave_sends_readers_back_while_its_master_is_online() {
        let slave = RouteInput {
            is_slave: true,
            slave_read_enable: false,
            master_online: true,
            ..input()
        };
        let r = PullRoute::decide(&slave);
        assert_eq!(
            r,
            PullRoute {
                suggest_which_broker_id: 0,
                retry_unless_found: true
            }
        );
        let miss = GetResult {
            status: GetStatus::OffsetOverflowOne,
            next_begin_offset: 5,
            min_offset: 0,
            max_offset: 5,
            records: vec![],
            queue_offsets: vec![],
        };
        assert_eq!(
            r.response_code(&miss, 5),
            ResponseCode::PULL_RETRY_IMMEDIATELY.code()
        );
        // Master down: the slave serves, misses stay ordinary.
        let alone = PullRoute::decide(&RouteInput {
            master_online: false,
            ..slave
        });
        assert_eq!(alone.response_code(&miss, 5), 19);
        // A slow reader stays on the slave even with the master online.
        let slow = PullRoute::decide(&RouteInput {
            reader_far_behind: true,
            slave_read_enable: true,
            ..slave
        });
        assert_eq!(
            slow,
            PullRoute {
                suggest_which_broker_id: 1,
                retry_unless_found: false
            }
        );
    }

    #[test]
    fn far_behind_compares_the_last_record_with_the_log_end() {
        let mut record = vec![0u8; 64];
        record[28..36].copy_from_slice(&1000i64.to_be_bytes());
        let found = GetResult {
            status: GetStatus::Found,
            next_begin_offset: 1,
            min_offset: 0,
            max_offset: 1,
            records: vec![bytes::Bytes::from(record)],
            queue_offsets: vec![0],
        };
        assert!(far_behind(5000, &found, 3000));
        assert!(!far_behind(3000, &found, 3000));
        assert!(physical_memory_bytes() > 0);
    }

    #[test]
    fn tag_filters_use_java_hash_codes() {
        let f = TagFilter::parse("TagA || TagB");
        assert!(f.accepts(java_string_hash("TagA") as i64));
        assert!(!f.accepts(java_string_hash("TagC") as i64));
        assert!(TagFilter::parse("*").accepts(12345));
        assert!(TagFilter::parse("").accepts(0));
    }
}
