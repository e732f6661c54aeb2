//! Shared helpers for integration tests: loopback ports, real `rmqctl` server processes that are
//! killed when the test ends (and the name-server-plus-brokers fixture in `cluster`), skips for
//! missing prerequisites, and small-file message stores.
// benches/replication.rs includes this module (#[path]) for its fixtures and uses only some.
#![allow(dead_code)]

pub mod cluster;
pub mod testbed;
pub mod wire;

#[allow(unused_imports)] // unused where benches/replication.rs includes this module
pub use cluster::Cluster;

use rmqctl::broker::store::{FlushMode, MessageStore, MessageToStore, StoreConfig};
use rmqctl::protocol::message::Properties;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Ports for servers that cannot bind port 0 and report it (a broker derives listenPort-2 and
/// listenPort+1 from its listenPort, and registers listenPort by name): picked at random below
/// the kernel's ephemeral range, so neither the outgoing connections of parallel tests nor the
/// name servers (which bind port 0, see [`start_namesrv`]) ever hold them. Two tests may still
/// pick the same port in the same moment: [`start_broker`] retries on a taken port.
const PICKED_PORTS: std::ops::Range<u16> = 12_000..32_000;

/// A loopback port from [`PICKED_PORTS`] that was free a moment ago.
pub fn free_port() -> u16 {
    free_port_block(0, 0)
}

/// A base port p where p-2 to p+1 (a broker's fast, main and HA ports) were free a moment ago.
pub fn free_port_triple() -> u16 {
    free_port_block(2, 1)
}

/// A port p where every port from p-`below` to p+`above` was free a moment ago: room for a
/// deployment whose brokers take `base_port`, `base_port + port_step`, ... with their fast
/// (-2) and HA (+1) ports.
pub fn free_port_block(below: u16, above: u16) -> u16 {
    let ephemeral = ephemeral_range_start();
    let high = if ephemeral > PICKED_PORTS.start + 1_000 {
        ephemeral.min(PICKED_PORTS.end) - 1
    } else {
        PICKED_PORTS.end
    } - above;
    for _ in 0..1_000 {
        let p = rand::Rng::gen_range(&mut rand::thread_rng(), PICKED_PORTS.start + below..high);
        if (p - below..=p + above).all(|q| TcpListener::bind(("127.0.0.1", q)).is_ok()) {
            return p;
        }
    }
    panic!(
        "no {} free loopback ports in a row in {PICKED_PORTS:?}",
        below + above + 1
    );
}

/// The first port the kernel hands out for port 0 and outgoing connections (32768 by default).
fn ephemeral_range_start() -> u16 {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(32_768)
}

/// A child process killed (SIGKILL) on drop, with its stderr captured in a file.
pub struct ServerProcess {
    pub child: Child,
    pub addr: SocketAddr,
    pub log: PathBuf,
}

/// A server that exited before it listened, with its log.
#[derive(Debug)]
pub struct EarlyExit {
    pub status: std::process::ExitStatus,
    pub log: String,
}

impl EarlyExit {
    /// Whether it stopped because a port was taken (the broker's "cannot listen on" error).
    pub fn port_taken(&self) -> bool {
        self.log.contains("cannot listen on")
    }
}

/// Up to how long a server may take to start listening (a debug build on a busy machine).
const START_LIMIT: Duration = Duration::from_secs(60);

impl ServerProcess {
    /// Start `rmqctl ARGS`, logging to `log`, and wait until `addr` accepts connections.
    pub fn start(args: &[&str], addr: SocketAddr, log: &Path) -> ServerProcess {
        Self::try_start(args, addr, log)
            .unwrap_or_else(|e| panic!("server exited early with {}: {}", e.status, e.log))
    }

    /// As [`ServerProcess::start`], but a server that exits before it listens is an `Err`.
    pub fn try_start(args: &[&str], addr: SocketAddr, log: &Path) -> Result<Self, EarlyExit> {
        let mut p = Self::spawn(args, addr, log);
        p.wait_listening(START_LIMIT)?;
        Ok(p)
    }

    /// Start `rmqctl ARGS` configured to listen on port 0: its address is read from the log line
    /// containing `listening_line` (its `addr=` field) once it appears.
    pub fn start_on_port_0(args: &[&str], log: &Path, listening_line: &str) -> ServerProcess {
        let mut p = Self::spawn(args, "0.0.0.0:0".parse().unwrap(), log);
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = p.child.try_wait() {
                panic!("server exited early with {status}: {}", p.log_text());
            }
            let logged = p.log_text();
            if let Some(addr) = logged_addr(&logged, listening_line) {
                p.addr = addr;
                break;
            }
            assert!(
                start.elapsed() < START_LIMIT,
                "no `{listening_line}` line in {START_LIMIT:?}: {logged}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        p
    }

    /// Start `command`, a server other than `rmqctl_command()` (e.g. rmqctl run through
    /// `chroot`), logging its stderr to `log`, and wait until `addr` accepts connections.
    pub fn start_command(command: Command, addr: SocketAddr, log: &Path) -> ServerProcess {
        let mut p = Self::spawn_command(command, addr, log);
        if let Err(e) = p.wait_listening(START_LIMIT) {
            panic!("server exited early with {}: {}", e.status, e.log);
        }
        p
    }

    fn spawn(args: &[&str], addr: SocketAddr, log: &Path) -> ServerProcess {
        let mut command = rmqctl_command();
        command.args(args).env("RUST_LOG", "debug");
        Self::spawn_command(command, addr, log)
    }

    fn spawn_command(mut command: Command, addr: SocketAddr, log: &Path) -> ServerProcess {
        let log_file = std::fs::File::create(log).expect("log file");
        let child = command
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .expect("start the server");
        ServerProcess {
            child,
            addr,
            log: log.to_path_buf(),
        }
    }

    fn wait_listening(&mut self, limit: Duration) -> Result<(), EarlyExit> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(EarlyExit {
                    status,
                    log: self.log_text(),
                });
            }
            if TcpStream::connect_timeout(&self.addr, Duration::from_millis(100)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "server did not listen on {} in {limit:?}: {}",
            self.addr,
            self.log_text()
        );
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Send SIGTERM and wait for a clean exit.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        // SAFETY: kill takes plain integers and touches no memory; the pid is our own child,
        // not yet waited for, so it cannot name another process.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            if start.elapsed() > Duration::from_secs(30) {
                let _ = self.child.kill();
                panic!("server ignored SIGTERM: {}", self.log_text());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The `addr=` field of the first log line containing `line`.
fn logged_addr(log: &str, line: &str) -> Option<SocketAddr> {
    log.lines()
        .find(|l| l.contains(line))?
        .split_whitespace()
        .find_map(|field| field.strip_prefix("addr="))?
        .parse()
        .ok()
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `rmqctl` binary under test, with a clean environment for name-server discovery (no
/// `$NAMESRV_ADDR`) and a private cache directory; the one way tests start it.
pub fn rmqctl_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rmqctl"));
    command.env_remove("NAMESRV_ADDR").env(
        "XDG_CACHE_HOME",
        std::env::temp_dir().join("rmqctl-test-cache"),
    );
    command
}

/// Run `rmqctl ARGS` (an admin command) to completion (see [`rmqctl_command`]).
pub fn rmqctl(args: &[&str]) -> Output {
    rmqctl_command().args(args).output().expect("run rmqctl")
}

/// Stderr of a finished command as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Block until the name server at `namesrv` lists at least `brokers` broker addresses (max 60 s).
/// (common::Cluster waits for its own brokers by name and id.)
pub fn wait_registered(namesrv: &str, brokers: usize) {
    let addr: SocketAddr = namesrv.parse().expect("a name-server address");
    let start = Instant::now();
    loop {
        let listed: usize = cluster::cluster_info(addr).map_or(0, |info| {
            info.broker_addr_table
                .values()
                .map(|b| b.broker_addrs.len())
                .sum()
        });
        if listed >= brokers {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{brokers} broker(s) did not register with {namesrv} within 60 s ({listed} did)"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Start a name server with fast liveness settings for tests, on a port the kernel picks
/// (`listenPort=0`; the address comes from its "name server listening" log line).
pub fn start_namesrv(dir: &Path, expire_ms: u64) -> ServerProcess {
    let conf = dir.join("namesrv.properties");
    std::fs::write(
        &conf,
        format!(
            "listenPort=0\nbindAddress=127.0.0.1\nkvConfigPath={kv}\nconfigStorePath={store}\nscanNotActiveBrokerInterval=100\nbrokerExpireMillis={expire_ms}\n",
            kv = dir.join("kvConfig.json").display(),
            store = dir.join("namesrv-store.properties").display(),
        ),
    )
    .unwrap();
    ServerProcess::start_on_port_0(
        &["namesrv", "-c", conf.to_str().unwrap()],
        &dir.join("namesrv.log"),
        "name server listening",
    )
}

/// Start (again) the name server of `dir` (see [`start_namesrv`]) on `port`, its port before: the
/// brokers know it by that address. A port still held by the stopped process is waited for.
pub fn restart_namesrv(dir: &Path, port: u16) -> ServerProcess {
    let conf = dir.join("namesrv.properties");
    let text = std::fs::read_to_string(&conf).unwrap();
    std::fs::write(
        &conf,
        text.replace("listenPort=0\n", &format!("listenPort={port}\n")),
    )
    .unwrap();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let args = ["namesrv", "-c", conf.to_str().unwrap()];
    let start = Instant::now();
    loop {
        let log = dir.join(format!("namesrv-{}.log", start.elapsed().as_nanos()));
        match ServerProcess::try_start(&args, addr, &log) {
            Ok(p) => return p,
            Err(e) if e.port_taken() && start.elapsed() < Duration::from_secs(10) => {
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) => panic!("name server exited early with {}: {}", e.status, e.log),
        }
    }
}

/// A test's prerequisite (a tool, a privilege, a file system) is missing. Under tests/run.sh,
/// which provides them and sets `RMQCTL_REQUIRE_PREREQUISITES=1`, that fails the test; a plain
/// `cargo test` skips it, saying why.
pub fn prerequisite_missing(what: &str) {
    if std::env::var("RMQCTL_REQUIRE_PREREQUISITES").as_deref() == Ok("1") {
        panic!("missing: {what} (RMQCTL_REQUIRE_PREREQUISITES=1, as tests/run.sh sets it, makes that a failure)");
    }
    eprintln!("skipping: missing {what}");
}

/// The Python of the venv holding the Apache C++ client (PyPI `rocketmq==0.4.4`).
/// `tests/run.sh` installs it and sets `RMQCTL_CPP_PYTHON`; a plain `cargo test` without it skips
/// the interop tests, unless `RMQCTL_REQUIRE_PREREQUISITES=1` (or the older
/// `RMQCTL_REQUIRE_INTEROP=1`) turns a missing client into a failure.
pub fn cpp_client_python() -> Option<PathBuf> {
    let candidate = std::env::var_os("RMQCTL_CPP_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-cpp/bin/python"));
    if candidate.exists() {
        return Some(candidate);
    }
    let what = format!("the C++ client venv at {}", candidate.display());
    if std::env::var("RMQCTL_REQUIRE_INTEROP").as_deref() == Ok("1") {
        panic!("{what} is missing; run tests/run.sh");
    }
    prerequisite_missing(&what);
    None
}

/// Run a script from tests/interop with the C++ client's Python; HOME is redirected so the
/// client's logs land in `home`.
pub fn run_cpp_script(
    python: &Path,
    script: &str,
    args: &[&str],
    home: &Path,
) -> std::process::Output {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/interop")
        .join(script);
    Command::new(python)
        .arg(path)
        .args(args)
        .env("HOME", home)
        .output()
        .expect("run the C++ client script")
}

// ---- store test helpers ----
pub const SEGMENT: u64 = 64 * 1024;

pub fn store_host() -> SocketAddr {
    "10.0.0.1:10911".parse().unwrap()
}

pub fn born_host() -> SocketAddr {
    "192.168.1.2:40000".parse().unwrap()
}

/// Small files so tests roll segments and CQ files quickly.
pub fn config(dir: &Path, flush: FlushMode) -> StoreConfig {
    let mut c = StoreConfig::new(dir, store_host());
    c.commit_log_file_size = SEGMENT;
    c.consume_queue_file_size = 20 * 100;
    c.flush_mode = flush;
    c.flush_interval_ms = 10;
    c.disk_max_used_space_ratio = 100;
    c.retention_check_interval_ms = 3_600_000;
    c
}

pub fn open(dir: &Path, flush: FlushMode) -> MessageStore {
    MessageStore::open(config(dir, flush)).unwrap()
}

pub fn props(tags: &str, keys: &str, uniq: &str) -> String {
    let mut p = Properties::new();
    if !tags.is_empty() {
        p.insert("TAGS", tags);
    }
    if !keys.is_empty() {
        p.insert("KEYS", keys);
    }
    if !uniq.is_empty() {
        p.insert("UNIQ_KEY", uniq);
    }
    p.encode()
}

pub fn msg(topic: &str, qid: i32, body: Vec<u8>, tags: &str) -> MessageToStore {
    let uniq = format!("U{:x}", rand_u64());
    MessageToStore::new(topic, qid, body, &props(tags, "", &uniq), born_host())
}

pub fn rand_u64() -> u64 {
    rand::random()
}

pub fn body(i: usize, len: usize) -> Vec<u8> {
    let mut b = format!("msg-{i}-").into_bytes();
    b.resize(len, b'a' + (i % 26) as u8);
    b
}

pub fn all(_: i64) -> bool {
    true
}

/// Settings of a test broker; `extra` lines are appended to its properties file.
pub struct BrokerSpec<'a> {
    pub name: &'a str,
    pub id: i64,
    pub role: &'a str,
    pub flush: &'a str,
    pub extra: &'a str,
}

impl Default for BrokerSpec<'_> {
    fn default() -> Self {
        BrokerSpec {
            name: "broker-a",
            id: 0,
            role: "ASYNC_MASTER",
            flush: "ASYNC_FLUSH",
            extra: "",
        }
    }
}

/// Where [`start_broker`] keeps a broker's files: `dir/<name>-<id>/`.
pub fn broker_home(dir: &Path, spec: &BrokerSpec) -> PathBuf {
    dir.join(format!("{}-{}", spec.name, spec.id))
}

/// Write the broker's properties under [`broker_home`] and start a real `rmqctl broker` on a
/// free port triple, registered with `namesrv`. Returns the process (its `addr` is listenPort).
/// A triple taken between the pick and the broker's bind (another test's broker) is replaced by
/// another one.
pub fn start_broker(dir: &Path, namesrv: SocketAddr, spec: &BrokerSpec) -> ServerProcess {
    start_broker_with_args(dir, namesrv, spec, &[])
}

/// [`start_broker`] with `args` added to its command line (`--access-key NAME`). A restart
/// ([`restart_broker`]) runs without them.
pub fn start_broker_with_args(
    dir: &Path,
    namesrv: SocketAddr,
    spec: &BrokerSpec,
    args: &[&str],
) -> ServerProcess {
    let home = broker_home(dir, spec);
    std::fs::create_dir_all(&home).unwrap();
    let mut attempts = 0;
    loop {
        let port = free_port_triple();
        write_broker_config(&home, namesrv, spec, port);
        match try_start_broker(&home, port, args) {
            Ok(p) => return p,
            Err(e) if e.port_taken() && attempts < 10 => attempts += 1,
            Err(e) => panic!("broker exited early with {}: {}", e.status, e.log),
        }
    }
}

fn write_broker_config(home: &Path, namesrv: SocketAddr, spec: &BrokerSpec, port: u16) {
    std::fs::write(
        home.join("broker.properties"),
        format!(
            "brokerClusterName=DefaultCluster\nbrokerName={}\nbrokerId={}\nbrokerRole={}\nflushDiskType={}\nnamesrvAddr={namesrv}\nbrokerIP1=127.0.0.1\nbindAddress=127.0.0.1\nlistenPort={port}\nstorePathRootDir={}\nmappedFileSizeCommitLog=8388608\ndiskMaxUsedSpaceRatio=95\n{}\n",
            spec.name,
            spec.id,
            spec.role,
            spec.flush,
            home.join("store").display(),
            spec.extra,
        ),
    )
    .unwrap();
}

/// Start (again) the broker whose files are in `home` on `port`. Its ports were its own a moment
/// ago, so a taken port is only waited for (a dying process still holding it), never replaced.
pub fn restart_broker(home: &Path, port: u16) -> ServerProcess {
    let start = Instant::now();
    loop {
        match try_start_broker(home, port, &[]) {
            Ok(p) => return p,
            Err(e) if e.port_taken() && start.elapsed() < Duration::from_secs(10) => {
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) => panic!("broker exited early with {}: {}", e.status, e.log),
        }
    }
}

fn try_start_broker(home: &Path, port: u16, args: &[&str]) -> Result<ServerProcess, EarlyExit> {
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let log = home.join(format!(
        "broker-{}.log",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    let conf = home.join("broker.properties");
    let mut all = vec!["broker", "-c", conf.to_str().unwrap()];
    all.extend_from_slice(args);
    ServerProcess::try_start(&all, addr, &log)
}

/// Whether the slow tests (long C++ runs, SIGKILL loops) are enabled: `RMQCTL_SLOW_TESTS=1`.
pub fn slow_tests_enabled() -> bool {
    let on = std::env::var("RMQCTL_SLOW_TESTS").as_deref() == Ok("1");
    if !on {
        eprintln!("skipping: slow test (set RMQCTL_SLOW_TESTS=1)");
    }
    on
}

/// Block until the name server at `namesrv` has a route for `topic` (max 60 s).
pub fn wait_for_route(namesrv: SocketAddr, topic: &str) -> rmqctl::protocol::route::TopicRouteData {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(route_when_registered(namesrv, topic))
}

/// The route of `topic` from the name server at `namesrv`, once there is one (max 60 s).
pub async fn route_when_registered(
    namesrv: SocketAddr,
    topic: &str,
) -> rmqctl::protocol::route::TopicRouteData {
    use rmqctl::remoting::headers::GetRouteInfoRequestHeader;
    use rmqctl::remoting::{RemotingCommand, RequestCode};
    let client = rmqctl::remoting::client::RemotingClient::default();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        let req = RemotingCommand::request(RequestCode::GET_ROUTEINFO_BY_TOPIC).with_header(
            &GetRouteInfoRequestHeader {
                topic: topic.into(),
                accept_standard_json_only: None,
            },
        );
        if let Ok(r) = client
            .invoke(&namesrv.to_string(), req, Duration::from_secs(3))
            .await
        {
            if r.is_success() {
                return rmqctl::protocol::fastjson::from_slice(r.body_bytes()).unwrap();
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no route for {topic} at {namesrv} within 60 s");
}

/// Run a tests/interop script and parse the JSON object on the last line of its stdout.
pub fn run_cpp_json(python: &Path, script: &str, args: &[&str], home: &Path) -> serde_json::Value {
    let out = run_cpp_script(python, script, args, home);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().rev().find(|l| l.starts_with('{'));
    match last.map(serde_json::from_str::<serde_json::Value>) {
        Some(Ok(v)) => v,
        _ => panic!(
            "{script} {args:?} printed no JSON result (status {}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// Whether the calling test should run its body here. A test that measures its own process
/// (memory) must not share it with the other tests of its binary: the first call re-runs just
/// that test (`module_path!()`, `name`) in a child process of the same binary, asserts it passed
/// and returns false; in the child it returns true.
pub fn in_own_process(module_path: &str, name: &str) -> bool {
    const CHILD: &str = "RMQCTL_TEST_IN_OWN_PROCESS";
    if std::env::var_os(CHILD).is_some() {
        return true;
    }
    let test = test_path(module_path, name);
    let out = Command::new(std::env::current_exe().unwrap())
        .args([test.as_str(), "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{test} in a process of its own: {}\n{stdout}\n{stderr}",
        out.status
    );
    // What it printed (measurements), shown with --nocapture like the test's own output.
    eprint!("{stderr}");
    false
}

/// The name libtest knows a test by: its module path without the crate, then its name.
pub fn test_path(module_path: &str, name: &str) -> String {
    match module_path.split_once("::") {
        Some((_crate, module)) => format!("{module}::{name}"),
        None => name.to_string(),
    }
}

// ---- a small real disk to fill ----

/// A tmpfs of `mib` MiB at `at`, unmounted on drop; `None` where mounting is not allowed
/// (then [`prerequisite_missing`] said so; under tests/run.sh, which runs as root, it fails).
pub struct SmallDisk(PathBuf);

impl SmallDisk {
    pub fn mount(at: &Path, mib: u32) -> Option<SmallDisk> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mib}m"), "tmpfs"])
            .arg(at)
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            prerequisite_missing("permission to mount a tmpfs (run as root)");
            return None;
        }
        Some(SmallDisk(at.to_path_buf()))
    }

    /// Writes `path` (on this disk) until the disk is full; returns the bytes written.
    pub fn fill(&self, path: &Path) -> u64 {
        use std::io::Write;
        let mut file = std::fs::File::create(path).unwrap();
        let mut total = 0u64;
        for chunk in [vec![0x5a_u8; 64 * 1024], vec![0x5a_u8; 4096]] {
            while let Ok(n @ 1..) = file.write(&chunk) {
                total += n as u64;
            }
        }
        total
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).output();
    }
}

/// Deallocates `[from, end of file)` of `file` (`from` counted from the file's start), keeping its size: writes there then need new
/// disk blocks, as in a file whose preallocation did not hold (file systems without
/// `fallocate`, thin volumes). With the disk full, such a write fails with ENOSPC.
pub fn punch_hole(file: &Path, from: u64) {
    use std::os::unix::io::AsRawFd;
    let f = std::fs::OpenOptions::new().write(true).open(file).unwrap();
    let len = f.metadata().unwrap().len();
    assert!(
        from < len,
        "hole from {from} past the end {len} of {}",
        file.display()
    );
    let mode = libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE;
    // SAFETY: fallocate on an open fd with in-range offsets; no memory is passed.
    let rc = unsafe {
        libc::fallocate(
            f.as_raw_fd(),
            mode,
            from as libc::off_t,
            (len - from) as libc::off_t,
        )
    };
    assert_eq!(rc, 0, "punch hole: {}", std::io::Error::last_os_error());
}
