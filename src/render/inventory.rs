//! The TOML inventory: cluster name, hosts (SSH or local), name servers, broker groups,
//! replication/flush modes, directories, broker-key overrides, `[acl]`, `[tls]` and `[gateway]`. Unknown fields are refused and
//! syntax errors are shown with the offending line and a caret.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::apache_config::properties::Pos;

/// Broker keys (Apache spelling) to values, with the place of each key in the inventory.
pub type KeyOverrides = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

/// A whole inventory file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    /// `brokerClusterName` of every broker.
    pub cluster: String,
    /// Which server runs the instances; only `bundled` (the rmqctl binary itself) for now.
    #[serde(default)]
    pub engine: Engine,
    /// How masters replicate to slaves: `sync`, `async` or `none` (no slaves).
    pub replication: Replication,
    /// `flushDiskType` of every broker: `async` (default) or `sync`.
    #[serde(default)]
    pub flush: Flush,
    /// Where rmqctl, configs and units live on every host (`bin/`, `conf/`).
    pub install_root: String,
    /// Parent of the per-broker store dirs (default `<install_root>/store`).
    pub store_root: Option<String>,
    /// Parent of the per-instance log dirs (default `<install_root>/logs`).
    pub log_dir: Option<String>,
    /// `User=` of the systemd units (default: none, i.e. root).
    pub service_user: Option<String>,
    /// The ssh_config file used to resolve `ssh_alias` (default `~/.ssh/config`).
    pub ssh_config: Option<String>,
    /// The rmqctl executable `deploy` uploads (default: a static build next to the running
    /// one, else the running one); `--binary` wins.
    pub binary: Option<String>,
    /// First listenPort given to brokers on a host (default 10911).
    #[serde(default = "default_base_port")]
    pub base_port: u16,
    /// Distance between automatically assigned listenPorts on one host (default 10, at least 4).
    #[serde(default = "default_port_step")]
    pub port_step: u16,
    pub namesrv: NamesrvSpec,
    pub hosts: BTreeMap<Spanned<String>, HostSpec>,
    /// Broker groups by brokerName.
    pub groups: BTreeMap<Spanned<String>, GroupSpec>,
    /// Broker keys for every broker.
    #[serde(default)]
    pub broker: KeyOverrides,
    /// Broker keys for one broker instance (`broker-a`, `broker-a-s`, ...).
    #[serde(default)]
    pub brokers: BTreeMap<Spanned<String>, KeyOverrides>,
    /// ACL accounts and white lists (renders `plain_acl.yml` and `aclEnable=true`).
    pub acl: Option<super::acl::AclSpec>,
    /// TLS of every listener and of the brokers' outbound connections (renders the `tls.*`
    /// keys; deploy uploads the CA, certificates and keys).
    pub tls: Option<super::tls::TlsSpec>,
    /// HTTP gateways (`rmqctl gateway`) on some hosts (renders gateway.toml and a unit per host;
    /// deploy starts them after the brokers and opens their port).
    pub gateway: Option<super::gateway::GatewaySpec>,
}

fn default_base_port() -> u16 {
    10911
}

fn default_port_step() -> u16 {
    10
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    #[default]
    Bundled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Replication {
    Sync,
    Async,
    None,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Flush {
    #[default]
    Async,
    Sync,
}

/// The name servers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamesrvSpec {
    /// Hosts that run a name server (one per host).
    pub hosts: Vec<Spanned<String>>,
    /// `listenPort` of every name server (default 9876).
    #[serde(default = "default_namesrv_port")]
    pub port: u16,
    /// `bindAddress`: the address the name server listens on (default all).
    pub bind_address: Option<String>,
    /// Further name-server keys.
    #[serde(default)]
    pub properties: KeyOverrides,
}

fn default_namesrv_port() -> u16 {
    9876
}

/// How to reach one host.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostSpec {
    /// The address brokers register (`brokerIP1`) and SSH connects to.
    pub address: Option<String>,
    /// SSH user (default: from ssh_config or the current user).
    pub user: Option<String>,
    /// SSH port (default 22).
    pub port: Option<u16>,
    /// SSH private key file.
    pub identity_file: Option<String>,
    /// A `Host` alias of the ssh_config file; its `HostName` gives the address if `address` is unset.
    pub ssh_alias: Option<String>,
    /// This machine: no SSH; address defaults to 127.0.0.1.
    #[serde(default)]
    pub local: bool,
}

/// One broker group: a master and its slaves, sharing a brokerName.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    pub master: Spanned<String>,
    #[serde(default)]
    pub slaves: Vec<Spanned<String>>,
    /// Broker keys for every broker of this group.
    #[serde(default)]
    pub broker: KeyOverrides,
}

/// Why an inventory cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error("{path}: cannot read the inventory: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", describe(path, problems))]
    Invalid {
        path: PathBuf,
        problems: Vec<InventoryProblem>,
    },
}

/// One problem in an inventory file, with the source line and a caret when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryProblem {
    pub pos: Pos,
    /// `toml-syntax`, `inventory`, `unknown-key` or `bad-value`.
    pub rule: &'static str,
    pub message: String,
    pub hint: String,
    /// The offending source line followed by a caret line.
    pub snippet: Option<String>,
}

impl fmt::Display for InventoryProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.message, self.rule)?;
        if let Some(snippet) = &self.snippet {
            write!(f, "\n{snippet}")?;
        }
        if !self.hint.is_empty() {
            write!(f, "\n  hint: {}", self.hint)?;
        }
        Ok(())
    }
}

fn describe(path: &Path, problems: &[InventoryProblem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("{}:{}: error: {p}", path.display(), p.pos))
        .collect();
    lines.join("\n")
}

/// An inventory together with its text, for turning spans into positions.
#[derive(Debug, Clone)]
pub struct LoadedInventory {
    pub path: PathBuf,
    pub text: String,
    pub inventory: Inventory,
}

impl LoadedInventory {
    /// Reads and parses an inventory file.
    pub fn load(path: &Path) -> Result<LoadedInventory, InventoryError> {
        let text = std::fs::read_to_string(path).map_err(|source| InventoryError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parses inventory text; `path` names it in errors and anchors relative paths.
    pub fn parse(text: &str, path: &Path) -> Result<LoadedInventory, InventoryError> {
        match toml::from_str::<Inventory>(text) {
            Ok(inventory) => Ok(LoadedInventory {
                path: path.to_path_buf(),
                text: text.to_string(),
                inventory,
            }),
            Err(error) => {
                let offset = error.span().map_or(0, |s| s.start);
                let pos = pos_at(text, offset);
                let problem = InventoryProblem {
                    pos,
                    rule: "toml-syntax",
                    message: error.message().trim().to_string(),
                    hint: "see the inventory schema in docs-render.md".into(),
                    snippet: Some(snippet(text, pos)),
                };
                Err(InventoryError::Invalid {
                    path: path.to_path_buf(),
                    problems: vec![problem],
                })
            }
        }
    }

    /// The position of a byte offset of the text.
    pub fn pos(&self, offset: usize) -> Pos {
        pos_at(&self.text, offset)
    }

    /// A problem at a span of the text, with a caret snippet.
    pub fn problem(
        &self,
        span: std::ops::Range<usize>,
        rule: &'static str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> InventoryProblem {
        let pos = self.pos(span.start);
        InventoryProblem {
            pos,
            rule,
            message: message.into(),
            hint: hint.into(),
            snippet: Some(snippet(&self.text, pos)),
        }
    }

    /// The directory relative paths are resolved against.
    pub fn base_dir(&self) -> PathBuf {
        match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn pos_at(text: &str, offset: usize) -> Pos {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Pos {
        line,
        col: before[line_start..].chars().count() + 1,
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// `  12 | source line` and a caret under the column.
pub fn snippet(text: &str, pos: Pos) -> String {
    let line = text.lines().nth(pos.line - 1).unwrap_or("");
    let number = pos.line.to_string();
    let pad = " ".repeat(number.len());
    let caret_pad = " ".repeat(pos.col.saturating_sub(1));
    format!("{pad} |\n{number} | {line}\n{pad} | {caret_pad}^")
}
