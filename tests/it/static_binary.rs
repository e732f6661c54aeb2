//! The static (musl) build of rmqctl: its ELF facts next to the glibc build's, which binary
//! `deploy` picks (`deploy::binary::choose_upload_binary`), and that it runs in an empty root
//! file system holding nothing but the binary: `--version`, a name server answering, a broker
//! registering and storing a message. tests/run.sh builds it (`cargo build --target
//! x86_64-unknown-linux-musl`) and passes its path in `RMQCTL_STATIC_BIN`.
#![cfg(all(target_os = "linux", target_arch = "x86_64"))]

use crate::common::{self, free_port, free_port_triple, rmqctl, stderr, ServerProcess};
use rmqctl::deploy::binary::{
    check, choose_upload_binary, Arch, BinaryFacts, GlibcVersion, HostFacts, Incompatibility,
    Linkage, STATIC_SIBLING_NAME,
};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

/// The static build under test: `RMQCTL_STATIC_BIN` (tests/run.sh builds it and sets it). A
/// missing one skips the tests in a plain `cargo test` and fails them under tests/run.sh.
fn static_bin() -> Option<PathBuf> {
    let Some(path) = std::env::var_os("RMQCTL_STATIC_BIN").map(PathBuf::from) else {
        common::prerequisite_missing(
            "RMQCTL_STATIC_BIN, the static build (`cargo build --target x86_64-unknown-linux-musl`)",
        );
        return None;
    };
    assert!(
        path.is_file(),
        "RMQCTL_STATIC_BIN={} does not exist: build it with `cargo build --target \
         x86_64-unknown-linux-musl` (tests/run.sh does)",
        path.display()
    );
    Some(path)
}

fn glibc_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rmqctl"))
}

/// master-a's facts from `uname -sm` and the libc probe's line, as deploy's inspection reads them.
fn host(output: &str) -> HostFacts {
    let mut lines = output.lines();
    let uname: Vec<&str> = lines.next().unwrap_or("").split_whitespace().collect();
    HostFacts::from_probe("master-a", uname[0], uname[1], lines.next().unwrap_or(""))
}

#[test]
fn static_build_is_static_and_runs_where_the_glibc_build_does_not() {
    let Some(static_bin) = static_bin() else {
        return;
    };
    let musl = BinaryFacts::read(&static_bin).unwrap();
    assert_eq!(musl.arch, Arch::X86_64);
    assert_eq!(musl.linkage, Linkage::Static, "{musl:?}");

    let glibc = BinaryFacts::read(&glibc_bin()).unwrap();
    assert_eq!(glibc.arch, Arch::X86_64);
    let Linkage::Dynamic {
        interpreter,
        glibc: Some(needs),
    } = &glibc.linkage
    else {
        panic!("the cargo test build is a dynamic glibc binary: {glibc:?}");
    };
    assert!(interpreter.contains("ld-linux-x86-64"), "{interpreter}");
    // Rust's std alone needs more than CentOS 6 has.
    assert!(*needs > GlibcVersion::new(2, 12, 0), "{needs}");

    let centos6 = host("Linux x86_64\nldd (GNU libc) 2.12\n");
    let alpine = host("Linux x86_64\nmusl libc (x86_64)\n");
    for h in [&centos6, &alpine] {
        assert_eq!(check(&musl, h), Ok(()), "{h:?}");
        let err = check(&glibc, h).unwrap_err();
        assert!(err.to_string().contains("cargo static-build"), "{err}");
    }
    assert!(matches!(
        check(&glibc, &centos6),
        Err(Incompatibility::GlibcTooOld { .. })
    ));
    let arm = host("Linux aarch64\nglibc 2.36\n");
    assert!(matches!(
        check(&musl, &arm),
        Err(Incompatibility::Architecture { .. })
    ));
}

/// A copy of `from` at `to` with modification time `mtime`.
fn copy_with_mtime(from: &Path, to: &Path, mtime: SystemTime) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap();
    let file = std::fs::File::options().write(true).open(to).unwrap();
    file.set_modified(mtime).unwrap();
}

#[test]
fn deploy_uploads_an_explicit_binary_else_a_static_one() {
    let Some(static_bin) = static_bin() else {
        return;
    };
    let glibc = glibc_bin();
    let dir = tempfile::tempdir().unwrap();

    // --binary wins, whatever the running binary is.
    assert_eq!(
        choose_upload_binary(&glibc, Some(&static_bin)).unwrap(),
        static_bin
    );
    assert_eq!(
        choose_upload_binary(&static_bin, Some(&glibc)).unwrap(),
        glibc
    );
    // A static running binary uploads itself.
    assert_eq!(choose_upload_binary(&static_bin, None).unwrap(), static_bin);

    // An installed `rmqctl-static` beside a glibc `rmqctl` (whatever their times).
    let installed = dir.path().join("bin");
    std::fs::create_dir_all(&installed).unwrap();
    std::os::unix::fs::symlink(&glibc, installed.join("rmqctl")).unwrap();
    let sibling = installed.join(STATIC_SIBLING_NAME);
    copy_with_mtime(&static_bin, &sibling, SystemTime::UNIX_EPOCH);
    assert_eq!(
        choose_upload_binary(&installed.join("rmqctl"), None).unwrap(),
        sibling
    );
    // A sibling that is not static is not taken.
    std::fs::remove_file(&sibling).unwrap();
    std::os::unix::fs::symlink(&glibc, &sibling).unwrap();
    assert_eq!(
        choose_upload_binary(&installed.join("rmqctl"), None).unwrap(),
        installed.join("rmqctl")
    );

    // A cargo target dir: target/release/rmqctl (glibc) finds the musl build of the same profile
    // when it is not older, and falls back to itself when it is (a stale build).
    let target = dir.path().join("target");
    let current = target.join("release/rmqctl");
    let glibc_mtime = std::fs::metadata(&glibc).unwrap().modified().unwrap();
    std::fs::create_dir_all(current.parent().unwrap()).unwrap();
    if std::fs::hard_link(&glibc, &current).is_err() {
        copy_with_mtime(&glibc, &current, glibc_mtime);
    }
    let musl = target.join("x86_64-unknown-linux-musl/release/rmqctl");
    copy_with_mtime(&static_bin, &musl, glibc_mtime + Duration::from_secs(60));
    assert_eq!(choose_upload_binary(&current, None).unwrap(), musl);
    let file = std::fs::File::options().write(true).open(&musl).unwrap();
    file.set_modified(glibc_mtime - Duration::from_secs(86_400))
        .unwrap();
    assert_eq!(choose_upload_binary(&current, None).unwrap(), current);
}

/// `chroot` from the usual places (the child's environment is cleared, so no PATH lookup).
fn chroot_command() -> PathBuf {
    ["/usr/sbin/chroot", "/usr/bin/chroot", "/sbin/chroot"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .expect("chroot (coreutils) in /usr/sbin, /usr/bin or /sbin")
}

/// `chroot ROOT /rmqctl ARGS` with an empty environment but for `RUST_LOG`.
fn in_root(root: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(chroot_command());
    command
        .arg(root)
        .arg("/rmqctl")
        .args(args)
        .env_clear()
        .env("RUST_LOG", "info");
    command
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

#[test]
fn static_binary_serves_in_an_empty_root_file_system() {
    let Some(static_bin) = static_bin() else {
        return;
    };
    if !is_root() {
        common::prerequisite_missing("root, for chroot");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir(&root).unwrap();
    if std::fs::hard_link(&static_bin, root.join("rmqctl")).is_err() {
        std::fs::copy(&static_bin, root.join("rmqctl")).unwrap();
    }
    let entries: Vec<_> = std::fs::read_dir(&root).unwrap().collect();
    assert_eq!(entries.len(), 1, "the root holds only the binary");

    let out = in_root(&root, &["--version"]).output().unwrap();
    assert!(out.status.success(), "--version: {}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("rmqctl "),
        "{out:?}"
    );

    let ns_port = free_port();
    let ns_addr: SocketAddr = format!("127.0.0.1:{ns_port}").parse().unwrap();
    let _namesrv = ServerProcess::start_command(
        in_root(
            &root,
            &[
                "namesrv",
                "--listen",
                &ns_addr.to_string(),
                "--data-dir",
                "/namesrv",
            ],
        ),
        ns_addr,
        &dir.path().join("namesrv.log"),
    );

    let port = free_port_triple();
    std::fs::write(
        root.join("broker.properties"),
        format!(
            "brokerClusterName=DefaultCluster\nbrokerName=broker-a\nbrokerId=0\n\
             brokerRole=ASYNC_MASTER\nflushDiskType=ASYNC_FLUSH\nnamesrvAddr={ns_addr}\n\
             brokerIP1=127.0.0.1\nbindAddress=127.0.0.1\nlistenPort={port}\n\
             storePathRootDir=/store\nmappedFileSizeCommitLog=8388608\ndiskMaxUsedSpaceRatio=99\n"
        ),
    )
    .unwrap();
    let broker_addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let _broker = ServerProcess::start_command(
        in_root(&root, &["broker", "-c", "/broker.properties"]),
        broker_addr,
        &dir.path().join("broker.log"),
    );

    // The name server answers and the broker registered with it (rmqctl from outside).
    let ns = ns_addr.to_string();
    common::wait_registered(&ns, 1);
    let json = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["-n", ns.as_str(), "-o", "json"]);
        let out = rmqctl(&all);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let status = json(&["cluster", "status"]);
    assert_eq!(status["brokers"][0]["broker_name"], "broker-a", "{status}");
    assert_eq!(status["brokers"][0]["addr"], broker_addr.to_string());

    // The broker stores a message in its store inside the root.
    json(&["topic", "create", "-t", "StaticRoot", "-r", "1", "-w", "1"]);
    let sent = json(&["message", "send", "-t", "StaticRoot", "--body", "hello"]);
    assert_eq!(sent["status"], "SEND_OK", "{sent}");
    let commit_log: Vec<_> = std::fs::read_dir(root.join("store/commitlog"))
        .unwrap()
        .collect();
    assert_eq!(commit_log.len(), 1, "one commit-log segment under the root");
}
