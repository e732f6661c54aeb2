//! The steps that change files and rules on a host: create the directories, upload the changed
//! files (each streamed into a temporary file beside its target, checked by sha256, then
//! renamed, so an interrupted deploy leaves no half-written file), make systemd re-read changed
//! units, open the firewall ports, and retire what the inventory no longer has (stop the
//! instances, remove their units or pid files and the files no longer planned; stores stay),
//! keeping the host's manifest of what deploy installed.

use std::time::Instant;

use super::changes::HostChanges;
use super::firewall::{self, Change, FirewallBackend};
use super::fleet::HostState;
use super::manifest::{self, Manifest};
use super::plan::{FileKind, FileSource, PlannedFile};
use super::progress::Progress;
use super::report::Retired;
use super::transport::quote;

/// The script that receives one file on stdin and puts it in place atomically.
pub fn upload_script(file: &PlannedFile, owner: Option<&str>) -> String {
    let chown = owner
        .map(|u| format!("chown {} \"$t\" || exit 1\n", quote(u)))
        .unwrap_or_default();
    format!(
        "p={path}\nd=$(dirname \"$p\")\nmkdir -p \"$d\" || exit 1\nt=\"$d/.$(basename \"$p\").rmqctl-tmp.$$\"\n\
         trap 'rm -f \"$t\"' EXIT\ntrap 'rm -f \"$t\"; exit 1' HUP INT TERM PIPE\n\
         cat > \"$t\" || exit 1\n\
         s=$(sha256sum \"$t\" | awk '{{print $1}}')\n\
         if [ \"$s\" != {sum} ]; then echo \"checksum mismatch after upload ($s)\" >&2; exit 3; fi\n\
         chmod {mode:o} \"$t\" || exit 1\n{chown}mv -f \"$t\" \"$p\" || exit 1\ntrap - EXIT\n",
        path = quote(&file.remote_path),
        sum = file.sha256,
        mode = file.mode,
    )
}

/// Directories of the install layout, stores and logs (owned by the service user, if any).
pub fn mkdir_script(dirs: &[String], owner: Option<&str>) -> String {
    let list: Vec<String> = dirs.iter().map(|d| quote(d)).collect();
    let mut script = format!("mkdir -p {}", list.join(" "));
    if let Some(user) = owner {
        script.push_str(&format!(" && chown {} {}", quote(user), list.join(" ")));
    }
    script
}

/// Creates directories and uploads the changed files of one host (all files at once, within
/// the transport's channel limit).
pub async fn upload(host: &mut HostState, changes: &HostChanges, progress: &Progress) {
    if host.failed() {
        return;
    }
    let started = Instant::now();
    let owner = host.deploy.service_user.clone();
    let dirs = mkdir_script(&host.deploy.dirs, owner.as_deref());
    if host
        .exec(
            "mkdir",
            &dirs,
            None,
            "check that the user may write there (root, or sudo-less ownership)",
        )
        .await
        .is_none()
    {
        return;
    }
    if changes.uploads.is_empty() {
        host.report
            .record("files", false, started.elapsed(), "unchanged".into());
        return;
    }
    let files: Vec<PlannedFile> = changes
        .uploads
        .iter()
        .map(|i| host.deploy.files[*i].clone())
        .collect();
    let bytes: usize = files.iter().map(PlannedFile::len).sum();
    progress.step(
        host.name(),
        "upload",
        &format!("{} file(s), {}", files.len(), human_bytes(bytes)),
    );
    let Some(transport) = host.transport.clone() else {
        return;
    };
    let results = futures::future::join_all(files.iter().map(|file| {
        let transport = transport.clone();
        let script = upload_script(
            file,
            if file.kind == super::plan::FileKind::Unit {
                None
            } else {
                owner.as_deref()
            },
        );
        async move {
            let limit = super::fleet::SCRIPT_TIMEOUT
                + std::time::Duration::from_secs(file.len() as u64 / (1 << 20));
            let outcome =
                tokio::time::timeout(limit, transport.run(&script, Some(file.source.bytes())))
                    .await;
            (file, script, outcome)
        }
    }))
    .await;
    for (file, script, outcome) in results {
        match outcome {
            Ok(Ok(out)) if out.ok() => {}
            Ok(Ok(out)) => {
                host.fail(
                    "upload",
                    Some(&script),
                    format!(
                        "{}: exit code {}: {}",
                        file.remote_path,
                        out.code,
                        out.tail()
                    ),
                    "check free space and permissions on the host",
                );
            }
            Ok(Err(e)) => {
                let hint = e.hint();
                host.fail(
                    "upload",
                    Some(&script),
                    format!("{}: {e}", file.remote_path),
                    hint,
                );
            }
            Err(_) => host.fail(
                "upload",
                Some(&script),
                format!(
                    "{}: no answer within {}s",
                    file.remote_path,
                    limit_secs(file)
                ),
                "the host stopped answering: check it and the network, then re-run",
            ),
        }
    }
    if host.failed() {
        return;
    }
    let names: Vec<String> = files
        .iter()
        .map(|f| f.remote_path.rsplit('/').next().unwrap_or("").to_string())
        .collect();
    host.report.record(
        "files",
        true,
        started.elapsed(),
        format!("{} ({})", names.join(", "), human_bytes(bytes)),
    );
    if changes.units_changed {
        if let Some(reload) = host.supervisor().reload_script() {
            let started = Instant::now();
            if host
                .exec(
                    "units",
                    reload,
                    None,
                    "check `systemctl status` on the host",
                )
                .await
                .is_some()
            {
                host.report
                    .record("units", true, started.elapsed(), "daemon-reload".into());
            }
        }
    }
}

fn limit_secs(file: &PlannedFile) -> u64 {
    super::fleet::SCRIPT_TIMEOUT.as_secs() + file.len() as u64 / (1 << 20)
}

/// Writes the host's manifest (0600, owned by the deploying user) when its text differs from
/// what inspection read: before the changes with what was and will be installed, after them with
/// what the plan installs.
pub async fn write_manifest(host: &mut HostState, manifest: &Manifest) {
    if host.failed() {
        return;
    }
    let text = manifest.render();
    if host.facts.manifest.as_deref() == Some(text.as_str()) {
        return;
    }
    let file = PlannedFile::new(
        manifest::path(&host.deploy),
        FileKind::Secret,
        FileSource::Text(std::sync::Arc::from(text.as_str())),
        Vec::new(),
    );
    let script = upload_script(&file, None);
    if host
        .exec(
            "manifest",
            &script,
            Some(text.as_bytes()),
            "check free space and permissions under the install root",
        )
        .await
        .is_some()
    {
        host.facts.manifest = Some(text);
    }
}

/// Stops the instances to retire (gateways first) with the supervisor that started them and
/// removes their units or pid files, before anything else changes on the host.
pub async fn stop_retired(host: &mut HostState, changes: &HostChanges, progress: &Progress) {
    let retired = &changes.retire.instances;
    if host.failed() || retired.is_empty() {
        return;
    }
    let started = Instant::now();
    let names: Vec<&str> = retired.iter().map(|i| i.name.as_str()).collect();
    progress.step(host.name(), "retire", &names.join(", "));
    let script: String = retired
        .iter()
        .map(|i| {
            let instance = i.as_instance(host.name());
            format!(
                "( {}
{}) || exit 1
",
                i.supervisor.stop_script(&instance),
                i.supervisor.remove_script(&[&instance])
            )
        })
        .collect();
    if host
        .exec(
            "retire",
            &script,
            None,
            "stop the process by hand (`ps`, `systemctl`), then re-run deploy",
        )
        .await
        .is_none()
    {
        return;
    }
    let done = Retired {
        files: Vec::new(),
        ..Retired::of(&changes.retire)
    };
    host.report
        .record("retire", true, started.elapsed(), done.describe());
    host.report.retired = Some(done);
}

/// Removes the files the plan no longer has (after the new ones are in place and the instances
/// run with them).
pub async fn remove_retired_files(host: &mut HostState, changes: &HostChanges) {
    let files = &changes.retire.files;
    if host.failed() || files.is_empty() {
        return;
    }
    let started = Instant::now();
    let quoted: Vec<String> = files.iter().map(|f| quote(f)).collect();
    let script = format!("rm -f {}", quoted.join(" "));
    if host
        .exec(
            "remove",
            &script,
            None,
            "check permissions on the host and remove the files by hand",
        )
        .await
        .is_none()
    {
        return;
    }
    let retired = host.report.retired.get_or_insert_with(Retired::default);
    retired.files = files.clone();
    host.report.record(
        "remove",
        true,
        started.elapsed(),
        format!("{} file(s): {}", files.len(), files.join(", ")),
    );
}

/// Opens the ports the plan needs and the host's firewall does not let in yet.
pub async fn open_ports(
    host: &mut HostState,
    changes: &HostChanges,
    backend: FirewallBackend,
    tag: &str,
    progress: &Progress,
) {
    if host.failed() || changes.open_ports.is_empty() {
        return;
    }
    let started = Instant::now();
    progress.step(
        host.name(),
        "firewall",
        &format!("{} {:?}", backend.name(), changes.open_ports),
    );
    let hint = "open the ports by hand or pass --no-firewall, and check the host's firewall tool";
    let script = match firewall::open_script(backend, &changes.open_ports, tag) {
        Ok(s) => s,
        Err(e) => {
            host.fail("firewall", None, e.to_string(), hint);
            return;
        }
    };
    let Some(out) = host.exec("firewall", &script, None, hint).await else {
        return;
    };
    let report = match firewall::parse_report(&out.stdout) {
        Ok(r) => r,
        Err(e) => {
            host.fail("firewall", Some(&script), e.to_string(), hint);
            return;
        }
    };
    let added: Vec<String> = report
        .iter()
        .filter(|c| c.change == Change::Added)
        .map(|c| c.port.to_string())
        .collect();
    let persistence = if backend.persistent() {
        "persistent"
    } else {
        "runtime only: not kept across a reboot"
    };
    host.report.record(
        "firewall",
        !added.is_empty(),
        started.elapsed(),
        format!(
            "{} opened {} ({persistence})",
            backend.name(),
            added.join(",")
        ),
    );
}

/// `12.3 MB`.
pub fn human_bytes(bytes: usize) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else if bytes >= 1000 {
        format!("{:.1} kB", bytes as f64 / 1e3)
    } else {
        format!("{bytes} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::plan::{FileKind, FileSource};
    use std::sync::Arc;

    fn sh(script: &str, stdin: &[u8]) -> std::process::Output {
        use std::io::Write;
        let mut child = std::process::Command::new("sh")
            .arg("-c")
            .arg(script)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        if let Some(mut pipe) = child.stdin.take() {
            let _ = pipe.write_all(stdin);
        }
        child.wait_with_output().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn upload_puts_the_file_in_place_or_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let target = dir.path().join("conf/broker-a.properties");
        let file = PlannedFile::new(
            target.display().to_string(),
            FileKind::Secret,
            FileSource::Text(Arc::from("brokerName=broker-a\n")),
            vec![],
        );
        let out = sh(&upload_script(&file, None), b"brokerName=broker-a\n");
        assert!(out.status.success(), "{out:?}");
        assert_eq!(
            std::fs::read_to_string(&target).unwrap_or_default(),
            "brokerName=broker-a\n"
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&target)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0);
        assert_eq!(mode, 0o600);
        // A truncated transfer: checksum mismatch, the old file stays, no temp file is left.
        let out = sh(&upload_script(&file, None), b"brokerName=bro");
        assert_eq!(out.status.code(), Some(3));
        assert!(String::from_utf8_lossy(&out.stderr).contains("checksum mismatch"));
        assert_eq!(
            std::fs::read_to_string(&target).unwrap_or_default(),
            "brokerName=broker-a\n"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path().join("conf"))
            .map(|d| d.count())
            .into_iter()
            .collect();
        assert_eq!(left, [1]);
    }

    #[test]
    fn sizes_read_like_a_person_writes_them() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1500), "1.5 kB");
        assert_eq!(human_bytes(14_200_000), "14.2 MB");
    }
}
