//! Reports of the deploy and lifecycle commands (deploy, start, stop, restart, destroy,
//! status): a summary table per host, then failures in full.

use super::{finish, table, Report};
use crate::calendar::format_age;
use crate::deploy::lifecycle::StatusReport;
use crate::deploy::report::{Check, DeployReport};

/// The summary table: one row per host, then failed checks and host errors in full
/// (`--dry-run`: the plan as text).
impl Report for DeployReport {
    fn text(&self) -> String {
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
            if let Some(retired) = host.retired.as_ref().filter(|r| !r.is_empty()) {
                out.push_str(&format!(
                    "\n{} retired: {}\n",
                    host.host,
                    retired.describe()
                ));
            }
        }
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
        // stop and destroy verify nothing: no "0/0 checks passed" for them.
        let checks = match self.checks.len() {
            0 => String::new(),
            n => format!("{passed}/{n} checks passed, "),
        };
        out.push_str(&format!(
            "\n{} {}: {} host(s), {} change(s), {checks}{:.2}s ({verdict})\n",
            self.command,
            self.cluster,
            self.hosts.len(),
            if self.changed { "with" } else { "no" },
            self.duration_ms as f64 / 1000.0,
        ));
        out
    }
}

/// `rmqctl status`: one row per instance, then what made a state unknown.
impl Report for StatusReport {
    fn text(&self) -> String {
        // The gateways' health column only when the inventory has gateways.
        let gateways = self.instances.iter().any(|i| i.role == "gateway");
        let mut header = vec![
            "host",
            "instance",
            "role",
            "state",
            "pid",
            "uptime",
            "registered",
            "in sync",
        ];
        if gateways {
            header.push("healthy");
        }
        let mut t = table(&header);
        let yes_no = |v: Option<bool>| {
            v.map_or("-".to_string(), |b| {
                if b { "yes" } else { "NO" }.to_string()
            })
        };
        for i in &self.instances {
            let mut row = vec![
                i.host.clone(),
                i.instance.clone(),
                i.role.to_string(),
                i.state.clone(),
                i.pid.map_or("-".into(), |p| p.to_string()),
                i.uptime_s
                    .map_or("-".into(), |s| format_age(s as i64 * 1000)),
                yes_no(i.registered),
                yes_no(i.in_sync),
            ];
            if gateways {
                row.push(yes_no(i.healthy));
            }
            t.add_row(row);
        }
        let mut out = finish(&t);
        for i in self.instances.iter().filter(|i| i.error.is_some()) {
            out.push_str(&format!(
                "{}@{}: {}\n",
                i.instance,
                i.host,
                i.error.as_deref().unwrap_or("")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(checks: Vec<Check>) -> DeployReport {
        DeployReport {
            command: "destroy",
            cluster: "C".into(),
            ok: true,
            changed: true,
            dry_run: false,
            duration_ms: 1_120,
            hosts: Vec::new(),
            checks,
            plan_text: None,
        }
    }

    #[test]
    fn the_summary_counts_checks_only_when_there_were_some() {
        let text = report(Vec::new()).text();
        assert!(
            text.ends_with("destroy C: 0 host(s), with change(s), 1.12s (ok)\n"),
            "{text}"
        );
        let check = |ok| Check {
            check: "registered",
            target: "broker-a".into(),
            ok,
            detail: "no".into(),
        };
        let text = report(vec![check(true), check(false)]).text();
        assert!(text.contains(", 1/2 checks passed, 1.12s"), "{text}");
        assert!(
            text.contains("check failed: registered broker-a: no"),
            "{text}"
        );
    }
}
