//! `rmqctl bench produce`: `producers` sends in flight, spread over `connections` connections
//! (each driven by one [`pipeline`](super::pipeline) task), each producer sending its next
//! `size`-byte message (or batch of `batch`) as soon as the last is acknowledged, for `duration`.

use super::pipeline::{self, SlotWork};
use super::{
    resolve_target, BenchError, BenchReport, Endpoint, LatencyMs, WorkerStats, REQUEST_TIMEOUT,
};
use crate::protocol::message::{
    encode_batch, new_unique_id, BatchMessage, MessageConst, Properties,
};
use crate::remoting::headers::{SendMessageRequestHeader, SendMessageRequestHeaderV2};
use crate::remoting::{RemotingCommand, RequestCode, SendStatus};
use bytes::Bytes;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct ProduceOptions {
    pub endpoint: Endpoint,
    pub topic: String,
    pub connections: usize,
    pub producers: usize,
    pub size: usize,
    pub batch: usize,
    pub duration: Duration,
    /// Queues to create when the topic is new.
    pub queues: i32,
    /// Connect with TLS (`--tls`).
    pub tls: Option<crate::remoting::tls::TlsConnect>,
    /// Signs every request (an ACL account), if set.
    pub hook: Option<super::Hook>,
}

/// Run the producers and report.
pub async fn run_produce(opts: &ProduceOptions) -> Result<BenchReport, BenchError> {
    if opts.producers == 0 || opts.batch == 0 {
        return Err(BenchError::Option(
            "--producers and --batch must be at least 1".into(),
        ));
    }
    let lookup = super::client_with(&opts.tls);
    let target = resolve_target(&lookup, &opts.endpoint, &opts.topic, opts.queues).await?;
    let connections = opts.connections.clamp(1, opts.producers);
    let messages = Messages {
        topic: opts.topic.clone(),
        queues: target.queues,
        payload: Bytes::from(payload(opts.size)),
        batch: opts.batch,
        client_ip: crate::remoting::client::local_ip_towards(&target.broker),
        hook: opts.hook.clone(),
    };
    let start = Instant::now();
    let deadline = start + opts.duration;
    let tasks: Vec<_> = (0..connections)
        .map(|c| {
            // Producer p sends to queue p % queues over connection p % connections.
            let queue_ids = (c..opts.producers)
                .step_by(connections)
                .map(|p| p as i32 % target.queues.max(1))
                .collect();
            let load = ConnectionLoad {
                queue_ids,
                messages: messages.clone(),
                stats: WorkerStats::default(),
                tls: opts.tls.clone(),
            };
            tokio::spawn(load.run(target.broker.clone(), deadline))
        })
        .collect();
    let mut total = WorkerStats::default();
    for t in tasks {
        if let Ok(stats) = t.await {
            total.merge(&stats);
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    Ok(BenchReport {
        mode: "produce",
        broker: target.broker,
        topic: opts.topic.clone(),
        connections,
        workers: opts.producers,
        message_size: opts.size,
        batch: opts.batch,
        seconds,
        messages: total.messages,
        degraded: total.degraded,
        requests: total.requests,
        errors: total.errors,
        msgs_per_sec: total.messages as f64 / seconds,
        mib_per_sec: total.bytes as f64 / seconds / (1024.0 * 1024.0),
        latency_ms: LatencyMs::of(&total.latency),
        first_error: total.first_error,
    })
}

/// A body of `size` printable bytes.
fn payload(size: usize) -> Vec<u8> {
    (0..size).map(|i| b'a' + (i % 26) as u8).collect()
}

/// The producers of one connection.
struct ConnectionLoad {
    /// The queue of each producer (slot).
    queue_ids: Vec<i32>,
    messages: Messages,
    stats: WorkerStats,
    tls: Option<crate::remoting::tls::TlsConnect>,
}

impl ConnectionLoad {
    /// Drive the connection until the deadline, reconnecting after a failure.
    async fn run(mut self, broker: String, deadline: Instant) -> WorkerStats {
        let slots = self.queue_ids.len();
        let tls = self.tls.clone();
        while Instant::now() < deadline {
            let driven = pipeline::drive(
                &broker,
                tls.as_ref(),
                slots,
                deadline,
                REQUEST_TIMEOUT,
                &mut self,
            );
            match driven.await {
                Ok(()) => break,
                Err(e) => {
                    self.stats.failed(e.to_string());
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        self.stats
    }
}

impl SlotWork for ConnectionLoad {
    fn request(&mut self, slot: usize) -> RemotingCommand {
        self.requests(&[slot]).remove(0)
    }

    fn requests(&mut self, slots: &[usize]) -> Vec<RemotingCommand> {
        let mut requests: Vec<RemotingCommand> = slots
            .iter()
            .map(|&slot| self.messages.unsigned(self.queue_ids[slot]))
            .collect();
        if let Some(hook) = &self.messages.hook {
            hook.before_requests(&mut requests);
        }
        requests
    }

    fn answered(&mut self, _slot: usize, answer: &RemotingCommand, latency: Duration) {
        self.stats.requests += 1;
        if let Some(status) = SendStatus::from_code(answer.code) {
            self.stats.latency.record(latency.as_micros() as u64);
            self.stats.messages += self.messages.batch as u64;
            if status != SendStatus::SEND_OK {
                self.stats.degraded += self.messages.batch as u64;
            }
            self.stats.bytes += (self.messages.batch * self.messages.payload.len()) as u64;
        } else {
            self.stats.failed(format!(
                "send answered {}: {}",
                answer.code,
                answer.remark.as_deref().unwrap_or_default()
            ));
        }
    }
}

/// How the requests are built: what a Java producer sends for one message or batch.
#[derive(Clone)]
struct Messages {
    topic: String,
    queues: i32,
    payload: Bytes,
    batch: usize,
    /// The address unique keys carry (the interface towards the broker).
    client_ip: std::net::IpAddr,
    /// Signs every request (an ACL account), if set.
    hook: Option<super::Hook>,
}

impl Messages {
    /// The properties of one message: a unique key as the Java client makes it.
    fn properties(&self) -> String {
        let mut p = Properties::new();
        p.insert(
            MessageConst::UNIQ_CLIENT_MESSAGE_ID_KEYIDX,
            &new_unique_id(self.client_ip),
        );
        p.insert(MessageConst::WAIT_STORE_MSG_OK, "true");
        p.encode()
    }

    /// The request for one message or batch, before the hook (signing) runs.
    fn unsigned(&self, queue_id: i32) -> RemotingCommand {
        let is_batch = self.batch > 1;
        let (properties, body) = if is_batch {
            let items: Vec<BatchMessage> = (0..self.batch)
                .map(|_| BatchMessage {
                    flag: 0,
                    body: self.payload.clone(),
                    properties: self.properties(),
                })
                .collect();
            (None, Bytes::from(encode_batch(&items)))
        } else {
            (Some(self.properties()), self.payload.clone())
        };
        let header = SendMessageRequestHeader {
            producer_group: "rmqctl_bench_pg".into(),
            topic: self.topic.clone(),
            default_topic: super::AUTO_CREATE_KEY_TOPIC.into(),
            default_topic_queue_nums: self.queues,
            queue_id,
            sys_flag: 0,
            born_timestamp: crate::calendar::now_millis(),
            flag: 0,
            properties,
            reconsume_times: Some(0),
            unit_mode: false,
            batch: is_batch,
            max_reconsume_times: None,
            broker_name: None,
        };
        let code = if is_batch {
            RequestCode::SEND_BATCH_MESSAGE
        } else {
            RequestCode::SEND_MESSAGE_V2
        };
        RemotingCommand::request(code)
            .with_header(&SendMessageRequestHeaderV2::from_v1(header))
            .with_body(body)
    }
}
