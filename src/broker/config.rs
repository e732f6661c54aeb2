//! `BrokerConfig`: the typed configuration of the bundled broker, read from an Apache-format
//! `broker-a.properties` file. Unlike Apache, it refuses unknown or misspelled keys, bad enum
//! values, bad numbers and addresses, trailing blanks and inline comments, and says where and
//! what to do.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::apache_config::broker_keys::broker_key_table;
use crate::apache_config::check::{
    bad_value, check_entry, check_key_value, ConfigProblem, KeyProblem,
};
use crate::apache_config::properties::{Properties, PropertiesError};
use crate::apache_config::values::{
    cpu_count, expand_tilde, local_hostname, BrokerRole, ConfigValue, FlushDiskType,
    MessageDelayLevels, ValueError,
};

/// Generates `BrokerConfig` (struct, defaults, setter, dump) from the key table.
macro_rules! broker_config_struct {
    ($( $(#[$doc:meta])* $field:ident : $ty:ty = $key:literal, $default:expr; )*) => {
        /// The typed config of the bundled broker (Apache key spellings in the docs of each field).
        #[derive(Debug, Clone, PartialEq)]
        pub struct BrokerConfig {
            $( $(#[$doc])* pub $field: $ty, )*
            /// Accepted Apache keys the bundled broker does not act on.
            extra: BTreeMap<String, String>,
        }

        impl Default for BrokerConfig {
            fn default() -> Self {
                BrokerConfig {
                    $( $field: $default, )*
                    extra: BTreeMap::new(),
                }
            }
        }

        impl BrokerConfig {
            fn set_typed(&mut self, key: &str, value: &str) -> Option<Result<(), ValueError>> {
                match key {
                    $( $key => Some(<$ty as ConfigValue>::parse_value(value).map(|v| self.$field = v)), )*
                    _ => None,
                }
            }

            fn typed_pairs(&self) -> Vec<(&'static str, String)> {
                vec![ $( ($key, ConfigValue::render(&self.$field)), )* ]
            }
        }
    };
}

broker_key_table!(broker_config_struct);

/// Why a broker config file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(transparent)]
    Read(#[from] PropertiesError),
    #[error("{}", describe_problems(path, problems))]
    Invalid {
        path: PathBuf,
        problems: Vec<ConfigProblem>,
    },
}

fn describe_problems(path: &Path, problems: &[ConfigProblem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("{}:{}: {}", path.display(), p.pos, p.problem))
        .collect();
    lines.join("\n")
}

/// A loaded config plus the keys Apache knows that the bundled broker accepts but does not act on.
#[derive(Debug, Clone)]
pub struct LoadedBrokerConfig {
    pub config: BrokerConfig,
    pub path: PathBuf,
    /// Keys set in the file that the bundled broker ignores (list them once at startup).
    pub not_acted_on: Vec<String>,
}

/// What `BrokerConfig::set` did with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOutcome {
    /// The typed field changed.
    Applied,
    /// An Apache key the bundled broker keeps (and reports back) but does not act on.
    NotActedOn,
}

impl BrokerConfig {
    /// Reads a `.properties` file; every problem in it is reported at once.
    pub fn load(path: &Path) -> Result<LoadedBrokerConfig, ConfigError> {
        let properties = Properties::load(path)?;
        Self::from_properties(&properties)
    }

    /// Builds a config from parsed properties (later duplicates win, as in Java).
    pub fn from_properties(properties: &Properties) -> Result<LoadedBrokerConfig, ConfigError> {
        let mut config = BrokerConfig::default();
        let mut problems = Vec::new();
        let mut not_acted_on = Vec::new();
        for entry in properties.entries() {
            let found = check_entry(entry);
            if !found.is_empty() {
                problems.extend(found);
                continue;
            }
            match config.set(&entry.key, &entry.value) {
                Ok(SetOutcome::Applied) => {}
                Ok(SetOutcome::NotActedOn) => not_acted_on.push(entry.key.clone()),
                Err(problem) => problems.push(ConfigProblem {
                    pos: entry.value_pos,
                    problem,
                }),
            }
        }
        if !problems.is_empty() {
            return Err(ConfigError::Invalid {
                path: properties.origin().to_path_buf(),
                problems,
            });
        }
        not_acted_on.sort();
        not_acted_on.dedup();
        Ok(LoadedBrokerConfig {
            config,
            path: properties.origin().to_path_buf(),
            not_acted_on,
        })
    }

    /// Sets one key (UPDATE_BROKER_CONFIG); the value is checked like a file entry.
    pub fn set(&mut self, key: &str, value: &str) -> Result<SetOutcome, KeyProblem> {
        if let Some(problem) = check_key_value(key, value) {
            return Err(problem);
        }
        if crate::apache_config::tls_keys::is_tls_key(key) {
            // The TLS keys are read by the runtime from `extra` (see broker::tls_setup).
            self.extra.insert(key.to_string(), value.trim().to_string());
            return Ok(SetOutcome::Applied);
        }
        match self.set_typed(key, value) {
            Some(result) => result
                .map(|()| SetOutcome::Applied)
                .map_err(|e| bad_value(key, value, &e)),
            None => {
                self.extra.insert(key.to_string(), value.trim().to_string());
                Ok(SetOutcome::NotActedOn)
            }
        }
    }

    /// `key=value` lines of every typed key (effective values) and every accepted extra key.
    pub fn to_properties_text(&self) -> String {
        let mut pairs = self.typed_pairs();
        for (key, value) in pairs.iter_mut() {
            match *key {
                "haListenPort" => *value = self.ha_port().to_string(),
                "storePathCommitLog" => *value = self.commit_log_dir().display().to_string(),
                _ => {}
            }
        }
        // TLS key passwords never leave the process (GET_BROKER_CONFIG answers with this text).
        let secret = |k: &str| k.ends_with(".keyPassword");
        pairs.extend(
            self.extra
                .iter()
                .filter(|(k, _)| !secret(k))
                .map(|(k, v)| (k.as_str(), v.clone())),
        );
        crate::apache_config::properties::write_properties(
            pairs.iter().map(|(k, v)| (*k, v.as_str())),
        )
    }

    /// The VIP channel port: `listenPort - 2`.
    pub fn fast_port(&self) -> u16 {
        self.listen_port.saturating_sub(2)
    }

    /// The HA port slaves connect to: `haListenPort`, or `listenPort + 1`.
    pub fn ha_port(&self) -> u16 {
        self.ha_listen_port
            .unwrap_or(self.listen_port.saturating_add(1))
    }

    /// `storePathRootDir` (`~` expanded).
    pub fn store_root(&self) -> &Path {
        &self.store_path_root_dir
    }

    /// The first commit log directory: `storePathCommitLog`, or `<storePathRootDir>/commitlog`.
    pub fn commit_log_dir(&self) -> PathBuf {
        match &self.store_path_commit_log {
            Some(paths) => expand_tilde(paths.split(',').next().unwrap_or("").trim()),
            None => self.store_path_root_dir.join("commitlog"),
        }
    }

    /// The caps on connections per listening port (`serverMaxConnections`,
    /// `serverMaxConnectionsPerAddress`).
    pub fn connection_limits(&self) -> crate::remoting::connection_limit::ConnectionLimits {
        crate::remoting::connection_limit::ConnectionLimits {
            total: self.server_max_connections as usize,
            per_address: self.server_max_connections_per_address as usize,
        }
    }

    /// Accepted Apache keys that the bundled broker does not act on, with their values.
    pub fn extra(&self) -> &BTreeMap<String, String> {
        &self.extra
    }
}

/// Writes keys changed at runtime (UPDATE_BROKER_CONFIG) back into the broker's config file,
/// as Apache's broker persists them: only those keys' lines change (a key the file lacks is
/// appended), comments and every other line stay, and the file is replaced atomically.
pub fn save_changes(path: &Path, changed: &[(&str, &str)]) -> std::io::Result<()> {
    let text = std::fs::read_to_string(path)?;
    let updated = crate::apache_config::properties::rewrite_keys(&text, changed);
    crate::file_replace::replace_file(path, updated.as_bytes())
}
