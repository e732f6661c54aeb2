//! A `rmqctl broker` stopped with SIGTERM keeps every consumer offset committed before the signal:
//! UPDATE_CONSUMER_OFFSET frames (oneway and answered ones) written by several raw connections
//! right before SIGTERM are all in `consumerOffset.json` after the restart (issue 17: Apache
//! persists offsets on a clean stop after the last request it accepted).

use crate::common;

use common::BrokerSpec;
use rmqctl::remoting::client::RemotingClient;
use rmqctl::remoting::frame::encode_frame;
use rmqctl::remoting::headers::{
    OffsetResponseHeader, QueryConsumerOffsetRequestHeader, UpdateConsumerOffsetRequestHeader,
};
use rmqctl::remoting::{RemotingCommand, RequestCode, ResponseCode};
use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

const TOPIC: &str = "ShutdownOffsetTopic";
const QUEUES: i32 = 4;
/// Raw connections committing at once, one consumer group each.
const CONNECTIONS: usize = 8;
/// Commits per connection and round: ~60 KiB of frames, which the socket's receive buffer holds,
/// so every frame has reached the broker when `write_all` returns.
const COMMITS: i64 = 300;
const ROUNDS: i64 = 3;

fn group(connection: usize) -> String {
    format!("shutdown_group_{connection}")
}

/// The commits of one connection in one round, as frames: queue `i % 4` gets offset
/// `round * COMMITS + i + 1`, so each queue's last commit is its largest. Every other frame is
/// oneway (the last one of a queue is oneway on half of the connections).
fn commit_frames(connection: usize, round: i64) -> Vec<u8> {
    let mut out = bytes::BytesMut::new();
    for i in 0..COMMITS {
        let header = UpdateConsumerOffsetRequestHeader {
            consumer_group: group(connection),
            topic: TOPIC.into(),
            queue_id: (i % i64::from(QUEUES)) as i32,
            commit_offset: round * COMMITS + i + 1,
        };
        let mut request =
            RemotingCommand::request(RequestCode::UPDATE_CONSUMER_OFFSET).with_header(&header);
        request.opaque = i as i32;
        if (i + connection as i64) % 2 == 0 {
            request = request.oneway();
        }
        encode_frame(&request, &mut out).unwrap();
    }
    out.to_vec()
}

/// The last offset each queue was given in `round`.
fn expected_offset(round: i64, queue_id: i32) -> i64 {
    let last_i = (0..COMMITS)
        .filter(|i| i % i64::from(QUEUES) == i64::from(queue_id))
        .max()
        .unwrap();
    round * COMMITS + last_i + 1
}

/// The offset the broker holds for `group` on a queue; `None` when it knows none (QUERY_NOT_FOUND).
async fn query_offset(
    client: &RemotingClient,
    broker: SocketAddr,
    group: &str,
    queue: i32,
) -> Option<i64> {
    let request = RemotingCommand::request(RequestCode::QUERY_CONSUMER_OFFSET).with_header(
        &QueryConsumerOffsetRequestHeader {
            consumer_group: group.into(),
            topic: TOPIC.into(),
            queue_id: queue,
            set_zero_if_not_found: Some(false),
        },
    );
    let response = client
        .invoke(&broker.to_string(), request, Duration::from_secs(10))
        .await
        .unwrap_or_else(|e| panic!("QUERY_CONSUMER_OFFSET {group} queue {queue}: {e}"));
    if response.code == ResponseCode::QUERY_NOT_FOUND.code() {
        return None;
    }
    assert!(response.is_success(), "QUERY_CONSUMER_OFFSET: {response:?}");
    Some(
        response
            .header::<OffsetResponseHeader>()
            .expect("offset header")
            .offset,
    )
}

fn tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offsets_committed_right_before_sigterm_survive_the_restart() {
    let dir = tempfile::tempdir().unwrap();
    let namesrv = common::start_namesrv(dir.path(), 120_000);
    let mut broker = common::start_broker(dir.path(), namesrv.addr, &BrokerSpec::default());
    let home = dir.path().join("broker-a-0");
    for round in 0..ROUNDS {
        // Every connection writes its whole burst; the responses are never read.
        let mut connections = Vec::new();
        for c in 0..CONNECTIONS {
            let mut stream = TcpStream::connect(broker.addr).unwrap();
            stream.write_all(&commit_frames(c, round)).unwrap();
            connections.push(stream);
        }
        let status = broker.terminate();
        assert!(status.success(), "broker exit: {status}");
        drop(connections);
        let stopped_log = broker.log_text();
        let port = broker.addr.port();
        broker = common::restart_broker(&home, port);
        let client = RemotingClient::default();
        let mut lost = Vec::new();
        for c in 0..CONNECTIONS {
            for queue in 0..QUEUES {
                let offset = query_offset(&client, broker.addr, &group(c), queue).await;
                let expected = expected_offset(round, queue);
                if offset != Some(expected) {
                    lost.push(format!("{} q{queue}: {offset:?} != {expected}", group(c)));
                }
            }
        }
        assert!(
            lost.is_empty(),
            "round {round}: commits made before SIGTERM were lost: {lost:?}\nlog of the stopped broker:\n{}",
            tail(&stopped_log)
        );
    }
}
