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
