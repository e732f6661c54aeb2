//! `rmqctl deploy inventories/local.toml`: the whole 2m-2s-sync cluster on this machine with no
//! SSH (local transport, nohup supervision, no firewall step), then status, an unchanged
//! re-deploy, the refusal to change anything without a terminal or `--yes`, a dry run that shows
//! a changed key, and destroy leaving no process and no file.

use crate::common;

use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            common::stderr(out)
        )
    })
}

/// The shipped local inventory on free ports, installed under `dir`.
fn local_inventory(dir: &Path) -> String {
    local_inventory_and_free_port(dir).0
}

/// [`local_inventory`], and one more port free beside its own (for a gateway).
fn local_inventory_and_free_port(dir: &Path) -> (String, u16) {
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/local.toml"),
    )
    .expect("read inventories/local.toml");
    // Four brokers, port_step 4: base-2 to base+13 (each broker's fast, main and HA ports),
    // the name server on base+14, base+15 left free for the caller.
    let base = common::free_port_block(2, 15);
    let namesrv_port = base + 14;
    let text = shipped
        .replace(
            "install_root = \"../.rmqctl/local\"",
            &format!(
                "install_root = \"{}\"\nbase_port = {base}\nport_step = 4",
                dir.join("cluster").display()
            ),
        )
        .replace("port = 9876", &format!("port = {namesrv_port}"));
    let path = dir.join("local.toml");
    std::fs::write(&path, text).expect("write the inventory");
    (path.display().to_string(), base + 15)
}

fn pids(status: &Value) -> Vec<u64> {
    status["instances"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["pid"].as_u64())
        .collect()
}

#[test]
fn local_inventory_deploys_a_whole_cluster_on_this_machine_and_destroy_removes_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inventory = local_inventory(dir.path());

    let out = common::rmqctl(&["deploy", &inventory, "--yes", "-o", "json"]);
    let report = json_of(&out);
    assert!(out.status.success(), "{report:#}\n{}", common::stderr(&out));
    assert_eq!(report["hosts"][0]["transport"], "local");
    assert_eq!(report["hosts"][0]["supervisor"], "nohup");
    let checks = report["checks"].as_array().expect("checks");
    assert!(checks.iter().all(|c| c["ok"] == true), "{report:#}");
    assert!(checks.iter().any(|c| c["check"] == "in-sync"), "{report:#}");

    let out = common::rmqctl(&["status", &inventory, "-o", "json"]);
    let status = json_of(&out);
    assert_eq!(out.status.code(), Some(0), "{status:#}");
    let states: Vec<(&str, &str, bool)> = status["instances"]
        .as_array()
        .expect("instances")
        .iter()
        .map(|i| {
            (
                i["instance"].as_str().unwrap_or(""),
                i["state"].as_str().unwrap_or(""),
                i["registered"] != false && i["in_sync"] != false,
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("namesrv", "running", true),
            ("broker-a", "running", true),
            ("broker-b", "running", true),
            ("broker-a-s", "running", true),
            ("broker-b-s", "running", true)
        ]
    );
    let running = pids(&status);

    // Unchanged: nothing to ask, nothing restarted, even without a terminal or --yes.
    let out = common::rmqctl(&["deploy", &inventory, "-o", "json"]);
    let again = json_of(&out);
    assert!(out.status.success(), "{again:#}");
    assert_eq!(again["changed"], false, "{again:#}");

    // A changed key: without a terminal and without --yes, deploy refuses (exit 2) and changes nothing.
    let original = std::fs::read_to_string(&inventory).unwrap_or_default();
    let changed_text = original.replace("fileReservedTime = 48", "fileReservedTime = 24");
    std::fs::write(&inventory, &changed_text).expect("rewrite");
    let out = common::rmqctl(&["deploy", &inventory]);
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
    assert!(
        common::stderr(&out).contains("--yes"),
        "{}",
        common::stderr(&out)
    );
    let dry = common::rmqctl(&["deploy", &inventory, "--dry-run"]);
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(dry.status.success(), "{text}");
    assert!(
        text.contains("+fileReservedTime=24") && text.contains("-fileReservedTime=48"),
        "{text}"
    );
    assert!(text.contains("dry run: nothing was changed"), "{text}");
    let out = common::rmqctl(&["status", &inventory, "-o", "json"]);
    assert_eq!(
        pids(&json_of(&out)),
        running,
        "a refused or dry deploy restarted something"
    );

    // Destroy: no process, no file.
    let out = common::rmqctl(&["destroy", &inventory, "--yes"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    for pid in running {
        // A zombie (state Z) waits only for its reaper: it does not run.
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let state = stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .chars()
            .next();
        assert!(
            matches!(state, None | Some('Z')),
            "process {pid} survived destroy: {stat}"
        );
    }
    assert!(
        !dir.path().join("cluster").exists(),
        "install root left behind"
    );
}

/// The local cluster with `[acl]` (name servers checking too): every server gets plain_acl.yml
/// (0600) and `aclEnable=true`, brokers register and slaves sync with the broker account whose
/// secret never reaches a command line, deploy's checks (registration, slaves in sync) pass with
/// the inventory's admin account, admin commands given `-i` sign with it, and unsigned ones are
/// refused.
#[test]
fn local_inventory_with_acl_deploys_a_signed_cluster() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let inventory = local_inventory(dir.path());
    let mut text = std::fs::read_to_string(&inventory).expect("read");
    text.push_str(
        "\n[acl]\nnamesrv = true\n[[acl.accounts]]\naccess_key = \"rmqadmin\"\nsecret_key = \"admin-secret-9\"\nadmin = true\n\
         [[acl.accounts]]\naccess_key = \"producer1\"\nsecret_key = \"secret-p1\"\ndefault_topic_perm = \"PUB\"\n",
    );
    std::fs::write(&inventory, text).expect("write");

    let out = common::rmqctl(&["deploy", &inventory, "--yes", "-o", "json"]);
    let report = json_of(&out);
    assert!(out.status.success(), "{report:#}\n{}", common::stderr(&out));
    let checks = report["checks"].as_array().expect("checks");
    assert!(checks.iter().all(|c| c["ok"] == true), "{report:#}");
    assert!(checks.iter().any(|c| c["check"] == "in-sync"), "{report:#}");

    let acl = dir.path().join("cluster/conf/plain_acl.yml");
    let mode = std::fs::metadata(&acl)
        .expect("plain_acl.yml")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    let status = json_of(&common::rmqctl(&["status", &inventory, "-o", "json"]));
    for pid in pids(&status) {
        let cmdline = std::fs::read_to_string(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        assert!(!cmdline.contains("secret"), "a secret in argv: {cmdline:?}");
        if cmdline.contains("broker") {
            assert!(cmdline.contains("--access-key\0rmqadmin"), "{cmdline:?}");
        }
    }

    let created = common::rmqctl(&["topic", "create", "-t", "Signed", "-i", &inventory]);
    assert!(created.status.success(), "{}", common::stderr(&created));
    let ns = report["namesrv_addr"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| {
            let text = std::fs::read_to_string(&inventory).unwrap_or_default();
            let port = text
                .lines()
                .find_map(|l| l.strip_prefix("port = "))
                .unwrap_or("9876")
                .to_string();
            format!("127.0.0.1:{port}")
        });
    let unsigned = common::rmqctl(&["topic", "create", "-t", "Unsigned", "-n", &ns]);
    assert_eq!(
        unsigned.status.code(),
        Some(1),
        "{}",
        common::stderr(&unsigned)
    );
    assert!(
        common::stderr(&unsigned).contains("NO_PERMISSION"),
        "{}",
        common::stderr(&unsigned)
    );

    let out = common::rmqctl(&["destroy", &inventory, "--yes"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// `rmqctl tls init DIR --hosts INVENTORY --client` then `deploy`: the local cluster with `[tls]`
/// mode enforcing and client certificates required. Deploy uploads the CA, the host's
/// certificate (0644) and key (0600), brokers register and slaves sync over TLS presenting the
/// host certificate, deploy's checks and `status` connect with the inventory's CA and client
/// certificate, admin commands given `-i` do too, a plain-TCP admin client is refused by the
/// name server, and destroy removes everything.
#[test]
fn local_inventory_with_tls_init_deploys_an_enforcing_cluster() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let inventory = local_inventory(dir.path());
    let mut text = std::fs::read_to_string(&inventory).expect("read");
    text.push_str("\n[tls]\nmode = \"enforcing\"\nclient_auth = \"require\"\n");
    std::fs::write(&inventory, &text).expect("write");
    // The default [tls] dir: `tls` beside the inventory.
    let tls_dir = dir.path().join("tls");
    let out = common::rmqctl(&[
        "tls",
        "init",
        &tls_dir.display().to_string(),
        "--hosts",
        &inventory,
        "--client",
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));

    let out = common::rmqctl(&["check", &inventory]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        common::stderr(&out)
    );

    let out = common::rmqctl(&["deploy", &inventory, "--yes", "-o", "json"]);
    let report = json_of(&out);
    assert!(out.status.success(), "{report:#}\n{}", common::stderr(&out));
    let checks = report["checks"].as_array().expect("checks");
    assert!(checks.iter().all(|c| c["ok"] == true), "{report:#}");
    assert!(
        checks.iter().any(|c| c["check"] == "registered"),
        "{report:#}"
    );
    assert!(checks.iter().any(|c| c["check"] == "in-sync"), "{report:#}");

    let conf = dir.path().join("cluster/conf");
    let mode = |name: &str| {
        std::fs::metadata(conf.join("tls").join(name))
            .unwrap_or_else(|e| panic!("conf/tls/{name}: {e}"))
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(
        (mode("ca.pem"), mode("cert.pem"), mode("key.pem")),
        (0o644, 0o644, 0o600)
    );
    assert_eq!(
        std::fs::read(conf.join("tls/cert.pem")).ok(),
        std::fs::read(tls_dir.join("local.pem")).ok(),
        "the host's own certificate from tls init"
    );
    let namesrv_file = std::fs::read_to_string(conf.join("namesrv.properties")).unwrap_or_default();
    assert!(
        namesrv_file.contains("tls.server.mode=enforcing"),
        "{namesrv_file}"
    );

    let out = common::rmqctl(&["status", &inventory, "-o", "json"]);
    let status = json_of(&out);
    assert_eq!(out.status.code(), Some(0), "{status:#}");
    for instance in status["instances"].as_array().expect("instances") {
        assert_eq!(instance["state"], "running", "{status:#}");
        assert_ne!(instance["registered"], false, "{status:#}");
        assert_ne!(instance["in_sync"], false, "{status:#}");
    }

    // Admin commands given -i connect as the inventory says (CA and client certificate).
    let out = common::rmqctl(&["cluster", "status", "-i", &inventory]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    // A plain-TCP client is refused by the enforcing name server.
    let port = text
        .lines()
        .find_map(|l| l.strip_prefix("port = "))
        .expect("namesrv port")
        .trim()
        .to_string();
    let plain = common::rmqctl(&[
        "cluster",
        "status",
        "-n",
        &format!("127.0.0.1:{port}"),
        "--timeout",
        "2s",
    ]);
    assert_eq!(plain.status.code(), Some(1), "{}", common::stderr(&plain));
    assert!(
        common::stderr(&plain).contains("--tls"),
        "{}",
        common::stderr(&plain)
    );

    let out = common::rmqctl(&["destroy", &inventory, "--yes"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        !dir.path().join("cluster").exists(),
        "install root left behind"
    );
}

/// `GET /healthz` on `addr` with a plain HTTP/1.1 request: the status line.
fn healthz_status_line(addr: &str) -> String {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(addr) else {
        return "connection refused".into();
    };
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
    let _ = stream.write_all(
        format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.lines().next().unwrap_or_default().to_string()
}

fn pid_of(status: &Value, instance: &str) -> Option<u64> {
    status["instances"]
        .as_array()?
        .iter()
        .find(|i| i["instance"] == instance)?["pid"]
        .as_u64()
}

/// The local cluster with `[gateway]` (bearer tokens from a file): deploy starts the real
/// `rmqctl gateway` after the brokers and its checks include `/healthz` answering 200; status
/// lists it running and healthy; its gateway.toml is 0600 and no token is on a command line; a
/// changed `[gateway]` setting restarts the gateway alone; destroy stops it and removes it.
#[test]
fn local_inventory_with_a_gateway_deploys_it_after_the_brokers() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let (inventory, port) = local_inventory_and_free_port(dir.path());
    std::fs::write(dir.path().join("gateway-tokens"), "deploy-test-token\n").expect("tokens");
    let mut text = std::fs::read_to_string(&inventory).expect("read");
    text.push_str(&format!(
        "\n[gateway]\nhosts = [\"local\"]\nport = {port}\nallow_callbacks = [\"http://127.0.0.1:9/hooks/\"]\n\
         tokens_file = \"gateway-tokens\"\n"
    ));
    std::fs::write(&inventory, &text).expect("write");

    let out = common::rmqctl(&["check", &inventory]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        common::stderr(&out)
    );
    let out = common::rmqctl(&["deploy", &inventory, "--yes", "-o", "json"]);
    let report = json_of(&out);
    assert!(out.status.success(), "{report:#}\n{}", common::stderr(&out));
    let checks = report["checks"].as_array().expect("checks");
    assert!(checks.iter().all(|c| c["ok"] == true), "{report:#}");
    assert!(
        checks
            .iter()
            .any(|c| c["check"] == "healthy"
                && c["target"].as_str().unwrap_or("").contains("gateway")),
        "{report:#}"
    );
    let addr = format!("127.0.0.1:{port}");
    let line = healthz_status_line(&addr);
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");

    let out = common::rmqctl(&["status", &inventory, "-o", "json"]);
    let status = json_of(&out);
    assert_eq!(out.status.code(), Some(0), "{status:#}");
    let gateway = status["instances"]
        .as_array()
        .expect("instances")
        .iter()
        .find(|i| i["instance"] == "gateway")
        .unwrap_or_else(|| panic!("no gateway in {status:#}"));
    assert_eq!(gateway["role"], "gateway");
    assert_eq!(gateway["state"], "running");
    assert_eq!(gateway["healthy"], true, "{status:#}");
    let text_status = common::rmqctl(&["status", &inventory, "--role", "gateway"]);
    let shown = String::from_utf8_lossy(&text_status.stdout);
    assert!(
        shown.contains("gateway") && shown.contains("HEALTHY"),
        "{shown}"
    );

    let conf = dir.path().join("cluster/conf/gateway.toml");
    let mode = std::fs::metadata(&conf)
        .expect("gateway.toml")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "it carries the tokens");
    let gateway_pid = pid_of(&status, "gateway").expect("gateway pid");
    let cmdline =
        std::fs::read_to_string(format!("/proc/{gateway_pid}/cmdline")).unwrap_or_default();
    assert!(
        cmdline.starts_with(&dir.path().join("cluster/bin/rmqctl").display().to_string()),
        "{cmdline:?}"
    );
    assert!(cmdline.contains("gateway\0-c\0"), "{cmdline:?}");
    assert!(
        !cmdline.contains("deploy-test-token"),
        "a token in argv: {cmdline:?}"
    );

    // A changed [gateway] setting: gateway.toml is uploaded and the gateway alone restarts.
    let broker_pid = pid_of(&status, "broker-a");
    std::fs::write(
        &inventory,
        text.replace("http://127.0.0.1:9/hooks/", "http://127.0.0.1:9/other/"),
    )
    .expect("rewrite");
    let out = common::rmqctl(&["deploy", &inventory, "--yes", "-o", "json"]);
    let again = json_of(&out);
    assert!(out.status.success(), "{again:#}\n{}", common::stderr(&out));
    let status = json_of(&common::rmqctl(&["status", &inventory, "-o", "json"]));
    assert_eq!(
        pid_of(&status, "broker-a"),
        broker_pid,
        "a broker restarted"
    );
    let new_gateway_pid = pid_of(&status, "gateway");
    assert!(
        new_gateway_pid.is_some() && new_gateway_pid != Some(gateway_pid),
        "{status:#}"
    );
    assert!(std::fs::read_to_string(&conf)
        .unwrap_or_default()
        .contains("http://127.0.0.1:9/other/"));

    let out = common::rmqctl(&["destroy", &inventory, "--yes"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stat = std::fs::read_to_string(format!(
        "/proc/{}/stat",
        new_gateway_pid.unwrap_or_default()
    ))
    .unwrap_or_default();
    let state = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .trim_start()
        .chars()
        .next();
    assert!(
        matches!(state, None | Some('Z')),
        "the gateway survived destroy: {stat}"
    );
    assert!(
        healthz_status_line(&addr).contains("refused"),
        "something still serves {addr}"
    );
    assert!(
        !dir.path().join("cluster").exists(),
        "install root left behind"
    );
}

/// Replaces a PKCS#8 PEM key file by its encrypted form (`-----BEGIN ENCRYPTED PRIVATE KEY-----`,
/// PBKDF2 with few rounds: scrypt's default costs minutes in a debug build).
fn encrypt_key(path: &Path, password: &str) {
    use pkcs8::der::pem::LineEnding;
    use pkcs8::der::Decode;
    let text = std::fs::read_to_string(path).expect("key");
    let (_, doc) = pkcs8::SecretDocument::from_pem(&text).expect("PEM key");
    let info = pkcs8::PrivateKeyInfo::from_der(doc.as_bytes()).expect("PKCS#8 key");
    let params =
        pkcs8::pkcs5::pbes2::Parameters::pbkdf2_sha256_aes256cbc(1000, b"saltsalt", &[7; 16])
            .expect("parameters");
    let encrypted = info.encrypt_with_params(params, password).expect("encrypt");
    let pem = encrypted
        .to_pem("ENCRYPTED PRIVATE KEY", LineEnding::LF)
        .expect("PEM");
    std::fs::write(path, pem.as_str()).expect("write the key");
}

/// `POST /send` on `addr` with a plain HTTP/1.1 request: the status code and the JSON answer.
fn post_send(addr: &str, body: &str) -> (u16, Value) {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(addr) else {
        return (0, Value::Null);
    };
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
    let _ = stream.write_all(
        format!(
            "POST /send HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let code = answer
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let json = answer
        .split_once("\r\n\r\n")
        .and_then(|(_, b)| serde_json::from_str(b).ok())
        .unwrap_or(Value::Null);
    (code, json)
}

/// The local cluster with `[tls]` enforcing, client certificates required and an encrypted
/// client key (password from a file), plus `[gateway]` with a private callbacks CA
/// (`[gateway.delivery] ca`): check passes without a warning, deploy uploads the CA and
/// rmqctl's client certificate, key and key password for the gateway (its gateway.toml names
/// them in `[cluster_tls]`), the gateway's `/healthz` check passes (it reached the name server
/// and a broker over mutual TLS), a `POST /send` through it stores the message (read back with
/// `message get -i`), status shows it healthy, no password is on a command line, and destroy
/// removes everything.
#[test]
fn local_inventory_with_enforcing_tls_and_a_gateway_sends_over_tls() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let (inventory, port) = local_inventory_and_free_port(dir.path());
    let tls_dir = dir.path().join("tls");
    let out = common::rmqctl(&[
        "tls",
        "init",
        &tls_dir.display().to_string(),
        "--hosts",
        &inventory,
        "--client",
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    encrypt_key(&tls_dir.join("client-key.pem"), "gw-key-pw-7");
    std::fs::write(dir.path().join("key-password"), "gw-key-pw-7\n").expect("password");
    let mut text = std::fs::read_to_string(&inventory).expect("read");
    text.push_str(&format!(
        "\n[tls]\nmode = \"enforcing\"\nclient_auth = \"require\"\nkey_password_file = \"key-password\"\n\
         [gateway]\nhosts = [\"local\"]\nport = {port}\nallow_callbacks = [\"http://127.0.0.1:9/hooks/\"]\n\
         [gateway.delivery]\nca = \"tls/ca.pem\"\n"
    ));
    std::fs::write(&inventory, &text).expect("write");

    let out = common::rmqctl(&["check", &inventory]);
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        common::stderr(&out)
    );
    assert!(out.status.success(), "{shown}");
    assert!(!shown.contains("warning[gateway]"), "{shown}");

    let out = common::rmqctl(&["deploy", &inventory, "--yes", "-o", "json"]);
    let report = json_of(&out);
    assert!(out.status.success(), "{report:#}\n{}", common::stderr(&out));
    let checks = report["checks"].as_array().expect("checks");
    assert!(checks.iter().all(|c| c["ok"] == true), "{report:#}");
    assert!(checks.iter().any(|c| c["check"] == "healthy"), "{report:#}");

    let conf = dir.path().join("cluster/conf");
    let mode = |path: &str| {
        std::fs::metadata(conf.join(path))
            .unwrap_or_else(|e| panic!("conf/{path}: {e}"))
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(
        [
            mode("tls/client.pem"),
            mode("tls/client-key.pem"),
            mode("tls/gateway-key-password"),
            mode("gateway-delivery-ca.pem"),
        ],
        [0o644, 0o600, 0o600, 0o644]
    );
    let gateway_toml = std::fs::read_to_string(conf.join("gateway.toml")).expect("gateway.toml");
    let config: toml::Value = toml::from_str(&gateway_toml).expect("gateway.toml parses");
    let conf_text = conf.display().to_string();
    assert_eq!(
        config["cluster_tls"]["key"].as_str(),
        Some(format!("{conf_text}/tls/client-key.pem").as_str()),
        "{gateway_toml}"
    );
    assert_eq!(
        config["cluster_tls"]["key_password_file"].as_str(),
        Some(format!("{conf_text}/tls/gateway-key-password").as_str()),
        "{gateway_toml}"
    );
    assert_eq!(
        config["delivery"]["ca"].as_str(),
        Some(format!("{conf_text}/gateway-delivery-ca.pem").as_str()),
        "{gateway_toml}"
    );
    assert!(!gateway_toml.contains("gw-key-pw-7"), "{gateway_toml}");

    // A send through the gateway is stored: the gateway answers only after the master did.
    let addr = format!("127.0.0.1:{port}");
    let started = std::time::Instant::now();
    let answer = loop {
        let (code, answer) = post_send(
            &addr,
            r#"{"backurl": "http://127.0.0.1:9/hooks/paid", "data": {"order": 42}}"#,
        );
        if code == 200 {
            break answer;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "no successful send: {code} {answer}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    gateway_send_is_stored(&inventory, &answer, r#"{"order": 42}"#);

    status_shows_a_healthy_gateway(&inventory, "gw-key-pw-7");
    destroy_leaves_nothing(&inventory, dir.path(), &addr);
}

/// The gateway's `answer` to a send is a success whose msg_id `message get` finds in the
/// cluster of `inventory`, on HTTP_GATEWAY, with `body`.
fn gateway_send_is_stored(inventory: &str, answer: &Value, body: &str) {
    assert_eq!(answer["status"], "success", "{answer}");
    let msg_id = answer["msg_id"].as_str().expect("msg_id").to_string();
    let out = common::rmqctl(&[
        "message",
        "get",
        &msg_id,
        "-t",
        "HTTP_GATEWAY",
        "-i",
        inventory,
        "-o",
        "json",
    ]);
    let stored = json_of(&out);
    assert!(out.status.success(), "{stored:#}\n{}", common::stderr(&out));
    assert_eq!(stored["body"], body, "{stored:#}");
}

/// `status` of `inventory`: exit 0, the gateway healthy, and `secret` on no command line of the
/// instances.
fn status_shows_a_healthy_gateway(inventory: &str, secret: &str) {
    let out = common::rmqctl(&["status", inventory, "-o", "json"]);
    let status = json_of(&out);
    assert_eq!(out.status.code(), Some(0), "{status:#}");
    let gateway = status["instances"]
        .as_array()
        .expect("instances")
        .iter()
        .find(|i| i["instance"] == "gateway")
        .unwrap_or_else(|| panic!("no gateway in {status:#}"));
    assert_eq!(gateway["healthy"], true, "{status:#}");
    for pid in pids(&status) {
        let cmdline = std::fs::read_to_string(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        assert!(!cmdline.contains(secret), "a password in argv: {cmdline:?}");
    }
}

/// `destroy` of `inventory` succeeds, nothing serves the gateway's `addr` any more and the
/// install root under `dir` is gone.
fn destroy_leaves_nothing(inventory: &str, dir: &Path, addr: &str) {
    let out = common::rmqctl(&["destroy", inventory, "--yes"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        healthz_status_line(addr).contains("refused"),
        "something still serves {addr}"
    );
    assert!(!dir.join("cluster").exists(), "install root left behind");
}

/// `POST /send` over https to `addr`, trusting only `ca_pem` (reqwest, the client deploy's checks
/// use): the status code and the JSON answer, or the error's text when nothing answered.
fn https_post_send(addr: &str, ca_pem: &[u8], body: &str) -> Result<(u16, Value), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let ca = reqwest::Certificate::from_pem(ca_pem).map_err(|e| e.to_string())?;
        let client = reqwest::Client::builder()
            .tls_built_in_root_certs(false)
            .add_root_certificate(ca)
            .no_proxy()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        let response = client
            .post(format!("https://{addr}/send"))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| format!("{e:?}"))?;
        let code = response.status().as_u16();
        let body = response.bytes().await.map_err(|e| format!("{e:?}"))?;
        let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
        Ok((code, json))
    })
}

/// `[gateway] https = true`: without `[tls]` check refuses it at the key; with `[tls]` (enforcing,
/// the host key encrypted, its password from a file) deploy renders the listener's `[tls]` with
/// the host's certificate and key and the gateway's 0600 key password file, the gateway opens the
/// encrypted key and serves https, deploy's health check passes over https with the inventory's
/// CA (its target shows https://), a `POST /send` over https trusting only that CA is stored
/// (read back with `message get -i`), plain http to the gateway port gets no HTTP answer, status
/// shows the gateway healthy, no password is on a command line, and destroy removes everything.
#[test]
fn local_inventory_with_an_https_gateway_serves_the_hosts_certificate() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let (inventory, port) = local_inventory_and_free_port(dir.path());
    let plain_text = std::fs::read_to_string(&inventory).expect("read");
    let gateway = format!(
        "[gateway]\nhosts = [\"local\"]\nport = {port}\nhttps = true\nallow_callbacks = [\"http://127.0.0.1:9/hooks/\"]\n"
    );

    // Without [tls] there is no certificate to serve: check says so at the key.
    std::fs::write(&inventory, format!("{plain_text}\n{gateway}")).expect("write");
    let out = common::rmqctl(&["check", &inventory]);
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        common::stderr(&out)
    );
    assert!(!out.status.success(), "{shown}");
    assert!(
        shown.contains("[gateway] https = true needs [tls]"),
        "{shown}"
    );

    let tls_dir = dir.path().join("tls");
    let text = format!(
        "{plain_text}\n[tls]\nmode = \"enforcing\"\nkey_password_file = \"key-password\"\n{gateway}"
    );
    std::fs::write(&inventory, &text).expect("write");
    let out = common::rmqctl(&[
        "tls",
        "init",
        &tls_dir.display().to_string(),
        "--hosts",
        &inventory,
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    encrypt_key(&tls_dir.join("local-key.pem"), "https-key-pw-3");
    std::fs::write(dir.path().join("key-password"), "https-key-pw-3\n").expect("password");
    let out = common::rmqctl(&["check", &inventory]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        common::stderr(&out)
    );

    let out = common::rmqctl(&["deploy", &inventory, "--yes", "-o", "json"]);
    let report = json_of(&out);
    assert!(out.status.success(), "{report:#}\n{}", common::stderr(&out));
    let checks = report["checks"].as_array().expect("checks");
    assert!(checks.iter().all(|c| c["ok"] == true), "{report:#}");
    let addr = format!("127.0.0.1:{port}");
    assert!(
        checks.iter().any(|c| c["check"] == "healthy"
            && c["target"]
                .as_str()
                .unwrap_or("")
                .contains(&format!("(https://{addr}/healthz)"))),
        "{report:#}"
    );

    let conf = dir.path().join("cluster/conf");
    let conf_text = conf.display().to_string();
    let gateway_toml = std::fs::read_to_string(conf.join("gateway.toml")).expect("gateway.toml");
    let config: toml::Value = toml::from_str(&gateway_toml).expect("gateway.toml parses");
    assert_eq!(
        (
            config["tls"]["cert"].as_str(),
            config["tls"]["key"].as_str(),
            config["tls"]["key_password_file"].as_str()
        ),
        (
            Some(format!("{conf_text}/tls/cert.pem").as_str()),
            Some(format!("{conf_text}/tls/key.pem").as_str()),
            Some(format!("{conf_text}/tls/gateway-key-password").as_str())
        ),
        "{gateway_toml}"
    );
    assert!(!gateway_toml.contains("https-key-pw-3"), "{gateway_toml}");
    let mode = std::fs::metadata(conf.join("tls/gateway-key-password"))
        .expect("gateway-key-password")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);

    // A send over https, trusting the inventory's CA only, is stored.
    let ca_pem = std::fs::read(tls_dir.join("ca.pem")).expect("ca.pem");
    let started = std::time::Instant::now();
    let answer = loop {
        let sent = https_post_send(
            &addr,
            &ca_pem,
            r#"{"backurl": "http://127.0.0.1:9/hooks/paid", "data": {"order": 7}}"#,
        );
        if let Ok((200, answer)) = sent {
            break answer;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "no successful send over https: {sent:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    gateway_send_is_stored(&inventory, &answer, r#"{"order": 7}"#);

    // Plain http to the https port gets no HTTP answer.
    let line = healthz_status_line(&addr);
    assert!(!line.starts_with("HTTP/"), "plain http answered: {line:?}");

    status_shows_a_healthy_gateway(&inventory, "https-key-pw-3");
    destroy_leaves_nothing(&inventory, dir.path(), &addr);
}

/// Whether process `pid` is gone (a zombie waits only for its reaper: it does not run).
fn gone(pid: u64) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let state = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .trim_start()
        .chars()
        .next();
    matches!(state, None | Some('Z'))
}

/// Deploy with `[gateway]` (tokens) and `[acl]`, then remove both from the inventory: the dry run
/// and the prompt list what retires (never a secret), and the deploy stops the gateway, removes
/// its pid file and gateway.toml and the brokers' plain_acl.yml (0600 secrets), restarts the
/// brokers (aclEnable goes away) but not the name server, and reports what it retired; the
/// manifest (0600) lists only what is installed, and a third deploy changes nothing.
#[test]
fn removing_the_gateway_and_acl_from_the_inventory_retires_them() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let (inventory, port) = local_inventory_and_free_port(dir.path());
    std::fs::write(dir.path().join("gateway-tokens"), "retire-test-token\n").expect("tokens");
    let plain = std::fs::read_to_string(&inventory).expect("read");
    let with_both = format!(
        "{plain}\n[gateway]\nhosts = [\"local\"]\nport = {port}\nallow_callbacks = [\"http://127.0.0.1:9/hooks/\"]\n\
         tokens_file = \"gateway-tokens\"\n\
         [acl]\n[[acl.accounts]]\naccess_key = \"rmqadmin\"\nsecret_key = \"retire-admin-secret\"\nadmin = true\n"
    );
    std::fs::write(&inventory, &with_both).expect("write");
    let out = common::rmqctl(&["deploy", &inventory, "--yes", "-o", "json"]);
    let report = json_of(&out);
    assert!(out.status.success(), "{report:#}\n{}", common::stderr(&out));
    assert!(report["hosts"][0].get("retired").is_none(), "{report:#}");
    let cluster = dir.path().join("cluster");
    let manifest = cluster.join("rmqctl-manifest");
    let listed = std::fs::read_to_string(&manifest).expect("the manifest");
    let mode = std::fs::metadata(&manifest)
        .expect("manifest")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    let gateway_toml = cluster.join("conf/gateway.toml");
    let acl = cluster.join("conf/plain_acl.yml");
    let pid_file = cluster.join("run/gateway.pid");
    assert!(
        listed.contains(&format!("file\t{}\n", gateway_toml.display()))
            && listed.contains(&format!("file\t{}\n", acl.display()))
            && listed.contains("instance\tgateway\tgateway\tnohup\t"),
        "{listed}"
    );
    assert!(!listed.contains("secret") && !listed.contains("retire-test-token"));
    let status = json_of(&common::rmqctl(&["status", &inventory, "-o", "json"]));
    let gateway_pid = pid_of(&status, "gateway").expect("gateway pid");
    let namesrv_pid = pid_of(&status, "namesrv").expect("namesrv pid");
    let broker_pid = pid_of(&status, "broker-a").expect("broker-a pid");
    assert!(pid_file.exists() && gateway_toml.exists() && acl.exists());

    std::fs::write(&inventory, &plain).expect("rewrite");
    // Without a terminal and without --yes, retiring a running gateway is refused.
    let out = common::rmqctl(&["deploy", &inventory]);
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
    assert!(!gone(gateway_pid), "a refused deploy stopped the gateway");
    let dry = common::rmqctl(&["deploy", &inventory, "--dry-run"]);
    let text = String::from_utf8_lossy(&dry.stdout).into_owned();
    assert!(dry.status.success(), "{text}");
    assert!(text.contains("retire   gateway"), "{text}");
    assert!(
        text.contains(&format!("remove   {}", acl.display()))
            && text.contains(&format!("remove   {}", gateway_toml.display())),
        "{text}"
    );
    assert!(
        !text.contains("retire-admin-secret") && !text.contains("retire-test-token"),
        "{text}"
    );
    let dry = json_of(&common::rmqctl(&[
        "deploy",
        &inventory,
        "--dry-run",
        "-o",
        "json",
    ]));
    assert_eq!(
        dry["hosts"][0]["plan"]["retire"]["instances"],
        serde_json::json!(["gateway"]),
        "{dry:#}"
    );
    assert!(!gone(gateway_pid), "a dry run stopped the gateway");

    let out = common::rmqctl(&["deploy", &inventory, "--yes", "-o", "json"]);
    let report = json_of(&out);
    assert!(out.status.success(), "{report:#}\n{}", common::stderr(&out));
    assert!(
        report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .all(|c| c["ok"] == true),
        "{report:#}"
    );
    let retired = &report["hosts"][0]["retired"];
    assert_eq!(
        retired["instances"],
        serde_json::json!(["gateway"]),
        "{report:#}"
    );
    let files: Vec<&str> = retired["files"]
        .as_array()
        .expect("retired files")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for path in [&gateway_toml, &acl] {
        assert!(
            files.contains(&path.display().to_string().as_str()),
            "{report:#}"
        );
    }
    assert!(gone(gateway_pid), "the gateway still runs");
    assert!(
        healthz_status_line(&format!("127.0.0.1:{port}")).contains("refused"),
        "something still serves the gateway's port"
    );
    for path in [&pid_file, &gateway_toml, &acl] {
        assert!(!path.exists(), "{} left behind", path.display());
    }
    let status = json_of(&common::rmqctl(&["status", &inventory, "-o", "json"]));
    assert_eq!(pid_of(&status, "gateway"), None, "{status:#}");
    assert_eq!(
        pid_of(&status, "namesrv"),
        Some(namesrv_pid),
        "the name server restarted"
    );
    let new_broker_pid = pid_of(&status, "broker-a");
    assert!(
        new_broker_pid.is_some() && new_broker_pid != Some(broker_pid),
        "broker-a's properties lost aclEnable: it restarts ({status:#})"
    );
    let listed = std::fs::read_to_string(&manifest).expect("the manifest");
    assert!(
        !listed.contains("gateway") && !listed.contains("plain_acl.yml"),
        "{listed}"
    );

    let out = common::rmqctl(&["deploy", &inventory, "-o", "json"]);
    let third = json_of(&out);
    assert!(out.status.success(), "{third:#}\n{}", common::stderr(&out));
    assert_eq!(third["changed"], false, "{third:#}");
    assert!(third["hosts"][0].get("retired").is_none(), "{third:#}");

    let out = common::rmqctl(&["destroy", &inventory, "--yes"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
