//! End-to-end runs of `rmqctl render` and `rmqctl check`: exit codes, atomic output, `--diff`,
//! refusal to overwrite foreign directories, and nothing written for bad input.

use crate::common;

use common::rmqctl;
use std::path::{Path, PathBuf};

fn inventory(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("inventories")
        .join(name)
        .display()
        .to_string()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn render_writes_every_file_then_diff_shows_changes() {
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join("out");
    let o = rmqctl(&[
        "render",
        &inventory("2m-2s-sync.toml"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    for file in [
        "broker-a.properties",
        "broker-a-s.properties",
        "broker-b.properties",
        "broker-b-s.properties",
        "namesrv.properties",
        "units/slave-b/rmqctl-broker-b-s.service",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    let same = rmqctl(&[
        "render",
        &inventory("2m-2s-sync.toml"),
        "--diff",
        out.to_str().unwrap(),
    ]);
    assert!(
        text(&same.stdout).contains("no changes"),
        "{}",
        text(&same.stdout)
    );
    let changed = rmqctl(&[
        "render",
        &inventory("2m-2s-async.toml"),
        "--diff",
        out.to_str().unwrap(),
    ]);
    let diff = text(&changed.stdout);
    assert!(
        diff.contains(
            "
-brokerRole=SYNC_MASTER
"
        ),
        "{diff}"
    );
    assert!(
        diff.contains(
            "
+brokerRole=ASYNC_MASTER
"
        ),
        "{diff}"
    );
    let kept = std::fs::read_to_string(out.join("broker-a.properties")).unwrap();
    assert!(kept.contains("=SYNC_MASTER"), "--diff must not write");
    let again = rmqctl(&[
        "render",
        &inventory("2m-noslave.toml"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        !out.join("broker-a-s.properties").exists(),
        "a re-render replaces the whole directory"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers,
        vec![std::ffi::OsString::from("out")],
        "no temp dirs left behind"
    );
}

#[test]
fn render_refuses_a_directory_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("precious.txt"), "x").unwrap();
    let o = rmqctl(&[
        "render",
        &inventory("single-master.toml"),
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("not written by `rmqctl render`"),
        "{}",
        text(&o.stderr)
    );
    assert!(dir.path().join("precious.txt").exists());
}

#[test]
fn bad_inventory_writes_nothing_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("bad.toml");
    std::fs::write(&inv, "cluster = \"C\"\nreplication = \"sync\"\ninstall_root = \"/opt\"\n[namesrv]\nhosts = [\"h\"]\n[hosts.h]\naddress = \"10.0.0.1\"\n[groups.broker-a]\nmaster = \"h\"\n[broker]\nbrokerRole = \"MASTER\"\n").unwrap();
    let out = dir.path().join("out");
    let o = rmqctl(&["render", inv.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = text(&o.stderr);
    assert!(
        stderr.contains("bad.toml:11:14: error[bad-value]"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn check_exit_codes() {
    let ok = rmqctl(&["check", &inventory("local.toml")]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "warnings only: {}",
        text(&ok.stderr)
    );
    assert!(text(&ok.stderr).contains("warning[master-slave-same-host]"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broker-a-s.properties");
    std::fs::write(
        &file,
        "brokerName=broker-a\nbrokerId=1\nbrokerRole=SLAVE \nbrokerIp1=10.0.0.2\n",
    )
    .unwrap();
    let bad = rmqctl(&["check", "--properties", file.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = text(&bad.stderr);
    assert!(
        stderr.contains("broker-a-s.properties:3:17: error[trailing-blank]"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `brokerIP1`"), "{stderr}");
    let json = rmqctl(&[
        "check",
        "--format",
        "json",
        "--properties",
        file.to_str().unwrap(),
    ]);
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert!(parsed
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "unknown-key"));
}

/// README: `render --templates DIR` replaces any built-in template by `DIR/<name>.hbs`; the ones
/// not in DIR stay built in.
#[test]
fn templates_dir_replaces_only_the_templates_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("namesrv.properties.hbs"),
        "# custom name server file of {{cluster}}\n{{#each entries}}{{key}}: {{value}}\n{{/each}}",
    )
    .unwrap();
    let render = |out: &Path, custom: bool| {
        let mut args = vec![
            "render".to_string(),
            inventory("single-master.toml"),
            "-o".into(),
            out.display().to_string(),
        ];
        if custom {
            args.extend(["--templates".into(), templates.display().to_string()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = rmqctl(&args);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    };
    let (plain, custom) = (dir.path().join("plain"), dir.path().join("custom"));
    render(&plain, false);
    render(&custom, true);
    let namesrv = std::fs::read_to_string(custom.join("namesrv.properties")).unwrap();
    assert!(
        namesrv.starts_with("# custom name server file of ") && namesrv.contains("listenPort: "),
        "{namesrv}"
    );
    assert_ne!(
        namesrv,
        std::fs::read_to_string(plain.join("namesrv.properties")).unwrap()
    );
    let broker = |root: &Path| std::fs::read_to_string(root.join("broker-a.properties")).unwrap();
    assert_eq!(
        broker(&custom),
        broker(&plain),
        "the broker template stays built in"
    );

    // A template that does not compile: exit 2, nothing written, the file named.
    std::fs::write(templates.join("broker.properties.hbs"), "{{#each entries}}").unwrap();
    let out = dir.path().join("broken");
    let o = rmqctl(&[
        "render",
        &inventory("single-master.toml"),
        "-o",
        out.to_str().unwrap(),
        "--templates",
        templates.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("broker.properties.hbs"),
        "{}",
        text(&o.stderr)
    );
    assert!(!out.exists());
}
