//! Who keeps an instance running on a host, and the shell scripts to start, stop and inspect it:
//! systemd units where systemd is PID 1, else `start-stop-daemon` with a pid file, else
//! `setsid nohup` with a pid file. Every start detaches all three standard streams, so the SSH
//! channel that started it closes at once.

use serde::Serialize;

use super::plan::{InstancePlan, UNIT_DIR};
use super::transport::quote;

/// How long a stop waits for a process to exit after SIGTERM before SIGKILL (a broker flushes
/// and unregisters on SIGTERM; the units say `TimeoutStopSec=60`).
pub const STOP_TIMEOUT_SECS: u32 = 60;

/// The supervisor in force on a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Supervisor {
    Systemd,
    StartStopDaemon,
    Nohup,
}

impl Supervisor {
    pub fn name(self) -> &'static str {
        match self {
            Supervisor::Systemd => "systemd",
            Supervisor::StartStopDaemon => "start-stop-daemon",
            Supervisor::Nohup => "nohup",
        }
    }

    /// Chooses from the host's facts. Local hosts (a cluster on the operator's machine) never
    /// get system units: they run as the operator, under nohup.
    pub fn choose(local: bool, systemd_booted: bool, has_start_stop_daemon: bool) -> Supervisor {
        if local {
            Supervisor::Nohup
        } else if systemd_booted {
            Supervisor::Systemd
        } else if has_start_stop_daemon {
            Supervisor::StartStopDaemon
        } else {
            Supervisor::Nohup
        }
    }

    /// Commands this supervisor needs on the host.
    pub fn required_commands(self) -> &'static [&'static str] {
        match self {
            Supervisor::Systemd => &["systemctl"],
            Supervisor::StartStopDaemon => &["start-stop-daemon"],
            Supervisor::Nohup => &["setsid", "nohup"],
        }
    }

    /// Starts `instance` if it is not running (a no-op for a running one).
    pub fn start_script(self, binary: &str, instance: &InstancePlan, user: Option<&str>) -> String {
        match self {
            Supervisor::Systemd => format!(
                "systemctl enable --quiet {unit} && systemctl start {unit}",
                unit = quote(&instance.unit_name)
            ),
            Supervisor::StartStopDaemon => {
                let chuid = user
                    .map(|u| format!(" --chuid {}", quote(u)))
                    .unwrap_or_default();
                format!(
                    "{alive}\nif alive; then exit 0; fi\nrm -f {pid}\n\
                     start-stop-daemon --start --quiet --background --make-pidfile --pidfile {pid}{chuid} \
                     --chdir {dir} --output {log} --exec {bin} -- {args} </dev/null >/dev/null 2>&1",
                    alive = alive_function(instance),
                    pid = quote(&instance.pid_file),
                    dir = quote(&parent_dir(binary)),
                    log = quote(&instance.log_file),
                    bin = quote(binary),
                    args = quoted_args(&instance.args),
                )
            }
            Supervisor::Nohup => {
                let run_as = user
                    .map(|u| format!("runuser -u {} -- ", quote(u)))
                    .unwrap_or_default();
                format!(
                    "{alive}\nif alive; then exit 0; fi\n\
                     cd {dir} && {run_as}setsid nohup {bin} {args} >>{log} 2>&1 </dev/null &\n\
                     echo $! > {pid}",
                    alive = alive_function(instance),
                    dir = quote(&parent_dir(binary)),
                    bin = quote(binary),
                    args = quoted_args(&instance.args),
                    log = quote(&instance.log_file),
                    pid = quote(&instance.pid_file),
                )
            }
        }
    }

    /// Stops `instance` (SIGTERM, then SIGKILL after [`STOP_TIMEOUT_SECS`]); a no-op when stopped.
    pub fn stop_script(self, instance: &InstancePlan) -> String {
        match self {
            Supervisor::Systemd => format!(
                "systemctl stop {unit} 2>/dev/null; systemctl reset-failed {unit} 2>/dev/null; true",
                unit = quote(&instance.unit_name)
            ),
            Supervisor::StartStopDaemon | Supervisor::Nohup => format!(
                "{alive}\nif alive; then\n  kill -TERM \"$pid\" 2>/dev/null\n  i=0\n  \
                 while alive && [ $i -lt {ticks} ]; do sleep 0.1; i=$((i+1)); done\n  \
                 if alive; then kill -KILL \"$pid\" 2>/dev/null; sleep 0.2; fi\nfi\nrm -f {pid}",
                alive = alive_function(instance),
                ticks = STOP_TIMEOUT_SECS * 10,
                pid = quote(&instance.pid_file),
            ),
        }
    }

    /// Prints one line `<name> <state> <pid> <uptime_s>` per instance; state is `running`,
    /// `stopped` or `failed` (a pid file or failed unit left by a process that died).
    pub fn status_script(self, instances: &[&InstancePlan]) -> String {
        let mut script = String::from("now=$(date +%s)\n");
        script.push_str(UPTIME_FUNCTION);
        for instance in instances {
            let name = quote(&instance.name);
            match self {
                Supervisor::Systemd => script.push_str(&format!(
                    "st=$(systemctl is-active {unit} 2>/dev/null); pid=$(systemctl show -p MainPID --value {unit} 2>/dev/null)\n\
                     case \"$st\" in active|activating|reloading) echo {name} running \"$pid\" $(uptime_of \"$pid\");;\n  \
                     failed) echo {name} failed - -;;\n  *) echo {name} stopped - -;;\nesac\n",
                    unit = quote(&instance.unit_name),
                )),
                Supervisor::StartStopDaemon | Supervisor::Nohup => script.push_str(&format!(
                    "{alive}\nif alive; then echo {name} running \"$pid\" $(uptime_of \"$pid\"); \
                     elif [ -f {pid} ]; then echo {name} failed - -; else echo {name} stopped - -; fi\n",
                    alive = alive_function(instance),
                    pid = quote(&instance.pid_file),
                )),
            }
        }
        script
    }

    /// After units were uploaded: make systemd read them (only when one changed).
    pub fn reload_script(self) -> Option<&'static str> {
        match self {
            Supervisor::Systemd => Some("systemctl daemon-reload"),
            _ => None,
        }
    }

    /// Removes what the supervisor keeps for `instances` (units or pid files); run after stop.
    pub fn remove_script(self, instances: &[&InstancePlan]) -> String {
        let mut script = String::new();
        for instance in instances {
            match self {
                Supervisor::Systemd => script.push_str(&format!(
                    "systemctl disable --quiet {unit} 2>/dev/null; rm -f {path}\n",
                    unit = quote(&instance.unit_name),
                    path = quote(&format!("{UNIT_DIR}/{}", instance.unit_name)),
                )),
                _ => script.push_str(&format!("rm -f {}\n", quote(&instance.pid_file))),
            }
        }
        if self == Supervisor::Systemd {
            script.push_str("systemctl daemon-reload\n");
        }
        script
    }
}

/// `uptime_of PID`: seconds since the process started (the ctime of /proc/PID), or `-`.
const UPTIME_FUNCTION: &str =
    "uptime_of() { st=$(stat -c %Y /proc/\"$1\" 2>/dev/null) && echo $((now - st)) || echo -; }\n";

/// A shell function `alive` that sets `$pid` and succeeds when the pid file names a live process
/// of this instance (its command line holds the config path, so a reused pid does not count).
fn alive_function(instance: &InstancePlan) -> String {
    format!(
        "alive() {{ pid=$(cat {pid} 2>/dev/null) || return 1; [ -n \"$pid\" ] && kill -0 \"$pid\" 2>/dev/null && \
         tr '\\0' ' ' < /proc/\"$pid\"/cmdline 2>/dev/null | grep -qF -- {conf}; }}",
        pid = quote(&instance.pid_file),
        conf = quote(&instance.conf_file),
    )
}

fn quoted_args(args: &[String]) -> String {
    args.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" ")
}

fn parent_dir(path: &str) -> String {
    std::path::Path::new(path)
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "/".into())
}

/// One line of a status script's output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcessState {
    pub instance: String,
    /// `running`, `stopped` or `failed`.
    pub state: String,
    pub pid: Option<u32>,
    pub uptime_s: Option<u64>,
}

/// Parses the output of [`Supervisor::status_script`].
pub fn parse_status(stdout: &str) -> Vec<ProcessState> {
    stdout
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let instance = words.next()?.to_string();
            let state = words.next()?.to_string();
            let pid = words.next().and_then(|w| w.parse().ok());
            let uptime_s = words.next().and_then(|w| w.parse().ok());
            Some(ProcessState {
                instance,
                state,
                pid,
                uptime_s,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::plan::Role;

    fn broker() -> InstancePlan {
        InstancePlan {
            name: "broker-a".into(),
            role: Role::Master,
            host: "master-a".into(),
            address: "10.0.0.1".into(),
            port: 10911,
            ports: vec![10909, 10911, 10912],
            unit_name: "rmqctl-broker-a.service".into(),
            args: vec![
                "broker".into(),
                "-c".into(),
                "/opt/rmq/conf/broker-a.properties".into(),
            ],
            conf_file: "/opt/rmq/conf/broker-a.properties".into(),
            log_file: "/opt/rmq/logs/broker-a/broker-a.log".into(),
            pid_file: "/opt/rmq/run/broker-a.pid".into(),
            broker_name: Some("broker-a".into()),
            broker_id: Some(0),
        }
    }

    #[test]
    fn systemd_scripts_name_the_unit() {
        let b = broker();
        assert_eq!(
            Supervisor::Systemd.start_script("/opt/rmq/bin/rmqctl", &b, None),
            "systemctl enable --quiet rmqctl-broker-a.service && systemctl start rmqctl-broker-a.service"
        );
        assert!(Supervisor::Systemd
            .stop_script(&b)
            .starts_with("systemctl stop rmqctl-broker-a.service"));
        let remove = Supervisor::Systemd.remove_script(&[&b]);
        assert!(remove.contains("rm -f /etc/systemd/system/rmqctl-broker-a.service"));
        assert!(remove.ends_with("systemctl daemon-reload\n"));
        assert_eq!(
            Supervisor::Systemd.reload_script(),
            Some("systemctl daemon-reload")
        );
    }

    #[test]
    fn start_stop_daemon_detaches_and_runs_as_the_service_user() {
        let script =
            Supervisor::StartStopDaemon.start_script("/opt/rmq/bin/rmqctl", &broker(), Some("rmq"));
        assert!(script.contains(
            "--background --make-pidfile --pidfile /opt/rmq/run/broker-a.pid --chuid rmq"
        ));
        assert!(script.contains("--output /opt/rmq/logs/broker-a/broker-a.log --exec /opt/rmq/bin/rmqctl -- broker -c /opt/rmq/conf/broker-a.properties"));
        assert!(script.contains("</dev/null >/dev/null 2>&1"));
    }

    #[test]
    fn choice_follows_the_host() {
        assert_eq!(Supervisor::choose(true, true, true), Supervisor::Nohup);
        assert_eq!(Supervisor::choose(false, true, true), Supervisor::Systemd);
        assert_eq!(
            Supervisor::choose(false, false, true),
            Supervisor::StartStopDaemon
        );
        assert_eq!(Supervisor::choose(false, false, false), Supervisor::Nohup);
    }

    #[test]
    fn nohup_start_status_and_stop_work_on_this_machine() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let d = dir.path().display().to_string();
        // A stand-in "binary": sleeps with the config path on its command line.
        let bin = format!("{d}/fake-rmqctl");
        std::fs::write(&bin, "#!/bin/sh\nexec sh -c 'sleep 30; true' fake \"$@\"\n")
            .unwrap_or_else(|e| panic!("{e}"));
        run(&format!("chmod 755 {bin}"));
        let mut b = broker();
        b.args = vec!["100".into(), format!("{d}/broker-a.properties")];
        b.conf_file = format!("{d}/broker-a.properties");
        b.log_file = format!("{d}/broker-a.log");
        b.pid_file = format!("{d}/broker-a.pid");
        let status = || parse_status(&run(&Supervisor::Nohup.status_script(&[&b])));
        assert_eq!(status()[0].state, "stopped");
        run(&Supervisor::Nohup.start_script(&bin, &b, None));
        // While the process execs (setsid, nohup, the binary) its command line can read empty
        // for a moment: wait for it to settle, with a generous cap.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let mut first = status();
        while first[0].state != "running" && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
            first = status();
        }
        assert_eq!(first[0].state, "running", "{first:?}");
        // Starting again is a no-op: same pid.
        run(&Supervisor::Nohup.start_script(&bin, &b, None));
        assert_eq!(status()[0].pid, first[0].pid);
        run(&Supervisor::Nohup.stop_script(&b));
        assert_eq!(status()[0].state, "stopped");
    }

    fn run(script: &str) -> String {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(script)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}
