//! `rmqctl deploy` of the 2m-2s-sync inventory onto the four-host test bed (tests/testbed: network
//! namespaces with their own sshd and locked-down nftables/iptables firewalls), end to end:
//! ports closed before and reachable from peers after, every broker registered and slaves in
//! sync, the Apache C++ client producing and consuming through the cluster, an unchanged
//! re-deploy that restarts nothing, a changed key that restarts only its pair (slave first),
//! a killed broker seen by `status` and brought back by `start`, an unreachable host that fails
//! alone and converges on a re-run, and stop + destroy leaving nothing behind.

use crate::common;

use common::testbed::Testbed;
use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn rmqctl(args: &[&str]) -> Output {
    common::rmqctl(args)
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            common::stderr(out)
        )
    })
}

/// The shipped 2m-2s-sync inventory, pointed at the bed's ssh_config.
fn write_inventory(dir: &Path, bed: &Testbed, extra: &str) -> String {
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/2m-2s-sync.toml"),
    )
    .expect("read inventories/2m-2s-sync.toml");
    let text = shipped.replacen(
        "[namesrv]",
        &format!(
            "ssh_config = \"{}\"\n\n[namesrv]",
            bed.ssh_config().display()
        ),
        1,
    ) + extra;
    let path = dir.join("bed.toml");
    std::fs::write(&path, text).expect("write the inventory");
    path.display().to_string()
}

fn deploy(inventory: &str) -> (Output, Value) {
    let out = rmqctl(&["deploy", inventory, "--yes", "-o", "json"]);
    let report = json_of(&out);
    (out, report)
}

/// Steps named `step` on `host` in a report, with their details.
fn steps<'a>(report: &'a Value, host: &str, step: &str) -> Vec<&'a str> {
    report["hosts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|h| h["host"] == host)
        .flat_map(|h| h["steps"].as_array().into_iter().flatten())
        .filter(|s| s["step"] == step)
        .map(|s| s["detail"].as_str().unwrap_or(""))
        .collect()
}

fn status(inventory: &str) -> (i32, Value) {
    let out = rmqctl(&["status", inventory, "-o", "json"]);
    (out.status.code().unwrap_or(-1), json_of(&out))
}

/// The name server and the four brokers run with the same pids in `after` as in `before` (two
/// `status` reports): nothing restarted them.
fn servers_kept_their_pids(before: &Value, after: &Value) {
    for instance in [
        "namesrv",
        "broker-a",
        "broker-a-s",
        "broker-b",
        "broker-b-s",
    ] {
        assert_eq!(
            pid_of(before, instance),
            pid_of(after, instance),
            "{instance} was restarted: {after:#}"
        );
    }
}

fn pid_of(status: &Value, instance: &str) -> Option<u64> {
    status["instances"]
        .as_array()?
        .iter()
        .find(|i| i["instance"] == instance)?["pid"]
        .as_u64()
}

fn state_of(status: &Value, instance: &str) -> String {
    status["instances"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["instance"] == instance)
        .map(|i| i["state"].as_str().unwrap_or("").to_string())
        .unwrap_or_default()
}

#[test]
fn deploy_the_2m_2s_sync_cluster_onto_four_hosts_and_operate_it() {
    let Some(bed) = Testbed::up() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let inventory = write_inventory(dir.path(), &bed, "");
    let master_a = bed.ip("master-a");
    let slave_a = bed.ip("slave-a");

    // An unknown host key is refused (strict checking), naming the fix; trust on first use is opt-in.
    let strangers = dir.path().join("ssh_config_unknown_keys");
    let known = dir.path().join("known_hosts_empty");
    std::fs::write(&known, "").expect("write known_hosts");
    let config = std::fs::read_to_string(bed.ssh_config()).expect("read ssh_config");
    let config: String = config
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("UserKnownHostsFile") {
                format!("    UserKnownHostsFile {}\n", known.display())
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(&strangers, config).expect("write ssh_config");
    let untrusted = write_inventory(dir.path(), &bed, "").replace("bed.toml", "bed-untrusted.toml");
    let text = std::fs::read_to_string(dir.path().join("bed.toml")).expect("inventory");
    std::fs::write(
        &untrusted,
        text.replace(
            &bed.ssh_config().display().to_string(),
            &strangers.display().to_string(),
        ),
    )
    .expect("write inventory");
    let out = rmqctl(&["deploy", &untrusted, "--dry-run"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("Host key verification failed") && text.contains("--accept-new-host-keys"),
        "{text}"
    );
    let out = rmqctl(&["deploy", &untrusted, "--dry-run", "--accept-new-host-keys"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(std::fs::read_to_string(&known)
        .unwrap_or_default()
        .contains("ssh-ed25519"));

    // Before: the firewall drops everything but ssh.
    assert!(
        !bed.probe("slave-a", master_a, 9876),
        "9876 open before deploy"
    );

    // Fresh deploy.
    let (out, report) = deploy(&inventory);
    assert!(
        out.status.success(),
        "deploy failed: {report:#}\n{}",
        common::stderr(&out)
    );
    assert_eq!(report["ok"], true);
    let checks = report["checks"].as_array().expect("checks");
    // Distinct targets (the start phase checks masters' registration before slaves start too).
    let count = |kind: &str| {
        checks
            .iter()
            .filter(|c| c["check"] == kind && c["ok"] == true)
            .map(|c| c["target"].as_str().unwrap_or("").to_string())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    assert_eq!(
        count("registered"),
        8,
        "4 brokers x 2 name servers: {report:#}"
    );
    assert_eq!(count("in-sync"), 2, "{report:#}");
    // master hosts open 4 ports, slave hosts 3, each probed from another host.
    assert_eq!(count("reachable"), 14, "{report:#}");
    assert!(checks.iter().all(|c| c["ok"] == true), "{report:#}");
    for (host, ports) in [
        ("master-a", vec![9876, 10909, 10911, 10912]),
        ("slave-a", vec![10909, 10911, 10912]),
    ] {
        let from = if host == "master-a" {
            "slave-b"
        } else {
            "master-b"
        };
        for port in ports {
            assert!(
                bed.probe(from, bed.ip(host), port),
                "{host}:{port} closed from {from}"
            );
        }
    }
    let files = bed
        .host_root("master-a")
        .join("opt/rmq/conf/broker-a.properties");
    assert!(std::fs::read_to_string(&files)
        .unwrap_or_default()
        .contains("brokerRole=SYNC_MASTER"));

    // The Apache C++ client sends and consumes through the deployed cluster.
    if let Some(python) = common::cpp_client_python() {
        let ns = format!("{master_a}:9876;{}:9876", bed.ip("master-b"));
        let created = rmqctl(&["topic", "create", "-n", &ns, "-t", "BedTopic"]);
        assert!(created.status.success(), "{}", common::stderr(&created));
        let home = dir.path();
        let sent = common::run_cpp_json(
            &python,
            "cpp_send_many.py",
            &[&ns, "BedTopic", "200", "TagA", "0"],
            home,
        );
        assert_eq!(sent, serde_json::json!({"sent_ok": 200, "failed": 0}));
        // A push consumer in a new group reads every queue of both masters from offset 0. (Not
        // the 0.4.4 wheel's PullConsumer.pull: it keys its offsets by `topic@queueId` without the
        // broker name, so broker-b's queue N starts where broker-a's queue N ended and its
        // messages are skipped whenever the producer's route named both masters: 188 of 200.)
        let consumed = common::run_cpp_json(
            &python,
            "cpp_push_count.py",
            &[&ns, "BedTopic", "*", "bed_push", "90", "200", "1"],
            home,
        );
        assert_eq!(consumed["distinct"], 200, "{consumed}");
        assert_eq!(consumed["tags"], serde_json::json!(["TagA"]), "{consumed}");
    } else {
        assert_ne!(
            std::env::var("RMQCTL_REQUIRE_INTEROP").as_deref(),
            Ok("1"),
            "the C++ client is required"
        );
        eprintln!("*** C++ client missing: the bed cluster was not used by a real client ***");
    }

    // Unchanged re-deploy: nothing restarted, nothing uploaded.
    let (_, status_before) = status(&inventory);
    let (out, report) = deploy(&inventory);
    assert!(out.status.success(), "{report:#}");
    assert_eq!(report["changed"], false, "{report:#}");
    let (code, status_after) = status(&inventory);
    assert_eq!(code, 0, "{status_after:#}");
    servers_kept_their_pids(&status_before, &status_after);

    // One key of group broker-b changes: only broker-b-s then broker-b restart.
    let changed = write_inventory(
        dir.path(),
        &bed,
        "\n[groups.broker-b.broker]\nfileReservedTime = 24\n",
    );
    let (out, report) = deploy(&changed);
    assert!(out.status.success(), "{report:#}");
    assert_eq!(
        steps(&report, "slave-b", "restart"),
        ["broker-b-s"],
        "{report:#}"
    );
    assert_eq!(
        steps(&report, "master-b", "restart"),
        ["broker-b"],
        "{report:#}"
    );
    assert!(
        steps(&report, "master-a", "restart").is_empty()
            && steps(&report, "slave-a", "restart").is_empty()
    );
    let (_, status_changed) = status(&changed);
    assert_eq!(
        pid_of(&status_after, "broker-a"),
        pid_of(&status_changed, "broker-a")
    );
    assert_ne!(
        pid_of(&status_after, "broker-b"),
        pid_of(&status_changed, "broker-b")
    );

    // SIGKILL a broker: status says so and exits 1; start brings it back.
    let pid = pid_of(&status_changed, "broker-a-s").expect("broker-a-s pid");
    let killed = bed.sh("slave-a", &format!("kill -9 {pid}"));
    assert!(killed.status.success());
    let (code, down) = status(&changed);
    assert_eq!(code, 1, "{down:#}");
    assert_eq!(state_of(&down, "broker-a-s"), "failed", "{down:#}");
    let started = rmqctl(&["start", &changed, "-o", "json"]);
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stdout)
    );
    let (code, up) = status(&changed);
    assert_eq!(code, 0, "{up:#}");
    assert!(bed.probe("master-a", slave_a, 10911));

    // A host that cannot be reached: the others finish, exit 1, a re-run converges.
    let restored = write_inventory(dir.path(), &bed, "");
    bed.cut("slave-b");
    let out = rmqctl(&[
        "deploy",
        &restored,
        "--yes",
        "-o",
        "json",
        "--connect-timeout",
        "3s",
        "--wait",
        "10s",
    ]);
    let report = json_of(&out);
    bed.restore("slave-b");
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    let hosts = report["hosts"].as_array().expect("hosts");
    let slave_b = hosts
        .iter()
        .find(|h| h["host"] == "slave-b")
        .expect("slave-b");
    assert_eq!(slave_b["error"]["step"], "connect", "{report:#}");
    assert!(
        hosts
            .iter()
            .filter(|h| h["host"] != "slave-b")
            .all(|h| h["error"].is_null()),
        "{report:#}"
    );
    assert_eq!(
        steps(&report, "master-b", "restart"),
        ["broker-b"],
        "{report:#}"
    );
    let (out, report) = deploy(&restored);
    assert!(out.status.success(), "re-run did not converge: {report:#}");

    // Stop, then destroy: no process, rule or file is left.
    let stopped = rmqctl(&["stop", &restored, "--yes"]);
    assert!(stopped.status.success(), "{}", common::stderr(&stopped));
    let (code, _) = status(&restored);
    assert_eq!(code, 1);
    let destroyed = rmqctl(&["destroy", &restored, "--yes"]);
    assert!(
        destroyed.status.success(),
        "{}",
        String::from_utf8_lossy(&destroyed.stdout)
    );
    for host in ["master-a", "slave-a", "master-b", "slave-b"] {
        let left = bed.sh(host, "pgrep -x rmqctl ; nft list ruleset 2>/dev/null | grep -c rmqctl; iptables -S 2>/dev/null | grep -c rmqctl; ls -A /opt/rmq 2>/dev/null");
        assert_eq!(
            String::from_utf8_lossy(&left.stdout).trim(),
            "0\n0",
            "{host} kept something"
        );
        assert!(
            !bed.probe("root", bed.ip(host), 10911),
            "{host}:10911 still answers"
        );
    }
}

/// `rmqctl tls init DIR --hosts INVENTORY --client` then `deploy` of 2m-2s-sync with `[tls]`
/// enforcing and client certificates required, plus an https gateway on slave-b, onto the four hosts:
/// brokers register and slaves sync over mutual TLS, deploy's checks (and `status`) connect with
/// the inventory's CA and client certificate, each host holds its own certificate and a 0600
/// key, the gateway host also rmqctl's client certificate and key (the gateway's `/healthz`
/// check passes: it reached the name servers and a broker on other hosts over TLS), and
/// destroy removes them.
#[test]
fn deploy_the_2m_2s_sync_cluster_with_tls_enforcing() {
    let Some(bed) = Testbed::up() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let inventory = write_inventory(
        dir.path(),
        &bed,
        "\n[tls]\nmode = \"enforcing\"\nclient_auth = \"require\"\n\n\
         [gateway]\nhosts = [\"slave-b\"]\nhttps = true\nallow_callbacks = [\"https://orders.example.com/hooks/\"]\n",
    );
    let tls_dir = dir.path().join("tls").display().to_string();
    let init = rmqctl(&["tls", "init", &tls_dir, "--hosts", &inventory, "--client"]);
    assert!(init.status.success(), "{}", common::stderr(&init));

    let (out, report) = deploy(&inventory);
    assert!(out.status.success(), "{report:#}\n{}", common::stderr(&out));
    let checks = report["checks"].as_array().expect("checks");
    assert!(checks.iter().all(|c| c["ok"] == true), "{report:#}");
    for kind in ["registered", "in-sync", "reachable", "healthy"] {
        assert!(
            checks.iter().any(|c| c["check"] == kind),
            "{kind}: {report:#}"
        );
    }
    // `https = true`: the gateway serves slave-b's own certificate, checked against the CA.
    assert!(
        checks.iter().any(|c| c["check"] == "healthy"
            && c["target"]
                .as_str()
                .is_some_and(|t| t.contains("https://10.77.0.14:"))),
        "{report:#}"
    );
    let (code, status) = status(&inventory);
    assert_eq!(code, 0, "{status:#}");
    let gateway = status["instances"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["instance"] == "gateway")
        .unwrap_or_else(|| panic!("no gateway in {status:#}"));
    assert_eq!(gateway["healthy"], true, "{status:#}");
    let out = bed.sh(
        "slave-b",
        "stat -c '%a %n' /opt/rmq/conf/tls/client.pem /opt/rmq/conf/tls/client-key.pem; grep -c '^\\[cluster_tls\\]' /opt/rmq/conf/gateway.toml",
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        text.contains("644 /opt/rmq/conf/tls/client.pem")
            && text.contains("600 /opt/rmq/conf/tls/client-key.pem")
            && text.lines().last() == Some("1"),
        "slave-b: {text}"
    );
    let out = bed.sh("master-a", "ls /opt/rmq/conf/tls");
    let listed = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        !listed.contains("client"),
        "master-a runs no gateway: {listed}"
    );
    for host in ["master-a", "slave-b"] {
        let out = bed.sh(
            host,
            "stat -c '%a %n' /opt/rmq/conf/tls/ca.pem /opt/rmq/conf/tls/cert.pem /opt/rmq/conf/tls/key.pem; sha256sum < /opt/rmq/conf/tls/cert.pem",
        );
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            text.contains("644 /opt/rmq/conf/tls/ca.pem")
                && text.contains("644 /opt/rmq/conf/tls/cert.pem")
                && text.contains("600 /opt/rmq/conf/tls/key.pem"),
            "{host}: {text}"
        );
        let own = std::fs::read(dir.path().join("tls").join(format!("{host}.pem")))
            .expect("tls init wrote it");
        let own_sum = rmqctl::deploy::plan::sha256_hex(&own);
        assert!(
            text.contains(&own_sum),
            "{host} holds another certificate: {text}"
        );
    }

    retire_the_gateway(dir.path(), &bed, &status);

    let destroyed = rmqctl(&["destroy", &inventory, "--yes"]);
    assert!(
        destroyed.status.success(),
        "{}",
        String::from_utf8_lossy(&destroyed.stdout)
    );
    let left = bed.sh("master-a", "ls -A /opt/rmq 2>/dev/null; true");
    assert_eq!(String::from_utf8_lossy(&left.stdout).trim(), "");
}

/// The `[gateway]` table leaves the TLS inventory: the next deploy retires the gateway on
/// slave-b over SSH (process stopped, gateway.toml and the gateway's client certificate, key and
/// key-password files removed) and leaves every other instance running as it was.
fn retire_the_gateway(dir: &Path, bed: &Testbed, before: &Value) {
    let inventory = write_inventory(
        dir,
        bed,
        "\n[tls]\nmode = \"enforcing\"\nclient_auth = \"require\"\n",
    );
    let (out, report) = deploy(&inventory);
    assert!(out.status.success(), "{report:#}\n{}", common::stderr(&out));
    let slave_b = report["hosts"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|h| h["host"] == "slave-b")
        .unwrap_or_else(|| panic!("no slave-b in {report:#}"));
    assert_eq!(
        slave_b["retired"]["instances"],
        serde_json::json!(["gateway"]),
        "{report:#}"
    );
    let files = slave_b["retired"]["files"].to_string();
    for file in [
        "/opt/rmq/conf/gateway.toml",
        "/opt/rmq/conf/tls/client-key.pem",
    ] {
        assert!(files.contains(file), "{file}: {report:#}");
    }
    let left = bed.sh(
        "slave-b",
        "ls /opt/rmq/conf /opt/rmq/conf/tls; pgrep -f '[r]mqctl gateway' || echo no-gateway",
    );
    let left = String::from_utf8_lossy(&left.stdout).to_string();
    assert!(
        !left.contains("gateway.toml") && !left.contains("client") && left.contains("no-gateway"),
        "slave-b after retiring: {left}"
    );
    let (code, after) = status(&inventory);
    assert_eq!(code, 0, "{after:#}");
    servers_kept_their_pids(before, &after);
}
