//! Shared helpers for integration tests: free loopback ports, real `rmqctl` server processes
//! that are killed when the test ends, and small-file message stores.
#![allow(dead_code)]

pub mod testbed;
pub mod wire;

use rmqctl::broker::store::{FlushMode, MessageStore, MessageToStore, StoreConfig};
use rmqctl::protocol::message::Properties;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A port that was free a moment ago on 127.0.0.1. Binding port 0 can fail with EADDRINUSE for
/// a moment when the kernel finds no ephemeral port free (seen once in `tests/run.sh` after the
/// kill tests' connection churn): retried for up to 2 s before giving up.
pub fn free_port() -> u16 {
    let start = Instant::now();
    loop {
        match TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()) {
            Ok(a) => return a.port(),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                assert!(
                    start.elapsed() < Duration::from_secs(2),
                    "no free loopback port: {e}"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!("a free loopback port: {e}"),
        }
    }
}

/// A broker needs listenPort-2, listenPort and listenPort+1: find a base where all are free.
pub fn free_port_triple() -> u16 {
    for _ in 0..200 {
        let p = free_port();
        if !(3..=65000).contains(&p) {
            continue;
        }
        if [p - 2, p, p + 1]
            .iter()
            .all(|q| TcpListener::bind(("127.0.0.1", *q)).is_ok())
        {
            return p;
        }
    }
    panic!("no free port triple on loopback");
}

/// A child process killed (SIGKILL) on drop, with its stderr captured in a file.
pub struct ServerProcess {
    pub child: Child,
    pub addr: SocketAddr,
    pub log: PathBuf,
}

impl ServerProcess {
    /// Start `rmqctl ARGS`, logging to `log`, and wait until `addr` accepts connections.
    pub fn start(args: &[&str], addr: SocketAddr, log: &Path) -> ServerProcess {
        let log_file = std::fs::File::create(log).expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_rmqctl"))
            .args(args)
            .env("RUST_LOG", "debug")
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .expect("start rmqctl");
        let mut p = ServerProcess {
            child,
            addr,
            log: log.to_path_buf(),
        };
        p.wait_listening(Duration::from_secs(15));
        p
    }

    fn wait_listening(&mut self, limit: Duration) {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("server exited early with {status}: {}", self.log_text());
            }
            if TcpStream::connect_timeout(&self.addr, Duration::from_millis(100)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "server did not listen on {} in time: {}",
            self.addr,
            self.log_text()
        );
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Send SIGTERM and wait for a clean exit.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            if start.elapsed() > Duration::from_secs(10) {
                let _ = self.child.kill();
                panic!("server ignored SIGTERM: {}", self.log_text());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Run `rmqctl ARGS` (an admin command) to completion, with a clean environment for name-server
/// discovery and a private cache directory.
pub fn rmqctl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rmqctl"))
        .args(args)
        .env_remove("NAMESRV_ADDR")
        .env(
            "XDG_CACHE_HOME",
            std::env::temp_dir().join("rmqctl-test-cache"),
        )
        .output()
        .expect("run rmqctl")
}

/// Stderr of a finished command as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Block until `rmqctl cluster status` through the name server at `namesrv` lists `brokers`
/// brokers (max 15 s).
pub fn wait_registered(namesrv: &str, brokers: usize) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(15) {
        let out = rmqctl(&["cluster", "status", "-n", namesrv, "-o", "json"]);
        if out.status.code() == Some(0)
            && serde_json::from_slice::<serde_json::Value>(&out.stdout)
                .is_ok_and(|v| v["brokers"].as_array().is_some_and(|b| b.len() >= brokers))
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{brokers} broker(s) did not register with {namesrv} within 15 s");
}

/// Start a name server on a free port with fast liveness settings for tests.
pub fn start_namesrv(dir: &Path, expire_ms: u64) -> ServerProcess {
    let port = free_port();
    let conf = dir.join("namesrv.properties");
    std::fs::write(
        &conf,
        format!(
            "listenPort={port}\nbindAddress=127.0.0.1\nkvConfigPath={kv}\nconfigStorePath={store}\nscanNotActiveBrokerInterval=100\nbrokerExpireMillis={expire_ms}\n",
            kv = dir.join("kvConfig.json").display(),
            store = dir.join("namesrv-store.properties").display(),
        ),
    )
    .unwrap();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    ServerProcess::start(
        &["namesrv", "-c", conf.to_str().unwrap()],
        addr,
        &dir.join("namesrv.log"),
    )
}

/// The Python of the venv holding the Apache C++ client (PyPI `rocketmq==0.4.4`).
/// `tests/run.sh` installs it and sets `RMQCTL_CPP_PYTHON`; a plain `cargo test` without it skips
/// the interop tests unless `RMQCTL_REQUIRE_INTEROP=1`, which turns a missing client into a failure.
pub fn cpp_client_python() -> Option<PathBuf> {
    let candidate = std::env::var_os("RMQCTL_CPP_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-cpp/bin/python"));
    if candidate.exists() {
        return Some(candidate);
    }
    if std::env::var("RMQCTL_REQUIRE_INTEROP").as_deref() == Ok("1") {
        panic!(
            "the C++ client venv is missing at {}; run tests/run.sh",
            candidate.display()
        );
    }
    eprintln!("skipping: no C++ client venv at {}", candidate.display());
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

/// Write the broker's properties under `dir/<name>-<id>/` and start a real `rmqctl broker` on a
/// free port triple, registered with `namesrv`. Returns the process (its `addr` is listenPort).
pub fn start_broker(dir: &Path, namesrv: SocketAddr, spec: &BrokerSpec) -> ServerProcess {
    let port = free_port_triple();
    let home = dir.join(format!("{}-{}", spec.name, spec.id));
    std::fs::create_dir_all(&home).unwrap();
    let conf = home.join("broker.properties");
    std::fs::write(
        &conf,
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
    restart_broker(&home, port)
}

/// Start (again) the broker whose files are in `home` on `port`.
pub fn restart_broker(home: &Path, port: u16) -> ServerProcess {
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let log = home.join(format!(
        "broker-{}.log",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis()
    ));
    let conf = home.join("broker.properties");
    ServerProcess::start(&["broker", "-c", conf.to_str().unwrap()], addr, &log)
}

/// Whether the slow tests (long C++ runs, SIGKILL loops) are enabled: `RMQCTL_SLOW_TESTS=1`.
pub fn slow_tests_enabled() -> bool {
    let on = std::env::var("RMQCTL_SLOW_TESTS").as_deref() == Ok("1");
    if !on {
        eprintln!("skipping: slow test (set RMQCTL_SLOW_TESTS=1)");
    }
    on
}

/// Block until the name server at `namesrv` has a route for `topic` (max 15 s).
pub fn wait_for_route(namesrv: SocketAddr, topic: &str) -> rmqctl::protocol::route::TopicRouteData {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(route_when_registered(namesrv, topic))
}

/// The route of `topic` from the name server at `namesrv`, once there is one (max 15 s).
pub async fn route_when_registered(
    namesrv: SocketAddr,
    topic: &str,
) -> rmqctl::protocol::route::TopicRouteData {
    use rmqctl::remoting::headers::GetRouteInfoRequestHeader;
    use rmqctl::remoting::{RemotingCommand, RequestCode};
    let client = rmqctl::remoting::client::RemotingClient::default();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(15) {
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
    panic!("no route for {topic} at {namesrv} within 15 s");
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
