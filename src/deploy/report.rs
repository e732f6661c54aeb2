//! The result of a deploy or lifecycle command: per host, the steps run (changed or not, how
//! long), and the failure (host, step, command, stderr, what to do). `output` prints it as a
//! summary table or JSON.

use std::time::Duration;

use serde::Serialize;

/// One step on one host.
#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    pub step: &'static str,
    pub changed: bool,
    pub duration_ms: u64,
    pub detail: String,
}

/// Why a host failed.
#[derive(Debug, Clone, Serialize)]
pub struct HostFailure {
    pub step: &'static str,
    /// The command that failed, when one did (secrets never appear in deploy's scripts).
    pub command: Option<String>,
    pub message: String,
    pub hint: String,
}

impl std::fmt::Display for HostFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "step {}: {}", self.step, self.message)?;
        if let Some(command) = &self.command {
            write!(f, "\n    command: {}", first_line(command))?;
        }
        if !self.hint.is_empty() {
            write!(f, "\n    fix: {}", self.hint)?;
        }
        Ok(())
    }
}

fn first_line(text: &str) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if line.len() > 160 || text.lines().count() > 1 {
        format!("{} ...", &line[..line.floor_boundary(160)])
    } else {
        line.to_string()
    }
}

trait FloorBoundary {
    fn floor_boundary(&self, at: usize) -> usize;
}

impl FloorBoundary for str {
    fn floor_boundary(&self, at: usize) -> usize {
        let mut at = at.min(self.len());
        while !self.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
}

/// Everything that happened on one host.
#[derive(Debug, Clone, Serialize)]
pub struct HostReport {
    pub host: String,
    pub transport: &'static str,
    pub supervisor: Option<&'static str>,
    pub firewall: Option<&'static str>,
    pub steps: Vec<StepReport>,
    pub changed: bool,
    pub error: Option<HostFailure>,
    /// What deploy retired here (stopped instances, removed files), when it retired something.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retired: Option<Retired>,
    /// `--dry-run`: what would change (uploads with diff summaries, ports, starts, restarts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<serde_json::Value>,
}

impl HostReport {
    pub fn new(host: &str) -> HostReport {
        HostReport {
            host: host.to_string(),
            transport: "ssh",
            supervisor: None,
            firewall: None,
            steps: Vec::new(),
            changed: false,
            error: None,
            retired: None,
            plan: None,
        }
    }

    pub fn ok(&self) -> bool {
        self.error.is_none()
    }

    pub fn record(&mut self, step: &'static str, changed: bool, took: Duration, detail: String) {
        self.changed |= changed;
        self.steps.push(StepReport {
            step,
            changed,
            duration_ms: took.as_millis() as u64,
            detail,
        });
    }

    pub fn duration_ms(&self) -> u64 {
        self.steps.iter().map(|s| s.duration_ms).sum()
    }
}

/// What a deploy retires on a host: instances the inventory no longer has (stopped, their unit
/// or pid file removed), files it no longer plans (removed), and the brokers among the instances
/// whose stores stay (deploy never deletes data).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Retired {
    pub instances: Vec<String>,
    pub files: Vec<String>,
    pub stores_kept: Vec<String>,
}

impl Retired {
    pub fn of(retire: &super::manifest::Retire) -> Retired {
        Retired {
            instances: retire.instances.iter().map(|i| i.name.clone()).collect(),
            files: retire.files.clone(),
            stores_kept: retire.brokers().map(|i| i.name.clone()).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.instances.is_empty() && self.files.is_empty()
    }

    /// One line for people: `stopped gateway; removed 2 file(s): /a, /b; kept the store of broker-b`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.instances.is_empty() {
            parts.push(format!(
                "stopped {} (unit or pid file removed)",
                self.instances.join(", ")
            ));
        }
        if !self.files.is_empty() {
            parts.push(format!(
                "removed {} file(s): {}",
                self.files.len(),
                self.files.join(", ")
            ));
        }
        if !self.stores_kept.is_empty() {
            parts.push(format!(
                "kept the store of {} (deploy never deletes data)",
                self.stores_kept.join(", ")
            ));
        }
        parts.join("; ")
    }
}

/// A finding of the verification (registration, sync, reachability).
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub check: &'static str,
    pub target: String,
    pub ok: bool,
    pub detail: String,
}

/// The whole result.
#[derive(Debug, Clone, Serialize)]
pub struct DeployReport {
    pub command: &'static str,
    pub cluster: String,
    pub ok: bool,
    pub changed: bool,
    pub dry_run: bool,
    pub duration_ms: u64,
    pub hosts: Vec<HostReport>,
    pub checks: Vec<Check>,
    /// `--dry-run`: the plan as text (the table output prints it).
    #[serde(skip)]
    pub plan_text: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retired_reads_as_one_line_and_says_stores_stay() {
        let r = Retired {
            instances: vec!["gateway".into(), "broker-b".into()],
            files: vec!["/opt/rmq/conf/gateway.toml".into()],
            stores_kept: vec!["broker-b".into()],
        };
        assert_eq!(
            r.describe(),
            "stopped gateway, broker-b (unit or pid file removed); removed 1 file(s): \
             /opt/rmq/conf/gateway.toml; kept the store of broker-b (deploy never deletes data)"
        );
        assert!(Retired::default().is_empty());
    }
}
