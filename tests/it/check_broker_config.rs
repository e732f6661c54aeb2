//! `BrokerConfig` loading: defaults, typed keys, accepted-but-ignored keys and every kind of
//! problem a file can have, each reported with file:line:col and a hint.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap fails the run, saying where

use std::path::Path;

use rmqctl::apache_config::properties::{Pos, Properties};
use rmqctl::apache_config::values::{BrokerRole, FlushDiskType};
use rmqctl::broker::config::{BrokerConfig, ConfigError, SetOutcome};

fn load(text: &str) -> Result<rmqctl::broker::config::LoadedBrokerConfig, ConfigError> {
    let props = Properties::parse(text, Path::new("broker-a.properties")).expect("parses");
    BrokerConfig::from_properties(&props)
}

fn problems(text: &str) -> Vec<(Pos, &'static str, String, String)> {
    match load(text) {
        Err(ConfigError::Invalid { problems, .. }) => problems
            .into_iter()
            .map(|p| (p.pos, p.problem.rule, p.problem.message, p.problem.hint))
            .collect(),
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn classic_master_file_loads_with_apache_defaults() {
    let loaded = load(
        "brokerClusterName=DefaultCluster\nbrokerName=broker-a\nbrokerId=0\ndeleteWhen=04\n\
         fileReservedTime=48\nbrokerRole=SYNC_MASTER\nflushDiskType=ASYNC_FLUSH\n\
         listenPort=10921\nstorePathRootDir=/data/a\nwarmMapedFileEnable=true\n",
    )
    .expect("loads");
    let c = &loaded.config;
    assert_eq!(c.broker_name, "broker-a");
    assert_eq!(c.broker_role, BrokerRole::SyncMaster);
    assert_eq!(c.flush_disk_type, FlushDiskType::AsyncFlush);
    assert_eq!(c.file_reserved_time, 48);
    assert_eq!(
        (c.fast_port(), c.listen_port, c.ha_port()),
        (10919, 10921, 10922)
    );
    assert_eq!(c.commit_log_dir(), Path::new("/data/a/commitlog"));
    assert_eq!(c.max_message_size, 4 * 1024 * 1024);
    assert_eq!(c.message_delay_level.levels().len(), 18);
    assert_eq!(loaded.not_acted_on, vec!["warmMapedFileEnable".to_string()]);
}

#[test]
fn misspelled_keys_get_did_you_mean() {
    let found = problems(
        "brokerIp1=10.0.0.1\nmapedFileSizeCommitLog=1024\nbrokerNmae=x\nstorePathConsumeQueue=/x\n",
    );
    let summary: Vec<_> = found
        .iter()
        .map(|(p, r, m, _)| (p.line, *r, m.as_str()))
        .collect();
    assert_eq!(summary[0].1, "unknown-key");
    assert!(
        summary[0].2.contains("did you mean `brokerIP1`"),
        "{summary:?}"
    );
    assert!(
        summary[1]
            .2
            .contains("did you mean `mappedFileSizeCommitLog`"),
        "{summary:?}"
    );
    assert!(found[1].3.contains("ignored"), "{:?}", found[1].3);
    assert!(
        summary[2].2.contains("did you mean `brokerName`"),
        "{summary:?}"
    );
    assert!(summary[3].2.contains("storePathRootDir"), "{summary:?}");
    assert_eq!(found[0].0, Pos { line: 1, col: 1 });
}

#[test]
fn bad_enum_reports_value_position_and_closest_name() {
    let found = problems("brokerName=a\nbrokerRole = SYNC_MASTR\n");
    assert_eq!(found.len(), 1);
    let (pos, rule, message, hint) = &found[0];
    assert_eq!((*pos, *rule), (Pos { line: 2, col: 14 }, "bad-value"));
    assert!(
        message.contains("ASYNC_MASTER, SYNC_MASTER, SLAVE"),
        "{message}"
    );
    assert!(hint.contains("SYNC_MASTER"), "{hint}");
}

#[test]
fn trailing_blank_is_an_error_at_the_blank() {
    let found = problems("brokerRole=SLAVE \n");
    assert_eq!(found[0].0, Pos { line: 1, col: 17 });
    assert_eq!(found[0].1, "trailing-blank");
}

#[test]
fn bad_numbers_and_booleans_are_refused() {
    let found = problems("listenPort=10911x\nautoCreateTopicEnable=yes\nmaxMessageSize=-1\nwarmMapedFileEnable=maybe\nmessageDelayLevel=1s 5x\n");
    let rules: Vec<_> = found.iter().map(|f| (f.0.line, f.1)).collect();
    assert_eq!(
        rules,
        vec![
            (1, "bad-value"),
            (2, "bad-value"),
            (3, "bad-value"),
            (4, "bad-value"),
            (5, "bad-value")
        ]
    );
}

#[test]
fn error_display_names_file_line_and_column() {
    let err = load("brokerIp1=1.2.3.4\n").unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("broker-a.properties:1:1: unknown key `brokerIp1`"),
        "{text}"
    );
}

#[test]
fn set_applies_typed_keys_and_keeps_extra_keys() {
    let mut c = BrokerConfig::default();
    assert_eq!(c.set("brokerPermission", "4"), Ok(SetOutcome::Applied));
    assert_eq!(c.broker_permission, 4);
    assert_eq!(
        c.set("warmMapedFileEnable", "true"),
        Ok(SetOutcome::NotActedOn)
    );
    assert!(c.set("brokerRole", "MASTER").is_err());
    assert!(c.set("nope", "1").is_err());
    let text = c.to_properties_text();
    let reread = Properties::parse(&text, Path::new("dump")).unwrap();
    assert_eq!(reread.value("brokerPermission"), Some("4"));
    assert_eq!(reread.value("warmMapedFileEnable"), Some("true"));
    assert_eq!(reread.value("haListenPort"), Some("10912"));
    let again = BrokerConfig::from_properties(&reread)
        .expect("a dump loads back")
        .config;
    assert_eq!(again.to_properties_text(), text, "a dump is a fixed point");
    assert_eq!(again.extra(), c.extra());
}

#[test]
fn the_plans_file_with_inline_comments_does_not_start_a_broker() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check/broker-a-inline-comments.properties");
    let Err(ConfigError::Invalid { problems, .. }) = BrokerConfig::load(&fixture) else {
        panic!("the plan's file must be refused");
    };
    let comments: Vec<(usize, usize)> = problems
        .iter()
        .filter(|p| p.problem.rule == "inline-comment")
        .map(|p| (p.pos.line, p.pos.col))
        .collect();
    assert_eq!(comments.len(), 13, "{problems:#?}");
    assert_eq!(comments[1], (4, 21));
    let err = BrokerConfig::load(&fixture).unwrap_err().to_string();
    assert!(
        err.contains(
            ":7:11: bad value `10.1.236.1 #本机IP地址,多网卡易出错,请手工指定` for `brokerIP1`"
        ),
        "{err}"
    );
}

#[test]
fn addresses_are_checked_when_loading_and_setting() {
    let found = problems(
        "brokerIP1=10.0.0.1;10.0.0.2\nnamesrvAddr=10.0.0.1:9876,10.0.0.2:9876\nhaMasterAddress=10.0.0.2\n",
    );
    let rules: Vec<_> = found.iter().map(|f| (f.0.line, f.1)).collect();
    assert_eq!(
        rules,
        vec![(1, "bad-value"), (2, "namesrv-addr"), (3, "bad-value")]
    );
    let loaded = load(
        "brokerIP1=mq-a.example.com\nbrokerIP2=::1\nnamesrvAddr=ns1:9876; ns2:9876\nhaMasterAddress=[::1]:10912\n",
    )
    .expect("host names, IPv6 and `; ` separators load");
    assert_eq!(loaded.config.broker_ip2.as_deref(), Some("::1"));
    let mut c = BrokerConfig::default();
    assert!(c.set("brokerIP1", "10.0.0.1 10.0.0.2").is_err());
    assert_eq!(c.set("brokerIP1", "10.0.0.9"), Ok(SetOutcome::Applied));
}
