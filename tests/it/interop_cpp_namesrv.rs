//! Interop: the Apache C++ client (PyPI rocketmq 0.4.4) asks our name server for a topic nobody
//! created and gets a clean TOPIC_NOT_EXIST answer, not a dropped connection.

use crate::common;

#[test]
fn cpp_client_gets_topic_not_exist_from_our_name_server() {
    let Some(python) = common::cpp_client_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let ns = common::start_namesrv(dir.path(), 120_000);
    let out = common::run_cpp_script(
        &python,
        "cpp_send_unknown_topic.py",
        &[&ns.addr.to_string()],
        dir.path(),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("No route info of this topic: NoSuchTopicXYZ"),
        "C++ client output: {stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = ns.log_text();
    let answered = log
        .lines()
        .filter(|l| l.contains("language=Some(CPP)"))
        .filter(|l| l.contains("GET_ROUTEINFO_BY_TOPIC(105)"))
        .filter(|l| l.contains("TOPIC_NOT_EXIST(17)"))
        .count();
    assert!(
        answered >= 1,
        "no TOPIC_NOT_EXIST answer to the C++ client in:\n{log}"
    );
    assert!(
        !log.contains("malformed frame"),
        "a C++ request was refused:\n{log}"
    );
}
