//! fastjson body fixtures from remoting-protocol.md section 5: each parses and re-serialises
//! byte-identically.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap fails the run, saying where

use rmqctl::protocol::fastjson;
use rmqctl::protocol::kv::KvTable;
use rmqctl::protocol::route::{ClusterInfo, TopicRouteData};
use rmqctl::protocol::topic::{DataVersion, RegisterBrokerBody, TopicList};
use serde::{de::DeserializeOwned, Serialize};

fn round_trip<T: Serialize + DeserializeOwned>(text: &str) -> T {
    let v: T = fastjson::from_slice(text.as_bytes()).expect("fixture parses");
    assert_eq!(
        fastjson::to_string(&v).unwrap(),
        text,
        "re-serialised text differs"
    );
    v
}

const ROUTE_DEFAULT: &str = r#"{"brokerDatas":[{"brokerAddrs":{0:"192.168.1.20:10911",1:"192.168.1.21:10911"},"brokerName":"broker-a","cluster":"DefaultCluster","enableActingMaster":false}],"filterServerTable":{},"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4}]}"#;
const ROUTE_STANDARD: &str = r#"{"brokerDatas":[{"brokerAddrs":{"0":"192.168.1.20:10911","1":"192.168.1.21:10911"},"brokerName":"broker-a","cluster":"DefaultCluster","enableActingMaster":false}],"filterServerTable":{},"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4}]}"#;

#[test]
fn topic_route_data_default_and_standard_forms() {
    let route: TopicRouteData = round_trip(ROUTE_DEFAULT);
    assert_eq!(
        route.broker_datas[0].master_addr(),
        Some("192.168.1.20:10911")
    );
    assert_eq!(
        fastjson::to_string_standard(&route).unwrap(),
        ROUTE_STANDARD
    );
    let standard: TopicRouteData = fastjson::from_slice(ROUTE_STANDARD.as_bytes()).unwrap();
    assert_eq!(standard, route);
}

#[test]
fn cluster_info() {
    let info: ClusterInfo = round_trip(
        r#"{"brokerAddrTable":{"broker-a":{"brokerAddrs":{0:"192.168.1.20:10911",1:"192.168.1.21:10911"},"brokerName":"broker-a","cluster":"DefaultCluster","enableActingMaster":false}},"clusterAddrTable":{"DefaultCluster":["broker-a"]}}"#,
    );
    assert!(info.cluster_addr_table["DefaultCluster"].contains("broker-a"));
}

#[test]
fn register_broker_body() {
    let body: RegisterBrokerBody = round_trip(
        r#"{"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":{"counter":3,"stateVersion":0,"timestamp":1700000000000},"mappingDataVersion":{"counter":0,"stateVersion":0,"timestamp":1700000000000},"topicConfigTable":{"TopicTest":{"attributes":{},"order":false,"perm":6,"readQueueNums":8,"topicFilterType":"SINGLE_TAG","topicName":"TopicTest","topicSysFlag":0,"writeQueueNums":8}},"topicQueueMappingDetailMap":{},"topicQueueMappingInfoMap":{}}}"#,
    );
    let table = &body.topic_config_serialize_wrapper.topic_config_table;
    assert_eq!(table["TopicTest"].read_queue_nums, 8);
}

#[test]
fn register_broker_body_4x_shape_without_mapping_fields() {
    let text = r#"{"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":{"counter":1,"timestamp":1700000000000},"topicConfigTable":{"T":{"order":false,"perm":6,"readQueueNums":4,"topicFilterType":"SINGLE_TAG","topicName":"T","topicSysFlag":0,"writeQueueNums":4}}}}"#;
    let body: RegisterBrokerBody = fastjson::from_slice(text.as_bytes()).unwrap();
    assert_eq!(body.topic_config_serialize_wrapper.data_version.counter, 1);
}

#[test]
fn compressed_register_body_round_trip() {
    let body: RegisterBrokerBody = fastjson::from_slice(
        br#"{"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":{"counter":3,"stateVersion":0,"timestamp":1700000000000},"topicConfigTable":{"TopicTest":{"attributes":{},"order":false,"perm":6,"readQueueNums":8,"topicFilterType":"SINGLE_TAG","topicName":"TopicTest","topicSysFlag":0,"writeQueueNums":8}}}}"#,
    )
    .unwrap();
    let bytes = body.encode_compressed();
    let back = RegisterBrokerBody::decode_compressed(&bytes).unwrap();
    assert_eq!(back, body);
    assert!(RegisterBrokerBody::decode_compressed(&bytes[..bytes.len() / 2]).is_err());
    assert!(RegisterBrokerBody::decode_compressed(b"not zlib").is_err());
}

#[test]
fn small_bodies() {
    let dv: DataVersion = round_trip(r#"{"counter":3,"stateVersion":0,"timestamp":1700000000000}"#);
    assert_eq!(dv.counter, 3);
    let tl: TopicList = round_trip(r#"{"topicList":["TBW102","TopicTest"]}"#);
    assert_eq!(tl.topic_list.len(), 2);
    let kv: KvTable =
        round_trip(r#"{"table":{"brokerVersionDesc":"V5_3_3","putTps":"0.0 0.0 0.0"}}"#);
    assert_eq!(kv.table["putTps"], "0.0 0.0 0.0");
}

mod consumer_bodies {
    use super::round_trip;
    use rmqctl::protocol::consumer::*;

    #[test]
    fn topic_stats_table_with_message_queue_keys() {
        let t: TopicStatsTable = round_trip(
            r#"{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"TopicTest"}:{"lastUpdateTimestamp":1700000000123,"maxOffset":10,"minOffset":0},{"brokerName":"broker-a","queueId":1,"topic":"TopicTest"}:{"lastUpdateTimestamp":1700000000123,"maxOffset":10,"minOffset":0}},"topicPutTps":1.5}"#,
        );
        assert_eq!(t.offset_table.len(), 2);
    }

    #[test]
    fn consume_stats() {
        let c: ConsumeStats = round_trip(
            r#"{"consumeTps":0.0,"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"TopicTest"}:{"brokerOffset":10,"consumerOffset":7,"lastTimestamp":1700000000456,"pullOffset":8}}}"#,
        );
        assert_eq!(c.total_diff(), 3);
    }

    #[test]
    fn string_keys_holding_objects_are_read_too() {
        let text = r#"{"offsetTable":{"{\"brokerName\":\"b\",\"queueId\":2,\"topic\":\"t\"}":5}}"#;
        let r: ResetOffsetBody = rmqctl::protocol::fastjson::from_slice(text.as_bytes()).unwrap();
        let (mq, off) = r.offset_table.iter().next().unwrap();
        assert_eq!((mq.queue_id, *off), (2, 5));
    }

    #[test]
    fn other_consumer_bodies() {
        round_trip::<ResetOffsetBody>(
            r#"{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"TopicTest"}:5}}"#,
        );
        round_trip::<ConsumerOffsetSerializeWrapper>(
            r#"{"dataVersion":{"counter":3,"stateVersion":0,"timestamp":1700000000000},"offsetTable":{"TopicTest@cg1":{0:5,1:7}}}"#,
        );
        round_trip::<LockBatchRequestBody>(
            r#"{"clientId":"192.168.1.10@12345","consumerGroup":"cg1","mqSet":[{"brokerName":"broker-a","queueId":0,"topic":"TopicTest"}],"onlyThisBroker":false}"#,
        );
        round_trip::<LockBatchResponseBody>(
            r#"{"lockOKMQSet":[{"brokerName":"broker-a","queueId":0,"topic":"TopicTest"}]}"#,
        );
        round_trip::<GroupList>(r#"{"groupList":["cg1"]}"#);
        round_trip::<ConsumerIdList>(r#"{"consumerIdList":["192.168.1.10@12345#98765432"]}"#);
        round_trip::<ConsumerConnection>(
            r#"{"connectionSet":[{"clientAddr":"192.168.1.10:54321","clientId":"192.168.1.10@12345","language":"JAVA","version":479}],"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","consumeType":"CONSUME_PASSIVELY","messageModel":"CLUSTERING","subscriptionTable":{"TopicTest":{"classFilterMode":false,"codeSet":[2598919,2598920],"expressionType":"TAG","subString":"TagA || TagB","subVersion":1700000000789,"tagsSet":["TagA","TagB"],"topic":"TopicTest"}}}"#,
        );
        round_trip::<SubscriptionGroupConfig>(
            r#"{"attributes":{},"brokerId":0,"consumeBroadcastEnable":true,"consumeEnable":true,"consumeFromMinEnable":true,"consumeMessageOrderly":false,"consumeTimeoutMinute":15,"groupName":"cg1","groupSysFlag":0,"notifyConsumerIdsChangedEnable":true,"retryMaxTimes":16,"retryQueueNums":1,"whichBrokerWhenConsumeSlowly":1}"#,
        );
    }
}
