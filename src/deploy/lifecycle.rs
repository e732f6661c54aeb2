//! Operations on a deployed inventory: `start`, `stop`, `restart` (rolling), `status` (the
//! supervisor's view merged with the name servers'), `logs` and `destroy`, each limited by
//! `--host`, `--instance` and `--role` filters.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::access::{ClusterAccess, GatewayListener};
use super::firewall::{self, FirewallBackend};
use super::fleet::Fleet;
use super::order::{self, Targets, Waits};
use super::pipeline::verify_cluster;
use super::plan::{DeployPlan, FileSource, HostDeploy, InstancePlan, Role};
use super::progress::Progress;
use super::report::DeployReport;
use super::transport::{quote, ConnectOptions};
use super::verify::endpoint;
use crate::render::derive::ClusterPlan;
use crate::render::templates::RenderedFile;

/// Per-request time-out of `status`'s questions to name servers and slaves.
const STATUS_TIMEOUT: Duration = Duration::from_secs(2);

/// Which instances an operation acts on (empty lists select everything).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub hosts: Vec<String>,
    pub instances: Vec<String>,
    pub roles: Vec<Role>,
}

impl Selection {
    pub fn matches(&self, instance: &InstancePlan) -> bool {
        (self.hosts.is_empty() || self.hosts.contains(&instance.host))
            && (self.instances.is_empty() || self.instances.contains(&instance.name))
            && (self.roles.is_empty() || self.roles.contains(&instance.role))
    }

    pub fn host_selected(&self, host: &HostDeploy) -> bool {
        host.instances.iter().any(|i| self.matches(i))
    }

    /// Names given that match nothing in the plan, for a clear error.
    pub fn unknown(&self, plan: &DeployPlan) -> Vec<String> {
        let mut unknown: Vec<String> = self
            .hosts
            .iter()
            .filter(|h| plan.host(h).is_none())
            .map(|h| format!("host `{h}`"))
            .collect();
        unknown.extend(
            self.instances
                .iter()
                .filter(|i| !plan.instances().any(|p| &p.name == *i))
                .map(|i| format!("instance `{i}`")),
        );
        unknown
    }
}

/// A plan with no binary to upload (lifecycle commands upload nothing).
pub fn plan_without_binary(cluster: &ClusterPlan, files: &[RenderedFile]) -> DeployPlan {
    DeployPlan::build(
        cluster,
        files,
        FileSource::Bytes(std::sync::Arc::from(&[][..])),
    )
}

async fn open(plan: DeployPlan, selection: &Selection, connect: &ConnectOptions) -> Fleet {
    let names: Vec<String> = plan
        .hosts
        .iter()
        .filter(|h| selection.host_selected(h))
        .map(|h| h.name.clone())
        .collect();
    Fleet::open(
        plan,
        &|h| selection.host_selected(h),
        connect,
        Progress::new(&names),
    )
    .await
}

fn selected(fleet: &Fleet, selection: &Selection, only_running: Option<bool>) -> Targets {
    fleet
        .hosts
        .iter()
        .filter(|h| !h.failed())
        .flat_map(|h| {
            h.deploy
                .instances
                .iter()
                .filter(|i| selection.matches(i))
                .filter(move |i| only_running.is_none_or(|r| h.facts.running(&i.name) == r))
                .map(move |i| (h.deploy.name.clone(), i.name.clone()))
        })
        .collect()
}

/// `rmqctl start`: starts what does not run, in order, and verifies.
pub async fn start(
    plan: DeployPlan,
    selection: &Selection,
    connect: &ConnectOptions,
    waits: Waits,
) -> DeployReport {
    let started = Instant::now();
    let mut fleet = open(plan, selection, connect).await;
    let targets = selected(&fleet, selection, Some(false));
    let mut checks = order::start(&mut fleet, &targets, waits).await;
    checks.extend(verify_cluster(&mut fleet, waits).await);
    checks.retain(|c| c.check != "reachable");
    fleet.finish("start", checks, started)
}

/// `rmqctl stop`: gateways, then slaves, then masters, then name servers.
pub async fn stop(
    plan: DeployPlan,
    selection: &Selection,
    connect: &ConnectOptions,
) -> DeployReport {
    let started = Instant::now();
    let mut fleet = open(plan, selection, connect).await;
    let targets = selected(&fleet, selection, Some(true));
    order::stop(&mut fleet, &targets).await;
    fleet.finish("stop", Vec::new(), started)
}

/// `rmqctl restart`: rolling (name servers one at a time, slaves back in sync before masters).
pub async fn restart(
    plan: DeployPlan,
    selection: &Selection,
    connect: &ConnectOptions,
    waits: Waits,
) -> DeployReport {
    let started = Instant::now();
    let mut fleet = open(plan, selection, connect).await;
    let stopped = selected(&fleet, selection, Some(false));
    let running = selected(&fleet, selection, Some(true));
    let mut checks = order::restart(&mut fleet, &running, waits).await;
    checks.extend(order::start(&mut fleet, &stopped, waits).await);
    fleet.finish("restart", checks, started)
}

/// One row of `rmqctl status`.
#[derive(Debug, Clone, Serialize)]
pub struct InstanceStatus {
    pub host: String,
    pub instance: String,
    pub role: &'static str,
    /// `running`, `stopped`, `failed` or `unknown` (host unreachable).
    pub state: String,
    pub pid: Option<u32>,
    pub uptime_s: Option<u64>,
    /// Brokers: registered in every name server with the planned id and address.
    pub registered: Option<bool>,
    /// Slaves: in sync with the master.
    pub in_sync: Option<bool>,
    /// Gateways: `GET /healthz` answers 200 (name server and a writable broker answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthy: Option<bool>,
    /// Why the state is unknown, or what a name server said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// `rmqctl status`.
#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    pub cluster: String,
    pub instances: Vec<InstanceStatus>,
}

impl StatusReport {
    /// Whether every selected instance runs.
    pub fn all_running(&self) -> bool {
        self.instances.iter().all(|i| i.state == "running")
    }
}

/// `rmqctl status`: processes from each host's supervisor, registration and sync from the
/// name servers and slaves, in one table.
pub async fn status(
    plan: DeployPlan,
    selection: &Selection,
    connect: &ConnectOptions,
) -> StatusReport {
    let namesrvs: Vec<String> = plan
        .instances()
        .filter(|i| i.role == Role::Namesrv)
        .map(endpoint)
        .collect();
    let fleet = Fleet::open(
        plan,
        &|h| selection.host_selected(h),
        connect,
        Progress::silent(),
    )
    .await;
    let access = &fleet.plan.access;
    let registrations = registrations(&namesrvs, access).await;
    let mut rows = Vec::new();
    for host in &fleet.hosts {
        for instance in host
            .deploy
            .instances
            .iter()
            .filter(|i| selection.matches(i))
        {
            let process = host.facts.processes.get(&instance.name);
            let mut row = InstanceStatus {
                host: host.deploy.name.clone(),
                instance: instance.name.clone(),
                role: instance.role.as_str(),
                state: process.map_or_else(|| "unknown".to_string(), |p| p.state.clone()),
                pid: process.and_then(|p| p.pid),
                uptime_s: process.and_then(|p| p.uptime_s),
                registered: None,
                in_sync: None,
                healthy: None,
                error: host.report.error.as_ref().map(|e| e.to_string()),
            };
            if instance.role.is_broker() {
                row.registered = Some(registered_everywhere(&registrations, instance));
            }
            if instance.role == Role::Gateway && row.state == "running" {
                row.healthy = Some(gateway_healthy(instance, &access.gateways).await);
            }
            if instance.role == Role::Slave && row.state == "running" {
                row.in_sync = Some(slave_in_sync(instance, access).await);
            }
            rows.push(row);
        }
    }
    StatusReport {
        cluster: fleet.plan.cluster.clone(),
        instances: rows,
    }
}

/// Each name server's broker table: brokerName -> (id -> address); `None` when it did not answer.
async fn registrations(
    namesrvs: &[String],
    access: &ClusterAccess,
) -> Vec<Option<BTreeMap<String, BTreeMap<i64, String>>>> {
    let queries = namesrvs.iter().map(|ns| async move {
        let admin = access.admin(ns, STATUS_TIMEOUT)?;
        let info = admin.cluster_info().await.ok()?;
        Some(
            info.broker_addr_table
                .into_iter()
                .map(|(name, data)| (name, data.broker_addrs))
                .collect(),
        )
    });
    futures::future::join_all(queries).await
}

fn registered_everywhere(
    tables: &[Option<BTreeMap<String, BTreeMap<i64, String>>>],
    broker: &InstancePlan,
) -> bool {
    let name = broker.broker_name.as_deref().unwrap_or_default();
    let id = broker.broker_id.unwrap_or_default();
    !tables.is_empty()
        && tables.iter().all(|t| {
            t.as_ref()
                .and_then(|t| t.get(name))
                .and_then(|addrs| addrs.get(&id))
                .is_some_and(|a| *a == endpoint(broker))
        })
}

async fn gateway_healthy(gateway: &InstancePlan, listener: &GatewayListener) -> bool {
    match super::verify::HealthCheck::new(STATUS_TIMEOUT, listener) {
        Ok(check) => check.healthz(&endpoint(gateway)).await.is_ok(),
        Err(e) => {
            tracing::warn!(error = %e, "cannot ask gateways for their health");
            false
        }
    }
}

async fn slave_in_sync(slave: &InstancePlan, access: &ClusterAccess) -> bool {
    let addr = endpoint(slave);
    let Some(admin) = access.admin(&addr, STATUS_TIMEOUT) else {
        return false;
    };
    admin
        .runtime_info(&addr)
        .await
        .is_ok_and(|kv| kv.get("slaveInSync").map(String::as_str) == Some("true"))
}

/// The script `rmqctl logs` runs on the instance's host.
pub fn logs_script(instance: &InstancePlan, lines: u32, follow: bool) -> String {
    format!(
        "tail -n {lines}{} {}",
        if follow { " -F" } else { "" },
        quote(&instance.log_file)
    )
}

/// `rm -rf` refuses to remove these, whatever an inventory says.
fn safe_to_remove(path: &str) -> bool {
    let p = path.trim_end_matches('/');
    let depth = p.split('/').filter(|c| !c.is_empty()).count();
    p.starts_with('/') && depth >= 2 && !p.contains("/../") && !p.ends_with("/..")
}

/// What destroy removes on a host.
pub fn removal_paths(host: &HostDeploy, keep_data: bool) -> Vec<String> {
    let mut paths = vec![
        format!("{}/bin", host.install_root),
        format!("{}/conf", host.install_root),
        host.run_dir.clone(),
        // What deploy installed: nothing is left to retire once all of it is gone.
        super::manifest::path(host),
    ];
    if !keep_data {
        paths.extend(host.data_dirs.iter().cloned());
        paths.extend(host.log_dirs.iter().cloned());
    }
    paths.retain(|p| safe_to_remove(p));
    paths
}

/// `rmqctl destroy`: stop everything, remove units or pid files, the firewall rules deploy added,
/// the install layout, the deploy manifest and (unless `keep_data`) stores and logs; the install root goes when empty.
pub async fn destroy(plan: DeployPlan, connect: &ConnectOptions, keep_data: bool) -> DeployReport {
    let started = Instant::now();
    let all = Selection::default();
    let mut fleet = open(plan, &all, connect).await;
    let targets = selected(&fleet, &all, None);
    order::stop(&mut fleet, &targets).await;
    let tag = fleet.plan.firewall_tag.clone();
    let firewalls = fleet.firewalls.clone();
    let progress = &fleet.progress;
    futures::future::join_all(
        fleet
            .hosts
            .iter_mut()
            .zip(firewalls)
            .map(|(host, backend)| {
                let tag = tag.clone();
                async move {
                    if host.failed() {
                        return;
                    }
                    let begun = Instant::now();
                    progress.step(host.name(), "remove", "");
                    let instances: Vec<&InstancePlan> = host.deploy.instances.iter().collect();
                    let mut script = host.supervisor().remove_script(&instances);
                    if backend != FirewallBackend::None && !host.deploy.is_local() {
                        match firewall::close_script(backend, &tag) {
                            Ok(close) => script.push_str(&format!("( {close}\n) || exit 1\n")),
                            Err(e) => {
                                let hint = "remove the rules tagged by hand";
                                host.fail("remove", None, e.to_string(), hint);
                                return;
                            }
                        }
                    }
                    let paths: Vec<String> = removal_paths(&host.deploy, keep_data)
                        .iter()
                        .map(|p| quote(p))
                        .collect();
                    script.push_str(&format!("rm -rf {}\n", paths.join(" ")));
                    script.push_str(&format!(
                        "for d in {}; do rmdir \"$d\" 2>/dev/null; done; true\n",
                        [
                            format!("{}/store", host.deploy.install_root),
                            format!("{}/logs", host.deploy.install_root),
                            host.deploy.install_root.clone()
                        ]
                        .iter()
                        .map(|p| quote(p))
                        .collect::<Vec<_>>()
                        .join(" ")
                    ));
                    let hint = "remove what is left by hand; `rmqctl status` shows what still runs";
                    if host.exec("remove", &script, None, hint).await.is_some() {
                        host.report.record(
                            "remove",
                            true,
                            begun.elapsed(),
                            if keep_data {
                                "kept data".into()
                            } else {
                                "everything".into()
                            },
                        );
                    }
                }
            }),
    )
    .await;
    fleet.finish("destroy", Vec::new(), started)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destroy_never_removes_shallow_paths() {
        assert!(safe_to_remove("/opt/rmq/bin"));
        assert!(safe_to_remove("/opt/rmq"));
        assert!(!safe_to_remove("/opt"));
        assert!(!safe_to_remove("/"));
        assert!(!safe_to_remove("relative/path"));
        assert!(!safe_to_remove("/opt/../"));
    }

    #[test]
    fn selection_filters_by_host_instance_and_role() {
        let mut i = InstancePlan {
            name: "broker-a-s".into(),
            role: Role::Slave,
            host: "slave-a".into(),
            address: "10.0.0.2".into(),
            port: 10911,
            ports: vec![],
            unit_name: String::new(),
            args: vec![],
            conf_file: String::new(),
            log_file: "/opt/rmq/logs/broker-a-s/broker-a-s.log".into(),
            pid_file: String::new(),
            broker_name: Some("broker-a".into()),
            broker_id: Some(1),
        };
        assert!(Selection::default().matches(&i));
        let by_role = Selection {
            roles: vec![Role::Master],
            ..Selection::default()
        };
        assert!(!by_role.matches(&i));
        let by_host = Selection {
            hosts: vec!["slave-a".into()],
            ..Selection::default()
        };
        assert!(by_host.matches(&i));
        i.host = "slave-b".into();
        assert!(!by_host.matches(&i));
        assert_eq!(
            logs_script(&i, 50, true),
            "tail -n 50 -F /opt/rmq/logs/broker-a-s/broker-a-s.log"
        );
    }
}
