//! The inventory's `[gateway]` table: which hosts run `rmqctl gateway` (the HTTP send service
//! with `backurl` callbacks), its port, topic, group, callback allow-list, bearer tokens (from an
//! environment variable or a file, never the inventory), limits, the private CA of https
//! callbacks, `https` (the listener serves the host's `[tls]` certificate) and
//! `[[gateway.subscription]]` pushes. `render` writes one `gateway.toml` per gateway host
//! (`gateway/<host>/gateway.toml`, uploaded to `<install_root>/conf/gateway.toml`, with
//! `[account]` from `[acl]`, `[cluster_tls]` from `[tls]` and, with `https`, the listener's
//! `[tls]`), the delivery CA and the units; the port joins the host's open ports; `check` lints
//! the table (rule `gateway`, and `port-clash` with the host's servers).

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::derive::{bare_host_plan, conf_dir, log_root, ClusterPlan};
use super::inventory::LoadedInventory;
use super::lint::{Finding, Severity};
use super::templates::RenderedFile;
use super::tls::GatewayTls;
use crate::acl::Secret;
use crate::gateway::allow_list::AllowList;
use crate::gateway::config::GatewayConfig;

/// The lint rule of every `[gateway]` problem (port clashes are `port-clash`).
pub const RULE: &str = "gateway";
/// Where the per-host files go in a render: `gateway/<host>/gateway.toml`.
pub const DIR: &str = "gateway";
/// The config's name, in a render and under `<install_root>/conf` on the host.
pub const FILE_NAME: &str = "gateway.toml";
/// The instance name of a host's gateway (one per host, like `namesrv`).
pub const INSTANCE: &str = "gateway";
/// Its systemd unit.
pub const UNIT_NAME: &str = "rmqctl-gateway.service";
/// `[gateway] port` when unset.
pub const DEFAULT_PORT: u16 = 8080;
/// `[gateway.delivery] ca` in a render (`gateway/gateway-delivery-ca.pem`) and under
/// `<install_root>/conf` on every gateway host.
pub const DELIVERY_CA_FILE: &str = "gateway-delivery-ca.pem";

/// `[gateway]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatewaySpec {
    /// Inventory hosts that run a gateway (one per host).
    pub hosts: Spanned<Vec<Spanned<String>>>,
    /// The HTTP port (default 8080).
    pub port: Option<Spanned<u16>>,
    /// The address it listens on (default: the host's address).
    pub bind_address: Option<Spanned<String>>,
    /// The listener serves HTTPS with the host's `[tls]` certificate and key (default false).
    pub https: Option<Spanned<bool>>,
    /// Topic of `/send` messages (default: the gateway's, `HTTP_GATEWAY`).
    pub topic: Option<Spanned<String>>,
    /// Consumer group that delivers to backurls (default: the gateway's).
    pub group: Option<Spanned<String>>,
    /// URL prefixes a backurl must start with; empty refuses every backurl.
    #[serde(default)]
    pub allow_callbacks: Vec<Spanned<String>>,
    /// Environment variable holding the bearer tokens of `/send` (comma or blank separated).
    pub tokens_env: Option<Spanned<String>>,
    /// File holding the bearer tokens, one per line (`#` comments and blank lines skipped).
    pub tokens_file: Option<Spanned<String>>,
    /// Largest request body, in bytes (default: the gateway's, 4 MiB).
    pub max_body_bytes: Option<Spanned<usize>>,
    /// Degraded send statuses answered as `success` (default: the gateway's, all three).
    pub accept_degraded: Option<Vec<String>>,
    /// Delivery limits (defaults: the gateway's).
    #[serde(default)]
    pub delivery: DeliverySpec,
    /// Fixed pushes of existing topics to fixed URLs.
    #[serde(default, rename = "subscription")]
    pub subscriptions: Vec<SubscriptionSpec>,
}

impl GatewaySpec {
    /// `https = true`: the listeners serve HTTPS.
    pub fn https(&self) -> bool {
        self.https.as_ref().is_some_and(|h| *h.get_ref())
    }
}

/// `[gateway.delivery]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliverySpec {
    pub timeout_ms: Option<Spanned<u64>>,
    pub per_host_concurrency: Option<Spanned<usize>>,
    pub max_reconsume_times: Option<Spanned<u32>>,
    /// CA certificate(s) (PEM) of a private PKI whose endpoints receive https callbacks
    /// (trusted besides Mozilla's roots); relative to the inventory's directory.
    pub ca: Option<Spanned<String>>,
}

/// `[[gateway.subscription]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionSpec {
    pub topic: Spanned<String>,
    pub tags: Option<String>,
    pub group: Spanned<String>,
    pub url: Spanned<String>,
}

/// One gateway process: where it runs and listens, its files.
#[derive(Debug, Clone, Serialize)]
pub struct GatewayInstance {
    pub host: String,
    /// The host's address (where peers and the operator reach it).
    pub address: String,
    pub port: u16,
    /// `--listen`: `bind_address:port`, the host's address by default.
    pub listen: String,
    /// `-n`: the cluster's name servers.
    pub namesrv_addr: String,
    /// `<install_root>/conf/gateway.toml` on the host.
    pub conf_file: String,
    pub log_dir: String,
    pub unit_name: String,
    /// Its gateway.toml carries secrets: bearer tokens or `[acl]`'s account (uploaded 0600).
    pub has_tokens: bool,
    /// The listener serves HTTPS with the host's `[tls]` certificate (`[gateway] https`).
    pub https: bool,
}

impl GatewayInstance {
    /// The arguments after the binary, in the unit and for the other supervisors. `--listen`
    /// and `-n` repeat what gateway.toml says, so either way of reading them gives the same.
    pub fn args(&self) -> Vec<String> {
        vec![
            "gateway".into(),
            "-c".into(),
            self.conf_file.clone(),
            "--listen".into(),
            self.listen.clone(),
            "-n".into(),
            self.namesrv_addr.clone(),
        ]
    }
}

/// What `[gateway]` adds to a render.
#[derive(Debug, Default)]
pub struct GatewayRender {
    /// One `gateway/<host>/gateway.toml` per gateway host.
    pub files: Vec<RenderedFile>,
    pub findings: Vec<Finding>,
}

/// gateway.toml as written: every field of [`GatewayConfig`] but the delivery's drain time,
/// spelled the same, with the gateway's own defaults filled in so the file shows what runs. A
/// test parses the rendered text as `GatewayConfig`.
#[derive(Serialize)]
struct GatewayFile<'a> {
    listen: &'a str,
    namesrv: &'a str,
    topic: String,
    group: String,
    allow_callbacks: Vec<String>,
    tokens: Vec<&'a str>,
    max_body_bytes: usize,
    accept_degraded: Vec<String>,
    delivery: DeliveryFile,
    /// The listener's certificate and key with `https`: the host's `[tls]` files, as uploaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    tls: Option<ListenerTlsFile>,
    /// `[acl]`'s admin account (the one deploy's own checks sign with).
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<AccountFile>,
    /// `[tls]`'s CA and rmqctl's client certificate, as uploaded to the host.
    #[serde(skip_serializing_if = "Option::is_none")]
    cluster_tls: Option<ClusterTlsFile>,
    #[serde(rename = "subscription")]
    subscriptions: Vec<SubscriptionFile>,
}

#[derive(Serialize)]
struct ListenerTlsFile {
    cert: String,
    key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    key_password_file: Option<String>,
}

#[derive(Serialize)]
struct ClusterTlsFile {
    ca: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    cert: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key_password_file: Option<String>,
}

#[derive(Serialize)]
struct AccountFile {
    access_key: String,
    secret_key: Secret,
}

#[derive(Serialize)]
struct DeliveryFile {
    timeout_ms: u64,
    per_host_concurrency: usize,
    max_reconsume_times: u32,
    /// The remote path of `[gateway.delivery] ca`.
    #[serde(skip_serializing_if = "Option::is_none")]
    ca: Option<String>,
}

#[derive(Serialize)]
struct SubscriptionFile {
    topic: String,
    tags: String,
    group: String,
    url: String,
}

/// Collects findings at places of the inventory.
struct Findings<'a> {
    loaded: &'a LoadedInventory,
    list: Vec<Finding>,
}

impl Findings<'_> {
    fn push(
        &mut self,
        span: Range<usize>,
        rule: &'static str,
        severity: Severity,
        message: String,
        hint: &str,
    ) {
        let pos = self.loaded.pos(span.start);
        self.list.push(Finding {
            path: self.loaded.path.display().to_string(),
            line: pos.line,
            col: pos.col,
            rule,
            severity,
            message,
            hint: hint.to_string(),
        });
    }

    fn error(&mut self, span: Range<usize>, message: String, hint: &str) {
        self.push(span, RULE, Severity::Error, message, hint);
    }

    fn warning(&mut self, span: Range<usize>, message: String, hint: &str) {
        self.push(span, RULE, Severity::Warning, message, hint);
    }
}

/// Places a gateway on every `[gateway]` host of the plan (its instance, port and unit; a host
/// that runs nothing else joins the plan) and returns the gateway.toml files (with `tls` as
/// their `[cluster_tls]` and, with `https`, their listener's `[tls]`) and the delivery CA, with
/// every problem found in the table.
pub fn apply(
    loaded: &LoadedInventory,
    spec: &GatewaySpec,
    plan: &mut ClusterPlan,
    tls: Option<&GatewayTls>,
) -> GatewayRender {
    let mut findings = Findings {
        loaded,
        list: Vec::new(),
    };
    let hosts = checked_hosts(loaded, spec, &mut findings);
    let tokens = tokens(loaded, spec, &mut findings);
    lint_settings(spec, &mut findings);
    lint_https(loaded, spec, &mut findings);
    let port = spec.port.as_ref().map_or(DEFAULT_PORT, |p| *p.get_ref());
    let port_span = spec.port.as_ref().map_or(spec.hosts.span(), |p| p.span());
    let conf = conf_dir(loaded);
    let conf_file = format!("{}/{FILE_NAME}", conf.trim_end_matches('/'));
    let log_dir = format!("{}/{INSTANCE}", log_root(loaded).trim_end_matches('/'));
    let mut files = Vec::new();
    let delivery_ca = delivery_ca(loaded, spec, &mut findings);
    let settings = SharedSettings {
        tokens: &tokens,
        tls,
        delivery_ca: delivery_ca
            .as_ref()
            .map(|_| format!("{}/{DELIVERY_CA_FILE}", conf.trim_end_matches('/'))),
    };
    for host in hosts {
        let address = host.address.clone();
        let bind = spec
            .bind_address
            .as_ref()
            .map_or(address.as_str(), |b| b.get_ref().as_str());
        let instance = GatewayInstance {
            host: host.name.clone(),
            address: address.clone(),
            port,
            listen: listen_addr(bind, port),
            namesrv_addr: plan.namesrv_addr.clone(),
            conf_file: conf_file.clone(),
            log_dir: log_dir.clone(),
            unit_name: UNIT_NAME.into(),
            has_tokens: !tokens.is_empty() || gateway_account(loaded).is_some(),
            https: spec.https(),
        };
        port_clashes(plan, &instance, port_span.clone(), &mut findings);
        files.push(RenderedFile {
            path: PathBuf::from(DIR).join(&host.name).join(FILE_NAME),
            host: Some(host.name.clone()),
            contents: gateway_toml(loaded, spec, &instance, &settings),
        });
        place(loaded, plan, host, &instance);
        plan.gateways.push(instance);
    }
    // One copy for every gateway host.
    files.extend(delivery_ca.map(|contents| RenderedFile {
        path: PathBuf::from(DIR).join(DELIVERY_CA_FILE),
        host: None,
        contents,
    }));
    GatewayRender {
        files,
        findings: findings.list,
    }
}

/// `host:port`, with brackets around an IPv6 address.
fn listen_addr(host: &str, port: u16) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// The `[gateway] hosts` that exist, have an address and are listed once, as host plans (the
/// plan's own entry when the host already runs something).
fn checked_hosts(
    loaded: &LoadedInventory,
    spec: &GatewaySpec,
    findings: &mut Findings<'_>,
) -> Vec<super::derive::HostPlan> {
    if spec.hosts.get_ref().is_empty() {
        findings.error(
            spec.hosts.span(),
            "[gateway] hosts is empty: no host would run the gateway".into(),
            "list the inventory hosts that run it, e.g. hosts = [\"master-a\"], or remove [gateway]",
        );
    }
    let known: Vec<&str> = loaded
        .inventory
        .hosts
        .keys()
        .map(|k| k.get_ref().as_str())
        .collect();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for host in spec.hosts.get_ref() {
        let name = host.get_ref();
        if !known.contains(&name.as_str()) {
            findings.error(
                host.span(),
                format!("[gateway] hosts: unknown host `{name}`"),
                &format!("define [hosts.{name}] or use one of: {}", known.join(", ")),
            );
            continue;
        }
        if !seen.insert(name.clone()) {
            findings.error(
                host.span(),
                format!("[gateway] hosts: `{name}` is listed twice"),
                "a host runs at most one gateway",
            );
            continue;
        }
        match bare_host_plan(loaded, name) {
            Some(plan) => out.push(plan),
            // derive() already reported the host without an address.
            None => continue,
        }
    }
    out
}

/// The bearer tokens from `tokens_env` or `tokens_file` (never from the inventory).
fn tokens(
    loaded: &LoadedInventory,
    spec: &GatewaySpec,
    findings: &mut Findings<'_>,
) -> Vec<Secret> {
    match (&spec.tokens_env, &spec.tokens_file) {
        (Some(_), Some(file)) => {
            findings.error(
                file.span(),
                "[gateway] sets both tokens_env and tokens_file".into(),
                "keep one",
            );
            Vec::new()
        }
        (Some(env), None) => {
            let found = std::env::var(env.get_ref())
                .map(|v| split_tokens(&v))
                .unwrap_or_default();
            if found.is_empty() {
                findings.error(
                    env.span(),
                    format!("[gateway] tokens_env: ${} is not set or holds no token", env.get_ref()),
                    &format!(
                        "export {} with the bearer tokens (comma or blank separated) before render, check or deploy; they reach the hosts only in the 0600 gateway.toml",
                        env.get_ref()
                    ),
                );
            }
            found
        }
        (None, Some(file)) => {
            let path = local_path(loaded, file.get_ref());
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let found: Vec<Secret> = text
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty() && !l.starts_with('#'))
                        .map(Secret::new)
                        .collect();
                    if found.is_empty() {
                        findings.error(
                            file.span(),
                            format!("[gateway] tokens_file: {} holds no token", path.display()),
                            "write one bearer token per line",
                        );
                    }
                    found
                }
                Err(e) => {
                    findings.error(
                        file.span(),
                        format!("[gateway] tokens_file: {}: {e}", path.display()),
                        "name a readable file holding one bearer token per line",
                    );
                    Vec::new()
                }
            }
        }
        (None, None) => Vec::new(),
    }
}

fn split_tokens(text: &str) -> Vec<Secret> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(Secret::new)
        .collect()
}

/// Paths of the operator's machine: relative to the inventory's directory, `~` expanded.
fn local_path(loaded: &LoadedInventory, path: &str) -> PathBuf {
    if path.starts_with('~') {
        return crate::apache_config::values::expand_tilde(path);
    }
    PathBuf::from(super::derive::resolve_path(loaded, path))
}

/// Whether `prefix` is an http(s) URL prefix with a host: `http://10.0.0.7:8080/`,
/// `https://*.example.com/hooks/`. The reason when it is not.
fn url_prefix_problem(prefix: &str) -> Option<&'static str> {
    let lower = prefix.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
    else {
        return Some("not an http:// or https:// URL prefix");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() {
        return Some("has no host after the scheme");
    }
    if authority.contains('@') {
        return Some(
            "holds a user part (`user@host`), which would let backurls pass that go elsewhere",
        );
    }
    if prefix.chars().any(char::is_whitespace) {
        return Some("contains a blank");
    }
    None
}

/// The allow-list, the subscriptions and the limits.
fn lint_settings(spec: &GatewaySpec, findings: &mut Findings<'_>) {
    if spec.allow_callbacks.is_empty() {
        findings.warning(
            spec.hosts.span(),
            "[gateway] allow_callbacks is empty: the gateway refuses every backurl".into(),
            "list the URL prefixes consumers' endpoints start with, e.g. allow_callbacks = [\"https://orders.example.com/hooks/\"]",
        );
    }
    let mut valid = Vec::new();
    for prefix in &spec.allow_callbacks {
        match url_prefix_problem(prefix.get_ref()) {
            Some(reason) => findings.error(
                prefix.span(),
                format!("[gateway] allow_callbacks entry {:?} {reason}", prefix.get_ref()),
                "write an http(s) URL prefix: \"https://orders.example.com/hooks/\", \"http://10.0.0.7:8080/\", \"https://*.example.com/\"",
            ),
            None => valid.push(prefix.get_ref().clone()),
        }
    }
    // The gateway's own parser has the last word on what it accepts.
    if let Err(e) = AllowList::parse(&valid) {
        let span = spec
            .allow_callbacks
            .iter()
            .find(|p| *p.get_ref() == e.entry)
            .map_or(spec.hosts.span(), |p| p.span());
        findings.error(span, format!("[gateway] {e}"), "fix or remove the entry");
    }
    const DEGRADED: [&str; 3] = [
        "FLUSH_DISK_TIMEOUT",
        "FLUSH_SLAVE_TIMEOUT",
        "SLAVE_NOT_AVAILABLE",
    ];
    for status in spec.accept_degraded.iter().flatten() {
        if !DEGRADED.contains(&status.as_str()) {
            findings.error(
                spec.hosts.span(),
                format!("[gateway] accept_degraded: `{status}` is not a degraded send status"),
                &format!("use any of {}, or [] for SEND_OK only", DEGRADED.join(", ")),
            );
        }
    }
    for sub in &spec.subscriptions {
        if url_prefix_problem(sub.url.get_ref()).is_some() {
            findings.error(
                sub.url.span(),
                format!(
                    "[[gateway.subscription]] url {:?} is not an http(s) URL",
                    sub.url.get_ref()
                ),
                "write the endpoint's full URL, e.g. \"https://audit.example.com/hook\"",
            );
        }
        for (what, value) in [("topic", &sub.topic), ("group", &sub.group)] {
            if value.get_ref().trim().is_empty() {
                findings.error(
                    value.span(),
                    format!("[[gateway.subscription]] {what} is empty"),
                    "name the topic and the consumer group of the push",
                );
            }
        }
    }
    for (what, value) in [("topic", &spec.topic), ("group", &spec.group)] {
        if let Some(v) = value.as_ref().filter(|v| v.get_ref().trim().is_empty()) {
            findings.error(
                v.span(),
                format!("[gateway] {what} is empty"),
                "remove it to use the gateway's default, or name one",
            );
        }
    }
    let zeros = [
        (
            "max_body_bytes",
            spec.max_body_bytes
                .as_ref()
                .map(|v| (*v.get_ref() as u64, v.span())),
        ),
        (
            "delivery.timeout_ms",
            spec.delivery
                .timeout_ms
                .as_ref()
                .map(|v| (*v.get_ref(), v.span())),
        ),
        (
            "delivery.per_host_concurrency",
            spec.delivery
                .per_host_concurrency
                .as_ref()
                .map(|v| (*v.get_ref() as u64, v.span())),
        ),
    ];
    for (what, value) in zeros {
        if let Some((0, span)) = value {
            findings.error(
                span,
                format!("[gateway] {what} is 0"),
                "use a positive value, or remove it for the gateway's default",
            );
        }
    }
}

/// `https = true` needs `[tls]` with a mode that uploads its files: the listener serves the
/// host's `[tls]` certificate.
fn lint_https(loaded: &LoadedInventory, spec: &GatewaySpec, findings: &mut Findings<'_>) {
    let Some(https) = spec.https.as_ref().filter(|h| *h.get_ref()) else {
        return;
    };
    match &loaded.inventory.tls {
        None => findings.error(
            https.span(),
            "[gateway] https = true needs [tls]: each gateway serves its host's [tls] certificate and key, and the inventory has no [tls] table".into(),
            "add [tls] with mode = \"permissive\" or \"enforcing\" and write the CA and a certificate for every host, gateway hosts included, with `rmqctl tls init DIR --hosts INVENTORY`; or remove https",
        ),
        Some(tls) if *tls.mode.get_ref() == super::tls::ModeSpec::Disabled => findings.error(
            https.span(),
            "[gateway] https = true with [tls] mode = \"disabled\": nothing of [tls] is uploaded, so the gateways would have no certificate".into(),
            "set [tls] mode = \"permissive\" (the servers accept TLS and plain TCP) or \"enforcing\"; or remove https",
        ),
        Some(_) => {}
    }
}

/// `[gateway.delivery] ca`: the file's text when the gateway can use it (loaded as a root
/// store, as the gateway's callback client loads it at start); a finding naming the file and
/// what is wrong otherwise.
fn delivery_ca(
    loaded: &LoadedInventory,
    spec: &GatewaySpec,
    findings: &mut Findings<'_>,
) -> Option<String> {
    let ca = spec.delivery.ca.as_ref()?;
    let path = local_path(loaded, ca.get_ref());
    let hint = "name the PEM file (`-----BEGIN CERTIFICATE-----` blocks) of the CA that signed the callback endpoints' certificates, relative to the inventory's directory; the gateway trusts it besides Mozilla's roots";
    let usable = crate::remoting::tls::server_config::root_store("[gateway.delivery] ca", &path)
        .map_err(|e| e.to_string())
        .and_then(|_| {
            std::fs::read_to_string(&path)
                .map_err(|e| format!("[gateway.delivery] ca {}: cannot read: {e}", path.display()))
        });
    match usable {
        Ok(text) => Some(text),
        Err(message) => {
            findings.error(ca.span(), message, hint);
            None
        }
    }
}

/// A gateway port that another server of its address already uses.
fn port_clashes(
    plan: &ClusterPlan,
    gateway: &GatewayInstance,
    span: Range<usize>,
    findings: &mut Findings<'_>,
) {
    let port = gateway.port;
    let mut users: Vec<String> = plan
        .namesrvs
        .iter()
        .filter(|n| n.address == gateway.address && n.port == port)
        .map(|n| format!("the name server of {}", n.host))
        .collect();
    users.extend(
        plan.brokers
            .iter()
            .filter(|b| {
                b.address == gateway.address
                    && [b.fast_port, b.listen_port, b.ha_port].contains(&port)
            })
            .map(|b| {
                format!(
                    "broker {} ({}, {}, {})",
                    b.name, b.fast_port, b.listen_port, b.ha_port
                )
            }),
    );
    users.extend(
        plan.gateways
            .iter()
            .filter(|g| g.address == gateway.address && g.port == port)
            .map(|g| format!("the gateway of {}", g.host)),
    );
    for user in users {
        findings.push(
            span.clone(),
            "port-clash",
            Severity::Error,
            format!(
                "[gateway] port {port} on {} ({}) is also used by {user}",
                gateway.host, gateway.address
            ),
            "set [gateway] port to a free port (default 8080); brokers use listenPort-2, listenPort and listenPort+1",
        );
    }
}

/// Adds the gateway to its host's plan: the port to open, the unit last in start order; a host
/// that runs nothing else joins the plan, in inventory order.
fn place(
    loaded: &LoadedInventory,
    plan: &mut ClusterPlan,
    bare: super::derive::HostPlan,
    gateway: &GatewayInstance,
) {
    if !plan.hosts.iter().any(|h| h.name == bare.name) {
        plan.hosts.push(bare);
        let order: Vec<&String> = loaded.inventory.hosts.keys().map(|k| k.get_ref()).collect();
        plan.hosts
            .sort_by_key(|h| order.iter().position(|n| **n == h.name));
    }
    if let Some(host) = plan.hosts.iter_mut().find(|h| h.name == gateway.host) {
        if !host.open_ports.contains(&gateway.port) {
            host.open_ports.push(gateway.port);
            host.open_ports.sort_unstable();
        }
        host.units.push(gateway.unit_name.clone());
    }
}

/// What every host's gateway.toml carries besides the table's own settings.
struct SharedSettings<'a> {
    tokens: &'a [Secret],
    /// `[cluster_tls]` and, with `https`, the listener's `[tls]`.
    tls: Option<&'a GatewayTls>,
    /// The remote path of the delivery CA.
    delivery_ca: Option<String>,
}

/// The text of one host's gateway.toml.
fn gateway_toml(
    loaded: &LoadedInventory,
    spec: &GatewaySpec,
    gateway: &GatewayInstance,
    shared: &SharedSettings<'_>,
) -> String {
    let tokens = shared.tokens;
    let defaults = GatewayConfig::default();
    let text_or = |v: &Option<Spanned<String>>, default: &str| {
        v.as_ref()
            .map_or_else(|| default.to_string(), |v| v.get_ref().clone())
    };
    let file = GatewayFile {
        listen: &gateway.listen,
        namesrv: &gateway.namesrv_addr,
        topic: text_or(&spec.topic, &defaults.topic),
        group: text_or(&spec.group, &defaults.group),
        allow_callbacks: spec
            .allow_callbacks
            .iter()
            .map(|p| p.get_ref().clone())
            .collect(),
        tokens: tokens.iter().map(Secret::expose).collect(),
        max_body_bytes: spec
            .max_body_bytes
            .as_ref()
            .map_or(defaults.max_body_bytes, |v| *v.get_ref()),
        accept_degraded: spec
            .accept_degraded
            .clone()
            .unwrap_or_else(|| defaults.accept_degraded.clone()),
        delivery: DeliveryFile {
            timeout_ms: spec
                .delivery
                .timeout_ms
                .as_ref()
                .map_or(defaults.delivery.timeout_ms, |v| *v.get_ref()),
            per_host_concurrency: spec
                .delivery
                .per_host_concurrency
                .as_ref()
                .map_or(defaults.delivery.per_host_concurrency, |v| *v.get_ref()),
            max_reconsume_times: spec
                .delivery
                .max_reconsume_times
                .as_ref()
                .map_or(defaults.delivery.max_reconsume_times, |v| *v.get_ref()),
            ca: shared.delivery_ca.clone(),
        },
        tls: shared
            .tls
            .and_then(|t| t.listener.as_ref())
            .map(|l| ListenerTlsFile {
                cert: l.cert.clone(),
                key: l.key.clone(),
                key_password_file: l.key_password_file.clone(),
            }),
        account: gateway_account(loaded),
        cluster_tls: shared.tls.map(|t| &t.cluster).map(|t| ClusterTlsFile {
            ca: t.ca.clone(),
            cert: t.cert.clone(),
            key: t.key.clone(),
            key_password_file: t.key_password_file.clone(),
        }),
        subscriptions: spec
            .subscriptions
            .iter()
            .map(|s| SubscriptionFile {
                topic: s.topic.get_ref().clone(),
                tags: s.tags.clone().unwrap_or_else(|| "*".into()),
                group: s.group.get_ref().clone(),
                url: s.url.get_ref().clone(),
            })
            .collect(),
    };
    let inventory = loaded.path.file_name().map_or_else(
        || loaded.path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let secret_note = if !gateway.has_tokens {
        ""
    } else if tokens.is_empty() {
        "# Holds the [acl] admin account's secret: keep it mode 0600.\n"
    } else {
        "# Holds the bearer tokens of [gateway] tokens_env / tokens_file: keep it mode 0600.\n"
    };
    // Serialising plain strings, numbers and lists cannot fail; an empty body would make the
    // gateway start with its defaults, which the unit's --listen and -n still correct.
    let body = toml::to_string(&file).unwrap_or_default();
    format!(
        "# gateway.toml of host {}: the HTTP gateway of cluster {}, rendered by rmqctl from {inventory}.\n{secret_note}{body}",
        gateway.host,
        loaded.inventory.cluster
    )
}

/// The account the gateway signs with: `[acl]`'s admin account, as deploy's checks use.
fn gateway_account(loaded: &LoadedInventory) -> Option<AccountFile> {
    let credentials = loaded.inventory.acl.as_ref()?.admin_credentials()?;
    Some(AccountFile {
        access_key: credentials.access_key.clone(),
        secret_key: credentials.secret_key.clone(),
    })
}

/// Whether a rendered file is a gateway.toml (written 0600 in a render directory and never
/// shown by `--diff`: it may carry bearer tokens; deploy uploads one without tokens 0644).
pub fn is_secret_file(path: &Path) -> bool {
    path.starts_with(DIR) && path.file_name().is_some_and(|n| n == FILE_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pipeline::{render_inventory, RenderOutput};
    use crate::render::templates::Templates;

    const INVENTORY: &str = r#"
cluster = "GwCluster"
replication = "sync"
install_root = "/opt/rmq"
[namesrv]
hosts = ["master-a"]
[hosts.master-a]
address = "10.0.0.1"
[hosts.slave-a]
address = "10.0.0.2"
[hosts.edge]
address = "10.0.0.9"
[groups.broker-a]
master = "master-a"
slaves = ["slave-a"]
"#;

    fn render(dir: &Path, table: &str) -> RenderOutput {
        let path = dir.join("inventory.toml");
        std::fs::write(&path, format!("{INVENTORY}\n{table}")).unwrap();
        render_inventory(&path, &Templates::embedded()).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn of(out: &RenderOutput, severity: Severity) -> Vec<String> {
        out.findings
            .iter()
            .filter(|f| f.severity == severity)
            .map(ToString::to_string)
            .collect()
    }

    fn file<'a>(out: &'a RenderOutput, path: &str) -> &'a RenderedFile {
        out.files
            .iter()
            .find(|f| f.path == Path::new(path))
            .unwrap_or_else(|| {
                panic!(
                    "no {path} in {:?}",
                    out.files.iter().map(|f| &f.path).collect::<Vec<_>>()
                )
            })
    }

    /// The rendered gateway.toml parses as the gateway's own `GatewayConfig` (deny_unknown_fields:
    /// a field renamed on either side fails here) and says what the inventory said.
    #[test]
    fn rendered_gateway_toml_parses_as_the_gateways_config() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("tokens"),
            "# the ops team\ntoken-a\n\ntoken-b\n",
        )
        .unwrap();
        let out = render(
            dir.path(),
            "[gateway]\nhosts = [\"master-a\", \"edge\"]\nport = 8181\ntopic = \"ORDERS_HTTP\"\n\
             allow_callbacks = [\"https://orders.example.com/hooks/\", \"http://10.0.0.7:8080/\"]\n\
             tokens_file = \"tokens\"\nmax_body_bytes = 65536\naccept_degraded = [\"SLAVE_NOT_AVAILABLE\"]\n\
             [gateway.delivery]\ntimeout_ms = 2500\nmax_reconsume_times = 3\n\
             [[gateway.subscription]]\ntopic = \"Audit\"\ntags = \"a || b\"\ngroup = \"AUDIT_PUSH\"\nurl = \"https://audit.example.com/hook\"\n",
        );
        assert!(of(&out, Severity::Error).is_empty(), "{:#?}", out.findings);
        let text = &file(&out, "gateway/edge/gateway.toml").contents;
        let config: GatewayConfig = toml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(config.listen, "10.0.0.9:8181");
        assert_eq!(config.namesrv.as_deref(), Some("10.0.0.1:9876"));
        assert_eq!(config.topic, "ORDERS_HTTP");
        assert_eq!(config.group, GatewayConfig::default().group);
        assert_eq!(
            config.allow_callbacks,
            ["https://orders.example.com/hooks/", "http://10.0.0.7:8080/"]
        );
        assert_eq!(config.tokens, ["token-a", "token-b"]);
        assert_eq!(config.max_body_bytes, 65536);
        assert_eq!(config.accept_degraded, ["SLAVE_NOT_AVAILABLE"]);
        assert_eq!(config.delivery.timeout_ms, 2500);
        assert_eq!(config.delivery.max_reconsume_times, 3);
        assert_eq!(
            config.delivery.per_host_concurrency,
            GatewayConfig::default().delivery.per_host_concurrency
        );
        assert!(config.tls.is_none());
        let sub = &config.subscriptions[0];
        assert_eq!(
            (
                sub.topic.as_str(),
                sub.tags.as_str(),
                sub.group.as_str(),
                sub.url.as_str()
            ),
            (
                "Audit",
                "a || b",
                "AUDIT_PUSH",
                "https://audit.example.com/hook"
            )
        );
        // Each host listens on its own address.
        let master: GatewayConfig =
            toml::from_str(&file(&out, "gateway/master-a/gateway.toml").contents).unwrap();
        assert_eq!(master.listen, "10.0.0.1:8181");
        assert!(is_secret_file(Path::new("gateway/edge/gateway.toml")));
        // The tokens reach gateway.toml only: no other file, no debug output of the plan.
        for f in out.files.iter().filter(|f| !is_secret_file(&f.path)) {
            assert!(!f.contents.contains("token-a"), "{}", f.path.display());
        }
        assert!(!format!("{:?}", out.plan).contains("token-a"));
    }

    #[test]
    fn gateway_hosts_join_the_plan_with_port_unit_and_arguments() {
        let dir = tempfile::tempdir().unwrap();
        let out = render(
            dir.path(),
            "[gateway]\nhosts = [\"edge\", \"master-a\"]\nallow_callbacks = [\"http://10.0.0.7:8080/\"]\n",
        );
        assert!(of(&out, Severity::Error).is_empty(), "{:#?}", out.findings);
        let hosts: Vec<(&str, &[u16], &[String])> = out
            .plan
            .hosts
            .iter()
            .map(|h| (h.name.as_str(), h.open_ports.as_slice(), h.units.as_slice()))
            .collect();
        assert_eq!(
            hosts[0].0, "edge",
            "inventory order: edge, master-a, slave-a"
        );
        assert_eq!(hosts[0].1, [8080]);
        assert_eq!(hosts[0].2, ["rmqctl-gateway.service"]);
        assert_eq!(hosts[1].1, [8080, 9876, 10909, 10911, 10912]);
        assert_eq!(
            hosts[1].2.last().map(String::as_str),
            Some("rmqctl-gateway.service"),
            "the gateway starts last"
        );
        let edge = out.plan.host("edge").unwrap();
        assert!(!edge.runs_namesrv && edge.brokers.is_empty());
        let gateway = out.plan.gateways.iter().find(|g| g.host == "edge").unwrap();
        assert_eq!(
            gateway.args(),
            [
                "gateway",
                "-c",
                "/opt/rmq/conf/gateway.toml",
                "--listen",
                "10.0.0.9:8080",
                "-n",
                "10.0.0.1:9876"
            ]
        );
        assert!(!gateway.has_tokens);
        let unit = &file(&out, "units/master-a/rmqctl-gateway.service").contents;
        assert!(
            unit.contains("ExecStart=/opt/rmq/bin/rmqctl gateway -c /opt/rmq/conf/gateway.toml --listen 10.0.0.1:8080 -n \"10.0.0.1:9876\""),
            "{unit}"
        );
        assert!(
            unit.contains(
                "After=network-online.target rmqctl-namesrv.service rmqctl-broker-a.service"
            ),
            "{unit}"
        );
        let edge_unit = &file(&out, "units/edge/rmqctl-gateway.service").contents;
        assert!(
            edge_unit.contains("After=network-online.target\n"),
            "{edge_unit}"
        );
    }

    #[test]
    fn lint_finds_hosts_prefixes_tokens_limits_and_port_clashes() {
        let dir = tempfile::tempdir().unwrap();
        let out = render(
            dir.path(),
            "[gateway]\nhosts = [\"nowhere\", \"master-a\", \"master-a\"]\nport = 10911\n\
             allow_callbacks = [\"ftp://files.example.com/\", \"https://\", \"http://good.example.com@evil/\", \"https://ok.example.com/\"]\n\
             tokens_env = \"RMQCTL_TEST_UNSET_GATEWAY_TOKENS\"\nmax_body_bytes = 0\n\
             [[gateway.subscription]]\ntopic = \"T\"\ngroup = \"G\"\nurl = \"mailto:x@example.com\"\n",
        );
        let errors = of(&out, Severity::Error);
        let has = |rule: &str, needle: &str| {
            out.findings.iter().any(|f| {
                f.rule == rule && f.severity == Severity::Error && f.to_string().contains(needle)
            })
        };
        assert!(has(RULE, "unknown host `nowhere`"), "{errors:#?}");
        assert!(has(RULE, "`master-a` is listed twice"), "{errors:#?}");
        assert!(
            has(
                "port-clash",
                "port 10911 on master-a (10.0.0.1) is also used by broker broker-a"
            ),
            "{errors:#?}"
        );
        assert!(
            has(
                RULE,
                "\"ftp://files.example.com/\" not an http:// or https:// URL prefix"
            ),
            "{errors:#?}"
        );
        assert!(has(RULE, "\"https://\" has no host"), "{errors:#?}");
        assert!(has(RULE, "user part"), "{errors:#?}");
        assert!(
            !errors.iter().any(|e| e.contains("ok.example.com")),
            "{errors:#?}"
        );
        assert!(
            has(RULE, "$RMQCTL_TEST_UNSET_GATEWAY_TOKENS is not set"),
            "{errors:#?}"
        );
        assert!(has(RULE, "max_body_bytes is 0"), "{errors:#?}");
        assert!(
            has(RULE, "url \"mailto:x@example.com\" is not an http(s) URL"),
            "{errors:#?}"
        );
        // Findings point at the inventory's lines.
        let unknown = out
            .findings
            .iter()
            .find(|f| f.message.contains("nowhere"))
            .unwrap();
        assert!(
            unknown.path.ends_with("inventory.toml") && unknown.line > 1,
            "{unknown:?}"
        );
    }

    #[test]
    fn empty_allow_list_and_name_server_port_and_token_sources() {
        let dir = tempfile::tempdir().unwrap();
        let out = render(
            dir.path(),
            "[gateway]\nhosts = [\"master-a\"]\nport = 9876\n",
        );
        let warnings = of(&out, Severity::Warning);
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("allow_callbacks is empty")
                    && w.contains("refuses every backurl")),
            "{warnings:#?}"
        );
        assert!(
            out.findings.iter().any(
                |f| f.rule == "port-clash" && f.message.contains("the name server of master-a")
            ),
            "{:#?}",
            out.findings
        );

        let out = render(
            dir.path(),
            "[gateway]\nhosts = []\ntokens_env = \"X\"\ntokens_file = \"missing-tokens\"\n",
        );
        let errors = of(&out, Severity::Error);
        assert!(
            errors.iter().any(|e| e.contains("hosts is empty")),
            "{errors:#?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("both tokens_env and tokens_file")),
            "{errors:#?}"
        );

        let out = render(dir.path(), "[gateway]\nhosts = [\"edge\"]\ntokens_file = \"missing-tokens\"\nallow_callbacks = [\"https://a.example.com/\"]\n");
        let errors = of(&out, Severity::Error);
        assert!(
            errors
                .iter()
                .any(|e| e.contains("tokens_file") && e.contains("missing-tokens")),
            "{errors:#?}"
        );
        std::fs::write(dir.path().join("empty-tokens"), "# none yet\n\n").unwrap();
        let out = render(dir.path(), "[gateway]\nhosts = [\"edge\"]\ntokens_file = \"empty-tokens\"\nallow_callbacks = [\"https://a.example.com/\"]\n");
        assert!(
            of(&out, Severity::Error)
                .iter()
                .any(|e| e.contains("holds no token")),
            "{:#?}",
            out.findings
        );
        assert_eq!(
            split_tokens(" a,b  c\n")
                .iter()
                .map(Secret::expose)
                .collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
    }

    #[test]
    fn acl_admin_account_signs_the_gateways_requests() {
        let dir = tempfile::tempdir().unwrap();
        let out = render(
            dir.path(),
            "[acl]\n[[acl.accounts]]\naccess_key = \"rmqadmin\"\nsecret_key = \"admin-secret\"\nadmin = true\n\
             [gateway]\nhosts = [\"edge\"]\nallow_callbacks = [\"https://a.example.com/\"]\n",
        );
        assert!(of(&out, Severity::Warning)
            .iter()
            .all(|w| !w.contains("[gateway] with [acl]")));
        let text = &file(&out, "gateway/edge/gateway.toml").contents;
        let config: GatewayConfig = toml::from_str(text).unwrap();
        let account = config.account.expect("[account] from [acl]");
        assert_eq!(account.access_key, "rmqadmin");
        assert_eq!(account.secret_key.expose(), "admin-secret");
        assert!(text.contains("keep it mode 0600"), "{text}");
        assert!(out.plan.gateways.iter().all(|g| g.has_tokens));
    }

    /// `[gateway.delivery] ca`: a missing file, a directory, a file without certificates and a
    /// broken certificate are errors naming the key and the file; a CA is uploaded once for
    /// every gateway host and gateway.toml names its remote path.
    #[test]
    fn delivery_ca_is_linted_uploaded_and_named_in_gateway_toml() {
        let dir = tempfile::tempdir().unwrap();
        let table = |ca: &str| {
            format!(
                "[gateway]\nhosts = [\"master-a\", \"edge\"]\nallow_callbacks = [\"https://a.example.com/\"]\n\
                 [gateway.delivery]\nca = \"{ca}\"\n"
            )
        };
        std::fs::write(dir.path().join("not-pem.txt"), "just some text\n").unwrap();
        std::fs::write(
            dir.path().join("broken.pem"),
            "-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("a-directory")).unwrap();
        for (ca, says) in [
            ("missing.pem", "cannot read"),
            ("a-directory", "cannot read"),
            (
                "not-pem.txt",
                "holds no `-----BEGIN CERTIFICATE-----` block",
            ),
            ("broken.pem", "not a usable CA certificate"),
        ] {
            let out = render(dir.path(), &table(ca));
            let errors = of(&out, Severity::Error);
            let path = dir.path().join(ca).display().to_string();
            assert!(
                errors.iter().any(|e| e.contains("[gateway.delivery] ca")
                    && e.contains(&path)
                    && e.contains(says)
                    && e.contains("PEM file")),
                "{ca}: {errors:#?}"
            );
            assert!(
                out.findings
                    .iter()
                    .any(|f| f.rule == RULE && f.message.contains(&path) && f.line > 1),
                "{ca}: at the key's line: {:#?}",
                out.findings
            );
            assert!(out
                .files
                .iter()
                .all(|f| !f.path.ends_with(DELIVERY_CA_FILE)));
        }

        let ca = crate::remoting::tls::issue::CertificateAuthority::generate(
            "callbacks CA",
            crate::remoting::tls::issue::Validity::days(30),
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("pki")).unwrap();
        std::fs::write(dir.path().join("pki/callbacks-ca.pem"), ca.cert_pem()).unwrap();
        let out = render(dir.path(), &table("pki/callbacks-ca.pem"));
        assert!(of(&out, Severity::Error).is_empty(), "{:#?}", out.findings);
        let uploaded: Vec<&RenderedFile> = out
            .files
            .iter()
            .filter(|f| f.path.ends_with(DELIVERY_CA_FILE))
            .collect();
        assert_eq!(uploaded.len(), 1, "one copy for every gateway host");
        assert_eq!(
            uploaded[0].path,
            Path::new("gateway/gateway-delivery-ca.pem")
        );
        assert_eq!(uploaded[0].host, None);
        assert_eq!(uploaded[0].contents, ca.cert_pem());
        assert!(!is_secret_file(&uploaded[0].path));
        for host in ["master-a", "edge"] {
            let text = &file(&out, &format!("gateway/{host}/gateway.toml")).contents;
            let config: GatewayConfig = toml::from_str(text).unwrap();
            assert_eq!(
                config.delivery.ca.as_deref(),
                Some(Path::new("/opt/rmq/conf/gateway-delivery-ca.pem")),
                "{text}"
            );
        }
    }

    /// `https = true` with `[tls]`: every gateway.toml's `[tls]` names the host's certificate and
    /// key as uploaded (the servers' files on master-a, edge's own on the gateway-only edge) and
    /// the 0600 password file; edge's certificate is rendered for edge.
    #[test]
    fn https_serves_each_hosts_tls_certificate() {
        let dir = tempfile::tempdir().unwrap();
        crate::render::tls::tests::tls_init(
            &dir.path().join("tls"),
            &[
                ("master-a", "10.0.0.1"),
                ("slave-a", "10.0.0.2"),
                ("edge", "10.0.0.9"),
            ],
            false,
        );
        std::fs::write(dir.path().join("pw"), "https-key-pw\n").unwrap();
        let out = render(
            dir.path(),
            "[tls]\nmode = \"enforcing\"\nkey_password_file = \"pw\"\n\
             [gateway]\nhosts = [\"master-a\", \"edge\"]\nhttps = true\nallow_callbacks = [\"https://a.example.com/\"]\n",
        );
        assert!(of(&out, Severity::Error).is_empty(), "{:#?}", out.findings);
        for host in ["master-a", "edge"] {
            let text = &file(&out, &format!("gateway/{host}/gateway.toml")).contents;
            let config: GatewayConfig =
                toml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            let tls = config.tls.unwrap_or_else(|| panic!("no [tls] in {text}"));
            assert_eq!(tls.cert, Path::new("/opt/rmq/conf/tls/cert.pem"));
            assert_eq!(tls.key, Path::new("/opt/rmq/conf/tls/key.pem"));
            assert_eq!(
                tls.key_password_file.as_deref(),
                Some(Path::new("/opt/rmq/conf/tls/gateway-key-password"))
            );
            assert!(config.cluster_tls.is_some(), "{text}");
            assert!(!text.contains("https-key-pw"), "{text}");
        }
        let edge_cert = file(&out, "tls/edge/cert.pem");
        assert_eq!(edge_cert.host.as_deref(), Some("edge"));
        assert_eq!(
            edge_cert.contents,
            std::fs::read_to_string(dir.path().join("tls/edge.pem")).unwrap()
        );
        assert_eq!(file(&out, "tls/edge/key.pem").host.as_deref(), Some("edge"));
        assert_eq!(
            file(&out, "tls/gateway-key-password").contents,
            "https-key-pw\n"
        );
        assert!(out.plan.gateways.iter().all(|g| g.https));

        // Without https: no listener [tls], no certificate for the gateway-only host.
        let out = render(
            dir.path(),
            "[tls]\nmode = \"enforcing\"\n\
             [gateway]\nhosts = [\"master-a\", \"edge\"]\nallow_callbacks = [\"https://a.example.com/\"]\n",
        );
        assert!(of(&out, Severity::Error).is_empty(), "{:#?}", out.findings);
        let config: GatewayConfig =
            toml::from_str(&file(&out, "gateway/edge/gateway.toml").contents).unwrap();
        assert!(config.tls.is_none());
        assert!(out.files.iter().all(|f| !f.path.starts_with("tls/edge")));
        assert!(out.plan.gateways.iter().all(|g| !g.https));
    }

    /// `https = true` without `[tls]`, or with mode disabled, is an error at the key; with
    /// `[tls]` the gateway-only host's certificate is checked like the servers' (present, naming
    /// its address); `[tls.hosts.edge]` names a serving host only with https.
    #[test]
    fn https_needs_tls_and_a_certificate_naming_the_gateway_host() {
        let dir = tempfile::tempdir().unwrap();
        let gateway = "[gateway]\nhosts = [\"edge\"]\nhttps = true\nallow_callbacks = [\"https://a.example.com/\"]\n";
        let error_at_https = |out: &RenderOutput, needle: &str| {
            let found = out
                .findings
                .iter()
                .find(|f| f.severity == Severity::Error && f.message.contains(needle))
                .unwrap_or_else(|| panic!("no error with {needle:?}: {:#?}", out.findings));
            assert_eq!(found.rule, RULE);
            let text = std::fs::read_to_string(dir.path().join("inventory.toml")).unwrap();
            let line = text.lines().nth(found.line - 1).unwrap_or_default();
            assert_eq!(line, "https = true", "{found:?}");
            found.clone()
        };
        let out = render(dir.path(), gateway);
        let found = error_at_https(&out, "[gateway] https = true needs [tls]");
        assert!(found.hint.contains("rmqctl tls init"), "{found:?}");
        let out = render(
            dir.path(),
            &format!("[tls]\nmode = \"disabled\"\n{gateway}"),
        );
        let found = error_at_https(&out, "mode = \"disabled\"");
        assert!(found.hint.contains("permissive"), "{found:?}");

        // tls init without edge, then with edge's certificate for another address.
        crate::render::tls::tests::tls_init(
            &dir.path().join("tls"),
            &[("master-a", "10.0.0.1"), ("slave-a", "10.0.0.2")],
            false,
        );
        let table = format!("[tls]\nmode = \"permissive\"\n{gateway}");
        let out = render(dir.path(), &table);
        let errors = of(&out, Severity::Error);
        assert!(
            errors
                .iter()
                .any(|e| e.contains("edge.pem") && e.contains("certificate of host edge")),
            "{errors:#?}"
        );
        crate::render::tls::tests::tls_init(
            &dir.path().join("tls"),
            &[
                ("master-a", "10.0.0.1"),
                ("slave-a", "10.0.0.2"),
                ("edge", "10.9.9.9"),
            ],
            false,
        );
        let out = render(dir.path(), &table);
        let errors = of(&out, Severity::Error);
        assert!(
            errors.iter().any(|e| e.contains("(host edge)")
                && e.contains("does not name the host's address 10.0.0.9")),
            "{errors:#?}"
        );

        // [tls.hosts.edge]: edge's own files, allowed with https only.
        crate::render::tls::tests::tls_init(
            &dir.path().join("tls"),
            &[
                ("master-a", "10.0.0.1"),
                ("slave-a", "10.0.0.2"),
                ("edge", "10.0.0.9"),
            ],
            false,
        );
        std::fs::rename(dir.path().join("tls/edge.pem"), dir.path().join("gw.pem")).unwrap();
        std::fs::rename(
            dir.path().join("tls/edge-key.pem"),
            dir.path().join("gw-key.pem"),
        )
        .unwrap();
        let own = "[tls.hosts.edge]\ncert = \"gw.pem\"\nkey = \"gw-key.pem\"\n";
        let out = render(
            dir.path(),
            &format!("[tls]\nmode = \"permissive\"\n{own}{gateway}"),
        );
        assert!(of(&out, Severity::Error).is_empty(), "{:#?}", out.findings);
        assert_eq!(
            file(&out, "tls/edge/cert.pem").contents,
            std::fs::read_to_string(dir.path().join("gw.pem")).unwrap()
        );
        let out = render(
            dir.path(),
            &format!(
                "[tls]\nmode = \"permissive\"\n{own}{}",
                gateway.replace("https = true\n", "")
            ),
        );
        assert!(
            of(&out, Severity::Error).iter().any(|e| e.contains(
                "[tls.hosts.edge] names no host that runs a name server, a broker or a gateway with [gateway] https = true"
            )),
            "{:#?}",
            out.findings
        );
    }
}
