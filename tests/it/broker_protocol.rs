//! Broker behaviour end to end against a real `rmqctl broker` + `rmqctl namesrv`: response
//! fields Java clients dereference, long polling, NOTIFY_CONSUMER_IDS_CHANGED, send-back to
//! %RETRY% and %DLQ%, message look-ups, persistence across a restart, prompt registration and
//! C++-shaped heartbeats.

use crate::common;

use common::wire::{self, ext_i64};
use common::{Cluster, ServerProcess};
use futures::{SinkExt, StreamExt};
use rmqctl::protocol::consumer::ConsumerIdList;
use rmqctl::protocol::fastjson;
use rmqctl::protocol::message::{
    decode_all, encode_batch, BatchMessage, MessageRecord, OffsetMsgId,
};
use rmqctl::remoting::client::RemotingClient;
use rmqctl::remoting::frame::RemotingCodec;
use rmqctl::remoting::headers::*;
use rmqctl::remoting::{RemotingCommand, RequestCode};
use std::time::{Duration, Instant};

/// The shared fixture (a name server and one broker) and a client of the broker.
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

    fn broker(&self) -> &ServerProcess {
        self.cluster.broker()
    }

    fn addr(&self) -> String {
        self.broker().addr.to_string()
    }

    async fn call(&self, req: RemotingCommand) -> RemotingCommand {
        self.client
            .invoke(&self.addr(), req, wire::TIMEOUT)
            .await
            .unwrap_or_else(|e| panic!("{e}\n{}", self.broker().log_text()))
    }

    async fn send(
        &self,
        topic: &str,
        queue_id: i32,
        body: &str,
        tags: &str,
        keys: &str,
    ) -> RemotingCommand {
        let uniq = rmqctl::protocol::message::new_unique_id([127, 0, 0, 1].into());
        let props = common::props(tags, keys, &uniq);
        let r = self
            .call(wire::send_v2(
                topic,
                queue_id,
                body.as_bytes().to_vec(),
                &props,
            ))
            .await;
        assert_eq!(r.code, 0, "{r:?}");
        r
    }

    async fn restart(&mut self) {
        self.cluster.restart_broker(0);
        self.client = RemotingClient::default();
    }
}

fn assert_send_fields(r: &RemotingCommand) {
    for key in ["msgId", "queueId", "queueOffset", "MSG_REGION", "TRACE_ON"] {
        assert!(r.ext_fields.contains_key(key), "no {key} in {r:?}");
    }
    assert_eq!(r.ext_fields["MSG_REGION"], "DefaultRegion");
}

#[tokio::test]
async fn send_v1_v2_and_batch_responses_carry_every_field_java_reads() {
    let c = Broker::start("");
    let v2 = c.send("FieldsTopic", 0, "one", "T", "").await;
    assert_send_fields(&v2);
    assert_eq!(ext_i64(&v2, "queueOffset"), 0);

    let mut v1 = wire::send_v2(
        "FieldsTopic",
        0,
        b"two".to_vec(),
        &common::props("", "", "V1"),
    );
    let h: SendMessageRequestHeaderV2 = v1.header().unwrap();
    v1 = RemotingCommand::request(RequestCode::SEND_MESSAGE)
        .with_header(&h.into_v1())
        .with_body(b"two".to_vec());
    let r = c.call(v1).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_send_fields(&r);
    assert_eq!(ext_i64(&r, "queueOffset"), 1);

    let items: Vec<BatchMessage> = (0..3)
        .map(|i| BatchMessage {
            flag: 0,
            body: format!("batch-{i}").into_bytes().into(),
            properties: common::props("B", "", &format!("BATCH{i}")),
        })
        .collect();
    let mut batch = wire::send_v2("FieldsTopic", 0, encode_batch(&items), "");
    batch.code = RequestCode::SEND_BATCH_MESSAGE.code();
    batch.ext_fields.insert("m", "true");
    let r = c.call(batch).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_send_fields(&r);
    assert_eq!(ext_i64(&r, "queueOffset"), 2);
    let ids: Vec<&str> = r.ext_fields["msgId"].split(',').collect();
    assert_eq!(ids.len(), 3, "{r:?}");
    for id in ids {
        OffsetMsgId::decode(id).expect("each batch id is an offset msg id");
    }
    // queueId -1 lets the broker choose: always a valid queue of the topic.
    for i in 0..40 {
        let r = c
            .send("AnyQueueTopic", -1, &format!("any-{i}"), "", "")
            .await;
        assert!((0..4).contains(&ext_i64(&r, "queueId")), "{r:?}");
    }
}

fn assert_pull_fields(r: &RemotingCommand) {
    for key in [
        "suggestWhichBrokerId",
        "nextBeginOffset",
        "minOffset",
        "maxOffset",
    ] {
        assert!(r.ext_fields.contains_key(key), "no {key} in {r:?}");
    }
}

#[tokio::test]
async fn pull_responses_carry_the_four_offsets_on_found_no_new_no_match_and_moved() {
    let c = Broker::start("");
    for i in 0..3 {
        c.send("PullTopic", 0, &format!("m{i}"), "TagA", "").await;
    }
    let found = c.call(wire::pull("g", "PullTopic", 0, 0, "*", 0)).await;
    assert_eq!(found.code, 0, "{found:?}");
    assert_pull_fields(&found);
    assert_eq!(decode_all(found.body_bytes()).unwrap().len(), 3);
    assert_eq!(ext_i64(&found, "nextBeginOffset"), 3);
    assert_eq!(ext_i64(&found, "maxOffset"), 3);

    let no_new = c.call(wire::pull("g", "PullTopic", 0, 3, "*", 0)).await;
    assert_eq!(no_new.code, 19, "{no_new:?}");
    assert_pull_fields(&no_new);

    let no_match = c.call(wire::pull("g", "PullTopic", 0, 0, "TagB", 0)).await;
    assert_eq!(no_match.code, 20, "{no_match:?}");
    assert_pull_fields(&no_match);
    assert_eq!(
        ext_i64(&no_match, "nextBeginOffset"),
        3,
        "skips the filtered messages"
    );

    let moved = c.call(wire::pull("g", "PullTopic", 0, 100, "*", 0)).await;
    assert_eq!(moved.code, 21, "{moved:?}");
    assert_pull_fields(&moved);
}

/// A suspended pull is answered when a message arrives, not when its hold ends. The order is
/// made sure without the clock: on one connection the broker dispatches a request before it
/// reads the next, so once a later request on the pull's connection is answered, the pull is
/// held; only then is the message sent. The hold (30 s) is far longer than the test.
#[tokio::test]
async fn long_poll_returns_as_soon_as_a_message_arrives() {
    let c = Broker::start("");
    c.send("PollTopic", 0, "first", "", "").await;
    let stream = tokio::net::TcpStream::connect(c.broker().addr)
        .await
        .unwrap();
    let mut conn = tokio_util::codec::Framed::new(stream, RemotingCodec);
    let mut held = wire::pull("g", "PollTopic", 0, 1, "*", 30_000);
    held.opaque = 1;
    conn.send(held).await.unwrap();
    let mut probe = RemotingCommand::request(RequestCode::GET_BROKER_RUNTIME_INFO);
    probe.opaque = 2;
    conn.send(probe).await.unwrap();
    let first = next_response(&mut conn).await;
    assert_eq!(
        first.opaque, 2,
        "the pull was answered before any message arrived: {first:?}"
    );

    c.send("PollTopic", 0, "late", "", "").await;
    let r = next_response(&mut conn).await;
    assert_eq!((r.opaque, r.code), (1, 0), "{r:?}");
    assert_eq!(
        decode_all(r.body_bytes()).unwrap()[0].body.as_ref(),
        b"late"
    );

    // Nothing arrives: the hold ends with NO_NEW_MSG, not before the requested time.
    let start = Instant::now();
    let r = c.call(wire::pull("g", "PollTopic", 0, 2, "*", 700)).await;
    assert_eq!(r.code, 19, "{r:?}");
    assert!(
        start.elapsed() >= Duration::from_millis(600),
        "{:?}",
        start.elapsed()
    );
}

/// A hundred sends written at once (more than the broker takes from one read in a turn) are
/// all stored in the order written and answered: queue offset n for the n-th.
#[tokio::test]
async fn a_hundred_requests_written_at_once_are_stored_in_order() {
    let c = Broker::start("");
    c.send("BurstTopic", 0, "first", "", "").await;
    let stream = tokio::net::TcpStream::connect(c.broker().addr)
        .await
        .unwrap();
    let mut conn = tokio_util::codec::Framed::new(stream, RemotingCodec);
    for n in 1..=100 {
        let mut send = wire::send_v2("BurstTopic", 0, format!("m{n}").into_bytes(), "");
        send.opaque = n;
        conn.feed(send).await.unwrap();
    }
    conn.flush().await.unwrap();
    for n in 1..=100 {
        let r = next_response(&mut conn).await;
        assert_eq!((r.opaque, r.code), (n, 0), "{r:?}");
        assert_eq!(ext_i64(&r, "queueOffset"), i64::from(n));
    }
}

/// The next response on a raw connection (requests the broker sends, such as notices, skipped),
/// within a minute.
async fn next_response(
    conn: &mut tokio_util::codec::Framed<tokio::net::TcpStream, RemotingCodec>,
) -> RemotingCommand {
    loop {
        let frame = next_frame(conn).await;
        if frame.is_response() {
            return frame;
        }
    }
}

/// The next frame on a raw connection (a response or a request the broker sends), within a
/// minute.
async fn next_frame(
    conn: &mut tokio_util::codec::Framed<tokio::net::TcpStream, RemotingCodec>,
) -> RemotingCommand {
    tokio::time::timeout(Duration::from_secs(60), conn.next())
        .await
        .expect("a frame within 60 s")
        .expect("connection open")
        .expect("a well-formed frame")
}

/// A heartbeat body shaped like the C++ client's: enum ordinals, subVersion as a string, no
/// unitMode/expressionType/producerDataSet, codeSet [0].
fn cpp_heartbeat(client_id: &str, group: &str, topic: &str) -> Vec<u8> {
    format!(
        r#"{{"clientID":"{client_id}","consumerDataSet":[{{"consumeFromWhere":0,"consumeType":1,"groupName":"{group}","messageModel":1,"subscriptionDataSet":[{{"codeSet":[0],"subString":"*","subVersion":"1700000000000","tagsSet":[],"topic":"{topic}"}}]}}]}}"#
    )
    .into_bytes()
}

fn heartbeat_request(body: Vec<u8>) -> RemotingCommand {
    let mut req = RemotingCommand::request(RequestCode::HEART_BEAT).with_body(body);
    req.language = Some(rmqctl::remoting::LanguageCode::CPP);
    req.version = 63;
    req
}

async fn consumer_ids(c: &Broker, group: &str) -> Vec<String> {
    let req = RemotingCommand::request(RequestCode::GET_CONSUMER_LIST_BY_GROUP).with_header(
        &ConsumerGroupRequestHeader {
            consumer_group: group.into(),
        },
    );
    let r = c.call(req).await;
    assert_eq!(r.code, 0, "{r:?}");
    let mut ids = fastjson::from_slice::<ConsumerIdList>(r.body_bytes())
        .unwrap()
        .consumer_id_list;
    ids.sort();
    ids
}

#[tokio::test]
async fn cpp_heartbeats_register_consumers_and_group_changes_notify_the_others() {
    let c = Broker::start("");
    let stream = tokio::net::TcpStream::connect(c.broker().addr)
        .await
        .unwrap();
    let mut first = tokio_util::codec::Framed::new(stream, RemotingCodec);
    let mut hb = heartbeat_request(cpp_heartbeat(
        "127.0.0.1@cpp-1",
        "NotifyGroup",
        "NotifyTopic",
    ));
    hb.opaque = 1;
    first.send(hb).await.unwrap();
    // Apache also tells a joining consumer itself to rebalance; skip that to the answer.
    let answer = loop {
        let frame = first.next().await.unwrap().unwrap();
        if frame.is_response() {
            break frame;
        }
    };
    assert_eq!(answer.code, 0, "C++ heartbeat refused: {answer:?}");
    assert_eq!(consumer_ids(&c, "NotifyGroup").await, ["127.0.0.1@cpp-1"]);

    // Drop any late notice about our own join so the next one read is about the second consumer.
    while let Ok(Some(_)) = tokio::time::timeout(Duration::from_millis(200), first.next()).await {}

    // A second consumer joins through another connection: the first is told to rebalance.
    let second = c
        .call(heartbeat_request(cpp_heartbeat(
            "127.0.0.1@cpp-2",
            "NotifyGroup",
            "NotifyTopic",
        )))
        .await;
    assert_eq!(second.code, 0, "{second:?}");
    let notice = tokio::time::timeout(Duration::from_secs(60), first.next())
        .await
        .expect("NOTIFY_CONSUMER_IDS_CHANGED within 60 s")
        .unwrap()
        .unwrap();
    assert_eq!(
        notice.code,
        RequestCode::NOTIFY_CONSUMER_IDS_CHANGED.code(),
        "{notice:?}"
    );
    assert!(notice.is_oneway(), "{notice:?}");
    assert_eq!(notice.ext_fields["consumerGroup"], "NotifyGroup");
    assert_eq!(
        consumer_ids(&c, "NotifyGroup").await,
        ["127.0.0.1@cpp-1", "127.0.0.1@cpp-2"]
    );

    // The second consumer's connection closes: the first hears about it again.
    c.client.close(&c.addr()).await;
    let notice = tokio::time::timeout(Duration::from_secs(60), first.next())
        .await
        .expect("a second NOTIFY_CONSUMER_IDS_CHANGED after the other consumer left")
        .unwrap()
        .unwrap();
    assert_eq!(notice.code, RequestCode::NOTIFY_CONSUMER_IDS_CHANGED.code());
    assert_eq!(consumer_ids(&c, "NotifyGroup").await, ["127.0.0.1@cpp-1"]);
}

/// A group whose config says `notifyConsumerIdsChangedEnable=false` is not told of members
/// joining or leaving by their own requests (Apache's `ClientManageProcessor` reads the flag for
/// HEART_BEAT and UNREGISTER_CLIENT).
#[tokio::test]
async fn a_group_with_notify_consumer_ids_changed_disabled_is_not_told() {
    let c = Broker::start("");
    let group =
        r#"{"groupName":"QuietGroup","consumeEnable":true,"notifyConsumerIdsChangedEnable":false}"#;
    let req = RemotingCommand::request(RequestCode::UPDATE_AND_CREATE_SUBSCRIPTIONGROUP)
        .with_body(group.as_bytes().to_vec());
    assert_eq!(c.call(req).await.code, 0);
    members_of_quiet_group_get_no_notice(&c).await;
}

/// The broker-wide key (Apache 5's `BrokerConfig.notifyConsumerIdsChangedEnable`) silences
/// every group, even one without config.
#[tokio::test]
async fn a_broker_with_notify_consumer_ids_changed_disabled_tells_no_group() {
    let c = Broker::start("notifyConsumerIdsChangedEnable=false");
    members_of_quiet_group_get_no_notice(&c).await;
}

/// A member of QuietGroup sees a second member join and leave without a notice.
async fn members_of_quiet_group_get_no_notice(c: &Broker) {
    let stream = tokio::net::TcpStream::connect(c.broker().addr)
        .await
        .unwrap();
    let mut first = tokio_util::codec::Framed::new(stream, RemotingCodec);
    let mut hb = heartbeat_request(cpp_heartbeat("127.0.0.1@q-1", "QuietGroup", "QuietTopic"));
    hb.opaque = 1;
    first.send(hb).await.unwrap();
    let answer = next_frame(&mut first).await;
    assert!(answer.is_response() && answer.code == 0, "{answer:?}");

    // A second member joins and leaves. The broker would queue a notice to the first connection
    // while it handles those requests, so before the answer to anything the first asks after.
    let second = c
        .call(heartbeat_request(cpp_heartbeat(
            "127.0.0.1@q-2",
            "QuietGroup",
            "QuietTopic",
        )))
        .await;
    assert_eq!(second.code, 0, "{second:?}");
    let leave = RemotingCommand::request(RequestCode::UNREGISTER_CLIENT).with_header(
        &UnregisterClientRequestHeader {
            client_id: "127.0.0.1@q-2".into(),
            producer_group: None,
            consumer_group: Some("QuietGroup".into()),
        },
    );
    assert_eq!(c.call(leave).await.code, 0);
    let mut list = RemotingCommand::request(RequestCode::GET_CONSUMER_LIST_BY_GROUP).with_header(
        &ConsumerGroupRequestHeader {
            consumer_group: "QuietGroup".into(),
        },
    );
    list.opaque = 2;
    first.send(list).await.unwrap();
    let frame = next_frame(&mut first).await;
    assert!(
        frame.is_response() && frame.opaque == 2,
        "a notice reached a group that disabled them: {frame:?}"
    );
    let ids = fastjson::from_slice::<ConsumerIdList>(frame.body_bytes())
        .unwrap()
        .consumer_id_list;
    assert_eq!(ids, ["127.0.0.1@q-1"]);
}

/// The broker stores a message's properties with its cluster added and a unique key assigned
/// when the producer sent none, keeping the producer's pairs in their order; properties as
/// clients encode them take a path that appends CLUSTER without re-encoding, any other shape
/// (no unique key, a repeated key, a missing trailing separator) is parsed and encoded again.
#[tokio::test]
async fn stored_properties_carry_the_cluster_and_a_unique_key_in_every_shape() {
    let c = Broker::start("");
    let cases = [
        (
            "plain",
            "UNIQ_KEY\u{1}U1\u{2}WAIT\u{1}true\u{2}TAGS\u{1}A\u{2}",
            "UNIQ_KEY\u{1}U1\u{2}WAIT\u{1}true\u{2}TAGS\u{1}A\u{2}CLUSTER\u{1}DefaultCluster\u{2}",
        ),
        (
            "repeated",
            "UNIQ_KEY\u{1}U2\u{2}TAGS\u{1}A\u{2}TAGS\u{1}B\u{2}",
            "UNIQ_KEY\u{1}U2\u{2}TAGS\u{1}B\u{2}CLUSTER\u{1}DefaultCluster\u{2}",
        ),
        (
            "untrimmed",
            "UNIQ_KEY\u{1}U3\u{2}TAGS\u{1}A",
            "UNIQ_KEY\u{1}U3\u{2}TAGS\u{1}A\u{2}CLUSTER\u{1}DefaultCluster\u{2}",
        ),
        (
            "own-cluster",
            "UNIQ_KEY\u{1}U4\u{2}CLUSTER\u{1}Other\u{2}",
            "UNIQ_KEY\u{1}U4\u{2}CLUSTER\u{1}DefaultCluster\u{2}",
        ),
    ];
    for (name, sent, stored) in cases {
        let topic = format!("Props-{name}");
        let r = c.call(wire::send_v2(&topic, 0, b"p".to_vec(), sent)).await;
        assert_eq!(r.code, 0, "{name}: {r:?}");
        let rec = pull_one(&c, &topic, Duration::from_secs(60)).await;
        assert_eq!(rec.properties, stored, "{name}");
    }
    let r = c
        .call(wire::send_v2(
            "Props-nokey",
            0,
            b"p".to_vec(),
            "TAGS\u{1}A\u{2}",
        ))
        .await;
    assert_eq!(r.code, 0, "{r:?}");
    let rec = pull_one(&c, "Props-nokey", Duration::from_secs(60)).await;
    let props = rmqctl::protocol::message::Properties::parse(&rec.properties);
    assert_eq!(props.get("TAGS"), Some("A"));
    assert_eq!(props.get("CLUSTER"), Some("DefaultCluster"));
    let uniq = props
        .get("UNIQ_KEY")
        .expect("the broker assigns a unique key");
    assert_eq!(uniq.len(), 32, "{uniq}");
}

async fn pull_one(c: &Broker, topic: &str, deadline: Duration) -> MessageRecord {
    let start = Instant::now();
    while start.elapsed() < deadline {
        for q in 0..4 {
            let r = c.call(wire::pull("probe", topic, q, 0, "*", 0)).await;
            if r.code == 0 {
                return decode_all(r.body_bytes()).unwrap().remove(0);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "nothing arrived on {topic} within {deadline:?}\n{}",
        c.broker().log_text()
    );
}

fn send_back(offset: i64, group: &str, delay_level: i32, max: i32) -> RemotingCommand {
    RemotingCommand::request(RequestCode::CONSUMER_SEND_MSG_BACK).with_header(
        &ConsumerSendMsgBackRequestHeader {
            offset,
            group: group.into(),
            delay_level,
            origin_msg_id: None,
            origin_topic: None,
            unit_mode: false,
            max_reconsume_times: Some(max),
        },
    )
}

#[tokio::test]
async fn send_back_goes_to_retry_after_its_delay_and_to_dlq_after_max_reconsume_times() {
    let c = Broker::start("messageDelayLevel=1s 2s 3s");
    let sent = c.send("BackTopic", 0, "fails", "T", "").await;
    let offset = OffsetMsgId::decode(&sent.ext_fields["msgId"])
        .unwrap()
        .commit_log_offset;
    let start = Instant::now();
    let r = c.call(send_back(offset, "BackGroup", 1, 2)).await;
    assert_eq!(r.code, 0, "{r:?}");
    let retry = pull_one(&c, "%RETRY%BackGroup", Duration::from_secs(60)).await;
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(900),
        "delay level 1 (1s) not honoured: {waited:?}"
    );
    assert_eq!(retry.body.as_ref(), b"fails");
    assert_eq!(retry.reconsume_times, 1);
    assert_eq!(retry.property("RETRY_TOPIC"), Some("BackTopic"));
    assert!(retry.property("ORIGIN_MESSAGE_ID").is_some(), "{retry:?}");

    // Failing again with reconsumeTimes (1) reaching maxReconsumeTimes (1): dead letter.
    let r = c
        .call(send_back(retry.commit_log_offset, "BackGroup", 1, 1))
        .await;
    assert_eq!(r.code, 0, "{r:?}");
    let dead = pull_one(&c, "%DLQ%BackGroup", Duration::from_secs(60)).await;
    assert_eq!(dead.body.as_ref(), b"fails");
    assert_eq!(dead.reconsume_times, 2);
}

#[tokio::test]
async fn messages_are_found_by_key_by_offset_msg_id_and_by_timestamp() {
    let c = Broker::start("");
    let mut ids = Vec::new();
    for i in 0..5 {
        let r = c
            .send(
                "LookTopic",
                0,
                &format!("look-{i}"),
                "T",
                &format!("order-{i}"),
            )
            .await;
        ids.push(r.ext_fields["msgId"].clone());
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    let query = RemotingCommand::request(RequestCode::QUERY_MESSAGE).with_header(
        &QueryMessageRequestHeader {
            topic: "LookTopic".into(),
            key: "order-3".into(),
            max_num: 32,
            begin_timestamp: 0,
            end_timestamp: i64::MAX,
        },
    );
    let r = c.call(query).await;
    assert_eq!(r.code, 0, "{r:?}");
    let found = decode_all(r.body_bytes()).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].body.as_ref(), b"look-3");
    assert!(r.ext_fields.contains_key("indexLastUpdateTimestamp"));

    let missing = RemotingCommand::request(RequestCode::QUERY_MESSAGE).with_header(
        &QueryMessageRequestHeader {
            topic: "LookTopic".into(),
            key: "no-such-key".into(),
            max_num: 32,
            begin_timestamp: 0,
            end_timestamp: i64::MAX,
        },
    );
    assert_eq!(c.call(missing).await.code, 22);

    let id = OffsetMsgId::decode(&ids[2]).unwrap();
    assert_eq!(
        id.store_host,
        c.broker().addr,
        "offset ids name the store host"
    );
    let view = RemotingCommand::request(RequestCode::VIEW_MESSAGE_BY_ID).with_header(
        &ViewMessageRequestHeader {
            offset: id.commit_log_offset,
            topic: None,
        },
    );
    let r = c.call(view).await;
    assert_eq!(r.code, 0, "{r:?}");
    let rec = MessageRecord::decode(r.body_bytes()).unwrap();
    assert_eq!(rec.body.as_ref(), b"look-2");
    assert_eq!(rec.offset_msg_id(), ids[2]);

    let stored = wire::pull_all(&c.client, &c.addr(), "LookTopic", 0).await;
    for rec in &stored {
        let search = RemotingCommand::request(RequestCode::SEARCH_OFFSET_BY_TIMESTAMP).with_header(
            &SearchOffsetRequestHeader {
                topic: "LookTopic".into(),
                queue_id: 0,
                timestamp: rec.store_timestamp,
                boundary_type: None,
            },
        );
        let r = c.call(search).await;
        assert_eq!(r.code, 0, "{r:?}");
        assert_eq!(ext_i64(&r, "offset"), rec.queue_offset, "{r:?}");
    }
}

fn create_topic(topic: &str, queues: i32) -> RemotingCommand {
    RemotingCommand::request(RequestCode::UPDATE_AND_CREATE_TOPIC).with_header(
        &CreateTopicRequestHeader {
            topic: topic.into(),
            default_topic: "TBW102".into(),
            read_queue_nums: queues,
            write_queue_nums: queues,
            perm: 6,
            topic_filter_type: "SINGLE_TAG".into(),
            topic_sys_flag: Some(0),
            order: false,
            attributes: None,
            force: None,
        },
    )
}

/// A created or auto-created topic is registered at once, not at the next periodic registration:
/// with `registerNameServerPeriod` at its 60 s maximum, both routes must appear before the first
/// periodic registration could have happened (55 s after the broker started, a generous cap).
#[tokio::test]
async fn a_new_topic_is_registered_with_the_name_server_at_once() {
    let started = Instant::now();
    let c = Broker::start("registerNameServerPeriod=60000");
    let ns = c.cluster.namesrv.addr;
    let before_periodic = |what: &str| {
        assert!(
            started.elapsed() < Duration::from_secs(55),
            "{what} routed only {:?} after the broker started",
            started.elapsed()
        )
    };
    let r = c.call(create_topic("FreshTopic", 6)).await;
    assert_eq!(r.code, 0, "{r:?}");
    let route = common::route_when_registered(ns, "FreshTopic").await;
    before_periodic("FreshTopic");
    assert_eq!(route.queue_datas[0].write_queue_nums, 6);
    // An auto-created topic too.
    c.send("AutoTopic", -1, "x", "", "").await;
    common::route_when_registered(ns, "AutoTopic").await;
    before_periodic("AutoTopic");
}

#[tokio::test]
async fn topics_groups_and_consumer_offsets_survive_a_restart() {
    let mut c = Broker::start("");
    assert_eq!(c.call(create_topic("KeptTopic", 8)).await.code, 0);
    let group =
        r#"{"groupName":"KeptGroup","consumeEnable":true,"retryMaxTimes":7,"retryQueueNums":1}"#;
    let req = RemotingCommand::request(RequestCode::UPDATE_AND_CREATE_SUBSCRIPTIONGROUP)
        .with_body(group.as_bytes().to_vec());
    let r = c.call(req).await;
    assert_eq!(r.code, 0, "{r:?}");
    let update = RemotingCommand::request(RequestCode::UPDATE_CONSUMER_OFFSET).with_header(
        &UpdateConsumerOffsetRequestHeader {
            consumer_group: "KeptGroup".into(),
            topic: "KeptTopic".into(),
            queue_id: 3,
            commit_offset: 42,
        },
    );
    assert_eq!(c.call(update).await.code, 0);

    c.restart().await;
    let r = c
        .call(
            RemotingCommand::request(RequestCode::GET_TOPIC_CONFIG).with_header(
                &GetTopicConfigRequestHeader {
                    topic: "KeptTopic".into(),
                    lo: None,
                },
            ),
        )
        .await;
    assert_eq!(r.code, 0, "{r:?}");
    let tc: serde_json::Value = serde_json::from_slice(r.body_bytes()).unwrap();
    assert_eq!(tc["writeQueueNums"], 8, "{tc}");
    let r = c
        .call(RemotingCommand::request(
            RequestCode::GET_ALL_SUBSCRIPTIONGROUP_CONFIG,
        ))
        .await;
    let groups = String::from_utf8_lossy(r.body_bytes()).into_owned();
    assert!(
        groups.contains("\"KeptGroup\"") && groups.contains("\"retryMaxTimes\":7"),
        "{groups}"
    );
    let query = RemotingCommand::request(RequestCode::QUERY_CONSUMER_OFFSET).with_header(
        &QueryConsumerOffsetRequestHeader {
            consumer_group: "KeptGroup".into(),
            topic: "KeptTopic".into(),
            queue_id: 3,
            set_zero_if_not_found: None,
        },
    );
    let r = c.call(query).await;
    assert_eq!((r.code, ext_i64(&r, "offset")), (0, 42), "{r:?}");
}

#[tokio::test]
async fn topic_and_group_changes_are_on_disk_before_they_are_acknowledged() {
    let mut c = Broker::start("");
    assert_eq!(c.call(create_topic("DurableTopic", 5)).await.code, 0);
    let group = r#"{"groupName":"DurableGroup","consumeEnable":true,"retryMaxTimes":3}"#;
    let req = RemotingCommand::request(RequestCode::UPDATE_AND_CREATE_SUBSCRIPTIONGROUP)
        .with_body(group.as_bytes().to_vec());
    assert_eq!(c.call(req).await.code, 0);
    // SIGKILL: no chance to write anything on the way out.
    c.cluster.kill_and_restart_broker(0);
    c.client = RemotingClient::default();
    let all = c
        .call(RemotingCommand::request(RequestCode::GET_ALL_TOPIC_CONFIG))
        .await;
    let topics = String::from_utf8_lossy(all.body_bytes()).into_owned();
    assert!(topics.contains("\"DurableTopic\""), "{topics}");
    let r = c
        .call(RemotingCommand::request(
            RequestCode::GET_ALL_SUBSCRIPTIONGROUP_CONFIG,
        ))
        .await;
    let groups = String::from_utf8_lossy(r.body_bytes()).into_owned();
    assert!(groups.contains("\"DurableGroup\""), "{groups}");
}
