//! `ConsumerOffsetManager`: committed consumer offsets (`topic@group` -> queue -> offset),
//! persisted to `config/consumerOffset.json` periodically and at shutdown.

use super::json_file::{JsonFile, MetadataError};
use crate::locks::lock;
use crate::protocol::consumer::ConsumerOffsetSerializeWrapper;
use crate::protocol::topic::DataVersion;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

const SEPARATOR: char = '@';

/// The offsets table of one broker.
#[derive(Debug)]
pub struct ConsumerOffsetManager {
    file: JsonFile,
    table: Mutex<BTreeMap<String, BTreeMap<i32, i64>>>,
    version: Mutex<DataVersion>,
    dirty: AtomicBool,
    /// Held while a snapshot is taken and written, so two writers (the periodic one, slave
    /// sync, the final one at stop) never put an older snapshot over a newer one.
    persisting: Mutex<()>,
}

fn key(topic: &str, group: &str) -> String {
    format!("{topic}{SEPARATOR}{group}")
}

fn split(key: &str) -> Option<(&str, &str)> {
    key.split_once(SEPARATOR)
}

impl ConsumerOffsetManager {
    pub fn open(store_root: &Path) -> Result<Self, MetadataError> {
        let file = JsonFile::new(store_root.join("config").join("consumerOffset.json"));
        let loaded: Option<ConsumerOffsetSerializeWrapper> = file.load()?;
        let (table, version) = loaded
            .map(|w| (w.offset_table, w.data_version))
            .unwrap_or_else(|| (BTreeMap::new(), DataVersion::now()));
        Ok(ConsumerOffsetManager {
            file,
            table: Mutex::new(table),
            version: Mutex::new(version),
            dirty: AtomicBool::new(false),
            persisting: Mutex::new(()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, BTreeMap<i32, i64>>> {
        lock(&self.table)
    }

    pub fn query(&self, group: &str, topic: &str, queue_id: i32) -> Option<i64> {
        self.lock().get(&key(topic, group))?.get(&queue_id).copied()
    }

    pub fn commit(&self, group: &str, topic: &str, queue_id: i32, offset: i64) {
        self.lock()
            .entry(key(topic, group))
            .or_default()
            .insert(queue_id, offset);
        self.dirty.store(true, Ordering::Relaxed);
    }

    /// Every queue offset of a group on a topic.
    pub fn offsets_of(&self, group: &str, topic: &str) -> BTreeMap<i32, i64> {
        self.lock()
            .get(&key(topic, group))
            .cloned()
            .unwrap_or_default()
    }

    /// Topics a group has committed offsets for.
    pub fn topics_of_group(&self, group: &str) -> BTreeSet<String> {
        self.lock()
            .keys()
            .filter_map(|k| split(k))
            .filter(|(_, g)| *g == group)
            .map(|(t, _)| t.to_string())
            .collect()
    }

    /// Groups with offsets on a topic.
    pub fn groups_of_topic(&self, topic: &str) -> BTreeSet<String> {
        self.lock()
            .keys()
            .filter_map(|k| split(k))
            .filter(|(t, _)| *t == topic)
            .map(|(_, g)| g.to_string())
            .collect()
    }

    /// Every group that has committed anything.
    pub fn groups(&self) -> BTreeSet<String> {
        self.lock()
            .keys()
            .filter_map(|k| split(k))
            .map(|(_, g)| g.to_string())
            .collect()
    }

    pub fn remove_topic(&self, topic: &str) {
        self.lock()
            .retain(|k, _| split(k).is_none_or(|(t, _)| t != topic));
        self.dirty.store(true, Ordering::Relaxed);
    }

    pub fn remove_group(&self, group: &str) {
        self.lock()
            .retain(|k, _| split(k).is_none_or(|(_, g)| g != group));
        self.dirty.store(true, Ordering::Relaxed);
    }

    /// The whole table (GET_ALL_CONSUMER_OFFSET, slave sync).
    pub fn wrapper(&self) -> ConsumerOffsetSerializeWrapper {
        ConsumerOffsetSerializeWrapper {
            data_version: lock(&self.version).clone(),
            offset_table: self.lock().clone(),
        }
    }

    /// Take the master's table (slave synchronisation).
    pub fn replace_all(&self, wrapper: ConsumerOffsetSerializeWrapper) {
        *self.lock() = wrapper.offset_table;
        *lock(&self.version) = wrapper.data_version;
        self.dirty.store(true, Ordering::Relaxed);
    }

    /// Write the file if anything changed since the last write.
    pub fn persist_if_dirty(&self) -> Result<(), MetadataError> {
        let _one_writer = lock(&self.persisting);
        if !self.dirty.swap(false, Ordering::Relaxed) {
            return Ok(());
        }
        lock(&self.version).next();
        let w = self.wrapper();
        self.file.store(&w).inspect_err(|_| {
            self.dirty.store(true, Ordering::Relaxed);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_survive_reopen_and_removal_works() {
        let dir = tempfile::tempdir().unwrap();
        let m = ConsumerOffsetManager::open(dir.path()).unwrap();
        m.commit("g1", "T", 0, 5);
        m.commit("g1", "T", 1, 7);
        m.commit("g2", "U", 0, 1);
        m.persist_if_dirty().unwrap();
        let m = ConsumerOffsetManager::open(dir.path()).unwrap();
        assert_eq!(m.query("g1", "T", 1), Some(7));
        assert_eq!(m.topics_of_group("g1").len(), 1);
        assert!(m.groups_of_topic("U").contains("g2"));
        m.remove_topic("T");
        assert_eq!(m.query("g1", "T", 0), None);
        assert_eq!(m.groups().len(), 1);
    }
}
