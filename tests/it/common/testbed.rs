//! The multi-host test bed (tests/testbed/: four hosts as network namespaces with their own sshd,
//! files and firewall) for integration tests: brings it up, holds it for one test at a time, and
//! runs commands on its hosts over real ssh. See tests/testbed/README.md.

use std::fs::File;
use std::net::Ipv4Addr;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// One host of the bed, as `up.sh` wrote it to `$TB_DIR/hosts.list`.
#[derive(Debug, Clone)]
pub struct BedHost {
    pub name: String,
    pub ip: Ipv4Addr,
    /// The baseline firewall tool of the host: `nft`, `iptables` or `none`.
    pub firewall: String,
}

/// A running bed, held exclusively (flock on `$TB_DIR.lock`) until dropped, so tests that use it
/// run one after another even across test binaries.
pub struct Testbed {
    dir: PathBuf,
    hosts: Vec<BedHost>,
    _lock: File,
}

fn scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testbed")
}

/// `$TB_DIR`, as the bed scripts read it.
fn bed_dir() -> PathBuf {
    std::env::var_os("TB_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/lib/rmq-testbed"))
}

/// Why the bed cannot run here, if it cannot.
fn unavailable_reason() -> Option<String> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Some("not running as root".into());
    }
    if !Path::new("/proc/self/ns/net").exists() {
        return Some("the kernel has no network namespaces".into());
    }
    let ip_netns = Command::new("ip")
        .args(["netns", "list"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !matches!(ip_netns, Ok(s) if s.success()) {
        return Some("`ip netns` (iproute2) does not work".into());
    }
    None
}

/// Quotes `s` as one word for a POSIX shell.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

impl Testbed {
    /// Brings the bed up (`tests/testbed/up.sh`: idempotent, restarts dead hosts, re-applies the
    /// baseline firewalls), takes it for this test and wipes every host (no process but sshd,
    /// empty /opt/rmq and /tmp), so each test starts from the same clean, locked-down hosts. Returns None, after a loud message on
    /// stderr, where the bed cannot run (not root, no network namespaces); with
    /// `RMQCTL_REQUIRE_TESTBED=1` (tests/run.sh as root) that is a test failure instead.
    pub fn up() -> Option<Testbed> {
        if let Some(reason) = unavailable_reason() {
            if std::env::var("RMQCTL_REQUIRE_TESTBED").as_deref() == Ok("1") {
                panic!("the test bed is required (RMQCTL_REQUIRE_TESTBED=1) but {reason}");
            }
            eprintln!(
                "\n*** SKIPPING a test-bed test: {reason}. Run as root (tests/run.sh does) to \
                 exercise it. ***\n"
            );
            return None;
        }
        let dir = bed_dir();
        let lock_path = PathBuf::from(format!("{}.lock", dir.display()));
        let lock = File::create(&lock_path)
            .unwrap_or_else(|e| panic!("create the bed lock {}: {e}", lock_path.display()));
        // SAFETY: flock on a file descriptor we own; blocks until the other holder drops it.
        let rc = unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX) };
        assert_eq!(rc, 0, "flock {}", lock_path.display());
        let out = Command::new("bash")
            .arg(scripts_dir().join("up.sh"))
            .output()
            .expect("run tests/testbed/up.sh");
        assert!(
            out.status.success(),
            "tests/testbed/up.sh failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let hosts = read_hosts(&dir.join("hosts.list"));
        let bed = Testbed {
            dir,
            hosts,
            _lock: lock,
        };
        for host in &bed.hosts {
            bed.wipe(&host.name);
        }
        Some(bed)
    }

    /// `$TB_DIR` (default /var/lib/rmq-testbed).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The ssh client config naming every host (`ssh -F <this> master-a`), with the client key and
    /// a pre-filled known_hosts for `StrictHostKeyChecking yes`.
    pub fn ssh_config(&self) -> PathBuf {
        self.dir.join("ssh_config")
    }

    pub fn hosts(&self) -> &[BedHost] {
        &self.hosts
    }

    pub fn host(&self, name: &str) -> &BedHost {
        self.hosts
            .iter()
            .find(|h| h.name == name)
            .unwrap_or_else(|| panic!("no host {name} in the bed ({:?})", self.hosts))
    }

    pub fn ip(&self, name: &str) -> Ipv4Addr {
        self.host(name).ip
    }

    /// Where the host's private dirs live in the root namespace: `<this>/opt/rmq` is what the host
    /// sees as /opt/rmq (also tmp, root, run).
    pub fn host_root(&self, name: &str) -> PathBuf {
        self.host(name);
        self.dir.join("hosts").join(name).join("root")
    }

    fn host_sh(&self, args: &[&str]) -> Output {
        Command::new("bash")
            .arg(scripts_dir().join("host.sh"))
            .args(args)
            .output()
            .expect("run tests/testbed/host.sh")
    }

    fn host_sh_ok(&self, args: &[&str]) {
        let out = self.host_sh(args);
        assert!(
            out.status.success(),
            "host.sh {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// One TCP connect from host `from` (or "root", the root namespace) to `ip:port` with a 1 s
    /// timeout: true when it connected. A port a firewall drops answers false after the timeout.
    pub fn probe(&self, from: &str, ip: Ipv4Addr, port: u16) -> bool {
        self.host_sh(&["probe", from, &ip.to_string(), &port.to_string()])
            .status
            .success()
    }

    /// Probes until `ip:port` answers from `from`, for up to `cap`; true when it did.
    pub fn wait_open(&self, from: &str, ip: Ipv4Addr, port: u16, cap: Duration) -> bool {
        let start = Instant::now();
        loop {
            if self.probe(from, ip, port) {
                return true;
            }
            if start.elapsed() > cap {
                return false;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Makes `host` unreachable (its bridge-side veth goes down); [`Testbed::restore`] undoes it.
    /// Commands on a cut host over ssh fail after ssh's ConnectTimeout (5 s); use
    /// [`Testbed::enter`] to look inside it.
    pub fn cut(&self, host: &str) {
        self.close_master(host);
        self.host_sh_ok(&["cut", host]);
    }

    pub fn restore(&self, host: &str) {
        self.host_sh_ok(&["restore", host]);
    }

    /// `ssh -F <ssh_config>` sharing one master connection per host (a fresh connection costs
    /// 0.2-0.5 s here, a command over the master a few ms); the masters end when this drops.
    fn ssh(&self) -> Command {
        let mut ssh = Command::new("ssh");
        ssh.arg("-F")
            .arg(self.ssh_config())
            .args(["-o", "ControlMaster=auto", "-o", "ControlPersist=60"])
            .arg("-o")
            .arg(format!("ControlPath={}/fixture-mux-%h", self.dir.display()));
        ssh
    }

    fn close_master(&self, host: &str) {
        let _ = self
            .ssh()
            .args(["-O", "exit", host])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }

    /// Runs `cmd` (a remote shell command line) on `host` over real ssh.
    pub fn exec(&self, host: &str, cmd: &str) -> Output {
        self.ssh()
            .args([host, "--", cmd])
            .stdin(Stdio::null())
            .output()
            .expect("run ssh")
    }

    /// Runs `script` on `host` as `sh -c SCRIPT` over ssh, the way deploy runs its host scripts.
    pub fn sh(&self, host: &str, script: &str) -> Output {
        self.exec(host, &format!("sh -c {}", shell_quote(script)))
    }

    /// Runs `args` inside the host's namespaces without ssh (works while the host is cut).
    pub fn enter(&self, host: &str, args: &[&str]) -> Output {
        let mut all = vec!["enter", host];
        all.extend_from_slice(args);
        self.host_sh(&all)
    }

    /// Re-applies the host's baseline firewall (drop input but lo, established and ssh).
    pub fn reset_firewall(&self, host: &str) {
        self.host_sh_ok(&["firewall", host]);
    }

    /// Kills every process of `host` but its sshd and empties its /opt/rmq and /tmp.
    pub fn wipe(&self, host: &str) {
        self.host_sh_ok(&["wipe", host]);
    }
}

impl Drop for Testbed {
    fn drop(&mut self) {
        for host in &self.hosts {
            self.close_master(&host.name);
        }
    }
}

fn read_hosts(list: &Path) -> Vec<BedHost> {
    let text = std::fs::read_to_string(list)
        .unwrap_or_else(|e| panic!("read {} (written by up.sh): {e}", list.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let [name, ip, firewall] = words[..] else {
                panic!("{}: bad line {line:?}", list.display());
            };
            BedHost {
                name: name.to_string(),
                ip: ip
                    .parse()
                    .unwrap_or_else(|e| panic!("{}: bad address in {line:?}: {e}", list.display())),
                firewall: firewall.to_string(),
            }
        })
        .collect()
}
