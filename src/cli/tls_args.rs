//! `--tls`, `--tls-ca`, `--tls-cert`/`--tls-key` and `--tls-insecure`, shared by every client
//! command (admin commands, `bench`), also read from `$RMQCTL_TLS*`.

use super::InputError;
use crate::remoting::tls::{TlsClientOptions, TlsConnect};
use std::path::PathBuf;

/// The password of an encrypted `--tls-key` (an environment variable: secrets stay out of argv).
pub const KEY_PASSWORD_ENV: &str = "RMQCTL_TLS_KEY_PASSWORD";

/// TLS flags of a client command.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TlsArgs {
    /// Connect with TLS (the servers run tls.server.mode=permissive or enforcing).
    #[arg(long, env = "RMQCTL_TLS")]
    pub tls: bool,
    /// CA certificate(s) (PEM) to verify the servers with; implies --tls.
    #[arg(long, value_name = "FILE", env = "RMQCTL_TLS_CA")]
    pub tls_ca: Option<PathBuf>,
    /// Client certificate (PEM) for servers that want one (mutual TLS); needs --tls-key.
    #[arg(
        long,
        value_name = "FILE",
        env = "RMQCTL_TLS_CERT",
        requires = "tls_key"
    )]
    pub tls_cert: Option<PathBuf>,
    /// Private key (PEM) of --tls-cert; an encrypted PKCS#8 key takes its password from
    /// $RMQCTL_TLS_KEY_PASSWORD (never from the command line).
    #[arg(
        long,
        value_name = "FILE",
        env = "RMQCTL_TLS_KEY",
        requires = "tls_cert"
    )]
    pub tls_key: Option<PathBuf>,
    /// Do NOT verify the servers' certificates (anyone in the path can read and change traffic).
    #[arg(long, env = "RMQCTL_TLS_INSECURE", conflicts_with = "tls_ca")]
    pub tls_insecure: bool,
}

impl TlsArgs {
    /// Whether any TLS flag asks for TLS.
    pub fn wanted(&self) -> bool {
        self.tls || self.tls_ca.is_some() || self.tls_cert.is_some() || self.tls_insecure
    }

    /// The connector, or `None` for plain TCP; bad files are input errors (exit 2).
    pub fn connector(&self) -> anyhow::Result<Option<TlsConnect>> {
        if !self.wanted() {
            return Ok(None);
        }
        if self.tls_insecure {
            eprintln!("WARNING: --tls-insecure: server certificates are NOT verified; anyone between here and the servers can read and change this traffic");
        }
        let options = TlsClientOptions {
            ca: self.tls_ca.clone(),
            cert: self.tls_cert.clone(),
            key: self.tls_key.clone(),
            key_password: std::env::var(KEY_PASSWORD_ENV)
                .ok()
                .filter(|p| !p.is_empty()),
            insecure: self.tls_insecure,
        };
        options
            .connector()
            .map(Some)
            .map_err(|e| anyhow::Error::new(InputError(format!("--tls: {e}"))))
    }
}
