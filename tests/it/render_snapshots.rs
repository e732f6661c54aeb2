//! Snapshots of every file rendered from every shipped inventory, and the guarantee that each
//! rendered broker file loads with the bundled broker's config loader.

use std::path::{Path, PathBuf};

use rmqctl::apache_config::properties::Properties;
use rmqctl::broker::config::BrokerConfig;
use rmqctl::render::lint::Severity;
use rmqctl::render::pipeline::{render_inventory, RenderOutput};
use rmqctl::render::templates::{RenderedFile, Templates};

const INVENTORIES: &[&str] = &[
    "2m-2s-sync",
    "2m-2s-async",
    "2m-noslave",
    "single-master",
    "local",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn render(name: &str) -> RenderOutput {
    let path = root().join("inventories").join(format!("{name}.toml"));
    match render_inventory(&path, &Templates::embedded()) {
        Ok(output) => output,
        Err(e) => panic!("{name}: {e:?}"),
    }
}

/// Machine-specific absolute paths (local.toml resolves relative dirs) become `[ROOT]`.
/// inventories/2m-2s-sync.toml plus `extra`, written as `dir/cluster.toml`.
fn sync_inventory_plus(dir: &Path, extra: &str) -> PathBuf {
    let shipped = std::fs::read_to_string(root().join("inventories/2m-2s-sync.toml"))
        .expect("read 2m-2s-sync.toml");
    let inventory = dir.join("cluster.toml");
    std::fs::write(&inventory, shipped + extra).expect("write the inventory");
    inventory
}

/// `inventory` rendered with no error finding; the list of rendered paths matches the snapshot
/// `<name>__rendered_paths`.
fn render_clean(inventory: &Path, name: &str) -> RenderOutput {
    let output =
        render_inventory(inventory, &Templates::embedded()).unwrap_or_else(|e| panic!("{e:?}"));
    let errors: Vec<_> = output
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let paths: Vec<String> = output
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    insta::assert_snapshot!(format!("{name}__rendered_paths"), paths.join("\n"));
    output
}

/// The gateway.toml rendered for edge and master-a: each matches its snapshot
/// (`{prefix}__gateway__{host}__gateway.toml`), loads as a `GatewayConfig` and holds no key
/// password; returned with its path for the caller's own checks.
fn edge_and_master_a_gateways(
    output: &RenderOutput,
    prefix: &str,
) -> Vec<(&'static str, rmqctl::gateway::config::GatewayConfig)> {
    ["gateway/edge/gateway.toml", "gateway/master-a/gateway.toml"]
        .into_iter()
        .map(|path| {
            let file = rendered(output, path);
            insta::assert_snapshot!(
                format!("{prefix}__{}", path.replace('/', "__")),
                file.contents
            );
            assert!(!file.contents.contains("snapshot-password"), "{path}");
            let config = toml::from_str(&file.contents)
                .unwrap_or_else(|e| panic!("{path} does not load as GatewayConfig: {e}"));
            (path, config)
        })
        .collect()
}

/// The rendered file at `path`.
fn rendered<'a>(output: &'a RenderOutput, path: &str) -> &'a RenderedFile {
    output
        .files
        .iter()
        .find(|f| f.path == Path::new(path))
        .unwrap_or_else(|| panic!("{path} rendered"))
}

fn redact(text: &str) -> String {
    text.replace(&root().display().to_string(), "[ROOT]")
}

/// Every rendered file matches its snapshot, and the list of rendered paths matches its own
/// snapshot: a file that stops being rendered (or a new one) fails here instead of silently
/// losing (or never getting) a snapshot.
#[test]
fn rendered_files_match_snapshots() {
    for name in INVENTORIES {
        let output = render(name);
        let paths: Vec<String> = output
            .files
            .iter()
            .map(|f| f.path.display().to_string())
            .collect();
        insta::assert_snapshot!(format!("{name}__rendered_paths"), paths.join("\n"));
        for file in &output.files {
            let snapshot = format!("{name}__{}", file.path.display()).replace('/', "__");
            insta::assert_snapshot!(snapshot, redact(&file.contents));
        }
    }
}

#[test]
fn shipped_inventories_render_without_errors() {
    for name in INVENTORIES {
        let output = render(name);
        let errors: Vec<_> = output
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
}

#[test]
fn every_rendered_broker_file_loads_with_the_broker_config_loader() {
    for name in INVENTORIES {
        let output = render(name);
        for broker in &output.plan.brokers {
            let file = output
                .files
                .iter()
                .find(|f| f.path == Path::new(&broker.file_name))
                .expect("file rendered");
            let props =
                Properties::parse(&file.contents, Path::new(&broker.file_name)).expect("parses");
            let loaded = BrokerConfig::from_properties(&props)
                .unwrap_or_else(|e| panic!("{name}/{}: {e}", broker.file_name));
            let c = loaded.config;
            assert_eq!(c.broker_name, broker.broker_name);
            assert_eq!(c.broker_id, broker.broker_id);
            assert_eq!(c.broker_role, broker.role);
            assert_eq!(
                (c.fast_port(), c.listen_port, c.ha_port()),
                (broker.fast_port, broker.listen_port, broker.ha_port)
            );
            assert_eq!(c.broker_ip1.as_deref(), Some(broker.address.as_str()));
            assert_eq!(
                c.namesrv_addr.as_deref(),
                Some(output.plan.namesrv_addr.as_str())
            );
            assert_eq!(c.store_root(), Path::new(&broker.store_root));
        }
    }
}

#[test]
fn sync_inventory_derives_classic_roles_ids_and_files() {
    let output = render("2m-2s-sync");
    let got: Vec<_> = output
        .plan
        .brokers
        .iter()
        .map(|b| {
            (
                b.file_name.as_str(),
                b.broker_id,
                b.role.as_str(),
                b.host.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("broker-a.properties", 0, "SYNC_MASTER", "master-a"),
            ("broker-a-s.properties", 1, "SLAVE", "slave-a"),
            ("broker-b.properties", 0, "SYNC_MASTER", "master-b"),
            ("broker-b-s.properties", 1, "SLAVE", "slave-b"),
        ]
    );
    assert_eq!(output.plan.namesrv_addr, "10.77.0.11:9876;10.77.0.13:9876");
    let async_roles: Vec<_> = render("2m-2s-async")
        .plan
        .brokers
        .iter()
        .map(|b| b.role.as_str())
        .collect();
    assert_eq!(
        async_roles,
        ["ASYNC_MASTER", "SLAVE", "ASYNC_MASTER", "SLAVE"]
    );
}

#[test]
fn local_inventory_gets_disjoint_port_triples_and_store_dirs() {
    let output = render("local");
    let ports: Vec<u16> = output.plan.brokers.iter().map(|b| b.listen_port).collect();
    assert_eq!(ports, [10911, 10921, 10931, 10941]);
    let mut all: Vec<u16> = output
        .plan
        .brokers
        .iter()
        .flat_map(|b| [b.fast_port, b.listen_port, b.ha_port])
        .collect();
    all.push(9876);
    let count = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), count, "ports overlap");
    let stores: std::collections::BTreeSet<_> = output
        .plan
        .brokers
        .iter()
        .map(|b| b.store_root.clone())
        .collect();
    assert_eq!(stores.len(), 4);
    assert!(output.plan.brokers[0]
        .store_root
        .starts_with(&root().join(".rmqctl/local").display().to_string()));
}

/// 2m-2s-sync with `[tls]` (enforcing, client certificates required, a key password file) over
/// the directory `rmqctl tls init DIR --hosts INVENTORY --client` wrote: the `tls.*` keys of
/// every file (remote paths under `/opt/rmq/conf/tls/`) match their snapshots, each host gets
/// its own certificate and key, and each broker file still loads with the broker's loader.
#[test]
fn tls_inventory_renders_tls_keys_with_remote_paths() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inventory = sync_inventory_plus(
        dir.path(),
        "\n[tls]\nmode = \"enforcing\"\nclient_auth = \"require\"\nkey_password_file = \"password\"\n",
    );
    std::fs::write(dir.path().join("password"), "snapshot-password\n").expect("password");
    let init = crate::common::rmqctl(&[
        "tls",
        "init",
        &dir.path().join("tls").display().to_string(),
        "--hosts",
        &inventory.display().to_string(),
        "--client",
    ]);
    assert!(init.status.success(), "{}", crate::common::stderr(&init));

    let output = render_clean(&inventory, "tls");
    for name in [
        "broker-a.properties",
        "broker-a-s.properties",
        "namesrv.properties",
    ] {
        let file = rendered(&output, name);
        insta::assert_snapshot!(format!("tls__{name}"), file.contents);
        assert!(!file.contents.contains("snapshot-password"), "{name}");
    }
    for host in ["master-a", "slave-b"] {
        let cert = output
            .files
            .iter()
            .find(|f| f.path == Path::new("tls").join(host).join("cert.pem"))
            .expect("the host's certificate");
        let own = std::fs::read_to_string(dir.path().join("tls").join(format!("{host}.pem")))
            .expect("tls init wrote it");
        assert_eq!(cert.contents, own, "{host}");
    }
    for broker in &output.plan.brokers {
        let file = output
            .files
            .iter()
            .find(|f| f.path == Path::new(&broker.file_name))
            .expect("file rendered");
        let props =
            Properties::parse(&file.contents, Path::new(&broker.file_name)).expect("parses");
        BrokerConfig::from_properties(&props)
            .unwrap_or_else(|e| panic!("{}: {e}", broker.file_name));
    }
}

/// 2m-2s-sync with `[gateway]` on master-a and on `edge`, a host that runs nothing else, bearer
/// tokens from a file: the rendered paths, each gateway.toml and unit match their snapshots,
/// gateway.toml loads as the gateway's own config, and the tokens are in no other file.
#[test]
fn gateway_inventory_renders_config_and_units_per_host() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inventory = sync_inventory_plus(
        dir.path(),
        "\n[hosts.edge]\naddress = \"10.77.0.21\"\n\n[gateway]\nhosts = [\"master-a\", \"edge\"]\n\
               port = 8080\ntopic = \"ORDERS_HTTP\"\n\
               allow_callbacks = [\"https://orders.example.com/hooks/\", \"http://10.77.0.30:8080/\"]\n\
               tokens_file = \"gateway-tokens\"\n\
               [gateway.delivery]\ntimeout_ms = 3000\n\
               [[gateway.subscription]]\ntopic = \"Audit\"\ngroup = \"AUDIT_PUSH\"\nurl = \"https://audit.example.com/hook\"\n",
    );
    std::fs::write(dir.path().join("gateway-tokens"), "snapshot-token\n").expect("tokens");
    let output = render_clean(&inventory, "gateway");
    for path in [
        "gateway/edge/gateway.toml",
        "gateway/master-a/gateway.toml",
        "units/edge/rmqctl-gateway.service",
        "units/master-a/rmqctl-gateway.service",
    ] {
        let file = rendered(&output, path);
        insta::assert_snapshot!(
            format!("gateway__{}", path.replace('/', "__")),
            file.contents
        );
        if path.ends_with(".toml") {
            let config: rmqctl::gateway::config::GatewayConfig = toml::from_str(&file.contents)
                .unwrap_or_else(|e| panic!("{path} does not load as GatewayConfig: {e}"));
            assert_eq!(config.tokens, ["snapshot-token"]);
        }
    }
    for file in output
        .files
        .iter()
        .filter(|f| !f.path.starts_with("gateway"))
    {
        assert!(
            !file.contents.contains("snapshot-token"),
            "{}",
            file.path.display()
        );
    }
}

/// 2m-2s-sync with `[tls]` (client certificates required, a key password file) over a
/// `tls init --client` directory, and `[gateway]` on master-a and on `edge` (a host that runs
/// nothing else) with a private callbacks CA: gateway.toml's `[cluster_tls]` and
/// `[delivery] ca` (remote paths) match their snapshots, the rendered paths show rmqctl's
/// client files and the delivery CA once each, and gateway.toml loads as the gateway's config.
#[test]
fn gateway_with_tls_renders_cluster_tls_and_delivery_ca() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inventory = sync_inventory_plus(
        dir.path(),
        "\n[hosts.edge]\naddress = \"10.77.0.21\"\n\n\
               [tls]\nmode = \"enforcing\"\nclient_auth = \"require\"\nkey_password_file = \"password\"\n\n\
               [gateway]\nhosts = [\"master-a\", \"edge\"]\n\
               allow_callbacks = [\"https://orders.example.com/hooks/\"]\n\
               [gateway.delivery]\nca = \"callbacks-ca.pem\"\n",
    );
    std::fs::write(dir.path().join("password"), "snapshot-password\n").expect("password");
    let init = crate::common::rmqctl(&[
        "tls",
        "init",
        &dir.path().join("tls").display().to_string(),
        "--hosts",
        &inventory.display().to_string(),
        "--client",
    ]);
    assert!(init.status.success(), "{}", crate::common::stderr(&init));
    std::fs::copy(
        dir.path().join("tls/ca.pem"),
        dir.path().join("callbacks-ca.pem"),
    )
    .expect("callbacks CA");

    let output = render_clean(&inventory, "gateway_tls");
    for (path, config) in edge_and_master_a_gateways(&output, "gateway_tls") {
        assert!(config.cluster_tls.is_some(), "{path}");
    }
}

/// 2m-2s-sync with `[tls]` (a key password file) over a `tls init` directory, and `[gateway]
/// https = true` on master-a and on `edge` (a host that runs nothing else): gateway.toml's
/// listener `[tls]` (the host's certificate, key and the gateway's key password file, as
/// uploaded) matches its snapshot, the rendered paths include edge's own certificate and key
/// (tls init issued them for the gateway-only host) and the password file once, and gateway.toml
/// loads as the gateway's config.
#[test]
fn gateway_with_https_renders_the_listener_tls() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inventory = sync_inventory_plus(
        dir.path(),
        "\n[hosts.edge]\naddress = \"10.77.0.21\"\n\n\
               [tls]\nmode = \"permissive\"\nkey_password_file = \"password\"\n\n\
               [gateway]\nhosts = [\"master-a\", \"edge\"]\nhttps = true\n\
               allow_callbacks = [\"https://orders.example.com/hooks/\"]\n",
    );
    std::fs::write(dir.path().join("password"), "snapshot-password\n").expect("password");
    let init = crate::common::rmqctl(&[
        "tls",
        "init",
        &dir.path().join("tls").display().to_string(),
        "--hosts",
        &inventory.display().to_string(),
    ]);
    assert!(init.status.success(), "{}", crate::common::stderr(&init));

    let output = render_clean(&inventory, "gateway_https");
    let edge_cert = output
        .files
        .iter()
        .find(|f| f.path == Path::new("tls/edge/cert.pem"))
        .expect("edge's certificate rendered");
    assert_eq!(
        Some(edge_cert.contents.as_str()),
        std::fs::read_to_string(dir.path().join("tls/edge.pem"))
            .ok()
            .as_deref()
    );
    for (path, config) in edge_and_master_a_gateways(&output, "gateway_https") {
        assert!(config.tls.is_some(), "{path}");
    }
}
