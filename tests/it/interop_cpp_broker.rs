//! Interop with the Apache C++ client (PyPI rocketmq 0.4.4) through our own `rmqctl namesrv` and
//! `rmqctl broker` processes: 10,000 tagged messages sent and all consumed by a push and by a pull
//! consumer with a tag filter, and a push consumer's offsets surviving a broker restart. Long
//! runs: they need `RMQCTL_SLOW_TESTS=1` (tests/run.sh sets it).

use crate::common;

use common::Cluster;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

/// Messages each consumer must see.
const MESSAGES: usize = 10_000;
/// Messages with a tag the consumers filter out.
const NOISE: usize = 1_000;

/// `count` messages from body number `start` through `cluster`, tags cycling through `tags`.
fn send(cluster: &Cluster, python: &Path, topic: &str, count: usize, tags: &str, start: usize) {
    let sent = common::run_cpp_json(
        python,
        "cpp_send_many.py",
        &[
            &cluster.ns(),
            topic,
            &count.to_string(),
            tags,
            &start.to_string(),
        ],
        cluster.home(),
    );
    assert_eq!(
        sent,
        json!({"sent_ok": count, "failed": 0}),
        "C++ sends; broker log:\n{}",
        tail(&cluster.broker().log_text())
    );
}

/// `rmqctl offsets -t TOPIC [-g GROUP] -o json`: per queue id, (max offset, committed offset).
fn offsets(
    cluster: &Cluster,
    topic: &str,
    group: Option<&str>,
) -> BTreeMap<i64, (i64, Option<i64>)> {
    let ns = cluster.ns();
    let mut args = vec!["offsets", "-n", &ns, "-t", topic, "-o", "json"];
    if let Some(g) = group {
        args.extend(["-g", g]);
    }
    let out = common::rmqctl(&args);
    assert!(
        out.status.success(),
        "rmqctl offsets: {}",
        common::stderr(&out)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("offsets JSON");
    report["queues"]
        .as_array()
        .expect("queues")
        .iter()
        .map(|q| {
            let id = q["queue_id"].as_i64().expect("queue_id");
            let max = q["max_offset"].as_i64().expect("max_offset");
            (id, (max, q["consumer_offset"].as_i64()))
        })
        .collect()
}

/// Wait (max 60 s) until `group`'s committed offset of every queue reaches `consumed_to`: the
/// end of the messages it consumed. The C++ consumer commits in its pulls, every 5 s, and
/// oneway at shutdown (before its synchronous UNREGISTER_CLIENT on the same connection);
/// restarting the broker only once the broker holds them makes the restart test what it
/// should: that the broker keeps what it accepted, not how a client's last commit races it.
fn wait_committed(cluster: &Cluster, topic: &str, group: &str, consumed_to: &BTreeMap<i64, i64>) {
    let start = Instant::now();
    loop {
        let now = offsets(cluster, topic, Some(group));
        let behind: Vec<String> = consumed_to
            .iter()
            .filter(|(q, end)| now.get(q).and_then(|(_, c)| *c) < Some(**end))
            .map(|(q, end)| format!("queue {q}: {:?} < {end}", now.get(q).and_then(|e| e.1)))
            .collect();
        if behind.is_empty() {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{group} never committed what it consumed: {behind:?}; broker log:\n{}",
            tail(&cluster.broker().log_text())
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

fn assert_consumed(result: &Value, key: &str, expected: usize, tags: &[&str]) {
    assert_eq!(result[key], json!(expected), "{result}");
    assert_eq!(result["distinct"], json!(expected), "duplicates: {result}");
    assert_eq!(result["tags"], json!(tags), "tag filter: {result}");
}

#[test]
fn cpp_push_consumer_gets_10000_tagged_messages_and_its_offsets_survive_a_broker_restart() {
    if !common::slow_tests_enabled() {
        return;
    }
    let Some(python) = common::cpp_client_python() else {
        return;
    };
    let mut cluster = Cluster::single();
    let topic = "CppPushTopic";
    send(&cluster, &python, topic, MESSAGES, "TagA,TagB", 0);
    // Where each queue's tagged messages end: the consumer's offsets must reach these.
    let tagged_end: BTreeMap<i64, i64> = offsets(&cluster, topic, None)
        .into_iter()
        .map(|(q, (max, _))| (q, max))
        .collect();
    assert_eq!(tagged_end.values().sum::<i64>(), MESSAGES as i64);
    send(&cluster, &python, topic, NOISE, "TagC", MESSAGES);
    let ns = cluster.ns();
    let first = common::run_cpp_json(
        &python,
        "cpp_push_count.py",
        &[
            &ns,
            topic,
            "TagA || TagB",
            "cpp_push_group",
            "60",
            "10000",
            "2",
        ],
        cluster.home(),
    );
    assert_consumed(&first, "consumed", MESSAGES, &["TagA", "TagB"]);
    wait_committed(&cluster, topic, "cpp_push_group", &tagged_end);

    cluster.restart_broker(0);
    common::wait_for_route(cluster.namesrv.addr, topic);
    let later = 20_000;
    send(&cluster, &python, topic, 100, "TagA", later);
    let second = common::run_cpp_json(
        &python,
        "cpp_push_count.py",
        &[
            &ns,
            topic,
            "TagA || TagB",
            "cpp_push_group",
            "30",
            "100",
            "3",
        ],
        cluster.home(),
    );
    assert_consumed(&second, "consumed", 100, &["TagA"]);
    assert_eq!(
        second["bodies_min"],
        json!(later),
        "messages consumed before the restart came again: {second}"
    );
}

#[test]
fn cpp_pull_consumer_gets_10000_tagged_messages() {
    if !common::slow_tests_enabled() {
        return;
    }
    let Some(python) = common::cpp_client_python() else {
        return;
    };
    let cluster = Cluster::single();
    let topic = "CppPullTopic";
    send(&cluster, &python, topic, MESSAGES, "TagA,TagB", 0);
    send(&cluster, &python, topic, NOISE, "TagC", MESSAGES);
    let pulled = common::run_cpp_json(
        &python,
        "cpp_pull_count.py",
        &[&cluster.ns(), topic, "cpp_pull_group", "TagA || TagB"],
        cluster.home(),
    );
    assert_consumed(&pulled, "pulled", MESSAGES, &["TagA", "TagB"]);
    let only_c = common::run_cpp_json(
        &python,
        "cpp_pull_count.py",
        &[&cluster.ns(), topic, "cpp_pull_group_c", "TagC"],
        cluster.home(),
    );
    assert_consumed(&only_c, "pulled", NOISE, &["TagC"]);
}
