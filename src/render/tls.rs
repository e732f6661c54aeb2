//! The inventory's `[tls]` table: the listeners' mode, the CA, each host's certificate and key
//! (`[tls.hosts.<host>]`, a shared `cert`/`key`, or the directory `rmqctl tls init DIR --hosts
//! INVENTORY` writes), the key password (from an environment variable or a file, never the
//! inventory), client certificates and the brokers' outbound TLS. `render` writes Apache's
//! `tls.*` keys with the paths deploy uploads the files to (`<install_root>/conf/tls/`) and the
//! files themselves (keys 0600); with `[gateway]` also rmqctl's client certificate for the
//! gateways' `[cluster_tls]`, and with `[gateway] https = true` the gateway hosts' own
//! certificates for their listeners' `[tls]`; `check` loads every file with the servers' own
//! loaders (`tls_check`).

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::derive::ClusterPlan;
use super::inventory::LoadedInventory;
use super::lint::{Finding, Severity};
use super::templates::RenderedFile;
use crate::acl::Secret;
use crate::apache_config::properties::escape_value;
use crate::remoting::tls::settings::{ClientAuth, TlsMode};
use crate::remoting::tls::TlsClientOptions;

/// The lint rule of every `[tls]` problem.
pub const RULE: &str = "tls";

/// Where the TLS files go, in a render and under `<install_root>/conf` on every host.
pub const DIR: &str = "tls";
/// The CA certificate every host trusts.
pub const CA_FILE: &str = "ca.pem";
/// The host's certificate (chain) and key.
pub const CERT_FILE: &str = "cert.pem";
pub const KEY_FILE: &str = "key.pem";
/// The `tls.config.file` holding the key password (only with a password; mode 0600).
pub const PASSWORD_FILE: &str = "tls.properties";

/// rmqctl's client certificate and key, uploaded to gateway hosts: what a gateway presents to
/// servers that want a client certificate (the same as deploy's own checks).
pub const CLIENT_CERT_FILE: &str = "client.pem";
pub const CLIENT_KEY_FILE: &str = "client-key.pem";
/// The keys' password on its first line, for the `key_password_file` of gateway.toml's
/// `[cluster_tls]` (rmqctl's client key) and `[tls]` (the host's key, with `https`); mode 0600.
pub const GATEWAY_PASSWORD_FILE: &str = "gateway-key-password";

/// `[tls] dir` when unset: beside the inventory, the directory of `rmqctl tls init tls`.
pub const DEFAULT_DIR: &str = "tls";

/// `[tls]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsSpec {
    /// `tls.server.mode` of every name server and broker.
    pub mode: Spanned<ModeSpec>,
    /// A directory in `rmqctl tls init` layout: `ca.pem`, `HOST.pem`, `HOST-key.pem`,
    /// `client.pem`, `client-key.pem` (default `tls` beside the inventory).
    pub dir: Option<Spanned<String>>,
    /// The CA certificate (default `<dir>/ca.pem`).
    pub ca: Option<Spanned<String>>,
    /// One certificate and key for every host (it must name every host's address).
    pub cert: Option<Spanned<String>>,
    pub key: Option<Spanned<String>>,
    /// The environment variable holding the password of encrypted keys.
    pub key_password_env: Option<Spanned<String>>,
    /// A file holding the password of encrypted keys (first line).
    pub key_password_file: Option<Spanned<String>>,
    /// `tls.server.need.client.auth`.
    #[serde(default)]
    pub client_auth: ClientAuthSpec,
    /// `tls.enable` of every broker (registration, slave to master over TLS); default: on
    /// unless the mode is `disabled`.
    pub outbound: Option<Spanned<bool>>,
    /// rmqctl's own certificate (deploy's checks, status, admin commands given `-i`); default
    /// `<dir>/client.pem` and `<dir>/client-key.pem` with `client_auth = "require"`.
    pub client_cert: Option<Spanned<String>>,
    pub client_key: Option<Spanned<String>>,
    /// Per-host certificate and key.
    #[serde(default)]
    pub hosts: BTreeMap<Spanned<String>, TlsHostSpec>,
}

/// `[tls.hosts.<host>]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsHostSpec {
    pub cert: Spanned<String>,
    pub key: Spanned<String>,
}

/// `[tls] mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModeSpec {
    Disabled,
    Permissive,
    Enforcing,
}

impl ModeSpec {
    pub fn mode(self) -> TlsMode {
        match self {
            ModeSpec::Disabled => TlsMode::Disabled,
            ModeSpec::Permissive => TlsMode::Permissive,
            ModeSpec::Enforcing => TlsMode::Enforcing,
        }
    }
}

/// `[tls] client_auth`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClientAuthSpec {
    #[default]
    None,
    Optional,
    Require,
}

impl ClientAuthSpec {
    pub fn client_auth(self) -> ClientAuth {
        match self {
            ClientAuthSpec::None => ClientAuth::None,
            ClientAuthSpec::Optional => ClientAuth::Optional,
            ClientAuthSpec::Require => ClientAuth::Require,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            ClientAuthSpec::None => "none",
            ClientAuthSpec::Optional => "optional",
            ClientAuthSpec::Require => "require",
        }
    }
}

impl TlsSpec {
    /// Whether brokers connect out with TLS.
    pub fn outbound(&self) -> bool {
        self.outbound
            .as_ref()
            .map_or(*self.mode.get_ref() != ModeSpec::Disabled, |o| *o.get_ref())
    }
}

/// A file on the operator's machine, with the inventory key that names (or implies) it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// For messages: `[tls] ca`, `[tls.hosts.master-a] cert`, `[tls] dir`.
    pub key: String,
    pub span: Range<usize>,
}

/// `[tls]` resolved against the inventory's directory and its hosts.
#[derive(Debug, Clone)]
pub struct ResolvedTls {
    pub mode: TlsMode,
    pub client_auth: ClientAuthSpec,
    pub outbound: bool,
    pub ca: SourceFile,
    /// Certificate and key of every host that serves TLS ([`ServingHost`]), by host name.
    pub hosts: BTreeMap<String, (SourceFile, SourceFile)>,
    /// rmqctl's own certificate and key, if it presents one.
    pub client: Option<(SourceFile, SourceFile)>,
    pub key_password: Option<Secret>,
}

impl ResolvedTls {
    /// What rmqctl trusts and presents when it talks to the cluster; `None` with mode disabled.
    pub fn client_options(&self) -> Option<TlsClientOptions> {
        if self.mode == TlsMode::Disabled {
            return None;
        }
        Some(TlsClientOptions {
            ca: Some(self.ca.path.clone()),
            cert: self.client.as_ref().map(|(c, _)| c.path.clone()),
            key: self.client.as_ref().map(|(_, k)| k.path.clone()),
            key_password: self.key_password.as_ref().map(|p| p.expose().to_string()),
            insecure: false,
        })
    }
}

/// A host that serves TLS and so needs its certificate: one that runs a name server or a broker,
/// or a gateway with `[gateway] https = true`; with the address peers, clients and rmqctl
/// connect to (which its certificate must name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServingHost {
    pub name: String,
    pub address: String,
}

/// What `[tls]` adds to a render.
#[derive(Debug, Default)]
pub struct TlsRender {
    /// The CA, each host's certificate and key, and the password file (under `tls/`); with
    /// `[gateway]` rmqctl's client certificate, key and key password for the gateways.
    pub files: Vec<RenderedFile>,
    pub findings: Vec<Finding>,
    /// What deployed gateways do with `[tls]`; `None` with mode disabled.
    pub gateway: Option<GatewayTls>,
}

/// The TLS settings of every gateway.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayTls {
    /// `[cluster_tls]`: how the gateway connects to the cluster.
    pub cluster: GatewayClientTls,
    /// `[tls]`: the listener's certificate, with `[gateway] https = true`.
    pub listener: Option<GatewayListenerTls>,
}

/// gateway.toml's `[tls]` with `[gateway] https = true`: the remote paths of the host's own
/// certificate and key (the files its name server and brokers serve, or a gateway-only host's
/// own) and, with a key password, of the password file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayListenerTls {
    pub cert: String,
    pub key: String,
    pub key_password_file: Option<String>,
}

impl GatewayListenerTls {
    fn of(tls: &ResolvedTls, conf_dir: &str) -> Self {
        GatewayListenerTls {
            cert: remote_path(conf_dir, CERT_FILE),
            key: remote_path(conf_dir, KEY_FILE),
            key_password_file: tls
                .key_password
                .as_ref()
                .map(|_| remote_path(conf_dir, GATEWAY_PASSWORD_FILE)),
        }
    }
}

/// gateway.toml's `[cluster_tls]` on every gateway host: the remote paths of the CA and, when
/// rmqctl presents a client certificate, of that certificate, its key and the key password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayClientTls {
    pub ca: String,
    pub cert: Option<String>,
    pub key: Option<String>,
    pub key_password_file: Option<String>,
}

impl GatewayClientTls {
    fn of(tls: &ResolvedTls, conf_dir: &str) -> Self {
        let client = tls.client.is_some();
        let path = |leaf: &str| client.then(|| remote_path(conf_dir, leaf));
        GatewayClientTls {
            ca: remote_path(conf_dir, CA_FILE),
            cert: path(CLIENT_CERT_FILE),
            key: path(CLIENT_KEY_FILE),
            key_password_file: path(GATEWAY_PASSWORD_FILE).filter(|_| tls.key_password.is_some()),
        }
    }
}

/// Which processes of a host read a rendered TLS file at start (and restart when it changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsFileReaders {
    /// Name servers and brokers: `tls.properties`.
    Servers,
    /// The host's certificate and key: its name servers and brokers, and its gateway when it
    /// serves https.
    HostCertificate,
    /// The gateway: rmqctl's client certificate, its key and the keys' password file.
    Gateway,
    /// Every one: the CA.
    All,
}

/// A process that may read rendered TLS files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsReader {
    /// A name server or a broker.
    Server,
    /// A gateway; `https`: its listener serves the host's certificate (`[gateway] https`).
    Gateway { https: bool },
}

impl TlsFileReaders {
    /// Of a rendered path under `tls/`.
    pub fn of(path: &Path) -> Self {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        match name {
            CA_FILE => TlsFileReaders::All,
            CERT_FILE | KEY_FILE => TlsFileReaders::HostCertificate,
            CLIENT_CERT_FILE | CLIENT_KEY_FILE | GATEWAY_PASSWORD_FILE => TlsFileReaders::Gateway,
            _ => TlsFileReaders::Servers,
        }
    }

    /// Whether `reader` reads the file.
    pub fn include(self, reader: TlsReader) -> bool {
        match self {
            TlsFileReaders::Servers => reader == TlsReader::Server,
            TlsFileReaders::HostCertificate => {
                matches!(
                    reader,
                    TlsReader::Server | TlsReader::Gateway { https: true }
                )
            }
            TlsFileReaders::Gateway => matches!(reader, TlsReader::Gateway { .. }),
            TlsFileReaders::All => true,
        }
    }
}

/// Collects findings at places of the inventory.
pub(super) struct Findings<'a> {
    loaded: &'a LoadedInventory,
    list: Vec<Finding>,
}

impl Findings<'_> {
    pub(super) fn push(
        &mut self,
        span: Range<usize>,
        severity: Severity,
        message: String,
        hint: &str,
    ) {
        let pos = self.loaded.pos(span.start);
        self.list.push(Finding {
            path: self.loaded.path.display().to_string(),
            line: pos.line,
            col: pos.col,
            rule: RULE,
            severity,
            message,
            hint: hint.to_string(),
        });
    }

    pub(super) fn error(&mut self, span: Range<usize>, message: String, hint: &str) {
        self.push(span, Severity::Error, message, hint);
    }
}

/// Turns TLS on in the plan (the `tls.*` keys of every server, rmqctl's connector) and returns
/// the files to upload with every problem found in them.
pub fn apply(loaded: &LoadedInventory, spec: &TlsSpec, plan: &mut ClusterPlan) -> TlsRender {
    let mut findings = Findings {
        loaded,
        list: Vec::new(),
    };
    let serving = serving_hosts(loaded, plan);
    let resolved = resolve(loaded, spec, &serving, &mut findings);
    add_keys(plan, &resolved, spec);
    let mut render = TlsRender::default();
    if resolved.mode != TlsMode::Disabled {
        let gateways = GatewayNeeds::of(loaded);
        render.files = tls_files(&resolved, gateways, &mut findings);
        if gateways.any {
            let conf_dir = super::derive::conf_dir(loaded);
            render.gateway = Some(GatewayTls {
                cluster: GatewayClientTls::of(&resolved, &conf_dir),
                listener: gateways
                    .https
                    .then(|| GatewayListenerTls::of(&resolved, &conf_dir)),
            });
        }
        if !render.files.is_empty() {
            super::tls_check::check(&resolved, &serving, &mut findings);
            plan.client_tls = super::tls_check::connector(&resolved, &mut findings);
        }
    }
    render.findings = findings.list;
    render
}

/// rmqctl's TLS for an inventory (admin commands given `-i`): `Ok(None)` without `[tls]` or
/// with mode disabled; `Err` with what is wrong.
pub fn client_options_of(loaded: &LoadedInventory) -> Result<Option<TlsClientOptions>, String> {
    let Some(spec) = &loaded.inventory.tls else {
        return Ok(None);
    };
    let plan = super::derive::derive(loaded).map_err(|e| e.to_string())?;
    let mut findings = Findings {
        loaded,
        list: Vec::new(),
    };
    let resolved = resolve(loaded, spec, &serving_hosts(loaded, &plan), &mut findings);
    match findings.list.first() {
        Some(f) => Err(f.to_string()),
        None => Ok(resolved.client_options()),
    }
}

/// What the gateways of the inventory take from `[tls]`.
#[derive(Debug, Clone, Copy)]
struct GatewayNeeds {
    /// `[gateway]` is there: rmqctl's client files and the password file.
    any: bool,
    /// `[gateway] https = true`: the host certificates (of the serving hosts) and the password
    /// file.
    https: bool,
}

impl GatewayNeeds {
    fn of(loaded: &LoadedInventory) -> Self {
        let spec = loaded.inventory.gateway.as_ref();
        GatewayNeeds {
            any: spec.is_some(),
            https: spec.is_some_and(super::gateway::GatewaySpec::https),
        }
    }
}

/// The hosts that serve TLS: every host of the plan (name servers and brokers, in plan order),
/// then, with `[gateway] https = true`, the gateway hosts that run nothing else (hosts the
/// inventory does not define or gives no address are left to the other checks).
pub fn serving_hosts(loaded: &LoadedInventory, plan: &ClusterPlan) -> Vec<ServingHost> {
    let mut hosts: Vec<ServingHost> = plan
        .hosts
        .iter()
        .map(|h| ServingHost {
            name: h.name.clone(),
            address: h.address.clone(),
        })
        .collect();
    let https_gateways = loaded
        .inventory
        .gateway
        .as_ref()
        .filter(|g| g.https())
        .map(|g| g.hosts.get_ref().as_slice())
        .unwrap_or_default();
    for name in https_gateways {
        if hosts.iter().any(|h| h.name == *name.get_ref()) {
            continue;
        }
        if let Some(host) = super::derive::bare_host_plan(loaded, name.get_ref()) {
            hosts.push(ServingHost {
                name: host.name,
                address: host.address,
            });
        }
    }
    hosts
}

fn resolve(
    loaded: &LoadedInventory,
    spec: &TlsSpec,
    serving: &[ServingHost],
    findings: &mut Findings<'_>,
) -> ResolvedTls {
    let local = |p: &str| local_path(loaded, p);
    // Files implied by the default dir are reported at `mode`, the table's first key.
    let dir_span = spec.dir.as_ref().map_or(spec.mode.span(), |d| d.span());
    let dir = local(spec.dir.as_ref().map_or(DEFAULT_DIR, |d| d.get_ref()));
    let in_dir = |leaf: &str| SourceFile {
        path: dir.join(leaf),
        key: "[tls] dir".into(),
        span: dir_span.clone(),
    };
    let named = |key: &str, value: &Spanned<String>| SourceFile {
        path: local(value.get_ref()),
        key: key.into(),
        span: value.span(),
    };
    let ca = spec
        .ca
        .as_ref()
        .map_or_else(|| in_dir("ca.pem"), |c| named("[tls] ca", c));
    let shared = match (&spec.cert, &spec.key) {
        (Some(c), Some(k)) => Some((named("[tls] cert", c), named("[tls] key", k))),
        (Some(one), None) | (None, Some(one)) => {
            findings.error(
                one.span(),
                "[tls] has only one of cert and key".into(),
                "set both (the certificate every host serves and its key), or neither",
            );
            None
        }
        (None, None) => None,
    };
    let mut hosts = BTreeMap::new();
    for host in serving {
        let own = spec.hosts.iter().find(|(k, _)| k.get_ref() == &host.name);
        let pair = match (own, &shared) {
            (Some((_, h)), _) => {
                let key = format!("[tls.hosts.{}]", host.name);
                (
                    named(&format!("{key} cert"), &h.cert),
                    named(&format!("{key} key"), &h.key),
                )
            }
            (None, Some(pair)) => pair.clone(),
            (None, None) => (
                in_dir(&format!("{}.pem", host.name)),
                in_dir(&format!("{}-key.pem", host.name)),
            ),
        };
        hosts.insert(host.name.clone(), pair);
    }
    for name in spec.hosts.keys() {
        if !serving.iter().any(|h| h.name == *name.get_ref()) {
            let known: Vec<&str> = serving.iter().map(|h| h.name.as_str()).collect();
            findings.error(
                name.span(),
                format!(
                    "[tls.hosts.{}] names no host that runs a name server, a broker or a gateway with [gateway] https = true",
                    name.get_ref()
                ),
                &format!("hosts are: {}", known.join(", ")),
            );
        }
    }
    let client_auth = spec.client_auth;
    let client = match (&spec.client_cert, &spec.client_key) {
        (Some(c), Some(k)) => Some((named("[tls] client_cert", c), named("[tls] client_key", k))),
        (Some(one), None) | (None, Some(one)) => {
            findings.error(
                one.span(),
                "[tls] has only one of client_cert and client_key".into(),
                "set both, or neither",
            );
            None
        }
        (None, None) if client_auth == ClientAuthSpec::Require => {
            Some((in_dir("client.pem"), in_dir("client-key.pem")))
        }
        (None, None) => None,
    };
    let key_password = key_password(loaded, spec, findings);
    let mode = spec.mode.get_ref().mode();
    if mode == TlsMode::Enforcing && !spec.outbound() {
        findings.error(
            spec.outbound.as_ref().map_or(0..0, |o| o.span()),
            "[tls] mode = \"enforcing\" with outbound = false: brokers could not register with the name servers nor slaves reach their masters".into(),
            "drop outbound = false (brokers then connect out with TLS), or use mode = \"permissive\"",
        );
    }
    ResolvedTls {
        mode,
        client_auth,
        outbound: spec.outbound(),
        ca,
        hosts,
        client,
        key_password,
    }
}

/// Paths of the operator's machine: relative to the inventory's directory, `~` expanded.
fn local_path(loaded: &LoadedInventory, path: &str) -> PathBuf {
    if path.starts_with('~') {
        return crate::apache_config::values::expand_tilde(path);
    }
    PathBuf::from(super::derive::resolve_path(loaded, path))
}

/// The password from `key_password_env` or `key_password_file` (never from the inventory).
fn key_password(
    loaded: &LoadedInventory,
    spec: &TlsSpec,
    findings: &mut Findings<'_>,
) -> Option<Secret> {
    match (&spec.key_password_env, &spec.key_password_file) {
        (Some(_), Some(file)) => {
            findings.error(
                file.span(),
                "[tls] sets both key_password_env and key_password_file".into(),
                "keep one",
            );
            None
        }
        (Some(env), None) => match std::env::var(env.get_ref()) {
            Ok(p) if !p.is_empty() => Some(Secret::new(p)),
            _ => {
                findings.error(
                    env.span(),
                    format!(
                        "[tls] key_password_env: ${} is not set or empty",
                        env.get_ref()
                    ),
                    &format!(
                        "export {} with the keys' password before render, check or deploy (it reaches the hosts only in the 0600 {PASSWORD_FILE} and, for gateways, {GATEWAY_PASSWORD_FILE})",
                        env.get_ref()
                    ),
                );
                None
            }
        },
        (None, Some(file)) => {
            let path = local_path(loaded, file.get_ref());
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let first = text.lines().next().unwrap_or("").to_string();
                    if first.is_empty() {
                        findings.error(
                            file.span(),
                            format!("[tls] key_password_file: {} is empty", path.display()),
                            "write the keys' password on its first line",
                        );
                        return None;
                    }
                    Some(Secret::new(first))
                }
                Err(e) => {
                    findings.error(
                        file.span(),
                        format!("[tls] key_password_file: {}: {e}", path.display()),
                        "name a readable file holding the keys' password on its first line",
                    );
                    None
                }
            }
        }
        (None, None) => None,
    }
}

/// Remote paths of the TLS files on a host whose configs live in `conf_dir`.
pub fn remote_path(conf_dir: &str, leaf: &str) -> String {
    format!("{}/{DIR}/{leaf}", conf_dir.trim_end_matches('/'))
}

/// The `tls.*` keys of every name server and broker (keys the inventory sets itself win).
fn add_keys(plan: &mut ClusterPlan, tls: &ResolvedTls, spec: &TlsSpec) {
    let confs: BTreeMap<String, String> = plan
        .hosts
        .iter()
        .map(|h| (h.name.clone(), h.conf_dir.clone()))
        .collect();
    let conf_of = |host: &str| confs.get(host).cloned().unwrap_or_default();
    let server = |conf: &str| {
        let mut keys = vec![("tls.server.mode", tls.mode.as_str().to_string())];
        if tls.mode == TlsMode::Disabled {
            return keys;
        }
        keys.extend([
            ("tls.server.certPath", remote_path(conf, CERT_FILE)),
            ("tls.server.keyPath", remote_path(conf, KEY_FILE)),
            ("tls.server.trustCertPath", remote_path(conf, CA_FILE)),
            (
                "tls.server.need.client.auth",
                tls.client_auth.as_str().to_string(),
            ),
        ]);
        if tls.key_password.is_some() {
            keys.push(("tls.config.file", remote_path(conf, PASSWORD_FILE)));
        }
        keys
    };
    let namesrv_confs: Vec<String> = plan.namesrvs.iter().map(|n| conf_of(&n.host)).collect();
    for (namesrv, conf) in plan.namesrvs.iter_mut().zip(namesrv_confs) {
        set_absent(&mut namesrv.properties, server(&conf));
    }
    let broker_confs: Vec<String> = plan.brokers.iter().map(|b| conf_of(&b.host)).collect();
    for (broker, conf) in plan.brokers.iter_mut().zip(broker_confs) {
        let mut keys = server(&conf);
        if tls.mode != TlsMode::Disabled && spec.outbound() {
            keys.extend([
                ("tls.enable", "true".to_string()),
                ("tls.client.authServer", "true".to_string()),
                ("tls.client.trustCertPath", remote_path(&conf, CA_FILE)),
            ]);
            if tls.client_auth != ClientAuthSpec::None {
                keys.extend([
                    ("tls.client.certPath", remote_path(&conf, CERT_FILE)),
                    ("tls.client.keyPath", remote_path(&conf, KEY_FILE)),
                ]);
            }
        }
        set_absent(&mut broker.properties, keys);
    }
}

fn set_absent(properties: &mut Vec<(String, String)>, keys: Vec<(&str, String)>) {
    for (key, value) in keys {
        if !properties.iter().any(|(k, _)| k == key) {
            properties.push((key.to_string(), value));
        }
    }
}

/// Whether a rendered file holds secrets (a key or a password file: mode 0600).
pub fn is_secret_file(path: &Path) -> bool {
    path.starts_with(DIR)
        && path.file_name().is_some_and(|n| {
            [
                KEY_FILE,
                PASSWORD_FILE,
                CLIENT_KEY_FILE,
                GATEWAY_PASSWORD_FILE,
            ]
            .contains(&&*n.to_string_lossy())
        })
}

/// The files to upload: `tls/ca.pem` and `tls/tls.properties` for every host,
/// `tls/<host>/cert.pem` and `tls/<host>/key.pem` for each serving host; with `[gateway]`,
/// rmqctl's client certificate and key (`tls/client.pem`, `tls/client-key.pem`) and, when a
/// gateway opens a key (that one, or the host's with `https`), the password
/// (`tls/gateway-key-password`) for the gateway hosts. A file that cannot be read is a finding
/// (and nothing is returned, so nothing half-made is deployed).
fn tls_files(
    tls: &ResolvedTls,
    gateways: GatewayNeeds,
    findings: &mut Findings<'_>,
) -> Vec<RenderedFile> {
    let before = findings.list.len();
    let mut files = Vec::new();
    let mut read = |file: &SourceFile, what: &str, path: PathBuf, host: Option<&str>, hint| {
        match std::fs::read_to_string(&file.path) {
            Ok(contents) => files.push(RenderedFile {
                path,
                host: host.map(str::to_string),
                contents,
            }),
            Err(e) => findings.error(
                file.span.clone(),
                format!("{}: {} ({what}): {e}", file.key, file.path.display()),
                hint,
            ),
        }
    };
    read(
        &tls.ca,
        "the CA certificate",
        PathBuf::from(DIR).join(CA_FILE),
        None,
        MISSING_HINT,
    );
    for (host, (cert, key)) in &tls.hosts {
        let dir = PathBuf::from(DIR).join(host);
        read(
            cert,
            &format!("certificate of host {host}"),
            dir.join(CERT_FILE),
            Some(host),
            MISSING_HINT,
        );
        read(
            key,
            &format!("key of host {host}"),
            dir.join(KEY_FILE),
            Some(host),
            MISSING_HINT,
        );
    }
    // The gateways connect as rmqctl's own checks do: with its client certificate.
    let gateway_client = tls.client.as_ref().filter(|_| gateways.any);
    if let Some((cert, key)) = gateway_client {
        read(
            cert,
            "rmqctl's client certificate, which the gateways present too",
            PathBuf::from(DIR).join(CLIENT_CERT_FILE),
            None,
            CLIENT_MISSING_HINT,
        );
        read(
            key,
            "rmqctl's client key, which the gateways use too",
            PathBuf::from(DIR).join(CLIENT_KEY_FILE),
            None,
            CLIENT_MISSING_HINT,
        );
    }
    if let Some(password) = &tls.key_password {
        let value = escape_value(password.expose());
        files.push(RenderedFile {
            path: PathBuf::from(DIR).join(PASSWORD_FILE),
            host: None,
            contents: format!(
                "# Written by rmqctl from [tls] key_password_env / key_password_file: the password of this host's key.\ntls.server.keyPassword={value}\ntls.client.keyPassword={value}\n"
            ),
        });
        if gateway_client.is_some() || gateways.https {
            files.push(RenderedFile {
                path: PathBuf::from(DIR).join(GATEWAY_PASSWORD_FILE),
                host: None,
                contents: format!("{}\n", password.expose()),
            });
        }
    }
    if findings.list.len() > before {
        return Vec::new();
    }
    files
}

const CLIENT_MISSING_HINT: &str = "`rmqctl tls init DIR --hosts INVENTORY --client` writes client.pem and client-key.pem into DIR; or name rmqctl's certificate with [tls] client_cert and client_key";

const MISSING_HINT: &str = "write the CA and one certificate per host with `rmqctl tls init DIR --hosts INVENTORY` and set [tls] dir = \"DIR\" (default `tls` beside the inventory), or name the files with [tls] ca, cert/key or [tls.hosts.<host>] cert/key";

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::remoting::tls::issue::{CertificateAuthority, Usage, Validity};
    use crate::render::pipeline::{render_inventory, RenderOutput};
    use crate::render::templates::Templates;

    const INVENTORY: &str = r#"
cluster = "TlsCluster"
replication = "sync"
install_root = "/opt/rmq"
[namesrv]
hosts = ["master-a"]
[hosts.master-a]
address = "10.0.0.1"
[hosts.slave-a]
address = "10.0.0.2"
[groups.broker-a]
master = "master-a"
slaves = ["slave-a"]
"#;

    /// A directory in `rmqctl tls init DIR --hosts INVENTORY` layout, for hosts with addresses.
    pub(crate) fn tls_init(
        dir: &Path,
        hosts: &[(&str, &str)],
        client: bool,
    ) -> CertificateAuthority {
        std::fs::create_dir_all(dir).unwrap();
        let ca = CertificateAuthority::generate("test CA", Validity::days(100)).unwrap();
        std::fs::write(dir.join("ca.pem"), ca.cert_pem()).unwrap();
        for (host, address) in hosts {
            let names = [host.to_string(), address.to_string()];
            let issued = ca.issue(&names, Usage::Peer, Validity::days(50)).unwrap();
            std::fs::write(dir.join(format!("{host}.pem")), issued.cert_pem).unwrap();
            std::fs::write(dir.join(format!("{host}-key.pem")), issued.key_pem).unwrap();
        }
        if client {
            let issued = ca
                .issue(&["admin".into()], Usage::Client, Validity::days(50))
                .unwrap();
            std::fs::write(dir.join("client.pem"), issued.cert_pem).unwrap();
            std::fs::write(dir.join("client-key.pem"), issued.key_pem).unwrap();
        }
        ca
    }

    fn render(dir: &Path, tls_table: &str) -> RenderOutput {
        let path = dir.join("inventory.toml");
        std::fs::write(&path, format!("{INVENTORY}\n{tls_table}")).unwrap();
        render_inventory(&path, &Templates::embedded()).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn errors(out: &RenderOutput) -> Vec<String> {
        out.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(ToString::to_string)
            .collect()
    }

    fn keys(props: &[(String, String)]) -> BTreeMap<&str, &str> {
        props
            .iter()
            .filter(|(k, _)| k.starts_with("tls."))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    #[test]
    fn tls_init_layout_renders_remote_paths_and_files_per_host() {
        let dir = tempfile::tempdir().unwrap();
        tls_init(
            &dir.path().join("tls"),
            &[("master-a", "10.0.0.1"), ("slave-a", "10.0.0.2")],
            false,
        );
        let out = render(dir.path(), "[tls]\nmode = \"enforcing\"\n");
        assert!(errors(&out).is_empty(), "{:#?}", errors(&out));
        let namesrv = keys(&out.plan.namesrvs[0].properties);
        assert_eq!(namesrv["tls.server.mode"], "enforcing");
        assert_eq!(namesrv["tls.server.certPath"], "/opt/rmq/conf/tls/cert.pem");
        assert_eq!(namesrv["tls.server.keyPath"], "/opt/rmq/conf/tls/key.pem");
        assert_eq!(namesrv["tls.server.need.client.auth"], "none");
        assert!(!namesrv.contains_key("tls.enable"));
        let broker = keys(&out.plan.brokers[0].properties);
        assert_eq!(broker["tls.enable"], "true");
        assert_eq!(broker["tls.client.authServer"], "true");
        assert_eq!(
            broker["tls.client.trustCertPath"],
            "/opt/rmq/conf/tls/ca.pem"
        );
        assert!(!broker.contains_key("tls.client.certPath"), "{broker:?}");
        assert!(!broker.contains_key("tls.config.file"));
        let paths: Vec<(String, Option<&str>)> = out
            .files
            .iter()
            .filter(|f| f.path.starts_with(DIR))
            .map(|f| (f.path.display().to_string(), f.host.as_deref()))
            .collect();
        assert_eq!(
            paths,
            [
                ("tls/ca.pem".to_string(), None),
                ("tls/master-a/cert.pem".to_string(), Some("master-a")),
                ("tls/master-a/key.pem".to_string(), Some("master-a")),
                ("tls/slave-a/cert.pem".to_string(), Some("slave-a")),
                ("tls/slave-a/key.pem".to_string(), Some("slave-a")),
            ]
        );
        assert!(is_secret_file(Path::new("tls/slave-a/key.pem")));
        assert!(!is_secret_file(Path::new("tls/slave-a/cert.pem")));
        assert!(out.plan.client_tls.is_some());
    }

    #[test]
    fn client_auth_require_presents_host_and_client_certificates() {
        let dir = tempfile::tempdir().unwrap();
        tls_init(
            &dir.path().join("certs"),
            &[("master-a", "10.0.0.1"), ("slave-a", "10.0.0.2")],
            true,
        );
        std::fs::write(dir.path().join("pw"), "not-used-by-plain-keys\n").unwrap();
        let out = render(
            dir.path(),
            "[tls]\nmode = \"permissive\"\ndir = \"certs\"\nclient_auth = \"require\"\nkey_password_file = \"pw\"\n",
        );
        assert!(errors(&out).is_empty(), "{:#?}", errors(&out));
        let broker = keys(&out.plan.brokers[1].properties);
        assert_eq!(broker["tls.server.need.client.auth"], "require");
        assert_eq!(broker["tls.client.certPath"], "/opt/rmq/conf/tls/cert.pem");
        assert_eq!(
            broker["tls.config.file"],
            "/opt/rmq/conf/tls/tls.properties"
        );
        let password = out
            .files
            .iter()
            .find(|f| f.path == Path::new("tls/tls.properties"))
            .expect("password file");
        assert!(password
            .contents
            .contains("tls.server.keyPassword=not-used-by-plain-keys\n"));
        assert!(is_secret_file(&password.path));
        // The password reaches no properties file and no debug output of the plan.
        assert!(!format!("{:?}", out.plan).contains("not-used-by-plain-keys"));
        for file in out.files.iter().filter(|f| !f.path.starts_with(DIR)) {
            assert!(
                !file.contents.contains("not-used-by-plain-keys"),
                "{file:?}"
            );
        }
    }

    #[test]
    fn missing_files_name_the_inventory_key_and_tls_init() {
        let dir = tempfile::tempdir().unwrap();
        let out = render(dir.path(), "[tls]\nmode = \"enforcing\"\n");
        let errors = errors(&out);
        assert!(!errors.is_empty());
        assert!(
            errors
                .iter()
                .all(|e| e.contains("[tls] dir")
                    && e.contains("rmqctl tls init DIR --hosts INVENTORY")),
            "{errors:#?}"
        );
        assert!(
            errors.iter().any(|e| e.contains("master-a.pem")),
            "{errors:#?}"
        );
        assert!(out.files.iter().all(|f| !f.path.starts_with(DIR)));
    }

    #[test]
    fn wrong_address_foreign_ca_and_bad_settings_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        // slave-a's certificate names another address; master-a's is signed by another CA.
        tls_init(
            &dir.path().join("tls"),
            &[("master-a", "10.0.0.1"), ("slave-a", "10.9.9.9")],
            false,
        );
        tls_init(
            &dir.path().join("other"),
            &[("master-a", "10.0.0.1")],
            false,
        );
        let table = "[tls]\nmode = \"enforcing\"\noutbound = false\nkey_password_env = \"RMQCTL_TEST_UNSET_PASSWORD_VAR\"\n[tls.hosts.master-a]\ncert = \"other/master-a.pem\"\nkey = \"other/master-a-key.pem\"\n[tls.hosts.nowhere]\ncert = \"x\"\nkey = \"y\"\n";
        let out = render(dir.path(), table);
        let errors = errors(&out);
        let has = |needle: &str| errors.iter().any(|e| e.contains(needle));
        assert!(
            has("does not name the host's address 10.0.0.2"),
            "{errors:#?}"
        );
        assert!(
            has("[tls.hosts.master-a] cert (host master-a)"),
            "{errors:#?}"
        );
        assert!(has("not signed by the CA of [tls] ca"), "{errors:#?}");
        assert!(has("outbound = false"), "{errors:#?}");
        assert!(
            has("$RMQCTL_TEST_UNSET_PASSWORD_VAR is not set"),
            "{errors:#?}"
        );
        assert!(has("[tls.hosts.nowhere] names no host"), "{errors:#?}");
    }

    #[test]
    fn mode_disabled_writes_the_mode_only() {
        let dir = tempfile::tempdir().unwrap();
        let out = render(dir.path(), "[tls]\nmode = \"disabled\"\n");
        assert!(errors(&out).is_empty(), "{:#?}", errors(&out));
        let broker = keys(&out.plan.brokers[0].properties);
        assert_eq!(
            broker.into_iter().collect::<Vec<_>>(),
            [("tls.server.mode", "disabled")]
        );
        assert!(out.plan.client_tls.is_none());
        assert!(out.files.iter().all(|f| !f.path.starts_with(DIR)));
    }

    /// Replaces a PKCS#8 PEM key file by its encrypted form (`-----BEGIN ENCRYPTED PRIVATE KEY-----`).
    pub(crate) fn encrypt_key(path: &Path, password: &str) {
        use pkcs8::der::pem::LineEnding;
        use pkcs8::der::Decode;
        let text = std::fs::read_to_string(path).unwrap();
        let (_, doc) = pkcs8::SecretDocument::from_pem(&text).unwrap();
        let info = pkcs8::PrivateKeyInfo::from_der(doc.as_bytes()).unwrap();
        // PBKDF2 with few rounds: scrypt's default costs minutes in a debug build.
        let params =
            pkcs8::pkcs5::pbes2::Parameters::pbkdf2_sha256_aes256cbc(1000, b"saltsalt", &[7; 16])
                .unwrap();
        let encrypted = info.encrypt_with_params(params, password).unwrap();
        let pem = encrypted
            .to_pem("ENCRYPTED PRIVATE KEY", LineEnding::LF)
            .unwrap();
        std::fs::write(path, pem.as_str()).unwrap();
    }

    #[test]
    fn encrypted_keys_are_checked_with_the_password_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let tls = dir.path().join("tls");
        tls_init(
            &tls,
            &[("master-a", "10.0.0.1"), ("slave-a", "10.0.0.2")],
            false,
        );
        encrypt_key(&tls.join("master-a-key.pem"), "right-pw");
        encrypt_key(&tls.join("slave-a-key.pem"), "right-pw");
        let table = "[tls]\nmode = \"enforcing\"\nkey_password_file = \"pw\"\n";
        std::fs::write(dir.path().join("pw"), "right-pw\n").unwrap();
        let out = render(dir.path(), table);
        assert!(errors(&out).is_empty(), "{:#?}", errors(&out));
        assert!(out
            .files
            .iter()
            .any(|f| f.path == Path::new("tls/tls.properties")));
        std::fs::write(dir.path().join("pw"), "wrong-pw\n").unwrap();
        let out = render(dir.path(), table);
        let errors = errors(&out);
        assert!(
            errors
                .iter()
                .any(|e| e.contains("[tls] dir (host master-a)") && e.contains("wrong password")),
            "{errors:#?}"
        );
        assert!(
            !errors.iter().any(|e| e.contains("wrong-pw")),
            "{errors:#?}"
        );
    }

    /// With `[gateway]`, the gateways connect as rmqctl does: gateway.toml's `[cluster_tls]`
    /// names the uploaded CA and, when rmqctl presents a client certificate, rmqctl's client
    /// certificate, key and key password (written for the gateway hosts; key and password 0600).
    #[test]
    fn gateways_get_the_ca_and_rmqctls_client_certificate() {
        use crate::gateway::config::GatewayConfig;
        let dir = tempfile::tempdir().unwrap();
        tls_init(
            &dir.path().join("tls"),
            &[("master-a", "10.0.0.1"), ("slave-a", "10.0.0.2")],
            true,
        );
        std::fs::write(dir.path().join("pw"), "gateway-key-pw\n").unwrap();
        let gateway =
            "[gateway]\nhosts = [\"master-a\"]\nallow_callbacks = [\"https://a.example.com/\"]\n";
        let out = render(
            dir.path(),
            &format!("[tls]\nmode = \"enforcing\"\nclient_auth = \"require\"\nkey_password_file = \"pw\"\n{gateway}"),
        );
        assert!(errors(&out).is_empty(), "{:#?}", errors(&out));
        assert!(
            out.findings.iter().all(|f| f.rule != "gateway"),
            "no gateway warning about [tls]: {:#?}",
            out.findings
        );
        let toml_text = &out
            .files
            .iter()
            .find(|f| f.path == Path::new("gateway/master-a/gateway.toml"))
            .expect("gateway.toml")
            .contents;
        let config: GatewayConfig = toml::from_str(toml_text).unwrap();
        let tls = config.cluster_tls.expect("[cluster_tls]");
        assert_eq!(tls.ca, Path::new("/opt/rmq/conf/tls/ca.pem"));
        assert_eq!(
            tls.cert.as_deref(),
            Some(Path::new("/opt/rmq/conf/tls/client.pem"))
        );
        assert_eq!(
            tls.key.as_deref(),
            Some(Path::new("/opt/rmq/conf/tls/client-key.pem"))
        );
        assert_eq!(
            tls.key_password_file.as_deref(),
            Some(Path::new("/opt/rmq/conf/tls/gateway-key-password"))
        );
        assert!(!toml_text.contains("gateway-key-pw"), "{toml_text}");
        let file = |name: &str| {
            out.files
                .iter()
                .find(|f| f.path == Path::new(DIR).join(name))
                .unwrap_or_else(|| panic!("no tls/{name}"))
        };
        assert_eq!(
            file(CLIENT_CERT_FILE).contents,
            std::fs::read_to_string(dir.path().join("tls/client.pem")).unwrap()
        );
        assert_eq!(
            file(CLIENT_KEY_FILE).host,
            None,
            "one copy for every gateway host"
        );
        assert_eq!(file(GATEWAY_PASSWORD_FILE).contents, "gateway-key-pw\n");
        assert!(is_secret_file(&file(CLIENT_KEY_FILE).path));
        assert!(is_secret_file(&file(GATEWAY_PASSWORD_FILE).path));
        assert!(!is_secret_file(&file(CLIENT_CERT_FILE).path));
        assert_eq!(
            TlsFileReaders::of(&file(CLIENT_CERT_FILE).path),
            TlsFileReaders::Gateway
        );
        assert_eq!(TlsFileReaders::of(&file(CA_FILE).path), TlsFileReaders::All);
        assert_eq!(
            TlsFileReaders::of(&file(PASSWORD_FILE).path),
            TlsFileReaders::Servers
        );

        // Servers that want no client certificate: the CA alone, no client files.
        let out = render(
            dir.path(),
            &format!("[tls]\nmode = \"permissive\"\n{gateway}"),
        );
        assert!(errors(&out).is_empty(), "{:#?}", errors(&out));
        let config: GatewayConfig = toml::from_str(
            &out.files
                .iter()
                .find(|f| f.path == Path::new("gateway/master-a/gateway.toml"))
                .expect("gateway.toml")
                .contents,
        )
        .unwrap();
        let tls = config.cluster_tls.expect("[cluster_tls]");
        assert_eq!(tls.ca, Path::new("/opt/rmq/conf/tls/ca.pem"));
        assert!(tls.cert.is_none() && tls.key.is_none() && tls.key_password_file.is_none());
        assert!(out
            .files
            .iter()
            .all(|f| !f.path.to_string_lossy().contains("client")));

        // Mode disabled: plain TCP, no [cluster_tls].
        let out = render(
            dir.path(),
            &format!("[tls]\nmode = \"disabled\"\n{gateway}"),
        );
        let text = &out
            .files
            .iter()
            .find(|f| f.path == Path::new("gateway/master-a/gateway.toml"))
            .expect("gateway.toml")
            .contents;
        assert!(!text.contains("cluster_tls"), "{text}");
    }

    /// rmqctl's client certificate missing while gateways would present it: one finding that
    /// says how to write it.
    #[test]
    fn a_missing_client_certificate_for_the_gateways_says_tls_init_client() {
        let dir = tempfile::tempdir().unwrap();
        tls_init(
            &dir.path().join("tls"),
            &[("master-a", "10.0.0.1"), ("slave-a", "10.0.0.2")],
            false,
        );
        let out = render(
            dir.path(),
            "[tls]\nmode = \"enforcing\"\nclient_auth = \"require\"\n[gateway]\nhosts = [\"master-a\"]\nallow_callbacks = [\"https://a.example.com/\"]\n",
        );
        let found: Vec<&Finding> = out
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        assert!(
            found.iter().any(|f| f.message.contains("client.pem")
                && f.message.contains("gateways")
                && f.hint.contains("--client")),
            "{found:#?}"
        );
    }

    /// Who reads which rendered file: the host's certificate and key the servers and an https
    /// gateway, tls.properties the servers, rmqctl's client files and the gateway's key password
    /// every gateway, the CA everyone.
    #[test]
    fn readers_of_each_tls_file() {
        let server = TlsReader::Server;
        let plain = TlsReader::Gateway { https: false };
        let https = TlsReader::Gateway { https: true };
        let readers = |path: &str| {
            let of = TlsFileReaders::of(Path::new(path));
            [server, plain, https].map(|reader| of.include(reader))
        };
        assert_eq!(readers("tls/ca.pem"), [true, true, true]);
        assert_eq!(readers("tls/edge/cert.pem"), [true, false, true]);
        assert_eq!(readers("tls/edge/key.pem"), [true, false, true]);
        assert_eq!(readers("tls/tls.properties"), [true, false, false]);
        for gateway_file in [
            "tls/client.pem",
            "tls/client-key.pem",
            "tls/gateway-key-password",
        ] {
            assert_eq!(readers(gateway_file), [false, true, true], "{gateway_file}");
        }
    }
}
