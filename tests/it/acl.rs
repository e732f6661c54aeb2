//! ACL 1.0 on real `rmqctl broker` processes (`aclEnable=true`, `plain_acl.yml` beside the
//! config): signed and unsigned requests from our own client (refusals answer NO_PERMISSION,
//! keep the connection usable and store nothing; a replayed request with a changed field is
//! refused; admin-only requests), the ACL file edited while the broker runs, a malformed file
//! stopping startup, and the Apache C++ client (PyPI rocketmq 0.4.4, `set_session_credentials`)
//! sending and consuming with good, wrong and unknown credentials.

use crate::common;

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
        let namesrv = common::start_namesrv(dir.path(), 120_000);
        let broker = start_broker_with_acl_file(
            dir.path(),
            namesrv.addr,
            &BrokerSpec {
                extra: "aclEnable=true\nautoCreateTopicEnable=true",
                ..BrokerSpec::default()
            },
            &[],
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

/// A broker of `spec` with [`ACL`] as the `plain_acl.yml` beside its config (where it checks
/// requests when `aclEnable=true`, and takes the secret of `--access-key` from), started with
/// `args`.
fn start_broker_with_acl_file(
    dir: &Path,
    namesrv: std::net::SocketAddr,
    spec: &BrokerSpec,
    args: &[&str],
) -> ServerProcess {
    let home = common::broker_home(dir, spec);
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join("plain_acl.yml"), ACL).unwrap();
    common::start_broker_with_args(dir, namesrv, spec, args)
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

/// Requests written together reach the broker in one read, whose signatures it checks
/// together: each still gets its own verdict (good ones stored in order, a wrong secret, a
/// missing signature, a body changed after signing and a missing permission refused).
#[test]
fn requests_of_one_read_are_checked_each() {
    use futures::{SinkExt, StreamExt};
    let cluster = AclCluster::start();
    let addr = cluster.broker_addr();
    runtime().block_on(async {
        let wrong_secret = Credentials::new("producer1", Secret::new("not-the-secret"));
        let mut tampered = signed(send("TopicA", "t"), &producer());
        tampered.body = Some(bytes::Bytes::from_static(b"tampered"));
        let requests = [
            signed(send("TopicA", &"1".repeat(1500)), &producer()),
            signed(send("TopicA", "w"), &wrong_secret),
            send("TopicA", "u"),
            tampered,
            signed(send("TopicA", "2"), &producer()),
            signed(send("TopicSubOnly", "s"), &producer()),
        ];
        let stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let mut conn =
            tokio_util::codec::Framed::new(stream, rmqctl::remoting::frame::RemotingCodec);
        for (opaque, mut request) in requests.into_iter().enumerate() {
            request.opaque = opaque as i32;
            conn.feed(request).await.unwrap();
        }
        conn.flush().await.unwrap();
        let mut answers = vec![None; 6];
        while answers.iter().any(Option::is_none) {
            let answer = tokio::time::timeout(TIMEOUT, conn.next())
                .await
                .expect("every request answered")
                .unwrap()
                .unwrap();
            let slot = answer.opaque as usize;
            answers[slot] = Some(answer);
        }
        let answers: Vec<RemotingCommand> = answers.into_iter().flatten().collect();
        let pair = |a: &RemotingCommand| (a.code, a.remark.clone().unwrap_or_default());
        assert!(answers[0].is_success(), "{:?}", answers[0]);
        assert_eq!(common::wire::ext_i64(&answers[0], "queueOffset"), 0);
        assert_refused(
            &pair(&answers[1]),
            "signature check failed for account `producer1`",
        );
        assert_refused(&pair(&answers[2]), "no AccessKey");
        assert_refused(
            &pair(&answers[3]),
            "signature check failed for account `producer1`",
        );
        assert!(answers[4].is_success(), "{:?}", answers[4]);
        assert_eq!(common::wire::ext_i64(&answers[4], "queueOffset"), 1);
        assert_refused(
            &pair(&answers[5]),
            "no PUB permission on topic `TopicSubOnly`",
        );
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

// ---- rmqctl as an ACL client ----

/// Runs `rmqctl ARGS` with the account in its environment (never in argv), or without any.
fn rmqctl_as(creds: Option<(&str, &str)>, args: &[&str]) -> std::process::Output {
    let mut cmd = common::rmqctl_command();
    cmd.args(args)
        .env_remove("RMQCTL_ACCESS_KEY")
        .env_remove("RMQCTL_SECRET_KEY")
        .env_remove("RMQCTL_ACCOUNT_SECRET");
    if let Some((ak, sk)) = creds {
        cmd.env("RMQCTL_ACCESS_KEY", ak)
            .env("RMQCTL_SECRET_KEY", sk);
    }
    cmd.output().unwrap()
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

const ADMIN: (&str, &str) = ("rmqadmin", "admin-secret");
const PRODUCER: (&str, &str) = ("producer1", "secret-p1");

/// Admin commands sign with --access-key/$RMQCTL_SECRET_KEY: refused without an account and
/// with a non-admin one, done with an admin account.
#[test]
fn admin_commands_with_and_without_admin_rights() {
    let cluster = AclCluster::start();
    let ns = cluster.ns();
    let create = ["topic", "create", "-t", "Orders", "-n", &ns];
    let anonymous = rmqctl_as(None, &create);
    assert_eq!(anonymous.status.code(), Some(1), "{}", text(&anonymous));
    assert!(
        text(&anonymous).contains("NO_PERMISSION(16)"),
        "{}",
        text(&anonymous)
    );
    let producer = rmqctl_as(Some(PRODUCER), &create);
    assert_eq!(producer.status.code(), Some(1), "{}", text(&producer));
    assert!(
        text(&producer).contains("account `producer1` is not an admin"),
        "{}",
        text(&producer)
    );
    let admin = rmqctl_as(Some(ADMIN), &create);
    assert_eq!(admin.status.code(), Some(0), "{}", text(&admin));
    // A read that needs no admin right still needs a valid signature.
    let status = rmqctl_as(
        Some(PRODUCER),
        &["cluster", "status", "-n", &ns, "-o", "json"],
    );
    assert_eq!(status.status.code(), Some(0), "{}", text(&status));
    let wrong = rmqctl_as(
        Some(("producer1", "wrong-secret")),
        &["cluster", "status", "-n", &ns],
    );
    assert!(
        text(&wrong).contains("signature check failed"),
        "{}",
        text(&wrong)
    );
    // One half of an account is a usage error.
    let half = rmqctl_as(
        None,
        &["cluster", "status", "-n", &ns, "--access-key", "rmqadmin"],
    );
    assert_eq!(half.status.code(), Some(2), "{}", text(&half));
}

/// `rmqctl acl add|list|remove|whitelist` change every broker's plain_acl.yml through the ACL
/// admin requests; `list -o json` never shows a secret.
#[test]
fn acl_commands_manage_a_running_cluster() {
    let cluster = AclCluster::start();
    let ns = cluster.ns();
    let addr = cluster.broker_addr();
    let mut add = common::rmqctl_command();
    add.args([
        "acl",
        "add",
        "consumer9",
        "--default-topic-perm",
        "SUB",
        "--topic-perm",
        "Orders=PUB|SUB",
        "--group-perm",
        "g9=SUB",
        "-n",
        &ns,
    ])
    .env("RMQCTL_ACCESS_KEY", ADMIN.0)
    .env("RMQCTL_SECRET_KEY", ADMIN.1)
    .env("RMQCTL_ACCOUNT_SECRET", "consumer9-secret");
    let added = add.output().unwrap();
    assert_eq!(added.status.code(), Some(0), "{}", text(&added));

    let list = rmqctl_as(Some(ADMIN), &["acl", "list", "-n", &ns, "-o", "json"]);
    assert_eq!(list.status.code(), Some(0), "{}", text(&list));
    let json: Value = serde_json::from_slice(&list.stdout).unwrap();
    let broker = &json["brokers"][0];
    assert_eq!(broker["version"], 1, "{json}");
    let accounts: Vec<&str> = broker["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["access_key"].as_str().unwrap())
        .collect();
    assert_eq!(accounts, ["producer1", "rmqadmin", "consumer9"]);
    assert_eq!(broker["accounts"][2]["topic_perms"][0], "Orders=PUB|SUB");
    let listed = text(&list);
    for secret in ["consumer9-secret", "secret-p1", "admin-secret"] {
        assert!(
            !listed.contains(secret),
            "acl list shows a secret: {listed}"
        );
    }
    assert!(!std::fs::read_to_string(cluster.acl_file())
        .unwrap()
        .is_empty());

    let consumer9 = Credentials::new("consumer9", Secret::new("consumer9-secret"));
    runtime().block_on(async {
        let client = RemotingClient::default();
        let sent = call(&client, &addr, signed(send("Orders", "x"), &consumer9)).await;
        assert_eq!(sent.0, 0, "{sent:?}");
    });

    let non_admin = rmqctl_as(
        Some(PRODUCER),
        &["acl", "remove", "consumer9", "--yes", "-n", &ns],
    );
    assert_eq!(non_admin.status.code(), Some(1), "{}", text(&non_admin));
    assert!(
        text(&non_admin).contains("not an admin"),
        "{}",
        text(&non_admin)
    );
    let removed = rmqctl_as(
        Some(ADMIN),
        &["acl", "remove", "consumer9", "--yes", "-n", &ns],
    );
    assert_eq!(removed.status.code(), Some(0), "{}", text(&removed));
    runtime().block_on(async {
        let client = RemotingClient::default();
        assert_refused(
            &call(&client, &addr, signed(send("Orders", "y"), &consumer9)).await,
            "no account `consumer9`",
        );
        // On the global white list, no account is needed at all.
        let listed = rmqctl_as(Some(ADMIN), &["acl", "whitelist", "127.0.0.*", "-n", &ns]);
        assert_eq!(listed.status.code(), Some(0), "{}", text(&listed));
        let unsigned = call(&client, &addr, send("Anything", "z")).await;
        assert_eq!(unsigned.0, 0, "{unsigned:?}");
        let cleared = rmqctl_as(Some(ADMIN), &["acl", "whitelist", "--clear", "-n", &ns]);
        assert_eq!(cleared.status.code(), Some(0), "{}", text(&cleared));
        assert_refused(
            &call(&client, &addr, send("Anything", "w")).await,
            "no AccessKey",
        );
    });
}

/// `rmqctl bench produce` signs its sends.
#[test]
fn bench_signs_its_requests() {
    let cluster = AclCluster::start();
    let addr = cluster.broker_addr();
    let args = [
        "bench",
        "produce",
        "-b",
        &addr,
        "-t",
        "TopicA",
        "--duration",
        "1",
        "--producers",
        "2",
        "--connections",
        "1",
        "-o",
        "json",
    ];
    let signed = rmqctl_as(Some(PRODUCER), &args);
    assert_eq!(signed.status.code(), Some(0), "{}", text(&signed));
    let report: Value = serde_json::from_slice(&signed.stdout).unwrap();
    assert!(report["messages"].as_u64().unwrap() > 0, "{report}");
    assert_eq!(report["errors"], 0, "{report}");
    let unsigned = rmqctl_as(None, &args);
    assert_eq!(unsigned.status.code(), Some(1), "{}", text(&unsigned));
    assert!(
        text(&unsigned).contains("no AccessKey"),
        "{}",
        text(&unsigned)
    );
}

/// A slave signs its metadata sync with the master (secret taken from its own plain_acl.yml,
/// only the access key on its command line); without an account the master refuses it.
#[test]
fn slave_syncs_from_an_acl_master_with_its_own_account() {
    let cluster = AclCluster::start();
    let ns = cluster.ns();
    let made = rmqctl_as(Some(ADMIN), &["topic", "create", "-t", "Synced", "-n", &ns]);
    assert_eq!(made.status.code(), Some(0), "{}", text(&made));
    let start_slave = |id: i64, args: &[&str]| {
        let spec = BrokerSpec {
            id,
            role: "SLAVE",
            extra: "aclEnable=true",
            ..BrokerSpec::default()
        };
        start_broker_with_acl_file(cluster.dir.path(), cluster.namesrv.addr, &spec, args)
    };
    let signed = start_slave(1, &["--access-key", "rmqadmin"]);
    let unsigned = start_slave(2, &[]);
    let start = Instant::now();
    while !signed
        .log_text()
        .contains("topic configs copied from the master")
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the signed slave did not sync: {}",
            signed.log_text()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    while !unsigned.log_text().contains("slave sync step failed") {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the unsigned slave was not refused: {}",
            unsigned.log_text()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        unsigned.log_text().contains("NO_PERMISSION"),
        "{}",
        unsigned.log_text()
    );
    assert!(!signed.log_text().contains("admin-secret"));
}

// ---- the name server's ACL option ----

/// A name server with `aclEnable=true` checks only what changes it: a broker registers with an
/// admin account (its secret from its own plain_acl.yml), one without an account is refused, a
/// stray client can neither unregister the broker nor wipe its permission, and route look-ups
/// stay open.
#[test]
fn namesrv_acl_guards_the_requests_that_change_it() {
    let dir = tempfile::tempdir().unwrap();
    let port = common::free_port();
    let conf = dir.path().join("namesrv.properties");
    std::fs::write(
        &conf,
        format!(
            "listenPort={port}\nbindAddress=127.0.0.1\nkvConfigPath={}\nconfigStorePath={}\naclEnable=true\n",
            dir.path().join("kvConfig.json").display(),
            dir.path().join("namesrv-store.properties").display(),
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("plain_acl.yml"), ACL).unwrap();
    let ns_addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let namesrv = ServerProcess::start(
        &["namesrv", "-c", conf.to_str().unwrap()],
        ns_addr,
        &dir.path().join("namesrv.log"),
    );
    let start_broker = |name: &str, args: &[&str]| {
        let spec = BrokerSpec {
            name,
            ..BrokerSpec::default()
        };
        start_broker_with_acl_file(dir.path(), ns_addr, &spec, args)
    };
    let registered = start_broker("broker-a", &["--access-key", "rmqadmin"]);
    let _unsigned = start_broker("broker-b", &[]);
    common::wait_for_route(ns_addr, "broker-a");
    let start = Instant::now();
    while !namesrv
        .log_text()
        .contains("REGISTER_BROKER(103) refused: no AccessKey")
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{}",
            namesrv.log_text()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let ns = ns_addr.to_string();
    runtime().block_on(async {
        let client = RemotingClient::default();
        let route = call(
            &client,
            &ns,
            RemotingCommand::request(RequestCode::GET_ROUTEINFO_BY_TOPIC).with_header(
                &rmqctl::remoting::headers::GetRouteInfoRequestHeader {
                    topic: "broker-b".into(),
                    accept_standard_json_only: None,
                },
            ),
        )
        .await;
        assert_eq!(
            route.0,
            ResponseCode::TOPIC_NOT_EXIST.code(),
            "broker-b never registered: {route:?}"
        );
        let unregister = RemotingCommand::request(RequestCode::UNREGISTER_BROKER).with_header(
            &rmqctl::remoting::headers::BrokerIdentityHeader {
                broker_name: "broker-a".into(),
                broker_addr: registered.addr.to_string(),
                cluster_name: "DefaultCluster".into(),
                broker_id: 0,
            },
        );
        assert_refused(
            &call(&client, &ns, unregister.clone()).await,
            "no AccessKey",
        );
        assert_refused(
            &call(&client, &ns, signed(unregister, &producer())).await,
            "account `producer1` is not an admin",
        );
        let mut wipe = RemotingCommand::request(RequestCode::WIPE_WRITE_PERM_OF_BROKER);
        wipe.ext_fields.insert("brokerName", "broker-a");
        assert_refused(&call(&client, &ns, wipe).await, "no AccessKey");
    });
    // broker-a is still registered and writable.
    let route = common::wait_for_route(ns_addr, "broker-a");
    assert_eq!(route.queue_datas[0].perm & 2, 2, "{route:?}");
}

/// POST `body` to `path` of an HTTP server with one `Connection: close` request; (status, body).
fn http_post(addr: std::net::SocketAddr, path: &str, body: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

/// `rmqctl gateway` against a broker with aclEnable=true: with gateway.toml's `[account]` (an
/// admin account: it creates its topic and sends) `/send` stores; without it the broker refuses
/// and the gateway says so.
#[test]
fn gateway_signs_with_the_account_of_gateway_toml() {
    let cluster = AclCluster::start();
    let start = |name: &str, account: &str| {
        let config = cluster.dir.path().join(format!("{name}.toml"));
        std::fs::write(
            &config,
            format!("allow_callbacks = [\"http://127.0.0.1:9/\"]\n{account}"),
        )
        .unwrap();
        ServerProcess::start_on_port_0(
            &[
                "gateway",
                "-c",
                config.to_str().unwrap(),
                "--listen",
                "127.0.0.1:0",
                "-n",
                &cluster.ns(),
            ],
            &cluster.dir.path().join(format!("{name}.log")),
            "gateway listening",
        )
    };
    let send = r#"{"backurl": "http://127.0.0.1:9/hook", "data": {"n": 1}}"#;

    let unsigned = start("unsigned", "");
    let (status, body) = http_post(unsigned.addr, "/send", send);
    assert_ne!(status, 200, "an unsigned gateway was let in: {body}");
    assert!(body.contains("\"error\""), "{body}");
    drop(unsigned);

    let signed = start(
        "signed",
        "[account]\naccess_key = \"rmqadmin\"\nsecret_key = \"admin-secret\"\n",
    );
    // The gateway creates its topic at start; a send may come before the route is there.
    let started = Instant::now();
    let (mut status, mut body) = http_post(signed.addr, "/send", send);
    while status != 200 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(200));
        (status, body) = http_post(signed.addr, "/send", send);
    }
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("SEND_OK"), "{body}");
    assert!(
        !signed.log_text().contains("admin-secret"),
        "the secret reached the log"
    );
}
