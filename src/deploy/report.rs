//! The result of a deploy or lifecycle command: per host, the steps run (changed or not, how
//! long), and the failure (host, step, command, stderr, what to do); a summary table and JSON.

use std::time::Duration;

use serde::Serialize;

use crate::output::{finish, table};

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

impl DeployReport {
    /// The summary table: one row per host, then failed checks and host errors in full.
    pub fn table(&self) -> String {
        if let Some(plan) = &self.plan_text {
            return format!("{plan}\ndry run: nothing was changed\n");
        }
        let mut t = table(&["host", "result", "changed", "steps", "time"]);
        for host in &self.hosts {
            let result = if host.ok() { "ok" } else { "FAILED" };
            let steps: Vec<String> = host
                .steps
                .iter()
                .map(|s| {
                    if s.changed {
                        format!("{}*", s.step)
                    } else {
                        s.step.to_string()
                    }
                })
                .collect();
            t.add_row(vec![
                host.host.clone(),
                result.to_string(),
                if host.changed { "yes" } else { "no" }.to_string(),
                steps.join(" "),
                format!("{:.2}s", host.duration_ms() as f64 / 1000.0),
            ]);
        }
        let mut out = finish(&t);
        for host in &self.hosts {
            if let Some(error) = &host.error {
                out.push_str(&format!("\n{}: {error}\n", host.host));
            }
        }
        let failed: Vec<&Check> = self.checks.iter().filter(|c| !c.ok).collect();
        if !failed.is_empty() {
            out.push('\n');
            for check in failed {
                out.push_str(&format!(
                    "check failed: {} {}: {}\n",
                    check.check, check.target, check.detail
                ));
            }
        }
        let passed = self.checks.iter().filter(|c| c.ok).count();
        let verdict = if self.ok { "ok" } else { "FAILED" };
        out.push_str(&format!(
            "\n{} {}: {} host(s), {} change(s), {passed}/{} checks passed, {:.2}s ({verdict})\n",
            self.command,
            self.cluster,
            self.hosts.len(),
            if self.changed { "with" } else { "no" },
            self.checks.len(),
            self.duration_ms as f64 / 1000.0,
        ));
        out
    }
}
