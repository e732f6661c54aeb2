//! One failing input per lint rule of `rmqctl check`, plus clean inputs that must pass.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap fails the run, saying where

use std::path::{Path, PathBuf};

use rmqctl::render::derive::derive;
use rmqctl::render::inventory::{InventoryError, LoadedInventory};
use rmqctl::render::lint::{Finding, Severity, RULES};
use rmqctl::render::pipeline::{check_properties_files, render_inventory, PipelineError};
use rmqctl::render::templates::Templates;

const MASTER_A: &str = "brokerClusterName=DefaultCluster\nbrokerName=broker-a\nbrokerId=0\nbrokerRole=SYNC_MASTER\n\
flushDiskType=ASYNC_FLUSH\nnamesrvAddr=10.0.0.1:9876\nbrokerIP1=10.0.0.1\nlistenPort=10911\nstorePathRootDir=/data/broker-a\n";
const SLAVE_A: &str = "brokerClusterName=DefaultCluster\nbrokerName=broker-a\nbrokerId=1\nbrokerRole=SLAVE\n\
flushDiskType=ASYNC_FLUSH\nnamesrvAddr=10.0.0.1:9876\nbrokerIP1=10.0.0.2\nlistenPort=10911\nstorePathRootDir=/data/broker-a-s\n";

/// Writes files into a fresh temp dir and lints them with `check --properties`.
fn check(files: &[(&str, &str)]) -> Vec<Finding> {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|(name, text)| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();
    check_properties_files(&paths)
}

fn rules(findings: &[Finding]) -> Vec<(&'static str, Severity)> {
    findings.iter().map(|f| (f.rule, f.severity)).collect()
}

fn find<'a>(findings: &'a [Finding], rule: &str) -> &'a Finding {
    findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("no {rule} finding in {findings:#?}"))
}

fn inventory_findings(text: &str) -> Vec<Finding> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inv.toml");
    std::fs::write(&path, text).unwrap();
    match render_inventory(&path, &Templates::embedded()) {
        Ok(output) => output.findings,
        Err(PipelineError::Inventory(findings)) => findings,
        Err(e) => panic!("{e}"),
    }
}

const BASE_INVENTORY: &str = "cluster = \"C\"\nreplication = \"sync\"\ninstall_root = \"/opt/rmq\"\n\
[namesrv]\nhosts = [\"h1\"]\n[hosts.h1]\naddress = \"10.0.0.1\"\n[hosts.h2]\naddress = \"10.0.0.2\"\n\
[groups.broker-a]\nmaster = \"h1\"\nslaves = [\"h2\"]\n";

#[test]
fn a_clean_master_slave_pair_passes() {
    assert_eq!(
        rules(&check(&[
            ("broker-a.properties", MASTER_A),
            ("broker-a-s.properties", SLAVE_A)
        ])),
        vec![]
    );
    assert_eq!(rules(&inventory_findings(BASE_INVENTORY)), vec![]);
}

#[test]
fn rule_unknown_key_with_did_you_mean() {
    let text = MASTER_A.replace("brokerIP1", "brokerIp1")
        + "mapedFileSizeCommitLog=1073741824\nfooBar=1\n";
    let findings = check(&[("broker-a.properties", &text)]);
    let unknown: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule == "unknown-key")
        .collect();
    assert_eq!(unknown.len(), 3, "{findings:#?}");
    assert!(unknown[0].message.contains("did you mean `brokerIP1`"));
    assert_eq!((unknown[0].line, unknown[0].col), (7, 1));
    assert!(unknown[1].message.contains("mappedFileSizeCommitLog"));
    assert!(unknown[1].hint.contains("ignored"));
    assert_eq!(unknown[0].severity, Severity::Error);
}

#[test]
fn rule_unknown_key_in_an_inventory_points_at_the_toml_key() {
    let findings = inventory_findings(&format!(
        "{BASE_INVENTORY}[broker]\nbrokerIp1 = \"1.2.3.4\"\n"
    ));
    let f = find(&findings, "unknown-key");
    assert_eq!((f.line, f.col), (14, 1));
    assert!(f.message.contains("brokerIP1"));
}

#[test]
fn rule_bad_value_for_enums_and_numbers() {
    let text = MASTER_A
        .replace("SYNC_MASTER", "SYNC_MASTR")
        .replace("10911", "10911x");
    let findings = check(&[("broker-a.properties", &text)]);
    let bad: Vec<&Finding> = findings.iter().filter(|f| f.rule == "bad-value").collect();
    assert_eq!(bad.len(), 2, "{findings:#?}");
    assert_eq!((bad[0].line, bad[0].col), (4, 12));
    assert!(bad[0].hint.contains("SYNC_MASTER"));
}

#[test]
fn rule_bad_value_for_addresses() {
    let text = MASTER_A.replace("brokerIP1=10.0.0.1", "brokerIP1=10.0.0.1,10.0.0.2")
        + "brokerIP2=10.0.0\nhaMasterAddress=10.0.0.2\n";
    let findings = check(&[("broker-a.properties", &text)]);
    let bad: Vec<(usize, usize, &str)> = findings
        .iter()
        .filter(|f| f.rule == "bad-value")
        .map(|f| (f.line, f.col, f.message.as_str()))
        .collect();
    assert_eq!(
        bad,
        [
            (7, 11, "bad value `10.0.0.1,10.0.0.2` for `brokerIP1`: expected an IPv4 or IPv6 address or a host name"),
            (10, 11, "bad value `10.0.0` for `brokerIP2`: expected an IPv4 or IPv6 address or a host name"),
            (11, 17, "bad value `10.0.0.2` for `haMasterAddress`: expected host:port (the master's HA address)"),
        ],
        "{findings:#?}"
    );
    let host_names = MASTER_A.replace("brokerIP1=10.0.0.1", "brokerIP1=mq-a.example.com")
        + "brokerIP2=fe80::1\nhaMasterAddress=mq-a.example.com:10912\n";
    assert_eq!(
        rules(&check(&[("broker-a.properties", &host_names)])),
        [("sync-master-without-slave", Severity::Warning)]
    );
}

/// The broker-a.properties of the cluster plan this project grew from, as written there (a
/// Chinese comment after every value): every finding, at file:line:col.
#[test]
fn rule_inline_comment_in_the_plans_broker_a_properties() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check/broker-a-inline-comments.properties");
    let findings = check_properties_files(&[&fixture]);
    let file = fixture.display().to_string();
    let at = |line: usize, col: usize, severity: &str, rule: &str| {
        format!("{file}:{line}:{col}: {severity}[{rule}]")
    };
    let expected = [
        at(3, 36, "error", "inline-comment"),
        at(4, 21, "error", "inline-comment"),
        at(5, 10, "error", "bad-value"),
        at(5, 12, "error", "inline-comment"),
        at(6, 13, "error", "namesrv-addr"),
        at(6, 45, "error", "inline-comment"),
        at(7, 11, "error", "bad-value"),
        at(7, 22, "error", "inline-comment"),
        at(8, 23, "error", "bad-value"),
        at(8, 25, "error", "inline-comment"),
        at(9, 23, "error", "bad-value"),
        at(9, 28, "error", "inline-comment"),
        at(10, 12, "error", "bad-value"),
        at(10, 18, "error", "inline-comment"),
        at(11, 15, "error", "inline-comment"),
        at(12, 18, "error", "bad-value"),
        at(12, 22, "error", "inline-comment"),
        at(13, 44, "error", "inline-comment"),
        at(14, 12, "error", "bad-value"),
        at(14, 12, "warning", "sync-master-without-slave"),
        at(14, 24, "error", "inline-comment"),
        at(15, 15, "error", "bad-value"),
        at(15, 27, "error", "inline-comment"),
    ];
    let found: Vec<String> = findings
        .iter()
        .map(|f| at(f.line, f.col, &f.severity.to_string(), f.rule))
        .collect();
    assert_eq!(found, expected, "{findings:#?}");

    let shown = |line: usize, col: usize| -> String {
        let f = findings
            .iter()
            .find(|f| (f.line, f.col) == (line, col))
            .unwrap();
        f.to_string()
    };
    assert_eq!(
        shown(4, 21),
        format!(
            "{file}:4:21: error[inline-comment]: value of `brokerName` holds an inline comment: \
             Java reads the value as `broker-a #归属master-slave组的名字`\n  hint: java.util.Properties \
             starts a comment only at the beginning of a line and keeps everything after `=`; move \
             `#归属master-slave组的名字` to its own line"
        )
    );
    // The enum, number and address rules keep their messages and name the comment as the cause.
    assert_eq!(
        shown(14, 12),
        format!(
            "{file}:14:12: error[bad-value]: bad value `SYNC_MASTER #角色同步双写Master` for \
             `brokerRole`: expected one of ASYNC_MASTER, SYNC_MASTER, SLAVE\n  hint: the inline \
             comment `#角色同步双写Master` is part of the value (Java keeps everything after `=`); \
             move it to its own line and `SYNC_MASTER` is read as meant"
        )
    );
    assert!(shown(7, 11).contains("expected an IPv4 or IPv6 address or a host name"));
    assert!(shown(7, 11).contains("`10.1.236.1` is read as meant"));
    assert!(shown(6, 13).contains("`10.1.236.1:9876;10.1.236.2:9876` is read as meant"));
    assert!(shown(5, 10).contains("expected a whole number (Java long)"));

    // Moving every comment to its own line leaves only the single-file warning.
    let text = std::fs::read_to_string(&fixture).unwrap();
    let moved: String = text
        .lines()
        .flat_map(|line| match line.split_once(" #") {
            Some((entry, comment)) if !line.starts_with('#') => {
                vec![format!("#{comment}"), entry.to_string()]
            }
            _ => vec![line.to_string()],
        })
        .map(|line| line + "\n")
        .collect();
    assert_eq!(
        rules(&check(&[("broker-a.properties", &moved)])),
        [("sync-master-without-slave", Severity::Warning)]
    );
}

#[test]
fn rule_inline_comment_in_a_namesrv_file_and_an_escaped_hash() {
    let f = check(&[(
        "namesrv.properties",
        "listenPort=9876\nkvConfigPath=/x/kv.json !kv\n",
    )]);
    let comment = find(&f, "inline-comment");
    assert_eq!((comment.line, comment.col), (2, 25));
    let escaped = MASTER_A.replace("brokerName=broker-a", "brokerName=broker-a \\#1");
    assert!(!rules(&check(&[("broker-a.properties", &escaped)]))
        .iter()
        .any(|(rule, _)| *rule == "inline-comment"));
}

#[test]
fn rule_trailing_blank() {
    let text = SLAVE_A.replace("brokerRole=SLAVE", "brokerRole=SLAVE ");
    let f = check(&[("broker-a-s.properties", &text)]);
    let f = find(&f, "trailing-blank");
    assert_eq!((f.line, f.col), (4, 17));
}

#[test]
fn rule_duplicate_key() {
    let f = check(&[("broker-a.properties", &format!("{MASTER_A}brokerId=0\n"))]);
    assert_eq!(find(&f, "duplicate-key").severity, Severity::Warning);
}

#[test]
fn rule_master_broker_id() {
    let two_masters = check(&[
        ("a1.properties", MASTER_A),
        (
            "a2.properties",
            &MASTER_A.replace("10.0.0.1\nlisten", "10.0.0.9\nlisten"),
        ),
    ]);
    assert!(find(&two_masters, "master-broker-id")
        .message
        .contains("second master"));
    let nonzero = check(&[(
        "a.properties",
        &MASTER_A.replace("brokerId=0", "brokerId=3"),
    )]);
    assert_eq!(find(&nonzero, "master-broker-id").line, 3);
}

#[test]
fn rule_slave_broker_id() {
    let f = check(&[
        ("broker-a.properties", MASTER_A),
        (
            "broker-a-s.properties",
            &SLAVE_A.replace("brokerId=1", "brokerId=0"),
        ),
    ]);
    assert_eq!(find(&f, "slave-broker-id").severity, Severity::Error);
}

#[test]
fn rule_missing_master() {
    let f = check(&[("broker-a-s.properties", SLAVE_A)]);
    assert_eq!(find(&f, "missing-master").severity, Severity::Warning);
}

#[test]
fn rule_sync_master_without_slave() {
    let f = check(&[("broker-a.properties", MASTER_A)]);
    assert_eq!(
        find(&f, "sync-master-without-slave").severity,
        Severity::Warning
    );
    let in_inventory = inventory_findings(&BASE_INVENTORY.replace("slaves = [\"h2\"]\n", ""));
    assert_eq!(
        find(&in_inventory, "sync-master-without-slave").severity,
        Severity::Error
    );
}

#[test]
fn rule_pair_mismatch() {
    let slave = SLAVE_A
        .replace("DefaultCluster", "OtherCluster")
        .replace("10.0.0.1:9876", "10.0.0.1:9877");
    let f = check(&[
        ("broker-a.properties", MASTER_A),
        ("broker-a-s.properties", &slave),
    ]);
    let mismatches: Vec<_> = f.iter().filter(|f| f.rule == "pair-mismatch").collect();
    assert_eq!(mismatches.len(), 2, "{f:#?}");
    assert!(mismatches[0].path.ends_with("broker-a-s.properties"));
}

#[test]
fn rule_port_clash_on_one_host() {
    let other = MASTER_A
        .replace("broker-a", "broker-b")
        .replace("10911", "10913");
    let f = check(&[
        ("broker-a.properties", MASTER_A),
        ("broker-b.properties", &other),
    ]);
    assert!(find(&f, "port-clash").message.contains("10911"), "{f:#?}");
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render/2m-2s-cross-clash.toml");
    let output = render_inventory(&fixture, &Templates::embedded()).expect("renders");
    assert!(find(&output.findings, "port-clash")
        .path
        .contains("broker-b-s.properties"));
}

#[test]
fn rule_shared_store() {
    let other = MASTER_A
        .replace("broker-a", "broker-b")
        .replace("10911", "10921")
        .replace("/data/broker-b", "/data/broker-a");
    let f = check(&[
        ("broker-a.properties", MASTER_A),
        ("broker-b.properties", &other),
    ]);
    assert_eq!(find(&f, "shared-store").line, 9);
}

#[test]
fn rule_master_slave_same_host() {
    let slave = SLAVE_A
        .replace("10.0.0.2", "10.0.0.1")
        .replace("10911", "10921");
    let f = check(&[
        ("broker-a.properties", MASTER_A),
        ("broker-a-s.properties", &slave),
    ]);
    assert_eq!(
        find(&f, "master-slave-same-host").severity,
        Severity::Warning
    );
}

#[test]
fn rule_max_message_size() {
    let f = check(&[(
        "broker-a.properties",
        &format!("{MASTER_A}maxMessageSize=2147483647\n"),
    )]);
    assert_eq!(find(&f, "max-message-size").severity, Severity::Error);
    let f = check(&[(
        "broker-a.properties",
        &format!("{MASTER_A}maxMessageSize=8388608\n"),
    )]);
    assert_eq!(find(&f, "max-message-size").severity, Severity::Warning);
}

#[test]
fn rule_namesrv_addr() {
    let f = check(&[(
        "broker-a.properties",
        &MASTER_A.replace("10.0.0.1:9876", "10.0.0.1:9876,10.0.0.2:9876"),
    )]);
    let comma = find(&f, "namesrv-addr");
    assert!(comma.hint.contains(';'));
    assert_eq!(comma.severity, Severity::Error);
    let missing = check(&[(
        "broker-a.properties",
        &MASTER_A.replace("namesrvAddr=10.0.0.1:9876\n", ""),
    )]);
    let f = find(&missing, "namesrv-addr");
    assert_eq!((f.severity, f.line), (Severity::Warning, 1), "{f:#?}");
    assert!(f.message.contains("not set"), "{f:#?}");
}

#[test]
fn rule_missing_broker_ip() {
    let f = check(&[(
        "broker-a.properties",
        &MASTER_A.replace("brokerIP1=10.0.0.1\n", ""),
    )]);
    assert_eq!(find(&f, "missing-broker-ip").severity, Severity::Warning);
}

#[test]
fn rule_unknown_namesrv_key() {
    let f = check(&[("namesrv.properties", "listenPort=9876\nkvConfigPth=/x\n")]);
    assert!(find(&f, "unknown-key").message.contains("kvConfigPath"));
}

#[test]
fn rule_toml_syntax_shows_line_and_caret() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render/bad-syntax.toml");
    let err = LoadedInventory::load(&fixture).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("bad-syntax.toml:2:15: error:"), "{text}");
    assert!(
        text.contains("2 | replication = sync\n  |               ^"),
        "{text}"
    );
}

#[test]
fn rule_inventory_unknown_field_and_unknown_host() {
    let unknown_field = inventory_findings(&BASE_INVENTORY.replace("install_root", "instal_root"));
    assert_eq!(find(&unknown_field, "toml-syntax").line, 3);
    let loaded = LoadedInventory::parse(
        &BASE_INVENTORY.replace("slaves = [\"h2\"]", "slaves = [\"h3\"]"),
        Path::new("i.toml"),
    )
    .unwrap();
    let Err(InventoryError::Invalid { problems, .. }) = derive(&loaded) else {
        panic!("expected errors")
    };
    assert_eq!(problems[0].rule, "inventory");
    assert_eq!(problems[0].pos.line, 12);
    assert!(problems[0].hint.contains("h1, h2"));
}

/// Every rule has a row in README's rule table (`| \`rule\` | severity | ... |`) whose severity
/// column starts with the rule's severity, the table has no row for an unknown rule, and every
/// rule is named in a test of this file.
#[test]
fn every_rule_is_documented_and_tested_here() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let rows: Vec<(String, String)> = readme
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let rule = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            let severity = cells.get(2)?;
            (severity.starts_with("error") || severity.starts_with("warning"))
                .then(|| (rule.to_string(), severity.to_string()))
        })
        .collect();
    for (rule, severity, _) in RULES {
        let row = rows.iter().find(|(r, _)| r == rule);
        let Some((_, documented)) = row else {
            panic!("rule {rule} has no row in README's rule table")
        };
        assert!(
            documented.starts_with(&severity.to_string()),
            "README gives {rule} severity `{documented}`, the rule is {severity}"
        );
    }
    for (rule, _) in &rows {
        assert!(
            RULES.iter().any(|(r, _, _)| r == rule),
            "README documents a rule `{rule}` that does not exist"
        );
    }
    let source = include_str!("check_lint_rules.rs");
    for (rule, _, _) in RULES {
        let tested = source.contains(&format!("\"{rule}\""))
            || source.contains(&format!("fn rule_{}", rule.replace('-', "_")));
        assert!(tested, "rule {rule} has no test");
    }
}

/// Derived ports avoid the name server's port; an explicit listenPort that puts the HA port
/// (listenPort+1) on it is caught.
#[test]
fn rule_port_clash_with_the_name_server_port() {
    let findings = inventory_findings(&format!(
        "{}[brokers.broker-a]\nlistenPort = 10911\n",
        BASE_INVENTORY.replace("hosts = [\"h1\"]\n", "hosts = [\"h1\"]\nport = 10912\n")
    ));
    let f = find(&findings, "port-clash");
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message.contains("10912") && f.message.contains("name server"),
        "{f:#?}"
    );
}

#[test]
fn rule_shared_store_through_store_path_commit_log() {
    let a = format!("{MASTER_A}storePathCommitLog=/data/shared/commitlog\n");
    let b = a.replace("broker-a", "broker-b").replace("10911", "10921");
    let f = check(&[("broker-a.properties", &a), ("broker-b.properties", &b)]);
    let shared = find(&f, "shared-store");
    assert_eq!(shared.severity, Severity::Error);
    assert!(shared.message.contains("storePathCommitLog"), "{shared:#?}");
    assert_eq!(shared.line, 10, "{shared:#?}");
}

#[test]
fn rule_max_message_size_zero() {
    let f = check(&[(
        "broker-a.properties",
        &format!("{MASTER_A}maxMessageSize=0\n"),
    )]);
    let zero = find(&f, "max-message-size");
    assert_eq!(
        (zero.severity, zero.line),
        (Severity::Error, 10),
        "{zero:#?}"
    );
}

/// `tls-files`: the certificate and key files named by `tls.*` keys (broker and name-server
/// files) must exist, parse, go together and not be expired; under 30 days left is a warning.
#[test]
fn rule_tls_files() {
    use rmqctl::remoting::tls::issue::{CertificateAuthority, Usage, Validity};
    let certs = tempfile::tempdir().unwrap();
    let ca = CertificateAuthority::generate("lint CA", Validity::days(365)).unwrap();
    let names = ["localhost".to_string()];
    let write = |name: &str, validity: Validity| {
        let issued = ca.issue(&names, Usage::Server, validity).unwrap();
        let cert = certs.path().join(format!("{name}.pem"));
        let key = certs.path().join(format!("{name}-key.pem"));
        std::fs::write(&cert, issued.cert_pem).unwrap();
        std::fs::write(&key, issued.key_pem).unwrap();
        (cert.display().to_string(), key.display().to_string())
    };
    let (good, good_key) = write("good", Validity::days(365));
    let (soon, soon_key) = write("soon", Validity::days(10));
    let (old, old_key) = write(
        "old",
        Validity {
            from_days: -30,
            until_days: -1,
        },
    );
    let tls = |cert: &str, key: &str| {
        format!("tls.server.mode=enforcing\ntls.server.certPath={cert}\ntls.server.keyPath={key}\n")
    };
    let clean = check(&[
        ("namesrv.properties", &tls(&good, &good_key)),
        (
            "broker-a.properties",
            &format!("{MASTER_A}{}", tls(&good, &good_key)),
        ),
        ("broker-a-s.properties", SLAVE_A),
    ]);
    assert!(
        !clean
            .iter()
            .any(|f| f.rule == "tls-files" || f.rule == "unknown-key"),
        "{clean:#?}"
    );
    let mismatched = check(&[("namesrv.properties", &tls(&good, &soon_key))]);
    let f = find(&mismatched, "tls-files");
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.contains("do not go together"), "{f}");
    let missing = check(&[(
        "namesrv.properties",
        &tls("/nonexistent/cert.pem", &good_key),
    )]);
    assert!(find(&missing, "tls-files").message.contains("cannot read"));
    let expired = check(&[("namesrv.properties", &tls(&old, &old_key))]);
    let f = expired
        .iter()
        .find(|f| f.message.contains("has expired"))
        .unwrap();
    assert_eq!((f.rule, f.severity), ("tls-files", Severity::Error));
    let expiring = check(&[("namesrv.properties", &tls(&soon, &soon_key))]);
    let f = find(&expiring, "tls-files");
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("expires in"), "{f}");
}

const ACL_INVENTORY: &str = "\
[acl]
global_white_remote_addresses = [\"10.0.0.*\"]
[[acl.accounts]]
access_key = \"rmqadmin\"
secret_key = \"admin-secret\"
admin = true
[[acl.accounts]]
access_key = \"producer1\"
secret_key = \"secret-p1\"
default_topic_perm = \"DENY\"
topic_perms = [\"TopicA=PUB|SUB\"]
group_perms = [\"groupA=SUB\"]
";

/// `[acl]`: a clean table passes; each mistake is an `acl` error at its own line.
#[test]
fn rule_acl() {
    let clean = format!("{BASE_INVENTORY}{ACL_INVENTORY}");
    assert_eq!(rules(&inventory_findings(&clean)), vec![]);
    let line_of =
        |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    for (from, to, says) in [
        ("TopicA=PUB|SUB", "TopicA=PUBB", "unknown permission `PUBB`"),
        ("groupA=SUB", "groupA", "is not `name=PERM`"),
        ("\"DENY\"", "\"NONE\"", "default_topic_perm `NONE`"),
        ("10.0.0.*", "10.0.0.300", "not an IPv4 or IPv6 address"),
        (
            "\"secret-p1\"",
            "\"short\"",
            "has 5 characters; Apache needs at least 7",
        ),
        (
            "\"producer1\"",
            "\"rmqadmin\"",
            "access key `rmqadmin` is defined twice",
        ),
        (
            "secret_key = \"secret-p1\"\n",
            "",
            "account `producer1` has no secret_key",
        ),
        ("admin = true\n", "", "no admin account for admin_account"),
    ] {
        let text = clean.replacen(from, to, 1);
        let findings = inventory_findings(&text);
        let f = find(&findings, "acl");
        assert_eq!(f.severity, Severity::Error);
        assert!(f.message.contains(says), "{from} -> {to}: {f:#?}");
        assert!(!f.message.contains("admin-secret") && !f.message.contains("short\""));
        if !to.is_empty() && from != "\"producer1\"" {
            assert_eq!(f.line, line_of(&text, to.trim_matches('"')), "{f:#?}");
        }
    }
    let namesrv = clean.replace(
        "[acl]\n",
        "[acl]\nnamesrv = true\nbroker_account = \"producer1\"\n",
    );
    let findings = inventory_findings(&namesrv);
    let f = find(&findings, "acl");
    assert!(
        f.message
            .contains("broker_account `producer1` is not an admin account"),
        "{f:#?}"
    );
}

/// A rendered `[acl]`: plain_acl.yml (mode 0600, Apache's format, read back by the broker's
/// loader), aclEnable=true in every broker file, `--access-key` of the admin account in the
/// broker units, and no secret in plan.json or any other file.
#[test]
fn acl_renders_plain_acl_yml_and_acl_enable() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inv.toml");
    std::fs::write(&inventory, format!("{BASE_INVENTORY}{ACL_INVENTORY}")).unwrap();
    let out = dir.path().join("out");
    let rendered = crate::common::rmqctl(&[
        "render",
        inventory.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        rendered.status.code(),
        Some(0),
        "{}",
        crate::common::stderr(&rendered)
    );
    let acl = out.join("plain_acl.yml");
    let mode = std::fs::metadata(&acl).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let file = rmqctl::acl::PlainAclFile::load(&acl).unwrap();
    assert_eq!(file.accounts.len(), 2);
    assert_eq!(
        file.accounts[1].topic_perms[0].to_string(),
        "TopicA=PUB|SUB"
    );
    assert_eq!(file.global_white_remote_addresses[0].as_str(), "10.0.0.*");
    for name in ["broker-a.properties", "broker-a-s.properties"] {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        assert!(text.contains("\naclEnable=true\n"), "{name}: {text}");
    }
    let namesrv = std::fs::read_to_string(out.join("namesrv.properties")).unwrap();
    assert!(!namesrv.contains("aclEnable"), "{namesrv}");
    let unit = std::fs::read_to_string(out.join("units/h1/rmqctl-broker-a.service")).unwrap();
    assert!(
        unit.contains("broker -c /opt/rmq/conf/broker-a.properties --access-key rmqadmin\n"),
        "{unit}"
    );
    for entry in walk(&out) {
        if entry.file_name().is_some_and(|n| n == "plain_acl.yml") {
            continue;
        }
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        assert!(
            !text.contains("admin-secret") && !text.contains("secret-p1"),
            "{} holds a secret",
            entry.display()
        );
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// `[gateway]`: an unknown host, a callback prefix that is not an http(s) URL prefix and an
/// unset tokens variable are errors at their inventory lines; an empty allow list is a warning;
/// a gateway port on the host's broker triple is a `port-clash`; a clean table passes.
#[test]
fn rule_gateway() {
    let findings = inventory_findings(&format!(
        "{BASE_INVENTORY}[gateway]\nhosts = [\"h1\", \"h9\"]\nallow_callbacks = [\"ftp://x/\"]\n\
         tokens_env = \"RMQCTL_TEST_NO_SUCH_GATEWAY_TOKENS\"\n"
    ));
    let gateway: Vec<&Finding> = findings.iter().filter(|f| f.rule == "gateway").collect();
    let at = |needle: &str| {
        gateway
            .iter()
            .find(|f| f.message.contains(needle))
            .unwrap_or_else(|| panic!("no gateway finding with {needle:?}: {findings:#?}"))
    };
    assert_eq!(at("unknown host `h9`").severity, Severity::Error);
    assert_eq!(at("unknown host `h9`").line, 14);
    assert_eq!(at("\"ftp://x/\"").severity, Severity::Error);
    assert_eq!(at("\"ftp://x/\"").line, 15);
    let tokens = at("RMQCTL_TEST_NO_SUCH_GATEWAY_TOKENS");
    assert_eq!((tokens.severity, tokens.line), (Severity::Error, 16));
    assert!(tokens.hint.contains("export"), "{tokens:#?}");

    let findings = inventory_findings(&format!(
        "{BASE_INVENTORY}[gateway]\nhosts = [\"h2\"]\nport = 10912\n"
    ));
    let empty = find(&findings, "gateway");
    assert_eq!(empty.severity, Severity::Warning);
    assert!(
        empty.message.contains("refuses every backurl"),
        "{empty:#?}"
    );
    let clash = find(&findings, "port-clash");
    assert_eq!(clash.severity, Severity::Error);
    assert!(
        clash.message.contains("10912") && clash.message.contains("broker-a-s"),
        "{clash:#?}"
    );

    let clean = inventory_findings(&format!(
        "{BASE_INVENTORY}[gateway]\nhosts = [\"h2\"]\nallow_callbacks = [\"https://*.example.com/hooks/\"]\n"
    ));
    assert!(clean.is_empty(), "{clean:#?}");
}
