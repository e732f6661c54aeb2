//! `rmqctl bench consume`: one task per queue, spread over `connections` connections, pulling
//! PULL_MESSAGE from the start of each queue for `duration` (long-polling once caught up).

use super::{
    clients, resolve_target, BenchError, BenchReport, Endpoint, LatencyMs, WorkerStats,
    REQUEST_TIMEOUT,
};
use crate::protocol::message::MessageRecord;
use crate::remoting::client::RemotingClient;
use crate::remoting::headers::PullMessageRequestHeader;
use crate::remoting::{RemotingCommand, RequestCode};
use std::time::{Duration, Instant};

/// `PullSysFlag`: SUSPEND (long poll) | SUBSCRIPTION (the expression is in the request).
const SYS_FLAG: i32 = 0x2 | 0x4;
/// How long a caught-up pull is held by the broker.
const HOLD_MS: i64 = 1_000;
const MAX_MSGS_PER_PULL: i32 = 32;

#[derive(Debug, Clone)]
pub struct ConsumeOptions {
    pub endpoint: Endpoint,
    pub topic: String,
    pub group: String,
    pub connections: usize,
    pub duration: Duration,
    /// Queues to pull when the name server does not know the topic's route.
    pub queues: i32,
    /// Connect with TLS (`--tls`).
    pub tls: Option<crate::remoting::tls::TlsConnect>,
    /// Signs every request (an ACL account), if set.
    pub hook: Option<super::Hook>,
}

/// Pull every queue and report.
pub async fn run_consume(opts: &ConsumeOptions) -> Result<BenchReport, BenchError> {
    let lookup = super::client_with(&opts.tls);
    let target = resolve_target(&lookup, &opts.endpoint, &opts.topic, opts.queues).await?;
    let clients = clients(opts.connections, &opts.tls, opts.hook.as_ref());
    let start = Instant::now();
    let deadline = start + opts.duration;
    let tasks: Vec<_> = (0..target.queues.max(1))
        .map(|queue_id| {
            let puller = QueuePuller {
                client: clients[queue_id as usize % clients.len()].clone(),
                broker: target.broker.clone(),
                topic: opts.topic.clone(),
                group: opts.group.clone(),
                queue_id,
            };
            tokio::spawn(puller.run(deadline))
        })
        .collect();
    let mut total = WorkerStats::default();
    for t in tasks {
        if let Ok(stats) = t.await {
            total.merge(&stats);
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let size = total.bytes.checked_div(total.messages).unwrap_or(0) as usize;
    Ok(BenchReport {
        mode: "consume",
        broker: target.broker,
        topic: opts.topic.clone(),
        connections: clients.len(),
        workers: target.queues.max(1) as usize,
        message_size: size,
        batch: MAX_MSGS_PER_PULL as usize,
        seconds,
        messages: total.messages,
        degraded: 0,
        requests: total.requests,
        errors: total.errors,
        msgs_per_sec: total.messages as f64 / seconds,
        mib_per_sec: total.bytes as f64 / seconds / (1024.0 * 1024.0),
        latency_ms: LatencyMs::of(&total.latency),
        first_error: total.first_error,
    })
}

/// One queue's pull loop.
struct QueuePuller {
    client: RemotingClient,
    broker: String,
    topic: String,
    group: String,
    queue_id: i32,
}

impl QueuePuller {
    async fn run(self, deadline: Instant) -> WorkerStats {
        let mut stats = WorkerStats::default();
        let mut offset = 0i64;
        while Instant::now() < deadline {
            let sent = Instant::now();
            let answer = self
                .client
                .invoke(
                    &self.broker,
                    self.request(offset, deadline),
                    REQUEST_TIMEOUT,
                )
                .await;
            stats.requests += 1;
            match answer {
                Ok(r) if matches!(r.code, 0 | 19 | 20 | 21) => {
                    stats.latency.record(sent.elapsed().as_micros() as u64);
                    if r.code == 0 {
                        let (count, bytes) = count_records(r.body_bytes());
                        stats.messages += count;
                        stats.bytes += bytes;
                    }
                    if let Some(next) = r.ext_fields.get("nextBeginOffset") {
                        offset = next.parse().unwrap_or(offset);
                    }
                }
                Ok(r) => stats.failed(format!(
                    "pull answered {}: {}",
                    r.code,
                    r.remark.unwrap_or_default()
                )),
                Err(e) => {
                    stats.failed(e.to_string());
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        stats
    }

    /// A pull from `offset`, held by the broker at most until the run's deadline.
    fn request(&self, offset: i64, deadline: Instant) -> RemotingCommand {
        let left = deadline
            .saturating_duration_since(Instant::now())
            .as_millis() as i64;
        RemotingCommand::request(RequestCode::PULL_MESSAGE).with_header(&PullMessageRequestHeader {
            consumer_group: self.group.clone(),
            topic: self.topic.clone(),
            queue_id: self.queue_id,
            queue_offset: offset,
            max_msg_nums: MAX_MSGS_PER_PULL,
            sys_flag: SYS_FLAG,
            commit_offset: 0,
            suspend_timeout_millis: HOLD_MS.min(left.max(1)),
            subscription: Some("*".into()),
            sub_version: 0,
            expression_type: Some("TAG".into()),
            max_msg_bytes: None,
        })
    }
}

/// Records in a pull body and the bytes of their bodies, walking the total-size fields.
fn count_records(mut body: &[u8]) -> (u64, u64) {
    let (mut count, mut bytes) = (0, 0);
    while let Some(size) = MessageRecord::peek_total_size(body) {
        let size = size as usize;
        if size == 0 || size > body.len() {
            break;
        }
        count += 1;
        bytes += MessageRecord::decode(&body[..size]).map_or(0, |r| r.body.len() as u64);
        body = &body[size..];
    }
    (count, bytes)
}
