//! One round trip that tells deploy everything it needs about a host before it changes anything:
//! OS and architecture, glibc, systemd, which commands exist, whether the service user exists,
//! free disk where the stores go, the checksum of every planned file, the processes deploy
//! supervises, the TCP ports already listening and the manifest the last deploy left (what it
//! installed). Output is `key=value` lines.

use std::collections::{BTreeMap, BTreeSet};

use super::plan::HostDeploy;
use super::supervisor::{parse_status, ProcessState, Supervisor};
use super::transport::quote;

/// Commands every host needs, whatever the supervisor and firewall.
pub const BASE_COMMANDS: &[&str] = &[
    "sh",
    "cat",
    "mv",
    "mkdir",
    "chmod",
    "rm",
    "sha256sum",
    "awk",
    "df",
    "uname",
    "stat",
];

/// Commands looked for (the supervisor's and the firewall backends' are among them).
const PROBED_COMMANDS: &[&str] = &[
    "sh",
    "cat",
    "mv",
    "mkdir",
    "chmod",
    "rm",
    "sha256sum",
    "awk",
    "df",
    "uname",
    "stat",
    "systemctl",
    "start-stop-daemon",
    "setsid",
    "nohup",
    "runuser",
    "nft",
    "iptables",
    "ufw",
    "firewall-cmd",
    "tail",
];

/// What one host told us.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostFacts {
    /// `uname -s`, `uname -m`.
    pub os: String,
    pub arch: String,
    /// `getconf GNU_LIBC_VERSION` (e.g. `glibc 2.36`), empty when not glibc.
    pub libc: String,
    pub systemd_booted: bool,
    pub commands: BTreeSet<String>,
    /// `None` when no service user is configured.
    pub service_user_exists: Option<bool>,
    /// Free KiB on the file system that will hold the stores.
    pub free_kib: Option<u64>,
    /// Remote path -> sha256 (missing files are absent).
    pub checksums: BTreeMap<String, String>,
    /// Ports in LISTEN state.
    pub listening: BTreeSet<u16>,
    /// Instance name -> process state, as the supervisor in force sees it.
    pub processes: BTreeMap<String, ProcessState>,
    /// The text of `<install_root>/rmqctl-manifest`, `None` when there is none.
    pub manifest: Option<String>,
}

impl HostFacts {
    pub fn has(&self, command: &str) -> bool {
        self.commands.contains(command)
    }

    /// The supervisor this host gets.
    pub fn supervisor(&self, local: bool) -> Supervisor {
        Supervisor::choose(local, self.systemd_booted, self.has("start-stop-daemon"))
    }

    /// Whether `instance` runs.
    pub fn running(&self, instance: &str) -> bool {
        self.processes
            .get(instance)
            .is_some_and(|p| p.state == "running")
    }
}

/// The inspection script for a host (the status part depends on the supervisor, which depends
/// on facts: both candidates are asked and the parser keeps the right one).
pub fn inspect_script(host: &HostDeploy) -> String {
    let mut s = String::from("export LC_ALL=C\n");
    s.push_str("echo \"os=$(uname -s)\"; echo \"arch=$(uname -m)\"\n");
    // `$( (` with a space: `$((` would start an arithmetic expansion.
    s.push_str(&format!(
        "echo \"libc=$( {} )\"\n",
        super::binary::LIBC_PROBE
    ));
    s.push_str("if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi\n");
    s.push_str(&format!(
        "for c in {}; do command -v \"$c\" >/dev/null 2>&1 && echo \"cmd=$c\"; done\n",
        PROBED_COMMANDS.join(" ")
    ));
    if let Some(user) = &host.service_user {
        s.push_str(&format!(
            "if id -u {u} >/dev/null 2>&1; then echo user=yes; else echo user=no; fi\n",
            u = quote(user)
        ));
    }
    let store = host
        .data_dirs
        .first()
        .cloned()
        .unwrap_or_else(|| host.install_root.clone());
    s.push_str(&format!(
        "d={}; while [ ! -d \"$d\" ] && [ \"$d\" != / ]; do d=$(dirname \"$d\"); done\n\
         echo \"free_kib=$(df -Pk \"$d\" 2>/dev/null | awk 'NR==2 {{print $4}}')\"\n",
        quote(&store)
    ));
    let paths: Vec<String> = host.files.iter().map(|f| quote(&f.remote_path)).collect();
    s.push_str(&format!(
        "for f in {}; do [ -f \"$f\" ] && sha256sum \"$f\" | awk '{{print \"sum=\" $1 \" \" $2}}'; done\n",
        paths.join(" ")
    ));
    s.push_str(
        "awk 'NR>1 && $4==\"0A\" {n=split($2,a,\":\"); print \"listen=\" a[n]}' /proc/net/tcp /proc/net/tcp6 2>/dev/null\n",
    );
    let instances: Vec<_> = host.instances.iter().collect();
    for supervisor in [Supervisor::Systemd, Supervisor::Nohup] {
        let tag = supervisor.name();
        let status = supervisor.status_script(&instances);
        s.push_str(&format!(
            "( {status} ) 2>/dev/null | sed 's/^/proc.{tag}=/'\n"
        ));
    }
    s.push_str(&format!(
        "if [ -f {m} ]; then echo manifest=; sed 's/^/manifest+/' {m}; fi\n",
        m = quote(&super::manifest::path(host))
    ));
    s.push_str("true\n");
    s
}

/// Parses the inspection output.
pub fn parse_inspect(stdout: &str, local: bool) -> HostFacts {
    let mut facts = HostFacts::default();
    let mut procs: BTreeMap<&str, String> = BTreeMap::new();
    for line in stdout.lines() {
        if let Some(record) = line.strip_prefix("manifest+") {
            let text = facts.manifest.get_or_insert_with(String::new);
            text.push_str(record);
            text.push('\n');
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        match key {
            "os" => facts.os = value.trim().to_string(),
            "arch" => facts.arch = value.trim().to_string(),
            "libc" => facts.libc = value.trim().to_string(),
            "systemd" => facts.systemd_booted = value == "yes",
            "cmd" => {
                facts.commands.insert(value.trim().to_string());
            }
            "user" => facts.service_user_exists = Some(value == "yes"),
            "free_kib" => facts.free_kib = value.trim().parse().ok(),
            "manifest" => {
                facts.manifest.get_or_insert_with(String::new);
            }
            "sum" => {
                if let Some((sum, path)) = value.split_once(' ') {
                    facts.checksums.insert(path.to_string(), sum.to_string());
                }
            }
            "listen" => {
                if let Ok(port) = u16::from_str_radix(value.trim(), 16) {
                    facts.listening.insert(port);
                }
            }
            _ => {
                if let Some(tag) = key.strip_prefix("proc.") {
                    let entry = procs.entry(tag).or_default();
                    entry.push_str(value);
                    entry.push('\n');
                }
            }
        }
    }
    let supervisor = facts.supervisor(local);
    let tag = match supervisor {
        Supervisor::Systemd => "systemd",
        // Both pid-file supervisors share the pid-file status script.
        Supervisor::StartStopDaemon | Supervisor::Nohup => "nohup",
    };
    if let Some(text) = procs.get(tag) {
        facts.processes = parse_status(text)
            .into_iter()
            .map(|p| (p.instance.clone(), p))
            .collect();
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_of_line() {
        let out = "os=Linux\narch=x86_64\nlibc=glibc 2.36\nsystemd=no\ncmd=sh\ncmd=start-stop-daemon\n\
                   user=yes\nfree_kib=123456\nsum=abc /opt/rmq/bin/rmqctl\nlisten=2694\nlisten=2A9F\n\
                   proc.systemd=namesrv stopped - -\nproc.nohup=namesrv running 42 7\n\
                   manifest=\nmanifest+# header\nmanifest+file\t/opt/rmq/conf/a=b\n";
        let f = parse_inspect(out, false);
        assert_eq!((f.os.as_str(), f.arch.as_str()), ("Linux", "x86_64"));
        assert_eq!(f.libc, "glibc 2.36");
        assert!(!f.systemd_booted);
        assert!(f.has("start-stop-daemon"));
        assert_eq!(f.service_user_exists, Some(true));
        assert_eq!(f.free_kib, Some(123456));
        assert_eq!(f.checksums["/opt/rmq/bin/rmqctl"], "abc");
        assert_eq!(
            f.listening.iter().copied().collect::<Vec<_>>(),
            [9876, 10911]
        );
        assert_eq!(f.supervisor(false), Supervisor::StartStopDaemon);
        assert!(f.running("namesrv"));
        assert_eq!(f.processes["namesrv"].pid, Some(42));
        assert_eq!(
            f.manifest.as_deref(),
            Some("# header\nfile\t/opt/rmq/conf/a=b\n")
        );
        assert_eq!(parse_inspect("os=Linux\n", false).manifest, None);
    }
}
