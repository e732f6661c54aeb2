//! The hosts of a plan once connected: each with its transport, what inspection found, and its
//! report so far. Steps run on every healthy host at once; a host that fails is reported with
//! the step, the command and its stderr, and takes no further part, while the others go on.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::join_all;

use super::firewall::{self, FirewallBackend};
use super::inspect::{inspect_script, parse_inspect, HostFacts};
use super::plan::{DeployPlan, HostDeploy};
use super::progress::Progress;
use super::report::{HostFailure, HostReport};
use super::supervisor::Supervisor;
use super::transport::{connect, ConnectOptions, ScriptOutput, Transport};

/// How long one script may take before its host is declared stuck (a cut network would
/// otherwise hold a channel until TCP gives up). Uploads get more per MiB.
pub const SCRIPT_TIMEOUT: Duration = Duration::from_secs(90);

/// One host during an operation.
pub struct HostState {
    pub deploy: HostDeploy,
    pub transport: Option<Arc<dyn Transport>>,
    pub facts: HostFacts,
    pub report: HostReport,
}

impl HostState {
    pub fn name(&self) -> &str {
        &self.deploy.name
    }

    pub fn failed(&self) -> bool {
        self.report.error.is_some()
    }

    /// Records the host's failure (the first one wins: it is the cause).
    pub fn fail(
        &mut self,
        step: &'static str,
        command: Option<&str>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        if self.report.error.is_none() {
            self.report.error = Some(HostFailure {
                step,
                command: command.map(str::to_string),
                message: message.into(),
                hint: hint.into(),
            });
        }
    }

    pub fn supervisor(&self) -> Supervisor {
        self.facts.supervisor(self.deploy.is_local())
    }

    /// Runs a script; a transport error, a time-out or a non-zero exit fails the host and
    /// returns `None`.
    pub async fn exec(
        &mut self,
        step: &'static str,
        script: &str,
        stdin: Option<&[u8]>,
        hint: &str,
    ) -> Option<ScriptOutput> {
        let output = self.try_exec(step, script, stdin).await?;
        if output.ok() {
            return Some(output);
        }
        self.fail(
            step,
            Some(script),
            format!("exit code {}: {}", output.code, output.tail()),
            hint,
        );
        None
    }

    /// Runs a script and returns its output whatever the exit code; only a transport error
    /// or a time-out fails the host.
    pub async fn try_exec(
        &mut self,
        step: &'static str,
        script: &str,
        stdin: Option<&[u8]>,
    ) -> Option<ScriptOutput> {
        let transport = self.transport.clone()?;
        let limit =
            SCRIPT_TIMEOUT + Duration::from_secs(stdin.map_or(0, |b| b.len() as u64 / (1 << 20)));
        match tokio::time::timeout(limit, transport.run(script, stdin)).await {
            Ok(Ok(output)) => Some(output),
            Ok(Err(e)) => {
                let hint = e.hint();
                self.fail(step, Some(script), e.to_string(), hint);
                None
            }
            Err(_) => {
                self.fail(
                    step,
                    Some(script),
                    format!("no answer within {}s", limit.as_secs()),
                    "the host stopped answering: check it and the network, then re-run",
                );
                None
            }
        }
    }
}

/// All hosts of an operation.
pub struct Fleet {
    pub plan: DeployPlan,
    pub hosts: Vec<HostState>,
    pub progress: Progress,
    /// The firewall backend found on each host (inspection), by host index.
    pub firewalls: Vec<FirewallBackend>,
    /// Ports that rules tagged by rmqctl open today, by host index.
    pub opened: Vec<Vec<u16>>,
}

/// Which hosts an operation touches.
pub type HostFilter<'a> = &'a dyn Fn(&HostDeploy) -> bool;

impl Fleet {
    /// Connects to every selected host at once, then inspects them all at once.
    pub async fn open(
        plan: DeployPlan,
        select: HostFilter<'_>,
        options: &ConnectOptions,
        progress: Progress,
    ) -> Fleet {
        let hosts: Vec<HostState> = plan
            .hosts
            .iter()
            .filter(|h| select(h))
            .map(|h| HostState {
                deploy: h.clone(),
                transport: None,
                facts: HostFacts::default(),
                report: HostReport::new(&h.name),
            })
            .collect();
        let count = hosts.len();
        let mut fleet = Fleet {
            plan,
            hosts,
            progress,
            firewalls: vec![FirewallBackend::None; count],
            opened: vec![Vec::new(); count],
        };
        fleet.connect_all(options).await;
        fleet.inspect_all().await;
        fleet
    }

    async fn connect_all(&mut self, options: &ConnectOptions) {
        let progress = &self.progress;
        join_all(self.hosts.iter_mut().map(|host| async move {
            let started = Instant::now();
            progress.step(host.name(), "connect", &access_text(&host.deploy));
            match connect(&host.deploy.access, options).await {
                Ok(transport) => {
                    host.report.transport = transport.kind();
                    host.transport = Some(transport);
                    host.report
                        .record("connect", false, started.elapsed(), String::new());
                }
                Err(e) => {
                    let hint = e.hint();
                    host.fail("connect", None, e.to_string(), hint);
                    progress.finish(host.name(), false, &e.to_string());
                }
            }
        }))
        .await;
    }

    async fn inspect_all(&mut self) {
        let tag = self.plan.firewall_tag.clone();
        let progress = &self.progress;
        let results = join_all(self.hosts.iter_mut().map(|host| {
            let tag = tag.clone();
            async move {
                if host.failed() {
                    return (FirewallBackend::None, Vec::new());
                }
                let started = Instant::now();
                progress.step(host.name(), "inspect", "");
                let mut script = inspect_script(&host.deploy);
                script.push_str(&firewall_inspection(&tag));
                let Some(output) = host
                    .exec(
                        "inspect",
                        &script,
                        None,
                        "check that the host has a POSIX sh",
                    )
                    .await
                else {
                    return (FirewallBackend::None, Vec::new());
                };
                host.facts = parse_inspect(&output.stdout, host.deploy.is_local());
                host.report.supervisor = Some(host.supervisor().name());
                let (backend, opened) = parse_firewall_inspection(&output.stdout);
                host.report.firewall = Some(backend.name());
                host.report
                    .record("inspect", false, started.elapsed(), String::new());
                (backend, opened)
            }
        }))
        .await;
        for (i, (backend, opened)) in results.into_iter().enumerate() {
            self.firewalls[i] = backend;
            self.opened[i] = opened;
        }
    }

    /// Whether every host is still healthy.
    pub fn all_ok(&self) -> bool {
        self.hosts.iter().all(|h| !h.failed())
    }

    /// Ends an operation: every host finished on the progress display, the display cleared,
    /// and the report of `command` with its checks.
    pub fn finish(
        &self,
        command: &'static str,
        checks: Vec<super::report::Check>,
        started: Instant,
    ) -> super::report::DeployReport {
        self.finish_progress();
        self.progress.clear();
        super::pipeline::report(command, self, checks, started, false)
    }

    /// Marks failed hosts as finished on the progress display.
    fn finish_progress(&self) {
        for host in &self.hosts {
            match &host.report.error {
                Some(e) => self
                    .progress
                    .finish(host.name(), false, &format!("{} failed", e.step)),
                None => self.progress.finish(
                    host.name(),
                    true,
                    if host.report.changed {
                        "changed"
                    } else {
                        "unchanged"
                    },
                ),
            }
        }
    }
}

fn access_text(host: &HostDeploy) -> String {
    match &host.access {
        crate::render::derive::HostAccess::Local => "local".into(),
        crate::render::derive::HostAccess::Ssh { destination, .. } => {
            format!("ssh {destination}")
        }
    }
}

/// Appended to the inspection: the firewall backend in force and the ports our tagged rules open.
fn firewall_inspection(tag: &str) -> String {
    let mut s = format!(
        "fw=$( ( {} ) 2>/dev/null | tail -n 1)\necho \"firewall=$fw\"\ncase \"$fw\" in\n",
        firewall::detect_script()
    );
    for backend in [
        FirewallBackend::Firewalld,
        FirewallBackend::Ufw,
        FirewallBackend::Nftables,
        FirewallBackend::Iptables,
    ] {
        let list = firewall::list_script(backend, tag).unwrap_or_default();
        let list = if list.trim().is_empty() {
            "true".to_string()
        } else {
            list
        };
        s.push_str(&format!(
            "  {name}) ( {list}\n) 2>/dev/null | sed 's/^/fwopen=/' ;;\n",
            name = backend.name(),
        ));
    }
    s.push_str("esac\ntrue\n");
    s
}

fn parse_firewall_inspection(stdout: &str) -> (FirewallBackend, Vec<u16>) {
    let mut backend = FirewallBackend::None;
    let mut opened = Vec::new();
    for line in stdout.lines() {
        if let Some(word) = line.strip_prefix("firewall=") {
            backend = firewall::parse_detect(word).unwrap_or(FirewallBackend::None);
        } else if let Some(port) = line.strip_prefix("fwopen=") {
            opened.extend(
                port.split(|c: char| !c.is_ascii_digit())
                    .filter_map(|p| p.parse::<u16>().ok()),
            );
        }
    }
    opened.sort_unstable();
    opened.dedup();
    (backend, opened)
}
