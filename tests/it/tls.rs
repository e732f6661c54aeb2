//! TLS on the remoting port (issue 14): a real `rmqctl namesrv` in each `tls.server.mode`, real
//! `rmqctl` admin commands connecting plain and with `--tls` (accepted or refused as the mode
//! says, the refusal in operator words), mutual authentication with good, missing, untrusted and
//! expired client certificates, bad certificate files stopping the server at start (exit 2), a
//! stalled handshake timing out without harm, Debian's `openssl s_client` against the port, and
//! a broker registering over TLS with a name server that accepts TLS only.

use crate::common;

use common::{rmqctl, stderr, BrokerSpec, ServerProcess};
use rmqctl::remoting::tls::issue::{CertificateAuthority, Usage, Validity};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Certificates of one test, written as PEM files under `dir`.
struct Pki {
    dir: PathBuf,
}

impl Pki {
    /// A CA (`ca.pem`), a server certificate for localhost/127.0.0.1 (`server.pem`/`-key.pem`),
    /// a client certificate (`client`), one from another CA (`stranger`), an expired one
    /// (`expired`), a server certificate for another name (`elsewhere`), and a second CA
    /// (`other-ca.pem`).
    fn generate(dir: &Path) -> Pki {
        let ca = CertificateAuthority::generate("rmqctl test CA", Validity::days(30)).unwrap();
        let other = CertificateAuthority::generate("another CA", Validity::days(30)).unwrap();
        std::fs::write(dir.join("ca.pem"), ca.cert_pem()).unwrap();
        std::fs::write(dir.join("other-ca.pem"), other.cert_pem()).unwrap();
        let local = vec!["localhost".to_string(), "127.0.0.1".to_string()];
        let write = |name: &str, issued: rmqctl::remoting::tls::issue::IssuedPem| {
            std::fs::write(dir.join(format!("{name}.pem")), issued.cert_pem).unwrap();
            std::fs::write(dir.join(format!("{name}-key.pem")), issued.key_pem).unwrap();
        };
        write(
            "server",
            ca.issue(&local, Usage::Server, Validity::days(30)).unwrap(),
        );
        write(
            "elsewhere",
            ca.issue(
                &["mq.example.org".into()],
                Usage::Server,
                Validity::days(30),
            )
            .unwrap(),
        );
        write(
            "client",
            ca.issue(&["admin".into()], Usage::Client, Validity::days(30))
                .unwrap(),
        );
        write(
            "stranger",
            other
                .issue(&["admin".into()], Usage::Client, Validity::days(30))
                .unwrap(),
        );
        let past = Validity {
            from_days: -30,
            until_days: -2,
        };
        write(
            "expired",
            ca.issue(&["admin".into()], Usage::Client, past).unwrap(),
        );
        Pki {
            dir: dir.to_path_buf(),
        }
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }
}

/// The properties of a test name server (port 0) with `tls` lines added.
fn namesrv_conf(dir: &Path, tls: &str) -> PathBuf {
    let conf = dir.join("namesrv.properties");
    std::fs::write(
        &conf,
        format!(
            "listenPort=0\nbindAddress=127.0.0.1\nkvConfigPath={}\nconfigStorePath={}\n{tls}\n",
            dir.join("kvConfig.json").display(),
            dir.join("namesrv-store.properties").display(),
        ),
    )
    .unwrap();
    conf
}

fn start_namesrv(dir: &Path, tls: &str) -> ServerProcess {
    let conf = namesrv_conf(dir, tls);
    ServerProcess::start_on_port_0(
        &["namesrv", "-c", conf.to_str().unwrap()],
        &dir.join("namesrv.log"),
        "name server listening",
    )
}

fn server_keys(pki: &Pki, mode: &str) -> String {
    format!(
        "tls.server.mode={mode}\ntls.server.certPath={}\ntls.server.keyPath={}\n",
        pki.path("server.pem"),
        pki.path("server-key.pem")
    )
}

/// `rmqctl cluster status -n ADDR EXTRA...`: (success, stderr).
fn cluster_status(addr: &str, extra: &[&str]) -> (bool, String) {
    let mut args = vec!["cluster", "status", "-n", addr, "--timeout", "10s"];
    args.extend_from_slice(extra);
    let out = rmqctl(&args);
    (out.status.success(), stderr(&out))
}

#[test]
fn each_mode_accepts_and_refuses_as_it_says() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::generate(dir.path());
    let ca = pki.path("ca.pem");
    let tls_args = ["--tls", "--tls-ca", ca.as_str()];
    for mode in ["disabled", "permissive", "enforcing"] {
        let home = dir.path().join(mode);
        std::fs::create_dir_all(&home).unwrap();
        let server = start_namesrv(&home, &server_keys(&pki, mode));
        let addr = format!("127.0.0.1:{}", server.addr.port());
        let (plain_ok, plain_err) = cluster_status(&addr, &[]);
        let (tls_ok, tls_err) = cluster_status(&addr, &tls_args);
        match mode {
            "disabled" => {
                assert!(plain_ok, "plain against disabled: {plain_err}");
                assert!(!tls_ok, "TLS against disabled must fail");
                assert!(tls_err.contains("speaks plain TCP"), "{tls_err}");
            }
            "permissive" => {
                assert!(plain_ok, "plain against permissive: {plain_err}");
                assert!(tls_ok, "TLS against permissive: {tls_err}");
            }
            _ => {
                assert!(!plain_ok, "plain against enforcing must fail");
                assert!(plain_err.contains("--tls"), "{plain_err}");
                assert!(tls_ok, "TLS against enforcing: {tls_err}");
            }
        }
        let log = server.log_text();
        match mode {
            "disabled" => assert!(
                log.contains("tls.server.mode=disabled serves plain TCP only"),
                "{log}"
            ),
            "enforcing" => assert!(
                log.contains("tls.server.mode=enforcing accepts TLS only"),
                "{log}"
            ),
            _ => {}
        }
    }
}

#[test]
fn client_errors_name_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::generate(dir.path());
    let server = start_namesrv(dir.path(), &server_keys(&pki, "enforcing"));
    let port = server.addr.port();
    let addr = format!("127.0.0.1:{port}");
    let other_ca = pki.path("other-ca.pem");
    let (ok, err) = cluster_status(&addr, &["--tls", "--tls-ca", &other_ca]);
    assert!(!ok && err.contains("unknown CA"), "{err}");
    // Without a CA, --tls alone says what to pass.
    let (ok, err) = cluster_status(&addr, &["--tls"]);
    assert!(!ok && err.contains("--tls-ca FILE"), "{err}");
    // --tls-insecure connects, loudly.
    let (ok, err) = cluster_status(&addr, &["--tls-insecure"]);
    assert!(ok, "{err}");
    assert!(err.contains("NOT verified"), "{err}");
    // The same settings from the environment.
    let out = common::rmqctl_command()
        .args(["cluster", "status", "-n", &addr])
        .env("RMQCTL_TLS", "true")
        .env("RMQCTL_TLS_CA", pki.path("ca.pem"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    drop(server);

    // A certificate for another name: the error lists the names it carries.
    let home = dir.path().join("elsewhere");
    std::fs::create_dir_all(&home).unwrap();
    let keys = format!(
        "tls.server.mode=enforcing\ntls.server.certPath={}\ntls.server.keyPath={}\n",
        pki.path("elsewhere.pem"),
        pki.path("elsewhere-key.pem")
    );
    let server = start_namesrv(&home, &keys);
    let addr = format!("127.0.0.1:{}", server.addr.port());
    let ca = pki.path("ca.pem");
    let (ok, err) = cluster_status(&addr, &["--tls", "--tls-ca", &ca]);
    assert!(!ok && err.contains("name mismatch"), "{err}");
    assert!(err.contains("mq.example.org"), "{err}");
}

#[test]
fn mutual_auth_takes_only_good_client_certificates() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::generate(dir.path());
    let keys = format!(
        "{}tls.server.need.client.auth=require\ntls.server.trustCertPath={}\n",
        server_keys(&pki, "enforcing"),
        pki.path("ca.pem")
    );
    let server = start_namesrv(dir.path(), &keys);
    let addr = format!("127.0.0.1:{}", server.addr.port());
    let ca = pki.path("ca.pem");
    let with_cert = |name: &str| {
        let cert = pki.path(&format!("{name}.pem"));
        let key = pki.path(&format!("{name}-key.pem"));
        cluster_status(
            &addr,
            &["--tls-ca", &ca, "--tls-cert", &cert, "--tls-key", &key],
        )
    };
    let (ok, err) = with_cert("client");
    assert!(ok, "a good client certificate: {err}");
    let (ok, err) = cluster_status(&addr, &["--tls-ca", &ca]);
    assert!(!ok, "no client certificate must be refused");
    assert!(err.contains("wants a client certificate"), "{err}");
    for bad in ["stranger", "expired"] {
        let (ok, err) = with_cert(bad);
        assert!(!ok, "the {bad} client certificate must be refused");
        assert!(
            err.contains("refused this client's certificate"),
            "{bad}: {err}"
        );
    }
    // The server logged the failures and still serves.
    assert!(with_cert("client").0);
    let log = server.log_text();
    assert!(log.contains("TLS handshake failed"), "{log}");
}

#[test]
fn bad_certificate_files_stop_the_server_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::generate(dir.path());
    let cases = [
        (
            format!(
                "tls.server.mode=enforcing\ntls.server.certPath={}\ntls.server.keyPath={}\n",
                pki.path("missing.pem"),
                pki.path("server-key.pem")
            ),
            "missing.pem: cannot read",
        ),
        (
            format!(
                "tls.server.mode=enforcing\ntls.server.certPath={}\ntls.server.keyPath={}\n",
                pki.path("server.pem"),
                pki.path("client-key.pem")
            ),
            "do not go together",
        ),
        (
            format!(
                "tls.server.mode=enforcing\ntls.server.certPath={}\ntls.server.keyPath={}\n",
                pki.path("server-key.pem"),
                pki.path("server-key.pem")
            ),
            "BEGIN CERTIFICATE",
        ),
        (
            "tls.server.mode=enforcing\n".to_string(),
            "no certificate is configured",
        ),
        (
            "tls.server.mode=strict\n".to_string(),
            "disabled, permissive or enforcing",
        ),
    ];
    for (keys, expected) in cases {
        let conf = namesrv_conf(dir.path(), &keys);
        let out = common::rmqctl_command()
            .args(["namesrv", "-c", conf.to_str().unwrap()])
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{keys}: {err}");
        assert!(
            err.contains(expected),
            "{keys}: expected `{expected}` in {err}"
        );
    }
}

/// Debian's openssl for the tests that need it (tests/run.sh installs it).
fn openssl() -> Option<&'static str> {
    let found = std::process::Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        common::prerequisite_missing("openssl (Debian package openssl)");
        eprintln!("skipping: no openssl");
        return None;
    }
    Some("openssl")
}

/// `NAME-key.pem` of `pki` encrypted by openssl as Apache's guide does (PKCS#8 v2, AES-256-CBC)
/// with `password`, written to `NAME-key-enc.pem`; returns its path.
fn encrypt_key(openssl: &str, pki: &Pki, name: &str, password: &str) -> String {
    let encrypted = pki.path(&format!("{name}-key-enc.pem"));
    let out = std::process::Command::new(openssl)
        .args(["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-passout"])
        .arg(format!("pass:{password}"))
        .arg("-in")
        .arg(pki.path(&format!("{name}-key.pem")))
        .args(["-out", &encrypted])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    encrypted
}

#[test]
fn encrypted_pkcs8_key_and_openssl_s_client() {
    let Some(openssl) = openssl() else { return };
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::generate(dir.path());
    let encrypted = encrypt_key(openssl, &pki, "server", "s3cret");
    assert!(std::fs::read_to_string(&encrypted)
        .unwrap()
        .contains("BEGIN ENCRYPTED PRIVATE KEY"));
    // A wrong password stops the server with exit 2, naming the file.
    let keys = |password: &str| {
        format!(
            "tls.server.mode=enforcing\ntls.server.certPath={}\ntls.server.keyPath={encrypted}\ntls.server.keyPassword={password}\n",
            pki.path("server.pem")
        )
    };
    let conf = namesrv_conf(dir.path(), &keys("Wr0ngPa55"));
    let out = common::rmqctl_command()
        .args(["namesrv", "-c", conf.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("server-key-enc.pem: cannot decrypt"),
        "{}",
        stderr(&out)
    );
    assert!(
        !stderr(&out).contains("Wr0ngPa55"),
        "the password must not be printed"
    );

    let server = start_namesrv(dir.path(), &keys("s3cret"));
    let out = std::process::Command::new(openssl)
        .args([
            "s_client",
            "-connect",
            &format!("127.0.0.1:{}", server.addr.port()),
        ])
        .args([
            "-CAfile",
            &pki.path("ca.pem"),
            "-verify_return_error",
            "-brief",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(text.contains("Protocol version: TLSv1.3"), "{text}");
    assert!(text.contains("Verification: OK"), "{text}");
    assert!(
        text.contains("CN = localhost") || text.contains("CN=localhost"),
        "{text}"
    );
}

#[test]
fn a_stalled_handshake_times_out_and_the_server_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::generate(dir.path());
    let server = start_namesrv(dir.path(), &server_keys(&pki, "permissive"));
    let mut stalled = std::net::TcpStream::connect(server.addr).unwrap();
    // The first bytes of a TLS record, then nothing.
    stalled.write_all(&[0x16, 0x03, 0x01]).unwrap();
    stalled
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 16];
    let read = stalled.read(&mut buf);
    assert!(
        matches!(read, Ok(0)) || read.is_err() && start.elapsed() < Duration::from_secs(55),
        "the server must close a stalled handshake: {read:?}"
    );
    let addr = format!("127.0.0.1:{}", server.addr.port());
    let ca = pki.path("ca.pem");
    let (ok, err) = cluster_status(&addr, &["--tls-ca", &ca]);
    assert!(ok, "{err}");
    assert!(
        server.log_text().contains("not finished within"),
        "{}",
        server.log_text()
    );
}

#[test]
fn broker_registers_over_tls_with_an_enforcing_name_server() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::generate(dir.path());
    let server = start_namesrv(dir.path(), &server_keys(&pki, "enforcing"));
    let extra = format!(
        "{}tls.enable=true\ntls.client.trustCertPath={}\n",
        server_keys(&pki, "permissive"),
        pki.path("ca.pem")
    );
    let _broker = common::start_broker(
        dir.path(),
        server.addr,
        &BrokerSpec {
            name: "broker-tls",
            extra: &extra,
            ..BrokerSpec::default()
        },
    );
    let addr = format!("127.0.0.1:{}", server.addr.port());
    let ca = pki.path("ca.pem");
    let start = Instant::now();
    loop {
        let out = rmqctl(&["cluster", "status", "-n", &addr, "--tls-ca", &ca]);
        if String::from_utf8_lossy(&out.stdout).contains("broker-tls") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "broker-tls did not register over TLS: {}",
            stderr(&out)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn cpp_client_keeps_working_in_plain_tcp_against_a_permissive_name_server() {
    let Some(python) = common::cpp_client_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::generate(dir.path());
    let server = start_namesrv(dir.path(), &server_keys(&pki, "permissive"));
    let out = common::run_cpp_script(
        &python,
        "cpp_send_unknown_topic.py",
        &[&format!("127.0.0.1:{}", server.addr.port())],
        dir.path(),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("No route info of this topic: NoSuchTopicXYZ"),
        "C++ client output: {stdout} {}",
        stderr(&out)
    );
    let log = server.log_text();
    assert!(
        log.lines()
            .any(|l| l.contains("language=Some(CPP)") && l.contains("TOPIC_NOT_EXIST(17)")),
        "no answer to the C++ client over plain TCP in:\n{log}"
    );
}

#[test]
fn bench_produces_over_tls_to_an_enforcing_broker() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::generate(dir.path());
    let namesrv = common::start_namesrv(dir.path(), 120_000);
    let broker = common::start_broker(
        dir.path(),
        namesrv.addr,
        &BrokerSpec {
            name: "broker-bench-tls",
            extra: &server_keys(&pki, "enforcing"),
            ..BrokerSpec::default()
        },
    );
    let addr = format!("127.0.0.1:{}", broker.addr.port());
    let ca = pki.path("ca.pem");
    let out = rmqctl(&[
        "bench",
        "produce",
        "-b",
        &addr,
        "--duration",
        "2",
        "--producers",
        "4",
        "-o",
        "json",
        "--tls-ca",
        &ca,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["messages"].as_u64().unwrap() > 0, "{report}");
    // The same broker refuses the plain load generator.
    let out = rmqctl(&[
        "bench",
        "produce",
        "-b",
        &addr,
        "--duration",
        "1",
        "-o",
        "json",
    ]);
    assert!(
        !out.status.success(),
        "plain bench against an enforcing broker must fail"
    );
}

/// A value of `rmqctl broker status BROKER -o json` over TLS.
fn tls_runtime_value(namesrv: &str, broker: &str, ca: &str, key: &str) -> Option<String> {
    let out = rmqctl(&[
        "broker", "status", broker, "-n", namesrv, "-o", "json", "--tls-ca", ca,
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let found = v
        .get(key)
        .or_else(|| v.get("values").and_then(|t| t.get(key)));
    found.and_then(|s| s.as_str()).map(str::to_string)
}

#[test]
fn slave_replicates_over_tls_from_an_enforcing_master() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::generate(dir.path());
    let ca = pki.path("ca.pem");
    let ns = start_namesrv(dir.path(), &server_keys(&pki, "enforcing"));
    let tls = format!(
        "{}tls.enable=true\ntls.client.trustCertPath={ca}\n",
        server_keys(&pki, "enforcing")
    );
    let master = common::start_broker(
        dir.path(),
        ns.addr,
        &BrokerSpec {
            name: "broker-ha-tls",
            role: "SYNC_MASTER",
            extra: &tls,
            ..BrokerSpec::default()
        },
    );
    let slave = common::start_broker(
        dir.path(),
        ns.addr,
        &BrokerSpec {
            name: "broker-ha-tls",
            id: 1,
            role: "SLAVE",
            extra: &tls,
            ..BrokerSpec::default()
        },
    );
    let namesrv = format!("127.0.0.1:{}", ns.addr.port());
    let slave_addr = format!("127.0.0.1:{}", slave.addr.port());
    let start = Instant::now();
    while tls_runtime_value(&namesrv, &slave_addr, &ca, "haConnectionState").as_deref()
        != Some("TRANSFER")
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the slave did not connect to its master over TLS: {}",
            slave.log_text()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // SYNC_MASTER sends are acknowledged once the slave has the bytes: over the TLS link.
    let master_addr = format!("127.0.0.1:{}", master.addr.port());
    let out = rmqctl(&[
        "bench",
        "produce",
        "-b",
        &master_addr,
        "--duration",
        "2",
        "--producers",
        "2",
        "-o",
        "json",
        "--tls-ca",
        &ca,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["messages"].as_u64().unwrap() > 0, "{report}");
    let acked = tls_runtime_value(&namesrv, &master_addr, &ca, "haSlave.0.ackOffset")
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    assert!(
        acked > 0,
        "the slave acknowledged nothing: {}",
        master.log_text()
    );
    assert!(!master.log_text().contains("closing plain TCP connection"));
}

#[test]
fn tls_init_writes_a_ca_and_certificates_that_servers_and_clients_use() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().join("certs");
    let out = rmqctl(&["tls", "init", certs.to_str().unwrap(), "--client"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for key in ["ca-key.pem", "localhost-key.pem", "client-key.pem"] {
        let mode = std::fs::metadata(certs.join(key))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{key}");
    }
    // Never overwrites.
    let again = rmqctl(&["tls", "init", certs.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );

    let file = |name: &str| certs.join(name).display().to_string();
    let keys = format!(
        "tls.server.mode=enforcing\ntls.server.certPath={}\ntls.server.keyPath={}\ntls.server.need.client.auth=require\ntls.server.trustCertPath={}\n",
        file("localhost.pem"),
        file("localhost-key.pem"),
        file("ca.pem")
    );
    let server = start_namesrv(dir.path(), &keys);
    let addr = format!("localhost:{}", server.addr.port());
    let (ok, err) = cluster_status(
        &addr,
        &[
            "--tls-ca",
            &file("ca.pem"),
            "--tls-cert",
            &file("client.pem"),
            "--tls-key",
            &file("client-key.pem"),
        ],
    );
    assert!(ok, "{err}");

    // One certificate per inventory host, carrying its name and address.
    let inventory = Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/2m-2s-sync.toml");
    let bed = dir.path().join("bed");
    let out = rmqctl(&[
        "tls",
        "init",
        bed.to_str().unwrap(),
        "--hosts",
        inventory.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains("master-a") && listed.contains("10.77.0.11"),
        "{listed}"
    );
    for host in ["master-a", "slave-a", "master-b", "slave-b"] {
        assert!(bed.join(format!("{host}.pem")).exists(), "{host}");
    }
}

#[test]
fn an_encrypted_client_key_takes_its_password_from_the_environment() {
    let Some(openssl) = openssl() else { return };
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::generate(dir.path());
    let encrypted = encrypt_key(openssl, &pki, "client", "cl1ent");
    let keys = format!(
        "{}tls.server.need.client.auth=require\ntls.server.trustCertPath={}\n",
        server_keys(&pki, "enforcing"),
        pki.path("ca.pem")
    );
    let server = start_namesrv(dir.path(), &keys);
    let addr = format!("127.0.0.1:{}", server.addr.port());
    let (ca, cert) = (pki.path("ca.pem"), pki.path("client.pem"));
    let status = |password: Option<&str>| {
        let mut command = common::rmqctl_command();
        command.args([
            "cluster",
            "status",
            "-n",
            &addr,
            "--tls-ca",
            &ca,
            "--tls-cert",
            &cert,
            "--tls-key",
            &encrypted,
        ]);
        if let Some(p) = password {
            command.env("RMQCTL_TLS_KEY_PASSWORD", p);
        }
        command.output().unwrap()
    };
    let out = status(None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("RMQCTL_TLS_KEY_PASSWORD"),
        "{}",
        stderr(&out)
    );
    let out = status(Some("cl1ent"));
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn completion_lookups_take_tls_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::generate(dir.path());
    let server = start_namesrv(dir.path(), &server_keys(&pki, "enforcing"));
    let extra = format!(
        "{}tls.enable=true\ntls.client.trustCertPath={}\n",
        server_keys(&pki, "permissive"),
        pki.path("ca.pem")
    );
    let _broker = common::start_broker(
        dir.path(),
        server.addr,
        &BrokerSpec {
            name: "broker-complete",
            extra: &extra,
            ..BrokerSpec::default()
        },
    );
    let addr = format!("127.0.0.1:{}", server.addr.port());
    let ca = pki.path("ca.pem");
    let cache = tempfile::tempdir().unwrap();
    let complete = |tls_ca: Option<&str>| {
        let mut command = common::rmqctl_command();
        command
            .args(["__complete", "topics"])
            .env("NAMESRV_ADDR", &addr)
            .env("XDG_CACHE_HOME", cache.path())
            .env_remove("RMQCTL_TLS_CA");
        if let Some(ca) = tls_ca {
            command.env("RMQCTL_TLS_CA", ca);
        }
        String::from_utf8_lossy(&command.output().unwrap().stdout).into_owned()
    };
    // The broker's own topic appears once it registered over TLS.
    let start = Instant::now();
    let mut names = complete(Some(&ca));
    while !names.lines().any(|l| l == "broker-complete") {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no live names over TLS: {names:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
        names = complete(Some(&ca));
    }
    // Without $RMQCTL_TLS_CA the enforcing name server refuses plain TCP: names from a fresh
    // cache directory only (none).
    std::fs::remove_dir_all(cache.path().join("rmqctl")).unwrap();
    assert_eq!(complete(None).trim(), "", "plain TCP must not be answered");
}
