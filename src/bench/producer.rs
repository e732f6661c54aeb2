//! `rmqctl bench produce`: `producers` tasks spread over `connections` connections, each with
//! one request in flight, sending `size`-byte messages (or batches of `batch`) for `duration`.

use super::{
    clients, resolve_target, BenchError, BenchReport, Endpoint, LatencyMs, WorkerStats,
    REQUEST_TIMEOUT,
};
use crate::protocol::message::{
    encode_batch, new_unique_id, BatchMessage, MessageConst, Properties,
};
use crate::remoting::client::RemotingClient;
use crate::remoting::headers::{SendMessageRequestHeader, SendMessageRequestHeaderV2};
use crate::remoting::{RemotingCommand, RequestCode};
use bytes::Bytes;
use std::time::{Duration, Instant};

/// Send codes that still mean "stored" (flush or slave timeouts).
const STORED_CODES: [i32; 4] = [0, 10, 11, 12];

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
}

/// Run the producers and report.
pub async fn run_produce(opts: &ProduceOptions) -> Result<BenchReport, BenchError> {
    if opts.producers == 0 || opts.batch == 0 {
        return Err(BenchError::Option(
            "--producers and --batch must be at least 1".into(),
        ));
    }
    let lookup = RemotingClient::default();
    let target = resolve_target(&lookup, &opts.endpoint, &opts.topic, opts.queues).await?;
    let clients = clients(opts.connections);
    let client_ip = crate::remoting::client::local_ip_towards(&target.broker);
    let payload = Bytes::from(payload(opts.size));
    let start = Instant::now();
    let deadline = start + opts.duration;
    let tasks: Vec<_> = (0..opts.producers)
        .map(|p| {
            let producer = Producer {
                client: clients[p % clients.len()].clone(),
                broker: target.broker.clone(),
                topic: opts.topic.clone(),
                queue_id: p as i32 % target.queues.max(1),
                queues: target.queues,
                payload: payload.clone(),
                batch: opts.batch,
                client_ip,
            };
            tokio::spawn(producer.run(deadline))
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
        connections: clients.len(),
        workers: opts.producers,
        message_size: opts.size,
        batch: opts.batch,
        seconds,
        messages: total.messages,
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

/// One sending task.
struct Producer {
    client: RemotingClient,
    broker: String,
    topic: String,
    queue_id: i32,
    queues: i32,
    payload: Bytes,
    batch: usize,
    /// The address unique keys carry (the interface towards the broker).
    client_ip: std::net::IpAddr,
}

impl Producer {
    async fn run(self, deadline: Instant) -> WorkerStats {
        let mut stats = WorkerStats::default();
        let mut seq: u64 = 0;
        while Instant::now() < deadline {
            let request = self.request(&mut seq);
            let sent = Instant::now();
            let answer = self
                .client
                .invoke(&self.broker, request, REQUEST_TIMEOUT)
                .await;
            stats.requests += 1;
            match answer {
                Ok(r) if STORED_CODES.contains(&r.code) => {
                    stats.latency.record(sent.elapsed().as_micros() as u64);
                    stats.messages += self.batch as u64;
                    stats.bytes += (self.batch * self.payload.len()) as u64;
                }
                Ok(r) => stats.failed(format!(
                    "send answered {}: {}",
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

    /// The properties of one message: a unique key as the Java client makes it.
    fn properties(&self, seq: &mut u64) -> String {
        *seq += 1;
        let mut p = Properties::new();
        p.insert(
            MessageConst::UNIQ_CLIENT_MESSAGE_ID_KEYIDX,
            &new_unique_id(self.client_ip),
        );
        p.insert(MessageConst::WAIT_STORE_MSG_OK, "true");
        p.encode()
    }

    fn request(&self, seq: &mut u64) -> RemotingCommand {
        let is_batch = self.batch > 1;
        let (properties, body) = if is_batch {
            let items: Vec<BatchMessage> = (0..self.batch)
                .map(|_| BatchMessage {
                    flag: 0,
                    body: self.payload.clone(),
                    properties: self.properties(seq),
                })
                .collect();
            (None, Bytes::from(encode_batch(&items)))
        } else {
            (Some(self.properties(seq)), self.payload.clone())
        };
        let header = SendMessageRequestHeader {
            producer_group: "rmqctl_bench_pg".into(),
            topic: self.topic.clone(),
            default_topic: super::AUTO_CREATE_KEY_TOPIC.into(),
            default_topic_queue_nums: self.queues,
            queue_id: self.queue_id,
            sys_flag: 0,
            born_timestamp: now_ms(),
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

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
