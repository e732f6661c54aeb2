//! The admin commands end to end: the `rmqctl` binary against a real `rmqctl namesrv` process and
//! an in-process stand-in broker (tests/admin_support) — tables and JSON as snapshots, exit codes
//! and one-line errors for bad input.

mod admin_support;
mod common;

use admin_support::{normalised, rmqctl, start_fake_broker, stderr, FakeBroker};
use common::ServerProcess;

struct Cluster {
    _dir: tempfile::TempDir,
    ns: ServerProcess,
    broker: FakeBroker,
}

impl Cluster {
    fn ns(&self) -> String {
        self.ns.addr.to_string()
    }

    /// Run rmqctl with `-n` appended; returns (exit code, normalised stdout, stderr).
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let ns = self.ns();
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["-n", &ns]);
        let out = rmqctl(&all);
        let text = normalised(
            &out,
            &[(&self.broker.addr, "BROKER_ADDR"), (&ns, "NAMESRV_ADDR")],
        );
        (out.status.code().unwrap_or(-1), text, stderr(&out))
    }
}

async fn cluster() -> Cluster {
    let dir = tempfile::tempdir().unwrap();
    let ns = common::start_namesrv(dir.path(), 120_000);
    let broker = start_fake_broker(&ns.addr.to_string(), &["TopicTest", "TBW102"]).await;
    Cluster {
        _dir: dir,
        ns,
        broker,
    }
}

/// Run a blocking CLI call without stalling the runtime that serves the stand-in broker.
async fn run(c: &Cluster, args: &[&str]) -> (i32, String, String) {
    tokio::task::block_in_place(|| c.run(args))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn topic_views_and_cluster_status() {
    let c = cluster().await;
    let (code, list, err) = run(&c, &["topic", "list"]).await;
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("topic_list", list);
    let (_, json, _) = run(&c, &["topic", "list", "-o", "json"]).await;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["topics"], serde_json::json!(["TBW102", "TopicTest"]));

    let (code, route, _) = run(&c, &["topic", "route", "-t", "TopicTest"]).await;
    assert_eq!(code, 0);
    insta::assert_snapshot!("topic_route", route);
    let (_, json, _) = run(&c, &["topic", "route", "-t", "TopicTest", "-o", "json"]).await;
    insta::assert_snapshot!("topic_route_json", json);

    let (code, status, _) = run(&c, &["topic", "status", "-t", "TopicTest"]).await;
    assert_eq!(code, 0);
    insta::assert_snapshot!("topic_status", status);

    let (code, table, err) = run(&c, &["cluster", "status"]).await;
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("cluster_status", table);
    let (_, json, _) = run(&c, &["cluster", "status", "-o", "json"]).await;
    insta::assert_snapshot!("cluster_status_json", json);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["brokers"][0]["in_today"], 42);
    assert_eq!(v["brokers"][0]["in_tps"], 12.5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn topic_create_is_idempotent_then_updates_and_delete_asks() {
    let c = cluster().await;
    let (code, out, err) = run(
        &c,
        &["topic", "create", "-t", "Orders", "-r", "4", "-w", "4"],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("topic_create", out);
    let (_, out, _) = run(
        &c,
        &[
            "topic", "create", "-t", "Orders", "-r", "4", "-w", "4", "-o", "json",
        ],
    )
    .await;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["brokers"][0]["status"], "unchanged");
    assert_eq!(
        c.broker.state.lock().unwrap().creates,
        1,
        "a same-value re-run sends nothing"
    );
    let (_, out, _) = run(
        &c,
        &[
            "topic", "create", "-t", "Orders", "-r", "4", "-w", "8", "-o", "json",
        ],
    )
    .await;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["brokers"][0]["status"], "updated");
    let (_, route, _) = run(&c, &["topic", "route", "-t", "Orders", "-o", "json"]).await;
    let v: serde_json::Value = serde_json::from_str(&route).unwrap();
    assert_eq!(v["brokers"][0]["write_queues"], 8, "{route}");

    // Without a terminal and without --yes nothing is deleted.
    let (code, _, err) = run(&c, &["topic", "delete", "-t", "Orders"]).await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--yes"), "{err}");
    let (code, out, err) = run(&c, &["topic", "delete", "-t", "Orders", "--yes"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("deleted topic Orders from cluster DefaultCluster"),
        "{out}"
    );
    let (code, _, err) = run(&c, &["topic", "route", "-t", "Orders"]).await;
    assert_eq!(code, 2, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offsets_group_describe_thresholds_and_reset_preview() {
    let c = cluster().await;
    let (code, out, err) = run(&c, &["offsets", "-t", "TopicTest", "-g", "cg1"]).await;
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("offsets_group", out);
    let (code, _, err) = run(
        &c,
        &[
            "offsets",
            "-t",
            "TopicTest",
            "-g",
            "cg1",
            "--fail-above",
            "17",
        ],
    )
    .await;
    assert_eq!(code, 3, "{err}");

    let (code, out, _) = run(&c, &["group", "list"]).await;
    assert_eq!(code, 0);
    insta::assert_snapshot!("group_list", out);
    let (code, out, _) = run(&c, &["group", "describe", "-g", "cg1"]).await;
    assert_eq!(code, 0);
    insta::assert_snapshot!("group_describe", out);
    let (_, json, _) = run(&c, &["group", "describe", "-g", "cg1", "-o", "json"]).await;
    insta::assert_snapshot!("group_describe_json", json);
    let (code, _, err) = run(
        &c,
        &["group", "describe", "-g", "cg1", "--fail-above", "17"],
    )
    .await;
    assert_eq!(code, 3);
    assert!(err.contains("total lag 18 is above 17"), "{err}");
    let (code, _, _) = run(
        &c,
        &["group", "describe", "-g", "cg1", "--fail-above", "18"],
    )
    .await;
    assert_eq!(code, 0);

    let before = c.broker.state.lock().unwrap().consumer_offsets.clone();
    let (code, out, _) = run(
        &c,
        &[
            "group",
            "reset",
            "-g",
            "cg1",
            "-t",
            "TopicTest",
            "--to-earliest",
        ],
    )
    .await;
    assert_eq!(code, 0);
    insta::assert_snapshot!("group_reset_preview", out);
    assert_eq!(
        c.broker.state.lock().unwrap().consumer_offsets,
        before,
        "a preview changes nothing"
    );
    let (code, out, err) = run(
        &c,
        &[
            "group",
            "reset",
            "-g",
            "cg1",
            "-t",
            "TopicTest",
            "--to-earliest",
            "--execute",
        ],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("reset applied (offline)"), "{out}");
    let state = c.broker.state.lock().unwrap().consumer_offsets.clone();
    assert_eq!(state.len(), 4);
    assert!(state.values().all(|o| *o == 0), "{state:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broker_status_and_config() {
    let c = cluster().await;
    let (code, out, err) = run(&c, &["broker", "status", "broker-a"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("putTps") && out.contains("12.5 10.0 9.0"),
        "{out}"
    );
    let (code, out, err) = run(
        &c,
        &[
            "broker",
            "config",
            "set",
            "-b",
            "broker-a",
            "brokerPermission",
            "4",
        ],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("set brokerPermission=4 on BROKER_ADDR"),
        "{out}"
    );
    assert_eq!(
        c.broker.state.lock().unwrap().config["brokerPermission"],
        "4"
    );
    let (_, json, _) = run(&c, &["broker", "config", "get", "broker-a", "-o", "json"]).await;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["values"]["brokerPermission"], "4");
    assert_eq!(v["broker_name"], "broker-a");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_one_line_with_exit_2_and_remote_failures_exit_1() {
    let c = cluster().await;
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["topic", "route", "-t", "Missing"],
            2,
            "topic \"Missing\" does not exist",
        ),
        (
            &["topic", "status", "-t", "Missing"],
            2,
            "rmqctl topic list",
        ),
        (
            &["topic", "create", "-t", "X", "-p", "7"],
            2,
            "perm 7 is not valid",
        ),
        (
            &["topic", "create", "-t", "X", "-w", "0"],
            2,
            "write queue count 0",
        ),
        (&["topic", "create", "-t", "bad name"], 2, "contains ' '"),
        (
            &["topic", "list", "-c", "NoSuchCluster"],
            2,
            "known clusters: DefaultCluster",
        ),
        (
            &["group", "describe", "-g", "nope"],
            2,
            "consumer group \"nope\" does not exist",
        ),
        (
            &["broker", "status", "broker-z"],
            2,
            "broker \"broker-z\" is not registered",
        ),
        (
            &[
                "group",
                "reset",
                "-g",
                "cg1",
                "-t",
                "TopicTest",
                "--to-time",
                "yesterday",
            ],
            2,
            "not a time",
        ),
    ];
    for (args, want, text) in cases {
        let (code, _, err) = run(&c, args).await;
        assert_eq!(code, *want, "{args:?}: {err}");
        assert!(err.contains(text), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // Unreachable name server: exit 1, the address named.
    let out = rmqctl(&["topic", "list", "-n", "127.0.0.1:1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("127.0.0.1:1"), "{}", stderr(&out));
    let out = rmqctl(&["cluster", "status", "-n", "localhost"]);
    assert_eq!(out.status.code(), Some(2));
    let out = rmqctl(&["cluster", "status"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("NAMESRV_ADDR"));
    let out = rmqctl(&["cluster", "status", "-i", "/nonexistent/inventory.toml"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_name_server_that_answers_and_env_address() {
    let c = cluster().await;
    let both = format!("127.0.0.1:1;{}", c.ns());
    let out = tokio::task::block_in_place(|| rmqctl(&["topic", "list", "-n", &both]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("TopicTest"));
    let out = tokio::task::block_in_place(|| {
        std::process::Command::new(env!("CARGO_BIN_EXE_rmqctl"))
            .args(["topic", "list", "-o", "json"])
            .env("NAMESRV_ADDR", c.ns())
            .output()
            .unwrap()
    });
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"TopicTest\""));
}
