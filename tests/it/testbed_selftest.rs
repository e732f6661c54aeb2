//! The multi-host test bed works: tests/testbed/selftest.sh passes against it (ssh to every host,
//! file/process/network isolation, locked-down firewalls, cut and restore).

use crate::common;

use common::testbed::Testbed;
use std::process::Command;

#[test]
fn selftest_passes_on_the_bed() {
    let Some(bed) = Testbed::up() else {
        return;
    };
    let out = Command::new("bash")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/testbed/selftest.sh"
        ))
        .env("TB_DIR", bed.dir())
        .output()
        .expect("run selftest.sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary = stdout.lines().last().unwrap_or_default();
    let (passed, failed) = summary
        .split_once(" passed, ")
        .and_then(|(p, rest)| Some((p.parse::<u32>().ok()?, rest.strip_suffix(" failed")?)))
        .unwrap_or_else(|| panic!("no `N passed, M failed` line at the end of:\n{stdout}"));
    assert!(
        out.status.success() && failed == "0",
        "selftest failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(passed >= 50, "only {passed} checks ran:\n{stdout}");
}

/// The `openssh` crate, which deploy's transport uses, reaches every host with the bed's
/// ssh_config and strict host-key checking, and runs `sh -c` there.
#[test]
fn openssh_crate_connects_to_every_host_with_strict_host_keys() {
    let Some(bed) = Testbed::up() else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    runtime.block_on(async {
        for host in bed.hosts() {
            let session = openssh::SessionBuilder::default()
                .config_file(bed.ssh_config())
                .known_hosts_check(openssh::KnownHosts::Strict)
                .connect_mux(&host.name)
                .await
                .unwrap_or_else(|e| panic!("connect to {}: {e}", host.name));
            let out = session
                .command("sh")
                .arg("-c")
                .arg("hostname; cat /proc/1/comm")
                .output()
                .await
                .expect("run a command");
            assert!(out.status.success(), "{}: {out:?}", host.name);
            assert_eq!(
                String::from_utf8_lossy(&out.stdout),
                format!("{}\nsshd\n", host.name)
            );
            session.close().await.expect("close the session");
        }
    });
}
