//! `rmqctl deploy`: from a rendered inventory to a verified cluster. Connect to and inspect every
//! host at once, check each (preflight), work out what changes, show the plan (and stop there on
//! `--dry-run`, or ask), stop what the inventory no longer has (retire), upload and open ports
//! on every host at once, start in order, restart what changed (rolling), remove the files no
//! longer planned, record what is installed (the host's manifest), and verify registration, sync
//! and reachability from peer hosts.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use super::apply;
use super::binary::{choose_upload_binary, BinaryError, BinaryFacts};
use super::changes::{changes, last_manifest, preflight, upload_reason, HostChanges};
use super::fleet::{Fleet, HostState};
use super::manifest::Manifest;
use super::order::{self, Targets, Waits};
use super::plan::{DeployPlan, FileKind, FileSource, HostDeploy, InstancePlan, Role};
use super::progress::Progress;
use super::report::{Check, DeployReport, Retired};
use super::transport::{quote, ConnectOptions};
use super::verify::{endpoint, parse_probe, wait_healthy, wait_in_sync, wait_registered};
use crate::render::derive::ClusterPlan;
use crate::render::templates::RenderedFile;
use crate::render::writer::line_diff;

/// How a deploy runs.
#[derive(Debug, Clone, Default)]
pub struct DeployOptions {
    pub dry_run: bool,
    /// Open firewall ports (off with `--no-firewall`).
    pub firewall: bool,
    pub connect: ConnectOptions,
    /// The executable to upload (default: the running one).
    pub binary: Option<PathBuf>,
    pub waits: Waits,
}

/// Asked before anything changes, with the plan's text; `Ok(false)` stops the deploy.
pub type Confirm<'a> = &'a (dyn Fn(&str) -> anyhow::Result<bool> + Sync);

/// Why a deploy did not start changing hosts.
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    #[error("cannot read the binary to upload {path}: {source}")]
    Binary {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Executable(#[from] BinaryError),
    #[error("deploy was not confirmed; nothing was changed")]
    NotConfirmed,
    #[error(transparent)]
    Confirm(anyhow::Error),
}

/// The executable deploy uploads (`--binary`, the inventory's `binary`, else a portable build
/// found next to this one, else this one: see `binary::choose_upload_binary`), its ELF facts,
/// and its bytes, read once and shared by every host.
pub fn read_binary(
    explicit: Option<&std::path::Path>,
) -> Result<(BinaryFacts, FileSource), DeployError> {
    let current = std::env::current_exe().map_err(|source| DeployError::Binary {
        path: PathBuf::from("rmqctl"),
        source,
    })?;
    let path = choose_upload_binary(&current, explicit)?;
    let bytes = std::fs::read(&path).map_err(|source| DeployError::Binary {
        path: path.clone(),
        source,
    })?;
    let facts = BinaryFacts::parse(&path, &bytes)?;
    Ok((facts, FileSource::Bytes(Arc::from(bytes))))
}

/// Runs a deploy and returns its report (hosts that failed are in it; the caller exits 1).
pub async fn deploy(
    cluster: &ClusterPlan,
    files: &[RenderedFile],
    options: &DeployOptions,
    confirm: Confirm<'_>,
) -> Result<DeployReport, DeployError> {
    let started = Instant::now();
    let explicit = options
        .binary
        .clone()
        .or_else(|| cluster.binary.as_ref().map(PathBuf::from));
    let (facts, binary) = read_binary(explicit.as_deref())?;
    let plan = DeployPlan::build(cluster, files, binary);
    let names: Vec<String> = plan.hosts.iter().map(|h| h.name.clone()).collect();
    let mut fleet = Fleet::open(plan, &|_| true, &options.connect, Progress::new(&names)).await;
    fleet.progress.note(&format!(
        "uploading {} ({})",
        facts.path.display(),
        facts.describe()
    ));
    let host_changes = plan_changes(&mut fleet, options, &facts);
    let any_change = host_changes.iter().any(|c| !c.is_empty());
    let plan_text = plan_text(&fleet, &host_changes);
    if options.dry_run {
        let diffs = config_diffs(&mut fleet, &host_changes).await;
        fleet.progress.clear();
        return Ok(dry_run_report(&fleet, &host_changes, &diffs, started));
    }
    if any_change {
        fleet.progress.clear();
        if !confirm(&plan_text).map_err(DeployError::Confirm)? {
            return Err(DeployError::NotConfirmed);
        }
    }
    apply_all(&mut fleet, &host_changes, options).await;
    let mut checks = Vec::new();
    let start: Targets = targets(&fleet, &host_changes, |c| &c.start);
    let restart: Targets = targets(&fleet, &host_changes, |c| &c.restart);
    checks.extend(order::start(&mut fleet, &start, options.waits).await);
    checks.extend(order::restart(&mut fleet, &restart, options.waits).await);
    finish_hosts(&mut fleet, &host_changes).await;
    checks.extend(verify_cluster(&mut fleet, options.waits).await);
    Ok(fleet.finish("deploy", checks, started))
}

/// Preflight every host and compute its changes (a blocked host fails here).
fn plan_changes(
    fleet: &mut Fleet,
    options: &DeployOptions,
    binary: &BinaryFacts,
) -> Vec<HostChanges> {
    let mut out = Vec::new();
    for (i, host) in fleet.hosts.iter_mut().enumerate() {
        if host.failed() {
            out.push(HostChanges::default());
            continue;
        }
        let firewall = fleet.firewalls[i];
        if let Some(blocker) = preflight(
            &host.deploy,
            &host.facts,
            binary,
            firewall,
            options.firewall,
        ) {
            host.fail("preflight", None, blocker.message, blocker.hint);
            out.push(HostChanges::default());
            continue;
        }
        host.report
            .record("preflight", false, Duration::ZERO, String::new());
        out.push(changes(
            &host.deploy,
            &host.facts,
            firewall,
            &fleet.opened[i],
            options.firewall,
        ));
    }
    out
}

fn targets(
    fleet: &Fleet,
    changes: &[HostChanges],
    pick: fn(&HostChanges) -> &Vec<String>,
) -> Targets {
    fleet
        .hosts
        .iter()
        .zip(changes)
        .filter(|(h, _)| !h.failed())
        .flat_map(|(h, c)| pick(c).iter().map(|i| (h.deploy.name.clone(), i.clone())))
        .collect()
}

async fn apply_all(fleet: &mut Fleet, changes: &[HostChanges], options: &DeployOptions) {
    let progress = &fleet.progress;
    let tag = fleet.plan.firewall_tag.clone();
    let firewalls = fleet.firewalls.clone();
    futures::future::join_all(fleet.hosts.iter_mut().zip(changes).zip(firewalls).map(
        |((host, change), backend)| {
            let tag = tag.clone();
            async move {
                // Listed before anything changes: what was and what will be installed, so a
                // deploy that stops half-way still leaves every file it put there listed.
                let installed = Manifest::of(&host.deploy, host.supervisor());
                let before = last_manifest(&host.facts).unwrap_or_default();
                apply::write_manifest(host, &before.union(&installed)).await;
                apply::stop_retired(host, change, progress).await;
                apply::upload(host, change, progress).await;
                if options.firewall {
                    apply::open_ports(host, change, backend, &tag, progress).await;
                }
            }
        },
    ))
    .await;
}

/// On every host still healthy after the starts and restarts: remove the files no longer
/// planned, then record what this deploy installed.
async fn finish_hosts(fleet: &mut Fleet, changes: &[HostChanges]) {
    futures::future::join_all(fleet.hosts.iter_mut().zip(changes).map(
        |(host, change)| async move {
            apply::remove_retired_files(host, change).await;
            let installed = Manifest::of(&host.deploy, host.supervisor());
            apply::write_manifest(host, &installed).await;
        },
    ))
    .await;
}

/// The plan as a person reads it: per host what changes, then the start order.
pub fn plan_text(fleet: &Fleet, changes: &[HostChanges]) -> String {
    let mut out = String::new();
    for (i, (host, change)) in fleet.hosts.iter().zip(changes).enumerate() {
        let d = &host.deploy;
        out.push_str(&format!(
            "{} ({}, {}, firewall {})\n",
            d.name,
            d.address,
            host.supervisor().name(),
            fleet.firewalls[i].name()
        ));
        if let Some(e) = &host.report.error {
            out.push_str(&format!("  cannot deploy: {e}\n"));
            continue;
        }
        if change.is_empty() {
            out.push_str("  nothing to change\n");
            continue;
        }
        for f in change.uploads.iter().map(|i| &d.files[*i]) {
            out.push_str(&format!(
                "  upload   {:<48} {:>9}  {}\n",
                f.remote_path,
                apply::human_bytes(f.len()),
                upload_reason(f, &host.facts)
            ));
        }
        if !change.open_ports.is_empty() {
            let ports: Vec<String> = change.open_ports.iter().map(u16::to_string).collect();
            out.push_str(&format!(
                "  firewall open {} ({}{})\n",
                ports.join(","),
                fleet.firewalls[i].name(),
                if fleet.firewalls[i].persistent() {
                    ""
                } else {
                    ", runtime only"
                }
            ));
        }
        if !change.start.is_empty() {
            out.push_str(&format!("  start    {}\n", change.start.join(", ")));
        }
        if !change.restart.is_empty() {
            out.push_str(&format!("  restart  {}\n", change.restart.join(", ")));
        }
        out.push_str(&retire_text(change));
    }
    let order: Vec<String> = [Role::Namesrv, Role::Master, Role::Slave, Role::Gateway]
        .iter()
        .map(|role| {
            fleet
                .hosts
                .iter()
                .zip(changes)
                .flat_map(|(h, c)| {
                    h.deploy
                        .instances
                        .iter()
                        .filter(|i| i.role == *role && c.start.contains(&i.name))
                        .map(|i| format!("{}@{}", i.name, i.host))
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|s| !s.is_empty())
        .collect();
    if !order.is_empty() {
        out.push_str(&format!("start order: {}\n", order.join(" -> ")));
    }
    out
}

/// The retire lines of a host's plan: instances stopped first, files removed last, stores kept.
fn retire_text(change: &HostChanges) -> String {
    let mut out = String::new();
    for i in &change.retire.instances {
        out.push_str(&format!(
            "  retire   {} (no longer in the inventory: stopped if running, its {} removed)\n",
            i.name,
            if i.supervisor == super::supervisor::Supervisor::Systemd {
                "unit"
            } else {
                "pid file"
            }
        ));
    }
    for f in &change.retire.files {
        out.push_str(&format!("  remove   {f} (no longer planned)\n"));
    }
    for b in change.retire.brokers() {
        out.push_str(&format!(
            "  keep     the store of {} (deploy never deletes data)\n",
            b.name
        ));
    }
    out
}

/// For `--dry-run`: `+N -M lines` of each changed config file against what the host has.
async fn config_diffs(fleet: &mut Fleet, changes: &[HostChanges]) -> Vec<Vec<(String, String)>> {
    let mut all = Vec::new();
    for (host, change) in fleet.hosts.iter_mut().zip(changes) {
        let mut diffs = Vec::new();
        for i in &change.uploads {
            let file = host.deploy.files[*i].clone();
            if file.kind == FileKind::Binary
                || !host.facts.checksums.contains_key(&file.remote_path)
            {
                continue;
            }
            if file.kind == FileKind::Secret {
                // Keys and passwords: say that it changed, never what.
                diffs.push((
                    file.remote_path.clone(),
                    "secret: contents not shown".into(),
                ));
                continue;
            }
            let script = format!("cat {}", quote(&file.remote_path));
            let Some(out) = host.try_exec("diff", &script, None).await else {
                continue;
            };
            let new = String::from_utf8_lossy(file.source.bytes()).into_owned();
            diffs.push((file.remote_path.clone(), diff_summary(&out.stdout, &new)));
        }
        all.push(diffs);
    }
    all
}

/// `+1 -1 lines: -brokerRole=ASYNC_MASTER +brokerRole=SYNC_MASTER`.
pub fn diff_summary(old: &str, new: &str) -> String {
    let diff = line_diff(old, new);
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with('+') || l.starts_with('-'))
        .collect();
    let plus = changed.iter().filter(|l| l.starts_with('+')).count();
    let minus = changed.len() - plus;
    let shown: Vec<&str> = changed.iter().take(6).copied().collect();
    format!("+{plus} -{minus} lines: {}", shown.join(" "))
}

fn dry_run_report(
    fleet: &Fleet,
    changes: &[HostChanges],
    diffs: &[Vec<(String, String)>],
    started: Instant,
) -> DeployReport {
    let mut report = report("deploy", fleet, Vec::new(), started, true);
    for ((host, change), (state, diffs)) in report
        .hosts
        .iter_mut()
        .zip(changes)
        .zip(fleet.hosts.iter().zip(diffs))
    {
        let uploads: Vec<serde_json::Value> = change
            .uploads
            .iter()
            .map(|i| {
                let f = &state.deploy.files[*i];
                json!({
                    "path": f.remote_path,
                    "bytes": f.len(),
                    "reason": upload_reason(f, &state.facts),
                    "diff": diffs.iter().find(|(p, _)| *p == f.remote_path).map(|(_, d)| d),
                })
            })
            .collect();
        host.changed = !change.is_empty();
        host.plan = Some(json!({
            "uploads": uploads,
            "open_ports": change.open_ports,
            "start": change.start,
            "restart": change.restart,
            "retire": Retired::of(&change.retire),
        }));
    }
    report.changed = report.hosts.iter().any(|h| h.changed);
    report.plan_text = Some(
        plan_text(fleet, changes)
            + &diffs
                .iter()
                .flatten()
                .map(|(p, d)| format!("  diff {p}: {d}\n"))
                .collect::<String>(),
    );
    report
}

/// Builds the report of a finished operation.
pub fn report(
    command: &'static str,
    fleet: &Fleet,
    checks: Vec<Check>,
    started: Instant,
    dry_run: bool,
) -> DeployReport {
    let hosts: Vec<_> = fleet.hosts.iter().map(|h| h.report.clone()).collect();
    DeployReport {
        command,
        cluster: fleet.plan.cluster.clone(),
        ok: hosts.iter().all(|h| h.ok()) && checks.iter().all(|c| c.ok),
        changed: hosts.iter().any(|h| h.changed),
        dry_run,
        duration_ms: started.elapsed().as_millis() as u64,
        hosts,
        checks,
        plan_text: None,
    }
}

/// Registration of every broker in every name server, slaves in sync, every gateway's
/// `/healthz` answering 200, and every port of every host reachable from a peer host (only
/// healthy hosts take part).
pub async fn verify_cluster(fleet: &mut Fleet, waits: Waits) -> Vec<Check> {
    fleet
        .progress
        .note("verifying: registration, sync, gateway health, reachability from peers");
    let healthy: BTreeSet<String> = fleet
        .hosts
        .iter()
        .filter(|h| !h.failed())
        .map(|h| h.deploy.name.clone())
        .collect();
    let namesrvs: Vec<String> = fleet
        .plan
        .instances()
        .filter(|i| i.role == Role::Namesrv && healthy.contains(&i.host))
        .map(endpoint)
        .collect();
    let brokers: Vec<InstancePlan> = fleet
        .plan
        .instances()
        .filter(|i| i.role.is_broker() && healthy.contains(&i.host))
        .cloned()
        .collect();
    let refs: Vec<&InstancePlan> = brokers.iter().collect();
    let deadline = Instant::now() + waits.start;
    let cluster = fleet.plan.cluster.clone();
    let access = &fleet.plan.access;
    let gateways: Vec<InstancePlan> = fleet
        .plan
        .instances()
        .filter(|i| i.role == Role::Gateway && healthy.contains(&i.host))
        .cloned()
        .collect();
    let gateway_refs: Vec<&InstancePlan> = gateways.iter().collect();
    let (registered, in_sync, gateways_healthy) = tokio::join!(
        wait_registered(&namesrvs, &cluster, &refs, deadline, access),
        wait_in_sync(&refs, Instant::now() + waits.sync, access),
        wait_healthy(&gateway_refs, &access.gateways, deadline),
    );
    // Probed once the instances answer: a refused connection then means a real problem.
    let reachable = probe_from_peers(&mut fleet.hosts).await;
    let mut checks = registered;
    checks.extend(in_sync);
    checks.extend(gateways_healthy);
    checks.extend(reachable);
    checks
}

/// Every host's planned ports, probed from another healthy SSH host with its uploaded rmqctl.
async fn probe_from_peers(hosts: &mut [HostState]) -> Vec<Check> {
    let remote: Vec<usize> = (0..hosts.len())
        .filter(|i| !hosts[*i].failed() && !hosts[*i].deploy.is_local())
        .collect();
    if remote.len() < 2 {
        return Vec::new();
    }
    // Host remote[k] is probed from remote[k+1] (cyclic): every host probes one other.
    let mut jobs: Vec<(usize, Vec<String>, String)> = Vec::new();
    for (k, target) in remote.iter().enumerate() {
        let from = remote[(k + 1) % remote.len()];
        let t: &HostDeploy = &hosts[*target].deploy;
        let addrs: Vec<String> = t
            .open_ports
            .iter()
            .map(|p| format!("{}:{p}", t.address))
            .collect();
        jobs.push((from, addrs, t.name.clone()));
    }
    let mut by_host: Vec<Vec<(Vec<String>, String)>> = vec![Vec::new(); hosts.len()];
    for (from, addrs, target) in jobs {
        by_host[from].push((addrs, target));
    }
    let results = futures::future::join_all(hosts.iter_mut().zip(by_host).map(
        |(host, jobs)| async move {
            let mut checks = Vec::new();
            for (addrs, target) in jobs {
                let quoted: Vec<String> = addrs.iter().map(|a| quote(a)).collect();
                let script = format!(
                    "{} __probe --timeout-ms 1000 {}",
                    quote(&host.deploy.binary_path),
                    quoted.join(" ")
                );
                let from = host.deploy.name.clone();
                let Some(out) = host.try_exec("verify", &script, None).await else {
                    continue;
                };
                for (addr, result) in parse_probe(&out.stdout) {
                    checks.push(Check {
                        check: "reachable",
                        target: format!("{target} {addr} from {from}"),
                        ok: result.is_ok(),
                        detail: result
                            .err()
                            .map(|e| unreachable_detail(&e))
                            .unwrap_or_default(),
                    });
                }
            }
            checks
        },
    ))
    .await;
    results.into_iter().flatten().collect()
}

/// What a failed probe from a peer means.
fn unreachable_detail(error: &str) -> String {
    if error.contains("refused") {
        format!("{error}: nothing listens there (is the instance down? `rmqctl logs`)")
    } else {
        format!("{error}: peers cannot reach the port (a firewall drops it?); open it, or let deploy do it (no --no-firewall)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_summary_counts_and_shows_the_lines() {
        let s = diff_summary("a=1\nb=2\n", "a=1\nb=3\n");
        assert_eq!(s, "+1 -1 lines: -b=2 +b=3");
    }
}
