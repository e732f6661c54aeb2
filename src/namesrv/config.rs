//! `NamesrvConfig`: the name server's settings from an Apache-format `namesrv.properties`
//! (`NamesrvConfig` + `NettyServerConfig` keys). Unknown keys and bad values stop startup with
//! file:line:col and a hint.

use crate::apache_config::namesrv_keys::{unknown_key, UnknownKey, KEYS};
use crate::apache_config::properties::{Entry, Properties, PropertiesError};
use crate::remoting::connection_limit::ConnectionLimits;
use crate::remoting::tls::settings::{is_tls_key, TlsSettings};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Why a name server config file was refused.
#[derive(Debug, thiserror::Error)]
pub enum NamesrvConfigError {
    #[error(transparent)]
    Read(#[from] PropertiesError),
    #[error("{path}:{line}:{col}: {problem}")]
    UnknownKey {
        path: PathBuf,
        line: usize,
        col: usize,
        problem: UnknownKey,
    },
    #[error("{path}:{line}:{col}: `{key}` has an invalid value {value:?}: {reason}")]
    BadValue {
        path: PathBuf,
        line: usize,
        col: usize,
        key: String,
        value: String,
        reason: String,
    },
    #[error("{0}")]
    Tls(String),
}

/// Settings of `rmqctl namesrv`.
#[derive(Debug, Clone, PartialEq)]
pub struct NamesrvConfig {
    pub bind_address: IpAddr,
    pub listen_port: u16,
    pub rocketmq_home: PathBuf,
    /// Where KV config (PUT_KV_CONFIG) is persisted.
    pub kv_config_path: PathBuf,
    /// Where UPDATE_NAMESRV_CONFIG persists the config.
    pub config_store_path: PathBuf,
    /// How often to look for silent brokers.
    pub scan_not_active_broker_interval: Duration,
    /// A broker not heard from for this long is dropped (Java: 120 s, or the broker's own
    /// heartbeatTimeoutMillis).
    pub broker_expire: Duration,
    pub order_message_enable: bool,
    pub cluster_test: bool,
    pub enable_all_topic_list: bool,
    pub enable_topic_list: bool,
    pub return_order_topic_config_to_broker: bool,
    pub server_channel_max_idle: Duration,
    /// The listener's TLS (`tls.*` keys, see remoting::tls).
    pub tls: TlsSettings,
    /// Check the requests that change this name server against `plain_acl.yml` (rmqctl only).
    pub acl_enable: bool,
    /// `serverMaxConnections` / `serverMaxConnectionsPerAddress` (rmqctl only; 0: no cap).
    pub connection_limits: ConnectionLimits,
}

impl Default for NamesrvConfig {
    fn default() -> Self {
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        NamesrvConfig {
            bind_address: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            listen_port: 9876,
            rocketmq_home: std::env::var_os("ROCKETMQ_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| home.clone()),
            kv_config_path: home.join("namesrv").join("kvConfig.json"),
            config_store_path: home.join("namesrv").join("namesrv.properties"),
            scan_not_active_broker_interval: Duration::from_secs(10),
            broker_expire: Duration::from_secs(120),
            order_message_enable: false,
            cluster_test: false,
            enable_all_topic_list: true,
            enable_topic_list: true,
            return_order_topic_config_to_broker: true,
            server_channel_max_idle: Duration::from_secs(120),
            tls: TlsSettings::new(),
            acl_enable: false,
            connection_limits: ConnectionLimits::default(),
        }
    }
}

impl NamesrvConfig {
    /// Load a properties file on top of the defaults.
    pub fn load(path: &Path) -> Result<Self, NamesrvConfigError> {
        let props = Properties::load(path)?;
        let mut config = NamesrvConfig::default();
        for entry in props.entries() {
            config.apply(props.origin(), entry)?;
        }
        config
            .tls
            .apply_config_file()
            .map_err(NamesrvConfigError::Tls)?;
        Ok(config)
    }

    /// The socket address to listen on.
    pub fn listen_addr(&self) -> SocketAddr {
        SocketAddr::new(self.bind_address, self.listen_port)
    }

    /// Set one key (also used by UPDATE_NAMESRV_CONFIG).
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let v = value.trim();
        match key {
            "bindAddress" => self.bind_address = parse(v)?,
            "listenPort" => self.listen_port = parse(v)?,
            "rocketmqHome" => self.rocketmq_home = PathBuf::from(v),
            "kvConfigPath" => self.kv_config_path = PathBuf::from(v),
            "configStorePath" => self.config_store_path = PathBuf::from(v),
            "scanNotActiveBrokerInterval" => {
                self.scan_not_active_broker_interval = Duration::from_millis(parse_positive(v)?)
            }
            "brokerExpireMillis" => self.broker_expire = Duration::from_millis(parse_positive(v)?),
            "orderMessageEnable" => self.order_message_enable = parse_bool(v)?,
            "clusterTest" => self.cluster_test = parse_bool(v)?,
            "enableAllTopicList" => self.enable_all_topic_list = parse_bool(v)?,
            "enableTopicList" => self.enable_topic_list = parse_bool(v)?,
            "returnOrderTopicConfigToBroker" => {
                self.return_order_topic_config_to_broker = parse_bool(v)?
            }
            "serverChannelMaxIdleTimeSeconds" => {
                self.server_channel_max_idle = Duration::from_secs(parse_positive(v)?)
            }
            "aclEnable" => self.acl_enable = parse_bool(v)?,
            "serverMaxConnections" => self.connection_limits.total = parse_cap(v)?,
            "serverMaxConnectionsPerAddress" => self.connection_limits.per_address = parse_cap(v)?,
            _ if is_tls_key(key) => self.tls.set(key, v)?,
            _ => return Err(unknown_key(key).to_string()),
        }
        Ok(())
    }

    fn apply(&mut self, path: &Path, entry: &Entry) -> Result<(), NamesrvConfigError> {
        if !KEYS.contains(&entry.key.as_str()) && !is_tls_key(&entry.key) {
            return Err(NamesrvConfigError::UnknownKey {
                path: path.to_path_buf(),
                line: entry.key_pos.line,
                col: entry.key_pos.col,
                problem: unknown_key(&entry.key),
            });
        }
        let bad = |reason: String| NamesrvConfigError::BadValue {
            path: path.to_path_buf(),
            line: entry.value_pos.line,
            col: entry.value_pos.col,
            key: entry.key.clone(),
            value: entry.value.clone(),
            reason,
        };
        if let Some(comment) = entry.inline_comment_text() {
            return Err(bad(format!(
                "the value holds the inline comment `{comment}`, which Java keeps (a comment starts only at the beginning of a line); move it to its own line"
            )));
        }
        if entry.trailing_blank {
            return Err(bad(
                "the value ends with a blank, which Java keeps; remove it".into(),
            ));
        }
        self.set(&entry.key, &entry.value).map_err(bad)
    }

    /// The config as properties text (GET_NAMESRV_CONFIG).
    pub fn to_properties_text(&self) -> String {
        let pairs: Vec<(&str, String)> = vec![
            ("bindAddress", self.bind_address.to_string()),
            ("listenPort", self.listen_port.to_string()),
            ("rocketmqHome", self.rocketmq_home.display().to_string()),
            ("kvConfigPath", self.kv_config_path.display().to_string()),
            (
                "configStorePath",
                self.config_store_path.display().to_string(),
            ),
            (
                "scanNotActiveBrokerInterval",
                self.scan_not_active_broker_interval.as_millis().to_string(),
            ),
            (
                "brokerExpireMillis",
                self.broker_expire.as_millis().to_string(),
            ),
            ("orderMessageEnable", self.order_message_enable.to_string()),
            ("clusterTest", self.cluster_test.to_string()),
            ("enableAllTopicList", self.enable_all_topic_list.to_string()),
            ("enableTopicList", self.enable_topic_list.to_string()),
            (
                "returnOrderTopicConfigToBroker",
                self.return_order_topic_config_to_broker.to_string(),
            ),
            ("aclEnable", self.acl_enable.to_string()),
            (
                "serverChannelMaxIdleTimeSeconds",
                self.server_channel_max_idle.as_secs().to_string(),
            ),
            (
                "serverMaxConnections",
                self.connection_limits.total.to_string(),
            ),
            (
                "serverMaxConnectionsPerAddress",
                self.connection_limits.per_address.to_string(),
            ),
        ];
        crate::apache_config::properties::write_properties(
            pairs.iter().map(|(k, v)| (*k, v.as_str())),
        )
    }
}

fn parse<T: std::str::FromStr>(v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("expected a {}", std::any::type_name::<T>()))
}

/// A connection cap: a whole number, 0 for none.
fn parse_cap(v: &str) -> Result<usize, String> {
    v.parse()
        .map_err(|_| "expected a whole number of connections (0: no cap)".into())
}

fn parse_positive(v: &str) -> Result<u64, String> {
    match v.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err("expected a positive whole number".into()),
    }
}

fn parse_bool(v: &str) -> Result<bool, String> {
    match v {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err("expected true or false".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<NamesrvConfig, NamesrvConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("namesrv.properties");
        std::fs::write(&path, text).unwrap();
        NamesrvConfig::load(&path)
    }

    #[test]
    fn reads_known_keys() {
        let c = load("listenPort=19876\nscanNotActiveBrokerInterval=500\n").unwrap();
        assert_eq!(c.listen_port, 19876);
        assert_eq!(
            c.scan_not_active_broker_interval,
            Duration::from_millis(500)
        );
    }

    #[test]
    fn unknown_key_names_line_and_suggests() {
        let e = load("# c\nlistenport=1\n").unwrap_err().to_string();
        assert!(
            e.contains(":2:1: unknown name-server key `listenport`"),
            "{e}"
        );
        assert!(e.contains("did you mean `listenPort`"), "{e}");
        // UPDATE_NAMESRV_CONFIG says it in the same words.
        let e = NamesrvConfig::default().set("listenport", "1").unwrap_err();
        assert_eq!(
            e,
            crate::apache_config::namesrv_keys::unknown_key("listenport").to_string()
        );
        assert!(
            e.starts_with("unknown name-server key `listenport`; did you mean `listenPort`?"),
            "{e}"
        );
    }

    #[test]
    fn bad_value_and_trailing_blank_are_refused() {
        let e = load("listenPort=abc\n").unwrap_err().to_string();
        assert!(
            e.contains(":1:12: `listenPort` has an invalid value"),
            "{e}"
        );
        let e = load("listenPort=9876 \n").unwrap_err().to_string();
        assert!(e.contains("ends with a blank"), "{e}");
        let e = load("kvConfigPath=/x/kv.json #KV配置\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("inline comment `#KV配置`"), "{e}");
    }
}
