//! `SubscriptionGroupManager`: consumer group settings (retry limits, enable flags), auto-created
//! on first heartbeat when allowed, persisted to `config/subscriptionGroup.json`.

use super::json_file::{JsonFile, MetadataError};
use crate::locks::lock;
use crate::protocol::consumer::{SubscriptionGroupConfig, SubscriptionGroupWrapper};
use crate::protocol::topic::DataVersion;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

/// The subscription-group table of one broker.
#[derive(Debug)]
pub struct SubscriptionGroupManager {
    file: JsonFile,
    state: Mutex<SubscriptionGroupWrapper>,
    auto_create: bool,
}

/// Groups every Apache broker has.
const SYSTEM_GROUPS: &[&str] = &[
    "TOOLS_CONSUMER",
    "FILTERSRV_CONSUMER",
    "SELF_TEST_C_GROUP",
    "CID_ONS-HTTP-PROXY",
    "CID_ONSAPI_PULL",
    "CID_ONSAPI_PERMISSION",
    "CID_ONSAPI_OWNER",
    "CID_RMQ_SYS_TRANS",
];

impl SubscriptionGroupManager {
    pub fn open(store_root: &Path, auto_create: bool) -> Result<Self, MetadataError> {
        let file = JsonFile::new(store_root.join("config").join("subscriptionGroup.json"));
        let mut state: SubscriptionGroupWrapper =
            file.load()?.unwrap_or_else(|| SubscriptionGroupWrapper {
                data_version: DataVersion::now(),
                subscription_group_table: BTreeMap::new(),
            });
        for g in SYSTEM_GROUPS {
            state
                .subscription_group_table
                .entry(g.to_string())
                .or_insert_with(|| SubscriptionGroupConfig::named(g));
        }
        let m = SubscriptionGroupManager {
            file,
            state: Mutex::new(state),
            auto_create,
        };
        m.persist()?;
        Ok(m)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SubscriptionGroupWrapper> {
        lock(&self.state)
    }

    /// The group's config; created with defaults when auto-creation is on.
    pub fn find_or_create(
        &self,
        group: &str,
    ) -> Result<Option<SubscriptionGroupConfig>, MetadataError> {
        if let Some(c) = self.get(group) {
            return Ok(Some(c));
        }
        if !self.auto_create {
            return Ok(None);
        }
        let config = SubscriptionGroupConfig::named(group);
        self.upsert(config.clone())?;
        Ok(Some(config))
    }

    pub fn get(&self, group: &str) -> Option<SubscriptionGroupConfig> {
        self.lock().subscription_group_table.get(group).cloned()
    }

    pub fn upsert(&self, config: SubscriptionGroupConfig) -> Result<(), MetadataError> {
        {
            let mut s = self.lock();
            s.subscription_group_table
                .insert(config.group_name.clone(), config);
            s.data_version.next();
        }
        self.persist()
    }

    pub fn delete(&self, group: &str) -> Result<bool, MetadataError> {
        {
            let mut s = self.lock();
            if s.subscription_group_table.remove(group).is_none() {
                return Ok(false);
            }
            s.data_version.next();
        }
        self.persist()?;
        Ok(true)
    }

    pub fn wrapper(&self) -> SubscriptionGroupWrapper {
        self.lock().clone()
    }

    /// Take the master's table (slave synchronisation).
    pub fn replace_all(&self, wrapper: SubscriptionGroupWrapper) -> Result<(), MetadataError> {
        *self.lock() = wrapper;
        self.persist()
    }

    fn persist(&self) -> Result<(), MetadataError> {
        let w = self.wrapper();
        self.file.store(&w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_create_respects_the_switch() {
        let dir = tempfile::tempdir().unwrap();
        let on = SubscriptionGroupManager::open(dir.path(), true).unwrap();
        assert_eq!(
            on.find_or_create("cg").unwrap().unwrap().retry_max_times,
            16
        );
        drop(on);
        let off = SubscriptionGroupManager::open(dir.path(), false).unwrap();
        assert!(off.find_or_create("cg").unwrap().is_some(), "persisted");
        assert!(off.find_or_create("other").unwrap().is_none());
        assert!(off.delete("cg").unwrap());
    }
}
