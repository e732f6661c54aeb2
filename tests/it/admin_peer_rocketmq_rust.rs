//! rmqctl's admin commands against a foreign server: the rocketmq-rust name server and broker
//! (../shared/docs/peers.md), in plain TCP and as a foreign TLS peer. Runs when
//! `$HOME/.cache/rmq-peers/bin/rocketmq-namesrv-rust` and `rocketmq-broker-rust` exist
//! (`RMQCTL_BUILD_PEERS=1 tests/run.sh` builds them once). Without them it skips, saying why,
//! where tests/run.sh declared the skip (`RMQCTL_SKIP_PEERS`) or in a plain `cargo test`, and
//! fails under `RMQCTL_REQUIRE_PREREQUISITES=1` otherwise.
//! Both peers are bound to loopback.
//!
//! How the peers (crates.io 1.0.0) take TLS, as read in their sources:
//! - Both listeners run rocketmq-transport's `TlsServerRuntime` (src/tls.rs): `tls.server.mode`
//!   `disabled`/`permissive`/`enforcing` (default permissive; the first byte tells TLS from plain,
//!   and enforcing closes a plain connection, logging "attempted plaintext while server TLS mode
//!   is enforcing", tls.rs:309), a server certificate and key (`tls.server.certPath`/`keyPath`,
//!   PEM), client certificates with `tls.server.need.client.auth=require` plus
//!   `tls.server.authClient=true` and `tls.server.trustCertPath` (tls.rs `build_client_cert_verifier`).
//!   It sets no ALPN and does not look at SNI, so rmqctl's connector needs nothing special.
//! - The name server reads those keys from the lines of its `-c` TOML file as if it were a
//!   properties file (rocketmq-namesrv src/bin/namesrv_bootstrap_server.rs:704,
//!   `apply_tls_properties_from_file`), so a bare dotted TOML key `tls.server.mode = "enforcing"`
//!   works (TOML takes it as a table the rest of the config ignores; quotes are stripped).
//! - The broker has TLS only when built with its `tls` feature, which is not a default one
//!   (rocketmq-broker Cargo.toml: `default = ["local_file_store"]`, `tls =
//!   ["rocketmq-transport/tls"]`, rocketmq-transport taken with `default-features = false`):
//!   a plain `cargo install rocketmq-broker` answers every TLS handshake by closing, logging
//!   "attempted TLS but rocketmq-transport was compiled without TLS support" (tls.rs:450).
//!   tests/run.sh installs it with `--features tls`.
//! - The broker takes a `[broker.brokerServerConfig.tlsConfig]` table (`enable`, `server.mode`,
//!   `server.certPath`, `server.keyPath`; rocketmq-broker src/config/sections.rs:705 wants the
//!   certificate and key once `enable` is true).
//!
//! What does not work, because of the peer: the rocketmq-rust broker cannot register over TLS.
//! Its name-server client is built from `TransportClientConfig::default()` (rocketmq-broker
//! src/broker_runtime/composition.rs:1174), whose `tls.enable` is false, and the transport
//! client uses TLS only when `tls_config.enable` is set (rocketmq-transport src/client.rs:260
//! and :323); no broker setting reaches it. So it registers in plain TCP only, and cannot
//! register with a name server that enforces TLS (ours or its own): the TLS test of the peer
//! broker below runs it behind a permissive peer name server.
//!
//! The peer name server also refuses (INVALID_PARAMETER "Request body is invalid") an
//! uncompressed registration body shaped like a 4.x broker's: its
//! `TopicConfigAndMappingSerializeWrapper` (rocketmq-protocol
//! src/protocol/body/topic_info_wrapper/topic_config_wrapper.rs:27-35) requires the 5.x
//! `topicQueueMappingInfoMap`, `topicQueueMappingDetailMap` and `mappingDataVersion` fields.
//! rmqctl's broker sends them (empty), as a 5.x broker does, so it registers there.

use crate::common;

use common::{rmqctl, stderr, BrokerSpec};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
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

/// The name-server and broker binaries, or `None` after saying why the test skips (or failing
/// under `RMQCTL_REQUIRE_PREREQUISITES=1`).
fn peer_bins() -> Option<(PathBuf, PathBuf)> {
    if let (Some(namesrv), Some(broker)) = (
        peer_bin("rocketmq-namesrv-rust"),
        peer_bin("rocketmq-broker-rust"),
    ) {
        return Some((namesrv, broker));
    }
    match std::env::var("RMQCTL_SKIP_PEERS") {
        // tests/run.sh decided not to build them and lists this test as skipped.
        Ok(why) => eprintln!("skipping: {why}"),
        Err(_) => common::prerequisite_missing(
            "the rocketmq-rust peers in ~/.cache/rmq-peers/bin (see peers.md)",
        ),
    }
    None
}

fn spawn(bin: &Path, args: &[&str], home: &Path, log: &str) -> Peer {
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

/// A rocketmq-rust name server on a free loopback port, its TOML file in `home` with `tls`
/// lines (`tls.*` keys, see the header) added.
struct PeerNamesrv {
    peer: Peer,
    addr: String,
    log: PathBuf,
}

impl PeerNamesrv {
    fn start(bin: &Path, home: &Path, tls: &str) -> PeerNamesrv {
        let port = common::free_port();
        std::fs::write(
            home.join("namesrv.toml"),
            format!(
                "rocketmqHome = \"{h}\"\nkvConfigPath = \"{h}/kvConfig.json\"\nconfigStorePath = \"{h}/namesrv.properties\"\n{tls}",
                h = home.display()
            ),
        )
        .unwrap();
        let port_text = port.to_string();
        let args = [
            "-c",
            "namesrv.toml",
            "--bindAddress",
            "127.0.0.1",
            "--listenPort",
            &port_text,
        ];
        PeerNamesrv {
            peer: spawn(bin, &args, home, "namesrv.log"),
            addr: format!("127.0.0.1:{port}"),
            log: home.join("namesrv.log"),
        }
    }

    /// Blocks until the port accepts connections (max 60 s).
    fn wait_listening(&mut self) {
        let start = Instant::now();
        while TcpStream::connect(&self.addr).is_err() {
            if let Ok(Some(status)) = self.peer.0.try_wait() {
                panic!(
                    "the peer name server exited with {status}: {}",
                    self.log_text()
                );
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the peer name server did not listen: {}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// Writes the rocketmq-rust broker's `conf/broker.toml` (peers.md) with `tls_tables` appended.
fn write_peer_broker_conf(home: &Path, ns: &str, broker_port: u16, tls_tables: &str) {
    std::fs::create_dir_all(home.join("conf")).unwrap();
    std::fs::write(
        home.join("conf/broker.toml"),
        format!(
            "[broker]\nnamesrvAddr = \"{ns}\"\nbrokerIp1 = \"127.0.0.1\"\nlistenPort = {broker_port}\nstorePathRootDir = \"{h}/store\"\nautoCreateTopicEnable = true\n[broker.brokerServerConfig]\nbindAddress = \"127.0.0.1\"\n[broker.brokerIdentity]\nbrokerName = \"broker-a\"\nbrokerClusterName = \"DefaultCluster\"\nbrokerId = 0\n[store]\nstoreType = \"LocalFile\"\nbrokerRole = \"ASYNC_MASTER\"\nstorePathRootDir = \"{h}/store\"\nhaListenAddress = \"127.0.0.1\"\nhaListenPort = {ha}\n{tls_tables}",
            h = home.display(),
            ha = broker_port + 1
        ),
    )
    .unwrap();
}

/// Starts the rocketmq-rust broker of `home` and waits until `rmqctl cluster status -n NS
/// CONN...` lists it; returns it with that status.
fn start_peer_broker(
    bin: &Path,
    home: &Path,
    ns: &str,
    conn: &[&str],
) -> (Peer, serde_json::Value) {
    let start_broker = || {
        spawn(
            bin,
            &["-c", "conf/broker.toml", "-n", ns],
            home,
            "broker.log",
        )
    };
    let mut broker = start_broker();
    // The peer broker sometimes aborts its own start-up ("core.service.failed") when the machine
    // is busy; that is the peer's problem, not what this test checks, so it gets two more tries.
    let mut peer_starts = 1;
    let mut args = vec!["cluster", "status", "-n", ns, "-o", "json"];
    args.extend_from_slice(conn);
    let start = Instant::now();
    loop {
        let out = rmqctl(&args);
        if out.status.code() == Some(0) {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            if v["brokers"].as_array().is_some_and(|b| !b.is_empty()) {
                return (broker, v);
            }
        }
        let log = std::fs::read_to_string(home.join("broker.log")).unwrap_or_default();
        assert!(
            !log.contains("compiled without TLS support"),
            "the peer broker was built without TLS: reinstall it with `cargo install --locked --root ~/.cache/rmq-peers --features tls rocketmq-broker` (RMQCTL_BUILD_PEERS=1 tests/run.sh does)"
        );
        if matches!(broker.0.try_wait(), Ok(Some(_))) && peer_starts < 3 {
            eprintln!("the peer broker exited during start-up; starting it again");
            std::thread::sleep(Duration::from_secs(1));
            broker = start_broker();
            peer_starts += 1;
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "the peer broker did not register: {}\n{}",
            stderr(&out),
            std::fs::read_to_string(home.join("broker.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// `rmqctl ARGS CONN... -o json`, which must succeed.
fn json_with(args: &[&str], conn: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend_from_slice(conn);
    all.extend(["-o", "json"]);
    let out = rmqctl(&all);
    assert_eq!(out.status.code(), Some(0), "{all:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn json(args: &[&str]) -> serde_json::Value {
    json_with(args, &[])
}

/// Polls `topic list -n NS CONN...` until it lists `topic` (max 60 s).
fn wait_topic_listed(ns: &str, topic: &str, conn: &[&str]) {
    let start = Instant::now();
    loop {
        let list = json_with(&["topic", "list", "-n", ns], conn);
        if list["topics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == topic)
        {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "{list}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// `rmqctl tls init DIR --client`: `ca.pem`, `localhost.pem` (localhost and 127.0.0.1) with its
/// key, and `client.pem` with its key.
fn tls_init(dir: &Path) -> impl Fn(&str) -> String {
    let out = rmqctl(&["tls", "init", dir.to_str().unwrap(), "--client"]);
    assert!(out.status.success(), "tls init: {}", stderr(&out));
    let dir = dir.to_path_buf();
    move |name: &str| dir.join(name).display().to_string()
}

#[test]
fn admin_commands_work_against_rocketmq_rust() {
    let Some((namesrv_bin, broker_bin)) = peer_bins() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let namesrv = PeerNamesrv::start(&namesrv_bin, home, "");
    let ns = namesrv.addr.clone();
    write_peer_broker_conf(home, &ns, common::free_port_triple(), "");
    let (_broker, status) = start_peer_broker(&broker_bin, home, &ns, &[]);
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
    wait_topic_listed(&ns, "PeerTopic", &[]);
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

/// The rocketmq-rust name server enforcing TLS with client certificates, with the certificates
/// of `rmqctl tls init`: a plain admin client is refused, a TLS client without a certificate
/// or trusting another CA is refused (each in operator words), and our bundled broker
/// registers over mutual TLS, after which the admin commands work over TLS end to end.
#[test]
fn our_broker_and_admin_commands_use_tls_with_an_enforcing_rocketmq_rust_name_server() {
    let Some((namesrv_bin, _)) = peer_bins() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = tls_init(&dir.path().join("certs"));
    let home = dir.path().join("peer");
    std::fs::create_dir_all(&home).unwrap();
    let mut namesrv = PeerNamesrv::start(
        &namesrv_bin,
        &home,
        &format!(
            "tls.server.mode = \"enforcing\"\ntls.server.certPath = \"{}\"\ntls.server.keyPath = \"{}\"\ntls.server.need.client.auth = \"require\"\ntls.server.authClient = true\ntls.server.trustCertPath = \"{}\"\n",
            file("localhost.pem"),
            file("localhost-key.pem"),
            file("ca.pem")
        ),
    );
    namesrv.wait_listening();
    let ns = namesrv.addr.clone();
    let (ca, cert, key) = (file("ca.pem"), file("client.pem"), file("client-key.pem"));
    let conn = ["--tls-ca", &ca, "--tls-cert", &cert, "--tls-key", &key];
    let status = |extra: &[&str]| {
        let mut args = vec!["cluster", "status", "-n", ns.as_str(), "--timeout", "10s"];
        args.extend_from_slice(extra);
        let out = rmqctl(&args);
        (out.status.success(), stderr(&out))
    };

    // (wait_listening's probe connection counts as one plain attempt already.)
    let plain_refusals = |log: &str| {
        log.matches("attempted plaintext while server TLS mode is enforcing")
            .count()
    };
    let refused_before = plain_refusals(&namesrv.log_text());
    let (ok, err) = status(&[]);
    assert!(!ok, "plain TCP to an enforcing peer must fail");
    assert!(err.contains("connect with --tls"), "{err}");
    let (ok, err) = status(&["--tls-ca", &ca]);
    assert!(!ok, "no client certificate must be refused");
    assert!(err.contains("wants a client certificate"), "{err}");
    let other = tls_init(&dir.path().join("other"));
    let (ok, err) = status(&[
        "--tls-ca",
        &other("ca.pem"),
        "--tls-cert",
        &cert,
        "--tls-key",
        &key,
    ]);
    // Another `tls init`'s CA carries the same name ("rmqctl cluster CA"): a bad signature.
    assert!(!ok && err.contains("another CA of the same name"), "{err}");
    let (ok, err) = status(&conn);
    assert!(ok, "mutual TLS with the peer name server: {err}");
    let log = namesrv.log_text();
    assert!(plain_refusals(&log) > refused_before, "{log}");

    let extra = format!(
        "tls.enable=true\ntls.client.trustCertPath={ca}\ntls.client.certPath={cert}\ntls.client.keyPath={key}\ntls.server.mode=enforcing\ntls.server.certPath={}\ntls.server.keyPath={}\n",
        file("localhost.pem"),
        file("localhost-key.pem"),
    );
    let _broker = common::start_broker(
        dir.path(),
        ns.parse().unwrap(),
        &BrokerSpec {
            name: "broker-tls",
            extra: &extra,
            ..BrokerSpec::default()
        },
    );
    let start = Instant::now();
    let status = loop {
        let v = json_with(&["cluster", "status", "-n", &ns], &conn);
        if v["brokers"].as_array().is_some_and(|b| !b.is_empty()) {
            break v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "our broker did not register over TLS with the peer: {}",
            namesrv.log_text()
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    eprintln!("cluster status over TLS: {status}");
    assert_eq!(
        status["brokers"][0]["broker_name"], "broker-tls",
        "{status}"
    );
    assert!(status["brokers"][0]["error"].is_null(), "{status}");

    let created = json_with(
        &[
            "topic", "create", "-t", "TlsTopic", "-w", "4", "-r", "4", "-n", &ns,
        ],
        &conn,
    );
    assert_eq!(created["brokers"][0]["status"], "created", "{created}");
    wait_topic_listed(&ns, "TlsTopic", &conn);
    let route = json_with(&["topic", "route", "-t", "TlsTopic", "-n", &ns], &conn);
    assert_eq!(route["brokers"][0]["write_queues"], 4, "{route}");
}

/// The rocketmq-rust broker enforcing TLS (behind a permissive peer name server, see the
/// header): the admin commands reach both peers over TLS with `--tls-ca`, and the peer broker
/// refuses a plain admin client.
#[test]
fn admin_commands_use_tls_with_an_enforcing_rocketmq_rust_broker() {
    let Some((namesrv_bin, broker_bin)) = peer_bins() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = tls_init(&dir.path().join("certs"));
    let home = dir.path().join("peer");
    std::fs::create_dir_all(&home).unwrap();
    let (cert, key) = (file("localhost.pem"), file("localhost-key.pem"));
    let namesrv = PeerNamesrv::start(
        &namesrv_bin,
        &home,
        &format!(
            "tls.server.mode = \"permissive\"\ntls.server.certPath = \"{cert}\"\ntls.server.keyPath = \"{key}\"\n"
        ),
    );
    let ns = namesrv.addr.clone();
    write_peer_broker_conf(
        &home,
        &ns,
        common::free_port_triple(),
        &format!(
            "[broker.brokerServerConfig.tlsConfig]\nenable = true\n[broker.brokerServerConfig.tlsConfig.server]\nmode = \"enforcing\"\ncertPath = \"{cert}\"\nkeyPath = \"{key}\"\n"
        ),
    );
    let ca = file("ca.pem");
    let conn = ["--tls-ca", ca.as_str()];
    let (_broker, status) = start_peer_broker(&broker_bin, &home, &ns, &conn);
    eprintln!("peer cluster status over TLS: {status}");
    assert_eq!(status["brokers"][0]["broker_name"], "broker-a");
    assert!(status["brokers"][0]["error"].is_null(), "{status}");

    // The permissive peer name server answers plain TCP too; the peer broker does not.
    let plain = rmqctl(&["cluster", "status", "-n", &ns, "-o", "json"]);
    let plain: serde_json::Value =
        serde_json::from_slice(&plain.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&plain)));
    let error = plain["brokers"][0]["error"].as_str().unwrap_or_default();
    assert!(error.contains("connect with --tls"), "{plain}");

    let create = [
        "topic", "create", "-t", "TlsTopic", "-r", "4", "-w", "4", "-n", &ns,
    ];
    let created = json_with(&create, &conn);
    assert_eq!(created["brokers"][0]["status"], "created", "{created}");
    wait_topic_listed(&ns, "TlsTopic", &conn);
    let route = json_with(&["topic", "route", "-t", "TlsTopic", "-n", &ns], &conn);
    assert_eq!(route["brokers"][0]["write_queues"], 4, "{route}");
    let status = json_with(&["topic", "status", "-t", "TlsTopic", "-n", &ns], &conn);
    assert_eq!(status["queues"].as_array().unwrap().len(), 4, "{status}");
    let offsets = json_with(&["offsets", "-t", "TlsTopic", "-n", &ns], &conn);
    assert_eq!(offsets["queues"].as_array().unwrap().len(), 4, "{offsets}");
    let again = json_with(&create, &conn);
    assert_eq!(again["brokers"][0]["status"], "unchanged", "{again}");
}
