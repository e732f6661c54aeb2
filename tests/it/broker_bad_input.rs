//! Bad input to a real `rmqctl broker`: oversized, malformed and illegal messages get Apache's
//! response codes on a connection that stays open, and a full disk (a small tmpfs) gets a clean
//! SERVICE_NOT_AVAILABLE refusal with every acknowledged message intact after a restart.

use crate::common;

use common::wire::{self, ext_i64};
use common::{BrokerSpec, Cluster};
use rmqctl::protocol::message::encode_batch;
use rmqctl::protocol::message::BatchMessage;
use rmqctl::remoting::client::RemotingClient;
use rmqctl::remoting::{RemotingCommand, RequestCode, ResponseCode};

const MESSAGE_ILLEGAL: i32 = ResponseCode::MESSAGE_ILLEGAL.code();
const SYSTEM_ERROR: i32 = ResponseCode::SYSTEM_ERROR.code();

struct Broker {
    cluster: Cluster,
    client: RemotingClient,
}

impl Broker {
    fn start(extra: &str) -> Broker {
        Broker {
            cluster: Cluster::single_with(extra),
            client: RemotingClient::default(),
        }
    }

    async fn call(&self, req: RemotingCommand) -> RemotingCommand {
        let broker = self.cluster.broker();
        self.client
            .invoke(&broker.addr.to_string(), req, wire::TIMEOUT)
            .await
            .unwrap_or_else(|e| panic!("no answer: {e}\n{}", broker.log_text()))
    }

    /// A good send on the same connection still works.
    async fn assert_still_serving(&self) {
        let req = wire::send_v2(
            "GoodTopic",
            0,
            b"fine".to_vec(),
            &common::props("", "", "G"),
        );
        let r = self.call(req).await;
        assert_eq!(r.code, 0, "{r:?}");
        assert!(
            self.client
                .is_connected(&self.cluster.broker().addr.to_string())
                .await
        );
    }
}

fn assert_code(r: &RemotingCommand, code: i32) {
    assert_eq!(r.code, code, "{r:?}");
    assert!(r.remark.as_deref().is_some_and(|m| !m.is_empty()), "{r:?}");
}

#[tokio::test]
async fn oversized_message_is_message_illegal_and_the_connection_stays() {
    let b = Broker::start("maxMessageSize=65536");
    let big = vec![b'x'; 70_000];
    let r = b
        .call(wire::send_v2(
            "BigTopic",
            0,
            big,
            &common::props("", "", "B"),
        ))
        .await;
    assert_code(&r, MESSAGE_ILLEGAL);
    b.assert_still_serving().await;
}

#[tokio::test]
async fn properties_longer_than_32767_bytes_are_message_illegal() {
    let b = Broker::start("");
    let mut props = rmqctl::protocol::message::Properties::new();
    props.insert("HUGE", &"p".repeat(40_000));
    let r = b
        .call(wire::send_v2(
            "PropTopic",
            0,
            b"x".to_vec(),
            &props.encode(),
        ))
        .await;
    assert_code(&r, MESSAGE_ILLEGAL);
    b.assert_still_serving().await;
}

#[tokio::test]
async fn illegal_topic_names_get_system_error_like_apache() {
    let b = Broker::start("");
    for topic in ["bad topic!", &"T".repeat(200)] {
        let r = b
            .call(wire::send_v2(
                topic,
                0,
                b"x".to_vec(),
                &common::props("", "", "I"),
            ))
            .await;
        assert_code(&r, SYSTEM_ERROR);
    }
    b.assert_still_serving().await;
}

#[tokio::test]
async fn malformed_send_header_and_batch_body_get_answers_not_a_closed_connection() {
    let b = Broker::start("");
    // No topic ("b") and a non-numeric queue id.
    let mut req = wire::send_v2("X", 0, b"x".to_vec(), "");
    req.ext_fields.remove("b");
    req.ext_fields.insert("e", "zero");
    let r = b.call(req).await;
    assert_ne!(r.code, 0, "{r:?}");
    assert!(r.remark.is_some(), "{r:?}");

    // A batch whose inner sizes lie.
    let mut body = encode_batch(&[BatchMessage {
        flag: 0,
        body: b"payload".to_vec().into(),
        properties: String::new(),
    }]);
    body[3] = body[3].wrapping_add(50);
    let mut batch = wire::send_v2("BatchTopic", 0, body, "");
    batch.code = RequestCode::SEND_BATCH_MESSAGE.code();
    batch.ext_fields.insert("m", "true");
    let r = b.call(batch).await;
    assert_code(&r, MESSAGE_ILLEGAL);

    // An unknown request code.
    let r = b.call(RemotingCommand::request_code(9999)).await;
    assert_code(&r, ResponseCode::REQUEST_CODE_NOT_SUPPORTED.code());
    b.assert_still_serving().await;
}

#[tokio::test]
async fn full_disk_is_a_clean_refusal_and_nothing_acked_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let Some(_disk) = common::SmallDisk::mount(&dir.path().join("disk"), 6) else {
        return;
    };
    let ns = common::start_namesrv(dir.path(), 120_000);
    let spec = BrokerSpec {
        extra: "mappedFileSizeCommitLog=1048576\nmappedFileSizeConsumeQueue=6000\ndiskMaxUsedSpaceRatio=100",
        ..BrokerSpec::default()
    };
    let mut broker = common::start_broker(&dir.path().join("disk"), ns.addr, &spec);
    let addr = broker.addr.to_string();
    let client = RemotingClient::default();
    let mut acked = Vec::new();
    let mut refusal = None;
    for i in 0..200 {
        let body = format!("{i:04}").repeat(16 * 1024).into_bytes();
        let req = wire::send_v2(
            "FullTopic",
            0,
            body.clone(),
            &common::props("", "", &format!("F{i}")),
        );
        let r = client
            .invoke(&addr, req, wire::TIMEOUT)
            .await
            .expect("an answer");
        if r.code != 0 {
            refusal = Some(r);
            break;
        }
        acked.push((ext_i64(&r, "queueOffset"), body));
    }
    let refusal = refusal.expect("the 6 MiB disk never filled");
    assert_code(&refusal, ResponseCode::SERVICE_NOT_AVAILABLE.code());
    assert!(acked.len() >= 20, "only {} sends fit", acked.len());
    // Still serving reads on the same connection.
    let stored = wire::pull_all(&client, &addr, "FullTopic", 0).await;
    assert_eq!(stored.len(), acked.len());

    assert!(broker.terminate().success(), "{}", broker.log_text());
    let home = dir.path().join("disk/broker-a-0");
    let broker = common::restart_broker(&home, broker.addr.port());
    let client = RemotingClient::default();
    let stored = wire::pull_all(&client, &addr, "FullTopic", 0).await;
    assert_eq!(stored.len(), acked.len(), "{}", broker.log_text());
    for (rec, (offset, body)) in stored.iter().zip(&acked) {
        assert_eq!(rec.queue_offset, *offset);
        assert_eq!(rec.body.as_ref(), body.as_slice());
    }
    let log = broker.log_text();
    assert!(log.contains("corruptions=0"), "{log}");
}
