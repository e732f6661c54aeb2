//! Key index for QUERY_MESSAGE: (topic, KEYS entry or UNIQ_KEY) → commit-log offsets.
//!
//! This index lives in memory only and is rebuilt from the commit log at every start (recovery
//! scans every record anyway). Apache keeps `index/` hash files on disk instead; we do not write
//! them, so `index/` is never created. Memory grows with the number of keyed messages retained
//! (roughly 100 bytes per key); retention drops entries below the commit log's min offset.

use std::collections::HashMap;
use std::sync::Mutex;

/// Where a keyed record is and when it was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexHit {
    pub phys_offset: u64,
    pub store_timestamp: i64,
}

#[derive(Debug, Default)]
struct IndexMaps {
    keys: HashMap<(String, String), Vec<IndexHit>>,
    uniq: HashMap<(String, String), Vec<IndexHit>>,
    last_update_timestamp: i64,
    last_update_phys_offset: u64,
}

/// The in-memory key index.
#[derive(Debug, Default)]
pub struct KeyIndex {
    maps: Mutex<IndexMaps>,
}

impl KeyIndex {
    /// Records a stored message's keys (space-separated KEYS) and UNIQ_KEY.
    pub fn add(&self, topic: &str, keys: Option<&str>, uniq_key: Option<&str>, hit: IndexHit) {
        let Ok(mut m) = self.maps.lock() else { return };
        for key in keys
            .into_iter()
            .flat_map(|k| k.split(' '))
            .filter(|k| !k.is_empty())
        {
            m.keys
                .entry((topic.to_string(), key.to_string()))
                .or_default()
                .push(hit);
        }
        if let Some(u) = uniq_key.filter(|u| !u.is_empty()) {
            m.uniq
                .entry((topic.to_string(), u.to_string()))
                .or_default()
                .push(hit);
        }
        m.last_update_timestamp = m.last_update_timestamp.max(hit.store_timestamp);
        m.last_update_phys_offset = m.last_update_phys_offset.max(hit.phys_offset);
    }

    /// Newest first, at most `max`, stored within `[begin_ms, end_ms]`. `unique` looks only at
    /// UNIQ_KEY; otherwise both KEYS and UNIQ_KEY match (Apache indexes both under one key space).
    pub fn query(
        &self,
        topic: &str,
        key: &str,
        max: usize,
        begin_ms: i64,
        end_ms: i64,
        unique: bool,
    ) -> Vec<u64> {
        let Ok(m) = self.maps.lock() else {
            return Vec::new();
        };
        let k = (topic.to_string(), key.to_string());
        let mut hits: Vec<IndexHit> = m.uniq.get(&k).cloned().unwrap_or_default();
        if !unique {
            hits.extend(m.keys.get(&k).into_iter().flatten().copied());
        }
        hits.sort_by_key(|h| std::cmp::Reverse(h.phys_offset));
        hits.dedup_by_key(|h| h.phys_offset);
        hits.into_iter()
            .filter(|h| h.store_timestamp >= begin_ms && h.store_timestamp <= end_ms)
            .take(max)
            .map(|h| h.phys_offset)
            .collect()
    }

    /// (indexLastUpdateTimestamp, indexLastUpdatePhyoffset) for QUERY_MESSAGE responses.
    pub fn last_update(&self) -> (i64, u64) {
        self.maps
            .lock()
            .map(|m| (m.last_update_timestamp, m.last_update_phys_offset))
            .unwrap_or((0, 0))
    }

    /// Forgets records below the commit log's min offset.
    pub fn remove_below(&self, min_phys: u64) {
        let Ok(mut guard) = self.maps.lock() else {
            return;
        };
        let m = &mut *guard;
        for map in [&mut m.keys, &mut m.uniq] {
            map.retain(|_, hits| {
                hits.retain(|h| h.phys_offset >= min_phys);
                !hits.is_empty()
            });
        }
    }

    pub fn remove_topic(&self, topic: &str) {
        let Ok(mut m) = self.maps.lock() else { return };
        m.keys.retain(|(t, _), _| t != topic);
        m.uniq.retain(|(t, _), _| t != topic);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_keys_and_uniq() {
        let idx = KeyIndex::default();
        let hit = |p, t| IndexHit {
            phys_offset: p,
            store_timestamp: t,
        };
        idx.add("T", Some("a b"), Some("U1"), hit(0, 10));
        idx.add("T", Some("a"), Some("U2"), hit(100, 20));
        idx.add("X", Some("a"), None, hit(200, 30));
        assert_eq!(idx.query("T", "a", 10, 0, i64::MAX, false), vec![100, 0]);
        assert_eq!(idx.query("T", "a", 1, 0, i64::MAX, false), vec![100]);
        assert_eq!(idx.query("T", "a", 10, 15, 25, false), vec![100]);
        assert_eq!(idx.query("T", "U1", 10, 0, i64::MAX, true), vec![0]);
        assert_eq!(
            idx.query("T", "a", 10, 0, i64::MAX, true),
            Vec::<u64>::new()
        );
        assert_eq!(idx.last_update(), (30, 200));
        idx.remove_below(50);
        assert_eq!(idx.query("T", "a", 10, 0, i64::MAX, false), vec![100]);
        idx.remove_topic("T");
        assert!(idx.query("T", "a", 10, 0, i64::MAX, false).is_empty());
    }
}
