//! Registration of real `rmqctl broker` processes: a slave started before its master learns the
//! master from the name server as soon as the master registers (it retries every second while it
//! knows no master; Apache waits for its next 30 s round), and brokers register again at once
//! with a name server that restarted (it forgot them) instead of at their next round.

use crate::common;

use common::BrokerSpec;
use std::time::{Duration, Instant};

/// Polls `f` every 100 ms until it holds; `cap` is far above the expected time and far below
/// the 30 s registration period the behaviour replaces, so the test fails without it.
fn wait_for(what: &str, cap: Duration, mut f: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < cap, "{what}: not within {cap:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
    start.elapsed()
}

fn runtime_value(namesrv: &str, broker: &str, key: &str) -> Option<String> {
    let out = common::rmqctl(&["broker", "status", broker, "-n", namesrv, "-o", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let found = v
        .get(key)
        .or_else(|| v.get("values").and_then(|t| t.get(key)));
    found.and_then(|s| s.as_str()).map(str::to_string)
}

#[test]
fn a_slave_started_first_is_in_sync_soon_after_its_master_starts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let namesrv = common::start_namesrv(dir.path(), 120_000);
    // registerNameServerPeriod is clamped to at least 10 s: without the retry, the slave would
    // learn its master only at its next round.
    let slow_rounds = "registerNameServerPeriod=30000";
    let slave = common::start_broker(
        dir.path(),
        namesrv.addr,
        &BrokerSpec {
            id: 1,
            role: "SLAVE",
            extra: slow_rounds,
            ..BrokerSpec::default()
        },
    );
    std::thread::sleep(Duration::from_millis(500));
    let _master = common::start_broker(
        dir.path(),
        namesrv.addr,
        &BrokerSpec {
            role: "SYNC_MASTER",
            extra: slow_rounds,
            ..BrokerSpec::default()
        },
    );
    let slave_addr = slave.addr.to_string();
    let ns = namesrv.addr.to_string();
    let took = wait_for("slave in sync", Duration::from_secs(15), || {
        runtime_value(&ns, &slave_addr, "slaveInSync").as_deref() == Some("true")
    });
    eprintln!("slave in sync {took:?} after its master started");
}

#[test]
fn brokers_register_again_at_once_with_a_restarted_name_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut namesrv = common::start_namesrv(dir.path(), 120_000);
    let _broker = common::start_broker(
        dir.path(),
        namesrv.addr,
        &BrokerSpec {
            extra: "registerNameServerPeriod=30000",
            ..BrokerSpec::default()
        },
    );
    let ns = namesrv.addr.to_string();
    let registered = || {
        let out = common::rmqctl(&["cluster", "status", "-n", &ns, "-o", "json"]);
        String::from_utf8_lossy(&out.stdout).contains("broker-a")
    };
    wait_for("first registration", Duration::from_secs(15), registered);
    let port = namesrv.addr.port();
    namesrv.terminate();
    namesrv = common::restart_namesrv(dir.path(), port);
    let took = wait_for(
        "registration with the restarted name server",
        Duration::from_secs(15),
        registered,
    );
    eprintln!("registered again {took:?} after the name server restarted");
    drop(namesrv);
}
