//! The deploy manifest: what deploy installed on one host (its supervised instances and the
//! remote paths of its files), kept at `<install_root>/rmqctl-manifest` (0600) so that the next
//! deploy can retire what the inventory no longer has. Only what a manifest lists is ever
//! retired. The format is one tab-separated record a line:
//!
//! ```text
//! # rmqctl deploy manifest: written by `rmqctl deploy`, read by the next one; do not edit
//! instance<TAB>NAME<TAB>ROLE<TAB>SUPERVISOR<TAB>UNIT<TAB>PID_FILE<TAB>CONF_FILE
//! file<TAB>PATH
//! ```

use serde::Serialize;

use super::plan::{HostDeploy, InstancePlan, Role};
use super::supervisor::Supervisor;

/// The manifest's file name under the install root.
pub const FILE_NAME: &str = "rmqctl-manifest";

const HEADER: &str =
    "# rmqctl deploy manifest: written by `rmqctl deploy`, read by the next one; do not edit";

/// Where the manifest of `host` lives.
pub fn path(host: &HostDeploy) -> String {
    format!("{}/{FILE_NAME}", host.install_root.trim_end_matches('/'))
}

/// An instance deploy started on the host, with what stopping it and removing its unit or pid
/// file needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestInstance {
    pub name: String,
    pub role: Role,
    pub supervisor: Supervisor,
    pub unit_name: String,
    pub pid_file: String,
    pub conf_file: String,
}

impl ManifestInstance {
    fn of(instance: &InstancePlan, supervisor: Supervisor) -> ManifestInstance {
        ManifestInstance {
            name: instance.name.clone(),
            role: instance.role,
            supervisor,
            unit_name: instance.unit_name.clone(),
            pid_file: instance.pid_file.clone(),
            conf_file: instance.conf_file.clone(),
        }
    }

    /// The instance as the supervisor scripts take it (stop, remove); fields they do not read
    /// stay empty.
    pub fn as_instance(&self, host: &str) -> InstancePlan {
        InstancePlan {
            name: self.name.clone(),
            role: self.role,
            host: host.to_string(),
            address: String::new(),
            port: 0,
            ports: Vec::new(),
            unit_name: self.unit_name.clone(),
            args: Vec::new(),
            conf_file: self.conf_file.clone(),
            log_file: String::new(),
            pid_file: self.pid_file.clone(),
            broker_name: None,
            broker_id: None,
        }
    }
}

/// What deploy installed on one host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// In start order.
    pub instances: Vec<ManifestInstance>,
    pub files: Vec<String>,
}

/// A manifest line that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ManifestError {
    pub line: usize,
    pub reason: String,
}

impl Manifest {
    /// What the plan of `host` installs under `supervisor` (units only where systemd runs them).
    pub fn of(host: &HostDeploy, supervisor: Supervisor) -> Manifest {
        let systemd = supervisor == Supervisor::Systemd;
        Manifest {
            instances: host
                .instances
                .iter()
                .map(|i| ManifestInstance::of(i, supervisor))
                .collect(),
            files: host
                .files
                .iter()
                .filter(|f| systemd || !f.systemd_only)
                .map(|f| f.remote_path.clone())
                .collect(),
        }
    }

    /// Everything of `self` and `other` (an instance of both as `other` has it): written before
    /// a deploy changes a host, so an interrupted deploy still leaves what it installed listed.
    pub fn union(&self, other: &Manifest) -> Manifest {
        let mut instances: Vec<ManifestInstance> = self
            .instances
            .iter()
            .filter(|i| !other.instances.iter().any(|o| o.name == i.name))
            .cloned()
            .collect();
        instances.extend(other.instances.iter().cloned());
        instances.sort_by_key(|i| i.role);
        let mut files = self.files.clone();
        files.extend(
            other
                .files
                .iter()
                .filter(|f| !self.files.contains(f))
                .cloned(),
        );
        Manifest { instances, files }
    }

    /// The file's text. Fields holding a tab or a line break cannot be written: the inventory
    /// never yields such names or paths, and such a record is left out rather than corrupt.
    pub fn render(&self) -> String {
        let mut out = format!("{HEADER}\n");
        for i in &self.instances {
            let fields = [
                "instance",
                &i.name,
                i.role.as_str(),
                i.supervisor.name(),
                &i.unit_name,
                &i.pid_file,
                &i.conf_file,
            ];
            if fields.iter().all(|f| writable(f)) {
                out.push_str(&fields.join("\t"));
                out.push('\n');
            }
        }
        for f in self.files.iter().filter(|f| writable(f)) {
            out.push_str(&format!("file\t{f}\n"));
        }
        out
    }

    /// Reads a manifest's text (comments and blank lines skipped).
    pub fn parse(text: &str) -> Result<Manifest, ManifestError> {
        let mut manifest = Manifest::default();
        for (n, line) in text.lines().enumerate() {
            let line_no = n + 1;
            let bad = |reason: String| ManifestError {
                line: line_no,
                reason,
            };
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["instance", name, role, supervisor, unit, pid, conf] => {
                    let role =
                        parse_role(role).ok_or_else(|| bad(format!("unknown role `{role}`")))?;
                    let supervisor = parse_supervisor(supervisor)
                        .ok_or_else(|| bad(format!("unknown supervisor `{supervisor}`")))?;
                    for path in [pid, conf] {
                        absolute(path).map_err(&bad)?;
                    }
                    if name.is_empty() || unit.contains('/') {
                        return Err(bad("empty instance name or a unit name with `/`".into()));
                    }
                    manifest.instances.push(ManifestInstance {
                        name: name.to_string(),
                        role,
                        supervisor,
                        unit_name: unit.to_string(),
                        pid_file: pid.to_string(),
                        conf_file: conf.to_string(),
                    });
                }
                ["file", path] => {
                    absolute(path).map_err(&bad)?;
                    manifest.files.push(path.to_string());
                }
                _ => {
                    return Err(bad(format!(
                        "expected `instance` (7 fields) or `file` (2 fields), found `{}`",
                        fields.first().copied().unwrap_or("")
                    )))
                }
            }
        }
        Ok(manifest)
    }
}

fn writable(field: &str) -> bool {
    !field.contains(['\t', '\n', '\r'])
}

fn absolute(path: &str) -> Result<(), String> {
    if path.starts_with('/') && !path.split('/').any(|part| part == "..") {
        Ok(())
    } else {
        Err(format!("`{path}` is not an absolute path without `..`"))
    }
}

fn parse_role(word: &str) -> Option<Role> {
    [Role::Namesrv, Role::Master, Role::Slave, Role::Gateway]
        .into_iter()
        .find(|r| r.as_str() == word)
}

fn parse_supervisor(word: &str) -> Option<Supervisor> {
    [
        Supervisor::Systemd,
        Supervisor::StartStopDaemon,
        Supervisor::Nohup,
    ]
    .into_iter()
    .find(|s| s.name() == word)
}

/// What a deploy retires on one host: instances and files the manifest lists and the plan no
/// longer has.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Retire {
    /// In stop order: gateways, slaves, masters, name servers.
    pub instances: Vec<ManifestInstance>,
    /// Removed after the new files are in place and the instances (re)started.
    pub files: Vec<String>,
}

impl Retire {
    pub fn is_empty(&self) -> bool {
        self.instances.is_empty() && self.files.is_empty()
    }

    /// `old` (the host's manifest) minus `new` (what this deploy installs).
    pub fn between(old: &Manifest, new: &Manifest) -> Retire {
        let mut instances: Vec<ManifestInstance> = old
            .instances
            .iter()
            .filter(|i| !new.instances.iter().any(|n| n.name == i.name))
            .cloned()
            .collect();
        instances.sort_by_key(|i| std::cmp::Reverse(i.role));
        let files = old
            .files
            .iter()
            .filter(|f| !new.files.contains(f))
            .cloned()
            .collect();
        Retire { instances, files }
    }

    /// The brokers among the retired instances (their stores stay on the host).
    pub fn brokers(&self) -> impl Iterator<Item = &ManifestInstance> {
        self.instances.iter().filter(|i| i.role.is_broker())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::plan_fixtures::sync_2m_2s_plan;

    fn host(extra: &str, name: &str) -> HostDeploy {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let plan = sync_2m_2s_plan(dir.path(), "inv.toml", extra);
        plan.host(name).cloned().unwrap_or_else(|| panic!("{name}"))
    }

    const GATEWAY_AND_ACL: &str = "\n[gateway]\nhosts = [\"master-a\"]\n\
        allow_callbacks = [\"https://a.example.com/\"]\n\
        [acl]\n[[acl.accounts]]\naccess_key = \"rmqadmin\"\nsecret_key = \"admin-secret-12345678\"\nadmin = true\n";

    #[test]
    fn a_manifest_reads_back_as_written() {
        let h = host(GATEWAY_AND_ACL, "master-a");
        let m = Manifest::of(&h, Supervisor::Systemd);
        assert_eq!(
            m.instances
                .iter()
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>(),
            ["namesrv", "broker-a", "gateway"]
        );
        assert!(m.files.contains(&"/opt/rmq/conf/gateway.toml".to_string()));
        assert!(m.files.contains(&"/opt/rmq/conf/plain_acl.yml".to_string()));
        assert!(m
            .files
            .contains(&"/etc/systemd/system/rmqctl-gateway.service".to_string()));
        let text = m.render();
        assert!(text.starts_with("# rmqctl deploy manifest"));
        assert!(text.contains(
            "instance\tgateway\tgateway\tsystemd\trmqctl-gateway.service\t/opt/rmq/run/gateway.pid\t/opt/rmq/conf/gateway.toml\n"
        ));
        assert!(!text.contains("admin-secret"), "paths only, never contents");
        assert_eq!(Manifest::parse(&text), Ok(m));
        // Under nohup the units are not installed, so not listed.
        let nohup = Manifest::of(&h, Supervisor::Nohup);
        assert!(nohup.files.iter().all(|f| !f.starts_with("/etc/systemd")));
        assert_eq!(nohup.instances[0].supervisor, Supervisor::Nohup);
    }

    #[test]
    fn a_damaged_manifest_says_which_line() {
        let e = Manifest::parse("# c\nfile\t/opt/rmq/conf/x\nfile\trelative/x\n")
            .err()
            .unwrap_or_else(|| panic!("relative"));
        assert_eq!(e.line, 3);
        let e = Manifest::parse("instance\tgateway\tproxy\tsystemd\tu\t/a\t/b\n")
            .err()
            .unwrap_or_else(|| panic!("role"));
        assert!(e.reason.contains("proxy"), "{e}");
        assert!(Manifest::parse("file\t/opt/../etc/passwd\n").is_err());
        assert!(Manifest::parse("removed /x\n").is_err());
        assert_eq!(Manifest::parse(""), Ok(Manifest::default()));
    }

    #[test]
    fn retire_is_what_the_manifest_has_and_the_plan_has_not() {
        let before = Manifest::of(&host(GATEWAY_AND_ACL, "master-a"), Supervisor::Systemd);
        let after = Manifest::of(&host("", "master-a"), Supervisor::Systemd);
        let r = Retire::between(&before, &after);
        let names: Vec<&str> = r.instances.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["gateway"]);
        let mut files = r.files.clone();
        files.sort();
        assert_eq!(
            files,
            [
                "/etc/systemd/system/rmqctl-gateway.service",
                "/opt/rmq/conf/gateway.toml",
                "/opt/rmq/conf/plain_acl.yml",
            ]
        );
        assert_eq!(r.brokers().count(), 0);
        // Nothing to retire when the plan keeps everything; nor without a manifest.
        assert!(Retire::between(&after, &after).is_empty());
        assert!(Retire::between(&Manifest::default(), &after).is_empty());
        // The interim manifest keeps both, each instance once, in start order.
        let both = after.union(&before);
        assert_eq!(both.instances, before.instances);
        assert_eq!(Retire::between(&both, &before).files, Vec::<String>::new());
    }

    #[test]
    fn retired_instances_stop_gateways_first_and_brokers_keep_their_stores() {
        let all = Manifest::of(&host(GATEWAY_AND_ACL, "master-a"), Supervisor::Nohup);
        let r = Retire::between(&all, &Manifest::default());
        let order: Vec<Role> = r.instances.iter().map(|i| i.role).collect();
        assert_eq!(order, [Role::Gateway, Role::Master, Role::Namesrv]);
        assert_eq!(
            r.brokers().map(|i| i.name.as_str()).collect::<Vec<_>>(),
            ["broker-a"]
        );
        let stop = r.instances[0].as_instance("master-a");
        assert_eq!(stop.pid_file, "/opt/rmq/run/gateway.pid");
        assert_eq!(stop.conf_file, "/opt/rmq/conf/gateway.toml");
    }
}
