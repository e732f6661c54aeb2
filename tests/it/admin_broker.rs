//! The admin commands against real `rmqctl namesrv` and `rmqctl broker` processes: topic
//! create/status/list/route/delete, cluster status, broker status and config get/set, a message
//! round trip (send, consume, get by both ids, query by key), offsets, group list/describe/reset
//! and the `--fail-above` exit code.

use crate::common;

use common::{rmqctl, stderr, BrokerSpec, Cluster};

/// `rmqctl ARGS -n NS -o json` against `c`, which must succeed.
fn json(c: &Cluster, args: &[&str]) -> serde_json::Value {
    let ns = c.ns();
    let mut all = args.to_vec();
    all.extend(["-n", ns.as_str(), "-o", "json"]);
    let out = rmqctl(&all);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

#[test]
fn topics_cluster_and_a_message_round_trip_on_the_bundled_broker() {
    let c = Cluster::single();
    let ns = c.ns();
    let j = |args: &[&str]| json(&c, args);

    let status = j(&["cluster", "status"]);
    assert_eq!(status["brokers"][0]["broker_name"], "broker-a");
    assert_eq!(status["brokers"][0]["role"], "MASTER");
    assert!(status["brokers"][0]["version"].is_string(), "{status}");

    let created = j(&["topic", "create", "-t", "Smoke", "-r", "2", "-w", "2"]);
    assert_eq!(created["brokers"][0]["status"], "created");
    common::wait_for_route(c.namesrv.addr, "Smoke");
    let again = j(&["topic", "create", "-t", "Smoke", "-r", "2", "-w", "2"]);
    assert_eq!(again["brokers"][0]["status"], "unchanged");
    let route = j(&["topic", "route", "-t", "Smoke"]);
    assert_eq!(route["brokers"][0]["write_queues"], 2);

    let sent = j(&[
        "message", "send", "-t", "Smoke", "--tag", "TagA", "-k", "order-1", "--body", "hello",
    ]);
    assert_eq!(sent["status"], "SEND_OK");
    let msg_id = sent["msg_id"].as_str().unwrap().to_string();
    let offset_id = sent["offset_msg_id"].as_str().unwrap().to_string();

    let queues = j(&["topic", "status", "-t", "Smoke"]);
    let total: i64 = queues["queues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["max_offset"].as_i64().unwrap())
        .sum();
    assert_eq!(total, 1, "{queues}");

    let consumed = j(&["message", "consume", "-t", "Smoke"]);
    assert_eq!(consumed["messages"][0]["body"], "hello");
    assert_eq!(consumed["messages"][0]["tags"], "TagA");
    assert_eq!(consumed["messages"][0]["msg_id"], msg_id.as_str());

    let by_offset_id = j(&["message", "get", &offset_id]);
    assert_eq!(by_offset_id["body"], "hello");
    let by_unique_id = j(&["message", "get", &msg_id, "-t", "Smoke"]);
    assert_eq!(by_unique_id["offset_msg_id"], offset_id.as_str());
    let by_key = j(&["message", "query", "-t", "Smoke", "-k", "order-1"]);
    assert_eq!(by_key["messages"].as_array().unwrap().len(), 1);

    // A consumer group with no committed offset lags by the one message; reset to latest clears it.
    let offsets = j(&["offsets", "-t", "Smoke", "-g", "TOOLS_CONSUMER"]);
    assert_eq!(offsets["total_lag"], 1, "{offsets}");
    let plan = j(&[
        "group",
        "reset",
        "-g",
        "TOOLS_CONSUMER",
        "-t",
        "Smoke",
        "--to-latest",
        "--execute",
    ]);
    assert_eq!(plan["executed"], true);
    let offsets = j(&["offsets", "-t", "Smoke", "-g", "TOOLS_CONSUMER"]);
    assert_eq!(offsets["total_lag"], 0, "{offsets}");

    let deleted = j(&["topic", "delete", "-t", "Smoke", "--yes"]);
    assert_eq!(deleted["topic"], "Smoke");
    let out = rmqctl(&["topic", "route", "-t", "Smoke", "-n", &ns]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn broker_status_config_topic_list_and_groups_on_the_bundled_broker() {
    let c = Cluster::single();
    let ns = c.ns();
    let j = |args: &[&str]| json(&c, args);
    let addr = c.broker().addr.to_string();

    let status = j(&["broker", "status", "broker-a"]);
    assert_eq!(status["addr"], addr.as_str());
    assert_eq!(status["values"]["brokerRole"], "ASYNC_MASTER");
    assert!(status["values"]["putTps"].is_string(), "{status}");
    assert!(status["values"]["getTransferedTps"].is_string(), "{status}");

    let config = j(&["broker", "config", "get", &addr]);
    assert_eq!(config["values"]["brokerName"], "broker-a");
    let set = j(&[
        "broker",
        "config",
        "set",
        "-b",
        &addr,
        "brokerPermission",
        "4",
    ]);
    assert_eq!(set["key"], "brokerPermission");
    let config = j(&["broker", "config", "get", &addr]);
    assert_eq!(config["values"]["brokerPermission"], "4", "{config}");
    j(&[
        "broker",
        "config",
        "set",
        "-b",
        &addr,
        "brokerPermission",
        "6",
    ]);
    let bad = rmqctl(&[
        "broker",
        "config",
        "set",
        "-b",
        &addr,
        "brokerRole",
        "SLAVE",
        "-n",
        &ns,
    ]);
    assert_eq!(bad.status.code(), Some(1), "{}", stderr(&bad));

    j(&["topic", "create", "-t", "Listed", "-w", "2", "-r", "2"]);
    let topics = j(&["topic", "list"]);
    let names: Vec<&str> = topics["topics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert!(
        names.contains(&"Listed") && names.contains(&"TBW102"),
        "{topics}"
    );

    // A group with a committed offset behind the queue: describe shows the lag and
    // --fail-above turns it into exit code 3.
    for i in 0..3 {
        let body = format!("m{i}");
        j(&["message", "send", "-t", "Listed", "--body", &body]);
    }
    j(&[
        "group",
        "reset",
        "-g",
        "SELF_TEST_C_GROUP",
        "-t",
        "Listed",
        "--to-earliest",
        "--execute",
    ]);
    let groups = j(&["group", "list", "--all"]);
    assert!(
        groups["groups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["group"] == "TOOLS_CONSUMER"),
        "{groups}"
    );
    let described = j(&["group", "describe", "-g", "SELF_TEST_C_GROUP"]);
    assert_eq!(described["total_lag"], 3, "{described}");
    let over = rmqctl(&[
        "group",
        "describe",
        "-g",
        "SELF_TEST_C_GROUP",
        "--fail-above",
        "2",
        "-n",
        &ns,
    ]);
    assert_eq!(over.status.code(), Some(3), "{}", stderr(&over));
    let under = rmqctl(&[
        "group",
        "describe",
        "-g",
        "SELF_TEST_C_GROUP",
        "--fail-above",
        "3",
        "-n",
        &ns,
    ]);
    assert_eq!(under.status.code(), Some(0), "{}", stderr(&under));
}

/// `broker config set` is written back into the broker's config file (as Apache's broker
/// persists UPDATE_BROKER_CONFIG), every other line of the file kept, and holds after a restart.
#[test]
fn config_set_is_saved_in_the_broker_file_and_survives_a_restart() {
    let mut c = Cluster::single();
    let ns = c.ns();
    let addr = c.broker().addr.to_string();
    let conf = c.broker_home(0).join("broker.properties");
    let before = std::fs::read_to_string(&conf).unwrap();
    assert!(!before.contains("fileReservedTime"), "{before}");

    let set = |key: &str, value: &str| {
        let out = rmqctl(&[
            "broker", "config", "set", "-b", &addr, key, value, "-n", &ns,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    };
    set("fileReservedTime", "96");
    set("deleteWhen", "03");
    let after = std::fs::read_to_string(&conf).unwrap();
    for line in before.lines() {
        assert!(after.lines().any(|l| l == line), "`{line}` lost:\n{after}");
    }
    assert!(after.contains("\nfileReservedTime=96\n"), "{after}");
    set("fileReservedTime", "120");
    let after = std::fs::read_to_string(&conf).unwrap();
    assert_eq!(after.matches("fileReservedTime").count(), 1, "{after}");

    // SIGKILL: what survives was written when the change was acknowledged.
    c.kill_and_restart_broker(0);
    let out = rmqctl(&["broker", "config", "get", &addr, "-n", &ns, "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let config: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(config["values"]["fileReservedTime"], "120", "{config}");
    assert_eq!(config["values"]["deleteWhen"], "03", "{config}");
}

/// A master (`broker-a`, id 0) and its slave (id 1), registered.
fn master_and_slave() -> Cluster {
    Cluster::start(&[
        BrokerSpec::default(),
        BrokerSpec {
            id: 1,
            role: "SLAVE",
            ..BrokerSpec::default()
        },
    ])
}

/// README: `cluster status` lists a slave with its `replication_lag_bytes` (master's commit-log
/// offset less its own) and `in_sync` (heard from its master lately); a master has neither.
#[test]
fn cluster_status_shows_a_slave_with_its_lag_and_sync_state() {
    let c = master_and_slave();
    json(
        &c,
        &[
            "topic",
            "create",
            "-t",
            "Replicated",
            "-c",
            "DefaultCluster",
        ],
    );
    // The broker tells the name server about the new topic on its own; `message send` looks the
    // route up there, so wait until it is visible.
    common::wait_for_route(c.namesrv.addr, "Replicated");
    for i in 0..5 {
        let body = format!("r{i}");
        json(
            &c,
            &["message", "send", "-t", "Replicated", "--body", &body],
        );
    }
    // Until the slave has copied everything (replication is asynchronous).
    let start = std::time::Instant::now();
    let status = loop {
        let status = json(&c, &["cluster", "status"]);
        let slave = &status["brokers"][1];
        if slave["replication_lag_bytes"] == 0 && slave["in_sync"] == true {
            break status;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "the slave did not catch up: {status}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    let (master, slave) = (&status["brokers"][0], &status["brokers"][1]);
    assert_eq!(
        (&master["role"], &master["broker_id"]),
        (&"MASTER".into(), &0.into()),
        "{status}"
    );
    assert!(master["replication_lag_bytes"].is_null(), "{status}");
    assert!(master["in_sync"].is_null(), "{status}");
    assert_eq!(
        (&slave["role"], &slave["broker_id"], &slave["broker_name"]),
        (&"SLAVE".into(), &1.into(), &"broker-a".into()),
        "{status}"
    );
    assert_eq!(slave["addr"], c.brokers[1].addr.to_string().as_str());
    assert!(slave["error"].is_null(), "{status}");
    let offset = master["commit_log_max_offset"].as_i64().unwrap();
    assert!(offset > 0, "{status}");
    assert_eq!(slave["commit_log_max_offset"], offset, "{status}");
}

/// README: `broker config set -c CLUSTER` changes every master of the cluster, and with
/// `--with-slaves` their slaves too.
#[test]
fn config_set_on_a_cluster_reaches_slaves_only_with_with_slaves() {
    let c = master_and_slave();
    let (master, slave) = (c.brokers[0].addr.to_string(), c.brokers[1].addr.to_string());
    let value = |addr: &str| {
        json(&c, &["broker", "config", "get", addr])["values"]["fileReservedTime"].clone()
    };
    let before = value(&slave);
    let set = json(
        &c,
        &[
            "broker",
            "config",
            "set",
            "-c",
            "DefaultCluster",
            "fileReservedTime",
            "71",
        ],
    );
    assert_eq!(set["brokers"], serde_json::json!([master]), "{set}");
    assert_eq!(value(&master), "71");
    assert_eq!(
        value(&slave),
        before,
        "a slave changed without --with-slaves"
    );
    let set = json(
        &c,
        &[
            "broker",
            "config",
            "set",
            "-c",
            "DefaultCluster",
            "--with-slaves",
            "fileReservedTime",
            "72",
        ],
    );
    assert_eq!(set["brokers"], serde_json::json!([master, slave]), "{set}");
    assert_eq!(value(&master), "72");
    assert_eq!(value(&slave), "72");
}
