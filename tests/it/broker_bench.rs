//! `rmqctl bench produce|consume` against a real `rmqctl broker`: both modes move messages,
//! report sane JSON and exit 0; bad usage exits 2; degraded sends are counted as such (and
//! `message send` names their status).

use crate::common;

use common::Cluster;
use serde_json::Value;

fn bench(args: &[&str]) -> (i32, Value, String) {
    let out = common::rmqctl(&[&["bench"], args].concat());
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), json, stderr)
}

#[test]
fn produce_then_consume_through_the_name_server() {
    let cluster = Cluster::single();
    let ns = cluster.ns();
    let common_args = ["-n", &ns, "-t", "BenchT", "--duration", "1", "-o", "json"];

    let mut produce = common_args.to_vec();
    produce.extend(["--producers", "4", "--connections", "2", "--size", "512"]);
    let (code, single, err) = bench(&[&["produce"], produce.as_slice()].concat());
    assert_eq!(code, 0, "{err}");
    assert_eq!(single["errors"], 0, "{single}");
    assert_eq!(single["degraded"], 0, "{single}");
    assert_eq!(single["message_size"], 512);
    let sent_single = single["messages"].as_u64().unwrap();
    assert!(sent_single > 0, "{single}");
    let p50 = single["latency_ms"]["p50"].as_f64().unwrap();
    let p999 = single["latency_ms"]["p999"].as_f64().unwrap();
    assert!(p50 > 0.0 && p50 <= p999, "{single}");

    produce.extend(["--batch", "8"]);
    let (code, batched, err) = bench(&[&["produce"], produce.as_slice()].concat());
    assert_eq!(code, 0, "{err}");
    let sent_batched = batched["messages"].as_u64().unwrap();
    assert_eq!(sent_batched % 8, 0, "{batched}");
    assert_eq!(batched["requests"].as_u64().unwrap() * 8, sent_batched);

    // Each consume run reads every queue from its start for --duration seconds: longer runs
    // until one drained all that was produced (a busy machine needs more than the first 4 s).
    let produced = sent_single + sent_batched;
    let mut consumed = Value::Null;
    for duration in ["4", "8", "16", "32", "64"] {
        let consume = [
            "consume",
            "-n",
            &ns,
            "-t",
            "BenchT",
            "--duration",
            duration,
            "-o",
            "json",
        ];
        let (code, run, err) = bench(&consume);
        assert_eq!(code, 0, "{err}");
        assert_eq!(run["errors"], 0, "{run}");
        let messages = run["messages"].as_u64().unwrap();
        assert!(
            messages <= produced,
            "{messages} consumed of {produced}: {run}"
        );
        consumed = run;
        if messages == produced {
            break;
        }
    }
    assert_eq!(
        consumed["messages"].as_u64().unwrap(),
        produced,
        "not all produced messages consumed in a 64 s run: {consumed}"
    );
}

#[test]
fn bench_without_a_target_is_a_usage_error() {
    let out = common::rmqctl(&["bench", "produce", "--duration", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-b ADDR"));
}

/// A SYNC_MASTER without a slave stores each message but answers SLAVE_NOT_AVAILABLE (11):
/// bench counts such sends as degraded, and `message send` reports the status by its name.
#[test]
fn sends_to_a_sync_master_without_a_slave_are_degraded() {
    let cluster = Cluster::single_with("brokerRole=SYNC_MASTER\n");
    let ns = cluster.ns();
    let target = ["-n", ns.as_str(), "-t", "DegradedT", "-o", "json"];
    let produce = [&["produce"], &target[..], &["--duration", "1"]].concat();
    let (code, stats, err) = bench(&produce);
    assert_eq!(code, 0, "{err}");
    assert_eq!(stats["errors"], 0, "{stats}");
    assert!(stats["messages"].as_u64().unwrap() > 0, "{stats}");
    assert_eq!(stats["degraded"], stats["messages"], "{stats}");

    let out = common::rmqctl(&[&["message", "send", "--body", "x"], &target[..]].concat());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let sent: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(sent["status"], "SLAVE_NOT_AVAILABLE", "{sent}");
}
