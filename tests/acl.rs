//! ACL 1.0 on real `rmqctl broker` processes (`aclEnable=true`, `plain_acl.yml` beside the
//! config): signed and unsigned requests from our own client (refusals answer NO_PERMISSION,
//! keep the connection usable and store nothing; a replayed request with a changed field is
//! refused; admin-only requests), the ACL file edited while the broker runs, a malformed file
//! stopping startup, and the Apache C++ client (PyPI rocketmq 0.4.4, `set_session_credentials`)
//! sending and consuming with good, wrong and unknown credentials.

mod common;

use common::{BrokerSpec, ServerProcess};
use rmqctl::acl::{Credentials, Secret};
use rmqctl::remoting::client::RemotingClient;
use rmqctl::remoting::headers::CreateTopicRequestHeader;
use rmqctl::remoting::{RemotingCommand, RequestCode, ResponseCode};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The accounts every test starts with.
const ACL: &str = "\
accounts:
  - accessKey: producer1
    secretKey: secret-p1
    defaultTopicPerm: DENY
    defaultGroupPerm: DENY
    topicPerms:
      - TopicA=PUB|SUB
      - TopicSubOnly=SUB
    groupPerms:
      - groupA=SUB
      - groupDenied=DENY
  - accessKey: rmqadmin
    secretKey: admin-secret
    admin: true
";

const TIMEOUT: Duration = Duration::from_secs(10);

fn producer() -> Credentials {
    Credentials::new("producer1", Secret::new("secret-p1"))
}

fn admin() -> Credentials {
    Credentials::new("rmqadmin", Secret::new("admin-secret"))
}

struct AclCluster {
    dir: tempfile::TempDir,
    namesrv: ServerProcess,
    broker: ServerProcess,
}

impl AclCluster {
    fn start() -> AclCluster {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("broker-a-0");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(home.join("plain_acl.yml"), ACL).unwrap();
        let namesrv = common::start_namesrv(dir.path(), 120_000);
        let broker = common::start_broker(
            dir.path(),
            namesrv.addr,
            &BrokerSpec {
                extra: "aclEnable=true\nautoCreateTopicEnable=true",
                ..BrokerSpec::default()
            },
        );
        common::wait_for_route(namesrv.addr, "TBW102");
        AclCluster {
            dir,
            namesrv,
            broker,
        }
    }

    fn acl_file(&self) -> PathBuf {
        self.dir.path().join("broker-a-0/plain_acl.yml")
    }

    fn broker_addr(&self) -> String {
        self.broker.addr.to_string()
    }

    fn ns(&self) -> String {
        self.namesrv.addr.to_string()
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn send(topic: &str, body: &str) -> RemotingCommand {
    common::wire::send_v2(topic, 0, body.as_bytes().to_vec(), "")
}

fn signed(mut request: RemotingCommand, creds: &Credentials) -> RemotingCommand {
    creds.sign(&mut request);
    request
}

fn create_topic(topic: &str) -> RemotingCommand {
    RemotingCommand::request(RequestCode::UPDATE_AND_CREATE_TOPIC).with_header(
        &CreateTopicRequestHeader {
            topic: topic.into(),
            default_topic: "TBW102".into(),
            read_queue_nums: 4,
            write_queue_nums: 4,
            perm: 6,
            topic_filter_type: "SINGLE_TAG".into(),
            ..Default::default()
        },
    )
}

/// The answer's code and remark.
async fn call(client: &RemotingClient, addr: &str, request: RemotingCommand) -> (i32, String) {
    let r = client.invoke(addr, request, TIMEOUT).await.unwrap();
    (r.code, r.remark.unwrap_or_default())
}

fn assert_refused(answer: &(i32, String), expected: &str) {
    assert_eq!(
        answer.0,
        ResponseCode::NO_PERMISSION.code(),
        "expected NO_PERMISSION, got {answer:?}"
    );
    assert!(answer.1.contains(expected), "remark {:?}", answer.1);
    assert!(
        !answer.1.contains("secret-p1") && !answer.1.contains("admin-secret"),
        "a remark never holds a secret: {}",
        answer.1
    );
}

/// Refusals answer NO_PERMISSION with the account and what it lacks, on a connection that stays
/// usable, and store nothing: the first accepted send to TopicA gets queue offset 0.
#[test]
fn signed_unsigned_and_tampered_requests() {
    let cluster = AclCluster::start();
    let addr = cluster.broker_addr();
    runtime().block_on(async {
        let client = RemotingClient::default();
        let unsigned = call(&client, &addr, send("TopicA", "a")).await;
        assert_refused(&unsigned, "no AccessKey");

        let mut garbage = send("TopicA", "b");
        garbage.ext_fields.insert("AccessKey", "producer1");
        garbage.ext_fields.insert("Signature", "%%% not base64");
        assert_refused(
            &call(&client, &addr, garbage).await,
            "signature check failed for account `producer1`",
        );

        let mut no_signature = send("TopicA", "b");
        no_signature.ext_fields.insert("AccessKey", "producer1");
        assert_refused(
            &call(&client, &addr, no_signature).await,
            "signature check failed",
        );

        let wrong_secret = Credentials::new("producer1", Secret::new("not-the-secret"));
        assert_refused(
            &call(&client, &addr, signed(send("TopicA", "c"), &wrong_secret)).await,
            "signature check failed for account `producer1`",
        );
        let unknown = Credentials::new("stranger", Secret::new("whatever-secret"));
        assert_refused(
            &call(&client, &addr, signed(send("TopicA", "d"), &unknown)).await,
            "no account `stranger`",
        );

        // Replayed with another topic (or another body): the signature no longer matches.
        let good = signed(send("TopicA", "e"), &producer());
        let mut replay = good.clone();
        replay.ext_fields.insert("b", "TopicSubOnly");
        assert_refused(
            &call(&client, &addr, replay).await,
            "signature check failed",
        );
        let mut other_body = good.clone();
        other_body.body = Some(bytes::Bytes::from_static(b"tampered"));
        assert_refused(
            &call(&client, &addr, other_body).await,
            "signature check failed",
        );

        assert_refused(
            &call(
                &client,
                &addr,
                signed(send("TopicSubOnly", "f"), &producer()),
            )
            .await,
            "account `producer1` has no PUB permission on topic `TopicSubOnly` (it holds SUB)",
        );

        // The same connection still works, and nothing was stored before.
        let sent = client.invoke(&addr, good, TIMEOUT).await.unwrap();
        assert!(sent.is_success(), "{sent:?}");
        assert_eq!(common::wire::ext_i64(&sent, "queueOffset"), 0);
    });
}

/// Topic creation needs `admin: true`; an admin account may also send anywhere.
#[test]
fn admin_requests_need_an_admin_account() {
    let cluster = AclCluster::start();
    let addr = cluster.broker_addr();
    runtime().block_on(async {
        let client = RemotingClient::default();
        assert_refused(
            &call(&client, &addr, signed(create_topic("Made"), &producer())).await,
            "account `producer1` is not an admin",
        );
        let made = call(&client, &addr, signed(create_topic("Made"), &admin())).await;
        assert_eq!(made.0, 0, "{made:?}");
        let sent = call(&client, &addr, signed(send("Made", "x"), &admin())).await;
        assert_eq!(sent.0, 0, "{sent:?}");
    });
}

/// An edit of plain_acl.yml takes effect while the broker runs; a malformed edit is refused
/// with a log line and the last good ACL stays in force.
#[test]
fn acl_file_changes_take_effect_and_bad_edits_are_refused() {
    let cluster = AclCluster::start();
    let addr = cluster.broker_addr();
    runtime().block_on(async {
        let client = RemotingClient::default();
        assert_refused(
            &call(&client, &addr, signed(send("TopicB", "1"), &producer())).await,
            "no PUB permission on topic `TopicB`",
        );
        std::fs::write(
            cluster.acl_file(),
            ACL.replace(
                "      - TopicA=PUB|SUB",
                "      - TopicA=PUB|SUB\n      - TopicB=PUB",
            ),
        )
        .unwrap();
        wait_until("TopicB becomes writable", || async {
            call(&client, &addr, signed(send("TopicB", "2"), &producer()))
                .await
                .0
                == 0
        })
        .await;

        std::fs::write(
            cluster.acl_file(),
            ACL.replace("TopicA=PUB|SUB", "TopicA=WRITE"),
        )
        .unwrap();
        let log = cluster.broker.log.clone();
        wait_until("the broker logs the refused edit", || {
            let log = log.clone();
            async move {
                std::fs::read_to_string(&log)
                    .unwrap_or_default()
                    .contains("ACL file change refused, the last good ACL stays in force")
            }
        })
        .await;
        let text = cluster.broker.log_text();
        assert!(
            text.contains("plain_acl.yml:7:16") && text.contains("unknown permission `WRITE`"),
            "{text}"
        );
        let still = call(&client, &addr, signed(send("TopicB", "3"), &producer())).await;
        assert_eq!(still.0, 0, "the last good ACL stays in force: {still:?}");
    });
}

async fn wait_until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: not within 20 s");
}

/// A malformed or missing plain_acl.yml stops startup with exit 2, naming file:line and the
/// reason.
#[test]
fn malformed_or_missing_acl_file_stops_startup() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("broker.properties");
    std::fs::write(
        &conf,
        format!(
            "brokerName=broker-a\nlistenPort={}\nbindAddress=127.0.0.1\nstorePathRootDir={}\naclEnable=true\n",
            common::free_port_triple(),
            dir.path().join("store").display()
        ),
    )
    .unwrap();
    let run = || common::rmqctl(&["broker", "-c", conf.to_str().unwrap()]);
    let missing = run();
    assert_eq!(
        missing.status.code(),
        Some(2),
        "{}",
        common::stderr(&missing)
    );
    assert!(
        common::stderr(&missing).contains("aclEnable=true but there is no ACL file"),
        "{}",
        common::stderr(&missing)
    );
    std::fs::write(
        dir.path().join("plain_acl.yml"),
        ACL.replace("groupA=SUB", "groupA=READ"),
    )
    .unwrap();
    let malformed = run();
    let err = common::stderr(&malformed);
    assert_eq!(malformed.status.code(), Some(2), "{err}");
    assert!(err.contains("plain_acl.yml:10:16"), "{err}");
    assert!(err.contains("unknown permission `READ`"), "{err}");
}

// ---- the Apache C++ client ----

/// Runs tests/interop/cpp_acl.py with the account in its environment (never in argv).
fn cpp_acl(python: &Path, home: &Path, creds: (&str, &str), args: &[&str]) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/cpp_acl.py");
    let out = Command::new(python)
        .arg(script)
        .args(args)
        .env("HOME", home)
        .env("RMQ_ACCESS_KEY", creds.0)
        .env("RMQ_SECRET_KEY", creds.1)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    match stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .map(serde_json::from_str::<Value>)
    {
        Some(Ok(v)) => v,
        _ => panic!(
            "cpp_acl.py {args:?} printed no JSON (status {}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// A good account sends and pulls back; a wrong secret, an unknown account and a topic the
/// account may only subscribe to are refused; a group it may not subscribe with pulls nothing.
#[test]
fn cpp_client_with_credentials() {
    let Some(python) = common::cpp_client_python() else {
        return;
    };
    let cluster = AclCluster::start();
    let home = cluster.dir.path();
    let ns = cluster.ns();
    let good = ("producer1", "secret-p1");

    let sent = cpp_acl(&python, home, good, &["send", &ns, "TopicA", "20"]);
    assert_eq!(sent["sent_ok"], 20, "{sent}\n{}", cluster.broker.log_text());

    let pulled = cpp_acl(&python, home, good, &["pull", &ns, "TopicA", "groupA"]);
    assert_eq!(
        (pulled["pulled"].as_i64(), pulled["distinct"].as_i64()),
        (Some(20), Some(20)),
        "{pulled}"
    );
    let pushed = cpp_acl(
        &python,
        home,
        good,
        &["push", &ns, "TopicA", "groupA", "60", "20"],
    );
    assert_eq!(
        (pushed["consumed"].as_i64(), pushed["distinct"].as_i64()),
        (Some(20), Some(20)),
        "{pushed}"
    );
    let log = cluster.broker.log_text();
    assert!(
        !log.contains("refused"),
        "nothing of the good account was refused:\n{log}"
    );

    for (creds, topic, log_says) in [
        (
            ("producer1", "wrong-secret"),
            "TopicA",
            "signature check failed for account `producer1`",
        ),
        (
            ("stranger", "stranger-secret"),
            "TopicA",
            "no account `stranger`",
        ),
        (
            good,
            "TopicSubOnly",
            "account `producer1` has no PUB permission on topic `TopicSubOnly`",
        ),
    ] {
        let refused = cpp_acl(&python, home, creds, &["send", &ns, topic, "2"]);
        assert_eq!(refused["sent_ok"], 0, "{creds:?} {topic}: {refused}");
        let log = cluster.broker.log_text();
        assert!(log.contains(log_says), "{log_says} not in the broker log");
        assert!(!log.contains(creds.1), "the broker log holds a secret");
    }

    let denied = cpp_acl(&python, home, good, &["pull", &ns, "TopicA", "groupDenied"]);
    assert_eq!(denied["pulled"], 0, "{denied}");
    assert!(denied["refused"].as_i64().unwrap_or(0) > 0, "{denied}");
    assert!(cluster
        .broker
        .log_text()
        .contains("account `producer1` has no SUB permission on group `groupDenied`"));
}
