//! PLACEHOLDER until the firewall module lands (helper h2): the interface deploy uses.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirewallBackend {
    Firewalld,
    Ufw,
    Nftables,
    Iptables,
    None,
}

impl FirewallBackend {
    pub fn name(&self) -> &'static str {
        match self {
            FirewallBackend::Firewalld => "firewalld",
            FirewallBackend::Ufw => "ufw",
            FirewallBackend::Nftables => "nftables",
            FirewallBackend::Iptables => "iptables",
            FirewallBackend::None => "none",
        }
    }
    pub fn persistent(&self) -> bool {
        matches!(self, FirewallBackend::Firewalld | FirewallBackend::Ufw)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FirewallError(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Present,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortChange {
    pub port: u16,
    pub change: Change,
}

pub fn detect_script() -> &'static str {
    "echo none"
}

pub fn parse_detect(stdout: &str) -> Result<FirewallBackend, FirewallError> {
    match stdout.trim() {
        "none" => Ok(FirewallBackend::None),
        other => Err(FirewallError(other.to_string())),
    }
}

pub fn open_script(_backend: FirewallBackend, ports: &[u16], _tag: &str) -> String {
    ports
        .iter()
        .map(|p| format!("echo {p} present\n"))
        .collect()
}

pub fn close_script(_backend: FirewallBackend, _tag: &str) -> String {
    String::new()
}

pub fn list_script(_backend: FirewallBackend, _tag: &str) -> String {
    String::new()
}

pub fn parse_report(stdout: &str) -> Result<Vec<PortChange>, FirewallError> {
    Ok(stdout
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            let port = w.next()?.parse().ok()?;
            let change = match w.next()? {
                "added" => Change::Added,
                "removed" => Change::Removed,
                _ => Change::Present,
            };
            Some(PortChange { port, change })
        })
        .collect())
}
