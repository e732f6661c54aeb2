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

/// What became of one send.
#[derive(Debug, PartialEq)]
enum Outcome {
    Acked,
    Refused {
        code: i32,
        remark: String,
    },
    /// The broker closed the connection without an answer.
    NoAnswer,
}

/// A 16 KiB body that starts with its number.
fn numbered_body(i: usize) -> Vec<u8> {
    format!("{i:04}").repeat(4096).into_bytes()
}

async fn send_numbered(client: &mut RemotingClient, addr: &str, i: usize) -> Outcome {
    let req = wire::send_v2(
        "RecoverTopic",
        0,
        numbered_body(i),
        &common::props("", "", &format!("R{i}")),
    );
    match client.invoke(addr, req, wire::TIMEOUT).await {
        Ok(r) if r.code == 0 => Outcome::Acked,
        Ok(r) => Outcome::Refused {
            code: r.code,
            remark: r.remark.unwrap_or_default(),
        },
        Err(_) => {
            // A fresh client: the closed connection is not reused.
            *client = RemotingClient::default();
            Outcome::NoAnswer
        }
    }
}

/// The disk of a running broker fills up, then space is freed: sends are refused meanwhile
/// (first when a new commit-log file cannot be created, then when a write into the current one
/// fails: its preallocation undone by a punched hole, as on file systems without `fallocate`)
/// and succeed again without a restart. Every message acked before, during and after is stored
/// exactly once; one whose connection closed unanswered is stored once (written when the disk
/// took it); a refused one is not stored.
#[tokio::test]
async fn full_disk_then_freed_space_sends_recover_without_restart() {
    let dir = tempfile::tempdir().unwrap();
    let disk_dir = dir.path().join("disk");
    let Some(disk) = common::SmallDisk::mount(&disk_dir, 8) else {
        return;
    };
    let ns = common::start_namesrv(dir.path(), 120_000);
    let store = disk_dir.join("store");
    let extra = format!(
        "mappedFileSizeCommitLog=1048576\nmappedFileSizeConsumeQueue=6000\ndiskMaxUsedSpaceRatio=100\nstorePathRootDir={}",
        store.display()
    );
    let spec = BrokerSpec {
        extra: &extra,
        ..BrokerSpec::default()
    };
    let broker = common::start_broker(dir.path(), ns.addr, &spec);
    let addr = broker.addr.to_string();
    let mut client = RemotingClient::default();
    let ballast = disk_dir.join("ballast");
    let mut outcomes: Vec<(usize, Outcome)> = Vec::new();
    let mut next = 0usize;
    let cap = std::time::Duration::from_secs(60);

    // 1. Room for 2 MiB less: sends fill the rest until a new commit-log file does not fit.
    std::fs::write(&ballast, vec![0u8; 2 << 20]).unwrap();
    loop {
        let outcome = send_numbered(&mut client, &addr, next).await;
        next += 1;
        let acked = outcome == Outcome::Acked;
        outcomes.push((next - 1, outcome));
        if !acked {
            break;
        }
        assert!(next < 400, "the disk never filled");
    }
    let (_, first_refusal) = outcomes.last().unwrap();
    assert!(
        matches!(first_refusal, Outcome::Refused { code, .. } if *code == ResponseCode::SERVICE_NOT_AVAILABLE.code()),
        "{first_refusal:?}"
    );
    std::fs::remove_file(&ballast).unwrap();
    let start = std::time::Instant::now();
    loop {
        let outcome = send_numbered(&mut client, &addr, next).await;
        next += 1;
        let acked = outcome == Outcome::Acked;
        outcomes.push((next - 1, outcome));
        if acked {
            break;
        }
        assert!(
            start.elapsed() < cap,
            "sends still refused {cap:?} after space was freed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // 2. The new commit-log file loses its allocation past a few records; the disk fills.
    let stored = wire::pull_all(&client, &addr, "RecoverTopic", 0).await;
    let last = stored.last().unwrap().commit_log_offset as u64;
    let segment = last - last % (1 << 20);
    let hole_from = (last + 64 * 1024).div_ceil(4096) * 4096;
    assert!(hole_from < segment + (1 << 20) - 256 * 1024, "{last}");
    common::punch_hole(
        &store.join(format!("commitlog/{segment:020}")),
        hole_from - segment,
    );
    disk.fill(&ballast);
    let mut refused_during = 0;
    let start = std::time::Instant::now();
    while refused_during < 3 {
        let outcome = send_numbered(&mut client, &addr, next).await;
        next += 1;
        if let Outcome::Refused { code, remark } = &outcome {
            assert_eq!(*code, ResponseCode::SERVICE_NOT_AVAILABLE.code());
            assert!(remark.contains("cannot write its commit log"), "{remark}");
            refused_during += 1;
        }
        outcomes.push((next - 1, outcome));
        assert!(start.elapsed() < cap, "no write failure: {outcomes:?}");
    }
    // Reads go on and stop before the unwritten record (none is skipped).
    let acked_so_far = outcomes
        .iter()
        .filter(|(_, o)| *o == Outcome::Acked)
        .count();
    let readable = wire::pull_all(&client, &addr, "RecoverTopic", 0).await;
    assert_eq!(readable.len(), acked_so_far, "{}", broker.log_text());

    // 3. Space returns: sends succeed again, with no restart.
    std::fs::remove_file(&ballast).unwrap();
    let start = std::time::Instant::now();
    let mut acked_after = 0;
    while acked_after < 3 {
        let outcome = send_numbered(&mut client, &addr, next).await;
        next += 1;
        if outcome == Outcome::Acked {
            acked_after += 1;
        }
        outcomes.push((next - 1, outcome));
        assert!(
            start.elapsed() < cap,
            "sends still refused {cap:?} after space was freed\n{}",
            broker.log_text()
        );
    }

    let count = |f: fn(&Outcome) -> bool| outcomes.iter().filter(|(_, o)| f(o)).count();
    eprintln!(
        "sends: {} acked, {} refused, {} unanswered",
        count(|o| *o == Outcome::Acked),
        count(|o| matches!(o, Outcome::Refused { .. })),
        count(|o| *o == Outcome::NoAnswer)
    );
    let stored = wire::pull_all(&client, &addr, "RecoverTopic", 0).await;
    let times_stored = |i: usize| {
        let body = numbered_body(i);
        stored
            .iter()
            .filter(|r| r.body.as_ref() == body.as_slice())
            .count()
    };
    for (i, outcome) in &outcomes {
        let expected = match outcome {
            Outcome::Acked | Outcome::NoAnswer => 1,
            Outcome::Refused { .. } => 0,
        };
        assert_eq!(
            times_stored(*i),
            expected,
            "send {i}: {outcome:?}\n{}",
            broker.log_text()
        );
    }
    let log = broker.log_text();
    assert_eq!(log.matches("commit-log write failed").count(), 1, "{log}");
    assert_eq!(
        log.matches("commit-log writes work again").count(),
        1,
        "{log}"
    );
}
