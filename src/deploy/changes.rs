//! From a host's plan and what inspection found: the preflight verdict (OS, architecture,
//! commands, service user, disk, ports) and the changes a deploy would make (files to upload,
//! units to reload, ports to open, instances to start or restart, and what the last deploy's
//! manifest lists that the plan no longer has: instances and files to retire). Pure: no host is
//! touched.

use std::collections::BTreeSet;

use serde::Serialize;

use super::binary::{self, BinaryFacts};
use super::firewall::FirewallBackend;
use super::inspect::{HostFacts, BASE_COMMANDS};
use super::manifest::{self, Manifest, Retire};
use super::plan::{FileKind, HostDeploy, PlannedFile};
use super::supervisor::Supervisor;

/// Below this much free space where the stores go, preflight refuses (a broker preallocates
/// commit-log and consume-queue files).
pub const MIN_FREE_KIB: u64 = 1 << 20;

/// A reason the host cannot be deployed to, with what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    pub message: String,
    pub hint: String,
}

/// Why the host cannot run the plan, if it cannot: the binary must run there (architecture,
/// C library), and the commands, user, disk and ports it needs must be there.
pub fn preflight(
    host: &HostDeploy,
    facts: &HostFacts,
    binary: &BinaryFacts,
    firewall: FirewallBackend,
    with_firewall: bool,
) -> Option<Blocker> {
    let host_facts = binary::HostFacts::from_probe(&host.name, &facts.os, &facts.arch, &facts.libc);
    if let Err(e) = binary::check(binary, &host_facts) {
        return Some(Blocker {
            message: e.to_string(),
            hint:
                "a static build runs on any Linux host of its architecture (README: release builds)"
                    .into(),
        });
    }
    let supervisor = facts.supervisor(host.is_local());
    let mut needed: Vec<&str> = BASE_COMMANDS.to_vec();
    needed.extend(supervisor.required_commands());
    if host.service_user.is_some() && supervisor == Supervisor::Nohup {
        needed.push("runuser");
    }
    if with_firewall && !host.is_local() {
        needed.extend(firewall_commands(firewall));
    }
    let missing: Vec<&str> = needed.into_iter().filter(|c| !facts.has(c)).collect();
    if !missing.is_empty() {
        return Some(Blocker {
            message: format!("missing command(s): {}", missing.join(", ")),
            hint: format!(
                "install them on the host (Debian: coreutils, mawk, procps, util-linux, dpkg; RHEL: the same names) or fix sshd's PATH{}",
                if with_firewall { "; or pass --no-firewall" } else { "" }
            ),
        });
    }
    if let (Some(user), Some(false)) = (&host.service_user, facts.service_user_exists) {
        return Some(Blocker {
            message: format!("service user `{user}` does not exist"),
            hint: format!(
                "create it (useradd --system {user}) or change service_user in the inventory"
            ),
        });
    }
    if let Some(free) = facts.free_kib {
        if free < MIN_FREE_KIB {
            return Some(Blocker {
                message: format!(
                    "only {} MiB free where the stores go ({})",
                    free / 1024,
                    host.data_dirs.first().map_or("?", String::as_str)
                ),
                hint: format!(
                    "free at least {} MiB there or point store_root at a larger disk",
                    MIN_FREE_KIB / 1024
                ),
            });
        }
    }
    if let Err(e) = last_manifest(facts) {
        return Some(Blocker {
            message: format!("cannot read {}: {e}", manifest::path(host)),
            hint: "it lists what the last deploy installed there; move it away (deploy then retires nothing it lists and writes a new one)".into(),
        });
    }
    port_conflict(host, facts)
}

/// The manifest the last deploy left on the host (empty when there is none).
pub fn last_manifest(facts: &HostFacts) -> Result<Manifest, manifest::ManifestError> {
    facts
        .manifest
        .as_deref()
        .map_or(Ok(Manifest::default()), Manifest::parse)
}

fn firewall_commands(backend: FirewallBackend) -> &'static [&'static str] {
    match backend {
        FirewallBackend::Firewalld => &["firewall-cmd"],
        FirewallBackend::Ufw => &["ufw"],
        FirewallBackend::Nftables => &["nft"],
        FirewallBackend::Iptables => &["iptables"],
        FirewallBackend::None => &[],
    }
}

/// A port of an instance that is not running but is listening belongs to another program.
fn port_conflict(host: &HostDeploy, facts: &HostFacts) -> Option<Blocker> {
    let ours: BTreeSet<u16> = host
        .instances
        .iter()
        .filter(|i| facts.running(&i.name))
        .flat_map(|i| i.ports.iter().copied())
        .collect();
    for instance in host.instances.iter().filter(|i| !facts.running(&i.name)) {
        for port in &instance.ports {
            if facts.listening.contains(port) && !ours.contains(port) {
                return Some(Blocker {
                    message: format!(
                        "port {port} (needed by {}) is taken by another program",
                        instance.name
                    ),
                    hint: format!(
                        "stop that program (`ss -ltnp 'sport = :{port}'` on the host shows it) or move the instance to other ports in the inventory (listenPort / base_port / [namesrv] port)"
                    ),
                });
            }
        }
    }
    None
}

/// What a deploy changes on one host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HostChanges {
    /// Indexes into `HostDeploy::files` of the files to upload.
    pub uploads: Vec<usize>,
    /// Whether a unit file changed (systemd must re-read them).
    pub units_changed: bool,
    /// Instances that do not run and will be started.
    pub start: Vec<String>,
    /// Instances that run with old files and will be restarted.
    pub restart: Vec<String>,
    /// Ports to open in the firewall.
    pub open_ports: Vec<u16>,
    /// What the last deploy installed and the plan no longer has.
    pub retire: Retire,
}

impl HostChanges {
    pub fn is_empty(&self) -> bool {
        self.uploads.is_empty()
            && self.start.is_empty()
            && self.restart.is_empty()
            && self.open_ports.is_empty()
            && self.retire.is_empty()
    }
}

/// The changes that bring the host to the plan.
pub fn changes(
    host: &HostDeploy,
    facts: &HostFacts,
    firewall: FirewallBackend,
    opened: &[u16],
    with_firewall: bool,
) -> HostChanges {
    let systemd = facts.supervisor(host.is_local()) == Supervisor::Systemd;
    let uploads: Vec<usize> = host
        .files
        .iter()
        .enumerate()
        .filter(|(_, f)| systemd || !f.systemd_only)
        .filter(|(_, f)| facts.checksums.get(&f.remote_path) != Some(&f.sha256))
        .map(|(i, _)| i)
        .collect();
    let touched: BTreeSet<&str> = uploads
        .iter()
        .flat_map(|i| host.files[*i].affects.iter().map(String::as_str))
        .collect();
    let start = host
        .instances
        .iter()
        .filter(|i| !facts.running(&i.name))
        .map(|i| i.name.clone())
        .collect();
    let restart = host
        .instances
        .iter()
        .filter(|i| facts.running(&i.name) && touched.contains(i.name.as_str()))
        .map(|i| i.name.clone())
        .collect();
    let open_ports = if with_firewall && !host.is_local() && firewall != FirewallBackend::None {
        host.open_ports
            .iter()
            .copied()
            .filter(|p| !opened.contains(p))
            .collect()
    } else {
        Vec::new()
    };
    let installed = Manifest::of(host, facts.supervisor(host.is_local()));
    // A manifest that cannot be read blocked the host in preflight.
    let retire = Retire::between(&last_manifest(facts).unwrap_or_default(), &installed);
    HostChanges {
        retire,
        units_changed: uploads
            .iter()
            .any(|i| host.files[*i].kind == FileKind::Unit),
        uploads,
        start,
        restart,
        open_ports,
    }
}

/// `new` or `changed`, for the plan display.
pub fn upload_reason(file: &PlannedFile, facts: &HostFacts) -> &'static str {
    if facts.checksums.contains_key(&file.remote_path) {
        "changed"
    } else {
        "new"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::binary::Arch;
    use crate::deploy::plan::{DeployPlan, FileSource};
    use crate::deploy::plan_fixtures::sync_2m_2s_plan;
    use crate::deploy::supervisor::ProcessState;
    use crate::render::pipeline::render_inventory;
    use crate::render::templates::Templates;
    use std::sync::Arc;

    fn host(name: &str) -> HostDeploy {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/2m-2s-sync.toml");
        let out = render_inventory(&path, &Templates::embedded()).unwrap_or_else(|e| panic!("{e}"));
        let plan = DeployPlan::build(
            &out.plan,
            &out.files,
            FileSource::Bytes(Arc::from(&b"bin"[..])),
        );
        plan.host(name).cloned().unwrap_or_else(|| panic!("{name}"))
    }

    fn x86_static() -> BinaryFacts {
        BinaryFacts {
            path: "/tmp/rmqctl".into(),
            arch: Arch::X86_64,
            linkage: crate::deploy::binary::Linkage::Static,
        }
    }

    fn healthy_facts() -> HostFacts {
        let mut f = HostFacts {
            os: "Linux".into(),
            arch: "x86_64".into(),
            free_kib: Some(10 << 20),
            ..HostFacts::default()
        };
        for c in BASE_COMMANDS.iter().chain(&["start-stop-daemon", "nft"]) {
            f.commands.insert(c.to_string());
        }
        f
    }

    /// The host as a finished deploy leaves it: every planned file there with its checksum.
    fn put_in_place(f: &mut HostFacts, h: &HostDeploy) {
        for file in &h.files {
            f.checksums
                .insert(file.remote_path.clone(), file.sha256.clone());
        }
    }

    /// The remote paths `c` uploads.
    fn uploaded<'a>(c: &HostChanges, h: &'a HostDeploy) -> Vec<&'a str> {
        c.uploads
            .iter()
            .map(|i| h.files[*i].remote_path.as_str())
            .collect()
    }

    fn running(f: &mut HostFacts, name: &str) {
        f.processes.insert(
            name.into(),
            ProcessState {
                instance: name.into(),
                state: "running".into(),
                pid: Some(1),
                uptime_s: Some(1),
            },
        );
    }

    #[test]
    fn preflight_names_the_problem_and_the_fix() {
        let h = host("master-a");
        let ok = healthy_facts();
        assert_eq!(
            preflight(&h, &ok, &x86_static(), FirewallBackend::Nftables, true),
            None
        );
        let mut arm = ok.clone();
        arm.arch = "aarch64".into();
        let b = preflight(&h, &arm, &x86_static(), FirewallBackend::None, true)
            .unwrap_or_else(|| panic!("arch"));
        assert!(
            b.message.contains("aarch64") && b.message.contains("--binary"),
            "{b:?}"
        );
        let mut no_nft = ok.clone();
        no_nft.commands.remove("nft");
        let b = preflight(&h, &no_nft, &x86_static(), FirewallBackend::Nftables, true)
            .unwrap_or_else(|| panic!("nft"));
        assert!(
            b.message.contains("nft") && b.hint.contains("--no-firewall"),
            "{b:?}"
        );
        assert_eq!(
            preflight(&h, &no_nft, &x86_static(), FirewallBackend::Nftables, false),
            None
        );
        let mut full = ok.clone();
        full.free_kib = Some(1000);
        assert!(preflight(&h, &full, &x86_static(), FirewallBackend::None, true).is_some());
        let mut taken = ok.clone();
        taken.listening.insert(10911);
        let b = preflight(&h, &taken, &x86_static(), FirewallBackend::None, true)
            .unwrap_or_else(|| panic!("port"));
        assert!(
            b.message.contains("10911") && b.message.contains("broker-a"),
            "{b:?}"
        );
        // Held by our own running broker: fine.
        running(&mut taken, "broker-a");
        assert_eq!(
            preflight(&h, &taken, &x86_static(), FirewallBackend::None, true),
            None
        );
    }

    #[test]
    fn fresh_host_gets_everything_and_a_converged_one_nothing() {
        let h = host("master-a");
        let fresh = healthy_facts();
        let c = changes(&h, &fresh, FirewallBackend::Nftables, &[], true);
        // No systemd: units are not uploaded.
        assert_eq!(c.uploads, [0, 1, 2]);
        assert!(!c.units_changed);
        assert_eq!(c.start, ["namesrv", "broker-a"]);
        assert!(c.restart.is_empty());
        assert_eq!(c.open_ports, [9876, 10909, 10911, 10912]);

        let mut done = fresh.clone();
        put_in_place(&mut done, &h);
        running(&mut done, "namesrv");
        running(&mut done, "broker-a");
        let c = changes(&h, &done, FirewallBackend::Nftables, &h.open_ports, true);
        assert!(c.is_empty(), "{c:?}");

        // One broker file changed: only that broker restarts.
        done.checksums
            .insert("/opt/rmq/conf/broker-a.properties".into(), "old".into());
        let c = changes(&h, &done, FirewallBackend::Nftables, &h.open_ports, true);
        assert_eq!(c.uploads, [1]);
        assert_eq!(c.restart, ["broker-a"]);
        assert!(c.start.is_empty());
    }

    /// The 2m-2s-sync inventory with `[tls]` over a `tls init` directory.
    fn tls_host(dir: &std::path::Path, name: &str) -> HostDeploy {
        crate::render::tls::tests::tls_init(
            &dir.join("tls"),
            &[
                ("master-a", "10.77.0.11"),
                ("master-b", "10.77.0.13"),
                ("slave-a", "10.77.0.12"),
                ("slave-b", "10.77.0.14"),
            ],
            false,
        );
        let plan = sync_2m_2s_plan(dir, "tls.toml", "\n[tls]\nmode = \"enforcing\"\n");
        assert!(plan.access.tls.is_some(), "checks connect with TLS");
        plan.host(name).cloned().unwrap_or_else(|| panic!("{name}"))
    }

    #[test]
    fn tls_files_are_planned_per_host_and_a_changed_certificate_restarts_its_host() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let h = tls_host(dir.path(), "master-a");
        let tls: Vec<(&str, FileKind, u32, &[String])> = h
            .files
            .iter()
            .filter(|f| f.remote_path.starts_with("/opt/rmq/conf/tls/"))
            .map(|f| (f.remote_path.as_str(), f.kind, f.mode, f.affects.as_slice()))
            .collect();
        let both = ["namesrv".to_string(), "broker-a".to_string()];
        assert_eq!(
            tls,
            [
                (
                    "/opt/rmq/conf/tls/ca.pem",
                    FileKind::Config,
                    0o644,
                    &both[..]
                ),
                (
                    "/opt/rmq/conf/tls/cert.pem",
                    FileKind::Config,
                    0o644,
                    &both[..]
                ),
                (
                    "/opt/rmq/conf/tls/key.pem",
                    FileKind::Secret,
                    0o600,
                    &both[..]
                ),
            ]
        );
        let own_cert =
            std::fs::read_to_string(dir.path().join("tls/master-a.pem")).unwrap_or_default();
        let cert = h
            .files
            .iter()
            .find(|f| f.remote_path.ends_with("/cert.pem"))
            .unwrap_or_else(|| panic!("cert"));
        assert_eq!(cert.source.bytes(), own_cert.as_bytes(), "the host's own");

        let mut done = healthy_facts();
        put_in_place(&mut done, &h);
        running(&mut done, "namesrv");
        running(&mut done, "broker-a");
        let c = changes(&h, &done, FirewallBackend::Nftables, &h.open_ports, true);
        assert!(c.is_empty(), "{c:?}");
        // A renewed certificate on the host's side: uploaded, and both servers restart.
        done.checksums
            .insert("/opt/rmq/conf/tls/cert.pem".into(), "old".into());
        let c = changes(&h, &done, FirewallBackend::Nftables, &h.open_ports, true);
        assert_eq!(uploaded(&c, &h), ["/opt/rmq/conf/tls/cert.pem"]);
        assert_eq!(c.restart, ["namesrv", "broker-a"]);
    }

    #[test]
    fn a_changed_gateway_toml_restarts_only_the_gateway() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let plan = sync_2m_2s_plan(
            dir.path(),
            "gw.toml",
            "\n[gateway]\nhosts = [\"master-a\"]\nallow_callbacks = [\"https://a.example.com/\"]\n",
        );
        let h = plan
            .host("master-a")
            .cloned()
            .unwrap_or_else(|| panic!("master-a"));
        let fresh = healthy_facts();
        let c = changes(&h, &fresh, FirewallBackend::Nftables, &[], true);
        assert_eq!(c.start, ["namesrv", "broker-a", "gateway"]);
        assert_eq!(c.open_ports, [8080, 9876, 10909, 10911, 10912]);
        let mut done = fresh.clone();
        put_in_place(&mut done, &h);
        for name in ["namesrv", "broker-a", "gateway"] {
            running(&mut done, name);
        }
        assert!(changes(&h, &done, FirewallBackend::Nftables, &h.open_ports, true).is_empty());
        done.checksums
            .insert("/opt/rmq/conf/gateway.toml".into(), "old".into());
        let c = changes(&h, &done, FirewallBackend::Nftables, &h.open_ports, true);
        assert_eq!(uploaded(&c, &h), ["/opt/rmq/conf/gateway.toml"]);
        assert_eq!(c.restart, ["gateway"]);
        // Another program on the gateway's port blocks a host whose gateway does not run yet.
        let mut taken = healthy_facts();
        taken.listening.insert(8080);
        let b = preflight(&h, &taken, &x86_static(), FirewallBackend::None, true)
            .unwrap_or_else(|| panic!("port"));
        assert!(
            b.message.contains("8080") && b.message.contains("gateway"),
            "{b:?}"
        );
    }
}

#[cfg(test)]
mod retire_tests {
    use super::*;
    use crate::deploy::manifest::Manifest;
    use crate::deploy::plan::Role;
    use crate::deploy::plan_fixtures::sync_2m_2s_plan;
    use crate::deploy::supervisor::ProcessState;

    fn master_a(extra: &str) -> HostDeploy {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        sync_2m_2s_plan(dir.path(), "inv.toml", extra)
            .host("master-a")
            .cloned()
            .unwrap_or_else(|| panic!("master-a"))
    }

    /// The host as a deploy of `h` left it: every file in place, every instance running, the
    /// manifest written.
    fn deployed(h: &HostDeploy) -> HostFacts {
        let mut f = HostFacts {
            os: "Linux".into(),
            arch: "x86_64".into(),
            free_kib: Some(10 << 20),
            ..HostFacts::default()
        };
        for c in BASE_COMMANDS.iter().chain(&["setsid", "nohup"]) {
            f.commands.insert(c.to_string());
        }
        for file in &h.files {
            f.checksums
                .insert(file.remote_path.clone(), file.sha256.clone());
        }
        for i in &h.instances {
            f.processes.insert(
                i.name.clone(),
                ProcessState {
                    instance: i.name.clone(),
                    state: "running".into(),
                    pid: Some(1),
                    uptime_s: Some(1),
                },
            );
        }
        f.manifest = Some(Manifest::of(h, f.supervisor(false)).render());
        f
    }

    #[test]
    fn removing_the_gateway_and_acl_retires_them_and_restarts_the_brokers() {
        let before = master_a(
            "\n[gateway]\nhosts = [\"master-a\"]\nallow_callbacks = [\"https://a.example.com/\"]\n\
             [acl]\n[[acl.accounts]]\naccess_key = \"rmqadmin\"\nsecret_key = \"admin-secret\"\nadmin = true\n",
        );
        let facts = deployed(&before);
        assert!(
            changes(&before, &facts, FirewallBackend::None, &[], false).is_empty(),
            "a deployed host with its manifest: nothing to do"
        );
        let after = master_a("");
        let c = changes(&after, &facts, FirewallBackend::None, &[], false);
        let retired: Vec<(&str, Role)> = c
            .retire
            .instances
            .iter()
            .map(|i| (i.name.as_str(), i.role))
            .collect();
        assert_eq!(retired, [("gateway", Role::Gateway)]);
        let mut files = c.retire.files.clone();
        files.sort();
        assert_eq!(
            files,
            ["/opt/rmq/conf/gateway.toml", "/opt/rmq/conf/plain_acl.yml"]
        );
        assert!(c.start.is_empty(), "{c:?}");
        assert!(
            c.restart.contains(&"broker-a".to_string()),
            "aclEnable goes away: {c:?}"
        );
        // Once deployed (manifest rewritten), nothing is left to retire.
        let done = deployed(&after);
        assert!(changes(&after, &done, FirewallBackend::None, &[], false).is_empty());
    }

    #[test]
    fn a_damaged_manifest_blocks_the_host_and_says_where() {
        let h = master_a("");
        let mut facts = deployed(&h);
        facts.manifest = Some("file\tetc/passwd\n".into());
        let b = preflight(
            &h,
            &facts,
            &BinaryFacts {
                path: "/tmp/rmqctl".into(),
                arch: crate::deploy::binary::Arch::X86_64,
                linkage: crate::deploy::binary::Linkage::Static,
            },
            FirewallBackend::None,
            false,
        )
        .unwrap_or_else(|| panic!("blocked"));
        assert!(
            b.message.contains("/opt/rmq/rmqctl-manifest") && b.message.contains("line 1"),
            "{b:?}"
        );
    }
}
