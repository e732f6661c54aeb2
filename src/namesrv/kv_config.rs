//! `KvConfigStore`: the name server's namespaced key/value settings (PUT/GET/DELETE_KV_CONFIG),
//! persisted as Java's `{"configTable":{ns:{k:v}}}` in kvConfig.json, written atomically.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The KV namespace brokers read order-topic settings from.
pub const ORDER_TOPIC_CONFIG: &str = "ORDER_TOPIC_CONFIG";

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct KvConfigFile {
    config_table: BTreeMap<String, BTreeMap<String, String>>,
}

/// The KV table and the file it lives in.
#[derive(Debug)]
pub struct KvConfigStore {
    path: PathBuf,
    table: BTreeMap<String, BTreeMap<String, String>>,
}

/// kvConfig.json could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum KvConfigError {
    #[error("{path}: {reason}")]
    File { path: PathBuf, reason: String },
}

impl KvConfigStore {
    /// Load `path` if it exists; a missing file is an empty table.
    pub fn open(path: &Path) -> Result<Self, KvConfigError> {
        let table = match std::fs::read(path) {
            Ok(bytes) => {
                crate::protocol::fastjson::from_slice::<KvConfigFile>(&bytes)
                    .map_err(|e| KvConfigError::File {
                        path: path.to_path_buf(),
                        reason: format!("{e}; fix or move the file away"),
                    })?
                    .config_table
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => {
                return Err(KvConfigError::File {
                    path: path.to_path_buf(),
                    reason: e.to_string(),
                })
            }
        };
        Ok(KvConfigStore {
            path: path.to_path_buf(),
            table,
        })
    }

    pub fn put(&mut self, namespace: &str, key: &str, value: &str) -> Result<(), KvConfigError> {
        self.table
            .entry(namespace.to_string())
            .or_default()
            .insert(key.to_string(), value.to_string());
        self.persist()
    }

    pub fn get(&self, namespace: &str, key: &str) -> Option<&str> {
        self.table.get(namespace)?.get(key).map(String::as_str)
    }

    pub fn delete(&mut self, namespace: &str, key: &str) -> Result<(), KvConfigError> {
        let Some(ns) = self.table.get_mut(namespace) else {
            return Ok(());
        };
        if ns.remove(key).is_none() {
            return Ok(());
        }
        if ns.is_empty() {
            self.table.remove(namespace);
        }
        self.persist()
    }

    pub fn namespace(&self, namespace: &str) -> Option<&BTreeMap<String, String>> {
        self.table.get(namespace)
    }

    fn persist(&self) -> Result<(), KvConfigError> {
        let err = |reason: String| KvConfigError::File {
            path: self.path.clone(),
            reason,
        };
        let body = KvConfigFile {
            config_table: self.table.clone(),
        };
        let text = crate::protocol::fastjson::to_vec(&body).map_err(|e| err(e.to_string()))?;
        crate::file_replace::replace_file(&self.path, &text).map_err(|e| err(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kv").join("kvConfig.json");
        let mut kv = KvConfigStore::open(&path).unwrap();
        kv.put(ORDER_TOPIC_CONFIG, "T", "broker-a:4").unwrap();
        kv.put("ns", "k", "v").unwrap();
        kv.delete("ns", "k").unwrap();
        let again = KvConfigStore::open(&path).unwrap();
        assert_eq!(again.get(ORDER_TOPIC_CONFIG, "T"), Some("broker-a:4"));
        assert!(again.namespace("ns").is_none());
    }

    #[test]
    fn corrupt_file_is_reported_with_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kvConfig.json");
        std::fs::write(&path, "{oops").unwrap();
        let e = KvConfigStore::open(&path).unwrap_err().to_string();
        assert!(e.contains("kvConfig.json"), "{e}");
    }
}
