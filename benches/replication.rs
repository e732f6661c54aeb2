//! SYNC_MASTER vs ASYNC_MASTER through real processes: a `rmqctl namesrv`, a master and its
//! slave on loopback; 64 concurrent producers (8 connections x 8 in flight) send 1 KiB messages
//! with SEND_MESSAGE_V2; throughput and p50/p99 send latency per mode, rounds interleaved.
//! Run: `cargo bench --bench replication` (env `REPL_BENCH_SECS`, default 8 s per round);
//! `REPL_BENCH_FLUSH=ASYNC_FLUSH|SYNC_FLUSH` runs one flush mode; under `cargo test` it only
//! smoke-runs briefly.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap fails the run, saying where

#[path = "../tests/it/common/mod.rs"]
mod common;

use common::BrokerSpec;
use rmqctl::bench::{run_produce, BenchReport, Endpoint, ProduceOptions};
use rmqctl::remoting::client::RemotingClient;
use rmqctl::remoting::headers::{CreateTopicRequestHeader, SendMessageRequestHeaderV2};
use rmqctl::remoting::{RemotingCommand, RequestCode};
use std::time::{Duration, Instant};

const CONNECTIONS: usize = 8;
const IN_FLIGHT_PER_CONNECTION: usize = 8;
const BODY: usize = 1024;
const TOPIC: &str = "ReplBench";

async fn create_topic(addr: &str) {
    let header = CreateTopicRequestHeader {
        topic: TOPIC.into(),
        default_topic: "TBW102".into(),
        read_queue_nums: 8,
        write_queue_nums: 8,
        perm: 6,
        topic_filter_type: "SINGLE_TAG".into(),
        ..Default::default()
    };
    let req = RemotingCommand::request(RequestCode::UPDATE_AND_CREATE_TOPIC).with_header(&header);
    RemotingClient::default()
        .invoke_ok(addr, req, Duration::from_secs(5))
        .await
        .expect("create topic");
}

async fn send(client: &RemotingClient, addr: &str, queue: i32) -> Option<i32> {
    let header = SendMessageRequestHeaderV2 {
        a: "bench".into(),
        b: TOPIC.into(),
        c: "TBW102".into(),
        d: 8,
        e: queue,
        g: rmqctl::calendar::now_millis(),
        i: Some("WAIT\u{1}true\u{2}".into()),
        ..Default::default()
    };
    let req = RemotingCommand::request(RequestCode::SEND_MESSAGE_V2)
        .with_header(&header)
        .with_body(vec![b'x'; BODY]);
    client
        .invoke(addr, req, Duration::from_secs(10))
        .await
        .ok()
        .map(|r| r.code)
}

async fn wait_sync_ok(addr: &str) {
    let client = RemotingClient::default();
    let start = Instant::now();
    while send(&client, addr, 0).await != Some(0) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "slave never in sync"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One round of `rmqctl bench produce` against `addr` (the same load generator as the CLI:
/// each connection driven by one task with its producers' sends in flight).
async fn run_round(addr: &str, duration: Duration) -> BenchReport {
    let opts = ProduceOptions {
        endpoint: Endpoint::Broker(addr.to_string()),
        topic: TOPIC.into(),
        connections: CONNECTIONS,
        producers: CONNECTIONS * IN_FLIGHT_PER_CONNECTION,
        size: BODY,
        batch: 1,
        duration,
        queues: 8,
        tls: None,
        hook: None,
    };
    run_produce(&opts).await.expect("bench produce")
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("replication: bench");
        return;
    }
    // `cargo test --all-targets` runs this without `--bench`: a short smoke run only.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let secs: f64 = std::env::var("REPL_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if smoke { 0.3 } else { 8.0 });
    let only = std::env::var("REPL_BENCH_FLUSH").ok();
    let flushes: Vec<&str> = match (smoke, only.as_deref()) {
        (true, _) => vec!["ASYNC_FLUSH"],
        (false, Some("ASYNC_FLUSH")) => vec!["ASYNC_FLUSH"],
        (false, Some("SYNC_FLUSH")) => vec!["SYNC_FLUSH"],
        _ => vec!["ASYNC_FLUSH", "SYNC_FLUSH"],
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    for flush in flushes {
        let mut results: Vec<(&str, BenchReport)> = Vec::new();
        let dir = tempfile::tempdir().expect("tempdir");
        let ns = common::start_namesrv(dir.path(), 120_000);
        let mut brokers = Vec::new();
        let mut masters = Vec::new();
        for role in ["ASYNC_MASTER", "SYNC_MASTER"] {
            let name = format!("bench-{}", role.to_lowercase());
            let master = common::start_broker(
                dir.path(),
                ns.addr,
                &BrokerSpec {
                    name: &name,
                    id: 0,
                    role,
                    flush,
                    extra: "",
                },
            );
            rt.block_on(create_topic(&master.addr.to_string()));
            let slave = common::start_broker(
                dir.path(),
                ns.addr,
                &BrokerSpec {
                    name: &name,
                    id: 1,
                    role: "SLAVE",
                    flush,
                    extra: "",
                },
            );
            masters.push((role, master.addr.to_string()));
            brokers.push(master);
            brokers.push(slave);
        }
        rt.block_on(wait_sync_ok(&masters[1].1));
        // Warm up both, then interleave rounds so machine noise hits both modes alike.
        for (_, addr) in &masters {
            rt.block_on(run_round(addr, Duration::from_secs_f64(secs.min(2.0))));
        }
        for _ in 0..2 {
            for (role, addr) in &masters {
                results.push((
                    role,
                    rt.block_on(run_round(addr, Duration::from_secs_f64(secs))),
                ));
            }
        }
        println!(
            "\n{flush}, {} producers, {BODY} B messages, master+slave on loopback:",
            CONNECTIONS * IN_FLIGHT_PER_CONNECTION
        );
        println!(
            "{:<13} {:>10} {:>9} {:>9} {:>8} {:>12}",
            "mode", "msgs/s", "p50 ms", "p99 ms", "failed", "not SEND_OK"
        );
        for (role, r) in &results {
            println!(
                "{:<13} {:>10.0} {:>9.2} {:>9.2} {:>8} {:>12}",
                role, r.msgs_per_sec, r.latency_ms.p50, r.latency_ms.p99, r.errors, r.degraded
            );
        }
        let tps = |mode: &str| {
            let rs: Vec<_> = results.iter().filter(|(r, _)| *r == mode).collect();
            // Only SEND_OK counts: a send answered SLAVE_NOT_AVAILABLE was not replicated.
            let ok = |r: &BenchReport| (r.messages - r.degraded) as f64 / r.seconds;
            rs.iter().map(|(_, r)| ok(r)).sum::<f64>() / rs.len() as f64
        };
        println!(
            "SYNC/ASYNC throughput ratio: {:.2}",
            tps("SYNC_MASTER") / tps("ASYNC_MASTER")
        );
        drop(brokers);
        drop(ns);
    }
}
