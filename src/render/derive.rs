//! Derivation of a `ClusterPlan` from an inventory: broker ids and roles, brokerIP1, namesrvAddr,
//! non-overlapping port triples and distinct store/log dirs per host, final key lists per
//! instance, and what each host runs (the input of `render` and, later, `deploy`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use serde::Serialize;
use toml::Spanned;

use super::inventory::{
    Flush, HostSpec, InventoryError, InventoryProblem, KeyOverrides, LoadedInventory, Replication,
};
use crate::apache_config::check::check_key_value;
use crate::apache_config::namesrv_keys;
use crate::apache_config::values::{expand_tilde, BrokerRole};

/// Everything needed to render and deploy one cluster.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterPlan {
    pub cluster: String,
    pub engine: &'static str,
    pub replication: Replication,
    pub flush: Flush,
    /// `namesrvAddr` of every broker: `ip:port;ip:port`.
    pub namesrv_addr: String,
    /// The name servers, one per host.
    pub namesrvs: Vec<NamesrvInstance>,
    /// All brokers, group by group (master first).
    pub brokers: Vec<BrokerInstance>,
    /// Every host that runs something, in inventory order.
    pub hosts: Vec<HostPlan>,
    /// `User=` of the units, if any.
    pub service_user: Option<String>,
    /// The executable to upload (the inventory's `binary`, resolved), if named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binary: Option<String>,
    /// The ACL account rmqctl signs with (`[acl]`); never serialized.
    #[serde(skip)]
    pub admin_credentials: Option<crate::acl::Credentials>,
    /// How rmqctl connects with TLS (`[tls]`); never serialized.
    #[serde(skip)]
    pub client_tls: Option<crate::remoting::tls::TlsConnect>,
    /// The HTTP gateways (`[gateway]`), one per host that runs one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gateways: Vec<super::gateway::GatewayInstance>,
}

/// How to reach a host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum HostAccess {
    /// This machine: run commands directly.
    Local,
    /// Over SSH: `destination` is the ssh_config alias if one was given, else the address.
    Ssh {
        destination: String,
        user: Option<String>,
        port: Option<u16>,
        identity_file: Option<String>,
        /// The ssh_config file to pass to ssh (`-F`), if the inventory names one.
        config_file: Option<String>,
    },
}

/// One host and what runs on it.
#[derive(Debug, Clone, Serialize)]
pub struct HostPlan {
    pub name: String,
    pub access: HostAccess,
    /// The address instances on this host register and listen on.
    pub address: String,
    pub install_root: String,
    /// `<install_root>/bin/rmqctl`: the server binary.
    pub binary: String,
    /// `<install_root>/conf`: where rendered files go.
    pub conf_dir: String,
    pub runs_namesrv: bool,
    /// Names of the broker instances on this host.
    pub brokers: Vec<String>,
    /// TCP ports to open on this host, sorted.
    pub open_ports: Vec<u16>,
    /// Unit names to install and start, in start order (name server, masters, slaves).
    pub units: Vec<String>,
}

/// One name server.
#[derive(Debug, Clone, Serialize)]
pub struct NamesrvInstance {
    pub host: String,
    pub address: String,
    pub port: u16,
    /// Path of its config on the host.
    pub conf_file: String,
    pub log_dir: String,
    pub unit_name: String,
    /// Final keys of `namesrv.properties`, in file order.
    pub properties: Vec<(String, String)>,
}

/// One broker process.
#[derive(Debug, Clone, Serialize)]
pub struct BrokerInstance {
    /// `broker-a`, `broker-a-s`, `broker-a-s2`, ...: names the file, unit and store dir.
    pub name: String,
    pub broker_name: String,
    pub broker_id: i64,
    pub role: BrokerRole,
    pub host: String,
    pub address: String,
    pub listen_port: u16,
    pub fast_port: u16,
    pub ha_port: u16,
    pub store_root: String,
    pub commit_log_dir: String,
    pub log_dir: String,
    /// Name of the rendered file (`broker-a.properties`).
    pub file_name: String,
    /// Path of the rendered file on the host.
    pub conf_file: String,
    pub unit_name: String,
    /// Final keys of the broker file, in file order (derived keys first, then overrides).
    pub properties: Vec<(String, String)>,
    /// The ACL account the broker signs its own requests with (`[acl]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_key: Option<String>,
}

impl ClusterPlan {
    /// The host entry named `name`.
    pub fn host(&self, name: &str) -> Option<&HostPlan> {
        self.hosts.iter().find(|h| h.name == name)
    }

    /// Brokers that run on host `name`.
    pub fn brokers_on<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a BrokerInstance> + 'a {
        self.brokers.iter().filter(move |b| b.host == name)
    }
}

/// The directories shared by every host.
struct Dirs {
    install_root: String,
    store_root: String,
    log_dir: String,
}

/// A broker before ports and keys are final.
struct Draft {
    name: String,
    group: String,
    broker_id: i64,
    role: BrokerRole,
    host: String,
    overrides: Vec<(String, String)>,
}

/// Derives the plan, reporting every problem of the inventory at once.
pub fn derive(loaded: &LoadedInventory) -> Result<ClusterPlan, InventoryError> {
    let mut problems = Vec::new();
    let inv = &loaded.inventory;
    check_top_level(loaded, &mut problems);
    let addresses = resolve_addresses(loaded, &mut problems);
    let dirs = resolve_dirs(loaded);
    let drafts = draft_brokers(loaded, &addresses, &mut problems);
    check_instance_overrides(loaded, &drafts, &mut problems);
    let namesrvs_hosts = namesrv_hosts(loaded, &addresses, &mut problems);
    if !problems.is_empty() {
        return Err(InventoryError::Invalid {
            path: loaded.path.clone(),
            problems,
        });
    }
    let namesrv_addr = namesrvs_hosts
        .iter()
        .map(|h| format!("{}:{}", addresses[h], inv.namesrv.port))
        .collect::<Vec<_>>()
        .join(";");
    let namesrvs: Vec<NamesrvInstance> = namesrvs_hosts
        .iter()
        .map(|h| namesrv_instance(loaded, &dirs, h, &addresses[h]))
        .collect();
    let brokers = finish_brokers(
        loaded,
        &dirs,
        &addresses,
        &namesrvs_hosts,
        &namesrv_addr,
        drafts,
    );
    let hosts = host_plans(loaded, &dirs, &addresses, &namesrvs, &brokers);
    Ok(ClusterPlan {
        cluster: inv.cluster.clone(),
        engine: "bundled",
        replication: inv.replication,
        flush: inv.flush,
        namesrv_addr,
        namesrvs,
        brokers,
        hosts,
        service_user: inv.service_user.clone(),
        binary: inv.binary.as_deref().map(|p| resolve_path(loaded, p)),
        admin_credentials: None,
        client_tls: None,
        gateways: Vec::new(),
    })
}

fn whole_file(loaded: &LoadedInventory, message: String, hint: &str) -> InventoryProblem {
    let mut p = loaded.problem(0..0, "inventory", message, hint);
    p.snippet = None;
    p
}

fn check_top_level(loaded: &LoadedInventory, problems: &mut Vec<InventoryProblem>) {
    let inv = &loaded.inventory;
    if inv.cluster.trim().is_empty() || inv.cluster.chars().any(char::is_whitespace) {
        problems.push(whole_file(
            loaded,
            format!("cluster name `{}` is empty or contains blanks", inv.cluster),
            "use a name like DefaultCluster",
        ));
    }
    if inv.port_step < 4 {
        problems.push(whole_file(
            loaded,
            format!("port_step {} is below 4", inv.port_step),
            "a broker uses listenPort-2, listenPort and listenPort+1; use 10",
        ));
    }
    if inv.groups.is_empty() {
        problems.push(whole_file(
            loaded,
            "no broker groups".into(),
            "add [groups.broker-a] with master = \"<host>\"",
        ));
    }
    if inv.namesrv.hosts.is_empty() {
        problems.push(whole_file(
            loaded,
            "no name-server hosts".into(),
            "set [namesrv] hosts = [\"<host>\"]",
        ));
    }
}

/// The address of every host: `address`, else the alias's HostName, else 127.0.0.1 for local hosts.
fn resolve_addresses(
    loaded: &LoadedInventory,
    problems: &mut Vec<InventoryProblem>,
) -> BTreeMap<String, String> {
    let inv = &loaded.inventory;
    let ssh_config = ssh_config_path(loaded);
    let mut addresses = BTreeMap::new();
    for (name, spec) in &inv.hosts {
        match host_address(spec, &ssh_config) {
            Some(address) => {
                addresses.insert(name.get_ref().clone(), address);
            }
            None => problems.push(loaded.problem(
                name.span(),
                "inventory",
                format!("host `{}` has no address", name.get_ref()),
                format!("set address = \"10.0.0.1\", local = true, or an ssh_alias with a HostName in {ssh_config}"),
            )),
        }
        if spec.local
            && (spec.user.is_some() || spec.identity_file.is_some() || spec.ssh_alias.is_some())
        {
            problems.push(loaded.problem(
                name.span(),
                "inventory",
                format!("host `{}` is local but has SSH settings", name.get_ref()),
                "drop user/identity_file/ssh_alias, or remove local = true",
            ));
        }
    }
    addresses
}

/// The ssh_config file that resolves `ssh_alias`: the inventory's, else `~/.ssh/config`.
fn ssh_config_path(loaded: &LoadedInventory) -> String {
    loaded
        .inventory
        .ssh_config
        .as_deref()
        .map(|p| resolve_path(loaded, p))
        .unwrap_or_else(|| expand_tilde("~/.ssh/config").display().to_string())
}

fn host_address(spec: &HostSpec, ssh_config: &str) -> Option<String> {
    if let Some(address) = &spec.address {
        return Some(address.clone());
    }
    if spec.local {
        return Some("127.0.0.1".into());
    }
    let alias = spec.ssh_alias.as_deref()?;
    let text = std::fs::read_to_string(ssh_config).ok()?;
    ssh_config_hostname(&text, alias)
}

/// The `HostName` that an ssh_config gives `alias` (first match wins, `*`/`?` patterns allowed).
pub fn ssh_config_hostname(text: &str, alias: &str) -> Option<String> {
    let mut matching = false;
    for line in text.lines() {
        let line = line.trim();
        let mut words = line
            .split(|c: char| c.is_whitespace() || c == '=')
            .filter(|w| !w.is_empty());
        let Some(keyword) = words.next() else {
            continue;
        };
        match keyword.to_ascii_lowercase().as_str() {
            "host" => matching = words.any(|pattern| glob_match(pattern, alias)),
            "match" => matching = false,
            "hostname" if matching => return words.next().map(|h| h.replace("%h", alias)),
            _ => {}
        }
    }
    None
}

fn glob_match(pattern: &str, text: &str) -> bool {
    fn go(p: &[char], t: &[char]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&p[1..], t) || (!t.is_empty() && go(p, &t[1..])),
            (Some('?'), Some(_)) => go(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &t[1..]),
            _ => false,
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    go(&p, &t)
}

/// Relative paths are resolved against the inventory's directory; `~` is kept (expanded on the host).
pub fn resolve_path(loaded: &LoadedInventory, path: &str) -> String {
    if path.starts_with('/') || path.starts_with('~') {
        return path.to_string();
    }
    normalize(&loaded.base_dir().join(path))
        .display()
        .to_string()
}

fn normalize(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn resolve_dirs(loaded: &LoadedInventory) -> Dirs {
    let inv = &loaded.inventory;
    let install_root = resolve_path(loaded, &inv.install_root);
    let under_root = |leaf: &str| format!("{}/{leaf}", install_root.trim_end_matches('/'));
    Dirs {
        store_root: inv
            .store_root
            .as_deref()
            .map_or_else(|| under_root("store"), |p| resolve_path(loaded, p)),
        log_dir: inv
            .log_dir
            .as_deref()
            .map_or_else(|| under_root("logs"), |p| resolve_path(loaded, p)),
        install_root,
    }
}

fn join(dir: &str, leaf: &str) -> String {
    format!("{}/{leaf}", dir.trim_end_matches('/'))
}

/// Instance names: the master is the brokerName, slaves `-s`, `-s2`, `-s3`...
pub fn instance_name(broker_name: &str, broker_id: i64) -> String {
    match broker_id {
        0 => broker_name.to_string(),
        1 => format!("{broker_name}-s"),
        n => format!("{broker_name}-s{n}"),
    }
}

fn check_host_ref(
    loaded: &LoadedInventory,
    addresses: &BTreeMap<String, String>,
    host: &Spanned<String>,
    problems: &mut Vec<InventoryProblem>,
) -> bool {
    let known = loaded
        .inventory
        .hosts
        .keys()
        .any(|k| k.get_ref() == host.get_ref());
    if !known {
        let names: Vec<&str> = loaded
            .inventory
            .hosts
            .keys()
            .map(|k| k.get_ref().as_str())
            .collect();
        problems.push(loaded.problem(
            host.span(),
            "inventory",
            format!("unknown host `{}`", host.get_ref()),
            format!(
                "define [hosts.{}] or use one of: {}",
                host.get_ref(),
                names.join(", ")
            ),
        ));
    }
    known && addresses.contains_key(host.get_ref())
}

fn draft_brokers(
    loaded: &LoadedInventory,
    addresses: &BTreeMap<String, String>,
    problems: &mut Vec<InventoryProblem>,
) -> Vec<Draft> {
    let inv = &loaded.inventory;
    let defaults = checked_overrides(loaded, &inv.broker, problems);
    let master_role = match inv.replication {
        Replication::Sync => BrokerRole::SyncMaster,
        Replication::Async | Replication::None => BrokerRole::AsyncMaster,
    };
    let mut drafts = Vec::new();
    for (group_name, group) in &inv.groups {
        let group_keys = checked_overrides(loaded, &group.broker, problems);
        if inv.replication == Replication::None && !group.slaves.is_empty() {
            problems.push(loaded.problem(
                group.slaves[0].span(),
                "inventory",
                format!(
                    "group `{}` has slaves but replication = \"none\"",
                    group_name.get_ref()
                ),
                "set replication = \"sync\" or \"async\", or remove the slaves",
            ));
        }
        let members = std::iter::once(&group.master).chain(&group.slaves);
        for (id, host) in members.enumerate() {
            let _ = check_host_ref(loaded, addresses, host, problems);
            let role = if id == 0 {
                master_role
            } else {
                BrokerRole::Slave
            };
            let mut overrides = defaults.clone();
            overrides.extend(group_keys.iter().cloned());
            drafts.push(Draft {
                name: instance_name(group_name.get_ref(), id as i64),
                group: group_name.get_ref().clone(),
                broker_id: id as i64,
                role,
                host: host.get_ref().clone(),
                overrides,
            });
        }
    }
    drafts
}

fn check_instance_overrides(
    loaded: &LoadedInventory,
    drafts: &[Draft],
    problems: &mut Vec<InventoryProblem>,
) {
    for (name, keys) in &loaded.inventory.brokers {
        let _ = checked_overrides(loaded, keys, problems);
        if !drafts.iter().any(|d| &d.name == name.get_ref()) {
            let names: Vec<&str> = drafts.iter().map(|d| d.name.as_str()).collect();
            problems.push(loaded.problem(
                name.span(),
                "inventory",
                format!(
                    "[brokers.{}] names no broker of this inventory",
                    name.get_ref()
                ),
                format!("brokers are: {}", names.join(", ")),
            ));
        }
    }
}

/// Override keys as strings, after checking each key and value against the broker catalog.
fn checked_overrides(
    loaded: &LoadedInventory,
    overrides: &KeyOverrides,
    problems: &mut Vec<InventoryProblem>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (key, value) in overrides {
        let Some(text) = toml_scalar(value.get_ref()) else {
            problems.push(loaded.problem(
                value.span(),
                "bad-value",
                format!("`{}` must be a string, number or boolean", key.get_ref()),
                "properties files hold scalar values only",
            ));
            continue;
        };
        if let Some(problem) = check_key_value(key.get_ref(), &text) {
            let span = if problem.rule == "unknown-key" {
                key.span()
            } else {
                value.span()
            };
            problems.push(loaded.problem(span, problem.rule, problem.message, problem.hint));
            continue;
        }
        if text.ends_with([' ', '\t']) {
            problems.push(loaded.problem(
                value.span(),
                "trailing-blank",
                format!("value of `{}` ends with a blank", key.get_ref()),
                "remove the trailing blank(s)",
            ));
            continue;
        }
        out.push((key.get_ref().clone(), text));
    }
    out
}

fn toml_scalar(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

fn namesrv_hosts(
    loaded: &LoadedInventory,
    addresses: &BTreeMap<String, String>,
    problems: &mut Vec<InventoryProblem>,
) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut hosts = Vec::new();
    for host in &loaded.inventory.namesrv.hosts {
        if !check_host_ref(loaded, addresses, host, problems) {
            continue;
        }
        if !seen.insert(host.get_ref().clone()) {
            problems.push(loaded.problem(
                host.span(),
                "inventory",
                format!("host `{}` is listed twice as a name server", host.get_ref()),
                "run at most one name server per host",
            ));
            continue;
        }
        hosts.push(host.get_ref().clone());
    }
    for key in loaded.inventory.namesrv.properties.keys() {
        if !namesrv_keys::KEYS.contains(&key.get_ref().as_str()) {
            let unknown = namesrv_keys::unknown_key(key.get_ref());
            problems.push(loaded.problem(key.span(), "unknown-key", unknown.message, unknown.hint));
        }
    }
    hosts
}

fn namesrv_instance(
    loaded: &LoadedInventory,
    dirs: &Dirs,
    host: &str,
    address: &str,
) -> NamesrvInstance {
    let spec = &loaded.inventory.namesrv;
    let conf_file = join(&join(&dirs.install_root, "conf"), "namesrv.properties");
    let mut properties = vec![
        ("listenPort".to_string(), spec.port.to_string()),
        ("rocketmqHome".to_string(), dirs.install_root.clone()),
        (
            "kvConfigPath".to_string(),
            join(&join(&dirs.store_root, "namesrv"), "kvConfig.json"),
        ),
        ("configStorePath".to_string(), conf_file.clone()),
    ];
    if let Some(bind) = &spec.bind_address {
        properties.push(("bindAddress".into(), bind.clone()));
    }
    for (key, value) in &spec.properties {
        let value = toml_scalar(value.get_ref()).unwrap_or_default();
        upsert(&mut properties, key.get_ref(), value);
    }
    NamesrvInstance {
        host: host.to_string(),
        address: address.to_string(),
        port: spec.port,
        conf_file,
        log_dir: join(&dirs.log_dir, "namesrv"),
        unit_name: "rmqctl-namesrv.service".into(),
        properties,
    }
}

fn upsert(properties: &mut Vec<(String, String)>, key: &str, value: String) {
    match properties.iter_mut().find(|(k, _)| k == key) {
        Some(entry) => entry.1 = value,
        None => properties.push((key.to_string(), value)),
    }
}

fn override_value<'a>(overrides: &'a [(String, String)], key: &str) -> Option<&'a str> {
    overrides
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// The three ports a broker with this listenPort (and optional haListenPort) occupies.
pub fn port_triple(listen_port: u16, ha_port: Option<u16>) -> [u16; 3] {
    [
        listen_port.saturating_sub(2),
        listen_port,
        ha_port.unwrap_or(listen_port.saturating_add(1)),
    ]
}

fn finish_brokers(
    loaded: &LoadedInventory,
    dirs: &Dirs,
    addresses: &BTreeMap<String, String>,
    namesrv_hosts: &[String],
    namesrv_addr: &str,
    mut drafts: Vec<Draft>,
) -> Vec<BrokerInstance> {
    let inv = &loaded.inventory;
    for draft in &mut drafts {
        if let Some((_, keys)) = inv.brokers.iter().find(|(k, _)| k.get_ref() == &draft.name) {
            let mut ignored = Vec::new();
            draft
                .overrides
                .extend(checked_overrides(loaded, keys, &mut ignored));
        }
    }
    let ports = assign_ports(loaded, addresses, namesrv_hosts, &drafts);
    drafts
        .into_iter()
        .zip(ports)
        .map(|(draft, listen_port)| {
            let address = addresses[&draft.host].clone();
            let local = inv
                .hosts
                .iter()
                .any(|(k, h)| k.get_ref() == &draft.host && h.local);
            build_broker(
                loaded,
                dirs,
                draft,
                address,
                local,
                listen_port,
                namesrv_addr,
            )
        })
        .collect()
}

/// listenPort of every draft: explicit overrides first, then the free triples from `base_port`.
fn assign_ports(
    loaded: &LoadedInventory,
    addresses: &BTreeMap<String, String>,
    namesrv_hosts: &[String],
    drafts: &[Draft],
) -> Vec<u16> {
    let inv = &loaded.inventory;
    let address_of = |host: &str| addresses.get(host).cloned().unwrap_or_default();
    let mut used: BTreeMap<String, BTreeSet<u16>> = BTreeMap::new();
    for host in namesrv_hosts {
        used.entry(address_of(host))
            .or_default()
            .insert(inv.namesrv.port);
    }
    let explicit: Vec<Option<u16>> = drafts
        .iter()
        .map(|d| override_value(&d.overrides, "listenPort").and_then(|v| v.trim().parse().ok()))
        .collect();
    for (draft, port) in drafts.iter().zip(&explicit) {
        if let Some(port) = port {
            let ha = override_value(&draft.overrides, "haListenPort")
                .and_then(|v| v.trim().parse().ok());
            used.entry(address_of(&draft.host))
                .or_default()
                .extend(port_triple(*port, ha));
        }
    }
    drafts
        .iter()
        .zip(explicit)
        .map(|(draft, explicit)| {
            explicit.unwrap_or_else(|| {
                let taken = used.entry(address_of(&draft.host)).or_default();
                let mut candidate = inv.base_port;
                while port_triple(candidate, None)
                    .iter()
                    .any(|p| taken.contains(p))
                {
                    candidate = candidate.saturating_add(inv.port_step.max(4));
                }
                taken.extend(port_triple(candidate, None));
                candidate
            })
        })
        .collect()
}

fn build_broker(
    loaded: &LoadedInventory,
    dirs: &Dirs,
    draft: Draft,
    address: String,
    local: bool,
    listen_port: u16,
    namesrv_addr: &str,
) -> BrokerInstance {
    let inv = &loaded.inventory;
    let flush = match inv.flush {
        Flush::Async => "ASYNC_FLUSH",
        Flush::Sync => "SYNC_FLUSH",
    };
    let store_root = override_value(&draft.overrides, "storePathRootDir")
        .map(|p| resolve_path(loaded, p))
        .unwrap_or_else(|| join(&dirs.store_root, &draft.name));
    let commit_log_dir = override_value(&draft.overrides, "storePathCommitLog")
        .map(|p| resolve_path(loaded, p))
        .unwrap_or_else(|| join(&store_root, "commitlog"));
    let mut properties: Vec<(String, String)> = vec![
        ("brokerClusterName".into(), inv.cluster.clone()),
        ("brokerName".into(), draft.group.clone()),
        ("brokerId".into(), draft.broker_id.to_string()),
        ("brokerRole".into(), draft.role.as_str().into()),
        ("flushDiskType".into(), flush.into()),
        ("namesrvAddr".into(), namesrv_addr.into()),
        ("brokerIP1".into(), address.clone()),
    ];
    if local {
        properties.push(("bindAddress".into(), address.clone()));
    }
    properties.push(("listenPort".into(), listen_port.to_string()));
    properties.push(("storePathRootDir".into(), store_root.clone()));
    properties.push(("storePathCommitLog".into(), commit_log_dir.clone()));
    for (key, value) in &draft.overrides {
        let value = match key.as_str() {
            "storePathRootDir" => store_root.clone(),
            "storePathCommitLog" => commit_log_dir.clone(),
            _ => value.clone(),
        };
        upsert(&mut properties, key, value);
    }
    let ha = override_value(&draft.overrides, "haListenPort").and_then(|v| v.trim().parse().ok());
    let [fast_port, _, ha_port] = port_triple(listen_port, ha);
    let value_of = |key: &str| {
        properties
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let broker_id = value_of("brokerId")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(draft.broker_id);
    let conf_dir = join(&dirs.install_root, "conf");
    let file_name = format!("{}.properties", draft.name);
    BrokerInstance {
        broker_name: value_of("brokerName").unwrap_or(draft.group),
        broker_id,
        role: draft.role,
        host: draft.host,
        address,
        listen_port,
        fast_port,
        ha_port,
        store_root,
        commit_log_dir,
        log_dir: join(&dirs.log_dir, &draft.name),
        conf_file: join(&conf_dir, &file_name),
        file_name,
        unit_name: format!("rmqctl-{}.service", draft.name),
        name: draft.name,
        properties,
        access_key: None,
    }
}

fn host_plans(
    loaded: &LoadedInventory,
    dirs: &Dirs,
    addresses: &BTreeMap<String, String>,
    namesrvs: &[NamesrvInstance],
    brokers: &[BrokerInstance],
) -> Vec<HostPlan> {
    let mut plans = Vec::new();
    for (name, spec) in &loaded.inventory.hosts {
        let name = name.get_ref();
        let namesrv = namesrvs.iter().find(|n| &n.host == name);
        let on_host: Vec<&BrokerInstance> = brokers.iter().filter(|b| &b.host == name).collect();
        if namesrv.is_none() && on_host.is_empty() {
            continue;
        }
        let mut open_ports: BTreeSet<u16> = on_host
            .iter()
            .flat_map(|b| [b.fast_port, b.listen_port, b.ha_port])
            .collect();
        open_ports.extend(namesrv.map(|n| n.port));
        let mut units: Vec<String> = namesrv.map(|n| n.unit_name.clone()).into_iter().collect();
        units.extend(
            on_host
                .iter()
                .filter(|b| b.role.is_master())
                .map(|b| b.unit_name.clone()),
        );
        units.extend(
            on_host
                .iter()
                .filter(|b| !b.role.is_master())
                .map(|b| b.unit_name.clone()),
        );
        let mut plan = empty_host_plan(loaded, dirs, name, spec, &addresses[name]);
        plan.runs_namesrv = namesrv.is_some();
        plan.brokers = on_host.iter().map(|b| b.name.clone()).collect();
        plan.open_ports = open_ports.into_iter().collect();
        plan.units = units;
        plans.push(plan);
    }
    plans
}

/// A host of the inventory with nothing planned on it yet: how to reach it and where things go.
fn empty_host_plan(
    loaded: &LoadedInventory,
    dirs: &Dirs,
    name: &str,
    spec: &HostSpec,
    address: &str,
) -> HostPlan {
    let access = if spec.local {
        HostAccess::Local
    } else {
        HostAccess::Ssh {
            destination: spec
                .ssh_alias
                .clone()
                .unwrap_or_else(|| address.to_string()),
            user: spec.user.clone(),
            port: spec.port,
            identity_file: spec.identity_file.clone(),
            config_file: loaded
                .inventory
                .ssh_config
                .as_deref()
                .map(|p| resolve_path(loaded, p)),
        }
    };
    HostPlan {
        name: name.to_string(),
        access,
        address: address.to_string(),
        binary: join(&join(&dirs.install_root, "bin"), "rmqctl"),
        conf_dir: join(&dirs.install_root, "conf"),
        install_root: dirs.install_root.clone(),
        runs_namesrv: false,
        brokers: Vec::new(),
        open_ports: Vec::new(),
        units: Vec::new(),
    }
}

/// The plan of inventory host `name` with nothing on it yet (for a host that runs only a
/// gateway); `None` for a host the inventory does not define or gives no address.
pub fn bare_host_plan(loaded: &LoadedInventory, name: &str) -> Option<HostPlan> {
    let (_, spec) = loaded
        .inventory
        .hosts
        .iter()
        .find(|(k, _)| k.get_ref() == name)?;
    let address = host_address(spec, &ssh_config_path(loaded))?;
    let dirs = resolve_dirs(loaded);
    Some(empty_host_plan(loaded, &dirs, name, spec, &address))
}

/// The directory of every instance's log dir (`log_dir`, default `<install_root>/logs`).
pub fn log_root(loaded: &LoadedInventory) -> String {
    resolve_dirs(loaded).log_dir
}

/// Where rendered files go on every host (`<install_root>/conf`).
pub fn conf_dir(loaded: &LoadedInventory) -> String {
    join(&resolve_dirs(loaded).install_root, "conf")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_config_alias_resolution() {
        let text = "Host master-a slave-a\n  HostName 10.77.0.11\nHost *.lab\n  HostName %h.internal\nHost *\n  User root\n";
        assert_eq!(
            ssh_config_hostname(text, "slave-a").as_deref(),
            Some("10.77.0.11")
        );
        assert_eq!(
            ssh_config_hostname(text, "b.lab").as_deref(),
            Some("b.lab.internal")
        );
        assert_eq!(ssh_config_hostname(text, "other"), None);
    }

    #[test]
    fn instance_names_follow_apache_files() {
        assert_eq!(instance_name("broker-a", 0), "broker-a");
        assert_eq!(instance_name("broker-a", 1), "broker-a-s");
        assert_eq!(instance_name("broker-a", 2), "broker-a-s2");
    }
}
