//! The deploy plan: for every host, the files to put there (binary, rendered configs, units, the
//! ACL file, the TLS CA, certificate and key, gateway.toml with its cluster certificate,
//! delivery CA and, for https, the host's certificate: each is one more `PlannedFile`), the
//! directories to create,
//! the instances to supervise in start order and the ports to open. Built from `render`'s plan
//! and files only; nothing is derived twice.

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::render::derive::{BrokerInstance, ClusterPlan, HostAccess, HostPlan, NamesrvInstance};
use crate::render::gateway::GatewayInstance;
use crate::render::templates::RenderedFile;
use crate::render::tls::TlsReader;

/// Where systemd units are installed.
pub const UNIT_DIR: &str = "/etc/systemd/system";

/// What an instance is, in start order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Namesrv,
    Master,
    Slave,
    /// `rmqctl gateway` (`[gateway]`): started after every broker, stopped before them.
    Gateway,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Namesrv => "namesrv",
            Role::Master => "master",
            Role::Slave => "slave",
            Role::Gateway => "gateway",
        }
    }

    /// A broker (master or slave): registers with the name servers.
    pub fn is_broker(self) -> bool {
        matches!(self, Role::Master | Role::Slave)
    }
}

/// One supervised process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstancePlan {
    /// `namesrv`, `broker-a`, `broker-a-s`...
    pub name: String,
    pub role: Role,
    pub host: String,
    /// The address it registers/listens on (brokerIP1 or the host's address).
    pub address: String,
    /// Its client port (listenPort, or the name server's port).
    pub port: u16,
    /// Every port it binds.
    pub ports: Vec<u16>,
    /// systemd unit name (`rmqctl-broker-a.service`).
    pub unit_name: String,
    /// Arguments after the binary (`broker -c /opt/rmq/conf/broker-a.properties`).
    pub args: Vec<String>,
    pub conf_file: String,
    pub log_file: String,
    /// Pid file for the supervisors without systemd.
    pub pid_file: String,
    /// brokerName and brokerId, for brokers.
    pub broker_name: Option<String>,
    pub broker_id: Option<i64>,
}

/// What a file is, which decides its mode and who must restart when it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Binary,
    Config,
    Unit,
    /// Private material (keys, ACL secrets): mode 0600.
    Secret,
}

/// The bytes of a file to upload.
#[derive(Clone)]
pub enum FileSource {
    Text(Arc<str>),
    Bytes(Arc<[u8]>),
}

/// Only the size: contents may be secret (plain_acl.yml) and are noise in debug output.
impl std::fmt::Debug for FileSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} bytes", self.bytes().len())
    }
}

impl FileSource {
    pub fn bytes(&self) -> &[u8] {
        match self {
            FileSource::Text(t) => t.as_bytes(),
            FileSource::Bytes(b) => b,
        }
    }
}

/// One file to put on a host.
#[derive(Debug, Clone)]
pub struct PlannedFile {
    /// Absolute path on the host.
    pub remote_path: String,
    pub kind: FileKind,
    pub mode: u32,
    pub source: FileSource,
    /// sha256 of the contents, hex.
    pub sha256: String,
    /// Instances that must restart when this file changes.
    pub affects: Vec<String>,
    /// Only used with systemd (units).
    pub systemd_only: bool,
}

impl PlannedFile {
    pub fn new(
        remote_path: String,
        kind: FileKind,
        source: FileSource,
        affects: Vec<String>,
    ) -> PlannedFile {
        let sha256 = sha256_hex(source.bytes());
        PlannedFile::with_sha256(remote_path, kind, source, sha256, affects)
    }

    /// A file whose checksum is already known.
    pub fn with_sha256(
        remote_path: String,
        kind: FileKind,
        source: FileSource,
        sha256: String,
        affects: Vec<String>,
    ) -> PlannedFile {
        let mode = match kind {
            FileKind::Binary => 0o755,
            FileKind::Config | FileKind::Unit => 0o644,
            FileKind::Secret => 0o600,
        };
        PlannedFile {
            sha256,
            remote_path,
            kind,
            mode,
            source,
            affects,
            systemd_only: kind == FileKind::Unit,
        }
    }

    pub fn len(&self) -> usize {
        self.source.bytes().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Everything deploy does on one host.
#[derive(Debug, Clone)]
pub struct HostDeploy {
    pub name: String,
    pub address: String,
    pub access: HostAccess,
    pub install_root: String,
    pub binary_path: String,
    /// Directory of pid files.
    pub run_dir: String,
    /// Directories to create (install layout, stores, logs).
    pub dirs: Vec<String>,
    /// Data directories (stores) that `destroy --keep-data` keeps.
    pub data_dirs: Vec<String>,
    /// Log directories.
    pub log_dirs: Vec<String>,
    pub files: Vec<PlannedFile>,
    /// In start order: name server, masters, slaves, gateway.
    pub instances: Vec<InstancePlan>,
    pub open_ports: Vec<u16>,
    /// `User=` / `--chuid` of the processes.
    pub service_user: Option<String>,
}

impl HostDeploy {
    pub fn is_local(&self) -> bool {
        self.access == HostAccess::Local
    }

    pub fn instance(&self, name: &str) -> Option<&InstancePlan> {
        self.instances.iter().find(|i| i.name == name)
    }
}

/// The whole deploy: one entry per host, in inventory order.
#[derive(Debug, Clone)]
pub struct DeployPlan {
    pub cluster: String,
    pub namesrv_addr: String,
    pub hosts: Vec<HostDeploy>,
    /// Tag of every firewall rule deploy adds (found again by `destroy`).
    pub firewall_tag: String,
    /// How checks, `status` and the lifecycle commands connect (`[tls]`, `[acl]`).
    pub access: super::access::ClusterAccess,
}

impl DeployPlan {
    /// Builds the plan from a render and the binary to upload.
    pub fn build(plan: &ClusterPlan, files: &[RenderedFile], binary: FileSource) -> DeployPlan {
        let binary_sha = sha256_hex(binary.bytes());
        let hosts = plan
            .hosts
            .iter()
            .map(|host| host_deploy(plan, files, host, &binary, &binary_sha))
            .collect();
        DeployPlan {
            cluster: plan.cluster.clone(),
            namesrv_addr: plan.namesrv_addr.clone(),
            hosts,
            firewall_tag: format!("rmqctl:{}", plan.cluster),
            access: super::access::ClusterAccess {
                tls: plan.client_tls.clone(),
                credentials: plan.admin_credentials.clone(),
                gateways: gateway_listener(plan, files),
            },
        }
    }

    /// Every instance of every host.
    pub fn instances(&self) -> impl Iterator<Item = &InstancePlan> {
        self.hosts.iter().flat_map(|h| h.instances.iter())
    }

    pub fn host(&self, name: &str) -> Option<&HostDeploy> {
        self.hosts.iter().find(|h| h.name == name)
    }

    /// The master of a slave's group.
    pub fn master_of(&self, slave: &InstancePlan) -> Option<&InstancePlan> {
        self.instances()
            .find(|i| i.role == Role::Master && i.broker_name == slave.broker_name)
    }
}

/// How the gateways are asked for their health: https trusting the rendered `[tls]` CA when they
/// serve https (`[gateway] https = true`), else plain http.
fn gateway_listener(plan: &ClusterPlan, files: &[RenderedFile]) -> super::access::GatewayListener {
    if !plan.gateways.iter().any(|g| g.https) {
        return super::access::GatewayListener::Http;
    }
    let ca = std::path::Path::new(crate::render::tls::DIR).join(crate::render::tls::CA_FILE);
    let ca_pem = files
        .iter()
        .find(|f| f.path == ca)
        .map_or("", |f| f.contents.as_str());
    super::access::GatewayListener::Https {
        ca_pem: Arc::from(ca_pem),
    }
}

fn join(dir: &str, leaf: &str) -> String {
    format!("{}/{leaf}", dir.trim_end_matches('/'))
}

fn parent(path: &str) -> String {
    PathBuf::from(path)
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "/".into())
}

fn host_deploy(
    plan: &ClusterPlan,
    files: &[RenderedFile],
    host: &HostPlan,
    binary: &FileSource,
    binary_sha: &str,
) -> HostDeploy {
    let run_dir = join(&host.install_root, "run");
    let mut instances = Vec::new();
    if let Some(namesrv) = plan.namesrvs.iter().find(|n| n.host == host.name) {
        instances.push(namesrv_instance(host, namesrv, &run_dir));
    }
    let brokers: Vec<&BrokerInstance> = plan.brokers_on(&host.name).collect();
    for broker in brokers.iter().filter(|b| b.role.is_master()) {
        instances.push(broker_instance(host, broker, &run_dir, Role::Master));
    }
    for broker in brokers.iter().filter(|b| !b.role.is_master()) {
        instances.push(broker_instance(host, broker, &run_dir, Role::Slave));
    }
    let gateway = plan.gateways.iter().find(|g| g.host == host.name);
    if let Some(gateway) = gateway {
        instances.push(gateway_instance(gateway, &run_dir));
    }
    let all: Vec<String> = instances.iter().map(|i| i.name.clone()).collect();
    // The binary's bytes and checksum are shared by every host (one copy in memory).
    let mut planned = vec![PlannedFile::with_sha256(
        host.binary.clone(),
        FileKind::Binary,
        binary.clone(),
        binary_sha.to_string(),
        all,
    )];
    for file in files {
        planned.extend(rendered_file(plan, host, file, &instances));
    }
    let mut dirs = vec![
        join(&host.install_root, "bin"),
        host.conf_dir.clone(),
        run_dir.clone(),
    ];
    let mut data_dirs = Vec::new();
    let mut log_dirs = Vec::new();
    for broker in &brokers {
        data_dirs.push(broker.store_root.clone());
        if !broker.commit_log_dir.starts_with(&broker.store_root) {
            data_dirs.push(broker.commit_log_dir.clone());
        }
        log_dirs.push(broker.log_dir.clone());
    }
    if let Some(namesrv) = plan.namesrvs.iter().find(|n| n.host == host.name) {
        log_dirs.push(namesrv.log_dir.clone());
        if let Some((_, kv)) = namesrv.properties.iter().find(|(k, _)| k == "kvConfigPath") {
            data_dirs.push(parent(kv));
        }
    }
    log_dirs.extend(gateway.map(|g| g.log_dir.clone()));
    dirs.extend(data_dirs.iter().cloned());
    dirs.extend(log_dirs.iter().cloned());
    HostDeploy {
        name: host.name.clone(),
        address: host.address.clone(),
        access: host.access.clone(),
        install_root: host.install_root.clone(),
        binary_path: host.binary.clone(),
        run_dir,
        dirs,
        data_dirs,
        log_dirs,
        files: planned,
        instances,
        open_ports: host.open_ports.clone(),
        service_user: plan.service_user.clone(),
    }
}

/// The rendered files that go to this host: its brokers' properties, namesrv.properties if it
/// runs a name server, its gateway.toml and the delivery CA if it runs a gateway, the TLS files
/// its processes read, and its units. `plan.json` stays on the operator's machine; a host that
/// runs only a gateway gets no ACL file and of `[tls]` only the CA, rmqctl's client files, the
/// gateway's key password and, when it serves https, its own certificate and key.
fn rendered_file(
    plan: &ClusterPlan,
    host: &HostPlan,
    file: &RenderedFile,
    instances: &[InstancePlan],
) -> Option<PlannedFile> {
    let name = file.path.file_name()?.to_string_lossy().into_owned();
    let source = FileSource::Text(Arc::from(file.contents.as_str()));
    let is_unit = file.path.starts_with("units");
    if is_unit {
        if file.host.as_deref() != Some(host.name.as_str()) {
            return None;
        }
        let instance = instances.iter().find(|i| i.unit_name == name)?;
        return Some(PlannedFile::new(
            join(UNIT_DIR, &name),
            FileKind::Unit,
            source,
            vec![instance.name.clone()],
        ));
    }
    let runs_servers = host.runs_namesrv || !host.brokers.is_empty();
    if file.path.starts_with(crate::render::gateway::DIR) {
        // This host's gateway.toml, or a file of every gateway (the delivery CA).
        if file.host.as_deref().is_some_and(|h| h != host.name) {
            return None;
        }
        // Read by the gateway alone: a change restarts only it. Bearer tokens make gateway.toml
        // a secret.
        let gateway = plan.gateways.iter().find(|g| g.host == host.name)?;
        let (remote_path, kind) = if name == crate::render::gateway::FILE_NAME {
            let kind = if gateway.has_tokens {
                FileKind::Secret
            } else {
                FileKind::Config
            };
            (gateway.conf_file.clone(), kind)
        } else {
            (join(&host.conf_dir, &name), FileKind::Config)
        };
        return Some(PlannedFile::new(
            remote_path,
            kind,
            source,
            vec![crate::render::gateway::INSTANCE.into()],
        ));
    }
    if file.path.starts_with(crate::render::tls::DIR) {
        // The CA, the host's certificate and key (the servers', and an https gateway's), the key
        // password; rmqctl's client certificate, key and key password for the gateway: read at
        // start only by the processes that use them, so a change restarts those (a host where
        // none runs gets no copy).
        if file.host.as_deref().is_some_and(|h| h != host.name) {
            return None;
        }
        let readers = crate::render::tls::TlsFileReaders::of(&file.path);
        let https = plan.gateways.iter().any(|g| g.host == host.name && g.https);
        let affects: Vec<String> = instances
            .iter()
            .filter(|i| {
                readers.include(match i.role {
                    Role::Gateway => TlsReader::Gateway { https },
                    _ => TlsReader::Server,
                })
            })
            .map(|i| i.name.clone())
            .collect();
        if affects.is_empty() {
            return None;
        }
        let kind = if crate::render::tls::is_secret_file(&file.path) {
            FileKind::Secret
        } else {
            FileKind::Config
        };
        return Some(PlannedFile::new(
            crate::render::tls::remote_path(&host.conf_dir, &name),
            kind,
            source,
            affects,
        ));
    }
    if crate::render::acl::is_secret_file(&file.path) {
        if !runs_servers {
            return None;
        }
        // Every broker and name server of the host reads it beside its properties; a change
        // needs no restart (the servers re-read it).
        return Some(PlannedFile::new(
            join(&host.conf_dir, &name),
            FileKind::Secret,
            source,
            Vec::new(),
        ));
    }
    if name == "namesrv.properties" {
        let namesrv = plan.namesrvs.iter().find(|n| n.host == host.name)?;
        return Some(PlannedFile::new(
            namesrv.conf_file.clone(),
            FileKind::Config,
            source,
            vec!["namesrv".into()],
        ));
    }
    let broker = plan
        .brokers_on(&host.name)
        .find(|b| b.file_name == name && file.host.as_deref() == Some(host.name.as_str()))?;
    Some(PlannedFile::new(
        broker.conf_file.clone(),
        FileKind::Config,
        source,
        vec![broker.name.clone()],
    ))
}

fn namesrv_instance(host: &HostPlan, namesrv: &NamesrvInstance, run_dir: &str) -> InstancePlan {
    InstancePlan {
        name: "namesrv".into(),
        role: Role::Namesrv,
        host: host.name.clone(),
        address: namesrv.address.clone(),
        port: namesrv.port,
        ports: vec![namesrv.port],
        unit_name: namesrv.unit_name.clone(),
        args: vec!["namesrv".into(), "-c".into(), namesrv.conf_file.clone()],
        conf_file: namesrv.conf_file.clone(),
        log_file: join(&namesrv.log_dir, "namesrv.log"),
        pid_file: join(run_dir, "namesrv.pid"),
        broker_name: None,
        broker_id: None,
    }
}

fn broker_instance(
    host: &HostPlan,
    broker: &BrokerInstance,
    run_dir: &str,
    role: Role,
) -> InstancePlan {
    InstancePlan {
        name: broker.name.clone(),
        role,
        host: host.name.clone(),
        address: broker.address.clone(),
        port: broker.listen_port,
        ports: vec![broker.fast_port, broker.listen_port, broker.ha_port],
        unit_name: broker.unit_name.clone(),
        args: broker_args(broker),
        conf_file: broker.conf_file.clone(),
        log_file: join(&broker.log_dir, &format!("{}.log", broker.name)),
        pid_file: join(run_dir, &format!("{}.pid", broker.name)),
        broker_name: Some(broker.broker_name.clone()),
        broker_id: Some(broker.broker_id),
    }
}

fn gateway_instance(gateway: &GatewayInstance, run_dir: &str) -> InstancePlan {
    InstancePlan {
        name: crate::render::gateway::INSTANCE.into(),
        role: Role::Gateway,
        host: gateway.host.clone(),
        address: gateway.address.clone(),
        port: gateway.port,
        ports: vec![gateway.port],
        unit_name: gateway.unit_name.clone(),
        args: gateway.args(),
        conf_file: gateway.conf_file.clone(),
        log_file: join(&gateway.log_dir, "gateway.log"),
        pid_file: join(run_dir, "gateway.pid"),
        broker_name: None,
        broker_id: None,
    }
}

/// `broker -c FILE`, with `--access-key KEY` when the broker signs its own requests (the secret
/// stays in its 0600 plain_acl.yml, never in the arguments).
fn broker_args(broker: &BrokerInstance) -> Vec<String> {
    let mut args = vec!["broker".into(), "-c".into(), broker.conf_file.clone()];
    if let Some(key) = &broker.access_key {
        args.extend(["--access-key".into(), key.clone()]);
    }
    args
}

/// Lower-case hex sha256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::plan_fixtures::sync_2m_2s_plan;
    use crate::render::pipeline::render_inventory;
    use crate::render::templates::Templates;

    fn plan_of(inventory: &str) -> DeployPlan {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("inventories")
            .join(inventory);
        let out = render_inventory(&path, &Templates::embedded())
            .unwrap_or_else(|e| panic!("render {inventory}: {e}"));
        DeployPlan::build(
            &out.plan,
            &out.files,
            FileSource::Bytes(Arc::from(&b"binary"[..])),
        )
    }

    #[test]
    fn every_host_gets_its_own_files_and_instances_in_start_order() {
        let plan = plan_of("2m-2s-sync.toml");
        let names: Vec<&str> = plan.hosts.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["master-a", "master-b", "slave-a", "slave-b"]);
        let master_a = plan.host("master-a").unwrap_or_else(|| panic!("master-a"));
        let instances: Vec<(&str, Role)> = master_a
            .instances
            .iter()
            .map(|i| (i.name.as_str(), i.role))
            .collect();
        assert_eq!(
            instances,
            [("namesrv", Role::Namesrv), ("broker-a", Role::Master)]
        );
        let paths: Vec<&str> = master_a
            .files
            .iter()
            .map(|f| f.remote_path.as_str())
            .collect();
        assert_eq!(
            paths,
            [
                "/opt/rmq/bin/rmqctl",
                "/opt/rmq/conf/broker-a.properties",
                "/opt/rmq/conf/namesrv.properties",
                "/etc/systemd/system/rmqctl-namesrv.service",
                "/etc/systemd/system/rmqctl-broker-a.service",
            ]
        );
        let slave_a = plan.host("slave-a").unwrap_or_else(|| panic!("slave-a"));
        assert_eq!(slave_a.instances.len(), 1);
        assert_eq!(slave_a.instances[0].role, Role::Slave);
        assert_eq!(slave_a.open_ports, [10909, 10911, 10912]);
        assert_eq!(
            plan.master_of(&slave_a.instances[0])
                .map(|m| m.name.as_str()),
            Some("broker-a")
        );
        assert_eq!(plan.firewall_tag, "rmqctl:DefaultCluster");
    }

    #[test]
    fn acl_file_is_a_secret_beside_the_broker_files() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let plan = sync_2m_2s_plan(
            dir.path(),
            "acl.toml",
            "\n[acl]\n[[acl.accounts]]\naccess_key = \"rmqadmin\"\nsecret_key = \"admin-secret\"\nadmin = true\n",
        );
        for host in &plan.hosts {
            let acl = host
                .files
                .iter()
                .find(|f| f.remote_path == "/opt/rmq/conf/plain_acl.yml")
                .unwrap_or_else(|| panic!("{} gets no plain_acl.yml", host.name));
            assert_eq!((acl.kind, acl.mode), (FileKind::Secret, 0o600));
            assert!(acl.affects.is_empty(), "servers re-read it: no restart");
            for broker in host.instances.iter().filter(|i| i.role != Role::Namesrv) {
                assert_eq!(broker.args[3..], ["--access-key", "rmqadmin"]);
            }
        }
        assert_eq!(
            plan.access
                .credentials
                .as_ref()
                .map(|c| c.access_key.as_str()),
            Some("rmqadmin")
        );
        assert!(!format!("{plan:?}").contains("admin-secret"));
    }

    #[test]
    fn file_modes_and_restart_scope() {
        let plan = plan_of("2m-2s-sync.toml");
        let master_a = plan.host("master-a").unwrap_or_else(|| panic!("master-a"));
        let binary = &master_a.files[0];
        assert_eq!(binary.kind, FileKind::Binary);
        assert_eq!(binary.mode, 0o755);
        assert_eq!(binary.sha256, sha256_hex(b"binary"));
        assert_eq!(binary.affects, ["namesrv", "broker-a"]);
        let conf = &master_a.files[1];
        assert_eq!((conf.kind, conf.mode), (FileKind::Config, 0o644));
        assert_eq!(conf.affects, ["broker-a"]);
    }

    /// 2m-2s-sync with `[gateway]` on master-a and on a host that runs nothing else.
    /// The 2m-2s-sync inventory with gateways on master-a and edge; `secrets`: with `[acl]`
    /// (its admin account goes into gateway.toml) and bearer tokens.
    fn gateway_plan(secrets: bool) -> (tempfile::TempDir, DeployPlan) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut text = String::new();
        if secrets {
            text.push_str("\n[acl]\n[[acl.accounts]]\naccess_key = \"rmqadmin\"\nsecret_key = \"admin-secret\"\nadmin = true\n");
        }
        text.push_str(
            "\n[hosts.edge]\naddress = \"10.77.0.21\"\n\
             [gateway]\nhosts = [\"master-a\", \"edge\"]\nallow_callbacks = [\"https://a.example.com/\"]\n",
        );
        if secrets {
            std::fs::write(dir.path().join("tokens"), "t0ken\n").unwrap_or_else(|e| panic!("{e}"));
            text.push_str("tokens_file = \"tokens\"\n");
        }
        let plan = sync_2m_2s_plan(dir.path(), "gw.toml", &text);
        (dir, plan)
    }

    #[test]
    fn gateway_is_the_last_instance_with_its_own_config_and_port() {
        let (_dir, plan) = gateway_plan(true);
        let names: Vec<&str> = plan.hosts.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(
            names,
            ["edge", "master-a", "master-b", "slave-a", "slave-b"]
        );
        assert!(
            Role::Gateway > Role::Slave,
            "start order: after the brokers"
        );
        let master_a = plan.host("master-a").unwrap_or_else(|| panic!("master-a"));
        let roles: Vec<(&str, Role)> = master_a
            .instances
            .iter()
            .map(|i| (i.name.as_str(), i.role))
            .collect();
        assert_eq!(
            roles,
            [
                ("namesrv", Role::Namesrv),
                ("broker-a", Role::Master),
                ("gateway", Role::Gateway)
            ]
        );
        let gateway = master_a
            .instance("gateway")
            .unwrap_or_else(|| panic!("gateway"));
        assert_eq!(gateway.ports, [8080]);
        assert_eq!(
            gateway.args,
            [
                "gateway",
                "-c",
                "/opt/rmq/conf/gateway.toml",
                "--listen",
                "10.77.0.11:8080",
                "-n",
                "10.77.0.11:9876;10.77.0.13:9876"
            ]
        );
        assert_eq!(gateway.conf_file, "/opt/rmq/conf/gateway.toml");
        assert_eq!(gateway.pid_file, "/opt/rmq/run/gateway.pid");
        assert!(master_a.open_ports.contains(&8080));
        assert!(master_a
            .log_dirs
            .contains(&"/opt/rmq/logs/gateway".to_string()));
        let conf = master_a
            .files
            .iter()
            .find(|f| f.remote_path == "/opt/rmq/conf/gateway.toml")
            .unwrap_or_else(|| panic!("gateway.toml"));
        assert_eq!(
            (conf.kind, conf.mode),
            (FileKind::Secret, 0o600),
            "it carries tokens"
        );
        assert_eq!(
            conf.affects,
            ["gateway"],
            "a change restarts only the gateway"
        );
        let unit = master_a
            .files
            .iter()
            .find(|f| f.remote_path == "/etc/systemd/system/rmqctl-gateway.service")
            .unwrap_or_else(|| panic!("unit"));
        assert_eq!(unit.affects, ["gateway"]);
        assert_eq!(
            master_a.files[0].affects,
            ["namesrv", "broker-a", "gateway"],
            "the binary"
        );

        // A host that runs only the gateway: binary, gateway.toml and unit; no ACL file.
        let edge = plan.host("edge").unwrap_or_else(|| panic!("edge"));
        let paths: Vec<&str> = edge.files.iter().map(|f| f.remote_path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/opt/rmq/bin/rmqctl",
                "/etc/systemd/system/rmqctl-gateway.service",
                "/opt/rmq/conf/gateway.toml"
            ]
        );
        assert_eq!(edge.open_ports, [8080]);
        assert_eq!(edge.instances.len(), 1);
        assert_eq!(edge.instances[0].address, "10.77.0.21");
        // Other hosts get no gateway file.
        let slave_a = plan.host("slave-a").unwrap_or_else(|| panic!("slave-a"));
        assert!(slave_a
            .files
            .iter()
            .all(|f| !f.remote_path.contains("gateway")));
        assert!(!format!("{plan:?}").contains("t0ken"));
    }

    #[test]
    fn gateway_config_without_tokens_or_account_is_a_plain_config() {
        let (_dir, plan) = gateway_plan(false);
        let edge = plan.host("edge").unwrap_or_else(|| panic!("edge"));
        let conf = edge
            .files
            .iter()
            .find(|f| f.remote_path == "/opt/rmq/conf/gateway.toml")
            .unwrap_or_else(|| panic!("gateway.toml"));
        assert_eq!((conf.kind, conf.mode), (FileKind::Config, 0o644));
    }

    /// 2m-2s-sync with `[tls]` (client certificates required, a key password) and gateways on
    /// master-a and on edge (a host that runs nothing else): each gateway host gets the CA and
    /// rmqctl's client certificate, key and key password beside its gateway.toml, whose
    /// `[cluster_tls]` names them; edge gets no server certificate and no tls.properties; a
    /// change of the CA restarts servers and gateway, of the client files the gateway alone.
    #[test]
    fn gateway_hosts_get_the_cluster_ca_and_client_certificate() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        crate::render::tls::tests::tls_init(
            &dir.path().join("tls"),
            &[
                ("master-a", "10.77.0.11"),
                ("slave-a", "10.77.0.12"),
                ("master-b", "10.77.0.13"),
                ("slave-b", "10.77.0.14"),
            ],
            true,
        );
        std::fs::write(dir.path().join("pw"), "plan-pw\n").unwrap_or_else(|e| panic!("{e}"));
        let plan = sync_2m_2s_plan(
            dir.path(),
            "gw-tls.toml",
            "\n[hosts.edge]\naddress = \"10.77.0.21\"\n\
             [tls]\nmode = \"enforcing\"\nclient_auth = \"require\"\nkey_password_file = \"pw\"\n\
             [gateway]\nhosts = [\"master-a\", \"edge\"]\nallow_callbacks = [\"https://a.example.com/\"]\n",
        );
        let tls_files = |host: &str| -> Vec<(String, u32, Vec<String>)> {
            plan.host(host)
                .unwrap_or_else(|| panic!("{host}"))
                .files
                .iter()
                .filter(|f| f.remote_path.starts_with("/opt/rmq/conf/tls/"))
                .map(|f| (f.remote_path.clone(), f.mode, f.affects.clone()))
                .collect()
        };
        let of = |names: &[&str]| -> Vec<String> { names.iter().map(|n| n.to_string()).collect() };
        assert_eq!(
            tls_files("edge"),
            [
                ("/opt/rmq/conf/tls/ca.pem".into(), 0o644, of(&["gateway"])),
                (
                    "/opt/rmq/conf/tls/client.pem".into(),
                    0o644,
                    of(&["gateway"])
                ),
                (
                    "/opt/rmq/conf/tls/client-key.pem".into(),
                    0o600,
                    of(&["gateway"])
                ),
                (
                    "/opt/rmq/conf/tls/gateway-key-password".into(),
                    0o600,
                    of(&["gateway"])
                ),
            ]
        );
        let servers = of(&["namesrv", "broker-a"]);
        assert_eq!(
            tls_files("master-a"),
            [
                (
                    "/opt/rmq/conf/tls/ca.pem".into(),
                    0o644,
                    of(&["namesrv", "broker-a", "gateway"])
                ),
                ("/opt/rmq/conf/tls/cert.pem".into(), 0o644, servers.clone()),
                ("/opt/rmq/conf/tls/key.pem".into(), 0o600, servers.clone()),
                (
                    "/opt/rmq/conf/tls/client.pem".into(),
                    0o644,
                    of(&["gateway"])
                ),
                (
                    "/opt/rmq/conf/tls/client-key.pem".into(),
                    0o600,
                    of(&["gateway"])
                ),
                ("/opt/rmq/conf/tls/tls.properties".into(), 0o600, servers),
                (
                    "/opt/rmq/conf/tls/gateway-key-password".into(),
                    0o600,
                    of(&["gateway"])
                ),
            ]
        );
        assert_eq!(
            plan.access.gateways,
            super::super::access::GatewayListener::Http,
            "no https = true: plain http"
        );
        // A host without a gateway gets none of rmqctl's client files.
        assert!(tls_files("slave-a")
            .iter()
            .all(|(path, _, _)| !path.contains("client")));
        let conf = plan
            .host("edge")
            .and_then(|h| {
                h.files
                    .iter()
                    .find(|f| f.remote_path == "/opt/rmq/conf/gateway.toml")
            })
            .unwrap_or_else(|| panic!("gateway.toml"));
        let config: crate::gateway::config::GatewayConfig =
            toml::from_str(&String::from_utf8_lossy(conf.source.bytes()))
                .unwrap_or_else(|e| panic!("{e}"));
        let tls = config
            .cluster_tls
            .unwrap_or_else(|| panic!("[cluster_tls]"));
        for named in [Some(tls.ca), tls.cert, tls.key, tls.key_password_file] {
            let named = named.unwrap_or_default().display().to_string();
            assert!(
                tls_files("edge").iter().any(|(path, _, _)| *path == named),
                "gateway.toml names {named}, which is not uploaded"
            );
        }
        assert!(!format!("{plan:?}").contains("plan-pw"));
    }

    #[test]
    fn delivery_ca_goes_to_every_gateway_host_and_restarts_the_gateway() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let ca = crate::remoting::tls::issue::CertificateAuthority::generate(
            "callbacks CA",
            crate::remoting::tls::issue::Validity::days(30),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("callbacks-ca.pem"), ca.cert_pem())
            .unwrap_or_else(|e| panic!("{e}"));
        let plan = sync_2m_2s_plan(
            dir.path(),
            "gw.toml",
            "\n[hosts.edge]\naddress = \"10.77.0.21\"\n\
             [gateway]\nhosts = [\"master-a\", \"edge\"]\nallow_callbacks = [\"https://a.example.com/\"]\n\
             [gateway.delivery]\nca = \"callbacks-ca.pem\"\n",
        );
        for host in &plan.hosts {
            let ca_file = host
                .files
                .iter()
                .find(|f| f.remote_path == "/opt/rmq/conf/gateway-delivery-ca.pem");
            if host.instance("gateway").is_none() {
                assert!(ca_file.is_none(), "{}", host.name);
                continue;
            }
            let ca_file = ca_file.unwrap_or_else(|| panic!("{}: no delivery CA", host.name));
            assert_eq!((ca_file.kind, ca_file.mode), (FileKind::Config, 0o644));
            assert_eq!(ca_file.affects, ["gateway"]);
            assert_eq!(ca_file.source.bytes(), ca.cert_pem().as_bytes());
        }
    }

    /// `[gateway] https = true` on master-a and on edge (a host that runs nothing else): edge
    /// gets its own certificate and key (0644/0600) and the gateway's key password beside the
    /// CA, all read by its gateway alone; on master-a the host's certificate and key are read by
    /// the servers and the https gateway, so a change restarts all three, while tls.properties
    /// stays the servers'. gateway.toml's `[tls]` names uploaded files.
    #[test]
    fn https_gateways_read_their_hosts_certificate() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        crate::render::tls::tests::tls_init(
            &dir.path().join("tls"),
            &[
                ("master-a", "10.77.0.11"),
                ("slave-a", "10.77.0.12"),
                ("master-b", "10.77.0.13"),
                ("slave-b", "10.77.0.14"),
                ("edge", "10.77.0.21"),
            ],
            false,
        );
        std::fs::write(dir.path().join("pw"), "https-plan-pw\n").unwrap_or_else(|e| panic!("{e}"));
        let plan = sync_2m_2s_plan(
            dir.path(),
            "gw-https.toml",
            "\n[hosts.edge]\naddress = \"10.77.0.21\"\n\
             [tls]\nmode = \"permissive\"\nkey_password_file = \"pw\"\n\
             [gateway]\nhosts = [\"master-a\", \"edge\"]\nhttps = true\nallow_callbacks = [\"https://a.example.com/\"]\n",
        );
        let tls_files = |host: &str| -> Vec<(String, u32, Vec<String>)> {
            plan.host(host)
                .unwrap_or_else(|| panic!("{host}"))
                .files
                .iter()
                .filter(|f| f.remote_path.starts_with("/opt/rmq/conf/tls/"))
                .map(|f| (f.remote_path.clone(), f.mode, f.affects.clone()))
                .collect()
        };
        let of = |names: &[&str]| -> Vec<String> { names.iter().map(|n| n.to_string()).collect() };
        let gateway = of(&["gateway"]);
        assert_eq!(
            tls_files("edge"),
            [
                ("/opt/rmq/conf/tls/ca.pem".into(), 0o644, gateway.clone()),
                ("/opt/rmq/conf/tls/cert.pem".into(), 0o644, gateway.clone()),
                ("/opt/rmq/conf/tls/key.pem".into(), 0o600, gateway.clone()),
                (
                    "/opt/rmq/conf/tls/gateway-key-password".into(),
                    0o600,
                    gateway.clone()
                ),
            ]
        );
        let all = of(&["namesrv", "broker-a", "gateway"]);
        assert_eq!(
            tls_files("master-a"),
            [
                ("/opt/rmq/conf/tls/ca.pem".into(), 0o644, all.clone()),
                ("/opt/rmq/conf/tls/cert.pem".into(), 0o644, all.clone()),
                ("/opt/rmq/conf/tls/key.pem".into(), 0o600, all),
                (
                    "/opt/rmq/conf/tls/tls.properties".into(),
                    0o600,
                    of(&["namesrv", "broker-a"])
                ),
                (
                    "/opt/rmq/conf/tls/gateway-key-password".into(),
                    0o600,
                    gateway
                ),
            ]
        );
        let edge = plan.host("edge").unwrap_or_else(|| panic!("edge"));
        let cert = edge
            .files
            .iter()
            .find(|f| f.remote_path == "/opt/rmq/conf/tls/cert.pem")
            .unwrap_or_else(|| panic!("edge's certificate"));
        let issued = std::fs::read(dir.path().join("tls/edge.pem")).unwrap_or_default();
        assert_eq!(
            cert.source.bytes(),
            issued.as_slice(),
            "edge's own certificate"
        );
        let conf = edge
            .files
            .iter()
            .find(|f| f.remote_path == "/opt/rmq/conf/gateway.toml")
            .unwrap_or_else(|| panic!("gateway.toml"));
        let config: crate::gateway::config::GatewayConfig =
            toml::from_str(&String::from_utf8_lossy(conf.source.bytes()))
                .unwrap_or_else(|e| panic!("{e}"));
        let listener = config.tls.unwrap_or_else(|| panic!("[tls]"));
        for named in [
            Some(listener.cert),
            Some(listener.key),
            listener.key_password_file,
        ] {
            let named = named.unwrap_or_default().display().to_string();
            assert!(
                tls_files("edge").iter().any(|(path, _, _)| *path == named),
                "gateway.toml names {named}, which is not uploaded"
            );
        }
        assert!(!format!("{plan:?}").contains("https-plan-pw"));
        // deploy's checks and status ask the gateways in https, trusting the inventory's CA.
        let ca = std::fs::read_to_string(dir.path().join("tls/ca.pem")).unwrap_or_default();
        assert_eq!(
            plan.access.gateways,
            super::super::access::GatewayListener::Https {
                ca_pem: Arc::from(ca.as_str())
            }
        );
    }
}
