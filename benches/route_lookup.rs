//! Route lookups per second against the bundled name server on loopback, from 1, 16 and 64
//! concurrent clients (each with its own connection). Run: `cargo bench --bench route_lookup`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap fails the run, saying where

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rmqctl::namesrv::config::NamesrvConfig;
use rmqctl::namesrv::NameServer;
use rmqctl::protocol::fastjson;
use rmqctl::protocol::topic::{DataVersion, RegisterBrokerBody, TopicConfig};
use rmqctl::remoting::client::RemotingClient;
use rmqctl::remoting::headers::{GetRouteInfoRequestHeader, RegisterBrokerRequestHeader};
use rmqctl::remoting::{RemotingCommand, RequestCode};
use std::time::Duration;

/// Lookups per measured iteration, shared among the clients.
const LOOKUPS: usize = 1024;
const TOPICS: usize = 100;

/// The name server and the registering broker's connection, which must stay open: the name
/// server drops a broker as soon as its connection closes.
async fn start_namesrv() -> (NameServer, RemotingClient) {
    let dir = std::env::temp_dir().join(format!("rmqctl-bench-ns-{}", std::process::id()));
    let config = NamesrvConfig {
        listen_port: 0,
        bind_address: "127.0.0.1".parse().unwrap(),
        kv_config_path: dir.join("kvConfig.json"),
        config_store_path: dir.join("namesrv.properties"),
        ..NamesrvConfig::default()
    };
    let ns = NameServer::start(config).await.expect("name server starts");
    let broker = register_broker(&ns.local_addr.to_string()).await;
    (ns, broker)
}

async fn register_broker(addr: &str) -> RemotingClient {
    let mut body = RegisterBrokerBody::default();
    body.topic_config_serialize_wrapper.data_version = DataVersion::now();
    for i in 0..TOPICS {
        let name = format!("Topic{i}");
        body.topic_config_serialize_wrapper
            .topic_config_table
            .insert(name.clone(), TopicConfig::new(&name, 8));
    }
    let header = RegisterBrokerRequestHeader {
        broker_name: "broker-a".into(),
        broker_addr: "127.0.0.1:10911".into(),
        cluster_name: "DefaultCluster".into(),
        ha_server_addr: "127.0.0.1:10912".into(),
        broker_id: 0,
        ..Default::default()
    };
    let req = RemotingCommand::request(RequestCode::REGISTER_BROKER)
        .with_header(&header)
        .with_body(fastjson::to_vec(&body).unwrap());
    let broker = RemotingClient::default();
    broker
        .invoke_ok(addr, req, Duration::from_secs(3))
        .await
        .expect("registration accepted");
    broker
}

async fn lookups(client: RemotingClient, addr: String, count: usize, seed: usize) {
    for i in 0..count {
        let req = RemotingCommand::request(RequestCode::GET_ROUTEINFO_BY_TOPIC).with_header(
            &GetRouteInfoRequestHeader {
                topic: format!("Topic{}", (seed + i) % TOPICS),
                accept_standard_json_only: None,
            },
        );
        client
            .invoke_ok(&addr, req, Duration::from_secs(3))
            .await
            .expect("route found");
    }
}

fn route_lookups(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (ns, _broker_connection) = rt.block_on(start_namesrv());
    let addr = ns.local_addr.to_string();
    let mut group = c.benchmark_group("route_lookup");
    group.throughput(Throughput::Elements(LOOKUPS as u64));
    for clients in [1usize, 16, 64] {
        let pool: Vec<RemotingClient> = (0..clients).map(|_| RemotingClient::default()).collect();
        group.bench_with_input(BenchmarkId::from_parameter(clients), &clients, |b, &n| {
            b.to_async(&rt).iter(|| {
                let tasks: Vec<_> = pool
                    .iter()
                    .enumerate()
                    .map(|(i, c)| tokio::spawn(lookups(c.clone(), addr.clone(), LOOKUPS / n, i)))
                    .collect();
                async move {
                    for t in tasks {
                        t.await.unwrap();
                    }
                }
            })
        });
    }
    group.finish();
    rt.block_on(ns.stop());
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(5));
    targets = route_lookups
}
criterion_main!(benches);
