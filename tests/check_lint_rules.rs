//! One failing input per lint rule of `rmqctl check`, plus clean inputs that must pass.

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
    assert!(find(&f, "namesrv-addr").hint.contains(';'));
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

#[test]
fn every_rule_is_documented_and_tested_here() {
    let source = include_str!("check_lint_rules.rs");
    for (rule, _, _) in RULES {
        let tested = source.contains(&format!("\"{rule}\""))
            || source.contains(&format!("fn rule_{}", rule.replace('-', "_")));
        assert!(tested, "rule {rule} has no test");
    }
}
