//! gateway.toml: where the gateway listens, the cluster it sends to, its topic and group, the
//! callback allow-list, delivery limits and fixed `[[subscription]]` pushes.

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

/// Certificate and key (PEM) of an HTTPS listener.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListenerTls {
    pub cert: PathBuf,
    pub key: PathBuf,
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
