//! `TopicConfigManager`: the broker's topic configs with their DataVersion, the system topics
//! every broker has, auto-creation through TBW102, and persistence to `config/topics.json`.

use super::json_file::{JsonFile, MetadataError};
use crate::locks::lock;
use crate::protocol::perm;
use crate::protocol::topic::{
    DataVersion, TopicConfig, TopicConfigSerializeWrapper, AUTO_CREATE_TOPIC_KEY,
};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

pub use crate::protocol::system_topics::{
    is_not_allowed_send_topic, is_system_topic, BENCHMARK_TOPIC, OFFSET_MOVED_EVENT,
    SCHEDULE_TOPIC, SELF_TEST_TOPIC,
};
use crate::protocol::system_topics::{TRANS_HALF_TOPIC, TRANS_OP_HALF_TOPIC};

/// Why a topic name or config is refused (Apache's `TopicValidator`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TopicError {
    #[error("topic name is empty")]
    Empty,
    #[error("topic name `{0}` is longer than 127 characters")]
    TooLong(String),
    #[error("topic name `{0}` may only contain letters, digits, '%', '|', '-' and '_'")]
    BadCharacters(String),
    #[error("topic `{0}` is a system topic and can not be changed")]
    System(String),
    #[error("queue numbers must be between 1 and 1024 (read {0}, write {1})")]
    QueueNums(i32, i32),
}

/// Apache's topic name rule.
pub fn validate_topic_name(name: &str) -> Result<(), TopicError> {
    if name.is_empty() {
        return Err(TopicError::Empty);
    }
    if name.len() > 127 {
        return Err(TopicError::TooLong(name.into()));
    }
    let ok = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '%' | '|' | '-' | '_'));
    if !ok {
        return Err(TopicError::BadCharacters(name.into()));
    }
    Ok(())
}

#[derive(Debug)]
struct State {
    topics: BTreeMap<String, TopicConfig>,
    version: DataVersion,
}

/// The topic table of one broker.
#[derive(Debug)]
pub struct TopicConfigManager {
    file: JsonFile,
    state: Mutex<State>,
}

/// What the broker needs to know to set up its system topics.
#[derive(Debug, Clone)]
pub struct SystemTopics {
    pub cluster_name: String,
    pub broker_name: String,
    pub auto_create_topic_enable: bool,
    pub default_topic_queue_nums: i32,
}

impl TopicConfigManager {
    /// Load `config/topics.json` under `store_root` and add the system topics.
    pub fn open(store_root: &Path, system: &SystemTopics) -> Result<Self, MetadataError> {
        let file = JsonFile::new(store_root.join("config").join("topics.json"));
        let loaded: Option<TopicConfigSerializeWrapper> = file.load()?;
        let (mut topics, version) = match loaded {
            Some(w) => (w.topic_config_table, w.data_version),
            None => (BTreeMap::new(), DataVersion::now()),
        };
        for tc in system_topic_configs(system) {
            topics.entry(tc.topic_name.clone()).or_insert(tc);
        }
        if !system.auto_create_topic_enable {
            topics.remove(AUTO_CREATE_TOPIC_KEY);
        }
        let manager = TopicConfigManager {
            file,
            state: Mutex::new(State { topics, version }),
        };
        manager.persist()?;
        Ok(manager)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        lock(&self.state)
    }

    pub fn get(&self, topic: &str) -> Option<TopicConfig> {
        self.lock().topics.get(topic).cloned()
    }

    pub fn names(&self) -> Vec<String> {
        self.lock().topics.keys().cloned().collect()
    }

    /// A new DataVersion without a config change, so name servers take the next registration
    /// (Apache bumps it when brokerPermission changes: the routes carry the broker's permission).
    pub fn bump_version(&self) -> Result<(), MetadataError> {
        self.lock().version.next();
        self.persist()
    }

    /// Create or update; returns whether anything changed (a no-op keeps the DataVersion).
    pub fn upsert(&self, config: TopicConfig) -> Result<bool, MetadataError> {
        {
            let mut s = self.lock();
            if s.topics.get(&config.topic_name) == Some(&config) {
                return Ok(false);
            }
            s.topics.insert(config.topic_name.clone(), config);
            s.version.next();
        }
        self.persist()?;
        Ok(true)
    }

    /// Producer auto-creation: a new topic inheriting from `default_topic` when that topic
    /// carries the INHERIT bit. `None` when auto-creation is not allowed.
    pub fn create_from_default(
        &self,
        topic: &str,
        default_topic: &str,
        queue_nums: i32,
        topic_sys_flag: i32,
    ) -> Result<Option<TopicConfig>, MetadataError> {
        if let Some(existing) = self.get(topic) {
            return Ok(Some(existing));
        }
        let Some(default) = self.get(default_topic) else {
            return Ok(None);
        };
        if default.perm & perm::INHERIT == 0 {
            return Ok(None);
        }
        let queues = queue_nums.clamp(1, default.write_queue_nums.max(1));
        let mut config = TopicConfig::new(topic, queues);
        config.perm = default.perm & !perm::INHERIT;
        config.topic_sys_flag = topic_sys_flag;
        self.upsert(config.clone())?;
        Ok(Some(config))
    }

    /// A consumer group's retry topic (`%RETRY%group`), created on demand.
    pub fn ensure_retry_topic(
        &self,
        topic: &str,
        queues: i32,
    ) -> Result<TopicConfig, MetadataError> {
        if let Some(existing) = self.get(topic) {
            return Ok(existing);
        }
        let config = TopicConfig::new(topic, queues.max(1));
        self.upsert(config.clone())?;
        Ok(config)
    }

    pub fn delete(&self, topic: &str) -> Result<bool, MetadataError> {
        {
            let mut s = self.lock();
            if s.topics.remove(topic).is_none() {
                return Ok(false);
            }
            s.version.next();
        }
        self.persist()?;
        Ok(true)
    }

    /// Every config with the current version (GET_ALL_TOPIC_CONFIG, registration).
    pub fn wrapper(&self) -> TopicConfigSerializeWrapper {
        let s = self.lock();
        TopicConfigSerializeWrapper {
            data_version: s.version.clone(),
            topic_config_table: s.topics.clone(),
            ..Default::default()
        }
    }

    pub fn data_version(&self) -> DataVersion {
        self.lock().version.clone()
    }

    /// Replace everything with the master's table (slave synchronisation).
    pub fn replace_all(&self, wrapper: TopicConfigSerializeWrapper) -> Result<(), MetadataError> {
        {
            let mut s = self.lock();
            if s.version == wrapper.data_version {
                return Ok(());
            }
            s.topics = wrapper.topic_config_table;
            s.version = wrapper.data_version;
        }
        self.persist()
    }

    pub fn persist(&self) -> Result<(), MetadataError> {
        let w = self.wrapper();
        self.file.store(&w)
    }
}

/// Topics every Apache broker creates at start (`TopicConfigManager` constructor).
fn system_topic_configs(system: &SystemTopics) -> Vec<TopicConfig> {
    let mut list = Vec::new();
    if system.auto_create_topic_enable {
        let mut tbw = TopicConfig::new(AUTO_CREATE_TOPIC_KEY, system.default_topic_queue_nums);
        tbw.perm = perm::INHERIT | perm::READ | perm::WRITE;
        list.push(tbw);
    }
    list.push(TopicConfig::new(SELF_TEST_TOPIC, 1));
    list.push(TopicConfig::new(BENCHMARK_TOPIC, 1024));
    let mut cluster = TopicConfig::new(&system.cluster_name, 16);
    cluster.perm = perm::INHERIT | perm::WRITE;
    list.push(cluster);
    let mut broker = TopicConfig::new(&system.broker_name, 1);
    broker.perm = perm::INHERIT | perm::READ | perm::WRITE;
    list.push(broker);
    list.push(TopicConfig::new(OFFSET_MOVED_EVENT, 1));
    list.push(TopicConfig::new(SCHEDULE_TOPIC, 18));
    // Apache 5.x creates the transaction topics at start, one queue each.
    list.push(TopicConfig::new(TRANS_HALF_TOPIC, 1));
    list.push(TopicConfig::new(TRANS_OP_HALF_TOPIC, 1));
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn system() -> SystemTopics {
        SystemTopics {
            cluster_name: "DefaultCluster".into(),
            broker_name: "broker-a".into(),
            auto_create_topic_enable: true,
            default_topic_queue_nums: 8,
        }
    }

    #[test]
    fn upsert_is_idempotent_and_persists() {
        let dir = tempfile::tempdir().unwrap();
        let m = TopicConfigManager::open(dir.path(), &system()).unwrap();
        assert_eq!(m.get("TBW102").unwrap().perm, 7);
        let v0 = m.data_version();
        assert!(m.upsert(TopicConfig::new("T", 4)).unwrap());
        assert!(!m.upsert(TopicConfig::new("T", 4)).unwrap());
        assert_eq!(m.data_version().counter, v0.counter + 1);
        drop(m);
        let again = TopicConfigManager::open(dir.path(), &system()).unwrap();
        assert_eq!(again.get("T").unwrap().write_queue_nums, 4);
    }

    #[test]
    fn auto_create_inherits_from_tbw102_only() {
        let dir = tempfile::tempdir().unwrap();
        let m = TopicConfigManager::open(dir.path(), &system()).unwrap();
        let t = m
            .create_from_default("New", "TBW102", 4, 0)
            .unwrap()
            .unwrap();
        assert_eq!((t.write_queue_nums, t.perm), (4, 6));
        assert!(m
            .create_from_default("X", "SELF_TEST_TOPIC", 4, 0)
            .unwrap()
            .is_none());
    }

    #[test]
    fn topic_names_are_validated() {
        assert!(validate_topic_name("Topic_A-1%x|y").is_ok());
        assert!(validate_topic_name("bad name").is_err());
        assert!(validate_topic_name(&"x".repeat(128)).is_err());
    }

    #[test]
    fn corrupt_file_falls_back_to_backup_or_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let m = TopicConfigManager::open(dir.path(), &system()).unwrap();
        m.upsert(TopicConfig::new("T", 4)).unwrap();
        drop(m);
        let path = dir.path().join("config/topics.json");
        std::fs::write(&path, "{broken").unwrap();
        let m = TopicConfigManager::open(dir.path(), &system()).unwrap();
        assert!(m.get("TBW102").is_some());
        std::fs::write(&path, "{broken").unwrap();
        std::fs::write(dir.path().join("config/topics.json.bak"), "{broken").unwrap();
        let e = TopicConfigManager::open(dir.path(), &system()).unwrap_err();
        assert!(e.to_string().contains("topics.json"), "{e}");
    }
}
