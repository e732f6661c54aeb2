//! A real `rmqctl broker` process on its own: it registers TBW102 with a real `rmqctl namesrv`,
//! and a taken port or a bad config file stops its start-up with a clear error. (The C++ client
//! sending and consuming through these processes is in interop_cpp_broker.)

use crate::common;

use common::BrokerSpec;

#[tokio::test]
async fn broker_registers_tbw102_with_the_name_server() {
    let dir = tempfile::tempdir().unwrap();
    let ns = common::start_namesrv(dir.path(), 120_000);
    let broker = common::start_broker(dir.path(), ns.addr, &BrokerSpec::default());
    let route = common::route_when_registered(ns.addr, "TBW102").await;
    assert_eq!(
        route.broker_datas[0].master_addr(),
        Some(broker.addr.to_string().as_str())
    );
    assert_eq!(route.queue_datas[0].perm, 7);
}

#[test]
fn taken_port_and_bad_config_are_clear_startup_errors() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("broker.properties");
    std::fs::write(
        &conf,
        "brokerName=broker-a\nbrokerRole=SLAVE\nbrokerId=0\nlistenPort=10911\n",
    )
    .unwrap();
    let out = common::rmqctl(&["broker", "-c", conf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("brokerId > 0"));

    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port();
    std::fs::write(
        &conf,
        format!(
            "brokerName=broker-a\nbindAddress=127.0.0.1\nlistenPort={port}\nstorePathRootDir={}\n",
            dir.path().join("s").display()
        ),
    )
    .unwrap();
    let out = common::rmqctl(&["broker", "-c", conf.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("127.0.0.1:{port}")) && err.contains("listenPort"),
        "{err}"
    );
}
