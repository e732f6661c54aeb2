//! How deploy reaches a host: a `Transport` runs one POSIX `sh` script there (optionally fed
//! bytes on stdin) and returns its exit code and output. `SshTransport` keeps one OpenSSH master
//! connection per host (native mux, so every script is a channel on it); `LocalTransport` runs
//! scripts on this machine for hosts marked `local = true`.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Semaphore;

use crate::render::derive::HostAccess;

/// sshd's `MaxSessions` is 10 by default: two channels are kept free for the master's own use
/// and for a user's interactive session.
pub const MAX_CHANNELS_PER_HOST: usize = 8;

/// What a script printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptOutput {
    /// Exit code (-1 when the script was killed by a signal).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl ScriptOutput {
    /// Whether the script exited 0.
    pub fn ok(&self) -> bool {
        self.code == 0
    }

    /// The last lines of stderr (or stdout when stderr is empty), for error messages.
    pub fn tail(&self) -> String {
        let text = if self.stderr.trim().is_empty() {
            &self.stdout
        } else {
            &self.stderr
        };
        let lines: Vec<&str> = text.trim_end().lines().collect();
        lines[lines.len().saturating_sub(6)..].join("\n")
    }
}

/// Why a host could not be reached or a script not run.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("cannot connect over SSH to {destination}: {reason}")]
    Connect { destination: String, reason: String },
    #[error("cannot run a command over the SSH connection: {0}")]
    Channel(String),
    #[error("cannot run sh on this machine: {0}")]
    Local(#[source] std::io::Error),
}

impl TransportError {
    /// What the operator can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            TransportError::Connect { reason, .. } if reason.contains("Host key verification") => {
                "the host key is unknown or changed: check it, add it to known_hosts (ssh-keyscan), or pass --accept-new-host-keys to trust a new host on first use"
            }
            TransportError::Connect { reason, .. } if reason.contains("Permission denied") => {
                "the key was refused: check user and identity_file in the inventory (or your ssh-agent)"
            }
            TransportError::Connect { .. } => {
                "check that the host is up, its address/port in the inventory, and that `ssh` to it works"
            }
            TransportError::Channel(_) => "the SSH connection dropped: check the host and re-run",
            TransportError::Local(_) => "check that /bin/sh exists",
        }
    }
}

/// A way to run scripts on one host.
#[async_trait]
pub trait Transport: Send + Sync {
    /// Runs `script` with `sh -c`, writing `stdin` to it first when given.
    async fn run(&self, script: &str, stdin: Option<&[u8]>)
        -> Result<ScriptOutput, TransportError>;

    /// Runs `script` with its stdout and stderr going straight to ours (for `logs -f`);
    /// returns its exit code.
    async fn stream(&self, script: &str) -> Result<i32, TransportError>;

    /// `ssh` or `local`, for reports.
    fn kind(&self) -> &'static str;
}

/// Options for opening connections.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// Trust a host key seen for the first time (`StrictHostKeyChecking=accept-new`).
    pub accept_new_host_keys: bool,
    pub connect_timeout: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            accept_new_host_keys: false,
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// Opens the transport for one host of the plan.
pub async fn connect(
    access: &HostAccess,
    options: &ConnectOptions,
) -> Result<Arc<dyn Transport>, TransportError> {
    match access {
        HostAccess::Local => Ok(Arc::new(LocalTransport::new())),
        HostAccess::Ssh {
            destination,
            user,
            port,
            identity_file,
            config_file,
        } => {
            let mut builder = openssh::SessionBuilder::default();
            builder
                .known_hosts_check(if options.accept_new_host_keys {
                    openssh::KnownHosts::Add
                } else {
                    openssh::KnownHosts::Strict
                })
                .connect_timeout(options.connect_timeout)
                .server_alive_interval(Duration::from_secs(15))
                .control_directory(control_directory());
            if let Some(user) = user {
                builder.user(user.clone());
            }
            if let Some(port) = port {
                builder.port(*port);
            }
            if let Some(key) = identity_file {
                builder.keyfile(crate::apache_config::values::expand_tilde(key));
            }
            if let Some(config) = config_file {
                builder.config_file(crate::apache_config::values::expand_tilde(config));
            }
            let session =
                builder
                    .connect_mux(destination)
                    .await
                    .map_err(|e| TransportError::Connect {
                        destination: destination.clone(),
                        reason: ssh_error_text(&e),
                    })?;
            Ok(Arc::new(SshTransport {
                session,
                channels: Semaphore::new(MAX_CHANNELS_PER_HOST),
            }))
        }
    }
}

/// Where the master connections' control sockets live: a private runtime dir when there is one.
fn control_directory() -> PathBuf {
    std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
        .unwrap_or_else(std::env::temp_dir)
}

/// The error with ssh's own words (the crate wraps the master's stderr in the chain).
fn ssh_error_text(error: &openssh::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        let piece = s.to_string();
        if !text.contains(&piece) {
            text.push_str(": ");
            text.push_str(&piece);
        }
        source = s.source();
    }
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Scripts over one OpenSSH master connection.
pub struct SshTransport {
    session: openssh::Session,
    channels: Semaphore,
}

impl SshTransport {
    /// `sh -c SCRIPT` on the host: the one command `run` and `stream` both start.
    fn sh(&self, script: &str) -> openssh::OwningCommand<&openssh::Session> {
        let mut command = self.session.command("sh");
        command.arg("-c").arg(script);
        command
    }
}

#[async_trait]
impl Transport for SshTransport {
    async fn run(
        &self,
        script: &str,
        stdin: Option<&[u8]>,
    ) -> Result<ScriptOutput, TransportError> {
        let _slot = self
            .channels
            .acquire()
            .await
            .map_err(|e| TransportError::Channel(e.to_string()))?;
        let channel = |e: openssh::Error| TransportError::Channel(ssh_error_text(&e));
        let mut command = self.sh(script);
        command
            .stdout(openssh::Stdio::piped())
            .stderr(openssh::Stdio::piped())
            .stdin(if stdin.is_some() {
                openssh::Stdio::piped()
            } else {
                openssh::Stdio::null()
            });
        let mut child = command.spawn().await.map_err(channel)?;
        let mut out = child.stdout().take();
        let mut err = child.stderr().take();
        let input = child.stdin().take();
        let feed = async move {
            if let (Some(mut pipe), Some(bytes)) = (input, stdin) {
                // A script that exits early closes its stdin: that is its answer, not ours.
                let _ = pipe.write_all(bytes).await;
                let _ = pipe.shutdown().await;
            }
        };
        let read_out = async {
            let mut buf = Vec::new();
            if let Some(pipe) = out.as_mut() {
                let _ = pipe.read_to_end(&mut buf).await;
            }
            buf
        };
        let read_err = async {
            let mut buf = Vec::new();
            if let Some(pipe) = err.as_mut() {
                let _ = pipe.read_to_end(&mut buf).await;
            }
            buf
        };
        let ((), stdout, stderr) = tokio::join!(feed, read_out, read_err);
        let status = child.wait().await.map_err(channel)?;
        Ok(ScriptOutput {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        })
    }

    async fn stream(&self, script: &str) -> Result<i32, TransportError> {
        let channel = |e: openssh::Error| TransportError::Channel(ssh_error_text(&e));
        let status = self
            .sh(script)
            .stdin(openssh::Stdio::null())
            .stdout(openssh::Stdio::inherit())
            .stderr(openssh::Stdio::inherit())
            .status()
            .await
            .map_err(channel)?;
        Ok(status.code().unwrap_or(-1))
    }

    fn kind(&self) -> &'static str {
        "ssh"
    }
}

/// Scripts on this machine.
pub struct LocalTransport {
    channels: Semaphore,
}

impl LocalTransport {
    pub fn new() -> LocalTransport {
        LocalTransport {
            channels: Semaphore::new(MAX_CHANNELS_PER_HOST),
        }
    }
}

impl Default for LocalTransport {
    fn default() -> Self {
        LocalTransport::new()
    }
}

#[async_trait]
impl Transport for LocalTransport {
    async fn run(
        &self,
        script: &str,
        stdin: Option<&[u8]>,
    ) -> Result<ScriptOutput, TransportError> {
        let _slot = self
            .channels
            .acquire()
            .await
            .map_err(|e| TransportError::Channel(e.to_string()))?;
        let mut child = tokio::process::Command::new("sh")
            .arg("-c")
            .arg(script)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(TransportError::Local)?;
        if let (Some(mut pipe), Some(bytes)) = (child.stdin.take(), stdin) {
            let _ = pipe.write_all(bytes).await;
            let _ = pipe.shutdown().await;
        }
        let output = child
            .wait_with_output()
            .await
            .map_err(TransportError::Local)?;
        Ok(ScriptOutput {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        })
    }

    async fn stream(&self, script: &str) -> Result<i32, TransportError> {
        let status = tokio::process::Command::new("sh")
            .arg("-c")
            .arg(script)
            .stdin(Stdio::null())
            .status()
            .await
            .map_err(TransportError::Local)?;
        Ok(status.code().unwrap_or(-1))
    }

    fn kind(&self) -> &'static str {
        "local"
    }
}

/// `s` quoted for a POSIX shell (single quotes; the shlex crate knows the corner cases).
pub fn quote(s: &str) -> String {
    shlex::try_quote(s)
        .map(|q| q.into_owned())
        .unwrap_or_else(|_| format!("'{}'", s.replace('\0', "").replace('\'', r"'\''")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn local_scripts_get_stdin_and_report_exit_codes() {
        let t = LocalTransport::new();
        let out = t.run("cat; echo err >&2; exit 3", Some(b"hello")).await;
        let out = out.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.code, 3);
        assert_eq!(out.stdout, "hello");
        assert_eq!(out.stderr, "err\n");
        assert_eq!(out.tail(), "err");
    }

    #[test]
    fn quoting_survives_the_shell() {
        for s in ["plain", "with space", "it's", "$HOME `x` \"q\"", ""] {
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("printf %s {}", quote(s)))
                .output()
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(String::from_utf8_lossy(&out.stdout), s);
        }
    }
}
