//! rmqctl's admin commands against a foreign server: the rocketmq-rust name server and broker
//! (../shared/docs/peers.md). Runs when `$HOME/.cache/rmq-peers/bin/rocketmq-namesrv-rust` and
//! `rocketmq-broker-rust` exist (`RMQCTL_BUILD_PEERS=1 tests/run.sh` builds them once). Without
//! them it skips, saying why, where tests/run.sh declared the skip (`RMQCTL_SKIP_PEERS`) or in a
//! plain `cargo test`, and fails under `RMQCTL_REQUIRE_PREREQUISITES=1` otherwise.
//! Both peers are bound to loopback.

use crate::common;

use common::{rmqctl, stderr};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Peer(Child);

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn peer_bin(name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var_os("HOME")?)
        .join(".cache/rmq-peers/bin")
        .join(name);
    path.exists().then_some(path)
}

fn spawn(bin: &PathBuf, args: &[&str], home: &std::path::Path, log: &str) -> Peer {
    let log = std::fs::File::create(home.join(log)).unwrap();
    Peer(
        Command::new(bin)
            .args(args)
            .current_dir(home)
            .env("ROCKETMQ_HOME", home)
            .env("ROCKETMQ_SECURITY_PROFILE", "development-insecure-loopback")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .expect("start a rocketmq-rust peer"),
    )
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["-o", "json"]);
    let out = rmqctl(&all);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn admin_commands_work_against_rocketmq_rust() {
    let (Some(namesrv_bin), Some(broker_bin)) = (
        peer_bin("rocketmq-namesrv-rust"),
        peer_bin("rocketmq-broker-rust"),
    ) else {
        match std::env::var("RMQCTL_SKIP_PEERS") {
            // tests/run.sh decided not to build them and lists this test as skipped.
            Ok(why) => eprintln!("skipping: {why}"),
            Err(_) => common::prerequisite_missing(
                "the rocketmq-rust peers in ~/.cache/rmq-peers/bin (see peers.md)",
            ),
        }
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let ns_port = common::free_port();
    let broker_port = common::free_port_triple();
    std::fs::write(
        home.join("namesrv.toml"),
        format!(
            "rocketmqHome = \"{h}\"\nkvConfigPath = \"{h}/kvConfig.json\"\nconfigStorePath = \"{h}/namesrv.properties\"\n",
            h = home.display()
        ),
    )
    .unwrap();
    std::fs::create_dir_all(home.join("conf")).unwrap();
    std::fs::write(
        home.join("conf/broker.toml"),
        format!(
            "[broker]\nnamesrvAddr = \"127.0.0.1:{ns_port}\"\nbrokerIp1 = \"127.0.0.1\"\nlistenPort = {broker_port}\nstorePathRootDir = \"{h}/store\"\nautoCreateTopicEnable = true\n[broker.brokerServerConfig]\nbindAddress = \"127.0.0.1\"\n[broker.brokerIdentity]\nbrokerName = \"broker-a\"\nbrokerClusterName = \"DefaultCluster\"\nbrokerId = 0\n[store]\nstoreType = \"LocalFile\"\nbrokerRole = \"ASYNC_MASTER\"\nstorePathRootDir = \"{h}/store\"\nhaListenAddress = \"127.0.0.1\"\nhaListenPort = {ha}\n",
            h = home.display(),
            ha = broker_port + 1
        ),
    )
    .unwrap();
    let ns_port_text = ns_port.to_string();
    let _ns = spawn(
        &namesrv_bin,
        &[
            "-c",
            "namesrv.toml",
            "--bindAddress",
            "127.0.0.1",
            "--listenPort",
            &ns_port_text,
        ],
        home,
        "namesrv.log",
    );
    let ns = format!("127.0.0.1:{ns_port}");
    let start_broker = || {
        spawn(
            &broker_bin,
            &["-c", "conf/broker.toml", "-n", &ns],
            home,
            "broker.log",
        )
    };
    let mut broker = start_broker();
    // The peer broker sometimes aborts its own start-up ("core.service.failed") when the machine
    // is busy; that is the peer's problem, not what this test checks, so it gets two more tries.
    let mut peer_starts = 1;

    let start = Instant::now();
    let status = loop {
        let out = rmqctl(&["cluster", "status", "-n", &ns, "-o", "json"]);
        if out.status.code() == Some(0) {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            if v["brokers"].as_array().is_some_and(|b| !b.is_empty()) {
                break v;
            }
        }
        if matches!(broker.0.try_wait(), Ok(Some(_))) && peer_starts < 3 {
            eprintln!("the peer broker exited during start-up; starting it again");
            std::thread::sleep(Duration::from_secs(1));
            broker = start_broker();
            peer_starts += 1;
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "the peer broker did not register: {}",
            std::fs::read_to_string(home.join("broker.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(300));
    };
    eprintln!("peer cluster status: {status}");
    assert_eq!(status["brokers"][0]["broker_name"], "broker-a");
    assert!(status["brokers"][0]["error"].is_null(), "{status}");

    let create = [
        "topic",
        "create",
        "-t",
        "PeerTopic",
        "-r",
        "4",
        "-w",
        "4",
        "-n",
        &ns,
    ];
    let created = json(&create);
    eprintln!("peer topic create: {created}");
    assert_eq!(created["brokers"][0]["status"], "created", "{created}");
    let list = json(&["topic", "list", "-n", &ns]);
    let start = Instant::now();
    let mut list = list;
    while !list["topics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "PeerTopic")
    {
        assert!(start.elapsed() < Duration::from_secs(60), "{list}");
        std::thread::sleep(Duration::from_millis(200));
        list = json(&["topic", "list", "-n", &ns]);
    }
    let route = json(&["topic", "route", "-t", "PeerTopic", "-n", &ns]);
    assert_eq!(route["brokers"][0]["write_queues"], 4, "{route}");
    let status = json(&["topic", "status", "-t", "PeerTopic", "-n", &ns]);
    assert_eq!(status["queues"].as_array().unwrap().len(), 4, "{status}");
    let offsets = json(&["offsets", "-t", "PeerTopic", "-n", &ns]);
    assert_eq!(offsets["queues"].as_array().unwrap().len(), 4, "{offsets}");
    let again = json(&create);
    eprintln!("peer topic create again: {again}");
    assert_eq!(again["brokers"][0]["status"], "unchanged", "{again}");
}
