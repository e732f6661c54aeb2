//! Lint rules for broker and name-server properties files, alone and as a cluster: unknown keys,
//! bad values, trailing blanks, inline comments, broker ids and roles per brokerName, pair consistency, port
//! triples and store paths per host. Key knowledge comes from `apache_config` (one catalog).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::apache_config::check::{check_entry, check_inline_comment};
use crate::apache_config::namesrv_keys::KEYS as NAMESRV_KEYS;
use crate::apache_config::properties::{Entry, Pos, Properties};
use crate::apache_config::values::BrokerRole;

use super::derive::{port_triple, ClusterPlan};
use super::inventory::{InventoryError, InventoryProblem};
use super::templates::RenderedFile;

/// Every rule: id, default severity, what it catches.
pub const RULES: &[(&str, Severity, &str)] = &[
    ("toml-syntax", Severity::Error, "the inventory is not valid TOML"),
    ("inventory", Severity::Error, "unknown field, unknown host, missing address or other inventory mistake"),
    ("unknown-key", Severity::Error, "a key Apache does not know (with \"did you mean\"), incl. brokerIp1 and mapedFileSizeCommitLog"),
    ("bad-value", Severity::Error, "a bad enum value, number, boolean or address (brokerIP1, brokerIP2, haMasterAddress)"),
    ("trailing-blank", Severity::Error, "a value ends with a blank (Java keeps it; Apache then ignores the value)"),
    ("inline-comment", Severity::Error, "a value holds a blank then `#` or `!`: Java keeps the \"comment\" in the value"),
    ("duplicate-key", Severity::Warning, "a key set twice in one file (the last one wins)"),
    ("master-broker-id", Severity::Error, "a master without brokerId 0, or two masters with brokerId 0 for one brokerName"),
    ("slave-broker-id", Severity::Error, "a SLAVE with brokerId 0 (or unset), or two brokers with one brokerId"),
    ("missing-master", Severity::Error, "slaves of a brokerName with no master (warning with --properties)"),
    ("sync-master-without-slave", Severity::Error, "SYNC_MASTER with no slave: sends fail with SLAVE_NOT_AVAILABLE (warning with --properties)"),
    ("pair-mismatch", Severity::Error, "brokerClusterName or namesrvAddr differ between a master and its slaves"),
    ("port-clash", Severity::Error, "port triples (listenPort-2, listenPort, HA port) overlap on one host, or hit the name server port or the gateway port"),
    ("shared-store", Severity::Error, "two brokers on one host share storePathRootDir or storePathCommitLog"),
    ("master-slave-same-host", Severity::Warning, "a master and its own slave on one host (no protection against host loss)"),
    ("max-message-size", Severity::Error, "maxMessageSize is 0 or larger than a commit log file (warning above the clients' 4 MiB default)"),
    ("namesrv-addr", Severity::Error, "namesrvAddr is not host:port;host:port (warning when missing)"),
    ("missing-broker-ip", Severity::Warning, "no brokerIP1: auto-detection often picks docker0 or the wrong NIC"),
    ("tls-files", Severity::Error, "a tls.* key names a missing or unparsable certificate or key, a key that does not match, or an expired certificate (warning under 30 days left)"),
    ("acl", Severity::Error, "[acl]: an unknown permission word, a bad white-list pattern, an account without a secret, an access or secret key shorter than 7 characters (Apache refuses them), a duplicate access key, or no admin account for rmqctl (or for brokers with namesrv = true)"),
    ("gateway", Severity::Error, "[gateway]: an unknown or twice-listed host, a callback prefix that is not an http(s) URL prefix, a tokens_env/tokens_file that is unset or holds no token, a zero limit, a [gateway.delivery] ca that is missing, unreadable or not a PEM CA certificate, https = true without [tls] or with [tls] mode disabled (warning: an empty allow_callbacks refuses every backurl)"),
    ("tls", Severity::Error, "[tls]: a CA, certificate or key that is missing, does not parse, does not go together, has expired (warning under 30 days left), is not signed by the CA or does not name its host's address (gateway hosts too with [gateway] https = true); a key password variable or file that is unset; mode enforcing with outbound = false"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One lint result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub hint: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}[{}]: {}",
            self.path, self.line, self.col, self.severity, self.rule, self.message
        )?;
        if !self.hint.is_empty() {
            write!(f, "\n  hint: {}", self.hint)?;
        }
        Ok(())
    }
}

impl Finding {
    fn new(
        path: &str,
        pos: Pos,
        rule: &'static str,
        severity: Severity,
        message: String,
        hint: impl Into<String>,
    ) -> Finding {
        Finding {
            path: path.to_string(),
            line: pos.line,
            col: pos.col,
            rule,
            severity,
            message,
            hint: hint.into(),
        }
    }
}

/// Findings from an inventory that could not be read or derived.
pub fn inventory_findings(error: &InventoryError) -> Vec<Finding> {
    match error {
        InventoryError::Io { path, source } => vec![Finding::new(
            &path.display().to_string(),
            Pos { line: 1, col: 1 },
            "inventory",
            Severity::Error,
            format!("cannot read the inventory: {source}"),
            "check the path",
        )],
        InventoryError::Invalid { path, problems } => problems
            .iter()
            .map(|p| inventory_problem_finding(&path.display().to_string(), p))
            .collect(),
    }
}

fn inventory_problem_finding(path: &str, p: &InventoryProblem) -> Finding {
    let message = match &p.snippet {
        Some(snippet) => format!("{}\n{snippet}", p.message),
        None => p.message.clone(),
    };
    Finding::new(
        path,
        p.pos,
        p.rule,
        Severity::Error,
        message,
        p.hint.clone(),
    )
}

/// A broker properties file to lint, with the host it runs on when known.
pub struct BrokerFile {
    /// How findings name the file.
    pub label: String,
    pub properties: Properties,
    /// Files with the same host key share ports and disks (None: unknown, skip host rules).
    pub host: Option<String>,
}

/// What the lint knows beyond the files.
#[derive(Debug, Clone, Default)]
pub struct ClusterContext {
    /// The files are the whole cluster (from an inventory): missing masters/slaves are errors.
    pub complete: bool,
    /// Name-server ports by host key.
    pub namesrv_ports: BTreeMap<String, u16>,
}

/// What a broker file means, read the way the operator intended (values trimmed, an inline
/// comment left out: it has findings of its own).
struct BrokerView<'a> {
    file: &'a BrokerFile,
    broker_name: String,
    broker_id: i64,
    role: BrokerRole,
    listen_port: u16,
    ha_port: Option<u16>,
    store_root: String,
    commit_log: String,
}

impl<'a> BrokerView<'a> {
    fn new(file: &'a BrokerFile) -> Self {
        let p = &file.properties;
        let text = |key: &str| {
            p.get(key)
                .map(|e| e.value_before_comment().trim().to_string())
        };
        let store_root = text("storePathRootDir").unwrap_or_else(|| "~/store".into());
        BrokerView {
            file,
            broker_name: text("brokerName").unwrap_or_else(|| "(hostname)".into()),
            broker_id: text("brokerId").and_then(|v| v.parse().ok()).unwrap_or(0),
            role: match text("brokerRole").as_deref() {
                Some("SYNC_MASTER") => BrokerRole::SyncMaster,
                Some("SLAVE") => BrokerRole::Slave,
                _ => BrokerRole::AsyncMaster,
            },
            listen_port: text("listenPort")
                .and_then(|v| v.parse().ok())
                .unwrap_or(10911),
            ha_port: text("haListenPort").and_then(|v| v.parse().ok()),
            commit_log: text("storePathCommitLog")
                .unwrap_or_else(|| format!("{store_root}/commitlog")),
            store_root,
        }
    }

    fn pos(&self, key: &str) -> Pos {
        self.file
            .properties
            .get(key)
            .map_or(Pos { line: 1, col: 1 }, |e| e.value_pos)
    }

    fn finding(
        &self,
        key: &str,
        rule: &'static str,
        severity: Severity,
        message: String,
        hint: impl Into<String>,
    ) -> Finding {
        Finding::new(
            &self.file.label,
            self.pos(key),
            rule,
            severity,
            message,
            hint,
        )
    }

    fn value(&self, key: &str) -> Option<String> {
        self.file
            .properties
            .get(key)
            .map(|e| e.value_before_comment().trim().to_string())
    }
}

/// Lints broker files one by one and as a cluster.
pub fn lint_broker_files(files: &[BrokerFile], context: &ClusterContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for file in files {
        findings.extend(lint_entries(file));
    }
    let views: Vec<BrokerView> = files.iter().map(BrokerView::new).collect();
    for view in &views {
        findings.extend(lint_single_broker(view));
    }
    findings.extend(lint_groups(&views, context));
    findings.extend(lint_hosts(&views, context));
    findings
}

fn lint_entries(file: &BrokerFile) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen = BTreeSet::new();
    for entry in file.properties.entries() {
        for problem in check_entry(entry) {
            findings.push(Finding::new(
                &file.label,
                problem.pos,
                problem.problem.rule,
                Severity::Error,
                problem.problem.message,
                problem.problem.hint,
            ));
        }
        if !seen.insert(entry.key.as_str()) {
            findings.push(duplicate_finding(&file.label, entry));
        }
    }
    findings
}

fn duplicate_finding(label: &str, entry: &Entry) -> Finding {
    Finding::new(
        label,
        entry.key_pos,
        "duplicate-key",
        Severity::Warning,
        format!("`{}` is set more than once; the last value wins", entry.key),
        "keep one line per key",
    )
}

fn lint_single_broker(view: &BrokerView) -> Vec<Finding> {
    let mut findings = Vec::new();
    if view.role.is_master() && view.broker_id != 0 {
        findings.push(view.finding(
            "brokerId",
            "master-broker-id",
            Severity::Error,
            format!(
                "{} is {} but has brokerId {}",
                view.broker_name,
                view.role.as_str(),
                view.broker_id
            ),
            "a master must have brokerId=0 (Apache silently forces it to 0)",
        ));
    }
    if !view.role.is_master() && view.broker_id <= 0 {
        findings.push(view.finding(
            "brokerId",
            "slave-broker-id",
            Severity::Error,
            format!("SLAVE of {} has brokerId {}", view.broker_name, view.broker_id),
            "give each slave a distinct brokerId > 0 (1, 2, ...); Apache refuses to start otherwise",
        ));
    }
    findings.extend(lint_message_size(view));
    findings.extend(lint_namesrv_addr(view));
    if view.value("brokerIP1").is_none_or(|v| v.is_empty()) {
        findings.push(view.finding(
            "brokerIP1",
            "missing-broker-ip",
            Severity::Warning,
            "brokerIP1 is not set".into(),
            "set brokerIP1 to the address clients should use; auto-detection often picks docker0 or the wrong NIC",
        ));
    }
    findings
}

fn lint_message_size(view: &BrokerView) -> Vec<Finding> {
    let max: u64 = view
        .value("maxMessageSize")
        .and_then(|v| v.parse().ok())
        .unwrap_or(4 * 1024 * 1024);
    let file_size: u64 = view
        .value("mappedFileSizeCommitLog")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024 * 1024 * 1024);
    let mut findings = Vec::new();
    if max == 0 || max >= file_size {
        findings.push(view.finding(
            "maxMessageSize",
            "max-message-size",
            Severity::Error,
            format!("maxMessageSize {max} must be above 0 and below mappedFileSizeCommitLog {file_size}"),
            "a message must fit in one commit log file; Apache's default is 4194304 (4 MiB)",
        ));
    } else if max > 4 * 1024 * 1024 {
        findings.push(view.finding(
            "maxMessageSize",
            "max-message-size",
            Severity::Warning,
            format!("maxMessageSize {max} is above the 4 MiB that producers send by default"),
            "raise the producers' maxMessageSize too, or large messages are refused client-side",
        ));
    }
    findings
}

/// A missing namesrvAddr; a malformed one is found with the other values (`check_entry`).
fn lint_namesrv_addr(view: &BrokerView) -> Vec<Finding> {
    match view.value("namesrvAddr").filter(|v| !v.is_empty()) {
        None => vec![view.finding(
            "namesrvAddr",
            "namesrv-addr",
            Severity::Warning,
            "namesrvAddr is not set".into(),
            "set namesrvAddr=host:9876;host:9876 (otherwise the broker depends on $NAMESRV_ADDR)",
        )],
        Some(_) => Vec::new(),
    }
}

fn lint_groups(views: &[BrokerView], context: &ClusterContext) -> Vec<Finding> {
    let mut groups: BTreeMap<&str, Vec<&BrokerView>> = BTreeMap::new();
    for view in views {
        groups
            .entry(view.broker_name.as_str())
            .or_default()
            .push(view);
    }
    let partial = if context.complete {
        Severity::Error
    } else {
        Severity::Warning
    };
    let mut findings = Vec::new();
    for (name, members) in groups {
        let masters: Vec<&&BrokerView> = members.iter().filter(|v| v.role.is_master()).collect();
        let slaves: Vec<&&BrokerView> = members.iter().filter(|v| !v.role.is_master()).collect();
        for extra in masters.iter().skip(1) {
            findings.push(extra.finding(
                "brokerId",
                "master-broker-id",
                Severity::Error,
                format!("a second master for {name} (also in {})", masters[0].file.label),
                "one master (brokerId=0) per brokerName; make this one a SLAVE with brokerId>0 or rename it",
            ));
        }
        let mut ids = BTreeMap::new();
        for slave in &slaves {
            if let Some(other) = ids.insert(slave.broker_id, slave.file.label.clone()) {
                findings.push(slave.finding(
                    "brokerId",
                    "slave-broker-id",
                    Severity::Error,
                    format!(
                        "brokerId {} of {name} is also used by {other}",
                        slave.broker_id
                    ),
                    "each slave of a brokerName needs its own brokerId",
                ));
            }
        }
        if masters.is_empty() {
            findings.push(slaves[0].finding(
                "brokerName",
                "missing-master",
                partial,
                format!("{name} has slaves but no master among the files checked"),
                "add the master (brokerId=0) or check brokerName",
            ));
        }
        for master in masters.iter().filter(|m| m.role == BrokerRole::SyncMaster) {
            if slaves.is_empty() {
                findings.push(master.finding(
                    "brokerRole",
                    "sync-master-without-slave",
                    partial,
                    format!("{name} is SYNC_MASTER but has no slave"),
                    "add a slave, or use ASYNC_MASTER: a SYNC_MASTER without slave answers every send with SLAVE_NOT_AVAILABLE",
                ));
            }
        }
        if let Some(reference) = masters.first().or(slaves.first()) {
            for other in members.iter().filter(|m| !std::ptr::eq(**m, **reference)) {
                findings.extend(pair_mismatch(reference, other, "brokerClusterName"));
                findings.extend(pair_mismatch(reference, other, "namesrvAddr"));
            }
        }
    }
    findings
}

fn pair_mismatch(reference: &BrokerView, other: &BrokerView, key: &str) -> Option<Finding> {
    let a = reference.value(key);
    let b = other.value(key);
    (a != b).then(|| {
        other.finding(
            key,
            "pair-mismatch",
            Severity::Error,
            format!(
                "{key} of {} is `{}` but `{}` in {}",
                other.broker_name,
                b.unwrap_or_default(),
                a.unwrap_or_default(),
                reference.file.label
            ),
            "a master and its slaves must use the same brokerClusterName and namesrvAddr",
        )
    })
}

fn lint_hosts(views: &[BrokerView], context: &ClusterContext) -> Vec<Finding> {
    let mut by_host: BTreeMap<&str, Vec<&BrokerView>> = BTreeMap::new();
    for view in views {
        if let Some(host) = &view.file.host {
            by_host.entry(host.as_str()).or_default().push(view);
        }
    }
    let mut findings = Vec::new();
    for (host, members) in by_host {
        findings.extend(port_clashes(
            host,
            &members,
            context.namesrv_ports.get(host).copied(),
        ));
        findings.extend(shared_stores(host, &members));
        for (i, a) in members.iter().enumerate() {
            for b in &members[i + 1..] {
                if a.broker_name == b.broker_name && a.role.is_master() != b.role.is_master() {
                    findings.push(b.finding(
                        "brokerName",
                        "master-slave-same-host",
                        Severity::Warning,
                        format!("{} and its slave both run on {host}", a.broker_name),
                        "put a slave on another host than its master (e.g. the cross layout: broker-a + broker-b-s on one host)",
                    ));
                }
            }
        }
    }
    findings
}

fn port_clashes(host: &str, members: &[&BrokerView], namesrv_port: Option<u16>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (i, b) in members.iter().enumerate() {
        let mine = port_triple(b.listen_port, b.ha_port);
        if let Some(port) = namesrv_port.filter(|p| mine.contains(p)) {
            findings.push(b.finding(
                "listenPort",
                "port-clash",
                Severity::Error,
                format!(
                    "{} uses port {port}, the name server's port on {host}",
                    b.file.label
                ),
                "move listenPort so that listenPort-2..listenPort+1 avoids the name server port",
            ));
        }
        for a in &members[..i] {
            let theirs = port_triple(a.listen_port, a.ha_port);
            let shared: Vec<String> = mine
                .iter()
                .filter(|p| theirs.contains(p))
                .map(u16::to_string)
                .collect();
            if !shared.is_empty() {
                findings.push(b.finding(
                    "listenPort",
                    "port-clash",
                    Severity::Error,
                    format!(
                        "ports {} of {} ({:?}) overlap {} ({:?}) on {host}",
                        shared.join(", "),
                        b.file.label,
                        mine,
                        a.file.label,
                        theirs
                    ),
                    "brokers on one host need listenPorts at least 4 apart (e.g. 10911 and 10921); listenPort-2 and listenPort+1 are taken too",
                ));
            }
        }
    }
    findings
}

fn shared_stores(host: &str, members: &[&BrokerView]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (i, b) in members.iter().enumerate() {
        for a in &members[..i] {
            let (key, path) = if a.store_root == b.store_root {
                ("storePathRootDir", &b.store_root)
            } else if a.commit_log == b.commit_log {
                ("storePathCommitLog", &b.commit_log)
            } else {
                continue;
            };
            findings.push(b.finding(
                key,
                "shared-store",
                Severity::Error,
                format!("{} shares {key} `{path}` with {} on {host}", b.file.label, a.file.label),
                "give every broker its own storePathRootDir (the store lock makes the second fail with \"Lock failed, MQ already started\")",
            ));
        }
    }
    findings
}

/// Lints a `namesrv.properties` file.
pub fn lint_namesrv_file(label: &str, properties: &Properties) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen = BTreeSet::new();
    for entry in properties.entries() {
        if !seen.insert(entry.key.as_str()) {
            findings.push(duplicate_finding(label, entry));
        }
        if let Some(problem) = check_inline_comment(entry) {
            findings.push(Finding::new(
                label,
                problem.pos,
                problem.problem.rule,
                Severity::Error,
                problem.problem.message,
                problem.problem.hint,
            ));
        }
        let tls_key = crate::apache_config::tls_keys::is_tls_key(&entry.key);
        if !NAMESRV_KEYS.contains(&entry.key.as_str()) && !tls_key {
            let unknown = crate::apache_config::namesrv_keys::unknown_key(&entry.key);
            findings.push(Finding::new(
                label,
                entry.key_pos,
                "unknown-key",
                Severity::Error,
                unknown.message,
                unknown.hint,
            ));
        } else if entry.trailing_blank {
            findings.push(Finding::new(
                label,
                entry.value_pos,
                "trailing-blank",
                Severity::Error,
                format!("value of `{}` ends with a blank", entry.key),
                "remove the trailing blank(s)",
            ));
        } else if entry.key == "listenPort" && entry.value.trim().parse::<u16>().is_err() {
            findings.push(Finding::new(
                label,
                entry.value_pos,
                "bad-value",
                Severity::Error,
                format!(
                    "bad value `{}` for `listenPort`: expected a TCP port",
                    entry.value
                ),
                "e.g. 9876",
            ));
        }
    }
    findings
}

/// Orders findings by file, position and rule.
pub fn sort_findings(findings: &mut [Finding]) {
    findings
        .sort_by(|a, b| (&a.path, a.line, a.col, a.rule).cmp(&(&b.path, b.line, b.col, b.rule)));
}

/// Lints the rendered broker and name-server files of a plan as one complete cluster.
pub fn lint_plan(plan: &ClusterPlan, files: &[RenderedFile], label: &str) -> Vec<Finding> {
    let mut broker_files = Vec::new();
    let mut findings = Vec::new();
    for file in files {
        let name = file.path.display().to_string();
        let file_label = format!("{label}#{name}");
        let Ok(properties) = Properties::parse(&file.contents, std::path::Path::new(&file_label))
        else {
            findings.push(Finding::new(
                &file_label,
                Pos { line: 1, col: 1 },
                "bad-value",
                Severity::Error,
                "the rendered file is not a valid properties file".into(),
                "check the custom template",
            ));
            continue;
        };
        if let Some(broker) = plan.brokers.iter().find(|b| b.file_name == name) {
            broker_files.push(BrokerFile {
                label: file_label,
                properties,
                host: Some(broker.address.clone()),
            });
        } else if name == "namesrv.properties" {
            findings.extend(lint_namesrv_file(&file_label, &properties));
        }
    }
    let context = ClusterContext {
        complete: true,
        namesrv_ports: plan
            .namesrvs
            .iter()
            .map(|n| (n.address.clone(), n.port))
            .collect(),
    };
    findings.extend(lint_broker_files(&broker_files, &context));
    sort_findings(&mut findings);
    findings
}

/// True if any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}
