//! Integration tests against a real `rmqctl namesrv` process on a loopback port: registration,
//! routes in both JSON dialects, cluster info, expiry, connection-close drop, KV persistence,
//! permissions, bad frames and oneway requests.

use crate::common;

use bytes::BytesMut;
use rmqctl::protocol::fastjson;
use rmqctl::protocol::route::{ClusterInfo, TopicRouteData};
use rmqctl::protocol::topic::{DataVersion, RegisterBrokerBody, TopicConfig, TopicList};
use rmqctl::remoting::client::RemotingClient;
use rmqctl::remoting::frame::encode_frame;
use rmqctl::remoting::headers::*;
use rmqctl::remoting::{RemotingCommand, RequestCode, ResponseCode, SerializeType};
use std::io::{Read, Write};
use std::time::Duration;

const T: Duration = Duration::from_secs(3);

fn registration(name: &str, addr: &str, id: i64, topics: &[&str], counter: i64) -> RemotingCommand {
    let mut body = RegisterBrokerBody::default();
    let wrapper = &mut body.topic_config_serialize_wrapper;
    wrapper.data_version = DataVersion {
        counter,
        state_version: 0,
        timestamp: 1700000000000,
    };
    for t in topics {
        wrapper
            .topic_config_table
            .insert(t.to_string(), TopicConfig::new(t, 4));
    }
    let bytes = fastjson::to_vec(&body).unwrap();
    let header = RegisterBrokerRequestHeader {
        broker_name: name.into(),
        broker_addr: addr.into(),
        cluster_name: "DefaultCluster".into(),
        ha_server_addr: addr.replace(":10911", ":10912"),
        broker_id: id,
        compressed: false,
        body_crc32: Some((crc32fast::hash(&bytes) & 0x7FFF_FFFF) as i32),
        ..Default::default()
    };
    RemotingCommand::request(RequestCode::REGISTER_BROKER)
        .with_header(&header)
        .with_body(bytes)
}

fn route_request(topic: &str, version: i32) -> RemotingCommand {
    let mut cmd = RemotingCommand::request(RequestCode::GET_ROUTEINFO_BY_TOPIC).with_header(
        &GetRouteInfoRequestHeader {
            topic: topic.into(),
            accept_standard_json_only: None,
        },
    );
    cmd.version = version;
    cmd
}

#[tokio::test]
async fn registration_routes_cluster_info_and_slave_master_discovery() {
    let dir = tempfile::tempdir().unwrap();
    let ns = common::start_namesrv(dir.path(), 120_000);
    let addr = ns.addr.to_string();
    let client = RemotingClient::default();

    let r = client
        .invoke_ok(
            &addr,
            registration(
                "broker-a",
                "127.0.0.1:10911",
                0,
                &["TopicTest", "TBW102"],
                1,
            ),
            T,
        )
        .await
        .unwrap();
    let h: RegisterBrokerResponseHeader = r.header().unwrap();
    assert_eq!(h.master_addr, None);
    let slave = RemotingClient::default();
    let r = slave
        .invoke_ok(
            &addr,
            registration("broker-a", "127.0.0.2:10911", 1, &["TopicTest"], 1),
            T,
        )
        .await
        .unwrap();
    let h: RegisterBrokerResponseHeader = r.header().unwrap();
    assert_eq!(h.master_addr.as_deref(), Some("127.0.0.1:10911"));
    assert_eq!(h.ha_server_addr.as_deref(), Some("127.0.0.1:10912"));

    // Old clients get raw numeric keys, >= 4.9.4 standard JSON.
    let old = client
        .invoke_ok(&addr, route_request("TopicTest", 63), T)
        .await
        .unwrap();
    let text = String::from_utf8(old.body_bytes().to_vec()).unwrap();
    assert!(
        text.contains(r#""brokerAddrs":{0:"127.0.0.1:10911",1:"127.0.0.2:10911"}"#),
        "{text}"
    );
    let new = client
        .invoke_ok(&addr, route_request("TopicTest", 479), T)
        .await
        .unwrap();
    let text = String::from_utf8(new.body_bytes().to_vec()).unwrap();
    assert!(
        text.contains(r#""brokerAddrs":{"0":"127.0.0.1:10911","1":"127.0.0.2:10911"}"#),
        "{text}"
    );
    let route: TopicRouteData = fastjson::from_slice(new.body_bytes()).unwrap();
    assert_eq!(route.queue_datas[0].read_queue_nums, 4);

    let missing = client
        .invoke(&addr, route_request("NoSuchTopic", 409), T)
        .await
        .unwrap();
    assert_eq!(missing.code, ResponseCode::TOPIC_NOT_EXIST.code());
    assert!(missing.remark.unwrap().contains("NoSuchTopic"));

    let info = client
        .invoke_ok(
            &addr,
            RemotingCommand::request(RequestCode::GET_BROKER_CLUSTER_INFO),
            T,
        )
        .await
        .unwrap();
    let text = String::from_utf8(info.body_bytes().to_vec()).unwrap();
    assert!(
        text.contains(r#"{0:"127.0.0.1:10911""#),
        "cluster info keeps raw keys: {text}"
    );
    let info: ClusterInfo = fastjson::from_slice(info.body_bytes()).unwrap();
    assert!(info.cluster_addr_table["DefaultCluster"].contains("broker-a"));

    let all = client
        .invoke_ok(
            &addr,
            RemotingCommand::request(RequestCode::GET_ALL_TOPIC_LIST_FROM_NAMESERVER),
            T,
        )
        .await
        .unwrap();
    let all: TopicList = fastjson::from_slice(all.body_bytes()).unwrap();
    assert!(all.topic_list.contains("TopicTest") && all.topic_list.contains("TBW102"));
    let by_cluster = client
        .invoke_ok(
            &addr,
            RemotingCommand::request(RequestCode::GET_TOPICS_BY_CLUSTER).with_header(
                &GetTopicsByClusterRequestHeader {
                    cluster: "DefaultCluster".into(),
                },
            ),
            T,
        )
        .await
        .unwrap();
    let by_cluster: TopicList = fastjson::from_slice(by_cluster.body_bytes()).unwrap();
    assert_eq!(by_cluster.topic_list.len(), 2);

    // Closing the slave's connection drops it at once.
    slave.close(&addr).await;
    drop(slave);
    let mut dropped = false;
    for _ in 0..50 {
        let r = client
            .invoke_ok(&addr, route_request("TopicTest", 479), T)
            .await
            .unwrap();
        let route: TopicRouteData = fastjson::from_slice(r.body_bytes()).unwrap();
        if route.broker_datas[0].broker_addrs.len() == 1 {
            dropped = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(dropped, "slave still routed after its connection closed");

    // Delete the topic, then it is gone.
    client
        .invoke_ok(
            &addr,
            RemotingCommand::request(RequestCode::DELETE_TOPIC_IN_NAMESRV).with_header(
                &DeleteTopicFromNamesrvRequestHeader {
                    topic: "TopicTest".into(),
                    cluster_name: None,
                },
            ),
            T,
        )
        .await
        .unwrap();
    let gone = client
        .invoke(&addr, route_request("TopicTest", 479), T)
        .await
        .unwrap();
    assert_eq!(gone.code, ResponseCode::TOPIC_NOT_EXIST.code());
}

/// A broker silent for `brokerExpireMillis` is dropped; one that keeps sending
/// QUERY_DATA_VERSION is kept. The keepalives come every 100 ms against a 3 s expiry, so only a
/// stall of seconds on a busy machine could expire the kept broker.
#[tokio::test]
async fn silent_brokers_expire_and_heartbeats_keep_them() {
    let dir = tempfile::tempdir().unwrap();
    let ns = common::start_namesrv(dir.path(), 3_000);
    let addr = ns.addr.to_string();
    let client = RemotingClient::default();
    client
        .invoke_ok(
            &addr,
            registration("broker-a", "127.0.0.1:10911", 0, &["T1"], 1),
            T,
        )
        .await
        .unwrap();
    client
        .invoke_ok(
            &addr,
            registration("broker-b", "127.0.0.1:10921", 0, &["T1"], 1),
            T,
        )
        .await
        .unwrap();
    // Keep broker-b alive with QUERY_DATA_VERSION, let broker-a go silent, until it expires.
    let start = std::time::Instant::now();
    let names = loop {
        let q = RemotingCommand::request(RequestCode::QUERY_DATA_VERSION)
            .with_header(&BrokerIdentityHeader {
                broker_name: "broker-b".into(),
                broker_addr: "127.0.0.1:10921".into(),
                cluster_name: "DefaultCluster".into(),
                broker_id: 0,
            })
            .with_body(r#"{"counter":1,"stateVersion":0,"timestamp":1700000000000}"#);
        let r = client.invoke_ok(&addr, q, T).await.unwrap();
        let h: QueryDataVersionResponseHeader = r.header().unwrap();
        assert_eq!(h.changed, Some(false));
        let r = client
            .invoke(&addr, route_request("T1", 479), T)
            .await
            .unwrap();
        assert!(
            r.is_success(),
            "T1 lost its route: {r:?}\n{}",
            ns.log_text()
        );
        let route: TopicRouteData = fastjson::from_slice(r.body_bytes()).unwrap();
        let names: Vec<String> = route
            .broker_datas
            .iter()
            .map(|b| b.broker_name.clone())
            .collect();
        if names.len() < 2 || start.elapsed() > Duration::from_secs(60) {
            break names;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        names,
        ["broker-b"],
        "broker-a should have expired, broker-b not"
    );
    assert!(ns.log_text().contains("broker expired"));
}

#[tokio::test]
async fn kv_config_persists_across_restart_and_perms_change() {
    let dir = tempfile::tempdir().unwrap();
    let client = RemotingClient::default();
    {
        let mut ns = common::start_namesrv(dir.path(), 120_000);
        let addr = ns.addr.to_string();
        client
            .invoke_ok(
                &addr,
                RemotingCommand::request(RequestCode::PUT_KV_CONFIG).with_header(
                    &PutKvConfigRequestHeader {
                        namespace: "ORDER_TOPIC_CONFIG".into(),
                        key: "OrderTopic".into(),
                        value: "broker-a:4".into(),
                    },
                ),
                T,
            )
            .await
            .unwrap();
        client
            .invoke_ok(
                &addr,
                registration("broker-a", "127.0.0.1:10911", 0, &["A", "B"], 1),
                T,
            )
            .await
            .unwrap();
        let wipe = client
            .invoke_ok(
                &addr,
                RemotingCommand::request(RequestCode::WIPE_WRITE_PERM_OF_BROKER).with_header(
                    &BrokerNameRequestHeader {
                        broker_name: "broker-a".into(),
                    },
                ),
                T,
            )
            .await
            .unwrap();
        let h: WipeWritePermResponseHeader = wipe.header().unwrap();
        assert_eq!(h.wipe_topic_count, 2);
        let r = client
            .invoke_ok(&addr, route_request("A", 479), T)
            .await
            .unwrap();
        let route: TopicRouteData = fastjson::from_slice(r.body_bytes()).unwrap();
        assert_eq!(route.queue_datas[0].perm, 4);
        assert!(ns.terminate().success(), "SIGTERM exits cleanly");
        client.close(&addr).await;
    }
    let ns = common::start_namesrv(dir.path(), 120_000);
    let addr = ns.addr.to_string();
    let got = client
        .invoke_ok(
            &addr,
            RemotingCommand::request(RequestCode::GET_KV_CONFIG).with_header(&KvConfigKeyHeader {
                namespace: "ORDER_TOPIC_CONFIG".into(),
                key: "OrderTopic".into(),
            }),
            T,
        )
        .await
        .unwrap();
    let h: GetKvConfigResponseHeader = got.header().unwrap();
    assert_eq!(h.value.as_deref(), Some("broker-a:4"));
    let absent = client
        .invoke(
            &addr,
            RemotingCommand::request(RequestCode::GET_KV_CONFIG).with_header(&KvConfigKeyHeader {
                namespace: "ns".into(),
                key: "nope".into(),
            }),
            T,
        )
        .await
        .unwrap();
    assert_eq!(absent.code, ResponseCode::QUERY_NOT_FOUND.code());
}

#[tokio::test]
async fn unknown_codes_binary_headers_bad_frames_and_oneway() {
    let dir = tempfile::tempdir().unwrap();
    let ns = common::start_namesrv(dir.path(), 120_000);
    let addr = ns.addr.to_string();
    let client = RemotingClient::default();

    let r = client
        .invoke(&addr, RemotingCommand::request_code(9999), T)
        .await
        .unwrap();
    assert_eq!(r.code, ResponseCode::REQUEST_CODE_NOT_SUPPORTED.code());

    // A ROCKETMQ-header request is answered (in JSON, the server's own format).
    let mut stream = std::net::TcpStream::connect(ns.addr).unwrap();
    stream.set_read_timeout(Some(T)).unwrap();
    let mut req = route_request("Nope", 479);
    req.serialize_type = SerializeType::RocketMq;
    req.opaque = 42;
    let mut buf = BytesMut::new();
    encode_frame(&req, &mut buf).unwrap();
    // A oneway request first: it must not be answered.
    let mut oneway = RemotingCommand::request_code(9999).oneway();
    oneway.opaque = 41;
    let mut first = BytesMut::new();
    encode_frame(&oneway, &mut first).unwrap();
    stream.write_all(&first).unwrap();
    stream.write_all(&buf).unwrap();
    let mut len = [0u8; 4];
    stream.read_exact(&mut len).unwrap();
    let mut frame = vec![0u8; u32::from_be_bytes(len) as usize];
    stream.read_exact(&mut frame).unwrap();
    let resp = rmqctl::remoting::frame::decode_frame(frame.into()).unwrap();
    assert_eq!(resp.opaque, 42, "the oneway request must not be answered");
    assert_eq!(resp.code, ResponseCode::TOPIC_NOT_EXIST.code());

    // Garbage closes that connection only; so does a frame longer than the 16 MiB limit.
    let mut bad = std::net::TcpStream::connect(ns.addr).unwrap();
    bad.write_all(&[0, 0, 0, 8, 0, 0, 0, 4, b'{', b'x', b'x', b'x'])
        .unwrap();
    assert_closed_by_server(&mut bad, "bad frame");
    let mut huge = std::net::TcpStream::connect(ns.addr).unwrap();
    huge.write_all(&[0x7f, 0, 0, 0]).unwrap();
    assert_closed_by_server(&mut huge, "oversized frame");

    // The first connection and new ones are still served.
    let r = client
        .invoke(&addr, route_request("Nope", 479), T)
        .await
        .unwrap();
    assert_eq!(r.code, ResponseCode::TOPIC_NOT_EXIST.code());
    // Each bad connection was logged as such, under its own peer address.
    for (stream, error) in [(&bad, "JSON header"), (&huge, "exceeds the 16 MiB limit")] {
        let peer = format!("peer={}", stream.local_addr().unwrap());
        let log = ns.log_text();
        assert!(
            log.lines()
                .any(|l| l.contains("malformed frame") && l.contains(&peer) && l.contains(error)),
            "no malformed-frame line for {peer} ({error}):\n{log}"
        );
    }
}

/// The server closed `stream`: a read ends with end-of-file or a reset. A read that times out
/// (the server kept the connection open and silent) or returns data is not a close.
fn assert_closed_by_server(stream: &mut std::net::TcpStream, what: &str) {
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut sink = [0u8; 16];
    match stream.read(&mut sink) {
        Ok(0) => {}
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
        other => panic!("{what}: the server did not close the connection: {other:?}"),
    }
}

#[test]
fn bad_config_stops_startup_with_file_line() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("namesrv.properties");
    std::fs::write(&conf, "listenPort=9876\nscanNotActiveBrokerIntervall=5\n").unwrap();
    let out = common::rmqctl(&["namesrv", "-c", conf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("namesrv.properties:2:1"), "{err}");
    assert!(
        err.contains("did you mean `scanNotActiveBrokerInterval`"),
        "{err}"
    );
}

/// README: `--listen` overrides the file's bindAddress/listenPort, and `--data-dir` puts the KV
/// and config files there instead of where the file says.
#[tokio::test]
async fn listen_and_data_dir_override_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let file_port = common::free_port();
    let conf = dir.path().join("namesrv.properties");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::write(
        &conf,
        format!(
            "listenPort={file_port}\nbindAddress=127.0.0.1\nkvConfigPath={}/kv.json\nconfigStorePath={}/ns.properties\n",
            elsewhere.display(),
            elsewhere.display()
        ),
    )
    .unwrap();
    let data = dir.path().join("data");
    let ns = common::ServerProcess::start_on_port_0(
        &[
            "namesrv",
            "-c",
            conf.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            data.to_str().unwrap(),
        ],
        &dir.path().join("namesrv.log"),
        "name server listening",
    );
    assert_ne!(
        ns.addr.port(),
        file_port,
        "--listen did not override listenPort"
    );
    RemotingClient::default()
        .invoke_ok(
            &ns.addr.to_string(),
            RemotingCommand::request(RequestCode::PUT_KV_CONFIG).with_header(
                &PutKvConfigRequestHeader {
                    namespace: "ORDER_TOPIC_CONFIG".into(),
                    key: "Listed".into(),
                    value: "broker-a:8".into(),
                },
            ),
            T,
        )
        .await
        .unwrap();
    let kv = std::fs::read_to_string(data.join("kvConfig.json"))
        .unwrap_or_else(|e| panic!("no kvConfig.json in --data-dir: {e}"));
    assert!(kv.contains("broker-a:8"), "{kv}");
    assert!(!elsewhere.exists(), "the file's kvConfigPath was used");
}
