//! Callback deliveries per second: a real `rmqctl namesrv` + `rmqctl broker`, a topic preloaded
//! with N messages whose BACKURL is a local HTTP receiver (hyper, answers `success`), then
//! `run_delivery` from the first offset until the receiver has every message. Prints one JSON
//! line: deliveries/s, the callbacks' p50/p99 latency (as the gateway measures it), duplicates.
//! Run: `cargo bench --bench gateway_delivery` (env: GW_BENCH_MESSAGES, default 50000;
//! GW_BENCH_PER_HOST, per-host concurrency, default the gateway's 16).

#![allow(clippy::unwrap_used, clippy::expect_used)] // bench code: a failed unwrap stops the run, saying where

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper::{Request, Response};
use rmqctl::admin::namesrv_set::NamesrvSet;
use rmqctl::admin::topics::{CreateTarget, TopicSpec};
use rmqctl::admin::Admin;
use rmqctl::gateway::callback_client::CallbackFailure;
use rmqctl::gateway::config::GatewayConfig;
use rmqctl::gateway::delivery::{run_delivery, DeliveryEvents, BACKURL_PROPERTY};
use rmqctl::protocol::message::Properties;
use rmqctl::remoting::client::RemotingClient;
use rmqctl::remoting::headers::SendMessageRequestHeader;
use rmqctl::remoting::{RemotingCommand, RequestCode};
use std::convert::Infallible;
use std::net::TcpListener as StdListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A port p with p-2 and p+1 free too (the broker's fast and HA ports).
fn free_triple() -> u16 {
    loop {
        let p = free_port();
        if p > 1100
            && StdListener::bind(("127.0.0.1", p - 2)).is_ok()
            && StdListener::bind(("127.0.0.1", p + 1)).is_ok()
        {
            return p;
        }
    }
}

fn spawn(args: &[&str], log: &std::path::Path) -> Killed {
    let out = std::fs::File::create(log).unwrap();
    Killed(
        Command::new(env!("CARGO_BIN_EXE_rmqctl"))
            .args(args)
            .stdout(Stdio::from(out.try_clone().unwrap()))
            .stderr(Stdio::from(out))
            .spawn()
            .unwrap(),
    )
}

#[derive(Default)]
struct Latencies {
    micros: Mutex<Vec<u64>>,
    failures: AtomicUsize,
}

impl DeliveryEvents for Latencies {
    fn on_success(&self, latency: Duration) {
        self.micros.lock().unwrap().push(latency.as_micros() as u64);
    }
    fn on_failure(&self, _failure: &CallbackFailure) {
        self.failures.fetch_add(1, Ordering::Relaxed);
    }
    fn on_retry(&self) {}
    fn on_dead_letter(&self) {}
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let messages = env_usize("GW_BENCH_MESSAGES", 50_000);
    let dir = tempfile::tempdir().unwrap();
    let ns_port = free_port();
    let ns = format!("127.0.0.1:{ns_port}");
    let ns_conf = dir.path().join("namesrv.properties");
    std::fs::write(&ns_conf, format!("listenPort={ns_port}\nbindAddress=127.0.0.1\nkvConfigPath={0}/kv.json\nconfigStorePath={0}/ns.properties\n", dir.path().display())).unwrap();
    let _namesrv = spawn(
        &["namesrv", "-c", ns_conf.to_str().unwrap()],
        &dir.path().join("namesrv.log"),
    );
    let port = free_triple();
    let conf = dir.path().join("broker.properties");
    std::fs::write(&conf, format!("brokerClusterName=DefaultCluster\nbrokerName=broker-a\nbrokerId=0\nbrokerRole=ASYNC_MASTER\nflushDiskType=ASYNC_FLUSH\nnamesrvAddr={ns}\nbrokerIP1=127.0.0.1\nbindAddress=127.0.0.1\nlistenPort={port}\nstorePathRootDir={}/store\ndiskMaxUsedSpaceRatio=95\n", dir.path().display())).unwrap();
    let _broker = spawn(
        &["broker", "-c", conf.to_str().unwrap()],
        &dir.path().join("broker.log"),
    );
    let broker = format!("127.0.0.1:{port}");

    let admin = Admin::new(NamesrvSet::parse(&ns).unwrap(), Duration::from_secs(5));
    let topic = "GW_BENCH";
    let spec = TopicSpec {
        topic: topic.into(),
        read_queues: 8,
        write_queues: 8,
        perm: 6,
        order: false,
    };
    let start = Instant::now();
    while admin
        .topic_create(&spec, &CreateTarget::Cluster(None))
        .await
        .is_err()
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "broker never registered"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    while admin.route_data(topic).await.is_err() {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The receiver.
    let received = Arc::new(AtomicUsize::new(0));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let receiver = listener.local_addr().unwrap();
    let counter = received.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let counter = counter.clone();
            tokio::spawn(async move {
                let service = service_fn(move |_req: Request<hyper::body::Incoming>| {
                    counter.fetch_add(1, Ordering::Relaxed);
                    async {
                        Ok::<_, Infallible>(Response::new(Full::new(Bytes::from_static(
                            b"success",
                        ))))
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    let url = format!("http://{receiver}/hook");

    // Preload.
    let client = RemotingClient::default();
    let started = Instant::now();
    let mut sends = futures::stream::FuturesUnordered::new();
    use futures::StreamExt;
    for i in 0..messages {
        let mut p = Properties::new();
        p.insert(BACKURL_PROPERTY, &url);
        p.insert("UNIQ_KEY", &format!("{i:032X}"));
        let header = SendMessageRequestHeader {
            producer_group: "bench_pg".into(),
            topic: topic.into(),
            default_topic: "TBW102".into(),
            default_topic_queue_nums: 8,
            queue_id: (i % 8) as i32,
            sys_flag: 0,
            born_timestamp: rmqctl::calendar::now_millis(),
            flag: 0,
            properties: Some(p.encode()),
            reconsume_times: Some(0),
            unit_mode: false,
            batch: false,
            max_reconsume_times: None,
            broker_name: None,
        };
        let body = format!("{{\"order\":{i},\"status\":\"paid\",\"amount\":12.5}}");
        let req = RemotingCommand::request(RequestCode::SEND_MESSAGE)
            .with_header(&header)
            .with_body(body.into_bytes());
        let (client, broker) = (client.clone(), broker.clone());
        sends.push(async move { client.invoke(&broker, req, Duration::from_secs(10)).await });
        if sends.len() >= 128 {
            let r = sends.next().await.unwrap().unwrap();
            assert_eq!(r.code, 0, "{r:?}");
        }
    }
    while let Some(r) = sends.next().await {
        assert_eq!(r.unwrap().code, 0);
    }
    eprintln!(
        "preloaded {messages} messages in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // Deliver.
    let mut config = GatewayConfig {
        topic: topic.into(),
        group: "GW_BENCH_DELIVERY".into(),
        allow_callbacks: vec![format!("http://{receiver}/")],
        ..GatewayConfig::default()
    };
    config.delivery.per_host_concurrency =
        env_usize("GW_BENCH_PER_HOST", config.delivery.per_host_concurrency);
    let events = Arc::new(Latencies::default());
    let shutdown = CancellationToken::new();
    let started = Instant::now();
    let task = run_delivery(&config, &ns, events.clone(), shutdown.clone()).unwrap();
    let mut report = Instant::now();
    while received.load(Ordering::Relaxed) < messages {
        if report.elapsed() > Duration::from_secs(5) {
            eprintln!(
                "{} delivered after {:.0} s",
                received.load(Ordering::Relaxed),
                started.elapsed().as_secs_f64()
            );
            report = Instant::now();
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "only {} delivered",
            received.load(Ordering::Relaxed)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let seconds = started.elapsed().as_secs_f64();
    shutdown.cancel();
    let _ = task.await;
    let mut lat = events.micros.lock().unwrap().clone();
    lat.sort_unstable();
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0) as f64
            / 1000.0
    };
    println!(
        "{{\"deliveries\":{messages},\"seconds\":{seconds:.2},\"deliveries_per_sec\":{:.0},\"p50_ms\":{:.2},\"p99_ms\":{:.2},\"per_host_concurrency\":{},\"duplicates\":{},\"failures\":{}}}",
        messages as f64 / seconds,
        pct(0.50),
        pct(0.99),
        config.delivery.per_host_concurrency,
        received.load(Ordering::Relaxed) - messages,
        events.failures.load(Ordering::Relaxed),
    );
}
