//! The order of starts, stops and restarts across hosts: name servers, then masters, then slaves,
//! then gateways to start (each phase waiting until the previous one answers); gateways, slaves,
//! masters, then name servers to stop; and rolling restarts: name servers one at a time, then
//! every slave that must restart, back in sync, before its master restarts, gateways last.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use futures::future::join_all;

use super::fleet::{Fleet, HostState};
use super::plan::{InstancePlan, Role};
use super::report::Check;
use super::verify::{endpoint, wait_in_sync, wait_port, wait_registered};

/// `(host, instance)` pairs an operation acts on.
pub type Targets = BTreeSet<(String, String)>;

/// How long a phase waits for what it started to answer.
#[derive(Debug, Clone, Copy)]
pub struct Waits {
    pub start: Duration,
    pub sync: Duration,
}

impl Default for Waits {
    fn default() -> Self {
        Waits {
            start: Duration::from_secs(30),
            sync: Duration::from_secs(60),
        }
    }
}

fn instances_of<'a>(
    host: &'a HostState,
    targets: &'a Targets,
    role: Role,
) -> impl Iterator<Item = &'a InstancePlan> + 'a {
    host.deploy.instances.iter().filter(move |i| {
        i.role == role && targets.contains(&(host.deploy.name.clone(), i.name.clone()))
    })
}

/// Runs `action` for the targets of `role` on every healthy host at once (one script per host).
async fn act(
    fleet: &mut Fleet,
    targets: &Targets,
    role: Role,
    step: &'static str,
    script_of: &(dyn Fn(&HostState, &InstancePlan) -> String + Sync),
) -> Vec<InstancePlan> {
    let progress = &fleet.progress;
    let done = join_all(fleet.hosts.iter_mut().map(|host| async move {
        if host.failed() {
            return Vec::new();
        }
        let chosen: Vec<InstancePlan> = instances_of(host, targets, role).cloned().collect();
        if chosen.is_empty() {
            return Vec::new();
        }
        let names: Vec<&str> = chosen.iter().map(|i| i.name.as_str()).collect();
        progress.step(host.name(), step, &names.join(", "));
        let started = Instant::now();
        let script: String = chosen
            .iter()
            .map(|i| format!("( {}\n) || exit 1\n", script_of(host, i)))
            .collect();
        let hint = match step {
            "stop" => "check the process on the host (`rmqctl logs`)",
            _ => "look at the instance's log (`rmqctl logs INVENTORY INSTANCE`)",
        };
        if host.exec(step, &script, None, hint).await.is_none() {
            return Vec::new();
        }
        host.report
            .record(step, true, started.elapsed(), names.join(", "));
        chosen
    }))
    .await;
    done.into_iter().flatten().collect()
}

fn start_script(host: &HostState, instance: &InstancePlan) -> String {
    host.supervisor().start_script(
        &host.deploy.binary_path,
        instance,
        host.deploy.service_user.as_deref(),
    )
}

fn stop_script(host: &HostState, instance: &InstancePlan) -> String {
    host.supervisor().stop_script(instance)
}

/// Name servers of the plan as `address:port`.
pub fn namesrv_addrs(fleet: &Fleet) -> Vec<String> {
    fleet
        .plan
        .instances()
        .filter(|i| i.role == Role::Namesrv)
        .map(endpoint)
        .collect()
}

/// Starts the targets in order; returns the checks of each phase's wait.
pub async fn start(fleet: &mut Fleet, targets: &Targets, waits: Waits) -> Vec<Check> {
    let mut checks = Vec::new();
    let started = act(fleet, targets, Role::Namesrv, "start", &start_script).await;
    checks.extend(wait_ports(&started, Instant::now() + waits.start).await);
    let namesrvs = namesrv_addrs(fleet);
    let cluster = fleet.plan.cluster.clone();
    let masters = act(fleet, targets, Role::Master, "start", &start_script).await;
    let refs: Vec<&InstancePlan> = masters.iter().collect();
    checks.extend(
        wait_registered(
            &namesrvs,
            &cluster,
            &refs,
            Instant::now() + waits.start,
            &fleet.plan.access,
        )
        .await,
    );
    act(fleet, targets, Role::Slave, "start", &start_script).await;
    let gateways = act(fleet, targets, Role::Gateway, "start", &start_script).await;
    checks.extend(wait_ports(&gateways, Instant::now() + waits.start).await);
    checks
}

async fn wait_ports(instances: &[InstancePlan], deadline: Instant) -> Vec<Check> {
    join_all(instances.iter().map(|i| async move {
        let result = wait_port(&endpoint(i), deadline).await;
        Check {
            check: "listening",
            target: format!("{}@{} ({})", i.name, i.host, endpoint(i)),
            ok: result.is_ok(),
            detail: result.err().unwrap_or_default(),
        }
    }))
    .await
}

/// Stops the targets: gateways, then slaves, then masters, then name servers.
pub async fn stop(fleet: &mut Fleet, targets: &Targets) {
    for role in [Role::Gateway, Role::Slave, Role::Master, Role::Namesrv] {
        act(fleet, targets, role, "stop", &stop_script).await;
    }
}

/// Rolling restart of the targets: name servers one host at a time, then slaves (waiting until
/// they are in sync again), then masters (waiting until registered and their slaves in sync),
/// then gateways (waiting until they listen).
pub async fn restart(fleet: &mut Fleet, targets: &Targets, waits: Waits) -> Vec<Check> {
    let mut checks = Vec::new();
    let restart_script = |host: &HostState, i: &InstancePlan| {
        format!("{}\n{}", stop_script(host, i), start_script(host, i))
    };
    let namesrv_targets: Vec<(String, String)> = targets
        .iter()
        .filter(|(h, i)| {
            fleet
                .plan
                .host(h)
                .and_then(|h| h.instance(i))
                .is_some_and(|i| i.role == Role::Namesrv)
        })
        .cloned()
        .collect();
    for one in namesrv_targets {
        let single: Targets = [one].into_iter().collect();
        let done = act(fleet, &single, Role::Namesrv, "restart", &restart_script).await;
        checks.extend(wait_ports(&done, Instant::now() + waits.start).await);
    }
    let slaves = act(fleet, targets, Role::Slave, "restart", &restart_script).await;
    let refs: Vec<&InstancePlan> = slaves.iter().collect();
    checks.extend(wait_in_sync(&refs, Instant::now() + waits.sync, &fleet.plan.access).await);
    let masters = act(fleet, targets, Role::Master, "restart", &restart_script).await;
    let refs: Vec<&InstancePlan> = masters.iter().collect();
    let namesrvs = namesrv_addrs(fleet);
    let cluster = fleet.plan.cluster.clone();
    checks.extend(
        wait_registered(
            &namesrvs,
            &cluster,
            &refs,
            Instant::now() + waits.start,
            &fleet.plan.access,
        )
        .await,
    );
    let their_slaves: Vec<InstancePlan> = fleet
        .plan
        .instances()
        .filter(|i| i.role == Role::Slave && masters.iter().any(|m| m.broker_name == i.broker_name))
        .cloned()
        .collect();
    let refs: Vec<&InstancePlan> = their_slaves.iter().collect();
    checks.extend(wait_in_sync(&refs, Instant::now() + waits.sync, &fleet.plan.access).await);
    let gateways = act(fleet, targets, Role::Gateway, "restart", &restart_script).await;
    checks.extend(wait_ports(&gateways, Instant::now() + waits.start).await);
    checks
}
