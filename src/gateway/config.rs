//! gateway.toml: where the gateway listens, the cluster it sends to, its topic and group, the
//! callback allow-list, delivery limits, fixed `[[subscription]]` pushes, and how it connects to
//! the cluster (`[account]`, `[cluster_tls]`).

use serde::Deserialize;
use std::path::PathBuf;

/// The whole gateway.toml; every field has a default so an empty file is valid (but an empty
/// `allow_callbacks` refuses every backurl, and the gateway says so at start).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GatewayConfig {
    /// `host:port` of the HTTP listener (`--listen` overrides).
    pub listen: String,
    /// Name-server addresses, `;`-separated (`-n` overrides).
    pub namesrv: Option<String>,
    /// Topic of `/send` messages, created on every master at start when missing.
    pub topic: String,
    /// Consumer group that delivers the topic's messages to their backurls.
    pub group: String,
    /// URL prefixes a backurl must start with (after normalising); `*.` may begin a host.
    pub allow_callbacks: Vec<String>,
    /// Bearer tokens accepted on `/send` (none: no token needed). Secrets: never logged.
    pub tokens: Vec<String>,
    /// Largest request body accepted, in bytes (the RocketMQ clients' 4 MiB by default).
    pub max_body_bytes: usize,
    /// Degraded send statuses answered as `success` (the master stored the message):
    /// `FLUSH_DISK_TIMEOUT`, `FLUSH_SLAVE_TIMEOUT`, `SLAVE_NOT_AVAILABLE`; all three by default,
    /// `[]` answers only `SEND_OK` as success (the others get 502 with the msg_id).
    pub accept_degraded: Vec<String>,
    /// Delivery to callback URLs.
    pub delivery: DeliveryConfig,
    /// TLS for the listener (both set: HTTPS).
    pub tls: Option<ListenerTls>,
    /// The ACL account the gateway signs its requests to the cluster with (brokers with
    /// aclEnable=true); `--access-key` with `$RMQCTL_SECRET_KEY` wins. The file then holds a
    /// secret: keep it mode 0600 (deploy does).
    pub account: Option<ClusterAccount>,
    /// TLS towards the name servers and brokers (their CA, a client certificate when they want
    /// one); the `--tls*` flags win.
    pub cluster_tls: Option<ClusterTls>,
    /// Fixed pushes of existing topics to fixed URLs.
    #[serde(rename = "subscription")]
    pub subscriptions: Vec<Subscription>,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        Self {
            listen: "0.0.0.0:8080".to_owned(),
            namesrv: None,
            topic: "HTTP_GATEWAY".to_owned(),
            group: "HTTP_GATEWAY_DELIVERY".to_owned(),
            allow_callbacks: Vec::new(),
            tokens: Vec::new(),
            max_body_bytes: 4 * 1024 * 1024,
            accept_degraded: vec![
                "FLUSH_DISK_TIMEOUT".to_owned(),
                "FLUSH_SLAVE_TIMEOUT".to_owned(),
                "SLAVE_NOT_AVAILABLE".to_owned(),
            ],
            delivery: DeliveryConfig::default(),
            tls: None,
            account: None,
            cluster_tls: None,
            subscriptions: Vec::new(),
        }
    }
}

/// Limits of callback delivery.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeliveryConfig {
    /// Per-request timeout of a callback POST, in milliseconds.
    pub timeout_ms: u64,
    /// Callbacks in flight per callback host (a slow endpoint holds at most this many); a
    /// message that waits `timeout_ms` for a slot fails ("host busy") and is redelivered.
    pub per_host_concurrency: usize,
    /// Failed deliveries before a message goes to `%DLQ%<group>` (RocketMQ's default 16).
    pub max_reconsume_times: u32,
    /// At shutdown: how long callbacks in flight may finish (the rest are redelivered later).
    pub drain_timeout_ms: u64,
    /// CA certificates (PEM) trusted for https callbacks besides the built-in Mozilla roots:
    /// the CA of a private PKI whose endpoints receive callbacks.
    pub ca: Option<PathBuf>,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            timeout_ms: 5_000,
            per_host_concurrency: 16,
            max_reconsume_times: 16,
            drain_timeout_ms: 10_000,
            ca: None,
        }
    }
}

/// Certificate and key (PEM) of an HTTPS listener. The password of an encrypted PKCS#8 `key`
/// never sits here: it is the first line of `key_password_file` (keep it 0600).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListenerTls {
    pub cert: PathBuf,
    pub key: PathBuf,
    /// A file whose first line is the password of an encrypted PKCS#8 `key`.
    pub key_password_file: Option<PathBuf>,
}

impl ListenerTls {
    /// The key's password from `key_password_file`; `Ok(None)` without one. The error says
    /// what is wrong with the file.
    pub fn key_password(&self) -> Result<Option<String>, String> {
        self.key_password_file
            .as_deref()
            .map(|path| {
                first_line_password(path).map_err(|reason| {
                    format!("[tls] key_password_file {}: {reason}", path.display())
                })
            })
            .transpose()
    }
}

/// `[cluster_tls]`: what the gateway trusts and presents when it connects to the cluster (the
/// `--tls-ca`, `--tls-cert`/`--tls-key` of the flags). The key password never sits here: it is
/// the first line of `key_password_file` (keep it 0600), else `$RMQCTL_TLS_KEY_PASSWORD`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterTls {
    /// CA certificate(s) (PEM) the servers' certificates are verified with.
    pub ca: PathBuf,
    /// Client certificate (PEM) and its key, for servers that want one (mutual TLS).
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    /// A file whose first line is the password of an encrypted PKCS#8 `key`.
    pub key_password_file: Option<PathBuf>,
}

/// Why `[cluster_tls]` cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ClusterTlsError {
    #[error("[cluster_tls] has only one of cert and key: set both (the client certificate and its key), or neither")]
    HalfPair,
    #[error("[cluster_tls] key_password_file {path}: {reason}")]
    Password { path: String, reason: String },
    #[error("[cluster_tls]: {0}")]
    Setup(#[from] crate::remoting::tls::server_config::TlsSetupError),
}

impl ClusterTls {
    /// The connector; `key_password_env` names the variable read when no `key_password_file`
    /// is set.
    pub fn connector(
        &self,
        key_password_env: &str,
    ) -> Result<crate::remoting::tls::TlsConnect, ClusterTlsError> {
        if self.cert.is_some() != self.key.is_some() {
            return Err(ClusterTlsError::HalfPair);
        }
        let key_password = match &self.key_password_file {
            Some(path) => {
                Some(
                    first_line_password(path).map_err(|reason| ClusterTlsError::Password {
                        path: path.display().to_string(),
                        reason,
                    })?,
                )
            }
            None => std::env::var(key_password_env)
                .ok()
                .filter(|p| !p.is_empty()),
        };
        let options = crate::remoting::tls::TlsClientOptions {
            ca: Some(self.ca.clone()),
            cert: self.cert.clone(),
            key: self.key.clone(),
            key_password,
            insecure: false,
        };
        Ok(options.connector()?)
    }
}

/// The first line of a password file (not empty); the reason when it cannot be had.
fn first_line_password(path: &std::path::Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    match text.lines().next() {
        Some(first) if !first.is_empty() => Ok(first.to_owned()),
        _ => Err("is empty: write the key's password on its first line".into()),
    }
}

/// `[[subscription]]`: push an existing topic's messages (tag expression) to a fixed URL.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    pub topic: String,
    #[serde(default = "all_tags")]
    pub tags: String,
    pub group: String,
    pub url: String,
    /// Where a new group starts: `last` (only messages stored from now on, the Java default)
    /// or `first` (everything the topic still holds).
    #[serde(default)]
    pub consume_from: SubscriptionStart,
}

/// `consume_from` of a `[[subscription]]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubscriptionStart {
    #[default]
    Last,
    First,
}

fn all_tags() -> String {
    "*".to_owned()
}

/// `[account]`: an ACL 1.0 account (`Debug` shows the secret as `***`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterAccount {
    pub access_key: String,
    pub secret_key: crate::acl::Secret,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_password_is_the_first_line_of_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pw");
        std::fs::write(&path, "s3cret pw\nnot this line\n").unwrap();
        assert_eq!(first_line_password(&path).unwrap(), "s3cret pw");
        let listener: GatewayConfig = toml::from_str(&format!(
            "[tls]\ncert = \"c.pem\"\nkey = \"k.pem\"\nkey_password_file = \"{}\"\n",
            path.display()
        ))
        .unwrap();
        let listener = listener.tls.unwrap();
        assert_eq!(
            listener.key_password().unwrap().as_deref(),
            Some("s3cret pw")
        );
        std::fs::write(&path, "\nsecond\n").unwrap();
        let error = listener.key_password().unwrap_err();
        assert!(
            error.starts_with("[tls] key_password_file ")
                && error.contains("is empty")
                && error.contains("pw"),
            "{error}"
        );
        let unset: ListenerTls = toml::from_str("cert = \"c.pem\"\nkey = \"k.pem\"\n").unwrap();
        assert_eq!(unset.key_password(), Ok(None));
    }

    #[test]
    fn cluster_tls_needs_a_ca_and_both_or_neither_of_cert_and_key() {
        let missing: Result<GatewayConfig, _> = toml::from_str("[cluster_tls]\ncert = \"c.pem\"\n");
        assert!(
            missing
                .unwrap_err()
                .to_string()
                .contains("missing field `ca`"),
            "a CA is required"
        );
        let config: GatewayConfig =
            toml::from_str("[cluster_tls]\nca = \"/nonexistent/ca.pem\"\nkey = \"k.pem\"\n")
                .unwrap();
        let error = config
            .cluster_tls
            .unwrap()
            .connector("RMQCTL_TEST_UNSET_KEY_PASSWORD")
            .unwrap_err();
        assert!(matches!(error, ClusterTlsError::HalfPair), "{error}");
    }
}
